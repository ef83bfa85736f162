// A chart and image mirror on loopback: an OCI registry (the distribution API's read side:
// manifests, blobs and tag lists, HTTPS with a throwaway certificate) serving charts and images
// the test makes or brings. Enough for Helm to pull `oci://127.0.0.1:<port>/<repo>/<chart>` at a
// version, and for a node's containerd to pull an image through a registry mirror (hosts.toml);
// nothing else is served.
//
//   const reg = await startChartRegistry(dir);
//   reg.publishChart("mirror/kata", { name: "kata-deploy", version: "4.1.0", templates: { "probe.yaml": "..." } });
//   reg.publishChartDir("mirror/kata", "/path/to/kata-deploy");   // a real chart folder, as `helm package` packs it
//   reg.publishImage("kata-containers/kata-deploy", "4.1.0", image) // -> "sha256:..." (the manifest digest)
//   reg.url                  // oci://127.0.0.1:<port>
//   reg.socket               // the same server on a UNIX socket (nodes reach it through a relay)
//   reg.caBundle             // the system CAs plus this registry's certificate (SSL_CERT_FILE)
//   reg.certFile             // this registry's certificate alone (containerd's hosts.toml `ca`)
//   reg.log                  // "GET /v2/mirror/kata/kata-deploy/manifests/4.1.0 200", ...
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import * as path from "path";
import * as YAML from "yaml";

const MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
const IMAGE_CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
const IMAGE_LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";
const HELM_CONFIG_TYPE = "application/vnd.cncf.helm.config.v1+json";
const HELM_CHART_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const SYSTEM_CAS = "/etc/ssl/certs/ca-certificates.crt";

export interface TestChart {
    name: string;
    version: string;
    /** File name under templates/ -> its text. */
    templates: Record<string, string>;
}

/** A one-layer container image: the layer as an uncompressed tar and the runtime config. */
export interface TestImage {
    layer: Buffer;
    /** The image config's `config` (Cmd, Entrypoint, Env, WorkingDir...). */
    config: Record<string, unknown>;
}

