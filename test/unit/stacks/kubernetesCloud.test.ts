import * as assert from "assert";
import { parseStackConfig } from "../../../stacks/config";
import { problems, ok } from "../../support/configResult";
import { sandboxRuntimesArgs } from "../../../stacks/componentArgs";

/** A cluster adopted through its kubeconfig, whose sandbox nodes the user provisions. */
const K8S = {
    "sandbox:cloud": "kubernetes",
    "sandbox:kubeconfigPath": "/etc/sandbox/kubeconfig",
    "sandbox:nodeRuntimes": ["gvisor"],
};



describe("stack config, cloud kubernetes (any cluster, nodes provisioned by the user)", () => {
    it("adopts the cluster of a kubeconfig file and installs the Kubernetes layer for the listed runtimes only", () => {
        const c = ok(parseStackConfig(K8S, "onprem"));
        assert.strictEqual(c.clusterMode, "adopt");
        assert.strictEqual(c.clusterName, "sandbox-onprem");
        assert.deepStrictEqual(c.kubernetes, { kubeconfigPath: "/etc/sandbox/kubeconfig", runtimes: ["gvisor"] });
        assert.deepStrictEqual(c.pools, []);
        assert.deepStrictEqual(sandboxRuntimesArgs(c), {
            cloud: "kubernetes",
            gvisor: { gkeManaged: false },
            kata: undefined,
            admission: {
                action: "Deny",
                exemptNamespaces: [],
                allowHostPorts: false,
                allowedCsiDrivers: [],
                settingNames: {
                    exemptNamespaces: "stack config sandbox:admissionExemptNamespaces",
                    allowHostPorts: "stack config sandbox:admissionAllowHostPorts",
                    allowedCsiDrivers: "stack config sandbox:admissionAllowedCsiDrivers",
                },
            },
            verification: { enabled: true },
        });
    });

    it("passes Kata's chart mirror, chart version, distribution and the verification image to SandboxRuntimes", () => {
        const c = ok(parseStackConfig({
            ...K8S,
            "sandbox:nodeRuntimes": '["gvisor","kata"]',
            "sandbox:kubeconfig": undefined,
            "sandbox:kataChart": JSON.stringify({ repository: "https://charts.internal.example/kata", version: "4.1.0", caFile: "/etc/ssl/internal-ca.pem" }),
            "sandbox:kubernetesDistribution": "k3s",
            "sandbox:verificationImage": `registry.internal.example/busybox@sha256:${"a".repeat(64)}`,
        }, "onprem"));
        const args = sandboxRuntimesArgs(c);
        assert.deepStrictEqual(args.kata, {
            shims: ["qemu-runtime-rs"],
            defaultShim: "qemu-runtime-rs",
            chartVersion: "4.1.0",
            chart: { repository: "https://charts.internal.example/kata", name: undefined, caFile: "/etc/ssl/internal-ca.pem" },
            k8sDistribution: "k3s",
        });
        assert.deepStrictEqual(args.verification, { enabled: true, image: `registry.internal.example/busybox@sha256:${"a".repeat(64)}` });
    });

    it("passes sandbox:verifyTimeoutSeconds to the verification Jobs as their deadline, and refuses one that is no positive whole number", () => {
        const c = ok(parseStackConfig({ ...K8S, "sandbox:verifyTimeoutSeconds": "120" }, "onprem"));
        assert.deepStrictEqual(sandboxRuntimesArgs(c).verification, { enabled: true, activeDeadlineSeconds: 120 });
        assert.deepStrictEqual(sandboxRuntimesArgs(ok(parseStackConfig(K8S, "onprem"))).verification, { enabled: true });
        for (const [value, message] of [
            ["soon", 'sandbox:verifyTimeoutSeconds: must be a whole number of at least 0 (got "soon")'],
            [2.5, "sandbox:verifyTimeoutSeconds: must be a whole number of at least 0 (got 2.5)"],
            [0, "sandbox:verifyTimeoutSeconds: must be at least 1 (seconds a verification Job may take, scheduling included)"],
        ] as const) {
            assert.deepStrictEqual(problems(parseStackConfig({ ...K8S, "sandbox:verifyTimeoutSeconds": value }, "onprem")), [message]);
        }
    });

    it("requires a kubeconfig and the nodes' runtimes, naming both keys", () => {
        assert.deepStrictEqual(problems(parseStackConfig({ "sandbox:cloud": "kubernetes" }, "onprem")), [
            "sandbox:kubeconfig: required for cloud \"kubernetes\": the cluster's kubeconfig (`pulumi config set --secret sandbox:kubeconfig < file`), or name its file in sandbox:kubeconfigPath",
            'sandbox:nodeRuntimes: required for cloud "kubernetes": the runtimes your sandbox nodes have (gvisor, kata)',
        ]);
    });

    it("rejects both kubeconfig keys, unknown runtimes, pools, clusterMode create and cloud-specific keys, all at once", () => {
        assert.deepStrictEqual(problems(parseStackConfig({
            ...K8S,
            "sandbox:kubeconfig": "apiVersion: v1",
            "sandbox:nodeRuntimes": ["gvisor", "firecracker"],
            "sandbox:clusterMode": "create",
            "sandbox:subnetIds": ["subnet-0a1b2c3d"],
            "sandbox:tags": { team: "a" },
            "sandbox:pools": [{ name: "g", runtime: "gvisor" }],
        }, "onprem")), [
            'sandbox:clusterMode: cloud "kubernetes" adopts an existing cluster through its kubeconfig; the program creates no cluster (use "adopt" or leave it out)',
            'sandbox:subnetIds: does not apply to cloud "kubernetes"',
            'sandbox:pools: does not apply to cloud "kubernetes": the program provisions no nodes there; list the runtimes your sandbox nodes have in sandbox:nodeRuntimes',
            'sandbox:tags: does not apply to cloud "kubernetes"',
            "sandbox:kubeconfigPath: set either sandbox:kubeconfig or sandbox:kubeconfigPath, not both",
            'sandbox:nodeRuntimes[1]: must be one of gvisor, kata (got "firecracker")',
        ]);
    });

    it("refuses the kubeconfig keys on EKS and GKE stacks, and Kata keys when no node runs Kata", () => {
        const aws = { "aws:region": "us-east-1", "sandbox:cloud": "aws", "sandbox:pools": [{ name: "g", runtime: "gvisor", instanceTypes: ["m7i.xlarge"] }] };
        assert.deepStrictEqual(problems(parseStackConfig({ ...aws, "sandbox:kubeconfigPath": "/k", "sandbox:nodeRuntimes": ["gvisor"] }, "dev")), [
            'sandbox:kubeconfigPath: does not apply to cloud "aws"',
            'sandbox:nodeRuntimes: does not apply to cloud "aws"',
        ]);
        assert.deepStrictEqual(problems(parseStackConfig({ ...K8S, "sandbox:kataChart": { version: "4.1.0" } }, "onprem")), [
            "sandbox:kataChart: sandbox:nodeRuntimes has no kata",
        ]);
    });

    it("reports the components' own checks on the chart source and the verification image under their config keys", () => {
        assert.deepStrictEqual(problems(parseStackConfig({
            ...K8S,
            "sandbox:nodeRuntimes": ["kata"],
            "sandbox:kataChart": { repository: "http://charts.example", version: "latest", caFile: "ca.pem" },
            "sandbox:verificationImage": "busybox:1.37",
        }, "onprem")), [
            'sandbox:kataChart.version: "latest" is not an exact version',
            'sandbox:kataChart.repository: "http://charts.example" is neither an OCI registry path (oci://host/path) nor an https:// chart repository URL',
            'sandbox:kataChart.caFile: "ca.pem" is not an absolute file path',
            'sandbox:verificationImage: "busybox:1.37" is not pinned by digest (repository@sha256:<64 hex>)',
        ]);
    });
});
