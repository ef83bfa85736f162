// Stack configuration: parse and validate every `sandbox:*` key (plus the providers' own
// `aws:region`, `gcp:project`, `gcp:region`) into one typed object, or report every problem
// keyed by its config key. Pure: takes a plain map of config values, reads nothing, creates
// nothing, so the same code serves `pulumi up` (values from pulumi.Config, JSON strings)
// and the offline plan (values straight from a stack YAML file).
import {
    Cloud,
    KataShim,
    RUNTIMES,
    Runtime,
    TAINT_EFFECTS,
    Taint,
    TaintEffect,
    defaultKataShim,
} from "../components/isolation";
import { Problem, isDnsLabel } from "../components/validation";
import {
    AdmissionMode,
    CONFIG_KEYS,
    CONFIG_NAMESPACE,
    ClusterMode,
    DEFAULTS,
    PROGRAM_CLOUDS,
    PROVISIONERS,
    PoolConfig,
    Provisioner,
    ProgramCloud,
    StackConfig,
    SystemPoolConfig,
    configKey,
} from "./configTypes";
import { componentProblems } from "./componentArgs";
import { isVpcCidr } from "../components/aws/cidr";
import { Reader, decode, isObject, splitKey, strip } from "./configReader";

export * from "./configTypes";

export type ParseResult = { ok: true; config: StackConfig } | { ok: false; problems: Problem[] };

