// What a real-part suite does when one of its parts is missing: it skips, saying what to build,
// or, under SANDBOX_REQUIRE_REAL=1 (CI), fails with the same words. CI always has the parts, so
// its happy path never reaches these branches: they are tested here, on an empty build cache.
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { requireToolBinary, skipOrFail } from "../../support/realParts";

const ROOT = path.join(__dirname, "..", "..", "..");

/** A stand-in for mocha's context: records the skip, and throws as mocha's does. */
function fakeContext(): { ctx: Mocha.Context; skipped: () => boolean } {
    let skipped = false;
    const ctx = {
        skip(): never {
            skipped = true;
            throw new SkipSignal();
        },
    } as unknown as Mocha.Context;
    return { ctx, skipped: () => skipped };
}

class SkipSignal extends Error {}

/** Runs `fn` with the given environment variables (undefined: unset), restoring them after. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const apply = (values: Record<string, string | undefined>) => {
        for (const [k, v] of Object.entries(values)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    };
    apply(vars);
    try {
        return fn();
    } finally {
        apply(saved);
    }
}

/** Calls `fn` with console.log captured; returns what it logged and what it threw. */
function capture(fn: () => unknown): { logged: string[]; thrown: unknown } {
    const logged: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => logged.push(args.join(" "));
    try {
        fn();
        return { logged, thrown: undefined };
    } catch (e) {
        return { logged, thrown: e };
    } finally {
        console.log = log;
    }
}

describe("skipOrFail: a suite whose real part is missing", () => {
    const message = "kube-apiserver is missing: build it with `test/tools/build.sh k8s`";

    for (const value of [undefined, "", "0", "true"]) {
        it(`skips, logging why, when SANDBOX_REQUIRE_REAL is ${value === undefined ? "unset" : JSON.stringify(value)}`, () => {
            const { ctx, skipped } = fakeContext();
            const { logged, thrown } = withEnv({ SANDBOX_REQUIRE_REAL: value }, () =>
                capture(() => skipOrFail(ctx, message)),
            );
            assert.ok(thrown instanceof SkipSignal, `expected mocha's skip, got ${String(thrown)}`);
            assert.ok(skipped());
            assert.deepStrictEqual(logged, [`    skipped: ${message}`]);
        });
    }

    it("fails with the message, without skipping, under SANDBOX_REQUIRE_REAL=1", () => {
        const { ctx, skipped } = fakeContext();
        const { logged, thrown } = withEnv({ SANDBOX_REQUIRE_REAL: "1" }, () =>
            capture(() => skipOrFail(ctx, message)),
        );
        assert.ok(
            thrown instanceof Error && !(thrown instanceof SkipSignal),
            `expected an Error, got ${String(thrown)}`,
        );
        assert.strictEqual(thrown.message, message);
        assert.strictEqual(skipped(), false);
        assert.deepStrictEqual(logged, []);
    });
});

describe("requireToolBinary: a build set's binary, or the command that builds it", () => {
    let cache: string;
    beforeEach(() => {
        cache = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-clusters-cache-"));
    });
    afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

    function binary(mode: number): string {
        const bin = path.join(cache, "pulumi-schema", "bin", "pulumi-gen-go");
        fs.mkdirSync(path.dirname(bin), { recursive: true });
        fs.writeFileSync(bin, "#!/bin/sh\n", { mode });
        return bin;
    }

    it("returns the path of an executable binary", () => {
        const bin = binary(0o755);
        const { ctx } = fakeContext();
        assert.strictEqual(
            withEnv({ SANDBOX_CLUSTERS_CACHE: cache }, () => requireToolBinary(ctx, "pulumi-schema", "pulumi-gen-go")),
            bin,
        );
    });

    const hint = () =>
        `${path.join(cache, "pulumi-schema", "bin", "pulumi-gen-go")} is missing: build it with \`test/tools/build.sh pulumi-schema\``;

    for (const [what, make] of [
        ["absent", () => undefined],
        ["not executable", () => binary(0o644)],
    ] as const) {
        it(`skips with the build command when the binary is ${what}`, () => {
            make();
            const { ctx, skipped } = fakeContext();
            const env = { SANDBOX_CLUSTERS_CACHE: cache, SANDBOX_REQUIRE_REAL: undefined };
            const { logged, thrown } = withEnv(env, () =>
                capture(() => requireToolBinary(ctx, "pulumi-schema", "pulumi-gen-go")),
            );
            assert.ok(thrown instanceof SkipSignal && skipped(), `expected a skip, got ${String(thrown)}`);
            assert.deepStrictEqual(logged, [`    skipped: ${hint()}`]);
        });

        it(`fails with the build command under SANDBOX_REQUIRE_REAL=1 when the binary is ${what}`, () => {
            make();
            const { ctx, skipped } = fakeContext();
            const env = { SANDBOX_CLUSTERS_CACHE: cache, SANDBOX_REQUIRE_REAL: "1" };
            const { thrown } = withEnv(env, () =>
                capture(() => requireToolBinary(ctx, "pulumi-schema", "pulumi-gen-go")),
            );
            assert.ok(thrown instanceof Error && !skipped(), `expected a failure, got ${String(thrown)}`);
            assert.strictEqual(thrown.message, hint());
        });
    }
});

