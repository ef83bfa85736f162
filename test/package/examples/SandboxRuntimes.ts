// The @example of the class-level JSDoc of this component, verbatim below this header: type-checked
// by `npm test` (tsc --noEmit), compared with the JSDoc by test/unit/package.test.ts.
import * as k8s from "@pulumi/kubernetes";
import { Cloud, GuardAction, KataShim, SandboxRuntimes } from "sandbox-clusters";

const provider = new k8s.Provider("cluster", { kubeconfig: "<kubeconfig of a cluster with sandbox pools>" });
export const runtimes = new SandboxRuntimes("sandbox", {
    cloud: Cloud.Aws,
    gvisor: {},
    kata: { shims: [KataShim.QemuRuntimeRs] },
    admission: { action: GuardAction.Deny },
}, { provider });
export const runtimeClassNames = runtimes.runtimeClassNames; // e.g. ["gvisor", "kata-qemu-runtime-rs"]
