// The end-to-end cluster enforces NetworkPolicy for real: kube-router's firewall on every node,
// inside the node's network namespace (test/support/networkPolicyEnforcer.ts). A tenant
// namespace with SandboxNamespace's policies cannot reach a pod of another namespace, the
// node's kubelet or the metadata address on its node, for runc pods and gVisor pods alike
// (the rules sit on the host side of the pod's veth, outside gVisor's own network stack), while
// its allowed egress works. A namespace without policies reaches all of it (the targets are
// live), and with the enforcer stopped so does the tenant (the negative control).
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { resolveNamespaceArgs } from "../../../components/kubernetes/sandboxNamespaceArgs";
import { sandboxNamespaceObjects } from "../../../components/kubernetes/namespaceObjects";
import { NetworkVerdict, ProbeTarget, networkProbeScript, parseNetworkVerdict, probeTargetList } from "../../../components/kubernetes/networkProbe";
import { plannedRuntimeClasses } from "../../../components/kubernetes/runtimeClasses";
import { resolveArgs } from "../../../components/kubernetes/sandboxRuntimesArgs";
import { Cloud } from "../../../components/isolation";
import { KubeObject } from "../../support/kubeClient";
import { sleep } from "../../support/kubeControlPlane";
import { NODE_STAND_INS, RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY, RealCluster, requireRealCluster } from "../../support/realCluster";

const TENANT = "tenant";
const OPEN = "open";
const NEIGHBOUR = "neighbour";
const LISTEN_PORT = 8080;
/** Where each kind of pod runs: runc on the general node, gVisor on the sandbox node. */
const RUNTIMES = [
    { kind: "runc", runtimeClassName: undefined, node: "general-0" },
    { kind: "gvisor", runtimeClassName: "gvisor", node: "sandbox-gvisor-0" },
] as const;

