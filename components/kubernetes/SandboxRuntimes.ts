// SandboxRuntimes: the Kubernetes side of a sandbox cluster. RuntimeClasses that select and
// tolerate exactly their runtime's node stamp, kata-deploy on the Kata nodes, the admission
// guard, and one verification Job per RuntimeClass that fails `pulumi up` when a class does
// not really sandbox. The Kubernetes provider comes through `opts`.
import * as pulumi from "@pulumi/pulumi";
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from "@pulumi/kubernetes/admissionregistration/v1";
import { Job } from "@pulumi/kubernetes/batch/v1";
import { Namespace, ResourceQuota, ServiceAccount } from "@pulumi/kubernetes/core/v1";
import { Release } from "@pulumi/kubernetes/helm/v3";
import { RuntimeClass } from "@pulumi/kubernetes/node/v1";
import { ClusterRole, ClusterRoleBinding } from "@pulumi/kubernetes/rbac/v1";
import { Cloud, Runtime, isolationKeys, sandboxTaints } from "../isolation";
import { InputPropertiesError } from "../validation";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { AGENT_SANDBOX_EXTENSIONS_API_VERSION, planAgentSandbox } from "./agentSandbox";
import { guardPolicies } from "./admissionGuard";
import { kataDeployValues } from "./kataDeployValues";
import { PlannedRuntimeClass, cloudOwnedSandboxClasses, plannedRuntimeClasses } from "./runtimeClasses";
import {
    ResolvedArgs,
    SandboxRuntimesArgs,
    agentSandboxContext,
    exemptNamespaces,
    installsKataDeploy,
    kataChartReference,
    resolveArgs,
    sandboxRuntimesProblems,
} from "./sandboxRuntimesArgs";
import { KATA_VERIFY_SERVICE_ACCOUNT, VERIFY_COMPONENT_LABEL, verificationJob } from "./verificationJob";

export const SANDBOX_RUNTIMES_TYPE = "sandbox-clusters:index:SandboxRuntimes";
/** Helm release name of kata-deploy (the chart names its DaemonSet after the chart). */
export const KATA_DEPLOY_RELEASE = "kata-deploy";
const MANAGED_BY = { "app.kubernetes.io/managed-by": "sandbox-clusters" };

/** How a verification Job ended, as its status reports it. */
export const VerificationStatus = {
    /** The check proved the sandbox from inside the pod. */
    Succeeded: "succeeded",
    /** The check ran and found no sandbox; `pulumi up` fails with the Job before reporting it. */
    Failed: "failed",
    /** No outcome yet: a preview or the offline plan, where the Job has not run. */
    NotRun: "not run",
} as const;
/** One of the values of `VerificationStatus`. */
export type VerificationStatus = (typeof VerificationStatus)[keyof typeof VerificationStatus];

/** The status of a Job object, read as a verification outcome. */
export function verificationStatus(status: { succeeded?: number; failed?: number } | undefined): VerificationStatus {
    if ((status?.succeeded ?? 0) > 0) return VerificationStatus.Succeeded;
    if ((status?.failed ?? 0) > 0) return VerificationStatus.Failed;
    return VerificationStatus.NotRun;
}

/** Outcome of one verification Job; its one-line verdict is the Job's log. */
export interface VerificationResult {
    /** The RuntimeClass the Job verified. */
    runtimeClass: string;
    /** Namespace of the Job. */
    namespace: string;
    /** Name of the Job; its log holds the one-line verdict. */
    jobName: string;
    /** How the Job ended. */
    status: VerificationStatus;
}

/**
 * The Kubernetes layer of a sandbox cluster: a RuntimeClass per sandbox runtime (scheduling
 * onto its pools by label and toleration), the Kata Containers installer when Kata is asked for,
 * the admission guard that keeps non-sandboxed pods off sandbox nodes, and optional
 * verification Jobs that prove each runtime on a real node. Works on any cluster whose sandbox
 * nodes carry the package's stamp (`nodeStamp`); give it that cluster's Kubernetes provider.
 *
 * @example
 * ```ts
 * import * as k8s from "@pulumi/kubernetes";
 * import { Cloud, GuardAction, KataShim, SandboxRuntimes } from "sandbox-clusters";
 *
 * const provider = new k8s.Provider("cluster", { kubeconfig: "<kubeconfig of a cluster with sandbox pools>" });
 * export const runtimes = new SandboxRuntimes("sandbox", {
 *     cloud: Cloud.Aws,
 *     gvisor: {},
 *     kata: { shims: [KataShim.QemuRuntimeRs] },
 *     admission: { action: GuardAction.Deny },
 * }, { provider });
 * export const runtimeClassNames = runtimes.runtimeClassNames; // e.g. ["gvisor", "kata-qemu-runtime-rs"]
 * ```
 */
