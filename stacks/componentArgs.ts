// From stack config to the components' args, and the components' own validation run on
// those args up front, with every problem renamed to the config key a user edits. The
// program builds the same args from the same functions, so what was validated is what runs.
import type * as pulumi from "@pulumi/pulumi";
import { Cloud, Runtime } from "../components/isolation";
import { KataHost } from "../components/kataShims";
import { Problem, ProblemCode } from "../components/validation";
import { EksSandboxNodePoolArgs, eksKataHost, eksSandboxNodePoolProblems } from "../components/aws/eksSandboxNodePoolArgs";
import { CapacityType } from "../components/aws/eksPoolArgs";
import { Architecture } from "../components/aws/instanceCatalogue";
import { EksSandboxKarpenterPoolArgs, eksSandboxKarpenterPoolProblems } from "../components/aws/eksSandboxKarpenterPoolArgs";
import { KataVirtualization } from "../components/aws/karpenterInstances";
import { GkeSandboxNodePoolArgs, gkeKataHost, gkeSandboxNodePoolProblems } from "../components/gcp/gkeSandboxNodePoolArgs";
import { AksSandboxNodePoolArgs, aksSandboxNodePoolProblems } from "../components/azure/aksSandboxNodePoolArgs";
import { AksClusterArgs, aksClusterProblems } from "../components/azure/aksClusterArgs";
import { GkeDiskType } from "../components/gcp/nodeConfig";
import { PlannedRuntimeClass, plannedRuntimeClasses } from "../components/kubernetes/runtimeClasses";
import { SandboxRuntimesArgs, exemptNamespaces, resolveArgs, sandboxRuntimesProblems } from "../components/kubernetes/sandboxRuntimesArgs";
import { SandboxNamespaceArgs, sandboxNamespaceProblems } from "../components/kubernetes/sandboxNamespaceArgs";
import { AGENT_SANDBOX_NAMESPACE_PREFIX } from "../components/kubernetes/agentSandbox";
import { EksClusterArgs, eksClusterProblems } from "../components/aws/eksClusterArgs";
import { EksVpcArgs, eksVpcProblems } from "../components/aws/eksVpcArgs";
import { GkeClusterArgs, gkeClusterProblems } from "../components/gcp/gkeClusterArgs";
import { CONFIG_NAMESPACE, configKey } from "./config/keys";
import { ClusterMode, PoolConfig, Provisioner, StackConfig } from "./config/types";

/** What the pools need to know about the cluster; Outputs when the cluster is created here. */
export interface ClusterRef {
    clusterName: pulumi.Input<string>;
    eks?: {
        subnetIds: pulumi.Input<string>[];
        /** Created clusters: given so that self-managed nodes need no lookup of a cluster not yet there. */
        endpoint?: pulumi.Input<string>;
        certificateAuthority?: pulumi.Input<string>;
        serviceCidr?: pulumi.Input<string>;
        kubernetesVersion?: pulumi.Input<string>;
        securityGroupIds?: pulumi.Input<string>[];
    };
}

/** Pulumi name of a pool's component: `<cluster>-<pool>`. */
export function poolComponentName(cfg: StackConfig, pool: PoolConfig): string {
    return `${cfg.clusterName}-${pool.name}`;
}

export function eksPoolArgs(cfg: StackConfig, pool: PoolConfig, cluster: ClusterRef): EksSandboxNodePoolArgs {
    const eks = cluster.eks!;
    return {
        clusterName: cluster.clusterName,
        clusterEndpoint: eks.endpoint,
        clusterCertificateAuthority: eks.certificateAuthority,
        clusterServiceCidr: eks.serviceCidr,
        kubernetesVersion: eks.kubernetesVersion,
        securityGroupIds: eks.securityGroupIds,
        subnetIds: eks.subnetIds,
        runtime: pool.runtime,
        instanceTypes: pool.instanceTypes,
        architecture: pool.architecture as Architecture | undefined,
        minSize: pool.minSize,
        maxSize: pool.maxSize,
        desiredSize: pool.desiredSize,
        diskSizeGiB: pool.diskSizeGb,
        capacityType: pool.spot ? CapacityType.Spot : CapacityType.OnDemand,
        labels: pool.labels,
        taints: pool.taints,
        tags: cfg.tags,
        gvisor: pool.gvisor,
    };
}

