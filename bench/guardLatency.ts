// Admission latency of the guard on a real kube-apiserver (built by `test/tools/build.sh k8s`):
// the same pod creates (sequential, one at a time, so each figure is one request's admission)
// against the API server without the guard, then with the stack's guard policies and bindings
// applied from its offline plan. Pods alternate plain and sandboxed; with --dry-run (default)
// nothing is stored, so only admission and validation are measured, not etcd. Reports median,
// p90 and p99 of each run and the ratio of the medians. The guard must refuse one bad pod first,
// proof that it is loaded (a pod tolerating every taint).
//
//   npm run bench:guard-latency [-- --stack staging --pods 200 --no-dry-run]
import { ControlPlane, findBinaries, sleep } from "../test/support/kubeControlPlane";
import { createNamespace } from "../test/support/kubeNodes";
import { podObject } from "../test/support/kubePods";
import { applyPlan, ofKind, planStack } from "../test/support/kubeStack";
import { KubeClient } from "../test/support/kubeClient";

const NS = "bench";

interface Options {
    stack: string;
    pods: number;
    dryRun: boolean;
}

function options(argv: string[]): Options {
    const o: Options = { stack: "staging", pods: 200, dryRun: true };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (flag === "--stack") o.stack = argv[++i];
        else if (flag === "--pods") o.pods = Number(argv[++i]);
        else if (flag === "--no-dry-run") o.dryRun = false;
        else throw new Error(`unknown flag ${flag}; flags: --stack NAME --pods N --no-dry-run`);
    }
    if (!Number.isInteger(o.pods) || o.pods < 10) throw new Error(`--pods ${o.pods}: at least 10 pods`);
    return o;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Milliseconds of each of `n` pod creates, one after the other. */
async function creates(c: KubeClient, o: Options, tag: string, cls: string): Promise<number[]> {
    const ms: number[] = [];
    for (let i = 0; i < o.pods; i++) {
        const pod = podObject(`${tag}-${i}`, NS, i % 2 === 1 ? { runtimeClassName: cls } : {});
        const t = process.hrtime.bigint();
        const res = await c.create(pod, { dryRun: o.dryRun });
        ms.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (res.status !== 201) throw new Error(`${tag}: creating ${pod.metadata.name}: HTTP ${res.status}: ${res.body?.message}`);
    }
    return ms.sort((a, b) => a - b);
}

function report(label: string, ms: number[]): number {
    const median = quantile(ms, 0.5);
    console.log(`${label}: median ${median.toFixed(2)} ms, p90 ${quantile(ms, 0.9).toFixed(2)} ms, p99 ${quantile(ms, 0.99).toFixed(2)} ms (${ms.length} creates)`);
    return median;
}

async function main(): Promise<void> {
    const o = options(process.argv.slice(2));
    const { binaries, missing } = findBinaries();
    if (!binaries) throw new Error(`missing binaries: ${missing.join("; ")} (run test/tools/build.sh k8s)`);
    const plan = planStack(o.stack);
    const policies = ofKind(plan, "ValidatingAdmissionPolicy");
    if (policies.length === 0) throw new Error(`the plan of ${o.stack} holds no guard policy`);
    const cls = ofKind(plan, "RuntimeClass")[0]?.metadata.name;
    if (!cls) throw new Error(`the plan of ${o.stack} holds no RuntimeClass`);
    const cp = await ControlPlane.start(binaries, {});
    try {
        const c = cp.admin;
        // Everything but the guard first: the RuntimeClasses are needed by both runs.
        await applyPlan(c, { ...plan, objects: plan.objects.filter((x) => !x.kind.startsWith("ValidatingAdmissionPolicy")) });
        await createNamespace(c, NS);
        await creates(c, { ...o, pods: 20 }, "warmup", cls);
        const without = report("without the guard", await creates(c, o, "plain", cls));
        for (const x of plan.objects.filter((y) => y.kind === "ValidatingAdmissionPolicy")) await c.apply(x);
        for (const x of plan.objects.filter((y) => y.kind === "ValidatingAdmissionPolicyBinding")) await c.apply(x);
        const bad = { ...podObject("bad", NS), spec: { containers: [{ name: "app", image: "registry.example/app:1.0" }], tolerations: [{ operator: "Exists" }] } };
        const deadline = Date.now() + 60_000;
        while ((await c.create(bad, { dryRun: true })).status !== 403) {
            if (Date.now() > deadline) throw new Error("the guard did not refuse a pod tolerating every taint within 60 s");
            await sleep(200);
        }
        await creates(c, { ...o, pods: 20 }, "warmup-guarded", cls);
        const withGuard = report(`with the guard (${policies.length} policies)`, await creates(c, o, "guarded", cls));
        console.log(`ratio of medians (with / without): ${(withGuard / without).toFixed(2)}; stack ${o.stack}, ${o.dryRun ? "server dry run" : "stored"}`);
    } finally {
        await cp.stop();
    }
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
