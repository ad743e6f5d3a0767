#!/usr/bin/env bash
# `wsol eval --protocol both` (ten-crop crop protocol plus the full-image protocol: 11 forward passes
# per image) against a PyTorch loop doing the same forward passes (torchvision transforms, DataLoader
# with the same number of workers, the method's reference model from Tests/reference/wsol_reference.py,
# then the box sweeps of both protocols in numpy + OpenCV, Tests/reference/wsoleval_ref.py),
# same machine, same run, alternated (bench/lib/result.sh). Prints images/s of every round.
# usage: bench/eval.sh [ARCH] [IMAGES_PER_CLASS]   (default: resnet50 2, 10 classes)
#   LAYOUT=1  instead: wsol against itself with WSOL_CHANNELS_LAST=0 (what channels-last inference gains)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
swift build -c release >/dev/null
wsol=.build/release/wsol
arch=${1:-resnet50} per=${2:-2}
export WSOL_THREADS=2 OMP_NUM_THREADS=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$wsol synth --out "$work/cub" --classes 10 --train-per-class 1 --test-per-class "$per" --size 300 --seed 3 >/dev/null
# A checkpoint to evaluate: one short training step's worth (the numbers do not matter, the work does).
$wsol train --format cub --root "$work/cub" --arch "$arch" --method sfpnsc --weights none --batch-size 2 \
  --epochs 1 --val-per-class 0 --head-width 1024 --recipe paper --out "$work/run" >/dev/null
images=$((10 * per))
ours() {
  local took
  took=$(seconds_of $wsol eval --run "$work/run" --which last --format cub --root "$work/cub" --protocol both \
    --batch-size 30 --workers 2 --json)
  /usr/bin/python3 -c "print(f'{$images / $took:.2f}')"
}
cat > "$work/reference.py" <<'PY'
import os, sys, time
sys.path.insert(0, "Tests/reference")
import cv2
import numpy as np
import torch
import torchvision.transforms as T
from PIL import Image
from wsol_reference import Reference
from wsoleval_ref import boxes_from_contours, contours_at_thresholds, iou, resize_box, thresholds
root, arch = sys.argv[1], sys.argv[2]
torch.set_num_threads(2)
lines = [l.split() for l in open(os.path.join(root, "train_test_split.txt"))]
paths = {l.split()[0]: l.split()[1] for l in open(os.path.join(root, "images.txt"))}
ids = [i for i, flag in lines if flag == "0"]
test = [os.path.join(root, "images", paths[i]) for i in ids]
labels = {l.split()[0]: int(l.split()[1]) - 1 for l in open(os.path.join(root, "image_class_labels.txt"))}
boxes = {}
for l in open(os.path.join(root, "bounding_boxes.txt")):
    i, x, y, w, h = l.split()
    boxes.setdefault(i, []).append([float(x), float(y), float(x) + float(w), float(y) + float(h)])
sizes = [Image.open(p).size for p in test]
cfg = {"method": "sfpnsc", "classes": 10, "head_width": 1024, "softfusion": True, "bg_path": "f2block"}
model = Reference(arch, cfg).eval()
norm = T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
ten = T.Compose([T.Resize((256, 256)), T.TenCrop(224), T.Lambda(lambda c: torch.stack([norm(T.ToTensor()(x)) for x in c]))])
full = T.Compose([T.Resize((224, 224)), T.ToTensor(), norm])

class Images(torch.utils.data.Dataset):
    def __init__(self, transform): self.transform = transform
    def __len__(self): return len(test)
    def __getitem__(self, i): return self.transform(Image.open(test[i]).convert("RGB"))

def forward(x):
    feats = x
    for _, stage in model.stages():
        feats = stage(feats)
    return model.classifier_loc(feats), model.classifier_cls(model.rest(feats))

def scoremap(loc, label):
    """wsolevaluation's map: the class's plane resized (bicubic) to 224 and min-max normalized."""
    m = cv2.resize(loc[label].numpy(), (224, 224), interpolation=cv2.INTER_CUBIC)
    return (m - m.min()) / (m.max() - m.min() + 1e-12)

def truth(index):
    w, h = sizes[index]
    return [resize_box(b, w, h) for b in boxes[ids[index]]]

# The same forward passes, then the box sweeps the evaluator runs: the crop protocol's map at 0.1 (the
# centre crop), the full protocol's at every 0.01 with the largest contour (MaxBoxAcc) and with all
# (MaxBoxAccV2).
start, index = time.perf_counter(), 0
with torch.no_grad():
    for batch in torch.utils.data.DataLoader(Images(ten), batch_size=3, num_workers=2):
        loc, _ = forward(batch.view(-1, 3, 224, 224))
        for row in range(batch.shape[0]):
            contours = contours_at_thresholds(scoremap(loc[row * 10 + 4], labels[ids[index]]), [0.1])[0]
            iou(boxes_from_contours(contours, False, 224, 224), truth(index))
            index += 1
    index = 0
    for batch in torch.utils.data.DataLoader(Images(full), batch_size=30, num_workers=2):
        loc, _ = forward(batch)
        for row in range(batch.shape[0]):
            for contours in contours_at_thresholds(scoremap(loc[row], labels[ids[index]]), thresholds(0.01)):
                for every in (False, True):
                    iou(boxes_from_contours(contours, every, 224, 224), truth(index))
            index += 1
print(f"{len(test) / (time.perf_counter() - start):.2f}")
PY
theirs() { /usr/bin/python3 "$work/reference.py" "$work/cub" "$arch"; }
if [ "${LAYOUT:-0}" = 1 ]; then
  default_layout() { WSOL_CHANNELS_LAST=0 ours; }
  alternate "eval --protocol both $arch 224, $images images, channels-last" images/s \
    "wsol with WSOL_CHANNELS_LAST=0" ours default_layout
  exit 0
fi
# wsol's figure includes its start-up and PxAP; the reference's starts after its model is built.
alternate "eval --protocol both $arch 224, $images images" images/s \
  "PyTorch forward loop (torchvision transforms) + numpy/OpenCV box sweeps" ours theirs
