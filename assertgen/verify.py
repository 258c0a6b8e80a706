"""Running the filled tests (`assertgen fill --verify CMD`): the build's own test command, then
what it says of each filled test.

A fill that passes the static checks may still fail when run: run on six real projects at
stop 33 (benchmarks/scripts/fill_passes.py), about half of the reused lists that were not the
developers' own assertions failed, mostly on values of the similar test they came from. So
`--verify` runs the user's test command (`mvn -q test`, `gradle test`, ...) on the filled files
and takes back the fills whose tests fail or that javac rejects (`assertgen.fill._verify`, which
also tries a failed fill's next candidates). What the command says comes
from two places every Java build shares: the JUnit XML reports it writes (`TEST-*.xml`:
Surefire's target/surefire-reports, Gradle's build/test-results, the console launcher's
--reports-dir), and javac's error lines in its output (`File.java:12: error:`, Maven's
`File.java:[12,5]`).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple

from assertgen.errors import UserError

# javac's `/p/FooTest.java:12: error: ...`, Maven's `[ERROR] /p/FooTest.java:[12,5] ...`
# (a warning is neither: `File.java:30: warning:`, Maven's `[WARNING] File.java:[30,5]`)
_COMPILE_ERROR = re.compile(r"^(?:\[ERROR\]\s*(\S+\.java):\[(\d+),\d+\]|(\S+\.java):(\d+):\s*error:)\s*(.*)$",
                            re.MULTILINE)


def run_command(command: str, cwd: Path, timeout: float | None = None) -> tuple[int, str, float]:
    """Run the test command through the shell; (exit status, its output, when it started)."""
    started = time.time()
    try:
        done = subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True,
                              errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        raise UserError(f"the test command ran past {timeout:.0f} s: {command}") from None
    return done.returncode, done.stdout + done.stderr, started


def fresh_reports(root: Path, since: float) -> list[Path]:
    """The JUnit XML reports (`TEST-*.xml`) under `root` written since `since` (older ones are
    another run's), hidden directories left out."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(folder) / name
            if name.startswith("TEST-") and name.endswith(".xml") and path.stat().st_mtime >= since - 1:
                found.append(path)
    return sorted(found)


class CaseResult(NamedTuple):
    """What a report says of one test: "passes", "fails" (a failure or an error), "skipped" or
    "not run"; a failure's message (whole: read from the stack trace where it starts with the
    exception, which keeps the line breaks an XML attribute loses), its exception class (`kind`)
    and stack trace."""
    outcome: str
    message: str = ""
    kind: str = ""
    trace: str = ""


def read_reports(reports: list[Path]) -> dict[tuple[str, str, str], CaseResult]:
    """{(package, simple class, method): CaseResult} from JUnit XML reports. Vintage and
    Surefire name a method `m`, Jupiter `m()` or `m(String)[2]` per parameterized run; a method
    run several times fails if one run fails; a nested class is keyed by its own simple name."""
    results: dict = {}
    for report in reports:
        try:
            root = ET.parse(report).getroot()
        except ET.ParseError:   # a report the build is still writing, or not JUnit's
            continue
        for case in root.iter("testcase"):
            package, _, cls = case.get("classname", "").rpartition(".")
            method = re.split(r"[(\[]", case.get("name", ""))[0]
            problem = case.find("failure")
            problem = case.find("error") if problem is None else problem
            if case.find("skipped") is not None:
                result = CaseResult("skipped")
            elif problem is not None:
                result = _failure(problem)
            else:
                result = CaseResult("passes")
            key = (package, cls.rpartition("$")[2], method)
            if results.get(key, CaseResult("passes")).outcome == "passes":
                results[key] = result
    return results


def _failure(problem: ET.Element) -> CaseResult:
    kind, trace = problem.get("type") or "", problem.text or ""
    message = (problem.get("message") or "").strip()
    head = f"{kind}: "
    if kind and trace.lstrip().startswith(head):
        message = re.split(r"\r?\n\s*at ", trace.lstrip()[len(head):], maxsplit=1)[0].rstrip()
    return CaseResult("fails", message or kind, kind, trace)


def failing_line(trace: str, file_name: str, method: str) -> int | None:
    """The line of `file_name` where the test method `method` failed: its frame in the trace."""
    frame = re.search(rf"\.{re.escape(method)}\({re.escape(file_name)}:(\d+)\)", trace)
    return int(frame.group(1)) if frame else None


def compile_errors(output: str, cwd: Path) -> dict[Path, list[tuple[int, str]]]:
    """javac's errors in a build's output: {file (resolved): [(line, message), ...]}."""
    errors: dict[Path, list[tuple[int, str]]] = {}
    for match in _COMPILE_ERROR.finditer(output):
        maven_path, maven_line, javac_path, javac_line, message = match.groups()
        path = Path(maven_path or javac_path)
        path = (path if path.is_absolute() else cwd / path).resolve()
        errors.setdefault(path, []).append((int(maven_line or javac_line), message.strip()))
    return errors


def with_subclasses(names: set[str], subclasses: dict[str, set[str]]) -> set[str]:
    """`names` (simple class names) and their subclasses', transitively (`subclasses`: a class's
    simple name -> its direct subclasses')."""
    found, todo = set(names), list(names)
    while todo:
        for sub in subclasses.get(todo.pop(), ()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


class Outcomes:
    """What one run says of each test: its own report entry, else, for a test declared in an
    abstract class, the entries of the subclasses that ran it (named after them: commons-codec's
    `StringEncoderAbstractTest`), transitively: it fails if one of them fails, passes if all pass."""

    def __init__(self, results: dict[tuple[str, str, str], CaseResult], subclasses: dict[str, set[str]]):
        self.results, self.subclasses = results, subclasses
        self.by_name: dict[tuple[str, str], list[CaseResult]] = {}
        for (_, cls, method), result in results.items():
            self.by_name.setdefault((cls, method), []).append(result)

    def __bool__(self) -> bool:
        return bool(self.results)

    def of(self, package: str, cls: str, method: str) -> CaseResult:
        """The test's result; "not run" when no report names it."""
        if (package, cls, method) in self.results:
            return self.results[package, cls, method]
        found = [result._replace(message=f"in {sub}: {result.message}")
                 for sub in sorted(with_subclasses({cls}, self.subclasses) - {cls})
                 for result in self.by_name.get((sub, method), [])]
        failed = [result for result in found if result.outcome == "fails"]
        if failed:
            return failed[0]
        return CaseResult("passes" if found and all(result.outcome == "passes" for result in found) else "not run")
