// A small model of the API server's admission path, enough to run the guard's CEL for real with
// a CEL library: RuntimeClass admission (merges the class's scheduling into a pod, as the API
// server does before validating admission), then a ValidatingAdmissionPolicy and its binding
// evaluated the way Kubernetes evaluates them (resource rules, the binding's namespaceSelector,
// matchConditions, params selected by the binding's paramRef, variables, validations with
// messageExpression, validationActions). Every expression it evaluates is recorded, so a test
// can prove that each expression the component emits ran.
import { parse } from "@marcbachmann/cel-js";

export interface AdmissionRequest {
    operation: "CREATE" | "UPDATE";
    /** API group of the resource ("" for the core group). Default "". */
    group?: string;
    /** Resource (plural). Default "pods". */
    resource?: string;
    subResource?: string;
    /** Namespace of the object; undefined for a cluster-scoped one. */
    namespace?: string;
    /** Labels of that namespace (the API server adds `kubernetes.io/metadata.name` itself). */
    namespaceLabels?: Record<string, string>;
    object: any;
    oldObject?: any;
    /** Objects of the policy's paramKind in the cluster, for the binding's paramRef selector. */
    params?: any[];
}

export interface AdmissionResult {
    /** The policy applied to the request (matched its rules, its binding and its matchConditions). */
    matched: boolean;
    allowed: boolean;
    /** Messages of the failed validations (one per failed validation and param). */
    violations: string[];
    /** Violations returned as warnings (`Warn` action). */
    warnings: string[];
}

/** Every expression evaluated so far, across all requests. */
export const evaluated = new Set<string>();

const compiled = new Map<string, ReturnType<typeof parse>>();
function cel(expression: string, context: Record<string, unknown>): unknown {
    evaluated.add(expression);
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

/** A label selector (`matchLabels`, `matchExpressions`) applied to a label map. */
export function selects(selector: any, labels: Record<string, string>): boolean {
    for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (labels[k] !== v) return false;
    for (const e of selector?.matchExpressions ?? []) {
        const has = e.key in labels;
        const ok =
            e.operator === "In" ? has && e.values.includes(labels[e.key]) :
            e.operator === "NotIn" ? !has || !e.values.includes(labels[e.key]) :
            e.operator === "Exists" ? has :
            e.operator === "DoesNotExist" ? !has :
            (() => { throw new Error(`unknown selector operator ${e.operator}`); })();
        if (!ok) return false;
    }
    return true;
}

export function admit(policy: any, binding: any, req: AdmissionRequest): AdmissionResult {
    const notMatched = { matched: false, allowed: true, violations: [], warnings: [] };
    const group = req.group ?? "";
    const resource = req.resource ?? "pods";
    const full = req.subResource ? `${resource}/${req.subResource}` : resource;
    const ruleMatches = policy.spec.matchConstraints.resourceRules.some(
        (r: any) => r.apiGroups.includes(group) && r.apiVersions.includes("v1") && r.operations.includes(req.operation) && r.resources.includes(full),
    );
    if (!ruleMatches) return notMatched;
    if (binding.spec.policyName !== policy.metadata.name) throw new Error(`binding ${binding.metadata.name} names policy ${binding.spec.policyName}`);
    const nsLabels = req.namespace === undefined ? undefined : { ...req.namespaceLabels, "kubernetes.io/metadata.name": req.namespace };
    // A namespaceSelector never skips a cluster-scoped object.
    const nsSelector = binding.spec.matchResources?.namespaceSelector;
    if (nsSelector && nsLabels && !selects(nsSelector, nsLabels)) return notMatched;

    let params: any[] = [null];
    if (binding.spec.paramRef) {
        if (!policy.spec.paramKind) throw new Error("paramRef without paramKind");
        params = (req.params ?? []).filter((p) => selects(binding.spec.paramRef.selector, p.metadata?.labels ?? {}));
        if (params.length === 0) {
            if (binding.spec.paramRef.parameterNotFoundAction === "Allow") return { ...notMatched, matched: true };
            return decide(binding, ["no params found for the binding's paramRef"]);
        }
    }

    const base: Record<string, any> = {
        object: req.object,
        oldObject: req.operation === "CREATE" ? null : req.oldObject,
        request: {
            operation: req.operation,
            namespace: req.namespace ?? "",
            name: req.object.metadata?.name ?? "",
            subResource: req.subResource ?? "",
            resource: { group, version: "v1", resource },
        },
        namespaceObject: nsLabels === undefined ? null : { apiVersion: "v1", kind: "Namespace", metadata: { name: req.namespace, labels: nsLabels } },
    };
    const violations: string[] = [];
    for (const param of params) {
        const context: Record<string, any> = { ...base, params: param, variables: {} };
        if (!(policy.spec.matchConditions ?? []).every((mc: any) => cel(mc.expression, context) === true)) return notMatched;
        for (const v of policy.spec.variables ?? []) context.variables[v.name] = cel(v.expression, context);
        for (const v of policy.spec.validations) {
            const ok = cel(v.expression, context);
            if (typeof ok !== "boolean") throw new Error(`validation ${v.expression} returned ${String(ok)}`);
            if (ok) continue;
            const message = v.messageExpression ? cel(v.messageExpression, context) : v.message;
            if (typeof message !== "string") throw new Error(`messageExpression ${v.messageExpression} returned ${String(message)}`);
            violations.push(message);
        }
    }
    return decide(binding, violations);
}

function decide(binding: any, violations: string[]): AdmissionResult {
    const actions: string[] = binding.spec.validationActions;
    return {
        matched: true,
        allowed: violations.length === 0 || !actions.includes("Deny"),
        violations,
        warnings: actions.includes("Warn") ? violations : [],
    };
}
