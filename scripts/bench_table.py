"""The benchmark table of `make bench`: reads the RESULT lines that bench/*.sh print (tab-separated:
RESULT, name, wsol value, reference value, unit, reference name) from WORK/log, and prints Markdown
with the date, the machine and the load average (files scripts/bench.sh leaves in WORK).

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


rows = []
for line in read("log").splitlines():
    fields = line.split("\t")
    if fields[0] != "RESULT":
        continue
    if len(fields) != 6:
        print(f"bench_table: malformed RESULT line: {line!r}", file=sys.stderr)
        continue
    _, name, ours, ref, unit, ref_name = fields
    try:
        ratio = float(ours) / float(ref)
        shown = f"{ratio:.2f}"
    except (ValueError, ZeroDivisionError):
        shown = "n/a"
    better = "lower" if unit in LOWER else "higher" if unit in HIGHER else "?"
    wins = "?" if shown == "n/a" or better == "?" else "yes" if (ratio < 1) == (better == "lower") else "no"
    rows.append(f"| {name} | {ours} | {ref} | {unit} | {shown} | {better} | {wins} | {ref_name} |")

print("# Benchmarks\n")
print(f"`make bench` on {read('date')}: {cpu_model()}, {os.cpu_count()} cores; {versions()}.")
print(f"Load average (1, 5, 15 min) before the run {read('load-before')}, after {read('load-after')}.")
print("Every reference was measured in the same run on the same machine. The ratio is wsol/reference;")
print("the direction column says whether a lower or a higher value is better for that unit.\n")
print("| measurement | wsol | reference | unit | wsol/reference | better | wsol ahead | reference is |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
print("\n".join(rows) if rows else "| (no RESULT lines) | | | | | | | |")
if failed:
    print(f"\nFailed scripts (their other lines are missing): {', '.join(failed)}.")
