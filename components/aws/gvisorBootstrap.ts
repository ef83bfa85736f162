// gVisor node bootstrap for self-installed nodes (EKS AL2023): the shell script that installs a
// pinned gVisor release, the `runsc.toml` its containerd shim reads, and the containerd config
// fragment that registers the `runsc` handler. Pure renderers, no Pulumi resources, no I/O.
//
// Release layout: since about July 2026 a release directory holds one tarball, `gvisor.tar.bz2`
// (+ `.sha512`), carrying `runsc`, `containerd-shim-runsc-v1` and a `gvisor-bin/` folder of
// sidecar binaries that must sit next to `runsc`; the last releases with separate `runsc` and
// `containerd-shim-runsc-v1` files (each with a `.sha512`) are from August 2026 (20260817.0).
// Both layouts are supported; the default follows the release date (`gvisorLayoutFor`).
import { GVISOR_HANDLER } from "../isolation";
import { InputPropertiesError, Problem, ProblemCode } from "../validation";
import { INSTALL_SCRIPT_TEMPLATE } from "./gvisorInstallScript";
import { runscFlagProblems } from "./runscFlags";

/** How a gVisor release directory is laid out. */
export const GvisorLayout = {
    /** `gvisor.tar.bz2` holding `runsc`, `containerd-shim-runsc-v1` and `gvisor-bin/`. */
    Tarball: "tarball",
    /** Separate `runsc` and `containerd-shim-runsc-v1` files (releases up to 20260817). */
    Files: "files",
} as const;
/** One of the values of `GvisorLayout`. */
export type GvisorLayout = (typeof GvisorLayout)[keyof typeof GvisorLayout];
export const GVISOR_LAYOUTS: readonly GvisorLayout[] = Object.values(GvisorLayout);

/** CPU architectures as gVisor's release directories spell them (`uname -m`). */
export const GvisorArch = {
    X86_64: "x86_64",
    Aarch64: "aarch64",
} as const;
/** One of the values of `GvisorArch`. */
export type GvisorArch = (typeof GvisorArch)[keyof typeof GvisorArch];
export const GVISOR_ARCHES: readonly GvisorArch[] = Object.values(GvisorArch);

/** gVisor platforms (how the sentry intercepts syscalls). */
export const GvisorPlatform = {
    /** Default since 2023; works on virtual machines without nested virtualization. */
    Systrap: "systrap",
    /** Legacy; slower than systrap. */
    Ptrace: "ptrace",
    /** Needs a usable /dev/kvm: bare metal (or nested virtualization). */
    Kvm: "kvm",
} as const;
/** One of the values of `GvisorPlatform`. */
export type GvisorPlatform = (typeof GvisorPlatform)[keyof typeof GvisorPlatform];

/** The pinned default release (a point release, `YYYYMMDD.N`). */
export const DEFAULT_GVISOR_RELEASE = "20261005.0";
/** gVisor's release bucket; `<mirror>/<release>/<arch>/` holds the artifacts. */
export const DEFAULT_GVISOR_MIRROR = "https://storage.googleapis.com/gvisor/releases/release";
/** Newest release that still publishes separate `runsc` / `containerd-shim-runsc-v1` files. */
export const LAST_FILES_LAYOUT_RELEASE_DATE = "20260817";
/** Where the binaries go (on containerd's PATH, which resolves `containerd-shim-runsc-v1`). */
export const GVISOR_INSTALL_DIR = "/usr/local/bin";
/** Where the shim's config goes; the containerd fragment's `ConfigPath` names it. */
export const RUNSC_CONFIG_PATH = "/etc/containerd/runsc.toml";
/** Download attempts per artifact; waits 1 s, 2 s, 4 s, ... between attempts. */
export const DEFAULT_DOWNLOAD_ATTEMPTS = 5;
/** runsc flags the shim passes to every sandbox: systrap runs on virtual EC2 instances. */
export const DEFAULT_RUNSC_FLAGS: Readonly<Record<string, string>> = { platform: GvisorPlatform.Systrap };

/**
 * Artifact file names per layout, as published in a release directory. A tarball release
 * publishes the same tarball compressed twice; a node fetches one: zstd where it has `zstd`
 * (unpacks about 15 times faster than bzip2), else bzip2, and only a pinned one where the
 * release's digests for its architecture are pinned.
 */
