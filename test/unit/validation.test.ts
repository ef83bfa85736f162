import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { Cloud, Runtime } from "../../components/isolation";
import { SandboxNamespace } from "../../components/kubernetes/SandboxNamespace";
import { sandboxNamespaceProblems } from "../../components/kubernetes/sandboxNamespaceArgs";
import { sandboxRuntimesProblems } from "../../components/kubernetes/sandboxRuntimesArgs";
import { eksSandboxNodePoolProblems } from "../../components/aws/eksSandboxNodePoolArgs";
import { eksSandboxKarpenterPoolProblems } from "../../components/aws/eksSandboxKarpenterPoolArgs";
import { gkeSandboxNodePoolProblems } from "../../components/gcp/gkeSandboxNodePoolArgs";
import { aksSandboxNodePoolProblems } from "../../components/azure/aksSandboxNodePoolArgs";
import { eksClusterProblems } from "../../components/aws/eksClusterArgs";
import { InputPropertiesError, Problem, ProblemCode, shapeCheckedProblems } from "../../components/validation";
import { installMocks, reset, state } from "../support/mocks";

installMocks();

const PROVIDER_DIR = path.join(__dirname, "..", "..", "provider");
const CODES: readonly string[] = Object.values(ProblemCode);
const at = (problems: readonly Problem[], p: string) => problems.filter((x) => x.path === p).map((x) => x.code);

describe("InputPropertiesError", () => {
    const bad = { namespace: "Bad_NS", podSecurity: "open" } as any;

    function thrown(): InputPropertiesError {
        reset();
        try {
            new SandboxNamespace("tenant", bad);
        } catch (e) {
            assert.ok(e instanceof InputPropertiesError, `expected an InputPropertiesError, got ${String(e)}`);
            return e;
        }
        throw new Error("no error thrown");
    }

    it("lists every bad argument in its message, with its path", () => {
        assert.strictEqual(
            thrown().message,
            'SandboxNamespace "tenant" has invalid arguments:\n' +
                '  - namespace: "Bad_NS" is not a namespace name (a DNS label)\n' +
                '  - podSecurity: "open" is not one of restricted, baseline, privileged',
        );
        assert.strictEqual(thrown().name, "InputPropertiesError");
        assert.strictEqual(thrown().subject, 'SandboxNamespace "tenant"');
    });

    it("is Pulumi's InputPropertiesError, with one property error per problem, as the engine prints them", () => {
        const e = thrown();
        assert.ok(e instanceof pulumi.InputPropertiesError);
        assert.ok(pulumi.InputPropertiesError.isInstance(e));
        assert.deepStrictEqual(e.errors, [
            { propertyPath: "namespace", reason: '"Bad_NS" is not a namespace name (a DNS label)' },
            { propertyPath: "podSecurity", reason: '"open" is not one of restricted, baseline, privileged' },
        ]);
    });

    it("carries each problem's code beside its path and message", () => {
        assert.deepStrictEqual(thrown().problems, [
            { code: "malformed", path: "namespace", message: '"Bad_NS" is not a namespace name (a DNS label)' },
            { code: "not-one-of", path: "podSecurity", message: '"open" is not one of restricted, baseline, privileged' },
        ]);
        assert.deepStrictEqual(state.resources.filter((r) => r.type !== "sandbox-clusters:index:SandboxNamespace"), []);
    });

    it("reaches the component provider as Pulumi's error, so a YAML or Go program sees each property", async () => {
        // What `@pulumi/pulumi/cmd/run-plugin` serves: the classes of provider/index.ts, constructed
        // by Pulumi's ComponentProvider from the inputs another language sent. Its gRPC server turns an
        // error that passes `InputPropertiesError.isInstance` into one property error per `errors` entry.
        const manifest = JSON.parse(fs.readFileSync(path.join(PROVIDER_DIR, "package.json"), "utf8"));
        const provider = new ComponentProvider({ name: manifest.name, dirname: PROVIDER_DIR, components: getPulumiComponents(require(PROVIDER_DIR)) });
        reset();
        await assert.rejects(provider.construct("tenant", `${manifest.name}:index:SandboxNamespace`, bad, {}), (e: unknown) => {
            assert.ok(pulumi.InputPropertiesError.isInstance(e), `expected Pulumi's InputPropertiesError, got ${String(e)}`);
            assert.deepStrictEqual(
                (e as pulumi.InputPropertiesError).errors.map((x) => x.propertyPath),
                ["namespace", "podSecurity"],
            );
            return true;
        });
    });
});

