import * as assert from "assert";
import { SandboxNamespace } from "../../../components/kubernetes/SandboxNamespace";
import { SandboxNamespaceArgs, isCidr, sandboxNamespaceProblems } from "../../../components/kubernetes/sandboxNamespaceArgs";
import { InputPropertiesError } from "../../../components/validation";
import { installMocks, ofType, reset, resolve, settle } from "../../support/mocks";
import { validateObject } from "../../support/kubeSchema";

installMocks();

const KINDS: Record<string, { apiVersion: string; kind: string }> = {
    "kubernetes:core/v1:Namespace": { apiVersion: "v1", kind: "Namespace" },
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" },
    "kubernetes:core/v1:ResourceQuota": { apiVersion: "v1", kind: "ResourceQuota" },
    "kubernetes:core/v1:LimitRange": { apiVersion: "v1", kind: "LimitRange" },
};

/** The objects the component created, as the API server would receive them. */
async function deploy(name: string, args: SandboxNamespaceArgs): Promise<{ c: SandboxNamespace; objects: any[] }> {
    reset();
    const c = new SandboxNamespace(name, args);
    await settle();
    const objects = Object.entries(KINDS).flatMap(([type, k]) => ofType(type).map((r) => ({ ...k, ...r.inputs })));
    return { c, objects };
}
const byKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);

describe("SandboxNamespace", () => {
    it("labels the namespace with its runtime for the guard and enforces Pod Security restricted by default", async () => {
        const { c, objects } = await deploy("agents", {});
        const [ns] = byKind(objects, "Namespace");
        assert.deepStrictEqual(ns.metadata, {
            name: "agents",
            labels: {
                "app.kubernetes.io/managed-by": "sandbox-clusters",
                "sandbox-clusters.io/require-runtime": "gvisor",
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
            },
        });
        assert.strictEqual(await resolve(c.namespaceName), "agents");
        assert.strictEqual(await resolve(c.runtimeClassName), "gvisor");
        assert.deepStrictEqual(await resolve(c.networkPolicyNames), ["deny-ingress", "restrict-egress"]);
        assert.deepStrictEqual(byKind(objects, "ResourceQuota"), []);
        assert.deepStrictEqual(byKind(objects, "LimitRange"), []);
    });

    it("denies all ingress, and lets egress reach DNS and the internet but not the metadata service or private ranges", async () => {
        const { objects } = await deploy("agents", {});
        const [ingress, egress] = byKind(objects, "NetworkPolicy");
        assert.deepStrictEqual(ingress.spec, { podSelector: {}, policyTypes: ["Ingress"] });
        assert.deepStrictEqual(egress.spec, {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
                {
                    to: [
                        { ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"] } },
                        { ipBlock: { cidr: "::/0", except: ["fd00:ec2::254/128", "fc00::/7", "fe80::/10"] } },
                    ],
                },
            ],
        });
    });

    it("keeps the metadata addresses denied when the private ranges are configured away", async () => {
        const { objects } = await deploy("agents", { deniedEgressCidrs: [] });
        const [, egress] = byKind(objects, "NetworkPolicy");
        assert.deepStrictEqual(egress.spec.egress[1].to, [
            { ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } },
            { ipBlock: { cidr: "::/0", except: ["fd00:ec2::254/128"] } },
        ]);
    });

    it("creates a quota and container defaults when asked, another class and level, and no policies when turned off", async () => {
        const { c, objects } = await deploy("team-a", {
            namespace: "team-a-prod",
            runtimeClassName: "kata-qemu",
            podSecurity: "baseline",
            denyIngress: false,
            restrictEgress: false,
            resourceQuota: { pods: "50", "requests.cpu": "20" },
            containerDefaults: { defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { memory: "512Mi" } },
            labels: { team: "a" },
        });
        const [ns] = byKind(objects, "Namespace");
        assert.strictEqual(ns.metadata.name, "team-a-prod");
        assert.strictEqual(ns.metadata.labels["sandbox-clusters.io/require-runtime"], "kata-qemu");
        assert.strictEqual(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "baseline");
        assert.strictEqual(ns.metadata.labels.team, "a");
        assert.deepStrictEqual(await resolve(c.networkPolicyNames), []);
        assert.deepStrictEqual(byKind(objects, "ResourceQuota").map((q) => [q.metadata.namespace, q.spec]), [["team-a-prod", { hard: { pods: "50", "requests.cpu": "20" } }]]);
        assert.deepStrictEqual(byKind(objects, "LimitRange").map((l) => l.spec), [
            { limits: [{ type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { memory: "512Mi" } }] },
        ]);
    });

    it("emits only objects valid against the Kubernetes OpenAPI schema", async () => {
        const { objects } = await deploy("team-a", { resourceQuota: { pods: "5" }, containerDefaults: { default: { cpu: "1" } } });
        assert.strictEqual(objects.length, 5);
        for (const o of objects) await validateObject(o);
    });

    it("names every bad argument before creating anything", async () => {
        const bad: any = {
            namespace: "Team_A",
            runtimeClassName: "Gvisor!",
            podSecurity: "strict",
            restrictEgress: "yes",
            deniedEgressCidrs: ["10.0.0.0/33", "fd00::/8", "nonsense"],
            resourceQuota: { pods: "lots" },
            containerDefaults: {},
            labels: { "sandbox-clusters.io/require-runtime": "runc" },
        };
        assert.deepStrictEqual(sandboxNamespaceProblems("t", bad), [
            { code: "wrong-type", path: "restrictEgress", message: 'must be true or false (got the string "yes")' },
            { code: "malformed", path: "namespace", message: '"Team_A" is not a namespace name (a DNS label)' },
            { code: "malformed", path: "runtimeClassName", message: '"Gvisor!" is not a RuntimeClass name' },
            { code: "not-one-of", path: "podSecurity", message: '"strict" is not one of restricted, baseline, privileged' },
            { code: "malformed", path: "deniedEgressCidrs[0]", message: '"10.0.0.0/33" is not an IPv4 or IPv6 CIDR' },
            { code: "malformed", path: "deniedEgressCidrs[2]", message: '"nonsense" is not an IPv4 or IPv6 CIDR' },
            { code: "malformed", path: 'resourceQuota["pods"]', message: '"lots" is not a quantity (e.g. "50", "500m", "2Gi")' },
            { code: "required", path: "containerDefaults", message: "names neither defaultRequest nor default" },
            { code: "reserved", path: 'labels["sandbox-clusters.io/require-runtime"]', message: "is set by SandboxNamespace itself (runtimeClassName, podSecurity)" },
        ]);
        assert.deepStrictEqual(sandboxNamespaceProblems("kube-tenants", {}), [{ code: "reserved", path: "namespace", message: '"kube-tenants" is a system namespace; tenants get namespaces of their own' }]);
        reset();
        assert.throws(() => new SandboxNamespace("t", bad), (e: unknown) => e instanceof InputPropertiesError && /^SandboxNamespace "t" has invalid arguments:\n  - restrictEgress: .*\n  - namespace: /.test(e.message));
        await settle();
        assert.deepStrictEqual(Object.keys(KINDS).flatMap((t) => ofType(t)), []);
    });

    it("reads IPv4 and IPv6 CIDRs", () => {
        for (const ok of ["0.0.0.0/0", "10.0.0.0/8", "::/0", "fd00:ec2::254/128"]) assert.strictEqual(isCidr(ok), true, ok);
        for (const bad of ["10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "::/129", "x/8", "10.0.0.0/08x"]) assert.strictEqual(isCidr(bad), false, bad);
    });
});
