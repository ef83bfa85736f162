// The real Pulumi engine for end-to-end tests and benchmarks: the Go-built CLI (build set
// `pulumi`) driven through the Automation API with an inline program, a local backend and
// PULUMI_HOME in a scratch directory of the run, and the Kubernetes provider (build set
// `pulumi-kubernetes`) installed as a plugin from its file. Nothing is downloaded
// (PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION): the Node.js language host is not needed, since
// the Automation API serves the language runtime from inside this process. A project on disk in
// another language (projectStack: a Pulumi YAML program) runs under its own language host.
//
//   const bin = requireEngine(this);                   // skip, or fail under SANDBOX_REQUIRE_REAL=1
//   const engine = await Engine.start(bin);
//   const stack = await engine.stack("e2e", "test/integration/e2e/Pulumi.e2e.yaml", { "sandbox:kubeconfigPath": file });
//   await stack.up();  ...  await engine.stop();       // removes the scratch directory
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import * as YAML from "yaml";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { runProgram, stackOutputs } from "../../stacks/program";
import { isExecutable, requireToolBinary, skipOrFail, toolsBin } from "./realParts";

const ROOT = path.resolve(__dirname, "..", "..");
/** Project name of Pulumi.yaml: the namespace of every `sandbox:*` key. */
export const PROJECT = "sandbox";
const PASSPHRASE = "sandbox-clusters-e2e";

export interface EngineBinaries {
    /** The CLI, `<root>/bin/pulumi` (the layout `PulumiCommand.get` expects). */
    pulumi: string;
    /** `pulumi-resource-kubernetes`. */
    provider: string;
}

/** The version the SDK asks the engine for: @pulumi/kubernetes's own. */
export function kubernetesSdkVersion(): string {
    return (JSON.parse(fs.readFileSync(require.resolve("@pulumi/kubernetes/package.json"), "utf8")) as { version: string }).version;
}

export function findEngineBinaries(): { binaries?: EngineBinaries; missing: string[] } {
    const files = {
        pulumi: path.join(toolsBin("pulumi"), "pulumi"),
        provider: path.join(toolsBin("pulumi-kubernetes"), "pulumi-resource-kubernetes"),
    };
    const missing = Object.values(files).filter((f) => !isExecutable(f));
    return missing.length === 0 ? { binaries: files, missing } : { missing };
}

/** Skips the calling suite when the engine is missing, or fails it under `SANDBOX_REQUIRE_REAL=1` (CI). */
export function requireEngine(ctx: Mocha.Context): EngineBinaries {
    const { binaries, missing } = findEngineBinaries();
    if (binaries) return binaries;
    skipOrFail(ctx, `Pulumi engine parts missing: ${missing.join("; ")}. Build them with \`test/tools/build.sh pulumi pulumi-kubernetes\`.`);
}

/**
 * Pulumi YAML's language host (build set `pulumi-yaml`): the directory holding
 * `pulumi-language-yaml`, to put on the CLI's PATH; `skipOrFail` when it is missing.
 */
export function requireYamlHost(ctx: Mocha.Context): string {
    return path.dirname(requireToolBinary(ctx, "pulumi-yaml", "pulumi-language-yaml"));
}

/** Collects the engine's output of one operation (`onOutput`), so a failure can show it. */
export function output(): { onOutput: (s: string) => void; text: () => string } {
    const chunks: string[] = [];
    return { onOutput: (s) => chunks.push(s), text: () => chunks.join("") };
}

export interface EngineOptions {
    /** More environment for the CLI and the plugins it starts (e.g. `SSL_CERT_FILE`). */
    env?: Record<string, string>;
}

export class Engine {
    // Last resort when the process ends without stop() (a crash): drop the scratch directory.
    private readonly onExit = () => this.stop();

    private constructor(
        readonly dir: string,
        private readonly command: PulumiCommand,
        readonly env: Record<string, string>,
    ) {
        process.on("exit", this.onExit);
    }

