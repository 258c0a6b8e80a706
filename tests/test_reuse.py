"""Reuse of a similar test's assertions (`assertgen.reuse`): the adaptation, the search,
`assertgen fill` with a model that offers it, and `workbench report --reuse`."""

from __future__ import annotations

import json

import pytest

from assertgen import fill
from assertgen.errors import UserError
from assertgen.abstraction import Abstraction
from assertgen.prompt import PLACEHOLDER
from assertgen.retrieval import Retriever
from assertgen.reuse import THRESHOLDS, Reused, Reuser, adapt, reuse_metadata
from conftest import FakeGenerator

CALC = "src/test/java/com/example/calc/CalculatorTest.java"


def record(test: str, assertions: list[str], test_file: str = "ATest.java", ident: str = "x") -> dict:
    return {"id": ident, "test_file": test_file, "focal_method": "int size() { return n; }",
            "test_method_masked": test, "assertions": assertions}


def test_adapt_renames_by_kind_and_rank_and_keeps_shared_names():
    neighbour = record("void t() { Basket basket = new Basket(); Item item = new Item(); "
                       f"basket.put(item);\n{PLACEHOLDER}\n}}",
                       ["assertEquals(1, basket.size());", "assertTrue(basket.has(item));"])
    query = record("void u() { Cart cart = new Cart(); Item item = new Item(); "
                   f"cart.add(item);\n{PLACEHOLDER}\n}}", ["assertEquals(1, cart.size());"])
    idioms = Abstraction(["assertEquals", "assertTrue", "size", "t", "u", "n"])
    # by rank: basket -> cart (both VAR_0); `has` is no name of the query and stays
    assert adapt(idioms, neighbour, query, keep_shared=False) == [
        "assertEquals(1, cart.size());", "assertTrue(cart.has(item));"]
    # keep-shared: `item` is in the query, so it keeps its name; Basket/basket still move
    assert adapt(idioms, neighbour, query, keep_shared=True)[0] == "assertEquals(1, cart.size());"


def test_adapt_keeps_a_neighbour_s_name_the_query_has_no_counterpart_for():
    """The neighbour's second variable has no query variable of its rank: it keeps its name
    (`VAR_1` would leak the placeholder into the test, and be no Java name)."""
    neighbour = record(f"void t() {{ Basket basket = new Basket(); Item item = new Item();\n{PLACEHOLDER}\n}}",
                       ["assertTrue(basket.has(item));"])
    query = record(f"void u() {{ Cart cart = new Cart();\n{PLACEHOLDER}\n}}", [])
    idioms = Abstraction(["assertTrue", "t", "u", "n", "size"])
    assert adapt(idioms, neighbour, query) == ["assertTrue(cart.has(item));"]


def test_adapt_maps_no_method_name_onto_a_constructor_s():
    """joda-time: the neighbour's focal method `getMillis` and the query's focal constructor
    `DateMidnight` shared a placeholder (METHOD_0), and reuse wrote `test.DateMidnight()`."""
    neighbour = {**record(f"void t() {{ Time test = new Time(5);\n{PLACEHOLDER}\n}}", ["assertEquals(5, test.getMillis());"]),
                 "focal_method": "public long getMillis() { return millis; }"}
    query = {**record(f"void u() {{ Time test = new Time(7);\n{PLACEHOLDER}\n}}", []),
             "focal_method": "public Time(long millis) { this.millis = millis; }"}
    idioms = Abstraction(["assertEquals", "t", "u", "millis", "long"])
    assert adapt(idioms, neighbour, query) == ["assertEquals(5, test.getMillis());"]


@pytest.fixture
def corpus() -> list[dict]:
    return [record(f"void t() {{ Basket basket = new Basket(); basket.put(1);\n{PLACEHOLDER}\n}}",
                   ["assertEquals(1, basket.size());"], "ATest.java", "a"),
            record(f"void u() {{ Basket other = new Basket(); other.put(1); other.put(2);\n{PLACEHOLDER}\n}}",
                   ["assertEquals(2, other.size());"], "BTest.java", "b"),
            record(f"void v() {{ String s = \"x\"; s.trim();\n{PLACEHOLDER}\n}}", ["assertNotNull(s);"],
                   "CTest.java", "c")]