export const GVISOR_ARTIFACTS: Readonly<Record<GvisorLayout, readonly string[]>> = {
    [GvisorLayout.Tarball]: ["gvisor.tar.zstd", "gvisor.tar.bz2"],
    [GvisorLayout.Files]: ["runsc", "containerd-shim-runsc-v1"],
};

/**
 * sha512 digests pinned per architecture (a `GvisorArch`: `x86_64`, `aarch64`) and artifact file
 * name. A string-keyed map, not a `Record` over `GvisorArch`, so Pulumi's schema inference (other
 * languages) accepts it; an unknown architecture is reported by the pool's checks.
 */
export type GvisorDigests = Record<string, Record<string, string>>;

/**
 * sha512 of the default release's artifacts, checked against the published `.sha512` files.
 * Applied only when the release is the default and no digests are given.
 */
export const DEFAULT_GVISOR_DIGESTS: GvisorDigests = {
    [GvisorArch.X86_64]: {
        "gvisor.tar.bz2":
            "79869ae9a589355a46d46fdac068d9a954e741741ffe77c64e38c56ea955498c1cb04e9bce44e1cce5155333e6b76bee72347c6661bb7c78fd2fe3aad198c8fe",
    },
};

/** How an EKS node installs gVisor at first boot: which release, from where, checked against which digests, and runsc's flags. */
export interface GvisorInstallOptions {
    /** gVisor release, `YYYYMMDD` or `YYYYMMDD.N` (never `latest`). Default `DEFAULT_GVISOR_RELEASE`. */
    release?: string;
    /** HTTPS base URL laid out like gVisor's bucket. Default `DEFAULT_GVISOR_MIRROR`. */
    mirror?: string;
    /** Release layout. Default: `gvisorLayoutFor(release)`. */
    layout?: GvisorLayout;
    /**
     * Pinned sha512 digests per architecture and artifact; for a pinned artifact the mirror's
     * `.sha512` file is neither fetched nor trusted. Default: `DEFAULT_GVISOR_DIGESTS` for the
     * default release, none otherwise (the mirror's `.sha512` files are checked).
     */
    sha512?: GvisorDigests;
    /**
     * `[runsc_config]` entries: runsc flags without dashes, each checked against the pinned
     * release's flags and values (`RUNSC_FLAGS`). Default `DEFAULT_RUNSC_FLAGS`.
     */
    runscFlags?: Record<string, string>;
    /** Download attempts per artifact. Default `DEFAULT_DOWNLOAD_ATTEMPTS`. */
    downloadAttempts?: number;
}

/** Options of `renderContainerdRuntimeToml`: the containerd config fragment that registers runsc. */
export interface ContainerdRuntimeOptions {
    /** containerd runtime handler (what a RuntimeClass names). Default `GVISOR_HANDLER` (`runsc`). */
    handler?: string;
    /** Absolute path of the shim's `runsc.toml`. Default `RUNSC_CONFIG_PATH`. */
    runscConfigPath?: string;
}

/** containerd config versions: 2 for containerd 1.x, 3 for containerd 2.x (AL2023 AMIs). */
export type ContainerdConfigVersion = 2 | 3;

/** CRI plugin table holding runtimes, per containerd config version. */
export const CRI_RUNTIME_PLUGIN: Readonly<Record<ContainerdConfigVersion, string>> = {
    2: "io.containerd.grpc.v1.cri",
    3: "io.containerd.cri.v1.runtime",
};

const RELEASE = /^(\d{4})(\d{2})(\d{2})(\.\d+)?$/;
const SHA512 = /^[0-9a-f]{128}$/;
const HANDLER = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Problems with a release name: dated `YYYYMMDD` or `YYYYMMDD.N` only. */
export function gvisorReleaseProblems(path: string, release: string): Problem[] {
    const m = RELEASE.exec(release);
    const month = m ? Number(m[2]) : 0;
    const day = m ? Number(m[3]) : 0;
    if (!m || month < 1 || month > 12 || day < 1 || day > 31) {
        return [{ code: ProblemCode.Unpinned, path, message: `"${release}" is not a dated gVisor release (YYYYMMDD or YYYYMMDD.N); pin one, never "latest"` }];
    }
    return [];
}

