// One real Kubernetes node for the end-to-end suite: kubelet and containerd 2.x in PID, mount
// and network namespaces of its own (`unshare`), so the host's sysctls, /var/log, /run, /var/lib,
// /etc, /opt and network stay as they were. A sandbox node's containerd carries the runtime
// fragment and runsc.toml the EKS gVisor bootstrap renders, and its kubelet registers with the
// labels and taints the component renders for a gVisor pool; a Kata node registers with a Kata
// pool's stamp (startup taint included) and runs runc only, since Kata's VMs cannot boot on these
// machines; a general node runs runc only.
//
// Pods reach the API server in-cluster, as on a real node: the `kubernetes` Service address is a
// local address of the node's network namespace, where a relay serves it. A node can pull from
// the suite's loopback registry (`registry`): containerd's hosts.toml sends the mirrored
// registries' pulls there, through a relay as well.
//
// Every process of a node lives in its PID namespace, whose init is the child of one `unshare`
// process started here: killing that PID ends the node (kernel-enforced), so cleanup never
// searches for processes by name. The node's cgroups live under a cgroup of the run's own name,
// removed on stop.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "smol-toml";
import { renderContainerdRuntimeToml, renderRunscToml } from "../../components/aws/gvisorBootstrap";
import { kubeletStampFlags } from "../../components/aws/userdata";
import { Cloud, NodeStamp, Runtime, Taint, nodeStamp } from "../../components/isolation";
import { baseConfig, mergeFragment, shimOomStandIn } from "./gvisor/node";

type Table = Record<string, unknown>;

