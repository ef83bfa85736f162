// `sandbox:pools` (the sandbox node pools), `sandbox:systemPool` (a created cluster's own pool)
// and the keys that only matter because of them (`sandbox:karpenterVersion`). Pure: the pool
// components check what only they know (instance catalogues, labels, sizes) under these keys.
import { Cloud, RUNTIMES, Runtime, TAINT_EFFECTS, Taint, TaintEffect } from "../../components/isolation";
import { isDnsLabel } from "../../components/validation";
import { GVISOR_KEYS, KARPENTER_LIMIT_KEYS, KeyDeclaration, POOL_KEYS, SYSTEM_POOL_KEYS, TAINT_KEYS, appliesTo, configKey } from "./keys";
import { ParseContext, Reader, isObject, strip } from "./reader";
import { ClusterMode, DEFAULTS, PROVISIONERS, PoolConfig, ProgramCloud, Provisioner, SystemPoolConfig } from "./types";

const POOL_NAME_MAX = 40;

/** Why a pool field does not apply to a cloud, where there is more to say than that. */
const NOT_ON_CLOUD: Partial<Record<string, string>> = {
    "desiredSize@gcp": "GKE autoscaled pools start with one node per zone",
    "desiredSize@azure": "AKS autoscaled pools start with one node (or minSize) and the autoscaler takes over",
};

/** The system pool's machine type field on each cloud. */
const SYSTEM_MACHINE_KEY: Record<ProgramCloud, string | undefined> = {
    [Cloud.Aws]: "instanceTypes",
    [Cloud.Gcp]: "machineType",
    [Cloud.Azure]: "vmSize",
    [Cloud.Kubernetes]: undefined,
};

export function parseSystemPool({ p, values, cloud, clusterMode }: ParseContext): SystemPoolConfig {
    const d = DEFAULTS.systemPool;
    const fallback: SystemPoolConfig = {
        instanceTypes: cloud === Cloud.Aws ? [...d.aws.instanceTypes] : undefined,
        machineType: cloud === Cloud.Gcp ? d.gcp.machineType : undefined,
        ...(cloud === Cloud.Azure ? { vmSize: d.azure.vmSize } : {}),
        minSize: d.minSize,
        maxSize: d.maxSize,
        desiredSize: d.desiredSize,
    };
    if (values.systemPool === undefined) return fallback;
    const obj = p.object("systemPool", "", values.systemPool, Object.keys(SYSTEM_POOL_KEYS));
    if (!obj) return fallback;
    if (clusterMode === ClusterMode.Adopt) {
        p.add(configKey("systemPool"), `only applies to created clusters; an adopted cluster keeps its own pools`);
    }
    // Every field that does not apply is another cloud's machine type: name this cloud's.
    const own = cloud === undefined ? undefined : SYSTEM_MACHINE_KEY[cloud];
    const fields = cloud === undefined ? obj : onlyFor(p, "systemPool", "", obj, SYSTEM_POOL_KEYS, cloud, () =>
        own === undefined ? `does not apply to cloud "${cloud}"` : `use ${own} on cloud "${cloud}"`);
    const at = (k: string) => `.${k}`;
    const instanceTypes = p.strList("systemPool", fields.instanceTypes, at("instanceTypes"));
    const machineType = p.str("systemPool", at("machineType"), fields.machineType);
    const vmSize = p.str("systemPool", at("vmSize"), fields.vmSize);
    const minSize = p.int("systemPool", at("minSize"), fields.minSize) ?? d.minSize;
    const maxSize = p.int("systemPool", at("maxSize"), fields.maxSize) ?? Math.max(d.maxSize, minSize);
    const desiredSize = p.int("systemPool", at("desiredSize"), fields.desiredSize) ?? Math.min(Math.max(d.desiredSize, minSize), maxSize);
    // Sizes and machine types are the cluster components' to check (componentProblems).
    return {
        instanceTypes: cloud === Cloud.Aws ? instanceTypes ?? fallback.instanceTypes : undefined,
        machineType: cloud === Cloud.Gcp ? machineType ?? fallback.machineType : undefined,
        ...(cloud === Cloud.Azure ? { vmSize: vmSize ?? fallback.vmSize } : {}),
        minSize,
        maxSize,
        desiredSize,
    };
}

