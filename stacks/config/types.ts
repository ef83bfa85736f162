// The typed stack configuration and its defaults: what parsing `sandbox:*` config yields.
// Pure data; keys.ts declares the keys, parse.ts reads values into these types.
import { Cloud, Runtime, Taint } from "../../components/isolation";
import { DEFAULT_KATA_SHIM, KataShim } from "../../components/kataShims";
import { GuardAction } from "../../components/kubernetes/sandboxRuntimesArgs";
import type { AgentSandboxArgs } from "../../components/kubernetes/agentSandbox";
import type { SandboxNamespaceArgs } from "../../components/kubernetes/sandboxNamespaceArgs";

/** Clouds the program provisions (`sandbox:cloud`). */
export const PROGRAM_CLOUDS = [Cloud.Aws, Cloud.Gcp, Cloud.Azure, Cloud.Kubernetes] as const;
export type ProgramCloud = (typeof PROGRAM_CLOUDS)[number];

/** Whether the program creates the cluster or adds pools and runtimes to an existing one. */
export const ClusterMode = {
    Create: "create",
    Adopt: "adopt",
} as const;
export type ClusterMode = (typeof ClusterMode)[keyof typeof ClusterMode];

/** What the admission guard does with a pod that breaks a sandbox rule: the component's own values. */
export const AdmissionMode = GuardAction;
export type AdmissionMode = GuardAction;

/** Defaults, applied here and nowhere else (Pulumi.yaml repeats them; a test keeps both equal). */
export const DEFAULTS = {
    clusterMode: ClusterMode.Create,
    /** EKS control plane version of created clusters; GKE follows its release channel unless set. */
    eksKubernetesVersion: "1.35",
    vpcCidr: "10.0.0.0/16",
    deletionProtection: true,
    admissionMode: AdmissionMode.Deny,
    admissionAllowHostPorts: false,
    verifyRuntimes: true,
    defaultKataShim: DEFAULT_KATA_SHIM,
    gkeNetwork: "default",
    /** System pools: small, on-demand, enough for CoreDNS, the CNI and kata-deploy's control. */
    systemPool: {
        aws: { instanceTypes: ["m7i.large"] },
        gcp: { machineType: "e2-standard-4" },
        /** Generation 2, Azure Linux, the smallest size AKS recommends for system pools (2 vCPU, 8 GiB). */
        azure: { vmSize: "Standard_D2s_v5" },
        minSize: 1,
        maxSize: 3,
        desiredSize: 2,
    },
    /**
     * Sandbox pools. EKS has no cluster autoscaler by default, so its pools keep a node for
     * the verification Jobs; GKE and AKS pools scale from zero (an AKS pool starts with one node).
     */
    pool: { minSize: { aws: 1, gcp: 0, azure: 0 }, maxSize: 3 },
} as const;

/** Who launches an AWS pool's nodes (`sandbox:pools[i].provisioner`). */
export const Provisioner = {
    /** An EKS managed node group, or a self-managed Auto Scaling group (Kata nested). */
    NodeGroup: "nodegroup",
    /** The cluster's own Karpenter (the user's install): one NodePool and EC2NodeClass per pool. */
    Karpenter: "karpenter",
} as const;
export type Provisioner = (typeof Provisioner)[keyof typeof Provisioner];
export const PROVISIONERS: readonly Provisioner[] = Object.values(Provisioner);

