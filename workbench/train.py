"""The trainer shared by `workbench train` (any model on gold labels) and `workbench distill`.

Data: each record becomes input ids (`assertgen.retrieval.model_inputs`: the prompt of
`assertgen.prompt.record_input`, with `[data] retrieval = true` followed by the assertions
of the nearest OTHER training record; fitted to `max_input_tokens` by
`assertgen.prompt.encode_inputs`, which cuts the focal method first) and gold labels
(`build_target(assertions)` + EOS, truncated to `max_target_tokens`), tokenized once. Batches are length-bucketed: each epoch a seeded
permutation is cut into chunks of `batch_size * bucket_chunk` records, each chunk is sorted
by length and cut into batches, and the batches are shuffled with the same seeded
generator; batches are padded to their own longest sequence only.

Optimisation: AdamW (weight decay), linear warm-up over `warmup_steps` optimizer steps,
then ReduceLROnPlateau on the validation metric `select_metric` (`valid_loss`, or a
`workbench.metrics` summary key such as `exact_match` or `f1` computed on greedy decodes
of the first `valid_generate` validation records), gradient accumulation, gradient
clipping, and mixed precision on CUDA (bf16, or fp16 with a GradScaler) and, when asked
(`[runtime] cpu_precision = "bf16"`), bf16 autocast on the CPU: 1.3-1.4x faster steps for the
CPU teacher on an AVX-512-BF16 EPYC (benchmarks/results/README.md); fp32 by default there,
since on CPUs without bf16 units it can be slower (not measured here).

Outputs under `--out DIR`: the best model by `select_metric` (`modeling.save_model_dir`,
metrics in its metadata) in DIR itself; DIR/training/ holds `checkpoint.pt`, `log.jsonl`
(one JSON object per logged step and per validation), `curves.png` and `done.json`.

Checkpoints (atomic) every `checkpoint_minutes` and after each epoch hold the model,
optimizer, both schedulers, the scaler, the python/numpy/torch RNG states and the data
position (epoch, batch index), all taken at an optimizer-step boundary; `--resume` restores
them, so a run killed and resumed ends with the same weights as one never killed
(tests/test_train.py checks this bit for bit); a resume with other data (file, --limit) or
data-order settings is refused. Ctrl-C or SIGTERM stops the loop at its next
optimizer step with such a checkpoint (`_StopAtNextStep`). A gold-label run, finished or not, resumed
with a larger `train.epochs` goes on to it, again with the weights of one run that long.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import random
import time
from collections.abc import Callable
from pathlib import Path

from assertgen.atomic import atomic_output, atomic_write, atomic_write_json, make_dir
from assertgen.errors import UserError

TRAIN_DEFAULTS = {
    # Names as in configs/*.toml; values from the study's Table 5 where it gives one.
    "learning_rate": 3e-5,
    "weight_decay": 0.01,
    "epochs": 10,
    "batch_size": 4,
    "grad_accum_steps": 1,
    "max_grad_norm": 1.0,
    "warmup_steps": 0,
    "lr_scheduler": "plateau",  # "plateau" (ReduceLROnPlateau) or "constant"
    "plateau_patience": 1,
    "plateau_factor": 0.5,
    "early_stop_patience": 0,  # epochs without improvement before stopping; 0 = never
    "select_metric": "valid_loss",
    "valid_generate": 200,  # validation records decoded per epoch (for generation metrics)
    "num_beams": 1,
    "max_input_tokens": 512,
    "max_target_tokens": 256,
    "bucket_chunk": 50,
    "checkpoint_minutes": 10.0,
    # Stop after the epoch during which training time (summed over resumes) passes this
    # many minutes; 0 = no limit. For leases with a deadline (a Colab session, a lent GPU).
    "time_budget_minutes": 0.0,
    "log_every": 10,
    # Retrieval-augmented runs only: epochs on the copy task first (target = the retrieved
    # assertions the input already holds), then the gold task. From scratch, a model learns
    # to copy from its input only slowly, and the retrieved assertions alone are the baseline.
    "copy_warmup_epochs": 0,
    "seed": 42,
    "eval_batch_size": 32,
}
# Settings that decide the data order and step count: a resumed run must keep them.
_RESUME_FIXED = ("batch_size", "grad_accum_steps", "seed", "bucket_chunk", "epochs")
# [runtime]: mixed precision on CUDA, autocast on the CPU, torch.compile, the default --device.
RUNTIME_DEFAULTS = {"precision": "bf16", "cpu_precision": "fp32", "compile": False, "device": "cpu"}
_PRECISIONS = ("bf16", "fp16", "fp32")
_CPU_PRECISIONS = ("bf16", "fp32")


DATA_KEYS = ("train", "valid", "retrieval", "retrieval_other_files", "abstraction")


def data_settings(cfg: dict) -> dict:
    """The config's [data] table (unknown keys are an error): `train`, `valid` (records files),
    `retrieval` (bool, default false: retrieval augmentation, see `assertgen.retrieval`),
    `retrieval_other_files` (bool, default false: each record's neighbour from another test
    file than its own, as the held-out classes of test-inproject find theirs) and
    `abstraction` (bool, default false: identifier abstraction, see `assertgen.abstraction`)."""
    given = dict(cfg.get("data", {}))
    unknown = sorted(set(given) - set(DATA_KEYS))
    if unknown:
        raise UserError(f"unknown [data] setting(s): {', '.join(unknown)}; known: {', '.join(DATA_KEYS)}")
    for flag in ("retrieval", "retrieval_other_files", "abstraction"):
        if not isinstance(given.get(flag, False), bool):
            raise UserError(f"data.{flag} must be true or false")
    return given


def abstraction_setup(cfg: dict, train_records: list[dict]):
    """The run's Abstraction (idioms fitted on its training records) when the config turns
    abstraction on, else None; its `metadata()` goes into the model's metadata."""
    from assertgen.abstraction import Abstraction, fit_idioms

    if not data_settings(cfg).get("abstraction", False):
        return None
    return Abstraction(fit_idioms(train_records))


def retrieval_setup(cfg: dict, corpus_records: list[dict], corpus: str):
    """(metadata entry, fitted Retriever) when the config turns retrieval on, else (None, None).

    The corpus is the run's own training records; `model_inputs` then gives each training
    record its nearest other training record and each validation record its nearest one."""
    from assertgen.retrieval import Retriever, retrieval_metadata

    settings = data_settings(cfg)
    if not settings.get("retrieval", False):
        if settings.get("retrieval_other_files", False):
            raise UserError("data.retrieval_other_files needs data.retrieval = true")
        return None, None
    return (retrieval_metadata(corpus, len(corpus_records), settings.get("retrieval_other_files", False)),
            Retriever().fit(corpus_records))


