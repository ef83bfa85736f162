// docs/configuration.md against the keys the program declares: a key added without its row, or
// a row left behind by a removed key, fails here.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_KEYS, POOL_KEYS } from "../../../stacks/config";
import { ROOT } from "../../support/docs";

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
});
