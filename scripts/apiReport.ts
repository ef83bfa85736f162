// The public API of every entry point, as an api-extractor report in api/ that changes only
// when the public surface does, so any change to it shows in review. Entry points are the
// `exports` map of package.json; `typesVersions` (what TypeScript's `moduleResolution: node`
// reads) is derived from it here.
//
//   npm run api:update    rebuild, rewrite api/*.api.md and package.json `typesVersions`
//   npm run api:check     rebuild, fail when either differs from what is committed (CI)
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Extractor, ExtractorConfig, ExtractorLogLevel, IConfigFile } from "@microsoft/api-extractor";
import { Entry, PackageManifest, entries, typesVersions } from "./entryPoints";

const ROOT = path.join(__dirname, "..");
const API_DIR = path.join(ROOT, "api");
const FIX = "run `npm run api:update`, review the diff of api/ (it is the API change) and commit it";

function extract(e: Entry, localBuild: boolean): { changed: boolean; errors: number } {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "api-report-"));
    const configObject: IConfigFile = {
        projectFolder: ROOT,
        mainEntryPointFilePath: path.join(ROOT, e.types),
        compiler: {
            overrideTsconfig: {
                compilerOptions: { target: "ES2022", module: "commonjs", moduleResolution: "node", strict: true, skipLibCheck: true, types: ["node"] },
                files: [path.join(ROOT, e.types)],
            },
        },
        apiReport: { enabled: true, reportFolder: API_DIR, reportTempFolder: tmp, reportFileName: e.report },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
            compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
            extractorMessageReporting: {
                default: { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
                // The package has no release stages (alpha/beta): everything exported is public.
                "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
                // Shown on the declaration itself as "(undocumented)"; as a message it carries a
                // .d.ts line number, which would change the report on edits that change no API.
                "ae-undocumented": { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
                // A public signature that names a type the entry point does not export.
                "ae-forgotten-export": { logLevel: ExtractorLogLevel.Error, addToApiReportFile: false },
            },
            tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None, addToApiReportFile: false } },
        },
    };
    const config = ExtractorConfig.prepare({
        configObject,
        configObjectFullPath: path.join(ROOT, "api", "api-extractor.json"),
        packageJsonFullPath: path.join(ROOT, "package.json"),
    });
    const result = Extractor.invoke(config, { localBuild, showVerboseMessages: false });
    fs.rmSync(tmp, { recursive: true, force: true });
    return { changed: result.apiReportChanged, errors: result.errorCount };
}

function main(): void {
    const mode = process.argv[2];
    if (mode !== "update" && mode !== "check") throw new Error("usage: apiReport.ts update|check");
    const pkgPath = path.join(ROOT, "package.json");
    const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8")) as PackageManifest;
    const problems: string[] = [];

    const wanted = typesVersions(pkg);
    if (JSON.stringify(pkg.typesVersions) !== JSON.stringify(wanted)) {
        if (mode === "update") {
            pkg.typesVersions = wanted;
            fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + "\n");
        } else problems.push(`package.json "typesVersions" does not match "exports" (want ${JSON.stringify(wanted)})`);
    }

    fs.mkdirSync(API_DIR, { recursive: true });
    const list = entries(pkg);
    for (const e of list) {
        if (!fs.existsSync(path.join(ROOT, e.types))) problems.push(`${e.types} (entry point ${e.subpath}) was not built`);
        else {
            const r = extract(e, mode === "update");
            if (r.errors > 0) {
                problems.push(
                    `entry point ${e.subpath}: ${r.errors} api-extractor error(s), printed above; export each named type ` +
                        "from that entry point, or keep it out of the public signature",
                );
            }
            if (r.changed && mode === "check") problems.push(`entry point ${e.subpath}: public API differs from api/${e.report}.api.md`);
        }
    }
    const reports = new Set(list.map((e) => `${e.report}.api.md`));
    for (const f of fs.readdirSync(API_DIR).filter((name) => name.endsWith(".api.md") && !reports.has(name))) {
        if (mode === "update") fs.rmSync(path.join(API_DIR, f));
        else problems.push(`api/${f} belongs to no entry point`);
    }

    if (problems.length > 0) {
        console.error(`API report check failed:\n${problems.map((p) => `  - ${p}`).join("\n")}\nTo fix: ${FIX}.`);
        process.exit(1);
    }
    console.log(`API reports ${mode === "update" ? "written" : "match"}: ${list.map((e) => `api/${e.report}.api.md`).join(", ")}`);
}

if (require.main === module) main();