def release_freed_memory() -> None:
    """Hand memory freed by the CPU step back to the system (glibc's malloc_trim; a no-op
    elsewhere). Length-bucketed batches allocate tensors of ever new sizes, and glibc keeps
    the freed pieces: the main student's step grew from 2.7 to 4.7 GB over 400 steps, and a
    real run to 7.9 GB after 1.3 epochs; trimmed every 10 steps it stayed at 1.3 GB
    (benchmarks/results/README.md, "CPU training memory"). The trainer calls it at every
    log row (`train.log_every` steps)."""
    import ctypes
    import ctypes.util

    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _libc.malloc_trim  # not glibc (musl, macOS): nothing to call
        except (OSError, AttributeError):
            _libc = False
    if _libc:
        _libc.malloc_trim(0)


_libc = None


def _kind_error(value, default) -> str | None:
    """What `value` must be to replace `default` (a setting's type is its default's), or None
    when it fits: a whole number for an int, any number for a float, true/false, a string."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(default, int):
        return None if isinstance(value, int) and not isinstance(value, bool) else "a whole number"
    if isinstance(default, float):
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else "a number"
    if isinstance(default, str):
        return None if isinstance(value, str) else "a string"
    return None


def table_settings(cfg: dict, table: str, defaults: dict) -> dict:
    """`defaults` updated with the config's [table] (unknown keys, and values of another
    type than the default's, are an error)."""
    given = dict(cfg.get(table, {}))
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise UserError(f"unknown [{table}] setting(s): {', '.join(unknown)}; "
                        f"known: {', '.join(defaults)}")
    for key, value in given.items():
        kind = _kind_error(value, defaults[key])
        if kind:
            raise UserError(f"{table}.{key} must be {kind}, got {value!r}")
    return {**defaults, **given}


# The tables a train/distill/pretrain config may have (anything else is a typo).
CONFIG_TABLES = ("model", "student", "data", "train", "distill", "pretrain", "runtime")
# [train] settings that count something (at least 1) or must not be negative.
_AT_LEAST_ONE = ("epochs", "batch_size", "grad_accum_steps", "num_beams", "max_input_tokens",
                 "max_target_tokens", "log_every", "eval_batch_size")
_NOT_NEGATIVE = ("weight_decay", "max_grad_norm", "warmup_steps", "plateau_patience",
                 "early_stop_patience", "valid_generate", "bucket_chunk", "checkpoint_minutes",
                 "time_budget_minutes", "copy_warmup_epochs", "seed")


# What `select_metric` may name: the validation loss, or a `workbench.metrics` summary key
# of the greedy decodes (without CodeBLEU, which validation does not compute).
_SELECT_METRICS = ("valid_loss", "exact_match", "exact_match_lenient", "f1", "precision", "recall",
                   "token_accuracy", "ast_validity", "similarity")
MAX_SEED = 2**32 - 1  # numpy's limit (np.random.seed)


def _check_ranges(settings: dict) -> None:
    for key, value in settings.items():  # inf and nan pass every comparison below (nan) or train to nan
        if isinstance(value, float) and not math.isfinite(value):
            raise UserError(f"train.{key} must be a finite number, got {value!r}")
    for key in _AT_LEAST_ONE:
        if settings[key] < 1:
            raise UserError(f"train.{key} must be at least 1, got {settings[key]!r}")
    for key in _NOT_NEGATIVE:
        if settings[key] < 0:
            raise UserError(f"train.{key} must not be negative, got {settings[key]!r}")
    if not settings["learning_rate"] > 0:
        raise UserError(f"train.learning_rate must be above 0, got {settings['learning_rate']!r}")
    if not 0 < settings["plateau_factor"] < 1:
        raise UserError(f"train.plateau_factor must be between 0 and 1, got {settings['plateau_factor']!r}")
    if settings["seed"] > MAX_SEED:
        raise UserError(f"train.seed must be at most {MAX_SEED}, got {settings['seed']!r}")
    metric = settings["select_metric"]  # found now, not after the first epoch
    if metric not in _SELECT_METRICS:
        raise UserError(f"train.select_metric must be one of {', '.join(_SELECT_METRICS)}, got {metric!r}")
    if metric != "valid_loss" and not settings["valid_generate"]:
        raise UserError(f"train.select_metric {metric!r} is measured on decodes: set "
                        "train.valid_generate above 0, or select on valid_loss")


def train_settings(cfg: dict) -> dict:
    """TRAIN_DEFAULTS updated with the config's [train] table (unknown keys are an error),
    plus `precision`, `cpu_precision` and `compile` from [runtime] (mixed precision on CUDA,
    default bf16; on the CPU, default fp32; torch.compile of the training step, default off).
    A table other than CONFIG_TABLES, and a value out of its range, are errors too."""
    unknown = sorted(set(cfg) - set(CONFIG_TABLES))
    if unknown:
        raise UserError(f"unknown config table(s): {', '.join(unknown)}; known: {', '.join(CONFIG_TABLES)}")
    for table in CONFIG_TABLES:
        if not isinstance(cfg.get(table, {}), dict):
            raise UserError(f"`{table}` must be a table ([{table}])")
    settings = table_settings(cfg, "train", TRAIN_DEFAULTS)
    _check_ranges(settings)
    runtime = table_settings(cfg, "runtime", RUNTIME_DEFAULTS)  # a misspelt key is an error too
    if runtime["precision"] not in _PRECISIONS:
        raise UserError(f"runtime.precision must be one of {', '.join(_PRECISIONS)}")
    if runtime["cpu_precision"] not in _CPU_PRECISIONS:
        raise UserError(f"runtime.cpu_precision must be one of {', '.join(_CPU_PRECISIONS)}")
    settings.update(precision=runtime["precision"], cpu_precision=runtime["cpu_precision"],
                    compile=runtime["compile"])
    if settings["lr_scheduler"] not in ("plateau", "constant"):
        raise UserError("train.lr_scheduler must be 'plateau' or 'constant'")
    return settings


# --------------------------------------------------------------------------- data

def encode_target(tokenizer, text: str, max_len: int) -> list[int]:
    """Target token ids: the text without the tokenizer's own specials, then EOS."""
    ids = tokenizer(text, add_special_tokens=False)["input_ids"][: max_len - 1]
    return ids + [tokenizer.eos_token_id]


