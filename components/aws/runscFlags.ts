// The runsc flags a node's `runsc.toml` may set, and the values each accepts, for the gVisor
// release the bootstrap pins. Pure data and pure checks, no Pulumi resources, no I/O.
//
// Derived from gVisor's own source at the pinned Go branch (gvisor.dev/gvisor
// v0.0.0-20260905035102-160fafc42237, test/tools/gvisor/go.mod): the flags `RegisterFlags`
// (runsc/config/flags.go, flags_graveyard.go) and runsc/cli/cli.go register, their Go flag
// types, and the values each custom type's `Set` accepts (runsc/config/config.go,
// pkg/refs, pkg/sentry/watchdog, pkg/sentry/platform/platforms, nvproxy/nvconf), plus the
// cross-flag rules of `Config.Validate`. test/integration/gvisor/runscFlags.test.ts checks
// this table against the built runsc (`runsc flags`, and every listed value parsed by it).
//
// gVisor's containerd shim turns each `[runsc_config]` entry into `--<name>=<value>` on every
// runsc call, after its own `--root`, `--log`, `--log-format` and `--panic-log`.
import { Problem, ProblemCode } from "../validation";

/** The Go source this catalogue was read from. */
export const RUNSC_FLAGS_SOURCE = "gvisor.dev/gvisor v0.0.0-20260905035102-160fafc42237 (runsc/config/flags.go)";

/** How runsc parses a flag's value. */
export const RunscFlagKind = {
    /** strconv.ParseBool: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False. */
    Bool: "bool",
    /** strconv.ParseInt(s, 0, 64): decimal, 0x, 0o, 0b, leading 0 octal. */
    Int: "int",
    /** strconv.ParseUint(s, 0, 64). */
    Uint: "uint",
    /** time.ParseDuration: 15s, 1m30s, 250ms, 0. */
    Duration: "duration",
    /** Any string; `values` or `pattern` narrow it where runsc does. */
    String: "string",
} as const;
/** How runsc parses a flag's value (one of `RunscFlagKind`). */
export type RunscFlagKind = (typeof RunscFlagKind)[keyof typeof RunscFlagKind];

/** What runsc accepts for one flag. */
export interface RunscFlagSpec {
    /** How runsc parses the value. */
    kind: RunscFlagKind;
    /** The only values runsc accepts (exactly as listed, unless `caseInsensitive`). */
    values?: readonly string[];
    /** Whether runsc upper-cases the value before comparing it with `values`. */
    caseInsensitive?: boolean;
    /** A value shape runsc accepts besides `values`, described for messages. */
    pattern?: { re: RegExp; describe: string };
    /** Why runsc.toml may not set this flag at all. */
    refused?: string;
}

