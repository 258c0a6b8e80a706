"""Stop 36 against the commit before, --verify --accept-observed on mockito and the six projects:
    python table.py [FOLDER LABEL]   (this folder's, or FOLDER's, and base/'s PROJECT-seed0-observed.json,
    the values JSONs beside them; ../stop37/observed with LABEL "stop 37")"""

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "observed35"))
from table import counts  # noqa: E402  (filled, exactly right, observed, of them exact, taken back)

TRUTHS = re.compile(r"\b(assertTrue|assertFalse|isTrue|isFalse)\(")
NULLS = re.compile(r"\b(assertNull|assertNotNull|isNull|isNotNull)\(")


def kinds(values: Path) -> str:
    """How many values were literals, truth assertions turned, nulls asserted (or nullness turned)."""
    rows = json.loads(values.read_text())["observed"]
    truths = sum(1 for r in rows if TRUTHS.findall(r["before"]) != TRUTHS.findall(r["after"]))
    nulls = sum(1 for r in rows if NULLS.findall(r["before"]) != NULLS.findall(r["after"]))
    return f"{len(rows) - truths - nulls} / {truths} / {nulls}"


here, label = (Path(sys.argv[1]), sys.argv[2]) if len(sys.argv) > 2 else (Path(__file__).parent, "stop 36")
print(f"| project | before: filled / exactly right | {label}: filled / exactly right | {label}: fills with observed "
      f"values (exactly right) | {label}: values: literals / truths turned / nulls | before → {label}: taken back, "
      "test failed / javac |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for now in sorted(here.glob("*-seed0-observed.json")):
    project = now.name.removesuffix("-seed0-observed.json")
    b, n = counts(here / "base" / now.name), counts(now)
    print(f"| {project} | {b[0]} / {b[1]} | {n[0]} / {n[1]} | {n[2]} ({n[3]}) | "
          f"{kinds(here / f'{project}-seed0-observed-values.json')} | {b[4]} → {n[4]} |")
