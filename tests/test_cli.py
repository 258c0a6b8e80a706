"""The `workbench` command line itself: what a plain install (no extra `train`) says."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from workbench import cli
from conftest import REPO

DATA = REPO / "fixtures" / "data"


def test_a_command_that_needs_the_training_extra_says_so_before_any_work(monkeypatch, capsys, tmp_path):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("torch", "matplotlib") else real_find_spec(name, *a))
    with pytest.raises(SystemExit) as done:
        cli.main(["report", "--model", "default", "--split", f"t={DATA / 'test.jsonl'}", "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "`workbench report` needs torch, matplotlib" in err
    assert 'pip install ".[train]"' in err and not (tmp_path / "r").exists()


def test_a_missing_training_library_reached_later_is_one_line_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "seaborn", None)  # `import seaborn` raises ModuleNotFoundError

    def uses_seaborn(args):
        import seaborn  # noqa: F401

    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(uses_seaborn))
    with pytest.raises(SystemExit) as done:
        cli.main(["evaluate"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "`workbench evaluate` needs seaborn" in err and "Traceback" not in err


def _parser_running(func):
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.set_defaults(func=func)
    return parser


@pytest.mark.parametrize("script", sorted((REPO / "benchmarks" / "scripts").glob("*.py")), ids=lambda p: p.name)
def test_a_script_help_says_its_whole_first_sentence(script):
    # `--help` of a script named in the README: its docstring's first paragraph, not a line cut
    # mid-sentence ("Time the metric suite over a whole split (target: the 2,286-record `test` split in").
    import ast
    import subprocess

    source = script.read_text()
    if "description=__doc__" not in source:
        return
    first = "".join(ast.get_docstring(ast.parse(source)).split("\n\n")[0].split())
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert first in "".join(done.stdout.split())  # blanks aside: argparse wraps the lines anew


def test_config_overrides_may_come_between_options():
    """`train --config c.toml train.epochs=1 --out o train.seed=2` was 'unrecognized arguments'."""
    args = cli.parse(["train", "--config", "c.toml", "train.epochs=1", "--out", "o", "train.seed=2"])
    assert args.out == "o" and args.overrides == ["train.epochs=1", "train.seed=2"]
    with pytest.raises(SystemExit) as done:
        cli.parse(["train", "--config", "c.toml", "--out", "o", "--bogus"])
    assert done.value.code == 2
    with pytest.raises(SystemExit):  # a command without overrides takes no KEY=VALUE
        cli.parse(["evaluate", "--data", "d.jsonl", "--predictions", "p.jsonl", "--out", "o", "x=1"])


@pytest.mark.parametrize("argv", [
    ["mine", "--methods", "{f}", "--out", "{f}"],
    ["baseline-ir", "--train", "{t}", "--data", "{f}", "--out", "{f}"],
    ["report", "--model", "default", "--split", "t={f}", "--out", "{f}"],
])
def test_an_output_file_that_is_an_input_too_is_refused_before_any_work(tmp_path, capsys, argv):
    """`mine --methods m.jsonl --out m.jsonl` replaced the corpus with its mined records."""
    data = tmp_path / "data.jsonl"
    data.write_text((DATA / "test.jsonl").read_text())
    before = data.read_bytes()
    with pytest.raises(SystemExit) as done:
        cli.main([a.format(f=data, t=DATA / "train.jsonl") for a in argv])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "--out is also the input" in err and "Traceback" not in err
    assert data.read_bytes() == before
