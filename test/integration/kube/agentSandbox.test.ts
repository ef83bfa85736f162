// agent-sandbox's own schemas and the cluster's guard judge the templates: the CRDs of
// kubernetes-sigs/agent-sandbox (its `k8s/crds/`, taken unchanged from the Go module
// sigs.k8s.io/agent-sandbox at a pinned version and checksum: v0.5.6, and v1.0.1, the newest
// served) installed into a real kube-apiserver, the SandboxTemplates and SandboxWarmPools of the
// offline plan of stacks/Pulumi.karpenter.yaml applied there server-side with strict field
// validation, and a pod made from each template admitted by the guard and Pod Security
// "restricted" in its tenant namespace and bound by the real scheduler to its runtime's node.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { Cloud } from "../../../components/isolation";
import { codeBlocks } from "../../support/docs";
import { KubeObject } from "../../support/kubeClient";
import { ControlPlane, requireBinaries } from "../../support/kubeControlPlane";
import { skipOrFail } from "../../support/realParts";
import { PinnedModule, goModuleDir, installCrds, readCrds } from "../../support/kubeCrds";
import { waitGuardJudges } from "../../support/kubeGuard";
import { NodeRole, NodeSpec, registerNode } from "../../support/kubeNodes";
import { waitBound } from "../../support/kubePods";
import { StackPlan, applyPlan, ofKind, planStack } from "../../support/kubeStack";

const STACK = "karpenter";
/**
 * The releases proved, with their go.sum checksums, so a re-tagged module is refused; where the
 * module proxy refuses one, the same release's CRDs from the reference folder beside the
 * checkout (`../shared/reference/`, identical to v0.5.6's `k8s/crds/`) when it is there.
 */
const AGENT_SANDBOX_MODULES: (PinnedModule & { reference?: string })[] = [
    { path: "sigs.k8s.io/agent-sandbox", version: "v0.5.6", sum: "h1:+lIxbO5MIPYqmnbv4eWZDm+bh9Y6qHvZ+qXEe4MJVkU=", reference: "agent-sandbox-v0.5.6-crds" },
    { path: "sigs.k8s.io/agent-sandbox", version: "v1.0.1", sum: "h1:AZA1kFurdKIdNL04j9RhGZXb3kL2/O80eiXaTC/oXjM=" },
];
const REPO = path.join(__dirname, "..", "..", "..");

/** The folder of the release's CRD files, or why there is none. */
function crdFolder(mod: (typeof AGENT_SANDBOX_MODULES)[number]): { dir?: string; problem?: string } {
    const { dir, problem } = goModuleDir(mod);
    if (dir) return { dir: path.join(dir, "k8s", "crds") };
    // A worktree sits one level deeper than a checkout.
    const refs = mod.reference ? [path.join(REPO, "..", "shared", "reference", mod.reference), path.join(REPO, "..", "..", "shared", "reference", mod.reference)] : [];
    const ref = refs.find((d) => fs.existsSync(d));
    if (ref) console.log(`    ${problem}; the CRDs of ${mod.version} from ${ref} instead`);
    return ref ? { dir: ref } : { problem };
}
const AGENT_KINDS = ["SandboxTemplate", "SandboxWarmPool"];
/** Karpenter's objects are judged in karpenter.test.ts against Karpenter's CRDs. */
const KARPENTER_KINDS = ["NodePool", "EC2NodeClass"];
const NODES: NodeSpec[] = [
    { name: "general-1", role: NodeRole.General, cloud: Cloud.Aws },
    { name: "gvisor-1", role: NodeRole.Gvisor, cloud: Cloud.Aws },
    { name: "kata-1", role: NodeRole.KataReady, cloud: Cloud.Aws },
];
const NODE_OF_CLASS = (cls: string) => (cls === "gvisor" ? "gvisor-1" : "kata-1");

/** A pod as the agent-sandbox controller makes it from a template: its metadata and spec. */
function podFrom(template: KubeObject, name: string, namespace = template.metadata.namespace!): KubeObject {
    const pt = template.spec.podTemplate;
    return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace, labels: { ...(pt.metadata?.labels ?? {}) } }, spec: JSON.parse(JSON.stringify(pt.spec)) };
}

