import * as assert from "assert";
import { EksSandboxKarpenterPool } from "../../../components/aws/EksSandboxKarpenterPool";
import {
    EksSandboxKarpenterPoolArgs,
    eksSandboxKarpenterPoolProblems,
} from "../../../components/aws/eksSandboxKarpenterPoolArgs";
import { KarpenterPoolMode } from "../../../components/aws/karpenterInstances";
import { METAL_FAMILIES, METAL_SIZES, NESTED_VIRTUALIZATION_FAMILIES, instanceFamilyInfo } from "../../../components/aws/instanceCatalogue";
import { NODE_ROLE_POLICY_ARNS } from "../../../components/aws/nodeRole";
import { gvisorNodeUserData } from "../../../components/aws/userdata";
import { Cloud, nodeStamp, Runtime, TaintEffect } from "../../../components/isolation";
import { InputPropertiesError } from "../../../components/validation";
import { NameKind, physicalName } from "../../../components/names";
import { assertGolden } from "../../support/golden";
import { installMocks, reset, settle, state } from "../../support/mocks";
import { CLUSTER, GET_CLUSTER } from "../../support/eksPoolFixtures";
import {
    EC2_NODE_CLASS,
    EXAMPLE_KARPENTER_VERSION,
    KARPENTER_EXAMPLES,
    karpenterYaml,
    NODE_POOL,
    RenderedKarpenterPool,
    renderKarpenterPool,
} from "../../support/karpenterPoolFixtures";

const COMPONENT = "sandbox-clusters:index:EksSandboxKarpenterPool";
const ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry";
const PROFILE = "aws:iam/instanceProfile:InstanceProfile";

