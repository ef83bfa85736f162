// Which EC2 instance types can run Kata Containers (they must expose KVM to the node) and
// which CPU architecture each type has. Pure data and functions, no Pulumi resources.
//
// Sources (checked November 2026):
// - Bare metal: the EC2 instance-type pages list `.metal` (and `.metal-24xl`/`.metal-48xl`)
//   sizes for the families below; bare-metal instances give the OS direct access to the
//   processor's virtualization extensions, so `/dev/kvm` exists.
// - Nested virtualization on virtual instances (EC2, February 2026): C8i, M8i, R8i and their
//   flex variants, enabled per launch template with `cpuOptions.nestedVirtualization`.
// - Architecture: AWS Graviton (arm64) families carry a `g` after the generation digit
//   (`c7g`, `m6gd`, `c6gn`, `x2gd`), plus the first-generation `a1`.
// - EC2 Mac instances (`mac1` Intel x86_64; `mac2`, `mac2-m2`, `mac2-m2pro`, `mac2-m1ultra`,
//   `mac-m4`, `mac-m4pro` Apple silicon arm64) are bare-metal Mac minis/studios on Dedicated
//   Hosts that boot macOS AMIs only: no Amazon Linux, so no EKS node, managed or not.
// - Confidential hosts: EC2's CPU options (CpuOptionsRequest, 2026) offer AMD SEV-SNP only to
//   M6a, C6a and R6a instances as confidential *guests* and have no Intel TDX option; no size,
//   bare metal or nested, is documented to host SEV-SNP or TDX guests of its own, which is what
//   Kata's qemu-snp and qemu-tdx shims need (the host's firmware and kernel must enable them).
// Extend the lists when AWS adds families; a type missing here is treated as having no KVM.

import { ConfidentialHost, NodeArchitecture } from "../kataShims";

/** CPU architectures of EKS AL2023 nodes (the AMI's own spelling). */
export const Architecture = {
    X86_64: "x86_64",
    Arm64: "arm64",
} as const;
/** One of the values of `Architecture`. */
export type Architecture = (typeof Architecture)[keyof typeof Architecture];
export const ARCHITECTURES: readonly Architecture[] = Object.values(Architecture);

/** How an instance type exposes hardware virtualization to the node. */
export const KvmAccess = {
    /** Bare metal: KVM is there, works with managed node groups. */
    Metal: "metal",
    /** Nested virtualization: KVM only when the launch template enables it. */
    Nested: "nested",
    /** No KVM: Kata cannot run. */
    None: "none",
} as const;
/** One of the values of `KvmAccess`. */
export type KvmAccess = (typeof KvmAccess)[keyof typeof KvmAccess];

/** Families with bare-metal sizes (`<family>.metal*`). */
export const METAL_FAMILIES: readonly string[] = [
    // x86_64, Intel
    "c5", "c5d", "c5n", "c6i", "c6id", "c6in", "c7i", "c8i",
    "m5", "m5d", "m5dn", "m5n", "m5zn", "m6i", "m6id", "m6idn", "m6in", "m7i", "m8i",
    "r5", "r5b", "r5d", "r5dn", "r5n", "r6i", "r6id", "r6idn", "r6in", "r7i", "r7iz", "r8i",
    "i3", "i3en", "i4i", "i7ie", "x2idn", "x2iedn", "x2iezn", "z1d", "g4dn",
    // x86_64, AMD
    "c6a", "c7a", "m6a", "m7a", "r6a", "r7a",
    // arm64, Graviton
    "a1", "c6g", "c6gd", "c6gn", "c7g", "c7gd", "c8g", "m6g", "m6gd", "m7g", "m7gd", "m8g",
    "r6g", "r6gd", "r7g", "r7gd", "r8g", "x2gd",
];

/** Families whose virtual sizes support nested virtualization (Intel, x86_64 only). */
export const NESTED_VIRTUALIZATION_FAMILIES: readonly string[] = [
    "c8i", "c8i-flex", "m8i", "m8i-flex", "r8i", "r8i-flex",
];

/**
 * Families whose instances can host confidential VMs of each kind (Kata's qemu-snp and
 * qemu-tdx nodes). None is documented today; add one with its source when AWS does.
 */
export const CONFIDENTIAL_HOST_FAMILIES: Readonly<Record<ConfidentialHost, readonly string[]>> = {
    [ConfidentialHost.AmdSevSnp]: [],
    [ConfidentialHost.IntelTdx]: [],
};
export const EC2_NO_CONFIDENTIAL_HOST =
    "EC2 offers AMD SEV-SNP only to M6a, C6a and R6a instances as confidential guests, offers no Intel TDX, and documents neither as a host mode on bare metal or under nested virtualization";

