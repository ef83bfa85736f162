// Docs sample (docs/gke.md), verbatim below this header. Type-checked with the repository (tsconfig
// `paths` map the package's names to components/); test/package/consumer.test.ts installs the
// packed package into a project with only @pulumi/gcp and runs it under Pulumi's mocks.
import * as pulumi from "@pulumi/pulumi";
import { Runtime } from "sandbox-clusters";
import { GkeSandboxNodePool } from "sandbox-clusters/gcp";

const project = new pulumi.Config("gcp").require("project");
const cluster = "apps"; // an existing GKE Standard cluster, or GkeCluster's clusterName output

export const gvisor = new GkeSandboxNodePool("gvisor", { cluster, location: "europe-west4", project, runtime: Runtime.Gvisor });
export const kata = new GkeSandboxNodePool("kata", {
    cluster, location: "europe-west4", project, runtime: Runtime.Kata,
    machineType: "n2-standard-4", autoscaling: { minNodeCount: 1, maxNodeCount: 3 }, spot: true,
});
// kata.nodeStamp / gvisor.nodeStamp: the labels and taints the RuntimeClasses must select and tolerate.
export const stamps = { gvisor: gvisor.nodeStamp, kata: kata.nodeStamp };
