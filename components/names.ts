// The name budget: every name the package gives a cloud resource, and the rule the cloud holds
// that name to. Components never spell a physical name or a name-derived child name without
// going through here. Pure: no Pulumi resources, no I/O.
//
// Two ways a resource gets its name:
// - Pulumi auto-names it from the child's logical name: `<logical>-<7 random hex>` (the
//   providers' default; tfbridge `AutoName`, Randlen 7). `autoNamed(kind, logical)` returns a
//   logical name whose auto-name fits the kind's rule.
// - We give the physical name ourselves (GCP service account IDs, GKE node pools named after a
//   stack's pool, cluster names). `physicalName(kind, desired)` derives one that fits;
//   `nameProblems(kind, path, name)` checks one a user gives.
//
// A name that already fits is returned unchanged, so stacks deployed before the budget keep
// their resources. Anything else (too long, a character the cloud refuses, a bad first or last
// character) is sanitised, cut and suffixed with a hash of the whole original name, so two
// different inputs never end up with the same name. The rules below are the clouds' own and
// never stricter: a stricter rule would rename (and so replace) resources that deployed fine.
//
// Assumes Pulumi's default auto-naming. A project that sets `pulumi:autonaming` to another
// pattern takes the length of that pattern's additions upon itself.
//
// Sources (checked 2026-12): AWS IAM quotas (role names 64, instance profile names 128,
// `[\w+=,.@-]`, unique per account without regard to case); EC2 CreateLaunchTemplate (3-128 of
// `[a-zA-Z0-9().\-/_]`); EC2 Auto Scaling CreateAutoScalingGroup (1-255); EKS CreateNodegroup
// (at most 63, a letter or digit first, then letters, digits, '-' and '_'); EKS CreateCluster
// (1-100, `^[0-9A-Za-z][A-Za-z0-9\-_]*`); GKE clusters and node pools (a lowercase letter,
// then at most 39 of `[-a-z0-9]`, not ending in '-'); IAM service accounts (account ID 6-30,
// `^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$`, display name at most 100, description at most 256);
// Pulumi's tfbridge `AutoName` (`<name>-` plus 7 random hex characters); AKS clusters (1-63,
// letters, digits, '-' and '_', a letter or digit at both ends: Azure naming rules for
// Microsoft.ContainerService/managedClusters) and Linux agent pools (a lowercase letter, then
// lowercase letters and digits, at most 12: AKS "Use system node pools", limitations); Karpenter NodePools
// (their name is a node label value: a DNS label of at most 63).
import { createHash } from "crypto";
import { Problem, ProblemCode } from "./validation";

/** Every kind of cloud name the package generates or takes. */
export const NameKind = {
    AwsIamRole: "aws-iam-role",
    AwsInstanceProfile: "aws-instance-profile",
    AwsLaunchTemplate: "aws-launch-template",
    AwsAutoScalingGroup: "aws-auto-scaling-group",
    EksNodeGroup: "eks-node-group",
    EksCluster: "eks-cluster",
    GkeCluster: "gke-cluster",
    GkeNodePool: "gke-node-pool",
    GcpServiceAccountId: "gcp-service-account-id",
    AksCluster: "aks-cluster",
    AksAgentPool: "aks-agent-pool",
    KarpenterNodePool: "karpenter-node-pool",
} as const;
/** One of the values of `NameKind`. */
export type NameKind = (typeof NameKind)[keyof typeof NameKind];
export const NAME_KINDS: readonly NameKind[] = Object.values(NameKind);

/** What a cloud accepts as one kind of name. */
export interface NameRule {
    /** The cloud's word for the name, used in messages: "IAM role name". */
    label: string;
    min: number;
    max: number;
    /** Matches one character allowed anywhere in the name. */
    char: RegExp;
    /** Matches a character allowed first. */
    first: RegExp;
    /** That first character in words, for messages: "a lowercase letter". */
    firstWords: string;
    /** Matches a character allowed last; default: any allowed character. */
    last?: RegExp;
    /** The allowed syntax in words, for messages. */
    syntax: string;
    /** Only lowercase letters are allowed: sanitising lowercases. */
    lowercase?: boolean;
    /** The cloud tells names apart without regard to case (IAM). */
    caseInsensitive?: boolean;
    /** Hex characters of the hash that keeps shortened names apart. Default 8. */
    hashLength?: number;
    /**
     * The package always gives this name itself; Pulumi never auto-names it (AKS agent pools:
     * twelve characters without '-' leave no room for Pulumi's suffix). `autoNamed` refuses it.
     */
    physicalOnly?: boolean;
}

