"""`assertgen fill --verify CMD`: the build's test command runs on the filled files, and the fills
whose tests fail or that javac rejects are taken back (assertgen/verify.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape
from pathlib import Path

import pytest

from assertgen import fill
from assertgen import java_source as js
from assertgen.verify import CaseResult, _failure, compile_errors, failing_line, fresh_reports, read_reports
from test_fill import CALC, STACK, run

JARS = [Path("/usr/share/java") / name for name in
        ("junit4.jar", "hamcrest-core.jar", "junit-jupiter-api.jar", "apiguardian-api.jar", "opentest4j.jar")]
LAUNCHER = Path("/usr/share/java/junit-platform-console-standalone.jar")


def test_reports_give_each_method_one_outcome(tmp_path):
    """Vintage and Surefire name a method `m`, Jupiter `m()` or `m(String)[2]` per parameterized
    run; one failing run fails the method; a nested class is keyed by its own simple name."""
    (tmp_path / "TEST-junit-jupiter.xml").write_text("""<testsuite>
      <testcase name="adds()" classname="com.example.CalcTest"/>
      <testcase name="parses(String)[1]" classname="com.example.CalcTest"/>
      <testcase name="parses(String)[2]" classname="com.example.CalcTest">
        <failure message="expected: &lt;1&gt; but was: &lt;2&gt;" type="AssertionFailedError"/></testcase>
      <testcase name="parses(String)[3]" classname="com.example.CalcTest"/>
      <testcase name="later()" classname="com.example.CalcTest"><skipped/></testcase>
      <testcase name="inner()" classname="com.example.CalcTest$WhenEmpty"/>
    </testsuite>""")
    (tmp_path / "TEST-junit-vintage.xml").write_text("""<testsuite>
      <testcase name="testOld" classname="Legacy"><error type="java.lang.NullPointerException"/></testcase>
    </testsuite>""")
    (tmp_path / "TEST-half-written.xml").write_text("<testsuite><testcase")
    assert read_reports(sorted(tmp_path.glob("TEST-*.xml"))) == {
        ("com.example", "CalcTest", "adds"): CaseResult("passes"),
        ("com.example", "CalcTest", "parses"): CaseResult("fails", "expected: <1> but was: <2>", "AssertionFailedError"),
        ("com.example", "CalcTest", "later"): CaseResult("skipped"),
        ("com.example", "WhenEmpty", "inner"): CaseResult("passes"),
        ("", "Legacy", "testOld"): CaseResult("fails", "java.lang.NullPointerException", "java.lang.NullPointerException")}


def test_a_failure_keeps_its_whole_message_from_the_stack_trace_and_the_failed_line():
    """An XML attribute loses a message's line breaks (a parser reads them as spaces); the stack
    trace keeps them, and names the line of the test that failed."""
    trace = ("org.opentest4j.AssertionFailedError: expected: <a\nb> but was: <a\nc>\n"
             "\tat org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)\n"
             "\tat com.example.CalcTest.helper(CalcTest.java:40)\n"
             "\tat com.example.CalcTest.parses(CalcTest.java:21)\n")
    element = ET.fromstring(f'<failure message="expected: &lt;a b&gt; but was: &lt;a c&gt;" '
                            f'type="org.opentest4j.AssertionFailedError">{escape(trace)}</failure>')
    result = _failure(element)
    assert result == CaseResult("fails", "expected: <a\nb> but was: <a\nc>", "org.opentest4j.AssertionFailedError",
                                trace)
    assert failing_line(result.trace, "CalcTest.java", "parses") == 21
    assert failing_line(result.trace, "CalcTest.java", "adds") is None


def test_javac_errors_are_read_as_javac_maven_and_gradle_print_them(tmp_path):
    output = "\n".join([
        "src/test/java/p/ATest.java:12: error: cannot find symbol",                     # javac, Gradle
        "[ERROR] /abs/p/BTest.java:[7,20] incompatible types: String cannot be converted to int",  # Maven
        "[ERROR] COMPILATION ERROR :",
        "src/test/java/p/ATest.java:30: warning: [removal] finalize() in Object",      # not an error
        "src/test/java/p/ATest.java:31: error: ';' expected"])
    assert compile_errors(output, tmp_path) == {
        (tmp_path / "src/test/java/p/ATest.java").resolve(): [(12, "cannot find symbol"), (31, "';' expected")],
        Path("/abs/p/BTest.java"): [(7, "incompatible types: String cannot be converted to int")]}


def test_only_reports_written_since_the_command_started_count(tmp_path):
    old = tmp_path / "target/surefire-reports/TEST-p.OldTest.xml"
    old.parent.mkdir(parents=True)
    old.write_text("<testsuite/>")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    new = tmp_path / "build/test-results/test/TEST-p.NewTest.xml"
    new.parent.mkdir(parents=True)
    new.write_text("<testsuite/>")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/TEST-x.xml").write_text("<testsuite/>")
    assert fresh_reports(tmp_path, time.time() - 60) == [new]


def _command(tmp_path: Path, script: str) -> str:
    """A stand-in for `mvn test`: a Python script run through the shell, counting its runs."""
    path = tmp_path / "build.py"
    path.write_text("import pathlib, re, sys\nruns = pathlib.Path(sys.argv[1])\n"
                    "runs.write_text(str(int(runs.read_text() or 0) + 1) if runs.exists() else '1')\n" + script)
    return f'"{sys.executable}" "{path}" "{tmp_path / "runs"}"'


def _report(*cases: str) -> str:
    """Python source that writes a Surefire-like report of `cases` (testcase elements)."""
    xml = "<testsuite>" + "".join(cases) + "</testsuite>"
    return ("out = pathlib.Path('target/surefire-reports'); out.mkdir(parents=True, exist_ok=True)\n"
            f"(out / 'TEST-all.xml').write_text({xml!r})\n")


def _stubs(report: dict) -> dict[str, dict]:
    return {f"{Path(f['path']).name}:{s['method']}": s for f in report["files"] for s in f["stubs"]}


def test_a_fill_whose_test_fails_is_taken_back_and_one_that_passes_is_verified(
        java_project, fake_generator, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(fill, "load_model", lambda model_dir: fake_generator)
    before = (java_project / CALC).read_bytes()
    command = _command(tmp_path, _report(
        '<testcase classname="com.example.calc.CalculatorTest" name="testAdd">'
        '<failure message="expected:&lt;3&gt; but was:&lt;4&gt;"/></testcase>',
        '<testcase classname="com.example.collections.StackTest" name="testPushThenPeek()"/>'))
    code, _, err = run(java_project, "--no-reuse", "--verify", command, "--json", str(tmp_path / "r.json"),
                       capsys=capsys)
    assert code == 0
    report = json.loads((tmp_path / "r.json").read_text())
    stubs = _stubs(report)
    add, peek = stubs["CalculatorTest.java:testAdd"], stubs["StackTest.java:testPushThenPeek"]
    assert (add["status"], add["reason"], add["assertions"]) == ("skipped", fill.TEST_FAILED, [])
    assert add["rejected"][-1] == {"output": "assertNotNull(result);\nassertTrue(result == result);",
                                   "reason": "expected:<3> but was:<4>", "source": "model", "when_run": True}
    assert peek["status"] == "filled" and peek["verified"] is True
    others = [s for key, s in stubs.items() if s["status"] == "filled" and key != "StackTest.java:testPushThenPeek"]
    assert others and not any(s["verified"] for s in others)   # not in the report: not run, kept
    assert report["summary"]["verified"] == 1 and (tmp_path / "runs").read_text() == "1"
    # testAdd is as it was; the file's other fills stay
    calc = (java_project / CALC).read_text()
    assert calc != before.decode() and "assertNotNull(result);" not in calc.split("testAdd()")[1].split("@Test")[0]
    assert "CalculatorTest.java:21 testAdd: its test failed when --verify ran it (expected:<3> but was:<4>)" in err
    assert "passed when --verify ran them" in err
    assert "not verified src/test/java/com/example/calc/CalculatorTest.java:26 testAddThree: the test command's " \
           "reports do not name this test" in err


class TwoCandidates:
    """A stand-in model with two candidates for a stub whose test declares `result`."""

    metadata = {"name": "two candidates"}

    def generate(self, inputs, num_candidates=4, batch_size=16):
        return [["assertEquals(3, result);", "assertTrue(result > 0);"] if "int result =" in text else []
                for text in inputs]


def test_a_stub_whose_fill_failed_gets_its_next_candidate_and_the_tests_run_again(
        java_project, monkeypatch, capsys, tmp_path):
    """The model's next candidate replaces the one that failed; the command runs again and
    judges it (here it passes the second time)."""
    monkeypatch.setattr(fill, "load_model", lambda model_dir: TwoCandidates())
    first_fails = ("if runs.read_text() == '1':\n" + _indent(_report(
        '<testcase classname="com.example.calc.CalculatorTest" name="testAdd">'
        '<failure message="expected:&lt;3&gt; but was:&lt;5&gt;"/></testcase>')) + "else:\n" + _indent(_report(
        '<testcase classname="com.example.calc.CalculatorTest" name="testAdd"/>')))
    code, _, err = run(java_project, "--no-reuse", "--verify", _command(tmp_path, first_fails),
                       "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and (tmp_path / "runs").read_text() == "2"
    add = _stubs(json.loads((tmp_path / "r.json").read_text()))["CalculatorTest.java:testAdd"]
    assert (add["status"], add["assertions"], add["verified"]) == ("filled", ["assertTrue(result > 0);"], True)
    assert add["rejected"][-1]["reason"] == "expected:<3> but was:<5>"
    assert "assertTrue(result > 0);" in (java_project / CALC).read_text()


def test_a_stub_whose_every_candidate_fails_when_run_is_left_as_it_was(java_project, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(fill, "load_model", lambda model_dir: TwoCandidates())
    always_fails = _report('<testcase classname="com.example.calc.CalculatorTest" name="testAdd">'
                           '<failure message="boom"/></testcase>')
    before = (java_project / CALC).read_text()
    code, _, err = run(java_project, "--no-reuse", "--verify", _command(tmp_path, always_fails),
                       "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and (tmp_path / "runs").read_text() == "2"   # the second candidate ran once, then no more
    add = _stubs(json.loads((tmp_path / "r.json").read_text()))["CalculatorTest.java:testAdd"]
    assert (add["status"], add["reason"]) == ("skipped", fill.TEST_FAILED)
    assert [r["output"] for r in add["rejected"]] == ["assertEquals(3, result);", "assertTrue(result > 0);"]
    assert "testAdd: its test failed when --verify ran it (boom)" in err
    def test_add(source: str) -> str:
        return source.split("void testAdd()")[1].split("@Test")[0]

    assert test_add((java_project / CALC).read_text()) == test_add(before)


def test_a_run_javac_stops_keeps_the_verdicts_of_the_run_before(java_project, monkeypatch, capsys, tmp_path):
    """Run 1: testAdd fails, testAddThree passes; testAdd's next candidate does not compile, so
    run 2 runs no test: testAddThree stays verified, testAdd is taken back, not tried again."""
    monkeypatch.setattr(fill, "load_model", lambda model_dir: TwoCandidates())
    script = ("if runs.read_text() == '1':\n" + _indent(_report(
        '<testcase classname="com.example.calc.CalculatorTest" name="testAdd"><failure message="no"/></testcase>',
        '<testcase classname="com.example.calc.CalculatorTest" name="testAddThree"/>')) +
        "elif runs.read_text() == '2':\n"
        f"    source = pathlib.Path({CALC!r}).read_text().splitlines()\n"
        "    line = next(n for n, text in enumerate(source, 1) if 'assertTrue(result > 0)' in text)\n"
        f"    print(f'{CALC}:{{line}}: error: bad operand types for binary operator')\n"
        "    sys.exit(1)\n"
        "else:\n" + _indent(_report('<testcase classname="com.example.calc.CalculatorTest" name="testAddThree"/>')))
    code, _, err = run(java_project, "--no-reuse", "--verify", _command(tmp_path, script),
                       "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and (tmp_path / "runs").read_text() == "3"
    stubs = _stubs(json.loads((tmp_path / "r.json").read_text()))
    assert (stubs["CalculatorTest.java:testAdd"]["status"], stubs["CalculatorTest.java:testAdd"]["reason"]) == \
        ("skipped", fill.REJECTED_BY_JAVAC)
    assert stubs["CalculatorTest.java:testAddThree"]["verified"] is True


def _fails_with_observed(next_value: str) -> str:
    """Python source of a stand-in build whose testAdd fails at its `assertEquals(N, result)`
    (JUnit 5's message, the line in the stack trace) with `next_value` (an expression of N)
    as the value observed, and passes once N is 5."""
    return (f"import xml.sax.saxutils as sax\nsource = pathlib.Path({CALC!r}).read_text().splitlines()\n"
            "line, n = next((at, int(m.group(1))) for at, text in enumerate(source, 1)\n"
            "               if (m := re.search(r'assertEquals\\((\\d+), result\\)', text)))\n"
            f"actual = {next_value}\n"
            "message = f'expected: <{n}> but was: <{actual}>'\n"
            "trace = f'org.opentest4j.AssertionFailedError: {message}\\n\\tat org.junit.Assert.fail(Assert.java:89)\\n'"
            " + f'\\tat com.example.calc.CalculatorTest.testAdd(CalculatorTest.java:{line})\\n'\n"
            "failure = '' if n == 5 else (f'<failure message={sax.quoteattr(message)} '\n"
            "                             f'type=\"org.opentest4j.AssertionFailedError\">{sax.escape(trace)}</failure>')\n"
            "out = pathlib.Path('target/surefire-reports'); out.mkdir(parents=True, exist_ok=True)\n"
            "(out / 'TEST-all.xml').write_text('<testsuite><testcase classname=\"com.example.calc.CalculatorTest\" '\n"
            "                                  f'name=\"testAdd\">{failure}</testcase></testsuite>')\n")


def test_accept_observed_writes_the_value_the_failed_assertion_observed(java_project, monkeypatch, capsys, tmp_path):
    """Run 1: testAdd's `assertEquals(3, result)` fails, 5 observed; the fill takes 5 (not its
    next candidate) and run 2 passes it."""
    monkeypatch.setattr(fill, "load_model", lambda model_dir: TwoCandidates())
    code, _, err = run(java_project, "--no-reuse", "--verify", _command(tmp_path, _fails_with_observed("5")),
                       "--accept-observed", "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and (tmp_path / "runs").read_text() == "2"
    report = json.loads((tmp_path / "r.json").read_text())
    add = _stubs(report)["CalculatorTest.java:testAdd"]
    assert (add["status"], add["assertions"], add["verified"]) == ("filled", ["assertEquals(5, result);"], True)
    assert add["observed"] == [{"at": 0, "before": "assertEquals(3, result);", "failure": "expected: <3> but was: <5>"}]
    assert not any(entry.get("when_run") for entry in add["rejected"])
    assert report["summary"]["with_observed_values"] == 1
    assert re.search(r"of them with values the run observed\s*│\s*1\s*│", err)
    assert "assertEquals(5, result);" in (java_project / CALC).read_text()
    assert "observed src/test/java/com/example/calc/CalculatorTest.java:21 testAdd: assertEquals(5, result); " \
           "(instead of assertEquals(3, result): the test observed expected: <3> but was: <5>; is it right?)" in err


def test_accept_observed_stops_rewriting_at_the_last_run(java_project, monkeypatch, capsys, tmp_path):
    """A test that observes another value at every run: rewritten after runs 1 to 4, taken back
    after run 5 (what changed after it would not run)."""
    monkeypatch.setattr(fill, "load_model", lambda model_dir: TwoCandidates())
    code, _, err = run(java_project, "--no-reuse", "--verify", _command(tmp_path, _fails_with_observed("n + 10")),
                       "--accept-observed", "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and (tmp_path / "runs").read_text() == str(fill.VERIFY_RUNS)
    add = _stubs(json.loads((tmp_path / "r.json").read_text()))["CalculatorTest.java:testAdd"]
    assert (add["status"], add["reason"], add["observed"]) == ("skipped", fill.TEST_FAILED, [])
    assert add["rejected"][-1]["output"] == "assertEquals(43, result);"   # 3, then 13, 23, 33, 43


class SameAssertionTwice:
    """A stand-in model whose candidate for sizeAfterTwoPushes puts one statement at both placeholders."""

    metadata = {"name": "same assertion twice"}

    def generate(self, inputs, num_candidates=4, batch_size=16):
        return [["assertEquals(1, stack.size());\nassertEquals(1, stack.size());"] if "stack.push(2)" in text else []
                for text in inputs]


def test_accept_observed_rewrites_the_statement_that_failed_of_two_alike(java_project, monkeypatch, capsys, tmp_path):
    """One statement written at two placeholders: the second fails (the first passed), so the
    second takes the value, not the first."""
    monkeypatch.setattr(fill, "load_model", lambda model_dir: SameAssertionTwice())
    stack_test = java_project / STACK
    body = stack_test.read_text()
    start = body.index("    @Test\n    void sizeAfterTwoPushes()")
    stack_test.write_text(body[:start] + "    @Test\n    void sizeAfterTwoPushes() {\n"
                          "        Stack<Integer> stack = new Stack<>();\n        stack.push(1);\n"
                          "        // ASSERTION PLACEHOLDER\n        stack.push(2);\n"
                          "        // ASSERTION PLACEHOLDER\n    }\n}\n")
    script = (f"import xml.sax.saxutils as sax\nsource = pathlib.Path({STACK!r}).read_text().splitlines()\n"
              "lines = [n for n, text in enumerate(source, 1) if 'stack.size()' in text]\n"
              "second = source[lines[1] - 1]\n"
              "failure = '' if 'assertEquals(2,' in second else ("
              "'<failure message=\"expected: &lt;1&gt; but was: &lt;2&gt;\" type=\"org.opentest4j.AssertionFailedError\">'"
              " + sax.escape('org.opentest4j.AssertionFailedError: expected: <1> but was: <2>\\n'"
              " f'\\tat com.example.collections.StackTest.sizeAfterTwoPushes(StackTest.java:{lines[1]})\\n') + '</failure>')\n"
              "out = pathlib.Path('target/surefire-reports'); out.mkdir(parents=True, exist_ok=True)\n"
              "(out / 'TEST-all.xml').write_text('<testsuite><testcase classname=\"com.example.collections.StackTest\" '\n"
              "                                  f'name=\"sizeAfterTwoPushes()\">{failure}</testcase></testsuite>')\n")
    code, _, err = run(java_project, STACK, "--no-reuse", "--verify", _command(tmp_path, script), "--accept-observed",
                       "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0, err
    stub = _stubs(json.loads((tmp_path / "r.json").read_text()))["StackTest.java:sizeAfterTwoPushes"]
    assert (stub["status"], stub["verified"]) == ("filled", True), stub
    assert stub["assertions"] == ["assertEquals(1, stack.size());", "assertEquals(2, stack.size());"]
    assert [change["at"] for change in stub["observed"]] == [1]


class CalculatorAndStack(TwoCandidates):
    """TwoCandidates, and one candidate for StackTest's sizeAfterTwoPushes."""

    def generate(self, inputs, num_candidates=4, batch_size=16):
        return [["assertEquals(2, size);"] if "int size = stack.size()" in text else candidates
                for text, candidates in zip(inputs, super().generate(inputs, num_candidates, batch_size))]


