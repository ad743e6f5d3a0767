"""Tables of the training study from its run folders: per method the mean and standard deviation over
seeds of full-protocol MaxBoxAccV2, crop GT-known Loc and top-1 classification, each variant's numbers,
and the mean of Mf2 per epoch (where the collapse METHOD.md's "Measured risk" describes shows first).

usage: study_summary.py STUDY_FOLDER   (prints Markdown)"""
import os
import statistics
import sys

import run_records

root = sys.argv[1]
runs = sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "eval.json")))


def load(name):
    epochs = run_records.epochs(os.path.join(root, name))
    return {**run_records.evaluation(os.path.join(root, name)),
            "mf2": [r.get("train_mf2_mean") for r in epochs], "cos_bg": [r.get("train_cos_s_bg") for r in epochs]}


results = {name: load(name) for name in runs}
fmt = lambda xs: f"{statistics.mean(xs):.2f} ± {statistics.stdev(xs):.2f}" if len(xs) > 1 else f"{xs[0]:.2f}"
print("| method | seeds | MaxBoxAccV2 (full) | GT-known Loc (crop) | Top-1 Loc (crop) | Top-1 Cls |")
print("| --- | --- | --- | --- | --- | --- |")
for method in ("cam", "bas", "sfpnsc"):
    seeds = [results[n] for n in runs if n.startswith(method + "-s")]
    if seeds:
        print(f"| {method} | {len(seeds)} | " + " | ".join(fmt([s[k] for s in seeds]) for k in
                                                          ("v2", "gt_known", "top1_loc", "top1")) + " |")
variants = [n for n in runs if n.count("-") > 1]
if variants:
    print("\n| variant (seed 1) | MaxBoxAccV2 | GT-known Loc | Top-1 Cls | mean Mf2, last epoch | cos(S, S_bg), last epoch |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n in ["sfpnsc-s1"] + variants:
        r = results.get(n)
        if r:
            last = lambda xs: f"{xs[-1]:.3f}" if xs and xs[-1] is not None else "-"
            print(f"| {n} | {r['v2']:.2f} | {r['gt_known']:.2f} | {r['top1']:.2f} | {last(r['mf2'])} | {last(r['cos_bg'])} |")
print("\nMean of Mf2 per epoch (training batches):\n")
for n in runs:
    m = results[n]["mf2"]
    if m and m[0] is not None:
        print(f"- {n}: " + ", ".join(f"{v:.3f}" for v in m))
