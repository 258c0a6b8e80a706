"""How do training records' retrieval neighbours compare with a test split's?

    python benchmarks/scripts/probe_train_neighbours.py --train $D/train.jsonl.gz \
        --split test-inproject=$D/test-inproject.jsonl.gz

For retrieval augmentation (`assertgen.retrieval`): each training record gets its nearest
OTHER training record's assertions, a test record its nearest training record's. Printed:
for `train`, how often that neighbour comes from the record's own test file and how often
its assertions are exactly the record's, with the neighbour taken as training does it and
from another test file only (`data.retrieval_other_files`); for each split, how often its nearest training record is exactly right (the
retrieval baseline's exact match, strict).
"""

from __future__ import annotations

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--split", action="append", default=[], metavar="NAME=RECORDS")
    args = parser.parse_args()

    from assertgen.retrieval import Retriever, record_test_file
    from workbench.data import load_records
    from workbench.metrics import normalize_assertion

    def same_list(a: dict, b: dict) -> bool:
        return [normalize_assertion(x) for x in a["assertions"]] == [normalize_assertion(x) for x in b["assertions"]]

    train = load_records(args.train)
    retriever = Retriever().fit(train)
    nearest = retriever.nearest(train, exclude_self=True)
    other = retriever.nearest(train, exclude_self=True, other_files=True)
    n = len(train)
    print(f"train ({n}): neighbour in the same test file {sum(record_test_file(train[j]) == record_test_file(r) for j, r in zip(nearest, train)) / n:.3f}; "
          f"exactly right {sum(same_list(train[j], r) for j, r in zip(nearest, train)) / n:.3f}; "
          f"from another file, exactly right {sum(same_list(train[j], r) for j, r in zip(other, train)) / n:.3f}")
    for text in args.split:
        name, path = text.split("=", 1)
        records = load_records(path)
        found = retriever.nearest(records)
        print(f"{name} ({len(records)}): nearest training record exactly right "
              f"{sum(same_list(train[j], r) for j, r in zip(found, records)) / len(records):.3f}")


if __name__ == "__main__":
    main()
