// What Azure would answer after `pulumi up`, for the resources and data sources the AKS
// components use. The subscription, tenant and object IDs are all-zero GUIDs no directory has;
// endpoints sit under `.invalid`.
import { CloudMocks, FAKE_CA, text } from "./cloudMocks";

const ZERO_GUID = "00000000-0000-0000-0000-000000000000";
const fqdn = (dnsPrefix: string) => `${dnsPrefix}.hcp.plan.invalid`;

/** The base64 kubeconfig AKS returns from listClusterUserCredential (Entra ID cluster: no secret in it). */
function userKubeconfig(name: string): string {
    return Buffer.from([
        "apiVersion: v1",
        "clusters:",
        "- cluster:",
        `    certificate-authority-data: ${FAKE_CA}`,
        `    server: https://${fqdn(name)}:443`,
        `  name: ${name}`,
        "",
    ].join("\n")).toString("base64");
}

export const AZURE: CloudMocks = {
    resources: {
        "azure-native:containerservice:ManagedCluster": (a) => ({
            name: text(a.inputs, "resourceName", a.name),
            fqdn: fqdn(text(a.inputs, "dnsPrefix", a.name)),
            currentKubernetesVersion: text(a.inputs, "kubernetesVersion", "1.35.0"),
            oidcIssuerProfile: { enabled: true, issuerURL: `https://oidc.plan.invalid/${ZERO_GUID}/` },
        }),
        "azure-native:containerservice:AgentPool": (a) => ({ name: text(a.inputs, "agentPoolName", a.name) }),
    },
    calls: {
        "azure-native:authorization:getClientConfig": () => ({ clientId: ZERO_GUID, objectId: ZERO_GUID, subscriptionId: ZERO_GUID, tenantId: ZERO_GUID }),
        "azure-native:containerservice:listManagedClusterUserCredentials": (i) => ({ kubeconfigs: [{ name: "clusterUser", value: userKubeconfig(text(i, "resourceName")) }] }),
        "azure-native:containerservice:getManagedCluster": (i) => ({
            name: text(i, "resourceName"),
            fqdn: fqdn(text(i, "resourceName")),
            currentKubernetesVersion: "1.35.0",
            oidcIssuerProfile: { enabled: true, issuerURL: `https://oidc.plan.invalid/${ZERO_GUID}/` },
            id: `/subscriptions/${ZERO_GUID}/resourceGroups/${text(i, "resourceGroupName")}/providers/Microsoft.ContainerService/managedClusters/${text(i, "resourceName")}`,
        }),
    },
};
