// A Helm chart mirror on loopback: an OCI registry (the distribution API's read side: manifests,
// blobs and tag lists, HTTPS with a throwaway certificate) serving charts the test makes. Enough
// for Helm to pull `oci://127.0.0.1:<port>/<repo>/<chart>` at a version; nothing else is served.
//
//   const reg = await startChartRegistry(dir);
//   reg.publishChart("mirror/kata", { name: "kata-deploy", version: "4.1.0", templates: { "probe.yaml": "..." } });
//   reg.url                  // oci://127.0.0.1:<port>
//   reg.caBundle             // the system CAs plus this registry's certificate (SSL_CERT_FILE)
//   reg.log                  // "GET /v2/mirror/kata/kata-deploy/manifests/4.1.0 200", ...
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import * as path from "path";

const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
const HELM_CONFIG_TYPE = "application/vnd.cncf.helm.config.v1+json";
const HELM_CHART_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const SYSTEM_CAS = "/etc/ssl/certs/ca-certificates.crt";

export interface TestChart {
    name: string;
    version: string;
    /** File name under templates/ -> its text. */
    templates: Record<string, string>;
}

export interface ChartRegistry {
    /** `oci://127.0.0.1:<port>`: prefix of every repository served. */
    url: string;
    /** PEM bundle: the system CAs and this registry's certificate, for `SSL_CERT_FILE`. */
    caBundle: string;
    /** Requests served, as `METHOD path status`. */
    log: string[];
    /** Packs the chart (`helm package` layout) and serves it as `<repository>/<name>:<version>`. */
    publishChart(repository: string, chart: TestChart): void;
    close(): Promise<void>;
}

export async function startChartRegistry(dir: string): Promise<ChartRegistry> {
    fs.mkdirSync(dir, { recursive: true });
    const key = path.join(dir, "registry-key.pem");
    const cert = path.join(dir, "registry-cert.pem");
    execFileSync("openssl", [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
    ], { stdio: "ignore" });
    const caBundle = path.join(dir, "ca-bundle.pem");
    fs.writeFileSync(caBundle, Buffer.concat([fs.existsSync(SYSTEM_CAS) ? fs.readFileSync(SYSTEM_CAS) : Buffer.alloc(0), fs.readFileSync(cert)]));

    const blobs = new Map<string, Buffer>();
    /** `<repository>/<chart>` -> tag or digest -> manifest bytes. */
    const manifests = new Map<string, Map<string, Buffer>>();
    const log: string[] = [];
    const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
        const url = new URL(req.url ?? "/", "https://127.0.0.1");
        const answer = (status: number, body: Buffer, headers: Record<string, string> = {}) => {
            log.push(`${req.method} ${url.pathname} ${status}`);
            res.writeHead(status, { "content-length": String(body.length), ...headers });
            res.end(req.method === "HEAD" ? undefined : body);
        };
        const notFound = (code: string) => answer(404, Buffer.from(JSON.stringify({ errors: [{ code, message: `${url.pathname} not found` }] })), { "content-type": "application/json" });
        if (req.method !== "GET" && req.method !== "HEAD") return answer(405, Buffer.from("read-only mirror"));
        if (url.pathname === "/v2/" || url.pathname === "/v2") return answer(200, Buffer.from("{}"), { "content-type": "application/json" });
        const m = /^\/v2\/(.+)\/(manifests|blobs|tags)\/([^/]+)$/.exec(url.pathname);
        if (!m) return notFound("NAME_UNKNOWN");
        const [, repo, what, ref] = m;
        if (what === "tags" && ref === "list") {
            const tags = [...(manifests.get(repo)?.keys() ?? [])].filter((t) => !t.startsWith("sha256:"));
            return tags.length ? answer(200, Buffer.from(JSON.stringify({ name: repo, tags })), { "content-type": "application/json" }) : notFound("NAME_UNKNOWN");
        }
        if (what === "manifests") {
            const body = manifests.get(repo)?.get(ref);
            if (!body) return notFound("MANIFEST_UNKNOWN");
            return answer(200, body, { "content-type": MANIFEST_TYPE, "docker-content-digest": digestOf(body) });
        }
        const blob = blobs.get(ref);
        return blob ? answer(200, blob, { "content-type": "application/octet-stream", "docker-content-digest": ref }) : notFound("BLOB_UNKNOWN");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;

    return {
        url: `oci://127.0.0.1:${port}`,
        caBundle,
        log,
        publishChart(repository, chart) {
            const tgz = packChart(path.join(dir, `${chart.name}-${chart.version}`), chart);
            const config = Buffer.from(JSON.stringify({ apiVersion: "v2", name: chart.name, version: chart.version }));
            blobs.set(digestOf(tgz), tgz);
            blobs.set(digestOf(config), config);
            const manifest = Buffer.from(JSON.stringify({
                schemaVersion: 2,
                mediaType: MANIFEST_TYPE,
                config: { mediaType: HELM_CONFIG_TYPE, digest: digestOf(config), size: config.length },
                layers: [{ mediaType: HELM_CHART_TYPE, digest: digestOf(tgz), size: tgz.length }],
            }));
            const repo = `${repository.replace(/^\/+|\/+$/g, "")}/${chart.name}`;
            const refs = manifests.get(repo) ?? new Map<string, Buffer>();
            // OCI tags cannot hold `+`; Helm writes it as `_`.
            refs.set(chart.version.replace(/\+/g, "_"), manifest);
            refs.set(digestOf(manifest), manifest);
            manifests.set(repo, refs);
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

function digestOf(b: Buffer): string {
    return `sha256:${crypto.createHash("sha256").update(b).digest("hex")}`;
}

/** The chart as `helm package` lays it out: `<name>/Chart.yaml` and `<name>/templates/*`, gzipped tar. */
function packChart(dir: string, chart: TestChart): Buffer {
    const root = path.join(dir, chart.name);
    fs.mkdirSync(path.join(root, "templates"), { recursive: true });
    fs.writeFileSync(path.join(root, "Chart.yaml"), `apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\ndescription: A chart the end-to-end suite made, standing in for the real one\n`);
    for (const [file, text] of Object.entries(chart.templates)) fs.writeFileSync(path.join(root, "templates", file), text);
    const out = path.join(dir, `${chart.name}-${chart.version}.tgz`);
    execFileSync("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-czf", out, "-C", dir, chart.name]);
    return fs.readFileSync(out);
}
