// Where the real parts live: Go-built gVisor, containerd 2.x and 1.7 from test/tools/build.sh's
// cache, Debian's containerd 1.6 and runc. Missing parts skip the suite with a message, or
// fail it when SANDBOX_REQUIRE_REAL=1 (CI), so a broken build never passes silently.
import * as path from "node:path";
import { isExecutable, skipOrFail, toolsBin, toolsCache } from "../realParts";

export const CACHE = toolsCache();

export interface ContainerdFlavour {
    /** Shown in test names. */
    title: string;
    /** Names its scratch folder: two flavours may share a config version. */
    id: string;
    /** containerd config version its CRI plugin reads. */
    configVersion: 2 | 3;
    containerd: string;
    ctr: string;
    /** Folder holding its `containerd-shim-runc-v2`, put first on containerd's PATH. */
    shimDir: string;
    /**
     * Whether it reads the JSON bootstrap answer today's shims print on `start`; containerd 1.6
     * expects a bare socket address, so it cannot talk to a current gVisor shim.
     */
    readsShimBootstrapJson: boolean;
}

export const GVISOR_BIN = toolsBin("gvisor");
const CONTAINERD2_BIN = toolsBin("containerd");
const CONTAINERD17_BIN = toolsBin("containerd17");

export const FLAVOURS: readonly ContainerdFlavour[] = [
    {
        title: "containerd 2.x built from Go modules (config version 3, as on AL2023)",
        id: "containerd-2",
        configVersion: 3,
        containerd: path.join(CONTAINERD2_BIN, "containerd"),
        ctr: path.join(CONTAINERD2_BIN, "ctr"),
        shimDir: CONTAINERD2_BIN,
        readsShimBootstrapJson: true,
    },
    {
        title: "containerd 1.7 built from Go modules (config version 2)",
        id: "containerd-1.7",
        configVersion: 2,
        containerd: path.join(CONTAINERD17_BIN, "containerd"),
        ctr: path.join(CONTAINERD17_BIN, "ctr"),
        shimDir: CONTAINERD17_BIN,
        readsShimBootstrapJson: true,
    },
    {
        title: "Debian's containerd 1.6 (config version 2)",
        id: "containerd-1.6",
        configVersion: 2,
        containerd: "/usr/bin/containerd",
        ctr: "/usr/bin/ctr",
        shimDir: "/usr/bin",
        readsShimBootstrapJson: false,
    },
];

/** Files the whole suite needs besides a containerd flavour. */
export const COMMON_PARTS = [
    path.join(GVISOR_BIN, "runsc"),
    path.join(GVISOR_BIN, "containerd-shim-runsc-v1"),
    "/usr/sbin/runc",
    "/usr/bin/busybox",
    "/usr/bin/openssl",
    "/usr/bin/curl",
    "/usr/bin/bzip2",
    "/usr/bin/zstd",
];

export function flavourParts(f: ContainerdFlavour): string[] {
    return [f.containerd, f.ctr, path.join(f.shimDir, "containerd-shim-runc-v2")];
}

/**
 * Skips the calling suite (or fails it under SANDBOX_REQUIRE_REAL=1) when a part is missing
 * or the process is not root (containerd and runsc need it).
 */
export function requireParts(ctx: Mocha.Context, parts: readonly string[]): void {
    const missing = parts.filter((p) => !isExecutable(p));
    const reasons = [
        ...missing.map((p) => `missing ${p}`),
        ...(process.getuid?.() === 0 ? [] : ["not running as root"]),
    ];
    if (reasons.length === 0) return;
    const message = `real containerd/gVisor parts unavailable (${reasons.join("; ")}); build them with test/tools/build.sh gvisor containerd containerd17 and apt-get install containerd runc busybox-static bzip2 zstd curl openssl`;
    skipOrFail(ctx, message);
}
