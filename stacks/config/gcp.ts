// Cloud "gcp": the project, location and network of a GKE stack. Pure: GkeCluster and the
// pools check the values themselves (componentProblems), under these keys.
import { configKey } from "./keys";
import { ParseContext } from "./reader";
import { ClusterMode, DEFAULTS, StackConfig } from "./types";

export function parseGcp({ p, values, clusterMode, provider }: ParseContext): NonNullable<StackConfig["gcp"]> {
    const project = provider("gcp:project");
    if (!project) p.add("gcp:project", `required for cloud "gcp" (the Google Cloud project ID)`);
    const location = p.str("location", "", values.location) ?? provider("gcp:region");
    if (!location) p.add(configKey("location"), `required for cloud "gcp" (a region for a regional cluster or a zone), or set gcp:region`);
    const network = p.str("network", "", values.network) ?? DEFAULTS.gkeNetwork;
    const subnetwork = p.str("subnetwork", "", values.subnetwork);
    if (clusterMode === ClusterMode.Adopt) {
        for (const k of ["network", "subnetwork"] as const) {
            if (values[k] !== undefined) p.add(configKey(k), `only applies to created clusters`);
        }
    }
    return { project: project ?? "", location: location ?? "", network, subnetwork };
}