describe("NetworkPolicy on the real cluster: kube-router enforces in each node's network namespace", function () {
    this.timeout(600_000);
    let cluster: RealCluster;
    /** Per runtime kind: the neighbour pod's IP and the node's IP. */
    const targets = new Map<string, { pod: string; node: string }>();
    let probes = 0;

    /** What a tenant must not reach from a pod of `kind`, and what it must. */
    function walls(kind: string): { mustRefuse: ProbeTarget[]; mustReach: ProbeTarget[] } {
        const t = targets.get(kind)!;
        return {
            mustRefuse: [
                { name: "pod", host: t.pod, port: LISTEN_PORT },
                { name: "node", host: t.node, port: NODE_STAND_INS.kubeletPort },
                { name: "metadata", host: NODE_STAND_INS.metadata.address, port: NODE_STAND_INS.metadata.port },
            ],
            mustReach: [{ name: "internet", host: NODE_STAND_INS.internet.address, port: NODE_STAND_INS.internet.port }],
        };
    }

    /** Runs the network probe in `namespace` as a pod of `kind`; returns its verdict. */
    async function probe(namespace: string, kind: (typeof RUNTIMES)[number], w: { mustRefuse: ProbeTarget[]; mustReach: ProbeTarget[] }, settleSeconds = 20): Promise<NetworkVerdict> {
        const run = await cluster.runPod({
            name: `probe-${kind.kind}-${++probes}`,
            namespace,
            runtimeClassName: kind.runtimeClassName,
            command: ["/bin/sh", "-c", networkProbeScript()],
            spec: {
                securityContext: RESTRICTED_POD_SECURITY,
                containers: [
                    {
                        name: "main",
                        image: cluster.testImage,
                        imagePullPolicy: "Never",
                        securityContext: RESTRICTED_CONTAINER_SECURITY,
                        command: ["/bin/sh", "-c", networkProbeScript()],
                        env: [
                            { name: "NAMESPACE", value: namespace },
                            { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                            { name: "MUST_REFUSE", value: probeTargetList(w.mustRefuse) },
                            { name: "MUST_REACH", value: probeTargetList(w.mustReach) },
                            { name: "SETTLE_SECONDS", value: String(settleSeconds) },
                            { name: "CONNECT_SECONDS", value: "2" },
                            { name: "CAUSE", value: "the cluster does not enforce NetworkPolicy" },
                        ],
                    },
                ],
            },
        });
        assert.equal(run.node, kind.node);
        const verdict = parseNetworkVerdict(run.log);
        assert.ok(verdict, `no verdict in the probe's log:\n${run.log}`);
        assert.equal(run.phase, verdict.result === "PASS" ? "Succeeded" : "Failed");
        return verdict;
    }

    const names = (ts: ProbeTarget[]) => ts.map((t) => t.name).sort();
    const named = (items: string[]) => items.map((i) => i.split(" ")[0]).sort();

    before(async function () {
        const bin = requireRealCluster(this);
        cluster = await RealCluster.start(bin);
        const gvisor = plannedRuntimeClasses(resolveArgs({ cloud: Cloud.Aws, gvisor: {} }))[0];
        await cluster.admin.apply({ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: gvisor.name }, handler: gvisor.handler, scheduling: gvisor.scheduling });
        for (const ns of [OPEN, NEIGHBOUR]) await cluster.admin.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
        // The tenant: exactly SandboxNamespace's objects (the guard is not installed here, so its label is inert).
        for (const o of sandboxNamespaceObjects(resolveNamespaceArgs(TENANT, {}))) await cluster.admin.apply(o as KubeObject);
        // A listener of another namespace on each node: what a tenant must not reach.
        for (const kind of RUNTIMES) {
            const name = `listener-${kind.kind}`;
            await cluster.admin.ok("POST", `/api/v1/namespaces/${NEIGHBOUR}/pods`, {
                apiVersion: "v1",
                kind: "Pod",
                metadata: { name, namespace: NEIGHBOUR },
                spec: {
                    ...(kind.runtimeClassName ? { runtimeClassName: kind.runtimeClassName } : {}),
                    automountServiceAccountToken: false,
                    containers: [{ name: "main", image: cluster.testImage, imagePullPolicy: "Never", command: ["httpd", "-f", "-p", String(LISTEN_PORT), "-h", "/etc"] }],
                },
            });
            const pod = await waitRunning(cluster, NEIGHBOUR, name);
            targets.set(kind.kind, { pod: pod.status.podIP, node: cluster.node(kind.node).nodeIp });
        }
    });

    after(async () => {
        await cluster?.stop();
    });

    it("programs each node in the node's own network namespace, and leaves the host's iptables and ipsets alone", async () => {
        for (const e of cluster.enforcers) {
            assert.match(await e.iptablesRules(), /^-A FORWARD .*-j KUBE-ROUTER-FORWARD$/m);
        }
        const host = hostFirewall();
        assert.doesNotMatch(host, /KUBE-ROUTER|KUBE-POD-FW|KUBE-NWPLCY/);
    });

    for (const kind of RUNTIMES) {
        it(`a ${kind.kind} pod of a namespace without policies reaches the other namespace's pod, the node's kubelet, the metadata stand-in and the internet stand-in (the targets are live)`, async () => {
            const w = walls(kind.kind);
            const v = await probe(OPEN, kind, { mustRefuse: [], mustReach: [...w.mustRefuse, ...w.mustReach] }, 10);
            assert.equal(v.result, "PASS", JSON.stringify(v));
        });

        it(`a ${kind.kind} pod of the tenant namespace cannot reach the other namespace's pod, the node or the metadata address, and reaches the internet`, async () => {
            const w = walls(kind.kind);
            const v = await probe(TENANT, kind, w);
            assert.deepEqual({ result: v.result, reachable: v.reachable, blocked: v.blocked }, { result: "PASS", reachable: [], blocked: [] }, JSON.stringify(v));
            assert.deepEqual(named(v.refused), names(w.mustRefuse));
        });
    }

    it("a gVisor tenant pod really runs under gVisor while the wall holds: the policy acts outside its network stack", async () => {
        const run = await cluster.runPod({ name: "gvisor-proof", namespace: TENANT, runtimeClassName: "gvisor", restricted: true, command: ["sh", "-c", "dmesg | head -1"] });
        assert.equal(run.node, "sandbox-gvisor-0");
        assert.match(run.log, /Starting gVisor/);
    });

    it("a policy whose egress no longer excepts the metadata address lets the tenant reach it", async () => {
        const leaky = sandboxNamespaceObjects(resolveNamespaceArgs(TENANT, {})).find((o) => o.metadata.name === "restrict-egress")!;
        const spec = JSON.parse(JSON.stringify(leaky.spec));
        for (const rule of spec.egress) for (const to of rule.to ?? []) if (to.ipBlock?.except) to.ipBlock.except = to.ipBlock.except.filter((c: string) => !c.startsWith("169.254."));
        await cluster.admin.apply({ ...(leaky as KubeObject), spec });
        try {
            const kind = RUNTIMES[1];
            const v = await probe(TENANT, kind, walls(kind.kind));
            assert.equal(v.result, "FAIL");
            assert.deepEqual(named(v.reachable), ["metadata"], JSON.stringify(v));
        } finally {
            await cluster.admin.apply(leaky as KubeObject);
        }
    });

    it("negative control: with the enforcer stopped (its rules removed) the tenant reaches all of it; started again, the wall is back", async () => {
        await cluster.stopEnforcers();
        for (const n of cluster.nodes) assert.doesNotMatch(await nodeFirewall(cluster, n.spec.name), /KUBE-ROUTER/);
        for (const kind of RUNTIMES) {
            const w = walls(kind.kind);
            const v = await probe(TENANT, kind, w, 5);
            assert.equal(v.result, "FAIL");
            assert.deepEqual(named(v.reachable), names(w.mustRefuse), JSON.stringify(v));
            assert.equal(v.cause, "the cluster does not enforce NetworkPolicy");
        }
        await cluster.startEnforcers();
        const kind = RUNTIMES[1];
        assert.equal((await probe(TENANT, kind, walls(kind.kind))).result, "PASS");
    });
});

