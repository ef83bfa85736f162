// The @example of the class-level JSDoc of this component, verbatim below this header: type-checked
// by `npm test` (tsc --noEmit), compared with the JSDoc by test/unit/package.test.ts.
import { EksCluster, EksVpc } from "sandbox-clusters/aws";

const vpc = new EksVpc("sandbox", { cidr: "10.0.0.0/16", clusterName: "sandbox" });
export const cluster = new EksCluster("sandbox", {
    clusterName: "sandbox",
    version: "1.35",
    region: "eu-west-1",
    subnetIds: vpc.privateSubnetIds,
    systemInstanceTypes: ["m7i.large"], // the system node group; sandbox pools come on top
    systemMinSize: 1,
    systemMaxSize: 3,
    systemDesiredSize: 2,
});
export const kubeconfig = cluster.kubeconfig; // for a @pulumi/kubernetes Provider