def encode_input_texts(tokenizer, texts, max_len: int) -> list[list[int]]:
    """Input ids of model input texts with a transformers tokenizer (`assertgen.prompt.encode_inputs`)."""
    from assertgen.prompt import encode_inputs

    return encode_inputs(list(texts), lambda batch, special: tokenizer(
        batch, add_special_tokens=special)["input_ids"], max_len)


def encode_records(records: list[dict], tokenizer, max_source_len: int,
                   max_target_len: int, inputs: list[str] | None = None,
                   abstraction=None) -> list[dict]:
    """One example per record: id, input_ids, labels (gold).

    `inputs`: the model input texts (`assertgen.retrieval.model_inputs`); default the plain
    `record_input` of each record. With an `abstraction` (`assertgen.abstraction`) both
    sides are abstracted, the target in the names of its input."""
    from assertgen.abstraction import abstract_examples
    from assertgen.prompt import build_target, record_input

    if tokenizer.eos_token_id is None or tokenizer.pad_token_id is None:
        raise UserError("the tokenizer needs an EOS and a PAD token")
    if inputs is None:
        inputs = [record_input(r) for r in records]
    inputs, targets, _ = abstract_examples(abstraction, inputs,
                                           [build_target(r["assertions"]) for r in records])
    inputs = encode_input_texts(tokenizer, inputs, max_source_len)
    return [{"id": r["id"], "input_ids": ids, "labels": encode_target(tokenizer, target, max_target_len)}
            for r, ids, target in zip(records, inputs, targets)]


def epoch_batches(lengths: list[int], batch_size: int, seed: int, epoch: int,
                  chunk: int = 50) -> list[list[int]]:
    """Length-bucketed batches of example indices for one epoch (deterministic in seed, epoch)."""
    import torch

    g = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    perm = torch.randperm(len(lengths), generator=g).tolist()
    span = batch_size * max(1, chunk)
    batches = []
    for start in range(0, len(perm), span):
        part = sorted(perm[start:start + span], key=lambda i: lengths[i])
        batches += [part[j:j + batch_size] for j in range(0, len(part), batch_size)]
    order = torch.randperm(len(batches), generator=g).tolist()
    return [batches[i] for i in order]


def _pad(seqs, value, dtype):
    import torch

    width = max(len(s) for s in seqs)
    out = torch.full((len(seqs), width), value, dtype=dtype)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.as_tensor(s, dtype=dtype)
    return out


def collate(examples: list[dict], pad_id: int) -> dict:
    """Pad a batch to its own longest sequence; labels are -100 at padding.

    Distillation examples also carry teacher_labels with topk_ids/topk_logprobs [T, k]
    aligned to them, and optionally pred_labels.
    """
    import torch

    batch = {"input_ids": _pad([e["input_ids"] for e in examples], pad_id, torch.long)}
    batch["attention_mask"] = torch.zeros_like(batch["input_ids"])
    for i, e in enumerate(examples):
        batch["attention_mask"][i, : len(e["input_ids"])] = 1
    batch["labels"] = _pad([e["labels"] for e in examples], -100, torch.long)
    for key in ("teacher_labels", "pred_labels"):
        if key in examples[0]:
            batch[key] = _pad([e[key] for e in examples], -100, torch.long)
    if "topk_ids" in examples[0]:
        width = batch["teacher_labels"].shape[1]
        k = examples[0]["topk_ids"].shape[1]
        ids = torch.zeros((len(examples), width, k), dtype=torch.long)
        logprobs = torch.zeros((len(examples), width, k), dtype=torch.float32)
        mask = torch.zeros((len(examples), width), dtype=torch.bool)
        for i, e in enumerate(examples):
            n = e["topk_ids"].shape[0]
            ids[i, :n], logprobs[i, :n], mask[i, :n] = e["topk_ids"], e["topk_logprobs"], True
        batch.update(topk_ids=ids, topk_logprobs=logprobs, topk_mask=mask)
    return batch


# --------------------------------------------------------------------------- generation

def generate_ids(model, tokenizer, inputs: list[str], *, device="cpu", batch_size: int = 16,
                 max_source_len: int = 512, max_new_tokens: int = 128, num_beams: int = 1,
                 progress: Callable[[int], None] | None = None) -> list[list[int]]:
    """Greedy/beam decodes of `inputs` in input order: token ids after the decoder start,
    up to and including EOS (what the model would be teacher-forced on)."""
    import torch

    model.eval()
    enc = encode_input_texts(tokenizer, inputs, max_source_len)
    order = sorted(range(len(enc)), key=lambda i: len(enc[i]))  # less padding per batch
    out: list[list[int] | None] = [None] * len(enc)
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        input_ids = _pad([enc[i] for i in idx], tokenizer.pad_token_id, torch.long)
        mask = torch.zeros_like(input_ids)
        for row, i in enumerate(idx):
            mask[row, : len(enc[i])] = 1
        with torch.no_grad():
            gen = model.generate(input_ids=input_ids.to(device), attention_mask=mask.to(device),
                                 max_new_tokens=max_new_tokens, num_beams=num_beams,
                                 do_sample=False, early_stopping=num_beams > 1)
        for row, i in enumerate(idx):
            seq = gen[row, 1:].tolist()  # drop the decoder start token
            if tokenizer.eos_token_id in seq:
                seq = seq[: seq.index(tokenizer.eos_token_id) + 1]
            else:
                seq = [t for t in seq if t != tokenizer.pad_token_id]
            out[i] = seq
        if progress:
            progress(len(idx))
    return out  # type: ignore[return-value]


def predict_assertions(model, tokenizer, records: list[dict], inputs: list[str] | None = None,
                       abstraction=None, **kwargs) -> list[list[str]]:
    """Parsed assertion predictions (`parse_output`) for records, in order; `inputs` are
    their model input texts (default: plain `record_input`); with an `abstraction` the
    model sees them abstracted and its outputs are mapped back."""
    from assertgen.abstraction import Abstraction, abstract_inputs
    from assertgen.prompt import parse_output, record_input

    if inputs is None:
        inputs = [record_input(r) for r in records]
    model_texts, names = abstract_inputs(abstraction, list(inputs))
    ids = generate_ids(model, tokenizer, model_texts, **kwargs)
    return [parse_output(Abstraction.concrete(text, n))
            for text, n in zip(tokenizer.batch_decode(ids, skip_special_tokens=True), names)]


# --------------------------------------------------------------------------- trainer

def gold_loss(model, batch, epoch: int, epochs: int):
    """The `workbench train` loss: per-example mean token CE on gold, averaged."""
    from workbench.losses import LossWeights, composite_loss

    return composite_loss(model, batch, LossWeights(gold=1.0), temperature=1.0)


