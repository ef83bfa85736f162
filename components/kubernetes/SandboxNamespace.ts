// SandboxNamespace: a sandbox tenant namespace for a team or an agent workload. Its pods may use
// only its RuntimeClass (the guard's require-runtime label, which also keeps hostPath and local
// PersistentVolumes from its claims), Pod Security admission enforces `restricted` by default,
// ingress is denied, egress reaches DNS and the internet but not the cloud metadata service or
// private ranges, and a quota and container defaults are optional. The Kubernetes provider comes
// through `opts`; the guard itself is SandboxRuntimes'.
import * as pulumi from "@pulumi/pulumi";
import { LimitRange, Namespace, ResourceQuota } from "@pulumi/kubernetes/core/v1";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1";
import { InputPropertiesError } from "../validation";
import { SandboxNamespaceArgs, resolveNamespaceArgs, sandboxNamespaceProblems } from "./sandboxNamespaceArgs";
import { NamespaceObject, sandboxNamespaceObjects } from "./namespaceObjects";

export const SANDBOX_NAMESPACE_TYPE = "sandbox-clusters:index:SandboxNamespace";

/**
 * A sandbox tenant namespace for a team or an agent workload: its pods may use only its
 * RuntimeClass (the admission guard of SandboxRuntimes reads the namespace's require-runtime
 * label, and keeps hostPath and local PersistentVolumes from its claims), Pod Security admission
 * enforces `restricted` by default, ingress is denied, and egress reaches DNS and the internet
 * but not the cloud metadata service or private ranges. A quota and container defaults are
 * optional. Give it the cluster's Kubernetes provider.
 *
 * @example
 * ```ts
 * import * as k8s from "@pulumi/kubernetes";
 * import { PodSecurityLevel, RuntimeClassName, SandboxNamespace } from "sandbox-clusters";
 *
 * const provider = new k8s.Provider("cluster", { kubeconfig: "<kubeconfig of a cluster with SandboxRuntimes>" });
 * export const agents = new SandboxNamespace("agents", {
 *     runtimeClassName: RuntimeClassName.Gvisor,
 *     podSecurity: PodSecurityLevel.Restricted,
 *     resourceQuota: { pods: "50", "requests.cpu": "20", "requests.memory": "64Gi" },
 *     containerDefaults: { defaultRequest: { cpu: "100m", memory: "128Mi" } },
 * }, { provider });
 * export const namespaceName = agents.namespaceName; // "agents"
 * ```
 */
export class SandboxNamespace extends pulumi.ComponentResource {
    /** Name of the namespace. */
    public readonly namespaceName: pulumi.Output<string>;
    /** The only RuntimeClass its pods may use. */
    public readonly runtimeClassName: pulumi.Output<string>;
    /** Names of its NetworkPolicies (empty when both are turned off). */
    public readonly networkPolicyNames: pulumi.Output<string[]>;

    constructor(name: string, args: SandboxNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super(SANDBOX_NAMESPACE_TYPE, name, args, opts);
        const problems = sandboxNamespaceProblems(name, args);
        if (problems.length > 0) throw new InputPropertiesError(`SandboxNamespace "${name}"`, problems);
        const r = resolveNamespaceArgs(name, args);
        const [nsObject, ...inside] = sandboxNamespaceObjects(r);
        const ns = new Namespace(`${name}-namespace`, { metadata: nsObject.metadata }, { parent: this });
        const child = (o: NamespaceObject) => {
            const { apiVersion: _v, kind, metadata, ...rest } = o;
            const input = { metadata: { ...metadata, namespace: ns.metadata.name }, ...rest } as any;
            const childOpts = { parent: this };
            const id = `${name}-${metadata.name}`;
            if (kind === "NetworkPolicy") return new NetworkPolicy(id, input, childOpts);
            if (kind === "ResourceQuota") return new ResourceQuota(id, input, childOpts);
            if (kind === "LimitRange") return new LimitRange(id, input, childOpts);
            throw new Error(`SandboxNamespace: no resource for kind ${kind}`);
        };
        const children = inside.map((o) => ({ kind: o.kind, res: child(o) }));

        this.namespaceName = ns.metadata.name;
        this.runtimeClassName = pulumi.output(r.runtimeClassName);
        this.networkPolicyNames = pulumi.all(children.filter((c) => c.kind === "NetworkPolicy").map((c) => (c.res as NetworkPolicy).metadata.name));
        this.registerOutputs({
            namespaceName: this.namespaceName,
            runtimeClassName: this.runtimeClassName,
            networkPolicyNames: this.networkPolicyNames,
        });
    }
}
