"""The pytest plugin, run through pytest's own `pytester`.

The suites here use a fake model factory (`fake_models:oracle`, written into each test's
directory): it answers the true assertions for the first FAKE_CORRECT fraction of the
records it knows and `assertTrue(true);` for everything else, and logs every time it is
built, so quality values and the number of model runs are known exactly.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_assertgen.plugin import judge, read_baseline
from pytest_assertgen.suite import Gate, SuiteError, load_suite

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parent.parent
TEST_DATA = REPO / "fixtures" / "data" / "test.jsonl"
TRAIN_DATA = REPO / "fixtures" / "data" / "train.jsonl"
N_RECORDS = 10

FAKE_MODELS = '''
import json, os
from pathlib import Path
from assertgen.prompt import build_target, record_input

HERE = Path.cwd()  # the test's directory: the measuring child inherits it


class Oracle:
    def __init__(self, correct):
        records = [json.loads(line) for line in (HERE / "data.jsonl").read_text().splitlines()]
        n_correct = round(correct * len(records))
        self.answers = {record_input(r): build_target(r["assertions"])
                        for r in records[:n_correct]}

    def generate(self, inputs, num_candidates=4, batch_size=16):
        return [[self.answers.get(text, "assertTrue(true);")] * num_candidates for text in inputs]


def oracle():
    with open(HERE / "builds.log", "a") as log:
        log.write("built\\n")
    return Oracle(float(os.environ.get("FAKE_CORRECT", "1")))


def always_wrong():
    return Oracle(0.0)


def broken():
    raise KeyError("vocab.json")
'''


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A directory with 10 fixture records and no ini file."""
    lines = TEST_DATA.read_text().splitlines()[:N_RECORDS]
    (pytester.path / "data.jsonl").write_text("\n".join(lines) + "\n")
    return pytester


def write_suite(pytester: pytest.Pytester, body: str, name: str = "benchmarks/s.toml") -> Path:
    path = pytester.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body)
    # A factory module is imported from its suite's directory.
    (path.parent / "fake_models.py").write_text(FAKE_MODELS)
    return path


SUITE = """
[suite]
data = "../data.jsonl"
max_regression = {{ default = 0.05, ms_per_method_p50 = 1000 }}

[models.oracle]
model = "fake_models:oracle"
gates = [{gates}]
"""


def suite_with(*gates: str) -> str:
    return SUITE.format(gates=", ".join(f'"{g}"' for g in gates))


def outcomes_by_id(result: pytest.RunResult) -> dict[str, str]:
    """nodeid -> outcome word from the -rA short summary lines."""
    found = {}
    for line in result.outlines:
        parts = line.split(" ", 2)
        if len(parts) >= 2 and parts[0] in ("PASSED", "FAILED", "SKIPPED", "ERROR"):
            found[parts[1]] = parts[0]
    return found


def test_items_are_collected_only_with_the_flag(project):
    write_suite(project, suite_with("exact_match >= 0.5", "ast_validity >= 0.9"))
    plain = project.runpytest("--collect-only", "-q")
    assert "s.toml" not in plain.stdout.str()
    assert plain.ret == pytest.ExitCode.NO_TESTS_COLLECTED

    # A suite named without the flag: pytest's 'not found' (exit 4), and the reason why.
    named = project.runpytest("benchmarks/s.toml")
    assert named.ret == pytest.ExitCode.USAGE_ERROR
    named.stdout.fnmatch_lines(["assertgen: benchmarks/s.toml is a benchmark suite: suites run with "
                                "--assertgen-bench"])

    # assertgen options without the flag: nothing measured, nothing written, and now said so
    forgot = project.runpytest("-m", "assertgen", "--assertgen-save-baseline=b.json")
    forgot.stdout.fnmatch_lines(["assertgen: --assertgen-save-baseline did nothing: suites run with "
                                 "--assertgen-bench"])
    assert not (project.path / "b.json").exists()

    bench = project.runpytest("--assertgen-bench", "--collect-only", "-q")
    bench.stdout.fnmatch_lines(["benchmarks/s.toml::oracle::exact_match",
                                "benchmarks/s.toml::oracle::ast_validity"])
    assert not (project.path / "builds.log").exists()  # collecting does not run the model


def test_passing_and_failing_gates_and_one_model_run(project, monkeypatch):
    monkeypatch.setenv("FAKE_CORRECT", "0.5")
    write_suite(project, suite_with("exact_match >= 0.9", "ast_validity >= 0.9", "f1 >= 0.2"))
    result = project.runpytest("--assertgen-bench", "-rA")
    result.assert_outcomes(passed=2, failed=1)
    assert outcomes_by_id(result) == {
        "benchmarks/s.toml::oracle::exact_match": "FAILED",
        "benchmarks/s.toml::oracle::ast_validity": "PASSED",
        "benchmarks/s.toml::oracle::f1": "PASSED",
    }
    result.stdout.fnmatch_lines([
        "s::oracle::exact_match = 0.5; gate exact_match >= 0.9: NOT MET",
        "baseline: none",
    ])
    # The summary table lists every gate with its value.
    result.stdout.fnmatch_lines(["*assertgen benchmarks*", "s::oracle::exact_match*0.5*exact_match >= 0.9*failed"])
    # Three items, one model build.
    assert (project.path / "builds.log").read_text().count("built") == 1


