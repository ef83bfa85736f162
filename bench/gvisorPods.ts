// Benchmark: gVisor against runc through a real kubelet. A one-sandbox-node cluster
// (test/support/realCluster.ts: kube-apiserver, scheduler, controller-manager, and kubelet +
// containerd 2.x nodes, the gVisor node carrying the rendered runtime fragment and runsc.toml)
// runs the same pods under runc (general node) and under gVisor with each runsc option set, in
// one run, interleaved so that load on a shared machine falls on every variant alike:
//
//   lifecycle  `sleep 1`: pod create -> Running, create -> Succeeded (as the API server reports)
//   python     a Python interpreter start and a small script (JSON of 20,000 sha256 digests)
//   gcc        a compile of a small C file with gcc -O2, and running it
//   http       Python's HTTP server answering 1000 loopback requests, a new connection each
//
// Workload times are measured inside the container (coreutils' `date +%s%N` around the command;
// busybox sh would run its own `date`, which has no %N). Images are built here from Debian
// packages (bench/workloadImage.ts); nothing is pulled.
//
//   npm run bench:gvisor-pods -- [--runs 5] [--variants 1,3,...]   (root)
//
// Needs the build sets k8s, containerd, gvisor and cni, and runc, busybox-static, openssl,
// iproute2, gcc, python3 (the Debian packages the image is made of).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_RUNSC_FLAGS, renderRunscToml } from "../components/aws/gvisorBootstrap";
import { Cloud } from "../components/isolation";
import { plannedRuntimeClasses } from "../components/kubernetes/runtimeClasses";
import { resolveArgs } from "../components/kubernetes/sandboxRuntimesArgs";
import { CACHE } from "../test/support/gvisor/binaries";
import { sleep } from "../test/support/kubeControlPlane";
import { NodeKind, RealCluster, findRealClusterBinaries } from "../test/support/realCluster";
import { WORKLOAD_IMAGE, buildWorkloadImage } from "./workloadImage";

const NS = "bench";
const SANDBOX_NODE = "sandbox-gvisor-0";
const GENERAL_NODE = "general-0";
/** How long a warm-up pod may take before its variant is left out (a cold pod here takes seconds). */
const WARM_UP_TIMEOUT_MS = 120_000;

/** How the gVisor binaries are laid out: Go-built runsc alone, or as a release installs them. */
const Layout = {
    /** runsc with its embedded sentry, no gvisor-bin/ (what gVisor's Go branch builds). */
    Go: "go",
    /** gvisor-bin/gvisor_sentry next to runsc, as in a release, without the prewarmer. */
    Sentry: "sentry",
    /** gvisor-bin/gvisor_sentry and gvisor-bin/gvisor-sentry-prewarmer, as a release installs them. */
    Release: "release",
} as const;
type Layout = (typeof Layout)[keyof typeof Layout];

/** A runsc configuration to measure: runsc.toml flags and the binaries' layout. */
interface Variant {
    name: string;
    flags: Record<string, string>;
    layout: Layout;
}

export const VARIANTS: readonly Variant[] = [
    { name: "defaults, Go-built runsc alone", flags: { ...DEFAULT_RUNSC_FLAGS }, layout: Layout.Go },
    { name: "defaults, sentry sidecar", flags: { ...DEFAULT_RUNSC_FLAGS }, layout: Layout.Sentry },
    { name: "defaults, sentry + prewarmer", flags: { ...DEFAULT_RUNSC_FLAGS }, layout: Layout.Release },
    { name: "overlay2=root:memory", flags: { ...DEFAULT_RUNSC_FLAGS, overlay2: "root:memory" }, layout: Layout.Release },
    { name: "overlay2=none", flags: { ...DEFAULT_RUNSC_FLAGS, overlay2: "none" }, layout: Layout.Release },
    { name: "platform=ptrace", flags: { ...DEFAULT_RUNSC_FLAGS, platform: "ptrace" }, layout: Layout.Release },
    { name: "directfs=false", flags: { ...DEFAULT_RUNSC_FLAGS, directfs: "false" }, layout: Layout.Release },
];

const PYTHON = "import hashlib, json; d = [{'i': i, 'h': hashlib.sha256(str(i).encode()).hexdigest()} for i in range(20000)]; assert len(json.loads(json.dumps(d))) == 20000";
const C_FILE = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct item { int key; char name[16]; };
static int cmp(const void *a, const void *b) { return ((const struct item *)a)->key - ((const struct item *)b)->key; }
int main(void) {
    struct item items[1000];
    unsigned x = 1;
    for (int i = 0; i < 1000; i++) { x = x * 1103515245u + 12345u; items[i].key = (int)(x % 100000); snprintf(items[i].name, sizeof items[i].name, "n%d", i); }
    qsort(items, 1000, sizeof items[0], cmp);
    long sum = 0;
    for (int i = 0; i < 1000; i++) sum += items[i].key * (long)strlen(items[i].name);
    printf("%ld\\n", sum);
    return 0;
}`;
const HTTP = `
import http.client, http.server, threading, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok"
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 8080), H)
threading.Thread(target=s.serve_forever, daemon=True).start()
for i in range(1000):
    c = http.client.HTTPConnection("127.0.0.1", 8080); c.request("GET", "/"); r = c.getresponse(); assert r.read() == b"ok"; c.close()
