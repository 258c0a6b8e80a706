"""An in-project validation split: whole test files of mined records held out.

`valid` in java-assertions-v1 is cross-project, while the target split `test-inproject`
holds out whole test classes of the training repositories. Records mined from test files
that no split uses (`workbench mine`) give a validation set of the second kind without
touching any test split: this script holds out a seeded sample of those files whole and
writes the remaining mined records beside it for training.

    python benchmarks/scripts/holdout_inproject.py --mined runs/mined.jsonl.gz \
        --train $D/train.jsonl.gz --files 150 --valid-out runs/valid-inproject.jsonl.gz \
        --rest-out runs/mined-rest.jsonl.gz
"""

from __future__ import annotations

import argparse
import json
import random


def split_by_test_file(mined: list[dict], train: list[dict], n_files: int, seed: int = 0):
    """(held-out records, the rest): held-out files are whole and appear in no `train` record."""
    def test_file(record):
        return record["repository"], record["test_file"]

    train_files = {test_file(r) for r in train}
    candidates = sorted({test_file(r) for r in mined} - train_files)
    random.Random(seed).shuffle(candidates)
    held = set(candidates[:n_files])
    return ([r for r in mined if test_file(r) in held],
            [r for r in mined if test_file(r) not in held])


def main() -> None:
    from workbench.data import load_records, write_jsonl

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mined", required=True, help="records from `workbench mine`")
    parser.add_argument("--train", required=True, help="the corpus's train split")
    parser.add_argument("--files", type=int, default=150, help="test files to hold out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--valid-out", required=True)
    parser.add_argument("--rest-out", required=True)
    args = parser.parse_args()
    held, rest = split_by_test_file(load_records(args.mined), load_records(args.train),
                                    args.files, args.seed)
    write_jsonl(args.valid_out, held)
    write_jsonl(args.rest_out, rest)
    print(json.dumps({"held_out_files": args.files, "valid_records": len(held),
                      "rest_records": len(rest)}))


if __name__ == "__main__":
    main()
