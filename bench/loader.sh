#!/usr/bin/env bash
# Loader throughput (images/s, 224 train transform: resize 256x256, random crop 224, flip, normalize)
# on the same JPEGs: ours (2 workers) next to torchvision's ImageFolder + DataLoader in Debian's
# Python at its best worker count (0 or 2), and the decode + resize limit, alternated
# (bench/lib/result.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
COUNT=${COUNT:-320}
WORK=$(mktemp -d /tmp/wsol-bench-loader.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[ -x .build/release/wsol ] || swift build -c release >/dev/null

/usr/bin/python3 - "$WORK" "$COUNT" <<'PY'
import os, sys
import numpy as np
from PIL import Image
work, count = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
ids, labels = [], []
for i in range(count):
    c = i % 8
    # Smooth content plus noise: JPEG sizes like photographs', not like flat colour.
    base = rng.integers(0, 256, (12, 16, 3), dtype=np.uint8)
    img = Image.fromarray(base).resize((500, 375), Image.BICUBIC)
    arr = np.clip(np.asarray(img).astype(int) + rng.integers(-20, 21, (375, 500, 3)), 0, 255).astype(np.uint8)
    rel = f"c{c}/img_{i:04d}.jpg"
    os.makedirs(f"{work}/images/c{c}", exist_ok=True)
    Image.fromarray(arr).save(f"{work}/images/{rel}", quality=90)
    ids.append(rel); labels.append(c)
os.makedirs(f"{work}/meta/train")
with open(f"{work}/meta/train/image_ids.txt", "w") as f: f.writelines(p + "\n" for p in ids)
with open(f"{work}/meta/train/class_labels.txt", "w") as f: f.writelines(f"{p},{c}\n" for p, c in zip(ids, labels))
PY

cat > "$WORK/imagefolder.py" <<'PY'
import sys, time, torch
import torchvision.datasets as D, torchvision.transforms as T
root, workers = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(2)
tf = T.Compose([T.Resize((256, 256)), T.RandomCrop(224), T.RandomHorizontalFlip(), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
loader = torch.utils.data.DataLoader(D.ImageFolder(root, tf), batch_size=32, shuffle=True, num_workers=workers)
n, start = 0, time.time()
for epoch in range(2):
    for images, labels in loader: n += images.shape[0]
print(f"{n / (time.time() - start):.1f}")
PY
# The decode + resize limit: OpenCV's JPEG decode and its resize to 256x256 alone, on 2 processes, twice
# over the files (as the loaders' 2 epochs): what a loader calling OpenCV for both cannot beat. The
# resize averages areas, as the train transform's does on a shrinking side (torchvision's antialiased
# bilinear); OpenCV's bilinear without antialiasing would take 0.3 ms an image instead of 1.2. wsol's
# loader calls neither since the ninth session (libjpeg straight to RGB, area averaging of the crop's
# window alone: CxxBridge/src/jpeg_decode.cpp, area_window.cpp), so it may pass this line.
cat > "$WORK/limit.py" <<'PY'
import glob, sys, time
from multiprocessing import Pool
import cv2
cv2.setNumThreads(1)
files = sorted(glob.glob(sys.argv[1] + "/*/*.jpg")) * 2

def decode(path):
    return cv2.resize(cv2.imread(path), (256, 256), interpolation=cv2.INTER_AREA).shape[0]

with Pool(2) as pool:
    pool.map(decode, files[:4])
    start = time.time()
    pool.map(decode, files, chunksize=8)
print(f"{len(files) / (time.time() - start):.1f}")
PY
ours() {
  .build/release/wsol data speed --format wsolevaluation --metadata "$WORK/meta" --images "$WORK/images" \
    --split train --workers 2 --batch-size 32 --epochs 2 | sed -E 's/.* ([0-9.]+) images\/s.*/\1/'
}
# torchvision at its best worker count in this round (0 or 2).
theirs() {
  local zero two
  zero=$(/usr/bin/python3 "$WORK/imagefolder.py" "$WORK/images" 0)
  two=$(/usr/bin/python3 "$WORK/imagefolder.py" "$WORK/images" 2)
  /usr/bin/python3 -c "print(max($zero, $two))"
}
limit() { /usr/bin/python3 "$WORK/limit.py" "$WORK/images"; }
alternate "loader, 2 workers, $COUNT JPEGs 500x375" images/s \
  "torchvision ImageFolder+DataLoader (best of 0/2 workers)" ours theirs
alternate "loader, 2 workers, $COUNT JPEGs 500x375, against decode + resize" images/s \
  "cv2 decode + resize to 256 alone, 2 processes" ours limit
