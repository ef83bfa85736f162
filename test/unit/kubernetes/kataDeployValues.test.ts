// kata-deploy's Helm values as SandboxRuntimes passes them to the Release (read under mocks).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Cloud, Runtime, nodeStamp } from "../../../components/isolation";
import { KATA_SHIMS } from "../../../components/kataShims";
import { SandboxRuntimes } from "../../../components/kubernetes/SandboxRuntimes";
import { SandboxRuntimesArgs } from "../../../components/kubernetes/sandboxRuntimesArgs";
import { installMocks, one, reset, settle } from "../../support/mocks";

installMocks();

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CHART_KEYS = parseKeys(fs.readFileSync(path.join(__dirname, "fixtures", "kata-deploy-4.1.0-values-keys.txt"), "utf8"));

/** `path = default` lines of the chart's 4.1.0 values, as a map. */
function parseKeys(text: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const line of text.split("\n")) {
        const m = /^([^#=\s][^=]*?) = (.*)$/.exec(line);
        if (m) out.set(m[1], m[2]);
    }
    return out;
}

/** Leaf paths of a values object; maps and lists the chart takes whole (default `{}`/`[]`) are leaves. */
function leafPaths(v: unknown, prefix = ""): string[] {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return [prefix];
    const whole = CHART_KEYS.get(prefix);
    if (prefix && (whole === "{}" || whole === "[]")) return [prefix];
    return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => leafPaths(x, prefix ? `${prefix}.${k}` : k));
}

/** kata-deploy's matcher rule (`partition_taints`): `key` or `key:effect`, split at the first colon. */
function kataDeployRemoves(matcher: string, taint: { key: string; effect: string }): boolean {
    const i = matcher.indexOf(":");
    const key = (i < 0 ? matcher : matcher.slice(0, i)).trim();
    const effect = i < 0 ? undefined : matcher.slice(i + 1).trim();
    return key !== "" && taint.key === key && (effect === undefined || effect === taint.effect);
}

async function release(args: SandboxRuntimesArgs): Promise<any> {
    reset();
    new SandboxRuntimes("kd", args);
    await settle();
    return one(RELEASE).inputs;
}

describe("SandboxRuntimes kata-deploy release", () => {
    for (const cloud of [Cloud.Aws, Cloud.Gcp]) {
        describe(`on ${cloud}`, () => {
            let rel: any;
            before(async () => {
                rel = await release({ cloud, kata: { shims: ["qemu", "clh"], defaultShim: "clh" } });
            });

            it("installs the official chart from its OCI registry at the pinned version, in its own namespace", () => {
                assert.deepStrictEqual(
                    [rel.chart, rel.version, rel.name, rel.namespace],
                    ["oci://ghcr.io/kata-containers/kata-deploy-charts/kata-deploy", "4.1.0", "kata-deploy", "kata-deploy"],
                );
            });

            it("enables only the chosen shims, with the chosen default", () => {
                const { disableAll, ...shims } = rel.values.shims;
                assert.strictEqual(disableAll, true);
                assert.deepStrictEqual(shims, { qemu: { enabled: true }, clh: { enabled: true } });
                assert.deepStrictEqual(rel.values.defaultShim, { amd64: "clh" });
            });

            it("turns the chart's own RuntimeClasses off", () => {
                assert.deepStrictEqual(rel.values.runtimeClasses, { enabled: false, createDefault: false });
            });

            it("runs the installer only on Kata nodes, tolerating their taints, startup taint included", () => {
                const stamp = nodeStamp(Runtime.Kata, cloud);
                assert.deepStrictEqual(rel.values.nodeSelector, stamp.labels);
                for (const t of stamp.taints) {
                    assert.ok(
                        rel.values.tolerations.some((tol: any) => tol.key === t.key && tol.value === t.value && tol.effect === t.effect && tol.operator === "Equal"),
                        `kata-deploy must tolerate ${t.key}`,
                    );
                }
                assert.strictEqual(rel.values.tolerations.length, stamp.taints.length);
            });

            it("removes exactly the startup taint once Kata is installed (invariant 6), by kata-deploy's matching rule", () => {
                const stamp = nodeStamp(Runtime.Kata, cloud);
                assert.deepStrictEqual(rel.values.startupTaints, ["startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready:NoSchedule"]);
                for (const t of stamp.taints) {
                    const removed = rel.values.startupTaints.some((m: string) => kataDeployRemoves(m, t));
                    assert.strictEqual(removed, stamp.startupTaints.some((s) => s.key === t.key), `${t.key}`);
                }
            });

            it("leaves no version or image tag unpinned", () => {
                const images: [string, any][] = [];
                const walk = (v: any, p: string) => {
                    if (v && typeof v === "object") {
                        if ("reference" in v) images.push([p, v]);
                        for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
                    }
                };
                walk(rel.values, "");
                // Every image the 4.1.0 chart can run, set and pinned.
                const chartImages = [...CHART_KEYS.keys()].filter((k) => k.endsWith(".reference")).map((k) => k.slice(0, -".reference".length));
                assert.deepStrictEqual(images.map(([p]) => p).sort(), chartImages.sort());
                for (const [p, img] of images) {
                    assert.match(img.tag, /^v?\d+\.\d+\.\d+$/, `${p}.tag must be a fixed version, got "${img.tag}"`);
                    assert.doesNotMatch(img.reference, /[:@]/, `${p}.reference carries its own tag`);
                }
                assert.match(rel.version, /^\d+\.\d+\.\d+$/);
            });

            it("sets only keys the 4.1.0 chart has", () => {
                const unknown = leafPaths(rel.values).filter((p) => !CHART_KEYS.has(p));
                assert.deepStrictEqual(unknown, []);
            });

            it("sets up no snapshotter the chosen shims do not need", () => {
                assert.deepStrictEqual(rel.values.snapshotter, { setup: [] });
            });
        });
    }

    it("sets up nydus when a confidential shim needs it", async () => {
        const rel = await release({ cloud: Cloud.Aws, kata: { shims: ["qemu-snp"], defaultShim: "qemu-snp" } });
        assert.deepStrictEqual(rel.values.snapshotter, { setup: ["nydus"] });
    });

    it("runs the kata-deploy image of the chart version asked for, as the chart itself would", async () => {
        const rel = await release({ cloud: Cloud.Aws, kata: { shims: ["qemu"], defaultShim: "qemu", chartVersion: "4.2.0" } });
        assert.strictEqual(rel.version, "4.2.0");
        assert.deepStrictEqual(rel.values.image, { reference: "quay.io/kata-containers/kata-deploy", tag: "4.2.0" });
        assert.strictEqual(rel.values.job.dispatcherImage.tag, "4.2.0");
    });

    it("names every supported shim with a key the chart has", () => {
        for (const s of KATA_SHIMS) assert.ok(CHART_KEYS.has(`shims.${s}.enabled`), s);
    });

    it("passes the Kubernetes distribution and overridden images through", async () => {
        const rel = await release({
            cloud: Cloud.Aws,
            kata: {
                shims: ["qemu"],
                defaultShim: "qemu",
                k8sDistribution: "rke2",
                image: { reference: "registry.example/kata-deploy", tag: "4.1.0" },
            },
        });
        assert.strictEqual(rel.values.k8sDistribution, "rke2");
        assert.deepStrictEqual(rel.values.image, { reference: "registry.example/kata-deploy", tag: "4.1.0" });
        assert.deepStrictEqual(rel.values.defaultShim, { amd64: "qemu", arm64: "qemu" });
    });
});
