import * as assert from "assert";
import * as YAML from "yaml";
import { subnetCidr } from "../../components/aws/cidr";
import { eksKubeconfig } from "../../components/aws/kubeconfig";
import { gkeKubeconfig } from "../../components/gcp/kubeconfig";

describe("subnetCidr (components/aws/cidr.ts)", () => {
    it("splits a range into equal, consecutive, non-overlapping subnets", () => {
        assert.deepStrictEqual([0, 1, 2, 3].map((i) => subnetCidr("10.0.0.0/16", 2, i)), ["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18", "10.0.192.0/18"]);
        assert.deepStrictEqual([0, 3].map((i) => subnetCidr("192.168.7.0/24", 2, i)), ["192.168.7.0/26", "192.168.7.192/26"]);
    });

    it("ignores host bits of the base address", () => {
        assert.strictEqual(subnetCidr("10.1.2.3/16", 2, 1), "10.1.64.0/18");
    });

    it("refuses an index outside the split", () => {
        assert.throws(() => subnetCidr("10.0.0.0/16", 2, 4), /cannot take subnet 4 of \/18 from 10\.0\.0\.0\/16/);
    });
});

describe("kubeconfigs (components/aws|gcp/kubeconfig.ts)", () => {
    it("authenticates to EKS with `aws eks get-token` for the cluster and region, holding no credential", () => {
        const kc = YAML.parse(eksKubeconfig({ clusterName: "c1", endpoint: "https://x.eks.example", certificateAuthorityData: "Q0E=", region: "eu-west-1" }));
        assert.deepStrictEqual(kc.clusters, [{ name: "c1", cluster: { server: "https://x.eks.example", "certificate-authority-data": "Q0E=" } }]);
        assert.strictEqual(kc["current-context"], "c1");
        const exec = kc.users[0].user.exec;
        assert.strictEqual(exec.command, "aws");
        assert.deepStrictEqual(exec.args, ["eks", "get-token", "--cluster-name", "c1", "--region", "eu-west-1", "--output", "json"]);
    });

    it("authenticates to GKE with gke-gcloud-auth-plugin against https://<endpoint>", () => {
        const kc = YAML.parse(gkeKubeconfig({ contextName: "gke_p_l_c", endpoint: "203.0.113.10", clusterCaCertificate: "Q0E=" }));
        assert.strictEqual(kc.clusters[0].cluster.server, "https://203.0.113.10");
        assert.strictEqual(kc.users[0].user.exec.command, "gke-gcloud-auth-plugin");
        assert.strictEqual(kc.users[0].user.exec.provideClusterInfo, true);
    });
});
