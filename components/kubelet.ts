// What the kubelet lets a node say about itself: the node labels it accepts in
// `--node-labels` (and so in every cloud's node pool labels, which the clouds pass to the
// kubelet the same way). Pure data and functions, no Pulumi resources.
//
// Source: Kubernetes v1.36.3, `k8s.io/kubelet/pkg/apis/well_known_labels.go` (KubeletLabels,
// KubeletLabelNamespaces, IsKubeletLabel) and `cmd/kubelet/app/options/options.go`
// (ValidateKubeletFlags: a label under kubernetes.io or k8s.io that is not a kubelet label
// makes the kubelet exit with "unknown 'kubernetes.io' or 'k8s.io' labels specified with
// --node-labels", so the node never registers). The NodeRestriction admission plugin holds
// a registered node to the same set.
import { DEFAULT_KEY_PREFIX, GKE_RESERVED_KEY_PREFIX, isolationKeys } from "./isolation";
import { Problem, isDnsSubdomain, ProblemCode } from "./validation";

/** The label namespaces Kubernetes reserves: `kubernetes.io`, `k8s.io` and their subdomains. */
export const KUBERNETES_LABEL_DOMAINS: readonly string[] = ["kubernetes.io", "k8s.io"];

/** Label keys under those namespaces that a kubelet may set on its own node (`kubeletapis.KubeletLabels()`). */
export const KUBELET_LABELS: readonly string[] = [
    "beta.kubernetes.io/arch",
    "beta.kubernetes.io/instance-type",
    "beta.kubernetes.io/os",
    "failure-domain.beta.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone",
    "kubernetes.io/arch",
    "kubernetes.io/hostname",
    "kubernetes.io/os",
    "node.kubernetes.io/instance-type",
    "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone",
];

/** Namespaces (and their subdomains) a kubelet may set any label in (`kubeletapis.KubeletLabelNamespaces()`). */
export const KUBELET_LABEL_NAMESPACES: readonly string[] = ["kubelet.kubernetes.io", "node.kubernetes.io"];

function labelNamespace(key: string): string {
    const slash = key.indexOf("/");
    return slash < 0 ? "" : key.slice(0, slash);
}

function inDomain(namespace: string, domain: string): boolean {
    return namespace === domain || namespace.endsWith(`.${domain}`);
}

/** The reserved domain a label key's namespace falls under, or undefined. */
export function kubernetesLabelDomain(key: string): string | undefined {
    const ns = labelNamespace(key);
    return KUBERNETES_LABEL_DOMAINS.find((d) => inDomain(ns, d));
}

/** `kubeletapis.IsKubeletLabel`: whether the kubelet may set `key` on its own node. */
export function isKubeletLabel(key: string): boolean {
    if (KUBELET_LABELS.includes(key)) return true;
    const ns = labelNamespace(key);
    return KUBELET_LABEL_NAMESPACES.some((allowed) => inDomain(ns, allowed));
}

/**
 * Problems with node label keys a pool would register its nodes with, under `path`:
 * - a key under kubernetes.io or k8s.io that the kubelet refuses (`node-role.kubernetes.io/x`):
 *   the kubelet exits at start and the node never joins;
 * - one of the well-known labels the kubelet and the cloud set themselves
 *   (`kubernetes.io/arch`, `topology.kubernetes.io/zone`, ...): a pool-wide value would
 *   overwrite each node's own and mislead the scheduler.
 */
export function nodeLabelKeyProblems(path: (key: string) => string, keys: readonly string[]): Problem[] {
    return keys.flatMap((key): Problem[] => {
        const domain = kubernetesLabelDomain(key);
        if (domain === undefined) return [];
        if (KUBELET_LABELS.includes(key)) {
            return [{ code: ProblemCode.Reserved, path: path(key), message: `label "${key}" is set by the kubelet and the cloud on each node; a value for the whole pool would overwrite the node's own` }];
        }
        if (isKubeletLabel(key)) return [];
        const name = key.slice(key.indexOf("/") + 1);
        return [{
            code: ProblemCode.Reserved,
            path: path(key),
            message:
                `label "${key}" is under ${domain}, where the kubelet sets only ${KUBELET_LABEL_NAMESPACES.map((n) => `${n}/*`).join(", ")} ` +
                `and its own well-known labels: it refuses to start with it and the nodes never join; use a prefix of your own, e.g. "example.com/${name}"`,
        }];
    });
}

/**
 * Problems with the prefix of the sandbox stamp's label and taint keys, under `path`: it
 * must be a DNS subdomain, and the stamp label `<prefix>/runtime` must be one the kubelet
 * sets and GKE accepts.
 */
export function keyPrefixProblems(path: string, prefix: unknown): Problem[] {
    if (typeof prefix !== "string" || !isDnsSubdomain(prefix)) return [{ code: ProblemCode.Malformed, path, message: `${JSON.stringify(prefix)} is not a DNS subdomain` }];
    const label = isolationKeys(prefix).runtime;
    if (label.startsWith(GKE_RESERVED_KEY_PREFIX)) {
        return [{ code: ProblemCode.Reserved, path, message: `"${prefix}" is reserved by GKE Sandbox (${GKE_RESERVED_KEY_PREFIX}*); use a domain of your own, e.g. "sandbox.example.com"` }];
    }
    const domain = kubernetesLabelDomain(label);
    if (domain === undefined || isKubeletLabel(label)) return [];
    return [{
        code: ProblemCode.Reserved,
        path,
        message:
            `"${prefix}" is under ${domain}, where the kubelet sets only ${KUBELET_LABEL_NAMESPACES.map((n) => `${n}/*`).join(", ")} ` +
            `and its own well-known labels: nodes stamped "${label}" would never join; use a domain of your own, e.g. "sandbox.example.com"`,
    }];
}
/**
 * Problems with user-supplied label or taint keys that would forge or break a sandbox stamp:
 * keys under the package's prefix, GKE's reserved `sandbox.gke.io/`, or the Kata startup taint.
 */
export function reservedKeyProblems(
    path: string,
    keys: readonly string[],
    prefix: string = DEFAULT_KEY_PREFIX,
): Problem[] {
    return keys.flatMap((key) => {
        if (key.startsWith(GKE_RESERVED_KEY_PREFIX)) {
            return [{ code: ProblemCode.Reserved, path, message: `key "${key}" is reserved by GKE Sandbox (${GKE_RESERVED_KEY_PREFIX}*)` }];
        }
        if (key === isolationKeys(prefix).kataNotReady) {
            return [{ code: ProblemCode.Reserved, path, message: `key "${key}" is the sandbox stamp's Kata startup taint` }];
        }
        if (key.startsWith(`${prefix}/`)) {
            return [{ code: ProblemCode.Reserved, path, message: `key "${key}" collides with the sandbox stamp (${prefix}/*)` }];
        }
        return [];
    });
}
