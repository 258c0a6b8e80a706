"""benchmarks/scripts/gpu_transfer.py: what a device call packs into $OUT comes back whole."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, load_script

SCRIPT = REPO / "benchmarks" / "scripts" / "gpu_transfer.py"
TINY = REPO / "fixtures" / "models" / "tiny"


def _transfer(*argv) -> str:
    done = subprocess.run([sys.executable, str(SCRIPT), *argv], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_pack_then_unpack_restores_the_sweep(tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file

    sweep = tmp_path / "sweep"
    for model_dir in (sweep / "teacher", sweep / "runs" / "student-cpu-balanced",
                      sweep / "runs" / "student-cpu-gold-focused-sub"):
        shutil.copytree(TINY, model_dir)
        (model_dir / "training").mkdir()
        (model_dir / "training" / "checkpoint.pt").write_bytes(b"optimizer state")
        (model_dir / "training" / "done.json").write_text("{}")
    (sweep / "dump.jsonl.gz").write_bytes(b"dump")
    out = tmp_path / "out"
    out.mkdir()
    _transfer("pack", "--sweep", str(sweep), "--out", str(out), "--with-dump")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["models.tar.part00", "results.tar.gz"]
    assert all(p.stat().st_size <= 16 * 2**20 for p in out.iterdir())

    back = tmp_path / "back"
    _transfer("unpack", str(out), "--sweep", str(back))
    original = load_file(TINY / "model.safetensors")
    for kept in ("teacher", "runs/student-cpu-balanced"):  # full runs come back, float32 again
        restored = load_file(back / kept / "model.safetensors")
        assert restored.keys() == original.keys()
        for name, tensor in restored.items():
            assert tensor.dtype == torch.float32
            assert torch.allclose(tensor, original[name], rtol=1e-3, atol=1e-4), name
        assert (back / kept / "training" / "done.json").exists()
        assert not (back / kept / "training" / "checkpoint.pt").exists()
    short = back / "runs" / "student-cpu-gold-focused-sub"
    assert (short / "assertgen.json").exists() and not (short / "model.safetensors").exists()
    assert (back / "dump.jsonl.gz").read_bytes() == b"dump"


def test_pack_all_models_brings_back_every_run_of_gpu_train(tmp_path):
    from safetensors.torch import load_file

    runs = tmp_path / "gpu-train"
    for name in ("student-gold", "student-copy3"):
        shutil.copytree(TINY, runs / name)
        (runs / name / "training").mkdir()
        (runs / name / "training" / "checkpoint.pt").write_bytes(b"optimizer state")
    (runs / "student-copy3" / "copy-warmup" / "training").mkdir(parents=True)
    (runs / "student-copy3" / "copy-warmup" / "training" / "log.jsonl").write_text("{}\n")
    out = tmp_path / "out"
    out.mkdir()
    _transfer("pack", "--all-models", "--sweep", str(runs), "--out", str(out))
    back = tmp_path / "back"
    _transfer("unpack", str(out), "--sweep", str(back))
    for name in ("student-gold", "student-copy3"):
        assert load_file(back / name / "model.safetensors").keys() == \
            load_file(TINY / "model.safetensors").keys()
        assert not (back / name / "training" / "checkpoint.pt").exists()
    assert (back / "student-copy3" / "copy-warmup" / "training" / "log.jsonl").exists()


def test_pack_only_brings_the_named_models_first_within_the_budget(tmp_path, monkeypatch):
    import argparse

    gpu_transfer = load_script("gpu_transfer")
    runs = tmp_path / "gpu-train"
    for name in ("a", "b", "c"):
        shutil.copytree(TINY, runs / name)
    one_model = (TINY / "model.safetensors").stat().st_size // 2  # float16
    monkeypatch.setattr(gpu_transfer, "MODELS_BUDGET", int(1.5 * one_model))
    out = tmp_path / "out"
    out.mkdir()
    gpu_transfer.pack(argparse.Namespace(sweep=str(runs), out=str(out), only="c,a", all_models=True,
                                         skip_teacher=False, with_dump=False))
    back = tmp_path / "back"
    _transfer("unpack", str(out), "--sweep", str(back))
    assert (back / "c" / "model.safetensors").exists()  # named first: packed
    assert not (back / "a" / "model.safetensors").exists()  # over the budget: left behind
    assert not (back / "b" / "model.safetensors").exists()  # not named
    assert (back / "a" / "assertgen.json").exists()  # its results still come back