export const POOL_KEYS = [
    "name", "runtime", "instanceTypes", "machineType", "minSize", "maxSize", "desiredSize", "spot",
    "diskSizeGb", "labels", "taints", "architecture", "gvisor", "nodeLocations", "diskType", "vmSize", "zones",
    "osSku", "osType", "provisioner", "instanceFamilies", "kataVirtualization", "limits",
] as const;
const SYSTEM_POOL_KEYS = ["instanceTypes", "machineType", "vmSize", "minSize", "maxSize", "desiredSize"] as const;
const GVISOR_KEYS = ["release", "mirror", "runscFlags"] as const;
const AGENT_SANDBOX_KEYS = ["image", "namespaces", "createNamespaces", "warmPools", "automountServiceAccountToken"] as const;
const KATA_CHART_KEYS = ["repository", "name", "version", "caFile"] as const;
/** Keys that only apply to cloud "kubernetes" (a cluster adopted through its kubeconfig). */
const KUBERNETES_KEYS = ["kubeconfig", "kubeconfigPath", "nodeRuntimes", "kubernetesDistribution"] as const;
const AWS_ONLY_POOL_KEYS = ["instanceTypes", "architecture", "gvisor", "provisioner", "instanceFamilies", "kataVirtualization", "limits"] as const;
/** Pool keys of node groups that Karpenter pools do without, and the keys only Karpenter pools have. */
const NODE_GROUP_ONLY_POOL_KEYS = ["minSize", "maxSize", "desiredSize"] as const;
const KARPENTER_ONLY_POOL_KEYS = ["instanceFamilies", "kataVirtualization", "limits"] as const;
/** The NodePool limits a Karpenter pool takes (its quantities are checked by the component). */
const KARPENTER_LIMIT_KEYS = ["cpu", "memory"] as const;
const GCP_ONLY_POOL_KEYS = ["machineType", "nodeLocations", "diskType"] as const;
const AZURE_ONLY_POOL_KEYS = ["vmSize", "zones", "osSku", "osType"] as const;
/** Top-level keys that only apply to cloud "azure". */
const AZURE_KEYS = ["resourceGroup", "adminGroupObjectIds"] as const;
const AZURE_RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
const AZURE_LOCATION = /^[a-z][a-z0-9]*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POOL_NAME_MAX = 40;
const K8S_VERSION = /^1\.\d{2}$/;
// EKS access entries take IAM roles and users, never STS session (assumed-role) ARNs.
const ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const ANY_CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/([0-9]|[12]\d|3[0-2])$/;
const CLUSTER_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const GCE_LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const GCE_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const GCP_PROJECT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/**
 * Parses the stack's config values (`namespace:key` -> value; strings holding JSON, as
 * Pulumi passes objects, are decoded) and validates all of them. Never throws on bad input.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, stack: string): ParseResult {
    const p = new Reader();
    const values: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(raw)) {
        const [ns, key] = splitKey(fullKey);
        if (ns !== CONFIG_NAMESPACE) continue;
        if (!(key in CONFIG_KEYS)) {
            p.add(configKey(key), `unknown config key (known: ${Object.keys(CONFIG_KEYS).join(", ")})`);
            continue;
        }
        values[key] = decode(value, CONFIG_KEYS[key as keyof typeof CONFIG_KEYS]);
    }
    const providerValue = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : undefined);

    const cloud = p.oneOf("cloud", "", values.cloud, PROGRAM_CLOUDS, true);
    const byKubeconfig = cloud === Cloud.Kubernetes;
    let clusterMode = (p.oneOf("clusterMode", "", values.clusterMode, Object.values(ClusterMode)) ??
        (byKubeconfig ? ClusterMode.Adopt : DEFAULTS.clusterMode)) as ClusterMode;
    if (byKubeconfig && clusterMode === ClusterMode.Create) {
        p.add(configKey("clusterMode"), `cloud "kubernetes" adopts an existing cluster through its kubeconfig; the program creates no cluster (use "adopt" or leave it out)`);
        clusterMode = ClusterMode.Adopt;
    }
    let clusterName = p.str("clusterName", "", values.clusterName);
    if (clusterName === undefined && clusterMode === ClusterMode.Adopt && !byKubeconfig && values.clusterName === undefined) {
        p.add(configKey("clusterName"), `required when ${configKey("clusterMode")} is "adopt" (the name of the existing cluster)`);
    }
    // Created clusters: GKE's rule (a letter first, at most 40), which EKS accepts too, keeps
    // stacks portable. Adopted clusters: whatever the cloud allowed when they were made.
    const nameRule = clusterMode === ClusterMode.Adopt && cloud === Cloud.Aws ? EKS_CLUSTER_NAME : CLUSTER_NAME;
    if (clusterName !== undefined && !nameRule.test(clusterName)) {
        p.add(configKey("clusterName"), `"${clusterName}" is not a valid cluster name (${nameRule === CLUSTER_NAME ? "a lowercase letter, then lowercase letters, digits and '-'; at most 40" : "letters, digits, '-' and '_'; at most 100"})`);
    }
    if (clusterName === undefined && (clusterMode === ClusterMode.Create || byKubeconfig) && !CLUSTER_NAME.test(`sandbox-${stack}`)) {
        p.add(configKey("clusterName"), `required: the default "sandbox-${stack}" is not a valid cluster name (a lowercase letter, then lowercase letters, digits and '-'; at most 40)`);
    }
    clusterName ??= `sandbox-${stack}`;

    const kubernetesVersion = typeof values.kubernetesVersion === "number"
        ? (p.add(configKey("kubernetesVersion"), unquotedVersion(values.kubernetesVersion)), undefined)
        : p.str("kubernetesVersion", "", values.kubernetesVersion);
    if (kubernetesVersion !== undefined && !K8S_VERSION.test(kubernetesVersion)) {
        p.add(configKey("kubernetesVersion"), `"${kubernetesVersion}" is not a Kubernetes minor version such as "1.35"${droppedZeroHint(kubernetesVersion)}`);
    }
    if (kubernetesVersion !== undefined && clusterMode === ClusterMode.Adopt) {
        p.add(configKey("kubernetesVersion"), `only applies to created clusters; an adopted cluster keeps its own version`);
    }

    const awsKeys = ["subnetIds", "vpcCidr", "availabilityZones", "adminPrincipalArns"] as const;
    const gcpKeys = ["location", "network", "subnetwork"] as const;
    const wrongCloudKeys: readonly string[] = cloud === Cloud.Aws ? [...gcpKeys, ...KUBERNETES_KEYS, ...AZURE_KEYS]
        : cloud === Cloud.Gcp ? [...awsKeys, ...KUBERNETES_KEYS, ...AZURE_KEYS]
        : cloud === Cloud.Azure ? [...awsKeys, "network", "subnetwork", ...KUBERNETES_KEYS]
        : cloud === Cloud.Kubernetes ? [...awsKeys, ...gcpKeys, ...AZURE_KEYS, "tags"]
        : [];
    for (const k of wrongCloudKeys) {
        if (values[k] !== undefined) p.add(configKey(k), `does not apply to cloud "${cloud}"`);
    }
    const kubernetes = byKubeconfig ? parseKubernetes(p, values) : undefined;

    let aws: StackConfig["aws"];
    let gcp: StackConfig["gcp"];
    let azure: StackConfig["azure"];
    if (cloud === Cloud.Aws) {
        const region = providerValue("aws:region");
        if (!region) p.add("aws:region", `required for cloud "aws" (the AWS provider's region, e.g. us-east-1)`);
        const subnetIds = p.strList("subnetIds", values.subnetIds);
        subnetIds?.forEach((s, i) => {
            if (!/^subnet-[0-9a-f]{8,17}$/.test(s)) p.add(configKey("subnetIds", `[${i}]`), `"${s}" is not a subnet ID`);
        });
        if (subnetIds === undefined && clusterMode === ClusterMode.Adopt && values.subnetIds === undefined) {
            p.add(configKey("subnetIds"), `required when adopting an EKS cluster: the (private) subnets the sandbox nodes run in`);
        }
        if (subnetIds && subnetIds.length < 2 && clusterMode === ClusterMode.Create) {
            p.add(configKey("subnetIds"), `EKS needs subnets in at least two availability zones (got ${subnetIds.length})`);
        }
        const vpcCidr = p.str("vpcCidr", "", values.vpcCidr) ?? DEFAULTS.vpcCidr;
        if (!isVpcCidr(vpcCidr)) p.add(configKey("vpcCidr"), `"${vpcCidr}" is not an IPv4 CIDR of /16 to /24`);
        const creatingVpc = clusterMode === ClusterMode.Create && subnetIds === undefined;
        if (values.vpcCidr !== undefined && !creatingVpc) {
            p.add(configKey("vpcCidr"), `only applies when the program creates the VPC (created cluster, no ${configKey("subnetIds")})`);
        }
        const availabilityZones = p.strList("availabilityZones", values.availabilityZones);
        if (availabilityZones !== undefined && !creatingVpc) {
            p.add(configKey("availabilityZones"), `only applies when the program creates the VPC`);
        }
        if (availabilityZones !== undefined && availabilityZones.length < 2) {
            p.add(configKey("availabilityZones"), `EKS needs at least two availability zones (got ${availabilityZones.length})`);
        }
        const adminPrincipalArns = p.strList("adminPrincipalArns", values.adminPrincipalArns) ?? [];
        adminPrincipalArns.forEach((a, i) => {
            if (!ARN.test(a)) p.add(configKey("adminPrincipalArns", `[${i}]`), `"${a}" is not an IAM role or user ARN${a.includes(":assumed-role/") ? " (EKS access entries take no STS session ARNs: name the role, arn:aws:iam::<account>:role/<name>)" : ""}`);
        });
        if (adminPrincipalArns.length > 0 && clusterMode === ClusterMode.Adopt) {
            p.add(configKey("adminPrincipalArns"), `only applies to created clusters; manage an adopted cluster's access entries where it was made`);
        }
        aws = { region: region ?? "", subnetIds, vpcCidr, availabilityZones, adminPrincipalArns };
    } else if (cloud === Cloud.Gcp) {
        const project = providerValue("gcp:project");
        if (!project) p.add("gcp:project", `required for cloud "gcp" (the Google Cloud project ID)`);
        else if (!GCP_PROJECT.test(project)) p.add("gcp:project", `"${project}" is not a Google Cloud project ID`);
        const location = p.str("location", "", values.location) ?? providerValue("gcp:region");
        if (!location) p.add(configKey("location"), `required for cloud "gcp" (a region for a regional cluster or a zone), or set gcp:region`);
        else if (!/^[a-z]+-[a-z]+\d+(-[a-z])?$/.test(location)) p.add(configKey("location"), `"${location}" is not a GCP region or zone`);
        const network = p.str("network", "", values.network) ?? DEFAULTS.gkeNetwork;
        const subnetwork = p.str("subnetwork", "", values.subnetwork);
        if (clusterMode === ClusterMode.Adopt) {
            for (const k of ["network", "subnetwork"] as const) {
                if (values[k] !== undefined) p.add(configKey(k), `only applies to created clusters`);
            }
        }
        gcp = { project: project ?? "", location: location ?? "", network, subnetwork };
    } else if (cloud === Cloud.Azure) {
        const resourceGroup = p.str("resourceGroup", "", values.resourceGroup, true);
        if (resourceGroup !== undefined && !AZURE_RESOURCE_GROUP.test(resourceGroup)) {
            p.add(configKey("resourceGroup"), `"${resourceGroup}" is not a resource group name (1-90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.')`);
        }
        const location = p.str("location", "", values.location) ?? providerValue("azure-native:location");
        if (!location && clusterMode === ClusterMode.Create) p.add(configKey("location"), `required for a created AKS cluster (its Azure region, e.g. westeurope), or set azure-native:location`);
        else if (location && !AZURE_LOCATION.test(location)) p.add(configKey("location"), `"${location}" is not an Azure region name such as westeurope`);
        const adminGroupObjectIds = p.strList("adminGroupObjectIds", values.adminGroupObjectIds) ?? [];
        adminGroupObjectIds.forEach((g, i) => {
            if (!GUID.test(g)) p.add(configKey("adminGroupObjectIds", `[${i}]`), `"${g}" is not a Microsoft Entra object ID (a GUID)`);
        });
        if (adminGroupObjectIds.length > 0 && clusterMode === ClusterMode.Adopt) {
            p.add(configKey("adminGroupObjectIds"), `only applies to created clusters; grant an adopted cluster's admins where it was made`);
        }
        azure = { resourceGroup: resourceGroup ?? "", location: location ?? "", adminGroupObjectIds };
    }

    const deletionProtection = p.bool("deletionProtection", values.deletionProtection) ?? DEFAULTS.deletionProtection;
    // Refused rather than ignored: an adopted cluster's protection is set where it is managed,
    // and a stack that says "false" must not let anyone believe pulumi destroy could remove it.
    if (values.deletionProtection !== undefined && clusterMode === ClusterMode.Adopt) {
        p.add(configKey("deletionProtection"), `only applies to created clusters; an adopted cluster keeps its own deletion protection (change it where the cluster is managed)`);
    }
    const apiAllowedCidrs = p.strList("apiAllowedCidrs", values.apiAllowedCidrs) ?? [];
    apiAllowedCidrs.forEach((c, i) => {
        if (!ANY_CIDR.test(c)) p.add(configKey("apiAllowedCidrs", `[${i}]`), `"${c}" is not an IPv4 CIDR such as 198.51.100.0/24`);
    });
    if (apiAllowedCidrs.length > 0 && clusterMode === ClusterMode.Adopt) {
        p.add(configKey("apiAllowedCidrs"), `only applies to created clusters; an adopted cluster keeps its own endpoint access`);
    }

    const systemPool = parseSystemPool(p, cloud, clusterMode, values.systemPool);
    const { pools, indices } = byKubeconfig ? { pools: [], indices: [] } : parsePools(p, cloud, values.pools);
    if (byKubeconfig && values.pools !== undefined) {
        p.add(configKey("pools"), `does not apply to cloud "kubernetes": the program provisions no nodes there; list the runtimes your sandbox nodes have in ${configKey("nodeRuntimes")}`);
    }

    // Shim names and the default's membership are SandboxRuntimes' to check (componentProblems).
    // AKS runs one VMM (Cloud Hypervisor): its default shim is clh, kata-deploy's elsewhere.
    const cloudDefaultShim = cloud === undefined ? DEFAULTS.defaultKataShim : defaultKataShim(cloud);
    const kataShims = (p.strList("kataShims", values.kataShims) ?? [cloudDefaultShim]) as KataShim[];
    const kataDefault = (p.str("defaultKataShim", "", values.defaultKataShim) ??
        (kataShims.includes(cloudDefaultShim) ? cloudDefaultShim : kataShims[0])) as KataShim;
    const hasKata = pools.some((x) => x.runtime === Runtime.Kata) || (kubernetes?.runtimes.includes(Runtime.Kata) ?? false);
    if (!hasKata) {
        for (const k of ["kataShims", "defaultKataShim", "kataChart", "kubernetesDistribution"] as const) {
            if (values[k] !== undefined) p.add(configKey(k), byKubeconfig ? `${configKey("nodeRuntimes")} has no kata` : `no pool in ${configKey("pools")} runs Kata`);
        }
    }
    const kataChartObj = values.kataChart === undefined ? undefined : p.object("kataChart", "", values.kataChart, KATA_CHART_KEYS);
    const kataChart = kataChartObj && strip({
        repository: p.str("kataChart", ".repository", kataChartObj.repository),
        name: p.str("kataChart", ".name", kataChartObj.name),
        version: p.str("kataChart", ".version", kataChartObj.version),
        caFile: p.str("kataChart", ".caFile", kataChartObj.caFile),
    });
    const verificationImage = p.str("verificationImage", "", values.verificationImage);
    const verifyTimeoutSeconds = p.int("verifyTimeoutSeconds", "", values.verifyTimeoutSeconds);
    if (verifyTimeoutSeconds === 0) p.add(configKey("verifyTimeoutSeconds"), "must be at least 1 (seconds a verification Job may take, scheduling included)");
    const agentObj = values.agentSandbox === undefined ? undefined : p.object("agentSandbox", "", values.agentSandbox, AGENT_SANDBOX_KEYS);
    // Keys of warmPools are RuntimeClass names, which SandboxRuntimes checks.
    const warmObj = agentObj?.warmPools === undefined ? undefined
        : isObject(agentObj.warmPools) ? agentObj.warmPools : p.object("agentSandbox", ".warmPools", agentObj.warmPools, []);
    const agentSandbox = agentObj && strip({
        image: p.str("agentSandbox", ".image", agentObj.image, true) ?? "",
        namespaces: p.stringMap("agentSandbox", ".namespaces", agentObj.namespaces),
        createNamespaces: p.bool("agentSandbox", agentObj.createNamespaces, ".createNamespaces"),
        warmPools: warmObj && Object.fromEntries(Object.entries(warmObj).map(([k, v]) => [k, p.int("agentSandbox", `.warmPools["${k}"]`, v) ?? 0])),
        automountServiceAccountToken: p.bool("agentSandbox", agentObj.automountServiceAccountToken, ".automountServiceAccountToken"),
    });

    // Each namespace's args are SandboxNamespace's to check (componentProblems).
    const tenantObj = values.tenantNamespaces === undefined || values.tenantNamespaces === null ? undefined
        : isObject(values.tenantNamespaces) ? values.tenantNamespaces : p.object("tenantNamespaces", "", values.tenantNamespaces, []);
    const tenantNamespaces = tenantObj && Object.fromEntries(
        Object.entries(tenantObj).map(([ns, v]) => {
            if (v !== null && !isObject(v)) p.add(configKey("tenantNamespaces", `["${ns}"]`), `must be a map of SandboxNamespace arguments, {} for the defaults (got ${JSON.stringify(v)})`);
            return [ns, (isObject(v) ? v : {}) as NonNullable<StackConfig["tenantNamespaces"]>[string]];
        }),
    );

    // Karpenter is the user's: it must already run in the cluster, and its version decides what it can serve.
    const karpenterIndices = indices.filter((_, k) => pools[k].provisioner === Provisioner.Karpenter);
    const karpenterVersion = p.str("karpenterVersion", "", values.karpenterVersion);
    if (karpenterIndices.length > 0 && karpenterVersion === undefined && values.karpenterVersion === undefined) {
        p.add(configKey("karpenterVersion"), `required while a pool's provisioner is "karpenter" (${configKey("pools", `[${karpenterIndices[0]}].provisioner`)}): the version of the Karpenter running in the cluster, e.g. "1.13.1"`);
    }
    // A misspelled provisioner is reported at the pool; the version may well be meant for it.
    const provisionersKnown = !Array.isArray(values.pools) ||
        values.pools.every((x: unknown) => !isObject(x) || x.provisioner === undefined || PROVISIONERS.includes(x.provisioner as Provisioner));
    if (karpenterIndices.length === 0 && values.karpenterVersion !== undefined && provisionersKnown) {
        p.add(configKey("karpenterVersion"), `no pool in ${configKey("pools")} has provisioner "karpenter"`);
    }
    if (clusterMode === ClusterMode.Create) {
        for (const i of karpenterIndices) {
            p.add(configKey("pools", `[${i}].provisioner`), `"karpenter" needs ${configKey("clusterMode")} adopt: Karpenter is yours to install, into a cluster that exists before its pools`);
        }
    }

    const verifyRuntimes = p.bool("verifyRuntimes", values.verifyRuntimes) ?? DEFAULTS.verifyRuntimes;
    if (cloud === Cloud.Aws && verifyRuntimes) {
        pools.forEach((pool, k) => {
            if (pool.minSize === 0 && pool.provisioner !== Provisioner.Karpenter) {
                p.add(configKey("pools", `[${indices[k]}].minSize`), `must be at least 1 while ${configKey("verifyRuntimes")} is on: EKS has no cluster autoscaler by default, so the pool's verification Job would wait for a node that never comes`);
            }
        });
    }
    const admissionMode = (p.oneOf("admissionMode", "", values.admissionMode, Object.values(AdmissionMode)) ??
        DEFAULTS.admissionMode) as AdmissionMode;
    const admissionExemptNamespaces = p.strList("admissionExemptNamespaces", values.admissionExemptNamespaces) ?? [];
    const admissionAllowedCsiDrivers = p.strList("admissionAllowedCsiDrivers", values.admissionAllowedCsiDrivers) ?? [];
    const admissionAllowHostPorts = p.bool("admissionAllowHostPorts", values.admissionAllowHostPorts) ?? DEFAULTS.admissionAllowHostPorts;

    const tags = p.stringMap("tags", "", values.tags) ?? {};
    if (cloud === Cloud.Gcp) {
        // On GCP the tags become GCE resource labels, which GKE rejects in any other spelling.
        for (const [k, v] of Object.entries(tags)) {
            if (!GCE_LABEL_KEY.test(k) || !GCE_LABEL_VALUE.test(v)) {
                p.add(configKey("tags", `["${k}"]`), `"${k}: ${v}" is not a GCE label (lowercase letters, digits, '_' and '-'; keys start with a letter; at most 63)`);
            }
        }
    }

    if (cloud === undefined) return { ok: false, problems: p.problems };
    const config: StackConfig = {
        stack,
        cloud,
        clusterMode,
        clusterName,
        kubernetesVersion: kubernetesVersion ?? (cloud === Cloud.Aws && clusterMode === ClusterMode.Create ? DEFAULTS.eksKubernetesVersion : undefined),
        aws,
        gcp,
        azure,
        deletionProtection,
        apiAllowedCidrs,
        systemPool,
        pools,
        kataShims: hasKata ? kataShims : [],
        defaultKataShim: kataDefault,
        verifyRuntimes,
        admissionMode,
        admissionExemptNamespaces,
        admissionAllowedCsiDrivers,
        admissionAllowHostPorts,
        tags,
        ...(karpenterVersion !== undefined && karpenterIndices.length > 0 ? { karpenterVersion } : {}),
        ...(kubernetes ? { kubernetes } : {}),
        ...(verificationImage !== undefined ? { verificationImage } : {}),
        ...(verifyTimeoutSeconds ? { verifyTimeoutSeconds } : {}),
        ...(agentSandbox ? { agentSandbox } : {}),
        ...(tenantNamespaces ? { tenantNamespaces } : {}),
        ...(kataChart && hasKata ? { kataChart } : {}),
    };
    // The components validate what only they know (instance catalogues, image types, shims...)
    // on the very args the program will pass them; a key already reported is not repeated.
    const reported = new Set(p.problems.map((x) => x.path));
    const problems = [...p.problems, ...componentProblems(config, indices).filter((x) => !reported.has(x.path))];
    return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/**
 * An unquoted `kubernetesVersion: 1.30` reaches the program as the number 1.3: YAML reads it as
 * a float and drops the trailing zero. Say so, and how to write it.
 */
