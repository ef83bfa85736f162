// The package as a user gets it: `npm pack`, then fresh consumer projects outside the repository
// that install the tarball (or a git URL of the repository) with npm, the way docs/install.md
// says, and type-check and run the docs samples (test/package/samples) under Pulumi's mocks.
// Nothing here imports the repository's sources: each consumer sees only what it installed.
//
//   npm run test:package      (CI: .ci/run; needs the npm registry or a warm npm cache)
//
// Prints the node_modules size of each consumer (the "Install sizes" table of docs/install.md).
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// What npm itself reads ranges with: the lowest version of `^3.142.0` is 3.142.0.
import * as semver from "semver";
import { entries } from "../../scripts/entryPoints";
import { docPages, links } from "../support/docs";
import { CONSUMERS } from "../support/packageConsumers";

const ROOT = path.join(__dirname, "../..");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const TSC = require.resolve("typescript/bin/tsc");
const SAMPLES = path.join(__dirname, "samples");

const CLOUD_SDKS = ["@pulumi/aws", "@pulumi/gcp", "@pulumi/azure-native"];

const WORK = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-clusters-consumer-"));

function run(cmd: string, args: string[], cwd: string): string {
    try {
        return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" } });
    } catch (e: any) {
        throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
}

/** `npm install` in `dir`; returns what npm printed, which must hold no EBADENGINE warning. */
function npmInstall(dir: string, specs: string[]): string {
    const out = run("npm", ["install", "--prefer-offline", "--loglevel=warn", ...specs], dir);
    assert.doesNotMatch(out, /EBADENGINE/, `npm install ${specs.join(" ")} warned about engines:\n${out}`);
    return out;
}

/** A consumer project of its own: package.json, a tsconfig, the docs samples it runs. */
function project(name: string, samples: string[]): string {
    const dir = path.join(WORK, name);
    fs.mkdirSync(path.join(dir, "src"), { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `consumer-${name}`, version: "0.0.0", private: true }, null, 2));
    for (const s of samples) fs.copyFileSync(path.join(SAMPLES, s), path.join(dir, "src", s));
    fs.copyFileSync(path.join(__dirname, "consumer", "runSample.js"), path.join(dir, "runSample.js"));
    return dir;
}

function megabytes(dir: string): number {
    return Math.round(Number(run("du", ["-sk", dir], WORK).split("\t")[0]) / 1024);
}

/**
 * Type-checks the samples as a TypeScript user would, under both module resolutions a
 * CommonJS Pulumi project uses: `node` (reads `typesVersions`) and `node16` (reads `exports`).
 */
function typeCheck(dir: string): void {
    for (const [moduleResolution, module] of [["node", "commonjs"], ["node16", "node16"]]) {
        const tsconfig = {
            compilerOptions: { target: "ES2022", module, moduleResolution, strict: true, skipLibCheck: true, types: ["node"], outDir: "out" },
            include: ["src/*.ts"],
        };
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
        run(process.execPath, [TSC, "-p", "tsconfig.json"], dir);
    }
}

/** Runs each compiled sample under mocks; returns the type tokens it registered. */
function runSamples(dir: string, samples: string[]): string[] {
    const registered = new Set<string>();
    for (const s of samples) {
        const out = run(process.execPath, ["runSample.js", path.join("out", s.replace(/\.ts$/, ".js"))], dir);
        for (const t of JSON.parse(out.trim().split("\n").pop()!).registered as string[]) registered.add(t);
    }
    return [...registered];
}

const installed = (dir: string, pkg: string) => fs.existsSync(path.join(dir, "node_modules", pkg, "package.json"));
const version = (dir: string, pkg: string) => JSON.parse(fs.readFileSync(path.join(dir, "node_modules", pkg, "package.json"), "utf8")).version;
const sizes: string[] = [];

