// Docs sample (README.md, docs/gke.md), verbatim below this header. Type-checked with the repository
// (tsconfig `paths` map the package's names to components/); test/package/consumer.test.ts
// installs the packed package into a project with only @pulumi/gcp and runs it under Pulumi's mocks.
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { Cloud, KataShim, Runtime, SandboxRuntimes } from "sandbox-clusters";
import { GkeCluster, GkeSandboxNodePool } from "sandbox-clusters/gcp";

const project = new pulumi.Config("gcp").require("project");
const location = "europe-west4";

const cluster = new GkeCluster("sandbox", {
    clusterName: "sandbox",
    project,
    location,
    network: "default",
    systemMachineType: "e2-standard-4",
    systemMinSize: 1,
    systemMaxSize: 3,
    systemDesiredSize: 1,
});
const gvisor = new GkeSandboxNodePool("gvisor", { cluster: cluster.clusterName, location, project, runtime: Runtime.Gvisor });
const kata = new GkeSandboxNodePool("kata", {
    cluster: cluster.clusterName,
    location,
    project,
    runtime: Runtime.Kata,
    machineType: "n2-standard-4",
    autoscaling: { minNodeCount: 0, maxNodeCount: 3 },
    spot: true,
});

const provider = new Provider("k8s", { kubeconfig: cluster.kubeconfig });
const runtimes = new SandboxRuntimes("sandbox", {
    cloud: Cloud.Gcp,
    gvisor: { gkeManaged: true }, // GKE Sandbox owns RuntimeClass gvisor
    kata: { shims: [KataShim.QemuRuntimeRs] },
}, { provider, dependsOn: [gvisor, kata] });

export const kubeconfig = cluster.kubeconfig;
export const runtimeClassNames = runtimes.runtimeClassNames;
export const kataStamp = kata.nodeStamp;
