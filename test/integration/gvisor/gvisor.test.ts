// Issue 6 (and issue 9's real run): the gVisor node bootstrap the component renders, proven on
// real parts. The SAME install script the EKS pool puts in user data installs a Go-built gVisor
// from a loopback mirror laid out like gVisor's bucket; containerd starts with the SAME
// runtime fragment merged the way nodeadm merges it; pods go through CRI like kubelet's.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    GVISOR_INSTALL_DIR,
    RUNSC_CONFIG_PATH,
    renderContainerdRuntimeToml,
    renderGvisorInstallScript,
    renderRunscToml,
} from "../../../components/aws/gvisorBootstrap";
import { GVISOR_HANDLER } from "../../../components/isolation";
import { gvisorCheckScript } from "../../../components/kubernetes/verification";
import { COMMON_PARTS, FLAVOURS, GVISOR_BIN, flavourParts, requireParts } from "./binaries";
import { buildImages } from "./images";
import { Mirror, sha512, startMirror } from "./mirror";
import { Containerd, baseConfig, canLowerOomScore, killLeftovers, mergeFragment, run, runInstallScript, startContainerd, shimOomStandIn, writeConfig } from "./node";
import { removeSandbox, runPod, runSandbox } from "./pods";

const ARCH = os.arch() === "arm64" ? "aarch64" : "x86_64";
const RELEASE = "20261005.0";
/** gVisor's shim, started by containerd, failing to lower its own oom_score_adj. */
const SHIM_OOM_ERROR = /io\.containerd\.runsc\.v1: failed to set OOM Score on shim: write \/proc\/\d+\/oom_score_adj: permission denied/;
/** containerd 1.6 taking the JSON bootstrap answer of a started gVisor shim for a socket path. */
const SHIM_JSON_UNREAD = /failed to start shim: start failed: dial unix \x00?\{"version":2,"address":"unix:\/\/\/run\/containerd\/s\/[0-9a-f]+","protocol":"ttrpc"\}: connect: invalid argument/;

/** Every file, folder and link under `dir` with its mode and content digest. */
function snapshot(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string): void => {
        for (const name of fs.readdirSync(d).sort()) {
            const p = path.join(d, name);
            const st = fs.lstatSync(p);
            const rel = path.relative(dir, p);
            if (st.isDirectory()) {
                out[rel] = `dir ${(st.mode & 0o7777).toString(8)}`;
                walk(p);
            } else if (st.isSymbolicLink()) {
                out[rel] = `link ${fs.readlinkSync(p)}`;
            } else {
                out[rel] = `file ${(st.mode & 0o7777).toString(8)} ${sha512(fs.readFileSync(p))}`;
            }
        }
    };
    if (fs.existsSync(dir)) walk(dir);
    return out;
}

/** A bzip2 tarball of `files` (name -> content, mode 0755), members named like gVisor's. */
function tarball(dir: string, files: Record<string, Buffer | string>): Buffer {
    const stage = fs.mkdtempSync(path.join(dir, "tarball-"));
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(stage, name)), { recursive: true });
        fs.writeFileSync(path.join(stage, name), content, { mode: 0o755 });
    }
    const out = `${stage}.tar.bz2`;
    execFileSync("tar", ["-cjf", out, "-C", stage, ...Object.keys(files).map((f) => f.split("/")[0]).filter((v, i, a) => a.indexOf(v) === i)]);
    fs.rmSync(stage, { recursive: true, force: true });
    return fs.readFileSync(out);
}

function fakeBinary(text: string): string {
    return `#!/bin/sh\necho "${text}"\n`;
}

