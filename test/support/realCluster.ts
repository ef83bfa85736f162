// A real one-node-pool Kubernetes cluster for end-to-end tests and benchmarks: the loopback
// control plane (etcd, kube-apiserver with the Node authorizer and NodeRestriction,
// kube-scheduler, kube-controller-manager) plus real nodes (kubelet + containerd 2.x), by
// default one EKS-style gVisor sandbox node and one general node, each in namespaces of its own
// (test/support/realNode.ts). Images are built locally from Debian's busybox-static; nothing is
// pulled.
//
//   const bin = requireRealCluster(this);             // skip, or fail under SANDBOX_REQUIRE_REAL=1
//   const cluster = await RealCluster.start(bin);     // nodes Ready
//   cluster.kubeconfig                                // admin kubeconfig file (Pulumi provider, kubectl)
//   cluster.testImage                                 // busybox image, pinned by digest, on every node
//   const run = await cluster.runPod({ name, namespace, runtimeClassName: "gvisor", command: [...] });
//   run.node, run.phase, run.log, run.runningMs, run.doneMs
//   await cluster.stop();                             // kills every process by PID, removes its dirs
import * as fs from "fs";
import * as path from "path";
import { ChildProcess, execFileSync, spawn } from "child_process";
import { KubeClient, KubeObject } from "./kubeClient";
import { ControlPlane, ControlPlaneBinaries, findBinaries, sleep } from "./kubeControlPlane";
import { EnforcerBinaries, NetworkPolicyEnforcer, findEnforcerBinaries } from "./networkPolicyEnforcer";
import { isExecutable, skipOrFail, toolsBin } from "./realParts";
import { API_IN_NODE, NodeBinaries, NodeKind, NodeRegistry, RealNode, RealNodeSpec } from "./realNode";
import { PAUSE_IMAGE, TEST_IMAGE, buildImages } from "./gvisor/images";

export { KUBERNETES_SERVICE, NODE_STAND_INS, NodeKind, NodeRegistry, RealNodeSpec, STAND_IN_BODY, runscAsRunc } from "./realNode";

export interface RealClusterBinaries {
    controlPlane: ControlPlaneBinaries;
    kubeControllerManager: string;
    node: NodeBinaries;
    /** The NetworkPolicy enforcer every node runs (test/support/networkPolicyEnforcer.ts). */
    enforcer: EnforcerBinaries;
}

/** The controllers `pulumi up`/`destroy` and pods depend on (names as kube-controller-manager 1.36 spells them). */
export const CONTROLLERS = [
    "serviceaccount-controller",
    "root-ca-certificate-publisher-controller",
    "garbage-collector-controller",
    "namespace-controller",
    "job-controller",
    "node-lifecycle-controller",
    // Node agents: kata-deploy's DaemonSet (and any installer DaemonSet).
    "daemonset-controller",
] as const;

/** The default cluster: one sandbox node of an EKS gVisor pool, one general node. */
export const DEFAULT_NODES: readonly RealNodeSpec[] = [
    { name: "sandbox-gvisor-0", kind: NodeKind.Gvisor },
    { name: "general-0", kind: NodeKind.General },
];

/** Finds every binary, or lists what is missing and which build set makes it. */
export function findRealClusterBinaries(): { binaries?: RealClusterBinaries; missing: string[] } {
    const cp = findBinaries();
    const k8s = toolsBin("k8s");
    const files = {
        kubeControllerManager: path.join(k8s, "kube-controller-manager"),
        kubelet: path.join(k8s, "kubelet"),
        containerd: path.join(toolsBin("containerd"), "containerd"),
        ctr: path.join(toolsBin("containerd"), "ctr"),
        runcShim: path.join(toolsBin("containerd"), "containerd-shim-runc-v2"),
        runsc: path.join(toolsBin("gvisor"), "runsc"),
        runscShim: path.join(toolsBin("gvisor"), "containerd-shim-runsc-v1"),
        bridge: path.join(toolsBin("cni"), "bridge"),
        hostLocal: path.join(toolsBin("cni"), "host-local"),
        loopback: path.join(toolsBin("cni"), "loopback"),
        runc: "/usr/sbin/runc",
        busybox: "/usr/bin/busybox",
        openssl: "/usr/bin/openssl",
        ip: "/usr/sbin/ip",
        unshare: "/usr/bin/unshare",
    };
    const enforcer = findEnforcerBinaries();
    const missing = [...cp.missing, ...Object.values(files).filter((f) => !isExecutable(f)), ...enforcer.missing];
    if (process.getuid?.() !== 0) missing.push("root (kubelet, containerd and namespaces need it)");
    if (missing.length > 0 || !cp.binaries || !enforcer.binaries) return { missing };
    return {
        missing,
        binaries: {
            controlPlane: cp.binaries,
            kubeControllerManager: files.kubeControllerManager,
            node: {
                kubelet: files.kubelet,
                containerd: files.containerd,
                ctr: files.ctr,
                containerdBinDir: toolsBin("containerd"),
                gvisorBinDir: toolsBin("gvisor"),
                cniBinDir: toolsBin("cni"),
                runc: files.runc,
                busybox: files.busybox,
            },
            enforcer: enforcer.binaries,
        },
    };
}