def test_suggest_reuses_the_nearest_test_adapted_from_the_threshold(corpus):
    query = record(f"void w() {{ Basket cart = new Basket(); cart.put(1);\n{PLACEHOLDER}\n}}", [], "ATest.java")
    reuser = Reuser(["assertEquals", "size", "put"], threshold=0.0)
    _, similarities = reuser.retriever().fit(corpus).top([query], 1)
    (found,) = reuser.suggest([query], corpus)
    assert found == Reused(["assertEquals(1, cart.size());"], "a", pytest.approx(float(similarities[0, 0])))
    # at a threshold above the nearest test's similarity the model writes them
    assert Reuser([], threshold=float(similarities[0, 0]) + 0.01).suggest([query], corpus) == [None]
    assert Reuser([], threshold=0.0).suggest([query], []) == [None]


def test_the_search_is_the_models_and_old_models_search_words(corpus):
    """Models shipped before stop 19 name no search: theirs is the word search their
    threshold was chosen for; new metadata names the search with its own threshold."""
    old = Reuser.of({"reuse": {"idioms": ["size"], "threshold": 0.4}})
    assert (old.search, old.threshold) == ("words", 0.4)
    new = Reuser.of({"reuse": reuse_metadata(["size"])})
    assert (new.search, new.threshold) == ("chars", THRESHOLDS["chars"])
    with pytest.raises(UserError, match="unknown reuse search 'bytes'.*known are words, chars"):
        Reuser(["size"], search="bytes")
    # the two searches rank by different texts: words see the whole focal method, chars
    # its name only, so their similarities to the same neighbour differ
    query = record(f"void w() {{ Basket cart = new Basket(); cart.put(1);\n{PLACEHOLDER}\n}}", [], "ZTest.java")
    found = {search: Reuser(["size"], 0.0, search).suggest([query], corpus)[0]
             for search in ("words", "chars")}
    assert found["words"].source == found["chars"].source == "a"
    assert found["words"].similarity != pytest.approx(found["chars"].similarity)
    assert Retriever(char_ngrams=True).fit(corpus).top([query], 1)[0][0, 0] == 0
    # the char search reads only the masked test and the focal method's name
    bare = [{"id": "x", "test_method_masked": "void t() { a.size(); }", "focal_method_name": "size",
             "assertions": ["assertTrue(true);"]}]
    assert new.retriever().fit(bare).top(bare, 1)[1][0, 0] == pytest.approx(1.0)


def test_suggest_other_files_only_never_reuses_the_records_own_test_file(corpus):
    query = record(f"void w() {{ Basket cart = new Basket(); cart.put(1);\n{PLACEHOLDER}\n}}", [], "ATest.java")
    (found,) = Reuser(["assertEquals", "size", "put"], threshold=0.0).suggest([query], corpus, other_files_only=True)
    assert found.source == "b" and found.assertions == ["assertEquals(2, cart.size());"]
    alone = [r for r in corpus if r["test_file"] == "ATest.java"]
    assert Reuser([], threshold=0.0).suggest([query], alone, other_files_only=True) == [None]


# --------------------------------------------------------------------------- assertgen fill

class ReuseFake(FakeGenerator):
    """The conftest FakeGenerator, offering reuse in its metadata."""

    metadata = {"name": "fake-reuse", "reuse": reuse_metadata(["assertEquals"])}


@pytest.fixture
def project(java_project):
    """The fixture project with one more stub, testSubtract under other names."""
    calc = java_project / CALC
    calc.write_text(calc.read_text().replace(
        "    @Test\n    public void testIsEven()",
        "    @Test\n    public void testSubtractAgain() {\n"
        "        int difference = calculator.subtract(5, 3);\n    }\n\n"
        "    @Test\n    public void testIsEven()"))
    return java_project


def stubs_by_name(report) -> dict:
    return {s.method: s for s in report.stubs()}


