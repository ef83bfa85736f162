// Golden files for rendered specs: compared as JSON with sorted keys; `UPDATE_GOLDEN=1`
// rewrites them instead of comparing.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

function sorted(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sorted);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value as object)
                .sort()
                .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

/** Asserts that `value` equals the golden file `<dir>/<file>`. */
export function assertGoldenJson(dir: string, file: string, value: unknown): void {
    const text = `${JSON.stringify(sorted(value), null, 2)}\n`;
    const target = path.join(dir, file);
    if (process.env.UPDATE_GOLDEN === "1") {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(target, text);
        return;
    }
    assert.ok(fs.existsSync(target), `golden file ${target} is missing; run with UPDATE_GOLDEN=1 to write it`);
    assert.strictEqual(text, fs.readFileSync(target, "utf8"), `${file} differs from the golden file (UPDATE_GOLDEN=1 rewrites it)`);
}