def test_the_tests_placeholder_names_the_filled_test_classes_and_then_those_filled_again(
        java_project, monkeypatch, capsys, tmp_path):
    """`{tests}` (Maven's -Dtest={tests}): run 1 names every filled file's classes, run 2 only
    the class whose stub got its next candidate."""
    monkeypatch.setattr(fill, "load_model", lambda model_dir: CalculatorAndStack())
    script = ("with open(sys.argv[1] + '.log', 'a') as log:\n    log.write(sys.argv[2] + '\\n')\n"
              "if runs.read_text() == '1':\n" + _indent(_report(
                  '<testcase classname="com.example.calc.CalculatorTest" name="testAdd"><failure message="no"/></testcase>',
                  '<testcase classname="com.example.collections.StackTest" name="sizeAfterTwoPushes()"/>'))
              + "else:\n" + _indent(_report('<testcase classname="com.example.calc.CalculatorTest" name="testAdd"/>')))
    command = f'{_command(tmp_path, script)} "{{tests}}"'
    code, _, err = run(java_project, "--no-reuse", "--verify", command, "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0, err
    assert (tmp_path / "runs.log").read_text().splitlines() == ["CalculatorTest,StackTest", "CalculatorTest"]
    stubs = _stubs(json.loads((tmp_path / "r.json").read_text()))
    assert stubs["CalculatorTest.java:testAdd"]["assertions"] == ["assertTrue(result > 0);"]
    assert stubs["CalculatorTest.java:testAdd"]["verified"] and stubs["StackTest.java:sizeAfterTwoPushes"]["verified"]


def test_accept_observed_needs_verify(java_project, capsys):
    code, out, err = run(java_project, "--accept-observed", capsys=capsys)
    assert code == 2 and "--accept-observed takes the values the tests observed when --verify runs them" in err


ABSTRACT_TEST = """package com.example.collections;

import org.junit.jupiter.api.Test;

abstract class AbstractStackTest {
    abstract Stack<Integer> make();

    @Test
    void sizeOfNew() {
        Stack<Integer> stack = make();
        int size = stack.size();
    }
}
"""


@pytest.mark.parametrize("runs, verdict", [
    (['<testcase classname="com.example.collections.ArrayStackTest" name="sizeOfNew()"/>',
      '<testcase classname="com.example.other.LinkedStackTest" name="sizeOfNew()"/>'], "verified"),
    (['<testcase classname="com.example.collections.ArrayStackTest" name="sizeOfNew()"/>',
      '<testcase classname="com.example.other.LinkedStackTest" name="sizeOfNew()"><failure message="no"/></testcase>'],
     "in LinkedStackTest: no"),
    (['<testcase classname="com.example.collections.OtherTest" name="sizeOfNew()"/>'], "not run"),
])
def test_a_test_of_an_abstract_class_is_judged_by_the_subclasses_that_ran_it(
        java_project, fake_generator, monkeypatch, capsys, tmp_path, runs, verdict):
    """The reports name a test of an abstract class after each concrete subclass that runs it
    (commons-codec's StringEncoderAbstractTest): all of them must pass, through a subclass's
    subclass too."""
    monkeypatch.setattr(fill, "load_model", lambda model_dir: fake_generator)
    tests = java_project / "src/test/java/com/example"
    (tests / "collections/AbstractStackTest.java").write_text(ABSTRACT_TEST)
    (tests / "collections/ArrayStackTest.java").write_text(
        "package com.example.collections;\n\nclass ArrayStackTest extends AbstractStackTest {\n"
        "    Stack<Integer> make() { return new Stack<>(); }\n}\n")
    (tests / "other").mkdir()
    (tests / "other/LinkedStackTest.java").write_text(
        "package com.example.other;\n\nclass LinkedStackTest extends com.example.collections.ArrayStackTest {\n}\n")
    code, _, err = run(java_project, "--no-reuse", "--verify", _command(tmp_path, _report(*runs)),
                       "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0
    stub = _stubs(json.loads((tmp_path / "r.json").read_text()))["AbstractStackTest.java:sizeOfNew"]
    if verdict == "verified":
        assert stub["status"] == "filled" and stub["verified"] is True
    elif verdict == "not run":
        assert stub["status"] == "filled" and stub["verified"] is False
    else:
        assert stub["reason"] == fill.TEST_FAILED and stub["rejected"][-1]["reason"] == verdict


def test_the_tests_placeholder_names_the_subclasses_that_run_an_abstract_class_s_tests(tmp_path):
    path = tmp_path / "AbstractStackTest.java"
    path.write_text(ABSTRACT_TEST)
    subclasses = {"AbstractStackTest": {"ArrayStackTest"}, "ArrayStackTest": {"LinkedStackTest"}, "Other": {"X"}}
    assert fill._test_classes([js.JavaFile.read(path)], subclasses) == "AbstractStackTest,ArrayStackTest,LinkedStackTest"


def _indent(code: str) -> str:
    return "".join(f"    {line}\n" for line in code.splitlines())


def test_fills_javac_rejects_are_taken_back_and_the_command_runs_again(
        java_project, fake_generator, monkeypatch, capsys, tmp_path):
    """Maven stops at the first javac error, so no test ran: the rejected fill goes, then the
    tests run on what is left."""
    monkeypatch.setattr(fill, "load_model", lambda model_dir: fake_generator)
    error_at_first_fill = (
        f"source = pathlib.Path({CALC!r}).read_text().splitlines()\n"
        "line = next(n for n, text in enumerate(source, 1) if 'assertTrue(' in text)\n"
        "if runs.read_text() == '1':\n"
        f"    print(f'[ERROR] {CALC}:[{{line}},9] bad operand types for binary operator')\n"
        "    sys.exit(1)\n")
    log_tests = "with open(sys.argv[1] + '.log', 'a') as log:\n    log.write(sys.argv[2] + '\\n')\n"
    command = _command(tmp_path, log_tests + error_at_first_fill + _report(
        '<testcase classname="com.example.calc.CalculatorTest" name="testAddThree"/>')) + ' "{tests}"'
    code, _, err = run(java_project, "--no-reuse", "--verify", command, "--json", str(tmp_path / "r.json"),
                       capsys=capsys)
    assert code == 0 and (tmp_path / "runs").read_text() == "2"
    first, second = (tmp_path / "runs.log").read_text().splitlines()
    assert first == second and "StackTest" in first   # (run 1 judged no test: run 2 names them all again)
    stubs = _stubs(json.loads((tmp_path / "r.json").read_text()))
    assert stubs["CalculatorTest.java:testAdd"]["reason"] == fill.REJECTED_BY_JAVAC
    assert stubs["CalculatorTest.java:testAdd"]["rejected"][-1]["reason"].endswith("bad operand types for binary operator")
    assert stubs["CalculatorTest.java:testAddThree"]["verified"] is True


def test_a_command_that_reports_nothing_leaves_the_fills_unverified(java_project, fake_generator, monkeypatch,
                                                                    capsys, tmp_path):
    monkeypatch.setattr(fill, "load_model", lambda model_dir: fake_generator)
    code, _, err = run(java_project, "--no-reuse", "--verify", "echo mvn: command not found; exit 127",
                       "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and "(exit status 127) wrote no JUnit XML report" in err
    assert "it ended:\nmvn: command not found" in err   # the command's last lines, to see why
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["filled"] > 0 and report["summary"]["verified"] == 0


def test_javac_errors_outside_the_filled_tests_are_said_and_nothing_is_taken_back(
        java_project, fake_generator, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(fill, "load_model", lambda model_dir: fake_generator)
    command = _command(tmp_path, "print('src/main/java/com/example/calc/Calculator.java:3: error: "
                                 "class, interface, enum, or record expected'); sys.exit(1)\n")
    code, _, err = run(java_project, "--no-reuse", "--verify", command, "--json", str(tmp_path / "r.json"),
                       capsys=capsys)
    assert code == 0 and (tmp_path / "runs").read_text() == "1"
    assert "javac failed outside the filled tests" in err and "Calculator.java:3: class, interface" in err
    summary = json.loads((tmp_path / "r.json").read_text())["summary"]
    assert summary["filled"] > 0 and summary["verified"] == 0


def test_verify_needs_the_fills_written(java_project, capsys):
    code, out, err = run(java_project, "--diff", "--verify", "mvn test", capsys=capsys)
    assert code == 2 and "--verify runs the tests on the filled files" in err and out == ""


@pytest.mark.parametrize("accept_observed", [False, True])
def test_with_the_real_javac_and_junit_every_fill_left_passes(java_project, capsys, tmp_path, accept_observed):
    """The embedded model on the fixture project, built by javac and run by the JUnit console
    launcher (the fixture's unparsable test removed): after --verify, running the tests again
    fails none of the filled ones. Some fills fail at first: taken back, or with
    --accept-observed given the values JUnit 4's and JUnit 5's messages say the tests observed."""
    _need_javac_and_junit()
    (java_project / "src/test/java/com/example/calc/BrokenTest.java").unlink()
    _write_build_script(java_project)
    code, _, err = run(java_project, "--verify", "bash build.sh", *(["--accept-observed"] if accept_observed else []),
                       "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0, err
    report = json.loads((tmp_path / "r.json").read_text())
    filled = [(Path(f["path"]), s) for f in report["files"] for s in f["stubs"] if s["status"] == "filled"]
    assert all(s["verified"] for _, s in filled), filled
    if accept_observed:   # JUnit 4's `expected:<2> but was:<5>` and JUnit 5's `expected: <Hello> but was: <olleh>`
        observed = {s["method"]: s["assertions"] for _, s in filled if s["observed"]}
        assert observed["testAdd"] == ["assertEquals(5, result);"], observed
        assert any('"olleh"' in assertion for assertions in observed.values() for assertion in assertions), observed
    else:
        assert any(s["reason"] == fill.TEST_FAILED for f in report["files"] for s in f["stubs"])  # the model errs here
    done = subprocess.run(["bash", "build.sh"], cwd=java_project, capture_output=True, text=True, timeout=300)
    results = read_reports(sorted((java_project / "build/reports").glob("TEST-*.xml")))
    assert filled and all(results[(package, s["test_class"], s["method"])].outcome == "passes"
                          for package, s in ((_package(java_project / p), s) for p, s in filled)), done.stdout


def _need_javac_and_junit() -> None:
    missing = [str(p) for p in [LAUNCHER, *JARS] if not p.exists()]
    if shutil.which("javac") is None or missing:
        pytest.skip(f"SKIPPED RUN CHECK: javac={shutil.which('javac')}, missing={missing} "
                    "(apt-get install default-jdk-headless junit4 junit5)")


def _write_build_script(project: Path, extra_jars: tuple[Path, ...] = ()) -> None:
    """build.sh: the project's classes and tests compiled by javac, the tests run by the console launcher."""
    classpath = ":".join(map(str, [*JARS, *extra_jars]))
    (project / "build.sh").write_text(
        "set -e\nrm -rf build && mkdir -p build/main build/test\n"
        "javac -nowarn -d build/main $(find src/main/java -name '*.java')\n"
        f"javac -nowarn -d build/test -cp build/main:{classpath} $(find src/test/java -name '*.java')\n"
        f"java -jar {LAUNCHER} -cp build/test:build/main:{classpath} --scan-classpath build/test "
        "--reports-dir build/reports --disable-banner --details=none\n")


class ScriptedCandidate:
    """A stand-in model whose only candidate for testAdd (`result` is 5) is the one given."""

    metadata = {"name": "scripted"}

    def __init__(self, candidate: str):
        self.candidate = candidate

    def generate(self, inputs, num_candidates=4, batch_size=16):
        return [[self.candidate] if "calculator.add(2, 3)" in text else [] for text in inputs]


def test_with_the_real_javac_and_junit_a_hamcrest_fill_takes_the_value_observed(java_project, monkeypatch, capsys,
                                                                                tmp_path):
    """JUnit 4's assertThat with Hamcrest's `is`: its message (`\nExpected: is <3>\n     but: was
    <5>`), read from the launcher's report, gives the fill 5; the run after passes it."""
    _need_javac_and_junit()
    add, err = _fill_observed(java_project, monkeypatch, capsys, tmp_path, "assertThat(result, is(3));",
                              "import static org.junit.Assert.assertThat;\nimport static org.hamcrest.CoreMatchers.is;\n")
    assert (add["status"], add["assertions"], add["verified"]) == ("filled", ["assertThat(result, is(5));"], True)
    assert "testAdd: assertThat(result, is(5)); (instead of assertThat(result, is(3)): the test observed " \
           "Expected: is <3> but: was <5>; " in err


def test_with_the_real_javac_and_junit_a_failed_assert_true_becomes_assert_false(java_project, monkeypatch, capsys,
                                                                                 tmp_path):
    """JUnit 4's assertTrue fails with a bare AssertionError thrown from org.junit.Assert right
    under the test's line: the run observed the other truth, and assertFalse passes."""
    _need_javac_and_junit()
    add, err = _fill_observed(java_project, monkeypatch, capsys, tmp_path, "assertTrue(result > 5);")
    assert (add["status"], add["assertions"], add["verified"]) == ("filled", ["assertFalse(result > 5);"], True)
    assert add["observed"][0]["before"] == "assertTrue(result > 5);"
    assert "testAdd: assertFalse(result > 5); (instead of assertTrue(result > 5): the test observed " \
           "java.lang.AssertionError; is it right?)" in err


class RecallCandidate:
    """A stand-in model whose only candidate for the test of Memory.recall (which returns null)."""

    metadata = {"name": "recall"}

    def generate(self, inputs, num_candidates=4, batch_size=16):
        return [['assertEquals("x", recalled);'] if "recall(" in text else [] for text in inputs]


def test_with_the_real_javac_and_junit_a_null_observed_is_asserted(java_project, monkeypatch, capsys, tmp_path):
    """JUnit 4's `expected:<x> but was:<null>` (it throws no ComparisonFailure for a null):
    the fill asserts null, its import comes with it (checked again), and the run after passes it."""
    _need_javac_and_junit()
    monkeypatch.setattr(fill, "load_model", lambda model_dir: RecallCandidate())
    (java_project / "src/test/java/com/example/calc/BrokenTest.java").unlink()
    (java_project / "src/main/java/com/example/calc/Memory.java").write_text(
        "package com.example.calc;\n\npublic class Memory {\n    public String recall(String key) { return null; }\n}\n")
    test = java_project / "src/test/java/com/example/calc/MemoryTest.java"
    test.write_text("package com.example.calc;\n\nimport static org.junit.Assert.assertEquals;\n\n"
                    "import org.junit.Test;\n\npublic class MemoryTest {\n    @Test\n    public void testRecall() {\n"
                    '        String recalled = new Memory().recall("a");\n    }\n}\n')
    _write_build_script(java_project)
    code, _, err = run(java_project, "--no-reuse", "--verify", "bash build.sh", "--accept-observed",
                       "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0, err
    recall = _stubs(json.loads((tmp_path / "r.json").read_text()))["MemoryTest.java:testRecall"]
    assert (recall["status"], recall["assertions"], recall["verified"]) == ("filled", ["assertNull(recalled);"], True)
    assert "import static org.junit.Assert.assertNull;" in test.read_text() or \
        "import static org.junit.Assert.*;" in test.read_text()


# AssertJ's jar (and byte-buddy, which it loads), where Debian's libassertj-core-java puts them; ASSERTJ_JARS
# (paths, ':'-separated) names others: `apt-get download libassertj-core-java libbyte-buddy-java` and
# `dpkg-deb -x` give them without installing
ASSERTJ_JARS = [Path(p) for p in os.environ.get(
    "ASSERTJ_JARS", "/usr/share/java/assertj-core.jar:/usr/share/java/byte-buddy.jar").split(":")]


def test_with_the_real_javac_and_assertj_a_fill_takes_the_value_observed(java_project, monkeypatch, capsys, tmp_path):
    """AssertJ's isEqualTo under the console launcher (assertj-core 3.14.0 at stop 35: `Expecting:
    <5> to be equal to: <3> but was not.`): the fill gets 5, imported from AssertJ, and passes."""
    _need_javac_and_junit()
    missing = [str(jar) for jar in ASSERTJ_JARS if not jar.exists()]
    if missing:
        pytest.skip(f"SKIPPED RUN CHECK: no AssertJ jar {missing} (apt-get install libassertj-core-java, or ASSERTJ_JARS)")
    add, _ = _fill_observed(java_project, monkeypatch, capsys, tmp_path, "assertThat(result).isEqualTo(3);",
                            "import org.assertj.core.api.Assertions;\n", tuple(ASSERTJ_JARS))
    assert (add["status"], add["assertions"], add["verified"]) == ("filled", ["assertThat(result).isEqualTo(5);"], True)
    assert "import static org.assertj.core.api.Assertions.assertThat;" in (java_project / CALC).read_text()


def _fill_observed(java_project: Path, monkeypatch, capsys, tmp_path: Path, candidate: str, imports: str = "",
                   jars: tuple[Path, ...] = ()) -> tuple[dict, str]:
    """The fixture's testAdd (`result` is 5) filled with `candidate` alone (`imports` added to its
    file), built by javac and run by the console launcher: `fill --verify --accept-observed`'s
    report of the stub, and what it printed."""
    monkeypatch.setattr(fill, "load_model", lambda model_dir: ScriptedCandidate(candidate))
    (java_project / "src/test/java/com/example/calc/BrokenTest.java").unlink()
    calc = java_project / CALC
    calc.write_text(calc.read_text().replace("import org.junit.Before;\n", imports + "import org.junit.Before;\n"))
    _write_build_script(java_project, jars)
    code, _, err = run(java_project, "--no-reuse", "--verify", "bash build.sh", "--accept-observed",
                       "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0, err
    return _stubs(json.loads((tmp_path / "r.json").read_text()))["CalculatorTest.java:testAdd"], err


def _package(path: Path) -> str:
    return next(line.split()[1].rstrip(";") for line in path.read_text().splitlines() if line.startswith("package "))
