"""The predicted boxes and IoU of every row of an export-maps boxes.csv, recomputed from its .npy maps
with numpy + OpenCV as wsolevaluation extracts boxes (wsoleval_ref.py) and the ground truth of a
wsolevaluation metadata split, to check `wsol export-maps`.

usage: export_boxes.py METADATA EXPORT THRESHOLD [PREFIX]
  METADATA: one split folder (image_ids.txt, image_sizes.txt, localization.txt);
  EXPORT: the export folder (boxes.csv, PREFIXmaps/<image id>.npy); PREFIX: "" or "compare/".
Prints one JSON object: {image id: {"boxes": [[x0, y0, x1, y1], ...] (every contour's box at the
threshold, each once, sorted), "iou": best IoU with the ground truth, "csv": [boxes, iou] as
boxes.csv gives them}, "_order": the csv's image ids in file order}. A map with no contour at the
threshold has no box and IoU 0 (export-maps' rule; wsolevaluation would score a [0, 0, 0, 0] box)."""
import csv
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wsoleval_ref as ref  # noqa: E402

metadata, export, threshold = sys.argv[1], sys.argv[2], float(sys.argv[3])
prefix = sys.argv[4] if len(sys.argv) > 4 else ""
compare = prefix == "compare/"
ids, sizes, gt = ref.read_metadata(metadata)

out, order = {}, []
with open(os.path.join(export, "boxes.csv"), newline="") as f:
    for row in csv.DictReader(f):
        image = row["image"]
        order.append(image)
        m = np.load(os.path.join(export, prefix + "maps", image + ".npy"))
        assert m.dtype == np.float32 and m.ndim == 2 and m.shape[0] == m.shape[1], (image, m.dtype, m.shape)
        side = m.shape[0]
        contours = ref.contours_at_thresholds(m, [threshold])[0]
        if len(contours) == 0:
            boxes, best = [], 0.0
        else:
            boxes = sorted({tuple(b) for b in ref.boxes_from_contours(contours, True, side, side)})
            w, h = sizes[image]
            truth = [ref.resize_box(b, w, h, side, side) for b in gt[image]]
            best = float(ref.iou(boxes, truth).max())
        key = "compare_" if compare else ""
        listed = [[int(v) for v in b.split()] for b in row[key + "boxes"].split(";") if b]
        out[image] = {"boxes": [list(b) for b in boxes], "iou": best,
                      "csv": [sorted(listed), float(row[key + "iou"])]}
out["_order"] = order
print(json.dumps(out))
