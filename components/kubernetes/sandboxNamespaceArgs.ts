// SandboxNamespace's args, defaults and checks: a sandbox tenant namespace for a team or an
// agent workload. Pure (no Pulumi), so the program validates the stack's tenantNamespaces up
// front. The objects they render to are in namespaceObjects.ts.
import { DEFAULT_KEY_PREFIX, RuntimeClassName, isolationKeys } from "../isolation";
import { Problem, isDnsLabel, isDnsSubdomain, isQuantity, labelProblems, shapeCheckedProblems, ProblemCode } from "../validation";

/** Pod Security admission levels (`pod-security.kubernetes.io/enforce`). */
export const PodSecurityLevel = {
    Restricted: "restricted",
    Baseline: "baseline",
    Privileged: "privileged",
} as const;
/** One of the values of `PodSecurityLevel`. */
export type PodSecurityLevel = (typeof PodSecurityLevel)[keyof typeof PodSecurityLevel];
const POD_SECURITY_LEVELS: readonly string[] = Object.values(PodSecurityLevel);

/** The cloud metadata services: never reachable from a tenant pod. */
export const METADATA_CIDRS: readonly string[] = ["169.254.169.254/32", "fd00:ec2::254/128"];
/**
 * Private and shared ranges a tenant's egress is kept from by default: RFC 1918, carrier-grade
 * NAT (RFC 6598, also EKS's custom pod networking), IPv6 unique-local (RFC 4193) and link-local
 * (metadata and node-local services).
 */
export const DEFAULT_DENIED_EGRESS_CIDRS: readonly string[] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
];

/** Default container requests and limits of a namespace (`LimitRange`, type Container). */
export interface ContainerDefaults {
    /** Requests of a container that sets none, e.g. `{ cpu: "100m", memory: "128Mi" }`. Default: none. */
    defaultRequest?: Record<string, string>;
    /** Limits of a container that sets none, e.g. `{ cpu: "1", memory: "512Mi" }`. Default: none. */
    default?: Record<string, string>;
}

/** Arguments of `SandboxNamespace`. */
export interface SandboxNamespaceArgs {
    /** Name of the namespace (created here). Default: the component's name. */
    namespace?: string;
    /** The only RuntimeClass its pods may use (the guard's require-runtime label). Default `gvisor`. */
    runtimeClassName?: string;
    /** Prefix of the isolation keys, as given to SandboxRuntimes. Default `sandbox-clusters.io`. */
    keyPrefix?: string;
    /** Pod Security admission level, enforced (and warned and audited). Default `restricted`. */
    podSecurity?: PodSecurityLevel;
    /**
     * Network policies: ingress denied (`denyIngress`), egress to DNS and the internet only
     * (`restrictEgress`). Both default true. They need a network plugin that enforces
     * NetworkPolicy (EKS: the VPC CNI's network policy agent; GKE: Dataplane V2).
     */
    denyIngress?: boolean;
    /** Egress to DNS and the internet only, never to `deniedEgressCidrs` or the metadata addresses. Default `true`. */
    restrictEgress?: boolean;
    /**
     * Destinations kept from the tenant's egress besides the metadata addresses (always denied).
     * Default `DEFAULT_DENIED_EGRESS_CIDRS` (private, shared and link-local ranges).
     */
    deniedEgressCidrs?: string[];
    /** `ResourceQuota` hard limits, e.g. `{ pods: "50", "requests.cpu": "20" }`. Default: none. */
    resourceQuota?: Record<string, string>;
    /** Container defaults (`LimitRange`). Default: none. */
    containerDefaults?: ContainerDefaults;
    /** More labels for the namespace (the guard's and Pod Security's are set here). Default: none. */
    labels?: Record<string, string>;
}

export interface ResolvedNamespaceArgs {
    namespace: string;
    runtimeClassName: string;
    keyPrefix: string;
    podSecurity: string;
    denyIngress: boolean;
    restrictEgress: boolean;
    deniedEgressCidrs: string[];
    resourceQuota?: Record<string, string>;
    containerDefaults?: ContainerDefaults;
    labels: Record<string, string>;
}

export function resolveNamespaceArgs(name: string, args: SandboxNamespaceArgs): ResolvedNamespaceArgs {
    return {
        namespace: args.namespace ?? name,
        runtimeClassName: args.runtimeClassName ?? RuntimeClassName.Gvisor,
        keyPrefix: args.keyPrefix ?? DEFAULT_KEY_PREFIX,
        podSecurity: args.podSecurity ?? PodSecurityLevel.Restricted,
        denyIngress: args.denyIngress ?? true,
        restrictEgress: args.restrictEgress ?? true,
        deniedEgressCidrs: args.deniedEgressCidrs ?? [...DEFAULT_DENIED_EGRESS_CIDRS],
        resourceQuota: args.resourceQuota,
        containerDefaults: args.containerDefaults,
        labels: args.labels ?? {},
    };
}

