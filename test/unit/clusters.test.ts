import * as assert from "assert";
import { InputPropertiesError } from "../../components/validation";
import { EksCluster } from "../../components/aws/EksCluster";
import { EksVpc } from "../../components/aws/EksVpc";
import { GkeCluster, gkeSystemServiceAccountId } from "../../components/gcp/GkeCluster";
import { AksCluster } from "../../components/azure/AksCluster";
import { NameKind, PULUMI_AUTONAME_SUFFIX_LENGTH, nameProblems } from "../../components/names";
import { installMocks, reset, resolve, settle, state } from "../support/mocks";

/** The error a constructor throws, after checking it created no child. */
async function rejected(make: () => unknown): Promise<string> {
    reset();
    let err: unknown;
    try {
        make();
    } catch (e) {
        err = e;
    }
    await settle();
    assert.ok(err instanceof InputPropertiesError, `expected InputPropertiesError, got ${String(err)}`);
    const children = state.resources.filter((r) => !r.type.startsWith("sandbox-clusters:"));
    assert.deepStrictEqual(children.map((r) => r.type), [], "no child resource created");
    return err.message;
}

const EKS = {
    clusterName: "c1",
    version: "1.35",
    region: "us-east-1",
    subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
    systemInstanceTypes: ["m7i.large"],
    systemMinSize: 1,
    systemMaxSize: 3,
    systemDesiredSize: 2,
};
const GKE = {
    clusterName: "c1",
    project: "my-sandbox-project",
    location: "europe-west4",
    network: "default",
    systemMachineType: "e2-standard-4",
    systemMinSize: 1,
    systemMaxSize: 3,
    systemDesiredSize: 2,
};

