// Values for the kata-deploy Helm chart (4.1.0 keys: shims.disableAll, shims.<name>.enabled,
// runtimeClasses.*, nodeSelector, tolerations, startupTaints, ...), derived from the
// isolation contract. Pure.
import { Cloud, Runtime, Taint, Toleration, nodeStamp } from "../isolation";
import { KATA_SHIM_INFO, KataShim } from "../kataShims";
import { ImageRef } from "./sandboxRuntimesArgs";

/** Shims whose chart defaults use the nydus snapshotter (guest pull); the chart sets it up when asked. */
const NYDUS_SHIMS: ReadonlySet<KataShim> = new Set([KataShim.QemuSnp, KataShim.QemuTdx]);

export interface KataDeployValuesInput {
    cloud: Cloud;
    keyPrefix: string;
    shims: readonly KataShim[];
    defaultShim: KataShim;
    chartVersion: string;
    image: ImageRef;
    kubectlImage: ImageRef;
    k8sDistribution: string;
}

/**
 * kata-deploy's `startupTaints` entries are matchers `key` or `key:Effect`: the binary splits
 * each at the first `:` and compares the left side with the taint KEY (kata-containers PR
 * 13284, `partition_taints`). `key=value:Effect` would never match, the taint would stay and
 * Kata nodes would never take pods, so the value is left out on purpose.
 */
export function startupTaintMatcher(t: Taint): string {
    return `${t.key}:${t.effect}`;
}

/** Helm values: only the chosen shims, no chart RuntimeClasses, pinned to Kata nodes, every image pinned. */
export function kataDeployValues(input: KataDeployValuesInput): Record<string, unknown> {
    const stamp = nodeStamp(Runtime.Kata, input.cloud, input.keyPrefix);
    const tolerations: Toleration[] = stamp.taints.map((t) => ({ key: t.key, operator: "Equal", value: t.value, effect: t.effect }));
    const shims: Record<string, unknown> = { disableAll: true };
    for (const s of input.shims) shims[s] = { enabled: true };
    const defaultShim: Record<string, string> = {};
    for (const arch of KATA_SHIM_INFO[input.defaultShim].arches) defaultShim[arch] = input.defaultShim;
    const version = input.chartVersion.replace(/^v/, "");
    return {
        image: { ...input.image },
        kubectlImage: { ...input.kubectlImage },
        // Unused in the DaemonSet mode chosen here, pinned anyway so no tag resolves late.
        job: { dispatcherImage: { reference: "quay.io/kata-containers/kata-deploy-job-dispatcher", tag: version } },
        monitor: { enabled: false, image: { reference: "quay.io/kata-containers/kata-monitor", tag: version } },
        deploymentMode: "daemonset",
        k8sDistribution: input.k8sDistribution,
        shims,
        defaultShim,
        // kata-deploy's classes carry no tolerations; SandboxRuntimes creates its own.
        runtimeClasses: { enabled: false, createDefault: false },
        snapshotter: { setup: input.shims.some((s) => NYDUS_SHIMS.has(s)) ? ["nydus"] : [] },
        nodeSelector: { ...stamp.labels },
        // The DaemonSet must run where workloads may not yet: the Kata taint and the startup taint.
        tolerations,
        startupTaints: stamp.startupTaints.map(startupTaintMatcher),
    };
}
