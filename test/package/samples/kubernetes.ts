// Docs sample (README.md, docs/any-cluster.md), verbatim below this header. Type-checked with the repository
// (tsconfig `paths` map the package's names to components/); test/package/consumer.test.ts
// installs the packed package into a project with no cloud SDK at all and runs it under Pulumi's mocks.
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { Cloud, GuardAction, SandboxRuntimes, nodeStamp, Runtime } from "sandbox-clusters";

// Any cluster whose gVisor nodes carry the package's stamp (see nodeStamp), by kubeconfig.
const provider = new Provider("k8s", { kubeconfig: new pulumi.Config().requireSecret("kubeconfig") });
const runtimes = new SandboxRuntimes("sandbox", {
    cloud: Cloud.Aws,
    gvisor: {},
    admission: { action: GuardAction.Warn }, // report violations first, then switch to Deny
}, { provider });

export const runtimeClassNames = runtimes.runtimeClassNames;
export const gvisorNodeStamp = nodeStamp(Runtime.Gvisor, Cloud.Aws); // labels and taints your nodes need
