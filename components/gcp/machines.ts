// Compute Engine machine series facts the GKE sandbox pools depend on. Pure data and
// functions, no Pulumi resources.
//
// Sources (checked November 2026):
// - Compute Engine "About nested virtualization" (cloud.google.com/compute/docs/instances/
//   nested-virtualization/overview), restrictions on L1 VMs: Intel Haswell or later only;
//   no E2 or N2D; no VMs powered by AMD or Arm processors; none of the Intel memory-optimized
//   series.
// - Compute Engine machine series pages: which series take only Hyperdisk boot disks (the
//   Titanium-based N4, C4, C4A, C4D, N4D, M4, X4) and which CPU vendor powers each series.
// - N1 can still land on pre-Haswell hosts in some zones, so Kata pools on N1 pin
//   `minCpuPlatform` to Intel Haswell.
// - Shared-core machine types (Compute Engine "Shared-core VMs"): e2-micro, e2-small and
//   e2-medium (E2), f1-micro and g1-small (N1 shared-core, series F1 and G1). GKE Sandbox does
//   not run on shared-core machine types, and GKE refuses f1-micro node pools altogether
//   ("Node pools of f1-micro machines are not supported due to insufficient memory").
// - Confidential hosts: Compute Engine offers AMD SEV-SNP and Intel TDX only as Confidential
//   VMs (`confidentialInstanceConfig`), that is to guests; nested virtualization passes neither
//   on, so no node can host the SEV-SNP or TDX VMs of Kata's qemu-snp and qemu-tdx shims.
// A series missing here is not assumed to support nested virtualization: add it with its
// source rather than guessing.

import { ConfidentialHost } from "../kataShims";

/** CPU vendor behind a machine series. */
export const GceCpuVendor = {
    Intel: "intel",
    Amd: "amd",
    Arm: "arm",
    /** E2 runs on whichever Intel or AMD host is free. */
    Mixed: "intel-or-amd",
} as const;
/** One of the values of `GceCpuVendor`. */
export type GceCpuVendor = (typeof GceCpuVendor)[keyof typeof GceCpuVendor];

export interface GceMachineSeries {
    vendor: GceCpuVendor;
    /** Whether VMs of the series can enable nested virtualization (and so run Kata). */
    nestedVirtualization: boolean;
    /** Why not, in words a user can act on; set when `nestedVirtualization` is false. */
    reason?: string;
    /** False for series whose boot disk must be Hyperdisk (no `pd-*` disk types). */
    persistentDisk: boolean;
    /** `minCpuPlatform` a Kata pool must pin so that nested virtualization is available. */
    kataMinCpuPlatform?: string;
}

const AMD = "runs on AMD processors, which Compute Engine does not offer nested virtualization on";
const ARM = "runs on Arm processors, which Compute Engine does not offer nested virtualization on";
const MEMORY = "is a memory-optimized series, which Compute Engine does not offer nested virtualization on";
const SHARED_CORE = "is a shared-core series, which Compute Engine does not offer nested virtualization on";

/** Machine series by the prefix of their machine type names (`n2` for `n2-standard-4`). */
export const GCE_MACHINE_SERIES: Readonly<Record<string, GceMachineSeries>> = {
    n1: { vendor: GceCpuVendor.Intel, nestedVirtualization: true, persistentDisk: true, kataMinCpuPlatform: "Intel Haswell" },
    n2: { vendor: GceCpuVendor.Intel, nestedVirtualization: true, persistentDisk: true },
    n4: { vendor: GceCpuVendor.Intel, nestedVirtualization: true, persistentDisk: false },
    c2: { vendor: GceCpuVendor.Intel, nestedVirtualization: true, persistentDisk: true },
    c3: { vendor: GceCpuVendor.Intel, nestedVirtualization: true, persistentDisk: true },
    c4: { vendor: GceCpuVendor.Intel, nestedVirtualization: true, persistentDisk: false },
    f1: { vendor: GceCpuVendor.Intel, nestedVirtualization: false, persistentDisk: true, reason: SHARED_CORE },
    g1: { vendor: GceCpuVendor.Intel, nestedVirtualization: false, persistentDisk: true, reason: SHARED_CORE },
    e2: { vendor: GceCpuVendor.Mixed, nestedVirtualization: false, persistentDisk: true, reason: "does not support nested virtualization" },
    n2d: { vendor: GceCpuVendor.Amd, nestedVirtualization: false, persistentDisk: true, reason: AMD },
    n4d: { vendor: GceCpuVendor.Amd, nestedVirtualization: false, persistentDisk: false, reason: AMD },
    c2d: { vendor: GceCpuVendor.Amd, nestedVirtualization: false, persistentDisk: true, reason: AMD },
    c3d: { vendor: GceCpuVendor.Amd, nestedVirtualization: false, persistentDisk: true, reason: AMD },
    c4d: { vendor: GceCpuVendor.Amd, nestedVirtualization: false, persistentDisk: false, reason: AMD },
    t2d: { vendor: GceCpuVendor.Amd, nestedVirtualization: false, persistentDisk: true, reason: AMD },
    t2a: { vendor: GceCpuVendor.Arm, nestedVirtualization: false, persistentDisk: true, reason: ARM },
    c4a: { vendor: GceCpuVendor.Arm, nestedVirtualization: false, persistentDisk: false, reason: ARM },
    m1: { vendor: GceCpuVendor.Intel, nestedVirtualization: false, persistentDisk: true, reason: MEMORY },
    m2: { vendor: GceCpuVendor.Intel, nestedVirtualization: false, persistentDisk: true, reason: MEMORY },
    m3: { vendor: GceCpuVendor.Intel, nestedVirtualization: false, persistentDisk: true, reason: MEMORY },
    m4: { vendor: GceCpuVendor.Intel, nestedVirtualization: false, persistentDisk: false, reason: MEMORY },
    x4: { vendor: GceCpuVendor.Intel, nestedVirtualization: false, persistentDisk: false, reason: MEMORY },
};

