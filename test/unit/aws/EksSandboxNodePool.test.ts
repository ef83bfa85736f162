import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as TOML from "smol-toml";
import { EksSandboxNodePool } from "../../../components/aws/EksSandboxNodePool";
import { NODE_ROLE_POLICY_ARNS } from "../../../components/aws/nodeRole";
import { EKS_TAINT_EFFECT } from "../../../components/aws/eksNodeGroupSpecs";
import { eksSandboxNodePoolProblems, EksSandboxNodePoolArgs } from "../../../components/aws/eksSandboxNodePoolArgs";
import { EksPoolMode } from "../../../components/aws/eksPoolArgs";
import { InputPropertiesError } from "../../../components/validation";
import { NameKind, PULUMI_AUTONAME_SUFFIX_LENGTH, nameProblems } from "../../../components/names";
import { Cloud, formatTaint, nodeStamp, Runtime, TaintEffect } from "../../../components/isolation";
import { assertGolden } from "../../support/golden";
import { installMocks, reset, settle, state } from "../../support/mocks";
import {
    AMI_ID,
    CLUSTER,
    EXAMPLE_POOLS,
    GET_CLUSTER,
    nodeConfigs,
    renderPool,
    RenderedPool,
    shellParts,
} from "../../support/eksPoolFixtures";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const ASG = "aws:autoscaling/group:Group";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry";
const COMPONENT = "sandbox-clusters:index:EksSandboxNodePool";

function ofType(r: RenderedPool, type: string) {
    return r.resources.filter((x) => x.type === type);
}
function only(r: RenderedPool, type: string) {
    const found = ofType(r, type);
    assert.strictEqual(found.length, 1, `exactly one ${type}`);
    return found[0];
}
function typeCounts(r: RenderedPool): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const x of r.resources) counts[x.type] = (counts[x.type] ?? 0) + 1;
    return counts;
}
/** The contract's taints as the EKS API spells them. */
function eksTaints(runtime: Runtime) {
    return nodeStamp(runtime, Cloud.Aws).taints.map((t) => ({ key: t.key, value: t.value, effect: EKS_TAINT_EFFECT[t.effect] }));
}

