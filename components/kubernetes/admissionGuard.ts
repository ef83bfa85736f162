// The admission guard: ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1) that close
// what taints and RuntimeClasses leave open (invariants 4 and 5, per-namespace runtime
// requirements, pods placed by nodeName past the taints of invariant 1, host ports and node
// volumes). Pure: returns policy and binding specs.
//
// One set of pod rules (`podRules`) is rendered once per place a pod spec lives: pods
// themselves, the `spec.template` of Deployments, ReplicaSets, DaemonSets, Jobs and
// ReplicationControllers, StatefulSets (whose claim templates also count) and CronJobs
// (`spec.jobTemplate.spec.template`). Only the variable `spec` (where the pod spec is) and
// `placement` (whether spec.nodeName is judged) differ between the renderings, so a workload
// is refused at apply, `--dry-run=server` included, with the message its pods would get.
//
// The CEL uses only what both Kubernetes' CEL and the JS CEL library the unit tests run it with
// evaluate. Claims of sandboxed pods are judged in two places: the pod rules let sandboxed pods
// use claims only in sandbox tenant namespaces, and a policy on PersistentVolumes
// (`tenantVolumePolicy`) keeps hostPath and local PVs from those namespaces' claims.
//
// Every rule is a string variable (empty when the rule holds); one validation joins
// the broken ones, because the API server reports only the first failed validation of a policy.
import { Taint, formatTaint } from "../isolation";
import {
    Cel,
    GuardBindingSpec,
    GuardPolicy,
    NAMESPACE_NAME_LABEL,
    NamedExpression,
    POD_SPEC_PATHS,
    PodSpecPath,
    Validation,
    cel,
    concat,
    list,
    lit,
} from "./guardPolicySpec";

/** What the guard needs to know. */
export interface GuardPolicyInput {
    /** Sandbox RuntimeClass names (created here or owned by GKE). */
    sandboxClasses: readonly string[];
    /** Every taint a sandbox node may carry (`sandboxTaints()`). */
    sandboxTaints: readonly Taint[];
    /** Namespace label naming the only RuntimeClass its pods may use; it marks sandbox tenant namespaces. */
    requireRuntimeLabel: string;
    /** Namespaces the guard ignores (excluded by the bindings' namespaceSelector). */
    exemptNamespaces: readonly string[];
    /** Let sandboxed pods use container hostPort. */
    allowHostPorts: boolean;
    /** CSI drivers whose inline (`csi:`) volumes sandboxed pods may mount. */
    allowedCsiDrivers: readonly string[];
    /** How rejection messages name the settings that relax a rule (the caller's names). */
    settingNames: { exemptNamespaces: string; allowHostPorts: string; allowedCsiDrivers: string };
}

/**
 * The volume types a sandboxed pod may mount, besides inline csi of allowed drivers: Pod
 * Security's restricted list. The kubelet serves them from its own files or through claims
 * (which the claims rule keeps to tenant namespaces); every other type is mounted by the node
 * (flexVolume drivers, the node kernel's nfs, iscsi, rbd or fc client, an image), outside the sandbox.
 */
export const SANDBOX_VOLUME_TYPES = ["configMap", "secret", "downwardAPI", "projected", "emptyDir", "persistentVolumeClaim", "ephemeral"] as const;

/** Rule names, as rejection messages spell them. */
export const GuardRule = {
    SandboxToleration: "sandbox-toleration",
    NamespaceRuntime: "namespace-runtime",
    SandboxHostNamespaces: "sandbox-host-namespaces",
    SandboxPrivileged: "sandbox-privileged",
    SandboxHostPath: "sandbox-host-path",
    SandboxVolumeTypes: "sandbox-volume-types",
    SandboxHostPorts: "sandbox-host-ports",
    SandboxClaims: "sandbox-claims",
    NodeName: "node-name",
    TenantNodeVolume: "tenant-node-volume",
} as const;
/** One of the values of `GuardRule`. */
export type GuardRule = (typeof GuardRule)[keyof typeof GuardRule];

/** A pod rule: a CEL condition on `variables.spec` and the text of its violation (CEL string). */
interface PodRule {
    rule: GuardRule;
    /** CEL variable holding the violation ('' when the rule holds). */
    variable: string;
    broken: string;
    /** The violation's text: literal parts and CEL parts. */
    text: (string | Cel)[];
}

const S = "variables.spec";
const HAS_CLASS = `has(${S}.runtimeClassName)`;
const NS = "request.namespace";
const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;
const anyContainer = (lists: readonly string[], cond: string) => lists.map((f) => `(has(${S}.${f}) && ${S}.${f}.exists(c, ${cond}))`).join(" || ");

/**
 * The rules every pod spec must keep, most important first. `variables.sandboxed`,
 * `toleratesSandbox` and `requiredClass` are the shared facts (`factVariables`).
 */