/** What a node runs: the gVisor pool's stamp and handler, or nothing but runc. */
export const NodeKind = {
    /** An EKS gVisor pool node: handler `runsc` registered, stamped and tainted by the contract. */
    Gvisor: "gvisor",
    /** A general (system) node: runc only, no stamp. */
    General: "general",
    /**
     * An EKS Kata pool node: stamped and tainted by the contract (the startup taint included,
     * which kata-deploy lifts), runc only: no Kata handler, since Kata's VMs cannot run here.
     */
    Kata: "kata",
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

export interface RealNodeSpec {
    /** Node name (kubelet `--hostname-override`). */
    name: string;
    kind: NodeKind;
    /**
     * Changes the node's containerd config after the rendered fragment is merged, e.g.
     * `runscAsRunc` for the negative control. Default: the config as rendered.
     */
    containerdConfig?: (config: Table) => Table;
    /**
     * Folder holding the gVisor node's `runsc`, shim and any `gvisor-bin/` sidecars (benchmarks
     * point this at a release-like layout). Default: the cluster's `gvisorBinDir`.
     */
    gvisorBinDir?: string;
}

/** Paths of the binaries a node runs. */
export interface NodeBinaries {
    kubelet: string;
    containerd: string;
    ctr: string;
    /** Folder of containerd's `containerd-shim-runc-v2`. */
    containerdBinDir: string;
    /** Folder holding `runsc` and `containerd-shim-runsc-v1`. */
    gvisorBinDir: string;
    /** Folder holding the CNI plugins `bridge`, `host-local`, `loopback`. */
    cniBinDir: string;
    runc: string;
    /** busybox (static), whose httpd serves the node's stand-ins (`NODE_STAND_INS`). */
    busybox: string;
}

/** The sysctls kubelet sets on start; each is shadowed by a file of the node's own. */
const KUBELET_SYSCTLS = ["vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic", "kernel/panic_on_oops", "kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes"];

/** Where the API server is reachable inside every node's network namespace (through the relay). */
export const API_IN_NODE = { host: "127.0.0.1", port: 6443 };

/**
 * What a pod of a node can try to reach on the node itself, each an HTTP server in the node's
 * network namespace (never the host's): the cloud metadata address, with a stand-in credential
 * document where EC2's instance metadata serves the node role's credentials; a public address
 * (TEST-NET-1, RFC 5737: in no denied range) standing in for the internet a tenant may reach; and
 * the kubelet, which listens on the node's own IP as on a cloud node.
 */
export const NODE_STAND_INS = {
    metadata: { address: "169.254.169.254", port: 80, path: "/latest/meta-data/iam/security-credentials/node-role" },
    internet: { address: "192.0.2.10", port: 80, path: "/" },
    kubeletPort: 10250,
} as const;
/** The body both stand-ins serve, so a probe can tell them from anything else that answers. */
export const STAND_IN_BODY = "sandbox-clusters stand-in";

/**
 * The `kubernetes` Service (the first address of kube-apiserver's --service-cluster-ip-range,
 * test/support/kubeControlPlane.ts): pods dial it from the KUBERNETES_SERVICE_* variables the
 * kubelet sets. Each node holds it as a local address and relays it to the API server, so no
 * service proxy is needed.
 */
export const KUBERNETES_SERVICE = { host: "10.96.0.1", port: 443 };

/** A loopback registry the node's containerd pulls from, in place of the registries it mirrors. */
export interface NodeRegistry {
    /** `127.0.0.1:<port>`: where containerd dials the mirror inside the node (a relay to `socket`). */
    host: string;
    /** The registry's UNIX socket on the host. */
    socket: string;
    /** The registry's certificate (PEM), which containerd trusts for it. */
    certFile: string;
    /** Registries whose pulls go to the mirror, e.g. `quay.io`. */
    mirrors: readonly string[];
}

/**
 * Maps handler `runsc` to runc in a node's containerd: the negative control. The node keeps its
 * gVisor stamp and RuntimeClass, but its "gVisor" pods run on the host kernel.
 */
export function runscAsRunc(config: Table, runc = "/usr/sbin/runc"): Table {
    const out = JSON.parse(JSON.stringify(config));
    out.plugins["io.containerd.cri.v1.runtime"].containerd.runtimes.runsc = {
        runtime_type: "io.containerd.runc.v2",
        options: { BinaryName: runc, SystemdCgroup: false },
    };
    return out;
}

export interface NodeStartInput {
    spec: RealNodeSpec;
    /** Index among the cluster's nodes: picks the node's addresses and pod subnet. */
    index: number;
    dir: string;
    bin: NodeBinaries;
    /** UNIX socket that leads to the API server (served by the cluster's relay on the host). */
    apiSocket: string;
    caFile: string;
    caKeyFile: string;
    /** Image tarballs to import (docker archives). */
    images: string[];
    pauseImage: string;
    /** cgroup (relative to each hierarchy's root) the node's pods live under; created by the cluster. */
    cgroupRoot: string;
    /** A registry to pull the mirrored registries' images from. Default none (nothing is pulled). */
    registry?: NodeRegistry;
}

/** A started node. `stop()` kills its PID namespace. */
export class RealNode {
    private exited: Promise<void>;
    private exitCode: number | null = null;

    private constructor(
        readonly spec: RealNodeSpec,
        readonly dir: string,
        /** The node's containerd socket (reachable from the host: a UNIX socket crosses namespaces). */
        readonly containerdSocket: string,
        /** Where kubelet writes pod logs: `<ns>_<pod>_<uid>/<container>/<n>.log`. */
        readonly podLogsDir: string,
        /** Labels and taints the node registered with (empty for a general node). */
        readonly stamp: { labels: Record<string, string>; taints: Taint[] },
        /** The node's InternalIP (its kubelet listens there); pods reach it through their bridge. */
        readonly nodeIp: string,
        private readonly proc: ChildProcess,
    ) {
        this.exited = new Promise((res) => proc.once("exit", (code) => {
            this.exitCode = code ?? -1;
            res();
        }));
    }

    /** The `unshare` process whose child is the node's init; its PID is what stop() kills. */
    get pid(): number {
        return this.proc.pid!;
    }

    /**
     * Stops the node's kubelet alone (containerd and its containers go on): the node stops
     * reporting and the node lifecycle controller marks it NotReady, as a node whose kubelet died
     * or whose machine was reclaimed. The node's init (the child of `pid`) stops it on SIGUSR1.
     */
    stopKubelet(): void {
        const children = fs.readFileSync(`/proc/${this.pid}/task/${this.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
        if (children.length !== 1) throw new Error(`node ${this.spec.name}: expected one init process under ${this.pid}, found ${children.length}`);
        process.kill(Number(children[0]), "SIGUSR1");
    }

    get running(): boolean {
        return this.exitCode === null;
    }

    static start(input: NodeStartInput): RealNode {
        const { spec, dir, bin } = input;
        fs.mkdirSync(dir, { recursive: true });
        const sub = (...p: string[]) => path.join(dir, ...p);
        for (const d of ["kubelet", "pod-logs", "var-log", "sysctl", "cni/bin", "cni/net.d", "cni/ipam", "pki"]) fs.mkdirSync(sub(d), { recursive: true });
        for (const p of ["bridge", "host-local", "loopback"]) fs.symlinkSync(path.join(bin.cniBinDir, p), sub("cni", "bin", p));
        const metadataFile = sub("stand-in", ...NODE_STAND_INS.metadata.path.split("/"));
        fs.mkdirSync(path.dirname(metadataFile), { recursive: true });
        fs.writeFileSync(metadataFile, `${STAND_IN_BODY}: metadata credentials of ${spec.name}\n`);
        fs.writeFileSync(sub("stand-in", "index.html"), `${STAND_IN_BODY}: internet\n`);

        const nodeIp = `10.250.${input.index}.2`;
        const gateway = `10.250.${input.index}.1`;
        fs.writeFileSync(sub("cni", "net.d", "10-bridge.conflist"), JSON.stringify(cniConfig(`10.244.${input.index}.0/24`, sub("cni", "ipam")), null, 2));

        let config = baseConfig(dir, 3);
        let stamp: { labels: Record<string, string>; taints: Taint[] } = { labels: {}, taints: [] };
        const pathDirs: string[] = [];
        if (spec.kind === NodeKind.Gvisor) {
            fs.writeFileSync(sub("runsc.toml"), renderRunscToml());
            config = mergeFragment(config, renderContainerdRuntimeToml({ runscConfigPath: sub("runsc.toml") }, 3));
            const s: NodeStamp = nodeStamp(Runtime.Gvisor, Cloud.Aws);
            stamp = { labels: s.labels, taints: s.taints };
            pathDirs.push(...shimPath(dir, spec.gvisorBinDir ?? bin.gvisorBinDir));
        }
        if (spec.kind === NodeKind.Kata) {
            const s: NodeStamp = nodeStamp(Runtime.Kata, Cloud.Aws);
            stamp = { labels: s.labels, taints: s.taints };
        }
        if (input.registry) config = withRegistryMirror(config, sub("certs.d"), input.registry);
        if (spec.containerdConfig) config = spec.containerdConfig(config);
        fs.writeFileSync(sub("containerd.toml"), stringify(config));

        issueNodeCertificate(sub("pki"), spec.name, input.caFile, input.caKeyFile);
        fs.writeFileSync(sub("kubelet.kubeconfig"), JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "test", cluster: { server: `https://${API_IN_NODE.host}:${API_IN_NODE.port}`, "certificate-authority": input.caFile } }],
            users: [{ name: spec.name, user: { "client-certificate": sub("pki", "node.crt"), "client-key": sub("pki", "node.key") } }],
            contexts: [{ name: "test", context: { cluster: "test", user: spec.name } }],
            "current-context": "test",
        }));
        fs.writeFileSync(sub("kubelet.yaml"), JSON.stringify(kubeletConfig({
            dir,
            nodeIp,
            caFile: input.caFile,
            containerdSocket: sub("containerd.sock"),
            cgroupRoot: input.cgroupRoot,
        }), null, 2));
        const kubeletArgs = [
            `--config=${sub("kubelet.yaml")}`,
            `--kubeconfig=${sub("kubelet.kubeconfig")}`,
            `--root-dir=${sub("kubelet")}`,
            `--cert-dir=${sub("pki")}`,
            `--hostname-override=${spec.name}`,
            `--node-ip=${nodeIp}`,
            // cadvisor dials containerd itself, at /run/containerd/containerd.sock unless told.
            `--containerd=${sub("containerd.sock")}`,
            // Exactly what the component renders for a pool's kubelet (labels, then taints).
            ...kubeletStampFlags(stamp.labels, stamp.taints),
            "--v=1",
        ];

        const script = nodeScript({
            dir,
            nodeIp,
            gateway,
            apiSocket: input.apiSocket,
            relay: path.join(__dirname, "relay.js"),
            node: process.execPath,
            containerd: bin.containerd,
            ctr: bin.ctr,
            pathDirs: [...pathDirs, bin.containerdBinDir, path.dirname(bin.runc), "/usr/sbin", "/usr/bin", "/sbin", "/bin"],
            images: input.images,
            pauseImage: input.pauseImage,
            registry: input.registry,
            busybox: bin.busybox,
            standInDir: sub("stand-in"),
            kubelet: bin.kubelet,
            kubeletArgs,
        });
        fs.writeFileSync(sub("node.sh"), script, { mode: 0o755 });
        const out = fs.openSync(sub("node.log"), "a");
        // --kill-child: the node's init (and so, the kernel ensures, every process of its PID
        // namespace) dies with this process, whatever kills it.
        const proc = spawn("unshare", ["--net", "--mount", "--pid", "--fork", "--mount-proc", "--kill-child=SIGKILL", "bash", sub("node.sh")], {
            stdio: ["ignore", out, out],
        });
        fs.closeSync(out);
        return new RealNode(spec, dir, sub("containerd.sock"), sub("pod-logs"), stamp, nodeIp, proc);
    }

    /** The last lines of the node's logs (node script, containerd, kubelet), for failure messages. */
    logTails(lines = 20): string {
        return ["node.log", "containerd.log", "kubelet.log", "relay.log"]
            .map((f) => {
                const file = path.join(this.dir, f);
                const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "";
                return `--- ${this.spec.name} ${f} ---\n${text}`;
            })
            .join("\n");
    }

    /** Ends the node: SIGKILL to the unshare process, whose death kills the node's PID namespace. */
    async stop(): Promise<void> {
        if (this.running) this.proc.kill("SIGKILL");
        await this.exited;
    }

    /** Synchronous last resort (process exit). */
    killNow(): void {
        if (this.running) this.proc.kill("SIGKILL");
    }
}

