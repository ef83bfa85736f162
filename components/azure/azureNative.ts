// The parts of @pulumi/azure-native the AKS components use, loaded at run time with typings of
// their own. Every azure-native module, however narrow its import path, pulls the SDK's
// all-services `types/input`, `types/output` and `types/enums` declarations (about 420,000
// lines), which would more than double the project's type-checking time. The interfaces here
// declare only the fields the components set and read; `azureNative.conformance.ts` proves them
// assignable to the SDK's own types (`npm run typecheck:azure-native`, run by CI).
import type * as pulumi from "@pulumi/pulumi";

type In<T> = pulumi.Input<T>;

/** `containerservice.AgentPool` arguments the package sets. */
export interface AgentPoolInputs {
    resourceGroupName: In<string>;
    resourceName: In<string>;
    agentPoolName?: In<string>;
    mode?: In<"User" | "System">;
    osType?: In<"Linux">;
    osSKU?: In<string>;
    workloadRuntime?: In<"KataVmIsolation">;
    vmSize?: In<string>;
    orchestratorVersion?: In<string>;
    count?: In<number>;
    enableAutoScaling?: In<boolean>;
    minCount?: In<number>;
    maxCount?: In<number>;
    scaleSetPriority?: In<"Regular" | "Spot">;
    scaleSetEvictionPolicy?: In<"Delete">;
    spotMaxPrice?: In<number>;
    availabilityZones?: In<In<string>[]>;
    maxPods?: In<number>;
    osDiskSizeGB?: In<number>;
    osDiskType?: In<"Managed" | "Ephemeral">;
    vnetSubnetID?: In<string>;
    nodeLabels?: In<Record<string, In<string>>>;
    nodeTaints?: In<In<string>[]>;
    securityProfile?: In<{ sshAccess?: In<"Disabled" | "LocalUser"> }>;
    upgradeSettings?: In<{ maxSurge?: In<string>; maxUnavailable?: In<string> }>;
    tags?: In<Record<string, In<string>>>;
}
export interface AgentPoolResource extends pulumi.CustomResource {
    readonly name: pulumi.Output<string>;
}

/** `containerservice.ManagedCluster` arguments the package sets. */
export interface ManagedClusterInputs {
    resourceName: In<string>;
    resourceGroupName: In<string>;
    location?: In<string>;
    dnsPrefix?: In<string>;
    kubernetesVersion?: In<string>;
    sku?: In<{ name?: In<"Base">; tier?: In<"Free" | "Standard"> }>;
    identity?: In<{ type: In<"SystemAssigned"> }>;
    agentPoolProfiles?: In<In<{
        name: In<string>;
        mode?: In<"System">;
        type?: In<"VirtualMachineScaleSets">;
        osType?: In<"Linux">;
        osSKU?: In<string>;
        vmSize?: In<string>;
        count?: In<number>;
        enableAutoScaling?: In<boolean>;
        minCount?: In<number>;
        maxCount?: In<number>;
        securityProfile?: In<{ sshAccess?: In<"Disabled" | "LocalUser"> }>;
        upgradeSettings?: In<{ maxSurge?: In<string>; maxUnavailable?: In<string> }>;
    }>[]>;
    enableRBAC?: In<boolean>;
    aadProfile?: In<{ managed?: In<boolean>; enableAzureRBAC?: In<boolean> }>;
    disableLocalAccounts?: In<boolean>;
    oidcIssuerProfile?: In<{ enabled?: In<boolean> }>;
    securityProfile?: In<{ workloadIdentity?: In<{ enabled?: In<boolean> }> }>;
    networkProfile?: In<{
        networkPlugin?: In<"azure">;
        networkPluginMode?: In<"overlay">;
        networkDataplane?: In<"cilium">;
        networkPolicy?: In<"cilium">;
        loadBalancerSku?: In<"standard">;
    }>;
    apiServerAccessProfile?: In<{ authorizedIPRanges?: In<In<string>[]> }>;
    autoUpgradeProfile?: In<{ upgradeChannel?: In<"patch">; nodeOSUpgradeChannel?: In<"NodeImage"> }>;
    tags?: In<Record<string, In<string>>>;
}
export interface ManagedClusterResource extends pulumi.CustomResource {
    readonly name: pulumi.Output<string>;
    readonly fqdn: pulumi.Output<string>;
    readonly oidcIssuerProfile: pulumi.Output<{ issuerURL?: string } | undefined>;
}

/** `authorization.RoleAssignment` arguments the package sets. */
export interface RoleAssignmentInputs {
    scope: In<string>;
    roleDefinitionId: In<string>;
    principalId: In<string>;
    principalType?: In<"Group" | "User" | "ServicePrincipal">;
}

/** What `containerservice.listManagedClusterUserCredentials` and `getManagedCluster` take and give. */
export interface ManagedClusterRef {
    resourceGroupName: In<string>;
    resourceName: In<string>;
}
export interface CredentialResults {
    kubeconfigs?: { name?: string; value?: string }[];
}
export interface ManagedClusterFacts {
    name: string;
    fqdn: string;
    currentKubernetesVersion: string;
    oidcIssuerProfile?: { issuerURL?: string };
}
export interface ClientConfig {
    objectId: string;
    subscriptionId: string;
    tenantId: string;
}

type ResourceClass<I, R> = new (name: string, args: I, opts?: pulumi.CustomResourceOptions) => R;
type Invoke<I, R> = (args: I, opts?: pulumi.InvokeOutputOptions) => pulumi.Output<R>;

/* eslint-disable @typescript-eslint/no-require-imports -- typed above, checked against the SDK by azureNative.conformance.ts */
export const AgentPool: ResourceClass<AgentPoolInputs, AgentPoolResource> = require("@pulumi/azure-native/containerservice/agentPool").AgentPool;
export const ManagedCluster: ResourceClass<ManagedClusterInputs, ManagedClusterResource> =
    require("@pulumi/azure-native/containerservice/managedCluster").ManagedCluster;
export const RoleAssignment: ResourceClass<RoleAssignmentInputs, pulumi.CustomResource> = require("@pulumi/azure-native/authorization/roleAssignment").RoleAssignment;
export const listManagedClusterUserCredentialsOutput: Invoke<ManagedClusterRef, CredentialResults> =
    require("@pulumi/azure-native/containerservice/listManagedClusterUserCredentials").listManagedClusterUserCredentialsOutput;
export const getManagedClusterOutput: Invoke<ManagedClusterRef, ManagedClusterFacts> =
    require("@pulumi/azure-native/containerservice/getManagedCluster").getManagedClusterOutput;
export const getClientConfigOutput: (opts?: pulumi.InvokeOutputOptions) => pulumi.Output<ClientConfig> =
    require("@pulumi/azure-native/authorization/getClientConfig").getClientConfigOutput;
