// The JavaScript shape of every component's args (which keys exist, which are required, what
// type each holds), generated from the TypeScript interfaces into components/argShapes.ts, so
// a program in JavaScript or YAML that passes `instanceTypes: "m8i.large"` gets a problem naming
// the input instead of a TypeError, and the check cannot drift from the declared types.
//
//   npm run api:update    rewrite components/argShapes.ts (with the API report)
//   npm run api:check     fail when it differs from what the interfaces say
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..");
export const OUT = path.join(ROOT, "components", "argShapes.ts");

/** Each component's args interface, by the file that declares it. */
export const COMPONENT_ARGS: Record<string, { file: string; iface: string }> = {
    SandboxRuntimes: { file: "components/kubernetes/sandboxRuntimesArgs.ts", iface: "SandboxRuntimesArgs" },
    SandboxNamespace: { file: "components/kubernetes/sandboxNamespaceArgs.ts", iface: "SandboxNamespaceArgs" },
    EksSandboxNodePool: { file: "components/aws/eksSandboxNodePoolArgs.ts", iface: "EksSandboxNodePoolArgs" },
    EksSandboxKarpenterPool: { file: "components/aws/eksSandboxKarpenterPoolArgs.ts", iface: "EksSandboxKarpenterPoolArgs" },
    EksCluster: { file: "components/aws/eksClusterArgs.ts", iface: "EksClusterArgs" },
    EksVpc: { file: "components/aws/eksVpcArgs.ts", iface: "EksVpcArgs" },
    GkeSandboxNodePool: { file: "components/gcp/gkeSandboxNodePoolArgs.ts", iface: "GkeSandboxNodePoolArgs" },
    GkeCluster: { file: "components/gcp/gkeClusterArgs.ts", iface: "GkeClusterArgs" },
    AksSandboxNodePool: { file: "components/azure/aksSandboxNodePoolArgs.ts", iface: "AksSandboxNodePoolArgs" },
    AksCluster: { file: "components/azure/aksClusterArgs.ts", iface: "AksClusterArgs" },
};

type Shape =
    | { kind: "string" | "number" | "boolean" | "any" }
    | { kind: "input"; of: Shape }
    | { kind: "array"; of: Shape }
    | { kind: "map"; of: Shape }
    | { kind: "object"; fields: Record<string, Shape>; required: string[] };

function shapeOf(checker: ts.TypeChecker, t: ts.Type, seen: Set<ts.Type>): Shape {
    if (t.isUnion()) {
        const members = t.types.filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
        // pulumi.Input<T> is T | Promise<T> | OutputInstance<T>: a plain value is checked as T.
        const plain = members.filter((m) => !["Promise", "OutputInstance", "Output"].includes(m.getSymbol()?.getName() ?? m.aliasSymbol?.getName() ?? ""));
        if (plain.length < members.length && plain.length > 0) {
            const inner = plain.length === 1 ? shapeOf(checker, plain[0], seen) : shapeOf(checker, unionOf(checker, plain), seen);
            return { kind: "input", of: inner };
        }
        if (members.length === 1) return shapeOf(checker, members[0], seen);
        if (members.every((m) => m.flags & ts.TypeFlags.StringLike)) return { kind: "string" };
        if (members.every((m) => m.flags & ts.TypeFlags.NumberLike)) return { kind: "number" };
        if (members.every((m) => m.flags & ts.TypeFlags.BooleanLike)) return { kind: "boolean" };
        return { kind: "any" };
    }
    if (t.flags & ts.TypeFlags.StringLike) return { kind: "string" };
    if (t.flags & ts.TypeFlags.NumberLike) return { kind: "number" };
    if (t.flags & ts.TypeFlags.BooleanLike) return { kind: "boolean" };
    if (checker.isArrayType(t) || checker.isTupleType(t)) {
        const [elem] = checker.getTypeArguments(t as ts.TypeReference);
        return { kind: "array", of: shapeOf(checker, elem, seen) };
    }
    if (t.flags & ts.TypeFlags.Object) {
        const index = checker.getIndexInfoOfType(t, ts.IndexKind.String);
        const props = checker.getPropertiesOfType(t);
        if (index && props.length === 0) return { kind: "map", of: shapeOf(checker, index.type, seen) };
        if (seen.has(t) || props.length === 0) return { kind: "any" };
        seen.add(t);
        const fields: Record<string, Shape> = {};
        const required: string[] = [];
        for (const p of props) {
            const decl = p.valueDeclaration ?? p.declarations?.[0];
            if (!decl) continue;
            fields[p.getName()] = shapeOf(checker, checker.getTypeOfSymbolAtLocation(p, decl), seen);
            if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.getName());
        }
        seen.delete(t);
        return { kind: "object", fields, required };
    }
    return { kind: "any" };
}

