"""`workbench report`: Tables 1-3 for several models and splits, cached per model and split."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest

from workbench.bench import sample_records
from workbench.cli import main as workbench
from workbench.data import load_records
from workbench.metrics import compute_metrics

FIXTURES = Path(__file__).parent.parent / "fixtures"
DATA = FIXTURES / "data"
TINY = FIXTURES / "models" / "tiny"


def _run(argv) -> int:
    with pytest.raises(SystemExit) as exit_info:
        workbench(argv)
    return exit_info.value.code


def _report(out: Path, *extra: str) -> int:
    return _run(["report", "--model", f"tiny={TINY}", "--model", f"tiny-pt={TINY}@pytorch",
                 "--model", "ir=baseline-ir", "--train", str(DATA / "train.jsonl"),
                 "--split", f"test={DATA / 'test.jsonl'}", "--split", str(DATA / "valid.jsonl"),
                 "--limit", "12", "--reference", "tiny", "--out", str(out), *extra])


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert _report(out) == 0
    return out


def test_every_model_on_every_split_is_scored_from_its_own_predictions(reported):
    tables = json.loads((reported / "tables.json").read_text())
    assert list(tables["splits"]) == ["test", "valid"]  # a bare path is named after its file
    for split, file in (("test", "test.jsonl"), ("valid", "valid.jsonl")):
        records = sample_records(load_records(DATA / file), 12, seed=0)
        for name in ("tiny", "tiny-pt", "ir"):
            rows = [json.loads(line) for line in
                    (reported / "eval" / split / name / "predictions.jsonl").read_text().splitlines()]
            assert [r["id"] for r in rows] == [r["id"] for r in records]
            summary, _ = compute_metrics([r["prediction"] for r in rows],
                                         [r["assertions"] for r in records], with_codebleu=False)
            entry = tables["splits"][split][name]
            assert entry["n"] == 12
            for key in ("exact_match", "f1", "ast_validity"):
                assert entry[key] == pytest.approx(summary[key]), (split, name, key)
            assert 0 < entry["codebleu"] <= 1
    test = tables["splits"]["test"]
    assert (test["tiny"]["backend"], test["tiny-pt"]["backend"], test["ir"]["backend"]) == \
        ("ctranslate2", "pytorch", "baseline-ir")
    assert test["tiny"]["parameters"] > 0 and "parameters" not in test["ir"]


def test_markdown_tables_and_plots(reported):
    md = (reported / "tables.md").read_text()
    tables = json.loads((reported / "tables.json").read_text())
    assert md.count("### ") == 2 and "CodeBLEU vs tiny" in md \
        and f"Command: `workbench report --model tiny={TINY} " in md
    ir = tables["splits"]["test"]["ir"]
    row = next(line for line in md.splitlines() if line.startswith("| ir |"))
    assert f"| {ir['exact_match']:.3f} |" in row
    assert row.endswith(f"| {ir['codebleu'] / tables['splits']['test']['tiny']['codebleu']:.0%} |")
    tiny = next(line for line in md.splitlines() if line.startswith("| tiny |"))
    assert tiny.startswith("| tiny | ctranslate2 | 1.02 |")  # 1,021,696 parameters, three digits
    from workbench.report import markdown

    assert markdown(tables, tables["reference"]) == md  # tables.json holds all tables.md says
    for split in ("test", "valid"):
        for png in ("core_metrics.png", "code_metrics.png"):
            assert (reported / "plots" / split / png).stat().st_size > 1000


def test_second_report_reuses_scored_models(reported, monkeypatch, tmp_path):
    import workbench.bench

    def refuse(*args, **kwargs):
        raise AssertionError("a scored model was decoded again")

    monkeypatch.setattr(workbench.bench, "load_predictor", refuse)
    before = (reported / "tables.json").read_text()
    assert _report(reported) == 0
    after = json.loads((reported / "tables.json").read_text())
    assert after["splits"] == json.loads(before)["splits"]


def test_another_limit_rescores_instead_of_reusing(reported, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(reported, out)
    assert _run(["report", "--model", f"tiny={TINY}", "--split", f"test={DATA / 'test.jsonl'}",
                 "--limit", "5", "--out", str(out)]) == 0
    assert json.loads((out / "tables.json").read_text())["splits"]["test"]["tiny"]["n"] == 5
    assert json.loads((out / "eval/test/tiny/metrics.json").read_text())["n"] == 5


@pytest.mark.parametrize("change, message", [
    (["--model", f"tiny={TINY}"], "model names must differ"),
    (["--split", f"test={DATA / 'valid.jsonl'}"], "split names must differ: test, valid, test"),
    (["--reference", "nobody"], "'nobody' is not one of the models"),
    (["--split", "gone=/nonexistent/test.jsonl"], "/nonexistent/test.jsonl"),
    (["--batch-size", "0"], "--batch-size must be at least 1"),
    (["--limit", "-1"], "--limit must be at least 1, got -1"),
    (["--split", f"../x={DATA / 'valid.jsonl'}"], "the name '../x' must not be a path"),  # a folder under --out
    (["--model", f"../../esc={TINY}"], "the name '../../esc' must not be a path"),
])
def test_bad_arguments_are_user_errors(tmp_path, capsys, change, message):
    assert _report(tmp_path / "out", *change) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out" / "tables.json").exists()


def test_a_forced_ctranslate2_backend_without_its_copy_is_refused_before_any_decoding(tmp_path):
    """`bench --model s1 --model s1@ctranslate2` measured s1, then failed for want of ct2/."""
    from workbench.bench import parse_model_arg
    from assertgen.errors import UserError

    model = tmp_path / "no-ct2"
    shutil.copytree(TINY, model, ignore=shutil.ignore_patterns("ct2"))
    with pytest.raises(UserError, match="no ct2/ copy to run @ctranslate2: run `workbench export"):
        parse_model_arg(f"{model}@ctranslate2", None)
    assert parse_model_arg(f"{model}@pytorch", None).backend == "pytorch"


def test_the_command_line_of_a_report_pastes_back_whole():
    """A path with spaces or brackets is quoted in the tables' "Command:" line."""
    import argparse

    from workbench.report import command_line

    args = argparse.Namespace(model=["t=my models/t [1]"], split=["test=d.jsonl"], train=None, retrieval_corpus=None,
                              reference=None, limit=None, beams=1, batch_size=32, reuse=False, knn=False,
                              out="out dir")
    line = command_line(args)
    assert shlex.split(line) == ["workbench", "report", "--model", "t=my models/t [1]", "--split", "test=d.jsonl",
                                 "--out", "out dir"]


