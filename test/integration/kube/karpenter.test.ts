// Karpenter's own schemas judge what EksSandboxKarpenterPool writes: the karpenter.sh and
// karpenter.k8s.aws CRDs of the pinned Karpenter release, taken from its Go module at test time,
// installed into a real kube-apiserver, and every example pool's NodePool and EC2NodeClass
// applied there server-side with strict field validation (structural schema, patterns, enums and
// the CRDs' CEL rules, all evaluated by the API server itself).
import * as assert from "assert";
import * as path from "path";
import { ControlPlane, requireBinaries } from "../../support/kubeControlPlane";
import { skipOrFail } from "../../support/realParts";
import { goModuleDir, installCrds, PinnedModule, readCrds } from "../../support/kubeCrds";
import { KubeObject } from "../../support/kubeClient";
import { ofKind, planStack } from "../../support/kubeStack";
import { EXAMPLE_KARPENTER_VERSION, KARPENTER_EXAMPLES, renderKarpenterPool } from "../../support/karpenterPoolFixtures";

/** The stack file whose pools are Karpenter's (stacks/Pulumi.karpenter.yaml). */
const KARPENTER_STACK = "karpenter";

/** The release the examples name; its go.sum checksum, so a re-tagged module is refused. */
const KARPENTER_MODULE: PinnedModule = {
    path: "github.com/aws/karpenter-provider-aws",
    version: `v${EXAMPLE_KARPENTER_VERSION}`,
    sum: "h1:brfauuAII/2+xjWO+JLYTEPmAP5Z3WgPcCaMqHXEE74=",
};
const CRD_FILES = ["karpenter.sh_nodepools.yaml", "karpenter.k8s.aws_ec2nodeclasses.yaml"];

function copy<T>(o: T): T {
    return JSON.parse(JSON.stringify(o));
}

