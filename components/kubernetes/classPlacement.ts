// Placement of pods that name a RuntimeClass the cloud owns: a MutatingAdmissionPolicy
// (admissionregistration.k8s.io/v1, GA and on by default from Kubernetes 1.36) that gives every
// pod naming one of those classes the node selector and tolerations of the package's pool, as
// the RuntimeClass's own `scheduling` would if the package wrote the class. EKS creates and owns
// `isolated-sandbox` and `confidential-sandbox` on Auto Mode, and documents neither their handler
// nor their scheduling, so the package cannot write those classes; it steers their pods instead.
// Pure: returns the policy and binding objects.
import { RuntimeClassScheduling, Toleration } from "../isolation";
import { lit } from "./guardPolicySpec";

/** API version of MutatingAdmissionPolicy and its binding (GA in Kubernetes 1.36). */
export const MUTATING_ADMISSION_POLICY_API_VERSION = "admissionregistration.k8s.io/v1";
/** First Kubernetes minor version that serves it by default. */
export const MUTATING_ADMISSION_POLICY_MIN_MINOR = 36;

export interface ClassPlacementInput {
    /** Name of the policy and of its binding. */
    name: string;
    /** RuntimeClasses whose pods are placed (owned by the cloud, never written by the package). */
    classes: readonly string[];
    /** What each such pod gets: the contract's node selector and tolerations of the pool. */
    scheduling: RuntimeClassScheduling;
    /** Labels on both objects. */
    labels: Record<string, string>;
}

/** A toleration as a CEL object of the pod's toleration type. */
function tolerationObject(t: Toleration): string {
    const fields = [`key: ${lit(t.key)}`, `operator: ${lit(t.operator)}`];
    if (t.value !== undefined) fields.push(`value: ${lit(t.value)}`);
    if (t.effect !== undefined) fields.push(`effect: ${lit(t.effect)}`);
    return `Object.spec.tolerations{${fields.join(", ")}}`;
}

/** CEL: the pod already carries exactly this toleration. */
function tolerated(t: Toleration): string {
    const same = (field: string, value: string | undefined) =>
        value === undefined ? `!has(x.${field})` : `has(x.${field}) && x.${field} == ${lit(value)}`;
    return `object.spec.tolerations.exists(x, ${[same("key", t.key), same("value", t.value), same("effect", t.effect)].join(" && ")})`;
}

/**
 * The JSON patches, as one CEL list: the tolerations the pod lacks (the whole list when it has
 * none) and every node selector entry (added, or replacing the pod's own value for that key, as
 * a RuntimeClass would refuse a conflicting one: the class decides where its pods run).
 */
export function placementPatchExpression(scheduling: RuntimeClassScheduling): string {
    const parts: string[] = [];
    const tolerations = scheduling.tolerations;
    if (tolerations.length > 0) {
        const missing = tolerations.map(
            (t) => `(${tolerated(t)} ? [] : [JSONPatch{op: 'add', path: '/spec/tolerations/-', value: ${tolerationObject(t)}}])`,
        );
        const all = `[JSONPatch{op: 'add', path: '/spec/tolerations', value: [${tolerations.map(tolerationObject).join(", ")}]}]`;
        parts.push(`(has(object.spec.tolerations) ? ${missing.join(" + ")} : ${all})`);
    }
    const selector = Object.entries(scheduling.nodeSelector);
    if (selector.length > 0) {
        const each = selector.map(([k, v]) => `JSONPatch{op: 'add', path: '/spec/nodeSelector/' + jsonpatch.escapeKey(${lit(k)}), value: ${lit(v)}}`);
        const whole = `JSONPatch{op: 'add', path: '/spec/nodeSelector', value: {${selector.map(([k, v]) => `${lit(k)}: ${lit(v)}`).join(", ")}}}`;
        parts.push(`(has(object.spec.nodeSelector) ? [${each.join(", ")}] : [${whole}])`);
    }
    return parts.length > 0 ? parts.join(" + ") : "[]";
}

/** The policy and its binding; pods are matched when created, on every namespace. */
export function classPlacementObjects(input: ClassPlacementInput) {
    const classes = `[${input.classes.map(lit).join(", ")}]`;
    const policy = {
        apiVersion: MUTATING_ADMISSION_POLICY_API_VERSION,
        kind: "MutatingAdmissionPolicy" as const,
        metadata: { name: input.name, labels: { ...input.labels } },
        spec: {
            // A pod this policy cannot place is refused rather than left to land anywhere.
            failurePolicy: "Fail" as const,
            reinvocationPolicy: "Never" as const,
            matchConstraints: {
                resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }],
            },
            matchConditions: [{ name: "names-a-placed-class", expression: `has(object.spec.runtimeClassName) && object.spec.runtimeClassName in ${classes}` }],
            mutations: [{ patchType: "JSONPatch" as const, jsonPatch: { expression: placementPatchExpression(input.scheduling) } }],
        },
    };
    const binding = {
        apiVersion: MUTATING_ADMISSION_POLICY_API_VERSION,
        kind: "MutatingAdmissionPolicyBinding" as const,
        metadata: { name: input.name, labels: { ...input.labels } },
        spec: { policyName: input.name },
    };
    return { policy, binding };
}
