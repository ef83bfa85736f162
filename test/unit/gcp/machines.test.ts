import * as assert from "assert";
import {
    GCE_MACHINE_SERIES,
    GCE_NESTED_VIRTUALIZATION_SERIES,
    GceCpuVendor,
    gceKataMachineProblem,
    gceMachineSeriesName,
    gkeSandboxMachineProblem,
} from "../../../components/gcp/machines";

describe("GCE machine catalogue", () => {
    it("offers nested virtualization only on Intel series", () => {
        for (const [name, series] of Object.entries(GCE_MACHINE_SERIES)) {
            if (series.nestedVirtualization) assert.strictEqual(series.vendor, GceCpuVendor.Intel, name);
            else assert.ok(series.reason, `${name} needs a reason`);
        }
        assert.deepStrictEqual(GCE_NESTED_VIRTUALIZATION_SERIES, ["n1", "n2", "n4", "c2", "c3", "c4"]);
    });

    it("reads the series from standard, custom and shared-core machine type names", () => {
        assert.strictEqual(gceMachineSeriesName("n2-standard-4"), "n2");
        assert.strictEqual(gceMachineSeriesName("n2-custom-4-8192"), "n2");
        assert.strictEqual(gceMachineSeriesName("c3-highcpu-4-lssd"), "c3");
        assert.strictEqual(gceMachineSeriesName("e2-micro"), "e2");
        assert.strictEqual(gceMachineSeriesName("standard"), undefined);
        assert.strictEqual(gceMachineSeriesName("N2-standard-4"), undefined);
    });

    it("accepts every capable series for Kata and names the reason for the others", () => {
        for (const name of GCE_NESTED_VIRTUALIZATION_SERIES) assert.strictEqual(gceKataMachineProblem(`${name}-standard-8`), undefined);
        assert.match(gceKataMachineProblem("m3-ultramem-32") ?? "", /M3 is a memory-optimized series/);
        assert.match(gceKataMachineProblem("c4a-standard-4") ?? "", /C4A runs on Arm processors/);
        assert.match(gceKataMachineProblem("bogus") ?? "", /"bogus" is not a Compute Engine machine type name/);
    });

    it("refuses GKE Sandbox on every shared-core machine type, and GKE itself refuses f1-micro", () => {
        for (const t of ["e2-micro", "e2-small", "e2-medium", "f1-micro", "g1-small"]) {
            assert.strictEqual(
                gkeSandboxMachineProblem(t),
                `"${t}" is a shared-core machine type, which GKE Sandbox does not run on (e2-micro, e2-small, e2-medium, f1-micro, g1-small); use one with whole vCPUs, e.g. e2-standard-2`,
            );
        }
        for (const t of ["e2-standard-2", "e2-highcpu-2", "n2-standard-4", "t2a-standard-1"]) assert.strictEqual(gkeSandboxMachineProblem(t), undefined, t);
        assert.match(gceKataMachineProblem("g1-small") ?? "", /G1 is a shared-core series/);
    });
});
