import * as assert from "assert";
import { DEFAULT_KATA_CHART_NAME, DEFAULT_KATA_CHART_REPOSITORY, KATA_DEPLOY_CHART, kataChartReference, resolveArgs, sandboxRuntimesProblems } from "../../../components/kubernetes/sandboxRuntimesArgs";

const kata = (chart?: object) => ({ cloud: "kubernetes" as const, kata: { shims: ["qemu-runtime-rs" as const], ...(chart ? { chart } : {}) } });

describe("SandboxRuntimes kata-deploy chart source (air-gapped and mirrored clusters)", () => {
    it("defaults to kata-containers' OCI registry", () => {
        const r = resolveArgs(kata());
        assert.deepStrictEqual(r.kata!.chart, { repository: DEFAULT_KATA_CHART_REPOSITORY, name: DEFAULT_KATA_CHART_NAME });
        assert.deepStrictEqual(kataChartReference(r.kata!.chart), { chart: KATA_DEPLOY_CHART });
    });

    it("pulls from an OCI mirror as <repository>/<name>, and from a chart repository by name with its CA", () => {
        assert.deepStrictEqual(kataChartReference(resolveArgs(kata({ repository: "oci://registry.internal:5000/mirror/kata/" })).kata!.chart), {
            chart: "oci://registry.internal:5000/mirror/kata/kata-deploy",
        });
        assert.deepStrictEqual(
            kataChartReference(resolveArgs(kata({ repository: "https://charts.internal/kata", name: "kata-deploy-mirror", caFile: "/etc/ssl/internal.pem" })).kata!.chart),
            { chart: "kata-deploy-mirror", repositoryOpts: { repo: "https://charts.internal/kata", caFile: "/etc/ssl/internal.pem" } },
        );
        assert.deepStrictEqual(sandboxRuntimesProblems(kata({ repository: "https://charts.internal/kata", caFile: "/etc/ssl/internal.pem" })), []);
    });

    it("rejects a plain-http or schemeless repository, a bad name, a relative CA file and a CA file for an OCI mirror, naming each", () => {
        const paths = (chart: object) => sandboxRuntimesProblems(kata(chart)).map((p) => `${p.path}: ${p.message}`);
        assert.deepStrictEqual(paths({ repository: "http://charts.internal", name: "Kata Deploy", caFile: "ca.pem" }), [
            'kata.chart.repository: "http://charts.internal" is neither an OCI registry path (oci://host/path) nor an https:// chart repository URL',
            'kata.chart.name: "Kata Deploy" is not a chart name',
            'kata.chart.caFile: "ca.pem" is not an absolute file path',
        ]);
        assert.deepStrictEqual(paths({ repository: "registry.internal/kata" }), [
            'kata.chart.repository: "registry.internal/kata" is neither an OCI registry path (oci://host/path) nor an https:// chart repository URL',
        ]);
        assert.deepStrictEqual(paths({ repository: "oci://registry.internal/kata", caFile: "/etc/ssl/internal.pem" }), [
            "kata.chart.caFile: applies to https:// chart repositories only: for an oci:// mirror, trust its CA on the machine that runs pulumi (system store or SSL_CERT_FILE)",
        ]);
    });
});
