#!/usr/bin/env bash
# export-maps on N (default 100) synthetic images: `wsol benchmark export-maps` times the forward passes
# alone (loader + the model's full-image pass, maps fetched, nothing written) and then the whole export
# (the same pass plus every .npy map, panel PNG and thumbnail JPEG, boxes.csv and index.html), so the
# cost of writing shows beside the cost of the model. Random weights (the timing does not depend on
# them); ARCH (default resnet50) and METHOD (default sfpnsc: four tiles per panel) choose the model.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
N=${N:-100}
ARCH=${ARCH:-resnet50}
METHOD=${METHOD:-sfpnsc}
swift build -c release >/dev/null
DATA=$(mktemp -d /tmp/wsol-bench-export.XXXXXX)
trap 'rm -rf "$DATA"' EXIT
# 10 classes of wsol synth's drawings at 256 px, enough test images for N.
.build/release/wsol synth --out "$DATA/cub" --classes 10 --train-per-class 0 \
  --test-per-class $(( (N + 9) / 10 )) --size 256 --seed 1 >/dev/null
# Each round is one process timing both (the forward passes, then the export): BENCH_ROUNDS of them.
exports=() forwards=()
for ((round = 0; round <= BENCH_ROUNDS; round++)); do
  out=$(.build/release/wsol benchmark export-maps --root "$DATA/cub" --count "$N" --arch "$ARCH" --method "$METHOD")
  echo "$out"
  rate() { echo "$out" | sed -nE "s/^  $1: +([0-9.]+) images\/s.*/\1/p"; }
  # Round 0 is the warm-up (page cache, lazy loading), not counted.
  [ "$round" -eq 0 ] || { exports+=("$(rate export)"); forwards+=("$(rate 'forward only')"); }
done
# The reference is wsol's own forward passes without writing: the ratio is what writing costs.
result "export-maps $ARCH $METHOD, $N images" "$(joined "${exports[@]}")" "$(joined "${forwards[@]}")" \
  images/s "wsol forward passes alone (nothing written)"
