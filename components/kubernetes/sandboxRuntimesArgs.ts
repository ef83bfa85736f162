// Arguments of `SandboxRuntimes`, their defaults, and their validation. Pure: the program
// calls `sandboxRuntimesProblems` to validate stack config before it creates anything.
import { AKS_KATA_SHIMS } from "../azure/aks";
import { CLOUDS, Cloud, DEFAULT_KEY_PREFIX, Runtime, isolationKeys, runtimeOnCloudProblem } from "../isolation";
import { DEFAULT_KATA_SHIM, KATA_SHIMS, KataHost, KataShim, kataHandler, kataShimHostProblem } from "../kataShims";
import { Problem, duplicates, isDnsLabel, isDnsSubdomain, isQuantity, shapeCheckedProblems, ProblemCode } from "../validation";
import { keyPrefixProblems } from "../kubelet";
import { Overhead, cloudOwnedSandboxClasses, plannedRuntimeClasses } from "./runtimeClasses";
import { AgentSandboxArgs, AgentSandboxContext, agentSandboxProblems, agentSandboxHomes } from "./agentSandbox";

/** What the admission guard does with a pod that breaks a rule. */
export const GuardAction = {
    /** Reject the pod (the default). */
    Deny: "Deny",
    /** Admit the pod and return a warning to the client: for rollout on a live cluster. */
    Warn: "Warn",
    /** Admit the pod and record the violation in the audit log. */
    Audit: "Audit",
} as const;
/** One of the values of `GuardAction`. */
export type GuardAction = (typeof GuardAction)[keyof typeof GuardAction];
export const GUARD_ACTIONS: readonly GuardAction[] = Object.values(GuardAction);

/** gVisor in the cluster: its RuntimeClass `gvisor` (created here, or GKE Sandbox's). */
export interface GvisorRuntimeArgs {
    /**
     * The cluster's gVisor is GKE Sandbox: GKE creates and owns RuntimeClass `gvisor`, so
     * none is created here (it is still verified). Required `true` on GCP, `false` on AWS.
     * Default `false`.
     */
    gkeManaged?: boolean;
}

/** Kata Containers in the cluster: the shims and their RuntimeClasses, and kata-deploy where the cloud does not install Kata itself. */
export interface KataRuntimeArgs {
    /**
     * Kata shims kata-deploy installs; one RuntimeClass `kata-<shim>` each. No default: name at
     * least one. On AKS only `clh` (Pod Sandboxing runs Cloud Hypervisor; every class points at
     * AKS's handler `kata`).
     */
    shims: KataShim[];
    /** Shim behind RuntimeClass `kata`. Must be one of `shims`. Default `qemu-runtime-rs` (kata-deploy's own default); `clh` on AKS. */
    defaultShim?: KataShim;
    /** Namespace of the kata-deploy release (created here, exempt from the guard). Default `kata-deploy`. This and the chart, image and distribution args below do not apply on AKS, where no kata-deploy runs. */
    namespace?: string;
    /** kata-deploy chart version, exact. Default `4.1.0`. */
    chartVersion?: string;
    /** Where Helm fetches the chart: kata-containers' registry by default, or a mirror (air-gapped clusters). */
    chart?: KataChartSource;
    /** kata-deploy image `{reference, tag}`; the tag must be a fixed version. Default `quay.io/kata-containers/kata-deploy` at the chart version (the chart's own default, its appVersion). */
    image?: ImageRef;
    /** kubectl image the chart's cleanup hooks run. Default `quay.io/kata-containers/kubectl:v1.37.1`. */
    kubectlImage?: ImageRef;
    /** Kubernetes distribution for kata-deploy's containerd paths (`k8s`, `k3s`, `rke2`, `k0s`, `microk8s`). Default `k8s`. */
    k8sDistribution?: string;
    /**
     * What the Kata pools' nodes offer (each pool component's `kataHost`): every shim must run
     * on every one of them, or its RuntimeClass would be broken there (a shim kata-deploy does
     * not ship for the nodes' architecture, Firecracker without devmapper, a confidential shim
     * on a node that cannot host SEV-SNP or TDX VMs). Default: none, so not checked.
     */
    hosts?: KataHost[];
}