export class SandboxRuntimes extends pulumi.ComponentResource {
    /** Every sandbox RuntimeClass usable in the cluster (created here or, for GKE's `gvisor`, relied on). */
    public readonly runtimeClassNames: pulumi.Output<string[]>;
    /** Names of the guard's ValidatingAdmissionPolicies (pods first); empty when the guard is off. */
    public readonly policyNames: pulumi.Output<string[]>;
    /** Names of their bindings, in the same order; empty when the guard is off. */
    public readonly policyBindingNames: pulumi.Output<string[]>;
    /** kata-deploy Helm release name; undefined without Kata, and on AKS (Pod Sandboxing installs Kata). */
    public readonly kataDeployReleaseName: pulumi.Output<string | undefined>;
    /** One entry per verified RuntimeClass; empty when verification is off. */
    public readonly verifications: pulumi.Output<VerificationResult[]>;

    constructor(name: string, args: SandboxRuntimesArgs, opts?: pulumi.ComponentResourceOptions) {
        super(SANDBOX_RUNTIMES_TYPE, name, args, opts);
        const problems = sandboxRuntimesProblems(args);
        if (problems.length > 0) throw new InputPropertiesError(`SandboxRuntimes "${name}"`, problems);
        const r = resolveArgs(args);
        const classes = plannedRuntimeClasses(r);

        const created = new Map(classes.filter((c) => c.createdHere).map((c) => [c.name, this.runtimeClass(name, c)]));
        // AKS Pod Sandboxing nodes boot with Kata in their image: nothing to install there.
        const release = installsKataDeploy(r) ? this.kataDeploy(name, r) : undefined;
        const guard = r.admission.enabled ? this.guard(name, r, classes) : [];
        // Each check runs once its class, its runtime and the guard are in place: it must pass
        // the guard as any sandboxed workload would.
        const prerequisites = (c: PlannedRuntimeClass): pulumi.Resource[] => [
            ...(created.has(c.name) ? [created.get(c.name)!] : []),
            ...(c.runtime === Runtime.Kata && release ? [release] : []),
            ...guard.map((g) => g.binding),
        ];
        const jobs = r.verification.enabled ? this.verificationJobs(name, r, classes, prerequisites) : [];
        if (args.agentSandbox) this.agentSandbox(name, args, r, [...created.values(), ...guard.map((g) => g.binding)]);

        this.runtimeClassNames = pulumi.output(classes.map((c) => c.name));
        this.policyNames = pulumi.all(guard.map((g) => g.policy.metadata.name));
        this.policyBindingNames = pulumi.all(guard.map((g) => g.binding.metadata.name));
        this.kataDeployReleaseName = release ? release.name : pulumi.output(undefined);
        this.verifications = pulumi.all(
            jobs.map(({ cls, job }) =>
                pulumi.all([job.metadata.name, job.metadata.namespace, job.status]).apply(([jobName, namespace, status]) => ({
                    runtimeClass: cls,
                    namespace,
                    jobName,
                    status: verificationStatus(status),
                })),
            ),
        );
        this.registerOutputs({
            runtimeClassNames: this.runtimeClassNames,
            policyNames: this.policyNames,
            policyBindingNames: this.policyBindingNames,
            kataDeployReleaseName: this.kataDeployReleaseName,
            verifications: this.verifications,
        });
    }

