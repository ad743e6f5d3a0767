#!/usr/bin/env bash
# Training on 1 and 2 processes (1 libtorch thread each, Gloo over loopback): `wsol train` (release)
# epochs on a synthetic CUB set, images/s of the whole world from log.jsonl, next to PyTorch's
# DistributedDataParallel (Debian's torch, gloo, torchrun) stepping the reference model of the method
# (Tests/reference/wsol_reference.py) on random batches of the same size. wsol's figure includes its
# data loader (1 decoding thread per process); PyTorch's has no loading, so the ratio is a lower bound.
# usage: bench/distributed.sh [ARCH] [BATCH PER PROCESS] [SIZE]   (default: resnet18 8 128)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
swift build -c release >/dev/null
wsol=$PWD/.build/release/wsol
arch=${1:-resnet18} batch=${2:-8} size=${3:-128}
method=sfpnsc epochs=2
export WSOL_THREADS=1 OMP_NUM_THREADS=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$wsol synth --out "$work/cub" --classes 8 --train-per-class 16 --test-per-class 1 --size 160 --seed 1 >/dev/null

wsol_rate() {  # processes -> images/s of the last epoch
  local n=$1 out="$work/run-$1"
  rm -rf "$out"
  $wsol train --format cub --root "$work/cub" --arch "$arch" --method "$method" --weights none --image-size "$size" \
    --batch-size "$batch" --epochs $epochs --val-per-class 0 --workers 1 --threads 1 --log-every 1000 \
    --nproc-per-node "$n" --recipe paper --out "$out" >/dev/null
  /usr/bin/python3 -c "
import json
lines = [json.loads(l) for l in open('$out/log.jsonl') if l.strip()]
print(f\"{[l for l in lines if l['kind'] == 'epoch'][-1]['images_per_s']:.2f}\")"
}

cat > "$work/ddp.py" <<'PY'
import os, sys, time
sys.path.insert(0, "Tests/reference")
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from wsol_reference import Reference, forward_and_loss
arch, batch, size, method = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
torch.set_num_threads(1)
dist.init_process_group("gloo")
torch.manual_seed(0)
cfg = {"method": method, "classes": 8, "head_width": 1024, "softfusion": method == "sfpnsc",
       "contrast": "pnsc" if method == "sfpnsc" else "bas", "w1": 1, "w2": 1.5, "a1": 1, "a2": 1, "w_sf": 1,
       "w_pnsc": 1, "detach_s": True, "alpha": 0.5, "beta": 1.5, "bg_bn": "batch", "bg_path": "f2block"}

class Step(torch.nn.Module):  # DDP needs the forward to go through it
    def __init__(self, model):
        super().__init__()
        self.model = model
    def forward(self, x, y):
        return sum(forward_and_loss(self.model, x, y)[1].values())

model = DistributedDataParallel(Step(Reference(arch, cfg).train()), find_unused_parameters=False)
opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9, nesterov=True, weight_decay=5e-4)
x, y = torch.randn(batch, 3, size, size), torch.arange(batch) % 8
steps, warmup = 10, 2
for i in range(steps + warmup):
    if i == warmup:
        dist.barrier()
        start = time.perf_counter()
    opt.zero_grad()
    model(x, y).backward()
    opt.step()
dist.barrier()
if dist.get_rank() == 0:
    print(f"{steps * batch * dist.get_world_size() / (time.perf_counter() - start):.2f}")
PY

ddp_rate() {  # processes -> images/s of the world (a run that prints nothing fails the script)
  local rate
  # Debian's torchrun under Python 3.11 cannot parse its default --redirects/--tee 0; 1 works.
  rate=$(/usr/bin/torchrun --redirects 1 --tee 1 --log_dir "$work/ddp-logs-$1" --nproc_per_node "$1" \
    --master_port "$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" \
    "$work/ddp.py" "$arch" "$batch" "$size" "$method" 2>/dev/null | sed -nE 's/^\[default0\]:([0-9.]+)$/\1/p')
  [ -n "$rate" ] || { echo "distributed: the PyTorch DDP reference printed nothing" >&2; return 1; }
  echo "$rate"
}

# Each world size's runs alternate (bench/lib/result.sh).
ours1() { wsol_rate 1; }
ours2() { wsol_rate 2; }
theirs1() { ddp_rate 1; }
theirs2() { ddp_rate 2; }
alternate "train $method $arch b$batch ${size}px, 1 process x 1 thread" images/s \
  "PyTorch DDP gloo (Debian torch)" ours1 theirs1
alternate "train $method $arch b$batch ${size}px, 2 processes x 1 thread" images/s \
  "PyTorch DDP gloo (Debian torch)" ours2 theirs2
