// The @example of the class-level JSDoc of this component, verbatim below this header: type-checked
// by `npm test` (tsc --noEmit), compared with the JSDoc by test/unit/package.test.ts.
import { EksVpc } from "sandbox-clusters/aws";

// Private subnets for the nodes, public ones for load balancers, tagged for the cluster.
export const vpc = new EksVpc("sandbox", { cidr: "10.0.0.0/16", clusterName: "sandbox" });
export const subnetIds = vpc.privateSubnetIds; // pass to EksCluster and the sandbox pools
