"""Load an assertion model and generate n-best outputs, for `assertgen fill` and benchmarks.

A model directory (see `workbench.modeling`) holds `assertgen.json` (metadata, with the
`prompt_format_version` the model was trained with) and either or both of:

- `ct2/`: a CTranslate2 copy (`workbench export`), run with int8 weights on the CPU.
  The tokenizer is read from `tokenizer.json` with the `tokenizers` library, so this
  backend needs neither torch nor transformers;
- the Hugging Face layout (config.json, model.safetensors, tokenizer files), run with
  PyTorch and transformers (the `train` extra).

The CTranslate2 copy is used when present. Inputs longer than the model's
`max_input_tokens` are cut as in training (`assertgen.prompt.encode_inputs`: the end of
the focal method goes first); outputs stop at `max_target_tokens`.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

from assertgen.abstraction import Abstraction, abstract_inputs, abstraction_of
from assertgen.errors import TRAIN_EXTRA_HINT, UserError
from assertgen.prompt import PROMPT_FORMAT_VERSION

METADATA_FILE = "assertgen.json"
CT2_DIR = "ct2"
# Inputs are ~115 tokens on average (p90 ~200) and targets ~43 (p90 ~107) with a
# 16k byte-level BPE: these limits cut almost nothing (and nothing is padded to them).
DEFAULT_MAX_INPUT_TOKENS = 512
DEFAULT_MAX_TARGET_TOKENS = 256


def pytorch_weight_files(model_dir: Path) -> list[Path]:
    """The PyTorch weight files of a model directory (safetensors, or the older .bin shards)."""
    return sorted(model_dir.glob("*.safetensors")) + sorted(model_dir.glob("pytorch_model*.bin"))


def has_pytorch_weights(model_dir: Path) -> bool:
    """Whether the PyTorch backend can load `model_dir`: its config.json and weight files."""
    return (model_dir / "config.json").exists() and bool(pytorch_weight_files(model_dir))


def default_model_dir() -> Path:
    """The student embedded in the package (`assertgen/default_model/`)."""
    return Path(str(resources.files("assertgen") / "default_model"))


def _cpu_threads() -> int:
    """Cores this process may use (ASSERTGEN_THREADS overrides)."""
    value = os.environ.get("ASSERTGEN_THREADS")
    if value:
        if not value.isdigit() or int(value) < 1:
            raise UserError(f"ASSERTGEN_THREADS must be a whole number of at least 1, not {value!r}")
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def read_metadata(model_dir: Path) -> dict:
    """`assertgen.json`, refusing a model trained with another prompt format."""
    path = model_dir / METADATA_FILE
    if not model_dir.is_dir():
        raise UserError("no such model directory", str(model_dir))
    if not path.exists():
        raise UserError(f"not an assertgen model directory: {METADATA_FILE} is missing", str(model_dir))
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise UserError(f"invalid JSON: {err.msg}", str(path), err.lineno) from None
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"cannot read file: {getattr(err, 'strerror', None) or err}", str(path)) from None
    if not isinstance(meta, dict):
        raise UserError("expected a JSON object", str(path))
    version = meta.get("prompt_format_version")
    if version != PROMPT_FORMAT_VERSION:
        raise UserError(f"model was trained with prompt format version {version}, this assertgen uses "
                        f"{PROMPT_FORMAT_VERSION}; use a model trained for this version", str(path))
    return meta


def _length_batches(lengths: list[int], batch_size: int) -> list[list[int]]:
    """Indices grouped into batches of similar length (little padding), longest first."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]


