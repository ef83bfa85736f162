// A created AKS cluster ready for Pod Sandboxing pools: an Azure Linux system pool (the
// untainted pool every cluster keeps; sandbox pools go next to it), Microsoft Entra ID
// authentication with Azure RBAC and no local accounts, Workload Identity with the OIDC
// issuer, Azure CNI overlay with the Cilium dataplane (which enforces NetworkPolicy), API
// server authorized IP ranges, patch and node image auto-upgrades.
import * as pulumi from "@pulumi/pulumi";
import { ManagedCluster, RoleAssignment, getClientConfigOutput, listManagedClusterUserCredentialsOutput } from "./azureNative";
import { NameKind, nameProblems } from "../names";
import { InputPropertiesError, Problem, cidrListProblems, shapeCheckedProblems, systemPoolSizeProblems } from "../validation";
import { aksPodSandboxingVersionProblem } from "./aksSandboxNodePoolArgs";
import { aksClusterAccess, aksKubeconfig } from "./kubeconfig";

export const AKS_CLUSTER_TYPE = "sandbox-clusters:index:AksCluster";
/** Name of the system pool in AKS. */
export const AKS_SYSTEM_POOL_NAME = "system";
/** Built-in role "Azure Kubernetes Service RBAC Cluster Admin" (Azure built-in roles reference). */
export const AKS_RBAC_CLUSTER_ADMIN_ROLE_ID = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";

/** AKS pricing tiers: Free has no uptime SLA; Standard has one and suits production. */
export const AksTier = {
    Free: "Free",
    Standard: "Standard",
} as const;
export type AksTier = (typeof AksTier)[keyof typeof AksTier];
export const AKS_TIERS: readonly AksTier[] = Object.values(AksTier);

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
    /** Kubernetes version (`1.NN` or `1.NN.P`), at least 1.27 for Pod Sandboxing. Default: AKS's default for the region. */
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

const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
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
        if (!args[k]) p.push({ path: k, message: "is required" });
    }
    if (args.clusterName) p.push(...nameProblems(NameKind.AksCluster, "clusterName", args.clusterName));
    if (args.resourceGroupName && !RESOURCE_GROUP.test(args.resourceGroupName)) {
        p.push({ path: "resourceGroupName", message: `"${args.resourceGroupName}" is not a resource group name (1-90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.')` });
    }
    if (args.location && !LOCATION.test(args.location)) {
        p.push({ path: "location", message: `"${args.location}" is not an Azure region name such as westeurope` });
    }
    if (args.kubernetesVersion !== undefined) {
        const problem = aksPodSandboxingVersionProblem(args.kubernetesVersion);
        if (problem) p.push({ path: "kubernetesVersion", message: problem });
    }
    p.push(...cidrListProblems("apiAllowedCidrs", args.apiAllowedCidrs));
    (args.adminGroupObjectIds ?? []).forEach((g, i) => {
        if (!GUID.test(g)) p.push({ path: `adminGroupObjectIds[${i}]`, message: `"${g}" is not a Microsoft Entra object ID (a GUID)` });
    });
    if (args.tier !== undefined && !AKS_TIERS.includes(args.tier)) p.push({ path: "tier", message: `"${args.tier}" is not one of: ${AKS_TIERS.join(", ")}` });
    return [...p, ...systemPoolSizeProblems(args)];
}

/**
 * An AKS cluster with its system pool, ready for sandbox pools: the pools and `SandboxRuntimes`
 * take its outputs (`clusterName`, `resourceGroupName`, `kubeconfig`).
 *
 * @example
 * ```ts
 * import { AksCluster } from "sandbox-clusters/azure";
 *
 * export const cluster = new AksCluster("sandbox", {
 *     clusterName: "sandbox",
 *     resourceGroupName: "rg-sandbox",
 *     location: "westeurope",
 *     systemVmSize: "Standard_D4s_v5", // the system pool; sandbox pools come on top
 *     systemMinSize: 1,
 *     systemMaxSize: 3,
 *     systemDesiredSize: 1,
 * });
 * export const kubeconfig = cluster.kubeconfig; // for a @pulumi/kubernetes Provider
 * ```
 */