    /**
     * agent-sandbox's objects: tenant namespaces, a SandboxTemplate per class, the warm pools.
     * After the classes and the guard, so a warm pool's first pods are judged like any other.
     */
    private agentSandbox(name: string, args: SandboxRuntimesArgs, r: ResolvedArgs, after: pulumi.Resource[]): void {
        const plan = planAgentSandbox(args.agentSandbox!, agentSandboxContext(r), MANAGED_BY);
        const namespaces = new Map(
            plan.namespaces.map((ns) => [ns.name, new Namespace(`${name}-agents-${ns.name}`, { metadata: { name: ns.name, labels: ns.labels } }, { parent: this, dependsOn: after })]),
        );
        const templates = new Map(
            plan.templates.map((t) => {
                const home = namespaces.get(t.namespace);
                const template = new CustomResource(
                    `${name}-agents-template-${t.runtimeClass}`,
                    {
                        apiVersion: AGENT_SANDBOX_EXTENSIONS_API_VERSION,
                        kind: "SandboxTemplate",
                        metadata: { name: t.name, namespace: home ? home.metadata.name : t.namespace, labels: MANAGED_BY },
                        spec: t.spec,
                    },
                    { parent: this, dependsOn: after },
                );
                return [t.runtimeClass, template];
            }),
        );
        for (const w of plan.warmPools) {
            new CustomResource(
                `${name}-agents-warmpool-${w.runtimeClass}`,
                { apiVersion: AGENT_SANDBOX_EXTENSIONS_API_VERSION, kind: "SandboxWarmPool", metadata: { name: w.name, namespace: w.namespace, labels: MANAGED_BY }, spec: w.spec },
                { parent: this, dependsOn: [templates.get(w.runtimeClass)!] },
            );
        }
    }

    private runtimeClass(name: string, c: PlannedRuntimeClass): RuntimeClass {
        return new RuntimeClass(
            `${name}-${c.name}`,
            {
                metadata: { name: c.name, labels: MANAGED_BY },
                handler: c.handler,
                scheduling: c.scheduling,
                ...(c.overhead ? { overhead: { podFixed: { ...c.overhead } } } : {}),
            },
            // The API server refuses a handler change ("field is immutable"): replace the class
            // instead, deleting it first (its name is fixed; workloads name it).
            { parent: this, replaceOnChanges: ["handler"], deleteBeforeReplace: true },
        );
    }

