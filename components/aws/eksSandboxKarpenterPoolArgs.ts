// Arguments of EksSandboxKarpenterPool, their defaults and validation, and the plan the
// component builds from them: one EC2NodeClass and one NodePool per sandbox pool. Pure: no
// Pulumi resources, no I/O. Shared checks (runtime, architecture, stamp extras, gVisor options,
// instance types) are those of every EKS pool (eksPoolArgs.ts); the instance selection is in
// karpenterInstances.ts, the version check in karpenterVersion.ts, the objects it renders to in
// karpenterSpecs.ts. Rules below are those of Karpenter's CRDs and admission.
import type * as pulumi from "@pulumi/pulumi";
import { formatTaint, NodeStamp, Runtime, Taint } from "../isolation";
import { NameKind, nameProblems, physicalName } from "../names";
import { InputPropertiesError, isQuantity, checkArgShape, Problem, Problems, shapeCheckedProblems, thrownProblems, ProblemCode } from "../validation";
import { capacityTypeProblems, diskSizeProblems, EksPoolCommonArgs, gvisorOptionProblems, runtimeArchitectureProblems, stampExtraProblems, stampOf } from "./eksPoolArgs";
import { Architecture, NODE_ARCHITECTURE } from "./instanceCatalogue";
import {
    instanceSelectionProblems,
    KARPENTER_CAPACITY_TYPE,
    KarpenterLabel,
    KarpenterPoolMode,
    KataVirtualization,
    NodeRequirement,
    virtualizationProblems,
} from "./karpenterInstances";
import { KARPENTER_NESTED_VIRTUALIZATION_MIN_VERSION, versionAtLeast, versionProblems } from "./karpenterVersion";
import { awsTagProblems } from "./tags";
import { eksClusterNameProblems, subnetIdProblems } from "./clusterRef";
import { gvisorNodeUserData } from "./userdata";

/** Who makes the nodes' instance profile. */
export const InstanceProfileSource = {
    /** Karpenter, from the EC2NodeClass's `role` (its controller needs iam:PassRole and instance-profile rights). */
    Karpenter: "karpenter",
    /** This component: an IAM instance profile named in the EC2NodeClass's `instanceProfile`. */
    Created: "created",
} as const;
/** One of the values of `InstanceProfileSource`. */
export type InstanceProfileSource = (typeof InstanceProfileSource)[keyof typeof InstanceProfileSource];
export const INSTANCE_PROFILE_SOURCES: readonly InstanceProfileSource[] = Object.values(InstanceProfileSource);

/** `spec.disruption.consolidationPolicy` of a NodePool. */
export const ConsolidationPolicy = {
    /** Only empty nodes go: a running sandbox is never evicted to pack nodes tighter. */
    WhenEmpty: "WhenEmpty",
    WhenEmptyOrUnderutilized: "WhenEmptyOrUnderutilized",
} as const;
/** One of the values of `ConsolidationPolicy`. */
export type ConsolidationPolicy = (typeof ConsolidationPolicy)[keyof typeof ConsolidationPolicy];
export const CONSOLIDATION_POLICIES: readonly ConsolidationPolicy[] = Object.values(ConsolidationPolicy);

/**
 * AL2023 EKS AMI release the nodes boot (`al2023@<version>` alias: Karpenter picks that
 * release's image for the cluster's Kubernetes version). Pinned so nodes do not roll whenever
 * AWS publishes an image; bump it deliberately (amazon-eks-ami releases, `vYYYYMMDD`).
 */
export const DEFAULT_AL2023_AMI_VERSION = "v20260903";
export const DEFAULT_CONSOLIDATION_POLICY: ConsolidationPolicy = ConsolidationPolicy.WhenEmpty;
/** How long a node must stay empty (or underutilized) before Karpenter removes it. */
export const DEFAULT_CONSOLIDATE_AFTER = "5m";
/** Karpenter's own default node lifetime, written out so a reviewer sees it. */
export const DEFAULT_EXPIRE_AFTER = "720h";
/** At most this share of the pool's nodes is disrupted at once. */
export const DEFAULT_DISRUPTION_BUDGET = "10%";
/**
 * CPU the pool may hold in total, so a burst of pending sandboxes cannot buy unbounded
 * capacity. Bare-metal sizes start at 16-96 vCPUs, hence their higher default.
 */
