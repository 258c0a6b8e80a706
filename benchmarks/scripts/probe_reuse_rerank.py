"""Would preferring, among a stub's similar tests, one whose assertions carry no foreign values
lift reuse's exact match on the corpus? (stop 33: no, a little lower.)

"Foreign": the reused (adapted) assertions hold a literal the query's masked test lacks, while
the similar test's own body holds literals the query lacks (its inputs differ, so its expected
values likely do too). Run with JUnit (fill_passes.py), such reused fills pass far less often.
This compares, per split, the nearest similar test's assertions (what reuse takes) with the
first of the 5 nearest above reuse's threshold that is not foreign (else the nearest).

    python benchmarks/scripts/probe_reuse_rerank.py valid test-inproject
"""

import re
import sys

from assertgen.abstraction import fit_idioms
from assertgen.reuse import THRESHOLDS, RepositoryReuse, Reuser
from workbench.data import load_records
from workbench.metrics import normalize_assertion

DATA = "/work/shared/datasets/java-assertions-v1"
LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|\b\d[\w.]*\b')
COMMON = {"0", "1", "2", "-1", "0L", "1L", '""'}   # values any test may assert


def literals(text: str) -> set[str]:
    return set(LITERAL.findall(text)) - COMMON


def main(splits: list[str]) -> None:
    train = load_records(f"{DATA}/train.jsonl.gz")
    for split in splits:
        records = load_records(f"{DATA}/{split}.jsonl.gz")
        by_id = {str(r.get("id")): r for r in [*records, *train]}
        search = RepositoryReuse(Reuser(fit_idioms(train), threshold=0.0, search="chars"), [*records, *train])

        def exact(option, record) -> bool:
            return [normalize_assertion(a) for a in option.assertions] == \
                [normalize_assertion(a) for a in record["assertions"]]

        nearest = preferred = foreign_nearest = 0
        for options, record in zip(search.candidates(records, limit=5), records):
            if not options:
                continue
            query = literals(record["test_method_masked"])

            def foreign(option) -> bool:
                neighbour = by_id.get(option.source)
                return bool(literals(" ".join(option.assertions)) - query) and neighbour is not None \
                    and bool(literals(neighbour["test_method_masked"]) - query)

            above = [o for o in options if o.similarity >= THRESHOLDS["chars"]] or options[:1]
            nearest += exact(options[0], record)
            preferred += exact(next((o for o in above if not foreign(o)), above[0]), record)
            foreign_nearest += foreign(options[0])
        print(f"{split}: {len(records)} records; exactly right: nearest {nearest}, preferring not foreign "
              f"{preferred}; the nearest is foreign for {foreign_nearest}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
