// Benchmark: what the NetworkPolicy enforcer adds to a sandboxed pod's start. On the real
// cluster (test/support/realCluster.ts), in a tenant namespace with SandboxNamespace's policies,
// gVisor pods (and runc pods for comparison) are created one after the other and timed from the
// create request to the first status with phase Running, first with kube-router's firewall on
// every node, then on the same cluster with it stopped and its rules removed. Rounds alternate
// (on, off, on, off...) so a drift of the machine's load hits both sides. Medians, and the ratio
// on/off.
//
//   npm run bench:network-enforcer -- [--runs 10]   (root)
//
// Needs the build sets k8s, containerd, gvisor, cni and kube-router, and runc, busybox-static,
// openssl, iproute2, iptables, ipset.
import * as os from "node:os";
import { plannedRuntimeClasses } from "../components/kubernetes/runtimeClasses";
import { resolveArgs } from "../components/kubernetes/sandboxRuntimesArgs";
import { resolveNamespaceArgs } from "../components/kubernetes/sandboxNamespaceArgs";
import { sandboxNamespaceObjects } from "../components/kubernetes/namespaceObjects";
import { Cloud } from "../components/isolation";
import { KubeObject } from "../test/support/kubeClient";
import { RealCluster, findRealClusterBinaries } from "../test/support/realCluster";

const TENANT = "bench-tenant";
const ROUNDS = 2;

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function options(argv: string[]): { runs: number } {
    let runs = 10;
    for (let i = 0; i < argv.length; i += 2) {
        if (argv[i] === "--runs" && Number.isInteger(Number(argv[i + 1])) && Number(argv[i + 1]) >= ROUNDS) runs = Number(argv[i + 1]);
        else throw new Error(`unknown flag or bad value ${argv.slice(i, i + 2).join(" ")}; flags: --runs N (N >= ${ROUNDS}, split over ${ROUNDS} rounds per side)`);
    }
    return { runs };
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

async function main(): Promise<void> {
    const { runs } = options(process.argv.slice(2));
    const cb = findRealClusterBinaries();
    if (!cb.binaries) throw new Error(`missing: ${cb.missing.join("; ")} (test/tools/build.sh k8s containerd gvisor cni kube-router)`);
    const loadBefore = load();
    const cluster = await RealCluster.start(cb.binaries);
    try {
        const gvisor = plannedRuntimeClasses(resolveArgs({ cloud: Cloud.Aws, gvisor: {} }))[0];
        await cluster.admin.apply({ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: gvisor.name }, handler: gvisor.handler, scheduling: gvisor.scheduling });
        for (const o of sandboxNamespaceObjects(resolveNamespaceArgs(TENANT, {}))) await cluster.admin.apply(o as KubeObject);
        const times: Record<string, Record<"on" | "off", number[]>> = { gvisor: { on: [], off: [] }, runc: { on: [], off: [] } };
        let seq = 0;
        // A warm-up pod of each kind per side, not counted: the first sandbox of a node pays its caches.
        const run = async (kind: "gvisor" | "runc", side: "on" | "off", counted: boolean) => {
            const r = await cluster.runPod({ name: `bench-${kind}-${++seq}`, namespace: TENANT, runtimeClassName: kind === "gvisor" ? "gvisor" : undefined, restricted: true, command: ["true"] });
            if (r.phase !== "Succeeded" || r.runningMs === undefined) throw new Error(`pod ${kind} #${seq}: ${r.phase}, runningMs ${r.runningMs}`);
            if (counted) times[kind][side].push(r.runningMs);
        };
        const perRound = Math.ceil(runs / ROUNDS);
        for (let round = 0; round < ROUNDS; round++) {
            for (const side of ["on", "off"] as const) {
                if (side === "off") await cluster.stopEnforcers();
                else if (cluster.enforcers.length === 0) await cluster.startEnforcers();
                for (const kind of ["gvisor", "runc"] as const) {
                    await run(kind, side, false);
                    for (let i = 0; i < perRound && times[kind][side].length < runs; i++) await run(kind, side, true);
                }
                console.log(`round ${round + 1}, enforcer ${side}: done (load ${load()})`);
            }
        }
        console.log(`pod create -> Running in a tenant namespace with SandboxNamespace's policies, ${runs} pods per kind and side, medians`);
        console.log(`machine: ${os.cpus().length} vCPU, load average before ${loadBefore}, after ${load()}`);
        for (const kind of ["gvisor", "runc"] as const) {
            const on = median(times[kind].on);
            const off = median(times[kind].off);
            console.log(`${kind}: enforcer on ${s(on)}, off ${s(off)}, ratio on/off ${(on / off).toFixed(2)}`);
        }
        console.log(JSON.stringify({ runs, load: { before: loadBefore, after: load() }, ms: times }));
    } finally {
        await cluster.stop();
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
