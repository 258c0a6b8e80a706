"""`workbench export`: convert a model directory to CTranslate2 for fast CPU inference.

Writes `DIR/ct2/` (model.bin, config.json, shared_vocabulary.json and a copy of
tokenizer.json), which `assertgen.model.load_generator` then prefers over PyTorch,
and records the export in `DIR/assertgen.json` under "export", with the SHA-256 of the
weights it converted (`ship` exports again when they changed since).
"""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

from assertgen.errors import UserError

QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")


def weights_sha256(model_dir) -> str:
    """SHA-256 of the PyTorch weight files of `model_dir` (names and bytes)."""
    model_dir = Path(model_dir)
    digest = hashlib.sha256()
    from assertgen.model import pytorch_weight_files

    for path in pytorch_weight_files(model_dir):
        digest.update(path.name.encode("utf-8"))
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def export_is_current(model_dir) -> bool:
    """Whether DIR/ct2 was exported from the weights DIR holds now (an export that did not
    record them counts as stale)."""
    from workbench.modeling import read_metadata

    model_dir = Path(model_dir)
    export = read_metadata(model_dir).get("export") or {}
    return (model_dir / "ct2" / "model.bin").is_file() and \
        export.get("weights_sha256") == weights_sha256(model_dir)


def export_ct2(model_dir, quantization: str = "int8") -> Path:
    """Convert `model_dir` (Hugging Face layout + assertgen.json) into `model_dir/ct2/`."""
    import ctranslate2
    from ctranslate2.converters import TransformersConverter
    from safetensors import SafetensorError
    from transformers import AutoConfig
    from transformers.utils import logging as hf_logging

    from workbench.modeling import read_metadata, write_metadata

    model_dir = Path(model_dir)
    meta = read_metadata(model_dir)
    if not (model_dir / "config.json").exists():
        raise UserError("no config.json: export needs the Hugging Face layout (config.json, "
                        "model.safetensors, tokenizer.json)", str(model_dir))
    if not (model_dir / "tokenizer.json").exists():
        raise UserError("no tokenizer.json: the runtime needs a fast tokenizer's tokenizer.json",
                        str(model_dir))
    if quantization not in QUANTIZATIONS:
        raise UserError(f"unknown quantization {quantization!r} (one of {', '.join(QUANTIZATIONS)})")
    try:
        config = AutoConfig.from_pretrained(str(model_dir))
    except (OSError, ValueError) as err:
        raise UserError(f"cannot read config.json: {err}", str(model_dir)) from None
    if not config.is_encoder_decoder:
        raise UserError(f"not a sequence-to-sequence model (config.json: model_type {config.model_type!r}); "
                        "export converts encoder-decoder models such as T5", str(model_dir))
    out = model_dir / "ct2"
    tmp = model_dir / "ct2.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    started = time.perf_counter()
    weights = weights_sha256(model_dir)  # of the weights read next, not of any saved after
    hf_logging.disable_progress_bar()
    try:
        TransformersConverter(str(model_dir), copy_files=["tokenizer.json"]).convert(
            str(tmp), quantization=quantization, force=True)
    except (OSError, ValueError, SafetensorError) as err:  # unreadable weights, an unsupported model
        shutil.rmtree(tmp, ignore_errors=True)
        raise UserError(f"cannot convert the model: {err}", str(model_dir)) from None
    except BaseException:  # Ctrl-C: no half-converted copy left behind
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # The copy in use stays whole until the new one is in place (fill may be reading it).
    old = model_dir / "ct2.old"
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    meta["export"] = {"backend": "ctranslate2", "ctranslate2_version": ctranslate2.__version__,
                      "quantization": quantization, "weights_sha256": weights,
                      "size_bytes": sum(p.stat().st_size for p in out.iterdir()),
                      "seconds": round(time.perf_counter() - started, 2)}
    write_metadata(model_dir, meta)
    return out


def register(subparsers) -> None:
    parser = subparsers.add_parser("export", help="convert a model directory to CTranslate2 (DIR/ct2/)",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, metavar="DIR", help="model directory to export")
    parser.add_argument("--quantization", default="int8", choices=QUANTIZATIONS,
                        help="weight type of the CTranslate2 copy (default int8)")
    parser.set_defaults(func=run)


def run(args) -> int:
    out = export_ct2(args.model, args.quantization)
    size = sum(p.stat().st_size for p in out.iterdir()) / 1e6
    print(f"wrote {out} ({args.quantization}, {size:.1f} MB)")
    return 0
