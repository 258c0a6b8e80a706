"""`workbench teacher-dump`: a partial dump never reads as a complete one, `--resume` keeps the
settings a dump was started with, and a damaged file is a one-line error, not a traceback."""

import gzip
import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("torch")  # the train extra

from workbench import teacher_dump
from workbench.cli import main as workbench_main
from workbench.data import load_records
from workbench.teacher_dump import check_complete

REPO = Path(__file__).resolve().parent.parent
TINY = REPO / "fixtures/models/tiny"
DATA = REPO / "fixtures/data/train.jsonl"


def _dump(out: Path, *extra: str, model: Path = TINY, data: Path = DATA) -> int:
    with pytest.raises(SystemExit) as exit_info:
        workbench_main(["teacher-dump", "--model", str(model), "--data", str(data), "--limit", "6",
                        "--batch-size", "2", "--out", str(out), "--no-progress", *extra])
    return exit_info.value.code


@pytest.fixture(scope="module")
def complete(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dump") / "d1.jsonl.gz"
    assert _dump(out) == 0
    return out


def _interrupted(out: Path, monkeypatch) -> None:
    """A dump stopped (Ctrl-C, SIGTERM) after its first batch of 2 of the 6 records."""
    real, calls = teacher_dump.dump_batch, []

    def stop_at_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(teacher_dump, "dump_batch", stop_at_second_batch)
    assert _dump(out) == 130
    monkeypatch.setattr(teacher_dump, "dump_batch", real)


def test_an_interrupted_dump_is_refused_until_resume_completes_it(tmp_path, monkeypatch):
    """A kill left a valid gzip of 4 of 400 records, which distill trained on without a word."""
    from assertgen.errors import UserError

    out = tmp_path / "d.jsonl.gz"
    _interrupted(out, monkeypatch)
    rows = load_records(out)
    assert len(rows) == 2  # valid lines: only the count tells they are not all
    with pytest.raises(UserError, match=r"d\.jsonl\.gz: holds 2 of the 6 records .* --resume"):
        check_complete(rows, str(out))
    assert _dump(out, "--resume") == 0
    rows = load_records(out)
    assert len(rows) == 6
    check_complete(rows, str(out))


def test_joined_shards_are_complete_and_a_missing_one_is_not(tmp_path):
    from assertgen.errors import UserError

    parts = [tmp_path / f"part{i}.jsonl.gz" for i in range(2)]
    for i, part in enumerate(parts):
        assert _dump(part, "--shard", f"{i}/2") == 0
    joined = tmp_path / "joined.jsonl.gz"  # as `workbench sweep` joins them: bytes concatenated
    joined.write_bytes(b"".join(part.read_bytes() for part in parts))
    check_complete(load_records(joined), str(joined))
    with pytest.raises(UserError, match="holds 3 of the 6 records"):
        check_complete(load_records(parts[0]), str(parts[0]))
    # a shard written twice (an orphaned sweep child beside its rerun): as many ids, more rows
    twice = tmp_path / "twice.jsonl.gz"
    twice.write_bytes(joined.read_bytes() + parts[0].read_bytes())
    with pytest.raises(UserError, match="holds 9 rows for 6 records: some were written twice"):
        check_complete(load_records(twice), str(twice))


def test_rows_of_two_runs_are_refused_as_a_mixture(complete):
    from assertgen.errors import UserError

    rows = load_records(complete)
    other = [{**row, "teacher_dump": {**row["teacher_dump"], "k": 2}} for row in rows[:3]]
    with pytest.raises(UserError, match="mixes rows of different teacher-dump runs"):
        check_complete(rows[3:] + other, "d.jsonl.gz")
    check_complete([{k: v for k, v in row.items() if k != "teacher_dump"} for row in rows[:2]],
                   "old.jsonl.gz")  # dumps from before the field cannot be checked: they pass


@pytest.mark.parametrize("option, message", [
    (["--k", "2"], "was dumped with --k 4, not 2"),
    (["--sequence", "gold"], "was dumped with --sequence teacher, not gold"),
    (["--shard", "1/2"], "was dumped with --shard 0/1, not 1/2"),
    ("model", "was dumped with --model "),
    ("data", "was dumped with --data "),
])
def test_resume_refuses_other_settings_than_the_dumps(complete, tmp_path, capsys, option, message):
    """A resume with another --k crashed distill later (collate: expanded size 4 vs 2); another
    --model or --data mixed two teachers into one dump without a word."""
    out = tmp_path / "d.jsonl.gz"
    shutil.copy(complete, out)
    before = out.read_bytes()
    if option == "model":
        shutil.copytree(TINY, tmp_path / "other-teacher")
        code = _dump(out, "--resume", model=tmp_path / "other-teacher")
    elif option == "data":
        shutil.copy(DATA, tmp_path / "other.jsonl")
        code = _dump(out, "--resume", data=tmp_path / "other.jsonl")
    else:
        code = _dump(out, "--resume", *option)
    err = capsys.readouterr().err
    assert code == 2 and f"{out}: {message}" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert out.read_bytes() == before


def test_resume_of_a_damaged_gzip_is_one_line_naming_the_file(complete, tmp_path, capsys):
    """Damaged deflate data gave a zlib.error traceback from read_done."""
    out = tmp_path / "d.jsonl.gz"
    data = bytearray(complete.read_bytes())
    data[300:340] = bytes(b ^ 0xFF for b in data[300:340])
    out.write_bytes(bytes(data))
    assert _dump(out, "--resume") == 2
    err = capsys.readouterr().err
    assert f"{out}: cannot read it to resume" in err and "Traceback" not in err
    assert out.read_bytes() == bytes(data)  # left as it was


def test_resume_keeps_the_lines_before_a_cut_and_refuses_a_bad_complete_one(complete, tmp_path, capsys):
    lines = gzip.open(complete, "rb").read().splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"  # plain JSONL cut inside a two-byte character by a kill
    cut.write_bytes(b"".join(lines[:2]) + '{"id": "é'.encode()[:-1])
    assert teacher_dump.read_done(cut) == [line.decode() for line in lines[:2]]
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(lines[0] + b"{not json\n" + lines[1])
    assert _dump(bad, "--resume") == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: not a JSON line" in err and "Traceback" not in err
    assert json.loads(lines[0])["teacher_dump"]["records"] == 6