/** Where the kata-deploy chart comes from. */
export interface KataChartSource {
    /**
     * An OCI registry path, `oci://host/path` (the chart is `<repository>/<name>`), or the URL of
     * a Helm chart repository, `https://host/path` (with an `index.yaml`). Default
     * `oci://ghcr.io/kata-containers/kata-deploy-charts`.
     */
    repository?: string;
    /** The chart's name in the repository. Default `kata-deploy`. */
    name?: string;
    /**
     * PEM file, on the machine that runs `pulumi`, of the CA that signs an `https://` chart
     * repository's certificate. Not for `oci://` repositories: the Kubernetes provider's Helm
     * registry client ignores it there, so an OCI mirror's CA must be trusted by that machine
     * (system store, or `SSL_CERT_FILE` in pulumi's environment). Default: the system's CAs.
     */
    caFile?: string;
}

/** An image as the kata-deploy chart splits it. */
export interface ImageRef {
    /** Repository, without tag or digest (`quay.io/kata-containers/kata-deploy`). */
    reference: string;
    /** A fixed version tag; never `latest`. */
    tag: string;
}

/** The admission guard: ValidatingAdmissionPolicies that keep non-sandboxed pods off sandbox nodes and sandboxed pods in their sandbox. */
export interface AdmissionGuardArgs {
    /** Create the ValidatingAdmissionPolicies and their bindings. Default `true`. */
    enabled?: boolean;
    /** `Deny` (default), or `Warn`/`Audit` while rolling out on a live cluster. */
    action?: GuardAction;
    /**
     * Namespaces whose pods and workloads the guard ignores, on top of `kube-system` and the
     * kata-deploy namespace: node agents that must tolerate every taint. The bindings exclude
     * them by namespaceSelector, so not even a policy error reaches them. Default none.
     */
    exemptNamespaces?: string[];
    /**
     * Let sandboxed pods use container `hostPort` (the node's own address; a tenant could hold a
     * port on every node). Default `false`.
     */
    allowHostPorts?: boolean;
    /**
     * CSI drivers whose inline `csi:` volumes sandboxed pods may mount (a secrets store, say).
     * Sandboxed pods may mount only configMap, secret, downwardAPI, projected, emptyDir,
     * persistentVolumeClaim and ephemeral volumes otherwise: the node itself mounts every other
     * type. A driver that serves node paths must never be listed. Default none.
     */
    allowedCsiDrivers?: string[];
    /**
     * How the guard's rejection messages name the settings that relax a rule, for a program
     * that exposes them under names of its own (a stack config key, say). Default: this
     * component's args (`SandboxRuntimes arg admission.exemptNamespaces`, ...).
     */
    settingNames?: GuardSettingNames;
}

/**
 * The words a rejection message uses for each setting that relaxes a rule: "add <namespace> to
 * <exemptNamespaces>", "allow it with <allowHostPorts>". One line each, at most 200 characters.
 */
export interface GuardSettingNames {
    /** Default `SandboxRuntimes arg admission.exemptNamespaces`. */
    exemptNamespaces?: string;
    /** Default `SandboxRuntimes arg admission.allowHostPorts`. */
    allowHostPorts?: string;
    /** Default `SandboxRuntimes arg admission.allowedCsiDrivers`. */
    allowedCsiDrivers?: string;
}

/** The settings' names in the guard's messages unless the caller gives its own: this component's args. */
export const DEFAULT_GUARD_SETTING_NAMES: Readonly<Required<GuardSettingNames>> = {
    exemptNamespaces: "SandboxRuntimes arg admission.exemptNamespaces",
    allowHostPorts: "SandboxRuntimes arg admission.allowHostPorts",
    allowedCsiDrivers: "SandboxRuntimes arg admission.allowedCsiDrivers",
};
const MAX_SETTING_NAME_LENGTH = 200;

/** The verification Jobs: one per RuntimeClass, proving from inside a pod that it runs sandboxed. */
export interface VerificationArgs {
    /** Run one verification Job per RuntimeClass; `pulumi up` fails when one fails. Default `true`. */
    enabled?: boolean;
    /** Namespace of the Jobs (created here; never exempt from the guard). Default `sandbox-verify`. */
    namespace?: string;
    /**
     * Image with busybox sh, dmesg, uname, grep, sed and curl, pinned by digest
     * (`repo@sha256:...`); override for a private registry. Default `curlimages/curl:8.11.1` by digest.
     */
    image?: string;
    /** Seconds a Job may take, scheduling included (a new node may have to boot). Default 900. */
    activeDeadlineSeconds?: number;
}

