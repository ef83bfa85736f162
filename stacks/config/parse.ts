// Stack configuration: parse and validate every `sandbox:*` key (plus the providers' own
// `aws:region`, `gcp:project`, `gcp:region`) into one typed object, or report every problem
// keyed by its config key. Pure: takes a plain map of config values, reads nothing, creates
// nothing, so the same code serves `pulumi up` (values from pulumi.Config, JSON strings)
// and the offline plan (values straight from a stack YAML file).
import { Cloud, Runtime } from "../../components/isolation";
import { clusterVersionProblem } from "../../components/validation";
import { ConfigProblem as Problem } from "./reader";
import { componentProblems } from "../componentArgs";
import { parseAws } from "./aws";
import { parseAzure } from "./azure";
import { parseGcp } from "./gcp";
import { CONFIG_KEYS, CONFIG_NAMESPACE, ConfigKey, appliesTo, configKey } from "./keys";
import { parseKubernetes } from "./kubernetes";
import { parseKarpenterVersion, parsePools, parseSystemPool, verifiedPoolProblems } from "./pools";
import { ParseContext, Reader, decode, splitKey } from "./reader";
import { parseAdmission, parseAgentSandbox, parseKata, parseTenantNamespaces, parseVerification } from "./runtimes";
import { ClusterMode, DEFAULTS, PROGRAM_CLOUDS, StackConfig } from "./types";

export type ParseResult = { ok: true; config: StackConfig } | { ok: false; problems: Problem[] };

const GCE_LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const GCE_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

/** Why a key does not apply to a cloud, where there is more to say than that. */
const NOT_ON_CLOUD: Partial<Record<ConfigKey, string>> = {
    pools: `the program provisions no nodes there; list the runtimes your sandbox nodes have in ${configKey("nodeRuntimes")}`,
};

/**
 * Parses the stack's config values (`namespace:key` -> value; strings holding JSON, as
 * Pulumi passes objects, are decoded) and validates all of them. Never throws on bad input.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, stack: string): ParseResult {
    const p = new Reader();
    const given: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(raw)) {
        const [ns, key] = splitKey(fullKey);
        if (ns !== CONFIG_NAMESPACE) continue;
        if (!(key in CONFIG_KEYS)) {
            p.add(configKey(key), `unknown config key (known: ${Object.keys(CONFIG_KEYS).join(", ")})`);
            continue;
        }
        given[key] = decode(value, CONFIG_KEYS[key as ConfigKey].type);
    }
    const cloud = p.oneOf("cloud", "", given.cloud, PROGRAM_CLOUDS, true);
    // Keys of other clouds are reported once, and read no further.
    const refused = cloud === undefined ? [] : (Object.keys(given) as ConfigKey[]).filter((k) => given[k] !== undefined && !appliesTo(CONFIG_KEYS[k], cloud));
    const values = Object.fromEntries(Object.entries(given).filter(([k]) => !refused.includes(k as ConfigKey)));
    const byKubeconfig = cloud === Cloud.Kubernetes;
    let clusterMode = (p.oneOf("clusterMode", "", values.clusterMode, Object.values(ClusterMode)) ??
        (byKubeconfig ? ClusterMode.Adopt : DEFAULTS.clusterMode)) as ClusterMode;
    if (byKubeconfig && clusterMode === ClusterMode.Create) {
        p.add(configKey("clusterMode"), `cloud "kubernetes" adopts an existing cluster through its kubeconfig; the program creates no cluster (use "adopt" or leave it out)`);
        clusterMode = ClusterMode.Adopt;
    }
    const ctx: ParseContext = {
        p,
        values,
        cloud,
        clusterMode,
        provider: (k) => (typeof raw[k] === "string" ? (raw[k] as string) : undefined),
    };
    const clusterName = parseClusterName(ctx, stack);
    const kubernetesVersion = parseKubernetesVersion(ctx);
    for (const k of (Object.keys(CONFIG_KEYS) as ConfigKey[]).filter((k) => refused.includes(k))) {
        const why = NOT_ON_CLOUD[k];
        p.add(configKey(k), `does not apply to cloud "${cloud}"${why ? `: ${why}` : ""}`);
    }
    const kubernetes = byKubeconfig ? parseKubernetes(ctx) : undefined;
    const aws = cloud === Cloud.Aws ? parseAws(ctx) : undefined;
    const gcp = cloud === Cloud.Gcp ? parseGcp(ctx) : undefined;
    const azure = cloud === Cloud.Azure ? parseAzure(ctx) : undefined;
    const access = parseClusterAccess(ctx);

    const systemPool = parseSystemPool(ctx);
    const { pools, indices } = byKubeconfig ? { pools: [], indices: [] } : parsePools(ctx);
    const hasKata = pools.some((x) => x.runtime === Runtime.Kata) || (kubernetes?.runtimes.includes(Runtime.Kata) ?? false);
    const kata = parseKata(ctx, hasKata, byKubeconfig ? `${configKey("nodeRuntimes")} has no kata` : `no pool in ${configKey("pools")} runs Kata`);
    const verification = parseVerification(ctx);
    const agentSandbox = parseAgentSandbox(ctx);
    const tenantNamespaces = parseTenantNamespaces(ctx);
    const karpenterVersion = parseKarpenterVersion(ctx, pools, indices);
    verifiedPoolProblems(ctx, verification.verifyRuntimes, pools, indices);
    const admission = parseAdmission(ctx);
    const tags = parseTags(ctx);

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
        ...access,
        systemPool,
        pools,
        ...kata,
        ...verification,
        ...admission,
        tags,
        ...(karpenterVersion !== undefined ? { karpenterVersion } : {}),
        ...(kubernetes ? { kubernetes } : {}),
        ...(agentSandbox ? { agentSandbox } : {}),
        ...(tenantNamespaces ? { tenantNamespaces } : {}),
    };
    // The components validate what only they know (instance catalogues, image types, shims...)
    // on the very args the program will pass them; a key already reported is not repeated.
    const reported = new Set(p.problems.map((x) => x.path));
    const fromComponents = componentProblems(config, indices).filter((x) => !reported.has(x.path)).map((x) => inStackTerms(x, values));
    const problems = [...p.problems, ...fromComponents];
    return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/**
 * What a component cannot know about a value it refuses: that the program chose it (the default
 * cluster name), or how the stack file came to hold it (YAML's unquoted 1.30 is the number 1.3).
 */
