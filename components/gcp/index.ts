// Entry point `sandbox-clusters/gcp`: GKE sandbox node pools and the GKE cluster they can
// join. Needs the peer dependency @pulumi/gcp; loads nothing of another cloud.

import "./sdk";

// The contract types this entry point's signatures use: the same objects as `sandbox-clusters`'.
export { Cloud, Runtime, TaintEffect } from "../isolation";
export { ConfidentialHost, NodeArchitecture } from "../kataShims";
export type { NodeStamp, Taint } from "../isolation";
export type { KataHost } from "../kataShims";
export { InputPropertiesError, ProblemCode } from "../validation";
export type { Problem } from "../validation";

export { GkeSandboxNodePool } from "./GkeSandboxNodePool";
export {
    GKE_LEGACY_NODE_SERVICE_ACCOUNT_ROLES,
    GKE_NODE_SERVICE_ACCOUNT_ROLES,
    GkePoolMode,
    gkeSandboxNodePoolProblems,
} from "./gkeSandboxNodePoolArgs";
export type { GkeAutoscaling, GkeSandboxNodePoolArgs, GkeUpgradeSettings } from "./gkeSandboxNodePoolArgs";
export { GkeDiskType, GkeImageType } from "./nodeConfig";

export { GkeCluster } from "./GkeCluster";
export { gkeClusterProblems } from "./gkeClusterArgs";
export type { GkeClusterArgs } from "./gkeClusterArgs";
export { gkeKubeconfig } from "./kubeconfig";
export type { GkeKubeconfigArgs } from "./kubeconfig";
