import * as assert from "assert";
import { Cloud, Runtime, formatTaint, nodeStamp, runtimeClassScheduling } from "../../../components/isolation";
import { InputPropertiesError } from "../../../components/validation";
import { AksSandboxNodePool } from "../../../components/azure/AksSandboxNodePool";
import { AksSandboxNodePoolArgs, aksDefaultPoolName, aksSandboxNodePoolProblems } from "../../../components/azure/aksSandboxNodePoolArgs";
import { aksKataVmSizeProblem, parseAzureVmSize } from "../../../components/azure/vmSizes";
import { assertGoldenJson } from "../../support/golden";
import { installMocks, one, reset, resolve, settle, state } from "../../support/mocks";

const AGENT_POOL = "azure-native:containerservice:AgentPool";
const BASE = { resourceGroupName: "rg-sandbox", clusterName: "sandbox" };

async function deploy(name: string, args: Partial<AksSandboxNodePoolArgs> = {}) {
    const pool = new AksSandboxNodePool(name, { ...BASE, ...args });
    const agentPoolName = await resolve(pool.agentPoolName);
    await settle();
    return { pool, agentPoolName, inputs: one(AGENT_POOL).inputs };
}

/** The error the constructor throws; fails when it throws none or when any Azure resource reached the engine first. */
async function rejection(args: Partial<AksSandboxNodePoolArgs>, name = "bad"): Promise<string> {
    let error: unknown;
    try {
        new AksSandboxNodePool(name, { ...BASE, ...args } as AksSandboxNodePoolArgs);
    } catch (e) {
        error = e;
    }
    await settle();
    assert.ok(error instanceof InputPropertiesError, `expected the arguments to be rejected, got ${String(error)}`);
    assert.deepStrictEqual(state.resources.filter((r) => r.type.startsWith("azure-native:")).map((r) => r.name), [], "nothing created");
    return error.message;
}

/** Would a pod with these tolerations tolerate this taint (`key=value:Effect`)? */
function tolerated(taint: string, tolerations: { key: string; value?: string; effect?: string }[]): boolean {
    const [kv, effect] = taint.split(":");
    const [key, value] = kv.split("=");
    return tolerations.some((t) => t.key === key && t.value === value && (!t.effect || t.effect === effect));
}