export const DEFAULT_CPU_LIMIT: Readonly<Record<KarpenterPoolMode, string>> = {
    [KarpenterPoolMode.Gvisor]: "64",
    [KarpenterPoolMode.KataNested]: "64",
    [KarpenterPoolMode.KataMetal]: "192",
};
/** Tag keys the EC2NodeClass CRD refuses (its CEL rules), each with the CRD's reason. */
const RESTRICTED_TAGS: readonly { test: (k: string) => boolean; why: string }[] = [
    { test: (k) => k === "eks:eks-cluster-name", why: "eks:eks-cluster-name is set by EKS" },
    { test: (k) => k.startsWith("kubernetes.io/cluster"), why: "kubernetes.io/cluster/* is Karpenter's own" },
    { test: (k) => k === "karpenter.sh/nodepool", why: "karpenter.sh/nodepool is Karpenter's own" },
    { test: (k) => k === "karpenter.sh/nodeclaim", why: "karpenter.sh/nodeclaim is Karpenter's own" },
    { test: (k) => k === "karpenter.k8s.aws/ec2nodeclass", why: "karpenter.k8s.aws/ec2nodeclass is Karpenter's own" },
];
/** Label domains Karpenter reserves for itself (NodePool runtime validation and CRD rules). */
const RESTRICTED_LABEL_DOMAINS: readonly string[] = ["karpenter.sh", "karpenter.k8s.aws"];
const DURATION = /^(([0-9]+(s|m|h))+|Never)$/;
const BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;
const AMI_VERSION = /^v\d{8}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** The EC2NodeClass CRD caps tag selectors at 20 entries. */
const MAX_SELECTOR_TAGS = 20;

/** The most the pool's nodes may hold in total (the NodePool's `spec.limits`). */
export interface KarpenterLimits {
    /** Total vCPUs of the pool's nodes (a Kubernetes quantity, e.g. `"64"`). Default: `DEFAULT_CPU_LIMIT` of the pool's mode (64; 192 on bare metal). */
    cpu?: string;
    /** Total memory of the pool's nodes (e.g. `"256Gi"`). Default: no memory limit. */
    memory?: string;
}

/** How Karpenter may take the pool's nodes away (the NodePool's `spec.disruption`). */
export interface KarpenterDisruption {
    /** Default `WhenEmpty`: a sandbox pod is never evicted to consolidate. */
    consolidationPolicy?: ConsolidationPolicy;
    /** Duration (`30s`, `5m`, `1h`, `Never`). Default `5m`. */
    consolidateAfter?: string;
    /** Share or number of nodes disrupted at once (`10%`, `1`). Default `10%`. */
    budgetNodes?: string;
}