for (const mod of AGENT_SANDBOX_MODULES) describe(`agent-sandbox ${mod.version}'s CRDs and the guard on a real kube-apiserver accept the SandboxTemplates, and their pods land on their runtime's nodes`, function () {
    this.timeout(300_000);
    let cp: ControlPlane;
    let plan: StackPlan;
    let templates: KubeObject[];

    before(async function () {
        const bin = requireBinaries(this);
        const { dir: crds, problem } = crdFolder(mod);
        if (!crds) skipOrFail(this, `agent-sandbox's CRDs unavailable: ${problem}`);
        plan = planStack(STACK);
        templates = ofKind(plan, "SandboxTemplate");
        cp = await ControlPlane.start(bin);
        const files = fs.readdirSync(crds!).filter((f) => f.endsWith(".yaml")).sort();
        assert.strictEqual(files.length, 4, `${crds}: ${files.join(", ")}`);
        await installCrds(cp.admin, files.flatMap((f) => readCrds(path.join(crds!, f))));
        for (const n of NODES) await registerNode(cp.admin, n);
        await applyPlan(cp.admin, { ...plan, objects: plan.objects.filter((o) => !AGENT_KINDS.includes(o.kind) && !KARPENTER_KINDS.includes(o.kind)) });
        const gvisor = templates.find((t) => t.metadata.name === "gvisor")!;
        const kata = templates.find((t) => t.metadata.name === "kata")!;
        // The guard loads asynchronously: wait until it refuses a kata pod in gVisor's tenant namespace.
        await waitGuardJudges(cp.admin, [podFrom(kata, "probe", gvisor.metadata.namespace)]);
    });
    after(async () => {
        await cp?.stop();
    });

    it("applies every SandboxTemplate, then every SandboxWarmPool, strictly and without warnings", async () => {
        assert.deepStrictEqual(templates.map((t) => t.spec.podTemplate.spec.runtimeClassName), ofKind(plan, "RuntimeClass").map((rc) => rc.metadata.name));
        const warm = ofKind(plan, "SandboxWarmPool");
        assert.deepStrictEqual(warm.map((w) => [w.metadata.namespace, w.spec]), [
            ["agents-gvisor", { replicas: 2, sandboxTemplateRef: { name: "gvisor" } }],
            ["agents-kata", { replicas: 0, sandboxTemplateRef: { name: "kata" } }],
        ]);
        for (const obj of [...templates, ...warm]) {
            const res = await cp.admin.applyStrict(obj);
            assert.strictEqual(res.status, 201, `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}: HTTP ${res.status}: ${res.body?.message ?? res.text}`);
            assert.deepStrictEqual(res.warnings, [], `${obj.kind} ${obj.metadata.name} drew warnings`);
            const stored = await cp.admin.get(obj.apiVersion, obj.kind, obj.metadata.name, obj.metadata.namespace);
            assert.deepStrictEqual(stored.spec.podTemplate?.spec.runtimeClassName, obj.spec.podTemplate?.spec.runtimeClassName);
        }
    });

    it("accepts the SandboxClaim of docs/agents.md of the gVisor warm pool, and refuses one naming a template (v1alpha1's field)", async () => {
        // The claim as users copy it from the guide, so the page cannot drift from the CRDs.
        const claims = codeBlocks(fs.readFileSync(path.join(REPO, "docs/agents.md"), "utf8"))
            .filter((b) => b.lang === "yaml")
            .map((b) => parse(b.body) as KubeObject)
            .filter((o) => o?.kind === "SandboxClaim");
        assert.strictEqual(claims.length, 1, "docs/agents.md shows one SandboxClaim");
        const claim = claims[0];
        assert.deepStrictEqual(claim.spec, { warmPoolRef: { name: "gvisor" } }, "the guide's claim names the gVisor warm pool");
        const res = await cp.admin.applyStrict(claim, { dryRun: true });
        assert.strictEqual(res.status, 201, res.text);
        assert.deepStrictEqual(res.warnings, []);
        const old = await cp.admin.applyStrict({ ...claim, spec: { sandboxTemplateRef: { name: "gvisor" } } }, { dryRun: true });
        assert.match(old.body.message, /\.spec\.sandboxTemplateRef: field not declared in schema/);
    });

    it("refuses a template field the v1beta1 schema does not have (the check is live)", async () => {
        const bad = JSON.parse(JSON.stringify(templates[0]));
        bad.metadata.name = "bad";
        bad.spec.warmPool = 3;
        const res = await cp.admin.applyStrict(bad, { dryRun: true });
        assert.notStrictEqual(res.status, 201);
        assert.match(res.body.message, /\.spec\.warmPool: field not declared in schema/);
    });

    it("admits a pod made from each template in its tenant namespace and binds it to its runtime's node", async () => {
        for (const t of templates) {
            const cls = t.spec.podTemplate.spec.runtimeClassName;
            const name = `from-${t.metadata.name}`;
            const res = await cp.admin.create(podFrom(t, name));
            assert.strictEqual(res.status, 201, `${cls}: HTTP ${res.status}: ${res.body?.message ?? res.text}`);
            assert.deepStrictEqual(res.warnings, [], `${cls}: warnings`);
            assert.strictEqual(res.body.spec.automountServiceAccountToken, false);
            assert.ok(!res.body.spec.volumes?.some((v: any) => v.projected), `${cls}: no service account token volume`);
            assert.strictEqual(await waitBound(cp.admin, t.metadata.namespace!, name), NODE_OF_CLASS(cls), cls);
        }
    });

    it("refuses, in a class's tenant namespace, a pod of another class and a pod without a class", async () => {
        const gvisor = templates.find((t) => t.metadata.name === "gvisor")!;
        const kata = templates.find((t) => t.metadata.name === "kata")!;
        const other = await cp.admin.create(podFrom(kata, "kata-in-gvisor-home", gvisor.metadata.namespace), { dryRun: true });
        assert.strictEqual(other.status, 403);
        assert.match(other.body.message, /the namespace admits only runtimeClassName gvisor/);
        const plain = podFrom(gvisor, "no-class");
        delete plain.spec.runtimeClassName;
        const none = await cp.admin.create(plain, { dryRun: true });
        assert.strictEqual(none.status, 403);
        assert.match(none.body.message, /the namespace admits only runtimeClassName gvisor/);
    });

    it("refuses, under Pod Security restricted, a pod from a template whose container may escalate", async () => {
        const gvisor = templates.find((t) => t.metadata.name === "gvisor")!;
        const pod = podFrom(gvisor, "escalating");
        delete pod.spec.containers[0].securityContext.allowPrivilegeEscalation;
        const res = await cp.admin.create(pod, { dryRun: true });
        assert.strictEqual(res.status, 403);
        assert.match(res.body.message, /violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    });
});
