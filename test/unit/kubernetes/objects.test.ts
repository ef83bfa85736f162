// Every Kubernetes object SandboxRuntimes creates: valid against the Kubernetes OpenAPI
// schema, and reviewed as golden manifests (UPDATE_GOLDEN=1 rewrites them).
import * as assert from "assert";
import { stringify } from "yaml";
import { Cloud } from "../../../components/isolation";
import { SandboxRuntimes } from "../../../components/kubernetes/SandboxRuntimes";
import { SandboxRuntimesArgs } from "../../../components/kubernetes/sandboxRuntimesArgs";
import { assertGolden } from "../../support/golden";
import { RecordedResource, installMocks, reset, settle, state } from "../../support/mocks";
import { validateObject } from "../../support/kubeSchema";

installMocks();

const COMPONENT = "sandbox-clusters:index:SandboxRuntimes";
const RELEASE = "kubernetes:helm.sh/v3:Release";

/** Stacks worth a golden file each: the shapes the program composes. */
const SCENARIOS: Record<string, SandboxRuntimesArgs> = {
    "aws-gvisor-kata": { cloud: Cloud.Aws, gvisor: {}, kata: { shims: ["qemu", "clh"], defaultShim: "qemu" }, admission: { exemptNamespaces: ["node-agents"] } },
    "gcp-gke-sandbox-kata": { cloud: Cloud.Gcp, gvisor: { gkeManaged: true }, kata: { shims: ["qemu-runtime-rs"] } },
    "aws-gvisor-warn-unverified": { cloud: Cloud.Aws, gvisor: {}, admission: { action: "Warn" }, verification: { enabled: false } },
    "azure-pod-sandboxing-kata": { cloud: Cloud.Azure, kata: { shims: ["clh"] } },
};

async function render(args: SandboxRuntimesArgs): Promise<RecordedResource[]> {
    reset();
    new SandboxRuntimes("sandbox", args);
    await settle();
    return state.resources.filter((r) => r.type !== COMPONENT);
}

/** Kinds that live in a namespace; everything else the layer creates is cluster-scoped. */
const NAMESPACED = new Set(["Job", "ServiceAccount", "ResourceQuota"]);

/**
 * The objects as YAML documents, sorted by kind and name (registration order is not
 * deterministic); the Helm release as its chart reference and values.
 */
function manifest(resources: RecordedResource[]): string {
    const key = (r: RecordedResource) => `${r.type === RELEASE ? "~" : r.inputs.kind}/${r.inputs.metadata?.name ?? r.inputs.name}`;
    return [...resources]
        .sort((a, b) => key(a).localeCompare(key(b)))
        .map((r) =>
            r.type === RELEASE
                ? { helmRelease: { name: r.inputs.name, namespace: r.inputs.namespace, chart: r.inputs.chart, version: r.inputs.version, values: r.inputs.values } }
                : r.inputs,
        )
        .map((doc) => stringify(doc, { lineWidth: 0, sortMapEntries: true }))
        .join("---\n");
}

describe("SandboxRuntimes objects", () => {
    for (const [scenario, args] of Object.entries(SCENARIOS)) {
        describe(scenario, () => {
            let resources: RecordedResource[];
            before(async () => {
                resources = await render(args);
            });

            it("validates every Kubernetes object against the Kubernetes OpenAPI schema", async () => {
                const objects = resources.filter((r) => r.type !== RELEASE);
                assert.ok(objects.length > 0);
                for (const r of objects) {
                    try {
                        await validateObject(r.inputs);
                    } catch (e) {
                        assert.fail(`${r.type} ${r.name}: ${(e as Error).message}`);
                    }
                }
            });

            it("names every object explicitly, and places namespaced ones in a namespace it creates", () => {
                const objects = resources.filter((x) => x.type !== RELEASE);
                const namespaces = objects.filter((x) => x.inputs.kind === "Namespace").map((x) => x.inputs.metadata.name);
                for (const r of objects) {
                    assert.ok(r.inputs.metadata?.name, `${r.name} has no metadata.name`);
                    if (NAMESPACED.has(r.inputs.kind)) assert.ok(namespaces.includes(r.inputs.metadata.namespace), `${r.name} is outside the layer's namespaces`);
                    else assert.strictEqual(r.inputs.metadata.namespace, undefined, `${r.name} is cluster-scoped`);
                }
            });

            it("matches the reviewed golden manifest", () => {
                assertGolden(`kubernetes/${scenario}.yaml`, manifest(resources));
            });
        });
    }
});
