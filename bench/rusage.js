// Preloaded into every node process of a benchmarked command (NODE_OPTIONS=--require ...):
// appends the process's own CPU time, peak RSS and argv to BENCH_RUSAGE_FILE, one JSON line, on exit.
"use strict";
const fs = require("fs");
const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
    process.on("exit", () => {
        const u = process.resourceUsage();
        fs.appendFileSync(file, `${JSON.stringify({ pid: process.pid, userUs: u.userCPUTime, systemUs: u.systemCPUTime, maxRssKiB: u.maxRSS, argv: process.argv })}\n`);
    });
}
