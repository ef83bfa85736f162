// The Karpenter releases EksSandboxKarpenterPool writes for: which versions serve the APIs and
// fields it uses, and the check of its `karpenterVersion` arg. Pure: no Pulumi, no I/O.
import { Problems, ProblemCode } from "../validation";

/** First Karpenter release serving `karpenter.sh/v1` NodePools and `karpenter.k8s.aws/v1` EC2NodeClasses. */
export const KARPENTER_MIN_VERSION = "1.0.0";
/** First release whose EC2NodeClass has `spec.cpuOptions.nestedVirtualization` (absent from 1.12.0's CRD). */
export const KARPENTER_NESTED_VIRTUALIZATION_MIN_VERSION = "1.13.0";
/** The Karpenter major version whose APIs the package writes. */
export const KARPENTER_MAJOR = 1;

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** A parsed `major.minor.patch`. */
export interface Version {
    major: number;
    minor: number;
    patch: number;
}

/** `1.13.1` or `v1.13.1` as numbers; undefined for anything else (ranges, pre-releases). */
export function parseVersion(s: string): Version | undefined {
    const m = SEMVER.exec(s);
    return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/** Whether `v` is `min` or later. */
export function versionAtLeast(v: Version, min: string): boolean {
    const m = parseVersion(min)!;
    return v.major !== m.major ? v.major > m.major : v.minor !== m.minor ? v.minor > m.minor : v.patch >= m.patch;
}

/** Checks `karpenterVersion`: a release of the Karpenter major version the package writes for. */
export function versionProblems(p: Problems, raw: string): Version | undefined {
    if (typeof raw !== "string" || raw === "") {
        p.add(ProblemCode.Required, "karpenterVersion", "required: the version of the Karpenter controller in the cluster, e.g. \"1.13.1\"");
        return undefined;
    }
    const v = parseVersion(raw);
    if (!v) {
        p.add(ProblemCode.Malformed, "karpenterVersion", `${JSON.stringify(raw)} is not a release version such as "1.13.1"`);
        return undefined;
    }
    if (v.major !== KARPENTER_MAJOR) {
        const why = v.major < KARPENTER_MAJOR ? `older than ${KARPENTER_MIN_VERSION}, the first release serving karpenter.sh/v1 and karpenter.k8s.aws/v1` : `Karpenter ${v.major}.x is unknown to this package, which writes karpenter.sh/v1 and karpenter.k8s.aws/v1 objects`;
        p.add(ProblemCode.Unsupported, "karpenterVersion", `${raw} is ${why}`);
        return undefined;
    }
    return v;
}