describe("the package as npm packs it", function () {
    let tarball: string;
    let files: string[];

    before(function () {
        const out = run("npm", ["pack", "--json", "--pack-destination", WORK, "--loglevel=warn"], ROOT);
        const json = JSON.parse(out.slice(out.indexOf("[")));
        tarball = path.join(WORK, json[0].filename);
        files = json[0].files.map((f: { path: string }) => f.path).sort();
    });

    after(function () {
        if (sizes.length > 0) process.stdout.write(`\n  node_modules of each consumer (du -sk):\n${sizes.map((s) => `    ${s}\n`).join("")}\n`);
        fs.rmSync(WORK, { recursive: true, force: true });
    });

    it("holds the built entry points with types and source maps, LICENSE, README, the docs, CHANGELOG and package.json, and nothing else", function () {
        for (const f of ["package.json", "README.md", "LICENSE", "CHANGELOG.md"]) assert.ok(files.includes(f), `the tarball lacks ${f}`);
        for (const page of docPages()) assert.ok(files.includes(page.file), `the tarball lacks ${page.file}`);
        for (const e of entries(PKG)) {
            assert.ok(files.includes(e.types), `the tarball lacks ${e.types} (entry point ${e.subpath})`);
            assert.ok(files.includes(e.types.replace(/\.d\.ts$/, ".js")), `the tarball lacks the code of entry point ${e.subpath}`);
        }
        const stray = files.filter((f) => !["package.json", "README.md", "LICENSE", "CHANGELOG.md"].includes(f) && !/^bin\/components\/.*\.(js|d\.ts|js\.map)$/.test(f) && !/^docs\/.*\.md$/.test(f));
        assert.deepStrictEqual(stray, [], "files the tarball should not carry (tests, sources, the program, build info)");
        for (const map of files.filter((f) => f.endsWith(".js.map"))) {
            const m = JSON.parse(fs.readFileSync(path.join(ROOT, map), "utf8"));
            assert.ok(Array.isArray(m.sourcesContent) && m.sourcesContent.every((c: unknown) => typeof c === "string"), `${map} carries the sources it points at`);
        }
    });

    it("resolves every relative link of its README and docs inside the package", function () {
        const broken: string[] = [];
        for (const page of docPages()) {
            for (const target of links(page.text)) {
                const rel = target.split("#")[0];
                if (!rel || /^[a-z][a-z+.-]*:/i.test(rel)) continue;
                const dest = path.posix.normalize(path.posix.join(path.posix.dirname(page.file), rel));
                if (!files.some((f) => f === dest || f.startsWith(`${dest.replace(/\/$/, "")}/`))) broken.push(`${page.file}: ${target}`);
            }
        }
        assert.deepStrictEqual(broken, [], "links that lead nowhere in node_modules/sandbox-clusters");
    });

    it("leaves its tarball ignored by git", function () {
        run("git", ["check-ignore", "-q", path.basename(tarball)], ROOT);
    });

    for (const c of CONSUMERS) {
        describe(`a project that imports ${c.entry === "." ? "sandbox-clusters" : `sandbox-clusters/${c.entry.slice(2)}`}${c.sdk ? ` with only ${c.sdk}` : " and no cloud SDK"}`, function () {
            let dir: string;

            before(function () {
                dir = project(c.entry === "." ? "kubernetes" : c.entry.slice(2), c.samples);
                // As docs/install.md says; the SDK at the version this repository tests.
                npmInstall(dir, [tarball, ...(c.sdk ? [`${c.sdk}@${PKG.devDependencies[c.sdk]}`] : [])]);
                sizes.push(`${c.sdk ?? "no cloud SDK"}: ${megabytes(path.join(dir, "node_modules"))} MB`);
                npmInstall(dir, [`@types/node@${PKG.devDependencies["@types/node"]}`]);
            });

            it("gets @pulumi/pulumi and @pulumi/kubernetes as peers, and no other cloud's SDK", function () {
                for (const p of ["@pulumi/pulumi", "@pulumi/kubernetes"]) assert.ok(installed(dir, p), `${p} was not installed with the package`);
                for (const sdk of CLOUD_SDKS.filter((s) => s !== c.sdk)) assert.ok(!installed(dir, sdk), `${sdk} was installed, though ${c.entry} does not need it`);
                assert.ok(!fs.existsSync(path.join(dir, "node_modules", "sandbox-clusters", "node_modules", "@pulumi")), "the package brought its own copy of a Pulumi SDK");
            });

            it("type-checks the docs samples (moduleResolution node and node16) and runs them under Pulumi's mocks", function () {
                typeCheck(dir);
                const registered = runSamples(dir, c.samples);
                for (const t of c.registers) assert.ok(registered.includes(t), `the samples registered no ${t}: ${registered.join(", ")}`);
            });

            it("refuses deep imports past the exports map", function () {
                const out = run(process.execPath, ["-e", "try { require('sandbox-clusters/bin/components/names'); } catch (e) { console.log(e.code); }"], dir);
                assert.strictEqual(out.trim(), "ERR_PACKAGE_PATH_NOT_EXPORTED");
            });
        });
    }

    describe("a project on the lowest version of every peer range", function () {
        let dir: string;
        // The lowest azure-native (3.0) is left out: its all-services install would double the run.
        const tested = CONSUMERS.filter((c) => c.sdk !== "@pulumi/azure-native");
        const all = tested.flatMap((c) => c.samples);
        const lowest = (p: string) => semver.minVersion(PKG.peerDependencies[p])!.version;
        const peers = ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/aws", "@pulumi/gcp"];

        before(function () {
            dir = project("lowest", all);
            npmInstall(dir, [tarball, ...peers.map((p) => `${p}@${lowest(p)}`), `@types/node@${PKG.devDependencies["@types/node"]}`]);
        });

        it("installs exactly those versions", function () {
            for (const p of peers) assert.strictEqual(version(dir, p), lowest(p), p);
        });

        it("type-checks and runs every docs sample", function () {
            typeCheck(dir);
            const registered = runSamples(dir, all);
            for (const t of tested.flatMap((c) => c.registers)) assert.ok(registered.includes(t), `no ${t}: ${registered.join(", ")}`);
        });
    });

    describe("installed from a git URL of the repository (a tag of a file:// clone)", function () {
        let dir: string;

        before(function () {
            // The committed HEAD, as anyone who clones the repository gets it.
            const repo = path.join(WORK, "repo.git");
            run("git", ["clone", "--quiet", "--bare", ROOT, repo], WORK);
            run("git", ["tag", "consumer-test", run("git", ["rev-parse", "HEAD"], ROOT).trim()], repo);
            dir = project("git", ["kubernetes.ts"]);
            npmInstall(dir, [`git+file://${repo}#consumer-test`, `@types/node@${PKG.devDependencies["@types/node"]}`]);
        });

        it("builds on install (prepare) and installs only what npm pack would publish", function () {
            const pkgDir = path.join(dir, "node_modules", "sandbox-clusters");
            for (const e of entries(PKG)) assert.ok(fs.existsSync(path.join(pkgDir, e.types.replace(/\.d\.ts$/, ".js"))), `no build of ${e.subpath}`);
            for (const f of ["components", "test", "stacks", "tsconfig.json"]) assert.ok(!fs.existsSync(path.join(pkgDir, f)), `${f} was installed`);
        });

        it("type-checks and runs the docs sample of the root entry point", function () {
            typeCheck(dir);
            assert.ok(runSamples(dir, ["kubernetes.ts"]).includes("sandbox-clusters:index:SandboxRuntimes"));
        });
    });
});
