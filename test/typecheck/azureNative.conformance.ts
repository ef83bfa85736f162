// Proves that components/azure/azureNative.ts declares the azure-native SDK truthfully: every
// argument shape the components pass is assignable to the SDK's own argument type, every
// output they read exists with that type, and every export they load is there. Checked on its
// own (`npm run typecheck:azure-native`, in CI) because the SDK's typings are too heavy for
// every `tsc --noEmit` of the project.
import type * as pulumi from "@pulumi/pulumi";
import type * as agentPool from "@pulumi/azure-native/containerservice/agentPool";
import type * as managedCluster from "@pulumi/azure-native/containerservice/managedCluster";
import type * as roleAssignment from "@pulumi/azure-native/authorization/roleAssignment";
import type * as credentials from "@pulumi/azure-native/containerservice/listManagedClusterUserCredentials";
import type * as getCluster from "@pulumi/azure-native/containerservice/getManagedCluster";
import type * as clientConfig from "@pulumi/azure-native/authorization/getClientConfig";
import type * as facade from "../../components/azure/azureNative";

type Assignable<From, To> = [From] extends [To] ? true : false;
function holds<T extends true>(): T | undefined {
    return undefined;
}

// Arguments: ours are assignable to the SDK's.
holds<Assignable<facade.AgentPoolInputs, agentPool.AgentPoolArgs>>();
holds<Assignable<facade.ManagedClusterInputs, managedCluster.ManagedClusterArgs>>();
holds<Assignable<facade.RoleAssignmentInputs, roleAssignment.RoleAssignmentArgs>>();
holds<Assignable<facade.ManagedClusterRef, credentials.ListManagedClusterUserCredentialsOutputArgs>>();
holds<Assignable<facade.ManagedClusterRef, getCluster.GetManagedClusterOutputArgs>>();

// Outputs and results: the SDK's are assignable to what the components read.
holds<Assignable<agentPool.AgentPool, facade.AgentPoolResource>>();
holds<Assignable<managedCluster.ManagedCluster, facade.ManagedClusterResource>>();
holds<Assignable<credentials.ListManagedClusterUserCredentialsResult, facade.CredentialResults>>();
holds<Assignable<getCluster.GetManagedClusterResult, facade.ManagedClusterFacts>>();
holds<Assignable<clientConfig.GetClientConfigResult, facade.ClientConfig>>();

// The loaded exports: the SDK's are assignable to the facade's declared ones.
holds<Assignable<typeof agentPool.AgentPool, typeof facade.AgentPool>>();
holds<Assignable<typeof managedCluster.ManagedCluster, typeof facade.ManagedCluster>>();
holds<Assignable<typeof roleAssignment.RoleAssignment, typeof facade.RoleAssignment>>();
holds<Assignable<typeof credentials.listManagedClusterUserCredentialsOutput, typeof facade.listManagedClusterUserCredentialsOutput>>();
holds<Assignable<typeof getCluster.getManagedClusterOutput, typeof facade.getManagedClusterOutput>>();
holds<Assignable<typeof clientConfig.getClientConfigOutput, typeof facade.getClientConfigOutput>>();

export type Checked = pulumi.Input<true>;