def test_junit_xml_properties_are_json(project, monkeypatch):
    """CI dashboards read the measured values from JUnit XML: JSON text, not a Python repr."""
    monkeypatch.setenv("FAKE_CORRECT", "0.5")
    write_suite(project, suite_with("exact_match >= 0.9", "f1 >= 0.2"))
    project.runpytest("--assertgen-bench", "--junitxml=out.xml").assert_outcomes(passed=1, failed=1)
    from xml.etree import ElementTree
    cases = {c.get("name"): c for c in ElementTree.parse(project.path / "out.xml").iter("testcase")}
    props = {p.get("name"): json.loads(p.get("value")) for p in cases["exact_match"].iter("property")}
    assert props["assertgen"]["metric"] == "exact_match" and props["assertgen"]["value"] == 0.5
    assert props["assertgen"]["passed"] is False
    assert props["assertgen_model"]["metrics"]["exact_match"] == 0.5  # the first item carries the model's


def test_under_xdist_the_summary_and_report_gather_every_worker(project, monkeypatch):
    pytest.importorskip("xdist")
    monkeypatch.setenv("FAKE_CORRECT", "0.5")
    write_suite(project, suite_with("exact_match >= 0.9", "f1 >= 0.2"))
    write_suite(project, suite_with("ast_validity >= 0.9"), name="benchmarks/t.toml")
    result = project.runpytest("--assertgen-bench", "-n", "2", "--dist", "loadfile",
                               "--assertgen-json", "out/report.json")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*assertgen benchmarks*"])
    result.stdout.fnmatch_lines(["s::oracle::exact_match*0.5*exact_match >= 0.9*failed"])
    result.stdout.fnmatch_lines(["t::oracle::ast_validity*"])
    doc = json.loads((project.path / "out" / "report.json").read_text())
    assert {i["nodeid"]: i["outcome"] for i in doc["items"]} == {
        "benchmarks/s.toml::oracle::exact_match": "failed", "benchmarks/s.toml::oracle::f1": "passed",
        "benchmarks/t.toml::oracle::ast_validity": "passed"}
    assert sorted(m["suite"] for m in doc["models"]) == ["s", "t"]
    assert (project.path / "builds.log").read_text().count("built") == 2  # once per suite's model
    assert "pytest-xdist's --dist" not in result.stdout.str()


def test_under_xdist_load_the_summary_warns_of_contention(project):
    # With -n alone (--dist load) one model's items ran on several workers, each measuring it
    # again, its speed gates under contention, and nothing said so (--dist loadfile: above).
    pytest.importorskip("xdist")
    write_suite(project, suite_with("exact_match >= 0.5", "f1 >= 0.5", "ast_validity >= 0.5",
                                    "ms_per_method_p50 <= 100000"))
    result = project.runpytest("--assertgen-bench", "-p", "xdist", "-n", "2")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["assertgen: with pytest-xdist's --dist load, one model's items can run "
                                 "on several workers at once: * use --dist loadfile to keep each suite "
                                 "on one worker"])


def test_regression_against_saved_baseline_fails_exactly_that_item(project, monkeypatch):
    write_suite(project, suite_with("exact_match >= 0.1", "ast_validity >= 0.5", "ms_per_method_p50 <= 10000"))
    baseline = project.path / "baseline.json"
    monkeypatch.setenv("FAKE_CORRECT", "1")
    first = project.runpytest("--assertgen-bench", f"--assertgen-save-baseline={baseline}")
    first.assert_outcomes(passed=3)
    saved = json.loads(baseline.read_text())
    assert saved["values"]["s::oracle::exact_match"] == 1.0
    assert set(saved["values"]) == {"s::oracle::exact_match", "s::oracle::ast_validity",
                                    "s::oracle::ms_per_method_p50"}

    # 60% correct: exact match drops 40%, still above its gate; AST validity unchanged.
    monkeypatch.setenv("FAKE_CORRECT", "0.6")
    second = project.runpytest("--assertgen-bench", f"--assertgen-baseline={baseline}", "-rA")
    second.assert_outcomes(passed=2, failed=1)
    assert outcomes_by_id(second)["benchmarks/s.toml::oracle::exact_match"] == "FAILED"
    second.stdout.fnmatch_lines([
        "s::oracle::exact_match = 0.6; gate exact_match >= 0.1: met",
        "baseline 1, delta -0.4 (-40.0%)",
        "regression 40.0% (allowed 5.0%): REGRESSED",
    ])

    # Without the baseline the same run is green: the failure was the regression.
    project.runpytest("--assertgen-bench").assert_outcomes(passed=3)


def test_gates_the_baseline_has_no_value_for_are_listed(project):
    # A renamed suite or model, or another suite's baseline: nothing is checked for
    # regressions, which the run said nowhere but in an empty table column.
    write_suite(project, suite_with("exact_match >= 0.5", "f1 >= 0.5"))
    project.runpytest("--assertgen-bench", "-k", "f1", "--assertgen-save-baseline=b.json")
    result = project.runpytest("--assertgen-bench", "--assertgen-baseline=b.json")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["assertgen: 1 of 2 gates not checked for regressions, no value in "
                                 f"{project.path}/b.json: s::oracle::exact_match"])
    all_checked = project.runpytest("--assertgen-bench", "-k", "f1", "--assertgen-baseline=b.json")
    assert "not checked for regressions" not in all_checked.stdout.str()


