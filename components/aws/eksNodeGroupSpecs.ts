// How EksSandboxNodePool spells its plan for the EKS and EC2 APIs: taints in the EKS API's
// spelling, the AL2023 AMI type per architecture, and the user data of self-managed nodes.
// Pure: no Pulumi resources.
import { Taint, TaintEffect } from "../isolation";
import type { EksPoolPlan } from "./eksSandboxNodePoolArgs";
import { Architecture } from "./instanceCatalogue";
import { ClusterDetails, kubeletStampFlags, NODE_CONFIG_CONTENT_TYPE, renderMimeMultipart, renderNodeConfig } from "./userdata";

/** The EKS API's spelling of each Kubernetes taint effect. */
export const EKS_TAINT_EFFECT: Readonly<Record<TaintEffect, string>> = {
    [TaintEffect.NoSchedule]: "NO_SCHEDULE",
    [TaintEffect.PreferNoSchedule]: "PREFER_NO_SCHEDULE",
    [TaintEffect.NoExecute]: "NO_EXECUTE",
};

/** The AL2023 AMI type of managed node groups per architecture. */
export const AMI_TYPE: Readonly<Record<Architecture, string>> = {
    [Architecture.X86_64]: "AL2023_x86_64_STANDARD",
    [Architecture.Arm64]: "AL2023_ARM_64_STANDARD",
};
/** Root device of the AL2023 AMI. */
export const ROOT_DEVICE = "/dev/xvda";

/** A contract taint in the EKS API's spelling. */
export function eksTaint(t: Taint): { key: string; value: string; effect: string } {
    return { key: t.key, value: t.value, effect: EKS_TAINT_EFFECT[t.effect] };
}

/** Self-managed Kata nodes: cluster coordinates and the stamp as kubelet flags. */
export function selfManagedUserData(cluster: ClusterDetails, plan: Pick<EksPoolPlan, "labels" | "taints">): string {
    return renderMimeMultipart([
        {
            contentType: NODE_CONFIG_CONTENT_TYPE,
            body: renderNodeConfig({ cluster, kubeletFlags: kubeletStampFlags(plan.labels, plan.taints) }),
        },
    ]);
}
