// Arguments of GkeCluster and their checks. Pure: the program calls `gkeClusterProblems`
// before it creates anything.
import { GCP_PROJECT_ID, Problem, cidrListProblems, clusterVersionProblem, shapeCheckedProblems, systemPoolSizeProblems, ProblemCode } from "../validation";
import { NameKind, nameProblems } from "../names";
import { GKE_UNSUPPORTED_MACHINE_TYPES } from "./machines";
import { gcpLocationProblem } from "./gkeSandboxNodePoolArgs";

/** Arguments of `GkeCluster`. */
export interface GkeClusterArgs {
    /** GKE cluster name. */
    clusterName: string;
    /** Project ID. */
    project: string;
    /** Region (regional cluster) or zone (zonal cluster). */
    location: string;
    /** VPC network name. */
    network: string;
    /** Subnetwork name. Default: the network's auto subnetwork in the region. */
    subnetwork?: string;
    /** Minimum control plane version, e.g. "1.35"; at least 1.30, the first that serves the admission guard's ValidatingAdmissionPolicy v1. Default: the release channel's. */
    minMasterVersion?: string;
    /** System pool machine type. */
    systemMachineType: string;
    /** Fewest system nodes over all zones; at least 1 (sandbox pools are never the only pool). */
    systemMinSize: number;
    /** Most system nodes over all zones; at least `systemMinSize`. */
    systemMaxSize: number;
    /** System nodes at creation in a zonal cluster; a regional cluster starts with one per zone. */
    systemDesiredSize: number;
    /** CIDRs allowed to reach the control plane's public endpoint. Default: anywhere. */
    authorizedNetworks?: string[];
    /** Refuse to delete the cluster. Default: false. */
    deletionProtection?: boolean;
    /** GCE resource labels on the cluster. Default: none. */
    labels?: Record<string, string>;
}

/** Problems with GkeCluster args; nothing is created while there are any. */
export function gkeClusterProblems(args: GkeClusterArgs): Problem[] {
    return shapeCheckedProblems("GkeCluster", args, valueProblemsOfGkeCluster);
}

/** The checks of `gkeClusterProblems` on args of the declared shape. */
function valueProblemsOfGkeCluster(args: GkeClusterArgs): Problem[] {
    const p: Problem[] = [];
    for (const k of ["clusterName", "project", "location", "network", "systemMachineType"] as const) {
        if (!args[k]) p.push({ code: ProblemCode.Required, path: k, message: "is required" });
    }
    if (args.clusterName) p.push(...nameProblems(NameKind.GkeCluster, "clusterName", args.clusterName));
    const location = args.location ? gcpLocationProblem(args.location) : undefined;
    if (location) p.push({ code: ProblemCode.Malformed, path: "location", message: location });
    if (args.project && !GCP_PROJECT_ID.test(args.project)) p.push({ code: ProblemCode.Malformed, path: "project", message: `"${args.project}" is not a Google Cloud project ID (6-30 lowercase letters, digits and '-', a letter first)` });
    p.push(...cidrListProblems("authorizedNetworks", args.authorizedNetworks));
    const unsupported = GKE_UNSUPPORTED_MACHINE_TYPES[args.systemMachineType];
    if (unsupported) p.push({ code: ProblemCode.Unsupported, path: "systemMachineType", message: unsupported });
    const version = args.minMasterVersion === undefined ? undefined : clusterVersionProblem(args.minMasterVersion);
    if (version) p.push({ path: "minMasterVersion", ...version });
    return [...p, ...systemPoolSizeProblems(args)];
}
