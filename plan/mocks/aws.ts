// What AWS would answer after `pulumi up`, for the resources and data sources the program uses.
import { CloudMocks, EngineConfig, FAKE_CA, PLAN_ACCOUNT_ID, text } from "./cloudMocks";

const region = (config: EngineConfig) => config["aws:region"] ?? "us-east-1";

/** The VPC, subnets and cluster security group of clusters the plan makes up. */
const VPC_ID = "vpc-00000000000000001";
const CLUSTER_SECURITY_GROUP_ID = "sg-00000000000000001";
const SUBNET_IDS = ["subnet-00000000000000001", "subnet-00000000000000002"];
const SERVICE_CIDR = "172.20.0.0/16";

export const AWS: CloudMocks = {
    resources: {
        "aws:iam/role:Role": (a) => ({ arn: `arn:aws:iam::${PLAN_ACCOUNT_ID}:role/${text(a.inputs, "name", a.name)}`, name: text(a.inputs, "name", a.name) }),
        "aws:iam/instanceProfile:InstanceProfile": (a) => ({
            arn: `arn:aws:iam::${PLAN_ACCOUNT_ID}:instance-profile/${text(a.inputs, "name", a.name)}`,
            name: text(a.inputs, "name", a.name),
        }),
        "aws:eks/cluster:Cluster": (a, c) => {
            const name = text(a.inputs, "name", a.name);
            return {
                name,
                arn: `arn:aws:eks:${region(c)}:${PLAN_ACCOUNT_ID}:cluster/${name}`,
                endpoint: `https://${name}.eks.plan.invalid`,
                certificateAuthority: { data: FAKE_CA },
                kubernetesNetworkConfig: { serviceIpv4Cidr: SERVICE_CIDR, ipFamily: "ipv4" },
                vpcConfig: { clusterSecurityGroupId: CLUSTER_SECURITY_GROUP_ID, vpcId: VPC_ID },
            };
        },
        "aws:eks/nodeGroup:NodeGroup": (a, c) => ({
            nodeGroupName: text(a.inputs, "nodeGroupName", a.name),
            arn: `arn:aws:eks:${region(c)}:${PLAN_ACCOUNT_ID}:nodegroup/${a.name}`,
        }),
        "aws:autoscaling/group:Group": (a, c) => ({
            name: text(a.inputs, "name", a.name),
            arn: `arn:aws:autoscaling:${region(c)}:${PLAN_ACCOUNT_ID}:autoScalingGroup:${text(a.inputs, "name", a.name)}`,
        }),
        "aws:ec2/launchTemplate:LaunchTemplate": (a, c) => ({
            latestVersion: 1,
            defaultVersion: 1,
            arn: `arn:aws:ec2:${region(c)}:${PLAN_ACCOUNT_ID}:launch-template/${a.name}`,
        }),
        "aws:ec2/vpc:Vpc": (a, c) => ({ arn: `arn:aws:ec2:${region(c)}:${PLAN_ACCOUNT_ID}:vpc/${a.name}` }),
    },
    calls: {
        "aws:index/getAvailabilityZones:getAvailabilityZones": (_, c) => ({
            names: ["a", "b", "c"].map((z) => `${region(c)}${z}`),
            zoneIds: [],
            id: region(c),
        }),
        "aws:index/getRegion:getRegion": (_, c) => ({ name: region(c), region: region(c), id: region(c) }),
        "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
        "aws:index/getCallerIdentity:getCallerIdentity": () => ({
            accountId: PLAN_ACCOUNT_ID,
            arn: `arn:aws:iam::${PLAN_ACCOUNT_ID}:user/plan`,
            userId: "plan",
            id: PLAN_ACCOUNT_ID,
        }),
        "aws:ssm/getParameter:getParameter": (i) => ({ name: i.name, value: "ami-00000000000000000", type: "String", id: i.name }),
        // An adopted cluster, with everything a sandbox pool reads from it (self-managed Kata
        // pools bootstrap from the endpoint, CA and service CIDR and join its security group).
        "aws:eks/getCluster:getCluster": (i, c) => ({
            name: i.name,
            endpoint: `https://${text(i, "name")}.eks.plan.invalid`,
            certificateAuthorities: [{ data: FAKE_CA }],
            kubernetesNetworkConfigs: [{ serviceIpv4Cidr: SERVICE_CIDR, ipFamily: "ipv4" }],
            vpcConfig: { subnetIds: SUBNET_IDS, vpcId: VPC_ID, clusterSecurityGroupId: CLUSTER_SECURITY_GROUP_ID, securityGroupIds: [] },
            version: "1.35",
            arn: `arn:aws:eks:${region(c)}:${PLAN_ACCOUNT_ID}:cluster/${text(i, "name")}`,
            id: i.name,
        }),
    },
};
