"""The whole pipeline on fixture data in one command (issue 3's done-when):

    workbench sweep --config configs/sweep-fixture.toml

tokenizer -> tiny teacher -> top-k dump -> a tiny student per preset (+ alpha/temperature
points) -> evaluation with the metric suite -> summary table -> plots. Then the dump's
alignment, resumability and sharding, and a second sweep that finds everything done.
"""

import gzip
import json
import re
import time
from pathlib import Path

import pytest

from workbench.cli import main as workbench_main
from workbench.losses import PRESETS

REPO = Path(__file__).resolve().parent.parent


def _workbench(*argv):
    with pytest.raises(SystemExit) as exit_info:
        workbench_main(list(argv))
    assert exit_info.value.code == 0, argv


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep")
    text = (REPO / "configs/sweep-fixture.toml").read_text()
    config = out / "sweep.toml"
    config.write_text(re.sub(r'(?m)^out = .*$', f'out = "{out / "result"}"', text))
    start = time.monotonic()
    _workbench("sweep", "--config", str(config), "--no-progress")
    return out / "result", config, time.monotonic() - start


@pytest.mark.slow
def test_one_command_runs_the_whole_pipeline(sweep):
    out, _, seconds = sweep
    print(f"pipeline took {seconds:.1f} s")
    rows = json.loads((out / "summary.json").read_text())
    assert rows[0]["run"] == "teacher"
    students = rows[1:]
    assert {r["preset"] for r in students} == set(PRESETS)  # every preset was distilled
    assert len(students) == 9 + 4
    for row in rows:
        for key in ("precision", "recall", "f1", "exact_match", "codebleu", "token_accuracy",
                    "similarity", "ast_validity"):
            assert 0.0 <= row[key] <= 1.0, (row["run"], key)
        assert row["n"] == 10
    csv_lines = (out / "summary.csv").read_text().splitlines()
    assert len(csv_lines) == len(rows) + 1 and csv_lines[0].startswith("run,")
    # The teacher learned something on the fixture task; the students were trained and scored.
    assert rows[0]["codebleu"] > 0.2
    for name in [r["run"] for r in students]:
        run = out / "runs" / name
        assert (run / "training" / "done.json").exists() and (run / "training" / "curves.png").exists()
        meta = json.loads((run / "assertgen.json").read_text())
        assert meta["kind"] == "distill" and "valid_loss" in meta["metrics"]["valid"]
        assert (run / "eval" / "metrics.json").exists()
    # The tagged block ran on its own subset and settings; the others on [students]'s.
    half = next(r for r in students if r["run"].endswith("-half"))
    assert half["run"] == "tiny-student-alpha-a0.3-T1-half" and half["train_records"] == 32
    assert half["tag"] == "half" and {r["tag"] for r in students if r is not half} == {None}
    settings = json.loads((out / "runs" / half["run"] / "assertgen.json").read_text())["training"]["settings"]
    assert settings["batch_size"] == 8
    assert {r["train_records"] for r in students if r is not half} == {64}
    alpha = {r["alpha"]: r for r in students if r["preset"] == "alpha" and r["temperature"] == 2.0}
    assert sorted(alpha) == [0.3, 0.7]
    assert alpha[0.3]["w_soft"] == 0.3 and alpha[0.3]["w_gold"] == pytest.approx(0.7)
    for png in ("core_metrics", "code_metrics", "metrics_vs_alpha", "metrics_vs_temperature"):
        assert (out / "plots" / f"{png}.png").stat().st_size > 10_000


@pytest.mark.slow
def test_dump_logits_are_aligned_with_the_stored_sequence(sweep):
    from workbench.data import load_records
    from workbench.logits_codec import decode_topk

    out, _, _ = sweep
    dump = load_records(out / "dump.jsonl.gz")
    assert len(dump) == 64
    for record in dump:
        topk = decode_topk(record["compressed_logits"])
        assert topk.sequence == "teacher_prediction" and topk.k == 4
        assert topk.positions == len(topk.target_ids) >= 1
        # Greedy decoding takes the argmax at each step, so along the teacher's own
        # prediction the stored top-1 must be the next token of the stored sequence.
        assert (topk.ids[:, 0] == topk.target_ids).all()
        assert isinstance(record["predicted_assertions"], list)


