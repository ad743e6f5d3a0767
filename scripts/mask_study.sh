#!/usr/bin/env bash
# The mask study (docs/RESULTS.md section 4, issue 19): cam, bas and sfpnsc variants fine-tuned from
# one pretrained resnet18 on the 12 photo birds, several seeds each, every run evaluated on the test
# split with both protocols; scripts/mask_study_summary.py writes the tables.
#
# usage: scripts/mask_study.sh PRETRAINED_CHECKPOINT DATASET [OUT]
#   SEEDS="1 2 3"   seeds of every configuration
#   ONLY="cam bas"  run only these configurations (names below)
#   THREADS=2       libtorch threads per run (JOBS runs at once)
#   JOBS=1
# Finished runs (an eval.json) are kept; a configuration's options are in its name's line below.
set -euo pipefail
cd "$(dirname "$0")/.."
weights=${1:?usage: scripts/mask_study.sh PRETRAINED_CHECKPOINT DATASET [OUT]}
dataset=${2:?usage: scripts/mask_study.sh PRETRAINED_CHECKPOINT DATASET [OUT]}
out=${3:-runs/mask-study}
wsol=${WSOL:-$PWD/.build/release/wsol}
threads=${THREADS:-2}
common=(--format cub --root "$dataset" --arch resnet18 --weights "$weights" --image-size 128 --head-width 256
        --batch-size 16 --lr 0.005 --epochs ${EPOCHS:-8} --decay-epochs ${DECAY:-7} --val-per-class 2 --select last
        --workers 1 --threads "$threads" --log-every 10 --recipe paper)
warm=(--warmup-epochs ${WARMUP:-3})
# The classifier left to L_cls, the masks seeded from its CAM, floored and on a smaller learning rate
# (docs/RESULTS.md section 4, "A mask on CAM's classifier").
revive=(--detach-generators --detach-f3 --mask-seed 1 --area-floor 0.05 --generator-lr-scale 0.1)

# name, then options
configs=$(cat <<CONFIGS
cam --method cam
bas --method bas ${warm[*]}
bas-nowarm --method bas
sfpnsc-paper --method sfpnsc ${warm[*]} --w-fg-cls 0
sfpnsc-paper-nowarm --method sfpnsc --w-fg-cls 0
sfpnsc-fg --method sfpnsc ${warm[*]} --w-fg-cls 0.5
sfpnsc-fg-a1 --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1
sfpnsc-fg-a1-a2x03 --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --a2 0.3
sfpnsc-fg-a1-a2x01 --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --a2 0.1
sfpnsc-a1-a2x01 --method sfpnsc ${warm[*]} --w-fg-cls 0 --a1 0.1 --a2 0.1
bas-beta05 --method bas ${warm[*]} --bas-beta 0.5
bas-one --method bas ${warm[*]} --mask-channels one
sfpnsc-paper-one --method sfpnsc ${warm[*]} --w-fg-cls 0 --mask-channels one
sfpnsc-fg-a1-one --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --mask-channels one
sfpnsc-fg-a1-glr01 --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --generator-lr-scale 0.1
bas-glr01 --method bas ${warm[*]} --generator-lr-scale 0.1
ablation-sf --method sfpnsc ${warm[*]} --contrast bas --a1 0.1
ablation-pnsc --method bas ${warm[*]} --contrast pnsc --w-fg-cls 0.5
bas-floor05-sig --method bas ${warm[*]} --area-floor 0.05 --area-floor-gradient sigmoid
bas-floor10-sig --method bas ${warm[*]} --area-floor 0.1 --area-floor-gradient sigmoid
bas-floor05 --method bas ${warm[*]} --area-floor 0.05
sfpnsc-fg-a1-floor05 --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --area-floor 0.05
sfpnsc-a1-floor05 --method sfpnsc ${warm[*]} --w-fg-cls 0 --a1 0.1 --area-floor 0.05
bas-detach --method bas ${warm[*]} --detach-generators
bas-floor05-detach --method bas ${warm[*]} --area-floor 0.05 --detach-generators
sfpnsc-fg-a1-detach --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --detach-generators
bas-seed --method bas ${warm[*]} --mask-seed 1
bas-seed-detach --method bas ${warm[*]} --mask-seed 1 --detach-generators
sfpnsc-fg-a1-seed --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --mask-seed 1
bas-cls-only --method bas ${warm[*]} --detach-generators --detach-f3
bas-cls-only-seed --method bas ${warm[*]} --detach-generators --detach-f3 --mask-seed 1
sfpnsc-fg-a1-cls-only --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --detach-generators --detach-f3
bas-cls-only-seed-beta05 --method bas ${warm[*]} --detach-generators --detach-f3 --mask-seed 1 --bas-beta 0.5
sfpnsc-fg-a1-cls-only-seed --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --detach-generators --detach-f3 --mask-seed 1
bas-cls-only-seed-floor05 --method bas ${warm[*]} --detach-generators --detach-f3 --mask-seed 1 --area-floor 0.05
sfpnsc-fg-a1-cls-only-seed-floor05 --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --detach-generators --detach-f3 --mask-seed 1 --area-floor 0.05
bas-cls-only-seed-glr01 --method bas ${warm[*]} --detach-generators --detach-f3 --mask-seed 1 --generator-lr-scale 0.1
bas-cls-only-seed-floor05-glr01 --method bas ${warm[*]} --detach-generators --detach-f3 --mask-seed 1 --area-floor 0.05 --generator-lr-scale 0.1
sfpnsc-fg-a1-cls-only-seed-floor05-glr01 --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 ${revive[*]}
ablation-sf-cls-only-seed-floor05-glr01 --method sfpnsc ${warm[*]} --contrast bas --a1 0.1 ${revive[*]}
ablation-pnsc-cls-only-seed-floor05-glr01 --method bas ${warm[*]} --contrast pnsc --w-fg-cls 0.5 ${revive[*]}
sfpnsc-paper-cls-only-seed-floor05-glr01 --method sfpnsc ${warm[*]} --w-fg-cls 0 ${revive[*]}
bas-glr01-floor05 --method bas ${warm[*]} --generator-lr-scale 0.1 --area-floor 0.05
sfpnsc-fg-a1-cls-only-seed-floor05-glr01-bgrun --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --bg-bn running ${revive[*]}
sfpnsc-a1-prob-rev --method sfpnsc ${warm[*]} --a1 0.1 --pnsc-space probabilities ${revive[*]}
sfpnsc-fg-a1-prob-rev --method sfpnsc ${warm[*]} --w-fg-cls 0.5 --a1 0.1 --pnsc-space probabilities ${revive[*]}
ablation-pnsc-prob-rev --method bas ${warm[*]} --contrast pnsc --pnsc-space probabilities ${revive[*]}
ablation-sf-a2x0-rev --method sfpnsc ${warm[*]} --contrast bas --a1 0.1 --a2 0 ${revive[*]}
sfpnsc-a1-prob-label-rev --method sfpnsc ${warm[*]} --a1 0.1 --pnsc-space probabilities --pnsc-target label ${revive[*]}
ablation-sf-gate-a2x0-rev --method sfpnsc ${warm[*]} --contrast bas --a1 0.1 --a2 0 --sf-gate deep ${revive[*]}
ablation-sf-a2x0-shallowgrad-rev --method sfpnsc ${warm[*]} --contrast bas --a1 0.1 --a2 0 --shallow-gradient ${revive[*]}
ablation-sf-a2x0-sratio-rev --method sfpnsc ${warm[*]} --contrast bas --a2 0 --shallow-ratio 1 ${revive[*]}
ablation-sf-a2x0-sratio-a1x01-rev --method sfpnsc ${warm[*]} --contrast bas --a1 0.1 --a2 0 --shallow-ratio 1 ${revive[*]}
ablation-sf-a2x0-sratio-a1x01-w2x15-gate-rev --method sfpnsc ${warm[*]} --contrast bas --a1 0.1 --a2 0 --shallow-ratio 1 --w2 15 --sf-gate deep ${revive[*]}
ablation-sf-a2x0-sratio-a1x01-w2x15-rev --method sfpnsc ${warm[*]} --contrast bas --a1 0.1 --a2 0 --shallow-ratio 1 --w2 15 ${revive[*]}
sfpnsc-a1-prob-sratio-rev --method sfpnsc ${warm[*]} --a1 0.1 --pnsc-space probabilities --shallow-ratio 1 ${revive[*]}
sfpnsc-prob-sratio-rev --method sfpnsc ${warm[*]} --pnsc-space probabilities --shallow-ratio 1 ${revive[*]}
ablation-pnsc-prob-label-rev --method bas ${warm[*]} --contrast pnsc --pnsc-space probabilities --pnsc-target label ${revive[*]}
CONFIGS
)
mkdir -p "$out"

