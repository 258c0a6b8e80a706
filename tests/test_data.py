"""The streaming record loader: every container layout, header lines, seed fields, bad input."""

from __future__ import annotations

import gzip
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from assertgen.errors import UserError
from workbench.data import DataError, LoadStats, iter_records, load_records, write_jsonl


def _record(i: int, **extra) -> dict:
    return {"id": f"r{i}", "focal_method": f"int f{i}() {{ return {i}; }}",
            "test_method_masked": "@Test void t() {\n    // ASSERTION PLACEHOLDER\n}",
            "assertions": [f"assertEquals({i}, f{i}());"], **extra}


def _jsonl(records, header=False) -> bytes:
    lines = ([json.dumps({"header": {"version": 1}})] if header else []) + [json.dumps(r) for r in records]
    return ("\n".join(lines) + "\n").encode()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


RECORDS = [_record(i) for i in range(5)]


def test_plain_and_gzipped_jsonl(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(_jsonl(RECORDS))
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(_jsonl(RECORDS)))
    assert load_records(tmp_path / "a.jsonl") == RECORDS
    assert load_records(tmp_path / "a.jsonl.gz") == RECORDS


def test_header_line_is_skipped(tmp_path):
    (tmp_path / "h.jsonl").write_bytes(_jsonl(RECORDS, header=True))
    assert [r["id"] for r in load_records(tmp_path / "h.jsonl")] == [r["id"] for r in RECORDS]


def test_zip_and_nested_zip_with_member_choice(tmp_path):
    inner = _zip({"data/train.jsonl.gz": gzip.compress(_jsonl(RECORDS[:2], header=True)),
                  "data/test.jsonl": _jsonl(RECORDS[2:])})
    (tmp_path / "outer.zip").write_bytes(_zip({"package/inner.zip": inner, "README.txt": b"hi"}))
    test = load_records(tmp_path / "outer.zip", member="test.jsonl*")
    assert [r["id"] for r in test] == ["r2", "r3", "r4"]
    train = load_records(tmp_path / "outer.zip", member="*train*")
    assert [r["id"] for r in train] == ["r0", "r1"]
    explicit = load_records(f"{tmp_path / 'outer.zip'}::package/inner.zip::data/test.jsonl")
    assert explicit == test


def test_ambiguous_zip_member_is_an_error_listing_candidates(tmp_path):
    (tmp_path / "two.zip").write_bytes(_zip({"a.jsonl": _jsonl(RECORDS), "b.jsonl": _jsonl(RECORDS)}))
    with pytest.raises(DataError, match=r"two.zip.*a.jsonl, b.jsonl"):
        load_records(tmp_path / "two.zip")


def test_seed_fields_load(tmp_path):
    logits = {"format": "quantized_8bit", "data": "eJwDAAAAAAE=", "min": 0.0, "max": 1.0, "shape": [0, 0]}
    seed = [{k: v for k, v in _record(0).items() if k != "id"}
            | {"assertions": "assertA();\nassertB();", "predicted_assertions": "assertA();",
               "compressed_logits": logits},
            _record(1, predicted_assertions=["x();", "y();"])]
    path = tmp_path / "seed.jsonl"
    path.write_bytes(_jsonl(seed))
    first, second = load_records(path)
    assert first["assertions"] == ["assertA();", "assertB();"]
    assert first["predicted_assertions"] == ["assertA();"]
    assert first["compressed_logits"] == logits
    assert first["id"] == "seed.jsonl:1"  # the seed has no ids: file and line stand in
    # however the path is written (predictions made with a relative one matched no absolute one)
    assert load_records(Path(os.path.relpath(path)))[0]["id"] == "seed.jsonl:1"
    assert second["predicted_assertions"] == ["x();", "y();"]


@pytest.mark.parametrize("bad_line, message", [
    ("{not json", "Expecting property name"),
    (json.dumps({"focal_method": "x", "assertions": []}), "missing required field.*test_method_masked"),
    (json.dumps(_record(9) | {"assertions": 3}), "field .assertions. must be a list of strings"),
    (json.dumps(_record(9) | {"assertions": None}), "field .assertions. must be a list of strings"),
    (json.dumps(_record(9) | {"id": ["r9"]}), "field .id. must be a string or an integer"),
    (json.dumps(_record(9) | {"id": None}), "field .id. must be a string or an integer"),
])
def test_bad_line_names_file_and_line(tmp_path, bad_line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(_record(0)) + "\n" + bad_line + "\n" + json.dumps(_record(2)) + "\n")
    with pytest.raises(DataError, match=rf"bad.jsonl:2: {message}"):
        load_records(path)
    stats = LoadStats()
    assert [r["id"] for r in iter_records(path, skip_bad=True, stats=stats)] == ["r0", "r2"]
    assert (stats.read, stats.skipped) == (2, 1)
    assert "bad.jsonl:2" in stats.reasons[0]


def test_missing_file_and_truncated_gzip(tmp_path):
    with pytest.raises(DataError, match="nope.jsonl: file not found"):
        load_records(tmp_path / "nope.jsonl")
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(_jsonl(RECORDS * 50))[:300])
    with pytest.raises(DataError, match="cut.jsonl.gz: cannot read"):
        load_records(path)


def test_damaged_deflate_data_is_a_data_error_naming_the_file(tmp_path):
    """Bytes flipped inside a gzip's deflate stream raise zlib.error, not OSError: still one line."""
    import zlib

    records = [{"id": f"r{i}", "focal_method": f"int f() {{ return {i}; }}", "test_method_masked": f"void t{i}() {{}}",
                "assertions": [f"assertEquals({i}, f());"]} for i in range(200)]
    damaged = bytearray(gzip.compress(_jsonl(records), mtime=0))
    damaged[300:340] = bytes(b ^ 0xFF for b in damaged[300:340])
    with pytest.raises(zlib.error):  # what the flip does to the stream (else this test checks nothing)
        gzip.decompress(bytes(damaged))
    path = tmp_path / "damaged.jsonl.gz"
    path.write_bytes(bytes(damaged))
    with pytest.raises(DataError, match="damaged.jsonl.gz: cannot read"):
        load_records(path)


def test_limit_and_streaming(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(_jsonl(RECORDS))
    stream = iter_records(path)
    assert next(stream)["id"] == "r0"  # a generator: nothing else read yet
    assert len(load_records(path, limit=3)) == 3


@pytest.mark.parametrize("limit", [0, -1])
def test_a_limit_below_one_is_an_error_not_one_record(tmp_path, limit):
    path = tmp_path / "a.jsonl"
    path.write_bytes(_jsonl(RECORDS))
    with pytest.raises(UserError, match=f"limit .*must be at least 1, got {limit}"):
        load_records(path, limit=limit)


def test_write_jsonl_is_atomic_and_round_trips(tmp_path):
    path = tmp_path / "out" / "p.jsonl.gz"
    write_jsonl(path, RECORDS)
    assert load_records(path) == RECORDS
    assert not list(path.parent.glob("*.tmp"))