    /** Makes the scratch directory (PULUMI_HOME, the local backend, Helm's homes) and installs the provider plugin from its file. */
    static async start(bin: EngineBinaries, opts: EngineOptions = {}): Promise<Engine> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-clusters-e2e-"));
        try {
            const sub = (d: string) => {
                fs.mkdirSync(path.join(dir, d), { recursive: true });
                return path.join(dir, d);
            };
            const env: Record<string, string> = {
                PULUMI_HOME: sub("pulumi-home"),
                PULUMI_BACKEND_URL: `file://${sub("backend")}`,
                PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
                PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
                PULUMI_SKIP_UPDATE_CHECK: "true",
                PULUMI_SKIP_CONFIRMATIONS: "true",
                // The provider's Helm client keeps its caches and registry config here, not in $HOME.
                HELM_CACHE_HOME: sub("helm/cache"),
                HELM_CONFIG_HOME: sub("helm/config"),
                HELM_DATA_HOME: sub("helm/data"),
                // The program hands the provider its kubeconfig; no ambient one may leak in.
                KUBECONFIG: path.join(dir, "no-ambient-kubeconfig"),
                // The Kubernetes provider writes a kubeconfig file per start into the temp
                // folder and leaves it: keep those (and the plugins' other temp files) in the run's scratch.
                TMPDIR: sub("tmp"),
                ...opts.env,
            };
            const command = await PulumiCommand.get({ root: path.dirname(path.dirname(bin.pulumi)) });
            await promisify(execFile)(
                bin.pulumi,
                ["plugin", "install", "resource", "kubernetes", kubernetesSdkVersion(), "--file", bin.provider],
                { env: { ...process.env, ...env } },
            );
            return new Engine(dir, command, env);
        } catch (e) {
            fs.rmSync(dir, { recursive: true, force: true });
            throw e;
        }
    }

    /**
     * The program's stack `name`, its config the stack file `stackFile` (relative to the
     * repository) with `overrides` (`sandbox:key` -> value) set in it: what `pulumi config set`
     * would write for the run's own values (the cluster's kubeconfig file, the mirror's address).
     * The project is the repository's Pulumi.yaml (its config types and defaults) without
     * `main`: the inline program runs `runProgram()` of stacks/ in this process.
     */
    async stack(name: string, stackFile: string, overrides: Record<string, unknown> = {}): Promise<Stack> {
        const workDir = path.join(this.dir, "project");
        const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
        delete project.main;
        fs.mkdirSync(path.join(workDir, project.stackConfigDir ?? "."), { recursive: true });
        fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), YAML.stringify(project));
        const stackDoc = YAML.parse(fs.readFileSync(path.join(ROOT, stackFile), "utf8"));
        stackDoc.config = { ...stackDoc.config, ...overrides };
        fs.writeFileSync(path.join(workDir, project.stackConfigDir ?? ".", `Pulumi.${name}.yaml`), YAML.stringify(stackDoc));
        return LocalWorkspace.createOrSelectStack(
            { stackName: name, projectName: PROJECT, program: () => Promise.resolve(stackOutputs(runProgram())) },
            { workDir, pulumiHome: this.env.PULUMI_HOME, pulumiCommand: this.command, envVars: this.env },
        );
    }

    /**
     * The stack `name` of a project on disk (`workDir` holds its Pulumi.yaml: a Pulumi YAML
     * program, say), run by the language host its `runtime` names, found on `path` (directories
     * prepended to PATH) as the CLI finds language hosts.
     */
    async projectStack(name: string, workDir: string, opts: { path?: string[] } = {}): Promise<Stack> {
        const envVars = { ...this.env, PATH: [...(opts.path ?? []), process.env.PATH ?? ""].join(path.delimiter) };
        return LocalWorkspace.createOrSelectStack({ stackName: name, workDir }, { pulumiHome: this.env.PULUMI_HOME, pulumiCommand: this.command, envVars });
    }

    /** Removes the scratch directory (the backend's state with it). */
    stop(): void {
        process.off("exit", this.onExit);
        if (process.env.SANDBOX_KEEP_WORK !== "1") fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