describe("problem codes", () => {
    it("name the kind of every problem, one code for each kind, whatever the wording", () => {
        const runtimes = sandboxRuntimesProblems({
            cloud: Cloud.Azure,
            gvisor: {},
            kata: { shims: ["clh", "clh", "warp" as any], chartVersion: "4.1.0" },
            admissionn: {},
            verification: { image: "busybox:latest", activeDeadlineSeconds: 0 },
        } as any);
        assert.deepStrictEqual(at(runtimes, "gvisor"), [ProblemCode.Unsupported]);
        assert.deepStrictEqual(at(runtimes, "kata.shims"), [ProblemCode.Duplicate]);
        assert.deepStrictEqual(at(runtimes, "kata.shims[2]"), [ProblemCode.NotOneOf]);
        assert.deepStrictEqual(at(runtimes, "kata.chartVersion"), [ProblemCode.Conflict]);
        assert.deepStrictEqual(at(runtimes, "admissionn"), [ProblemCode.UnknownArg]);
        assert.deepStrictEqual(at(runtimes, "verification.image"), [ProblemCode.Unpinned]);
        assert.deepStrictEqual(at(runtimes, "verification.activeDeadlineSeconds"), [ProblemCode.OutOfRange]);

        const pool = eksSandboxNodePoolProblems({ clusterName: "c", subnetIds: "subnet-1", runtime: Runtime.Kata } as any);
        assert.deepStrictEqual(at(pool, "subnetIds"), [ProblemCode.WrongType]);
        const kata = eksSandboxNodePoolProblems({ clusterName: "c", subnetIds: [], runtime: Runtime.Kata, instanceTypes: ["t3.large"], labels: { "sandbox-clusters.io/x": "y" } });
        assert.deepStrictEqual(at(kata, "subnetIds"), [ProblemCode.Required]);
        assert.deepStrictEqual(at(kata, "instanceTypes[0]"), [ProblemCode.Unsupported]);
        assert.deepStrictEqual(at(kata, "labels"), [ProblemCode.Reserved]);

        const cluster = eksClusterProblems({ clusterName: "c", version: "1.x", region: "eu-west-1", subnetIds: ["a", "b"], systemInstanceTypes: ["m7i.large"], systemMinSize: 1, systemMaxSize: 1, systemDesiredSize: 1 });
        assert.deepStrictEqual(at(cluster, "version"), [ProblemCode.Malformed]);
    });

    it("come with every problem of every component, from the closed set ProblemCode lists", () => {
        const all = [
            ...sandboxRuntimesProblems({ cloud: "moon", kata: { shims: [] }, overheads: { x: { cpu: "lots" } } } as any),
            ...sandboxNamespaceProblems("t", { namespace: "kube-x", labels: { "pod-security.kubernetes.io/enforce": "x" }, containerDefaults: {} }),
            ...eksSandboxNodePoolProblems({ clusterName: "c", subnetIds: ["s"], runtime: "gvisor", minSize: 3, maxSize: 1, taints: [{ key: "k", value: "v", effect: "Never" as any }] }),
            ...eksSandboxKarpenterPoolProblems("k", { clusterName: "c", karpenterVersion: "0.37.0", runtime: "kata", instanceTypes: ["m8i.large"], instanceFamilies: ["m8i"] } as any),
            ...gkeSandboxNodePoolProblems("g", { cluster: "c", location: "europe-west4", project: "p", runtime: "gvisor", imageType: "UBUNTU_CONTAINERD", nodeCount: 1, autoscaling: { minNodeCount: 2, maxNodeCount: 1 } }),
            ...aksSandboxNodePoolProblems("a", { resourceGroupName: "rg", clusterName: "c", runtime: "gvisor", vmSize: "Standard_D4ps_v5", availabilityZones: ["4", "4"] }),
        ];
        assert.ok(all.length >= 15, `expected many problems, got ${all.length}`);
        for (const p of all) assert.ok(CODES.includes(p.code), `${p.path}: ${p.message} has code ${JSON.stringify(p.code)}`);
    });

    it("decide which problem stands for a missing required argument, not its wording", () => {
        // The shape check says "is required"; the component's own check for the same path, when it
        // has one, says why in its own words and replaces it.
        const problems = shapeCheckedProblems("EksSandboxNodePool", { clusterName: "c", runtime: "gvisor", instanceTypes: "m7i.large" } as any, () => [
            { code: ProblemCode.Required, path: "subnetIds", message: "at least one subnet is required" },
        ]);
        assert.deepStrictEqual(problems, [
            { code: ProblemCode.WrongType, path: "instanceTypes", message: 'must be a list (got the string "m7i.large"; write ["m7i.large"] for a list of one)' },
            { code: ProblemCode.Required, path: "subnetIds", message: "at least one subnet is required" },
        ]);
    });
});