/** Arguments of `SandboxRuntimes`. */
export interface SandboxRuntimesArgs {
    /**
     * agent-sandbox (kubernetes-sigs/agent-sandbox, whose controller and CRDs you install first):
     * one SandboxTemplate per sandbox RuntimeClass, optional SandboxWarmPools, in tenant
     * namespaces by default. Default: none.
     */
    agentSandbox?: AgentSandboxArgs;
    /** Cloud of the cluster: decides the node stamp the RuntimeClasses select, and on AKS that Kata comes from Pod Sandboxing, not kata-deploy. */
    cloud: Cloud;
    /** Prefix of the package's label and taint keys; must match the pools'. Default `sandbox-clusters.io`. */
    keyPrefix?: string;
    /** gVisor pools exist in the cluster. Default: no gVisor. */
    gvisor?: GvisorRuntimeArgs;
    /** Kata pools exist in the cluster: installs kata-deploy on them. Default: no Kata. */
    kata?: KataRuntimeArgs;
    /** Per RuntimeClass name, the pod overhead to declare instead of the default (Kata: the shim's; gVisor: none). */
    overheads?: Record<string, Overhead>;
    /** The admission guard. Default: on, `Deny`. */
    admission?: AdmissionGuardArgs;
    /** Post-deploy verification Jobs. Default: on. */
    verification?: VerificationArgs;
}

/** Where Helm fetches kata-deploy's chart unless `kata.chart.repository` names a mirror. */
export const DEFAULT_KATA_CHART_REPOSITORY = "oci://ghcr.io/kata-containers/kata-deploy-charts";
/** The chart's name in that repository unless `kata.chart.name` says otherwise. */
export const DEFAULT_KATA_CHART_NAME = "kata-deploy";
/** The default chart as one OCI reference. */
export const KATA_DEPLOY_CHART = `${DEFAULT_KATA_CHART_REPOSITORY}/${DEFAULT_KATA_CHART_NAME}`;
/** The kata-deploy chart version installed unless `kata.chartVersion` pins another. */
export const DEFAULT_KATA_DEPLOY_VERSION = "4.1.0";
export const KATA_DEPLOY_IMAGE_REFERENCE = "quay.io/kata-containers/kata-deploy";
/** Tag format as used by kata-containers' own pipelines; the chart default is `latest`. */
export const DEFAULT_KUBECTL_IMAGE: ImageRef = { reference: "quay.io/kata-containers/kubectl", tag: "v1.37.1" };
export const DEFAULT_KATA_NAMESPACE = "kata-deploy";
export const DEFAULT_K8S_DISTRIBUTION = "k8s";
export const K8S_DISTRIBUTIONS = ["k8s", "k3s", "rke2", "k0s", "microk8s"] as const;
export const ALWAYS_EXEMPT_NAMESPACES = ["kube-system"] as const;
/**
 * GKE's own node agents outside kube-system, exempt on GKE: Managed Service for Prometheus runs
 * its collector DaemonSet (tolerating every taint) in `gmp-system`, or `gke-gmp-system` on newer
 * and Autopilot clusters; on Deny without them it gets no pod on any node, general ones included.
 */
export const GKE_EXEMPT_NAMESPACES = ["gmp-system", "gke-gmp-system"] as const;
export const DEFAULT_VERIFY_NAMESPACE = "sandbox-verify";
/** curl 8.11.1 on Alpine (busybox sh, dmesg, uname, grep, sed), multi-arch index digest. */
export const DEFAULT_VERIFY_IMAGE =
    "docker.io/curlimages/curl:8.11.1@sha256:c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69";
export const DEFAULT_VERIFY_DEADLINE_SECONDS = 900;

