// The guard's CEL, as SandboxRuntimes emits it (read from the created objects under mocks),
// evaluated for real with @marcbachmann/cel-js against sample pods (invariants 4 and 5).
import * as assert from "assert";
import { Cloud, GKE_SANDBOX_RUNTIME_KEY, isolationKeys } from "../../../components/isolation";
import { SandboxRuntimes } from "../../../components/kubernetes/SandboxRuntimes";
import { SandboxRuntimesArgs } from "../../../components/kubernetes/sandboxRuntimesArgs";
import { installMocks, ofType, one, reset, settle } from "../../support/mocks";
import { AdmissionResult, PodRequest, admit, withRuntimeClass } from "./admission";
import { validateObject } from "./schema";

installMocks();

const KEYS = isolationKeys();
const POLICY = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy";
const BINDING = "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding";
const ARGS: SandboxRuntimesArgs = {
    cloud: Cloud.Aws,
    gvisor: {},
    kata: { shims: ["qemu", "clh"], defaultShim: "qemu" },
    admission: { exemptNamespaces: ["node-agents"] },
};
const TOLERATION_MSG =
    "pods that tolerate a sandbox node taint (sandbox-clusters.io/runtime, startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready, sandbox.gke.io/runtime, or every taint) " +
    "must set runtimeClassName to a sandbox RuntimeClass (gvisor, kata, kata-qemu, kata-clh)";
const HOST_MSG = "sandboxed pods must not use hostNetwork, hostPID or hostIPC";
const NODENAME_MSG = "pods may set spec.nodeName (which bypasses the scheduler and the sandbox nodes' NoSchedule taints) only with a sandbox RuntimeClass";
const HOSTPATH_MSG = "sandboxed pods must not mount hostPath volumes";
const PRIV_MSG = "sandboxed pods must not run privileged containers (containers, initContainers, ephemeralContainers)";

interface Deployed {
    policy: any;
    binding: any;
    classes: Record<string, any>;
    jobs: any[];
}

async function deploy(args: SandboxRuntimesArgs): Promise<Deployed> {
    reset();
    new SandboxRuntimes("guard", args);
    await settle();
    return {
        policy: one(POLICY).inputs,
        binding: one(BINDING).inputs,
        classes: Object.fromEntries(ofType("kubernetes:node.k8s.io/v1:RuntimeClass").map((r) => [r.inputs.metadata.name, r.inputs])),
        jobs: ofType("kubernetes:batch/v1:Job").map((r) => r.inputs),
    };
}

/** Every sample pod, validated against the Pod schema once the suite ran. */
const samples: any[] = [];

function pod(spec: Record<string, unknown>, namespace = "apps"): any {
    const p = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p", namespace },
        spec: { containers: [{ name: "app", image: "registry.example/app@sha256:" + "0".repeat(64) }], ...spec },
    };
    samples.push(p);
    return p;
}

function create(d: Deployed, p: any, extra: Partial<PodRequest> = {}): AdmissionResult {
    return admit(d.policy, d.binding, {
        operation: "CREATE",
        namespace: p.metadata.namespace,
        object: withRuntimeClass(p, d.classes),
        ...extra,
    });
}

function allowed(r: AdmissionResult): void {
    assert.deepStrictEqual(r.violations, []);
    assert.strictEqual(r.allowed, true);
}
function denied(r: AdmissionResult, ...messages: string[]): void {
    assert.strictEqual(r.allowed, false, "expected the pod to be rejected");
    assert.deepStrictEqual(r.violations, messages);
}

