// The @example of the class-level JSDoc of this component, verbatim below this header: type-checked
// by `npm test` (tsc --noEmit), compared with the JSDoc by test/unit/package.test.ts.
import { GkeCluster } from "sandbox-clusters/gcp";

export const cluster = new GkeCluster("sandbox", {
    clusterName: "sandbox",
    project: "my-project",
    location: "europe-west4",
    network: "default",
    systemMachineType: "e2-standard-4", // the system pool; sandbox pools come on top
    systemMinSize: 1,
    systemMaxSize: 3,
    systemDesiredSize: 1,
});
export const kubeconfig = cluster.kubeconfig; // for a @pulumi/kubernetes Provider
