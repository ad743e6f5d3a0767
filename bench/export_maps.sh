#!/usr/bin/env bash
# export-maps on N (default 500) synthetic images: `wsol benchmark export-maps` times the forward passes
# alone (loader + the model's full-image pass, maps fetched, nothing written) and then the whole export
# (the same pass plus every .npy map, panel PNG and thumbnail JPEG, boxes.csv and index.html), so the
# cost of writing shows beside the cost of the model. Random weights (the timing does not depend on
# them); ARCH (default resnet50) and METHOD (default sfpnsc: four tiles per panel) choose the model.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-500}
ARCH=${ARCH:-resnet50}
METHOD=${METHOD:-sfpnsc}
swift build -c release >/dev/null
DATA=$(mktemp -d /tmp/wsol-bench-export.XXXXXX)
trap 'rm -rf "$DATA"' EXIT
# 10 classes of wsol synth's drawings at 256 px, enough test images for N.
.build/release/wsol synth --out "$DATA/cub" --classes 10 --train-per-class 0 \
  --test-per-class $(( (N + 9) / 10 )) --size 256 --seed 1 >/dev/null
.build/release/wsol benchmark export-maps --root "$DATA/cub" --count "$N" --arch "$ARCH" --method "$METHOD"
