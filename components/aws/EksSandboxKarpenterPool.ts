// EksSandboxKarpenterPool: a sandbox pool that Karpenter provisions, as one EC2NodeClass and one
// NodePool (Kubernetes custom resources, through the Kubernetes provider from `opts`), plus the
// node role, its instance profile and its EKS access entry (AWS resources, default AWS
// provider). Karpenter itself is the user's: the component only checks that the version given
// can serve what it writes (see karpenterVersion.ts).
import * as pulumi from "@pulumi/pulumi";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { NodeStamp, Taint } from "../isolation";
import { NameKind, autoNamed } from "../names";
import {
    EksSandboxKarpenterPoolArgs,
    InstanceProfileSource,
    KarpenterLimits,
    planKarpenterPool,
} from "./eksSandboxKarpenterPoolArgs";
import { KarpenterPoolMode, NodeRequirement } from "./karpenterInstances";
import { renderEc2NodeClassSpec, renderNodePoolSpec } from "./karpenterSpecs";
import { createNodeRole, roleNameOf } from "./nodeRole";

/** API version of the EC2NodeClass the pool writes. */
export const EC2_NODE_CLASS_API_VERSION = "karpenter.k8s.aws/v1";
/** API version of the NodePool the pool writes. */
export const NODE_POOL_API_VERSION = "karpenter.sh/v1";
const MANAGED_BY = { "app.kubernetes.io/managed-by": "sandbox-clusters" };

/**
 * A sandbox node pool for an EKS cluster that runs Karpenter: an EC2NodeClass and a NodePool that
 * launch only nodes able to run the runtime, stamped with its labels and taints, with the node
 * role, instance profile and access entry unless you bring your own.
 *
 * @example
 * ```ts
 * import { Runtime } from "sandbox-clusters";
 * import { EksSandboxKarpenterPool } from "sandbox-clusters/aws";
 *
 * // An EC2NodeClass and a NodePool for a cluster that runs Karpenter 1.x; give the Kubernetes
 * // provider of that cluster in opts.
 * export const kata = new EksSandboxKarpenterPool("kata", {
 *     clusterName: "sandbox",
 *     karpenterVersion: "1.13.1",
 *     runtime: Runtime.Kata,
 *     subnetSelectorTags: { "karpenter.sh/discovery": "sandbox" },
 *     securityGroupSelectorTags: { "karpenter.sh/discovery": "sandbox" },
 *     instanceFamilies: ["m8i", "c8i"], // nested virtualization for Kata's VMs
 * });
 * export const nodePoolName = kata.nodePoolName;
 * ```
 */
export class EksSandboxKarpenterPool extends pulumi.ComponentResource {
    /** How Karpenter provisions the nodes. */
    readonly mode: KarpenterPoolMode;
    /** Name of the NodePool and of the EC2NodeClass it uses. */
    readonly nodePoolName: string;
    /** ARN of the nodes' IAM role (created or given). */
    readonly nodeRoleArn: pulumi.Output<string>;
    /** The isolation contract's stamp for this pool. */
    readonly nodeStamp: NodeStamp;
    /** Every label the nodes carry: the stamp's plus extra labels. */
    readonly nodeLabels: Record<string, string>;
    /** Every taint the nodes register with: the stamp's (startup taints included) plus extra taints. */
    readonly nodeTaints: Taint[];
    /** The NodePool's requirements: architecture, OS, capacity type, and the instances Karpenter may choose among. */
    readonly requirements: NodeRequirement[];
    /** The NodePool's limits, defaults applied (the pool's total vCPUs, and memory when given). */
    readonly limits: KarpenterLimits;

    constructor(name: string, args: EksSandboxKarpenterPoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sandbox-clusters:index:EksSandboxKarpenterPool", name, args, opts);
        const plan = planKarpenterPool(`EksSandboxKarpenterPool "${name}"`, name, args);
        this.mode = plan.mode;
        this.nodePoolName = plan.name;
        this.nodeStamp = plan.stamp;
        this.nodeLabels = plan.labels;
        this.nodeTaints = plan.taints;
        this.requirements = plan.requirements.map((r) => ({ ...r, ...(r.values ? { values: [...r.values] } : {}) }));
        this.limits = { ...plan.limits };

        const role = plan.createRole ? createNodeRole(name, plan.tags, this) : undefined;
        this.nodeRoleArn = role ? role.arn : pulumi.output(args.nodeRoleArn!);
        const roleName = role ? role.name : this.nodeRoleArn.apply(roleNameOf);
        // Nodes join only through the access entry, and need the worker policies when they do.
        const ready: pulumi.Resource[] = [...(role?.attachments ?? [])];
        if (plan.accessEntry) {
            ready.push(
                new eks.AccessEntry(
                    `${name}-access`,
                    { clusterName: args.clusterName, principalArn: this.nodeRoleArn, type: "EC2_LINUX", tags: plan.tags },
                    { parent: this },
                ),
            );
        }
        const profile =
            plan.instanceProfile === InstanceProfileSource.Created
                ? new iam.InstanceProfile(autoNamed(NameKind.AwsInstanceProfile, `${name}-profile`), { role: roleName, tags: plan.tags }, { parent: this })
                : undefined;
        if (profile) ready.push(profile);

        const securityGroupIds =
            plan.securityGroups === undefined
                ? [eks.getClusterOutput({ name: args.clusterName }, { parent: this }).vpcConfig.clusterSecurityGroupId]
                : "ids" in plan.securityGroups
                  ? plan.securityGroups.ids
                  : [];
        const subnetIds = "ids" in plan.subnets ? plan.subnets.ids : [];

        const nodeClassSpec = pulumi
            .all([roleName, profile?.name, pulumi.all(subnetIds), pulumi.all(securityGroupIds)])
            .apply(([role, instanceProfile, subnets, groups]) =>
                renderEc2NodeClassSpec(plan, {
                    ...(instanceProfile !== undefined ? { instanceProfile } : { role }),
                    subnetIds: subnets,
                    securityGroupIds: groups,
                }),
            );
        const nodeClass = new CustomResource(
            `${name}-nodeclass`,
            { apiVersion: EC2_NODE_CLASS_API_VERSION, kind: "EC2NodeClass", metadata: { name: plan.name, labels: MANAGED_BY }, spec: nodeClassSpec },
            { parent: this, dependsOn: ready },
        );
        new CustomResource(
            `${name}-nodepool`,
            { apiVersion: NODE_POOL_API_VERSION, kind: "NodePool", metadata: { name: plan.name, labels: MANAGED_BY }, spec: renderNodePoolSpec(plan, plan.name) },
            { parent: this, dependsOn: [nodeClass] },
        );

        this.registerOutputs({
            mode: this.mode,
            nodePoolName: this.nodePoolName,
            nodeRoleArn: this.nodeRoleArn,
            nodeStamp: this.nodeStamp,
            nodeLabels: this.nodeLabels,
            nodeTaints: this.nodeTaints,
        });
    }
}
