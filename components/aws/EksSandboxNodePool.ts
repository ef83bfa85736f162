// EksSandboxNodePool: EKS nodes that run only sandboxed pods, in one of three modes chosen
// from the runtime and instance types (see EksPoolMode). Every mode uses an AL2023 launch
// template with IMDSv2 (hop limit 1, so pods cannot reach node credentials) and an
// encrypted root volume; nodes carry the isolation contract's stamp.
import * as pulumi from "@pulumi/pulumi";
import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import { createNodeRole, roleNameOf } from "./nodeRole";
import * as ssm from "@pulumi/aws/ssm";
import { NodeStamp, Taint } from "../isolation";
import { KataHost } from "../kataShims";
import { NameKind, TextLimit, autoNamed, fitText } from "../names";
import { EksPoolPlan, EksSandboxNodePoolArgs, eksKataHost, planEksPool } from "./eksSandboxNodePoolArgs";
import { CapacityType, EksPoolMode } from "./eksPoolArgs";
import { ClusterDetails, gvisorNodeUserData } from "./userdata";
import { AMI_TYPE, eksTaint, ROOT_DEVICE, selfManagedUserData } from "./eksNodeGroupSpecs";

/**
 * A sandbox node pool on EKS: a managed node group (gVisor, or Kata on `.metal` instances) or a
 * self-managed Auto Scaling group (Kata with nested virtualization, which managed node groups
 * drop), with the launch template, node role, access entry and the labels and taints of
 * `nodeStamp(runtime, Cloud.Aws)`. Every bad argument is reported at once, before any resource.
 *
 * @example
 * ```ts
 * import { Runtime } from "sandbox-clusters";
 * import { EksSandboxNodePool } from "sandbox-clusters/aws";
 *
 * export const gvisor = new EksSandboxNodePool("gvisor", {
 *     clusterName: "sandbox", // an existing EKS cluster (or EksCluster's clusterName output)
 *     subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
 *     runtime: Runtime.Gvisor,
 *     instanceTypes: ["m7i.xlarge"],
 * });
 * export const taints = gvisor.nodeTaints; // only pods of the gvisor RuntimeClass tolerate them
 * ```
 */
export class EksSandboxNodePool extends pulumi.ComponentResource {
    /** How the nodes are provisioned. */
    readonly mode: EksPoolMode;
    /** Name of the managed node group, or of the Auto Scaling group for self-managed nodes. */
    readonly groupName: pulumi.Output<string>;
    /** ARN of the nodes' IAM role (created or given). */
    readonly nodeRoleArn: pulumi.Output<string>;
    /** The isolation contract's stamp for this pool. */
    readonly nodeStamp: NodeStamp;
    /** Every label the nodes register with: the stamp's plus extra labels. */
    readonly nodeLabels: Record<string, string>;
    /** Every taint the nodes register with: the stamp's (startup taints included) plus extra taints. */
    readonly nodeTaints: Taint[];
    /** What the nodes offer Kata's shims, for `SandboxRuntimes`' `kata.hosts`; undefined for gVisor pools. */
    readonly kataHost: KataHost | undefined;

    constructor(name: string, args: EksSandboxNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sandbox-clusters:index:EksSandboxNodePool", name, args, opts);
        const plan = planEksPool(`EksSandboxNodePool "${name}"`, args);
        this.mode = plan.mode;
        this.nodeStamp = plan.stamp;
        this.nodeLabels = plan.labels;
        this.nodeTaints = plan.taints;
        this.kataHost = eksKataHost(`pool "${name}"`, args);

        // Nodes must not try to join before their role carries the worker policies.
        const role = args.nodeRoleArn === undefined ? createNodeRole(name, plan.tags, this) : undefined;
        this.nodeRoleArn = role ? role.arn : pulumi.output(args.nodeRoleArn!);
        const roleReady = role ? role.attachments : [];

        this.groupName =
            plan.mode === EksPoolMode.KataNestedSelfManaged
                ? this.createSelfManagedGroup(name, args, plan, roleReady)
                : this.createManagedNodeGroup(name, args, plan, roleReady);

        this.registerOutputs({
            mode: this.mode,
            groupName: this.groupName,
            nodeRoleArn: this.nodeRoleArn,
            nodeStamp: this.nodeStamp,
            nodeLabels: this.nodeLabels,
            nodeTaints: this.nodeTaints,
            kataHost: this.kataHost,
        });
    }

    /** gVisor and Kata-on-metal pools: a managed node group with our launch template. */
    private createManagedNodeGroup(
        name: string,
        args: EksSandboxNodePoolArgs,
        plan: EksPoolPlan,
        roleReady: pulumi.Resource[],
    ): pulumi.Output<string> {
        const userData = plan.mode === EksPoolMode.GvisorManaged ? gvisorNodeUserData(args.gvisor) : undefined;
        // Managed node groups refuse launch templates that name an instance profile or subnet.
        const template = this.launchTemplate(name, plan, { userData });
        const group = new eks.NodeGroup(
            autoNamed(NameKind.EksNodeGroup, `${name}-nodes`),
            {
                clusterName: args.clusterName,
                nodeRoleArn: this.nodeRoleArn,
                subnetIds: args.subnetIds,
                amiType: AMI_TYPE[plan.architecture],
                version: args.kubernetesVersion,
                instanceTypes: plan.instanceTypes,
                capacityType: plan.capacityType,
                scalingConfig: { minSize: plan.minSize, maxSize: plan.maxSize, desiredSize: plan.desiredSize },
                updateConfig: { maxUnavailable: 1 },
                labels: plan.labels,
                taints: plan.taints.map(eksTaint),
                launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
                tags: plan.tags,
            },
            { parent: this, dependsOn: roleReady },
        );
        return group.nodeGroupName;
    }

