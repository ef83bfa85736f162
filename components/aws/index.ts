// Entry point `sandbox-clusters/aws`: EKS sandbox node pools, the EKS cluster and VPC they
// can join, and the pure renderers of the nodes' bootstrap for a custom AMI. Needs the peer
// dependency @pulumi/aws; loads nothing of another cloud.

import "./sdk";

// The contract types this entry point's signatures use: the same objects as `sandbox-clusters`'.
export { Cloud, Runtime, TaintEffect } from "../isolation";
export { ConfidentialHost, NodeArchitecture } from "../kataShims";
export type { NodeStamp, Taint } from "../isolation";
export type { KataHost } from "../kataShims";
export { InputPropertiesError, ProblemCode } from "../validation";
export type { Problem } from "../validation";

export { EksSandboxNodePool } from "./EksSandboxNodePool";
export { DEFAULT_INSTANCE_TYPES, eksSandboxNodePoolProblems } from "./eksSandboxNodePoolArgs";
export { CapacityType, EksPoolMode } from "./eksPoolArgs";
export type { EksSandboxNodePoolArgs } from "./eksSandboxNodePoolArgs";
export type { EksPoolCommonArgs } from "./eksPoolArgs";
export { Architecture } from "./instanceCatalogue";

// Sandbox pools that Karpenter (the user's install) provisions: an EC2NodeClass and a NodePool each.
export { EC2_NODE_CLASS_API_VERSION, EksSandboxKarpenterPool, NODE_POOL_API_VERSION } from "./EksSandboxKarpenterPool";
export {
    ConsolidationPolicy,
    DEFAULT_AL2023_AMI_VERSION,
    DEFAULT_CPU_LIMIT,
    InstanceProfileSource,
    eksSandboxKarpenterPoolProblems,
} from "./eksSandboxKarpenterPoolArgs";
export { KarpenterPoolMode, KataVirtualization, RequirementOperator } from "./karpenterInstances";
export { KARPENTER_MIN_VERSION, KARPENTER_NESTED_VIRTUALIZATION_MIN_VERSION } from "./karpenterVersion";
export type { EksSandboxKarpenterPoolArgs, KarpenterDisruption, KarpenterLimits } from "./eksSandboxKarpenterPoolArgs";
export type { NodeRequirement } from "./karpenterInstances";

export { EksCluster } from "./EksCluster";
export { eksClusterProblems } from "./eksClusterArgs";
export type { EksClusterArgs } from "./eksClusterArgs";
export { EksVpc } from "./EksVpc";
export { eksVpcProblems } from "./eksVpcArgs";
export type { EksVpcArgs } from "./eksVpcArgs";
export { eksKubeconfig } from "./kubeconfig";
export type { EksKubeconfigArgs } from "./kubeconfig";

// Node bootstrap renderers, for a custom AMI or a node group of your own.
export {
    DEFAULT_GVISOR_MIRROR,
    DEFAULT_GVISOR_RELEASE,
    GvisorArch,
    GvisorLayout,
    GvisorPlatform,
    renderContainerdRuntimeToml,
    renderGvisorInstallScript,
    renderRunscToml,
} from "./gvisorBootstrap";
export type { ContainerdConfigVersion, ContainerdRuntimeOptions, GvisorDigests, GvisorInstallOptions } from "./gvisorBootstrap";
export { gvisorNodeUserData, renderNodeConfig } from "./userdata";
export type { ClusterDetails, NodeConfigSpec } from "./userdata";
