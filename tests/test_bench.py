"""workbench.bench: statistics, the per-model child process, and `workbench bench`."""

from __future__ import annotations

import json
from pathlib import Path

import psutil
import pytest

from assertgen.errors import UserError
from workbench import bench
from workbench.bench import ModelSpec, Options

REPO = Path(__file__).resolve().parent.parent
TEST_DATA = REPO / "fixtures" / "data" / "test.jsonl"
TRAIN_DATA = REPO / "fixtures" / "data" / "train.jsonl"
TINY_MODEL = REPO / "fixtures" / "models" / "tiny"

FAKES = '''
from assertgen.errors import UserError


class Echo:
    def __init__(self, ballast_mb=0):
        self.ballast = bytearray(ballast_mb * 1024 * 1024)
        for i in range(0, len(self.ballast), 4096):  # touch every page: resident
            self.ballast[i] = 1

    def generate(self, inputs, num_candidates=4, batch_size=16):
        return [["assertTrue(true);\\nassertNotNull(x);"] * num_candidates for _ in inputs]


def small():
    return Echo()


def big():
    return Echo(ballast_mb=150)


class ThreadsEcho:
    def generate(self, inputs, num_candidates=4, batch_size=16):
        import os
        return [[f"assertEquals({os.environ.get('OMP_NUM_THREADS')}, threads);"]] * len(inputs)


def threads_echo():
    return ThreadsEcho()


def refuses():
    raise UserError("this model refuses")


def crashes():
    raise ValueError("boom in the factory")
'''


@pytest.fixture
def fakes(tmp_path) -> str:
    (tmp_path / "bench_fakes.py").write_text(FAKES)
    return str(tmp_path)


def records(n=6):
    return bench.sample_records([json.loads(line) for line in TEST_DATA.read_text().splitlines()], n, 0)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(10, 0, -1)]
    assert bench.percentile(values, 50) == 5.0
    assert bench.percentile(values, 90) == 9.0
    assert bench.percentile(values, 100) == 10.0
    assert bench.percentile([7.0], 50) == 7.0


def test_speed_summary_and_ratios():
    raw = {"times_ms": [10.0, 20.0, 30.0, 40.0], "predictions": [["a;"], ["b;", "c;"], [], ["d;"]],
           "peak_rss_mb": 200.0, "rss_after_load_mb": 150.0, "load_s": 1.5}
    s = bench.speed_summary(raw)
    assert s["ms_per_method_p50"] == 20.0 and s["ms_per_method_mean"] == 25.0
    assert s["ms_per_assertion"] == 100.0 / 4
    assert (s["n_methods"], s["n_assertions"]) == (4, 4)
    assert bench.speed_summary({**raw, "predictions": [[], [], [], []]})["ms_per_assertion"] is None

    teacher = {**s, "ms_per_method_p50": 100.0, "ms_per_method_mean": 50.0, "peak_rss_mb": 800.0}
    r = bench.ratios(s, teacher)
    assert r["speedup_p50"] == 5.0 and r["speedup_mean"] == 2.0
    assert r["peak_rss_mb_ratio"] == 0.25
    assert bench.ratios({**s, "codebleu": None}, {**teacher, "codebleu": 0.5})["codebleu_ratio"] is None


def test_sample_is_seeded_and_keeps_file_order():
    rows = [{"i": i} for i in range(100)]
    a, b = bench.sample_records(rows, 10, 3), bench.sample_records(rows, 10, 3)
    assert a == b and len(a) == 10
    assert [r["i"] for r in a] == sorted(r["i"] for r in a)
    assert bench.sample_records(rows, 10, 4) != a
    assert bench.sample_records(rows, None, 0) == rows == bench.sample_records(rows, 500, 0)