def _atomic_save(obj, path: Path) -> None:
    import torch

    with atomic_output(path) as tmp:
        torch.save(obj, tmp)


def input_metadata(metadata: dict) -> dict:
    """The parts of a model's metadata that shape its inputs (retrieval, abstraction): a model
    made from a checkpoint needs them to be fed as it was trained."""
    from assertgen.abstraction import METADATA_KEY as abstraction_key
    from assertgen.retrieval import METADATA_KEY as retrieval_key

    return {key: metadata[key] for key in (retrieval_key, abstraction_key) if key in metadata}


class _StopAtNextStep:
    """Ctrl-C or SIGTERM (a shell's `kill`, a session's end) asks the training loop to stop at
    its next optimizer step and checkpoint there, so that nothing since the last periodic
    checkpoint is lost and `--resume` goes on exactly; a second Ctrl-C stops at once."""

    requested = False

    def __enter__(self):
        import signal
        import threading

        self._previous = {}
        if threading.current_thread() is threading.main_thread():  # signal handlers live there only
            for sig in (signal.SIGINT, signal.SIGTERM):
                if signal.getsignal(sig) is not signal.SIG_IGN:  # a background job ignores Ctrl-C: it still does
                    self._previous[sig] = signal.signal(sig, self._request)
        return self

    def _request(self, signum, frame):
        import signal

        if self.requested and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc):
        import signal

        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        return False


