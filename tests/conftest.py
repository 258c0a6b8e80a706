"""Shared test fixtures: paths to fixtures/, a copy of the Java fixture project, a fake model,
and a work tree to run the device scripts (benchmarks/scripts/gpu_*.sh) in on the CPU."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assertgen.prompt import PLACEHOLDER

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
JAVA_PROJECT = FIXTURES / "java-project"


def jfile(source: str | bytes):
    """A parsed JavaFile of `source` (named T.java)."""
    from assertgen import java_source as js

    data = source.encode() if isinstance(source, str) else source
    return js.JavaFile(Path("T.java"), data, js.parse(data))


class FakeGenerator:
    """Deterministic stand-in for `assertgen.model.Generator` (same `generate` signature).

    For each input it returns, best first: three candidates the fill checks must
    reject (does not parse, unknown name, not an assertion), then - only when the
    masked test declares a local variable before its placeholder - two assertions on
    the last such local `v`: `assertNotNull(v);` and `assertTrue(v == v);`.
    Every call's inputs are kept in `calls`.
    """

    metadata = {"name": "fake"}
    INVALID = ["assertEquals(1, ;", "assertEquals(notDeclaredAnywhere, 1);", "int x = 1;"]

    def __init__(self):
        self.calls: list[list[str]] = []

    def generate(self, inputs, num_candidates=4, batch_size=16):
        self.calls.append(list(inputs))
        outputs = []
        for text in inputs:
            test = text.split("TEST METHOD:\n", 1)[1].split(PLACEHOLDER, 1)[0]
            names = re.findall(r"\b(?:[A-Z]\w*(?:<[^>]*>)?|int|boolean|double|var)\s+(\w+)\s*=(?!=)", test)
            candidates = list(self.INVALID)
            if names:
                candidates.append(f"assertNotNull({names[-1]});\nassertTrue({names[-1]} == {names[-1]});")
            outputs.append(candidates[:num_candidates])
        return outputs


@pytest.fixture
def fake_generator() -> FakeGenerator:
    return FakeGenerator()


@pytest.fixture
def java_project(tmp_path) -> Path:
    """A fresh copy of fixtures/java-project (tests edit it freely)."""
    dest = tmp_path / "java-project"
    shutil.copytree(JAVA_PROJECT, dest)
    return dest


def load_script(name: str):
    """benchmarks/scripts/NAME.py imported as a module (the scripts are not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks/scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def device_worktree(root: Path) -> Path:
    """A repository root for benchmarks/scripts/gpu_*.sh (they run in one): the parts they use, linked."""
    work = root / "repo"
    work.mkdir()
    for part in ("assertgen", "workbench", "benchmarks", "configs", "fixtures"):
        (work / part).symlink_to(REPO / part)
    return work


def workbench_in(work: Path, *argv: str) -> None:
    """`python -m workbench ARGV` run in `work`, as the device scripts run it; it must succeed."""
    done = subprocess.run([sys.executable, "-m", "workbench", *argv], cwd=work,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def run_device_script(work: Path, script: str, out: Path, **env: str):
    """`bash benchmarks/scripts/SCRIPT` in `work` as a device call would run it on the CPU:
    $OUT (created here) for what comes back, `env` for the script's settings."""
    out.mkdir()
    env = {**os.environ, **env, "OUT": str(out),
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    return subprocess.run(["bash", f"benchmarks/scripts/{script}"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)


def unpack_device_files(files: Path, sweep: Path) -> None:
    """`gpu_transfer.py unpack`: a call's files back into a runs folder."""
    done = subprocess.run([sys.executable, str(REPO / "benchmarks/scripts/gpu_transfer.py"), "unpack",
                           str(files), "--sweep", str(sweep)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
