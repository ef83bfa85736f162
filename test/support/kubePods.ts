// Pods the isolation tests submit, and waiting for the real scheduler's verdict on them.
import { KubeClient, KubeObject } from "./kubeClient";
import { sleep } from "./kubeControlPlane";

export interface PodOptions {
    runtimeClassName?: string;
    tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
    nodeSelector?: Record<string, string>;
    hostNetwork?: boolean;
    hostPID?: boolean;
    /** Give the pod a privileged init container. */
    privilegedInit?: boolean;
    /** Mount this node path into the container through a hostPath volume. */
    hostPath?: string;
    labels?: Record<string, string>;
    ownerReferences?: any[];
}

/** An ordinary pod with one container; the options add what a test is about. */
export function podObject(name: string, namespace: string, o: PodOptions = {}): KubeObject {
    const spec: any = {
        containers: [{ name: "app", image: "registry.example/app:1.0" }],
    };
    if (o.runtimeClassName) spec.runtimeClassName = o.runtimeClassName;
    if (o.tolerations) spec.tolerations = o.tolerations;
    if (o.nodeSelector) spec.nodeSelector = o.nodeSelector;
    if (o.hostNetwork) spec.hostNetwork = true;
    if (o.hostPID) spec.hostPID = true;
    if (o.hostPath) {
        spec.volumes = [{ name: "host", hostPath: { path: o.hostPath } }];
        spec.containers[0].volumeMounts = [{ name: "host", mountPath: "/host" }];
    }
    if (o.privilegedInit) {
        spec.initContainers = [{ name: "setup", image: "registry.example/setup:1.0", securityContext: { privileged: true } }];
    }
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, ...(o.labels ? { labels: o.labels } : {}), ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}) },
        spec,
    };
}

export type ScheduleResult = { bound: true; node: string } | { bound: false; message: string };

/**
 * Waits until the scheduler binds the pod, or reports it unschedulable (after `settleMs` more
 * of waiting, to give a slow scheduler every chance to bind it after all).
 */
export async function waitScheduled(
    client: KubeClient,
    namespace: string,
    name: string,
    timeoutMs = 30_000,
): Promise<ScheduleResult> {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
        last = await client.get("v1", "Pod", name, namespace);
        if (last.spec.nodeName) return { bound: true, node: last.spec.nodeName };
        const cond = (last.status?.conditions ?? []).find((c: any) => c.type === "PodScheduled");
        if (cond?.status === "False" && cond.reason === "Unschedulable") return { bound: false, message: cond.message };
        await sleep(100);
    }
    throw new Error(`pod ${namespace}/${name} neither bound nor unschedulable after ${timeoutMs} ms: ${JSON.stringify(last?.status)}`);
}

/** Waits until the pod is bound to a node (it may first be reported unschedulable). */
export async function waitBound(client: KubeClient, namespace: string, name: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const pod = await client.get("v1", "Pod", name, namespace);
        if (pod.spec.nodeName) return pod.spec.nodeName;
        await sleep(100);
    }
    throw new Error(`pod ${namespace}/${name} not bound after ${timeoutMs} ms`);
}