function inStackTerms(x: Problem, values: Readonly<Record<string, unknown>>): Problem {
    if (x.path === configKey("clusterName") && values.clusterName === undefined) {
        return { ...x, message: `required: the default ${x.message}` };
    }
    if (x.path === configKey("kubernetesVersion") && typeof values.kubernetesVersion === "string") {
        return { ...x, message: `${x.message}${droppedZeroHint(values.kubernetesVersion)}` };
    }
    return x;
}

/** The problems as one message, one line per config key, for the CLI and `pulumi up`. */
export function formatProblems(problems: readonly Problem[]): string {
    return `invalid stack configuration:\n${problems.map((x) => `  - ${x.path}: ${x.message}`).join("\n")}`;
}

/**
 * The cluster's name, by default `sandbox-<stack>`. Its cloud's rule is the component's to check
 * (the cluster component for a created cluster, the pools for an adopted one); on cloud
 * `kubernetes` it only names the program's resources.
 */
function parseClusterName({ p, values, cloud, clusterMode }: ParseContext, stack: string): string {
    const clusterName = p.str("clusterName", "", values.clusterName);
    if (clusterName === undefined && clusterMode === ClusterMode.Adopt && cloud !== Cloud.Kubernetes && values.clusterName === undefined) {
        p.add(configKey("clusterName"), `required when ${configKey("clusterMode")} is "adopt" (the name of the existing cluster)`);
    }
    return clusterName ?? `sandbox-${stack}`;
}

function parseKubernetesVersion({ p, values, clusterMode }: ParseContext): string | undefined {
    const kubernetesVersion = typeof values.kubernetesVersion === "number"
        ? (p.add(configKey("kubernetesVersion"), unquotedVersion(values.kubernetesVersion)), undefined)
        : p.str("kubernetesVersion", "", values.kubernetesVersion);
    // Its form and range are the cluster component's to check (componentProblems).
    if (kubernetesVersion !== undefined && clusterMode === ClusterMode.Adopt) {
        p.add(configKey("kubernetesVersion"), `only applies to created clusters; an adopted cluster keeps its own version`);
    }
    return kubernetesVersion;
}

/**
 * An unquoted `kubernetesVersion: 1.30` reaches the program as the number 1.3: YAML reads it as
 * a float and drops the trailing zero. Say so, and how to write it.
 */
function unquotedVersion(n: number): string {
    const meant = n.toFixed(2);
    const example = clusterVersionProblem(meant) === undefined ? meant : DEFAULTS.eksKubernetesVersion;
    return `is the number ${n}: YAML reads an unquoted version as a number${meant !== String(n) ? ` and drops its trailing zero (1.30 becomes 1.3)` : ""}; quote it: kubernetesVersion: "${example}"`;
}

/** For "1.3" that came as text (Pulumi's config may render the YAML number 1.30 as "1.3"), the same hint. */
function droppedZeroHint(version: string): string {
    return /^1\.\d$/.test(version) ? `; if the stack file says ${version}0 without quotes, YAML read it as the number ${version}: quote it, "${version}0"` : "";
}

/** A created cluster's protection and API endpoint access; refused for adopted clusters. */
function parseClusterAccess({ p, values, clusterMode }: ParseContext): Pick<StackConfig, "deletionProtection" | "apiAllowedCidrs"> {
    const deletionProtection = p.bool("deletionProtection", values.deletionProtection) ?? DEFAULTS.deletionProtection;
    // Refused rather than ignored: an adopted cluster's protection is set where it is managed,
    // and a stack that says "false" must not let anyone believe pulumi destroy could remove it.
    if (values.deletionProtection !== undefined && clusterMode === ClusterMode.Adopt) {
        p.add(configKey("deletionProtection"), `only applies to created clusters; an adopted cluster keeps its own deletion protection (change it where the cluster is managed)`);
    }
    const apiAllowedCidrs = p.strList("apiAllowedCidrs", values.apiAllowedCidrs) ?? [];
    if (apiAllowedCidrs.length > 0 && clusterMode === ClusterMode.Adopt) {
        p.add(configKey("apiAllowedCidrs"), `only applies to created clusters; an adopted cluster keeps its own endpoint access`);
    }
    return { deletionProtection, apiAllowedCidrs };
}

function parseTags({ p, values, cloud }: ParseContext): Record<string, string> {
    const tags = p.stringMap("tags", "", values.tags) ?? {};
    if (cloud === Cloud.Gcp) {
        // On GCP the tags become GCE resource labels, which GKE rejects in any other spelling.
        for (const [k, v] of Object.entries(tags)) {
            if (!GCE_LABEL_KEY.test(k) || !GCE_LABEL_VALUE.test(v)) {
                p.add(configKey("tags", `["${k}"]`), `"${k}: ${v}" is not a GCE label (lowercase letters, digits, '_' and '-'; keys start with a letter; at most 63)`);
            }
        }
    }
    return tags;
}
