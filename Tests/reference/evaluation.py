"""Golden values for the evaluator: numpy's threshold lists, OpenCV's boxes on random maps, map
preparation for both protocols, and whole-dataset MaxBoxAcc / MaxBoxAccV2 / PxAP."""
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wsoleval_ref as ref  # noqa: E402

out = sys.argv[1]
rng = np.random.default_rng(6)
save = lambda name, a: np.save(os.path.join(out, name + ".npy"), a)

save("thresholds_0.01", np.arange(0, 1, 0.01))
save("thresholds_0.001", np.arange(0, 1, 0.001))
save("thresholds_0.03", np.arange(0, 1, 0.03))


def blob_map(h, w, blobs, noise=0.0, ring=False):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    m = np.zeros((h, w))
    for _ in range(blobs):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        sy, sx = rng.uniform(h / 20, h / 4), rng.uniform(w / 20, w / 4)
        d = ((yy - cy) / sy) ** 2 + ((xx - cx) / sx) ** 2
        m += rng.uniform(0.3, 1) * (np.exp(-(d - 2) ** 2) if ring else np.exp(-d))
    m += noise * rng.random((h, w))
    m = (m - m.min()) / (m.max() - m.min())
    return m.astype(np.float32)


# Boxes on random maps of odd sizes: every contour, and the largest, at every threshold.
ts = ref.thresholds(0.01)
for i in range(12):
    h, w = int(rng.integers(20, 90)), int(rng.integers(20, 90))
    m = blob_map(h, w, int(rng.integers(1, 5)), noise=[0, 0.05, 0.3][i % 3], ring=(i % 4 == 1))
    save(f"boxmap_{i}", m)
    for mode, all_contours in (("all", True), ("largest", False)):
        rows = [[ti] + b for ti, boxes in enumerate(ref.boxes_at_thresholds(m, ts, all_contours)) for b in boxes]
        save(f"boxes_{mode}_{i}", np.asarray(rows, dtype=np.int64))

# Two contours of equal area: the largest is whichever OpenCV lists first (Python's max keeps it).
tie = np.zeros((8, 10), np.float32)
tie[1:3, 1:3] = 1
tie[5:7, 6:8] = 1
save("tie_map", tie)
save("tie_box", np.asarray(ref.boxes_at_thresholds(tie, [0.0], False)[0][0], dtype=np.int64))

# A float64 map whose values sit just below multiples of 1/255 and just below threshold edges:
# numpy quantizes and bins it in double; narrowed to float32 it would quantize (and bin) otherwise.
m64 = np.round(blob_map(40, 50, 3).astype(np.float64) * 255) / 255 - 1e-13
m64 = np.clip(m64, 0, 1)
m64[0, :20] = np.asarray(ts[40:60]) - 1e-12
save("map64", m64)
save("map64_differs_as_float32", np.asarray([int(((m64.astype(np.float32) * 255).astype(np.uint8)
                                                   != (m64 * 255).astype(np.uint8)).any())]))
for mode, all_contours in (("all", True), ("largest", False)):
    rows = [[ti] + b for ti, boxes in enumerate(ref.boxes_at_thresholds(m64, ts, all_contours)) for b in boxes]
    save(f"map64_boxes_{mode}", np.asarray(rows, dtype=np.int64))
save("map64_histogram", np.histogram(m64, bins=np.append(ts, [1.0, 2.0, 3.0]))[0].astype(np.int64))

# Map preparation and the crop protocol's largest-component box.
for i in range(6):
    raw = (blob_map(14, 14, int(rng.integers(1, 4)), noise=0.2) * rng.uniform(1, 30) - 3).astype(np.float32)
    save(f"raw_{i}", raw)
    full = cv2.resize(raw, (224, 224), interpolation=cv2.INTER_CUBIC)
    full = np.zeros_like(full) if full.min() == full.max() else (full - full.min()) / (full - full.min()).max()
    save(f"full_prep_{i}", full)
    crop = (raw - raw.min()) / (raw.max() - raw.min() + 1e-5)
    crop = cv2.resize(crop, (224, 224), interpolation=cv2.INTER_LINEAR)
    save(f"crop_prep_{i}", crop)
    boxes = []
    for thr in (0.1, 0.25, 0.45, 0.7):
        count, labels, stats, _ = cv2.connectedComponentsWithStats((crop > thr).astype(np.uint8), connectivity=8)
        if count < 2:
            boxes.append([0, 0, 224, 224])
            continue
        flat = labels.ravel()
        first = {lab: int(np.argmax(flat == lab)) for lab in range(1, count)}
        best = min(range(1, count), key=lambda lab: (-stats[lab, cv2.CC_STAT_AREA], first[lab]))
        x, y, w, h = stats[best, :4]
        boxes.append([x, y, x + w, y + h])
    save(f"crop_box_{i}", np.asarray(boxes, dtype=np.int64))


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("".join(line + "\n" for line in lines))


