// A real Kubernetes control plane on loopback for integration tests and benchmarks: etcd,
// kube-apiserver (RuntimeClass and ValidatingAdmissionPolicy admission on) and kube-scheduler.
// No kubelet and no controller-manager: tests create Node objects themselves and the scheduler
// binds pods to them. Every process is killed by `stop()`, and on process exit as a last resort.
import { ChildProcess, execFileSync, spawn } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { KubeClient } from "./kubeClient";
import { isExecutable, skipOrFail, toolsBin } from "./realParts";

export interface ControlPlaneBinaries {
    etcd: string;
    kubeApiserver: string;
    kubeScheduler: string;
}

/**
 * Finds the binaries, or explains what is missing: all three come from `test/tools/build.sh k8s`
 * (etcd at the release the API server is built against; `$ETCD` overrides it).
 */
export function findBinaries(): { binaries?: ControlPlaneBinaries; missing: string[] } {
    const candidates = {
        etcd: process.env.ETCD ? [process.env.ETCD] : [path.join(toolsBin("k8s"), "etcd")],
        kubeApiserver: [path.join(toolsBin("k8s"), "kube-apiserver")],
        kubeScheduler: [path.join(toolsBin("k8s"), "kube-scheduler")],
    };
    const found: Partial<ControlPlaneBinaries> = {};
    const missing: string[] = [];
    for (const [name, paths] of Object.entries(candidates) as [keyof ControlPlaneBinaries, (string | undefined)[]][]) {
        const hit = paths.find((p) => p !== undefined && isExecutable(p));
        if (hit) found[name] = hit;
        else missing.push(`${name} (looked in ${paths.filter(Boolean).join(", ")})`);
    }
    return missing.length === 0 ? { binaries: found as ControlPlaneBinaries, missing } : { missing };
}

/**
 * Skips the calling suite when the binaries are missing, or fails it when
 * `SANDBOX_REQUIRE_REAL=1` (CI) says they must be there.
 */
export function requireBinaries(ctx: Mocha.Context): ControlPlaneBinaries {
    const { binaries, missing } = findBinaries();
    if (binaries) return binaries;
    skipOrFail(ctx, `real control plane binaries missing: ${missing.join("; ")}. Build them with \`test/tools/build.sh k8s\`.`);
}

export interface ControlPlaneOptions {
    /** Extra kube-apiserver flags (`--name=value`). */
    apiserverFlags?: string[];
    /** Extra kube-scheduler flags. */
    schedulerFlags?: string[];
    /** How long to wait for the API server to report ready. Default 90 s. */
    readyTimeoutMs?: number;
    /**
     * Also run kube-controller-manager (this binary) with these controllers: clusters with real
     * kubelets need it (Jobs, garbage collection, namespace deletion, node lifecycle). Default: none.
     */
    controllerManager?: {
        binary: string;
        controllers: readonly string[];
        /**
         * Each controller acts as its own service account (`--use-service-account-credentials`), with
         * the bootstrap roles Kubernetes gives it, as on a real cluster, rather than as the admin.
         * Default `false`.
         */
        serviceAccountCredentials?: boolean;
    };
}

const ADMIN_TOKEN_USER = "sandbox-clusters-admin";
const ADMIN_KUBECONFIG = "admin.kubeconfig";
const SCHEDULER_USER = "system:kube-scheduler";
const DEFAULT_READY_TIMEOUT_MS = 90_000;
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** A running etcd + kube-apiserver + kube-scheduler. */
export class ControlPlane {
    /** Client authenticated as a cluster admin (group `system:masters`). */
    readonly admin: KubeClient;
    /** A kubeconfig file for the same admin (kubectl, the Pulumi Kubernetes provider, controllers). */
    readonly adminKubeconfig: string;
    /** The cluster CA's certificate and key (PEM files), to issue client certificates (kubelets). */
    readonly caFile: string;
    readonly caKeyFile: string;
    private stopped = false;
    // Last resort when the process ends without stop() (a crash): kill the children, drop the scratch.
    private readonly onExit = () => {
        this.killAll("SIGKILL");
        this.removeDir();
    };
    // A signal ends node without running "exit" listeners: exit through them.
    private readonly onSignal = (signal: NodeJS.Signals) => {
        process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGHUP" ? 1 : 15));
    };

