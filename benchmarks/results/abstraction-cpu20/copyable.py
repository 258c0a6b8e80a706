"""Exact match of each scored epoch on the test-inproject records whose gold assertions use
only idioms and names of their own input (the "copyable" ones, where abstraction can be
exactly right), and on the rest.

    python benchmarks/results/abstraction-cpu20/copyable.py DATA.jsonl.gz [R]   # writes copyable.md here
"""
import json
import sys
from pathlib import Path

from assertgen.abstraction import Abstraction, abstraction_of
from assertgen.prompt import record_input
from workbench.data import load_records

if __name__ == "__main__":
    data, root = Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "/work/runs/cpu-abs20")
    records = load_records(str(data))
    metadata = json.loads(next(root.glob("snap/student-abs-*/assertgen.json")).read_text())
    abstraction: Abstraction = abstraction_of(metadata)
    copyable = set()
    for record in records:
        _, names = abstraction.input(record_input(record))
        target = Abstraction.target("\n".join(record["assertions"]), names)
        if abstraction.input(target)[1].keys() <= set(names.values()):  # nothing left to abstract
            copyable.add(record["id"])
    lines = [f"test-inproject: {len(copyable)} of {len(records)} records copyable "
             f"({len(copyable) / len(records):.1%})", "",
             "| model | EM on the copyable | EM on the rest |", "| --- | ---: | ---: |"]
    # eval_snaps.sh's scores of each epoch, and the references (`workbench report --model
    # shipped=default --model baseline-ir=baseline-ir ... --out R/ref`)
    def run_and_epoch(path: Path):  # student-abs-ep10 after ep9
        name, _, epoch = path.parent.name.rpartition("-ep")
        return (name, int(epoch)) if epoch.isdigit() else (path.parent.name, 0)

    for per_example in sorted(root.glob("ref/eval/test-inproject/*/per_example.jsonl")) + sorted(
            root.glob("reports/*/eval/test-inproject/*/per_example.jsonl"), key=run_and_epoch):
        rows = [json.loads(line) for line in per_example.read_text().splitlines()]
        hit = [r["exact_match"] for r in rows if r["id"] in copyable]
        rest = [r["exact_match"] for r in rows if r["id"] not in copyable]
        lines.append(f"| {per_example.parent.name} | {sum(hit) / len(hit):.3f} ({int(sum(hit))}) "
                     f"| {sum(rest) / len(rest):.3f} ({int(sum(rest))}) |")
    (Path(__file__).parent / "copyable.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
