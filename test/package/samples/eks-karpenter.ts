// Docs sample (docs/eks-karpenter.md), verbatim below this header. Type-checked with the repository (tsconfig
// `paths` map the package's names to components/); test/package/consumer.test.ts installs the
// packed package into a project with only @pulumi/aws and runs it under Pulumi's mocks.
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { Runtime } from "sandbox-clusters";
import { EksSandboxKarpenterPool } from "sandbox-clusters/aws";

// The cluster that runs Karpenter: the NodePools and EC2NodeClasses go through its API server.
const k8s = new Provider("apps", { kubeconfig: new pulumi.Config().requireSecret("kubeconfig") });

const common = { clusterName: "apps", karpenterVersion: "1.13.1", subnetSelectorTags: { "karpenter.sh/discovery": "apps" } };
export const gvisor = new EksSandboxKarpenterPool("gvisor", { ...common, runtime: Runtime.Gvisor }, { providers: [k8s] });
export const kata = new EksSandboxKarpenterPool("kata", { ...common, runtime: Runtime.Kata, kataVirtualization: "nested" }, { providers: [k8s] });
export const { mode, nodePoolName, nodeRoleArn, nodeLabels, nodeTaints } = kata;