describe("NetworkPolicy on the real cluster: deleting a tenant namespace keeps its policies until its pods are gone", function () {
    this.timeout(300_000);
    let cluster: RealCluster;

    before(async function () {
        cluster = await RealCluster.start(requireRealCluster(this), { networkPolicy: false });
    });
    after(async () => {
        await cluster?.stop();
    });

    it("the namespace controller removes the pods first: while a pod with a grace period still runs, its namespace's policies are there", async () => {
        const ns = "leaving";
        for (const o of sandboxNamespaceObjects(resolveNamespaceArgs(ns, {}))) await cluster.admin.apply(o as KubeObject);
        await cluster.admin.ok("POST", `/api/v1/namespaces/${ns}/pods`, {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "slow-to-leave", namespace: ns },
            spec: {
                terminationGracePeriodSeconds: 15,
                automountServiceAccountToken: false,
                securityContext: RESTRICTED_POD_SECURITY,
                // Ignores SIGTERM: only the grace period's SIGKILL ends it.
                containers: [{ name: "main", image: cluster.testImage, imagePullPolicy: "Never", securityContext: RESTRICTED_CONTAINER_SECURITY, command: ["sh", "-c", "trap '' TERM; while :; do sleep 1; done"] }],
            },
        });
        await waitRunning(cluster, ns, "slow-to-leave");
        const deleted = Date.now();
        await cluster.admin.ok("DELETE", `/api/v1/namespaces/${ns}`);
        const seen: { ms: number; pod: boolean; policies: string[] }[] = [];
        for (;;) {
            const pod = await cluster.admin.request("GET", `/api/v1/namespaces/${ns}/pods/slow-to-leave`);
            const policies = (await cluster.admin.list("networking.k8s.io/v1", "NetworkPolicy", ns)).map((p: any) => p.metadata.name).sort();
            seen.push({ ms: Date.now() - deleted, pod: pod.status === 200, policies });
            if (pod.status === 404 && policies.length === 0) break;
            if (Date.now() - deleted > 120_000) throw new Error(`namespace ${ns} not emptied within 120 s: ${JSON.stringify(seen.slice(-3))}`);
            await sleep(500);
        }
        const whilePodRan = seen.filter((x) => x.pod);
        assert.ok(whilePodRan.length > 0 && whilePodRan[whilePodRan.length - 1].ms >= 10_000, `the pod should have lived through its grace period: ${JSON.stringify(seen)}`);
        for (const x of whilePodRan) assert.deepEqual(x.policies, ["deny-ingress", "restrict-egress"], `policies gone while the pod still ran: ${JSON.stringify(seen)}`);
        console.log(`      pod gone ${whilePodRan[whilePodRan.length - 1].ms} ms after the namespace's deletion, its policies after it`);
    });
});

async function waitRunning(cluster: RealCluster, namespace: string, name: string, timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let pod: any;
    while (Date.now() < deadline) {
        pod = await cluster.admin.get("v1", "Pod", name, namespace);
        if (pod.status?.phase === "Running" && pod.status.podIP) return pod;
        await sleep(200);
    }
    throw new Error(`pod ${namespace}/${name} not Running within ${timeoutMs} ms: ${JSON.stringify(pod?.status)}`);
}

/** The host's own filter rules and ipset names (read only), where the enforcer must leave nothing. */
function hostFirewall(): string {
    const read = (cmd: string, args: string[]) => {
        try {
            return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
        } catch {
            return "";
        }
    };
    return read("/usr/sbin/iptables", ["-w", "5", "-S"]) + read("/usr/sbin/ipset", ["list", "-n"]);
}

/** A node's filter table, read inside its network namespace. */
async function nodeFirewall(cluster: RealCluster, node: string): Promise<string> {
    const pid = cluster.node(node).pid;
    return execFileSync("/usr/bin/nsenter", [`--target=${pid}`, "--net", "--mount", "--", "/usr/sbin/iptables", "-w", "5", "-S"], { encoding: "utf8" });
}
