// The isolation contract: the one place that spells the labels, taints and RuntimeClass
// scheduling that tie sandbox nodes to sandboxed pods. Pool components stamp nodes with
// `nodeStamp`; the Kubernetes layer selects and tolerates the same stamp through
// `runtimeClassScheduling`. Pure data and functions: no Pulumi resources, no I/O.

/** Sandbox runtimes the package provisions. */
export const Runtime = {
    /** gVisor (`runsc`): a user-space kernel that intercepts the pod's syscalls. */
    Gvisor: "gvisor",
    /** Kata Containers: one lightweight VM, with its own guest kernel, per pod. */
    Kata: "kata",
} as const;
/** One of the values of `Runtime`. */
export type Runtime = (typeof Runtime)[keyof typeof Runtime];
export const RUNTIMES: readonly Runtime[] = Object.values(Runtime);

/** Where the cluster runs: decides who stamps the sandbox nodes and with what. */
export const Cloud = {
    /** EKS: the package's pools stamp their nodes with the package's own labels and taints. */
    Aws: "aws",
    /** GKE: the package's pools, except GKE Sandbox (gVisor), which GKE stamps itself. */
    Gcp: "gcp",
    /** AKS: Kata only, through Pod Sandboxing (see `runtimeOnCloudProblem`). */
    Azure: "azure",
    /**
     * Any conformant cluster whose nodes the user provisions (kubeadm, k3s, on-premises, a
     * managed cluster without sandbox support): the user stamps the nodes with the package's
     * own labels and taints (`nodeStamp`), exactly as the EKS pools do.
     */
    Kubernetes: "kubernetes",
} as const;
/** One of the values of `Cloud`. */
export type Cloud = (typeof Cloud)[keyof typeof Cloud];
export const CLOUDS: readonly Cloud[] = Object.values(Cloud);

/**
 * The runtimes each cloud's pools can provide. AKS offers Kata through Pod Sandboxing and no
 * gVisor (see `runtimeOnCloudProblem`).
 */
export const CLOUD_RUNTIMES: Readonly<Record<Cloud, readonly Runtime[]>> = {
    [Cloud.Aws]: [Runtime.Gvisor, Runtime.Kata],
    [Cloud.Gcp]: [Runtime.Gvisor, Runtime.Kata],
    [Cloud.Azure]: [Runtime.Kata],
    // The user's own nodes: whatever they install (gVisor by the rendered bootstrap, Kata by kata-deploy).
    [Cloud.Kubernetes]: [Runtime.Gvisor, Runtime.Kata],
};

/**
 * Why `runtime` cannot run on `cloud`, or undefined when it can. gVisor on AKS: AKS has no
 * managed gVisor, Pod Sandboxing is Kata only, and AKS owns its nodes' containerd
 * configuration (no supported hook installs another runtime handler; a privileged DaemonSet
 * rewriting it is unsupported and undone by every node image upgrade or reimage), so there is
 * no supported way to give AKS nodes a `runsc` handler.
 */
export function runtimeOnCloudProblem(runtime: Runtime, cloud: Cloud): string | undefined {
    if (CLOUD_RUNTIMES[cloud]?.includes(runtime) !== false) return undefined;
    if (runtime === Runtime.Gvisor && cloud === Cloud.Azure) {
        return "gVisor is not available on AKS: AKS has no managed gVisor and manages its nodes' containerd itself, so no supported way installs runsc there; use runtime kata (AKS Pod Sandboxing, a VM per pod)";
    }
    return `${runtime} is not available on ${cloud}`;
}

/** Kubernetes taint effects, in Kubernetes' own spelling. Clouds translate at the edge. */
export const TaintEffect = {
    NoSchedule: "NoSchedule",
    PreferNoSchedule: "PreferNoSchedule",
    NoExecute: "NoExecute",
} as const;
/** One of the values of `TaintEffect`. */
export type TaintEffect = (typeof TaintEffect)[keyof typeof TaintEffect];
export const TAINT_EFFECTS: readonly TaintEffect[] = Object.values(TaintEffect);

/** A node taint; one shape for every cloud. */
export interface Taint {
    /** Label-style key, e.g. `sandbox-clusters.io/runtime`. */
    key: string;
    /** Value; `""` for a taint without one. */
    value: string;
    /** What the taint does to pods that do not tolerate it. */
    effect: TaintEffect;
}