def test_missing_data_skips_with_the_file_named(project, monkeypatch):
    monkeypatch.delenv("BENCH_DATA_DIR", raising=False)
    write_suite(project, suite_with("exact_match >= 0.5").replace("../data.jsonl", "../absent.jsonl"),
                name="benchmarks/a.toml")
    write_suite(project, suite_with("f1 >= 0.5").replace("../data.jsonl", "${BENCH_DATA_DIR}/x.jsonl"),
                name="benchmarks/b.toml")
    result = project.runpytest("--assertgen-bench", "-rs")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["*a: data file not found: *absent.jsonl",
                                 "*b: data file not found: *x.jsonl (BENCH_DATA_DIR not set)"])
    # the exit status is 0: the summary says what a typo in a path would hide
    result.stdout.fnmatch_lines(["assertgen: 2 suite(s) or model(s) not run, their data missing (a typo passes as a skip)*"])
    # in CI, --assertgen-require-data (or the ini key) makes them fail
    required = project.runpytest("--assertgen-bench", "--assertgen-require-data")
    required.assert_outcomes(errors=2)
    required.stdout.fnmatch_lines(["*a: data file not found: *absent.jsonl (--assertgen-require-data)*"])
    project.makeini("[pytest]\nassertgen_require_data = true\n")
    project.runpytest("--assertgen-bench").assert_outcomes(errors=2)
    assert not (project.path / "builds.log").exists()


def test_an_empty_data_file_is_named_not_reported_as_not_measured(project):
    (project.path / "empty.jsonl").write_text('{"header": {"split": "test"}}\n\n')
    write_suite(project, suite_with("exact_match >= 0.5", "ms_per_method_p50 <= 100").replace(
        "../data.jsonl", "../empty.jsonl"))
    result = project.runpytest("--assertgen-bench")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["s::oracle::exact_match: *empty.jsonl: no records",
                                 "s::oracle::ms_per_method_p50: *empty.jsonl: no records"])
    assert "not measured" not in result.stdout.str()
    assert not (project.path / "builds.log").exists()  # no model run for nothing


CASE = """
[[cases]]
name = "c"
focal_method = "int g() { return 1; }"
test_method_masked = "@Test void u() {\\n    // ASSERTION PLACEHOLDER\\n}"
accept = ["assertEquals(1, g());"]
"""


@pytest.mark.parametrize("body, key, message", [
    (suite_with("exact_matsch >= 0.5"), "models.oracle.gates[0]", "unknown metric 'exact_matsch'"),
    (suite_with("exact_match => 0.5"), "models.oracle.gates[0]", "cannot read gate"),
    (suite_with("exact_match >= 0.5").replace("[suite]", "[suite]\nsampel = 3"), "suite.sampel",
     "unknown key"),
    (suite_with("exact_match >= 0.5").replace("[suite]", "[suite]\nsample = 0"), "suite.sample",
     "must be at least 1"),
    (suite_with("speedup_p50 >= 2"), "models.oracle.gates[0]", "set suite.reference"),
    (suite_with("f1 >= 0.5").replace('model = "fake_models:oracle"', ""), "models.oracle.model",
     "is required"),
    # Thresholds no value can cross: the gate would always fail (a percentage) or always pass.
    (suite_with("exact_match >= 20"), "models.oracle.gates[0]", "exact_match is a fraction: "
     "the threshold must be between 0 and 1, got 20"),
    (suite_with("f1 >= 0.1", "ast_validity >= -0.5"), "models.oracle.gates[1]", "between 0 and 1"),
    (suite_with("ms_per_method_p50 <= -5"), "models.oracle.gates[0]", "must be >= 0, got -5"),
    (suite_with("codebleu >= 0.2").replace("[suite]", "[suite]\ncodebleu = false"), "suite.codebleu",
     "false, but a gate uses codebleu"),
    # nothing to check: it was pytest's bare "no tests ran" (exit 5), the file unnamed
    (suite_with().replace("gates = []", ""), "models",
     "no model has gates and there are no *cases*: the suite checks nothing"),
    # a case for no model was silently no item at all
    (suite_with("f1 >= 0.5") + CASE + "models = []\n", "cases[0].models", "is empty: name at least one model"),
    # a member pattern for a data file that is not a ZIP was silently ignored (the whole file read)
    (suite_with("f1 >= 0.5").replace("[suite]", '[suite]\nmember = "*test*"'), "suite.member",
     "*data.jsonl is not a ZIP, so it has no member to pick"),
    # 5 meant as 5%: a quality metric never falls by 5 times its baseline, the check was off
    (suite_with("f1 >= 0.5").replace("default = 0.05", "default = 5"), "suite.max_regression.default",
     "write 0.05 for 5%"),
])
def test_malformed_suite_is_a_collection_error_naming_file_and_key(project, body, key, message):
    write_suite(project, body)
    result = project.runpytest("--assertgen-bench")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    escaped = "".join({"[": "[[]", "]": "[]]"}.get(c, c) for c in key)  # fnmatch brackets
    result.stdout.fnmatch_lines([f"*s.toml: key '{escaped}': *{message}*"])


def test_invalid_toml_names_the_file_and_line(project):
    write_suite(project, "[suite\ndata = 1\n")
    result = project.runpytest("--assertgen-bench")
    result.stdout.fnmatch_lines(["*s.toml: invalid TOML: *line 1*"])
    (project.path / "benchmarks" / "s.toml").write_bytes(b"\xff[suite]\n")  # not UTF-8
    result = project.runpytest("--assertgen-bench")
    result.stdout.fnmatch_lines(["*s.toml: cannot read: 'utf-8' codec*"])
    assert "UnicodeDecodeError" not in result.stdout.str()


