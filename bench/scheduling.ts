// Scheduling benchmark on a real kube-apiserver and kube-scheduler (built by
// `test/tools/build.sh k8s`): a stack's objects from its offline plan, 200 sandbox nodes stamped
// as the pools stamp them, and 2000 pods spread over plain pods and every RuntimeClass of the
// stack. Reports the time until every pod is bound and the share that landed on the right kind
// of node (anything but 100% exits non-zero).
//
//   npm run bench:scheduling [-- --stack staging --nodes 200 --pods 2000 --scheduler-qps 50]
import { Cloud } from "../components/isolation";
import { ControlPlane, findBinaries } from "../test/support/kubeControlPlane";
import { NodeRole, NodeSpec, createNamespace, registerNode } from "../test/support/kubeNodes";
import { podObject } from "../test/support/kubePods";
import { applyPlan, ofKind, planStack } from "../test/support/kubeStack";

const NS = "bench";
const CONCURRENCY = 16;
const BIND_TIMEOUT_MS = 5 * 60_000;

interface Options {
    stack: string;
    /** Sandbox nodes: 1/2 gVisor, the rest Kata, of which 1 in 10 still carries the startup taint. */
    nodes: number;
    pods: number;
    /** General (non-sandbox) nodes, for the plain pods. */
    generalNodes: number;
    /** kube-scheduler's client QPS (burst twice that); undefined keeps its default of 50. */
    schedulerQps?: number;
}

function options(argv: string[]): Options {
    const o: Options = { stack: "staging", nodes: 200, pods: 2000, generalNodes: 20 };
    for (let i = 0; i < argv.length; i += 2) {
        const [flag, value] = [argv[i], argv[i + 1]];
        if (flag === "--stack") o.stack = value;
        else if (flag === "--nodes") o.nodes = Number(value);
        else if (flag === "--pods") o.pods = Number(value);
        else if (flag === "--general-nodes") o.generalNodes = Number(value);
        else if (flag === "--scheduler-qps") o.schedulerQps = Number(value);
        else throw new Error(`unknown flag ${flag}; flags: --stack NAME --nodes N --pods N --general-nodes N --scheduler-qps N`);
    }
    return o;
}

function nodeSpecs(o: Options): NodeSpec[] {
    const specs: NodeSpec[] = [];
    const gvisor = Math.floor(o.nodes / 2);
    const kata = o.nodes - gvisor;
    const starting = Math.floor(kata / 10);
    for (let i = 0; i < o.generalNodes; i++) specs.push({ name: `general-${i}`, role: NodeRole.General, cloud: Cloud.Aws });
    for (let i = 0; i < gvisor; i++) specs.push({ name: `gvisor-${i}`, role: NodeRole.Gvisor, cloud: Cloud.Aws });
    for (let i = 0; i < kata - starting; i++) specs.push({ name: `kata-${i}`, role: NodeRole.KataReady, cloud: Cloud.Aws });
    for (let i = 0; i < starting; i++) specs.push({ name: `kata-starting-${i}`, role: NodeRole.KataStarting, cloud: Cloud.Aws });
    return specs;
}

