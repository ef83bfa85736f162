// Finding and reading the stack file the offline plan is asked for. Pure file and YAML work,
// no Pulumi SDK: every mistake here is reported before the SDKs load, naming the file (and
// the line) and what is wrong with it.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

/** The project's stack files: `stacks/Pulumi.<stack>.yaml` (Pulumi.yaml's `stackConfigDir`). */
export const STACKS_DIR = path.join(__dirname, "..", "stacks");

/** `Pulumi.<stack>.yaml`: how Pulumi names a stack file (the project file is `Pulumi.yaml`). */
const STACK_FILE = /^Pulumi\.(.+)\.yaml$/;
/** Pulumi's rule for a stack name. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
/** Top-level keys of a Pulumi stack file. */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"] as const;
/** What the plan puts in place of each `secure:` value. */
export const SECRET_STAND_IN = "secret-stand-in";

/** A mistake in how the plan was called (exit 64). */
export class UsageError extends Error {}
/** A stack file that is not a valid Pulumi stack file (exit 2). */
export class StackFileError extends Error {}

/** Stack names with a `Pulumi.<name>.yaml` in `dir`. */
export function listStacks(dir = STACKS_DIR): string[] {
    return fs.readdirSync(dir)
        .map((f) => STACK_FILE.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * The stack file `target` names: a path when it contains a `/` or ends in `.yaml` (relative
 * paths resolve against `callerDir`, the directory the user ran the command from), otherwise
 * the name of a stack in `stacksDir`. Throws UsageError naming the rule that was broken.
 */
export function resolveStackFile(target: string, callerDir: string, stacksDir = STACKS_DIR): { name: string; file: string } {
    const isPath = target.includes("/") || target.includes(path.sep) || /\.ya?ml$/.test(target);
    if (!isPath) {
        const file = path.join(stacksDir, `Pulumi.${target}.yaml`);
        if (!fs.existsSync(file)) {
            throw new UsageError(
                `no stack "${target}": ${path.relative(callerDir, file) || file} does not exist ` +
                    `(stacks: ${listStacks(stacksDir).join(", ")}; a stack file elsewhere is given by its path, e.g. ./Pulumi.${target}.yaml)`,
            );
        }
        return { name: target, file };
    }
    const file = path.resolve(callerDir, target);
    const named = STACK_FILE.exec(path.basename(file));
    if (!named) {
        throw new UsageError(
            `${target}: a stack file is named Pulumi.<stack>.yaml, with the stack's name between the dots ` +
                `(e.g. Pulumi.mine.yaml for stack "mine")`,
        );
    }
    if (!STACK_NAME.test(named[1])) {
        throw new UsageError(`${target}: "${named[1]}" is not a stack name (letters, digits, '_', '.' and '-')`);
    }
    if (!fs.existsSync(file)) throw new UsageError(`${target}: no such file (looked for ${file})`);
    if (!fs.statSync(file).isFile()) throw new UsageError(`${target}: not a file`);
    return { name: named[1], file };
}

/** A stack file's `config:` map, with each `secure:` value replaced by a stand-in. */
export interface StackFileConfig {
    config: Record<string, unknown>;
    /** Config paths (`ns:key`, `ns:key.field`, `ns:key["a.b"]`, `ns:key[0]`) whose value was `secure:`, in file order. */
    secrets: string[];
}

/**
 * Reads a stack file as Pulumi would: a YAML mapping whose `config:` holds `namespace:key`
 * values. Throws StackFileError naming `shown` (the path as the user gave it) and the line.
 */
export function readStackFile(file: string, shown = file): StackFileConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new UsageError(`${shown}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const lines = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const at = (node: { range?: [number, number, number] | null } | null | undefined) => {
        if (!node?.range) return shown;
        const { line, col } = lines.linePos(node.range[0]);
        return `${shown}:${line}:${col}`;
    };
    const error = doc.errors.at(0);
    if (error) {
        const { line, col } = lines.linePos(error.pos[0]);
        throw new StackFileError(`${shown}:${line}:${col}: not valid YAML: ${error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
    }
    const root = doc.contents;
    if (root === null || (YAML.isScalar(root) && (root.value === null || root.value === ""))) return { config: {}, secrets: [] };
    if (!YAML.isMap(root)) {
        throw new StackFileError(`${at(root)}: a stack file is a YAML mapping with a config: key; this file holds ${describe(root)}`);
    }
    let configNode: unknown;
    for (const pair of root.items) {
        const key = YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (!(STACK_FILE_KEYS as readonly string[]).includes(key)) {
            const hint = closest(key, STACK_FILE_KEYS);
            throw new StackFileError(
                `${at(pair.key as YAML.Node)}: unknown top-level key "${key}"${hint ? ` (did you mean ${hint}:?)` : ""}; ` +
                    `a stack file holds ${STACK_FILE_KEYS.map((k) => `${k}:`).join(", ")}`,
            );
        }
        if (key === "config") configNode = pair.value;
    }
    if (configNode === undefined || configNode === null || (YAML.isScalar(configNode) && configNode.value === null)) {
        return { config: {}, secrets: [] };
    }
    if (!YAML.isMap(configNode)) {
        throw new StackFileError(`${at(configNode as YAML.Node)}: config: must be a mapping of namespace:key values; it holds ${describe(configNode as YAML.Node)}`);
    }
    const values = (doc.toJS({ maxAliasCount: 100 }) as { config: Record<string, unknown> }).config;
    const config: Record<string, unknown> = {};
    const secrets: string[] = [];
    for (const pair of configNode.items) {
        const key = YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (!/^[^:\s]+:[^:\s]+$/.test(key) && !/^[^:\s]+:config:[^:\s]+$/.test(key)) {
            throw new StackFileError(
                `${at(pair.key as YAML.Node)}: config key "${key}" is not of the form namespace:key` +
                    `${key.includes(":") ? "" : ` (this project's keys are sandbox:<key>, e.g. sandbox:${key})`}`,
            );
        }
        config[key] = standIn(values[key], key, secrets);
    }
    return { config, secrets };
}

/** Replaces every `{secure: "..."}` leaf with SECRET_STAND_IN, recording its path. */
function standIn(value: unknown, at: string, secrets: string[]): unknown {
    if (Array.isArray(value)) return value.map((v, i) => standIn(v, `${at}[${i}]`, secrets));
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value);
        if (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string") {
            secrets.push(at);
            return SECRET_STAND_IN;
        }
        return Object.fromEntries(entries.map(([k, v]) => [k, standIn(v, /^[A-Za-z_]\w*$/.test(k) ? `${at}.${k}` : `${at}[${JSON.stringify(k)}]`, secrets)]));
    }
    return value;
}

function describe(node: unknown): string {
    if (YAML.isSeq(node)) return "a list";
    if (YAML.isScalar(node)) return `the ${typeof node.value === "string" ? "text" : "value"} ${JSON.stringify(node.value)}`;
    return "something else";
}

/** The candidate one edit or a transposition away from `word` (for "did you mean"), if any. */
function closest(word: string, candidates: readonly string[]): string | undefined {
    const w = word.toLowerCase();
    return candidates.find((c) => editDistance(w, c) <= Math.max(1, Math.floor(c.length / 4)));
}

function editDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}