def test_unusable_baseline_or_report_path_is_one_line_not_an_internal_error(project):
    write_suite(project, suite_with("exact_match >= 0.1"))
    (project.path / "list.json").write_text("[1, 2]\n")  # JSON, but not a baseline
    result = project.runpytest("--assertgen-bench", "--assertgen-baseline=list.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*list.json is not an assertgen baseline*"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()

    (project.path / "a-file").write_text("keep\n")
    for option in ("--assertgen-json=a-file/report.json", "--assertgen-save-baseline=a-file/b.json"):
        result = project.runpytest("--assertgen-bench", option)
        result.assert_outcomes(passed=1)
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stdout.fnmatch_lines(["assertgen: error: *a-file/*.json: cannot write file*"])
        assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert (project.path / "a-file").read_text() == "keep\n"


def test_a_baseline_value_that_is_not_a_number_is_a_usage_error_naming_file_and_key(project):
    # It was dropped, and the run then said "no value in b.json" for that gate.
    write_suite(project, suite_with("exact_match >= 0.1", "f1 >= 0.1"))
    project.runpytest("--assertgen-bench", "--assertgen-save-baseline=b.json").assert_outcomes(passed=2)
    doc = json.loads((project.path / "b.json").read_text())
    doc["values"]["s::oracle::f1"] = "0.5"  # hand-edited
    (project.path / "b.json").write_text(json.dumps(doc))
    before = (project.path / "b.json").read_text()
    result = project.runpytest("--assertgen-bench", "--assertgen-baseline=b.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: assertgen: baseline {project.path}/b.json: key "
                                 "'values.s::oracle::f1' must be a number, got \"0.5\""])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert (project.path / "builds.log").read_text().count("built") == 1  # the saving run's: nothing ran

    # Saving into it: the same line, the file not replaced (its value would have been lost).
    result = project.runpytest("--assertgen-bench", "-k", "exact_match", "--assertgen-save-baseline=b.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(["assertgen: error: baseline not saved: baseline *b.json: key "
                                 "'values.s::oracle::f1' must be a number, got \"0.5\"; the file was not replaced"])
    assert (project.path / "b.json").read_text() == before


def test_two_suites_with_one_name_is_a_collection_error(project):
    # Baseline keys and report rows are suite::model::metric: a copied suite that kept its
    # name overwrote the other's saved values and was compared with them.
    write_suite(project, suite_with("exact_match >= 0.5"), name="benchmarks/s.toml")
    write_suite(project, suite_with("exact_match >= 0.9"), name="nightly/s.toml")
    result = project.runpytest("--assertgen-bench", "benchmarks/s.toml", "nightly/s.toml")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines([f"*nightly/s.toml: key 'suite.name': 's' is also the name of "
                                 f"{project.path}/benchmarks/s.toml*"])


def test_saving_a_baseline_keeps_what_it_does_not_measure_and_never_replaces_another_file(project):
    write_suite(project, suite_with("exact_match >= 0.5"), name="benchmarks/a.toml")
    write_suite(project, suite_with("f1 >= 0.5"), name="benchmarks/b.toml")
    baseline = project.path / "b.json"
    project.runpytest("--assertgen-bench", f"--assertgen-save-baseline={baseline}").assert_outcomes(passed=2)
    full = json.loads(baseline.read_text())
    assert set(full["models"]) == {"a::oracle", "b::oracle"}

    # A partial run merges: the values and the model summaries of suite b stay.
    project.runpytest("--assertgen-bench", "-k", "a.toml", f"--assertgen-save-baseline={baseline}")
    partial = json.loads(baseline.read_text())
    assert partial["values"] == full["values"] and set(partial["models"]) == set(full["models"])

    # Nothing measured (collecting only): the file is not rewritten, nor created.
    before = baseline.read_text()
    for target in (baseline, project.path / "new.json"):
        result = project.runpytest("--assertgen-bench", "--collect-only",
                                   f"--assertgen-save-baseline={target}")
        result.stdout.fnmatch_lines(["assertgen: baseline not saved: no gate was measured"])
    assert baseline.read_text() == before and not (project.path / "new.json").exists()

    # A file that is not a baseline (a merge conflict, a mistyped path) is not replaced.
    conflicted = "<<<<<<< HEAD\n" + before + "=======\n" + before + ">>>>>>> other\n"
    baseline.write_text(conflicted)
    result = project.runpytest("--assertgen-bench", f"--assertgen-save-baseline={baseline}")
    result.assert_outcomes(passed=2)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(["assertgen: error: baseline not saved: baseline *b.json is not valid JSON: "
                                 "*; the file was not replaced"])
    assert baseline.read_text() == conflicted


