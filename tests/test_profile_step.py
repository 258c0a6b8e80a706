"""benchmarks/scripts/profile_step.py: per-phase step times for each batch size, as a table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "scripts" / "profile_step.py"


def test_profile_times_each_phase_of_real_training_steps(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--config", "configs/tiny-teacher.toml",
                           "--limit", "64", "--batch-sizes", "4,8", "--steps", "2",
                           "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "profile.json").read_text())
    assert [row["batch_size"] for row in result["rows"]] == [4, 8]
    for row in result["rows"]:
        for phase in ("data", "forward_loss", "backward", "optimizer"):
            assert row[f"{phase}_ms"] > 0
        assert row["examples_per_s"] > 0
    assert "64 records" in result["header"]
    assert "| 8 |" in (tmp_path / "profile.md").read_text()
    assert "aten::" in (tmp_path / "ops-bs8.txt").read_text()  # the profiler's op table
