"""benchmarks/scripts/fill_trial.py: `assertgen fill` on a masked copy of a real project."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from conftest import JAVA_PROJECT, REPO

sys.path.insert(0, str(REPO / "benchmarks" / "scripts"))
from fill_trial import mask_sample, score  # noqa: E402

from assertgen import java_source as js  # noqa: E402
from assertgen.prompt import PLACEHOLDER  # noqa: E402

CRLF_TEST = "src/test/java/com/example/text/StringUtilsTest.java"


def test_masking_replaces_the_sampled_tests_assertions_and_keeps_line_breaks(tmp_path):
    project = shutil.copytree(JAVA_PROJECT, tmp_path / "p")
    masked, asserted = mask_sample(project, 10, seed=0)
    assert asserted == len(masked) == 4   # every asserted test of the fixture, main sources skipped
    for entry in masked:
        source = (project / entry["file"]).read_bytes()
        assert PLACEHOLDER.encode() in source and entry["assertions"]
        assert not any(t.name == entry["method"] for t in js.asserted_tests(js.JavaFile.read(project / entry["file"])))
    crlf = (project / CRLF_TEST).read_bytes()
    assert crlf.count(b"\n") == crlf.count(b"\r\n")


def test_scoring_counts_exact_matches_by_writer_and_leaves_other_stubs_unscored():
    masked = [{"file": "T.java", "method": m, "assertions": ["assertEquals(1, f());"]} for m in "abc"]
    stub = {"status": "filled", "reason": None, "source": "model"}
    report = {"files": [{"path": "T.java", "stubs": [
        {**stub, "method": "a", "assertions": ["assertEquals(1,   f());"],      # blanks do not count
         "observed": [{"at": 0, "before": "assertEquals(3, f());", "failure": "expected: <3> but was: <1>"}]},
        {**stub, "method": "b", "source": "reused", "assertions": ["assertEquals(2, f());"]},
        {"method": "c", "status": "skipped", "reason": "no focal method called in the test"},
        {"method": "d", "status": "skipped", "reason": "focal class not found"}]}]}
    result = score(masked, report)
    assert result["counts"] == {
        "exactly the original, by model": 1, "exactly the original, by reused": 0,
        "filled by model": 1, "filled by reused": 1, "masked stubs found": 3,
        "observed values (--accept-observed): fills with them": 1,
        "observed values (--accept-observed): of them exactly the original": 1,
        "other stubs (tests without assertions)": 1, "skipped: no focal method called in the test": 1}
    assert result["mean_f1_of_filled"] == 0.5


def test_the_trial_fills_a_copy_and_leaves_the_project_alone(tmp_path):
    before = {p: p.read_bytes() for p in JAVA_PROJECT.rglob("*") if p.is_file()}
    done = subprocess.run([sys.executable, str(REPO / "benchmarks/scripts/fill_trial.py"), str(JAVA_PROJECT),
                           "--mask", "3", "--json", str(tmp_path / "t.json"), "--keep", str(tmp_path / "copy"),
                           "--fill-report", str(tmp_path / "fill.json"), "--", "--no-reuse"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "t.json").read_text())
    counts = result["counts"]
    assert result["masked"] == counts["masked stubs found"] == 3 and result["fill_args"] == ["--no-reuse"]
    assert counts.get("filled by model", 0) + sum(v for k, v in counts.items() if k.startswith("skipped")) == 3
    assert "filled by reused" not in counts
    assert {p: p.read_bytes() for p in JAVA_PROJECT.rglob("*") if p.is_file()} == before
    assert result["fill_summary"]["written"] and (tmp_path / "copy/src/test/java").is_dir()
    assert json.loads((tmp_path / "fill.json").read_text())["summary"] == result["fill_summary"]   # fill's own report


def test_the_gold_trial_offers_the_developers_assertions_and_the_checks_accept_them(tmp_path):
    """`--gold`: every masked test of the fixture project with a focal method gets its own
    assertions as the only candidate; the checks must take them all (a refusal would turn away
    correct assertions)."""
    done = subprocess.run([sys.executable, str(REPO / "benchmarks/scripts/fill_trial.py"), str(JAVA_PROJECT),
                           "--gold", "--json", str(tmp_path / "g.json")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    gold = json.loads((tmp_path / "g.json").read_text())["gold"]
    assert gold["offered"] >= 3 and gold["accepted"] == gold["offered"] and gold["refused"] == []


def test_the_table_counts_a_wholly_masked_project_once_whatever_its_seeds(tmp_path, capsys):
    """benchmarks/results/fill-trial/table.py: a project whose every asserted test was masked has
    one sample whatever the seed (stop 32's 26-project runs had only seed 2: they were all left out)."""
    import importlib.util   # (the table script is not in benchmarks/scripts)

    spec = importlib.util.spec_from_file_location("table", REPO / "benchmarks/results/fill-trial/table.py")
    table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(table)
    counts = {"filled by model": 1, "exactly the original, by model": 1}
    run = {"masked": 10, "asserted_tests": 10, "counts": counts, "mean_f1_of_filled": 1.0, "seconds": 1, "peak_rss_mib": 1}
    for seed in (2, 3):
        for suffix in ("", "-base"):
            (tmp_path / f"small-seed{seed}{suffix}.json").write_text(json.dumps(run))
    (tmp_path / "large-seed2.json").write_text(json.dumps({**run, "asserted_tests": 50}))
    (tmp_path / "large-seed3.json").write_text(json.dumps({**run, "asserted_tests": 50}))
    table.main(tmp_path, "base", "new")
    out = capsys.readouterr().out
    assert "base: 10 masked, 1 filled" in out and "new alone: 20 masked" in out and "new: 10 masked, 1 filled" in out
