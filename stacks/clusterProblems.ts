// Argument validation of the program's own components (EksVpc, EksCluster, GkeCluster).
// Their args come from validated stack config, but the components still refuse bad args
// before creating anything, like every component of the package. Pure.
import type { Problem } from "../components/validation";
import { validCidr } from "./configReader";
import type { EksClusterArgs } from "./eksCluster";
import type { EksVpcArgs } from "./eksVpc";
import type { GkeClusterArgs } from "./gkeCluster";

const K8S_MINOR = /^1\.\d+$/;

export function eksVpcProblems(args: EksVpcArgs): Problem[] {
    const p: Problem[] = [];
    if (!validCidr(args.cidr)) p.push({ path: "cidr", message: `"${args.cidr}" is not an IPv4 CIDR of /16 to /24` });
    if (!args.clusterName) p.push({ path: "clusterName", message: "is required" });
    if (args.availabilityZones !== undefined && args.availabilityZones.length < 2) {
        p.push({ path: "availabilityZones", message: `needs at least two zones (got ${args.availabilityZones.length})` });
    }
    return p;
}

export function eksClusterProblems(args: EksClusterArgs): Problem[] {
    const p: Problem[] = [];
    if (!args.clusterName) p.push({ path: "clusterName", message: "is required" });
    if (!args.region) p.push({ path: "region", message: "is required" });
    if (!K8S_MINOR.test(args.version)) p.push({ path: "version", message: `"${args.version}" is not a Kubernetes minor version such as "1.35"` });
    if (args.subnetIds.length < 2) p.push({ path: "subnetIds", message: `EKS needs subnets in at least two availability zones (got ${args.subnetIds.length})` });
    if (args.systemInstanceTypes.length === 0) p.push({ path: "systemInstanceTypes", message: "needs at least one instance type" });
    return [...p, ...systemSizeProblems(args)];
}

export function gkeClusterProblems(args: GkeClusterArgs): Problem[] {
    const p: Problem[] = [];
    for (const k of ["clusterName", "project", "location", "network", "systemMachineType"] as const) {
        if (!args[k]) p.push({ path: k, message: "is required" });
    }
    if (args.minMasterVersion !== undefined && !K8S_MINOR.test(args.minMasterVersion)) {
        p.push({ path: "minMasterVersion", message: `"${args.minMasterVersion}" is not a Kubernetes minor version such as "1.35"` });
    }
    return [...p, ...systemSizeProblems(args)];
}

/** The system pool keeps at least one node: sandbox pools are tainted and never the only pool. */
function systemSizeProblems(a: { systemMinSize: number; systemMaxSize: number; systemDesiredSize: number }): Problem[] {
    const p: Problem[] = [];
    const whole = (n: number) => Number.isInteger(n) && n >= 0;
    for (const k of ["systemMinSize", "systemMaxSize", "systemDesiredSize"] as const) {
        if (!whole(a[k])) p.push({ path: k, message: `${a[k]} is not a whole number of nodes` });
    }
    if (p.length > 0) return p;
    if (a.systemMinSize < 1) p.push({ path: "systemMinSize", message: "must be at least 1: a gVisor or Kata pool is never the cluster's only pool" });
    if (a.systemMaxSize < a.systemMinSize) p.push({ path: "systemMaxSize", message: `must be at least systemMinSize (${a.systemMinSize})` });
    else if (a.systemDesiredSize < a.systemMinSize || a.systemDesiredSize > a.systemMaxSize) {
        p.push({ path: "systemDesiredSize", message: `must lie between systemMinSize (${a.systemMinSize}) and systemMaxSize (${a.systemMaxSize})` });
    }
    return p;
}
