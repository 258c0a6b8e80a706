"""The reuse probes: probe_reuse_threshold.py (from which similarity to reuse) and
probe_reuse_fallback.py (the next similar test when the nearest fails fill's checks)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks" / "scripts"))
from probe_reuse_fallback import passes, stand_in_scope  # noqa: E402


def fixture_records() -> list[dict]:
    return [json.loads(line) for line in (REPO / "fixtures/data/test.jsonl").read_text().splitlines()]


def test_the_stand_in_checks_accept_the_gold_and_reject_unknown_names():
    record = fixture_records()[0]
    scope = stand_in_scope(record)
    assert passes(record["assertions"], scope)
    assert not passes(["assertEquals(1, nowhereDeclared);"], scope)


def test_the_typed_stand_in_knows_the_test_s_variable_types():
    """probe_gold_checks.py's stand-in: the types the test declares, so type checks run on the gold."""
    record = dict(fixture_records()[0], test_method_masked="public void t() {\n    java.util.List<String> names = f();\n"
                  "    // ASSERTION PLACEHOLDER\n}")
    wrong = ["assertTrue(names.size());"]
    assert passes(wrong, stand_in_scope(record)) and not passes(wrong, stand_in_scope(record, typed=True))
    assert passes(["assertEquals(1, names.size());"], stand_in_scope(record, typed=True))


def run_probe(script: str, tmp_path) -> None:
    """The probe on the fixture test split, with a model that writes nothing (every exact
    match comes from reuse)."""
    (tmp_path / "eval").mkdir(exist_ok=True)
    (tmp_path / "eval" / "predictions.jsonl").write_text(
        "".join(json.dumps({"id": r["id"], "prediction": []}) + "\n" for r in fixture_records()))
    done = subprocess.run([sys.executable, f"benchmarks/scripts/{script}", "--train", "fixtures/data/train.jsonl",
                           "--split", f"test=fixtures/data/test.jsonl={tmp_path / 'eval'}",
                           "--out", str(tmp_path / "out")], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_threshold_rows_run_from_reuse_everywhere_to_the_model_alone(tmp_path):
    run_probe("probe_reuse_threshold.py", tmp_path)
    rows = json.loads((tmp_path / "out" / "reuse_threshold.json").read_text())["rows"]
    alone_rows = json.loads((tmp_path / "out" / "reuse_alone.json").read_text())["rows"]
    assert [row["search"] for row in alone_rows] == ["words", "chars"]  # side by side
    for alone in alone_rows:
        curve = [row for row in rows if row["search"] == alone["search"]]
        assert [row["threshold"] for row in curve][::len(curve) - 1] == [0.0, 1.01]
        assert curve[0]["reused"] > 0 and curve[-1]["reused"] == 0
        assert alone["exact_match"] > 0 and curve[0]["exact_match"] == pytest.approx(alone["exact_match"])
        assert curve[-1]["exact_match"] == 0  # the model alone writes nothing
    assert (tmp_path / "out" / "reuse_threshold.png").stat().st_size > 0


def test_fallback_rows_and_their_bounds(tmp_path):
    records = fixture_records()
    run_probe("probe_reuse_fallback.py", tmp_path)
    (row,) = json.loads((tmp_path / "out" / "reuse_fallback.json").read_text())["rows"]
    assert row["n"] == len(records) and row["gold_passes_rate"] > 0.5
    assert row["offered"] >= row["fallback_passes"] >= row["nearest_passes"]
    assert row["changed"] == row["fallback_passes"] - row["nearest_passes"]
    assert row["changed_right_before"] == 0  # the model wrote nothing
    assert row["fallback_em"] - row["nearest_em"] == row["changed_right_after"]
    assert "| test | " in (tmp_path / "out" / "reuse_fallback.md").read_text()
