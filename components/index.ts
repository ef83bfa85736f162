// Public entry point of the sandbox-clusters package.
export * from "./isolation";
export * from "./validation";
export * from "./kubernetes/verification";
export * from "./aws/gvisorBootstrap";
export * from "./gcp/GkeSandboxNodePool";
export * from "./gcp/machines";
export * from "./gcp/nodeConfig";
export * from "./kubernetes/runtimeClasses";
export * from "./kubernetes/sandboxRuntimesArgs";
export * from "./kubernetes/kataDeployValues";
export * from "./kubernetes/admissionGuard";
export * from "./kubernetes/verificationJob";
export * from "./kubernetes/sandboxRuntimes";
export * from "./aws/instanceCatalogue";
export * from "./aws/eksPoolPlan";
export * from "./aws/userdata";
export * from "./aws/EksSandboxNodePool";
