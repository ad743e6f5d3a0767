#!/usr/bin/env bash
# `make demo`: the whole workflow on photographs (docs/RESULTS.md, "Demo"). A resnet18 is pretrained
# here as a classifier on photographed stamps (vegetables, sports, and other composites of the 12 birds,
# as ImageNet holds other photographs of CUB's birds), loaded by `--weights` exactly as an ImageNet file
# is, fine-tuned with cam, bas (with `--recipe revived`) and sfpnsc (its default, the same recipe) on the 12 birds,
# evaluated with both protocols, and sfpnsc's maps are exported beside cam's.
#
# usage: scripts/demo.sh [OUT]   (default demo-out; needs the release build and `make photo-sources`)
#   WEIGHTS=FILE  start from this file (e.g. torchvision's ImageNet resnet18) instead of pretraining
#   ARCH=NAME     the backbone WEIGHTS is for (default resnet18)
#   FRESH=1       train and evaluate again even where an earlier run of the demo can be reused
#
# Reuse rule: every step's folder under OUT records a key (its command line and the SHA-256 of the
# files it reads); a later run reuses the folder when the key is unchanged, otherwise replaces it.
# Training is deterministic, so a reused run is the run that would be trained again. OUT itself is
# only written when it is new, empty or marked by an earlier demo (`.wsol-demo`).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-demo-out}
wsol=${WSOL:-$PWD/.build/release/wsol}
arch=${ARCH:-resnet18}
sources=data/sources/usr/share
start_all=$(date +%s)

