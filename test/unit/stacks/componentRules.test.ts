import * as assert from "assert";
import { Problem } from "../../../components/validation";
import { EksClusterArgs, eksClusterProblems } from "../../../components/aws/eksClusterArgs";
import { eksVpcProblems } from "../../../components/aws/eksVpcArgs";
import { GkeClusterArgs, gkeClusterProblems } from "../../../components/gcp/gkeClusterArgs";
import { AksClusterArgs, aksClusterProblems } from "../../../components/azure/aksClusterArgs";
import { gkeSandboxNodePoolProblems } from "../../../components/gcp/gkeSandboxNodePoolArgs";
import { eksSandboxNodePoolProblems } from "../../../components/aws/eksSandboxNodePoolArgs";
import { parseStackConfig } from "../../../stacks/config";
import { BASE_STACKS, ok, problems } from "../../support/configResult";

const { aws: AWS, gcp: GCP, azure: AZURE } = BASE_STACKS;
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

    describe("GKE", () => {
        it("the project ID: the components' rule, on created and adopted clusters", () => {
            const message = only(gkeClusterProblems({ ...GKE, project: "My_Project" }), "project");
            assert.strictEqual(only(gkeSandboxNodePoolProblems("p", { cluster: "c1", location: "europe-west4-a", project: "My_Project", runtime: "gvisor", machineType: "e2-standard-4" }), "project"), message);
            oneProblem({ ...GCP, "gcp:project": "My_Project" }, "gcp:project", message);
            oneProblem({ ...GCP, "gcp:project": "My_Project", "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps" }, "gcp:project", message);
        });
    });

    describe("AKS", () => {
        it("the region and the admin groups: AksCluster's rules", () => {
            oneProblem({ ...AZURE, "sandbox:location": "West Europe" }, "sandbox:location", only(aksClusterProblems({ ...AKS, location: "West Europe" }), "location"));
            oneProblem({ ...AZURE, "sandbox:adminGroupObjectIds": ["admins"] }, "sandbox:adminGroupObjectIds[0]",
                only(aksClusterProblems({ ...AKS, adminGroupObjectIds: ["admins"] }), "adminGroupObjectIds[0]"));
        });
    });
});