def test_fill_reuses_a_similar_test_in_the_stubs_names_and_leaves_the_rest_to_the_model(project):
    model = ReuseFake()
    report = fill.fill_paths([project / CALC], generator=model)
    again = stubs_by_name(report)["testSubtractAgain"]
    assert (again.status, again.source) == ("filled", "reused")
    assert again.assertions == ["assertEquals(2, difference);"]
    assert again.reused_from.endswith("CalculatorTest.java:testSubtract:32")
    assert "assertEquals(2, difference);" in (project / CALC).read_text()
    # the model never saw the reused stub; what it filled says so
    assert not any("testSubtractAgain" in text for call in model.calls for text in call)
    for stub in report.stubs():
        assert stub.status != "filled" or stub.source in ("model", "reused")
        assert (stub.source == "reused") == (stub.reused_from is not None)
    assert report.reused == sum(s.source == "reused" for s in report.stubs()) >= 1
    assert report.to_json()["summary"]["reused"] == report.reused


def test_tests_of_files_without_stubs_are_reused_too(java_project):
    """fill keeps parse trees only for files with stubs; the corpus reads the others again."""
    main = java_project / "src/main/java/com/example/sub"
    tests = java_project / "src/test/java/com/example/sub"
    main.mkdir(parents=True), tests.mkdir(parents=True)
    for name in ("Subtractor", "Minus"):
        (main / f"{name}.java").write_text(f"package com.example.sub;\n\npublic class {name} {{\n"
                                           "    public int subtract(int a, int b) { return a - b; }\n}\n")
    test = ("package com.example.sub;\n\nimport static org.junit.Assert.assertEquals;\n\n"
            "import org.junit.Test;\n\npublic class {name}Test {{\n\n    @Test\n"
            "    public void testSubtract() {{\n        {name} {var} = new {name}();\n"
            "        int {result} = {var}.subtract(7, 4);\n{asserts}    }}\n}}\n")
    (tests / "SubtractorTest.java").write_text(test.format(
        name="Subtractor", var="subtractor", result="result", asserts="        assertEquals(3, result);\n"))
    (tests / "MinusTest.java").write_text(test.format(name="Minus", var="minus", result="difference", asserts=""))
    report = fill.fill_paths([java_project / "src/test/java"], generator=ReuseFake(), write=False)
    stub = next(s for s in report.stubs() if s.test_class == "MinusTest")
    assert (stub.status, stub.source, stub.assertions) == ("filled", "reused", ["assertEquals(3, difference);"])
    assert stub.reused_from.endswith("SubtractorTest.java:testSubtract:10")
    no_stubs = next(f for f in report.files if f.path.endswith("SubtractorTest.java"))
    assert (no_stubs.test_methods, no_stubs.stubs, no_stubs.status) == (1, [], "unchanged")


def test_no_reuse_leaves_every_stub_to_the_model(project):
    model = ReuseFake()
    report = fill.fill_paths([project / CALC], generator=model, reuse=False)
    again = stubs_by_name(report)["testSubtractAgain"]
    assert (again.source, again.assertions) == ("model", ["assertNotNull(difference);", "assertTrue(difference == difference);"])
    assert report.reused == 0


def offer(monkeypatch, *options: Reused) -> None:
    """Every stub is offered these similar tests' assertions, nearest first."""
    monkeypatch.setattr(Reuser, "candidates", lambda self, records, corpus, limit: [list(options)] * len(records))


def test_reused_assertions_that_fail_the_checks_fall_back_to_the_model(project, monkeypatch):
    offer(monkeypatch, Reused(["assertEquals(nowhereDeclared, 1);"], "elsewhere", 0.9))
    reused = stubs_by_name(fill.fill_paths([project / CALC], generator=ReuseFake(), write=False))
    plain = stubs_by_name(fill.fill_paths([project / CALC], generator=ReuseFake(), write=False, reuse=False))
    assert {n: (s.status, s.assertions) for n, s in reused.items()} == \
        {n: (s.status, s.assertions) for n, s in plain.items()}
    again = reused["testSubtractAgain"]
    assert again.source == "model" and again.reused_from is None
    assert again.rejected[0] == {"output": "assertEquals(nowhereDeclared, 1);",
                                 "reason": again.rejected[0]["reason"], "source": "reused"}


