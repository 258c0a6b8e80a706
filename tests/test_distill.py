"""`workbench distill` refuses what it cannot train on soundly, in one line naming the file:
a partial or damaged dump, one of another tokenizer, a resume with another dump or loss, a
config alpha that does not apply; and its errors name the dump's own line."""

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("torch")  # the train extra

from workbench.cli import main as workbench_main

REPO = Path(__file__).resolve().parent.parent
TINY = REPO / "fixtures/models/tiny"
STUDENT = REPO / "configs/tiny-student.toml"
VOCAB = 800  # the tiny teacher's, and its tokenizer's


def _rows(n: int = 40, vocab_size: int | None = VOCAB, **field) -> list[dict]:
    """Dump rows on the fixture records: two positions of top-2 logits each."""
    from workbench.data import load_records
    from workbench.logits_codec import encode_topk

    rows = []
    for record in load_records(REPO / "fixtures/data/train.jsonl", limit=n):
        logits = encode_topk([[5, 6], [1, 7]], [[-0.1, -3.0], [-0.2, -2.0]], "teacher_prediction",
                             [5, 1], vocab_size=vocab_size)
        rows.append({**record, "predicted_assertions": record["assertions"],
                     "compressed_logits": logits, **field})
    return rows


def _write(path: Path, rows: list[dict]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(row) + "\n" for row in rows)
    return path


def _distill(dump: Path, out: Path, *extra: str, config: Path = STUDENT) -> int:
    with pytest.raises(SystemExit) as exit_info:
        workbench_main(["distill", "--config", str(config), "--teacher-dump", str(dump),
                        "--out", str(out), "--tokenizer", str(TINY), "--no-progress",
                        "--valid", str(REPO / "fixtures/data/valid.jsonl"), "--valid-limit", "2",
                        "train.batch_size=4", "train.valid_generate=0", *extra])
    return exit_info.value.code


def _one_line_error(capsys, *parts: str) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for part in parts:
        assert part in err, err
    return err


def test_a_partial_dump_is_refused(tmp_path, capsys):
    """A teacher-dump killed after 30 of its 40 records left valid lines distill trained on."""
    settings = {"model": "/m", "data": "/d", "member": None, "limit": 40, "shard": "0/1",
                "retrieval_corpus": None, "k": 2, "sequence": "teacher", "num_beams": 1, "records": 40}
    dump = _write(tmp_path / "d.jsonl.gz", _rows(30, teacher_dump=settings))
    assert _distill(dump, tmp_path / "s") == 2
    _one_line_error(capsys, f"{dump}: holds 30 of the 40 records", "--resume")
    assert not (tmp_path / "s").exists()


def test_a_damaged_gzip_dump_is_one_line_naming_it(tmp_path, capsys):
    dump = _write(tmp_path / "d.jsonl.gz", _rows())
    data = bytearray(dump.read_bytes())
    data[300:340] = bytes(b ^ 0xFF for b in data[300:340])
    dump.write_bytes(bytes(data))
    assert _distill(dump, tmp_path / "s") == 2
    _one_line_error(capsys, f"{dump}: cannot read")


def test_a_dump_of_another_vocabulary_size_is_refused_naming_both(tmp_path, capsys):
    """Ids of an 800-token teacher all fit a student of 894 tokens, so only "highest id >=
    vocabulary" was checked, and it passed."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(TINY))
    tokenizer.add_tokens([f"extra{i}" for i in range(94)])
    tokenizer.save_pretrained(str(tmp_path / "tok"))
    dump = _write(tmp_path / "d.jsonl", _rows())
    with pytest.raises(SystemExit) as exit_info:
        workbench_main(["distill", "--config", str(STUDENT), "--teacher-dump", str(dump),
                        "--out", str(tmp_path / "s"), "--tokenizer", str(tmp_path / "tok"),
                        "--valid", str(REPO / "fixtures/data/valid.jsonl"), "--valid-limit", "2"])
    assert exit_info.value.code == 2
    _one_line_error(capsys, f"{dump}:1: the dump's logits are over a vocabulary of 800 tokens, "
                            "the student's over 894")


def test_an_error_names_the_line_of_the_file_not_of_the_limit_sample(tmp_path, capsys):
    """`--limit 20` on a dump with a bad line 30 reported `dbad.jsonl:18` (its place in the sample)."""
    from workbench.bench import sample_records

    rows = _rows()
    keep = sample_records(list(range(len(rows))), 20, seed=13)  # tiny-student.toml's train.seed
    bad = keep[-1]
    assert keep.index(bad) != bad
    rows[bad]["compressed_logits"] = {"format": "nope"}
    dump = tmp_path / "dbad.jsonl"
    dump.write_text("\n" + "".join(json.dumps(row) + "\n" for row in rows))  # a blank line 1 too
    assert _distill(dump, tmp_path / "s", "--limit", "20") == 2
    _one_line_error(capsys, f"{dump}:{bad + 2}: compressed_logits (nope): unknown format")


def test_resume_refuses_another_dump_or_preset(tmp_path, capsys):
    """A resume with another --preset stopped at KeyError: 'ce_gold' (the loss parts logged
    before it had that term); one with another --teacher-dump went on silently."""
    dump = _write(tmp_path / "d.jsonl", _rows(8))
    other = tmp_path / "other.jsonl"
    shutil.copy(dump, other)
    out = tmp_path / "s"
    assert _distill(dump, out, "--preset", "balanced", "--max-steps", "1", "train.log_every=3") == 0
    capsys.readouterr()
    assert _distill(dump, out, "--preset", "soft-only", "--resume", "train.log_every=3") == 2
    _one_line_error(capsys, f"{out}: cannot resume with a changed preset (run balanced, now soft-only)")
    assert _distill(other, out, "--preset", "balanced", "--resume", "train.log_every=3") == 2
    _one_line_error(capsys, f"{out}: cannot resume with a changed --teacher-dump (run {dump}, now {other})")
    # The same command goes on.
    assert _distill(dump, out, "--preset", "balanced", "--resume", "--max-steps", "2",
                    "train.log_every=3") == 0


def test_a_config_alpha_with_another_preset_is_refused_like_the_option(tmp_path, capsys):
    """`--alpha` with a non-alpha preset was refused, `distill.alpha` silently ignored."""
    config = tmp_path / "student.toml"
    config.write_text(re.sub(r'(?m)^preset = "balanced"$', "alpha = 0.3", STUDENT.read_text()))
    missing = tmp_path / "no-dump.jsonl"
    assert _distill(missing, tmp_path / "s", config=config) == 2
    _one_line_error(capsys, f"{config}: distill.alpha only applies to the 'alpha' preset, not 'balanced'")
    # With --preset alpha it applies: the run goes on (to the missing dump).
    assert _distill(missing, tmp_path / "s", "--preset", "alpha", config=config) == 2
    _one_line_error(capsys, f"{missing}: file not found")
