import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { sandboxRuntimesArgs } from "../../../stacks/componentArgs";
import { CONFIG_KEYS, DEFAULTS, parseStackConfig } from "../../../stacks/config";
import { problems, ok } from "../../support/configResult";

const AWS = {
    "aws:region": "us-east-1",
    "sandbox:cloud": "aws",
    "sandbox:pools": [{ name: "gvisor", runtime: "gvisor", instanceTypes: ["m7i.xlarge"] }],
};
const GCP = {
    "gcp:project": "my-sandbox-project",
    "sandbox:cloud": "gcp",
    "sandbox:location": "europe-west4-a",
    "sandbox:pools": [{ name: "gvisor", runtime: "gvisor", machineType: "e2-standard-4" }],
};



describe("stack config (stacks/config/)", () => {
    it("applies the documented defaults to a minimal AWS stack", () => {
        const c = ok(parseStackConfig(AWS, "dev"));
        assert.strictEqual(c.clusterMode, "create");
        assert.strictEqual(c.clusterName, "sandbox-dev");
        assert.strictEqual(c.kubernetesVersion, DEFAULTS.eksKubernetesVersion);
        assert.deepStrictEqual(c.aws, { region: "us-east-1", subnetIds: undefined, vpcCidr: "10.0.0.0/16", availabilityZones: undefined, adminPrincipalArns: [] });
        assert.deepStrictEqual(c.systemPool, { instanceTypes: ["m7i.large"], machineType: undefined, minSize: 1, maxSize: 3, desiredSize: 2 });
        assert.deepStrictEqual(c.pools, [{ name: "gvisor", runtime: "gvisor", instanceTypes: ["m7i.xlarge"], minSize: 1, maxSize: 3, spot: false, labels: {}, taints: [] }]);
        assert.strictEqual(c.admissionMode, "Deny");
        assert.strictEqual(c.admissionAllowHostPorts, false);
        assert.strictEqual(c.deletionProtection, true);
        assert.deepStrictEqual(c.kataShims, [], "no Kata pool, no Kata shims");
    });

    it("decodes values the way Pulumi passes them: objects, numbers and booleans as strings", () => {
        const c = ok(parseStackConfig({
            ...GCP,
            "sandbox:pools": JSON.stringify([{ name: "kata", runtime: "kata", machineType: "n2-standard-4", maxSize: 2, spot: true }]),
            "sandbox:deletionProtection": "false",
            "sandbox:admissionExemptNamespaces": '["monitoring"]',
            "sandbox:admissionAllowHostPorts": "true",
        }, "dev"));
        assert.strictEqual(c.admissionAllowHostPorts, true);
        assert.strictEqual(c.deletionProtection, false);
        assert.deepStrictEqual(c.admissionExemptNamespaces, ["monitoring"]);
        assert.strictEqual(c.pools[0].spot, true);
        assert.deepStrictEqual(c.kataShims, ["qemu-runtime-rs"]);
        assert.deepStrictEqual(c.gcp, { project: "my-sandbox-project", location: "europe-west4-a", network: "default", subnetwork: undefined });
    });

    it("hands sandbox:admissionAllowHostPorts to the guard, and names the key when it is not true or false", () => {
        assert.strictEqual(sandboxRuntimesArgs(ok(parseStackConfig({ ...AWS, "sandbox:admissionAllowHostPorts": true }, "dev"))).admission?.allowHostPorts, true);
        assert.strictEqual(sandboxRuntimesArgs(ok(parseStackConfig(AWS, "dev"))).admission?.allowHostPorts, false);
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:admissionAllowHostPorts": "yes" }, "dev")), [
            'sandbox:admissionAllowHostPorts: must be true or false (got "yes")',
        ]);
    });

    it("hands sandbox:admissionAllowedCsiDrivers to the guard, and names the key of a bad driver name", () => {
        assert.deepStrictEqual(sandboxRuntimesArgs(ok(parseStackConfig({ ...AWS, "sandbox:admissionAllowedCsiDrivers": ["secrets-store.csi.k8s.io"] }, "dev"))).admission?.allowedCsiDrivers, ["secrets-store.csi.k8s.io"]);
        assert.deepStrictEqual(sandboxRuntimesArgs(ok(parseStackConfig(AWS, "dev"))).admission?.allowedCsiDrivers, []);
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:admissionAllowedCsiDrivers": ["Bad Driver"] }, "dev")), [
            'sandbox:admissionAllowedCsiDrivers[0]: "Bad Driver" is not a CSI driver name such as "secrets-store.csi.k8s.io"',
        ]);
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:admissionAllowedCsiDrivers": "secrets-store.csi.k8s.io" }, "dev")), [
            "sandbox:admissionAllowedCsiDrivers: must be a list of strings",
        ]);
    });

    it("rejects an unknown cloud, naming sandbox:cloud", () => {
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:cloud": "openstack" }, "dev")), [
            'sandbox:cloud: must be one of aws, gcp, azure, kubernetes (got "openstack")',
        ]);
    });

    it("rejects a stack without a cloud", () => {
        const { ["sandbox:cloud"]: _, ...rest } = AWS;
        assert.deepStrictEqual(problems(parseStackConfig(rest, "dev")), ["sandbox:cloud: required"]);
    });

    it("rejects an unknown runtime, naming the pool's key", () => {
        const pools = [AWS["sandbox:pools"][0], { name: "runc", runtime: "runc", instanceTypes: ["m7i.large"] }];
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:pools": pools }, "dev")), [
            'sandbox:pools[1].runtime: must be one of gvisor, kata (got "runc")',
        ]);
    });

    it("rejects duplicate pool names, naming the second one", () => {
        const pools = [
            { name: "sandbox", runtime: "gvisor", instanceTypes: ["m7i.large"] },
            { name: "other", runtime: "gvisor", instanceTypes: ["m7i.large"] },
            { name: "sandbox", runtime: "kata", instanceTypes: ["m7i.metal-24xl"] },
        ];
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:pools": pools }, "dev")), [
            'sandbox:pools[2].name: duplicate pool name "sandbox" (pool names must be unique)',
        ]);
    });

    it("rejects adopting a cluster without its name", () => {
        assert.deepStrictEqual(problems(parseStackConfig({ ...GCP, "sandbox:clusterMode": "adopt" }, "prod")), [
            'sandbox:clusterName: required when sandbox:clusterMode is "adopt" (the name of the existing cluster)',
        ]);
    });

    it("rejects adopting an EKS cluster without the subnets its sandbox nodes go to", () => {
        const cfg = { ...AWS, "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps" };
        assert.deepStrictEqual(problems(parseStackConfig(cfg, "prod")), [
            "sandbox:subnetIds: required when adopting an EKS cluster: the (private) subnets the sandbox nodes run in",
        ]);
    });

    it("rejects a Kata pool with no instance type that exposes KVM, with the pool component's reason (EKS)", () => {
        const pools = [{ name: "kata", runtime: "kata", instanceTypes: ["t3.large", "m6i.large"] }];
        const msgs = problems(parseStackConfig({ ...AWS, "sandbox:pools": pools }, "dev"));
        assert.strictEqual(msgs.length, 2, msgs.join("\n"));
        assert.match(msgs[0], /^sandbox:pools\[0\]\.instanceTypes\[0\]: t3\.large does not expose KVM, which Kata needs; use /);
        assert.match(msgs[1], /^sandbox:pools\[0\]\.instanceTypes\[1\]: m6i\.large does not expose KVM, which Kata needs; use /);
    });

    it("rejects a Kata pool on a machine type without nested virtualization, with the pool component's reason (GKE)", () => {
        const pools = [GCP["sandbox:pools"][0], { name: "kata", runtime: "kata", machineType: "e2-standard-4" }];
        const msgs = problems(parseStackConfig({ ...GCP, "sandbox:pools": pools }, "dev"));
        assert.strictEqual(msgs.length, 1, msgs.join("\n"));
        assert.match(msgs[0], /^sandbox:pools\[1\]\.machineType: "e2-standard-4" cannot run Kata: E2 /);
    });

    it("rejects a system pool that could leave sandbox pools as the cluster's only pool", () => {
        const cfg = { ...GCP, "sandbox:systemPool": { machineType: "e2-standard-4", minSize: 0, maxSize: 2, desiredSize: 0 } };
        assert.deepStrictEqual(problems(parseStackConfig(cfg, "dev")), [
            "sandbox:systemPool.minSize: must be at least 1: sandbox pools are tainted and a gVisor or Kata pool is never the cluster's only pool",
        ]);
    });

    it("rejects an EKS pool that may scale to zero while the verification Jobs need a node", () => {
        const pools = [{ name: "gvisor", runtime: "gvisor", instanceTypes: ["m7i.xlarge"], minSize: 0 }];
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:pools": pools }, "dev")), [
            "sandbox:pools[0].minSize: must be at least 1 while sandbox:verifyRuntimes is on: EKS has no cluster autoscaler by default, so the pool's verification Job would wait for a node that never comes",
        ]);
        ok(parseStackConfig({ ...AWS, "sandbox:pools": pools, "sandbox:verifyRuntimes": false }, "dev"));
        assert.strictEqual(ok(parseStackConfig(GCP, "dev")).pools[0].minSize, 0, "GKE pools scale from zero");
    });

    it("rejects tags that GKE would refuse as resource labels on GCP", () => {
        assert.deepStrictEqual(problems(parseStackConfig({ ...GCP, "sandbox:tags": { Team: "Platform", env: "dev" } }, "dev")), [
            'sandbox:tags["Team"]: "Team: Platform" is not a GCE label (lowercase letters, digits, \'_\' and \'-\'; keys start with a letter; at most 63)',
        ]);
        ok(parseStackConfig({ ...AWS, "sandbox:tags": { Team: "Platform" } }, "dev"));
    });

    it("reports a repeated pool name even when that pool has other problems", () => {
        const pools = [AWS["sandbox:pools"][0], { name: "gvisor", runtime: "runc", instanceTypes: ["m7i.large"] }];
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:pools": pools }, "dev")), [
            'sandbox:pools[1].runtime: must be one of gvisor, kata (got "runc")',
            'sandbox:pools[1].name: duplicate pool name "gvisor" (pool names must be unique)',
        ]);
    });

    it("checks the API endpoint's allowed CIDRs, which only a created cluster takes", () => {
        assert.deepStrictEqual(ok(parseStackConfig({ ...GCP, "sandbox:apiAllowedCidrs": ["198.51.100.0/24"] }, "dev")).apiAllowedCidrs, ["198.51.100.0/24"]);
        const cfg = { ...GCP, "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps", "sandbox:apiAllowedCidrs": ["198.51.100.0/33"] };
        assert.deepStrictEqual(problems(parseStackConfig(cfg, "dev")), [
            "sandbox:apiAllowedCidrs: only applies to created clusters; an adopted cluster keeps its own endpoint access",
        ]);
        assert.deepStrictEqual(problems(parseStackConfig({ ...GCP, "sandbox:apiAllowedCidrs": ["198.51.100.0/33"] }, "dev")), [
            'sandbox:apiAllowedCidrs[0]: "198.51.100.0/33" is not an IPv4 CIDR such as 198.51.100.0/24',
        ]);
    });

    it("rejects an empty pool list", () => {
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:pools": [] }, "dev")), [
            "sandbox:pools: must name at least one sandbox pool",
        ]);
    });

    it("reports every problem at once, each under its own key", () => {
        const cfg = {
            "sandbox:cloud": "aws",
            "sandbox:clusterMode": "adopt",
            "sandbox:admissionMode": "Block",
            "sandbox:colud": "aws",
            "sandbox:pools": [
                { name: "Big_Pool", runtime: "gvisor", instanceTypes: ["m7i.large"], minSize: 3, maxSize: 1, machineType: "n2-standard-4" },
                { runtime: "kata", instanceTypes: ["m7i.metal-24xl"], taints: [{ key: "sandbox-clusters.io/runtime", value: "x" }] },
            ],
        };
        assert.deepStrictEqual(problems(parseStackConfig(cfg, "prod")), [
            "sandbox:colud: unknown config key (known: " + Object.keys(CONFIG_KEYS).join(", ") + ")",
            'sandbox:clusterName: required when sandbox:clusterMode is "adopt" (the name of the existing cluster)',
            'aws:region: required for cloud "aws" (the AWS provider\'s region, e.g. us-east-1)',
            "sandbox:subnetIds: required when adopting an EKS cluster: the (private) subnets the sandbox nodes run in",
            'sandbox:pools[0].name: "Big_Pool" is not a valid pool name (lowercase letters, digits and \'-\', at most 40)',
            'sandbox:pools[0].machineType: does not apply to cloud "aws"',
            "sandbox:pools[1].name: required",
            'sandbox:admissionMode: must be one of Deny, Warn, Audit (got "Block")',
            // From EksSandboxNodePool's own validation, renamed to config keys:
            "sandbox:pools[0].minSize: minSize (3) is greater than maxSize (1)",
            'sandbox:pools[1].taints[0].key: key "sandbox-clusters.io/runtime" collides with the sandbox stamp (sandbox-clusters.io/*)',
        ]);
    });

    it("rejects keys of the other cloud and settings that only apply to created clusters", () => {
        const cfg = {
            ...AWS,
            "sandbox:clusterMode": "adopt",
            "sandbox:clusterName": "apps",
            "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60718"],
            "sandbox:location": "europe-west4",
            "sandbox:kubernetesVersion": "1.35",
            "sandbox:vpcCidr": "10.1.0.0/16",
        };
        assert.deepStrictEqual(problems(parseStackConfig(cfg, "prod")), [
            "sandbox:kubernetesVersion: only applies to created clusters; an adopted cluster keeps its own version",
            'sandbox:location: does not apply to cloud "aws"',
            "sandbox:vpcCidr: only applies when the program creates the VPC (created cluster, no sandbox:subnetIds)",
        ]);
    });

    it("rejects Kata shim settings that name an unknown shim or one not enabled (SandboxRuntimes' validation)", () => {
        const cfg = {
            ...AWS,
            "sandbox:pools": [{ name: "kata", runtime: "kata", instanceTypes: ["m7i.metal-24xl"] }],
            "sandbox:kataShims": ["clh", "qemu-magic"],
            "sandbox:defaultKataShim": "qemu",
        };
        assert.deepStrictEqual(problems(parseStackConfig(cfg, "dev")), [
            'sandbox:kataShims[1]: unknown shim "qemu-magic"; supported: qemu, qemu-runtime-rs, clh, dragonball, fc, qemu-snp, qemu-tdx',
            'sandbox:defaultKataShim: "qemu" is not among sandbox:kataShims (clh, qemu-magic)',
        ]);
    });

    it("keeps Pulumi.yaml's config schema and the program's defaults equal", () => {
        const project = YAML.parse(fs.readFileSync(path.join(__dirname, "../../../Pulumi.yaml"), "utf8"));
        assert.strictEqual(project.name, "sandbox", "the project name is the config namespace");
        assert.strictEqual(project.stackConfigDir, "stacks");
        assert.ok(fs.existsSync(path.join(__dirname, "../../..", project.main)), `main ${project.main} exists`);
        // The CLI hands a project default to the program as if the stack had set it, and requires
        // a declared key without one: keys refused in some modes (clusterMode, deletionProtection)
        // are not declared there at all.
        const expected: Record<string, unknown> = {
            verifyRuntimes: DEFAULTS.verifyRuntimes,
            admissionMode: DEFAULTS.admissionMode,
            admissionExemptNamespaces: [],
            admissionAllowHostPorts: DEFAULTS.admissionAllowHostPorts,
            admissionAllowedCsiDrivers: [],
        };
        for (const [key, schema] of Object.entries<any>(project.config)) {
            assert.ok(key in CONFIG_KEYS, `Pulumi.yaml declares ${key}, which the program does not read`);
            assert.strictEqual(schema.type, CONFIG_KEYS[key as keyof typeof CONFIG_KEYS].type, `type of ${key}`);
            assert.ok(typeof schema.description === "string" && schema.description.length > 10, `description of ${key}`);
            if (key === "cloud") assert.strictEqual(schema.default, undefined, "cloud is required");
            else assert.deepStrictEqual(schema.default, expected[key], `default of ${key}`);
        }
        assert.deepStrictEqual(Object.keys(project.config).sort(), ["cloud", ...Object.keys(expected)].sort());
    });

    it("accepts every stack file of stacks/ with Pulumi.yaml's defaults merged in, as the CLI passes them, and each sets every key the CLI requires", () => {
        const project = YAML.parse(fs.readFileSync(path.join(__dirname, "../../../Pulumi.yaml"), "utf8"));
        const defaults = Object.fromEntries(
            Object.entries<any>(project.config).filter(([, s]) => s.default !== undefined).map(([k, s]) => [`sandbox:${k}`, s.default]),
        );
        const dir = path.join(__dirname, "../../../stacks");
        const files = fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
        assert.ok(files.length > 0);
        for (const f of files) {
            const stack = YAML.parse(fs.readFileSync(path.join(dir, f), "utf8"));
            const required = Object.entries<any>(project.config).filter(([, s]) => s.default === undefined).map(([k]) => `sandbox:${k}`);
            assert.deepStrictEqual(required.filter((k) => !(k in stack.config)), [], `${f} lacks keys the CLI requires`);
            const r = parseStackConfig({ ...defaults, ...stack.config }, f.split(".")[1]);
            assert.ok(r.ok, `${f}: ${r.ok ? "" : r.problems.map((x) => `${x.path}: ${x.message}`).join("; ")}`);
        }
        // Cloud kubernetes adopts, whatever the project declares for created clusters.
        const adopted = parseStackConfig({ ...defaults, "sandbox:cloud": "kubernetes", "sandbox:kubeconfig": "apiVersion: v1", "sandbox:nodeRuntimes": ["gvisor"] }, "k");
        assert.ok(adopted.ok, adopted.ok ? "" : adopted.problems.map((x) => `${x.path}: ${x.message}`).join("; "));
    });
});