class Generator:
    """n-best assertion generation with one model; `metadata` is its `assertgen.json`.

    `backend` is "ctranslate2" or "pytorch".
    """

    def __init__(self, model_dir: Path, metadata: dict, backend: str):
        self.model_dir = model_dir
        self.metadata = metadata
        self.backend = backend
        self.max_input_tokens = int(metadata.get("max_input_tokens", DEFAULT_MAX_INPUT_TOKENS))
        self.max_target_tokens = int(metadata.get("max_target_tokens", DEFAULT_MAX_TARGET_TOKENS))
        self.abstraction = abstraction_of(metadata)

    def generate(self, inputs: list[str], num_candidates: int = 4, batch_size: int = 16) -> list[list[str]]:
        """For each input text (from `assertgen.prompt.build_input`), the `num_candidates`
        best outputs of a beam search of that width, best first, as raw decoded text
        (greedy when num_candidates is 1)."""
        if num_candidates < 1 or batch_size < 1:
            raise UserError("num_candidates and batch_size must be at least 1")
        if not inputs:
            return []
        model_texts, names = abstract_inputs(self.abstraction, inputs)
        encoded = self._encode(model_texts)
        results: list[list[str]] = [[] for _ in inputs]
        for batch in _length_batches([len(ids) for ids in encoded], batch_size):
            outputs = self._generate_batch([encoded[i] for i in batch], num_candidates)
            for i, texts in zip(batch, outputs):
                results[i] = [Abstraction.concrete(text, names[i]) for text in texts]
        return results

    def _encode(self, inputs: list[str]) -> list[list[int]]:
        from assertgen.prompt import encode_inputs

        return encode_inputs(inputs, self._tokenize, self.max_input_tokens)

    def _tokenize(self, texts: list[str], add_special_tokens: bool) -> list[list[int]]:
        raise NotImplementedError

    def _generate_batch(self, batch: list[list[int]], n: int) -> list[list[str]]:
        raise NotImplementedError