/** A pool whose nodes the cluster's Karpenter launches. */
export function isKarpenterPool(pool: PoolConfig): boolean {
    return pool.provisioner === Provisioner.Karpenter;
}

export function eksKarpenterPoolArgs(cfg: StackConfig, pool: PoolConfig, cluster: ClusterRef): EksSandboxKarpenterPoolArgs {
    const eks = cluster.eks!;
    return {
        clusterName: cluster.clusterName,
        karpenterVersion: cfg.karpenterVersion ?? "",
        subnetIds: eks.subnetIds,
        securityGroupIds: eks.securityGroupIds,
        runtime: pool.runtime,
        architecture: pool.architecture as Architecture | undefined,
        kataVirtualization: pool.kataVirtualization as KataVirtualization | undefined,
        instanceTypes: pool.instanceTypes,
        instanceFamilies: pool.instanceFamilies,
        limits: pool.limits,
        diskSizeGiB: pool.diskSizeGb,
        capacityType: pool.spot ? CapacityType.Spot : CapacityType.OnDemand,
        labels: pool.labels,
        taints: pool.taints,
        tags: cfg.tags,
        gvisor: pool.gvisor,
        nodePoolName: pool.name,
    };
}

export function gkePoolArgs(cfg: StackConfig, pool: PoolConfig, cluster: ClusterRef): GkeSandboxNodePoolArgs {
    const gcp = cfg.gcp!;
    return {
        cluster: cluster.clusterName,
        location: gcp.location,
        project: gcp.project,
        runtime: pool.runtime,
        machineType: pool.machineType,
        autoscaling: { minNodeCount: pool.minSize, maxNodeCount: pool.maxSize },
        nodeLocations: pool.nodeLocations,
        diskSizeGb: pool.diskSizeGb,
        diskType: pool.diskType as GkeDiskType | undefined,
        spot: pool.spot,
        labels: pool.labels,
        taints: pool.taints,
        nodePoolName: pool.name,
    };
}

export function aksPoolArgs(cfg: StackConfig, pool: PoolConfig, cluster: ClusterRef): AksSandboxNodePoolArgs {
    return {
        resourceGroupName: cfg.azure!.resourceGroup,
        clusterName: cluster.clusterName,
        runtime: pool.runtime,
        agentPoolName: pool.name,
        vmSize: pool.vmSize,
        autoscaling: { minCount: pool.minSize, maxCount: pool.maxSize },
        spot: pool.spot,
        availabilityZones: pool.zones,
        osSku: pool.osSku as AksSandboxNodePoolArgs["osSku"],
        osType: pool.osType as AksSandboxNodePoolArgs["osType"],
        osDiskSizeGB: pool.diskSizeGb,
        labels: pool.labels,
        taints: pool.taints,
        tags: Object.keys(cfg.tags).length > 0 ? cfg.tags : undefined,
    };
}

/** The args of the AKS cluster a stack creates. */
export function aksClusterArgs(cfg: StackConfig): AksClusterArgs {
    const azure = cfg.azure!;
    return {
        clusterName: cfg.clusterName,
        resourceGroupName: azure.resourceGroup,
        location: azure.location,
        kubernetesVersion: cfg.kubernetesVersion,
        systemVmSize: cfg.systemPool.vmSize!,
        systemMinSize: cfg.systemPool.minSize,
        systemMaxSize: cfg.systemPool.maxSize,
        systemDesiredSize: cfg.systemPool.desiredSize,
        apiAllowedCidrs: cfg.apiAllowedCidrs.length > 0 ? cfg.apiAllowedCidrs : undefined,
        adminGroupObjectIds: azure.adminGroupObjectIds,
        deletionProtection: cfg.deletionProtection,
        tags: Object.keys(cfg.tags).length > 0 ? cfg.tags : undefined,
    };
}

/** The runtimes the stack's sandbox nodes have: its pools', or on cloud `kubernetes` the listed ones. */
export function stackRuntimes(cfg: StackConfig): Set<Runtime> {
    return new Set(cfg.kubernetes ? cfg.kubernetes.runtimes : cfg.pools.map((p) => p.runtime));
}

