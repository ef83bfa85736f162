// Runs the program the way `pulumi up -s <stack>` runs it, with that stack's config, under
// Pulumi's mock runtime (plan/mocks/), and collects what it registered: every resource
// with its inputs, the pool summaries and the stack outputs. No cloud account, no Pulumi CLI.
import * as pulumi from "@pulumi/pulumi";
import { ConfigProblem as Problem } from "../stacks/config/reader";
import { parseStackConfig } from "../stacks/config";
import { PoolSummary } from "../stacks/program";
import { PlanMocks } from "./mocks";
import { renderText } from "./render";

/** The Pulumi entry (`main` in Pulumi.yaml): the plan loads it as `pulumi up` does. */
const ENTRY = require.resolve("../stacks/main.js");
/** The program module the entry loads; its exports are the stack outputs. */
const PROGRAM = require.resolve("../stacks/index.ts");

export const PROJECT = "sandbox";

/** A resource the program registered, with its inputs as the engine received them. */
export interface PlannedResource {
    type: string;
    name: string;
    /** `type::name` of the parent resource; absent for children of the stack. */
    parent?: string;
    /** A resource a provider creates (not a component). */
    custom: boolean;
    inputs: Record<string, unknown>;
}

export interface Plan {
    stack: string;
    cloud: string;
    clusterMode: string;
    /** Every resource in registration order. */
    resources: PlannedResource[];
    pools: PoolSummary[];
    /** Stack outputs, resolved (secrets included, unmasked: render masks them). */
    outputs: Record<string, unknown>;
    /** Stack outputs that are secrets. */
    secretOutputs: string[];
    /** Config paths whose `secure:` value the plan replaced with a stand-in. */
    secretConfig: string[];
}

export type PlanResult =
    | { ok: false; problems: Problem[] }
    | (Plan & {
          ok: true;
          /** The printed plan. */
          text: string;
      });

/**
 * Plans `stack` from its config values (`ns:key` -> value, as in the stack file). Validates
 * first and returns every problem; on success runs the program under mocks and renders the
 * printed plan (render.ts renders the files and the JSON document from the same result).
 * `secretConfig` names the config paths whose values are stand-ins for secrets.
 */
export async function plan(stack: string, config: Record<string, unknown>, secretConfig: readonly string[] = []): Promise<PlanResult> {
    const engineConfig = Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    const parsed = parseStackConfig(engineConfig, stack);
    if (!parsed.ok) {
        const standIn = (p: string) => secretConfig.some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`) || s.startsWith(`${p}.`) || s.startsWith(`${p}[`));
        return {
            ok: false,
            problems: parsed.problems.map((x) => standIn(x.path) ? { ...x, message: `${x.message} (the plan checked a stand-in for this secret value)` } : x),
        };
    }

    const mocks = new PlanMocks(engineConfig);
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    const secretKeys = [...new Set(secretConfig.map((s) => s.split(/[.[]/)[0]))];
    pulumi.runtime.setAllConfig(engineConfig, secretKeys);

    const restoreStackTraces = stackTracesOff();
    try {
        const order: { type: string; name: string; parent?: pulumi.Resource; resource: pulumi.Resource }[] = [];
        let exported: Record<string, unknown> = {};
        const outputs = (await pulumi.runtime.runInPulumiStack(() => {
            pulumi.runtime.registerStackTransformation((a) => {
                order.push({ type: a.type, name: a.name, parent: a.opts.parent, resource: a.resource });
                return undefined;
            });
            // The module's exports are the stack outputs; load it afresh for each plan.
            delete require.cache[ENTRY];
            delete require.cache[PROGRAM];
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- reloaded by path for each plan, as above
            exported = require(ENTRY) as Record<string, unknown>;
            return Promise.resolve(exported);
        })) ?? {};
        // Every registration has reached the mock monitor once each resource's URN is known.
        for (let seen = -1; seen !== order.length; ) {
            seen = order.length;
            await Promise.all(order.map((n) => promiseOf(n.resource.urn)));
        }
        // ...and the components' registerOutputs calls have drained (`waitForRPCs` is the
        // runtime's own wait, used by `disconnect`; it is not in the typings).
        await (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();

        const secretOutputs: string[] = [];
        for (const [k, v] of Object.entries(exported)) {
            if (pulumi.Output.isInstance(v) && (await pulumi.isSecret(v))) secretOutputs.push(k);
        }
        const key = new Map(order.map((n) => [n.resource, `${n.type}::${n.name}`]));
        const resources = order.map((n): PlannedResource => {
            const r = mocks.registered.get(`${n.type}::${n.name}`);
            return {
                type: n.type,
                name: n.name,
                parent: n.parent ? key.get(n.parent) : undefined,
                custom: r?.custom ?? false,
                inputs: r ? withoutBookkeeping(r.inputs) : {},
            };
        });
        const pools = Object.entries(outputs.pools as Record<string, Omit<PoolSummary, "name">>).map(([name, p]) => ({ name, ...p }));
        const result: Plan = {
            stack,
            cloud: parsed.config.cloud,
            clusterMode: parsed.config.clusterMode,
            resources,
            pools,
            outputs,
            secretOutputs,
            secretConfig: [...secretConfig],
        };
        return { ok: true, ...result, text: renderText(result) };
    } finally {
        restoreStackTraces();
    }
}

/**
 * Turns JavaScript stack traces off while the program runs, unless asked for
 * (`--stack-trace-limit` in node's options, or PULUMI_DEBUG_PROMISE_LEAKS, which prints
 * them). Pulumi records one for every output promise, for leak reports only, and they were a
 * third of a large plan's CPU. The source position Pulumi records per resource is taken
 * with its own limit and stays.
 */
function stackTracesOff(): () => void {
    const nodeOptions = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
    if (nodeOptions.some((o) => o.startsWith("--stack-trace-limit")) || process.env.PULUMI_DEBUG_PROMISE_LEAKS) return () => undefined;
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    return () => {
        Error.stackTraceLimit = before;
    };
}

/** Inputs without the engine's bookkeeping fields. */
function withoutBookkeeping(inputs: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(inputs).filter(([k]) => !k.startsWith("__")));
}

function promiseOf<T>(o: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));
}
