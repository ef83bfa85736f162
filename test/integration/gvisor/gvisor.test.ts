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
import { guardedNodeScript } from "../../../components/aws/userdata";
import { GVISOR_HANDLER } from "../../../components/isolation";
import { gvisorCheckScript } from "../../../components/kubernetes/verification";
import { COMMON_PARTS, FLAVOURS, GVISOR_BIN, flavourParts, requireParts } from "../../support/gvisor/binaries";
import { buildImages } from "../../support/gvisor/images";
import { MIRROR_PATH, Mirror, sha512, startMirror } from "../../support/gvisor/mirror";
import { Containerd, baseConfig, canLowerOomScore, killLeftovers, mergeFragment, run, runInstallScript, startContainerd, shimOomStandIn, writeConfig } from "../../support/gvisor/node";
import { removeSandbox, runPod, runSandbox } from "../../support/gvisor/pods";

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

/** A release tarball of `files` (name -> content, mode 0755), members named like gVisor's. */
interface Tarballs {
    "gvisor.tar.zstd": Buffer;
    "gvisor.tar.bz2": Buffer;
}

/** `files` as gVisor publishes a release: the same tar compressed with zstd and with bzip2. */
function tarballs(dir: string, files: Record<string, Buffer | string>): Tarballs {
    const stage = fs.mkdtempSync(path.join(dir, "tarball-"));
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(stage, name)), { recursive: true });
        fs.writeFileSync(path.join(stage, name), content, { mode: 0o755 });
    }
    const tar = `${stage}.tar`;
    execFileSync("tar", ["-cf", tar, "-C", stage, ...Object.keys(files).map((f) => f.split("/")[0]).filter((v, i, a) => a.indexOf(v) === i)]);
    execFileSync("zstd", ["-q", "-T0", "-k", "-f", tar, "-o", `${tar}.zstd`]);
    execFileSync("bzip2", ["-k", "-f", tar]);
    const out = { "gvisor.tar.zstd": fs.readFileSync(`${tar}.zstd`), "gvisor.tar.bz2": fs.readFileSync(`${tar}.bz2`) };
    fs.rmSync(stage, { recursive: true, force: true });
    for (const f of [tar, `${tar}.zstd`, `${tar}.bz2`]) fs.rmSync(f, { force: true });
    return out;
}

function publishTarballs(mirror: Mirror, release: string, t: Tarballs, opts: { wrongSha512?: boolean } = {}): void {
    for (const [name, content] of Object.entries(t)) mirror.publish(release, ARCH, name, content, opts);
}

/**
 * A folder of links to every command on this machine's PATH but `command`: a node without it.
 * Returns a PATH value.
 */
function pathWithout(dir: string, command: string): string {
    const bin = path.join(dir, `path-without-${command}`);
    fs.mkdirSync(bin, { recursive: true });
    for (const d of (process.env.PATH ?? "").split(":")) {
        if (!d || !fs.existsSync(d)) continue;
        for (const name of fs.readdirSync(d)) {
            if (name === command || fs.existsSync(path.join(bin, name))) continue;
            fs.symlinkSync(path.join(d, name), path.join(bin, name));
        }
    }
    return bin;
}

/** A folder whose `systemctl` only records its arguments, so a guard cannot reload this host's systemd. */
function stubSystemctl(dir: string): string {
    const bin = path.join(dir, "stub-systemctl");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "systemctl"), `#!/bin/sh\necho "$@" >>"${bin}/calls"\n`, { mode: 0o755 });
    return bin;
}

function fakeBinary(text: string): string {
    return `#!/bin/sh\necho "${text}"\n`;
}