/** Series whose VMs can host confidential VMs of each kind. None: see the sources above. */
export const GCE_CONFIDENTIAL_HOST_SERIES: Readonly<Record<ConfidentialHost, readonly string[]>> = {
    [ConfidentialHost.AmdSevSnp]: [],
    [ConfidentialHost.IntelTdx]: [],
};
export const GCE_NO_CONFIDENTIAL_HOST =
    "Compute Engine offers AMD SEV-SNP and Intel TDX only to Confidential VMs as guests, and nested virtualization passes neither on";

/** Shared-core machine types: a fraction of a vCPU, bursting. GKE Sandbox refuses them. */
export const GCE_SHARED_CORE_MACHINE_TYPES: readonly string[] = ["e2-micro", "e2-small", "e2-medium", "f1-micro", "g1-small"];

/** Machine types GKE refuses for any node pool. */
export const GKE_UNSUPPORTED_MACHINE_TYPES: Readonly<Record<string, string>> = {
    "f1-micro": "GKE does not support f1-micro node pools (too little memory to run GKE's node agents)",
};

/** Series a Kata pool can use, in the order the error messages suggest them. */
export const GCE_NESTED_VIRTUALIZATION_SERIES: readonly string[] = Object.entries(GCE_MACHINE_SERIES)
    .filter(([, s]) => s.nestedVirtualization)
    .map(([name]) => name);

/** `n2` for `n2-standard-4` and `n2-custom-4-8192`; undefined when the name has no series. */
export function gceMachineSeriesName(machineType: string): string | undefined {
    const m = /^([a-z][a-z0-9]*)-[a-z0-9-]+$/.exec(machineType);
    return m ? m[1] : undefined;
}

/** The catalogue entry of a machine type, when its series is in the catalogue. */
export function gceMachineSeries(machineType: string): GceMachineSeries | undefined {
    const name = gceMachineSeriesName(machineType);
    return name === undefined ? undefined : GCE_MACHINE_SERIES[name];
}

/** Why `machineType` cannot host Kata (nested virtualization), or undefined when it can. */
export function gceKataMachineProblem(machineType: string): string | undefined {
    const name = gceMachineSeriesName(machineType);
    const series = name === undefined ? undefined : GCE_MACHINE_SERIES[name];
    const suggestion = `use an Intel series with nested virtualization: ${GCE_NESTED_VIRTUALIZATION_SERIES.join(", ")} (e.g. n2-standard-4)`;
    if (name === undefined) {
        return `"${machineType}" is not a Compute Engine machine type name; ${suggestion}`;
    }
    if (series === undefined) {
        return `"${machineType}" is of series ${name.toUpperCase()}, which this package does not know to support nested virtualization; ${suggestion}`;
    }
    if (!series.nestedVirtualization) {
        return `"${machineType}" cannot run Kata: ${name.toUpperCase()} ${series.reason}; ${suggestion}`;
    }
    return undefined;
}

/** Why GKE Sandbox (gVisor) cannot run on `machineType`, or undefined when it can. */
export function gkeSandboxMachineProblem(machineType: string): string | undefined {
    if (gceMachineSeriesName(machineType) === undefined) return `"${machineType}" is not a Compute Engine machine type name`;
    if (GCE_SHARED_CORE_MACHINE_TYPES.includes(machineType)) {
        return `"${machineType}" is a shared-core machine type, which GKE Sandbox does not run on (${GCE_SHARED_CORE_MACHINE_TYPES.join(", ")}); use one with whole vCPUs, e.g. e2-standard-2`;
    }
    return GKE_UNSUPPORTED_MACHINE_TYPES[machineType];
}

