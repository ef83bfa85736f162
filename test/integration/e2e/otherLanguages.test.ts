// The components from other Pulumi languages, deployed by the real engine (CLI 3.274.1, the
// Go-built Kubernetes provider) through provider/ as a component provider, to the end-to-end
// suite's real cluster (a gVisor sandbox node and a general node, test/support/realCluster.ts),
// where the verification Job decides:
// - a Pulumi YAML program (test/integration/e2e/yaml/Pulumi.yaml), run by Pulumi YAML's own
//   language host (build set `pulumi-yaml`);
// - a Go program (test/integration/e2e/go/) on the Go SDK that `pulumi package add` generates
//   from provider/schema.json, here by Pulumi's Go code generator (pulumi-gen-go of build set
//   `pulumi-schema`), deployed by Pulumi's Go Automation API with an inline program.
//
// The engine starts provider/ the way Pulumi's Node.js language host runs a `runtime: nodejs`
// plugin (RunPlugin: `node @pulumi/pulumi/cmd/run-plugin <plugin folder> <engine address>` in that
// folder); that host is not served by the Go module proxy here, so a two-line executable of the
// test does exactly that, named as the engine looks for a provider binary in a project's
// `plugins.providers[].path`. Everything after the process start is Pulumi's own: run-plugin
// loads provider/index.ts, componentProviderHost infers the schema from the TypeScript, the YAML
// host checks the program against that schema, and the components' children go through the
// engine to the Kubernetes provider.
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import * as YAML from "yaml";
import { Stack } from "@pulumi/pulumi/automation";
import { Cloud, Runtime, runtimeClassScheduling } from "../../../components/isolation";
import { requireToolBinary } from "../../support/realParts";
import { COMPONENT_SETTINGS, guardMessage, namespaceRuntimeRule, tolerationRule } from "../../support/guardMessages";
import { KubeClient } from "../../support/kubeClient";
import { waitGuardJudges } from "../../support/kubeGuard";
import { Engine, EngineBinaries, output, requireEngine, requireYamlHost } from "../../support/pulumiEngine";
import { RealCluster, requireRealCluster } from "../../support/realCluster";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const YAML_PROGRAM = path.join(__dirname, "yaml");
const GO_PROGRAM = path.join(__dirname, "go");
const PLUGIN = "pulumi-resource-sandbox-clusters";
const SCHEMA = path.join(ROOT, "provider", "schema.json");
const VERIFY_NAMESPACE = "sandbox-verify";
const run = promisify(execFile);

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

/** A pod restricted Pod Security admits, with `runtimeClassName` when given. */
function restrictedPod(name: string, namespace: string, runtimeClassName?: string) {
    const container = {
        name: "main",
        image: "registry.example/app:1.0",
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    };
    return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace }, spec: { ...(runtimeClassName ? { runtimeClassName } : {}), containers: [container] } };
}

