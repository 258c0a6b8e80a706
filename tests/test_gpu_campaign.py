"""benchmarks/scripts/gpu_campaign.sh on the CPU: a sweep from a teacher the call before left
on the machine, no profiling when asked for none, the results packed and unpacked."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import device_worktree, run_device_script, unpack_device_files, workbench_in

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
    return run_device_script(work, "gpu_campaign.sh", out, GPU_CAMPAIGN_DEVICE="cpu",
                             GPU_CAMPAIGN_CONFIG="sweep.toml", GPU_CAMPAIGN_JOBS="2", GPU_CAMPAIGN_PROFILE="",
                             GPU_CAMPAIGN_PACK="--all-models", GPU_CAMPAIGN_TEACHER=teacher)


def test_sweep_from_the_previous_calls_teacher(tmp_path):
    work = device_worktree(tmp_path)
    (work / "sweep.toml").write_text(SWEEP)
    # what `gpu_transfer.py prepare --plain` stages and what gpu_train.sh's call leaves behind
    workbench_in(work, "tokenizer", "--data", "fixtures/data/train.jsonl", "--vocab-size", "480",
               "--sentinels", "4", "--out", ".gpu/tokenizer")
    workbench_in(work, "train", "--config", "configs/tiny-teacher.toml", "--tokenizer", ".gpu/tokenizer",
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
    unpack_device_files(tmp_path / "out", back)
    rows = {row["run"]: row for row in json.loads((back / "summary.json").read_text())}
    assert set(rows) == {"teacher", "tiny-student-no-distill", "tiny-student-balanced"}
    assert all(row["n"] == 4 for row in rows.values())
    for name in ("teacher", "runs/tiny-student-no-distill", "runs/tiny-student-balanced"):
        assert (back / name / "model.safetensors").exists()
