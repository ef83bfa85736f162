// The real parts that integration suites and benchmarks run: binaries test/tools/build.sh builds
// from pinned Go modules into a cache, and Debian packages that CI installs. A suite checks its
// parts before anything else; when one is missing it skips, saying how to get it, or fails with
// the same words under SANDBOX_REQUIRE_REAL=1 (CI), so a broken build never passes silently.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Where test/tools/build.sh builds: `$SANDBOX_CLUSTERS_CACHE`, by default ~/.cache/sandbox-clusters. */
export function toolsCache(): string {
    return process.env.SANDBOX_CLUSTERS_CACHE ?? path.join(os.homedir(), ".cache", "sandbox-clusters");
}

/** Where test/tools/build.sh puts the binaries of a set. */
export function toolsBin(set: string): string {
    return path.join(toolsCache(), set, "bin");
}

/** A regular file this process may execute. */
export function isExecutable(p: string): boolean {
    try {
        fs.accessSync(p, fs.constants.X_OK);
        return fs.statSync(p).isFile();
    } catch {
        return false;
    }
}

/**
 * What a suite does when a real part is missing: skips, saying why, or fails when
 * `SANDBOX_REQUIRE_REAL=1` (CI) says every real part must be there. `message` says what is
 * missing and how to get it (the build set, the Debian package).
 */
export function skipOrFail(ctx: Mocha.Context, message: string): never {
    if (process.env.SANDBOX_REQUIRE_REAL === "1") throw new Error(message);
    console.log(`    skipped: ${message}`);
    return ctx.skip();
}

/** The binary `name` of build set `set`, or `skipOrFail` saying how to build it. */
export function requireToolBinary(ctx: Mocha.Context, set: string, name: string): string {
    const bin = path.join(toolsBin(set), name);
    if (isExecutable(bin)) return bin;
    return skipOrFail(ctx, `${bin} is missing: build it with \`test/tools/build.sh ${set}\``);
}