def test_child_process_reports_its_own_peak_rss_not_the_parents(fakes):
    # Make this process big: a child started from it must not inherit its high-water mark
    # (ru_maxrss would: Linux keeps it across fork+exec).
    ballast = bytearray(250 * 1024 * 1024)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    assert psutil.Process().memory_info().rss / 2**20 > 250
    small = bench.run_in_child(ModelSpec("small", "bench_fakes:small", import_path=fakes), records())
    big = bench.run_in_child(ModelSpec("big", "bench_fakes:big", import_path=fakes), records())
    del ballast
    assert small["peak_rss_mb"] < 150
    assert big["peak_rss_mb"] > 150 + small["peak_rss_mb"] * 0.5
    assert big["peak_rss_mb"] - small["peak_rss_mb"] == pytest.approx(150, abs=30)
    assert small["predictions"] == [["assertTrue(true);", "assertNotNull(x);"]] * 6
    assert len(small["times_ms"]) == 6 and all(t >= 0 for t in small["times_ms"])


def test_batched_timing_splits_each_call_over_its_methods(fakes):
    raw = bench.run_in_child(ModelSpec("small", "bench_fakes:small", import_path=fakes), records(5),
                             cases=[records(1)[0]], options=Options(batch_size=2, warmup=0))
    times = raw["times_ms"]
    assert len(times) == 5 and times[0] == times[1] and times[2] == times[3]
    assert raw["case_predictions"] == [["assertTrue(true);", "assertNotNull(x);"]]


def test_threads_option_reaches_the_model_before_it_loads(fakes):
    raw = bench.run_in_child(ModelSpec("t", "bench_fakes:threads_echo", import_path=fakes), records(1),
                             options=Options(threads=3))
    assert raw["predictions"] == [["assertEquals(3, threads);"]]


def test_child_errors_come_back(fakes):
    with pytest.raises(UserError, match="this model refuses"):
        bench.run_in_child(ModelSpec("m", "bench_fakes:refuses", import_path=fakes), records(2))
    with pytest.raises(RuntimeError, match="(?s)measuring failed.*ValueError: boom in the factory"):
        bench.run_in_child(ModelSpec("m", "bench_fakes:crashes", import_path=fakes), records(2))
    with pytest.raises(UserError, match="no such model directory"):
        bench.run_in_child(ModelSpec("m", str(Path(fakes) / "nothing-here")), records(2))


def test_model_argument_syntax():
    spec = bench.parse_model_arg(f"teacher={TINY_MODEL}@pytorch", None)
    assert (spec.name, spec.source, spec.backend, spec.kind) == ("teacher", str(TINY_MODEL), "pytorch",
                                                                  "directory")
    # a bad directory is refused as the arguments are read, before any model of the list runs
    with pytest.raises(UserError, match="models/teacher: no such model directory"):
        bench.parse_model_arg("teacher=models/teacher@pytorch", None)
    with pytest.raises(UserError, match="assertgen.json is missing"):
        bench.parse_model_arg(str(REPO / "fixtures"), None)
    assert bench.parse_model_arg("baseline-ir", "t.jsonl").kind == "baseline-ir"
    assert bench.parse_model_arg("pkg.mod:make", None).kind == "factory"
    assert bench.parse_model_arg("default", None).kind == "default"
    with pytest.raises(UserError, match="unknown backend 'onnx'"):
        bench.parse_model_arg("x@onnx", None)
    # a name names a folder under report's --out: `../../esc=DIR` wrote outside it
    for name in ("../../esc", "a/b", ".."):
        with pytest.raises(UserError, match="must not be a path"):
            bench.parse_model_arg(f"{name}={TINY_MODEL}", None)


def test_workbench_bench_writes_json_and_markdown_side_by_side(fakes, monkeypatch, capsys):
    from workbench.cli import main

    monkeypatch.chdir(fakes)
    out = Path(fakes) / "out"
    with pytest.raises(SystemExit) as done:
        main(["bench", "--model", "ir=baseline-ir", "--model", "echo=bench_fakes:small",
              "--train", str(TRAIN_DATA), "--data", str(TEST_DATA), "--limit", "8", "--quality",
              "--out", str(out)])
    assert done.value.code == 0
    result = json.loads((out / "bench.json").read_text())
    assert result["reference"] == "ir" and result["n_methods"] == 8
    assert list(result["models"]) == ["ir", "echo"]
    ir, echo = result["models"]["ir"]["metrics"], result["models"]["echo"]["metrics"]
    assert echo["n_assertions"] == 16 and echo["exact_match"] == 0.0
    assert 0 <= ir["exact_match"] <= 1 and ir["peak_rss_mb"] > echo["peak_rss_mb"]
    ratios = result["models"]["echo"]["ratios"]
    assert ratios["speedup_p50"] == pytest.approx(ir["ms_per_method_p50"] / echo["ms_per_method_p50"])
    assert ratios["peak_rss_mb_ratio"] == pytest.approx(echo["peak_rss_mb"] / ir["peak_rss_mb"])
    table = (out / "bench.md").read_text()
    assert "| model | ms/method p50 | ms/method mean | ms/assertion | peak RSS (MiB) " in table
    assert "| echo |" in table and "speed-up vs ir" in table
    # --quality: the same predictions' quality beside the timings
    assert "| RSS vs ir | EM strict | EM lenient | F1 | AST valid |" in table
    echo_row = next(line for line in table.splitlines() if line.startswith("| echo |"))
    assert echo_row.split("|")[-5].strip() == "0.000"  # echo's exact match
    assert table in capsys.readouterr().out


