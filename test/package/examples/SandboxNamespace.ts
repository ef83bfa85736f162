// The @example of the class-level JSDoc of this component, verbatim below this header: type-checked
// by `npm test` (tsc --noEmit), compared with the JSDoc by test/unit/package.test.ts.
import * as k8s from "@pulumi/kubernetes";
import { PodSecurityLevel, RuntimeClassName, SandboxNamespace } from "sandbox-clusters";

const provider = new k8s.Provider("cluster", { kubeconfig: "<kubeconfig of a cluster with SandboxRuntimes>" });
export const agents = new SandboxNamespace("agents", {
    runtimeClassName: RuntimeClassName.Gvisor,
    podSecurity: PodSecurityLevel.Restricted,
    resourceQuota: { pods: "50", "requests.cpu": "20", "requests.memory": "64Gi" },
    containerDefaults: { defaultRequest: { cpu: "100m", memory: "128Mi" } },
}, { provider });
export const namespaceName = agents.namespaceName; // "agents"
