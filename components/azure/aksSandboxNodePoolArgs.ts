// Arguments of `AksSandboxNodePool`, their defaults and their validation. Pure: the program
// calls `aksSandboxNodePoolProblems` to validate stack config before it creates anything. The
// agent pool they render to is in agentPoolSpec.ts.
import type * as pulumi from "@pulumi/pulumi";
import {
    Cloud,
    DEFAULT_KEY_PREFIX,
    NodeStamp,
    RUNTIMES,
    Runtime,
    TAINT_EFFECTS,
    Taint,
    nodeStamp,
    runtimeOnCloudProblem,
} from "../isolation";
import { reservedKeyProblems } from "../kubelet";
import { AKS_RESERVED_LABEL_PREFIX } from "./aks";
import { NameKind, nameProblems, physicalName } from "../names";
import { Problem, Problems, duplicates, isDnsSubdomain, isLabelKey, isLabelValue, labelProblems, shapeCheckedProblems, ProblemCode, ProblemText, plainString } from "../validation";
import { AKS_DEFAULT_KATA_VM_SIZE, aksKataVmSizeProblem } from "./vmSizes";

/**
 * The workload runtime of a Pod Sandboxing pool, as @pulumi/azure-native 3.x spells it
 * (`containerservice.WorkloadRuntime.KataVmIsolation`, API 2025-09-01). `KataMshvVmIsolation`
 * is the preview spelling Microsoft deprecated in its favour; the SDK no longer offers it.
 */
export const AKS_KATA_WORKLOAD_RUNTIME = "KataVmIsolation";

/** OS SKUs of AKS Linux pools. Pod Sandboxing runs only on Azure Linux. */
export const AksOsSku = {
    /** Azure Linux, the version AKS picks for the Kubernetes version. */
    AzureLinux: "AzureLinux",
    /** Azure Linux 3, pinned. */
    AzureLinux3: "AzureLinux3",
    Ubuntu: "Ubuntu",
    Ubuntu2204: "Ubuntu2204",
    Windows2019: "Windows2019",
    Windows2022: "Windows2022",
} as const;
/** One of the values of `AksOsSku`. */
export type AksOsSku = (typeof AksOsSku)[keyof typeof AksOsSku];
export const AKS_OS_SKUS: readonly AksOsSku[] = Object.values(AksOsSku);
/** The OS SKUs Pod Sandboxing accepts. */
export const AKS_KATA_OS_SKUS: readonly AksOsSku[] = [AksOsSku.AzureLinux, AksOsSku.AzureLinux3];

/** OS types of AKS pools. Pod Sandboxing runs only on Linux. */
export const AksOsType = {
    Linux: "Linux",
    Windows: "Windows",
} as const;
/** One of the values of `AksOsType`. */
export type AksOsType = (typeof AksOsType)[keyof typeof AksOsType];

/** How to get onto a node with SSH. Sandbox pools default to none: nothing on the node needs it. */
export const AksSshAccess = {
    Disabled: "Disabled",
    LocalUser: "LocalUser",
} as const;
/** One of the values of `AksSshAccess`. */
export type AksSshAccess = (typeof AksSshAccess)[keyof typeof AksSshAccess];
export const AKS_SSH_ACCESS: readonly AksSshAccess[] = Object.values(AksSshAccess);

/** OS disk types of AKS nodes. */
export const AksOsDiskType = {
    Managed: "Managed",
    Ephemeral: "Ephemeral",
} as const;
/** One of the values of `AksOsDiskType`. */
export type AksOsDiskType = (typeof AksOsDiskType)[keyof typeof AksOsDiskType];
export const AKS_OS_DISK_TYPES: readonly AksOsDiskType[] = Object.values(AksOsDiskType);

