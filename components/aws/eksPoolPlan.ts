// Arguments of EksSandboxNodePool, their defaults, their validation, and the pool mode they
// lead to. Pure: no Pulumi resources, so the whole decision can be tested without mocks.
import type * as pulumi from "@pulumi/pulumi";
import { Cloud, ConfidentialHost, KataHost, nodeStamp, NodeStamp, reservedKeyProblems, Runtime, RUNTIMES, Taint, TAINT_EFFECTS } from "../isolation";
import { duplicates, InputPropertiesError, isLabelKey, isLabelValue, labelProblems, checkArgShape, plainString, Problem, Problems, serviceCidrProblem, shapeCheckedProblems, thrownProblems } from "../validation";
import { keyPrefixProblems, nodeLabelKeyProblems } from "../kubelet";
import { awsTagProblems } from "./tags";
import {
    Architecture,
    ARCHITECTURES,
    InstanceTypeInfo,
    instanceTypeInfo,
    KVM_EXAMPLES,
    KvmAccess,
    confidentialHosts,
    EC2_NO_CONFIDENTIAL_HOST,
    NODE_ARCHITECTURE,
    noEksNodeReason,
} from "./instanceCatalogue";
import { gvisorInstallProblems, GvisorInstallOptions, GvisorPlatform } from "./gvisorBootstrap";

/** How the pool's nodes are provisioned; chosen from the runtime and the instance types. */
export const EksPoolMode = {
    /** gVisor: managed node group, AL2023 launch template whose user data installs runsc. */
    GvisorManaged: "gvisor-managed",
    /** Kata on bare metal: managed node group with a launch template. */
    KataMetalManaged: "kata-metal-managed",
    /**
     * Kata on nested virtualization: self-managed Auto Scaling group, because managed node
     * groups drop the launch template's `cpuOptions` (aws/containers-roadmap#2784).
     */
    KataNestedSelfManaged: "kata-nested-self-managed",
} as const;
export type EksPoolMode = (typeof EksPoolMode)[keyof typeof EksPoolMode];

/** EC2 purchase option of the pool's instances (the EKS API's spelling). */
export const CapacityType = {
    OnDemand: "ON_DEMAND",
    Spot: "SPOT",
} as const;
export type CapacityType = (typeof CapacityType)[keyof typeof CapacityType];
export const CAPACITY_TYPES: readonly CapacityType[] = Object.values(CapacityType);

/** Instance types used when none are given: the smallest capable type per runtime and architecture. */
export const DEFAULT_INSTANCE_TYPES: Readonly<Record<Runtime, Readonly<Record<Architecture, readonly string[]>>>> = {
    [Runtime.Gvisor]: { [Architecture.X86_64]: ["m7i.large"], [Architecture.Arm64]: ["m7g.large"] },
    [Runtime.Kata]: { [Architecture.X86_64]: ["m8i.large"], [Architecture.Arm64]: ["c7g.metal"] },
};
export const DEFAULT_ARCHITECTURE: Architecture = Architecture.X86_64;
export const DEFAULT_MIN_SIZE = 1;
export const DEFAULT_MAX_SIZE = 3;
export const DEFAULT_DISK_SIZE_GIB = 50;
/** AL2023 needs 20 GiB for its own root file system. */
export const MIN_DISK_SIZE_GIB = 20;
export const DEFAULT_CAPACITY_TYPE: CapacityType = CapacityType.OnDemand;

/**
 * The pool arguments every EKS sandbox pool shares (node groups and Karpenter alike). An
 * interface of its own rather than a `Pick`, so that Pulumi's schema inference (other
 * languages) sees each property's declaration.
 */
