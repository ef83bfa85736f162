// README sample (section "Using the components in your own Pulumi program"), verbatim below
// this header. Type-checked with the repository; test/package/consumer.ts installs the packed
// package into a project with only @pulumi/azure-native and runs it under Pulumi's mocks.
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
