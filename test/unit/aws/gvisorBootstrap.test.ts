import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseToml } from "smol-toml";
import {
    DEFAULT_GVISOR_DIGESTS,
    DEFAULT_GVISOR_MIRROR,
    DEFAULT_GVISOR_RELEASE,
    GvisorDigests,
    GvisorLayout,
    gvisorInstallProblems,
    gvisorLayoutFor,
    gvisorMirrorProblems,
    gvisorReleaseProblems,
    renderContainerdRuntimeToml,
    renderGvisorInstallScript,
    renderRunscToml,
} from "../../../components/aws/gvisorBootstrap";
import { InputPropertiesError } from "../../../components/validation";
import { assertGolden } from "../../support/golden";
import { skipOrFail } from "../../support/realParts";

const DIGEST_A = "a".repeat(128);
const DIGEST_B = "b".repeat(128);

/** TOML parsed into plain objects (smol-toml builds null-prototype ones). */
function parse(toml: string): any {
    return JSON.parse(JSON.stringify(parseToml(toml)));
}

function hasTool(tool: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

/** Runs shellcheck on a script; `skipOrFail` without shellcheck. */
function shellcheck(ctx: Mocha.Context, script: string): void {
    if (!hasTool("shellcheck")) skipOrFail(ctx, "shellcheck is missing: apt-get install shellcheck");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gvisor-sc-"));
    try {
        fs.writeFileSync(path.join(dir, "install.sh"), script);
        const r = spawnSync("shellcheck", ["--shell=bash", "--severity=style", path.join(dir, "install.sh")], { encoding: "utf8" });
        assert.equal(r.status, 0, `shellcheck found problems:\n${r.stdout}${r.stderr}`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function pinnedCaseLines(script: string): string[] {
    return script.split("\n").filter((l) => /^ {8}(x86_64|aarch64)\/\S+\) echo /.test(l)).map((l) => l.trim());
}

function errorOf(fn: () => unknown): InputPropertiesError {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof InputPropertiesError, `expected InputPropertiesError, got ${e}`);
        return e;
    }
    return assert.fail("expected an error");
}

describe("renderGvisorInstallScript", () => {
    it("renders the default release's install script exactly as reviewed (golden)", () => {
        assertGolden("aws/gvisor-install.sh", renderGvisorInstallScript());
    });

    it("renders a script that passes bash -n and shellcheck, for both release layouts", function () {
        for (const release of [DEFAULT_GVISOR_RELEASE, "20260817.0"]) {
            const script = renderGvisorInstallScript({ release });
            execFileSync("bash", ["-n"], { input: script });
            shellcheck(this, script);
        }
    });

    it("downloads the tarball of the pinned release from <mirror>/<release>/<arch>/", () => {
        const script = renderGvisorInstallScript();
        assert.match(script, new RegExp(`^release="${DEFAULT_GVISOR_RELEASE.replace(".", "\\.")}"$`, "m"));
        assert.match(script, new RegExp(`^mirror="${DEFAULT_GVISOR_MIRROR}"$`, "m"));
        assert.match(script, /^layout="tarball"$/m);
        assert.match(script, /^base="\$mirror\/\$release\/\$arch"$/m);
    });

    it("downloads separate runsc and shim files for releases up to 20260817", () => {
        const script = renderGvisorInstallScript({ release: "20260817.0" });
        assert.match(script, /^layout="files"$/m);
    });

    it("pins the default release's known x86_64 digest and trusts the mirror's .sha512 for other arches", () => {
        assert.deepEqual(pinnedCaseLines(renderGvisorInstallScript()), [
            `x86_64/gvisor.tar.bz2) echo ${DEFAULT_GVISOR_DIGESTS.x86_64!["gvisor.tar.bz2"]} ;;`,
        ]);
    });

    it("pins no digest for another release unless given, and given digests replace the defaults", () => {
        assert.deepEqual(pinnedCaseLines(renderGvisorInstallScript({ release: "20260928.0" })), []);
        const script = renderGvisorInstallScript({
            release: "20260817.0",
            sha512: { aarch64: { runsc: DIGEST_B }, x86_64: { runsc: DIGEST_A, "containerd-shim-runsc-v1": DIGEST_B } },
        });
        assert.deepEqual(pinnedCaseLines(script), [
            `x86_64/containerd-shim-runsc-v1) echo ${DIGEST_B} ;;`,
            `x86_64/runsc) echo ${DIGEST_A} ;;`,
            `aarch64/runsc) echo ${DIGEST_B} ;;`,
        ]);
    });

    it("strips a trailing slash from the mirror and retries each download the configured number of times", () => {
        const script = renderGvisorInstallScript({ mirror: "https://mirror.example.com/gvisor/", downloadAttempts: 2 });
        assert.match(script, /^mirror="https:\/\/mirror\.example\.com\/gvisor"$/m);
        assert.match(script, /^attempts=2$/m);
    });

    it("embeds the runsc.toml it writes", () => {
        const script = renderGvisorInstallScript({ runscFlags: { platform: "ptrace", "debug-log": "/var/log/runsc/" } });
        const body = /<<'RUNSC_TOML'\n([\s\S]*?)\nRUNSC_TOML\n/.exec(script)?.[1];
        assert.equal(`${body}\n`, renderRunscToml({ platform: "ptrace", "debug-log": "/var/log/runsc/" }));
    });

    it("rejects every bad option in one error naming each property", () => {
        const e = errorOf(() =>
            renderGvisorInstallScript({
                release: "latest",
                mirror: "http://mirror.example.com",
                sha512: { x86_64: { "gvisor.tar.bz2": "abc" } },
                runscFlags: { "--platform": "kvm" },
                downloadAttempts: 0,
            }),
        );
        assert.equal(
            e.message,
            [
                "gVisor install script has invalid arguments:",
                '  - gvisor.release: "latest" is not a dated gVisor release (YYYYMMDD or YYYYMMDD.N); pin one, never "latest"',
                '  - gvisor.mirror: "http://mirror.example.com" must use https',
                '  - gvisor.sha512.x86_64["gvisor.tar.bz2"]: must be a sha512 digest: 128 lowercase hex digits',
                '  - gvisor.runscFlags["--platform"]: "--platform" is not a runsc flag of the pinned gVisor release; write the flag name alone, without dashes: "platform"',
                "  - gvisor.downloadAttempts: must be an integer from 1 to 10",
            ].join("\n"),
        );
    });

    it("rejects a pinned digest for an artifact the layout does not have, and an unknown arch", () => {
        const problems = gvisorInstallProblems("gvisor", {
            release: "20261005.0",
            sha512: { x86_64: { runsc: DIGEST_A }, riscv64: { "gvisor.tar.bz2": DIGEST_A } } as GvisorDigests,
        });
        assert.deepEqual(problems, [
            { code: "not-one-of", path: 'gvisor.sha512.x86_64["runsc"]', message: 'the tarball layout has no artifact "runsc" (it has gvisor.tar.zstd, gvisor.tar.bz2)' },
            { code: "not-one-of", path: "gvisor.sha512.riscv64", message: '"riscv64" is not one of x86_64, aarch64' },
        ]);
    });
});

describe("gvisorReleaseProblems", () => {
    it("accepts dated releases and point releases", () => {
        for (const r of ["20261005", "20261005.0", "20260817.12"]) assert.deepEqual(gvisorReleaseProblems("r", r), [], r);
    });

    it("rejects latest, undated names and impossible dates", () => {
        for (const r of ["latest", "release-20261005.0", "2026105", "20261305", "20261000", "20261005.", "20261005.0.1", " 20261005"]) {
            assert.equal(gvisorReleaseProblems("r", r).length, 1, r);
        }
    });
});

describe("gvisorMirrorProblems", () => {
    it("accepts https URLs", () => {
        assert.deepEqual(gvisorMirrorProblems("m", "https://mirror.internal:8443/gvisor/releases/release"), []);
    });

    it("rejects plain http, credentials, queries and shell metacharacters", () => {
        assert.deepEqual(
            ["http://a.example", "https://u:p@a.example", "https://a.example/?x=1", "https://a.example/$(id)", "not a url"].map(
                (m) => gvisorMirrorProblems("m", m)[0]?.message,
            ),
            [
                '"http://a.example" must use https',
                '"https://u:p@a.example" must not carry credentials',
                '"https://a.example/?x=1" must not have a query or fragment',
                '"https://a.example/$(id)" contains characters a URL path does not need',
                '"not a url" is not a URL',
            ],
        );
    });
});

describe("gvisorLayoutFor", () => {
    it("uses separate files up to 20260817 and the tarball after", () => {
        assert.equal(gvisorLayoutFor("20260817.0"), GvisorLayout.Files);
        assert.equal(gvisorLayoutFor("20240729"), GvisorLayout.Files);
        assert.equal(gvisorLayoutFor("20260831"), GvisorLayout.Tarball);
        assert.equal(gvisorLayoutFor(DEFAULT_GVISOR_RELEASE), GvisorLayout.Tarball);
    });
});

describe("renderRunscToml", () => {
    it("puts the flags in [runsc_config], systrap by default", () => {
        assert.deepEqual(parse(renderRunscToml()), { runsc_config: { platform: "systrap" } });
    });

    it("renders every flag as a string, sorted by name", () => {
        const toml = renderRunscToml({ platform: "ptrace", "debug-log": "/var/log/runsc/%ID%/", overlay2: "root:self" });
        assert.deepEqual(parse(toml), { runsc_config: { "debug-log": "/var/log/runsc/%ID%/", overlay2: "root:self", platform: "ptrace" } });
        assert.deepEqual(
            toml.split("\n").filter((l) => l.includes(" = ")).map((l) => l.split(" ")[0]),
            ["debug-log", "overlay2", "platform"],
        );
    });

    it("rejects values that would break out of a TOML string", () => {
        assert.equal(
            errorOf(() => renderRunscToml({ platform: 'systrap"\n[evil]' })).message,
            'runsc.toml has invalid arguments:\n  - runscFlags["platform"]: must be a single-line string without quotes or backslashes',
        );
    });
});

describe("renderContainerdRuntimeToml", () => {
    it("registers handler runsc under containerd 2.x's config version 3 keys by default", () => {
        const doc = parse(renderContainerdRuntimeToml());
        assert.deepEqual(Object.keys(doc.plugins), ["io.containerd.cri.v1.runtime"]);
        assert.deepEqual(doc.plugins["io.containerd.cri.v1.runtime"].containerd.runtimes.runsc, {
            runtime_type: "io.containerd.runsc.v1",
            options: { TypeUrl: "io.containerd.runsc.v1.options", ConfigPath: "/etc/containerd/runsc.toml" },
        });
    });

    it("uses containerd 1.x's config version 2 keys when asked", () => {
        const doc = parse(renderContainerdRuntimeToml({}, 2));
        assert.deepEqual(Object.keys(doc.plugins), ["io.containerd.grpc.v1.cri"]);
        assert.equal(doc.plugins["io.containerd.grpc.v1.cri"].containerd.runtimes.runsc.runtime_type, "io.containerd.runsc.v1");
    });

    it("takes the handler name and runsc.toml path from its options", () => {
        const doc = parse(renderContainerdRuntimeToml({ handler: "gvisor", runscConfigPath: "/opt/runsc.toml" }));
        const runtime = doc.plugins["io.containerd.cri.v1.runtime"].containerd.runtimes.gvisor;
        assert.equal(runtime.options.ConfigPath, "/opt/runsc.toml");
    });

    it("rejects a relative config path and a bad handler together", () => {
        assert.equal(
            errorOf(() => renderContainerdRuntimeToml({ handler: "Run SC", runscConfigPath: "runsc.toml" })).message,
            [
                "containerd runtime fragment has invalid arguments:",
                '  - handler: "Run SC" is not a valid runtime handler name',
                '  - runscConfigPath: "runsc.toml" must be an absolute path without quotes',
            ].join("\n"),
        );
    });
});
