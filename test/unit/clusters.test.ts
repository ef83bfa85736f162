import * as assert from "assert";
import { InputPropertiesError } from "../../components/validation";
import { EksCluster } from "../../components/aws/EksCluster";
import { EksVpc } from "../../components/aws/EksVpc";
import { GkeCluster, gkeSystemServiceAccountId } from "../../components/gcp/GkeCluster";
import { NameKind, PULUMI_AUTONAME_SUFFIX_LENGTH, nameProblems } from "../../components/names";
import { installMocks, reset, settle, state } from "../support/mocks";

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
    subnetIds: ["subnet-0a", "subnet-0b"],
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

describe("cluster components (EksVpc, EksCluster, GkeCluster)", () => {
    before(installMocks);

    it("EksCluster refuses a system pool that may scale to zero, and bad sizes, before creating anything", async () => {
        const msg = await rejected(() => new EksCluster("bad", { ...EKS, subnetIds: ["subnet-0a"], systemMinSize: 0, systemDesiredSize: 5 }));
        assert.strictEqual(msg, [
            'EksCluster "bad" has invalid arguments:',
            "  - subnetIds: EKS needs subnets in at least two availability zones (got 1)",
            "  - systemMinSize: must be at least 1: a gVisor or Kata pool is never the cluster's only pool",
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
            "  - availabilityZones: needs at least two zones (got 1)",
        ].join("\n"));
    });

    it("GkeCluster limits the control plane endpoint to authorized networks when given", async () => {
        reset();
        new GkeCluster("nets", { ...GKE, authorizedNetworks: ["198.51.100.0/24"] });
        await settle();
        const cluster = state.resources.find((r) => r.type === "gcp:container/cluster:Cluster")!;
        assert.deepStrictEqual(cluster.inputs.masterAuthorizedNetworksConfig, { cidrBlocks: [{ cidrBlock: "198.51.100.0/24" }] });
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