describe("gVisor node bootstrap on real containerd and gVisor", function () {
    this.timeout(600_000);
    let work: string;
    let mirror: Mirror;
    let releaseTarball: Buffer;

    before(async function () {
        requireParts(this, COMMON_PARTS);
        work = fs.mkdtempSync(path.join("/var/tmp", "sandbox-clusters-gvisor-"));
        mirror = await startMirror(path.join(work, "mirror"));
        releaseTarball = tarball(work, {
            runsc: fs.readFileSync(path.join(GVISOR_BIN, "runsc")),
            "containerd-shim-runsc-v1": fs.readFileSync(path.join(GVISOR_BIN, "containerd-shim-runsc-v1")),
        });
        mirror.publish(RELEASE, ARCH, "gvisor.tar.bz2", releaseTarball);
    });

    after(async () => {
        await mirror?.close();
        // SANDBOX_KEEP_WORK=1 keeps the scratch directory (containerd logs) for debugging.
        if (work && process.env.SANDBOX_KEEP_WORK !== "1") fs.rmSync(work, { recursive: true, force: true });
    });

    /** The install script for the test release, with its tarball's digest pinned. */
    function pinnedScript(): string {
        return renderGvisorInstallScript({ release: RELEASE, mirror: mirror.url, sha512: { [ARCH]: { "gvisor.tar.bz2": sha512(releaseTarball) } } });
    }

    describe("install script", () => {
        let root: string;
        before(() => {
            root = path.join(work, "install-root");
        });

        it("installs runsc and the shim from a verified release tarball and writes runsc.toml", async () => {
            const r = await runInstallScript(pinnedScript(), root, mirror.caFile);
            assert.equal(r.code, 0, r.stderr);
            for (const bin of ["runsc", "containerd-shim-runsc-v1"]) {
                const installed = path.join(root, GVISOR_INSTALL_DIR, bin);
                assert.equal(sha512(fs.readFileSync(installed)), sha512(fs.readFileSync(path.join(GVISOR_BIN, bin))), bin);
                assert.equal(fs.statSync(installed).mode & 0o777, 0o755, bin);
            }
            assert.equal(fs.readFileSync(path.join(root, RUNSC_CONFIG_PATH), "utf8"), renderRunscToml());
            assert.ok(!mirror.log.some((l) => l.includes("gvisor.tar.bz2.sha512")), "a pinned digest must not fetch the mirror's .sha512");
        });

        it("leaves the same state when it runs again, without downloading", async () => {
            const before = snapshot(root);
            const downloads = mirror.log.length;
            const r = await runInstallScript(pinnedScript(), root, mirror.caFile);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stderr, new RegExp(`gVisor ${RELEASE.replace(".", "\\.")} already installed`));
            assert.deepEqual(snapshot(root), before);
            assert.equal(mirror.log.length, downloads);
        });

        it("fails on a checksum mismatch against the mirror's .sha512 and installs nothing", async () => {
            mirror.publish("20261006.0", ARCH, "gvisor.tar.bz2", releaseTarball, { wrongSha512: true });
            const script = renderGvisorInstallScript({ release: "20261006.0", mirror: mirror.url });
            const fresh = path.join(work, "mismatch-root");
            const r1 = await runInstallScript(script, fresh, mirror.caFile);
            assert.equal(r1.code, 1);
            assert.match(r1.stderr, /ERROR: checksum mismatch for gvisor\.tar\.bz2: expected sha512 [0-9a-f]{128}, got [0-9a-f]{128}; nothing installed/);
            assert.deepEqual(Object.keys(snapshot(fresh)).filter((p) => !fs.statSync(path.join(fresh, p)).isDirectory()), []);

            const before = snapshot(root);
            const r2 = await runInstallScript(script, root, mirror.caFile);
            assert.equal(r2.code, 1);
            assert.deepEqual(snapshot(root), before, "an upgrade that fails verification must leave the installed release alone");
        });

        it("refuses a download whose digest differs from the pinned one, even when the mirror's .sha512 agrees", async () => {
            const script = renderGvisorInstallScript({ release: RELEASE, mirror: mirror.url, sha512: { [ARCH]: { "gvisor.tar.bz2": "0".repeat(128) } } });
            const fresh = path.join(work, "pinned-root");
            const r = await runInstallScript(script, fresh, mirror.caFile);
            assert.equal(r.code, 1);
            assert.match(r.stderr, new RegExp(`checksum mismatch for gvisor.tar.bz2: expected sha512 ${"0".repeat(128)}`));
            assert.ok(!fs.existsSync(path.join(fresh, GVISOR_INSTALL_DIR, "runsc")));
        });

        it("installs a release published as separate files (releases up to 20260817)", async () => {
            for (const bin of ["runsc", "containerd-shim-runsc-v1"]) mirror.publish("20260810.0", ARCH, bin, fs.readFileSync(path.join(GVISOR_BIN, bin)));
            const fresh = path.join(work, "files-root");
            const r = await runInstallScript(renderGvisorInstallScript({ release: "20260810.0", mirror: mirror.url }), fresh, mirror.caFile);
            assert.equal(r.code, 0, r.stderr);
            const v = await run(path.join(fresh, GVISOR_INSTALL_DIR, "runsc"), ["--version"]);
            assert.match(v.stdout, /^runsc version /);
        });

        it("puts a release's gvisor-bin/ sidecars next to runsc and replaces an older set whole", async () => {
            const fresh = path.join(work, "sidecar-root");
            const release = (n: string, sidecars: Record<string, string>): string => {
                const files: Record<string, string> = { runsc: fakeBinary(`runsc version ${n}`), "containerd-shim-runsc-v1": fakeBinary("shim") };
                for (const [k, v] of Object.entries(sidecars)) files[`gvisor-bin/${k}`] = v;
                mirror.publish(n, ARCH, "gvisor.tar.bz2", tarball(work, files));
                return renderGvisorInstallScript({ release: n, mirror: mirror.url });
            };
            assert.equal((await runInstallScript(release("20261012.0", { gvisor_sentry: "old", checkpointgofer: "old" }), fresh, mirror.caFile)).code, 0);
            const r = await runInstallScript(release("20261019.0", { gvisor_sentry: "new" }), fresh, mirror.caFile);
            assert.equal(r.code, 0, r.stderr);
            const bin = path.join(fresh, GVISOR_INSTALL_DIR);
            assert.deepEqual(fs.readdirSync(path.join(bin, "gvisor-bin")), ["gvisor_sentry"]);
            assert.equal(fs.readFileSync(path.join(bin, "gvisor-bin", "gvisor_sentry"), "utf8"), "new");
            assert.equal((await run(path.join(bin, "runsc"), ["--version"])).stdout, "runsc version 20261019.0\n");
            assert.deepEqual(fs.readdirSync(bin).filter((n) => n.startsWith(".gvisor-")), [".gvisor-release"], "no staging leftovers");
        });

        it("refuses a tarball with members outside runsc, the shim and gvisor-bin/", async () => {
            mirror.publish("20261026.0", ARCH, "gvisor.tar.bz2", tarball(work, { runsc: fakeBinary("x"), "containerd-shim-runsc-v1": fakeBinary("y"), "etc/cron.d/evil": "x" }));
            const fresh = path.join(work, "evil-root");
            const r = await runInstallScript(renderGvisorInstallScript({ release: "20261026.0", mirror: mirror.url }), fresh, mirror.caFile);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /unexpected member etc\/? in gvisor\.tar\.bz2; nothing installed/);
            assert.ok(!fs.existsSync(path.join(fresh, GVISOR_INSTALL_DIR, "runsc")));
        });

        it("retries a failing download, then gives up naming the URL", async () => {
            const script = renderGvisorInstallScript({ release: "20261102.0", mirror: mirror.url, downloadAttempts: 2 });
            const r = await runInstallScript(script, path.join(work, "missing-root"), mirror.caFile);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /download of \S+\/20261102\.0\/\w+\/gvisor\.tar\.bz2 failed \(attempt 1 of 2\); retrying in 1 s/);
            assert.match(r.stderr, /ERROR: could not download \S+\/gvisor\.tar\.bz2 after 2 attempts/);
            assert.equal(mirror.log.filter((l) => l.includes("/20261102.0/")).length, 2);
        });
    });

    for (const flavour of FLAVOURS) {
        describe(flavour.title, () => {
            let dir: string;
            let root: string;
            let config: string;
            let node: Containerd | undefined;
            /** Why a runsc pod sandbox could not start, when it could not. */
            let shimError: string | undefined;

            /** Folders put before the install dir on containerd's PATH. */
            let pathPrefix: string[] = [];

            const start = async (): Promise<Containerd> => {
                node = await startContainerd(flavour, dir, config, [...pathPrefix, path.join(root, GVISOR_INSTALL_DIR)]);
                return node;
            };

            before(async function () {
                requireParts(this, flavourParts(flavour));
                dir = path.join(work, flavour.id);
                root = path.join(dir, "node");
                fs.mkdirSync(dir, { recursive: true });
                const installed = await runInstallScript(pinnedScript(), root, mirror.caFile);
                assert.equal(installed.code, 0, installed.stderr);
                const runscToml = path.join(root, RUNSC_CONFIG_PATH);
                const fragment = renderContainerdRuntimeToml({ runscConfigPath: runscToml }, flavour.configVersion);
                const merged = mergeFragment(baseConfig(dir, flavour.configVersion), fragment);
                config = writeConfig(dir, "config.toml", merged);
                await start();
                const images = buildImages(path.join(dir, "images"));
                for (const tar of [images.pause, images.test]) {
                    const r = await run(flavour.ctr, ["--address", path.join(dir, "containerd.sock"), "-n", "k8s.io", "images", "import", tar]);
                    assert.equal(r.code, 0, r.stderr);
                }
                shimError = await probeGvisorShim();
                if (shimError && SHIM_OOM_ERROR.test(shimError) && !(await canLowerOomScore())) {
                    console.log(`      note: no CAP_SYS_RESOURCE here (${shimError.match(SHIM_OOM_ERROR)![0]}); the shim runs through shimOomStandIn (node.ts)`);
                    await node!.stop();
                    pathPrefix = [shimOomStandIn(dir, path.join(root, GVISOR_INSTALL_DIR, "containerd-shim-runsc-v1"))];
                    await start();
                    shimError = await probeGvisorShim();
                }
            });

            after(async () => {
                await node?.stop();
                if (dir) {
                    killLeftovers(dir);
                    unmountUnder(dir);
                }
            });

            /** Starts and removes a runsc pod sandbox; returns the error, if any. */
            async function probeGvisorShim(): Promise<string | undefined> {
                try {
                    const probe = await runSandbox(node!.cri, GVISOR_HANDLER, "shim-probe", dir);
                    await removeSandbox(node!.cri, probe.id);
                    return undefined;
                } catch (e) {
                    return (e as Error).message;
                }
            }

            if (!flavour.readsShimBootstrapJson) {
                it("starts gVisor's shim for handler runsc, whose JSON bootstrap answer containerd 1.6 cannot read (current gVisor needs containerd >= 1.7)", () => {
                    assert.match(shimError ?? "the pod sandbox started", SHIM_JSON_UNREAD);
                });

                it("runs a runc pod on the same containerd on the host kernel, where gvisorCheckScript() fails", async () => {
                    const pod = await runPod(node!.cri, "runc", "runc-uname", dir, ["/bin/sh", "-c", "uname -r"]);
                    assert.equal(pod.output, `${os.release()}\n`);
                    const control = await runPod(node!.cri, "runc", "verify-runc", dir, ["/bin/sh", "-c", gvisorCheckScript()]);
                    assert.notEqual(control.exitCode, 0, control.output);
                    assert.match(control.output, /^sandbox-verify runtime=gvisor class=gvisor node=unknown result=FAIL /);
                });

                it("refuses a pod naming a runtime handler it does not know", async () => {
                    await assert.rejects(
                        node!.cri.RunPodSandbox({ config: { metadata: { name: "unknown", uid: "u-1", namespace: "t", attempt: 0 } }, runtime_handler: "no-such-handler" }),
                        /no runtime for "no-such-handler" is configured/,
                    );
                });

                it("keeps the runsc handler after containerd restarts (it starts gVisor's shim again)", async () => {
                    await node!.stop();
                    await start();
                    assert.match((await probeGvisorShim()) ?? "the pod sandbox started", SHIM_JSON_UNREAD);
                });
                return;
            }

            it("starts pod sandboxes with handler runsc through gVisor's shim", () => {
                assert.equal(shimError, undefined);
            });

            it("runs a pod with handler runsc under gVisor: its dmesg shows gVisor's boot lines", async () => {
                const pod = await runPod(node!.cri, GVISOR_HANDLER, "gvisor-dmesg", dir, ["/bin/sh", "-c", "dmesg; uname -r"]);
                assert.equal(pod.exitCode, 0, pod.output);
                assert.match(pod.output, /Starting gVisor\.\.\./);
                assert.notEqual(pod.output.trim().split("\n").pop(), os.release());
            });

            it("runs a runc pod on the same containerd on the host kernel", async () => {
                const pod = await runPod(node!.cri, "runc", "runc-uname", dir, ["/bin/sh", "-c", "uname -r; dmesg 2>&1 | head -n 3"]);
                assert.equal(pod.exitCode, 0, pod.output);
                assert.equal(pod.output.split("\n")[0], os.release());
                assert.doesNotMatch(pod.output, /Starting gVisor/);
            });

            it("refuses a pod naming a runtime handler it does not know", async () => {
                await assert.rejects(
                    node!.cri.RunPodSandbox({ config: { metadata: { name: "unknown", uid: "u-1", namespace: "t", attempt: 0 } }, runtime_handler: "no-such-handler" }),
                    /no runtime for "no-such-handler" is configured/,
                );
            });

            it("keeps the runsc handler after containerd restarts", async () => {
                await node!.stop();
                await start();
                const pod = await runPod(node!.cri, GVISOR_HANDLER, "after-restart", dir, ["/bin/sh", "-c", "dmesg"]);
                assert.match(pod.output, /Starting gVisor\.\.\./);
            });

            it("passes gvisorCheckScript() inside gVisor and fails it under runc (the negative control)", async () => {
                const sandboxed = await runPod(node!.cri, GVISOR_HANDLER, "verify-gvisor", dir, ["/bin/sh", "-c", gvisorCheckScript()]);
                assert.equal(sandboxed.exitCode, 0, sandboxed.output);
                assert.match(sandboxed.output, /^sandbox-verify runtime=gvisor class=gvisor node=unknown result=PASS evidence="dmesg: \[ *[0-9.]+\] Starting gVisor\.\.\./);
                const control = await runPod(node!.cri, "runc", "verify-runc", dir, ["/bin/sh", "-c", gvisorCheckScript()]);
                assert.notEqual(control.exitCode, 0, control.output);
                assert.match(control.output, /^sandbox-verify runtime=gvisor class=gvisor node=unknown result=FAIL /);
            });
        });
    }
});

/** Lazily unmounts whatever a failed test left mounted under `dir`, so it can be removed. */
function unmountUnder(dir: string): void {
    const mounts = fs
        .readFileSync("/proc/self/mounts", "utf8")
        .split("\n")
        .map((l) => l.split(" ")[1])
        .filter((m) => m && m.startsWith(dir))
        .sort()
        .reverse();
    for (const m of mounts) {
        try {
            execFileSync("umount", ["-l", m]);
        } catch {
            // already gone
        }
    }
}
