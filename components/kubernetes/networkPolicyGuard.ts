// The wall a tenant cannot take down: a ValidatingAdmissionPolicy on NetworkPolicies in sandbox
// tenant namespaces (those carrying the guard's require-runtime label). Pure: the policy and its
// binding as data, in the admission guard's shape.
//
// NetworkPolicies are additive: any policy selecting a pod may allow more, and the stock `admin`
// and `edit` roles of a namespace may create, change and delete them. So, for a requester who may
// not delete the guard itself (an authorizer check: whoever may remove admission policies may as
// well remove this one, so the cluster's operators and the deployment keep their hands free):
// - the package's own policies (label `app.kubernetes.io/managed-by: sandbox-clusters`) may be
//   neither changed nor deleted, and no other policy may carry that label;
// - a tenant's own policy may open traffic only among the namespace's own pods: every ingress
//   and egress rule names its peers, and each peer is a podSelector alone (no namespaceSelector,
//   no ipBlock, which reach other namespaces, the node, the metadata service and the internet).
// Deletion by the namespace controller while the namespace terminates passes (it may delete
// anything): policies then go with the namespace, after its pods (Kubernetes deletes pods first
// since ordered namespace deletion, the fix of CVE-2024-7598).
//
// Why admission rather than cluster-scoped policy: neither EKS's VPC CNI nor kube-router enforce
// a cluster-scoped policy API (AdminNetworkPolicy / ClusterNetworkPolicy), and GKE's and AKS's
// Cilium ones differ, while namespaced NetworkPolicy is enforced by every plugin the package
// supports; keeping the tenant from loosening it works the same on every cloud.
import { GuardPolicy, NAMESPACE_NAME_LABEL, lit } from "./guardPolicySpec";

/** The label marking what the package created. */
export const MANAGED_BY_LABEL = { key: "app.kubernetes.io/managed-by", value: "sandbox-clusters" } as const;
/** Rule names, as rejection messages spell them. */
export const WallRule = {
    /** The package's policies stay as the package wrote them. */
    WallKept: "wall-kept",
    /** A tenant's policy opens traffic only among the namespace's own pods. */
    WallReopened: "wall-reopened",
} as const;

export interface NetworkPolicyGuardInput {
    /** The namespace label marking sandbox tenant namespaces. */
    requireRuntimeLabel: string;
    /** Namespaces the guard ignores. */
    exemptNamespaces: readonly string[];
}

const MANAGED = (o: string) => `has(${o}.metadata.labels) && ${lit(MANAGED_BY_LABEL.key)} in ${o}.metadata.labels && ${o}.metadata.labels[${lit(MANAGED_BY_LABEL.key)}] == ${lit(MANAGED_BY_LABEL.value)}`;
/** CEL: a list of peers that reaches past the namespace's own pods (absent or empty: everything). */
const OPENS = (peers: string) => `!has(${peers}) || size(${peers}) == 0 || ${peers}.exists(p, has(p.namespaceSelector) || has(p.ipBlock) || !has(p.podSelector))`;

/** The policy (id `network-policies`) and its binding. */
export function networkPolicyGuardPolicy(input: NetworkPolicyGuardInput): GuardPolicy {
    const ns = "request.namespace";
    return {
        id: "network-policies",
        spec: {
            failurePolicy: "Fail",
            matchConstraints: {
                resourceRules: [{ apiGroups: ["networking.k8s.io"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE", "DELETE"], resources: ["networkpolicies"] }],
            },
            matchConditions: [
                {
                    // Whoever may delete admission policies may take down the guard anyway: the
                    // cluster's operators, the identity that deploys the package, and the
                    // namespace controller (its bootstrap role deletes anything), which removes
                    // what is left of a terminating namespace.
                    name: "requester-cannot-remove-the-guard",
                    expression: "!authorizer.group('admissionregistration.k8s.io').resource('validatingadmissionpolicies').check('delete').allowed()",
                },
            ],
            variables: [
                { name: "managedOld", expression: `request.operation != 'CREATE' && ${MANAGED("oldObject")}` },
                { name: "managedNew", expression: `request.operation != 'DELETE' && ${MANAGED("object")}` },
                {
                    name: "reopens",
                    expression:
                        "request.operation != 'DELETE' && (" +
                        `(has(object.spec.ingress) && object.spec.ingress.exists(r, ${OPENS("r.from")})) || ` +
                        `(has(object.spec.egress) && object.spec.egress.exists(r, ${OPENS("r.to")})))`,
                },
            ],
            validations: [
                {
                    expression: "!variables.managedOld && !variables.managedNew",
                    message: `rule ${WallRule.WallKept}: the NetworkPolicies labelled ${MANAGED_BY_LABEL.key}=${MANAGED_BY_LABEL.value} are the sandbox's network wall`,
                    messageExpression:
                        `'namespace ' + ${ns} + ': rule ${WallRule.WallKept}: NetworkPolicy ' + (request.operation == 'DELETE' ? oldObject.metadata.name : object.metadata.name) + ` +
                        `' is part of the sandbox network wall (label ${MANAGED_BY_LABEL.key}=${MANAGED_BY_LABEL.value}); only who may remove the admission guard may ' + ` +
                        "(request.operation == 'DELETE' ? 'delete' : request.operation == 'CREATE' ? 'create' : 'change') + ' it'",
                    reason: "Forbidden",
                },
                {
                    expression: "!variables.reopens",
                    message: `rule ${WallRule.WallReopened}: in a sandbox tenant namespace a NetworkPolicy may open traffic only among the namespace's own pods`,
                    messageExpression:
                        `'namespace ' + ${ns} + ': rule ${WallRule.WallReopened}: NetworkPolicy ' + object.metadata.name + ` +
                        "' would open traffic past the sandbox network wall: in a sandbox tenant namespace every ingress rule needs from and every egress rule needs to, " +
                        "and each peer may be a podSelector alone (the namespace\\'s own pods), no namespaceSelector or ipBlock'",
                    reason: "Forbidden",
                },
            ],
        },
        binding: {
            matchResources: {
                namespaceSelector: {
                    matchExpressions: [
                        { key: input.requireRuntimeLabel, operator: "Exists" as const },
                        // A NotIn selector needs at least one value.
                        ...(input.exemptNamespaces.length > 0 ? [{ key: NAMESPACE_NAME_LABEL, operator: "NotIn" as const, values: [...input.exemptNamespaces] }] : []),
                    ],
                },
            },
        },
    };
}
