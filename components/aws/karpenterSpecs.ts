// The Karpenter objects of an EksSandboxKarpenterPool, rendered from its validated plan: the
// `spec` of its EC2NodeClass (`karpenter.k8s.aws/v1`) and of its NodePool (`karpenter.sh/v1`).
// Pure: no Pulumi resources, no I/O. Field spellings are those of the CRDs in
// github.com/aws/karpenter-provider-aws (`pkg/apis/crds/`), which the integration suite installs
// into a real API server and applies every rendered object to (test/integration/kube/karpenter.test.ts).
import { Taint } from "../isolation";
import type { KarpenterPoolPlan } from "./eksSandboxKarpenterPoolArgs";

/** Root device of the AL2023 AMI. */
export const AL2023_ROOT_DEVICE = "/dev/xvda";

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
