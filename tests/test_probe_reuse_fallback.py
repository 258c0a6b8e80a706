"""benchmarks/scripts/probe_reuse_fallback.py: the next similar test when the nearest fails fill's checks."""

from __future__ import annotations

import json
import subprocess
import sys

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


def test_rows_and_their_bounds(tmp_path):
    records = fixture_records()
    (tmp_path / "eval").mkdir()
    # the model writes nothing: every exact match comes from reuse
    (tmp_path / "eval" / "predictions.jsonl").write_text(
        "".join(json.dumps({"id": r["id"], "prediction": []}) + "\n" for r in records))
    done = subprocess.run([sys.executable, "benchmarks/scripts/probe_reuse_fallback.py",
                           "--train", "fixtures/data/train.jsonl",
                           "--split", f"test=fixtures/data/test.jsonl={tmp_path / 'eval'}",
                           "--out", str(tmp_path / "out")], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (row,) = json.loads((tmp_path / "out" / "reuse_fallback.json").read_text())["rows"]
    assert row["n"] == len(records) and row["gold_passes_rate"] > 0.5
    assert row["offered"] >= row["fallback_passes"] >= row["nearest_passes"]
    assert row["changed"] == row["fallback_passes"] - row["nearest_passes"]
    assert row["changed_right_before"] == 0  # the model wrote nothing
    assert row["fallback_em"] - row["nearest_em"] == row["changed_right_after"]
    assert "| test | " in (tmp_path / "out" / "reuse_fallback.md").read_text()
