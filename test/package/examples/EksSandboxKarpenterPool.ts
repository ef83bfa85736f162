// The @example of the class-level JSDoc of this component, verbatim below this header: type-checked
// by `npm test` (tsc --noEmit), compared with the JSDoc by test/unit/package.test.ts.
import { Runtime } from "sandbox-clusters";
import { EksSandboxKarpenterPool } from "sandbox-clusters/aws";

// An EC2NodeClass and a NodePool for a cluster that runs Karpenter 1.x; give the Kubernetes
// provider of that cluster in opts.
export const kata = new EksSandboxKarpenterPool("kata", {
    clusterName: "sandbox",
    karpenterVersion: "1.13.1",
    runtime: Runtime.Kata,
    subnetSelectorTags: { "karpenter.sh/discovery": "sandbox" },
    securityGroupSelectorTags: { "karpenter.sh/discovery": "sandbox" },
    instanceFamilies: ["m8i", "c8i"], // nested virtualization for Kata's VMs
});
export const nodePoolName = kata.nodePoolName;