/** 4 or 6 for an IPv4 or IPv6 address, else 0 (IPv6 read by the WHATWG URL parser). */
function ipFamily(a: string): 0 | 4 | 6 {
    if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(a)) return 4;
    if (!a.includes(":") || /[^0-9a-fA-F:.]/.test(a)) return 0;
    try {
        new URL(`http://[${a}]/`);
        return 6;
    } catch {
        return 0;
    }
}

/** An IPv4 or IPv6 CIDR (`10.0.0.0/8`, `fd00::/8`). */
export function isCidr(s: string): boolean {
    if (typeof s !== "string") return false;
    const slash = s.indexOf("/");
    if (slash < 0) return false;
    const family = ipFamily(s.slice(0, slash));
    const bits = s.slice(slash + 1);
    if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
    return Number(bits) <= (family === 4 ? 32 : 128);
}

/** Every problem with the args of SandboxNamespace `name`, each with its property path; empty when they are valid. */
export function sandboxNamespaceProblems(name: string, args: SandboxNamespaceArgs): Problem[] {
    return shapeCheckedProblems("SandboxNamespace", args, (a) => valueProblemsOfSandboxNamespace(name, a));
}

/** The checks of `sandboxNamespaceProblems` on args of the declared shape. */
function valueProblemsOfSandboxNamespace(name: string, args: SandboxNamespaceArgs): Problem[] {
    const p: Problem[] = [];
    const add = (code: ProblemCode, path: string, message: string) => p.push({ code, path, message });
    const r = resolveNamespaceArgs(name, args);
    if (typeof r.namespace !== "string" || !isDnsLabel(r.namespace)) add(ProblemCode.Malformed, "namespace", `${JSON.stringify(r.namespace)} is not a namespace name (a DNS label)`);
    if (r.namespace === "kube-system" || (typeof r.namespace === "string" && r.namespace.startsWith("kube-"))) {
        add(ProblemCode.Reserved, "namespace", `"${r.namespace}" is a system namespace; tenants get namespaces of their own`);
    }
    if (typeof r.runtimeClassName !== "string" || !isDnsSubdomain(r.runtimeClassName)) add(ProblemCode.Malformed, "runtimeClassName", `${JSON.stringify(r.runtimeClassName)} is not a RuntimeClass name`);
    if (typeof r.keyPrefix !== "string" || !isDnsSubdomain(r.keyPrefix)) add(ProblemCode.Malformed, "keyPrefix", `${JSON.stringify(r.keyPrefix)} is not a DNS subdomain`);
    if (!POD_SECURITY_LEVELS.includes(r.podSecurity)) add(ProblemCode.NotOneOf, "podSecurity", `${JSON.stringify(r.podSecurity)} is not one of ${POD_SECURITY_LEVELS.join(", ")}`);
    for (const k of ["denyIngress", "restrictEgress"] as const) {
        if (typeof r[k] !== "boolean") add(ProblemCode.WrongType, k, `${JSON.stringify(r[k])} is not true or false`);
    }
    if (!Array.isArray(r.deniedEgressCidrs)) add(ProblemCode.WrongType, "deniedEgressCidrs", "must be a list of CIDRs");
    else r.deniedEgressCidrs.forEach((c, i) => {
        if (!isCidr(c)) add(ProblemCode.Malformed, `deniedEgressCidrs[${i}]`, `${JSON.stringify(c)} is not an IPv4 or IPv6 CIDR`);
    });
    const quantities = (path: string, m: Record<string, string> | undefined) => {
        if (m === undefined) return;
        if (typeof m !== "object" || m === null || Array.isArray(m)) {
            add(ProblemCode.WrongType, path, "must be a map of resource names to quantities");
            return;
        }
        if (Object.keys(m).length === 0) add(ProblemCode.Malformed, path, "is empty; leave it out for none");
        for (const [k, v] of Object.entries(m)) {
            if (typeof v !== "string" || !isQuantity(v)) add(ProblemCode.Malformed, `${path}["${k}"]`, `${JSON.stringify(v)} is not a quantity (e.g. "50", "500m", "2Gi")`);
        }
    };
    quantities("resourceQuota", r.resourceQuota);
    if (r.containerDefaults !== undefined) {
        const d = r.containerDefaults;
        if (d.defaultRequest === undefined && d.default === undefined) add(ProblemCode.Required, "containerDefaults", "names neither defaultRequest nor default");
        quantities("containerDefaults.defaultRequest", d.defaultRequest);
        quantities("containerDefaults.default", d.default);
    }
    p.push(...labelProblems("labels", r.labels));
    const keys = isolationKeys(typeof r.keyPrefix === "string" ? r.keyPrefix : DEFAULT_KEY_PREFIX);
    for (const k of Object.keys(r.labels ?? {})) {
        if (k === keys.requireRuntime || k.startsWith("pod-security.kubernetes.io/")) add(ProblemCode.Reserved, `labels["${k}"]`, "is set by SandboxNamespace itself (runtimeClassName, podSecurity)");
    }
    return p;
}