@pytest.mark.slow
def test_teacher_dump_resumes_and_shards(sweep, tmp_path):
    from workbench.logits_codec import decode_topk

    out, _, _ = sweep
    common = ["teacher-dump", "--model", str(out / "teacher"), "--data",
              str(REPO / "fixtures/data/valid.jsonl"), "--limit", "12", "--no-progress", "--batch-size", "4"]
    full = tmp_path / "full.jsonl.gz"
    _workbench(*common, "--out", str(full), "--sequence", "gold")
    rows = [json.loads(line) for line in gzip.open(full, "rt")]
    assert len(rows) == 12 and all(json.loads(json.dumps(r))["compressed_logits"]["sequence"] == "gold"
                                   for r in rows)
    # A student learns from it with every term (the KL term on the gold pass's logits).
    student = tmp_path / "student"
    _workbench("distill", "--config", str(REPO / "configs/tiny-student.toml"), "--teacher-dump",
               str(full), "--out", str(student), "--preset", "balanced", "--tokenizer", str(out / "teacher"),
               "--valid", str(REPO / "fixtures/data/valid.jsonl"), "--valid-limit", "4", "--no-progress",
               "train.epochs=1", "train.batch_size=4", "train.log_every=1", "train.valid_generate=0",
               "train.max_target_tokens=40")
    logged = [json.loads(line) for line in (student / "training/log.jsonl").read_text().splitlines()]
    assert any(row.get("kl", 0) > 0 and row.get("ce_teacher", 0) > 0 for row in logged)
    # A kill mid-write: keep 5 lines and half of the 6th; --resume completes it.
    cut = tmp_path / "cut.jsonl.gz"
    lines = gzip.open(full, "rt").read().splitlines(keepends=True)
    with gzip.open(cut, "wt") as f:
        f.writelines(lines[:5] + [lines[5][:40]])
    _workbench(*common, "--out", str(cut), "--sequence", "gold", "--resume")
    resumed = {json.loads(line)["id"]: json.loads(line) for line in gzip.open(cut, "rt")}
    assert set(resumed) == {r["id"] for r in rows}
    for row in rows:
        again = resumed[row["id"]]
        assert {k: v for k, v in again.items() if k != "compressed_logits"} == \
            {k: v for k, v in row.items() if k != "compressed_logits"}
        # Other batch-mates change the padding, hence float rounding: equal up to quantization.
        a, b = decode_topk(row["compressed_logits"]), decode_topk(again["compressed_logits"])
        assert (a.target_ids == b.target_ids).all() and (a.ids[:, 0] == b.ids[:, 0]).all()
        step = (row["compressed_logits"]["hi"] - row["compressed_logits"]["lo"]) / 255
        assert abs(a.logprobs - b.logprobs).max() <= 2 * step + 1e-4
    # Two shards partition the records.
    shard_ids = []
    for i in range(2):
        part = tmp_path / f"shard{i}.jsonl.gz"
        _workbench(*common, "--out", str(part), "--sequence", "gold", "--shard", f"{i}/2")
        shard_ids.append({json.loads(line)["id"] for line in gzip.open(part, "rt")})
    assert shard_ids[0].isdisjoint(shard_ids[1]) and shard_ids[0] | shard_ids[1] == set(resumed)


@pytest.mark.slow
def test_second_sweep_skips_finished_work(sweep):
    out, config, _ = sweep
    marks = {p: p.stat().st_mtime_ns for p in out.glob("runs/*/training/done.json")}
    start = time.monotonic()
    _workbench("sweep", "--config", str(config), "--no-progress")
    assert {p: p.stat().st_mtime_ns for p in marks} == marks
    assert time.monotonic() - start < 30