describe("AksSandboxNodePool", () => {
    before(installMocks);
    beforeEach(reset);

    describe("agent pool spec (golden, one per option)", () => {
        const cases: Record<string, Partial<AksSandboxNodePoolArgs>> = {
            "kata-default": {},
            "kata-autoscaled-spot-zonal": { autoscaling: { minCount: 0, maxCount: 5 }, spot: true, availabilityZones: ["1", "2", "3"] },
            "kata-custom": {
                agentPoolName: "katabig",
                vmSize: "Standard_D8ads_v5",
                osSku: "AzureLinux3",
                kubernetesVersion: "1.35",
                nodeCount: 2,
                maxPods: 60,
                osDiskSizeGB: 128,
                osDiskType: "Ephemeral",
                sshAccess: "LocalUser",
                vnetSubnetId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/kata",
                labels: { team: "ml", "example.com/tier": "batch" },
                taints: [{ key: "example.com/dedicated", value: "ml", effect: "NoExecute" }],
                tags: { environment: "dev" },
            },
        };
        for (const [file, args] of Object.entries(cases)) {
            it(`renders ${file}`, async () => {
                const { inputs } = await deploy("kata", args);
                assertGoldenJson(`azure/${file}.agentPool.json`, inputs);
            });
        }
    });

    it("runs Pod Sandboxing (KataVmIsolation, the non-deprecated spelling) on Azure Linux, as a user pool", async () => {
        const { inputs, pool } = await deploy("kata");
        assert.strictEqual(inputs.workloadRuntime, "KataVmIsolation");
        assert.strictEqual(inputs.osSKU, "AzureLinux");
        assert.strictEqual(inputs.osType, "Linux");
        assert.strictEqual(inputs.mode, "User");
        assert.strictEqual(inputs.vmSize, "Standard_D4s_v5");
        assert.strictEqual(pool.mode, "pod-sandboxing");
    });

    it("stamps its nodes with the contract's label and taint, which the Kata classes select and tolerate (invariants 1, 2)", async () => {
        const { inputs, pool } = await deploy("kata", { labels: { team: "ml" } });
        const stamp = nodeStamp(Runtime.Kata, Cloud.Azure);
        assert.deepStrictEqual(pool.nodeStamp, stamp);
        assert.deepStrictEqual(inputs.nodeLabels, { ...stamp.labels, team: "ml" });
        assert.deepStrictEqual(inputs.nodeTaints, ["sandbox-clusters.io/runtime=kata:NoSchedule"]);
        const sched = runtimeClassScheduling(Runtime.Kata, Cloud.Azure);
        assert.ok(Object.entries(sched.nodeSelector).every(([k, v]) => inputs.nodeLabels[k] === v));
        for (const t of inputs.nodeTaints) assert.ok(tolerated(t, sched.tolerations), t);
        assert.ok(!tolerated(inputs.nodeTaints[0], []), "a pod without the class's toleration does not land there");
    });

    it("declares AKS's own spot taint on spot pools, and the Kata classes tolerate it so spot pools take Kata pods", async () => {
        const { inputs } = await deploy("kata", { spot: true });
        assert.deepStrictEqual(inputs.nodeTaints, ["sandbox-clusters.io/runtime=kata:NoSchedule", "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"]);
        assert.deepStrictEqual([inputs.scaleSetPriority, inputs.scaleSetEvictionPolicy, inputs.spotMaxPrice], ["Spot", "Delete", -1]);
        for (const t of inputs.nodeTaints) assert.ok(tolerated(t, runtimeClassScheduling(Runtime.Kata, Cloud.Azure).tolerations), t);
    });

    it("turns SSH to the nodes off by default: nothing on a sandbox node needs an interactive login", async () => {
        assert.deepStrictEqual((await deploy("kata")).inputs.securityProfile, { sshAccess: "Disabled" });
    });

    it("names the agent pool after the component, within AKS's 12 characters, distinct for long names", async () => {
        assert.strictEqual((await deploy("kata")).agentPoolName, "kata");
        assert.strictEqual(aksDefaultPoolName("sandbox-dev-kata"), aksDefaultPoolName("sandbox-dev-kata"));
        const a = aksDefaultPoolName("sandbox-production-kata-a");
        const b = aksDefaultPoolName("sandbox-production-kata-b");
        assert.match(a, /^[a-z][a-z0-9]{0,11}$/);
        assert.strictEqual(a.length, 12);
        assert.notStrictEqual(a, b);
        assert.match(aksDefaultPoolName("2fast"), /^sb2fast[0-9a-f]{5}$/);
    });

    it("leaves the node count to the autoscaler once the pool exists", async () => {
        const { inputs } = await deploy("kata", { autoscaling: { minCount: 0, maxCount: 3 } });
        assert.deepStrictEqual([inputs.enableAutoScaling, inputs.count, inputs.minCount, inputs.maxCount], [true, 1, 0, 3]);
    });

    describe("rejects, before creating anything, naming the input", () => {
        const sizeHint = "use a generation 2 size with nested virtualization: Dsv3, Dsv5, Ddsv5, Dsv6, Ddsv6, Dasv5, Dadsv5, Dasv6 (e.g. Standard_D4s_v5)";
        const cases: [string, Partial<AksSandboxNodePoolArgs>, string[]][] = [
            ["a VM size without nested virtualization", { vmSize: "Standard_D4as_v4" }, [`vmSize: "Standard_D4as_v4" cannot run Kata: Dasv4 does not support nested virtualization (its size page lists it as not supported); ${sizeHint}`]],
            ["a VM size of a series it does not know", { vmSize: "Standard_B2s" }, [`vmSize: "Standard_B2s" is of series Bs, which this package does not know to support nested virtualization; ${sizeHint}`]],
            ["an Arm64 VM size", { vmSize: "Standard_D4ps_v5" }, [`vmSize: "Standard_D4ps_v5" is an Arm64 size, and AKS Pod Sandboxing does not support Arm64; ${sizeHint}`]],
            ["a VM size that is not a size name", { vmSize: "m8i.large" }, [`vmSize: "m8i.large" is not an Azure VM size name such as Standard_D4s_v5; ${sizeHint}`]],
            ["a VM size without its Standard_ prefix, with the name it means", { vmSize: "D4s_v5" }, ['vmSize: "D4s_v5" is not an Azure VM size name as Azure spells them; did you mean "Standard_D4s_v5"?']],
            ["a VM size in lowercase, with the name it means", { vmSize: "standard_d8ads_v5" }, ['vmSize: "standard_d8ads_v5" is not an Azure VM size name as Azure spells them; did you mean "Standard_D8ads_v5"?']],
            ["Ubuntu instead of Azure Linux", { osSku: "Ubuntu" }, ["osSku: AKS Pod Sandboxing runs only on Azure Linux (AzureLinux or AzureLinux3), not Ubuntu"]],
            ["a Windows pool", { osType: "Windows", osSku: "Windows2022" }, ["osType: AKS Pod Sandboxing runs only on Linux (Azure Linux), not Windows", "osSku: AKS Pod Sandboxing runs only on Azure Linux (AzureLinux or AzureLinux3), not Windows2022"]],
            ["a Kubernetes version below Pod Sandboxing's", { kubernetesVersion: "1.26" }, ["kubernetesVersion: 1.26 is older than 1.27, the first Kubernetes version AKS runs Pod Sandboxing on"]],
            ["a version that is not one", { kubernetesVersion: "latest" }, ['kubernetesVersion: "latest" is not a Kubernetes version such as "1.35" or "1.35.2"']],
            ["a pool name AKS refuses (too long)", { agentPoolName: "sandboxkata01x" }, ['agentPoolName: "sandboxkata01x" is 14 characters; a Linux agent pool name has at most 12']],
            ["a pool name AKS refuses (capitals)", { agentPoolName: "Kata1" }, ['agentPoolName: "Kata1" is not a valid Linux agent pool name: "K" is not allowed (a lowercase letter, then lowercase letters and digits)']],
            ["a pool name AKS refuses (dash)", { agentPoolName: "kata-1" }, ['agentPoolName: "kata-1" is not a valid Linux agent pool name: "-" is not allowed (a lowercase letter, then lowercase letters and digits)']],
            ["a pool name AKS refuses (digit first)", { agentPoolName: "1kata" }, ['agentPoolName: "1kata" is not a valid Linux agent pool name: it must start with a lowercase letter (a lowercase letter, then lowercase letters and digits)']],
            ["gVisor", { runtime: "gvisor" }, ["runtime: gVisor is not available on AKS: AKS has no managed gVisor and manages its nodes' containerd itself, so no supported way installs runsc there; use runtime kata (AKS Pod Sandboxing, a VM per pod)"]],
            ["min above max", { autoscaling: { minCount: 4, maxCount: 2 } }, ["autoscaling: minCount (4) is greater than maxCount (2)"]],
            ["both a fixed size and autoscaling", { nodeCount: 1, autoscaling: { minCount: 0, maxCount: 2 } }, ["nodeCount: Only one of nodeCount and autoscaling is allowed"]],
            ["a zone that is not one", { availabilityZones: ["1", "westeurope-2"] }, ['availabilityZones[1]: "westeurope-2" is not an availability zone (1, 2, 3)']],
            ["max pods out of range", { maxPods: 500 }, ["maxPods: 500 is not a whole number of pods from 10 to 250"]],
            ["an OS disk too small", { osDiskSizeGB: 10 }, ["osDiskSizeGB: 10 is not a whole number of GB from 30 to 2048"]],
            ["labels under AKS's and the stamp's prefixes", { labels: { "kubernetes.azure.com/mode": "system", "sandbox-clusters.io/runtime": "gvisor" } }, [
                'labels["kubernetes.azure.com/mode"]: key "kubernetes.azure.com/mode" is reserved by AKS (kubernetes.azure.com/*)',
                'labels["sandbox-clusters.io/runtime"]: key "sandbox-clusters.io/runtime" collides with the sandbox stamp (sandbox-clusters.io/*)',
            ]],
            ["a taint forging the stamp", { taints: [{ key: "sandbox-clusters.io/runtime", value: "kata", effect: "NoSchedule" }] }, ['taints[0].key: key "sandbox-clusters.io/runtime" collides with the sandbox stamp (sandbox-clusters.io/*)']],
            ["a missing cluster", { clusterName: "" }, ["clusterName: is required"]],
        ];
        for (const [what, args, problems] of cases) {
            it(what, async () => {
                assert.deepStrictEqual(aksSandboxNodePoolProblems("bad", { ...BASE, ...args } as AksSandboxNodePoolArgs).map((p) => `${p.path}: ${p.message}`), problems);
                assert.strictEqual(await rejection(args), ['AksSandboxNodePool "bad" has invalid arguments:', ...problems.map((x) => `  - ${x}`)].join("\n"));
            });
        }
    });

    it("accepts every size of the catalogue and parses Azure's size names", () => {
        for (const size of ["Standard_D2s_v3", "Standard_D4s_v5", "Standard_D8ds_v5", "Standard_D16s_v6", "Standard_D4ds_v6", "Standard_D4as_v5", "Standard_D4ads_v5", "Standard_D4as_v6"]) {
            assert.strictEqual(aksKataVmSizeProblem(size), undefined, size);
        }
        assert.deepStrictEqual(parseAzureVmSize("Standard_D16-4ads_v5"), { family: "d", vcpus: 16, features: "ads", version: "v5", series: "dadsv5" });
        assert.strictEqual(formatTaint({ key: "k", value: "", effect: "NoSchedule" }), "k:NoSchedule");
    });
});
