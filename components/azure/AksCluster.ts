// A created AKS cluster ready for Pod Sandboxing pools: an Azure Linux system pool (the
// untainted pool every cluster keeps; sandbox pools go next to it), Microsoft Entra ID
// authentication with Azure RBAC and no local accounts, Workload Identity with the OIDC
// issuer, Azure CNI overlay with the Cilium dataplane (which enforces NetworkPolicy), API
// server authorized IP ranges, patch and node image auto-upgrades.
import * as pulumi from "@pulumi/pulumi";
import { ManagedCluster, RoleAssignment, getClientConfigOutput, listManagedClusterUserCredentialsOutput } from "./azureNative";
import { InputPropertiesError } from "../validation";
import { AksClusterArgs, AksTier, aksClusterProblems } from "./aksClusterArgs";
import { aksClusterAccess, aksKubeconfig } from "./kubeconfig";

export const AKS_CLUSTER_TYPE = "sandbox-clusters:index:AksCluster";
/** Name of the system pool in AKS. */
export const AKS_SYSTEM_POOL_NAME = "system";
/** Built-in role "Azure Kubernetes Service RBAC Cluster Admin" (Azure built-in roles reference). */
export const AKS_RBAC_CLUSTER_ADMIN_ROLE_ID = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";

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
    /** Name of the AKS cluster. */
    readonly clusterName: pulumi.Output<string>;
    /** Resource group of the cluster. */
    readonly resourceGroupName: pulumi.Output<string>;
    /** The cluster's ARM resource ID. */
    readonly clusterId: pulumi.Output<string>;
    /** Public FQDN of the API server. */
    readonly endpoint: pulumi.Output<string>;
    /** Issuer URL of the cluster's service account tokens, for Workload Identity federation. */
    readonly oidcIssuerUrl: pulumi.Output<string>;
    /** Name of the system agent pool. */
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
