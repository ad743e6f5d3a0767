#!/usr/bin/env bash
# `wsol data check` (without --deep) on a CUB-layout folder of 11,788 entries with small real JPEGs:
# prints the time of each round. The target is under 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
WORK=$(mktemp -d /tmp/wsol-bench-check.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[ -x .build/release/wsol ] || swift build -c release >/dev/null

/usr/bin/python3 - "$WORK/CUB_200_2011" <<'PY'
import io, os, sys
from PIL import Image
root = sys.argv[1]
classes = [f"{c + 1:03d}.class_{c + 1:03d}" for c in range(200)]
buf = io.BytesIO()
Image.new("RGB", (50, 38), (120, 80, 40)).save(buf, "JPEG")
jpeg = buf.getvalue()
for name in classes: os.makedirs(f"{root}/images/{name}")
lines = {k: [] for k in ["images", "labels", "split", "boxes"]}
for i in range(11788):
    c = i % 200
    rel = f"{classes[c]}/img_{i + 1:05d}.jpg"
    with open(f"{root}/images/{rel}", "wb") as f: f.write(jpeg)
    lines["images"].append(f"{i + 1} {rel}\n"); lines["labels"].append(f"{i + 1} {c + 1}\n")
    lines["split"].append(f"{i + 1} {1 if i < 5994 else 0}\n"); lines["boxes"].append(f"{i + 1} 2.0 3.0 40.0 30.0\n")
files = {"images.txt": "images", "image_class_labels.txt": "labels", "train_test_split.txt": "split", "bounding_boxes.txt": "boxes"}
for name, key in files.items():
    with open(f"{root}/{name}", "w") as f: f.writelines(lines[key])
with open(f"{root}/classes.txt", "w") as f: f.writelines(f"{c + 1} {n}\n" for c, n in enumerate(classes))
PY
sync
check() { seconds_of .build/release/wsol data check --format cub --root "$WORK"; }
# No Python tool checks a dataset like this; the reference is the issue's target.
target() { echo 10; }
alternate "data check, cub 11788 entries" s "target (no PyTorch equivalent)" check target
