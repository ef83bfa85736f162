// Docs sample (docs/eks.md), verbatim below this header. Type-checked with the repository (tsconfig
// `paths` map the package's names to components/); test/package/consumer.test.ts installs the
// packed package into a project with only @pulumi/aws and runs it under Pulumi's mocks.
import { Runtime } from "sandbox-clusters";
import { EksSandboxNodePool } from "sandbox-clusters/aws";

const clusterName = "apps"; // an existing EKS cluster, or EksCluster's clusterName output
const subnetIds = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];

export const gvisor = new EksSandboxNodePool("gvisor", { clusterName, subnetIds, runtime: Runtime.Gvisor });
export const kata = new EksSandboxNodePool("kata", {
    clusterName, subnetIds, runtime: Runtime.Kata,
    instanceTypes: ["m8i.large", "m8i-flex.large"], minSize: 0, maxSize: 3, capacityType: "SPOT",
});
export const { mode, groupName, nodeRoleArn, nodeStamp, nodeLabels, nodeTaints } = kata;
