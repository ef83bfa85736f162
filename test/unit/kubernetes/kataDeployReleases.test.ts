import * as assert from "assert";
import { KataShim } from "../../../components/kataShims";
import {
    KATA_ADVISORIES,
    KATA_DEPLOY_DEFAULT_TIMEOUT_SECONDS,
    KATA_DEPLOY_HOOK_WAIT_SECONDS,
    KATA_DEPLOY_MIN_TIMEOUT_SECONDS,
    kataAdvisories,
    versionBefore,
} from "../../../components/kubernetes/kataDeployReleases";

describe("kata-deploy releases: advisories and the chart's timings", () => {
    it("orders exact versions numerically, a pre-release before its release, with or without a v", () => {
        assert.equal(versionBefore("4.1.0", "4.3.0"), true);
        assert.equal(versionBefore("4.3.0", "4.3.0"), false);
        assert.equal(versionBefore("4.10.0", "4.9.0"), false);
        assert.equal(versionBefore("v3.31.0", "4.0.0"), true);
        assert.equal(versionBefore("4.3.0-rc1", "4.3.0"), true);
        assert.equal(versionBefore("4.3.0", "4.3.0-rc1"), false);
    });

    it("refuses what is not an exact version, naming it", () => {
        assert.throws(() => versionBefore("latest", "4.3.0"), /not an exact version: latest/);
    });

    it("4.1.0 is exposed to the two advisories 4.3.0 fixed, and only to them", () => {
        assert.deepEqual(
            kataAdvisories("4.1.0").map((a) => a.id),
            ["Kata 4.3.0: permissive annotation allowlist", "Kata 4.3.0: Dragonball virtio out-of-bounds"],
        );
        assert.deepEqual(kataAdvisories("4.3.0"), []);
    });

    it("an advisory of one shim applies only when that shim is installed", () => {
        assert.deepEqual(kataAdvisories("4.1.0", [KataShim.QemuRuntimeRs]).map((a) => a.cvss), [7.9]);
        assert.deepEqual(kataAdvisories("4.1.0", [KataShim.QemuRuntimeRs, KataShim.Dragonball]).map((a) => a.cvss), [7.9, 6.4]);
        assert.ok(!kataAdvisories("3.28.0", [KataShim.Clh]).some((a) => a.id.startsWith("GHSA-q49m")));
        assert.ok(kataAdvisories("3.28.0", [KataShim.QemuSnp]).some((a) => a.id.startsWith("GHSA-q49m")));
    });

    it("an older pin collects every advisory fixed after it", () => {
        assert.deepEqual(kataAdvisories("3.26.0").map((a) => a.fixedIn), KATA_ADVISORIES.map((a) => a.fixedIn));
    });

    it("every advisory names its source and a score", () => {
        for (const a of KATA_ADVISORIES) {
            assert.match(a.source, /^https:\/\/github\.com\/kata-containers\/kata-containers\//, a.id);
            assert.ok(a.cvss > 0 && a.cvss <= 10, a.id);
        }
    });

    it("the default release timeout covers the post-delete hook's wait with room, and the least one covers the wait", () => {
        assert.ok(KATA_DEPLOY_DEFAULT_TIMEOUT_SECONDS > KATA_DEPLOY_HOOK_WAIT_SECONDS + 120);
        assert.ok(KATA_DEPLOY_MIN_TIMEOUT_SECONDS > KATA_DEPLOY_HOOK_WAIT_SECONDS);
        assert.ok(KATA_DEPLOY_DEFAULT_TIMEOUT_SECONDS >= KATA_DEPLOY_MIN_TIMEOUT_SECONDS);
    });
});
