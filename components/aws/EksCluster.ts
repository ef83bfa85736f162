// A created EKS cluster: control plane role, the cluster with API-only authentication,
// access entries for the stack's admins, and a small system managed node group that runs
// what sandbox nodes must not (CoreDNS, controllers, kata-deploy's Helm hooks). Sandbox
// pools are added next to it by the program, never instead of it.
import * as pulumi from "@pulumi/pulumi";
import { AccessEntry } from "@pulumi/aws/eks/accessEntry";
import { AccessPolicyAssociation } from "@pulumi/aws/eks/accessPolicyAssociation";
import { Cluster } from "@pulumi/aws/eks/cluster";
import { NodeGroup } from "@pulumi/aws/eks/nodeGroup";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import { InputPropertiesError } from "../validation";
import { NameKind, autoNamed } from "../names";
import { eksKubeconfig } from "./kubeconfig";
import { EksClusterArgs, SYSTEM_AMI_TYPE, eksClusterProblems } from "./eksClusterArgs";

const CLUSTER_POLICIES = ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"];
/** The minimal managed policies of an EKS worker node (AWS's node IAM role guide). */
export const EKS_WORKER_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
];
const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator"];
export const EKS_CLUSTER_TYPE = "sandbox-clusters:index:EksCluster";

/**
 * An EKS cluster with its system managed node group, ready for sandbox pools: the pools and
 * `SandboxRuntimes` take its outputs (`clusterName`, `kubeconfig`), so a library user can build
 * the same stacks the program in `stacks/` builds.
 *
 * @example
 * ```ts
 * import { EksCluster, EksVpc } from "sandbox-clusters/aws";
 *
 * const vpc = new EksVpc("sandbox", { cidr: "10.0.0.0/16", clusterName: "sandbox" });
 * export const cluster = new EksCluster("sandbox", {
 *     clusterName: "sandbox",
 *     version: "1.35",
 *     region: "eu-west-1",
 *     subnetIds: vpc.privateSubnetIds,
 *     systemInstanceTypes: ["m7i.large"], // the system node group; sandbox pools come on top
 *     systemMinSize: 1,
 *     systemMaxSize: 3,
 *     systemDesiredSize: 2,
 * });
 * export const kubeconfig = cluster.kubeconfig; // for a @pulumi/kubernetes Provider
 * ```
 */
export class EksCluster extends pulumi.ComponentResource {
    /** Name of the EKS cluster. */
    readonly clusterName: pulumi.Output<string>;
    /** `https://` endpoint of the API server. */
    readonly endpoint: pulumi.Output<string>;
    /** Base64 PEM of the cluster CA. */
    readonly certificateAuthorityData: pulumi.Output<string>;
    /** Service CIDR of the cluster (self-managed nodes need it in their user data). */
    readonly serviceCidr: pulumi.Output<string>;
    /** Kubernetes version of the control plane. */
    readonly version: pulumi.Output<string>;
    /** The security group EKS creates for the control plane and managed nodes. */
    readonly securityGroupId: pulumi.Output<string>;
    /** The system node group's name. */
    readonly systemNodeGroupName: pulumi.Output<string>;
    /** Secret: a kubeconfig that authenticates with `aws eks get-token` (`eksKubeconfig`). */
    readonly kubeconfig: pulumi.Output<string>;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(EKS_CLUSTER_TYPE, name, args, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "sandbox-clusters:stacks:EksCluster" }] });
        const problems = eksClusterProblems(args);
        if (problems.length > 0) throw new InputPropertiesError(`EksCluster "${name}"`, problems);
        const tags = args.tags ?? {};

        const clusterRole = new Role(autoNamed(NameKind.AwsIamRole, `${name}-cluster-role`), {
            assumeRolePolicy: assumeRolePolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
            tags,
        }, { parent: this });
        const clusterPolicies = CLUSTER_POLICIES.map((arn, i) =>
            new RolePolicyAttachment(`${name}-cluster-policy-${i}`, { role: clusterRole.name, policyArn: arn }, { parent: this }));

        const cluster = new Cluster(`${name}-cluster`, {
            name: args.clusterName,
            version: args.version,
            roleArn: clusterRole.arn,
            vpcConfig: {
                subnetIds: args.subnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: true,
                publicAccessCidrs: args.publicAccessCidrs,
            },
            // Access entries only: no aws-auth ConfigMap to drift from the stack.
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
            enabledClusterLogTypes: CONTROL_PLANE_LOGS,
            deletionProtection: args.deletionProtection ?? false,
            tags,
        }, { parent: this, dependsOn: clusterPolicies });

        (args.adminPrincipalArns ?? []).forEach((principalArn, i) => {
            const entry = new AccessEntry(`${name}-admin-${i}`, {
                clusterName: cluster.name,
                principalArn,
                type: "STANDARD",
                tags,
            }, { parent: this });
            new AccessPolicyAssociation(`${name}-admin-${i}`, {
                clusterName: cluster.name,
                principalArn,
                policyArn: CLUSTER_ADMIN_POLICY,
                accessScope: { type: "cluster" },
            }, { parent: this, dependsOn: [entry] });
        });

        const nodeRole = new Role(autoNamed(NameKind.AwsIamRole, `${name}-system-node-role`), {
            assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com", ["sts:AssumeRole"]),
            tags,
        }, { parent: this });
        const nodePolicies = EKS_WORKER_POLICIES.map((arn, i) =>
            new RolePolicyAttachment(`${name}-system-node-policy-${i}`, { role: nodeRole.name, policyArn: arn }, { parent: this }));
        // A managed node group gets its EC2_LINUX access entry from EKS itself.
        const system = new NodeGroup(autoNamed(NameKind.EksNodeGroup, `${name}-system`), {
            clusterName: cluster.name,
            nodeRoleArn: nodeRole.arn,
            subnetIds: args.subnetIds,
            amiType: SYSTEM_AMI_TYPE,
            instanceTypes: args.systemInstanceTypes,
            capacityType: "ON_DEMAND",
            scalingConfig: { minSize: args.systemMinSize, maxSize: args.systemMaxSize, desiredSize: args.systemDesiredSize },
            updateConfig: { maxUnavailable: 1 },
            tags,
        }, { parent: this, dependsOn: nodePolicies, ignoreChanges: ["scalingConfig.desiredSize"] });

        this.clusterName = cluster.name;
        this.endpoint = cluster.endpoint;
        this.certificateAuthorityData = cluster.certificateAuthority.data;
        this.serviceCidr = cluster.kubernetesNetworkConfig.apply((c) => c?.serviceIpv4Cidr ?? "");
        this.version = cluster.version;
        this.securityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
        this.systemNodeGroupName = system.nodeGroupName;
        this.kubeconfig = pulumi.secret(
            pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority.data]).apply(([clusterName, endpoint, ca]) =>
                eksKubeconfig({ clusterName, endpoint, certificateAuthorityData: ca, region: args.region })),
        );
        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            version: this.version,
            systemNodeGroupName: this.systemNodeGroupName,
            kubeconfig: this.kubeconfig,
        });
    }
}

function assumeRolePolicy(service: string, actions: string[]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }],
    });
}
