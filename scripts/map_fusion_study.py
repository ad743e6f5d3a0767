"""The offline map combinations of docs/RESULTS.md section 4 (sixth session): MaxBoxAccV2 of a run's
exported maps combined in numpy, with the full-image protocol's functions of
Tests/reference/wsoleval_ref.py (on the maps' own size). Each map is min-max normalized (n) first.

    wsol export-maps --run RUN --map deep --out D ...; wsol export-maps --run RUN --map shallow --out S ...
    wsol export-maps --run CAM_RUN --out C ...      (the cam run of the same seed: the same classifier)
    /usr/bin/python3 scripts/map_fusion_study.py data/birds12b D S C

usage: map_fusion_study.py CUB_ROOT DEEP_EXPORT SHALLOW_EXPORT CAM_EXPORT   (test split; prints one line
per combination)"""
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "reference"))
import wsoleval_ref as protocol  # noqa: E402

COMBINATIONS = {
    "Mf2": lambda d, s, c: d,
    "Mf1": lambda d, s, c: s,
    "CAM": lambda d, s, c: c,
    "sqrt(Mf1 x Mf2)": lambda d, s, c: np.sqrt(s * d),
    "sqrt(Mf1 x CAM)": lambda d, s, c: np.sqrt(s * c),
    "(Mf2 + CAM) / 2": lambda d, s, c: (d + c) / 2,
    "(Mf2 + CAM + Mf1) / 3": lambda d, s, c: (d + c + s) / 3,
    "(Mf2 + CAM + sqrt(Mf1 x CAM)) / 3": lambda d, s, c: (d + c + np.sqrt(s * c)) / 3,
}


def normalized(m):
    m = m - m.min()
    return (m / (m.max() + 1e-12)).astype(np.float32)


def cub_test_split(root):
    def table(name):
        with open(os.path.join(root, name)) as f:
            return [line.split() for line in f if line.strip()]
    paths = dict(table("images.txt"))
    boxes = {}
    for k, x, y, w, h in table("bounding_boxes.txt"):
        x, y, w, h = map(float, (x, y, w, h))
        boxes.setdefault(k, []).append([x, y, x + w, y + h])
    test = [k for k, is_train in table("train_test_split.txt") if is_train == "0"]
    sizes = {k: Image.open(os.path.join(root, "images", paths[k])).size for k in test}
    return [(paths[k], boxes[k], sizes[k]) for k in test]


def max_box_acc_v2(images, scoremap_of):
    thresholds = protocol.thresholds(0.01)
    hits = {d: np.zeros(len(thresholds)) for d in protocol.IOU_LEVELS}
    for image_id, boxes, (w, h) in images:
        scoremap = normalized(scoremap_of(image_id))
        side = scoremap.shape[0]
        gt = [protocol.resize_box(b, w, h, new_w=side, new_h=side) for b in boxes]
        best = np.array([protocol.iou(protocol.boxes_from_contours(c, True, side, side), gt).max()
                         for c in protocol.contours_at_thresholds(scoremap, thresholds)])
        for d in protocol.IOU_LEVELS:
            hits[d][best >= d / 100] += 1
    return np.mean([hits[d].max() * 100 / len(images) for d in protocol.IOU_LEVELS])


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    root, exports = sys.argv[1], sys.argv[2:]
    images = cub_test_split(root)

    def maps(image_id):
        return [normalized(np.load(os.path.join(e, "maps", image_id + ".npy"))) for e in exports]
    for name, combine in COMBINATIONS.items():
        print(f"{name:36s} {max_box_acc_v2(images, lambda i: combine(*maps(i))):6.2f}")


if __name__ == "__main__":
    main()