describe("gVisor node bootstrap on real containerd and gVisor", function () {
    this.timeout(600_000);
    let work: string;
    let mirror: Mirror;
    let releaseTarballs: Tarballs;

    before(async function () {
        requireParts(this, COMMON_PARTS);
        work = fs.mkdtempSync(path.join("/var/tmp", "sandbox-clusters-gvisor-"));
        mirror = await startMirror(path.join(work, "mirror"));
        releaseTarballs = tarballs(work, {
            runsc: fs.readFileSync(path.join(GVISOR_BIN, "runsc")),
            "containerd-shim-runsc-v1": fs.readFileSync(path.join(GVISOR_BIN, "containerd-shim-runsc-v1")),
        });
        publishTarballs(mirror, RELEASE, releaseTarballs);
    });

    after(async () => {
        await mirror?.close();
        // SANDBOX_KEEP_WORK=1 keeps the scratch directory (containerd logs) for debugging.
        if (work && process.env.SANDBOX_KEEP_WORK !== "1") fs.rmSync(work, { recursive: true, force: true });
    });

    /** The install script for the test release, with the digests of both its tarballs pinned. */
    function pinnedScript(runscFlags?: Record<string, string>, pin: (keyof Tarballs)[] = ["gvisor.tar.zstd", "gvisor.tar.bz2"]): string {
        const digests = Object.fromEntries(pin.map((name) => [name, sha512(releaseTarballs[name])]));
        return renderGvisorInstallScript({ release: RELEASE, mirror: mirror.url, sha512: { [ARCH]: digests }, runscFlags });
    }

    describe("install script", () => {
        let root: string;
        before(() => {
            root = path.join(work, "install-root");
        });

        it("installs runsc and the shim from the verified zstd tarball, proves runsc.toml with a sandbox, and writes it", async () => {
            const r = await runInstallScript(pinnedScript(), root, mirror.caFile);
            assert.equal(r.code, 0, r.stderr);
            for (const bin of ["runsc", "containerd-shim-runsc-v1"]) {
                const installed = path.join(root, GVISOR_INSTALL_DIR, bin);
                assert.equal(sha512(fs.readFileSync(installed)), sha512(fs.readFileSync(path.join(GVISOR_BIN, bin))), bin);
                assert.equal(fs.statSync(installed).mode & 0o777, 0o755, bin);
            }
            assert.equal(fs.readFileSync(path.join(root, RUNSC_CONFIG_PATH), "utf8"), renderRunscToml());
            assert.match(r.stderr, /gvisor-install: downloaded and verified gvisor\.tar\.zstd at [0-9.]+ s\n/);
            assert.match(r.stderr, /gvisor-install: unpacked gvisor\.tar\.zstd with zstd at [0-9.]+ s\n/);
            assert.match(r.stderr, /gvisor-install: a gVisor sandbox ran with runsc\.toml's flags \(--platform=systrap\) at [0-9.]+ s\n/);
            const fetched = mirror.log.filter((l) => l.includes(`/${RELEASE}/`));
            assert.deepEqual(fetched, [`GET ${MIRROR_PATH}/${RELEASE}/${ARCH}/gvisor.tar.zstd 200`], "one pinned artifact, no .sha512, no bzip2 tarball");
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

        it("fetches only a pinned artifact: gvisor.tar.bz2 when only its digest is pinned", async () => {
            const fresh = path.join(work, "bz2-root");
            const since = mirror.log.length;
            const r = await runInstallScript(pinnedScript(undefined, ["gvisor.tar.bz2"]), fresh, mirror.caFile);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stderr, /unpacked gvisor\.tar\.bz2 with (lbzip2|pbzip2|bzip2) at/);
            assert.deepEqual(mirror.log.slice(since), [`GET ${MIRROR_PATH}/${RELEASE}/${ARCH}/gvisor.tar.bz2 200`]);
            assert.equal(sha512(fs.readFileSync(path.join(fresh, GVISOR_INSTALL_DIR, "runsc"))), sha512(fs.readFileSync(path.join(GVISOR_BIN, "runsc"))));
        });

        it("falls back to gvisor.tar.bz2 on a node without zstd", async () => {
            const fresh = path.join(work, "no-zstd-root");
            const since = mirror.log.length;
            const r = await runInstallScript(pinnedScript(), fresh, mirror.caFile, { PATH: pathWithout(work, "zstd") });
            assert.equal(r.code, 0, r.stderr);
            assert.deepEqual(mirror.log.slice(since), [`GET ${MIRROR_PATH}/${RELEASE}/${ARCH}/gvisor.tar.bz2 200`]);
        });

        it("refuses to fetch an unpinned artifact when the pinned one cannot be unpacked here", async () => {
            const fresh = path.join(work, "zstd-pinned-no-zstd-root");
            const since = mirror.log.length;
            const r = await runInstallScript(pinnedScript(undefined, ["gvisor.tar.zstd"]), fresh, mirror.caFile, { PATH: pathWithout(work, "zstd") });
            assert.equal(r.code, 1);
            assert.equal(
                r.stderr,
                `gvisor-install: ERROR: no tool here unpacks a pinned artifact of gVisor ${RELEASE} for ${ARCH} (gvisor.tar.zstd needs zstd, gvisor.tar.bz2 needs bzip2); nothing installed\n`,
            );
            assert.equal(mirror.log.length, since);
        });

        it("keeps the node out when runsc.toml passes the plan but fails on the node: overlay2 on a missing directory", async () => {
            const fresh = path.join(work, "bad-flag-root");
            const missing = path.join(work, "no-such-filestore-dir");
            const r = await runInstallScript(pinnedScript({ platform: "systrap", overlay2: `root:dir=${missing}` }), fresh, mirror.caFile);
            assert.equal(r.code, 1);
            assert.match(
                r.stderr,
                new RegExp(
                    `gvisor-install: runsc --overlay2=root:dir=${missing} --platform=systrap could not run a sandbox \\(exit 128\\):\n` +
                        `gvisor-install:   running container: creating container: cannot create gofer process: creating gofer filestore files: failed to stat filestore directory "${missing}": stat ${missing}: no such file or directory\n` +
                        `gvisor-install: ERROR: the rendered runsc.toml does not work with gVisor ${RELEASE.replace(".", "\\.")} on this machine; nothing installed\n$`,
                ),
            );
            assert.deepEqual(Object.keys(snapshot(fresh)).filter((p) => !fs.statSync(path.join(fresh, p)).isDirectory()), [], "nothing installed");
        });

        for (const [edit, reason] of [
            ['plaftorm = "systrap"', "flag provided but not defined: -plaftorm"],
            ['platform = "systrapp"', "running container: creating container: cannot create sandbox: cannot create sandbox process: cannot look up platform: unknown platform: systrapp"],
        ]) {
            it(`catches on the node a runsc.toml the plan refuses (${edit}, as if edited into the user data)`, async () => {
                const script = pinnedScript();
                const edited = script.replace('platform = "systrap"', edit);
                assert.notEqual(edited, script);
                const fresh = path.join(work, `edited-root-${edit.split(" ")[0]}`);
                const r = await runInstallScript(edited, fresh, mirror.caFile);
                assert.equal(r.code, 1);
                assert.ok(r.stderr.includes(`gvisor-install:   ${reason}\n`), r.stderr);
                assert.match(r.stderr, /ERROR: the rendered runsc\.toml does not work with gVisor \S+ on this machine; nothing installed\n$/);
                assert.ok(!fs.existsSync(path.join(fresh, GVISOR_INSTALL_DIR, "runsc")));
                assert.ok(!fs.existsSync(path.join(fresh, RUNSC_CONFIG_PATH)));
            });
        }

        it("fails nodeadm-run through the user data guard, so the node never joins", async () => {
            const fresh = path.join(work, "guarded-root");
            const dropins = path.join(work, "guarded-systemd");
            const guarded = guardedNodeScript("gVisor install", pinnedScript({ platform: "systrap", overlay2: "root:dir=/no/such/dir" }));
            const r = await run("bash", ["-s"], {
                input: guarded,
                env: { PATH: `${stubSystemctl(work)}:${process.env.PATH}`, INSTALL_ROOT: fresh, CURL_CA_BUNDLE: mirror.caFile, TMPDIR: work, SYSTEMD_DROPIN_ROOT: dropins },
            });
            assert.equal(r.code, 1);
            assert.match(r.stderr, /sandbox-clusters: gVisor install failed; this node will not join the cluster\n$/);
            const dropin = fs.readFileSync(path.join(dropins, "nodeadm-run.service.d", "50-sandbox-clusters-failed.conf"), "utf8");
            assert.match(dropin, /^\[Service\]\nExecStartPre=\/bin\/sh -c 'echo "sandbox-clusters: gVisor install failed; this node will not join the cluster" >&2; exit 1'\n$/);
        });

        it("refuses new runsc.toml flags that fail on an installed node and keeps the old runsc.toml", async () => {
            const before = snapshot(root);
            const r = await runInstallScript(pinnedScript({ platform: "systrap", overlay2: "root:dir=/no/such/dir" }), root, mirror.caFile);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /ERROR: the rendered runsc\.toml does not work with gVisor \S+ on this machine; runsc\.toml left as it was\n$/);
            assert.deepEqual(snapshot(root), before);
        });

        it("fails on a checksum mismatch against the mirror's .sha512 and installs nothing", async () => {
            publishTarballs(mirror, "20261006.0", releaseTarballs, { wrongSha512: true });
            const script = renderGvisorInstallScript({ release: "20261006.0", mirror: mirror.url });
            const fresh = path.join(work, "mismatch-root");
            const r1 = await runInstallScript(script, fresh, mirror.caFile);
            assert.equal(r1.code, 1);
            assert.match(r1.stderr, /ERROR: checksum mismatch for gvisor\.tar\.zstd: expected sha512 [0-9a-f]{128}, got [0-9a-f]{128}; nothing installed/);
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
                publishTarballs(mirror, n, tarballs(work, files));
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
            publishTarballs(mirror, "20261026.0", tarballs(work, { runsc: fakeBinary("x"), "containerd-shim-runsc-v1": fakeBinary("y"), "etc/cron.d/evil": "x" }));
            const fresh = path.join(work, "evil-root");
            const r = await runInstallScript(renderGvisorInstallScript({ release: "20261026.0", mirror: mirror.url }), fresh, mirror.caFile);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /unexpected member etc\/? in gvisor\.tar\.zstd; nothing installed/);
            assert.ok(!fs.existsSync(path.join(fresh, GVISOR_INSTALL_DIR, "runsc")));
        });

        it("refuses a tarball that carries a link, whatever its name", async () => {
            const stage = fs.mkdtempSync(path.join(work, "link-"));
            fs.mkdirSync(path.join(stage, "gvisor-bin"));
            fs.writeFileSync(path.join(stage, "runsc"), fakeBinary("x"), { mode: 0o755 });
            fs.writeFileSync(path.join(stage, "containerd-shim-runsc-v1"), fakeBinary("y"), { mode: 0o755 });
            fs.symlinkSync("/etc/passwd", path.join(stage, "gvisor-bin", "gvisor_sentry"));
            execFileSync("sh", ["-c", `tar -cf - -C "${stage}" runsc containerd-shim-runsc-v1 gvisor-bin | zstd -q -o "${stage}.tar.zstd"`]);
            mirror.publish("20261027.0", ARCH, "gvisor.tar.zstd", fs.readFileSync(`${stage}.tar.zstd`));
            const fresh = path.join(work, "link-root");
            const r = await runInstallScript(renderGvisorInstallScript({ release: "20261027.0", mirror: mirror.url }), fresh, mirror.caFile);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /ERROR: unexpected non-regular file gvisor-bin\/gvisor_sentry in gvisor\.tar\.zstd; nothing installed\n$/);
            assert.ok(!fs.existsSync(path.join(fresh, GVISOR_INSTALL_DIR, "runsc")));
        });

        it("retries a failing download, then gives up naming the URL", async () => {
            const script = renderGvisorInstallScript({ release: "20261102.0", mirror: mirror.url, downloadAttempts: 2 });
            const r = await runInstallScript(script, path.join(work, "missing-root"), mirror.caFile);
            assert.equal(r.code, 1);
            assert.match(r.stderr, /download of \S+\/20261102\.0\/\w+\/gvisor\.tar\.zstd failed \(attempt 1 of 2\); retrying in 1 s/);
            assert.match(r.stderr, /ERROR: could not download \S+\/gvisor\.tar\.zstd after 2 attempts/);
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
