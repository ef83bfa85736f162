// CustomResourceDefinitions installed into the suite's real API server: parsed from upstream
// YAML (never rewritten), applied, and waited on until the API server serves their kinds.
// Also fetches the pinned Go modules that ship such CRDs, their checksum verified.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { sleep } from "./kubeControlPlane";
import { KubeClient, KubeObject } from "./kubeClient";

/** Every CustomResourceDefinition in a YAML file (one or more documents). */
export function readCrds(file: string): KubeObject[] {
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJSON());
    const crds = docs.filter((d) => d?.kind === "CustomResourceDefinition");
    if (crds.length === 0) throw new Error(`${file} holds no CustomResourceDefinition`);
    return crds;
}

/** Applies the CRDs and resolves once each is Established (its kinds are served). */
export async function installCrds(client: KubeClient, crds: KubeObject[], timeoutMs = 60_000): Promise<void> {
    for (const crd of crds) await client.apply(crd);
    const deadline = Date.now() + timeoutMs;
    for (const crd of crds) {
        for (;;) {
            const got = await client.get("apiextensions.k8s.io/v1", "CustomResourceDefinition", crd.metadata.name);
            const established = (got.status?.conditions ?? []).some((c: any) => c.type === "Established" && c.status === "True");
            if (established) break;
            if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not Established after ${timeoutMs} ms: ${JSON.stringify(got.status)}`);
            await sleep(200);
        }
    }
}

/** A Go module version, and the `h1:` checksum its go.sum line would hold. */
export interface PinnedModule {
    path: string;
    version: string;
    sum: string;
}

/**
 * The directory of a pinned Go module, downloaded through the module proxy (`go mod download`,
 * which also checks the checksum database), and refused unless its checksum is the pinned one.
 * Undefined, with the reason, when the go command is missing or the download fails.
 */
export function goModuleDir(m: PinnedModule): { dir?: string; problem?: string } {
    let out: string;
    // Outside any module, so no go.mod of ours is consulted or changed.
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-clusters-gomod-"));
    try {
        out = execFileSync("go", ["mod", "download", "-json", `${m.path}@${m.version}`], {
            cwd,
            env: { ...process.env, GOFLAGS: "-mod=mod", GO111MODULE: "on", GOTOOLCHAIN: "local" },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            timeout: 300_000,
        });
    } catch (e: any) {
        const text = String(e.stdout ?? "") || String(e.message);
        try {
            return { problem: `go mod download ${m.path}@${m.version}: ${JSON.parse(text).Error ?? text}` };
        } catch {
            return { problem: `go mod download ${m.path}@${m.version}: ${text.slice(0, 500)}` };
        }
    } finally {
        fs.rmSync(cwd, { recursive: true, force: true });
    }
    const info = JSON.parse(out);
    if (info.Error) return { problem: `go mod download ${m.path}@${m.version}: ${info.Error}` };
    if (info.Sum !== m.sum) throw new Error(`${m.path}@${m.version} has checksum ${info.Sum}, not the pinned ${m.sum}`);
    return { dir: info.Dir };
}
