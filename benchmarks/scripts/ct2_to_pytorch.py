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
    for _ in range(take("I")):
        alias, target = text(), text()
        raw[alias] = raw[target]
    weights = {}
    for name, value in raw.items():
        if value.dtype == np.int8 and f"{name}_scale" in raw:
            weights[name] = value.astype(np.float32) / raw[f"{name}_scale"].astype(np.float32)[:, None]
        else:
            weights[name] = value
    return weights


def t5_state_dict(weights: dict[str, np.ndarray]) -> tuple[dict, dict]:
    """(T5Config keyword arguments, state dict) of a CTranslate2 T5 (TransformerSpec) copy."""
    import torch

    def get(name: str):
        return torch.tensor(np.array(weights[name], dtype=np.float32))
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
    return config, state


def rebuild(model_dir: Path, out: Path) -> None:
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    ct2 = model_dir / "ct2"
    if not (ct2 / "model.bin").is_file():
        sys.exit(f"{ct2 / 'model.bin'}: no CTranslate2 copy there")
    config, state = t5_state_dict(read_model_bin(ct2 / "model.bin"))
    model = T5ForConditionalGeneration(T5Config(**config))
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        sys.exit(f"{ct2}: not a T5 copy this script knows (missing {missing}, unexpected {unexpected})")
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    PreTrainedTokenizerFast(tokenizer_file=str(ct2 / "tokenizer.json"), pad_token="<pad>", eos_token="</s>",
                            unk_token="<unk>").save_pretrained(out)
    metadata = json.loads((model_dir / "assertgen.json").read_text())
    metadata.pop("export", None)  # this copy has no ct2/
    metadata["rebuilt_from"] = f"{ct2} (int8 dequantized: benchmarks/scripts/ct2_to_pytorch.py)"
    (out / "assertgen.json").write_text(json.dumps(metadata, indent=1) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    rebuild(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {sys.argv[2]}")
