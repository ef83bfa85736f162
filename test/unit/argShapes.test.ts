import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as root from "../../components";
import * as aws from "../../components/aws";
import * as azure from "../../components/azure";
import * as gcp from "../../components/gcp";
import { ARG_SHAPES, ArgShape } from "../../components/argShapes";
import { InputPropertiesError, checkArgShape } from "../../components/validation";
import { installMocks, reset, settle, state } from "../support/mocks";

type Component = new (name: string, args: unknown) => pulumi.ComponentResource;

/** Every component class the entry points export, by name. */
const COMPONENTS: Record<string, Component> = Object.fromEntries(
    [root, aws, gcp, azure].flatMap((m) =>
        Object.entries(m).filter(([, v]) => typeof v === "function" && v.prototype instanceof pulumi.ComponentResource),
    ),
) as Record<string, Component>;

/** A value of the declared shape: what a field's parent is built from. */
function sample(s: ArgShape): unknown {
    switch (s.kind) {
        case "string":
            return "x";
        case "number":
            return 1;
        case "boolean":
            return true;
        case "any":
            return "x";
        case "input":
            return sample(s.of);
        case "array":
            return [];
        case "map":
            return {};
        case "object":
            return Object.fromEntries(s.required.map((k) => [k, sample(s.fields[k])]));
    }
}

/** What a JavaScript or YAML user plausibly writes instead: a string for a list, a string for a number. */
function wrong(s: ArgShape): unknown {
    switch (s.kind) {
        case "string":
            return 42;
        case "number":
            return "42";
        case "boolean":
            return "yes";
        case "input":
            return wrong(s.of);
        case "array":
            return "x";
        case "map":
        case "object":
            return ["x"];
        default:
            return undefined;
    }
}

interface Field {
    /** Arg path as problems name it: `autoscaling.minNodeCount`, `kata.hosts[0].name`. */
    path: string;
    shape: ArgShape;
    /** The args with this field set to `value`, every required field around it sampled. */
    args(value: unknown): Record<string, unknown>;
}

/** Every field of an object shape, nested objects and list items included. */
function fields(s: ArgShape & { kind: "object" }, prefix = "", wrap: (v: Record<string, unknown>) => Record<string, unknown> = (v) => v): Field[] {
    const out: Field[] = [];
    for (const [k, f] of Object.entries(s.fields)) {
        const path = prefix === "" ? k : `${prefix}.${k}`;
        const withField = (v: unknown) => wrap({ ...(sample(s) as object), [k]: v });
        out.push({ path, shape: f, args: withField });
        const inner = f.kind === "input" ? f.of : f;
        if (inner.kind === "object") out.push(...fields(inner, path, withField));
        if (inner.kind === "array" && inner.of.kind === "object") out.push(...fields(inner.of, `${path}[0]`, (v) => withField([v])));
    }
    return out;
}

/** The component's error and what reached the engine besides the component itself. */
async function attempt(component: string, args: unknown): Promise<{ error: unknown; created: string[] }> {
    let error: unknown;
    try {
        new COMPONENTS[component]("shape", args);
    } catch (e) {
        error = e;
    }
    await settle();
    return { error, created: state.resources.filter((r) => !r.type.startsWith("sandbox-clusters:")).map((r) => `${r.type} ${r.name}`) };
}