describe("SandboxRuntimes admission guard (CEL evaluated)", () => {
    let d: Deployed;
    before(async () => {
        d = await deploy(ARGS);
    });

    it("admits a sandboxed pod, with the tolerations its RuntimeClass injects", () => {
        for (const cls of ["gvisor", "kata", "kata-qemu", "kata-clh"]) {
            const r = create(d, pod({ runtimeClassName: cls }));
            assert.strictEqual(r.matched, true);
            allowed(r);
        }
    });

    it("admits a plain pod", () => {
        allowed(create(d, pod({})));
    });

    it("rejects a pod that tolerates a sandbox taint without a sandbox RuntimeClass (invariant 4)", () => {
        for (const key of [KEYS.runtime, KEYS.kataNotReady, GKE_SANDBOX_RUNTIME_KEY]) {
            denied(create(d, pod({ tolerations: [{ key, operator: "Exists", effect: "NoSchedule" }] })), TOLERATION_MSG);
        }
        denied(create(d, pod({ tolerations: [{ key: KEYS.runtime, operator: "Equal", value: "kata", effect: "NoSchedule" }] })), TOLERATION_MSG);
    });

    it("rejects a key-less Exists toleration (tolerates every taint) without a sandbox RuntimeClass", () => {
        denied(create(d, pod({ tolerations: [{ operator: "Exists" }] })), TOLERATION_MSG);
        denied(create(d, pod({ tolerations: [{ key: "", operator: "Exists", effect: "NoSchedule" }] })), TOLERATION_MSG);
    });

    it("admits tolerations of unrelated taints", () => {
        allowed(create(d, pod({ tolerations: [{ key: "dedicated", operator: "Equal", value: "batch", effect: "NoSchedule" }] })));
    });

    it("rejects a pod naming a RuntimeClass that is not a sandbox while tolerating the sandbox taint", () => {
        denied(create(d, pod({ runtimeClassName: "runc", tolerations: [{ key: KEYS.runtime, operator: "Exists" }] })), TOLERATION_MSG);
    });

    it("rejects a sandboxed pod asking for hostNetwork, hostPID or hostIPC (invariant 5)", () => {
        for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
            denied(create(d, pod({ runtimeClassName: "gvisor", [field]: true })), HOST_MSG);
        }
        allowed(create(d, pod({ runtimeClassName: "gvisor", hostNetwork: false, hostPID: false, hostIPC: false })));
    });

    it("rejects a sandboxed pod with a privileged container, init container or ephemeral container", () => {
        const priv = { name: "x", image: "busybox", securityContext: { privileged: true } };
        denied(create(d, pod({ runtimeClassName: "kata", containers: [priv] })), PRIV_MSG);
        denied(create(d, pod({ runtimeClassName: "kata", initContainers: [priv] })), PRIV_MSG);
        denied(create(d, pod({ runtimeClassName: "kata", ephemeralContainers: [{ ...priv, name: "debug" }] })), PRIV_MSG);
        allowed(create(d, pod({ runtimeClassName: "kata", initContainers: [{ ...priv, securityContext: { privileged: false } }] })));
    });

    it("rejects a plain pod placed by nodeName, which would skip the sandbox nodes' NoSchedule taints (invariant 1)", () => {
        denied(create(d, pod({ nodeName: "ip-10-0-1-23.ec2.internal" })), NODENAME_MSG);
        allowed(create(d, pod({ nodeName: "ip-10-0-1-23.ec2.internal", runtimeClassName: "kata" })));
        allowed(create(d, pod({ nodeName: "" })));
        const agent = pod({ nodeName: "ip-10-0-1-23.ec2.internal" }, "kube-system");
        assert.strictEqual(create(d, agent).matched, false);
    });

    it("lets the scheduler's binding of a plain pod through (nodeName is only checked at creation)", () => {
        const pending = pod({});
        const bound = { ...pending, spec: { ...pending.spec, nodeName: "general-1" } };
        allowed(admit(d.policy, d.binding, { operation: "UPDATE", namespace: "apps", object: bound, oldObject: pending }));
    });

    it("rejects a sandboxed pod mounting a hostPath volume, and admits other volumes", () => {
        const hostPath = { name: "host", hostPath: { path: "/" } };
        denied(create(d, pod({ runtimeClassName: "gvisor", volumes: [hostPath] })), HOSTPATH_MSG);
        allowed(create(d, pod({ runtimeClassName: "gvisor", volumes: [{ name: "scratch", emptyDir: {} }] })));
        allowed(create(d, pod({ volumes: [hostPath] })));
    });

    it("reports every broken rule at once", () => {
        const p = pod({ runtimeClassName: "kata-qemu", hostPID: true, initContainers: [{ name: "i", image: "busybox", securityContext: { privileged: true } }] });
        denied(create(d, p), HOST_MSG, PRIV_MSG);
    });

    it("exempts DaemonSet pods in kube-system, the kata-deploy namespace and user-listed namespaces", () => {
        const agent = (ns: string) =>
            pod({ hostPID: true, tolerations: [{ operator: "Exists" }], containers: [{ name: "agent", image: "agent", securityContext: { privileged: true } }] }, ns);
        for (const ns of ["kube-system", "kata-deploy", "node-agents"]) {
            const r = create(d, agent(ns));
            assert.strictEqual(r.matched, false, `${ns} must be exempt`);
            assert.strictEqual(r.allowed, true);
        }
        denied(create(d, agent("monitoring")), TOLERATION_MSG);
    });

    describe("namespace runtime requirement", () => {
        const required = { [KEYS.requireRuntime]: "gvisor" };
        it("admits a pod of the class the namespace requires", () => {
            allowed(create(d, pod({ runtimeClassName: "gvisor" }, "tenant"), { namespaceLabels: required }));
        });
        it("rejects a pod of another class, or of none, naming the required class", () => {
            const msg = `this namespace admits only pods with runtimeClassName gvisor (namespace label ${KEYS.requireRuntime})`;
            denied(create(d, pod({ runtimeClassName: "kata" }, "tenant"), { namespaceLabels: required }), msg);
            denied(create(d, pod({}, "tenant"), { namespaceLabels: required }), msg);
        });
    });

    describe("updates", () => {
        it("rejects a privileged ephemeral container added to a sandboxed pod through pods/ephemeralcontainers", () => {
            const before = withRuntimeClass(pod({ runtimeClassName: "gvisor" }), d.classes);
            const after = { ...before, spec: { ...before.spec, ephemeralContainers: [{ name: "debug", image: "busybox", securityContext: { privileged: true } }] } };
            const r = admit(d.policy, d.binding, { operation: "UPDATE", subResource: "ephemeralcontainers", namespace: "apps", object: after, oldObject: before });
            denied(r, PRIV_MSG);
        });

        it("rejects adding a sandbox toleration to a running plain pod", () => {
            const before = pod({});
            const after = { ...before, spec: { ...before.spec, tolerations: [{ key: KEYS.runtime, operator: "Exists" }] } };
            denied(admit(d.policy, d.binding, { operation: "UPDATE", namespace: "apps", object: after, oldObject: before }), TOLERATION_MSG);
        });

        it("lets a pod created before the guard be relabelled or finalised when its spec is unchanged", () => {
            const old = pod({ tolerations: [{ operator: "Exists" }] });
            const relabelled = { ...old, metadata: { ...old.metadata, labels: { a: "b" }, finalizers: [] } };
            const r = admit(d.policy, d.binding, { operation: "UPDATE", namespace: "apps", object: relabelled, oldObject: old });
            assert.strictEqual(r.matched, false);
        });
    });

    it("admits every verification Job's pod as an ordinary sandboxed workload (its namespace is not exempt)", () => {
        assert.strictEqual(d.jobs.length, 4);
        for (const job of d.jobs) {
            const template = job.spec.template;
            const p = { apiVersion: "v1", kind: "Pod", metadata: { ...template.metadata, name: "verify", namespace: job.metadata.namespace }, spec: template.spec };
            samples.push(p);
            const r = create(d, p);
            assert.strictEqual(r.matched, true, `${job.metadata.name} must be checked by the guard`);
            allowed(r);
        }
    });

    it("warns instead of rejecting in Warn mode, and records only in Audit mode", async () => {
        const warn = await deploy({ ...ARGS, admission: { action: "Warn" } });
        const r = create(warn, pod({ tolerations: [{ operator: "Exists" }] }));
        assert.deepStrictEqual([r.allowed, r.warnings], [true, [TOLERATION_MSG]]);
        const audit = await deploy({ ...ARGS, admission: { action: "Audit" } });
        const a = create(audit, pod({ tolerations: [{ operator: "Exists" }] }));
        assert.deepStrictEqual([a.allowed, a.warnings, a.violations], [true, [], [TOLERATION_MSG]]);
    });

    it("treats GKE Sandbox's gvisor as a sandbox class on GKE", async () => {
        const gke = await deploy({ cloud: Cloud.Gcp, gvisor: { gkeManaged: true } });
        const gkeTolerations = [{ key: GKE_SANDBOX_RUNTIME_KEY, operator: "Equal", value: "gvisor", effect: "NoSchedule" }];
        allowed(create(gke, pod({ runtimeClassName: "gvisor", tolerations: gkeTolerations })));
        denied(
            create(gke, pod({ tolerations: gkeTolerations })),
            "pods that tolerate a sandbox node taint (sandbox-clusters.io/runtime, startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready, sandbox.gke.io/runtime, or every taint) " +
                "must set runtimeClassName to a sandbox RuntimeClass (gvisor)",
        );
    });

    it("on AKS counts AKS's own Kata classes as sandboxed, so their pods get the sandbox rules too", async () => {
        const aks = await deploy({ cloud: Cloud.Azure, kata: { shims: ["clh"] } });
        const ours = [{ key: KEYS.runtime, operator: "Equal", value: "kata", effect: "NoSchedule" }];
        allowed(create(aks, pod({ runtimeClassName: "kata", tolerations: ours })));
        allowed(create(aks, pod({ runtimeClassName: "kata-vm-isolation", tolerations: ours })));
        denied(create(aks, pod({ runtimeClassName: "kata-vm-isolation", hostNetwork: true })), HOST_MSG);
        denied(
            create(aks, pod({ tolerations: ours })),
            "pods that tolerate a sandbox node taint (sandbox-clusters.io/runtime, startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready, sandbox.gke.io/runtime, or every taint) " +
                "must set runtimeClassName to a sandbox RuntimeClass (kata, kata-clh, kata-vm-isolation, kata-mshv-vm-isolation)",
        );
    });

    it("uses only sample pods that are valid Pod objects", async () => {
        assert.ok(samples.length > 20);
        for (const p of samples) await validateObject(p);
    });

    it("creates no policy when the guard is turned off", async () => {
        reset();
        new SandboxRuntimes("off", { ...ARGS, admission: { enabled: false } });
        await settle();
        assert.deepStrictEqual([ofType(POLICY), ofType(BINDING)], [[], []]);
    });
});
