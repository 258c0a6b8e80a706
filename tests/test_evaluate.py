"""`workbench baseline-ir` + `workbench evaluate` end to end on the fixture data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main as workbench
from workbench.data import load_records, write_jsonl

DATA = Path(__file__).parent.parent / "fixtures" / "data"
KEYS = {"precision", "recall", "f1", "exact_match", "exact_match_lenient", "codebleu",
        "token_accuracy", "ast_validity", "similarity", "n"}


def _run(argv) -> int:
    with pytest.raises(SystemExit) as exit_info:
        workbench(argv)
    return exit_info.value.code


def test_baseline_on_empty_data_is_an_error_not_an_empty_file(tmp_path, capsys):
    (tmp_path / "empty.jsonl").write_text("")
    for train, data in [(tmp_path / "empty.jsonl", DATA / "test.jsonl"), (DATA / "train.jsonl", tmp_path / "empty.jsonl")]:
        assert _run(["baseline-ir", "--train", str(train), "--data", str(data), "--out", str(tmp_path / "p.jsonl")]) == 2
        assert "empty.jsonl: no records" in capsys.readouterr().err
    assert not (tmp_path / "p.jsonl").exists()


def test_baseline_then_evaluate_writes_metrics_and_plots(tmp_path):
    predictions = tmp_path / "ir.jsonl"
    assert _run(["baseline-ir", "--train", str(DATA / "train.jsonl"), "--data", str(DATA / "test.jsonl"),
                 "--out", str(predictions)]) == 0
    rows = [json.loads(line) for line in predictions.read_text().splitlines()]
    records = load_records(DATA / "test.jsonl")
    assert [r["id"] for r in rows] == [r["id"] for r in records]

    out = tmp_path / "eval"
    assert _run(["evaluate", "--data", str(DATA / "test.jsonl"), "--predictions", str(predictions),
                 "--out", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert KEYS <= set(metrics) and metrics["n"] == len(records)
    # The templates repeat, so the neighbour's assertions are often right, but not always
    # (literals differ): the numbers must land strictly between the extremes.
    assert 0 < metrics["exact_match"] < 1
    assert metrics["exact_match"] <= metrics["exact_match_lenient"]
    per_example = [json.loads(line) for line in (out / "per_example.jsonl").read_text().splitlines()]
    assert len(per_example) == len(records)
    assert sum(row["exact_match"] for row in per_example) / len(records) == pytest.approx(metrics["exact_match"])
    assert (out / "metrics_overall.png").stat().st_size > 1000
    assert (out / "metrics_distributions.png").stat().st_size > 1000


def _write_predictions(path: Path, records, drop: int = 0, extra: bool = False) -> None:
    rows = [{"id": r["id"], "prediction": r["assertions"]} for r in records[drop:]]
    if extra:
        rows.append({"id": "nowhere:1", "prediction": []})
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


@pytest.mark.parametrize("drop, extra, message", [
    (1, False, "1 data id(s) have no prediction"),
    (0, True, "1 prediction id(s) are not in the data"),
])
def test_mismatched_ids_are_a_clear_error(tmp_path, capsys, drop, extra, message):
    records = load_records(DATA / "test.jsonl")
    predictions = tmp_path / "p.jsonl"
    _write_predictions(predictions, records, drop=drop, extra=extra)
    code = _run(["evaluate", "--data", str(DATA / "test.jsonl"), "--predictions", str(predictions),
                 "--out", str(tmp_path / "out"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert "p.jsonl" in err and message in err and "Traceback" not in err
    assert not (tmp_path / "out" / "metrics.json").exists()


def test_malformed_predictions_line_names_file_and_line(tmp_path, capsys):
    predictions = tmp_path / "p.jsonl"
    predictions.write_text('{"id": "a", "prediction": []}\n{"id": "b"}\n')
    code = _run(["evaluate", "--data", str(DATA / "test.jsonl"), "--predictions", str(predictions),
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "p.jsonl:2" in err and "Traceback" not in err


@pytest.mark.parametrize("content, message", [
    (b'{"id": ["a"], "prediction": []}\n', r"p.jsonl:1: 'id' must be a string or an integer"),
    (b"\xff\xfe not utf-8\n", "p.jsonl: cannot read after line 0"),
    (None, "p.jsonl: cannot read after line 0: Is a directory"),
])
def test_unreadable_predictions_are_a_clear_error(tmp_path, capsys, content, message):
    predictions = tmp_path / "p.jsonl"
    predictions.mkdir() if content is None else predictions.write_bytes(content)
    code = _run(["evaluate", "--data", str(DATA / "test.jsonl"), "--predictions", str(predictions),
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize("change, message", [
    ({"--out": "a-file"}, "a-file: exists and is not a directory"),
    ({"--limit": "0"}, "limit (--limit, --valid-limit) must be at least 1, got 0"),
    ({"--batch-size": "0"}, "--batch-size must be at least 1"),
])
def test_bad_output_and_numbers_are_user_errors(tmp_path, capsys, change, message):
    records = load_records(DATA / "test.jsonl")
    _write_predictions(tmp_path / "p.jsonl", records)
    (tmp_path / "a-file").write_text("keep\n")
    options = {"--data": str(DATA / "test.jsonl"), "--predictions": str(tmp_path / "p.jsonl"),
               "--out": str(tmp_path / "out"), **change}
    options["--out"] = str(tmp_path / options["--out"])
    code = _run(["evaluate", "--no-plots", *[x for kv in options.items() for x in kv]])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert (tmp_path / "a-file").read_text() == "keep\n"


def test_perfect_predictions_score_one(tmp_path):
    records = load_records(DATA / "test.jsonl", limit=10)
    predictions = tmp_path / "p.jsonl"
    _write_predictions(predictions, records)
    out = tmp_path / "out"
    assert _run(["evaluate", "--data", str(DATA / "test.jsonl"), "--limit", "10",
                 "--predictions", str(predictions), "--out", str(out), "--no-plots"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("precision", "recall", "f1", "exact_match", "exact_match_lenient", "token_accuracy",
                "similarity", "ast_validity"):
        assert metrics[key] == pytest.approx(1.0), key


def test_gzipped_predictions_are_read_as_baseline_ir_writes_them(tmp_path):
    """`baseline-ir --out p.jsonl.gz` writes gzip; evaluate said "'utf-8' codec can't decode byte 0x8b"."""
    records = load_records(DATA / "test.jsonl", limit=10)
    predictions = tmp_path / "p.jsonl.gz"
    write_jsonl(predictions, [{"id": r["id"], "prediction": r["assertions"]} for r in records])
    assert _run(["evaluate", "--data", str(DATA / "test.jsonl"), "--limit", "10",
                 "--predictions", str(predictions), "--out", str(tmp_path / "out"), "--no-plots"]) == 0
    assert json.loads((tmp_path / "out" / "metrics.json").read_text())["exact_match"] == pytest.approx(1.0)


def test_skip_bad_counts_and_reports_malformed_data_lines(tmp_path, capsys):
    records = load_records(DATA / "test.jsonl", limit=5)
    data = tmp_path / "data.jsonl"
    lines = [json.dumps(r) for r in records]
    lines.insert(2, '{"id": "broken", "focal_method": "x"}')
    data.write_text("\n".join(lines) + "\n")
    predictions = tmp_path / "p.jsonl"
    _write_predictions(predictions, records)
    argv = ["evaluate", "--data", str(data), "--predictions", str(predictions), "--out", str(tmp_path / "o"),
            "--no-plots"]
    assert _run(argv) == 2
    assert "data.jsonl:3: missing required field" in capsys.readouterr().err
    assert _run(argv + ["--skip-bad"]) == 0
    assert "skipped 1 bad line(s) of 6 (first: " in capsys.readouterr().err
    assert json.loads((tmp_path / "o" / "metrics.json").read_text())["n"] == 5


def test_evaluate_with_a_model_generates_and_saves_its_predictions(tmp_path):
    out = tmp_path / "eval"
    assert _run(["evaluate", "--data", str(DATA / "test.jsonl"), "--limit", "12",
                 "--model", str(DATA.parent / "models" / "tiny"), "--out", str(out), "--no-plots"]) == 0
    saved = [json.loads(line) for line in (out / "predictions.jsonl").read_text().splitlines()]
    records = load_records(DATA / "test.jsonl", limit=12)
    assert [row["id"] for row in saved] == [r["id"] for r in records]
    metrics = json.loads((out / "metrics.json").read_text())
    matches = sum(row["prediction"] == r["assertions"] for row, r in zip(saved, records))
    assert metrics["n"] == 12 and metrics["exact_match"] == pytest.approx(matches / 12)
    assert matches > 0  # the fixture model has learnt the synthetic templates


def test_evaluate_model_default_is_the_embedded_student(tmp_path, monkeypatch):
    from assertgen.model import default_model_dir
    from workbench.evaluate import predict_with_model

    monkeypatch.chdir(tmp_path)  # no folder named "default" here: the word names the model
    assert _run(["evaluate", "--data", str(DATA / "test.jsonl"), "--limit", "3",
                 "--model", "default", "--out", "eval", "--no-plots"]) == 0
    saved = [json.loads(line)["prediction"]
             for line in (tmp_path / "eval" / "predictions.jsonl").read_text().splitlines()]
    assert saved == predict_with_model(str(default_model_dir()), load_records(DATA / "test.jsonl", limit=3))


def test_cached_scores_are_reused_only_for_the_same_records(tmp_path):
    from workbench.evaluate import cached_summary, evaluate

    records = [{"id": f"r{i}", "assertions": [f"assertEquals({i}, x);"]} for i in range(4)]
    evaluate(records[:2], [r["assertions"] for r in records[:2]], tmp_path, plots=False)
    assert cached_summary(tmp_path, records[:2])["exact_match"] == 1.0
    assert cached_summary(tmp_path, records[2:]) is None  # as many records, other ids
    assert cached_summary(tmp_path, records[:3]) is None
    assert cached_summary(tmp_path / "never-scored", records[:2]) is None


def test_an_output_folder_that_cannot_be_written_is_found_before_decoding(tmp_path, capsys, monkeypatch):
    """`evaluate --model` decoded every record, then failed writing into a read-only --out.
    (Read-only is simulated: as root, permission bits do not stop writes.)"""
    import tempfile

    import workbench.evaluate

    out = tmp_path / "read-only"
    out.mkdir()
    real_mkstemp = tempfile.mkstemp

    def refusing(*args, dir=None, **kwargs):
        if Path(dir) == out:
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr("assertgen.atomic.tempfile.mkstemp", refusing)
    monkeypatch.setattr(workbench.evaluate, "predict_with_model",
                        lambda *a, **k: pytest.fail("decoded before the output folder was checked"))
    code = _run(["evaluate", "--data", str(DATA / "test.jsonl"), "--model", "default", "--out", str(out), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2 and "read-only: cannot write into the directory: Permission denied" in err
