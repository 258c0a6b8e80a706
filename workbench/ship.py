"""`workbench ship`: make a trained student the model `assertgen` embeds.

    workbench ship --model runs/sweep-cpu/runs/student-cpu-balanced \\
        --valid ../shared/datasets/java-assertions-v1/valid.jsonl.gz

1. exports the CTranslate2 int8 copy (`workbench export`) when DIR/ct2/ is missing or was
   made from other weights than DIR holds now;
2. decodes `--valid` greedily with both backends and scores them (metric suite without
   CodeBLEU); the fast copy's exact match must stay within `--max-em-change` (default
   one point) of the PyTorch model's, else nothing is shipped;
3. records those numbers in DIR/assertgen.json under metrics.valid_greedy (and
   `--description`, what users read about the model, under description; with
   `--reuse-idioms TRAIN`, the reuse entry of `assertgen.reuse`, its idioms fitted on
   TRAIN, so that `assertgen fill` reuses the assertions of similar tests);
4. replaces `assertgen/default_model/` (or `--dest`) with DIR/ct2/ and assertgen.json,
   built beside it and swapped in by renames, so an interrupted ship leaves the old model.
   A `--dest` holding anything else than such a shipped model (or nothing) is refused.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import time
from pathlib import Path

from assertgen.errors import UserError

BACKENDS = ("ctranslate2", "pytorch")
DEFAULT_DEST = Path(__file__).resolve().parent.parent / "assertgen" / "default_model"
SHIPPED = {"assertgen.json", "ct2"}  # what `install` leaves in the destination


def check_destination(dest) -> Path:
    """`dest` as an absolute path (`.` has no name to put the staging folder beside), or a
    UserError when shipping there cannot work or would delete what is not a shipped model:
    `install` replaces the whole folder."""
    dest = Path(os.path.abspath(dest))
    if not dest.parent.is_dir() or not os.access(dest.parent, os.W_OK) or (dest.exists() and not dest.is_dir()):
        raise UserError("cannot write here: its folder is missing or not writable, or it is a file; "
                        "nothing shipped", str(dest))
    if dest.is_dir() and {p.name for p in dest.iterdir()} not in (set(), SHIPPED):
        raise UserError("exists and is not a shipped model (only assertgen.json and ct2/), and shipping "
                        "replaces the whole folder: choose a new or empty one; nothing shipped", str(dest))
    return dest


def check_margin(max_em_change: float) -> None:
    """A UserError for a margin no copy can meet (0 or less), or none (NaN, infinite)."""
    if not (max_em_change > 0 and math.isfinite(max_em_change)):
        raise UserError(f"--max-em-change must be a number above 0 (the exact-match change allowed, "
                        f"e.g. 0.01 for one point), got {max_em_change}")


def greedy_metrics(model_dir, records: list[dict], backend: str, batch_size: int = 32) -> dict:
    """Greedy exact match / F1 / AST validity of one backend on records, and ms per record."""
    from workbench.evaluate import predict_with_model
    from workbench.metrics import compute_metrics

    started = time.perf_counter()
    predictions = predict_with_model(model_dir, records, batch_size=batch_size, backend=backend)
    seconds = time.perf_counter() - started
    summary, _ = compute_metrics(predictions, [r["assertions"] for r in records], with_codebleu=False)
    return {"exact_match": summary["exact_match"], "f1": summary["f1"],
            "ast_validity": summary["ast_validity"], "n": summary["n"],
            "ms_per_record": round(1000 * seconds / len(records), 2)}


def install(model_dir: Path, dest: Path) -> int:
    """Copy DIR/ct2 and DIR/assertgen.json into dest (swapped in by renames); bytes shipped."""
    staging, old = dest.with_name(dest.name + ".new"), dest.with_name(dest.name + ".old")
    for path in (staging, old):
        shutil.rmtree(path, ignore_errors=True)
    try:
        shutil.copytree(model_dir / "ct2", staging / "ct2")
        shutil.copy(model_dir / "assertgen.json", staging / "assertgen.json")
    except OSError as err:  # e.g. --dest in a directory that cannot be written
        shutil.rmtree(staging, ignore_errors=True)
        raise UserError(f"cannot write: {err.strerror or err}; nothing shipped", str(dest)) from None
    if dest.exists():
        dest.rename(old)
    staging.rename(dest)
    shutil.rmtree(old, ignore_errors=True)
    return sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())


def ship(model_dir, valid_records: list[dict], valid_name: str, dest=DEFAULT_DEST,
         max_em_change: float = 0.01, console=None, description: str | None = None,
         reuse_idioms: list[str] | None = None) -> dict:
    from assertgen.reuse import METADATA_KEY as REUSE_KEY
    from assertgen.reuse import reuse_metadata
    from workbench.export import export_ct2, export_is_current
    from workbench.modeling import read_metadata, write_metadata

    model_dir = Path(model_dir)
    read_metadata(model_dir)  # a model directory of ours, prompt format checked
    # before decoding with both backends, not after
    check_margin(max_em_change)
    dest = check_destination(dest)
    if not export_is_current(model_dir):  # none yet, or made from weights trained further since
        if console:
            console.print("exporting the CTranslate2 copy (ct2/)", highlight=False)
        export_ct2(model_dir)
    scores = {}
    for backend in BACKENDS:
        if console:
            console.print(f"decoding {len(valid_records)} records with {backend}", highlight=False)
        scores[backend] = greedy_metrics(model_dir, valid_records, backend)
    change = scores["ctranslate2"]["exact_match"] - scores["pytorch"]["exact_match"]
    if abs(change) >= max_em_change:
        raise UserError(f"the CTranslate2 copy moves exact match by {change:+.3f} against PyTorch "
                        f"on {valid_name} (allowed: less than {max_em_change}); nothing shipped",
                        str(model_dir))
    meta = read_metadata(model_dir)
    meta.setdefault("metrics", {})["valid_greedy"] = {**scores, "data": valid_name,
                                                      "exact_match_change": round(change, 4)}
    if description:  # what a user opening the model's metadata learns about it
        meta["description"] = description
    if reuse_idioms is not None:
        meta[REUSE_KEY] = reuse_metadata(reuse_idioms)
    write_metadata(model_dir, meta)
    size = install(model_dir, dest)
    return {"scores": scores, "exact_match_change": change, "bytes": size, "dest": str(dest)}


def register(subparsers) -> None:
    parser = subparsers.add_parser("ship", help="make a trained student the embedded default model",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, metavar="DIR", help="the student's model directory")
    parser.add_argument("--valid", required=True, help="records the two backends are compared on")
    parser.add_argument("--limit", type=int, help="only the first N records of --valid")
    parser.add_argument("--max-em-change", type=float, default=0.01,
                        help="the fast copy's exact match must differ from PyTorch's by less "
                             "than this (default 0.01: one point)")
    parser.add_argument("--description", help="what the model is, stored in its assertgen.json "
                        "(training, data, measured quality)")
    parser.add_argument("--reuse-idioms", metavar="TRAIN",
                        help="training records: offer reuse of similar tests' assertions at fill time, "
                             "adapting names with idioms fitted on these records")
    parser.add_argument("--dest", default=str(DEFAULT_DEST),
                        help="where the embedded model lives (default: assertgen/default_model)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from workbench.data import load_records

    check_margin(args.max_em_change)  # before reading any records
    check_destination(args.dest)
    records = load_records(args.valid, limit=args.limit)
    if not records:
        raise UserError("no records", args.valid)
    idioms = None
    if args.reuse_idioms:
        from assertgen.abstraction import fit_idioms

        idioms = fit_idioms(load_records(args.reuse_idioms))
    console = Console(stderr=True)
    result = ship(args.model, records, Path(args.valid).name, args.dest, args.max_em_change, console,
                  args.description, idioms)
    print(json.dumps(result["scores"], indent=2))
    print(f"exact match change of the fast copy: {result['exact_match_change']:+.3f}; shipped "
          f"{result['bytes'] / 1e6:.1f} MB to {result['dest']}")
    return 0
