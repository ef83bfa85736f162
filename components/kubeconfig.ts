// A kubeconfig whose user authenticates through an exec plugin (the clouds' CLIs), so it
// holds no credential; it is still exported as a secret, since it names the endpoint. Pure.

/** Renders a one-cluster kubeconfig (JSON, which is valid YAML) with an exec-plugin user. */
export function execKubeconfig(name: string, server: string, caData: string, exec: Record<string, unknown>): string {
    const doc = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name, cluster: { server, "certificate-authority-data": caData } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
        "current-context": name,
        users: [{ name, user: { exec } }],
        preferences: {},
    };
    // JSON is valid YAML, and kubectl and the Kubernetes provider read both.
    return JSON.stringify(doc, null, 2);
}
