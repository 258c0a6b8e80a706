"""How often do reused fills pass when run, by whether they carry foreign values? (stop 33)

For each reused fill `fill_passes.py` ran (its JSON), whether the assertions hold a literal the
masked test lacks, and whether the similar test's own body holds literals the masked test lacks
(its inputs differ); counted with the outcome and whether the fill is exactly right.

    python benchmarks/scripts/probe_foreign_values.py PROJECT_DIR passes.json [PROJECT_DIR passes.json ...]
"""

import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fill_trial import mask_sample  # noqa: E402
from probe_reuse_rerank import literals  # noqa: E402

from assertgen import java_source as js  # noqa: E402
from assertgen.errors import UserError  # noqa: E402


def count(project: Path, run: dict, counts: Counter) -> None:
    with tempfile.TemporaryDirectory() as tmp:   # the same sample as the run's
        copy = Path(tmp) / "p"
        shutil.copytree(project, copy, symlinks=True)
        masked = {(m["file"], m["method"]): m["masked"] for m in mask_sample(copy, run["masked"], run["seed"])[0]}
    bodies: dict[str, dict[str, str]] = {}
    for stub in run["stubs"]:
        if stub["source"] != "reused" or stub["outcome"] not in ("passes", "fails"):
            continue
        path, name, _ = stub["reused_from"].rsplit(":", 2)
        if path not in bodies:
            try:
                bodies[path] = {t.name: t.masked for t in js.asserted_tests(js.JavaFile.read(project / path))}
            except UserError:
                bodies[path] = {}
        query = literals(masked[(stub["file"], stub["method"])])
        carries = bool(literals(" ".join(stub["assertions"])) - query)
        differ = bool(literals(bodies[path].get(name, "")) - query)
        counts[("exactly right" if stub["exact"] else "other", stub["outcome"],
                "foreign values" if carries and differ else "not foreign")] += 1


def main(argv: list[str]) -> None:
    counts: Counter = Counter()
    for project, run in zip(argv[::2], argv[1::2]):
        count(Path(project), json.loads(Path(run).read_text()), counts)
    for key, n in sorted(counts.items()):
        print(" / ".join(key), n)


if __name__ == "__main__":
    main(sys.argv[1:])
