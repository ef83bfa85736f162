// A workload image for the pod benchmarks, built locally from Debian packages installed on this
// machine (nothing is pulled): the files of Python 3, GCC, binutils, libc6-dev and coreutils and
// every package they depend on (dpkg's own lists, `dpkg -L`), docs and translations left out,
// plus busybox-static for the shell. Packed as a docker archive for `ctr images import`, like the
// busybox test image (test/support/gvisor/images.ts). Cached by package versions.
import { execFileSync, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { dockerArchive } from "../test/support/gvisor/images";

export const WORKLOAD_IMAGE = "sandbox-clusters.test/workloads:1";

/** The packages the workloads need; their dependencies come along. */
const ROOTS = ["python3-minimal", "libpython3.11-stdlib", "gcc", "libc6-dev", "binutils", "coreutils"];
const SKIP = /^\/usr\/share\/(doc|man|info|locale|lintian|bug)\//;
/** Commands linked into /usr/bin from busybox-static (the rest come from the packages). */
const APPLETS = ["sh", "date", "cat", "echo", "sleep", "true", "uname", "head", "tail", "wc", "rm", "mkdir", "expr", "seq"];

function dpkgQuery(format: string, pkg: string): string | undefined {
    const r = spawnSync("dpkg-query", ["-W", `-f=${format}`, pkg], { encoding: "utf8" });
    return r.status === 0 ? r.stdout : undefined;
}

function installed(pkg: string): boolean {
    return dpkgQuery("${Status}", pkg)?.includes("install ok installed") ?? false;
}

/** ROOTS and everything they depend on, as installed here (first installed alternative). */
function closure(): string[] {
    const seen = new Set<string>();
    const stack = ROOTS.filter((p) => {
        if (!installed(p)) throw new Error(`Debian package ${p} is not installed; apt-get install ${ROOTS.join(" ")} busybox-static`);
        return true;
    });
    while (stack.length > 0) {
        const p = stack.pop()!;
        if (seen.has(p)) continue;
        seen.add(p);
        for (const alternatives of (dpkgQuery("${Depends},${Pre-Depends}", p) ?? "").split(",")) {
            const pick = alternatives
                .split("|")
                .map((a) => a.replace(/\(.*?\)/g, "").trim().split(":")[0])
                .find((a) => a !== "" && installed(a));
            if (pick) stack.push(pick);
        }
    }
    return [...seen].sort();
}

/** Builds (or reuses) the image tarball under `cacheDir`; returns its path. */
export function buildWorkloadImage(cacheDir: string): string {
    const packages = closure();
    const versions = packages.map((p) => `${p}=${dpkgQuery("${Version}", p)}`).join("\n");
    const key = crypto.createHash("sha256").update(versions).update(fs.readFileSync("/usr/bin/busybox")).digest("hex").slice(0, 16);
    const dir = path.join(cacheDir, `workload-image-${key}`);
    const archive = path.join(dir, "workloads.tar");
    if (fs.existsSync(path.join(dir, "packages.txt"))) return archive;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const files = new Set<string>();
    for (const p of packages) {
        for (const f of execFileSync("dpkg", ["-L", p], { encoding: "utf8" }).split("\n")) {
            if (f.startsWith("/") && !SKIP.test(f) && fs.existsSync(f) && !fs.statSync(f).isDirectory()) files.add(f.slice(1));
        }
    }
    const list = path.join(dir, "files");
    fs.writeFileSync(list, [...files].sort().join("\n") + "\n");
    const rootfs = path.join(dir, "rootfs");
    for (const d of ["tmp", "proc", "sys", "dev", "etc", "work"]) fs.mkdirSync(path.join(rootfs, d), { recursive: true });
    fs.chmodSync(path.join(rootfs, "tmp"), 0o1777);
    // Merged /usr like Debian 12: /bin, /lib, /lib64, /sbin are links into /usr.
    for (const d of ["bin", "lib", "lib64", "sbin"]) {
        fs.mkdirSync(path.join(rootfs, "usr", d), { recursive: true });
        fs.symlinkSync(`usr/${d}`, path.join(rootfs, d));
    }
    execFileSync("tar", ["-C", "/", "--no-recursion", "-T", list, "-cf", path.join(dir, "files.tar")]);
    // Debian's merged-/usr packages list some files under /bin and /lib: unpack those into /usr.
    execFileSync("tar", ["-C", rootfs, "--keep-directory-symlink", "-xf", path.join(dir, "files.tar")]);
    fs.copyFileSync("/usr/bin/busybox", path.join(rootfs, "usr", "bin", "busybox"));
    fs.chmodSync(path.join(rootfs, "usr", "bin", "busybox"), 0o755);
    for (const a of APPLETS) {
        const at = path.join(rootfs, "usr", "bin", a);
        if (!fs.existsSync(at)) fs.symlinkSync("busybox", at);
    }
    fs.writeFileSync(path.join(rootfs, "etc", "passwd"), "root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
    fs.writeFileSync(path.join(rootfs, "etc", "hosts"), "127.0.0.1 localhost\n");
    const layer = path.join(dir, "layer.tar");
    execFileSync("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-cf", layer, "-C", rootfs, "."]);
    const layerBytes = fs.readFileSync(layer);
    const diffId = `sha256:${crypto.createHash("sha256").update(layerBytes).digest("hex")}`;
    const built = dockerArchive(dir, "workloads", WORKLOAD_IMAGE, layerBytes, diffId, ["/bin/sh"]);
    fs.renameSync(built, archive);
    for (const f of ["files", "files.tar", "layer.tar"]) fs.rmSync(path.join(dir, f), { force: true });
    fs.rmSync(rootfs, { recursive: true, force: true });
    fs.rmSync(path.join(dir, "workloads-archive"), { recursive: true, force: true });
    fs.writeFileSync(path.join(dir, "packages.txt"), versions + "\n");
    return archive;
}
