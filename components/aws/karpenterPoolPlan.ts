// Arguments of EksSandboxKarpenterPool, their defaults and validation, and the Karpenter
// objects they render: one EC2NodeClass (`karpenter.k8s.aws/v1`) and one NodePool
// (`karpenter.sh/v1`) per sandbox pool. Pure: no Pulumi resources, no I/O. Shared checks
// (runtime, architecture, stamp extras, gVisor options, instance types) are the node-group
// pools' own (eksPoolPlan.ts); what differs is how Karpenter spells the same decisions.
//
// Field spellings and rules below are those of the CRDs in github.com/aws/karpenter-provider-aws
// (`pkg/apis/crds/`), which the integration suite installs into a real API server and applies
// every rendered object to (test/integration/kube/karpenter.test.ts).
import type * as pulumi from "@pulumi/pulumi";
import { formatTaint, NodeStamp, Runtime, Taint } from "../isolation";
import { NameKind, nameProblems, physicalName } from "../names";
import { duplicates, InputPropertiesError, isQuantity, checkArgShape, Problem, Problems, shapeCheckedProblems, thrownProblems } from "../validation";
import {
    CapacityType,
    capacityTypeProblems,
    diskSizeProblems,
    EksPoolCommonArgs,
    eksInstanceProblems,
    EksPoolMode,
    gvisorOptionProblems,
    runtimeArchitectureProblems,
    stampExtraProblems,
    stampOf,
} from "./eksPoolPlan";
import {
    Architecture,
    instanceFamilyInfo,
    instanceTypeInfo,
    KvmAccess,
    METAL_FAMILIES,
    noEksNodeReason,
    METAL_SIZES,
    NODE_ARCHITECTURE,
    NESTED_VIRTUALIZATION_FAMILIES,
} from "./instanceCatalogue";
import { awsTagProblems } from "./tags";
import { gvisorNodeUserData } from "./userdata";

/** How a Kata pool's nodes expose KVM. */
export const KataVirtualization = {
    /** Virtual C8i/M8i/R8i sizes with `cpuOptions.nestedVirtualization: enabled` (x86_64 only). */
    Nested: "nested",
    /** Bare-metal sizes (x86_64 or Graviton). */
    Metal: "metal",
} as const;
export type KataVirtualization = (typeof KataVirtualization)[keyof typeof KataVirtualization];
export const KATA_VIRTUALIZATIONS: readonly KataVirtualization[] = Object.values(KataVirtualization);

/** How the pool's nodes are provisioned by Karpenter. */
export const KarpenterPoolMode = {
    Gvisor: "gvisor-karpenter",
    KataNested: "kata-nested-karpenter",
    KataMetal: "kata-metal-karpenter",
} as const;
export type KarpenterPoolMode = (typeof KarpenterPoolMode)[keyof typeof KarpenterPoolMode];

/** Who makes the nodes' instance profile. */
export const InstanceProfileSource = {
    /** Karpenter, from the EC2NodeClass's `role` (its controller needs iam:PassRole and instance-profile rights). */
    Karpenter: "karpenter",
    /** This component: an IAM instance profile named in the EC2NodeClass's `instanceProfile`. */
    Created: "created",
} as const;
export type InstanceProfileSource = (typeof InstanceProfileSource)[keyof typeof InstanceProfileSource];
export const INSTANCE_PROFILE_SOURCES: readonly InstanceProfileSource[] = Object.values(InstanceProfileSource);

/** `spec.disruption.consolidationPolicy` of a NodePool. */
export const ConsolidationPolicy = {
    /** Only empty nodes go: a running sandbox is never evicted to pack nodes tighter. */
    WhenEmpty: "WhenEmpty",
    WhenEmptyOrUnderutilized: "WhenEmptyOrUnderutilized",
} as const;
export type ConsolidationPolicy = (typeof ConsolidationPolicy)[keyof typeof ConsolidationPolicy];
export const CONSOLIDATION_POLICIES: readonly ConsolidationPolicy[] = Object.values(ConsolidationPolicy);

