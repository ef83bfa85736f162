// docs/configuration.md against the keys the program declares: a key added without its row, or
// a row left behind by a removed key, fails here.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import {
    AGENT_SANDBOX_KEYS,
    CONFIG_KEYS,
    GVISOR_KEYS,
    KARPENTER_LIMIT_KEYS,
    KATA_CHART_KEYS,
    POOL_KEYS,
    SYSTEM_POOL_KEYS,
    TAINT_KEYS,
} from "../../../stacks/config/keys";
import { parseStackConfig } from "../../../stacks/config";
import { ROOT, codeBlocks, docPages } from "../../support/docs";

const REFERENCE = "docs/configuration.md";
const TEXT = fs.readFileSync(path.join(ROOT, REFERENCE), "utf8");

/** The text of a `## title` section of the reference, up to the next `## `. */
function section(title: string): string {
    const start = TEXT.indexOf(`\n## ${title}\n`);
    assert.ok(start >= 0, `${REFERENCE} has a section "${title}"`);
    const end = TEXT.indexOf("\n## ", start + 1);
    return TEXT.slice(start, end < 0 ? undefined : end);
}

/** The keys a table names in its rows' first cells: "| `key` |" or "| `a`, `b` |". */
function rowKeys(table: string): string[] {
    return table
        .split("\n")
        .filter((l) => l.startsWith("| `"))
        .flatMap((l) => [...l.split("|")[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

/** The table row whose first cell names `key`. */
function row(table: string, key: string): string {
    const found = table.split("\n").find((l) => l.startsWith("| `") && rowKeys(l).includes(key));
    assert.ok(found, `${REFERENCE} has no row for ${key}`);
    return found;
}

/** The fields of a structured key, the section of its row and the key they belong to. */
const NESTED: [string, string, string, Record<string, unknown>][] = [
    ["sandbox:systemPool", "Keys", "systemPool", SYSTEM_POOL_KEYS],
    ["sandbox:kataChart", "Keys", "kataChart", KATA_CHART_KEYS],
    ["sandbox:agentSandbox", "Keys", "agentSandbox", AGENT_SANDBOX_KEYS],
    ["pools[].gvisor", "Pool fields", "gvisor", GVISOR_KEYS],
    ["pools[].limits", "Pool fields", "limits", KARPENTER_LIMIT_KEYS],
    ["pools[].taints[]", "Pool fields", "taints", TAINT_KEYS],
];

describe(REFERENCE, () => {
    it("has a row for every sandbox: key the program reads, and no row for a key it does not", () => {
        const documented = rowKeys(section("Keys")).sort();
        assert.deepStrictEqual(documented, Object.keys(CONFIG_KEYS).sort());
    });

    it("has a row for every field of a pool, and no row for a field the program does not read", () => {
        const documented = rowKeys(section("Pool fields")).sort();
        assert.deepStrictEqual(documented, Object.keys(POOL_KEYS).sort());
    });

    it("documents every key Pulumi.yaml declares", () => {
        const declared = Object.keys(parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).config ?? {});
        assert.ok(declared.length > 0, "Pulumi.yaml declares config keys");
        const documented = new Set(rowKeys(section("Keys")));
        for (const key of declared) assert.ok(documented.has(key.replace(/^sandbox:/, "")), `Pulumi.yaml declares ${key}, which ${REFERENCE} lacks`);
    });

    for (const [what, title, key, fields] of NESTED) {
        it(`names every field of ${what} in its row, and only those in its {...} shape`, () => {
            const line = row(section(title), key);
            for (const field of Object.keys(fields)) assert.match(line, new RegExp(`\\b${field}\\b`), `${what}.${field}`);
            // A shape written `{a, b}` in the row lists exactly the declared fields.
            for (const shape of line.matchAll(/`\{([\w, ]+)\}`|\{([\w, ]+)\}/g)) {
                const names = (shape[1] ?? shape[2]).split(",").map((s) => s.trim());
                assert.deepStrictEqual([...names].sort(), Object.keys(fields).sort(), `the shape ${shape[0]} of ${what}`);
            }
        });
    }

    it("holds only valid stack config in the stack files the docs show", () => {
        const stacks = docPages().flatMap((p) =>
            codeBlocks(p.text)
                .filter((b) => b.lang === "yaml")
                .map((b) => ({ at: `${p.file}:${b.line}`, doc: parse(b.body) }))
                .filter(({ doc }) => doc && typeof doc === "object" && "config" in doc),
        );
        assert.ok(stacks.length > 0, "the docs show a stack file");
        for (const { at, doc } of stacks) {
            const result = parseStackConfig(doc.config, "docs");
            assert.ok(result.ok, `${at}: ${result.ok ? "" : result.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
        }
    });
});