/** The created EKS cluster's args; `subnetIds` are the stack's or the created VPC's. */
export function eksClusterArgs(cfg: StackConfig, subnetIds: pulumi.Input<string>[]): EksClusterArgs {
    const aws = cfg.aws!;
    return {
        clusterName: cfg.clusterName,
        version: cfg.kubernetesVersion!,
        region: aws.region,
        subnetIds,
        adminPrincipalArns: aws.adminPrincipalArns,
        publicAccessCidrs: cfg.apiAllowedCidrs.length > 0 ? cfg.apiAllowedCidrs : undefined,
        systemInstanceTypes: cfg.systemPool.instanceTypes!,
        systemMinSize: cfg.systemPool.minSize,
        systemMaxSize: cfg.systemPool.maxSize,
        systemDesiredSize: cfg.systemPool.desiredSize,
        deletionProtection: cfg.deletionProtection,
        tags: cfg.tags,
    };
}

/** The VPC created for an EKS cluster when the stack names no subnets. */
export function eksVpcArgs(cfg: StackConfig): EksVpcArgs {
    const aws = cfg.aws!;
    return { cidr: aws.vpcCidr, clusterName: cfg.clusterName, availabilityZones: aws.availabilityZones, tags: cfg.tags };
}

/** The created GKE cluster's args. */
export function gkeClusterArgs(cfg: StackConfig): GkeClusterArgs {
    const gcp = cfg.gcp!;
    return {
        clusterName: cfg.clusterName,
        project: gcp.project,
        location: gcp.location,
        network: gcp.network,
        subnetwork: gcp.subnetwork,
        minMasterVersion: cfg.kubernetesVersion,
        systemMachineType: cfg.systemPool.machineType!,
        systemMinSize: cfg.systemPool.minSize,
        systemMaxSize: cfg.systemPool.maxSize,
        systemDesiredSize: cfg.systemPool.desiredSize,
        deletionProtection: cfg.deletionProtection,
        authorizedNetworks: cfg.apiAllowedCidrs.length > 0 ? cfg.apiAllowedCidrs : undefined,
        labels: cfg.tags,
    };
}

export function sandboxRuntimesArgs(cfg: StackConfig): SandboxRuntimesArgs {
    const runtimes = stackRuntimes(cfg);
    const chart = cfg.kataChart;
    return {
        cloud: cfg.cloud,
        // gVisor pools on AKS are refused with the pool, not a second time here.
        gvisor: runtimes.has(Runtime.Gvisor) && cfg.cloud !== Cloud.Azure ? { gkeManaged: cfg.cloud === Cloud.Gcp } : undefined,
        kata: runtimes.has(Runtime.Kata)
            ? {
                  shims: cfg.kataShims,
                  defaultShim: cfg.defaultKataShim,
                  // Cloud kubernetes: the user's nodes, whose hardware the program does not know.
                  ...(cfg.kubernetes === undefined ? { hosts: kataHosts(cfg) } : {}),
                  ...(chart?.version !== undefined ? { chartVersion: chart.version } : {}),
                  ...(chart && (chart.repository ?? chart.name ?? chart.caFile) !== undefined
                      ? { chart: { repository: chart.repository, name: chart.name, caFile: chart.caFile } }
                      : {}),
                  ...(cfg.kubernetes?.distribution !== undefined ? { k8sDistribution: cfg.kubernetes.distribution } : {}),
              }
            : undefined,
        admission: {
            action: cfg.admissionMode,
            exemptNamespaces: cfg.admissionExemptNamespaces,
            allowHostPorts: cfg.admissionAllowHostPorts,
            allowedCsiDrivers: cfg.admissionAllowedCsiDrivers,
            // The guard's messages send the program's users to the stack config keys.
            settingNames: {
                exemptNamespaces: `stack config ${RUNTIMES_PATHS["admission.exemptNamespaces"]}`,
                allowHostPorts: `stack config ${RUNTIMES_PATHS["admission.allowHostPorts"]}`,
                allowedCsiDrivers: `stack config ${RUNTIMES_PATHS["admission.allowedCsiDrivers"]}`,
            },
        },
        verification: {
            enabled: cfg.verifyRuntimes,
            ...(cfg.verificationImage !== undefined ? { image: cfg.verificationImage } : {}),
            ...(cfg.verifyTimeoutSeconds !== undefined ? { activeDeadlineSeconds: cfg.verifyTimeoutSeconds } : {}),
        },
        ...(cfg.agentSandbox ? { agentSandbox: cfg.agentSandbox } : {}),
    };
}

/** Component name of the SandboxNamespace the stack makes for tenant namespace `ns`. */
export function tenantNamespaceComponentName(cfg: StackConfig, ns: string): string {
    return `${cfg.clusterName}-tenant-${ns}`;
}