fail() { echo "demo: $1" >&2; exit "${2:-1}"; }
[ -x "$wsol" ] || fail "$wsol is missing: run \`make build\` first" 2
[ -d "$sources/tuxpaint/stamps" ] || fail "$sources/tuxpaint/stamps is missing: run \`make photo-sources\`" 2
if [ -n "${WEIGHTS:-}" ] && [ ! -f "$WEIGHTS" ]; then fail "WEIGHTS=$WEIGHTS: no such file" 2; fi
if [ -e "$out" ] && [ ! -f "$out/.wsol-demo" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  fail "$out holds files an earlier demo did not write: choose another folder (make demo DEMO_DIR=...)" 2
fi
mkdir -p "$out/data" "$out/runs" && touch "$out/.wsol-demo"

# The key of a step: its command line and the contents of the files and folders it reads.
fingerprint() {  # paths...
  local p
  for p in "$@"; do
    if [ -d "$p" ]; then (cd "$p" && find . -type f ! -name '.wsol*' -print0 | sort -z | xargs -0 sha256sum)
    else sha256sum "$p"; fi
  done | sha256sum | cut -c1-16
}
# Runs "$@" (which writes $dir) unless $dir holds the same key; prints what it did and how long it took.
step() {  # title dir key command...
  local title=$1 dir=$2 key=$3 t; shift 3
  if [ -z "${FRESH:-}" ] && [ "$(cat "$dir.key" 2>/dev/null)" = "$key" ] && [ -d "$dir" ]; then
    echo "== $title: reused $dir"; return 0
  fi
  echo "== $title"
  rm -rf "$dir" "$dir.key" "$dir.log"
  t=$(date +%s)
  if ! "$@" > "$dir.log" 2>&1; then tail -5 "$dir.log" >&2; fail "$title failed (whole log: $dir.log)"; fi
  tail -1 "$dir.log"
  echo "$key" > "$dir.key"
  echo "   ($(( $(date +%s) - t )) s)"
}
# eval --json into a file written whole.
evaluate() {  # json-file eval-options...
  local json=$1 t; shift
  echo "== eval $*"
  t=$(date +%s)
  "$wsol" eval "$@" --json > "$json.tmp" && mv "$json.tmp" "$json"
  echo "   ($(( $(date +%s) - t )) s)"
}

# 1. The two photo datasets (docs/PHOTO-DATA.md): 37 classes to pretrain on (the birds among them, other
#    composites: another seed), the 12 birds to localize.
make_data=("$wsol" make-dataset --stamps "$sources/tuxpaint/stamps" --backgrounds "$sources/scratch/Media/Backgrounds"
           --backgrounds "$sources/tuxpaint/templates")
pretrain_classes=food/vegetables,sports
birds=duck,magellanic_penguin,ostrich,owl,peacock,pelican,pink_flamingo,rooster,seagull,tucan,turkey,vulture
bird_list=$(echo "$birds" | sed -E 's#([^,]+)#animals/birds/\1.png#g')
sources_key=$(fingerprint data/sources/PACKAGES)
pretrain_data=$out/data/pretrain birds_data=$out/data/birds12
if [ -z "${WEIGHTS:-}" ]; then
  args=(--categories "$bird_list,$pretrain_classes" --per-class 60 --test-per-class 5 --canvas 128 96 --seed 7)
  step "pretraining set: the birds, $pretrain_classes" "$pretrain_data" "$sources_key ${args[*]}" \
    "${make_data[@]}" "${args[@]}" --out "$pretrain_data"
fi
args=(--categories "$bird_list" --per-class 24 --test-per-class 8 --canvas 160 120 --seed 0)
step "bird set: 12 classes" "$birds_data" "$sources_key ${args[*]}" \
  "${make_data[@]}" "${args[@]}" --out "$birds_data"

# 2. The backbone: pretrained here (cached while its dataset and recipe are unchanged) or WEIGHTS.
if [ -z "${WEIGHTS:-}" ]; then
  recipe=(--arch resnet18 --method classify --weights none --image-size 96 --batch-size 32 --lr 0.05
          --schedule cosine --epochs "${PRETRAIN_EPOCHS:-12}" --val-per-class 2 --workers 2 --log-every 50)
  step "pretraining resnet18 as a classifier (${recipe[*]})" "$out/pretrain" \
    "$(fingerprint "$pretrain_data") ${recipe[*]}" \
    "$wsol" train --format cub --root "$pretrain_data" "${recipe[@]}" --out "$out/pretrain"
  [ -f "$out/pretrain/eval.json" ] ||
    evaluate "$out/pretrain/eval.json" --run "$out/pretrain" --which last --format cub --root "$pretrain_data" \
      --protocol crop
  weights=$out/pretrain/checkpoints/last.safetensors
else
  weights=$WEIGHTS
fi

# 3. Fine-tuning cam, bas and sfpnsc from it, as an ImageNet file is loaded (its fc.* skipped, new head);
#    bas and sfpnsc on the mask study's recipe (docs/RESULTS.md section 4: sfpnsc's default, typed for
#    bas), which localizes with the mask and the classifier's CAM together (`--map fused`).
tune=(--arch "$arch" --weights "$weights" --image-size 128 --head-width 256 --batch-size 16
      --epochs "${EPOCHS:-8}" --decay-epochs "${DECAY:-7}" --lr 0.005 --val-per-class 2 --select last
      --workers 2 --log-every 10 --seed 1)
tune_key="$(fingerprint "$birds_data" "$weights") ${tune[*]}"
for method in cam bas sfpnsc; do
  recipe=(); [ "$method" = bas ] && recipe=(--recipe revived)
  step "fine-tuning $method ${recipe[*]}" "$out/runs/$method" "$tune_key ${recipe[*]}" \
    "$wsol" train --format cub --root "$birds_data" "${tune[@]}" --method "$method" "${recipe[@]}" \
      --out "$out/runs/$method"
  # Every method's crop protocol on the ground-truth class's map, as cam's GT-known Loc is by default:
  # bas's top-k default averages every class's mask at 12 classes (docs/RESULTS.md section 4).
  [ -f "$out/runs/$method/eval.json" ] ||
    evaluate "$out/runs/$method/eval.json" --run "$out/runs/$method" --format cub --root "$birds_data" \
      --class-mode gt
done

# 4. Both methods' maps on the 96 test images, side by side (replaces the demo's earlier export).
#    Boxes at threshold 0.5 (the crop protocol's 0.1 keeps most of a fused map's low tail).
export_args=(--run "$out/runs/sfpnsc" --compare "$out/runs/cam" --format cub --root "$birds_data" --threshold 0.5)
step "export-maps sfpnsc --compare cam" "$out/maps" \
  "$(fingerprint "$out/runs/cam.key" "$out/runs/sfpnsc.key") ${export_args[*]}" \
  "$wsol" export-maps "${export_args[@]}" --out "$out/maps"

echo
/usr/bin/python3 scripts/demo_table.py "$out" "${WEIGHTS:-}"
echo "gallery: $(cd "$out/maps" && pwd)/index.html"
echo "demo: $(( $(date +%s) - start_all )) s after the build"