const AKS = {
    clusterName: "c1",
    resourceGroupName: "rg-sandbox",
    location: "westeurope",
    systemVmSize: "Standard_D2s_v5",
    systemMinSize: 1,
    systemMaxSize: 3,
    systemDesiredSize: 2,
};
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n").toString("base64");
/** The kubeconfig AKS's listClusterUserCredential returns for a cluster with local accounts: with a token the package must drop. */
const AKS_USER_KUBECONFIG = Buffer.from([
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${CA}`,
    "    server: https://c1-abcd1234.hcp.westeurope.azmk8s.io:443",
    "  name: c1",
    "users:",
    "- name: clusterUser_rg-sandbox_c1",
    "  user:",
    "    token: 0123456789abcdef",
    "",
].join("\n")).toString("base64");

function aksInvokes(): void {
    state.invokes["azure-native:authorization:getClientConfig"] = () => ({
        clientId: "11111111-1111-1111-1111-111111111111",
        objectId: "22222222-2222-2222-2222-222222222222",
        subscriptionId: "00000000-0000-0000-0000-000000000000",
        tenantId: "33333333-3333-3333-3333-333333333333",
    });
    state.invokes["azure-native:containerservice:listManagedClusterUserCredentials"] = () => ({ kubeconfigs: [{ name: "clusterUser", value: AKS_USER_KUBECONFIG }] });
}

describe("cluster components (EksVpc, EksCluster, GkeCluster, AksCluster)", () => {
    before(installMocks);

    it("EksCluster refuses a system pool that may scale to zero, and bad sizes, before creating anything", async () => {
        const msg = await rejected(() => new EksCluster("bad", { ...EKS, subnetIds: ["subnet-0a1b2c3d"], systemMinSize: 0, systemDesiredSize: 5 }));
        assert.strictEqual(msg, [
            'EksCluster "bad" has invalid arguments:',
            "  - subnetIds: EKS needs subnets in at least two availability zones (got 1)",
            "  - systemMinSize: must be at least 1: sandbox pools are tainted and a gVisor or Kata pool is never the cluster's only pool",
            "  - systemDesiredSize: must lie between systemMinSize (0) and systemMaxSize (3)",
        ].join("\n"));
    });

    it("GkeCluster refuses missing names and a bad version", async () => {
        const msg = await rejected(() => new GkeCluster("bad", { ...GKE, project: "", minMasterVersion: "latest" }));
        assert.strictEqual(msg, [
            'GkeCluster "bad" has invalid arguments:',
            "  - project: is required",
            '  - minMasterVersion: "latest" is not a Kubernetes minor version such as "1.35"',
        ].join("\n"));
    });

    it("EksVpc refuses a range it cannot split and a single zone", async () => {
        const msg = await rejected(() => new EksVpc("bad", { cidr: "10.0.0.0/8", clusterName: "c1", availabilityZones: ["us-east-1a"] }));
        assert.strictEqual(msg, [
            'EksVpc "bad" has invalid arguments:',
            '  - cidr: "10.0.0.0/8" is not an IPv4 CIDR of /16 to /24',
            "  - availabilityZones: EKS needs at least two availability zones (got 1)",
        ].join("\n"));
    });

    it("GkeCluster limits the control plane endpoint to authorized networks when given", async () => {
        reset();
        new GkeCluster("nets", { ...GKE, authorizedNetworks: ["198.51.100.0/24"] });
        await settle();
        const cluster = state.resources.find((r) => r.type === "gcp:container/cluster:Cluster")!;
        assert.deepStrictEqual(cluster.inputs.masterAuthorizedNetworksConfig, { cidrBlocks: [{ cidrBlock: "198.51.100.0/24" }] });
    });

    it("AksCluster refuses a version below Pod Sandboxing's, bad ranges and a system pool that may scale to zero, before creating anything", async () => {
        const msg = await rejected(() => new AksCluster("bad", { ...AKS, kubernetesVersion: "1.26", apiAllowedCidrs: ["203.0.113.0"], adminGroupObjectIds: ["admins"], systemMinSize: 0 }));
        assert.strictEqual(msg, [
            'AksCluster "bad" has invalid arguments:',
            "  - kubernetesVersion: 1.26 is older than 1.27, the first Kubernetes version AKS runs Pod Sandboxing on",
            '  - apiAllowedCidrs[0]: "203.0.113.0" is not an IPv4 CIDR such as 198.51.100.0/24',
            '  - adminGroupObjectIds[0]: "admins" is not a Microsoft Entra object ID (a GUID)',
            "  - systemMinSize: must be at least 1: sandbox pools are tainted and a gVisor or Kata pool is never the cluster's only pool",
        ].join("\n"));
    });

    it("AksCluster creates Azure Linux system nodes, Entra ID with Azure RBAC and no local accounts, Workload Identity, Cilium NetworkPolicy and authorized ranges", async () => {
        reset();
        aksInvokes();
        new AksCluster("aks", { ...AKS, apiAllowedCidrs: ["198.51.100.0/24"], adminGroupObjectIds: ["44444444-4444-4444-4444-444444444444"] });
        await settle();
        const c = state.resources.find((r) => r.type === "azure-native:containerservice:ManagedCluster")!.inputs;
        assert.deepStrictEqual(c.agentPoolProfiles.map((p: any) => [p.name, p.mode, p.osSKU, p.minCount, p.maxCount, p.securityProfile]), [["system", "System", "AzureLinux", 1, 3, { sshAccess: "Disabled" }]]);
        assert.deepStrictEqual([c.aadProfile, c.disableLocalAccounts], [{ managed: true, enableAzureRBAC: true }, true]);
        assert.deepStrictEqual([c.oidcIssuerProfile, c.securityProfile], [{ enabled: true }, { workloadIdentity: { enabled: true } }]);
        assert.deepStrictEqual([c.networkProfile.networkDataplane, c.networkProfile.networkPolicy], ["cilium", "cilium"]);
        assert.deepStrictEqual(c.apiServerAccessProfile, { authorizedIPRanges: ["198.51.100.0/24"] });
        const roles = state.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment").map((r) => [r.inputs.principalId, r.inputs.roleDefinitionId]).sort();
        const admin = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";
        assert.deepStrictEqual(roles, [["22222222-2222-2222-2222-222222222222", admin], ["44444444-4444-4444-4444-444444444444", admin]]);
    });

    it("AksCluster's kubeconfig authenticates through kubelogin and keeps nothing of AKS's user entry", async () => {
        reset();
        aksInvokes();
        const kc = JSON.parse(await resolve(new AksCluster("aks", AKS).kubeconfig));
        assert.deepStrictEqual(kc.clusters, [{ name: "c1", cluster: { server: "https://c1-abcd1234.hcp.westeurope.azmk8s.io:443", "certificate-authority-data": CA } }]);
        assert.deepStrictEqual(kc.users[0].user.exec.command, "kubelogin");
        assert.deepStrictEqual(kc.users[0].user.exec.args, ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]);
        assert.ok(!JSON.stringify(kc).includes("0123456789abcdef"), "AKS's token is not passed on");
    });

    it("accepts the arguments the stacks pass", async () => {
        reset();
        new EksCluster("ok", EKS);
        new GkeCluster("ok", GKE);
        new EksVpc("ok", { cidr: "10.40.0.0/16", clusterName: "c1", availabilityZones: ["us-east-1a", "us-east-1b"] });
        await settle();
        assert.ok(state.resources.some((r) => r.type === "aws:eks/nodeGroup:NodeGroup"));
        assert.ok(state.resources.some((r) => r.type === "gcp:container/nodePool:NodePool"));
        assert.strictEqual(state.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").length, 4);
    });

    it("EksCluster refuses system instance types EKS cannot run on its x86_64 system AMI, and tags AWS refuses", async () => {
        const msg = await rejected(() => new EksCluster("bad", { ...EKS, systemInstanceTypes: ["m7g.large", "mac1.metal", "large"], tags: { "aws:x": "y" } }));
        assert.strictEqual(msg, [
            'EksCluster "bad" has invalid arguments:',
            "  - systemInstanceTypes[0]: m7g.large is arm64; the system node group runs AL2023_x86_64_STANDARD (x86_64)",
            "  - systemInstanceTypes[1]: mac1.metal is an EC2 Mac instance (macOS on a Dedicated Host), which cannot boot the Amazon Linux 2023 image EKS nodes run",
            '  - systemInstanceTypes[2]: "large" is not an EC2 instance type (<family>.<size>)',
            '  - tags["aws:x"]: keys starting with "aws:" (in any case) are reserved for AWS',
        ].join("\n"));
    });

    it("GkeCluster refuses an f1-micro system pool, which GKE refuses", async () => {
        const msg = await rejected(() => new GkeCluster("bad", { ...GKE, systemMachineType: "f1-micro" }));
        assert.strictEqual(msg, [
            'GkeCluster "bad" has invalid arguments:',
            "  - systemMachineType: GKE does not support f1-micro node pools (too little memory to run GKE's node agents)",
        ].join("\n"));
    });

    it("EksCluster refuses a region, API ranges and admin principals AWS would refuse, before creating anything", async () => {
        const msg = await rejected(() => new EksCluster("bad", {
            ...EKS,
            region: "us-east",
            publicAccessCidrs: ["203.0.113.0/24", "203.0.113.0/33", "anywhere", "203.0.113.0/24"],
            adminPrincipalArns: ["arn:aws:iam::123456789012:role/admins", "arn:aws:sts::123456789012:assumed-role/admins/me", "admins"],
        }));
        assert.strictEqual(msg, [
            'EksCluster "bad" has invalid arguments:',
            '  - region: "us-east" is not an AWS region such as eu-west-1',
            '  - publicAccessCidrs[1]: "203.0.113.0/33" is not an IPv4 CIDR such as 198.51.100.0/24',
            '  - publicAccessCidrs[2]: "anywhere" is not an IPv4 CIDR such as 198.51.100.0/24',
            '  - publicAccessCidrs: "203.0.113.0/24" is listed more than once',
            '  - adminPrincipalArns[1]: "arn:aws:sts::123456789012:assumed-role/admins/me" is not the ARN of an IAM role or user (EKS access entries take no STS session ARNs: name the role, arn:aws:iam::<account>:role/<name>)',
            '  - adminPrincipalArns[2]: "admins" is not the ARN of an IAM role or user (arn:aws:iam::<account>:role/<name>)',
        ].join("\n"));
    });

    it("GkeCluster refuses a project ID and authorized networks GCP would refuse", async () => {
        const msg = await rejected(() => new GkeCluster("bad", { ...GKE, project: "My_Project", authorizedNetworks: ["10.0.0.0/8", "10.0.0/8"] }));
        assert.strictEqual(msg, [
            'GkeCluster "bad" has invalid arguments:',
            "  - project: \"My_Project\" is not a Google Cloud project ID (6-30 lowercase letters, digits and '-', a letter first)",
            '  - authorizedNetworks[1]: "10.0.0/8" is not an IPv4 CIDR such as 198.51.100.0/24',
        ].join("\n"));
    });

    it("EksVpc refuses tags AWS refuses", async () => {
        const msg = await rejected(() => new EksVpc("bad", { cidr: "10.40.0.0/16", clusterName: "c1", tags: { team: "a;b" } }));
        assert.strictEqual(msg, [
            'EksVpc "bad" has invalid arguments:',
            '  - tags["team"]: value "a;b" has characters AWS refuses in tags (";"); use letters, digits, spaces and + - = . _ : / @',
        ].join("\n"));
    });

    describe("name budget", () => {
        /** Pulumi's auto-name of each child that has one (`<logical>-` and 7 random hex), checked against its cloud's rule. */
        const AUTO_NAMED: Record<string, NameKind> = {
            "aws:iam/role:Role": NameKind.AwsIamRole,
            "aws:eks/nodeGroup:NodeGroup": NameKind.EksNodeGroup,
            "gcp:container/nodePool:NodePool": NameKind.GkeNodePool,
        };
        function autoNameProblems(): string[] {
            return state.resources
                .filter((r) => AUTO_NAMED[r.type] !== undefined && r.inputs.name === undefined && r.inputs.nodeGroupName === undefined)
                .flatMap((r) => nameProblems(AUTO_NAMED[r.type], r.name, `${r.name}-0a1b2c3`).map((p) => `${p.path}: ${p.message}`));
        }

        it("keeps every auto-named child of a cluster with a 40-character name within its cloud's limit", async () => {
            reset();
            const long = "c".repeat(40);
            new EksCluster(long, { ...EKS, clusterName: long });
            new GkeCluster(long, { ...GKE, clusterName: long });
            await settle();
            assert.deepStrictEqual(autoNameProblems(), []);
            const roles = state.resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => r.name);
            assert.strictEqual(roles.length, 2);
            for (const role of roles) assert.ok(role.length + PULUMI_AUTONAME_SUFFIX_LENGTH <= 64, role);
            const account = state.resources.find((r) => r.type === "gcp:serviceaccount/account:Account")!;
            assert.strictEqual(account.inputs.accountId, gkeSystemServiceAccountId(long));
            assert.match(account.inputs.accountId, /^c{23}-[0-9a-f]{6}$/);
        });

        it("keeps the names of children that already fit", async () => {
            reset();
            new EksCluster("sandbox-staging", { ...EKS, clusterName: "sandbox-staging" });
            await settle();
            assert.deepStrictEqual(
                state.resources.filter((r) => r.type === "aws:iam/role:Role" || r.type === "aws:eks/nodeGroup:NodeGroup").map((r) => r.name),
                ["sandbox-staging-cluster-role", "sandbox-staging-system-node-role", "sandbox-staging-system"],
            );
            assert.strictEqual(gkeSystemServiceAccountId("sandbox-dev"), "sandbox-dev-system");
        });

        it("refuses cluster names the cloud refuses, naming the arg", async () => {
            assert.strictEqual(await rejected(() => new EksCluster("bad", { ...EKS, clusterName: "my cluster" })), [
                'EksCluster "bad" has invalid arguments:',
                "  - clusterName: \"my cluster\" is not a valid EKS cluster name: \" \" is not allowed (a letter or digit, then letters, digits, '-' and '_')",
            ].join("\n"));
            assert.strictEqual(await rejected(() => new GkeCluster("bad", { ...GKE, clusterName: "1st" })), [
                'GkeCluster "bad" has invalid arguments:',
                "  - clusterName: \"1st\" is not a valid GKE cluster name: it must start with a lowercase letter (a lowercase letter, then lowercase letters, digits and '-', not ending in '-')",
            ].join("\n"));
        });
    });
});
