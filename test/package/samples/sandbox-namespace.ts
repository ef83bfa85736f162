// Docs sample (docs/kubernetes-layer.md), verbatim below this header. Type-checked with the repository (tsconfig
// `paths` map the package's names to components/); test/package/consumer.test.ts installs the
// packed package into a project with no cloud SDK at all and runs it under Pulumi's mocks.
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { SandboxNamespace } from "sandbox-clusters";

const provider = new Provider("k8s", { kubeconfig: new pulumi.Config().requireSecret("kubeconfig") });
export const agents = new SandboxNamespace("agents", {
    runtimeClassName: "gvisor",                    // default gvisor: the only class its pods may use
    podSecurity: "restricted",                     // default; baseline or privileged on request
    deniedEgressCidrs: ["10.0.0.0/8"],             // default: private, shared and link-local ranges
    resourceQuota: { pods: "50" },                 // optional
    containerDefaults: { defaultRequest: { cpu: "100m", memory: "128Mi" } },  // optional LimitRange
}, { provider });
