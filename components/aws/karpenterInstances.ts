// Which EC2 instances a Karpenter sandbox pool may launch: the pool modes (gVisor, Kata on
// nested virtualization or on bare metal), the NodePool requirements that keep Karpenter to
// capable types, families and sizes, and the checks of the instance arguments that decide
// them. Pure: no Pulumi, no I/O.
import { Runtime } from "../isolation";
import { duplicates, Problems, ProblemCode } from "../validation";
import { CapacityType, eksInstanceProblems, EksPoolMode } from "./eksPoolArgs";
import {
    Architecture,
    instanceFamilyInfo,
    instanceTypeInfo,
    KvmAccess,
    METAL_FAMILIES,
    METAL_SIZES,
    NESTED_VIRTUALIZATION_FAMILIES,
    noEksNodeReason,
} from "./instanceCatalogue";

/** The args of EksSandboxKarpenterPool that choose its instances. */
export interface KarpenterInstanceArgs {
    runtime: Runtime;
    kataVirtualization?: KataVirtualization;
    instanceTypes?: string[];
    instanceFamilies?: string[];
}

/** How a Kata pool's nodes expose KVM. */
export const KataVirtualization = {
    /** Virtual C8i/M8i/R8i sizes with `cpuOptions.nestedVirtualization: enabled` (x86_64 only). */
    Nested: "nested",
    /** Bare-metal sizes (x86_64 or Graviton). */
    Metal: "metal",
} as const;
/** One of the values of `KataVirtualization`. */
export type KataVirtualization = (typeof KataVirtualization)[keyof typeof KataVirtualization];
export const KATA_VIRTUALIZATIONS: readonly KataVirtualization[] = Object.values(KataVirtualization);

/** How the pool's nodes are provisioned by Karpenter. */
export const KarpenterPoolMode = {
    Gvisor: "gvisor-karpenter",
    KataNested: "kata-nested-karpenter",
    KataMetal: "kata-metal-karpenter",
} as const;
/** One of the values of `KarpenterPoolMode`. */
export type KarpenterPoolMode = (typeof KarpenterPoolMode)[keyof typeof KarpenterPoolMode];

/** gVisor runs on any type: without a choice, current general-purpose, compute and memory families. */
export const DEFAULT_GVISOR_CATEGORIES: readonly string[] = ["c", "m", "r"];
export const DEFAULT_GVISOR_MIN_GENERATION = 6;

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

/** Operators of a NodePool requirement: Kubernetes' node selector operators. */
export const RequirementOperator = {
    In: "In",
    NotIn: "NotIn",
    Gt: "Gt",
    Lt: "Lt",
    Exists: "Exists",
    DoesNotExist: "DoesNotExist",
} as const;
/** One of the values of `RequirementOperator`. */
export type RequirementOperator = (typeof RequirementOperator)[keyof typeof RequirementOperator];

/** One requirement of a NodePool (`karpenter.sh/v1` NodeSelectorRequirementWithMinValues) (`spec.template.spec.requirements`): a node label and the values Karpenter may give it. */
export interface NodeRequirement {
    /** The node label (`kubernetes.io/arch`, `karpenter.k8s.aws/instance-family`, ...). */
    key: string;
    /** How the label's values are matched. */
    operator: RequirementOperator;
    /** The values `In` and `NotIn` take, and the one number of `Gt` and `Lt`. */
    values?: string[];
}

/**
 * A Kata pool's KVM source: given, or the architecture's default (instance types given are
 * checked against it later). `ok` is false when the instance selection cannot be judged.
 */
export function virtualizationProblems(p: Problems, args: KarpenterInstanceArgs, arch: Architecture): { ok: boolean; virtualization?: KataVirtualization } {
    const given = args.kataVirtualization;
    if (args.runtime !== Runtime.Kata) {
        if (given !== undefined) p.add(ProblemCode.Conflict, "kataVirtualization", `applies only to runtime "kata", not ${JSON.stringify(args.runtime)}`);
        return { ok: true };
    }
    if (given !== undefined && !KATA_VIRTUALIZATIONS.includes(given)) {
        p.add(ProblemCode.NotOneOf, "kataVirtualization", `${JSON.stringify(given)} is not one of ${KATA_VIRTUALIZATIONS.join(", ")}`);
        return { ok: false };
    }
    if (given === KataVirtualization.Nested && arch === Architecture.Arm64) {
        p.add(ProblemCode.Conflict, "kataVirtualization", `nested virtualization needs x86_64 (Intel C8i/M8i/R8i); Kata on arm64 runs on bare-metal Graviton only (kataVirtualization: "metal")`);
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
export function instanceSelectionProblems(p: Problems, args: KarpenterInstanceArgs, arch: Architecture, mode: KarpenterPoolMode): NodeRequirement[] {
    if (args.instanceTypes !== undefined && args.instanceFamilies !== undefined) {
        p.add(ProblemCode.Conflict, "instanceFamilies", "only one of instanceTypes, instanceFamilies is allowed");
        return [];
    }
    if (args.instanceTypes !== undefined) {
        const before = p.all.length;
        const nodeGroupMode = eksInstanceProblems(p, args.runtime, arch, args.instanceTypes);
        if (p.all.length === before && args.runtime === Runtime.Kata) {
            const typesAre = nodeGroupMode === EksPoolMode.KataNestedSelfManaged ? KataVirtualization.Nested : KataVirtualization.Metal;
            const wanted = mode === KarpenterPoolMode.KataNested ? KataVirtualization.Nested : KataVirtualization.Metal;
            if (typesAre !== wanted) {
                p.add(ProblemCode.Conflict, "kataVirtualization", `is "${wanted}" but instanceTypes are ${typesAre === KataVirtualization.Metal ? "bare-metal" : "nested-virtualization"} types`);
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
    if (families.length === 0) p.add(ProblemCode.Required, "instanceFamilies", "at least one instance family is required");
    for (const dup of duplicates(families)) p.add(ProblemCode.Duplicate, "instanceFamilies", `"${dup}" is listed more than once`);
    families.forEach((f, i) => {
        const path = `instanceFamilies[${i}]`;
        const info = instanceFamilyInfo(f);
        const noNode = info && noEksNodeReason({ instanceType: f, family: f });
        if (!info) p.add(ProblemCode.Malformed, path, `"${f}" is not an EC2 instance family such as m8i or c7g`);
        else if (noNode) p.add(ProblemCode.Unsupported, path, noNode);
        else if (info.architecture !== arch) p.add(ProblemCode.Conflict, path, `${f} is ${info.architecture} but the pool's architecture is ${arch}`);
        else if (mode === KarpenterPoolMode.KataNested && !info.nested) {
            p.add(ProblemCode.Unsupported, path, `${f} does not support nested virtualization, which Kata needs here; use ${NESTED_VIRTUALIZATION_FAMILIES.join(", ")}, or kataVirtualization "metal" with a bare-metal family`);
        } else if (mode === KarpenterPoolMode.KataMetal && !info.metal) {
            p.add(ProblemCode.Unsupported, path, `${f} has no bare-metal sizes with KVM, which Kata needs; use a metal family such as ${arch === Architecture.Arm64 ? "c7g, m7g" : "m7i, c7i"}`);
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
