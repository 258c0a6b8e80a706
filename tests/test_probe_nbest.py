"""benchmarks/scripts/probe_nbest.py: choosing among the model's n-best and similar tests' lists."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_nbest_rows_and_their_bounds(tmp_path):
    done = subprocess.run([sys.executable, "benchmarks/scripts/probe_nbest.py", "--model", "fixtures/models/tiny",
                           "--train", "fixtures/data/train.jsonl", "--split", "test=fixtures/data/test.jsonl",
                           "--beams", "4", "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (row,) = json.loads((tmp_path / "nbest.json").read_text())["rows"]
    assert row["n"] == 40
    assert row["beam-1"] <= row["oracle-beams@2"] <= row["oracle-beams@4"]
    assert row["oracle-all"] >= max(row["oracle-beams@4"], row["oracle-similar"], row["mbr-all"],
                                    row["reuse-first"], row["reuse-first+mbr"])
    assert row["oracle-beams@4"] >= row["mbr-beams"]
    assert 0 < row["beam_only_top_file"] <= 1
    assert "| reuse-first+mbr |" in (tmp_path / "nbest.md").read_text()
