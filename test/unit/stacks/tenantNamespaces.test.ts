import * as assert from "assert";
import { tenantNamespaceArgs } from "../../../stacks/componentArgs";
import { parseStackConfig } from "../../../stacks/config";
import { problems } from "../../support/configResult";

const AWS = {
    "aws:region": "us-east-1",
    "sandbox:cloud": "aws",
    "sandbox:pools": [
        { name: "gvisor", runtime: "gvisor", instanceTypes: ["m7i.xlarge"] },
        { name: "kata", runtime: "kata", instanceTypes: ["c8i.2xlarge"] },
    ],
    "sandbox:kataShims": ["clh"],
};


describe("stack config: sandbox:tenantNamespaces", () => {
    it("gives each named namespace SandboxNamespace's args, the stack's gvisor class by default", () => {
        const r = parseStackConfig({ ...AWS, "sandbox:tenantNamespaces": { agents: {}, builds: { runtimeClassName: "kata-clh", resourceQuota: { pods: "10" } } } }, "dev");
        assert.ok(r.ok, r.ok ? "" : r.problems.map((p) => p.message).join("\n"));
        assert.deepStrictEqual(tenantNamespaceArgs(r.config, "agents"), { runtimeClassName: "gvisor", namespace: "agents" });
        assert.deepStrictEqual(tenantNamespaceArgs(r.config, "builds"), { runtimeClassName: "kata-clh", resourceQuota: { pods: "10" }, namespace: "builds" });
    });

    it("names each bad namespace, argument and class under its config key", () => {
        assert.deepStrictEqual(
            problems(parseStackConfig({
                ...AWS,
                "sandbox:admissionExemptNamespaces": ["monitoring"],
                "sandbox:tenantNamespaces": { Bad_Name: {}, monitoring: {}, team: { runtimeClassName: "runc", podSecurity: "strict", restrictEgress: "yes" }, odd: "x" },
            }, "dev")),
            [
                'sandbox:tenantNamespaces["odd"]: must be a map of SandboxNamespace arguments, {} for the defaults (got "x")',
                'sandbox:tenantNamespaces["Bad_Name"]: "Bad_Name" is not a namespace name (a DNS label)',
                'sandbox:tenantNamespaces["monitoring"]: "monitoring" is exempt from the admission guard (sandbox:admissionExemptNamespaces); a tenant namespace must be judged',
                'sandbox:tenantNamespaces["team"].restrictEgress: must be true or false (got the string "yes")',
                'sandbox:tenantNamespaces["team"].podSecurity: "strict" is not one of restricted, baseline, privileged',
                'sandbox:tenantNamespaces["team"].runtimeClassName: "runc" is not a sandbox RuntimeClass of this stack (gvisor, kata, kata-clh)',
            ],
        );
        assert.deepStrictEqual(problems(parseStackConfig({ ...AWS, "sandbox:tenantNamespaces": ["agents"] }, "dev")), ['sandbox:tenantNamespaces: must be a map (got ["agents"])']);
        const image = "registry.example/agent@sha256:" + "0".repeat(64);
        assert.deepStrictEqual(
            problems(parseStackConfig({ ...AWS, "sandbox:agentSandbox": { image }, "sandbox:tenantNamespaces": { "agents-gvisor": {} } }, "dev")),
            ['sandbox:tenantNamespaces["agents-gvisor"]: "agents-gvisor" is created by sandbox:agentSandbox already; give the tenant namespace another name'],
        );
    });
});