describe("EksSandboxNodePool", () => {
    describe("gVisor mode", () => {
        let r: RenderedPool;
        before(async () => {
            r = await renderPool("gv", EXAMPLE_POOLS["gvisor-default"]);
        });

        it("is a managed node group with a launch template and a node role with the three worker policies", () => {
            assert.strictEqual(r.pool.mode, EksPoolMode.GvisorManaged);
            assert.deepStrictEqual(typeCounts(r), {
                [COMPONENT]: 1,
                "aws:iam/role:Role": 1,
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3,
                [LAUNCH_TEMPLATE]: 1,
                [NODE_GROUP]: 1,
            });
            const policies = ofType(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.policyArn);
            assert.deepStrictEqual(policies, [...NODE_ROLE_POLICY_ARNS]);
        });

        it("labels and taints the node group with exactly the contract's stamp", () => {
            const ng = only(r, NODE_GROUP);
            assert.deepStrictEqual(ng.inputs.labels, nodeStamp(Runtime.Gvisor, Cloud.Aws).labels);
            assert.deepStrictEqual(ng.inputs.taints, eksTaints(Runtime.Gvisor));
            assert.deepStrictEqual(ng.inputs.taints[0], { key: "sandbox-clusters.io/runtime", value: "gvisor", effect: "NO_SCHEDULE" });
            assert.deepStrictEqual(r.pool.nodeTaints, nodeStamp(Runtime.Gvisor, Cloud.Aws).taints);
        });

        it("runs AL2023 with the defaults (m7i.large, 1..3 nodes, on-demand) and the template's latest version", () => {
            const ng = only(r, NODE_GROUP);
            assert.strictEqual(ng.inputs.amiType, "AL2023_x86_64_STANDARD");
            assert.deepStrictEqual(ng.inputs.instanceTypes, ["m7i.large"]);
            assert.deepStrictEqual(ng.inputs.scalingConfig, { minSize: 1, maxSize: 3, desiredSize: 1 });
            assert.strictEqual(ng.inputs.capacityType, "ON_DEMAND");
            assert.deepStrictEqual(ng.inputs.launchTemplate, { id: "gv-template-id", version: "1" });
            assert.strictEqual(ng.inputs.nodeRoleArn, "arn:aws:iam::000000000000:role/gv-node-role");
        });

        it("requires IMDSv2 with hop limit 1 and encrypts the root volume, naming no profile or subnet", () => {
            const lt = only(r, LAUNCH_TEMPLATE).inputs;
            assert.deepStrictEqual(lt.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
            assert.deepStrictEqual(lt.blockDeviceMappings, [
                { deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
            ]);
            for (const forbidden of ["iamInstanceProfile", "networkInterfaces", "imageId", "cpuOptions"]) {
                assert.strictEqual(lt[forbidden], undefined, forbidden);
            }
        });

        it("registers runsc in containerd with config version 3 keys", () => {
            const configs = nodeConfigs(r.userData!);
            assert.strictEqual(configs.length, 1);
            assert.strictEqual(configs[0].spec.cluster, undefined, "EKS supplies the cluster part for managed node groups");
            const toml = TOML.parse(configs[0].spec.containerd.config) as any;
            const runsc = toml.plugins["io.containerd.cri.v1.runtime"].containerd.runtimes.runsc;
            assert.strictEqual(runsc.runtime_type, "io.containerd.runsc.v1");
            assert.strictEqual(runsc.options.TypeUrl, "io.containerd.runsc.v1.options");
            assert.strictEqual(runsc.options.ConfigPath, "/etc/containerd/runsc.toml");
            assert.strictEqual(toml.plugins["io.containerd.grpc.v1.cri"], undefined, "no version 2 keys");
        });

        it("installs gVisor with a shell part that passes bash -n and shellcheck", () => {
            const scripts = shellParts(r.userData!);
            assert.strictEqual(scripts.length, 1);
            checkShell(scripts[0]);
            assert.match(scripts[0], /^#!\/bin\/bash|^#!\/usr\/bin\/env bash/);
        });
    });

    describe("Kata on bare metal", () => {
        let r: RenderedPool;
        before(async () => {
            r = await renderPool("km", EXAMPLE_POOLS["kata-metal"]);
        });

        it("is a managed node group whose taints include kata-deploy's startup taint", () => {
            assert.strictEqual(r.pool.mode, EksPoolMode.KataMetalManaged);
            assert.strictEqual(ofType(r, ASG).length, 0);
            const ng = only(r, NODE_GROUP);
            assert.deepStrictEqual(ng.inputs.taints, eksTaints(Runtime.Kata));
            assert.deepStrictEqual(
                ng.inputs.taints.map((t: any) => t.key),
                ["sandbox-clusters.io/runtime", "startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready"],
            );
            assert.deepStrictEqual(ng.inputs.labels, { "sandbox-clusters.io/runtime": "kata" });
        });

        it("needs no user data of its own (kata-deploy installs Kata) and keeps the secure template", () => {
            const lt = only(r, LAUNCH_TEMPLATE).inputs;
            assert.strictEqual(lt.userData, undefined);
            assert.strictEqual(lt.metadataOptions.httpPutResponseHopLimit, 1);
            assert.strictEqual(lt.metadataOptions.httpTokens, "required");
            assert.strictEqual(lt.blockDeviceMappings[0].ebs.encrypted, "true");
            assert.strictEqual(lt.cpuOptions, undefined);
        });
    });

    describe("Kata on nested virtualization", () => {
        let r: RenderedPool;
        before(async () => {
            r = await renderPool("kn", EXAMPLE_POOLS["kata-nested-default"]);
        });

        it("is a self-managed Auto Scaling group with an instance profile and an EC2_LINUX access entry", () => {
            assert.strictEqual(r.pool.mode, EksPoolMode.KataNestedSelfManaged);
            assert.deepStrictEqual(typeCounts(r), {
                [COMPONENT]: 1,
                "aws:iam/role:Role": 1,
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3,
                "aws:iam/instanceProfile:InstanceProfile": 1,
                [ACCESS_ENTRY]: 1,
                [LAUNCH_TEMPLATE]: 1,
                [ASG]: 1,
            });
            const entry = only(r, ACCESS_ENTRY).inputs;
            assert.strictEqual(entry.type, "EC2_LINUX");
            assert.strictEqual(entry.principalArn, "arn:aws:iam::000000000000:role/kn-node-role");
            assert.strictEqual(entry.clusterName, CLUSTER.name);
        });

        it("enables nested virtualization on the EKS AL2023 AMI from SSM, IMDSv2 hop 1, encrypted root", () => {
            const lt = only(r, LAUNCH_TEMPLATE).inputs;
            assert.deepStrictEqual(lt.cpuOptions, { nestedVirtualization: "enabled" });
            assert.strictEqual(lt.imageId, AMI_ID);
            assert.deepStrictEqual(lt.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
            assert.strictEqual(lt.blockDeviceMappings[0].ebs.encrypted, "true");
            assert.deepStrictEqual(lt.vpcSecurityGroupIds, [CLUSTER.clusterSecurityGroupId]);
            const ssm = r.invokes.find((i) => i.token === "aws:ssm/getParameter:getParameter");
            assert.strictEqual(ssm?.args.name, "/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/standard/recommended/image_id");
        });

        it("rolls the nodes when the launch template changes", () => {
            const asg = only(r, ASG).inputs;
            assert.strictEqual(asg.instanceRefresh.strategy, "Rolling");
            const spec = asg.mixedInstancesPolicy.launchTemplate.launchTemplateSpecification;
            assert.deepStrictEqual(spec, { launchTemplateId: "kn-template-id", version: "1" });
            assert.deepStrictEqual(asg.mixedInstancesPolicy.launchTemplate.overrides, [{ instanceType: "m8i.large" }]);
            assert.deepStrictEqual([asg.minSize, asg.maxSize, asg.desiredCapacity], [1, 3, 1]);
            assert.ok(asg.tags.some((t: any) => t.key === `kubernetes.io/cluster/${CLUSTER.name}` && t.value === "owned"));
        });

        it("bootstraps with NodeConfig carrying the looked-up cluster and exactly the stamp as kubelet flags", () => {
            const [config] = nodeConfigs(r.userData!);
            assert.deepStrictEqual(config.spec.cluster, {
                name: CLUSTER.name,
                apiServerEndpoint: CLUSTER.endpoint,
                certificateAuthority: CLUSTER.certificateAuthority,
                cidr: CLUSTER.serviceCidr,
            });
            const stamp = nodeStamp(Runtime.Kata, Cloud.Aws);
            assert.deepStrictEqual(config.spec.kubelet.flags, [
                "--node-labels=sandbox-clusters.io/runtime=kata",
                `--register-with-taints=${stamp.taints.map(formatTaint).join(",")}`,
            ]);
            assert.strictEqual(shellParts(r.userData!).length, 0);
        });

        it("uses given cluster details, security groups and version without looking the cluster up", async () => {
            const custom = await renderPool("kc", EXAMPLE_POOLS["kata-nested-custom"]);
            assert.strictEqual(custom.invokes.filter((i) => i.token === GET_CLUSTER).length, 0);
            const [config] = nodeConfigs(custom.userData!);
            assert.strictEqual(config.spec.cluster.cidr, "172.20.0.0/16");
            assert.deepStrictEqual(only(custom, LAUNCH_TEMPLATE).inputs.vpcSecurityGroupIds, ["sg-0nodes00000000000"]);
            const asg = only(custom, ASG).inputs;
            assert.strictEqual(asg.mixedInstancesPolicy.instancesDistribution.onDemandPercentageAboveBaseCapacity, 0);
            assert.deepStrictEqual(config.spec.kubelet.flags, [
                "--node-labels=sandbox-clusters.io/runtime=kata,team.example.com/owner=ci,workload.example.com/tier=untrusted",
                "--register-with-taints=sandbox-clusters.io/runtime=kata:NoSchedule,startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready=true:NoSchedule,team.example.com/dedicated=ci:NoSchedule",
            ]);
        });
    });

    describe("user data", () => {
        for (const [name, args] of Object.entries(EXAMPLE_POOLS)) {
            it(`of ${name} equals its golden file`, async () => {
                const r = await renderPool(name, args);
                assertGolden(`aws/${name}.userdata`, r.userData ?? "(no user data)\n");
            });
        }

        it("carries extra labels and taints on managed node groups through the EKS API", async () => {
            const r = await renderPool("gc", EXAMPLE_POOLS["gvisor-custom"]);
            const ng = only(r, NODE_GROUP).inputs;
            assert.strictEqual(ng.amiType, "AL2023_ARM_64_STANDARD");
            assert.deepStrictEqual(ng.labels, { "sandbox-clusters.io/runtime": "gvisor", "team.example.com/owner": "builds" });
            assert.deepStrictEqual(ng.taints, [
                { key: "sandbox-clusters.io/runtime", value: "gvisor", effect: "NO_SCHEDULE" },
                { key: "team.example.com/dedicated", value: "builds", effect: "NO_EXECUTE" },
            ]);
            const script = shellParts(r.userData!)[0];
            assert.ok(script.includes("https://mirror.example.internal/gvisor/releases/release"));
            assert.ok(script.includes("20260817.0"));
            checkShell(script);
        });
    });

    describe("tags", () => {
        it("tag the pool's resources, instances and volumes, and send no empty tag specification", async () => {
            const tags = { team: "builds", environment: "test" };
            const tagged = await renderPool("tg", { ...EXAMPLE_POOLS["kata-nested-default"], tags });
            const lt = only(tagged, LAUNCH_TEMPLATE).inputs;
            assert.deepStrictEqual(lt.tagSpecifications, [
                { resourceType: "instance", tags },
                { resourceType: "volume", tags },
            ]);
            for (const type of [LAUNCH_TEMPLATE, ACCESS_ENTRY, "aws:iam/role:Role", "aws:iam/instanceProfile:InstanceProfile"]) {
                assert.deepStrictEqual(only(tagged, type).inputs.tags, tags, type);
            }
            const asgTags = only(tagged, ASG).inputs.tags;
            assert.ok(asgTags.some((t: any) => t.key === "team" && t.value === "builds" && t.propagateAtLaunch === true));

            const untagged = await renderPool("ut", EXAMPLE_POOLS["gvisor-default"]);
            assert.strictEqual(only(untagged, LAUNCH_TEMPLATE).inputs.tagSpecifications, undefined);
        });
    });

    describe("name budget", () => {
        /** Each auto-named child, as Pulumi will name it (`<logical>-` and 7 random hex), against its cloud's rule. */
        const AUTO_NAMED: Record<string, NameKind> = {
            "aws:iam/role:Role": NameKind.AwsIamRole,
            "aws:iam/instanceProfile:InstanceProfile": NameKind.AwsInstanceProfile,
            [LAUNCH_TEMPLATE]: NameKind.AwsLaunchTemplate,
            [NODE_GROUP]: NameKind.EksNodeGroup,
            [ASG]: NameKind.AwsAutoScalingGroup,
        };
        function problems(r: RenderedPool): string[] {
            return r.resources
                .filter((x) => AUTO_NAMED[x.type] !== undefined)
                .flatMap((x) => nameProblems(AUTO_NAMED[x.type], x.name, `${x.name}-0a1b2c3`).map((p) => `${p.path}: ${p.message}`));
        }

        for (const [mode, example] of [["managed", "gvisor-default"], ["self-managed", "kata-nested-default"]] as const) {
            it(`keeps every auto-named child of a ${mode} pool named <40-character cluster>-<40-character pool> within its limit`, async () => {
                const r = await renderPool(`${"c".repeat(40)}-${"p".repeat(40)}`, EXAMPLE_POOLS[example]);
                assert.deepStrictEqual(problems(r), []);
                const role = only(r, "aws:iam/role:Role");
                assert.strictEqual(role.name.length + PULUMI_AUTONAME_SUFFIX_LENGTH, 64);
            });
        }

        it("keeps the names of children that already fit", async () => {
            const r = await renderPool("sandbox-staging-kata-nested", EXAMPLE_POOLS["kata-nested-default"]);
            assert.deepStrictEqual(
                r.resources.filter((x) => AUTO_NAMED[x.type] !== undefined).map((x) => x.name).sort(),
                ["sandbox-staging-kata-nested-node-role", "sandbox-staging-kata-nested-nodes", "sandbox-staging-kata-nested-profile", "sandbox-staging-kata-nested-template"],
            );
        });

        it("gives a component name with characters a cloud refuses valid child names", async () => {
            const r = await renderPool("My Pool/1", EXAMPLE_POOLS["gvisor-default"]);
            assert.deepStrictEqual(problems(r), []);
        });
    });

    describe("node role", () => {
        it("uses a given role: no role created, the instance profile takes the role's name", async () => {
            const args = { ...EXAMPLE_POOLS["kata-nested-default"], nodeRoleArn: "arn:aws:iam::000000000000:role/path/given-nodes" };
            const r = await renderPool("given", args);
            assert.strictEqual(ofType(r, "aws:iam/role:Role").length, 0);
            assert.strictEqual(ofType(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);
            assert.strictEqual(only(r, "aws:iam/instanceProfile:InstanceProfile").inputs.role, "given-nodes");
            assert.strictEqual(only(r, ACCESS_ENTRY).inputs.principalArn, args.nodeRoleArn);
        });
    });

    describe("rejects impossible requests before creating anything", () => {
        const base: EksSandboxNodePoolArgs = { clusterName: "c", subnetIds: ["subnet-0a1b2c3d"], runtime: Runtime.Kata };
        const cases: [string, Partial<EksSandboxNodePoolArgs>, string[]][] = [
            [
                "Kata on t3.large",
                { instanceTypes: ["t3.large"] },
                [
                    "instanceTypes[0]: t3.large does not expose KVM, which Kata needs; use a nested-virtualization type (c8i, m8i, r8i or their -flex variants, e.g. m8i.large) or a bare-metal size (e.g. m7i.metal-24xl)",
                ],
            ],
            [
                "Kata on m6i.large",
                { instanceTypes: ["m8i.large", "m6i.large"] },
                [
                    "instanceTypes[1]: m6i.large does not expose KVM, which Kata needs; use a nested-virtualization type (c8i, m8i, r8i or their -flex variants, e.g. m8i.large) or a bare-metal size (e.g. m7i.metal-24xl)",
                ],
            ],
            [
                "metal and nested types mixed",
                { instanceTypes: ["m7i.metal-24xl", "m8i.large"] },
                [
                    "instanceTypes: mixes bare-metal (m7i.metal-24xl) and nested-virtualization (m8i.large) types; a Kata pool is one or the other (managed node group vs self-managed Auto Scaling group)",
                ],
            ],
            ["min > max", { minSize: 4, maxSize: 2 }, ["minSize: minSize (4) is greater than maxSize (2)"]],
            [
                "desired outside the range",
                { minSize: 1, maxSize: 2, desiredSize: 5 },
                ["desiredSize: desiredSize (5) is outside [minSize, maxSize] = [1, 2]"],
            ],
            ["no subnets", { subnetIds: [] }, ["subnetIds: at least one subnet is required"]],
            ["an unknown architecture", { architecture: "ppc64le" as any }, ['architecture: "ppc64le" is not one of x86_64, arm64']],
            [
                "an arm64 type in an x86_64 pool",
                { runtime: Runtime.Gvisor, instanceTypes: ["m7g.large"] },
                ["instanceTypes[0]: m7g.large is arm64 but the pool's architecture is x86_64"],
            ],
            [
                "gVisor release latest",
                { runtime: Runtime.Gvisor, gvisor: { release: "latest" } },
                ['gvisor.release: "latest" is not a dated gVisor release (YYYYMMDD or YYYYMMDD.N); pin one, never "latest"'],
            ],
            [
                "a gVisor release that is not dated",
                { runtime: Runtime.Gvisor, gvisor: { release: "v1.2.3" } },
                ['gvisor.release: "v1.2.3" is not a dated gVisor release (YYYYMMDD or YYYYMMDD.N); pin one, never "latest"'],
            ],
            [
                "a mirror URL that is not https",
                { runtime: Runtime.Gvisor, gvisor: { mirror: "http://mirror.example.internal/gvisor" } },
                ['gvisor.mirror: "http://mirror.example.internal/gvisor" must use https'],
            ],
            [
                "a taint that collides with the sandbox taint key",
                { taints: [{ key: "sandbox-clusters.io/runtime", value: "gvisor", effect: TaintEffect.NoSchedule }] },
                ['taints[0].key: key "sandbox-clusters.io/runtime" collides with the sandbox stamp (sandbox-clusters.io/*)'],
            ],
            [
                "a label that forges the stamp",
                { labels: { "sandbox-clusters.io/runtime": "kata" } },
                ['labels: key "sandbox-clusters.io/runtime" collides with the sandbox stamp (sandbox-clusters.io/*)'],
            ],
            [
                "gVisor's kvm platform on virtual instances",
                { runtime: Runtime.Gvisor, instanceTypes: ["m7i.metal-24xl", "m8i.large"], gvisor: { runscFlags: { platform: "kvm" } } },
                [
                    'gvisor.runscFlags["platform"]: platform kvm needs /dev/kvm, which managed node groups only have on bare metal (not on m8i.large); use bare-metal types or platform systrap',
                ],
            ],
            ["gVisor options on a Kata pool", { gvisor: { release: "20261005.0" } }, ['gvisor: gVisor options apply only to runtime "gvisor", not "kata"']],
            // Labels the kubelet refuses to register a node with, on every pool kind.
            ...(["m8i.large", "m7i.metal-24xl"] as const).map((type): [string, Partial<EksSandboxNodePoolArgs>, string[]] => [
                `a node-role.kubernetes.io label on ${type === "m8i.large" ? "self-managed" : "managed"} Kata nodes`,
                { instanceTypes: [type], labels: { "node-role.kubernetes.io/sandbox": "true" } },
                ['labels["node-role.kubernetes.io/sandbox"]: label "node-role.kubernetes.io/sandbox" is under kubernetes.io, where the kubelet sets only kubelet.kubernetes.io/*, node.kubernetes.io/* and its own well-known labels: it refuses to start with it and the nodes never join; use a prefix of your own, e.g. "example.com/sandbox"'],
            ]),
            [
                "labels under k8s.io and kubernetes.io subdomains on gVisor nodes",
                { runtime: Runtime.Gvisor, labels: { "example.k8s.io/team": "a", "app.kubernetes.io/name": "x", "node.kubernetes.io/pool": "ok", "sub.kubelet.kubernetes.io/x": "ok" } },
                [
                    'labels["example.k8s.io/team"]: label "example.k8s.io/team" is under k8s.io, where the kubelet sets only kubelet.kubernetes.io/*, node.kubernetes.io/* and its own well-known labels: it refuses to start with it and the nodes never join; use a prefix of your own, e.g. "example.com/team"',
                    'labels["app.kubernetes.io/name"]: label "app.kubernetes.io/name" is under kubernetes.io, where the kubelet sets only kubelet.kubernetes.io/*, node.kubernetes.io/* and its own well-known labels: it refuses to start with it and the nodes never join; use a prefix of your own, e.g. "example.com/name"',
                ],
            ],
            [
                "a well-known label the kubelet sets itself",
                { runtime: Runtime.Gvisor, labels: { "topology.kubernetes.io/zone": "us-east-1a" } },
                ['labels["topology.kubernetes.io/zone"]: label "topology.kubernetes.io/zone" is set by the kubelet and the cloud on each node; a value for the whole pool would overwrite the node\'s own'],
            ],
            [
                "a key prefix under kubernetes.io",
                { keyPrefix: "sandbox.kubernetes.io" },
                ['keyPrefix: "sandbox.kubernetes.io" is under kubernetes.io, where the kubelet sets only kubelet.kubernetes.io/*, node.kubernetes.io/* and its own well-known labels: nodes stamped "sandbox.kubernetes.io/runtime" would never join; use a domain of your own, e.g. "sandbox.example.com"'],
            ],
            ["a key prefix that is not a DNS subdomain", { keyPrefix: "Sandbox_Clusters" }, ['keyPrefix: "Sandbox_Clusters" is not a DNS subdomain']],
            [
                "label keys and empty values EKS managed node groups refuse",
                { runtime: Runtime.Gvisor, labels: { [`team.example.com/${"o".repeat(50)}`]: "x", "team.example.com/empty": "" } },
                [
                    `labels["team.example.com/${"o".repeat(50)}"]: key is 67 characters; EKS managed node groups take label keys of at most 63, prefix included`,
                    'labels["team.example.com/empty"]: EKS managed node groups take no empty label values; give it a value',
                ],
            ],
            [
                "a key prefix that makes the stamp label too long for EKS managed node groups",
                { instanceTypes: ["m7i.metal-24xl"], keyPrefix: `${"s".repeat(50)}.example.com` },
                [`keyPrefix: makes the stamp label "${"s".repeat(50)}.example.com/runtime" 70 characters; EKS managed node groups take label keys of at most 63, prefix included`],
            ],
            // AWS tags.
            [
                "tags AWS reserves, refuses or the package sets itself",
                { tags: { "aws:cost-center": "1", team: "aws:platform", "bad#key": "x", owner: "a&b", Name: "mine", "kubernetes.io/cluster/other": "owned", [`k${"e".repeat(128)}`]: "v" } },
                [
                    'tags["aws:cost-center"]: keys starting with "aws:" (in any case) are reserved for AWS',
                    'tags["team"]: values starting with "aws:" (in any case) are reserved for AWS',
                    'tags["bad#key"]: key "bad#key" has characters AWS refuses in tags ("#"); use letters, digits, spaces and + - = . _ : / @',
                    'tags["owner"]: value "a&b" has characters AWS refuses in tags ("&"); use letters, digits, spaces and + - = . _ : / @',
                    'tags["Name"]: "Name" is a tag the package sets itself on the resources it creates',
                    'tags["kubernetes.io/cluster/other"]: "kubernetes.io/cluster/other" is a tag the package sets itself on the resources it creates',
                    `tags["k${"e".repeat(128)}"]: key is 129 characters; AWS allows at most 128`,
                ],
            ],
            [
                "more tags than fit beside the package's own",
                { tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "v"])) },
                ["tags: 48 tags; AWS allows 50 per resource and the package adds up to 3 of its own, so at most 47"],
            ],
            [
                "an upper-case AWS: prefix",
                { tags: { "AWS:Owner": "x" } },
                ['tags["AWS:Owner"]: keys starting with "aws:" (in any case) are reserved for AWS'],
            ],
            // EC2 Mac instances: macOS only.
            [
                "EC2 Mac instances, whatever their architecture",
                { runtime: Runtime.Gvisor, instanceTypes: ["mac1.metal", "mac2.metal", "mac2-m2pro.metal", "mac-m4.metal"] },
                [
                    "instanceTypes[0]: mac1.metal is an EC2 Mac instance (macOS on a Dedicated Host), which cannot boot the Amazon Linux 2023 image EKS nodes run",
                    "instanceTypes[1]: mac2.metal is an EC2 Mac instance (macOS on a Dedicated Host), which cannot boot the Amazon Linux 2023 image EKS nodes run",
                    "instanceTypes[2]: mac2-m2pro.metal is an EC2 Mac instance (macOS on a Dedicated Host), which cannot boot the Amazon Linux 2023 image EKS nodes run",
                    "instanceTypes[3]: mac-m4.metal is an EC2 Mac instance (macOS on a Dedicated Host), which cannot boot the Amazon Linux 2023 image EKS nodes run",
                ],
            ],
        ];
        for (const [what, override, messages] of cases) {
            it(`rejects ${what}`, async () => {
                const err = await creationError({ ...base, ...override });
                assert.strictEqual(err.message, `EksSandboxNodePool "bad" has invalid arguments:\n${messages.map((m) => `  - ${m}`).join("\n")}`);
            });
        }

        it("accepts self-managed nodes' empty label values, which only the EKS API refuses", () => {
            assert.deepStrictEqual(eksSandboxNodePoolProblems({ ...base, instanceTypes: ["m8i.large"], labels: { "team.example.com/empty": "" } }), []);
        });

        it("lists every problem at once", async () => {
            const err = await creationError({ ...base, subnetIds: [], instanceTypes: ["t3.large"], minSize: 5, maxSize: 1 });
            assert.deepStrictEqual(
                err.problems.map((p) => p.path),
                ["subnetIds", "minSize", "instanceTypes[0]"],
            );
        });
    });
});

/** Constructs a pool expected to fail; asserts that no child resource was registered. */
async function creationError(args: EksSandboxNodePoolArgs): Promise<InputPropertiesError> {
    installMocks();
    reset();
    let caught: unknown;
    try {
        new EksSandboxNodePool("bad", args);
    } catch (e) {
        caught = e;
    }
    await settle();
    assert.ok(caught instanceof InputPropertiesError, `expected InputPropertiesError, got ${caught}`);
    const children = state.resources.filter((r) => r.type !== COMPONENT);
    assert.deepStrictEqual(children, [], "no child resource before validation passes");
    return caught;
}

/** `bash -n` and shellcheck on a script; shellcheck is required (CI installs it). */
function checkShell(script: string): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-userdata-"));
    const file = path.join(dir, "part.sh");
    fs.writeFileSync(file, script);
    try {
        execFileSync("bash", ["-n", file], { stdio: "pipe" });
        const sc = spawnSync("shellcheck", ["--severity=style", file], { encoding: "utf8" });
        if (sc.error) throw new Error(`shellcheck is not installed (apt-get install shellcheck): ${sc.error.message}`);
        assert.strictEqual(sc.status, 0, `shellcheck found problems:\n${sc.stdout}${sc.stderr}`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("eksSandboxNodePoolProblems", () => {
    it("returns every problem with its path, and none for valid arguments, without creating anything", () => {
        const base: EksSandboxNodePoolArgs = { clusterName: "c", subnetIds: ["subnet-0a1b2c3d"], runtime: Runtime.Kata };
        assert.deepStrictEqual(eksSandboxNodePoolProblems(base), []);
        assert.deepStrictEqual(eksSandboxNodePoolProblems({ ...base, subnetIds: [], instanceTypes: ["t3.large", "m7i.metal-24xl"] }), [
            { code: "required", path: "subnetIds", message: "at least one subnet is required" },
            {
                code: "unsupported",
                path: "instanceTypes[0]",
                message:
                    "t3.large does not expose KVM, which Kata needs; use a nested-virtualization type (c8i, m8i, r8i or their -flex variants, e.g. m8i.large) or a bare-metal size (e.g. m7i.metal-24xl)",
            },
        ]);
    });

    it("refuses a given service CIDR that is no CIDR (it goes into the nodes' kubelet config), and takes IPv4, IPv6 and Outputs", () => {
        const base: EksSandboxNodePoolArgs = { clusterName: "c", subnetIds: ["subnet-0a1b2c3d"], runtime: Runtime.Kata, instanceTypes: ["m8i.large"] };
        assert.deepStrictEqual(eksSandboxNodePoolProblems({ ...base, clusterServiceCidr: "172.20.0.0" }), [
            { code: "malformed", path: "clusterServiceCidr", message: '"172.20.0.0" is not a CIDR such as 172.20.0.0/16 or fd00:10:96::/112' },
        ]);
        for (const ok of ["172.20.0.0/16", "fd00:10:96::/112", pulumi.output("anything")]) {
            assert.deepStrictEqual(eksSandboxNodePoolProblems({ ...base, clusterServiceCidr: ok }), [], String(ok));
        }
    });
});
