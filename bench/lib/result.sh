# Sourced by bench/*.sh: one machine-readable line per comparison, which scripts/bench_table.py
# collects into docs/BENCHMARKS.md. Fields are tab-separated, in this order:
# RESULT, measurement name, wsol value(s), reference value(s), unit, reference name.
# A value field holds one number or every round's number, comma-separated (the table shows their
# median and range). Units s, ms, us/op, MiB: lower is better; images/s, maps/s: higher is better.
result() {  # name wsol reference unit reference-name
  printf 'RESULT\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5"
}

# Rounds of every alternation (BENCH_ROUNDS, default 5; at least 1).
BENCH_ROUNDS=${BENCH_ROUNDS:-5}

# alternate NAME UNIT REFERENCE-NAME OURS THEIRS: OURS and THEIRS are commands (usually functions)
# that each print one number. Both run once untimed (warm-up: caches, page faults, lazy loading),
# then OURS THEIRS OURS THEIRS ... for BENCH_ROUNDS rounds, so that a disturbance of the machine falls
# on both sides alike; prints every figure and one RESULT line carrying all of them.
alternate() {
  local name=$1 unit=$2 reference=$3 ours_cmd=$4 theirs_cmd=$5 round
  local -a ours=() theirs=()
  "$ours_cmd" >/dev/null
  "$theirs_cmd" >/dev/null
  for ((round = 1; round <= BENCH_ROUNDS; round++)); do
    ours+=("$("$ours_cmd")")
    theirs+=("$("$theirs_cmd")")
  done
  echo "$name: wsol $(joined "${ours[@]}") $unit; reference $(joined "${theirs[@]}") $unit"
  result "$name" "$(joined "${ours[@]}")" "$(joined "${theirs[@]}")" "$unit" "$reference"
}

# joined VALUE...: the values comma-separated, as a RESULT field takes every round's figure.
joined() { local IFS=,; echo "$*"; }

# seconds_of COMMAND...: wall-clock seconds of one run of COMMAND (its output discarded).
seconds_of() {
  local start
  start=$(date +%s.%N)
  "$@" >/dev/null
  /usr/bin/python3 -c "import sys; print(f'{$(date +%s.%N) - $start:.3f}')"
}
