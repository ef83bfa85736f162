// Invariants 1, 2, 4, 5 and 6 judged by Kubernetes itself: the objects a stack deploys are applied
// to a real kube-apiserver, Node objects carry exactly the pool stamps, and the real scheduler
// decides where pods go. Nothing here restates a RuntimeClass or the policy: every expectation
// is read from the objects the components emitted.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Cloud, isolationKeys } from "../../../components/isolation";
import { KubeObject } from "../../support/kubeClient";
import { ControlPlane, requireBinaries } from "../../support/kubeControlPlane";
import { GuardPair, deniedMessage, guardFor, waitGuardJudges } from "../../support/kubeGuard";
import { HOST_NAMESPACES_RULE, HOST_PATH_RULE, PRIVILEGED_RULE, guardMessage, namespaceRuntimeRule, tolerationRule } from "../../support/guardMessages";
import { NodeRole, NodeSpec, createNamespace, ensureDefaultServiceAccount, nodeObject } from "../../support/kubeNodes";
import { PodOptions, podObject, waitBound, waitScheduled } from "../../support/kubePods";
import { StackPlan, ofKind, planStack, startWithPlan } from "../../support/kubeStack";

/** EKS stacks with gVisor and Kata pools and the guard on Deny (staging: nested Kata; prod: metal, adopted cluster). */
const STACKS = ["staging", "prod"];

const NODES: NodeSpec[] = [
    { name: "general-1", role: NodeRole.General, cloud: Cloud.Aws },
    { name: "general-2", role: NodeRole.General, cloud: Cloud.Aws },
    { name: "gvisor-1", role: NodeRole.Gvisor, cloud: Cloud.Aws },
    { name: "gvisor-2", role: NodeRole.Gvisor, cloud: Cloud.Aws },
    { name: "kata-1", role: NodeRole.KataReady, cloud: Cloud.Aws },
    { name: "kata-2", role: NodeRole.KataReady, cloud: Cloud.Aws },
    { name: "kata-starting-1", role: NodeRole.KataStarting, cloud: Cloud.Aws },
    // Left alone by every test but the one that finishes kata-deploy's work on it.
    { name: "kata-starting-2", role: NodeRole.KataStarting, cloud: Cloud.Aws },
];

const APPS = "apps";
const keys = isolationKeys();

