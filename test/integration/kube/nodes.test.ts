import * as assert from "assert";
import { Cloud, Runtime, nodeStamp } from "../../../components/isolation";
import { ControlPlane, requireBinaries } from "../../support/kubeControlPlane";
import { NodeRole, NodeSpec, ensureDefaultServiceAccount, registerNode } from "../../support/kubeNodes";
import { podObject, waitBound, waitScheduled } from "../../support/kubePods";

const NODES: NodeSpec[] = [
    { name: "general-1", role: NodeRole.General, cloud: Cloud.Aws },
    { name: "general-2", role: NodeRole.General, cloud: Cloud.Aws },
    { name: "gvisor-1", role: NodeRole.Gvisor, cloud: Cloud.Aws },
    { name: "kata-1", role: NodeRole.KataReady, cloud: Cloud.Aws },
    { name: "kata-starting-1", role: NodeRole.KataStarting, cloud: Cloud.Aws },
];
const NS = "default";

describe("sandbox node stamps on a real kube-apiserver and kube-scheduler", function () {
    this.timeout(120_000);
    let cp: ControlPlane;

    before(async function () {
        const bin = requireBinaries(this);
        cp = await ControlPlane.start(bin);
        for (const n of NODES) await registerNode(cp.admin, n);
        await ensureDefaultServiceAccount(cp.admin, NS);
    });
    after(async () => {
        await cp?.stop();
    });

    it("stores each node with exactly the labels and taints its pool stamps", async () => {
        const gvisor = await cp.admin.get("v1", "Node", "gvisor-1");
        const stamp = nodeStamp(Runtime.Gvisor, Cloud.Aws);
        assert.deepStrictEqual(gvisor.spec.taints, stamp.taints);
        for (const [k, v] of Object.entries(stamp.labels)) assert.strictEqual(gvisor.metadata.labels[k], v);
        const starting = await cp.admin.get("v1", "Node", "kata-starting-1");
        assert.deepStrictEqual(starting.spec.taints, nodeStamp(Runtime.Kata, Cloud.Aws).taints);
    });

    it("never binds a plain pod to a sandbox node", async () => {
        const names = Array.from({ length: 8 }, (_, i) => `plain-${i}`);
        for (const n of names) await cp.admin.ok("POST", `/api/v1/namespaces/${NS}/pods`, podObject(n, NS));
        const nodes = await Promise.all(names.map((n) => waitBound(cp.admin, NS, n)));
        for (const node of nodes) assert.match(node, /^general-/);
    });

    it("keeps a plain pod pinned to a gVisor node off it because of the runtime taint alone", async () => {
        const pinned = { "kubernetes.io/hostname": "gvisor-1" };
        await cp.admin.ok("POST", `/api/v1/namespaces/${NS}/pods`, podObject("pinned", NS, { nodeSelector: pinned }));
        const result = await waitScheduled(cp.admin, NS, "pinned");
        assert.strictEqual(result.bound, false);
        assert.match((result as { message: string }).message, /^0\/5 nodes are available: .*3 node\(s\) had untolerated taint/);

        // Control: the same pod with the stamp's toleration lands there, so the taint was the barrier.
        const taint = nodeStamp(Runtime.Gvisor, Cloud.Aws).taints[0];
        const tolerations = [{ key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect }];
        await cp.admin.ok("POST", `/api/v1/namespaces/${NS}/pods`, podObject("pinned-tolerating", NS, { nodeSelector: pinned, tolerations }));
        assert.strictEqual(await waitBound(cp.admin, NS, "pinned-tolerating"), "gvisor-1");
    });
});
