// The VPC a created EKS cluster gets when the stack names no subnets: two availability
// zones, a public subnet each (load balancers, the NAT gateway) and a private subnet each
// (the control plane's network interfaces and every node). One NAT gateway keeps a
// sandbox cluster cheap; a stack that needs zone-redundant egress brings its own subnets.
import * as pulumi from "@pulumi/pulumi";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { Eip } from "@pulumi/aws/ec2/eip";
import { InternetGateway } from "@pulumi/aws/ec2/internetGateway";
import { NatGateway } from "@pulumi/aws/ec2/natGateway";
import { RouteTable } from "@pulumi/aws/ec2/routeTable";
import { RouteTableAssociation } from "@pulumi/aws/ec2/routeTableAssociation";
import { Subnet } from "@pulumi/aws/ec2/subnet";
import { Vpc } from "@pulumi/aws/ec2/vpc";
import { InputPropertiesError } from "../validation";
import { subnetCidr } from "./cidr";
import { EksVpcArgs, eksVpcProblems } from "./eksVpcArgs";

/** Availability zones the VPC spans. */
export const EKS_VPC_ZONES = 2;

export const EKS_VPC_TYPE = "sandbox-clusters:index:EksVpc";

/**
 * A VPC for an EKS cluster: private subnets for the nodes (with NAT) and public ones for load
 * balancers across at least two availability zones, tagged for the cluster's name.
 *
 * @example
 * ```ts
 * import { EksVpc } from "sandbox-clusters/aws";
 *
 * // Private subnets for the nodes, public ones for load balancers, tagged for the cluster.
 * export const vpc = new EksVpc("sandbox", { cidr: "10.0.0.0/16", clusterName: "sandbox" });
 * export const subnetIds = vpc.privateSubnetIds; // pass to EksCluster and the sandbox pools
 * ```
 */
export class EksVpc extends pulumi.ComponentResource {
    /** ID of the VPC. */
    readonly vpcId: pulumi.Output<string>;
    /** Subnets for the control plane and nodes. */
    readonly privateSubnetIds: pulumi.Output<string>[];
    /** Subnets for internet-facing load balancers (and the NAT gateway). */
    readonly publicSubnetIds: pulumi.Output<string>[];

    constructor(name: string, args: EksVpcArgs, opts?: pulumi.ComponentResourceOptions) {
        super(EKS_VPC_TYPE, name, args, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "sandbox-clusters:stacks:EksVpc" }] });
        const problems = eksVpcProblems(args);
        if (problems.length > 0) throw new InputPropertiesError(`EksVpc "${name}"`, problems);
        const tags = (extra: Record<string, string>, role: string) => ({
            ...args.tags,
            ...extra,
            Name: `${args.clusterName}-${role}`,
        });
        const available = args.availabilityZones ? undefined : getAvailabilityZonesOutput({ state: "available" }, { parent: this }).names;
        const zones: pulumi.Input<string>[] = [...Array(EKS_VPC_ZONES).keys()].map((i) =>
            args.availabilityZones ? args.availabilityZones[i] : available!.apply((n) => n[i]),
        );

        const vpc = new Vpc(`${name}-vpc`, {
            cidrBlock: args.cidr,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: tags({}, "vpc"),
        }, { parent: this });
        const igw = new InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags({}, "igw") }, { parent: this });

        const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };
        const publicRt = new RouteTable(`${name}-public`, {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
            tags: tags({}, "public"),
        }, { parent: this });
        const publicSubnets = zones.map((az, i) => {
            const subnet = new Subnet(`${name}-public-${i}`, {
                vpcId: vpc.id,
                availabilityZone: az,
                cidrBlock: subnetCidr(args.cidr, 2, EKS_VPC_ZONES + i),
                mapPublicIpOnLaunch: false,
                tags: tags({ ...clusterTag, "kubernetes.io/role/elb": "1" }, `public-${i}`),
            }, { parent: this });
            new RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRt.id }, { parent: this });
            return subnet;
        });

        const eip = new Eip(`${name}-nat`, { domain: "vpc", tags: tags({}, "nat") }, { parent: this });
        const nat = new NatGateway(`${name}-nat`, {
            allocationId: eip.id,
            subnetId: publicSubnets[0].id,
            tags: tags({}, "nat"),
        }, { parent: this, dependsOn: [igw] });
        const privateRt = new RouteTable(`${name}-private`, {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
            tags: tags({}, "private"),
        }, { parent: this });
        const privateSubnets = zones.map((az, i) => {
            const subnet = new Subnet(`${name}-private-${i}`, {
                vpcId: vpc.id,
                availabilityZone: az,
                cidrBlock: subnetCidr(args.cidr, 2, i),
                tags: tags({ ...clusterTag, "kubernetes.io/role/internal-elb": "1" }, `private-${i}`),
            }, { parent: this });
            new RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: privateRt.id }, { parent: this });
            return subnet;
        });

        this.vpcId = vpc.id;
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
    }
}
