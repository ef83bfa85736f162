// The offline plan: `npm run plan -- <stack> [--out DIR]`. Runs the same program as
// `pulumi up -s <stack>`, with that stack's config, under Pulumi's mock runtime: no cloud
// account, no Pulumi CLI. Prints the resource tree and, per sandbox pool, what its nodes
// carry and which RuntimeClass targets them; `--out DIR` also writes every Kubernetes object
// and every node's user data for review or GitOps. A config error exits 2 and writes nothing.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { Problem } from "../components/validation";
import { formatProblems, parseStackConfig } from "../stacks/config";
import { PlanMocks, Registered } from "./planMocks";
import { PoolSummary } from "../stacks/program";

/** The Pulumi entry (`main` in Pulumi.yaml): the plan runs it as `pulumi up` would. */
const ENTRY = require.resolve("../stacks/index");

export const PROJECT = "sandbox";
export const STACKS_DIR = path.join(__dirname, "..", "stacks");

/** A resource the program registered, with its inputs as the engine received them. */
export interface PlannedResource {
    type: string;
    name: string;
    /** `type::name` of the parent component; absent for children of the stack. */
    parent?: string;
    inputs: Record<string, any>;
}

export type PlanResult =
    | { ok: false; problems: Problem[] }
    | {
          ok: true;
          text: string;
          files: Map<string, string>;
          /** Every resource in registration order (for tests and tools). */
          resources: PlannedResource[];
          /** Stack outputs, resolved (secrets included, unmasked). */
          outputs: Record<string, unknown>;
      };

interface Node {
    type: string;
    name: string;
    parent?: pulumi.Resource;
    resource: pulumi.Resource;
}

/**
 * The stack file of `stack`: `stacks/Pulumi.<stack>.yaml`, or `stack` itself when it is the
 * path of a `Pulumi.<name>.yaml` (to plan a stack file before it is committed).
 */
