"""Figures: training curves, and the study's comparison plots from a sweep summary.

`workbench plot --summary runs/sweep/summary.json --out DIR` writes:

- `core_metrics.png`: grouped bars of precision, recall, F1 and exact match per
  configuration (the study's Figures 2 and 4);
- `code_metrics.png`: grouped bars of CodeBLEU, token accuracy, sequence similarity and AST
  validity per configuration (Figures 3 and 5);
- `metrics_vs_alpha.png` / `metrics_vs_temperature.png`: each metric against alpha /
  temperature, one line per metric (Hristov's figures), from the rows of the `alpha`
  preset, holding the other parameter at its most common value and the training schedule
  (the grid block's `tag`, the number of training records) fixed; written when at least two
  values were swept on one schedule. One panel per student when several students were swept;
- `valid_loss.png`: each student's best validation loss (gold CE), when the summary has it
  (`workbench sweep` records it): what separates short runs whose decoded metrics are all
  near zero.

The summary is the sweep's JSON list of flat rows (`run`, `preset`, `alpha`, `temperature`,
`student` and the metric summary keys) or its CSV twin.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from assertgen.atomic import atomic_output, make_dir
from assertgen.errors import UserError

CORE = [("precision", "Precision"), ("recall", "Recall"), ("f1", "F1"), ("exact_match", "Exact match")]
CODE = [("codebleu", "CodeBLEU"), ("token_accuracy", "Token accuracy"),
        ("similarity", "Seq. similarity"), ("ast_validity", "AST validity")]


def pyplot():
    """matplotlib.pyplot for files (Agg backend, no display), in the project's one style."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    return plt


def save_figure(fig, path, dpi: int = 110) -> Path:
    """Write `fig` as a PNG at `path` whole (an interrupted run leaves the old file or none,
    not a cut-off image) and close it."""
    import matplotlib.pyplot as plt

    with atomic_output(path) as tmp:
        fig.savefig(tmp, dpi=dpi, format="png")
    plt.close(fig)
    return Path(path)


def read_log(log_path) -> list[dict]:
    """The rows of a run's training/log.jsonl (`Trainer`): train rows per logged step,
    valid rows per epoch."""
    return [json.loads(line) for line in Path(log_path).read_text().splitlines() if line.strip()]


def training_curves(log_path, out_png) -> Path | None:
    """Train loss (and its parts) per step, validation loss and metrics per epoch, as one PNG."""
    log_path, out_png = Path(log_path), Path(out_png)
    if not log_path.exists():
        return None
    rows = read_log(log_path)
    train = [r for r in rows if r.get("type") == "train"]
    valid = [r for r in rows if r.get("type") == "valid"]
    if not train and not valid:
        return None
    plt = pyplot()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
    # A part equal to the loss at every step (ce_gold of a gold-only run) is named in the
    # loss's label, not drawn: drawn, it hid the loss line under its own.
    same = [key for key in ("ce_gold", "ce_teacher", "kl")
            if train and all(key in r and r[key] == r.get("loss") for r in train)]
    for key in ("loss", "ce_gold", "ce_teacher", "kl"):
        pts = [(r["step"], r[key]) for r in train if key in r]
        if pts and key not in same:
            label = f"loss (= {', '.join(same)})" if key == "loss" and same else key
            ax1.plot(*zip(*pts), label=label, linewidth=1.5 if key == "loss" else 1.0)
    pts = [(r["step"], r["valid_loss"]) for r in valid if "valid_loss" in r]
    if pts:
        ax1.plot(*zip(*pts), "o-", label="valid_loss")
    ax1.set(xlabel="optimizer step", ylabel="loss", title="Loss")
    ax1.legend()
    for key in ("exact_match", "f1", "ast_validity", "similarity"):
        pts = [(r["epoch"], r[key]) for r in valid if key in r]
        if pts:
            ax2.plot(*zip(*pts), "o-", label=key)
    lr = [(r["epoch"], r["lr"]) for r in valid if "lr" in r]
    if not ax2.lines:  # no generation metrics (train.valid_generate = 0): the rate alone
        # (an empty 0-1 "Validation metrics" axis beside it read as scores that were lost)
        if lr:
            ax2.plot(*zip(*lr), "k--", linewidth=0.8)
        ax2.set(xlabel="epoch", ylabel="learning rate",
                title="Learning rate (no generation metrics: train.valid_generate = 0)")
        lr = []
    else:
        ax2.set(xlabel="epoch", ylabel="score", title="Validation metrics", ylim=(-0.02, 1.02))
        ax2.legend(loc="upper left")
    if lr:
        ax3 = ax2.twinx()
        ax3.plot(*zip(*lr), "k--", linewidth=0.8, label="lr")
        ax3.set_ylabel("learning rate")
        ax3.grid(False)
    fig.tight_layout()
    save_figure(fig, out_png)
    return out_png


