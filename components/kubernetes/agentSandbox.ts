// Sandboxes for AI agents through kubernetes-sigs/agent-sandbox (API groups `agents.x-k8s.io`,
// `extensions.agents.x-k8s.io`, served as v1beta1 since v0.5): one SandboxTemplate per sandbox
// RuntimeClass, whose pod template names the class (its scheduling then puts the pods on that
// runtime's nodes), and optional SandboxWarmPools of pre-started sandboxes. The agent-sandbox
// controller is the user's to install; this only writes its objects. Pure: the specs, their
// defaults and validation, no Pulumi resources.
import { Problem, isDnsLabel, ProblemCode } from "../validation";

/** API version of SandboxTemplate and SandboxWarmPool (the storage version of agent-sandbox v0.5.6 and v1.0.1, the only one v1.0 serves). */
export const AGENT_SANDBOX_EXTENSIONS_API_VERSION = "extensions.agents.x-k8s.io/v1beta1";
/** A class's home namespace by default: `agents-<class>`. */
export const AGENT_SANDBOX_NAMESPACE_PREFIX = "agents-";
/** The sandbox container's name in every template. */
export const AGENT_CONTAINER_NAME = "sandbox";
/** UID and GID of the sandbox process (non-root; the image need not define the user). */
export const AGENT_SANDBOX_UID = 65532;
export const DEFAULT_AGENT_RESOURCES = { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } };

/** agent-sandbox objects for the cluster's sandbox RuntimeClasses: a SandboxTemplate per class, optional SandboxWarmPools, in tenant namespaces. */
export interface AgentSandboxArgs {
    /** Image of the sandbox container, pinned by digest (`repo@sha256:...`). Required. */
    image: string;
    /**
     * Per RuntimeClass, the namespace its template and warm pool live in, e.g. `{ gvisor: "ai-gvisor" }`.
     * Default `agents-<class>` (`agents-gvisor`, `agents-kata`...).
     */
    namespaces?: Record<string, string>;
    /**
     * Create the namespaces as tenant namespaces: each labelled with the guard's require-runtime
     * label naming its one class, so the guard admits only that class's pods there. A tenant
     * namespace then holds one class's template. Default `true`; `false` uses existing namespaces.
     */
    createNamespaces?: boolean;
    /**
     * Per RuntimeClass, how many pre-started sandboxes its SandboxWarmPool keeps (0 or more). A
     * v1beta1 SandboxClaim names a warm pool (`warmPoolRef`), not a template: a class is claimable
     * where it has one. Default: no warm pools.
     */
    warmPools?: Record<string, number>;
    /** Mount a service account token into the sandbox pods. Default `false`: agent code gets no API credentials. */
    automountServiceAccountToken?: boolean;
    /** Container resources. Default: requests 250m CPU and 512Mi, limit 512Mi memory. */
    resources?: AgentSandboxResources;
}

/** Container resource requests and limits (`cpu`, `memory`, ...), as in a pod spec. A named interface, so Pulumi's schema inference (other languages) accepts it. */
export interface AgentSandboxResources {
    /** Resource requests of the sandbox container (`{ cpu, memory }`). Default: none. */
    requests?: Record<string, string>;
    /** Resource limits of the sandbox container. Default: none. */
    limits?: Record<string, string>;
}

/** What the templates need to know about the runtimes. */
export interface AgentSandboxContext {
    /** Sandbox RuntimeClasses the cluster has. */
    classes: readonly string[];
    /** Namespaces the admission guard ignores: no sandbox may live there. */
    exemptNamespaces: readonly string[];
    /** The guard's namespace label naming the only RuntimeClass a namespace admits. */
    requireRuntimeLabel: string;
}

export interface AgentSandboxPlan {
    /** Namespaces to create (tenant namespaces), name and labels. */
    namespaces: { name: string; labels: Record<string, string> }[];
    /** One per class: the SandboxTemplate's name, namespace and spec. */
    templates: { runtimeClass: string; name: string; namespace: string; spec: Record<string, unknown> }[];
    warmPools: { runtimeClass: string; name: string; namespace: string; spec: Record<string, unknown> }[];
}

const DIGEST_PINNED = /^[^\s@]+@sha256:[0-9a-f]{64}$/;

