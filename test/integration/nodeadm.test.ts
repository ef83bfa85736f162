// AWS's own node bootstrap, nodeadm (built from its Go module at the commit pinned in
// test/tools/nodeadm), reads the user data of every EKS pool mode and of every EKS pool in
// stacks/: `nodeadm config check` must accept it, and `nodeadm config dump` must show what we
// meant (runsc in containerd's config, the stamp in kubelet's flags, the cluster's details).
// nodeadm decodes NodeConfig leniently (an unknown field is dropped, not refused), so each
// document is also compared field by field with nodeadm's dump: nothing we write may vanish.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as TOML from "smol-toml";
import * as YAML from "yaml";
import { DEFAULT_INSTANCE_TYPES } from "../../components/aws/eksSandboxNodePoolArgs";
import { instanceTypeInfo, KvmAccess } from "../../components/aws/instanceCatalogue";
import { renderNodeConfig } from "../../components/aws/userdata";
import { Cloud, formatTaint, nodeStamp, Runtime, Taint } from "../../components/isolation";
import { CLUSTER, EXAMPLE_POOLS, nodeConfigs, renderPool } from "../support/eksPoolFixtures";
import { KARPENTER_EXAMPLES, renderKarpenterPool } from "../support/karpenterPoolFixtures";
import { requireToolBinary, toolsBin } from "../support/realParts";

const REPO = path.join(__dirname, "..", "..");
const NODEADM = path.join(toolsBin("nodeadm"), "nodeadm");
const RUNSC_RUNTIME = "io.containerd.runsc.v1";

interface NodeadmRun {
    ok: boolean;
    stdout: string;
    stderr: string;
}

