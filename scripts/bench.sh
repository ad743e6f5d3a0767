#!/usr/bin/env bash
# `make bench`: every bench/*.sh in one run (release build), each one's output kept in a log, then
# scripts/bench_table.py turns their RESULT lines into the ratio table, printed and saved as
# docs/BENCHMARKS.md with the date, the machine and the load average before and after.
# usage: scripts/bench.sh [OUTPUT.md]   (default docs/BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/BENCHMARKS.md}
swift build -c release >/dev/null
work=$(mktemp -d /tmp/wsol-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cut -d' ' -f1-3 /proc/loadavg > "$work/load-before"
date -u '+%Y-%m-%d %H:%M UTC' > "$work/date"
.build/release/wsol doctor --json > "$work/doctor.json" 2>/dev/null || echo '{}' > "$work/doctor.json"
failed=()
for script in bench/*.sh; do
  echo "== $script"
  start=$(date +%s)
  # Each script's lines go to the terminal and to the log the table is made from.
  if ! bash "$script" 2>&1 | tee -a "$work/log"; then failed+=("$script"); echo "$script failed"; fi
  echo "   ($script: $(( $(date +%s) - start )) s)"
done
cut -d' ' -f1-3 /proc/loadavg > "$work/load-after"
/usr/bin/python3 scripts/bench_table.py "$work" "${failed[@]}" > "$work/table.md"
cat "$work/table.md"
mkdir -p "$(dirname "$out")"
cp "$work/table.md" "$out.tmp" && mv "$out.tmp" "$out"
echo "saved $out"
[ ${#failed[@]} -eq 0 ]
