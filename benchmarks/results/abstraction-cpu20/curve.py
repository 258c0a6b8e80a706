"""Per-epoch table of run.sh's two runs: validation loss (each in its own tokens, so the two
columns do not compare), eval_snaps.sh's scores on all of test-inproject, and how many
outputs keep a placeholder the input did not have (unmapped: `VAR_7` where the input has
VAR_0..VAR_3) or run past 300 characters (the model repeating itself).

    python benchmarks/results/abstraction-cpu20/curve.py [R]   # writes curve.md, .json and .png here
"""
import json
import re
import sys
from pathlib import Path

RUNS = ("student-abs", "student-plain")
PLACEHOLDER = re.compile(r"\b(?:VAR|METHOD|TYPE|STRING)_\d+\b")
METRICS = ("exact_match", "exact_match_lenient", "f1", "codebleu", "token_accuracy", "similarity",
           "ast_validity")


def epochs(root: Path, runs=RUNS) -> dict:
    rows = {}
    for run in runs:
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
    rows = dict(sorted(rows.items(), key=lambda kv: (kv[1]["run"], kv[1]["epoch"])))
    # The snapshot of an epoch that did not improve the validation loss is the best earlier model
    best: dict[str, tuple[float, int]] = {}
    for row in rows.values():
        if "valid_loss" not in row:
            continue
        loss, epoch = best.get(row["run"], (float("inf"), 0))
        if row["valid_loss"] < loss:
            best[row["run"]] = (row["valid_loss"], row["epoch"])
        else:
            row["scored_model_epoch"] = epoch
    return rows


def markdown(rows: dict) -> str:
    head = ["run", "epoch", "valid loss", "EM", "EM lenient", "F1", "CodeBLEU", "token acc.", "similarity",
            "AST valid", "unmapped placeholder", "> 300 chars"]
    lines = ["| " + " | ".join(head) + " |", "| --- | " + " | ".join("---:" for _ in head[1:]) + " |"]
    for row in rows.values():
        epoch = str(row["epoch"]) + (f" (epoch {row['scored_model_epoch']}'s model)" if "scored_model_epoch" in row else "")
        cells = [row["run"], epoch] + [
            f"{row[k]:.3f}" if k in row else "—" for k in ("valid_loss", *METRICS)] + [
            str(row.get(k, "—")) for k in ("unmapped_placeholder", "over_300_chars")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def references(root: Path) -> dict:
    """{model: scores} of copyable.py's reference report (R/ref), if it was made."""
    tables = root / "ref" / "tables.json"
    return json.loads(tables.read_text())["splits"]["test-inproject"] if tables.exists() else {}


def plot(rows: dict, refs: dict, out_png: Path, runs=RUNS) -> None:
    """Exact match and CodeBLEU on test-inproject against epochs, one line per run, the
    references (the shipped student, the retrieval baseline) as horizontal lines."""
    from workbench.plots import pyplot

    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, metric, title in zip(axes, ("exact_match", "codebleu"), ("exact match", "CodeBLEU")):
        for run in runs:
            points = [(r["epoch"], r[metric]) for r in rows.values()
                      if r["run"] == run and metric in r and "scored_model_epoch" not in r]
            if points:
                ax.plot(*zip(*points), marker="o", label=run)
        for (name, scores), style in zip(refs.items(), (":", "--")):
            ax.axhline(scores[metric], color="grey", linestyle=style, label=f"{name} (reference)")
        ax.set(xlabel="epoch", title=f"{title}, all of test-inproject")
        ax.legend()
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/runs/cpu-abs20")
    here = Path(__file__).parent
    rows = epochs(root)
    (here / "curve.json").write_text(json.dumps(rows, indent=1) + "\n")
    (here / "curve.md").write_text(markdown(rows))
    plot(rows, references(root), here / "curve.png")
    print(markdown(rows), end="")
