#!/usr/bin/env bash
# Loader throughput (images/s, 224 train transform: resize 256x256, random crop 224, flip, normalize)
# on the same JPEGs: ours (2 workers) next to torchvision's ImageFolder + DataLoader in Debian's
# Python at its best worker count (0 or 2). Prints one line per measurement and the ratio.
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

best_tv=0
for workers in 0 2; do
  rate=$(/usr/bin/python3 - "$WORK/images" "$workers" <<'PY'
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
)
  echo "torchvision ImageFolder+DataLoader, $workers workers: $rate images/s"
  best_tv=$(/usr/bin/python3 -c "print(max($best_tv, $rate))")
done
ours_line=$(.build/release/wsol data speed --format wsolevaluation --metadata "$WORK/meta" --images "$WORK/images" \
  --split train --workers 2 --batch-size 32 --epochs 2)
ours=$(echo "$ours_line" | sed -E 's/.* ([0-9.]+) images\/s.*/\1/')
echo "wsol DataLoader, 2 workers: $ours images/s"
echo "loader throughput: wsol $ours vs torchvision best $best_tv images/s, ratio $(/usr/bin/python3 -c "print(f'{$ours / $best_tv:.2f}')")x ($COUNT JPEGs 500x375)"
result "loader, 2 workers, $COUNT JPEGs 500x375" "$ours" "$best_tv" images/s "torchvision ImageFolder+DataLoader (best of 0/2 workers)"
