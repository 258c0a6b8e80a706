"""`workbench mine`'s relaxed focal rule, checked where the strict one answers: on the
asserted tests of sampled test files of a methods corpus whose class names their focal
class, how often does the relaxed rule pick the same focal method?

    python benchmarks/scripts/probe_relaxed_focal.py --files 4000     # ~40 s on 2 cores
"""

from __future__ import annotations

import argparse
import json
import random


def agreement(methods_path: str, n_files: int, seed: int = 0) -> tuple[int, int]:
    """(tests where both rules pick the same method, tests the strict rule resolves)."""
    from assertgen import java_source as js
    from assertgen.fill import find_focal
    from workbench.mine import asserted_tests_of, read_methods_corpus, relaxed_focal, test_files_of

    files = read_methods_corpus(methods_path)
    test_files = test_files_of(files)
    random.Random(seed).shuffle(test_files)
    same = total = 0
    for _, _, package, main, test in asserted_tests_of(files, test_files[:n_files]):
        strict = find_focal(test.cls, test.name, js.asserted_test_calls(test.method), package, main)
        if isinstance(strict, str):
            continue
        relaxed = relaxed_focal(test, package, main)
        total += 1
        same += relaxed is not None and relaxed[1].text == strict[2].text
    return same, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--methods", default="../shared/datasets/java-methods-v1/methods.jsonl.gz")
    parser.add_argument("--files", type=int, default=4000, help="test files sampled (seed 0)")
    args = parser.parse_args()
    same, total = agreement(args.methods, args.files)
    print(json.dumps({"same": same, "resolved_by_strict": total, "share": same / total if total else None}))


if __name__ == "__main__":
    main()