export function stackFile(stack: string, dir = STACKS_DIR): { name: string; file: string } {
    const named = /^Pulumi\.(.+)\.yaml$/.exec(path.basename(stack));
    if (named && fs.existsSync(stack)) return { name: named[1], file: stack };
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no stack "${stack}": ${file} does not exist (stacks: ${listStacks(dir).join(", ")})`);
    }
    return { name: stack, file };
}

/** The `config:` map of a stack file. */
export function readStackConfig(file: string): Record<string, unknown> {
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
    return (doc.config ?? {}) as Record<string, unknown>;
}

/** Stack names with a `Pulumi.<name>.yaml` in `dir`. */
export function listStacks(dir = STACKS_DIR): string[] {
    return fs.readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * Plans `stack` from its config values. Validates first; on success runs the program under
 * mocks and renders the plan text and the files `--out` would write (relative paths).
 */
export async function plan(stack: string, config: Record<string, unknown>): Promise<PlanResult> {
    const secure = Object.entries(config).filter(([, v]) => typeof v === "object" && v !== null && "secure" in v);
    if (secure.length > 0) {
        return { ok: false, problems: secure.map(([k]) => ({ path: k, message: "secret values cannot be read offline; the plan needs plain config" })) };
    }
    const engineConfig = Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    const parsed = parseStackConfig(engineConfig, stack);
    if (!parsed.ok) return { ok: false, problems: parsed.problems };

    const mocks = new PlanMocks(engineConfig);
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    pulumi.runtime.setAllConfig(engineConfig);

    const nodes: Node[] = [];
    const outputs = (await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((a) => {
            nodes.push({ type: a.type, name: a.name, parent: a.opts.parent, resource: a.resource });
            return undefined;
        });
        // The module's exports are the stack outputs; load it afresh for each plan.
        delete require.cache[ENTRY];
        return require(ENTRY);
    })) ?? {};
    // Every registration has reached the mock monitor once each resource's URN is known.
    for (let seen = -1; seen !== nodes.length; ) {
        seen = nodes.length;
        await Promise.all(nodes.map((n) => promiseOf(n.resource.urn)));
    }
    // ...and the components' registerOutputs calls have drained (`waitForRPCs` is the
    // runtime's own wait, used by `disconnect`; it is not in the typings).
    await (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();
    const pools = Object.entries(outputs.pools as Record<string, Omit<PoolSummary, "name">>).map(([name, p]) => ({ name, ...p }));
    const text = render(stack, parsed.config.cloud, parsed.config.clusterMode, nodes, mocks.registered, pools, outputs);
    const files = outFiles(nodes, mocks.registered);
    files.set("plan.txt", text);
    const known = new Map(nodes.map((n) => [n.resource, `${n.type}::${n.name}`]));
    const resources = nodes.map((n) => ({
        type: n.type,
        name: n.name,
        parent: n.parent ? known.get(n.parent) : undefined,
        inputs: mocks.registered.get(`${n.type}::${n.name}`)?.inputs ?? {},
    }));
    return { ok: true, text, files, resources, outputs };
}

function render(
    stack: string,
    cloud: string,
    mode: string,
    nodes: Node[],
    registered: Map<string, Registered>,
    pools: PoolSummary[],
    outputs: Record<string, unknown>,
): string {
    const lines: string[] = [];
    lines.push(`Offline plan of stack "${stack}" (cloud ${cloud}, cluster ${mode === "adopt" ? "adopted" : "created"})`);
    lines.push("");
    lines.push(`Resources (${nodes.length}):`);
    const children = new Map<pulumi.Resource | undefined, Node[]>();
    const inTree = new Set(nodes.map((n) => n.resource));
    for (const n of nodes) {
        const key = n.parent && inTree.has(n.parent) ? n.parent : undefined;
        children.set(key, [...(children.get(key) ?? []), n]);
    }
    const walk = (parent: pulumi.Resource | undefined, prefix: string) => {
        const kids = children.get(parent) ?? [];
        kids.forEach((n, i) => {
            const last = i === kids.length - 1;
            lines.push(`${prefix}${last ? "└─ " : "├─ "}${n.type}  ${n.name}`);
            walk(n.resource, prefix + (last ? "   " : "│  "));
        });
    };
    lines.push(`  pulumi:pulumi:Stack  ${PROJECT}-${stack}`);
    walk(undefined, "  ");

    const runtimeClasses = [...registered.values()].filter((r) => r.type === "kubernetes:node.k8s.io/v1:RuntimeClass");
    lines.push("");
    lines.push(`Sandbox pools (${pools.length}):`);
    for (const p of pools) {
        const by = p.nodeStamp.appliedByCloud ? " (applied by the cloud, not sent)" : "";
        const targeting = runtimeClasses
            .filter((rc) => selects(rc.inputs.scheduling?.nodeSelector, p.nodeStamp.labels))
            .map((rc) => rc.inputs.metadata?.name ?? rc.name);
        const owner = cloud === "gcp" ? "GKE Sandbox" : "the cloud";
        const classes = targeting.length > 0 ? targeting : p.runtimeClasses.map((c) => `${c} (created by ${owner})`);
        lines.push(`  ${p.name}`);
        lines.push(`    runtime:        ${p.runtime}`);
        lines.push(`    mode:           ${p.mode}`);
        lines.push(`    instance types: ${p.instanceTypes.join(", ")}`);
        lines.push(`    labels:         ${Object.entries(p.nodeStamp.labels).map(([k, v]) => `${k}=${v}`).join(", ")}${by}`);
        lines.push(`    taints:         ${p.nodeStamp.taints.join(", ")}${by}`);
        lines.push(`    RuntimeClass:   ${classes.join(", ")}`);
    }
    lines.push("");
    lines.push("Outputs:");
    for (const [k, v] of Object.entries(outputs)) {
        if (k === "pools") continue;
        lines.push(`  ${k}: ${k === "kubeconfig" ? "[secret]" : typeof v === "string" ? v : JSON.stringify(v)}`);
    }
    return lines.join("\n") + "\n";
}

/** A nodeSelector selects a pool when every one of its labels is on the pool's nodes. */
function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
    if (!selector || Object.keys(selector).length === 0) return false;
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The files `--out` writes: Kubernetes objects, Helm releases, node user data, GKE node configs. */
function outFiles(nodes: Node[], registered: Map<string, Registered>): Map<string, string> {
    const files = new Map<string, string>();
    let k8s = 0;
    for (const n of nodes) {
        const r = registered.get(`${n.type}::${n.name}`);
        if (!r) continue;
        const inputs = clean(r.inputs);
        if (n.type.startsWith("kubernetes:helm.sh/")) {
            const { values, ...release } = inputs;
            files.set(`helm/${n.name}/release.yaml`, YAML.stringify({ type: n.type, ...release }));
            files.set(`helm/${n.name}/values.yaml`, YAML.stringify(values ?? {}));
        } else if (n.type.startsWith("kubernetes:") && typeof inputs.kind === "string" && typeof inputs.apiVersion === "string") {
            k8s += 1;
            const objName = inputs.metadata?.name ?? n.name;
            const ns = inputs.metadata?.namespace ? `${inputs.metadata.namespace}-` : "";
            const file = `kubernetes/${String(k8s).padStart(3, "0")}-${inputs.kind.toLowerCase()}-${ns}${objName}.yaml`;
            files.set(file, YAML.stringify(inputs));
        } else if (n.type === "aws:ec2/launchTemplate:LaunchTemplate" && typeof inputs.userData === "string") {
            files.set(`userdata/${n.name}.mime`, Buffer.from(inputs.userData, "base64").toString("utf8"));
        } else if (n.type === "gcp:container/nodePool:NodePool") {
            files.set(`gke-node-pools/${n.name}.yaml`, YAML.stringify(inputs));
        }
    }
    return files;
}

/** Inputs without the engine's bookkeeping fields. */
function clean(inputs: Record<string, any>): Record<string, any> {
    return Object.fromEntries(Object.entries(inputs).filter(([k]) => !k.startsWith("__")));
}

function promiseOf<T>(o: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));
}

/** Folders and files a plan writes; replaced on each run, nothing else in `dir` is touched. */
const OWNED = ["plan.txt", "kubernetes", "helm", "userdata", "gke-node-pools"];

/** Writes `files` under `dir`, replacing an earlier plan's output there. */
export function writeFiles(dir: string, files: Map<string, string>): void {
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0 && !fs.existsSync(path.join(dir, "plan.txt"))) {
        throw new Error(`${dir} is not empty and holds no earlier plan; choose an empty or new directory`);
    }
    for (const owned of OWNED) fs.rmSync(path.join(dir, owned), { recursive: true, force: true });
    for (const [rel, content] of files) {
        const file = path.join(dir, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
    }
}

async function main(argv: string[]): Promise<number> {
    const usage = "usage: npm run plan -- <stack | path/to/Pulumi.<stack>.yaml> [--out DIR]";
    const args = [...argv];
    let out: string | undefined;
    const outAt = args.indexOf("--out");
    if (outAt >= 0) {
        out = args[outAt + 1];
        args.splice(outAt, 2);
        if (!out) {
            process.stderr.write(`${usage}\n`);
            return 64;
        }
    }
    if (args.length !== 1 || args[0].startsWith("-")) {
        process.stderr.write(`${usage}\nstacks: ${listStacks().join(", ")}\n`);
        return 64;
    }
    const { name: stack, file } = stackFile(args[0]);
    const result = await plan(stack, readStackConfig(file));
    if (!result.ok) {
        process.stderr.write(`stack "${stack}": ${formatProblems(result.problems)}\n`);
        return 2;
    }
    process.stdout.write(result.text);
    if (out) {
        writeFiles(out, result.files);
        process.stdout.write(`\nWrote ${result.files.size} files to ${out}\n`);
    }
    return 0;
}

/** Resolves once `stream` has taken everything written before (process.exit drops pending pipe writes). */
function flush(stream: NodeJS.WriteStream): Promise<void> {
    return new Promise((resolve) => stream.write("", () => resolve()));
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        async (code) => {
            await flush(process.stdout);
            await flush(process.stderr);
            process.exit(code);
        },
        (err: unknown) => {
            process.stderr.write(`plan failed: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exit(1);
        },
    );
}
