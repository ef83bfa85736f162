// Docs sample (docs/kubernetes-layer.md), verbatim below this header. Type-checked with the repository (tsconfig
// `paths` map the package's names to components/); test/package/consumer.test.ts installs the
// packed package into a project with no cloud SDK at all and runs it under Pulumi's mocks.
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { SandboxRuntimes } from "sandbox-clusters";

const provider = new Provider("k8s", { kubeconfig: new pulumi.Config().requireSecret("kubeconfig") });
export const runtimes = new SandboxRuntimes("sandbox", {
    cloud: "aws",                                   // or "gcp", "azure", "kubernetes": decides the node stamp
    gvisor: {},                                     // GKE: { gkeManaged: true } (GKE owns `gvisor`)
    kata: { shims: ["qemu", "clh"], defaultShim: "qemu" },
    overheads: { "kata-qemu": { memory: "512Mi" } },  // per class; default = the shim's
    admission: { action: "Deny", exemptNamespaces: ["node-agents"], allowHostPorts: false },  // Warn/Audit for rollout
    verification: { enabled: true },               // image overridable, pinned by digest
}, { provider });
