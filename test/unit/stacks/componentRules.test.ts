import * as assert from "assert";
import { Problem } from "../../../components/validation";
import { EksClusterArgs, eksClusterProblems } from "../../../components/aws/eksClusterArgs";
import { eksVpcProblems } from "../../../components/aws/eksVpcArgs";
import { GkeClusterArgs, gkeClusterProblems } from "../../../components/gcp/gkeClusterArgs";
import { AksClusterArgs, aksClusterProblems } from "../../../components/azure/aksClusterArgs";
import { gkeSandboxNodePoolProblems } from "../../../components/gcp/gkeSandboxNodePoolArgs";
import { eksSandboxNodePoolProblems } from "../../../components/aws/eksSandboxNodePoolArgs";
import { aksSandboxNodePoolProblems } from "../../../components/azure/aksSandboxNodePoolArgs";
import { NameKind, nameProblems } from "../../../components/names";
import { parseStackConfig } from "../../../stacks/config";
import { BASE_STACKS, ok, problems } from "../../support/configResult";

const { aws: AWS, gcp: GCP, azure: AZURE, kubernetes: K8S } = BASE_STACKS;
const ADOPT = { "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps" };
const ADOPT_EKS = { ...ADOPT, "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001"] };
const EKS: EksClusterArgs = {
    clusterName: "c1", version: "1.35", region: "us-east-1", subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
    systemInstanceTypes: ["m7i.large"], systemMinSize: 1, systemMaxSize: 3, systemDesiredSize: 2,
};
const GKE: GkeClusterArgs = {
    clusterName: "c1", project: "my-sandbox-project", location: "europe-west4", network: "default",
    systemMachineType: "e2-standard-4", systemMinSize: 1, systemMaxSize: 3, systemDesiredSize: 1,
};
const AKS: AksClusterArgs = {
    clusterName: "c1", resourceGroupName: "rg-sandbox", location: "westeurope",
    systemVmSize: "Standard_D2s_v5", systemMinSize: 1, systemMaxSize: 3, systemDesiredSize: 2,
};

/** The one message a component gives for `path`, as the rule the stack must report word for word. */
function only(ps: readonly Problem[], path: string): string {
    const at = ps.filter((x) => x.path === path);
    assert.strictEqual(at.length, 1, `one problem at ${path}: ${JSON.stringify(ps)}`);
    return at[0].message;
}

/** A stack with one mistake gets one problem: the component's own message under the config key. */
function oneProblem(stack: Record<string, unknown>, key: string, message: string): void {
    assert.deepStrictEqual(problems(parseStackConfig(stack, "dev")), [`${key}: ${message}`]);
}

