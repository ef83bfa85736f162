// The admission guard's objects in a stack's plan, and the API server's own wording for what
// they decide, for the suites that judge the guard on a real kube-apiserver.
import { KubeClient, KubeObject } from "./kubeClient";
import { sleep } from "./kubeControlPlane";
import { StackPlan, ofKind } from "./kubeStack";

export interface GuardPair {
    policy: KubeObject;
    binding: KubeObject;
}

/** The guard policy of the plan that matches `group`/`resource`, with its binding. */
export function guardFor(plan: StackPlan, group: string, resource: string): GuardPair {
    const policies = ofKind(plan, "ValidatingAdmissionPolicy").filter((p) =>
        p.spec.matchConstraints.resourceRules.some((r: any) => r.apiGroups.includes(group) && r.resources.includes(resource)),
    );
    if (policies.length !== 1) throw new Error(`plan ${plan.stack}: expected one guard policy for ${group}/${resource}, found ${policies.length}`);
    const policy = policies[0];
    const bindings = ofKind(plan, "ValidatingAdmissionPolicyBinding").filter((b) => b.spec.policyName === policy.metadata.name);
    if (bindings.length !== 1) throw new Error(`plan ${plan.stack}: expected one binding of ${policy.metadata.name}, found ${bindings.length}`);
    return { policy, binding: bindings[0] };
}

/** `deployments.apps`, `pods`: how the API server names a resource in its messages. */
export function resourceLabel(group: string, resource: string): string {
    return group === "" ? resource : `${resource}.${group}`;
}

/** The API server's message when `guard` denies the object `name` of `group`/`resource`. */
export function deniedMessage(guard: GuardPair, group: string, resource: string, name: string, message: string): string {
    return (
        `${resourceLabel(group, resource)} "${name}" is forbidden: ` +
        `ValidatingAdmissionPolicy '${guard.policy.metadata.name}' with binding '${guard.binding.metadata.name}' denied request: ${message}`
    );
}

/** The warning the API server returns when `guard` is in Warn mode. */
export function warningMessage(guard: GuardPair, message: string): string {
    return `Validation failed for ValidatingAdmissionPolicy '${guard.policy.metadata.name}' with binding '${guard.binding.metadata.name}': ${message}`;
}

/**
 * The API server loads policies and bindings asynchronously, after the write that made them has
 * returned: waits until every `probe` (an object every guard binding of the plan must judge) gets
 * a verdict from the guard, a rejection or a warning, or with `verdict: "deny"` a rejection (a
 * binding just switched from Warn to Deny). Returns the milliseconds the wait took.
 */
export async function waitGuardJudges(
    client: KubeClient,
    probes: KubeObject[],
    timeoutMs = 30_000,
    verdict: "any" | "deny" = "any",
): Promise<number> {
    const start = Date.now();
    const deadline = start + timeoutMs;
    const pending = [...probes];
    while (pending.length > 0) {
        const res = await client.create(pending[0], { dryRun: true });
        if (res.status === 403 || (verdict === "any" && res.warnings.length > 0)) {
            pending.shift();
            continue;
        }
        if (Date.now() > deadline) {
            const wanted = verdict === "deny" ? "refuse" : "judge";
            throw new Error(`the guard did not ${wanted} ${pending[0].kind} ${pending[0].metadata.name} within ${timeoutMs} ms (HTTP ${res.status})`);
        }
        await sleep(200);
    }
    return Date.now() - start;
}