/** Skips the calling suite when a part is missing, or fails it under `SANDBOX_REQUIRE_REAL=1` (CI). */
export function requireRealCluster(ctx: Mocha.Context): RealClusterBinaries {
    const { binaries, missing } = findRealClusterBinaries();
    if (binaries) return binaries;
    const message =
        `real cluster parts missing: ${missing.join("; ")}. Build them with ` +
        "`test/tools/build.sh k8s containerd gvisor cni kube-router` and apt-get install runc busybox-static openssl iproute2 iptables ipset.";
    skipOrFail(ctx, message);
}

export interface RealClusterOptions {
    /** The nodes. Default `DEFAULT_NODES` (a gVisor sandbox node and a general node). */
    nodes?: readonly RealNodeSpec[];
    /** How long to wait for every node to be Ready. Default 120 s. */
    readyTimeoutMs?: number;
    /** More image tarballs (docker archives) every node imports. Default none. */
    images?: readonly string[];
    /**
     * A loopback registry the nodes pull the mirrored registries' images from (pods with
     * imagePullPolicy Always, or images not imported). Default none: nothing is pulled.
     */
    registry?: NodeRegistry;
    /**
     * Run the NetworkPolicy enforcer (kube-router's firewall) on every node, as a cluster whose
     * network plugin enforces NetworkPolicy. Default `true`; `false` is a cluster whose plugin
     * ignores policies (the bridge alone). `stopEnforcers()`/`startEnforcers()` switch it later.
     */
    networkPolicy?: boolean;
}

/** What Pod Security's `restricted` profile asks of a pod, and of each container. */
export const RESTRICTED_POD_SECURITY = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } };
export const RESTRICTED_CONTAINER_SECURITY = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

export interface RunPodSpec {
    name: string;
    namespace: string;
    /** Default: no runtime class (runc on a general node). */
    runtimeClassName?: string;
    command: string[];
    /** The container image, present on the nodes (imagePullPolicy Never). Default `testImage`. */
    image?: string;
    /**
     * Meet Pod Security's `restricted` profile (a tenant namespace's): non-root, RuntimeDefault
     * seccomp, no privilege escalation, no capabilities. Default false.
     */
    restricted?: boolean;
    /** Extra pod spec fields (tolerations, nodeSelector, securityContext...). */
    spec?: Record<string, unknown>;
    /** Default 120 s. */
    timeoutMs?: number;
}

export interface PodRun {
    pod: any;
    node: string;
    phase: "Succeeded" | "Failed";
    /** The container's output, read from the kubelet's pod log. */
    log: string;
    /** From just before the create request to the first status with phase Running (undefined when never seen). */
    runningMs?: number;
    /** From just before the create request to the final phase. */
    doneMs: number;
}

export class RealCluster {
    /** The node image every container runs (busybox-static), by digest: `sandbox-clusters.test/busybox@sha256:...`. */
    readonly testImage: string;
    private stopped = false;
    private readonly onExit = () => this.killNow();

    private constructor(
        readonly dir: string,
        readonly controlPlane: ControlPlane,
        readonly nodes: RealNode[],
        private readonly relay: ChildProcess,
        private readonly cgroupDirs: string[],
        testImage: string,
        private readonly enforcerBin: EnforcerBinaries,
    ) {
        this.testImage = testImage;
        process.on("exit", this.onExit);
    }

    /** The running NetworkPolicy enforcers, one per node (empty while enforcement is off). */
    enforcers: NetworkPolicyEnforcer[] = [];

