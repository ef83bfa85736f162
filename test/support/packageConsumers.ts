// The consumer projects of `npm run test:package` (test/package/consumer.test.ts): one per entry
// point, each with only its cloud's SDK, and the docs samples (test/package/samples) each runs
// under Pulumi's mocks. The docs tests (test/unit/docs) check that every sample is listed here.

export interface Consumer {
    /** Entry point the consumer imports besides the root. */
    entry: "." | "./aws" | "./gcp" | "./azure";
    /** Cloud SDK it installs (none for the root entry alone). */
    sdk?: string;
    samples: string[];
    /** Component type tokens the samples must register. */
    registers: string[];
}

export const CONSUMERS: Consumer[] = [
    {
        entry: ".",
        samples: ["kubernetes.ts", "sandbox-runtimes.ts", "sandbox-namespace.ts"],
        registers: ["sandbox-clusters:index:SandboxRuntimes", "sandbox-clusters:index:SandboxNamespace"],
    },
    {
        entry: "./aws",
        sdk: "@pulumi/aws",
        samples: ["aws-adopt.ts", "aws-create.ts", "eks-pools.ts", "eks-karpenter.ts"],
        registers: [
            "sandbox-clusters:index:EksSandboxNodePool",
            "sandbox-clusters:index:EksSandboxKarpenterPool",
            "sandbox-clusters:index:EksCluster",
            "sandbox-clusters:index:SandboxRuntimes",
        ],
    },
    {
        entry: "./gcp",
        sdk: "@pulumi/gcp",
        samples: ["gcp.ts", "gke-pools.ts"],
        registers: ["sandbox-clusters:index:GkeSandboxNodePool", "sandbox-clusters:index:GkeCluster", "sandbox-clusters:index:SandboxRuntimes"],
    },
    {
        entry: "./azure",
        sdk: "@pulumi/azure-native",
        samples: ["azure.ts"],
        registers: ["sandbox-clusters:index:AksSandboxNodePool", "sandbox-clusters:index:SandboxRuntimes"],
    },
];
