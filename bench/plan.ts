// Offline-plan benchmark: wall time, CPU (user + system, every process: npm and the plan) and
// peak RSS of the commands a user runs, each the median of --runs runs after one warm-up:
//   - the usage line (`npm run plan` with no stack),
//   - `npm run plan -- dev`,
//   - plans of generated AWS stacks with N gVisor pools, for each N of --pools.
// Prints the machine (CPUs, load average before and after: wall times on a loaded machine
// say little, CPU seconds more) and the cost per extra pool.
//
//   npm run bench:plan [-- --pools 100,200,400 --runs 3 --repo DIR]   (those are the defaults)
// (--repo: measure another checkout's `npm run plan`, e.g. an older commit, with the same cases.)
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const RUSAGE = path.join(__dirname, "rusage.js");

interface Options {
    pools: number[];
    runs: number;
    /** The checkout whose `npm run plan` is measured. */
    repo: string;
}

function options(argv: string[]): Options {
    const o: Options = { pools: [100, 200, 400], runs: 3, repo: path.join(__dirname, "..") };
    for (let i = 0; i < argv.length; i += 2) {
        const [flag, value] = [argv[i], argv[i + 1]];
        if (flag === "--pools") o.pools = value.split(",").map(Number);
        else if (flag === "--runs") o.runs = Number(value);
        else if (flag === "--repo") o.repo = path.resolve(value);
        else throw new Error(`unknown flag ${flag}; flags: --pools N[,N...] --runs N --repo DIR`);
        if (o.pools.some((n) => !Number.isInteger(n) || n < 1 || n > 999) || !Number.isInteger(o.runs) || o.runs < 1) {
            throw new Error(`--pools takes whole numbers from 1 to 999, --runs a whole number of at least 1`);
        }
    }
    return o;
}

/** A stack file of an EKS cluster the program creates, with `n` gVisor pools. */
function poolsStack(dir: string, n: number): string {
    const pools = Array.from({ length: n }, (_, i) =>
        [`    - name: p${String(i).padStart(3, "0")}`, "      runtime: gvisor", "      instanceTypes: [m7i.large]", "      minSize: 1", "      maxSize: 2"].join("\n"));
    const file = path.join(dir, `Pulumi.pools${n}.yaml`);
    fs.writeFileSync(file, ["config:", "  aws:region: us-east-1", "  sandbox:cloud: aws", "  sandbox:pools:", ...pools, ""].join("\n"));
    return file;
}

interface Sample {
    wallS: number;
    cpuS: number;
    /** Largest peak RSS of any one process. */
    rssMiB: number;
}

/** Runs `npm run plan -- args` once; CPU and RSS come from every node process's own resource usage. */
function sample(repo: string, args: string[], expectStatus: number): Sample {
    const usage = path.join(os.tmpdir(), `bench-plan-${process.pid}.jsonl`);
    fs.rmSync(usage, { force: true });
    const start = process.hrtime.bigint();
    const r = spawnSync("npm", ["run", "--silent", "plan", "--", ...args], {
        cwd: repo,
        encoding: "utf8",
        maxBuffer: 256 << 20,
        env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${RUSAGE}`.trim(), BENCH_RUSAGE_FILE: usage },
    });
    const wallS = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== expectStatus) throw new Error(`npm run plan -- ${args.join(" ")} exited ${r.status}, expected ${expectStatus}:\n${r.stderr}`);
    const procs = fs.readFileSync(usage, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { userUs: number; systemUs: number; maxRssKiB: number });
    fs.rmSync(usage, { force: true });
    return {
        wallS,
        cpuS: procs.reduce((s, p) => s + p.userUs + p.systemUs, 0) / 1e6,
        rssMiB: Math.max(...procs.map((p) => p.maxRssKiB)) / 1024,
    };
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function measure(o: Options, label: string, args: string[], expectStatus = 0): { label: string } & Sample {
    sample(o.repo, args, expectStatus); // warm-up: the transpile cache, the page cache
    const samples = Array.from({ length: o.runs }, () => sample(o.repo, args, expectStatus));
    return {
        label,
        wallS: median(samples.map((s) => s.wallS)),
        cpuS: median(samples.map((s) => s.cpuS)),
        rssMiB: Math.max(...samples.map((s) => s.rssMiB)),
    };
}

function main(): void {
    const o = options(process.argv.slice(2));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-"));
    const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
    try {
        const cpu = os.cpus();
        console.log(`checkout: ${o.repo}`);
        console.log(`machine: ${cpu.length} CPUs (${cpu[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
        console.log(`load average before: ${load()}`);
        const rows = [
            measure(o, "usage line (npm run plan)", [], 64),
            measure(o, "npm run plan -- dev", ["dev"]),
            ...o.pools.map((n) => measure(o, `${n} AWS pools`, [poolsStack(dir, n)])),
        ];
        console.log(`load average after:  ${load()}`);
        console.log(`median of ${o.runs} runs after a warm-up; CPU = user + system of npm and the plan; RSS = the plan's peak\n`);
        console.log("| case | wall s | CPU s | peak RSS MiB |");
        console.log("|---|---:|---:|---:|");
        for (const r of rows) console.log(`| ${r.label} | ${r.wallS.toFixed(2)} | ${r.cpuS.toFixed(2)} | ${r.rssMiB.toFixed(0)} |`);
        const pools = rows.slice(2);
        if (pools.length >= 2) {
            const [a, b] = [pools[0], pools[pools.length - 1]];
            const dn = o.pools[o.pools.length - 1] - o.pools[0];
            console.log(`\nper extra pool (${o.pools[0]} -> ${o.pools[o.pools.length - 1]}): ${((1000 * (b.cpuS - a.cpuS)) / dn).toFixed(1)} ms CPU, ${((b.rssMiB - a.rssMiB) / dn).toFixed(2)} MiB`);
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main();
