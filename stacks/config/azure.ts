// Cloud "azure": the resource group, region and admins of an AKS stack. Pure.
import { configKey } from "./keys";
import { ParseContext } from "./reader";
import { ClusterMode, StackConfig } from "./types";

const AZURE_RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
const AZURE_LOCATION = /^[a-z][a-z0-9]*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseAzure({ p, values, clusterMode, provider }: ParseContext): NonNullable<StackConfig["azure"]> {
    const resourceGroup = p.str("resourceGroup", "", values.resourceGroup, true);
    if (resourceGroup !== undefined && !AZURE_RESOURCE_GROUP.test(resourceGroup)) {
        p.add(configKey("resourceGroup"), `"${resourceGroup}" is not a resource group name (1-90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.')`);
    }
    const location = p.str("location", "", values.location) ?? provider("azure-native:location");
    if (!location && clusterMode === ClusterMode.Create) p.add(configKey("location"), `required for a created AKS cluster (its Azure region, e.g. westeurope), or set azure-native:location`);
    else if (location && !AZURE_LOCATION.test(location)) p.add(configKey("location"), `"${location}" is not an Azure region name such as westeurope`);
    const adminGroupObjectIds = p.strList("adminGroupObjectIds", values.adminGroupObjectIds) ?? [];
    adminGroupObjectIds.forEach((g, i) => {
        if (!GUID.test(g)) p.add(configKey("adminGroupObjectIds", `[${i}]`), `"${g}" is not a Microsoft Entra object ID (a GUID)`);
    });
    if (adminGroupObjectIds.length > 0 && clusterMode === ClusterMode.Adopt) {
        p.add(configKey("adminGroupObjectIds"), `only applies to created clusters; grant an adopted cluster's admins where it was made`);
    }
    return { resourceGroup: resourceGroup ?? "", location: location ?? "", adminGroupObjectIds };
}
