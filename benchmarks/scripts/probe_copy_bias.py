"""Does a copy bias lift the model alone? Greedy decoding with `bias` added to the log-probability
of every token of the model's input (a soft pointer prior: the gold assertions mostly reuse the
test's and the focal method's names), exact match (strict, as `workbench report`) per bias.

    python benchmarks/scripts/probe_copy_bias.py --model DIR --split $D/test-inproject.jsonl.gz \
        --sample 400 --biases 0,0.25,0.5,1,2

`--sample N`: N records drawn with seed 0 (probe_knn.py's sample). Prints one JSON line per bias.
Stop 32 (shipped student rebuilt in PyTorch, `ct2_to_pytorch.py`): 0.025 at biases 0, 0.25 and
0.5, 0.0225 at 1, 0.020 at 2: no gain (results README, "Stop 32").
"""

from __future__ import annotations

import argparse
import inspect
import json
import random
import time


def decode(model, tokenizer, inputs: list[list[int]], bias: float, max_new: int) -> list[str]:
    """Greedy decoding of a batch of input ids, each input's own tokens (not the special ones)
    raised by `bias` in log-probability at every step."""
    import torch

    from workbench.train import _pad

    ids = _pad(inputs, tokenizer.pad_token_id, torch.long)
    mask = torch.zeros_like(ids)
    prior = torch.zeros(len(inputs), model.config.vocab_size)
    special = set(tokenizer.all_special_ids)
    for row, tokens in enumerate(inputs):
        mask[row, :len(tokens)] = 1
        prior[row, [t for t in set(tokens) if t not in special]] = bias
    # transformers 5 renamed past_key_values to cache (as workbench.knn)
    cache_arg = "cache" if "cache" in inspect.signature(model.forward).parameters else "past_key_values"
    with torch.inference_mode():
        encoded = model.get_encoder()(input_ids=ids, attention_mask=mask)
        tokens = torch.full((len(inputs), 1), model.config.decoder_start_token_id)
        done, past, steps = torch.zeros(len(inputs), dtype=torch.bool), None, []
        for _ in range(max_new):
            out = model(encoder_outputs=encoded, attention_mask=mask, decoder_input_ids=tokens[:, -1:],
                        use_cache=True, **{cache_arg: past})
            past = out[cache_arg]
            step = (out.logits[:, -1].float().log_softmax(-1) + prior).argmax(-1).masked_fill(done, tokenizer.pad_token_id)
            steps.append(step)
            done |= step == tokenizer.eos_token_id
            tokens = torch.cat([tokens, step[:, None]], 1)
            if done.all():
                break
    return tokenizer.batch_decode(torch.stack(steps, 1), skip_special_tokens=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="a PyTorch model directory")
    parser.add_argument("--split", required=True, help="records to decode")
    parser.add_argument("--sample", type=int, help="N records, drawn with seed 0")
    parser.add_argument("--biases", default="0,0.5,1,2")
    args = parser.parse_args()
    try:
        biases = [float(b) for b in args.biases.split(",")]
    except ValueError:
        parser.error(f"--biases takes comma-separated numbers: {args.biases!r}")

    from assertgen.prompt import parse_output
    from assertgen.retrieval import model_inputs
    from workbench.baseline_ir import retriever_for
    from workbench.data import load_records
    from workbench.metrics import normalize_assertion
    from workbench.modeling import load_model_dir
    from workbench.train import encode_input_texts

    model, tokenizer, metadata = load_model_dir(args.model)
    model.eval()
    records = load_records(args.split)
    if args.sample and args.sample < len(records):
        records = [records[i] for i in sorted(random.Random(0).sample(range(len(records)), args.sample))]
    gold = [tuple(normalize_assertion(a) for a in r["assertions"]) for r in records]
    inputs = encode_input_texts(tokenizer, model_inputs(records, metadata, retriever_for(metadata, None)),
                                int(metadata.get("max_input_tokens", 320)))
    for bias in biases:
        started, texts = time.time(), []
        for start in range(0, len(records), 32):
            texts += decode(model, tokenizer, inputs[start:start + 32], bias, int(metadata.get("max_target_tokens", 128)))
        right = sum(tuple(normalize_assertion(a) for a in parse_output(t)) == g for t, g in zip(texts, gold))
        print(json.dumps({"bias": bias, "n": len(records), "em_strict": round(right / len(records), 4),
                          "seconds": round(time.time() - started, 1)}), flush=True)


if __name__ == "__main__":
    main()
