// The AKS agent pool an AksSandboxNodePool creates, rendered from its resolved args. Pure: no
// Pulumi resources, so tests read it as a golden file.
import { AKS_SPOT_TAINT, formatTaint } from "../isolation";
import { AKS_DEFAULT_UPGRADE_SETTINGS, AKS_KATA_WORKLOAD_RUNTIME, AksOsDiskType, AksOsSku, AksSshAccess, ResolvedAksSandboxNodePoolArgs } from "./aksSandboxNodePoolArgs";

/** The agent pool's properties (everything but resource group and cluster), for `containerservice.AgentPool`. */
export interface AksAgentPoolSpec {
    agentPoolName: string;
    mode: "User";
    osType: "Linux";
    osSKU: AksOsSku;
    workloadRuntime: typeof AKS_KATA_WORKLOAD_RUNTIME;
    vmSize: string;
    orchestratorVersion?: string;
    count?: number;
    enableAutoScaling: boolean;
    minCount?: number;
    maxCount?: number;
    scaleSetPriority: "Regular" | "Spot";
    scaleSetEvictionPolicy?: "Delete";
    spotMaxPrice?: number;
    availabilityZones?: string[];
    maxPods?: number;
    osDiskSizeGB?: number;
    osDiskType?: AksOsDiskType;
    nodeLabels: Record<string, string>;
    nodeTaints: string[];
    securityProfile: { sshAccess: AksSshAccess };
    upgradeSettings: { maxSurge: string; maxUnavailable: string };
    tags?: Record<string, string>;
}

/**
 * The agent pool spec: Pod Sandboxing on Azure Linux, the contract's stamp plus the user's
 * labels and taints in AKS's `key=value:Effect` spelling, and on spot pools the spot taint AKS
 * adds itself, declared so that the pool shows no drift (its label is AKS's to set). An
 * autoscaled pool starts with one node, or `minCount` when larger; the autoscaler owns the
 * count afterwards (the component ignores its changes).
 */
export function renderAksAgentPool(r: ResolvedAksSandboxNodePoolArgs): AksAgentPoolSpec {
    const spotTaints = r.spot ? [AKS_SPOT_TAINT] : [];
    return {
        agentPoolName: r.agentPoolName,
        mode: "User",
        osType: "Linux",
        osSKU: r.osSku,
        workloadRuntime: AKS_KATA_WORKLOAD_RUNTIME,
        vmSize: r.vmSize,
        ...(r.kubernetesVersion !== undefined ? { orchestratorVersion: r.kubernetesVersion } : {}),
        ...(r.autoscaling
            ? { enableAutoScaling: true, count: Math.max(r.autoscaling.minCount, 1), minCount: r.autoscaling.minCount, maxCount: r.autoscaling.maxCount }
            : { enableAutoScaling: false, count: r.nodeCount }),
        scaleSetPriority: r.spot ? "Spot" : "Regular",
        ...(r.spot ? { scaleSetEvictionPolicy: "Delete" as const, spotMaxPrice: -1 } : {}),
        ...(r.availabilityZones ? { availabilityZones: [...r.availabilityZones] } : {}),
        ...(r.maxPods !== undefined ? { maxPods: r.maxPods } : {}),
        ...(r.osDiskSizeGB !== undefined ? { osDiskSizeGB: r.osDiskSizeGB } : {}),
        ...(r.osDiskType !== undefined ? { osDiskType: r.osDiskType } : {}),
        nodeLabels: { ...r.stamp.labels, ...r.labels },
        nodeTaints: [...r.stamp.taints, ...spotTaints, ...r.taints].map(formatTaint),
        securityProfile: { sshAccess: r.sshAccess },
        upgradeSettings: { ...AKS_DEFAULT_UPGRADE_SETTINGS },
        ...(r.tags ? { tags: { ...r.tags } } : {}),
    };
}
