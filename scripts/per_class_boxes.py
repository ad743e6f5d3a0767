"""Per-class localization from `wsol export-maps --compare` (its boxes.csv): for each class, how many
images each model localizes (IoU >= 0.5 at the export's threshold) and their mean IoU. This is how the
mask study (docs/RESULTS.md section 4) saw that a mask method's maps live or die per class.

usage: per_class_boxes.py EXPORT/boxes.csv   (prints Markdown)"""
import collections
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
compare = "compare_iou" in rows[0]
stats = collections.defaultdict(lambda: {"n": 0, "hit": 0, "iou": 0.0, "chit": 0, "ciou": 0.0, "cls": 0})
for r in rows:
    s = stats[r["class_name"]]
    s["n"] += 1
    s["hit"] += int(r["correct_at_0.5"])
    s["iou"] += float(r["iou"])
    s["cls"] += r["predicted_class"] == r["class"]
    if compare:
        s["chit"] += int(r["compare_correct_at_0.5"])
        s["ciou"] += float(r["compare_iou"])
print("| class | images | localized (mean IoU) | top-1 correct |" + (" compared model: localized (mean IoU) |" if compare else ""))
print("| --- | --- | --- | --- |" + (" --- |" if compare else ""))
for name, s in sorted(stats.items()):
    line = f"| {name} | {s['n']} | {s['hit']} ({s['iou'] / s['n']:.2f}) | {s['cls']} |"
    if compare:
        line += f" {s['chit']} ({s['ciou'] / s['n']:.2f}) |"
    print(line)
