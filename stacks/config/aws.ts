// Cloud "aws": the region and the network and access keys of an EKS stack. Pure: EksCluster,
// EksVpc and the pools check the values themselves (componentProblems), under these keys.
import { configKey } from "./keys";
import { ParseContext } from "./reader";
import { ClusterMode, DEFAULTS, StackConfig } from "./types";

export function parseAws({ p, values, clusterMode, provider }: ParseContext): NonNullable<StackConfig["aws"]> {
    const region = provider("aws:region");
    if (!region) p.add("aws:region", `required for cloud "aws" (the AWS provider's region, e.g. us-east-1)`);
    const subnetIds = p.strList("subnetIds", values.subnetIds);
    if (subnetIds === undefined && clusterMode === ClusterMode.Adopt && values.subnetIds === undefined) {
        p.add(configKey("subnetIds"), `required when adopting an EKS cluster: the (private) subnets the sandbox nodes run in`);
    }
    const vpcCidr = p.str("vpcCidr", "", values.vpcCidr) ?? DEFAULTS.vpcCidr;
    const creatingVpc = clusterMode === ClusterMode.Create && subnetIds === undefined;
    if (values.vpcCidr !== undefined && !creatingVpc) {
        p.add(configKey("vpcCidr"), `only applies when the program creates the VPC (created cluster, no ${configKey("subnetIds")})`);
    }
    const availabilityZones = p.strList("availabilityZones", values.availabilityZones);
    if (availabilityZones !== undefined && !creatingVpc) {
        p.add(configKey("availabilityZones"), `only applies when the program creates the VPC`);
    }
    const adminPrincipalArns = p.strList("adminPrincipalArns", values.adminPrincipalArns) ?? [];
    if (adminPrincipalArns.length > 0 && clusterMode === ClusterMode.Adopt) {
        p.add(configKey("adminPrincipalArns"), `only applies to created clusters; manage an adopted cluster's access entries where it was made`);
    }
    return { region: region ?? "", subnetIds, vpcCidr, availabilityZones, adminPrincipalArns };
}
