#!/usr/bin/env bash
# export-maps' writing cost per image (no model): `wsol benchmark panels` renders each 224 px panel (image
# + JET overlay, boxes, labels, caption), writes it as PNG and its thumbnail as JPEG (both atomically) and
# the map as .npy; the same steps in Python with cv2 + numpy (Debian's /usr/bin/python3) for the ratio;
# then, for scale, the forward pass that export-maps runs per image: torchvision VGG16 and ResNet50
# (eval, no grad, batch 8, random weights) in Debian's torch on every core.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/result.sh
PY=/usr/bin/python3
N=${N:-500}
"$PY" -c "import cv2, torchvision" 2>/dev/null || {
  echo "panels: needs python3-opencv and python3-torchvision (make setup)"; exit 1; }
[ -x .build/release/wsol ] || swift build -c release >/dev/null
INPUTS=$(mktemp -d /tmp/wsol-bench-panels.XXXXXX)
trap 'rm -rf "$INPUTS"' EXIT
ours() {
  .build/release/wsol benchmark panels --count "$N" --save-inputs "$INPUTS" | sed -E 's/.*: ([0-9.]+) images\/s.*/\1/'
}
ours >/dev/null  # writes the scenes the Python side draws

# The same eight scenes (wsol synth's drawings and their maps), the same steps, in cv2.
cat > "$INPUTS/panels.py" <<'PYEOF'
import os, sys, tempfile, time
import numpy as np
import cv2
n, size = int(sys.argv[1]), 224
scenes = [(np.load(f"{sys.argv[2]}/scene{k}_image.npy"), np.load(f"{sys.argv[2]}/scene{k}_map.npy"))
          for k in range(8)]
out = tempfile.mkdtemp(prefix="wsol-bench-panels-py-")
font = cv2.FONT_HERSHEY_SIMPLEX

def write(path, write_fn):
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, "." + name + ".tmp" + os.path.splitext(path)[1])
    write_fn(tmp)
    os.replace(tmp, path)

def label(tile, text):
    (w, h), base = cv2.getTextSize(text, font, 0.4, 1)
    cv2.rectangle(tile, (0, 0), (w + 6, h + base + 5), (20, 20, 20), -1)
    cv2.putText(tile, text, (3, h + 3), font, 0.4, (255, 255, 255), 1, cv2.LINE_AA)

start = time.time()
for i in range(n):
    img, m = scenes[i % 8]
    resized = cv2.resize(m, (size, size), interpolation=cv2.INTER_LINEAR)
    gray = np.clip(np.rint(resized * 255), 0, 255).astype(np.uint8)
    heat = cv2.cvtColor(cv2.applyColorMap(gray, cv2.COLORMAP_JET), cv2.COLOR_BGR2RGB)
    over = cv2.addWeighted(img, 0.5, heat, 0.5, 0)
    first = img.copy()
    cv2.rectangle(first, (60, 60), (160, 140), (0, 255, 0), 2)
    cv2.rectangle(over, (60, 60), (160, 140), (0, 255, 0), 2)
    cv2.rectangle(over, (70, 65), (170, 150), (255, 0, 0), 2)
    label(first, "image"); label(over, "map")
    row = np.full((size, 2 * size + 4, 3), 255, np.uint8)
    row[:, :size], row[:, size + 4:] = first, over
    band = np.full((60, row.shape[1], 3), 255, np.uint8)
    lines = [f"{i % 200}.class/image_{i}.jpg", "true 1 Some_Bird | predicted 1 Some_Bird (0.800)",
             "IoU 0.700 (localized at 0.5) | 1 box"]
    for k, line in enumerate(lines):
        cv2.putText(band, line, (6, 18 + 18 * k), font, 0.45, (30, 30, 30), 1, cv2.LINE_AA)
    full = np.vstack([row, band])
    write(f"{out}/{i}.png", lambda p: cv2.imwrite(p, cv2.cvtColor(full, cv2.COLOR_RGB2BGR)))
    thumb = cv2.resize(row, (round(row.shape[1] * 120 / size), 120), interpolation=cv2.INTER_AREA)
    bgr = cv2.cvtColor(thumb, cv2.COLOR_RGB2BGR)
    write(f"{out}/{i}.jpg", lambda p: cv2.imwrite(p, bgr, [cv2.IMWRITE_JPEG_QUALITY, 85]))
    write(f"{out}/{i}.npy", lambda p: np.save(p, m))
total = time.time() - start
os.system(f"rm -rf {out}")
print(f"{n / total:.1f}")
PYEOF
theirs() { "$PY" "$INPUTS/panels.py" "$N" "$INPUTS"; }
alternate "panels 224 px (render, PNG, JPEG, .npy), 1 thread" images/s "python + cv2 + numpy" ours theirs

# For scale: the forward passes that export-maps runs per image.
"$PY" - <<'PYEOF'
import os, time
import torch, torchvision
torch.set_num_threads(os.cpu_count())
x = torch.randn(8, 3, 224, 224)
for name in ("vgg16", "resnet50"):
    model = getattr(torchvision.models, name)().eval()
    with torch.no_grad():
        model(x)
        start = time.time(); steps = 3
        for _ in range(steps):
            model(x)
    print(f"forward {name} (torch {torch.__version__}, {torch.get_num_threads()} threads, batch 8): "
          f"{8 * steps / (time.time() - start):.1f} images/s")
PYEOF
