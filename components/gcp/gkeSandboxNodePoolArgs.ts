// Arguments of `GkeSandboxNodePool`, their defaults and their validation. Pure: the program
// calls `gkeSandboxNodePoolProblems` to validate stack config before it creates anything.
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
} from "../isolation";
import { reservedKeyProblems } from "../kubelet";
import { ConfidentialHost, KataHost, NodeArchitecture } from "../kataShims";
import { GCP_PROJECT_ID, Problem, Problems, duplicates, isLabelKey, isLabelValue, labelProblems, plainString, shapeCheckedProblems, ProblemCode } from "../validation";

import { keyPrefixProblems, nodeLabelKeyProblems } from "../kubelet";
import { NAME_RULES, NameKind, nameProblems, physicalName } from "../names";
import {
    GCE_CONFIDENTIAL_HOST_SERIES,
    GCE_NO_CONFIDENTIAL_HOST,
    gceKataMachineProblem,
    gceMachineSeries,
    gceMachineSeriesName,
    gkeSandboxMachineProblem,
} from "./machines";
import { GKE_DISK_TYPES, GKE_IMAGE_TYPES, GkeDiskType, GkeImageType } from "./nodeConfig";

/** A node pool version GKE takes: a minor, a patch or a full GKE version. */
const GKE_NODE_VERSION = /^1\.\d+(\.\d+(-gke\.\d+)?)?$/;

/** Machine type of gVisor pools: the smallest general-purpose type with room for sandboxed pods. */
export const GKE_DEFAULT_GVISOR_MACHINE_TYPE = "e2-standard-2";
/** Machine type of Kata pools: Intel with nested virtualization, room for a few pod VMs. */
export const GKE_DEFAULT_KATA_MACHINE_TYPE = "n2-standard-4";
/** Fixed pool size (nodes per zone) when neither `nodeCount` nor `autoscaling` is given. */
export const GKE_DEFAULT_NODE_COUNT = 1;
/** GKE's own default boot disk size. */
export const GKE_DEFAULT_DISK_SIZE_GB = 100;
/** Smallest boot disk GKE accepts. */
export const GKE_MIN_DISK_SIZE_GB = 10;
/**
 * Initial nodes per zone of an autoscaled pool. A constant, not `minNodeCount`: the field
 * forces replacement of the pool when it changes.
 */
export const GKE_AUTOSCALING_INITIAL_NODE_COUNT = 1;
/** Surge upgrades one node at a time and never take a node away before its replacement runs. */
export const GKE_DEFAULT_UPGRADE_SETTINGS = { maxSurge: 1, maxUnavailable: 0 } as const;
/** Longest node pool name GKE accepts. */
export const GKE_MAX_NODE_POOL_NAME_LENGTH = NAME_RULES[NameKind.GkeNodePool].max;

/**
 * IAM roles of the node service account the component creates. Source: GKE "Configure node
 * service accounts" and the hardening guide (2026): `container.defaultNodeServiceAccount` is
 * the least-privilege role for nodes (log and metric writing, monitoring reads, resource
 * metadata, autoscaling metrics; it supersedes granting logging.logWriter,
 * monitoring.metricWriter, monitoring.viewer and stackdriver.resourceMetadata.writer one by
 * one, and GKE flags node accounts that lack any of its permissions); Artifact Registry
 * read access lets nodes pull images from the project's registries.
 */
export const GKE_NODE_SERVICE_ACCOUNT_ROLES: readonly string[] = ["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"];

/**
 * The per-role list older guides and CIS GKE benchmark checks name. Pass it as
 * `serviceAccountRoles` where a scanner looks for these bindings; it grants more than
 * `GKE_NODE_SERVICE_ACCOUNT_ROLES` (monitoring.viewer reads all of the project's monitoring
 * data) and lacks the autoscaling metrics permission.
 */
export const GKE_LEGACY_NODE_SERVICE_ACCOUNT_ROLES: readonly string[] = [
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
    "roles/artifactregistry.reader",
];

/** How a GKE pool sandboxes its pods. */
export const GkePoolMode = {
    /** GKE Sandbox: GKE installs gVisor and stamps the nodes itself. */
    GkeSandbox: "gke-sandbox",
    /** Kata Containers VMs inside nodes with nested virtualization. */
    NestedVirtualization: "nested-virtualization",
} as const;
/** One of the values of `GkePoolMode`. */
export type GkePoolMode = (typeof GkePoolMode)[keyof typeof GkePoolMode];

