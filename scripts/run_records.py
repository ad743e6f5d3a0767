"""What a finished run folder holds, for the study summaries: the evaluation and the epoch lines."""
import json
import os


def evaluation(run_dir):
    """The run's eval.json as the headline numbers of both protocols, and from eval-gt.json (the crop
    protocol with `--class-mode gt`, where the study wrote one) `gt_known_gt` and `top1_loc_gt`, and from
    eval-fused.json (the full protocol with `--map fused`) `v2_fused`."""
    with open(os.path.join(run_dir, "eval.json")) as f:
        e = json.load(f)
    record = {"v2": e["full"]["maxboxacc_v2"]["mean"], "gt_known": e["crop"]["gt_known_loc"],
              "top1_loc": e["crop"]["top1_loc"], "top1": e["crop"]["top1_cls"],
              "gt_known_gt": None, "top1_loc_gt": None}
    fused = os.path.join(run_dir, "eval-fused.json")
    record["v2_fused"] = None
    if os.path.isfile(fused):
        with open(fused) as f:
            record["v2_fused"] = json.load(f)["full"]["maxboxacc_v2"]["mean"]
    gt = os.path.join(run_dir, "eval-gt.json")
    if os.path.isfile(gt):
        with open(gt) as f:
            crop = json.load(f)["crop"]
        record.update(gt_known_gt=crop["gt_known_loc"], top1_loc_gt=crop["top1_loc"])
    return record


def epochs(run_dir):
    """The `kind: epoch` lines of log.jsonl, in order."""
    with open(os.path.join(run_dir, "log.jsonl")) as f:
        return [r for r in map(json.loads, f) if r.get("kind") == "epoch"]
