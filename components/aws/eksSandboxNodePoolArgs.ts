// Arguments of EksSandboxNodePool, their defaults, their validation, and the pool mode they
// lead to. Pure: no Pulumi resources, so the whole decision can be tested without mocks. The
// arguments it shares with EksSandboxKarpenterPool are in eksPoolArgs.ts.
import type * as pulumi from "@pulumi/pulumi";
import { Cloud, nodeStamp, NodeStamp, Runtime, RUNTIMES } from "../isolation";
import { ConfidentialHost, KataHost } from "../kataShims";
import { InputPropertiesError, K8S_MINOR, checkArgShape, plainString, Problem, Problems, serviceCidrProblem, shapeCheckedProblems, thrownProblems, ProblemCode } from "../validation";
import { awsTagProblems } from "./tags";
import { eksClusterNameProblems, subnetIdProblems } from "./clusterRef";
import { Architecture, ARCHITECTURES, InstanceTypeInfo, instanceTypeInfo, confidentialHosts, EC2_NO_CONFIDENTIAL_HOST, NODE_ARCHITECTURE } from "./instanceCatalogue";
import {
    capacityTypeProblems,
    CapacityType,
    DEFAULT_ARCHITECTURE,
    diskSizeProblems,
    EksPoolCommonArgs,
    eksInstanceProblems,
    EksPoolMode,
    EksPoolStamp,
    gvisorOptionProblems,
    runtimeArchitectureProblems,
    stampExtraProblems,
    stampOf,
} from "./eksPoolArgs";

/** Instance types used when none are given: the smallest capable type per runtime and architecture. */
export const DEFAULT_INSTANCE_TYPES: Readonly<Record<Runtime, Readonly<Record<Architecture, readonly string[]>>>> = {
    [Runtime.Gvisor]: { [Architecture.X86_64]: ["m7i.large"], [Architecture.Arm64]: ["m7g.large"] },
    [Runtime.Kata]: { [Architecture.X86_64]: ["m8i.large"], [Architecture.Arm64]: ["c7g.metal"] },
};
export const DEFAULT_MIN_SIZE = 1;
export const DEFAULT_MAX_SIZE = 3;

/** Arguments of `EksSandboxNodePool`: the pool args every EKS sandbox pool takes, and the node group's. */
export interface EksSandboxNodePoolArgs extends EksPoolCommonArgs {
    /** Name of the EKS cluster the nodes join. Required. */
    clusterName: pulumi.Input<string>;
    /**
     * API server endpoint, CA bundle (base64) and service CIDR of the cluster, written into
     * the user data of self-managed (Kata nested) nodes. Default: looked up from the cluster
     * with `eks.getCluster` when the pool is self-managed; unused by managed node groups.
     */
    clusterEndpoint?: pulumi.Input<string>;
    /** Base64 CA bundle of the cluster, for self-managed nodes. Default: looked up, as `clusterEndpoint`. */
    clusterCertificateAuthority?: pulumi.Input<string>;
    /** Service CIDR of the cluster (IPv4 or IPv6), for self-managed nodes. Default: looked up, as `clusterEndpoint`. */
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
export interface EksPoolPlan extends EksPoolStamp {
    mode: EksPoolMode;
    runtime: Runtime;
    architecture: Architecture;
    instanceTypes: string[];
    minSize: number;
    maxSize: number;
    desiredSize: number;
    diskSizeGiB: number;
    capacityType: CapacityType;
}


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
        p.add(ProblemCode.Required, "subnetIds", "at least one subnet is required");
    }
    p.addAll(subnetIdProblems("subnetIds", args.subnetIds));
    p.addAll(eksClusterNameProblems("clusterName", args.clusterName));
    const capacityType = capacityTypeProblems(p, args);
    const serviceCidr = plainString(args.clusterServiceCidr);
    const badServiceCidr = serviceCidr === undefined ? undefined : serviceCidrProblem(serviceCidr);
    if (badServiceCidr) p.add(ProblemCode.Malformed, "clusterServiceCidr", badServiceCidr);
    if (typeof args.kubernetesVersion === "string" && !K8S_MINOR.test(args.kubernetesVersion)) {
        p.add(ProblemCode.Malformed, "kubernetesVersion", `${JSON.stringify(args.kubernetesVersion)} is not a Kubernetes minor version such as "1.34"`);
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
            p.add(ProblemCode.Unsupported, "keyPrefix", `makes the stamp label "${key}" ${key.length} characters; ${where} label keys of at most ${EKS_MANAGED_LABEL_LIMIT.keyLength}, prefix included`);
        }
    }
    for (const [key, value] of Object.entries(args.labels ?? {})) {
        if (key.length > EKS_MANAGED_LABEL_LIMIT.keyLength) {
            p.add(ProblemCode.Unsupported, `labels["${key}"]`, `key is ${key.length} characters; ${where} label keys of at most ${EKS_MANAGED_LABEL_LIMIT.keyLength}, prefix included`);
        }
        if (value === "") p.add(ProblemCode.Unsupported, `labels["${key}"]`, `${where} no empty label values; give it a value`);
    }
    (args.taints ?? []).forEach((t, i) => {
        if (t.key.length > EKS_MANAGED_TAINT_LIMIT.keyLength) {
            p.add(ProblemCode.Unsupported, `taints[${i}].key`, `is ${t.key.length} characters; ${where} taint keys of at most ${EKS_MANAGED_TAINT_LIMIT.keyLength}, prefix included`);
        }
    });
    const count = stamp.taints.length + (args.taints ?? []).length;
    if (count > EKS_MANAGED_TAINT_LIMIT.count) {
        p.add(ProblemCode.OutOfRange, "taints", `${count} taints with the stamp's ${stamp.taints.length}; ${where} at most ${EKS_MANAGED_TAINT_LIMIT.count}`);
    }
}

function sizeProblems(p: Problems, args: EksSandboxNodePoolArgs): { minSize: number; maxSize: number; desiredSize: number } {
    const minSize = args.minSize ?? DEFAULT_MIN_SIZE;
    const maxSize = args.maxSize ?? Math.max(DEFAULT_MAX_SIZE, minSize);
    const desiredSize = args.desiredSize ?? minSize;
    const sizes = { minSize, maxSize, desiredSize };
    for (const [key, value] of Object.entries(sizes)) {
        if (!Number.isInteger(value) || value < 0) p.add(ProblemCode.OutOfRange, key, `${value} is not a whole number of nodes`);
    }
    if (maxSize < 1) p.add(ProblemCode.OutOfRange, "maxSize", `maxSize must be at least 1, got ${maxSize}`);
    if (minSize > maxSize) p.add(ProblemCode.OutOfRange, "minSize", `minSize (${minSize}) is greater than maxSize (${maxSize})`);
    else if (desiredSize < minSize || desiredSize > maxSize) {
        p.add(ProblemCode.OutOfRange, "desiredSize", `desiredSize (${desiredSize}) is outside [minSize, maxSize] = [${minSize}, ${maxSize}]`);
    }
    return sizes;
}
