// Placement of pods that name a cloud-owned RuntimeClass, on a real kube-apiserver 1.36 and
// kube-scheduler: the MutatingAdmissionPolicy of classPlacement.ts gives every such pod the
// pool's toleration and node selector, so it lands only on the pool's tainted nodes, as the
// class's own scheduling would place it. The classes are applied by the test the way EKS
// documents its Nitro Sandbox classes: by name only (their handler and scheduling are not
// documented, so the handler here is a stand-in and the classes carry no scheduling).
import * as assert from "assert";
import { Cloud, TaintEffect, Toleration } from "../../../components/isolation";
import { classPlacementObjects } from "../../../components/kubernetes/classPlacement";
import { ControlPlane, requireBinaries } from "../../support/kubeControlPlane";
import { NodeRole, createNamespace, registerNode } from "../../support/kubeNodes";
import { podObject, waitBound } from "../../support/kubePods";

const KEY = "sandbox-clusters.io/runtime";
const TOLERATION: Toleration = { key: KEY, operator: "Equal", value: "nitro", effect: TaintEffect.NoSchedule };
const PLACED = ["isolated-sandbox", "confidential-sandbox"];
const APPS = "apps";
const { policy, binding } = classPlacementObjects({
    name: "sandbox-clusters-test-placement",
    classes: PLACED,
    scheduling: { nodeSelector: { [KEY]: "nitro" }, tolerations: [TOLERATION] },
    labels: { "app.kubernetes.io/managed-by": "sandbox-clusters" },
});

describe("Pods of cloud-owned RuntimeClasses are placed on the pool by a MutatingAdmissionPolicy (real kube-apiserver)", function () {
    this.timeout(180_000);
    let cp: ControlPlane;
    let seq = 0;
    const create = (o: Parameters<typeof podObject>[2] = {}) => cp.admin.create(podObject(`pod-${++seq}`, APPS, o));
    const ours = (tolerations: any[] | undefined) => (tolerations ?? []).filter((t) => t.key === KEY);

    before(async function () {
        const bin = requireBinaries(this);
        cp = await ControlPlane.start(bin);
        await registerNode(cp.admin, { name: "general-1", role: NodeRole.General, cloud: Cloud.Aws });
        await registerNode(cp.admin, {
            name: "nitro-1",
            role: NodeRole.General,
            cloud: Cloud.Aws,
            planned: { labels: { [KEY]: "nitro" }, taints: [{ key: KEY, value: "nitro", effect: TaintEffect.NoSchedule }] },
        });
        for (const name of [...PLACED, "other"]) {
            await cp.admin.apply({ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name }, handler: "stand-in" } as any);
        }
        await cp.admin.apply(policy as any);
        await cp.admin.apply(binding as any);
        await createNamespace(cp.admin, APPS);
        // The API server loads policies asynchronously: wait until a dry run shows the mutation.
        for (let i = 0; i < 150; i++) {
            const res = await cp.admin.create(podObject("probe", APPS, { runtimeClassName: PLACED[0] }), { dryRun: true });
            if (ours(res.body?.spec?.tolerations).length > 0) return;
            await new Promise((r) => setTimeout(r, 200));
        }
        throw new Error("the MutatingAdmissionPolicy never mutated a pod");
    });
    after(async () => {
        await cp?.stop();
    });

    it("gives a pod of each placed class the pool's toleration and node selector, and binds it only to the pool", async () => {
        for (const cls of PLACED) {
            for (let i = 0; i < 3; i++) {
                const res = await create({ runtimeClassName: cls });
                assert.strictEqual(res.status, 201, res.body?.message);
                assert.deepStrictEqual(ours(res.body.spec.tolerations), [TOLERATION]);
                assert.deepStrictEqual(res.body.spec.nodeSelector, { [KEY]: "nitro" });
                assert.strictEqual(await waitBound(cp.admin, APPS, res.body.metadata.name), "nitro-1");
            }
        }
    });

    it("keeps a pod's own tolerations and node selector, adding only what it lacks", async () => {
        const own = { key: "team", operator: "Exists", effect: "NoSchedule" };
        const res = await create({ runtimeClassName: PLACED[0], tolerations: [own, TOLERATION], nodeSelector: { "kubernetes.io/os": "linux" } });
        assert.strictEqual(res.status, 201, res.body?.message);
        assert.deepStrictEqual(ours(res.body.spec.tolerations), [TOLERATION], "no duplicate toleration");
        assert.ok(res.body.spec.tolerations.some((t: any) => t.key === "team"), JSON.stringify(res.body.spec.tolerations));
        assert.deepStrictEqual(res.body.spec.nodeSelector, { "kubernetes.io/os": "linux", [KEY]: "nitro" });
        assert.strictEqual(await waitBound(cp.admin, APPS, res.body.metadata.name), "nitro-1");
    });

    it("decides the pool key itself: a pod's own value for it is replaced", async () => {
        const res = await create({ runtimeClassName: PLACED[1], nodeSelector: { [KEY]: "gvisor" } });
        assert.strictEqual(res.status, 201, res.body?.message);
        assert.deepStrictEqual(res.body.spec.nodeSelector, { [KEY]: "nitro" });
        assert.strictEqual(await waitBound(cp.admin, APPS, res.body.metadata.name), "nitro-1");
    });

    it("leaves pods of other classes and plain pods alone: they never reach the pool", async () => {
        for (const o of [{ runtimeClassName: "other" }, {}]) {
            const res = await create(o);
            assert.strictEqual(res.status, 201, res.body?.message);
            assert.deepStrictEqual(ours(res.body.spec.tolerations), []);
            assert.strictEqual(res.body.spec.nodeSelector, undefined);
            assert.strictEqual(await waitBound(cp.admin, APPS, res.body.metadata.name), "general-1");
        }
    });
});
