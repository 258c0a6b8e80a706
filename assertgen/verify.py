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


def read_reports(reports: list[Path]) -> dict[tuple[str, str, str], tuple[str, str]]:
    """{(package, simple class, method): (outcome, message)} from JUnit XML reports: "passes",
    "fails" (a failure or an error) or "skipped". Vintage and Surefire name a method `m`, Jupiter
    `m()` or `m(String)[2]` per parameterized run; a method run several times fails if one run
    fails; a nested class is keyed by its own simple name."""
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
                outcome, message = "skipped", ""
            elif problem is not None:
                outcome, message = "fails", (problem.get("message") or problem.get("type") or "").strip()[:300]
            else:
                outcome, message = "passes", ""
            key = (package, cls.rpartition("$")[2], method)
            if results.get(key, ("passes",))[0] == "passes":
                results[key] = (outcome, message)
    return results


def compile_errors(output: str, cwd: Path) -> dict[Path, list[tuple[int, str]]]:
    """javac's errors in a build's output: {file (resolved): [(line, message), ...]}."""
    errors: dict[Path, list[tuple[int, str]]] = {}
    for match in _COMPILE_ERROR.finditer(output):
        maven_path, maven_line, javac_path, javac_line, message = match.groups()
        path = Path(maven_path or javac_path)
        path = (path if path.is_absolute() else cwd / path).resolve()
        errors.setdefault(path, []).append((int(maven_line or javac_line), message.strip()))
    return errors


class Outcomes:
    """What one run says of each test: its own report entry, else, for a test declared in an
    abstract class, the entries of the subclasses that ran it (named after them: commons-codec's
    `StringEncoderAbstractTest`), transitively: it fails if one of them fails, passes if all pass."""

    def __init__(self, results: dict[tuple[str, str, str], tuple[str, str]], subclasses: dict[str, set[str]]):
        self.results, self.subclasses = results, subclasses
        self.by_name: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for (_, cls, method), outcome in results.items():
            self.by_name.setdefault((cls, method), []).append(outcome)

    def __bool__(self) -> bool:
        return bool(self.results)

    def of(self, package: str, cls: str, method: str) -> tuple[str, str]:
        """(outcome, message): "passes", "fails", "skipped" or "not run"."""
        if (package, cls, method) in self.results:
            return self.results[package, cls, method]
        found, todo, seen = [], [cls], {cls}
        while todo:
            for sub in self.subclasses.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
                    found += [(outcome, f"in {sub}: {message}") for outcome, message in self.by_name.get((sub, method), [])]
        failed = [entry for entry in found if entry[0] == "fails"]
        if failed:
            return failed[0]
        return ("passes", "") if found and all(outcome == "passes" for outcome, _ in found) else ("not run", "")
