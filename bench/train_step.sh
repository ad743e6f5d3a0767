#!/usr/bin/env bash
# Training-step time (forward, cross-entropy, backward, Nesterov SGD) and per-op overhead: wsol
# (release build) next to the same work in Debian's PyTorch (/usr/bin/python3), same machine, same run,
# alternated (bench/lib/result.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
swift build -c release >/dev/null
wsol=.build/release/wsol
threads=$(nproc)
export WSOL_THREADS=$threads OMP_NUM_THREADS=$threads
work=$(mktemp -d /tmp/wsol-bench-step.XXXXXX)
trap 'rm -rf "$work"' EXIT

cat > "$work/step.py" <<'PY'
import sys, time, torch, torchvision
arch, batch, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = getattr(torchvision.models, arch)().train()
opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9, nesterov=True, weight_decay=5e-4)
x = torch.randn(batch, 3, 224, 224)
y = torch.arange(batch) % 1000
def step():
    opt.zero_grad()
    torch.nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
step()
start = time.perf_counter()
for _ in range(2):
    step()
print(f"{(time.perf_counter() - start) / 2:.3f}")
PY
cat > "$work/ops.py" <<'PY'
import sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
x = a
n = 100000
start = time.perf_counter()
for i in range(n // 2):
    x = x * a + (1 if i % 2 == 0 else -1)
    if i % 1000 == 0:
        x = a
print(f"{(time.perf_counter() - start) / n * 1e6:.2f}")
PY

# Each process: one untimed step, then the mean of 2; BENCH_ROUNDS processes of each side, alternated.
for spec in "resnet18 8" "resnet50 8" "vgg16 4"; do
  set -- $spec
  arch=$1 batch=$2
  ours() { $wsol benchmark train-step --arch "$arch" --batch-size "$batch" --steps 2 | sed -E 's/.*: ([0-9.]+) s\/step/\1/'; }
  theirs() { /usr/bin/python3 "$work/step.py" "$arch" "$batch" "$threads"; }
  alternate "train-step $arch batch $batch 224x224" s "PyTorch (Python)" ours theirs
done

ours() { $wsol benchmark op-overhead --count 100000 | sed -E 's/.*: ([0-9.]+) us\/op/\1/'; }
theirs() { /usr/bin/python3 "$work/ops.py" "$threads"; }
alternate "op-overhead 2x2 mul/add" us/op "PyTorch (Python)" ours theirs