    private constructor(
        readonly dir: string,
        readonly server: string,
        private readonly procs: { name: string; proc: ChildProcess; log: string }[],
        adminToken: string,
        ca: Buffer,
    ) {
        this.admin = new KubeClient(server, adminToken, ca);
        this.adminKubeconfig = path.join(dir, ADMIN_KUBECONFIG);
        this.caFile = path.join(dir, "ca.crt");
        this.caKeyFile = path.join(dir, "ca.key");
        process.on("exit", this.onExit);
        for (const sig of SIGNALS) process.on(sig, this.onSignal);
    }

    /** Starts etcd, kube-apiserver and kube-scheduler; resolves once the API server is ready. */
    static async start(bin: ControlPlaneBinaries, opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
        // etcd's fsyncs dominate on a disk; a tmpfs keeps the benchmark about the scheduler.
        const base = fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
        const dir = fs.mkdtempSync(path.join(base, "sandbox-clusters-kube-"));
        const [etcdClient, etcdPeer, apiPort] = await freePorts(3);
        const pki = makePki(dir);
        const adminToken = randomToken();
        const schedulerToken = randomToken();
        fs.writeFileSync(
            path.join(dir, "tokens.csv"),
            `${adminToken},${ADMIN_TOKEN_USER},uid-admin,"system:masters"\n${schedulerToken},${SCHEDULER_USER},uid-scheduler\n`,
            { mode: 0o600 },
        );
        const server = `https://127.0.0.1:${apiPort}`;
        fs.writeFileSync(path.join(dir, "scheduler.kubeconfig"), kubeconfig(server, pki.ca, schedulerToken), { mode: 0o600 });
        fs.writeFileSync(path.join(dir, ADMIN_KUBECONFIG), kubeconfig(server, pki.ca, adminToken), { mode: 0o600 });

        const procs: { name: string; proc: ChildProcess; log: string }[] = [];
        const launch = (name: string, file: string, args: string[]) => {
            const log = path.join(dir, `${name}.log`);
            const fd = fs.openSync(log, "a");
            const proc = spawn(file, args, { stdio: ["ignore", fd, fd] });
            fs.closeSync(fd);
            procs.push({ name, proc, log });
        };
        const cp = new ControlPlane(dir, server, procs, adminToken, fs.readFileSync(pki.ca));
        try {
            launch("etcd", bin.etcd, [
                `--data-dir=${path.join(dir, "etcd")}`,
                `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
                `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
                `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
                `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
                `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
                "--log-level=warn",
            ]);
            launch("kube-apiserver", bin.kubeApiserver, [
                `--etcd-servers=http://127.0.0.1:${etcdClient}`,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                `--secure-port=${apiPort}`,
                `--tls-cert-file=${pki.serverCert}`,
                `--tls-private-key-file=${pki.serverKey}`,
                `--client-ca-file=${pki.ca}`,
                `--token-auth-file=${path.join(dir, "tokens.csv")}`,
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc",
                `--service-account-key-file=${pki.saPub}`,
                `--service-account-signing-key-file=${pki.saKey}`,
                "--service-cluster-ip-range=10.96.0.0/24",
                // Both are on by default; named so a release that changed that fails loudly here.
                "--enable-admission-plugins=RuntimeClass,ValidatingAdmissionPolicy",
                // As on EKS and GKE: privileged pods and host namespaces are allowed by the API server,
                // so refusing them to sandboxed pods is the guard's job alone.
                "--allow-privileged=true",
                "--profiling=false",
                ...(opts.apiserverFlags ?? []),
            ]);
            await cp.waitReady(opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
            launch("kube-scheduler", bin.kubeScheduler, [
                `--kubeconfig=${path.join(dir, "scheduler.kubeconfig")}`,
                "--leader-elect=false",
                "--secure-port=0",
                ...(opts.schedulerFlags ?? []),
            ]);
            if (opts.controllerManager) {
                launch("kube-controller-manager", opts.controllerManager.binary, [
                    `--kubeconfig=${path.join(dir, ADMIN_KUBECONFIG)}`,
                    "--leader-elect=false",
                    "--secure-port=0",
                    `--controllers=${opts.controllerManager.controllers.join(",")}`,
                    // Published into every namespace as kube-root-ca.crt, which service account token volumes mount.
                    `--root-ca-file=${pki.ca}`,
                    `--service-account-private-key-file=${pki.saKey}`,
                    `--use-service-account-credentials=${opts.controllerManager.serviceAccountCredentials ?? false}`,
                ]);
            }
            return cp;
        } catch (e) {
            const logs = cp.logTails();
            await cp.stop();
            throw new Error(`${(e as Error).message}\n${logs}`);
        }
    }

    private async waitReady(timeoutMs: number): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        let last = "";
        while (Date.now() < deadline) {
            const dead = this.procs.find((p) => p.proc.exitCode !== null || p.proc.signalCode !== null);
            if (dead) throw new Error(`${dead.name} exited early (${dead.proc.exitCode ?? dead.proc.signalCode})`);
            try {
                const res = await this.admin.request("GET", "/readyz");
                if (res.status === 200) return;
                last = `readyz ${res.status}: ${res.text.slice(0, 500)}`;
            } catch (e) {
                last = (e as Error).message;
            }
            await sleep(250);
        }
        throw new Error(`kube-apiserver not ready after ${timeoutMs} ms: ${last}`);
    }

