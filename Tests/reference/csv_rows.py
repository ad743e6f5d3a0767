"""Reads a CSV file with Python's csv module (the reader users' tools share) and prints its records as
JSON, for the round trip of boxes.csv."""
import csv
import json
import sys

with open(sys.argv[2], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
with open(f"{sys.argv[1]}/rows.json", "w", encoding="utf-8") as out:
    json.dump(rows, out, ensure_ascii=False)
