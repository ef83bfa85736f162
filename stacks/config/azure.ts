// Cloud "azure": the resource group, region and admins of an AKS stack. Pure: AksCluster and
// the pools check the values themselves (componentProblems), under these keys.
import { configKey } from "./keys";
import { ParseContext } from "./reader";
import { ClusterMode, StackConfig } from "./types";


export function parseAzure({ p, values, clusterMode, provider }: ParseContext): NonNullable<StackConfig["azure"]> {
    const resourceGroup = p.str("resourceGroup", "", values.resourceGroup, true);
    const location = p.str("location", "", values.location) ?? provider("azure-native:location");
    if (!location && clusterMode === ClusterMode.Create) p.add(configKey("location"), `required for a created AKS cluster (its Azure region, e.g. westeurope), or set azure-native:location`);
    const adminGroupObjectIds = p.strList("adminGroupObjectIds", values.adminGroupObjectIds) ?? [];
    if (adminGroupObjectIds.length > 0 && clusterMode === ClusterMode.Adopt) {
        p.add(configKey("adminGroupObjectIds"), `only applies to created clusters; grant an adopted cluster's admins where it was made`);
    }
    return { resourceGroup: resourceGroup ?? "", location: location ?? "", adminGroupObjectIds };
}
