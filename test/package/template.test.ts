// The `pulumi new` template (templates/eks-gvisor, docs/your-program.md, "Start a project: pulumi new") as a
// user gets it: the real CLI generates the project from the template's absolute path and
// writes the stack file with the template's defaults and a user's answers; the project
// installs the packed package, and its program type-checks and runs under Pulumi's mocks with
// that stack file's config, registering the gVisor pool and the runtime layer.
//
//   npm run test:package      (the CLI from `test/tools/build.sh pulumi`; a copy without it)
//
// What the CLI cannot do here: without the Node.js language host (../shared/FACTS.md)
// `pulumi new` stops after writing the project files, before it creates the stack, saves the
// config or runs `npm install`. The test does those steps with `pulumi stack init` and
// `pulumi config set` (which need no language host: the route docs/your-program.md gives until the package is
// on a registry) and `npm install` of the tarball.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { toolsBin } from "../support/realParts";

const ROOT = path.join(__dirname, "../..");
const TEMPLATE = path.join(ROOT, "templates", "eks-gvisor");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const TSC = require.resolve("typescript/bin/tsc");
const PULUMI = path.join(toolsBin("pulumi"), "pulumi");
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-clusters-template-"));
const PROJECT = "sandbox-demo";
/** What a user answers to the prompts without a default. */
const ANSWERS: Record<string, string> = { clusterName: "prod", subnetIds: JSON.stringify(["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]) };

interface TemplateConfig {
    description: string;
    default?: string;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
    try {
        return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false", ...env } });
    } catch (e: any) {
        throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
}

/** The CLI with PULUMI_HOME and a local backend in WORK, offline. */
function pulumiEnv(): NodeJS.ProcessEnv {
    return { ...process.env, PULUMI_HOME: path.join(WORK, "pulumi-home"), PULUMI_CONFIG_PASSPHRASE: "template-test", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true", PULUMI_SKIP_UPDATE_CHECK: "true" };
}

/** `pulumi new <absolute path> --generate-only`, offline; returns what the CLI printed and its exit status. */
function pulumiNew(dir: string, config: Record<string, string>): { status: number; out: string } {
    fs.mkdirSync(path.join(WORK, "backend"), { recursive: true });
    const env = pulumiEnv();
    execFileSync(PULUMI, ["login", `file://${path.join(WORK, "backend")}`], { env, stdio: "pipe" });
    const args = ["new", TEMPLATE, "--generate-only", "--yes", "--force", "--non-interactive", "-n", PROJECT, "-s", "dev", "--dir", dir];
    for (const [k, v] of Object.entries(config)) args.push("-c", `${k}=${v}`);
    try {
        return { status: 0, out: execFileSync(PULUMI, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
    } catch (e: any) {
        return { status: e.status ?? 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

describe("the pulumi new template templates/eks-gvisor", function () {
    const template = YAML.parse(fs.readFileSync(path.join(TEMPLATE, "Pulumi.yaml"), "utf8"));
    const prompts: Record<string, TemplateConfig> = template.template?.config ?? {};
    /** The stack config a user ends with: the template's defaults, then the answers. */
    const stackConfig: Record<string, string> = {};
    for (const [k, c] of Object.entries(prompts)) if (c.default !== undefined) stackConfig[k] = c.default;
    Object.assign(stackConfig, ANSWERS);
    /** Keys as the stack file holds them: the project's own under its name. */
    const namespaced = (c: Record<string, string>) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k.includes(":") ? k : `${PROJECT}:${k}`, v]));
    /** The stack file's config (Pulumi.dev.yaml as the CLI wrote it, when it is here). */
    const stack: Record<string, string> = {};
    let dir: string;

    after(function () {
        fs.rmSync(WORK, { recursive: true, force: true });
    });

    it("asks for the region, the cluster, the subnets and the pool's instance type and size, each with a description", function () {
        assert.strictEqual(typeof template.template?.description, "string", "Pulumi.yaml has no template.description");
        assert.deepStrictEqual(Object.keys(prompts).sort(), ["aws:region", "clusterName", "instanceType", "maxSize", "minSize", "subnetIds"]);
        for (const [k, c] of Object.entries(prompts)) assert.ok(typeof c.description === "string" && c.description.length > 0, `${k} has no description`);
        for (const k of Object.keys(ANSWERS)) assert.strictEqual(prompts[k].default, undefined, `${k} has a default, though only the user can know it`);
    });

    it("depends on sandbox-clusters and only the SDKs its program imports, within the package's peer ranges", function () {
        const pkg = JSON.parse(fs.readFileSync(path.join(TEMPLATE, "package.json"), "utf8"));
        assert.deepStrictEqual(Object.keys(pkg.dependencies).sort(), ["@pulumi/aws", "@pulumi/kubernetes", "@pulumi/pulumi", "sandbox-clusters"]);
        assert.strictEqual(pkg.dependencies["sandbox-clusters"], `^${PKG.version}`);
        const semver = require("semver");
        for (const p of ["@pulumi/aws", "@pulumi/kubernetes", "@pulumi/pulumi"]) {
            assert.ok(semver.subset(pkg.dependencies[p], PKG.peerDependencies[p]), `${p} ${pkg.dependencies[p]} is outside the peer range ${PKG.peerDependencies[p]}`);
        }
    });

    describe("a project generated from it", function () {
        before(function () {
            dir = path.join(WORK, "project");
            fs.mkdirSync(dir);
            if (fs.existsSync(PULUMI)) {
                const { status, out } = pulumiNew(dir, ANSWERS);
                // The one step the CLI cannot take here: it needs the Node.js language host.
                assert.ok(status === 0 || /no language plugin 'pulumi-language-nodejs'/.test(out), `pulumi new failed:\n${out}`);
                assert.match(out, new RegExp(`Created project '${PROJECT}'`), out);
                // What `pulumi new` goes on to do, by the commands that need no language host (docs/your-program.md).
                execFileSync(PULUMI, ["stack", "init", "dev", "--non-interactive"], { cwd: dir, env: pulumiEnv(), stdio: "pipe" });
                for (const [k, v] of Object.entries(stackConfig)) execFileSync(PULUMI, ["config", "set", k, v], { cwd: dir, env: pulumiEnv(), stdio: "pipe" });
                const written = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8")).config as Record<string, string>;
                assert.deepStrictEqual(written, namespaced(stackConfig), "Pulumi.dev.yaml");
                Object.assign(stack, written);
            } else {
                if (process.env.SANDBOX_REQUIRE_REAL === "1") throw new Error(`no Pulumi CLI at ${PULUMI}: build it with \`test/tools/build.sh pulumi\``);
                console.log(`    no Pulumi CLI at ${PULUMI}: the template folder is copied instead of pulumi new`);
                for (const f of fs.readdirSync(TEMPLATE)) fs.writeFileSync(path.join(dir, f), fs.readFileSync(path.join(TEMPLATE, f), "utf8").replace(/\$\{PROJECT\}/g, PROJECT));
                // As the CLI writes it: the template section left out.
                const project = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
                delete project.template;
                fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify(project));
                Object.assign(stack, namespaced(stackConfig));
            }
            // What `pulumi new` does after the language host's steps: the tarball for the registry's package.
            const out = run("npm", ["pack", "--json", "--pack-destination", WORK, "--loglevel=warn"], ROOT);
            const tarball = path.join(WORK, JSON.parse(out.slice(out.indexOf("[")))[0].filename);
            run("npm", ["install", "--prefer-offline", "--loglevel=warn", tarball], dir);
        });

        it("holds the template's files, named for the project, with the template section left out", function () {
            const files = fs.readdirSync(dir).filter((f) => !["node_modules", "package-lock.json", "Pulumi.dev.yaml"].includes(f)).sort();
            assert.deepStrictEqual(files, ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
            const project = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
            assert.strictEqual(project.name, PROJECT);
            assert.strictEqual(project.template, undefined, "the template section was copied into the project");
            assert.strictEqual(project.runtime.name, "nodejs");
            assert.strictEqual(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name, PROJECT);
        });

        it("type-checks against the packed package and runs under Pulumi's mocks with the stack file's config", function () {
            run(process.execPath, [TSC, "-p", "tsconfig.json"], dir);
            fs.copyFileSync(path.join(__dirname, "consumer", "runSample.js"), path.join(dir, "runSample.js"));
            const config = stack;
            const out = run(process.execPath, ["runSample.js", path.join("bin", "index.js")], dir, { RUN_SAMPLE_PROJECT: PROJECT, RUN_SAMPLE_CONFIG: JSON.stringify(config) });
            const registered: string[] = JSON.parse(out.trim().split("\n").pop()!).registered;
            for (const t of ["sandbox-clusters:index:EksSandboxNodePool", "sandbox-clusters:index:SandboxRuntimes", "aws:eks/nodeGroup:NodeGroup", "kubernetes:node.k8s.io/v1:RuntimeClass"]) {
                assert.ok(registered.includes(t), `the template's program registered no ${t}: ${registered.join(", ")}`);
            }
        });

        it("refuses a pool whose minSize exceeds its maxSize, naming the input", function () {
            const config = { ...stack, ...namespaced({ minSize: "4", maxSize: "2" }) };
            assert.throws(
                () => run(process.execPath, ["runSample.js", path.join("bin", "index.js")], dir, { RUN_SAMPLE_PROJECT: PROJECT, RUN_SAMPLE_CONFIG: JSON.stringify(config) }),
                /minSize \(4\) is greater than maxSize \(2\)/,
            );
        });
    });
});
