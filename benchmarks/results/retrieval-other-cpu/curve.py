"""Per-epoch table of run.sh's retrieval student beside its plain control (abstraction-cpu20's
student-plain, the same settings without retrieval), both scored on all of test-inproject by
eval_snaps.sh, with how often each writes exactly the assertions of the test's nearest training
test (what the retrieval student is given) and how many of the 104 tests those assertions get
right it gets right too. A student that learned to copy its neighbour moves both columns.

    python benchmarks/results/retrieval-other-cpu/curve.py [R] [CONTROL_R]
    # writes curve.md, .json and .png here; R/ref (or CONTROL_R/ref) must hold a report of the
    # shipped student and baseline-ir on all of test-inproject, as the results README's
    # "Identifier abstraction against plain training" makes it (`workbench report ... --out R/ref`)
"""
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location("curve20", HERE.parent / "abstraction-cpu20" / "curve.py")
curve20 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(curve20)

RUN, CONTROL = "student-ret-other", "student-plain"


def outputs(predictions: Path) -> dict:
    return {row["id"]: row["prediction"] for row in map(json.loads, predictions.read_text().splitlines())}


def exact(per_example: Path) -> set:
    return {row["id"] for row in map(json.loads, per_example.read_text().splitlines()) if row["exact_match"] == 1}


def add_copying(rows: dict, root: Path, baseline_dir: Path) -> None:
    neighbour = outputs(baseline_dir / "predictions.jsonl")
    neighbour_right = exact(baseline_dir / "per_example.jsonl")
    for name, row in rows.items():
        scored = root / "reports" / name / "eval" / "test-inproject" / name
        if not (scored / "predictions.jsonl").exists():
            continue
        mine = outputs(scored / "predictions.jsonl")
        row["same_as_neighbour"] = sum(mine[i] == neighbour[i] for i in neighbour)
        row["right_where_neighbour_right"] = len(exact(scored / "per_example.jsonl") & neighbour_right)


def markdown(rows: dict) -> str:
    columns = (("valid_loss", "valid loss"), ("exact_match", "EM"), ("f1", "F1"), ("codebleu", "CodeBLEU"),
               ("ast_validity", "AST valid"))
    head = ["run", "epoch", *(title for _, title in columns), "same as neighbour", "right where neighbour right"]
    lines = ["| " + " | ".join(head) + " |", "| --- | " + " | ".join("---:" for _ in head[1:]) + " |"]
    for row in rows.values():
        epoch = str(row["epoch"]) + (f" (epoch {row['scored_model_epoch']}'s model)" if "scored_model_epoch" in row else "")
        cells = [row["run"], epoch] + [f"{row[k]:.3f}" if k in row else "—" for k, _ in columns] + [
            str(row.get(k, "—")) for k in ("same_as_neighbour", "right_where_neighbour_right")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/runs/ret-other-scratch")
    control_root = Path(sys.argv[2] if len(sys.argv) > 2 else "/work/runs/cpu-abs20")
    ref = next(r / "ref" for r in (root, control_root) if (r / "ref" / "tables.json").exists())
    baseline_dir = ref / "eval" / "test-inproject" / "baseline-ir"
    rows = {k: v for k, v in curve20.epochs(root, (RUN,)).items() if v["run"] == RUN}
    control = {k: v for k, v in curve20.epochs(control_root, (CONTROL,)).items() if v["run"] == CONTROL}
    add_copying(rows, root, baseline_dir)
    add_copying(control, control_root, baseline_dir)
    rows.update(control)
    (HERE / "curve.json").write_text(json.dumps(rows, indent=1) + "\n")
    (HERE / "curve.md").write_text(markdown(rows))
    curve20.plot(rows, curve20.references(ref.parent), HERE / "curve.png", runs=(RUN, CONTROL))
    print(markdown(rows), end="")
