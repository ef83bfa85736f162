// `npm test` benchmark: wall time and CPU (user + system of every node process: npm, the runner,
// tsc and mocha) of the command a contributor runs before each commit, the median of --runs runs:
//   - warm: the type-check's incremental build info in node_modules/.cache is there and current
//     (the usual case: a run after a small edit, or after an earlier run),
//   - cold: that build info removed first (a fresh checkout, or after `npm ci`).
// One warm-up run first (the transpile cache, the page cache). Prints the machine and the load
// average before and after: on a loaded machine wall times say little, CPU seconds more (the
// wall time on a quiet 2-core machine is about the larger of tsc's and mocha's CPU times,
// since they run side by side).
//
//   npm run bench:test [-- --runs 3]
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const RUSAGE = path.join(__dirname, "rusage.js");
const BUILD_INFO = path.join(ROOT, "node_modules", ".cache", "sandbox-clusters", "tsc-noemit.tsbuildinfo");

interface Sample {
    wallS: number;
    cpuS: number;
    /** CPU of the type-check alone (the tsc process). */
    tscCpuS: number;
    /** CPU of everything else: mocha, the processes tests start, npm and the runner. */
    restCpuS: number;
}

function options(argv: string[]): { runs: number } {
    let runs = 3;
    for (let i = 0; i < argv.length; i += 2) {
        if (argv[i] === "--runs") runs = Number(argv[i + 1]);
        else throw new Error(`unknown flag ${argv[i]}; flags: --runs N`);
    }
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number of at least 1, got ${runs}`);
    return { runs };
}

function sample(): Sample {
    const usage = path.join(os.tmpdir(), `bench-test-${process.pid}.jsonl`);
    fs.rmSync(usage, { force: true });
    const start = process.hrtime.bigint();
    const r = spawnSync("npm", ["test"], {
        cwd: ROOT,
        encoding: "utf8",
        maxBuffer: 256 << 20,
        env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${RUSAGE}`.trim(), BENCH_RUSAGE_FILE: usage },
    });
    const wallS = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) throw new Error(`npm test exited ${r.status}:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
    const procs = fs.readFileSync(usage, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { userUs: number; systemUs: number; argv?: string[] });
    fs.rmSync(usage, { force: true });
    const cpu = (p: { userUs: number; systemUs: number }) => (p.userUs + p.systemUs) / 1e6;
    const isTsc = (p: { argv?: string[] }) => (p.argv ?? []).some((a) => /typescript[\\/]bin[\\/]tsc$/.test(a));
    return {
        wallS,
        cpuS: procs.reduce((s, p) => s + cpu(p), 0),
        tscCpuS: procs.filter(isTsc).reduce((s, p) => s + cpu(p), 0),
        restCpuS: procs.filter((p) => !isTsc(p)).reduce((s, p) => s + cpu(p), 0),
    };
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function measure(runs: number, cold: boolean): Sample {
    const samples = Array.from({ length: runs }, () => {
        if (cold) fs.rmSync(BUILD_INFO, { force: true });
        return sample();
    });
    return {
        wallS: median(samples.map((s) => s.wallS)),
        cpuS: median(samples.map((s) => s.cpuS)),
        tscCpuS: median(samples.map((s) => s.tscCpuS)),
        restCpuS: median(samples.map((s) => s.restCpuS)),
    };
}

function main(): void {
    const { runs } = options(process.argv.slice(2));
    const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
    const cpu = os.cpus();
    console.log(`machine: ${cpu.length} CPUs (${cpu[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
    console.log(`load average before: ${load()}`);
    sample(); // warm-up; also leaves the build info current for the warm runs
    const rows: [string, Sample][] = [
        ["npm test, warm (build info current)", measure(runs, false)],
        ["npm test, cold (no build info)", measure(runs, true)],
    ];
    sample(); // leave the build info in place for whoever runs npm test next
    console.log(`load average after:  ${load()}`);
    console.log(`median of ${runs} runs after a warm-up; CPU = user + system of every node process\n`);
    console.log("| case | wall s | CPU s | tsc CPU s | rest CPU s (mocha, tests' processes, npm) |");
    console.log("|---|---:|---:|---:|---:|");
    for (const [label, s] of rows) console.log(`| ${label} | ${s.wallS.toFixed(1)} | ${s.cpuS.toFixed(1)} | ${s.tscCpuS.toFixed(1)} | ${s.restCpuS.toFixed(1)} |`);
}

main();