/** What both programs deployed, judged on the cluster: the class, the guard, the tenant namespace, the verification Job. */
async function judgeDeployment(admin: KubeClient, tenant: string): Promise<void> {
    const rc = await admin.get("node.k8s.io/v1", "RuntimeClass", "gvisor");
    assert.equal(rc.handler, "runsc");
    assert.deepEqual(rc.scheduling, runtimeClassScheduling(Runtime.Gvisor, Cloud.Kubernetes));

    const job = await admin.get("batch/v1", "Job", "verify-gvisor", VERIFY_NAMESPACE);
    assert.equal(job.status.succeeded, 1);

    const tolerations = runtimeClassScheduling(Runtime.Gvisor, Cloud.Kubernetes).tolerations;
    const sneaky = { apiVersion: "v1", kind: "Pod", metadata: { name: "sneaky", namespace: "default" }, spec: { tolerations, containers: [{ name: "main", image: "registry.example/app:1.0" }] } };
    await waitGuardJudges(admin, [sneaky], 30_000, "deny");
    const refused = await admin.create(sneaky, { dryRun: true });
    assert.equal(refused.status, 403, refused.text);
    assert.ok(refused.body.message.includes(guardMessage("default", tolerationRule("default", ["gvisor"], COMPONENT_SETTINGS))), refused.body.message);

    const ns = await admin.get("v1", "Namespace", tenant);
    assert.equal(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
    const plain = await admin.create(restrictedPod("plain", tenant), { dryRun: true });
    assert.equal(plain.status, 403, plain.text);
    assert.ok(plain.body.message.includes(guardMessage(tenant, namespaceRuntimeRule("gvisor"))), plain.body.message);
    const sandboxed = await admin.create(restrictedPod("sandboxed", tenant, "gvisor"), { dryRun: true });
    assert.equal(sandboxed.status, 201, sandboxed.text);
}

/** Nothing of either program is left: no class, no guard policy, no tenant or verification namespace. */
async function judgeGone(admin: KubeClient, tenant: string): Promise<void> {
    assert.equal((await admin.request("GET", "/apis/node.k8s.io/v1/runtimeclasses/gvisor")).status, 404);
    const policies = await admin.list("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy");
    assert.deepEqual(policies.filter((p: any) => p.metadata.labels?.["app.kubernetes.io/managed-by"] === "sandbox-clusters").map((p: any) => p.metadata.name), []);
    for (const ns of [tenant, VERIFY_NAMESPACE]) assert.equal((await admin.request("GET", `/api/v1/namespaces/${ns}`)).status, 404, ns);
}

describe("the components from Pulumi YAML and Go, deployed by the real engine through provider/ to the real gVisor cluster", function () {
    this.timeout(900_000);
    let cluster: RealCluster;
    let engine: Engine;
    let engineBin: EngineBinaries;
    let pluginDir: string;
    let yamlHost: string;

    before(async function () {
        const clusterBin = requireRealCluster(this);
        engineBin = requireEngine(this);
        yamlHost = requireYamlHost(this);
        cluster = await RealCluster.start(clusterBin);
        engine = await Engine.start(engineBin);
        pluginDir = path.join(engine.dir, "plugin");
        writePluginExecutable(pluginDir);
    });

    after(async () => {
        engine?.stop();
        await cluster?.stop();
    });

    describe("a Pulumi YAML program, run by Pulumi YAML's language host", () => {
        const TENANT = "tenant-a";
        let stack: Stack;

        before(async () => {
            const workDir = path.join(engine.dir, "yaml");
            fs.mkdirSync(workDir, { recursive: true });
            const project = YAML.parse(fs.readFileSync(path.join(YAML_PROGRAM, "Pulumi.yaml"), "utf8"));
            project.plugins = { providers: [{ name: "sandbox-clusters", path: pluginDir }] };
            fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), YAML.stringify(project));
            const config = { "sandbox-yaml:kubeconfig": cluster.kubeconfig, "sandbox-yaml:verificationImage": cluster.testImage };
            fs.writeFileSync(path.join(workDir, "Pulumi.dev.yaml"), YAML.stringify({ config }));
            stack = await engine.projectStack("dev", workDir, { path: [yamlHost] });
        });

        it("pulumi up exits 0; the components' outputs, the verification Job's verdict included, reach the program's outputs", async () => {
            const out = output();
            const up = await stack.up({ onOutput: out.onOutput });
            assert.equal(up.summary.result, "succeeded", out.text());
            assert.deepEqual(up.outputs.runtimeClassNames.value, ["gvisor"], out.text());
            assert.deepEqual(up.outputs.verifications.value, [{ runtimeClass: "gvisor", namespace: VERIFY_NAMESPACE, jobName: "verify-gvisor", status: "succeeded" }]);
            assert.equal(up.outputs.tenantNamespace.value, TENANT);
            // The components are in the state as the YAML host registered them, with their children.
            const types = ((await stack.exportStack()).deployment.resources ?? []).map((r: any) => r.type);
            for (const t of ["sandbox-clusters:index:SandboxRuntimes", "sandbox-clusters:index:SandboxNamespace", "kubernetes:node.k8s.io/v1:RuntimeClass"]) assert.ok(types.includes(t), `${t} not in ${types.join(", ")}`);
        });

        it("deploys what the TypeScript components deploy: the class, the guard on Deny, the tenant namespace held to gvisor", async () => {
            await judgeDeployment(cluster.admin, TENANT);
        });

        it("pulumi preview --expect-no-changes passes right after", async () => {
            const preview = await stack.preview({ expectNoChanges: true });
            assert.deepEqual(Object.keys(preview.changeSummary), ["same"]);
        });

        it("a bad input fails pulumi up with the component's message naming it, and adds nothing", async () => {
            const before = (await stack.exportStack()).deployment.resources.length;
            await stack.setConfig("sandbox-yaml:tenantRuntimeClass", { value: "Not_A_Class" });
            const out = output();
            await assert.rejects(stack.up({ onOutput: out.onOutput }), (e: Error) => {
                assert.match(e.message + out.text(), /runtimeClassName: "Not_A_Class" is not a RuntimeClass name/);
                return true;
            });
            await stack.removeConfig("sandbox-yaml:tenantRuntimeClass");
            assert.equal((await stack.exportStack()).deployment.resources.length, before);
            assert.equal((await cluster.admin.get("v1", "Namespace", TENANT)).metadata.labels["sandbox-clusters.io/require-runtime"], "gvisor");
        });

        it("pulumi destroy leaves none of the objects", async () => {
            const destroy = await stack.destroy();
            assert.equal(destroy.summary.result, "succeeded");
            await judgeGone(cluster.admin, TENANT);
            assert.deepEqual((await stack.exportStack()).deployment.resources ?? [], []);
        });
    });

    describe("a Go program on the Go SDK generated from provider/schema.json, run by Pulumi's Go Automation API", () => {
        const TENANT = "tenant-go";
        let binary: string;
        let env: NodeJS.ProcessEnv;
        let args: string[];
        let workDir: string;
        let genGo: string;

        before(function () {
            genGo = requireToolBinary(this, "pulumi-schema", "pulumi-gen-go");
            env = { ...process.env, ...engine.env, GOFLAGS: "-mod=readonly", GOTOOLCHAIN: "local" };
            workDir = path.join(engine.dir, "go-workspace");
            fs.mkdirSync(workDir, { recursive: true });
            args = [
                "-pulumi-root", path.dirname(path.dirname(engineBin.pulumi)),
                "-plugin-dir", pluginDir,
                "-work-dir", workDir,
                "-kubeconfig", cluster.kubeconfig,
                "-verification-image", cluster.testImage,
            ];
        });

        it("generates the SDK (a Go module of its own) and builds the program against it and the committed go.sum", async () => {
            const dir = path.join(engine.dir, "go");
            fs.cpSync(GO_PROGRAM, dir, { recursive: true });
            const gen = await run(genGo, [SCHEMA, path.join(dir, "sdk")]);
            const info = JSON.parse(gen.stdout);
            assert.equal(info.module, "example.com/pulumi-sandbox-clusters/sdk/go");
            assert.equal(info.import, "example.com/pulumi-sandbox-clusters/sdk/go/sandboxclusters");
            const schema = JSON.parse(fs.readFileSync(SCHEMA, "utf8"));
            // One file per component besides the shared ones (types, enums, provider, init, docs).
            for (const token of Object.keys(schema.resources)) {
                const file = token.split(":")[2].replace(/^./, (c) => c.toLowerCase()) + ".go";
                assert.ok(fs.existsSync(path.join(dir, "sdk", "sandboxclusters", file)), `${token}: no ${file}`);
            }
            binary = path.join(dir, "sandbox-go");
            await run("go", ["vet", "./..."], { cwd: dir, env, maxBuffer: 16 << 20 });
            await run("go", ["build", "-o", binary, "."], { cwd: dir, env, maxBuffer: 16 << 20 });
        });

        it("its pulumi up deploys what the TypeScript components deploy, and the verification Job passes", async () => {
            assert.ok(binary, "the program was not built");
            const up = await run(binary, ["-op", "up", ...args], { env, maxBuffer: 16 << 20 });
            const outputs = JSON.parse(up.stdout.trim().split("\n").pop()!);
            assert.deepEqual(outputs.runtimeClassNames, ["gvisor"]);
            assert.deepEqual(outputs.verifications, [{ runtimeClass: "gvisor", namespace: VERIFY_NAMESPACE, jobName: "verify-gvisor", status: "succeeded" }]);
            assert.equal(outputs.tenantNamespace, TENANT);
            await judgeDeployment(cluster.admin, TENANT);
        });

        it("its preview --expect-no-changes passes right after", async () => {
            const preview = await run(binary, ["-op", "preview", ...args], { env, maxBuffer: 16 << 20 });
            const summary = JSON.parse(preview.stdout.trim().split("\n").pop()!);
            assert.deepEqual(Object.keys(summary), ["same"]);
        });

        it("a bad input fails its pulumi up with the component's message naming it", async () => {
            await assert.rejects(run(binary, ["-op", "up", ...args, "-tenant-class", "Not_A_Class"], { env, maxBuffer: 16 << 20 }), (e: any) => {
                assert.match(`${e.stdout}${e.stderr}`, /runtimeClassName: "Not_A_Class" is not a RuntimeClass name/);
                assert.notEqual(e.code, 0);
                return true;
            });
            assert.equal((await cluster.admin.get("v1", "Namespace", TENANT)).metadata.labels["sandbox-clusters.io/require-runtime"], "gvisor");
        });

        it("its destroy leaves none of the objects", async () => {
            const destroy = await run(binary, ["-op", "destroy", ...args], { env, maxBuffer: 16 << 20 });
            assert.equal(JSON.parse(destroy.stdout.trim().split("\n").pop()!), "succeeded");
            await judgeGone(cluster.admin, TENANT);
        });
    });
});
