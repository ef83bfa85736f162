// The Kata Containers catalogue: the shims kata-deploy ships, what each costs a pod (overhead)
// and needs of its host (architecture, devmapper, confidential-computing hardware), and the
// RuntimeClass names kata-deploy gives them. Pure data and functions: no Pulumi resources, no I/O.
// The isolation contract (isolation.ts) does not depend on it; pools describe their nodes as a
// `KataHost`, and SandboxRuntimes checks each shim against them.

/** Label kata-deploy puts on a node once Kata is installed there. */
export const KATA_INSTALLED_LABEL = "katacontainers.io/kata-runtime";

/** Kata shims the package supports (kata-deploy's shim names). */
export const KataShim = {
    Qemu: "qemu",
    QemuRuntimeRs: "qemu-runtime-rs",
    Clh: "clh",
    Dragonball: "dragonball",
    Fc: "fc",
    QemuSnp: "qemu-snp",
    QemuTdx: "qemu-tdx",
} as const;
/** One of the values of `KataShim`. */
export type KataShim = (typeof KataShim)[keyof typeof KataShim];
export const KATA_SHIMS: readonly KataShim[] = Object.values(KataShim);

/** kata-deploy's default shim (chart 4.1.0 `defaultShim.amd64`). */
export const DEFAULT_KATA_SHIM: KataShim = KataShim.QemuRuntimeRs;

/** CPU architectures of nodes, in Kubernetes' spelling (`kubernetes.io/arch`). */
export const NodeArchitecture = {
    Amd64: "amd64",
    Arm64: "arm64",
} as const;
/** One of the values of `NodeArchitecture`. */
export type NodeArchitecture = (typeof NodeArchitecture)[keyof typeof NodeArchitecture];

/** Confidential-computing hardware a node must offer as a host for a shim's VMs. */
export const ConfidentialHost = {
    /** AMD SEV-SNP enabled in the host's firmware and kernel. */
    AmdSevSnp: "amd-sev-snp",
    /** Intel TDX enabled in the host's firmware and kernel. */
    IntelTdx: "intel-tdx",
} as const;
/** One of the values of `ConfidentialHost`. */
export type ConfidentialHost = (typeof ConfidentialHost)[keyof typeof ConfidentialHost];

const CONFIDENTIAL_HOST_WORDS: Readonly<Record<ConfidentialHost, string>> = {
    [ConfidentialHost.AmdSevSnp]: "an AMD SEV-SNP VM, which needs a host with SEV-SNP enabled in its firmware and kernel",
    [ConfidentialHost.IntelTdx]: "an Intel TDX trust domain, which needs a host with TDX enabled in its firmware and kernel",
};

/** What kata-deploy's catalogue says of one shim. */
export interface KataShimInfo {
    /** Pod overhead kata-deploy's own RuntimeClasses declare for this shim. */
    overhead: { memory: string; cpu: string };
    /** CPU architectures kata-deploy ships the shim for (chart `supportedArches`). */
    arches: readonly NodeArchitecture[];
    /** Needs containerd's devmapper snapshotter with a thin pool prepared on the host. */
    needsDevmapper: boolean;
    /** The confidential-computing host its pod VMs need, if any. */
    confidentialHost?: ConfidentialHost;
}

/**
 * Per-shim facts. Source: kata-deploy chart 4.1.0 (`values.yaml` supportedArches and
 * `shims.<name>.containerd.snapshotter`, `templates/runtimeclasses.yaml` overheads);
 * kata-containers `docs/how-to/how-to-run-kata-containers-with-SNP-VMs.md` (the host's BIOS
 * and kernel must support SEV-SNP) and the TDX host setup of Confidential Containers.
 */
export const KATA_SHIM_INFO: Readonly<Record<KataShim, KataShimInfo>> = {
    [KataShim.Qemu]: { overhead: { memory: "320Mi", cpu: "250m" }, arches: ["amd64", "arm64"], needsDevmapper: false },
    [KataShim.QemuRuntimeRs]: { overhead: { memory: "320Mi", cpu: "250m" }, arches: ["amd64", "arm64"], needsDevmapper: false },
    [KataShim.Clh]: { overhead: { memory: "130Mi", cpu: "250m" }, arches: ["amd64"], needsDevmapper: false },
    [KataShim.Dragonball]: { overhead: { memory: "130Mi", cpu: "250m" }, arches: ["amd64"], needsDevmapper: false },
    [KataShim.Fc]: { overhead: { memory: "130Mi", cpu: "250m" }, arches: ["amd64"], needsDevmapper: true },
    [KataShim.QemuSnp]: { overhead: { memory: "2048Mi", cpu: "1" }, arches: ["amd64"], needsDevmapper: false, confidentialHost: ConfidentialHost.AmdSevSnp },
    [KataShim.QemuTdx]: { overhead: { memory: "2048Mi", cpu: "1" }, arches: ["amd64"], needsDevmapper: false, confidentialHost: ConfidentialHost.IntelTdx },
};

/** What the nodes of one Kata pool offer the shims: the facts `kataShimHostProblem` checks. */
export interface KataHost {
    /** The pool in words, for messages: `pool "kata" (c7g.metal)`. */
    name: string;
    /** CPU architecture of the pool's nodes. */
    architecture: NodeArchitecture;
    /** containerd on every node has the devmapper snapshotter with a thin pool. */
    devmapper: boolean;
    /** Confidential-computing host support every node of the pool has. */
    confidentialHosts: ConfidentialHost[];
    /** Why the nodes offer no confidential host, in words, when they offer none. Default: no reason given. */
    noConfidentialHostReason?: string;
}

/** Why Kata shim `shim` cannot run on the nodes of `host`, or undefined when it can. */
export function kataShimHostProblem(shim: KataShim, host: KataHost): string | undefined {
    const info = KATA_SHIM_INFO[shim];
    if (info === undefined) return undefined;
    if (!info.arches.includes(host.architecture)) {
        const usable = KATA_SHIMS.filter((s) => KATA_SHIM_INFO[s].arches.includes(host.architecture) && !KATA_SHIM_INFO[s].needsDevmapper && !KATA_SHIM_INFO[s].confidentialHost);
        return `kata-deploy ships ${shim} for ${info.arches.join(", ")} only, but ${host.name} runs ${host.architecture} nodes; use ${usable.join(" or ")} there`;
    }
    if (info.needsDevmapper && !host.devmapper) {
        return `${shim} needs containerd's devmapper snapshotter with a thin pool on each node, which ${host.name} does not have (neither kata-deploy nor this package prepares one)`;
    }
    if (info.confidentialHost !== undefined && !host.confidentialHosts.includes(info.confidentialHost)) {
        const why = host.noConfidentialHostReason === undefined ? "" : `: ${host.noConfidentialHostReason}`;
        return `${shim} runs each pod in ${CONFIDENTIAL_HOST_WORDS[info.confidentialHost]}; ${host.name} is no such host${why}`;
    }
    return undefined;
}

/** RuntimeClass name and containerd handler of a Kata shim, as kata-deploy names them. */
export function kataHandler(shim: KataShim): string {
    return `kata-${shim}`;
}