def test_bad_bench_arguments_are_one_line_errors(capsys):
    from workbench.cli import main

    with pytest.raises(SystemExit) as done:
        main(["bench", "--model", "baseline-ir", "--data", str(TEST_DATA), "--out", "/tmp/x"])
    assert done.value.code == 2
    assert "baseline-ir needs --train" in capsys.readouterr().err


def test_bench_checks_its_out_first_and_replaces_its_results_whole(tmp_path, monkeypatch, capsys):
    import errno
    import os

    from workbench.cli import main

    measured = []

    def fake_bench(specs, records, options, **kwargs):  # no child processes: the writing is tested
        measured.append(len(records))
        metrics = dict.fromkeys(bench.SPEED_METRICS, 1.0)
        return {"reference": "ir", "options": vars(options), "n_methods": len(records),
                "machine": bench.machine_info(),
                "models": {"ir": {"metrics": metrics, "ratios": bench.ratios(metrics, metrics)}}}

    monkeypatch.setattr(bench, "bench", fake_bench)
    argv = ["bench", "--model", "ir=baseline-ir", "--train", str(TRAIN_DATA), "--data", str(TEST_DATA),
            "--limit", "2"]
    (tmp_path / "a-file").write_text("keep\n")
    with pytest.raises(SystemExit) as done:  # found before every model was measured
        main([*argv, "--out", str(tmp_path / "a-file")])
    assert done.value.code == 2 and "a-file: exists and is not a directory" in capsys.readouterr().err
    assert measured == [] and (tmp_path / "a-file").read_text() == "keep\n"

    out = tmp_path / "out"
    out.mkdir()
    (out / "bench.json").write_text('{"earlier": "results"}\n')

    def disk_full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("assertgen.atomic.os.replace", disk_full)
    with pytest.raises(SystemExit) as done:
        main([*argv, "--out", str(out)])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "bench.json: cannot write file: No space left on device" in err
    assert (out / "bench.json").read_text() == '{"earlier": "results"}\n'  # whole, not cut off
    assert sorted(p.name for p in out.iterdir()) == ["bench.json"]


@pytest.mark.skipif(not (TINY_MODEL / "assertgen.json").exists(),
                    reason="fixtures/models/tiny not built yet")
def test_tiny_fixture_model_in_both_backends():
    specs = [ModelSpec("torch", str(TINY_MODEL), backend="pytorch")]
    if (TINY_MODEL / "ct2").is_dir():
        specs.append(ModelSpec("ct2", str(TINY_MODEL), backend="ctranslate2"))
    result = bench.bench(specs, records(4), with_quality=True)
    for model in result["models"].values():
        assert model["metrics"]["n_methods"] == 4 and model["metrics"]["ms_per_method_p50"] > 0
        assert model["info"]["backend"] in ("pytorch", "ctranslate2")


def test_a_negative_warmup_is_a_user_error(tmp_path, capsys):
    from workbench.cli import main

    with pytest.raises(SystemExit) as done:
        main(["bench", "--model", "baseline-ir", "--train", str(TRAIN_DATA), "--data", str(TEST_DATA),
              "--warmup", "-1", "--out", str(tmp_path / "out")])
    assert done.value.code == 2 and "--warmup must be 0 or more" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