/**
 * gVisor's shim lowers its own oom_score_adj, which needs CAP_SYS_RESOURCE; where the machine
 * lacks it, the gVisor suite's stand-in (node.ts `shimOomStandIn`) runs the real shim unchanged.
 */
function shimPath(dir: string, gvisorBinDir: string): string[] {
    const canLower = (() => {
        try {
            execFileSync("sh", ["-c", "echo -999 > /proc/self/oom_score_adj"], { stdio: "ignore" });
            return true;
        } catch {
            return false;
        }
    })();
    if (canLower) return [gvisorBinDir];
    return [shimOomStandIn(dir, path.join(gvisorBinDir, "containerd-shim-runsc-v1")), gvisorBinDir];
}

/**
 * containerd's registry hosts (config version 3: `config_path` of the CRI image service): for
 * each mirrored registry a hosts.toml that sends pulls and resolves to the loopback registry,
 * trusting its certificate. The upstream itself is never reached (this machine has no route to it).
 */
function withRegistryMirror(config: Table, certsDir: string, r: NodeRegistry): Table {
    const out = JSON.parse(JSON.stringify(config));
    for (const m of r.mirrors) {
        fs.mkdirSync(path.join(certsDir, m), { recursive: true });
        fs.writeFileSync(path.join(certsDir, m, "hosts.toml"), stringify({
            server: `https://${m}`,
            host: { [`https://${r.host}`]: { capabilities: ["pull", "resolve"], ca: r.certFile } },
        }));
    }
    const images = (out.plugins["io.containerd.cri.v1.images"] ??= {});
    images.registry = { ...(images.registry ?? {}), config_path: certsDir };
    return out;
}