function podRules(input: GuardPolicyInput): PodRule[] {
    const taints = input.sandboxTaints.map(formatTaint).join(", ");
    const classes = input.sandboxClasses.join(", ");
    const rules: PodRule[] = [
        {
            rule: GuardRule.SandboxToleration,
            variable: "sandboxToleration",
            broken: "variables.toleratesSandbox && !variables.sandboxed",
            text: [
                `a toleration matches a sandbox node taint (${taints}) but runtimeClassName is not a sandbox RuntimeClass (${classes}); ` +
                    "a node agent that must run on every node belongs in an exempt namespace: add ",
                cel(NS),
                ` to ${input.settingNames.exemptNamespaces}`,
            ],
        },
        {
            rule: GuardRule.NamespaceRuntime,
            variable: "namespaceRuntime",
            broken: `variables.requiredClass != '' && !(${HAS_CLASS} && ${S}.runtimeClassName == variables.requiredClass)`,
            text: ["the namespace admits only runtimeClassName ", cel("variables.requiredClass"), ` (namespace label ${input.requireRuntimeLabel})`],
        },
        {
            rule: GuardRule.SandboxHostNamespaces,
            variable: "sandboxHostNamespaces",
            broken:
                `variables.sandboxed && ((has(${S}.hostNetwork) && ${S}.hostNetwork) || ` +
                `(has(${S}.hostPID) && ${S}.hostPID) || (has(${S}.hostIPC) && ${S}.hostIPC))`,
            text: ["sandboxed pods must not use hostNetwork, hostPID or hostIPC"],
        },
        {
            rule: GuardRule.SandboxPrivileged,
            variable: "sandboxPrivileged",
            broken: `variables.sandboxed && (${anyContainer(CONTAINER_LISTS, "has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged")})`,
            text: ["sandboxed pods must not run privileged containers (containers, initContainers, ephemeralContainers)"],
        },
        {
            // A hostPath volume reaches the node's filesystem past the sandbox (gVisor's gofer
            // and Kata's shared filesystem serve it as is): opting out like privileged does.
            rule: GuardRule.SandboxHostPath,
            variable: "sandboxHostPath",
            broken: `variables.sandboxed && has(${S}.volumes) && ${S}.volumes.exists(v, has(v.hostPath))`,
            text: ["sandboxed pods must not mount hostPath volumes"],
        },
        {
            // Every other volume type the node mounts for the pod: a flexVolume driver runs as
            // root on the node, nfs, iscsi, rbd and fc hand the node kernel a filesystem or block
            // device the tenant may control. hostPath has its own rule above.
            rule: GuardRule.SandboxVolumeTypes,
            variable: "sandboxVolumeTypes",
            broken:
                `variables.sandboxed && has(${S}.volumes) && ${S}.volumes.exists(v, !has(v.hostPath) && !(` +
                [...SANDBOX_VOLUME_TYPES.map((t) => `has(v.${t})`), ...(input.allowedCsiDrivers.length > 0 ? [`(has(v.csi) && v.csi.driver in ${list(input.allowedCsiDrivers)})`] : [])].join(" || ") +
                "))",
            text: [
                `sandboxed pods may mount only ${SANDBOX_VOLUME_TYPES.join(", ")} volumes, and csi volumes of allowed drivers ` +
                    `(${input.allowedCsiDrivers.length > 0 ? input.allowedCsiDrivers.join(", ") : "none"}; allow one with ${input.settingNames.allowedCsiDrivers}): ` +
                    "the node mounts any other volume (flexVolume, nfs, iscsi, rbd, image...) outside the sandbox",
            ],
        },
    ];
    rules.push({
        // A claim may be bound to a hostPath or local PersistentVolume (an admin's, or one that
        // local-path-provisioner or OpenEBS hostpath made), which is the node's disk as surely as
        // an inline hostPath. A policy cannot look up the bound PV; the PV policy
        // (\`tenantVolumePolicy\`) keeps such PVs from the claims of tenant namespaces, so sandboxed
        // pods may use claims there only.
        rule: GuardRule.SandboxClaims,
        variable: "sandboxClaims",
        broken:
            `variables.sandboxed && variables.requiredClass == '' && ` +
            `(variables.claimTemplates || (has(${S}.volumes) && ${S}.volumes.exists(v, has(v.persistentVolumeClaim) || has(v.ephemeral))))`,
        text: [
            "sandboxed pods may use persistentVolumeClaim, ephemeral or claim-template volumes only in a sandbox tenant namespace " +
                `(label ${input.requireRuntimeLabel}=<class>, or a SandboxNamespace), whose claims the guard keeps from hostPath and local PersistentVolumes`,
        ],
    });
    if (!input.allowHostPorts) {
        rules.push({
            // A host port is the node's own address: a tenant could squat a port on every node.
            rule: GuardRule.SandboxHostPorts,
            variable: "sandboxHostPorts",
            // Ephemeral containers may not declare ports.
            broken: `variables.sandboxed && (${anyContainer(["containers", "initContainers"], "has(c.ports) && c.ports.exists(p, has(p.hostPort) && p.hostPort != 0)")})`,
            text: [
                `sandboxed pods must not use hostPort (it exposes the node's address); allow it with ${input.settingNames.allowHostPorts}`,
            ],
        });
    }
    rules.push({
        // A pod created with spec.nodeName skips the scheduler, and the kubelet does not enforce
        // NoSchedule taints: a plain pod could be placed on a sandbox node. Sandboxed pods are
        // safe (the kubelet checks their class's node selector).
        rule: GuardRule.NodeName,
        variable: "nodeName",
        broken: `variables.placement && has(${S}.nodeName) && ${S}.nodeName != '' && !variables.sandboxed`,
        text: [
            "pods may set spec.nodeName (which bypasses the scheduler and the sandbox nodes' NoSchedule taints) only with a sandbox RuntimeClass; " +
                "debug a node from kube-system (kubectl debug node/<name> -n kube-system)",
        ],
    });
    return rules;
}

