// The RuntimeClasses of a sandbox cluster, planned from the isolation contract. Pure.
import { AKS_KATA_HANDLER, AKS_KATA_OVERHEAD, AKS_KATA_RUNTIME_CLASSES } from "../azure/aks";
import { Cloud, GVISOR_HANDLER, Runtime, RuntimeClassName, RuntimeClassScheduling, runtimeClassScheduling } from "../isolation";
import { KATA_SHIM_INFO, KataShim, kataHandler } from "../kataShims";

/** Pod overhead of a RuntimeClass (`overhead.podFixed`). */
export interface Overhead {
    /** CPU quantity, e.g. `250m`. */
    cpu?: string;
    /** Memory quantity, e.g. `320Mi`. */
    memory?: string;
}

export interface PlannedRuntimeClass {
    name: string;
    handler: string;
    runtime: Runtime;
    scheduling: RuntimeClassScheduling;
    overhead?: Overhead;
    /** False for GKE Sandbox's `gvisor`, which GKE creates and owns: relied on, verified, never created. */
    createdHere: boolean;
}

/** What the plan depends on (a subset of the resolved `SandboxRuntimes` args). */
export interface RuntimeClassPlanInput {
    cloud: Cloud;
    keyPrefix: string;
    gvisor?: { gkeManaged: boolean };
    kata?: { shims: readonly KataShim[]; defaultShim: KataShim };
    overheads: Record<string, Overhead>;
}

/** The containerd handler a Kata RuntimeClass for `shim` points at on `cloud`: AKS has one, `kata`. */
export function kataCloudHandler(shim: KataShim, cloud: Cloud): string {
    return cloud === Cloud.Azure ? AKS_KATA_HANDLER : kataHandler(shim);
}

/**
 * Every sandbox RuntimeClass of the cluster, in a stable order: `gvisor`, then `kata` (the
 * default shim), then `kata-<shim>` per shim. Scheduling always comes from the contract, so
 * each class selects and tolerates exactly its runtime's node stamp.
 */
export function plannedRuntimeClasses(input: RuntimeClassPlanInput): PlannedRuntimeClass[] {
    const out: PlannedRuntimeClass[] = [];
    const withOverhead = (c: Omit<PlannedRuntimeClass, "overhead">, base?: Overhead): PlannedRuntimeClass => {
        const overhead = { ...base, ...input.overheads[c.name] };
        return Object.keys(overhead).length > 0 ? { ...c, overhead } : c;
    };
    if (input.gvisor) {
        const gke = input.gvisor.gkeManaged;
        out.push(
            withOverhead({
                name: RuntimeClassName.Gvisor,
                handler: gke ? RuntimeClassName.Gvisor : GVISOR_HANDLER,
                runtime: Runtime.Gvisor,
                scheduling: runtimeClassScheduling(Runtime.Gvisor, input.cloud, input.keyPrefix),
                createdHere: !gke,
            }),
        );
    }
    if (input.kata) {
        const scheduling = runtimeClassScheduling(Runtime.Kata, input.cloud, input.keyPrefix);
        // On AKS every class points at Pod Sandboxing's one handler, with the overhead AKS documents.
        const baseOverhead = (shim: KataShim): Overhead | undefined =>
            input.cloud === Cloud.Azure ? { ...AKS_KATA_OVERHEAD } : KATA_SHIM_INFO[shim] && { ...KATA_SHIM_INFO[shim].overhead };
        const kataClass = (name: string, shim: KataShim) =>
            withOverhead(
                { name, handler: kataCloudHandler(shim, input.cloud), runtime: Runtime.Kata, scheduling, createdHere: true },
                baseOverhead(shim),
            );
        out.push(kataClass(RuntimeClassName.Kata, input.kata.defaultShim));
        for (const shim of input.kata.shims) out.push(kataClass(kataHandler(shim), shim));
    }
    return out;
}

/**
 * Sandbox RuntimeClasses the cloud creates and owns that the package neither creates nor
 * verifies but the admission guard must still count as sandboxed: AKS's `kata-vm-isolation`
 * (and its older name) run pods in Kata VMs too. They carry no toleration of the package's
 * taint, so they never reach the package's pools; a pod using one gets the sandbox rules.
 */
export function cloudOwnedSandboxClasses(cloud: Cloud): readonly string[] {
    return cloud === Cloud.Azure ? AKS_KATA_RUNTIME_CLASSES : [];
}
