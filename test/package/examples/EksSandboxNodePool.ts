// The @example of the class-level JSDoc of this component, verbatim below this header: type-checked
// by `npm test` (tsc --noEmit), compared with the JSDoc by test/unit/package.test.ts.
import { Runtime } from "sandbox-clusters";
import { EksSandboxNodePool } from "sandbox-clusters/aws";

export const gvisor = new EksSandboxNodePool("gvisor", {
    clusterName: "sandbox", // an existing EKS cluster (or EksCluster's clusterName output)
    subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
    runtime: Runtime.Gvisor,
    instanceTypes: ["m7i.xlarge"],
});
export const taints = gvisor.nodeTaints; // only pods of the gvisor RuntimeClass tolerate them
