import * as assert from "assert";
import { ParseResult } from "../../stacks/config";

/** The problems of a config that must fail, as `key: message` lines. */
export function problems(r: ParseResult): string[] {
    assert.ok(!r.ok, "expected the config to be rejected");
    return r.problems.map((p) => `${p.path}: ${p.message}`);
}

/** The config of a stack that must pass; fails with every problem otherwise. */
export function ok(r: ParseResult) {
    if (!r.ok) assert.fail(`expected a valid config, got:\n${r.problems.map((p) => `${p.path}: ${p.message}`).join("\n")}`);
    return r.config;
}

/** A valid stack on each cloud, for tests that add one key to it. */
export const BASE_STACKS = {
    aws: { "aws:region": "us-east-1", "sandbox:cloud": "aws", "sandbox:pools": [{ name: "gvisor", runtime: "gvisor", instanceTypes: ["m7i.xlarge"] }] },
    gcp: { "gcp:project": "my-sandbox-project", "sandbox:cloud": "gcp", "sandbox:location": "europe-west4-a", "sandbox:pools": [{ name: "gvisor", runtime: "gvisor", machineType: "e2-standard-4" }] },
    azure: { "sandbox:cloud": "azure", "sandbox:resourceGroup": "rg-sandbox", "sandbox:location": "westeurope", "sandbox:pools": [{ name: "kata", runtime: "kata", vmSize: "Standard_D4s_v5" }] },
    kubernetes: { "sandbox:cloud": "kubernetes", "sandbox:kubeconfig": "apiVersion: v1", "sandbox:nodeRuntimes": ["gvisor"] },
} as const satisfies Record<string, Record<string, unknown>>;
