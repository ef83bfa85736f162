import * as assert from "assert";
import * as fc from "fast-check";
import {
    NAME_KINDS,
    NAME_RULES,
    NameKind,
    PULUMI_AUTONAME_SUFFIX_LENGTH,
    autoNamed,
    duplicateNameProblems,
    fitText,
    nameProblems,
    physicalName,
} from "../../components/names";

/** What Pulumi makes of a logical name: `<name>-` and 7 random hex. */
function pulumiAutoName(logical: string, random = "0a1b2c3"): string {
    return `${logical}-${random}`;
}

function valid(kind: NameKind, name: string): boolean {
    return nameProblems(kind, "name", name).length === 0;
}

/** Any string: plain ASCII, every code point, and names shaped like the ones the program makes. */
const anyName = fc.oneof(
    fc.string({ maxLength: 140 }),
    fc.string({ unit: "binary", maxLength: 90 }),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,120}$/),
    fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/)).map(([c, p]) => `${c}-${p}`),
);

/** Names a rule accepts as they are, built from the rule's own characters. */
function validNameOf(kind: NameKind): fc.Arbitrary<string> {
    const samples: Record<NameKind, RegExp> = {
        [NameKind.AwsIamRole]: /^[A-Za-z0-9+=,.@_-]{1,64}$/,
        [NameKind.AwsInstanceProfile]: /^[A-Za-z0-9+=,.@_-]{1,128}$/,
        [NameKind.AwsLaunchTemplate]: /^[A-Za-z0-9().\/_-]{3,128}$/,
        [NameKind.AwsAutoScalingGroup]: /^[ -~]{1,255}$/,
        [NameKind.EksNodeGroup]: /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/,
        [NameKind.EksCluster]: /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/,
        [NameKind.GkeCluster]: /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/,
        [NameKind.GkeNodePool]: /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/,
        [NameKind.GcpServiceAccountId]: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        [NameKind.AksCluster]: /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/,
        [NameKind.AksAgentPool]: /^[a-z][a-z0-9]{0,11}$/,
        [NameKind.KarpenterNodePool]: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    };
    return fc.stringMatching(samples[kind]);
}

