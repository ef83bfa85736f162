// The cluster the program adds sandbox pools to: created (EksCluster, GkeCluster) or adopted
// by name (looked up, nothing created). Both give the program the same facts.
import * as pulumi from "@pulumi/pulumi";
import { getClusterOutput as getEksCluster } from "@pulumi/aws/eks/getCluster";
import { getClusterOutput as getGkeCluster } from "@pulumi/gcp/container/getCluster";
import { Cloud } from "../components/isolation";
import { ClusterMode, StackConfig } from "./config";
import { EksCluster } from "../components/aws/EksCluster";
import { EksVpc } from "../components/aws/EksVpc";
import { eksKubeconfig } from "../components/aws/kubeconfig";
import { GkeCluster } from "../components/gcp/GkeCluster";
import { gkeKubeconfig } from "../components/gcp/kubeconfig";
import { aksClusterArgs, eksClusterArgs, eksVpcArgs, gkeClusterArgs } from "./componentArgs";
import { AksCluster } from "../components/azure/AksCluster";
import { getManagedClusterOutput, listManagedClusterUserCredentialsOutput } from "../components/azure/azureNative";
import { aksClusterAccess, aksKubeconfig } from "../components/azure/kubeconfig";

/** What the pools and the Kubernetes provider need to know about the cluster. */
export interface ClusterFacts {
    name: pulumi.Output<string>;
    kubeconfig: pulumi.Output<string>;
    /** Created clusters: the resource pools should wait for (system pool up first). */
    component?: pulumi.Resource;
    /** AWS: subnets for sandbox pools, and what self-managed nodes bootstrap with. */
    eks?: {
        subnetIds: pulumi.Input<string>[];
        endpoint: pulumi.Output<string>;
        certificateAuthorityData: pulumi.Output<string>;
        serviceCidr: pulumi.Output<string>;
        version: pulumi.Output<string>;
        /** Created clusters: the cluster security group self-managed nodes join. */
        securityGroupId?: pulumi.Output<string>;
    };
}

/** Creates or looks up the cluster the stack describes. */
export function provisionCluster(cfg: StackConfig, parent?: pulumi.Resource): ClusterFacts {
    const opts = { parent };
    if (cfg.cloud === Cloud.Kubernetes) return adoptByKubeconfig(cfg);
    if (cfg.cloud === Cloud.Aws) return cfg.clusterMode === ClusterMode.Create ? createEks(cfg, opts) : adoptEks(cfg, opts);
    if (cfg.cloud === Cloud.Azure) return cfg.clusterMode === ClusterMode.Create ? createAks(cfg, opts) : adoptAks(cfg, opts);
    return cfg.clusterMode === ClusterMode.Create ? createGke(cfg, opts) : adoptGke(cfg, opts);
}

function createAks(cfg: StackConfig, opts: pulumi.ComponentResourceOptions): ClusterFacts {
    const cluster = new AksCluster(cfg.clusterName, aksClusterArgs(cfg), opts);
    return { name: cluster.clusterName, kubeconfig: cluster.kubeconfig, component: cluster };
}

/**
 * An adopted AKS cluster: looked up by name in its resource group; the kubeconfig is built
 * like a created cluster's (kubelogin), from the server and CA of AKS's user credentials.
 */
function adoptAks(cfg: StackConfig, opts: pulumi.InvokeOutputOptions): ClusterFacts {
    const ref = { resourceGroupName: cfg.azure!.resourceGroup, resourceName: cfg.clusterName };
    const found = getManagedClusterOutput(ref, opts);
    const credentials = listManagedClusterUserCredentialsOutput(ref, opts);
    return {
        name: found.name,
        kubeconfig: pulumi.secret(
            pulumi.all([found.name, credentials]).apply(([clusterName, c]) =>
                aksKubeconfig({ contextName: clusterName, ...aksClusterAccess(c.kubeconfigs?.[0]?.value ?? "") })),
        ),
    };
}

/** Cloud `kubernetes`: the cluster is whatever the kubeconfig points at; nothing is looked up. */
function adoptByKubeconfig(cfg: StackConfig): ClusterFacts {
    const kubeconfig = cfg.kubernetes?.kubeconfig;
    // runProgram reads sandbox:kubeconfigPath into `kubeconfig` before the program runs.
    if (kubeconfig === undefined) throw new Error(`stack "${cfg.stack}": no kubeconfig was read for cloud "kubernetes"`);
    return { name: pulumi.output(cfg.clusterName), kubeconfig: pulumi.secret(kubeconfig) };
}

function createEks(cfg: StackConfig, opts: pulumi.ComponentResourceOptions): ClusterFacts {
    const aws = cfg.aws!;
    let subnetIds: pulumi.Input<string>[];
    if (aws.subnetIds) {
        subnetIds = aws.subnetIds;
    } else {
        const vpc = new EksVpc(`${cfg.clusterName}-network`, eksVpcArgs(cfg), opts);
        subnetIds = vpc.privateSubnetIds;
    }
    const cluster = new EksCluster(cfg.clusterName, eksClusterArgs(cfg, subnetIds), opts);
    return {
        name: cluster.clusterName,
        kubeconfig: cluster.kubeconfig,
        component: cluster,
        eks: {
            subnetIds,
            endpoint: cluster.endpoint,
            certificateAuthorityData: cluster.certificateAuthorityData,
            serviceCidr: cluster.serviceCidr,
            version: cluster.version,
            securityGroupId: cluster.securityGroupId,
        },
    };
}

function adoptEks(cfg: StackConfig, opts: pulumi.InvokeOutputOptions): ClusterFacts {
    const aws = cfg.aws!;
    const found = getEksCluster({ name: cfg.clusterName }, opts);
    const ca = found.certificateAuthorities.apply((c) => c[0]?.data ?? "");
    return {
        name: found.name,
        kubeconfig: pulumi.secret(
            pulumi.all([found.name, found.endpoint, ca]).apply(([clusterName, endpoint, data]) =>
                eksKubeconfig({ clusterName, endpoint, certificateAuthorityData: data, region: aws.region })),
        ),
        eks: {
            // Required for adopted EKS clusters (config validation): where the sandbox nodes go.
            subnetIds: aws.subnetIds ?? [],
            endpoint: found.endpoint,
            certificateAuthorityData: ca,
            serviceCidr: found.kubernetesNetworkConfigs.apply((c) => c[0]?.serviceIpv4Cidr ?? ""),
            version: found.version,
        },
    };
}

function createGke(cfg: StackConfig, opts: pulumi.ComponentResourceOptions): ClusterFacts {
    const cluster = new GkeCluster(cfg.clusterName, gkeClusterArgs(cfg), opts);
    return { name: cluster.clusterName, kubeconfig: cluster.kubeconfig, component: cluster };
}

function adoptGke(cfg: StackConfig, opts: pulumi.InvokeOutputOptions): ClusterFacts {
    const gcp = cfg.gcp!;
    const found = getGkeCluster({ name: cfg.clusterName, location: gcp.location, project: gcp.project }, opts);
    return {
        name: found.name,
        kubeconfig: pulumi.secret(
            pulumi.all([found.name, found.endpoint, found.masterAuths]).apply(([clusterName, endpoint, auths]) =>
                gkeKubeconfig({
                    contextName: `gke_${gcp.project}_${gcp.location}_${clusterName}`,
                    endpoint,
                    clusterCaCertificate: auths[0]?.clusterCaCertificate ?? "",
                })),
        ),
    };
}
