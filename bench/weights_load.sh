#!/usr/bin/env bash
# ResNet50 weight loading: `wsol weights inspect` (maps the file, unpickles, copies every tensor once)
# against torch.load in Debian's Python, on the same randomly initialised file. Prints one line per
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
tiny = os.path.join(tmp, "tiny.pth")
torch.save({"w": torch.zeros(1)}, tiny)

def best(f, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return min(times)

def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

torch.set_num_threads(2)
startup_ours = best(lambda: run(wsol, "weights", "inspect", tiny))
startup_py = best(lambda: run("/usr/bin/python3", "-c", f"import torch; torch.load({tiny!r})"), 3)
size = os.path.getsize(files["zip .pth"]) / 2**20
print(f"resnet50 weights: {size:.0f} MiB, 320 tensors; best of 5 runs; ours = wsol weights inspect (release)")
for name, path in files.items():
    ours = best(lambda: run(wsol, "weights", "inspect", path))
    py = best(lambda: run("/usr/bin/python3", "-c", f"import torch; torch.load({path!r})"), 3)
    inproc = best(lambda: torch.load(path))
    print(f"resnet50 {name} whole process: ours {ours:.3f} s, python+torch.load {py:.3f} s, ratio {ours / py:.2f}")
    print(f"resnet50 {name} load only (minus a tiny file's process): ours {ours - startup_ours:.3f} s, "
          f"torch.load in-process {inproc:.3f} s, ratio {(ours - startup_ours) / inproc:.2f}")
PY