/** Problems with a mirror URL: https, no credentials, query or fragment. */
export function gvisorMirrorProblems(path: string, mirror: string): Problem[] {
    let url: URL;
    try {
        url = new URL(mirror);
    } catch {
        return [{ code: ProblemCode.Malformed, path, message: `"${mirror}" is not a URL` }];
    }
    if (url.protocol !== "https:") return [{ code: ProblemCode.Malformed, path, message: `"${mirror}" must use https` }];
    if (url.username || url.password) return [{ code: ProblemCode.Malformed, path, message: `"${mirror}" must not carry credentials` }];
    if (url.search || url.hash) return [{ code: ProblemCode.Malformed, path, message: `"${mirror}" must not have a query or fragment` }];
    if (/["'\\$`\s]/.test(mirror)) return [{ code: ProblemCode.Malformed, path, message: `"${mirror}" contains characters a URL path does not need` }];
    return [];
}

/** Every problem with install options, with property paths under `path`. */
export function gvisorInstallProblems(path: string, opts: GvisorInstallOptions): Problem[] {
    const out: Problem[] = [];
    if (opts.release !== undefined) out.push(...gvisorReleaseProblems(`${path}.release`, opts.release));
    if (opts.mirror !== undefined) out.push(...gvisorMirrorProblems(`${path}.mirror`, opts.mirror));
    if (opts.layout !== undefined && !GVISOR_LAYOUTS.includes(opts.layout)) {
        out.push({ code: ProblemCode.NotOneOf, path: `${path}.layout`, message: `"${opts.layout}" is not one of ${GVISOR_LAYOUTS.join(", ")}` });
    }
    const layout = opts.layout ?? (out.length === 0 ? gvisorLayoutFor(opts.release ?? DEFAULT_GVISOR_RELEASE) : undefined);
    for (const [arch, files] of Object.entries(opts.sha512 ?? {})) {
        const at = `${path}.sha512.${arch}`;
        if (!GVISOR_ARCHES.includes(arch as GvisorArch)) {
            out.push({ code: ProblemCode.NotOneOf, path: at, message: `"${arch}" is not one of ${GVISOR_ARCHES.join(", ")}` });
            continue;
        }
        for (const [file, digest] of Object.entries(files ?? {})) {
            if (layout && !GVISOR_ARTIFACTS[layout].includes(file)) {
                out.push({ code: ProblemCode.NotOneOf, path: `${at}["${file}"]`, message: `the ${layout} layout has no artifact "${file}" (it has ${GVISOR_ARTIFACTS[layout].join(", ")})` });
            }
            if (typeof digest !== "string" || !SHA512.test(digest)) {
                out.push({ code: ProblemCode.Malformed, path: `${at}["${file}"]`, message: "must be a sha512 digest: 128 lowercase hex digits" });
            }
        }
    }
    out.push(...runscFlagProblems(`${path}.runscFlags`, opts.runscFlags ?? {}));
    const attempts = opts.downloadAttempts;
    if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 1 || attempts > 10)) {
        out.push({ code: ProblemCode.OutOfRange, path: `${path}.downloadAttempts`, message: "must be an integer from 1 to 10" });
    }
    return out;
}

/** The layout a dated release uses: separate files up to 20260817, the tarball after. */
export function gvisorLayoutFor(release: string): GvisorLayout {
    return release.slice(0, 8) <= LAST_FILES_LAYOUT_RELEASE_DATE ? GvisorLayout.Files : GvisorLayout.Tarball;
}

/** The digests pinned for a release: the given ones, else the default release's known ones. */
export function pinnedDigests(release: string, given: GvisorDigests | undefined): GvisorDigests {
    if (given !== undefined) return given;
    return release === DEFAULT_GVISOR_RELEASE ? DEFAULT_GVISOR_DIGESTS : {};
}

/** The shim's `runsc.toml`: each `[runsc_config]` entry becomes a runsc flag. */
export function renderRunscToml(flags: Record<string, string> = DEFAULT_RUNSC_FLAGS): string {
    const problems = runscFlagProblems("runscFlags", flags);
    if (problems.length > 0) throw new InputPropertiesError("runsc.toml", problems);
    const lines = Object.keys(flags)
        .sort()
        .map((k) => `${k} = "${flags[k]}"`);
    return ["# runsc flags for every gVisor sandbox (rendered by sandbox-clusters)", "[runsc_config]", ...lines, ""].join("\n");
}