/** First Karpenter release serving `karpenter.sh/v1` NodePools and `karpenter.k8s.aws/v1` EC2NodeClasses. */
export const KARPENTER_MIN_VERSION = "1.0.0";
/** First release whose EC2NodeClass has `spec.cpuOptions.nestedVirtualization` (absent from 1.12.0's CRD). */
export const KARPENTER_NESTED_VIRTUALIZATION_MIN_VERSION = "1.13.0";
/** The Karpenter major version whose APIs the package writes. */
export const KARPENTER_MAJOR = 1;

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
/** gVisor runs on any type: without a choice, current general-purpose, compute and memory families. */
export const DEFAULT_GVISOR_CATEGORIES: readonly string[] = ["c", "m", "r"];
export const DEFAULT_GVISOR_MIN_GENERATION = 6;
/** Root device of the AL2023 AMI. */
export const AL2023_ROOT_DEVICE = "/dev/xvda";

/** Karpenter's spelling of each capacity type (`karpenter.sh/capacity-type`). */
export const KARPENTER_CAPACITY_TYPE: Readonly<Record<CapacityType, string>> = {
    [CapacityType.OnDemand]: "on-demand",
    [CapacityType.Spot]: "spot",
};

/** Well-known label keys of NodePool requirements. */
export const KarpenterLabel = {
    Arch: "kubernetes.io/arch",
    Os: "kubernetes.io/os",
    InstanceType: "node.kubernetes.io/instance-type",
    CapacityType: "karpenter.sh/capacity-type",
    InstanceFamily: "karpenter.k8s.aws/instance-family",
    InstanceSize: "karpenter.k8s.aws/instance-size",
    InstanceCategory: "karpenter.k8s.aws/instance-category",
    InstanceGeneration: "karpenter.k8s.aws/instance-generation",
} as const;

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
const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)$/;
const AMI_VERSION = /^v\d{8}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** The EC2NodeClass CRD caps tag selectors at 20 entries. */
const MAX_SELECTOR_TAGS = 20;

export interface KarpenterLimits {
    /** Total vCPUs of the pool's nodes (a Kubernetes quantity, e.g. `"64"`). */
    cpu?: string;
    /** Total memory of the pool's nodes (e.g. `"256Gi"`). */
    memory?: string;
}

export interface KarpenterDisruption {
    /** Default `WhenEmpty`: a sandbox pod is never evicted to consolidate. */
    consolidationPolicy?: ConsolidationPolicy;
    /** Duration (`30s`, `5m`, `1h`, `Never`). Default `5m`. */
    consolidateAfter?: string;
    /** Share or number of nodes disrupted at once (`10%`, `1`). Default `10%`. */
    budgetNodes?: string;
}

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
     * At most one of `instanceTypes`, `instanceFamilies`. Kata types must expose KVM.
     */
    instanceTypes?: string[];
    /**
     * Instance families Karpenter may choose from (`karpenter.k8s.aws/instance-family`); Kata
     * metal pools add the bare-metal sizes, nested pools exclude them. Default: from the instance
     * catalogue (Kata nested: C8i/M8i/R8i and flex; Kata metal: every metal family of the
     * architecture); gVisor: categories c, m, r of generation 6 or later.
     */
    instanceFamilies?: string[];
    /** Subnets of the nodes, by ID. Exactly one of `subnetIds`, `subnetSelectorTags` is required. */
    subnetIds?: pulumi.Input<string>[];
    /** Subnets of the nodes, by tags (e.g. `{"karpenter.sh/discovery": "<cluster>"}`). */
    subnetSelectorTags?: Record<string, string>;
    /** Security groups by ID. Default: the cluster security group, looked up from the cluster. */
    securityGroupIds?: pulumi.Input<string>[];
    /** Security groups by tags; at most one of `securityGroupIds`, `securityGroupSelectorTags`. */
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

/** A NodePool requirement (`karpenter.sh/v1` NodeSelectorRequirementWithMinValues). */
/** Operators of a NodePool requirement: Kubernetes' node selector operators. */
export const RequirementOperator = {
    In: "In",
    NotIn: "NotIn",
    Gt: "Gt",
    Lt: "Lt",
    Exists: "Exists",
    DoesNotExist: "DoesNotExist",
} as const;
export type RequirementOperator = (typeof RequirementOperator)[keyof typeof RequirementOperator];

