// A created GKE Standard cluster: the default pool removed, Workload Identity, Dataplane V2
// (which enforces NetworkPolicy), shielded nodes, and a system node pool with its own
// least-privilege service account. GKE Sandbox needs at least one non-sandbox pool: this
// is it. Sandbox pools are added next to it by the program.
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "@pulumi/gcp/container/cluster";
import { NodePool } from "@pulumi/gcp/container/nodePool";
import { IAMMember } from "@pulumi/gcp/projects/iammember";
import { Account } from "@pulumi/gcp/serviceaccount/account";
import { InputPropertiesError } from "../validation";
import { NameKind, TextLimit, autoNamed, fitText, physicalName } from "../names";
import { gkeKubeconfig } from "./kubeconfig";
import { GkeClusterArgs, gkeClusterProblems } from "./gkeClusterArgs";

/** Roles a node service account needs (GKE hardening guide: least-privilege node SA). */
export const GKE_NODE_ROLES = [
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
    "roles/artifactregistry.reader",
];
const RELEASE_CHANNEL = "REGULAR";
const SYSTEM_IMAGE_TYPE = "COS_CONTAINERD";
const SYSTEM_DISK_GB = 50;

export const GKE_CLUSTER_TYPE = "sandbox-clusters:index:GkeCluster";

/** Account ID of the system pool's service account: `<cluster>-system`, shortened with a hash past 30 characters. */
export function gkeSystemServiceAccountId(clusterName: string): string {
    return physicalName(NameKind.GcpServiceAccountId, `${clusterName}-system`);
}

/**
 * A GKE Standard cluster with its system node pool, ready for sandbox pools: the pools and
 * `SandboxRuntimes` take its outputs (`clusterName`, `kubeconfig`).
 *
 * @example
 * ```ts
 * import { GkeCluster } from "sandbox-clusters/gcp";
 *
 * export const cluster = new GkeCluster("sandbox", {
 *     clusterName: "sandbox",
 *     project: "my-project",
 *     location: "europe-west4",
 *     network: "default",
 *     systemMachineType: "e2-standard-4", // the system pool; sandbox pools come on top
 *     systemMinSize: 1,
 *     systemMaxSize: 3,
 *     systemDesiredSize: 1,
 * });
 * export const kubeconfig = cluster.kubeconfig; // for a @pulumi/kubernetes Provider
 * ```
 */
export class GkeCluster extends pulumi.ComponentResource {
    /** Name of the GKE cluster. */
    readonly clusterName: pulumi.Output<string>;
    /** The cluster's self link ID (`projects/<p>/locations/<l>/clusters/<name>`). */
    readonly clusterId: pulumi.Output<string>;
    /** IP address of the control plane. */
    readonly endpoint: pulumi.Output<string>;
    /** Name of the system node pool. */
    readonly systemNodePoolName: pulumi.Output<string>;
    /** Secret: a kubeconfig that authenticates with `gke-gcloud-auth-plugin` (`gkeKubeconfig`). */
    readonly kubeconfig: pulumi.Output<string>;

    constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super(GKE_CLUSTER_TYPE, name, args, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "sandbox-clusters:stacks:GkeCluster" }] });
        const problems = gkeClusterProblems(args);
        if (problems.length > 0) throw new InputPropertiesError(`GkeCluster "${name}"`, problems);

        const zonal = /-[a-z]$/.test(args.location);
        const cluster = new Cluster(`${name}-cluster`, {
            name: args.clusterName,
            project: args.project,
            location: args.location,
            network: args.network,
            subnetwork: args.subnetwork,
            minMasterVersion: args.minMasterVersion,
            // The default pool runs on the default compute service account; replace it.
            removeDefaultNodePool: true,
            initialNodeCount: 1,
            releaseChannel: { channel: RELEASE_CHANNEL },
            workloadIdentityConfig: { workloadPool: `${args.project}.svc.id.goog` },
            // Dataplane V2 enforces NetworkPolicy itself (no Calico add-on), and needs VPC-native IPs.
            datapathProvider: "ADVANCED_DATAPATH",
            ipAllocationPolicy: {},
            enableShieldedNodes: true,
            masterAuthorizedNetworksConfig: args.authorizedNetworks && {
                cidrBlocks: args.authorizedNetworks.map((cidrBlock) => ({ cidrBlock })),
            },
            deletionProtection: args.deletionProtection ?? false,
            resourceLabels: args.labels,
        }, { parent: this });

        const sa = new Account(`${name}-system-sa`, {
            project: args.project,
            accountId: gkeSystemServiceAccountId(args.clusterName),
            displayName: fitText(`System nodes of ${args.clusterName}`, TextLimit.GcpServiceAccountDisplayName),
        }, { parent: this });
        GKE_NODE_ROLES.forEach((role, i) =>
            new IAMMember(`${name}-system-sa-${i}`, {
                project: args.project,
                role,
                member: pulumi.interpolate`serviceAccount:${sa.email}`,
            }, { parent: this }));

        const system = new NodePool(autoNamed(NameKind.GkeNodePool, `${name}-system`), {
            project: args.project,
            location: args.location,
            cluster: cluster.name,
            // Per zone: a regional cluster starts one node in each of its zones.
            initialNodeCount: zonal ? args.systemDesiredSize : 1,
            autoscaling: {
                totalMinNodeCount: args.systemMinSize,
                totalMaxNodeCount: args.systemMaxSize,
                locationPolicy: "BALANCED",
            },
            management: { autoRepair: true, autoUpgrade: true },
            upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
            nodeConfig: {
                machineType: args.systemMachineType,
                imageType: SYSTEM_IMAGE_TYPE,
                diskSizeGb: SYSTEM_DISK_GB,
                serviceAccount: sa.email,
                oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                workloadMetadataConfig: { mode: "GKE_METADATA" },
                shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
                resourceLabels: args.labels,
            },
        }, { parent: this, ignoreChanges: ["initialNodeCount"] });

        this.clusterName = cluster.name;
        this.clusterId = cluster.id;
        this.endpoint = cluster.endpoint;
        this.systemNodePoolName = system.name;
        this.kubeconfig = pulumi.secret(
            pulumi.all([cluster.name, cluster.endpoint, cluster.masterAuth]).apply(([clusterName, endpoint, auth]) =>
                gkeKubeconfig({
                    contextName: `gke_${args.project}_${args.location}_${clusterName}`,
                    endpoint,
                    clusterCaCertificate: auth.clusterCaCertificate ?? "",
                })),
        );
        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            systemNodePoolName: this.systemNodePoolName,
            kubeconfig: this.kubeconfig,
        });
    }
}