def test_json_report_and_golden_cases_and_baseline_ir(project, monkeypatch):
    monkeypatch.setenv("FAKE_CORRECT", "1")
    write_suite(project, f"""
[suite]
data = "../data.jsonl"
train = "{TRAIN_DATA}"
reference = "ir"

[models.ir]
model = "baseline-ir"
gates = ["ast_validity >= 0.9"]

[models.oracle]
model = "fake_models:oracle"
gates = ["exact_match >= 0.99", "exact_match_ratio >= 1", "peak_rss_mb <= 100000"]

[[cases]]
name = "spacing-does-not-matter"
focal_method = "void f() {{}}"
test_method_masked = "@Test void t() {{\\n    // ASSERTION PLACEHOLDER\\n}}"
accept = ["assertNull(x);", "assertTrue( true ) ;"]
models = ["oracle"]

[[cases]]
name = "wrong"
focal_method = "int g() {{ return 1; }}"
test_method_masked = "@Test void u() {{\\n    // ASSERTION PLACEHOLDER\\n}}"
accept = ["assertEquals(1, g());"]
models = ["oracle"]
""")
    report = project.path / "out" / "report.json"
    result = project.runpytest("--assertgen-bench", f"--assertgen-json={report}", "-rA")
    result.assert_outcomes(passed=5, failed=1)
    assert outcomes_by_id(result)["benchmarks/s.toml::oracle::case[wrong]"] == "FAILED"
    result.stdout.fnmatch_lines(["s::oracle::case[wrong]: predicted assertTrue(true);",
                                 "accepted answers:", "  - assertEquals(1, g());"])

    doc = json.loads(report.read_text())
    assert doc["format"] == "assertgen-report/1"
    assert doc["summary"] == {"passed": 5, "failed": 1}
    items = {i["nodeid"]: i for i in doc["items"]}
    em = items["benchmarks/s.toml::oracle::exact_match"]
    assert (em["value"], em["threshold"], em["op"], em["outcome"]) == (1.0, 0.99, ">=", "passed")
    ratio = items["benchmarks/s.toml::oracle::exact_match_ratio"]
    models = {m["model"]: m for m in doc["models"]}
    assert ratio["value"] == pytest.approx(1.0 / models["ir"]["metrics"]["exact_match"])
    assert models["oracle"]["n"] == N_RECORDS and models["ir"]["n"] == N_RECORDS
    assert models["ir"]["metrics"]["peak_rss_mb"] > 0
    assert models["ir"]["metrics"]["ms_per_method_p50"] > 0
    wrong = items["benchmarks/s.toml::oracle::case[wrong]"]
    assert wrong["prediction"] == ["assertTrue(true);"] and wrong["outcome"] == "failed"
    assert "assertEquals(1, g());" in wrong["message"]


def test_ratio_gates_report_the_reference_and_why_a_ratio_is_undefined(project, monkeypatch):
    monkeypatch.setenv("FAKE_CORRECT", "1")
    write_suite(project, """
[suite]
data = "../data.jsonl"
reference = "ref"

[models.oracle]
model = "fake_models:oracle"
gates = ["exact_match_ratio >= 1", "peak_rss_mb_ratio <= 100"]

[models.ref]
model = "fake_models:always_wrong"    # a reference only: no gates of its own
""")
    result = project.runpytest("--assertgen-bench", "--assertgen-json=r.json")
    result.assert_outcomes(passed=1, failed=1)
    # exact match 1 against the reference's 0: no ratio; the message says why.
    result.stdout.fnmatch_lines([
        "s::oracle::exact_match_ratio = not measured (exact_match 1 / reference ref's 0: "
        "undefined); gate exact_match_ratio >= 1: NOT MET"])
    # The reference's measured values are in the table and the report beside the model's.
    result.stdout.fnmatch_lines(["s::ref *10 *0 *"])
    doc = json.loads((project.path / "r.json").read_text())
    assert sorted(m["model"] for m in doc["models"]) == ["oracle", "ref"]


def test_ini_options_and_limit(project):
    write_suite(project, suite_with("exact_match >= 0.5"), name="suites/only.toml")
    write_suite(project, suite_with("exact_match >= 2"), name="benchmarks/ignored.toml")
    project.makeini("""
        [pytest]
        assertgen_suites = suites/only.toml
        assertgen_json = out/report.json
        assertgen_limit = 3
    """)
    result = project.runpytest("--assertgen-bench")
    result.assert_outcomes(passed=1)
    doc = json.loads((project.path / "out" / "report.json").read_text())
    assert [i["nodeid"] for i in doc["items"]] == ["suites/only.toml::oracle::exact_match"]
    assert doc["models"][0]["n"] == 3 and doc["options"]["limit"] == 3


@pytest.mark.parametrize("given, message", [
    ("nope.toml", "suite file not found: {path}/nope.toml"),
    ("benchmarks", "{path}/benchmarks is a directory: name its suite files (*.toml)"),
    # a suite copied under another extension was never collected: "no tests ran", exit 5
    ("suite.txt", "{path}/suite.txt is not a suite file: suite files end in .toml"),
])
def test_an_unusable_suite_option_is_a_usage_error_naming_it(project, given, message):
    write_suite(project, suite_with("exact_match >= 0.5"))
    (project.path / "suite.txt").write_text(suite_with("exact_match >= 0.5"))
    result = project.runpytest("--assertgen-bench", f"--assertgen-suite={given}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: assertgen: {message.format(path=project.path)}"])


def test_ini_model_directory_is_relative_to_the_ini_file(project, monkeypatch):
    write_suite(project, suite_with("exact_match >= 0.5"))
    project.makeini("""
        [pytest]
        assertgen_model = oracle=models/mine
    """)
    (project.path / "sub").mkdir()
    monkeypatch.chdir(project.path / "sub")  # pytest run from a subdirectory finds the ini above
    result = project.runpytest("--assertgen-bench")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"s::oracle::exact_match: {project.path}/models/mine: "
                                 "no such model directory"])


