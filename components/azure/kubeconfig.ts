// The kubeconfig of an AKS cluster with Microsoft Entra ID authentication: authenticates
// through `kubelogin` (the Azure CLI's login, or workload identity / managed identity in CI),
// so it holds no credential. Pure.
import { execKubeconfig } from "../kubeconfig";

/**
 * Application ID of the AKS Microsoft Entra server application: the audience of every token
 * an Entra-integrated AKS API server accepts (`kubelogin get-token --server-id`).
 */
export const AKS_ENTRA_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

/** What `aksKubeconfig` needs: a context name and the cluster's server and CA. */
export interface AksKubeconfigArgs {
    /** Context name; `az aks get-credentials` uses the cluster name. */
    contextName: string;
    /** `https://` URL of the API server. */
    server: string;
    /** Base64 PEM of the cluster CA, as AKS's kubeconfig carries it. */
    certificateAuthorityData: string;
}

/** A kubeconfig for an AKS cluster with Microsoft Entra ID authentication through `kubelogin` (exec plugin); no credential is written into it. */
export function aksKubeconfig(a: AksKubeconfigArgs): string {
    return execKubeconfig(a.contextName, a.server, a.certificateAuthorityData, {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "kubelogin",
        args: ["get-token", "--login", "azurecli", "--server-id", AKS_ENTRA_SERVER_APP_ID],
        installHint: "Install kubelogin: az aks install-cli (or https://azure.github.io/kubelogin/install.html)",
        interactiveMode: "Never",
    });
}

/**
 * The API server URL and CA of the kubeconfig AKS returns (`listClusterUserCredential`, base64
 * YAML). Only those two fields are kept: the user entry AKS returns is never passed on, so a
 * cluster with local accounts cannot leak their credential through the package's kubeconfig.
 */
export function aksClusterAccess(kubeconfigBase64: string): { server: string; certificateAuthorityData: string } {
    const text = Buffer.from(kubeconfigBase64, "base64").toString("utf8");
    const field = (key: string) => new RegExp(`^\\s*${key}:\\s*"?([^"\\s]+)"?\\s*$`, "m").exec(text)?.[1];
    const server = field("server");
    const certificateAuthorityData = field("certificate-authority-data");
    if (!server || !certificateAuthorityData) throw new Error("the kubeconfig AKS returned has no server or certificate-authority-data");
    return { server, certificateAuthorityData };
}
