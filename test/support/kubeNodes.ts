// Node objects stamped exactly as the pool components stamp real nodes (labels and taints from
// `nodeStamp` in the isolation contract), registered on a real API server so the real scheduler
// can bind pods to them. No kubelet runs: the status is written once, as a kubelet would.
import { Cloud, NodeStamp, Runtime, Taint, nodeStamp } from "../../components/isolation";
import { KATA_INSTALLED_LABEL } from "../../components/kataShims";
import { KubeClient, KubeObject } from "./kubeClient";

/** What a node is, for the scheduling assertions. */
export const NodeRole = {
    General: "general",
    Gvisor: "gvisor",
    /** A Kata node after kata-deploy installed Kata: startup taint removed, kata label added. */
    KataReady: "kata-ready",
    /** A Kata node that registered but where kata-deploy has not finished: startup taint on. */
    KataStarting: "kata-starting",
} as const;
export type NodeRole = (typeof NodeRole)[keyof typeof NodeRole];

export interface NodeSpec {
    name: string;
    role: NodeRole;
    cloud: Cloud;
    /** Label and taint key prefix the stack uses (the contract's default when omitted). */
    prefix?: string;
    /**
     * The node's own labels and taints as its planned pool declares them (an AKS agent pool's
     * `nodeLabels` and `nodeTaints`), instead of the role's stamp: nodes that carry exactly
     * what the plan would give them.
     */
    planned?: { labels: Record<string, string>; taints: Taint[] };
}

/** Allocatable resources of every test node: room for the benchmark's pods and Kata overheads. */
const NODE_CAPACITY = { cpu: "64", memory: "256Gi", pods: "250", "ephemeral-storage": "500Gi" };

/** The stamp the node's pool puts on it, or undefined for a general node. */
export function stampOf(spec: NodeSpec): NodeStamp | undefined {
    switch (spec.role) {
        case NodeRole.General:
            return undefined;
        case NodeRole.Gvisor:
            return nodeStamp(Runtime.Gvisor, spec.cloud, spec.prefix);
        case NodeRole.KataReady:
        case NodeRole.KataStarting:
            return nodeStamp(Runtime.Kata, spec.cloud, spec.prefix);
    }
}

/** The Node object as the kubelet registers it, after the runtime installer did its part. */
export function nodeObject(spec: NodeSpec): KubeObject {
    const stamp = stampOf(spec);
    const labels: Record<string, string> = {
        "kubernetes.io/hostname": spec.name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        ...(spec.planned ? {} : stamp?.labels ?? {}),
    };
    let taints = stamp?.taints ?? [];
    if (spec.planned) {
        Object.assign(labels, spec.planned.labels);
        taints = spec.planned.taints;
    } else if (spec.role === NodeRole.KataReady && stamp) {
        // What kata-deploy does once Kata works on the node: label it, drop the startup taints.
        labels[KATA_INSTALLED_LABEL] = "true";
        const startup = new Set(stamp.startupTaints.map((t) => `${t.key}=${t.value}:${t.effect}`));
        taints = taints.filter((t) => !startup.has(`${t.key}=${t.value}:${t.effect}`));
    }
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: spec.name, labels },
        spec: taints.length ? { taints: taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) } : {},
    };
}

/**
 * Creates the Node and writes a Ready status with capacity, as a kubelet would, then drops the
 * `node.kubernetes.io/not-ready` taint the API server adds to every new node, as the node
 * lifecycle controller would once the node reports Ready.
 */
export async function registerNode(client: KubeClient, spec: NodeSpec): Promise<void> {
    const node = nodeObject(spec);
    await client.ok("POST", "/api/v1/nodes", node);
    const now = new Date().toISOString();
    await client.ok(
        "PATCH",
        `/api/v1/nodes/${encodeURIComponent(spec.name)}/status`,
        {
            status: {
                capacity: NODE_CAPACITY,
                allocatable: NODE_CAPACITY,
                conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "test node", lastHeartbeatTime: now, lastTransitionTime: now }],
                addresses: [{ type: "Hostname", address: spec.name }],
                nodeInfo: {
                    machineID: "", systemUUID: "", bootID: "", kernelVersion: "6.1.0", osImage: "test", containerRuntimeVersion: "containerd://2.2.0",
                    kubeletVersion: "v1.36.3", kubeProxyVersion: "", operatingSystem: "linux", architecture: "amd64",
                },
            },
        },
        "application/merge-patch+json",
    );
    await client.ok(
        "PATCH",
        `/api/v1/nodes/${encodeURIComponent(spec.name)}`,
        { spec: { taints: node.spec.taints ?? null } },
        "application/merge-patch+json",
    );
}

/** Creates a namespace and its `default` ServiceAccount (the job of a controller not running here). */
export async function createNamespace(client: KubeClient, name: string, labels: Record<string, string> = {}): Promise<void> {
    await client.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
    await ensureDefaultServiceAccount(client, name);
}

/** Creates the namespace's `default` ServiceAccount unless it exists. */
export async function ensureDefaultServiceAccount(client: KubeClient, namespace: string): Promise<void> {
    const res = await client.request("POST", `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts`, {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "default", namespace },
    });
    if (res.status !== 201 && res.status !== 409) throw new Error(`creating ${namespace}/default ServiceAccount: HTTP ${res.status}: ${res.text.slice(0, 300)}`);
}
