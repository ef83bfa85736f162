// Arguments of AksCluster, their defaults and their checks. Pure: the program calls
// `aksClusterProblems` before it creates anything.
import { NameKind, nameProblems } from "../names";
import { Problem, cidrListProblems, clusterVersionProblem, shapeCheckedProblems, systemPoolSizeProblems, ProblemCode } from "../validation";
import { aksPodSandboxingVersionProblem, resourceGroupProblem } from "./aksSandboxNodePoolArgs";

/** AKS pricing tiers: Free has no uptime SLA; Standard has one and suits production. */
export const AksTier = {
    Free: "Free",
    Standard: "Standard",
} as const;
/** One of the values of `AksTier`. */
export type AksTier = (typeof AksTier)[keyof typeof AksTier];
export const AKS_TIERS: readonly AksTier[] = Object.values(AksTier);

/** Arguments of `AksCluster`. */
export interface AksClusterArgs {
    /** AKS cluster name: 1-63 letters, digits, `-` and `_`, starting and ending with a letter or digit. Required. */
    clusterName: string;
    /**
     * Existing resource group of the cluster (creating one needs subscription-wide rights many
     * teams do not have). Required.
     */
    resourceGroupName: string;
    /** Azure region, e.g. `westeurope`. Required. */
    location: string;
    /** Kubernetes version (`1.NN` or `1.NN.P`), at least 1.30, the first that serves the admission guard's ValidatingAdmissionPolicy v1 (Pod Sandboxing itself needs 1.27). Default: AKS's default for the region. */
    kubernetesVersion?: string;
    /** VM size of the system pool. Required. */
    systemVmSize: string;
    /** Fewest system nodes; at least 1 (sandbox pools are tainted and never the only pool). */
    systemMinSize: number;
    /** Most system nodes; at least `systemMinSize`. */
    systemMaxSize: number;
    /** System nodes at creation; between the two. */
    systemDesiredSize: number;
    /** CIDRs allowed to reach the public API server (authorized IP ranges). Default: anywhere. */
    apiAllowedCidrs?: string[];
    /** Object IDs of Microsoft Entra groups given cluster-admin (Azure RBAC). Default none. */
    adminGroupObjectIds?: string[];
    /** Give the identity running `pulumi up` cluster-admin, as the program's Kubernetes provider needs it. Default true. */
    grantDeployerAdmin?: boolean;
    /**
     * Refuse to delete the cluster: AKS has no deletion protection of its own, so the managed
     * cluster is a Pulumi `protect`ed resource (turn this off and `pulumi up` before `pulumi destroy`).
     * Default false.
     */
    deletionProtection?: boolean;
    /** Pricing tier. Default `Free`. */
    tier?: AksTier;
    /** Azure tags on the cluster. Default none. */
    tags?: Record<string, string>;
}

const LOCATION = /^[a-z][a-z0-9]*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Problems with AksCluster args; nothing is created while there are any. */
export function aksClusterProblems(args: AksClusterArgs): Problem[] {
    return shapeCheckedProblems("AksCluster", args, valueProblemsOfAksCluster);
}

/** The checks of `aksClusterProblems` on args of the declared shape. */
function valueProblemsOfAksCluster(args: AksClusterArgs): Problem[] {
    const p: Problem[] = [];
    for (const k of ["clusterName", "resourceGroupName", "location", "systemVmSize"] as const) {
        if (!args[k]) p.push({ code: ProblemCode.Required, path: k, message: "is required" });
    }
    if (args.clusterName) p.push(...nameProblems(NameKind.AksCluster, "clusterName", args.clusterName));
    const resourceGroup = args.resourceGroupName ? resourceGroupProblem(args.resourceGroupName) : undefined;
    if (resourceGroup) p.push({ code: ProblemCode.Malformed, path: "resourceGroupName", message: resourceGroup });
    if (args.location && !LOCATION.test(args.location)) {
        p.push({ code: ProblemCode.Malformed, path: "location", message: `"${args.location}" is not an Azure region name such as westeurope` });
    }
    if (args.kubernetesVersion !== undefined) {
        const problem = aksPodSandboxingVersionProblem(args.kubernetesVersion) ?? clusterVersionProblem(args.kubernetesVersion, true);
        if (problem) p.push({ path: "kubernetesVersion", ...problem });
    }
    p.push(...cidrListProblems("apiAllowedCidrs", args.apiAllowedCidrs));
    (args.adminGroupObjectIds ?? []).forEach((g, i) => {
        if (!GUID.test(g)) p.push({ code: ProblemCode.Malformed, path: `adminGroupObjectIds[${i}]`, message: `"${g}" is not a Microsoft Entra object ID (a GUID)` });
    });
    if (args.tier !== undefined && !AKS_TIERS.includes(args.tier)) p.push({ code: ProblemCode.NotOneOf, path: "tier", message: `"${args.tier}" is not one of: ${AKS_TIERS.join(", ")}` });
    return [...p, ...systemPoolSizeProblems(args)];
}
