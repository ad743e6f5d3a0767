#!/usr/bin/env bash
# Training-step time (forward, cross-entropy, backward, Nesterov SGD) and per-op overhead: wsol
# (release build) next to the same work in Debian's PyTorch (/usr/bin/python3), same machine, same run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
swift build -c release >/dev/null
wsol=.build/release/wsol
threads=$(nproc)
export WSOL_THREADS=$threads OMP_NUM_THREADS=$threads

ratio() { /usr/bin/python3 -c "print(f'{$1 / $2:.2f}')"; }

for spec in "resnet18 8" "resnet50 8" "vgg16 4"; do
  set -- $spec
  ours=$($wsol benchmark train-step --arch "$1" --batch-size "$2" --steps 3 | sed -E 's/.*: ([0-9.]+) s\/step/\1/')
  theirs=$(/usr/bin/python3 - "$1" "$2" "$threads" <<'PY'
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
for _ in range(3):
    step()
print(f"{(time.perf_counter() - start) / 3:.3f}")
PY
)
  echo "train-step $1 batch $2 224x224: wsol ${ours} s, PyTorch ${theirs} s, wsol/PyTorch $(ratio "$ours" "$theirs")"
  result "train-step $1 batch $2 224x224" "$ours" "$theirs" s "PyTorch (Python)"
done

ours=$($wsol benchmark op-overhead --count 100000 | sed -E 's/.*: ([0-9.]+) us\/op/\1/')
theirs=$(/usr/bin/python3 - "$threads" <<'PY'
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
)
echo "op-overhead 2x2 mul/add: wsol ${ours} us/op, PyTorch (Python) ${theirs} us/op, wsol/PyTorch $(ratio "$ours" "$theirs")"
result "op-overhead 2x2 mul/add" "$ours" "$theirs" us/op "PyTorch (Python)"
