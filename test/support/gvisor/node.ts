// A test node in a scratch directory: containerd started with a nodeadm-like base config into
// which the component's runtime fragment is merged the way nodeadm merges
// `spec.containerd.config` (TOML decoded to maps, deep-merged with override), a CRI client
// over containerd's socket, and a runner for the component's install script.
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "smol-toml";
import type { ContainerdFlavour } from "./binaries";
import { PAUSE_IMAGE } from "./images";

type Table = Record<string, unknown>;

/** nodeadm's merge (mergo.Merge WithOverride on decoded TOML): tables merge, values override. */
export function mergeLikeNodeadm(base: Table, patch: Table): Table {
    const out: Table = { ...base };
    for (const [k, v] of Object.entries(patch)) {
        const b = out[k];
        out[k] = isTable(b) && isTable(v) ? mergeLikeNodeadm(b, v) : v;
    }
    return out;
}

function isTable(v: unknown): v is Table {
    return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * The base config, shaped like nodeadm's templates (config.template.toml for version 2,
 * config2.template.toml for version 3) with paths moved into `dir`, cgroupfs instead of
 * systemd, our local pause image, and `restrict_oom_score_adj` (these machines lack
 * CAP_SYS_RESOURCE).
 */
export function baseConfig(dir: string, version: 2 | 3): Table {
    const common = {
        version,
        root: path.join(dir, "root"),
        state: path.join(dir, "state"),
        grpc: { address: path.join(dir, "containerd.sock") },
        ttrpc: { address: path.join(dir, "containerd.sock.ttrpc") },
    };
    const runc = {
        runtime_type: "io.containerd.runc.v2",
        options: { BinaryName: "/usr/sbin/runc", SystemdCgroup: false },
    };
    const cni = { bin_dir: path.join(dir, "cni", "bin"), conf_dir: path.join(dir, "cni", "net.d") };
    if (version === 3) {
        return {
            ...common,
            plugins: {
                "io.containerd.cri.v1.images": { pinned_images: { sandbox: PAUSE_IMAGE } },
                "io.containerd.cri.v1.runtime": {
                    restrict_oom_score_adj: true,
                    containerd: { default_runtime_name: "runc", runtimes: { runc } },
                    cni,
                },
                "io.containerd.grpc.v1.cri": { stream_server_address: "127.0.0.1", stream_server_port: "0" },
                "io.containerd.internal.v1.opt": { path: path.join(dir, "opt") },
            },
        };
    }
    return {
        ...common,
        plugins: {
            "io.containerd.grpc.v1.cri": {
                sandbox_image: PAUSE_IMAGE,
                restrict_oom_score_adj: true,
                stream_server_address: "127.0.0.1",
                stream_server_port: "0",
                containerd: { default_runtime_name: "runc", runtimes: { runc } },
                cni,
            },
            "io.containerd.internal.v1.opt": { path: path.join(dir, "opt") },
        },
    };
}

/** `base` merged with the rendered `fragment`, as nodeadm writes it. */
export function mergeFragment(base: Table, fragment: string): Table {
    return mergeLikeNodeadm(base, JSON.parse(JSON.stringify(parse(fragment))));
}

/** Writes a config to `<dir>/<name>` and returns its path. */
export function writeConfig(dir: string, name: string, config: Table): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, stringify(config));
    return file;
}

/**
 * gVisor's shim sets the oom_score_adj of the shim it starts to -999, which needs
 * CAP_SYS_RESOURCE; without it the shim stops with "failed to set OOM Score on shim".
 * containerd's helper (pkg/sys SetOOMScore) ignores that refusal inside a user namespace,
 * which it detects from /proc/self/uid_map. On machines without the capability this
 * stand-in, first on containerd's PATH, runs the installed shim unchanged in a private mount
 * namespace where the starting process's uid_map reads like a user namespace's; the
 * containerd config stays exactly as rendered. Returns the folder to put first on PATH.
 */
export function shimOomStandIn(dir: string, realShim: string): string {
    const bin = path.join(dir, "shim-stand-in");
    fs.mkdirSync(bin, { recursive: true });
    const uidMap = path.join(bin, "uid_map");
    fs.writeFileSync(uidMap, "         0          0          1\n");
    fs.writeFileSync(
        path.join(bin, "containerd-shim-runsc-v1"),
        [
            "#!/bin/bash",
            "# Test stand-in: gVisor's shim, with its oom_score_adj refusal tolerated (see node.ts).",
            `exec unshare --mount --propagation slave /bin/sh -c 'mount --bind "$0" /proc/$$/uid_map && exec "$@"' ${JSON.stringify(uidMap)} ${JSON.stringify(realShim)} "$@"`,
            "",
        ].join("\n"),
        { mode: 0o755 },
    );
    return bin;
}