    /**
     * Starts the NetworkPolicy enforcer on every node and waits until each has programmed its
     * node. Its kubeconfig is the admin's, pointed at the node's relay to the API server.
     */
    async startEnforcers(): Promise<void> {
        if (this.enforcers.length > 0) throw new Error("the enforcers are already running");
        const admin = JSON.parse(fs.readFileSync(this.kubeconfig, "utf8"));
        admin.clusters[0].cluster.server = `https://${API_IN_NODE.host}:${API_IN_NODE.port}`;
        const kubeconfig = path.join(this.dir, "enforcer.kubeconfig");
        fs.writeFileSync(kubeconfig, JSON.stringify(admin), { mode: 0o600 });
        this.enforcers = this.nodes.map((n) =>
            NetworkPolicyEnforcer.start(this.enforcerBin, { name: n.spec.name, pid: n.pid, dir: path.join(n.dir, "enforcer") }, kubeconfig),
        );
        try {
            await Promise.all(this.enforcers.map((e) => e.waitProgrammed()));
        } catch (e) {
            await this.stopEnforcers().catch(() => undefined);
            throw e;
        }
    }

    /**
     * Stops every enforcer (by PID) and removes its rules: from now on the cluster ignores
     * NetworkPolicy, as one whose network plugin does not enforce it (the negative control).
     */
    async stopEnforcers(): Promise<void> {
        const running = this.enforcers;
        this.enforcers = [];
        for (const e of running) await e.stop();
    }

    /** Admin client of the API server. */
    get admin(): KubeClient {
        return this.controlPlane.admin;
    }

    /** Admin kubeconfig file (token auth, the cluster CA) for the Pulumi provider or kubectl. */
    get kubeconfig(): string {
        return this.controlPlane.adminKubeconfig;
    }

    node(name: string): RealNode {
        const n = this.nodes.find((x) => x.spec.name === name);
        if (!n) throw new Error(`no node ${name} (nodes: ${this.nodes.map((x) => x.spec.name).join(", ")})`);
        return n;
    }

    /** Starts the control plane and the nodes, and waits until every node is Ready. */
    static async start(bin: RealClusterBinaries, opts: RealClusterOptions = {}): Promise<RealCluster> {
        const dir = fs.mkdtempSync(path.join("/var/tmp", "sandbox-clusters-cluster-"));
        const cgroupName = path.basename(dir);
        const cgroupDirs = cgroupHierarchies().map((h) => path.join(h, cgroupName));
        let cp: ControlPlane | undefined;
        let relay: ChildProcess | undefined;
        let cluster: RealCluster | undefined;
        const nodes: RealNode[] = [];
        try {
            for (const d of cgroupDirs) {
                fs.mkdirSync(d, { recursive: true });
                // A new v1 cpuset cgroup starts with no CPUs and no memory nodes: inherit the parent's.
                for (const f of ["cpuset.cpus", "cpuset.mems"]) {
                    const parent = path.join(path.dirname(d), f);
                    if (fs.existsSync(parent)) fs.writeFileSync(path.join(d, f), fs.readFileSync(parent));
                }
            }
            cp = await ControlPlane.start(bin.controlPlane, {
                // Kubelets authenticate with node certificates and may touch only their own Node and pods.
                apiserverFlags: ["--authorization-mode=Node", "--enable-admission-plugins=NodeRestriction"],
                controllerManager: { binary: bin.kubeControllerManager, controllers: CONTROLLERS },
            });
            const apiSocket = path.join(dir, "api.sock");
            relay = await startRelay(`unix:${apiSocket}`, `tcp:${new URL(cp.server).hostname}:${new URL(cp.server).port}`, path.join(dir, "relay.log"));
            const images = buildImages(fs.mkdtempSync(path.join(dir, "images-")));
            const specs = opts.nodes ?? DEFAULT_NODES;
            specs.forEach((spec, index) => {
                nodes.push(RealNode.start({
                    spec,
                    index,
                    dir: path.join(dir, spec.name),
                    bin: bin.node,
                    apiSocket,
                    caFile: cp!.caFile,
                    caKeyFile: cp!.caKeyFile,
                    images: [images.test, images.pause, ...(opts.images ?? [])],
                    pauseImage: PAUSE_IMAGE,
                    cgroupRoot: cgroupName,
                    registry: opts.registry,
                }));
            });
            await waitNodesReady(cp.admin, nodes, opts.readyTimeoutMs ?? 120_000);
            const testImage = tagByDigest(bin.node.ctr, nodes);
            cluster = new RealCluster(dir, cp, nodes, relay, cgroupDirs, testImage, bin.enforcer);
            if (opts.networkPolicy ?? true) await cluster.startEnforcers();
            return cluster;
        } catch (e) {
            const logs = [cp?.logTails() ?? "", ...nodes.map((n) => n.logTails())].join("\n");
            if (cluster) {
                process.off("exit", cluster.onExit);
                for (const en of cluster.enforcers) await en.kill();
            }
            for (const n of nodes) await n.stop();
            relay?.kill("SIGKILL");
            await cp?.stop();
            removeCgroups(cgroupDirs);
            if (process.env.SANDBOX_KEEP_WORK !== "1") fs.rmSync(dir, { recursive: true, force: true });
            throw new Error(`${(e as Error).message}\n${logs}`);
        }
    }

