// Runs one compiled docs sample under Pulumi's mock runtime, in a consumer project that has
// installed the packed package (test/package/consumer.test.ts copies this file there). Plain
// JavaScript with no import of the repository: it sees only what the consumer installed.
//
//   node runSample.js <compiled sample.js>
//
// Prints one JSON line: the type token of every resource the sample registered. Exits non-zero
// on any error the program raises, synchronously or in an Output.
"use strict";
const path = require("path");

// Stack config the samples read, set before @pulumi/pulumi loads; a project of its own (the
// `pulumi new` template's, test/package/template.test.ts) passes its project name and config
// in RUN_SAMPLE_PROJECT and RUN_SAMPLE_CONFIG (JSON).
const project = process.env.RUN_SAMPLE_PROJECT ?? "consumer";
process.env.PULUMI_CONFIG = process.env.RUN_SAMPLE_CONFIG ?? JSON.stringify({
    "consumer:clusterName": "sandbox",
    "consumer:resourceGroup": "rg-sandbox",
    "consumer:subnetIds": JSON.stringify(["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]),
    "consumer:kubeconfig": "apiVersion: v1\nkind: Config\n",
    "aws:region": "eu-west-1",
    "gcp:project": "consumer-project",
});

const failures = [];
process.on("unhandledRejection", (e) => failures.push(e));
process.on("uncaughtException", (e) => failures.push(e));

const pulumi = require("@pulumi/pulumi");
const registered = [];

/** Outputs the real providers compute that the components read; everything else echoes inputs. */
function outputs(args) {
    const name = args.inputs.name ?? args.name;
    const common = { name, arn: `arn:aws:mock:eu-west-1:000000000000:${args.type}/${name}` };
    switch (args.type) {
        case "aws:eks/cluster:Cluster":
            return { ...common, endpoint: "https://eks.mock", certificateAuthority: { data: "Y2E=" }, version: args.inputs.version ?? "1.35" };
        case "gcp:container/cluster:Cluster":
            return { ...common, endpoint: "10.0.0.1", masterAuth: { clusterCaCertificate: "Y2E=" }, masterVersion: "1.35" };
        default:
            return common;
    }
}

const CALLS = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], zoneIds: [], id: "eu-west-1" }),
    "aws:index/getRegion:getRegion": () => ({ name: "eu-west-1", region: "eu-west-1", id: "eu-west-1" }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: "000000000000", arn: "arn:aws:iam::000000000000:user/mock", userId: "mock", id: "000000000000" }),
    "aws:ssm/getParameter:getParameter": (i) => ({ name: i.name, value: "ami-00000000000000000", type: "String", id: i.name }),
    // An adopted cluster, with what the pools read from it.
    "aws:eks/getCluster:getCluster": (i) => ({
        name: i.name,
        endpoint: `https://${i.name}.eks.mock`,
        certificateAuthorities: [{ data: "Y2E=" }],
        kubernetesNetworkConfigs: [{ serviceIpv4Cidr: "172.20.0.0/16", ipFamily: "ipv4" }],
        vpcConfig: { subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"], vpcId: "vpc-mock", clusterSecurityGroupId: "sg-mock", securityGroupIds: [] },
        version: "1.35",
        arn: `arn:aws:eks:eu-west-1:000000000000:cluster/${i.name}`,
        id: i.name,
    }),
    "gcp:compute/getImage:getImage": () => ({ selfLink: "projects/mock/global/images/mock", name: "mock", id: "mock" }),
};

pulumi.runtime.setMocks(
    {
        newResource(args) {
            registered.push(args.type);
            return { id: `${args.name}-id`, state: { ...outputs(args), ...args.inputs } };
        },
        call(args) {
            const answer = CALLS[args.token];
            if (!answer) {
                // Pulumi reports a mock's error without its message: record it where it shows.
                const e = new Error(`runSample.js has no mock answer for data source ${args.token}`);
                failures.push(e);
                throw e;
            }
            return answer(args.inputs);
        },
    },
    project,
    "dev",
    false,
);

(async () => {
    try {
        require(path.resolve(process.argv[2]));
    } catch (e) {
        failures.push(e);
    }
    // Let every registration and Output reach the mock monitor.
    for (let i = 0; i < 50; i++) await new Promise((r) => setTimeout(r, 10));
    if (failures.length > 0) {
        for (const f of failures) process.stderr.write(`${f instanceof Error ? f.stack : String(f)}\n`);
        process.exitCode = 1;
        return;
    }
    process.stdout.write(`${JSON.stringify({ registered: [...new Set(registered)].sort() })}\n`);
})();
