// The program: from validated stack config to a sandbox-capable cluster. Reads config only
// in `runProgram` (from Pulumi's config map); `sandboxProgram` takes typed config and
// composes the cluster, its sandbox pools and the runtime layer.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { EksSandboxKarpenterPool } from "../components/aws/EksSandboxKarpenterPool";
import { EksSandboxNodePool } from "../components/aws/EksSandboxNodePool";
import { KarpenterLabel } from "../components/aws/karpenterInstances";
import { GkeSandboxNodePool } from "../components/gcp/GkeSandboxNodePool";
import { AksSandboxNodePool } from "../components/azure/AksSandboxNodePool";
import { AKS_SPOT_TAINT, Cloud, Runtime, Taint, formatTaint, nodeStamp } from "../components/isolation";
import { SandboxRuntimes } from "../components/kubernetes/SandboxRuntimes";
import { SandboxNamespace } from "../components/kubernetes/SandboxNamespace";
import { ClusterFacts, provisionCluster } from "./cluster";
import { ClusterRef, aksPoolArgs, eksKarpenterPoolArgs, eksPoolArgs, isKarpenterPool, gkePoolArgs, poolComponentName, sandboxRuntimesArgs, stackRuntimeClasses, stackRuntimes, tenantNamespaceArgs, tenantNamespaceComponentName } from "./componentArgs";
import { StackConfig, formatProblems, parseStackConfig } from "./config";

/** Image of the example pod: small, with `dmesg` and `uname`, pinned by tag. */
export const EXAMPLE_POD_IMAGE = "busybox:1.37.0";

/** What the plan prints and the stack exports about one sandbox pool. */
export interface PoolSummary {
    name: string;
    runtime: Runtime;
    /** How the pool is provisioned: the pool component's mode (e.g. `kata-nested-self-managed`). */
    mode: string;
    instanceTypes: string[];
    /**
     * Node counts: the scaling range and, on EKS, the nodes the pool starts with. GKE counts
     * per zone of the pool and its autoscaler picks the count within the range. Absent for
     * nodes the program does not provision (cloud `kubernetes`).
     */
    size?: { min: number; max: number; desired?: number; perZone?: boolean };
    /** `spot` or `on-demand`; absent for nodes the program does not provision. */
    capacity?: "spot" | "on-demand";
    /**
     * Karpenter pools: the NodePool's requirements (`key In a, b`), within which Karpenter
     * chooses each node's instance type, and its limits (`cpu`, `memory`).
     */
    karpenter?: { requirements: string[]; limits: Record<string, string> };
    /** Labels and taints (`key=value:Effect`) every node of the pool registers with. */
    nodeStamp: { labels: Record<string, string>; taints: string[]; appliedByCloud: boolean };
    /** RuntimeClasses whose scheduling targets this pool's nodes. */
    runtimeClasses: string[];
}

export interface ProgramResult {
    cloud: string;
    clusterName: pulumi.Output<string>;
    /** Secret: exec-based, but it names the cluster endpoint. */
    kubeconfig: pulumi.Output<string>;
    runtimeClassNames: pulumi.Output<string[]>;
    pools: PoolSummary[];
    /** One line that runs a sandboxed pod on this cluster. */
    examplePod: string;
    /**
     * Per RuntimeClass, whether its verification Job proved the sandbox from inside a pod
     * (empty when verification is off). The one-line verdict is the Job's log.
     */
    verifications: SandboxRuntimes["verifications"];
}

/** Pool `mode` of sandbox nodes the user provisions (cloud `kubernetes`). */
export const USER_PROVISIONED_MODE = "user-provisioned";

/** The Pulumi entry: reads the stack's config, validates all of it, then builds. */
export function runProgram(): ProgramResult {
    const parsed = parseStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    if (!parsed.ok) throw new Error(formatProblems(parsed.problems));
    return sandboxProgram(readKubeconfigFile(parsed.config));
}

