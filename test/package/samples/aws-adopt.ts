// Docs sample (README.md, docs/eks.md), verbatim below this header. Type-checked with the repository
// (tsconfig `paths` map the package's names to components/); test/package/consumer.test.ts
// installs the packed package into a project with only @pulumi/aws and runs it under Pulumi's mocks.
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { Cloud, GuardAction, KataShim, Runtime, SandboxRuntimes } from "sandbox-clusters";
import { EksSandboxNodePool } from "sandbox-clusters/aws";

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
    admission: { action: GuardAction.Deny },
}, { provider, dependsOn: [gvisor, kata] });

export const runtimeClassNames = runtimes.runtimeClassNames;
export const kataMode = kata.mode; // "kata-nested-self-managed"
export const kataTaints = kata.nodeTaints;
