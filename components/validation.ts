// Argument validation shared by every component: collect every problem with its property
// path and code, then throw one error a user can act on without reading the source. Pure: no
// Pulumi resources (only Pulumi's error class, whose shape the engine and the component provider
// know).
import { InputPropertiesError as PulumiInputPropertiesError } from "@pulumi/pulumi/errors";
import { ARG_SHAPES, ArgShape } from "./argShapes";

/**
 * What kind of problem an argument has. Stable across releases (a message's wording may
 * improve; its code does not change), so code that reacts to problems matches the code and the
 * path, never the text.
 */
export const ProblemCode = {
    /** A required argument is missing or empty. */
    Required: "required",
    /** The value is not of the type the argument takes (a string where a list belongs, ...). */
    WrongType: "wrong-type",
    /** The key is no argument of the component; the message suggests the nearest one. */
    UnknownArg: "unknown-arg",
    /** The value is not one of the values the argument allows. */
    NotOneOf: "not-one-of",
    /** The value is not in the form the argument takes: a name, CIDR, version, quantity, ARN, key... */
    Malformed: "malformed",
    /** A number, size or count outside its bounds, or sizes that contradict each other (min > max). */
    OutOfRange: "out-of-range",
    /** An item listed twice, or a name that two inputs both produce. */
    Duplicate: "duplicate",
    /** Arguments that exclude each other, or an argument that does not apply with another's value. */
    Conflict: "conflict",
    /** A key, name or namespace that the cloud, Kubernetes, Karpenter or the sandbox stamp reserves. */
    Reserved: "reserved",
    /** The cloud, the hardware or the runtime cannot do what the value asks. */
    Unsupported: "unsupported",
    /** A version or image that is not pinned: a range, `latest`, a tag where a digest belongs. */
    Unpinned: "unpinned",
} as const;
/** One of the values of `ProblemCode`. */
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

/** One bad argument: where it is, what kind of problem it has, and what to do about it. */
export interface Problem {
    /** What kind of problem it is; stable, for code that reacts to problems. */
    code: ProblemCode;
    /** Property path of the bad input, e.g. `kata.shims[1]`. */
    path: string;
    /** What is wrong and, where there is one, what to write instead. */
    message: string;
    /**
     * Other arg paths the message names word for word (`kata.shims`), so that a caller that
     * reports the problem under its own names (the program, under config keys) can rename them.
     */
    refs?: readonly string[];
}

/**
 * One error listing every bad argument of a component, thrown before any child exists. It is
 * Pulumi's `InputPropertiesError` (`@pulumi/pulumi`): `errors` holds each problem as
 * `{ propertyPath, reason }`, which the component provider hands to the engine, so a YAML, Go,
 * Python or .NET program sees each bad argument with its path. `problems` adds each one's code.
 */
export class InputPropertiesError extends PulumiInputPropertiesError {
    /** What was validated, e.g. `SandboxRuntimes "prod"`. */
    readonly subject: string;
    /** Every problem, in the order the checks found them, each with its code. */
    readonly problems: readonly Problem[];
    constructor(subject: string, problems: readonly Problem[]) {
        super({
            // The whole list, since a TypeScript program prints only the message.
            message: `${subject} has invalid arguments:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`,
            errors: problems.map((p) => ({ propertyPath: p.path, reason: p.message })),
        });
        this.name = "InputPropertiesError";
        this.subject = subject;
        this.problems = problems;
    }
}

/** A problem before it has a path: what a check of one value returns. */
export type ProblemText = Pick<Problem, "code" | "message">;

/** Collects problems; `throwIfAny` raises them together. */
export class Problems {
    private readonly list: Problem[] = [];