/** A toleration as the RuntimeClass API spells it. */
export interface Toleration {
    /** The taint key it tolerates. */
    key: string;
    /** `Equal` (key and value match) or `Exists` (any value). */
    operator: "Equal" | "Exists";
    /** The value it tolerates, with `Equal`. */
    value?: string;
    /** The effect it tolerates; every effect when left out. */
    effect?: TaintEffect;
}

/** Default prefix of every label and taint key the package owns. */
export const DEFAULT_KEY_PREFIX = "sandbox-clusters.io";

/**
 * GKE Sandbox stamps gVisor nodes itself with this label and taint (value `gvisor`) and
 * rejects user node config that names any key under `sandbox.gke.io/`.
 */
export const GKE_SANDBOX_RUNTIME_KEY = "sandbox.gke.io/runtime";
export const GKE_RESERVED_KEY_PREFIX = "sandbox.gke.io/";

/**
 * Taints under this prefix are startup taints to the Kubernetes cluster autoscaler (EKS and
 * GKE alike): it leaves them off the template node it simulates before scaling a group up.
 * Source: kubernetes/autoscaler, cluster-autoscaler FAQ and `utils/taints`.
 */
export const AUTOSCALER_STARTUP_TAINT_PREFIX = "startup-taint.cluster-autoscaler.kubernetes.io/";

/**
 * AKS labels and taints every spot node itself (Microsoft Learn "Add an Azure Spot node pool
 * to an AKS cluster"): a pod that does not tolerate this taint never lands on a spot pool.
 * AKS's Kata classes tolerate it, so Kata pods reach spot Kata pools too; the classes' node
 * selector still keeps them on Kata nodes, and the taint marks capacity, not a sandbox. Part
 * of the contract because `runtimeClassScheduling` tolerates it on AKS; AKS's other facts live
 * in `azure/aks.ts`.
 */
export const AKS_SPOT_TAINT: Taint = { key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: TaintEffect.NoSchedule };

/** The label and taint keys under one prefix. */
export interface IsolationKeys {
    /** Label and taint key carrying the runtime name: `<prefix>/runtime`. */
    runtime: string;
    /**
     * Startup taint on Kata nodes, removed by kata-deploy once Kata is installed. It lives
     * under the cluster autoscaler's startup-taint prefix rather than `<prefix>/`: the
     * autoscaler drops only such taints from the node it simulates for a scale-up, and Kata
     * pods never tolerate this taint, so under any other key a Kata pool scaled to zero
     * would never get its first node.
     */
    kataNotReady: string;
    /** Namespace label that admits only pods of the named RuntimeClass. */
    requireRuntime: string;
}

/** The package's label and taint keys under `prefix` (default `sandbox-clusters.io`). */
export function isolationKeys(prefix: string = DEFAULT_KEY_PREFIX): IsolationKeys {
    return {
        runtime: `${prefix}/runtime`,
        kataNotReady: `${AUTOSCALER_STARTUP_TAINT_PREFIX}kata-not-ready`,
        requireRuntime: `${prefix}/require-runtime`,
    };
}

/** What a sandbox node carries, and who puts it there. */
export interface NodeStamp {
    /** The runtime of the pool's nodes. */
    runtime: Runtime;
    /** The cloud of the pool. */
    cloud: Cloud;
    /** Labels every node of the pool carries. */
    labels: Record<string, string>;
    /** Taints every node carries when it registers, startup taints included. */
    taints: Taint[];
    /** The subset of `taints` the runtime installer removes once the runtime works. */
    startupTaints: Taint[];
    /**
     * True when the cloud applies `labels` and `taints` itself (GKE Sandbox): the pool must
     * not send them, and the provider would reject them if it did.
     */
    appliedByCloud: boolean;
}