function nodeadm(command: "check" | "dump", files: string[]): NodeadmRun {
    const sources = files.flatMap((f) => ["--config-source", `file://${f}`]);
    const r = spawnSync(NODEADM, ["config", command, ...sources], { encoding: "utf8", timeout: 60000 });
    if (r.error) throw r.error;
    return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

let workDir: string;
let fileCount = 0;
function writeTemp(content: string): string {
    const file = path.join(workDir, `userdata-${++fileCount}.mime`);
    fs.writeFileSync(file, content);
    return file;
}

/**
 * Stand-in for the part EKS merges into a managed node group's user data: the cluster's
 * coordinates. Our managed user data deliberately carries none (EKS owns them).
 */
function eksClusterPart(): string {
    return writeTemp(
        renderNodeConfig({
            cluster: {
                name: CLUSTER.name,
                apiServerEndpoint: CLUSTER.endpoint,
                certificateAuthority: CLUSTER.certificateAuthority,
                cidr: CLUSTER.serviceCidr,
            },
        }),
    );
}

/** Paths (a.b.c) of every leaf in `ours` whose value nodeadm's `dump` lost or changed. */
function lostFields(ours: any, dumped: any, at = "spec"): string[] {
    if (ours !== null && typeof ours === "object" && !Array.isArray(ours)) {
        return Object.entries(ours).flatMap(([k, v]) => lostFields(v, dumped?.[k], `${at}.${k}`));
    }
    try {
        assert.deepStrictEqual(dumped, ours);
        return [];
    } catch {
        return [at];
    }
}

/** Checks and dumps user data as nodeadm reads it; asserts nothing we wrote was dropped. */
function checkAndDump(userData: string, managed: boolean): any {
    const file = writeTemp(userData);
    const files = managed ? [eksClusterPart(), file] : [file];
    const check = nodeadm("check", files);
    assert.ok(check.ok, `nodeadm config check refused the user data:\n${check.stderr}`);
    const dump = nodeadm("dump", files);
    assert.ok(dump.ok, `nodeadm config dump failed:\n${dump.stderr}`);
    const config = JSON.parse(dump.stdout);
    assert.strictEqual(config.kind, "NodeConfig");
    for (const ours of nodeConfigs(userData)) {
        assert.deepStrictEqual(lostFields(ours.spec, config.spec), [], "fields nodeadm dropped or changed");
    }
    return config;
}

function assertCluster(config: any, expected: { name: string; endpoint: string; ca: string; cidr: string }): void {
    assert.deepStrictEqual(config.spec.cluster, {
        name: expected.name,
        apiServerEndpoint: expected.endpoint,
        certificateAuthority: expected.ca,
        cidr: expected.cidr,
    });
}

function assertRunscRegistered(config: any): void {
    const toml = TOML.parse(config.spec.containerd.config) as any;
    const runsc = toml.plugins?.["io.containerd.cri.v1.runtime"]?.containerd?.runtimes?.runsc;
    assert.strictEqual(runsc?.runtime_type, RUNSC_RUNTIME, "runsc under containerd config version 3 keys");
    assert.strictEqual(config.spec.kubelet?.flags, undefined, "managed node groups get labels and taints from EKS");
}

/** The labels and taints kubelet will register the node with, from its flags. */
function kubeletStamp(config: any): { labels: Record<string, string>; taints: string[] } {
    const flags: string[] = config.spec.kubelet?.flags ?? [];
    const value = (name: string) => flags.filter((f) => f.startsWith(`--${name}=`)).map((f) => f.slice(name.length + 3));
    const labels = Object.fromEntries(
        value("node-labels").flatMap((v) => v.split(",")).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
    );
    const taints = value("register-with-taints").flatMap((v) => v.split(","));
    return { labels, taints };
}

describe("nodeadm reads the EKS pools' user data", function () {
    before(function () {
        requireToolBinary(this, "nodeadm", "nodeadm");
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), "nodeadm-"));
    });
    after(() => {
        if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    describe("example pools of every mode", () => {
        it("gVisor, defaults: accepted; containerd registers runsc; EKS's part brings the cluster", async () => {
            const r = await renderPool("gv", EXAMPLE_POOLS["gvisor-default"]);
            const config = checkAndDump(r.userData!, true);
            assertRunscRegistered(config);
            assertCluster(config, { name: CLUSTER.name, endpoint: CLUSTER.endpoint, ca: CLUSTER.certificateAuthority, cidr: CLUSTER.serviceCidr });
        });

        it("gVisor with labels, taints, runsc flags, a mirror and arm64: accepted, runsc registered", async () => {
            const r = await renderPool("gc", EXAMPLE_POOLS["gvisor-custom"]);
            assertRunscRegistered(checkAndDump(r.userData!, true));
        });

        it("gVisor alone is not a complete NodeConfig: the cluster comes from EKS", async () => {
            const r = await renderPool("gv", EXAMPLE_POOLS["gvisor-default"]);
            const check = nodeadm("check", [writeTemp(r.userData!)]);
            assert.strictEqual(check.ok, false);
            assert.match(check.stderr, /Name is missing in cluster configuration/);
        });

        it("Kata on metal: no user data of its own, so EKS's part alone bootstraps the node", async () => {
            const r = await renderPool("km", EXAMPLE_POOLS["kata-metal"]);
            assert.strictEqual(r.userData, undefined);
            assert.ok(nodeadm("check", [eksClusterPart()]).ok);
        });

        it("Kata nested, defaults: accepted; kubelet flags carry exactly the stamp; looked-up cluster present", async () => {
            const r = await renderPool("kn", EXAMPLE_POOLS["kata-nested-default"]);
            const config = checkAndDump(r.userData!, false);
            assertCluster(config, { name: CLUSTER.name, endpoint: CLUSTER.endpoint, ca: CLUSTER.certificateAuthority, cidr: CLUSTER.serviceCidr });
            const stamp = nodeStamp(Runtime.Kata, Cloud.Aws);
            assert.deepStrictEqual(kubeletStamp(config), { labels: stamp.labels, taints: stamp.taints.map(formatTaint) });
        });

        it("Kata nested with labels, taints, given cluster details and spot: accepted, stamp plus extras exactly", async () => {
            const args = EXAMPLE_POOLS["kata-nested-custom"];
            const r = await renderPool("kc", args);
            const config = checkAndDump(r.userData!, false);
            assertCluster(config, {
                name: CLUSTER.name,
                endpoint: args.clusterEndpoint as string,
                ca: args.clusterCertificateAuthority as string,
                cidr: args.clusterServiceCidr as string,
            });
            assert.deepStrictEqual(kubeletStamp(config), {
                labels: r.pool.nodeLabels,
                taints: r.pool.nodeTaints.map(formatTaint),
            });
            assert.strictEqual(Object.keys(r.pool.nodeLabels).length, 3);
            assert.strictEqual(r.pool.nodeTaints.length, 3);
        });
    });

    describe("negative controls: the check bites", () => {
        let good: string;
        before(async () => {
            good = (await renderPool("kc", EXAMPLE_POOLS["kata-nested-custom"])).userData!;
            assert.ok(nodeadm("check", [writeTemp(good)]).ok, "the unbroken document passes");
        });

        it("refuses user data whose parts do not use the declared MIME boundary", () => {
            const broken = good.replace(/boundary="([^"]+)"/, 'boundary="not-the-boundary"');
            const check = nodeadm("check", [writeTemp(broken)]);
            assert.strictEqual(check.ok, false);
            assert.match(check.stderr, /multipart: NextPart: EOF/);
        });

        it("refuses a NodeConfig with a misspelled cluster field", () => {
            const misspelled = good.replace("apiServerEndpoint:", "apiServerEndpiont:");
            const check = nodeadm("check", [writeTemp(misspelled)]);
            assert.strictEqual(check.ok, false);
            assert.match(check.stderr, /Apiserver endpoint is missing in cluster configuration/);
        });

        it("catches a misspelled optional field that nodeadm itself silently drops", () => {
            const misspelled = good.replace("  kubelet:", "  kubelte:");
            assert.ok(nodeadm("check", [writeTemp(misspelled)]).ok, "nodeadm accepts unknown fields at the pinned commit");
            assert.throws(() => checkAndDump(misspelled, false), /fields nodeadm dropped or changed/);
        });
    });

    describe("Karpenter pools' EC2NodeClass userData (Karpenter merges its own NodeConfig with the cluster in)", () => {
        for (const example of Object.keys(KARPENTER_EXAMPLES).filter((e) => e.startsWith("gvisor-"))) {
            it(`${example}: accepted, runsc registered, nothing dropped`, async () => {
                const r = await renderKarpenterPool(example, KARPENTER_EXAMPLES[example]);
                const userData: string = r.nodeClass.spec.userData;
                assert.ok(typeof userData === "string" && userData.length > 0, "a gVisor EC2NodeClass carries user data");
                assertRunscRegistered(checkAndDump(userData, true));
            });
        }

        it("Kata pools carry no user data: kata-deploy installs Kata", async () => {
            for (const example of Object.keys(KARPENTER_EXAMPLES).filter((e) => e.startsWith("kata-"))) {
                const r = await renderKarpenterPool(example, KARPENTER_EXAMPLES[example]);
                assert.strictEqual(r.nodeClass.spec.userData, undefined, example);
            }
        });
    });

    describe("pools of the stacks in stacks/", () => {
        for (const stack of awsStacks()) {
            it(`${stack.name}: every EKS pool's user data passes nodeadm with runsc or the exact stamp`, function () {
                const dir = planStack(stack.file);
                const planned = fs.readFileSync(path.join(dir, "plan.txt"), "utf8").match(/sandbox-clusters:index:EksSandboxNodePool /g) ?? [];
                if (planned.length === 0) {
                    // Visible as pending, never as passed: the program has not composed pools yet.
                    console.log(`    skipped: the program's plan of ${stack.name} creates no EksSandboxNodePool yet`);
                    this.skip();
                }
                assert.strictEqual(planned.length, stack.pools.length, "one EksSandboxNodePool per pool of the stack");
                for (const pool of stack.pools) {
                    const userdataDir = path.join(dir, "userdata");
                    const files = (fs.existsSync(userdataDir) ? fs.readdirSync(userdataDir) : [])
                        .filter((f) => f.endsWith(`${pool.name}-template.mime`));
                    const mode = poolMode(pool);
                    if (mode === "metal") {
                        assert.deepStrictEqual(files, [], `${pool.name}: Kata on metal has no user data`);
                        continue;
                    }
                    assert.strictEqual(files.length, 1, `${pool.name}: one launch template user data (found ${files.join(", ")})`);
                    const userData = fs.readFileSync(path.join(userdataDir, files[0]), "utf8");
                    const config = checkAndDump(userData, mode === "gvisor");
                    if (mode === "gvisor") {
                        assertRunscRegistered(config);
                    } else {
                        const stamp = nodeStamp(Runtime.Kata, Cloud.Aws);
                        const taints: Taint[] = [...stamp.taints, ...(pool.taints ?? [])];
                        assert.deepStrictEqual(kubeletStamp(config), {
                            labels: { ...stamp.labels, ...(pool.labels ?? {}) },
                            taints: taints.map((t) => formatTaint({ ...t, value: t.value ?? "" })),
                        });
                        for (const key of ["name", "apiServerEndpoint", "certificateAuthority", "cidr"]) {
                            assert.ok(config.spec.cluster[key], `${pool.name}: cluster ${key} present`);
                        }
                    }
                }
            });
        }

        it("finds the stacks directory walkable", () => {
            // Until the program lands stack files there are none; the walk itself must not fail.
            assert.ok(Array.isArray(awsStacks()));
        });
    });
});

