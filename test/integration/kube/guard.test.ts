// The admission guard as users meet it, judged by a real kube-apiserver and kube-scheduler: for
// the EKS stacks and for the GKE stack with the guard on Deny, workloads with bad pod templates
// are refused at apply (`--dry-run=server` included) with the pods' own message, tolerations that
// cannot reach a sandbox node are not refused (and still do not reach one), host ports are
// refused, and exempt namespaces are left alone by the bindings' namespaceSelector.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { Cloud, GKE_SANDBOX_RUNTIME_KEY, Runtime, isolationKeys, runtimeClassScheduling } from "../../../components/isolation";
import {
    HOST_NAMESPACES_RULE,
    hostPortsRule,
    NODE_NAME_RULE,
    PRIVILEGED_RULE,
    claimsRule,
    guardMessage,
    namespaceRuntimeRule,
    tenantVolumeMessage,
    tolerationRule,
    volumeTypesRule,
} from "../../support/guardMessages";
import { KubeObject, KubeResponse } from "../../support/kubeClient";
import { ControlPlane, requireBinaries } from "../../support/kubeControlPlane";
import { deniedMessage, guardFor, waitGuardJudges } from "../../support/kubeGuard";
import { NodeRole, NodeSpec, createNamespace, ensureDefaultServiceAccount } from "../../support/kubeNodes";
import { podObject, waitBound, waitScheduled } from "../../support/kubePods";
import { StackPlan, ofKind, planStack, startWithPlan } from "../../support/kubeStack";
import { WORKLOAD_KINDS, workload } from "../../support/workloads";
import { resolveNamespaceArgs } from "../../../components/kubernetes/sandboxNamespaceArgs";
import { sandboxNamespaceObjects } from "../../../components/kubernetes/namespaceObjects";

const STACKS_DIR = path.join(__dirname, "..", "..", "..", "stacks");
const APPS = "apps";
const IMAGE = "registry.example/app:1.0";

interface Case {
    /** Stack name, or the path of a stack file written for the test. */
    stack: string;
    title: string;
    cloud: Cloud;
}

/** The dev stack (GKE) with the guard on Deny: its own mode is Warn, judged in gkeStack.test.ts. */
function gkeOnDeny(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-clusters-guard-"));
    const doc = YAML.parse(fs.readFileSync(path.join(STACKS_DIR, "Pulumi.dev.yaml"), "utf8"));
    doc.config["sandbox:admissionMode"] = "Deny";
    const file = path.join(dir, "Pulumi.dev-deny.yaml");
    fs.writeFileSync(file, YAML.stringify(doc));
    return file;
}

const CASES: Case[] = [
    { stack: "staging", title: "staging (EKS)", cloud: Cloud.Aws },
    { stack: "prod", title: "prod (EKS, adopted)", cloud: Cloud.Aws },
    { stack: "", title: "dev (GKE) on Deny", cloud: Cloud.Gcp },
];

