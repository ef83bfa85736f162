// Entry point `sandbox-clusters/azure`: AKS Pod Sandboxing pools (Kata VM isolation) and the
// AKS cluster they can join. Needs the peer dependency @pulumi/azure-native; loads nothing of
// another cloud.

import "./sdk";

// The contract types this entry point's signatures use: the same objects as `sandbox-clusters`'.
export { Cloud, Runtime, TaintEffect } from "../isolation";
export { ConfidentialHost, NodeArchitecture } from "../kataShims";
export type { NodeStamp, Taint } from "../isolation";
export type { KataHost } from "../kataShims";
export { InputPropertiesError, ProblemCode } from "../validation";
export type { Problem } from "../validation";

export { AKS_POOL_MODE, AksSandboxNodePool } from "./AksSandboxNodePool";
export {
    AKS_KATA_OS_SKUS,
    AKS_KATA_WORKLOAD_RUNTIME,
    AKS_POD_SANDBOXING_MIN_VERSION,
    AksOsDiskType,
    AksOsSku,
    AksOsType,
    AksSshAccess,
    aksDefaultPoolName,
    aksSandboxNodePoolProblems,
} from "./aksSandboxNodePoolArgs";
export type { AksAutoscaling, AksSandboxNodePoolArgs } from "./aksSandboxNodePoolArgs";
export { AKS_DEFAULT_KATA_VM_SIZE } from "./vmSizes";

export { AksCluster } from "./AksCluster";
export { AksTier, aksClusterProblems } from "./aksClusterArgs";
export type { AksClusterArgs } from "./aksClusterArgs";
export { AKS_ENTRA_SERVER_APP_ID, aksKubeconfig } from "./kubeconfig";
export type { AksKubeconfigArgs } from "./kubeconfig";