export interface ChartRegistry {
    /** `oci://127.0.0.1:<port>`: prefix of every repository served. */
    url: string;
    /** `127.0.0.1:<port>`: the registry's address, as containerd's hosts.toml names a mirror. */
    host: string;
    /** The same registry on a UNIX socket, which crosses network namespaces. */
    socket: string;
    /** PEM bundle: the system CAs and this registry's certificate, for `SSL_CERT_FILE`. */
    caBundle: string;
    /** This registry's certificate alone (PEM). */
    certFile: string;
    /** Requests served, as `METHOD path status`. */
    log: string[];
    /** Packs the chart (`helm package` layout) and serves it as `<repository>/<name>:<version>`. */
    publishChart(repository: string, chart: TestChart): void;
    /**
     * Packs a chart folder as it is (Chart.yaml, values.yaml, templates/, charts/ with its
     * subchart archives, every other file) and serves it as `<repository>/<name>:<version>`,
     * name and version read from its Chart.yaml. `opts.version` republishes the same chart as
     * another version (its Chart.yaml's version and appVersion set to it): a stand-in for the
     * chart's next release, for upgrade and diff tests.
     */
    publishChartDir(repository: string, dir: string, opts?: { version?: string }): { name: string; version: string };
    /** Serves a one-layer image as `<repository>:<tag>`; returns its manifest digest (`sha256:...`). */
    publishImage(repository: string, tag: string, image: TestImage): string;
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
    const handler: Parameters<typeof https.createServer>[1] = (req, res) => {
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
    };
    const tls = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
    const server = https.createServer(tls, handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const socket = path.join(dir, "registry.sock");
    fs.rmSync(socket, { force: true });
    const socketServer = https.createServer(tls, handler);
    await new Promise<void>((resolve) => socketServer.listen(socket, resolve));

    /** Serves `manifest` (whose config and layers are already blobs) as `<repo>:<tag>` and by its digest. */
    const serve = (repo: string, tag: string, manifest: Buffer): string => {
        const refs = manifests.get(repo) ?? new Map<string, Buffer>();
        refs.set(tag, manifest);
        refs.set(digestOf(manifest), manifest);
        manifests.set(repo, refs);
        return digestOf(manifest);
    };
    const publishPacked = (repository: string, name: string, version: string, tgz: Buffer): void => {
        const config = Buffer.from(JSON.stringify({ apiVersion: "v2", name, version }));
        blobs.set(digestOf(tgz), tgz);
        blobs.set(digestOf(config), config);
        const manifest = Buffer.from(JSON.stringify({
            schemaVersion: 2,
            mediaType: MANIFEST_TYPE,
            config: { mediaType: HELM_CONFIG_TYPE, digest: digestOf(config), size: config.length },
            layers: [{ mediaType: HELM_CHART_TYPE, digest: digestOf(tgz), size: tgz.length }],
        }));
        // OCI tags cannot hold `+`; Helm writes it as `_`.
        serve(`${repository.replace(/^\/+|\/+$/g, "")}/${name}`, version.replace(/\+/g, "_"), manifest);
    };

    return {
        url: `oci://127.0.0.1:${port}`,
        host: `127.0.0.1:${port}`,
        socket,
        caBundle,
        certFile: cert,
        log,
        publishChart(repository, chart) {
            publishPacked(repository, chart.name, chart.version, packChart(path.join(dir, `${chart.name}-${chart.version}`), chart));
        },
        publishChartDir(repository, chartDir, opts = {}) {
            const meta = YAML.parse(fs.readFileSync(path.join(chartDir, "Chart.yaml"), "utf8"));
            const name = String(meta.name);
            const version = opts.version ?? String(meta.version);
            publishPacked(repository, name, version, packChartDir(path.join(dir, `${name}-${version}-dir`), chartDir, name, opts.version));
            return { name, version };
        },
        publishImage(repository, tag, image) {
            const diffId = digestOf(image.layer);
            const config = Buffer.from(JSON.stringify({
                architecture: process.arch === "x64" ? "amd64" : process.arch,
                os: "linux",
                config: image.config,
                rootfs: { type: "layers", diff_ids: [diffId] },
            }));
            blobs.set(diffId, image.layer);
            blobs.set(digestOf(config), config);
            const manifest = Buffer.from(JSON.stringify({
                schemaVersion: 2,
                mediaType: MANIFEST_TYPE,
                config: { mediaType: IMAGE_CONFIG_TYPE, digest: digestOf(config), size: config.length },
                layers: [{ mediaType: IMAGE_LAYER_TYPE, digest: diffId, size: image.layer.length }],
            }));
            return serve(repository.replace(/^\/+|\/+$/g, ""), tag, manifest);
        },
        close: async () => {
            for (const s of [server, socketServer]) {
                s.closeAllConnections();
                await new Promise<void>((resolve) => s.close(() => resolve()));
            }
        },
    };
}

/**
 * A chart folder as `helm package` lays it out: its files under `<name>/`, gzipped tar. The
 * chart is taken as it is (the reference folders hold exactly what the chart's project
 * publishes), so nothing is filtered: no .helmignore is read.
 */
function packChartDir(stage: string, chartDir: string, name: string, version?: string): Buffer {
    fs.rmSync(stage, { recursive: true, force: true });
    fs.mkdirSync(stage, { recursive: true });
    fs.cpSync(chartDir, path.join(stage, name), { recursive: true });
    // Read-only reference files stay readable and writable in the archive.
    execFileSync("chmod", ["-R", "u+rwX", path.join(stage, name)]);
    if (version !== undefined) {
        const file = path.join(stage, name, "Chart.yaml");
        const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
        doc.set("version", version);
        doc.set("appVersion", version);
        fs.writeFileSync(file, doc.toString());
    }
    const out = path.join(stage, `${name}.tgz`);
    execFileSync("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-czf", out, "-C", stage, name]);
    return fs.readFileSync(out);
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
