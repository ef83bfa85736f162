// The in-pod check of the network wall: run as a tenant's pod runs (its namespace, its
// RuntimeClass, its policies), it tries every destination the wall must refuse and every one it
// must let through, and prints ONE verdict line naming what was reachable. Pure strings: no
// Pulumi, no I/O. POSIX sh with busybox applets only (sh, nc, date, sleep, tr, head, printf).
import { VERDICT_TAG } from "./verification";

/** Second word of the network verdict line (`sandbox-verify network ...`). */
export const NETWORK_VERDICT_KIND = "network";

/** A destination the probe connects to: `name=host:port` in the probe's environment. */
export interface ProbeTarget {
    /** Short name the verdict uses (`metadata`, `node`, `pod`...): letters, digits and dashes. */
    name: string;
    /**
     * An IPv4 or IPv6 address (no brackets), `$(VAR)` of a variable the pod's env defines before,
     * or `@resolv`: the first nameserver of the pod's resolv.conf (the cluster DNS); a target
     * `@resolv` is skipped, and says so, where the pod has no nameserver.
     */
    host: string;
    port: number;
}

/** How a target is written in the probe's environment: `name=host:port`, IPv6 hosts in brackets. */
export function probeTargetSpec(t: ProbeTarget): string {
    const host = t.host.includes(":") ? `[${t.host}]` : t.host;
    return `${t.name}=${host}:${t.port}`;
}

/** Targets joined for one environment variable (`MUST_REFUSE`, `MUST_REACH`). */
export function probeTargetList(targets: readonly ProbeTarget[]): string {
    return targets.map(probeTargetSpec).join(" ");
}

/**
 * The probe. Environment:
 * - `MUST_REFUSE`, `MUST_REACH`: space-separated `name=host:port` (`probeTargetList`);
 * - `NAMESPACE`, `NODE_NAME`: what the verdict names (downward API);
 * - `SETTLE_SECONDS`: how long the wall may take to close or open after the pod starts (an
 *   enforcer programs a new pod's rules a moment after it runs); every target is tried again
 *   each second until it behaves or the time is up. Default 30.
 * - `CONNECT_SECONDS`: one connection attempt's timeout. Default 3.
 * - `CAUSE`: the likely cause the verdict gives when the wall does not hold.
 * - `RESOLV_CONF`: where `@resolv` reads the nameserver. Default /etc/resolv.conf.
 *
 * A target counts as reachable when a TCP connection to it opens; refused when it does not
 * (reset, ICMP reject, timeout, no route). The verdict line:
 * `sandbox-verify network namespace=NS node=NODE result=PASS|FAIL reachable="..." refused="..." blocked="..." skipped="..." cause="..."`
 * where `reachable` lists what the wall should have refused, `blocked` what it should have let
 * through, `skipped` what could not be tried; exit 0 for PASS, 1 for FAIL.
 */
export function networkProbeScript(): string {
    return `set -u
ns="\${NAMESPACE:-unknown}"
node="\${NODE_NAME:-unknown}"
settle="\${SETTLE_SECONDS:-30}"
wait_s="\${CONNECT_SECONDS:-3}"
clean() { printf '%s' "$*" | tr -d '"\\n\\r' | head -c 400; }
# connect NAME=HOST:PORT: 0 when a TCP connection opens.
connect() {
  spec="\${1#*=}"
  host="\${spec%:*}"; port="\${spec##*:}"
  host="\${host#[}"; host="\${host%]}"
  nc -w "$wait_s" "$host" "$port" </dev/null >/dev/null 2>&1
}
label() { n="\${1%%=*}"; printf '%s %s' "$n" "\${1#*=}"; }
resolv="\${RESOLV_CONF:-/etc/resolv.conf}"
nameserver=""
if [ -r "$resolv" ]; then
  while read -r key value rest; do
    if [ "$key" = nameserver ] && [ -z "$nameserver" ]; then nameserver="$value"; fi
  done < "$resolv"
fi
case "$nameserver" in *:*) nameserver="[$nameserver]" ;; esac
skipped=""
# resolve LIST: @resolv hosts replaced by the nameserver, or dropped into skipped without one.
resolve() {
  out=""
  for t in $1; do
    case "$t" in
      *=@resolv:*)
        if [ -n "$nameserver" ]; then out="$out \${t%%=*}=$nameserver:\${t##*:}"
        else skipped="$skipped, \${t%%=*} (no nameserver in $resolv)"; fi ;;
      *) out="$out $t" ;;
    esac
  done
}
resolve "\${MUST_REFUSE:-}"; refuse_left="$out"
resolve "\${MUST_REACH:-}"; reach_left="$out"
refused=""
reached=""
deadline=$(( $(date +%s) + settle ))
while :; do
  still=""
  for t in $refuse_left; do
    if connect "$t"; then still="$still $t"; else refused="$refused, $(label "$t")"; fi
  done
  refuse_left="$still"
  still=""
  for t in $reach_left; do
    if connect "$t"; then reached="$reached, $(label "$t")"; else still="$still $t"; fi
  done
  reach_left="$still"
  if [ -z "$refuse_left$reach_left" ] || [ "$(date +%s)" -ge "$deadline" ]; then break; fi
  sleep 1
done
list() { out=""; for t in $1; do out="$out, $(label "$t")"; done; printf '%s' "\${out#, }"; }
reachable=$(list "$refuse_left")
blocked=$(list "$reach_left")
result=PASS
[ -z "$refuse_left$reach_left" ] || result=FAIL
cause=""
[ "$result" = PASS ] || cause="\${CAUSE:-}"
line="${VERDICT_TAG} ${NETWORK_VERDICT_KIND} namespace=$ns node=$node result=$result reachable=\\"$(clean "$reachable")\\" refused=\\"$(clean "\${refused#, }")\\" blocked=\\"$(clean "$blocked")\\" skipped=\\"$(clean "\${skipped#, }")\\" cause=\\"$(clean "$cause")\\""
printf '%s\\n' "$line"
if [ -w /dev/termination-log ]; then printf '%s\\n' "$line" > /dev/termination-log; fi
[ "$result" = PASS ]
`;
}

/** A network verdict line, read back (tests, the program's outputs). */
export interface NetworkVerdict {
    namespace: string;
    node: string;
    result: "PASS" | "FAIL";
    /** What the wall should have refused but let through, `name host:port` each. */
    reachable: string[];
    refused: string[];
    /** What the wall should have let through but refused. */
    blocked: string[];
    /** What could not be tried, with why. */
    skipped: string[];
    cause: string;
}

/** Parses the verdict line out of a probe's output; undefined when there is none. */
export function parseNetworkVerdict(output: string): NetworkVerdict | undefined {
    const re = new RegExp(
        `^${VERDICT_TAG} ${NETWORK_VERDICT_KIND} namespace=(\\S+) node=(\\S+) result=(PASS|FAIL) reachable="([^"]*)" refused="([^"]*)" blocked="([^"]*)" skipped="([^"]*)" cause="([^"]*)"$`,
        "m",
    );
    const m = re.exec(output);
    if (!m) return undefined;
    const items = (s: string) => (s === "" ? [] : s.split(", "));
    return { namespace: m[1], node: m[2], result: m[3] as "PASS" | "FAIL", reachable: items(m[4]), refused: items(m[5]), blocked: items(m[6]), skipped: items(m[7]), cause: m[8] };
}