/** The facts the pod rules share, computed once per request. */
function factVariables(input: GuardPolicyInput, at: PodSpecPath): NamedExpression[] {
    const label = lit(input.requireRuntimeLabel);
    const taintList = `[${input.sandboxTaints.map((t) => `{'key': ${lit(t.key)}, 'value': ${lit(t.value)}, 'effect': ${lit(t.effect)}}`).join(", ")}]`;
    const exists = (t: string) => `(has(${t}.operator) && ${t}.operator == 'Exists')`;
    return [
        { name: "spec", expression: `object.${at.path}` },
        { name: "placement", expression: at.nodeNameOnCreateOnly ? "request.operation == 'CREATE'" : "true" },
        {
            name: "claimTemplates",
            expression: at.claimTemplatesPath ? `has(object.${at.claimTemplatesPath}) && size(object.${at.claimTemplatesPath}) > 0` : "false",
        },
        { name: "sandboxed", expression: `${HAS_CLASS} && ${S}.runtimeClassName in ${list(input.sandboxClasses)}` },
        {
            // As the scheduler matches them: an empty effect tolerates every effect, an empty key
            // with Exists every key, Exists every value, Equal (the default) only the same value.
            name: "toleratesSandbox",
            expression:
                `has(${S}.tolerations) && ${S}.tolerations.exists(t, ${taintList}.exists(s, ` +
                "(!has(t.effect) || t.effect == '' || t.effect == s.effect) && " +
                `((!has(t.key) || t.key == '') ? ${exists("t")} : t.key == s.key) && ` +
                `(${exists("t")} || (has(t.value) ? t.value : '') == s.value)))`,
        },
        {
            name: "requiredClass",
            expression: `has(namespaceObject.metadata.labels) && ${label} in namespaceObject.metadata.labels ? namespaceObject.metadata.labels[${label}] : ''`,
        },
    ];
}

/** Variables of the rules, then `violations` (the broken ones' messages, most important first). */
function ruleVariables(rules: readonly PodRule[]): NamedExpression[] {
    return [
        ...rules.map((r) => ({ name: r.variable, expression: `${r.broken} ? ${concat([`rule ${r.rule}: `, ...r.text])} : ''` })),
        { name: "violations", expression: `[${rules.map((r) => `variables.${r.variable}`).join(", ")}].filter(m, m != '')` },
    ];
}

/** The one validation: no rule broken; the message names the namespace and every broken rule. */
function violationsValidation(rules: readonly PodRule[], subject: string): Validation {
    return {
        expression: "size(variables.violations) == 0",
        // Only if the message expression itself fails.
        message: `${subject} breaks a sandbox admission rule (${rules.map((r) => r.rule).join(", ")})`,
        messageExpression: concat(["namespace ", cel(NS), ": ", cel("variables.violations.join('; ')")]),
        reason: "Forbidden",
    };
}

/** Excludes the exempt namespaces by name, before any CEL runs. */
function exemptBinding(input: GuardPolicyInput): GuardBindingSpec {
    return {
        matchResources: {
            namespaceSelector: {
                matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: "NotIn", values: [...input.exemptNamespaces] }],
            },
        },
    };
}