/** Oldest Kubernetes version AKS runs Pod Sandboxing on (use-pod-sandboxing.md: "1.27.0 and higher"). */
export const AKS_POD_SANDBOXING_MIN_VERSION = "1.27";
export const AKS_MAX_PODS_RANGE = { min: 10, max: 250 } as const;
/** OS disk sizes AKS accepts, in GB. */
export const AKS_OS_DISK_RANGE = { min: 30, max: 2048 } as const;
/** Fixed pool size when neither `nodeCount` nor `autoscaling` is given. */
export const AKS_DEFAULT_NODE_COUNT = 1;
/** Surge upgrades one node at a time, never taking a node away before its replacement runs. */
export const AKS_DEFAULT_UPGRADE_SETTINGS = { maxSurge: "1", maxUnavailable: "0" } as const;
/** Availability zones an Azure region numbers. */
export const AZURE_ZONES = ["1", "2", "3"] as const;

/** Cluster autoscaler limits of an AKS pool. */
export interface AksAutoscaling {
    /** Fewest nodes; at least 0 (a user pool may scale to zero). */
    minCount: number;
    /** Most nodes; at least 1 and at least `minCount`. */
    maxCount: number;
}

/** Arguments of `AksSandboxNodePool`. */
export interface AksSandboxNodePoolArgs {
    /** Resource group of the AKS cluster. Required. */
    resourceGroupName: pulumi.Input<string>;
    /** Name of the AKS managed cluster to add the pool to. Required. */
    clusterName: pulumi.Input<string>;
    /** Sandbox runtime. Only `kata` exists on AKS (Pod Sandboxing); `gvisor` is refused. Default `kata`. */
    runtime?: Runtime;
    /**
     * Name of the agent pool in AKS: lowercase letters and digits, a letter first, at most 12.
     * Default: derived from the component name through the name budget (`aksDefaultPoolName`).
     */
    agentPoolName?: string;
    /** VM size: generation 2 with nested virtualization, not Arm64 (see `vmSizes.ts`). Default `Standard_D4s_v5`. */
    vmSize?: string;
    /** OS SKU: `AzureLinux` or `AzureLinux3` (Pod Sandboxing runs only on Azure Linux). Default `AzureLinux`. */
    osSku?: AksOsSku;
    /** OS type; only `Linux` (Pod Sandboxing has no Windows). Default `Linux`. */
    osType?: AksOsType;
    /**
     * Kubernetes version of the nodes (`1.NN` or `1.NN.P`), at least 1.27. Default: the
     * control plane's version.
     */
    kubernetesVersion?: string;
    /** Fixed number of nodes. Conflicts with `autoscaling`. Default 1 when neither is given. */
    nodeCount?: number;
    /** Cluster autoscaler limits. Conflicts with `nodeCount`. Default: none (fixed size). */
    autoscaling?: AksAutoscaling;
    /**
     * Spot VMs (evicted with `Delete`, at most the on-demand price): cheaper, evictable at any
     * time. AKS taints spot nodes `kubernetes.azure.com/scalesetpriority=spot:NoSchedule`,
     * which the package's Kata classes tolerate. Default false.
     */
    spot?: boolean;
    /** Availability zones (`"1"`, `"2"`, `"3"`) of the nodes. Default: none (regional). */
    availabilityZones?: string[];
    /** Most pods per node, 10-250. Default: AKS's for the cluster's network plugin. */
    maxPods?: number;
    /** OS disk size in GB, 30-2048. Default: AKS's for the VM size. */
    osDiskSizeGB?: number;
    /** OS disk type. Default: AKS's (ephemeral where the size's cache fits it). */
    osDiskType?: AksOsDiskType;
    /** Subnet of the nodes (resource ID). Default: the cluster's. */
    vnetSubnetId?: pulumi.Input<string>;
    /** SSH access to the nodes. Default `Disabled`: a sandbox node needs no interactive login. */
    sshAccess?: AksSshAccess;
    /** Extra node labels. Keys under `kubernetes.azure.com/` or the isolation key prefix are refused. Default none. */
    labels?: Record<string, string>;
    /** Extra node taints, with the same key rules as `labels`. Default none. */
    taints?: Taint[];
    /** Azure tags on the pool's VMs. Default none. */
    tags?: Record<string, string>;
    /** Prefix of the isolation label and taint keys. Default `sandbox-clusters.io`. */
    keyPrefix?: string;
}

