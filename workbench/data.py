"""Streaming record loaders for the corpus and the seed replication package.

A data path is one of:

- `records.jsonl` or `records.jsonl.gz`
- `bundle.zip` holding `.jsonl`/`.jsonl.gz` members (possibly inside a nested ZIP,
  the seed package's layout: outer zip -> inner zip -> jsonl, optionally gzipped)
- an explicit member path with `::` separators: `outer.zip::inner.zip::test.jsonl.gz`

A `member` pattern (fnmatch, e.g. `*test.jsonl*`) picks the innermost file when a
ZIP holds several. Records are read line by line, so memory does not grow with the
file (benchmarks/scripts/bench_loader.py shows it).
"""

from __future__ import annotations

import fnmatch
import gzip
import io
import json
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from assertgen.atomic import atomic_output
from assertgen.errors import UserError

REQUIRED_FIELDS = ("focal_method", "test_method_masked", "assertions")
_DATA_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".json.gz")


class DataError(UserError):
    """A malformed data file: the message names the file and the line."""


@dataclass
class LoadStats:
    """What a load skipped (with skip_bad=True); the first few reasons are kept."""

    read: int = 0
    skipped: int = 0
    reasons: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped += 1
        if len(self.reasons) < 10:
            self.reasons.append(reason)

    def report(self) -> str | None:
        """One line for the user when anything was skipped, naming the first bad line."""
        if not self.skipped:
            return None
        return f"skipped {self.skipped} bad line(s) of {self.read + self.skipped} (first: {self.reasons[0]})"


def _looks_like_zip(stream) -> bool:
    """A ZIP whatever its name says: check the magic bytes, then rewind."""
    head = stream.read(4)
    stream.seek(0)
    return head == b"PK\x03\x04"


def is_zip_file(path: str | Path) -> bool:
    """Whether the loader opens `path` as a ZIP (by its name, else its magic bytes); OSError
    when it cannot be read."""
    if str(path).lower().endswith(".zip"):
        return True
    with open(path, "rb") as stream:
        return _looks_like_zip(stream)


def _is_data(name: str) -> bool:
    return name.lower().endswith(_DATA_SUFFIXES)


def _pick_member(zf: zipfile.ZipFile, label: str, member: str | None) -> str:
    """The one member to descend into: a data file, or a nested ZIP holding one."""
    names = [n for n in zf.namelist() if not n.endswith("/")]
    candidates = [n for n in names if _is_data(n) or n.lower().endswith(".zip")]
    if member:
        matching = [n for n in candidates
                    if fnmatch.fnmatch(n, member) or fnmatch.fnmatch(n.rsplit("/", 1)[-1], member)]
        # A nested ZIP may hold the match even when its own name does not.
        if not matching:
            matching = [n for n in candidates if n.lower().endswith(".zip")]
    else:
        matching = [n for n in candidates if _is_data(n)] or [n for n in candidates
                                                             if n.lower().endswith(".zip")]
    if len(matching) == 1:
        return matching[0]
    if not matching:
        raise DataError(f"no .jsonl/.jsonl.gz member{' matching ' + repr(member) if member else ''}"
                        f" (members: {', '.join(names[:10]) or 'none'})", label)
    raise DataError(f"several members could be meant ({', '.join(matching[:10])}); "
                    f"choose one with --member or 'file.zip::member'", label)


def _open_text(path: str | Path, member: str | None, stack: ExitStack) -> tuple[io.TextIOBase, str]:
    """Open the (possibly nested) data file as a text stream; return it and its label."""
    parts = str(path).split("::")
    outer = Path(parts[0])
    if not outer.exists():
        raise DataError("file not found", str(outer))
    label = str(outer)
    try:
        raw = stack.enter_context(open(outer, "rb"))
        name = outer.name
        explicit = parts[1:]
        while True:
            if name.lower().endswith(".zip") or _looks_like_zip(raw):
                zf = stack.enter_context(zipfile.ZipFile(raw))
                if explicit:
                    name = explicit.pop(0)
                    if name not in zf.namelist():
                        raise DataError(f"no member {name!r} in the ZIP", label)
                else:
                    name = _pick_member(zf, label, member)
                label += "::" + name
                raw = stack.enter_context(zf.open(name))
                continue
            if explicit:
                raise DataError(f"{name!r} is not a ZIP, so it has no member {explicit[0]!r}", label)
            break
        if name.lower().endswith(".gz"):
            raw = stack.enter_context(gzip.open(raw))
        return stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8")), label
    except (zipfile.BadZipFile, OSError, zlib.error) as err:
        raise DataError(f"cannot read: {err}", label) from None


