"""benchmarks/scripts/probe_adaptation.py: retrieved assertions in the query's names."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO


def test_rows_and_their_bounds(tmp_path):
    done = subprocess.run([sys.executable, "benchmarks/scripts/probe_adaptation.py",
                           "--train", "fixtures/data/train.jsonl", "--split", "fixtures/data/test.jsonl",
                           "--limit", "20", "--k", "3", "--out", str(tmp_path)],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "adaptation.json").read_text())
    em = {row["candidates"]: row["exact_match"] for row in result["rows"]}
    assert result["records"] == 20 and len(em) == 7
    for name in ("plain", "adapted", "adapted-keep-shared"):
        assert em[f"{name}, any of 3"] >= em[f"{name}, nearest"]
        assert em["any candidate, any of 3"] >= em[f"{name}, any of 3"]
    assert "| adapted-keep-shared, nearest |" in (tmp_path / "adaptation.md").read_text()