describe(`Karpenter ${EXAMPLE_KARPENTER_VERSION}'s CRDs on a real kube-apiserver accept every pool's NodePool and EC2NodeClass`, function () {
    this.timeout(300_000);
    let cp: ControlPlane;
    const rendered: { example: string; nodeClass: KubeObject; nodePool: KubeObject }[] = [];

    before(async function () {
        const bin = requireBinaries(this);
        const mod = goModuleDir(KARPENTER_MODULE);
        if (!mod.dir) skipOrFail(this, `Karpenter's CRDs unavailable: ${mod.problem}`);
        for (const [example, args] of Object.entries(KARPENTER_EXAMPLES)) {
            const r = await renderKarpenterPool(example, args);
            rendered.push({ example, nodeClass: r.nodeClass, nodePool: r.nodePool });
        }
        cp = await ControlPlane.start(bin);
        await installCrds(cp.admin, CRD_FILES.flatMap((f) => readCrds(path.join(mod.dir!, "pkg", "apis", "crds", f))));
    });
    after(async () => {
        await cp?.stop();
    });

    it("applies every example's EC2NodeClass, then its NodePool, and stores them as written", async () => {
        assert.strictEqual(rendered.length, Object.keys(KARPENTER_EXAMPLES).length);
        for (const { example, nodeClass, nodePool } of rendered) {
            for (const obj of [nodeClass, nodePool]) {
                const res = await cp.admin.applyStrict(obj);
                assert.strictEqual(res.status, 201, `${example}: ${obj.kind} refused: HTTP ${res.status}: ${res.body?.message ?? res.text}`);
                assert.deepStrictEqual(res.warnings, [], `${example}: ${obj.kind} drew warnings`);
                // Nothing pruned or rewritten: the API server keeps every field as written (and may add its defaults).
                const stored = await cp.admin.get(obj.apiVersion, obj.kind, obj.metadata.name);
                assertContains(stored.spec, obj.spec, `${example}: ${obj.kind} spec`);
            }
        }
    });

    it(`applies the EC2NodeClasses and NodePools of the offline plan of stacks/Pulumi.${KARPENTER_STACK}.yaml`, async () => {
        const plan = planStack(KARPENTER_STACK);
        const classes = ofKind(plan, "EC2NodeClass");
        const pools = ofKind(plan, "NodePool");
        assert.ok(classes.length > 0 && classes.length === pools.length, `${classes.length} EC2NodeClasses, ${pools.length} NodePools`);
        for (const obj of [...classes, ...pools]) {
            const named: KubeObject = { ...obj, metadata: { ...obj.metadata, name: `stack-${obj.metadata.name}` } };
            if (obj.kind === "NodePool") named.spec = { ...obj.spec, template: { ...obj.spec.template, spec: { ...obj.spec.template.spec, nodeClassRef: { ...obj.spec.template.spec.nodeClassRef, name: `stack-${obj.spec.template.spec.nodeClassRef.name}` } } } };
            const res = await cp.admin.applyStrict(named);
            assert.strictEqual(res.status, 201, `${obj.kind} ${obj.metadata.name} refused: HTTP ${res.status}: ${res.body?.message ?? res.text}`);
            assert.deepStrictEqual(res.warnings, [], `${obj.kind} ${obj.metadata.name} drew warnings`);
        }
    });

    it("covers nested virtualization, bare metal, gVisor user data, startup taints and both instance profile sources", () => {
        const classes = rendered.map((r) => r.nodeClass.spec);
        const pools = rendered.map((r) => r.nodePool.spec);
        assert.ok(classes.some((s) => s.cpuOptions?.nestedVirtualization === "enabled"));
        assert.ok(classes.some((s) => typeof s.userData === "string" && s.userData.length > 0));
        assert.ok(classes.some((s) => "instanceProfile" in s) && classes.some((s) => "role" in s));
        assert.ok(pools.some((s) => (s.template.spec.startupTaints ?? []).length > 0));
        assert.ok(pools.some((s) => s.template.spec.requirements.some((r: any) => r.key === "karpenter.k8s.aws/instance-size" && r.operator === "In")));
    });

    // The same API server refuses what breaks the CRDs' rules: the acceptance above is a verdict.
    it("refuses an EC2NodeClass naming both a role and an instance profile (a CEL rule of the CRD)", async () => {
        const bad = copy(rendered.find((r) => "role" in r.nodeClass.spec)!.nodeClass);
        bad.metadata.name = "both-role-and-profile";
        bad.spec.instanceProfile = "some-profile";
        const res = await cp.admin.applyStrict(bad, { dryRun: true });
        assert.strictEqual(res.status, 422);
        assert.match(res.body.message, /must specify exactly one of \['role', 'instanceProfile'\]/);
    });

    it("refuses a NodePool whose template labels a node with Karpenter's own karpenter.sh/nodepool", async () => {
        const bad = copy(rendered[0].nodePool);
        bad.metadata.name = "restricted-label";
        bad.spec.template.metadata.labels["karpenter.sh/nodepool"] = "other";
        const res = await cp.admin.applyStrict(bad, { dryRun: true });
        assert.strictEqual(res.status, 422);
        assert.match(res.body.message, /label "karpenter\.sh\/nodepool" is restricted/);
    });

    it("refuses a field the EC2NodeClass schema does not have, rather than pruning it", async () => {
        const bad = copy(rendered[0].nodeClass);
        bad.metadata.name = "unknown-field";
        bad.spec.cpuOptions = { ...(bad.spec.cpuOptions ?? {}), nestedVirtualisation: "enabled" };
        const res = await cp.admin.applyStrict(bad, { dryRun: true });
        // Server-side apply builds a typed patch from the CRD's schema and fails on the unknown
        // field itself (with a 500, the API server's own answer here), so nothing is dropped silently.
        assert.strictEqual(res.status, 500, res.text);
        assert.match(res.body.message, /\.spec\.cpuOptions\.nestedVirtualisation: field not declared in schema/);
    });

    it("refuses a nested virtualization setting outside the CRD's enum", async () => {
        const bad = copy(rendered[0].nodeClass);
        bad.metadata.name = "bad-enum";
        bad.spec.cpuOptions = { nestedVirtualization: "on" };
        const res = await cp.admin.applyStrict(bad, { dryRun: true });
        assert.strictEqual(res.status, 422);
        assert.match(res.body.message, /spec\.cpuOptions\.nestedVirtualization: Unsupported value: "on"/);
    });
});

/** Every field of `written` is in `stored` with the same value (arrays element by element). */
function assertContains(stored: any, written: any, where: string): void {
    if (written === null || typeof written !== "object") {
        assert.strictEqual(stored, written, where);
        return;
    }
    assert.ok(stored !== null && typeof stored === "object", `${where}: stored ${JSON.stringify(stored)}`);
    if (Array.isArray(written)) assert.strictEqual(stored.length, written.length, `${where}: length`);
    for (const [k, v] of Object.entries(written)) assertContains(stored[k], v, `${where}.${k}`);
}
