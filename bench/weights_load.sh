#!/usr/bin/env bash
# ResNet50 weight loading, whole process (`wsol weights inspect`) and in-process (`wsol benchmark
# weights-load`, best of 5), against torch.load in Debian's Python, on the same randomly initialised file. Prints one line per
# measurement with both numbers and the ratio (ours / PyTorch; below 1 means we are faster).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .build/release/wsol ] || swift build -c release >/dev/null
WSOL="$PWD/.build/release/wsol" /usr/bin/python3 - <<'PY'
import os, subprocess, tempfile, time
import torch, torchvision

wsol = os.environ["WSOL"]
tmp = tempfile.mkdtemp(prefix="wsol-bench-weights-")
model = torchvision.models.resnet50()  # random init
files = {"zip .pth": os.path.join(tmp, "resnet50.pth"), "legacy .pth": os.path.join(tmp, "resnet50-legacy.pth")}
torch.save(model.state_dict(), files["zip .pth"])
torch.save(model.state_dict(), files["legacy .pth"], _use_new_zipfile_serialization=False)

def best(f, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return min(times)

def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

torch.set_num_threads(2)
size = os.path.getsize(files["zip .pth"]) / 2**20
print(f"resnet50 weights: {size:.0f} MiB, 320 tensors; best of 5 runs; ours = wsol weights inspect (release)")
for name, path in files.items():
    ours = best(lambda: run(wsol, "weights", "inspect", path))
    py = best(lambda: run("/usr/bin/python3", "-c", f"import torch; torch.load({path!r})"), 3)
    inproc = best(lambda: torch.load(path))
    ours_inproc = float(subprocess.run([wsol, "benchmark", "weights-load", path, "--repeats", "5"], check=True,
                                       capture_output=True, text=True).stdout.split(":")[-1].split()[0])
    print(f"resnet50 {name} whole process: ours {ours:.3f} s, python+torch.load {py:.3f} s, ratio {ours / py:.2f}")
    print(f"resnet50 {name} in-process, best of 5 loads: ours {ours_inproc:.4f} s, torch.load {inproc:.4f} s, "
          f"ratio {ours_inproc / inproc:.2f}")
    print(f"RESULT\tresnet50 {name} load, whole process\t{ours:.3f}\t{py:.3f}\ts\tpython + torch.load")
    print(f"RESULT\tresnet50 {name} load, in-process\t{ours_inproc:.4f}\t{inproc:.4f}\ts\ttorch.load")
PY