/** One requirement of a NodePool (`spec.template.spec.requirements`): a node label and the values Karpenter may give it. */
export interface NodeRequirement {
    /** The node label (`kubernetes.io/arch`, `karpenter.k8s.aws/instance-family`, ...). */
    key: string;
    operator: RequirementOperator;
    /** The values `In` and `NotIn` take, and the one number of `Gt` and `Lt`. */
    values?: string[];
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

/** A parsed `major.minor.patch`. */
export interface Version {
    major: number;
    minor: number;
    patch: number;
}

export function parseVersion(s: string): Version | undefined {
    const m = SEMVER.exec(s);
    return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

export function versionAtLeast(v: Version, min: string): boolean {
    const m = parseVersion(min)!;
    return v.major !== m.major ? v.major > m.major : v.minor !== m.minor ? v.minor > m.minor : v.patch >= m.patch;
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
    const securityGroups = selectorProblems(p, "securityGroupIds", "securityGroupSelectorTags", args.securityGroupIds, args.securityGroupSelectorTags, false);
    const amiVersion = args.amiVersion ?? DEFAULT_AL2023_AMI_VERSION;
    if (!AMI_VERSION.test(amiVersion)) {
        p.add("amiVersion", `${JSON.stringify(amiVersion)} is not an AL2023 EKS AMI release such as "${DEFAULT_AL2023_AMI_VERSION}" (pin one; never "latest")`);
    }
    for (const [k, v] of Object.entries(args.limits ?? {})) {
        if (typeof v !== "string" || !isQuantity(v)) p.add(`limits.${k}`, `${JSON.stringify(v)} is not a Kubernetes quantity such as "64" or "256Gi"`);
    }
    const disruption = disruptionProblems(p, args.disruption ?? {});
    const expireAfter = args.expireAfter ?? DEFAULT_EXPIRE_AFTER;
    if (!DURATION.test(expireAfter)) p.add("expireAfter", `${JSON.stringify(expireAfter)} is not a duration such as "720h" or "Never"`);
    if (args.weight !== undefined && (!Number.isInteger(args.weight) || args.weight < 1 || args.weight > 100)) {
        p.add("weight", `${args.weight} is not a whole number from 1 to 100`);
    }
    const karpenterTags = new Set<string>();
    for (const key of Object.keys(args.tags ?? {})) {
        const restricted = RESTRICTED_TAGS.find((r) => r.test(key));
        const path = `tags["${key}"]`;
        if (restricted) {
            karpenterTags.add(path);
            p.add(path, `Karpenter refuses this tag on an EC2NodeClass (${restricted.why})`);
        }
    }
    p.addAll(awsTagProblems("tags", args.tags).filter((t) => !karpenterTags.has(t.path)));
    const instanceProfile = args.instanceProfile ?? InstanceProfileSource.Karpenter;
    if (!INSTANCE_PROFILE_SOURCES.includes(instanceProfile)) {
        p.add("instanceProfile", `${JSON.stringify(instanceProfile)} is not one of ${INSTANCE_PROFILE_SOURCES.join(", ")}`);
    }
    if (typeof args.nodeRoleArn === "string" && !ROLE_ARN.test(args.nodeRoleArn)) {
        p.add("nodeRoleArn", `"${args.nodeRoleArn}" is not an IAM role ARN`);
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

function versionProblems(p: Problems, raw: string): Version | undefined {
    if (typeof raw !== "string" || raw === "") {
        p.add("karpenterVersion", "required: the version of the Karpenter controller in the cluster, e.g. \"1.13.1\"");
        return undefined;
    }
    const v = parseVersion(raw);
    if (!v) {
        p.add("karpenterVersion", `${JSON.stringify(raw)} is not a release version such as "1.13.1"`);
        return undefined;
    }
    if (v.major !== KARPENTER_MAJOR) {
        const why = v.major < KARPENTER_MAJOR ? `older than ${KARPENTER_MIN_VERSION}, the first release serving karpenter.sh/v1 and karpenter.k8s.aws/v1` : `Karpenter ${v.major}.x is unknown to this package, which writes karpenter.sh/v1 and karpenter.k8s.aws/v1 objects`;
        p.add("karpenterVersion", `${raw} is ${why}`);
        return undefined;
    }
    return v;
}

/**
 * A Kata pool's KVM source: given, or the architecture's default (instance types given are
 * checked against it later). `ok` is false when the instance selection cannot be judged.
 */
function virtualizationProblems(p: Problems, args: EksSandboxKarpenterPoolArgs, arch: Architecture): { ok: boolean; virtualization?: KataVirtualization } {
    const given = args.kataVirtualization;
    if (args.runtime !== Runtime.Kata) {
        if (given !== undefined) p.add("kataVirtualization", `applies only to runtime "kata", not ${JSON.stringify(args.runtime)}`);
        return { ok: true };
    }
    if (given !== undefined && !KATA_VIRTUALIZATIONS.includes(given)) {
        p.add("kataVirtualization", `${JSON.stringify(given)} is not one of ${KATA_VIRTUALIZATIONS.join(", ")}`);
        return { ok: false };
    }
    if (given === KataVirtualization.Nested && arch === Architecture.Arm64) {
        p.add("kataVirtualization", `nested virtualization needs x86_64 (Intel C8i/M8i/R8i); Kata on arm64 runs on bare-metal Graviton only (kataVirtualization: "metal")`);
        return { ok: false };
    }
    const typesDecide = given === undefined && args.instanceTypes !== undefined ? typesVirtualization(args.instanceTypes) : undefined;
    return { ok: true, virtualization: given ?? typesDecide ?? (arch === Architecture.Arm64 ? KataVirtualization.Metal : KataVirtualization.Nested) };
}

/** What given instance types are, when they are all one kind. */
function typesVirtualization(types: readonly string[]): KataVirtualization | undefined {
    const kinds = new Set(types.map((t) => instanceTypeInfo(t)?.kvm));
    if (kinds.size !== 1) return undefined;
    const [kind] = kinds;
    return kind === KvmAccess.Metal ? KataVirtualization.Metal : kind === KvmAccess.Nested ? KataVirtualization.Nested : undefined;
}

/** Requirements that keep Karpenter to capable types, families and sizes. */
function instanceSelectionProblems(p: Problems, args: EksSandboxKarpenterPoolArgs, arch: Architecture, mode: KarpenterPoolMode): NodeRequirement[] {
    if (args.instanceTypes !== undefined && args.instanceFamilies !== undefined) {
        p.add("instanceFamilies", "only one of instanceTypes, instanceFamilies is allowed");
        return [];
    }
    if (args.instanceTypes !== undefined) {
        const before = p.all.length;
        const nodeGroupMode = eksInstanceProblems(p, args.runtime, arch, args.instanceTypes);
        if (p.all.length === before && args.runtime === Runtime.Kata) {
            const typesAre = nodeGroupMode === EksPoolMode.KataNestedSelfManaged ? KataVirtualization.Nested : KataVirtualization.Metal;
            const wanted = mode === KarpenterPoolMode.KataNested ? KataVirtualization.Nested : KataVirtualization.Metal;
            if (typesAre !== wanted) {
                p.add("kataVirtualization", `is "${wanted}" but instanceTypes are ${typesAre === KataVirtualization.Metal ? "bare-metal" : "nested-virtualization"} types`);
            }
        }
        return [{ key: KarpenterLabel.InstanceType, operator: "In", values: [...args.instanceTypes] }];
    }
    const families = args.instanceFamilies;
    if (families === undefined) {
        switch (mode) {
            case KarpenterPoolMode.Gvisor:
                return [
                    { key: KarpenterLabel.InstanceCategory, operator: "In", values: [...DEFAULT_GVISOR_CATEGORIES] },
                    { key: KarpenterLabel.InstanceGeneration, operator: "Gt", values: [String(DEFAULT_GVISOR_MIN_GENERATION - 1)] },
                ];
            case KarpenterPoolMode.KataNested:
                return familyRequirements([...NESTED_VIRTUALIZATION_FAMILIES], mode);
            case KarpenterPoolMode.KataMetal:
                return familyRequirements(METAL_FAMILIES.filter((f) => instanceFamilyInfo(f)!.architecture === arch), mode);
        }
    }
    if (families.length === 0) p.add("instanceFamilies", "at least one instance family is required");
    for (const dup of duplicates(families)) p.add("instanceFamilies", `"${dup}" is listed more than once`);
    families.forEach((f, i) => {
        const path = `instanceFamilies[${i}]`;
        const info = instanceFamilyInfo(f);
        const noNode = info && noEksNodeReason({ instanceType: f, family: f });
        if (!info) p.add(path, `"${f}" is not an EC2 instance family such as m8i or c7g`);
        else if (noNode) p.add(path, noNode);
        else if (info.architecture !== arch) p.add(path, `${f} is ${info.architecture} but the pool's architecture is ${arch}`);
        else if (mode === KarpenterPoolMode.KataNested && !info.nested) {
            p.add(path, `${f} does not support nested virtualization, which Kata needs here; use ${NESTED_VIRTUALIZATION_FAMILIES.join(", ")}, or kataVirtualization "metal" with a bare-metal family`);
        } else if (mode === KarpenterPoolMode.KataMetal && !info.metal) {
            p.add(path, `${f} has no bare-metal sizes with KVM, which Kata needs; use a metal family such as ${arch === Architecture.Arm64 ? "c7g, m7g" : "m7i, c7i"}`);
        }
    });
    return familyRequirements(families, mode);
}

function familyRequirements(families: string[], mode: KarpenterPoolMode): NodeRequirement[] {
    const reqs: NodeRequirement[] = [{ key: KarpenterLabel.InstanceFamily, operator: "In", values: [...families] }];
    // Nested virtualization is for virtual sizes; a metal size of the same family (c8i.metal-48xl) is the other mode.
    if (mode === KarpenterPoolMode.KataMetal) reqs.push({ key: KarpenterLabel.InstanceSize, operator: "In", values: [...METAL_SIZES] });
    if (mode === KarpenterPoolMode.KataNested) reqs.push({ key: KarpenterLabel.InstanceSize, operator: "NotIn", values: [...METAL_SIZES] });
    return reqs;
}

/** Extra labels in the domains Karpenter reserves (`kubernetes.io/hostname` is the kubelet checks' already). */
function karpenterLabelProblems(p: Problems, args: EksSandboxKarpenterPoolArgs): void {
    for (const key of Object.keys(args.labels ?? {})) {
        const domain = key.includes("/") ? key.slice(0, key.indexOf("/")) : "";
        const reserved = RESTRICTED_LABEL_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`));
        if (reserved) p.add(`labels["${key}"]`, `the label domain ${reserved} is Karpenter's own`);
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
        p.add(tagsKey, `only one of ${idsKey}, ${tagsKey} is allowed`);
        return undefined;
    }
    if (ids !== undefined) {
        if (!Array.isArray(ids) || ids.length === 0) p.add(idsKey, "must name at least one ID");
        return { ids };
    }
    if (tags !== undefined) {
        const entries = Object.entries(tags);
        if (entries.length === 0) p.add(tagsKey, "must hold at least one tag");
        if (entries.length > MAX_SELECTOR_TAGS) p.add(tagsKey, `holds ${entries.length} tags; Karpenter allows at most ${MAX_SELECTOR_TAGS}`);
        for (const [k, v] of entries) {
            if (k === "" || typeof v !== "string" || v === "") p.add(`${tagsKey}["${k}"]`, "tag keys and values must not be empty");
        }
        return { tags };
    }
    if (required) p.add(idsKey, `one of ${idsKey}, ${tagsKey} is required`);
    return undefined;
}

function disruptionProblems(p: Problems, d: KarpenterDisruption): Required<KarpenterDisruption> {
    const out = {
        consolidationPolicy: d.consolidationPolicy ?? DEFAULT_CONSOLIDATION_POLICY,
        consolidateAfter: d.consolidateAfter ?? DEFAULT_CONSOLIDATE_AFTER,
        budgetNodes: d.budgetNodes ?? DEFAULT_DISRUPTION_BUDGET,
    };
    if (!CONSOLIDATION_POLICIES.includes(out.consolidationPolicy)) {
        p.add("disruption.consolidationPolicy", `${JSON.stringify(out.consolidationPolicy)} is not one of ${CONSOLIDATION_POLICIES.join(", ")}`);
    }
    if (!DURATION.test(out.consolidateAfter)) p.add("disruption.consolidateAfter", `${JSON.stringify(out.consolidateAfter)} is not a duration such as "5m" or "Never"`);
    if (!BUDGET_NODES.test(out.budgetNodes)) p.add("disruption.budgetNodes", `${JSON.stringify(out.budgetNodes)} is not a node count or percentage such as "1" or "10%"`);
    return out;
}

/** What the EC2NodeClass names that only exists once the cloud made it. */
export interface NodeClassIdentity {
    /** IAM role name (Karpenter makes the instance profile), or... */
    role?: string;
    /** ...the instance profile this component made. */
    instanceProfile?: string;
    subnetIds?: string[];
    securityGroupIds?: string[];
}

/** `spec` of the pool's EC2NodeClass (`karpenter.k8s.aws/v1`). */
export function renderEc2NodeClassSpec(plan: KarpenterPoolPlan, id: NodeClassIdentity): Record<string, unknown> {
    const terms = (sel: KarpenterPoolPlan["subnets"] | undefined, ids: string[] | undefined) =>
        sel && "tags" in sel ? [{ tags: { ...sel.tags } }] : (ids ?? []).map((i) => ({ id: i }));
    const spec: Record<string, unknown> = {
        ...(id.instanceProfile !== undefined ? { instanceProfile: id.instanceProfile } : { role: id.role }),
        amiSelectorTerms: [{ alias: plan.amiAlias }],
        subnetSelectorTerms: terms(plan.subnets, id.subnetIds),
        securityGroupSelectorTerms: terms(plan.securityGroups, id.securityGroupIds),
        // IMDSv2 only, one hop: a pod's packets take a second hop and never reach the node's credentials.
        metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
        blockDeviceMappings: [
            {
                deviceName: AL2023_ROOT_DEVICE,
                rootVolume: true,
                ebs: { volumeSize: `${plan.diskSizeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true },
            },
        ],
    };
    if (plan.nestedVirtualization) spec.cpuOptions = { nestedVirtualization: "enabled" };
    if (plan.userData !== undefined) spec.userData = plan.userData;
    if (Object.keys(plan.tags).length > 0) spec.tags = { ...plan.tags };
    return spec;
}

/** `spec` of the pool's NodePool (`karpenter.sh/v1`), its template naming `nodeClassName`. */
export function renderNodePoolSpec(plan: KarpenterPoolPlan, nodeClassName: string): Record<string, unknown> {
    // The CRD's taint value pattern refuses "": a taint without value leaves the field out.
    const taint = (t: Taint) => (t.value === "" ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect });
    const limits: Record<string, string> = { cpu: plan.limits.cpu };
    if (plan.limits.memory !== undefined) limits.memory = plan.limits.memory;
    const templateSpec: Record<string, unknown> = {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: nodeClassName },
        requirements: plan.requirements.map((r) => ({ ...r, ...(r.values ? { values: [...r.values] } : {}) })),
        taints: plan.permanentTaints.map(taint),
        expireAfter: plan.expireAfter,
    };
    // Karpenter counts a node as initialized only once every startup taint is gone, and never
    // disrupts (consolidates, drifts) an uninitialized node: a Kata node stays until kata-deploy
    // has installed Kata and removed the taint.
    if (plan.startupTaints.length > 0) templateSpec.startupTaints = plan.startupTaints.map(taint);
    const spec: Record<string, unknown> = {
        template: { metadata: { labels: { ...plan.labels } }, spec: templateSpec },
        disruption: {
            consolidationPolicy: plan.disruption.consolidationPolicy,
            consolidateAfter: plan.disruption.consolidateAfter,
            budgets: [{ nodes: plan.disruption.budgetNodes }],
        },
        limits,
    };
    if (plan.weight !== undefined) spec.weight = plan.weight;
    return spec;
}