class Trainer:
    """Runs the loop described in the module docstring.

    loss_fn(model, batch, epoch, epochs) -> (loss tensor, parts dict of detached 0-dim tensors).
    save_fn(model, out_dir, metadata) saves the best model (modeling.save_model_dir).
    valid_inputs: the model input texts of valid_records (default: plain `record_input`).
    """

    def __init__(self, model, tokenizer, train_examples: list[dict], valid_examples: list[dict],
                 valid_records: list[dict], settings: dict, out_dir, *, loss_fn=gold_loss,
                 save_fn=None, device: str = "cpu", metadata: dict | None = None,
                 show_progress: bool = True, valid_inputs: list[str] | None = None):
        if not train_examples:
            raise UserError("no training examples")
        self.model, self.tokenizer = model, tokenizer
        self.train_examples, self.valid_examples = train_examples, valid_examples
        self.valid_records = valid_records
        self.valid_inputs = valid_inputs
        self.s = settings
        self.out = Path(out_dir)
        self.dir = self.out / "training"
        self.ckpt_path = self.dir / "checkpoint.pt"
        self.log_path = self.dir / "log.jsonl"
        self.loss_fn, self.save_fn = loss_fn, save_fn
        self.device = device
        self.metadata = metadata or {}
        self.show_progress = show_progress
        self.lengths = [len(e["input_ids"]) + len(e["labels"]) for e in train_examples]
        self.minimize = settings["select_metric"] == "valid_loss"
        self._setup()

    # ---- setup
    def _setup(self):
        import torch

        s = self.s
        check_device(self.device)
        self.model.to(self.device)
        decay, no_decay = [], []
        for name, p in self.model.named_parameters():
            (no_decay if p.ndim < 2 or "norm" in name.lower() else decay).append(p)
        self.optimizer = torch.optim.AdamW(
            [{"params": decay, "weight_decay": s["weight_decay"]},
             {"params": no_decay, "weight_decay": 0.0}], lr=s["learning_rate"])
        warm = max(0, int(s["warmup_steps"]))
        self.warmup = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lambda step: min(1.0, (step + 1) / warm) if warm else 1.0)
        self.plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(
            self.optimizer, mode="min" if self.minimize else "max",
            patience=s["plateau_patience"], factor=s["plateau_factor"])
        self.amp_dtype = None
        if self.device.startswith("cuda") and s["precision"] != "fp32":
            bf16 = s["precision"] == "bf16" and torch.cuda.is_bf16_supported()
            self.amp_dtype = torch.bfloat16 if bf16 else torch.float16
        elif self.device == "cpu" and s["cpu_precision"] == "bf16":
            self.amp_dtype = torch.bfloat16
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp_dtype == torch.float16)
        # The training step may run compiled (`[runtime] compile = true`: fewer, fused kernels
        # for a launch-bound GPU step; dynamic shapes, as batches are padded to their own
        # length); checkpoints, validation and saving use the plain module it wraps.
        self.step_model = torch.compile(self.model, dynamic=True) if s["compile"] else self.model
        self.state = {"epoch": 0, "batch": 0, "step": 0, "best": None, "best_epoch": None,
                      "examples": 0, "stale_epochs": 0, "train_seconds": 0.0, "stopped": None}
        self._clock = time.monotonic()

    def _tick(self):
        """Add the time since the last tick to state["train_seconds"] (kept in checkpoints)."""
        now = time.monotonic()
        self.state["train_seconds"] = self.state.get("train_seconds", 0.0) + now - self._clock
        self._clock = now

    def _autocast(self):
        import contextlib

        import torch

        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.split(":")[0], dtype=self.amp_dtype)

    def _to_device(self, batch):
        return {k: v.to(self.device) for k, v in batch.items()}

    # ---- checkpoints
    def save_checkpoint(self):
        import numpy as np
        import torch

        rng = {"python": random.getstate(), "numpy": np.random.get_state(),
               "torch": torch.get_rng_state()}
        if torch.cuda.is_available():
            rng["cuda"] = torch.cuda.get_rng_state_all()
        make_dir(self.dir)
        self._tick()
        _atomic_save({"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                      "warmup": self.warmup.state_dict(), "plateau": self.plateau.state_dict(),
                      "scaler": self.scaler.state_dict(), "rng": rng, "state": dict(self.state),
                      "settings": dict(self.s), "data": self.metadata.get("data"),
                      "inputs": input_metadata(self.metadata)}, self.ckpt_path)
        self._last_ckpt = time.monotonic()

    def load_checkpoint(self):
        import numpy as np
        import torch

        if not self.ckpt_path.exists():
            raise UserError("nothing to resume: no checkpoint", str(self.ckpt_path))
        try:
            ck = torch.load(self.ckpt_path, map_location=self.device, weights_only=False)
        except (pickle.UnpicklingError, RuntimeError, EOFError, OSError, ValueError) as err:
            raise UserError(f"cannot read the checkpoint: {err}", str(self.ckpt_path)) from None
        # The gold loss ignores the number of epochs (distillation's temperature schedule
        # does not), so a gold run may be extended: resumed with more epochs than it had.
        extendable = self.loss_fn is gold_loss and self.s["epochs"] > ck["settings"].get("epochs", 0)
        changed = [f"{k} (checkpoint {ck['settings'].get(k)}, now {self.s[k]})"
                   for k in _RESUME_FIXED if ck["settings"].get(k) != self.s[k]
                   and not (k == "epochs" and extendable)]
        # Other records (another file, --limit) would continue the data order of the ones the
        # run began with, and the model's metadata would name only the new ones.
        data, before = self.metadata.get("data") or {}, ck.get("data")
        if before is not None:  # checkpoints written before it was kept say nothing
            changed += [f"data {k} (checkpoint {before.get(k)!r}, now {data.get(k)!r})"
                        for k in sorted(set(before) | set(data)) if before.get(k) != data.get(k)]
        if changed:
            raise UserError("cannot resume with a changed " + ", ".join(changed),
                            str(self.ckpt_path))
        try:
            self.model.load_state_dict(ck["model"])
        except RuntimeError:  # its shapes or names differ: another [model] than the run had
            raise UserError("the checkpoint's model differs from the config's [model] (changed since "
                            "the run began?)", str(self.ckpt_path)) from None
        self.optimizer.load_state_dict(ck["optimizer"])
        self.warmup.load_state_dict(ck["warmup"])
        self.plateau.load_state_dict(ck["plateau"])
        self.scaler.load_state_dict(ck["scaler"])
        random.setstate(ck["rng"]["python"])
        np.random.set_state(ck["rng"]["numpy"])
        torch.set_rng_state(ck["rng"]["torch"].cpu())
        if "cuda" in ck["rng"] and torch.cuda.is_available():
            torch.cuda.set_rng_state_all([t.cpu() for t in ck["rng"]["cuda"]])
        self.state = ck["state"]
        if extendable and self.state.get("stopped"):  # stopped early before: go on from there
            self.state["epoch"], self.state["stopped"] = self.state["epochs_done"], None
        # Drop log lines written after the checkpoint (work the kill threw away).
        if self.log_path.exists():
            kept = [line for line, row in self._log_rows() if row.get("step", 0) <= self.state["step"]]
            atomic_write(self.log_path, "".join(line + "\n" for line in kept).encode("utf-8"))

    def _log_rows(self) -> list[tuple[str, dict]]:
        """(line, row) of each line of log.jsonl. A cut-off last line (a kill while appending it)
        is dropped and said so; any other line that is not a JSON object is a UserError."""
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        rows = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                row = None
            if isinstance(row, dict):
                rows.append((line, row))
            elif number == len(lines):
                from rich.console import Console

                Console(stderr=True).print(f"{self.log_path}:{number}: dropped a cut-off last line "
                                           "(written when the run was killed)", highlight=False,
                                           soft_wrap=True)
            else:
                raise UserError("not a JSON object: the log is damaged (remove the line to resume)",
                                str(self.log_path), number)
        return rows

    # ---- logging
    def _log(self, row: dict):
        make_dir(self.dir)
        with open(self.log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")

    # ---- validation
    def validate(self) -> dict:
        import torch

        from workbench.losses import token_ce

        self.model.eval()
        total, count = 0.0, 0
        bs = self.s["eval_batch_size"]
        with torch.no_grad():
            for start in range(0, len(self.valid_examples), bs):
                batch = self._to_device(collate(self.valid_examples[start:start + bs],
                                                self.tokenizer.pad_token_id))
                dec = self.model.prepare_decoder_input_ids_from_labels(labels=batch["labels"])
                with self._autocast():
                    logits = self.model(input_ids=batch["input_ids"],
                                        attention_mask=batch["attention_mask"],
                                        decoder_input_ids=dec).logits
                ce = token_ce(logits, batch["labels"])
                total += float(ce.sum())
                count += ce.shape[0]
        result = {"valid_loss": total / max(count, 1)}
        n_gen = min(int(self.s["valid_generate"]), len(self.valid_records))
        if n_gen:
            from assertgen.abstraction import abstraction_of
            from workbench.metrics import compute_metrics

            records = self.valid_records[:n_gen]
            inputs = self.valid_inputs[:n_gen] if self.valid_inputs is not None else None
            preds = predict_assertions(self.model, self.tokenizer, records, inputs,
                                       abstraction_of(self.metadata), device=self.device,
                                       batch_size=bs, max_source_len=self.s["max_input_tokens"],
                                       max_new_tokens=self.s["max_target_tokens"],
                                       num_beams=self.s["num_beams"])
            summary, _ = compute_metrics(preds, [r["assertions"] for r in records],
                                         with_codebleu=False)
            result.update({k: v for k, v in summary.items() if isinstance(v, (int, float))})
        self.model.train()
        if self.s["select_metric"] not in result:
            raise UserError(f"select_metric {self.s['select_metric']!r} is not measured "
                            f"(measured: {', '.join(result)}); set valid_generate > 0 for "
                            "generation metrics")
        return result

    def _is_better(self, value: float) -> bool:
        best = self.state["best"]
        return best is None or (value < best if self.minimize else value > best)

    # ---- the loop
    def run(self, resume: bool = False, max_steps: int | None = None) -> dict:
        """Train to the end (or until `max_steps` optimizer steps, then checkpoint and stop).

        Returns {"finished": bool, "step", "best", "best_epoch"}.
        """
        import torch
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        console = Console(stderr=True, markup=False)  # paths in its lines (`out [x]`) are text
        s = self.s
        window: list[dict] = []  # loss parts (device tensors) not yet read back
        if resume:
            self.load_checkpoint()
            console.print(f"resumed at epoch {self.state['epoch'] + 1}, batch {self.state['batch']}, "
                          f"step {self.state['step']}")
            window = [{k: torch.tensor(v, device=self.device) for k, v in parts.items()}
                      for parts in self.state.pop("pending", [])]
        else:
            torch.manual_seed(s["seed"])
            random.seed(s["seed"])
            import numpy as np
            np.random.seed(s["seed"])
            if self.log_path.exists():
                self.log_path.unlink()
        self._last_ckpt = self._clock = time.monotonic()
        epochs, accum = int(s["epochs"]), int(s["grad_accum_steps"])
        self.model.train()
        t0, seen0 = time.monotonic(), 0
        progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("loss {task.fields[loss]:.4f}"),
                            TextColumn("{task.fields[rate]:.1f} ex/s"), TimeElapsedColumn(),
                            TimeRemainingColumn(), console=console,
                            disable=not self.show_progress)
        with progress, _StopAtNextStep() as stop:
            while self.state["epoch"] < epochs:
                epoch = self.state["epoch"]
                batches = epoch_batches(self.lengths, s["batch_size"], s["seed"], epoch,
                                        s["bucket_chunk"])
                task = progress.add_task(f"epoch {epoch + 1}/{epochs}", total=len(batches),
                                         completed=self.state["batch"], loss=float("nan"), rate=0.0)
                for bi in range(self.state["batch"], len(batches)):
                    window.append(self.forward_backward(batches[bi], epoch, epochs, 1 / accum))
                    seen0 += len(batches[bi])
                    self.state["examples"] += len(batches[bi])
                    rate = seen0 / max(time.monotonic() - t0, 1e-9)
                    progress.update(task, advance=1, rate=rate)
                    if (bi + 1) % accum and bi + 1 < len(batches):
                        continue
                    self.optimizer_step()
                    self.state["batch"] = bi + 1
                    step = self.state["step"]
                    if step % s["log_every"] == 0:
                        if self.device == "cpu":
                            release_freed_memory()
                        means = self._read_back(window, epoch, bi)
                        progress.update(task, loss=means["loss"])
                        self._log({"type": "train", "step": step, "epoch": epoch + 1,
                                   "batch": bi + 1, "lr": self.optimizer.param_groups[0]["lr"],
                                   "examples_per_s": rate, **means})
                    if stop.requested:
                        self._checkpoint_mid_epoch(window, epoch, bi)
                        console.print(f"interrupted after step {step}: checkpoint saved; continue with --resume")
                        raise KeyboardInterrupt
                    if max_steps is not None and step >= max_steps:
                        self._checkpoint_mid_epoch(window, epoch, bi)
                        console.print(f"stopped after {step} steps (--max-steps); "
                                      f"continue with --resume")
                        return {"finished": False, "step": step, "best": self.state["best"],
                                "best_epoch": self.state["best_epoch"]}
                    if time.monotonic() - self._last_ckpt > 60 * float(s["checkpoint_minutes"]):
                        self._checkpoint_mid_epoch(window, epoch, bi)
                self._read_back(window, epoch, len(batches) - 1)
                progress.remove_task(task)
                self._end_epoch(epoch, console)
        self._finish(console)
        return {"finished": True, "step": self.state["step"], "best": self.state["best"],
                "best_epoch": self.state["best_epoch"]}

    def _checkpoint_mid_epoch(self, window: list[dict], epoch: int, batch_index: int) -> None:
        """Checkpoint between log rows. The loss parts not logged yet are checked (never
        checkpoint weights a NaN reached) and saved with it, and stay in `window`: emptied
        here, the next log row averaged fewer batches, so the log and curves of a run
        depended on when its checkpoints fell, and a resumed run's on where it was killed."""
        self._read_back(list(window), epoch, batch_index)  # a copy: the window stays
        self.state["pending"] = [{k: float(v) for k, v in parts.items()} for parts in window]
        try:
            self.save_checkpoint()
        finally:
            del self.state["pending"]

    @staticmethod
    def _read_back(window: list[dict], epoch: int, batch_index: int) -> dict:
        """Means of the loss parts of the batches in `window` (emptied) as floats. The one
        host sync of the loop, once per log row: per batch it would stall a GPU's queue."""
        import torch

        if not window:
            return {}
        means = {k: float(torch.stack([p[k].float() for p in window]).mean()) for k in window[0]}
        window.clear()
        if not math.isfinite(means["loss"]):
            # A diverged run is fixed by its settings, so say which (no traceback); the last
            # checkpoint before the divergence stays, as does the best model saved so far.
            raise UserError(f"training diverged: non-finite loss in epoch {epoch + 1} at or before "
                            f"batch {batch_index + 1} ({means}); lower train.learning_rate, or "
                            f"try runtime.precision = \"fp32\" on a GPU")
        return means

    def forward_backward(self, indices: list[int], epoch: int, epochs: int, scale: float = 1.0,
                         mark=None) -> dict:
        """Forward, loss and backward of the training examples at `indices` (gradients
        accumulate, times `scale`); the loss parts as detached device tensors. `mark(phase)`,
        when given, is called after "data", "forward_loss" and "backward" (profile_step.py)."""
        mark = mark or (lambda phase: None)
        batch = self._to_device(collate([self.train_examples[i] for i in indices],
                                        self.tokenizer.pad_token_id))
        mark("data")
        with self._autocast():
            loss, parts = self.loss_fn(self.step_model, batch, epoch, epochs)
        mark("forward_loss")
        self.scaler.scale(loss * scale).backward()
        mark("backward")
        return parts

    def optimizer_step(self):
        """Unscale, clip, step, zero the gradients; count the step and warm the rate up."""
        import torch

        self.scaler.unscale_(self.optimizer)
        if self.s["max_grad_norm"]:
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.s["max_grad_norm"])
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.optimizer.zero_grad(set_to_none=True)
        self.state["step"] += 1
        if self.state["step"] < int(self.s["warmup_steps"]):
            self.warmup.step()  # afterwards only the plateau scheduler changes the rate

    def _end_epoch(self, epoch: int, console):
        metrics = self.validate()
        value = metrics[self.s["select_metric"]]
        if self.s["lr_scheduler"] == "plateau" and self.state["step"] >= int(self.s["warmup_steps"]):
            self.plateau.step(value)  # plateau counting starts after warm-up
        # A NaN compares false with everything: as the first value it became "best", and the
        # model saved then (NaN weights, as a rule) was never replaced.
        improved = math.isfinite(value) and self._is_better(value)
        self.state["stale_epochs"] = 0 if improved else self.state["stale_epochs"] + 1
        if improved:
            self.state["best"], self.state["best_epoch"] = value, epoch + 1
            if self.save_fn is not None:
                meta = {**self.metadata, "training": {
                    "epoch": epoch + 1, "step": self.state["step"],
                    "select_metric": self.s["select_metric"], "settings": self.s},
                    "metrics": {"valid": metrics}}
                self.save_fn(self.model, self.out, meta)
        self._log({"type": "valid", "step": self.state["step"], "epoch": epoch + 1,
                   "lr": self.optimizer.param_groups[0]["lr"], "best": improved, **metrics})
        shown = ", ".join(f"{k} {v:.4f}" for k, v in metrics.items()
                          if k in ("valid_loss", "exact_match", "f1", "ast_validity"))
        console.print(f"epoch {epoch + 1}: {shown}" + (" (best)" if improved else "")
                      + ("" if math.isfinite(value) else f" ({self.s['select_metric']} not finite: not saved)"))
        self.state["epoch"], self.state["batch"] = epoch + 1, 0
        patience = int(self.s["early_stop_patience"])
        budget = float(self.s["time_budget_minutes"])
        self._tick()
        self.state["epochs_done"] = epoch + 1
        if patience and self.state["stale_epochs"] >= patience:
            console.print(f"early stop: no improvement for {patience} epochs")
            self.state["epoch"], self.state["stopped"] = int(self.s["epochs"]), "early_stop"
        elif budget and self.state["train_seconds"] >= 60 * budget and epoch + 1 < int(self.s["epochs"]):
            console.print(f"time budget of {budget:g} min reached after epoch {epoch + 1}")
            self.state["epoch"], self.state["stopped"] = int(self.s["epochs"]), "time_budget"
        self.save_checkpoint()

    def _finish(self, console):
        from workbench.plots import training_curves

        training_curves(self.log_path, self.dir / "curves.png")
        done = {"step": self.state["step"], "best": self.state["best"],
                "best_epoch": self.state["best_epoch"], "select_metric": self.s["select_metric"],
                "examples": self.state["examples"], "epochs": int(self.s["epochs"]),
                "epochs_run": self.state.get("epochs_done"),
                "stopped": self.state.get("stopped"),
                "train_seconds": round(self.state.get("train_seconds", 0.0), 1)}
        atomic_write_json(self.dir / "done.json", done)  # cut off, it ended every later --resume
        if self.state["best"] is None:  # every epoch's value was NaN
            console.print(f"done: no epoch had a finite {self.s['select_metric']}, no model saved; "
                          f"log and curves in {self.dir}")
            return
        console.print(f"done: best {self.s['select_metric']} {self.state['best']:.4f} at epoch "
                      f"{self.state['best_epoch']}; model in {self.out}, log and curves in {self.dir}")