def test_a_file_as_out_is_refused_before_any_decoding(tmp_path, capsys, monkeypatch):
    import workbench.evaluate

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded before the output directory was checked")

    monkeypatch.setattr(workbench.evaluate, "decode_and_score", no_decoding)
    (tmp_path / "a-file").write_text("keep\n")
    assert _report(tmp_path / "a-file") == 2
    assert "a-file: exists and is not a directory" in capsys.readouterr().err
    assert (tmp_path / "a-file").read_text() == "keep\n"


def test_an_unreadable_summary_or_output_place_is_a_user_error(tmp_path, capsys):
    (tmp_path / "latin1.csv").write_bytes(b"run,f1\nr\xe9,0.5\n")
    (tmp_path / "ok.json").write_text('[{"run": "a", "kind": "student", "f1": 0.5}]\n')
    (tmp_path / "a-file").write_text("keep\n")
    (tmp_path / "empty.csv").write_text("run,f1\n")
    for summary, out, message in [("latin1.csv", "plots", "latin1.csv: cannot read: 'utf-8' codec"),
                                  (".", "plots", "cannot read: Is a directory"),
                                  ("empty.csv", "plots", "empty.csv: the summary holds no rows"),
                                  ("ok.json", "a-file", "a-file: exists and is not a directory")]:
        assert _run(["plot", "--summary", str(tmp_path / summary), "--out", str(tmp_path / out)]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    assert (tmp_path / "a-file").read_text() == "keep\n" and not (tmp_path / "plots").exists()


@pytest.mark.parametrize("highest, ylim, label", [
    (0.086, (0.0, 0.086 * 1.3), "score (axis zoomed)"),  # weak models: zoom in, and say so
    (0.01, (0.0, 0.05), "score (axis zoomed)"),          # never zoom past 0-0.05
    (0.9, (0.0, 1.1), "score"),
])
def test_score_axis_zooms_on_low_scores(highest, ylim, label):
    from workbench.plots import score_axis

    got_ylim, got_label = score_axis(highest)
    assert got_ylim == pytest.approx(ylim) and got_label == label


def test_stdout_holds_the_tables_alone(tmp_path, capsys):
    """`workbench report > tables.md` gets the Markdown alone: the decoding progress went to
    stdout, a blank line per model and split ahead of the tables."""
    capsys.readouterr()
    assert _run(["report", "--model", "ir=baseline-ir", "--train", str(DATA / "train.jsonl"),
                 "--split", f"test={DATA / 'test.jsonl'}", "--limit", "3", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out == (tmp_path / "tables.md").read_text()


def test_metrics_vs_a_parameter_join_only_runs_of_one_training_schedule(tmp_path):
    """A tagged grid block (its own records and settings) is not a point of the untagged
    alpha/temperature line: the fixture sweep's "vs temperature" figure joined T = 2 on 64
    records with T = 1 on 32 records in batches of 8, captioned "(alpha = 0.3)"."""
    from workbench.plots import _sweep_slice, metric_lines

    def row(alpha, temperature, records=64, tag=None):
        return {"run": f"a{alpha}-T{temperature}", "preset": "alpha", "alpha": alpha,
                "temperature": temperature, "tag": tag, "train_records": records, "student": "s",
                "f1": 0.1, "exact_match": 0.1}

    rows = [row(0.3, 2.0), row(0.7, 2.0), row(0.3, 1.0, 32, "half")]
    assert [r["alpha"] for r in _sweep_slice(rows, "alpha")] == [0.3, 0.7]
    assert metric_lines(rows, "temperature", tmp_path / "t.png") is None  # one T per schedule
    rows.append(row(0.3, 1.0))  # the same schedule at another temperature
    assert [r["run"] for r in _sweep_slice(rows, "temperature")] == ["a0.3-T2.0", "a0.3-T1.0"]
    assert metric_lines(rows, "temperature", tmp_path / "t.png") == tmp_path / "t.png"


def test_metrics_vs_a_parameter_zoom_each_metric_to_its_own_values():
    """Exact match at 0.002-0.006 beside AST validity at 0.95-1.0: on one 0-1 axis the
    first lay flat; each metric's panel spans its own values."""
    from workbench.plots import metric_panels

    points = [{"alpha": a, "temperature": 2.0, "student": s, "exact_match": em, "ast_validity": ast}
              for a, em, ast in [(0.1, 0.002, 0.95), (0.5, 0.006, 1.0), (0.9, 0.004, 0.97)] for s in ("base", "small")]
    fig = metric_panels(points, "alpha")
    panels = {ax.get_title(): ax for ax in fig.axes if ax.get_visible()}
    assert set(panels) == {"Exact match", "AST validity"}  # metrics without values get no panel
    low, high = panels["Exact match"].get_ylim()
    assert low <= 0.002 and 0.006 <= high < 0.05
    low, high = panels["AST validity"].get_ylim()
    assert 0.8 < low <= 0.95 and high >= 1.0
    assert len(panels["Exact match"].get_lines()) == 2  # one line per student


def test_a_model_decoded_another_way_is_scored_again(tmp_path, monkeypatch):
    """The cache holds for the same records decoded the same way only: a model exported
    after a report (now run by its ct2/ copy) kept its PyTorch scores, labelled
    ctranslate2, and NAME=another/DIR kept the first directory's scores."""
    import workbench.bench

    real, decoded = workbench.bench.load_predictor, []

    def counting(spec, options):
        decoded.append((spec.source, spec.backend, options.beams))
        return real(spec, options)

    monkeypatch.setattr(workbench.bench, "load_predictor", counting)

    def report(model, *extra):
        assert _run(["report", "--model", model, "--split", f"test={DATA / 'test.jsonl'}",
                     "--limit", "3", "--out", str(tmp_path), *extra]) == 0
        return json.loads((tmp_path / "tables.json").read_text())["splits"]["test"]["tiny"]

    assert report(f"tiny={TINY}@pytorch")["backend"] == "pytorch"
    assert report(f"tiny={TINY}")["backend"] == "ctranslate2"  # its ct2/ copy: decoded again
    assert report(f"tiny={TINY}", "--beams", "2")["backend"] == "ctranslate2"
    assert report(f"tiny={TINY}", "--beams", "2")["backend"] == "ctranslate2"  # cached
    assert decoded == [(str(TINY), "pytorch", 1), (str(TINY), None, 1), (str(TINY), None, 2)]
    stamp = json.loads((tmp_path / "eval/test/tiny/decoded_by.json").read_text())
    assert {k: v for k, v in stamp.items() if k != "weights"} == {
        "source": str(TINY.resolve()), "backend": "ctranslate2", "beams": 2}
    assert list(stamp["weights"]) == ["ct2/model.bin"]


def test_a_model_trained_again_in_place_is_scored_again(tmp_path, monkeypatch):
    """The README's `--resume` with a larger train.epochs (or `workbench export` again) writes
    new weights into the same directory: the report scored it anew, not from its old cache."""
    import os
    import shutil

    import workbench.bench

    model = tmp_path / "tiny"
    shutil.copytree(TINY, model)
    real, decoded = workbench.bench.load_predictor, []
    monkeypatch.setattr(workbench.bench, "load_predictor",
                        lambda spec, options: decoded.append(spec.backend) or real(spec, options))

    def report():
        assert _run(["report", "--model", f"tiny={model}", "--model", f"pt={model}@pytorch",
                     "--split", f"test={DATA / 'test.jsonl'}", "--limit", "3",
                     "--out", str(tmp_path / "out")]) == 0

    report()
    report()  # nothing changed: cached
    assert decoded == [None, "pytorch"]
    for weights in (model / "ct2" / "model.bin", model / "model.safetensors"):
        os.utime(weights, ns=(weights.stat().st_atime_ns, weights.stat().st_mtime_ns + 10**9))
    report()
    assert decoded == [None, "pytorch", None, "pytorch"]


def test_grouped_bars_tell_more_than_twenty_runs_apart(tmp_path, monkeypatch):
    """tab20 has 20 colours: every run from the 20th on got the last one (a sweep of 20 grid
    points and its teacher has 21 rows)."""
    import matplotlib.axes

    from workbench.plots import CORE, grouped_bars

    looks = []
    real_bar = matplotlib.axes.Axes.bar

    def bar(self, *args, **kwargs):
        looks.append((tuple(kwargs["color"]), kwargs.get("hatch")))
        return real_bar(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "bar", bar)
    rows = [{"run": f"run{i}", "f1": 0.1 * (i % 5)} for i in range(23)]
    grouped_bars(rows, CORE, "Core metrics", tmp_path / "core.png")
    assert len(looks) == 23 and len(set(looks)) == 23


def test_a_figure_the_summary_no_longer_has_is_not_left_behind(tmp_path):
    """plot_summary into a directory that holds an earlier summary's metrics_vs_*.png or
    valid_loss.png: a figure not drawn this time is removed, not left as if it were this
    summary's."""
    from workbench.plots import plot_summary

    def row(alpha, **extra):
        return {"run": f"a{alpha}", "preset": "alpha", "alpha": alpha, "temperature": 2.0,
                "f1": 0.1, **extra}

    plot_summary([row(0.3, valid_loss=5.0), row(0.7, valid_loss=5.5)], tmp_path)
    assert (tmp_path / "metrics_vs_alpha.png").exists() and (tmp_path / "valid_loss.png").exists()
    written = plot_summary([row(0.3), {"run": "other", "f1": 0.2}], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written) == \
        ["code_metrics.png", "core_metrics.png"]


def test_a_figure_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """An interrupted plot left a cut-off PNG where the last complete one was."""
    from workbench.plots import pyplot, save_figure

    plt = pyplot()
    png = tmp_path / "plots" / "f.png"
    save_figure(plt.subplots()[0], png)
    before = png.read_bytes()
    fig, _ = plt.subplots()

    def cut_off(path, **kwargs):
        open(path, "wb").write(b"\x89PNG half")
        raise KeyboardInterrupt

    monkeypatch.setattr(fig, "savefig", cut_off)
    with pytest.raises(KeyboardInterrupt):
        save_figure(fig, png)
    assert png.read_bytes() == before and [p.name for p in png.parent.iterdir()] == ["f.png"]
