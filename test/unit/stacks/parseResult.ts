import * as assert from "assert";
import { ParseResult } from "../../../stacks/config";

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