function unquotedVersion(n: number): string {
    const meant = n.toFixed(2);
    const example = K8S_VERSION.test(meant) ? meant : DEFAULTS.eksKubernetesVersion;
    return `is the number ${n}: YAML reads an unquoted version as a number${meant !== String(n) ? ` and drops its trailing zero (1.30 becomes 1.3)` : ""}; quote it: kubernetesVersion: "${example}"`;
}

/** For "1.3" that came as text (Pulumi's config may render the YAML number 1.30 as "1.3"), the same hint. */
function droppedZeroHint(version: string): string {
    return /^1\.\d$/.test(version) ? `; if the stack file says ${version}0 without quotes, YAML read it as the number ${version}: quote it, "${version}0"` : "";
}

/** The problems as one message, one line per config key, for the CLI and `pulumi up`. */
export function formatProblems(problems: readonly Problem[]): string {
    return `invalid stack configuration:\n${problems.map((x) => `  - ${x.path}: ${x.message}`).join("\n")}`;
}

function parseSystemPool(p: Reader, cloud: ProgramCloud | undefined, mode: ClusterMode, raw: unknown): SystemPoolConfig {
    const d = DEFAULTS.systemPool;
    const fallback: SystemPoolConfig = {
        instanceTypes: cloud === Cloud.Aws ? [...d.aws.instanceTypes] : undefined,
        machineType: cloud === Cloud.Gcp ? d.gcp.machineType : undefined,
        ...(cloud === Cloud.Azure ? { vmSize: d.azure.vmSize } : {}),
        minSize: d.minSize,
        maxSize: d.maxSize,
        desiredSize: d.desiredSize,
    };
    if (raw === undefined) return fallback;
    const obj = p.object("systemPool", "", raw, SYSTEM_POOL_KEYS);
    if (!obj) return fallback;
    if (mode === ClusterMode.Adopt) {
        p.add(configKey("systemPool"), `only applies to created clusters; an adopted cluster keeps its own pools`);
    }
    const at = (k: string) => `.${k}`;
    const instanceTypes = p.strList("systemPool", obj.instanceTypes, at("instanceTypes"));
    const machineType = p.str("systemPool", at("machineType"), obj.machineType);
    if (cloud === Cloud.Aws && obj.machineType !== undefined) p.add(configKey("systemPool", ".machineType"), `use instanceTypes on cloud "aws"`);
    if (cloud === Cloud.Gcp && obj.instanceTypes !== undefined) p.add(configKey("systemPool", ".instanceTypes"), `use machineType on cloud "gcp"`);
    const vmSize = p.str("systemPool", at("vmSize"), obj.vmSize);
    for (const k of ["instanceTypes", "machineType"] as const) {
        if (cloud === Cloud.Azure && obj[k] !== undefined) p.add(configKey("systemPool", `.${k}`), `use vmSize on cloud "azure"`);
    }
    if (cloud !== Cloud.Azure && obj.vmSize !== undefined) p.add(configKey("systemPool", ".vmSize"), `does not apply to cloud "${cloud}"`);
    const minSize = p.int("systemPool", at("minSize"), obj.minSize) ?? d.minSize;
    const maxSize = p.int("systemPool", at("maxSize"), obj.maxSize) ?? Math.max(d.maxSize, minSize);
    const desiredSize = p.int("systemPool", at("desiredSize"), obj.desiredSize) ?? Math.min(Math.max(d.desiredSize, minSize), maxSize);
    if (minSize < 1) {
        p.add(configKey("systemPool", ".minSize"), `must be at least 1: sandbox pools are tainted and a gVisor or Kata pool is never the cluster's only pool`);
    }
    if (maxSize < minSize) p.add(configKey("systemPool", ".maxSize"), `must be at least minSize (${minSize})`);
    if (desiredSize < minSize || desiredSize > maxSize) {
        p.add(configKey("systemPool", ".desiredSize"), `must lie between minSize (${minSize}) and maxSize (${maxSize})`);
    }
    return {
        instanceTypes: cloud === Cloud.Aws ? instanceTypes ?? fallback.instanceTypes : undefined,
        machineType: cloud === Cloud.Gcp ? machineType ?? fallback.machineType : undefined,
        ...(cloud === Cloud.Azure ? { vmSize: vmSize ?? fallback.vmSize } : {}),
        minSize,
        maxSize,
        desiredSize,
    };
}