/** The pools that parsed, and the index of each in the stack's list (for config keys). */
export function parsePools({ p, values, cloud }: ParseContext): { pools: PoolConfig[]; indices: number[] } {
    const raw = values.pools;
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
        const pool = parsePool(p, cloud, item, i);
        if (pool === undefined) return;
        indices.push(i);
        pools.push(pool);
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

/** One entry of `sandbox:pools`, or undefined when it has no usable runtime (its problems reported). */
function parsePool(p: Reader, cloud: ProgramCloud | undefined, item: unknown, i: number): PoolConfig | undefined {
    const at = (k: string) => `[${i}].${k}`;
    const given = p.object("pools", `[${i}]`, item, Object.keys(POOL_KEYS));
    if (!given) return undefined;
    const name = p.str("pools", at("name"), given.name, true) ?? "";
    if (name && (!isDnsLabel(name) || name.length > POOL_NAME_MAX)) {
        p.add(configKey("pools", at("name")), `"${name}" is not a valid pool name (lowercase letters, digits and '-', at most ${POOL_NAME_MAX})`);
    }
    const runtime = p.oneOf("pools", at("runtime"), given.runtime, RUNTIMES, true) as Runtime | undefined;
    const onCloud = cloud === undefined ? given : onlyFor(p, "pools", `[${i}]`, given, POOL_KEYS, cloud, (k) => {
        const why = NOT_ON_CLOUD[`${k}@${cloud}`];
        return `does not apply to cloud "${cloud}"${why ? `: ${why}` : ""}`;
    });
    const provisioner = p.oneOf("pools", at("provisioner"), onCloud.provisioner, PROVISIONERS) as Provisioner | undefined;
    const karpenter = provisioner === Provisioner.Karpenter;
    const obj = cloud !== Cloud.Aws ? onCloud : onlyForProvisioner(p, i, onCloud, provisioner ?? Provisioner.NodeGroup);
    const instanceFamilies = p.strList("pools", obj.instanceFamilies, at("instanceFamilies"));
    const kataVirtualization = p.str("pools", at("kataVirtualization"), obj.kataVirtualization);
    const limitsObj = obj.limits === undefined ? undefined : p.object("pools", at("limits"), obj.limits, Object.keys(KARPENTER_LIMIT_KEYS));
    const limits = limitsObj && p.stringMap("pools", at("limits"), limitsObj);
    const instanceTypes = p.strList("pools", obj.instanceTypes, at("instanceTypes"));
    const machineType = p.str("pools", at("machineType"), obj.machineType);
    if (cloud === Cloud.Aws && !karpenter && instanceTypes === undefined && obj.instanceTypes === undefined) {
        p.add(configKey("pools", at("instanceTypes")), `required on cloud "aws"`);
    }
    if (cloud === Cloud.Gcp && machineType === undefined && obj.machineType === undefined) {
        p.add(configKey("pools", at("machineType")), `required on cloud "gcp"`);
    }
    const minSize = p.int("pools", at("minSize"), obj.minSize) ?? DEFAULTS.pool.minSize[cloud === Cloud.Gcp || cloud === Cloud.Azure ? cloud : Cloud.Aws];
    const maxSize = p.int("pools", at("maxSize"), obj.maxSize) ?? Math.max(DEFAULTS.pool.maxSize, minSize);
    const desiredSize = p.int("pools", at("desiredSize"), obj.desiredSize);
    const spot = p.bool("pools", obj.spot, at("spot")) ?? false;
    const diskSizeGb = p.int("pools", at("diskSizeGb"), obj.diskSizeGb);
    // Label and taint keys and values, sizes and instance types are checked by the pool
    // components' own validation (componentProblems), under these same keys.
    const labels = p.stringMap("pools", at("labels"), obj.labels) ?? {};
    const taints = parseTaints(p, obj.taints, at("taints"));
    const architecture = p.str("pools", at("architecture"), obj.architecture);
    const gvisorObj = obj.gvisor === undefined ? undefined : p.object("pools", at("gvisor"), obj.gvisor, Object.keys(GVISOR_KEYS));
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
    if (runtime === undefined) return undefined;
    return strip({
        name, runtime, provisioner, instanceFamilies, kataVirtualization, limits, instanceTypes, machineType, minSize, maxSize, desiredSize, spot, diskSizeGb,
        labels, taints, architecture, gvisor: gvisor && strip(gvisor), nodeLocations, diskType, vmSize, zones, osSku, osType,
    });
}

/** An AWS pool's fields without those its provisioner does not take, each of those reported. */
function onlyForProvisioner(p: Reader, i: number, obj: Record<string, unknown>, provisioner: Provisioner): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
        const d: KeyDeclaration | undefined = POOL_KEYS[k as keyof typeof POOL_KEYS];
        if (v === undefined || d?.provisioners === undefined || d.provisioners.includes(provisioner)) {
            out[k] = v;
            continue;
        }
        p.add(configKey("pools", `[${i}].${k}`), provisioner === Provisioner.Karpenter
            ? `does not apply to provisioner "karpenter": Karpenter launches nodes as pending pods need them and removes empty ones`
            : `only applies to provisioner "karpenter"`);
    }
    return out;
}

