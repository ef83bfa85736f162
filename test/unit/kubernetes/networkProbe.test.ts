// Runs the network probe for real under busybox's sh with busybox's nc against listeners on
// loopback: open ports stand for what a wall lets through, closed ones for what it refuses. The
// same script runs in real pods (runc and gVisor) of the real-cluster suite.
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { NetworkVerdict, networkProbeScript, parseNetworkVerdict, probeTargetList, probeTargetSpec } from "../../../components/kubernetes/networkProbe";

const APPLETS = ["sh", "nc", "date", "sleep", "tr", "head", "printf"];
const BUSYBOX = (() => {
    const found = spawnSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
})();

interface Outcome {
    code: number;
    stdout: string;
    verdict?: NetworkVerdict;
    seconds: number;
}

function probe(env: Record<string, string>): Promise<Outcome> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netprobe-"));
    for (const a of APPLETS) fs.symlinkSync(BUSYBOX!, path.join(dir, a));
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const child = spawn(path.join(dir, "sh"), ["-c", networkProbeScript()], { env: { PATH: dir, NAMESPACE: "team-a", NODE_NAME: "node-1", CONNECT_SECONDS: "1", ...env } });
        let stdout = "";
        child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
        child.on("error", reject);
        child.on("close", (code) => {
            fs.rmSync(dir, { recursive: true, force: true });
            resolve({ code: code ?? -1, stdout, verdict: parseNetworkVerdict(stdout), seconds: (Date.now() - started) / 1000 });
        });
    });
}

async function listener(): Promise<{ port: number; close: () => Promise<void> }> {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
    return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((res) => server.close(() => res())) };
}

/** A loopback port with nothing listening (bound, then closed). */
async function closedPort(): Promise<number> {
    const l = await listener();
    await l.close();
    return l.port;
}

describe("network probe (busybox sh and nc, loopback listeners)", function () {
    this.timeout(20_000);
    let open: { port: number; close: () => Promise<void> };
    let closed: number;

    before(async function () {
        if (!BUSYBOX) this.skip();
        open = await listener();
        closed = await closedPort();
    });
    after(async () => open?.close());

    it("writes targets as name=host:port, IPv6 hosts in brackets", () => {
        assert.equal(probeTargetSpec({ name: "metadata", host: "169.254.169.254", port: 80 }), "metadata=169.254.169.254:80");
        assert.equal(probeTargetSpec({ name: "metadata-v6", host: "fd00:ec2::254", port: 80 }), "metadata-v6=[fd00:ec2::254]:80");
        assert.equal(probeTargetList([{ name: "node", host: "$(NODE_IP)", port: 10250 }, { name: "pod", host: "10.0.0.9", port: 8080 }]), "node=$(NODE_IP):10250 pod=10.0.0.9:8080");
    });

    it("passes when everything it must refuse is refused and everything it must reach opens, and says so in one line", async () => {
        const out = await probe({ MUST_REFUSE: `metadata=127.0.0.1:${closed} metadata-v6=[::1]:${closed}`, MUST_REACH: `dns=127.0.0.1:${open.port}`, SETTLE_SECONDS: "0" });
        assert.equal(out.code, 0, out.stdout);
        assert.equal(out.stdout, `sandbox-verify network namespace=team-a node=node-1 result=PASS reachable="" refused="metadata 127.0.0.1:${closed}, metadata-v6 [::1]:${closed}" blocked="" skipped="" cause=""\n`);
    });

    it("fails naming each destination the wall let through and each it blocked, with the likely cause", async () => {
        const out = await probe({
            MUST_REFUSE: `metadata=127.0.0.1:${open.port} node=127.0.0.1:${closed} pod=127.0.0.1:${open.port}`,
            MUST_REACH: `internet=127.0.0.1:${closed}`,
            SETTLE_SECONDS: "0",
            CAUSE: "the VPC CNI's network policy agent is off",
        });
        assert.equal(out.code, 1, out.stdout);
        assert.deepEqual(out.verdict, {
            namespace: "team-a",
            node: "node-1",
            result: "FAIL",
            reachable: [`metadata 127.0.0.1:${open.port}`, `pod 127.0.0.1:${open.port}`],
            refused: [`node 127.0.0.1:${closed}`],
            blocked: [`internet 127.0.0.1:${closed}`],
            skipped: [],
            cause: "the VPC CNI's network policy agent is off",
        });
    });

    it("gives an enforcer the settle time to close the wall: a destination reachable at first but refused later passes", async () => {
        const late = await listener();
        setTimeout(() => void late.close(), 800);
        const out = await probe({ MUST_REFUSE: `pod=127.0.0.1:${late.port}`, SETTLE_SECONDS: "10" });
        assert.equal(out.verdict?.result, "PASS", out.stdout);
        assert.ok(out.seconds >= 0.8 && out.seconds < 8, `took ${out.seconds} s`);
    });

    it("stops retrying at the settle time: a wall that never closes fails after it, not before", async () => {
        const out = await probe({ MUST_REFUSE: `pod=127.0.0.1:${open.port}`, SETTLE_SECONDS: "1" });
        assert.equal(out.verdict?.result, "FAIL", out.stdout);
        assert.ok(out.seconds >= 1 && out.seconds < 5, `took ${out.seconds} s`);
    });

    it("keeps quotes and newlines of the cause out of the verdict line, so it stays one parsable line", async () => {
        const out = await probe({ MUST_REFUSE: `pod=127.0.0.1:${open.port}`, SETTLE_SECONDS: "0", CAUSE: 'no "enforcing"\nplugin' });
        assert.equal(out.verdict?.cause, "no enforcingplugin");
        assert.equal(out.stdout.split("\n").length, 2);
    });

    it("tries the cluster DNS at the first nameserver of resolv.conf, and skips it, saying so, where there is none", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "resolv-"));
        try {
            const withDns = path.join(dir, "with");
            fs.writeFileSync(withDns, "search team-a.svc.cluster.local\nnameserver 127.0.0.1\nnameserver 10.0.0.2\noptions ndots:5\n");
            const reached = await probe({ MUST_REACH: `dns=@resolv:${open.port}`, SETTLE_SECONDS: "0", RESOLV_CONF: withDns });
            assert.deepEqual([reached.verdict?.result, reached.verdict?.blocked, reached.verdict?.skipped], ["PASS", [], []], reached.stdout);
            const blocked = await probe({ MUST_REACH: `dns=@resolv:${closed}`, SETTLE_SECONDS: "0", RESOLV_CONF: withDns });
            assert.deepEqual(blocked.verdict?.blocked, [`dns 127.0.0.1:${closed}`], blocked.stdout);
            const without = path.join(dir, "without");
            fs.writeFileSync(without, "options ndots:5\n");
            const skipped = await probe({ MUST_REACH: "dns=@resolv:53", SETTLE_SECONDS: "0", RESOLV_CONF: without });
            assert.deepEqual([skipped.verdict?.result, skipped.verdict?.skipped], ["PASS", [`dns (no nameserver in ${without})`]], skipped.stdout);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reads no verdict from output that has none", () => {
        assert.equal(parseNetworkVerdict("sandbox-verify runtime=gvisor result=PASS\n"), undefined);
    });
});