# A box dataset in wsolevaluation's layout, maps as <image id>.npy.
ids, sizes, locs = [], [], []
for i in range(24):
    image_id = f"{i % 3:03d}.Class{i % 3}/img_{i}.jpg"
    w, h = int(rng.integers(120, 500)), int(rng.integers(120, 500))
    ids.append(image_id)
    sizes.append(f"{image_id},{w},{h}")
    m = blob_map(224, 224, int(rng.integers(1, 4)), noise=[0, 0.1][i % 2])
    for _ in range(1 + (i % 4 == 0)):
        # A box near the map's strong region, jittered, in original-image pixels.
        ys, xs = np.nonzero(m > rng.uniform(0.2, 0.6))
        sx, sy = w / 224, h / 224
        x0 = max(0, int((xs.min() + rng.integers(-15, 15)) * sx))
        y0 = max(0, int((ys.min() + rng.integers(-15, 15)) * sy))
        x1 = min(w - 1, max(x0 + 5, int((xs.max() + rng.integers(-15, 15)) * sx)))
        y1 = min(h - 1, max(y0 + 5, int((ys.max() + rng.integers(-15, 15)) * sy)))
        locs.append(f"{image_id},{x0},{y0},{x1},{y1}")
    os.makedirs(os.path.join(out, "boxset/maps", os.path.dirname(image_id)), exist_ok=True)
    np.save(os.path.join(out, "boxset/maps", image_id + ".npy"), m)
# Ground truth as written, as wsolevaluation reads it: a box overshooting its image by 1 px (not
# clipped) and a zero-width box (allowed).
w1, h1 = map(int, sizes[1].split(",")[1:])
locs.append(f"{ids[1]},{w1 // 2},0,{w1 + 1},{h1 + 1}")
x2 = int(sizes[2].split(",")[1]) // 3
locs.append(f"{ids[2]},{x2},5,{x2},60")
write(f"{out}/boxset/metadata/image_ids.txt", ids)
write(f"{out}/boxset/metadata/image_sizes.txt", sizes)
write(f"{out}/boxset/metadata/localization.txt", locs)
write(f"{out}/boxset/metadata/class_labels.txt", [f"{i},{int(i[:3])}" for i in ids])
for interval in (0.01, 0.03):
    r = ref.full_box_protocol(f"{out}/boxset/metadata", f"{out}/boxset/maps", interval)
    save(f"boxset_{interval}", np.asarray([r["maxboxacc_v1"]] + r["v2"] + r["v2_thresholds"] + [r["maxboxacc_v1_threshold"]], dtype=np.float64))

# A mask dataset: instance masks and ignore masks of the images' own sizes, resized nearest.
ids, locs = [], []
interval = 0.01
edges = np.append(ref.thresholds(interval), [1.0, 2.0, 3.0])
true_hist = np.zeros(len(edges) - 1)
false_hist = np.zeros(len(edges) - 1)
for i in range(8):
    image_id = f"val/img_{i}.jpg"
    ids.append(image_id)
    h, w = int(rng.integers(100, 300)), int(rng.integers(100, 300))
    instances = []
    for k in range(1 + i % 2):
        mask = np.zeros((h, w), np.uint8)
        y0, x0 = int(rng.integers(0, h // 2)), int(rng.integers(0, w // 2))
        mask[y0:y0 + h // 3, x0:x0 + w // 3] = 255
        name = f"masks/img_{i}_{k}.png"
        os.makedirs(f"{out}/maskset/root/masks", exist_ok=True)
        cv2.imwrite(f"{out}/maskset/root/{name}", mask)
        instances.append(cv2.resize(mask, (224, 224), interpolation=cv2.INTER_NEAREST) > 0.5)
        locs.append(f"{image_id},{name},{f'masks/img_{i}_ignore.png' if k == 0 else ''}")
    ignore = np.zeros((h, w), np.uint8)
    ignore[h // 2:, : w // 2] = 255
    cv2.imwrite(f"{out}/maskset/root/masks/img_{i}_ignore.png", ignore)
    fg = np.stack(instances).any(0)
    ig = np.logical_and(cv2.resize(ignore, (224, 224), interpolation=cv2.INTER_NEAREST) > 0.5, ~fg)
    m = blob_map(224, 224, 2, noise=0.2)
    m[0, 0] = 1.0  # a score exactly 1 lands in the [1, 2) bin
    os.makedirs(f"{out}/maskset/maps/val", exist_ok=True)
    np.save(f"{out}/maskset/maps/{image_id}.npy", m)
    true_hist += np.histogram(m[fg & ~ig], bins=edges)[0]
    false_hist += np.histogram(m[~fg & ~ig], bins=edges)[0]
write(f"{out}/maskset/metadata/image_ids.txt", ids)
write(f"{out}/maskset/metadata/localization.txt", locs)
write(f"{out}/maskset/metadata/class_labels.txt", [f"{i},0" for i in ids])
write(f"{out}/maskset/metadata/image_sizes.txt", [])
tp = true_hist[::-1].cumsum()
fp = false_hist[::-1].cumsum()
precision = tp / np.where(tp + fp == 0, np.nan, tp + fp)
recall = tp / true_hist.sum()
nonzero = (tp + fp) != 0
save("maskset_pxap", np.asarray([100 * (precision[1:] * np.diff(recall))[nonzero[1:]].sum()]))
