"""Which kNN decoding settings (`workbench.knn`) lift a model, and by how much?

    python benchmarks/scripts/probe_knn.py --model DIR --train $D/train.jsonl.gz \
        --split test-inproject=$D/test-inproject.jsonl.gz --sample 400 \
        --lambdas 0,0.9,1 --temperatures 1,3,10 --neighbours 16 --out OUT

For each split (or a sample of `--sample` records, seed 0), exact match (strict, as
`workbench report`) of greedy decoding at every (lambda, temperature) of the grid (lambda 0:
the model alone), beside `neighbour-1` (the nearest neighbour's assertions unchanged: the
retrieval baseline with `--search train`) and `any of N` (one of the N neighbours' lists is
right: what copying a neighbour can reach at best). `--search repository` takes the
neighbours from the record's own repository (the split's other test files and `--train`),
as reuse searches, instead of the nearest training tests. Writes OUT/knn.{json,md}; with `--predictions` also
OUT/predictions/SPLIT-lLAMBDA-tTEMPERATURE.jsonl, for `workbench evaluate`.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

BATCH = 32


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a PyTorch model directory")
    parser.add_argument("--train", required=True, help="training records (the neighbours)")
    parser.add_argument("--split", action="append", required=True, metavar="NAME=RECORDS")
    parser.add_argument("--lambdas", default="0,0.9")
    parser.add_argument("--temperatures", default="1")
    parser.add_argument("--neighbours", type=int, default=16)
    parser.add_argument("--search", choices=("train", "repository"), default="train",
                        help="train: the nearest training tests (the baseline's search); repository: the most "
                             "similar tests of the record's own repository among the split's other test files "
                             "and the training records, as reuse searches")
    parser.add_argument("--sample", type=int, help="N records of each split, drawn with seed 0")
    parser.add_argument("--predictions", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    try:
        settings = [(float(lam), float(t)) for lam in args.lambdas.split(",") for t in args.temperatures.split(",")]
    except ValueError:
        parser.error(f"--lambdas and --temperatures take comma-separated numbers: {args.lambdas!r}, {args.temperatures!r}")
    if args.neighbours < 1 or (args.sample is not None and args.sample < 1):
        parser.error("--neighbours and --sample must be at least 1")
    if any("=" not in text for text in args.split):
        parser.error("--split takes NAME=RECORDS")

    from assertgen.errors import UserError

    try:
        run(args, settings)
    except UserError as err:
        raise SystemExit(f"error: {err}") from None


def run(args: argparse.Namespace, settings: list[tuple[float, float]]) -> None:
    from rich.progress import track

    from assertgen.abstraction import fit_idioms
    from assertgen.atomic import atomic_write, writable_dir
    from assertgen.errors import UserError
    from assertgen.prompt import parse_output
    from assertgen.reuse import Reuser
    from workbench.data import load_records
    from workbench.knn import KnnDecoder, repository_neighbours
    from workbench.metrics import normalize_assertion

    from probe_selection import write_rows

    writable_dir(args.out)  # before the decoding: a file in the way is found now
    train = load_records(args.train)
    if not train:
        raise UserError("no records", args.train)
    if args.search == "train":
        decoder = KnnDecoder(args.model, train, neighbours=args.neighbours)
    settings = list(dict.fromkeys((lam, t if lam > 0 else 1.0) for lam, t in settings))  # lambda 0: one row
    out, rows = Path(args.out), []
    for text in args.split:
        name, path = text.split("=", 1)
        records = load_records(path)
        if not records:
            raise UserError("no records", path)
        if args.sample and args.sample < len(records):
            records = [records[i] for i in sorted(random.Random(0).sample(range(len(records)), args.sample))]
        if args.search == "repository":  # the pool holds the split: one decoder per split
            reuser = Reuser(fit_idioms(train), threshold=0.0)
            pool = [*load_records(path), *train]
            decoder = KnnDecoder(args.model, pool, neighbours=args.neighbours,
                                 nearest=repository_neighbours(pool, reuser, args.neighbours))
        gold = [tuple(normalize_assertion(a) for a in r["assertions"]) for r in records]
        def right(lists) -> list[bool]:
            return [tuple(normalize_assertion(a) for a in p) == g for p, g in zip(lists, gold)]
        nearest = decoder.nearest(records)
        columns = [right([decoder.pool[row[j]]["assertions"] if j < len(row) else [] for row in nearest])
                   for j in range(args.neighbours)]
        for label, hits in (("neighbour-1", columns[0]),
                            (f"any of {args.neighbours}", [any(c[n] for c in columns) for n in range(len(records))])):
            rows.append({"split": name, "n": len(records), "search": args.search, "lambda": label, "temperature": None,
                         "em_strict": round(sum(hits) / len(records), 4)})
        texts = {s: [] for s in settings}
        for start in track(range(0, len(records), BATCH), description=name):
            for setting, decoded in decoder.decode(records[start:start + BATCH], settings).items():
                texts[setting] += decoded
        for (lam, temperature), decoded in texts.items():
            predictions = [parse_output(t) for t in decoded]
            rows.append({"split": name, "n": len(records), "search": args.search, "lambda": lam, "temperature": temperature,
                         "em_strict": round(sum(right(predictions)) / len(records), 4)})
            if args.predictions:
                target = out / "predictions" / f"{name}-l{lam:g}-t{temperature:g}.jsonl"
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(target, "".join(json.dumps({"id": r["id"], "prediction": p}) + "\n"
                                             for r, p in zip(records, predictions)).encode("utf-8"))
    write_rows(args.out, "knn", {"model": args.model, "train": args.train, "splits": args.split,
                                 "neighbours": args.neighbours, "search": args.search, "sample": args.sample},
               f"kNN decoding over the {args.neighbours} "
               f"{'nearest training tests' if args.search == 'train' else 'most similar tests of the repository'}"
               ", exact match (greedy)",
               rows, [(key, key) for key in rows[0]])


if __name__ == "__main__":
    main()
