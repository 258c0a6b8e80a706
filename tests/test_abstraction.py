"""Identifier abstraction: the text transform, and training, teacher dumps, distillation and
generation switched on by `data.abstraction` / the model's metadata."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from assertgen.abstraction import Abstraction, abstract_examples, abstraction_of, fit_idioms
from assertgen.prompt import build_input, build_target, record_input
from workbench.data import load_records
from tests.test_retrieval import _keep_trainers, tiny_run, workbench

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "fixtures" / "data"
TINY = REPO / "fixtures" / "models" / "tiny"

FOCAL = """public int parseCount(String rawText) {
        return Integer.parseInt(rawText.trim());
    }"""
TEST = """@Test
    void parsesCount() {
        Parser parser = new Parser("x");
        int count = parser.parseCount(" 42 ");
        // ASSERTION PLACEHOLDER
    }"""


def test_rare_names_become_numbered_placeholders_and_map_back():
    abstraction = Abstraction(["Test", "String", "assertEquals", "Integer", "parseInt", "trim"])
    text, names = abstraction.input(build_input(FOCAL, TEST))
    assert names == {"parseCount": "METHOD_0", "rawText": "VAR_0", "parsesCount": "METHOD_1",
                     "Parser": "TYPE_0", '"x"': "STRING_0", "parser": "VAR_1", "count": "VAR_2",
                     '" 42 "': "STRING_1"}
    # idioms, keywords, the prompt's headings and comments stay as they are
    assert text.startswith("FOCAL METHOD:\npublic int METHOD_0(String VAR_0) {")
    assert "Integer.parseInt(VAR_0.trim())" in text and "@Test" in text
    assert "// ASSERTION PLACEHOLDER" in text and "new TYPE_0(STRING_0)" in text
    # the target in the input's names; a name the input lacks stays
    target = abstraction.target("assertEquals(42, count);\nassertNotNull(other);", names)
    assert target == "assertEquals(42, VAR_2);\nassertNotNull(other);"
    assert abstraction.concrete(target, names) == "assertEquals(42, count);\nassertNotNull(other);"
    # output: placeholders mapped back, an unknown one kept, one inside a string literal untouched
    output = 'assertEquals(STRING_1, METHOD_0(VAR_9)); fail("VAR_0");'
    assert abstraction.concrete(output, names) == \
        'assertEquals(" 42 ", parseCount(VAR_9)); fail("VAR_0");'


def test_every_fixture_record_round_trips():
    abstraction = Abstraction(fit_idioms(load_records(DATA / "train.jsonl")))
    for record in load_records(DATA / "valid.jsonl"):
        text, names = abstraction.input(record_input(record))
        gold = build_target(record["assertions"])
        assert abstraction.concrete(abstraction.target(gold, names), names) == gold
        assert abstraction.input(record_input(record)) == (text, names)  # a pure function of the input


def test_without_names_to_map_texts_pass_through_unchanged():
    text = 'assertEquals(VAR_0, "x");'
    assert Abstraction.concrete(text, {}) == text and Abstraction.target(text, {}) == text
    assert abstract_examples(None, ["in"], ["out"]) == (["in"], ["out"], [{}])


def test_idioms_do_not_depend_on_record_order():
    records = load_records(DATA / "train.jsonl")
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    idioms = fit_idioms(records)
    assert idioms == fit_idioms(shuffled)
    assert "assertEquals" in idioms and "Test" in idioms
    assert abstraction_of({"abstraction": {"idioms": idioms}}).idioms == idioms
    assert abstraction_of({}) is None and abstraction_of(None) is None


@pytest.fixture(scope="module")
def abstraction_run(tmp_path_factory):
    """A tiny run with data.abstraction=true; the Trainer kept."""
    return tiny_run(tmp_path_factory.mktemp("abstraction") / "model", "data.abstraction=true")


def test_training_abstracts_inputs_and_targets_and_records_the_idioms(abstraction_run):
    out, trainer = abstraction_run
    train = load_records(DATA / "train.jsonl", limit=40)
    meta = json.loads((out / "assertgen.json").read_text())
    assert meta["abstraction"] == {"idioms": fit_idioms(train)}
    abstraction = abstraction_of(meta)
    tok = trainer.tokenizer
    for record, example in zip(train, trainer.train_examples):
        text, names = abstraction.input(record_input(record))
        assert example["input_ids"] == tok(text, truncation=True,
                                           max_length=trainer.s["max_input_tokens"])["input_ids"]
        target = abstraction.target(build_target(record["assertions"]), names)
        assert example["labels"] == tok(target, add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
    # the fixture's 40 records share most names (idioms here); test-method names are rare
    decoded = " ".join(tok.decode(e["input_ids"]) for e in trainer.train_examples)
    assert "void METHOD_0()" in decoded


def test_generation_maps_placeholders_back_to_the_inputs_names(abstraction_run, monkeypatch):
    from assertgen.model import load_generator

    out, _ = abstraction_run
    generator = load_generator(out, backend="pytorch")
    seen = []

    def fake_batch(batch, n):  # the model "answers" with the input's first VAR and METHOD
        seen.extend(generator.tokenizer.decode(ids) for ids in batch)
        return [["assertEquals(VAR_0, METHOD_0());"] * n for _ in batch]

    monkeypatch.setattr(generator, "_generate_batch", fake_batch)
    inputs = [build_input(FOCAL, TEST)]
    assert generator.generate(inputs, num_candidates=2) == [["assertEquals(rawText, parseCount());"] * 2]
    assert "METHOD_0(String VAR_0)" in seen[0] and "parseCount" not in seen[0]


def test_teacher_dump_and_distillation_carry_the_teachers_abstraction(abstraction_run, tmp_path,
                                                                       monkeypatch, capsys):
    out, _ = abstraction_run
    dump = tmp_path / "dump.jsonl"
    assert workbench(["teacher-dump", "--model", str(out), "--data", str(DATA / "train.jsonl"),
                      "--limit", "40", "--out", str(dump), "--no-progress"]) == 0
    rows = load_records(dump)
    # predicted assertions are in the record's own names, never the model's placeholders
    abstraction = abstraction_of(json.loads((out / "assertgen.json").read_text()))
    for row in rows:
        _, names = abstraction.input(record_input(row))
        assert not any(p in " ".join(row["predicted_assertions"]) for p in names.values())

    def distill(student, *overrides):
        return workbench(["distill", "--config", str(REPO / "configs" / "tiny-student.toml"),
                          "--teacher-dump", str(dump), "--valid", str(DATA / "valid.jsonl"),
                          "--valid-limit", "3", "--tokenizer", str(TINY), "--out", str(student),
                          "--no-progress", "train.epochs=1", "train.valid_generate=0", *overrides])

    assert all(row["abstraction"] == {"idioms": abstraction.idioms} for row in rows)
    made = _keep_trainers(monkeypatch)
    assert distill(tmp_path / "student") == 0  # follows the teacher
    student_meta = json.loads((tmp_path / "student" / "assertgen.json").read_text())
    assert student_meta["abstraction"] == {"idioms": abstraction.idioms}
    tok = made[0].tokenizer
    first, _ = abstraction.input(record_input(rows[0]))
    assert made[0].train_examples[0]["input_ids"] == tok(first)["input_ids"]
    # a plain student cannot learn from an abstracted teacher's outputs
    capsys.readouterr()
    assert distill(tmp_path / "plain", "data.abstraction=false") != 0
    assert "trained with identifier abstraction" in capsys.readouterr().err


def test_tokenizer_can_be_trained_on_abstracted_texts(tmp_path, monkeypatch):
    from workbench import tokenizer as tokenizer_module

    records = load_records(DATA / "train.jsonl")
    abstraction = Abstraction(fit_idioms(records))
    seen = []
    real = tokenizer_module.train_tokenizer
    monkeypatch.setattr(tokenizer_module, "train_tokenizer",
                        lambda texts, *a: seen.extend(texts) or real(texts, *a))
    assert workbench(["tokenizer", "--data", str(DATA / "train.jsonl"), "--vocab-size", "600",
                      "--out", str(tmp_path / "tok"), "--abstraction"]) == 0
    text, names = abstraction.input(record_input(records[0]))
    assert seen[:2] == [text, abstraction.target(build_target(records[0]["assertions"]), names)]
    assert len(seen) == 2 * len(records) and (tmp_path / "tok" / "tokenizer.json").exists()


def test_bad_abstraction_setting_is_a_user_error(tmp_path, capsys):
    assert workbench(["train", "--config", str(REPO / "configs" / "tiny-teacher.toml"),
                      "--train", str(DATA / "train.jsonl"), "--valid", str(DATA / "valid.jsonl"),
                      "--tokenizer", str(TINY), "--out", str(tmp_path / "m"), "--no-progress",
                      "data.abstraction=\"yes\""]) != 0
    assert "data.abstraction must be true or false" in capsys.readouterr().err