/** Cloud "kubernetes": the kubeconfig (inline secret or a file) and the runtimes of the user's sandbox nodes. */
function parseKubernetes(p: Reader, values: Record<string, unknown>): NonNullable<StackConfig["kubernetes"]> {
    const kubeconfig = p.str("kubeconfig", "", values.kubeconfig);
    const kubeconfigPath = p.str("kubeconfigPath", "", values.kubeconfigPath);
    if (values.kubeconfig === undefined && values.kubeconfigPath === undefined) {
        p.add(configKey("kubeconfig"), `required for cloud "kubernetes": the cluster's kubeconfig (\`pulumi config set --secret ${configKey("kubeconfig")} < file\`), or name its file in ${configKey("kubeconfigPath")}`);
    }
    if (values.kubeconfig !== undefined && values.kubeconfigPath !== undefined) {
        p.add(configKey("kubeconfigPath"), `set either ${configKey("kubeconfig")} or ${configKey("kubeconfigPath")}, not both`);
    }
    let runtimes: Runtime[] = [];
    if (values.nodeRuntimes === undefined) {
        p.add(configKey("nodeRuntimes"), `required for cloud "kubernetes": the runtimes your sandbox nodes have (${RUNTIMES.join(", ")})`);
    } else {
        const listed = p.strList("nodeRuntimes", values.nodeRuntimes) ?? [];
        if (Array.isArray(values.nodeRuntimes) && values.nodeRuntimes.length === 0) p.add(configKey("nodeRuntimes"), `must name at least one runtime (${RUNTIMES.join(", ")})`);
        listed.forEach((r, i) => {
            if (!(RUNTIMES as readonly string[]).includes(r)) p.add(configKey("nodeRuntimes", `[${i}]`), `must be one of ${RUNTIMES.join(", ")} (got "${r}")`);
        });
        runtimes = listed.filter((r): r is Runtime => (RUNTIMES as readonly string[]).includes(r));
    }
    const distribution = p.str("kubernetesDistribution", "", values.kubernetesDistribution);
    return strip({ kubeconfig, kubeconfigPath, runtimes, distribution });
}

