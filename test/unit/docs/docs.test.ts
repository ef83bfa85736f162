// The documentation holds together: README.md short and starting with the two commands, every
// TypeScript block a type-checked sample, every link resolving, every page reachable from the
// README, every repository path it names present, every count of entry points true.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONSUMERS } from "../../support/packageConsumers";
import { entries } from "../../../scripts/entryPoints";
import { ROOT, anchors, codeBlocks, docPages, inlineCode, links } from "../../support/docs";

const PAGES = docPages();
const README = PAGES.find((p) => p.file === "README.md")!.text;
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** Folders whose files are type-checked by `npm test` (tsconfig.json includes test/**). */
const SAMPLE_DIRS = ["test/package/samples/", "test/package/examples/"];
const TS_LANGS = new Set(["ts", "typescript", "tsx", "mts", "cts"]);
const MARKER = /^<!-- sample: (\S+) -->$/;

/** A sample file's body as the docs show it: its leading comment lines (the header) left out. */
function sampleBody(file: string): string {
    return fs.readFileSync(path.join(ROOT, file), "utf8").replace(/^(\/\/.*\n)+/, "");
}

describe("the docs", () => {
    describe("README.md", () => {
        it("starts with the two commands that work on a fresh machine: the offline plan and the tests", () => {
            const firstBlock = /```sh\n([\s\S]*?)```/.exec(README)?.[1] ?? "";
            assert.ok(README.indexOf("```sh") < README.indexOf("\n## "), "the commands come before any section");
            assert.match(firstBlock, /^npm ci && npm run plan -- dev\b/m);
            assert.match(firstBlock, /^npm test\b/m);
        });

        it("is read in five minutes: under 300 lines, the rest in docs/", () => {
            const lines = README.split("\n").length;
            assert.ok(lines < 300, `README.md has ${lines} lines; move detail to a page under docs/ and link it`);
        });

        it("links the docs index and a guide for every cloud", () => {
            for (const page of ["docs/README.md", "docs/eks.md", "docs/eks-karpenter.md", "docs/gke.md", "docs/aks.md", "docs/any-cluster.md"]) {
                assert.ok(links(README).includes(page), `README.md does not link ${page}`);
            }
        });
    });

    it("show TypeScript only as verbatim copies of type-checked samples, named on the line before", () => {
        const wrong: string[] = [];
        for (const { file, text } of PAGES) {
            for (const b of codeBlocks(text).filter((b) => TS_LANGS.has(b.lang))) {
                const at = `${file}:${b.line}`;
                const sample = MARKER.exec(b.before)?.[1];
                if (!sample) {
                    wrong.push(`${at}: no <!-- sample: test/package/samples/<file>.ts --> on the line before the block`);
                } else if (!SAMPLE_DIRS.some((d) => sample.startsWith(d)) || !fs.existsSync(path.join(ROOT, sample))) {
                    wrong.push(`${at}: ${sample} is not a file under ${SAMPLE_DIRS.join(" or ")}`);
                } else if (sampleBody(sample) !== b.body) {
                    wrong.push(`${at}: the block differs from ${sample} (copy the file below its header comment)`);
                }
            }
        }
        assert.deepStrictEqual(wrong, []);
    });

    it("show every sample of test/package/samples, and npm run test:package runs each in a consumer project", () => {
        const shown = new Set(PAGES.flatMap((p) => codeBlocks(p.text).map((b) => MARKER.exec(b.before)?.[1])));
        const run = new Set(CONSUMERS.flatMap((c) => c.samples));
        const samples = fs.readdirSync(path.join(ROOT, "test/package/samples")).filter((f) => f.endsWith(".ts"));
        assert.ok(samples.length > 0);
        for (const f of samples) {
            assert.ok(shown.has(`test/package/samples/${f}`), `test/package/samples/${f} is shown on no docs page`);
            assert.ok(run.has(f), `test/package/samples/${f} is run by no consumer of test/support/packageConsumers.ts`);
        }
        for (const f of run) assert.ok(samples.includes(f), `test/support/packageConsumers.ts names ${f}, which test/package/samples lacks`);
    });

    it("link only to files and headings that exist", () => {
        const broken: string[] = [];
        const text = new Map(PAGES.map((p) => [p.file, p.text]));
        for (const { file, text: body } of PAGES) {
            for (const target of links(body)) {
                if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
                const [rel, anchor] = target.split("#") as [string, string | undefined];
                const dest = rel === "" ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), rel));
                if (!fs.existsSync(path.join(ROOT, dest))) {
                    broken.push(`${file}: ${target} (no ${dest})`);
                } else if (anchor !== undefined && dest.endsWith(".md")) {
                    const destText = text.get(dest) ?? fs.readFileSync(path.join(ROOT, dest), "utf8");
                    if (!anchors(destText).has(anchor)) broken.push(`${file}: ${target} (no heading #${anchor} in ${dest})`);
                }
            }
        }
        assert.deepStrictEqual(broken, []);
    });

    it("reach every page under docs/ by links from README.md", () => {
        const text = new Map(PAGES.map((p) => [p.file, p.text]));
        const reached = new Set<string>(["README.md"]);
        const queue = ["README.md"];
        while (queue.length > 0) {
            const file = queue.shift()!;
            for (const target of links(text.get(file) ?? "")) {
                const rel = target.split("#")[0];
                if (!rel || /^[a-z][a-z+.-]*:/i.test(rel)) continue;
                const dest = path.posix.normalize(path.posix.join(path.posix.dirname(file), rel));
                if (text.has(dest) && !reached.has(dest)) {
                    reached.add(dest);
                    queue.push(dest);
                }
            }
        }
        const orphans = PAGES.map((p) => p.file).filter((f) => !reached.has(f));
        assert.deepStrictEqual(orphans, [], "pages no link leads to: link each from docs/README.md or docs/contributing/README.md");
    });

    it("name only repository paths that exist", () => {
        // A code span that is a path under one of the repository's folders, no placeholders or globs.
        const top = fs.readdirSync(ROOT).filter((f) => !f.startsWith(".") && f !== "node_modules" && fs.statSync(path.join(ROOT, f)).isDirectory());
        const looksLikePath = new RegExp(`^(${top.join("|")})/[\\w./-]*$`);
        const missing: string[] = [];
        for (const { file, text } of PAGES) {
            for (const span of inlineCode(text)) {
                if (looksLikePath.test(span) && !fs.existsSync(path.join(ROOT, span))) missing.push(`${file}: \`${span}\``);
            }
        }
        assert.deepStrictEqual(missing, []);
    });

    it("count the package's entry points as package.json's exports map does", () => {
        const words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
        const count = entries(PKG).length;
        const wrong: string[] = [];
        for (const { file, text } of [...PAGES, { file: "CHANGELOG.md", text: fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8") }]) {
            for (const m of text.matchAll(/\b(\w+)\s+entry\s+points\b/gi)) {
                const n = /^\d+$/.test(m[1]) ? Number(m[1]) : words.indexOf(m[1].toLowerCase());
                if (n >= 0 && n !== count) wrong.push(`${file}: "${m[0]}" (package.json exports ${count})`);
            }
        }
        assert.deepStrictEqual(wrong, []);
    });
});
