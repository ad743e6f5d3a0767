#!/usr/bin/env bash
# A whole training epoch with the loader running against the step alone: `wsol train` (release) on a
# synthetic CUB set, its images/s from log.jsonl, next to `wsol benchmark method-step` on the same model
# and batch (no data loading). A ratio near 1 means the loader keeps up with the model.
# usage: bench/train_epoch.sh [ARCH] [BATCH] [SIZE]   (default: resnet18 16 224)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
swift build -c release >/dev/null
wsol=.build/release/wsol
arch=${1:-resnet18} batch=${2:-16} size=${3:-224}
export WSOL_THREADS=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$wsol synth --out "$work/cub" --classes 10 --train-per-class 20 --test-per-class 1 --size 256 --seed 1 >/dev/null
$wsol train --format cub --root "$work/cub" --arch "$arch" --method sfpnsc --weights none --image-size "$size" \
  --batch-size "$batch" --epochs 1 --val-per-class 0 --workers 2 --log-every 1000 --recipe paper --out "$work/run" >/dev/null
epoch=$(/usr/bin/python3 -c "
import json, sys
lines = [json.loads(l) for l in open('$work/run/log.jsonl') if l.strip()]
print(f\"{[l for l in lines if l['kind'] == 'epoch'][-1]['images_per_s']:.2f}\")")
step=$($wsol benchmark method-step --arch "$arch" --batch-size "$batch" --image-size "$size" --classes 10 \
  --warmup 2 --steps 5 | sed -E 's/.*median ([0-9.]+) s.*/\1/')
steponly=$(/usr/bin/python3 -c "print(f'{$batch / $step:.2f}')")
echo "train-epoch sfpnsc $arch batch $batch ${size}x${size}: whole epoch with the loader ${epoch} images/s," \
     "step alone ${steponly} images/s, epoch/step $(/usr/bin/python3 -c "print(f'{$epoch / $steponly:.2f}')")"
# The reference is wsol's own step without data loading: the ratio shows whether the loader keeps up.
result "train-epoch sfpnsc $arch batch $batch ${size}x${size}" "$epoch" "$steponly" images/s \
  "wsol training step alone (no loader)"
