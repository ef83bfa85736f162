// The guard's CEL, as SandboxRuntimes emits it (read from the created objects under mocks),
// evaluated for real with @marcbachmann/cel-js against sample pods and workloads (invariants 4
// and 5), per pod spec path. The last test proves every expression the component emits ran.
import * as assert from "assert";
import { Cloud, GKE_SANDBOX_RUNTIME_KEY, isolationKeys } from "../../../components/isolation";
import { SandboxRuntimes } from "../../../components/kubernetes/SandboxRuntimes";
import { SandboxRuntimesArgs } from "../../../components/kubernetes/sandboxRuntimesArgs";
import {
    HOST_NAMESPACES_RULE,
    HOST_PATH_RULE,
    COMPONENT_SETTINGS,
    hostPortsRule,
    NODE_NAME_RULE,
    PRIVILEGED_RULE,
    claimsRule,
    guardMessage,
    namespaceRuntimeRule,
    tolerationRule,
    tenantVolumeMessage,
    volumeTypesRule,
} from "../../support/guardMessages";
import { installMocks, ofType, reset, settle } from "../../support/mocks";
import { AdmissionRequest, AdmissionResult, admit, evaluated, withRuntimeClass } from "../../support/admissionModel";
import { validateObject } from "../../support/kubeSchema";
import { WORKLOAD_KINDS, WorkloadKind, workload } from "../../support/workloads";

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
const toleration = (ns: string, classes = ["gvisor", "kata", "kata-qemu", "kata-clh"]) => tolerationRule(ns, classes, COMPONENT_SETTINGS);
const HOST_NS = HOST_NAMESPACES_RULE;
const PRIVILEGED = PRIVILEGED_RULE;
const HOST_PATH = HOST_PATH_RULE;
const HOST_PORTS = hostPortsRule(COMPONENT_SETTINGS);
const NODE_NAME = NODE_NAME_RULE;
const runtimeOnly = (cls: string) => namespaceRuntimeRule(cls, KEYS.requireRuntime);
const message = guardMessage;

interface Deployed {
    policies: Record<string, any>;
    bindings: Record<string, any>;
    classes: Record<string, any>;
    jobs: any[];
}

/** Every policy the suite deployed, for the coverage check at the end. */
const deployedPolicies: any[] = [];

async function deploy(args: SandboxRuntimesArgs): Promise<Deployed> {
    reset();
    new SandboxRuntimes("guard", args);
    await settle();
    const byName = (type: string) => Object.fromEntries(ofType(type).map((r) => [r.inputs.metadata.name, r.inputs]));
    const policies = byName(POLICY);
    deployedPolicies.push(...Object.values(policies));
    return {
        policies,
        bindings: byName(BINDING),
        classes: Object.fromEntries(ofType("kubernetes:node.k8s.io/v1:RuntimeClass").map((r) => [r.inputs.metadata.name, r.inputs])),
        jobs: ofType("kubernetes:batch/v1:Job").map((r) => r.inputs),
    };
}

/** Runs a request through every policy of the guard, as the API server does. */
function review(d: Deployed, req: AdmissionRequest): AdmissionResult {
    const results = Object.values(d.policies).map((p) => {
        const binding = Object.values(d.bindings).find((b) => b.spec.policyName === p.metadata.name);
        assert.ok(binding, `policy ${p.metadata.name} has a binding`);
        return admit(p, binding, req);
    });
    return {
        matched: results.some((r) => r.matched),
        allowed: results.every((r) => r.allowed),
        violations: results.flatMap((r) => r.violations),
        warnings: results.flatMap((r) => r.warnings),
    };
}

/** Every sample object, validated against its schema once the suite ran. */
const samples: any[] = [];

const IMAGE = "registry.example/app@sha256:" + "0".repeat(64);
function podSpec(spec: Record<string, unknown>): any {
    return { containers: [{ name: "app", image: IMAGE }], ...spec };
}
function pod(spec: Record<string, unknown>, namespace = "apps"): any {
    const p = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace }, spec: podSpec(spec) };
    samples.push(p);
    return p;
}
function createPod(d: Deployed, p: any, extra: Partial<AdmissionRequest> = {}): AdmissionResult {
    return review(d, { operation: "CREATE", namespace: p.metadata.namespace, object: withRuntimeClass(p, d.classes), ...extra });
}
function ofKind(kind: WorkloadKind, spec: Record<string, unknown>, namespace = "apps"): any {
    const w = workload(kind, "w", namespace, podSpec(spec));
    samples.push(w);
    return w;
}
function createWorkload(d: Deployed, kind: WorkloadKind, obj: any, extra: Partial<AdmissionRequest> = {}): AdmissionResult {
    return review(d, { operation: "CREATE", group: kind.group, resource: kind.resource, namespace: obj.metadata.namespace, object: obj, ...extra });
}

