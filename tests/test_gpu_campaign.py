"""benchmarks/scripts/gpu_campaign.sh on the CPU: a sweep from a teacher the call before left
on the machine, no profiling when asked for none, the results packed and unpacked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SWEEP = """out = "runs/campaign"
device = "cpu"
threads = 1
[tokenizer]
data = "fixtures/data/train.jsonl"
vocab_size = 480
sentinels = 4
[teacher]
config = "configs/no-such-teacher.toml"   # never trained here: the warm machine's one is used
[dump]
data = "fixtures/data/train.jsonl"
limit = 32
shards = 2
[students]
config = "configs/tiny-student.toml"
overrides = ["train.epochs=1", "train.valid_generate=0", "train.max_target_tokens=40",
             "train.warmup_steps=2", "data.valid=fixtures/data/valid.jsonl"]
[[grid]]
preset = ["no-distill", "balanced"]
[eval]
data = "fixtures/data/test.jsonl"
limit = 4
"""


def _campaign(work: Path, out: Path, teacher: str):
    out.mkdir()
    env = {**os.environ, "OUT": str(out), "GPU_CAMPAIGN_DEVICE": "cpu", "GPU_CAMPAIGN_CONFIG": "sweep.toml",
           "GPU_CAMPAIGN_JOBS": "2", "GPU_CAMPAIGN_PROFILE": "", "GPU_CAMPAIGN_PACK": "--all-models",
           "GPU_CAMPAIGN_TEACHER": teacher,
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    return subprocess.run(["bash", "benchmarks/scripts/gpu_campaign.sh"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)


def _workbench(work: Path, *argv: str) -> None:
    done = subprocess.run([sys.executable, "-m", "workbench", *argv], cwd=work,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_sweep_from_the_previous_calls_teacher(tmp_path):
    work = tmp_path / "repo"  # the script works in a repository root: link the parts it uses
    work.mkdir()
    for part in ("assertgen", "workbench", "benchmarks", "configs", "fixtures"):
        (work / part).symlink_to(REPO / part)
    (work / "sweep.toml").write_text(SWEEP)
    # what `gpu_transfer.py prepare --plain` stages and what gpu_train.sh's call leaves behind
    _workbench(work, "tokenizer", "--data", "fixtures/data/train.jsonl", "--vocab-size", "480",
               "--sentinels", "4", "--out", ".gpu/tokenizer")
    _workbench(work, "train", "--config", "configs/tiny-teacher.toml", "--tokenizer", ".gpu/tokenizer",
               "--out", "runs/gpu-train/teacher", "--no-progress", "--limit", "64", "train.epochs=1",
               "train.valid_generate=0", "train.max_target_tokens=40", "data.valid=fixtures/data/valid.jsonl")

    missing = _campaign(work, tmp_path / "cold", "runs/gpu-train/no-such-run")
    assert missing.returncode == 1
    assert "no finished teacher in runs/gpu-train/no-such-run" in missing.stdout

    done = _campaign(work, tmp_path / "out", "runs/gpu-train/teacher")
    assert done.returncode == 0, done.stdout + done.stderr
    log = (tmp_path / "out" / "campaign.log").read_text()
    assert "teacher: runs/gpu-train/teacher" in log and "profiling" not in log
    back = tmp_path / "back"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks/scripts/gpu_transfer.py"), "unpack",
                           str(tmp_path / "out"), "--sweep", str(back)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    rows = {row["run"]: row for row in json.loads((back / "summary.json").read_text())}
    assert set(rows) == {"teacher", "tiny-student-no-distill", "tiny-student-balanced"}
    assert all(row["n"] == 4 for row in rows.values())
    for name in ("teacher", "runs/tiny-student-no-distill", "runs/tiny-student-balanced"):
        assert (back / name / "model.safetensors").exists()