function cniConfig(subnet: string, ipamDir: string) {
    return {
        cniVersion: "1.0.0",
        name: "sandbox-clusters-test",
        plugins: [
            {
                type: "bridge",
                bridge: "cni0",
                isGateway: true,
                ipMasq: false,
                ipam: { type: "host-local", dataDir: ipamDir, ranges: [[{ subnet }]], routes: [{ dst: "0.0.0.0/0" }] },
            },
        ],
    };
}

/**
 * kubelet's config for this machine: cgroup v1 allowed (`failCgroupV1: false`), cgroupfs, no QoS
 * cgroups or node-allocatable enforcement (the machine's root cgroup is not ours), no iptables
 * chains, no oom_score_adj changes (no CAP_SYS_RESOURCE), eviction thresholds low enough that a
 * busy shared machine does not evict test pods.
 */
function kubeletConfig(o: { dir: string; nodeIp: string; caFile: string; containerdSocket: string; cgroupRoot: string }) {
    return {
        apiVersion: "kubelet.config.k8s.io/v1beta1",
        kind: "KubeletConfiguration",
        failCgroupV1: false,
        cgroupDriver: "cgroupfs",
        cgroupsPerQOS: false,
        cgroupRoot: `/${o.cgroupRoot}`,
        enforceNodeAllocatable: [],
        failSwapOn: false,
        makeIPTablesUtilChains: false,
        oomScoreAdj: 0,
        podLogsDir: path.join(o.dir, "pod-logs"),
        containerRuntimeEndpoint: `unix://${o.containerdSocket}`,
        // The node's own address, as on a cloud node: the wall keeps tenant pods from it.
        address: o.nodeIp,
        readOnlyPort: 0,
        healthzBindAddress: "127.0.0.1",
        authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: o.caFile } },
        authorization: { mode: "AlwaysAllow" },
        localStorageCapacityIsolation: false,
        evictionHard: { "memory.available": "1Mi", "nodefs.available": "1%", "nodefs.inodesFree": "1%", "imagefs.available": "1%" },
        imageGCHighThresholdPercent: 100,
        imageGCLowThresholdPercent: 99,
        serializeImagePulls: false,
        resolvConf: "",
    };
}

