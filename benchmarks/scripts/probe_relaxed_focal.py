"""`workbench mine`'s relaxed focal rule, checked where the strict one answers: on the
asserted tests of 4,000 sampled test files (seed 0) of java-methods-v1 whose class names
their focal class, how often does the relaxed rule pick the same focal method?

    python benchmarks/scripts/probe_relaxed_focal.py      # ~40 s on 2 cores
"""
import random
from collections import defaultdict
from assertgen import java_source as js
from assertgen.fill import find_focal
from workbench.data import iter_records
from workbench.mine import MainClasses, _method_line, package_of, relaxed_focal, source_file

files = defaultdict(lambda: {"main": {}, "test": {}})
for m in iter_records("../shared/datasets/java-methods-v1/methods.jsonl.gz", normalise=_method_line):
    files[m["repository"]][m["kind"]].setdefault(m["path"], []).append(m["code"])
tests = [(r, p) for r in sorted(files) for p in sorted(files[r]["test"])]
random.Random(0).shuffle(tests)
same = total = 0
for repo, path in tests[:4000]:
    main = MainClasses(files[repo]["main"])
    for t in js.asserted_tests(source_file(path, files[repo]["test"][path])):
        found = find_focal(t.cls, t.name, js.asserted_test_calls(t.method), package_of(path), main)
        if isinstance(found, str):
            continue
        relaxed = relaxed_focal(t, package_of(path), main)
        total += 1
        same += relaxed is not None and relaxed[1].text == found[2].text
print(f"{same}/{total} = {same/total:.3f}")