    /**
     * Creates a pod running `command` in `testImage` and waits for it to end; returns where it ran,
     * how it ended, its log and its timings. Throws when it does not end within the timeout.
     */
    async runPod(p: RunPodSpec): Promise<PodRun> {
        const pod: KubeObject = {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: p.name, namespace: p.namespace },
            spec: {
                restartPolicy: "Never",
                ...(p.runtimeClassName ? { runtimeClassName: p.runtimeClassName } : {}),
                automountServiceAccountToken: false,
                enableServiceLinks: false,
                ...(p.restricted ? { securityContext: RESTRICTED_POD_SECURITY } : {}),
                containers: [
                    {
                        name: "main",
                        image: p.image ?? this.testImage,
                        imagePullPolicy: "Never",
                        command: p.command,
                        ...(p.restricted ? { securityContext: RESTRICTED_CONTAINER_SECURITY } : {}),
                    },
                ],
                ...(p.spec ?? {}),
            },
        };
        const collection = await this.admin.collectionPath("v1", "Pod", p.namespace);
        let runningAt: number | undefined;
        let last: any;
        let resolveDone!: () => void;
        const done = new Promise<void>((res) => (resolveDone = res));
        const start = performance.now();
        const watch = await this.admin.watch(collection, (_type, obj) => {
            if (obj?.metadata?.name !== p.name) return;
            last = obj;
            const phase = obj.status?.phase;
            if (phase === "Running" && runningAt === undefined) runningAt = performance.now();
            if (phase === "Succeeded" || phase === "Failed") resolveDone();
        });
        try {
            const created = await this.admin.create(pod);
            if (created.status !== 201) throw new Error(`creating pod ${p.namespace}/${p.name}: HTTP ${created.status}: ${created.body?.message ?? created.text}`);
            const timeoutMs = p.timeoutMs ?? 120_000;
            let timer: NodeJS.Timeout | undefined;
            const timeout = new Promise<boolean>((res) => (timer = setTimeout(() => res(true), timeoutMs)));
            // The timer is cleared once the pod ends, so a finished run does not keep the process alive.
            const timedOut = await Promise.race([done.then(() => false), timeout]).finally(() => clearTimeout(timer));
            if (timedOut) throw new Error(`pod ${p.namespace}/${p.name} did not end within ${timeoutMs} ms: ${JSON.stringify(last?.status)}`);
        } finally {
            watch.stop();
        }
        const doneMs = performance.now() - start;
        const node = last.spec.nodeName as string;
        return {
            pod: last,
            node,
            phase: last.status.phase,
            log: this.podLog(p.namespace, p.name, last.metadata.uid, "main"),
            runningMs: runningAt === undefined ? undefined : runningAt - start,
            doneMs,
        };
    }

    /** A container's log as kubelet wrote it on its node (CRI format, decoded); "" when none. */
    podLog(namespace: string, pod: string, uid: string, container: string): string {
        for (const n of this.nodes) {
            const d = path.join(n.podLogsDir, `${namespace}_${pod}_${uid}`, container);
            if (!fs.existsSync(d)) continue;
            const files = fs.readdirSync(d).filter((f) => /^\d+\.log$/.test(f)).sort((a, b) => parseInt(a) - parseInt(b));
            return files.map((f) => readCriLog(path.join(d, f))).join("");
        }
        return "";
    }

    /** Ends every node and the control plane (by PID), removes the run's cgroups and directory. */
    async stop(): Promise<void> {
        if (this.stopped) return;
        this.stopped = true;
        for (const e of this.enforcers) await e.kill();
        for (const n of this.nodes) await n.stop();
        this.relay.kill("SIGKILL");
        await this.controlPlane.stop();
        await removeCgroupsWhenEmpty(this.cgroupDirs);
        process.off("exit", this.onExit);
        if (process.env.SANDBOX_KEEP_WORK !== "1") fs.rmSync(this.dir, { recursive: true, force: true });
    }

    private killNow(): void {
        for (const e of this.enforcers) e.killNow();
        for (const n of this.nodes) n.killNow();
        this.relay.kill("SIGKILL");
    }
}

