// The admission guard: a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) that
// closes what taints and RuntimeClasses leave open (invariants 4 and 5, per-namespace
// runtime requirements, and pods placed by nodeName past the taints of invariant 1). Pure: returns the policy and binding specs; the CEL uses only
// what both Kubernetes' CEL and the JS CEL library the tests run it with can evaluate.

/** What the guard needs to know. */
export interface GuardPolicyInput {
    /** Sandbox RuntimeClass names (created here or owned by GKE). */
    sandboxClasses: readonly string[];
    /** Taint keys of sandbox nodes (`sandboxTaintKeys()`). */
    sandboxTaintKeys: readonly string[];
    /** Namespace label key naming the only RuntimeClass its pods may use. */
    requireRuntimeLabel: string;
    /** Namespaces the guard ignores. */
    exemptNamespaces: readonly string[];
}

export interface NamedExpression {
    name: string;
    expression: string;
}
export interface Validation {
    expression: string;
    message: string;
    messageExpression?: string;
    reason: "Forbidden" | "Invalid";
}
export interface GuardPolicySpec {
    failurePolicy: "Fail";
    matchConstraints: {
        resourceRules: { apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }[];
    };
    matchConditions: NamedExpression[];
    variables: NamedExpression[];
    validations: Validation[];
}

const PRIVILEGED = "has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged";

/** A CEL string literal (single-quoted; escapes backslash and quote). */
function lit(s: string): string {
    return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
function list(items: readonly string[]): string {
    return `[${items.map(lit).join(", ")}]`;
}

/**
 * The policy spec. Pods are checked on CREATE and on every UPDATE that changes their spec
 * (tolerations may be added to a running pod; ephemeral containers arrive through the
 * `pods/ephemeralcontainers` subresource). Updates that leave the spec alone (labels,
 * finalizers, status) pass, so pods created before the guard can still be deleted.
 */
export function guardPolicySpec(input: GuardPolicyInput): GuardPolicySpec {
    const label = lit(input.requireRuntimeLabel);
    return {
        failurePolicy: "Fail",
        matchConstraints: {
            resourceRules: [
                {
                    apiGroups: [""],
                    apiVersions: ["v1"],
                    operations: ["CREATE", "UPDATE"],
                    resources: ["pods", "pods/ephemeralcontainers"],
                },
            ],
        },
        matchConditions: [
            { name: "not-exempt-namespace", expression: `!(request.namespace in ${list(input.exemptNamespaces)})` },
            { name: "creates-or-changes-spec", expression: "request.operation == 'CREATE' || object.spec != oldObject.spec" },
        ],
        // No list concatenation or `x ? list : []`: Kubernetes types containers,
        // initContainers and ephemeralContainers differently, so each list is tested on its own.
        variables: [
            {
                name: "sandboxed",
                expression: `has(object.spec.runtimeClassName) && object.spec.runtimeClassName in ${list(input.sandboxClasses)}`,
            },
            {
                name: "toleratesSandbox",
                expression:
                    "has(object.spec.tolerations) && object.spec.tolerations.exists(t, " +
                    `(has(t.key) && t.key in ${list(input.sandboxTaintKeys)}) || ` +
                    "((!has(t.key) || t.key == '') && has(t.operator) && t.operator == 'Exists'))",
            },
            {
                name: "privileged",
                expression: ["containers", "initContainers", "ephemeralContainers"]
                    .map((f) => `(has(object.spec.${f}) && object.spec.${f}.exists(c, ${PRIVILEGED}))`)
                    .join(" || "),
            },
            {
                name: "requiredClass",
                expression: `has(namespaceObject.metadata.labels) && ${label} in namespaceObject.metadata.labels ? namespaceObject.metadata.labels[${label}] : ''`,
            },
        ],
        validations: [
            {
                expression: "!variables.toleratesSandbox || variables.sandboxed",
                message:
                    `pods that tolerate a sandbox node taint (${input.sandboxTaintKeys.join(", ")}, or every taint) ` +
                    `must set runtimeClassName to a sandbox RuntimeClass (${input.sandboxClasses.join(", ")})`,
                reason: "Forbidden",
            },
            {
                expression:
                    "!variables.sandboxed || !((has(object.spec.hostNetwork) && object.spec.hostNetwork) || " +
                    "(has(object.spec.hostPID) && object.spec.hostPID) || (has(object.spec.hostIPC) && object.spec.hostIPC))",
                message: "sandboxed pods must not use hostNetwork, hostPID or hostIPC",
                reason: "Forbidden",
            },
            {
                expression: "!variables.sandboxed || !variables.privileged",
                message: "sandboxed pods must not run privileged containers (containers, initContainers, ephemeralContainers)",
                reason: "Forbidden",
            },
            {
                expression:
                    "variables.requiredClass == '' || (has(object.spec.runtimeClassName) && object.spec.runtimeClassName == variables.requiredClass)",
                message: `this namespace admits only pods of the RuntimeClass named by its label ${input.requireRuntimeLabel}`,
                messageExpression: `'this namespace admits only pods with runtimeClassName ' + variables.requiredClass + ' (namespace label ${input.requireRuntimeLabel})'`,
                reason: "Forbidden",
            },
            {
                // A pod created with spec.nodeName skips the scheduler, and the kubelet does not
                // enforce NoSchedule taints: a plain pod could be placed on a sandbox node.
                // Sandboxed pods are safe (the kubelet checks their class's node selector).
                expression: "request.operation != 'CREATE' || !has(object.spec.nodeName) || object.spec.nodeName == '' || variables.sandboxed",
                message: "pods may set spec.nodeName (which bypasses the scheduler and the sandbox nodes' NoSchedule taints) only with a sandbox RuntimeClass",
                reason: "Forbidden",
            },
            {
                // A hostPath volume reaches the node's filesystem past the sandbox (gVisor's gofer
                // and Kata's shared filesystem serve it as is): opting out like privileged does.
                expression: "!variables.sandboxed || !(has(object.spec.volumes) && object.spec.volumes.exists(v, has(v.hostPath)))",
                message: "sandboxed pods must not mount hostPath volumes",
                reason: "Forbidden",
            },
        ],
    };
}