/**
 * The containerd config fragment registering the gVisor handler, to be merged into the node's
 * containerd config (nodeadm `spec.containerd.config`). Version 3 keys for containerd 2.x,
 * version 2 keys for 1.x; the wrong version's keys leave the handler unregistered.
 */
export function renderContainerdRuntimeToml(opts: ContainerdRuntimeOptions = {}, version: ContainerdConfigVersion = 3): string {
    const handler = opts.handler ?? GVISOR_HANDLER;
    const configPath = opts.runscConfigPath ?? RUNSC_CONFIG_PATH;
    const problems: Problem[] = [];
    if (!HANDLER.test(handler)) problems.push({ code: ProblemCode.Malformed, path: "handler", message: `"${handler}" is not a valid runtime handler name` });
    if (!configPath.startsWith("/") || /["\\\n]/.test(configPath)) {
        problems.push({ code: ProblemCode.Malformed, path: "runscConfigPath", message: `"${configPath}" must be an absolute path without quotes` });
    }
    if (version !== 2 && version !== 3) problems.push({ code: ProblemCode.Malformed, path: "version", message: `${version} is not a containerd config version (2 or 3)` });
    if (problems.length > 0) throw new InputPropertiesError("containerd runtime fragment", problems);
    const table = `plugins."${CRI_RUNTIME_PLUGIN[version]}".containerd.runtimes.${handler}`;
    return [
        `# gVisor runtime handler "${handler}" (containerd config version ${version}, rendered by sandbox-clusters)`,
        `[${table}]`,
        `runtime_type = "io.containerd.runsc.v1"`,
        "",
        `[${table}.options]`,
        `TypeUrl = "io.containerd.runsc.v1.options"`,
        `ConfigPath = "${configPath}"`,
        "",
    ].join("\n");
}

/**
 * A bash script that installs a pinned gVisor release: downloads the artifacts into a
 * temporary directory (retrying with backoff, hashing as they arrive), verifies each sha512
 * (pinned, or the mirror's `.sha512`), unpacks a tarball once into a staging folder and checks
 * its members, then proves the rendered `runsc.toml` by running one gVisor sandbox with its
 * flags before it moves the binaries into place with renames. Any failure before the move
 * installs nothing (and, in user data wrapped by `guardedNodeScript`, keeps the node out). A
 * rerun with the same release proves and rewrites only `runsc.toml`. `INSTALL_ROOT` (default
 * `/`) relocates every path, for tests.
 */
export function renderGvisorInstallScript(opts: GvisorInstallOptions = {}): string {
    const problems = gvisorInstallProblems("gvisor", opts);
    if (problems.length > 0) throw new InputPropertiesError("gVisor install script", problems);
    const release = opts.release ?? DEFAULT_GVISOR_RELEASE;
    const mirror = (opts.mirror ?? DEFAULT_GVISOR_MIRROR).replace(/\/+$/, "");
    const layout = opts.layout ?? gvisorLayoutFor(release);
    const digests = pinnedDigests(release, opts.sha512);
    const attempts = opts.downloadAttempts ?? DEFAULT_DOWNLOAD_ATTEMPTS;
    const pinnedCases = GVISOR_ARCHES.flatMap((arch) =>
        Object.entries(digests[arch] ?? {})
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([file, digest]) => `        ${arch}/${file}) echo ${digest} ;;`),
    );
    const template = INSTALL_SCRIPT_TEMPLATE.replace("@PINNED_CASES@\n", pinnedCases.map((l) => `${l}\n`).join(""))
        .replace("@RUNSC_TOML@", renderRunscToml(opts.runscFlags ?? DEFAULT_RUNSC_FLAGS).trimEnd());
    return template
        .replace(/@RELEASE@/g, release)
        .replace(/@MIRROR@/g, mirror)
        .replace(/@LAYOUT@/g, layout)
        .replace(/@ATTEMPTS@/g, String(attempts))
        .replace(/@INSTALL_DIR@/g, GVISOR_INSTALL_DIR)
        .replace(/@RUNSC_CONFIG_PATH@/g, RUNSC_CONFIG_PATH);
}
