import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as semver from "semver";
import { ARG_SHAPES, ArgShape } from "../../components/argShapes";
import { requirePeer } from "../../components/peer";
import { entries, typesVersions } from "../../scripts/entryPoints";

const ROOT = path.join(__dirname, "../..");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
/** Cloud SDKs by the folder of components/ that may import them. */
const CLOUD_SDKS: Record<string, string> = { aws: "@pulumi/aws", gcp: "@pulumi/gcp", azure: "@pulumi/azure-native" };

/** Source file of an entry point: `bin/components/aws/index.d.ts` -> `components/aws/index.ts`. */
const sourceOf = (types: string) => types.replace(/^bin\//, "").replace(/\.d\.ts$/, ".ts");

/** Every module reachable from `file` through relative imports, with the packages each imports. */
function importGraph(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
    if (seen.has(file)) return seen;
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const specs = [...text.matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"|^import\s+"([^"]+)"/gm)].map((m) => m[1] ?? m[2]);
    seen.set(file, specs.filter((s) => !s.startsWith(".")));
    for (const s of specs.filter((s) => s.startsWith("."))) {
        const base = path.join(path.dirname(file), s);
        const next = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(path.join(ROOT, f)));
        assert.ok(next, `${file} imports ${s}, which is no file`);
        importGraph(next, seen);
    }
    return seen;
}

describe("package layout", () => {
    it("has an entry point in `exports` for every components/<folder>/index.ts, and a source for every entry", () => {
        const listed = new Set(entries(PKG).map((e) => sourceOf(e.types)));
        const folders = fs.readdirSync(path.join(ROOT, "components")).filter((d) => fs.existsSync(path.join(ROOT, "components", d, "index.ts")));
        for (const d of folders) {
            assert.ok(
                listed.has(`components/${d}/index.ts`),
                `components/${d}/index.ts has no entry point: add "./${d}": { "types": "./bin/components/${d}/index.d.ts", ` +
                    `"default": "./bin/components/${d}/index.js" } to "exports" in package.json, then run \`npm run api:update\``,
            );
        }
        for (const src of listed) assert.ok(fs.existsSync(path.join(ROOT, src)), `package.json "exports" names ${src}, which does not exist`);
        for (const [subpath, target] of Object.entries<any>(PKG.exports)) {
            if (subpath === "./package.json") continue;
            assert.strictEqual(target.default, target.types.replace(/\.d\.ts$/, ".js"), `exports["${subpath}"]: types and code of one module`);
        }
        assert.strictEqual(PKG.main, entries(PKG).find((e) => e.subpath === ".")!.types.replace(/\.d\.ts$/, ".js"));
    });

    it("derives `typesVersions` from `exports` and has an API report per entry point (`npm run api:update` writes both)", () => {
        assert.deepStrictEqual(PKG.typesVersions, typesVersions(PKG), "package.json typesVersions is stale: run `npm run api:update`");
        for (const e of entries(PKG)) {
            assert.ok(fs.existsSync(path.join(ROOT, "api", `${e.report}.api.md`)), `api/${e.report}.api.md is missing: run \`npm run api:update\``);
        }
    });

    it("exports exactly the values its API report lists from each entry point (else: `npm run api:update`)", () => {
        for (const e of entries(PKG)) {
            const report = fs.readFileSync(path.join(ROOT, "api", `${e.report}.api.md`), "utf8");
            const listed = [...report.matchAll(/^export (?:declare )?(?:abstract )?(?:class|const|function|let|var|enum) (\w+)/gm)].map((m) => m[1]);
            const actual = Object.keys(require(path.join(ROOT, sourceOf(e.types)))).filter((k) => k !== "__esModule");
            assert.deepStrictEqual(
                [...actual].sort(),
                [...new Set(listed)].sort(),
                `entry point ${e.subpath} exports other values than api/${e.report}.api.md lists: run \`npm run api:update\`, review and commit api/`,
            );
        }
    });

    it("loads no cloud SDK from the root entry point, and only its own cloud's SDK from a cloud's entry point", () => {
        for (const e of entries(PKG)) {
            const cloud = e.subpath === "." ? undefined : e.subpath.slice(2);
            for (const [file, packages] of importGraph(sourceOf(e.types))) {
                for (const [folder, sdk] of Object.entries(CLOUD_SDKS)) {
                    const imports = packages.some((p) => p === sdk || p.startsWith(`${sdk}/`));
                    assert.ok(!imports || folder === cloud, `entry point ${e.subpath} reaches ${file}, which imports ${sdk}`);
                }
            }
        }
    });

    it("declares every package the components import as a peer dependency, the clouds' as optional, each tested in devDependencies", () => {
        const imported = new Set<string>();
        for (const e of entries(PKG)) {
            for (const packages of importGraph(sourceOf(e.types)).values()) {
                for (const p of packages) if (!["fs", "path", "crypto", "os"].includes(p)) imported.add(p.split("/").slice(0, 2).join("/"));
            }
        }
        for (const p of imported) {
            assert.ok(PKG.peerDependencies[p], `components import ${p}: declare it in "peerDependencies"`);
            assert.ok(PKG.devDependencies[p], `${p} is a peer dependency: the repository's own tests need it in "devDependencies"`);
        }
        assert.deepStrictEqual(PKG.dependencies, undefined, "the package has no runtime dependencies of its own");
        for (const [folder, sdk] of Object.entries(CLOUD_SDKS)) {
            if (PKG.peerDependencies[sdk]) assert.deepStrictEqual(PKG.peerDependenciesMeta[sdk], { optional: true }, `${sdk} (only sandbox-clusters/${folder} needs it)`);
        }
        for (const p of ["@pulumi/pulumi", "@pulumi/kubernetes"]) assert.strictEqual(PKG.peerDependenciesMeta[p], undefined, `${p} is needed by the root entry point`);
    });
});

describe("class-level documentation of the components", () => {
    /** Every `export class X extends pulumi.ComponentResource` under components/, with its file. */
    function componentClasses(dir = path.join(ROOT, "components")): { name: string; file: string; text: string }[] {
        return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
            const full = path.join(dir, d.name);
            if (d.isDirectory()) return componentClasses(full);
            if (!d.name.endsWith(".ts")) return [];
            const text = fs.readFileSync(full, "utf8");
            return [...text.matchAll(/^export class (\w+) extends pulumi\.ComponentResource/gm)].map((m) => ({ name: m[1], file: path.relative(ROOT, full), text }));
        });
    }

    it("has a JSDoc on every component class whose @example is test/package/examples/<class>.ts verbatim (type-checked by tsc)", () => {
        const classes = componentClasses();
        assert.ok(classes.length >= 9, classes.map((c) => c.name).join(", "));
        for (const c of classes) {
            const doc = new RegExp(`/\\*\\*\\n((?: \\*.*\\n)+?) \\*/\\nexport class ${c.name} `).exec(c.text)?.[1];
            assert.ok(doc, `${c.file}: class ${c.name} has no JSDoc right above it`);
            const body = doc.split("\n").map((l) => l.replace(/^ \* ?/, "")).join("\n");
            const example = /@example\n```ts\n([\s\S]*?)```/.exec(body)?.[1];
            assert.ok(example, `${c.file}: the JSDoc of ${c.name} has no \`@example\` with a ts block`);
            const file = path.join(ROOT, "test/package/examples", `${c.name}.ts`);
            assert.ok(fs.existsSync(file), `class ${c.name}: add its example as test/package/examples/${c.name}.ts`);
            assert.strictEqual(example, fs.readFileSync(file, "utf8").replace(/^(\/\/.*\n)+/, ""), `${c.file}: the @example of ${c.name} differs from test/package/examples/${c.name}.ts`);
        }
    });
});