    /**
     * Kata on nested virtualization: managed node groups drop `cpuOptions`, so the nodes are
     * a self-managed Auto Scaling group that bootstraps itself with nodeadm and joins through
     * an EC2_LINUX access entry.
     */
    private createSelfManagedGroup(
        name: string,
        args: EksSandboxNodePoolArgs,
        plan: EksPoolPlan,
        roleReady: pulumi.Resource[],
    ): pulumi.Output<string> {
        const needsLookup =
            args.clusterEndpoint === undefined ||
            args.clusterCertificateAuthority === undefined ||
            args.clusterServiceCidr === undefined ||
            args.kubernetesVersion === undefined ||
            args.securityGroupIds === undefined;
        const cluster = needsLookup ? eks.getClusterOutput({ name: args.clusterName }, { parent: this }) : undefined;
        const details: pulumi.Output<ClusterDetails> = pulumi.all([
            args.clusterName,
            args.clusterEndpoint ?? cluster!.endpoint,
            args.clusterCertificateAuthority ?? cluster!.certificateAuthorities[0].data,
            args.clusterServiceCidr ?? cluster!.kubernetesNetworkConfigs[0].serviceIpv4Cidr,
        ]).apply(([clusterName, apiServerEndpoint, certificateAuthority, cidr]) => ({
            name: clusterName,
            apiServerEndpoint,
            certificateAuthority,
            cidr,
        }));
        const version = args.kubernetesVersion ?? cluster!.version;
        const ami = ssm.getParameterOutput(
            { name: pulumi.interpolate`/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/${plan.architecture}/standard/recommended/image_id` },
            { parent: this },
        );

        const roleName = this.nodeRoleArn.apply(roleNameOf);
        const profile = new iam.InstanceProfile(autoNamed(NameKind.AwsInstanceProfile, `${name}-profile`), { role: roleName, tags: plan.tags }, { parent: this });
        const access = new eks.AccessEntry(
            `${name}-access`,
            { clusterName: args.clusterName, principalArn: this.nodeRoleArn, type: "EC2_LINUX", tags: plan.tags },
            { parent: this },
        );

        const userData = details.apply((cluster) => selfManagedUserData(cluster, plan));
        const template = this.launchTemplate(name, plan, {
            userData,
            imageId: ami.value,
            iamInstanceProfile: { arn: profile.arn },
            vpcSecurityGroupIds: args.securityGroupIds ?? [cluster!.vpcConfig.clusterSecurityGroupId],
            cpuOptions: { nestedVirtualization: "enabled" },
        });

        const clusterTag = pulumi.interpolate`kubernetes.io/cluster/${args.clusterName}`;
        const group = new autoscaling.Group(
            autoNamed(NameKind.AwsAutoScalingGroup, `${name}-nodes`),
            {
                vpcZoneIdentifiers: args.subnetIds,
                minSize: plan.minSize,
                maxSize: plan.maxSize,
                desiredCapacity: plan.desiredSize,
                mixedInstancesPolicy: {
                    launchTemplate: {
                        launchTemplateSpecification: {
                            launchTemplateId: template.id,
                            version: template.latestVersion.apply(String),
                        },
                        overrides: plan.instanceTypes.map((instanceType) => ({ instanceType })),
                    },
                    instancesDistribution: {
                        onDemandBaseCapacity: 0,
                        onDemandPercentageAboveBaseCapacity: plan.capacityType === CapacityType.Spot ? 0 : 100,
                        spotAllocationStrategy: "price-capacity-optimized",
                    },
                },
                // A new launch template version (new AMI, new user data) rolls the nodes.
                instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 90 } },
                tags: [
                    { key: "Name", value: fitText(`${name}-node`, TextLimit.AwsTagValue), propagateAtLaunch: true },
                    { key: clusterTag, value: "owned", propagateAtLaunch: true },
                    ...Object.entries(plan.tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
                ],
            },
            // Nodes can only join once the access entry exists.
            { parent: this, dependsOn: [access, ...roleReady] },
        );
        return group.name;
    }

    private launchTemplate(
        name: string,
        plan: EksPoolPlan,
        extra: Omit<ec2.LaunchTemplateArgs, "userData"> & { userData?: pulumi.Input<string> },
    ): ec2.LaunchTemplate {
        const userData = extra.userData === undefined ? undefined : pulumi.output(extra.userData).apply(base64);
        return new ec2.LaunchTemplate(
            autoNamed(NameKind.AwsLaunchTemplate, `${name}-template`),
            {
                ...extra,
                userData,
                description: `EKS ${plan.mode} sandbox nodes (sandbox-clusters)`,
                updateDefaultVersion: true,
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                },
                blockDeviceMappings: [
                    {
                        deviceName: ROOT_DEVICE,
                        ebs: { volumeSize: plan.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
                    },
                ],
                // EC2 refuses a tag specification without tags.
                tagSpecifications:
                    Object.keys(plan.tags).length === 0
                        ? undefined
                        : ["instance", "volume"].map((resourceType) => ({ resourceType, tags: plan.tags })),
                tags: plan.tags,
            },
            { parent: this },
        );
    }
}

function base64(s: string): string {
    return Buffer.from(s, "utf8").toString("base64");
}
