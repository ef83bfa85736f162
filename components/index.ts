// Public entry point of the sandbox-clusters package.
export * from "./isolation";
export * from "./validation";
export * from "./kubernetes/verification";
export * from "./aws/gvisorBootstrap";
export * from "./gcp/GkeSandboxNodePool";
export * from "./gcp/machines";
export * from "./gcp/nodeConfig";