/** Arguments with every default applied, as the component uses them. */
export interface ResolvedAksSandboxNodePoolArgs {
    runtime: Runtime;
    stamp: NodeStamp;
    agentPoolName: string;
    vmSize: string;
    osSku: AksOsSku;
    kubernetesVersion?: string;
    spot: boolean;
    availabilityZones?: string[];
    maxPods?: number;
    osDiskSizeGB?: number;
    osDiskType?: AksOsDiskType;
    sshAccess: AksSshAccess;
    labels: Record<string, string>;
    taints: Taint[];
    tags?: Record<string, string>;
    /** Exactly one of `nodeCount` and `autoscaling` is set. */
    nodeCount?: number;
    autoscaling?: AksAutoscaling;
}

/**
 * The agent pool name derived from a component name through the name budget: the name itself
 * when AKS accepts it, else lowercased, other characters dropped, cut and suffixed with a hash
 * of the whole name so that long names sharing a prefix stay distinct.
 */
export function aksDefaultPoolName(name: string): string {
    return physicalName(NameKind.AksAgentPool, name);
}

/** Applies the defaults; call on arguments `aksSandboxNodePoolProblems` found no problem with. */
export function resolveAksSandboxNodePoolArgs(name: string, args: AksSandboxNodePoolArgs): ResolvedAksSandboxNodePoolArgs {
    const runtime = args.runtime ?? Runtime.Kata;
    return {
        runtime,
        stamp: nodeStamp(runtime, Cloud.Azure, args.keyPrefix ?? DEFAULT_KEY_PREFIX),
        agentPoolName: args.agentPoolName ?? aksDefaultPoolName(name),
        vmSize: args.vmSize ?? AKS_DEFAULT_KATA_VM_SIZE,
        osSku: args.osSku ?? AksOsSku.AzureLinux,
        kubernetesVersion: args.kubernetesVersion,
        spot: args.spot ?? false,
        availabilityZones: args.availabilityZones,
        maxPods: args.maxPods,
        osDiskSizeGB: args.osDiskSizeGB,
        osDiskType: args.osDiskType,
        sshAccess: args.sshAccess ?? AksSshAccess.Disabled,
        labels: args.labels ?? {},
        taints: args.taints ?? [],
        tags: args.tags,
        ...(args.autoscaling !== undefined
            ? { autoscaling: { minCount: args.autoscaling.minCount, maxCount: args.autoscaling.maxCount } }
            : { nodeCount: args.nodeCount ?? AKS_DEFAULT_NODE_COUNT }),
    };
}

const K8S_VERSION = /^1\.(\d+)(\.\d+)?$/;

const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;

/** Why `name` cannot be an Azure resource group's name, or undefined when it can. Shared with `AksCluster`. */
export function resourceGroupProblem(name: string): string | undefined {
    return RESOURCE_GROUP.test(name) ? undefined : `"${name}" is not a resource group name (1-90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.')`;
}

/** Why a Kubernetes version cannot run Pod Sandboxing, or undefined when it can. Shared with `AksCluster`. */
export function aksPodSandboxingVersionProblem(version: string): ProblemText | undefined {
    const m = K8S_VERSION.exec(version);
    if (!m) return { code: ProblemCode.Malformed, message: `"${version}" is not a Kubernetes version such as "1.35" or "1.35.2"` };
    const minMinor = Number(AKS_POD_SANDBOXING_MIN_VERSION.split(".")[1]);
    if (Number(m[1]) < minMinor) return { code: ProblemCode.Unsupported, message: `${version} is older than ${AKS_POD_SANDBOXING_MIN_VERSION}, the first Kubernetes version AKS runs Pod Sandboxing on` };
    return undefined;
}

function isInteger(n: unknown, min: number): n is number {
    return typeof n === "number" && Number.isInteger(n) && n >= min;
}