export class AksCluster extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    readonly resourceGroupName: pulumi.Output<string>;
    /** The cluster's ARM resource ID. */
    readonly clusterId: pulumi.Output<string>;
    /** Public FQDN of the API server. */
    readonly endpoint: pulumi.Output<string>;
    /** Issuer URL of the cluster's service account tokens, for Workload Identity federation. */
    readonly oidcIssuerUrl: pulumi.Output<string>;
    readonly systemPoolName: pulumi.Output<string>;
    /** Secret (it names the endpoint); exec-plugin based, through `kubelogin`. */
    readonly kubeconfig: pulumi.Output<string>;

    constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(AKS_CLUSTER_TYPE, name, args, opts);
        const problems = aksClusterProblems(args);
        if (problems.length > 0) throw new InputPropertiesError(`AksCluster "${name}"`, problems);

        const cluster = new ManagedCluster(`${name}-cluster`, {
            resourceName: args.clusterName,
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            dnsPrefix: args.clusterName,
            kubernetesVersion: args.kubernetesVersion,
            sku: { name: "Base", tier: args.tier ?? AksTier.Free },
            identity: { type: "SystemAssigned" },
            agentPoolProfiles: [{
                name: AKS_SYSTEM_POOL_NAME,
                mode: "System",
                type: "VirtualMachineScaleSets",
                osType: "Linux",
                osSKU: "AzureLinux",
                vmSize: args.systemVmSize,
                count: args.systemDesiredSize,
                enableAutoScaling: true,
                minCount: args.systemMinSize,
                maxCount: args.systemMaxSize,
                securityProfile: { sshAccess: "Disabled" },
                upgradeSettings: { maxSurge: "1", maxUnavailable: "0" },
            }],
            // Entra ID users with Azure RBAC; no local accounts, so no static admin credential exists.
            enableRBAC: true,
            aadProfile: { managed: true, enableAzureRBAC: true },
            disableLocalAccounts: true,
            oidcIssuerProfile: { enabled: true },
            securityProfile: { workloadIdentity: { enabled: true } },
            // Cilium enforces NetworkPolicy itself (no separate policy manager).
            networkProfile: {
                networkPlugin: "azure",
                networkPluginMode: "overlay",
                networkDataplane: "cilium",
                networkPolicy: "cilium",
                loadBalancerSku: "standard",
            },
            apiServerAccessProfile: args.apiAllowedCidrs && args.apiAllowedCidrs.length > 0 ? { authorizedIPRanges: args.apiAllowedCidrs } : undefined,
            autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
            tags: args.tags,
        }, { parent: this, ignoreChanges: ["agentPoolProfiles[0].count"], protect: args.deletionProtection ?? false });

        const client = getClientConfigOutput({ parent: this });
        const roleDefinitionId = pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AKS_RBAC_CLUSTER_ADMIN_ROLE_ID}`;
        if (args.grantDeployerAdmin ?? true) {
            new RoleAssignment(`${name}-deployer-admin`, { scope: cluster.id, roleDefinitionId, principalId: client.objectId }, { parent: this });
        }
        (args.adminGroupObjectIds ?? []).forEach((group, i) =>
            new RoleAssignment(`${name}-admin-group-${i}`, { scope: cluster.id, roleDefinitionId, principalId: group, principalType: "Group" }, { parent: this }));

        const credentials = listManagedClusterUserCredentialsOutput(
            { resourceGroupName: args.resourceGroupName, resourceName: cluster.name },
            { parent: this },
        );
        this.clusterName = cluster.name;
        this.resourceGroupName = pulumi.output(args.resourceGroupName);
        this.clusterId = cluster.id;
        this.endpoint = cluster.fqdn;
        this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((o) => o?.issuerURL ?? "");
        this.systemPoolName = pulumi.output(AKS_SYSTEM_POOL_NAME);
        this.kubeconfig = pulumi.secret(
            pulumi.all([cluster.name, credentials.kubeconfigs]).apply(([clusterName, kubeconfigs]) =>
                aksKubeconfig({ contextName: clusterName, ...aksClusterAccess(kubeconfigs?.[0]?.value ?? "") })),
        );
        this.registerOutputs({
            clusterName: this.clusterName,
            resourceGroupName: this.resourceGroupName,
            clusterId: this.clusterId,
            endpoint: this.endpoint,
            oidcIssuerUrl: this.oidcIssuerUrl,
            systemPoolName: this.systemPoolName,
            kubeconfig: this.kubeconfig,
        });
    }
}
