// Issue 14's cases, as a stack file would state them: each is rejected under its config key,
// with the exact message, before anything is created (parseStackConfig creates nothing).
import * as assert from "assert";
import { CONFIG_KEYS, parseStackConfig } from "../../../stacks/config";
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

const AZURE = { "azure-native:location": "westeurope", "sandbox:cloud": "azure", "sandbox:resourceGroup": "rg-sandbox-dev" };



const KUBELET_NAMESPACES = "where the kubelet sets only kubelet.kubernetes.io/*, node.kubernetes.io/* and its own well-known labels";

describe("preflight: limits the cloud, the kubelet or the runtime enforce, checked at plan time", () => {
    describe("Kata shims against the pools' hardware", () => {
        const nested = { name: "kata", runtime: "kata", instanceTypes: ["c8i.2xlarge"] };

        it("refuses Firecracker without a devmapper snapshotter", () => {
            assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:pools": [nested], "sandbox:kataShims": ["fc"] }, "dev")), [
                'sandbox:kataShims[0]: fc needs containerd\'s devmapper snapshotter with a thin pool on each node, which pool "kata" (c8i.2xlarge) does not have (neither kata-deploy nor this package prepares one)',
            ]);
        });

        it("refuses qemu-tdx on C8i, which hosts no TDX trust domains", () => {
            const cfg = { ...AWS, "sandbox:pools": [nested], "sandbox:kataShims": ["qemu-runtime-rs", "qemu-tdx"] };
            assert.deepStrictEqual(problems(parseStackConfig(cfg, "dev")), [
                'sandbox:kataShims[1]: qemu-tdx runs each pod in an Intel TDX trust domain, which needs a host with TDX enabled in its firmware and kernel; pool "kata" (c8i.2xlarge) is no such host: EC2 offers AMD SEV-SNP only to M6a, C6a and R6a instances as confidential guests, offers no Intel TDX, and documents neither as a host mode on bare metal or under nested virtualization',
            ]);
        });

        it("refuses qemu-snp on bare metal too", () => {
            const cfg = { ...AWS, "sandbox:pools": [{ name: "metal", runtime: "kata", instanceTypes: ["m6a.metal"] }], "sandbox:kataShims": ["qemu-snp"] };
            assert.match(problems(parseStackConfig(cfg, "dev")).join("\n"), /^sandbox:kataShims\[0\]: qemu-snp runs each pod in an AMD SEV-SNP VM, which needs a host with SEV-SNP enabled in its firmware and kernel; pool "metal" \(m6a\.metal\) is no such host: EC2 /);
        });

        it("refuses qemu-snp on a GKE N2 pool", () => {
            const cfg = { ...GCP, "sandbox:pools": [{ name: "kata", runtime: "kata", machineType: "n2-standard-4" }], "sandbox:kataShims": ["qemu-snp"] };
            assert.deepStrictEqual(problems(parseStackConfig(cfg, "dev")), [
                'sandbox:kataShims[0]: qemu-snp runs each pod in an AMD SEV-SNP VM, which needs a host with SEV-SNP enabled in its firmware and kernel; pool "kata" (n2-standard-4) is no such host: Compute Engine offers AMD SEV-SNP and Intel TDX only to Confidential VMs as guests, and nested virtualization passes neither on',
            ]);
        });

        it("refuses clh beside an arm64 pool, where kata-deploy ships no clh", () => {
            const cfg = {
                ...AWS,
                "sandbox:pools": [nested, { name: "kata-arm", runtime: "kata", architecture: "arm64", instanceTypes: ["c7g.metal"] }],
                "sandbox:kataShims": ["qemu-runtime-rs", "clh"],
            };
            assert.deepStrictEqual(problems(parseStackConfig(cfg, "dev")), [
                'sandbox:kataShims[1]: kata-deploy ships clh for amd64 only, but pool "kata-arm" (c7g.metal) runs arm64 nodes; use qemu or qemu-runtime-rs there',
            ]);
            ok(parseStackConfig({ ...cfg, "sandbox:kataShims": ["qemu-runtime-rs", "qemu"] }, "dev"));
        });

        it("checks the default shim too, and the default pool hardware when none is named", () => {
            // No instance types: the Kata default (m8i.large) is nested virtualization, no TDX.
            const cfg = { ...AWS, "sandbox:pools": [{ name: "kata", runtime: "kata", instanceTypes: ["m8i.large"] }], "sandbox:kataShims": ["qemu-tdx"] };
            assert.strictEqual(problems(parseStackConfig(cfg, "dev")).length, 1);
        });
    });

    describe("labels the kubelet refuses, on every pool kind", () => {
        const label = { "node-role.kubernetes.io/sandbox": "true" };
        const message = `label "node-role.kubernetes.io/sandbox" is under kubernetes.io, ${KUBELET_NAMESPACES}: it refuses to start with it and the nodes never join; use a prefix of your own, e.g. "example.com/sandbox"`;
        const pools: [string, Record<string, unknown>, Record<string, unknown>][] = [
            ["an EKS gVisor pool (managed node group)", AWS, { name: "p", runtime: "gvisor", instanceTypes: ["m7i.large"], labels: label }],
            ["an EKS Kata pool on metal (managed node group)", AWS, { name: "p", runtime: "kata", instanceTypes: ["m7i.metal-24xl"], labels: label }],
            ["an EKS Kata pool on C8i (self-managed)", AWS, { name: "p", runtime: "kata", instanceTypes: ["c8i.large"], labels: label }],
            ["a GKE Sandbox pool", GCP, { name: "p", runtime: "gvisor", machineType: "e2-standard-4", labels: label }],
            ["a GKE Kata pool", GCP, { name: "p", runtime: "kata", machineType: "n2-standard-4", labels: label }],
        ];
        for (const [what, base, pool] of pools) {
            it(`refuses node-role.kubernetes.io/sandbox on ${what}`, () => {
                assert.deepStrictEqual(problems(parseStackConfig({ ...base, "sandbox:pools": [pool] }, "dev")), [
                    `sandbox:pools[0].labels["node-role.kubernetes.io/sandbox"]: ${message}`,
                ]);
            });
        }

        it("accepts labels of the namespaces the kubelet may set, and labels of one's own", () => {
            const labels = { "node.kubernetes.io/pool": "sandbox", "team.example.com/owner": "ci", tier: "untrusted" };
            ok(parseStackConfig({ ...AWS, "sandbox:pools": [{ name: "p", runtime: "gvisor", instanceTypes: ["m7i.large"], labels }] }, "dev"));
        });
    });

    describe("GKE Sandbox on machine types it refuses", () => {
        for (const machineType of ["f1-micro", "g1-small", "e2-micro", "e2-small", "e2-medium"]) {
            it(`refuses ${machineType}`, () => {
                assert.deepStrictEqual(problems(parseStackConfig({ ...GCP, "sandbox:pools": [{ name: "gvisor", runtime: "gvisor", machineType }] }, "dev")), [
                    `sandbox:pools[0].machineType: "${machineType}" is a shared-core machine type, which GKE Sandbox does not run on (e2-micro, e2-small, e2-medium, f1-micro, g1-small); use one with whole vCPUs, e.g. e2-standard-2`,
                ]);
            });
        }

        it("refuses an f1-micro system pool, which GKE refuses for any pool", () => {
            const cfg = { ...GCP, "sandbox:systemPool": { machineType: "f1-micro" } };
            assert.deepStrictEqual(problems(parseStackConfig(cfg, "dev")), [
                "sandbox:systemPool.machineType: GKE does not support f1-micro node pools (too little memory to run GKE's node agents)",
            ]);
        });
    });

    describe("AWS tags", () => {
        it("refuses keys and values under aws:, characters IAM refuses, and the package's own keys", () => {
            const tags = { "aws:owner": "me", "AWS:team": "x", env: "aws:prod", "cost#center": "1", note: "a,b", Name: "mine" };
            assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:tags": tags }, "dev")), [
                'sandbox:tags["aws:owner"]: keys starting with "aws:" (in any case) are reserved for AWS',
                'sandbox:tags["AWS:team"]: keys starting with "aws:" (in any case) are reserved for AWS',
                'sandbox:tags["env"]: values starting with "aws:" (in any case) are reserved for AWS',
                'sandbox:tags["cost#center"]: key "cost#center" has characters AWS refuses in tags ("#"); use letters, digits, spaces and + - = . _ : / @',
                'sandbox:tags["note"]: value "a,b" has characters AWS refuses in tags (","); use letters, digits, spaces and + - = . _ : / @',
                'sandbox:tags["Name"]: "Name" is a tag the package sets itself on the resources it creates',
            ]);
        });

        it("refuses bad tags on an adopted cluster too (they still tag the pools)", () => {
            const cfg = { ...AWS, "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps", "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001"], "sandbox:tags": { "aws:x": "y" } };
            assert.deepStrictEqual(problems(parseStackConfig(cfg, "prod")), ['sandbox:tags["aws:x"]: keys starting with "aws:" (in any case) are reserved for AWS']);
        });

        it("accepts every character AWS allows", () => {
            ok(parseStackConfig({ ...AWS, "sandbox:tags": { "team.example.com/cost-center": "R+D - = . _ : / @ Ünïcode 1" } }, "dev"));
        });
    });

    describe("EC2 Mac instances", () => {
        for (const [type, runtime] of [["mac1.metal", "gvisor"], ["mac2.metal", "gvisor"], ["mac2-m2pro.metal", "kata"]]) {
            it(`refuses ${type} for a ${runtime} pool`, () => {
                const pool = { name: "p", runtime, instanceTypes: [type], ...(type === "mac1.metal" ? {} : { architecture: "arm64" }) };
                assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:pools": [pool] }, "dev")), [
                    `sandbox:pools[0].instanceTypes[0]: ${type} is an EC2 Mac instance (macOS on a Dedicated Host), which cannot boot the Amazon Linux 2023 image EKS nodes run`,
                ]);
            });
        }
    });

    describe("GKE pool names", () => {
        it("refuses a pool name that starts with a digit (GKE node pool names start with a letter)", () => {
            assert.deepStrictEqual(problems(parseStackConfig({ ...GCP, "sandbox:pools": [{ name: "1gvisor", runtime: "gvisor", machineType: "e2-standard-4" }] }, "dev")), [
                "sandbox:pools[0].name: \"1gvisor\" is not a valid GKE node pool name: it must start with a lowercase letter (a lowercase letter, then lowercase letters, digits and '-', not ending in '-')",
            ]);
            ok(parseStackConfig({ ...AWS, "sandbox:pools": [{ name: "1gvisor", runtime: "gvisor", instanceTypes: ["m7i.large"] }] }, "dev"));
        });
    });

    describe("EKS admin principals", () => {
        it("refuses an STS session ARN, which EKS access entries never take, naming the role form", () => {
            const cfg = { ...AWS, "sandbox:deletionProtection": false, "sandbox:adminPrincipalArns": ["arn:aws:sts::123456789012:assumed-role/admins/me"] };
            assert.deepStrictEqual(problems(parseStackConfig(cfg, "dev")), [
                'sandbox:adminPrincipalArns[0]: "arn:aws:sts::123456789012:assumed-role/admins/me" is not the ARN of an IAM role or user (EKS access entries take no STS session ARNs: name the role, arn:aws:iam::<account>:role/<name>)',
            ]);
            ok(parseStackConfig({ ...cfg, "sandbox:adminPrincipalArns": ["arn:aws:iam::123456789012:role/team/admins"] }, "dev"));
        });
    });

    describe("AKS pools: the mistakes an AKS user makes", () => {
        const pools = (...ps: object[]) => ({ ...AZURE, "sandbox:pools": ps.map((p) => ({ runtime: "kata", ...p })) });
        const SUGGEST = "use a generation 2 size with nested virtualization: Dsv3, Dsv5, Ddsv5, Dsv6, Ddsv6, Dasv5, Dadsv5, Dasv6 (e.g. Standard_D4s_v5)";

        it("refuses VM sizes without nested virtualization, Arm64 and unknown series, with suggestions", () => {
            const cfg = pools({ name: "b", vmSize: "Standard_B2s" }, { name: "dasv", vmSize: "Standard_D4as_v4" }, { name: "arm", vmSize: "Standard_D4ps_v5" }, { name: "typo", vmSize: "Standard_D4s_v9" });
            assert.deepStrictEqual(problems(parseStackConfig(cfg, "dev")), [
                `sandbox:pools[0].vmSize: "Standard_B2s" is of series Bs, which this package does not know to support nested virtualization; ${SUGGEST}`,
                `sandbox:pools[1].vmSize: "Standard_D4as_v4" cannot run Kata: Dasv4 does not support nested virtualization (its size page lists it as not supported); ${SUGGEST}`,
                `sandbox:pools[2].vmSize: "Standard_D4ps_v5" is an Arm64 size, and AKS Pod Sandboxing does not support Arm64; ${SUGGEST}`,
                `sandbox:pools[3].vmSize: "Standard_D4s_v9" is of series Dsv9, which this package does not know to support nested virtualization; ${SUGGEST}`,
            ]);
        });

        it("refuses Ubuntu and Windows pools under the keys AKS's own docs use, and takes Azure Linux", () => {
            const cfg = pools({ name: "ubuntu", osSku: "Ubuntu" }, { name: "win", osType: "Windows" }, { name: "bad", osSku: "Mariner" });
            assert.deepStrictEqual(problems(parseStackConfig(cfg, "dev")), [
                "sandbox:pools[0].osSku: AKS Pod Sandboxing runs only on Azure Linux (AzureLinux or AzureLinux3), not Ubuntu",
                "sandbox:pools[1].osType: AKS Pod Sandboxing runs only on Linux (Azure Linux), not Windows",
                'sandbox:pools[2].osSku: "Mariner" is not one of: AzureLinux, AzureLinux3, Ubuntu, Ubuntu2204, Windows2019, Windows2022',
            ]);
            ok(parseStackConfig(pools({ name: "kata", osSku: "AzureLinux3", osType: "Linux" }), "dev"));
            assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:pools": [{ name: "gvisor", runtime: "gvisor", instanceTypes: ["m7i.large"], osSku: "AzureLinux" }] }, "dev")), [
                'sandbox:pools[0].osSku: does not apply to cloud "aws"',
            ]);
        });

        it("refuses a Kubernetes version older than Pod Sandboxing's first", () => {
            assert.deepStrictEqual(problems(parseStackConfig({ ...pools({ name: "kata" }), "sandbox:kubernetesVersion": "1.26" }, "dev")), [
                "sandbox:kubernetesVersion: 1.26 is older than 1.27, the first Kubernetes version AKS runs Pod Sandboxing on",
            ]);
        });

        it("refuses pool names AKS refuses: '-', more than 12 characters, a digit first", () => {
            assert.deepStrictEqual(problems(parseStackConfig(pools({ name: "kata-pool" }, { name: "katapoolnumber1" }, { name: "1kata" }), "dev")), [
                'sandbox:pools[0].name: "kata-pool" is not a valid Linux agent pool name: "-" is not allowed (a lowercase letter, then lowercase letters and digits)',
                'sandbox:pools[1].name: "katapoolnumber1" is 15 characters; a Linux agent pool name has at most 12',
                'sandbox:pools[2].name: "1kata" is not a valid Linux agent pool name: it must start with a lowercase letter (a lowercase letter, then lowercase letters and digits)',
            ]);
        });

        it("refuses gVisor, pointing to Kata, and labels under AKS's own prefix", () => {
            assert.deepStrictEqual(problems(parseStackConfig(pools({ name: "gvisor", runtime: "gvisor" }, { name: "kata", labels: { "kubernetes.azure.com/mode": "user" } }), "dev")), [
                "sandbox:pools[0].runtime: gVisor is not available on AKS: AKS has no managed gVisor and manages its nodes' containerd itself, so no supported way installs runsc there; use runtime kata (AKS Pod Sandboxing, a VM per pod)",
                'sandbox:pools[1].labels["kubernetes.azure.com/mode"]: key "kubernetes.azure.com/mode" is reserved by AKS (kubernetes.azure.com/*)',
            ]);
        });
    });
});

