"""When the nearest test's assertions fail `assertgen fill`'s checks, does the next similar test help?

    python benchmarks/scripts/probe_reuse_fallback.py --train $D/train.jsonl.gz \
        --split valid=$D/valid.jsonl.gz=runs/report-shipped-all/eval/valid/shipped \
        --split test-inproject=$D/test-inproject.jsonl.gz=runs/report-shipped-all/eval/test-inproject/shipped \
        --out benchmarks/results/reuse-fallback

The benchmarks reuse the nearest test of the record's repository (`RepositoryReuse`, as
`workbench report --reuse`) and never run fill's checks, which need the user's Java
sources. This probe runs them on a stand-in: the record's masked test inside a class with
the test file's imports, the focal class and the capitalised names of the test and its
focal method as types, and every name the test uses as a value (the test class's fields
are not in the record). The gold assertions pass it for the share the table reports. Per split, at the
shipped reuse search and threshold, exact match of what fill would write:
- nearest: the nearest test's list if it passes, else the model's (greedy, unchecked);
- fallback: the first of the 5 nearest (above the threshold) that passes, else the model's.
"""

from __future__ import annotations

import re

LIMIT = 5
_WORD = re.compile(r"[A-Za-z_]\w*")


def stand_in_scope(record: dict, typed: bool = False):
    """fill's Scope for the record's stub, from the record alone (see the module docstring);
    `typed`: with the types the test declares its variables with (no project class is known), so
    the checks that follow them (members of what a JDK method returns, ...) run too."""
    from assertgen import checks
    from assertgen import java_source as js

    imports = record.get("test_imports") or ["import static org.junit.Assert.*;"]
    source = ("\n".join(imports) + "\nclass RecordTest {\n@org.junit.Test\n"
              + record["test_method_masked"] + "\n}\n").encode()
    jf = js.JavaFile("RecordTest.java", source, js.parse(source))
    stubs, _ = js.find_stubs(jf)
    if not stubs:
        return None
    words = set(_WORD.findall(record["test_method_masked"]))
    focal_class = (record.get("focal_class") or "").rsplit(".", 1)[-1]
    scope = checks.scope_at(stubs[0], {w for w in words | set(_WORD.findall(record["focal_method"]))
                                   if w[0].isupper()} | {focal_class}, classes=(lambda name: None) if typed else None)
    scope.values |= {w for w in words if not w[0].isupper()}
    scope.methods |= words
    return scope


def passes(assertions: list[str], scope) -> bool:
    """Whether `assertgen fill` would accept these reused assertions in `scope`."""
    from assertgen.checks import check_candidate
    from assertgen.fill import reused_candidate
    from assertgen.prompt import parse_output

    if scope is None:
        return False
    return check_candidate(parse_output(reused_candidate(assertions)), scope).reason is None


def main() -> None:
    from probe_selection import reuse_probe_inputs, write_rows

    from assertgen.reuse import RepositoryReuse, Reuser
    from workbench.metrics import per_example

    args, train, idioms, splits = reuse_probe_inputs(__doc__.splitlines()[0])
    reuser = Reuser(idioms)  # the shipped search and threshold
    rows = []
    for name, records, model in splits:
        options = RepositoryReuse(reuser, [*records, *train]).candidates(records, limit=LIMIT)

        def exact(prediction, record) -> int:
            return per_example(prediction, record["assertions"], with_codebleu=False)["exact_match"]

        counts = dict.fromkeys(["gold_passes", "offered", "nearest_passes", "fallback_passes",
                                "nearest_em", "fallback_em", "changed", "changed_right_before",
                                "changed_right_after"], 0)
        for record, prediction, found in zip(records, model, options):
            scope = stand_in_scope(record)
            counts["gold_passes"] += passes(record["assertions"], scope)
            first = found[0].assertions if found and passes(found[0].assertions, scope) else None
            chosen = next((o.assertions for o in found if passes(o.assertions, scope)), None)
            counts["offered"] += bool(found)
            counts["nearest_passes"] += first is not None
            counts["fallback_passes"] += chosen is not None
            before = int(exact(first if first is not None else prediction, record))
            after = int(exact(chosen if chosen is not None else prediction, record))
            counts["nearest_em"] += before
            counts["fallback_em"] += after
            if first is None and chosen is not None:
                counts["changed"] += 1
                counts["changed_right_before"] += before
                counts["changed_right_after"] += after
        n = len(records)
        rows.append({"split": name, "n": n, **counts,
                     **{f"{k}_rate": counts[k] / n for k in ("gold_passes", "nearest_em", "fallback_em")}})
        print(name, rows[-1])

    write_rows(args.out, "reuse_fallback", {"train": args.train, "splits": args.split, "limit": LIMIT,
                                            "search": reuser.search, "threshold": reuser.threshold},
               f"The next similar test when the nearest one fails fill's checks (stand-in scope; {LIMIT} nearest, "
               f"search {reuser.search}, threshold {reuser.threshold})", rows,
               [("split", "split"), ("n", "records"), ("gold_passes_rate", "gold passes the stand-in checks"),
                ("offered", "offered reuse"), ("nearest_passes", "nearest passes"),
                ("fallback_passes", "one of 5 passes"), ("changed", "records changed"),
                ("changed_right_before", "of them right before (model)"),
                ("changed_right_after", "right after (reused)"),
                ("nearest_em_rate", "EM nearest"), ("fallback_em_rate", "EM fallback")])


if __name__ == "__main__":
    main()