/** A client certificate for the kubelet, from the cluster CA (the Node authorizer's identity). */
function issueNodeCertificate(dir: string, name: string, caFile: string, caKeyFile: string): void {
    const p = (f: string) => path.join(dir, f);
    const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("node.key"), "-out", p("node.csr"), "-subj", `/O=system:nodes/CN=system:node:${name}`);
    ssl("x509", "-req", "-in", p("node.csr"), "-CA", caFile, "-CAkey", caKeyFile, "-CAcreateserial", "-CAserial", p("ca.srl"), "-out", p("node.crt"), "-days", "2");
}

interface NodeScriptInput {
    dir: string;
    nodeIp: string;
    gateway: string;
    apiSocket: string;
    relay: string;
    node: string;
    containerd: string;
    ctr: string;
    pathDirs: string[];
    images: string[];
    pauseImage: string;
    busybox: string;
    standInDir: string;
    kubelet: string;
    kubeletArgs: string[];
    registry?: NodeRegistry;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The node's init: network, private mounts over what kubelet and containerd would change on
 * the host, then the API relays, containerd (images imported) and kubelet. It exits when any of
 * them does, which ends the node; but on SIGUSR1 it stops kubelet alone and goes on.
 */
function nodeScript(o: NodeScriptInput): string {
    const sysctls = KUBELET_SYSCTLS.map((f) => {
        const copy = path.join(o.dir, "sysctl", f.replace(/\//g, "."));
        return `cat /proc/sys/${f} > ${q(copy)} && mount --bind ${q(copy)} /proc/sys/${f}`;
    });
    const sock = path.join(o.dir, "containerd.sock");
    const ctr = `${q(o.ctr)} --address ${q(sock)} --namespace k8s.io`;
    return [
        "#!/bin/bash",
        "# Init of one test node's PID, mount and network namespaces (written by test/support/realNode.ts).",
        "set -euo pipefail",
        "trap 'echo \"node init failed (exit $?) at line $LINENO: $BASH_COMMAND\" >&2' ERR",
        "ip link set lo up",
        "ip link add veth0 type veth peer name veth1",
        `ip addr add ${o.nodeIp}/24 dev veth0`,
        `ip addr add ${o.gateway}/24 dev veth1`,
        "ip link set veth0 up",
        "ip link set veth1 up",
        `ip route add default via ${o.gateway} dev veth0`,
        `ip addr add ${KUBERNETES_SERVICE.host}/32 dev lo`,
        "# Stand-ins a pod may try to reach on its node: the metadata address and a public one (NODE_STAND_INS).",
        ...[NODE_STAND_INS.metadata, NODE_STAND_INS.internet].flatMap((s) => [
            `ip addr add ${s.address}/32 dev lo`,
            `${q(o.busybox)} httpd -f -p ${s.address}:${s.port} -h ${q(o.standInDir)} &`,
        ]),
        "# Private copies of what kubelet, containerd, runc and the CNI plugins write on a real node.",
        "mount -t tmpfs -o mode=755 tmpfs /run",
        "mount -t tmpfs -o mode=755 tmpfs /var/lib",
        `mount --bind ${q(path.join(o.dir, "var-log"))} /var/log`,
        // Node agents' hostPath volumes (DirectoryOrCreate, or containerd creating a missing
        // source) write under /etc and /opt: the node's own layers, never the host's.
        `mkdir -p ${q(path.join(o.dir, "etc-upper"))} ${q(path.join(o.dir, "etc-work"))} ${q(path.join(o.dir, "opt"))}`,
        `mount -t overlay overlay -o lowerdir=/etc,upperdir=${q(path.join(o.dir, "etc-upper"))},workdir=${q(path.join(o.dir, "etc-work"))} /etc`,
        `mount --bind ${q(path.join(o.dir, "opt"))} /opt`,
        ...sysctls,
        "pids=()",
        `${q(o.node)} ${q(o.relay)} tcp:${API_IN_NODE.host}:${API_IN_NODE.port} unix:${q(o.apiSocket)} > ${q(path.join(o.dir, "relay.log"))} 2>&1 &`,
        "pids+=($!)",
        `${q(o.node)} ${q(o.relay)} tcp:${KUBERNETES_SERVICE.host}:${KUBERNETES_SERVICE.port} unix:${q(o.apiSocket)} > ${q(path.join(o.dir, "relay-service.log"))} 2>&1 &`,
        "pids+=($!)",
        ...(o.registry
            ? [`${q(o.node)} ${q(o.relay)} tcp:${o.registry.host} unix:${q(o.registry.socket)} > ${q(path.join(o.dir, "relay-registry.log"))} 2>&1 &`, "pids+=($!)"]
            : []),
        // systemd's private socket, which node agents (kata-deploy) mount as a hostPath of type Socket.
        "mkdir -p /run/systemd",
        `${q(o.node)} -e 'require("net").createServer((c) => c.destroy()).listen("/run/systemd/private")' &`,
        "pids+=($!)",
        `PATH=${q(o.pathDirs.join(":"))} ${q(o.containerd)} --config ${q(path.join(o.dir, "containerd.toml"))} > ${q(path.join(o.dir, "containerd.log"))} 2>&1 &`,
        "pids+=($!)",
        `for _ in $(seq 300); do ${ctr} version > /dev/null 2>&1 && break; sleep 0.1; done`,
        ...o.images.map((img) => `${ctr} images import ${q(img)} > /dev/null`),
        // grep reads all of ctr's output: `grep -q` would stop at the match, and ctr, still
        // writing, would die of SIGPIPE, which pipefail turns into a failed node start.
        `${ctr} images ls -q | grep -x ${q(o.pauseImage)} > /dev/null`,
        `${q(o.kubelet)} ${o.kubeletArgs.map(q).join(" ")} > ${q(path.join(o.dir, "kubelet.log"))} 2>&1 &`,
        "kubelet=$!",
        "kubelet_stopped=0",
        `trap 'kubelet_stopped=1; kill -KILL "$kubelet"; echo "kubelet stopped on request" >&2' USR1`,
        "echo node started",
        "while :; do",
        "    wait -n || true",
        '    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { echo "a node process ($p) exited; ending the node" >&2; exit 1; }; done',
        '    if [ "$kubelet_stopped" = 0 ] && ! kill -0 "$kubelet" 2>/dev/null; then echo "kubelet exited; ending the node" >&2; exit 1; fi',
        "done",
        "",
    ].join("\n");
}