def copy_warmup(model, tokenizer, train, valid, corpus, settings: dict, args, metadata: dict) -> None:
    """`copy_warmup_epochs` epochs on the copy task in OUT/copy-warmup (its own checkpoints,
    log and curves; resumable), leaving its last weights in `model` for the gold task.

    `train` and `valid` are (records, model inputs, corpus index of each record's neighbour):
    the target is the neighbour's assertions, which the input already holds."""
    import torch

    from assertgen.abstraction import abstraction_of

    def copy_examples(records, inputs, nearest):
        copies = [{**r, "assertions": corpus.assertions_of(i)} for r, i in zip(records, nearest)]
        return encode_records(copies, tokenizer, settings["max_input_tokens"],
                              settings["max_target_tokens"], inputs, abstraction_of(metadata))

    out = Path(args.out) / "copy-warmup"
    warm = {**settings, "epochs": int(settings["copy_warmup_epochs"]), "valid_generate": 0,
            "select_metric": "valid_loss", "early_stop_patience": 0, "time_budget_minutes": 0.0}
    trainer = Trainer(model, tokenizer, copy_examples(*train), copy_examples(*valid), valid[0],
                      warm, out, device=device_of(args, metadata["config"]), metadata=metadata,
                      show_progress=not args.no_progress, valid_inputs=valid[1])
    if is_finished(out):  # a resumed run: the warm-up's last checkpoint holds its weights
        model.load_state_dict(torch.load(trainer.ckpt_path, map_location="cpu",
                                         weights_only=False)["model"])
        return
    trainer.run(resume=trainer.ckpt_path.exists())