def test_a_reused_statement_over_several_lines_is_joined_and_its_literals_kept(project, monkeypatch):
    statement = 'assertEquals("a  b",\n            String.valueOf(difference));'
    offer(monkeypatch, Reused([statement], "elsewhere", 0.9))
    again = stubs_by_name(fill.fill_paths([project / CALC], generator=ReuseFake()))["testSubtractAgain"]
    assert (again.source, again.assertions) == ("reused", ['assertEquals("a  b", String.valueOf(difference));'])
    assert 'assertEquals("a  b", String.valueOf(difference));' in (project / CALC).read_text()


def test_when_the_nearest_tests_assertions_fail_the_checks_the_next_similar_ones_are_tried(project, monkeypatch):
    unknown = Reused(["assertEquals(nowhereDeclared, 1);"], "nearest", 0.9)
    again = Reused(["assertEquals(nowhereDeclared,\n 1);"], "same-list", 0.8)  # the same list: tried once
    offer(monkeypatch, unknown, again, Reused(["assertEquals(2, difference);"], "third", 0.7),
          Reused(["assertEquals(3, difference);"], "fourth", 0.6))
    stub = stubs_by_name(fill.fill_paths([project / CALC], generator=ReuseFake(), write=False))["testSubtractAgain"]
    assert (stub.source, stub.assertions, stub.reused_from) == ("reused", ["assertEquals(2, difference);"], "third")
    assert [r["output"] for r in stub.rejected] == ["assertEquals(nowhereDeclared, 1);"]


def test_reused_assertions_about_another_class_are_refused(project, monkeypatch):
    """commons-io: FilenameUtils.getPath(...) was reused for a ByteOrderMark test. A reused list
    must use a name of the test, a class of its file or its focal class (Calculator)."""
    (project / "src/main/java/com/example/calc/Units.java").write_text(
        "package com.example.calc;\n\npublic class Units {\n    public static int ten() { return 10; }\n}\n")
    offer(monkeypatch, Reused(["assertEquals(10, Units.ten());"], "another class's", 0.9),
          Reused(["assertEquals(0, new Calculator().subtract(1, 1));", "assertEquals(10, Units.ten());"], "focal", 0.8))
    stub = stubs_by_name(fill.fill_paths([project / CALC], generator=ReuseFake(), write=False))["testSubtractAgain"]
    assert (stub.source, stub.reused_from) == ("reused", "focal")
    assert [r["reason"] for r in stub.rejected] == [
        "reused assertions about another class: they use none of the test's names or classes, nor Calculator"]


def test_candidates_are_the_similar_enough_tests_nearest_first(corpus):
    query = record(f"void w() {{ Basket cart = new Basket(); cart.put(1);\n{PLACEHOLDER}\n}}", [], "ATest.java")
    reuser = Reuser(["assertEquals", "size", "put"], threshold=0.0)
    _, similarities = reuser.retriever().fit(corpus).top([query], 3)
    (options,) = reuser.candidates([query], corpus, limit=3)
    assert [o.source for o in options][:2] == ["a", "b"]
    assert [o.similarity for o in options] == pytest.approx(sorted(map(float, similarities[0]), reverse=True))
    assert reuser.candidates([query], corpus, limit=1) == [options[:1]]
    # only those at the threshold or above: the nearest alone here
    above = Reuser(["assertEquals", "size", "put"], threshold=float(similarities[0, 1]) + 1e-6)
    assert above.candidates([query], corpus, limit=3) == [options[:1]]


