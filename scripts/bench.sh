#!/usr/bin/env bash
# `make bench`: every bench/*.sh in one run (release build), each one's output kept in a log, then
# scripts/bench_table.py turns their RESULT lines into the ratio table, printed and saved as
# docs/BENCHMARKS.md with the date, the machine and each script's load average before and after.
# Every script alternates wsol and its reference for BENCH_ROUNDS rounds (bench/lib/result.sh).
# usage: scripts/bench.sh [OUTPUT.md]   (default docs/BENCHMARKS.md)
#   BENCH_SCRIPTS="bench/eval.sh ..."  only these scripts
#   BENCH_ROUNDS=5                     rounds of each alternation
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/BENCHMARKS.md}
swift build -c release >/dev/null
work=$(mktemp -d /tmp/wsol-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cut -d' ' -f1-3 /proc/loadavg > "$work/load-before"
date -u '+%Y-%m-%d %H:%M UTC' > "$work/date"
.build/release/wsol doctor --json > "$work/doctor.json" 2>/dev/null || echo '{}' > "$work/doctor.json"
load1() { cut -d' ' -f1 /proc/loadavg; }
# The load left by the previous script (or anyone else) decays over about a minute: wait until the
# 1-minute average is below 1.0 (at most BENCH_SETTLE seconds, default 240) before each script, so that
# a script that still starts above 1.0 was disturbed by something else.
settle() {
  local waited=0
  while /usr/bin/python3 -c "import sys; sys.exit(float('$(load1)') < 1.0)" && [ "$waited" -lt "${BENCH_SETTLE:-240}" ]; do
    sleep 10; waited=$((waited + 10))
  done
}
failed=()
for script in ${BENCH_SCRIPTS:-bench/*.sh}; do
  settle
  echo "== $script (load $(load1))"
  before=$(cut -d' ' -f1-3 /proc/loadavg) start=$(date +%s)
  # Each script's lines go to the terminal and to the log the table is made from.
  if ! bash "$script" 2>&1 | tee -a "$work/log"; then failed+=("$script"); echo "$script failed"; fi
  # The table attributes the RESULT lines above this one to the script, with its loads and time.
  printf 'SCRIPT\t%s\t%s\t%s\t%s\n' "$script" "$before" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(( $(date +%s) - start ))" >> "$work/log"
  echo "   ($script: $(( $(date +%s) - start )) s)"
done
cut -d' ' -f1-3 /proc/loadavg > "$work/load-after"
/usr/bin/python3 scripts/bench_table.py "$work" "${failed[@]}" > "$work/table.md"
cat "$work/table.md"
mkdir -p "$(dirname "$out")"
cp "$work/table.md" "$out.tmp" && mv "$out.tmp" "$out"
echo "saved $out"
[ ${#failed[@]} -eq 0 ]
