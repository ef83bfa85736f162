// `pulumi up` for real: the Pulumi engine (the Go-built CLI and Kubernetes provider, through the
// Automation API's inline program) deploys the program's real entry, runProgram() of stacks/,
// with a stack file of cloud `kubernetes`, to a real cluster (test/support/realCluster.ts: a
// sandbox node of an EKS gVisor pool and a general node), and the verification Job decides.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CommandError, Stack } from "@pulumi/pulumi/automation";
import { VERDICT_TAG } from "../../../components/kubernetes/verification";
import { tolerationRule, guardMessage } from "../../support/guardMessages";
import { waitGuardJudges } from "../../support/kubeGuard";
import { Engine, EngineBinaries, output, requireEngine } from "../../support/pulumiEngine";
import { ChartRegistry, startChartRegistry } from "../../support/ociChartRegistry";
import { NodeKind, RealCluster, RealClusterBinaries, requireRealCluster, runscAsRunc } from "../../support/realCluster";

const STACK_FILE = "test/integration/e2e/Pulumi.e2e.yaml";
const KATA_STACK_FILE = "test/integration/e2e/Pulumi.e2e-kata.yaml";
const VERIFY_NAMESPACE = "sandbox-verify";
const SANDBOX_TAINT = { key: "sandbox-clusters.io/runtime", operator: "Equal", value: "gvisor", effect: "NoSchedule" };

/** Both halves of the real setup, or a skip (a failure under SANDBOX_REQUIRE_REAL=1) naming what is missing. */
function requireAll(ctx: Mocha.Context): { cluster: RealClusterBinaries; engine: EngineBinaries } {
    return { cluster: requireRealCluster(ctx), engine: requireEngine(ctx) };
}

/**
 * The stack file's values that only the run knows, set as `pulumi config set` would: the cluster's
 * kubeconfig file, and the verification image by the digest its nodes hold (the program takes
 * only digest-pinned images; the digest follows the machine's busybox-static).
 */
function runValues(cluster: RealCluster): Record<string, string> {
    return { "sandbox:kubeconfigPath": cluster.kubeconfig, "sandbox:verificationImage": cluster.testImage };
}