function startRelay(listen: string, target: string, log: string): Promise<ChildProcess> {
    return new Promise((resolve, reject) => {
        const proc = spawn(process.execPath, [path.join(__dirname, "relay.js"), listen, target], { stdio: ["ignore", "pipe", fs.openSync(log, "a")] });
        proc.once("exit", (code) => reject(new Error(`relay ${listen} -> ${target} exited (${code})`)));
        proc.stdout!.once("data", () => resolve(proc));
    });
}

async function waitNodesReady(client: KubeClient, nodes: RealNode[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let notReady: string[] = nodes.map((n) => n.spec.name);
    while (Date.now() < deadline) {
        const dead = nodes.find((n) => !n.running);
        if (dead) throw new Error(`node ${dead.spec.name} exited before it was Ready`);
        const items = await client.list("v1", "Node");
        const ready = new Set(
            items
                .filter((n: any) => (n.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True"))
                // The node lifecycle controller lifts not-ready once Ready is seen; pods wait for that.
                .filter((n: any) => !(n.spec?.taints ?? []).some((t: any) => t.key === "node.kubernetes.io/not-ready"))
                .map((n: any) => n.metadata.name),
        );
        notReady = nodes.map((n) => n.spec.name).filter((n) => !ready.has(n));
        if (notReady.length === 0) return;
        await sleep(250);
    }
    throw new Error(`nodes not Ready after ${timeoutMs} ms: ${notReady.join(", ")}`);
}

/** Tags the imported test image by its digest on every node, so a digest-pinned reference resolves locally. */
function tagByDigest(ctr: string, nodes: RealNode[]): string {
    let digest: string | undefined;
    for (const n of nodes) {
        const args = ["--address", n.containerdSocket, "--namespace", "k8s.io", "images"];
        const line = execFileSync(ctr, [...args, "ls"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n").find((l) => l.startsWith(`${TEST_IMAGE} `));
        const d = line?.split(/\s+/).find((w) => /^sha256:[0-9a-f]{64}$/.test(w));
        if (!d) throw new Error(`node ${n.spec.name}: image ${TEST_IMAGE} not imported`);
        if (digest && d !== digest) throw new Error(`node ${n.spec.name}: ${TEST_IMAGE} has digest ${d}, another node ${digest}`);
        digest = d;
        const ref = `${TEST_IMAGE.split(":")[0]}@${d}`;
        execFileSync(ctr, [...args, "tag", "--force", TEST_IMAGE, ref], { stdio: "ignore" });
    }
    return `${TEST_IMAGE.split(":")[0]}@${digest}`;
}

/** Mounted cgroup hierarchies (v1: one per controller; v2: the unified root). */
function cgroupHierarchies(): string[] {
    const root = "/sys/fs/cgroup";
    if (fs.existsSync(path.join(root, "cgroup.controllers"))) return [root];
    return fs.readdirSync(root)
        .map((d) => path.join(root, d))
        .filter((d) => !fs.lstatSync(d).isSymbolicLink() && fs.existsSync(path.join(d, "cgroup.procs")));
}

function removeCgroups(dirs: string[]): boolean {
    let all = true;
    const rm = (d: string): void => {
        if (!fs.existsSync(d)) return;
        for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) rm(path.join(d, e.name));
        try {
            fs.rmdirSync(d);
        } catch {
            all = false;
        }
    };
    for (const d of dirs) rm(d);
    return all;
}

/** The kernel removes a dead namespace's processes shortly after its init dies: retry a while. */
async function removeCgroupsWhenEmpty(dirs: string[]): Promise<void> {
    for (let i = 0; i < 50; i++) {
        if (removeCgroups(dirs)) return;
        await sleep(100);
    }
    throw new Error(`cgroups still busy after 5 s: ${dirs.filter((d) => fs.existsSync(d)).join(", ")}`);
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
