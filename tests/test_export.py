"""`workbench export`: the CTranslate2 int8 copy agrees with the PyTorch model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assertgen.model import load_generator
from assertgen.prompt import record_input
from workbench.cli import main as workbench_main
from workbench.data import load_records

REPO = Path(__file__).resolve().parent.parent
TINY = REPO / "fixtures" / "models" / "tiny"


def _workbench(*argv) -> int:
    with pytest.raises(SystemExit) as exit_:
        workbench_main(list(argv))
    return exit_.value.code


def test_export_matches_pytorch_greedy(tmp_path):
    model = tmp_path / "model"
    shutil.copytree(TINY, model, ignore=shutil.ignore_patterns("ct2"))
    assert _workbench("export", "--model", str(model), "--quantization", "int8") == 0
    assert {p.name for p in (model / "ct2").iterdir()} >= {"model.bin", "config.json", "tokenizer.json"}
    export = json.loads((model / "assertgen.json").read_text())["export"]
    assert export["quantization"] == "int8" and export["backend"] == "ctranslate2"

    records = load_records(REPO / "fixtures" / "data" / "valid.jsonl")
    inputs = [record_input(r) for r in records]
    ct2 = load_generator(model).generate(inputs, num_candidates=1)
    torch = load_generator(model, backend="pytorch").generate(inputs, num_candidates=1)
    agreement = sum(a[0] == b[0] for a, b in zip(ct2, torch)) / len(inputs)
    # int8 weights change a few greedy decisions at most on this model.
    assert agreement >= 0.8, agreement


def test_export_errors(tmp_path, capsys):
    assert _workbench("export", "--model", str(tmp_path / "none")) == 2
    assert "no such model directory" in capsys.readouterr().err
    model = tmp_path / "model"
    shutil.copytree(TINY, model, ignore=shutil.ignore_patterns("ct2", "tokenizer.json"))
    assert _workbench("export", "--model", str(model)) == 2
    assert "tokenizer.json" in capsys.readouterr().err

    # Weights that are not a safetensors file; then a model that is not seq2seq (BERT).
    shutil.copy(TINY / "tokenizer.json", model / "tokenizer.json")
    (model / "model.safetensors").write_bytes(b"cut off")
    assert _workbench("export", "--model", str(model)) == 2
    err = capsys.readouterr().err
    assert "cannot convert the model" in err and "Traceback" not in err
    assert not (model / "ct2").exists() and not (model / "ct2.tmp").exists()
    from transformers import BertConfig, BertModel

    BertModel(BertConfig(vocab_size=64, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=16)).save_pretrained(model)
    assert _workbench("export", "--model", str(model)) == 2
    err = capsys.readouterr().err
    assert "not a sequence-to-sequence model" in err and "'bert'" in err and "Traceback" not in err
    assert not (model / "ct2").exists()


def test_an_interrupted_export_keeps_the_copy_in_use(tmp_path, monkeypatch):
    """Ctrl-C mid-conversion left ct2.tmp behind; the working ct2/ stays as it was."""
    from ctranslate2.converters import TransformersConverter

    model = tmp_path / "model"
    shutil.copytree(TINY, model)
    before = {p.name: p.read_bytes() for p in (model / "ct2").iterdir()}

    def interrupted(self, output_dir, **kwargs):
        Path(output_dir).mkdir()
        (Path(output_dir) / "model.bin").write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(TransformersConverter, "convert", interrupted)
    assert _workbench("export", "--model", str(model)) == 130
    assert {p.name: p.read_bytes() for p in (model / "ct2").iterdir()} == before
    assert sorted(p.name for p in model.iterdir() if p.name.startswith("ct2")) == ["ct2"]