/** A tenant namespace's args: its key is its name, its class by default the stack's first. */
export function tenantNamespaceArgs(cfg: StackConfig, ns: string): SandboxNamespaceArgs {
    const given = cfg.tenantNamespaces?.[ns] ?? {};
    const classes = stackRuntimeClasses(cfg).map((c) => c.name);
    return { runtimeClassName: classes.includes("gvisor") ? "gvisor" : classes[0], ...given, namespace: ns };
}

/** Problems of the stack's tenant namespaces, under `sandbox:tenantNamespaces["<name>"]`. */
function tenantNamespaceProblems(cfg: StackConfig): Problem[] {
    const out: Problem[] = [];
    const exempt = exemptNamespaces(resolveArgs(sandboxRuntimesArgs(cfg)));
    const classes = stackRuntimeClasses(cfg).map((c) => c.name);
    for (const ns of Object.keys(cfg.tenantNamespaces ?? {})) {
        const key = (path: string) => configKey("tenantNamespaces", `["${ns}"]${path === "namespace" ? "" : `.${path}`}`);
        const args = tenantNamespaceArgs(cfg, ns);
        for (const p of sandboxNamespaceProblems(tenantNamespaceComponentName(cfg, ns), args)) out.push({ code: p.code, path: key(p.path), message: p.message });
        if (exempt.includes(ns)) out.push({ code: ProblemCode.Conflict, path: key("namespace"), message: `"${ns}" is exempt from the admission guard (sandbox:admissionExemptNamespaces); a tenant namespace must be judged` });
        const agent = cfg.agentSandbox;
        if (agent && agent.createNamespaces !== false && classes.some((c) => (agent.namespaces?.[c] ?? `${AGENT_SANDBOX_NAMESPACE_PREFIX}${c}`) === ns)) {
            out.push({ code: ProblemCode.Duplicate, path: key("namespace"), message: `"${ns}" is created by sandbox:agentSandbox already; give the tenant namespace another name` });
        }
        if (typeof args.runtimeClassName === "string" && !classes.includes(args.runtimeClassName)) {
            out.push({ code: ProblemCode.NotOneOf, path: key("runtimeClassName"), message: `"${args.runtimeClassName}" is not a sandbox RuntimeClass of this stack (${classes.join(", ")})` });
        }
    }
    return out;
}

/** What each Kata pool's nodes offer the shims, as the pool components compute it. */
function kataHosts(cfg: StackConfig): KataHost[] {
    return cfg.pools.flatMap((pool) => {
        const name = `pool "${pool.name}"`;
        const host = cfg.cloud === Cloud.Aws
            ? eksKataHost(name, { runtime: pool.runtime, architecture: pool.architecture as Architecture | undefined, instanceTypes: pool.instanceTypes })
            : cfg.cloud === Cloud.Gcp
              ? gkeKataHost(name, { runtime: pool.runtime, machineType: pool.machineType })
              : undefined;
        return host === undefined ? [] : [host];
    });
}

/** The RuntimeClasses of the stack (created here or, for GKE Sandbox, by GKE), in order. */
export function stackRuntimeClasses(cfg: StackConfig): PlannedRuntimeClass[] {
    return plannedRuntimeClasses(resolveArgs(sandboxRuntimesArgs(cfg)));
}

