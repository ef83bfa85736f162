// Example Karpenter sandbox pools, one per mode with and without extras, rendered under Pulumi's
// mock runtime. Shared by the unit tests (golden NodePool/EC2NodeClass files) and the
// integration test that applies them to Karpenter's own CRDs on a real API server.
import * as YAML from "yaml";
import { EksSandboxKarpenterPool } from "../../components/aws/EksSandboxKarpenterPool";
import { EksSandboxKarpenterPoolArgs } from "../../components/aws/eksSandboxKarpenterPoolArgs";
import { KataVirtualization } from "../../components/aws/karpenterInstances";
import { Runtime, TaintEffect } from "../../components/isolation";
import { installMocks, RecordedResource, reset, resolve, settle, state } from "./mocks";
import { answerInvokes, CLUSTER } from "./eksPoolFixtures";

export const EC2_NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
export const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
/** The Karpenter release whose CRDs the integration suite pins (and the examples name). */
export const EXAMPLE_KARPENTER_VERSION = "1.13.1";

const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
const base = { clusterName: CLUSTER.name, karpenterVersion: EXAMPLE_KARPENTER_VERSION, subnetIds: SUBNETS };

/** Pools whose NodePool and EC2NodeClass are committed under test/golden/aws/karpenter. */
export const KARPENTER_EXAMPLES: Record<string, EksSandboxKarpenterPoolArgs> = {
    "gvisor-default": { ...base, runtime: Runtime.Gvisor },
    "gvisor-custom": {
        ...base,
        subnetIds: undefined,
        subnetSelectorTags: { "karpenter.sh/discovery": CLUSTER.name },
        securityGroupSelectorTags: { "karpenter.sh/discovery": CLUSTER.name },
        runtime: Runtime.Gvisor,
        architecture: "arm64",
        instanceFamilies: ["m7g", "c7g"],
        capacityType: "SPOT",
        labels: { "team.example.com/owner": "agents" },
        taints: [{ key: "team.example.com/dedicated", value: "", effect: TaintEffect.NoExecute }],
        tags: { "cost-center": "agents" },
        limits: { cpu: "32", memory: "128Gi" },
        disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "10m", budgetNodes: "1" },
        expireAfter: "168h",
        weight: 10,
        instanceProfile: "created",
        nodePoolName: "agents-gvisor",
        gvisor: { release: "20260817.0", runscFlags: { platform: "systrap", "host-uds": "none" } },
    },
    "kata-nested-default": { ...base, runtime: Runtime.Kata },
    "kata-nested-types": {
        ...base,
        runtime: Runtime.Kata,
        instanceTypes: ["m8i.large", "c8i-flex.large"],
        nodeRoleArn: "arn:aws:iam::000000000000:role/KarpenterNodeRole-sandbox-test",
        securityGroupIds: ["sg-0nodes00000000000"],
    },
    "kata-metal": { ...base, runtime: Runtime.Kata, kataVirtualization: KataVirtualization.Metal, instanceFamilies: ["m7i", "c7i"] },
    "kata-metal-arm64": { ...base, runtime: Runtime.Kata, architecture: "arm64" },
};

export interface RenderedKarpenterPool {
    pool: EksSandboxKarpenterPool;
    resources: RecordedResource[];
    /** The EC2NodeClass and the NodePool as the Kubernetes provider receives them. */
    nodeClass: any;
    nodePool: any;
    invokes: { token: string; args: any }[];
}

/** Creates a pool under mocks and waits until every child resource is registered. */
export async function renderKarpenterPool(name: string, args: EksSandboxKarpenterPoolArgs): Promise<RenderedKarpenterPool> {
    installMocks();
    reset();
    const invokes: { token: string; args: any }[] = [];
    answerInvokes(invokes);
    const pool = new EksSandboxKarpenterPool(name, args);
    await resolve(pool.nodeRoleArn);
    for (let i = 0; i < 4 && !state.resources.some((r) => r.type === NODE_POOL); i++) await settle();
    await settle();
    const resources = [...state.resources];
    const object = (type: string) => {
        const found = resources.filter((r) => r.type === type);
        if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
        return strip(found[0].inputs);
    };
    return { pool, resources, nodeClass: object(EC2_NODE_CLASS), nodePool: object(NODE_POOL), invokes };
}

/** Both objects as one YAML stream, the golden file's form. */
export function karpenterYaml(r: RenderedKarpenterPool): string {
    return [r.nodeClass, r.nodePool].map((o) => YAML.stringify(o, { lineWidth: 0 })).join("---\n");
}

/** Inputs without the engine's bookkeeping fields. */
function strip(inputs: Record<string, any>): any {
    return Object.fromEntries(Object.entries(inputs).filter(([k]) => !k.startsWith("__")));
}
