// The runsc flag catalogue (components/aws/runscFlags.ts) against the runsc built from the
// pinned gVisor Go branch: the same flag names, and runsc's own flag parser agreeing with the
// catalogue about the values it lists and the ones it refuses.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { RUNSC_FLAGS, RunscFlagKind } from "../../../components/aws/runscFlags";
import { GVISOR_BIN, requireParts } from "../../support/gvisor/binaries";
import { run } from "../../support/gvisor/node";

const RUNSC = path.join(GVISOR_BIN, "runsc");

/** Whether runsc's command line parser accepts `--name=value` (`--version` exits before any sandbox work). */
async function parses(name: string, value: string): Promise<boolean> {
    const r = await run(RUNSC, [`--${name}=${value}`, "--version"]);
    return r.code === 0;
}

/** Runs `fn` over `items`, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
    const queue = [...items];
    await Promise.all(Array.from({ length: limit }, async () => {
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }));
}

/** String flags runsc takes as they are and checks only when a sandbox starts (not in its flag parser). */
const CHECKED_AT_START = ["platform", "watchdog-action", "log-format", "debug-log-format", "nvproxy-allowed-driver-capabilities"];

describe("runsc flag catalogue against the pinned runsc", function () {
    this.timeout(600_000);

    before(function () {
        requireParts(this, [RUNSC]);
    });

    it("lists exactly the flags `runsc flags` prints", async () => {
        const r = await run(RUNSC, ["flags"]);
        const names = [...(r.stdout + r.stderr).matchAll(/^ {2}-(\S+)/gm)].map((m) => m[1]).sort();
        assert.deepEqual(Object.keys(RUNSC_FLAGS).sort(), names);
    });

    it("lists only values runsc's parser accepts", async () => {
        const cases = Object.entries(RUNSC_FLAGS).flatMap(([name, spec]) => (spec.values ?? []).map((v) => [name, v] as const));
        const refused: string[] = [];
        await eachLimited(cases, 4, async ([name, value]) => {
            if (!(await parses(name, value))) refused.push(`${name}=${value}`);
        });
        assert.deepEqual(refused, []);
    });

    it("refuses, like runsc's parser, a value outside each typed or enumerated flag's domain", async () => {
        const bogus: Record<RunscFlagKind, string> = { bool: "maybe", int: "1.5", uint: "-1", duration: "90", string: "no-such-value" };
        const cases = Object.entries(RUNSC_FLAGS).filter(([name, spec]) => (spec.kind !== "string" || spec.values || spec.pattern) && !CHECKED_AT_START.includes(name));
        const accepted: string[] = [];
        await eachLimited(cases, 4, async ([name, spec]) => {
            const value = spec.kind === "string" && spec.pattern ? "relative/x" : bogus[spec.kind];
            if (await parses(name, value)) accepted.push(`${name}=${value}`);
        });
        assert.deepEqual(accepted, []);
    });
});
