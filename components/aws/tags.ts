// What AWS accepts as tags on the resources the package creates, so that a bad tag fails
// the plan instead of `pulumi up` halfway (the IAM role accepts nothing the EC2 launch
// template would, and vice versa). Pure, no Pulumi resources.
//
// Source (checked 2026-12): AWS tagging restrictions, the same in IAM, EC2, EKS and Auto
// Scaling: at most 50 user tags per resource; keys 1-128 and values 0-256 Unicode characters;
// letters, digits, spaces and `+ - = . _ : / @` across services (IAM allows no more);
// keys and values starting with `aws:` in any case are reserved for AWS.
import { Problem, ProblemCode, ProblemText } from "../validation";

/** Tags AWS allows per resource. */
export const AWS_MAX_TAGS = 50;
export const AWS_TAG_KEY_MAX = 128;
export const AWS_TAG_VALUE_MAX = 256;
/** The prefix AWS reserves, in keys and values, compared without regard to case. */
export const AWS_RESERVED_TAG_PREFIX = "aws:";
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Tags the package writes itself: `Name` on VPC resources and self-managed nodes, the cluster
 * tag the AWS cloud provider and load balancer controller discover subnets and nodes by, and
 * the subnet role tags. A user tag with the same key would clash with (or be overwritten by)
 * the package's own.
 */
export const PACKAGE_TAG_KEYS: readonly string[] = ["Name"];
export const PACKAGE_TAG_PREFIXES: readonly string[] = ["kubernetes.io/cluster/", "kubernetes.io/role/"];
/** Most tags the package adds to one resource (a subnet: Name, cluster tag, role tag). */
export const PACKAGE_TAGS_PER_RESOURCE = 3;
/** User tags that still fit beside the package's own. */
export const MAX_USER_TAGS = AWS_MAX_TAGS - PACKAGE_TAGS_PER_RESOURCE;

/** Every problem with a user tag map, under `path` (`tags["key"]` per tag). */
export function awsTagProblems(path: string, tags: Readonly<Record<string, unknown>> | undefined): Problem[] {
    const out: Problem[] = [];
    const entries = Object.entries(tags ?? {});
    if (entries.length > MAX_USER_TAGS) {
        out.push({
            code: ProblemCode.OutOfRange,
            path,
            message: `${entries.length} tags; AWS allows ${AWS_MAX_TAGS} per resource and the package adds up to ${PACKAGE_TAGS_PER_RESOURCE} of its own, so at most ${MAX_USER_TAGS}`,
        });
    }
    for (const [key, value] of entries) {
        const at = `${path}["${key}"]`;
        const why = keyProblem(key) ?? valueProblem(value);
        if (why) out.push({ path: at, ...why });
    }
    return out;
}

function keyProblem(key: string): ProblemText | undefined {
    if (key.length === 0) return { code: ProblemCode.Malformed, message: "an empty key is not a tag" };
    if (key.toLowerCase().startsWith(AWS_RESERVED_TAG_PREFIX)) return { code: ProblemCode.Reserved, message: `keys starting with "${AWS_RESERVED_TAG_PREFIX}" (in any case) are reserved for AWS` };
    if (key.length > AWS_TAG_KEY_MAX) return { code: ProblemCode.Malformed, message: `key is ${key.length} characters; AWS allows at most ${AWS_TAG_KEY_MAX}` };
    if (!TAG_TEXT.test(key)) {
        return { code: ProblemCode.Malformed, message: `key ${JSON.stringify(key)} has characters AWS refuses in tags (${badChars(key)}); use letters, digits, spaces and + - = . _ : / @` };
    }
    if (PACKAGE_TAG_KEYS.includes(key) || PACKAGE_TAG_PREFIXES.some((p) => key.startsWith(p))) {
        return { code: ProblemCode.Reserved, message: `"${key}" is a tag the package sets itself on the resources it creates` };
    }
    return undefined;
}

function valueProblem(value: unknown): ProblemText | undefined {
    if (typeof value !== "string") return { code: ProblemCode.WrongType, message: `the value must be a string (got ${JSON.stringify(value)})` };
    if (value.toLowerCase().startsWith(AWS_RESERVED_TAG_PREFIX)) return { code: ProblemCode.Reserved, message: `values starting with "${AWS_RESERVED_TAG_PREFIX}" (in any case) are reserved for AWS` };
    if (value.length > AWS_TAG_VALUE_MAX) return { code: ProblemCode.Malformed, message: `value is ${value.length} characters; AWS allows at most ${AWS_TAG_VALUE_MAX}` };
    if (!TAG_TEXT.test(value)) {
        return { code: ProblemCode.Malformed, message: `value ${JSON.stringify(value)} has characters AWS refuses in tags (${badChars(value)}); use letters, digits, spaces and + - = . _ : / @` };
    }
    return undefined;
}

function badChars(s: string): string {
    return [...new Set([...s].filter((c) => !TAG_TEXT.test(c)))].map((c) => JSON.stringify(c)).join(" ");
}