def _as_list(value, what: str) -> list[str]:
    """The seed stores assertion lists either as a JSON list or as one newline-joined string."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ValueError(f"field {what!r} must be a list of strings or a string")


def normalise_record(record: dict, label: str, line_no: int) -> dict:
    if not isinstance(record, dict):
        raise ValueError("a record must be a JSON object")
    missing = [f for f in REQUIRED_FIELDS if f not in record]
    if missing:
        raise ValueError(f"missing required field(s): {', '.join(missing)}")
    for name in ("focal_method", "test_method_masked"):
        if not isinstance(record[name], str):
            raise ValueError(f"field {name!r} must be a string")
    record["assertions"] = _as_list(record["assertions"], "assertions")
    if "predicted_assertions" in record and record["predicted_assertions"] is not None:
        record["predicted_assertions"] = _as_list(record["predicted_assertions"], "predicted_assertions")
    if "id" not in record:
        # The seed package has no ids; position in the file is stable and traceable. The file's
        # name, not its path as written: `data/x.jsonl` and `/abs/data/x.jsonl` give the same ids.
        head, sep, members = label.partition("::")
        record["id"] = f"{Path(head).name}{sep}{members}:{line_no}"
    elif isinstance(record["id"], bool) or not isinstance(record["id"], (str, int)):
        raise ValueError("field 'id' must be a string or an integer")
    return record


def _method_record(record: dict, label: str, line_no: int) -> dict:
    """A line of a methods corpus (java-methods-v1): an object with a string `code`."""
    if not isinstance(record, dict) or not isinstance(record.get("code"), str):
        raise ValueError("a method record must be a JSON object with a string field 'code'")
    return record


def iter_records(path: str | Path, member: str | None = None, skip_bad: bool = False,
                 stats: LoadStats | None = None, limit: int | None = None,
                 normalise=normalise_record) -> Iterator[dict]:
    """Yield records one at a time. A bad line raises DataError naming file and line,
    or, with skip_bad, is counted in `stats` and skipped. `normalise(record, label, line_no)`
    checks each line (default: an assertion record)."""
    stats = stats if stats is not None else LoadStats()
    if limit is not None and limit < 1:  # else the check after each record lets one through
        raise UserError(f"a record limit (--limit, --valid-limit) must be at least 1, got {limit}")
    with ExitStack() as stack:
        stream, label = _open_text(path, member, stack)
        line_no = 0
        try:
            for line_no, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                    if line_no == 1 and isinstance(obj, dict) and set(obj) == {"header"}:
                        continue
                    record = normalise(obj, label, line_no)
                except (ValueError, TypeError) as err:
                    reason = f"{label}:{line_no}: {err}"
                    if not skip_bad:
                        raise DataError(str(err), label, line_no) from None
                    stats.skip(reason)
                    continue
                stats.read += 1
                yield record
                if limit is not None and stats.read >= limit:
                    return
        except (OSError, EOFError, zipfile.BadZipFile, UnicodeDecodeError, zlib.error) as err:  # zlib: bad deflate data
            raise DataError(f"cannot read after line {line_no}: {err}", label) from None


def load_records(path: str | Path, **kwargs) -> list[dict]:
    """All records in a list (for splits that fit in memory: evaluation, small data)."""
    return list(iter_records(path, **kwargs))


def load_methods(path: str | Path, limit: int | None = None) -> list[dict]:
    """A methods corpus for pretraining (`{"code": ...}` per line, as java-methods-v1)."""
    return list(iter_records(path, limit=limit, normalise=_method_record))


def write_jsonl(path: str | Path, rows) -> None:
    """Write rows atomically as JSONL (.gz by suffix): a temporary file renamed into place."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with atomic_output(path) as tmp, opener(tmp, "wt", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
