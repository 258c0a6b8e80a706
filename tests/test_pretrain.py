"""workbench pretrain: T5 span corruption on Java methods, then fine-tuning from it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from workbench.pretrain import span_corrupt

REPO = Path(__file__).resolve().parent.parent
SENTINELS = list(range(1000, 1100))
EOS = 1


def _restore(source: list[int], target: list[int]) -> list[int]:
    """The original ids: each sentinel in the input replaced by its span from the target."""
    spans, current = {}, None
    for token in target[:-1]:
        if token in SENTINELS:
            current = token
            spans[current] = []
        else:
            spans[current].append(token)
    out = []
    for token in source[:-1]:
        out += spans[token] if token in SENTINELS else [token]
    return out


@pytest.mark.parametrize("n", [2, 3, 10, 57, 300])
def test_span_corruption_drops_spans_the_target_restores(n):
    ids = list(range(10, 10 + n))
    source, target = span_corrupt(ids, SENTINELS, EOS, np.random.default_rng(n))
    assert source[-1] == EOS and target[-1] == EOS
    assert _restore(source, target) == ids
    dropped = len(target) - 1 - sum(t in SENTINELS for t in target)
    assert 1 <= dropped <= n - 1
    if n >= 57:
        assert abs(dropped / n - 0.15) < 0.02  # noise_density
        assert sum(t in SENTINELS for t in source) == round(round(n * 0.15) / 3)


def test_span_corruption_is_seeded():
    ids = list(range(10, 110))
    first = span_corrupt(ids, SENTINELS, EOS, np.random.default_rng([13, 5]))
    assert first == span_corrupt(ids, SENTINELS, EOS, np.random.default_rng([13, 5]))
    assert first != span_corrupt(ids, SENTINELS, EOS, np.random.default_rng([13, 6]))


def _workbench(*argv, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "workbench", *argv], cwd=cwd,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def methods_and_tokenizer(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pretrain")
    records = [json.loads(line) for line in (REPO / "fixtures/data/train.jsonl").read_text().splitlines()]
    methods = tmp / "methods.jsonl"
    methods.write_text("".join(json.dumps({"kind": "main", "code": r["focal_method"]}) + "\n"
                               for r in records))
    done = _workbench("tokenizer", "--data", "fixtures/data/train.jsonl", "--vocab-size", "600",
                      "--out", str(tmp / "tok"))
    assert done.returncode == 0, done.stderr
    return methods, tmp / "tok"


def test_pretrain_then_fine_tune_from_it(methods_and_tokenizer, tmp_path):
    methods, tok = methods_and_tokenizer
    out = tmp_path / "pretrained"
    done = _workbench("pretrain", "--config", "configs/tiny-teacher.toml", "--data", str(methods),
                      "--tokenizer", str(tok), "--out", str(out), "--no-progress",
                      "train.epochs=2", "train.batch_size=32")
    assert done.returncode == 0, done.stderr
    meta = json.loads((out / "assertgen.json").read_text())
    assert meta["kind"] == "pretrain"
    assert meta["data"]["train_methods"] + meta["data"]["valid_methods"] == 400
    assert meta["data"]["valid_methods"] == 4  # 1% held out
    rows = [json.loads(line) for line in (out / "training/log.jsonl").read_text().splitlines()]
    losses = [r["valid_loss"] for r in rows if r["type"] == "valid"]
    assert len(losses) == 2 and losses[1] < losses[0]

    tuned = tmp_path / "tuned"
    done = _workbench("train", "--config", "configs/tiny-teacher.toml", "--tokenizer", str(out),
                      "--out", str(tuned), "--no-progress", f"model.name_or_path={out}",
                      "train.epochs=1", "train.valid_generate=0")
    assert done.returncode == 0, done.stderr
    assert json.loads((tuned / "assertgen.json").read_text())["config"]["model"]["name_or_path"] == str(out)


def test_limit_samples_across_the_file_not_its_head(tmp_path):
    from workbench.pretrain import methods_sample

    path = tmp_path / "methods.jsonl"  # stored "repository by repository", as java-methods-v1
    path.write_text("".join(json.dumps({"code": f"void m{i}() {{}}"}) + "\n" for i in range(400)))
    sample = methods_sample(path, 100, seed=13)
    numbers = [int(m["code"].split("(")[0][6:]) for m in sample]
    assert len(set(numbers)) == 100 and max(numbers) >= 300 and numbers == sorted(numbers)
    assert methods_sample(path, 100, seed=13) == sample
    assert len(methods_sample(path, None, seed=13)) == 400


def test_a_line_without_code_names_the_file_and_line(methods_and_tokenizer, tmp_path):
    _, tok = methods_and_tokenizer
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"code": "void a() {}"}\n{"text": "no code field"}\n')
    done = _workbench("pretrain", "--config", "configs/tiny-teacher.toml", "--data", str(bad),
                      "--tokenizer", str(tok), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode != 0
    assert f"{bad}:2" in done.stderr and "code" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "model.safetensors").exists()


@pytest.mark.parametrize("override, message", [
    # span_corrupt's ValueError traceback, after the methods were read
    ("train.max_input_tokens=2", "train.max_input_tokens must be at least 3 for span corruption"),
    # taken as given: -1 held one method out, 2 left none to train on
    ("pretrain.valid_fraction=-1", "pretrain.valid_fraction must be in (0, 1)"),
    ("pretrain.valid_fraction=2.0", "pretrain.valid_fraction must be in (0, 1)"),
])
def test_settings_out_of_range_are_one_line_errors(methods_and_tokenizer, tmp_path, monkeypatch, capsys,
                                                   override, message):
    from workbench.cli import main

    methods, tok = methods_and_tokenizer
    monkeypatch.chdir(REPO)
    with pytest.raises(SystemExit) as done:
        main(["pretrain", "--config", "configs/tiny-student.toml", "--data", str(methods),
              "--tokenizer", str(tok), "--out", str(tmp_path / "out"), "--no-progress", override])
    err = capsys.readouterr().err
    assert done.value.code == 2 and message in err and "Traceback" not in err
    assert "configs/tiny-student.toml" in err


def test_a_tokenizer_without_sentinels_is_a_clear_error(methods_and_tokenizer, tmp_path):
    methods, _ = methods_and_tokenizer
    done = _workbench("pretrain", "--config", "configs/tiny-teacher.toml", "--data", str(methods),
                      "--tokenizer", "fixtures/models/tiny", "--out", str(tmp_path / "out"),
                      "--no-progress")
    assert done.returncode != 0
    assert "sentinel" in done.stderr and "Traceback" not in done.stderr


def test_a_checkpoint_mid_epoch_becomes_a_model_to_fine_tune_from(methods_and_tokenizer, tmp_path):
    methods, tok = methods_and_tokenizer
    run = tmp_path / "pre"
    done = _workbench("pretrain", "--config", "configs/tiny-teacher.toml", "--data", str(methods),
                      "--tokenizer", str(tok), "--out", str(run), "--no-progress", "--max-steps", "3",
                      "train.batch_size=8")
    assert done.returncode == 0, done.stderr
    assert not (run / "model.safetensors").exists()  # stopped mid-epoch: only a checkpoint
    script = [sys.executable, "benchmarks/scripts/checkpoint_to_model.py", "--run", str(run),
              "--config", "configs/tiny-teacher.toml", "--tokenizer", str(tok)]
    done = subprocess.run([*script, "--out", str(tmp_path / "model")], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    meta = json.loads((tmp_path / "model" / "assertgen.json").read_text())
    assert meta["kind"] == "checkpoint" and meta["checkpoint"]["step"] == 3
    done = _workbench("train", "--config", "configs/tiny-teacher.toml", "--tokenizer",
                      str(tmp_path / "model"), "--out", str(tmp_path / "tuned"), "--no-progress",
                      f"model.name_or_path={tmp_path / 'model'}", "--max-steps", "2")
    assert done.returncode == 0, done.stderr
    # A config of another shape is a clear error, not a traceback.
    done = subprocess.run([*script, "--out", str(tmp_path / "bad"), "model.d_model=32"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode != 0 and "do not fit" in done.stderr and "Traceback" not in done.stderr
