"""Stop 36 against the commit before, --verify --accept-observed on mockito and the six projects:
    python table.py   (this folder's and base/'s PROJECT-seed0-observed.json, the values JSONs beside them)"""

import json
import re
import sys
from pathlib import Path

here = Path(__file__).parent
sys.path.insert(0, str(here.parent / "observed35"))
from table import counts  # noqa: E402  (filled, exactly right, observed, of them exact, taken back)

TRUTHS = re.compile(r"\b(assertTrue|assertFalse|isTrue|isFalse)\(")
NULLS = re.compile(r"\b(assertNull|assertNotNull|isNull|isNotNull)\(")


def kinds(values: Path) -> str:
    """How many values were literals, truth assertions turned, nulls asserted (or nullness turned)."""
    rows = json.loads(values.read_text())["observed"]
    truths = sum(1 for r in rows if TRUTHS.findall(r["before"]) != TRUTHS.findall(r["after"]))
    nulls = sum(1 for r in rows if NULLS.findall(r["before"]) != NULLS.findall(r["after"]))
    return f"{len(rows) - truths - nulls} / {truths} / {nulls}"


print("| project | before: filled / exactly right | stop 36: filled / exactly right | stop 36: fills with observed "
      "values (exactly right) | stop 36: values: literals / truths turned / nulls | before → stop 36: taken back, "
      "test failed / javac |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for now in sorted(here.glob("*-seed0-observed.json")):
    project = now.name.removesuffix("-seed0-observed.json")
    b, n = counts(here / "base" / now.name), counts(now)
    print(f"| {project} | {b[0]} / {b[1]} | {n[0]} / {n[1]} | {n[2]} ({n[3]}) | "
          f"{kinds(here / f'{project}-seed0-observed-values.json')} | {b[4]} → {n[4]} |")