/** Members of an Input's plain side that are themselves a union (`Input<"a" | "b">`). */
function unionOf(checker: ts.TypeChecker, members: ts.Type[]): ts.Type {
    if (members.every((m) => m.flags & ts.TypeFlags.StringLike)) return checker.getStringType();
    if (members.every((m) => m.flags & ts.TypeFlags.NumberLike)) return checker.getNumberType();
    if (members.every((m) => m.flags & ts.TypeFlags.BooleanLike)) return checker.getBooleanType();
    return checker.getAnyType();
}

/** Leaves and lists of leaves on one line, objects one field a line. */
function print(s: Shape, indent: string): string {
    if (s.kind === "object") {
        const inner = indent + "    ";
        const fields = Object.entries(s.fields).map(([k, v]) => `${inner}    ${k}: ${print(v, inner + "    ")},`);
        return [`{`, `${inner}kind: "object",`, `${inner}required: ${JSON.stringify(s.required).replace(/,/g, ", ")},`, `${inner}fields: {`, ...fields, `${inner}},`, `${indent}}`].join("\n");
    }
    if ("of" in s) return `{ kind: "${s.kind}", of: ${print(s.of, indent)} }`;
    return `{ kind: "${s.kind}" }`;
}

export function generate(): string {
    const program = ts.createProgram(
        Object.values(COMPONENT_ARGS).map((c) => path.join(ROOT, c.file)),
        { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, strict: true, skipLibCheck: true, types: ["node"], noEmit: true },
    );
    const checker = program.getTypeChecker();
    const shapes: Record<string, Shape> = {};
    for (const [component, { file, iface }] of Object.entries(COMPONENT_ARGS)) {
        const source = program.getSourceFile(path.join(ROOT, file));
        if (!source) throw new Error(`${file} not found`);
        const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === iface);
        if (!decl) throw new Error(`${file} declares no interface ${iface}`);
        shapes[component] = shapeOf(checker, checker.getTypeAtLocation(decl.name), new Set());
    }
    return [
        "// GENERATED by scripts/argShapes.ts from the components' args interfaces (`npm run api:update`);",
        "// do not edit. Read by `argShapeProblems` in validation.ts.",
        "",
        "/** What JavaScript value an arg holds; `input` also takes an Output or a Promise. */",
        "export type ArgShape =",
        '    | { kind: "string" | "number" | "boolean" | "any" }',
        '    | { kind: "input" | "array" | "map"; of: ArgShape }',
        '    | { kind: "object"; fields: Record<string, ArgShape>; required: string[] };',
        "",
        `export const ARG_SHAPES: Record<string, ArgShape> = {`,
        ...Object.entries(shapes).map(([k, v]) => `    ${k}: ${print(v, "    ")},`),
        "};",
        "",
    ].join("\n");
}

if (require.main === module) {
    const mode = process.argv[2];
    const text = generate();
    if (mode === "update") {
        fs.writeFileSync(OUT, text);
        console.log(`wrote ${path.relative(ROOT, OUT)}`);
    } else if (fs.readFileSync(OUT, "utf8") !== text) {
        console.error(`${path.relative(ROOT, OUT)} differs from the components' args interfaces: run \`npm run api:update\` and commit it`);
        process.exit(1);
    } else {
        console.log(`${path.relative(ROOT, OUT)} matches the args interfaces`);
    }
}
