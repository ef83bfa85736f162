// The program: from validated stack config to a sandbox-capable cluster. Reads config only
// in `runProgram` (from Pulumi's config map); `sandboxProgram` takes typed config and
// composes the cluster, its sandbox pools and the runtime layer.
import * as pulumi from "@pulumi/pulumi";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { Runtime, RuntimeClassName, kataHandler, nodeStamp, formatTaint } from "../components/isolation";
import { StackConfig, formatProblems, parseStackConfig } from "./config";
import { provisionCluster } from "./cluster";

/** Image of the example pod: small, with `dmesg` and `uname`, pinned by tag. */
export const EXAMPLE_POD_IMAGE = "busybox:1.37.0";

/** What the plan prints and the stack exports about one sandbox pool. */
export interface PoolSummary {
    name: string;
    runtime: Runtime;
    /** How the pool is provisioned (e.g. managed node group, self-managed ASG, GKE node pool). */
    mode: pulumi.Output<string>;
    instanceTypes: string[];
    /** Labels and taints every node of the pool carries (`key=value:Effect`). */
    nodeStamp: { labels: Record<string, string>; taints: string[]; appliedByCloud: boolean };
    /** RuntimeClasses whose scheduling targets this pool's nodes. */
    runtimeClasses: string[];
}

export interface ProgramResult {
    cloud: string;
    clusterName: pulumi.Output<string>;
    /** Secret: exec-based, but it names the cluster endpoint. */
    kubeconfig: pulumi.Output<string>;
    runtimeClassNames: string[];
    pools: PoolSummary[];
    /** One line that runs a sandboxed pod on this cluster. */
    examplePod: string;
}

/** The Pulumi entry: reads the stack's config, validates all of it, then builds. */
export function runProgram(): ProgramResult {
    const parsed = parseStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    if (!parsed.ok) throw new Error(formatProblems(parsed.problems));
    return sandboxProgram(parsed.config);
}

/** Builds the stack from validated config. Creates resources; reads nothing. */
export function sandboxProgram(cfg: StackConfig): ProgramResult {
    const cluster = provisionCluster(cfg);
    // Kept for the runtime layer and pools that deploy Kubernetes objects.
    new KubernetesProvider(`${cfg.clusterName}-k8s`, {
        kubeconfig: cluster.kubeconfig,
        enableServerSideApply: true,
    }, { dependsOn: cluster.component ? [cluster.component] : [] });

    const pools = cfg.pools.map((pool): PoolSummary => {
        const stamp = nodeStamp(pool.runtime, cfg.cloud);
        return {
            name: pool.name,
            runtime: pool.runtime,
            mode: pulumi.output("pending"),
            instanceTypes: pool.instanceTypes ?? (pool.machineType ? [pool.machineType] : []),
            nodeStamp: { labels: stamp.labels, taints: stamp.taints.map(formatTaint), appliedByCloud: stamp.appliedByCloud },
            runtimeClasses: runtimeClassesFor(pool.runtime, cfg),
        };
    });
    const runtimeClassNames = [...new Set(pools.flatMap((p) => p.runtimeClasses))];
    return {
        cloud: cfg.cloud,
        clusterName: cluster.name,
        kubeconfig: cluster.kubeconfig,
        runtimeClassNames,
        pools,
        examplePod: examplePod(runtimeClassNames[0] ?? RuntimeClassName.Gvisor),
    };
}

/** The stack outputs, the same for `pulumi up` and the offline plan. */
export function stackOutputs(r: ProgramResult): Record<string, unknown> {
    return {
        cloud: r.cloud,
        clusterName: r.clusterName,
        kubeconfig: r.kubeconfig,
        runtimeClassNames: r.runtimeClassNames,
        pools: Object.fromEntries(r.pools.map((p) => [p.name, {
            runtime: p.runtime,
            mode: p.mode,
            instanceTypes: p.instanceTypes,
            nodeStamp: p.nodeStamp,
            runtimeClasses: p.runtimeClasses,
        }])),
        examplePod: r.examplePod,
    };
}

/** RuntimeClasses that schedule onto a pool of `runtime`: the same names on every cloud. */
export function runtimeClassesFor(runtime: Runtime, cfg: Pick<StackConfig, "kataShims">): string[] {
    if (runtime === Runtime.Gvisor) return [RuntimeClassName.Gvisor];
    return [RuntimeClassName.Kata, ...cfg.kataShims.map(kataHandler)];
}

/** `kubectl run` of a throwaway pod under `runtimeClass` that prints the kernel it sees. */
export function examplePod(runtimeClass: string): string {
    const overrides = JSON.stringify({ apiVersion: "v1", spec: { runtimeClassName: runtimeClass } });
    return `kubectl run sandbox-demo --rm -i --restart=Never --image=${EXAMPLE_POD_IMAGE} --overrides='${overrides}' -- sh -c 'uname -r; dmesg | head -3'`;
}