/** Problems with extra label and taint keys: Kubernetes syntax, the stamp's keys, AKS's own prefix. */
export function aksLabelTaintProblems(labels: Record<string, string> | undefined, taints: Taint[] | undefined, prefix: string): Problem[] {
    const p = new Problems();
    const aksReserved = (path: string, key: string) => {
        if (key.startsWith(AKS_RESERVED_LABEL_PREFIX)) p.add(ProblemCode.Reserved, path, `key "${key}" is reserved by AKS (${AKS_RESERVED_LABEL_PREFIX}*)`);
    };
    p.addAll(labelProblems("labels", labels));
    for (const key of Object.keys(labels ?? {})) {
        p.addAll(reservedKeyProblems(`labels["${key}"]`, [key], prefix));
        aksReserved(`labels["${key}"]`, key);
    }
    (taints ?? []).forEach((t, i) => {
        const path = `taints[${i}]`;
        if (typeof t.key !== "string" || !isLabelKey(t.key)) p.add(ProblemCode.Malformed, `${path}.key`, `"${t.key}" is not a valid taint key`);
        else {
            p.addAll(reservedKeyProblems(`${path}.key`, [t.key], prefix));
            aksReserved(`${path}.key`, t.key);
        }
        if (typeof t.value !== "string" || !isLabelValue(t.value)) p.add(ProblemCode.Malformed, `${path}.value`, `${JSON.stringify(t.value)} is not a valid taint value`);
        if (!TAINT_EFFECTS.includes(t.effect)) p.add(ProblemCode.NotOneOf, `${path}.effect`, `"${t.effect}" is not one of: ${TAINT_EFFECTS.join(", ")}`);
    });
    for (const d of duplicates((taints ?? []).map((t) => `${t.key}:${t.effect}`))) p.add(ProblemCode.Duplicate, "taints", `taint ${d} is given more than once`);
    return [...p.all];
}

/**
 * Every problem with the arguments of a pool named `name`, with property paths such as
 * `autoscaling.minCount`. Pure: the program calls it to report config errors up front; the
 * constructor throws them all in one error before it creates anything.
 */
export function aksSandboxNodePoolProblems(name: string, args: AksSandboxNodePoolArgs): Problem[] {
    return shapeCheckedProblems("AksSandboxNodePool", args, (a) => valueProblemsOfAksSandboxNodePool(name, a));
}