interface StackPool {
    name: string;
    provisioner?: string;
    runtime: Runtime;
    instanceTypes?: string[];
    architecture?: "x86_64" | "arm64";
    labels?: Record<string, string>;
    taints?: Taint[];
}

/** `stacks/Pulumi.*.yaml` files whose `sandbox:cloud` is aws and that have pools. */
function awsStacks(): { name: string; file: string; pools: StackPool[] }[] {
    const dir = path.join(REPO, "stacks");
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .map((f) => ({ f, m: /^Pulumi\.(.+)\.yaml$/.exec(f) }))
        .filter(({ m }) => m !== null)
        .map(({ f, m }) => {
            const config = YAML.parse(fs.readFileSync(path.join(dir, f), "utf8"))?.config ?? {};
            // Karpenter pools have no launch template: karpenter.test.ts judges their objects.
            const pools = ((config["sandbox:pools"] ?? []) as StackPool[]).filter((p) => p.provisioner !== "karpenter");
            return { name: m![1], file: path.join(dir, f), cloud: config["sandbox:cloud"], pools };
        })
        .filter((s) => s.cloud === Cloud.Aws && s.pools.length > 0)
        .sort((a, b) => a.name.localeCompare(b.name));
}

function poolMode(pool: StackPool): "gvisor" | "metal" | "nested" {
    if (pool.runtime === Runtime.Gvisor) return "gvisor";
    const types = pool.instanceTypes ?? DEFAULT_INSTANCE_TYPES[Runtime.Kata][pool.architecture ?? "x86_64"];
    return types.some((t) => instanceTypeInfo(t)?.kvm === KvmAccess.Nested) ? "nested" : "metal";
}

/** Runs the program's offline plan for a stack file; returns the folder it wrote. */
function planStack(file: string): string {
    const out = fs.mkdtempSync(path.join(workDir, "plan-"));
    fs.rmdirSync(out);
    const r = spawnSync(
        process.execPath,
        ["--require", path.join(REPO, "scripts", "register.js"), path.join(REPO, "plan", "plan.ts"), file, "--out", out],
        { cwd: REPO, encoding: "utf8", timeout: 300000 },
    );
    assert.strictEqual(r.status, 0, `plan of ${file} failed:\n${r.stderr}`);
    return out;
}
