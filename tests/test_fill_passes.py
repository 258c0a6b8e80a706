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
from fill_passes import LAUNCHER  # noqa: E402

JARS = [Path("/usr/share/java") / name for name in
        ("junit4.jar", "hamcrest-core.jar", "junit-jupiter-api.jar", "apiguardian-api.jar", "opentest4j.jar")]


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
