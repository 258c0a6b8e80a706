"""The Markdown table of a directory of `fill_trial.py --json` runs (run.sh's OUT): one row per
project, seed and code (`NAME-seedN-base.json` is the base commit's, `NAME-seedN.json` this
checkout's), then the totals of each code. A project whose asserted tests were all masked
(jline) has one sample whatever the seed: its lowest seed alone counts.

    python benchmarks/results/fill-trial/table.py benchmarks/results/fill-trial/stop31 [BASE_LABEL] [LABEL]

A directory of `fill_trial.py --gold` runs gives the table of what the checks accept instead.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

COLUMNS = ["masked", "filled (reused)", "exactly the original", "mean F1 of the filled",
           "skipped: no focal class or method", "skipped: no candidate passed the checks", "fill s", "peak RSS MiB"]


def row(run: dict) -> dict:
    counts = run["counts"]
    filled = counts.get("filled by model", 0) + counts.get("filled by reused", 0)
    return {
        "masked": run["masked"],
        "filled": filled,
        "reused": counts.get("filled by reused", 0),
        "exact": counts.get("exactly the original, by model", 0) + counts.get("exactly the original, by reused", 0),
        "f1": run["mean_f1_of_filled"],
        "no focal": counts.get("skipped: focal class not found", 0)
        + counts.get("skipped: no focal method called in the test", 0),
        "no candidate": counts.get("skipped: no candidate passed the checks", 0),
        "seconds": run["seconds"],
        "rss": run["peak_rss_mib"],
    }


def gold_table(runs: dict, base_label: str) -> None:
    """The rows of `--gold` runs: of the masked tests with a focal method, those whose own
    assertions the checks accept, and the most common refusal (the base code's row first)."""
    print("| project | seed | code | masked | with a focal method | own assertions accepted | most common refusal |")
    print("| --- | ---: | --- | ---: | ---: | ---: | --- |")
    for (project, seed, code), run in sorted(runs.items(), key=lambda item: (*item[0][:2], item[0][2] != base_label)):
        gold = run["gold"]
        refusal = f"{gold['refused'][0]['reason']} ({gold['refused'][0]['count']})" if gold["refused"] else ""
        print(f"| {project} | {seed} | {code} | {run['masked']} | {gold['offered']} | {gold['accepted']} | {refusal} |")
    for code in sorted({code for _, _, code in runs}, key=lambda code: code != base_label):
        offered = sum(r["gold"]["offered"] for (_, _, c), r in runs.items() if c == code)
        accepted = sum(r["gold"]["accepted"] for (_, _, c), r in runs.items() if c == code)
        print(f"\n{code}: {accepted} of {offered} accepted ({accepted / offered:.1%})")


def main(folder: Path, base_label: str = "base", label: str = "new") -> None:
    golds = {key: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))
             if (found := re.fullmatch(r"(.+)-seed(\d+)(-base)?\.json", path.name))
             for key in [(found.group(1), int(found.group(2)), base_label if found.group(3) else label)]}
    if golds and all("gold" in run for run in golds.values()):
        gold_table(golds, base_label)
        return
    runs, whole = {}, {}   # whole: (project, code) -> the lowest seed of a run that masked all its tests
    for path in sorted(folder.glob("*.json")):
        found = re.fullmatch(r"(.+)-seed(\d+)(-base)?\.json", path.name)
        run = json.loads(path.read_text())
        if not found:
            continue
        key = (found.group(1), int(found.group(2)), base_label if found.group(3) else label)
        if run["masked"] >= run["asserted_tests"]:  # every seed gives this one sample: count it once
            if whole.get(key[::2], key[1] + 1) <= key[1]:
                continue
            runs.pop((key[0], whole.get(key[::2]), key[2]), None)
            whole[key[::2]] = key[1]
        runs[key] = row(run)
    print("| project | seed | code | " + " | ".join(COLUMNS) + " |")
    print("| --- | ---: | --- | " + " | ".join("---:" for _ in COLUMNS) + " |")
    totals: dict[str, dict[str, float]] = {}
    samples = {code: {(project, seed) for project, seed, c in runs if c == code} for code in (base_label, label)}
    both = samples[base_label] & samples[label]   # (a project the base code could not fill is left out)
    for (project, seed, code), r in sorted(runs.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] != base_label)):
        f1 = "" if r["f1"] is None else f"{r['f1']:.3f}"
        print(f"| {project} | {seed} | {code} | {r['masked']} | {r['filled']} ({r['reused']}) | {r['exact']} | {f1} | "
              f"{r['no focal']} | {r['no candidate']} | {r['seconds']:.1f} | {r['rss']:.0f} |")
        total = totals.setdefault(code if (project, seed) in both else f"{code} alone", {})
        for key in ("masked", "filled", "reused", "exact"):
            total[key] = total.get(key, 0) + r[key]
    for code, total in totals.items():
        print(f"\n{code}: {total['masked']} masked, {total['filled']} filled ({total['reused']} reused), "
              f"{total['exact']} exactly the original ({total['exact'] / total['masked']:.1%})")


if __name__ == "__main__":
    main(Path(sys.argv[1]), *sys.argv[2:4])