/** Every problem with the args, paths relative to `at` (e.g. `agentSandbox`). */
export function agentSandboxProblems(at: string, args: AgentSandboxArgs, ctx: AgentSandboxContext): Problem[] {
    const p: Problem[] = [];
    const add = (code: ProblemCode, path: string, message: string) => p.push({ code, path: `${at}.${path}`, message });
    if (typeof args.image !== "string" || !DIGEST_PINNED.test(args.image)) {
        add(ProblemCode.Unpinned, "image", `${JSON.stringify(args.image)} is not pinned by digest (repository@sha256:<64 hex>)`);
    }
    const classes = new Set(ctx.classes);
    const known = (path: string, cls: string) => {
        if (classes.has(cls)) return true;
        add(ProblemCode.NotOneOf, path, `"${cls}" is not a sandbox RuntimeClass of the cluster (${ctx.classes.join(", ")})`);
        return false;
    };
    const home = (ns: string, path: string) => {
        if (!isDnsLabel(ns)) add(ProblemCode.Malformed, path, `"${ns}" is not a DNS label`);
        else if (ctx.exemptNamespaces.includes(ns)) add(ProblemCode.Reserved, path, `"${ns}" is exempt from the admission guard; agent sandboxes must be judged like any sandboxed pod`);
    };
    for (const [cls, ns] of Object.entries(args.namespaces ?? {})) {
        if (known(`namespaces["${cls}"]`, cls)) home(ns, `namespaces["${cls}"]`);
    }
    for (const cls of ctx.classes) {
        if (args.namespaces?.[cls] === undefined) home(homeOf(args, cls), `namespaces["${cls}"]`);
    }
    for (const [cls, n] of Object.entries(args.warmPools ?? {})) {
        if (known(`warmPools["${cls}"]`, cls) && (!Number.isInteger(n) || n < 0)) add(ProblemCode.OutOfRange, `warmPools["${cls}"]`, `${n} is not a whole number of sandboxes (0 or more)`);
    }
    if (args.createNamespaces ?? true) {
        // A tenant namespace admits one RuntimeClass: two classes there would refuse each other's pods.
        const byNamespace = new Map<string, string[]>();
        for (const cls of ctx.classes) {
            const ns = homeOf(args, cls);
            byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), cls]);
        }
        for (const [ns, list] of byNamespace) {
            if (list.length > 1) {
                add(ProblemCode.Conflict, `namespaces["${list[list.length - 1]}"]`,
                    `tenant namespace "${ns}" would hold the templates of ${list.join(", ")}, but it admits one RuntimeClass; give each class its own namespace (or createNamespaces: false for namespaces of your own)`);
            }
        }
    }
    return p;
}

/** Each class's home namespace. */
export function agentSandboxHomes(args: AgentSandboxArgs, ctx: AgentSandboxContext): Record<string, string> {
    return Object.fromEntries(ctx.classes.map((c) => [c, homeOf(args, c)]));
}

function homeOf(args: AgentSandboxArgs, cls: string): string {
    return args.namespaces?.[cls] ?? `${AGENT_SANDBOX_NAMESPACE_PREFIX}${cls}`;
}

/** The objects for valid args. */
export function planAgentSandbox(args: AgentSandboxArgs, ctx: AgentSandboxContext, managedBy: Record<string, string>): AgentSandboxPlan {
    const createNamespaces = args.createNamespaces ?? true;
    const resources = {
        requests: { ...DEFAULT_AGENT_RESOURCES.requests, ...(args.resources?.requests ?? {}) },
        limits: { ...DEFAULT_AGENT_RESOURCES.limits, ...(args.resources?.limits ?? {}) },
    };
    const templates = ctx.classes.map((cls) => ({
        runtimeClass: cls,
        name: cls,
        namespace: homeOf(args, cls),
        spec: {
            podTemplate: {
                metadata: { labels: { ...managedBy } },
                spec: {
                    runtimeClassName: cls,
                    automountServiceAccountToken: args.automountServiceAccountToken ?? false,
                    enableServiceLinks: false,
                    // Pod Security "restricted": non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp.
                    securityContext: {
                        runAsNonRoot: true,
                        runAsUser: AGENT_SANDBOX_UID,
                        runAsGroup: AGENT_SANDBOX_UID,
                        fsGroup: AGENT_SANDBOX_UID,
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    containers: [
                        {
                            name: AGENT_CONTAINER_NAME,
                            image: args.image,
                            resources,
                            securityContext: {
                                allowPrivilegeEscalation: false,
                                capabilities: { drop: ["ALL"] },
                                runAsNonRoot: true,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                        },
                    ],
                },
            },
        },
    }));
    const warmPools = Object.entries(args.warmPools ?? {}).map(([cls, replicas]) => ({
        runtimeClass: cls,
        name: cls,
        namespace: homeOf(args, cls),
        spec: { replicas, sandboxTemplateRef: { name: cls } },
    }));
    const namespaces = createNamespaces
        ? [...new Set(templates.map((t) => t.namespace))].map((name) => {
              const cls = templates.find((t) => t.namespace === name)!.runtimeClass;
              return {
                  name,
                  labels: {
                      ...managedBy,
                      [ctx.requireRuntimeLabel]: cls,
                      "pod-security.kubernetes.io/enforce": "restricted",
                  },
              };
          })
        : [];
    return { namespaces, templates, warmPools };
}
