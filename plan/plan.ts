// The offline plan's command: `npm run plan -- <stack | path/to/Pulumi.<stack>.yaml> [--out DIR] [--json]`.
// Runs the same program as `pulumi up -s <stack>`, with that stack's config, under Pulumi's
// mock runtime (no cloud account, no Pulumi CLI), and prints what it would create. The
// arguments, the stack file and the `--out` folder are checked before the Pulumi SDK loads,
// so every usage mistake is reported at once. docs/offline-plan.md documents the flags, the
// path rules and the exit codes.
import * as fs from "fs";
import * as path from "path";
import { checkOutDir, removePlanFiles, writePlanFiles } from "./outDir";
import { StackFileError, UsageError, listStacks, readStackFile, resolveStackFile } from "./stackFile";

/** Exit codes (docs/offline-plan.md). */
export const EXIT = {
    /** Planned. */
    Ok: 0,
    /** The plan failed while running the program (a component refused its args, a missing mock: a bug to report). */
    Failed: 1,
    /** The stack file is not valid: bad YAML, not a stack file, or config problems (all listed). Nothing is written. */
    InvalidStack: 2,
    /** The command was called wrongly: unknown flag, missing argument, no such stack or file, unusable `--out` folder. */
    Usage: 64,
} as const;

export const USAGE = "usage: npm run plan -- <stack | path/to/Pulumi.<stack>.yaml> [--out DIR] [--json]";

export function help(stacks: readonly string[]): string {
    return `${USAGE}

Plans a stack offline: runs the program \`pulumi up -s <stack>\` runs, under Pulumi's mock
runtime, and prints every resource it would create, each sandbox pool and the stack outputs.

  <stack>              a stack of this project: stacks/Pulumi.<stack>.yaml (${stacks.join(", ")})
  path                 a stack file anywhere, named Pulumi.<stack>.yaml (an argument with a '/'
                       or ending in .yaml is a path); relative to the directory you run npm in
  --out DIR, --out=DIR also write the plan's files to DIR (relative to that same directory):
                       a new or empty folder, or one only an earlier plan wrote to, whose
                       files are replaced; a failed plan leaves none of them
  --json               print the whole plan as one JSON document instead of the text
  -h, --help           print this help

Exit codes: 0 planned; 1 the plan failed while running the program; 2 the stack file or its
config is invalid (every problem listed, nothing written); 64 wrong usage (unknown flag,
missing argument, no such stack or file, --out folder that holds other files).
`;
}

export interface PlanArgs {
    target: string;
    out?: string;
    json: boolean;
}

/** Parses the command line; never throws. */
export function parseArgs(argv: readonly string[]): { help: true } | { args: PlanArgs } | { error: string } {
    const positional: string[] = [];
    let out: string | undefined;
    let json = false;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") {
            positional.push(...argv.slice(i + 1));
            break;
        }
        if (a === "-h" || a === "--help") return { help: true };
        if (a === "--json") json = true;
        else if (a === "--out" || a.startsWith("--out=")) {
            const v = a === "--out" ? argv.at(++i) : a.slice("--out=".length);
            if (v === undefined || v === "" || (a === "--out" && v.startsWith("-"))) return { error: "--out needs a folder: --out DIR or --out=DIR" };
            if (out !== undefined) return { error: "--out given twice" };
            out = v;
        } else if (a.startsWith("-") && a !== "-") return { error: `unknown option ${a}` };
        else positional.push(a);
    }
    if (positional.length === 0) return { error: "which stack? give a stack name or the path of a stack file" };
    if (positional.length > 1) return { error: `one stack at a time (got ${positional.map((p) => JSON.stringify(p)).join(", ")})` };
    return { args: { target: positional[0], out, json } };
}

/**
 * The directory relative paths are given from: the one the user ran `npm run plan` in (npm
 * runs scripts from the package root and keeps the caller's directory in INIT_CWD), else the
 * process's own.
 */
export function callerDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
    return env.npm_lifecycle_event === "plan" && env.INIT_CWD ? env.INIT_CWD : cwd;
}

interface Io {
    stdout: (s: string) => void;
    stderr: (s: string) => void;
}

/** Runs the command; returns its exit code. */
export async function main(argv: readonly string[], io: Io, from = callerDir()): Promise<number> {
    const parsed = parseArgs(argv);
    if ("help" in parsed) {
        io.stdout(help(listStacks()));
        return EXIT.Ok;
    }
    if ("error" in parsed) {
        io.stderr(`plan: ${parsed.error}\n${USAGE}\n(npm run plan -- --help describes every option)\n`);
        return EXIT.Usage;
    }
    const { target, out, json } = parsed.args;
    const outDir = out === undefined ? undefined : path.resolve(from, out);
    let stack: string;
    let stackConfig: ReturnType<typeof readStackFile>;
    try {
        const found = resolveStackFile(target, from);
        stack = found.name;
        if (outDir) checkOutDir(outDir, out);
        stackConfig = readStackFile(found.file, target.includes("/") || target.endsWith(".yaml") ? target : path.relative(from, found.file) || found.file);
    } catch (e) {
        if (e instanceof UsageError) {
            io.stderr(`plan: ${e.message}\n`);
            return EXIT.Usage;
        }
        if (e instanceof StackFileError) {
            io.stderr(`plan: ${e.message}\n`);
            if (outDir) removePlanFiles(outDir);
            return EXIT.InvalidStack;
        }
        throw e;
    }

    // The SDKs load only now.
    const { plan } = await import("./runPlan");
    const { planDocument, renderFiles } = await import("./render");
    let result: Awaited<ReturnType<typeof plan>>;
    try {
        result = await plan(stack, stackConfig.config, stackConfig.secrets);
    } catch (e) {
        if (outDir) removePlanFiles(outDir);
        throw e;
    }
    if (!result.ok) {
        const { formatProblems } = await import("../stacks/config");
        io.stderr(`stack "${stack}": ${formatProblems(result.problems)}\n`);
        if (outDir) removePlanFiles(outDir);
        return EXIT.InvalidStack;
    }
    io.stdout(json ? `${JSON.stringify(planDocument(result), null, 2)}\n` : result.text);
    if (outDir) {
        const files = renderFiles(result);
        try {
            if (!fs.existsSync(outDir)) fs.mkdirSync(outDir);
            writePlanFiles(outDir, files);
        } catch (e) {
            removePlanFiles(outDir);
            throw e;
        }
        (json ? io.stderr : io.stdout)(`${json ? "" : "\n"}Wrote ${files.size} files to ${out}\n`);
    }
    return EXIT.Ok;
}

/** Resolves once `stream` has taken everything written before (process.exit drops pending pipe writes). */
function flush(stream: NodeJS.WriteStream): Promise<void> {
    return new Promise((resolve) => stream.write("", () => resolve()));
}

if (require.main === module) {
    const io: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };
    main(process.argv.slice(2), io).then(
        async (code) => {
            await flush(process.stdout);
            await flush(process.stderr);
            process.exit(code);
        },
        async (err: unknown) => {
            // A failure inside the program run: components refusing their args, or a bug.
            process.stderr.write(`plan failed: ${err instanceof Error ? err.message : String(err)}\n`);
            await flush(process.stderr);
            process.exit(EXIT.Failed);
        },
    );
}
