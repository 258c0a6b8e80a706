"""kNN decoding (`workbench.knn`) and `workbench report --knn`, on the tiny fixture model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench.cli import main as workbench
from workbench.data import load_records

FIXTURES = Path(__file__).parent.parent / "fixtures"
DATA = FIXTURES / "data"
TINY = FIXTURES / "models" / "tiny"


@pytest.fixture(scope="module")
def train():
    return load_records(DATA / "train.jsonl")


@pytest.fixture(scope="module")
def decoder(train):
    from workbench.knn import KnnDecoder

    return KnnDecoder(TINY, train, neighbours=4)


def greedy_decoding(decoder, records: list[dict]) -> tuple[list[list[int]], list[str]]:
    """(the input ids of each record, what the model's own `generate` writes for it, greedy)."""
    import torch

    from assertgen.retrieval import model_inputs
    from workbench.train import _pad, encode_input_texts

    inputs = encode_input_texts(decoder.tokenizer, model_inputs(records, decoder.metadata), decoder.max_input)
    ids = _pad(inputs, decoder.tokenizer.pad_token_id, torch.long)
    mask = torch.tensor([[1] * len(x) + [0] * (ids.shape[1] - len(x)) for x in inputs])
    with torch.inference_mode():
        greedy = decoder.model.generate(input_ids=ids, attention_mask=mask, num_beams=1, do_sample=False,
                                        max_new_tokens=decoder.max_target)
    return inputs, decoder.tokenizer.batch_decode(greedy, skip_special_tokens=True)


def test_lambda_zero_is_the_models_own_greedy_decoding(decoder):
    records = load_records(DATA / "test.jsonl")[:6]
    (texts,) = decoder.decode(records, [(0.0, 1.0)]).values()
    assert texts == greedy_decoding(decoder, records)[1]


def test_a_query_among_its_own_neighbours_is_decoded_as_its_gold(decoder, train):
    """Its keys are the states of its own gold prefix, so with lambda 1 and a sharp temperature
    each step finds the key at distance 0 and emits the gold token there: keys and values
    aligned one step off would not give the gold back."""
    from assertgen.prompt import parse_output

    records = train[:8]
    (texts,) = decoder.decode(records, [(1.0, 1e-3)]).values()
    assert [parse_output(t) for t in texts] == [[a.strip() for a in r["assertions"]] for r in records]
    (model_alone,) = decoder.decode(records, [(0.0, 1.0)]).values()
    assert model_alone != texts  # the tiny model alone does not write these


def test_a_query_without_neighbours_is_the_models_alone(decoder):
    from workbench.knn import KnnDecoder

    records = load_records(DATA / "test.jsonl")[:4]
    (alone,) = decoder.decode(records, [(0.0, 1.0)]).values()
    lonely = KnnDecoder(TINY, decoder.pool, nearest=lambda batch: [[] if i % 2 else [0, 1] for i in range(len(batch))])
    (mixed,) = lonely.decode(records, [(1.0, 1e-3)]).values()
    assert mixed[1::2] == alone[1::2]
    nobody = KnnDecoder(TINY, decoder.pool, nearest=lambda batch: [[] for _ in batch])
    assert list(nobody.decode(records, [(1.0, 1e-3)]).values()) == [alone]


def _report(out: Path, *extra: str) -> int:
    with pytest.raises(SystemExit) as exit_info:
        workbench(["report", "--model", f"tiny={TINY}", "--model", "ir=baseline-ir", "--train",
                   str(DATA / "train.jsonl"), "--split", f"test={DATA / 'test.jsonl'}", "--limit", "10",
                   "--out", str(out), *extra])
    return exit_info.value.code


def test_report_knn_rows_are_scored_from_their_own_predictions_and_cached(tmp_path, monkeypatch, capsys):
    from workbench.metrics import compute_metrics

    assert _report(tmp_path, "--knn", "--reuse", "--model", "shipped=default") == 0
    assert "--knn: no kNN rows for shipped (no PyTorch weights" in capsys.readouterr().err
    rows = json.loads((tmp_path / "tables.json").read_text())["splits"]["test"]
    assert {"tiny", "tiny+knn", "tiny+reuse", "tiny+knn+reuse", "ir"} <= set(rows)
    assert "ir+knn" not in rows  # baseline-ir has no decoder
    scored = [json.loads(line) for line in (tmp_path / "eval/test/tiny+knn/predictions.jsonl").read_text().splitlines()]
    records = {r["id"]: r for r in load_records(DATA / "test.jsonl")}
    summary, _ = compute_metrics([s["prediction"] for s in scored], [records[s["id"]]["assertions"] for s in scored],
                                 with_codebleu=False)
    assert rows["tiny+knn"]["exact_match"] == pytest.approx(summary["exact_match"])
    assert rows["tiny+knn"]["backend"] == "pytorch" and rows["tiny"]["backend"] == "ctranslate2"
    assert "--knn --reuse" in json.loads((tmp_path / "tables.json").read_text())["command"]

    import workbench.knn

    def refuse(*args, **kwargs):
        raise AssertionError("decoded again")

    monkeypatch.setattr(workbench.knn, "predict_with_knn", refuse)
    assert _report(tmp_path, "--knn", "--reuse", "--model", "shipped=default") == 0


@pytest.mark.parametrize("model", ["ir=baseline-ir", "default", "ct2-only", "abstraction"])
def test_knn_without_a_pytorch_model_is_refused_before_any_decoding(tmp_path, capsys, model):
    if model == "ct2-only":
        shutil.copytree(TINY, tmp_path / "ct2-only", ignore=shutil.ignore_patterns("*.safetensors"))
        model = f"tiny={tmp_path / 'ct2-only'}"
    if model == "abstraction":  # its targets are in abstract names, its neighbours' are not
        shutil.copytree(TINY, tmp_path / "abs")
        meta = json.loads((tmp_path / "abs" / "assertgen.json").read_text())
        (tmp_path / "abs" / "assertgen.json").write_text(json.dumps({**meta, "abstraction": {"idioms": ["assertEquals"]}}))
        model = f"abs={tmp_path / 'abs'}"
    with pytest.raises(SystemExit) as exit_info:
        workbench(["report", "--model", model, "--train", str(DATA / "train.jsonl"), "--split",
                   f"test={DATA / 'test.jsonl'}", "--knn", "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    assert "no --model is one" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_knn_needs_train(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        workbench(["report", "--model", f"tiny={TINY}", "--split", f"test={DATA / 'test.jsonl'}", "--knn",
                   "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    assert "--knn needs --train" in capsys.readouterr().err


def test_probe_rows_bounds_and_predictions(tmp_path, monkeypatch):
    """benchmarks/scripts/probe_knn.py: the grid beside the baseline and its bound (in-process:
    a subprocess per run spent most of its time importing torch)."""
    import sys

    from conftest import REPO, load_script

    probe = load_script("probe_knn")
    monkeypatch.syspath_prepend(str(REPO / "benchmarks" / "scripts"))  # its `probe_selection` import
    def run(*extra: str, out: Path) -> list[dict]:
        monkeypatch.setattr(sys, "argv", ["probe_knn.py", "--model", str(TINY), "--train", str(DATA / "train.jsonl"),
                                          "--split", f"test={DATA / 'test.jsonl'}", "--sample", "12",
                                          "--neighbours", "3", *extra, "--out", str(out)])
        probe.main()
        return json.loads((out / "knn.json").read_text())["rows"]

    rows = {(r["lambda"], r["temperature"]): r["em_strict"]
            for r in run("--lambdas", "0,1", "--temperatures", "1,10", "--predictions", out=tmp_path / "train")}
    assert set(rows) == {("neighbour-1", None), ("any of 3", None), (0.0, 1.0), (1.0, 1.0), (1.0, 10.0)}
    assert rows[("any of 3", None)] >= rows[("neighbour-1", None)]
    written = [json.loads(line) for line in
               (tmp_path / "train" / "predictions" / "test-l1-t10.jsonl").read_text().splitlines()]
    assert len(written) == 12 and all(isinstance(w["prediction"], list) for w in written)

    rows = run("--lambdas", "1", "--search", "repository", out=tmp_path / "repository")
    assert {r["search"] for r in rows} == {"repository"} and len(rows) == 3


def test_a_ctranslate2_copy_rebuilds_the_pytorch_weights_up_to_int8_rounding(tmp_path):
    """benchmarks/scripts/ct2_to_pytorch.py: how the shipped default gets weights for --knn."""
    from safetensors.torch import load_file

    from conftest import load_script

    load_script("ct2_to_pytorch").rebuild(TINY, tmp_path / "rebuilt")
    original, rebuilt = load_file(TINY / "model.safetensors"), load_file(tmp_path / "rebuilt" / "model.safetensors")
    assert set(rebuilt) <= set(original) | {"lm_head.weight"}
    for name, weight in rebuilt.items():
        expected = original.get(name, original["shared.weight"])
        # int8 with one scale per row: each weight within half a step of its row's largest / 127
        step = expected.abs().amax(dim=-1, keepdim=True) / 127 if expected.dim() == 2 else 1e-6
        assert ((weight - expected).abs() <= step / 2 + 1e-6).all(), name
    assert (tmp_path / "rebuilt" / "tokenizer.json").exists()
    assert "rebuilt_from" in json.loads((tmp_path / "rebuilt" / "assertgen.json").read_text())


def test_a_copy_the_rebuild_does_not_know_is_refused_and_nothing_is_overwritten(tmp_path):
    from conftest import load_script

    script = load_script("ct2_to_pytorch")
    weights = script.read_model_bin(TINY / "ct2" / "model.bin")
    gated = {**weights, "encoder/layer_0/ffn/linear_0_noact/weight": weights["encoder/layer_0/ffn/linear_0/weight"].copy()}
    with pytest.raises(script.NotConvertible, match="weights this T5 mapping does not know: encoder/layer_0/ffn/linear_0_noact"):
        script.t5_state_dict(gated)
    import numpy as np
    with pytest.raises(script.NotConvertible, match="not ReLU"):
        script.t5_state_dict({**weights, "decoder/activation": np.int8(3)})

    truncated = tmp_path / "truncated"
    shutil.copytree(TINY, truncated)
    data = (truncated / "ct2" / "model.bin").read_bytes()
    (truncated / "ct2" / "model.bin").write_bytes(data[:len(data) // 2])
    with pytest.raises(script.NotConvertible, match="unreadable"):
        script.rebuild(truncated, tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.partial").exists()

    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "model.safetensors").write_text("trained weights")
    with pytest.raises(script.NotConvertible, match="not an empty folder"):
        script.rebuild(TINY, kept)
    assert (kept / "model.safetensors").read_text() == "trained weights"


def test_a_changed_train_file_decodes_the_knn_row_again(tmp_path, monkeypatch):
    """The neighbours' file, not its name, is what the row was decoded with."""
    train = tmp_path / "train.jsonl"
    train.write_text((DATA / "train.jsonl").read_text())
    def report() -> dict:
        with pytest.raises(SystemExit) as exit_info:
            workbench(["report", "--model", f"tiny={TINY}", "--train", str(train), "--split",
                       f"test={DATA / 'test.jsonl'}", "--limit", "10", "--knn", "--out", str(tmp_path / "out")])
        assert exit_info.value.code == 0
        return json.loads((tmp_path / "out" / "tables.json").read_text())["splits"]["test"]["tiny+knn"]
    whole = report()
    train.write_text("".join((DATA / "train.jsonl").read_text().splitlines(keepends=True)[:3]))
    from workbench import knn
    calls = []
    real = knn.predict_with_knn
    monkeypatch.setattr(knn, "predict_with_knn", lambda *a, **k: calls.append(1) or real(*a, **k))
    report()
    assert calls, "the row of the old file was served"
    assert whole["beams"] == 1


@pytest.mark.parametrize("extra, message", [
    (["--model", "tiny+knn=baseline-ir"], "model names must not end in +reuse or +knn: tiny+knn"),
    (["--train", "EMPTY"], "no records: nothing for --knn's neighbours"),
])
def test_knn_report_refuses_colliding_names_and_an_empty_train(tmp_path, capsys, extra, message):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    extra = [str(empty) if x == "EMPTY" else x for x in extra]
    assert _report(tmp_path / "out", "--knn", *extra) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not (tmp_path / "out" / "tables.json").exists()


def test_copy_bias_probe_at_zero_is_greedy_decoding_and_a_large_bias_copies_the_input(decoder):
    """benchmarks/scripts/probe_copy_bias.py: bias 0 is the model's own greedy decoding; a huge
    bias makes every step after the first an input token (special tokens are not raised)."""
    from conftest import load_script

    probe = load_script("probe_copy_bias")
    inputs, greedy = greedy_decoding(decoder, load_records(DATA / "test.jsonl")[:6])
    assert probe.decode(decoder.model, decoder.tokenizer, inputs, 0.0, decoder.max_target) == greedy
    copied = probe.decode(decoder.model, decoder.tokenizer, inputs, 1e4, 8)
    for text, tokens in zip(copied, inputs):
        assert set(decoder.tokenizer(text, add_special_tokens=False)["input_ids"]) <= set(tokens)
