"""The demo's final table (scripts/demo.sh): per method the map that localizes, the crop protocol's Top-1
Cls, GT-known Loc and Top-1 Loc, the full-image protocol's MaxBoxAccV2 and PxAP, and for bas and sfpnsc
the mean of Mf2 over the last epoch's training batches (near 0 when a mask collapses: docs/RESULTS.md),
from each run's eval.json and log.jsonl; above it, where the backbone came from.

usage: demo_table.py DEMO_FOLDER [WEIGHTS]   (prints Markdown)"""
import json
import os
import sys

out = sys.argv[1]
weights = sys.argv[2] if len(sys.argv) > 2 else ""


def load(path):
    with open(path) as f:
        return json.load(f)


def last_epoch(run):
    last = None
    with open(os.path.join(run, "log.jsonl")) as f:
        for line in f:
            record = json.loads(line)
            if record.get("kind") == "epoch":
                last = record
    return last or {}


def pct(value):
    return "-" if value is None else f"{value:.2f}"


if weights:
    print(f"Backbone: {weights} (WEIGHTS)")
else:
    pretrain = load(os.path.join(out, "pretrain", "eval.json"))
    pre = pretrain["classification"]
    classes = load(os.path.join(out, "pretrain", "config.json"))["data"]["classes"]
    print(f"Backbone: resnet18 pretrained here on {classes} photographed classes (other composites of the birds "
          "among them): "
          f"top-1 {pre['top1_cls']:.1f}%, top-5 {pre['top5_cls']:.1f}% on its {pretrain['images']} test images")
print()
print("| method | map | Top-1 Cls | GT-known Loc | Top-1 Loc | MaxBoxAccV2 | PxAP | mean Mf2 (last epoch) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for method in ("cam", "bas", "sfpnsc"):
    run = os.path.join(out, "runs", method)
    e = load(os.path.join(run, "eval.json"))
    crop, full = e["crop"], e["full"]
    mf2 = last_epoch(run).get("train_mf2_mean")
    print(f"| {method} | {e.get('map', '-')} | {pct(crop['top1_cls'])} | {pct(crop['gt_known_loc'])} | {pct(crop['top1_loc'])} | "
          f"{pct(full['maxboxacc_v2']['mean'])} | {pct(full.get('pxap'))} | "
          f"{'-' if mf2 is None else f'{mf2:.3f}'} |")
test = load(os.path.join(out, "runs", "cam", "eval.json"))["images"]
print(f"\n{test} test images of the 12 bird classes; crop protocol (ten-crop classification, threshold "
      "0.1, the ground-truth class's map for every method) for Top-1 Cls, GT-known Loc and Top-1 Loc, "
      "full-image protocol (wsolevaluation) for MaxBoxAccV2 and PxAP.")
