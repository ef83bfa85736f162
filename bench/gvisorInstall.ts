// Benchmark: what the gVisor install adds to a node's boot. The install script the EKS pool
// renders runs against a loopback HTTPS mirror holding a release laid out like gVisor's own
// (`gvisor.tar.zstd` and `gvisor.tar.bz2` of runsc, containerd-shim-runsc-v1 and gvisor-bin/
// sidecars, built from the pinned Go branch), into a scratch root that containerd 2.x serves
// with the rendered runtime fragment. Per run: download, verify, unpack, the proof sandbox,
// then the first runsc pod sandbox through CRI (the handler is ready). Compares, in one run:
//
//   before        the install script of commit BEFORE_COMMIT (bzip2, members listed then
//                 unpacked: two decompressions; `runsc --version` only)
//   after, bzip2  today's script on a node without zstd (one decompression, hash while downloading)
//   after, zstd   today's script where zstd is installed (the default path when zstd is there)
//
//   npm run bench:gvisor-install -- [runs]     (root; default 3 runs)
//
// Needs the `gvisor` and `containerd` build sets, zstd, bzip2, runc and busybox-static.
// Tarballs are cached under $SANDBOX_CLUSTERS_CACHE/bench (minutes to compress; zstd at -9: gVisor's level is not published, and zstd unpacks at about the same speed at any level).
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GVISOR_INSTALL_DIR, RUNSC_CONFIG_PATH, renderContainerdRuntimeToml, renderGvisorInstallScript } from "../components/aws/gvisorBootstrap";
import { GVISOR_HANDLER } from "../components/isolation";
import { CACHE, FLAVOURS, GVISOR_BIN } from "../test/support/gvisor/binaries";
import { buildImages } from "../test/support/gvisor/images";
import { startMirror, sha512 } from "../test/support/gvisor/mirror";
import { baseConfig, canLowerOomScore, killLeftovers, mergeFragment, run, shimOomStandIn, startContainerd, writeConfig } from "../test/support/gvisor/node";
import { removeSandbox, runSandbox } from "../test/support/gvisor/pods";

/** The last commit before the install was made fast: its renderer is the "before". */
const BEFORE_COMMIT = "3b769c6fdc0b83f06030cec708ffdad34cf93e27";
const RELEASE = "20261005.0";
const ARCH = os.arch() === "arm64" ? "aarch64" : "x86_64";
/** The Go branch ships checkpointgofer prebuilt; the release puts it in gvisor-bin/. */
const CHECKPOINTGOFER = path.join(
    execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim(),
    "gvisor.dev",
    `gvisor@${/gvisor\.dev\/gvisor (\S+)/.exec(fs.readFileSync(path.join(__dirname, "..", "test", "tools", "gvisor", "go.mod"), "utf8"))![1]}`,
    "runsc",
    "checkpointgofer",
    "checkpointgofer.bin",
);

interface Variant {
    name: string;
    script: string;
    /** PATH for the script (a node without zstd gets one without it). */
    path: string;
}

interface RunResult {
    installMs: number;
    cpuMs: number;
    /** Install plus the first runsc pod sandbox through CRI. */
    readyMs: number;
    phases: string[];
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The release tarballs, laid out like gVisor's (runsc, the shim, gvisor-bin/ with
 * gvisor_sentry, checkpointgofer and runsc-metric-server): the sentry and metric server
 * sidecars are copies of the Go-built runsc, which carries both (about the size the release
 * publishes: ~140 MB as .tar.bz2). Cached by content.
 */
