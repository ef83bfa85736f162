// What is known about the kata-deploy releases the package can pin: the published Kata
// Containers advisories each release is exposed to, and the chart's own timings the Helm
// release has to cover. Pure data and pure functions; every entry names its source.
import { KataShim } from "../kataShims";

/** A published Kata Containers advisory, and the first release that fixes it. */
export interface KataAdvisory {
    /** The advisory's identifier (GHSA, CVE), or the release note's words where it has none yet. */
    id: string;
    summary: string;
    /** CVSS base score as published. */
    cvss: number;
    /** First release with the fix: releases before it are exposed. */
    fixedIn: string;
    /** The shims it concerns; absent: every shim. */
    shims?: readonly KataShim[];
    source: string;
}

const CONFIDENTIAL_SHIMS: readonly KataShim[] = [KataShim.QemuSnp, KataShim.QemuTdx];

/**
 * Kata Containers advisories of 2026, newest first. Kata patches only its newest monthly
 * release (its SECURITY.md), so an older pin stays exposed. Fixed-in releases were read from
 * the release notes, or from the first release tag holding the fix commit the advisory names.
 */
export const KATA_ADVISORIES: readonly KataAdvisory[] = [
    {
        id: "Kata 4.3.0: permissive annotation allowlist",
        summary: "unintended host and guest changes through pod annotations the runtime's allowlist let through",
        cvss: 7.9,
        fixedIn: "4.3.0",
        source: "https://github.com/kata-containers/kata-containers/releases/tag/4.3.0",
    },
    {
        id: "Kata 4.3.0: Dragonball virtio out-of-bounds",
        summary: "guest-to-host escape through out-of-bounds memory access in several Dragonball virtio drivers",
        cvss: 6.4,
        fixedIn: "4.3.0",
        shims: [KataShim.Dragonball],
        source: "https://github.com/kata-containers/kata-containers/releases/tag/4.3.0",
    },
    {
        id: "GHSA-mp2j-xm59-qfgw (CVE-2026-50540)",
        summary: "a config path annotation loads an arbitrary file as the runtime's configuration",
        cvss: 9.6,
        fixedIn: "4.0.0",
        source: "https://github.com/kata-containers/kata-containers/security/advisories/GHSA-mp2j-xm59-qfgw (fix 03cc670076, first in 4.0.0)",
    },
    {
        id: "GHSA-2gv2-cffp-j227 (CVE-2026-47243)",
        summary: "runtime-rs: guest root reaches host root through virtiofsd",
        cvss: 9.2,
        fixedIn: "3.31.0",
        source: "https://github.com/kata-containers/kata-containers/security/advisories/GHSA-2gv2-cffp-j227 (fix ffa59ce3aa, 3.31.0)",
    },
    {
        id: "GHSA-rr59-xxvx-96qr (CVE-2026-44210)",
        summary: "VM escape through virtiofsd argument injection in default-enabled pod annotations",
        cvss: 5.8,
        fixedIn: "3.31.0",
        source: "https://github.com/kata-containers/kata-containers/security/advisories/GHSA-rr59-xxvx-96qr (fix ffa59ce3aa, 3.31.0)",
    },
    {
        id: "GHSA-q49m-57vm-c8cc (CVE-2026-41326)",
        summary: "Confidential Containers: CopyFile policy subverted through symlinks",
        cvss: 8.2,
        fixedIn: "3.29.0",
        shims: CONFIDENTIAL_SHIMS,
        source: "https://github.com/kata-containers/kata-containers/security/advisories/GHSA-q49m-57vm-c8cc (fix 1b9e49eb27, 3.29.0)",
    },
    {
        id: "GHSA-wwj6-vghv-5p64 (CVE-2026-24834)",
        summary: "container to guest VM privilege escalation",
        cvss: 9.4,
        fixedIn: "3.27.0",
        source: "https://github.com/kata-containers/kata-containers/security/advisories/GHSA-wwj6-vghv-5p64 (fix 6a67250397, 3.27.0)",
    },
];

/**
 * The oldest kata-deploy release whose chart has the structured values the component renders
 * (`shims.<name>.enabled`, `runtimeClasses.*`, `startupTaints`, ...); releases up to 3.22 took
 * flat `env.*` keys and would ignore them.
 */
export const KATA_DEPLOY_OLDEST_SUPPORTED = "3.25.0";

/**
 * How long kata-deploy's post-delete hook Job waits for the DaemonSet's pods to finish their
 * uninstall before it removes the chart's RBAC anyway (`wait_timeout=300` in
 * templates/kata-cleanup-rbac-job.yaml of the 4.1.0 chart). A pod on a NotReady node never
 * finishes, so an uninstall takes at least this long there.
 */
export const KATA_DEPLOY_HOOK_WAIT_SECONDS = 300;

/**
 * Headroom over the hook's own wait for what Helm waits on around it: the DaemonSet's deletion,
 * the hook's RBAC objects, scheduling the hook pod and pulling its kubectl image.
 */
export const KATA_DEPLOY_HOOK_HEADROOM_SECONDS = 300;

/** The least Helm release timeout that covers the chart's hooks. */
export const KATA_DEPLOY_MIN_TIMEOUT_SECONDS = KATA_DEPLOY_HOOK_WAIT_SECONDS + 60;

/**
 * Default Helm release timeout (install, upgrade and uninstall, each Kubernetes wait and each
 * hook): Helm's 300 s is the hook's own wait alone, so an uninstall with a NotReady Kata node
 * ran out, and the provider left a state every later destroy failed on.
 */
export const KATA_DEPLOY_DEFAULT_TIMEOUT_SECONDS = KATA_DEPLOY_HOOK_WAIT_SECONDS + 2 * KATA_DEPLOY_HOOK_HEADROOM_SECONDS;

/** `a` before `b`, both `X.Y.Z` with an optional `v` prefix and pre-release (a pre-release sorts before its release). */
export function versionBefore(a: string, b: string): boolean {
    const parse = (v: string) => {
        const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-(.+))?$/.exec(v);
        if (!m) throw new Error(`not an exact version: ${v}`);
        return { n: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] };
    };
    const x = parse(a);
    const y = parse(b);
    for (let i = 0; i < 3; i++) if (x.n[i] !== y.n[i]) return x.n[i] < y.n[i];
    return x.pre !== undefined && (y.pre === undefined || x.pre < y.pre);
}

/** The advisories a kata-deploy release is exposed to with these shims (every shim when none are named). */
export function kataAdvisories(version: string, shims: readonly KataShim[] = []): KataAdvisory[] {
    return KATA_ADVISORIES.filter(
        (a) => versionBefore(version, a.fixedIn) && (a.shims === undefined || shims.length === 0 || shims.some((s) => a.shims!.includes(s))),
    );
}