/** Cluster autoscaler limits of a GKE pool, per zone. */
export interface GkeAutoscaling {
    /** Fewest nodes per zone; at least 0. */
    minNodeCount: number;
    /** Most nodes per zone; at least 1 and at least `minNodeCount`. */
    maxNodeCount: number;
}

/** Surge upgrade settings of a GKE pool. */
export interface GkeUpgradeSettings {
    /** Extra nodes GKE may add during an upgrade. Default 1. */
    maxSurge?: number;
    /** Nodes that may be unavailable at once during an upgrade. Default 0. */
    maxUnavailable?: number;
}

/** Arguments of `GkeSandboxNodePool`. */
export interface GkeSandboxNodePoolArgs {
    /** The GKE Standard cluster to join: its name or `projects/P/locations/L/clusters/C`. Required. */
    cluster: pulumi.Input<string>;
    /** Region or zone of the cluster. Required. */
    location: pulumi.Input<string>;
    /** Project of the cluster; the created node service account and its roles live here too. Required. */
    project: pulumi.Input<string>;
    /** Sandbox runtime of the pool's nodes. Required. */
    runtime: Runtime;
    /**
     * Compute Engine machine type. Kata needs a series with nested virtualization (Intel:
     * N1, N2, N4, C2, C3, C4). Default `e2-standard-2` for gVisor, `n2-standard-4` for Kata.
     */
    machineType?: string;
    /** Fixed number of nodes per zone. Conflicts with `autoscaling`. Default 1 when neither is given. */
    nodeCount?: number;
    /** Cluster-autoscaler limits per zone. Conflicts with `nodeCount`. Default: none (fixed size). */
    autoscaling?: GkeAutoscaling;
    /** Zones of the pool's nodes, within the cluster's region. Default: the cluster's zones. */
    nodeLocations?: string[];
    /** Boot disk size in GB, at least 10. Default 100. */
    diskSizeGb?: number;
    /** Boot disk type. Default `pd-balanced`, or `hyperdisk-balanced` on Hyperdisk-only series. */
    diskType?: GkeDiskType;
    /**
     * Node image. gVisor runs only on `COS_CONTAINERD`; Kata only on `UBUNTU_CONTAINERD`.
     * Default: the one the runtime needs.
     */
    imageType?: GkeImageType;
    /** Spot VMs: cheaper, preemptible at any time. Default false. */
    spot?: boolean;
    /** Threads per physical core: 1 turns SMT off, 0 keeps the processor's default. Default 0. */
    threadsPerCore?: number;
    /**
     * Email of an existing service account for the nodes. Default: a new least-privilege
     * account (see `GKE_NODE_SERVICE_ACCOUNT_ROLES`) in `project`.
     */
    serviceAccountEmail?: pulumi.Input<string>;
    /**
     * Account id of the service account the component creates (6-30 characters). Conflicts
     * with `serviceAccountEmail`. Default: `<component name>-nodes`, shortened with a hash
     * when it does not fit (see `gkeDefaultServiceAccountId`).
     */
    serviceAccountId?: string;
    /**
     * Project IAM roles of the service account the component creates. Conflicts with
     * `serviceAccountEmail`. Default `GKE_NODE_SERVICE_ACCOUNT_ROLES`.
     */
    serviceAccountRoles?: string[];
    /**
     * Extra node labels. Keys under `sandbox.gke.io/` or the isolation key prefix are rejected.
     * Those that are valid Compute Engine labels also label the VMs. Default none.
     */
    labels?: Record<string, string>;
    /** Extra node taints, with the same key rules as `labels`. Default none. */
    taints?: Taint[];
    /** Surge upgrade settings. Default `{ maxSurge: 1, maxUnavailable: 0 }`. */
    upgradeSettings?: GkeUpgradeSettings;
    /**
     * Kubernetes version of the nodes. Default: the control plane's version at creation.
     * Auto-upgrade stays on, so a pinned version that falls behind shows as drift.
     */
    version?: pulumi.Input<string>;
    /**
     * Name of the node pool in GKE: a lowercase letter, then at most 39 lowercase letters,
     * digits and '-'. Default: Pulumi's auto-name of `<component name>-pool` (shortened with a
     * hash when it would not fit).
     */
    nodePoolName?: string;
    /** Prefix of the isolation label and taint keys. Default `sandbox-clusters.io`. */
    keyPrefix?: string;
}