describe("name budget (components/names.ts)", () => {
    it("refuses to auto-name an AKS agent pool, which Pulumi's suffix would not fit", () => {
        assert.throws(() => autoNamed(NameKind.AksAgentPool, "kata"), { message: "a Linux agent pool name is never auto-named: give it with physicalName()" });
        assert.strictEqual(physicalName(NameKind.AksAgentPool, "sandbox-dev-kata"), "sandbox" + physicalName(NameKind.AksAgentPool, "sandbox-dev-kata").slice(7));
        assert.match(physicalName(NameKind.AksAgentPool, "sandbox-dev-kata"), /^sandbox[0-9a-f]{5}$/);
    });

    it("knows a rule for every kind, with room for Pulumi's suffix and a hash", () => {
        for (const kind of NAME_KINDS) {
            const r = NAME_RULES[kind];
            const suffix = r.physicalOnly ? 0 : PULUMI_AUTONAME_SUFFIX_LENGTH + 1;
            assert.ok(r.max - suffix - (r.hashLength ?? 8) >= 3, kind);
        }
        assert.deepStrictEqual(
            Object.fromEntries(NAME_KINDS.map((k) => [k, [NAME_RULES[k].min, NAME_RULES[k].max]])),
            {
                "aws-iam-role": [1, 64],
                "aws-instance-profile": [1, 128],
                "aws-launch-template": [3, 128],
                "aws-auto-scaling-group": [1, 255],
                "eks-node-group": [1, 63],
                "eks-cluster": [1, 100],
                "gke-cluster": [1, 40],
                "gke-node-pool": [1, 40],
                "gcp-service-account-id": [6, 30],
                "aks-cluster": [1, 63],
                "aks-agent-pool": [1, 12],
                "karpenter-node-pool": [1, 63],
            },
        );
    });

    describe("property: any input yields a valid name within its limit", () => {
        for (const kind of NAME_KINDS) {
            it(`${kind}: Pulumi's auto-name of autoNamed() and physicalName() are valid`, () => {
                fc.assert(
                    fc.property(anyName, fc.stringMatching(/^[0-9a-f]{7}$/), (desired, random) => {
                        if (!NAME_RULES[kind].physicalOnly) {
                            const auto = pulumiAutoName(autoNamed(kind, desired), random);
                            assert.deepStrictEqual(nameProblems(kind, "n", auto), [], `auto-name of ${JSON.stringify(desired)}`);
                        }
                        const physical = physicalName(kind, desired);
                        assert.deepStrictEqual(nameProblems(kind, "n", physical), [], `physical name of ${JSON.stringify(desired)}`);
                    }),
                    { numRuns: 300 },
                );
            });
        }
    });

    describe("property: different inputs never share a name", () => {
        for (const kind of NAME_KINDS) {
            it(`${kind}: autoNamed() and physicalName() are one-to-one`, () => {
                fc.assert(
                    fc.property(anyName, anyName, (a, b) => {
                        fc.pre(a !== b);
                        if (!NAME_RULES[kind].physicalOnly) assert.notStrictEqual(autoNamed(kind, a), autoNamed(kind, b));
                        assert.notStrictEqual(physicalName(kind, a), physicalName(kind, b));
                    }),
                    { numRuns: 300 },
                );
            });
        }

        it("two names that differ only where they are cut stay apart", () => {
            fc.assert(
                fc.property(fc.stringMatching(/^[a-z]{60}$/), fc.stringMatching(/^[a-z]{1,10}$/), fc.stringMatching(/^[a-z]{1,10}$/), (stem, x, y) => {
                    fc.pre(x !== y);
                    for (const kind of NAME_KINDS) {
                        assert.notStrictEqual(physicalName(kind, `${stem}${x}`), physicalName(kind, `${stem}${y}`), kind);
                    }
                }),
            );
        });

        it("dashes collapsed by sanitising do not merge names: k--1 and k-1 get different service accounts", () => {
            const a = physicalName(NameKind.GcpServiceAccountId, "sandbox-dev-k--1-nodes");
            const b = physicalName(NameKind.GcpServiceAccountId, "sandbox-dev-k-1-nodes");
            assert.strictEqual(a, "sandbox-dev-k--1-nodes");
            assert.strictEqual(b, "sandbox-dev-k-1-nodes");
            const c = physicalName(NameKind.GcpServiceAccountId, "Sandbox_K-1-nodes");
            const d = physicalName(NameKind.GcpServiceAccountId, "sandbox-k-1-nodes");
            assert.notStrictEqual(c, d);
            assert.match(c, /^sandbox-k-1-nodes-[0-9a-f]{6}$/);
        });
    });

    describe("property: a name that already fits is used as it is", () => {
        for (const kind of NAME_KINDS) {
            it(`${kind}: valid names pass unchanged`, () => {
                fc.assert(
                    fc.property(validNameOf(kind), (name) => {
                        assert.ok(valid(kind, name), name);
                        assert.strictEqual(physicalName(kind, name), name);
                        if (!NAME_RULES[kind].physicalOnly && name.length + PULUMI_AUTONAME_SUFFIX_LENGTH <= NAME_RULES[kind].max && NAME_RULES[kind].first.test(name[0])) {
                            assert.strictEqual(autoNamed(kind, name), name);
                        }
                    }),
                    { numRuns: 200 },
                );
            });
        }
    });

    describe("the names the issue found overflowing", () => {
        it("a 40-character pool in a 40-character cluster gets an IAM role within 64 characters, its auto-name included", () => {
            const cluster = "c".repeat(40);
            const pool = "p".repeat(40);
            const logical = autoNamed(NameKind.AwsIamRole, `${cluster}-${pool}-node-role`);
            assert.strictEqual(pulumiAutoName(logical).length, 64);
            assert.match(logical, /^c{40}-p{6}-[0-9a-f]{8}$/);
        });

        it("a 40-character cluster's system node role fits; a short one keeps its name", () => {
            const long = autoNamed(NameKind.AwsIamRole, `${"a".repeat(40)}-system-node-role`);
            assert.ok(pulumiAutoName(long).length <= 64);
            assert.strictEqual(autoNamed(NameKind.AwsIamRole, "sandbox-staging-system-node-role"), "sandbox-staging-system-node-role");
        });

        it("keeps the service account IDs pools had before the budget (so their accounts are not replaced)", () => {
            // Computed with the generator this module replaced.
            const before: Record<string, string> = {
                "sandbox-dev-gvisor": "sandbox-dev-gvisor-nodes",
                "sandbox-dev-kata": "sandbox-dev-kata-nodes",
                "sandbox-staging-environment-kata-nested": "sandbox-staging-environ-14df44",
                "a-very-long-cluster-name-for-testing-a-very-long-pool-name": "a-very-long-cluster-nam-43d051",
            };
            for (const [name, id] of Object.entries(before)) {
                assert.strictEqual(physicalName(NameKind.GcpServiceAccountId, `${name}-nodes`, name), id, name);
            }
        });

        it("gives a name that starts with a digit a letter first", () => {
            assert.match(physicalName(NameKind.GkeNodePool, "1gvisor"), /^sb-1gvisor-[0-9a-f]{8}$/);
            assert.match(autoNamed(NameKind.GkeNodePool, "9-pool"), /^sb-9-pool-[0-9a-f]{8}$/);
        });
    });

    describe("explicit names", () => {
        it("says what is wrong with a name, in the cloud's words", () => {
            assert.deepStrictEqual(nameProblems(NameKind.GkeNodePool, "nodePoolName", "1gvisor"), [
                { code: "malformed", path: "nodePoolName", message: "\"1gvisor\" is not a valid GKE node pool name: it must start with a lowercase letter (a lowercase letter, then lowercase letters, digits and '-', not ending in '-')" },
            ]);
            assert.deepStrictEqual(nameProblems(NameKind.GkeNodePool, "n", "gvisor-"), [
                { code: "malformed", path: "n", message: "\"gvisor-\" is not a valid GKE node pool name: it must not end in \"-\" (a lowercase letter, then lowercase letters, digits and '-', not ending in '-')" },
            ]);
            assert.deepStrictEqual(nameProblems(NameKind.GkeNodePool, "n", "a".repeat(41)), [
                { code: "malformed", path: "n", message: `"${"a".repeat(41)}" is 41 characters; a GKE node pool name has at most 40` },
            ]);
            assert.deepStrictEqual(nameProblems(NameKind.EksCluster, "clusterName", "my cluster"), [
                { code: "malformed", path: "clusterName", message: "\"my cluster\" is not a valid EKS cluster name: \" \" is not allowed (a letter or digit, then letters, digits, '-' and '_')" },
            ]);
            assert.deepStrictEqual(nameProblems(NameKind.GcpServiceAccountId, "serviceAccountId", "abc"), [
                { code: "malformed", path: "serviceAccountId", message: "\"abc\" is 3 characters; a service account ID has at least 6" },
            ]);
            assert.deepStrictEqual(nameProblems(NameKind.EksCluster, "clusterName", 42), [
                { code: "malformed", path: "clusterName", message: "42 is not a EKS cluster name (a string)" },
            ]);
        });
    });

    describe("uniqueness across a stack", () => {
        it("reports names the cloud would see as one: IAM ignores case, GKE does not", () => {
            assert.deepStrictEqual(
                duplicateNameProblems([
                    { kind: NameKind.AwsIamRole, name: "Pool-role", path: "pools[0]" },
                    { kind: NameKind.AwsIamRole, name: "pool-role", path: "pools[1]" },
                    { kind: NameKind.GcpServiceAccountId, name: "pool-nodes", path: "pools[2]" },
                    { kind: NameKind.GkeNodePool, name: "pool-nodes", path: "pools[3]" },
                    { kind: NameKind.GcpServiceAccountId, name: "pool-nodes", path: "pools[4]" },
                ]),
                [
                    { code: "duplicate", path: "pools[1]", message: 'gives the IAM role name "pool-role", which pools[0] gives already' },
                    { code: "duplicate", path: "pools[4]", message: 'gives the service account ID "pool-nodes", which pools[2] gives already' },
                ],
            );
        });
    });

    it("cuts free-form text to its limit", () => {
        assert.strictEqual(fitText("short", 10), "short");
        assert.strictEqual(fitText("x".repeat(120), 100), `${"x".repeat(97)}...`);
        fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 4, max: 256 }), (s, max) => fitText(s, max).length <= max));
    });
});
