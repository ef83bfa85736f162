// The component classes the provider hosts, one per line: Pulumi's component provider host
// (@pulumi/pulumi/provider/experimental) serves every ComponentResource class this module exports,
// under the type token `sandbox-clusters:index:<Class>` its constructor registers. The schema
// (schema.json) is inferred from the TypeScript of their args and outputs, found from here.
export { SandboxRuntimes } from "../components/kubernetes/SandboxRuntimes";
export { SandboxNamespace } from "../components/kubernetes/SandboxNamespace";
export { EksSandboxNodePool } from "../components/aws/EksSandboxNodePool";
export { EksSandboxKarpenterPool } from "../components/aws/EksSandboxKarpenterPool";
export { EksCluster } from "../components/aws/EksCluster";
export { EksVpc } from "../components/aws/EksVpc";
export { GkeSandboxNodePool } from "../components/gcp/GkeSandboxNodePool";
export { GkeCluster } from "../components/gcp/GkeCluster";
export { AksSandboxNodePool } from "../components/azure/AksSandboxNodePool";
export { AksCluster } from "../components/azure/AksCluster";
