import * as assert from "assert";
import { KATA_SHIMS } from "../../../components/kataShims";
import * as pulumi from "@pulumi/pulumi";
import { Cloud, Runtime, nodeStamp } from "../../../components/isolation";
import { KATA_SHIM_INFO, KataShim } from "../../../components/kataShims";
import { InputPropertiesError } from "../../../components/validation";
import { SandboxRuntimes, verificationStatus } from "../../../components/kubernetes/SandboxRuntimes";
import { SandboxRuntimesArgs, sandboxRuntimesProblems } from "../../../components/kubernetes/sandboxRuntimesArgs";
import { gvisorCheckScript, kataCheckScript } from "../../../components/kubernetes/verification";
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

        it("offers the same RuntimeClass names on EKS and GKE, so manifests move between them (invariant 3)", async () => {
            const kata = { shims: ["qemu", "clh"] as KataShim[], defaultShim: "qemu" as const };
            const aws = await resolve((await deploy({ cloud: Cloud.Aws, gvisor: {}, kata })).runtimeClassNames);
            const gcp = await resolve((await deploy({ cloud: Cloud.Gcp, gvisor: { gkeManaged: true }, kata })).runtimeClassNames);
            assert.deepStrictEqual(aws, ["gvisor", "kata", "kata-qemu", "kata-clh"]);
            assert.deepStrictEqual(gcp, aws);
        });

        it("offers kata and kata-clh on AKS too, the names a workload uses on EKS and GKE (invariant 3)", async () => {
            const kata = { shims: ["clh"] as KataShim[], defaultShim: "clh" as const };
            const azure = await resolve((await deploy({ cloud: Cloud.Azure, kata })).runtimeClassNames);
            const aws = await resolve((await deploy({ cloud: Cloud.Aws, kata })).runtimeClassNames);
            assert.deepStrictEqual(azure, ["kata", "kata-clh"]);
            assert.deepStrictEqual(azure, aws);
        });

        it("on AKS points every Kata class at Pod Sandboxing's handler with AKS's documented overhead, scheduled on the contract's stamp", async () => {
            await deploy({ cloud: Cloud.Azure, kata: { shims: ["clh"] } });
            const rc = classes();
            assert.deepStrictEqual(Object.keys(rc), ["kata", "kata-clh"], "AKS's own kata-vm-isolation is left to AKS");
            const stamp = nodeStamp(Runtime.Kata, Cloud.Azure);
            for (const name of ["kata", "kata-clh"]) {
                assert.strictEqual(rc[name].handler, "kata");
                assert.deepStrictEqual(rc[name].overhead, { podFixed: { memory: "600Mi" } });
                assert.deepStrictEqual(rc[name].scheduling, {
                    nodeSelector: stamp.labels,
                    tolerations: [
                        { key: "sandbox-clusters.io/runtime", operator: "Equal", value: "kata", effect: "NoSchedule" },
                        { key: "kubernetes.azure.com/scalesetpriority", operator: "Equal", value: "spot", effect: "NoSchedule" },
                    ],
                });
                assert.ok(fits(rc[name].scheduling, stamp), `${name} fits an AKS Kata node as it registers`);
            }
        });

        it("installs no kata-deploy on AKS and exempts no kata-deploy namespace", async () => {
            const c = await deploy({ cloud: Cloud.Azure, kata: { shims: ["clh"] } });
            assert.deepStrictEqual(ofType(RELEASE), []);
            assert.strictEqual(await resolve(c.kataDeployReleaseName), undefined);
            assert.deepStrictEqual(ofType("kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata.name), ["sandbox-verify"]);
            for (const b of ofType("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding")) {
                const exempt = b.inputs.spec.paramRef
                    ? b.inputs.spec.paramRef.selector.matchExpressions[1]
                    : b.inputs.spec.matchResources.namespaceSelector.matchExpressions[0];
                assert.deepStrictEqual(exempt.values, ["kube-system"], `${b.name}: kata-deploy is not exempt on AKS`);
            }
        });

        it("exempts Managed Service for Prometheus' namespaces on GKE, whose collector runs on every node, and nowhere else", async () => {
            const exemptOf = () =>
                ofType("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding").map((b) =>
                    (b.inputs.spec.paramRef ? b.inputs.spec.paramRef.selector.matchExpressions[1] : b.inputs.spec.matchResources.namespaceSelector.matchExpressions[0]).values,
                );
            await deploy({ cloud: Cloud.Gcp, gvisor: { gkeManaged: true } });
            assert.deepStrictEqual([...new Set(exemptOf().map((v) => v.join(",")))], ["kube-system,gmp-system,gke-gmp-system"]);
            await deploy({ cloud: Cloud.Aws, gvisor: {} });
            assert.deepStrictEqual([...new Set(exemptOf().map((v) => v.join(",")))], ["kube-system"]);
        });

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

    describe("verification Jobs", () => {
        it("on AKS gives the Kata check a whole pod VM (AKS sizes the VM from the memory limit) and names Pod Sandboxing as what it verifies", async () => {
            await deploy({ cloud: Cloud.Azure, kata: { shims: ["clh"] } });
            const jobs = ofType(JOB).map((j) => j.inputs);
            assert.deepStrictEqual(jobs.map((j) => j.spec.template.spec.runtimeClassName), ["kata", "kata-clh"]);
            for (const job of jobs) {
                const c = job.spec.template.spec.containers[0];
                assert.deepStrictEqual(c.resources, { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "512Mi" } });
                assert.deepStrictEqual(c.env.find((e: any) => e.name === "VERIFIES"), { name: "VERIFIES", value: "azure pod sandboxing kata" });
                assert.deepStrictEqual(c.command, ["/bin/sh", "-c", kataCheckScript()]);
            }
        });

        it("runs one Job per RuntimeClass, in a namespace of its own under the restricted Pod Security profile", async () => {
            await deploy({ cloud: Cloud.Aws, gvisor: {}, kata: { shims: ["qemu"], defaultShim: "qemu" } });
            const jobs = ofType(JOB).map((j) => j.inputs);
            assert.deepStrictEqual(jobs.map((j) => j.spec.template.spec.runtimeClassName).sort(), ["gvisor", "kata", "kata-qemu"]);
            assert.deepStrictEqual([...new Set(jobs.map((j) => j.metadata.namespace))], ["sandbox-verify"]);
            const ns = ofType("kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "sandbox-verify")!;
            assert.strictEqual(ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        });

        it("runs each check unprivileged, digest-pinned, bounded in time, with the script for its runtime", async () => {
            await deploy({ cloud: Cloud.Aws, gvisor: {}, kata: { shims: ["qemu"], defaultShim: "qemu" } });
            for (const job of ofType(JOB).map((j) => j.inputs)) {
                const pod = job.spec.template.spec;
                const c = pod.containers[0];
                const kata = pod.runtimeClassName.startsWith("kata");
                assert.strictEqual(pod.containers.length, 1);
                assert.match(c.image, /@sha256:[0-9a-f]{64}$/);
                assert.deepStrictEqual(c.command, ["/bin/sh", "-c", kata ? kataCheckScript() : gvisorCheckScript()]);
                assert.deepStrictEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } });
                assert.deepStrictEqual(c.securityContext, {
                    allowPrivilegeEscalation: false,
                    privileged: false,
                    readOnlyRootFilesystem: true,
                    runAsNonRoot: true,
                    capabilities: { drop: ["ALL"] },
                });
                assert.deepStrictEqual(c.resources, { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } });
                assert.deepStrictEqual([job.spec.backoffLimit, job.spec.activeDeadlineSeconds, pod.restartPolicy], [1, 900, "Never"]);
                // Only the Kata check reads the API, through a service account allowed nothing but `get nodes`.
                assert.strictEqual(pod.automountServiceAccountToken, kata);
                assert.strictEqual(pod.serviceAccountName, kata ? "sandbox-verify-kata" : undefined);
                assert.deepStrictEqual(c.env[0], { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } });
            }
            assert.deepStrictEqual(one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").inputs.rules, [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }]);
            assert.deepStrictEqual(one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").inputs.subjects, [
                { kind: "ServiceAccount", name: "sandbox-verify-kata", namespace: "sandbox-verify" },
            ]);
        });

        it("runs each check only after its RuntimeClass, its runtime's installer and the guard exist", async () => {
            reset();
            const deps: Record<string, pulumi.Resource[]> = {};
            new SandboxRuntimes("v", { cloud: Cloud.Aws, gvisor: {}, kata: { shims: ["qemu"], defaultShim: "qemu" } }, {
                // Legacy transformations run in-process on every child and see its options.
                transformations: [
                    (a) => {
                        deps[a.name] = ([] as pulumi.Resource[]).concat((a.opts.dependsOn as pulumi.Resource[] | undefined) ?? []);
                        return undefined;
                    },
                ],
            });
            await settle();
            /** Logical names of what a child depends on (the last URN segment). */
            const after = async (child: string) => (await Promise.all(deps[child].map((r) => resolve(r.urn)))).map((u) => u.split("::").pop()!).sort();
            const common = ["v-verify-namespace", "v-guard-binding", "v-guard-workloads-binding", "v-guard-cronjobs-binding", "v-guard-volumes-binding"];
            assert.deepStrictEqual(await after("v-verify-gvisor"), [...common, "v-gvisor"].sort());
            for (const cls of ["kata", "kata-qemu"]) {
                assert.deepStrictEqual(
                    await after(`v-verify-${cls}`),
                    [...common, `v-${cls}`, "v-kata-deploy", "v-verify-kata-sa", "v-verify-kata-binding"].sort(),
                );
            }
        });

        it("changes the Kata Jobs' pod template when kata-deploy changes, so the checks run again", async () => {
            const template = async (chartVersion: string) => {
                await deploy({ cloud: Cloud.Aws, gvisor: {}, kata: { shims: ["qemu"], defaultShim: "qemu", chartVersion } });
                return Object.fromEntries(ofType(JOB).map((j) => [j.inputs.metadata.name, JSON.stringify(j.inputs.spec.template)]));
            };
            const before = await template("4.1.0");
            const after = await template("4.1.1");
            assert.notStrictEqual(after["verify-kata"], before["verify-kata"]);
            assert.notStrictEqual(after["verify-kata-qemu"], before["verify-kata-qemu"]);
            assert.strictEqual(after["verify-gvisor"], before["verify-gvisor"]);
        });

        it("grants no API access when only gVisor is verified", async () => {
            await deploy({ cloud: Cloud.Aws, gvisor: {} });
            assert.deepStrictEqual(ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"), []);
            assert.deepStrictEqual(ofType("kubernetes:core/v1:ServiceAccount"), []);
        });

        it("takes an overridden image and deadline", async () => {
            const image = "registry.example/tools@sha256:" + "a".repeat(64);
            await deploy({ cloud: Cloud.Aws, gvisor: {}, verification: { image, activeDeadlineSeconds: 300 } });
            assert.deepStrictEqual([one(JOB).inputs.spec.template.spec.containers[0].image, one(JOB).inputs.spec.activeDeadlineSeconds], [image, 300]);
        });

        it("runs no Job when verification is off", async () => {
            const c = await deploy({ cloud: Cloud.Aws, gvisor: {}, verification: { enabled: false } });
            assert.deepStrictEqual(ofType(JOB), []);
            assert.deepStrictEqual(await resolve(c.verifications), []);
        });

        it("reports each Job's outcome as an output, 'not run' before the Job has run", async () => {
            const c = await deploy({ cloud: Cloud.Aws, gvisor: {} });
            assert.deepStrictEqual(await resolve(c.verifications), [
                { runtimeClass: "gvisor", namespace: "sandbox-verify", jobName: "verify-gvisor", status: "not run" },
            ]);
        });

        it("reads a Job's status as succeeded, failed or not run", () => {
            assert.deepStrictEqual(
                [verificationStatus({ succeeded: 1 }), verificationStatus({ failed: 2 }), verificationStatus({ failed: 1, succeeded: 1 }), verificationStatus({}), verificationStatus(undefined)],
                ["succeeded", "failed", "succeeded", "not run", "not run"],
            );
        });
    });

    describe("outputs", () => {
        it("exposes class, policy, binding and release names", async () => {
            const c = await deploy({ cloud: Cloud.Aws, gvisor: {}, kata: { shims: ["clh"], defaultShim: "clh" } });
            assert.deepStrictEqual(await resolve(c.runtimeClassNames), ["gvisor", "kata", "kata-clh"]);
            const policies = [
                "sandbox-guard.sandbox-clusters.io",
                "sandbox-guard-workloads.sandbox-clusters.io",
                "sandbox-guard-cronjobs.sandbox-clusters.io",
                "sandbox-guard-volumes.sandbox-clusters.io",
            ];
            assert.deepStrictEqual(await resolve(c.policyNames), policies);
            assert.deepStrictEqual(await resolve(c.policyBindingNames), policies);
            assert.strictEqual(await resolve(c.kataDeployReleaseName), "kata-deploy");
        });

        it("leaves the release name undefined without Kata", async () => {
            const c = await deploy({ cloud: Cloud.Aws, gvisor: {} });
            assert.strictEqual(await resolve(c.kataDeployReleaseName), undefined);
        });
    });

    describe("on GKE", () => {
        it("gives kata-deploy's namespace a quota for system-node-critical pods", async () => {
            await deploy({ cloud: Cloud.Gcp, kata: { shims: ["qemu"], defaultShim: "qemu" } });
            const q = one("kubernetes:core/v1:ResourceQuota").inputs;
            assert.strictEqual(q.metadata.namespace, "kata-deploy");
            assert.deepStrictEqual(q.spec.scopeSelector.matchExpressions, [{ scopeName: "PriorityClass", operator: "In", values: ["system-node-critical"] }]);
        });

        it("needs no such quota on EKS", async () => {
            await deploy({ cloud: Cloud.Aws, kata: { shims: ["qemu"], defaultShim: "qemu" } });
            assert.deepStrictEqual(ofType("kubernetes:core/v1:ResourceQuota"), []);
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

        const cases: [string, any, string[]][] = [
            ["no runtime at all", { cloud: "aws" }, ["gvisor: name at least one runtime: gvisor or kata"]],
            ["an unknown cloud", { cloud: "openstack", gvisor: {} }, ['cloud: "openstack" is not one of aws, gcp, azure, kubernetes']],
            ["gVisor on AKS", { cloud: "azure", gvisor: {} }, ["gvisor: gVisor is not available on AKS: AKS has no managed gVisor and manages its nodes' containerd itself, so no supported way installs runsc there; use runtime kata (AKS Pod Sandboxing, a VM per pod)"]],
            ["a Kata shim AKS does not run", { cloud: "azure", kata: { shims: ["clh", "qemu-runtime-rs"] } }, ["kata.shims[1]: AKS Pod Sandboxing runs Kata only with Cloud Hypervisor: use shim clh (RuntimeClass kata-clh), not qemu-runtime-rs"]],
            ["kata-deploy settings on AKS", { cloud: "azure", kata: { shims: ["clh"], chartVersion: "4.1.0", namespace: "kata" } }, [
                "kata.namespace: does not apply on AKS: Pod Sandboxing puts Kata in the node image and no kata-deploy runs there",
                "kata.chartVersion: does not apply on AKS: Pod Sandboxing puts Kata in the node image and no kata-deploy runs there",
            ]],
            ["self-managed gVisor on GKE", { cloud: "gcp", gvisor: {} }, ["gvisor.gkeManaged: gVisor on GKE is GKE Sandbox, which owns RuntimeClass gvisor: set gkeManaged: true"]],
            ["GKE-managed gVisor on AWS", { cloud: "aws", gvisor: { gkeManaged: true } }, ["gvisor.gkeManaged: GKE-managed gVisor exists only on GCP"]],
            ["an unknown default shim", { cloud: "aws", kata: { shims: ["qemu"], defaultShim: "vmware" } }, ['kata.defaultShim: unknown shim "vmware"; supported: qemu, qemu-runtime-rs, clh, dragonball, fc, qemu-snp, qemu-tdx']],
            ["the default shim not enabled", { cloud: "aws", kata: { shims: ["qemu"] } }, ['kata.defaultShim: "qemu-runtime-rs" is not among kata.shims (qemu)']],
            ["an overhead that is not a quantity", { cloud: "aws", gvisor: {}, overheads: { gvisor: { cpu: "half", memory: "64Mi" } } }, ['overheads["gvisor"].cpu: "half" is not a Kubernetes quantity']],
            ["an unpinned kata-deploy image", { cloud: "aws", kata: { shims: ["qemu"], defaultShim: "qemu", image: { reference: "quay.io/kata-containers/kata-deploy", tag: "latest" } } }, ['kata.image.tag: "latest" is not a pinned tag']],
            ["a tag hidden in the image reference", { cloud: "aws", kata: { shims: ["qemu"], defaultShim: "qemu", kubectlImage: { reference: "quay.io/x/kubectl:latest", tag: "1.0.0" } } }, ['kata.kubectlImage.reference: "quay.io/x/kubectl:latest" must be a repository without tag or digest']],
            ["a chart version range", { cloud: "aws", kata: { shims: ["qemu"], defaultShim: "qemu", chartVersion: "^4" } }, ['kata.chartVersion: "^4" is not an exact version']],
            ["an unknown distribution", { cloud: "aws", kata: { shims: ["qemu"], defaultShim: "qemu", k8sDistribution: "openshift" } }, ['kata.k8sDistribution: "openshift" is not one of k8s, k3s, rke2, k0s, microk8s']],
            ["a verification image pinned by tag", { cloud: "aws", gvisor: {}, verification: { image: "busybox:1.37" } }, ['verification.image: "busybox:1.37" is not pinned by digest (repository@sha256:<64 hex>)']],
            ["a verification namespace that is not a name", { cloud: "aws", gvisor: {}, verification: { namespace: "Verify!" } }, ['verification.namespace: "Verify!" is not a DNS label']],
            ["a verification namespace the guard exempts", { cloud: "aws", gvisor: {}, admission: { exemptNamespaces: ["checks"] }, verification: { namespace: "checks" } }, ['verification.namespace: "checks" is exempt from the admission guard; the checks must run as ordinary sandboxed pods']],
            ["a zero deadline", { cloud: "aws", gvisor: {}, verification: { activeDeadlineSeconds: 0 } }, ["verification.activeDeadlineSeconds: 0 is not a positive whole number of seconds"]],
            ["Kata without a shim list", { cloud: "aws", kata: {} }, ["kata.shims: Kata needs at least one shim"]],
            ["shims that are not a list", { cloud: "aws", kata: { shims: "qemu", defaultShim: "qemu" } }, ['kata.shims: must be a list (got the string "qemu"; write ["qemu"] for a list of one)']],
            ["exempt namespaces that are not a list", { cloud: "aws", gvisor: {}, admission: { exemptNamespaces: "monitoring" } }, ['admission.exemptNamespaces: must be a list (got the string "monitoring"; write ["monitoring"] for a list of one)']],
            ["setting names a message cannot carry", { cloud: "aws", gvisor: {}, admission: { settingNames: { exemptNamespaces: "", allowHostPorts: "two\nlines", allowedCsiDrivers: "x".repeat(201) } } }, [
                'admission.settingNames.exemptNamespaces: "" is not a name for a message: one line of 1 to 200 characters',
                'admission.settingNames.allowHostPorts: "two\\nlines" is not a name for a message: one line of 1 to 200 characters',
                `admission.settingNames.allowedCsiDrivers: "${"x".repeat(201)}" is not a name for a message: one line of 1 to 200 characters`,
            ]],
            ["an unknown guard action", { cloud: "aws", gvisor: {}, admission: { action: "Block" } }, ['admission.action: "Block" is not one of Deny, Warn, Audit']],
            ["a key prefix that is not a DNS subdomain", { cloud: "aws", gvisor: {}, keyPrefix: "Sandbox_IO" }, ['keyPrefix: "Sandbox_IO" is not a DNS subdomain']],
            ["a key prefix under kubernetes.io", { cloud: "aws", gvisor: {}, keyPrefix: "sandbox.kubernetes.io" }, [
                'keyPrefix: "sandbox.kubernetes.io" is under kubernetes.io, where the kubelet sets only kubelet.kubernetes.io/*, node.kubernetes.io/* and its own well-known labels: nodes stamped "sandbox.kubernetes.io/runtime" would never join; use a domain of your own, e.g. "sandbox.example.com"',
            ]],
            ["shims the Kata nodes cannot run", {
                cloud: "aws",
                kata: {
                    shims: ["qemu", "clh", "fc", "qemu-snp"],
                    defaultShim: "qemu",
                    hosts: [{ name: "pool \"arm\"", architecture: "arm64", devmapper: false, confidentialHosts: [], noConfidentialHostReason: "none here" }],
                },
            }, [
                'kata.shims[1]: kata-deploy ships clh for amd64 only, but pool "arm" runs arm64 nodes; use qemu or qemu-runtime-rs there',
                'kata.shims[2]: kata-deploy ships fc for amd64 only, but pool "arm" runs arm64 nodes; use qemu or qemu-runtime-rs there',
                'kata.shims[3]: kata-deploy ships qemu-snp for amd64 only, but pool "arm" runs arm64 nodes; use qemu or qemu-runtime-rs there',
            ]],
        ];
        for (const [what, args, problems] of cases) {
            it(`rejects ${what}`, () => {
                assert.deepStrictEqual(sandboxRuntimesProblems(args).map((p) => `${p.path}: ${p.message}`), problems);
                reset();
                assert.throws(() => new SandboxRuntimes("x", args), InputPropertiesError);
            });
        }

        it("runs every shim on hosts that offer what it needs", () => {
            const host = { name: "pool \"x\"", architecture: "amd64" as const, devmapper: true, confidentialHosts: ["amd-sev-snp" as const, "intel-tdx" as const] };
            assert.deepStrictEqual(sandboxRuntimesProblems({ cloud: Cloud.Aws, kata: { shims: [...KATA_SHIMS], defaultShim: "qemu", hosts: [host] } }), []);
            assert.deepStrictEqual(sandboxRuntimesProblems({ cloud: Cloud.Aws, kata: { shims: ["qemu-snp"], defaultShim: "qemu-snp", hosts: [{ ...host, confidentialHosts: ["intel-tdx"] }] } }).map((p) => p.message), [
                'qemu-snp runs each pod in an AMD SEV-SNP VM, which needs a host with SEV-SNP enabled in its firmware and kernel; pool "x" is no such host',
            ]);
        });

        it("accepts the documented minimal args", () => {
            assert.deepStrictEqual(sandboxRuntimesProblems({ cloud: Cloud.Azure, kata: { shims: ["clh"] } }), []);
            assert.deepStrictEqual(sandboxRuntimesProblems({ cloud: Cloud.Aws, gvisor: {} }), []);
            assert.deepStrictEqual(sandboxRuntimesProblems({ cloud: Cloud.Gcp, gvisor: { gkeManaged: true }, kata: { shims: ["qemu-runtime-rs"] } }), []);
        });

        it("rejects Kata with no shim", () => {
            assert.throws(() => new SandboxRuntimes("k", { cloud: Cloud.Aws, kata: { shims: [] } }), {
                message: 'SandboxRuntimes "k" has invalid arguments:\n  - kata.shims: Kata needs at least one shim',
            });
        });
    });
});