`;

/** Wraps a shell command so the container prints how long it took. */
const timed = (cmd: string) => ["sh", "-c", `s=$(/usr/bin/date +%s%N); ${cmd}; rc=$?; e=$(/usr/bin/date +%s%N); echo "workload_ms=$(( (e - s) / 1000000 ))"; exit $rc`];

const WORKLOADS = {
    python: timed(`python3 -c "${PYTHON}"`),
    gcc: timed(`cat >/tmp/w.c <<'EOF'\n${C_FILE}\nEOF\ngcc -O2 -o /tmp/w /tmp/w.c && /tmp/w >/dev/null`),
    http: timed(`cat >/tmp/h.py <<'EOF'\n${HTTP}\nEOF\npython3 /tmp/h.py`),
} as const;
type Workload = keyof typeof WORKLOADS;

interface Sample {
    runningMs: number[];
    succeededMs: number[];
    workloads: Record<Workload, number[]>;
}

function median(xs: number[]): number {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function options(argv: string[]): { runs: number; variants: Variant[] } {
    let runs = 5;
    let variants = [...VARIANTS];
    for (let i = 0; i < argv.length; i += 2) {
        if (argv[i] === "--runs") runs = Number(argv[i + 1]);
        else if (argv[i] === "--variants") {
            const names = argv[i + 1].split(",");
            variants = VARIANTS.filter((v, n) => names.includes(String(n + 1)) || names.includes(v.name));
        } else throw new Error(`unknown flag ${argv[i]}; flags: --runs N --variants 1,2,... (${VARIANTS.map((v, n) => `${n + 1}: ${v.name}`).join("; ")})`);
    }
    return { runs, variants };
}

/**
 * A folder laid out like an installed release: runsc, the shim, and gvisor-bin/ per layout. The
 * sentry sidecar is a copy of the Go-built runsc (which boots the sentry itself); the prewarmer
 * is bench/prewarmer.c. runsc hands the prewarmer the sentry's path, which is /proc/self/exe when
 * there is no sentry sidecar, so the prewarmer only works next to one (as in a release).
 */
function gvisorBinDir(scratch: string, goBin: string): { dir: string; setLayout(layout: Layout): void } {
    const dir = path.join(scratch, "gvisor");
    fs.mkdirSync(dir, { recursive: true });
    // As a release installs them (the install script makes gvisor-bin/ and its files 0755): with
    // directfs=false the sandbox process execs gvisor-bin/gvisor_sentry after dropping to an
    // unprivileged user, which must traverse every folder of the path (mkdtemp makes 0700 ones).
    fs.chmodSync(scratch, 0o755);
    fs.chmodSync(dir, 0o755);
    for (const b of ["runsc", "containerd-shim-runsc-v1"]) {
        fs.copyFileSync(path.join(goBin, b), path.join(dir, b));
        fs.chmodSync(path.join(dir, b), 0o755);
    }
    const prewarmer = path.join(scratch, "gvisor-sentry-prewarmer");
    execFileSync("cc", ["-O2", "-static", "-o", prewarmer, path.join(__dirname, "prewarmer.c")]);
    const sidecars = path.join(dir, "gvisor-bin");
    const install = (src: string, name: string) => {
        fs.copyFileSync(src, path.join(sidecars, name));
        fs.chmodSync(path.join(sidecars, name), 0o755);
    };
    let current: Layout | undefined;
    return {
        dir,
        setLayout(layout: Layout) {
            if (layout === current) return;
            current = layout;
            fs.rmSync(sidecars, { recursive: true, force: true });
            if (layout === Layout.Go) return;
            fs.mkdirSync(sidecars);
            install(path.join(goBin, "runsc"), "gvisor_sentry");
            if (layout === Layout.Release) install(prewarmer, "gvisor-sentry-prewarmer");
        },
    };
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

function machine(): string {
    const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown CPU";
    return `${os.cpus().length} vCPU (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}`;
}

async function main(): Promise<void> {
    const { runs, variants } = options(process.argv.slice(2));
    const { binaries, missing } = findRealClusterBinaries();
    if (!binaries) throw new Error(`real cluster parts missing: ${missing.join("; ")}`);
    const loadBefore = load();
    const scratch = fs.mkdtempSync(path.join("/var/tmp", "sandbox-clusters-bench-pods-"));
    const image = buildWorkloadImage(path.join(CACHE, "bench"));
    const gvisor = gvisorBinDir(scratch, binaries.node.gvisorBinDir);
    let cluster: RealCluster | undefined;
    try {
        cluster = await RealCluster.start(binaries, {
            nodes: [
                { name: SANDBOX_NODE, kind: NodeKind.Gvisor, gvisorBinDir: gvisor.dir },
                { name: GENERAL_NODE, kind: NodeKind.General },
            ],
            images: [image],
            readyTimeoutMs: 300_000,
        });
        const rc = plannedRuntimeClasses(resolveArgs({ cloud: Cloud.Aws, gvisor: {} }))[0];
        await cluster.admin.apply({ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: rc.name }, handler: rc.handler, scheduling: rc.scheduling });
        await cluster.admin.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
        for (let i = 0; i < 100 && (await cluster.admin.list("v1", "ServiceAccount", NS)).length === 0; i++) await sleep(200);
        const runscToml = path.join(cluster.node(SANDBOX_NODE).dir, "runsc.toml");

        const subjects = [{ name: "runc", variant: undefined as Variant | undefined }, ...variants.map((v) => ({ name: `gVisor: ${v.name}`, variant: v }))];
        const samples: Record<string, Sample> = {};
        let n = 0;
        const runOne = async (subject: (typeof subjects)[number], command: string[], timeoutMs = 300_000) => {
            if (subject.variant) {
                // The shim reads runsc.toml and runsc looks for gvisor-bin/ at each pod's start.
                fs.writeFileSync(runscToml, renderRunscToml(subject.variant.flags));
                gvisor.setLayout(subject.variant.layout);
            }
            const pod = await cluster!.runPod({
                name: `p${n++}`,
                namespace: NS,
                runtimeClassName: subject.variant ? rc.name : undefined,
                image: WORKLOAD_IMAGE,
                command,
                timeoutMs,
            });
            const expected = subject.variant ? SANDBOX_NODE : GENERAL_NODE;
            if (pod.phase !== "Succeeded" || pod.node !== expected) {
                throw new Error(`${subject.name}: pod ${pod.pod.metadata.name} ${pod.phase} on ${pod.node} (expected Succeeded on ${expected}): ${pod.log}`);
            }
            return pod;
        };
        // One warm-up pod per subject: first-use costs (image unpack, page cache) are not what we
        // compare. A gVisor variant whose warm-up pod does not succeed is reported and left out,
        // so one broken option set does not cost the figures of the others; runc must work.
        const failed: string[] = [];
        for (const s of [...subjects]) {
            try {
                await runOne(s, ["true"], WARM_UP_TIMEOUT_MS);
            } catch (e) {
                if (!s.variant) throw e;
                const why = e instanceof Error ? e.message : String(e);
                failed.push(`${s.name}: ${why.slice(0, 600)}`);
                console.error(`bench: left out ${s.name}, its warm-up pod failed: ${why.slice(0, 600)}`);
                subjects.splice(subjects.indexOf(s), 1);
                await cluster.admin.ok("DELETE", `/api/v1/namespaces/${NS}/pods/p${n - 1}?gracePeriodSeconds=0`).catch(() => undefined);
            }
        }
        for (let i = 0; i < runs; i++) {
            for (const s of subjects) {
                const sample = (samples[s.name] ??= { runningMs: [], succeededMs: [], workloads: { python: [], gcc: [], http: [] } });
                const life = await runOne(s, ["sleep", "1"]);
                if (life.runningMs !== undefined) sample.runningMs.push(life.runningMs);
                sample.succeededMs.push(life.doneMs);
                for (const w of Object.keys(WORKLOADS) as Workload[]) {
                    const pod = await runOne(s, [...WORKLOADS[w]]);
                    const ms = /workload_ms=(\d+)/.exec(pod.log)?.[1];
                    if (ms === undefined) throw new Error(`${s.name}/${w}: no timing in ${JSON.stringify(pod.log)}`);
                    sample.workloads[w].push(Number(ms));
                }
            }
            console.error(`bench: round ${i + 1} of ${runs} done, load ${load()}`);
        }

        const base = samples.runc;
        const cols: [string, (s: Sample) => number[]][] = [
            ["create->Running", (s) => s.runningMs],
            ["create->Succeeded", (s) => s.succeededMs],
            ["python", (s) => s.workloads.python],
            ["gcc", (s) => s.workloads.gcc],
            ["http 1000 req", (s) => s.workloads.http],
        ];
        console.log(`gVisor vs runc through a real kubelet (1.36, containerd 2.x), ${runs} runs each, medians in ms (gVisor/runc)`);
        console.log(`machine: ${machine()}; load average before ${loadBefore}, after ${load()}`);
        console.log(["runtime".padEnd(34), ...cols.map(([c]) => c.padStart(18))].join(""));
        for (const s of subjects) {
            const sample = samples[s.name];
            const cells = cols.map(([, f]) => {
                const m = median(f(sample));
                const ratio = s.variant ? ` (${(m / median(f(base))).toFixed(2)})` : "";
                return `${m.toFixed(0)}${ratio}`.padStart(18);
            });
            console.log([s.name.padEnd(34), ...cells].join(""));
        }
        for (const f of failed) console.log(`left out (warm-up pod failed): ${f}`);
        console.log(JSON.stringify({ runs, machine: machine(), load: { before: loadBefore, after: load() }, variants, failed, samples }));
    } finally {
        await cluster?.stop();
        if (process.env.SANDBOX_KEEP_WORK !== "1") fs.rmSync(scratch, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