run() {  # name seed options...
  local name=$1 seed=$2; shift 2
  local dir=$out/$name-s$seed
  [ -f "$dir/eval.json" ] && return 0
  rm -rf "$dir"
  echo "== $name-s$seed: $*"
  if ! "$wsol" train "${common[@]}" "$@" --seed "$seed" --out "$dir" > "$dir.train.txt" 2>&1; then
    echo "   training failed: $(tail -1 "$dir.train.txt")"; return 0
  fi
  # The crop protocol with the ground-truth channel too (bas/sfpnsc default to the top-k mean).
  WSOL_THREADS=$threads "$wsol" eval --run "$dir" --format cub --root "$dataset" --class-mode gt --json \
    > "$dir.eval.tmp" 2> "$dir.eval.err" && mv "$dir.eval.tmp" "$dir/eval-gt.json"
  # The mask with the classifier's CAM (docs/RESULTS.md section 4, sixth session): full protocol only.
  if [[ " $* " != *" --method cam "* ]]; then
    WSOL_THREADS=$threads "$wsol" eval --run "$dir" --format cub --root "$dataset" --protocol full --map fused \
      --json > "$dir.eval.tmp" 2> "$dir.eval.err" && mv "$dir.eval.tmp" "$dir/eval-fused.json"
  fi
  WSOL_THREADS=$threads "$wsol" eval --run "$dir" --format cub --root "$dataset" --json > "$dir.eval.tmp" 2> "$dir.eval.err" &&
    mv "$dir.eval.tmp" "$dir/eval.json"
  tail -1 "$dir.train.txt"
}

jobs_running() { jobs -rp | wc -l; }
for seed in ${SEEDS:-1 2 3}; do
  while read -r name options; do
    [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $name "* ]] || continue
    while [ "$(jobs_running)" -ge "${JOBS:-1}" ]; do sleep 2; done
    # shellcheck disable=SC2086
    run "$name" "$seed" $options &
  done <<< "$configs"
done
wait
/usr/bin/python3 scripts/mask_study_summary.py "$out"
