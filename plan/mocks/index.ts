// The mock runtime behind the offline plan: answers the Pulumi engine's questions the way the
// cloud providers would after `pulumi up`, with obviously fake but well-formed values
// (documentation IP ranges, zero account IDs, `.invalid` names), and records every
// resource's inputs for the plan to print and write out. Each cloud's answers live in one
// file of this folder; a new cloud adds its file and one entry to CLOUDS.
import * as pulumi from "@pulumi/pulumi";
import { AWS } from "./aws";
import { AZURE } from "./azure";
import { CloudMocks, EngineConfig } from "./cloudMocks";
import { GCP } from "./gcp";

/** Every cloud the program can plan for. */
const CLOUDS: readonly CloudMocks[] = [AWS, GCP, AZURE];

const RESOURCES = Object.assign({}, ...CLOUDS.map((c) => c.resources)) as CloudMocks["resources"];
const CALLS = Object.assign({}, ...CLOUDS.map((c) => c.calls)) as CloudMocks["calls"];

/** Resource inputs as the engine received them, keyed by `type::name`. */
export interface Registered {
    type: string;
    name: string;
    /** A custom resource (one a provider creates), not a component. */
    custom: boolean;
    inputs: Record<string, unknown>;
    state: Record<string, unknown>;
}

export class PlanMocks implements pulumi.runtime.Mocks {
    readonly registered = new Map<string, Registered>();

    /** @param config the stack's engine config (`aws:region`, `gcp:project`, ...). */
    constructor(private readonly config: EngineConfig) {}

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const inputs = args.inputs as Record<string, unknown>;
        const out = RESOURCES[args.type]?.({ name: args.name, inputs }, this.config) ?? {};
        const state: Record<string, unknown> = { ...out, ...inputs };
        // Computed fields inside an input block (e.g. the cluster's vpcConfig.clusterSecurityGroupId).
        for (const [k, v] of Object.entries(out)) {
            const given = inputs[k];
            if (isPlainObject(v) && isPlainObject(given)) state[k] = { ...given, ...v };
        }
        this.registered.set(`${args.type}::${args.name}`, { type: args.type, name: args.name, custom: args.custom ?? true, inputs, state });
        return { id: args.id || `${args.name}-id`, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const answer = CALLS[args.token];
        if (!answer) {
            throw new Error(`the offline plan has no answer for data source ${args.token}; add one to its cloud's file in plan/mocks/`);
        }
        return answer(args.inputs as Record<string, unknown>, this.config);
    }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