def test_model_override_from_the_command_line(project):
    write_suite(project, suite_with("exact_match >= 0.5"))
    project.runpytest("--assertgen-bench").assert_outcomes(passed=1)
    result = project.runpytest("--assertgen-bench", "--assertgen-model=oracle=fake_models:always_wrong")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["s::oracle::exact_match = 0; gate exact_match >= 0.5: NOT MET"])


@pytest.mark.parametrize("xdist", [[], ["-p", "xdist", "-n", "2"]], ids=["plain", "xdist"])
def test_a_model_name_no_suite_has_is_a_usage_error(project, xdist):
    # Under xdist it was an INTERNALERROR traceback (exit 3): a worker's collection raised it.
    write_suite(project, suite_with("exact_match >= 0.5"))
    result = project.runpytest("--assertgen-bench", "--assertgen-model=oracel=fake_models:always_wrong",
                               *xdist)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--assertgen-model names 'oracel', which no suite has "
                                 "(models: s: oracle)*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert not (project.path / "builds.log").exists()


def test_a_model_option_without_a_directory_is_a_usage_error(project):
    # `oracle=` measured the working directory: "not an assertgen model directory" on every item
    write_suite(project, suite_with("exact_match >= 0.5"))
    result = project.runpytest("--assertgen-bench", "--assertgen-model=oracle=")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: assertgen: --assertgen-model expects [[]NAME=[]]DIR, got 'oracle='"])
    assert not (project.path / "builds.log").exists()


def test_a_model_name_replaces_that_model_in_the_suites_that_have_it(project):
    # README: `pytest --assertgen-bench -m assertgen --assertgen-model tiny=DIR` over every
    # suite; the suites without a model `tiny` keep their own models (it was a collection error).
    write_suite(project, suite_with("exact_match >= 0.5"), name="benchmarks/a.toml")
    write_suite(project, suite_with("exact_match >= 0.5").replace("[models.oracle]", "[models.other]"),
                name="benchmarks/b.toml")
    result = project.runpytest("--assertgen-bench", "--assertgen-model=oracle=fake_models:always_wrong",
                               "-rA")
    assert outcomes_by_id(result) == {"benchmarks/a.toml::oracle::exact_match": "FAILED",
                                      "benchmarks/b.toml::other::exact_match": "PASSED"}
    # only the suites that run count: b.toml alone has no model 'oracle'
    alone = project.runpytest("--assertgen-bench", "benchmarks/b.toml",
                              "--assertgen-model=oracle=fake_models:always_wrong")
    assert alone.ret == pytest.ExitCode.USAGE_ERROR
    alone.stderr.fnmatch_lines(["*names 'oracle', which no suite has (models: b: other)*"])


def test_model_errors_are_reported_on_each_item_in_one_line(project):
    write_suite(project, suite_with("exact_match >= 0.5", "f1 >= 0.5").replace(
        "fake_models:oracle", "no_such_dir"))
    result = project.runpytest("--assertgen-bench")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["s::oracle::f1: *no_such_dir: no such model directory"])


def test_a_model_that_crashes_shows_its_own_traceback_once_per_item(project):
    # Each item showed pytest's and pluggy's frames, and the cached error's traceback grew
    # with every item that re-raised it: over 2,000 lines for two gates.
    write_suite(project, suite_with("exact_match >= 0.5", "f1 >= 0.5", "ast_validity >= 0.5").replace(
        "fake_models:oracle", "fake_models:broken"))
    result = project.runpytest("--assertgen-bench")
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(["s::oracle::f1: model 'oracle': measuring failed in the child process:",
                                 "Traceback (most recent call last):", "*fake_models.py*in broken",
                                 "KeyError: 'vocab.json'"])
    # the failure reports only: under CI=true pytest's short summary repeats each message whole
    out = result.stdout.str().split("short test summary info")[0]
    assert out.count("KeyError: 'vocab.json'") == 3 and "_pytest" not in out and len(out.splitlines()) < 100


# ---------------------------------------------------------------- units (no pytester)

def test_a_suite_file_with_a_byte_order_mark_is_read(tmp_path):
    # a suite saved by Notepad was "invalid TOML: Invalid statement (at line 1, column 1)"
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + suite_with("exact_match >= 0.5").encode())
    suite = load_suite(path)
    assert suite.name == "bom" and [str(g) for g in suite.models["oracle"].gates] == ["exact_match >= 0.5"]


def test_a_baseline_with_a_byte_order_mark_is_read(tmp_path):
    # it was "baseline ... is not valid JSON: Unexpected UTF-8 BOM", exit 4
    path = tmp_path / "b.json"
    doc = {"format": "assertgen-baseline/1", "values": {"s::oracle::f1": 0.5, "s::oracle::n": 3}}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc).encode())
    assert read_baseline(path) == {"s::oracle::f1": 0.5, "s::oracle::n": 3.0}


@pytest.mark.parametrize("value", [None, "0.5", True, float("nan"), {"value": 0.5}])
def test_each_kind_of_non_number_in_a_baseline_is_named(tmp_path, value):
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"format": "assertgen-baseline/1",
                                "values": {"s::oracle::em": 1, "s::oracle::f1": value}}))
    with pytest.raises(pytest.UsageError, match=re.escape(f"baseline {path}: key 'values.s::oracle::f1' "
                                                          f"must be a number, got {json.dumps(value)}")):
        read_baseline(path)


