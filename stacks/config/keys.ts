// Every config key the program reads, declared once: its name, how its value is written and
// which clouds it applies to. The parser decodes and checks values against these declarations,
// and the configuration reference is checked against them. Pure data.
import { Cloud } from "../../components/isolation";
import { PROGRAM_CLOUDS, ProgramCloud, Provisioner } from "./types";

/** Namespace of the program's own config keys (the Pulumi project name). */
export const CONFIG_NAMESPACE = "sandbox";

/** `sandbox:pools[1].runtime`, the spelling a user finds in their stack file. */
export function configKey(key: string, path = ""): string {
    return `${CONFIG_NAMESPACE}:${key}${path}`;
}

/**
 * How a value is written, as Pulumi.yaml's config schema spells it. Pulumi hands `array` and
 * `object` values (and, from the CLI, numbers and booleans) to the program as JSON text.
 */
export type KeyType = "string" | "number" | "boolean" | "array" | "object";

/** One config key or field. */
export interface KeyDeclaration {
    readonly type: KeyType;
    /** The `sandbox:cloud` values it applies to; elsewhere it is refused. Default: every cloud. */
    readonly clouds?: readonly ProgramCloud[];
    /** Pools on cloud `aws`: the provisioners it applies to. Default: both. */
    readonly provisioners?: readonly Provisioner[];
}

const AWS = [Cloud.Aws] as const;
const GCP = [Cloud.Gcp] as const;
const AZURE = [Cloud.Azure] as const;
const KUBERNETES = [Cloud.Kubernetes] as const;
/** Clouds where the program provisions nodes (every cloud but `kubernetes`). */
const PROVISIONED = PROGRAM_CLOUDS.filter((c) => c !== Cloud.Kubernetes);

/** Every `sandbox:` key, in the order the configuration reference lists them. */
export const CONFIG_KEYS = {
    cloud: { type: "string" },
    clusterMode: { type: "string" },
    clusterName: { type: "string" },
    kubernetesVersion: { type: "string", clouds: PROVISIONED },
    resourceGroup: { type: "string", clouds: AZURE },
    adminGroupObjectIds: { type: "array", clouds: AZURE },
    subnetIds: { type: "array", clouds: AWS },
    vpcCidr: { type: "string", clouds: AWS },
    availabilityZones: { type: "array", clouds: AWS },
    adminPrincipalArns: { type: "array", clouds: AWS },
    apiAllowedCidrs: { type: "array", clouds: PROVISIONED },
    location: { type: "string", clouds: [Cloud.Gcp, Cloud.Azure] },
    network: { type: "string", clouds: GCP },
    subnetwork: { type: "string", clouds: GCP },
    deletionProtection: { type: "boolean", clouds: PROVISIONED },
    systemPool: { type: "object", clouds: PROVISIONED },
    pools: { type: "object", clouds: PROVISIONED },
    kataShims: { type: "array" },
    defaultKataShim: { type: "string" },
    verifyRuntimes: { type: "boolean" },
    verifyTimeoutSeconds: { type: "number" },
    admissionMode: { type: "string" },
    admissionExemptNamespaces: { type: "array" },
    admissionAllowHostPorts: { type: "boolean" },
    admissionAllowedCsiDrivers: { type: "array" },
    tags: { type: "object", clouds: PROVISIONED },
    kubeconfig: { type: "string", clouds: KUBERNETES },
    kubeconfigPath: { type: "string", clouds: KUBERNETES },
    nodeRuntimes: { type: "array", clouds: KUBERNETES },
    kubernetesDistribution: { type: "string", clouds: KUBERNETES },
    verificationImage: { type: "string" },
    kataChart: { type: "object" },
    karpenterVersion: { type: "string", clouds: AWS },
    agentSandbox: { type: "object" },
    tenantNamespaces: { type: "object" },
} as const satisfies Record<string, KeyDeclaration>;
export type ConfigKey = keyof typeof CONFIG_KEYS;

const NODE_GROUP = [Provisioner.NodeGroup] as const;
const KARPENTER = [Provisioner.Karpenter] as const;

/** The fields of one `sandbox:pools[i]` entry. */
export const POOL_KEYS = {
    name: { type: "string" },
    runtime: { type: "string" },
    provisioner: { type: "string", clouds: AWS },
    instanceTypes: { type: "array", clouds: AWS },
    instanceFamilies: { type: "array", clouds: AWS, provisioners: KARPENTER },
    kataVirtualization: { type: "string", clouds: AWS, provisioners: KARPENTER },
    limits: { type: "object", clouds: AWS, provisioners: KARPENTER },
    architecture: { type: "string", clouds: AWS },
    gvisor: { type: "object", clouds: AWS },
    machineType: { type: "string", clouds: GCP },
    nodeLocations: { type: "array", clouds: GCP },
    diskType: { type: "string", clouds: GCP },
    vmSize: { type: "string", clouds: AZURE },
    zones: { type: "array", clouds: AZURE },
    osSku: { type: "string", clouds: AZURE },
    osType: { type: "string", clouds: AZURE },
    minSize: { type: "number", provisioners: NODE_GROUP },
    maxSize: { type: "number", provisioners: NODE_GROUP },
    desiredSize: { type: "number", clouds: AWS, provisioners: NODE_GROUP },
    spot: { type: "boolean" },
    diskSizeGb: { type: "number" },
    labels: { type: "object" },
    taints: { type: "array" },
} as const satisfies Record<string, KeyDeclaration>;
export type PoolKey = keyof typeof POOL_KEYS;

/** The fields of `sandbox:systemPool` (created clusters). */
export const SYSTEM_POOL_KEYS = {
    instanceTypes: { type: "array", clouds: AWS },
    machineType: { type: "string", clouds: GCP },
    vmSize: { type: "string", clouds: AZURE },
    minSize: { type: "number" },
    maxSize: { type: "number" },
    desiredSize: { type: "number" },
} as const satisfies Record<string, KeyDeclaration>;

/** The fields of a pool's `gvisor` (AWS gVisor pools). */
export const GVISOR_KEYS = {
    release: { type: "string" },
    mirror: { type: "string" },
    runscFlags: { type: "object" },
} as const satisfies Record<string, KeyDeclaration>;

/** The fields of a Karpenter pool's `limits`: Kubernetes quantities. */
export const KARPENTER_LIMIT_KEYS = {
    cpu: { type: "string" },
    memory: { type: "string" },
} as const satisfies Record<string, KeyDeclaration>;

/** The fields of one entry of a pool's `taints`. */
export const TAINT_KEYS = {
    key: { type: "string" },
    value: { type: "string" },
    effect: { type: "string" },
} as const satisfies Record<string, KeyDeclaration>;

/** The fields of `sandbox:kataChart`. */
export const KATA_CHART_KEYS = {
    repository: { type: "string" },
    name: { type: "string" },
    version: { type: "string" },
    caFile: { type: "string" },
} as const satisfies Record<string, KeyDeclaration>;

/** The fields of `sandbox:agentSandbox`. */
export const AGENT_SANDBOX_KEYS = {
    image: { type: "string" },
    namespaces: { type: "object" },
    createNamespaces: { type: "boolean" },
    warmPools: { type: "object" },
    automountServiceAccountToken: { type: "boolean" },
} as const satisfies Record<string, KeyDeclaration>;

/** Whether a declared key or field applies to `cloud`. */
export function appliesTo(declaration: KeyDeclaration, cloud: ProgramCloud): boolean {
    return declaration.clouds === undefined || declaration.clouds.includes(cloud);
}
