import * as assert from "assert";
import { eksKarpenterPoolArgs, sandboxRuntimesArgs } from "../../../stacks/componentArgs";
import { parseStackConfig } from "../../../stacks/config";
import { problems, ok } from "../../support/configResult";

const ADOPTED = {
    "aws:region": "us-east-1",
    "sandbox:cloud": "aws",
    "sandbox:clusterMode": "adopt",
    "sandbox:clusterName": "apps",
    "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"],
    "sandbox:karpenterVersion": "1.13.1",
};
const KATA = { name: "kata", runtime: "kata", provisioner: "karpenter" };
const GVISOR = { name: "gvisor", runtime: "gvisor", provisioner: "karpenter", instanceFamilies: ["m7i"] };



describe("stack config: pools with provisioner karpenter", () => {
    it("reads Karpenter pools without sizes or instance types and hands their fields to EksSandboxKarpenterPool", () => {
        const c = ok(parseStackConfig({ ...ADOPTED, "sandbox:pools": [GVISOR, { ...KATA, kataVirtualization: "metal", instanceFamilies: ["m7i"] }] }, "k"));
        assert.strictEqual(c.karpenterVersion, "1.13.1");
        assert.deepStrictEqual(c.pools.map((p) => p.provisioner), ["karpenter", "karpenter"]);
        const args = eksKarpenterPoolArgs(c, c.pools[1], { clusterName: "apps", eks: { subnetIds: c.aws!.subnetIds! } });
        assert.deepStrictEqual(
            { v: args.karpenterVersion, k: args.kataVirtualization, f: args.instanceFamilies, s: args.subnetIds, n: args.nodePoolName },
            { v: "1.13.1", k: "metal", f: ["m7i"], s: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"], n: "kata" },
        );
    });

    it("keeps node groups the default provisioner, and lets both kinds share a stack", () => {
        const c = ok(parseStackConfig({ ...ADOPTED, "sandbox:pools": [{ name: "ng", runtime: "gvisor", instanceTypes: ["m7i.xlarge"] }, KATA] }, "k"));
        assert.deepStrictEqual(c.pools.map((p) => p.provisioner), [undefined, "karpenter"]);
    });

    it("hands a pool's limits to its NodePool, and names bad ones under the pool's key", () => {
        const c = ok(parseStackConfig({ ...ADOPTED, "sandbox:pools": [{ ...KATA, limits: { cpu: 256, memory: "1Ti" } }] }, "k"));
        assert.deepStrictEqual(eksKarpenterPoolArgs(c, c.pools[0], { clusterName: "apps", eks: { subnetIds: c.aws!.subnetIds! } }).limits, { cpu: "256", memory: "1Ti" });
        assert.deepStrictEqual(problems(parseStackConfig({ ...ADOPTED, "sandbox:pools": [{ ...KATA, limits: { gpu: "4", cpu: "lots" } }] }, "k")), [
            "sandbox:pools[0].limits.gpu: unknown key (known: cpu, memory)",
            'sandbox:pools[0].limits.cpu: "lots" is not a Kubernetes quantity such as "64" or "256Gi"',
        ]);
        assert.deepStrictEqual(problems(parseStackConfig({ ...ADOPTED, "sandbox:pools": [{ name: "ng", runtime: "gvisor", instanceTypes: ["m7i.xlarge"], limits: { cpu: "8" } }] }, "k")).filter((l) => l.includes("limits")), [
            'sandbox:pools[0].limits: only applies to provisioner "karpenter"',
        ]);
    });

    it("rejects an unknown provisioner, naming the pool's key", () => {
        assert.deepStrictEqual(problems(parseStackConfig({ ...ADOPTED, "sandbox:pools": [{ ...KATA, provisioner: "autoscaler" }] }, "k")).filter((l) => l.includes("provisioner")), [
            'sandbox:pools[0].provisioner: must be one of nodegroup, karpenter (got "autoscaler")',
        ]);
    });

    it("rejects node-group sizes on a Karpenter pool and Karpenter fields on a node group", () => {
        const lines = problems(parseStackConfig({
            ...ADOPTED,
            "sandbox:pools": [
                { ...KATA, minSize: 1, maxSize: 3 },
                { name: "ng", runtime: "kata", instanceTypes: ["m8i.large"], kataVirtualization: "nested" },
            ],
        }, "k"));
        assert.deepStrictEqual(lines, [
            'sandbox:pools[0].minSize: does not apply to provisioner "karpenter": Karpenter launches nodes as pending pods need them and removes empty ones',
            'sandbox:pools[0].maxSize: does not apply to provisioner "karpenter": Karpenter launches nodes as pending pods need them and removes empty ones',
            'sandbox:pools[1].kataVirtualization: only applies to provisioner "karpenter"',
        ]);
    });

    it("requires sandbox:karpenterVersion with a Karpenter pool, and refuses it without one", () => {
        const { "sandbox:karpenterVersion": _v, ...noVersion } = ADOPTED;
        assert.deepStrictEqual(problems(parseStackConfig({ ...noVersion, "sandbox:pools": [KATA] }, "k")), [
            'sandbox:karpenterVersion: required while a pool\'s provisioner is "karpenter" (sandbox:pools[0].provisioner): the version of the Karpenter running in the cluster, e.g. "1.13.1"',
        ]);
        assert.deepStrictEqual(problems(parseStackConfig({ ...ADOPTED, "sandbox:pools": [{ name: "ng", runtime: "gvisor", instanceTypes: ["m7i.xlarge"] }] }, "k")), [
            'sandbox:karpenterVersion: no pool in sandbox:pools has provisioner "karpenter"',
        ]);
    });

    it("refuses Karpenter pools on a cluster the program creates, where no Karpenter runs yet", () => {
        const { "sandbox:clusterMode": _m, "sandbox:clusterName": _n, "sandbox:subnetIds": _s, ...created } = ADOPTED;
        assert.deepStrictEqual(problems(parseStackConfig({ ...created, "sandbox:pools": [KATA] }, "k")), [
            'sandbox:pools[0].provisioner: "karpenter" needs sandbox:clusterMode adopt: Karpenter is yours to install, into a cluster that exists before its pools',
        ]);
    });

    it("reports the pool component's own refusals under the stack's keys", () => {
        const lines = problems(parseStackConfig({
            ...ADOPTED,
            "sandbox:karpenterVersion": "1.12.0",
            "sandbox:pools": [{ ...KATA, instanceFamilies: ["m7i"] }, { ...KATA, name: "arm", architecture: "arm64", kataVirtualization: "nested" }],
        }, "k"));
        assert.deepStrictEqual(lines, [
            'sandbox:karpenterVersion: Karpenter 1.12.0 cannot enable nested virtualization: EC2NodeClass spec.cpuOptions.nestedVirtualization first appears in 1.13.0; upgrade Karpenter or use bare-metal types (kataVirtualization: "metal")',
            "sandbox:pools[0].instanceFamilies[0]: m7i does not support nested virtualization, which Kata needs here; use c8i, c8i-flex, m8i, m8i-flex, r8i, r8i-flex, or kataVirtualization \"metal\" with a bare-metal family",
            'sandbox:pools[1].kataVirtualization: nested virtualization needs x86_64 (Intel C8i/M8i/R8i); Kata on arm64 runs on bare-metal Graviton only (kataVirtualization: "metal")',
        ]);
    });
});

describe("stack config: sandbox:agentSandbox", () => {
    const IMAGE = "ghcr.io/example/agent@sha256:" + "b".repeat(64);

    it("hands image, homes, warm pools and the token choice to SandboxRuntimes", () => {
        const c = ok(parseStackConfig({ ...ADOPTED, "sandbox:pools": [GVISOR], "sandbox:agentSandbox": { image: IMAGE, namespaces: { gvisor: "ai" }, warmPools: { gvisor: "2" }, automountServiceAccountToken: true } }, "k"));
        assert.deepStrictEqual(sandboxRuntimesArgs(c).agentSandbox, { image: IMAGE, namespaces: { gvisor: "ai" }, warmPools: { gvisor: 2 }, automountServiceAccountToken: true });
    });

    it("names unknown keys, a missing image and SandboxRuntimes' refusals under sandbox:agentSandbox", () => {
        assert.deepStrictEqual(problems(parseStackConfig({ ...ADOPTED, "sandbox:pools": [GVISOR], "sandbox:agentSandbox": { replicas: 2 } }, "k")), [
            "sandbox:agentSandbox.replicas: unknown key (known: image, namespaces, createNamespaces, warmPools, automountServiceAccountToken)",
            "sandbox:agentSandbox.image: required",
        ]);
        assert.deepStrictEqual(problems(parseStackConfig({ ...ADOPTED, "sandbox:pools": [GVISOR], "sandbox:agentSandbox": { image: IMAGE, warmPools: { kata: 1 } } }, "k")), [
            'sandbox:agentSandbox.warmPools["kata"]: "kata" is not a sandbox RuntimeClass of the cluster (gvisor)',
        ]);
    });
});

describe("offline plan of Karpenter pools", () => {
    it("shows each pool's NodePool requirements, limits and capacity type where node groups show instance types and sizes", async function () {
        this.timeout(30_000);
        const { plan } = await import("../../../plan/runPlan");
        const r = await plan("k", { ...ADOPTED, "sandbox:pools": [GVISOR, { ...KATA, spot: true, limits: { cpu: "32", memory: "128Gi" } }] });
        assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
        const pools = Object.fromEntries(r.pools.map((p) => [p.name, p]));
        assert.deepStrictEqual(pools.gvisor.karpenter, {
            requirements: ["kubernetes.io/arch In amd64", "kubernetes.io/os In linux", "karpenter.sh/capacity-type In on-demand", "karpenter.k8s.aws/instance-family In m7i"],
            limits: { cpu: "64" },
        });
        assert.strictEqual(pools.gvisor.size, undefined);
        assert.deepStrictEqual([pools.kata.capacity, pools.kata.karpenter?.limits], ["spot", { cpu: "32", memory: "128Gi" }]);
        assert.ok(pools.kata.karpenter!.requirements.includes("karpenter.sh/capacity-type In spot"), pools.kata.karpenter!.requirements.join("; "));
        const gvisorLines = r.text.slice(r.text.indexOf("\n  gvisor\n"), r.text.indexOf("\n  kata\n"));
        assert.match(gvisorLines, /\n {4}instance types: chosen by Karpenter within the requirements\n {4}requirements: {3}kubernetes\.io\/arch In amd64; kubernetes\.io\/os In linux; karpenter\.sh\/capacity-type In on-demand; karpenter\.k8s\.aws\/instance-family In m7i\n {4}limits: {9}cpu=64\n {4}capacity: {7}on-demand\n/);
    });
});