function releaseTarballs(): { zstd: Buffer; bz2: Buffer; members: Record<string, number> } {
    const sources: Record<string, string> = {
        runsc: path.join(GVISOR_BIN, "runsc"),
        "containerd-shim-runsc-v1": path.join(GVISOR_BIN, "containerd-shim-runsc-v1"),
        "gvisor-bin/gvisor_sentry": path.join(GVISOR_BIN, "runsc"),
        "gvisor-bin/checkpointgofer": CHECKPOINTGOFER,
        "gvisor-bin/runsc-metric-server": path.join(GVISOR_BIN, "runsc"),
    };
    const key = crypto.createHash("sha256");
    for (const [name, src] of Object.entries(sources)) key.update(name).update(fs.readFileSync(src));
    const dir = path.join(CACHE, "bench", `gvisor-release-${key.digest("hex").slice(0, 16)}`);
    if (!fs.existsSync(path.join(dir, ".complete"))) {
        const stage = path.join(dir, "stage");
        fs.rmSync(dir, { recursive: true, force: true });
        for (const [name, src] of Object.entries(sources)) {
            fs.mkdirSync(path.dirname(path.join(stage, name)), { recursive: true });
            fs.copyFileSync(src, path.join(stage, name));
            fs.chmodSync(path.join(stage, name), 0o755);
        }
        const tar = path.join(dir, "gvisor.tar");
        execFileSync("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "-cf", tar, "-C", stage, "runsc", "containerd-shim-runsc-v1", "gvisor-bin"]);
        console.error("bench: compressing the release tarballs once (zstd -9, bzip2 -9; minutes)...");
        execFileSync("zstd", ["-q", "-9", "-T0", "-k", tar, "-o", path.join(dir, "gvisor.tar.zstd")]);
        execFileSync("bzip2", ["-9", "-k", tar]);
        fs.renameSync(`${tar}.bz2`, path.join(dir, "gvisor.tar.bz2"));
        fs.rmSync(stage, { recursive: true, force: true });
        fs.rmSync(tar);
        fs.writeFileSync(path.join(dir, ".complete"), "");
    }
    const members = Object.fromEntries(Object.entries(sources).map(([n, s]) => [n, fs.statSync(s).size]));
    return { zstd: fs.readFileSync(path.join(dir, "gvisor.tar.zstd")), bz2: fs.readFileSync(path.join(dir, "gvisor.tar.bz2")), members };
}

/** The install script renderer as it was at `commit`, loaded from git. */
function rendererAt(commit: string, scratch: string): typeof renderGvisorInstallScript {
    const dir = path.join(scratch, `renderer-${commit.slice(0, 8)}`);
    fs.mkdirSync(dir, { recursive: true });
    execFileSync("sh", ["-c", `git -C "${path.join(__dirname, "..")}" archive ${commit} components | tar -x -C "${dir}"`]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(dir, "components", "aws", "gvisorBootstrap.ts")).renderGvisorInstallScript;
}

/** A folder of links to every command on PATH except `command`. */
function pathWithout(dir: string, command: string): string {
    const bin = path.join(dir, `path-without-${command}`);
    fs.mkdirSync(bin, { recursive: true });
    for (const d of (process.env.PATH ?? "").split(":")) {
        if (!d || !fs.existsSync(d)) continue;
        for (const name of fs.readdirSync(d)) {
            if (name !== command && !fs.existsSync(path.join(bin, name))) fs.symlinkSync(path.join(d, name), path.join(bin, name));
        }
    }
    return bin;
}

function machine(): string {
    const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown CPU";
    return `${os.cpus().length} vCPU (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}`;
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

async function main(): Promise<void> {
    const runs = Number(process.argv[2] ?? 3);
    const scratch = fs.mkdtempSync(path.join("/var/tmp", "sandbox-clusters-bench-install-"));
    const loadBefore = load();
    const flavour = FLAVOURS.find((f) => f.configVersion === 3)!;
    const mirror = await startMirror(path.join(scratch, "mirror"));
    const root = path.join(scratch, "node");
    const bin = path.join(root, GVISOR_INSTALL_DIR);
    let node: Awaited<ReturnType<typeof startContainerd>> | undefined;
    try {
        const tarballs = releaseTarballs();
        mirror.publish(RELEASE, ARCH, "gvisor.tar.zstd", tarballs.zstd);
        mirror.publish(RELEASE, ARCH, "gvisor.tar.bz2", tarballs.bz2);
        const pins = { "gvisor.tar.zstd": sha512(tarballs.zstd), "gvisor.tar.bz2": sha512(tarballs.bz2) };
        const before = rendererAt(BEFORE_COMMIT, scratch);
        const noZstd = pathWithout(scratch, "zstd");
        const variants: Variant[] = [
            { name: "before (bzip2, listed then unpacked)", script: before({ release: RELEASE, mirror: mirror.url, sha512: { [ARCH]: { "gvisor.tar.bz2": pins["gvisor.tar.bz2"] } } }), path: noZstd },
            { name: "after, node without zstd (bzip2)", script: renderGvisorInstallScript({ release: RELEASE, mirror: mirror.url, sha512: { [ARCH]: pins } }), path: noZstd },
            { name: "after, node with zstd", script: renderGvisorInstallScript({ release: RELEASE, mirror: mirror.url, sha512: { [ARCH]: pins } }), path: process.env.PATH! },
        ];

        // containerd 2.x serving the install root, as nodeadm starts it after user data.
        fs.mkdirSync(bin, { recursive: true });
        const runscToml = path.join(root, RUNSC_CONFIG_PATH);
        const config = writeConfig(scratch, "config.toml", mergeFragment(baseConfig(scratch, 3), renderContainerdRuntimeToml({ runscConfigPath: runscToml }, 3)));
        const prefix = (await canLowerOomScore()) ? [] : [shimOomStandIn(scratch, path.join(bin, "containerd-shim-runsc-v1"))];
        node = await startContainerd(flavour, scratch, config, [...prefix, bin]);
        const images = buildImages(path.join(scratch, "images"));
        const imported = await run(flavour.ctr, ["--address", path.join(scratch, "containerd.sock"), "-n", "k8s.io", "images", "import", images.pause]);
        if (imported.code !== 0) throw new Error(imported.stderr);

        const results: Record<string, RunResult[]> = {};
        // Interleaved, so load changes on a shared machine spread over every variant alike.
        for (let i = 0; i < runs; i++) {
            for (const v of variants) {
                fs.rmSync(root, { recursive: true, force: true });
                fs.mkdirSync(bin, { recursive: true });
                const start = process.hrtime.bigint();
                const r = await run("bash", ["-c", 'bash -s; rc=$?; times >&2; exit $rc'], {
                    input: v.script,
                    env: { PATH: v.path, INSTALL_ROOT: root, CURL_CA_BUNDLE: mirror.caFile, TMPDIR: scratch },
                });
                const installMs = Number(process.hrtime.bigint() - start) / 1e6;
                if (r.code !== 0) throw new Error(`${v.name} failed:\n${r.stderr}`);
                const sandbox = await runSandbox(node.cri, GVISOR_HANDLER, `first-${i}-${results[v.name]?.length ?? 0}`, scratch);
                const readyMs = Number(process.hrtime.bigint() - start) / 1e6;
                await removeSandbox(node.cri, sandbox.id);
                // `times`: shell user/sys, then children user/sys (the tools the script ran).
                const children = r.stderr.trim().split("\n").pop()!.split(/\s+/).map((t) => {
                    const m = /^(\d+)m([\d.]+)s$/.exec(t);
                    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
                });
                const phases = [...r.stderr.matchAll(/gvisor-install: (downloaded and verified \S+|unpacked \S+ with \S+|a gVisor sandbox ran|installed gVisor)[^\n]*? at ([\d.]+ s)$/gm)].map((m) => `${m[1]} ${m[2]}`);
                (results[v.name] ??= []).push({ installMs, cpuMs: (children[0] + children[1]) * 1000, readyMs, phases });
            }
        }

        const size = (b: Buffer) => `${(b.length / 1e6).toFixed(0)} MB`;
        const unpacked = Object.values(tarballs.members).reduce((a, b) => a + b, 0);
        console.log(`gVisor install on a node, ${runs} runs each, medians; ${machine()}`);
        console.log(`release layout: ${Object.keys(tarballs.members).join(", ")} (${(unpacked / 1e6).toFixed(0)} MB); gvisor.tar.zstd ${size(tarballs.zstd)}, gvisor.tar.bz2 ${size(tarballs.bz2)}`);
        console.log(`load average before ${loadBefore}, after ${load()}`);
        console.log(`${"variant".padEnd(40)} ${"install".padStart(9)} ${"CPU".padStart(9)} ${"handler ready".padStart(14)}`);
        for (const v of variants) {
            const rs = results[v.name];
            const f = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
            console.log(`${v.name.padEnd(40)} ${f(median(rs.map((r) => r.installMs))).padStart(9)} ${f(median(rs.map((r) => r.cpuMs))).padStart(9)} ${f(median(rs.map((r) => r.readyMs))).padStart(14)}`);
            if (rs[0].phases.length > 0) console.log(`${"".padEnd(40)}   first run: ${rs[0].phases.join("; ")}`);
        }
        console.log(JSON.stringify({ runs, machine: machine(), load: { before: loadBefore, after: load() }, results }));
    } finally {
        await node?.stop();
        await mirror.close();
        killLeftovers(scratch);
        for (const m of fs.readFileSync("/proc/self/mounts", "utf8").split("\n").map((l) => l.split(" ")[1]).filter((mount) => mount?.startsWith(scratch)).reverse()) {
            try {
                execFileSync("umount", ["-l", m]);
            } catch {
                // already gone
            }
        }
        if (process.env.SANDBOX_KEEP_WORK !== "1") fs.rmSync(scratch, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