/** Arguments with every default applied, as the component uses them. */
export interface ResolvedGkeSandboxNodePoolArgs {
    runtime: Runtime;
    mode: GkePoolMode;
    stamp: NodeStamp;
    machineType: string;
    imageType: GkeImageType;
    diskSizeGb: number;
    diskType: GkeDiskType;
    spot: boolean;
    threadsPerCore: number;
    /** Set for Kata on series that can land on hosts without nested virtualization. */
    minCpuPlatform?: string;
    /** Undefined when the pool brings its own service account. */
    serviceAccountId?: string;
    /** Roles of the created service account; empty when the pool brings its own. */
    serviceAccountRoles: readonly string[];
    labels: Record<string, string>;
    taints: Taint[];
    /** Exactly one of `nodeCount` and `autoscaling` is set. */
    nodeCount?: number;
    autoscaling?: GkeAutoscaling;
    upgradeSettings: Required<GkeUpgradeSettings>;
}

/** Applies the defaults; call on arguments `gkeSandboxNodePoolProblems` found no problem with. */
export function resolveGkeSandboxNodePoolArgs(name: string, args: GkeSandboxNodePoolArgs): ResolvedGkeSandboxNodePoolArgs {
    const runtime = args.runtime;
    const kata = runtime === Runtime.Kata;
    const machineType = defaultMachineType(args);
    const series = gceMachineSeries(machineType);
    return {
        runtime,
        mode: kata ? GkePoolMode.NestedVirtualization : GkePoolMode.GkeSandbox,
        stamp: nodeStamp(runtime, Cloud.Gcp, args.keyPrefix ?? DEFAULT_KEY_PREFIX),
        machineType,
        imageType: args.imageType ?? (kata ? GkeImageType.UbuntuContainerd : GkeImageType.CosContainerd),
        diskSizeGb: args.diskSizeGb ?? GKE_DEFAULT_DISK_SIZE_GB,
        diskType: args.diskType ?? (series?.persistentDisk === false ? GkeDiskType.HyperdiskBalanced : GkeDiskType.PdBalanced),
        spot: args.spot ?? false,
        threadsPerCore: args.threadsPerCore ?? 0,
        minCpuPlatform: kata ? series?.kataMinCpuPlatform : undefined,
        serviceAccountId: args.serviceAccountEmail === undefined ? args.serviceAccountId ?? gkeDefaultServiceAccountId(name) : undefined,
        serviceAccountRoles: args.serviceAccountEmail === undefined ? args.serviceAccountRoles ?? GKE_NODE_SERVICE_ACCOUNT_ROLES : [],
        labels: args.labels ?? {},
        taints: args.taints ?? [],
        ...(args.autoscaling !== undefined
            ? { autoscaling: { minNodeCount: args.autoscaling.minNodeCount, maxNodeCount: args.autoscaling.maxNodeCount } }
            : { nodeCount: args.nodeCount ?? GKE_DEFAULT_NODE_COUNT }),
        upgradeSettings: {
            maxSurge: args.upgradeSettings?.maxSurge ?? GKE_DEFAULT_UPGRADE_SETTINGS.maxSurge,
            maxUnavailable: args.upgradeSettings?.maxUnavailable ?? GKE_DEFAULT_UPGRADE_SETTINGS.maxUnavailable,
        },
    };
}

/**
 * What a Kata pool's nodes offer Kata's shims, for `SandboxRuntimes`' `kata.hosts`; undefined
 * for gVisor pools. Kata on GKE runs on Intel series only (nested virtualization), so amd64.
 */
export function gkeKataHost(name: string, args: Pick<GkeSandboxNodePoolArgs, "runtime" | "machineType">): KataHost | undefined {
    if (args.runtime !== Runtime.Kata) return undefined;
    const machineType = defaultMachineType(args);
    const series = gceMachineSeriesName(machineType) ?? "";
    const hosts = (Object.values(ConfidentialHost) as ConfidentialHost[]).filter((h) => GCE_CONFIDENTIAL_HOST_SERIES[h].includes(series));
    return {
        name: `${name} (${machineType})`,
        architecture: NodeArchitecture.Amd64,
        devmapper: false,
        confidentialHosts: hosts,
        noConfidentialHostReason: hosts.length === 0 ? GCE_NO_CONFIDENTIAL_HOST : undefined,
    };
}

