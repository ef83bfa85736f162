import * as assert from "assert";
import * as YAML from "yaml";
import { AKS_SPOT_TAINT, Cloud, Runtime, formatTaint, nodeStamp } from "../../../components/isolation";
import { ok, ofType, planned, stackConfig, stackNames } from "../../support/plannedStacks";

const EKS_CLUSTER = "aws:eks/cluster:Cluster";
const GKE_CLUSTER = "gcp:container/cluster:Cluster";
const EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const GKE_NODE_POOL = "gcp:container/nodePool:NodePool";
const AKS_CLUSTER = "azure-native:containerservice:ManagedCluster";
const AKS_AGENT_POOL = "azure-native:containerservice:AgentPool";

describe("program (stacks/program.ts, run through the offline plan)", function () {
    this.timeout(180_000);
    before(() => planned());

    describe("a created EKS cluster (staging)", () => {
        it("uses access entries only, logs the control plane, and puts the cluster in the private subnets it creates", () => {
            const p = ok("staging");
            const [cluster] = ofType(p, EKS_CLUSTER);
            assert.deepStrictEqual(cluster.inputs.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
            assert.deepStrictEqual(cluster.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
            assert.strictEqual(cluster.inputs.version, "1.35");
            const subnets = ofType(p, "aws:ec2/subnet:Subnet");
            const privateIds = subnets.filter((s) => s.name.includes("-private-")).map((s) => `${s.name}-id`);
            assert.strictEqual(privateIds.length, 2);
            assert.deepStrictEqual(subnets.map((s) => s.inputs.cidrBlock).sort(), ["10.40.0.0/18", "10.40.128.0/18", "10.40.192.0/18", "10.40.64.0/18"]);
            assert.deepStrictEqual(cluster.inputs.vpcConfig.subnetIds, privateIds);
            for (const g of ofType(p, EKS_NODE_GROUP)) assert.deepStrictEqual(g.inputs.subnetIds, privateIds, g.name);
            assert.deepStrictEqual(ofType(p, "aws:autoscaling/group:Group")[0].inputs.vpcZoneIdentifiers, privateIds);
        });

        it("hands the new cluster's endpoint, CA, service CIDR and security group to self-managed Kata nodes (no lookup of a cluster not yet there)", () => {
            const p = ok("staging");
            const userData = p.files["userdata/sandbox-staging-kata-nested-template.mime"];
            assert.match(userData, /apiServerEndpoint: "https:\/\/sandbox-staging\.eks\.plan\.invalid"/);
            assert.match(userData, /cidr: "172\.20\.0\.0\/16"/);
            const template = ofType(p, "aws:ec2/launchTemplate:LaunchTemplate").find((t) => t.name === "sandbox-staging-kata-nested-template")!;
            assert.deepStrictEqual(template.inputs.vpcSecurityGroupIds, ["sg-00000000000000001"]);
        });
    });

    describe("a created EKS cluster in given subnets", () => {
        it("opens the public API endpoint only to the allowed CIDRs", () => {
            const vpc = ofType(ok("eks-own-subnets"), EKS_CLUSTER)[0].inputs.vpcConfig;
            assert.deepStrictEqual(vpc.publicAccessCidrs, ["198.51.100.0/24"]);
            assert.strictEqual(ofType(ok("staging"), EKS_CLUSTER)[0].inputs.vpcConfig.publicAccessCidrs, undefined, "EKS default when none given");
        });

        it("creates no VPC and gives each admin principal an access entry with cluster-admin", () => {
            const p = ok("eks-own-subnets");
            assert.deepStrictEqual(ofType(p, "aws:ec2/vpc:Vpc"), []);
            assert.deepStrictEqual(ofType(p, EKS_CLUSTER)[0].inputs.vpcConfig.subnetIds, ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]);
            const admin = "arn:aws:iam::000000000000:role/platform-admins";
            const entries = ofType(p, "aws:eks/accessEntry:AccessEntry").filter((e) => e.inputs.principalArn === admin);
            assert.deepStrictEqual(entries.map((e) => e.inputs.type), ["STANDARD"]);
            const [assoc] = ofType(p, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
            assert.deepStrictEqual(
                { principal: assoc.inputs.principalArn, policy: assoc.inputs.policyArn, scope: assoc.inputs.accessScope },
                { principal: admin, policy: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", scope: { type: "cluster" } },
            );
        });
    });

    describe("a created GKE cluster (dev)", () => {
        it("removes the default pool, enables Workload Identity, Dataplane V2 (NetworkPolicy enforcement) and shielded nodes", () => {
            const [cluster] = ofType(ok("dev"), GKE_CLUSTER);
            assert.strictEqual(cluster.inputs.removeDefaultNodePool, true);
            assert.deepStrictEqual(cluster.inputs.workloadIdentityConfig, { workloadPool: "my-sandbox-project.svc.id.goog" });
            assert.strictEqual(cluster.inputs.datapathProvider, "ADVANCED_DATAPATH");
            assert.strictEqual(cluster.inputs.enableShieldedNodes, true);
            assert.strictEqual(cluster.inputs.deletionProtection, false, "dev turns deletion protection off");
        });

        it("names each GKE node pool after its stack pool", () => {
            const names = ofType(ok("dev"), GKE_NODE_POOL).map((p) => p.inputs.name ?? "(system, auto-named)");
            assert.deepStrictEqual(names, ["(system, auto-named)", "gvisor", "kata"]);
        });
    });

    describe("a created AKS cluster (azure-dev)", () => {
        it("creates the cluster with Workload Identity, the OIDC issuer, Cilium NetworkPolicy and Entra ID without local accounts, in the given resource group", () => {
            const [cluster] = ofType(ok("azure-dev"), AKS_CLUSTER);
            assert.deepStrictEqual([cluster.inputs.resourceGroupName, cluster.inputs.resourceName, cluster.inputs.location, cluster.inputs.kubernetesVersion], ["rg-sandbox-dev", "sandbox-azure-dev", "westeurope", "1.35"]);
            assert.deepStrictEqual(cluster.inputs.securityProfile, { workloadIdentity: { enabled: true } });
            assert.deepStrictEqual(cluster.inputs.oidcIssuerProfile, { enabled: true });
            assert.strictEqual(cluster.inputs.networkProfile.networkPolicy, "cilium");
            assert.strictEqual(cluster.inputs.disableLocalAccounts, true);
        });

        it("adds the Kata pool as a Pod Sandboxing agent pool of that cluster, named after the stack's pool, autoscaled from zero", () => {
            const [pool] = ofType(ok("azure-dev"), AKS_AGENT_POOL);
            assert.deepStrictEqual(
                [pool.inputs.resourceGroupName, pool.inputs.resourceName, pool.inputs.agentPoolName, pool.inputs.workloadRuntime, pool.inputs.osSKU, pool.inputs.minCount, pool.inputs.maxCount],
                ["rg-sandbox-dev", "sandbox-azure-dev", "kata", "KataVmIsolation", "AzureLinux", 0, 2],
            );
        });

        it("limits the API server to sandbox:apiAllowedCidrs and passes Entra admin groups on", () => {
            const p = ok("aks-ranges");
            assert.deepStrictEqual(ofType(p, AKS_CLUSTER)[0].inputs.apiServerAccessProfile, { authorizedIPRanges: ["198.51.100.0/24"] });
            const groups = ofType(p, "azure-native:authorization:RoleAssignment").map((r) => r.inputs.principalId);
            assert.ok(groups.includes("44444444-4444-4444-4444-444444444444"), groups.join(", "));
            assert.strictEqual(ofType(ok("azure-dev"), AKS_CLUSTER)[0].inputs.apiServerAccessProfile, undefined, "AKS default when none given");
        });
    });

    describe("an adopted cluster", () => {
        it("on AKS creates no cluster and adds the Kata pool to the named one in its resource group", () => {
            const p = ok("aks-adopt");
            assert.deepStrictEqual(ofType(p, AKS_CLUSTER), []);
            assert.deepStrictEqual(ofType(p, AKS_AGENT_POOL).map((n) => [n.inputs.resourceGroupName, n.inputs.resourceName]), [["rg-apps", "apps"]]);
            assert.strictEqual(YAML.parse(p.outputs.kubeconfig).users[0].user.exec.command, "kubelogin");
        });

        it("on EKS (prod) creates no cluster, VPC or system pool: only sandbox pools, in the given subnets, and the runtime layer", () => {
            const p = ok("prod");
            for (const t of [EKS_CLUSTER, "aws:ec2/vpc:Vpc", "sandbox-clusters:stacks:EksCluster"]) assert.deepStrictEqual(ofType(p, t), [], t);
            const groups = ofType(p, EKS_NODE_GROUP);
            assert.deepStrictEqual(groups.map((g) => g.inputs.clusterName), ["apps-prod", "apps-prod"]);
            assert.deepStrictEqual(groups.map((g) => g.inputs.subnetIds), Array(2).fill(stackConfig("prod")["sandbox:subnetIds"]));
            assert.strictEqual(ofType(p, "sandbox-clusters:index:SandboxRuntimes").length, 1);
        });

        it("on EKS, a self-managed Kata pool bootstraps from the looked-up cluster and joins its cluster security group", () => {
            const p = ok("eks-adopt-nested");
            const template = ofType(p, "aws:ec2/launchTemplate:LaunchTemplate").find((t) => t.name === "apps-kata-template")!;
            assert.deepStrictEqual(template.inputs.vpcSecurityGroupIds, ["sg-00000000000000001"]);
            const userData = p.files["userdata/apps-kata-template.mime"];
            assert.match(userData, /apiServerEndpoint: "https:\/\/apps\.eks\.plan\.invalid"/);
            assert.match(userData, /cidr: "172\.20\.0\.0\/16"/);
        });

        it("on GKE creates no cluster and attaches the pools to the named one", () => {
            const p = ok("gke-adopt");
            assert.deepStrictEqual(ofType(p, GKE_CLUSTER), []);
            assert.deepStrictEqual(ofType(p, GKE_NODE_POOL).map((n) => [n.inputs.cluster, n.inputs.location]), [["apps", "us-central1"]]);
        });
    });

    it("never leaves a gVisor or Kata pool as a created cluster's only pool: one untainted system pool of at least one node", () => {
        for (const stack of stackNames()) {
            const p = ok(stack);
            if (stackConfig(stack)["sandbox:clusterMode"] === "adopt") continue;
            // AKS declares its system pool inside the managed cluster.
            const aks = ofType(p, AKS_CLUSTER).flatMap((c) => c.inputs.agentPoolProfiles.filter((a: any) => a.mode === "System"))
                .map((a: any) => ({ name: `${a.name}-system`, inputs: { taints: a.nodeTaints, scalingConfig: { minSize: a.minCount } } as Record<string, any> }));
            const system = [...ofType(p, EKS_NODE_GROUP), ...ofType(p, GKE_NODE_POOL), ...aks].filter((g) => g.name.endsWith("-system"));
            assert.strictEqual(system.length, 1, stack);
            const sys = system[0].inputs;
            assert.ok(!sys.taints && !sys.nodeConfig?.taints && !sys.nodeConfig?.sandboxConfig, `${stack}: system pool is not a sandbox pool`);
            assert.ok((sys.scalingConfig?.minSize ?? sys.autoscaling?.totalMinNodeCount) >= 1, `${stack}: system pool keeps a node`);
        }
    });

    it("exports the kubeconfig as a secret that authenticates through the cloud's CLI", () => {
        for (const stack of stackNames()) {
            const p = ok(stack);
            const cloud = stackConfig(stack)["sandbox:cloud"];
            const kc = YAML.parse(p.outputs.kubeconfig);
            assert.strictEqual(kc.kind, "Config");
            assert.strictEqual(kc.users[0].user.exec.command, { aws: "aws", gcp: "gke-gcloud-auth-plugin", azure: "kubelogin" }[cloud as string], stack);
            assert.match(kc.clusters[0].cluster.server, /^https:\/\//);
            assert.ok(!/token:|password:|client-key-data/.test(p.outputs.kubeconfig), "no credential in the kubeconfig");
            assert.match(p.text, /kubeconfig: \[secret\]/);
        }
    });

    it("exports per pool the contract's node stamp, the RuntimeClasses that target it, and a runnable example pod", () => {
        for (const stack of stackNames()) {
            const p = ok(stack);
            const cloud = stackConfig(stack)["sandbox:cloud"] as Cloud;
            for (const pool of stackConfig(stack)["sandbox:pools"]) {
                const out = p.outputs.pools[pool.name];
                const stamp = nodeStamp(pool.runtime, cloud);
                // AKS taints spot nodes itself; the plan shows what the nodes carry.
                const cloudTaints = cloud === Cloud.Azure && pool.spot ? [formatTaint(AKS_SPOT_TAINT)] : [];
                assert.deepStrictEqual(out.nodeStamp, { labels: stamp.labels, taints: [...stamp.taints.map(formatTaint), ...cloudTaints], appliedByCloud: stamp.appliedByCloud }, `${stack}/${pool.name}`);
                assert.ok(out.runtimeClasses.length > 0 && out.runtimeClasses.every((c: string) => p.outputs.runtimeClassNames.includes(c)));
                assert.strictEqual(out.runtimeClasses[0], pool.runtime === Runtime.Gvisor ? "gvisor" : "kata");
            }
            const overrides = /--overrides='([^']+)'/.exec(p.outputs.examplePod)?.[1];
            assert.ok(overrides, p.outputs.examplePod);
            assert.ok(p.outputs.runtimeClassNames.includes(JSON.parse(overrides).spec.runtimeClassName));
        }
    });
});
