import * as assert from "assert";
import * as YAML from "yaml";
import { kubeletStampFlags, MIME_BOUNDARY, renderMimeMultipart, renderNodeConfig } from "../../../components/aws/userdata";
import { TaintEffect } from "../../../components/isolation";
import { mimeParts } from "./fixtures";

describe("EKS user data renderers", () => {
    it("renders a multipart/mixed document whose parts come back unchanged and in order", () => {
        const doc = renderMimeMultipart([
            { contentType: "application/node.eks.aws", body: "a: 1\n" },
            { contentType: "text/x-shellscript", body: "#!/bin/bash\necho hi\n\necho there\n" },
        ]);
        assert.ok(doc.startsWith(`MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"\n`));
        assert.ok(doc.endsWith(`--${MIME_BOUNDARY}--\n`));
        assert.deepStrictEqual(mimeParts(doc), [
            { contentType: "application/node.eks.aws", body: "a: 1\n" },
            { contentType: "text/x-shellscript", body: "#!/bin/bash\necho hi\n\necho there\n" },
        ]);
    });

    it("refuses a part that contains the boundary", () => {
        assert.throws(
            () => renderMimeMultipart([{ contentType: "text/plain", body: `x\n--${MIME_BOUNDARY}\n` }]),
            { message: `a user data part contains the MIME boundary ${MIME_BOUNDARY}` },
        );
    });

    it("renders a NodeConfig whose YAML keeps odd strings and the containerd TOML exactly", () => {
        const toml = '[plugins."x".y]\nkey = "v: #1"\n\n[z]\n';
        const doc = YAML.parse(
            renderNodeConfig({
                cluster: { name: 'we"ird: name', apiServerEndpoint: "https://e", certificateAuthority: "Q0E=", cidr: "10.0.0.0/16" },
                containerdConfig: toml,
                kubeletFlags: ["--node-labels=a=b", "--x=#y"],
            }),
        );
        assert.deepStrictEqual(doc, {
            apiVersion: "node.eks.aws/v1alpha1",
            kind: "NodeConfig",
            spec: {
                cluster: { name: 'we"ird: name', apiServerEndpoint: "https://e", certificateAuthority: "Q0E=", cidr: "10.0.0.0/16" },
                containerd: { config: '[plugins."x".y]\nkey = "v: #1"\n\n[z]\n' },
                kubelet: { flags: ["--node-labels=a=b", "--x=#y"] },
            },
        });
    });

    it("renders an empty spec as {}", () => {
        assert.deepStrictEqual(YAML.parse(renderNodeConfig({})).spec, {});
    });

    it("spells labels sorted by key and taints in order for kubelet", () => {
        const flags = kubeletStampFlags({ "z/b": "2", "a/a": "1" }, [
            { key: "k1", value: "v", effect: TaintEffect.NoSchedule },
            { key: "k2", value: "", effect: TaintEffect.NoExecute },
        ]);
        assert.deepStrictEqual(flags, ["--node-labels=a/a=1,z/b=2", "--register-with-taints=k1=v:NoSchedule,k2:NoExecute"]);
        assert.deepStrictEqual(kubeletStampFlags({}, []), []);
    });
});
