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

    it("keeps its sections in order: threat model, quick start, deploying, a pod, own program, configuration", () => {
        const order = [
            "What it isolates: the threat model",
            "Quick start",
            "Deploying for real",
            "Running a sandboxed pod",
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
        for (const field of POOL_KEYS) assert.match(ref, row(field), `pools[].${field}`);
    });

    it("has a component sample that type-checks against the package (readme-sample.ts, checked by tsc --noEmit)", () => {
        const sample = /```ts\n([\s\S]*?)```/.exec(section("Using the components in your own Pulumi program"))?.[1];
        assert.ok(sample, "the section has a ts code block");
        const checked = fs.readFileSync(path.join(__dirname, "readme-sample.ts"), "utf8")
            .replace(/^(\/\/.*\n)+/, "")
            .replace('from "../../../components";', 'from "sandbox-clusters";');
        assert.strictEqual(sample, checked, "README sample and test/unit/stacks/readme-sample.ts differ");
    });
});