def test_copies_of_one_test_do_not_crowd_out_the_next_candidates(corpus):
    """Six copies of the nearest test (as in a repository whose modules repeat a test) still
    leave room for the next test's different assertions."""
    query = record(f"void w() {{ Basket cart = new Basket(); cart.put(1);\n{PLACEHOLDER}\n}}", [], "ZTest.java")
    copies = [dict(corpus[0], id=f"a{i}", test_file=f"m{i}/ATest.java") for i in range(6)]
    reuser = Reuser(["assertEquals", "size", "put"], threshold=0.0)
    (options,) = reuser.candidates([query], copies + corpus[1:], limit=2)
    assert [o.assertions for o in options] == [["assertEquals(1, cart.size());"],
                                               ["assertEquals(2, cart.size());"]]
    assert options[1].source == "b"


@pytest.mark.parametrize("folder", [None, "[bold]tests [x]"])
def test_cli_summary_counts_the_reused_stubs(project, monkeypatch, capsys, tmp_path, folder):
    """(In a folder whose name reads as rich markup, the lines still name it: rich took it as a style.)"""
    import shutil

    from assertgen import cli

    if folder:
        project = shutil.copytree(project, tmp_path / folder)
    monkeypatch.setattr(fill, "load_model", lambda model_dir: ReuseFake())
    report_path = tmp_path / "report.json"
    assert cli.main(["fill", str(project / CALC), "--json", str(report_path)]) == 0
    report = json.loads(report_path.read_text())
    reused = report["summary"]["reused"]
    assert reused >= 1
    err = capsys.readouterr().err.splitlines()
    row = next(line for line in err if "reused from a similar test" in line)
    assert row.split()[-2] == str(reused)
    # which stubs and from which test, to review (the README: the summary says so, not only --json)
    expected = [f"reused {f['path']}:{s['line']} {s['method']}: the assertions of {s['reused_from']}"
                for f in report["files"] for s in f["stubs"] if s["source"] == "reused"]
    assert [line for line in err if line.startswith("reused ")] == expected


# --------------------------------------------------------------------------- workbench report --reuse

def test_report_reuse_rows_score_the_model_with_reused_assertions(tmp_path):
    from test_report import DATA, _report

    from workbench.evaluate import read_predictions
    from workbench.metrics import compute_metrics

    out = tmp_path / "report"
    assert _report(out, "--reuse") == 0
    tables = json.loads((out / "tables.json").read_text())
    for split in ("test", "valid"):
        rows = tables["splits"][split]
        assert set(rows) == {"tiny", "tiny-pt", "ir", "tiny+reuse", "tiny-pt+reuse"}
        model = read_predictions(out / "eval" / split / "tiny" / "predictions.jsonl")
        lines = [json.loads(line) for line in
                 (out / "eval" / split / "tiny+reuse" / "predictions.jsonl").read_text().splitlines()]
        # the model's predictions wherever nothing was reused, and a share reused
        assert all(row["prediction"] == model[row["id"]] for row in lines if not row["reused"])
        assert rows["tiny+reuse"]["reused"] == sum(row["reused"] for row in lines) / 12 > 0
        records = {r["id"]: r for r in map(json.loads, (DATA / f"{split}.jsonl").read_text().splitlines())}
        summary, _ = compute_metrics([row["prediction"] for row in lines],
                                     [records[row["id"]]["assertions"] for row in lines], with_codebleu=False)
        assert rows["tiny+reuse"]["exact_match"] == pytest.approx(summary["exact_match"])
    assert "| tiny+reuse |" in (out / "tables.md").read_text()
    assert "--reuse" in tables["command"]


# --------------------------------------------------------------------------- workbench bench, suites

FAKE_MODEL = '''
CALLS = []


class Fake:
    def generate(self, inputs, num_candidates=1, batch_size=16):
        CALLS.extend(inputs)
        return [["assertFalse(written);"]] * len(inputs)


def make():
    return Fake()
'''


