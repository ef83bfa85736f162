import { strict as assert } from "node:assert";
import { renderGvisorInstallScript } from "../../../components/aws/gvisorBootstrap";
import { closest, RUNSC_FLAGS, runscFlagProblems, SETTABLE_RUNSC_FLAGS } from "../../../components/aws/runscFlags";
import { parseStackConfig } from "../../../stacks/config";

/** `path: message` lines for a flag map. */
function problems(flags: Record<string, string>): string[] {
    return runscFlagProblems("runscFlags", flags).map((p) => `${p.path}: ${p.message}`);
}

describe("runsc flag catalogue (runscFlags.ts)", () => {
    it("accepts the defaults and the flags a cluster operator sets", () => {
        assert.deepEqual(
            problems({
                platform: "systrap",
                "host-uds": "none",
                overlay2: "root:memory",
                "debug-log": "/var/log/runsc/%ID%/",
                "file-access-mounts": "exclusive",
                "watchdog-action": "panic",
                fdlimit: "0x1000",
                "control-rpc-stop-timeout": "1m30s",
                "sidecar-usage-policy": "strict",
                directfs: "False",
                "gofer-network-namespace": "/var/run/netns/gofer",
            }),
            [],
        );
    });

    it("rejects a misspelled flag name and suggests the flag meant", () => {
        assert.deepEqual(problems({ plaftorm: "systrap", file_access: "exclusive", "net-rwa": "false" }), [
            'runscFlags["plaftorm"]: "plaftorm" is not a runsc flag of the pinned gVisor release; did you mean "platform"?',
            'runscFlags["file_access"]: "file_access" is not a runsc flag of the pinned gVisor release; did you mean "file-access"?',
            'runscFlags["net-rwa"]: "net-rwa" is not a runsc flag of the pinned gVisor release; did you mean "net-raw"?',
        ]);
    });

    it("names a flag written with dashes or a value, and offers no guess for a name far from any flag", () => {
        assert.deepEqual(problems({ "--platform": "kvm", "--network=none": "x", "make-it-fast": "true" }), [
            'runscFlags["--platform"]: "--platform" is not a runsc flag of the pinned gVisor release; write the flag name alone, without dashes: "platform"',
            'runscFlags["--network=none"]: "--network=none" is not a runsc flag of the pinned gVisor release; write the flag name alone, without dashes: "network"',
            'runscFlags["make-it-fast"]: "make-it-fast" is not a runsc flag of the pinned gVisor release',
        ]);
    });

    it("rejects a value outside a flag's allowed values and suggests the closest", () => {
        assert.deepEqual(problems({ platform: "systrapp", network: "hots", "host-uds": "everything", "ref-leak-mode": "log-traces" }), [
            'runscFlags["platform"]: "systrapp" is not one of systrap, ptrace, kvm, slimvm; did you mean "systrap"?',
            'runscFlags["network"]: "hots" is not one of sandbox, host, none, plugin; did you mean "host"?',
            'runscFlags["host-uds"]: "everything" is not one of none, open, create, all',
            'runscFlags["ref-leak-mode"]: "log-traces" is not one of disabled, log-names, panic; did you mean "log-names"?',
        ]);
    });

    it("checks each value by the flag's Go type", () => {
        assert.deepEqual(
            problems({ debug: "yes", fdlimit: "08", "strace-log-size": "-1", "control-rpc-stop-timeout": "90", "qdisc-tbf-rate": "18446744073709551616" }),
            [
                'runscFlags["debug"]: "yes" is not a boolean (true or false)',
                'runscFlags["fdlimit"]: "08" is not a 64-bit integer',
                'runscFlags["strace-log-size"]: "-1" is not a non-negative 64-bit integer',
                'runscFlags["control-rpc-stop-timeout"]: "90" is not a duration (for example 15s, 1m30s, 250ms)',
                'runscFlags["qdisc-tbf-rate"]: "18446744073709551616" is not a non-negative 64-bit integer',
            ],
        );
    });

    it("checks structured values: overlay2, XDP and the gofer's network namespace", () => {
        assert.deepEqual(problems({ overlay2: "rot:memory", "EXPERIMENTAL-xdp": "redirect:", "gofer-network-namespace": "netns/gofer" }), [
            'runscFlags["overlay2"]: "rot:memory" is not none or {root|all}:{memory|self|dir=/absolute/path}[,size=SIZE]',
            'runscFlags["EXPERIMENTAL-xdp"]: "redirect:" is not off, ns, redirect:<device> or tunnel:<device>',
            'runscFlags["gofer-network-namespace"]: "netns/gofer" is not one of null, new, host, or an absolute path',
        ]);
        assert.deepEqual(problems({ overlay2: "all:dir=/var/lib/runsc,size=2g" }), []);
    });

    it("refuses flags the shim sets, command-line-only flags, test-only flags and flag overrides by pods", () => {
        assert.deepEqual(problems({ root: "/run/x", "log-fd": "3", "TESTONLY-unsafe-nonroot": "true", "allow-flag-override": "true" }), [
            `runscFlags["root"]: runsc.toml may not set "root": gVisor's containerd shim sets it on every runsc call; runsc.toml cannot change it`,
            'runscFlags["log-fd"]: runsc.toml may not set "log-fd": a flag of the runsc command line itself, not of a sandbox',
            'runscFlags["TESTONLY-unsafe-nonroot"]: runsc.toml may not set "TESTONLY-unsafe-nonroot": a TEST ONLY flag that gVisor says never to use: it removes isolation from the sandbox',
            'runscFlags["allow-flag-override"]: runsc.toml may not set "allow-flag-override": it lets any pod override runsc flags through dev.gvisor.flag.* annotations, so a workload could switch its own sandbox\'s protections off',
        ]);
        assert.ok(!SETTABLE_RUNSC_FLAGS.includes("root"));
        assert.ok(SETTABLE_RUNSC_FLAGS.includes("platform"));
    });

    it("rejects the combinations runsc's Config.Validate refuses", () => {
        assert.deepEqual(
            problems({
                "file-access": "shared",
                overlay: "true",
                "num-network-channels": "0",
                "pause-external-networking": "true",
                network: "none",
                qdisc: "tbf",
                "qdisc-tbf-rate": "1000",
                "profile-cpu": "/tmp/cpu",
                "profiling-metrics": "a,b",
                "nvproxy-allowed-driver-capabilities": "compute,display",
            }),
            [
                'runscFlags["overlay"]: the deprecated "overlay" flag cannot be combined with overlay2 (on by default as root:self); use overlay2 = "all:memory" instead',
                'runscFlags["file-access"]: shared file access for the root filesystem needs overlay2 = "none" (overlay2 is on by default as root:self)',
                'runscFlags["num-network-channels"]: must be greater than 0',
                'runscFlags["pause-external-networking"]: works only with network = "sandbox"',
                'runscFlags["qdisc"]: qdisc "tbf" needs a non-zero "qdisc-tbf-burst"',
                'runscFlags["profile-cpu"]: needs profile = "true"',
                'runscFlags["profiling-metrics"]: needs "profiling-metrics-log"',
                'runscFlags["nvproxy-allowed-driver-capabilities"]: "display" is not among compute, utility, graphics, video, ngx, fabric-imex-mgmt, profiling, rdma, all',
            ],
        );
        assert.deepEqual(problems({ "file-access": "shared", overlay2: "none" }), []);
    });

    it("keeps the TOML-safety rule for every value", () => {
        assert.deepEqual(problems({ "debug-log": 'x"\n[evil]' }), ['runscFlags["debug-log"]: must be a single-line string without quotes or backslashes']);
    });

    it("lists every flag once with a kind, and only refusals carry a reason", () => {
        for (const [name, spec] of Object.entries(RUNSC_FLAGS)) {
            assert.ok(["bool", "int", "uint", "duration", "string"].includes(spec.kind), name);
            if (spec.values) assert.equal(spec.kind, "string", name);
        }
        assert.equal(Object.keys(RUNSC_FLAGS).length, 119, "runsc flags of the pinned release (runsc flags | grep -c '^  -')");
    });

    it("guesses only names close enough to be a typo", () => {
        assert.equal(closest("systrapp", ["systrap", "ptrace"]), "systrap");
        assert.equal(closest("kvn", ["systrap", "kvm"]), "kvm");
        assert.equal(closest("gpu", ["systrap", "kvm"]), undefined);
    });

    it("reports bad flags from the install script renderer before anything is rendered", () => {
        assert.throws(() => renderGvisorInstallScript({ runscFlags: { plaftorm: "systrap" } }), {
            message: 'gVisor install script has invalid arguments:\n  - gvisor.runscFlags["plaftorm"]: "plaftorm" is not a runsc flag of the pinned gVisor release; did you mean "platform"?',
        });
    });

    it("names the stack config key of a bad flag in a pool", () => {
        const r = parseStackConfig(
            {
                "aws:region": "us-east-1",
                "sandbox:cloud": "aws",
                "sandbox:pools": [{ name: "gvisor", runtime: "gvisor", instanceTypes: ["m7i.xlarge"], gvisor: { runscFlags: { platform: "systrapp", plaftorm: "kvm" } } }],
            },
            "dev",
        );
        assert.ok(!r.ok);
        assert.deepEqual(
            r.problems.map((p) => `${p.path}: ${p.message}`),
            [
                'sandbox:pools[0].gvisor.runscFlags["platform"]: "systrapp" is not one of systrap, ptrace, kvm, slimvm; did you mean "systrap"?',
                'sandbox:pools[0].gvisor.runscFlags["plaftorm"]: "plaftorm" is not a runsc flag of the pinned gVisor release; did you mean "platform"?',
            ],
        );
    });
});
