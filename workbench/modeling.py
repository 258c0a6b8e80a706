"""Configs, tokenizers and seq2seq models for the workbench.

A config is a TOML file (see `configs/`) whose `[model]` table says which model:

- `name_or_path = "Salesforce/codet5p-220m"` (a Hugging Face hub name, needs the
  internet) or `name_or_path = "path/to/model_dir"` (a saved model directory); or
- a T5 built from scratch: `d_model`, `num_layers`, `num_decoder_layers`, `num_heads`,
  `d_ff`, optional `d_kv` (default d_model / num_heads), `dropout_rate`,
  `feed_forward_proj` (default "relu"), with `tokenizer = "path/to/tokenizer_dir"`
  giving the vocabulary (from `workbench tokenizer`).

`[train]` (and `[distill]`) hold the hyperparameters that `workbench train`/`distill`
read. Relative paths in a config are relative to the directory the command runs in.

A model directory is the Hugging Face `save_pretrained` layout (config.json,
model.safetensors, tokenizer.json, tokenizer_config.json) plus `assertgen.json`:
`prompt_format_version` and whatever the trainer measured (data, config, metrics,
`max_input_tokens`, `max_target_tokens`). `workbench export` adds a `ct2/` copy, which
`save_model_dir` removes with the weights it was made from.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import socket
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the tomli backport (a dependency there)
    import tomli as tomllib
from pathlib import Path
from urllib.parse import urlparse

from assertgen.atomic import atomic_files, atomic_write_json, make_dir
from assertgen.errors import UserError
from assertgen.model import CT2_DIR, DEFAULT_MAX_INPUT_TOKENS, DEFAULT_MAX_TARGET_TOKENS, METADATA_FILE, check_vocab
from assertgen.model import has_pytorch_weights
from assertgen.model import read_metadata as _runtime_read_metadata
# The [model] keys of a T5 from scratch: the sizes (whole numbers, at least 1), then the rest.
_T5_SIZES = ("d_model", "num_layers", "num_decoder_layers", "num_heads", "d_ff", "d_kv",
             "relative_attention_num_buckets", "relative_attention_max_distance")
_T5_KEYS = _T5_SIZES + ("dropout_rate", "feed_forward_proj", "layer_norm_epsilon", "tie_word_embeddings")


# ---------------------------------------------------------------- configs

def _parse_value(text: str):
    """A TOML value (`3e-4`, `true`, `"x"`, `[1, 2]`); anything else is a bare string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_override(config: dict, override: str) -> None:
    """Apply one `a.b.c=value` override in place (value parsed as TOML, else a string)."""
    key, sep, value = override.partition("=")
    parts = [p.strip() for p in key.strip().split(".")]
    if not sep or not all(parts):
        raise UserError(f"bad override {override!r}: expected KEY.PATH=VALUE, e.g. train.learning_rate=3e-4")
    table = config
    for i, part in enumerate(parts[:-1]):
        table = table.setdefault(part, {})
        if not isinstance(table, dict):
            raise UserError(f"bad override {override!r}: {'.'.join(parts[:i + 1])} is not a table")
    table[parts[-1]] = _parse_value(value.strip())


def _merged(base: dict, changes: dict) -> dict:
    """`base` with `changes` applied table by table (a nested table merges, a value replaces)."""
    out = dict(base)
    for key, value in changes.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) \
            else value
    return out