function defaultMachineType(args: Pick<GkeSandboxNodePoolArgs, "runtime" | "machineType">): string {
    return args.machineType ?? (args.runtime === Runtime.Kata ? GKE_DEFAULT_KATA_MACHINE_TYPE : GKE_DEFAULT_GVISOR_MACHINE_TYPE);
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const COMPUTE_DEFAULT_ACCOUNT = /^[0-9]+-compute@developer\.gserviceaccount\.com$/;
const IAM_ROLE = /^(roles|projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/roles|organizations\/[0-9]+\/roles)\/[A-Za-z0-9_.]+$/;
/**
 * The ID of the service account created for pool component `name`: `<name>-nodes` when that
 * is a valid account ID, else sanitised and shortened with a hash of `name` (names.ts), so
 * that different pools never share an account.
 */
export function gkeDefaultServiceAccountId(name: string): string {
    return physicalName(NameKind.GcpServiceAccountId, `${name}-nodes`, name);
}

function isInteger(n: unknown, min: number): n is number {
    return typeof n === "number" && Number.isInteger(n) && n >= min;
}

function checkNonEmpty(problems: Problems, path: string, value: pulumi.Input<string> | undefined): void {
    if (value === undefined || value === "") problems.add(ProblemCode.Required, path, "is required");
}

/**
 * Every problem with the arguments of a pool named `name`, with property paths such as
 * `autoscaling.minNodeCount`. Pure: the program calls it to report config errors up front;
 * the constructor throws them all in one error before it creates anything.
 */
export function gkeSandboxNodePoolProblems(name: string, args: GkeSandboxNodePoolArgs): Problem[] {
    return shapeCheckedProblems("GkeSandboxNodePool", args, (a) => valueProblemsOfGkeSandboxNodePool(name, a));
}

/** The checks of `gkeSandboxNodePoolProblems` on args of the declared shape. */
function valueProblemsOfGkeSandboxNodePool(name: string, args: GkeSandboxNodePoolArgs): Problem[] {
    const p = new Problems();
    const prefix = args.keyPrefix ?? DEFAULT_KEY_PREFIX;
    checkNonEmpty(p, "cluster", args.cluster);
    checkNonEmpty(p, "location", args.location);
    checkNonEmpty(p, "project", args.project);
    clusterRefProblems(p, args.cluster);
    const location = plainString(args.location);
    const badLocation = location ? gcpLocationProblem(location) : undefined;
    if (badLocation) p.add(ProblemCode.Malformed, "location", badLocation);
    const project = plainString(args.project);
    if (project && !GCP_PROJECT_ID.test(project)) p.add(ProblemCode.Malformed, "project", `"${project}" is not a Google Cloud project ID (6-30 lowercase letters, digits and '-', a letter first)`);
    const version = plainString(args.version);
    if (version !== undefined && !GKE_NODE_VERSION.test(version)) p.add(ProblemCode.Malformed, "version", `"${version}" is not a GKE node version such as "1.35" or "1.35.1-gke.1396000"`);
    if (args.keyPrefix !== undefined) p.addAll(keyPrefixProblems("keyPrefix", args.keyPrefix));

    if (!RUNTIMES.includes(args.runtime)) p.add(ProblemCode.NotOneOf, "runtime", `"${args.runtime}" is not a runtime; use one of: ${RUNTIMES.join(", ")}`);

    const machineType = defaultMachineType(args);
    if (args.runtime === Runtime.Kata) {
        const problem = gceKataMachineProblem(machineType);
        if (problem) p.add(ProblemCode.Unsupported, "machineType", problem);
    } else {
        const problem = gkeSandboxMachineProblem(machineType);
        if (problem) p.add(ProblemCode.Unsupported, "machineType", problem);
    }

    if (args.imageType !== undefined) {
        if (!GKE_IMAGE_TYPES.includes(args.imageType)) {
            p.add(ProblemCode.NotOneOf, "imageType", `"${args.imageType}" is not one of: ${GKE_IMAGE_TYPES.join(", ")}`);
        } else if (args.runtime === Runtime.Gvisor && args.imageType !== GkeImageType.CosContainerd) {
            p.add(ProblemCode.Unsupported, "imageType", `GKE Sandbox (gVisor) runs only on ${GkeImageType.CosContainerd}, not ${args.imageType}`);
        } else if (args.runtime === Runtime.Kata && args.imageType !== GkeImageType.UbuntuContainerd) {
            p.add(ProblemCode.Unsupported, "imageType", `kata-deploy installs Kata only on ${GkeImageType.UbuntuContainerd}, not ${args.imageType}`);
        }
    }

    if (args.nodeCount !== undefined && args.autoscaling !== undefined) {
        p.add(ProblemCode.Conflict, "nodeCount", "Only one of nodeCount and autoscaling is allowed");
    }
    if (args.nodeCount !== undefined && !isInteger(args.nodeCount, 0)) {
        p.add(ProblemCode.OutOfRange, "nodeCount", `${args.nodeCount} is not a whole number of nodes (0 or more)`);
    }
    if (args.autoscaling !== undefined) {
        const { minNodeCount, maxNodeCount } = args.autoscaling;
        const minOk = isInteger(minNodeCount, 0);
        const maxOk = isInteger(maxNodeCount, 1);
        if (!minOk) p.add(ProblemCode.OutOfRange, "autoscaling.minNodeCount", `${minNodeCount} is not a whole number of nodes (0 or more)`);
        if (!maxOk) p.add(ProblemCode.OutOfRange, "autoscaling.maxNodeCount", `${maxNodeCount} is not a whole number of nodes (1 or more)`);
        if (minOk && maxOk && minNodeCount > maxNodeCount) {
            p.add(ProblemCode.OutOfRange, "autoscaling", `autoscaling.minNodeCount (${minNodeCount}) is greater than autoscaling.maxNodeCount (${maxNodeCount})`, ["autoscaling.minNodeCount", "autoscaling.maxNodeCount"]);
        }
    }

    if (args.nodeLocations !== undefined) nodeLocationProblems(p, args.nodeLocations, args.location);

    if (args.diskSizeGb !== undefined && !isInteger(args.diskSizeGb, GKE_MIN_DISK_SIZE_GB)) {
        p.add(ProblemCode.OutOfRange, "diskSizeGb", `${args.diskSizeGb} is not a whole number of GB (${GKE_MIN_DISK_SIZE_GB} or more)`);
    }
    if (args.diskType !== undefined) {
        if (!GKE_DISK_TYPES.includes(args.diskType)) {
            p.add(ProblemCode.NotOneOf, "diskType", `"${args.diskType}" is not one of: ${GKE_DISK_TYPES.join(", ")}`);
        } else if (args.diskType.startsWith("pd-") && gceMachineSeries(machineType)?.persistentDisk === false) {
            p.add(ProblemCode.Unsupported, "diskType", `${gceMachineSeriesName(machineType)?.toUpperCase()} machines boot only from Hyperdisk; use ${GkeDiskType.HyperdiskBalanced}`);
        }
    }
    if (args.threadsPerCore !== undefined && ![0, 1, 2].includes(args.threadsPerCore)) {
        p.add(ProblemCode.NotOneOf, "threadsPerCore", `${args.threadsPerCore} is not 0 (processor default), 1 or 2`);
    }

    if (typeof args.serviceAccountEmail === "string") {
        if (COMPUTE_DEFAULT_ACCOUNT.test(args.serviceAccountEmail)) {
            p.add(
                ProblemCode.Unsupported,
                "serviceAccountEmail",
                `"${args.serviceAccountEmail}" is the Compute Engine default service account, whose broad project access every node would hold; use a dedicated account or leave it out to have one created`,
            );
        } else if (!EMAIL.test(args.serviceAccountEmail)) {
            p.add(ProblemCode.Malformed, "serviceAccountEmail", `"${args.serviceAccountEmail}" is not a service account email`);
        }
    }
    if (args.serviceAccountEmail !== undefined && args.serviceAccountId !== undefined) {
        p.add(ProblemCode.Conflict, "serviceAccountId", "Only one of serviceAccountEmail and serviceAccountId is allowed");
    }
    if (args.serviceAccountEmail !== undefined && args.serviceAccountRoles !== undefined) {
        p.add(ProblemCode.Conflict, "serviceAccountRoles", "Only one of serviceAccountEmail and serviceAccountRoles is allowed");
    }
    (args.serviceAccountRoles ?? []).forEach((role, i) => {
        if (!IAM_ROLE.test(role)) p.add(ProblemCode.Malformed, `serviceAccountRoles[${i}]`, `"${role}" is not an IAM role name such as roles/logging.logWriter`);
    });
    for (const d of duplicates(args.serviceAccountRoles ?? [])) p.add(ProblemCode.Duplicate, "serviceAccountRoles", `role "${d}" is listed more than once`);
    if (args.serviceAccountEmail === undefined && args.serviceAccountId !== undefined) {
        p.addAll(nameProblems(NameKind.GcpServiceAccountId, "serviceAccountId", args.serviceAccountId));
    }

    p.addAll(labelProblems("labels", args.labels));
    for (const key of Object.keys(args.labels ?? {})) p.addAll(reservedKeyProblems(`labels["${key}"]`, [key], prefix));
    p.addAll(nodeLabelKeyProblems((k) => `labels["${k}"]`, Object.keys(args.labels ?? {})));
    (args.taints ?? []).forEach((t, i) => {
        const path = `taints[${i}]`;
        if (typeof t.key !== "string" || !isLabelKey(t.key)) p.add(ProblemCode.Malformed, `${path}.key`, `"${t.key}" is not a valid taint key`);
        else p.addAll(reservedKeyProblems(`${path}.key`, [t.key], prefix));
        if (typeof t.value !== "string" || !isLabelValue(t.value)) p.add(ProblemCode.Malformed, `${path}.value`, `${JSON.stringify(t.value)} is not a valid taint value`);
        if (!TAINT_EFFECTS.includes(t.effect)) p.add(ProblemCode.NotOneOf, `${path}.effect`, `"${t.effect}" is not one of: ${TAINT_EFFECTS.join(", ")}`);
    });
    for (const d of duplicates((args.taints ?? []).map((t) => `${t.key}:${t.effect}`))) {
        p.add(ProblemCode.Duplicate, "taints", `taint ${d} is given more than once`);
    }

    const surge = args.upgradeSettings?.maxSurge ?? GKE_DEFAULT_UPGRADE_SETTINGS.maxSurge;
    const unavailable = args.upgradeSettings?.maxUnavailable ?? GKE_DEFAULT_UPGRADE_SETTINGS.maxUnavailable;
    if (!isInteger(surge, 0)) p.add(ProblemCode.OutOfRange, "upgradeSettings.maxSurge", `${surge} is not a whole number (0 or more)`);
    if (!isInteger(unavailable, 0)) p.add(ProblemCode.OutOfRange, "upgradeSettings.maxUnavailable", `${unavailable} is not a whole number (0 or more)`);
    if (isInteger(surge, 0) && isInteger(unavailable, 0) && surge + unavailable === 0) {
        p.add(ProblemCode.Conflict, "upgradeSettings", "maxSurge and maxUnavailable cannot both be 0: upgrades could never proceed");
    }

    if (args.nodePoolName !== undefined) p.addAll(nameProblems(NameKind.GkeNodePool, "nodePoolName", args.nodePoolName));

    return [...p.all];
}

const ZONE = /^([a-z]+-[a-z]+[0-9]+)-[a-z]$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
/** The long way to name a GKE cluster. */
const CLUSTER_PATH = /^projects\/[^/]+\/locations\/[^/]+\/clusters\/([^/]+)$/;

/** Why `location` is no GCP region or zone, or undefined when it is one. Shared with `GkeCluster`. */
export function gcpLocationProblem(location: string): string | undefined {
    return REGION.test(location) || ZONE.test(location) ? undefined : `"${location}" is not a GCP region or zone such as europe-west4 or europe-west4-a`;
}

/** The cluster's name, or its `projects/P/locations/L/clusters/C` path, when it is a plain string. */
function clusterRefProblems(p: Problems, cluster: pulumi.Input<string>): void {
    const s = plainString(cluster);
    if (!s) return;
    const name = s.includes("/") ? CLUSTER_PATH.exec(s)?.[1] : s;
    if (name === undefined) p.add(ProblemCode.Malformed, "cluster", `"${s}" is neither a GKE cluster name nor projects/<project>/locations/<location>/clusters/<name>`);
    else p.addAll(nameProblems(NameKind.GkeCluster, "cluster", name));
}

function nodeLocationProblems(p: Problems, zones: string[], location: pulumi.Input<string>): void {
    if (zones.length === 0) {
        p.add(ProblemCode.Required, "nodeLocations", "must name at least one zone; leave it out to use the cluster's zones");
        return;
    }
    // The region is only known here when the location is a plain string, not an Output.
    const loc = typeof location === "string" ? location : undefined;
    const region = loc === undefined ? undefined : REGION.test(loc) ? loc : ZONE.exec(loc)?.[1];
    zones.forEach((zone, i) => {
        const m = ZONE.exec(zone);
        if (!m) p.add(ProblemCode.Malformed, `nodeLocations[${i}]`, `"${zone}" is not a zone name such as europe-west4-a`);
        else if (region !== undefined && m[1] !== region) {
            p.add(ProblemCode.Conflict, `nodeLocations[${i}]`, `zone "${zone}" is not in the cluster's region ${region}`);
        }
    });
    for (const d of duplicates(zones)) p.add(ProblemCode.Duplicate, "nodeLocations", `zone "${d}" is listed more than once`);
}