const IAM_CHAR = /[A-Za-z0-9+=,.@_-]/;
const GKE_NAME: Omit<NameRule, "label"> = {
    min: 1,
    max: 40,
    char: /[a-z0-9-]/,
    first: /[a-z]/,
    firstWords: "a lowercase letter",
    last: /[a-z0-9]/,
    syntax: "a lowercase letter, then lowercase letters, digits and '-', not ending in '-'",
    lowercase: true,
};

export const NAME_RULES: Readonly<Record<NameKind, NameRule>> = {
    [NameKind.AwsIamRole]: {
        label: "IAM role name", min: 1, max: 64, char: IAM_CHAR, first: IAM_CHAR, firstWords: "an allowed character",
        syntax: "letters, digits and + = , . @ _ -", caseInsensitive: true,
    },
    [NameKind.AwsInstanceProfile]: {
        label: "IAM instance profile name", min: 1, max: 128, char: IAM_CHAR, first: IAM_CHAR, firstWords: "an allowed character",
        syntax: "letters, digits and + = , . @ _ -", caseInsensitive: true,
    },
    [NameKind.AwsLaunchTemplate]: {
        label: "launch template name", min: 3, max: 128, char: /[A-Za-z0-9().\/_-]/, first: /[A-Za-z0-9().\/_-]/, firstWords: "an allowed character",
        syntax: "letters, digits and ( ) . / _ -",
    },
    [NameKind.AwsAutoScalingGroup]: {
        label: "Auto Scaling group name", min: 1, max: 255, char: /[^\x00-\x1f\x7f]/, first: /[^\x00-\x1f\x7f]/, firstWords: "a printable character",
        syntax: "printable characters",
    },
    [NameKind.EksNodeGroup]: {
        label: "EKS node group name", min: 1, max: 63, char: /[A-Za-z0-9_-]/, first: /[A-Za-z0-9]/, firstWords: "a letter or digit",
        syntax: "a letter or digit, then letters, digits, '-' and '_'",
    },
    [NameKind.EksCluster]: {
        label: "EKS cluster name", min: 1, max: 100, char: /[A-Za-z0-9_-]/, first: /[A-Za-z0-9]/, firstWords: "a letter or digit",
        syntax: "a letter or digit, then letters, digits, '-' and '_'",
    },
    [NameKind.GkeCluster]: { label: "GKE cluster name", ...GKE_NAME },
    [NameKind.GkeNodePool]: { label: "GKE node pool name", ...GKE_NAME },
    [NameKind.GcpServiceAccountId]: {
        label: "service account ID", min: 6, max: 30, char: /[a-z0-9-]/, first: /[a-z]/, firstWords: "a lowercase letter", last: /[a-z0-9]/,
        syntax: "a lowercase letter, then lowercase letters, digits and '-', not ending in '-'",
        lowercase: true,
        // Six, as the IDs of pools created before the budget were hashed: they keep their accounts.
        hashLength: 6,
    },
    [NameKind.AksCluster]: {
        label: "AKS cluster name", min: 1, max: 63, char: /[A-Za-z0-9_-]/, first: /[A-Za-z0-9]/, firstWords: "a letter or digit", last: /[A-Za-z0-9]/,
        syntax: "letters, digits, '-' and '_', a letter or digit at both ends",
    },
    [NameKind.AksAgentPool]: {
        label: "Linux agent pool name", min: 1, max: 12, char: /[a-z0-9]/, first: /[a-z]/, firstWords: "a lowercase letter",
        syntax: "a lowercase letter, then lowercase letters and digits",
        lowercase: true,
        // Twelve characters leave room for seven of the name and five of the hash.
        hashLength: 5,
        physicalOnly: true,
    },
    // Karpenter copies a NodePool's name into the `karpenter.sh/nodepool` label of its nodes,
    // so the name must also be a label value: a DNS label of at most 63.
    [NameKind.KarpenterNodePool]: {
        label: "Karpenter NodePool name", min: 1, max: 63, char: /[a-z0-9-]/, first: /[a-z0-9]/, firstWords: "a lowercase letter or digit",
        last: /[a-z0-9]/, syntax: "lowercase letters, digits and '-', starting and ending with a letter or digit", lowercase: true,
    },
};

/** Characters Pulumi's default auto-naming appends to a logical name: `-` and 7 random hex. */
export const PULUMI_AUTONAME_SUFFIX_LENGTH = 8;

/** Text limits of free-form fields the package fills from names. */
export const TextLimit = {
    /** `serviceaccount.Account.displayName`. */
    GcpServiceAccountDisplayName: 100,
    /** `serviceaccount.Account.description`. */
    GcpServiceAccountDescription: 256,
    /** AWS tag values (`Name` tags among them). */
    AwsTagValue: 256,
} as const;

/** Put before a name whose first character the cloud refuses (`1pool` -> `sb-1pool`). */
const START_PREFIX = "sb";