    /** The last lines of each process's log, for failure messages. */
    logTails(lines = 15): string {
        return this.procs
            .map(({ name, log }) => {
                const text = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "";
                return `--- ${name} (${log}) ---\n${text}`;
            })
            .join("\n");
    }

    /** Kills every process (scheduler first, etcd last) and removes the scratch directory. */
    async stop(): Promise<void> {
        if (this.stopped) return;
        this.stopped = true;
        this.admin.close();
        for (const p of [...this.procs].reverse()) await terminate(p.proc);
        process.off("exit", this.onExit);
        for (const sig of SIGNALS) process.off(sig, this.onSignal);
        this.removeDir();
    }

    private removeDir(): void {
        if (process.env.SANDBOX_KEEP_KUBE_DIR !== "1") fs.rmSync(this.dir, { recursive: true, force: true });
    }

    private killAll(signal: NodeJS.Signals): void {
        for (const { proc } of this.procs) if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    }
}

async function terminate(proc: ChildProcess): Promise<void> {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((res) => proc.once("exit", () => res()));
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
}

interface Pki {
    ca: string;
    serverCert: string;
    serverKey: string;
    saKey: string;
    saPub: string;
}

/** A throwaway CA, a serving certificate for 127.0.0.1 and the `kubernetes` Service, and a service-account key pair. */
function makePki(dir: string): Pki {
    const p = (f: string) => path.join(dir, f);
    const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("ca.key"), "-out", p("ca.crt"), "-days", "2", "-subj", "/CN=sandbox-clusters-test-ca");
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("server.key"), "-out", p("server.csr"), "-subj", "/CN=kube-apiserver");
    // 10.96.0.1: the `kubernetes` Service, which pods dial (test/support/realNode.ts relays it).
    fs.writeFileSync(p("server.ext"), "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes.default.svc\n");
    ssl("x509", "-req", "-in", p("server.csr"), "-CA", p("ca.crt"), "-CAkey", p("ca.key"), "-CAcreateserial", "-out", p("server.crt"), "-days", "2", "-extfile", p("server.ext"));
    ssl("genrsa", "-out", p("sa.key"), "2048");
    ssl("rsa", "-in", p("sa.key"), "-pubout", "-out", p("sa.pub"));
    return { ca: p("ca.crt"), serverCert: p("server.crt"), serverKey: p("server.key"), saKey: p("sa.key"), saPub: p("sa.pub") };
}

function kubeconfig(server: string, caFile: string, token: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "test", cluster: { server, "certificate-authority": caFile } }],
        users: [{ name: "user", user: { token } }],
        contexts: [{ name: "test", context: { cluster: "test", user: "user" } }],
        "current-context": "test",
    });
}

function randomToken(): string {
    return randomBytes(24).toString("hex");
}

async function freePorts(n: number): Promise<number[]> {
    const servers = await Promise.all(
        Array.from({ length: n }, () => new Promise<net.Server>((res, rej) => {
            const s = net.createServer();
            s.once("error", rej);
            s.listen(0, "127.0.0.1", () => res(s));
        })),
    );
    const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
    await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
    return ports;
}

export function sleep(ms: number): Promise<void> {
    return new Promise((res) => setTimeout(res, ms));
}
