// A GKE node pool whose nodes run only sandboxed pods: GKE Sandbox (gVisor) or Kata
// Containers on nested virtualization, stamped with the isolation contract's labels and taints.
import * as pulumi from "@pulumi/pulumi";
import * as container from "@pulumi/gcp/container";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import { NodeStamp } from "../isolation";
import { KataHost } from "../kataShims";
import { Problems } from "../validation";
import { NameKind, TextLimit, autoNamed, fitText } from "../names";
import {
    GKE_AUTOSCALING_INITIAL_NODE_COUNT,
    GkePoolMode,
    GkeSandboxNodePoolArgs,
    gkeKataHost,
    gkeSandboxNodePoolProblems,
    resolveGkeSandboxNodePoolArgs,
} from "./gkeSandboxNodePoolArgs";
import { renderGkeNodeConfig } from "./nodeConfig";

/**
 * A sandbox node pool on GKE: GKE Sandbox (gVisor) or Kata Containers on nested-virtualization
 * machines, with its own least-privilege service account, the GKE metadata server, and the labels
 * and taints of `nodeStamp(runtime, Cloud.Gcp)`.
 *
 * @example
 * ```ts
 * import { Runtime } from "sandbox-clusters";
 * import { GkeSandboxNodePool } from "sandbox-clusters/gcp";
 *
 * // GKE Sandbox (gVisor) on an existing cluster; GKE adds its own label, taint and RuntimeClass.
 * export const gvisor = new GkeSandboxNodePool("gvisor", {
 *     cluster: "sandbox",
 *     location: "europe-west4",
 *     project: "my-project",
 *     runtime: Runtime.Gvisor,
 * });
 * export const nodeStamp = gvisor.nodeStamp;
 * ```
 */
export class GkeSandboxNodePool extends pulumi.ComponentResource {
    /** Name of the node pool in GKE. */
    readonly nodePoolName: pulumi.Output<string>;
    /** Email of the nodes' service account (created or given). */
    readonly serviceAccountEmail: pulumi.Output<string>;
    /** Labels and taints the pool's nodes carry; the RuntimeClass must select and tolerate them. */
    readonly nodeStamp: NodeStamp;
    /** How the pool sandboxes pods. */
    readonly mode: GkePoolMode;
    /** The machine type of the nodes, default applied. */
    readonly machineType: string;
    /** What the nodes offer Kata's shims, for `SandboxRuntimes`' `kata.hosts`; undefined for gVisor pools. */
    readonly kataHost: KataHost | undefined;

    constructor(name: string, args: GkeSandboxNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sandbox-clusters:index:GkeSandboxNodePool", name, args, opts);
        const problems = new Problems();
        problems.addAll(gkeSandboxNodePoolProblems(name, args));
        problems.throwIfAny(`GkeSandboxNodePool "${name}"`);

        const r = resolveGkeSandboxNodePoolArgs(name, args);

        let serviceAccountEmail: pulumi.Output<string>;
        let grants: pulumi.Resource[] = [];
        if (r.serviceAccountId === undefined) {
            serviceAccountEmail = pulumi.output(args.serviceAccountEmail as pulumi.Input<string>);
        } else {
            const account = new serviceaccount.Account(
                `${name}-nodes`,
                {
                    project: args.project,
                    accountId: r.serviceAccountId,
                    displayName: fitText(`Nodes of sandbox pool ${name}`, TextLimit.GcpServiceAccountDisplayName),
                    description: fitText(`Least-privilege identity of the ${r.runtime} sandbox nodes of pool ${name}.`, TextLimit.GcpServiceAccountDescription),
                },
                { parent: this },
            );
            serviceAccountEmail = account.email;
            grants = r.serviceAccountRoles.map(
                (role) =>
                    new projects.IAMMember(
                        `${name}-${role.replace(/^roles\//, "").replace(/[^A-Za-z0-9-]+/g, "-")}`,
                        { project: args.project, role, member: pulumi.interpolate`serviceAccount:${account.email}` },
                        { parent: this },
                    ),
            );
        }

        // GKE names the pool itself only when no name is given: then the logical name must fit.
        const pool = new container.NodePool(
            args.nodePoolName === undefined ? autoNamed(NameKind.GkeNodePool, `${name}-pool`) : `${name}-pool`,
            {
                cluster: args.cluster,
                location: args.location,
                project: args.project,
                name: args.nodePoolName,
                version: args.version,
                nodeLocations: args.nodeLocations,
                nodeCount: r.nodeCount,
                autoscaling: r.autoscaling,
                initialNodeCount: r.autoscaling ? GKE_AUTOSCALING_INITIAL_NODE_COUNT : undefined,
                management: { autoRepair: true, autoUpgrade: true },
                upgradeSettings: { strategy: "SURGE", ...r.upgradeSettings },
                nodeConfig: renderGkeNodeConfig({ ...r, serviceAccountEmail }),
            },
            // Nodes that boot before their account may write logs and metrics come up degraded.
            { parent: this, dependsOn: grants },
        );

        this.nodePoolName = pool.name;
        this.serviceAccountEmail = serviceAccountEmail;
        this.nodeStamp = r.stamp;
        this.mode = r.mode;
        this.machineType = r.machineType;
        this.kataHost = gkeKataHost(`pool "${name}"`, args);
        this.registerOutputs({
            nodePoolName: this.nodePoolName,
            serviceAccountEmail: this.serviceAccountEmail,
            nodeStamp: this.nodeStamp,
            mode: this.mode,
            machineType: this.machineType,
            kataHost: this.kataHost,
        });
    }
}
