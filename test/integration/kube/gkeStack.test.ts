// The GKE stack `dev` on a real kube-apiserver and kube-scheduler: GKE Sandbox stamps its gVisor
// nodes itself (`sandbox.gke.io/runtime`) and owns RuntimeClass `gvisor`, so the plan holds only
// the Kata classes; the guard runs in `Warn` mode for developers. As in isolation.test.ts, every
// expectation is read from the objects the plan wrote.
import * as assert from "assert";
import { Cloud, GKE_SANDBOX_RUNTIME_KEY } from "../../../components/isolation";
import { ControlPlane, requireBinaries } from "../../support/kubeControlPlane";
import { GuardPair, guardFor, warningMessage } from "../../support/kubeGuard";
import { guardMessage, tolerationRule } from "../../support/guardMessages";
import { WORKLOAD_KINDS, workload } from "../../support/workloads";
import { NodeRole, NodeSpec } from "../../support/kubeNodes";
import { PodOptions, podObject, waitBound } from "../../support/kubePods";
import { StackPlan, ofKind, planStack, startWithPlan } from "../../support/kubeStack";

const STACK = "dev";
const NODES: NodeSpec[] = [
    { name: "general-1", role: NodeRole.General, cloud: Cloud.Gcp },
    { name: "gvisor-1", role: NodeRole.Gvisor, cloud: Cloud.Gcp },
    { name: "kata-1", role: NodeRole.KataReady, cloud: Cloud.Gcp },
    { name: "kata-starting-1", role: NodeRole.KataStarting, cloud: Cloud.Gcp },
];
const nodesOf = (role: NodeRole) => NODES.filter((n) => n.role === role).map((n) => n.name);
const APPS = "apps";

describe(`GKE stack ${STACK} on a real kube-apiserver and kube-scheduler`, function () {
    this.timeout(180_000);
    let cp: ControlPlane;
    let plan: StackPlan;
    let pods: GuardPair;
    let seq = 0;
    const create = (o: PodOptions = {}) => cp.admin.create(podObject(`pod-${++seq}`, APPS, o));
    /** GKE owns class gvisor; the plan's classes are the Kata ones. */
    const toleration = () => tolerationRule(APPS, ["gvisor", ...ofKind(plan, "RuntimeClass").map((c) => c.metadata.name)]);

    before(async function () {
        const bin = requireBinaries(this);
        plan = planStack(STACK);
        pods = guardFor(plan, "", "pods");
        cp = await startWithPlan(bin, plan, NODES, APPS);
    });
    after(async () => {
        await cp?.stop();
    });

    it("leaves RuntimeClass gvisor to GKE and creates the Kata classes", () => {
        const names = ofKind(plan, "RuntimeClass").map((c) => c.metadata.name);
        assert.ok(!names.includes("gvisor"), `classes: ${names.join(", ")}`);
        assert.ok(names.includes("kata"), `classes: ${names.join(", ")}`);
    });

    it("binds every Kata class's pods only to ready Kata nodes", async () => {
        for (const rc of ofKind(plan, "RuntimeClass")) {
            for (let i = 0; i < 4; i++) {
                const res = await create({ runtimeClassName: rc.metadata.name });
                assert.strictEqual(res.status, 201, res.body?.message);
                assert.deepStrictEqual(nodesOf(NodeRole.KataReady), [await waitBound(cp.admin, APPS, res.body.metadata.name)]);
            }
        }
    });

    it("never binds a plain pod to a GKE Sandbox or Kata node", async () => {
        for (let i = 0; i < 6; i++) {
            const res = await create();
            assert.strictEqual(res.status, 201, res.body?.message);
            assert.strictEqual(await waitBound(cp.admin, APPS, res.body.metadata.name), "general-1");
        }
    });

    it("in Warn mode admits a pod tolerating GKE Sandbox's taint without a sandbox class, with the guard's warning", async () => {
        // Eventually: the API server loads the policy asynchronously.
        let res = await create({ tolerations: [{ key: GKE_SANDBOX_RUNTIME_KEY, operator: "Exists" }] });
        for (let i = 0; i < 150 && res.warnings.length === 0; i++) {
            await new Promise((r) => setTimeout(r, 200));
            res = await create({ tolerations: [{ key: GKE_SANDBOX_RUNTIME_KEY, operator: "Exists" }] });
        }
        assert.strictEqual(res.status, 201, res.body?.message);
        for (const b of ofKind(plan, "ValidatingAdmissionPolicyBinding")) assert.deepStrictEqual(b.spec.validationActions, ["Warn"], b.metadata.name);
        assert.deepStrictEqual(res.warnings, [warningMessage(pods, guardMessage(APPS, toleration()))]);
        // The toleration alone now lets it onto the GKE Sandbox node: why production stacks use Deny.
        const pinned = await create({ tolerations: [{ key: GKE_SANDBOX_RUNTIME_KEY, operator: "Exists" }], nodeSelector: { "kubernetes.io/hostname": "gvisor-1" } });
        assert.strictEqual(await waitBound(cp.admin, APPS, pinned.body.metadata.name), "gvisor-1");
    });

    it("in Warn mode admits every workload kind whose template tolerates GKE Sandbox's taint, with the pods' warning", async () => {
        for (const kind of WORKLOAD_KINDS) {
            const obj = workload(kind, `warned-${kind.resource}`, APPS, {
                containers: [{ name: "app", image: "registry.example/app:1.0" }],
                tolerations: [{ key: GKE_SANDBOX_RUNTIME_KEY, operator: "Exists" }],
            });
            const res = await cp.admin.create(obj);
            assert.strictEqual(res.status, 201, `${kind.kind}: ${res.body?.message}`);
            assert.deepStrictEqual(res.warnings, [warningMessage(guardFor(plan, kind.group, kind.resource), guardMessage(APPS, toleration()))], kind.kind);
        }
    });

    it("admits a plain pod without any warning", async () => {
        const res = await create();
        assert.strictEqual(res.status, 201);
        assert.deepStrictEqual(res.warnings, []);
    });
});
