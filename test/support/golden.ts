// Golden files: what the code renders (user data, node configs, manifests, the offline plan),
// committed under test/golden and reviewed like code. A test compares what it renders with its
// file; `UPDATE_GOLDEN=1` rewrites the file instead, and the diff is reviewed before a commit.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

/** Where the golden files live: test/golden. */
export const GOLDEN_ROOT = path.join(__dirname, "..", "golden");

const REPO = path.join(__dirname, "..", "..");

function updating(): boolean {
    return process.env.UPDATE_GOLDEN === "1";
}

function shown(p: string): string {
    const rel = path.relative(REPO, p);
    return rel.startsWith("..") ? p : rel;
}

/**
 * Asserts that `actual` is the text of golden file `file` (relative to `root`, by default
 * test/golden); under `UPDATE_GOLDEN=1` writes `actual` there instead.
 */
export function assertGolden(file: string, actual: string, root = GOLDEN_ROOT): void {
    const at = path.join(root, file);
    if (updating()) {
        fs.mkdirSync(path.dirname(at), { recursive: true });
        fs.writeFileSync(at, actual);
        return;
    }
    assert.ok(fs.existsSync(at), `golden file ${shown(at)} is missing: UPDATE_GOLDEN=1 writes it`);
    assert.strictEqual(
        actual,
        fs.readFileSync(at, "utf8"),
        `${shown(at)} differs from what the test renders (UPDATE_GOLDEN=1 rewrites it; review the diff)`,
    );
}

/** `value` as the text of a JSON golden file: keys sorted, so key order never shows as a change. */
export function goldenJson(value: unknown): string {
    return `${JSON.stringify(sorted(value), null, 2)}\n`;
}

/** {@link assertGolden} of `value` as JSON with sorted keys. */
export function assertGoldenJson(file: string, value: unknown, root = GOLDEN_ROOT): void {
    assertGolden(file, goldenJson(value), root);
}

/**
 * Asserts that folder `dir` (relative to `root`) holds exactly `files` (relative path with `/`
 * to text): no file missing, none extra, none different. Under `UPDATE_GOLDEN=1` replaces the
 * folder with `files`.
 */
export function assertGoldenTree(dir: string, files: Record<string, string>, root = GOLDEN_ROOT): void {
    const at = path.join(root, dir);
    if (updating()) {
        fs.rmSync(at, { recursive: true, force: true });
        for (const [rel, text] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(at, rel)), { recursive: true });
            fs.writeFileSync(path.join(at, rel), text);
        }
        return;
    }
    const committed = readTree(at);
    const hint = "UPDATE_GOLDEN=1 rewrites the folder; review the diff";
    assert.deepStrictEqual(
        Object.keys(files).sort(),
        Object.keys(committed).sort(),
        `the files of ${shown(at)} (${hint})`,
    );
    for (const [rel, text] of Object.entries(committed)) {
        assert.strictEqual(
            files[rel],
            text,
            `${shown(path.join(at, rel))} differs from what the test renders (${hint})`,
        );
    }
}

/** Every file under `dir`: relative path (with `/`) to text. Empty when `dir` does not exist. */
export function readTree(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else out[path.relative(dir, p).split(path.sep).join("/")] = fs.readFileSync(p, "utf8");
        }
    };
    if (fs.existsSync(dir)) walk(dir);
    return out;
}

function sorted(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sorted);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}
