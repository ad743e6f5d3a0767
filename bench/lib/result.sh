# Sourced by bench/*.sh: one machine-readable line per comparison, which scripts/bench_table.py
# collects into docs/BENCHMARKS.md. Fields are tab-separated, in this order:
# RESULT, measurement name, wsol value, reference value, unit, reference name.
# Units s, ms, us/op, MiB: lower is better; images/s, maps/s: higher is better.
result() {  # name wsol reference unit reference-name
  printf 'RESULT\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5"
}
