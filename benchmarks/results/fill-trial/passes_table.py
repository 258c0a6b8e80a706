"""Markdown table of fill_passes.py runs (NAME-seed0.json, NAME-seed0-base.json in a folder):
per project and code, the filled masked stubs whose tests ran here, and how many of them pass,
fail or do not compile, the exactly right ones apart.

    python benchmarks/results/fill-trial/passes_table.py benchmarks/results/fill-trial/passes33 BASE NEW
"""

import json
import sys
from collections import Counter
from pathlib import Path


def main(folder: Path, base: str, new: str) -> None:
    print("| project | code | filled | run here | exactly right: pass / fail | others: pass / fail / javac rejects |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    totals = {base: Counter(), new: Counter()}
    for path in sorted(folder.glob("*-seed0.json")):
        for code, run in ((base, path.with_name(path.stem + "-base.json")), (new, path)):
            if not run.exists():
                continue
            counts = Counter()
            for stub in json.loads(run.read_text())["stubs"]:
                counts["filled"] += 1
                if not stub["outcome"].startswith("left out"):
                    counts["run"] += 1
                    counts[("exact" if stub["exact"] else "other", stub["outcome"])] += 1
            totals[code].update(counts)
            print(_row(path.stem.removesuffix("-seed0"), code, counts))
    for code, counts in totals.items():
        print(_row("**all**", code, counts))


def _row(project: str, code: str, c: Counter) -> str:
    return (f"| {project} | {code} | {c['filled']} | {c['run']} | {c['exact', 'passes']} / {c['exact', 'fails']} | "
            f"{c['other', 'passes']} / {c['other', 'fails']} / {c['other', 'does not compile']} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
