import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";

import { assertGoldenTree, readTree } from "../../support/golden";
import { EXTRA, Planned, ROOT, RUN_TS, STACKS, planned as planAll } from "../../support/plannedStacks";

function run(args: string[]) {
    return spawnSync(process.execPath, [...RUN_TS, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
}

describe("offline plan (npm run plan)", function () {
    this.timeout(180_000);
    let planned: Record<string, Planned>;

    before(() => {
        planned = planAll();
    });

    it("plans every stack file in stacks/ without error", () => {
        const stacks = fs.readdirSync(STACKS).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
        assert.ok(stacks.length >= 3, `found ${stacks.join(", ")}`);
        for (const f of stacks) {
            const name = f.slice("Pulumi.".length, -".yaml".length);
            const p = planned[name];
            assert.ok(p, `stack ${name} was planned`);
            assert.ok(p.ok, `stack ${name}: ${!p.ok ? p.problems.map((x) => `${x.path}: ${x.message}`).join("; ") : ""}`);
        }
    });

    it("answers every lookup with every field the components read: no resource input holds a null", () => {
        const nulls = (v: unknown, at: string): string[] =>
            v === null ? [at]
            : Array.isArray(v) ? v.flatMap((x, i) => nulls(x, `${at}[${i}]`))
            : typeof v === "object" ? Object.entries(v as object).flatMap(([k, x]) => nulls(x, `${at}.${k}`))
            : [];
        for (const [label, p] of Object.entries(planned)) {
            assert.ok(p.ok, label);
            const found = p.resources.flatMap((r) => nulls(r.inputs, `${r.type}::${r.name}`));
            assert.deepStrictEqual(found, [], label);
        }
    });

    it("keeps the stack files free of account IDs and secrets", () => {
        for (const f of fs.readdirSync(STACKS).filter((x) => x.endsWith(".yaml"))) {
            const text = fs.readFileSync(path.join(STACKS, f), "utf8");
            assert.doesNotMatch(text, /\b\d{12}\b/, `${f} holds something like an AWS account ID`);
            assert.doesNotMatch(text, /secure:|encryptedkey|BEGIN [A-Z ]*PRIVATE KEY/, `${f} holds a secret`);
        }
    });

    it("prints and writes the dev plan exactly as reviewed (golden folder; plan.txt is the printed plan)", () => {
        const p = planned.dev;
        assert.ok(p.ok);
        // plan.json repeats every resource's inputs, components' args included, in one file:
        // not kept as a golden (cli.test.ts checks it is the --json document).
        const files = Object.fromEntries(Object.entries(p.files).filter(([rel]) => rel !== "plan.json"));
        assertGoldenTree("plan/dev", files);
        assert.strictEqual(p.files["plan.txt"], p.text);
    });

    it("shows per pool its runtime, labels, taints and the RuntimeClass that targets it", () => {
        for (const [stack, p] of Object.entries(planned)) {
            if (stack in EXTRA) continue;
            assert.ok(p.ok);
            const cfg = YAML.parse(fs.readFileSync(path.join(STACKS, `Pulumi.${stack}.yaml`), "utf8")).config;
            for (const pool of cfg["sandbox:pools"]) {
                const block = p.text.split("\n").slice(p.text.split("\n").indexOf(`  ${pool.name}`)).slice(0, 10).join("\n");
                assert.match(block, new RegExp(`runtime: +${pool.runtime}\\n`), `${stack}/${pool.name}`);
                assert.match(block, new RegExp(`RuntimeClass: +${pool.runtime === "gvisor" ? "gvisor" : "kata"}\\b`), `${stack}/${pool.name}`);
                assert.match(block, new RegExp(`taints: +\\S+=${pool.runtime}:NoSchedule`), `${stack}/${pool.name}`);
            }
        }
    });

    it("writes the plan's files with --out, the same as it prints", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-out-"));
        try {
            const r = run(["plan/plan.ts", "dev", "--out", out]);
            assert.strictEqual(r.status, 0, r.stderr);
            const p = planned.dev;
            assert.ok(p.ok);
            assert.strictEqual(r.stdout, `${p.text}\nWrote ${Object.keys(p.files).length} files to ${out}\n`);
            assert.deepStrictEqual(readTree(out), p.files);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("exits non-zero with every config error and writes nothing for an invalid stack", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bad-"));
        try {
            const file = path.join(tmp, "Pulumi.broken.yaml");
            fs.writeFileSync(file, YAML.stringify({
                config: {
                    "aws:region": "us-east-1",
                    "sandbox:cloud": "aws",
                    "sandbox:clusterMode": "adopt",
                    "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001"],
                    "sandbox:pools": [
                        { name: "a", runtime: "gvisor", instanceTypes: ["m7i.large"] },
                        { name: "b", runtime: "kata", instanceTypes: ["t3.large"] },
                        { name: "a", runtime: "runc", instanceTypes: ["m7i.large"] },
                    ],
                },
            }));
            const out = path.join(tmp, "out");
            const r = run(["plan/plan.ts", file, "--out", out]);
            assert.strictEqual(r.status, 2, r.stderr);
            assert.strictEqual(r.stdout, "");
            assert.strictEqual(r.stderr, [
                'stack "broken": invalid stack configuration:',
                '  - sandbox:clusterName: required when sandbox:clusterMode is "adopt" (the name of the existing cluster)',
                '  - sandbox:pools[2].runtime: must be one of gvisor, kata (got "runc")',
                '  - sandbox:pools[2].name: duplicate pool name "a" (pool names must be unique)',
                "  - sandbox:pools[1].instanceTypes[0]: t3.large does not expose KVM, which Kata needs; use a nested-virtualization type (c8i, m8i, r8i or their -flex variants, e.g. m8i.large) or a bare-metal size (e.g. m7i.metal-24xl)",
                "",
            ].join("\n"));
            assert.ok(!fs.existsSync(out), "nothing written");
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
