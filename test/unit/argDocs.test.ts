// Every argument a user passes a component is documented where it is declared, and an optional
// one says what happens when it is left out, so the API reports, editors and the schema other
// languages read (provider/schema.json) all carry the same words; every export of an entry point
// has a JSDoc comment.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { COMPONENT_ARGS } from "../../scripts/argShapes";

const ROOT = path.join(__dirname, "..", "..");
const COMPONENTS = `${path.sep}components${path.sep}`;

interface Field {
    /** `SandboxRuntimes.kata.chart.repository` */
    name: string;
    doc: string;
    optional: boolean;
}

/** Every property of the args interfaces and the interfaces of the package they nest. */
function argFields(): Field[] {
    const program = ts.createProgram(
        Object.values(COMPONENT_ARGS).map((c) => path.join(ROOT, c.file)),
        { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, types: ["node"], noEmit: true },
    );
    const checker = program.getTypeChecker();
    const seen = new Set<ts.Symbol>();
    const out: Field[] = [];
    const ours = (t: ts.Type) => (t.getSymbol()?.declarations ?? []).some((d) => d.getSourceFile().fileName.includes(COMPONENTS));
    const visit = (owner: string, type: ts.Type) => {
        for (const p of checker.getPropertiesOfType(type)) {
            const decl = p.valueDeclaration ?? p.declarations?.[0];
            if (!decl || !decl.getSourceFile().fileName.includes(COMPONENTS) || seen.has(p)) continue;
            seen.add(p);
            const name = `${owner}.${p.getName()}`;
            out.push({ name, doc: ts.displayPartsToString(p.getDocumentationComment(checker)), optional: (p.flags & ts.SymbolFlags.Optional) !== 0 });
            const t = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(p, decl));
            for (const u of t.isUnion() ? t.types : [t]) {
                const inner = checker.isArrayType(u) ? checker.getTypeArguments(u as ts.TypeReference)[0] : u;
                if (inner.flags & ts.TypeFlags.Object && ours(inner) && checker.getPropertiesOfType(inner).length > 0) visit(name, inner);
            }
        }
    };
    for (const [component, { file, iface }] of Object.entries(COMPONENT_ARGS)) {
        const source = program.getSourceFile(path.join(ROOT, file))!;
        const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === iface)!;
        visit(component, checker.getTypeAtLocation(decl.name));
    }
    return out;
}

describe("component args documentation", function () {
    this.timeout(120000);
    let fields: Field[];
    before(() => {
        fields = argFields();
    });

    it("reaches every component's args and the interfaces they nest", () => {
        assert.ok(fields.some((f) => f.name === "SandboxRuntimes.kata.chart.repository"), "nested fields are checked");
        assert.ok(fields.length > 200, `only ${fields.length} fields found`);
    });

    it("documents every argument", () => {
        assert.deepStrictEqual(fields.filter((f) => f.doc.trim() === "").map((f) => f.name), []);
    });

    it("says of every optional argument what it is when left out", () => {
        assert.deepStrictEqual(fields.filter((f) => f.optional && !/\bdefault/i.test(f.doc)).map((f) => `${f.name}: ${f.doc}`), []);
    });
});

describe("public API documentation", () => {
    it("has a JSDoc comment on every export of every entry point (no `(undocumented)` in api/)", () => {
        const reports = fs.readdirSync(path.join(ROOT, "api")).filter((f) => f.endsWith(".api.md"));
        assert.ok(reports.length >= 4, "one API report per entry point");
        const undocumented = reports.flatMap((f) => {
            const lines = fs.readFileSync(path.join(ROOT, "api", f), "utf8").split("\n");
            return lines.flatMap((l, i) => (l.includes("(undocumented)") ? [`${f}: ${lines[i + 1].trim()}`] : []));
        });
        assert.deepStrictEqual(undocumented, []);
    });
});
