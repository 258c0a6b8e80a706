"""Share of the corpus's gold assertion lists that `assertgen fill`'s checks accept, on the
stand-in scope of probe_reuse_fallback.py (the records carry no Java sources; with the types the
test declares its variables with, so the checks that follow types run too), per split, with
the most common rejection reasons: a guard against checks that turn away correct assertions.

    python benchmarks/scripts/probe_gold_checks.py ../shared/datasets/java-assertions-v1
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from probe_reuse_fallback import stand_in_scope  # noqa: E402

from assertgen.checks import check_candidate  # noqa: E402
from assertgen.fill import reused_candidate  # noqa: E402
from assertgen.prompt import parse_output  # noqa: E402
from workbench.data import load_records  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default="../shared/datasets/java-assertions-v1",
                        help="folder of valid/test-inproject/test.jsonl.gz")
    corpus = Path(parser.parse_args().corpus)
    for split in ("valid", "test-inproject", "test"):
        records = load_records(corpus / f"{split}.jsonl.gz")
        passed, reasons = 0, collections.Counter()
        for record in records:
            scope = stand_in_scope(record, typed=True)
            reason = "no stub" if scope is None else check_candidate(
                parse_output(reused_candidate(record["assertions"])), scope).reason
            if reason is None:
                passed += 1
            else:
                reasons[reason.split("'")[0].strip()] += 1
        print(f"{split}: {passed}/{len(records)} = {passed / len(records):.3f} pass;", reasons.most_common(5))


if __name__ == "__main__":
    main()
