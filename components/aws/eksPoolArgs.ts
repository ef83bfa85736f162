// The arguments every EKS sandbox pool shares (EksSandboxNodePool and EksSandboxKarpenterPool),
// their defaults and checks, and the stamp they lead to. Pure: no Pulumi resources. Each pool's
// own args, and how its kind of provisioning spells the same decisions, are in its args file.
import { Cloud, nodeStamp, NodeStamp, Runtime, RUNTIMES, Taint, TAINT_EFFECTS } from "../isolation";
import { reservedKeyProblems } from "../kubelet";
import { duplicates, isLabelKey, isLabelValue, labelProblems, Problems, ProblemCode } from "../validation";
import { keyPrefixProblems, nodeLabelKeyProblems } from "../kubelet";
import { Architecture, ARCHITECTURES, InstanceTypeInfo, instanceTypeInfo, KVM_EXAMPLES, KvmAccess, noEksNodeReason } from "./instanceCatalogue";
import { gvisorInstallProblems, GvisorInstallOptions, GvisorPlatform } from "./gvisorBootstrap";

/** How the pool's nodes are provisioned; chosen from the runtime and the instance types. */
export const EksPoolMode = {
    /** gVisor: managed node group, AL2023 launch template whose user data installs runsc. */
    GvisorManaged: "gvisor-managed",
    /** Kata on bare metal: managed node group with a launch template. */
    KataMetalManaged: "kata-metal-managed",
    /**
     * Kata on nested virtualization: self-managed Auto Scaling group, because managed node
     * groups drop the launch template's `cpuOptions` (aws/containers-roadmap#2784).
     */
    KataNestedSelfManaged: "kata-nested-self-managed",
} as const;
/** One of the values of `EksPoolMode`. */
export type EksPoolMode = (typeof EksPoolMode)[keyof typeof EksPoolMode];

/** EC2 purchase option of the pool's instances (the EKS API's spelling). */
export const CapacityType = {
    OnDemand: "ON_DEMAND",
    Spot: "SPOT",
} as const;
/** One of the values of `CapacityType`. */
export type CapacityType = (typeof CapacityType)[keyof typeof CapacityType];
export const CAPACITY_TYPES: readonly CapacityType[] = Object.values(CapacityType);

export const DEFAULT_ARCHITECTURE: Architecture = Architecture.X86_64;
export const DEFAULT_DISK_SIZE_GIB = 50;
/** AL2023 needs 20 GiB for its own root file system. */
export const MIN_DISK_SIZE_GIB = 20;
export const DEFAULT_CAPACITY_TYPE: CapacityType = CapacityType.OnDemand;

/**
 * The pool arguments every EKS sandbox pool shares (node groups and Karpenter alike). An
 * interface of its own rather than a `Pick`, so that Pulumi's schema inference (other
 * languages) sees each property's declaration.
 */
export interface EksPoolCommonArgs {
    /** Sandbox runtime of the pool: `gvisor` or `kata`. Required. */
    runtime: Runtime;
    /** CPU architecture: `x86_64` or `arm64` (Kata arm64 only on metal). Default: `x86_64`. */
    architecture?: Architecture;
    /** Root volume size in GiB (gp3, always encrypted). Default: 50. */
    diskSizeGiB?: number;
    /** `ON_DEMAND` or `SPOT`. Default: `ON_DEMAND`. */
    capacityType?: CapacityType;
    /** Extra node labels, beside the sandbox stamp. Keys under the stamp prefix are refused. Default: none. */
    labels?: Record<string, string>;
    /** Extra node taints, beside the sandbox stamp. Keys under the stamp prefix are refused. Default: none. */
    taints?: Taint[];
    /** AWS tags for every resource the pool creates and its instances. Default: none. */
    tags?: Record<string, string>;
    /** Prefix of the stamp's label and taint keys. Default: `sandbox-clusters.io`. */
    keyPrefix?: string;
    /**
     * gVisor installation (runtime `gvisor` only): dated release (never `latest`), https
     * mirror base URL for private or air-gapped mirrors, pinned sha512 digests, runsc flags
     * (platform etc.). Default: the package's pinned release from gVisor's bucket, platform systrap.
     */
    gvisor?: GvisorInstallOptions;
}