describe("the component provider for other Pulumi languages (provider/)", () => {
    const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, "provider/schema.json"), "utf8"));
    const TOKEN = (c: string) => `sandbox-clusters:index:${c}`;

    /** A schema property in the words of ARG_SHAPES: enums are strings, $refs resolved. */
    function shapeOf(prop: any): ArgShape {
        if (prop.$ref) {
            const t = SCHEMA.types[prop.$ref.replace(/^#\/types\//, "")];
            assert.ok(t, `schema.json names type ${prop.$ref}, which it does not define`);
            if (t.enum) return { kind: "string" };
            return objectShape(t.properties ?? {}, t.required ?? []);
        }
        if (prop.type === "array") return { kind: "array", of: shapeOf(prop.items) };
        if (prop.type === "object") return { kind: "map", of: shapeOf(prop.additionalProperties) };
        if (prop.type === "integer") return { kind: "number" };
        return { kind: prop.type };
    }
    const objectShape = (properties: Record<string, any>, required: string[]): ArgShape => ({
        kind: "object",
        fields: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, shapeOf(v)])),
        required: [...required].sort(),
    });
    /** ARG_SHAPES without `input` wrappers (the schema says Input by the absence of `plain`). */
    function plain(shape: ArgShape): ArgShape {
        if (shape.kind === "input") return plain(shape.of);
        if (shape.kind === "array" || shape.kind === "map") return { kind: shape.kind, of: plain(shape.of) };
        if (shape.kind === "object") return { kind: "object", fields: Object.fromEntries(Object.entries(shape.fields).map(([k, v]) => [k, plain(v)])), required: [...shape.required].sort() };
        return shape;
    }

    it("hosts every component class: provider/index.ts exports each, schema.json has a resource for each", () => {
        const text = fs.readFileSync(path.join(ROOT, "provider/index.ts"), "utf8");
        const exported = [...text.matchAll(/^export \{ (\w+) \} from/gm)].map((m) => m[1]).sort();
        assert.deepStrictEqual(exported, Object.keys(ARG_SHAPES).sort(), "provider/index.ts exports other classes than the components");
        assert.deepStrictEqual(Object.keys(SCHEMA.resources).sort(), exported.map(TOKEN).sort(), "provider/schema.json is stale: run `npm run api:update`");
        for (const c of exported) assert.ok(SCHEMA.resources[TOKEN(c)].isComponent, `${c} is a component in the schema`);
    });

    it("describes each component's inputs as its args interface declares them (names, required, types)", () => {
        for (const [c, shape] of Object.entries(ARG_SHAPES)) {
            const r = SCHEMA.resources[TOKEN(c)];
            assert.deepStrictEqual(objectShape(r.inputProperties, r.requiredInputs ?? []), plain(shape), `schema.json inputs of ${c} differ from ${c}Args: run \`npm run api:update\``);
        }
    });

    it("names the package and version of package.json, with no free-form Any types", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "provider/package.json"), "utf8"));
        assert.strictEqual(manifest.name, PKG.name);
        assert.strictEqual(manifest.version, PKG.version, "provider/package.json version follows package.json");
        assert.strictEqual(SCHEMA.version, PKG.version);
        assert.doesNotMatch(JSON.stringify(SCHEMA), /pulumi\.json#\/Any/, "a property the schema inference could not type (a Pick, a free union?)");
        assert.match(fs.readFileSync(path.join(ROOT, "provider/PulumiPlugin.yaml"), "utf8"), /^runtime: nodejs$/m);
    });
});