/**
 * The logical name for a child resource that Pulumi auto-names: `desired` itself when
 * `<desired>-<7 hex>` is a valid `kind` name, else a sanitised, shortened name with a hash of
 * `desired`, whose auto-name is valid.
 */
export function autoNamed(kind: NameKind, desired: string): string {
    if (NAME_RULES[kind].physicalOnly) throw new Error(`a ${NAME_RULES[kind].label} is never auto-named: give it with physicalName()`);
    return fit(NAME_RULES[kind], desired, PULUMI_AUTONAME_SUFFIX_LENGTH, desired);
}

/**
 * A physical `kind` name derived from `desired`: `desired` itself when valid, else a sanitised,
 * shortened name ending in a hash. `seed` is what the hash is taken of (default `desired`);
 * different seeds give different names.
 */
export function physicalName(kind: NameKind, desired: string, seed: string = desired): string {
    return fit(NAME_RULES[kind], desired, 0, seed);
}

/** Problems with a `kind` name given explicitly, under `path`; empty when it is valid. */
export function nameProblems(kind: NameKind, path: string, name: unknown): Problem[] {
    const why = invalidBecause(NAME_RULES[kind], name, 0);
    return why === undefined ? [] : [{ code: ProblemCode.Malformed, path, message: why }];
}

/** Why `name` (plus `suffix` characters the cloud or Pulumi adds) is not a valid name; undefined when valid. */
function invalidBecause(rule: NameRule, name: unknown, suffix: number): string | undefined {
    if (typeof name !== "string") return `${JSON.stringify(name) ?? String(name)} is not a ${rule.label} (a string)`;
    const spell = `"${name}"`;
    const bad = [...name].find((c) => !rule.char.test(c));
    if (bad !== undefined) return `${spell} is not a valid ${rule.label}: ${JSON.stringify(bad)} is not allowed (${rule.syntax})`;
    if (name.length === 0 || !rule.first.test(name[0])) return `${spell} is not a valid ${rule.label}: it must start with ${rule.firstWords} (${rule.syntax})`;
    if (suffix === 0 && rule.last !== undefined && !rule.last.test(name[name.length - 1])) {
        return `${spell} is not a valid ${rule.label}: it must not end in ${JSON.stringify(name[name.length - 1])} (${rule.syntax})`;
    }
    if (name.length + suffix > rule.max) return `${spell} is ${name.length} characters; a ${rule.label} has at most ${rule.max}`;
    if (name.length + suffix < rule.min) return `${spell} is ${name.length} characters; a ${rule.label} has at least ${rule.min}`;
    return undefined;
}

function fit(rule: NameRule, desired: string, suffix: number, seed: string): string {
    if (invalidBecause(rule, desired, suffix) === undefined) return desired;
    const sep = rule.char.test("-") ? "-" : "";
    const hash = createHash("sha256").update(seed).digest("hex").slice(0, rule.hashLength ?? 8);
    const room = rule.max - suffix - hash.length - sep.length;
    if (room < START_PREFIX.length + sep.length) throw new Error(`the ${rule.label} rule leaves no room for a name before its hash`);
    // Sanitise: lowercase where only lowercase is allowed, every run of refused characters to
    // one separator, a first character the cloud accepts.
    let s = rule.lowercase ? desired.toLowerCase() : desired;
    s = [...s].map((c) => (rule.char.test(c) ? c : "\u0000")).join("").replace(/\u0000+/g, sep);
    if (s.length === 0 || !rule.first.test(s[0])) s = `${START_PREFIX}${sep}${s}`;
    // Cut to the room left for the hash, and drop separators the cut leaves at the end.
    s = s.slice(0, room);
    while (sep !== "" && s.endsWith(sep)) s = s.slice(0, -sep.length);
    return `${s}${sep}${hash}`;
}

/** Cuts free-form text to `max` characters (for descriptions and display names, which need not be unique). */
export function fitText(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** A generated or given name, where it comes from, for the stack-wide uniqueness check. */
export interface NamedResource {
    kind: NameKind;
    name: string;
    /** Config key or arg path that the name derives from. */
    path: string;
}

/**
 * Names of one kind that the cloud would see as the same (IAM ignores case): one problem per
 * later occurrence, naming the earlier one. The program runs it over every name it derives.
 */
export function duplicateNameProblems(names: readonly NamedResource[]): Problem[] {
    const seen = new Map<string, NamedResource>();
    const out: Problem[] = [];
    for (const n of names) {
        const rule = NAME_RULES[n.kind];
        const key = `${n.kind}\n${rule.caseInsensitive ? n.name.toLowerCase() : n.name}`;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, n);
        else out.push({ code: ProblemCode.Duplicate, path: n.path, message: `gives the ${rule.label} "${n.name}", which ${first.path} gives already` });
    }
    return out;
}
