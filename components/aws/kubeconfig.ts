// The kubeconfig of an EKS cluster: authenticates through `aws eks get-token`. Pure.
import { execKubeconfig } from "../kubeconfig";

export interface EksKubeconfigArgs {
    clusterName: string;
    endpoint: string;
    /** Base64 PEM, as EKS reports `certificateAuthority.data`. */
    certificateAuthorityData: string;
    region: string;
}

export function eksKubeconfig(a: EksKubeconfigArgs): string {
    return execKubeconfig(a.clusterName, `${a.endpoint}`, a.certificateAuthorityData, {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: ["eks", "get-token", "--cluster-name", a.clusterName, "--region", a.region, "--output", "json"],
        interactiveMode: "Never",
    });
}
