// What a plan shows: the printed text, the files `--out` writes and the `--json` document,
// all from one Plan. Secrets (secret inputs, secret stack outputs) never appear in any of them.
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as YAML from "yaml";
import { PoolSummary } from "../stacks/program";
import { SECRET_STAND_IN } from "./stackFile";
import type { Plan, PlannedResource } from "./runPlan";

/** What replaces a secret value in every view of the plan. */
export const REDACTED = "[secret]";

const RUNTIME_CLASS = "kubernetes:node.k8s.io/v1:RuntimeClass";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/** The printed plan: resource tree, sandbox pools, outputs, and notes on stand-ins. */
export function renderText(plan: Plan): string {
    const lines: string[] = [];
    lines.push(`Offline plan of stack "${plan.stack}" (cloud ${plan.cloud}, cluster ${plan.clusterMode === "adopt" ? "adopted" : "created"})`);
    const notes = planNotes(plan);
    if (notes.length > 0) {
        lines.push("");
        lines.push("Notes:");
        for (const n of notes) lines.push(`  - ${n}`);
    }
    lines.push("");
    lines.push(`Resources (${plan.resources.length}):`);
    const known = new Set(plan.resources.map(key));
    const children = new Map<string | undefined, PlannedResource[]>();
    for (const r of plan.resources) {
        const parent = r.parent && known.has(r.parent) ? r.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const walk = (parent: string | undefined, prefix: string) => {
        const kids = children.get(parent) ?? [];
        kids.forEach((r, i) => {
            const last = i === kids.length - 1;
            lines.push(`${prefix}${last ? "└─ " : "├─ "}${r.type}  ${r.name}`);
            walk(key(r), prefix + (last ? "   " : "│  "));
        });
    };
    lines.push(`  pulumi:pulumi:Stack  sandbox-${plan.stack}`);
    walk(undefined, "  ");

    lines.push("");
    lines.push(`Sandbox pools (${plan.pools.length}):`);
    for (const p of plan.pools) {
        const by = p.nodeStamp.appliedByCloud ? " (applied by the cloud, not sent)" : "";
        lines.push(`  ${p.name}`);
        lines.push(`    runtime:        ${p.runtime}`);
        lines.push(`    mode:           ${p.mode}`);
        const chosen = p.karpenter && p.instanceTypes.length === 0 ? "chosen by Karpenter within the requirements" : p.instanceTypes.join(", ");
        lines.push(`    instance types: ${chosen}`);
        if (p.karpenter) {
            lines.push(`    requirements:   ${p.karpenter.requirements.join("; ")}`);
            lines.push(`    limits:         ${Object.entries(p.karpenter.limits).map(([k, v]) => `${k}=${v}`).join(", ")}`);
        }
        if (p.size) lines.push(`    nodes:          ${formatSize(p.size)}`);
        if (p.capacity) lines.push(`    capacity:       ${p.capacity}`);
        lines.push(`    labels:         ${Object.entries(p.nodeStamp.labels).map(([k, v]) => `${k}=${v}`).join(", ")}${by}`);
        lines.push(`    taints:         ${p.nodeStamp.taints.join(", ")}${by}`);
        lines.push(`    RuntimeClass:   ${targetingClasses(plan, p).join(", ")}`);
    }
    lines.push("");
    lines.push("Outputs:");
    for (const [k, v] of Object.entries(visibleOutputs(plan))) {
        if (k === "pools") continue;
        lines.push(`  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
    }
    return lines.join("\n") + "\n";
}

function formatSize(s: NonNullable<PoolSummary["size"]>): string {
    const range = s.min === s.max ? `${s.min}` : `${s.min}-${s.max}`;
    if (s.perZone) return `${range} per zone (autoscaled)`;
    return s.desired === undefined ? range : `${range}, starting with ${s.desired}`;
}

/** The fields of a resource's inputs the plan reads: a Kubernetes object's names and a RuntimeClass's scheduling. */
interface ObjectInputs {
    [field: string]: unknown;
    kind?: unknown;
    apiVersion?: unknown;
    metadata?: { name?: string; namespace?: string };
    scheduling?: { nodeSelector?: Record<string, string> };
}

/** RuntimeClasses whose nodeSelector picks this pool's nodes (or, where the cloud makes the class, the pool's own list). */
function targetingClasses(plan: Plan, pool: PoolSummary): string[] {
    const targeting = plan.resources
        .filter((r) => r.type === RUNTIME_CLASS)
        .map((r) => ({ name: r.name, inputs: r.inputs as ObjectInputs }))
        .filter((r) => selects(r.inputs.scheduling?.nodeSelector, pool.nodeStamp.labels))
        .map((r) => r.inputs.metadata?.name ?? r.name);
    const owner = plan.cloud === "gcp" ? "GKE Sandbox" : "the cloud";
    return targeting.length > 0 ? targeting : pool.runtimeClasses.map((c) => `${c} (created by ${owner})`);
}

/** A nodeSelector selects a pool when every one of its labels is on the pool's nodes. */
function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
    if (!selector || Object.keys(selector).length === 0) return false;
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** What the reader should know about the plan's stand-ins. */
export function planNotes(plan: Plan): string[] {
    return plan.secretConfig.map(
        (k) => `${k} is a secret (secure: in the stack file); the plan cannot decrypt it and used "${SECRET_STAND_IN}" in its place`,
    );
}

/** Stack outputs with secret ones redacted. */
function visibleOutputs(plan: Plan): Record<string, unknown> {
    return Object.fromEntries(Object.entries(plan.outputs).map(([k, v]) => [k, plan.secretOutputs.includes(k) ? REDACTED : v]));
}

/**
 * The files `--out` writes (relative path -> content): the printed plan, the JSON document,
 * every Kubernetes object, the Helm releases, every node launch template's decoded user data,
 * and the inputs of every cloud resource, one file each.
 */
export function renderFiles(plan: Plan & { text: string }): Map<string, string> {
    const files = new Map<string, string>();
    files.set("plan.txt", plan.text);
    files.set("plan.json", `${JSON.stringify(planDocument(plan), null, 2)}\n`);
    let k8s = 0;
    for (const r of plan.resources) {
        if (!r.custom) continue;
        const inputs = redact(r.inputs) as ObjectInputs;
        if (r.type.startsWith("kubernetes:helm.sh/")) {
            const { values, ...release } = inputs;
            files.set(`helm/${safe(r.name)}/release.yaml`, YAML.stringify({ type: r.type, ...release }));
            files.set(`helm/${safe(r.name)}/values.yaml`, YAML.stringify(values ?? {}));
        } else if (r.type.startsWith("kubernetes:") && typeof inputs.kind === "string" && typeof inputs.apiVersion === "string") {
            k8s += 1;
            const objName = inputs.metadata?.name ?? r.name;
            const ns = inputs.metadata?.namespace ? `${inputs.metadata.namespace}-` : "";
            files.set(`kubernetes/${String(k8s).padStart(3, "0")}-${inputs.kind.toLowerCase()}-${safe(ns + objName)}.yaml`, YAML.stringify(inputs));
        } else if (isCloudResource(r.type)) {
            const [provider, module, kind] = typeParts(r.type);
            files.set(
                `cloud/${provider}/${module}.${kind}/${safe(r.name)}.yaml`,
                YAML.stringify({ type: r.type, name: r.name, ...(r.parent ? { parent: r.parent } : {}), inputs }),
            );
            if (r.type === LAUNCH_TEMPLATE && typeof inputs.userData === "string") {
                files.set(`userdata/${safe(r.name)}.mime`, Buffer.from(inputs.userData, "base64").toString("utf8"));
            }
        }
    }
    return files;
}

/** The whole plan as one JSON-serialisable document (`--json`, and plan.json under `--out`). */
export function planDocument(plan: Plan): Record<string, unknown> {
    return {
        stack: plan.stack,
        cloud: plan.cloud,
        cluster: plan.clusterMode === "adopt" ? "adopted" : "created",
        notes: planNotes(plan),
        resources: plan.resources.map((r) => ({
            type: r.type,
            name: r.name,
            ...(r.parent ? { parent: r.parent } : {}),
            custom: r.custom,
            inputs: redact(r.inputs),
        })),
        pools: plan.pools.map((p) => ({ ...p, runtimeClasses: targetingClasses(plan, p) })),
        outputs: redact(visibleOutputs(plan)),
    };
}

/** Resources of a cloud provider (`aws:`, `gcp:`, ...): not Kubernetes objects, not Pulumi's own. */
function isCloudResource(type: string): boolean {
    return !type.startsWith("kubernetes:") && !type.startsWith("pulumi:");
}

/** `aws:ec2/launchTemplate:LaunchTemplate` -> `aws`, `ec2`, `LaunchTemplate`. */
function typeParts(type: string): [string, string, string] {
    const [provider, module = "index", kind = type] = type.split(":");
    return [provider, module.split("/")[0], kind];
}

/** Replaces every secret value (the engine's secret wrapper) with REDACTED. */
export function redact(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(redact);
    if (typeof v === "object" && v !== null) {
        if ((v as Record<string, unknown>)[specialSigKey] === specialSecretSig) return REDACTED;
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x)]));
    }
    return v;
}

/** A file name from a resource or object name. */
function safe(name: string): string {
    return name.replace(/[^A-Za-z0-9._-]/g, "_");
}

function key(r: PlannedResource): string {
    return `${r.type}::${r.name}`;
}