@pytest.mark.slow
def test_parallel_jobs_sharded_dump_and_only(sweep, tmp_path):
    """`--jobs 2` trains grid points in child processes, `[dump] shards = 2` dumps in two
    processes and joins the parts, and `--only` runs just the matching points."""
    import shutil

    out, _, _ = sweep

    def config(name: str, dump_shards: int = 0) -> Path:
        target = tmp_path / name
        target.mkdir()
        shutil.copytree(out / "tokenizer", target / "tokenizer")  # finished stages are reused
        if not dump_shards:
            for done in ("dump.jsonl.gz", "dump.done"):
                shutil.copy(out / done, target / done)
        path = tmp_path / f"{name}.toml"
        path.write_text(f'''out = "{target}"
device = "cpu"
threads = 1
[tokenizer]
data = "{REPO / 'fixtures/data/train.jsonl'}"
vocab_size = 480
[teacher]
model = "{out / 'teacher'}"
[dump]
data = "{REPO / 'fixtures/data/train.jsonl'}"
limit = 64
shards = {max(dump_shards, 1)}
[students]
config = "{REPO / 'configs/tiny-student.toml'}"
limit = 32
overrides = ["train.epochs=1", "train.valid_generate=0", "train.select_metric=valid_loss",
             "train.max_target_tokens=40", "train.warmup_steps=2"]
[[grid]]
preset = ["no-distill", "balanced"]
[eval]
data = "{REPO / 'fixtures/data/test.jsonl'}"
limit = 5
''')
        return path

    _workbench("sweep", "--config", str(config("parallel", dump_shards=2)), "--jobs", "2",
               "--no-progress")
    ids = lambda path: sorted(json.loads(line)["id"] for line in gzip.open(path, "rt"))  # noqa: E731
    assert ids(tmp_path / "parallel/dump.jsonl.gz") == ids(out / "dump.jsonl.gz")
    assert not list((tmp_path / "parallel").glob("dump.part*"))  # parts joined and removed
    rows = json.loads((tmp_path / "parallel/summary.json").read_text())
    assert [r["run"] for r in rows] == ["teacher", "tiny-student-no-distill", "tiny-student-balanced"]
    for name in ("tiny-student-no-distill", "tiny-student-balanced"):
        assert (tmp_path / "parallel/runs" / f"{name}.log").exists()  # each child's own log
        assert (tmp_path / "parallel/runs" / name / "eval/metrics.json").exists()
    done = json.loads((tmp_path / "parallel/runs/tiny-student-balanced/training/done.json").read_text())
    assert rows[2]["valid_loss"] == done["best"] > 0 and "valid_loss" not in rows[0]
    assert (tmp_path / "parallel/plots/valid_loss.png").stat().st_size > 1000

    _workbench("sweep", "--config", str(config("only")), "--only", "*-balanced,other*", "--no-progress")
    assert [p.name for p in (tmp_path / "only/runs").iterdir()] == ["tiny-student-balanced"]
    assert not (tmp_path / "only/summary.json").exists()
    with pytest.raises(SystemExit) as exit_info:
        workbench_main(["sweep", "--config", str(config("none")), "--only", "nothing*"])
    assert exit_info.value.code != 0


