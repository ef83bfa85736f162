// Docs sample (docs/eks.md), verbatim below this header. Type-checked with the repository
// (tsconfig `paths` map the package's names to components/); test/package/consumer.test.ts
// installs the packed package into a project with only @pulumi/aws and runs it under Pulumi's mocks.
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { Cloud, Runtime, SandboxRuntimes } from "sandbox-clusters";
import { EksCluster, EksSandboxNodePool, EksVpc } from "sandbox-clusters/aws";

const region = new pulumi.Config("aws").require("region");
const vpc = new EksVpc("sandbox", { cidr: "10.0.0.0/16", clusterName: "sandbox" });
const cluster = new EksCluster("sandbox", {
    clusterName: "sandbox",
    version: "1.35",
    region,
    subnetIds: vpc.privateSubnetIds,
    systemInstanceTypes: ["m7i.large"],
    systemMinSize: 1,
    systemMaxSize: 3,
    systemDesiredSize: 2,
});
const gvisor = new EksSandboxNodePool("gvisor", {
    clusterName: cluster.clusterName,
    subnetIds: vpc.privateSubnetIds,
    runtime: Runtime.Gvisor,
});

const provider = new Provider("k8s", { kubeconfig: cluster.kubeconfig });
const runtimes = new SandboxRuntimes("sandbox", { cloud: Cloud.Aws, gvisor: {} }, { provider, dependsOn: [gvisor] });

export const kubeconfig = cluster.kubeconfig;
export const runtimeClassNames = runtimes.runtimeClassNames;
