// Cloud "kubernetes": a cluster adopted through its kubeconfig, and the runtimes of the sandbox
// nodes its owner provisions. Pure.
import { RUNTIMES, Runtime } from "../../components/isolation";
import { configKey } from "./keys";
import { ParseContext, strip } from "./reader";
import { StackConfig } from "./types";

/** The kubeconfig (inline secret or a file) and the runtimes of the user's sandbox nodes. */
export function parseKubernetes({ p, values }: ParseContext): NonNullable<StackConfig["kubernetes"]> {
    const kubeconfig = p.str("kubeconfig", "", values.kubeconfig);
    const kubeconfigPath = p.str("kubeconfigPath", "", values.kubeconfigPath);
    if (values.kubeconfig === undefined && values.kubeconfigPath === undefined) {
        p.add(configKey("kubeconfig"), `required for cloud "kubernetes": the cluster's kubeconfig (\`pulumi config set --secret ${configKey("kubeconfig")} < file\`), or name its file in ${configKey("kubeconfigPath")}`);
    }
    if (values.kubeconfig !== undefined && values.kubeconfigPath !== undefined) {
        p.add(configKey("kubeconfigPath"), `set either ${configKey("kubeconfig")} or ${configKey("kubeconfigPath")}, not both`);
    }
    let runtimes: Runtime[] = [];
    if (values.nodeRuntimes === undefined) {
        p.add(configKey("nodeRuntimes"), `required for cloud "kubernetes": the runtimes your sandbox nodes have (${RUNTIMES.join(", ")})`);
    } else {
        const listed = p.strList("nodeRuntimes", values.nodeRuntimes) ?? [];
        if (Array.isArray(values.nodeRuntimes) && values.nodeRuntimes.length === 0) p.add(configKey("nodeRuntimes"), `must name at least one runtime (${RUNTIMES.join(", ")})`);
        listed.forEach((r, i) => {
            if (!(RUNTIMES as readonly string[]).includes(r)) p.add(configKey("nodeRuntimes", `[${i}]`), `must be one of ${RUNTIMES.join(", ")} (got "${r}")`);
        });
        runtimes = listed.filter((r): r is Runtime => (RUNTIMES as readonly string[]).includes(r));
    }
    const distribution = p.str("kubernetesDistribution", "", values.kubernetesDistribution);
    return strip({ kubeconfig, kubeconfigPath, runtimes, distribution });
}