function typeCounts(r: RenderedKarpenterPool): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const x of r.resources) counts[x.type] = (counts[x.type] ?? 0) + 1;
    return counts;
}
const requirement = (r: RenderedKarpenterPool, key: string) => r.nodePool.spec.template.spec.requirements.filter((q: any) => q.key === key);
const IMDS_V2_HOP_1 = { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" };

describe("EksSandboxKarpenterPool", () => {
    describe("gVisor", () => {
        let r: RenderedKarpenterPool;
        before(async () => {
            r = await renderKarpenterPool("gv", KARPENTER_EXAMPLES["gvisor-default"]);
        });

        it("is an EC2NodeClass and a NodePool, with a node role, its worker policies and its EC2_LINUX access entry", () => {
            assert.strictEqual(r.pool.mode, KarpenterPoolMode.Gvisor);
            assert.deepStrictEqual(typeCounts(r), {
                [COMPONENT]: 1,
                "aws:iam/role:Role": 1,
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3,
                [ACCESS_ENTRY]: 1,
                [EC2_NODE_CLASS]: 1,
                [NODE_POOL]: 1,
            });
            const policies = r.resources.filter((x) => x.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.policyArn);
            assert.deepStrictEqual(policies, [...NODE_ROLE_POLICY_ARNS]);
            const entry = r.resources.find((x) => x.type === ACCESS_ENTRY)!;
            assert.deepStrictEqual([entry.inputs.type, entry.inputs.clusterName, entry.inputs.principalArn], ["EC2_LINUX", CLUSTER.name, "arn:aws:iam::000000000000:role/gv-node-role"]);
        });

        it("names the created role in the EC2NodeClass, which requires IMDSv2 with hop limit 1 and an encrypted root volume", () => {
            const spec = r.nodeClass.spec;
            assert.strictEqual(spec.role, "gv-node-role");
            assert.strictEqual(spec.instanceProfile, undefined);
            assert.deepStrictEqual(spec.metadataOptions, IMDS_V2_HOP_1);
            assert.deepStrictEqual(spec.blockDeviceMappings, [
                { deviceName: "/dev/xvda", rootVolume: true, ebs: { volumeSize: "50Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true } },
            ]);
            assert.deepStrictEqual(spec.amiSelectorTerms, [{ alias: "al2023@v20260903" }]);
            assert.strictEqual(spec.cpuOptions, undefined);
        });

        it("boots with the same gVisor user data as the managed node groups, in the cluster security group", () => {
            assert.strictEqual(r.nodeClass.spec.userData, gvisorNodeUserData({}));
            assert.deepStrictEqual(r.nodeClass.spec.subnetSelectorTerms, [{ id: "subnet-0aaaaaaaaaaaaaaa1" }, { id: "subnet-0aaaaaaaaaaaaaaa2" }]);
            assert.deepStrictEqual(r.nodeClass.spec.securityGroupSelectorTerms, [{ id: CLUSTER.clusterSecurityGroupId }]);
            assert.deepStrictEqual(r.invokes.map((i) => [i.token, i.args.name]), [[GET_CLUSTER, CLUSTER.name]]);
        });

        it("stamps the NodePool's nodes with exactly the contract's labels and taint, no startup taint", () => {
            const stamp = nodeStamp(Runtime.Gvisor, Cloud.Aws);
            const template = r.nodePool.spec.template;
            assert.deepStrictEqual(template.metadata.labels, stamp.labels);
            assert.deepStrictEqual(template.spec.taints, stamp.taints);
            assert.strictEqual(template.spec.startupTaints, undefined);
            assert.deepStrictEqual(template.spec.nodeClassRef, { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: r.nodeClass.metadata.name });
            assert.deepStrictEqual(r.pool.nodeTaints, stamp.taints);
        });

        it("keeps Karpenter to linux/amd64 on-demand c, m, r types of generation 6 or later, within 64 vCPUs", () => {
            assert.deepStrictEqual(r.nodePool.spec.template.spec.requirements, [
                { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
                { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
                { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
                { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
            ]);
            assert.deepStrictEqual(r.nodePool.spec.limits, { cpu: "64" });
        });

        it("consolidates only empty nodes, after 5 minutes, 10% at a time, and renews nodes after 720h", () => {
            assert.deepStrictEqual(r.nodePool.spec.disruption, { consolidationPolicy: "WhenEmpty", consolidateAfter: "5m", budgets: [{ nodes: "10%" }] });
            assert.strictEqual(r.nodePool.spec.template.spec.expireAfter, "720h");
        });
    });

    describe("Kata on nested virtualization", () => {
        let r: RenderedKarpenterPool;
        before(async () => {
            r = await renderKarpenterPool("kn", KARPENTER_EXAMPLES["kata-nested-default"]);
        });

        it("enables nested virtualization through cpuOptions and needs no user data (kata-deploy installs Kata)", () => {
            assert.strictEqual(r.pool.mode, KarpenterPoolMode.KataNested);
            assert.deepStrictEqual(r.nodeClass.spec.cpuOptions, { nestedVirtualization: "enabled" });
            assert.strictEqual(r.nodeClass.spec.userData, undefined);
            assert.deepStrictEqual(r.nodeClass.spec.metadataOptions, IMDS_V2_HOP_1);
        });

        it("keeps Karpenter to the catalogue's nested-virtualization families and off their metal sizes", () => {
            assert.deepStrictEqual(requirement(r, "karpenter.k8s.aws/instance-family"), [
                { key: "karpenter.k8s.aws/instance-family", operator: "In", values: [...NESTED_VIRTUALIZATION_FAMILIES] },
            ]);
            assert.deepStrictEqual(requirement(r, "karpenter.k8s.aws/instance-size"), [
                { key: "karpenter.k8s.aws/instance-size", operator: "NotIn", values: [...METAL_SIZES] },
            ]);
            assert.deepStrictEqual(requirement(r, "kubernetes.io/arch")[0].values, ["amd64"]);
        });

        it("puts Kata's startup taint in startupTaints, not taints, so Karpenter neither waits for pods to tolerate it nor disrupts the node before kata-deploy removes it", () => {
            const stamp = nodeStamp(Runtime.Kata, Cloud.Aws);
            const spec = r.nodePool.spec.template.spec;
            assert.strictEqual(stamp.startupTaints.length, 1);
            assert.deepStrictEqual(spec.startupTaints, stamp.startupTaints);
            assert.deepStrictEqual(spec.taints, stamp.taints.filter((t) => !stamp.startupTaints.some((s) => s.key === t.key)));
            assert.deepStrictEqual(r.nodePool.spec.template.metadata.labels, stamp.labels);
            assert.deepStrictEqual(r.pool.nodeTaints, stamp.taints);
        });
    });

    describe("Kata on bare metal", () => {
        it("on arm64 takes every Graviton metal family of the catalogue and only metal sizes, within 192 vCPUs", async () => {
            const r = await renderKarpenterPool("km", KARPENTER_EXAMPLES["kata-metal-arm64"]);
            assert.strictEqual(r.pool.mode, KarpenterPoolMode.KataMetal);
            const graviton = METAL_FAMILIES.filter((f) => instanceFamilyInfo(f)!.architecture === "arm64");
            assert.ok(graviton.includes("c7g") && !graviton.includes("m7i"));
            assert.deepStrictEqual(requirement(r, "karpenter.k8s.aws/instance-family")[0].values, graviton);
            assert.deepStrictEqual(requirement(r, "karpenter.k8s.aws/instance-size"), [{ key: "karpenter.k8s.aws/instance-size", operator: "In", values: [...METAL_SIZES] }]);
            assert.deepStrictEqual(requirement(r, "kubernetes.io/arch")[0].values, ["arm64"]);
            assert.strictEqual(r.nodeClass.spec.cpuOptions, undefined);
            assert.deepStrictEqual(r.nodePool.spec.limits, { cpu: "192" });
        });

        it("takes exact instance types as node.kubernetes.io/instance-type, deciding the mode from them", async () => {
            const r = await renderKarpenterPool("kt", { ...KARPENTER_EXAMPLES["kata-metal"], kataVirtualization: undefined, instanceFamilies: undefined, instanceTypes: ["m7i.metal-24xl"] });
            assert.strictEqual(r.pool.mode, KarpenterPoolMode.KataMetal);
            assert.deepStrictEqual(requirement(r, "node.kubernetes.io/instance-type"), [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["m7i.metal-24xl"] }]);
            assert.deepStrictEqual(requirement(r, "karpenter.k8s.aws/instance-family"), []);
        });
    });

    describe("identity and selection", () => {
        it("uses a given role without creating a role or an access entry, unless asked for the entry", async () => {
            const given = await renderKarpenterPool("given", KARPENTER_EXAMPLES["kata-nested-types"]);
            assert.deepStrictEqual(Object.keys(typeCounts(given)).sort(), [COMPONENT, EC2_NODE_CLASS, NODE_POOL].sort());
            assert.strictEqual(given.nodeClass.spec.role, "KarpenterNodeRole-sandbox-test");
            assert.deepStrictEqual(given.nodeClass.spec.securityGroupSelectorTerms, [{ id: "sg-0nodes00000000000" }]);
            assert.deepStrictEqual(given.invokes, [], "no cluster lookup when security groups are given");

            const withEntry = await renderKarpenterPool("entry", { ...KARPENTER_EXAMPLES["kata-nested-types"], accessEntry: true });
            const entry = withEntry.resources.filter((x) => x.type === ACCESS_ENTRY);
            assert.deepStrictEqual(entry.map((e) => e.inputs.principalArn), ["arn:aws:iam::000000000000:role/KarpenterNodeRole-sandbox-test"]);
        });

        it("creates the instance profile itself when asked, and names it instead of the role", async () => {
            const r = await renderKarpenterPool("custom", KARPENTER_EXAMPLES["gvisor-custom"]);
            const profile = r.resources.filter((x) => x.type === PROFILE);
            assert.deepStrictEqual(profile.map((p) => p.inputs.role), ["custom-node-role"]);
            assert.strictEqual(r.nodeClass.spec.instanceProfile, "custom-profile");
            assert.strictEqual(r.nodeClass.spec.role, undefined);
        });

        it("selects subnets and security groups by tags, tags instances, and renders extras in Karpenter's spelling", async () => {
            const r = await renderKarpenterPool("custom", KARPENTER_EXAMPLES["gvisor-custom"]);
            assert.deepStrictEqual(r.nodeClass.spec.subnetSelectorTerms, [{ tags: { "karpenter.sh/discovery": CLUSTER.name } }]);
            assert.deepStrictEqual(r.nodeClass.spec.securityGroupSelectorTerms, [{ tags: { "karpenter.sh/discovery": CLUSTER.name } }]);
            assert.deepStrictEqual(r.nodeClass.spec.tags, { "cost-center": "agents" });
            assert.deepStrictEqual(r.invokes, []);
            const spec = r.nodePool.spec;
            assert.strictEqual(r.nodePool.metadata.name, "agents-gvisor");
            assert.strictEqual(r.nodeClass.metadata.name, "agents-gvisor");
            assert.deepStrictEqual(spec.template.metadata.labels, { ...nodeStamp(Runtime.Gvisor, Cloud.Aws).labels, "team.example.com/owner": "agents" });
            // A taint without value leaves the field out: the CRD's value pattern refuses "".
            assert.deepStrictEqual(spec.template.spec.taints[1], { key: "team.example.com/dedicated", effect: TaintEffect.NoExecute });
            assert.deepStrictEqual(requirement(r, "karpenter.sh/capacity-type")[0].values, ["spot"]);
            assert.deepStrictEqual(requirement(r, "karpenter.k8s.aws/instance-family")[0].values, ["m7g", "c7g"]);
            assert.deepStrictEqual(spec.limits, { cpu: "32", memory: "128Gi" });
            assert.deepStrictEqual(spec.disruption, { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "10m", budgets: [{ nodes: "1" }] });
            assert.strictEqual(spec.weight, 10);
            assert.strictEqual(spec.template.spec.expireAfter, "168h");
        });
    });

    it("shortens a default NodePool name that is no label value, with a hash, and keeps one that is", async () => {
        const long = `${"a".repeat(40)}-${"b".repeat(40)}`;
        const r = await renderKarpenterPool(long, KARPENTER_EXAMPLES["gvisor-default"]);
        assert.strictEqual(r.pool.nodePoolName, physicalName(NameKind.KarpenterNodePool, long));
        assert.ok(r.pool.nodePoolName.length <= 63 && /^[a-z0-9-]+$/.test(r.pool.nodePoolName), r.pool.nodePoolName);
        assert.strictEqual(r.nodePool.metadata.name, r.pool.nodePoolName);
        assert.strictEqual(r.nodePool.spec.template.spec.nodeClassRef.name, r.nodeClass.metadata.name);
        assert.strictEqual((await renderKarpenterPool("short-name", KARPENTER_EXAMPLES["gvisor-default"])).pool.nodePoolName, "short-name");
    });

    describe("golden NodePool and EC2NodeClass", () => {
        for (const [name, args] of Object.entries(KARPENTER_EXAMPLES)) {
            it(`of ${name} equal test/golden/aws/karpenter/${name}.yaml`, async () => {
                assertGolden(`aws/karpenter/${name}.yaml`, karpenterYaml(await renderKarpenterPool(name, args)));
            });
        }
    });

    describe("rejects impossible requests before creating anything", () => {
        const base: EksSandboxKarpenterPoolArgs = { clusterName: "c", karpenterVersion: EXAMPLE_KARPENTER_VERSION, subnetIds: ["subnet-0a1b2c3d"], runtime: Runtime.Kata };
        const cases: [string, Partial<EksSandboxKarpenterPoolArgs>, string[]][] = [
            [
                "nested virtualization with a family that lacks it",
                { instanceFamilies: ["m8i", "m7i"] },
                ["instanceFamilies[1]: m7i does not support nested virtualization, which Kata needs here; use c8i, c8i-flex, m8i, m8i-flex, r8i, r8i-flex, or kataVirtualization \"metal\" with a bare-metal family"],
            ],
            [
                "nested virtualization with an instance type that lacks KVM",
                { instanceTypes: ["m8i.large", "m7i.large"] },
                ["instanceTypes[1]: m7i.large does not expose KVM, which Kata needs; use a nested-virtualization type (c8i, m8i, r8i or their -flex variants, e.g. m8i.large) or a bare-metal size (e.g. m7i.metal-24xl)"],
            ],
            [
                "arm64 Kata without metal",
                { architecture: "arm64", kataVirtualization: "nested" },
                ['kataVirtualization: nested virtualization needs x86_64 (Intel C8i/M8i/R8i); Kata on arm64 runs on bare-metal Graviton only (kataVirtualization: "metal")'],
            ],
            [
                "a Karpenter version below 1.13 for nested virtualization",
                { karpenterVersion: "1.12.0" },
                ["karpenterVersion: Karpenter 1.12.0 cannot enable nested virtualization: EC2NodeClass spec.cpuOptions.nestedVirtualization first appears in 1.13.0; upgrade Karpenter or use bare-metal types (kataVirtualization: \"metal\")"],
            ],
            ["a Karpenter version before the v1 APIs", { karpenterVersion: "0.37.6", kataVirtualization: "metal" }, ["karpenterVersion: 0.37.6 is older than 1.0.0, the first release serving karpenter.sh/v1 and karpenter.k8s.aws/v1"]],
            ["an unknown Karpenter major version", { karpenterVersion: "v2.0.0" }, ["karpenterVersion: v2.0.0 is Karpenter 2.x is unknown to this package, which writes karpenter.sh/v1 and karpenter.k8s.aws/v1 objects"]],
            ["a Karpenter version that is not one", { karpenterVersion: "latest" }, ['karpenterVersion: "latest" is not a release version such as "1.13.1"']],
            ["no Karpenter version", { karpenterVersion: undefined as any }, ['karpenterVersion: required: the version of the Karpenter controller in the cluster, e.g. "1.13.1"']],
            [
                "metal with a family that has no metal sizes",
                { kataVirtualization: "metal", instanceFamilies: ["m8i-flex"] },
                ["instanceFamilies[0]: m8i-flex has no bare-metal sizes with KVM, which Kata needs; use a metal family such as m7i, c7i"],
            ],
            ["a family of the other architecture", { runtime: Runtime.Gvisor, instanceFamilies: ["c7g"] }, ["instanceFamilies[0]: c7g is arm64 but the pool's architecture is x86_64"]],
            ["an EC2 Mac family", { runtime: Runtime.Gvisor, instanceFamilies: ["mac2"] }, ["instanceFamilies[0]: mac2 is an EC2 Mac instance (macOS on a Dedicated Host), which cannot boot the Amazon Linux 2023 image EKS nodes run"]],
            ["a family that is not one", { runtime: Runtime.Gvisor, instanceFamilies: ["m7i.large"] }, ['instanceFamilies[0]: "m7i.large" is not an EC2 instance family such as m8i or c7g']],
            ["both types and families", { instanceTypes: ["m8i.large"], instanceFamilies: ["m8i"] }, ["instanceFamilies: only one of instanceTypes, instanceFamilies is allowed"]],
            ["metal asked of nested types", { kataVirtualization: "metal", instanceTypes: ["m8i.large"] }, ['kataVirtualization: is "metal" but instanceTypes are nested-virtualization types']],
            ["no subnets", { subnetIds: undefined }, ["subnetIds: one of subnetIds, subnetSelectorTags is required"]],
            ["subnets two ways", { subnetSelectorTags: { "karpenter.sh/discovery": "c" } }, ["subnetSelectorTags: only one of subnetIds, subnetSelectorTags is allowed"]],
            ["an empty subnet selector tag", { subnetIds: undefined, subnetSelectorTags: { "karpenter.sh/discovery": "" } }, ['subnetSelectorTags["karpenter.sh/discovery"]: tag keys and values must not be empty']],
            ["an AMI alias of latest", { amiVersion: "latest" }, ['amiVersion: "latest" is not an AL2023 EKS AMI release such as "v20260903" (pin one; never "latest")']],
            ["a tag Karpenter keeps for itself", { tags: { "karpenter.sh/nodepool": "x" } }, ['tags["karpenter.sh/nodepool"]: Karpenter refuses this tag on an EC2NodeClass (karpenter.sh/nodepool is Karpenter\'s own)']],
            ["a cluster tag", { tags: { "kubernetes.io/cluster/c": "owned" } }, ['tags["kubernetes.io/cluster/c"]: Karpenter refuses this tag on an EC2NodeClass (kubernetes.io/cluster/* is Karpenter\'s own)']],
            ["a label in Karpenter's domain", { labels: { "karpenter.k8s.aws/instance-family": "m8i" } }, ['labels["karpenter.k8s.aws/instance-family"]: the label domain karpenter.k8s.aws is Karpenter\'s own']],
            ["the hostname label", { labels: { "kubernetes.io/hostname": "n1" } }, [`labels["kubernetes.io/hostname"]: label "kubernetes.io/hostname" is set by the kubelet and the cloud on each node; a value for the whole pool would overwrite the node's own`]],
            ["a label that forges the stamp", { labels: { "sandbox-clusters.io/runtime": "gvisor" } }, ['labels: key "sandbox-clusters.io/runtime" collides with the sandbox stamp (sandbox-clusters.io/*)']],
            ["a NodePool name too long for a label value", { nodePoolName: "x".repeat(64) }, [`nodePoolName: "${"x".repeat(64)}" is 64 characters; a Karpenter NodePool name has at most 63`]],
            ["a CPU limit that is no quantity", { limits: { cpu: "lots" } }, ['limits.cpu: "lots" is not a Kubernetes quantity such as "64" or "256Gi"']],
            ["a limit the NodePool would drop", { limits: { "nvidia.com/gpu": "4" } as any }, ['limits["nvidia.com/gpu"]: is not a field of limits (known: cpu, memory)']],
            ["an unknown consolidation policy", { disruption: { consolidationPolicy: "Always" as any } }, ['disruption.consolidationPolicy: "Always" is not one of WhenEmpty, WhenEmptyOrUnderutilized']],
            ["a consolidation delay that is no duration", { disruption: { consolidateAfter: "5 minutes" } }, ['disruption.consolidateAfter: "5 minutes" is not a duration such as "5m" or "Never"']],
            ["a budget that is no count", { disruption: { budgetNodes: "150%" } }, ['disruption.budgetNodes: "150%" is not a node count or percentage such as "1" or "10%"']],
            ["a weight out of range", { weight: 101 }, ["weight: 101 is not a whole number from 1 to 100"]],
            ["a node role that is no role ARN", { nodeRoleArn: "KarpenterNodeRole" }, ['nodeRoleArn: "KarpenterNodeRole" is not an IAM role ARN']],
            ["Kata options on a gVisor pool", { runtime: Runtime.Gvisor, kataVirtualization: "metal" }, ['kataVirtualization: applies only to runtime "kata", not "gvisor"']],
            [
                "gVisor's kvm platform on families Karpenter picks",
                { runtime: Runtime.Gvisor, gvisor: { runscFlags: { platform: "kvm" } } },
                ['gvisor.runscFlags["platform"]: platform kvm needs /dev/kvm, which Karpenter nodes only have on bare metal; use bare-metal types or platform systrap'],
            ],
        ];
        for (const [what, override, messages] of cases) {
            it(`rejects ${what}`, async () => {
                const err = await creationError({ ...base, ...override });
                assert.strictEqual(err.message, `EksSandboxKarpenterPool "bad" has invalid arguments:\n${messages.map((m) => `  - ${m}`).join("\n")}`);
            });
        }

        it("lists every problem at once", async () => {
            const err = await creationError({ ...base, karpenterVersion: "1.12.0", instanceFamilies: ["m7i"], subnetIds: undefined, weight: 0 });
            assert.deepStrictEqual(err.problems.map((p) => p.path), ["karpenterVersion", "instanceFamilies[0]", "subnetIds", "weight"]);
        });
    });
});

describe("eksSandboxKarpenterPoolProblems", () => {
    it("returns every problem with its path, and none for valid arguments, without creating anything", () => {
        const args: EksSandboxKarpenterPoolArgs = { clusterName: "c", karpenterVersion: "1.13.0", subnetIds: ["subnet-0a1b2c3d"], runtime: Runtime.Kata };
        assert.deepStrictEqual(eksSandboxKarpenterPoolProblems("p", args), []);
        assert.deepStrictEqual(eksSandboxKarpenterPoolProblems("p", { ...args, karpenterVersion: "1.0.0", kataVirtualization: "metal" }), []);
        assert.deepStrictEqual(eksSandboxKarpenterPoolProblems("p", { ...args, architecture: "arm64", instanceTypes: ["m8i.large"] }), [
            { code: "conflict", path: "instanceTypes[0]", message: "m8i.large is x86_64 but the pool's architecture is arm64" },
        ]);
    });
});

/** Constructs a pool expected to fail; asserts that no child resource was registered. */
async function creationError(args: EksSandboxKarpenterPoolArgs): Promise<InputPropertiesError> {
    installMocks();
    reset();
    let caught: unknown;
    try {
        new EksSandboxKarpenterPool("bad", args);
    } catch (e) {
        caught = e;
    }
    await settle();
    assert.ok(caught instanceof InputPropertiesError, `expected InputPropertiesError, got ${caught}`);
    assert.deepStrictEqual(state.resources.filter((r) => r.type !== COMPONENT), [], "no child resource before validation passes");
    return caught;
}