for (const stack of STACKS) describe(`isolation invariants of stack ${stack} on a real kube-apiserver and kube-scheduler`, function () {
    this.timeout(180_000);
    let cp: ControlPlane;
    let plan: StackPlan;
    let pods: GuardPair;
    let seq = 0;
    // Each stack starts from the same nodes; one test moves a node from starting to ready.
    const nodes = NODES.map((n) => ({ ...n }));
    const nodesOf = (...roles: NodeRole[]) => nodes.filter((n) => roles.includes(n.role)).map((n) => n.name);

    const create = (o: PodOptions = {}, namespace = APPS) => cp.admin.create(podObject(`pod-${++seq}`, namespace, o));
    /** Creates pods and returns the node each one was bound to. */
    async function bindAll(count: number, o: PodOptions, namespace = APPS): Promise<string[]> {
        const names: string[] = [];
        for (let i = 0; i < count; i++) {
            const res = await create(o, namespace);
            assert.strictEqual(res.status, 201, res.body?.message);
            names.push(res.body.metadata.name);
        }
        return Promise.all(names.map((n) => waitBound(cp.admin, namespace, n)));
    }
    /** The API server's message for a pod of namespace `ns` the guard rejects for `rules`. */
    const denied = (pod: string, rules: string[], ns = APPS) => deniedMessage(pods, "", "pods", pod, guardMessage(ns, ...rules));
    /** The toleration rule's text for namespace `ns`, naming the stack's sandbox classes. */
    const toleration = (ns = APPS) => tolerationRule(ns, ofKind(plan, "RuntimeClass").map((c) => c.metadata.name));
    const runtimeClass = (name: string) => ofKind(plan, "RuntimeClass").find((c) => c.metadata.name === name)!;

    before(async function () {
        const bin = requireBinaries(this);
        plan = planStack(stack);
        pods = guardFor(plan, "", "pods");
        cp = await startWithPlan(bin, plan, nodes, APPS);
        await waitGuardJudges(cp.admin, [podObject("guard-probe", APPS, { tolerations: [{ operator: "Exists" }] })]);
    });
    after(async () => {
        await cp?.stop();
    });

    it("binds gvisor pods only to gVisor nodes, with the RuntimeClass's selector and tolerations injected (invariant 2)", async () => {
        const nodes = await bindAll(8, { runtimeClassName: "gvisor" });
        for (const n of nodes) assert.ok(nodesOf(NodeRole.Gvisor).includes(n), `gvisor pod bound to ${n}`);
        const pod = (await cp.admin.list("v1", "Pod", APPS)).find((p) => p.spec.runtimeClassName === "gvisor");
        const scheduling = runtimeClass("gvisor").scheduling;
        assert.deepStrictEqual(pod.spec.nodeSelector, scheduling.nodeSelector);
        for (const t of scheduling.tolerations) assert.ok(pod.spec.tolerations.some((p: any) => p.key === t.key && p.value === t.value && p.effect === t.effect));
    });

    it("binds every Kata class's pods only to ready Kata nodes, never to one with the startup taint (invariant 6)", async () => {
        const kataClasses = ofKind(plan, "RuntimeClass").map((c) => c.metadata.name).filter((n) => n.startsWith("kata"));
        assert.ok(kataClasses.length >= 2, `Kata classes in the plan: ${kataClasses.join(", ")}`);
        for (const cls of kataClasses) {
            const nodes = await bindAll(6, { runtimeClassName: cls });
            for (const n of nodes) assert.ok(nodesOf(NodeRole.KataReady).includes(n), `${cls} pod bound to ${n}`);
        }
    });

    it("holds a Kata pod while its node carries the startup taint and binds it once kata-deploy removes the taint (invariant 6)", async () => {
        const res = await create({ runtimeClassName: "kata", nodeSelector: { "kubernetes.io/hostname": "kata-starting-2" } });
        assert.strictEqual(res.status, 201, res.body?.message);
        const first = await waitScheduled(cp.admin, APPS, res.body.metadata.name);
        assert.deepStrictEqual(first.bound, false);
        // What kata-deploy does once Kata works on the node: label it and drop the startup taint.
        const ready = nodeObject({ name: "kata-starting-2", role: NodeRole.KataReady, cloud: Cloud.Aws });
        await cp.admin.ok("PATCH", "/api/v1/nodes/kata-starting-2", { metadata: { labels: ready.metadata.labels }, spec: { taints: ready.spec.taints } }, "application/merge-patch+json");
        nodes.find((n) => n.name === "kata-starting-2")!.role = NodeRole.KataReady;
        assert.strictEqual(await waitBound(cp.admin, APPS, res.body.metadata.name, 60_000), "kata-starting-2");
    });

    it("never binds a plain pod to a sandbox node (invariant 1)", async () => {
        const nodes = await bindAll(8, {});
        for (const n of nodes) assert.ok(nodesOf(NodeRole.General).includes(n), `plain pod bound to ${n}`);
    });

    it("rejects at admission a pod that tolerates a sandbox taint without a sandbox RuntimeClass (invariant 4)", async () => {
        const taintKeys = [keys.runtime, keys.kataNotReady];
        for (const key of taintKeys) {
            const res = await create({ tolerations: [{ key, operator: "Exists", effect: "NoSchedule" }] });
            assert.strictEqual(res.status, 403);
            assert.strictEqual(res.body.message, denied(`pod-${seq}`, [toleration()]));
        }
        const everything = await create({ tolerations: [{ operator: "Exists" }] });
        assert.strictEqual(everything.body.message, denied(`pod-${seq}`, [toleration()]));
    });

    it("rejects sandbox pods that ask for hostNetwork, hostPID, a privileged init container or a hostPath volume (invariant 5)", async () => {
        for (const cls of ["gvisor", "kata"]) {
            const hostNet = await create({ runtimeClassName: cls, hostNetwork: true });
            assert.strictEqual(hostNet.status, 403);
            assert.strictEqual(hostNet.body.message, denied(`pod-${seq}`, [HOST_NAMESPACES_RULE]));
            const hostPid = await create({ runtimeClassName: cls, hostPID: true });
            assert.strictEqual(hostPid.body.message, denied(`pod-${seq}`, [HOST_NAMESPACES_RULE]));
            const privileged = await create({ runtimeClassName: cls, privilegedInit: true });
            assert.strictEqual(privileged.status, 403);
            assert.strictEqual(privileged.body.message, denied(`pod-${seq}`, [PRIVILEGED_RULE]));
            const hostPath = await create({ runtimeClassName: cls, hostPath: "/var/lib/kubelet" });
            assert.strictEqual(hostPath.status, 403);
            assert.strictEqual(hostPath.body.message, denied(`pod-${seq}`, [HOST_PATH_RULE]));
            const all = await create({ runtimeClassName: cls, hostNetwork: true, privilegedInit: true, hostPath: "/" });
            assert.strictEqual(all.body.message, denied(`pod-${seq}`, [HOST_NAMESPACES_RULE, PRIVILEGED_RULE, HOST_PATH_RULE]));
        }
    });

    it("admits kata-deploy's DaemonSet pod in its exempt namespace and lets it reach nodes still starting up", async () => {
        const [kataDeploy] = plan.helm;
        const namespace: string = kataDeploy.release.namespace;
        const daemonPod: PodOptions = {
            nodeSelector: kataDeploy.values.nodeSelector,
            tolerations: kataDeploy.values.tolerations,
            privilegedInit: true,
            ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: kataDeploy.release.name, uid: "00000000-0000-0000-0000-000000000001", controller: true }],
        };
        const admitted = await create({ ...daemonPod, nodeSelector: { ...daemonPod.nodeSelector, "kubernetes.io/hostname": "kata-starting-1" } }, namespace);
        assert.strictEqual(admitted.status, 201, admitted.body?.message);
        assert.strictEqual(await waitBound(cp.admin, namespace, admitted.body.metadata.name), "kata-starting-1");
        // The same pod outside an exempt namespace is what invariant 4 forbids.
        const elsewhere = await create(daemonPod);
        assert.strictEqual(elsewhere.status, 403);
        assert.strictEqual(elsewhere.body.message, denied(`pod-${seq}`, [toleration()]));
    });

    it("admits node agents tolerating every taint in kube-system and the stack's exempt namespaces, and lets them reach sandbox nodes", async () => {
        const stackFile = YAML.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "stacks", `Pulumi.${stack}.yaml`), "utf8"));
        const exempt: string[] = ["kube-system", ...(stackFile.config["sandbox:admissionExemptNamespaces"] ?? [])];
        const agent: PodOptions = {
            tolerations: [{ operator: "Exists" }],
            ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "node-agent", uid: "00000000-0000-0000-0000-000000000002", controller: true }],
        };
        for (const ns of exempt) {
            if (ns !== "kube-system") await createNamespace(cp.admin, ns);
            else await ensureDefaultServiceAccount(cp.admin, ns);
            for (const node of [...nodesOf(NodeRole.Gvisor), "kata-starting-1"]) {
                const res = await create({ ...agent, nodeSelector: { "kubernetes.io/hostname": node } }, ns);
                assert.strictEqual(res.status, 201, `${ns}: ${res.body?.message}`);
                assert.strictEqual(await waitBound(cp.admin, ns, res.body.metadata.name), node);
            }
        }
    });

    it("sets spec.overhead from the RuntimeClass of each sandbox pod", async () => {
        const classes = ofKind(plan, "RuntimeClass");
        assert.ok(classes.some((rc) => rc.overhead?.podFixed?.memory), "the Kata classes declare an overhead");
        for (const rc of classes) {
            const res = await create({ runtimeClassName: rc.metadata.name });
            assert.strictEqual(res.status, 201, res.body?.message);
            assert.deepStrictEqual(res.body.spec.overhead, rc.overhead?.podFixed, rc.metadata.name);
        }
    });

    it("enforces a namespace's required runtime", async () => {
        const ns = "requires-gvisor";
        await createNamespace(cp.admin, ns, { [keys.requireRuntime]: "gvisor" });
        const gvisor = await create({ runtimeClassName: "gvisor" }, ns);
        assert.strictEqual(gvisor.status, 201, gvisor.body?.message);
        assert.ok(nodesOf(NodeRole.Gvisor).includes(await waitBound(cp.admin, ns, gvisor.body.metadata.name)));
        for (const o of [{}, { runtimeClassName: "kata" }]) {
            const res = await create(o, ns);
            assert.strictEqual(res.status, 403);
            assert.strictEqual(res.body.message, denied(`pod-${seq}`, [namespaceRuntimeRule("gvisor", keys.requireRuntime)], ns));
        }
    });

    it("admits each verification Job's pod (restricted Pod Security, guard on) and binds it to its runtime's nodes", async () => {
        for (const job of ofKind(plan, "Job")) {
            const tmpl = job.spec.template;
            const pod: KubeObject = {
                apiVersion: "v1",
                kind: "Pod",
                metadata: { name: `${job.metadata.name}-pod`, namespace: job.metadata.namespace, labels: tmpl.metadata?.labels },
                spec: tmpl.spec,
            };
            const res = await cp.admin.create(pod);
            assert.strictEqual(res.status, 201, `${job.metadata.name}: ${res.body?.message}`);
            const node = await waitBound(cp.admin, job.metadata.namespace!, pod.metadata.name);
            const want = tmpl.spec.runtimeClassName === "gvisor" ? nodesOf(NodeRole.Gvisor) : nodesOf(NodeRole.KataReady);
            assert.ok(want.includes(node), `${job.metadata.name} bound to ${node}`);
        }
    });
});
