// The network verification of one sandbox tenant namespace, as plain Kubernetes objects: a Job
// in the tenant namespace whose one pod runs as the tenant's pods run (that namespace, its
// RuntimeClass, its policies, the restricted profile) and tries what the wall must refuse and
// what it must let through (networkProbe.ts). Pure: no Pulumi.
import { Cloud } from "../isolation";
import { NETWORK_VERDICT_KIND, ProbeTarget, networkProbeScript, probeTargetList } from "./networkProbe";
import { VERIFY_RESOURCES, VERIFY_UID } from "./verificationJob";

/** The instance metadata services, IPv4 and IPv6, per cloud (an adopted cluster may be on any). */
export const METADATA_ENDPOINTS: Record<Cloud, readonly ProbeTarget[]> = {
    // EC2 IMDS: 169.254.169.254 and, on Nitro instances, fd00:ec2::254.
    [Cloud.Aws]: [
        { name: "metadata", host: "169.254.169.254", port: 80 },
        { name: "metadata-ipv6", host: "fd00:ec2::254", port: 80 },
    ],
    // GCE metadata server: 169.254.169.254 and fd20:ce::254.
    [Cloud.Gcp]: [
        { name: "metadata", host: "169.254.169.254", port: 80 },
        { name: "metadata-ipv6", host: "fd20:ce::254", port: 80 },
    ],
    // Azure IMDS answers on IPv4 only.
    [Cloud.Azure]: [{ name: "metadata", host: "169.254.169.254", port: 80 }],
    [Cloud.Kubernetes]: [
        { name: "metadata", host: "169.254.169.254", port: 80 },
        { name: "metadata-ipv6-aws", host: "fd00:ec2::254", port: 80 },
        { name: "metadata-ipv6-gcp", host: "fd20:ce::254", port: 80 },
    ],
};

/** The node's kubelet: every node serves it on its own address. */
export const KUBELET_PORT = 10250;
/** The pod listener of the verification namespace that tenants must not reach. */
export const NETWORK_TARGET_PORT = 8080;
/** The Job of a tenant namespace. */
export const NETWORK_JOB_NAME = "verify-network";

/** What an enforcer that is missing looks like on each cloud: the verdict's likely cause. */
export function likelyCause(cloud: Cloud): string {
    switch (cloud) {
        case Cloud.Aws:
            return "the VPC CNI's network policy agent is off (vpc-cni add-on configuration enableNetworkPolicy, on by default in EksCluster; EKS Auto Mode: ConfigMap kube-system/amazon-vpc-cni enable-network-policy-controller)";
        case Cloud.Gcp:
            return "the cluster does not enforce NetworkPolicy (GKE: Dataplane V2, datapathProvider ADVANCED_DATAPATH, or network policy enforcement on)";
        case Cloud.Azure:
            return "the cluster does not enforce NetworkPolicy (AKS: networkPolicy cilium, azure or calico)";
        default:
            return "the cluster's network plugin does not enforce NetworkPolicy (install an enforcing one: Cilium, Calico, kube-router...)";
    }
}

export interface NetworkProbeTargetsInput {
    cloud: Cloud;
    /** IP of a pod of another namespace that listens on `NETWORK_TARGET_PORT`; undefined: not checked. */
    targetPodIp?: string;
    /** The namespace may reach the Kubernetes API server (its policies allow it): not checked then. */
    apiServerAllowed?: boolean;
    /** More destinations the tenant's egress must reach (the internet hosts it uses). */
    mustReach?: readonly ProbeTarget[];
}

/**
 * What a tenant's pod must not reach: the cloud's metadata addresses, its node's kubelet, the
 * API server (through the `kubernetes` Service) and another namespace's pod; and what it must:
 * the cluster DNS on TCP 53 (the nameserver of the pod's resolv.conf, skipped where there is none)
 * and `mustReach`. `$(VAR)` hosts are expanded by Kubernetes from the pod's environment.
 */
export function networkProbeTargets(input: NetworkProbeTargetsInput): { mustRefuse: ProbeTarget[]; mustReach: ProbeTarget[] } {
    const mustRefuse: ProbeTarget[] = [...METADATA_ENDPOINTS[input.cloud], { name: "node", host: "$(NODE_IP)", port: KUBELET_PORT }];
    if (!input.apiServerAllowed) mustRefuse.push({ name: "api-server", host: "$(KUBERNETES_SERVICE_HOST)", port: 443 });
    if (input.targetPodIp) mustRefuse.push({ name: "other-namespace-pod", host: input.targetPodIp, port: NETWORK_TARGET_PORT });
    return { mustRefuse, mustReach: [{ name: "dns", host: "@resolv", port: 53 }, ...(input.mustReach ?? [])] };
}

