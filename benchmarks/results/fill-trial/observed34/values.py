"""The values --accept-observed wrote, from fill's own JSON report (fill_trial.py --fill-report):
    python values.py FILL_REPORT.json OUT.json   (fill's summary, then each value: file, method, the
    assertion before and after, the failure message it came from)"""

import json
import sys

report = json.load(open(sys.argv[1]))
rows = [{"file": f["path"], "method": s["method"], "before": o["before"], "after": s["assertions"][o["at"]],
         "failure": o["failure"]}
        for f in report["files"] for s in f["stubs"] if s["status"] == "filled" for o in s["observed"]]
with open(sys.argv[2], "w") as out:
    json.dump({"summary": report["summary"], "observed": rows}, out, indent=1)
print(f"{sys.argv[2]}: {len(rows)} values")