for (const c of CASES) describe(`admission guard of stack ${c.title} on a real kube-apiserver and kube-scheduler`, function () {
    this.timeout(180_000);
    const nodes: NodeSpec[] = [
        { name: "general-1", role: NodeRole.General, cloud: c.cloud },
        { name: "general-2", role: NodeRole.General, cloud: c.cloud },
        { name: "gvisor-1", role: NodeRole.Gvisor, cloud: c.cloud },
        { name: "kata-1", role: NodeRole.KataReady, cloud: c.cloud },
        { name: "kata-starting-1", role: NodeRole.KataStarting, cloud: c.cloud },
    ];
    const general = nodes.filter((n) => n.role === NodeRole.General).map((n) => n.name);
    let cp: ControlPlane;
    let plan: StackPlan;
    let classes: string[];
    let exempt: string[];
    let seq = 0;
    const name = (prefix: string) => `${prefix}-${++seq}`;

    /** The toleration rule's text for namespace `ns`, naming the stack's sandbox classes. */
    const toleration = (ns = APPS) => tolerationRule(ns, classes);
    const podSpec = (extra: Record<string, unknown> = {}) => ({ containers: [{ name: "app", image: IMAGE }], ...extra });
    const denied = (kind: { group: string; resource: string }, objName: string, ns: string, ...rules: string[]) =>
        deniedMessage(guardFor(plan, kind.group, kind.resource), kind.group, kind.resource, objName, guardMessage(ns, ...rules));
    const POD = { group: "", resource: "pods" };

    /** `kubectl apply --server-side --dry-run=server`. */
    async function serverSideDryRun(obj: KubeObject): Promise<KubeResponse> {
        const p = await cp.admin.objectPath(obj);
        return cp.admin.request("PATCH", `${p}?fieldManager=kubectl&dryRun=All`, obj, "application/apply-patch+yaml");
    }

    before(async function () {
        const bin = requireBinaries(this);
        const stack = c.stack || gkeOnDeny();
        plan = planStack(stack);
        if (!c.stack) fs.rmSync(path.dirname(stack), { recursive: true, force: true });
        // GKE creates and owns RuntimeClass gvisor; every other class is in the plan.
        classes = [...(c.cloud === Cloud.Gcp ? ["gvisor"] : []), ...ofKind(plan, "RuntimeClass").map((rc) => rc.metadata.name)];
        const podPolicy = guardFor(plan, "", "pods");
        exempt = podPolicy.binding.spec.matchResources.namespaceSelector.matchExpressions[0].values;
        cp = await startWithPlan(bin, plan, nodes, APPS);
        if (c.cloud === Cloud.Gcp) {
            await cp.admin.apply({ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: "gvisor" }, handler: "gvisor", scheduling: runtimeClassScheduling(Runtime.Gvisor, Cloud.Gcp) });
        }
        for (const ns of exempt) {
            if (ns === "kube-system") await ensureDefaultServiceAccount(cp.admin, ns);
            else if (!ofKind(plan, "Namespace").some((n) => n.metadata.name === ns)) await createNamespace(cp.admin, ns);
        }
        const bad = podSpec({ tolerations: [{ operator: "Exists" }] });
        const deployment = WORKLOAD_KINDS.find((k) => k.kind === "Deployment")!;
        const cronJob = WORKLOAD_KINDS.find((k) => k.kind === "CronJob")!;
        await waitGuardJudges(cp.admin, [
            { ...podObject("probe", APPS), spec: bad },
            workload(deployment, "probe", APPS, bad),
            workload(cronJob, "probe", APPS, bad),
        ]);
    });
    after(async () => {
        await cp?.stop();
    });

    it("excludes kube-system and the exempt namespaces in every binding's namespaceSelector, before any CEL runs", () => {
        const stackFile = c.stack ? YAML.parse(fs.readFileSync(path.join(STACKS_DIR, `Pulumi.${c.stack}.yaml`), "utf8")) : { config: {} };
        const listed: string[] = stackFile.config["sandbox:admissionExemptNamespaces"] ?? [];
        const kataNamespace = plan.helm[0]?.release.namespace;
        // On GKE, Managed Service for Prometheus' namespaces too: its collector must run on every node.
        const gke = c.cloud === Cloud.Gcp ? ["gmp-system", "gke-gmp-system"] : [];
        assert.deepStrictEqual(exempt, ["kube-system", ...gke, ...(kataNamespace ? [kataNamespace] : []), ...listed]);
        const volumes = guardFor(plan, "", "persistentvolumes").binding;
        // PersistentVolumes have no namespace: that binding's params (the tenant namespaces) leave the exempt ones out.
        assert.deepStrictEqual(volumes.spec.paramRef.selector.matchExpressions[1], { key: "kubernetes.io/metadata.name", operator: "NotIn", values: exempt });
        for (const b of ofKind(plan, "ValidatingAdmissionPolicyBinding").filter((b) => b !== volumes)) {
            assert.deepStrictEqual(b.spec.matchResources.namespaceSelector, {
                matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: exempt }],
            }, b.metadata.name);
        }
    });

    it("lets kube-system and the exempt namespaces through even when a policy fails to evaluate (failurePolicy Fail)", async () => {
        const { policy, binding } = guardFor(plan, "", "pods");
        const probe = "broken-guard-probe";
        const failing = "object.spec.noSuchField == ''";
        await cp.admin.apply({ ...policy, metadata: { name: probe }, spec: { ...policy.spec, validations: [{ expression: failing, message: "unreachable", reason: "Forbidden" }] } });
        await cp.admin.apply({ ...binding, metadata: { name: probe }, spec: { ...binding.spec, policyName: probe } });
        try {
            const plain = podObject("plain", APPS);
            let res = await cp.admin.create(plain, { dryRun: true });
            for (let i = 0; i < 150 && res.status === 201; i++) {
                await new Promise((r) => setTimeout(r, 200));
                res = await cp.admin.create(plain, { dryRun: true });
            }
            assert.strictEqual(res.status, 422, `the failing policy refuses every pod it judges: ${res.body?.message}`);
            assert.match(res.body.message, new RegExp(`^pods "plain" is forbidden: ValidatingAdmissionPolicy '${probe}' with binding '${probe}' denied request: expression '${failing}' resulted in error: no such key: noSuchField$`));
            for (const ns of exempt) {
                const agent = await cp.admin.create(podObject(name("agent"), ns, { tolerations: [{ operator: "Exists" }] }), { dryRun: true });
                assert.strictEqual(agent.status, 201, `${ns}: ${agent.body?.message}`);
            }
        } finally {
            await cp.admin.ok("DELETE", `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/${probe}`);
            await cp.admin.ok("DELETE", `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${probe}`);
            // Removed asynchronously too: wait until it judges nothing, for the tests after this one.
            for (let i = 0; i < 150 && (await cp.admin.create(podObject("plain", APPS), { dryRun: true })).status !== 201; i++) {
                await new Promise((r) => setTimeout(r, 200));
            }
        }
    });

    for (const kind of WORKLOAD_KINDS) {
        it(`refuses a ${kind.kind} whose pod template tolerates a sandbox taint, at create and at --dry-run=server, with the pods' message`, async () => {
            const objName = name(kind.resource);
            const tolerations = [{ key: isolationKeys().runtime, operator: "Exists" }];
            const obj = workload(kind, objName, APPS, podSpec({ tolerations }));
            const expected = denied(kind, objName, APPS, toleration());
            for (const res of [await cp.admin.create(obj, { dryRun: true }), await serverSideDryRun(obj), await cp.admin.create(obj)]) {
                assert.strictEqual(res.status, 403, res.text.slice(0, 300));
                assert.strictEqual(res.body.message, expected);
            }
            // Its pod would have been refused with the same text.
            const p = await cp.admin.create({ ...podObject(objName, APPS), spec: podSpec({ tolerations }) });
            assert.strictEqual(p.body.message, denied(POD, objName, APPS, toleration()));
        });

        it(`admits a ${kind.kind} whose pod template breaks every rule in an exempt namespace, and a sandboxed one anywhere`, async () => {
            const agent = podSpec({ hostPID: true, tolerations: [{ operator: "Exists" }], nodeName: "gvisor-1" });
            for (const ns of exempt) {
                const res = await cp.admin.create(workload(kind, name(kind.resource), ns, agent));
                assert.strictEqual(res.status, 201, `${ns}: ${res.body?.message}`);
            }
            const sandboxed = await cp.admin.create(workload(kind, name(kind.resource), APPS, podSpec({ runtimeClassName: classes[0] })));
            assert.strictEqual(sandboxed.status, 201, sandboxed.body?.message);
        });
    }

    it("refuses an update that breaks a Deployment's pod template, and lets scaling through", async () => {
        const kind = WORKLOAD_KINDS.find((k) => k.kind === "Deployment")!;
        const objName = name("deployments");
        const created = await cp.admin.create(workload(kind, objName, APPS, podSpec({ runtimeClassName: classes[0] })));
        assert.strictEqual(created.status, 201, created.body?.message);
        const p = await cp.admin.objectPath(created.body);
        const patch = (body: unknown) => cp.admin.request("PATCH", p, body, "application/merge-patch+json");
        const worse = await patch({ spec: { template: { spec: { hostNetwork: true, containers: [{ name: "app", image: IMAGE, securityContext: { privileged: true } }] } } } });
        assert.strictEqual(worse.status, 403);
        assert.strictEqual(worse.body.message, denied(kind, objName, APPS, HOST_NAMESPACES_RULE, PRIVILEGED_RULE));
        const scaled = await patch({ spec: { replicas: 5 } });
        assert.strictEqual(scaled.status, 200, scaled.body?.message);
    });

    it("admits tolerations that cannot tolerate a sandbox taint, and the scheduler still keeps those pods off sandbox nodes", async () => {
        const key = c.cloud === Cloud.Gcp ? GKE_SANDBOX_RUNTIME_KEY : isolationKeys().runtime;
        const harmless = [
            [{ key, operator: "Exists", effect: "NoExecute" }],
            [{ operator: "Exists", effect: "NoExecute" }],
            [{ key, operator: "Equal", value: "nosuch" }],
            [{ key, operator: "Exists", effect: "PreferNoSchedule" }, { operator: "Exists", effect: "PreferNoSchedule" }],
        ];
        const deployment = WORKLOAD_KINDS.find((k) => k.kind === "Deployment")!;
        for (const tolerations of harmless) {
            const dep = await cp.admin.create(workload(deployment, name("deployments"), APPS, podSpec({ tolerations })));
            assert.strictEqual(dep.status, 201, `${JSON.stringify(tolerations)}: ${dep.body?.message}`);
            const names: string[] = [];
            for (let i = 0; i < 4; i++) {
                const res = await cp.admin.create(podObject(name("tolerant"), APPS, { tolerations }));
                assert.strictEqual(res.status, 201, `${JSON.stringify(tolerations)}: ${res.body?.message}`);
                names.push(res.body.metadata.name);
            }
            for (const n of names) {
                const node = await waitBound(cp.admin, APPS, n);
                assert.ok(general.includes(node), `${JSON.stringify(tolerations)}: bound to ${node}`);
            }
        }
    });

    it("refuses host ports for sandboxed pods and workloads, and leaves plain ones alone", async () => {
        const ported = (extra: Record<string, unknown>) => podSpec({ ...extra, containers: [{ name: "web", image: IMAGE, ports: [{ containerPort: 8080, hostPort: 8080 }] }] });
        for (const cls of classes) {
            const podName = name("ported");
            const res = await cp.admin.create({ ...podObject(podName, APPS), spec: ported({ runtimeClassName: cls }) });
            assert.strictEqual(res.status, 403, `${cls}: ${res.body?.message}`);
            assert.strictEqual(res.body.message, denied(POD, podName, APPS, hostPortsRule()));
        }
        const ds = WORKLOAD_KINDS.find((k) => k.kind === "DaemonSet")!;
        const dsName = name("daemonsets");
        const refused = await cp.admin.create(workload(ds, dsName, APPS, ported({ runtimeClassName: classes[0] })));
        assert.strictEqual(refused.body.message, denied(ds, dsName, APPS, hostPortsRule()));
        const plain = await cp.admin.create({ ...podObject(name("ported"), APPS), spec: ported({}) });
        assert.strictEqual(plain.status, 201, plain.body?.message);
    });

    it("refuses sandboxed pods and workloads a volume the node mounts (nfs, flexVolume, inline csi), and leaves plain ones alone", async () => {
        const mounted = [
            { name: "n", nfs: { server: "10.0.0.5", path: "/exports" } },
            { name: "f", flexVolume: { driver: "example.com/lvm" } },
            { name: "c", csi: { driver: "hostpath.csi.k8s.io" } },
        ];
        for (const volume of mounted) {
            const podName = name("mounted");
            const res = await cp.admin.create({ ...podObject(podName, APPS), spec: podSpec({ runtimeClassName: classes[0], volumes: [{ name: "ok", emptyDir: {} }, volume] }) }, { dryRun: true });
            assert.strictEqual(res.status, 403, `${Object.keys(volume)[1]}: ${res.body?.message}`);
            assert.strictEqual(res.body.message, denied(POD, podName, APPS, volumeTypesRule()));
            const plain = await cp.admin.create({ ...podObject(name("mounted"), APPS), spec: podSpec({ volumes: [volume] }) }, { dryRun: true });
            assert.strictEqual(plain.status, 201, plain.body?.message);
        }
        const deploy = WORKLOAD_KINDS.find((k) => k.kind === "Deployment")!;
        const deployName = name("deployments");
        const refused = await cp.admin.create(workload(deploy, deployName, APPS, podSpec({ runtimeClassName: classes[0], volumes: [mounted[0]] })), { dryRun: true });
        assert.strictEqual(refused.body.message, denied(deploy, deployName, APPS, volumeTypesRule()));
    });

    it("names the namespace and every broken rule of a node agent outside the exempt namespaces", async () => {
        await createNamespace(cp.admin, "monitoring-agents");
        const ds = WORKLOAD_KINDS.find((k) => k.kind === "DaemonSet")!;
        const dsName = name("daemonsets");
        const res = await cp.admin.create(workload(ds, dsName, "monitoring-agents", podSpec({ tolerations: [{ operator: "Exists" }], nodeName: "general-1" })));
        assert.strictEqual(res.status, 403);
        assert.strictEqual(res.body.message, denied(ds, dsName, "monitoring-agents", toleration("monitoring-agents"), NODE_NAME_RULE));
    });

    describe("no way from a sandboxed pod to the node's disk through a PersistentVolume", () => {
        const TENANT = "tenant-volumes";
        const pvPath = "/api/v1/persistentvolumes";
        const volumesGuard = () => guardFor(plan, "", "persistentvolumes");
        const claimRef = (ns: string, claim: string) => ({ kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: ns, name: claim });
        const hostPathPv = (pvName: string, extra: Record<string, unknown> = {}) => ({
            apiVersion: "v1",
            kind: "PersistentVolume",
            metadata: { name: pvName },
            spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], persistentVolumeReclaimPolicy: "Retain", storageClassName: "", hostPath: { path: "/" }, ...extra },
        });
        const localPv = (pvName: string, extra: Record<string, unknown> = {}) => ({
            ...hostPathPv(pvName, extra),
            spec: {
                capacity: { storage: "1Gi" },
                accessModes: ["ReadWriteOnce"],
                storageClassName: "",
                local: { path: "/" },
                nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["gvisor-1"] }] }] } },
                ...extra,
            },
        });
        const claim = (claimName: string, ns: string, extra: Record<string, unknown> = {}) => ({
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            metadata: { name: claimName, namespace: ns },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...extra },
        });
        const claimPod = (podName: string, ns: string, claimName: string, cls?: string) => ({
            ...podObject(podName, ns, cls ? { runtimeClassName: cls } : {}),
            spec: {
                ...(cls ? { runtimeClassName: cls } : {}),
                containers: [{ name: "app", image: IMAGE, volumeMounts: [{ name: "data", mountPath: "/data" }] }],
                volumes: [{ name: "data", persistentVolumeClaim: { claimName } }],
            },
        });
        const deniedPv = (pvName: string, message: string) => deniedMessage(volumesGuard(), "", "persistentvolumes", pvName, message);
        /** What the PV controller does to bind a claim: it writes the PV's claimRef. */
        const bindPv = async (pvName: string, ns: string, claimName: string) => {
            const pvc = await cp.admin.get("v1", "PersistentVolumeClaim", claimName, ns);
            return cp.admin.request("PATCH", `${pvPath}/${pvName}`, { spec: { claimRef: { ...claimRef(ns, claimName), uid: pvc.metadata.uid } } }, "application/merge-patch+json");
        };
        let gvisor: string;

        before(async () => {
            gvisor = classes.includes("gvisor") ? "gvisor" : classes[0];
            await createNamespace(cp.admin, TENANT, { [isolationKeys().requireRuntime]: gvisor });
            // The API server loads params (tenant namespaces) asynchronously too.
            const probe = hostPathPv("probe-pv", { claimRef: claimRef(TENANT, "probe") });
            for (let i = 0; i < 150 && (await cp.admin.create(probe, { dryRun: true })).status === 201; i++) await new Promise((r) => setTimeout(r, 200));
        });

        it("refuses a hostPath PersistentVolume at / and a local one created bound to a tenant namespace's claim", async () => {
            for (const [pv, type] of [[hostPathPv("root-hostpath", { claimRef: claimRef(TENANT, "data") }), "hostPath"], [localPv("root-local", { claimRef: claimRef(TENANT, "data") }), "local"]] as const) {
                for (const res of [await cp.admin.create(pv, { dryRun: true }), await cp.admin.create(pv)]) {
                    assert.strictEqual(res.status, 403, `${type}: ${res.text.slice(0, 300)}`);
                    assert.strictEqual(res.body.message, deniedPv(pv.metadata.name, tenantVolumeMessage(pv.metadata.name, type, TENANT, "data")));
                }
            }
        });

        it("refuses binding an existing hostPath or local PV to a tenant claim, so the sandboxed pod never schedules; plain namespaces may still bind them", async () => {
            for (const [pv, type] of [[hostPathPv(name("admin-hostpath")), "hostPath"], [localPv(name("admin-local")), "local"]] as const) {
                const created = await cp.admin.create(pv);
                assert.strictEqual(created.status, 201, `an unbound ${type} PV is an admin's business: ${created.body?.message}`);
                const claimName = name("data");
                assert.strictEqual((await cp.admin.create(claim(claimName, TENANT, { storageClassName: "", volumeName: pv.metadata.name }))).status, 201);
                const bound = await bindPv(pv.metadata.name, TENANT, claimName);
                assert.strictEqual(bound.status, 403, `${type}: ${bound.text.slice(0, 300)}`);
                assert.strictEqual(bound.body.message, deniedPv(pv.metadata.name, tenantVolumeMessage(pv.metadata.name, type, TENANT, claimName)));
                // The claim stays unbound: the scheduler will not place a pod that needs it.
                const podName = name("claimer");
                const res = await cp.admin.create(claimPod(podName, TENANT, claimName, gvisor));
                assert.strictEqual(res.status, 201, res.body?.message);
                const verdict = await waitScheduled(cp.admin, TENANT, podName);
                assert.deepStrictEqual(verdict.bound, false, `${type}: a pod of a claim the guard kept from ${pv.metadata.name} was bound`);
                assert.match((verdict as { message: string }).message, /unbound immediate PersistentVolumeClaims/);
                // A plain namespace's claim (local-path-provisioner for general workloads) binds it.
                const plainClaim = name("data");
                assert.strictEqual((await cp.admin.create(claim(plainClaim, APPS, { storageClassName: "", volumeName: pv.metadata.name }))).status, 201);
                const plain = await bindPv(pv.metadata.name, APPS, plainClaim);
                assert.strictEqual(plain.status, 200, plain.body?.message);
            }
        });

        it("lets ordinary dynamic volumes bind to a tenant claim and reach a sandboxed pod on a sandbox node", async () => {
            await cp.admin.apply({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com", volumeBindingMode: "Immediate" });
            const claimName = name("data");
            const pvName = name("pvc-ebs");
            assert.strictEqual((await cp.admin.create(claim(claimName, TENANT, { storageClassName: "gp3" }))).status, 201);
            const pvc = await cp.admin.get("v1", "PersistentVolumeClaim", claimName, TENANT);
            const pv = {
                apiVersion: "v1",
                kind: "PersistentVolume",
                metadata: { name: pvName },
                spec: {
                    capacity: { storage: "1Gi" },
                    accessModes: ["ReadWriteOnce"],
                    storageClassName: "gp3",
                    csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-0123456789abcdef0", fsType: "ext4" },
                    claimRef: { ...claimRef(TENANT, claimName), uid: pvc.metadata.uid },
                },
            };
            const created = await cp.admin.create(pv);
            assert.strictEqual(created.status, 201, created.body?.message);
            // The PV controller's side of the binding.
            await cp.admin.ok(
                "PATCH",
                `/api/v1/namespaces/${TENANT}/persistentvolumeclaims/${claimName}`,
                { metadata: { annotations: { "pv.kubernetes.io/bind-completed": "yes" } }, spec: { volumeName: pvName } },
                "application/merge-patch+json",
            );
            await cp.admin.ok("PATCH", `${pvPath}/${pvName}/status`, { status: { phase: "Bound" } }, "application/merge-patch+json");
            await cp.admin.ok("PATCH", `/api/v1/namespaces/${TENANT}/persistentvolumeclaims/${claimName}/status`, { status: { phase: "Bound" } }, "application/merge-patch+json");
            const podName = name("claimer");
            const res = await cp.admin.create(claimPod(podName, TENANT, claimName, gvisor));
            assert.strictEqual(res.status, 201, res.body?.message);
            assert.deepStrictEqual(await waitScheduled(cp.admin, TENANT, podName), { bound: true, node: "gvisor-1" });
        });

        it("refuses claims of sandboxed pods and StatefulSets outside tenant namespaces, where the guard cannot vouch for the PV", async () => {
            const podName = name("claimer");
            const res = await cp.admin.create(claimPod(podName, APPS, "data", gvisor), { dryRun: true });
            assert.strictEqual(res.status, 403, res.text.slice(0, 300));
            assert.strictEqual(res.body.message, denied(POD, podName, APPS, claimsRule()));
            const sts = WORKLOAD_KINDS.find((k) => k.kind === "StatefulSet")!;
            const stsName = name("statefulsets");
            const obj = workload(sts, stsName, APPS, podSpec({ runtimeClassName: gvisor }));
            obj.spec.volumeClaimTemplates = [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }];
            for (const r of [await cp.admin.create(obj, { dryRun: true }), await serverSideDryRun(obj)]) {
                assert.strictEqual(r.status, 403, r.text.slice(0, 300));
                assert.strictEqual(r.body.message, denied(sts, stsName, APPS, claimsRule()));
            }
            const inTenant = await cp.admin.create({ ...obj, metadata: { name: stsName, namespace: TENANT } }, { dryRun: true });
            assert.strictEqual(inTenant.status, 201, inTenant.body?.message);
            const plain = await cp.admin.create(claimPod(name("claimer"), APPS, "data"), { dryRun: true });
            assert.strictEqual(plain.status, 201, plain.body?.message);
        });
    });

    it("holds the stack's tenant namespaces (sandbox:tenantNamespaces, applied from the plan) to their class, with their policies", async function () {
        const label = isolationKeys().requireRuntime;
        const tenants = ofKind(plan, "Namespace").filter((n) => n.metadata.labels?.[label] && n.metadata.labels["pod-security.kubernetes.io/enforce"]);
        const listed = c.stack ? Object.keys(YAML.parse(fs.readFileSync(path.join(STACKS_DIR, `Pulumi.${c.stack}.yaml`), "utf8")).config["sandbox:tenantNamespaces"] ?? {}) : [];
        assert.deepStrictEqual(tenants.map((n) => n.metadata.name).filter((n) => listed.includes(n)).sort(), [...listed].sort());
        if (listed.length === 0) this.skip();
        for (const ns of listed) {
            const cls = tenants.find((n) => n.metadata.name === ns)!.metadata.labels[label];
            await ensureDefaultServiceAccount(cp.admin, ns);
            const live = (await cp.admin.list("networking.k8s.io/v1", "NetworkPolicy", ns)).map((np) => np.metadata.name).sort();
            assert.deepStrictEqual(live, ["deny-ingress", "restrict-egress"], ns);
            const restricted = (extra: Record<string, unknown>) => podSpec({
                securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
                containers: [{ name: "app", image: IMAGE, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
                ...extra,
            });
            const ok = await cp.admin.create({ ...podObject(name("tenant"), ns), spec: restricted({ runtimeClassName: cls }) }, { dryRun: true });
            assert.strictEqual(ok.status, 201, `${ns}: ${ok.body?.message}`);
            const plainName = name("tenant");
            const plain = await cp.admin.create({ ...podObject(plainName, ns), spec: restricted({}) }, { dryRun: true });
            assert.strictEqual(plain.body.message, denied(POD, plainName, ns, namespaceRuntimeRule(cls)));
        }
    });

    it("a SandboxNamespace's objects pass the API server's strict validation, admit only its class under restricted Pod Security, and keep node volumes from its claims", async () => {
        const ns = "tenant-agents";
        const cls = classes.includes("gvisor") ? "gvisor" : classes[0];
        const objects = sandboxNamespaceObjects(resolveNamespaceArgs(ns, { runtimeClassName: cls, resourceQuota: { pods: "20" }, containerDefaults: { defaultRequest: { cpu: "100m" } } }));
        for (const o of objects) {
            const res = await cp.admin.request("POST", `${await cp.admin.collectionPath(o.apiVersion, o.kind, o.metadata.namespace)}?fieldValidation=Strict`, o);
            assert.strictEqual(res.status, 201, `${o.kind} ${o.metadata.name}: ${res.text.slice(0, 300)}`);
            assert.deepStrictEqual(res.warnings, [], `${o.kind} ${o.metadata.name}`);
        }
        await ensureDefaultServiceAccount(cp.admin, ns);
        const policies = (await cp.admin.list("networking.k8s.io/v1", "NetworkPolicy", ns)).map((np) => np.metadata.name).sort();
        assert.deepStrictEqual(policies, ["deny-ingress", "restrict-egress"]);
        const restricted = (extra: Record<string, unknown> = {}) =>
            podSpec({
                securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
                containers: [{ name: "app", image: IMAGE, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
                ...extra,
            });
        const podName = name("agent");
        const ok = await cp.admin.create({ ...podObject(podName, ns), spec: restricted({ runtimeClassName: cls }) });
        assert.strictEqual(ok.status, 201, ok.body?.message);
        assert.deepStrictEqual(await waitScheduled(cp.admin, ns, podName), { bound: true, node: cls === "gvisor" ? "gvisor-1" : "kata-1" });
        const admitted = await cp.admin.get("v1", "Pod", podName, ns);
        assert.deepStrictEqual(admitted.spec.containers[0].resources, { requests: { cpu: "100m" } }, "the LimitRange's container defaults apply");
        const plainName = name("agent");
        const plain = await cp.admin.create({ ...podObject(plainName, ns), spec: restricted() }, { dryRun: true });
        assert.strictEqual(plain.status, 403);
        assert.strictEqual(plain.body.message, denied(POD, plainName, ns, namespaceRuntimeRule(cls)));
        const root = await cp.admin.create({ ...podObject(name("agent"), ns), spec: podSpec({ runtimeClassName: cls }) }, { dryRun: true });
        assert.strictEqual(root.status, 403);
        assert.match(root.body.message, /violates PodSecurity "restricted:latest"/);
        const pvName = name("root-hostpath");
        const rootPv = {
            apiVersion: "v1",
            kind: "PersistentVolume",
            metadata: { name: pvName },
            spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/" }, claimRef: { namespace: ns, name: "data" } },
        };
        let pv = await cp.admin.create(rootPv, { dryRun: true });
        // The tenant namespace reaches the volumes policy's params asynchronously.
        for (let i = 0; i < 150 && pv.status === 201; i++) {
            await new Promise((r) => setTimeout(r, 200));
            pv = await cp.admin.create(rootPv, { dryRun: true });
        }
        assert.strictEqual(pv.status, 403, pv.text.slice(0, 300));
        assert.strictEqual(pv.body.message, deniedMessage(guardFor(plan, "", "persistentvolumes"), "", "persistentvolumes", pvName, tenantVolumeMessage(pvName, "hostPath", ns, "data")));
    });

    it("admits kata-deploy's DaemonSet (privileged, tolerating the Kata taints) in its namespace", async () => {
        const [kataDeploy] = plan.helm;
        assert.ok(kataDeploy, "every stack here has a Kata pool");
        const ds = WORKLOAD_KINDS.find((k) => k.kind === "DaemonSet")!;
        const obj = workload(ds, kataDeploy.release.name, kataDeploy.release.namespace, {
            nodeSelector: kataDeploy.values.nodeSelector,
            tolerations: kataDeploy.values.tolerations,
            hostPID: true,
            containers: [{ name: "kube-kata", image: IMAGE, securityContext: { privileged: true } }],
        });
        const res = await cp.admin.create(obj);
        assert.strictEqual(res.status, 201, res.body?.message);
    });
});
