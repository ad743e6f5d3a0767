"""Both evaluation protocols computed from given maps, with numpy + OpenCV and the CUB files read here
(METHOD.md section 4), to check `wsol eval`.

usage: eval_protocols.py CUB_ROOT MAPS THRESHOLD SIZE
  SIZE: the network input S; the crop protocol resizes to round(S * 256 / 224) and centre-crops S
  (torchvision's rounding of the offset), the full-image protocol works at S x S.
  MAPS/manifest.json: [{"image": path relative to images/, "crop_map": file, "probs": file,
  "full_map": file}] in evaluation order; maps are the raw model maps (any size, any range).
Prints one JSON line: crop {top1_cls, top5_cls, top1_loc, top5_loc, gt_known_loc, iou30/50/70} and
full {maxboxacc_v1, v2 [iou30, iou50, iou70], v2_mean} in percent."""
import json
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wsoleval_ref as ref  # noqa: E402

root, maps, threshold, S = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
R = int(round(S * 256 / 224))
OFFSET = int(round((R - S) / 2.0))


def table(name):
    with open(os.path.join(root, name)) as f:
        return [line.split() for line in f if line.strip()]


paths = {int(r[0]): r[1] for r in table("images.txt")}
ids = {p: i for i, p in paths.items()}
labels = {int(r[0]): int(r[1]) - 1 for r in table("image_class_labels.txt")}
boxes = {int(r[0]): [float(v) for v in r[1:]] for r in table("bounding_boxes.txt")}


def crop_box(raw):
    """BAS: min-max (+1e-5), bilinear to S, > threshold, largest 8-connected component's box."""
    m = raw.astype(np.float32)
    m = (m - m.min()) / (m.max() - m.min() + 1e-5)
    m = cv2.resize(m, (S, S), interpolation=cv2.INTER_LINEAR)
    fg = (m > threshold).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(fg, connectivity=8)
    if n <= 1:
        return [0, 0, S, S]
    k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = stats[k, :4]
    return [int(x), int(y), int(x + w), int(y + h)]


def crop_gt(box, w, h):
    x, y, bw, bh = box
    f = lambda v, size: min(max(int(v * R / size) - OFFSET, 0), S - 1)
    return [f(x, w), f(y, h), f(x + bw, w), f(y + bh, h)]


def full_map(raw):
    m = cv2.resize(raw.astype(np.float32), (S, S), interpolation=cv2.INTER_CUBIC)
    lo, hi = m.min(), m.max()
    return np.zeros_like(m) if hi == lo else (m - lo) / (hi - lo)


manifest = json.load(open(os.path.join(maps, "manifest.json")))
n = len(manifest)
crop = dict(top1_cls=0, top5_cls=0, top1_loc=0, top5_loc=0, gt_known_loc=0, iou30=0, iou50=0, iou70=0)
ts = ref.thresholds(0.01)
v1 = np.zeros(len(ts))
v2 = {d: np.zeros(len(ts)) for d in ref.IOU_LEVELS}
for entry in manifest:
    i = ids[entry["image"]]
    h, w = cv2.imread(os.path.join(root, "images", entry["image"])).shape[:2]
    label = labels[i]
    probs = np.load(os.path.join(maps, entry["probs"]))
    order = sorted(range(len(probs)), key=lambda c: (-probs[c], c))
    top1, top5 = order[0] == label, label in order[:5]
    gt = crop_gt(boxes[i], w, h)
    iou = float(ref.iou([crop_box(np.load(os.path.join(maps, entry["crop_map"])))], [gt]).max())
    crop["top1_cls"] += top1
    crop["top5_cls"] += top5
    crop["gt_known_loc"] += iou >= 0.5
    crop["top1_loc"] += top1 and iou >= 0.5
    crop["top5_loc"] += top5 and iou >= 0.5
    for d in (30, 50, 70):
        crop[f"iou{d}"] += iou >= d / 100
    x, y, bw, bh = boxes[i]
    full_gt = [ref.resize_box([x, y, x + bw, y + bh], w, h, S, S)]
    per_threshold = ref.contours_at_thresholds(full_map(np.load(os.path.join(maps, entry["full_map"]))), ts)
    for all_contours in (False, True):
        best = np.array([ref.iou(ref.boxes_from_contours(c, all_contours, S, S), full_gt).max()
                         for c in per_threshold])
        if all_contours:
            for d in ref.IOU_LEVELS:
                v2[d][best >= d / 100] += 1
        else:
            v1[best >= 0.5] += 1
pct = lambda c: c * 100.0 / n
v2s = [pct(v2[d]).max() for d in ref.IOU_LEVELS]
print(json.dumps({"images": n, "crop": {k: pct(v) for k, v in crop.items()},
                  "full": {"maxboxacc_v1": pct(v1).max(), "v2": v2s, "v2_mean": sum(v2s) / 3}}))
