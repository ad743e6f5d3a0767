"""A plain numpy + OpenCV statement of the full-image protocol (wsolevaluation's conventions, see
METHOD.md section 4), used to cross-check the Swift evaluator and as the benchmark's Python side.

As a program: wsoleval_ref.py METADATA MAPS INTERVAL [LIMIT]  -> one JSON line with the metrics (over
the first LIMIT images when given)."""
import json
import os
import sys

import cv2
import numpy as np

SIZE = 224
IOU_LEVELS = (30, 50, 70)


def thresholds(interval):
    return list(np.arange(0, 1, interval))


def contours_at_thresholds(scoremap, threshold_list):
    """Per threshold: the contours of uint8(map*255) > int(t * max), as findContours(RETR_TREE) lists them."""
    m8 = (scoremap * 255).astype(np.uint8)
    out = []
    for t in threshold_list:
        _, binary = cv2.threshold(m8, int(t * np.max(m8)), 255, cv2.THRESH_BINARY)
        out.append(cv2.findContours(binary, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)[0])
    return out


def boxes_from_contours(contours, all_contours, width, height):
    """[x, y, x+w, y+h] clipped to width-1/height-1; the largest contour only unless all_contours."""
    if len(contours) == 0:
        return [[0, 0, 0, 0]]
    if not all_contours:
        contours = [max(contours, key=cv2.contourArea)]
    boxes = []
    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        boxes.append([x, y, min(x + w, width - 1), min(y + h, height - 1)])
    return boxes


def boxes_at_thresholds(scoremap, threshold_list, all_contours):
    height, width = scoremap.shape
    return [boxes_from_contours(c, all_contours, width, height) for c in contours_at_thresholds(scoremap, threshold_list)]


def iou(a, b):
    a = np.asarray(a, dtype=np.int64)[:, None, :]
    b = np.asarray(b, dtype=np.int64)[None, :, :]
    iw = np.maximum(0, np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]) + 1)
    ih = np.maximum(0, np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]) + 1)
    inter = iw * ih
    area_a = (a[..., 2] - a[..., 0] + 1) * (a[..., 3] - a[..., 1] + 1)
    area_b = (b[..., 2] - b[..., 0] + 1) * (b[..., 3] - b[..., 1] + 1)
    return inter / (area_a + area_b - inter)


def resize_box(box, w, h, new_w=SIZE, new_h=SIZE):
    x0, y0, x1, y1 = map(float, box)
    w, h, new_w, new_h = float(w), float(h), float(new_w), float(new_h)
    return [int(x0 * new_w / w), int(y0 * new_h / h), int(x1 * new_w / w), int(y1 * new_h / h)]


def read_metadata(folder):
    def rows(name):
        with open(os.path.join(folder, name)) as f:
            return [line.rstrip("\n").split(",") for line in f if line.strip()]
    ids = [r[0] for r in rows("image_ids.txt")]
    sizes = {r[0]: (int(r[1]), int(r[2])) for r in rows("image_sizes.txt")}
    boxes = {}
    for r in rows("localization.txt"):
        boxes.setdefault(r[0], []).append([float(v) for v in r[1:]])
    return ids, sizes, boxes


def full_box_protocol(metadata, maps, interval, limit=None):
    ids, sizes, boxes = read_metadata(metadata)
    ids = ids[:limit]
    ts = thresholds(interval)
    v1 = np.zeros(len(ts))
    v2 = {d: np.zeros(len(ts)) for d in IOU_LEVELS}
    for image_id in ids:
        scoremap = np.load(os.path.join(maps, image_id + ".npy"))
        gt = [resize_box(b, *sizes[image_id]) for b in boxes[image_id]]
        per_threshold = contours_at_thresholds(scoremap, ts)
        for all_contours in (False, True):
            best = np.array([iou(boxes_from_contours(c, all_contours, SIZE, SIZE), gt).max() for c in per_threshold])
            if all_contours:
                for d in IOU_LEVELS:
                    v2[d][best >= d / 100] += 1
            else:
                v1[best >= 0.5] += 1
    n = float(len(ids))
    acc = lambda c: c * 100.0 / n
    return {"images": len(ids), "maxboxacc_v1": acc(v1).max(), "maxboxacc_v1_threshold": ts[int(np.argmax(v1))],
            "v2": [acc(v2[d]).max() for d in IOU_LEVELS],
            "v2_thresholds": [ts[int(np.argmax(v2[d]))] for d in IOU_LEVELS]}


if __name__ == "__main__":
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
    print(json.dumps(full_box_protocol(sys.argv[1], sys.argv[2], float(sys.argv[3]), limit)))
