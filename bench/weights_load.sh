#!/usr/bin/env bash
# ResNet50 weight loading, whole process (`wsol weights inspect`) and in-process (`wsol benchmark
# weights-load`, best of 5), against torch.load in Debian's Python, on the same randomly initialised
# file, in alternated rounds (BENCH_ROUNDS, default 5, after one warm-up round). Prints every figure.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .build/release/wsol ] || swift build -c release >/dev/null
work=$(mktemp -d /tmp/wsol-bench-weights.XXXXXX)
trap 'rm -rf "$work"' EXIT
WORK=$work WSOL="$PWD/.build/release/wsol" /usr/bin/python3 - <<'PY'
import os, subprocess, time
import torch, torchvision

wsol = os.environ["WSOL"]
tmp = os.environ["WORK"]
model = torchvision.models.resnet50()  # random init
files = {"zip .pth": os.path.join(tmp, "resnet50.pth"), "legacy .pth": os.path.join(tmp, "resnet50-legacy.pth")}
torch.save(model.state_dict(), files["zip .pth"])
torch.save(model.state_dict(), files["legacy .pth"], _use_new_zipfile_serialization=False)

def seconds(f):
    t = time.perf_counter(); f(); return time.perf_counter() - t

def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

def ours_in_process(path):  # wsol's own best of 5 loads inside one process
    out = subprocess.run([wsol, "benchmark", "weights-load", path, "--repeats", "5"], check=True,
                         capture_output=True, text=True).stdout
    return float(out.split(":")[-1].split()[0])

torch.set_num_threads(2)
rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
size = os.path.getsize(files["zip .pth"]) / 2**20
print(f"resnet50 weights: {size:.0f} MiB, 320 tensors; ours = wsol weights inspect (release); "
      f"one warm-up round, then {rounds} alternated")
for name, path in files.items():
    samples = {"ours": [], "py": [], "ours_in": [], "py_in": []}
    for r in range(rounds + 1):
        figures = {"ours": seconds(lambda: run(wsol, "weights", "inspect", path)),
                   "py": seconds(lambda: run("/usr/bin/python3", "-c", f"import torch; torch.load({path!r})")),
                   "ours_in": ours_in_process(path),
                   "py_in": min(seconds(lambda: torch.load(path)) for _ in range(5))}
        if r > 0:
            for key, value in figures.items():
                samples[key].append(value)
    joined = {key: ",".join(f"{v:.4f}" for v in values) for key, values in samples.items()}
    print(f"resnet50 {name} whole process: ours {joined['ours']} s, python+torch.load {joined['py']} s")
    print(f"resnet50 {name} in-process, best of 5 loads: ours {joined['ours_in']} s, torch.load {joined['py_in']} s")
    print(f"RESULT\tresnet50 {name} load, whole process\t{joined['ours']}\t{joined['py']}\ts\tpython + torch.load")
    print(f"RESULT\tresnet50 {name} load, in-process\t{joined['ours_in']}\t{joined['py_in']}\ts\ttorch.load")
PY
