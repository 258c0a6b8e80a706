"""`workbench evaluate`: the metric suite over a predictions file (or a model's own
predictions), written as metrics.json, per_example.jsonl, plots and a table.

Predictions file: one `{"id": ..., "prediction": [assertion, ...]}` per line; its
ids must be exactly the data's ids (a missing or extra id is an error, so no number
silently covers fewer examples than it claims).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import zlib
from pathlib import Path

from assertgen.atomic import atomic_write_json, make_dir, writable_dir
from assertgen.errors import TRAIN_EXTRA_HINT, UserError
from workbench.data import DataError, LoadStats, load_records, write_jsonl

SUMMARY_KEYS = ("precision", "recall", "f1", "exact_match", "exact_match_lenient", "codebleu",
                "token_accuracy", "ast_validity", "similarity")


def read_predictions(path: str | Path) -> dict[str, list[str]]:
    """Predictions file -> {id: [assertion, ...]}; a malformed line is an error naming file and line."""
    path = Path(path)
    if not path.exists():
        raise DataError("file not found", str(path))
    predictions: dict[str, list[str]] = {}
    line_no = 0
    try:
        opener = gzip.open if path.name.endswith(".gz") else open  # baseline-ir writes .jsonl.gz too
        with opener(path, "rt", encoding="utf-8") as stream:
            for line_no, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    ident, prediction = row["id"], row["prediction"]
                except (ValueError, KeyError, TypeError) as err:
                    raise DataError(f'expected {{"id": ..., "prediction": [...]}} ({err})', str(path),
                                    line_no) from None
                if isinstance(ident, bool) or not isinstance(ident, (str, int)):
                    raise DataError("'id' must be a string or an integer", str(path), line_no)
                if isinstance(prediction, str):
                    prediction = [p.strip() for p in prediction.splitlines() if p.strip()]
                if not isinstance(prediction, list) or not all(isinstance(p, str) for p in prediction):
                    raise DataError("'prediction' must be a list of strings", str(path), line_no)
                if ident in predictions:
                    raise DataError(f"duplicate id {ident!r}", str(path), line_no)
                predictions[ident] = prediction
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as err:  # a directory, no permission, not UTF-8
        raise DataError(f"cannot read after line {line_no}: {getattr(err, 'strerror', None) or err}",
                        str(path)) from None
    return predictions


def align(records: list[dict], predictions: dict[str, list[str]], source: str) -> list[list[str]]:
    """Predictions in record order; any id on one side only is an error."""
    ids = [r["id"] for r in records]
    missing = [i for i in ids if i not in predictions]
    extra = sorted(set(predictions) - set(ids))
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"{len(missing)} data id(s) have no prediction (first: {missing[0]!r})")
        if extra:
            parts.append(f"{len(extra)} prediction id(s) are not in the data (first: {extra[0]!r})")
        raise UserError("; ".join(parts), source)
    return [predictions[i] for i in ids]


def predict_with_model(model_dir: str | None, records: list[dict], batch_size: int = 16,
                       num_candidates: int = 1, retrieval_corpus: str | None = None,
                       backend: str | None = None) -> list[list[str]]:
    """The model's first candidate per record, parsed into assertion statements
    (`model_dir` None: the embedded default student).

    `backend` forces "ctranslate2" or "pytorch" (default: `load_generator`'s choice).
    Inputs come from `assertgen.retrieval.model_inputs`: augmented for a model trained with
    retrieval, searching `retrieval_corpus` (default: the corpus in its metadata)."""
    from rich.console import Console
    from rich.progress import Progress

    from assertgen.model import load_generator
    from assertgen.prompt import parse_output
    from assertgen.retrieval import model_inputs
    from workbench.baseline_ir import retriever_for

    generator = load_generator(model_dir, backend=backend)
    inputs = model_inputs(records, generator.metadata,
                          retriever_for(generator.metadata, retrieval_corpus))
    predictions: list[list[str]] = []
    # On stderr: stdout is for the results (a blank line of the bar's landed there).
    with Progress(transient=True, console=Console(stderr=True)) as progress:
        task = progress.add_task("generating", total=len(records))
        for start in range(0, len(records), batch_size):
            batch = inputs[start:start + batch_size]
            outputs = generator.generate(batch,
                                         num_candidates=num_candidates, batch_size=batch_size)
            predictions.extend(parse_output(candidates[0]) if candidates else [] for candidates in outputs)
            progress.advance(task, len(batch))
    return predictions


def plot_evaluation(summary: dict, per_example: list[dict], out_dir: Path) -> list[Path]:
    """Overall bar chart plus one histogram per per-example metric."""
    import seaborn as sns

    from workbench.plots import pyplot, save_figure

    plt = pyplot()
    written = []
    fig, ax = plt.subplots(figsize=(9, 4))
    values = [summary[k] for k in SUMMARY_KEYS]
    sns.barplot(x=list(SUMMARY_KEYS), y=values, ax=ax, color="#4C72B0")
    for i, v in enumerate(values):
        ax.text(i, v + 0.01, f"{v:.3f}", ha="center", fontsize=8)
    ax.set_ylim(0, 1.08)
    ax.set_title(f"Overall metrics (n={summary['n']})")
    ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    written.append(out_dir / "metrics_overall.png")
    save_figure(fig, written[-1], dpi=120)

    # Graded per-example metrics only: exact matches are 0/1 and read better as the bar above.
    numeric = [k for k in SUMMARY_KEYS if per_example and not k.startswith("exact_match")
               and isinstance(per_example[0].get(k), (int, float))]
    if numeric:
        cols = 3
        rows = (len(numeric) + cols - 1) // cols
        fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3 * rows), squeeze=False)
        for ax, key in zip(axes.flat, numeric):
            sns.histplot([row[key] for row in per_example if row.get(key) is not None], bins=20, ax=ax)
            ax.set_title(key)
            ax.set_xlabel("")
        for ax in list(axes.flat)[len(numeric):]:
            ax.set_visible(False)
        fig.suptitle("Per-example distributions")
        fig.tight_layout()
        written.append(out_dir / "metrics_distributions.png")
        save_figure(fig, written[-1], dpi=120)
    return written


# What decoded the predictions of an eval directory (`decoding_stamp`), beside metrics.json.
STAMP_FILE = "decoded_by.json"


def decoding_stamp(spec, beams: int) -> dict:
    """What decodes `spec`'s predictions: its source (a directory resolved), the backend that
    runs it (a model directory's ct2/ copy when it has one), the weights it runs (`weights_stamp`),
    the beams, and baseline-ir's training records or a retrieval corpus when given."""
    from assertgen.model import default_model_dir
    from workbench.report import model_info

    source = str(Path(spec.source).resolve()) if spec.kind == "directory" else spec.source
    stamp = {"source": source, "backend": model_info(spec)["backend"], "beams": beams}
    if spec.kind in ("directory", "default"):
        model_dir = Path(source) if spec.kind == "directory" else default_model_dir()
        stamp["weights"] = weights_stamp(model_dir, stamp["backend"])
    if spec.kind == "baseline-ir":
        stamp["train"] = file_stamp(spec.train)
    if spec.retrieval_corpus:
        stamp["retrieval_corpus"] = file_stamp(spec.retrieval_corpus)
    return stamp


def file_stamp(path: str | Path) -> list:
    """A records file as a stamp names it: its resolved path, size and modification time, so
    the same file edited, or named from another folder, is told apart from the one scored."""
    path = Path(path)
    if not path.is_file():
        return [str(path.resolve())]
    status = path.stat()
    return [str(path.resolve()), status.st_size, status.st_mtime_ns]


def weights_stamp(model_dir: Path, backend: str) -> dict:
    """Size and modification time of the weight files `backend` runs in `model_dir`: a model
    trained further (`--resume`), exported or shipped again in the same place is decoded
    again, not served its earlier scores."""
    from assertgen.model import CT2_DIR, pytorch_weight_files

    if model_dir.name == CT2_DIR:
        model_dir = model_dir.parent
    files = pytorch_weight_files(model_dir) if backend == "pytorch" else [model_dir / CT2_DIR / "model.bin"]
    return {f.relative_to(model_dir).as_posix(): [f.stat().st_size, f.stat().st_mtime_ns]
            for f in files if f.is_file()}


def read_stamp(out_dir: str | Path) -> dict | None:
    path = Path(out_dir) / STAMP_FILE
    return json.loads(path.read_text()) if path.exists() else None


def cached_summary(out_dir: str | Path, records: list[dict], stamp: dict | None = None) -> dict | None:
    """out_dir/metrics.json when it scores exactly `records`, by id and in order (its
    per_example.jsonl says which), and, given a `stamp`, was decoded as it says (an eval
    directory from before stamps were written counts as such), else None: the caller
    decodes and scores again (another --limit, [eval] limit or sample, another backend,
    model directory or beam width)."""
    path, per_example = Path(out_dir) / "metrics.json", Path(out_dir) / "per_example.jsonl"
    if not path.exists() or not per_example.exists():
        return None
    # Without it, a model exported after a report was scored from its PyTorch predictions
    # but labelled ctranslate2, and NAME=another/DIR kept the first directory's scores.
    if stamp is not None and read_stamp(out_dir) not in (None, stamp):
        return None
    with open(per_example, encoding="utf-8") as f:
        scored = [json.loads(line).get("id") for line in f if line.strip()]
    if scored != [r["id"] for r in records]:
        return None
    return json.loads(path.read_text())


def write_stamp(out_dir: str | Path, stamp: dict | None) -> None:
    """Record `stamp` for out_dir's coming scores; their old metrics.json goes first, so a
    run killed before the new one is written leaves no stale cache."""
    (Path(out_dir) / "metrics.json").unlink(missing_ok=True)
    if stamp is not None:
        atomic_write_json(Path(out_dir) / STAMP_FILE, stamp)


def decode_and_score(spec, records: list[dict], out_dir: str | Path, *, beams: int = 1,
                     batch_size: int = 32, device: str = "cpu", plots: bool = False) -> dict:
    """Decode `records` with the model of `spec` (a `workbench.bench.ModelSpec`: a model
    directory in either backend, the default model, baseline-ir...), write
    out_dir/predictions.jsonl and score them (`evaluate`); the summary of an earlier call
    when out_dir already scores these records, decoded the same way (`cached_summary`,
    `decoding_stamp` in out_dir/decoded_by.json). `workbench report` and `workbench sweep`
    score every model through here."""
    from rich.console import Console
    from rich.progress import track

    from workbench.bench import Options, load_predictor

    stamp = decoding_stamp(spec, beams)
    cached = cached_summary(out_dir, records, stamp)
    if cached is not None:
        return cached
    predict, _ = load_predictor(spec, Options(beams=beams, device=device))
    predictions: list[list[str]] = []
    # On stderr: `workbench report > tables.md` got a blank line per model and split ahead
    # of the tables.
    for start in track(range(0, len(records), batch_size), description=f"decoding ({spec.name})",
                       transient=True, console=Console(stderr=True)):
        predictions += predict(records[start:start + batch_size])
    make_dir(out_dir)
    write_stamp(out_dir, stamp)
    write_jsonl(Path(out_dir) / "predictions.jsonl",
                ({"id": r["id"], "prediction": p} for r, p in zip(records, predictions)))
    return evaluate(records, predictions, out_dir, plots=plots)  # writes metrics.json last


def evaluate(records: list[dict], predictions: list[list[str]], out_dir: str | Path,
             plots: bool = True) -> dict:
    """Compute the suite, write metrics.json, per_example.jsonl and plots; return the summary."""
    from workbench.metrics import compute_metrics

    out_dir = make_dir(out_dir)
    summary, per_example = compute_metrics(predictions, [r["assertions"] for r in records],
                                           ids=[r["id"] for r in records])
    atomic_write_json(out_dir / "metrics.json", summary)
    write_jsonl(out_dir / "per_example.jsonl", per_example)
    if plots:
        plot_evaluation(summary, per_example, out_dir)
    return summary


def print_summary(summary: dict, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key in SUMMARY_KEYS:
        table.add_row(key, f"{summary[key]:.4f}")
    for key, value in summary.get("codebleu_components", {}).items():
        table.add_row(f"  codebleu.{key}", f"{value:.4f}")
    table.add_row("n", str(summary["n"]))
    Console().print(table)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="score predictions with the full metric suite",
        description="Score predictions (or a model's own predictions) against a records file; "
                    "write metrics.json, per_example.jsonl and plots to --out.")
    parser.add_argument("--data", required=True, help="reference records (jsonl, .gz, zip)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--predictions", help='JSONL of {"id": ..., "prediction": [...]}')
    source.add_argument("--model", help="model directory, or 'default' for the embedded default "
                        "student: generate the predictions with it")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--member", help="member name pattern inside a ZIP --data")
    parser.add_argument("--limit", type=int, help="only the first N records")
    parser.add_argument("--skip-bad", action="store_true",
                        help="skip malformed data lines (counted and reported) instead of stopping")
    parser.add_argument("--batch-size", type=int, default=16,
                        help="with --model: records per generate call (default 16)")
    parser.add_argument("--retrieval-corpus", help="with --model trained with retrieval augmentation: "
                        "the records to retrieve from (default: the corpus in its metadata)")
    parser.add_argument("--no-plots", action="store_true",
                        help="skip the PNG plots (they need matplotlib and seaborn: the train extra)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.batch_size < 1:
        raise UserError("--batch-size must be at least 1")
    if not args.no_plots:  # before a long decode: the plots need the `train` extra
        try:
            import matplotlib  # noqa: F401
            import seaborn  # noqa: F401
        except ImportError:
            raise UserError(f"the plots need matplotlib and seaborn ({TRAIN_EXTRA_HINT}); "
                            "pass --no-plots to skip them") from None
    stats = LoadStats()
    records = load_records(args.data, member=args.member, limit=args.limit, skip_bad=args.skip_bad,
                           stats=stats)
    if stats.report():
        print(stats.report(), file=sys.stderr)
    if not records:
        raise UserError("no records", args.data)
    writable_dir(args.out)  # before a long decode: a file in the way, a read-only folder
    if args.model:
        from workbench.bench import DEFAULT_MODEL

        model_dir = None if args.model == DEFAULT_MODEL else args.model
        predictions = predict_with_model(model_dir, records, batch_size=args.batch_size,
                                         retrieval_corpus=args.retrieval_corpus)
        write_jsonl(Path(args.out) / "predictions.jsonl",
                    ({"id": r["id"], "prediction": p} for r, p in zip(records, predictions)))
    else:
        by_id = read_predictions(args.predictions)
        if args.limit:
            by_id = {r["id"]: by_id[r["id"]] for r in records if r["id"] in by_id}
        predictions = align(records, by_id, args.predictions)
    summary = evaluate(records, predictions, args.out, plots=not args.no_plots)
    print_summary(summary, f"{Path(args.predictions or args.model).name} on {Path(args.data).name}")
    print(f"wrote {Path(args.out) / 'metrics.json'}")
    return 0
