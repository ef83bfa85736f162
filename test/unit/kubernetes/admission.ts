// A small model of the API server's admission path for pods, enough to run the guard's
// CEL for real with a CEL library: RuntimeClass admission (merges the class's scheduling
// into the pod, as the API server does before validating admission), then a
// ValidatingAdmissionPolicy and its binding evaluated the way Kubernetes evaluates them
// (match rules, matchConditions, variables, validations, validationActions).
import { parse } from "@marcbachmann/cel-js";

export interface PodRequest {
    operation: "CREATE" | "UPDATE";
    namespace: string;
    /** Namespace labels (the policy reads them through `namespaceObject`). */
    namespaceLabels?: Record<string, string>;
    subResource?: "ephemeralcontainers";
    object: any;
    oldObject?: any;
}

export interface AdmissionResult {
    /** The policy applied to the request (matched its rules and matchConditions). */
    matched: boolean;
    allowed: boolean;
    /** Messages of the failed validations. */
    violations: string[];
    /** Violations returned as warnings (`Warn` action). */
    warnings: string[];
}

const compiled = new Map<string, ReturnType<typeof parse>>();
function cel(expression: string, context: Record<string, unknown>): unknown {
    let fn = compiled.get(expression);
    if (!fn) {
        fn = parse(expression);
        compiled.set(expression, fn);
    }
    return fn(context);
}

/** What RuntimeClass admission does to a pod naming a class: scheduling and overhead merged in. */
export function withRuntimeClass(pod: any, runtimeClasses: Record<string, any>): any {
    const name = pod.spec?.runtimeClassName;
    const rc = name ? runtimeClasses[name] : undefined;
    if (!rc) return pod;
    const spec = { ...pod.spec };
    if (rc.scheduling?.nodeSelector) spec.nodeSelector = { ...spec.nodeSelector, ...rc.scheduling.nodeSelector };
    if (rc.scheduling?.tolerations) spec.tolerations = [...(spec.tolerations ?? []), ...rc.scheduling.tolerations];
    if (rc.overhead?.podFixed) spec.overhead = { ...rc.overhead.podFixed };
    return { ...pod, spec };
}

export function admit(policy: any, binding: any, req: PodRequest): AdmissionResult {
    const notMatched = { matched: false, allowed: true, violations: [], warnings: [] };
    const resource = req.subResource ? `pods/${req.subResource}` : "pods";
    const ruleMatches = policy.spec.matchConstraints.resourceRules.some(
        (r: any) => r.apiGroups.includes("") && r.apiVersions.includes("v1") && r.operations.includes(req.operation) && r.resources.includes(resource),
    );
    if (!ruleMatches) return notMatched;

    const context: Record<string, any> = {
        object: req.object,
        oldObject: req.operation === "CREATE" ? null : req.oldObject,
        request: {
            operation: req.operation,
            namespace: req.namespace,
            name: req.object.metadata?.name ?? "",
            subResource: req.subResource ?? "",
            resource: { group: "", version: "v1", resource: "pods" },
        },
        namespaceObject: { apiVersion: "v1", kind: "Namespace", metadata: { name: req.namespace, labels: req.namespaceLabels ?? {} } },
        variables: {},
    };
    for (const mc of policy.spec.matchConditions ?? []) {
        if (cel(mc.expression, context) !== true) return notMatched;
    }
    for (const v of policy.spec.variables ?? []) context.variables[v.name] = cel(v.expression, context);
    const violations: string[] = [];
    for (const v of policy.spec.validations) {
        const ok = cel(v.expression, context);
        if (typeof ok !== "boolean") throw new Error(`validation ${v.expression} returned ${String(ok)}`);
        if (!ok) violations.push(v.messageExpression ? String(cel(v.messageExpression, context)) : v.message);
    }
    const actions: string[] = binding.spec.validationActions;
    return {
        matched: true,
        allowed: violations.length === 0 || !actions.includes("Deny"),
        violations,
        warnings: actions.includes("Warn") ? violations : [],
    };
}