/** Checks `runtime` and `architecture`; returns the architecture with its default applied. */
export function runtimeArchitectureProblems(p: Problems, args: EksPoolCommonArgs): Architecture {
    if (!RUNTIMES.includes(args.runtime)) {
        p.add(ProblemCode.NotOneOf, "runtime", `${JSON.stringify(args.runtime)} is not one of ${RUNTIMES.join(", ")}`);
    }
    const architecture = args.architecture ?? DEFAULT_ARCHITECTURE;
    if (!ARCHITECTURES.includes(architecture)) {
        p.add(ProblemCode.NotOneOf, "architecture", `${JSON.stringify(architecture)} is not one of ${ARCHITECTURES.join(", ")}`);
    }
    return architecture;
}

/** Checks `capacityType`; returns it with its default applied. */
export function capacityTypeProblems(p: Problems, args: EksPoolCommonArgs): CapacityType {
    const capacityType = args.capacityType ?? DEFAULT_CAPACITY_TYPE;
    if (!CAPACITY_TYPES.includes(capacityType)) {
        p.add(ProblemCode.NotOneOf, "capacityType", `${JSON.stringify(capacityType)} is not one of ${CAPACITY_TYPES.join(", ")}`);
    }
    return capacityType;
}

/** Checks `diskSizeGiB`; returns it with its default applied. */
export function diskSizeProblems(p: Problems, args: EksPoolCommonArgs): number {
    const diskSizeGiB = args.diskSizeGiB ?? DEFAULT_DISK_SIZE_GIB;
    if (!Number.isInteger(diskSizeGiB) || diskSizeGiB < MIN_DISK_SIZE_GIB) {
        p.add(ProblemCode.OutOfRange, "diskSizeGiB", `${diskSizeGiB} is not a whole number of GiB of at least ${MIN_DISK_SIZE_GIB}`);
    }
    return diskSizeGiB;
}

/**
 * Checks `keyPrefix` and extra `labels` and `taints`: Kubernetes syntax, what the kubelet
 * refuses, and no key that forges or breaks the stamp.
 */
export function stampExtraProblems(p: Problems, args: EksPoolCommonArgs): void {
    const prefix = args.keyPrefix;
    if (prefix !== undefined) p.addAll(keyPrefixProblems("keyPrefix", prefix));
    p.addAll(labelProblems("labels", args.labels));
    p.addAll(nodeLabelKeyProblems((k) => `labels["${k}"]`, Object.keys(args.labels ?? {})));
    p.addAll(reservedKeyProblems("labels", Object.keys(args.labels ?? {}), prefix));
    (args.taints ?? []).forEach((t, i) => {
        const path = `taints[${i}]`;
        if (!isLabelKey(t.key)) p.add(ProblemCode.Malformed, `${path}.key`, `"${t.key}" is not a valid taint key`);
        if (!isLabelValue(t.value ?? "")) p.add(ProblemCode.Malformed, `${path}.value`, `${JSON.stringify(t.value)} is not a valid taint value`);
        if (!TAINT_EFFECTS.includes(t.effect)) {
            p.add(ProblemCode.NotOneOf, `${path}.effect`, `${JSON.stringify(t.effect)} is not one of ${TAINT_EFFECTS.join(", ")}`);
        }
        p.addAll(reservedKeyProblems(`${path}.key`, [t.key], prefix));
    });
}

/**
 * Checks `gvisor` (only for runtime gvisor, valid install options) and that runsc's `kvm`
 * platform only meets bare-metal `instanceTypes` (undefined: the types are not known up front,
 * so kvm cannot be promised); `metalOnly` says why in the pool's terms.
 */