/** A sandbox node pool as the stack asks for it. */
export interface PoolConfig {
    name: string;
    runtime: Runtime;
    /** AWS: node groups (default) or Karpenter. */
    provisioner?: Provisioner;
    /** AWS Karpenter pools: EC2 instance families Karpenter may choose from. */
    instanceFamilies?: string[];
    /** AWS Karpenter Kata pools: `nested` or `metal`. */
    kataVirtualization?: string;
    /** AWS Karpenter pools: the NodePool's limits (`cpu`, `memory`: Kubernetes quantities). */
    limits?: Record<string, string>;
    /** AWS: EC2 instance types (one mode: all metal or all nested-virtualization for Kata). */
    instanceTypes?: string[];
    /** GCP: the Compute Engine machine type. */
    machineType?: string;
    /** Azure: the VM size (generation 2, nested virtualization). */
    vmSize?: string;
    /** Azure: availability zones of the pool's nodes. */
    zones?: string[];
    /** Azure: OS SKU, `AzureLinux` or `AzureLinux3` (Pod Sandboxing runs only on Azure Linux). */
    osSku?: string;
    /** Azure: OS type; only `Linux`. */
    osType?: string;
    minSize: number;
    maxSize: number;
    desiredSize?: number;
    spot: boolean;
    diskSizeGb?: number;
    labels: Record<string, string>;
    taints: Taint[];
    /** AWS: `x86_64` or `arm64`. */
    architecture?: string;
    /** AWS gVisor pools: pinned release, mirror and runsc flags. */
    gvisor?: { release?: string; mirror?: string; runscFlags?: Record<string, string> };
    /** GCP: zones of the pool's nodes. */
    nodeLocations?: string[];
    /** GCP: boot disk type, e.g. `pd-balanced`. */
    diskType?: string;
}

export interface SystemPoolConfig {
    instanceTypes?: string[];
    machineType?: string;
    vmSize?: string;
    minSize: number;
    maxSize: number;
    desiredSize: number;
}

/** The whole stack, typed and validated. */
export interface StackConfig {
    stack: string;
    cloud: ProgramCloud;
    clusterMode: ClusterMode;
    clusterName: string;
    /** Created clusters: the control plane version (EKS always, GKE only when set). */
    kubernetesVersion?: string;
    aws?: {
        region: string;
        /** Subnets for the cluster and pools; absent: a VPC is created (created clusters). */
        subnetIds?: string[];
        vpcCidr: string;
        availabilityZones?: string[];
        /** IAM principals given cluster-admin through EKS access entries. */
        adminPrincipalArns: string[];
    };
    azure?: {
        /** Existing resource group of the cluster. */
        resourceGroup: string;
        /** Region of a created cluster. */
        location: string;
        /** Created clusters: Microsoft Entra groups given cluster-admin. */
        adminGroupObjectIds: string[];
    };
    gcp?: {
        project: string;
        /** Region (regional cluster) or zone (zonal cluster). */
        location: string;
        network: string;
        subnetwork?: string;
    };
    deletionProtection: boolean;
    /** Created clusters: CIDRs allowed to reach the public API endpoint; empty: anywhere. */
    apiAllowedCidrs: string[];
    systemPool: SystemPoolConfig;
    pools: PoolConfig[];
    kataShims: KataShim[];
    defaultKataShim: KataShim;
    verifyRuntimes: boolean;
    admissionMode: AdmissionMode;
    admissionExemptNamespaces: string[];
    /** Let sandboxed pods use container hostPort. */
    admissionAllowHostPorts: boolean;
    /** CSI drivers whose inline volumes sandboxed pods may mount. */
    admissionAllowedCsiDrivers: string[];
    tags: Record<string, string>;
    /** agent-sandbox templates and warm pools (SandboxRuntimes' `agentSandbox`). */
    agentSandbox?: AgentSandboxArgs;
    /** Sandbox tenant namespaces (a SandboxNamespace each), by namespace name. */
    tenantNamespaces?: Record<string, Omit<SandboxNamespaceArgs, "namespace">>;
    /** AWS: version of the cluster's Karpenter, required when a pool's provisioner is `karpenter`. */
    karpenterVersion?: string;
    /**
     * Cloud `kubernetes`: the adopted cluster's kubeconfig (the value of `sandbox:kubeconfig`,
     * or, once `runProgram` read it, the file `sandbox:kubeconfigPath` names) and the runtimes
     * its user-provisioned sandbox nodes have.
     */
    kubernetes?: {
        kubeconfig?: string;
        kubeconfigPath?: string;
        runtimes: Runtime[];
        /** kata-deploy's `k8sDistribution` (k8s, k3s, rke2, k0s, microk8s). */
        distribution?: string;
    };
    /** Image of the verification Jobs, pinned by digest; default the component's. */
    verificationImage?: string;
    /** Seconds a verification Job may take (its activeDeadlineSeconds); default the component's 900. */
    verifyTimeoutSeconds?: number;
    /** Where kata-deploy's chart comes from and which version; default kata-containers' registry. */
    kataChart?: { repository?: string; name?: string; version?: string; caFile?: string };
}
