"""What a finished run folder holds, for the study summaries: the evaluation and the epoch lines."""
import json
import os


def evaluation(run_dir):
    """The run's eval.json as the headline numbers of both protocols."""
    with open(os.path.join(run_dir, "eval.json")) as f:
        e = json.load(f)
    return {"v2": e["full"]["maxboxacc_v2"]["mean"], "gt_known": e["crop"]["gt_known_loc"],
            "top1_loc": e["crop"]["top1_loc"], "top1": e["crop"]["top1_cls"]}


def epochs(run_dir):
    """The `kind: epoch` lines of log.jsonl, in order."""
    with open(os.path.join(run_dir, "log.jsonl")) as f:
        return [r for r in map(json.loads, f) if r.get("kind") == "epoch"]
