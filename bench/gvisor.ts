// Benchmark: pod sandbox start and a syscall-heavy container under runc and under gVisor
// (the component's runsc.toml flags), on containerd 2.x built by test/tools/build.sh.
//
//   npm run bench:gvisor -- [runs]      (root; default 7 runs)
//
// Prints medians per runtime and the gVisor/runc ratio. Needs the `gvisor` and `containerd`
// build sets, runc and busybox-static, like the integration suite.
import * as fs from "node:fs";
import * as path from "node:path";
import { GVISOR_INSTALL_DIR, RUNSC_CONFIG_PATH, renderContainerdRuntimeToml, renderRunscToml } from "../components/aws/gvisorBootstrap";
import { GVISOR_HANDLER } from "../components/isolation";
import { FLAVOURS, GVISOR_BIN } from "../test/support/gvisor/binaries";
import { buildImages } from "../test/support/gvisor/images";
import { baseConfig, canLowerOomScore, killLeftovers, mergeFragment, run, shimOomStandIn, startContainerd, writeConfig } from "../test/support/gvisor/node";
import { removeSandbox, runPod, runSandbox } from "../test/support/gvisor/pods";

/** One byte per read and write: about 2 x SYSCALL_LOOP_BYTES syscalls. */
const SYSCALL_LOOP_BYTES = 100_000;

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
    const runs = Number(process.argv[2] ?? 7);
    const flavour = FLAVOURS.find((f) => f.configVersion === 3)!;
    const dir = fs.mkdtempSync(path.join("/var/tmp", "sandbox-clusters-bench-"));
    const root = path.join(dir, "node");
    const bin = path.join(root, GVISOR_INSTALL_DIR);
    fs.mkdirSync(bin, { recursive: true });
    for (const b of ["runsc", "containerd-shim-runsc-v1"]) fs.copyFileSync(path.join(GVISOR_BIN, b), path.join(bin, b));
    for (const b of ["runsc", "containerd-shim-runsc-v1"]) fs.chmodSync(path.join(bin, b), 0o755);
    const runscToml = path.join(root, RUNSC_CONFIG_PATH);
    fs.mkdirSync(path.dirname(runscToml), { recursive: true });
    fs.writeFileSync(runscToml, renderRunscToml());
    const config = writeConfig(dir, "config.toml", mergeFragment(baseConfig(dir, 3), renderContainerdRuntimeToml({ runscConfigPath: runscToml }, 3)));
    const prefix = (await canLowerOomScore()) ? [] : [shimOomStandIn(dir, path.join(bin, "containerd-shim-runsc-v1"))];
    const node = await startContainerd(flavour, dir, config, [...prefix, bin]);
    try {
        const images = buildImages(path.join(dir, "images"));
        for (const tar of [images.pause, images.test]) {
            const r = await run(flavour.ctr, ["--address", path.join(dir, "containerd.sock"), "-n", "k8s.io", "images", "import", tar]);
            if (r.code !== 0) throw new Error(r.stderr);
        }
        const results: Record<string, { sandboxMs: number[]; syscallMs: number[] }> = {};
        for (const handler of ["runc", GVISOR_HANDLER]) {
            // One warm-up of each so page cache and image unpacking do not count.
            const warm = await runSandbox(node.cri, handler, `warm-${handler}`, dir);
            await removeSandbox(node.cri, warm.id);
            results[handler] = { sandboxMs: [], syscallMs: [] };
            for (let i = 0; i < runs; i++) {
                const s = await runSandbox(node.cri, handler, `start-${handler}-${i}`, dir);
                results[handler].sandboxMs.push(s.ms);
                await removeSandbox(node.cri, s.id);
                const pod = await runPod(node.cri, handler, `syscalls-${handler}-${i}`, dir, [
                    "/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", `count=${SYSCALL_LOOP_BYTES}`,
                ]);
                if (pod.exitCode !== 0) throw new Error(`dd failed under ${handler}: ${pod.output}`);
                results[handler].syscallMs.push(pod.containerMs);
            }
        }
        const platform = /platform = "(\w+)"/.exec(fs.readFileSync(runscToml, "utf8"))?.[1];
        console.log(`gVisor (${platform}) vs runc, containerd 2.x, ${runs} runs each, medians in ms`);
        console.log(`${"metric".padEnd(36)}   runc    gVisor  gVisor/runc`);
        for (const [label, key] of [["pod sandbox start (RunPodSandbox)", "sandboxMs"], [`dd bs=1 count=${SYSCALL_LOOP_BYTES}`, "syscallMs"]] as const) {
            const a = median(results.runc[key]);
            const b = median(results[GVISOR_HANDLER][key]);
            console.log(`${label.padEnd(36)}${a.toFixed(1).padStart(7)}  ${b.toFixed(1).padStart(8)}  ${(b / a).toFixed(2).padStart(10)}`);
        }
        console.log(JSON.stringify({ runs, platform, results }));
    } finally {
        await node.stop();
        killLeftovers(dir);
        if (process.env.SANDBOX_KEEP_WORK !== "1") fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