/** Whether this process may lower an oom_score_adj below 0 (CAP_SYS_RESOURCE). */
export async function canLowerOomScore(): Promise<boolean> {
    const r = await run("sh", ["-c", "echo -999 > /proc/self/oom_score_adj"]);
    return r.code === 0;
}

export interface RunResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs a command without blocking the event loop (the loopback mirror lives in this process). */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        // A command that never reads its stdin may exit before we finish writing it.
        child.stdin.on("error", () => undefined);
        child.stdin.end(opts.input ?? "");
    });
}

/** Runs the rendered install script as a node's user data would, rooted at `installRoot`. */
export function runInstallScript(script: string, installRoot: string, caFile: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    return run("bash", ["-s"], {
        input: script,
        env: { PATH: process.env.PATH, INSTALL_ROOT: installRoot, CURL_CA_BUNDLE: caFile, TMPDIR: path.dirname(installRoot), ...env },
    });
}

const PROTO = path.join(__dirname, "cri-subset.proto");

export type Cri = Record<string, (req: object) => Promise<any>>;

export interface Containerd {
    dir: string;
    cri: Cri;
    log(): string;
    /** Stops containerd (SIGTERM, then SIGKILL); its shims and sandboxes keep running. */
    stop(): Promise<void>;
}

/** Starts containerd with `config`; resolves once its CRI answers Version. */
export async function startContainerd(flavour: ContainerdFlavour, dir: string, config: string, extraPath: string[]): Promise<Containerd> {
    const logFile = path.join(dir, "containerd.log");
    const out = fs.openSync(logFile, "a");
    const env = { ...process.env, PATH: [...extraPath, flavour.shimDir, "/usr/sbin", "/usr/bin", "/sbin", "/bin"].join(":") };
    const child: ChildProcess = spawn(flavour.containerd, ["--config", config], { env, stdio: ["ignore", out, out] });
    fs.closeSync(out);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const socket = path.join(dir, "containerd.sock");
    const cri = criClient(socket);
    const deadline = Date.now() + 30_000;
    for (;;) {
        if (child.exitCode !== null) throw new Error(`containerd exited with ${child.exitCode}:\n${tail(logFile)}`);
        try {
            if (fs.existsSync(socket)) {
                await cri.Version({ version: "v1" });
                break;
            }
        } catch {
            // not serving CRI yet
        }
        if (Date.now() > deadline) throw new Error(`containerd did not serve CRI within 30 s:\n${tail(logFile)}`);
        await sleep(200);
    }
    return {
        dir,
        cri,
        log: () => fs.readFileSync(logFile, "utf8"),
        async stop() {
            if (child.exitCode === null) {
                child.kill("SIGTERM");
                const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
                await exited;
                clearTimeout(killer);
            }
        },
    };
}

function criClient(socket: string): Cri {
    const def = protoLoader.loadSync(PROTO, { keepCase: true, enums: String, longs: Number, defaults: true });
    const pkg = grpc.loadPackageDefinition(def) as any;
    const client = new pkg.runtime.v1.RuntimeService(`unix://${socket}`, grpc.credentials.createInsecure());
    const cri: Cri = {};
    for (const method of Object.keys(pkg.runtime.v1.RuntimeService.service)) {
        cri[method] = (req: object) =>
            new Promise((resolve, reject) =>
                client[method](req, { deadline: Date.now() + 60_000 }, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))),
            );
    }
    return cri;
}

/**
 * Kills, by PID, the processes this suite left running under `dir`: shims and sandboxes
 * outlive containerd by design, and a shim whose start answer containerd 1.6 could not read
 * is never told to exit. Only processes whose command line names `dir` are touched.
 */
export function killLeftovers(dir: string): number[] {
    const killed: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        const pid = Number(entry);
        if (!Number.isInteger(pid) || pid === process.pid) continue;
        let cmdline: string;
        try {
            cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
            continue;
        }
        if (!cmdline.includes(dir)) continue;
        try {
            process.kill(pid, "SIGKILL");
            killed.push(pid);
        } catch {
            // already gone
        }
    }
    return killed;
}

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}

function tail(file: string): string {
    try {
        return fs.readFileSync(file, "utf8").split("\n").slice(-30).join("\n");
    } catch {
        return "(no log)";
    }
}
