"""Collect finished training runs into one results folder: runs.json and valid_loss.png.

    python benchmarks/scripts/collect_runs.py --out benchmarks/results/gpu-stop11 \
        student-gold=runs/gpu-train/student-gold student-copy3=runs/gpu-train/student-copy3 ...

runs.json holds, per run and stage (a copy warm-up, then gold), the run's done.json and its
validation rows. valid_loss.png draws every run's validation loss against the epochs it
has trained in all (a copy warm-up's epochs first, dashed), so runs compare at equal epochs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.plots import read_log

STAGES = (("copy", "copy-warmup/training"), ("gold", "training"))


def load_run(run_dir: Path) -> list[dict]:
    stages = []
    for stage, sub in STAGES:
        folder = run_dir / sub
        if not (folder / "log.jsonl").exists():
            continue
        rows = read_log(folder / "log.jsonl")
        done = folder / "done.json"
        stages.append({"stage": stage, "done": json.loads(done.read_text()) if done.exists() else None,
                       "valid": [r for r in rows if r.get("type") == "valid"]})
    return stages


def plot(runs: dict[str, list[dict]], out_png: Path) -> None:
    from workbench.plots import pyplot

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 5))
    for name, stages in runs.items():
        offset, color = 0, None
        for stage in stages:
            epochs = [offset + r["epoch"] for r in stage["valid"]]
            line, = ax.plot(epochs, [r["valid_loss"] for r in stage["valid"]], marker=".",
                            linestyle="--" if stage["stage"] == "copy" else "-", color=color,
                            label=name if color is None else None)
            color = line.get_color()
            offset = epochs[-1] if epochs else offset
    ax.set_xlabel("epochs trained (copy warm-up dashed: its loss is on the copy task)")
    ax.set_ylabel("validation loss")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_png, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="results folder")
    parser.add_argument("runs", nargs="+", metavar="NAME=RUN_DIR")
    args = parser.parse_args()
    runs = {}
    for spec in args.runs:
        name, sep, path = spec.partition("=")
        if not sep or not (Path(path) / "training").is_dir():
            sys.exit(f"error: {spec}: expected NAME=RUN_DIR with a training/ folder")
        runs[name] = load_run(Path(path))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "runs.json").write_text(json.dumps(runs, indent=1) + "\n")
    plot(runs, out / "valid_loss.png")
    print(f"wrote {out / 'runs.json'} and {out / 'valid_loss.png'}")


if __name__ == "__main__":
    main()
