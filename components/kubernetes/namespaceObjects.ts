// The objects of a SandboxNamespace, rendered from its resolved args: the Namespace with the
// guard's and Pod Security's labels, its NetworkPolicies, quota and container defaults. Pure:
// no Pulumi, so the tests (and a real API server in the integration suite) read them directly.
import { isolationKeys } from "../isolation";
import { METADATA_CIDRS, ResolvedNamespaceArgs } from "./sandboxNamespaceArgs";

/** A Kubernetes object as the component creates it (apiVersion, kind, metadata, the rest). */
export interface NamespaceObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels: Record<string, string> };
    [field: string]: unknown;
}

const MANAGED_BY = { "app.kubernetes.io/managed-by": "sandbox-clusters" };

/** The objects of a tenant namespace: the Namespace first, then its policies. */
export function sandboxNamespaceObjects(r: ResolvedNamespaceArgs): NamespaceObject[] {
    const keys = isolationKeys(r.keyPrefix);
    const labels = { ...MANAGED_BY };
    const meta = (objName: string) => ({ name: objName, namespace: r.namespace, labels });
    const out: NamespaceObject[] = [
        {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: {
                name: r.namespace,
                labels: {
                    ...r.labels,
                    ...MANAGED_BY,
                    [keys.requireRuntime]: r.runtimeClassName,
                    "pod-security.kubernetes.io/enforce": r.podSecurity,
                    "pod-security.kubernetes.io/warn": r.podSecurity,
                    "pod-security.kubernetes.io/audit": r.podSecurity,
                },
            },
        },
    ];
    if (r.denyIngress) {
        out.push({
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: meta("deny-ingress"),
            spec: { podSelector: {}, policyTypes: ["Ingress"] },
        });
    }
    if (r.restrictEgress) {
        const denied = [...new Set([...METADATA_CIDRS, ...r.deniedEgressCidrs])];
        // ipBlock.except must lie inside its cidr: one block per address family.
        const block = (all: string, v6: boolean) => {
            const except = denied.filter((c) => c.includes(":") === v6 && c !== all);
            return { ipBlock: { cidr: all, ...(except.length > 0 ? { except } : {}) } };
        };
        out.push({
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: meta("restrict-egress"),
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        // The cluster DNS (kube-dns / CoreDNS) runs in kube-system.
                        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
                        ports: [
                            { protocol: "UDP", port: 53 },
                            { protocol: "TCP", port: 53 },
                        ],
                    },
                    { to: [block("0.0.0.0/0", false), block("::/0", true)] },
                ],
            },
        });
    }
    if (r.resourceQuota) {
        out.push({ apiVersion: "v1", kind: "ResourceQuota", metadata: meta("tenant-quota"), spec: { hard: { ...r.resourceQuota } } });
    }
    if (r.containerDefaults) {
        const d = r.containerDefaults;
        out.push({
            apiVersion: "v1",
            kind: "LimitRange",
            metadata: meta("container-defaults"),
            spec: { limits: [{ type: "Container", ...(d.defaultRequest ? { defaultRequest: { ...d.defaultRequest } } : {}), ...(d.default ? { default: { ...d.default } } : {}) }] },
        });
    }
    return out;
}
