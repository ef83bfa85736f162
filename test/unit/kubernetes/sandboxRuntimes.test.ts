import * as assert from "assert";
import {
    Cloud,
    KATA_SHIM_INFO,
    Runtime,

    nodeStamp,
} from "../../../components/isolation";
import { InputPropertiesError } from "../../../components/validation";
import { SandboxRuntimes } from "../../../components/kubernetes/sandboxRuntimes";
import { SandboxRuntimesArgs } from "../../../components/kubernetes/sandboxRuntimesArgs";
import { installMocks, ofType, one, reset, resolve, settle, state } from "../../support/mocks";

installMocks();

const RC = "kubernetes:node.k8s.io/v1:RuntimeClass";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const JOB = "kubernetes:batch/v1:Job";

async function deploy(args: SandboxRuntimesArgs, name = "rt"): Promise<SandboxRuntimes> {
    reset();
    const c = new SandboxRuntimes(name, args);
    await settle();
    return c;
}

function classes(): Record<string, any> {
    return Object.fromEntries(ofType(RC).map((r) => [r.inputs.metadata.name, r.inputs]));
}

/** Would a pod scheduled with this RuntimeClass's scheduling fit on a node with this stamp? */
function fits(scheduling: any, stamp: { labels: Record<string, string>; taints: { key: string; value: string; effect: string }[] }): boolean {
    const selected = Object.entries(scheduling.nodeSelector ?? {}).every(([k, v]) => stamp.labels[k] === v);
    const tolerated = stamp.taints.every((t) =>
        (scheduling.tolerations ?? []).some(
            (tol: any) => tol.key === t.key && (tol.operator === "Exists" || tol.value === t.value) && (!tol.effect || tol.effect === t.effect),
        ),
    );
    return selected && tolerated;
}

describe("SandboxRuntimes", () => {
    describe("RuntimeClasses", () => {
        for (const cloud of [Cloud.Aws, Cloud.Gcp]) {
            it(`schedules each class on exactly its runtime's nodes on ${cloud} (invariant 2)`, async () => {
                await deploy({ cloud, gvisor: { gkeManaged: cloud === Cloud.Gcp }, kata: { shims: ["qemu", "clh"], defaultShim: "qemu" } });
                const rc = classes();
                const kataReady = { ...nodeStamp(Runtime.Kata, cloud), taints: nodeStamp(Runtime.Kata, cloud).taints.filter((t) => !t.key.endsWith("kata-not-ready")) };
                for (const name of ["kata", "kata-qemu", "kata-clh"]) {
                    assert.ok(fits(rc[name].scheduling, kataReady), `${name} must fit a ready Kata node`);
                    assert.ok(!fits(rc[name].scheduling, nodeStamp(Runtime.Kata, cloud)), `${name} must not tolerate the startup taint`);
                    assert.ok(!fits(rc[name].scheduling, nodeStamp(Runtime.Gvisor, cloud)), `${name} must not fit a gVisor node`);
                }
                if (cloud === Cloud.Aws) {
                    assert.ok(fits(rc.gvisor.scheduling, nodeStamp(Runtime.Gvisor, cloud)));
                    assert.ok(!fits(rc.gvisor.scheduling, kataReady));
                }
            });
        }

        it("creates gvisor with handler runsc and no Kata class when only gVisor is asked for", async () => {
            await deploy({ cloud: Cloud.Aws, gvisor: {} });
            assert.deepStrictEqual(Object.keys(classes()), ["gvisor"]);
            assert.strictEqual(classes().gvisor.handler, "runsc");
            assert.deepStrictEqual(ofType(RELEASE), []);
        });

        it("creates no gvisor class when only Kata is asked for", async () => {
            await deploy({ cloud: Cloud.Aws, kata: { shims: ["qemu-runtime-rs"] } });
            assert.deepStrictEqual(Object.keys(classes()), ["kata", "kata-qemu-runtime-rs"]);
        });

        it("creates no gvisor class when GKE Sandbox owns it, yet lists and verifies it", async () => {
            const c = await deploy({ cloud: Cloud.Gcp, gvisor: { gkeManaged: true } });
            assert.deepStrictEqual(ofType(RC), []);
            assert.deepStrictEqual(await resolve(c.runtimeClassNames), ["gvisor"]);
            assert.strictEqual(one(JOB).inputs.spec.template.spec.runtimeClassName, "gvisor");
        });

        it("points kata at the default shim and declares each shim's overhead unless overridden", async () => {
            await deploy({ cloud: Cloud.Aws, kata: { shims: ["qemu", "clh"], defaultShim: "clh" }, overheads: { "kata-qemu": { memory: "512Mi" } } });
            const rc = classes();
            assert.strictEqual(rc.kata.handler, "kata-clh");
            assert.deepStrictEqual(rc.kata.overhead, { podFixed: KATA_SHIM_INFO.clh.overhead });
            assert.deepStrictEqual(rc["kata-clh"].overhead, { podFixed: { memory: "130Mi", cpu: "250m" } });
            assert.deepStrictEqual(rc["kata-qemu"].overhead, { podFixed: { memory: "512Mi", cpu: "250m" } });
        });
    });

    describe("argument validation", () => {
        it("names every bad input in one error before any child exists", () => {
            reset();
            const bad: any = {
                cloud: "aws",
                kata: { shims: ["qemu", "qemu", "nope"], defaultShim: "clh", namespace: "Kata_Deploy" },
                overheads: { "kata-qemu": { memory: "lots" }, gvisor: { cpu: "1" } },
                admission: { exemptNamespaces: ["monitoring", "not a name"] },
                verification: { namespace: "kube-system" },
            };
            assert.throws(
                () => new SandboxRuntimes("bad", bad),
                (e: unknown) => {
                    assert.ok(e instanceof InputPropertiesError);
                    assert.strictEqual(
                        e.message,
                        [
                            'SandboxRuntimes "bad" has invalid arguments:',
                            '  - kata.shims[2]: unknown shim "nope"; supported: qemu, qemu-runtime-rs, clh, dragonball, fc, qemu-snp, qemu-tdx',
                            '  - kata.shims: duplicate RuntimeClass name "kata-qemu" (shim "qemu" listed twice)',
                            '  - kata.defaultShim: "clh" is not among kata.shims (qemu, qemu, nope)',
                            '  - kata.namespace: "Kata_Deploy" is not a DNS label',
                            '  - overheads["kata-qemu"].memory: "lots" is not a Kubernetes quantity',
                            '  - overheads["gvisor"]: no RuntimeClass "gvisor" is created here (created: kata, kata-qemu, kata-nope)',
                            '  - admission.exemptNamespaces[1]: "not a name" is not a namespace name',
                            '  - verification.namespace: "kube-system" is exempt from the admission guard; the checks must run as ordinary sandboxed pods',
                        ].join("\n"),
                    );
                    return true;
                },
            );
            assert.deepStrictEqual(state.resources.filter((r) => r.type !== "sandbox-clusters:index:SandboxRuntimes"), []);
        });

        it("rejects Kata with no shim", () => {
            assert.throws(() => new SandboxRuntimes("k", { cloud: Cloud.Aws, kata: { shims: [] } }), {
                message: 'SandboxRuntimes "k" has invalid arguments:\n  - kata.shims: Kata needs at least one shim',
            });
        });
    });
});

