"""Rebuild a PyTorch (Hugging Face) T5 model directory from its CTranslate2 copy.

    python benchmarks/scripts/ct2_to_pytorch.py assertgen/default_model /work/runs/knn/shipped-pt

For analyses that need the model's inner states (`workbench report --knn`) where only the
CTranslate2 copy is left: the shipped default student's PyTorch weights were on the machine
that trained it. int8 weights are dequantized with their per-row scales, so the rebuilt model
is the shipped one up to int8 rounding (on 101 test-inproject records, 91 greedy outputs were
identical to the CTranslate2 copy's). The tokenizer and `assertgen.json` come along.

CTranslate2 offers no reader of its model.bin, whose layout is `ModelSpec._serialize` in
ctranslate2/specs/model_spec.py: a version, the spec's name and revision, the variables
(name, shape, dtype, bytes), then aliases (names of shared variables). The T5 mapping
inverts the converter's `T5Loader` (fused q/k/v of self-attention, fused k/v of cross-attention).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import sys
from pathlib import Path

import numpy as np

# ctranslate2/specs/model_spec.py, _dtype_to_type_id (bfloat16 has no numpy type: not read)
DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


def read_model_bin(path: Path) -> dict[str, np.ndarray]:
    """{name: array} of a CTranslate2 model.bin, aliases resolved, int8 weights dequantized."""
    data = path.read_bytes()
    at = 0
    def take(fmt: str):
        nonlocal at
        (value,) = struct.unpack_from(fmt, data, at)
        at += struct.calcsize(fmt)
        return value
    def text() -> str:
        nonlocal at
        size = take("H")
        at += size
        return data[at - size:at - 1].decode()  # NUL-terminated
    take("I"), text(), take("I")  # binary version, spec name, revision
    raw = {}
    for _ in range(take("I")):
        name = text()
        shape = [take("I") for _ in range(take("B"))]
        dtype, size = take("B"), take("I")
        if dtype in DTYPES:
            raw[name] = np.frombuffer(data, DTYPES[dtype], count=size // np.dtype(DTYPES[dtype]).itemsize,
                                      offset=at).reshape(shape)
        at += size
    weights = {}
    for name, value in raw.items():
        if value.dtype == np.int8 and f"{name}_scale" in raw:
            weights[name] = value.astype(np.float32) / raw[f"{name}_scale"].astype(np.float32)[:, None]
        else:
            weights[name] = value
    for _ in range(take("I")):
        alias, target = text(), text()
        weights[alias] = weights[target]  # the same array: a shared weight is one weight
    return weights


class NotConvertible(Exception):
    """The copy is not one this script can rebuild (its message says why)."""


def t5_state_dict(weights: dict[str, np.ndarray]) -> tuple[dict, dict]:
    """(T5Config keyword arguments, state dict) of a CTranslate2 T5 (TransformerSpec) copy
    with ReLU feed-forward layers, as `workbench` trains them; anything else is NotConvertible
    (every weight of the copy must land somewhere, so a layout this mapping does not know,
    a gated feed-forward say, is refused rather than half rebuilt)."""
    import torch

    used = set()
    def get(name: str):
        if name not in weights:
            raise NotConvertible(f"no {name}: not a T5 copy")
        used.add(name)
        return torch.tensor(np.array(weights[name], dtype=np.float32))
    for side in ("encoder", "decoder"):
        activation = weights.get(f"{side}/activation")
        if activation is not None and int(activation) != 0:  # ctranslate2.specs.common_spec.Activation.RELU
            raise NotConvertible(f"{side} activation {int(activation)} is not ReLU: only ReLU T5s are rebuilt")
    embeddings = get("decoder/embeddings/weight")
    vocab, d_model = embeddings.shape
    layers = {side: len({m.group(1) for m in (re.match(rf"{side}/layer_(\d+)/", k) for k in weights) if m})
              for side in ("encoder", "decoder")}
    bias = get("encoder/layer_0/self_attention/relative_attention_bias")
    config = {"vocab_size": vocab, "d_model": d_model, "d_kv": d_model // bias.shape[1],
              "d_ff": get("encoder/layer_0/ffn/linear_0/weight").shape[0], "num_layers": layers["encoder"],
              "num_decoder_layers": layers["decoder"], "num_heads": bias.shape[1],
              "relative_attention_num_buckets": bias.shape[0],
              "relative_attention_max_distance": int(weights["encoder/layer_0/self_attention/relative_attention_max_distance"]),
              "feed_forward_proj": "relu", "tie_word_embeddings": True, "pad_token_id": 0, "eos_token_id": 1,
              "decoder_start_token_id": 0}
    state = {"shared.weight": embeddings, "lm_head.weight": embeddings}
    for side in ("encoder", "decoder"):
        state[f"{side}.embed_tokens.weight"] = embeddings
        state[f"{side}.final_layer_norm.weight"] = get(f"{side}/layer_norm/gamma")
        for i in range(layers[side]):
            ct2, hf = f"{side}/layer_{i}", f"{side}.block.{i}.layer"
            q, k, v = get(f"{ct2}/self_attention/linear_0/weight").split(d_model)
            state.update({f"{hf}.0.SelfAttention.q.weight": q, f"{hf}.0.SelfAttention.k.weight": k,
                          f"{hf}.0.SelfAttention.v.weight": v,
                          f"{hf}.0.SelfAttention.o.weight": get(f"{ct2}/self_attention/linear_1/weight"),
                          f"{hf}.0.layer_norm.weight": get(f"{ct2}/self_attention/layer_norm/gamma")})
            if i == 0:  # the first layer's bias, shared by the others
                state[f"{hf}.0.SelfAttention.relative_attention_bias.weight"] = bias if side == "encoder" else \
                    get(f"{ct2}/self_attention/relative_attention_bias")
            ffn = 1
            if side == "decoder":
                k, v = get(f"{ct2}/attention/linear_1/weight").split(d_model)
                state.update({f"{hf}.1.EncDecAttention.q.weight": get(f"{ct2}/attention/linear_0/weight"),
                              f"{hf}.1.EncDecAttention.k.weight": k, f"{hf}.1.EncDecAttention.v.weight": v,
                              f"{hf}.1.EncDecAttention.o.weight": get(f"{ct2}/attention/linear_2/weight"),
                              f"{hf}.1.layer_norm.weight": get(f"{ct2}/attention/layer_norm/gamma")})
                ffn = 2
            state.update({f"{hf}.{ffn}.DenseReluDense.wi.weight": get(f"{ct2}/ffn/linear_0/weight"),
                          f"{hf}.{ffn}.DenseReluDense.wo.weight": get(f"{ct2}/ffn/linear_1/weight"),
                          f"{hf}.{ffn}.layer_norm.weight": get(f"{ct2}/ffn/layer_norm/gamma")})
    used_arrays = {id(weights[name]) for name in used}
    left = [name for name, value in weights.items()
            if id(value) not in used_arrays and value.ndim > 0 and not name.endswith("_scale")]
    if left:
        raise NotConvertible(f"weights this T5 mapping does not know: {', '.join(sorted(left)[:4])}")
    return config, state


def rebuild(model_dir: Path, out: Path) -> None:
    """Write the rebuilt model directory `out` (new or empty; written whole or not at all)."""
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    ct2 = model_dir / "ct2"
    for needed in (ct2 / "model.bin", ct2 / "tokenizer.json", model_dir / "assertgen.json"):
        if not needed.is_file():
            raise NotConvertible(f"{needed}: not found")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise NotConvertible(f"{out}: exists and is not an empty folder (nothing is overwritten)")
    try:
        weights = read_model_bin(ct2 / "model.bin")
        metadata = json.loads((model_dir / "assertgen.json").read_text(encoding="utf-8"))
    except (struct.error, ValueError, KeyError, UnicodeDecodeError) as err:
        raise NotConvertible(f"{ct2 / 'model.bin'} or {model_dir / 'assertgen.json'}: unreadable ({err})") from None
    config, state = t5_state_dict(weights)
    dropout = (metadata.get("config") or {}).get("model", {}).get("dropout_rate")
    model = T5ForConditionalGeneration(T5Config(**config, **({"dropout_rate": dropout} if dropout is not None else {})))
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise NotConvertible(f"not a T5 copy this script knows (missing {missing}, unexpected {unexpected})")
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(partial)
    PreTrainedTokenizerFast(tokenizer_file=str(ct2 / "tokenizer.json"), pad_token="<pad>", eos_token="</s>",
                            unk_token="<unk>").save_pretrained(partial)
    metadata.pop("export", None)  # this copy has no ct2/
    metadata["rebuilt_from"] = f"{ct2} (int8 dequantized: benchmarks/scripts/ct2_to_pytorch.py)"
    (partial / "assertgen.json").write_text(json.dumps(metadata, indent=1) + "\n")
    if out.exists():
        out.rmdir()  # empty, checked above
    partial.rename(out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    try:
        rebuild(Path(sys.argv[1]), Path(sys.argv[2]))
    except NotConvertible as err:
        sys.exit(f"error: {err}")
    except OSError as err:
        sys.exit(f"error: {err.filename or sys.argv[2]}: {err.strerror or err}")
    print(f"wrote {sys.argv[2]}")