/** The pools that parsed, and the index of each in the stack's list (for config keys). */
function parsePools(p: Reader, cloud: ProgramCloud | undefined, raw: unknown): { pools: PoolConfig[]; indices: number[] } {
    const indices: number[] = [];
    if (raw === undefined) {
        p.add(configKey("pools"), `required: a list of sandbox pools (name, runtime, ${cloud === Cloud.Gcp ? "machineType" : "instanceTypes"}, sizes)`);
        return { pools: [], indices };
    }
    if (!Array.isArray(raw)) {
        p.add(configKey("pools"), `must be a list of pools`);
        return { pools: [], indices };
    }
    if (raw.length === 0) p.add(configKey("pools"), `must name at least one sandbox pool`);
    const pools: PoolConfig[] = [];
    raw.forEach((item, i) => {
        const at = (k: string) => `[${i}].${k}`;
        const obj = p.object("pools", `[${i}]`, item, POOL_KEYS);
        if (!obj) return;
        const name = p.str("pools", at("name"), obj.name, true) ?? "";
        if (name && (!isDnsLabel(name) || name.length > POOL_NAME_MAX)) {
            p.add(configKey("pools", at("name")), `"${name}" is not a valid pool name (lowercase letters, digits and '-', at most ${POOL_NAME_MAX})`);
        }
        const runtime = p.oneOf("pools", at("runtime"), obj.runtime, RUNTIMES, true) as Runtime | undefined;
        const foreign: readonly string[] = cloud === Cloud.Aws ? [...GCP_ONLY_POOL_KEYS, ...AZURE_ONLY_POOL_KEYS]
            : cloud === Cloud.Gcp ? [...AWS_ONLY_POOL_KEYS, ...AZURE_ONLY_POOL_KEYS]
            : cloud === Cloud.Azure ? [...AWS_ONLY_POOL_KEYS, ...GCP_ONLY_POOL_KEYS]
            : [];
        for (const k of foreign) {
            if (obj[k] !== undefined) p.add(configKey("pools", at(k)), `does not apply to cloud "${cloud}"`);
        }
        const provisioner = p.oneOf("pools", at("provisioner"), obj.provisioner, PROVISIONERS) as Provisioner | undefined;
        const karpenter = provisioner === Provisioner.Karpenter;
        if (cloud === Cloud.Aws) {
            for (const k of karpenter ? NODE_GROUP_ONLY_POOL_KEYS : KARPENTER_ONLY_POOL_KEYS) {
                if (obj[k] === undefined) continue;
                p.add(configKey("pools", at(k)), karpenter
                    ? `does not apply to provisioner "karpenter": Karpenter launches nodes as pending pods need them and removes empty ones`
                    : `only applies to provisioner "karpenter"`);
            }
        }
        const instanceFamilies = p.strList("pools", obj.instanceFamilies, at("instanceFamilies"));
        const kataVirtualization = p.str("pools", at("kataVirtualization"), obj.kataVirtualization);
        const limitsObj = obj.limits === undefined ? undefined : p.object("pools", at("limits"), obj.limits, KARPENTER_LIMIT_KEYS);
        const limits = limitsObj && p.stringMap("pools", at("limits"), limitsObj);
        const instanceTypes = p.strList("pools", obj.instanceTypes, at("instanceTypes"));
        const machineType = p.str("pools", at("machineType"), obj.machineType);
        if (cloud === Cloud.Aws && !karpenter && instanceTypes === undefined && obj.instanceTypes === undefined) {
            p.add(configKey("pools", at("instanceTypes")), `required on cloud "aws"`);
        }
        if (instanceTypes !== undefined && instanceTypes.length === 0) p.add(configKey("pools", at("instanceTypes")), `must name at least one instance type`);
        if (cloud === Cloud.Gcp && machineType === undefined && obj.machineType === undefined) {
            p.add(configKey("pools", at("machineType")), `required on cloud "gcp"`);
        }
        const minSize = p.int("pools", at("minSize"), obj.minSize) ?? DEFAULTS.pool.minSize[cloud === Cloud.Gcp || cloud === Cloud.Azure ? cloud : Cloud.Aws];
        const maxSize = p.int("pools", at("maxSize"), obj.maxSize) ?? Math.max(DEFAULTS.pool.maxSize, minSize);
        const desiredSize = p.int("pools", at("desiredSize"), obj.desiredSize);
        if (cloud === Cloud.Gcp && desiredSize !== undefined) {
            p.add(configKey("pools", at("desiredSize")), `does not apply to cloud "gcp": GKE autoscaled pools start with one node per zone`);
        }
        if (cloud === Cloud.Azure && desiredSize !== undefined) {
            p.add(configKey("pools", at("desiredSize")), `does not apply to cloud "azure": AKS autoscaled pools start with one node (or minSize) and the autoscaler takes over`);
        }
        const spot = p.bool("pools", obj.spot, at("spot")) ?? false;
        const diskSizeGb = p.int("pools", at("diskSizeGb"), obj.diskSizeGb);
        // Label and taint keys and values, sizes and instance types are checked by the pool
        // components' own validation (componentProblems), under these same keys.
        const labels = p.stringMap("pools", at("labels"), obj.labels) ?? {};
        const taints = parseTaints(p, obj.taints, at("taints"));
        const architecture = p.str("pools", at("architecture"), obj.architecture);
        const gvisorObj = obj.gvisor === undefined ? undefined : p.object("pools", at("gvisor"), obj.gvisor, GVISOR_KEYS);
        const gvisor = gvisorObj && {
            release: p.str("pools", at("gvisor.release"), gvisorObj.release),
            mirror: p.str("pools", at("gvisor.mirror"), gvisorObj.mirror),
            runscFlags: p.stringMap("pools", at("gvisor.runscFlags"), gvisorObj.runscFlags),
        };
        const nodeLocations = p.strList("pools", obj.nodeLocations, at("nodeLocations"));
        const diskType = p.str("pools", at("diskType"), obj.diskType);
        const vmSize = p.str("pools", at("vmSize"), obj.vmSize);
        const zones = p.strList("pools", obj.zones, at("zones"));
        // Read so that an AKS user who writes `osSku: Ubuntu` or `osType: Windows` learns that
        // Pod Sandboxing runs only on Azure Linux (the pool component says so), not "unknown key".
        const osSku = p.str("pools", at("osSku"), obj.osSku);
        const osType = p.str("pools", at("osType"), obj.osType);
        if (runtime === undefined) return;
        indices.push(i);
        pools.push(strip({
            name, runtime, provisioner, instanceFamilies, kataVirtualization, limits, instanceTypes, machineType, minSize, maxSize, desiredSize, spot, diskSizeGb,
            labels, taints, architecture, gvisor: gvisor && strip(gvisor), nodeLocations, diskType, vmSize, zones, osSku, osType,
        }));
    });
    // Every later pool that repeats an earlier name, whether or not the rest of it parsed.
    const seen = new Set<string>();
    raw.forEach((item, i) => {
        const name = isObject(item) && typeof item.name === "string" && item.name !== "" ? item.name : undefined;
        if (name === undefined) return;
        if (seen.has(name)) p.add(configKey("pools", `[${i}].name`), `duplicate pool name "${name}" (pool names must be unique)`);
        seen.add(name);
    });
    return { pools, indices };
}

function parseTaints(p: Reader, raw: unknown, path: string): Taint[] {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
        p.add(configKey("pools", path), `must be a list of {key, value, effect}`);
        return [];
    }
    const taints: Taint[] = [];
    raw.forEach((item, i) => {
        const obj = p.object("pools", `${path}[${i}]`, item, ["key", "value", "effect"]);
        if (!obj) return;
        const key = p.str("pools", `${path}[${i}].key`, obj.key, true) ?? "";
        const value = p.str("pools", `${path}[${i}].value`, obj.value) ?? "";
        const effect = (p.oneOf("pools", `${path}[${i}].effect`, obj.effect, TAINT_EFFECTS) ?? TaintEffect.NoSchedule) as TaintEffect;
        taints.push({ key, value, effect });
    });
    return taints;
}