describe("stack config: each rule once, in the component that owns it, under the config key", () => {
    describe("EKS", () => {
        it("a created cluster in fewer than two subnets: EksCluster's rule", () => {
            oneProblem({ ...AWS, "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001"] }, "sandbox:subnetIds",
                only(eksClusterProblems({ ...EKS, subnetIds: ["subnet-0a1b2c3d4e5f60001"] }), "subnetIds"));
            ok(parseStackConfig({ ...AWS, "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps", "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001"] }, "dev"));
        });

        it("the VPC's range and zones: EksVpc's rules, only where the program creates the VPC", () => {
            oneProblem({ ...AWS, "sandbox:vpcCidr": "10.0.0.0/8" }, "sandbox:vpcCidr",
                only(eksVpcProblems({ cidr: "10.0.0.0/8", clusterName: "c1" }), "cidr"));
            oneProblem({ ...AWS, "sandbox:availabilityZones": ["us-east-1a"] }, "sandbox:availabilityZones",
                only(eksVpcProblems({ cidr: "10.0.0.0/16", clusterName: "c1", availabilityZones: ["us-east-1a"] }), "availabilityZones"));
            const inSubnets = { ...AWS, "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"] };
            oneProblem({ ...inSubnets, "sandbox:vpcCidr": "10.0.0.0/8" }, "sandbox:vpcCidr",
                "only applies when the program creates the VPC (created cluster, no sandbox:subnetIds)");
            oneProblem({ ...inSubnets, "sandbox:availabilityZones": ["us-east-1a"] }, "sandbox:availabilityZones",
                "only applies when the program creates the VPC");
        });

        it("subnet IDs: the rule of EksCluster and of the pools, once however many components take them", () => {
            const message = only(eksClusterProblems({ ...EKS, subnetIds: ["subnet-0a1b2c3d", "subnet-1"] }), "subnetIds[1]");
            assert.strictEqual(only(eksSandboxNodePoolProblems({ clusterName: "c1", subnetIds: ["subnet-1"], runtime: "gvisor" }), "subnetIds[0]"), message);
            const twoPools = [{ name: "a", runtime: "gvisor", instanceTypes: ["m7i.xlarge"] }, { name: "b", runtime: "gvisor", instanceTypes: ["m7i.xlarge"] }];
            oneProblem({ ...AWS, "sandbox:pools": twoPools, "sandbox:subnetIds": ["subnet-0a1b2c3d", "subnet-1"] }, "sandbox:subnetIds[1]", message);
            oneProblem({ ...AWS, ...ADOPT_EKS, "sandbox:pools": twoPools, "sandbox:subnetIds": ["subnet-1"] }, "sandbox:subnetIds[0]",
                message.replace("subnetIds[1]", "subnetIds[0]"));
            for (const id of ["subnet-0a1b2c3d", "subnet-0a1b2c3d4e5f60718"]) assert.deepStrictEqual(eksClusterProblems({ ...EKS, subnetIds: [id, "subnet-0a1b2c3e"] }), []);
        });

        it("admin principal ARNs: EksCluster's rule, every AWS partition and no other (the stack took any arn:aws*)", () => {
            const arn = (partition: string) => `arn:${partition}:iam::123456789012:role/admins`;
            for (const partition of ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]) {
                assert.deepStrictEqual(ok(parseStackConfig({ ...AWS, "sandbox:adminPrincipalArns": [arn(partition)] }, "dev")).aws?.adminPrincipalArns, [arn(partition)]);
                assert.deepStrictEqual(eksClusterProblems({ ...EKS, adminPrincipalArns: [arn(partition)] }), []);
            }
            for (const bad of [arn("aws-foo"), arn("aws-iso-z"), arn("awsx"), "arn:aws:sts::123456789012:assumed-role/admins/me", "admins"]) {
                oneProblem({ ...AWS, "sandbox:adminPrincipalArns": [bad] }, "sandbox:adminPrincipalArns[0]", only(eksClusterProblems({ ...EKS, adminPrincipalArns: [bad] }), "adminPrincipalArns[0]"));
            }
            assert.deepStrictEqual(eksClusterProblems({ ...EKS, region: "eusc-de-east-1", adminPrincipalArns: [arn("aws-eusc")] }), [], "the European Sovereign Cloud's region too");
            assert.strictEqual(only(eksClusterProblems({ ...EKS, adminPrincipalArns: [arn("aws-foo")] }), "adminPrincipalArns[0]"),
                '"arn:aws-foo:iam::123456789012:role/admins" is not the ARN of an IAM role or user: "aws-foo" is not an AWS partition (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc)');
            oneProblem({ ...AWS, "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps", "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001"], "sandbox:adminPrincipalArns": [arn("aws-foo")] },
                "sandbox:adminPrincipalArns", "only applies to created clusters; manage an adopted cluster's access entries where it was made");
        });

        it("the pool's instance types: the pool component's rule", () => {
            oneProblem({ ...AWS, "sandbox:pools": [{ name: "g", runtime: "gvisor", instanceTypes: [] }] }, "sandbox:pools[0].instanceTypes",
                only(eksSandboxNodePoolProblems({ clusterName: "c1", subnetIds: ["subnet-0a1b2c3d"], runtime: "gvisor", instanceTypes: [] }), "instanceTypes"));
        });
    });

    describe("every created cluster", () => {
        const clouds = [
            { stack: AWS, problemsOf: (cidrs: string[]) => eksClusterProblems({ ...EKS, publicAccessCidrs: cidrs }), arg: "publicAccessCidrs" },
            { stack: GCP, problemsOf: (cidrs: string[]) => gkeClusterProblems({ ...GKE, authorizedNetworks: cidrs }), arg: "authorizedNetworks" },
            { stack: AZURE, problemsOf: (cidrs: string[]) => aksClusterProblems({ ...AKS, apiAllowedCidrs: cidrs }), arg: "apiAllowedCidrs" },
        ];

        it("API endpoint CIDRs: the cluster component's rule on each cloud; on an adopted cluster only that it does not apply", () => {
            for (const { stack, problemsOf, arg } of clouds) {
                oneProblem({ ...stack, "sandbox:apiAllowedCidrs": ["198.51.100.0/33"] }, "sandbox:apiAllowedCidrs[0]", only(problemsOf(["198.51.100.0/33"]), `${arg}[0]`));
                oneProblem({ ...stack, "sandbox:apiAllowedCidrs": ["198.51.100.0/24", "198.51.100.0/24"] }, "sandbox:apiAllowedCidrs",
                    '"198.51.100.0/24" listed twice');
            }
            oneProblem({ ...GCP, "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps", "sandbox:apiAllowedCidrs": ["198.51.100.0/33"] }, "sandbox:apiAllowedCidrs",
                "only applies to created clusters; an adopted cluster keeps its own endpoint access");
        });

        it("system pool sizes: the cluster component's rule on each cloud, one message per mistake, in the stack's field names", () => {
            const eachCloud = [
                { stack: AWS, problemsOf: (s: object) => eksClusterProblems({ ...EKS, ...s }) },
                { stack: GCP, problemsOf: (s: object) => gkeClusterProblems({ ...GKE, ...s }) },
                { stack: AZURE, problemsOf: (s: object) => aksClusterProblems({ ...AKS, ...s }) },
            ];
            for (const { stack, problemsOf } of eachCloud) {
                oneProblem({ ...stack, "sandbox:systemPool": { minSize: 0 } }, "sandbox:systemPool.minSize",
                    only(problemsOf({ systemMinSize: 0 }), "systemMinSize"));
                oneProblem({ ...stack, "sandbox:systemPool": { minSize: 3, maxSize: 2 } }, "sandbox:systemPool.maxSize", "must be at least minSize (3)");
                oneProblem({ ...stack, "sandbox:systemPool": { desiredSize: 5 } }, "sandbox:systemPool.desiredSize", "must lie between minSize (1) and maxSize (3)");
            }
            assert.strictEqual(only(eksClusterProblems({ ...EKS, systemMinSize: 3, systemMaxSize: 2 }), "systemMaxSize"), "must be at least systemMinSize (3)",
                "the component names its own args");
        });
    });

    describe("Kubernetes version of a created cluster: the cluster components' rule, 1.N from 1.30 on", () => {
        const version = (stack: object, v: unknown) => parseStackConfig({ ...stack, "sandbox:kubernetesVersion": v }, "dev");

        it("takes every minor version from 1.30 on, as EksCluster and GkeCluster do (the stack once wanted two digits)", () => {
            for (const v of ["1.30", "1.35", "1.100"]) {
                assert.strictEqual(ok(version(AWS, v)).kubernetesVersion, v);
                assert.strictEqual(ok(version(GCP, v)).kubernetesVersion, v);
                assert.deepStrictEqual(eksClusterProblems({ ...EKS, version: v }), []);
            }
        });

        it("refuses a version older than 1.30, whose API server does not serve the guard, with the component's reason", () => {
            for (const [stack, problemsOf, arg] of [[AWS, (v: string) => eksClusterProblems({ ...EKS, version: v }), "version"], [GCP, (v: string) => gkeClusterProblems({ ...GKE, minMasterVersion: v }), "minMasterVersion"]] as const) {
                oneProblem({ ...stack, "sandbox:kubernetesVersion": "1.29" }, "sandbox:kubernetesVersion", only(problemsOf("1.29"), arg));
                oneProblem({ ...stack, "sandbox:kubernetesVersion": "1.35.1" }, "sandbox:kubernetesVersion", only(problemsOf("1.35.1"), arg));
            }
            assert.strictEqual(only(eksClusterProblems({ ...EKS, version: "1.29" }), "version"),
                "1.29 is older than 1.30, the first Kubernetes version that serves ValidatingAdmissionPolicy v1, which the admission guard is made of");
        });

        it("refuses 1.3, YAML's reading of an unquoted 1.30, with the component's reason and how to quote it", () => {
            const reason = only(eksClusterProblems({ ...EKS, version: "1.3" }), "version");
            oneProblem({ ...AWS, "sandbox:kubernetesVersion": "1.3" }, "sandbox:kubernetesVersion",
                `${reason}; if the stack file says 1.30 without quotes, YAML read it as the number 1.3: quote it, "1.30"`);
            oneProblem({ ...AWS, "sandbox:kubernetesVersion": 1.3 }, "sandbox:kubernetesVersion",
                'is the number 1.3: YAML reads an unquoted version as a number and drops its trailing zero (1.30 becomes 1.3); quote it: kubernetesVersion: "1.30"');
        });

        it("on AKS: AksCluster's rule, a patch version too, Pod Sandboxing's reason below 1.27", () => {
            assert.strictEqual(ok(version(AZURE, "1.35.2")).kubernetesVersion, "1.35.2");
            oneProblem({ ...AZURE, "sandbox:kubernetesVersion": "1.28" }, "sandbox:kubernetesVersion", only(aksClusterProblems({ ...AKS, kubernetesVersion: "1.28" }), "kubernetesVersion"));
            oneProblem({ ...AZURE, "sandbox:kubernetesVersion": "1.26" }, "sandbox:kubernetesVersion", "1.26 is older than 1.27, the first Kubernetes version AKS runs Pod Sandboxing on");
        });

        it("on an adopted cluster: only that it does not apply", () => {
            oneProblem({ ...GCP, "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps", "sandbox:kubernetesVersion": "1.3" }, "sandbox:kubernetesVersion",
                "only applies to created clusters; an adopted cluster keeps its own version");
        });
    });

    describe("cluster names: the cloud's own rule, from the component that takes the name", () => {
        const clouds = [
            { stack: AWS, adopt: ADOPT_EKS, kind: NameKind.EksCluster, good: ["Legacy_Apps", "a".repeat(100)], bad: ["-apps", "a".repeat(101), "apps.prod"] },
            { stack: GCP, adopt: ADOPT, kind: NameKind.GkeCluster, good: ["apps", "a".repeat(40)], bad: ["Apps", "a".repeat(41), "apps-"] },
            { stack: AZURE, adopt: ADOPT, kind: NameKind.AksCluster, good: ["Legacy_Apps", "a".repeat(63)], bad: ["-apps", "a".repeat(64), "apps_"] },
        ];

        it("created clusters: the cluster component's rule (the stack once held every cloud to GKE's)", () => {
            for (const { stack, kind, good, bad } of clouds) {
                for (const name of good) assert.strictEqual(ok(parseStackConfig({ ...stack, "sandbox:clusterName": name }, "dev")).clusterName, name);
                for (const name of bad) oneProblem({ ...stack, "sandbox:clusterName": name }, "sandbox:clusterName", only(nameProblems(kind, "clusterName", name), "clusterName"));
            }
        });

        it("adopted clusters: the pools' rule, the same as their cloud's (the stack refused AKS's capitals and '_')", () => {
            for (const { stack, adopt, kind, good, bad } of clouds) {
                for (const name of good) assert.strictEqual(ok(parseStackConfig({ ...stack, ...adopt, "sandbox:clusterName": name }, "dev")).clusterName, name);
                for (const name of bad) oneProblem({ ...stack, ...adopt, "sandbox:clusterName": name }, "sandbox:clusterName", only(nameProblems(kind, "clusterName", name), "clusterName"));
            }
            assert.strictEqual(only(aksSandboxNodePoolProblems("p", { resourceGroupName: "rg", clusterName: "apps_" }), "clusterName"), only(nameProblems(NameKind.AksCluster, "clusterName", "apps_"), "clusterName"));
            assert.strictEqual(only(gkeSandboxNodePoolProblems("p", { cluster: "projects/p/locations/l/clusters/Apps", location: "europe-west4", project: "my-sandbox-project", runtime: "gvisor" }), "cluster"),
                only(nameProblems(NameKind.GkeCluster, "cluster", "Apps"), "cluster"));
        });

        it("the default name sandbox-<stack>: the same rule, and the user is told to set the key", () => {
            assert.strictEqual(ok(parseStackConfig(AWS, "Prod")).clusterName, "sandbox-Prod");
            assert.deepStrictEqual(problems(parseStackConfig(GCP, "Prod")), [
                `sandbox:clusterName: required: the default ${only(nameProblems(NameKind.GkeCluster, "clusterName", "sandbox-Prod"), "clusterName")}`,
            ]);
        });

        it("cloud kubernetes: any name, which only names the program's own resources", () => {
            assert.strictEqual(ok(parseStackConfig({ ...K8S, "sandbox:clusterName": "On-Prem_1" }, "dev")).clusterName, "On-Prem_1");
        });
    });

    describe("GKE", () => {
        it("the location: the components' rule, on created and adopted clusters", () => {
            const message = only(gkeClusterProblems({ ...GKE, location: "europe" }), "location");
            oneProblem({ ...GCP, "sandbox:location": "europe" }, "sandbox:location", message);
            oneProblem({ ...GCP, ...ADOPT, "sandbox:location": "europe" }, "sandbox:location", message);
            for (const location of ["europe-west4", "europe-west4-a", "us-central1"]) ok(parseStackConfig({ ...GCP, "sandbox:location": location }, "dev"));
        });

        it("the project ID: the components' rule, on created and adopted clusters", () => {
            const message = only(gkeClusterProblems({ ...GKE, project: "My_Project" }), "project");
            assert.strictEqual(only(gkeSandboxNodePoolProblems("p", { cluster: "c1", location: "europe-west4-a", project: "My_Project", runtime: "gvisor", machineType: "e2-standard-4" }), "project"), message);
            oneProblem({ ...GCP, "gcp:project": "My_Project" }, "gcp:project", message);
            oneProblem({ ...GCP, "gcp:project": "My_Project", "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps" }, "gcp:project", message);
        });
    });

    describe("AKS", () => {
        it("the resource group: the components' rule, on created and adopted clusters", () => {
            const message = only(aksClusterProblems({ ...AKS, resourceGroupName: "rg." }), "resourceGroupName");
            oneProblem({ ...AZURE, "sandbox:resourceGroup": "rg." }, "sandbox:resourceGroup", message);
            oneProblem({ ...AZURE, ...ADOPT, "sandbox:resourceGroup": "rg." }, "sandbox:resourceGroup", message);
        });

        it("the region and the admin groups: AksCluster's rules", () => {
            oneProblem({ ...AZURE, "sandbox:location": "West Europe" }, "sandbox:location", only(aksClusterProblems({ ...AKS, location: "West Europe" }), "location"));
            oneProblem({ ...AZURE, "sandbox:adminGroupObjectIds": ["admins"] }, "sandbox:adminGroupObjectIds[0]",
                only(aksClusterProblems({ ...AKS, adminGroupObjectIds: ["admins"] }), "adminGroupObjectIds[0]"));
        });
    });
});