describe("Component args of the wrong JavaScript type", () => {
    before(installMocks);
    beforeEach(reset);

    it("every component the entry points export has a shape, and every shape a component", () => {
        assert.deepStrictEqual(Object.keys(COMPONENTS).sort(), Object.keys(ARG_SHAPES).sort());
    });

    for (const [component, shape] of Object.entries(ARG_SHAPES)) {
        if (shape.kind !== "object") continue;
        describe(component, () => {
            for (const f of fields(shape)) {
                const value = wrong(f.shape);
                if (value === undefined) continue;
                it(`names ${f.path} when it is given ${JSON.stringify(value)}, before creating anything`, async () => {
                    const { error, created } = await attempt(component, f.args(value));
                    assert.ok(error instanceof InputPropertiesError, `expected an InputPropertiesError, got ${String(error)}`);
                    const named = error.problems.find((p) => p.path === f.path);
                    assert.ok(named, `no problem names ${f.path}:\n${error.message}`);
                    assert.match(named.message, /^must be (a string|a number|true or false|a list|a map) \(got /);
                    assert.deepStrictEqual(created, []);
                });
            }

            it("names a key that is no argument, with the argument it resembles", async () => {
                const first = Object.keys(shape.fields)[0];
                const { error, created } = await attempt(component, { ...(sample(shape) as object), [`${first}s`]: "x" });
                assert.ok(error instanceof InputPropertiesError, `expected an InputPropertiesError, got ${String(error)}`);
                assert.deepStrictEqual(
                    error.problems.find((p) => p.path === `${first}s`),
                    { code: "unknown-arg", path: `${first}s`, message: `is not an argument of ${component} (did you mean ${first}?)` },
                );
                assert.deepStrictEqual(created, []);
            });

            it("names a missing required argument", async () => {
                if (shape.required.length === 0) return;
                const { error } = await attempt(component, {});
                assert.ok(error instanceof InputPropertiesError, `expected an InputPropertiesError, got ${String(error)}`);
                for (const k of shape.required) assert.ok(error.problems.some((p) => p.path === k), `no problem names ${k}:\n${error.message}`);
            });

            it("refuses args that are no map", async () => {
                for (const args of [undefined, "x", ["x"]]) {
                    const { error, created } = await attempt(component, args);
                    assert.ok(error instanceof InputPropertiesError, `expected an InputPropertiesError for ${JSON.stringify(args)}, got ${String(error)}`);
                    assert.strictEqual(error.problems[0].path, "args");
                    assert.deepStrictEqual(created, []);
                }
            });
        });
    }
});

describe("checkArgShape", () => {
    it("says what was given and how to write a list of one", () => {
        assert.deepStrictEqual(checkArgShape("EksSandboxNodePool", { clusterName: "c", subnetIds: ["s"], runtime: "gvisor", instanceTypes: "m8i.large" }).problems, [
            { code: "wrong-type", path: "instanceTypes", message: 'must be a list (got the string "m8i.large"; write ["m8i.large"] for a list of one)' },
        ]);
    });

    it("takes an Output or a Promise wherever the interface takes a pulumi.Input", () => {
        const args = { clusterName: pulumi.output("c"), subnetIds: [Promise.resolve("s")], runtime: "gvisor" };
        assert.deepStrictEqual(checkArgShape("EksSandboxNodePool", args).problems, []);
    });

    it("names map entries and list items by key and index", () => {
        assert.deepStrictEqual(
            checkArgShape("AksSandboxNodePool", { resourceGroupName: "rg", clusterName: "c", labels: { team: 7 }, taints: [{ key: "a", value: "b", effect: "NoSchedule" }, { key: "a", value: false, effect: "NoSchedule" }] }).problems,
            [
                { code: "wrong-type", path: 'labels["team"]', message: "must be a string (got the number 7)" },
                { code: "wrong-type", path: "taints[1].value", message: "must be a string (got false)" },
            ],
        );
    });

    it("names a misspelled nested field with the known ones", () => {
        assert.deepStrictEqual(checkArgShape("GkeSandboxNodePool", { cluster: "c", location: "l", project: "p", runtime: "gvisor", autoscaling: { min: 0, maxNodeCount: 2 } }).problems, [
            { code: "unknown-arg", path: "autoscaling.min", message: "is not a field of autoscaling (known: minNodeCount, maxNodeCount)" },
            { code: "required", path: "autoscaling.minNodeCount", message: "is required" },
        ]);
    });

    it("passes the well-typed rest on, so the component's own checks still report it", () => {
        const problems = aws.eksSandboxNodePoolProblems({ clusterName: "c", subnetIds: ["subnet-0a1b2c3d"], runtime: "gvisor", minSize: "1", capacityType: "CHEAP" } as never);
        assert.deepStrictEqual(problems.map((p) => p.path), ["minSize", "capacityType"]);
    });
});
