"""Per-epoch table of run.sh's two runs: validation loss (each in its own tokens, so the two
columns do not compare), eval_snaps.sh's scores on all of test-inproject, and how many
outputs keep a placeholder the input did not have (unmapped: `VAR_7` where the input has
VAR_0..VAR_3) or run past 300 characters (the model repeating itself).

    python benchmarks/results/abstraction-cpu20/curve.py [R]   # writes curve.md and curve.json here
"""
import json
import re
import sys
from pathlib import Path

RUNS = ("student-abs", "student-plain")
PLACEHOLDER = re.compile(r"\b(?:VAR|METHOD|TYPE|STRING)_\d+\b")
METRICS = ("exact_match", "exact_match_lenient", "f1", "codebleu", "token_accuracy", "similarity",
           "ast_validity")


def epochs(root: Path) -> dict:
    rows = {}
    for run in RUNS:
        log = root / run / "training" / "log.jsonl"
        for line in log.read_text().splitlines() if log.exists() else []:
            row = json.loads(line)
            if row["type"] == "valid":
                rows.setdefault(f"{run}-ep{row['epoch']}", {"run": run, "epoch": row["epoch"]})[
                    "valid_loss"] = row["valid_loss"]
    for tables in root.glob("reports/*/tables.json"):
        name = tables.parent.name
        run, epoch = re.fullmatch(r"(.*)-ep(\d+)", name).groups()
        scores = json.loads(tables.read_text())["splits"]["test-inproject"][name]
        row = rows.setdefault(name, {"run": run, "epoch": int(epoch)})
        row.update({m: scores[m] for m in METRICS})
        predictions = tables.parent / "eval" / "test-inproject" / name / "predictions.jsonl"
        outputs = [" ".join(json.loads(line)["prediction"]) for line in predictions.read_text().splitlines()]
        row["unmapped_placeholder"] = sum(bool(PLACEHOLDER.search(o)) for o in outputs)
        row["over_300_chars"] = sum(len(o) > 300 for o in outputs)
    return dict(sorted(rows.items(), key=lambda kv: (kv[1]["run"], kv[1]["epoch"])))


def markdown(rows: dict) -> str:
    head = ["run", "epoch", "valid loss", "EM", "EM lenient", "F1", "CodeBLEU", "token acc.", "similarity",
            "AST valid", "unmapped placeholder", "> 300 chars"]
    lines = ["| " + " | ".join(head) + " |", "| --- | " + " | ".join("---:" for _ in head[1:]) + " |"]
    for row in rows.values():
        cells = [row["run"], str(row["epoch"])] + [
            f"{row[k]:.3f}" if k in row else "—" for k in ("valid_loss", *METRICS)] + [
            str(row.get(k, "—")) for k in ("unmapped_placeholder", "over_300_chars")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/runs/cpu-abs20")
    here = Path(__file__).parent
    rows = epochs(root)
    (here / "curve.json").write_text(json.dumps(rows, indent=1) + "\n")
    (here / "curve.md").write_text(markdown(rows))
    print(markdown(rows), end="")