/** The checks of `aksSandboxNodePoolProblems` on args of the declared shape. */
function valueProblemsOfAksSandboxNodePool(name: string, args: AksSandboxNodePoolArgs): Problem[] {
    const p = new Problems();
    const prefix = args.keyPrefix ?? DEFAULT_KEY_PREFIX;
    for (const k of ["resourceGroupName", "clusterName"] as const) {
        if (args[k] === undefined || args[k] === "") p.add(ProblemCode.Required, k, "is required");
    }
    const resourceGroup = plainString(args.resourceGroupName);
    const badGroup = resourceGroup ? resourceGroupProblem(resourceGroup) : undefined;
    if (badGroup) p.add(ProblemCode.Malformed, "resourceGroupName", badGroup);
    const cluster = plainString(args.clusterName);
    if (cluster) p.addAll(nameProblems(NameKind.AksCluster, "clusterName", cluster));
    if (!isDnsSubdomain(prefix)) p.add(ProblemCode.Malformed, "keyPrefix", `"${prefix}" is not a DNS subdomain`);

    const runtime = args.runtime ?? Runtime.Kata;
    if (!RUNTIMES.includes(runtime)) p.add(ProblemCode.NotOneOf, "runtime", `"${runtime}" is not a runtime; use one of: ${RUNTIMES.join(", ")}`);
    else if (runtimeOnCloudProblem(runtime, Cloud.Azure)) p.add(ProblemCode.Unsupported, "runtime", runtimeOnCloudProblem(runtime, Cloud.Azure)!);

    if (args.agentPoolName !== undefined) p.addAll(nameProblems(NameKind.AksAgentPool, "agentPoolName", args.agentPoolName));

    const vmSize = args.vmSize ?? AKS_DEFAULT_KATA_VM_SIZE;
    const sizeProblem = aksKataVmSizeProblem(vmSize);
    if (sizeProblem) p.add(ProblemCode.Unsupported, "vmSize", sizeProblem);

    if (args.osType !== undefined && args.osType !== "Linux") {
        p.add(ProblemCode.Unsupported, "osType", `AKS Pod Sandboxing runs only on Linux (Azure Linux), not ${args.osType}`);
    }
    if (args.osSku !== undefined) {
        if (!AKS_OS_SKUS.includes(args.osSku)) p.add(ProblemCode.NotOneOf, "osSku", `"${args.osSku}" is not one of: ${AKS_OS_SKUS.join(", ")}`);
        else if (!AKS_KATA_OS_SKUS.includes(args.osSku)) {
            p.add(ProblemCode.Unsupported, "osSku", `AKS Pod Sandboxing runs only on Azure Linux (${AKS_KATA_OS_SKUS.join(" or ")}), not ${args.osSku}`);
        }
    }
    if (args.kubernetesVersion !== undefined) {
        const problem = aksPodSandboxingVersionProblem(args.kubernetesVersion);
        if (problem) p.add(problem.code, "kubernetesVersion", problem.message);
    }

    if (args.nodeCount !== undefined && args.autoscaling !== undefined) p.add(ProblemCode.Conflict, "nodeCount", "Only one of nodeCount and autoscaling is allowed");
    if (args.nodeCount !== undefined && !isInteger(args.nodeCount, 0)) p.add(ProblemCode.OutOfRange, "nodeCount", `${args.nodeCount} is not a whole number of nodes (0 or more)`);
    if (args.autoscaling !== undefined) {
        const { minCount, maxCount } = args.autoscaling;
        const minOk = isInteger(minCount, 0);
        const maxOk = isInteger(maxCount, 1);
        if (!minOk) p.add(ProblemCode.OutOfRange, "autoscaling.minCount", `${minCount} is not a whole number of nodes (0 or more)`);
        if (!maxOk) p.add(ProblemCode.OutOfRange, "autoscaling.maxCount", `${maxCount} is not a whole number of nodes (1 or more)`);
        if (minOk && maxOk && minCount > maxCount) p.add(ProblemCode.OutOfRange, "autoscaling", `minCount (${minCount}) is greater than maxCount (${maxCount})`);
    }

    (args.availabilityZones ?? []).forEach((z, i) => {
        if (!(AZURE_ZONES as readonly string[]).includes(z)) p.add(ProblemCode.Malformed, `availabilityZones[${i}]`, `"${z}" is not an availability zone (${AZURE_ZONES.join(", ")})`);
    });
    if (args.availabilityZones !== undefined && args.availabilityZones.length === 0) {
        p.add(ProblemCode.Required, "availabilityZones", "must name at least one zone; leave it out for a regional pool");
    }
    for (const d of duplicates(args.availabilityZones ?? [])) p.add(ProblemCode.Duplicate, "availabilityZones", `zone "${d}" is listed more than once`);

    if (args.maxPods !== undefined && (!isInteger(args.maxPods, AKS_MAX_PODS_RANGE.min) || args.maxPods > AKS_MAX_PODS_RANGE.max)) {
        p.add(ProblemCode.OutOfRange, "maxPods", `${args.maxPods} is not a whole number of pods from ${AKS_MAX_PODS_RANGE.min} to ${AKS_MAX_PODS_RANGE.max}`);
    }
    if (args.osDiskSizeGB !== undefined && (!isInteger(args.osDiskSizeGB, AKS_OS_DISK_RANGE.min) || args.osDiskSizeGB > AKS_OS_DISK_RANGE.max)) {
        p.add(ProblemCode.OutOfRange, "osDiskSizeGB", `${args.osDiskSizeGB} is not a whole number of GB from ${AKS_OS_DISK_RANGE.min} to ${AKS_OS_DISK_RANGE.max}`);
    }
    if (args.osDiskType !== undefined && !AKS_OS_DISK_TYPES.includes(args.osDiskType)) {
        p.add(ProblemCode.NotOneOf, "osDiskType", `"${args.osDiskType}" is not one of: ${AKS_OS_DISK_TYPES.join(", ")}`);
    }
    if (args.sshAccess !== undefined && !AKS_SSH_ACCESS.includes(args.sshAccess)) {
        p.add(ProblemCode.NotOneOf, "sshAccess", `"${args.sshAccess}" is not one of: ${AKS_SSH_ACCESS.join(", ")}`);
    }
    p.addAll(aksLabelTaintProblems(args.labels, args.taints, prefix));
    return [...p.all];
}
