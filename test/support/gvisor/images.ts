// Container images built locally (no registry is reachable): one busybox-static layer with
// the applets the verification scripts use, packed as docker-archive tarballs that
// `ctr -n k8s.io images import` reads. The pause image is the same layer whose command
// sleeps until it is told to stop.
import { execFileSync, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export const TEST_IMAGE = "sandbox-clusters.test/busybox:1";
export const PAUSE_IMAGE = "sandbox-clusters.test/pause:1";

/** busybox applets linked into /bin: what the tests, gvisorCheckScript() and networkProbeScript() call. */
const APPLETS = ["sh", "dmesg", "uname", "grep", "sed", "tr", "head", "cat", "sleep", "true", "dd", "echo", "printf", "wait", "kill", "nc", "date", "httpd"];

const PAUSE_COMMAND = ["/bin/sh", "-c", 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'];

/** Writes both image tarballs into `dir` and returns their paths. */
export function buildImages(dir: string, busybox = "/usr/bin/busybox"): { test: string; pause: string } {
    // The image has no libc: busybox must be Debian's busybox-static, not the dynamic `busybox`.
    if (spawnSync("ldd", [busybox], { encoding: "utf8" }).stdout.includes("=>")) {
        throw new Error(`${busybox} is dynamically linked; apt-get install busybox-static`);
    }
    const rootfs = path.join(dir, "rootfs");
    fs.rmSync(rootfs, { recursive: true, force: true });
    for (const d of ["bin", "proc", "sys", "dev", "etc", "tmp"]) fs.mkdirSync(path.join(rootfs, d), { recursive: true });
    fs.copyFileSync(busybox, path.join(rootfs, "bin", "busybox"));
    fs.chmodSync(path.join(rootfs, "bin", "busybox"), 0o755);
    for (const a of APPLETS) fs.symlinkSync("busybox", path.join(rootfs, "bin", a));
    fs.writeFileSync(path.join(rootfs, "etc", "passwd"), "root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
    const layer = path.join(dir, "layer.tar");
    execFileSync("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-cf", layer, "-C", rootfs, "."]);
    const layerBytes = fs.readFileSync(layer);
    const diffId = `sha256:${crypto.createHash("sha256").update(layerBytes).digest("hex")}`;
    return {
        test: dockerArchive(dir, "test", TEST_IMAGE, layerBytes, diffId, ["/bin/sh"]),
        pause: dockerArchive(dir, "pause", PAUSE_IMAGE, layerBytes, diffId, PAUSE_COMMAND),
    };
}

/** A docker-archive tarball (what `ctr images import` reads) of one layer, tagged `ref`. */
export function dockerArchive(dir: string, name: string, ref: string, layer: Buffer, diffId: string, cmd: string[]): string {
    const stage = path.join(dir, `${name}-archive`);
    fs.rmSync(stage, { recursive: true, force: true });
    fs.mkdirSync(stage, { recursive: true });
    const config = {
        architecture: goArch(),
        os: "linux",
        config: { Cmd: cmd, Env: ["PATH=/bin"], WorkingDir: "/" },
        rootfs: { type: "layers", diff_ids: [diffId] },
        history: [{ created_by: "sandbox-clusters test image (busybox-static)" }],
    };
    const configJson = Buffer.from(JSON.stringify(config));
    const configName = `${crypto.createHash("sha256").update(configJson).digest("hex")}.json`;
    fs.writeFileSync(path.join(stage, configName), configJson);
    fs.writeFileSync(path.join(stage, "layer.tar"), layer);
    fs.writeFileSync(path.join(stage, "manifest.json"), JSON.stringify([{ Config: configName, RepoTags: [ref], Layers: ["layer.tar"] }]));
    const out = path.join(dir, `${name}.tar`);
    execFileSync("tar", ["-cf", out, "-C", stage, "."]);
    return out;
}

function goArch(): string {
    return process.arch === "x64" ? "amd64" : process.arch;
}
