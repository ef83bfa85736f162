// The real-cluster harness itself (test/support/realCluster.ts): its nodes register with the
// stamp the component renders for an EKS gVisor pool, run real pods under gVisor and runc, and
// leave the host as they found it (sysctls, node paths under /var/log, /var/lib and /run,
// processes, cgroups).
import { strict as assert } from "assert";
import * as fs from "fs";
import { Cloud, Runtime, nodeStamp } from "../../../components/isolation";
import { plannedRuntimeClasses } from "../../../components/kubernetes/runtimeClasses";
import { resolveArgs } from "../../../components/kubernetes/sandboxRuntimesArgs";
import { RealCluster, requireRealCluster } from "../../support/realCluster";

const SYSCTLS = ["vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic", "kernel/panic_on_oops", "kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes"];
/** Where a kubelet, containerd's CNI and runc write on a real node; other runs on this machine do not. */
const NODE_PATHS = ["/var/log/pods", "/var/log/containers", "/var/lib/kubelet", "/var/lib/cni", "/run/containerd/runsc", "/run/runc"];
const hostState = () => ({
    sysctls: Object.fromEntries(SYSCTLS.map((s) => [s, fs.readFileSync(`/proc/sys/${s}`, "utf8")])),
    nodePaths: NODE_PATHS.filter((p) => fs.existsSync(p)),
});

describe("real cluster harness (kubelet + containerd nodes in namespaces of their own)", function () {
    this.timeout(600_000);
    let cluster: RealCluster;
    let before0: ReturnType<typeof hostState>;

    before(async function () {
        const bin = requireRealCluster(this);
        before0 = hostState();
        cluster = await RealCluster.start(bin);
        const gvisor = plannedRuntimeClasses(resolveArgs({ cloud: Cloud.Aws, gvisor: {} }))[0];
        await cluster.admin.apply({ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: gvisor.name }, handler: gvisor.handler, scheduling: gvisor.scheduling });
        await cluster.admin.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "harness" } });
    });

    after(async () => {
        await cluster?.stop();
    });

    it("registers the sandbox node with exactly the EKS gVisor pool's labels and taints, and the general node with none", async () => {
        const stamp = nodeStamp(Runtime.Gvisor, Cloud.Aws);
        const sandbox = await cluster.admin.get("v1", "Node", "sandbox-gvisor-0");
        for (const [k, v] of Object.entries(stamp.labels)) assert.equal(sandbox.metadata.labels[k], v);
        assert.deepEqual(sandbox.spec.taints.map((t: any) => ({ key: t.key, value: t.value, effect: t.effect })), stamp.taints);
        const general = await cluster.admin.get("v1", "Node", "general-0");
        assert.equal(general.spec.taints, undefined);
        assert.ok(!Object.keys(general.metadata.labels).some((k) => k.startsWith("sandbox-clusters.io/")));
    });

    it("runs a gvisor pod on the sandbox node under gVisor and a plain pod on the general node under runc", async () => {
        const g = await cluster.runPod({ name: "g", namespace: "harness", runtimeClassName: "gvisor", command: ["sh", "-c", "dmesg | head -2; uname -r"] });
        assert.equal(g.phase, "Succeeded");
        assert.equal(g.node, "sandbox-gvisor-0");
        assert.match(g.log, /Starting gVisor/);
        assert.ok(g.runningMs === undefined || g.runningMs <= g.doneMs);
        const r = await cluster.runPod({ name: "r", namespace: "harness", command: ["uname", "-r"] });
        assert.equal(r.phase, "Succeeded");
        assert.equal(r.node, "general-0");
        assert.equal(r.log.trim(), fs.readFileSync("/proc/sys/kernel/osrelease", "utf8").trim());
    });

    it("reports a failing container as Failed, with its log", async () => {
        const f = await cluster.runPod({ name: "f", namespace: "harness", command: ["sh", "-c", "echo broken; exit 3"] });
        assert.equal(f.phase, "Failed");
        assert.equal(f.log, "broken\n");
    });

    it("stops without leaving processes, cgroups or directories, and the host's sysctls and node paths (/var/log/pods, /var/lib/kubelet, ...) as they were", async () => {
        const pids = cluster.nodes.map((n) => n.pid);
        const dir = cluster.dir;
        const cgroupName = dir.split("/").pop()!;
        await cluster.stop();
        for (const pid of pids) assert.throws(() => process.kill(pid, 0));
        assert.ok(!fs.existsSync(dir));
        const leftCgroups = fs.readdirSync("/sys/fs/cgroup").filter((h) => fs.existsSync(`/sys/fs/cgroup/${h}/${cgroupName}`));
        assert.deepEqual(leftCgroups, []);
        assert.deepEqual(hostState(), before0);
    });
});
