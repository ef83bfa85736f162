// The golden-file helper: a rendering that drifts from its reviewed file fails with the file's
// name, a missing file says how to write it, and UPDATE_GOLDEN=1 rewrites instead of comparing.
// Every golden test passes through these branches only when something changed, so they are
// tested here, in a folder of their own.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertGolden, assertGoldenJson, assertGoldenTree, readTree } from "../../support/golden";

describe("golden files (test/support/golden.ts)", () => {
    let root: string;
    let saved: string | undefined;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-clusters-golden-"));
        saved = process.env.UPDATE_GOLDEN;
        delete process.env.UPDATE_GOLDEN;
    });
    afterEach(() => {
        if (saved === undefined) delete process.env.UPDATE_GOLDEN;
        else process.env.UPDATE_GOLDEN = saved;
        fs.rmSync(root, { recursive: true, force: true });
    });

    function write(rel: string, text: string): void {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
    }

    function failure(fn: () => void): string {
        try {
            fn();
        } catch (e) {
            assert.ok(e instanceof assert.AssertionError, `expected an assertion failure, got ${String(e)}`);
            return e.message.split("\n")[0];
        }
        return assert.fail("expected the comparison to fail");
    }

    describe("assertGolden", () => {
        it("passes when the text is the file's", () => {
            write("aws/pool.userdata", "#!/bin/bash\n");
            assertGolden("aws/pool.userdata", "#!/bin/bash\n", root);
        });

        it("fails naming the file when the text differs, down to a trailing newline", () => {
            write("aws/pool.userdata", "#!/bin/bash\n");
            assert.strictEqual(
                failure(() => assertGolden("aws/pool.userdata", "#!/bin/bash", root)),
                `${path.join(root, "aws/pool.userdata")} differs from what the test renders (UPDATE_GOLDEN=1 rewrites it; review the diff)`,
            );
        });

        it("fails saying how to write a missing file, and writes nothing", () => {
            assert.strictEqual(
                failure(() => assertGolden("aws/new.userdata", "x", root)),
                `golden file ${path.join(root, "aws/new.userdata")} is missing: UPDATE_GOLDEN=1 writes it`,
            );
            assert.deepStrictEqual(readTree(root), {});
        });

        it("writes the file, folders included, under UPDATE_GOLDEN=1, and only when it is exactly 1", () => {
            write("kubernetes/dev.yaml", "old\n");
            process.env.UPDATE_GOLDEN = "true";
            assert.ok(failure(() => assertGolden("kubernetes/dev.yaml", "new\n", root)).includes("differs"));
            process.env.UPDATE_GOLDEN = "1";
            assertGolden("kubernetes/dev.yaml", "new\n", root);
            assertGolden("kubernetes/nested/more.yaml", "more\n", root);
            assert.deepStrictEqual(readTree(root), {
                "kubernetes/dev.yaml": "new\n",
                "kubernetes/nested/more.yaml": "more\n",
            });
        });
    });

    describe("assertGoldenJson", () => {
        it("writes JSON with sorted keys at every depth, so key order is no change", () => {
            process.env.UPDATE_GOLDEN = "1";
            assertGoldenJson("gcp/pool.json", { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }, root);
            assert.strictEqual(
                fs.readFileSync(path.join(root, "gcp/pool.json"), "utf8"),
                '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
            );
            delete process.env.UPDATE_GOLDEN;
            assertGoldenJson("gcp/pool.json", { a: { c: null, d: [{ y: 2, z: 1 }] }, b: 1 }, root);
        });

        it("fails on a changed value or a reordered array", () => {
            write("gcp/pool.json", '{\n  "a": [\n    1,\n    2\n  ]\n}\n');
            assert.ok(
                failure(() => assertGoldenJson("gcp/pool.json", { a: [2, 1] }, root)).includes("gcp/pool.json differs"),
            );
            assert.ok(
                failure(() => assertGoldenJson("gcp/pool.json", { a: [1, 3] }, root)).includes("gcp/pool.json differs"),
            );
        });
    });

    describe("assertGoldenTree", () => {
        const files = { "plan.txt": "plan\n", "kubernetes/ns.yaml": "ns\n" };

        it("passes when the folder holds exactly the files", () => {
            for (const [rel, text] of Object.entries(files)) write(`plan/dev/${rel}`, text);
            assertGoldenTree("plan/dev", files, root);
        });

        it("fails on a missing file, an extra file and a changed file", () => {
            write("plan/dev/plan.txt", "plan\n");
            assert.ok(
                failure(() => assertGoldenTree("plan/dev", files, root)).startsWith(
                    `the files of ${path.join(root, "plan/dev")}`,
                ),
            );
            write("plan/dev/kubernetes/ns.yaml", "ns\n");
            write("plan/dev/stale.txt", "gone\n");
            assert.ok(
                failure(() => assertGoldenTree("plan/dev", files, root)).startsWith(
                    `the files of ${path.join(root, "plan/dev")}`,
                ),
            );
            fs.rmSync(path.join(root, "plan/dev/stale.txt"));
            write("plan/dev/kubernetes/ns.yaml", "ns changed\n");
            assert.strictEqual(
                failure(() => assertGoldenTree("plan/dev", files, root)),
                `${path.join(root, "plan/dev/kubernetes/ns.yaml")} differs from what the test renders (UPDATE_GOLDEN=1 rewrites the folder; review the diff)`,
            );
        });

        it("replaces the folder under UPDATE_GOLDEN=1, dropping files no longer rendered", () => {
            write("plan/dev/stale.txt", "gone\n");
            write("plan/other.txt", "kept\n");
            process.env.UPDATE_GOLDEN = "1";
            assertGoldenTree("plan/dev", files, root);
            assert.deepStrictEqual(readTree(root), {
                "plan/dev/kubernetes/ns.yaml": "ns\n",
                "plan/dev/plan.txt": "plan\n",
                "plan/other.txt": "kept\n",
            });
        });
    });
});
