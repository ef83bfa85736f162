import * as assert from "assert";
import * as fc from "fast-check";
import { Cloud, Runtime, TaintEffect, formatTaint, nodeStamp } from "../../../components/isolation";
import { InputPropertiesError } from "../../../components/validation";
import { NameKind, nameProblems } from "../../../components/names";
import { GkeSandboxNodePool } from "../../../components/gcp/GkeSandboxNodePool";
import {
    GKE_LEGACY_NODE_SERVICE_ACCOUNT_ROLES,
    GKE_NODE_SERVICE_ACCOUNT_ROLES,
    GkeSandboxNodePoolArgs,
    gkeDefaultServiceAccountId,
    gkeSandboxNodePoolProblems,
} from "../../../components/gcp/gkeSandboxNodePoolArgs";
import { GkeDiskType, GkeImageType } from "../../../components/gcp/nodeConfig";
import { installMocks, ofType, one, reset, resolve, settle, state } from "../../support/mocks";
import { assertGoldenJson } from "../../support/golden";

const NODE_POOL = "gcp:container/nodePool:NodePool";
const ACCOUNT = "gcp:serviceaccount/account:Account";
const IAM_MEMBER = "gcp:projects/iAMMember:IAMMember";

const BASE = { cluster: "sandbox", location: "europe-west4", project: "demo-project" };

async function deploy(name: string, args: Partial<GkeSandboxNodePoolArgs> & Pick<GkeSandboxNodePoolArgs, "runtime">) {
    const pool = new GkeSandboxNodePool(name, { ...BASE, ...args });
    const outputs = {
        nodePoolName: await resolve(pool.nodePoolName),
        serviceAccountEmail: await resolve(pool.serviceAccountEmail),
    };
    await settle();
    return { pool, outputs, nodePool: one(NODE_POOL).inputs };
}

/**
 * The error the constructor throws; fails when it throws none, or when any cloud resource
 * reached the engine before the error (registrations are asynchronous, hence the wait).
 */
async function rejection(args: Partial<GkeSandboxNodePoolArgs>): Promise<InputPropertiesError> {
    let error: unknown;
    try {
        new GkeSandboxNodePool("bad", { ...BASE, runtime: Runtime.Kata, ...args } as GkeSandboxNodePoolArgs);
    } catch (e) {
        error = e;
    }
    await settle();
    assert.ok(error instanceof InputPropertiesError, `expected the arguments to be rejected, got ${String(error)}`);
    assert.deepStrictEqual(
        state.resources.filter((r) => r.type.startsWith("gcp:")).map((r) => r.name),
        [],
        "resources were created before the arguments were rejected",
    );
    return error;
}