/** Arguments of `EksSandboxKarpenterPool`: the pool args every EKS sandbox pool takes, and Karpenter's. */
export interface EksSandboxKarpenterPoolArgs extends EksPoolCommonArgs {
    /** Name of the EKS cluster (its access entry; the cluster security group when none is given). Required. */
    clusterName: pulumi.Input<string>;
    /**
     * Version of the Karpenter controller running in the cluster (`1.13.1` or `v1.13.1`),
     * which is the user's to install. Required: versions before 1.0.0 (no v1 APIs), of another
     * major version, or before 1.13.0 for nested virtualization are refused.
     */
    karpenterVersion: string;
    /** Sandbox runtime of the pool: `gvisor` or `kata`. Required. */
    runtime: Runtime;
    /** CPU architecture: `x86_64` or `arm64` (Kata on arm64 only on bare metal). Default: `x86_64`. */
    architecture?: Architecture;
    /**
     * Kata only: nested virtualization (C8i/M8i/R8i virtual sizes, x86_64) or bare metal.
     * Default: what `instanceTypes` are; otherwise `nested` on x86_64 and `metal` on arm64.
     */
    kataVirtualization?: KataVirtualization;
    /**
     * Exact EC2 instance types Karpenter may launch (`node.kubernetes.io/instance-type`).
     * At most one of `instanceTypes`, `instanceFamilies`. Kata types must expose KVM. Default:
     * none; the instance families (given or default) decide.
     */
    instanceTypes?: string[];
    /**
     * Instance families Karpenter may choose from (`karpenter.k8s.aws/instance-family`); Kata
     * metal pools add the bare-metal sizes, nested pools exclude them. Default: from the instance
     * catalogue (Kata nested: C8i/M8i/R8i and flex; Kata metal: every metal family of the
     * architecture); gVisor: categories c, m, r of generation 6 or later.
     */
    instanceFamilies?: string[];
    /** Subnets of the nodes, by ID. Exactly one of `subnetIds`, `subnetSelectorTags` is required. Default: none. */
    subnetIds?: pulumi.Input<string>[];
    /** Subnets of the nodes, by tags (e.g. `{"karpenter.sh/discovery": "<cluster>"}`). Default: none. */
    subnetSelectorTags?: Record<string, string>;
    /** Security groups by ID. Default: the cluster security group, looked up from the cluster. */
    securityGroupIds?: pulumi.Input<string>[];
    /** Security groups by tags; at most one of `securityGroupIds`, `securityGroupSelectorTags`. Default: the cluster security group. */
    securityGroupSelectorTags?: Record<string, string>;
    /** AL2023 EKS AMI release (`vYYYYMMDD`, never `latest`). Default: `DEFAULT_AL2023_AMI_VERSION`. */
    amiVersion?: string;
    /** Total resources of the pool. Default: `DEFAULT_CPU_LIMIT[mode]` vCPUs, no memory limit. */
    limits?: KarpenterLimits;
    /** Voluntary disruption. Default: `WhenEmpty` after `5m`, at most `10%` of the nodes at once. */
    disruption?: KarpenterDisruption;
    /** Node lifetime before Karpenter replaces it (`720h`, `Never`). Default: `720h`. */
    expireAfter?: string;
    /** NodePool weight (1-100) among pools that fit the same pod. Default: none. */
    weight?: number;
    /**
     * ARN of an existing node role (e.g. the one the Karpenter install made). Default: a role
     * with the minimal EKS worker policies is created; Karpenter's controller must be allowed
     * to pass it (iam:PassRole).
     */
    nodeRoleArn?: pulumi.Input<string>;
    /** Who makes the instance profile. Default: `karpenter` (the EC2NodeClass names the role). */
    instanceProfile?: InstanceProfileSource;
    /**
     * Create the role's `EC2_LINUX` EKS access entry. Default: true when the role is created,
     * false for a given role (a Karpenter install's node role already has one; EKS refuses a second).
     */
    accessEntry?: boolean;
    /**
     * Name of the NodePool and the EC2NodeClass (a DNS label of at most 63: Karpenter puts it
     * in the `karpenter.sh/nodepool` node label). Default: the component's name, shortened with
     * a hash when it does not fit (names.ts).
     */
    nodePoolName?: string;
}

