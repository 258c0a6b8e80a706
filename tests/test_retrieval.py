"""Retrieval augmentation: the retriever, `model_inputs`, training with `[data] retrieval`,
and the inference entry points (evaluate, teacher-dump) switched by the model's metadata."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assertgen.errors import UserError
from assertgen.prompt import record_input
from assertgen.retrieval import Retriever, model_inputs, uses_retrieval
from workbench.cli import main as _workbench_main
from workbench.data import load_records

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "fixtures" / "data"
TINY = REPO / "fixtures" / "models" / "tiny"


def workbench(argv) -> int:
    """`workbench ARGV` in-process; its exit code."""
    with pytest.raises(SystemExit) as exit_info:
        _workbench_main(argv)
    return exit_info.value.code


def test_exclude_self_excludes_the_record_itself_by_id_not_its_duplicates():
    records = load_records(DATA / "train.jsonl", limit=60)
    twin = {**records[3], "id": "twin-of-3", "assertions": ["assertTrue(twin);"]}
    corpus = records + [twin]
    retriever = Retriever().fit(corpus)
    plain = retriever.nearest(corpus)
    excluded = retriever.nearest(corpus, exclude_self=True)
    assert sum(j == i for i, j in enumerate(plain)) > len(corpus) // 2  # without it: mostly itself
    assert all(j != i for i, j in enumerate(excluded))
    # identical documents under other ids stay retrievable: record 3 and its twin find each other
    assert excluded[3] == len(corpus) - 1 and excluded[-1] == 3
    # a query that is not in the corpus is unaffected
    query = {**records[5], "id": "not-in-corpus"}
    assert retriever.nearest([query], exclude_self=True) == retriever.nearest([query])


def test_top_k_is_nearest_first_and_agrees_with_nearest():
    records = load_records(DATA / "train.jsonl", limit=60)
    retriever = Retriever(chunk_size=4).fit(records)  # 10 queries: three chunks
    queries = load_records(DATA / "valid.jsonl", limit=10)
    indices, similarities = retriever.top(queries, 5)
    assert indices.shape == similarities.shape == (10, 5)
    assert (similarities[:, :-1] >= similarities[:, 1:]).all()  # nearest first
    assert indices[:, 0].tolist() == retriever.nearest(queries)
    assert ((0 <= similarities) & (similarities <= 1 + 1e-6)).all()


def test_neighbour_cache_answers_like_a_search_in_any_corpus_order(tmp_path, monkeypatch):
    from assertgen import retrieval

    records = load_records(DATA / "train.jsonl", limit=60)
    fresh = Retriever().fit(records)
    expected_ids = [records[j]["id"] for j in fresh.nearest(records, exclude_self=True)]

    monkeypatch.setenv(retrieval.CACHE_ENV, str(tmp_path))
    searched = []
    real = Retriever._search
    monkeypatch.setattr(Retriever, "_search",
                        lambda self, rs, ex, other=False: searched.append(len(rs)) or real(self, rs, ex, other))
    first = Retriever().fit(records).nearest(records, exclude_self=True)
    assert [records[j]["id"] for j in first] == expected_ids and searched == [60]
    assert len(list(tmp_path.glob("*.json"))) == 1

    # The same corpus in another order (a length-ordered dump): answered from the cache, as
    # indices into that order; only a query not seen before is searched.
    shuffled = records[::-1]
    new_query = {**load_records(DATA / "valid.jsonl", limit=1)[0]}
    again = Retriever().fit(shuffled).nearest(shuffled + [new_query], exclude_self=True)
    assert [shuffled[j]["id"] for j in again[:-1]] == expected_ids[::-1]
    assert searched == [60, 1]
    # An edited record is a new query, not a stale hit.
    edited = {**records[0], "focal_method": records[0]["focal_method"] + " "}
    Retriever().fit(records).nearest([edited], exclude_self=True)
    assert searched == [60, 1, 1]
    # Neighbours from other files only are other answers: cached apart, not served these.
    other = Retriever().fit(records).nearest(records, exclude_self=True, other_files=True)
    assert searched == [60, 1, 1, 60] and len(list(tmp_path.glob("*.json"))) == 2
    assert Retriever().fit(records).nearest(records, exclude_self=True, other_files=True) == other
    assert searched == [60, 1, 1, 60]


def test_model_inputs_are_plain_without_retrieval_and_augmented_with_it():
    train = load_records(DATA / "train.jsonl", limit=80)
    valid = load_records(DATA / "valid.jsonl", limit=5)
    retriever = Retriever().fit(train)
    assert model_inputs(valid, {"name": "plain"}, retriever) == [record_input(r) for r in valid]
    assert model_inputs(valid, None) == [record_input(r) for r in valid]

    meta = {"retrieval": {"k": 1, "corpus": "x", "corpus_records": 80}}
    assert uses_retrieval(meta) and not uses_retrieval({})
    nearest = retriever.nearest(valid)
    augmented = model_inputs(valid, meta, retriever)
    assert augmented == [record_input(r, train[j]["assertions"]) for r, j in zip(valid, nearest)]
    assert all("SIMILAR ASSERTIONS:" in text for text in augmented)
    # over the corpus itself, each record gets another record's assertions
    own = model_inputs(train[:10], meta, retriever)
    others = retriever.nearest(train[:10], exclude_self=True)
    assert own == [record_input(r, train[j]["assertions"]) for r, j in zip(train[:10], others)]
    with pytest.raises(UserError, match="retrieval corpus"):
        model_inputs(valid, meta, None)


def _keep_trainers(monkeypatch) -> list:
    """Every Trainer that `workbench train`/`distill` makes from now on, in order."""
    from workbench import train as train_module

    made = []

    class KeepingTrainer(train_module.Trainer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(train_module, "Trainer", KeepingTrainer)
    return made


def tiny_run(out: Path, setting: str):
    """A 1-epoch `workbench train` of a tiny model on 40 records with `setting` (a [data]
    override); its output folder and its Trainer."""
    mp = pytest.MonkeyPatch()
    made = _keep_trainers(mp)
    try:
        code = workbench(["train", "--config", str(REPO / "configs" / "tiny-teacher.toml"),
                          "--train", str(DATA / "train.jsonl"), "--valid", str(DATA / "valid.jsonl"),
                          "--tokenizer", str(TINY), "--out", str(out), "--limit", "40",
                          "--valid-limit", "6", "--no-progress", setting,
                          "train.epochs=1", "train.valid_generate=3", "model.d_model=16",
                          "model.num_layers=1", "model.num_decoder_layers=1", "model.num_heads=2",
                          "model.d_ff=32"])
    finally:
        mp.undo()
    assert code == 0
    return out, made[0]


@pytest.fixture(scope="module")
def retrieval_run(tmp_path_factory):
    """A tiny run with data.retrieval=true; the Trainer kept."""
    return tiny_run(tmp_path_factory.mktemp("retrieval") / "model", "data.retrieval=true")


def test_training_with_retrieval_augments_inputs_and_records_it(retrieval_run):
    out, trainer = retrieval_run
    train = load_records(DATA / "train.jsonl", limit=40)
    valid = load_records(DATA / "valid.jsonl", limit=6)
    retriever = Retriever().fit(train)
    tok = trainer.tokenizer
    max_len = trainer.s["max_input_tokens"]

    def ids(text):
        return tok(text, truncation=True, max_length=max_len)["input_ids"]

    others = retriever.nearest(train, exclude_self=True)
    assert all(j != i for i, j in enumerate(others))
    assert [e["input_ids"] for e in trainer.train_examples] == \
        [ids(record_input(r, train[j]["assertions"])) for r, j in zip(train, others)]
    assert "SIMILAR ASSERTIONS:" in tok.decode(trainer.train_examples[0]["input_ids"])
    nearest = retriever.nearest(valid)
    expected_valid = [record_input(r, train[j]["assertions"]) for r, j in zip(valid, nearest)]
    assert trainer.valid_inputs == expected_valid
    assert [e["input_ids"] for e in trainer.valid_examples] == [ids(t) for t in expected_valid]

    meta = json.loads((out / "assertgen.json").read_text())
    assert meta["retrieval"] == {"k": 1, "corpus": str(DATA / "train.jsonl"), "corpus_records": 40}


def test_other_files_neighbours_come_from_another_test_file_as_held_out_classes_find_theirs():
    records = load_records(DATA / "train.jsonl")
    retriever = Retriever().fit(records)
    same = retriever.nearest(records, exclude_self=True)
    other = retriever.nearest(records, exclude_self=True, other_files=True)
    file_of = [(r["repository"], r["test_file"]) for r in records]
    assert any(file_of[j] == file_of[i] for i, j in enumerate(same))  # the fixture has same-file neighbours
    alone = {f for f in file_of if file_of.count(f) == len(records)}
    assert all(file_of[j] != file_of[i] for i, j in enumerate(other)) or alone
    # a corpus of one file only: its own file's records are all there is to retrieve
    one_file = [r for r in records if (r["repository"], r["test_file"]) == file_of[0]]
    if len(one_file) > 1:
        assert Retriever().fit(one_file).nearest(one_file, exclude_self=True, other_files=True) == \
            Retriever().fit(one_file).nearest(one_file, exclude_self=False)


def test_a_model_trained_with_other_file_neighbours_says_so_and_is_given_them(tmp_path):
    from assertgen.retrieval import retrieval_metadata
    from workbench.train import retrieval_setup

    train = load_records(DATA / "train.jsonl")
    entry, retriever = retrieval_setup({"data": {"retrieval": True, "retrieval_other_files": True}}, train, "t.jsonl")
    assert entry == {**retrieval_metadata("t.jsonl", len(train)), "other_files": True}
    inputs = model_inputs(train, {"retrieval": entry}, retriever)
    others = retriever.nearest(train, exclude_self=True, other_files=True)
    assert inputs == [record_input(r, train[j]["assertions"]) for r, j in zip(train, others)]
    with pytest.raises(UserError, match="retrieval_other_files needs data.retrieval = true"):
        retrieval_setup({"data": {"retrieval_other_files": True}}, train, "t.jsonl")


def test_a_relative_corpus_path_is_recorded_absolute(tmp_path, monkeypatch):
    # Training ran in some folder; evaluation and export run in others.
    from assertgen.retrieval import retrieval_metadata

    monkeypatch.chdir(tmp_path)
    entry = retrieval_metadata("data/train.jsonl", 7)
    assert entry == {"k": 1, "corpus": str(tmp_path / "data" / "train.jsonl"), "corpus_records": 7}


def test_unknown_data_key_is_a_user_error():
    from workbench.train import data_settings

    with pytest.raises(UserError, match="retreival"):
        data_settings({"data": {"retreival": True}})
    with pytest.raises(UserError, match="true or false"):
        data_settings({"data": {"retrieval": "yes"}})


def test_evaluate_a_retrieval_model_needs_its_corpus(retrieval_run, tmp_path, capsys):
    import shutil

    out, _ = retrieval_run
    model = tmp_path / "model"
    shutil.copytree(out, model, ignore=shutil.ignore_patterns("training"))
    meta = json.loads((model / "assertgen.json").read_text())
    meta["retrieval"]["corpus"] = str(tmp_path / "gone.jsonl")
    (model / "assertgen.json").write_text(json.dumps(meta))
    args = ["evaluate", "--data", str(DATA / "valid.jsonl"), "--limit", "3", "--model", str(model),
            "--no-plots"]
    assert workbench(args + ["--out", str(tmp_path / "a")]) == 2
    err = capsys.readouterr().err
    assert "retrieval" in err and "--retrieval-corpus" in err and "Traceback" not in err
    assert workbench(args + ["--out", str(tmp_path / "b"), "--retrieval-corpus",
                             str(DATA / "train.jsonl")]) == 0
    assert len((tmp_path / "b" / "predictions.jsonl").read_text().splitlines()) == 3


def test_teacher_dump_of_a_retrieval_teacher_feeds_augmented_inputs(retrieval_run, tmp_path, monkeypatch):
    from workbench import teacher_dump

    out, trainer = retrieval_run
    seen = []
    real = teacher_dump.dump_batch

    def spy(model, tokenizer, records, **kwargs):
        seen.extend(zip([r["id"] for r in records], kwargs["inputs"]))
        return real(model, tokenizer, records, **kwargs)

    monkeypatch.setattr(teacher_dump, "dump_batch", spy)
    assert workbench(["teacher-dump", "--model", str(out), "--data", str(DATA / "train.jsonl"),
                      "--limit", "5", "--out", str(tmp_path / "dump.jsonl"), "--no-progress"]) == 0
    train = load_records(DATA / "train.jsonl", limit=40)
    others = Retriever().fit(train).nearest(train[:5], exclude_self=True)
    expected = {r["id"]: record_input(r, train[j]["assertions"]) for r, j in zip(train[:5], others)}
    assert dict(seen) == expected

    # A student distilled from a sample of that dump searches the whole dump, which is the
    # corpus its metadata names (evaluation reloads exactly that).
    student = tmp_path / "student"
    assert workbench(["distill", "--config", str(REPO / "configs" / "tiny-student.toml"),
                      "--teacher-dump", str(tmp_path / "dump.jsonl"), "--limit", "3",
                      "--valid", str(DATA / "valid.jsonl"), "--valid-limit", "2",
                      "--tokenizer", str(TINY), "--out", str(student), "--no-progress",
                      "data.retrieval=true", "train.epochs=1", "train.valid_generate=0",
                      "train.select_metric=valid_loss"]) == 0
    meta = json.loads((student / "assertgen.json").read_text())
    assert meta["data"]["train_records"] == 3
    assert meta["retrieval"] == {"k": 1, "corpus": str(tmp_path / "dump.jsonl"), "corpus_records": 5}


# --------------------------------------------------------------------------- assertgen fill

class RetrievalFake:
    """The conftest FakeGenerator, declaring retrieval in its metadata; inputs kept in `calls`."""

    metadata = {"name": "fake-retrieval", "retrieval": {"k": 1, "corpus": "not shipped"}}

    def __init__(self):
        from conftest import FakeGenerator

        self.fake = FakeGenerator()
        self.calls = self.fake.calls

    def generate(self, inputs, num_candidates=4, batch_size=16):
        return self.fake.generate(inputs, num_candidates, batch_size)


def _main_of(root):
    from assertgen import fill

    main = fill.default_main_root(root)
    return fill.SourceRoot(main) if main else None


def test_fill_corpus_is_the_projects_asserted_tests_masked_like_the_corpus(java_project):
    from assertgen import fill
    from assertgen.prompt import PLACEHOLDER

    records = fill.retrieval_corpus([java_project / "src/test/java"], {}, _main_of)
    by_method = {r["id"].split(":")[-2]: r for r in records}
    # the tests with assertions whose focal method the heuristics find (testPopEmpty only
    # passes a method reference, `stack::pop`, so it has no focal call: its name names pop)
    assert set(by_method) == {"testSubtract", "testToJson", "testCapitalize", "testPopEmpty"}
    assert "public T pop()" in by_method["testPopEmpty"]["focal_method"]
    sub = by_method["testSubtract"]
    assert sub["assertions"] == ["assertEquals(2, result);"]
    assert sub["focal_method"].startswith("public int subtract(int a, int b)")
    assert sub["test_method_masked"].startswith("@Test") and PLACEHOLDER in sub["test_method_masked"]
    for record in records:
        source = (java_project / record["id"].split(":")[0].split("java-project/", 1)[1]).read_text()
        assert all(a in source and a not in record["test_method_masked"] for a in record["assertions"])
        assert record["test_method_masked"].count(PLACEHOLDER) == len(record["assertions"])
        assert "\r" not in record["test_method_masked"]  # the CRLF file is normalised like stubs


def test_fill_with_a_retrieval_model_searches_the_projects_own_tests(java_project, monkeypatch, capsys):
    from assertgen import cli, fill
    from conftest import FakeGenerator

    fitted = []

    class SpyRetriever(Retriever):
        def fit(self, records):
            fitted.append(list(records))
            return super().fit(fitted[-1])

    monkeypatch.setattr(fill, "Retriever", SpyRetriever)
    calc = java_project / "src/test/java/com/example/calc/CalculatorTest.java"
    plain = FakeGenerator()
    fill.fill_paths([calc], generator=plain, write=False)
    assert not fitted and not any("SIMILAR ASSERTIONS" in t for t in plain.calls[0])

    before = calc.read_bytes()
    model = RetrievalFake()
    monkeypatch.setattr(fill, "load_model", lambda model_dir: model)
    monkeypatch.chdir(java_project)
    assert cli.main(["fill", str(calc.relative_to(java_project))]) == 0
    # one file filled, but the corpus is every asserted test under its test root (the four of
    # test_fill_corpus_is_the_projects_asserted_tests_masked_like_the_corpus)
    assert len(fitted) == 1 and len(fitted[0]) == 4
    corpus_answers = {"\n".join(r["assertions"]) for r in fitted[0]}
    inputs = model.calls[0]
    assert len(inputs) == len(plain.calls[0]) > 0
    for augmented, base in zip(inputs, plain.calls[0]):
        head, sep, retrieved = augmented.partition("\n\nSIMILAR ASSERTIONS:\n")
        assert sep and head == base and retrieved in corpus_answers
    assert calc.read_bytes() != before  # the fake's valid candidates were written


def test_fill_with_a_retrieval_model_and_no_asserted_tests_is_a_user_error(tmp_path, monkeypatch, capsys):
    from assertgen import cli, fill

    main = tmp_path / "src/main/java/p"
    test = tmp_path / "src/test/java/p"
    main.mkdir(parents=True)
    test.mkdir(parents=True)
    (main / "Foo.java").write_text("package p;\npublic class Foo {\n    public int one() { return 1; }\n}\n")
    (test / "FooTest.java").write_text(
        "package p;\nimport org.junit.jupiter.api.Test;\nclass FooTest {\n    @Test\n"
        "    void testOne() {\n        int v = new Foo().one();\n    }\n}\n")
    monkeypatch.setattr(fill, "load_model", lambda model_dir: RetrievalFake())
    monkeypatch.chdir(tmp_path)
    assert cli.main(["fill", "src/test/java"]) == 2
    err = capsys.readouterr().err
    assert "retrieval" in err and "without retrieval" in err and "Traceback" not in err


# --------------------------------------------------------------------------- bench, distill

BENCH_INPUTS: list[str] = []


class _EchoRetrievalGenerator:
    """A bench factory model declaring retrieval; keeps its inputs in BENCH_INPUTS."""

    metadata = {"retrieval": {"k": 1, "corpus": "not-here.jsonl", "corpus_records": 40}}

    def generate(self, inputs, num_candidates=1, batch_size=1):
        BENCH_INPUTS.extend(inputs)
        return [["assertTrue(true);"] for _ in inputs]


def bench_retrieval_factory():
    return _EchoRetrievalGenerator()


def test_bench_feeds_a_retrieval_model_augmented_inputs_and_needs_its_corpus():
    from workbench.bench import ModelSpec, Options, run_in_this_process

    here = str(Path(__file__).resolve().parent)
    records = load_records(DATA / "test.jsonl", limit=3)
    spec = ModelSpec("r", f"{__name__}:bench_retrieval_factory", import_path=here)
    with pytest.raises(UserError, match="--retrieval-corpus"):
        run_in_this_process(spec, records, [], Options(warmup=0))
    BENCH_INPUTS.clear()
    corpus = DATA / "train.jsonl"
    spec = ModelSpec("r", f"{__name__}:bench_retrieval_factory", import_path=here,
                     retrieval_corpus=str(corpus))
    raw = run_in_this_process(spec, records, [], Options(warmup=0))
    assert len(raw["times_ms"]) == 3
    train = load_records(corpus)
    nearest = Retriever().fit(train).nearest(records)
    assert BENCH_INPUTS == [record_input(r, train[j]["assertions"]) for r, j in zip(records, nearest)]


def test_distill_with_retrieval_augments_the_dump_records(retrieval_run, tmp_path, monkeypatch):
    out, _ = retrieval_run
    dump = tmp_path / "dump.jsonl"
    assert workbench(["teacher-dump", "--model", str(out), "--data", str(DATA / "train.jsonl"),
                      "--limit", "12", "--out", str(dump), "--no-progress"]) == 0
    made = _keep_trainers(monkeypatch)
    student = tmp_path / "student"
    assert workbench(["distill", "--config", str(REPO / "configs" / "tiny-student.toml"),
                      "--teacher-dump", str(dump), "--valid", str(DATA / "valid.jsonl"),
                      "--valid-limit", "3", "--tokenizer", str(TINY), "--out", str(student),
                      "--no-progress", "data.retrieval=true", "train.epochs=1",
                      "train.valid_generate=0"]) == 0
    records = load_records(dump)
    others = Retriever().fit(records).nearest(records, exclude_self=True)
    tok, trainer = made[0].tokenizer, made[0]
    expected = [tok(record_input(r, records[j]["assertions"]), truncation=True,
                    max_length=trainer.s["max_input_tokens"])["input_ids"] for r, j in zip(records, others)]
    assert [e["input_ids"] for e in trainer.train_examples] == expected
    assert all("SIMILAR ASSERTIONS:" in t for t in trainer.valid_inputs)
    meta = json.loads((student / "assertgen.json").read_text())
    assert meta["retrieval"] == {"k": 1, "corpus": str(dump), "corpus_records": 12}


def _tiny_train(out, *overrides):
    return workbench(["train", "--config", str(REPO / "configs" / "tiny-teacher.toml"),
                      "--train", str(DATA / "train.jsonl"), "--valid", str(DATA / "valid.jsonl"),
                      "--tokenizer", str(TINY), "--out", str(out), "--limit", "40",
                      "--valid-limit", "6", "--no-progress", "train.valid_generate=0",
                      "model.d_model=16", "model.num_layers=1", "model.num_decoder_layers=1",
                      "model.num_heads=2", "model.d_ff=32", *overrides])


def test_copy_warmup_first_teaches_copying_the_retrieved_assertions(tmp_path, monkeypatch, capsys):
    from assertgen.prompt import build_target
    from workbench.train import encode_target

    made = _keep_trainers(monkeypatch)
    out = tmp_path / "model"
    # Killed (--max-steps) after the warm-up and one gold step, then resumed.
    assert _tiny_train(out, "data.retrieval=true", "train.epochs=2", "train.copy_warmup_epochs=1",
                       "--max-steps", "1") == 0
    warm, gold = made
    assert (out / "copy-warmup" / "training" / "done.json").exists()
    train = load_records(DATA / "train.jsonl", limit=40)
    retriever = Retriever().fit(train)
    others = retriever.nearest(train, exclude_self=True)
    tok = warm.tokenizer
    assert [e["labels"] for e in warm.train_examples] == \
        [encode_target(tok, build_target(train[j]["assertions"]), warm.s["max_target_tokens"])
         for j in others]
    assert [e["input_ids"] for e in warm.train_examples] == [e["input_ids"] for e in gold.train_examples]
    assert [e["labels"] for e in gold.train_examples] == \
        [encode_target(tok, build_target(r["assertions"]), gold.s["max_target_tokens"]) for r in train]
    warm_log = (out / "copy-warmup" / "training" / "log.jsonl").read_text()
    assert _tiny_train(out, "data.retrieval=true", "train.epochs=2", "train.copy_warmup_epochs=1",
                       "--resume") == 0
    assert len(made) == 4 and made[3].state["step"] == 2 * 3  # 40 records, batches of 16, 2 epochs
    assert (out / "copy-warmup" / "training" / "log.jsonl").read_text() == warm_log  # not rerun
    assert json.loads((out / "assertgen.json").read_text())["copy_warmup_epochs"] == 1

    assert _tiny_train(tmp_path / "plain", "train.copy_warmup_epochs=1") == 2
    assert "needs data.retrieval" in capsys.readouterr().err


def test_probe_train_neighbours_prints_the_three_shares(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "benchmarks/scripts/probe_train_neighbours.py", "--train",
                           str(DATA / "train.jsonl"), "--split", f"test={DATA / 'test.jsonl'}"],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first.startswith("train (400): neighbour in the same test file ") and "from another file" in first
    assert second.startswith("test (40): nearest training record exactly right ")


def test_a_checkpoint_made_a_model_keeps_its_retrieval_settings(tmp_path):
    import torch

    run = tmp_path / "run"
    assert _tiny_train(run, "data.retrieval=true", "train.epochs=1", "--max-steps", "1") == 0
    assert not (run / "assertgen.json").exists()  # stopped mid-epoch: only a checkpoint
    script = [sys.executable, "benchmarks/scripts/checkpoint_to_model.py", "--run", str(run),
              "--config", str(REPO / "configs" / "tiny-teacher.toml"), "--tokenizer", str(TINY),
              "model.d_model=16", "model.num_layers=1", "model.num_decoder_layers=1",
              "model.num_heads=2", "model.d_ff=32", "data.retrieval=true"]
    done = subprocess.run([*script, "--out", str(tmp_path / "model")], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    meta = json.loads((tmp_path / "model" / "assertgen.json").read_text())
    assert meta["retrieval"]["corpus"] == str(DATA / "train.jsonl") and meta["retrieval"]["k"] == 1
    # A checkpoint from before that record, of a run that saved no model: a clear error.
    checkpoint = run / "training" / "checkpoint.pt"
    saved = torch.load(checkpoint, map_location="cpu", weights_only=False)
    del saved["inputs"]
    torch.save(saved, checkpoint)
    done = subprocess.run([*script, "--out", str(tmp_path / "old")], cwd=REPO, capture_output=True, text=True)
    assert done.returncode != 0 and "retrieval" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "old").exists()
