// Pods over CRI the way kubelet makes them: a pod sandbox with a runtime handler, then one
// container whose output containerd writes to the pod's log directory in CRI log format.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { TEST_IMAGE } from "./images";
import { Cri, sleep } from "./node";

export interface PodRun {
    sandboxId: string;
    /** Milliseconds RunPodSandbox took. */
    sandboxMs: number;
    exitCode: number;
    /** The container's stdout and stderr lines, in order. */
    output: string;
    /** Container run time from containerd's started/finished timestamps, in ms. */
    containerMs: number;
}

export function sandboxConfig(name: string, logDir: string): object {
    const uid = crypto.randomUUID();
    return {
        metadata: { name, uid, namespace: "sandbox-clusters-test", attempt: 0 },
        log_directory: path.join(logDir, uid),
        // No CNI on these machines: the pod shares the node's network namespace (and so, like
        // a hostNetwork pod, the node's hostname).
        linux: { security_context: { namespace_options: { network: "NODE", pid: "CONTAINER", ipc: "POD" } } },
    };
}

export async function runSandbox(cri: Cri, handler: string, name: string, logDir: string): Promise<{ id: string; config: any; ms: number }> {
    const config: any = sandboxConfig(name, logDir);
    fs.mkdirSync(config.log_directory, { recursive: true });
    const start = process.hrtime.bigint();
    const res = await cri.RunPodSandbox({ config, runtime_handler: handler });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    return { id: res.pod_sandbox_id, config, ms };
}

export async function removeSandbox(cri: Cri, id: string): Promise<void> {
    await cri.StopPodSandbox({ pod_sandbox_id: id });
    await cri.RemovePodSandbox({ pod_sandbox_id: id });
}

/** Runs `command` in a fresh pod under `handler` and waits for it to exit. */
export async function runPod(cri: Cri, handler: string, name: string, logDir: string, command: string[]): Promise<PodRun> {
    const sandbox = await runSandbox(cri, handler, name, logDir);
    try {
        const created = await cri.CreateContainer({
            pod_sandbox_id: sandbox.id,
            config: { metadata: { name: "main", attempt: 0 }, image: { image: TEST_IMAGE }, command, log_path: "main.log" },
            sandbox_config: sandbox.config,
        });
        const id = created.container_id;
        await cri.StartContainer({ container_id: id });
        const deadline = Date.now() + 120_000;
        let status: any;
        for (;;) {
            status = (await cri.ContainerStatus({ container_id: id })).status;
            if (status.state === "CONTAINER_EXITED") break;
            if (Date.now() > deadline) throw new Error(`container ${name} did not exit within 120 s`);
            await sleep(100);
        }
        const output = readCriLog(path.join(sandbox.config.log_directory, "main.log"));
        await cri.RemoveContainer({ container_id: id });
        return {
            sandboxId: sandbox.id,
            sandboxMs: sandbox.ms,
            exitCode: status.exit_code,
            output,
            containerMs: (Number(status.finished_at) - Number(status.started_at)) / 1e6,
        };
    } finally {
        await removeSandbox(cri, sandbox.id);
    }
}

/** CRI log lines are `<time> <stream> <P|F> <text>`; partial lines (P) continue the next one. */
function readCriLog(file: string): string {
    let out = "";
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const m = /^\S+ (stdout|stderr) ([PF]) ?(.*)$/.exec(line);
        if (!m) continue;
        out += m[2] === "F" ? `${m[3]}\n` : m[3];
    }
    return out;
}