export interface EksPoolCommonArgs {
    /** Sandbox runtime of the pool: `gvisor` or `kata`. Required. */
    runtime: Runtime;
    /** CPU architecture: `x86_64` or `arm64` (Kata arm64 only on metal). Default: `x86_64`. */
    architecture?: Architecture;
    /** Root volume size in GiB (gp3, always encrypted). Default: 50. */
    diskSizeGiB?: number;
    /** `ON_DEMAND` or `SPOT`. Default: `ON_DEMAND`. */
    capacityType?: CapacityType;
    /** Extra node labels, beside the sandbox stamp. Keys under the stamp prefix are refused. Default: none. */
    labels?: Record<string, string>;
    /** Extra node taints, beside the sandbox stamp. Keys under the stamp prefix are refused. Default: none. */
    taints?: Taint[];
    /** AWS tags for every resource the pool creates and its instances. Default: none. */
    tags?: Record<string, string>;
    /** Prefix of the stamp's label and taint keys. Default: `sandbox-clusters.io`. */
    keyPrefix?: string;
    /**
     * gVisor installation (runtime `gvisor` only): dated release (never `latest`), https
     * mirror base URL for private or air-gapped mirrors, pinned sha512 digests, runsc flags
     * (platform etc.). Default: the package's pinned release from gVisor's bucket, platform systrap.
     */
    gvisor?: GvisorInstallOptions;
}

export interface EksSandboxNodePoolArgs extends EksPoolCommonArgs {
    /** Name of the EKS cluster the nodes join. Required. */
    clusterName: pulumi.Input<string>;
    /**
     * API server endpoint, CA bundle (base64) and service CIDR of the cluster, written into
     * the user data of self-managed (Kata nested) nodes. Default: looked up from the cluster
     * with `eks.getCluster` when the pool is self-managed; unused by managed node groups.
     */
    clusterEndpoint?: pulumi.Input<string>;
    /** See `clusterEndpoint`. */
    clusterCertificateAuthority?: pulumi.Input<string>;
    /** See `clusterEndpoint`. */
    clusterServiceCidr?: pulumi.Input<string>;
    /**
     * Security groups of self-managed nodes. Default: the cluster security group, looked up
     * from the cluster. Managed node groups always get the cluster security group from EKS.
     */
    securityGroupIds?: pulumi.Input<string>[];
    /** Subnets the nodes run in. Required, at least one. */
    subnetIds: pulumi.Input<string>[];
    /**
     * EC2 instance types. Kata needs types that expose KVM: bare-metal sizes (managed node
     * group) or C8i/M8i/R8i and flex types (nested virtualization, self-managed group); the
     * two kinds cannot be mixed. Default: `DEFAULT_INSTANCE_TYPES[runtime][architecture]`.
     */
    instanceTypes?: string[];
    /** Minimum number of nodes. Default: 1. */
    minSize?: number;
    /** Maximum number of nodes. Default: 3. */
    maxSize?: number;
    /** Desired number of nodes, within [minSize, maxSize]. Default: minSize. */
    desiredSize?: number;
    /**
     * Kubernetes version (`1.34`) of the AL2023 AMI. Default: the cluster's version (managed
     * node groups follow it; self-managed nodes look it up).
     */
    kubernetesVersion?: pulumi.Input<string>;
    /**
     * ARN of an existing IAM role for the nodes. Default: a role is created with the minimal
     * EKS worker policies (AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy,
     * AmazonEC2ContainerRegistryPullOnly).
     */
    nodeRoleArn?: pulumi.Input<string>;
}

/** Validated arguments with every default applied, and the decisions taken from them. */
export interface EksPoolPlan {
    mode: EksPoolMode;
    runtime: Runtime;
    architecture: Architecture;
    instanceTypes: string[];
    minSize: number;
    maxSize: number;
    desiredSize: number;
    diskSizeGiB: number;
    capacityType: CapacityType;
    /** The contract's stamp for this runtime on AWS. */
    stamp: NodeStamp;
    /** Every label the nodes register with: stamp plus extra. */
    labels: Record<string, string>;
    /** Every taint the nodes register with: stamp (startup taints included) plus extra. */
    taints: Taint[];
    tags: Record<string, string>;
}

