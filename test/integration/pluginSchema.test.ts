// provider/schema.json (the component provider's schema, inferred by Pulumi's component
// provider host: scripts/pluginSchema.ts) bound by Pulumi's own schema binder, the one
// `pulumi package gen-sdk` validates with (build set `pulumi-schema`, pulumi-schema-check).
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { requireToolBinary } from "../support/realParts";

const ROOT = path.join(__dirname, "../..");
const SCHEMA = path.join(ROOT, "provider", "schema.json");

function check(bin: string, file: string): { code: number; out: string } {
    try {
        return { code: 0, out: execFileSync(bin, [file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
    } catch (e: any) {
        return { code: e.status ?? 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

describe("provider/schema.json under Pulumi's schema binder (pkg/v3 codegen/schema)", function () {
    let bin: string;

    before(function () {
        bin = requireToolBinary(this, "pulumi-schema", "pulumi-schema-check");
    });

    it("binds without a diagnostic, with a resource per hosted component", function () {
        const schema = JSON.parse(fs.readFileSync(SCHEMA, "utf8"));
        const r = check(bin, SCHEMA);
        assert.strictEqual(r.code, 0, r.out);
        assert.match(r.out, new RegExp(`^valid: sandbox-clusters ${schema.version}, ${Object.keys(schema.resources).length} resources, \\d+ types$`, "m"));
    });

    it("is a binder that refuses a schema naming a type it does not define", function () {
        const schema = JSON.parse(fs.readFileSync(SCHEMA, "utf8"));
        schema.resources["sandbox-clusters:index:SandboxRuntimes"].inputProperties.gvisor = { $ref: "#/types/sandbox-clusters:index:Missing" };
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-check-"));
        try {
            fs.writeFileSync(path.join(dir, "schema.json"), JSON.stringify(schema));
            const r = check(bin, path.join(dir, "schema.json"));
            assert.notStrictEqual(r.code, 0, r.out);
            assert.match(r.out, /type sandbox-clusters:index:Missing not found in package sandbox-clusters/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