export function gvisorOptionProblems(
    p: Problems,
    args: EksPoolCommonArgs,
    instanceTypes: readonly string[] | undefined,
    metalOnly: string,
): void {
    if (args.gvisor !== undefined && args.runtime !== Runtime.Gvisor) {
        p.add(ProblemCode.Conflict, "gvisor", `gVisor options apply only to runtime "gvisor", not ${JSON.stringify(args.runtime)}`);
    } else if (args.runtime === Runtime.Gvisor) {
        p.addAll(gvisorInstallProblems("gvisor", args.gvisor ?? {}));
        if (args.gvisor?.runscFlags?.platform === GvisorPlatform.Kvm) {
            const noKvm = (instanceTypes ?? []).filter((t) => instanceTypeInfo(t) && instanceTypeInfo(t)!.kvm !== KvmAccess.Metal);
            if (noKvm.length > 0 || instanceTypes === undefined) {
                const not = noKvm.length > 0 ? ` (not on ${noKvm.join(", ")})` : "";
                p.add(
                    ProblemCode.Unsupported,
                    'gvisor.runscFlags["platform"]',
                    `platform kvm needs /dev/kvm, which ${metalOnly}${not}; use bare-metal types or platform systrap`,
                );
            }
        }
    }
}

/** What a pool's nodes carry and its resources are tagged with, defaults applied. */
export interface EksPoolStamp {
    /** The contract's stamp for this runtime on AWS. */
    stamp: NodeStamp;
    /** Every label the nodes register with: stamp plus extra. */
    labels: Record<string, string>;
    /** Every taint the nodes register with: stamp (startup taints included) plus extra. */
    taints: Taint[];
    tags: Record<string, string>;
}

/** The stamp, labels, taints and tags of a valid pool (call after its problems were checked). */
export function stampOf(args: EksPoolCommonArgs): EksPoolStamp {
    const stamp = nodeStamp(args.runtime, Cloud.Aws, args.keyPrefix);
    return {
        stamp,
        labels: { ...stamp.labels, ...(args.labels ?? {}) },
        taints: [...stamp.taints, ...(args.taints ?? []).map((t) => ({ ...t, value: t.value ?? "" }))],
        tags: { ...(args.tags ?? {}) },
    };
}

/** Checks the instance types against the runtime and architecture; returns the node group mode. */
export function eksInstanceProblems(p: Problems, runtime: Runtime, arch: Architecture, types: readonly string[]): EksPoolMode {
    if (types.length === 0) p.add(ProblemCode.Required, "instanceTypes", "at least one instance type is required");
    for (const dup of duplicates(types)) p.add(ProblemCode.Duplicate, "instanceTypes", `"${dup}" is listed more than once`);
    const infos: InstanceTypeInfo[] = [];
    types.forEach((t, i) => {
        const path = `instanceTypes[${i}]`;
        const info = instanceTypeInfo(t);
        if (!info) {
            p.add(ProblemCode.Malformed, path, `"${t}" is not an EC2 instance type (<family>.<size>)`);
            return;
        }
        const noNode = noEksNodeReason(info);
        if (noNode) {
            p.add(ProblemCode.Unsupported, path, noNode);
            return;
        }
        infos.push(info);
        if (info.architecture !== arch) {
            p.add(ProblemCode.Conflict, path, `${t} is ${info.architecture} but the pool's architecture is ${arch}`);
        } else if (runtime === Runtime.Kata && info.kvm === KvmAccess.None) {
            p.add(ProblemCode.Unsupported, path, `${t} does not expose KVM, which Kata needs; use ${KVM_EXAMPLES[arch]}`);
        }
    });
    if (runtime === Runtime.Gvisor) return EksPoolMode.GvisorManaged;
    const metal = infos.filter((i) => i.kvm === KvmAccess.Metal).map((i) => i.instanceType);
    const nested = infos.filter((i) => i.kvm === KvmAccess.Nested).map((i) => i.instanceType);
    if (metal.length > 0 && nested.length > 0) {
        p.add(
            ProblemCode.Conflict,
            "instanceTypes",
            `mixes bare-metal (${metal.join(", ")}) and nested-virtualization (${nested.join(", ")}) types; ` +
                "a Kata pool is one or the other (managed node group vs self-managed Auto Scaling group)",
        );
    }
    return nested.length > 0 ? EksPoolMode.KataNestedSelfManaged : EksPoolMode.KataMetalManaged;
}
