// Kubeconfigs for the Kubernetes provider and the `kubeconfig` stack output. Pure: renders
// from cluster facts. Both clouds authenticate through their CLI's exec plugin, so the
// kubeconfig holds no credential (it is still exported as a secret: it names the endpoint).

export interface EksKubeconfigArgs {
    clusterName: string;
    endpoint: string;
    /** Base64 PEM, as EKS reports `certificateAuthority.data`. */
    certificateAuthorityData: string;
    region: string;
}

export interface GkeKubeconfigArgs {
    /** Context name, e.g. `gke_<project>_<location>_<cluster>` as gcloud spells it. */
    contextName: string;
    /** Host name or IP of the control plane, without scheme. */
    endpoint: string;
    /** Base64 PEM, as GKE reports `masterAuth.clusterCaCertificate`. */
    clusterCaCertificate: string;
}

export function eksKubeconfig(a: EksKubeconfigArgs): string {
    return render(a.clusterName, `${a.endpoint}`, a.certificateAuthorityData, {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: ["eks", "get-token", "--cluster-name", a.clusterName, "--region", a.region, "--output", "json"],
        interactiveMode: "Never",
    });
}

export function gkeKubeconfig(a: GkeKubeconfigArgs): string {
    return render(a.contextName, `https://${a.endpoint}`, a.clusterCaCertificate, {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "gke-gcloud-auth-plugin",
        installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
        provideClusterInfo: true,
        interactiveMode: "Never",
    });
}

function render(name: string, server: string, caData: string, exec: Record<string, unknown>): string {
    const doc = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name, cluster: { server, "certificate-authority-data": caData } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
        "current-context": name,
        users: [{ name, user: { exec } }],
        preferences: {},
    };
    // JSON is valid YAML, and kubectl and the Kubernetes provider read both.
    return JSON.stringify(doc, null, 2);
}