const bool: RunscFlagSpec = { kind: RunscFlagKind.Bool };
const int: RunscFlagSpec = { kind: RunscFlagKind.Int };
const uint: RunscFlagSpec = { kind: RunscFlagKind.Uint };
const duration: RunscFlagSpec = { kind: RunscFlagKind.Duration };
const str: RunscFlagSpec = { kind: RunscFlagKind.String };
const oneOf = (...values: string[]): RunscFlagSpec => ({ kind: RunscFlagKind.String, values });
const absPath = { re: /^\//, describe: "or an absolute path" };

const SHIM_SETS = "gVisor's containerd shim sets it on every runsc call; runsc.toml cannot change it";
const TEST_ONLY = "a TEST ONLY flag that gVisor says never to use: it removes isolation from the sandbox";
const PROCESS_ONLY = "a flag of the runsc command line itself, not of a sandbox";

/** Sandbox platforms runsc registers (pkg/sentry/platform/platforms; slimvm on x86_64 only). */
export const RUNSC_PLATFORMS = ["systrap", "ptrace", "kvm", "slimvm"] as const;

/** Values of `overlay2`: `none`, or `{root|all}:{memory|self|dir=/abs/path}[,size=SIZE]`. */
const OVERLAY2 = /^(none|(root|all):(memory|self|dir=\/[^,]*)(,size=[^,]+)?)$/;
/** Values of `EXPERIMENTAL-xdp`. */
const XDP = /^(off|ns|redirect:[^:]+|tunnel:[^:]+)$/;
/** nvproxy driver capabilities `Config.Validate` accepts (nvconf SupportedDriverCaps). */
const NVPROXY_CAPS = ["compute", "utility", "graphics", "video", "ngx", "fabric-imex-mgmt", "profiling", "rdma", "all"];

/** Every flag runsc registers at the pinned release, by name as runsc spells it. */
export const RUNSC_FLAGS: Readonly<Record<string, RunscFlagSpec>> = {
    // Set by the shim, or meaningful only on a command line.
    root: { ...str, refused: SHIM_SETS },
    log: { ...str, refused: SHIM_SETS },
    "log-format": { ...oneOf("text", "json", "json-k8s"), refused: SHIM_SETS },
    "panic-log": { ...str, refused: SHIM_SETS },
    "log-fd": { ...int, refused: PROCESS_ONLY },
    "debug-log-fd": { ...int, refused: PROCESS_ONLY },
    "panic-log-fd": { ...int, refused: PROCESS_ONLY },
    "coverage-fd": { ...int, refused: PROCESS_ONLY },
    help: { ...bool, refused: PROCESS_ONLY },
    h: { ...bool, refused: PROCESS_ONLY },
    version: { ...bool, refused: PROCESS_ONLY },

    debug: bool,
    "systemd-cgroup": bool,
    "debug-log": str,
    "debug-command": str,
    "coverage-report": str,
    "log-packets": bool,
    "pcap-log": str,
    "debug-log-format": oneOf("text", "json", "json-k8s"),
    "debug-to-user-log": bool,
    alsologtostderr: bool,
    "allow-flag-override": {
        ...bool,
        refused: "it lets any pod override runsc flags through dev.gvisor.flag.* annotations, so a workload could switch its own sandbox's protections off",
    },
    traceback: str,

    "metric-server": str,
    "final-metrics-log": str,
    "profiling-metrics": str,
    "profiling-metrics-log": str,
    "profiling-metrics-rate-us": int,

    strace: bool,
    "strace-syscalls": str,
    "strace-log-size": uint,
    "strace-event": bool,

    platform: oneOf(...RUNSC_PLATFORMS),
    platform_device_path: str,
    "watchdog-action": oneOf("log", "logwarning", "panic"),
    "panic-signal": int,
    profile: bool,
    "profile-block": str,
    "profile-cpu": str,
    "profile-gc-interval": duration,
    "profile-heap": str,
    "profile-mutex": str,
    trace: str,
    rootless: bool,
    "ref-leak-mode": oneOf("disabled", "log-names", "panic"),
    "cpu-num-from-quota": bool,
    "oci-seccomp": bool,
    "enable-core-tags": bool,
    "pod-init-config": str,
    "host-settings": oneOf("check", "check_mandatory", "ignore", "adjust", "enforce"),
    "sidecar-release-enforcement-policy": { ...oneOf("NEVER", "ALWAYS", "IF_RELEASE_BUILD"), caseInsensitive: true },
    "sidecar-usage-policy": { ...oneOf("DEFAULT", "STRICT", "LEGACY_DEPRECATED_SLOW_EMBEDDED_FALLBACK"), caseInsensitive: true },
    "restore-spec-validation": oneOf("ignore", "warning", "enforce"),
    "systrap-disable-syscall-patching": bool,
    "systrap-disable-fast-path": bool,
    "allow-suid": bool,
    "kvm-use-cpu-nums": bool,
    "allow-rootfs-tar-annotation": bool,
    "control-rpc-stop-timeout": duration,
    "shared-root": str,

    "app-huge-pages": bool,

    "file-access": oneOf("exclusive", "shared"),
    "file-access-mounts": oneOf("shared", "exclusive"),
    overlay: bool,
    overlay2: { kind: RunscFlagKind.String, pattern: { re: OVERLAY2, describe: "none or {root|all}:{memory|self|dir=/absolute/path}[,size=SIZE]" } },
    "host-uds": oneOf("", "none", "open", "create", "all"),
    "host-fifo": oneOf("", "none", "open"),
    "character-device-policy": oneOf("", "emulated-only", "prefer-emulated", "passthrough"),
    "gvisor-marker-file": bool,
    "override-procs": str,

    "ignore-cgroups": bool,
    "in-sandbox-cgroup": oneOf("v1", "v2"),
    fdlimit: int,
    dcache: int,
    iouring: bool,
    directfs: bool,
    "TESTONLY-nftables": { ...bool, refused: TEST_ONLY },

    network: oneOf("sandbox", "host", "none", "plugin"),
    "gofer-network-namespace": { ...oneOf("null", "new", "host"), pattern: absPath },
    "net-raw": bool,
    "allow-packet-socket-write": bool,
    "allow-live-tcp-migration": bool,
    gso: bool,
    "software-gso": bool,
    "gvisor-gro": bool,
    "tx-checksum-offload": bool,
    "rx-checksum-offload": bool,
    qdisc: oneOf("none", "fifo", "tbf"),
    "qdisc-tbf-rate": uint,
    "qdisc-tbf-burst": uint,
    "num-network-channels": int,
    "network-processors-per-channel": int,
    "EXPERIMENTAL-xdp": { kind: RunscFlagKind.String, pattern: { re: XDP, describe: "off, ns, redirect:<device> or tunnel:<device>" } },
    "EXPERIMENTAL-xdp-need-wakeup": bool,
    "reproduce-nat": bool,
    "reproduce-nftables": bool,
    "net-disconnect-ok": bool,
    "pause-external-networking": bool,
    "allow-connected-on-save": bool,

    nvproxy: bool,
    "nvproxy-docker": bool,
    "nvproxy-driver-version": str,
    "nvproxy-allow-unsupported-driver": bool,
    "nvproxy-allowed-driver-capabilities": str,
    rdmaproxy: bool,
    tpuproxy: bool,

    "TESTONLY-unsafe-nonroot": { ...bool, refused: TEST_ONLY },
    "TESTONLY-test-name-env": { ...str, refused: TEST_ONLY },
    "TESTONLY-afs-syscall-panic": { ...bool, refused: TEST_ONLY },
    "TESTONLY-autosave-image-path": { ...str, refused: TEST_ONLY },
    "TESTONLY-autosave-resume": { ...bool, refused: TEST_ONLY },

    // Deprecated (flags_graveyard.go): accepted, no effect, removal due 2027-01.
    "buffer-pooling": bool,
    vfs2: bool,
    fuse: bool,
    lisafs: bool,
    cgroupfs: bool,
    "fsgofer-host-uds": bool,
    "save-restore-netstack": bool,
    "mount-cgroup-v2": bool,
};

/** The names a user may set in runsc.toml. */
export const SETTABLE_RUNSC_FLAGS: readonly string[] = Object.keys(RUNSC_FLAGS).filter((n) => !RUNSC_FLAGS[n].refused);

const GO_BOOL = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"];
const GO_INT = /^[+-]?(0[xX](_?[0-9a-fA-F])+|0[bB](_?[01])+|0[oO]?(_?[0-7])+|[1-9](_?[0-9])*|0)$/;
const GO_UINT = /^(0[xX](_?[0-9a-fA-F])+|0[bB](_?[01])+|0[oO]?(_?[0-7])+|[1-9](_?[0-9])*|0)$/;
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;

/** Why `value` is not a value runsc accepts for `spec`, or undefined when it is. */
function valueProblem(spec: RunscFlagSpec, value: string): string | undefined {
    switch (spec.kind) {
        case RunscFlagKind.Bool:
            return GO_BOOL.includes(value) ? undefined : "is not a boolean (true or false)";
        case RunscFlagKind.Int:
            return GO_INT.test(value) && inRange(goInteger(value), -(2n ** 63n), 2n ** 63n - 1n) ? undefined : "is not a 64-bit integer";
        case RunscFlagKind.Uint:
            return GO_UINT.test(value) && inRange(goInteger(value), 0n, 2n ** 64n - 1n) ? undefined : "is not a non-negative 64-bit integer";
        case RunscFlagKind.Duration:
            return GO_DURATION.test(value) ? undefined : "is not a duration (for example 15s, 1m30s, 250ms)";
    }
    const values = spec.values ?? [];
    const matches = (v: string) => (spec.caseInsensitive ? v.toUpperCase() === value.toUpperCase() : v === value);
    if (values.some(matches) || spec.pattern?.re.test(value)) return undefined;
    if (values.length === 0 && !spec.pattern) return undefined;
    const listed = values.filter((v) => v !== "");
    const shapes = spec.pattern ? [spec.pattern.describe] : [];
    const allowed = listed.length === 0 ? shapes.join("") : `one of ${[...listed, ...shapes].join(", ")}`;
    const guess = closest(value, listed);
    return `is not ${allowed}${guess ? `; did you mean "${guess}"?` : ""}`;
}

/** The value of a Go integer literal that matched GO_INT or GO_UINT. */
function goInteger(literal: string): bigint {
    let s = literal.replace(/_/g, "").toLowerCase();
    const negative = s.startsWith("-");
    if (s.startsWith("-") || s.startsWith("+")) s = s.slice(1);
    if (/^0[0-7]+$/.test(s)) s = `0o${s.slice(1)}`;
    return (negative ? -1n : 1n) * BigInt(s);
}

function inRange(n: bigint, min: bigint, max: bigint): boolean {
    return n >= min && n <= max;
}

/** The candidate closest to `input` by edit distance, if it is close enough to be a typo. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const c of candidates) {
        const d = editDistance(input.toLowerCase(), c.toLowerCase());
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best !== undefined && bestDistance <= Math.max(1, Math.floor(Math.max(input.length, best.length) / 3)) ? best : undefined;
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/**
 * Every problem with `[runsc_config]` entries against the pinned release's flags, each under
 * `path["<name>"]`: unknown names (with the closest flag), values runsc would refuse, flags
 * runsc.toml may not set, and the combinations `Config.Validate` refuses.
 */
export function runscFlagProblems(path: string, flags: Record<string, string>): Problem[] {
    const out: Problem[] = [];
    const at = (name: string) => `${path}["${name}"]`;
    const known: Record<string, string> = {};
    for (const [name, value] of Object.entries(flags)) {
        if (typeof value !== "string" || /[\n\r"\\]/.test(value)) {
            out.push({ code: ProblemCode.Malformed, path: at(name), message: "must be a single-line string without quotes or backslashes" });
            continue;
        }
        const spec = Object.prototype.hasOwnProperty.call(RUNSC_FLAGS, name) ? RUNSC_FLAGS[name] : undefined;
        if (spec === undefined) {
            const bare = name.replace(/^-+/, "").replace(/=.*$/, "");
            const hint = bare !== name && RUNSC_FLAGS[bare] ? `; write the flag name alone, without dashes: "${bare}"` : closestHint(bare);
            out.push({ code: ProblemCode.NotOneOf, path: at(name), message: `"${name}" is not a runsc flag of the pinned gVisor release${hint}` });
            continue;
        }
        if (spec.refused) {
            out.push({ code: ProblemCode.Reserved, path: at(name), message: `runsc.toml may not set "${name}": ${spec.refused}` });
            continue;
        }
        const problem = valueProblem(spec, value);
        if (problem) {
            out.push({ code: ProblemCode.Malformed, path: at(name), message: `${JSON.stringify(value)} ${problem}` });
            continue;
        }
        known[name] = value;
    }
    out.push(...combinationProblems(at, known));
    return out;
}

function closestHint(name: string): string {
    const guess = closest(name, SETTABLE_RUNSC_FLAGS) ?? closest(name.replace(/_/g, "-"), SETTABLE_RUNSC_FLAGS);
    return guess ? `; did you mean "${guess}"?` : "";
}

const isTrue = (v: string | undefined) => v !== undefined && ["1", "t", "T", "TRUE", "true", "True"].includes(v);

/** The cross-flag rules of runsc's `Config.Validate`, on values that parsed. */
function combinationProblems(at: (name: string) => string, f: Record<string, string>): Problem[] {
    const out: Problem[] = [];
    // overlay2 defaults to root:self (defaultOverlay2), so it is on unless set to none.
    const overlay2On = (f.overlay2 ?? "root:self") !== "none";
    if (isTrue(f.overlay) && overlay2On) {
        out.push({ code: ProblemCode.Conflict, path: at("overlay"), message: 'the deprecated "overlay" flag cannot be combined with overlay2 (on by default as root:self); use overlay2 = "all:memory" instead' });
    }
    if (f["file-access"] === "shared" && overlay2On) {
        out.push({ code: ProblemCode.Conflict, path: at("file-access"), message: 'shared file access for the root filesystem needs overlay2 = "none" (overlay2 is on by default as root:self)' });
    }
    if (f["num-network-channels"] !== undefined && goInteger(f["num-network-channels"]) <= 0n) {
        out.push({ code: ProblemCode.OutOfRange, path: at("num-network-channels"), message: "must be greater than 0" });
    }
    if (isTrue(f["pause-external-networking"]) && (f.network ?? "sandbox") !== "sandbox") {
        out.push({ code: ProblemCode.Conflict, path: at("pause-external-networking"), message: 'works only with network = "sandbox"' });
    }
    if (f["qdisc-tbf-burst"] !== undefined && goInteger(f["qdisc-tbf-burst"]) > 2n ** 32n - 1n) {
        out.push({ code: ProblemCode.OutOfRange, path: at("qdisc-tbf-burst"), message: `must be at most ${2n ** 32n - 1n}` });
    }
    if (f.qdisc === "tbf") {
        for (const needed of ["qdisc-tbf-rate", "qdisc-tbf-burst"]) {
            if (f[needed] === undefined || goInteger(f[needed]) === 0n) out.push({ code: ProblemCode.Conflict, path: at("qdisc"), message: `qdisc "tbf" needs a non-zero "${needed}"` });
        }
    }
    for (const p of ["profile-block", "profile-cpu", "profile-heap", "profile-mutex"]) {
        if (f[p] && !isTrue(f.profile)) out.push({ code: ProblemCode.Conflict, path: at(p), message: 'needs profile = "true"' });
    }
    if (isTrue(f["fsgofer-host-uds"]) && !["", "none", undefined].includes(f["host-uds"])) {
        out.push({ code: ProblemCode.Conflict, path: at("fsgofer-host-uds"), message: 'the deprecated "fsgofer-host-uds" cannot be combined with host-uds; set host-uds alone' });
    }
    if (f["profiling-metrics"] && !f["profiling-metrics-log"]) {
        out.push({ code: ProblemCode.Conflict, path: at("profiling-metrics"), message: 'needs "profiling-metrics-log"' });
    }
    const caps = f["nvproxy-allowed-driver-capabilities"];
    if (caps !== undefined) {
        const bad = caps.split(",").map((c) => c.trim()).filter((c) => c !== "" && !NVPROXY_CAPS.includes(c));
        if (bad.length > 0) {
            out.push({ code: ProblemCode.NotOneOf, path: at("nvproxy-allowed-driver-capabilities"), message: `${bad.map((b) => JSON.stringify(b)).join(", ")} ${bad.length > 1 ? "are not" : "is not"} among ${NVPROXY_CAPS.join(", ")}` });
        }
    }
    return out;
}