/** CEL: the request creates the object or changes what the pod rules read (pod spec, claim templates). */
function changes(at: PodSpecPath): string {
    const paths = [at.path, ...(at.claimTemplatesPath ? [at.claimTemplatesPath] : [])];
    const differs = (p: string) => {
        const [o, old] = [`object.${p}`, `oldObject.${p}`];
        if (p === at.path) return `${o} != ${old}`;
        // An optional field: present on one side only, or different.
        const [parent, field] = [p.slice(0, p.lastIndexOf(".")), p.slice(p.lastIndexOf(".") + 1)];
        return `(has(object.${parent}.${field}) != has(oldObject.${parent}.${field}) || (has(object.${parent}.${field}) && ${o} != ${old}))`;
    };
    return `request.operation == 'CREATE' || ${paths.map(differs).join(" || ")}`;
}

/** The policy judging the pod specs at one path. */
export function podSpecPolicy(input: GuardPolicyInput, at: PodSpecPath): GuardPolicy {
    const rules = podRules(input);
    return {
        id: at.id,
        spec: {
            failurePolicy: "Fail",
            matchConstraints: {
                resourceRules: at.resources.map((r) => ({ apiGroups: [r.group], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: r.resources })),
            },
            // Updates that leave the pod spec alone (labels, finalizers, status, scaling) pass, so
            // objects created before the guard can still be scaled, relabelled and deleted.
            matchConditions: [{ name: "creates-or-changes-pod-spec", expression: changes(at) }],
            variables: [...factVariables(input, at), ...ruleVariables(rules)],
            validations: [violationsValidation(rules, at.id === "pods" ? "the pod" : "the pod template")],
        },
        binding: exemptBinding(input),
    };
}

/**
 * PersistentVolumes of type hostPath or local (the node's own disk) may not be bound to a claim
 * in a sandbox tenant namespace: refused when a PV is created pre-bound to such a claim (as
 * dynamic provisioners create theirs) and when the PV controller binds one (it writes
 * \`spec.claimRef\`), so the claim stays Pending. PVs are cluster-scoped and a policy cannot read
 * another object, so the tenant namespaces come in as params: the binding's paramRef selects
 * every Namespace carrying the require-runtime label (exempt ones left out), the policy runs once
 * per such namespace, and each run checks that the claim is not in it. No tenant namespace, no
 * params: allowed.
 */
export function tenantVolumePolicy(input: GuardPolicyInput): GuardPolicy {
    const claim = "object.spec.claimRef";
    const kind = "(has(object.spec.hostPath) ? 'hostPath' : 'local')";
    return {
        id: "volumes",
        spec: {
            failurePolicy: "Fail",
            paramKind: { apiVersion: "v1", kind: "Namespace" },
            matchConstraints: {
                resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["persistentvolumes"] }],
            },
            matchConditions: [
                { name: "node-volume", expression: "has(object.spec.hostPath) || has(object.spec.local)" },
                {
                    // Binding (or rebinding) a claim; other updates of a bound PV pass.
                    name: "binds-a-claim",
                    expression:
                        `has(${claim}) && has(${claim}.namespace) && ` +
                        `(request.operation == 'CREATE' || !has(oldObject.spec.claimRef) || !has(oldObject.spec.claimRef.namespace) || ` +
                        `oldObject.spec.claimRef.namespace != ${claim}.namespace || oldObject.spec.claimRef.name != ${claim}.name)`,
                },
            ],
            variables: [],
            validations: [
                {
                    expression: `${claim}.namespace != params.metadata.name`,
                    message: `a hostPath or local PersistentVolume may not be bound to a claim in a sandbox tenant namespace (label ${input.requireRuntimeLabel})`,
                    messageExpression: concat([
                        "namespace ",
                        cel(`${claim}.namespace`),
                        `: rule ${GuardRule.TenantNodeVolume}: PersistentVolume `,
                        cel("object.metadata.name"),
                        " (",
                        cel(kind),
                        ") may not be bound to claim ",
                        cel(`${claim}.namespace + '/' + (has(${claim}.name) ? ${claim}.name : '')`),
                        `: the namespace is a sandbox tenant namespace (label ${input.requireRuntimeLabel}) and a hostPath or local volume is the node's disk, ` +
                            "past the sandbox; give its claims a StorageClass of network or block volumes",
                    ]),
                    reason: "Forbidden",
                },
            ],
        },
        binding: {
            paramRef: {
                selector: {
                    matchExpressions: [
                        { key: input.requireRuntimeLabel, operator: "Exists" },
                        { key: NAMESPACE_NAME_LABEL, operator: "NotIn", values: [...input.exemptNamespaces] },
                    ],
                },
                parameterNotFoundAction: "Allow",
            },
        },
    };
}

/** Every policy of the guard, each with what its binding needs. */
export function guardPolicies(input: GuardPolicyInput): GuardPolicy[] {
    return [...POD_SPEC_PATHS.map((at) => podSpecPolicy(input, at)), tenantVolumePolicy(input)];
}