export interface NetworkVerificationJobInput {
    /** The tenant namespace: the Job runs there, under its policies. */
    namespace: string;
    runtimeClass: string;
    image: string;
    activeDeadlineSeconds: number;
    /** How long the wall may take to settle around the new pod. */
    settleSeconds: number;
    mustRefuse: readonly ProbeTarget[];
    mustReach: readonly ProbeTarget[];
    cause: string;
    /** What is verified (the policies' content); a change replaces the Job, so it runs again. */
    subject: string;
}

/** Labels of the network Jobs and their pods. */
export const NETWORK_VERIFY_LABELS = {
    "app.kubernetes.io/name": "sandbox-verify",
    "app.kubernetes.io/component": NETWORK_VERDICT_KIND,
    "app.kubernetes.io/managed-by": "sandbox-clusters",
};

/** The Job: one unprivileged pod as the tenant's would be, no retries to speak of. */
export function networkVerificationJob(input: NetworkVerificationJobInput) {
    return {
        apiVersion: "batch/v1" as const,
        kind: "Job" as const,
        metadata: { name: NETWORK_JOB_NAME, namespace: input.namespace, labels: NETWORK_VERIFY_LABELS },
        spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: input.activeDeadlineSeconds,
            template: {
                metadata: { labels: NETWORK_VERIFY_LABELS },
                spec: {
                    runtimeClassName: input.runtimeClass,
                    restartPolicy: "Never",
                    automountServiceAccountToken: false,
                    enableServiceLinks: false,
                    securityContext: { runAsNonRoot: true, runAsUser: VERIFY_UID, runAsGroup: VERIFY_UID, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                        {
                            name: "probe",
                            image: input.image,
                            imagePullPolicy: "IfNotPresent",
                            command: ["/bin/sh", "-c", networkProbeScript()],
                            env: [
                                { name: "NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                                { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                                { name: "NODE_IP", valueFrom: { fieldRef: { fieldPath: "status.hostIP" } } },
                                { name: "MUST_REFUSE", value: probeTargetList(input.mustRefuse) },
                                { name: "MUST_REACH", value: probeTargetList(input.mustReach) },
                                { name: "SETTLE_SECONDS", value: String(input.settleSeconds) },
                                { name: "CAUSE", value: input.cause },
                                { name: "VERIFIES", value: input.subject },
                            ],
                            resources: VERIFY_RESOURCES,
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

/** Name of the listener pod of a RuntimeClass in the verification namespace. */
export function networkTargetName(runtimeClass: string): string {
    return `network-target-${runtimeClass}`;
}

/**
 * The listener the tenants' probes must not reach: a pod of the verification namespace (another
 * namespace than any tenant's) under the tenants' RuntimeClass, so it lands on the same pools as
 * their pods, accepting TCP connections on `NETWORK_TARGET_PORT` (busybox nc as a persistent
 * server). Ready once it listens (a TCP readiness probe), so its IP is handed to the Jobs only then.
 */
export function networkTargetPod(input: { namespace: string; runtimeClass: string; image: string }) {
    const labels = { ...NETWORK_VERIFY_LABELS, "app.kubernetes.io/instance": networkTargetName(input.runtimeClass) };
    return {
        apiVersion: "v1" as const,
        kind: "Pod" as const,
        metadata: { name: networkTargetName(input.runtimeClass), namespace: input.namespace, labels },
        spec: {
            runtimeClassName: input.runtimeClass,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 1,
            securityContext: { runAsNonRoot: true, runAsUser: VERIFY_UID, runAsGroup: VERIFY_UID, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
                {
                    name: "listen",
                    image: input.image,
                    imagePullPolicy: "IfNotPresent",
                    command: ["/bin/sh", "-c", `exec nc -ll -p ${NETWORK_TARGET_PORT} -e /bin/true`],
                    ports: [{ containerPort: NETWORK_TARGET_PORT, protocol: "TCP" }],
                    readinessProbe: { tcpSocket: { port: NETWORK_TARGET_PORT }, periodSeconds: 2 },
                    resources: VERIFY_RESOURCES,
                    securityContext: {
                        allowPrivilegeEscalation: false,
                        privileged: false,
                        readOnlyRootFilesystem: true,
                        runAsNonRoot: true,
                        capabilities: { drop: ["ALL"] },
                    },
                },
            ],
        },
    };
}