def test_a_member_pattern_needs_a_zip_data_file(tmp_path):
    import zipfile

    body = suite_with("f1 >= 0.5").replace("../data.jsonl", "d.jsonl").replace(
        "[suite]", '[suite]\nmember = "*test*"')
    (tmp_path / "s.toml").write_text(body)
    assert load_suite(tmp_path / "s.toml").member == "*test*"  # no data file yet: skipped when run
    (tmp_path / "d.jsonl").write_text(TEST_DATA.read_text().splitlines()[0] + "\n")
    with pytest.raises(SuiteError, match=r"s.toml: key 'suite.member': .*d.jsonl is not a ZIP"):
        load_suite(tmp_path / "s.toml")
    with zipfile.ZipFile(tmp_path / "d.jsonl", "w") as zf:  # a ZIP by its content, as the loader sees it
        zf.writestr("test.jsonl", "")
    assert load_suite(tmp_path / "s.toml").member == "*test*"


@pytest.mark.parametrize("op, value, baseline, allowed, regressed", [
    (">=", 0.60, 1.00, 0.05, True),    # 40% worse
    (">=", 0.96, 1.00, 0.05, False),   # 4% worse
    (">=", 1.20, 1.00, 0.05, False),   # better
    ("<=", 11.0, 10.0, 0.05, True),    # 10% slower
    ("<=", 10.4, 10.0, 0.05, False),
    ("<=", 5.0, 10.0, 0.0, False),     # faster
    (">=", -0.02, 0.0, 0.01, True),    # zero baseline: absolute difference
])
def test_regression_is_relative_to_the_baseline_in_the_gates_direction(op, value, baseline, allowed,
                                                                        regressed):
    verdict = judge(Gate("m", op, -1e9 if op == ">=" else 1e9), value, baseline, allowed)
    assert verdict["regressed"] is regressed
    assert verdict["passed"] is not regressed
    assert verdict["delta"] == pytest.approx(value - baseline)


def test_suite_paths_are_relative_to_the_suite_file(tmp_path):
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "x.toml"
    path.write_text('[suite]\ndata = "../d.jsonl"\n[models.m]\nmodel = "../model"\n'
                    'backend = "pytorch"\ngates = ["f1 >= 0.1"]\n')
    suite = load_suite(path)
    assert suite.name == "x"
    assert suite.data == tmp_path / "d.jsonl"
    assert Path(suite.models["m"].source) == tmp_path / "model"
    assert suite.models["m"].spec().backend == "pytorch"
    assert suite.missing_data().startswith("data file not found")
    path.write_text(path.read_text().replace("../d.jsonl", "../d.zip::test.jsonl"))  # the loader's member path
    assert load_suite(path).missing_data() == "data file not found: " + str(tmp_path / "d.zip::test.jsonl")
    (tmp_path / "d.zip").write_bytes(b"")
    assert load_suite(path).missing_data() is None
    path.write_text(path.read_text().replace('"pytorch"', '"onnx"'))
    with pytest.raises(SuiteError, match=r"key 'models.m.backend': must be one of"):
        load_suite(path)


# ---------------------------------------------------------------- the shipped suites

