import * as assert from "assert";
import { CONFIG_KEYS, KeyType, POOL_KEYS, PROGRAM_CLOUDS, ProgramCloud, SYSTEM_POOL_KEYS, parseStackConfig } from "../../../stacks/config";
import { BASE_STACKS, ok, problems } from "../../support/configResult";

/** A valid stack on each cloud, to which one misplaced key is added. */
const STACKS: Record<ProgramCloud, Record<string, unknown>> = BASE_STACKS;

/** A value of the declared type that would be read further if the key applied (and fail there). */
const SAMPLE: Record<KeyType, unknown> = { string: "x", number: 7, boolean: false, array: ["x"], object: { x: "y" } };

describe("stack config keys (stacks/config/keys.ts)", () => {
    for (const cloud of PROGRAM_CLOUDS) {
        it(`accepts the base ${cloud} stack the tests below add keys to`, () => {
            ok(parseStackConfig(STACKS[cloud], "dev"));
        });
    }

    it("refuses every key on each cloud its declaration leaves out, with that one message", () => {
        let checked = 0;
        for (const [key, declaration] of Object.entries(CONFIG_KEYS)) {
            const clouds: readonly ProgramCloud[] = "clouds" in declaration ? declaration.clouds : PROGRAM_CLOUDS;
            for (const cloud of PROGRAM_CLOUDS.filter((c) => !clouds.includes(c))) {
                const stack = { ...STACKS[cloud], [`sandbox:${key}`]: SAMPLE[declaration.type] };
                const about = problems(parseStackConfig(stack, "dev")).filter((m) => m.startsWith(`sandbox:${key}`));
                assert.strictEqual(about.length, 1, `${key} on ${cloud}: ${about.join("; ")}`);
                assert.match(about[0], new RegExp(`^sandbox:${key}: does not apply to cloud "${cloud}"`));
                checked++;
            }
        }
        assert.ok(checked > 20, `${checked} misplaced keys checked`);
    });

    it("refuses every pool field on each cloud its declaration leaves out, with that one message", () => {
        let checked = 0;
        for (const [field, declaration] of Object.entries(POOL_KEYS)) {
            if (!("clouds" in declaration)) continue;
            for (const cloud of PROGRAM_CLOUDS.filter((c) => c !== "kubernetes" && !(declaration.clouds as readonly string[]).includes(c))) {
                const base = STACKS[cloud];
                const pool: Record<string, unknown> = { ...(base["sandbox:pools"] as object[])[0], [field]: SAMPLE[declaration.type] };
                const about: string[] = problems(parseStackConfig({ ...base, "sandbox:pools": [pool] }, "dev")).filter((m) => m.startsWith(`sandbox:pools[0].${field}`));
                assert.deepStrictEqual(about.length, 1, `${field} on ${cloud}: ${about.join("; ")}`);
                assert.match(about[0], new RegExp(`^sandbox:pools\\[0\\]\\.${field}: does not apply to cloud "${cloud}"`));
                checked++;
            }
        }
        assert.ok(checked > 20, `${checked} misplaced pool fields checked`);
    });

    it("names the cloud's own machine type field for another cloud's in sandbox:systemPool", () => {
        const own: Record<string, string> = { aws: "instanceTypes", gcp: "machineType", azure: "vmSize" };
        for (const cloud of ["aws", "gcp", "azure"] as const) {
            for (const [field, declaration] of Object.entries(SYSTEM_POOL_KEYS)) {
                if (!("clouds" in declaration) || (declaration.clouds as readonly string[]).includes(cloud)) continue;
                const stack = { ...STACKS[cloud], "sandbox:systemPool": { [field]: SAMPLE[declaration.type] } };
                assert.deepStrictEqual(problems(parseStackConfig(stack, "dev")), [`sandbox:systemPool.${field}: use ${own[cloud]} on cloud "${cloud}"`]);
            }
        }
    });

    it("refuses the fields a provisioner does not take, naming the provisioner", () => {
        const aws = STACKS.aws;
        const karpenter = { ...aws, "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps", "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001"], "sandbox:karpenterVersion": "1.13.1" };
        assert.deepStrictEqual(problems(parseStackConfig({ ...aws, "sandbox:pools": [{ name: "g", runtime: "gvisor", instanceTypes: ["m7i.xlarge"], instanceFamilies: ["m7i"] }] }, "dev")), [
            'sandbox:pools[0].instanceFamilies: only applies to provisioner "karpenter"',
        ]);
        assert.deepStrictEqual(problems(parseStackConfig({ ...karpenter, "sandbox:pools": [{ name: "g", runtime: "gvisor", provisioner: "karpenter", desiredSize: "two" }] }, "dev")), [
            'sandbox:pools[0].desiredSize: does not apply to provisioner "karpenter": Karpenter launches nodes as pending pods need them and removes empty ones',
        ]);
    });
});
