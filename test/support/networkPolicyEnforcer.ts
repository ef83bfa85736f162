// The real NetworkPolicy enforcer of the end-to-end cluster: kube-router's network policy
// controller (build set `kube-router`, `--run-firewall` alone: no routing, no service proxy, no
// CNI), one per node, run inside that node's network and mount namespaces (`nsenter` into the
// node's `unshare` process), so its iptables rules and ipsets exist only there and never on the
// host. It enforces on the host side of each pod's veth (the node's bridge, through
// br_netfilter), where a gVisor pod's own network stack cannot reach.
//
//   const enforcer = NetworkPolicyEnforcer.start(bin, node, kubeconfigInNode);
//   await enforcer.waitProgrammed();   // its chains are in place
//   await enforcer.stop();             // kills it by PID, then removes its rules and ipsets
import { ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { sleep } from "./kubeControlPlane";
import { isExecutable, toolsBin } from "./realParts";

/** The enforcer and the tools it calls (iptables and ipset from Debian, nsenter from util-linux). */
export interface EnforcerBinaries {
    kubeRouter: string;
    nsenter: string;
    /** Folder holding `iptables`, `iptables-save`, `iptables-restore` and `ipset` (on the enforcer's PATH). */
    sbinDir: string;
}

/** The node side an enforcer needs: its name and the PID whose network and mount namespaces are the node's. */
export interface EnforcedNode {
    name: string;
    /** A process in the node's network and mount namespaces (the node's `unshare` process). */
    pid: number;
    /** Where the enforcer keeps its kubeconfig and log. */
    dir: string;
}

/**
 * kube-router requires a service range and lets traffic to it into the node unchecked: with
 * kube-proxy, such traffic is rewritten to an endpoint and checked on its way there. The suite
 * has no kube-proxy (a node may serve the API server's ClusterIP itself), so kube-router is given
 * an unused range: a tenant's packets to the real service range are judged by its policies, as
 * on a cloud where the ClusterIP leads to the API server's private addresses.
 */
const UNUSED_SERVICE_RANGE = "10.255.254.0/24";
/** kube-router's top-level chains: present once it has programmed the node. */
const TOP_LEVEL_CHAINS = ["KUBE-ROUTER-INPUT", "KUBE-ROUTER-FORWARD", "KUBE-ROUTER-OUTPUT"];

/** Finds the enforcer's binaries, or lists what is missing and how to get it. */
export function findEnforcerBinaries(): { binaries?: EnforcerBinaries; missing: string[] } {
    const files = {
        kubeRouter: path.join(toolsBin("kube-router"), "kube-router"),
        nsenter: "/usr/bin/nsenter",
        iptables: "/usr/sbin/iptables",
        iptablesSave: "/usr/sbin/iptables-save",
        iptablesRestore: "/usr/sbin/iptables-restore",
        ipset: "/usr/sbin/ipset",
    };
    const missing = Object.values(files).filter((f) => !isExecutable(f));
    if (missing.length > 0) return { missing };
    return { missing, binaries: { kubeRouter: files.kubeRouter, nsenter: files.nsenter, sbinDir: "/usr/sbin" } };
}

export class NetworkPolicyEnforcer {
    private exited: Promise<void>;
    private exitCode: number | null = null;
    private stopped = false;

    private constructor(
        readonly node: EnforcedNode,
        private readonly bin: EnforcerBinaries,
        private readonly proc: ChildProcess,
        readonly log: string,
    ) {
        this.exited = new Promise((res) => proc.once("exit", (code, signal) => {
            this.exitCode = code ?? (signal ? 128 : -1);
            res();
        }));
    }

    /** The enforcer's own PID (nsenter execs it): what stop() kills. */
    get pid(): number {
        return this.proc.pid!;
    }

    get running(): boolean {
        return this.exitCode === null;
    }

    /**
     * Starts kube-router's network policy controller in `node`'s namespaces. `kubeconfig` must
     * reach the API server from inside the node (the node's relay) with rights to list and watch
     * pods, namespaces, network policies, nodes and services cluster-wide.
     */
    static start(bin: EnforcerBinaries, node: EnforcedNode, kubeconfig: string): NetworkPolicyEnforcer {
        fs.mkdirSync(node.dir, { recursive: true });
        const log = path.join(node.dir, "kube-router.log");
        const out = fs.openSync(log, "a");
        const proc = spawn(bin.nsenter, [`--target=${node.pid}`, "--net", "--mount", "--", bin.kubeRouter, ...kubeRouterArgs(node.name, kubeconfig)], {
            stdio: ["ignore", out, out],
            env: { PATH: `${bin.sbinDir}:/usr/bin:/bin`, NODE_NAME: node.name },
        });
        fs.closeSync(out);
        return new NetworkPolicyEnforcer(node, bin, proc, log);
    }

    /** Waits until the enforcer has made its chains and hooked them into INPUT, FORWARD and OUTPUT. */
    async waitProgrammed(timeoutMs = 60_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        let last = "";
        while (Date.now() < deadline) {
            if (!this.running) throw new Error(`kube-router on ${this.node.name} exited (${this.exitCode}):\n${this.logTail()}`);
            const rules = await this.iptablesRules().catch((e) => `(${(e as Error).message})`);
            const hooked = ["INPUT", "FORWARD", "OUTPUT"].every((c, i) => new RegExp(`^-A ${c} .*-j ${TOP_LEVEL_CHAINS[i]}$`, "m").test(rules));
            if (hooked) return;
            last = rules;
            await sleep(200);
        }
        throw new Error(`kube-router on ${this.node.name} did not program the node within ${timeoutMs} ms; filter table:\n${last}\n${this.logTail()}`);
    }

    /** The node's filter table as `iptables -S` prints it. */
    async iptablesRules(): Promise<string> {
        return this.inNode(["iptables", "-w", "5", "-t", "filter", "-S"]);
    }

    /** The node's ipset names, one a line. */
    async ipsets(): Promise<string> {
        return this.inNode(["ipset", "list", "-n"]);
    }

    /**
     * Ends the enforcer (SIGTERM, SIGKILL after 5 s, by PID) and removes what it programmed, so
     * the node is left without any NetworkPolicy enforcement, as a cluster whose network plugin
     * ignores policies. The node's network namespace holds no other filter rules or ipsets (the
     * bridge CNI masquerades nothing, the kubelet makes no chains), so flushing its filter table
     * and destroying its ipsets removes exactly the enforcer's. (kube-router's own
     * `--cleanup-config` v2.1.0 panics in its service proxy's cleanup after the firewall's.)
     */
    async stop(): Promise<void> {
        if (this.stopped) return;
        this.stopped = true;
        if (this.running) {
            this.proc.kill("SIGTERM");
            const timer = setTimeout(() => this.proc.kill("SIGKILL"), 5_000);
            await this.exited;
            clearTimeout(timer);
        }
        if (!nodeAlive(this.node.pid)) return;
        for (const command of [["iptables", "-w", "5", "-t", "filter", "-F"], ["iptables", "-w", "5", "-t", "filter", "-X"], ["ipset", "destroy"]]) {
            await this.inNode(command).catch((e) => {
                throw new Error(`removing the enforcer's rules on ${this.node.name} (${command.join(" ")}) failed: ${(e as Error).message}`);
            });
        }
    }

    /** Ends the enforcer by PID and leaves its rules: for a cluster that is stopping anyway (they die with the node). */
    async kill(): Promise<void> {
        this.stopped = true;
        if (this.running) this.proc.kill("SIGKILL");
        await this.exited;
    }

    /** Synchronous last resort (process exit): the rules die with the node's network namespace. */
    killNow(): void {
        if (this.running) this.proc.kill("SIGKILL");
    }

    logTail(lines = 20): string {
        const text = fs.existsSync(this.log) ? fs.readFileSync(this.log, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "";
        return `--- ${this.node.name} kube-router.log ---\n${text}`;
    }

    private async inNode(command: string[]): Promise<string> {
        const { stdout } = await promisify(execFile)(this.bin.nsenter, [`--target=${this.node.pid}`, "--net", "--mount", "--", ...command], {
            env: { PATH: `${this.bin.sbinDir}:/usr/bin:/bin` },
            maxBuffer: 16 * 1024 * 1024,
        });
        return stdout;
    }
}

/**
 * kube-router as the firewall alone. Its health and metrics ports bind inside the node's network
 * namespace only. `--hostname-override` names the Node whose InternalIP marks the pods it guards.
 */
function kubeRouterArgs(nodeName: string, kubeconfig: string): string[] {
    return [
        `--kubeconfig=${kubeconfig}`,
        `--hostname-override=${nodeName}`,
        "--run-firewall=true",
        "--run-router=false",
        "--run-service-proxy=false",
        "--run-loadbalancer=false",
        "--enable-cni=false",
        "--enable-ipv6=false",
        `--service-cluster-ip-range=${UNUSED_SERVICE_RANGE}`,
        "--metrics-port=0",
        "--health-port=0",
        "--v=1",
    ];
}

function nodeAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}
