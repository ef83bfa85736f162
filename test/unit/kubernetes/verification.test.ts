// Runs the verification scripts for real, under dash and under busybox's sh with busybox
// applets, with `dmesg`, `uname` and `curl` replaced by stubs that answer with captured
// output. The gVisor check also runs inside a real gVisor sandbox in the integration suite.
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { VERDICT_TAG, gvisorCheckScript, kataCheckScript } from "../../../components/kubernetes/verification";
import { skipOrFail } from "../../support/realParts";

const FIXTURES = path.join(__dirname, "fixtures");
const NODE_KERNEL = "6.12.40-64.114.amzn2023.x86_64";
const BUSYBOX_APPLETS = ["sh", "grep", "sed", "tr", "head", "cat"];

interface Stub {
    stdout?: string;
    stderr?: string;
    exit?: number;
}
interface Scenario {
    dmesg?: Stub;
    uname?: Stub;
    curl?: Stub;
    env?: Record<string, string>;
}
interface Outcome {
    code: number;
    stdout: string;
    /** Arguments curl was called with, one per line. */
    curlArgs: string[];
}

function findBusybox(): string | undefined {
    const found = spawnSync("sh", ["-c", "command -v busybox"], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}
const BUSYBOX = findBusybox();

function fixture(name: string): string {
    return fs.readFileSync(path.join(FIXTURES, name), "utf8");
}

/**
 * A shell function standing in for a command: prints fixed output, exits with a fixed
 * status. Functions rather than PATH executables because busybox's sh runs its own applets
 * (uname, dmesg) before searching PATH.
 */
function stubFunction(dir: string, name: string, stub: Stub, record?: string): string {
    const out = path.join(dir, `${name}.stdout`);
    const err = path.join(dir, `${name}.stderr`);
    fs.writeFileSync(out, stub.stdout ?? "");
    fs.writeFileSync(err, stub.stderr ?? "");
    const rec = record ? `for a in "$@"; do printf '%s\\n' "$a" >> '${record}'; done; ` : "";
    return `${name}() { ${rec}cat '${out}'; cat '${err}' >&2; return ${stub.exit ?? 0}; }\n`;
}

function run(script: string, scenario: Scenario, shell: "dash" | "busybox"): Outcome {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-"));
    try {
        const curlLog = path.join(dir, "curl.args");
        const stubs =
            stubFunction(dir, "dmesg", scenario.dmesg ?? { stdout: "" }) +
            stubFunction(dir, "uname", scenario.uname ?? { stdout: `${NODE_KERNEL}\n` }) +
            stubFunction(dir, "curl", scenario.curl ?? { stdout: "", exit: 7 }, curlLog);
        let pathVar = "/usr/bin:/bin";
        let argv0 = "sh";
        if (shell === "busybox") {
            const applets = path.join(dir, "busybox");
            fs.mkdirSync(applets);
            for (const a of BUSYBOX_APPLETS) fs.symlinkSync(BUSYBOX!, path.join(applets, a));
            pathVar = applets;
            argv0 = path.join(applets, "sh");
        }
        const res = spawnSync(argv0, ["-c", stubs + script], {
            encoding: "utf8",
            env: { PATH: pathVar, ...scenario.env },
        });
        if (res.error) throw res.error;
        return {
            code: res.status ?? -1,
            stdout: res.stdout,
            curlArgs: fs.existsSync(curlLog) ? fs.readFileSync(curlLog, "utf8").trimEnd().split("\n") : [],
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The scenario of a Kata pod whose service account can read its Node. */
function kataScenario(sa: string, overrides: Partial<Scenario> & { cpuinfo?: string } = {}): Scenario {
    return {
        uname: { stdout: "6.18.3\n" },
        curl: { stdout: fixture("node-eks-al2023.json") },
        dmesg: { stderr: "dmesg: klogctl: Operation not permitted\n", exit: 1 },
        ...overrides,
        env: {
            NODE_NAME: "ip-10-0-1-23.ec2.internal",
            RUNTIME_CLASS: "kata-qemu",
            KUBERNETES_SERVICE_HOST: "172.20.0.1",
            KUBERNETES_SERVICE_PORT: "443",
            SERVICEACCOUNT_DIR: sa,
            CPUINFO: path.join(FIXTURES, overrides.cpuinfo ?? "cpuinfo-guest.txt"),
            ...overrides.env,
        },
    };
}

function oneLine(stdout: string): string {
    const lines = stdout.trimEnd().split("\n");
    assert.strictEqual(lines.length, 1, `expected one verdict line, got:\n${stdout}`);
    assert.ok(lines[0].startsWith(`${VERDICT_TAG} `), lines[0]);
    return lines[0];
}

for (const shell of ["dash", "busybox"] as const) {
    describe(`verification scripts (${shell})`, function () {
        let sa: string;
        before(function () {
            if (shell === "busybox" && !BUSYBOX) {
                skipOrFail(this, "busybox is missing: apt-get install busybox-static");
            }
            sa = fs.mkdtempSync(path.join(os.tmpdir(), "sa-"));
            fs.writeFileSync(path.join(sa, "token"), "test-token");
            fs.writeFileSync(path.join(sa, "ca.crt"), "test-ca");
        });
        after(() => sa && fs.rmSync(sa, { recursive: true, force: true }));

        describe("gvisorCheckScript", () => {
            it("passes with gVisor's boot line as evidence when the kernel log is gVisor's", () => {
                const out = run(gvisorCheckScript(), { dmesg: { stdout: fixture("dmesg-gvisor.txt") }, uname: { stdout: "4.4.0\n" }, env: { NODE_NAME: "n1", RUNTIME_CLASS: "gvisor" } }, shell);
                assert.strictEqual(out.code, 0, out.stdout);
                assert.strictEqual(
                    oneLine(out.stdout),
                    `${VERDICT_TAG} runtime=gvisor class=gvisor node=n1 result=PASS evidence="dmesg: [   0.000000] Starting gVisor...; uname -r: 4.4.0"`,
                );
            });

            it("fails when the kernel log cannot be read (runc with dmesg_restrict)", () => {
                const out = run(gvisorCheckScript(), { dmesg: { stderr: "dmesg: klogctl: Operation not permitted\n", exit: 1 }, env: { NODE_NAME: "n1" } }, shell);
                assert.strictEqual(out.code, 1);
                assert.strictEqual(
                    oneLine(out.stdout),
                    `${VERDICT_TAG} runtime=gvisor class=gvisor node=n1 result=FAIL evidence="dmesg has no gVisor boot line (first line: dmesg: klogctl: Operation not permitted); uname -r: ${NODE_KERNEL}"`,
                );
            });

            it("fails when the kernel log is the host's Linux log", () => {
                const out = run(gvisorCheckScript(), { dmesg: { stdout: fixture("dmesg-linux.txt") } }, shell);
                assert.strictEqual(out.code, 1);
                assert.match(oneLine(out.stdout), /node=unknown result=FAIL evidence="dmesg has no gVisor boot line \(first line: \[    0.000000\] Linux version 6\.12\.40/);
            });
        });

        describe("kataCheckScript", () => {
            it("passes on a guest kernel that is not the node's, inside a VM", () => {
                const out = run(kataCheckScript(), kataScenario(sa), shell);
                assert.strictEqual(out.code, 0, out.stdout);
                assert.strictEqual(
                    oneLine(out.stdout),
                    `${VERDICT_TAG} runtime=kata class=kata-qemu node=ip-10-0-1-23.ec2.internal result=PASS evidence="guest kernel 6.18.3, node kernel ${NODE_KERNEL}, cpu flag hypervisor"`,
                );
            });

            it("reads its own Node through the API with the pod's token and CA", () => {
                const out = run(kataCheckScript(), kataScenario(sa), shell);
                assert.deepStrictEqual(out.curlArgs, [
                    "-sS", "--fail", "--max-time", "30",
                    "--cacert", `${sa}/ca.crt`,
                    "-H", "Authorization: Bearer test-token",
                    "https://172.20.0.1:443/api/v1/nodes/ip-10-0-1-23.ec2.internal",
                ]);
            });

            it("brackets an IPv6 API server address", () => {
                const out = run(kataCheckScript(), kataScenario(sa, { env: { KUBERNETES_SERVICE_HOST: "fd00::1" } }), shell);
                assert.strictEqual(out.curlArgs[out.curlArgs.length - 1], "https://[fd00::1]:443/api/v1/nodes/ip-10-0-1-23.ec2.internal");
            });

            it("fails when the pod runs on the node's own kernel (runc)", () => {
                const out = run(kataCheckScript(), kataScenario(sa, { uname: { stdout: `${NODE_KERNEL}\n` } }), shell);
                assert.strictEqual(out.code, 1);
                assert.match(oneLine(out.stdout), new RegExp(`result=FAIL evidence="pod kernel ${NODE_KERNEL.replace(/\./g, "\\.")} is the node's own kernel"$`));
            });

            it("fails when the foreign kernel is gVisor's rather than a guest VM's", () => {
                const out = run(kataCheckScript(), kataScenario(sa, { uname: { stdout: "4.4.0\n" }, dmesg: { stdout: fixture("dmesg-gvisor.txt") } }), shell);
                assert.strictEqual(out.code, 1);
                assert.match(oneLine(out.stdout), /result=FAIL evidence="pod kernel 4\.4\.0 is gVisor, not a Kata guest"$/);
            });

            it("fails when the CPU shows no hypervisor", () => {
                const out = run(kataCheckScript(), kataScenario(sa, { cpuinfo: "cpuinfo-bare-metal.txt" }), shell);
                assert.strictEqual(out.code, 1);
                assert.match(oneLine(out.stdout), /result=FAIL evidence="pod kernel 6\.18\.3 differs from node kernel 6\.12\.40-64\.114\.amzn2023\.x86_64 but the CPU has no hypervisor flag"$/);
            });

            it("fails with the API's answer when the Node cannot be read", () => {
                const out = run(kataCheckScript(), kataScenario(sa, { curl: { stderr: "curl: (22) The requested URL returned error: 403", exit: 22 } }), shell);
                assert.strictEqual(out.code, 1);
                assert.match(oneLine(out.stdout), /result=FAIL evidence="cannot read Node ip-10-0-1-23\.ec2\.internal: curl: \(22\) The requested URL returned error: 403"$/);
            });

            it("fails when the Node reports no kernel version", () => {
                const out = run(kataCheckScript(), kataScenario(sa, { curl: { stdout: '{"kind":"Node","status":{}}' } }), shell);
                assert.strictEqual(out.code, 1);
                assert.match(oneLine(out.stdout), /result=FAIL evidence="Node ip-10-0-1-23\.ec2\.internal reports no status\.nodeInfo\.kernelVersion"$/);
            });

            it("fails without a service account token", () => {
                const out = run(kataCheckScript(), kataScenario(sa, { env: { SERVICEACCOUNT_DIR: "/nonexistent" } }), shell);
                assert.strictEqual(out.code, 1);
                assert.match(oneLine(out.stdout), /result=FAIL evidence="no service account token in \/nonexistent"$/);
                assert.deepStrictEqual(out.curlArgs, []);
            });

            it("fails when it does not know its node", () => {
                const out = run(kataCheckScript(), kataScenario(sa, { env: { NODE_NAME: "" } }), shell);
                assert.strictEqual(out.code, 1);
                assert.match(oneLine(out.stdout), /node=unknown result=FAIL evidence="NODE_NAME is not set"$/);
            });

            // AKS Pod Sandboxing: kernel versions from Microsoft's "verify kernel isolation" walkthrough
            // (use-pod-sandboxing.md, 2026-09): the pod VM runs 6.6.96.mshv1, the Azure Linux node
            // 6.6.100.mshv1-1.azl3. Both name mshv, so the check compares, it does not pattern-match.
            it("passes on AKS Pod Sandboxing: a guest kernel that is not the Azure Linux node's, under Cloud Hypervisor", () => {
                const env = { NODE_NAME: "aks-kata-12345678-vmss000000", RUNTIME_CLASS: "kata" };
                const out = run(kataCheckScript(), kataScenario(sa, { uname: { stdout: "6.6.96.mshv1\n" }, curl: { stdout: fixture("node-aks-azurelinux.json") }, env }), shell);
                assert.strictEqual(out.code, 0, out.stdout);
                assert.strictEqual(
                    oneLine(out.stdout),
                    `${VERDICT_TAG} runtime=kata class=kata node=aks-kata-12345678-vmss000000 result=PASS evidence="guest kernel 6.6.96.mshv1, node kernel 6.6.100.mshv1-1.azl3, cpu flag hypervisor"`,
                );
            });

            it("fails on an AKS node's own kernel, though that kernel runs under Hyper-V and names mshv too", () => {
                const env = { NODE_NAME: "aks-kata-12345678-vmss000000", RUNTIME_CLASS: "kata" };
                const out = run(kataCheckScript(), kataScenario(sa, { uname: { stdout: "6.6.100.mshv1-1.azl3\n" }, curl: { stdout: fixture("node-aks-azurelinux.json") }, env }), shell);
                assert.strictEqual(out.code, 1);
                assert.match(oneLine(out.stdout), /result=FAIL evidence="pod kernel 6\.6\.100\.mshv1-1\.azl3 is the node's own kernel"$/);
            });

            it("reads a pretty-printed Node as well as a compact one", () => {
                const pretty = JSON.stringify(JSON.parse(fixture("node-eks-al2023.json")), null, 2);
                const out = run(kataCheckScript(), kataScenario(sa, { curl: { stdout: pretty } }), shell);
                assert.strictEqual(out.code, 0, out.stdout);
            });
        });
    });
}

describe("verification scripts (syntax)", () => {
    it("parse as POSIX sh", () => {
        for (const s of [gvisorCheckScript(), kataCheckScript()]) execFileSync("sh", ["-n", "-c", s]);
    });
});