def is_finished(out_dir) -> bool:
    return (Path(out_dir) / "training" / "done.json").exists()


def asks_more_epochs(out_dir, settings: dict) -> bool:
    """Whether `settings` ask a finished run for more epochs than it was given (a gold run
    is then extended, see `Trainer.load_checkpoint`)."""
    path = Path(out_dir) / "training" / "done.json"
    try:
        done = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UserError(f"cannot read: {err}", str(path)) from None
    return "epochs" in done and int(settings["epochs"]) > done["epochs"]


# --------------------------------------------------------------------------- CLI helpers

def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by `train` and `distill`."""
    parser.add_argument("--config", required=True, help="TOML config ([model], [train])")
    parser.add_argument("--out", required=True, help="output model directory")
    parser.add_argument("--valid", help="validation records (default: config data.valid)")
    parser.add_argument("--tokenizer", help="tokenizer directory or hub name "
                        "(default: config model.tokenizer, else the model's own)")
    parser.add_argument("--device", help="cpu or cuda (mixed precision on cuda; default: config "
                        "runtime.device, else cpu)")
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoint in --out")
    parser.add_argument("--max-steps", type=int, help="checkpoint and stop after this many "
                        "optimizer steps (continue later with --resume)")
    parser.add_argument("--limit", type=int, help="use only N training records (train: the first N; "
                        "distill and pretrain: a seeded sample of the dump, stored in length order, or "
                        "of the methods, stored repository by repository)")
    parser.add_argument("--valid-limit", type=int, help="use only the first N validation records")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("overrides", nargs="*", metavar="KEY=VALUE",
                        help="config overrides, e.g. train.epochs=3 model.d_model=128")


def checked_settings(cfg: dict, model_table: str = "model") -> dict:
    """The [train] settings, after every table a run reads is checked (before any model or
    data is loaded: a typo costs nothing yet); `model_table` as in `prepare_run`."""
    from workbench.distill import distill_table
    from workbench.modeling import check_model_table
    from workbench.pretrain import pretrain_settings

    settings = train_settings(cfg)
    table = model_table if cfg.get(model_table) else "model"
    check_model_table(dict(cfg.get(table) or {}), table)
    data_settings(cfg)
    distill_table(cfg)
    pretrain_settings(cfg)
    return settings


def checked_config(path, overrides=(), model_table: str = "model") -> tuple[dict, dict]:
    """(config, [train] settings) of a config file with its KEY=VALUE overrides, every table
    checked (`checked_settings`); an error names the file."""
    from workbench import modeling

    cfg = modeling.load_config(path, list(overrides))
    try:
        return cfg, checked_settings(cfg, model_table)
    except UserError as err:  # a setting's error: say which config holds it
        if err.path is not None:
            raise
        raise UserError(str(err) + (" (or its KEY=VALUE overrides)" if overrides else ""),
                        str(path)) from None


def prepare_run(args, model_table: str = "model"):
    """Config, settings, tokenizer and model for a train/distill run.

    Returns (cfg, settings, None, None) when the run in --out finished and --resume was
    given (nothing left to do). `model_table` names the config table describing the model
    (`student` for distillation when the config has one, as configs/colab-codet5p.toml).
    """
    from workbench import modeling

    if args.max_steps is not None and args.max_steps < 1:  # else it ran one step anyway
        raise UserError(f"--max-steps must be at least 1, got {args.max_steps}")
    cfg, settings = checked_config(args.config, args.overrides or [], model_table)
    check_device(device_of(args, cfg))
    out = Path(args.out)
    if out.exists() and not out.is_dir():  # found now, not when the first checkpoint is saved
        raise UserError("exists and is not a directory: --out names the model directory to write",
                        str(out))
    if modeling.is_model_dir(out) and not (out / "training").exists():
        raise UserError("holds a model that no training run here made (no training/): it would be "
                        "overwritten; choose another --out", str(out))
    if is_finished(out) and args.resume and not asks_more_epochs(out, settings):
        return cfg, settings, None, None
    if (out / "training" / "checkpoint.pt").exists() and not args.resume:
        raise UserError("holds a run already: pass --resume to continue it or choose another --out",
                        str(out))
    model_cfg = dict(cfg.get(model_table) or cfg.get("model") or {})
    source = args.tokenizer or modeling.tokenizer_source(model_cfg)
    tokenizer = modeling.load_tokenizer(source)
    check_own_tokenizer(model_cfg, tokenizer, source)
    import torch

    # The initial weights come from train.seed too: unseeded, two runs of one command (or a
    # sweep's presets) started from different random weights and ended apart.
    torch.manual_seed(settings["seed"])
    model = modeling.build_model(model_cfg, tokenizer)
    return cfg, settings, tokenizer, model


def check_own_tokenizer(model_cfg: dict, tokenizer, source: str) -> None:
    """A UserError when a pretrained model directory with a tokenizer of its own is given
    another one (--tokenizer, model.tokenizer): its ids mean other tokens to the model. A larger
    one is also caught by `assertgen.model.check_vocab`; a smaller one trained on silently."""
    from workbench import modeling

    name = model_cfg.get("name_or_path")
    model_dir = Path(str(name)).expanduser() if name else None
    if model_dir is None or not (model_dir / "tokenizer.json").is_file() or \
            Path(source).expanduser().resolve() == model_dir.resolve():
        return
    own = modeling.load_tokenizer(model_dir)
    if own.get_vocab() != tokenizer.get_vocab():
        raise UserError(f"the tokenizer given ({len(tokenizer)} tokens) is not the model's own "
                        f"({len(own)} tokens): leave --tokenizer and model.tokenizer out to use it",
                        str(model_dir))


def check_device(device: str) -> None:
    """A UserError for a device that is not `cpu`, `cuda` or `cuda:N`, and for `--device cuda`
    where torch sees no such CUDA device (not torch's traceback)."""
    import re

    import torch

    if not isinstance(device, str) or not re.fullmatch(r"cpu|cuda(:\d+)?", device):
        raise UserError(f"unknown device {device!r} (--device or runtime.device): cpu, cuda or cuda:N")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise UserError("--device cuda but torch sees no CUDA device")
    if device.startswith("cuda:") and int(device[5:]) >= torch.cuda.device_count():
        raise UserError(f"--device {device} but torch sees {torch.cuda.device_count()} CUDA device(s)")


def device_of(args, cfg: dict) -> str:
    return args.device or cfg.get("runtime", {}).get("device", "cpu")


def data_path(args_value, cfg: dict, key: str, what: str):
    path = args_value or cfg.get("data", {}).get(key)
    if not path:
        raise UserError(f"no {what}: pass --{key} or set data.{key} in the config")
    return path


def save_best(tokenizer, settings: dict):
    """save_fn for Trainer: modeling.save_model_dir with the run's token limits."""
    from workbench import modeling

    def save(model, out_dir, metadata):
        meta = {**metadata, "max_input_tokens": settings["max_input_tokens"],
                "max_target_tokens": settings["max_target_tokens"]}
        modeling.save_model_dir(model, tokenizer, out_dir, meta)
    return save


# --------------------------------------------------------------------------- command

def register(subparsers) -> None:
    parser = subparsers.add_parser("train", help="train or fine-tune a model on gold labels",
                                   description="`workbench train`: train or fine-tune a seq2seq model "
                                               "on gold labels (the trainer is described in "
                                               "workbench/train.py).")
    parser.add_argument("--train", help="training records (default: config data.train)")
    add_common_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.data import load_records

    cfg, settings, tokenizer, model = prepare_run(args)
    if model is None:
        print(f"{args.out}: already finished")
        return 0
    train_records = load_records(data_path(args.train, cfg, "train", "training data"),
                                 limit=args.limit)
    valid_records = load_records(data_path(args.valid, cfg, "valid", "validation data"),
                                 limit=args.valid_limit)
    for records, key in ((train_records, "train"), (valid_records, "valid")):
        if not records:
            raise UserError("no records", str(data_path(getattr(args, key), cfg, key, "")))
    from assertgen.retrieval import model_inputs_and_neighbours

    train_path = str(args.train or cfg["data"]["train"])
    metadata = {"kind": "train", "config": cfg,
                "data": {"train": train_path, "train_records": len(train_records), "limit": args.limit,
                         "valid": str(args.valid or cfg["data"]["valid"]), "valid_limit": args.valid_limit}}
    retrieval, corpus = retrieval_setup(cfg, train_records, train_path)
    if retrieval:
        metadata["retrieval"] = retrieval
    abstraction = abstraction_setup(cfg, train_records)
    if abstraction:
        metadata["abstraction"] = abstraction.metadata()
    valid_inputs, valid_nearest = model_inputs_and_neighbours(valid_records, metadata, corpus)

    def enc(records, inputs):
        return encode_records(records, tokenizer, settings["max_input_tokens"],
                              settings["max_target_tokens"], inputs, abstraction)

    train_inputs, train_nearest = model_inputs_and_neighbours(train_records, metadata, corpus)
    if settings["copy_warmup_epochs"]:
        if corpus is None:
            raise UserError("train.copy_warmup_epochs needs data.retrieval = true (it copies the "
                            "retrieved assertions)", args.config)
        copy_warmup(model, tokenizer, (train_records, train_inputs, train_nearest),
                    (valid_records, valid_inputs, valid_nearest), corpus, settings, args, metadata)
        metadata["copy_warmup_epochs"] = settings["copy_warmup_epochs"]
    trainer = Trainer(model, tokenizer, enc(train_records, train_inputs),
                      enc(valid_records, valid_inputs), valid_records,
                      settings, args.out, save_fn=save_best(tokenizer, settings),
                      device=device_of(args, cfg), metadata=metadata,
                      show_progress=not args.no_progress, valid_inputs=valid_inputs)
    # A run killed during its copy warm-up has no gold-task checkpoint yet to resume from.
    resume = args.resume and (trainer.ckpt_path.exists() or not settings["copy_warmup_epochs"])
    trainer.run(resume=resume, max_steps=args.max_steps)
    return 0