const KUBERNETES_VERSION = /^1\.\d+$/;

/**
 * Every problem with the arguments, each with its property path (empty when valid). Pure,
 * so the program can report pool problems under its own config keys before creating anything.
 */
export function eksSandboxNodePoolProblems(args: EksSandboxNodePoolArgs): Problem[] {
    try {
        planEksPool("EksSandboxNodePool", args);
        return [];
    } catch (e) {
        if (e instanceof InputPropertiesError) return [...e.problems];
        throw e;
    }
}

/**
 * Validates every argument, collecting all problems with their property paths, and returns
 * the plan; throws one InputPropertiesError naming every bad input otherwise.
 */
export function planEksPool(subject: string, args: EksSandboxNodePoolArgs): EksPoolPlan {
    // Args of the declared shape are checked while planning; others first by their shape.
    if (checkArgShape("EksSandboxNodePool", args).problems.length === 0) return planWellTypedNodeGroupPool(subject, args);
    throw new InputPropertiesError(subject, shapeCheckedProblems("EksSandboxNodePool", args, (a) => thrownProblems(() => planWellTypedNodeGroupPool(subject, a))));
}

function planWellTypedNodeGroupPool(subject: string, args: EksSandboxNodePoolArgs): EksPoolPlan {
    const p = new Problems();
    const architecture = runtimeArchitectureProblems(p, args);
    if (!Array.isArray(args.subnetIds) || args.subnetIds.length === 0) {
        p.add("subnetIds", "at least one subnet is required");
    }
    const capacityType = capacityTypeProblems(p, args);
    const serviceCidr = plainString(args.clusterServiceCidr);
    const badServiceCidr = serviceCidr === undefined ? undefined : serviceCidrProblem(serviceCidr);
    if (badServiceCidr) p.add("clusterServiceCidr", badServiceCidr);
    if (typeof args.kubernetesVersion === "string" && !KUBERNETES_VERSION.test(args.kubernetesVersion)) {
        p.add("kubernetesVersion", `${JSON.stringify(args.kubernetesVersion)} is not a Kubernetes minor version such as "1.34"`);
    }

    const sizes = sizeProblems(p, args);
    const diskSizeGiB = diskSizeProblems(p, args);

    const knownRuntime = RUNTIMES.includes(args.runtime);
    const knownArch = ARCHITECTURES.includes(architecture);
    const instanceTypes =
        args.instanceTypes ?? (knownRuntime && knownArch ? [...DEFAULT_INSTANCE_TYPES[args.runtime][architecture]] : []);
    const mode = knownRuntime && knownArch ? eksInstanceProblems(p, args.runtime, architecture, instanceTypes) : undefined;

    stampExtraProblems(p, args);
    p.addAll(awsTagProblems("tags", args.tags));

    const stampArgsOk = !p.all.some((x) => /^(labels|taints|keyPrefix)\b/.test(x.path));
    if (mode !== undefined && mode !== EksPoolMode.KataNestedSelfManaged && stampArgsOk) {
        managedNodeGroupLimitProblems(p, args, nodeStamp(args.runtime, Cloud.Aws, args.keyPrefix));
    }

    gvisorOptionProblems(p, args, instanceTypes, "managed node groups only have on bare metal");

    p.throwIfAny(subject);
    return { mode: mode!, runtime: args.runtime, architecture, instanceTypes, ...sizes, diskSizeGiB, capacityType, ...stampOf(args) };
}


/** Checks `runtime` and `architecture`; returns the architecture with its default applied. */
export function runtimeArchitectureProblems(p: Problems, args: EksPoolCommonArgs): Architecture {
    if (!RUNTIMES.includes(args.runtime)) {
        p.add("runtime", `${JSON.stringify(args.runtime)} is not one of ${RUNTIMES.join(", ")}`);
    }
    const architecture = args.architecture ?? DEFAULT_ARCHITECTURE;
    if (!ARCHITECTURES.includes(architecture)) {
        p.add("architecture", `${JSON.stringify(architecture)} is not one of ${ARCHITECTURES.join(", ")}`);
    }
    return architecture;
}

