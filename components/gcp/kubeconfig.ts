// The kubeconfig of a GKE cluster: authenticates through `gke-gcloud-auth-plugin`. Pure.
import { execKubeconfig } from "../kubeconfig";

/** What `gkeKubeconfig` needs: a context name and the cluster's endpoint and CA. */
export interface GkeKubeconfigArgs {
    /** Context name, e.g. `gke_<project>_<location>_<cluster>` as gcloud spells it. */
    contextName: string;
    /** Host name or IP of the control plane, without scheme. */
    endpoint: string;
    /** Base64 PEM, as GKE reports `masterAuth.clusterCaCertificate`. */
    clusterCaCertificate: string;
}

/** A kubeconfig for a GKE cluster that authenticates with `gke-gcloud-auth-plugin` (exec plugin); no credential is written into it. */
export function gkeKubeconfig(a: GkeKubeconfigArgs): string {
    return execKubeconfig(a.contextName, `https://${a.endpoint}`, a.clusterCaCertificate, {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "gke-gcloud-auth-plugin",
        installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
        provideClusterInfo: true,
        interactiveMode: "Never",
    });
}
