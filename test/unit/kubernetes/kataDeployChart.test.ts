// The values the component renders against the kata-deploy chart the Kata project publishes
// (the reference folder beside the checkout): Helm ignores a key a chart does not have, so a
// renamed key would pass every other test and leave the release with the chart's defaults.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Cloud } from "../../../components/isolation";
import { KATA_SHIMS, KataShim } from "../../../components/kataShims";
import { KATA_DEPLOY_HOOK_WAIT_SECONDS } from "../../../components/kubernetes/kataDeployReleases";
import { kataDeployValues } from "../../../components/kubernetes/kataDeployValues";
import { DEFAULT_KATA_DEPLOY_VERSION, resolveArgs } from "../../../components/kubernetes/sandboxRuntimesArgs";
import { skipOrFail } from "../../support/realParts";

function referenceChart(version: string): string | undefined {
    const root = path.resolve(__dirname, "..", "..", "..");
    return [path.join(root, "..", "shared", "reference"), path.join(root, "..", "..", "shared", "reference")]
        .map((d) => path.join(d, `kata-deploy-${version}`))
        .find((d) => fs.existsSync(path.join(d, "values.yaml")));
}

/** Every key path of `values` the chart does not declare: a path stops where the chart's value is free-form (an empty map, a list, a scalar). */
function undeclared(values: unknown, chart: unknown, at = ""): string[] {
    if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
    if (chart === null || typeof chart !== "object" || Array.isArray(chart) || Object.keys(chart).length === 0) return [];
    return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) =>
        k in (chart as Record<string, unknown>) ? undeclared(v, (chart as Record<string, unknown>)[k], `${at}${k}.`) : [`${at}${k}`],
    );
}

describe(`kata-deploy ${DEFAULT_KATA_DEPLOY_VERSION}, the default release: the component's values against the published chart`, function () {
    let chartDir: string;
    let chartValues: any;

    before(function () {
        const dir = referenceChart(DEFAULT_KATA_DEPLOY_VERSION);
        if (!dir) return skipOrFail(this, `the kata-deploy ${DEFAULT_KATA_DEPLOY_VERSION} chart is not beside the checkout (../shared/reference/kata-deploy-${DEFAULT_KATA_DEPLOY_VERSION}/)`);
        chartDir = dir;
        chartValues = YAML.parse(fs.readFileSync(path.join(dir, "values.yaml"), "utf8"));
    });

    for (const shims of [[KataShim.QemuRuntimeRs], [...KATA_SHIMS]]) {
        it(`declares every key the component sets, with shims ${shims.join(", ")}`, () => {
            const r = resolveArgs({ cloud: Cloud.Aws, kata: { shims } });
            const values = kataDeployValues({ cloud: r.cloud, keyPrefix: r.keyPrefix, ...r.kata! });
            assert.deepEqual(undeclared(values, chartValues), []);
        });
    }

    it("would name a key the chart lacks, down to the level the chart declares", () => {
        assert.deepEqual(undeclared({ runtimeClass: { enabled: false }, shims: { qemu: { enable: true } }, nodeSelector: { any: "x" } }, chartValues), [
            "runtimeClass",
            "shims.qemu.enable",
        ]);
    });

    it("the hook wait the release timeout is sized from is the chart's post-delete wait", () => {
        const job = fs.readFileSync(path.join(chartDir, "templates", "kata-cleanup-rbac-job.yaml"), "utf8");
        assert.match(job, /"helm\.sh\/hook": post-delete/);
        assert.match(job, new RegExp(`wait_timeout=${KATA_DEPLOY_HOOK_WAIT_SECONDS}\\n`));
    });

    it("the chart's RuntimeClasses are the ones the component turns off", () => {
        const template = fs.readFileSync(path.join(chartDir, "templates", "runtimeclasses.yaml"), "utf8");
        assert.match(template, /\.Values\.runtimeClasses\.enabled/);
        assert.equal(chartValues.runtimeClasses.enabled, true, "the chart's default creates them: the component must say false");
    });
});