interface MochaJson {
    stats: { tests: number; passes: number; pending: number; failures: number };
    failures: { fullTitle: string; err: { message?: string } }[];
}

/** Runs the integration suite on an empty build cache; its JSON report and what it printed. */
function runIntegrationSuite(cache: string, requireReal: boolean): Promise<{ report: MochaJson; stdout: string }> {
    const reportFile = path.join(cache, `report-${requireReal ? "fail" : "skip"}.json`);
    const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_CLUSTERS_CACHE: cache };
    delete env.ETCD;
    delete env.SANDBOX_REQUIRE_REAL;
    if (requireReal) env.SANDBOX_REQUIRE_REAL = "1";
    const args = [
        require.resolve("mocha/bin/mocha.js"),
        "--config",
        "test/mocharc.integration.js",
        "--reporter",
        "json",
        "--reporter-option",
        `output=${reportFile}`,
    ];
    return new Promise((resolve, reject) => {
        execFile(process.execPath, args, { cwd: ROOT, env, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
            if (!fs.existsSync(reportFile)) {
                reject(
                    new Error(
                        `the integration suite wrote no report (${error?.message ?? "no error"}):\n${stdout}${stderr}`,
                    ),
                );
                return;
            }
            resolve({ report: JSON.parse(fs.readFileSync(reportFile, "utf8")) as MochaJson, stdout });
        });
    });
}

/** How a real part's absence must read: the build set to build, or the package to install. */
const HINT = /test\/tools\/build\.sh [a-z0-9 -]+|apt-get install [a-z0-9 -]+/;

describe("the integration suite on a machine without its real parts", function () {
    this.timeout(120_000);
    let cache: string;
    let skip: { report: MochaJson; stdout: string };
    let fail: { report: MochaJson; stdout: string };

    before(async () => {
        cache = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-clusters-empty-cache-"));
        [skip, fail] = await Promise.all([runIntegrationSuite(cache, false), runIntegrationSuite(cache, true)]);
    });
    after(() => fs.rmSync(cache, { recursive: true, force: true }));

    it("fails every suite under SANDBOX_REQUIRE_REAL=1, each with the command that builds what is missing", () => {
        const { stats, failures } = fail.report;
        assert.ok(failures.length > 0, "no suite failed");
        assert.strictEqual(stats.passes, 0, "a real-part test passed without its real parts");
        assert.strictEqual(stats.pending, 0, "a real-part test skipped under SANDBOX_REQUIRE_REAL=1");
        for (const f of failures) {
            assert.match(f.err.message ?? "", HINT, `${f.fullTitle} failed without saying what to build`);
        }
    });

    it("skips every test without it, logging the same hints, one per suite that fails under SANDBOX_REQUIRE_REAL=1", () => {
        const { stats } = skip.report;
        assert.strictEqual(
            stats.failures,
            0,
            `${stats.failures} failed: ${JSON.stringify(skip.report.failures, null, 2)}`,
        );
        assert.strictEqual(stats.passes, 0, "a real-part test passed without its real parts");
        assert.ok(stats.tests > 0 && stats.pending === stats.tests, `${stats.pending} of ${stats.tests} skipped`);
        const skipped = skip.stdout.split("\n").filter((l) => /^\s*skipped: /.test(l));
        assert.deepStrictEqual(
            skipped.map((l) => l.replace(/^\s*skipped: /, "")).sort(),
            fail.report.failures.map((f) => f.err.message ?? "").sort(),
        );
    });
});
