// What Google Cloud would answer after `pulumi up`, for the resources and data sources the program uses.
import { CloudMocks, FAKE_CA, FAKE_ENDPOINT_IP, text } from "./cloudMocks";

export const GCP: CloudMocks = {
    resources: {
        "gcp:serviceaccount/account:Account": (a, c) => ({
            email: `${text(a.inputs, "accountId", a.name)}@${text(a.inputs, "project", c["gcp:project"])}.iam.gserviceaccount.com`,
        }),
        "gcp:container/cluster:Cluster": (a) => ({
            name: text(a.inputs, "name", a.name),
            endpoint: FAKE_ENDPOINT_IP,
            masterAuth: { clusterCaCertificate: FAKE_CA },
        }),
        "gcp:container/nodePool:NodePool": (a) => ({ name: text(a.inputs, "name", a.name) }),
    },
    calls: {
        "gcp:container/getCluster:getCluster": (i) => ({
            name: i.name,
            location: i.location,
            project: i.project,
            endpoint: FAKE_ENDPOINT_IP,
            masterAuths: [{ clusterCaCertificate: FAKE_CA }],
            id: `projects/${text(i, "project")}/locations/${text(i, "location")}/clusters/${text(i, "name")}`,
        }),
        "gcp:compute/getImage:getImage": () => ({ selfLink: "projects/plan/global/images/plan", name: "plan", id: "plan" }),
    },
};