def load_config(path, overrides=(), _seen=()) -> dict:
    """Read a TOML config and apply `a.b=value` overrides in order.

    `extends = "other.toml"` (relative to the file) starts from that config and changes
    only what this file sets, so a family of models shares one training recipe."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            config = tomllib.load(handle)
    except FileNotFoundError:
        raise UserError("no such config file", str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise UserError(f"invalid TOML: {err}", str(path)) from None
    except (OSError, UnicodeDecodeError) as err:  # a directory, no permission, not UTF-8
        raise UserError(f"cannot read: {getattr(err, 'strerror', None) or err}", str(path)) from None
    if "extends" in config:
        base = path.parent / str(config.pop("extends"))
        if base.resolve() in _seen:
            raise UserError(f"`extends` loops back to {base}", str(path))
        config = _merged(load_config(base, _seen=(*_seen, path.resolve())), config)
    for override in overrides:
        apply_override(config, override)
    return config


# ---------------------------------------------------------------- hub access

def _looks_like_path(name: str) -> bool:
    """Hub names are `owner/name`; anything else is meant as a local path."""
    return name.startswith((".", "/", "~")) or name.count("/") != 1


def _hub_reachable(timeout: float = 3.0) -> bool:
    """Whether the hub answers at all: a quick TCP connect instead of transformers' retries."""
    if os.environ.get("HF_HUB_OFFLINE", "0").lower() in ("1", "true", "yes", "on"):
        return False
    if os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy"):
        return True  # behind a proxy a direct connect says nothing; let the library try
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    try:
        with socket.create_connection((url.hostname, url.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def _no_hf_progress_bars():
    """transformers' tqdm bars off for a local load or save: they printed "Loading weights" or
    "Writing model shards" lines into every run's output, --no-progress too, beside our own
    progress (a hub download keeps its bar)."""
    from transformers.utils import logging as hf_logging

    enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if enabled:
            hf_logging.enable_progress_bar()


def _from_pretrained(loader, name: str, what: str, **kwargs):
    """`loader(name)` for a local directory or a hub name; a clear UserError otherwise."""
    from safetensors import SafetensorError

    if Path(name).expanduser().is_dir():
        try:
            with _no_hf_progress_bars():
                return loader(str(Path(name).expanduser()), **kwargs)
        except (OSError, ValueError, SafetensorError) as err:  # also another kind of model
            raise UserError(f"cannot load the {what}: {err}", name) from None
    if _looks_like_path(name):
        raise UserError(f"no such {what} directory", name)
    try:  # already in the local Hugging Face cache?
        return loader(name, local_files_only=True, **kwargs)
    except (OSError, ValueError):
        pass
    if not _hub_reachable():
        raise UserError(f"cannot reach the Hugging Face hub to download the {what} {name!r} "
                        "(offline, or HF_HUB_OFFLINE is set); pass a local directory instead "
                        "(a saved model, or a tokenizer from `workbench tokenizer`)")
    try:
        return loader(name, **kwargs)
    except (OSError, ValueError) as err:
        raise UserError(f"could not download the {what} {name!r} from the Hugging Face hub ({err}); "
                        "check the name, or pass a local directory instead") from None


def load_tokenizer(name_or_dir):
    """A transformers tokenizer from a local directory or a hub name."""
    from transformers import AutoTokenizer

    folder = Path(str(name_or_dir)).expanduser()
    if folder.is_dir() and not any((folder / f).is_file() for f in ("tokenizer.json", "tokenizer_config.json",
                                                                      "spiece.model", "vocab.json")):
        # (transformers' own message is five lines about sentencepiece and slow tokenizers)
        raise UserError("holds no tokenizer (no tokenizer.json): give a folder from `workbench tokenizer` "
                        "or a model directory", str(name_or_dir))
    return _from_pretrained(AutoTokenizer.from_pretrained, str(name_or_dir), "tokenizer")


def save_tokenizer(tokenizer, out_dir) -> None:
    """`tokenizer.save_pretrained(out_dir)`, naming a class older transformers also know.

    transformers 5 records its generic fast tokenizer as `TokenizersBackend`, a class
    transformers 4 (still common on Colab) lacks; `PreTrainedTokenizerFast` loads in both.
    """
    tokenizer.save_pretrained(out_dir)
    path = Path(out_dir) / "tokenizer_config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    if config.get("tokenizer_class") == "TokenizersBackend":
        config["tokenizer_class"] = "PreTrainedTokenizerFast"
        atomic_write_json(path, config, sort_keys=True)


def tokenizer_source(model_cfg: dict) -> str:
    """Where a `[model]` table's tokenizer comes from: `tokenizer`, else `name_or_path`."""
    source = model_cfg.get("tokenizer") or model_cfg.get("name_or_path")
    if not source:
        raise UserError("[model] needs `tokenizer` (a directory from `workbench tokenizer`) "
                        "or `name_or_path` (a hub name or a model directory)")
    return str(source)


# ---------------------------------------------------------------- models

def check_model_table(model_cfg: dict, table: str = "model") -> None:
    """A UserError naming `table`.KEY for a [model] table that cannot build a model: a missing
    or unknown key, or a value of the wrong type or range (else torch and transformers stop
    with a traceback, ZeroDivisionError or "negative dimension", after the data is loaded)."""
    def fail(key, what):
        raise UserError(f"{table}.{key} must be {what}, got {model_cfg[key]!r}")

    def number(value):
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    for key in ("tokenizer", "name_or_path"):
        if key in model_cfg and not isinstance(model_cfg[key], str):
            fail(key, "a string (a directory or a hub name)")
    if "dropout_rate" in model_cfg and not (number(model_cfg["dropout_rate"])
                                            and 0 <= model_cfg["dropout_rate"] < 1):
        fail("dropout_rate", "a number from 0 up to 1")
    if model_cfg.get("name_or_path"):
        return  # a pretrained model: its own config.json gives the rest
    missing = [k for k in ("d_model", "num_layers", "num_heads", "d_ff") if k not in model_cfg]
    if missing:
        raise UserError(f"[{table}] builds a T5 from scratch but lacks {', '.join(missing)} "
                        "(or give name_or_path)")
    unknown = sorted(set(model_cfg) - set(_T5_KEYS) - {"tokenizer", "name_or_path"})
    if unknown:
        raise UserError(f"[{table}] has unknown keys: {', '.join(unknown)} (known: {', '.join(_T5_KEYS)})")
    for key in _T5_SIZES:
        value = model_cfg.get(key, 1)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            fail(key, "a whole number of at least 1")
    if "d_kv" not in model_cfg and model_cfg["d_model"] < model_cfg["num_heads"]:
        fail("d_model", f"at least num_heads ({model_cfg['num_heads']}): d_kv = d_model / num_heads")
    if "layer_norm_epsilon" in model_cfg and not (number(model_cfg["layer_norm_epsilon"])
                                                  and 0 < model_cfg["layer_norm_epsilon"] < math.inf):
        fail("layer_norm_epsilon", "a finite number above 0")
    if "tie_word_embeddings" in model_cfg and not isinstance(model_cfg["tie_word_embeddings"], bool):
        fail("tie_word_embeddings", "true or false")
    if "feed_forward_proj" in model_cfg:
        from transformers.activations import ACT2FN

        value = model_cfg["feed_forward_proj"]  # an activation, gated or not (T5Config's rule)
        if not isinstance(value, str) or value.removeprefix("gated-") not in ACT2FN:
            fail("feed_forward_proj", "an activation (\"relu\", \"gelu\", \"gated-gelu\", ...)")


def t5_config(model_cfg: dict, vocab_size: int, pad_token_id: int = 0, eos_token_id: int = 1):
    """The T5Config for a from-scratch `[model]` table; the decoder starts from pad, as T5's."""
    from transformers import T5Config

    check_model_table(model_cfg)
    kwargs = {k: model_cfg[k] for k in _T5_KEYS if k in model_cfg}
    kwargs.setdefault("d_kv", model_cfg["d_model"] // model_cfg["num_heads"])
    kwargs.setdefault("num_decoder_layers", model_cfg["num_layers"])
    return T5Config(vocab_size=vocab_size, pad_token_id=pad_token_id, eos_token_id=eos_token_id,
                    decoder_start_token_id=pad_token_id, **kwargs)


def build_model(model_cfg: dict, tokenizer):
    """A seq2seq model: pretrained (`name_or_path`) or a T5 from scratch sized by `model_cfg`.

    A from-scratch T5 takes its vocabulary size and pad/eos ids from `tokenizer`.
    For a pretrained model, `dropout_rate` in `model_cfg` overrides the checkpoint's.
    """
    from transformers import AutoModelForSeq2SeqLM, T5ForConditionalGeneration

    name = model_cfg.get("name_or_path")
    if name:
        kwargs = {"dropout_rate": model_cfg["dropout_rate"]} if "dropout_rate" in model_cfg else {}
        model = _from_pretrained(AutoModelForSeq2SeqLM.from_pretrained, str(name), "model", **kwargs)
        check_vocab(model, tokenizer, str(name))
        return model
    if tokenizer.pad_token_id is None or tokenizer.eos_token_id is None:
        raise UserError("the tokenizer has no pad or eos token (train one with `workbench tokenizer`)")
    config = t5_config(model_cfg, len(tokenizer), tokenizer.pad_token_id, tokenizer.eos_token_id)
    return T5ForConditionalGeneration(config)


def is_model_dir(path) -> bool:
    """Whether `path` holds a model (its config, weights or assertgen.json), not just a tokenizer."""
    path = Path(path)
    return path.is_dir() and ((path / "config.json").exists() or (path / METADATA_FILE).exists()
                              or any(path.glob("*.safetensors")) or (path / CT2_DIR).exists())


def count_parameters(model) -> int:
    """Distinct parameters (tied embeddings counted once)."""
    return sum(p.numel() for p in model.parameters())


def save_model_dir(model, tokenizer, out_dir, metadata: dict | None = None) -> Path:
    """Write `model` and `tokenizer` (save_pretrained layout) and `assertgen.json`.

    The metadata gets `prompt_format_version` (the current one), `parameters`, and
    `max_input_tokens`/`max_target_tokens` (from the training settings, else defaults)
    unless given.
    """
    from assertgen.prompt import PROMPT_FORMAT_VERSION

    out = make_dir(out_dir)
    _drop_ct2_copy(out)
    # Whole files only: `workbench train` saves its best model here every time it improves,
    # and a run killed mid-save kept the earlier weights, not a cut-off file.
    with atomic_files(out) as tmp:
        with _no_hf_progress_bars():
            model.save_pretrained(tmp)
        save_tokenizer(tokenizer, tmp)
    meta = dict(metadata or {})
    meta.pop("export", None)  # it described the copy just removed
    meta["prompt_format_version"] = PROMPT_FORMAT_VERSION
    meta.setdefault("parameters", count_parameters(model))
    # The runtime truncates inputs as training did: `workbench train` records its limits
    # in "settings".
    settings = meta.get("settings") or {}
    meta.setdefault("max_input_tokens", settings.get("max_input_tokens", DEFAULT_MAX_INPUT_TOKENS))
    meta.setdefault("max_target_tokens", settings.get("max_target_tokens", DEFAULT_MAX_TARGET_TOKENS))
    atomic_write_json(out / METADATA_FILE, meta, sort_keys=True)
    return out


def _drop_ct2_copy(out: Path) -> None:
    """Remove OUT/ct2, the CTranslate2 copy of the weights about to be replaced: loaders
    prefer it, so a stale one was run, reported and shipped in place of the new weights
    (`workbench export` or `ship` makes a new one). Renamed first, so that an interrupted
    removal leaves no half copy that looks whole."""
    copy, old = out / CT2_DIR, out / f"{CT2_DIR}.old"
    if copy.is_dir():
        shutil.rmtree(old, ignore_errors=True)
        copy.rename(old)
    shutil.rmtree(old, ignore_errors=True)


def read_metadata(model_dir) -> dict:
    """`assertgen.json` of a model directory, refused when its prompt format is not ours."""
    return _runtime_read_metadata(Path(model_dir))


def write_metadata(model_dir, meta: dict) -> None:
    atomic_write_json(Path(model_dir) / METADATA_FILE, meta, sort_keys=True)


def load_model_dir(model_dir):
    """(model, tokenizer, metadata) from a directory written by `save_model_dir`."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    meta = read_metadata(model_dir)
    model_dir = Path(model_dir)
    if not has_pytorch_weights(model_dir):
        raise UserError("no PyTorch weights (config.json + model.safetensors) in the model directory",
                        str(model_dir))
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    except (OSError, ValueError) as err:
        raise UserError(f"cannot load the tokenizer: {err}", str(model_dir)) from None
    model = _from_pretrained(AutoModelForSeq2SeqLM.from_pretrained, str(model_dir), "model")
    check_vocab(model, tokenizer, str(model_dir))
    return model, tokenizer, meta
