// In-pod checks that prove a RuntimeClass really sandboxes its pods. Each script runs as
// the command of a verification Job's only container, prints ONE verdict line and exits
// non-zero when the evidence is missing, so `pulumi up` fails with that line when a pool
// does not isolate. Pure strings: no Pulumi, no I/O. POSIX sh using only busybox applets
// (sh, dmesg, uname, grep, sed, tr, head, cat) plus curl for the Kata check.

/** First word of every verdict line; tests and log searches key on it. */
export const VERDICT_TAG = "sandbox-verify";

/**
 * Shared shell prelude: `verdict PASS|FAIL <evidence>` prints the one-line verdict, copies
 * it to the termination message when Kubernetes provides one (so `kubectl describe pod`
 * shows it too), and exits 0 for PASS, 1 for FAIL.
 *
 * Inputs from the pod spec: `NODE_NAME` (downward API `spec.nodeName`) and
 * `RUNTIME_CLASS` (the class under test).
 */
function prelude(runtime: string): string {
    return `set -u
node="\${NODE_NAME:-unknown}"
class="\${RUNTIME_CLASS:-${runtime}}"
verdict() {
  result="$1"; shift
  evidence=$(printf '%s' "$*" | tr -d '"\\n\\r' | head -c 300)
  line="${VERDICT_TAG} runtime=${runtime} class=$class node=$node result=$result evidence=\\"$evidence\\""
  printf '%s\\n' "$line"
  if [ -w /dev/termination-log ]; then printf '%s\\n' "$line" > /dev/termination-log; fi
  if [ "$result" = PASS ]; then exit 0; fi
  exit 1
}
`;
}

/**
 * gVisor: the sandbox's kernel log is gVisor's own. gVisor answers syslog(2) for any user
 * with its boot lines ("Starting gVisor..."), so the check runs unprivileged; under runc the
 * host log is either unreadable (dmesg_restrict) or has no such line.
 */
export function gvisorCheckScript(): string {
    return `${prelude("gvisor")}log=$(dmesg 2>&1) || true
line=$(printf '%s\\n' "$log" | grep 'Starting gVisor' | head -n 1)
if [ -n "$line" ]; then
  verdict PASS "dmesg: $line; uname -r: $(uname -r)"
fi
verdict FAIL "dmesg has no gVisor boot line (first line: $(printf '%s\\n' "$log" | head -n 1)); uname -r: $(uname -r)"
`;
}

/**
 * Kata: the pod runs on a guest kernel inside a VM. Evidence, all required:
 * - `uname -r` differs from the Node's `status.nodeInfo.kernelVersion`, read through the API
 *   with the pod's service account (the Job binds it to a ClusterRole allowing `get nodes`);
 * - the CPU advertises the `hypervisor` flag (the pod's kernel runs virtualised);
 * - the kernel log is not gVisor's (gVisor also reports a foreign kernel version).
 *
 * On AKS the node itself is a Hyper-V guest (its CPU shows the flag too) and both kernels
 * name `mshv` (Microsoft's walkthrough: pod VM `6.6.96.mshv1`, node `6.6.100.mshv1-1.azl3`),
 * so the kernel comparison is what tells them apart; Cloud Hypervisor, AKS's VMM, sets the
 * hypervisor CPUID bit for every guest (cloud-hypervisor `arch/src/x86_64/mod.rs`,
 * `generate_common_cpuid`).
 *
 * `SERVICEACCOUNT_DIR` and `CPUINFO` default to the standard paths; tests point them at
 * fixtures.
 */
export function kataCheckScript(): string {
    return `${prelude("kata")}sa="\${SERVICEACCOUNT_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}"
cpuinfo="\${CPUINFO:-/proc/cpuinfo}"
host="\${KUBERNETES_SERVICE_HOST:-kubernetes.default.svc}"
case "$host" in *:*) host="[$host]" ;; esac
api="https://$host:\${KUBERNETES_SERVICE_PORT:-443}"
pod_kernel=$(uname -r)
[ "$node" != unknown ] || verdict FAIL "NODE_NAME is not set"
token=$(cat "$sa/token" 2>/dev/null) || verdict FAIL "no service account token in $sa"
node_json=$(curl -sS --fail --max-time 30 --cacert "$sa/ca.crt" -H "Authorization: Bearer $token" "$api/api/v1/nodes/$node" 2>&1) ||
  verdict FAIL "cannot read Node $node: $node_json"
node_kernel=$(printf '%s' "$node_json" | tr -d '\\n' | sed -n 's/.*"kernelVersion": *"\\([^"]*\\)".*/\\1/p')
[ -n "$node_kernel" ] || verdict FAIL "Node $node reports no status.nodeInfo.kernelVersion"
[ "$pod_kernel" != "$node_kernel" ] || verdict FAIL "pod kernel $pod_kernel is the node's own kernel"
if dmesg 2>/dev/null | grep -q 'Starting gVisor'; then
  verdict FAIL "pod kernel $pod_kernel is gVisor, not a Kata guest"
fi
grep -qw hypervisor "$cpuinfo" 2>/dev/null || verdict FAIL "pod kernel $pod_kernel differs from node kernel $node_kernel but the CPU has no hypervisor flag"
verdict PASS "guest kernel $pod_kernel, node kernel $node_kernel, cpu flag hypervisor"
`;
}
