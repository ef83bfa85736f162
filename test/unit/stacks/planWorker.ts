// Plans every stack in stacks/ in a process of its own (the plan installs Pulumi's mock
// runtime, which other suites in the mocha process install with their own answers) and
// prints the results as JSON on stdout.
import { listStacks, plan, readStackConfig, stackFile } from "../../../stacks/plan";

async function main(): Promise<void> {
    const out: Record<string, unknown> = {};
    for (const stack of listStacks()) {
        const r = await plan(stack, readStackConfig(stackFile(stack).file));
        out[stack] = r.ok ? { ok: true, text: r.text, files: Object.fromEntries(r.files) } : r;
    }
    process.stdout.write(JSON.stringify(out));
}

main().then(
    () => process.exit(0),
    (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
    },
);