/** Checks `capacityType`; returns it with its default applied. */
export function capacityTypeProblems(p: Problems, args: EksPoolCommonArgs): CapacityType {
    const capacityType = args.capacityType ?? DEFAULT_CAPACITY_TYPE;
    if (!CAPACITY_TYPES.includes(capacityType)) {
        p.add("capacityType", `${JSON.stringify(capacityType)} is not one of ${CAPACITY_TYPES.join(", ")}`);
    }
    return capacityType;
}

/** Checks `diskSizeGiB`; returns it with its default applied. */
export function diskSizeProblems(p: Problems, args: EksPoolCommonArgs): number {
    const diskSizeGiB = args.diskSizeGiB ?? DEFAULT_DISK_SIZE_GIB;
    if (!Number.isInteger(diskSizeGiB) || diskSizeGiB < MIN_DISK_SIZE_GIB) {
        p.add("diskSizeGiB", `${diskSizeGiB} is not a whole number of GiB of at least ${MIN_DISK_SIZE_GIB}`);
    }
    return diskSizeGiB;
}

/**
 * Checks `keyPrefix` and extra `labels` and `taints`: Kubernetes syntax, what the kubelet
 * refuses, and no key that forges or breaks the stamp.
 */
export function stampExtraProblems(p: Problems, args: EksPoolCommonArgs): void {
    const prefix = args.keyPrefix;
    if (prefix !== undefined) p.addAll(keyPrefixProblems("keyPrefix", prefix));
    p.addAll(labelProblems("labels", args.labels));
    p.addAll(nodeLabelKeyProblems((k) => `labels["${k}"]`, Object.keys(args.labels ?? {})));
    p.addAll(reservedKeyProblems("labels", Object.keys(args.labels ?? {}), prefix));
    (args.taints ?? []).forEach((t, i) => {
        const path = `taints[${i}]`;
        if (!isLabelKey(t.key)) p.add(`${path}.key`, `"${t.key}" is not a valid taint key`);
        if (!isLabelValue(t.value ?? "")) p.add(`${path}.value`, `${JSON.stringify(t.value)} is not a valid taint value`);
        if (!TAINT_EFFECTS.includes(t.effect)) {
            p.add(`${path}.effect`, `${JSON.stringify(t.effect)} is not one of ${TAINT_EFFECTS.join(", ")}`);
        }
        p.addAll(reservedKeyProblems(`${path}.key`, [t.key], prefix));
    });
}

/**
 * Checks `gvisor` (only for runtime gvisor, valid install options) and that runsc's `kvm`
 * platform only meets bare-metal `instanceTypes` (undefined: the types are not known up front,
 * so kvm cannot be promised); `metalOnly` says why in the pool's terms.
 */
export function gvisorOptionProblems(
    p: Problems,
    args: EksPoolCommonArgs,
    instanceTypes: readonly string[] | undefined,
    metalOnly: string,
): void {
    if (args.gvisor !== undefined && args.runtime !== Runtime.Gvisor) {
        p.add("gvisor", `gVisor options apply only to runtime "gvisor", not ${JSON.stringify(args.runtime)}`);
    } else if (args.runtime === Runtime.Gvisor) {
        p.addAll(gvisorInstallProblems("gvisor", args.gvisor ?? {}));
        if (args.gvisor?.runscFlags?.platform === GvisorPlatform.Kvm) {
            const noKvm = (instanceTypes ?? []).filter((t) => instanceTypeInfo(t) && instanceTypeInfo(t)!.kvm !== KvmAccess.Metal);
            if (noKvm.length > 0 || instanceTypes === undefined) {
                const not = noKvm.length > 0 ? ` (not on ${noKvm.join(", ")})` : "";
                p.add(
                    'gvisor.runscFlags["platform"]',
                    `platform kvm needs /dev/kvm, which ${metalOnly}${not}; use bare-metal types or platform systrap`,
                );
            }
        }
    }
}