describe("GkeSandboxNodePool", () => {
    before(installMocks);
    beforeEach(reset);

    describe("gVisor mode", () => {
        it("renders the node config in the golden file", async () => {
            const { nodePool } = await deploy("gvisor", { runtime: Runtime.Gvisor, labels: { team: "ml", "example.com/tier": "batch" } });
            assertGoldenJson("gcp/gvisor.nodeConfig.json", nodePool.nodeConfig);
        });

        it("uses GKE Sandbox through sandboxConfig.type on COS, not the deprecated sandboxType", async () => {
            const { nodePool } = await deploy("gvisor", { runtime: Runtime.Gvisor });
            assert.deepStrictEqual(nodePool.nodeConfig.sandboxConfig, { type: "GVISOR" });
            assert.strictEqual(nodePool.nodeConfig.imageType, "COS_CONTAINERD");
            assert.strictEqual(nodePool.nodeConfig.advancedMachineFeatures, undefined);
        });

        it("turns SMT off when asked, without nested virtualization", async () => {
            const { nodePool } = await deploy("gvisor", { runtime: Runtime.Gvisor, threadsPerCore: 1 });
            assert.deepStrictEqual(nodePool.nodeConfig.advancedMachineFeatures, { threadsPerCore: 1 });
        });

        it("sends no sandbox.gke.io label or taint, and no stamp of its own", async () => {
            const { nodePool } = await deploy("gvisor", { runtime: Runtime.Gvisor, labels: { team: "ml" } });
            assert.deepStrictEqual(nodePool.nodeConfig.labels, { team: "ml" });
            assert.deepStrictEqual(nodePool.nodeConfig.taints, []);
        });

        it("reports GKE's reserved label and taint as its node stamp", async () => {
            const { pool } = await deploy("gvisor", { runtime: Runtime.Gvisor });
            assert.deepStrictEqual(pool.nodeStamp, nodeStamp(Runtime.Gvisor, Cloud.Gcp));
            assert.deepStrictEqual(pool.nodeStamp.taints.map(formatTaint), ["sandbox.gke.io/runtime=gvisor:NoSchedule"]);
            assert.strictEqual(pool.nodeStamp.appliedByCloud, true);
            assert.deepStrictEqual([pool.mode, pool.machineType], ["gke-sandbox", "e2-standard-2"]);
        });
    });

    describe("Kata mode", () => {
        it("renders the node config in the golden file", async () => {
            const { nodePool } = await deploy("kata", {
                runtime: Runtime.Kata,
                spot: true,
                taints: [{ key: "example.com/dedicated", value: "ci", effect: TaintEffect.NoExecute }],
            });
            assertGoldenJson("gcp/kata.nodeConfig.json", nodePool.nodeConfig);
        });

        it("turns on nested virtualization with the threadsPerCore the schema requires, on Ubuntu", async () => {
            const { nodePool } = await deploy("kata", { runtime: Runtime.Kata });
            assert.deepStrictEqual(nodePool.nodeConfig.advancedMachineFeatures, { threadsPerCore: 0, enableNestedVirtualization: true });
            assert.strictEqual(nodePool.nodeConfig.imageType, "UBUNTU_CONTAINERD");
            assert.strictEqual(nodePool.nodeConfig.machineType, "n2-standard-4");
            assert.strictEqual(nodePool.nodeConfig.sandboxConfig, undefined);
        });

        it("carries exactly the contract's labels and taints, startup taint included, in GKE's effect spelling", async () => {
            const { pool, nodePool } = await deploy("kata", { runtime: Runtime.Kata });
            const stamp = nodeStamp(Runtime.Kata, Cloud.Gcp);
            assert.deepStrictEqual(pool.nodeStamp, stamp);
            assert.deepStrictEqual([pool.mode, pool.machineType], ["nested-virtualization", "n2-standard-4"]);
            assert.deepStrictEqual(nodePool.nodeConfig.labels, stamp.labels);
            assert.deepStrictEqual(nodePool.nodeConfig.taints, [
                { key: "sandbox-clusters.io/runtime", value: "kata", effect: "NO_SCHEDULE" },
                { key: "startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready", value: "true", effect: "NO_SCHEDULE" },
            ]);
            assert.ok(stamp.startupTaints.length === 1 && stamp.taints.includes(stamp.startupTaints[0]));
        });

        it("appends user labels and taints after the stamp and moves the stamp under a custom key prefix", async () => {
            const { nodePool } = await deploy("kata", {
                runtime: Runtime.Kata,
                keyPrefix: "sandbox.example.com",
                labels: { team: "ml" },
                taints: [{ key: "dedicated", value: "ci", effect: TaintEffect.PreferNoSchedule }],
            });
            assert.deepStrictEqual(nodePool.nodeConfig.labels, { "sandbox.example.com/runtime": "kata", team: "ml" });
            assert.deepStrictEqual(
                nodePool.nodeConfig.taints.map((t: any) => `${t.key}=${t.value}:${t.effect}`),
                ["sandbox.example.com/runtime=kata:NO_SCHEDULE", "startup-taint.cluster-autoscaler.kubernetes.io/kata-not-ready=true:NO_SCHEDULE", "dedicated=ci:PREFER_NO_SCHEDULE"],
            );
        });

        it("pins N1 pools to Haswell or later, where nested virtualization exists", async () => {
            const { nodePool } = await deploy("kata", { runtime: Runtime.Kata, machineType: "n1-standard-4" });
            assert.strictEqual(nodePool.nodeConfig.minCpuPlatform, "Intel Haswell");
        });

        it("boots Hyperdisk-only series from hyperdisk-balanced by default", async () => {
            const { nodePool } = await deploy("kata", { runtime: Runtime.Kata, machineType: "c4-standard-8" });
            assert.strictEqual(nodePool.nodeConfig.diskType, "hyperdisk-balanced");
            assert.strictEqual(nodePool.nodeConfig.minCpuPlatform, undefined);
        });
    });

    describe("both modes", () => {
        for (const runtime of [Runtime.Gvisor, Runtime.Kata]) {
            it(`hides node credentials, uses shielded nodes and keeps nodes repaired and upgraded (${runtime})`, async () => {
                const { nodePool } = await deploy(runtime, { runtime });
                const c = nodePool.nodeConfig;
                assert.deepStrictEqual(c.workloadMetadataConfig, { mode: "GKE_METADATA" });
                assert.deepStrictEqual(c.shieldedInstanceConfig, { enableSecureBoot: true, enableIntegrityMonitoring: true });
                assert.deepStrictEqual(c.oauthScopes, ["https://www.googleapis.com/auth/cloud-platform"]);
                assert.deepStrictEqual(c.metadata, { "disable-legacy-endpoints": "true" });
                assert.deepStrictEqual(nodePool.management, { autoRepair: true, autoUpgrade: true });
                assert.deepStrictEqual(nodePool.upgradeSettings, { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 });
            });
        }

        it("creates a least-privilege service account with the node roles when none is given", async () => {
            const { outputs, nodePool } = await deploy("kata", { runtime: Runtime.Kata });
            const account = one(ACCOUNT);
            assert.strictEqual(account.inputs.accountId, "kata-nodes");
            assert.strictEqual(account.inputs.project, "demo-project");
            assert.strictEqual(outputs.serviceAccountEmail, "kata-nodes@project.iam.gserviceaccount.com");
            assert.strictEqual(nodePool.nodeConfig.serviceAccount, outputs.serviceAccountEmail);
            const grants = ofType(IAM_MEMBER).map((r) => [r.inputs.project, r.inputs.role, r.inputs.member]);
            assert.deepStrictEqual(grants, [
                ["demo-project", "roles/container.defaultNodeServiceAccount", "serviceAccount:kata-nodes@project.iam.gserviceaccount.com"],
                ["demo-project", "roles/artifactregistry.reader", "serviceAccount:kata-nodes@project.iam.gserviceaccount.com"],
            ]);
            assert.deepStrictEqual([...GKE_NODE_SERVICE_ACCOUNT_ROLES], grants.map((g) => g[1]));
        });

        it("grants the roles it is given instead, e.g. the per-role list CIS scanners look for", async () => {
            await deploy("kata", { runtime: Runtime.Kata, serviceAccountRoles: [...GKE_LEGACY_NODE_SERVICE_ACCOUNT_ROLES] });
            assert.deepStrictEqual(
                ofType(IAM_MEMBER).map((r) => [r.name, r.inputs.role]),
                [
                    ["kata-logging-logWriter", "roles/logging.logWriter"],
                    ["kata-monitoring-metricWriter", "roles/monitoring.metricWriter"],
                    ["kata-monitoring-viewer", "roles/monitoring.viewer"],
                    ["kata-stackdriver-resourceMetadata-writer", "roles/stackdriver.resourceMetadata.writer"],
                    ["kata-artifactregistry-reader", "roles/artifactregistry.reader"],
                ],
            );
        });

        it("uses a given service account and creates no account or grants", async () => {
            const email = "nodes@other.iam.gserviceaccount.com";
            const { outputs, nodePool } = await deploy("gvisor", { runtime: Runtime.Gvisor, serviceAccountEmail: email });
            assert.strictEqual(outputs.serviceAccountEmail, email);
            assert.strictEqual(nodePool.nodeConfig.serviceAccount, email);
            assert.deepStrictEqual(ofType(ACCOUNT).concat(ofType(IAM_MEMBER)), []);
        });

        it("passes cluster, location, project, zones, version and name through, and outputs the pool name", async () => {
            const { outputs, nodePool } = await deploy("gvisor", {
                runtime: Runtime.Gvisor,
                nodeLocations: ["europe-west4-a", "europe-west4-b"],
                version: "1.34.1-gke.1000",
                nodePoolName: "gvisor-pool",
            });
            assert.strictEqual(outputs.nodePoolName, "gvisor-pool");
            assert.deepStrictEqual(
                [nodePool.cluster, nodePool.location, nodePool.project, nodePool.nodeLocations, nodePool.version, nodePool.name],
                ["sandbox", "europe-west4", "demo-project", ["europe-west4-a", "europe-west4-b"], "1.34.1-gke.1000", "gvisor-pool"],
            );
        });

        it("sizes the pool with a fixed count by default and with autoscaling when asked", async () => {
            const fixed = (await deploy("fixed", { runtime: Runtime.Gvisor })).nodePool;
            assert.deepStrictEqual([fixed.nodeCount, fixed.autoscaling, fixed.initialNodeCount], [1, undefined, undefined]);
            reset();
            const scaled = (await deploy("scaled", { runtime: Runtime.Kata, autoscaling: { minNodeCount: 1, maxNodeCount: 5 } })).nodePool;
            assert.deepStrictEqual([scaled.nodeCount, scaled.autoscaling, scaled.initialNodeCount], [undefined, { minNodeCount: 1, maxNodeCount: 5 }, 1]);
        });

        it("labels the VMs with the node labels that are valid Compute Engine labels", async () => {
            const { nodePool } = await deploy("kata", { runtime: Runtime.Kata, labels: { team: "ml", "example.com/tier": "batch", owner: "Alice" } });
            assert.deepStrictEqual(nodePool.nodeConfig.resourceLabels, { team: "ml" });
        });

        it("derives a valid, distinct service account id from long or unusual component names", () => {
            assert.strictEqual(gkeDefaultServiceAccountId("kata"), "kata-nodes");
            // Sanitised names carry a hash: "1st_Pool" and "sb-1st-pool" must not share an account.
            assert.match(gkeDefaultServiceAccountId("1st_Pool"), /^sb-1st-pool-nodes-[0-9a-f]{6}$/);
            assert.strictEqual(gkeDefaultServiceAccountId("sb-1st-pool"), "sb-1st-pool-nodes");
            assert.notStrictEqual(gkeDefaultServiceAccountId("sandbox-dev-k--1"), gkeDefaultServiceAccountId("sandbox-dev-k-1"));
            const a = gkeDefaultServiceAccountId("production-europe-west4-kata-sandbox-a");
            const b = gkeDefaultServiceAccountId("production-europe-west4-kata-sandbox-b");
            assert.notStrictEqual(a, b);
            for (const id of [a, b]) assert.match(id, /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/);
        });

        it("auto-names the pool within GKE's 40 characters when no name is given, and keeps short names", async () => {
            reset();
            const long = `${"c".repeat(40)}-${"p".repeat(40)}`;
            await deploy(long, { runtime: Runtime.Gvisor });
            const pool = one(NODE_POOL);
            assert.strictEqual(pool.inputs.name, undefined);
            assert.deepStrictEqual(nameProblems(NameKind.GkeNodePool, "name", `${pool.name}-0a1b2c3`), []);
            const account = one("gcp:serviceaccount/account:Account").inputs;
            assert.ok(account.displayName.length <= 100, account.displayName);
            reset();
            await deploy("sandbox-dev-gvisor", { runtime: Runtime.Gvisor });
            assert.strictEqual(one(NODE_POOL).name, "sandbox-dev-gvisor-pool");
        });

        it("derives an id the validation accepts from any component name", () => {
            fc.assert(
                fc.property(fc.string({ minLength: 1, maxLength: 60 }), (name) => {
                    const id = gkeDefaultServiceAccountId(name);
                    assert.match(id, /^[a-z]([-a-z0-9]*[a-z0-9])?$/, JSON.stringify(name));
                    assert.ok(id.length >= 6 && id.length <= 30, `${JSON.stringify(name)} -> ${id}`);
                    assert.deepStrictEqual(gkeSandboxNodePoolProblems(name, { ...BASE, runtime: Runtime.Gvisor }), [], JSON.stringify(name));
                }),
                { numRuns: 300 },
            );
        });
    });

    describe("argument validation", () => {
        for (const [machineType, series, why] of [
            ["e2-standard-4", "E2", "does not support nested virtualization"],
            ["n2d-standard-8", "N2D", "runs on AMD processors, which Compute Engine does not offer nested virtualization on"],
            ["t2a-standard-4", "T2A", "runs on Arm processors, which Compute Engine does not offer nested virtualization on"],
            ["c3d-standard-8", "C3D", "runs on AMD processors, which Compute Engine does not offer nested virtualization on"],
        ]) {
            it(`rejects Kata on ${machineType} and suggests capable series, before any resource`, async () => {
                const e = await rejection({ runtime: Runtime.Kata, machineType });
                assert.strictEqual(
                    e.message,
                    `GkeSandboxNodePool "bad" has invalid arguments:\n` +
                        `  - machineType: "${machineType}" cannot run Kata: ${series} ${why}; ` +
                        `use an Intel series with nested virtualization: n1, n2, n4, c2, c3, c4 (e.g. n2-standard-4)`,
                );
            });
        }

        it("rejects Kata on a series it does not know to support nested virtualization", async () => {
            const e = await rejection({ machineType: "a3-highgpu-8g" });
            assert.deepStrictEqual(e.problems, [
                {
                    code: "unsupported",
                    path: "machineType",
                    message:
                        '"a3-highgpu-8g" is of series A3, which this package does not know to support nested virtualization; ' +
                        "use an Intel series with nested virtualization: n1, n2, n4, c2, c3, c4 (e.g. n2-standard-4)",
                },
            ]);
        });

        it("accepts gVisor on machine series Kata cannot use", async () => {
            const { nodePool } = await deploy("gvisor", { runtime: Runtime.Gvisor, machineType: "t2a-standard-4" });
            assert.strictEqual(nodePool.nodeConfig.machineType, "t2a-standard-4");
        });

        it("rejects gVisor on an Ubuntu image and Kata on COS", async () => {
            assert.deepStrictEqual((await rejection({ runtime: Runtime.Gvisor, imageType: GkeImageType.UbuntuContainerd })).problems, [
                { code: "unsupported", path: "imageType", message: "GKE Sandbox (gVisor) runs only on COS_CONTAINERD, not UBUNTU_CONTAINERD" },
            ]);
            assert.deepStrictEqual((await rejection({ runtime: Runtime.Kata, imageType: GkeImageType.CosContainerd })).problems, [
                { code: "unsupported", path: "imageType", message: "kata-deploy installs Kata only on UBUNTU_CONTAINERD, not COS_CONTAINERD" },
            ]);
        });

        it("rejects user labels and taints under sandbox.gke.io/ and under the stamp's prefix", async () => {
            const e = await rejection({
                runtime: Runtime.Gvisor,
                labels: { "sandbox.gke.io/runtime": "gvisor", team: "ml" },
                taints: [
                    { key: "sandbox.gke.io/runtime", value: "gvisor", effect: TaintEffect.NoSchedule },
                    { key: "sandbox-clusters.io/runtime", value: "kata", effect: TaintEffect.NoSchedule },
                ],
            });
            assert.strictEqual(
                e.message,
                'GkeSandboxNodePool "bad" has invalid arguments:\n' +
                    '  - labels["sandbox.gke.io/runtime"]: key "sandbox.gke.io/runtime" is reserved by GKE Sandbox (sandbox.gke.io/*)\n' +
                    '  - taints[0].key: key "sandbox.gke.io/runtime" is reserved by GKE Sandbox (sandbox.gke.io/*)\n' +
                    '  - taints[1].key: key "sandbox-clusters.io/runtime" collides with the sandbox stamp (sandbox-clusters.io/*)',
            );
        });

        it("rejects GKE Sandbox on shared-core machine types", async () => {
            for (const machineType of ["f1-micro", "g1-small", "e2-micro", "e2-small", "e2-medium"]) {
                reset();
                assert.deepStrictEqual((await rejection({ runtime: Runtime.Gvisor, machineType })).problems, [
                    {
                        code: "unsupported",
                        path: "machineType",
                        message: `"${machineType}" is a shared-core machine type, which GKE Sandbox does not run on (e2-micro, e2-small, e2-medium, f1-micro, g1-small); use one with whole vCPUs, e.g. e2-standard-2`,
                    },
                ]);
            }
        });

        for (const runtime of [Runtime.Gvisor, Runtime.Kata]) {
            it(`rejects node labels the kubelet refuses or sets itself on ${runtime} pools`, async () => {
                const e = await rejection({ runtime, labels: { "node-role.kubernetes.io/sandbox": "true", "kubernetes.io/os": "linux", "node.kubernetes.io/pool": "ok" } });
                assert.deepStrictEqual(e.problems, [
                    {
                        code: "reserved",
                        path: 'labels["node-role.kubernetes.io/sandbox"]',
                        message: 'label "node-role.kubernetes.io/sandbox" is under kubernetes.io, where the kubelet sets only kubelet.kubernetes.io/*, node.kubernetes.io/* and its own well-known labels: it refuses to start with it and the nodes never join; use a prefix of your own, e.g. "example.com/sandbox"',
                    },
                    {
                        code: "reserved",
                        path: 'labels["kubernetes.io/os"]',
                        message: 'label "kubernetes.io/os" is set by the kubelet and the cloud on each node; a value for the whole pool would overwrite the node\'s own',
                    },
                ]);
            });
        }

        it("rejects a key prefix GKE or the kubelet would refuse", async () => {
            assert.deepStrictEqual((await rejection({ keyPrefix: "sandbox.gke.io" })).problems, [
                { code: "reserved", path: "keyPrefix", message: '"sandbox.gke.io" is reserved by GKE Sandbox (sandbox.gke.io/*); use a domain of your own, e.g. "sandbox.example.com"' },
            ]);
            assert.deepStrictEqual((await rejection({ keyPrefix: "k8s.io" })).problems, [
                {
                    code: "reserved",
                    path: "keyPrefix",
                    message: '"k8s.io" is under k8s.io, where the kubelet sets only kubelet.kubernetes.io/*, node.kubernetes.io/* and its own well-known labels: nodes stamped "k8s.io/runtime" would never join; use a domain of your own, e.g. "sandbox.example.com"',
                },
            ]);
        });

        it("rejects a node pool name GKE refuses: a digit first", async () => {
            assert.deepStrictEqual((await rejection({ nodePoolName: "1gvisor" })).problems, [
                {
                    code: "malformed",
                    path: "nodePoolName",
                    message: "\"1gvisor\" is not a valid GKE node pool name: it must start with a lowercase letter (a lowercase letter, then lowercase letters, digits and '-', not ending in '-')",
                },
            ]);
        });

        it("rejects a node count together with autoscaling", async () => {
            assert.deepStrictEqual((await rejection({ nodeCount: 2, autoscaling: { minNodeCount: 1, maxNodeCount: 3 } })).problems, [
                { code: "conflict", path: "nodeCount", message: "Only one of nodeCount and autoscaling is allowed" },
            ]);
        });

        it("rejects autoscaling whose minimum exceeds its maximum", async () => {
            assert.deepStrictEqual((await rejection({ autoscaling: { minNodeCount: 4, maxNodeCount: 2 } })).problems, [
                { code: "out-of-range", path: "autoscaling", message: "autoscaling.minNodeCount (4) is greater than autoscaling.maxNodeCount (2)", refs: ["autoscaling.minNodeCount", "autoscaling.maxNodeCount"] },
            ]);
        });

        it("rejects empty node locations and zones outside the cluster's region", async () => {
            assert.deepStrictEqual((await rejection({ nodeLocations: [] })).problems, [
                { code: "required", path: "nodeLocations", message: "must name at least one zone; leave it out to use the cluster's zones" },
            ]);
            assert.deepStrictEqual((await rejection({ nodeLocations: ["europe-west4-a", "us-central1-b", "europe-west4", "europe-west4-a"] })).problems, [
                { code: "conflict", path: "nodeLocations[1]", message: 'zone "us-central1-b" is not in the cluster\'s region europe-west4' },
                { code: "malformed", path: "nodeLocations[2]", message: '"europe-west4" is not a zone name such as europe-west4-a' },
                { code: "duplicate", path: "nodeLocations", message: 'zone "europe-west4-a" is listed more than once' },
            ]);
        });

        it("rejects persistent disks on Hyperdisk-only series", async () => {
            assert.deepStrictEqual((await rejection({ machineType: "n4-standard-4", diskType: GkeDiskType.PdBalanced })).problems, [
                { code: "unsupported", path: "diskType", message: "N4 machines boot only from Hyperdisk; use hyperdisk-balanced" },
            ]);
        });

        it("rejects the Compute Engine default service account", async () => {
            assert.deepStrictEqual((await rejection({ serviceAccountEmail: "123456789012-compute@developer.gserviceaccount.com" })).problems, [
                {
                    code: "unsupported",
                    path: "serviceAccountEmail",
                    message:
                        '"123456789012-compute@developer.gserviceaccount.com" is the Compute Engine default service account, whose broad project access every node would hold; use a dedicated account or leave it out to have one created',
                },
            ]);
        });

        it("rejects roles for a service account it does not create, and malformed or repeated roles", async () => {
            assert.deepStrictEqual(
                (await rejection({ serviceAccountEmail: "nodes@p.iam.gserviceaccount.com", serviceAccountRoles: ["roles/logging.logWriter"] })).problems,
                [{ code: "conflict", path: "serviceAccountRoles", message: "Only one of serviceAccountEmail and serviceAccountRoles is allowed" }],
            );
            assert.deepStrictEqual((await rejection({ serviceAccountRoles: ["logging.logWriter", "roles/x", "roles/x"] })).problems, [
                { code: "malformed", path: "serviceAccountRoles[0]", message: '"logging.logWriter" is not an IAM role name such as roles/logging.logWriter' },
                { code: "duplicate", path: "serviceAccountRoles", message: 'role "roles/x" is listed more than once' },
            ]);
        });

        it("offers the same checks as a pure function for the program's up-front validation", async () => {
            const args = { ...BASE, runtime: Runtime.Kata, machineType: "e2-standard-4", autoscaling: { minNodeCount: 3, maxNodeCount: 1 } };
            const problems = gkeSandboxNodePoolProblems("pool", args);
            await settle();
            assert.deepStrictEqual(problems.map((p) => p.path), ["machineType", "autoscaling"]);
            assert.deepStrictEqual((await rejection(args)).problems, problems);
            assert.deepStrictEqual(gkeSandboxNodePoolProblems("pool", { ...BASE, runtime: Runtime.Gvisor }), []);
        });

        it("refuses a project ID and a node version GKE would refuse, when they are plain strings", () => {
            assert.deepStrictEqual(gkeSandboxNodePoolProblems("pool", { ...BASE, runtime: Runtime.Gvisor, project: "Demo Project", version: "v1.35" }), [
                { code: "malformed", path: "project", message: "\"Demo Project\" is not a Google Cloud project ID (6-30 lowercase letters, digits and '-', a letter first)" },
                { code: "malformed", path: "version", message: '"v1.35" is not a GKE node version such as "1.35" or "1.35.1-gke.1396000"' },
            ]);
            for (const version of ["1.35", "1.35.1", "1.35.1-gke.1396000"]) {
                assert.deepStrictEqual(gkeSandboxNodePoolProblems("pool", { ...BASE, runtime: Runtime.Gvisor, version }), [], version);
            }
        });

        it("collects every problem into one error", async () => {
            const e = await rejection({
                cluster: "",
                machineType: "e2-standard-4",
                nodeCount: -1,
                diskSizeGb: 5,
                threadsPerCore: 3,
                serviceAccountEmail: "a@b.iam.gserviceaccount.com",
                serviceAccountId: "nodes-sa",
                upgradeSettings: { maxSurge: 0, maxUnavailable: 0 },
                nodePoolName: "Pool_1",
                taints: [{ key: "a b", value: "x", effect: "Sometimes" as TaintEffect }],
            });
            assert.deepStrictEqual(
                e.problems.map((p) => p.path),
                [
                    "cluster",
                    "machineType",
                    "nodeCount",
                    "diskSizeGb",
                    "threadsPerCore",
                    "serviceAccountId",
                    "taints[0].key",
                    "taints[0].effect",
                    "upgradeSettings",
                    "nodePoolName",
                ],
            );
        });
    });
});
