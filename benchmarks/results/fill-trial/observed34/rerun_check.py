"""Run a kept filled copy's tests again (its build script, after fill_trial.py --keep) and count how
its filled tests fare, those with values --accept-observed wrote apart:
    python rerun_check.py FILL_REPORT.json KEPT_COPY   (the copy's build/reports read)"""
import json, sys
from pathlib import Path
from assertgen.verify import read_reports
from assertgen import java_source as js
report, root = json.load(open(sys.argv[1])), Path(sys.argv[2])
results = read_reports(sorted((root / "build/reports").glob("TEST-*.xml")))
from collections import Counter
c = Counter()
for f in report["files"]:
    package = js.JavaFile.read(root / f["path"]).package
    for s in f["stubs"]:
        if s["status"] == "filled":
            r = results.get((package, s["test_class"], s["method"]))
            c[("observed" if s["observed"] else "other", r.outcome if r else "not named")] += 1
print(dict(c))