    add(code: ProblemCode, path: string, message: string, refs?: readonly string[]): void {
        this.list.push(refs === undefined ? { code, path, message } : { code, path, message, refs });
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
        if (!isLabelKey(k)) out.push({ code: ProblemCode.Malformed, path: `${path}["${k}"]`, message: `"${k}" is not a valid label key` });
        if (typeof v !== "string" || !isLabelValue(v)) {
            out.push({ code: ProblemCode.Malformed, path: `${path}["${k}"]`, message: `${JSON.stringify(v)} is not a valid label value` });
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

/**
 * The oldest Kubernetes version a created cluster may run: the admission guard is made of
 * ValidatingAdmissionPolicies of admissionregistration.k8s.io/v1, which the API server serves
 * from 1.30 on (GA in 1.30).
 */
export const MIN_CLUSTER_VERSION = "1.30";

/**
 * Why a created cluster cannot run `version`, or undefined when it can: a minor version
 * (`1.35`; with `patch`, also `1.35.2`) no older than MIN_CLUSTER_VERSION.
 */
export function clusterVersionProblem(version: string, patch = false): ProblemText | undefined {
    const m = (patch ? /^1\.(\d+)(\.\d+)?$/ : /^1\.(\d+)$/).exec(version);
    if (!m) return { code: ProblemCode.Malformed, message: `"${version}" is not a Kubernetes ${patch ? 'version such as "1.35" or "1.35.2"' : 'minor version such as "1.35"'}` };
    if (Number(m[1]) < Number(MIN_CLUSTER_VERSION.split(".")[1])) {
        return { code: ProblemCode.Unsupported, message: `${version} is older than ${MIN_CLUSTER_VERSION}, the first Kubernetes version that serves ValidatingAdmissionPolicy v1, which the admission guard is made of` };
    }
    return undefined;
}

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
        if (!whole(a[k])) p.push({ code: ProblemCode.OutOfRange, path: k, message: `${a[k]} is not a whole number of nodes` });
    }
    if (p.length > 0) return p;
    if (a.systemMinSize < 1) p.push({ code: ProblemCode.OutOfRange, path: "systemMinSize", message: "must be at least 1: sandbox pools are tainted and a gVisor or Kata pool is never the cluster's only pool" });
    if (a.systemMaxSize < a.systemMinSize) p.push({ code: ProblemCode.OutOfRange, path: "systemMaxSize", message: `must be at least systemMinSize (${a.systemMinSize})`, refs: ["systemMinSize"] });
    else if (a.systemDesiredSize < a.systemMinSize || a.systemDesiredSize > a.systemMaxSize) {
        p.push({ code: ProblemCode.OutOfRange, path: "systemDesiredSize", message: `must lie between systemMinSize (${a.systemMinSize}) and systemMaxSize (${a.systemMaxSize})`, refs: ["systemMinSize", "systemMaxSize"] });
    }
    return p;
}

/** The result of checking args against their declared shape (`checkArgShape`). */
export interface ShapeCheck<A> {
    /** Args of the wrong type, missing required args and unknown keys, by path. */
    problems: Problem[];
    /** The args without the values that have a problem, for the component's own checks; undefined when args is no object. */
    args?: A;
}

/**
 * Checks what a JavaScript or YAML program passed against the shape the component's args
 * interface declares (components/argShapes.ts, generated from the interfaces): a string where a
 * list or a number belongs, a list where a map belongs, a key that is no arg at all. TypeScript
 * catches these at compile time; other languages reach the component with them.
 */
export function checkArgShape<A>(component: string, args: A): ShapeCheck<A> {
    const shape = ARG_SHAPES[component];
    if (shape === undefined || shape.kind !== "object") throw new Error(`no arg shape for ${component}`);
    if (!isPlainObject(args)) {
        return { problems: [{ code: ProblemCode.WrongType, path: "args", message: `must be a map of ${component}'s arguments (got ${described(args)})` }] };
    }
    const problems: Problem[] = [];
    const clean = valueProblems(shape, args, "", `an argument of ${component}`, problems);
    return { problems, args: clean as A };
}

/**
 * The shape problems of `args` (see `checkArgShape`), then those `check` finds in the rest of
 * them. `check` runs on the args without their badly typed values; a required arg that is
 * missing keeps the message `check` gives it, when it gives one. On args that are not of the
 * declared shape `check` may fail in ways it was never meant to: the shape problems stand alone.
 */
export function shapeCheckedProblems<A>(component: string, args: A, check: (args: A) => Problem[]): Problem[] {
    const shape = checkArgShape(component, args);
    if (shape.problems.length === 0) return check(args);
    if (shape.args === undefined) return shape.problems;
    let rest: readonly Problem[] = [];
    try {
        rest = check(shape.args);
    } catch (e) {
        if (e instanceof InputPropertiesError) rest = e.problems;
    }
    const under = (path: string, p: Problem) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`);
    const out = shape.problems.map((s) => (s.code === ProblemCode.Required ? rest.find((r) => r.path === s.path) ?? s : s));
    return [...out, ...rest.filter((r) => !shape.problems.some((s) => under(s.path, r)))];
}

/** Problems `plan` throws as an InputPropertiesError, for components that validate while planning. */
export function thrownProblems(plan: () => unknown): Problem[] {
    try {
        plan();
        return [];
    } catch (e) {
        if (e instanceof InputPropertiesError) return [...e.problems];
        throw e;
    }
}


function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An Output or a Promise: what a `pulumi.Input` may hold besides the plain value. */
function isEventual(v: unknown): boolean {
    return typeof v === "object" && v !== null && (typeof (v as { then?: unknown }).then === "function" || (v as { __pulumiOutput?: unknown }).__pulumiOutput === true);
}

function described(v: unknown): string {
    if (v === undefined) return "nothing";
    if (v === null) return "null";
    if (Array.isArray(v)) return `a list of ${v.length}`;
    switch (typeof v) {
        case "string":
            return `the string ${JSON.stringify(v)}`;
        case "number":
            return `the number ${v}`;
        case "boolean":
            return `${v}`;
        case "object":
            return "a map";
        default:
            return `a ${typeof v}`;
    }
}

const KIND_WORDS: Record<string, string> = { string: "a string", number: "a number", boolean: "true or false", array: "a list", map: "a map", object: "a map" };

function join(path: string, key: string): string {
    if (path === "") return key;
    return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Appends the problems of `v` and returns it without the values that have one (undefined for itself). */
function valueProblems(shape: ArgShape, v: unknown, path: string, fieldOf: string, out: Problem[]): unknown {
    if (shape.kind === "any") return v;
    if (shape.kind === "input") return isEventual(v) ? v : valueProblems(shape.of, v, path, fieldOf, out);
    const ok =
        shape.kind === "array" ? Array.isArray(v)
        : shape.kind === "map" || shape.kind === "object" ? isPlainObject(v)
        : typeof v === shape.kind;
    if (!ok) {
        const hint = shape.kind === "array" && typeof v === "string" ? `; write [${JSON.stringify(v)}] for a list of one` : "";
        out.push({ code: ProblemCode.WrongType, path, message: `must be ${KIND_WORDS[shape.kind]} (got ${described(v)}${hint})` });
        return undefined;
    }
    const before = out.length;
    if (shape.kind === "array") {
        (v as unknown[]).forEach((x, i) => valueProblems(shape.of, x, `${path}[${i}]`, fieldOf, out));
        return out.length > before ? undefined : v;
    }
    if (shape.kind === "map") {
        for (const [k, x] of Object.entries(v as object)) valueProblems(shape.of, x, `${path}[${JSON.stringify(k)}]`, fieldOf, out);
        return out.length > before ? undefined : v;
    }
    if (shape.kind !== "object") return v;
    const known = Object.keys(shape.fields);
    const clean: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as object)) {
        const field = shape.fields[k];
        if (field === undefined) {
            out.push({ code: ProblemCode.UnknownArg, path: join(path, k), message: `is not ${path === "" ? fieldOf : `a field of ${path}`} (${suggestion(k, known)})` });
        } else if (x === undefined || x === null) {
            if (shape.required.includes(k)) out.push({ code: ProblemCode.Required, path: join(path, k), message: "is required" });
        } else {
            const c = valueProblems(field, x, join(path, k), fieldOf, out);
            if (c !== undefined) clean[k] = c;
        }
    }
    for (const k of shape.required) {
        if (!(k in (v as object))) out.push({ code: ProblemCode.Required, path: join(path, k), message: "is required" });
    }
    return clean;
}

/** `did you mean X?` for a near miss (case, a letter or two), else the known keys. */
function suggestion(key: string, known: readonly string[]): string {
    const near = known.filter((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
    return near.length > 0 ? `did you mean ${near.join(" or ")}?` : `known: ${known.join(", ")}`;
}

function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
    }
    return prev[b.length];
}

/** An IPv4 CIDR such as `198.51.100.0/24`, each octet at most 255. */
export const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/([0-9]|[12]\d|3[0-2])$/;
/** An IPv6 CIDR such as `fd00:10:96::/112` (hex groups, `::` allowed). */
const IPV6_CIDR = /^(?=.*:)[0-9a-fA-F:]{2,39}\/([0-9]|[1-9]\d|1[01]\d|12[0-8])$/;
/** A Google Cloud project ID: 6-30 lowercase letters, digits and '-', a letter first. */
export const GCP_PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/** Problems with a list of IPv4 CIDRs allowed to reach an API server: each well formed, none twice. */
export function cidrListProblems(path: string, cidrs: readonly string[] | undefined): Problem[] {
    const out: Problem[] = [];
    (cidrs ?? []).forEach((c, i) => {
        if (!IPV4_CIDR.test(c)) out.push({ code: ProblemCode.Malformed, path: `${path}[${i}]`, message: `"${c}" is not an IPv4 CIDR such as 198.51.100.0/24` });
    });
    for (const d of duplicates(cidrs ?? [])) out.push({ code: ProblemCode.Duplicate, path, message: `"${d}" is listed more than once` });
    return out;
}

/** Why `cidr` cannot be a cluster's service CIDR (IPv4 or IPv6), or undefined when it can. */
export function serviceCidrProblem(cidr: string): string | undefined {
    return IPV4_CIDR.test(cidr) || IPV6_CIDR.test(cidr) ? undefined : `"${cidr}" is not a CIDR such as 172.20.0.0/16 or fd00:10:96::/112`;
}

/** A plain string an `Input<string>` holds, or undefined for an Output or a Promise (checked by the cloud). */
export function plainString(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}