/** Every Kubernetes object in the stack's state: `{ apiVersion, kind, namespace?, name }` from each resource's type token and id. */
async function stateObjects(stack: Stack): Promise<{ apiVersion: string; kind: string; namespace?: string; name: string; urn: string }[]> {
    const state = await stack.exportStack();
    return (state.deployment.resources ?? [])
        .filter((r: any) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:"))
        .map((r: any) => {
            const [, group, kind] = r.type.split(":");
            const [namespace, name] = r.id.includes("/") ? r.id.split("/") : [undefined, r.id];
            return { apiVersion: group.replace(/^core\//, ""), kind, namespace, name, urn: r.urn };
        });
}

/** A pod that tolerates the sandbox taint without a sandbox class: the guard's to refuse. */
function sneakyPod(namespace: string, image: string) {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "sneaky", namespace },
        spec: { tolerations: [SANDBOX_TAINT], containers: [{ name: "main", image, imagePullPolicy: "Never", command: ["true"] }] },
    };
}

describe("pulumi up for real: the program deploys to a real gVisor cluster and the verification Job decides", function () {
    this.timeout(900_000);
    let cluster: RealCluster;
    let engine: Engine;
    let registry: ChartRegistry;
    let stack: Stack;
    let scratch: string;

    before(async function () {
        const bin = requireAll(this);
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-clusters-e2e-registry-"));
        registry = await startChartRegistry(scratch);
        cluster = await RealCluster.start(bin.cluster);
        // The provider's Helm client trusts the loopback mirror through the CLI's environment.
        engine = await Engine.start(bin.engine, { env: { SSL_CERT_FILE: registry.caBundle } });
        stack = await engine.stack("e2e", STACK_FILE, runValues(cluster));
    });

    after(async () => {
        await registry?.close();
        await cluster?.stop();
        engine?.stop();
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("pulumi up exits 0, and the stack output verifications says succeeded for gvisor, read from the real Job", async () => {
        const out = output();
        const up = await stack.up({ onOutput: out.onOutput });
        assert.equal(up.summary.result, "succeeded", out.text());
        assert.deepEqual(up.outputs.verifications.value, [
            { runtimeClass: "gvisor", namespace: VERIFY_NAMESPACE, jobName: "verify-gvisor", status: "succeeded" },
        ]);
        const job = await cluster.admin.get("batch/v1", "Job", "verify-gvisor", VERIFY_NAMESPACE);
        assert.equal(job.status.succeeded, 1);
        const [pod] = await cluster.admin.list("v1", "Pod", VERIFY_NAMESPACE, "labelSelector=job-name%3Dverify-gvisor");
        assert.equal(pod.spec.nodeName, "sandbox-gvisor-0");
        const log = cluster.podLog(VERIFY_NAMESPACE, pod.metadata.name, pod.metadata.uid, "check");
        assert.match(log, new RegExp(`^${VERDICT_TAG} runtime=gvisor class=gvisor node=sandbox-gvisor-0 result=PASS evidence="dmesg: .*Starting gVisor`));
    });

    it("pulumi preview --expect-no-changes passes right after, and so does pulumi refresh", async () => {
        const preview = await stack.preview({ expectNoChanges: true });
        assert.deepEqual(Object.keys(preview.changeSummary), ["same"]);
        const refresh = await stack.refresh();
        assert.equal(refresh.summary.result, "succeeded");
        assert.deepEqual(Object.keys(refresh.summary.resourceChanges ?? {}), ["same"]);
        await stack.preview({ expectNoChanges: true });
    });

    it("a change of sandbox:admissionMode from Warn to Deny shows as an update in pulumi preview --diff, and applies", async () => {
        const before = await cluster.admin.list("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding");
        const bindings = before.filter((b: any) => b.metadata.labels?.["app.kubernetes.io/managed-by"] === "sandbox-clusters");
        assert.ok(bindings.length > 0);
        for (const b of bindings) assert.deepEqual(b.spec.validationActions, ["Warn"]);

        await stack.setConfig("sandbox:admissionMode", { value: "Deny" });
        const out = output();
        const preview = await stack.preview({ diff: true, onOutput: out.onOutput });
        // The bindings change, and the component whose input (admission.action) they follow.
        assert.deepEqual(preview.changeSummary, { same: preview.changeSummary.same, update: bindings.length + 1 }, out.text());
        const updated = [...out.text().matchAll(/~ (kubernetes:\S+): \(update\)\s+\[id=(\S+)\]/g)].map((m) => `${m[1]} ${m[2]}`).sort();
        assert.deepEqual(updated, bindings.map((b: any) => `kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding ${b.metadata.name}`).sort(), out.text());
        assert.equal(out.text().match(/~ \[0\]: "Warn" => "Deny"/g)?.length, bindings.length, out.text());

        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { same: up.summary.resourceChanges!.same, update: bindings.length + 1 });
        for (const b of bindings) {
            const now = await cluster.admin.get("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", b.metadata.name);
            assert.deepEqual(now.spec.validationActions, ["Deny"]);
        }
        // The API server applies a binding's change when its informer sees it, after the write
        // (and so `pulumi up`) has returned: a pod created in that moment is still only warned.
        const lag = await waitGuardJudges(cluster.admin, [sneakyPod("default", cluster.testImage)], 30_000, "deny");
        console.log(`      the API server enforced Deny ${lag} ms after pulumi up returned`);
    });

    it("on the same cluster the guard refuses a pod that tolerates the sandbox taint without a sandbox class; a plain pod runs on the general node, a gvisor pod on the sandbox node under gVisor", async () => {
        await cluster.admin.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "workloads" } });
        const sneaky = await cluster.admin.create(sneakyPod("workloads", cluster.testImage));
        assert.equal(sneaky.status, 403, sneaky.text);
        assert.match(sneaky.body.message, new RegExp(escape(guardMessage("workloads", tolerationRule("workloads", ["gvisor"])))));

        const plain = await cluster.runPod({ name: "plain", namespace: "workloads", command: ["uname", "-r"] });
        assert.equal(plain.phase, "Succeeded");
        assert.equal(plain.node, "general-0");
        assert.equal(plain.log.trim(), fs.readFileSync("/proc/sys/kernel/osrelease", "utf8").trim());

        const sandboxed = await cluster.runPod({ name: "sandboxed", namespace: "workloads", runtimeClassName: "gvisor", command: ["sh", "-c", "dmesg | head -3"] });
        assert.equal(sandboxed.phase, "Succeeded");
        assert.equal(sandboxed.node, "sandbox-gvisor-0");
        assert.match(sandboxed.log, /Starting gVisor/);
        await cluster.admin.ok("DELETE", "/api/v1/namespaces/workloads");
    });

    it("pulumi destroy --yes leaves no object the program created", async () => {
        const created = await stateObjects(stack);
        // Every object the program creates, by kind: the class, the guard (policies and bindings), the check.
        const kinds = [...new Set(created.map((o) => o.kind))].sort();
        assert.deepEqual(kinds, ["Job", "Namespace", "RuntimeClass", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);
        const destroy = await stack.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        const left: string[] = [];
        for (const o of created) {
            const p = await cluster.admin.objectPath({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.namespace } });
            const res = await cluster.admin.request("GET", p);
            if (res.status !== 404) left.push(`${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name} (HTTP ${res.status})`);
        }
        const listed = created.map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`);
        assert.deepEqual(left, [], `left after destroy of ${listed.join(", ")}`);
        console.log(`      destroyed and gone: ${listed.join(", ")}`);
        // What the objects made in turn (the Job's pods) went with them.
        assert.deepEqual(await cluster.admin.list("v1", "Pod", undefined, "labelSelector=app.kubernetes.io%2Fname%3Dsandbox-verify"), []);
        assert.deepEqual((await stack.exportStack()).deployment.resources ?? [], []);
    });

    it("kata-deploy's chart comes from the mirror the stack names: the Helm release resolves it from a loopback OCI registry", async () => {
        registry.publishChart("mirror/kata", {
            name: "kata-deploy",
            version: "4.1.0",
            templates: {
                // Records what the release passed, so the test sees the component's values arrive.
                "probe.yaml": [
                    "apiVersion: v1",
                    "kind: ConfigMap",
                    "metadata:",
                    "  name: chart-probe",
                    "  namespace: {{ .Release.Namespace }}",
                    "data:",
                    "  chart: {{ .Chart.Name }}-{{ .Chart.Version }}",
                    "  defaultShim: {{ .Values.defaultShim.amd64 | quote }}",
                    "",
                ].join("\n"),
            },
        });
        const kata = await engine.stack("e2e-kata", KATA_STACK_FILE, {
            ...runValues(cluster),
            "sandbox:kataChart": { repository: `${registry.url}/mirror/kata`, version: "4.1.0" },
        });
        const out = output();
        try {
            const up = await kata.up({ onOutput: out.onOutput });
            assert.equal(up.summary.result, "succeeded", out.text());
            assert.ok(registry.log.includes("GET /v2/mirror/kata/kata-deploy/manifests/4.1.0 200"), registry.log.join("\n"));
            const probe = await cluster.admin.get("v1", "ConfigMap", "chart-probe", "kata-deploy");
            assert.deepEqual(probe.data, { chart: "kata-deploy-4.1.0", defaultShim: "qemu-runtime-rs" });
            const cls = await cluster.admin.get("node.k8s.io/v1", "RuntimeClass", "kata");
            assert.equal(cls.handler, "kata-qemu-runtime-rs");

            // A RuntimeClass handler is immutable: a new default shim replaces class `kata`.
            await kata.setConfig("sandbox:defaultKataShim", { value: "clh" });
            const diff = output();
            const preview = await kata.preview({ diff: true, onOutput: diff.onOutput });
            assert.equal(preview.changeSummary.replace, 1, diff.text());
            assert.match(diff.text(), /\+-kubernetes:node\.k8s\.io\/v1:RuntimeClass: \(replace\)\s+\[id=kata\]/);
            const oldUid = cls.metadata.uid;
            const up2 = await kata.up();
            assert.equal(up2.summary.result, "succeeded");
            assert.equal(up2.summary.resourceChanges?.replace, 1);
            const replaced = await cluster.admin.get("node.k8s.io/v1", "RuntimeClass", "kata");
            assert.equal(replaced.handler, "kata-clh");
            assert.notEqual(replaced.metadata.uid, oldUid);
            assert.equal((await cluster.admin.get("v1", "ConfigMap", "chart-probe", "kata-deploy")).data.defaultShim, "clh");
        } finally {
            await kata.destroy();
        }
        assert.equal((await cluster.admin.request("GET", "/api/v1/namespaces/kata-deploy")).status, 404);
    });
});

describe("pulumi up for real, negative control: a sandbox node whose handler runsc is runc", function () {
    this.timeout(900_000);
    let cluster: RealCluster;
    let engine: Engine;

    before(async function () {
        const bin = requireAll(this);
        cluster = await RealCluster.start(bin.cluster, {
            nodes: [
                { name: "sandbox-gvisor-0", kind: NodeKind.Gvisor, containerdConfig: (c) => runscAsRunc(c) },
                { name: "general-0", kind: NodeKind.General },
            ],
        });
        engine = await Engine.start(bin.engine);
    });

    after(async () => {
        await cluster?.stop();
        engine?.stop();
    });

    it("makes pulumi up exit non-zero, and its output carries the Job's verdict line", async () => {
        const stack = await engine.stack("e2e-runc", STACK_FILE, runValues(cluster));
        const out = output();
        try {
            await assert.rejects(stack.up({ onOutput: out.onOutput }), (e: unknown) => {
                assert.ok(e instanceof CommandError, String(e));
                assert.match(
                    `${out.text()}\n${(e as Error).message}`,
                    new RegExp(`${VERDICT_TAG} runtime=gvisor class=gvisor node=sandbox-gvisor-0 result=FAIL evidence="dmesg has no gVisor boot line`),
                );
                return true;
            });
        } finally {
            await stack.destroy();
        }
    });
});

function escape(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
