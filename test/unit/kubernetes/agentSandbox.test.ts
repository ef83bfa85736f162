import * as assert from "assert";
import { Cloud } from "../../../components/isolation";
import { KataShim } from "../../../components/kataShims";
import { SandboxRuntimes } from "../../../components/kubernetes/SandboxRuntimes";
import { SandboxRuntimesArgs, sandboxRuntimesProblems } from "../../../components/kubernetes/sandboxRuntimesArgs";
import { installMocks, ofType, reset, settle } from "../../support/mocks";

installMocks();

const TEMPLATE = "kubernetes:extensions.agents.x-k8s.io/v1beta1:SandboxTemplate";
const WARM_POOL = "kubernetes:extensions.agents.x-k8s.io/v1beta1:SandboxWarmPool";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const IMAGE = "ghcr.io/example/agent-runtime@sha256:" + "a".repeat(64);
const KATA = { shims: ["qemu-runtime-rs"] as KataShim[], defaultShim: "qemu-runtime-rs" as const };
const base: SandboxRuntimesArgs = { cloud: Cloud.Aws, gvisor: {}, kata: KATA, verification: { enabled: false } };
const PER_CLASS = { "kata-qemu-runtime-rs": "agents-kata-qemu" };

async function deploy(args: SandboxRuntimesArgs) {
    reset();
    new SandboxRuntimes("rt", args);
    await settle();
    const inputs = (type: string) => ofType(type).map((r) => r.inputs);
    return { templates: inputs(TEMPLATE), warmPools: inputs(WARM_POOL), namespaces: inputs(NAMESPACE) };
}

function lines(args: SandboxRuntimesArgs): string[] {
    return sandboxRuntimesProblems(args).filter((p) => p.path.startsWith("agentSandbox")).map((p) => `${p.path}: ${p.message}`);
}

describe("SandboxRuntimes agentSandbox (agent-sandbox templates)", () => {
    it("writes one SandboxTemplate per sandbox RuntimeClass, its pod template naming the class, at home in agents-<class> unless told", async () => {
        const { templates } = await deploy({ ...base, agentSandbox: { image: IMAGE, namespaces: PER_CLASS } });
        assert.deepStrictEqual(
            templates.map((t) => [t.metadata.namespace, t.metadata.name, t.spec.podTemplate.spec.runtimeClassName]),
            [["agents-gvisor", "gvisor", "gvisor"], ["agents-kata", "kata", "kata"], ["agents-kata-qemu", "kata-qemu-runtime-rs", "kata-qemu-runtime-rs"]],
        );
    });

    it("runs the sandbox restricted: non-root, no escalation, no capabilities, RuntimeDefault seccomp, no token", async () => {
        const { templates } = await deploy({ ...base, agentSandbox: { image: IMAGE, namespaces: PER_CLASS } });
        const spec = templates[0].spec.podTemplate.spec;
        assert.strictEqual(spec.automountServiceAccountToken, false);
        assert.deepStrictEqual(spec.securityContext, { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } });
        assert.deepStrictEqual(spec.containers.map((c: any) => [c.name, c.image, c.securityContext]), [
            ["sandbox", IMAGE, { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }],
        ]);
        assert.strictEqual(spec.tolerations, undefined, "the RuntimeClass's scheduling places the pod, not the template");
    });

    it("mounts a service account token only when asked", async () => {
        const { templates } = await deploy({ ...base, agentSandbox: { image: IMAGE, namespaces: PER_CLASS, automountServiceAccountToken: true } });
        assert.ok(templates.every((t) => t.spec.podTemplate.spec.automountServiceAccountToken === true));
    });

    it("makes each home a tenant namespace admitting only its class, under Pod Security restricted", async () => {
        const { namespaces } = await deploy({ ...base, agentSandbox: { image: IMAGE, namespaces: PER_CLASS } });
        const agents = namespaces.filter((n) => n.metadata.name.startsWith("agents-"));
        assert.deepStrictEqual(agents.map((n) => [n.metadata.name, n.metadata.labels["sandbox-clusters.io/require-runtime"], n.metadata.labels["pod-security.kubernetes.io/enforce"]]), [
            ["agents-gvisor", "gvisor", "restricted"],
            ["agents-kata", "kata", "restricted"],
            ["agents-kata-qemu", "kata-qemu-runtime-rs", "restricted"],
        ]);
    });

    it("writes a SandboxWarmPool only for the classes asked, referring to that class's template", async () => {
        const none = await deploy({ ...base, agentSandbox: { image: IMAGE, namespaces: PER_CLASS } });
        assert.deepStrictEqual(none.warmPools, []);
        const { warmPools } = await deploy({ ...base, agentSandbox: { image: IMAGE, namespaces: PER_CLASS, warmPools: { gvisor: 3 } } });
        assert.deepStrictEqual(warmPools.map((w) => [w.metadata.namespace, w.metadata.name, w.spec]), [["agents-gvisor", "gvisor", { replicas: 3, sandboxTemplateRef: { name: "gvisor" } }]]);
    });

    it("uses existing namespaces, several classes in one, with createNamespaces false", async () => {
        const { templates, namespaces } = await deploy({ ...base, agentSandbox: { image: IMAGE, namespaces: { gvisor: "ai", kata: "ai", "kata-qemu-runtime-rs": "ai" }, createNamespaces: false } });
        assert.deepStrictEqual(templates.map((t) => t.metadata.namespace), ["ai", "ai", "ai"]);
        assert.ok(!namespaces.some((n) => n.metadata.name === "ai"));
    });

    it("refuses, naming each input: an image not pinned by digest, unknown classes, bad replicas, exempt and shared tenant namespaces", () => {
        assert.deepStrictEqual(lines({
            ...base,
            admission: { exemptNamespaces: ["monitoring"] },
            agentSandbox: { image: "python:3.12", namespaces: { gvisor: "monitoring", kata: "Agents" }, warmPools: { "kata-fc": 2, gvisor: -1 } },
        }), [
            'agentSandbox.image: "python:3.12" is not pinned by digest (repository@sha256:<64 hex>)',
            'agentSandbox.namespaces["gvisor"]: "monitoring" is exempt from the admission guard; agent sandboxes must be judged like any sandboxed pod',
            'agentSandbox.namespaces["kata"]: "Agents" is not a DNS label',
            'agentSandbox.warmPools["kata-fc"]: "kata-fc" is not a sandbox RuntimeClass of the cluster (gvisor, kata, kata-qemu-runtime-rs)',
            'agentSandbox.warmPools["gvisor"]: -1 is not a whole number of sandboxes (0 or more)',
        ]);
        assert.deepStrictEqual(lines({ ...base, agentSandbox: { image: IMAGE, namespaces: { gvisor: "ai", kata: "ai" } } }), [
            'agentSandbox.namespaces["kata"]: tenant namespace "ai" would hold the templates of gvisor, kata, but it admits one RuntimeClass; give each class its own namespace (or createNamespaces: false for namespaces of your own)',
        ]);
        assert.deepStrictEqual(lines({ ...base, verification: {}, agentSandbox: { image: IMAGE, namespaces: { ...PER_CLASS, gvisor: "sandbox-verify" } } }), [
            'agentSandbox.namespaces["gvisor"]: "sandbox-verify" is the verification Jobs\' namespace; give the agent sandboxes their own',
        ]);
    });

    it("creates nothing when the args are refused", () => {
        reset();
        assert.throws(() => new SandboxRuntimes("rt", { ...base, agentSandbox: { image: "python:3.12", namespaces: PER_CLASS } }), /agentSandbox\.image/);
        assert.deepStrictEqual(ofType(TEMPLATE), []);
    });
});
