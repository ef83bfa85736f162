import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import {
    guardedNodeScript,
    kubeletStampFlags,
    MIME_BOUNDARY,
    renderMimeMultipart,
    renderNodeConfig,
} from "../../../components/aws/userdata";
import { TaintEffect } from "../../../components/isolation";
import { mimeParts } from "../../support/eksPoolFixtures";

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

    describe("guardedNodeScript", () => {
        /** Runs a guarded script with `systemctl` stubbed; returns what it did. */
        function runGuarded(inner: string) {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guarded-"));
            try {
                const bin = path.join(dir, "bin");
                fs.mkdirSync(bin);
                fs.writeFileSync(path.join(bin, "systemctl"), `#!/bin/sh\necho "$@" >>"${dir}/systemctl.log"\n`, { mode: 0o755 });
                const file = path.join(dir, "guarded.sh");
                fs.writeFileSync(file, guardedNodeScript("gVisor install", inner));
                const r = spawnSync("bash", [file], {
                    encoding: "utf8",
                    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, SYSTEMD_DROPIN_ROOT: path.join(dir, "systemd") },
                });
                const dropin = path.join(dir, "systemd", "nodeadm-run.service.d", "50-sandbox-clusters-failed.conf");
                const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : undefined);
                return { status: r.status, stdout: r.stdout, dropin: read(dropin), systemctl: read(path.join(dir, "systemctl.log")) };
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }

        it("runs the script verbatim and leaves the node alone when it succeeds", () => {
            const r = runGuarded("#!/usr/bin/env bash\necho \"$((6 * 7)) '$HOME' \\\\ \"\n");
            assert.strictEqual(r.status, 0);
            assert.strictEqual(r.stdout, `42 '${process.env.HOME}' \\ \n`);
            assert.strictEqual(r.dropin, undefined);
            assert.strictEqual(r.systemctl, undefined);
        });

        it("keeps the node from joining when the script fails: nodeadm-run fails with the reason", () => {
            const r = runGuarded("#!/usr/bin/env bash\nexit 3\n");
            assert.strictEqual(r.status, 1);
            assert.strictEqual(
                r.dropin,
                "[Service]\nExecStartPre=/bin/sh -c 'echo \"sandbox-clusters: gVisor install failed; this node will not join the cluster\" >&2; exit 1'\n",
            );
            assert.strictEqual(r.systemctl, "daemon-reload\n");
        });

        it("refuses a script that contains its heredoc delimiter", () => {
            assert.throws(() => guardedNodeScript("x", "echo\nSANDBOX_CLUSTERS_NODE_SCRIPT\n"), {
                message: "the x script contains the line SANDBOX_CLUSTERS_NODE_SCRIPT",
            });
        });
    });
});