/**
 * Cloud `kubernetes` with `sandbox:kubeconfigPath`: the file's content (a relative path is
 * relative to the working directory, the project's folder under `pulumi`). Fails naming the
 * key before anything is created.
 */
export function readKubeconfigFile(cfg: StackConfig): StackConfig {
    const file = cfg.kubernetes?.kubeconfigPath;
    if (file === undefined) return cfg;
    let kubeconfig: string;
    try {
        kubeconfig = fs.readFileSync(path.resolve(file), "utf8");
    } catch (e) {
        throw new Error(formatProblems([{ path: "sandbox:kubeconfigPath", message: `cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]));
    }
    return { ...cfg, kubernetes: { ...cfg.kubernetes!, kubeconfig } };
}

/** Builds the stack from validated config. Creates resources; reads nothing. */
export function sandboxProgram(cfg: StackConfig): ProgramResult {
    const cluster = provisionCluster(cfg);
    const afterCluster = cluster.component ? [cluster.component] : [];
    const ref = clusterRef(cluster);
    const classes = stackRuntimeClasses(cfg);

    // Cloud `kubernetes`: the user's nodes, one summary per runtime, with the stamp to give them.
    const userNodes = cfg.cloud === Cloud.Kubernetes
        ? [...stackRuntimes(cfg)].map((runtime): PoolSummary => {
              const stamp = nodeStamp(runtime, cfg.cloud);
              return {
                  name: runtime,
                  runtime,
                  mode: USER_PROVISIONED_MODE,
                  instanceTypes: [],
                  nodeStamp: { labels: stamp.labels, taints: stamp.taints.map(formatTaint), appliedByCloud: false },
                  runtimeClasses: classes.filter((c) => c.runtime === runtime).map((c) => c.name),
              };
          })
        : [];
    const k8s = new KubernetesProvider(`${cfg.clusterName}-k8s`, {
        kubeconfig: cluster.kubeconfig,
        enableServerSideApply: true,
    }, { dependsOn: afterCluster });
    const pools = cfg.pools.map((pool) => {
        const summary = (mode: string, instanceTypes: string[], labels: Record<string, string>, taints: Taint[], appliedByCloud: boolean): PoolSummary => ({
            name: pool.name,
            runtime: pool.runtime,
            mode,
            instanceTypes,
            size: cfg.cloud === Cloud.Aws
                ? { min: pool.minSize, max: pool.maxSize, desired: pool.desiredSize ?? pool.minSize }
                : { min: pool.minSize, max: pool.maxSize, perZone: true },
            capacity: pool.spot ? "spot" : "on-demand",
            nodeStamp: { labels, taints: taints.map(formatTaint), appliedByCloud },
            runtimeClasses: classes.filter((c) => c.runtime === pool.runtime).map((c) => c.name),
        });
        const name = poolComponentName(cfg, pool);
        if (cfg.cloud === Cloud.Aws && isKarpenterPool(pool)) {
            // Its NodePool and EC2NodeClass go to the cluster's Karpenter through the cluster's provider.
            const p = new EksSandboxKarpenterPool(name, eksKarpenterPoolArgs(cfg, pool, ref), { dependsOn: afterCluster, providers: [k8s] });
            // No size: Karpenter launches nodes as pending pods need them, within the NodePool's requirements and limits.
            const { size: _noSize, ...s } = summary(p.mode, pool.instanceTypes ?? [], p.nodeLabels, p.nodeTaints, false);
            const capacityTypes = p.requirements.find((r) => r.key === KarpenterLabel.CapacityType)?.values ?? [];
            const karpenter = {
                requirements: p.requirements.map((r) => `${r.key} ${r.operator}${r.values ? ` ${r.values.join(", ")}` : ""}`),
                limits: Object.fromEntries(Object.entries(p.limits).filter(([, v]) => v !== undefined)) as Record<string, string>,
            };
            return { resource: p, summary: { ...s, capacity: capacityTypes.includes("spot") ? ("spot" as const) : ("on-demand" as const), karpenter } };
        }
        if (cfg.cloud === Cloud.Aws) {
            const p = new EksSandboxNodePool(name, eksPoolArgs(cfg, pool, ref), { dependsOn: afterCluster });
            return { resource: p, summary: summary(p.mode, pool.instanceTypes ?? [], p.nodeLabels, p.nodeTaints, false) };
        }
        if (cfg.cloud === Cloud.Azure) {
            const p = new AksSandboxNodePool(name, aksPoolArgs(cfg, pool, ref), { dependsOn: afterCluster });
            // What AKS nodes carry: the stamp, AKS's own spot taint on spot pools, the user's.
            const taints = [...p.nodeStamp.taints, ...(pool.spot ? [AKS_SPOT_TAINT] : []), ...pool.taints];
            return { resource: p, summary: summary(p.mode, [p.vmSize], { ...p.nodeStamp.labels, ...pool.labels }, taints, false) };
        }
        const p = new GkeSandboxNodePool(name, gkePoolArgs(cfg, pool, ref), { dependsOn: afterCluster });
        const stamp = p.nodeStamp;
        return {
            resource: p,
            summary: summary(p.mode, [p.machineType], { ...stamp.labels, ...pool.labels }, [...stamp.taints, ...pool.taints], stamp.appliedByCloud),
        };
    });

    // After the pools: kata-deploy and the verification Jobs need sandbox nodes to land on.
    const runtimes = new SandboxRuntimes(`${cfg.clusterName}-runtimes`, sandboxRuntimesArgs(cfg), {
        provider: k8s,
        dependsOn: pools.map((p) => p.resource),
    });
    // After the guard: a tenant namespace is only one once the guard holds it.
    for (const ns of Object.keys(cfg.tenantNamespaces ?? {})) {
        new SandboxNamespace(tenantNamespaceComponentName(cfg, ns), tenantNamespaceArgs(cfg, ns), { provider: k8s, dependsOn: [runtimes] });
    }

    return {
        cloud: cfg.cloud,
        clusterName: cluster.name,
        kubeconfig: cluster.kubeconfig,
        runtimeClassNames: runtimes.runtimeClassNames,
        pools: [...userNodes, ...pools.map((p) => p.summary)],
        examplePod: examplePod(classes[0].name),
        verifications: runtimes.verifications,
    };
}

function clusterRef(cluster: ClusterFacts): ClusterRef {
    if (!cluster.eks) return { clusterName: cluster.name };
    const e = cluster.eks;
    // A created cluster hands its facts over; an adopted one is looked up by the pools that need it.
    return {
        clusterName: cluster.name,
        eks: cluster.component
            ? {
                  subnetIds: e.subnetIds,
                  endpoint: e.endpoint,
                  certificateAuthority: e.certificateAuthorityData,
                  serviceCidr: e.serviceCidr,
                  kubernetesVersion: e.version,
                  securityGroupIds: e.securityGroupId ? [e.securityGroupId] : undefined,
              }
            : { subnetIds: e.subnetIds },
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
            size: p.size,
            capacity: p.capacity,
            ...(p.karpenter ? { karpenter: p.karpenter } : {}),
            nodeStamp: p.nodeStamp,
            runtimeClasses: p.runtimeClasses,
        }])),
        examplePod: r.examplePod,
        verifications: r.verifications,
    };
}

/** `kubectl run` of a throwaway pod under `runtimeClass` that prints the kernel it sees. */
export function examplePod(runtimeClass: string): string {
    const overrides = JSON.stringify({ apiVersion: "v1", spec: { runtimeClassName: runtimeClass } });
    return `kubectl run sandbox-demo --rm -i --restart=Never --image=${EXAMPLE_POD_IMAGE} --overrides='${overrides}' -- sh -c 'uname -r; dmesg | head -3'`;
}

