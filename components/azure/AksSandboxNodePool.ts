// An AKS agent pool whose nodes run only sandboxed pods: Pod Sandboxing (Kata Containers in a
// Cloud Hypervisor VM per pod) on Azure Linux, stamped with the isolation contract's label and
// taint so that only the package's Kata RuntimeClasses land there.
import * as pulumi from "@pulumi/pulumi";
import { AgentPool } from "./azureNative";
import { NodeStamp } from "../isolation";
import { Problems } from "../validation";
import { AksSandboxNodePoolArgs, aksSandboxNodePoolProblems, resolveAksSandboxNodePoolArgs } from "./aksSandboxNodePoolArgs";
import { renderAksAgentPool } from "./agentPoolSpec";

export const AKS_SANDBOX_NODE_POOL_TYPE = "sandbox-clusters:index:AksSandboxNodePool";

/** How an AKS pool sandboxes its pods: the one mode AKS has. */
export const AKS_POOL_MODE = "pod-sandboxing";

/**
 * A sandbox node pool on AKS: an agent pool with Pod Sandboxing (`workloadRuntime:
 * KataVmIsolation`, Azure Linux, a VM size with nested virtualization) and the labels and taints
 * of `nodeStamp(Runtime.Kata, Cloud.Azure)`.
 *
 * @example
 * ```ts
 * import { AksSandboxNodePool } from "sandbox-clusters/azure";
 *
 * // AKS Pod Sandboxing (Kata VM isolation) on an existing cluster: RuntimeClass kata-vm-isolation.
 * export const kata = new AksSandboxNodePool("kata", { resourceGroupName: "rg-sandbox", clusterName: "sandbox" });
 * export const agentPoolName = kata.agentPoolName;
 * ```
 */
export class AksSandboxNodePool extends pulumi.ComponentResource {
    /** Name of the agent pool in AKS. */
    readonly agentPoolName: pulumi.Output<string>;
    /** Labels and taints the pool's nodes carry; the RuntimeClasses must select and tolerate them. */
    readonly nodeStamp: NodeStamp;
    /** How the pool sandboxes pods: `pod-sandboxing`. */
    readonly mode: string;
    /** The VM size of the nodes, default applied. */
    readonly vmSize: string;

    constructor(name: string, args: AksSandboxNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super(AKS_SANDBOX_NODE_POOL_TYPE, name, args, opts);
        const problems = new Problems();
        problems.addAll(aksSandboxNodePoolProblems(name, args));
        problems.throwIfAny(`AksSandboxNodePool "${name}"`);

        const r = resolveAksSandboxNodePoolArgs(name, args);
        const spec = renderAksAgentPool(r);
        const pool = new AgentPool(
            `${name}-pool`,
            { resourceGroupName: args.resourceGroupName, resourceName: args.clusterName, vnetSubnetID: args.vnetSubnetId, ...spec },
            // The cluster autoscaler owns the node count of an autoscaled pool once it exists.
            { parent: this, ignoreChanges: r.autoscaling ? ["count"] : [] },
        );

        this.agentPoolName = pool.name;
        this.nodeStamp = r.stamp;
        this.mode = AKS_POOL_MODE;
        this.vmSize = r.vmSize;
        this.registerOutputs({ agentPoolName: this.agentPoolName, nodeStamp: this.nodeStamp, mode: this.mode, vmSize: this.vmSize });
    }
}
