"""Stop 35 against stop 34, --verify --accept-observed on the same six projects (and mockito, ../assertj35):
    python table.py   (this folder's and ../observed34's PROJECT-seed0-observed.json, the values JSONs beside them)"""

import json
import re
from pathlib import Path

here = Path(__file__).parent
TRUTHS = re.compile(r"\b(assertTrue|assertFalse|isTrue|isFalse)\(")


def counts(path: Path) -> tuple[int, int, int, int, str]:
    """(filled, exactly right, fills with observed values, of them exactly right, taken back: failed / javac)."""
    c = json.loads(path.read_text())["counts"]
    total = lambda prefix: sum(v for k, v in c.items() if k.startswith(prefix))   # noqa: E731
    return (total("filled by"), total("exactly the original"),
            c.get("observed values (--accept-observed): fills with them", 0),
            c.get("observed values (--accept-observed): of them exactly the original", 0),
            f"{c.get('skipped: its test failed when --verify ran it', 0)} / "
            f"{c.get('skipped: javac rejected it when --verify ran the tests', 0)}")


def kinds(values: Path) -> str:
    """How many values were literals and how many truth assertions turned."""
    rows = json.loads(values.read_text())["observed"]
    turned = sum(1 for r in rows if TRUTHS.findall(r["before"]) != TRUTHS.findall(r["after"]))
    return f"{len(rows) - turned} / {turned}"


if __name__ == "__main__":
    print("| project | stop 34: filled / exactly right | stop 35: filled / exactly right | stop 35: fills with observed "
          "values (exactly right) | stop 35: values written: literals / truths turned | stop 35: taken back, test failed / javac |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for now in sorted(here.glob("*-seed0-observed.json")):
        project = now.name.removesuffix("-seed0-observed.json")
        before = here.parent / "observed34" / now.name
        b, n = counts(before), counts(now)
        print(f"| {project} | {b[0]} / {b[1]} | {n[0]} / {n[1]} | {n[2]} ({n[3]}) | "
              f"{kinds(here / f'{project}-seed0-observed-values.json')} | {n[4]} |")
