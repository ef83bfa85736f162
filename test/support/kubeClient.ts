// A small Kubernetes API client over node:https: enough to apply manifests (server-side apply),
// create objects and read answers, with resource paths found through API discovery. Tests need
// the API server's own answers (status codes and rejection messages), not a client's opinion.
import * as https from "https";

/** A Kubernetes object as it travels on the wire. */
export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; [k: string]: any };
    [k: string]: any;
}

export interface KubeResponse {
    status: number;
    text: string;
    /** The parsed body, when it was JSON. */
    body: any;
    /** `Warning` headers the API server sent (admission warnings among them), their text only. */
    warnings: string[];
}

interface ResourceInfo {
    plural: string;
    namespaced: boolean;
}

const FIELD_MANAGER = "sandbox-clusters-test";

export class KubeClient {
    private readonly agent: https.Agent;
    private readonly discovered = new Map<string, Map<string, ResourceInfo>>();

    constructor(
        readonly server: string,
        private readonly token: string,
        private readonly ca: Buffer,
        maxSockets = 32,
        private readonly impersonation: Record<string, string | string[]> = {},
    ) {
        this.agent = new https.Agent({ ca, keepAlive: true, maxSockets });
    }

    /**
     * The same client acting as `user` in `groups` (impersonation headers; the token's identity
     * must be allowed to impersonate, as a cluster admin is): what a tenant's kubectl would get.
     */
    as(user: string, groups: string[] = []): KubeClient {
        return new KubeClient(this.server, this.token, this.ca, 4, { "Impersonate-User": user, ...(groups.length > 0 ? { "Impersonate-Group": groups } : {}) });
    }

