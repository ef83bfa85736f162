// Renders the `nodeConfig` of a GKE sandbox node pool from validated, defaulted values.
// Pure: no Pulumi resources, so the node config can be read and tested on its own.
import type * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/gcp/types/input";
import { NodeStamp, Runtime, Taint, TaintEffect } from "../isolation";

/** GKE node images the sandbox pools can use. */
export const GkeImageType = {
    /** Container-Optimized OS; the only image GKE Sandbox (gVisor) runs on. */
    CosContainerd: "COS_CONTAINERD",
    /** Ubuntu; kata-deploy installs Kata here (it cannot write to COS's read-only root). */
    UbuntuContainerd: "UBUNTU_CONTAINERD",
} as const;
/** One of the values of `GkeImageType`. */
export type GkeImageType = (typeof GkeImageType)[keyof typeof GkeImageType];
export const GKE_IMAGE_TYPES: readonly GkeImageType[] = Object.values(GkeImageType);

/** Boot disk types. Titanium series (N4, C4, ...) take only Hyperdisk. */
export const GkeDiskType = {
    PdStandard: "pd-standard",
    PdBalanced: "pd-balanced",
    PdSsd: "pd-ssd",
    HyperdiskBalanced: "hyperdisk-balanced",
} as const;
/** One of the values of `GkeDiskType`. */
export type GkeDiskType = (typeof GkeDiskType)[keyof typeof GkeDiskType];
export const GKE_DISK_TYPES: readonly GkeDiskType[] = Object.values(GkeDiskType);

/** GKE's spelling of the Kubernetes taint effects. */
export const GKE_TAINT_EFFECT: Readonly<Record<TaintEffect, string>> = {
    [TaintEffect.NoSchedule]: "NO_SCHEDULE",
    [TaintEffect.PreferNoSchedule]: "PREFER_NO_SCHEDULE",
    [TaintEffect.NoExecute]: "NO_EXECUTE",
};

/** Nodes get every scope; what they may do is decided by the service account's IAM roles. */
export const GKE_CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/** GKE's metadata server: pods see their Workload Identity, never the node's credentials. */
export const GKE_WORKLOAD_METADATA_MODE = "GKE_METADATA";

/** `sandboxConfig.type` of GKE Sandbox (the field `sandboxType` is deprecated). */
export const GKE_SANDBOX_TYPE = "GVISOR";

/** What the node config is made from: validated arguments with their defaults applied. */
export interface GkeNodeConfigSpec {
    runtime: Runtime;
    /** The pool's stamp; sent to GKE only when the cloud does not apply it itself. */
    stamp: NodeStamp;
    machineType: string;
    imageType: GkeImageType;
    diskSizeGb: number;
    diskType: GkeDiskType;
    spot: boolean;
    /** Threads per core; 0 keeps the processor's default (SMT on where it exists). */
    threadsPerCore: number;
    /** Set for Kata on series that may land on hosts without nested virtualization. */
    minCpuPlatform?: string;
    serviceAccountEmail: pulumi.Input<string>;
    /** The user's extra node labels, already checked against the stamp. */
    labels: Record<string, string>;
    /** The user's extra taints, already checked against the stamp. */
    taints: Taint[];
}

/** A taint in the GKE API's shape. */
export function toGkeTaint(t: Taint): inputs.container.NodePoolNodeConfigTaint {
    return { key: t.key, value: t.value, effect: GKE_TAINT_EFFECT[t.effect] };
}

const GCE_LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const GCE_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

/**
 * The node labels that are also valid Compute Engine labels, so that the VMs (and their
 * bills) can be told apart. Keys with a `prefix/` or capitals cannot be GCE labels.
 */
export function gceResourceLabels(labels: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(labels).filter(([k, v]) => GCE_LABEL_KEY.test(k) && GCE_LABEL_VALUE.test(v)));
}

/** The pool's `nodeConfig`. */
export function renderGkeNodeConfig(spec: GkeNodeConfigSpec): inputs.container.NodePoolNodeConfig {
    const sendStamp = !spec.stamp.appliedByCloud;
    const labels = { ...(sendStamp ? spec.stamp.labels : {}), ...spec.labels };
    const taints = [...(sendStamp ? spec.stamp.taints : []), ...spec.taints].map(toGkeTaint);
    const config: inputs.container.NodePoolNodeConfig = {
        machineType: spec.machineType,
        imageType: spec.imageType,
        diskSizeGb: spec.diskSizeGb,
        diskType: spec.diskType,
        spot: spec.spot,
        serviceAccount: spec.serviceAccountEmail,
        oauthScopes: [GKE_CLOUD_PLATFORM_SCOPE],
        labels,
        resourceLabels: gceResourceLabels(spec.labels),
        taints,
        metadata: { "disable-legacy-endpoints": "true" },
        workloadMetadataConfig: { mode: GKE_WORKLOAD_METADATA_MODE },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    };
    if (spec.runtime === Runtime.Gvisor) {
        config.sandboxConfig = { type: GKE_SANDBOX_TYPE };
        if (spec.threadsPerCore !== 0) config.advancedMachineFeatures = { threadsPerCore: spec.threadsPerCore };
    } else {
        // threadsPerCore is required by the schema whenever the block is present.
        config.advancedMachineFeatures = { threadsPerCore: spec.threadsPerCore, enableNestedVirtualization: true };
        if (spec.minCpuPlatform !== undefined) config.minCpuPlatform = spec.minCpuPlatform;
    }
    return config;
}
