// The Pulumi package schema of the component provider (provider/), inferred by Pulumi's own
// component provider host from the components' TypeScript exactly as the Node.js language host
// does when it runs the plugin, committed as provider/schema.json so that a change to any
// component's args or outputs shows in review as a schema diff.
//
//   npm run api:update    rewrite provider/schema.json (with the API reports)
//   npm run api:check     fail when it differs from what the components say
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";

const ROOT = path.join(__dirname, "..");
export const PROVIDER_DIR = path.join(ROOT, "provider");
export const SCHEMA = path.join(PROVIDER_DIR, "schema.json");

/** The schema the provider serves: the same inputs as `@pulumi/pulumi/cmd/run-plugin` passes. */
export async function inferSchema(): Promise<string> {
    const manifest = JSON.parse(fs.readFileSync(path.join(PROVIDER_DIR, "package.json"), "utf8")) as { name: string };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module chosen at run time, as run-plugin does
    const components = getPulumiComponents(require(PROVIDER_DIR) as Record<string, unknown>);
    const provider = new ComponentProvider({ name: manifest.name, dirname: PROVIDER_DIR, components });
    return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 2)}\n`;
}

async function main(): Promise<void> {
    const mode = process.argv[2];
    if (mode !== "update" && mode !== "check") throw new Error("usage: pluginSchema.ts update|check");
    const schema = await inferSchema();
    if (mode === "update") {
        fs.writeFileSync(SCHEMA, schema);
        console.log(`wrote ${path.relative(ROOT, SCHEMA)}`);
        return;
    }
    const committed = fs.existsSync(SCHEMA) ? fs.readFileSync(SCHEMA, "utf8") : "";
    if (committed !== schema) {
        console.error(
            `${path.relative(ROOT, SCHEMA)} differs from the schema Pulumi infers from the components: ` +
                "run `npm run api:update`, review the diff of provider/schema.json (it is what other languages see) and commit it",
        );
        process.exit(1);
    }
    console.log(`${path.relative(ROOT, SCHEMA)} matches the components`);
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e instanceof Error ? e.message : String(e));
        process.exit(1);
    });
}