@pytest.mark.parametrize("change, message", [
    (("\n[eval]\ndata = ", "\n[eval]\nthe_data = "), "[eval] needs `data`"),
    (('config = "configs/tiny-teacher.toml"', ""), "[teacher] needs `config`"),
    (('config = "configs/tiny-teacher.toml"', 'konfig = "x"'), "unknown key(s): teacher.konfig"),
    (("threads = 1", "thread = 1"), "unknown key(s): thread"),
    # found when their stage or run came (a traceback, or an error after the teacher and
    # the runs before it had trained): now before any work
    (("alpha = [0.3, 0.7]", "alpha = 0.3"), "grid.alpha must be a list, got 0.3"),
    (("temperature = [2.0]", 'temperature = ["x"]'), "grid.temperature must be a list of numbers"),
    (("alpha = [0.3, 0.7]", "alpha = [0.3, 7]"), "grid point tiny-student-alpha-a7-T2: alpha must be in [0, 1]"),
    (("temperature = [2.0]", "temperature = [0]"), "tiny-student-alpha-a0.3-T0: the temperature"),
    (('"train.warmup_steps=2"]', '"train.warmup_steps=2", "train.epohcs=3"]'),
     "configs/tiny-student.toml: unknown [train] setting(s): epohcs"),
    (('config = "configs/tiny-student.toml"', 'config = "configs/no-such-student.toml"'),
     "configs/no-such-student.toml: no such config file"),
    (("limit = 10", 'limit = "10"'), "eval.limit must be a whole number, got '10'"),
    (("k = 4", "kk = 4"), "unknown key(s): dump.kk"),
    (('data = "fixtures/data/test.jsonl"', 'data = "fixtures/data/tset.jsonl"'),
     "[eval] data = 'fixtures/data/tset.jsonl': not found"),  # was found after the teacher's training
])
def test_a_malformed_sweep_config_stops_before_any_work(tmp_path, capsys, change, message):
    text = (REPO / "configs/sweep-fixture.toml").read_text()
    text = re.sub(r'(?m)^out = .*$', f'out = "{tmp_path / "result"}"', text)
    assert change[0] in text
    config = tmp_path / "sweep.toml"
    config.write_text(text.replace(change[0], change[1], 1))
    with pytest.raises(SystemExit) as exit_info:
        workbench_main(["sweep", "--config", str(config), "--no-progress"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "result").exists()


def test_teacher_dump_refuses_bad_numbers_and_a_non_dump_to_resume(tmp_path, capsys):
    (tmp_path / "other.jsonl").write_text('{"a": 1}\n')
    tiny, data = REPO / "fixtures/models/tiny", REPO / "fixtures/data/valid.jsonl"
    for out, extra, message in [("d.jsonl.gz", ["--batch-size", "0"], "--batch-size must be at least 1"),
                                ("d.jsonl.gz", ["--num-beams", "0"], "--num-beams must be at least 1"),
                                ("d.jsonl.gz", ["--k", "100000"], "--k 100000 is more than the model's vocabulary"),
                                ("other.jsonl", ["--resume"], "other.jsonl: is not a teacher dump")]:
        with pytest.raises(SystemExit) as exit_info:
            workbench_main(["teacher-dump", "--model", str(tiny), "--data", str(data), "--limit", "2",
                            "--out", str(tmp_path / out), "--no-progress", *extra])
        err = capsys.readouterr().err
        assert exit_info.value.code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "d.jsonl.gz").exists()
    assert (tmp_path / "other.jsonl").read_text() == '{"a": 1}\n'


def test_the_summary_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    """A sweep rewrites its summary after every run: an interruption while writing left a
    cut-off summary.json and summary.csv (the earlier runs' rows lost)."""
    from workbench.sweep import write_summary

    write_summary([{"run": "a", "f1": 0.5}], tmp_path)
    before = {name: (tmp_path / name).read_text() for name in ("summary.json", "summary.csv")}

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr("assertgen.atomic.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_summary([{"run": "a", "f1": 0.5}, {"run": "b", "f1": 0.25}], tmp_path)
    assert {name: (tmp_path / name).read_text() for name in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)  # no temporary file left


def test_a_signal_to_the_sweep_stops_its_children_and_starts_no_more(tmp_path):
    """`kill PID` of a sweep running children (`--jobs`, `[dump] shards`) left them running: a
    rerun raced them into one dump file (68 of 400 records twice). The signal goes on to each
    running child, no further child starts, and the sweep exits 128 + the signal."""
    import os
    import signal
    import subprocess
    import sys

    # a stand-in for `python -m workbench ...`: notes its pid, and that it got SIGTERM
    fake = tmp_path / "fake-python"
    fake.write_text(f'#!/bin/sh\necho $$ >> "{tmp_path}/started"\n'
                    f'trap \'echo $$ >> "{tmp_path}/stopped"; exit 143\' TERM\n'
                    'while true; do sleep 0.1; done\n')
    fake.chmod(0o755)
    script = (f"import sys\nfrom pathlib import Path\nsys.executable = {str(fake)!r}\n"
              "from workbench.sweep import _run_children\n"
              f"_run_children([([name], Path({str(tmp_path)!r}) / (name + '.log')) for name in 'abc'], 2)\n")
    sweep = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stderr=subprocess.PIPE, text=True)
    started = tmp_path / "started"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(started.read_text().split() if started.exists() else []) < 2:
        time.sleep(0.1)
    sweep.send_signal(signal.SIGTERM)
    _, err = sweep.communicate(timeout=60)
    assert sweep.returncode == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    pids = started.read_text().split()
    assert len(pids) == 2  # the third run never started
    assert sorted((tmp_path / "stopped").read_text().split()) == sorted(pids)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)
