#!/usr/bin/env bash
# Runs every benchmark of the repository in one go, one after the other on the same machine, so
# the tables of docs/contributing/benchmarks.md come from one run: every `bench:*` script of
# package.json, in name order, each with the machine and its load average printed first. Output
# goes to the terminal and to bench/results-<UTC date>.txt (not committed).
#
#   npm run bench                 (root: the gVisor and cluster benchmarks need it)
#   npm run bench -- gvisor-pods  (only the bench:* scripts whose names contain an argument)
set -uo pipefail
cd "$(dirname "$0")/.."
out="bench/results-$(date -u +%Y%m%dT%H%M%SZ).txt"
scripts=$(node -e 'for (const k of Object.keys(require("./package.json").scripts).sort()) if (k.startsWith("bench:")) console.log(k)')
if [ "$#" -gt 0 ]; then
    scripts=$(for s in $scripts; do for want in "$@"; do case "$s" in *"$want"*) echo "$s"; break ;; esac; done; done)
fi
machine() {
    echo "machine: $(nproc) vCPU ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
failed=()
{
    echo "benchmarks of $(git rev-parse --short HEAD 2>/dev/null || echo "an unknown commit") at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    for s in $scripts; do
        echo
        echo "=== npm run $s"
        machine
        start=$SECONDS
        npm run --silent "$s" || failed+=("$s")
        echo "($s took $((SECONDS - start)) s; load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
    done
    if [ "${#failed[@]}" -gt 0 ]; then echo; echo "FAILED: ${failed[*]}"; fi
} 2>&1 | tee "$out"
echo "written to $out" >&2
grep -q '^FAILED: ' "$out" && exit 1
exit 0
