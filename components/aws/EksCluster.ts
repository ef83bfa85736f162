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
import { awsTagProblems } from "./tags";
import { InputPropertiesError, K8S_MINOR, Problem, cidrListProblems, duplicates, shapeCheckedProblems, systemPoolSizeProblems } from "../validation";
import { NameKind, autoNamed, nameProblems } from "../names";
import { eksKubeconfig } from "./kubeconfig";
import { Architecture, instanceTypeInfo, noEksNodeReason } from "./instanceCatalogue";

const CLUSTER_POLICIES = ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"];
/** The minimal managed policies of an EKS worker node (AWS's node IAM role guide). */
export const EKS_WORKER_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
];
const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator"];
const SYSTEM_AMI_TYPE = "AL2023_x86_64_STANDARD";
const SYSTEM_ARCHITECTURE = Architecture.X86_64;

export interface EksClusterArgs {
    /** EKS cluster name. */
    clusterName: string;
    /** Kubernetes minor version, e.g. "1.35". */
    version: string;
    /** AWS region, for the kubeconfig's `aws eks get-token`. */
    region: string;
    /** Private subnets in at least two zones: control plane interfaces and system nodes. */
    subnetIds: pulumi.Input<string>[];
    /** CIDRs allowed to reach the public API endpoint. Default: anywhere (EKS's 0.0.0.0/0). */
    publicAccessCidrs?: string[];
    /** IAM role or user ARNs given cluster-admin through access entries. Default: none (the creator is admin). */
    adminPrincipalArns?: string[];
    /** System node group instance types. */
    systemInstanceTypes: string[];
    /** Fewest system nodes; at least 1 (sandbox pools are tainted and never the only pool). */
    systemMinSize: number;
    /** Most system nodes; at least `systemMinSize`. */
    systemMaxSize: number;
    /** System nodes at creation, within [min, max]; later left to scaling. */
    systemDesiredSize: number;
    /** Refuse to delete the cluster. Default: false. */
    deletionProtection?: boolean;
    /** Tags on every resource. Default: none. */
    tags?: Record<string, string>;
}

export const EKS_CLUSTER_TYPE = "sandbox-clusters:index:EksCluster";

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
/** What an EKS access entry takes: an IAM role or user (sts assumed-role ARNs are refused by EKS). */
const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov|-iso(-[a-z])?)?:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/;

/** Problems with EksCluster args; nothing is created while there are any. */
export function eksClusterProblems(args: EksClusterArgs): Problem[] {
    return shapeCheckedProblems("EksCluster", args, valueProblemsOfEksCluster);
}

/** The checks of `eksClusterProblems` on args of the declared shape. */
function valueProblemsOfEksCluster(args: EksClusterArgs): Problem[] {
    const p: Problem[] = [];
    if (!args.clusterName) p.push({ path: "clusterName", message: "is required" });
    else p.push(...nameProblems(NameKind.EksCluster, "clusterName", args.clusterName));
    if (!args.region) p.push({ path: "region", message: "is required" });
    else if (!AWS_REGION.test(args.region)) p.push({ path: "region", message: `"${args.region}" is not an AWS region such as eu-west-1` });
    if (!K8S_MINOR.test(args.version)) p.push({ path: "version", message: `"${args.version}" is not a Kubernetes minor version such as "1.35"` });
    if (args.subnetIds.length < 2) p.push({ path: "subnetIds", message: `EKS needs subnets in at least two availability zones (got ${args.subnetIds.length})` });
    if (args.systemInstanceTypes.length === 0) p.push({ path: "systemInstanceTypes", message: "needs at least one instance type" });
    args.systemInstanceTypes.forEach((t, i) => {
        const path = `systemInstanceTypes[${i}]`;
        const info = instanceTypeInfo(t);
        const noNode = info && noEksNodeReason(info);
        if (!info) p.push({ path, message: `"${t}" is not an EC2 instance type (<family>.<size>)` });
        else if (noNode) p.push({ path, message: noNode });
        else if (info.architecture !== SYSTEM_ARCHITECTURE) {
            p.push({ path, message: `${t} is ${info.architecture}; the system node group runs ${SYSTEM_AMI_TYPE} (${SYSTEM_ARCHITECTURE})` });
        }
    });
    p.push(...cidrListProblems("publicAccessCidrs", args.publicAccessCidrs));
    (args.adminPrincipalArns ?? []).forEach((a, i) => {
        if (!IAM_PRINCIPAL_ARN.test(a)) p.push({ path: `adminPrincipalArns[${i}]`, message: `"${a}" is not the ARN of an IAM role or user (arn:aws:iam::<account>:role/<name>)` });
    });
    for (const d of duplicates(args.adminPrincipalArns ?? [])) p.push({ path: "adminPrincipalArns", message: `"${d}" is listed more than once` });
    p.push(...awsTagProblems("tags", args.tags));
    return [...p, ...systemPoolSizeProblems(args)];
}

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
    readonly clusterName: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly certificateAuthorityData: pulumi.Output<string>;
    readonly serviceCidr: pulumi.Output<string>;
    readonly version: pulumi.Output<string>;
    /** The security group EKS creates for the control plane and managed nodes. */
    readonly securityGroupId: pulumi.Output<string>;
    /** The system node group's name. */
    readonly systemNodeGroupName: pulumi.Output<string>;
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