def test_bench_predictor_with_reuse_asks_the_model_only_for_the_rest(tmp_path):
    import sys

    from test_report import DATA

    from assertgen.abstraction import fit_idioms
    from assertgen.reuse import RepositoryReuse
    from workbench.bench import ModelSpec, Options, load_predictor
    from workbench.data import load_records

    (tmp_path / "reuse_fakes.py").write_text(FAKE_MODEL)
    data, train = str(DATA / "test.jsonl"), str(DATA / "train.jsonl")
    spec = ModelSpec(name="m", source="reuse_fakes:make", train=train, import_path=str(tmp_path),
                     reuse_from=(data, train))
    predict, _ = load_predictor(spec, Options())
    records = load_records(data)
    predictions = predict(records)
    expected = RepositoryReuse(Reuser(fit_idioms(load_records(train))),
                               [*records, *load_records(train)]).suggest(records)
    assert 0 < sum(e is not None for e in expected) < len(records)
    assert predictions == [e.assertions if e else ["assertFalse(written);"] for e in expected]
    assert len(sys.modules["reuse_fakes"].CALLS) == sum(e is None for e in expected)
    with pytest.raises(UserError, match="reuse needs training records"):
        load_predictor(ModelSpec(name="m", source="reuse_fakes:make", import_path=str(tmp_path),
                                 reuse_from=(data,)), Options())


def test_suite_reuse_key(tmp_path):
    from pytest_assertgen.suite import SuiteError, load_suite

    path = tmp_path / "s.toml"
    body = ('[suite]\ndata = "d.jsonl"\ntrain = "t.jsonl"\n[models.m]\nmodel = "x:y"\nreuse = true\n'
            'gates = ["f1 >= 0.1"]\n')
    path.write_text(body)
    suite = load_suite(path)
    assert suite.models["m"].spec().reuse_from == (str(tmp_path / "d.jsonl"), str(tmp_path / "t.jsonl"))
    assert suite.missing_train("m").startswith("training data not found")
    for old, new, message in [
            ('model = "x:y"', 'model = "baseline-ir"', "key 'models.m.reuse': needs a model other than baseline-ir"),
            ('train = "t.jsonl"\n', "", "key 'models.m.reuse'"),
            ('train = "t.jsonl"', 'train = "t.jsonl"\nmember = "*.jsonl"', "cannot be used with suite.member"),
            ("reuse = true", 'reuse = "yes"', "key 'models.m.reuse': must be bool")]:
        path.write_text(body.replace(old, new))
        with pytest.raises(SuiteError, match=message):
            load_suite(path)


def test_stubs_filled_now_are_reused_now_so_a_second_run_changes_nothing(tmp_path):
    """Filled stubs are similar tests for the others on the next run: fill searches again
    until nothing more is filled, else `fill` then `fill --check` would fail a CI job."""
    main = tmp_path / "src/main/java/com/example/m"
    tests = tmp_path / "src/test/java/com/example/m"
    main.mkdir(parents=True), tests.mkdir(parents=True)
    (main / "Counter.java").write_text("package com.example.m;\n\npublic class Counter {\n"
                                       "    public int add(int a, int b) { return a + b; }\n}\n")
    # the fake model fills testAdd (an int local) and writes nothing that passes for testAddMore
    # (a long local): only testAdd, once filled, can give testAddMore its assertions
    (tests / "CounterTest.java").write_text(
        "package com.example.m;\n\nimport org.junit.Test;\n\npublic class CounterTest {\n"
        "    private final Counter counter = new Counter();\n\n"
        "    @Test\n    public void testAdd() {\n        int result = counter.add(2, 3);\n    }\n\n"
        "    @Test\n    public void testAddMore() {\n        long total = counter.add(2, 4);\n    }\n}\n")
    first = stubs_by_name(fill.fill_paths([tmp_path / "src/test/java"], generator=ReuseFake()))
    assert (first["testAdd"].status, first["testAdd"].source) == ("filled", "model")
    more = first["testAddMore"]
    assert (more.status, more.source, more.assertions) == \
        ("filled", "reused", ["assertNotNull(total);", "assertTrue(total == total);"])
    assert more.reused_from.endswith("CounterTest.java:testAdd:11")  # as written: after the added import group
    again = fill.fill_paths([tmp_path / "src/test/java"], generator=ReuseFake(), write=False)
    assert again.filled == 0 and not again.stubs()
