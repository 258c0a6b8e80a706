"""A switch between the model alone and kNN decoding by the nearest training test's TF-IDF
similarity: kNN where it is at least S, the model alone elsewhere. Thresholds compared on the
400 test-inproject records that probe_knn.py chose its settings on (seed 0) and on the other
1,605, from the per-record scores of `workbench report --knn` (stop 28):

    python benchmarks/results/knn/gate.py REPORT_DIR $D
"""

import json
import random
import sys
from pathlib import Path

from assertgen.retrieval import Retriever
from workbench.data import load_records

report, data = Path(sys.argv[1]) / "eval" / "test-inproject", Path(sys.argv[2])
train = load_records(data / "train.jsonl.gz")
records = load_records(data / "test-inproject.jsonl.gz")
_, similarity = Retriever().fit(train).top(records, 1)


def exact(row: str) -> dict:
    lines = (report / row / "per_example.jsonl").read_text().splitlines()
    return {r["id"]: r["exact_match"] for r in map(json.loads, lines)}


model, knn, baseline = exact("shipped-pt"), exact("shipped-pt+knn"), exact("baseline-ir")
chosen = {records[i]["id"] for i in random.Random(0).sample(range(len(records)), 400)}
parts = {"the 400": [], "the other 1,605": []}
for record, (sim,) in zip(records, similarity):
    parts["the 400" if record["id"] in chosen else "the other 1,605"].append((record["id"], float(sim)))
print("| kNN where similarity >= | " + " | ".join(parts) + " |\n| ---: |" + " ---: |" * len(parts))
for threshold in (0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01):
    cells = [sum(knn[i] if sim >= threshold else model[i] for i, sim in ids) / len(ids) for ids in parts.values()]
    print(f"| {threshold:g} | " + " | ".join(f"{c:.4f}" for c in cells) + " |")
print("| baseline-ir | " + " | ".join(f"{sum(baseline[i] for i, _ in ids) / len(ids):.4f}" for ids in parts.values()) + " |")
