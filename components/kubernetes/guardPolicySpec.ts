// The vocabulary the admission guard renders to: ValidatingAdmissionPolicy and binding specs
// (admissionregistration.k8s.io/v1), the places a pod spec lives in the objects the guard
// judges, and CEL string literals. Pure.

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
export interface ResourceRule {
    apiGroups: string[];
    apiVersions: string[];
    operations: string[];
    resources: string[];
}
export interface LabelSelector {
    matchExpressions: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}
export interface GuardPolicySpec {
    failurePolicy: "Fail";
    paramKind?: { apiVersion: string; kind: string };
    matchConstraints: { resourceRules: ResourceRule[] };
    matchConditions: NamedExpression[];
    variables: NamedExpression[];
    validations: Validation[];
}
/** A binding's spec without `policyName` and `validationActions` (the component adds them). */
export interface GuardBindingSpec {
    matchResources?: { namespaceSelector: LabelSelector };
    paramRef?: { selector: LabelSelector; parameterNotFoundAction: "Allow" | "Deny" };
}
export interface GuardPolicy {
    /** Short name, unique among the guard's policies: part of the object names. */
    id: string;
    spec: GuardPolicySpec;
    binding: GuardBindingSpec;
}

/** Label the API server sets on every namespace to its own name (immutable). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
/** Where a pod spec lives in the objects of some resources. */
export interface PodSpecPath {
    /** Short name: part of the policy name. */
    id: string;
    /** What the policy matches (CREATE and UPDATE). */
    resources: { group: string; resources: string[] }[];
    /** CEL path of the pod spec below `object` (and `oldObject`). */
    path: string;
    /**
     * Whether spec.nodeName is judged on every request (templates) or only when the pod is
     * created (pods: the scheduler's binding sets it on a pod later).
     */
    nodeNameOnCreateOnly: boolean;
    /** CEL path below `object` of claim templates that give the pods volumes (StatefulSets). */
    claimTemplatesPath?: string;
}

/** Every place the guard reads a pod spec from. */
export const POD_SPEC_PATHS: readonly PodSpecPath[] = [
    // Ephemeral containers arrive through their own subresource.
    { id: "pods", resources: [{ group: "", resources: ["pods", "pods/ephemeralcontainers"] }], path: "spec", nodeNameOnCreateOnly: true },
    {
        id: "workloads",
        resources: [
            { group: "apps", resources: ["deployments", "replicasets", "statefulsets", "daemonsets"] },
            { group: "batch", resources: ["jobs"] },
            { group: "", resources: ["replicationcontrollers"] },
        ],
        path: "spec.template.spec",
        nodeNameOnCreateOnly: false,
        // Only StatefulSets have them; the other kinds' objects never carry the field.
        claimTemplatesPath: "spec.volumeClaimTemplates",
    },
    { id: "cronjobs", resources: [{ group: "batch", resources: ["cronjobs"] }], path: "spec.jobTemplate.spec.template.spec", nodeNameOnCreateOnly: false },
];

/** A CEL string literal (single-quoted; escapes backslash and quote). */
export function lit(s: string): string {
    return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
/** A CEL list of string literals. */
export function list(items: readonly string[]): string {
    return `[${items.map(lit).join(", ")}]`;
}
/** A CEL expression inside a message, as opposed to its literal text. */
export interface Cel {
    cel: string;
}
export const cel = (expression: string): Cel => ({ cel: expression });
/** A CEL string expression joining literal text and CEL parts (adjacent literals merged). */
export function concat(parts: readonly (string | Cel)[]): string {
    const merged: (string | Cel)[] = [];
    for (const p of parts) {
        const last = merged[merged.length - 1];
        if (typeof p === "string" && typeof last === "string") merged[merged.length - 1] = last + p;
        else merged.push(p);
    }
    return merged.map((p) => (typeof p === "string" ? lit(p) : p.cel)).join(" + ");
}