/** Component args paths -> config keys: relative to the pool, or absolute (`ns:key`). */
const EKS_PATHS: Record<string, string> = {
    clusterName: "sandbox:clusterName",
    subnetIds: "sandbox:subnetIds",
    kubernetesVersion: "sandbox:kubernetesVersion",
    diskSizeGiB: "diskSizeGb",
    capacityType: "spot",
    tags: "sandbox:tags",
};
const KARPENTER_PATHS: Record<string, string> = {
    ...EKS_PATHS,
    karpenterVersion: "sandbox:karpenterVersion",
    nodePoolName: "name",
};
const GKE_PATHS: Record<string, string> = {
    cluster: "sandbox:clusterName",
    location: "sandbox:location",
    project: "gcp:project",
    "autoscaling.minNodeCount": "minSize",
    "autoscaling.maxNodeCount": "maxSize",
    autoscaling: "minSize",
    nodePoolName: "name",
    serviceAccountId: "name",
};
const SYSTEM_POOL_PATHS = {
    systemMinSize: "sandbox:systemPool.minSize",
    systemMaxSize: "sandbox:systemPool.maxSize",
    systemDesiredSize: "sandbox:systemPool.desiredSize",
};
const EKS_CLUSTER_PATHS: Record<string, string> = {
    clusterName: "sandbox:clusterName",
    version: "sandbox:kubernetesVersion",
    region: "aws:region",
    subnetIds: "sandbox:subnetIds",
    adminPrincipalArns: "sandbox:adminPrincipalArns",
    publicAccessCidrs: "sandbox:apiAllowedCidrs",
    systemInstanceTypes: "sandbox:systemPool.instanceTypes",
    ...SYSTEM_POOL_PATHS,
    deletionProtection: "sandbox:deletionProtection",
    tags: "sandbox:tags",
};
const EKS_VPC_PATHS: Record<string, string> = {
    cidr: "sandbox:vpcCidr",
    clusterName: "sandbox:clusterName",
    availabilityZones: "sandbox:availabilityZones",
    tags: "sandbox:tags",
};
const GKE_CLUSTER_PATHS: Record<string, string> = {
    clusterName: "sandbox:clusterName",
    project: "gcp:project",
    location: "sandbox:location",
    network: "sandbox:network",
    subnetwork: "sandbox:subnetwork",
    minMasterVersion: "sandbox:kubernetesVersion",
    systemMachineType: "sandbox:systemPool.machineType",
    ...SYSTEM_POOL_PATHS,
    deletionProtection: "sandbox:deletionProtection",
    authorizedNetworks: "sandbox:apiAllowedCidrs",
    labels: "sandbox:tags",
};
const AKS_PATHS: Record<string, string> = {
    resourceGroupName: "sandbox:resourceGroup",
    clusterName: "sandbox:clusterName",
    agentPoolName: "name",
    "autoscaling.minCount": "minSize",
    "autoscaling.maxCount": "maxSize",
    autoscaling: "minSize",
    availabilityZones: "zones",
    osDiskSizeGB: "diskSizeGb",
    tags: "sandbox:tags",
};
const AKS_CLUSTER_PATHS: Record<string, string> = {
    clusterName: "sandbox:clusterName",
    resourceGroupName: "sandbox:resourceGroup",
    location: "sandbox:location",
    kubernetesVersion: "sandbox:kubernetesVersion",
    systemVmSize: "sandbox:systemPool.vmSize",
    ...SYSTEM_POOL_PATHS,
    apiAllowedCidrs: "sandbox:apiAllowedCidrs",
    adminGroupObjectIds: "sandbox:adminGroupObjectIds",
    deletionProtection: "sandbox:deletionProtection",
    tags: "sandbox:tags",
};
const RUNTIMES_PATHS: Record<string, string> = {
    cloud: "sandbox:cloud",
    agentSandbox: "sandbox:agentSandbox",
    gvisor: "sandbox:cloud",
    "kata.shims": "sandbox:kataShims",
    "kata.defaultShim": "sandbox:defaultKataShim",
    kata: "sandbox:kataShims",
    "admission.action": "sandbox:admissionMode",
    "admission.exemptNamespaces": "sandbox:admissionExemptNamespaces",
    "kata.chartVersion": "sandbox:kataChart.version",
    "kata.chart": "sandbox:kataChart",
    "kata.k8sDistribution": "sandbox:kubernetesDistribution",
    "verification.image": "sandbox:verificationImage",
    "verification.activeDeadlineSeconds": "sandbox:verifyTimeoutSeconds",
    "admission.allowHostPorts": "sandbox:admissionAllowHostPorts",
    "admission.allowedCsiDrivers": "sandbox:admissionAllowedCsiDrivers",
    // The program keeps the Jobs' namespace; only an exempt namespace can clash with it.
    "verification.namespace": "sandbox:admissionExemptNamespaces",
    verification: "sandbox:verifyRuntimes",
};

/** Stand-ins for the IDs of the VPC's two private subnets the program creates when the stack names none. */
const SUBNETS_CREATED_BY_THE_PROGRAM = ["subnet-00000000000000000", "subnet-00000000000000001"] as const;

/**
 * Runs every component's validation on the args the program would pass, with stand-ins for
 * what only exists once the cluster does, and returns the problems under config keys.
 */