function allowed(r: AdmissionResult): void {
    assert.deepStrictEqual(r.violations, []);
    assert.strictEqual(r.allowed, true);
}
function denied(r: AdmissionResult, expected: string): void {
    assert.strictEqual(r.allowed, false, "expected a rejection");
    assert.deepStrictEqual(r.violations, [expected]);
}

describe("SandboxRuntimes admission guard (CEL evaluated)", () => {
    let d: Deployed;
    before(async () => {
        d = await deploy(ARGS);
    });

    it("creates one policy per pod spec path and one for PersistentVolumes, each with a binding of the same name", () => {
        assert.deepStrictEqual(Object.keys(d.policies).sort(), [
            "sandbox-guard-cronjobs.sandbox-clusters.io",
            "sandbox-guard-volumes.sandbox-clusters.io",
            "sandbox-guard-workloads.sandbox-clusters.io",
            "sandbox-guard.sandbox-clusters.io",
        ]);
        assert.deepStrictEqual(Object.keys(d.bindings).sort(), Object.keys(d.policies).sort());
    });

    it("admits a sandboxed pod, with the tolerations its RuntimeClass injects", () => {
        for (const cls of ["gvisor", "kata", "kata-qemu", "kata-clh"]) {
            const r = createPod(d, pod({ runtimeClassName: cls }));
            assert.strictEqual(r.matched, true);
            allowed(r);
        }
    });

    it("admits a plain pod", () => {
        allowed(createPod(d, pod({})));
    });

    describe("tolerations (invariant 4): by key, value and effect, as the scheduler matches them", () => {
        const refused = [
            { key: KEYS.runtime, operator: "Exists", effect: "NoSchedule" },
            { key: KEYS.runtime, operator: "Exists" },
            { key: KEYS.runtime, operator: "Equal", value: "kata", effect: "NoSchedule" },
            { key: KEYS.runtime, value: "gvisor" },
            { key: KEYS.kataNotReady, operator: "Exists", effect: "NoSchedule" },
            { key: KEYS.kataNotReady, operator: "Equal", value: "true" },
            { key: GKE_SANDBOX_RUNTIME_KEY, operator: "Equal", value: "gvisor", effect: "NoSchedule" },
            { operator: "Exists" },
            { key: "", operator: "Exists", effect: "NoSchedule" },
        ];
        for (const t of refused) {
            it(`rejects ${JSON.stringify(t)} without a sandbox RuntimeClass`, () => {
                denied(createPod(d, pod({ tolerations: [t] })), message("apps", toleration("apps")));
            });
        }
        const admitted = [
            { key: KEYS.runtime, operator: "Exists", effect: "NoExecute" },
            { operator: "Exists", effect: "NoExecute" },
            { key: KEYS.runtime, operator: "Equal", value: "nosuch" },
            { key: KEYS.runtime, operator: "Equal" },
            { key: KEYS.runtime, operator: "Exists", effect: "PreferNoSchedule" },
            { operator: "Exists", effect: "PreferNoSchedule" },
            { key: KEYS.kataNotReady, operator: "Equal", value: "false" },
            { key: "dedicated", operator: "Equal", value: "batch", effect: "NoSchedule" },
            { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        ];
        for (const t of admitted) {
            it(`admits ${JSON.stringify(t)}, which tolerates no sandbox taint`, () => {
                allowed(createPod(d, pod({ tolerations: [t] })));
            });
        }
        it("rejects a pod naming a RuntimeClass that is not a sandbox while tolerating the sandbox taint", () => {
            denied(createPod(d, pod({ runtimeClassName: "runc", tolerations: [{ key: KEYS.runtime, operator: "Exists" }] })), message("apps", toleration("apps")));
        });
    });

    it("rejects a sandboxed pod asking for hostNetwork, hostPID or hostIPC (invariant 5)", () => {
        for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
            denied(createPod(d, pod({ runtimeClassName: "gvisor", [field]: true })), message("apps", HOST_NS));
        }
        allowed(createPod(d, pod({ runtimeClassName: "gvisor", hostNetwork: false, hostPID: false, hostIPC: false })));
    });

    it("rejects a sandboxed pod with a privileged container, init container or ephemeral container", () => {
        const priv = { name: "x", image: "busybox", securityContext: { privileged: true } };
        denied(createPod(d, pod({ runtimeClassName: "kata", containers: [priv] })), message("apps", PRIVILEGED));
        denied(createPod(d, pod({ runtimeClassName: "kata", initContainers: [priv] })), message("apps", PRIVILEGED));
        denied(createPod(d, pod({ runtimeClassName: "kata", ephemeralContainers: [{ ...priv, name: "debug" }] })), message("apps", PRIVILEGED));
        allowed(createPod(d, pod({ runtimeClassName: "kata", initContainers: [{ ...priv, securityContext: { privileged: false } }] })));
    });

    it("rejects a sandboxed pod with a host port in a container or init container, and ignores port 0 and plain pods", () => {
        const ported = (hostPort: number) => ({ name: "web", image: IMAGE, ports: [{ containerPort: 8080, hostPort }] });
        denied(createPod(d, pod({ runtimeClassName: "gvisor", containers: [ported(8080)] })), message("apps", HOST_PORTS));
        denied(createPod(d, pod({ runtimeClassName: "gvisor", initContainers: [ported(9000)] })), message("apps", HOST_PORTS));
        allowed(createPod(d, pod({ runtimeClassName: "gvisor", containers: [ported(0)] })));
        allowed(createPod(d, pod({ runtimeClassName: "gvisor", containers: [{ name: "web", image: IMAGE, ports: [{ containerPort: 8080 }] }] })));
        allowed(createPod(d, pod({ containers: [ported(8080)] })));
    });

    it("admits host ports of sandboxed pods when admission.allowHostPorts is on", async () => {
        const open = await deploy({ ...ARGS, admission: { allowHostPorts: true } });
        allowed(createPod(open, pod({ runtimeClassName: "gvisor", containers: [{ name: "web", image: IMAGE, ports: [{ containerPort: 80, hostPort: 80 }] }] })));
        denied(createPod(open, pod({ runtimeClassName: "gvisor", hostNetwork: true })), message("apps", HOST_NS));
    });

    it("names the settings that relax a rule as the caller asks (a program's config keys), and its own args otherwise", async () => {
        const names = { exemptNamespaces: "config key agents", allowHostPorts: "config key ports", allowedCsiDrivers: "config key csi" };
        const named = await deploy({ ...ARGS, admission: { settingNames: names } });
        const tolerating = { tolerations: [{ key: KEYS.runtime, operator: "Exists" }] };
        denied(createPod(named, pod(tolerating)), message("apps", tolerationRule("apps", ["gvisor", "kata", "kata-qemu", "kata-clh"], names)));
        denied(createPod(named, pod({ runtimeClassName: "gvisor", containers: [{ name: "web", image: IMAGE, ports: [{ containerPort: 80, hostPort: 80 }] }] })), message("apps", hostPortsRule(names)));
        denied(createPod(named, pod({ runtimeClassName: "gvisor", volumes: [{ name: "n", nfs: { server: "s", path: "/" } }] })), message("apps", volumeTypesRule([], names)));
        const partly = await deploy({ ...ARGS, admission: { settingNames: { allowHostPorts: "config key ports" } } });
        denied(createPod(partly, pod(tolerating)), message("apps", toleration("apps")));
        denied(createPod(partly, pod({ runtimeClassName: "gvisor", containers: [{ name: "web", image: IMAGE, ports: [{ containerPort: 80, hostPort: 80 }] }] })), message("apps", hostPortsRule({ ...COMPONENT_SETTINGS, allowHostPorts: "config key ports" })));
    });

    it("rejects a plain pod placed by nodeName, which would skip the sandbox nodes' NoSchedule taints (invariant 1)", () => {
        denied(createPod(d, pod({ nodeName: "ip-10-0-1-23.ec2.internal" })), message("apps", NODE_NAME));
        allowed(createPod(d, pod({ nodeName: "ip-10-0-1-23.ec2.internal", runtimeClassName: "kata" })));
        allowed(createPod(d, pod({ nodeName: "" })));
        assert.strictEqual(createPod(d, pod({ nodeName: "ip-10-0-1-23.ec2.internal" }, "kube-system")).matched, false);
    });

    it("lets the scheduler's binding of a plain pod through (a pod's nodeName is only judged at creation)", () => {
        const pending = pod({});
        const bound = { ...pending, spec: { ...pending.spec, nodeName: "general-1" } };
        allowed(review(d, { operation: "UPDATE", namespace: "apps", object: bound, oldObject: pending }));
    });

    it("rejects a sandboxed pod mounting a hostPath volume, and admits other volumes", () => {
        const hostPath = { name: "host", hostPath: { path: "/" } };
        denied(createPod(d, pod({ runtimeClassName: "gvisor", volumes: [hostPath] })), message("apps", HOST_PATH));
        allowed(createPod(d, pod({ runtimeClassName: "gvisor", volumes: [{ name: "scratch", emptyDir: {} }] })));
        allowed(createPod(d, pod({ volumes: [hostPath] })));
    });

    describe("volume types: only those the kubelet serves itself or through claims", () => {
        const NODE_MOUNTED: Record<string, unknown>[] = [
            { flexVolume: { driver: "example.com/lvm" } },
            { nfs: { server: "10.0.0.5", path: "/exports" } },
            { iscsi: { targetPortal: "10.0.0.6:3260", iqn: "iqn.2001-04.com.example:storage", lun: 0 } },
            { rbd: { monitors: ["10.0.0.7:6789"], image: "foo" } },
            { fc: { targetWWNs: ["500a0982991b8dc5"], lun: 2 } },
            { image: { reference: "registry.example/data:1" } },
            { csi: { driver: "hostpath.csi.k8s.io" } },
        ];

        it("rejects a sandboxed pod with any volume the node mounts, inline csi included, and names the knob", () => {
            for (const v of NODE_MOUNTED) {
                const volume = { name: "v", ...v };
                denied(createPod(d, pod({ runtimeClassName: "gvisor", volumes: [{ name: "ok", emptyDir: {} }, volume] })), message("apps", volumeTypesRule([], COMPONENT_SETTINGS)));
                allowed(createPod(d, pod({ volumes: [volume] })));
            }
            // hostPath keeps its own rule, reported once.
            denied(createPod(d, pod({ runtimeClassName: "kata", volumes: [{ name: "h", hostPath: { path: "/" } }, { name: "n", nfs: { server: "s", path: "/" } }] })), message("apps", HOST_PATH, volumeTypesRule([], COMPONENT_SETTINGS)));
        });

        it("admits every volume type of Pod Security's restricted list", () => {
            const volumes = [
                { name: "a", configMap: { name: "c" } },
                { name: "b", secret: { secretName: "s" } },
                { name: "c", downwardAPI: { items: [] } },
                { name: "d", projected: { sources: [] } },
                { name: "e", emptyDir: { medium: "Memory" } },
            ];
            allowed(createPod(d, pod({ runtimeClassName: "gvisor", volumes })));
        });

        it("admits inline csi volumes of the drivers admission.allowedCsiDrivers lists, and only those", async () => {
            const open = await deploy({ ...ARGS, admission: { allowedCsiDrivers: ["secrets-store.csi.k8s.io"] } });
            allowed(createPod(open, pod({ runtimeClassName: "gvisor", volumes: [{ name: "s", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true } }] })));
            denied(createPod(open, pod({ runtimeClassName: "gvisor", volumes: [{ name: "h", csi: { driver: "hostpath.csi.k8s.io" } }] })), message("apps", volumeTypesRule(["secrets-store.csi.k8s.io"], COMPONENT_SETTINGS)));
        });

        it("refuses a CSI driver name that is not one, naming the arg", () => {
            assert.throws(
                () => new SandboxRuntimes("bad-csi", { ...ARGS, admission: { allowedCsiDrivers: ["Not A Driver"] } }),
                (e: Error) => e.message.includes('admission.allowedCsiDrivers[0]: "Not A Driver" is not a CSI driver name such as "secrets-store.csi.k8s.io"'),
            );
        });
    });

    describe("claims: no way to the node's disk through a PersistentVolume", () => {
        const tenantLabels = { [KEYS.requireRuntime]: "gvisor" };
        const claimVolume = { name: "data", persistentVolumeClaim: { claimName: "data" } };
        const ephemeral = {
            name: "scratch",
            ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } },
        };
        const claimTemplates = [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }];
        const sts = WORKLOAD_KINDS.find((k) => k.kind === "StatefulSet")!;

        it("rejects claim and ephemeral volumes of sandboxed pods outside tenant namespaces, and admits them in one", () => {
            for (const v of [claimVolume, ephemeral]) {
                denied(createPod(d, pod({ runtimeClassName: "gvisor", volumes: [v] })), message("apps", claimsRule(KEYS.requireRuntime)));
                allowed(createPod(d, pod({ runtimeClassName: "gvisor", volumes: [v] }, "tenant"), { namespaceLabels: tenantLabels }));
                allowed(createPod(d, pod({ volumes: [v] })));
            }
        });

        it("rejects a sandboxed StatefulSet with claim templates outside tenant namespaces, and judges a change of them", () => {
            const obj = ofKind(sts, { runtimeClassName: "gvisor" });
            obj.spec.volumeClaimTemplates = claimTemplates;
            denied(createWorkload(d, sts, obj), message("apps", claimsRule(KEYS.requireRuntime)));
            allowed(createWorkload(d, sts, { ...obj, metadata: { ...obj.metadata, namespace: "tenant" } }, { namespaceLabels: tenantLabels }));
            const before = ofKind(sts, { runtimeClassName: "gvisor" });
            denied(createWorkload(d, sts, obj, { operation: "UPDATE", oldObject: before }), message("apps", claimsRule(KEYS.requireRuntime)));
            // Scaling a StatefulSet made before the guard passes.
            const scaled = { ...obj, spec: { ...obj.spec, replicas: 3 } };
            const r = createWorkload(d, sts, scaled, { operation: "UPDATE", oldObject: obj });
            assert.deepStrictEqual([r.matched, r.allowed], [false, true]);
            allowed(createWorkload(d, sts, ofKind(sts, { runtimeClassName: "gvisor" })));
        });

        const tenant = { apiVersion: "v1", kind: "Namespace", metadata: { name: "tenant", labels: { ...tenantLabels, "kubernetes.io/metadata.name": "tenant" } } };
        const plainNs = { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps", labels: { "kubernetes.io/metadata.name": "apps" } } };
        const exemptTenant = { apiVersion: "v1", kind: "Namespace", metadata: { name: "node-agents", labels: { ...tenantLabels, "kubernetes.io/metadata.name": "node-agents" } } };
        const params = [tenant, plainNs, exemptTenant];
        const pv = (source: Record<string, unknown>, claimNs?: string) => {
            const obj = {
                apiVersion: "v1",
                kind: "PersistentVolume",
                metadata: { name: "pv-1" },
                spec: {
                    capacity: { storage: "1Gi" },
                    accessModes: ["ReadWriteOnce"],
                    ...source,
                    ...(claimNs ? { claimRef: { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: claimNs, name: "data" } } : {}),
                },
            };
            samples.push(obj);
            return obj;
        };
        const hostPathSource = { hostPath: { path: "/" } };
        const localSource = {
            local: { path: "/mnt/disks/1" },
            nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["n1"] }] }] } },
        };
        const reviewPv = (obj: any, extra: Partial<AdmissionRequest> = {}) => review(d, { operation: "CREATE", resource: "persistentvolumes", object: obj, params, ...extra });

        it("rejects a hostPath or local PersistentVolume created bound to a tenant namespace's claim", () => {
            denied(reviewPv(pv(hostPathSource, "tenant")), tenantVolumeMessage("pv-1", "hostPath", "tenant", "data", KEYS.requireRuntime));
            denied(reviewPv(pv(localSource, "tenant")), tenantVolumeMessage("pv-1", "local", "tenant", "data", KEYS.requireRuntime));
        });

        it("rejects the PV controller binding such a PV to a tenant claim, and lets other updates of it through", () => {
            const unbound = pv(hostPathSource);
            denied(reviewPv(pv(hostPathSource, "tenant"), { operation: "UPDATE", oldObject: unbound }), tenantVolumeMessage("pv-1", "hostPath", "tenant", "data", KEYS.requireRuntime));
            const bound = pv(hostPathSource, "tenant");
            const relabelled = { ...bound, metadata: { ...bound.metadata, labels: { tier: "x" } } };
            const r = reviewPv(relabelled, { operation: "UPDATE", oldObject: bound });
            assert.deepStrictEqual([r.matched, r.allowed], [false, true], "a PV bound before the guard can still be changed");
            const moved = { ...bound, spec: { ...bound.spec, claimRef: { ...bound.spec.claimRef, name: "other" } } };
            denied(reviewPv(moved, { operation: "UPDATE", oldObject: bound }), tenantVolumeMessage("pv-1", "hostPath", "tenant", "other", KEYS.requireRuntime));
        });

        it("admits node volumes for plain and exempt namespaces, unbound ones, and network or CSI volumes for tenants", () => {
            allowed(reviewPv(pv(hostPathSource, "apps")));
            allowed(reviewPv(pv(localSource, "node-agents")));
            allowed(reviewPv(pv(hostPathSource)));
            allowed(reviewPv(pv({ csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-1" } }, "tenant")));
            allowed(reviewPv(pv({ nfs: { server: "nfs.internal", path: "/export" } }, "tenant")));
            // No tenant namespace at all: nothing to judge against.
            allowed(reviewPv(pv(hostPathSource, "tenant"), { params: [plainNs] }));
        });

        it("selects as params every tenant namespace that is not exempt", () => {
            const b = Object.values(d.bindings).find((x) => x.spec.paramRef)!;
            assert.deepStrictEqual(b.spec.paramRef, {
                selector: {
                    matchExpressions: [
                        { key: KEYS.requireRuntime, operator: "Exists" },
                        { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", "kata-deploy", "node-agents"] },
                    ],
                },
                parameterNotFoundAction: "Allow",
            });
        });
    });

    it("names every broken rule in one message, most important first", () => {
        const p = pod({
            runtimeClassName: "kata-qemu",
            hostPID: true,
            initContainers: [{ name: "i", image: "busybox", securityContext: { privileged: true }, ports: [{ containerPort: 1, hostPort: 1 }] }],
            volumes: [{ name: "host", hostPath: { path: "/" } }],
        }, "tenant");
        const r = createPod(d, p, { namespaceLabels: { [KEYS.requireRuntime]: "gvisor" } });
        denied(r, message("tenant", runtimeOnly("gvisor"), HOST_NS, PRIVILEGED, HOST_PATH, HOST_PORTS));
        const plain = pod({ nodeName: "n1", tolerations: [{ operator: "Exists" }] }, "monitoring");
        denied(createPod(d, plain), message("monitoring", toleration("monitoring"), NODE_NAME));
    });

    it("exempts pods and workloads in kube-system, the kata-deploy namespace and user-listed namespaces by the bindings' namespaceSelector", () => {
        for (const b of Object.values(d.bindings).filter((b) => !b.spec.paramRef)) {
            assert.deepStrictEqual(b.spec.matchResources.namespaceSelector, {
                matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", "kata-deploy", "node-agents"] }],
            });
        }
        const agent = { hostPID: true, tolerations: [{ operator: "Exists" }], containers: [{ name: "agent", image: "agent", securityContext: { privileged: true } }] };
        for (const ns of ["kube-system", "kata-deploy", "node-agents"]) {
            const r = createPod(d, pod(agent, ns));
            assert.deepStrictEqual([r.matched, r.allowed], [false, true], `${ns} must be exempt`);
            for (const kind of WORKLOAD_KINDS) {
                const w = createWorkload(d, kind, ofKind(kind, agent, ns));
                assert.deepStrictEqual([w.matched, w.allowed], [false, true], `${kind.kind} in ${ns} must be exempt`);
            }
        }
        denied(createPod(d, pod(agent, "monitoring")), message("monitoring", toleration("monitoring")));
    });

    describe("workloads, judged at apply with the pods' rules and messages", () => {
        const bad = { tolerations: [{ operator: "Exists" }] };
        for (const kind of WORKLOAD_KINDS) {
            describe(kind.kind, () => {
                it("rejects a pod template that tolerates a sandbox taint without a sandbox RuntimeClass", () => {
                    const r = createWorkload(d, kind, ofKind(kind, bad));
                    denied(r, message("apps", toleration("apps")));
                    assert.deepStrictEqual(r.violations, createPod(d, pod(bad)).violations);
                });

                it("rejects a sandboxed template that opts out of its sandbox, naming every broken rule", () => {
                    const spec = { runtimeClassName: "gvisor", hostNetwork: true, volumes: [{ name: "h", hostPath: { path: "/" } }] };
                    denied(createWorkload(d, kind, ofKind(kind, spec)), message("apps", HOST_NS, HOST_PATH));
                });

                it("rejects a plain template with nodeName, and a template outside its namespace's runtime", () => {
                    denied(createWorkload(d, kind, ofKind(kind, { nodeName: "general-1" })), message("apps", NODE_NAME));
                    const r = createWorkload(d, kind, ofKind(kind, { runtimeClassName: "kata" }, "tenant"), { namespaceLabels: { [KEYS.requireRuntime]: "gvisor" } });
                    denied(r, message("tenant", runtimeOnly("gvisor")));
                });

                it("admits a sandboxed template and a plain one", () => {
                    allowed(createWorkload(d, kind, ofKind(kind, { runtimeClassName: "kata-clh" })));
                    allowed(createWorkload(d, kind, ofKind(kind, {})));
                });

                it("rejects an update that changes the pod template, and lets one that leaves it alone through", () => {
                    const good = ofKind(kind, { runtimeClassName: "gvisor" });
                    const worse = ofKind(kind, { runtimeClassName: "gvisor", hostIPC: true });
                    const u = createWorkload(d, kind, worse, { operation: "UPDATE", oldObject: good });
                    denied(u, message("apps", HOST_NS));
                    // An object admitted before the guard existed can still be scaled or relabelled.
                    const old = ofKind(kind, bad);
                    const relabelled = { ...old, metadata: { ...old.metadata, labels: { a: "b" } }, spec: { ...old.spec, replicas: 3 } };
                    const r = createWorkload(d, kind, relabelled, { operation: "UPDATE", oldObject: old });
                    assert.deepStrictEqual([r.matched, r.allowed], [false, true]);
                });
            });
        }
    });

    describe("namespace runtime requirement", () => {
        const required = { [KEYS.requireRuntime]: "gvisor" };
        it("admits a pod of the class the namespace requires", () => {
            allowed(createPod(d, pod({ runtimeClassName: "gvisor" }, "tenant"), { namespaceLabels: required }));
        });
        it("rejects a pod of another class, or of none, naming the required class", () => {
            denied(createPod(d, pod({ runtimeClassName: "kata" }, "tenant"), { namespaceLabels: required }), message("tenant", runtimeOnly("gvisor")));
            denied(createPod(d, pod({}, "tenant"), { namespaceLabels: required }), message("tenant", runtimeOnly("gvisor")));
        });
    });

    describe("pod updates", () => {
        it("rejects a privileged ephemeral container added to a sandboxed pod through pods/ephemeralcontainers", () => {
            const before = withRuntimeClass(pod({ runtimeClassName: "gvisor" }), d.classes);
            const after = { ...before, spec: { ...before.spec, ephemeralContainers: [{ name: "debug", image: "busybox", securityContext: { privileged: true } }] } };
            denied(review(d, { operation: "UPDATE", subResource: "ephemeralcontainers", namespace: "apps", object: after, oldObject: before }), message("apps", PRIVILEGED));
        });

        it("rejects adding a sandbox toleration to a running plain pod", () => {
            const before = pod({});
            const after = { ...before, spec: { ...before.spec, tolerations: [{ key: KEYS.runtime, operator: "Exists" }] } };
            denied(review(d, { operation: "UPDATE", namespace: "apps", object: after, oldObject: before }), message("apps", toleration("apps")));
        });

        it("lets a pod created before the guard be relabelled or finalised when its spec is unchanged", () => {
            const old = pod({ tolerations: [{ operator: "Exists" }] });
            const relabelled = { ...old, metadata: { ...old.metadata, labels: { a: "b" }, finalizers: [] } };
            assert.strictEqual(review(d, { operation: "UPDATE", namespace: "apps", object: relabelled, oldObject: old }).matched, false);
        });
    });

    it("admits every verification Job, and its pod, as an ordinary sandboxed workload (its namespace is not exempt)", () => {
        const jobs = WORKLOAD_KINDS.find((k) => k.kind === "Job")!;
        assert.strictEqual(d.jobs.length, 4);
        for (const job of d.jobs) {
            const r = createWorkload(d, jobs, job);
            assert.strictEqual(r.matched, true, `${job.metadata.name} must be checked by the guard`);
            allowed(r);
            const template = job.spec.template;
            const p = { apiVersion: "v1", kind: "Pod", metadata: { ...template.metadata, name: "verify", namespace: job.metadata.namespace }, spec: template.spec };
            samples.push(p);
            allowed(createPod(d, p));
        }
    });

    it("warns instead of rejecting in Warn mode, and records only in Audit mode, for pods and workloads alike", async () => {
        const bad = { tolerations: [{ operator: "Exists" }] };
        const deployment = WORKLOAD_KINDS.find((k) => k.kind === "Deployment")!;
        const cronJob = WORKLOAD_KINDS.find((k) => k.kind === "CronJob")!;
        const warn = await deploy({ ...ARGS, admission: { action: "Warn" } });
        for (const r of [createPod(warn, pod(bad)), createWorkload(warn, deployment, ofKind(deployment, bad)), createWorkload(warn, cronJob, ofKind(cronJob, bad))]) {
            assert.deepStrictEqual([r.allowed, r.warnings], [true, [message("apps", toleration("apps"))]]);
        }
        const audit = await deploy({ ...ARGS, admission: { action: "Audit" } });
        for (const r of [createPod(audit, pod(bad)), createWorkload(audit, deployment, ofKind(deployment, bad))]) {
            assert.deepStrictEqual([r.allowed, r.warnings, r.violations], [true, [], [message("apps", toleration("apps"))]]);
        }
    });

    it("treats GKE Sandbox's gvisor as a sandbox class on GKE, in pods and workloads", async () => {
        const gke = await deploy({ cloud: Cloud.Gcp, gvisor: { gkeManaged: true } });
        const gkeTolerations = [{ key: GKE_SANDBOX_RUNTIME_KEY, operator: "Equal", value: "gvisor", effect: "NoSchedule" }];
        allowed(createPod(gke, pod({ runtimeClassName: "gvisor", tolerations: gkeTolerations })));
        denied(createPod(gke, pod({ tolerations: gkeTolerations })), message("apps", toleration("apps", ["gvisor"])));
        const daemonSet = WORKLOAD_KINDS.find((k) => k.kind === "DaemonSet")!;
        allowed(createWorkload(gke, daemonSet, ofKind(daemonSet, { runtimeClassName: "gvisor" })));
        denied(createWorkload(gke, daemonSet, ofKind(daemonSet, { tolerations: gkeTolerations })), message("apps", toleration("apps", ["gvisor"])));
    });

    it("on AKS counts AKS's own Kata classes as sandboxed, so their pods and workloads get the sandbox rules too", async () => {
        const aks = await deploy({ cloud: Cloud.Azure, kata: { shims: ["clh"] } });
        const ours = [{ key: KEYS.runtime, operator: "Equal", value: "kata", effect: "NoSchedule" }];
        allowed(createPod(aks, pod({ runtimeClassName: "kata", tolerations: ours })));
        allowed(createPod(aks, pod({ runtimeClassName: "kata-vm-isolation", tolerations: ours })));
        denied(createPod(aks, pod({ runtimeClassName: "kata-vm-isolation", hostNetwork: true })), message("apps", HOST_NS));
        const aksClasses = ["kata", "kata-clh", "kata-vm-isolation", "kata-mshv-vm-isolation"];
        denied(createPod(aks, pod({ tolerations: ours })), message("apps", toleration("apps", aksClasses)));
        const deployment = WORKLOAD_KINDS.find((k) => k.kind === "Deployment")!;
        denied(createWorkload(aks, deployment, ofKind(deployment, { tolerations: ours })), message("apps", toleration("apps", aksClasses)));
    });

    it("uses only sample objects that are valid against their schemas", async () => {
        assert.ok(samples.length > 50);
        for (const s of samples) await validateObject(s);
    });

    it("creates no policy when the guard is turned off", async () => {
        reset();
        new SandboxRuntimes("off", { ...ARGS, admission: { enabled: false } });
        await settle();
        assert.deepStrictEqual([ofType(POLICY), ofType(BINDING)], [[], []]);
    });

    // Mocha runs a suite's own tests before its nested suites: this one runs last.
    describe("coverage", () => it("evaluated every expression of every policy the component emitted", () => {
        const expressions = deployedPolicies.flatMap((p) => [
            ...p.spec.matchConditions.map((m: any) => m.expression),
            ...p.spec.variables.map((v: any) => v.expression),
            ...p.spec.validations.flatMap((v: any) => [v.expression, v.messageExpression].filter(Boolean)),
        ]);
        const missed = [...new Set(expressions)].filter((e) => !evaluated.has(e));
        assert.deepStrictEqual(missed, []);
    }));
});
