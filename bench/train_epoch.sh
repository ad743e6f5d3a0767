#!/usr/bin/env bash
# A whole training epoch with the loader: `wsol train` (release, sfpnsc, the paper's loss) on a synthetic
# CUB set, its images/s from log.jsonl, against PyTorch doing the same epoch (torchvision transforms,
# DataLoader with 2 workers, the method's reference model and Nesterov SGD), alternated
# (bench/lib/result.sh). Both figures include the loader's start-up.
# usage: bench/train_epoch.sh [ARCH] [BATCH] [SIZE]   (default: resnet18 16 224; PER_CLASS=10 images x 10)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
swift build -c release >/dev/null
wsol=.build/release/wsol
arch=${1:-resnet18} batch=${2:-16} size=${3:-224} per=${PER_CLASS:-10}
export WSOL_THREADS=2 OMP_NUM_THREADS=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$wsol synth --out "$work/cub" --classes 10 --train-per-class "$per" --test-per-class 1 --size 256 --seed 1 >/dev/null
ours() {
  rm -rf "$work/run"
  $wsol train --format cub --root "$work/cub" --arch "$arch" --method sfpnsc --weights none --image-size "$size" \
    --batch-size "$batch" --epochs 1 --val-per-class 0 --workers 2 --log-every 1000 --recipe paper \
    --out "$work/run" >/dev/null
  /usr/bin/python3 -c "
import json
lines = [json.loads(l) for l in open('$work/run/log.jsonl') if l.strip()]
print(f\"{[l for l in lines if l['kind'] == 'epoch'][-1]['images_per_s']:.2f}\")"
}
# The reference epoch: torchvision's transform and DataLoader (2 workers, shuffled) feeding the method's
# PyTorch reference model (Tests/reference/wsol_reference.py), Nesterov SGD, 2 threads.
cat > "$work/epoch.py" <<'PY'
import os, sys, time
sys.path.insert(0, "Tests/reference")
import torch
import torchvision.transforms as T
from PIL import Image
from wsol_reference import Reference, forward_and_loss
root, arch, batch, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(2)
torch.manual_seed(0)
split = dict(l.split() for l in open(os.path.join(root, "train_test_split.txt")))
paths = dict(l.split() for l in open(os.path.join(root, "images.txt")))
labels = {k: int(v) - 1 for k, v in (l.split() for l in open(os.path.join(root, "image_class_labels.txt")))}
train = [(os.path.join(root, "images", paths[i]), labels[i]) for i in paths if split[i] == "1"]
resize = round(size * 256 / 224)
transform = T.Compose([T.Resize((resize, resize)), T.RandomCrop(size), T.RandomHorizontalFlip(), T.ToTensor(),
                       T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

class Images(torch.utils.data.Dataset):
    def __len__(self): return len(train)
    def __getitem__(self, i): return transform(Image.open(train[i][0]).convert("RGB")), train[i][1]

cfg = {"method": "sfpnsc", "classes": 10, "head_width": 1024, "softfusion": True, "contrast": "pnsc",
       "w1": 1, "w2": 1.5, "a1": 1, "a2": 1, "w_sf": 1, "w_pnsc": 1, "detach_s": True, "alpha": 0.5,
       "beta": 1.5, "bg_bn": "batch", "bg_path": "f2block"}
model = Reference(arch, cfg).train()
opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9, nesterov=True, weight_decay=5e-4)
loader = torch.utils.data.DataLoader(Images(), batch_size=batch, shuffle=True, num_workers=2, drop_last=False)
images, start = 0, time.perf_counter()
for x, y in loader:
    opt.zero_grad()
    sum(forward_and_loss(model, x, y)[1].values()).backward()
    opt.step()
    images += x.shape[0]
print(f"{images / (time.perf_counter() - start):.2f}")
PY
theirs() { /usr/bin/python3 "$work/epoch.py" "$work/cub" "$arch" "$batch" "$size"; }
alternate "train-epoch sfpnsc $arch batch $batch ${size}x${size}, $((10 * per)) images" images/s \
  "PyTorch: DataLoader (2 workers) + reference step" ours theirs
