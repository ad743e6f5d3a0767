#!/usr/bin/env bash
# One WSOL training step (forward with the background pass, the method's loss, backward, Nesterov SGD):
# wsol (release build) against the PyTorch reference of the method (Tests/reference/wsol_reference.py,
# Debian's torch), same machine, same run, 2 threads each, processes alternated. Prints each round's
# median step time and peak resident memory.
# usage: bench/method_step.sh [ARCH BATCH ...]   (default: resnet50 8 vgg16 4)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
swift build -c release >/dev/null
wsol=.build/release/wsol
threads=2
export WSOL_THREADS=$threads OMP_NUM_THREADS=$threads
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=(resnet50 8 vgg16 4)
method=${METHOD:-sfpnsc}

python_step() {
  /usr/bin/python3 - "$1" "$2" "$method" "$threads" <<'PY'
import resource, sys, time
sys.path.insert(0, "Tests/reference")
import torch
from wsol_reference import Reference, forward_and_loss
arch, batch, method, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(0)
alpha, beta = {"vgg16": (0, 0.9), "inception_v3": (0.5, 1.0)}.get(arch, (0.5, 1.5))
cfg = {"method": method, "classes": 200, "head_width": 1024, "softfusion": method == "sfpnsc",
       "contrast": "pnsc" if method == "sfpnsc" else "bas", "w1": 1, "w2": 1.5, "a1": 1, "a2": 1, "w_sf": 1,
       "w_pnsc": 1, "detach_s": True, "alpha": alpha, "beta": beta, "bg_bn": "batch", "bg_path": "f2block"}
model = Reference(arch, cfg).train()
opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9, nesterov=True, weight_decay=5e-4)
x = torch.randn(batch, 3, 224, 224)
y = torch.arange(batch) % 200
times = []
for i in range(4):
    start = time.perf_counter()
    opt.zero_grad()
    sum(forward_and_loss(model, x, y)[1].values()).backward()
    opt.step()
    if i >= 1:
        times.append(time.perf_counter() - start)
times.sort()
print(f"{times[len(times) // 2]:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}")
PY
}

# Each process times 3 steps after 1 untimed one and reports their median; BENCH_ROUNDS processes of
# each side, alternated.
for ((i = 0; i < ${#specs[@]}; i += 2)); do
  arch=${specs[i]} batch=${specs[i+1]}
  ours_t=() theirs_t=() ours_m=() theirs_m=()
  for ((r = 0; r < BENCH_ROUNDS; r++)); do
    line=$($wsol benchmark method-step --arch "$arch" --method "$method" --batch-size "$batch" --warmup 1 --steps 3)
    ours_t+=("$(echo "$line" | sed -E 's/.*median ([0-9.]+) s.*/\1/')")
    ours_m+=("$(echo "$line" | sed -E 's/.*peak memory ([0-9]+) MiB/\1/')")
    read -r t m < <(python_step "$arch" "$batch")
    theirs_t+=("$t") theirs_m+=("$m")
    echo "method-step $method $arch batch $batch, round $((r + 1)): wsol ${ours_t[-1]} s ${ours_m[-1]} MiB," \
      "PyTorch $t s $m MiB"
  done
  result "method-step $method $arch batch $batch 224x224" "$(joined "${ours_t[@]}")" \
    "$(joined "${theirs_t[@]}")" s "PyTorch reference model"
  result "method-step $method $arch batch $batch peak memory" "$(joined "${ours_m[@]}")" \
    "$(joined "${theirs_m[@]}")" MiB "PyTorch reference model"
done
