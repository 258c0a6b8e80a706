"""benchmarks/scripts/probe_selection.py: a model choosing among retrieved assertions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_selection_rows_and_their_bounds(tmp_path):
    done = subprocess.run([sys.executable, "benchmarks/scripts/probe_selection.py",
                           "--model", "fixtures/models/tiny", "--train", "fixtures/data/train.jsonl",
                           "--split", "fixtures/data/test.jsonl", "--limit", "12", "--k", "2",
                           "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "selection.json").read_text())
    em = {row["selection"]: row["exact_match"] for row in result["rows"]}
    assert list(em) == ["greedy", "ir-top1", "rerank-sum", "rerank-mean", "oracle-greedy-or-ir",
                        "oracle-top-2"]
    assert result["records"] == 12
    assert em["oracle-greedy-or-ir"] >= max(em["greedy"], em["ir-top1"])
    assert em["oracle-top-2"] >= em["ir-top1"]
    assert "| rerank-sum |" in (tmp_path / "selection.md").read_text()
