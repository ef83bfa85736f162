// Docs sample (README.md, docs/aks.md), verbatim below this header. Type-checked with the repository
// (tsconfig `paths` map the package's names to components/); test/package/consumer.test.ts
// installs the packed package into a project with only @pulumi/azure-native and runs it under Pulumi's mocks.
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { Cloud, KataShim, SandboxRuntimes } from "sandbox-clusters";
import { AksSandboxNodePool } from "sandbox-clusters/azure";

// An existing AKS cluster (Kubernetes 1.27 or later) and its kubeconfig.
const config = new pulumi.Config();
const kata = new AksSandboxNodePool("kata", {
    resourceGroupName: config.require("resourceGroup"),
    clusterName: config.require("clusterName"),
    vmSize: "Standard_D4s_v5", // generation 2 with nested virtualization
    autoscaling: { minCount: 0, maxCount: 3 },
    spot: true,
});

const provider = new Provider("k8s", { kubeconfig: config.requireSecret("kubeconfig") });
const runtimes = new SandboxRuntimes("sandbox", {
    cloud: Cloud.Azure,
    kata: { shims: [KataShim.Clh] }, // Pod Sandboxing's Cloud Hypervisor; no kata-deploy on AKS
}, { provider, dependsOn: [kata] });

export const runtimeClassNames = runtimes.runtimeClassNames;
export const kataStamp = kata.nodeStamp;
