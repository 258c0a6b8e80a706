"""Can choosing among the model's n-best and the similar tests' assertions beat reuse first?

    python benchmarks/scripts/probe_nbest.py --train $D/train.jsonl.gz \
        --split valid=$D/valid.jsonl.gz --split test-inproject=$D/test-inproject.jsonl.gz \
        --beams 8 --out benchmarks/results/nbest        [--model DIR: default, the shipped one]

For each record: the model's `--beams` best lists (beam search, as `assertgen fill` decodes)
and the adapted assertions of the 5 most similar tests of its repository at any similarity
(`RepositoryReuse`, as `workbench report --reuse` searches). Rows, exact match on all records:
- beam-1: the model's best list; oracle-beams@k (k = 2, 4, --beams): any of its k best is right;
- reuse-first: the nearest test's list at or above the model's reuse threshold, else beam-1
  (what `workbench report --reuse` scores);
- mbr-beams: the beam most similar to the other beams (minimum Bayes risk, Levenshtein
  ratio of the joined lists); mbr-all: the same over the beams and the 5 similar tests' lists
  (each of those weighted by its cosine similarity); reuse-first+mbr: reuse first, else mbr-all;
- oracle-similar: any of the 5 similar tests' lists is right; oracle-all: any candidate is.
`beam_only_top_file` is the share of the records that only a beam gets right which come from
one test file: a high share means the beams' headroom is one class's pattern, not a general one.
Writes OUT/nbest.{json,md}.
"""

from __future__ import annotations

import argparse
from collections import Counter

SIMILAR = 5


def mbr_choice(candidates: list[list[str]], weights: list[float]) -> list[str]:
    """The candidate with the highest weighted Levenshtein ratio to all the others."""
    from rapidfuzz import fuzz

    texts = ["\n".join(c) for c in candidates]
    def support(i: int) -> float:
        return sum(w * fuzz.ratio(texts[i], t) for j, (t, w) in enumerate(zip(texts, weights)) if j != i)
    return candidates[max(range(len(candidates)), key=support)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a model directory (default: the shipped one)")
    parser.add_argument("--train", required=True, help="training records (reuse idioms, records to reuse from)")
    parser.add_argument("--split", action="append", required=True, metavar="NAME=RECORDS")
    parser.add_argument("--beams", type=int, default=8)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    from probe_selection import write_rows

    from assertgen.abstraction import fit_idioms
    from assertgen.model import load_generator
    from assertgen.prompt import parse_output, record_input
    from assertgen.reuse import THRESHOLDS, RepositoryReuse, Reuser
    from workbench.data import load_records
    from workbench.metrics import normalize_assertion

    generator = load_generator(args.model)
    threshold = (generator.metadata.get("reuse") or {}).get("threshold", THRESHOLDS["chars"])
    train = load_records(args.train)
    reuser = Reuser(fit_idioms(train), threshold=0.0)  # every similar test; the threshold is applied below
    def normalized(assertions: list[str]) -> tuple[str, ...]:
        return tuple(normalize_assertion(a) for a in assertions)
    rows = []
    for text in args.split:
        name, path = text.split("=", 1)
        records = load_records(path)
        gold = [normalized(r["assertions"]) for r in records]
        def right(lists: list[list[str]]) -> float:
            return sum(normalized(p) == g for p, g in zip(lists, gold)) / len(records)
        def any_right(options: list[list[list[str]]]) -> float:
            return sum(any(normalized(o) == g for o in opts) for opts, g in zip(options, gold)) / len(records)

        beams = [[parse_output(t) for t in texts] for texts in
                 generator.generate([record_input(r) for r in records], num_candidates=args.beams)]
        found = RepositoryReuse(reuser, [*records, *train]).candidates(records, limit=SIMILAR)
        similar = [[o.assertions for o in options] for options in found]
        reused = [options[0].assertions if options and options[0].similarity >= threshold else None
                  for options in found]
        mbr_all = [mbr_choice(b + s, [1.0] * len(b) + [o.similarity for o in options])
                   for b, s, options in zip(beams, similar, found)]

        row = {"split": name, "n": len(records), "beam-1": right([b[0] for b in beams])}
        for k in sorted({2, 4, args.beams} & set(range(2, args.beams + 1))):
            row[f"oracle-beams@{k}"] = any_right([b[:k] for b in beams])
        row["reuse-first"] = right([r if r is not None else b[0] for r, b in zip(reused, beams)])
        row["mbr-beams"] = right([mbr_choice(b, [1.0] * len(b)) for b in beams])
        row["mbr-all"] = right(mbr_all)
        row["reuse-first+mbr"] = right([r if r is not None else m for r, m in zip(reused, mbr_all)])
        row["oracle-similar"] = any_right(similar)
        row["oracle-all"] = any_right([b + s for b, s in zip(beams, similar)])
        beam_only = Counter(r["test_file"] for r, b, s, g in zip(records, beams, similar, gold)
                            if any(normalized(x) == g for x in b) and not any(normalized(x) == g for x in s))
        row["beam_only"] = sum(beam_only.values())
        row["beam_only_top_file"] = beam_only.most_common(1)[0][1] / row["beam_only"] if beam_only else None
        rows.append(row)

    columns = [key for key in rows[0] if key != "split"]
    write_rows(args.out, "nbest", {"model": args.model or "default", "train": args.train, "splits": args.split,
                                   "beams": args.beams, "reuse_threshold": threshold},
               f"n-best and similar tests' lists, exact match ({args.beams} beams, {SIMILAR} similar tests)",
               rows, [("split", "split"), *((key, key) for key in columns)])


if __name__ == "__main__":
    main()