    request(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<KubeResponse> {
        const url = new URL(path, this.server);
        const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        return new Promise((resolve, reject) => {
            const req = https.request(
                url,
                {
                    method,
                    agent: this.agent,
                    headers: {
                        Authorization: `Bearer ${this.token}`,
                        Accept: "application/json",
                        ...this.impersonation,
                        ...(payload === undefined ? {} : { "Content-Type": contentType, "Content-Length": Buffer.byteLength(payload) }),
                    },
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString("utf8");
                        let parsed: any;
                        try {
                            parsed = JSON.parse(text);
                        } catch {
                            parsed = undefined;
                        }
                        resolve({ status: res.statusCode ?? 0, text, body: parsed, warnings: warningTexts(res.headers.warning) });
                    });
                    res.on("error", reject);
                },
            );
            req.on("error", reject);
            if (payload !== undefined) req.write(payload);
            req.end();
        });
    }

    /** Like `request`, but throws with the API server's message unless the status is 2xx. */
    async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
        const res = await this.request(method, path, body, contentType);
        if (res.status < 200 || res.status > 299) {
            throw new Error(`${method} ${path}: HTTP ${res.status}: ${res.body?.message ?? res.text.slice(0, 500)}`);
        }
        return res.body;
    }

    /** The collection URL of a kind (`/api/v1/namespaces/ns/pods`), found through discovery. */
    async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
        const info = await this.resource(apiVersion, kind);
        const root = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        if (!info.namespaced) return `${root}/${info.plural}`;
        return `${root}/namespaces/${encodeURIComponent(namespace ?? "default")}/${info.plural}`;
    }

    async objectPath(obj: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): Promise<string> {
        const coll = await this.collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace);
        return `${coll}/${encodeURIComponent(obj.metadata.name)}`;
    }

    /** Server-side apply: creates or updates the object as the API server would for kubectl. */
    async apply(obj: KubeObject): Promise<any> {
        const p = await this.objectPath(obj);
        return this.ok("PATCH", `${p}?fieldManager=${FIELD_MANAGER}&force=true`, obj, "application/apply-patch+yaml");
    }

    /**
     * Server-side apply with `fieldValidation=Strict` (a field the schema does not know is an
     * error, not a warning), returning the answer as it is, rejection included.
     */
    async applyStrict(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeResponse> {
        const p = await this.objectPath(obj);
        const dry = opts.dryRun ? "&dryRun=All" : "";
        return this.request("PATCH", `${p}?fieldManager=${FIELD_MANAGER}&force=true&fieldValidation=Strict${dry}`, obj, "application/apply-patch+yaml");
    }

    /** Creates an object and returns the API server's answer as it is, rejection included. */
    async create(obj: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeResponse> {
        const coll = await this.collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace);
        return this.request("POST", coll + (opts.dryRun ? "?dryRun=All" : ""), obj);
    }

    async get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<any> {
        return this.ok("GET", await this.objectPath({ apiVersion, kind, metadata: { name, namespace } }));
    }

    /** Items of a kind, in one namespace or (namespace undefined, namespaced kind) everywhere. */
    async list(apiVersion: string, kind: string, namespace?: string, query = ""): Promise<any[]> {
        let coll = await this.collectionPath(apiVersion, kind, namespace);
        if (namespace === undefined) coll = coll.replace(/\/namespaces\/default\//, "/");
        return (await this.ok("GET", coll + (query ? `?${query}` : ""))).items;
    }

    private async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
        let kinds = this.discovered.get(apiVersion);
        if (!kinds) {
            const root = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
            const list = await this.ok("GET", root);
            kinds = new Map();
            for (const r of list.resources as { name: string; kind: string; namespaced: boolean }[]) {
                if (!r.name.includes("/")) kinds.set(r.kind, { plural: r.name, namespaced: r.namespaced });
            }
            this.discovered.set(apiVersion, kinds);
        }
        const info = kinds.get(kind);
        if (!info) throw new Error(`the API server serves no kind ${kind} in ${apiVersion}`);
        return info;
    }

    /**
     * Streams watch events of a collection (`/api/v1/namespaces/ns/pods`) to `onEvent`, from
     * `resourceVersion` on when given, until `stop()`; `onEnd` hears when the API server ends it
     * (it may drop a watcher that reads too slowly: resume from the last resourceVersion seen).
     * Resolves once the API server answered the watch request.
     */
    watch(
        collection: string,
        onEvent: (type: string, object: any) => void,
        onEnd: (why: string) => void = () => undefined,
        resourceVersion?: string,
    ): Promise<{ stop: () => void }> {
        const from = resourceVersion ? `&resourceVersion=${encodeURIComponent(resourceVersion)}` : "";
        const url = new URL(`${collection}?watch=true&allowWatchBookmarks=true${from}`, this.server);
        return new Promise((resolve, reject) => {
            const req = https.request(url, { method: "GET", agent: false, ca: this.agent.options.ca, headers: { Authorization: `Bearer ${this.token}`, Accept: "application/json" } }, (res) => {
                if (res.statusCode !== 200) {
                    reject(new Error(`watch ${collection}: HTTP ${res.statusCode}`));
                    res.resume();
                    return;
                }
                let buffered = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => {
                    buffered += chunk;
                    let nl: number;
                    while ((nl = buffered.indexOf("\n")) >= 0) {
                        const line = buffered.slice(0, nl);
                        buffered = buffered.slice(nl + 1);
                        if (line.trim()) {
                            const ev = JSON.parse(line);
                            onEvent(ev.type, ev.object);
                        }
                    }
                });
                let stopped = false;
                res.on("end", () => stopped || onEnd("the API server ended the watch"));
                res.on("error", (e) => stopped || onEnd(e.message));
                resolve({
                    stop: () => {
                        stopped = true;
                        req.destroy();
                    },
                });
            });
            req.on("error", reject);
            req.end();
        });
    }

    /** Releases the keep-alive sockets. */
    close(): void {
        this.agent.destroy();
    }
}

/** The texts of `Warning: 299 - "text"` headers (RFC 7234 form, as the API server sends them). */
function warningTexts(header: string | string[] | undefined): string[] {
    const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
    return values.flatMap((v) => [...v.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, "$1")));
}