class CT2Generator(Generator):
    """CTranslate2 backend: int8 weights on the CPU, tokenizer from tokenizer.json."""

    def __init__(self, model_dir: Path, metadata: dict, device: str = "cpu", compute_type: str = "int8"):
        super().__init__(model_dir, metadata, "ctranslate2")
        import ctranslate2
        from tokenizers import Tokenizer

        ct2_dir = model_dir / CT2_DIR
        tokenizer_file = next((p for p in (ct2_dir / "tokenizer.json", model_dir / "tokenizer.json")
                               if p.exists()), None)
        if tokenizer_file is None:
            raise UserError("tokenizer.json is missing (looked in ct2/ and the model directory)", str(model_dir))
        if not (ct2_dir / "model.bin").exists():
            raise UserError("the CTranslate2 copy has no model.bin (rerun `workbench export`)", str(ct2_dir))
        try:  # the tokenizers library raises a bare Exception for a file it cannot use
            self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        except Exception as err:
            raise UserError(f"cannot load the tokenizer: {err}", str(tokenizer_file)) from None
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()  # encode_inputs fits inputs to max_input_tokens
        # One thread per decode, the cores across sub-batches: for models this small,
        # threads splitting one matrix product wait on each other longer than they save.
        # Measured on the 2-core development machine (shipped student, one test method per
        # call): 11.9 ms p50 with 1 intra-op thread against 39.8 ms with 2; batches of 15
        # with 4 beams: 17.7 ms per method as 2 parallel sub-batches, 44.6 ms on 2 threads.
        self.workers = _cpu_threads()
        try:
            self.translator = ctranslate2.Translator(str(ct2_dir), device=device, compute_type=compute_type,
                                                     intra_threads=1, inter_threads=self.workers)
        except (RuntimeError, ValueError) as err:  # e.g. model.bin from another CTranslate2 version
            raise UserError(f"cannot load the CTranslate2 model: {err}", str(ct2_dir)) from None

    def _tokenize(self, texts, add_special_tokens):
        return [enc.ids for enc in self.tokenizer.encode_batch(texts, add_special_tokens=add_special_tokens)]

    def _generate_batch(self, batch, n):
        tokens = [[self.tokenizer.id_to_token(i) for i in ids] for ids in batch]
        results = self.translator.translate_batch(
            tokens, beam_size=n, num_hypotheses=n, max_decoding_length=self.max_target_tokens,
            return_scores=False, max_batch_size=-(-len(tokens) // self.workers))  # one part per worker
        outputs = []
        for result in results:
            outputs.append([self.tokenizer.decode(hyp_ids, skip_special_tokens=True)
                            for hyp_ids in ([self.tokenizer.token_to_id(t) for t in hyp]
                                            for hyp in result.hypotheses)])
        return outputs


def check_vocab(model, tokenizer, where: str) -> None:
    """A UserError naming `where` when the tokenizer has more tokens than the model has
    embeddings: another model's tokenizer, whose ids stop torch with "IndexError: index out
    of range in self" at the first batch that holds one."""
    size, vocab = len(tokenizer), model.config.vocab_size
    if size > vocab:
        raise UserError(f"the tokenizer has {size} tokens, more than the model's vocab_size {vocab}: "
                        "it is not this model's tokenizer", where)


class TorchGenerator(Generator):
    """PyTorch backend: transformers `generate` on the Hugging Face layout."""

    def __init__(self, model_dir: Path, metadata: dict, device: str = "cpu"):
        super().__init__(model_dir, metadata, "pytorch")
        if not has_pytorch_weights(model_dir):
            raise UserError("no model weights: neither a ct2/ copy nor config.json + model.safetensors",
                            str(model_dir))
        try:
            import torch
            from safetensors import SafetensorError
            from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError:
            fast = ("or run its CTranslate2 copy (ct2/)" if (model_dir / CT2_DIR).is_dir()
                    else "or export this model to CTranslate2 with `workbench export`")
            raise UserError(f"PyTorch is not installed: {TRAIN_EXTRA_HINT}, {fast}", str(model_dir)) from None
        self.torch = torch
        if os.environ.get("ASSERTGEN_THREADS"):  # a cap on the cores, as for CTranslate2
            torch.set_num_threads(_cpu_threads())
        hf_logging.disable_progress_bar()  # no "Loading weights" bar in a CLI run
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        except (OSError, ValueError) as err:
            raise UserError(f"cannot load the tokenizer: {err}", str(model_dir)) from None
        try:
            model = AutoModelForSeq2SeqLM.from_pretrained(str(model_dir))
        except (OSError, ValueError, SafetensorError) as err:  # unreadable weights, not a seq2seq model
            raise UserError(f"cannot load the model: {err}", str(model_dir)) from None
        check_vocab(model, self.tokenizer, str(model_dir))
        self.model = model.to(device).eval()
        self.device = device

    def _tokenize(self, texts, add_special_tokens):
        return self.tokenizer(texts, add_special_tokens=add_special_tokens)["input_ids"]

    def _generate_batch(self, batch, n):
        torch = self.torch
        padded = self.tokenizer.pad({"input_ids": batch}, return_tensors="pt").to(self.device)
        with torch.inference_mode():
            out = self.model.generate(**padded, num_beams=n, num_return_sequences=n, do_sample=False,
                                      max_new_tokens=self.max_target_tokens)
        texts = self.tokenizer.batch_decode(out, skip_special_tokens=True)
        return [texts[i * n:(i + 1) * n] for i in range(len(batch))]


def load_generator(model_dir=None, backend: str | None = None, device: str = "cpu") -> Generator:
    """A Generator for `model_dir` (None: the embedded default student).

    `backend` None picks CTranslate2 when `DIR/ct2/` exists, else PyTorch; "ctranslate2"
    or "pytorch" forces one.
    """
    path = default_model_dir() if model_dir is None else Path(model_dir).expanduser()
    if not path.is_dir():
        what = "the embedded default model is missing (reinstall assertgen)" if model_dir is None \
            else "no such model directory"
        raise UserError(what, str(path))
    if path.name == CT2_DIR and (path / "model.bin").is_file() and backend in (None, "ctranslate2"):
        # The exported fast-inference copy itself: its metadata is in the model directory above.
        path, backend = path.parent, "ctranslate2"
    metadata = read_metadata(path)
    if backend is None:
        backend = "ctranslate2" if (path / CT2_DIR).is_dir() else "pytorch"
    if backend == "ctranslate2":
        if not (path / CT2_DIR).is_dir():
            raise UserError("no CTranslate2 copy (ct2/) in the model directory; run `workbench export`",
                            str(path))
        return CT2Generator(path, metadata, device=device)
    if backend == "pytorch":
        return TorchGenerator(path, metadata, device=device)
    raise UserError(f"unknown backend {backend!r} (ctranslate2 or pytorch)")