/** Runs `fn` over `items` with at most `n` in flight. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: n }, async () => {
        while (next < items.length) await fn(items[next++]);
    }));
}

async function main(): Promise<void> {
    const o = options(process.argv.slice(2));
    const { binaries, missing } = findBinaries();
    if (!binaries) throw new Error(`missing binaries: ${missing.join("; ")} (run test/tools/build.sh k8s)`);
    const plan = planStack(o.stack);
    const classes = ofKind(plan, "RuntimeClass").map((c) => c.metadata.name);
    if (classes.length === 0) throw new Error(`the plan of ${o.stack} holds no RuntimeClass`);
    const specs = nodeSpecs(o);
    const roleOf = new Map(specs.map((s) => [s.name, s.role]));
    const rightRole = (cls: string | undefined): NodeRole =>
        cls === undefined ? NodeRole.General : cls === "gvisor" ? NodeRole.Gvisor : NodeRole.KataReady;

    const schedulerFlags = o.schedulerQps ? [`--kube-api-qps=${o.schedulerQps}`, `--kube-api-burst=${2 * o.schedulerQps}`] : [];
    const cp = await ControlPlane.start(binaries, { schedulerFlags });
    try {
        const c = cp.admin;
        let t = Date.now();
        await pool(specs, CONCURRENCY, (s) => registerNode(c, s));
        console.log(`registered ${specs.length} nodes (${o.nodes} sandbox) in ${Date.now() - t} ms`);
        await applyPlan(c, plan);
        await createNamespace(c, NS);

        // Plain pods and one share per RuntimeClass, interleaved.
        const kinds: (string | undefined)[] = [undefined, ...classes];
        const pods = Array.from({ length: o.pods }, (_, i) => ({ name: `p-${i}`, cls: kinds[i % kinds.length] }));
        const classOf = new Map(pods.map((p) => [p.name, p.cls]));
        const boundAt = new Map<string, { node: string; ms: number }>();
        let allBound: () => void = () => undefined;
        let failed: (e: Error) => void = () => undefined;
        const done = new Promise<void>((res, rej) => {
            allBound = res;
            failed = rej;
        });
        done.catch(() => undefined); // awaited below; keeps an early failure from crashing the run
        const start = Date.now();
        // Watch binds as they happen; the API server may drop a watcher that falls behind, so
        // resume from the last resourceVersion seen, as an informer does.
        const collection = `/api/v1/namespaces/${NS}/pods`;
        let lastVersion: string = (await c.ok("GET", `${collection}?limit=1`)).metadata.resourceVersion;
        let resumes = 0;
        let watch = { stop: () => undefined as void };
        const onEvent = (type: string, pod: any) => {
            if (pod?.metadata?.resourceVersion) lastVersion = pod.metadata.resourceVersion;
            if ((type === "ADDED" || type === "MODIFIED") && pod.spec?.nodeName && !boundAt.has(pod.metadata.name)) {
                boundAt.set(pod.metadata.name, { node: pod.spec.nodeName, ms: Date.now() - start });
                if (boundAt.size === pods.length) allBound();
            } else if (type === "ERROR") {
                failed(new Error(`watch error: ${pod?.message}`));
            }
        };
        const follow = async (): Promise<void> => {
            watch = await c.watch(collection, onEvent, () => {
                resumes++;
                follow().catch(failed);
            }, lastVersion);
        };
        await follow();
        const progress = setInterval(() => console.log(`  ${((Date.now() - start) / 1000).toFixed(0)} s: ${boundAt.size}/${pods.length} bound`), 10_000);
        t = Date.now();
        await pool(pods, CONCURRENCY, async (p) => {
            const res = await c.create(podObject(p.name, NS, p.cls ? { runtimeClassName: p.cls } : {}));
            if (res.status !== 201) throw new Error(`creating ${p.name}: HTTP ${res.status}: ${res.body?.message}`);
        });
        const createdMs = Date.now() - t;
        const timeout = new Promise<void>((_, rej) => setTimeout(() => rej(new Error(`only ${boundAt.size}/${pods.length} pods bound after ${BIND_TIMEOUT_MS} ms`)), BIND_TIMEOUT_MS).unref());
        try {
            await Promise.race([done, timeout]);
        } finally {
            clearInterval(progress);
            watch.stop();
        }
        const totalMs = Math.max(...[...boundAt.values()].map((b) => b.ms));

        const perKind = new Map<string, { pods: number; right: number }>();
        let right = 0;
        let onStarting = 0;
        for (const [name, { node }] of boundAt) {
            const cls = classOf.get(name);
            const key = cls ?? "(plain)";
            const k = perKind.get(key) ?? { pods: 0, right: 0 };
            k.pods++;
            if (roleOf.get(node) === rightRole(cls)) {
                k.right++;
                right++;
            }
            if (roleOf.get(node) === NodeRole.KataStarting && cls !== undefined) onStarting++;
            perKind.set(key, k);
        }
        const share = right / pods.length;
        console.log(`stack ${o.stack}: ${o.nodes} sandbox nodes + ${o.generalNodes} general, ${pods.length} pods (${kinds.length} kinds), scheduler client QPS ${o.schedulerQps ?? "50 (default)"}`);
        if (resumes > 0) console.log(`(the API server dropped the watch ${resumes} time(s); resumed each time)`);
        console.log(`pods created in ${createdMs} ms; all bound ${totalMs} ms after the first create (${((pods.length / totalMs) * 1000).toFixed(0)} pods/s)`);
        for (const [k, v] of perKind) console.log(`  ${k.padEnd(22)} ${v.right}/${v.pods} on the right nodes`);
        console.log(`landed correctly: ${right}/${pods.length} (${(share * 100).toFixed(2)}%); sandbox pods on Kata nodes still starting: ${onStarting}`);
        if (right !== pods.length) process.exitCode = 1;
    } finally {
        await cp.stop();
    }
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
