// `npm test`: type-checks everything (tsc --noEmit over tsconfig.json) while mocha runs the unit
// suite, and fails if either fails. Arguments go to mocha (`npm test -- --grep plan`).
//
// Why this shape, on 2 cores: tsc is single-threaded and mocha runs in one process, so running
// them side by side takes about the longer of the two instead of their sum; tsc is
// incremental, its build info in node_modules/.cache (outside the tracked tree), so a run
// after a small edit re-checks only what the edit affects (about half the CPU of a cold
// check, which still parses every declaration file). Mocha transpiles through Sucrase
// (scripts/register.js), without the TypeScript compiler or a source-map hook.
//
// Mocha's output streams live; tsc's is held and printed when both are done, before mocha's
// closing "mocha: N passed, N failed" line, which stays the last line on success.
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const BUILD_INFO = path.join(ROOT, "node_modules", ".cache", "sandbox-clusters", "tsc-noemit.tsbuildinfo");
const CLOSING = /^mocha: \d+ passed, \d+ failed/;

function run(args, onLine, stdio) {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, args, { cwd: ROOT, stdio });
        let pending = "";
        const out = [];
        const take = (chunk) => {
            pending += chunk;
            const lines = pending.split("\n");
            pending = lines.pop();
            for (const l of lines) (onLine ?? ((x) => out.push(x)))(l);
        };
        child.stdout?.setEncoding("utf8").on("data", take);
        child.stderr?.setEncoding("utf8").on("data", take);
        child.on("close", (code, signal) => {
            if (pending) (onLine ?? ((x) => out.push(x)))(pending);
            resolve({ code: code ?? (signal ? 1 : 0), out });
        });
    });
}

async function main() {
    const started = Date.now();
    const tsc = run(
        [require.resolve("typescript/bin/tsc"), "--noEmit", "--incremental", "--tsBuildInfoFile", BUILD_INFO, "--pretty", process.stdout.isTTY ? "true" : "false"],
        undefined,
        ["ignore", "pipe", "pipe"],
    );
    let closing;
    const mochaArgs = [
        require.resolve("mocha/bin/mocha.js"),
        "--config",
        "test/mocharc.unit.js",
        ...(process.stdout.isTTY ? ["--color"] : []),
        ...process.argv.slice(2),
    ];
    const mocha = run(
        mochaArgs,
        (line) => {
            if (CLOSING.test(line)) closing = line;
            else process.stdout.write(`${line}\n`);
        },
        ["ignore", "pipe", "inherit"],
    );
    const [t, m] = await Promise.all([tsc, mocha]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (t.code === 0) process.stdout.write(`type-check: tsc --noEmit passed (npm test took ${seconds} s)\n`);
    else process.stdout.write(`${t.out.join("\n")}\ntype-check: tsc --noEmit FAILED (exit ${t.code})\n`);
    if (closing) process.stdout.write(`${closing}\n`);
    process.exitCode = t.code !== 0 ? t.code : m.code;
}

main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
});