    /**
     * kata-deploy through Helm v3 `Release` rather than v4 `Chart`: a real Helm release runs
     * the chart's hooks (its post-delete cleanup Job takes Kata off the nodes on uninstall),
     * `helm list`/`rollback` see it, it pulls OCI charts at an exact version, and it waits for
     * the DaemonSet before dependents (the verification Jobs) start.
     */
    private kataDeploy(name: string, r: ResolvedArgs): Release {
        const kata = r.kata!;
        const ns = new Namespace(
            `${name}-kata-namespace`,
            // The installer is privileged by nature (it writes /opt/kata and restarts containerd).
            { metadata: { name: kata.namespace, labels: { ...MANAGED_BY, "pod-security.kubernetes.io/enforce": "privileged" } } },
            { parent: this },
        );
        const after: pulumi.Resource[] = [];
        if (r.cloud === Cloud.Gcp) {
            // GKE admits system-node-critical pods (the chart's priorityClassName) outside
            // kube-system only in a namespace with a quota scoped to that priority class.
            after.push(
                new ResourceQuota(
                    `${name}-kata-critical-pods`,
                    {
                        metadata: { name: "critical-pods", namespace: ns.metadata.name, labels: MANAGED_BY },
                        spec: {
                            hard: { pods: "1000" },
                            scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: ["system-node-critical"] }] },
                        },
                    },
                    // A quota's scope selector is immutable; the provider replaces only on `scopes`.
                    { parent: this, replaceOnChanges: ["spec.scopeSelector"], deleteBeforeReplace: true },
                ),
            );
        }
        return new Release(
            `${name}-kata-deploy`,
            {
                name: KATA_DEPLOY_RELEASE,
                ...kataChartReference(kata.chart),
                version: kata.chartVersion,
                namespace: ns.metadata.name,
                values: kataDeployValues({ cloud: r.cloud, keyPrefix: r.keyPrefix, ...kata }),
                atomic: true,
                cleanupOnFail: true,
            },
            { parent: this, dependsOn: after },
        );
    }

    /**
     * One policy and binding per guard policy. The pod policy keeps the guard's first names
     * (`<name>-guard`, `sandbox-guard.<prefix>`); the others add their id.
     */
    private guard(name: string, r: ResolvedArgs, classes: PlannedRuntimeClass[]) {
        const policies = guardPolicies({
            sandboxClasses: [...classes.map((c) => c.name), ...cloudOwnedSandboxClasses(r.cloud)],
            sandboxTaints: sandboxTaints(r.keyPrefix),
            requireRuntimeLabel: isolationKeys(r.keyPrefix).requireRuntime,
            exemptNamespaces: exemptNamespaces(r),
            allowHostPorts: r.admission.allowHostPorts,
            allowedCsiDrivers: r.admission.allowedCsiDrivers,
            settingNames: r.admission.settingNames,
        });
        return policies.map((g) => {
            const suffix = g.id === "pods" ? "" : `-${g.id}`;
            const objectName = `sandbox-guard${suffix}.${r.keyPrefix}`;
            const policy = new ValidatingAdmissionPolicy(
                `${name}-guard${suffix}`,
                { metadata: { name: objectName, labels: MANAGED_BY }, spec: g.spec },
                { parent: this },
            );
            const binding = new ValidatingAdmissionPolicyBinding(
                `${name}-guard${suffix}-binding`,
                {
                    metadata: { name: objectName, labels: MANAGED_BY },
                    spec: { policyName: policy.metadata.name, validationActions: [r.admission.action], ...g.binding },
                },
                { parent: this },
            );
            return { policy, binding };
        });
    }

    private verificationJobs(
        name: string,
        r: ResolvedArgs,
        classes: PlannedRuntimeClass[],
        prerequisites: (c: PlannedRuntimeClass) => pulumi.Resource[],
    ) {
        const v = r.verification;
        const ns = new Namespace(
            `${name}-verify-namespace`,
            // The checks meet the restricted profile: proof they need no privilege.
            { metadata: { name: v.namespace, labels: { ...VERIFY_COMPONENT_LABEL, "pod-security.kubernetes.io/enforce": "restricted" } } },
            { parent: this },
        );
        const kataDeps: pulumi.Resource[] = [];
        if (classes.some((c) => c.runtime === Runtime.Kata)) {
            const sa = new ServiceAccount(
                `${name}-verify-kata-sa`,
                { metadata: { name: KATA_VERIFY_SERVICE_ACCOUNT, namespace: ns.metadata.name, labels: VERIFY_COMPONENT_LABEL } },
                { parent: this },
            );
            const role = new ClusterRole(
                `${name}-verify-kata-role`,
                {
                    metadata: { name: `${KATA_VERIFY_SERVICE_ACCOUNT}.${r.keyPrefix}`, labels: VERIFY_COMPONENT_LABEL },
                    rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }],
                },
                { parent: this },
            );
            const binding = new ClusterRoleBinding(
                `${name}-verify-kata-binding`,
                {
                    metadata: { name: `${KATA_VERIFY_SERVICE_ACCOUNT}.${r.keyPrefix}`, labels: VERIFY_COMPONENT_LABEL },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                    subjects: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace: ns.metadata.name }],
                },
                { parent: this },
            );
            kataDeps.push(sa, binding);
        }
        const subject = (c: PlannedRuntimeClass) => {
            if (c.runtime !== Runtime.Kata) return `gvisor ${c.handler}`;
            return installsKataDeploy(r) ? `kata-deploy ${r.kata!.chartVersion} ${c.handler}` : `${r.cloud} pod sandboxing ${c.handler}`;
        };
        return classes.map((c) => {
            const spec = verificationJob({
                runtimeClass: c.name,
                runtime: c.runtime,
                namespace: v.namespace,
                image: v.image,
                activeDeadlineSeconds: v.activeDeadlineSeconds,
                subject: subject(c),
                cloud: r.cloud,
            });
            const job = new Job(`${name}-verify-${c.name}`, spec, {
                parent: this,
                dependsOn: [ns, ...(c.runtime === Runtime.Kata ? kataDeps : []), ...prerequisites(c)],
                // Fixed names (they are the evidence users look for) and an immutable pod template.
                deleteBeforeReplace: true,
                customTimeouts: { create: `${v.activeDeadlineSeconds + 120}s`, update: `${v.activeDeadlineSeconds + 120}s` },
            });
            return { cls: c.name, job };
        });
    }
}
