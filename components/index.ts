// Entry point `sandbox-clusters`: the isolation contract and the Kubernetes runtime layer.
// Each cloud's pools and clusters have an entry point of their own (`sandbox-clusters/aws`,
// `sandbox-clusters/gcp`), so a user installs only the SDK of the cloud they use. What is
// not exported from an entry point is internal and may change in any release; the API
// reports in api/ record the public surface (see docs/contributing/public-api.md).

// The isolation contract: the node stamp and the RuntimeClass scheduling that matches it.
export {
    Cloud,
    DEFAULT_KEY_PREFIX,
    GKE_SANDBOX_RUNTIME_KEY,
    GVISOR_HANDLER,
    Runtime,
    RuntimeClassName,
    TaintEffect,
    formatTaint,
    isolationKeys,
    nodeStamp,
    runtimeClassScheduling,
    sandboxTaintKeys,
} from "./isolation";
// The Kata shim catalogue: the shims, their RuntimeClass names and pod overheads, what a pool's
// nodes offer them.
export { ConfidentialHost, DEFAULT_KATA_SHIM, KATA_SHIM_INFO, KataShim, NodeArchitecture, kataHandler } from "./kataShims";
export type { IsolationKeys, NodeStamp, RuntimeClassScheduling, Taint, Toleration } from "./isolation";
export type { KataHost, KataShimInfo } from "./kataShims";
export { InputPropertiesError, ProblemCode } from "./validation";
export type { Problem } from "./validation";

// The Kubernetes layer: RuntimeClasses, kata-deploy, the admission guard, verification Jobs.
export { SandboxRuntimes, VerificationStatus } from "./kubernetes/SandboxRuntimes";
export type { VerificationResult } from "./kubernetes/SandboxRuntimes";
export {
    DEFAULT_KATA_CHART_NAME,
    DEFAULT_KATA_CHART_REPOSITORY,
    DEFAULT_KATA_DEPLOY_VERSION,
    DEFAULT_VERIFY_IMAGE,
    GuardAction,
    KATA_DEPLOY_CHART,
    sandboxRuntimesProblems,
} from "./kubernetes/sandboxRuntimesArgs";
export type {
    AdmissionGuardArgs,
    GuardSettingNames,
    GvisorRuntimeArgs,
    ImageRef,
    KataChartSource,
    KataRuntimeArgs,
    SandboxRuntimesArgs,
    VerificationArgs,
} from "./kubernetes/sandboxRuntimesArgs";
export type { Overhead } from "./kubernetes/runtimeClasses";
export { AGENT_SANDBOX_EXTENSIONS_API_VERSION, AGENT_SANDBOX_NAMESPACE_PREFIX } from "./kubernetes/agentSandbox";
export type { AgentSandboxArgs, AgentSandboxResources } from "./kubernetes/agentSandbox";
// Sandbox tenant namespaces: the guard's runtime label, Pod Security, network policies, quotas.
export { SandboxNamespace } from "./kubernetes/SandboxNamespace";
export { DEFAULT_DENIED_EGRESS_CIDRS, METADATA_CIDRS, PodSecurityLevel, sandboxNamespaceProblems } from "./kubernetes/sandboxNamespaceArgs";
export type { ContainerDefaults, SandboxNamespaceArgs } from "./kubernetes/sandboxNamespaceArgs";
