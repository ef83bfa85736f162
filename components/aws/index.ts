// Entry point `sandbox-clusters/aws`: EKS sandbox node pools, the EKS cluster and VPC they
// can join, and the pure renderers of the nodes' bootstrap for a custom AMI. Needs the peer
// dependency @pulumi/aws; loads nothing of another cloud.

import "./sdk";

// The contract types this entry point's signatures use: the same objects as `sandbox-clusters`'.
export { Cloud, Runtime, TaintEffect } from "../isolation";
export type { NodeStamp, Taint } from "../isolation";
export { InputPropertiesError } from "../validation";
export type { Problem } from "../validation";

export { EksSandboxNodePool } from "./EksSandboxNodePool";
export { CapacityType, DEFAULT_INSTANCE_TYPES, EksPoolMode, eksSandboxNodePoolProblems } from "./eksPoolPlan";
export type { EksSandboxNodePoolArgs } from "./eksPoolPlan";
export { Architecture, KvmAccess, instanceTypeInfo } from "./instanceCatalogue";
export type { InstanceTypeInfo } from "./instanceCatalogue";

export { EksCluster, eksClusterProblems } from "./EksCluster";
export type { EksClusterArgs } from "./EksCluster";
export { EksVpc, eksVpcProblems } from "./EksVpc";
export type { EksVpcArgs } from "./EksVpc";
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
export { RUNSC_FLAGS, RunscFlagKind, runscFlagProblems } from "./runscFlags";
export type { RunscFlagSpec } from "./runscFlags";
export { renderMimeMultipart, renderNodeConfig } from "./userdata";
export type { ClusterDetails, MimePart, NodeConfigSpec } from "./userdata";
