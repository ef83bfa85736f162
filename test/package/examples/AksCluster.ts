// The @example of the class-level JSDoc of this component, verbatim below this header: type-checked
// by `npm test` (tsc --noEmit), compared with the JSDoc by test/unit/package.test.ts.
import { AksCluster } from "sandbox-clusters/azure";

export const cluster = new AksCluster("sandbox", {
    clusterName: "sandbox",
    resourceGroupName: "rg-sandbox",
    location: "westeurope",
    systemVmSize: "Standard_D4s_v5", // the system pool; sandbox pools come on top
    systemMinSize: 1,
    systemMaxSize: 3,
    systemDesiredSize: 1,
});
export const kubeconfig = cluster.kubeconfig; // for a @pulumi/kubernetes Provider
