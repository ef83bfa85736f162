// The README's sample "Using the components in your own Pulumi program", verbatim except for
// this header and the import path ("sandbox-clusters" in the README). Type-checked by
// `tsc --noEmit` with the rest of the code; readme.test.ts keeps the two identical. Never run.
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { Cloud, EksSandboxNodePool, KataShim, Runtime, SandboxRuntimes } from "../../../components";

const config = new pulumi.Config();
const clusterName = config.require("clusterName");
const subnetIds = config.requireObject<string[]>("subnetIds");

const gvisor = new EksSandboxNodePool("gvisor", {
    clusterName,
    subnetIds,
    runtime: Runtime.Gvisor,
    instanceTypes: ["m7i.xlarge"],
});
const kata = new EksSandboxNodePool("kata", {
    clusterName,
    subnetIds,
    runtime: Runtime.Kata,
    instanceTypes: ["c8i.2xlarge"], // nested virtualization: a self-managed Auto Scaling group
    minSize: 1,
});

const provider = new Provider("k8s", { kubeconfig: config.requireSecret("kubeconfig") });
const runtimes = new SandboxRuntimes("sandbox", {
    cloud: Cloud.Aws,
    gvisor: {},
    kata: { shims: [KataShim.QemuRuntimeRs] },
    admission: { action: "Deny" },
}, { provider, dependsOn: [gvisor, kata] });

export const runtimeClassNames = runtimes.runtimeClassNames;
export const kataMode = kata.mode; // "kata-nested-self-managed"
export const kataTaints = kata.nodeTaints;
