"""The Markdown table of "Values the run observed" from this folder's fill_trial.py JSONs:
    python table.py   (PROJECT-seed0-verify.json beside PROJECT-seed0-observed.json; jsoup's plain run too)"""

import json
from pathlib import Path

here = Path(__file__).parent
print("| project | fill options | masked tests filled | exactly right | fills with observed values (exactly right) "
      "| taken back at the end: test failed / javac | verified (all fills) | mean F1 of the filled | fill's wall time |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for verify in sorted(here.glob("*-seed0-verify.json")):
    project = verify.name.removesuffix("-seed0-verify.json")
    runs = [("none", here / f"{project}-seed0.json"), ("`--verify`", verify),
            ("`--verify --accept-observed`", here / f"{project}-seed0-observed.json")]
    for options, path in runs:
        if not path.exists():
            continue
        result = json.loads(path.read_text())
        counts = result["counts"]
        def total(prefix):
            return sum(value for key, value in counts.items() if key.startswith(prefix))
        observed = (f"{counts.get('observed values (--accept-observed): fills with them', 0)} "
                    f"({counts.get('observed values (--accept-observed): of them exactly the original', 0)})"
                    if "accept" in options else "—")
        taken_back = (f"{counts.get('skipped: its test failed when --verify ran it', 0)} / "
                      f"{counts.get('skipped: javac rejected it when --verify ran the tests', 0)}"
                      if "verify" in options else "—")
        summary = result["fill_summary"]
        verified = f"{summary['verified']} of {summary['filled']}" if "verify" in options else "—"
        print(f"| {project} | {options} | {total('filled by')} | {total('exactly the original')} | {observed} "
              f"| {taken_back} | {verified} | {result['mean_f1_of_filled']:.3f} | {result['seconds']:.1f} s |")