/** The fields of `obj` that apply to `cloud`; each other one is reported with `why(field)`. */
function onlyFor(
    p: Reader, key: string, path: string, obj: Record<string, unknown>, declared: Record<string, KeyDeclaration>,
    cloud: ProgramCloud, why: (field: string) => string,
): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
        const d = declared[k];
        if (v === undefined || d === undefined || appliesTo(d, cloud)) out[k] = v;
        else p.add(configKey(key, `${path}.${k}`), why(k));
    }
    return out;
}

function parseTaints(p: Reader, raw: unknown, path: string): Taint[] {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) {
        p.add(configKey("pools", path), `must be a list of {key, value, effect}`);
        return [];
    }
    const taints: Taint[] = [];
    raw.forEach((item, i) => {
        const obj = p.object("pools", `${path}[${i}]`, item, Object.keys(TAINT_KEYS));
        if (!obj) return;
        const key = p.str("pools", `${path}[${i}].key`, obj.key, true) ?? "";
        const value = p.str("pools", `${path}[${i}].value`, obj.value) ?? "";
        const effect = (p.oneOf("pools", `${path}[${i}].effect`, obj.effect, TAINT_EFFECTS) ?? TaintEffect.NoSchedule) as TaintEffect;
        taints.push({ key, value, effect });
    });
    return taints;
}

/**
 * `sandbox:karpenterVersion` and the rules of Karpenter pools: the version of the cluster's own
 * Karpenter (it decides what that Karpenter can serve), which must exist before its pools.
 */
export function parseKarpenterVersion({ p, values, clusterMode }: ParseContext, pools: readonly PoolConfig[], indices: readonly number[]): string | undefined {
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
    return karpenterIndices.length > 0 ? karpenterVersion : undefined;
}

/** EKS has no cluster autoscaler by default: a node-group pool that starts empty never gets its verification Job a node. */
export function verifiedPoolProblems({ p, cloud }: ParseContext, verifyRuntimes: boolean, pools: readonly PoolConfig[], indices: readonly number[]): void {
    if (cloud !== Cloud.Aws || !verifyRuntimes) return;
    pools.forEach((pool, k) => {
        if (pool.minSize === 0 && pool.provisioner !== Provisioner.Karpenter) {
            p.add(configKey("pools", `[${indices[k]}].minSize`), `must be at least 1 while ${configKey("verifyRuntimes")} is on: EKS has no cluster autoscaler by default, so the pool's verification Job would wait for a node that never comes`);
        }
    });
}
