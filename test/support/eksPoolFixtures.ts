// Example EKS sandbox pools, one per mode with and without extras, rendered under Pulumi's
// mock runtime. Shared by the unit tests (golden user data) and the nodeadm integration test.
import * as assert from "assert";
import * as YAML from "yaml";
import { EksSandboxNodePool } from "../../components/aws/EksSandboxNodePool";
import { EksSandboxNodePoolArgs } from "../../components/aws/eksSandboxNodePoolArgs";
import { Runtime, TaintEffect } from "../../components/isolation";
import { installMocks, RecordedResource, reset, resolve, settle, state } from "./mocks";

/** What the mocked `eks.getCluster` answers: a made-up cluster, no real account. */
export const CLUSTER = {
    name: "sandbox-test",
    endpoint: "https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    certificateAuthority: Buffer.from("-----BEGIN CERTIFICATE-----\nTEST-ONLY\n-----END CERTIFICATE-----\n").toString("base64"),
    serviceCidr: "10.100.0.0/16",
    version: "1.34",
    clusterSecurityGroupId: "sg-0cluster0000000000",
};
export const AMI_ID = "ami-0123456789abcdef0";

export const GET_CLUSTER = "aws:eks/getCluster:getCluster";
export const GET_PARAMETER = "aws:ssm/getParameter:getParameter";

/** Answers the data sources a pool reads, recording what it asked. */
export function answerInvokes(asked: { token: string; args: any }[] = []): void {
    state.invokes[GET_CLUSTER] = (args) => {
        asked.push({ token: GET_CLUSTER, args });
        return {
            name: args.name,
            endpoint: CLUSTER.endpoint,
            certificateAuthorities: [{ data: CLUSTER.certificateAuthority }],
            kubernetesNetworkConfigs: [{ serviceIpv4Cidr: CLUSTER.serviceCidr, ipFamily: "ipv4" }],
            version: CLUSTER.version,
            vpcConfig: { clusterSecurityGroupId: CLUSTER.clusterSecurityGroupId },
        };
    };
    state.invokes[GET_PARAMETER] = (args) => {
        asked.push({ token: GET_PARAMETER, args });
        return { name: args.name, value: AMI_ID, type: "String" };
    };
}

const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];

/** Pools whose user data is committed under test/golden/aws and checked with nodeadm. */
export const EXAMPLE_POOLS: Record<string, EksSandboxNodePoolArgs> = {
    "gvisor-default": { clusterName: CLUSTER.name, subnetIds: SUBNETS, runtime: Runtime.Gvisor },
    "gvisor-custom": {
        clusterName: CLUSTER.name,
        subnetIds: SUBNETS,
        runtime: Runtime.Gvisor,
        architecture: "arm64",
        instanceTypes: ["m7g.large", "c7g.xlarge"],
        labels: { "team.example.com/owner": "builds" },
        taints: [{ key: "team.example.com/dedicated", value: "builds", effect: TaintEffect.NoExecute }],
        gvisor: {
            release: "20260817.0",
            mirror: "https://mirror.example.internal/gvisor/releases/release",
            runscFlags: { platform: "systrap", "host-uds": "none" },
        },
    },
    "kata-metal": { clusterName: CLUSTER.name, subnetIds: SUBNETS, runtime: Runtime.Kata, instanceTypes: ["m7i.metal-24xl"] },
    "kata-nested-default": { clusterName: CLUSTER.name, subnetIds: SUBNETS, runtime: Runtime.Kata },
    "kata-nested-custom": {
        clusterName: CLUSTER.name,
        clusterEndpoint: "https://FEDCBA9876543210FEDCBA9876543210.yl4.eu-west-1.eks.amazonaws.com",
        clusterCertificateAuthority: Buffer.from("-----BEGIN CERTIFICATE-----\nOTHER-TEST-CA\n-----END CERTIFICATE-----\n").toString("base64"),
        clusterServiceCidr: "172.20.0.0/16",
        kubernetesVersion: "1.33",
        securityGroupIds: ["sg-0nodes00000000000"],
        subnetIds: SUBNETS,
        runtime: Runtime.Kata,
        instanceTypes: ["m8i.large", "c8i-flex.large"],
        capacityType: "SPOT",
        labels: { "team.example.com/owner": "ci", "workload.example.com/tier": "untrusted" },
        taints: [{ key: "team.example.com/dedicated", value: "ci", effect: TaintEffect.NoSchedule }],
    },
};

export interface RenderedPool {
    pool: EksSandboxNodePool;
    resources: RecordedResource[];
    /** Decoded launch template user data; undefined when the template has none. */
    userData: string | undefined;
    invokes: { token: string; args: any }[];
}

/** Creates a pool under mocks and waits until every child resource is registered. */
export async function renderPool(name: string, args: EksSandboxNodePoolArgs): Promise<RenderedPool> {
    installMocks();
    reset();
    const invokes: { token: string; args: any }[] = [];
    answerInvokes(invokes);
    const pool = new EksSandboxNodePool(name, args);
    await resolve(pool.groupName);
    await resolve(pool.nodeRoleArn);
    await settle();
    const resources = [...state.resources];
    const template = resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
    const encoded = template?.inputs.userData;
    const userData = encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
    return { pool, resources, userData, invokes };
}

export interface UserDataPart {
    contentType: string;
    body: string;
}

/** Splits a multipart/mixed document into its parts (what cloud-init and nodeadm see). */
export function mimeParts(doc: string): UserDataPart[] {
    const boundary = /boundary="([^"]+)"/.exec(doc)?.[1];
    if (!boundary) throw new Error("no MIME boundary in user data");
    const sections = doc.split(`--${boundary}`);
    assert.ok(sections[sections.length - 1].startsWith("--"), "the document ends with the closing boundary");
    return sections.slice(1, -1).map((section) => {
        const [head, ...body] = section.replace(/^\n/, "").split("\n\n");
        const contentType = /^Content-Type: (.*)$/m.exec(head)?.[1] ?? "";
        // The line break before a boundary belongs to the boundary (RFC 2046).
        return { contentType, body: body.join("\n\n").replace(/\n$/, "") };
    });
}

/** The NodeConfig documents of a user data, parsed. */
export function nodeConfigs(doc: string): any[] {
    return mimeParts(doc)
        .filter((p) => p.contentType === "application/node.eks.aws")
        .map((p) => YAML.parse(p.body));
}

/** The shell parts of a user data. */
export function shellParts(doc: string): string[] {
    return mimeParts(doc)
        .filter((p) => p.contentType.startsWith("text/x-shellscript"))
        .map((p) => p.body);
}
