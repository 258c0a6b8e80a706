"""assertgen.model: loading model directories and n-best generation on both backends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assertgen.errors import UserError
from assertgen.model import default_model_dir, load_generator, read_metadata
from assertgen.prompt import PROMPT_FORMAT_VERSION, parse_output, record_input
from workbench.data import load_records

REPO = Path(__file__).resolve().parent.parent
TINY = REPO / "fixtures" / "models" / "tiny"
TEST = REPO / "fixtures" / "data" / "test.jsonl"


@pytest.fixture(scope="module")
def records():
    return load_records(TEST)


@pytest.fixture(scope="module")
def ct2_generator():
    return load_generator(TINY)


def test_ct2_is_preferred_and_learns_the_fixture_task(ct2_generator, records):
    assert ct2_generator.backend == "ctranslate2"
    outputs = ct2_generator.generate([record_input(r) for r in records], num_candidates=1)
    exact = sum(parse_output(o[0]) == r["assertions"] for o, r in zip(outputs, records)) / len(records)
    # The tiny model reproduces most synthetic assertions (the build script records its
    # own measurement in assertgen.json); far above what an untrained model gets (0).
    assert exact >= 0.4, exact
    recorded = ct2_generator.metadata["metrics"]["test_greedy"]["ctranslate2"]["exact_match"]
    assert exact == pytest.approx(recorded, abs=0.1)


def test_n_best_and_order_do_not_depend_on_batching(ct2_generator, records):
    inputs = [record_input(r) for r in records[:9]]
    batched = ct2_generator.generate(inputs, num_candidates=3, batch_size=4)
    assert len(batched) == len(inputs)
    assert all(len(candidates) == 3 for candidates in batched)
    one_by_one = [ct2_generator.generate([text], num_candidates=3)[0] for text in inputs]
    assert [c[0] for c in batched] == [c[0] for c in one_by_one]
    # The best beam equals greedy decoding often enough to show the ranking is best first.
    greedy = ct2_generator.generate(inputs, num_candidates=1)
    assert sum(b[0] == g[0] for b, g in zip(batched, greedy)) >= len(inputs) // 2


def test_sub_batches_across_workers_keep_the_order(monkeypatch, records):
    # A batch is split into one part per worker (ASSERTGEN_THREADS), decoded in parallel.
    monkeypatch.setenv("ASSERTGEN_THREADS", "3")
    generator = load_generator(TINY)
    assert generator.workers == 3
    inputs = [record_input(r) for r in records[:7]]
    together = generator.generate(inputs, num_candidates=2, batch_size=7)
    assert together == [generator.generate([text], num_candidates=2)[0] for text in inputs]


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_bad_thread_count_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("ASSERTGEN_THREADS", value)
    with pytest.raises(UserError, match="ASSERTGEN_THREADS"):
        load_generator(TINY)


def test_long_inputs_are_truncated_not_rejected(ct2_generator, records):
    limit = ct2_generator.max_input_tokens
    long_input = record_input(records[0]) + "\n// filler" * (3 * limit)
    assert len(ct2_generator._encode([long_input])[0]) == limit
    (out,) = ct2_generator.generate([long_input], num_candidates=2)
    assert len(out) == 2
    assert ct2_generator.generate([]) == []


def test_pytorch_backend_gives_n_candidates(records):
    generator = load_generator(TINY, backend="pytorch")
    assert generator.backend == "pytorch"
    outputs = generator.generate([record_input(r) for r in records[:4]], num_candidates=2, batch_size=3)
    assert [len(o) for o in outputs] == [2, 2, 2, 2]
    assert all(isinstance(text, str) for o in outputs for text in o)


def test_embedded_default_model_loads_and_says_what_it_is(records):
    generator = load_generator()
    assert generator.model_dir == default_model_dir()
    assert generator.backend == "ctranslate2"
    # The shipped student says what it is and what it was trained on (`workbench ship --description`).
    assert "java-assertions-v1" in generator.metadata["description"]
    assert generator.metadata["metrics"]["valid_greedy"]["ctranslate2"]["n"] > 0
    (out,) = generator.generate([record_input(records[0])], num_candidates=1)
    assert out[0].strip()


def _copy_tiny(tmp_path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(TINY, target)
    return target


def test_bad_model_directories_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="no such model directory"):
        load_generator(tmp_path / "missing")

    model = _copy_tiny(tmp_path)
    meta = json.loads((model / "assertgen.json").read_text())
    meta["prompt_format_version"] = PROMPT_FORMAT_VERSION + 1
    (model / "assertgen.json").write_text(json.dumps(meta))
    with pytest.raises(UserError, match="prompt format version"):
        load_generator(model)
    (model / "assertgen.json").unlink()
    with pytest.raises(UserError, match="assertgen.json is missing"):
        load_generator(model)
    with pytest.raises(UserError, match="no such model directory"):  # `workbench report` reads it first
        read_metadata(tmp_path / "nowhere")

    model = _copy_tiny(tmp_path / "b")
    (model / "ct2" / "tokenizer.json").unlink()
    (model / "tokenizer.json").unlink()
    with pytest.raises(UserError, match="tokenizer.json is missing"):
        load_generator(model)

    model = _copy_tiny(tmp_path / "c")
    (model / "ct2" / "model.bin").unlink()
    with pytest.raises(UserError, match="model.bin"):
        load_generator(model)
    shutil.rmtree(model / "ct2")
    (model / "model.safetensors").unlink()
    with pytest.raises(UserError, match="no model weights"):
        load_generator(model)
    with pytest.raises(UserError, match="no CTranslate2 copy"):
        load_generator(model, backend="ctranslate2")


def test_unusable_model_files_are_user_errors(tmp_path):
    """A model directory from elsewhere (another CTranslate2 version, a hand-edited file) gives
    one line naming the file, not a traceback."""
    model = _copy_tiny(tmp_path)
    (model / "assertgen.json").write_text("[]")
    with pytest.raises(UserError, match="assertgen.json: expected a JSON object"):
        load_generator(model)
    (model / "assertgen.json").unlink()
    (model / "assertgen.json").mkdir()
    with pytest.raises(UserError, match="assertgen.json: cannot read file"):
        load_generator(model)

    model = _copy_tiny(tmp_path / "b")
    (model / "ct2" / "model.bin").write_bytes(b"not a CTranslate2 model")
    with pytest.raises(UserError, match="ct2: cannot load the CTranslate2 model"):
        load_generator(model)
    (model / "ct2" / "tokenizer.json").write_text("{}")
    with pytest.raises(UserError, match="tokenizer.json: cannot load the tokenizer"):
        load_generator(model)

    # The PyTorch backend: weights that are not a safetensors file, a model that is not seq2seq.
    model = _copy_tiny(tmp_path / "c")
    (model / "model.safetensors").write_bytes(b"cut off")
    with pytest.raises(UserError, match="cannot load the model: .*header"):
        load_generator(model, backend="pytorch")
    from transformers import BertConfig, BertModel

    BertModel(BertConfig(vocab_size=64, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=16)).save_pretrained(model)
    with pytest.raises(UserError, match="cannot load the model: Unrecognized configuration class"):
        load_generator(model, backend="pytorch")


def test_the_exported_ct2_copy_itself_is_accepted_as_model_dir(records):
    direct = load_generator(TINY / "ct2")
    assert direct.backend == "ctranslate2"
    inputs = [record_input(r) for r in records[:5]]
    assert direct.generate(inputs, num_candidates=1) == load_generator(TINY).generate(inputs, num_candidates=1)


def test_pytorch_missing_names_what_to_do_and_never_denies_a_ct2_copy(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    model = _copy_tiny(tmp_path / "a")  # with its ct2/ copy, forced to PyTorch (`DIR@pytorch`)
    with pytest.raises(UserError) as info:
        load_generator(model, backend="pytorch")
    assert "PyTorch is not installed" in str(info.value) and "run its CTranslate2 copy" in str(info.value)
    assert "no CTranslate2 copy" not in str(info.value)
    shutil.rmtree(model / "ct2")
    with pytest.raises(UserError, match="PyTorch is not installed.*`workbench export`"):
        load_generator(model)


def test_assertgen_threads_caps_the_pytorch_backend_too(tmp_path, monkeypatch):
    # The README: `ASSERTGEN_THREADS=2 assertgen fill` uses at most 2 cores, with any --model.
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        monkeypatch.setenv("ASSERTGEN_THREADS", "1")
        load_generator(TINY, backend="pytorch")
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
