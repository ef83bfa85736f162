// Pulumi's mock runtime for component tests: records every resource the program registers
// (type, name, inputs, parent) so tests can assert on what would be deployed.
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
    type: string;
    name: string;
    inputs: any;
    /** URN of the parent, when the resource has one. */
    parent?: string;
    urn: string;
}

export interface MockState {
    resources: RecordedResource[];
    /** Answers for `invoke` calls (data sources), keyed by token. */
    invokes: Record<string, (args: any) => Record<string, any>>;
}

export const state: MockState = { resources: [], invokes: {} };

/** Installs the mocks once per process; `reset()` clears what was recorded. */
export function installMocks(): void {
    // setMocks is async in name only: the mocks are in place when it returns, and its promise
    // settles at once; test files install them at load time, where nothing can await.
    void pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
                state.resources.push({
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs,
                    urn: `urn:pulumi:test::sandbox-clusters::${args.type}::${args.name}`,
                });
                const id = `${args.name}-id`;
                return { id, state: { ...defaultOutputs(args), ...args.inputs } };
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
                const answer = state.invokes[args.token];
                if (!answer) throw new Error(`no mock answer for invoke ${args.token}`);
                return answer(args.inputs);
            },
        },
        "sandbox-clusters",
        "test",
        false,
    );
}

export function reset(): void {
    state.resources.length = 0;
    state.invokes = {};
}

/** Resources of one type token, in registration order. */
export function ofType(type: string): RecordedResource[] {
    return state.resources.filter((r) => r.type === type);
}

/** The single resource of a type token; fails when there is not exactly one. */
export function one(type: string): RecordedResource {
    const found = ofType(type);
    if (found.length !== 1) {
        throw new Error(`expected exactly one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    }
    return found[0];
}

/** The resolved value of an Output (mocks resolve everything known). */
export function resolve<T>(o: pulumi.Input<T> | undefined): Promise<T> {
    return new Promise((res) => pulumi.output(o as pulumi.Input<T>).apply((v) => res(v as T)));
}

/** Waits until the registrations queued so far have reached the mock monitor. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function defaultOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, any> {
    // Outputs the real providers compute and our components read.
    switch (args.type) {
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::000000000000:role/${args.name}`, name: args.name };
        case "aws:iam/instanceProfile:InstanceProfile":
            return { arn: `arn:aws:iam::000000000000:instance-profile/${args.name}`, name: args.name };
        case "aws:eks/nodeGroup:NodeGroup":
            return { nodeGroupName: args.name, arn: `arn:aws:eks:::nodegroup/${args.name}` };
        case "aws:autoscaling/group:Group":
            return { name: args.name, arn: `arn:aws:autoscaling:::${args.name}` };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { latestVersion: 1, arn: `arn:aws:ec2:::launch-template/${args.name}` };
        case "gcp:container/nodePool:NodePool":
            return { name: args.inputs.name ?? args.name };
        case "azure-native:containerservice:AgentPool":
            return { name: args.inputs.agentPoolName ?? args.name };
        case "azure-native:containerservice:ManagedCluster":
            return {
                name: args.inputs.resourceName ?? args.name,
                fqdn: `${args.inputs.dnsPrefix ?? args.name}.hcp.test.azmk8s.io`,
                oidcIssuerProfile: { enabled: true, issuerURL: "https://oidc.test.azmk8s.io/00000000-0000-0000-0000-000000000000/" },
            };
        case "gcp:serviceaccount/account:Account":
            return { email: `${args.inputs.accountId ?? args.name}@project.iam.gserviceaccount.com` };
        default:
            return {};
    }
}
