#!/usr/bin/env bash
# The training study (docs/RESULTS.md): a resnet18 pretrained here as a classifier on photographed
# stamps (every category but birds and mammals) is fine-tuned with cam, bas and sfpnsc on 12 bird
# stamps, seeds 1-3, plus sfpnsc variants on seed 1; every run is evaluated on the birds' test split
# with both protocols; scripts/study_summary.py writes the tables.
# usage: scripts/study.sh PRETRAINED_CHECKPOINT [OUT]   (needs data/photo-birds12: docs/PHOTO-DATA.md)
set -euo pipefail
cd "$(dirname "$0")/.."
weights=${1:?usage: scripts/study.sh PRETRAINED_CHECKPOINT [OUT]}
out=${2:-runs/study}
wsol=${WSOL:-.build/release/wsol}
data=(--format cub --root data/photo-birds12)
common=(--arch resnet18 --weights "$weights" --image-size 96 --head-width 256 --batch-size 16 --epochs ${EPOCHS:-8}
        --decay-epochs ${DECAY:-6} --lr ${LR:-0.005} --val-per-class 3 --workers 2 --log-every 5 --recipe paper)
mkdir -p "$out"

run() {  # name, then options
  local name=$1; shift
  [ -f "$out/$name/eval.json" ] && return 0
  rm -rf "$out/$name"
  echo "== $name: $*"
  "$wsol" train "${data[@]}" "${common[@]}" "$@" --out "$out/$name" > "$out/$name.train.txt" 2>&1
  "$wsol" eval --run "$out/$name" "${data[@]}" --json > "$out/$name.eval.tmp" 2> "$out/$name.eval.err"
  mv "$out/$name.eval.tmp" "$out/$name/eval.json"
  tail -1 "$out/$name.train.txt"
}

# Seed 1 of every method and variant first, then the other seeds: a study cut short still compares.
for method in cam bas sfpnsc; do run "$method-s1" --method "$method" --seed 1; done
run sfpnsc-contrast-bas-s1 --method sfpnsc --seed 1 --contrast bas
run sfpnsc-area005-s1 --method sfpnsc --seed 1 --a1 0.05 --a2 0.05
run sfpnsc-bgbn-running-s1 --method sfpnsc --seed 1 --bg-bn running
run sfpnsc-bgpath-head-s1 --method sfpnsc --seed 1 --bg-path head
for seed in 2 3; do
  for method in cam bas sfpnsc; do run "$method-s$seed" --method "$method" --seed "$seed"; done
done
/usr/bin/python3 scripts/study_summary.py "$out"