def load_summary(path) -> list[dict]:
    """Rows of a sweep summary (.json list or .csv)."""
    path = Path(path)
    if not path.exists():
        raise UserError("summary not found", str(path))
    try:
        if path.suffix == ".csv":
            with open(path, newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
        else:
            rows = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise UserError(f"not JSON: {err}", str(path), err.lineno) from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:  # a directory, not UTF-8, not CSV
        raise UserError(f"cannot read: {getattr(err, 'strerror', None) or err}", str(path)) from None
    if path.suffix == ".csv":
        for row in rows:
            for k, v in row.items():
                try:
                    row[k] = float(v) if v not in ("", None) else None
                except (ValueError, TypeError):
                    pass
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise UserError("expected a JSON list of row objects (a sweep summary)", str(path))
    if not rows:
        raise UserError("the summary holds no rows", str(path))
    return rows


def _num(v):
    return float(v) if isinstance(v, (int, float)) else float("nan")


def score_axis(highest: float) -> tuple[tuple[float, float], str]:
    """(y limits, y label) for scores in [0, 1] whose largest is `highest`: scores near 0
    (weak models) would be flat bars on a 0-1 axis, so the axis zooms in, and says so."""
    if highest >= 0.6:
        return (0.0, 1.1), "score"
    return (0.0, max(0.05, highest * 1.3)), "score (axis zoomed)"


def grouped_bars(rows: list[dict], metrics, title: str, out_png) -> Path:
    """One group per metric, one bar per configuration (row['run'])."""
    import numpy as np

    plt = pyplot()
    labels = [str(r.get("run")) for r in rows]
    n = max(len(rows), 1)
    width = 0.8 / n
    x = np.arange(len(metrics))
    fig, ax = plt.subplots(figsize=(min(16, 5 + 0.18 * n * len(metrics)), 5.5))
    palette = plt.get_cmap("tab10" if n <= 10 else "tab20")
    highest = 0.0
    for i, (row, label) in enumerate(zip(rows, labels)):
        values = [_num(row.get(key)) for key, _ in metrics]
        highest = max([highest] + [v for v in values if v == v])  # v == v: not NaN
        # Past the palette's 20 colours, hatched: palette(i) gave every row from the 20th on
        # the palette's last colour, so those runs could not be told apart.
        bars = ax.bar(x - 0.4 + width * (i + 0.5), values, width, label=label,
                      color=palette(i % palette.N), hatch="//" if i >= palette.N else None)
        if n <= 8:
            ax.bar_label(bars, fmt="%.3f", fontsize=7, padding=2, rotation=90)  # side by side, readable
    ax.set_xticks(x, [name for _, name in metrics])
    ylim, ylabel = score_axis(highest)
    ax.set(ylabel=ylabel, ylim=ylim, title=title)
    ax.legend(fontsize=8, ncol=1 if n <= 6 else 2, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    save_figure(fig, out_png)
    return Path(out_png)


def _sweep_slice(rows: list[dict], param: str) -> list[dict]:
    """Rows of Hristov's alpha/temperature sweep that vary only `param`: the alpha-preset rows
    (they carry a numeric alpha) at the most common value of the other parameter."""
    other = "temperature" if param == "alpha" else "alpha"
    rows = [r for r in rows if isinstance(r.get("alpha"), (int, float))
            and isinstance(r.get("temperature"), (int, float))]

    # One training schedule per line: a tagged grid block (its own records and settings) is
    # another experiment. Joined, the fixture sweep's "vs temperature" line drew T = 2 on 64
    # records beside T = 1 on 32 records in batches of 8, captioned as if only T changed.
    def schedule(row):
        return row.get("tag"), row.get("train_records")

    best: list[dict] = []
    for key in dict.fromkeys(schedule(r) for r in rows):
        group = [r for r in rows if schedule(r) == key]
        values = [r[other] for r in group]
        common = max(set(values), key=values.count)
        sliced = [r for r in group if r[other] == common]
        if len({r[param] for r in sliced}) > len({r[param] for r in best}):
            best = sliced
    return best


def metric_lines(rows: list[dict], param: str, out_png) -> Path | None:
    """Each metric against `param` (alpha or temperature); None when it was not varied."""
    points = _sweep_slice(rows, param)
    if len({r[param] for r in points}) < 2:
        return None
    save_figure(metric_panels(points, param), out_png)
    return Path(out_png)


def metric_panels(points: list[dict], param: str):
    """The figure of `metric_lines`: one panel per metric, one line per student. Each panel
    has its own y range: on one 0-1 axis, exact match at 0.002-0.02 lay flat under AST
    validity at 0.9-1.0, and the differences a sweep is run to see did not show."""
    import math

    other = "temperature" if param == "alpha" else "alpha"
    plt = pyplot()
    students = sorted({str(r.get("student")) for r in points})
    metrics = [(key, name) for key, name in CORE + CODE
               if any(_num(r.get(key)) == _num(r.get(key)) for r in points)]  # skip metrics with no values
    cols = min(4, max(1, len(metrics)))
    fig, axes = plt.subplots(math.ceil(len(metrics) / cols) or 1, cols, figsize=(3.6 * cols, 2.9 * math.ceil(
        len(metrics) / cols) + 0.8), squeeze=False)
    for ax, (key, name) in zip(axes.flat, metrics):
        values = []
        for student in students:
            group = sorted((r for r in points if str(r.get("student")) == student), key=lambda r: r[param])
            pts = [(r[param], _num(r.get(key))) for r in group]
            values += [v for _, v in pts if v == v]
            ax.plot(*zip(*pts), "o-", label=student)
        low, high = min(values), max(values)
        pad = max((high - low) * 0.15, 0.1 * high, 0.001)  # a flat line gets a band, not a 1e-16 axis
        ax.set(title=name, xlabel=param, ylim=(max(-0.001, low - pad), min(1.01, high + pad)))
        ax.ticklabel_format(axis="y", useOffset=False)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    tag = points[0].get("tag")
    fig.suptitle(f"Metrics vs {param} ({other} = {points[0][other]:g}" + (f", {tag}" if tag else "")
                 + "; each panel's axis zoomed to its values)")
    if len(students) > 1:
        axes[0][-1].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig


def plot_summary(rows: list[dict], out_dir) -> list[Path]:
    """All summary figures into out_dir; returns the files written."""
    if not rows:
        raise UserError("the summary holds no rows")
    out = make_dir(out_dir)
    written = [grouped_bars(rows, CORE, "Core metrics per configuration", out / "core_metrics.png"),
               grouped_bars(rows, CODE, "Code metrics per configuration", out / "code_metrics.png")]
    optional = [(metric_lines, (rows, param, out / f"metrics_vs_{param}.png"))
                for param in ("alpha", "temperature")]
    optional.append((valid_loss_bars, (rows, out / "valid_loss.png")))
    for draw, args in optional:
        path = draw(*args)
        if path:
            written.append(path)
        else:  # not drawn this time: an earlier summary's figure would pass for this one's
            Path(args[-1]).unlink(missing_ok=True)
    return written


def valid_loss_bars(rows: list[dict], out_png) -> Path | None:
    """The students' best validation loss (gold CE), one bar each, lowest first; None when
    fewer than two rows have one."""
    scored = sorted((r for r in rows if r.get("valid_loss") is not None), key=lambda r: r["valid_loss"])
    if len(scored) < 2:
        return None
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.4 * len(scored)))
    bars = ax.barh([str(r["run"]) for r in scored], [r["valid_loss"] for r in scored], color="tab:blue")
    ax.bar_label(bars, fmt="%.3f", fontsize=8, padding=2)
    ax.invert_yaxis()  # the best at the top
    low, high = scored[0]["valid_loss"], scored[-1]["valid_loss"]
    ax.set(xlabel="best validation loss (gold CE, lower is better)", title="Validation loss per configuration",
           xlim=(max(0.0, low - 0.5 * (high - low) - 0.1), high + 0.25 * (high - low) + 0.1))
    fig.tight_layout()
    save_figure(fig, out_png)
    return Path(out_png)


def register(subparsers) -> None:
    parser = subparsers.add_parser("plot", help="the study's figures from a sweep summary",
                                   description="`workbench plot`: the study's comparison plots from a "
                                               "sweep summary, as PNG files in --out.")
    parser.add_argument("--summary", required=True, help="sweep summary (.json or .csv)")
    parser.add_argument("--out", required=True, help="directory for the PNG files")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    for path in plot_summary(load_summary(args.summary), args.out):
        print(path)
    return 0
