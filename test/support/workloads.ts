// Sample objects for the guard tests: a pod spec wrapped as each kind that carries one, with the
// API group and resource the API server files its requests under.
export interface WorkloadKind {
    kind: string;
    apiVersion: string;
    group: string;
    resource: string;
    /** The object's `spec` around a pod spec. */
    wrap: (podSpec: any) => any;
}

const labels = { app: "sample" };
const template = (spec: any) => ({ metadata: { labels }, spec });

/** Every kind with a pod template, as the guard must judge it at apply. */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
    { kind: "Deployment", apiVersion: "apps/v1", group: "apps", resource: "deployments", wrap: (s) => ({ selector: { matchLabels: labels }, template: template(s) }) },
    { kind: "ReplicaSet", apiVersion: "apps/v1", group: "apps", resource: "replicasets", wrap: (s) => ({ selector: { matchLabels: labels }, template: template(s) }) },
    {
        kind: "StatefulSet",
        apiVersion: "apps/v1",
        group: "apps",
        resource: "statefulsets",
        wrap: (s) => ({ serviceName: "sample", selector: { matchLabels: labels }, template: template(s) }),
    },
    { kind: "DaemonSet", apiVersion: "apps/v1", group: "apps", resource: "daemonsets", wrap: (s) => ({ selector: { matchLabels: labels }, template: template(s) }) },
    { kind: "Job", apiVersion: "batch/v1", group: "batch", resource: "jobs", wrap: (s) => ({ template: template({ restartPolicy: "Never", ...s }) }) },
    {
        kind: "CronJob",
        apiVersion: "batch/v1",
        group: "batch",
        resource: "cronjobs",
        wrap: (s) => ({ schedule: "*/5 * * * *", jobTemplate: { spec: { template: template({ restartPolicy: "Never", ...s }) } } }),
    },
    { kind: "ReplicationController", apiVersion: "v1", group: "", resource: "replicationcontrollers", wrap: (s) => ({ selector: labels, template: template(s) }) },
];

/** The object of `kind` named `name` in `namespace` whose pods get `podSpec`. */
export function workload(kind: WorkloadKind, name: string, namespace: string, podSpec: any): any {
    return { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name, namespace }, spec: kind.wrap(podSpec) };
}

/** The pod spec inside a workload object. */
export function podSpecOf(obj: any): any {
    if (obj.kind === "Pod") return obj.spec;
    if (obj.kind === "CronJob") return obj.spec.jobTemplate.spec.template.spec;
    return obj.spec.template.spec;
}
