// The kubeconfig of an EKS cluster: authenticates through `aws eks get-token`. Pure.
import { execKubeconfig } from "../kubeconfig";

/** What `eksKubeconfig` needs: the cluster's name, endpoint and CA, and the region for `aws eks get-token`. */
export interface EksKubeconfigArgs {
    /** Name of the EKS cluster (the token's audience). */
    clusterName: string;
    /** `https://` endpoint of the API server. */
    endpoint: string;
    /** Base64 PEM, as EKS reports `certificateAuthority.data`. */
    certificateAuthorityData: string;
    /** AWS region of the cluster. */
    region: string;
}

/** A kubeconfig for an EKS cluster that authenticates with `aws eks get-token` (the AWS CLI of the user running it); no credential is written into it. */
export function eksKubeconfig(a: EksKubeconfigArgs): string {
    return execKubeconfig(a.clusterName, `${a.endpoint}`, a.certificateAuthorityData, {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: ["eks", "get-token", "--cluster-name", a.clusterName, "--region", a.region, "--output", "json"],
        interactiveMode: "Never",
    });
}