/** The node stamp of a sandbox pool for `runtime` on `cloud`; throws for a runtime the cloud cannot run. */
export function nodeStamp(runtime: Runtime, cloud: Cloud, prefix: string = DEFAULT_KEY_PREFIX): NodeStamp {
    if (runtime === Runtime.Gvisor && cloud === Cloud.Gcp) {
        const taint: Taint = { key: GKE_SANDBOX_RUNTIME_KEY, value: Runtime.Gvisor, effect: TaintEffect.NoSchedule };
        return {
            runtime,
            cloud,
            labels: { [GKE_SANDBOX_RUNTIME_KEY]: Runtime.Gvisor },
            taints: [taint],
            startupTaints: [],
            appliedByCloud: true,
        };
    }
    const unavailable = runtimeOnCloudProblem(runtime, cloud);
    if (unavailable !== undefined) throw new Error(`no node stamp: ${unavailable}`);
    const keys = isolationKeys(prefix);
    const runtimeTaint: Taint = { key: keys.runtime, value: runtime, effect: TaintEffect.NoSchedule };
    // AKS Pod Sandboxing nodes boot with Kata in their image: the runtime works before the node
    // registers, so there is nothing to wait for (invariant 6 holds without a startup taint).
    const installedAfterBoot = runtime === Runtime.Kata && cloud !== Cloud.Azure;
    const startupTaints: Taint[] = installedAfterBoot
        ? [{ key: keys.kataNotReady, value: "true", effect: TaintEffect.NoSchedule }]
        : [];
    return {
        runtime,
        cloud,
        labels: { [keys.runtime]: runtime },
        taints: [runtimeTaint, ...startupTaints],
        startupTaints,
        appliedByCloud: false,
    };
}

/** `scheduling` of a RuntimeClass: what the API server merges into each pod that names it. */
export interface RuntimeClassScheduling {
    /** Node labels a pod of the class must land on. */
    nodeSelector: Record<string, string>;
    /** Tolerations added to every pod of the class. */
    tolerations: Toleration[];
}

/**
 * The scheduling of a RuntimeClass for `runtime`, derived from the node stamp so the two
 * cannot drift: select the stamp's labels, tolerate its permanent taints and never its
 * startup taints (a Kata pod must wait until Kata is installed on the node). On AKS also the
 * spot taint AKS puts on spot pools (`AKS_SPOT_TAINT`), which marks capacity, not a sandbox.
 */
export function runtimeClassScheduling(
    runtime: Runtime,
    cloud: Cloud,
    prefix: string = DEFAULT_KEY_PREFIX,
): RuntimeClassScheduling {
    const stamp = nodeStamp(runtime, cloud, prefix);
    const startup = new Set(stamp.startupTaints.map(taintId));
    const capacity = cloud === Cloud.Azure ? [AKS_SPOT_TAINT] : [];
    return {
        nodeSelector: { ...stamp.labels },
        tolerations: [...stamp.taints.filter((t) => !startup.has(taintId(t))), ...capacity]
            .map((t) => ({ key: t.key, operator: "Equal" as const, value: t.value, effect: t.effect })),
    };
}

/**
 * Taint keys that mark sandbox nodes on any cloud. The admission guard rejects a pod that
 * tolerates one of them without naming a sandbox RuntimeClass.
 */
export function sandboxTaintKeys(prefix: string = DEFAULT_KEY_PREFIX): string[] {
    const keys = isolationKeys(prefix);
    return [keys.runtime, keys.kataNotReady, GKE_SANDBOX_RUNTIME_KEY];
}

/**
 * Every taint a sandbox node may carry on any cloud, startup taints included: the admission
 * guard rejects a pod whose tolerations match one of them (by key, value and effect, as the
 * scheduler matches them) unless it names a sandbox RuntimeClass.
 */
export function sandboxTaints(prefix: string = DEFAULT_KEY_PREFIX): Taint[] {
    const all = CLOUDS.flatMap((c) => CLOUD_RUNTIMES[c].flatMap((r) => nodeStamp(r, c, prefix).taints));
    const seen = new Set<string>();
    return all.filter((t) => !seen.has(taintId(t)) && seen.add(taintId(t)) !== undefined);
}

/** `key=value:Effect`, the spelling of kubelet's `--register-with-taints` and kubectl. */
export function formatTaint(t: Taint): string {
    return t.value === "" ? `${t.key}:${t.effect}` : `${t.key}=${t.value}:${t.effect}`;
}

function taintId(t: Taint): string {
    return formatTaint(t);
}

/** RuntimeClass names: the same on every cloud, so workload manifests are portable. */
export const RuntimeClassName = {
    Gvisor: "gvisor",
    Kata: "kata",
} as const;

/** containerd runtime handler our gVisor node bootstrap registers. */
export const GVISOR_HANDLER = "runsc";
