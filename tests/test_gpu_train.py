"""benchmarks/scripts/gpu_train.sh on the CPU: jobs side by side, one after another, packed."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, device_worktree, run_device_script, unpack_device_files, workbench_in

SHORT = "--config configs/tiny-teacher.toml train.epochs=1 train.valid_generate=0"


def test_jobs_run_chain_and_come_back_packed(tmp_path):
    work = device_worktree(tmp_path)
    records = [json.loads(line) for line in (REPO / "fixtures/data/train.jsonl").read_text().splitlines()]
    (work / "methods.jsonl").write_text("".join(json.dumps({"code": r["focal_method"]}) + "\n"
                                                for r in records))
    workbench_in(work, "tokenizer", "--data", "fixtures/data/train.jsonl", "--vocab-size", "600",
                 "--out", "tok")
    (work / "jobs").write_text(
        "# comment lines and blank lines are skipped\n\n"
        f"plain: {SHORT}\n"
        f"pre: pretrain --data methods.jsonl --tokenizer tok {SHORT}\n"
        f"tuned after pre: train --tokenizer {{runs}}/pre {SHORT} model.name_or_path={{runs}}/pre\n"
        f"broken: --config configs/no-such.toml\n"
        f"orphan after broken: {SHORT}\n")
    out = tmp_path / "out"
    done = run_device_script(work, "gpu_train.sh", out, GPU_TRAIN_DEVICE="cpu", GPU_TRAIN_JOBS="jobs",
                             GPU_TRAIN_THREADS="1")
    assert done.returncode == 0, done.stdout + done.stderr
    runs = work / "runs" / "gpu-train"
    status = {name: (runs / f"{name}.exit").read_text().strip()
              for name in ("plain", "pre", "tuned", "broken", "orphan")}
    assert status == {"plain": "0", "pre": "0", "tuned": "0", "broken": "2", "orphan": "skipped"}
    assert json.loads((runs / "pre" / "assertgen.json").read_text())["kind"] == "pretrain"
    tuned = json.loads((runs / "tuned" / "assertgen.json").read_text())
    assert tuned["config"]["model"]["name_or_path"] == str(Path("runs/gpu-train/pre"))
    names = sorted(p.name for p in out.iterdir())
    assert names == ["models.tar.part00", "results.tar.gz", "train.log"]
    back = tmp_path / "back"
    unpack_device_files(out, back)
    for name in ("plain", "pre", "tuned"):
        assert (back / name / "model.safetensors").exists()

    # A second call on the same (warm) machine with the same names stops before starting any.
    (work / "jobs2").write_text(f"fresh: {SHORT}\nplain: {SHORT}\ntuned after pre: {SHORT}\n")
    again = run_device_script(work, "gpu_train.sh", tmp_path / "out2", GPU_TRAIN_DEVICE="cpu",
                              GPU_TRAIN_JOBS="jobs2", GPU_TRAIN_THREADS="1")
    assert again.returncode == 2
    assert "already holds plain tuned" in again.stdout
    assert not (runs / "fresh").exists()


def _load_settings(config: str, overrides: list[str]) -> None:
    """What `workbench train` checks first: the config with its overrides, and every table."""
    from workbench import modeling
    from workbench.train import checked_settings

    checked_settings(modeling.load_config(REPO / config, overrides))


def job_args(jobs_text: str) -> dict[str, list[str]]:
    """{job name: its arguments, subcommand dropped} of a jobs file, as gpu_train.sh reads it."""
    found = {}
    for line in jobs_text.splitlines():
        line = line.split("#")[0]
        if line.strip():
            head, rest = line.split(":", 1)
            args = rest.split()
            found[head.split()[0]] = args[1:] if args[0] in ("train", "pretrain") else args
    return found


def test_every_prepared_jobs_file_names_known_settings():
    """A typo in a jobs file would cost a lent GPU call: every line's config and overrides load."""
    import pytest

    from assertgen.errors import UserError

    every = [args for jobs in sorted((REPO / "configs").glob("*.jobs"))
             for args in job_args(jobs.read_text()).values()]
    checked = 0
    for args in every:
        config = args[args.index("--config") + 1]
        overrides = [a for a in args if "=" in a and not a.startswith("-")]
        _load_settings(config, overrides)
        checked += 1
    assert checked >= 10
    with pytest.raises(UserError, match="no_such_key"):  # what a typo would meet
        _load_settings(config, overrides + ["train.no_such_key=1"])


def test_every_prepared_sweep_config_names_known_settings():
    """The same for the sweep configs: each grid point's student config and overrides load."""
    from workbench.sweep import grid_points, load_sweep

    checked = 0
    for path in sorted((REPO / "configs").glob("sweep-*.toml")):
        for point in grid_points(load_sweep(path), str(path)):
            _load_settings(point["student"], point["overrides"])
            checked += 1
    assert checked >= 20


def test_the_models_each_prepared_call_brings_back_fit_what_a_call_returns():
    """GPU_TRAIN_PACK of each jobs file's header names the models to bring back; their
    float16 weights must fit gpu_transfer.py's budget, or the last ones stay on the device
    (stop 19's CPU dry run found a 9.8M teacher too many)."""
    import re
    import sys

    import torch
    from transformers import T5ForConditionalGeneration

    from workbench import modeling

    sys.path.insert(0, str(REPO / "benchmarks" / "scripts"))
    from gpu_transfer import MODELS_BUDGET

    vocab = 8100  # the GPU runs' 8k tokenizer with its sentinels, rounded up
    checked = 0
    for jobs in sorted((REPO / "configs").glob("*.jobs")):
        text = jobs.read_text()
        pack = re.search(r"GPU_TRAIN_PACK=([\w,-]+)", text)
        if not pack:
            continue
        lines = job_args(text)
        total = 0
        for name in pack.group(1).split(","):
            args = lines[name]
            config = args[args.index("--config") + 1]
            overrides = [a for a in args if a.startswith("model.") and "name_or_path" not in a]
            model_cfg = modeling.load_config(REPO / config, overrides)["model"]
            with torch.device("meta"):
                model = T5ForConditionalGeneration(modeling.t5_config(model_cfg, vocab))
            total += 2 * sum(p.numel() for p in model.parameters())
        assert total <= MODELS_BUDGET, f"{jobs.name}: {total / 2**20:.1f} MiB to bring back"
        checked += 1
    assert checked >= 2
