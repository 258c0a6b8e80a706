"""benchmarks/scripts/collect_runs.py: finished runs into runs.json and one loss plot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "scripts" / "collect_runs.py"


def _write_stage(folder: Path, losses: list[float]) -> None:
    folder.mkdir(parents=True)
    rows = [{"type": "train", "step": 1, "loss": 9.0}]
    rows += [{"type": "valid", "epoch": i + 1, "valid_loss": v} for i, v in enumerate(losses)]
    (folder / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (folder / "done.json").write_text(json.dumps({"best": min(losses)}))


def test_collects_each_stage_of_each_run(tmp_path):
    _write_stage(tmp_path / "gold" / "training", [5.0, 4.5, 4.2])
    _write_stage(tmp_path / "copy" / "copy-warmup" / "training", [3.0, 2.0])
    _write_stage(tmp_path / "copy" / "training", [4.8])
    out = tmp_path / "results"
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out),
                           f"gold={tmp_path / 'gold'}", f"copy={tmp_path / 'copy'}"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    runs = json.loads((out / "runs.json").read_text())
    assert [s["stage"] for s in runs["copy"]] == ["copy", "gold"]
    assert [r["valid_loss"] for r in runs["gold"][0]["valid"]] == [5.0, 4.5, 4.2]
    assert runs["copy"][1]["done"] == {"best": 4.8}
    assert (out / "valid_loss.png").stat().st_size > 1000


def test_a_folder_without_a_run_is_a_clear_error(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path / "r"),
                           f"x={tmp_path}"], capture_output=True, text=True)
    assert done.returncode != 0
    assert "NAME=RUN_DIR" in done.stderr and "Traceback" not in done.stderr