/** The confidential hosts an instance type can be. */
export function confidentialHosts(info: Pick<InstanceTypeInfo, "family">): ConfidentialHost[] {
    return (Object.keys(CONFIDENTIAL_HOST_FAMILIES) as ConfidentialHost[]).filter((h) => CONFIDENTIAL_HOST_FAMILIES[h].includes(info.family));
}

/** Kubernetes' spelling of an AL2023 architecture. */
export const NODE_ARCHITECTURE: Readonly<Record<Architecture, NodeArchitecture>> = {
    x86_64: NodeArchitecture.Amd64,
    arm64: NodeArchitecture.Arm64,
};

/**
 * Bare-metal size names (`<family>.<size>`) of the families above, as EC2 spells them and
 * Karpenter's `karpenter.k8s.aws/instance-size` label carries them.
 */
export const METAL_SIZES: readonly string[] = ["metal", "metal-16xl", "metal-24xl", "metal-32xl", "metal-48xl", "metal-96xl"];

/** Suggestions named in error messages, per architecture. */
export const KVM_EXAMPLES: Readonly<Record<Architecture, string>> = {
    [Architecture.X86_64]:
        "a nested-virtualization type (c8i, m8i, r8i or their -flex variants, e.g. m8i.large) or a bare-metal size (e.g. m7i.metal-24xl)",
    [Architecture.Arm64]: "a bare-metal Graviton size (e.g. c7g.metal, m7g.metal)",
};

/** Why no EKS node (AL2023) can run on a family at all, by family prefix; checked before anything else. */
export function noEksNodeReason(info: Pick<InstanceTypeInfo, "instanceType" | "family">): string | undefined {
    if (isMacFamily(info.family)) {
        return `${info.instanceType} is an EC2 Mac instance (macOS on a Dedicated Host), which cannot boot the Amazon Linux 2023 image EKS nodes run`;
    }
    return undefined;
}

function isMacFamily(family: string): boolean {
    return /^mac(\d|-)/.test(family);
}

export interface InstanceTypeInfo {
    /** The type as given, e.g. `m8i.large`. */
    instanceType: string;
    /** Family, e.g. `m8i` or `m8i-flex`. */
    family: string;
    /** Size, e.g. `large` or `metal-24xl`. */
    size: string;
    architecture: Architecture;
    kvm: KvmAccess;
}

const INSTANCE_TYPE = /^([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/;

/** Facts about one instance type, or `undefined` when it is not spelled `<family>.<size>`. */
export function instanceTypeInfo(instanceType: string): InstanceTypeInfo | undefined {
    const m = INSTANCE_TYPE.exec(instanceType);
    if (!m) return undefined;
    const [, family, size] = m;
    const isMetalSize = size === "metal" || size.startsWith("metal-");
    const kvm: KvmAccess =
        isMetalSize && METAL_FAMILIES.includes(family)
            ? KvmAccess.Metal
            : !isMetalSize && NESTED_VIRTUALIZATION_FAMILIES.includes(family)
              ? KvmAccess.Nested
              : KvmAccess.None;
    return { instanceType, family, size, architecture: familyArchitecture(family), kvm };
}

export interface InstanceFamilyInfo {
    family: string;
    architecture: Architecture;
    /** Has bare-metal sizes (`METAL_SIZES`) that expose KVM. */
    metal: boolean;
    /** Its virtual sizes support nested virtualization. */
    nested: boolean;
}

const FAMILY = /^(?=[a-z0-9-]*\d)[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Facts about one instance family (`m8i`, `c7g`, `m8i-flex`), or `undefined` when it is not spelled like one. */
export function instanceFamilyInfo(family: string): InstanceFamilyInfo | undefined {
    if (!FAMILY.test(family)) return undefined;
    return {
        family,
        architecture: familyArchitecture(family),
        metal: METAL_FAMILIES.includes(family),
        nested: NESTED_VIRTUALIZATION_FAMILIES.includes(family),
    };
}

/** Graviton families (`a1`, or a `g` among the letters after the generation digit) and Apple-silicon Macs. */
function familyArchitecture(family: string): Architecture {
    // Every Mac family but the Intel mac1 is Apple silicon.
    if (isMacFamily(family)) return family === "mac1" ? Architecture.X86_64 : Architecture.Arm64;
    const base = family.split("-")[0];
    if (base === "a1") return Architecture.Arm64;
    const m = /^[a-z]+\d+([a-z]*)$/.exec(base);
    return m && m[1].includes("g") ? Architecture.Arm64 : Architecture.X86_64;
}