/** Validated arguments with every default applied. */
export interface KarpenterPoolPlan {
    mode: KarpenterPoolMode;
    name: string;
    runtime: Runtime;
    architecture: Architecture;
    karpenterVersion: string;
    requirements: NodeRequirement[];
    stamp: NodeStamp;
    /** Every label the nodes carry: stamp plus extra. */
    labels: Record<string, string>;
    /** Every taint the nodes register with, startup taints included. */
    taints: Taint[];
    /** NodePool `taints`: the permanent ones (pods must tolerate them). */
    permanentTaints: Taint[];
    /** NodePool `startupTaints`: removed by the runtime installer; Karpenter keeps such a node out of disruption until then. */
    startupTaints: Taint[];
    tags: Record<string, string>;
    diskSizeGiB: number;
    amiAlias: string;
    nestedVirtualization: boolean;
    /** gVisor nodes: the user data installing runsc (Karpenter merges its own NodeConfig in). */
    userData?: string;
    limits: Required<Pick<KarpenterLimits, "cpu">> & KarpenterLimits;
    disruption: Required<KarpenterDisruption>;
    expireAfter: string;
    weight?: number;
    instanceProfile: InstanceProfileSource;
    accessEntry: boolean;
    createRole: boolean;
    subnets: { ids: pulumi.Input<string>[] } | { tags: Record<string, string> };
    /** Undefined: the cluster security group, looked up. */
    securityGroups?: { ids: pulumi.Input<string>[] } | { tags: Record<string, string> };
}

/** Every problem with the arguments, each with its property path (empty when valid). */
export function eksSandboxKarpenterPoolProblems(name: string, args: EksSandboxKarpenterPoolArgs): Problem[] {
    try {
        planKarpenterPool("EksSandboxKarpenterPool", name, args);
        return [];
    } catch (e) {
        if (e instanceof InputPropertiesError) return [...e.problems];
        throw e;
    }
}

/** Validates every argument and returns the plan; throws one InputPropertiesError naming every bad input otherwise. */
export function planKarpenterPool(subject: string, name: string, args: EksSandboxKarpenterPoolArgs): KarpenterPoolPlan {
    // Args of the declared shape are checked while planning; others first by their shape.
    if (checkArgShape("EksSandboxKarpenterPool", args).problems.length === 0) return planWellTypedKarpenterPool(subject, name, args);
    throw new InputPropertiesError(subject, shapeCheckedProblems("EksSandboxKarpenterPool", args, (a) => thrownProblems(() => planWellTypedKarpenterPool(subject, name, a))));
}

