// Argument validation shared by every component: collect every problem with its property
// path, then throw one error a user can act on without reading the source. Pure, no Pulumi.

export interface Problem {
    /** Property path of the bad input, e.g. `kata.shims[1]`. */
    path: string;
    message: string;
    /**
     * Other arg paths the message names word for word (`kata.shims`), so that a caller that
     * reports the problem under its own names (the program, under config keys) can rename them.
     */
    refs?: readonly string[];
}

/** One error listing every bad argument of a component, thrown before any child exists. */
export class InputPropertiesError extends Error {
    readonly problems: readonly Problem[];
    constructor(subject: string, problems: readonly Problem[]) {
        super(`${subject} has invalid arguments:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`);
        this.name = "InputPropertiesError";
        this.problems = problems;
    }
}

/** Collects problems; `throwIfAny` raises them together. */
export class Problems {
    private readonly list: Problem[] = [];

    add(path: string, message: string, refs?: readonly string[]): void {
        this.list.push(refs === undefined ? { path, message } : { path, message, refs });
    }

    addAll(problems: readonly Problem[]): void {
        this.list.push(...problems);
    }

    get all(): readonly Problem[] {
        return this.list;
    }

    /** `subject` names what is being validated, e.g. `SandboxRuntimes "prod"`. */
    throwIfAny(subject: string): void {
        if (this.list.length > 0) {
            throw new InputPropertiesError(subject, this.list);
        }
    }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** RFC 1123 label: namespace and most object names. */
export function isDnsLabel(s: string): boolean {
    return s.length <= 63 && DNS_LABEL.test(s);
}

/** RFC 1123 subdomain: RuntimeClass names, label key prefixes. */
export function isDnsSubdomain(s: string): boolean {
    return s.length <= 253 && DNS_SUBDOMAIN.test(s);
}

/** A Kubernetes label or taint key: optional DNS-subdomain prefix, `/`, name of at most 63. */
export function isLabelKey(s: string): boolean {
    const slash = s.lastIndexOf("/");
    const prefix = slash >= 0 ? s.slice(0, slash) : undefined;
    const name = slash >= 0 ? s.slice(slash + 1) : s;
    if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
    return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

/** A Kubernetes label or taint value (may be empty). */
export function isLabelValue(s: string): boolean {
    return s.length <= 63 && LABEL_VALUE.test(s);
}

/** A Kubernetes resource quantity such as `250m`, `1`, `320Mi`. */
export function isQuantity(s: string): boolean {
    return QUANTITY.test(s);
}

/** Problems with a label map: keys and values in Kubernetes syntax. */
export function labelProblems(path: string, labels: Record<string, string> | undefined): Problem[] {
    const out: Problem[] = [];
    for (const [k, v] of Object.entries(labels ?? {})) {
        if (!isLabelKey(k)) out.push({ path: `${path}["${k}"]`, message: `"${k}" is not a valid label key` });
        if (typeof v !== "string" || !isLabelValue(v)) {
            out.push({ path: `${path}["${k}"]`, message: `${JSON.stringify(v)} is not a valid label value` });
        }
    }
    return out;
}

/** Items that occur more than once, in order of their second appearance. */
export function duplicates<T>(items: readonly T[]): T[] {
    const seen = new Set<T>();
    const dup = new Set<T>();
    for (const i of items) (seen.has(i) ? dup : seen).add(i);
    return [...dup];
}

/** A Kubernetes minor version as the clouds take it: `1.35`. */
export const K8S_MINOR = /^1\.\d+$/;

/** Sizes of a created cluster's system pool, as EksCluster and GkeCluster take them. */
export interface SystemPoolSize {
    systemMinSize: number;
    systemMaxSize: number;
    systemDesiredSize: number;
}

/** The system pool keeps at least one node: sandbox pools are tainted and never the only pool. */
export function systemPoolSizeProblems(a: SystemPoolSize): Problem[] {
    const p: Problem[] = [];
    const whole = (n: number) => Number.isInteger(n) && n >= 0;
    for (const k of ["systemMinSize", "systemMaxSize", "systemDesiredSize"] as const) {
        if (!whole(a[k])) p.push({ path: k, message: `${a[k]} is not a whole number of nodes` });
    }
    if (p.length > 0) return p;
    if (a.systemMinSize < 1) p.push({ path: "systemMinSize", message: "must be at least 1: a gVisor or Kata pool is never the cluster's only pool" });
    if (a.systemMaxSize < a.systemMinSize) p.push({ path: "systemMaxSize", message: `must be at least systemMinSize (${a.systemMinSize})`, refs: ["systemMinSize"] });
    else if (a.systemDesiredSize < a.systemMinSize || a.systemDesiredSize > a.systemMaxSize) {
        p.push({ path: "systemDesiredSize", message: `must lie between systemMinSize (${a.systemMinSize}) and systemMaxSize (${a.systemMaxSize})`, refs: ["systemMinSize", "systemMaxSize"] });
    }
    return p;
}