describe("the Node.js versions the package supports", () => {
    const INSTALL = fs.readFileSync(path.join(ROOT, "docs/install.md"), "utf8");
    /** The lowest version of each part of a range: `^20.19.0 || >=22.9.0` -> 20.19.0, 22.9.0. */
    const lowest = (range: string) => new semver.Range(range).set.map((set) => semver.minVersion(new semver.Range(set.map((c) => c.value).join(" ")))!.version);

    it("are ones every locked package accepts (else npm ci and a git install print EBADENGINE)", () => {
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
        const refused: string[] = [];
        for (const node of lowest(PKG.engines.node)) {
            for (const [where, p] of Object.entries<any>(lock.packages)) {
                const wants = p.engines?.node;
                if (where && typeof wants === "string" && !semver.satisfies(node, wants)) refused.push(`Node ${node}: ${where} ${p.version} wants ${wants}`);
            }
        }
        assert.deepStrictEqual(refused, [], `package.json engines.node "${PKG.engines.node}" allows Node versions some dependencies refuse`);
    });

    it("are the ones docs/install.md states", () => {
        const [first, second] = lowest(PKG.engines.node).map((v) => v.replace(/\.0$/, ""));
        assert.ok(INSTALL.includes(`Node.js ${first} or later on 20, ${second} or later on 22 and newer`), `docs/install.md names Node.js ${first} / ${second}`);
    });
});

describe("requirePeer", () => {
    it("names the missing cloud SDK and the command that installs it", () => {
        const missing = (id: string): string => {
            throw new Error(`Cannot find module '${id}'`);
        };
        assert.throws(() => requirePeer("sandbox-clusters/aws", "@pulumi/aws", missing), {
            message: "sandbox-clusters/aws needs the peer dependency @pulumi/aws, which is not installed: run `npm install @pulumi/aws`",
        });
    });

    it("asks for the SDK's package.json, which every Pulumi SDK exposes", () => {
        const asked: string[] = [];
        requirePeer("sandbox-clusters/gcp", "@pulumi/gcp", (id) => (asked.push(id), id));
        assert.deepStrictEqual(asked, ["@pulumi/gcp/package.json"]);
    });
});
