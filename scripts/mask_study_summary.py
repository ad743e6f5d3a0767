"""Tables of the mask study (scripts/mask_study.sh, docs/RESULTS.md section 4) from its run folders:
per configuration the mean and standard deviation over seeds of full-protocol MaxBoxAccV2, crop
GT-known Loc and Top-1 Loc (the method's default class mode, and `--class-mode gt` where the run has an
eval-gt.json), Top-1 Cls, and the last epoch's map statistics (mean, 90th percentile and
fraction above 0.5 of Mf2 on training batches), and MaxBoxAccV2 minus cam's at the same seed (paired:
with --detach-generators --detach-f3, in runs made since the head is initialized before G1/G2,
every method of a seed shares cam's classifier, so this
difference is the masks' alone); where a run has an eval-fused.json (`--map fused`), its MaxBoxAccV2
and that minus the revived bas's fused one at the same seed.

usage: mask_study_summary.py STUDY_FOLDER   (run folders named CONFIG-sSEED; prints Markdown)"""
import os
import re
import statistics
import sys

import run_records

root = sys.argv[1]


def load(name):
    epochs = run_records.epochs(os.path.join(root, name))
    last = epochs[-1] if epochs else {}
    return {**run_records.evaluation(os.path.join(root, name)),
            "mf2": last.get("train_mf2_mean"), "p90": last.get("train_mf2_p90"),
            "above": last.get("train_mf2_above_half"),
            "mf2_by_epoch": [r.get("train_mf2_mean") for r in epochs]}


groups = {}
for d in sorted(os.listdir(root)):
    m = re.fullmatch(r"(.+)-s(\d+)", d)
    if m and os.path.isfile(os.path.join(root, d, "eval.json")):
        groups.setdefault(m.group(1), []).append({**load(d), "seed": int(m.group(2))})
cam_by_seed = {r["seed"]: r["v2"] for r in groups.get("cam", [])}
BAS = "bas-cls-only-seed-floor05-glr01"  # bas on the revived recipe, the baseline of the ablations
bas_fused_by_seed = {r["seed"]: r["v2_fused"] for r in groups.get(BAS, [])}


def paired(runs, key="v2", by_seed=None):
    """A MaxBoxAccV2 minus cam's (or another row's) at the same seed, over the seeds both have."""
    by_seed = cam_by_seed if by_seed is None else by_seed
    return [r[key] - by_seed[r["seed"]] for r in runs
            if by_seed.get(r["seed"]) is not None and r[key] is not None]


def fmt(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    return f"{statistics.mean(xs):.2f} ± {statistics.stdev(xs):.2f}" if len(xs) > 1 else f"{xs[0]:.2f}"


def fmt3(xs):
    xs = [x for x in xs if x is not None]
    return f"{statistics.mean(xs):.3f}" if xs else "-"


print("| configuration | seeds | MaxBoxAccV2 (full) | GT-known Loc (crop) | Top-1 Loc (crop) "
      "| GT-known / Top-1 Loc (crop, class mode gt) | Top-1 Cls | Mf2 mean / p90 / >0.5, last epoch "
      "| MaxBoxAccV2 - cam's, same seed | MaxBoxAccV2, --map fused | fused - bas's fused, same seed |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for name, runs in groups.items():
    maps = "-" if runs[0]["mf2"] is None else " / ".join(fmt3([r[k] for r in runs]) for k in ("mf2", "p90", "above"))
    gt = " / ".join(fmt([r[k] for r in runs]) for k in ("gt_known_gt", "top1_loc_gt"))
    print(f"| {name} | {len(runs)} | " + " | ".join(fmt([r[k] for r in runs]) for k in ("v2", "gt_known", "top1_loc"))
          + f" | {gt} | {fmt([r['top1'] for r in runs])} | {maps} | {fmt(paired(runs))}"
          + f" | {fmt([r['v2_fused'] for r in runs])} | {fmt(paired(runs, 'v2_fused', bas_fused_by_seed))} |")
print("\nMean of Mf2 per epoch (training batches, first seed):\n")
for name, runs in groups.items():
    m = runs[0]["mf2_by_epoch"]
    if m and m[-1] is not None:
        print(f"- {name}: " + ", ".join("-" if v is None else f"{v:.3f}" for v in m))
