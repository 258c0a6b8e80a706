"""Training throughput of a model shape on this machine: examples per second of full
optimizer steps (forward, backward, AdamW) on random token batches, for sizing CPU runs.

    python benchmarks/scripts/bench_train_step.py --config configs/teacher-cpu.toml \\
        --max-input 256 [--heads 8] [--d-model 320] [--bf16]

Each step takes a batch of `--batch-size` sequences with input length drawn uniformly
from [max_input/3, max_input] and target length from [20, 100] (the corpus: inputs ~200
tokens with an 8k BPE, targets ~45), from a fixed seed, so two shapes see the same
lengths. The first step is not timed. Prints examples/s and the peak RSS. Real epochs are
slower (the loss's extra terms, validation, data handling): this compares shapes.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import resource
import time


def main() -> None:
    import torch
    from transformers import T5ForConditionalGeneration

    from workbench.modeling import load_config, t5_config

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="a config with a from-scratch [model] table")
    parser.add_argument("--vocab", type=int, default=8000)
    parser.add_argument("--max-input", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--heads", type=int, help="override num_heads")
    parser.add_argument("--d-model", type=int, help="override d_model")
    parser.add_argument("--bf16", action="store_true", help="CPU autocast to bfloat16")
    args = parser.parse_args()

    model_cfg = dict(load_config(args.config)["model"])
    for key, value in (("num_heads", args.heads), ("d_model", args.d_model)):
        if value:
            model_cfg[key] = value
    model_cfg.pop("d_kv", None)
    torch.manual_seed(0)
    rng = random.Random(0)
    model = T5ForConditionalGeneration(t5_config(model_cfg, args.vocab))
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    autocast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if args.bf16 else contextlib.nullcontext
    seen, started = 0, None
    for step in range(args.steps + 1):
        if step == 1:
            seen, started = 0, time.perf_counter()
        source = rng.randint(args.max_input // 3, args.max_input)
        target = rng.randint(20, 100)
        x = torch.randint(3, args.vocab, (args.batch_size, source))
        y = torch.randint(3, args.vocab, (args.batch_size, target))
        with autocast():
            loss = model(input_ids=x, labels=y).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        seen += args.batch_size
    rate = seen / (time.perf_counter() - started)
    params = sum(p.numel() for p in model.parameters()) / 1e6
    print(f"{args.config} d_model {model_cfg['d_model']} heads {model_cfg['num_heads']} "
          f"({params:.1f}M params), inputs <= {args.max_input}, {torch.get_num_threads()} threads"
          f"{', bf16' if args.bf16 else ''}: {rate:.1f} examples/s, "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.2f} GB")


if __name__ == "__main__":
    main()
