// The components from another Pulumi language: a Pulumi YAML program (test/integration/e2e/yaml/
// Pulumi.yaml) deployed by the real engine, with Pulumi YAML's own language host (build set
// `pulumi-yaml`), through provider/ as a component provider, to a real kube-apiserver.
//
// The engine runs provider/ the way Pulumi's Node.js language host runs a `runtime: nodejs`
// plugin (RunPlugin: `node @pulumi/pulumi/cmd/run-plugin <plugin folder> <engine address>` in
// that folder), which the Go module proxy does not serve here: a two-line executable of the test
// does exactly that, named as the engine looks for a provider binary. Everything after it is
// Pulumi's own: run-plugin loads provider/index.ts, componentProviderHost infers the schema from
// the TypeScript, the YAML host checks the program against that schema, and the components'
// children go through the engine to the Go-built Kubernetes provider.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Stack } from "@pulumi/pulumi/automation";
import { Cloud, Runtime, runtimeClassScheduling } from "../../../components/isolation";
import { ControlPlane, requireBinaries, toolsBin } from "../../support/kubeControlPlane";
import { guardMessage, namespaceRuntimeRule, tolerationRule } from "../../support/guardMessages";
import { waitGuardJudges } from "../../support/kubeGuard";
import { Engine, requireEngine, requireYamlHost } from "../../support/pulumiEngine";
import { CONTROLLERS } from "../../support/realCluster";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const PROGRAM_DIR = path.join(__dirname, "yaml");
const PLUGIN = "pulumi-resource-sandbox-clusters";
const TENANT = "tenant-a";

/** The executable the engine starts for package `sandbox-clusters`: what the Node.js host's RunPlugin runs. */
function writePluginExecutable(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    const runPlugin = path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin");
    const provider = path.join(ROOT, "provider");
    fs.writeFileSync(
        path.join(dir, PLUGIN),
        `#!/bin/sh\ncd ${JSON.stringify(provider)} || exit 1\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(runPlugin)} ${JSON.stringify(provider)} "$@"\n`,
        { mode: 0o755 },
    );
}

/** The program's folder copied to `workDir`, its plugin path pointed at `pluginDir`, and the stack file with `config`. */
function writeProject(workDir: string, pluginDir: string, stack: string, config: Record<string, unknown>): void {
    fs.mkdirSync(workDir, { recursive: true });
    const project = YAML.parse(fs.readFileSync(path.join(PROGRAM_DIR, "Pulumi.yaml"), "utf8"));
    project.plugins = { providers: [{ name: "sandbox-clusters", path: pluginDir }] };
    fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), YAML.stringify(project));
    fs.writeFileSync(path.join(workDir, `Pulumi.${stack}.yaml`), YAML.stringify({ config }));
}

/** Collects the engine's output of one operation, so a failure can show it. */
function output(): { onOutput: (s: string) => void; text: () => string } {
    const chunks: string[] = [];
    return { onOutput: (s) => chunks.push(s), text: () => chunks.join("") };
}

