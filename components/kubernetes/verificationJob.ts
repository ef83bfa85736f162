// The verification Job of one RuntimeClass, as a plain Kubernetes object. Pure.
import { AKS_KATA_POD_VM_MEMORY } from "../azure/aks";
import { Cloud, Runtime } from "../isolation";
import { gvisorCheckScript, kataCheckScript } from "./verification";

/** Labels on every verification object. */
export const VERIFY_COMPONENT_LABEL = { "app.kubernetes.io/name": "sandbox-verify", "app.kubernetes.io/managed-by": "sandbox-clusters" };
/** ServiceAccount of the Kata checks, bound to `get nodes` to read the node's kernel version. */
export const KATA_VERIFY_SERVICE_ACCOUNT = "sandbox-verify-kata";
/** Small enough to fit beside any shim's overhead on a small node; the check needs a few MiB. */
export const VERIFY_RESOURCES = { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } };
/** An unprivileged user; the checks need no root (gVisor answers syslog(2) for anyone). */
export const VERIFY_UID = 65534;

export interface VerificationJobInput {
    runtimeClass: string;
    runtime: Runtime;
    namespace: string;
    image: string;
    activeDeadlineSeconds: number;
    /** What is being verified (e.g. the kata-deploy version and handler); a change replaces the Job, so it runs again. */
    subject: string;
    /** Cloud of the cluster; on AKS a Kata pod's memory limit is the size of its VM. Default: not AKS. */
    cloud?: Cloud;
}

/** The check container's resources: AKS sizes a Kata pod's VM from its memory limit, so there the limit is a whole pod VM. */
export function verificationResources(runtime: Runtime, cloud?: Cloud) {
    if (runtime === Runtime.Kata && cloud === Cloud.Azure) {
        return { requests: VERIFY_RESOURCES.requests, limits: { ...VERIFY_RESOURCES.limits, memory: AKS_KATA_POD_VM_MEMORY } };
    }
    return VERIFY_RESOURCES;
}

export function verificationJobName(runtimeClass: string): string {
    return `verify-${runtimeClass}`;
}

/** The Job: one pod of the class, unprivileged, restricted Pod Security profile, no retries to speak of. */
export function verificationJob(input: VerificationJobInput) {
    const kata = input.runtime === Runtime.Kata;
    // Standard keys only: the package's own prefix belongs to the isolation contract.
    const labels = { ...VERIFY_COMPONENT_LABEL, "app.kubernetes.io/instance": verificationJobName(input.runtimeClass) };
    return {
        apiVersion: "batch/v1" as const,
        kind: "Job" as const,
        metadata: { name: verificationJobName(input.runtimeClass), namespace: input.namespace, labels },
        spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: input.activeDeadlineSeconds,
            template: {
                metadata: { labels },
                spec: {
                    runtimeClassName: input.runtimeClass,
                    restartPolicy: "Never",
                    // Only the Kata check reads the API (its Node's kernel version).
                    automountServiceAccountToken: kata,
                    ...(kata ? { serviceAccountName: KATA_VERIFY_SERVICE_ACCOUNT } : {}),
                    enableServiceLinks: false,
                    securityContext: {
                        runAsNonRoot: true,
                        runAsUser: VERIFY_UID,
                        runAsGroup: VERIFY_UID,
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    containers: [
                        {
                            name: "check",
                            image: input.image,
                            imagePullPolicy: "IfNotPresent",
                            command: ["/bin/sh", "-c", kata ? kataCheckScript() : gvisorCheckScript()],
                            env: [
                                { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                                { name: "RUNTIME_CLASS", value: input.runtimeClass },
                                // Not read by the check: part of the pod template, so a new subject replaces the Job and the check runs again.
                                { name: "VERIFIES", value: input.subject },
                            ],
                            resources: verificationResources(input.runtime, input.cloud),
                            securityContext: {
                                allowPrivilegeEscalation: false,
                                privileged: false,
                                readOnlyRootFilesystem: true,
                                runAsNonRoot: true,
                                capabilities: { drop: ["ALL"] },
                            },
                            terminationMessagePolicy: "FallbackToLogsOnError",
                        },
                    ],
                },
            },
        },
    };
}
