"""The benchmark table of `make bench`: reads the RESULT lines that bench/*.sh print (tab-separated:
RESULT, name, wsol value(s), reference value(s), unit, reference name; a value field is one number or
every round's, comma-separated) and the SCRIPT lines scripts/bench.sh adds after each script (its
name, the load average before and after, seconds) from WORK/log, and prints Markdown with the date,
the machine and the loads (files scripts/bench.sh leaves in WORK).

usage: bench_table.py WORK [FAILED_SCRIPT ...]   (Debian's /usr/bin/python3, for torch's version)"""
import json
import os
import platform
import sys

LOWER = {"s", "ms", "us/op", "MiB"}
HIGHER = {"images/s", "maps/s"}
work, failed = sys.argv[1], sys.argv[2:]


def read(name, default=""):
    try:
        with open(os.path.join(work, name)) as f:
            return f.read().strip()
    except OSError:
        return default


def cpu_model():
    for line in read_file("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def read_file(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def versions():
    try:
        doctor = json.loads(read("doctor.json", "{}"))
    except json.JSONDecodeError:
        doctor = {}
    try:
        import torch
        import torchvision
        torch_v = f"torch {torch.__version__}, torchvision {torchvision.__version__}"
    except ImportError:
        torch_v = "torch not importable"
    libtorch = doctor.get("libtorch", doctor.get("libtorch_version", "?"))
    blas = doctor.get("blas", "?")
    return f"libtorch {libtorch} (wsol), BLAS {blas}; reference: {torch_v} (/usr/bin/python3)"


def figures(field):
    """One number or a comma-separated list of every round's: (median, min, max, count)."""
    values = sorted(float(v) for v in field.split(","))
    n = len(values)
    median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    return median, values[0], values[-1], n


def shown(field):
    median, low, high, n = figures(field)
    digits = 4 if median < 0.1 else 3 if median < 10 else 1
    text = f"{median:.{digits}f}"
    return text if n == 1 else f"{text} ({low:.{digits}f}-{high:.{digits}f})"


rows, pending = [], []
for line in read("log").splitlines():
    fields = line.split("\t")
    if fields[0] == "SCRIPT" and len(fields) == 5:
        # The RESULT lines since the previous SCRIPT line are this script's.
        before = fields[2].split()[0]
        disturbed = float(before) > 1.0
        load = f"{before} -> {fields[3].split()[0]}" + (" **disturbed**" if disturbed else "")
        rows += [row.replace("{load}", load) for row in pending]
        pending = []
        continue
    if fields[0] != "RESULT":
        continue
    if len(fields) != 6:
        print(f"bench_table: malformed RESULT line: {line!r}", file=sys.stderr)
        continue
    _, name, ours, ref, unit, ref_name = fields
    try:
        ratio = figures(ours)[0] / figures(ref)[0]
        ratio_text = f"{ratio:.2f}"
        ours_text, ref_text, rounds = shown(ours), shown(ref), str(figures(ours)[3])
    except (ValueError, ZeroDivisionError):
        ratio_text, ours_text, ref_text, rounds = "n/a", ours, ref, "?"
    better = "lower" if unit in LOWER else "higher" if unit in HIGHER else "?"
    wins = "?" if ratio_text == "n/a" or better == "?" else "yes" if (ratio <= 1) == (better == "lower") else "no"
    pending.append(f"| {name} | {ours_text} | {ref_text} | {unit} | {ratio_text} | {better} | {wins} | {rounds} "
                   f"| {{load}} | {ref_name} |")
rows += [row.replace("{load}", "?") for row in pending]

print("# Benchmarks\n")
print(f"`make bench` on {read('date')}: {cpu_model()}, {os.cpu_count()} cores; {versions()}.")
print(f"Load average (1, 5, 15 min) before the run {read('load-before')}, after {read('load-after')}.")
print("Every reference was measured in the same run on the same machine, alternated with wsol round by round")
print("(bench/lib/result.sh); each cell is the median of the rounds with their range in brackets, and the")
print("ratio is wsol's median over the reference's. The direction column says whether a lower or a higher")
print("value is better for that unit. Load is the 1-minute average when the script started and ended; a")
print("script that started above 1.0 is marked disturbed.\n")
print("| measurement | wsol | reference | unit | wsol/reference | better | wsol ahead | rounds | load | reference is |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
print("\n".join(rows) if rows else "| (no RESULT lines) | | | | | | | | | |")
if failed:
    print(f"\nFailed scripts (their other lines are missing): {', '.join(failed)}.")
