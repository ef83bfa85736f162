// Plans stacks in a process of its own (the plan installs Pulumi's mock runtime, which other
// suites in the mocha process install with their own answers). Reads
// `{ "<label>": { "stack": "<name>", "config": {...} } }` on stdin and prints
// `{ "<label>": <plan result> }` as JSON on stdout.
import { renderFiles } from "../../plan/render";
import { plan } from "../../plan/runPlan";

async function main(): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    const jobs = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, { stack: string; config: Record<string, unknown> }>;
    const out: Record<string, unknown> = {};
    for (const [label, job] of Object.entries(jobs)) {
        const r = await plan(job.stack, job.config);
        out[label] = r.ok ? { ...r, files: Object.fromEntries(renderFiles(r)) } : r;
    }
    // Exit only once the pipe has taken everything: process.exit drops pending pipe writes.
    await new Promise<void>((resolve) => process.stdout.write(JSON.stringify(out), () => resolve()));
}

main().then(
    () => process.exit(0),
    (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
    },
);
