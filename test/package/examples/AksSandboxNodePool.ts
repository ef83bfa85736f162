// The @example of the class-level JSDoc of this component, verbatim below this header: type-checked
// by `npm test` (tsc --noEmit), compared with the JSDoc by test/unit/package.test.ts.
import { AksSandboxNodePool } from "sandbox-clusters/azure";

// AKS Pod Sandboxing (Kata VM isolation) on an existing cluster: RuntimeClass kata-vm-isolation.
export const kata = new AksSandboxNodePool("kata", { resourceGroupName: "rg-sandbox", clusterName: "sandbox" });
export const agentPoolName = kata.agentPoolName;
