import * as assert from "assert";
import {
    AUTOSCALER_STARTUP_TAINT_PREFIX,
    CLOUDS,
    CLOUD_RUNTIMES,
    Cloud,
    DEFAULT_KEY_PREFIX,
    RUNTIMES,
    Runtime,
    TaintEffect,
    formatTaint,
    nodeStamp,
    runtimeOnCloudProblem,
    runtimeClassScheduling,
    sandboxTaintKeys,
} from "../../components/isolation";
import { reservedKeyProblems } from "../../components/kubelet";

/** Would a pod with these tolerations tolerate this taint? (Kubernetes' rule.) */
function tolerates(tols: ReturnType<typeof runtimeClassScheduling>["tolerations"], t: { key: string; value: string; effect: string }) {
    return tols.some(
        (tol) =>
            (tol.key === t.key || (tol.key === "" && tol.operator === "Exists")) &&
            (tol.operator === "Exists" || tol.value === t.value) &&
            (tol.effect === undefined || tol.effect === t.effect),
    );
}

describe("isolation contract", () => {
    it("stamps every sandbox node with a NoSchedule taint for its runtime (invariant 1)", () => {
        for (const cloud of CLOUDS) {
            for (const runtime of CLOUD_RUNTIMES[cloud]) {
                const stamp = nodeStamp(runtime, cloud);
                const permanent = stamp.taints.filter((t) => !stamp.startupTaints.includes(t));
                assert.strictEqual(permanent.length, 1, `${runtime}/${cloud}`);
                assert.strictEqual(permanent[0].effect, TaintEffect.NoSchedule);
                assert.strictEqual(permanent[0].value, runtime);
            }
        }
    });

    it("derives RuntimeClass scheduling that selects and tolerates exactly its own stamp (invariant 2)", () => {
        for (const cloud of CLOUDS) {
            for (const runtime of CLOUD_RUNTIMES[cloud]) {
                const sched = runtimeClassScheduling(runtime, cloud);
                const own = nodeStamp(runtime, cloud);
                assert.deepStrictEqual(sched.nodeSelector, own.labels);
                for (const t of own.taints) {
                    assert.strictEqual(tolerates(sched.tolerations, t), !own.startupTaints.includes(t), formatTaint(t));
                }
                for (const other of CLOUD_RUNTIMES[cloud].filter((r) => r !== runtime)) {
                    const theirs = nodeStamp(other, cloud);
                    const selected = Object.entries(sched.nodeSelector).every(([k, v]) => theirs.labels[k] === v);
                    assert.strictEqual(selected, false, `${runtime} class selects ${other} nodes on ${cloud}`);
                    for (const t of theirs.taints) assert.strictEqual(tolerates(sched.tolerations, t), false);
                }
            }
        }
    });

    it("never lets a Kata pod tolerate the startup taint (invariant 6)", () => {
        for (const cloud of [Cloud.Aws, Cloud.Gcp]) {
            const stamp = nodeStamp(Runtime.Kata, cloud);
            assert.deepStrictEqual(stamp.startupTaints.map(formatTaint), ["startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready=true:NoSchedule"]);
            assert.strictEqual(tolerates(runtimeClassScheduling(Runtime.Kata, cloud).tolerations, stamp.startupTaints[0]), false);
        }
    });

    it("stamps AKS Pod Sandboxing nodes with the contract's label and taint and no startup taint: Kata is in their node image", () => {
        const stamp = nodeStamp(Runtime.Kata, Cloud.Azure);
        assert.deepStrictEqual(stamp.labels, { "sandbox-clusters.io/runtime": "kata" });
        assert.deepStrictEqual(stamp.taints.map(formatTaint), ["sandbox-clusters.io/runtime=kata:NoSchedule"]);
        assert.deepStrictEqual(stamp.startupTaints, []);
        assert.strictEqual(stamp.appliedByCloud, false);
        const aws = runtimeClassScheduling(Runtime.Kata, Cloud.Aws);
        assert.deepStrictEqual(runtimeClassScheduling(Runtime.Kata, Cloud.Azure), {
            nodeSelector: aws.nodeSelector,
            // AKS taints spot nodes itself; tolerating that capacity taint lets Kata pods use spot Kata pools.
            tolerations: [...aws.tolerations, { key: "kubernetes.azure.com/scalesetpriority", operator: "Equal", value: "spot", effect: "NoSchedule" }],
        });
    });

    it("refuses gVisor on AKS with a pointer to Kata, and has no stamp for it", () => {
        assert.deepStrictEqual(CLOUD_RUNTIMES[Cloud.Azure], [Runtime.Kata]);
        const why = "gVisor is not available on AKS: AKS has no managed gVisor and manages its nodes' containerd itself, so no supported way installs runsc there; use runtime kata (AKS Pod Sandboxing, a VM per pod)";
        assert.strictEqual(runtimeOnCloudProblem(Runtime.Gvisor, Cloud.Azure), why);
        assert.throws(() => nodeStamp(Runtime.Gvisor, Cloud.Azure), { message: `no node stamp: ${why}` });
        for (const cloud of [Cloud.Aws, Cloud.Gcp]) for (const r of RUNTIMES) assert.strictEqual(runtimeOnCloudProblem(r, cloud), undefined);
    });

    it("uses GKE's reserved stamp for gVisor on GKE and marks it as applied by the cloud", () => {
        const stamp = nodeStamp(Runtime.Gvisor, Cloud.Gcp);
        assert.deepStrictEqual(stamp.labels, { "sandbox.gke.io/runtime": "gvisor" });
        assert.deepStrictEqual(stamp.taints.map(formatTaint), ["sandbox.gke.io/runtime=gvisor:NoSchedule"]);
        assert.strictEqual(stamp.appliedByCloud, true);
        assert.strictEqual(nodeStamp(Runtime.Gvisor, Cloud.Aws).appliedByCloud, false);
    });

    it("keeps the same stamp for the same runtime on both clouds except GKE Sandbox", () => {
        assert.deepStrictEqual(nodeStamp(Runtime.Kata, Cloud.Aws).taints, nodeStamp(Runtime.Kata, Cloud.Gcp).taints);
        assert.deepStrictEqual(nodeStamp(Runtime.Gvisor, Cloud.Aws).labels, { [`${DEFAULT_KEY_PREFIX}/runtime`]: "gvisor" });
    });

    it("moves every key under a custom prefix", () => {
        const stamp = nodeStamp(Runtime.Kata, Cloud.Aws, "sandbox.example.com");
        const startup = new Set(stamp.startupTaints);
        for (const t of stamp.taints.filter((t) => !startup.has(t))) assert.ok(t.key.startsWith("sandbox.example.com/"), t.key);
        assert.deepStrictEqual(Object.keys(stamp.labels), ["sandbox.example.com/runtime"]);
        assert.ok(sandboxTaintKeys("sandbox.example.com").includes("sandbox.example.com/runtime"));
    });

    it("keeps the Kata startup taint under the cluster autoscaler's startup-taint prefix so pools can scale from zero", () => {
        for (const cloud of [Cloud.Aws, Cloud.Gcp]) {
            for (const t of nodeStamp(Runtime.Kata, cloud, "sandbox.example.com").startupTaints) {
                assert.ok(t.key.startsWith(AUTOSCALER_STARTUP_TAINT_PREFIX), t.key);
            }
        }
    });

    it("flags user keys that would forge a stamp", () => {
        assert.deepStrictEqual(reservedKeyProblems("labels", ["team", "sandbox.gke.io/runtime", "sandbox-clusters.io/runtime", "startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready"]), [
            { code: "reserved", path: "labels", message: 'key "sandbox.gke.io/runtime" is reserved by GKE Sandbox (sandbox.gke.io/*)' },
            { code: "reserved", path: "labels", message: 'key "sandbox-clusters.io/runtime" collides with the sandbox stamp (sandbox-clusters.io/*)' },
            { code: "reserved", path: "labels", message: `key "startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready" is the sandbox stamp's Kata startup taint` },
        ]);
    });
});