describe("preflight: config messages speak the stack file's language", () => {
    it("says that an unquoted kubernetesVersion: 1.30 arrived as the number 1.3, and how to quote it", () => {
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:kubernetesVersion": 1.3 }, "dev")), [
            'sandbox:kubernetesVersion: is the number 1.3: YAML reads an unquoted version as a number and drops its trailing zero (1.30 becomes 1.3); quote it: kubernetesVersion: "1.30"',
        ]);
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:kubernetesVersion": 1.35 }, "dev")), [
            'sandbox:kubernetesVersion: is the number 1.35: YAML reads an unquoted version as a number; quote it: kubernetesVersion: "1.35"',
        ]);
        // Through pulumi up the value may come as the text "1.3".
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:kubernetesVersion": "1.3" }, "dev")), [
            'sandbox:kubernetesVersion: 1.3 is older than 1.30, the first Kubernetes version that serves ValidatingAdmissionPolicy v1, which the admission guard is made of; if the stack file says 1.30 without quotes, YAML read it as the number 1.3: quote it, "1.30"',
        ]);
    });

    it("says that any other unquoted number or boolean was read as such where a string belongs", () => {
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:pools": [{ name: 2024, runtime: "gvisor", instanceTypes: ["m7i.large"] }] }, "dev")), [
            "sandbox:pools[0].name: must be a string (got the number 2024: YAML reads unquoted numbers as such; put the value in quotes)",
        ]);
        assert.deepStrictEqual(problems(parseStackConfig({ ...GCP, "sandbox:network": true }, "dev")), [
            "sandbox:network: must be a string (got the boolean true: YAML reads unquoted true, false, yes and no as such; put the value in quotes)",
        ]);
    });

    it("refuses deletionProtection on an adopted cluster instead of ignoring it", () => {
        const adopt = { ...AWS, "sandbox:clusterMode": "adopt", "sandbox:clusterName": "apps", "sandbox:subnetIds": ["subnet-0a1b2c3d4e5f60001"] };
        for (const value of [false, true]) {
            assert.deepStrictEqual(problems(parseStackConfig({ ...adopt, "sandbox:deletionProtection": value }, "prod")), [
                "sandbox:deletionProtection: only applies to created clusters; an adopted cluster keeps its own deletion protection (change it where the cluster is managed)",
            ]);
        }
        ok(parseStackConfig(adopt, "prod"));
    });

    it("names config keys, not component args, in GKE autoscaling and Kata shim messages", () => {
        assert.deepStrictEqual(problems(parseStackConfig({ ...GCP, "sandbox:pools": [{ name: "g", runtime: "gvisor", machineType: "e2-standard-4", minSize: 4, maxSize: 2 }] }, "dev")), [
            "sandbox:pools[0].minSize: minSize (4) is greater than maxSize (2)",
        ]);
        const kata = { ...AWS, "sandbox:pools": [{ name: "kata", runtime: "kata", instanceTypes: ["m7i.metal-24xl"] }], "sandbox:kataShims": ["clh"], "sandbox:defaultKataShim": "qemu" };
        assert.deepStrictEqual(problems(parseStackConfig(kata, "dev")), ['sandbox:defaultKataShim: "qemu" is not among sandbox:kataShims (clh)']);
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:admissionExemptNamespaces": ["sandbox-verify"] }, "dev")), [
            'sandbox:admissionExemptNamespaces: "sandbox-verify" is exempt from the admission guard; the checks must run as ordinary sandboxed pods',
        ]);
    });

    it("reports every problem of many bad stacks under a key the stack file has, in its words", () => {
        const keys = Object.keys(CONFIG_KEYS).join("|");
        const path = new RegExp(`^(sandbox:(${keys})([.\\[].*)?|aws:region|gcp:project|gcp:region)$`);
        const componentWords = /\b(minNodeCount|maxNodeCount|kata\.shims|kata\.defaultShim|diskSizeGiB|capacityType|nodePoolName|serviceAccountId|gkeManaged|exemptNamespaces|admission\.action|systemMinSize|systemMaxSize|systemDesiredSize|systemInstanceTypes|systemMachineType|minMasterVersion|authorizedNetworks|publicAccessCidrs)\b/;
        const bad: Record<string, unknown>[] = [
            { ...GCP, "sandbox:pools": [{ name: "g", runtime: "gvisor", machineType: "e2-micro", minSize: 5, maxSize: 1, diskSizeGb: 1, labels: { "kubernetes.io/os": "x" } }] },
            { ...GCP, "sandbox:kubernetesVersion": "latest", "sandbox:systemPool": { machineType: "f1-micro", minSize: 3, maxSize: 1 }, "sandbox:tags": { Team: "X" } },
            { ...AWS, "sandbox:systemPool": { instanceTypes: ["m7g.large", "mac2.metal"], minSize: 2, maxSize: 1 }, "sandbox:tags": { "aws:x": "y" } },
            { ...AWS, "sandbox:pools": [{ name: "k", runtime: "kata", instanceTypes: ["c8i.large"], architecture: "arm64", diskSizeGb: 5, spot: true }], "sandbox:kataShims": ["fc", "clh"], "sandbox:defaultKataShim": "qemu" },
            { ...AWS, "sandbox:pools": [{ name: "g", runtime: "gvisor", instanceTypes: ["m7i.large"], labels: { "": "x", "a/b/c": "y" }, taints: [{ key: "x y", effect: "Never" }] }] },
            { ...AWS, "sandbox:vpcCidr": "10.0.0.0/8", "sandbox:availabilityZones": ["us-east-1a"], "sandbox:apiAllowedCidrs": ["1.2.3.4/40"] },
        ];
        for (const cfg of bad) {
            const ps = problems(parseStackConfig(cfg, "dev"));
            assert.ok(ps.length > 0);
            for (const line of ps) {
                const [key] = line.split(": ", 1);
                assert.match(key, path, line);
                assert.doesNotMatch(line.slice(key.length), componentWords, line);
            }
        }
    });
});