describe("a Pulumi YAML program deploys the components through provider/ to a real kube-apiserver", function () {
    this.timeout(900_000);
    let cp: ControlPlane;
    let engine: Engine;
    let stack: Stack;
    let pluginDir: string;
    let yamlHost: string;

    before(async function () {
        const kube = requireBinaries(this);
        const bin = requireEngine(this);
        yamlHost = requireYamlHost(this);
        // The namespace and garbage collector controllers, without which `pulumi destroy` waits on finalizers.
        cp = await ControlPlane.start(kube, { controllerManager: { binary: path.join(toolsBin("k8s"), "kube-controller-manager"), controllers: CONTROLLERS } });
        engine = await Engine.start(bin);
        pluginDir = path.join(engine.dir, "plugin");
        writePluginExecutable(pluginDir);
        const workDir = path.join(engine.dir, "yaml");
        writeProject(workDir, pluginDir, "dev", { "sandbox-yaml:kubeconfig": cp.adminKubeconfig });
        stack = await engine.projectStack("dev", workDir, { path: [yamlHost] });
    });

    after(async () => {
        engine?.stop();
        await cp?.stop();
    });

    it("pulumi up exits 0, and the components' outputs reach the YAML program's outputs", async () => {
        const out = output();
        const up = await stack.up({ onOutput: out.onOutput });
        assert.equal(up.summary.result, "succeeded", out.text());
        assert.deepEqual(up.outputs.runtimeClassNames.value, ["gvisor"], out.text());
        assert.equal(up.outputs.tenantNamespace.value, TENANT);
        // The components themselves are in the state, as the YAML host registered them, with their children.
        const types = ((await stack.exportStack()).deployment.resources ?? []).map((r: any) => r.type);
        assert.ok(types.includes("sandbox-clusters:index:SandboxRuntimes"), types.join(", "));
        assert.ok(types.includes("sandbox-clusters:index:SandboxNamespace"), types.join(", "));
        assert.ok(types.includes("kubernetes:node.k8s.io/v1:RuntimeClass"), types.join(", "));
    });

    it("writes the same RuntimeClass the TypeScript component writes: handler runsc, the contract's scheduling", async () => {
        const rc = await cp.admin.get("node.k8s.io/v1", "RuntimeClass", "gvisor");
        assert.equal(rc.handler, "runsc");
        assert.deepEqual(rc.scheduling, runtimeClassScheduling(Runtime.Gvisor, Cloud.Kubernetes));
    });

    it("its guard refuses a pod that tolerates the sandbox taint without a sandbox class, and its tenant namespace holds pods to gvisor", async () => {
        const tolerations = runtimeClassScheduling(Runtime.Gvisor, Cloud.Kubernetes).tolerations;
        await cp.admin.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "workloads" } });
        const sneaky = {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "sneaky", namespace: "workloads" },
            spec: { tolerations, containers: [{ name: "main", image: "registry.example/app:1.0" }] },
        };
        await waitGuardJudges(cp.admin, [sneaky], 30_000, "deny");
        const res = await cp.admin.create(sneaky);
        assert.equal(res.status, 403, res.text);
        assert.ok(res.body.message.includes(guardMessage("workloads", tolerationRule("workloads", ["gvisor"]))), res.body.message);

        const ns = await cp.admin.get("v1", "Namespace", TENANT);
        assert.equal(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        // A pod restricted Pod Security admits, without the namespace's class: the guard's to refuse.
        const container = {
            name: "main",
            image: "registry.example/app:1.0",
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        };
        const plain = { apiVersion: "v1", kind: "Pod", metadata: { name: "plain", namespace: TENANT }, spec: { containers: [container] } };
        const refused = await cp.admin.create(plain, { dryRun: true });
        assert.equal(refused.status, 403, refused.text);
        assert.ok(refused.body.message.includes(guardMessage(TENANT, namespaceRuntimeRule("gvisor"))), refused.body.message);
        const sandboxed = { ...plain, metadata: { name: "sandboxed", namespace: TENANT }, spec: { runtimeClassName: "gvisor", containers: [container] } };
        const admitted = await cp.admin.create(sandboxed, { dryRun: true });
        assert.equal(admitted.status, 201, admitted.text);
    });

    it("pulumi preview --expect-no-changes passes right after", async () => {
        const preview = await stack.preview({ expectNoChanges: true });
        assert.deepEqual(Object.keys(preview.changeSummary), ["same"]);
    });

    it("a bad input in the YAML program fails pulumi up naming the input, and changes nothing", async () => {
        const before = (await stack.exportStack()).deployment.resources.length;
        await stack.setConfig("sandbox-yaml:tenantRuntimeClass", { value: "Not_A_Class" });
        const out = output();
        await assert.rejects(stack.up({ onOutput: out.onOutput }), (e: Error) => {
            assert.match(e.message + out.text(), /runtimeClassName: "Not_A_Class" is not a RuntimeClass name/);
            return true;
        });
        await stack.removeConfig("sandbox-yaml:tenantRuntimeClass");
        assert.equal((await stack.exportStack()).deployment.resources.length, before);
        const ns = await cp.admin.get("v1", "Namespace", TENANT);
        assert.equal(ns.metadata.labels["sandbox-clusters.io/runtime"] ?? "gvisor", "gvisor");
    });

    it("pulumi destroy leaves none of the objects", async () => {
        const destroy = await stack.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        assert.equal((await cp.admin.request("GET", "/apis/node.k8s.io/v1/runtimeclasses/gvisor")).status, 404);
        const policies = await cp.admin.list("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy");
        assert.deepEqual(policies.filter((p: any) => p.metadata.labels?.["app.kubernetes.io/managed-by"] === "sandbox-clusters"), []);
        assert.deepEqual((await stack.exportStack()).deployment.resources ?? [], []);
    });
});
