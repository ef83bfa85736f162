// Benchmark: `pulumi up` to a verified cluster. The real engine (the Go-built CLI and Kubernetes
// provider, through the Automation API's inline program, test/support/pulumiEngine.ts) deploys
// the program's real entry with the end-to-end suite's stack file (cloud kubernetes) to the real
// one-sandbox-node cluster (test/support/realCluster.ts), from an empty stack each run: the time
// from calling `up` until it returns with the gVisor verification Job `succeeded` (the
// RuntimeClass, the guard's policies and bindings, the Job's namespace and the Job, which waits
// for its pod to boot gVisor and pass). Then `pulumi destroy`, timed too, empties the stack for
// the next run. Medians of N runs.
//
//   npm run bench:pulumi-up -- [--runs 5]   (root)
//
// Needs the build sets k8s, containerd, gvisor, cni, pulumi and pulumi-kubernetes, and runc,
// busybox-static, openssl, iproute2.
import * as os from "node:os";
import { Engine, findEngineBinaries } from "../test/support/pulumiEngine";
import { RealCluster, findRealClusterBinaries } from "../test/support/realCluster";

const STACK_FILE = "test/integration/e2e/Pulumi.e2e.yaml";

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function options(argv: string[]): { runs: number } {
    let runs = 5;
    for (let i = 0; i < argv.length; i += 2) {
        if (argv[i] === "--runs" && Number.isInteger(Number(argv[i + 1])) && Number(argv[i + 1]) > 0) runs = Number(argv[i + 1]);
        else throw new Error(`unknown flag or bad value ${argv.slice(i, i + 2).join(" ")}; flags: --runs N (N >= 1)`);
    }
    return { runs };
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

async function main(): Promise<void> {
    const { runs } = options(process.argv.slice(2));
    const cb = findRealClusterBinaries();
    const eb = findEngineBinaries();
    const missing = [...cb.missing, ...eb.missing];
    if (!cb.binaries || !eb.binaries) throw new Error(`missing: ${missing.join("; ")} (test/tools/build.sh k8s containerd gvisor cni pulumi pulumi-kubernetes)`);
    const loadBefore = load();
    const cluster = await RealCluster.start(cb.binaries);
    let engine: Engine | undefined;
    try {
        engine = await Engine.start(eb.binaries);
        const stack = await engine.stack("bench", STACK_FILE, { "sandbox:kubeconfigPath": cluster.kubeconfig, "sandbox:verificationImage": cluster.testImage });
        const up: number[] = [];
        const destroy: number[] = [];
        for (let i = 0; i < runs; i++) {
            let t = performance.now();
            const result = await stack.up();
            const ms = performance.now() - t;
            const v = result.outputs.verifications.value as { runtimeClass: string; status: string }[];
            if (!v.some((x) => x.runtimeClass === "gvisor" && x.status === "succeeded")) throw new Error(`run ${i + 1}: verifications ${JSON.stringify(v)}`);
            up.push(ms);
            t = performance.now();
            await stack.destroy();
            destroy.push(performance.now() - t);
            console.log(`run ${i + 1}: up ${(ms / 1000).toFixed(1)} s, destroy ${(destroy[i] / 1000).toFixed(1)} s`);
        }
        console.log(`pulumi up to a verified cluster (cloud kubernetes, gVisor verified by its Job), ${runs} runs, medians`);
        console.log(`machine: ${os.cpus().length} vCPU, load average before ${loadBefore}, after ${load()}`);
        console.log(`up ${(median(up) / 1000).toFixed(1)} s (min ${(Math.min(...up) / 1000).toFixed(1)}, max ${(Math.max(...up) / 1000).toFixed(1)}); destroy ${(median(destroy) / 1000).toFixed(1)} s`);
        console.log(JSON.stringify({ runs, load: { before: loadBefore, after: load() }, upMs: up, destroyMs: destroy }));
    } finally {
        await cluster.stop();
        engine?.stop();
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