/** The stamp, labels, taints and tags of a valid pool (call after its problems were checked). */
export function stampOf(args: EksPoolCommonArgs): Pick<EksPoolPlan, "stamp" | "labels" | "taints" | "tags"> {
    const stamp = nodeStamp(args.runtime, Cloud.Aws, args.keyPrefix);
    return {
        stamp,
        labels: { ...stamp.labels, ...(args.labels ?? {}) },
        taints: [...stamp.taints, ...(args.taints ?? []).map((t) => ({ ...t, value: t.value ?? "" }))],
        tags: { ...(args.tags ?? {}) },
    };
}

/**
 * What a Kata pool's nodes offer Kata's shims (architecture, devmapper, confidential hosts),
 * for `SandboxRuntimes`' `kata.hosts`; undefined for gVisor pools. `name` names the pool in
 * messages. Pure: derived from the args and the instance catalogue, defaults applied.
 */
export function eksKataHost(name: string, args: Pick<EksSandboxNodePoolArgs, "runtime" | "architecture" | "instanceTypes">): KataHost | undefined {
    if (args.runtime !== Runtime.Kata) return undefined;
    const architecture = args.architecture ?? DEFAULT_ARCHITECTURE;
    if (!ARCHITECTURES.includes(architecture)) return undefined;
    const types = args.instanceTypes ?? [...DEFAULT_INSTANCE_TYPES[Runtime.Kata][architecture]];
    const infos = types.map(instanceTypeInfo).filter((i): i is InstanceTypeInfo => i !== undefined);
    // A pool is a host only for what every one of its instance types offers.
    const hosts = (Object.values(ConfidentialHost) as ConfidentialHost[]).filter((h) => infos.length > 0 && infos.every((i) => confidentialHosts(i).includes(h)));
    return {
        name: `${name} (${types.join(", ")})`,
        architecture: NODE_ARCHITECTURE[architecture],
        devmapper: false,
        confidentialHosts: hosts,
        noConfidentialHostReason: hosts.length === 0 ? EC2_NO_CONFIDENTIAL_HOST : undefined,
    };
}

/** The EKS API's own limits on a managed node group's labels and taints (CreateNodegroup, Taint). */
export const EKS_MANAGED_LABEL_LIMIT = { keyLength: 63, valueLength: 63 } as const;
export const EKS_MANAGED_TAINT_LIMIT = { count: 50, keyLength: 63 } as const;

/**
 * Managed node groups take labels and taints through the EKS API, which is stricter than
 * Kubernetes: whole keys (prefix included) of at most 63 characters, no empty label values,
 * at most 50 taints. Self-managed nodes pass them to the kubelet and only need Kubernetes' rules.
 */
function managedNodeGroupLimitProblems(p: Problems, args: EksSandboxNodePoolArgs, stamp: NodeStamp): void {
    const where = `EKS managed node groups take`;
    for (const key of Object.keys(stamp.labels)) {
        if (key.length > EKS_MANAGED_LABEL_LIMIT.keyLength) {
            p.add("keyPrefix", `makes the stamp label "${key}" ${key.length} characters; ${where} label keys of at most ${EKS_MANAGED_LABEL_LIMIT.keyLength}, prefix included`);
        }
    }
    for (const [key, value] of Object.entries(args.labels ?? {})) {
        if (key.length > EKS_MANAGED_LABEL_LIMIT.keyLength) {
            p.add(`labels["${key}"]`, `key is ${key.length} characters; ${where} label keys of at most ${EKS_MANAGED_LABEL_LIMIT.keyLength}, prefix included`);
        }
        if (value === "") p.add(`labels["${key}"]`, `${where} no empty label values; give it a value`);
    }
    (args.taints ?? []).forEach((t, i) => {
        if (t.key.length > EKS_MANAGED_TAINT_LIMIT.keyLength) {
            p.add(`taints[${i}].key`, `is ${t.key.length} characters; ${where} taint keys of at most ${EKS_MANAGED_TAINT_LIMIT.keyLength}, prefix included`);
        }
    });
    const count = stamp.taints.length + (args.taints ?? []).length;
    if (count > EKS_MANAGED_TAINT_LIMIT.count) {
        p.add("taints", `${count} taints with the stamp's ${stamp.taints.length}; ${where} at most ${EKS_MANAGED_TAINT_LIMIT.count}`);
    }
}

