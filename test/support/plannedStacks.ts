// Plans of every stack file in stacks/ and of a few extra configurations the program tests
// need, computed once per mocha run in one child process (see planWorker.ts).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

export const ROOT = path.join(__dirname, "../..");
export const STACKS = path.join(ROOT, "stacks");
/** Node options that run a TypeScript file the way `npm run plan` does. */
export const RUN_TS = ["--require", path.join(ROOT, "scripts", "register.js")];

export interface PlannedResource {
    type: string;
    name: string;
    parent?: string;
    inputs: Record<string, any>;
}
export type Planned =
    | { ok: true; text: string; files: Record<string, string>; resources: PlannedResource[]; outputs: Record<string, any> }
    | { ok: false; problems: { path: string; message: string }[] };

/** Configurations beyond the stack files: the other cluster modes of each cloud. */
export const EXTRA: Record<string, { stack: string; config: Record<string, unknown> }> = {
    "aks-adopt": {
        stack: "aks-adopt",
        config: {
            "sandbox:cloud": "azure",
            "sandbox:clusterMode": "adopt",
            "sandbox:clusterName": "apps",
            "sandbox:resourceGroup": "rg-apps",
            "sandbox:pools": [{ name: "kata", runtime: "kata", vmSize: "Standard_D8ds_v5", minSize: 1, maxSize: 4 }],
        },
    },
    "aks-ranges": {
        stack: "aks-ranges",
        config: {
            "azure-native:location": "northeurope",
            "sandbox:cloud": "azure",
            "sandbox:resourceGroup": "rg-ci",
            "sandbox:apiAllowedCidrs": ["198.51.100.0/24"],
            "sandbox:adminGroupObjectIds": ["44444444-4444-4444-4444-444444444444"],
            "sandbox:pools": [{ name: "kata", runtime: "kata" }],
        },
    },
    "gke-adopt": {
        stack: "gke-adopt",
        config: {
            "gcp:project": "my-sandbox-project",
            "sandbox:cloud": "gcp",
            "sandbox:clusterMode": "adopt",
            "sandbox:clusterName": "apps",
            "sandbox:location": "us-central1",
            "sandbox:pools": [{ name: "gvisor", runtime: "gvisor", machineType: "e2-standard-4" }],
        },
    },
    "eks-own-subnets": {
        stack: "eks-own-subnets",
        config: {
            "aws:region": "eu-west-1",
            "sandbox:cloud": "aws",
            "sandbox:clusterName": "ci",
            "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            "sandbox:adminPrincipalArns": ["arn:aws:iam::000000000000:role/platform-admins"],
            "sandbox:apiAllowedCidrs": ["198.51.100.0/24"],
            "sandbox:pools": [{ name: "kata", runtime: "kata", instanceTypes: ["m8i.2xlarge"] }],
        },
    },
    "eks-adopt-nested": {
        stack: "eks-adopt-nested",
        config: {
            "aws:region": "us-east-1",
            "sandbox:cloud": "aws",
            "sandbox:clusterMode": "adopt",
            "sandbox:clusterName": "apps",
            "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            "sandbox:pools": [{ name: "kata", runtime: "kata", instanceTypes: ["c8i.2xlarge"] }],
        },
    },
};

/** Stack names with a file in stacks/. */
export function stackNames(): string[] {
    return fs.readdirSync(STACKS).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []).sort();
}

export function stackConfig(stack: string): Record<string, any> {
    return YAML.parse(fs.readFileSync(path.join(STACKS, `Pulumi.${stack}.yaml`), "utf8")).config;
}

let cache: Record<string, Planned> | undefined;

/** Every stack file's plan (by stack name) and every EXTRA plan (by its label). */
export function planned(): Record<string, Planned> {
    if (!cache) {
        const jobs = {
            ...Object.fromEntries(stackNames().map((s) => [s, { stack: s, config: stackConfig(s) }])),
            ...EXTRA,
        };
        const r = spawnSync(process.execPath, [...RUN_TS, "test/support/planWorker.ts"], {
            cwd: ROOT,
            input: JSON.stringify(jobs),
            encoding: "utf8",
            maxBuffer: 256 << 20,
        });
        assert.strictEqual(r.status, 0, r.stderr);
        cache = JSON.parse(r.stdout) as Record<string, Planned>;
    }
    return cache;
}

/** The successful plan of `label`; fails the test with the config problems otherwise. */
export function ok(label: string): Extract<Planned, { ok: true }> {
    const p = planned()[label];
    assert.ok(p, `no plan for ${label}`);
    if (!p.ok) assert.fail(`${label}: ${p.problems.map((x) => `${x.path}: ${x.message}`).join("; ")}`);
    return p;
}

export function ofType(p: Extract<Planned, { ok: true }>, type: string): PlannedResource[] {
    return p.resources.filter((r) => r.type === type);
}