function planWellTypedKarpenterPool(subject: string, name: string, args: EksSandboxKarpenterPoolArgs): KarpenterPoolPlan {
    const p = new Problems();
    const architecture = runtimeArchitectureProblems(p, args);
    const known = p.all.length === 0;
    const capacityType = capacityTypeProblems(p, args);
    const diskSizeGiB = diskSizeProblems(p, args);
    const version = versionProblems(p, args.karpenterVersion);

    const kvm = known ? virtualizationProblems(p, args, architecture) : { ok: false };
    const virtualization = kvm.virtualization;
    const mode: KarpenterPoolMode =
        args.runtime === Runtime.Gvisor
            ? KarpenterPoolMode.Gvisor
            : virtualization === KataVirtualization.Metal
              ? KarpenterPoolMode.KataMetal
              : KarpenterPoolMode.KataNested;
    if (known && mode === KarpenterPoolMode.KataNested && version && !versionAtLeast(version, KARPENTER_NESTED_VIRTUALIZATION_MIN_VERSION)) {
        p.add(
            ProblemCode.Unsupported,
            "karpenterVersion",
            `Karpenter ${args.karpenterVersion} cannot enable nested virtualization: EC2NodeClass spec.cpuOptions.nestedVirtualization ` +
                `first appears in ${KARPENTER_NESTED_VIRTUALIZATION_MIN_VERSION}; upgrade Karpenter or use bare-metal types (kataVirtualization: "metal")`,
        );
    }
    const instanceRequirements = kvm.ok ? instanceSelectionProblems(p, args, architecture, mode) : [];

    stampExtraProblems(p, args);
    karpenterLabelProblems(p, args);
    gvisorOptionProblems(p, args, args.instanceTypes, "Karpenter nodes only have on bare metal");

    const nodePoolName = args.nodePoolName ?? physicalName(NameKind.KarpenterNodePool, name);
    if (args.nodePoolName !== undefined) p.addAll(nameProblems(NameKind.KarpenterNodePool, "nodePoolName", args.nodePoolName));
    const subnets = selectorProblems(p, "subnetIds", "subnetSelectorTags", args.subnetIds, args.subnetSelectorTags, true)!;
    p.addAll(subnetIdProblems("subnetIds", args.subnetIds));
    p.addAll(eksClusterNameProblems("clusterName", args.clusterName));
    const securityGroups = selectorProblems(p, "securityGroupIds", "securityGroupSelectorTags", args.securityGroupIds, args.securityGroupSelectorTags, false);
    const amiVersion = args.amiVersion ?? DEFAULT_AL2023_AMI_VERSION;
    if (!AMI_VERSION.test(amiVersion)) {
        p.add(ProblemCode.Unpinned, "amiVersion", `${JSON.stringify(amiVersion)} is not an AL2023 EKS AMI release such as "${DEFAULT_AL2023_AMI_VERSION}" (pin one; never "latest")`);
    }
    for (const [k, v] of Object.entries(args.limits ?? {})) {
        if (typeof v !== "string" || !isQuantity(v)) p.add(ProblemCode.Malformed, `limits.${k}`, `${JSON.stringify(v)} is not a Kubernetes quantity such as "64" or "256Gi"`);
    }
    const disruption = disruptionProblems(p, args.disruption ?? {});
    const expireAfter = args.expireAfter ?? DEFAULT_EXPIRE_AFTER;
    if (!DURATION.test(expireAfter)) p.add(ProblemCode.Malformed, "expireAfter", `${JSON.stringify(expireAfter)} is not a duration such as "720h" or "Never"`);
    if (args.weight !== undefined && (!Number.isInteger(args.weight) || args.weight < 1 || args.weight > 100)) {
        p.add(ProblemCode.OutOfRange, "weight", `${args.weight} is not a whole number from 1 to 100`);
    }
    const karpenterTags = new Set<string>();
    for (const key of Object.keys(args.tags ?? {})) {
        const restricted = RESTRICTED_TAGS.find((r) => r.test(key));
        const path = `tags["${key}"]`;
        if (restricted) {
            karpenterTags.add(path);
            p.add(ProblemCode.Reserved, path, `Karpenter refuses this tag on an EC2NodeClass (${restricted.why})`);
        }
    }
    p.addAll(awsTagProblems("tags", args.tags).filter((t) => !karpenterTags.has(t.path)));
    const instanceProfile = args.instanceProfile ?? InstanceProfileSource.Karpenter;
    if (!INSTANCE_PROFILE_SOURCES.includes(instanceProfile)) {
        p.add(ProblemCode.NotOneOf, "instanceProfile", `${JSON.stringify(instanceProfile)} is not one of ${INSTANCE_PROFILE_SOURCES.join(", ")}`);
    }
    if (typeof args.nodeRoleArn === "string" && !ROLE_ARN.test(args.nodeRoleArn)) {
        p.add(ProblemCode.Malformed, "nodeRoleArn", `"${args.nodeRoleArn}" is not an IAM role ARN`);
    }

    p.throwIfAny(subject);

    const stampParts = stampOf(args);
    const startup = new Set(stampParts.stamp.startupTaints.map(formatTaint));
    return {
        mode,
        name: nodePoolName,
        runtime: args.runtime,
        architecture,
        karpenterVersion: args.karpenterVersion,
        requirements: [
            { key: KarpenterLabel.Arch, operator: "In", values: [NODE_ARCHITECTURE[architecture]] },
            { key: KarpenterLabel.Os, operator: "In", values: ["linux"] },
            { key: KarpenterLabel.CapacityType, operator: "In", values: [KARPENTER_CAPACITY_TYPE[capacityType]] },
            ...instanceRequirements,
        ],
        ...stampParts,
        permanentTaints: stampParts.taints.filter((t) => !startup.has(formatTaint(t))),
        startupTaints: stampParts.stamp.startupTaints,
        diskSizeGiB,
        amiAlias: `al2023@${amiVersion}`,
        nestedVirtualization: mode === KarpenterPoolMode.KataNested,
        userData: mode === KarpenterPoolMode.Gvisor ? gvisorNodeUserData(args.gvisor) : undefined,
        limits: { cpu: DEFAULT_CPU_LIMIT[mode], ...(args.limits ?? {}) },
        disruption,
        expireAfter,
        weight: args.weight,
        instanceProfile,
        accessEntry: args.accessEntry ?? args.nodeRoleArn === undefined,
        createRole: args.nodeRoleArn === undefined,
        subnets,
        securityGroups,
    };
}

