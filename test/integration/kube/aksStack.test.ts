// The AKS stack `azure-dev` on a real kube-apiserver and kube-scheduler: its Kata nodes carry
// exactly the labels and taints of the agent pool the plan declares (Pod Sandboxing's spot pool,
// with the spot taint AKS adds), AKS's own class `kata-vm-isolation` is not the package's, and no
// kata-deploy runs. As in gkeStack.test.ts, every expectation is read from what the plan wrote.
import * as assert from "assert";
import { AKS_SPOT_TAINT, Cloud, Taint, TaintEffect, formatTaint, nodeStamp, Runtime } from "../../../components/isolation";
import { ControlPlane, requireBinaries } from "../../support/kubeControlPlane";
import { GuardPair, guardFor, warningMessage } from "../../support/kubeGuard";
import { guardMessage, tolerationRule } from "../../support/guardMessages";
import { NodeRole, NodeSpec } from "../../support/kubeNodes";
import { PodOptions, podObject, waitBound } from "../../support/kubePods";
import { StackPlan, ofKind, planStack, startWithPlan } from "../../support/kubeStack";

const STACK = "azure-dev";
const APPS = "apps";
const AGENT_POOL = "azure-native:containerservice:AgentPool";

/** An AKS taint as agent pools spell it, `key=value:Effect`. */
function parseTaint(s: string): Taint {
    const m = /^([^=]+)=([^:]*):(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(s);
    if (!m) throw new Error(`not an AKS taint: ${s}`);
    return { key: m[1], value: m[2], effect: m[3] as TaintEffect };
}

describe(`AKS stack ${STACK} on a real kube-apiserver and kube-scheduler`, function () {
    this.timeout(180_000);
    let cp: ControlPlane;
    let plan: StackPlan;
    let pods: GuardPair;
    let nodes: NodeSpec[];
    let seq = 0;
    const create = (o: PodOptions = {}) => cp.admin.create(podObject(`pod-${++seq}`, APPS, o));
    const classes = () => ofKind(plan, "RuntimeClass").map((c) => c.metadata.name);

    before(async function () {
        const bin = requireBinaries(this);
        plan = planStack(STACK);
        const pools = plan.cloud.filter((r) => r.type === AGENT_POOL);
        assert.strictEqual(pools.length, 1, `agent pools: ${pools.map((p) => p.name).join(", ")}`);
        const planned = { labels: pools[0].inputs.nodeLabels, taints: (pools[0].inputs.nodeTaints as string[]).map(parseTaint) };
        nodes = [
            { name: "general-1", role: NodeRole.General, cloud: Cloud.Azure },
            { name: "kata-1", role: NodeRole.KataReady, cloud: Cloud.Azure, planned },
            { name: "kata-2", role: NodeRole.KataReady, cloud: Cloud.Azure, planned },
        ];
        pods = guardFor(plan, "", "pods");
        cp = await startWithPlan(bin, plan, nodes, APPS);
    });
    after(async () => {
        await cp?.stop();
    });

    it("plans a spot Pod Sandboxing pool stamped by the contract, with the spot taint AKS adds", () => {
        const [pool] = plan.cloud.filter((r) => r.type === AGENT_POOL);
        const stamp = nodeStamp(Runtime.Kata, Cloud.Azure);
        assert.deepStrictEqual([pool.inputs.workloadRuntime, pool.inputs.osSKU, pool.inputs.scaleSetPriority], ["KataVmIsolation", "AzureLinux", "Spot"]);
        assert.deepStrictEqual(pool.inputs.nodeLabels, stamp.labels);
        assert.deepStrictEqual(pool.inputs.nodeTaints, [...stamp.taints, AKS_SPOT_TAINT].map(formatTaint));
    });

    it("creates kata and kata-clh on AKS's handler, leaves kata-vm-isolation to AKS and installs no kata-deploy", () => {
        assert.deepStrictEqual(classes().sort(), ["kata", "kata-clh"]);
        for (const rc of ofKind(plan, "RuntimeClass")) assert.strictEqual(rc.handler, "kata", rc.metadata.name);
        assert.deepStrictEqual(plan.helm, []);
    });

    it("binds every Kata class's pods only to the pool's nodes, spot taint and all", async () => {
        const kata = nodes.filter((n) => n.planned).map((n) => n.name);
        for (const name of classes()) {
            for (let i = 0; i < 4; i++) {
                const res = await create({ runtimeClassName: name });
                assert.strictEqual(res.status, 201, res.body?.message);
                assert.ok(kata.includes(await waitBound(cp.admin, APPS, res.body.metadata.name)), name);
            }
        }
    });

    it("never binds a plain pod to a Kata node, even one that tolerates spot", async () => {
        for (let i = 0; i < 4; i++) {
            const res = await create({ tolerations: [{ key: AKS_SPOT_TAINT.key, operator: "Exists" }] });
            assert.strictEqual(res.status, 201, res.body?.message);
            assert.strictEqual(await waitBound(cp.admin, APPS, res.body.metadata.name), "general-1");
        }
    });

    it("in Warn mode admits a pod tolerating the Kata taint without a sandbox class, warning that AKS's classes count as sandbox classes too", async () => {
        const stamp = nodeStamp(Runtime.Kata, Cloud.Azure);
        const tolerations = [{ key: stamp.taints[0].key, operator: "Exists" }];
        let res = await create({ tolerations });
        // Eventually: the API server loads the policy asynchronously.
        for (let i = 0; i < 150 && res.warnings.length === 0; i++) {
            await new Promise((r) => setTimeout(r, 200));
            res = await create({ tolerations });
        }
        assert.strictEqual(res.status, 201, res.body?.message);
        for (const b of ofKind(plan, "ValidatingAdmissionPolicyBinding")) assert.deepStrictEqual(b.spec.validationActions, ["Warn"], b.metadata.name);
        assert.deepStrictEqual(res.warnings, [warningMessage(pods, guardMessage(APPS, tolerationRule(APPS, [...classes(), "kata-vm-isolation", "kata-mshv-vm-isolation"])))]);
    });
});
