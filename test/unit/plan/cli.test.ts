import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";

import { PLAN_ENTRIES, checkOutDir } from "../../../plan/outDir";
import { EXIT, USAGE, callerDir, help, parseArgs } from "../../../plan/plan";
import { SECRET_STAND_IN, StackFileError, UsageError, readStackFile, resolveStackFile } from "../../../plan/stackFile";
import { ROOT, RUN_TS, STACKS } from "../../support/plannedStacks";

const HINT = "(npm run plan -- --help describes every option)";

/** `npm run plan -- <args>` from `cwd`, the way a user runs it (npm finds the package above cwd, or by --prefix). */
function npmPlan(cwd: string, args: string[]) {
    const prefix = cwd.startsWith(ROOT) ? [] : ["--prefix", ROOT];
    return spawnSync("npm", [...prefix, "run", "--silent", "plan", "--", ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
}

/** `node plan/plan.ts <args>` from the repository root; `probe` adds "[SDK loaded]" to stderr if the Pulumi SDK was loaded. */
function nodePlan(args: string[], probe = false) {
    const extra = probe ? ["--require", path.join(ROOT, "test/support/sdkProbe.js")] : [];
    return spawnSync(process.execPath, [...RUN_TS, ...extra, "plan/plan.ts", ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
}

function tmpDir(label: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `plan-cli-${label}-`));
}

function writeStack(dir: string, name: string, config: Record<string, unknown>): string {
    const file = path.join(dir, `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, YAML.stringify({ config }));
    return file;
}

const GKE_MINIMAL = {
    "gcp:project": "my-sandbox-project",
    "sandbox:cloud": "gcp",
    "sandbox:location": "europe-west4-a",
    "sandbox:pools": [{ name: "gvisor", runtime: "gvisor", machineType: "e2-standard-4" }],
};

function tree(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else out.push(path.relative(dir, p));
        }
    };
    if (fs.existsSync(dir)) walk(dir);
    return out.sort();
}

describe("offline plan command line (plan/plan.ts)", function () {
    this.timeout(180_000);

    describe("arguments", () => {
        it("takes a stack, --out DIR or --out=DIR, --json and --help, in any order", () => {
            assert.deepStrictEqual(parseArgs(["dev"]), { args: { target: "dev", out: undefined, json: false } });
            assert.deepStrictEqual(parseArgs(["--out", "o", "dev", "--json"]), { args: { target: "dev", out: "o", json: true } });
            assert.deepStrictEqual(parseArgs(["dev", "--out=o"]), { args: { target: "dev", out: "o", json: false } });
            assert.deepStrictEqual(parseArgs(["--", "-odd-name.yaml"]), { args: { target: "-odd-name.yaml", out: undefined, json: false } });
            assert.deepStrictEqual(parseArgs(["dev", "-h"]), { help: true });
            assert.deepStrictEqual(parseArgs(["--help"]), { help: true });
        });

        it("names what is wrong with the command line", () => {
            assert.deepStrictEqual(parseArgs([]), { error: "which stack? give a stack name or the path of a stack file" });
            assert.deepStrictEqual(parseArgs(["dev", "--out"]), { error: "--out needs a folder: --out DIR or --out=DIR" });
            assert.deepStrictEqual(parseArgs(["dev", "--out="]), { error: "--out needs a folder: --out DIR or --out=DIR" });
            assert.deepStrictEqual(parseArgs(["dev", "--out", "--json"]), { error: "--out needs a folder: --out DIR or --out=DIR" });
            assert.deepStrictEqual(parseArgs(["dev", "--out=a", "--out=b"]), { error: "--out given twice" });
            assert.deepStrictEqual(parseArgs(["dev", "--outdir", "x"]), { error: "unknown option --outdir" });
            assert.deepStrictEqual(parseArgs(["dev", "prod"]), { error: 'one stack at a time (got "dev", "prod")' });
        });

        it("--help describes every option and every exit code", () => {
            const text = help(["dev", "prod"]);
            for (const flag of ["--out DIR", "--out=DIR", "--json", "-h, --help"]) assert.ok(text.includes(flag), flag);
            for (const code of Object.values(EXIT)) assert.match(text, new RegExp(`\\b${code} `), `exit code ${code}`);
            assert.ok(text.startsWith(`${USAGE}\n`));
            assert.match(text, /\(dev, prod\)/);
        });

        it("is documented in docs/offline-plan.md: every option and every exit code", () => {
            const section = fs.readFileSync(path.join(ROOT, "docs/offline-plan.md"), "utf8");
            assert.ok(section.includes(USAGE.replace("usage: ", "")), "the usage line");
            for (const flag of ["`--out DIR`", "`--out=DIR`", "`--json`", "`-h`", "`--help`"]) assert.ok(section.includes(flag), flag);
            for (const code of Object.values(EXIT)) assert.match(section, new RegExp(`\\n\\| ${code} \\|`), `exit code ${code}`);
        });

        it("resolves relative paths against the directory npm was run in, and only when npm runs the plan script", () => {
            assert.strictEqual(callerDir({ npm_lifecycle_event: "plan", INIT_CWD: "/home/me/work" }, "/repo"), "/home/me/work");
            assert.strictEqual(callerDir({ npm_lifecycle_event: "test", INIT_CWD: "/home/me/work" }, "/repo"), "/repo");
            assert.strictEqual(callerDir({}, "/repo"), "/repo");
        });
    });

    describe("finding the stack file", () => {
        it("reads a stack name from stacks/ and a path from the caller's directory", () => {
            assert.deepStrictEqual(resolveStackFile("dev", "/anywhere"), { name: "dev", file: path.join(STACKS, "Pulumi.dev.yaml") });
            assert.deepStrictEqual(resolveStackFile("../stacks/Pulumi.prod.yaml", path.join(ROOT, "components")), {
                name: "prod",
                file: path.join(STACKS, "Pulumi.prod.yaml"),
            });
            assert.deepStrictEqual(resolveStackFile("Pulumi.staging.yaml", STACKS), { name: "staging", file: path.join(STACKS, "Pulumi.staging.yaml") });
        });

        it("says the naming rule for a file not named Pulumi.<stack>.yaml, and names a missing stack or file", () => {
            const err = (f: () => unknown): string => {
                try {
                    f();
                } catch (e) {
                    assert.ok(e instanceof UsageError, String(e));
                    return e.message;
                }
                return assert.fail("no error");
            };
            assert.strictEqual(
                err(() => resolveStackFile("./mine.yaml", ROOT)),
                "./mine.yaml: a stack file is named Pulumi.<stack>.yaml, with the stack's name between the dots (e.g. Pulumi.mine.yaml for stack \"mine\")",
            );
            assert.strictEqual(
                err(() => resolveStackFile("conf/Pulumi.yaml", ROOT)),
                "conf/Pulumi.yaml: a stack file is named Pulumi.<stack>.yaml, with the stack's name between the dots (e.g. Pulumi.mine.yaml for stack \"mine\")",
            );
            assert.strictEqual(err(() => resolveStackFile("./Pulumi.a b.yaml", ROOT)), `./Pulumi.a b.yaml: "a b" is not a stack name (letters, digits, '_', '.' and '-')`);
            assert.strictEqual(err(() => resolveStackFile("./Pulumi.mine.yaml", "/nonexistent")), "./Pulumi.mine.yaml: no such file (looked for /nonexistent/Pulumi.mine.yaml)");
            assert.strictEqual(
                err(() => resolveStackFile("qa", ROOT)),
                "no stack \"qa\": stacks/Pulumi.qa.yaml does not exist (stacks: azure-dev, dev, karpenter, prod, staging; a stack file elsewhere is given by its path, e.g. ./Pulumi.qa.yaml)",
            );
        });
    });

    describe("reading the stack file", () => {
        let dir: string;
        const file = (name: string, text: string) => {
            const f = path.join(dir, `Pulumi.${name}.yaml`);
            fs.writeFileSync(f, text);
            return f;
        };
        const problem = (name: string, text: string) => {
            try {
                readStackFile(file(name, text), `my/Pulumi.${name}.yaml`);
            } catch (e) {
                assert.ok(e instanceof StackFileError, String(e));
                return e.message;
            }
            return assert.fail("no error");
        };
        before(() => (dir = tmpDir("read")));
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("names the file and line of a YAML syntax error", () => {
            assert.strictEqual(
                problem("syntax", "config:\n  sandbox:cloud: aws\n  sandbox:pools: [\n"),
                "my/Pulumi.syntax.yaml:4:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
            );
            assert.strictEqual(problem("dup", "config:\n  sandbox:cloud: aws\n  sandbox:cloud: gcp\n"), "my/Pulumi.dup.yaml:3:3: not valid YAML: Map keys must be unique");
        });

        it("reports a file that is not a mapping as what it is", () => {
            assert.strictEqual(problem("list", "- sandbox:cloud: aws\n"), "my/Pulumi.list.yaml:1:1: a stack file is a YAML mapping with a config: key; this file holds a list");
            assert.strictEqual(problem("text", "cloud aws\n"), 'my/Pulumi.text.yaml:1:1: a stack file is a YAML mapping with a config: key; this file holds the text "cloud aws"');
            assert.strictEqual(problem("cfg", "config:\n  - sandbox:cloud\n"), "my/Pulumi.cfg.yaml:2:3: config: must be a mapping of namespace:key values; it holds a list");
        });

        it("reports a misspelt top-level key, and a config key without its namespace", () => {
            assert.strictEqual(
                problem("typo", "configs:\n  sandbox:cloud: aws\n"),
                "my/Pulumi.typo.yaml:1:1: unknown top-level key \"configs\" (did you mean config:?); a stack file holds config:, secretsprovider:, encryptedkey:, encryptionsalt:, environment:",
            );
            assert.strictEqual(
                problem("other", "settings: {}\n"),
                "my/Pulumi.other.yaml:1:1: unknown top-level key \"settings\"; a stack file holds config:, secretsprovider:, encryptedkey:, encryptionsalt:, environment:",
            );
            assert.strictEqual(
                problem("bare", "config:\n  aws:region: us-east-1\n  cloud: aws\n"),
                "my/Pulumi.bare.yaml:3:3: config key \"cloud\" is not of the form namespace:key (this project's keys are sandbox:<key>, e.g. sandbox:cloud)",
            );
        });

        it("reads an empty file or an empty config as no config, and keeps Pulumi's own top-level keys", () => {
            assert.deepStrictEqual(readStackFile(file("empty", "")), { config: {}, secrets: [] });
            assert.deepStrictEqual(readStackFile(file("noconfig", "encryptionsalt: v1:abc\nconfig:\n")), { config: {}, secrets: [] });
        });

        it("puts a visible stand-in in place of every secure: value and lists where", () => {
            const read = readStackFile(file("sec", [
                "secretsprovider: passphrase",
                "config:",
                "  aws:secretKey:",
                "    secure: v1:AAAA",
                "  sandbox:tags:",
                "    team: {secure: v1:BBBB}",
                "    cost.center: {secure: v1:CCCC}",
                "    plain: yes",
                "",
            ].join("\n")));
            assert.deepStrictEqual(read, {
                config: { "aws:secretKey": SECRET_STAND_IN, "sandbox:tags": { team: SECRET_STAND_IN, "cost.center": SECRET_STAND_IN, plain: "yes" } },
                secrets: ["aws:secretKey", "sandbox:tags.team", 'sandbox:tags["cost.center"]'],
            });
        });
    });

    describe("the --out folder", () => {
        it("accepts a new, an empty, or an earlier plan's folder and refuses one holding other files", () => {
            const dir = tmpDir("out");
            try {
                checkOutDir(path.join(dir, "new"));
                checkOutDir(dir);
                for (const e of PLAN_ENTRIES) fs.mkdirSync(path.join(dir, e));
                checkOutDir(dir);
                fs.writeFileSync(path.join(dir, "notes.md"), "mine");
                fs.mkdirSync(path.join(dir, "src"));
                assert.throws(() => checkOutDir(dir, "review"), {
                    name: "Error",
                    message: "--out review: the folder holds files a plan did not write (notes.md, src); give a new or empty folder, or one only an earlier plan wrote to (its files are replaced)",
                });
                assert.throws(() => checkOutDir(path.join(dir, "notes.md"), "review/notes.md"), { message: "--out review/notes.md: not a folder" });
                assert.throws(() => checkOutDir(path.join(dir, "a", "b"), "a/b"), { message: `--out a/b: its parent folder ${path.join(dir, "a")} does not exist` });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("run as a user runs it", () => {
        it("plans a stack file given relative to a subdirectory of the repository, writing --out=DIR there too", () => {
            const out = path.join(ROOT, "components", ".plan-test-out");
            try {
                const r = npmPlan(path.join(ROOT, "components"), ["../stacks/Pulumi.prod.yaml", "--out=.plan-test-out"]);
                assert.strictEqual(r.status, EXIT.Ok, r.stderr);
                assert.match(r.stdout, /^Offline plan of stack "prod" \(cloud aws, cluster adopted\)\n/);
                assert.match(r.stdout, /\nWrote \d+ files to \.plan-test-out\n$/);
                assert.ok(fs.existsSync(path.join(out, "plan.txt")));
            } finally {
                fs.rmSync(out, { recursive: true, force: true });
            }
        });

        it("plans a stack file outside the repository, relative to the directory npm was run in", () => {
            const dir = tmpDir("outside");
            try {
                fs.mkdirSync(path.join(dir, "conf"));
                writeStack(path.join(dir, "conf"), "mine", GKE_MINIMAL);
                const r = npmPlan(dir, ["./conf/Pulumi.mine.yaml", "--out", "review"]);
                assert.strictEqual(r.status, EXIT.Ok, r.stderr);
                assert.match(r.stdout, /^Offline plan of stack "mine" \(cloud gcp, cluster created\)\n/);
                assert.ok(tree(path.join(dir, "review")).includes("cloud/gcp/container.NodePool/sandbox-mine-gvisor-pool.yaml"));
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("reports usage mistakes with exit 64 before loading the Pulumi SDK", () => {
            const dir = tmpDir("usage");
            try {
                fs.writeFileSync(path.join(dir, "keep.txt"), "mine");
                const cases: [string[], string][] = [
                    [[], `plan: which stack? give a stack name or the path of a stack file\n${USAGE}\n${HINT}\n`],
                    [["dev", "--verbose"], `plan: unknown option --verbose\n${USAGE}\n${HINT}\n`],
                    [["dev", "--out", dir], `plan: --out ${dir}: the folder holds files a plan did not write (keep.txt); give a new or empty folder, or one only an earlier plan wrote to (its files are replaced)\n`],
                    [["stacks/dev.yaml"], `plan: stacks/dev.yaml: a stack file is named Pulumi.<stack>.yaml, with the stack's name between the dots (e.g. Pulumi.mine.yaml for stack "mine")\n`],
                ];
                for (const [args, stderr] of cases) {
                    const r = nodePlan(args, true);
                    assert.deepStrictEqual({ status: r.status, stdout: r.stdout, stderr: r.stderr }, { status: EXIT.Usage, stdout: "", stderr }, args.join(" "));
                }
                assert.deepStrictEqual(fs.readdirSync(dir), ["keep.txt"], "the foreign folder is left alone");
                const h = nodePlan(["--help"], true);
                assert.deepStrictEqual({ status: h.status, stdout: h.stdout, stderr: h.stderr }, { status: EXIT.Ok, stdout: help(["azure-dev", "dev", "karpenter", "prod", "staging"]), stderr: "" });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("exits 2 naming the file for a stack file that is not valid YAML, before loading the SDK", () => {
            const dir = tmpDir("yaml");
            try {
                fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config:\n  sandbox:cloud: [aws\n");
                const r = nodePlan([path.join(dir, "Pulumi.broken.yaml")], true);
                assert.deepStrictEqual(
                    { status: r.status, stdout: r.stdout, stderr: r.stderr },
                    { status: EXIT.InvalidStack, stdout: "", stderr: `plan: ${dir}/Pulumi.broken.yaml:3:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n` },
                );
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("leaves none of an earlier plan's files behind when a later plan into the same folder fails", () => {
            const dir = tmpDir("stale");
            try {
                const out = path.join(dir, "out");
                const first = nodePlan([writeStack(dir, "good", GKE_MINIMAL), "--out", out]);
                assert.strictEqual(first.status, EXIT.Ok, first.stderr);
                assert.ok(tree(out).length > 10);
                const invalid = nodePlan([writeStack(dir, "bad", { ...GKE_MINIMAL, "sandbox:pools": [] }), "--out", out]);
                assert.strictEqual(invalid.status, EXIT.InvalidStack, invalid.stderr);
                assert.deepStrictEqual(tree(out), []);
                const again = nodePlan([path.join(dir, "Pulumi.good.yaml"), "--out", out]);
                assert.strictEqual(again.status, EXIT.Ok, again.stderr);
                fs.writeFileSync(path.join(dir, "Pulumi.syntax.yaml"), "config: [\n");
                const syntax = nodePlan([path.join(dir, "Pulumi.syntax.yaml"), "--out", out]);
                assert.strictEqual(syntax.status, EXIT.InvalidStack, syntax.stderr);
                assert.deepStrictEqual(tree(out), []);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("plans secure: values with a stand-in and says so", () => {
            const dir = tmpDir("secure");
            try {
                const file = path.join(dir, "Pulumi.sec.yaml");
                fs.writeFileSync(file, [
                    "config:",
                    "  gcp:project: my-sandbox-project",
                    "  sandbox:cloud: gcp",
                    "  sandbox:location: europe-west4-a",
                    "  sandbox:tags:",
                    "    team:",
                    "      secure: v1:AAAAbase64==",
                    "  sandbox:pools:",
                    "    - {name: gvisor, runtime: gvisor, machineType: e2-standard-4}",
                    "",
                ].join("\n"));
                const out = path.join(dir, "out");
                const r = nodePlan([file, "--json", "--out", out]);
                assert.strictEqual(r.status, EXIT.Ok, r.stderr);
                const note = `sandbox:tags.team is a secret (secure: in the stack file); the plan cannot decrypt it and used "${SECRET_STAND_IN}" in its place`;
                const text = fs.readFileSync(path.join(out, "plan.txt"), "utf8");
                assert.ok(text.startsWith(['Offline plan of stack "sec" (cloud gcp, cluster created)', "", "Notes:", `  - ${note}`, "", ""].join("\n")), text.slice(0, 400));
                const doc = JSON.parse(r.stdout);
                assert.deepStrictEqual(doc.notes, [note]);
                const cluster = doc.resources.find((x: { type: string }) => x.type === "gcp:container/cluster:Cluster");
                assert.deepStrictEqual(cluster.inputs.resourceLabels, { team: SECRET_STAND_IN });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("says when a config problem is about the stand-in of a secure: value", async () => {
            const { plan } = await import("../../../plan/runPlan");
            const r = await plan("sec", {
                "aws:region": "us-east-1",
                "sandbox:cloud": "aws",
                "sandbox:subnetIds": [SECRET_STAND_IN, "subnet-0a1b2c3d4e5f60002"],
                "sandbox:pools": [{ name: "gvisor", runtime: "gvisor", instanceTypes: ["m7i.large"] }],
            }, ["sandbox:subnetIds[0]"]);
            assert.deepStrictEqual(r, {
                ok: false,
                problems: [{ code: "malformed", path: "sandbox:subnetIds[0]", message: `"${SECRET_STAND_IN}" is not a subnet ID (subnet- and 8 or 17 hex digits) (the plan checked a stand-in for this secret value)` }],
            });
        });

        it("--json prints the whole plan as one document, the same one --out writes to plan.json", () => {
            const dir = tmpDir("json");
            try {
                const r = nodePlan(["staging", "--json", "--out", path.join(dir, "o")]);
                assert.strictEqual(r.status, EXIT.Ok, r.stderr);
                const doc = JSON.parse(r.stdout);
                assert.deepStrictEqual(Object.keys(doc), ["stack", "cloud", "cluster", "notes", "resources", "pools", "outputs"]);
                assert.strictEqual(r.stdout, fs.readFileSync(path.join(dir, "o", "plan.json"), "utf8"));
                assert.match(r.stderr, /^Wrote \d+ files to .*\/o\n$/);
                assert.strictEqual(doc.outputs.kubeconfig, "[secret]");
                const kinds = new Set(doc.resources.map((x: { type: string }) => x.type));
                for (const t of ["aws:eks/cluster:Cluster", "aws:ec2/launchTemplate:LaunchTemplate", "aws:autoscaling/group:Group", "kubernetes:node.k8s.io/v1:RuntimeClass"]) assert.ok(kinds.has(t), t);
                const provider = doc.resources.find((x: { type: string }) => x.type === "pulumi:providers:kubernetes");
                assert.strictEqual(provider.inputs.kubeconfig, "[secret]", "secret inputs are redacted");
                assert.deepStrictEqual(doc.pools.map((p: { name: string; size: unknown; capacity: string }) => [p.name, p.size, p.capacity]), [
                    ["gvisor", { min: 1, max: 4, desired: 1 }, "on-demand"],
                    ["kata-nested", { min: 1, max: 3, desired: 1 }, "on-demand"],
                ]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
