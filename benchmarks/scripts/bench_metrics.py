"""Time the metric suite over a whole split (target: the 2,286-record `test` split in
under 60 s on the 2-core dev machine).

"Predictions" are made from the references so that every metric does real work: every
10th example is an exact copy; the others drop their last assertion (when there is more
than one) and get one lower-case word renamed in one assertion (`x` -> `x2`; now and
then that word is a keyword such as `new` or `null`, which makes a realistic invalid
prediction). Prints the time of each
metric on its own (same functions compute_metrics uses), then the end-to-end
compute_metrics time with and without CodeBLEU, and the resulting summary.

Run: `python benchmarks/scripts/bench_metrics.py --data /work/shared/datasets/java-assertions-v1/test.jsonl.gz`
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter

from workbench import metrics
from workbench.data import load_records

_IDENTIFIER = re.compile(r"\b[a-z][A-Za-z0-9_]*\b")


def make_prediction(assertions: list[str], index: int, rng: random.Random) -> list[str]:
    if index % 10 == 0:
        return list(assertions)
    pred = list(assertions[:-1]) if len(assertions) > 1 else list(assertions)
    i = rng.randrange(len(pred))
    names = _IDENTIFIER.findall(pred[i])
    if names:
        name = rng.choice(names)
        pred[i] = re.sub(rf"\b{re.escape(name)}\b", name + "2", pred[i], count=1)
    return pred


def timed(label: str, fn, results: dict) -> None:
    start = time.perf_counter()
    fn()
    results[label] = time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="records file (e.g. test.jsonl.gz)")
    parser.add_argument("--limit", type=int, default=None, help="first N records only")
    args = parser.parse_args()

    records = load_records(args.data, limit=args.limit)
    if not records:
        raise SystemExit(f"no records in {args.data}")
    rng = random.Random(0)
    refs = [r["assertions"] for r in records]
    preds = [make_prediction(a, i, rng) for i, a in enumerate(refs)]
    ids = [r["id"] for r in records]
    n_pred = sum(map(len, preds))
    print(f"{len(records)} examples, {sum(map(len, refs))} reference and {n_pred} predicted assertions")

    times: dict[str, float] = {}
    timed("imports + first call", lambda: metrics.compute_metrics(preds[:1], refs[:1]), times)

    # Each metric on its own, with the functions compute_metrics uses.
    from rapidfuzz import fuzz
    norm_p = [[metrics.normalize_assertion(a) for a in p] for p in preds]
    norm_r = [[metrics.normalize_assertion(a) for a in r] for r in refs]
    joined = [("\n".join(p), "\n".join(r)) for p, r in zip(norm_p, norm_r)]
    timed("normalisation", lambda: [[metrics.normalize_assertion(a) for a in p + r]
                                    for p, r in zip(preds, refs)], times)
    timed("precision/recall/F1", lambda: [sum((Counter(p) & Counter(r)).values())
                                          for p, r in zip(norm_p, norm_r)], times)
    timed("exact match (strict)", lambda: [p == r for p, r in zip(norm_p, norm_r)], times)
    timed("exact match (lenient)", lambda: [[metrics.mask_expected(a) for a in p] ==
                                            [metrics.mask_expected(a) for a in r]
                                            for p, r in zip(norm_p, norm_r)], times)
    timed("codebleu", lambda: [metrics.codebleu_scores(p, r) for p, r in joined], times)
    timed("token accuracy", lambda: [(metrics.java_tokens(p), metrics.java_tokens(r))
                                     for p, r in joined], times)
    metrics.is_valid_assertion.cache_clear()
    timed("ast validity", lambda: [metrics.is_valid_assertion(a) for p in norm_p for a in p], times)
    timed("similarity", lambda: [fuzz.ratio(p, r) for p, r in joined], times)

    metrics.is_valid_assertion.cache_clear()
    start = time.perf_counter()
    summary, rows = metrics.compute_metrics(preds, refs, ids=ids)
    total = time.perf_counter() - start
    metrics.is_valid_assertion.cache_clear()
    start = time.perf_counter()
    metrics.compute_metrics(preds, refs, ids=ids, with_codebleu=False)
    fast = time.perf_counter() - start

    print(f"\n{'metric (alone)':<26}{'seconds':>10}")
    for label, seconds in times.items():
        print(f"{label:<26}{seconds:>10.2f}")
    print(f"\n{'compute_metrics, all':<26}{total:>10.2f}   ({1000 * total / len(records):.1f} ms/example)")
    print(f"{'compute_metrics, no CodeBLEU':<26}{fast:>10.2f}")
    print(f"target: whole suite < 60 s -> {'OK' if total < 60 else 'TOO SLOW'}")
    metrics.is_valid_assertion.cache_clear()
    ref_valid = sum(metrics.is_valid_assertion(a) for r in norm_r for a in r)
    print(f"\nreferences valid by javalang: {ref_valid} of {sum(map(len, norm_r))}")
    print("summary on the synthetic predictions:")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
