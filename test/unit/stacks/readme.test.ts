import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS, POOL_KEYS } from "../../../stacks/config";

const ROOT = path.join(__dirname, "../../..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The text of a `## title` section, up to the next `## `. */
function section(title: string): string {
    const start = README.indexOf(`\n## ${title}\n`);
    assert.ok(start >= 0, `README has a section "${title}"`);
    const end = README.indexOf("\n## ", start + 1);
    return README.slice(start, end < 0 ? undefined : end);
}

describe("README", () => {
    it("starts with the two commands: the offline plan and the tests", () => {
        const firstBlock = /```sh\n([\s\S]*?)```/.exec(README)?.[1] ?? "";
        assert.ok(README.indexOf("```sh") < README.indexOf("\n## "), "the commands come before any section");
        assert.match(firstBlock, /^npm ci && npm run plan -- dev\b/m);
        assert.match(firstBlock, /^npm test\b/m);
    });

    it("keeps its sections in order: threat model, quick start, deploying, a pod, install, own program, configuration", () => {
        const order = [
            "What it isolates: the threat model",
            "Quick start",
            "Deploying for real",
            "Running a sandboxed pod",
            "Install",
            "Using the components in your own Pulumi program",
            "Configuration reference",
        ].map((t) => README.indexOf(`\n## ${t}\n`));
        assert.ok(order.every((i) => i >= 0), JSON.stringify(order));
        assert.deepStrictEqual(order, [...order].sort((a, b) => a - b));
    });

    it("documents every config key and every pool field the program reads", () => {
        const ref = section("Configuration reference");
        // A row names the key first in its first cell: "| `key` |" or "| `a`, `key` |".
        const row = (k: string) => new RegExp(`\\| (\`[a-zA-Z]+\`, )*\`${k}\`[ ,]`);
        for (const key of Object.keys(CONFIG_KEYS)) assert.match(ref, row(key), `sandbox:${key}`);
        for (const field of Object.keys(POOL_KEYS)) assert.match(ref, row(field), `pools[].${field}`);
    });

    it("shows every sample of test/package/samples verbatim in its own section (type-checked by tsc --noEmit)", () => {
        const blocks = [...section("Using the components in your own Pulumi program").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
        const dir = path.join(ROOT, "test/package/samples");
        const samples = fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
        assert.ok(samples.length > 0, "test/package/samples has samples");
        for (const file of samples) {
            const body = fs.readFileSync(path.join(dir, file), "utf8").replace(/^(\/\/.*\n)+/, "");
            assert.ok(blocks.includes(body), `README lacks test/package/samples/${file} verbatim`);
        }
        assert.strictEqual(blocks.length, samples.length, "every ts block of the section is a checked sample");
    });
});