function sizeProblems(p: Problems, args: EksSandboxNodePoolArgs): { minSize: number; maxSize: number; desiredSize: number } {
    const minSize = args.minSize ?? DEFAULT_MIN_SIZE;
    const maxSize = args.maxSize ?? Math.max(DEFAULT_MAX_SIZE, minSize);
    const desiredSize = args.desiredSize ?? minSize;
    const sizes = { minSize, maxSize, desiredSize };
    for (const [key, value] of Object.entries(sizes)) {
        if (!Number.isInteger(value) || value < 0) p.add(key, `${value} is not a whole number of nodes`);
    }
    if (maxSize < 1) p.add("maxSize", `maxSize must be at least 1, got ${maxSize}`);
    if (minSize > maxSize) p.add("minSize", `minSize (${minSize}) is greater than maxSize (${maxSize})`);
    else if (desiredSize < minSize || desiredSize > maxSize) {
        p.add("desiredSize", `desiredSize (${desiredSize}) is outside [minSize, maxSize] = [${minSize}, ${maxSize}]`);
    }
    return sizes;
}

/** Checks the instance types against the runtime and architecture; returns the node group mode. */
export function eksInstanceProblems(p: Problems, runtime: Runtime, arch: Architecture, types: readonly string[]): EksPoolMode {
    if (types.length === 0) p.add("instanceTypes", "at least one instance type is required");
    for (const dup of duplicates(types)) p.add("instanceTypes", `"${dup}" is listed more than once`);
    const infos: InstanceTypeInfo[] = [];
    types.forEach((t, i) => {
        const path = `instanceTypes[${i}]`;
        const info = instanceTypeInfo(t);
        if (!info) {
            p.add(path, `"${t}" is not an EC2 instance type (<family>.<size>)`);
            return;
        }
        const noNode = noEksNodeReason(info);
        if (noNode) {
            p.add(path, noNode);
            return;
        }
        infos.push(info);
        if (info.architecture !== arch) {
            p.add(path, `${t} is ${info.architecture} but the pool's architecture is ${arch}`);
        } else if (runtime === Runtime.Kata && info.kvm === KvmAccess.None) {
            p.add(path, `${t} does not expose KVM, which Kata needs; use ${KVM_EXAMPLES[arch]}`);
        }
    });
    if (runtime === Runtime.Gvisor) return EksPoolMode.GvisorManaged;
    const metal = infos.filter((i) => i.kvm === KvmAccess.Metal).map((i) => i.instanceType);
    const nested = infos.filter((i) => i.kvm === KvmAccess.Nested).map((i) => i.instanceType);
    if (metal.length > 0 && nested.length > 0) {
        p.add(
            "instanceTypes",
            `mixes bare-metal (${metal.join(", ")}) and nested-virtualization (${nested.join(", ")}) types; ` +
                "a Kata pool is one or the other (managed node group vs self-managed Auto Scaling group)",
        );
    }
    return nested.length > 0 ? EksPoolMode.KataNestedSelfManaged : EksPoolMode.KataMetalManaged;
}