const CHART_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
const CHART_REPOSITORY = /^(oci|https):\/\/[^\s/?#]+(\/[^\s?#]*)?$/;
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const DIGEST_PINNED = /^[^\s@]+@sha256:[0-9a-f]{64}$/;

/** The chart source with defaults applied. */
export interface ResolvedKataChart {
    repository: string;
    name: string;
    caFile?: string;
}

/** The Helm `Release` chart arguments for a chart source: an OCI reference, or a name in a chart repository. */
export function kataChartReference(c: ResolvedKataChart): { chart: string; repositoryOpts?: { repo: string; caFile?: string } } {
    if (c.repository.startsWith("oci://")) return { chart: `${c.repository.replace(/\/+$/, "")}/${c.name}` };
    return { chart: c.name, repositoryOpts: { repo: c.repository, ...(c.caFile ? { caFile: c.caFile } : {}) } };
}

/** Args with every default applied, as the component uses them. */
export interface ResolvedArgs {
    cloud: Cloud;
    keyPrefix: string;
    gvisor?: Required<GvisorRuntimeArgs>;
    kata?: Required<Omit<KataRuntimeArgs, "chart">> & { chart: ResolvedKataChart };
    overheads: Record<string, Overhead>;
    admission: Required<Omit<AdmissionGuardArgs, "settingNames">> & { settingNames: Required<GuardSettingNames> };
    verification: Required<VerificationArgs>;
}

export function resolveArgs(args: SandboxRuntimesArgs): ResolvedArgs {
    const chartVersion = args.kata?.chartVersion ?? DEFAULT_KATA_DEPLOY_VERSION;
    const kata = args.kata && {
        shims: Array.isArray(args.kata.shims) ? args.kata.shims : [],
        defaultShim: args.kata.defaultShim ?? defaultKataShim(args.cloud),
        namespace: args.kata.namespace ?? DEFAULT_KATA_NAMESPACE,
        chartVersion,
        image: args.kata.image ?? { reference: KATA_DEPLOY_IMAGE_REFERENCE, tag: chartVersion.replace(/^v/, "") },
        kubectlImage: args.kata.kubectlImage ?? DEFAULT_KUBECTL_IMAGE,
        k8sDistribution: args.kata.k8sDistribution ?? DEFAULT_K8S_DISTRIBUTION,
        chart: {
            repository: args.kata.chart?.repository ?? DEFAULT_KATA_CHART_REPOSITORY,
            name: args.kata.chart?.name ?? DEFAULT_KATA_CHART_NAME,
            ...(args.kata.chart?.caFile !== undefined ? { caFile: args.kata.chart.caFile } : {}),
        },
        hosts: Array.isArray(args.kata.hosts) ? args.kata.hosts : [],
    };
    return {
        cloud: args.cloud,
        keyPrefix: args.keyPrefix ?? DEFAULT_KEY_PREFIX,
        gvisor: args.gvisor && { gkeManaged: args.gvisor.gkeManaged ?? false },
        kata,
        overheads: args.overheads ?? {},
        admission: {
            enabled: args.admission?.enabled ?? true,
            action: args.admission?.action ?? GuardAction.Deny,
            exemptNamespaces: Array.isArray(args.admission?.exemptNamespaces) ? args.admission!.exemptNamespaces! : [],
            allowHostPorts: args.admission?.allowHostPorts ?? false,
            allowedCsiDrivers: Array.isArray(args.admission?.allowedCsiDrivers) ? args.admission!.allowedCsiDrivers! : [],
            settingNames: { ...DEFAULT_GUARD_SETTING_NAMES, ...definedOnly(args.admission?.settingNames) },
        },
        verification: {
            enabled: args.verification?.enabled ?? true,
            namespace: args.verification?.namespace ?? DEFAULT_VERIFY_NAMESPACE,
            image: args.verification?.image ?? DEFAULT_VERIFY_IMAGE,
            activeDeadlineSeconds: args.verification?.activeDeadlineSeconds ?? DEFAULT_VERIFY_DEADLINE_SECONDS,
        },
    };
}

/** The fields of `o` that are set, so that spreading them keeps the defaults of the others. */
function definedOnly<T extends object>(o: T | undefined): Partial<T> {
    return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The shim behind RuntimeClass `kata` unless the user names one: kata-deploy's, or AKS's only one. */
export function defaultKataShim(cloud: Cloud): KataShim {
    return cloud === Cloud.Azure ? KataShim.Clh : DEFAULT_KATA_SHIM;
}

/** Whether Kata comes from kata-deploy (EKS, GKE) rather than the cloud's node image (AKS). */
export function kataInstalledByKataDeploy(cloud: Cloud): boolean {
    return cloud !== Cloud.Azure;
}

/** Whether kata-deploy is installed: Kata pools exist and the cloud does not install Kata itself (AKS does). */
export function installsKataDeploy(r: Pick<ResolvedArgs, "cloud" | "kata">): boolean {
    return r.kata !== undefined && kataInstalledByKataDeploy(r.cloud);
}

/** Namespaces the guard ignores: system, kata-deploy's (where it runs), then the user's. */
export function exemptNamespaces(r: ResolvedArgs): string[] {
    return [
        ...new Set([
            ...ALWAYS_EXEMPT_NAMESPACES,
            ...(r.cloud === Cloud.Gcp ? GKE_EXEMPT_NAMESPACES : []),
            ...(installsKataDeploy(r) ? [r.kata!.namespace] : []),
            ...r.admission.exemptNamespaces,
        ]),
    ];
}

/** kata-deploy args, which mean nothing where the cloud installs Kata. */
const KATA_DEPLOY_ARGS = ["namespace", "chartVersion", "image", "kubectlImage", "k8sDistribution"] as const;

/** Every problem with the args, each with its property path; empty when they are valid. */
export function sandboxRuntimesProblems(args: SandboxRuntimesArgs): Problem[] {
    return shapeCheckedProblems("SandboxRuntimes", args, valueProblemsOfSandboxRuntimes);
}

/** The checks of `sandboxRuntimesProblems` on args of the declared shape. */
function valueProblemsOfSandboxRuntimes(args: SandboxRuntimesArgs): Problem[] {
    const p: Problem[] = [];
    const add = (code: ProblemCode, path: string, message: string) => p.push({ code, path, message });
    const r = resolveArgs(args);

    if (!CLOUDS.includes(args.cloud)) add(ProblemCode.NotOneOf, "cloud", `${JSON.stringify(args.cloud)} is not one of ${CLOUDS.join(", ")}`);
    if (args.keyPrefix !== undefined) p.push(...keyPrefixProblems("keyPrefix", args.keyPrefix));
    if (!args.gvisor && !args.kata) add(ProblemCode.Required, "gvisor", "name at least one runtime: gvisor or kata");

    if (r.gvisor && args.cloud === Cloud.Azure) {
        add(ProblemCode.Unsupported, "gvisor", runtimeOnCloudProblem(Runtime.Gvisor, Cloud.Azure)!);
    } else if (r.gvisor) {
        if (args.cloud === Cloud.Gcp && !r.gvisor.gkeManaged) {
            add(ProblemCode.Conflict, "gvisor.gkeManaged", "gVisor on GKE is GKE Sandbox, which owns RuntimeClass gvisor: set gkeManaged: true");
        }
        if (args.cloud !== Cloud.Gcp && r.gvisor.gkeManaged) add(ProblemCode.Conflict, "gvisor.gkeManaged", "GKE-managed gVisor exists only on GCP");
    }

    if (args.kata) {
        const shims = r.kata!.shims;
        if (args.kata.shims !== undefined && !Array.isArray(args.kata.shims)) add(ProblemCode.WrongType, "kata.shims", "must be a list of shim names");
        else if (shims.length === 0) add(ProblemCode.Required, "kata.shims", "Kata needs at least one shim");
        shims.forEach((s, i) => {
            if (!KATA_SHIMS.includes(s)) add(ProblemCode.NotOneOf, `kata.shims[${i}]`, `unknown shim ${JSON.stringify(s)}; supported: ${KATA_SHIMS.join(", ")}`);
        });
        for (const d of duplicates(shims)) add(ProblemCode.Duplicate, "kata.shims", `duplicate RuntimeClass name "kata-${d}" (shim "${d}" listed twice)`);
        shims.forEach((s, i) => {
            if (!KATA_SHIMS.includes(s)) return;
            for (const host of r.kata!.hosts) {
                const why = kataShimHostProblem(s, host);
                if (why) add(ProblemCode.Unsupported, `kata.shims[${i}]`, why);
            }
        });
        const def = r.kata!.defaultShim;
        if (!KATA_SHIMS.includes(def)) {
            add(ProblemCode.NotOneOf, "kata.defaultShim", `unknown shim ${JSON.stringify(def)}; supported: ${KATA_SHIMS.join(", ")}`);
        } else if (shims.length > 0 && !shims.includes(def) && !(args.cloud === Cloud.Azure && args.kata.defaultShim === undefined)) {
            p.push({ code: ProblemCode.NotOneOf, path: "kata.defaultShim", message: `"${def}" is not among kata.shims (${shims.join(", ")})`, refs: ["kata.shims"] });
        }
        if (args.cloud === Cloud.Azure) {
            shims.forEach((s, i) => {
                if (KATA_SHIMS.includes(s) && !AKS_KATA_SHIMS.includes(s)) {
                    add(ProblemCode.Conflict, `kata.shims[${i}]`, `AKS Pod Sandboxing runs Kata only with Cloud Hypervisor: use shim ${AKS_KATA_SHIMS.join(", ")} (RuntimeClass ${AKS_KATA_SHIMS.map(kataHandler).join(", ")}), not ${s}`);
                }
            });
            for (const k of KATA_DEPLOY_ARGS) {
                if (args.kata[k] !== undefined) add(ProblemCode.Conflict, `kata.${k}`, "does not apply on AKS: Pod Sandboxing puts Kata in the node image and no kata-deploy runs there");
            }
        }
        if (!isDnsLabel(r.kata!.namespace)) add(ProblemCode.Malformed, "kata.namespace", `"${r.kata!.namespace}" is not a DNS label`);
        if (!EXACT_VERSION.test(r.kata!.chartVersion)) add(ProblemCode.Unpinned, "kata.chartVersion", `"${r.kata!.chartVersion}" is not an exact version`);
        // Without kata.image its tag is the chart version, already checked above.
        const images = [...(args.kata.image !== undefined ? [["image", r.kata!.image] as const] : []), ["kubectlImage", r.kata!.kubectlImage] as const];
        for (const [key, img] of images) {
            if (!img.reference || /[:@\s]/.test(img.reference.split("/").pop() ?? "")) {
                add(ProblemCode.Malformed, `kata.${key}.reference`, `"${img.reference}" must be a repository without tag or digest`);
            }
            if (!img.tag || img.tag === "latest" || /\s/.test(img.tag)) add(ProblemCode.Unpinned, `kata.${key}.tag`, `"${img.tag}" is not a pinned tag`);
        }
        const chart = r.kata!.chart;
        if (typeof chart.repository !== "string" || !CHART_REPOSITORY.test(chart.repository)) {
            add(ProblemCode.Malformed, "kata.chart.repository", `${JSON.stringify(chart.repository)} is neither an OCI registry path (oci://host/path) nor an https:// chart repository URL`);
        }
        if (typeof chart.name !== "string" || !CHART_NAME.test(chart.name)) add(ProblemCode.Malformed, "kata.chart.name", `${JSON.stringify(chart.name)} is not a chart name`);
        if (chart.caFile !== undefined) {
            if (typeof chart.caFile !== "string" || !chart.caFile.startsWith("/")) {
                add(ProblemCode.Malformed, "kata.chart.caFile", `${JSON.stringify(chart.caFile)} is not an absolute file path`);
            } else if (typeof chart.repository === "string" && chart.repository.startsWith("oci://")) {
                add(ProblemCode.Conflict, "kata.chart.caFile", "applies to https:// chart repositories only: for an oci:// mirror, trust its CA on the machine that runs pulumi (system store or SSL_CERT_FILE)");
            }
        }
        if (!(K8S_DISTRIBUTIONS as readonly string[]).includes(r.kata!.k8sDistribution)) {
            add(ProblemCode.NotOneOf, "kata.k8sDistribution", `"${r.kata!.k8sDistribution}" is not one of ${K8S_DISTRIBUTIONS.join(", ")}`);
        }
    }

    // Classes of a runtime the cloud cannot run (reported above) have no stamp to plan from.
    const plannable = { ...r, gvisor: runtimeOnCloudProblem(Runtime.Gvisor, r.cloud) === undefined ? r.gvisor : undefined };
    const classNames = new Set(plannedRuntimeClasses(plannable).filter((c) => c.createdHere).map((c) => c.name));
    for (const [cls, o] of Object.entries(r.overheads)) {
        if (!classNames.has(cls)) {
            const known = [...classNames].join(", ") || "none";
            add(ProblemCode.NotOneOf, `overheads["${cls}"]`, `no RuntimeClass "${cls}" is created here (created: ${known})`);
        }
        for (const k of ["cpu", "memory"] as const) {
            const v = o?.[k];
            if (v !== undefined && (typeof v !== "string" || !isQuantity(v))) {
                add(ProblemCode.Malformed, `overheads["${cls}"].${k}`, `${JSON.stringify(v)} is not a Kubernetes quantity`);
            }
        }
    }

    if (!GUARD_ACTIONS.includes(r.admission.action)) {
        add(ProblemCode.NotOneOf, "admission.action", `${JSON.stringify(r.admission.action)} is not one of ${GUARD_ACTIONS.join(", ")}`);
    }
    // Types (a boolean allowHostPorts, lists of strings) are the shape check's (argShapes.ts):
    // these checks see args of the declared shape.
    r.admission.allowedCsiDrivers.forEach((d, i) => {
        // A CSI driver's name is a DNS-1123 subdomain of at most 63 characters (CSIDriver object name rules).
        if (!isDnsSubdomain(d) || d.length > 63) add(ProblemCode.Malformed, `admission.allowedCsiDrivers[${i}]`, `${JSON.stringify(d)} is not a CSI driver name such as "secrets-store.csi.k8s.io"`);
    });
    for (const [k, v] of Object.entries(args.admission?.settingNames ?? {})) {
        if (v !== undefined && (v.trim() === "" || /[\r\n]/.test(v) || v.length > MAX_SETTING_NAME_LENGTH)) {
            add(ProblemCode.Malformed, `admission.settingNames.${k}`, `${JSON.stringify(v)} is not a name for a message: one line of 1 to ${MAX_SETTING_NAME_LENGTH} characters`);
        }
    }
    r.admission.exemptNamespaces.forEach((ns, i) => {
        if (!isDnsLabel(ns)) add(ProblemCode.Malformed, `admission.exemptNamespaces[${i}]`, `${JSON.stringify(ns)} is not a namespace name`);
    });

    const v = r.verification;
    if (!isDnsLabel(v.namespace)) add(ProblemCode.Malformed, "verification.namespace", `"${v.namespace}" is not a DNS label`);
    if (r.admission.enabled && v.enabled && exemptNamespaces(r).includes(v.namespace)) {
        add(ProblemCode.Reserved, "verification.namespace", `"${v.namespace}" is exempt from the admission guard; the checks must run as ordinary sandboxed pods`);
    }
    if (!DIGEST_PINNED.test(v.image)) add(ProblemCode.Unpinned, "verification.image", `"${v.image}" is not pinned by digest (repository@sha256:<64 hex>)`);
    if (!Number.isInteger(v.activeDeadlineSeconds) || v.activeDeadlineSeconds <= 0) {
        add(ProblemCode.OutOfRange, "verification.activeDeadlineSeconds", `${v.activeDeadlineSeconds} is not a positive whole number of seconds`);
    }
    if (args.agentSandbox !== undefined) {
        const ctx = agentSandboxContext(r);
        p.push(...agentSandboxProblems("agentSandbox", args.agentSandbox, ctx));
        for (const [cls, ns] of Object.entries(agentSandboxHomes(args.agentSandbox, ctx))) {
            if (v.enabled && ns === v.namespace) add(ProblemCode.Reserved, `agentSandbox.namespaces["${cls}"]`, `"${ns}" is the verification Jobs' namespace; give the agent sandboxes their own`);
        }
    }
    return p;
}

/** The runtimes' facts the agent-sandbox templates are written against. */
export function agentSandboxContext(r: ResolvedArgs): AgentSandboxContext {
    return {
        classes: [...plannedRuntimeClasses(r).map((c) => c.name), ...cloudOwnedSandboxClasses(r.cloud)],
        exemptNamespaces: r.admission.enabled ? exemptNamespaces(r) : [],
        requireRuntimeLabel: isolationKeys(r.keyPrefix).requireRuntime,
    };
}
