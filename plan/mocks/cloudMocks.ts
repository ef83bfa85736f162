// The shape of one cloud's answers in the offline plan, and the stand-in values every cloud
// shares. A cloud's mocks live in one file of this folder (aws.ts, gcp.ts, ...) and are
// listed once in index.ts.
/** The stack's engine config (`aws:region`, `gcp:project`, ...) the answers may depend on. */
export type EngineConfig = Readonly<Record<string, string | undefined>>;

/**
 * One cloud's answers, by Pulumi type token:
 * - `resources`: the outputs its provider computes on create (ARNs, IDs, endpoints) that the
 *   program or a component reads. Inputs are echoed back already; a computed field inside an
 *   input block (e.g. `vpcConfig.clusterSecurityGroupId`) is merged into that block.
 * - `calls`: the result of each data source (`aws:eks/getCluster:getCluster`) the program uses,
 *   with every field the program or a component reads.
 */
export interface CloudMocks {
    resources: Partial<Record<string, (args: MockResource, config: EngineConfig) => Record<string, unknown>>>;
    calls: Partial<Record<string, (inputs: Inputs, config: EngineConfig) => Record<string, unknown>>>;
}

/** A resource's or data source's inputs as the engine hands them over: untyped. */
export type Inputs = Readonly<Record<string, unknown>>;

/** What a resource's answer reads: its logical name and its inputs. */
export interface MockResource {
    name: string;
    inputs: Inputs;
}

/** The string input `key`; `fallback` when it is absent, an error naming it when there is none. */
export function text(inputs: Inputs, key: string, fallback?: string): string {
    const v = inputs[key];
    if (typeof v === "string") return v;
    if (v === undefined && fallback !== undefined) return fallback;
    throw new Error(`the offline plan's mocks expected input ${key} to be a string, got ${JSON.stringify(v)}`);
}

/** An AWS account ID no account has. */
export const PLAN_ACCOUNT_ID = "000000000000";

/** A base64 PEM that is obviously not a certificate. */
export const FAKE_CA = Buffer.from("-----BEGIN CERTIFICATE-----\nplan\n-----END CERTIFICATE-----\n").toString("base64");

/** A cluster endpoint address from the documentation range (RFC 5737). */
export const FAKE_ENDPOINT_IP = "203.0.113.10";
