"""Atomic file replacement: the one place every writer of the project goes through.

A file is written to a temporary file in the same directory and renamed over the
target, so at every moment it holds either its old or its new content, and an
interrupted run leaves no half-written file (the temporary file is removed).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assertgen.errors import UserError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces `path`.

    Writes through a symlink (the link stays), keeps the file's permission bits, and
    creates missing parent directories.
    """
    path = Path(os.path.realpath(path))
    try:  # a read-only directory fails here, before there is a temporary file to remove
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise UserError(f"cannot write file: {err.strerror or err}", path=str(path)) from None
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(err, OSError):
            raise UserError(f"cannot write file: {err.strerror or err}", path=str(path)) from None
        raise


def atomic_write(path: str | Path, data: bytes) -> None:
    """Replace `path` with `data`, flushed to disk before the rename."""
    with atomic_output(path) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


@contextmanager
def atomic_files(out_dir: str | Path) -> Iterator[Path]:
    """Yield a temporary folder inside `out_dir` to write files to; on success each one
    replaces its namesake in `out_dir` whole (a rename each), with the permissions a new file
    gets (transformers writes weights 0600). On failure the folder is removed and `out_dir`
    keeps its old files."""
    out = make_dir(out_dir)
    tmp = Path(tempfile.mkdtemp(dir=out, prefix=".saving-"))
    try:
        yield tmp
        for path in sorted(tmp.iterdir()):
            os.chmod(path, 0o666 & ~_umask())
            os.replace(path, out / path.name)
    except OSError as err:
        raise UserError(f"cannot write files: {err.strerror or err}", str(out)) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def atomic_write_json(path: str | Path, obj, **dumps_options) -> None:
    """Replace `path` with `obj` as indented JSON (extra options go to json.dumps)."""
    dumps_options.setdefault("indent", 2)
    atomic_write(path, (json.dumps(obj, **dumps_options) + "\n").encode("utf-8"))


def make_dir(path: str | Path) -> Path:
    """Create the directory `path` and its parents (an output directory); a UserError naming
    it when that fails (a file in the way, no permission)."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UserError("exists and is not a directory", str(path)) from None
    except OSError as err:
        raise UserError(f"cannot create the directory: {err.strerror or err}", str(path)) from None
    return path


def writable_dir(path: str | Path) -> Path:
    """`make_dir`, and a UserError when the folder cannot be written into: for a command's --out
    before long work (decoding, measuring), so that a read-only one is found now, not after it."""
    path = make_dir(path)
    try:
        fd, probe = tempfile.mkstemp(dir=path, prefix=".writable-")
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise UserError(f"cannot write into the directory: {err.strerror or err}", str(path)) from None
    return path
