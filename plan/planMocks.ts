// The mock runtime behind the offline plan: answers the Pulumi engine's questions the way a
// cloud provider would after `pulumi up`, with obviously fake but well-formed values
// (documentation IP ranges, zero account IDs, `.invalid` names), and records every
// resource's inputs for the plan to print and write out. Shipped with the program; tests
// reuse it through the plan.
import * as pulumi from "@pulumi/pulumi";

/** Resource inputs as the engine received them, keyed by `type::name`. */
export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, any>;
    state: Record<string, any>;
}

export const PLAN_ACCOUNT_ID = "000000000000";
const FAKE_CA = Buffer.from("-----BEGIN CERTIFICATE-----\nplan\n-----END CERTIFICATE-----\n").toString("base64");

export class PlanMocks implements pulumi.runtime.Mocks {
    readonly registered = new Map<string, Registered>();

    constructor(private readonly providerConfig: { awsRegion?: string; gcpProject?: string }) {}

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const out = computed(args, this.providerConfig);
        const state: Record<string, any> = { ...out, ...args.inputs };
        // Computed fields inside an input block (e.g. the cluster's vpcConfig.clusterSecurityGroupId).
        for (const [k, v] of Object.entries(out)) {
            if (isPlainObject(v) && isPlainObject(args.inputs[k])) state[k] = { ...args.inputs[k], ...v };
        }
        this.registered.set(`${args.type}::${args.name}`, { type: args.type, name: args.name, inputs: args.inputs, state });
        return { id: args.id || `${args.name}-id`, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        const region = this.providerConfig.awsRegion ?? "us-east-1";
        switch (args.token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return { names: [`${region}a`, `${region}b`, `${region}c`], zoneIds: [], id: region };
            case "aws:index/getRegion:getRegion":
                return { name: region, region, id: region };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: PLAN_ACCOUNT_ID, arn: `arn:aws:iam::${PLAN_ACCOUNT_ID}:user/plan`, userId: "plan", id: PLAN_ACCOUNT_ID };
            case "aws:ssm/getParameter:getParameter":
                return { name: args.inputs.name, value: "ami-00000000000000000", type: "String", id: args.inputs.name };
            case "aws:eks/getCluster:getCluster":
                return {
                    name: args.inputs.name,
                    endpoint: `https://${args.inputs.name}.eks.plan.invalid`,
                    certificateAuthorities: [{ data: FAKE_CA }],
                    kubernetesNetworkConfigs: [{ serviceIpv4Cidr: "172.20.0.0/16", ipFamily: "ipv4" }],
                    vpcConfig: { subnetIds: ["subnet-00000000000000001", "subnet-00000000000000002"], vpcId: "vpc-00000000000000001" },
                    version: "1.35",
                    arn: `arn:aws:eks:${region}:${PLAN_ACCOUNT_ID}:cluster/${args.inputs.name}`,
                    id: args.inputs.name,
                };
            case "gcp:container/getCluster:getCluster":
                return {
                    name: args.inputs.name,
                    location: args.inputs.location,
                    project: args.inputs.project,
                    endpoint: "203.0.113.10",
                    masterAuths: [{ clusterCaCertificate: FAKE_CA }],
                    id: `projects/${args.inputs.project}/locations/${args.inputs.location}/clusters/${args.inputs.name}`,
                };
            case "gcp:compute/getImage:getImage":
                return { selfLink: "projects/plan/global/images/plan", name: "plan", id: "plan" };
            default:
                throw new Error(`the offline plan has no answer for data source ${args.token}; add one to plan/planMocks.ts`);
        }
    }
}

/** Outputs the real providers compute and the program or components read. */
function computed(args: pulumi.runtime.MockResourceArgs, cfg: { awsRegion?: string; gcpProject?: string }): Record<string, any> {
    const region = cfg.awsRegion ?? "us-east-1";
    const name: string = args.inputs.name ?? args.name;
    switch (args.type) {
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::${PLAN_ACCOUNT_ID}:role/${name}`, name };
        case "aws:iam/instanceProfile:InstanceProfile":
            return { arn: `arn:aws:iam::${PLAN_ACCOUNT_ID}:instance-profile/${name}`, name };
        case "aws:eks/cluster:Cluster":
            return {
                name,
                arn: `arn:aws:eks:${region}:${PLAN_ACCOUNT_ID}:cluster/${name}`,
                endpoint: `https://${name}.eks.plan.invalid`,
                certificateAuthority: { data: FAKE_CA },
                kubernetesNetworkConfig: { serviceIpv4Cidr: "172.20.0.0/16", ipFamily: "ipv4" },
                vpcConfig: { clusterSecurityGroupId: "sg-00000000000000001", vpcId: "vpc-00000000000000001" },
            };
        case "aws:eks/nodeGroup:NodeGroup":
            return { nodeGroupName: args.inputs.nodeGroupName ?? args.name, arn: `arn:aws:eks:${region}:${PLAN_ACCOUNT_ID}:nodegroup/${args.name}` };
        case "aws:autoscaling/group:Group":
            return { name, arn: `arn:aws:autoscaling:${region}:${PLAN_ACCOUNT_ID}:autoScalingGroup:${name}` };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { latestVersion: 1, defaultVersion: 1, arn: `arn:aws:ec2:${region}:${PLAN_ACCOUNT_ID}:launch-template/${args.name}` };
        case "aws:ec2/vpc:Vpc":
            return { arn: `arn:aws:ec2:${region}:${PLAN_ACCOUNT_ID}:vpc/${args.name}` };
        case "gcp:serviceaccount/account:Account":
            return { email: `${args.inputs.accountId ?? args.name}@${args.inputs.project ?? cfg.gcpProject}.iam.gserviceaccount.com` };
        case "gcp:container/cluster:Cluster":
            return { name, endpoint: "203.0.113.10", masterAuth: { clusterCaCertificate: FAKE_CA } };
        case "gcp:container/nodePool:NodePool":
            return { name };
        default:
            return {};
    }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
