"""The retrieval baseline every model is compared with (`workbench baseline-ir`), and the
retrieval corpus of models trained with retrieval augmentation.

The retriever itself (TF-IDF nearest neighbour) lives in `assertgen.retrieval`, shared
with `assertgen fill`; the baseline predicts the neighbour's assertions, unchanged.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assertgen.errors import UserError
from assertgen.retrieval import METADATA_KEY, Retriever, uses_retrieval

__all__ = ["Retriever", "retriever_for", "register", "run"]


def retriever_for(metadata: dict | None, corpus_path: str | None = None) -> Retriever | None:
    """The retrieval corpus of a model, fitted: None for a model without retrieval.

    `corpus_path` (a records file) overrides the corpus named in the model's metadata
    (`retrieval.corpus`, read up to `retrieval.corpus_records` records, as in training);
    a retrieval model whose corpus is neither given nor found is a UserError.
    """
    from workbench.data import iter_records

    if not uses_retrieval(metadata):
        return None
    entry = metadata[METADATA_KEY]
    limit = None
    if corpus_path is None:
        corpus_path = entry.get("corpus")
        if not corpus_path or not Path(corpus_path).exists():
            raise UserError("the model was trained with retrieval augmentation and its retrieval "
                            f"corpus {corpus_path!r} (from its assertgen.json) is not found: pass "
                            "--retrieval-corpus with its training records")
        limit = entry.get("corpus_records")
    # Streamed: only the searched text and the assertions stay, not whole records (the
    # training file's records alone took ~250 MB, most of a small model's peak memory).
    return Retriever().fit(iter_records(corpus_path, limit=limit))


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "baseline-ir", help="TF-IDF nearest-neighbour retrieval baseline",
        description="Predict, for each record of --data, the assertions of its nearest "
                    "training test (TF-IDF over masked test + focal method).")
    parser.add_argument("--train", required=True, help="training records (jsonl, .gz, zip)")
    parser.add_argument("--data", required=True, help="records to predict for")
    parser.add_argument("--out", required=True, help="predictions file (.jsonl): {id, prediction}")
    parser.add_argument("--member", help="member name pattern inside ZIP inputs")
    parser.add_argument("--skip-bad", action="store_true",
                        help="skip malformed data lines (counted and reported) instead of stopping")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from workbench.data import LoadStats, load_records, write_jsonl

    console = Console(stderr=True)
    train_stats, data_stats = LoadStats(), LoadStats()
    with console.status("reading training records and fitting TF-IDF"):
        train = load_records(args.train, member=args.member, skip_bad=args.skip_bad, stats=train_stats)
        if not train:
            raise UserError("no records to retrieve from", str(args.train))
        retriever = Retriever().fit(train)
    records = load_records(args.data, member=args.member, skip_bad=args.skip_bad, stats=data_stats)
    if not records:
        raise UserError("no records: nothing to predict", str(args.data))
    for stats in (train_stats, data_stats):
        if stats.report():
            console.print(stats.report(), highlight=False)
    with console.status(f"retrieving neighbours for {len(records)} records"):
        predictions = retriever.predict(records)
    write_jsonl(args.out, ({"id": r["id"], "prediction": p} for r, p in zip(records, predictions)))
    console.print(f"wrote {len(records)} predictions to {args.out}", markup=False)
    return 0

