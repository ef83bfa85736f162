// The network wall a tenant cannot take down, judged by a real kube-apiserver: tenants holding
// the stock `admin` or `edit` role in their sandbox namespace (impersonated users) can neither
// delete nor loosen the package's NetworkPolicies, nor add a policy that re-opens what they
// close; they may still open traffic among their own pods. The identity that deploys the package
// (a cluster admin) keeps its hands free, namespaces that are not tenant namespaces are left
// alone, and deleting a tenant namespace still completes.
import * as assert from "assert";
import { isolationKeys } from "../../../components/isolation";
import { MANAGED_BY_LABEL, WallRule, networkPolicyGuardPolicy } from "../../../components/kubernetes/networkPolicyGuard";
import { resolveNamespaceArgs } from "../../../components/kubernetes/sandboxNamespaceArgs";
import { sandboxNamespaceObjects } from "../../../components/kubernetes/namespaceObjects";
import { KubeClient, KubeObject } from "../../support/kubeClient";
import { ControlPlane, requireBinaries, sleep } from "../../support/kubeControlPlane";
import { toolsBin } from "../../support/realParts";

const TENANT = "team-a";
const PLAIN = "plain";
const POLICY_NAME = "sandbox-guard-network-policies.test";

function policy(name: string, namespace: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject {
    return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace, labels }, spec };
}

