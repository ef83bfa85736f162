// The @example of the class-level JSDoc of this component, verbatim below this header: type-checked
// by `npm test` (tsc --noEmit), compared with the JSDoc by test/unit/package.test.ts.
import { Runtime } from "sandbox-clusters";
import { GkeSandboxNodePool } from "sandbox-clusters/gcp";

// GKE Sandbox (gVisor) on an existing cluster; GKE adds its own label, taint and RuntimeClass.
export const gvisor = new GkeSandboxNodePool("gvisor", {
    cluster: "sandbox",
    location: "europe-west4",
    project: "my-project",
    runtime: Runtime.Gvisor,
});
export const nodeStamp = gvisor.nodeStamp;
