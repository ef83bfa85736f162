// Azure VM size facts the AKS Pod Sandboxing pools depend on. Pure data and functions, no
// Pulumi resources.
//
// Pod Sandboxing (`workloadRuntime: KataVmIsolation`) needs "a generation 2 VM size that
// supports nested virtualization" and does not support Arm64 (Microsoft Learn "Pod sandboxing
// with AKS", MicrosoftDocs/azure-aks-docs `articles/aks/use-pod-sandboxing.md`, 2026-09-17;
// AKS answers other sizes with InvalidWorkloadRuntimeSettingError only when the pool is
// created). Each series below was checked on its size page's "Feature support" list
// (MicrosoftDocs/azure-compute-docs `articles/virtual-machines/sizes/general-purpose/
// <series>-series.md`, December 2026): "Nested Virtualization" and "Generation 2 VMs".
// A series missing here is not assumed to support nested virtualization: add it with its
// source rather than guessing.

export interface AzureVmSeries {
    /** Whether the size page lists nested virtualization as supported (and generation 2 VMs). */
    nestedVirtualization: boolean;
    /** Why not, in words a user can act on; set when `nestedVirtualization` is false. */
    reason?: string;
}

/** VM series by their lowercase key: family letters, feature letters, version (`dsv5` for `Standard_D4s_v5`). */
export const AZURE_VM_SERIES: Readonly<Record<string, AzureVmSeries>> = {
    dsv3: { nestedVirtualization: true },
    dsv5: { nestedVirtualization: true },
    ddsv5: { nestedVirtualization: true },
    dsv6: { nestedVirtualization: true },
    ddsv6: { nestedVirtualization: true },
    dasv5: { nestedVirtualization: true },
    dadsv5: { nestedVirtualization: true },
    dasv6: { nestedVirtualization: true },
    dasv4: { nestedVirtualization: false, reason: "does not support nested virtualization (its size page lists it as not supported)" },
};

/** Series a Kata pool can use, in the order the error messages suggest them. */
export const AZURE_NESTED_VIRTUALIZATION_SERIES: readonly string[] = Object.entries(AZURE_VM_SERIES)
    .filter(([, s]) => s.nestedVirtualization)
    .map(([name]) => name);

/** The VM size a Kata pool gets unless one is named: Intel, generation 2, nested virtualization, 4 vCPUs for a few pod VMs. */
export const AKS_DEFAULT_KATA_VM_SIZE = "Standard_D4s_v5";

/** The parts of a VM size name: `Standard_D4ads_v5` -> family `d`, vCPUs 4, features `ads`, version `v5` (empty for `Standard_B2s`). */
export interface AzureVmSizeName {
    family: string;
    vcpus: number;
    features: string;
    version: string;
    /** The catalogue key: family + features + version. */
    series: string;
}

const VM_SIZE = /^Standard_([A-Z]+)(\d+)(?:-\d+)?([a-z]*)(?:_(v\d+))?$/;

/** Parses `Standard_<family><vCPUs>[-<constrained>]<features>[_v<N>]`; undefined for other names. */
export function parseAzureVmSize(vmSize: string): AzureVmSizeName | undefined {
    const m = VM_SIZE.exec(vmSize);
    if (!m) return undefined;
    const [, family, vcpus, features, version = ""] = m;
    return { family: family.toLowerCase(), vcpus: Number(vcpus), features, version, series: `${family.toLowerCase()}${features}${version}` };
}

/** `Dsv5` for `dsv5`, as Azure's documentation spells series. */
function seriesLabel(series: string): string {
    return `${series.charAt(0).toUpperCase()}${series.slice(1)}`;
}

const LOOSE_VM_SIZE = /^\s*(?:standard_)?([a-z]+)(\d+)(-\d+)?([a-z]*)(?:_(v\d+))?\s*$/i;

/** `Standard_D4s_v5` for `standard_d4s_v5`, `D4s_v5` or ` Standard_D4s_v5 `: the spelling the size catalogue parses. */
function canonicalVmSize(vmSize: string): string | undefined {
    const m = LOOSE_VM_SIZE.exec(vmSize);
    if (!m) return undefined;
    const [, family, vcpus, constrained = "", features, version] = m;
    const spelled = `Standard_${family.toUpperCase()}${vcpus}${constrained}${features.toLowerCase()}${version ? `_${version.toLowerCase()}` : ""}`;
    return parseAzureVmSize(spelled) ? spelled : undefined;
}

/** Why `vmSize` cannot host AKS Pod Sandboxing (Kata), or undefined when it can. */
export function aksKataVmSizeProblem(vmSize: string): string | undefined {
    const suggestion = `use a generation 2 size with nested virtualization: ${AZURE_NESTED_VIRTUALIZATION_SERIES.map(seriesLabel).join(", ")} (e.g. ${AKS_DEFAULT_KATA_VM_SIZE})`;
    const name = parseAzureVmSize(vmSize);
    if (name === undefined) {
        const spelled = canonicalVmSize(vmSize);
        if (spelled !== undefined) return `"${vmSize}" is not an Azure VM size name as Azure spells them; did you mean "${spelled}"?`;
        return `"${vmSize}" is not an Azure VM size name such as ${AKS_DEFAULT_KATA_VM_SIZE}; ${suggestion}`;
    }
    // Arm64 sizes carry a `p` feature letter (Dpsv5, Dpdsv6, Epsv6...).
    if (name.features.includes("p")) {
        return `"${vmSize}" is an Arm64 size, and AKS Pod Sandboxing does not support Arm64; ${suggestion}`;
    }
    const series = AZURE_VM_SERIES[name.series];
    if (series === undefined) {
        return `"${vmSize}" is of series ${seriesLabel(name.series)}, which this package does not know to support nested virtualization; ${suggestion}`;
    }
    if (!series.nestedVirtualization) return `"${vmSize}" cannot run Kata: ${seriesLabel(name.series)} ${series.reason}; ${suggestion}`;
    return undefined;
}
