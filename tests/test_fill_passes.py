"""benchmarks/scripts/fill_passes.py: do the assertions `assertgen fill` writes pass when run?"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import JAVA_PROJECT, REPO

sys.path.insert(0, str(REPO / "benchmarks" / "scripts"))
from fill_passes import LAUNCHER, read_reports  # noqa: E402

JARS = [Path("/usr/share/java") / name for name in
        ("junit4.jar", "hamcrest-core.jar", "junit-jupiter-api.jar", "apiguardian-api.jar", "opentest4j.jar")]


def test_reports_give_each_method_one_outcome(tmp_path):
    """Vintage names a method `m`, Jupiter `m()` or `m(String)[2]` per parameterized run; one
    failing run fails the method; a nested class is keyed by its own simple name."""
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
    assert read_reports(tmp_path) == {
        ("com.example", "CalcTest", "adds"): ("passes", ""),
        ("com.example", "CalcTest", "parses"): ("fails", "expected: <1> but was: <2>"),
        ("com.example", "CalcTest", "later"): ("skipped", ""),
        ("com.example", "WhenEmpty", "inner"): ("passes", ""),
        ("", "Legacy", "testOld"): ("fails", "java.lang.NullPointerException")}


def _skip_without_java():
    missing = [str(p) for p in [Path(LAUNCHER), *JARS] if not p.exists()]
    if shutil.which("javac") is None or missing:
        pytest.skip(f"SKIPPED RUN CHECK: javac={shutil.which('javac')}, missing={missing} "
                    "(apt-get install default-jdk-headless junit4 junit5)")


def _fill_passes(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "benchmarks/scripts/fill_passes.py"), str(project), *args],
                          capture_output=True, text=True, timeout=600)


def test_the_fixture_project_s_filled_tests_are_run(tmp_path):
    """End to end on the fixture project: every filled masked stub gets an outcome, the fills
    that are exactly the developers' assertions pass where the developers' tests pass, and the
    test file javac rejects (BrokenTest.java) is left out, not the whole project."""
    _skip_without_java()
    done = _fill_passes(JAVA_PROJECT, "--cp", " ".join(map(str, JARS)), "--json", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["masked"] == 4 and result["stubs"]
    assert result["test_files_left_out"] == ["src/test/java/com/example/calc/BrokenTest.java"]
    assert sum(c["stubs"] for c in result["counts"]) == len(result["stubs"])
    ran = [stub for stub in result["stubs"] if stub["outcome"] in ("passes", "fails")]
    assert ran, result["stubs"]   # the developers' tests pass here, so each compiled fill is run
    for stub in result["stubs"]:
        assert stub["outcome"] in ("passes", "fails", "does not compile"), stub
        if stub["outcome"] == "fails":
            assert stub["message"], stub   # JUnit's message: "expected: <1> but was: <0>"
        if stub["exact"]:
            assert stub["outcome"] == "passes", stub


def test_tests_that_mostly_do_not_compile_are_a_clear_error(tmp_path):
    """Without the JUnit jars no test compiles: say so and ask for --cp, no traceback."""
    _skip_without_java()
    done = _fill_passes(JAVA_PROJECT)
    assert done.returncode == 1 and "most of the developers' tests do not compile" in done.stderr
    assert "is --cp complete?" in done.stderr and "Traceback" not in done.stderr