SHIPPED = sorted((REPO / "benchmarks").glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_suites_are_valid(path):
    suite = load_suite(path)
    assert suite.models and all(m.gates or suite.cases_for(m.name) or m.source == "default"
                                for m in suite.models.values())


@pytest.mark.skipif(not (REPO / "fixtures" / "models" / "tiny" / "ct2" / "model.bin").exists(),
                    reason="fixtures/models/tiny not complete yet (no ct2/ copy)")
def test_smoke_suite_is_green_and_a_raised_threshold_fails_exactly_that_item(pytester):
    text = (REPO / "benchmarks" / "smoke.toml").read_text().replace('"../fixtures/', f'"{REPO}/fixtures/')
    write_suite(pytester, text, name="benchmarks/smoke.toml")
    green = pytester.runpytest("--assertgen-bench", "-rA")
    n_items = len(outcomes_by_id(green))
    green.assert_outcomes(passed=n_items)

    raised = re.sub(r'"exact_match >= [\d.]+"', '"exact_match >= 1"', text, count=1)  # tiny's (0.55)
    assert raised != text
    write_suite(pytester, raised, name="benchmarks/smoke.toml")
    red = pytester.runpytest("--assertgen-bench", "-rA")
    red.assert_outcomes(passed=n_items - 1, failed=1)
    assert [k for k, v in outcomes_by_id(red).items() if v == "FAILED"] == [
        "benchmarks/smoke.toml::tiny::exact_match"]


def test_the_pytest_command_collects_the_tests_from_any_directory(tmp_path):
    # The README runs `pytest --assertgen-bench -m assertgen` (the console script, which,
    # unlike `python -m pytest`, does not put the working directory on sys.path): the
    # tests/ it also collects must import, or the whole session stops at a collection error.
    run = subprocess.run([sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider",
                          str(REPO / "tests" / "test_abstraction.py")],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]


def test_the_suites_run_where_torch_is_not_installed():
    # `pytest --assertgen-bench` needs only `pip install .` (README): the tests/ it also collects
    # (then deselects with -m assertgen) must not stop the session at `import torch`.
    code = ("import sys; sys.modules['torch'] = None; import pytest; sys.exit(pytest.main("
            "['--co', '-q', '-p', 'no:cacheprovider', '-m', 'assertgen', 'tests']))")
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, run.stdout[-2000:]


def test_every_suite_key_is_documented_in_the_module_docstring():
    # The README: "Every key is documented in `pytest_assertgen/suite.py`".
    import pytest_assertgen.suite as suite

    for key in suite._SUITE_KEYS | suite._MODEL_KEYS | suite._CASE_KEYS:
        assert re.search(rf"^ +{key} = ", suite.__doc__, re.M), key


def test_last_failed_reruns_failed_golden_cases_too(project, monkeypatch):
    """--lf ran only the failed gates: pytest 9 reads `...::case[wrong]` back from its cache as
    `case` with the params `wrong`, which an item named `case[wrong]` whole never matched."""
    monkeypatch.setenv("FAKE_CORRECT", "0.5")
    write_suite(project, suite_with("exact_match >= 0.99", "f1 >= 0.1") + CASE.replace("name = \"c\"", "name = \"wrong\""))
    project.runpytest("--assertgen-bench", "-p", "cacheprovider").assert_outcomes(passed=1, failed=2)
    again = project.runpytest("--assertgen-bench", "-p", "cacheprovider", "--lf", "-rA")
    again.assert_outcomes(failed=2, deselected=1)
    assert set(outcomes_by_id(again)) == {"benchmarks/s.toml::oracle::exact_match", "benchmarks/s.toml::oracle::case[wrong]"}


def test_the_report_is_no_baseline_and_is_written_beside_a_baseline_that_cannot_be(project, monkeypatch):
    """--assertgen-json onto the baseline replaced it; a baseline that could not be saved left the
    report unwritten; --collect-only replaced the last report with an empty one."""
    monkeypatch.setenv("FAKE_CORRECT", "1")
    write_suite(project, suite_with("exact_match >= 0.5"))
    (project.path / "b.json").write_text('{"format": "assertgen-baseline/1", "values": {}}\n')
    for target in ("b.json", "benchmarks/s.toml"):
        same = project.runpytest("--assertgen-bench", "--assertgen-baseline=b.json", f"--assertgen-json={target}")
        assert same.ret == pytest.ExitCode.USAGE_ERROR and "would replace the" in same.stderr.str()
    (project.path / "conflict.json").write_text("<<<<<<< HEAD\n")
    result = project.runpytest("--assertgen-bench", "--assertgen-save-baseline=conflict.json", "--assertgen-json=r.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR and "baseline not saved" in result.stdout.str()
    report = json.loads((project.path / "r.json").read_text())
    assert report["summary"] == {"passed": 1}
    project.runpytest("--assertgen-bench", "--collect-only", "--assertgen-json=r.json")
    assert json.loads((project.path / "r.json").read_text()) == report


def test_a_baseline_records_how_it_was_measured_and_a_run_measured_otherwise_says_so(project, monkeypatch):
    """A baseline saved from a quick run (--assertgen-limit 2) was compared with full runs
    silently; values of failing gates were saved without a word."""
    monkeypatch.setenv("FAKE_CORRECT", "0.5")
    write_suite(project, suite_with("exact_match >= 0.9", "f1 >= 0.1"))
    quick = project.runpytest("--assertgen-bench", "--assertgen-limit=4", "--assertgen-save-baseline=b.json")
    quick.stdout.fnmatch_lines(["assertgen: the saved baseline holds the values of 1 gate(s) that failed or "
                                "regressed: s::oracle::exact_match",
                                "assertgen: the saved baseline was measured on at most 4 records a suite*"])
    measured = json.loads((project.path / "b.json").read_text())["measured"]["s::oracle"]
    assert (measured["n"], measured["limit"], measured["data"]) == (4, 4, "../data.jsonl")
    full = project.runpytest("--assertgen-bench", "--assertgen-baseline=b.json")
    full.stdout.fnmatch_lines(["assertgen: s::oracle: the baseline was measured otherwise (n 4 -> 10, limit 4 -> None)*"])


def test_no_suite_found_says_where_it_looked(project):
    result = project.runpytest("--assertgen-bench")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.fnmatch_lines(["assertgen: no benchmark suites found: by default every *.toml in *benchmarks*"])


def test_gate_messages_tell_a_value_from_its_threshold():
    """A value of 0.14996 read "0.15; gate exact_match >= 0.15: NOT MET"."""
    from pytest_assertgen.plugin import _apart

    assert _apart(0.14996, 0.15) == ("0.14996", "0.15")  # a value that misses its gate reads as one
    assert _apart(0.050001, 0.05, percent=True) == ("5.0001%", "5.0000%")


def test_a_model_directory_with_an_equals_sign_is_a_directory(project, monkeypatch):
    """`--assertgen-model runs/alpha=0.5` was split into a NAME `runs/alpha` and a DIR `0.5`."""
    monkeypatch.setenv("FAKE_CORRECT", "1")
    write_suite(project, suite_with("exact_match >= 0.5"))
    (project.path / "runs" / "alpha=0.5").mkdir(parents=True)
    result = project.runpytest("--assertgen-bench", "--assertgen-model=runs/alpha=0.5")
    assert "names 'runs/alpha'" not in result.stdout.str() + result.stderr.str()
    result.stdout.fnmatch_lines(["*alpha=0.5*"])