/** Extra labels in the domains Karpenter reserves (`kubernetes.io/hostname` is the kubelet checks' already). */
function karpenterLabelProblems(p: Problems, args: EksSandboxKarpenterPoolArgs): void {
    for (const key of Object.keys(args.labels ?? {})) {
        const domain = key.includes("/") ? key.slice(0, key.indexOf("/")) : "";
        const reserved = RESTRICTED_LABEL_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`));
        if (reserved) p.add(ProblemCode.Reserved, `labels["${key}"]`, `the label domain ${reserved} is Karpenter's own`);
    }
}

function selectorProblems(
    p: Problems,
    idsKey: string,
    tagsKey: string,
    ids: pulumi.Input<string>[] | undefined,
    tags: Record<string, string> | undefined,
    required: boolean,
): { ids: pulumi.Input<string>[] } | { tags: Record<string, string> } | undefined {
    if (ids !== undefined && tags !== undefined) {
        p.add(ProblemCode.Conflict, tagsKey, `only one of ${idsKey}, ${tagsKey} is allowed`);
        return undefined;
    }
    if (ids !== undefined) {
        if (!Array.isArray(ids) || ids.length === 0) p.add(ProblemCode.Required, idsKey, "must name at least one ID");
        return { ids };
    }
    if (tags !== undefined) {
        const entries = Object.entries(tags);
        if (entries.length === 0) p.add(ProblemCode.Required, tagsKey, "must hold at least one tag");
        if (entries.length > MAX_SELECTOR_TAGS) p.add(ProblemCode.OutOfRange, tagsKey, `holds ${entries.length} tags; Karpenter allows at most ${MAX_SELECTOR_TAGS}`);
        for (const [k, v] of entries) {
            if (k === "" || typeof v !== "string" || v === "") p.add(ProblemCode.Malformed, `${tagsKey}["${k}"]`, "tag keys and values must not be empty");
        }
        return { tags };
    }
    if (required) p.add(ProblemCode.Required, idsKey, `one of ${idsKey}, ${tagsKey} is required`);
    return undefined;
}

function disruptionProblems(p: Problems, d: KarpenterDisruption): Required<KarpenterDisruption> {
    const out = {
        consolidationPolicy: d.consolidationPolicy ?? DEFAULT_CONSOLIDATION_POLICY,
        consolidateAfter: d.consolidateAfter ?? DEFAULT_CONSOLIDATE_AFTER,
        budgetNodes: d.budgetNodes ?? DEFAULT_DISRUPTION_BUDGET,
    };
    if (!CONSOLIDATION_POLICIES.includes(out.consolidationPolicy)) {
        p.add(ProblemCode.NotOneOf, "disruption.consolidationPolicy", `${JSON.stringify(out.consolidationPolicy)} is not one of ${CONSOLIDATION_POLICIES.join(", ")}`);
    }
    if (!DURATION.test(out.consolidateAfter)) p.add(ProblemCode.Malformed, "disruption.consolidateAfter", `${JSON.stringify(out.consolidateAfter)} is not a duration such as "5m" or "Never"`);
    if (!BUDGET_NODES.test(out.budgetNodes)) p.add(ProblemCode.Malformed, "disruption.budgetNodes", `${JSON.stringify(out.budgetNodes)} is not a node count or percentage such as "1" or "10%"`);
    return out;
}
