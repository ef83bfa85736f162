// The real-cluster harness itself (test/support/realCluster.ts): its nodes register with the
// stamp the component renders for an EKS gVisor or Kata pool, run real pods under gVisor and
// runc, give node agents what a real node gives them (the API server in-cluster, a registry to
// pull from, a kubelet that can die), and leave the host as they found it (sysctls, node paths
// under /var/log, /var/lib, /run, /etc and /opt, processes, cgroups).
import { strict as assert } from "assert";
import * as fs from "fs";
import { Cloud, Runtime, nodeStamp } from "../../../components/isolation";
import { plannedRuntimeClasses } from "../../../components/kubernetes/runtimeClasses";
import { resolveArgs } from "../../../components/kubernetes/sandboxRuntimesArgs";
import { sleep } from "../../support/kubeControlPlane";
import { kataStandInImages } from "../../support/kataStandIn";
import { ChartRegistry, startChartRegistry } from "../../support/ociChartRegistry";
import { NodeKind, RealCluster, requireRealCluster } from "../../support/realCluster";
import { requireToolBinary } from "../../support/realParts";

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

    it("stops without leaving processes (nodes and their NetworkPolicy enforcers), cgroups or directories, and the host's sysctls and node paths (/var/log/pods, /var/lib/kubelet, ...) as they were", async () => {
        const pids = [...cluster.nodes.map((n) => n.pid), ...cluster.enforcers.map((e) => e.pid)];
        assert.equal(cluster.enforcers.length, cluster.nodes.length);
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

describe("real cluster harness for node agents: a Kata pool node, the API server in-cluster, a registry mirror, a kubelet that dies", function () {
    this.timeout(600_000);
    const MIRRORED = "registry.example.test";
    let cluster: RealCluster;
    let registry: ChartRegistry;
    let scratch: string;
    let digest: string;

    before(async function () {
        const bin = requireRealCluster(this);
        const kubectl = requireToolBinary(this, "kubectl", "kubectl");
        scratch = fs.mkdtempSync("/tmp/sandbox-clusters-harness-");
        registry = await startChartRegistry(scratch);
        digest = registry.publishImage("tools/kubectl", "1", kataStandInImages(scratch, kubectl).kubectl);
        cluster = await RealCluster.start(bin, {
            nodes: [{ name: "general-0", kind: NodeKind.General }, { name: "kata-0", kind: NodeKind.Kata }],
            registry: { host: registry.host, socket: registry.socket, certFile: registry.certFile, mirrors: [MIRRORED] },
        });
        await cluster.admin.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "agents" } });
        await cluster.admin.ok("POST", "/api/v1/namespaces/agents/serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "agent" } });
    });

    after(async () => {
        await cluster?.stop();
        await registry?.close();
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    const agentPod = (name: string, command: string[], extra: Record<string, unknown> = {}) =>
        cluster.runPod({
            name,
            namespace: "agents",
            image: `${MIRRORED}/tools/kubectl:1`,
            command,
            spec: { serviceAccountName: "agent", automountServiceAccountToken: true, containers: [{ name: "main", image: `${MIRRORED}/tools/kubectl:1`, imagePullPolicy: "Always", command }], ...extra },
        });

    it("registers the Kata node with the EKS Kata pool's labels and taints, its startup taint included", async () => {
        const stamp = nodeStamp(Runtime.Kata, Cloud.Aws);
        assert.ok(stamp.startupTaints.length > 0);
        const kata = await cluster.admin.get("v1", "Node", "kata-0");
        for (const [k, v] of Object.entries(stamp.labels)) assert.equal(kata.metadata.labels[k], v);
        assert.deepEqual(kata.spec.taints.map((t: any) => ({ key: t.key, value: t.value, effect: t.effect })), stamp.taints);
    });

    it("pulls an image of a mirrored registry from the loopback registry by its reference (imagePullPolicy Always), and the pod reaches the API server with its service account, which RBAC judges", async () => {
        const denied = await agentPod("denied", ["kubectl", "get", "nodes", "-o", "name"]);
        assert.equal(denied.node, "general-0");
        assert.equal(denied.pod.status.containerStatuses[0].imageID, `${MIRRORED}/tools/kubectl@${digest}`);
        assert.equal(denied.phase, "Failed");
        assert.match(denied.log, /forbidden: User "system:serviceaccount:agents:agent" cannot list resource "nodes"/);
        await cluster.admin.ok("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", {
            apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "harness-node-reader" },
            rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["list"] }],
        });
        await cluster.admin.ok("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
            apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "harness-node-reader" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "harness-node-reader" },
            subjects: [{ kind: "ServiceAccount", name: "agent", namespace: "agents" }],
        });
        const allowed = await agentPod("allowed", ["kubectl", "get", "nodes", "-o", "name"]);
        assert.equal(allowed.phase, "Succeeded", allowed.log);
        assert.deepEqual(allowed.log.trim().split("\n").sort(), ["node/general-0", "node/kata-0"]);
    });

    it("keeps a node agent's hostPath writes under /etc and /opt inside the node", async () => {
        const run = await cluster.runPod({
            name: "hostpaths",
            namespace: "agents",
            command: ["sh", "-c", "echo x > /host-opt/probe && echo x > /host-etc/probe"],
            spec: {
                volumes: [
                    { name: "opt", hostPath: { path: "/opt/sandbox-clusters-harness-probe", type: "DirectoryOrCreate" } },
                    { name: "etc", hostPath: { path: "/etc/sandbox-clusters-harness-probe" } },
                ],
                containers: [{ name: "main", image: cluster.testImage, imagePullPolicy: "Never", command: ["sh", "-c", "echo x > /host-opt/probe && echo x > /host-etc/probe"], volumeMounts: [{ name: "opt", mountPath: "/host-opt" }, { name: "etc", mountPath: "/host-etc" }] }],
            },
        });
        assert.equal(run.phase, "Succeeded", run.log);
        assert.ok(!fs.existsSync("/opt/sandbox-clusters-harness-probe"));
        assert.ok(!fs.existsSync("/etc/sandbox-clusters-harness-probe"));
    });

    it("stopKubelet() leaves the node NotReady while its containers go on", async () => {
        const node = cluster.node("general-0");
        node.stopKubelet();
        const deadline = Date.now() + 180_000;
        let ready = "True";
        while (Date.now() < deadline && ready === "True") {
            const n = await cluster.admin.get("v1", "Node", "general-0");
            ready = n.status.conditions.find((c: any) => c.type === "Ready")?.status;
            if (ready === "True") await sleep(1000);
        }
        assert.notEqual(ready, "True");
        assert.ok(node.running, "the node's init ended with its kubelet");
    });
});
