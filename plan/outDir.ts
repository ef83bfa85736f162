// The folder `--out DIR` writes to. A plan owns a fixed set of entries there and nothing else:
// it writes into a new or empty folder, or replaces what an earlier plan wrote; a folder
// holding anything else is refused before planning. A plan that fails removes an earlier
// plan's files, so what is left in DIR never describes a stack other than the last one asked for.
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./stackFile";

/** Every entry a plan writes directly under DIR. */
export const PLAN_ENTRIES = ["plan.txt", "plan.json", "kubernetes", "helm", "userdata", "cloud"] as const;

/** Throws UsageError unless `dir` is absent, empty, or holds only what a plan writes. */
export function checkOutDir(dir: string, shown = dir): void {
    if (!fs.existsSync(dir)) {
        if (!fs.existsSync(path.dirname(path.resolve(dir)))) {
            throw new UsageError(`--out ${shown}: its parent folder ${path.dirname(path.resolve(dir))} does not exist`);
        }
        return;
    }
    if (!fs.statSync(dir).isDirectory()) throw new UsageError(`--out ${shown}: not a folder`);
    const foreign = fs.readdirSync(dir).filter((e) => !(PLAN_ENTRIES as readonly string[]).includes(e)).sort();
    if (foreign.length > 0) {
        const list = foreign.length > 5 ? `${foreign.slice(0, 5).join(", ")} and ${foreign.length - 5} more` : foreign.join(", ");
        throw new UsageError(
            `--out ${shown}: the folder holds files a plan did not write (${list}); ` +
                `give a new or empty folder, or one only an earlier plan wrote to (its files are replaced)`,
        );
    }
}

/** Removes what an earlier plan wrote under `dir`; nothing else is touched. */
export function removePlanFiles(dir: string): void {
    if (!fs.existsSync(dir)) return;
    for (const entry of PLAN_ENTRIES) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
}

/** Replaces an earlier plan's files under `dir` with `files` (relative paths). */
export function writePlanFiles(dir: string, files: ReadonlyMap<string, string>): void {
    for (const rel of files.keys()) {
        const top = rel.split("/")[0];
        if (!(PLAN_ENTRIES as readonly string[]).includes(top) || rel.split("/").includes("..")) {
            throw new Error(`plan file ${rel} lies outside the plan's entries (${PLAN_ENTRIES.join(", ")})`);
        }
    }
    removePlanFiles(dir);
    for (const [rel, content] of files) {
        const file = path.join(dir, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
    }
}