describe("network wall on a real kube-apiserver: tenants with admin or edit cannot take it down", function () {
    this.timeout(180_000);
    let cp: ControlPlane;
    let alice: KubeClient;
    let bob: KubeClient;
    const wallMessage = (name: string, verb: string) =>
        `namespace ${TENANT}: rule ${WallRule.WallKept}: NetworkPolicy ${name} is part of the sandbox network wall (label ${MANAGED_BY_LABEL.key}=${MANAGED_BY_LABEL.value}); only who may remove the admission guard may ${verb} it`;
    const reopenMessage = (name: string) =>
        `namespace ${TENANT}: rule ${WallRule.WallReopened}: NetworkPolicy ${name} would open traffic past the sandbox network wall: in a sandbox tenant namespace every ingress rule needs from and every egress rule needs to, and each peer may be a podSelector alone (the namespace's own pods), no namespaceSelector or ipBlock`;
    const denied = (name: string, message: string) =>
        `networkpolicies.networking.k8s.io "${name}" is forbidden: ValidatingAdmissionPolicy '${POLICY_NAME}' with binding '${POLICY_NAME}' denied request: ${message}`;

    before(async function () {
        const bin = requireBinaries(this);
        cp = await ControlPlane.start(bin, {
            controllerManager: {
                binary: `${toolsBin("k8s")}/kube-controller-manager`,
                controllers: ["namespace-controller", "garbage-collector-controller", "clusterrole-aggregation-controller"],
                // The namespace controller deletes as itself, which may not remove the guard: the wall must let it.
                serviceAccountCredentials: true,
            },
        });
        const guard = networkPolicyGuardPolicy({ requireRuntimeLabel: isolationKeys().requireRuntime, exemptNamespaces: ["kube-system"] });
        await cp.admin.apply({ apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy", metadata: { name: POLICY_NAME }, spec: guard.spec });
        await cp.admin.apply({
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicyBinding",
            metadata: { name: POLICY_NAME },
            spec: { policyName: POLICY_NAME, validationActions: ["Deny"], ...guard.binding },
        });
        for (const o of sandboxNamespaceObjects(resolveNamespaceArgs(TENANT, {}))) await cp.admin.apply(o as KubeObject);
        await cp.admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: PLAIN } });
        // The stock roles, as a platform team hands them out: alice is admin, bob edit, in both namespaces.
        for (const ns of [TENANT, PLAIN]) {
            for (const [user, role] of [["alice", "admin"], ["bob", "edit"]]) {
                await cp.admin.apply({
                    apiVersion: "rbac.authorization.k8s.io/v1",
                    kind: "RoleBinding",
                    metadata: { name: `${user}-${role}`, namespace: ns },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
                    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
                });
            }
        }
        alice = cp.admin.as("alice", ["tenants"]);
        bob = cp.admin.as("bob", ["tenants"]);
        // The stock roles are aggregated by the controller manager, and the API server loads a new
        // policy and binding a moment after the writes return: wait until alice may create a
        // policy and the guard judges hers.
        const deadline = Date.now() + 60_000;
        for (;;) {
            const res = await alice.create(policy("probe", TENANT, { podSelector: {}, policyTypes: ["Egress"], egress: [{}] }), { dryRun: true });
            if (res.status === 403 && String(res.body?.message).includes(`ValidatingAdmissionPolicy '${POLICY_NAME}'`)) break;
            if (Date.now() > deadline) throw new Error(`the wall guard did not start judging within 60 s: HTTP ${res.status} ${res.body?.message}`);
            await sleep(200);
        }
    });

    after(async () => {
        alice?.close();
        bob?.close();
        await cp?.stop();
    });

    for (const [who, client] of [["admin", () => alice], ["edit", () => bob]] as const) {
        it(`a tenant with the stock ${who} role cannot delete the package's policies`, async () => {
            for (const name of ["deny-ingress", "restrict-egress"]) {
                const res = await client().request("DELETE", `/apis/networking.k8s.io/v1/namespaces/${TENANT}/networkpolicies/${name}`);
                assert.equal(res.status, 403, res.text);
                assert.equal(res.body.message, denied(name, wallMessage(name, "delete")));
            }
        });

        it(`a tenant with the stock ${who} role cannot rewrite restrict-egress to allow everything, nor relabel it`, async () => {
            const current = await cp.admin.get("networking.k8s.io/v1", "NetworkPolicy", "restrict-egress", TENANT);
            const open = { ...current, spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{}] } };
            const res = await client().request("PUT", `/apis/networking.k8s.io/v1/namespaces/${TENANT}/networkpolicies/restrict-egress`, open);
            assert.equal(res.status, 403, res.text);
            assert.equal(res.body.message, denied("restrict-egress", wallMessage("restrict-egress", "change")));
            const relabelled = { ...current, metadata: { ...current.metadata, labels: {} } };
            const res2 = await client().request("PUT", `/apis/networking.k8s.io/v1/namespaces/${TENANT}/networkpolicies/restrict-egress`, relabelled);
            assert.equal(res2.status, 403, res2.text);
        });
    }

    const REOPENERS: [string, Record<string, unknown>][] = [
        ["allow-all-egress", { podSelector: {}, policyTypes: ["Egress"], egress: [{}] }],
        ["egress-to-anywhere", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] }],
        ["egress-to-metadata", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "169.254.169.254/32" } }], ports: [{ port: 80 }] }] }],
        ["egress-to-every-namespace", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: {} }] }] }],
        ["ingress-from-everyone", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] }],
        ["ingress-from-other-tenants", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "b" } }, podSelector: {} }] }] }],
    ];
    for (const [name, spec] of REOPENERS) {
        it(`a tenant admin cannot add a policy that re-opens the wall: ${name}`, async () => {
            const res = await alice.create(policy(name, TENANT, spec));
            assert.equal(res.status, 403, res.text);
            assert.equal(res.body.message, denied(name, reopenMessage(name)));
        });
    }

    it("a tenant admin cannot pass a policy of its own off as the package's (its label)", async () => {
        const res = await alice.create(policy("impostor", TENANT, { podSelector: {}, policyTypes: ["Ingress"] }, { [MANAGED_BY_LABEL.key]: MANAGED_BY_LABEL.value }));
        assert.equal(res.status, 403, res.text);
        assert.equal(res.body.message, denied("impostor", wallMessage("impostor", "create")));
    });

    it("a tenant admin may open traffic among the namespace's own pods, and change and delete that policy", async () => {
        const own = policy("web-from-jobs", TENANT, {
            podSelector: { matchLabels: { app: "web" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: { app: "jobs" } } }], ports: [{ port: 8080 }] }],
        });
        assert.equal((await alice.create(own)).status, 201);
        const current = await alice.get("networking.k8s.io/v1", "NetworkPolicy", "web-from-jobs", TENANT);
        current.spec.ingress[0].ports = [{ port: 9090 }];
        const put = await alice.request("PUT", `/apis/networking.k8s.io/v1/namespaces/${TENANT}/networkpolicies/web-from-jobs`, current);
        assert.equal(put.status, 200, put.text);
        assert.equal((await bob.request("DELETE", `/apis/networking.k8s.io/v1/namespaces/${TENANT}/networkpolicies/web-from-jobs`)).status, 200);
    });

    it("a namespace that is not a sandbox tenant namespace is left alone", async () => {
        const res = await alice.create(policy("allow-all-egress", PLAIN, { podSelector: {}, policyTypes: ["Egress"], egress: [{}] }));
        assert.equal(res.status, 201, res.text);
    });

    it("the cluster admin (who deploys the package) may change and delete the package's policies", async () => {
        const current = await cp.admin.get("networking.k8s.io/v1", "NetworkPolicy", "deny-ingress", TENANT);
        current.metadata.annotations = { note: "changed by the deployment" };
        const put = await cp.admin.request("PUT", `/apis/networking.k8s.io/v1/namespaces/${TENANT}/networkpolicies/deny-ingress`, current);
        assert.equal(put.status, 200, put.text);
        const del = await cp.admin.request("DELETE", `/apis/networking.k8s.io/v1/namespaces/${TENANT}/networkpolicies/deny-ingress`);
        assert.equal(del.status, 200, del.text);
    });

    it("deleting the tenant namespace still completes: the namespace controller removes the policies it holds", async () => {
        await cp.admin.ok("DELETE", `/api/v1/namespaces/${TENANT}`);
        const deadline = Date.now() + 60_000;
        let res = await cp.admin.request("GET", `/api/v1/namespaces/${TENANT}`);
        while (res.status !== 404) {
            if (Date.now() > deadline) throw new Error(`namespace ${TENANT} still there after 60 s: ${JSON.stringify(res.body?.status)}`);
            await sleep(250);
            res = await cp.admin.request("GET", `/api/v1/namespaces/${TENANT}`);
        }
    });
});
