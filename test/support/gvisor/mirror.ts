// A gVisor release mirror on loopback: HTTPS with a throwaway self-signed certificate (the
// install script only speaks https), laid out like gVisor's bucket:
// <base>/<release>/<arch>/<artifact> plus <artifact>.sha512 in sha512sum's format.
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

export const MIRROR_PATH = "/gvisor/releases/release";

export interface Mirror {
    /** Base URL to render the install script with. */
    url: string;
    /** CA bundle for curl (`CURL_CA_BUNDLE`). */
    caFile: string;
    /** Requests served, as `METHOD path status`. */
    log: string[];
    /** Publishes a file under <release>/<arch>/ with its .sha512 (or a wrong one). */
    publish(release: string, arch: string, name: string, content: Buffer, opts?: { wrongSha512?: boolean }): void;
    close(): Promise<void>;
}

export function sha512(content: Buffer): string {
    return crypto.createHash("sha512").update(content).digest("hex");
}

export async function startMirror(dir: string): Promise<Mirror> {
    fs.mkdirSync(dir, { recursive: true });
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    execFileSync("openssl", [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
    ], { stdio: "ignore" });
    const files = new Map<string, Buffer>();
    const log: string[] = [];
    const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
        const body = files.get(req.url ?? "");
        log.push(`${req.method} ${req.url} ${body ? 200 : 404}`);
        if (!body) {
            res.writeHead(404).end("NoSuchKey");
            return;
        }
        res.writeHead(200, { "content-length": body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return {
        url: `https://127.0.0.1:${port}${MIRROR_PATH}`,
        caFile: cert,
        log,
        publish(release, arch, name, content, opts = {}) {
            const at = `${MIRROR_PATH}/${release}/${arch}/${name}`;
            const digest = opts.wrongSha512 ? sha512(Buffer.concat([content, Buffer.from("tampered")])) : sha512(content);
            files.set(at, content);
            files.set(`${at}.sha512`, Buffer.from(`${digest}  ${name}\n`));
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
