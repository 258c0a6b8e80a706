"""workbench.modeling (configs, hub fallback, model directories) and `workbench tokenizer`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assertgen.errors import UserError
from assertgen.prompt import PROMPT_FORMAT_VERSION, build_target, record_input
from workbench import modeling
from workbench.cli import main as workbench_main
from workbench.data import load_records
from workbench.train import train_settings

REPO = Path(__file__).resolve().parent.parent
CONFIGS = REPO / "configs"
TRAIN = REPO / "fixtures" / "data" / "train.jsonl"
JAVA = ("public class Café {\r\n\tprivate int x;\n\n    void f() {\n        String s = \"日本\";  // two  spaces\n"
        "        assertEquals(\"a\\tb\", s);\n    }\n}\n")


@pytest.fixture(scope="module")
def tokenizer_dir(tmp_path_factory):
    """A small tokenizer trained through the command line, as users do."""
    out = tmp_path_factory.mktemp("tok")
    code = None
    try:
        workbench_main(["tokenizer", "--data", str(TRAIN), "--vocab-size", "420", "--sentinels", "8",
                        "--limit", "200", "--out", str(out)])
    except SystemExit as exit_:
        code = exit_.code
    assert code == 0
    return out


# ---------------------------------------------------------------- configs

def test_config_overrides_parse_toml_values(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[model]\nd_model = 64\n[train]\nlearning_rate = 1e-3\n')
    cfg = modeling.load_config(path, ["model.d_model=128", "train.learning_rate=3e-4", "train.name=abc",
                                      "distill.weights=[0.4, 0.3]", "train.amp=true"])
    assert cfg["model"]["d_model"] == 128
    assert cfg["train"]["learning_rate"] == pytest.approx(3e-4)
    assert cfg["train"]["name"] == "abc"
    assert cfg["distill"]["weights"] == [0.4, 0.3]
    assert cfg["train"]["amp"] is True


@pytest.mark.parametrize("override", ["noequals", "=3", "model..x=1", "model.d_model.x=1"])
def test_bad_override_is_a_user_error(tmp_path, override):
    path = tmp_path / "c.toml"
    path.write_text("[model]\nd_model = 64\n")
    with pytest.raises(UserError, match="override"):
        modeling.load_config(path, [override])


def test_bad_toml_names_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[model]\nd_model = = 3\n")
    with pytest.raises(UserError, match="bad.toml"):
        modeling.load_config(path)
    with pytest.raises(UserError, match="no such config"):
        modeling.load_config(tmp_path / "missing.toml")
    (tmp_path / "latin1.toml").write_bytes(b"[model]\nname_or_path = '\xe9'\n")
    with pytest.raises(UserError, match="latin1.toml: cannot read: 'utf-8' codec"):
        modeling.load_config(tmp_path / "latin1.toml")
    with pytest.raises(UserError, match="cannot read: Is a directory"):
        modeling.load_config(tmp_path)


def test_extends_starts_from_another_config(tmp_path):
    (tmp_path / "base.toml").write_text('[model]\nd_model = 8\nnum_layers = 2\n[train]\nepochs = 3\n')
    (tmp_path / "child.toml").write_text('extends = "base.toml"\n[model]\nd_model = 4\n')
    cfg = modeling.load_config(tmp_path / "child.toml", ["train.epochs=5"])
    assert cfg == {"model": {"d_model": 4, "num_layers": 2}, "train": {"epochs": 5}}
    (tmp_path / "base.toml").write_text('extends = "child.toml"\n')
    with pytest.raises(UserError, match="loops"):
        modeling.load_config(tmp_path / "child.toml")


def test_every_model_config_loads():
    for name in ("teacher-local.toml", "student-220m-local.toml", "student-base-local.toml",
                 "student-small-local.toml", "colab-codet5p.toml", "tiny-teacher.toml", "tiny-student.toml", "teacher-cpu.toml",
                 "student-cpu.toml", "student-cpu-base.toml", "student-cpu-small.toml"):
        cfg = modeling.load_config(CONFIGS / name)
        assert "model" in cfg and "train" in cfg, name
        train_settings(cfg)  # workbench train knows every [train] key
    colab = modeling.load_config(CONFIGS / "colab-codet5p.toml")
    assert colab["model"]["name_or_path"] == "Salesforce/codet5p-770m"
    assert colab["train"]["learning_rate"] == pytest.approx(3e-5)  # the study's Table 5
    assert colab["train"]["batch_size"] == 4


def _parameters(model_cfg: dict, vocab: int) -> int:
    """Parameter count of a T5 built on the meta device (no memory, no time)."""
    import torch
    from transformers import T5ForConditionalGeneration

    with torch.device("meta"):
        return modeling.count_parameters(T5ForConditionalGeneration(modeling.t5_config(model_cfg, vocab)))


def test_local_size_ratios_mirror_the_study():
    """Student/teacher parameter ratios of the local configs match the real CodeT5(+) pairs.

    The real models' shapes are the published T5-large/base/small architectures with
    CodeT5's 32,100-token vocabulary; the local ones use the 16k vocabulary they are
    meant for.
    """
    real = {"770m": dict(d_model=1024, num_layers=24, num_heads=16, d_ff=4096),
            "220m": dict(d_model=768, num_layers=12, num_heads=12, d_ff=3072),
            "small": dict(d_model=512, num_layers=6, num_heads=8, d_ff=2048)}
    real_n = {k: _parameters(v, 32100) for k, v in real.items()}
    assert 700e6 < real_n["770m"] < 780e6 and 215e6 < real_n["220m"] < 230e6 and 58e6 < real_n["small"] < 63e6

    def local(name):
        return _parameters(modeling.load_config(CONFIGS / name)["model"], 16000)

    teacher = local("teacher-local.toml")
    expected = {"student-220m-local.toml": real_n["220m"] / real_n["770m"],
                "student-base-local.toml": real_n["220m"] / real_n["770m"],  # codet5-base: same shape
                "student-small-local.toml": real_n["small"] / real_n["770m"]}
    for name, ratio in expected.items():
        assert local(name) / teacher == pytest.approx(ratio, rel=0.05), name

    # The CPU-sized family (8k vocabulary) keeps the same three ratios.
    cpu = {name: _parameters(modeling.load_config(CONFIGS / name)["model"], 8000)
           for name in ("teacher-cpu.toml", "student-cpu.toml", "student-cpu-base.toml",
                        "student-cpu-small.toml")}
    cpu_counterpart = {"student-220m-local.toml": "student-cpu.toml",
                       "student-base-local.toml": "student-cpu-base.toml",
                       "student-small-local.toml": "student-cpu-small.toml"}
    for name, ratio in expected.items():
        student = cpu_counterpart[name]
        assert cpu[student] / cpu["teacher-cpu.toml"] == pytest.approx(ratio, rel=0.05), student


def test_tiny_configs_build_small_models(tokenizer_dir):
    tok = modeling.load_tokenizer(tokenizer_dir)
    sizes = {}
    for name in ("tiny-teacher.toml", "tiny-student.toml"):
        model = modeling.build_model(modeling.load_config(CONFIGS / name)["model"], tok)
        sizes[name] = modeling.count_parameters(model)
        assert model.config.vocab_size == len(tok)
        assert model.config.decoder_start_token_id == tok.pad_token_id
    assert 100_000 < sizes["tiny-teacher.toml"] < 1_000_000
    assert sizes["tiny-student.toml"] * 3 < sizes["tiny-teacher.toml"]


def test_scratch_config_errors_are_clear(tokenizer_dir):
    tok = modeling.load_tokenizer(tokenizer_dir)
    with pytest.raises(UserError, match="d_ff"):
        modeling.build_model({"d_model": 32, "num_layers": 1, "num_heads": 2}, tok)
    with pytest.raises(UserError, match="unknown keys: d_modle"):
        modeling.build_model({"d_modle": 32, "d_model": 32, "num_layers": 1, "num_heads": 2, "d_ff": 64}, tok)


@pytest.mark.parametrize("change, message", [
    ({"d_model": "abc"}, "model.d_model must be a whole number of at least 1, got 'abc'"),
    ({"d_model": -4}, "model.d_model must be a whole number of at least 1, got -4"),
    ({"num_heads": 0}, "model.num_heads must be a whole number of at least 1, got 0"),
    ({"num_decoder_layers": 1.5}, "model.num_decoder_layers must be a whole number"),
    ({"d_model": 2, "num_heads": 4}, r"model.d_model must be at least num_heads \(4\)"),
    ({"dropout_rate": 2.0}, "model.dropout_rate must be a number from 0 up to 1, got 2.0"),
    ({"feed_forward_proj": "foo"}, "model.feed_forward_proj must be an activation"),
    ({"layer_norm_epsilon": 0}, "model.layer_norm_epsilon must be a finite number above 0"),
    ({"layer_norm_epsilon": float("inf")}, "model.layer_norm_epsilon must be a finite number above 0"),
    ({"tokenizer": 3}, "model.tokenizer must be a string"),
])
def test_scratch_config_values_of_the_wrong_type_or_range_are_user_errors(tokenizer_dir, change, message):
    # torch and transformers stopped with tracebacks (ZeroDivisionError, "negative dimension")
    tok = modeling.load_tokenizer(tokenizer_dir)
    table = {"d_model": 32, "num_layers": 1, "num_heads": 2, "d_ff": 64, **change}
    with pytest.raises(UserError, match=message):
        modeling.build_model(table, tok)
    modeling.check_model_table({"d_model": 32, "num_layers": 1, "num_heads": 2, "d_ff": 64,
                                "feed_forward_proj": "gated-gelu"})  # T5 v1.1's: fine


# ---------------------------------------------------------------- hub

def test_unreachable_hub_asks_for_a_local_directory(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(UserError, match="local directory"):
        modeling.build_model({"name_or_path": "Salesforce/codet5p-220m"}, None)
    with pytest.raises(UserError, match="local directory"):
        modeling.load_tokenizer("Salesforce/codet5p-770m")


def test_missing_local_path_is_not_sent_to_the_hub(tmp_path):
    with pytest.raises(UserError, match="no such model directory"):
        modeling.build_model({"name_or_path": str(tmp_path / "nope")}, None)
    with pytest.raises(UserError, match="no such tokenizer directory"):
        modeling.load_tokenizer("./runs/tokenizer-16k")


# ---------------------------------------------------------------- tokenizer

def test_tokenizer_loads_with_autotokenizer_and_keeps_whitespace(tokenizer_dir):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    assert (tok.pad_token_id, tok.eos_token_id, tok.unk_token_id) == (0, 1, 2)
    assert len(tok) == 420
    assert tok.convert_tokens_to_ids("<extra_id_7>") not in (None, tok.unk_token_id)
    ids = tok(JAVA)["input_ids"]
    assert ids[-1] == tok.eos_token_id and ids.count(tok.eos_token_id) == 1
    assert tok.decode(ids, skip_special_tokens=True) == JAVA  # byte-level: exact round trip
    labels = tok(text_target="assertEquals(1, x);")["input_ids"]
    assert labels[-1] == tok.eos_token_id
    assert json.loads((tokenizer_dir / "tokenizer_config.json").read_text())["tokenizer_class"] \
        == "PreTrainedTokenizerFast"


def test_tokenizer_json_alone_serves_the_runtime(tokenizer_dir):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_dir / "tokenizer.json"))
    record = load_records(TRAIN, limit=1)[0]
    for text in (record_input(record), build_target(record["assertions"])):
        enc = tok.encode(text)
        assert enc.tokens[-1] == "</s>"
        assert tok.decode(enc.ids, skip_special_tokens=True) == text


def test_tokenizer_command_rejects_bad_input(tmp_path, capsys):
    for argv, message in ((["--data", str(tmp_path / "none.jsonl")], "no such data file"),
                          (["--data", str(TRAIN), "--vocab-size", "100"], "too small"),
                          (["--data", str(TRAIN), "--min-frequency", "-1"], "--min-frequency must be >= 0")):
        if "--vocab-size" not in argv:
            argv += ["--vocab-size", "500"]
        with pytest.raises(SystemExit) as exit_:
            workbench_main(["tokenizer", *argv, "--out", str(tmp_path / "t")])
        assert exit_.value.code == 2
        assert message in capsys.readouterr().err


# ---------------------------------------------------------------- model directories

def test_a_save_interrupted_midway_keeps_the_earlier_model_whole(tokenizer_dir, tmp_path, monkeypatch):
    """`workbench train` saves its best model over the last one: a kill mid-save kept a cut-off
    model.safetensors. Files land whole, readable by others (transformers writes them 0600)."""
    import os
    import stat

    tok = modeling.load_tokenizer(tokenizer_dir)
    model = modeling.build_model(modeling.load_config(CONFIGS / "tiny-student.toml")["model"], tok)
    out = modeling.save_model_dir(model, tok, tmp_path / "m")
    weights = (out / "model.safetensors").read_bytes()
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((out / "model.safetensors").stat().st_mode) == 0o666 & ~umask

    def killed_midway(directory, **kwargs):
        (Path(directory) / "model.safetensors").write_bytes(b"cut off")
        raise KeyboardInterrupt

    monkeypatch.setattr(model, "save_pretrained", killed_midway)
    with pytest.raises(KeyboardInterrupt):
        modeling.save_model_dir(model, tok, out)
    assert (out / "model.safetensors").read_bytes() == weights
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # no temporary folder left


def test_model_dir_round_trip_and_version_check(tokenizer_dir, tmp_path):
    import torch

    tok = modeling.load_tokenizer(tokenizer_dir)
    model = modeling.build_model(modeling.load_config(CONFIGS / "tiny-student.toml")["model"], tok)
    out = modeling.save_model_dir(model, tok, tmp_path / "m", {"data": {"train": "x"},
                                                               "settings": {"max_input_tokens": 200}})
    meta = json.loads((out / "assertgen.json").read_text())
    assert meta["prompt_format_version"] == PROMPT_FORMAT_VERSION
    assert meta["max_input_tokens"] == 200 and meta["parameters"] == modeling.count_parameters(model)
    loaded, tok2, meta2 = modeling.load_model_dir(out)
    assert meta2 == meta and len(tok2) == len(tok)
    for a, b in zip(model.state_dict().values(), loaded.state_dict().values()):
        assert torch.equal(a, b)

    meta["prompt_format_version"] = PROMPT_FORMAT_VERSION + 1
    (out / "assertgen.json").write_text(json.dumps(meta))
    with pytest.raises(UserError, match="prompt format version"):
        modeling.load_model_dir(out)
    (out / "assertgen.json").unlink()
    with pytest.raises(UserError, match="assertgen.json is missing"):
        modeling.load_model_dir(out)

    # Weights that are not a safetensors file, and a model of another kind: one line each.
    meta["prompt_format_version"] = PROMPT_FORMAT_VERSION
    (out / "assertgen.json").write_text(json.dumps(meta))
    (out / "model.safetensors").write_bytes(b"cut off")
    with pytest.raises(UserError, match="cannot load the model: .*header"):
        modeling.load_model_dir(out)
    from transformers import BertConfig, BertModel

    BertModel(BertConfig(vocab_size=len(tok), hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=16)).save_pretrained(out)
    with pytest.raises(UserError, match="cannot load the model: Unrecognized configuration class"):
        modeling.load_model_dir(out)


def test_saving_and_loading_a_model_dir_prints_no_transformers_progress_bars(tokenizer_dir, tmp_path, capfd):
    """A training run saved its best model each epoch with a "Writing model shards" bar, and
    teacher-dump loaded it with "Loading weights", --no-progress or not."""
    from transformers.utils import logging as hf_logging

    hf_logging.enable_progress_bar()  # as a fresh process has it (other tests' loads turn it off)
    tok = modeling.load_tokenizer(tokenizer_dir)
    model = modeling.build_model(modeling.load_config(CONFIGS / "tiny-student.toml")["model"], tok)
    capfd.readouterr()
    modeling.load_model_dir(modeling.save_model_dir(model, tok, tmp_path / "m"))
    err = capfd.readouterr().err
    assert "Writing model shards" not in err and "Loading weights" not in err
    assert hf_logging.is_progress_bar_enabled()  # a hub download keeps its bar


def test_saving_weights_removes_the_ct2_copy_of_the_earlier_ones(tokenizer_dir, tmp_path):
    """A model exported, then trained further in place, kept its ct2/ copy of the old weights,
    which loaders prefer: evaluate, report and ship ran (and shipped) the old model."""
    tok = modeling.load_tokenizer(tokenizer_dir)
    model = modeling.build_model(modeling.load_config(CONFIGS / "tiny-student.toml")["model"], tok)
    out = modeling.save_model_dir(model, tok, tmp_path / "m")
    (out / "ct2").mkdir()
    (out / "ct2" / "model.bin").write_bytes(b"the earlier weights")
    meta = json.loads((out / "assertgen.json").read_text())
    meta["export"] = {"backend": "ctranslate2"}
    modeling.save_model_dir(model, tok, out, meta)
    assert not (out / "ct2").exists() and not (out / "ct2.old").exists()
    assert "export" not in json.loads((out / "assertgen.json").read_text())


def _model_with_vocab(vocab_size: int):
    from transformers import T5Config, T5ForConditionalGeneration

    return T5ForConditionalGeneration(T5Config(vocab_size=vocab_size, d_model=8, d_ff=16, d_kv=4,
                                               num_layers=1, num_heads=2, decoder_start_token_id=0))


def test_a_tokenizer_larger_than_the_models_vocabulary_is_refused(tokenizer_dir, tmp_path):
    """Another model's tokenizer: evaluate, teacher-dump and train stopped with torch's
    "IndexError: index out of range in self"."""
    tok = modeling.load_tokenizer(tokenizer_dir)
    assert len(tok) == 420
    small = modeling.save_model_dir(_model_with_vocab(300), tok, tmp_path / "small")
    with pytest.raises(UserError, match=re.escape(f"{small}: the tokenizer has 420 tokens, more than the "
                                                  "model's vocab_size 300")):
        modeling.load_model_dir(small)
    with pytest.raises(UserError, match=re.escape(f"{small}: the tokenizer has 420 tokens")):
        modeling.build_model({"name_or_path": str(small)}, tok)
    from assertgen.model import TorchGenerator, read_metadata  # evaluate --model, bench --model

    with pytest.raises(UserError, match=re.escape(f"{small}: the tokenizer has 420 tokens")):
        TorchGenerator(small, read_metadata(small))
    # a vocabulary larger than the tokenizer (as T5's, padded to a multiple of 128) is fine
    larger = modeling.save_model_dir(_model_with_vocab(512), tok, tmp_path / "larger")
    assert modeling.load_model_dir(larger)[0].config.vocab_size == 512


def test_tokenizer_command_refuses_to_replace_a_models_tokenizer(tmp_path, capsys):
    import shutil

    model = tmp_path / "model"
    shutil.copytree(REPO / "fixtures" / "models" / "tiny", model)
    before = (model / "tokenizer.json").read_bytes()
    with pytest.raises(SystemExit) as exit_:
        workbench_main(["tokenizer", "--data", str(TRAIN), "--vocab-size", "500", "--out", str(model)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and f"{model}: holds a model" in err and "Traceback" not in err
    assert (model / "tokenizer.json").read_bytes() == before


def test_a_folder_without_a_tokenizer_is_named_in_one_line(tmp_path):
    """transformers said five lines about sentencepiece and slow tokenizers."""
    with pytest.raises(UserError, match=re.escape(f"{tmp_path}: holds no tokenizer (no tokenizer.json)")):
        modeling.load_tokenizer(tmp_path)