export function componentProblems(cfg: StackConfig, indices: readonly number[] = cfg.pools.map((_, i) => i)): Problem[] {
    const stand: ClusterRef = {
        clusterName: cfg.clusterName,
        eks: { subnetIds: cfg.aws?.subnetIds ?? [...SUBNETS_CREATED_BY_THE_PROGRAM] },
    };
    const out: Problem[] = [];
    if (cfg.clusterMode === ClusterMode.Create) {
        const top = (ps: readonly Problem[], table: Record<string, string>) => ps.map((p) => inConfigTerms(p, table));
        if (cfg.cloud === Cloud.Aws) {
            out.push(...top(eksClusterProblems(eksClusterArgs(cfg, cfg.aws?.subnetIds ?? [...SUBNETS_CREATED_BY_THE_PROGRAM])), EKS_CLUSTER_PATHS));
            if (cfg.aws?.subnetIds === undefined) out.push(...top(eksVpcProblems(eksVpcArgs(cfg)), EKS_VPC_PATHS));
        } else if (cfg.cloud === Cloud.Gcp) {
            out.push(...top(gkeClusterProblems(gkeClusterArgs(cfg)), GKE_CLUSTER_PATHS));
        } else if (cfg.cloud === Cloud.Azure) {
            out.push(...top(aksClusterProblems(aksClusterArgs(cfg)), AKS_CLUSTER_PATHS));
        }
    }
    cfg.pools.forEach((pool, i) => {
        const base = `pools[${indices[i]}]`;
        const rename = (ps: readonly Problem[], table: Record<string, string>) => ps.map((p) => inConfigTerms(p, table, base));
        if (cfg.cloud === Cloud.Aws && isKarpenterPool(pool)) {
            out.push(...rename(eksSandboxKarpenterPoolProblems(poolComponentName(cfg, pool), eksKarpenterPoolArgs(cfg, pool, stand)), KARPENTER_PATHS));
        } else if (cfg.cloud === Cloud.Aws) {
            out.push(...rename(eksSandboxNodePoolProblems(eksPoolArgs(cfg, pool, stand)), EKS_PATHS));
        } else if (cfg.cloud === Cloud.Azure) {
            out.push(...rename(aksSandboxNodePoolProblems(poolComponentName(cfg, pool), aksPoolArgs(cfg, pool, stand)), AKS_PATHS));
        } else {
            out.push(...rename(gkeSandboxNodePoolProblems(poolComponentName(cfg, pool), gkePoolArgs(cfg, pool, stand)), GKE_PATHS));
        }
    });
    const runtimesArgs = sandboxRuntimesArgs(cfg);
    if (runtimesArgs.gvisor !== undefined || runtimesArgs.kata !== undefined) {
        out.push(...sandboxRuntimesProblems(runtimesArgs).map((p) => inConfigTerms(p, RUNTIMES_PATHS)));
    }
    out.push(...tenantNamespaceProblems(cfg));
    // One cause may surface in two components or twice in one: report it once.
    const seen = new Set<string>();
    return out.filter((p) => !seen.has(`${p.path}\n${p.message}`) && seen.add(`${p.path}\n${p.message}`) !== undefined);
}

/**
 * A component's problem in the stack's words: its path as the config key, and every arg path
 * its message names (`refs`) as the key the user edits, written as the bare field when it is a
 * field of the same pool or object as the problem (`must be at least minSize (3)`).
 */
function inConfigTerms(p: Problem, table: Record<string, string>, base?: string): Problem {
    const path = mapPath(p.path, table, base);
    const owner = /^[a-z-]+:[A-Za-z]+(\[[^\]]*\])?\./.exec(path)?.[0];
    let message = p.message;
    for (const ref of p.refs ?? []) {
        const mapped = mapPath(ref, table, base);
        message = message.split(ref).join(owner !== undefined && mapped.startsWith(owner) ? mapped.slice(owner.length) : mapped);
    }
    return { code: p.code, path, message };
}

function mapPath(path: string, table: Record<string, string>, base?: string): string {
    const match = Object.keys(table)
        .filter((k) => path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`))
        .sort((a, b) => b.length - a.length)[0];
    const target = match === undefined ? path : table[match] + path.slice(match.length);
    if (/^[a-z]+:/.test(target)) return target;
    return base === undefined ? `${CONFIG_NAMESPACE}:${target}` : configKey(base.split("[")[0], `${base.slice(base.indexOf("["))}.${target}`);
}
