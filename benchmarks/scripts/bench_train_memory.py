"""Resident memory of CPU training steps with batch shapes that vary as length-bucketed batches
do, with and without handing freed memory back to the system (`workbench.train.release_freed_memory`).

    python benchmarks/scripts/bench_train_memory.py --config configs/student-cpu.toml --steps 400 [--trim-every 10]

Each step: batch 8, 16 or 32, inputs 20-320 tokens, targets 5-128 (random token ids, a fixed
seed), bf16 autocast, AdamW, one thread. Prints the RSS and the elapsed time every 100 steps,
and with --trim-every the time spent in the trims.
"""

from __future__ import annotations

import argparse
import random
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--trim-every", type=int, default=0, help="0: never")
    args = parser.parse_args()

    import torch
    from transformers import T5ForConditionalGeneration

    from workbench.modeling import load_config, t5_config
    from workbench.train import release_freed_memory

    torch.set_num_threads(1)
    model_cfg = dict(load_config(args.config)["model"])
    model_cfg.pop("d_kv", None)
    torch.manual_seed(0)
    rng = random.Random(0)
    model = T5ForConditionalGeneration(t5_config(model_cfg, 8000))
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    started, trimming = time.perf_counter(), 0.0
    for step in range(1, args.steps + 1):
        batch, source, target = rng.choice([8, 16, 32]), rng.randint(20, 320), rng.randint(5, 128)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = model(input_ids=torch.randint(3, 8000, (batch, source)),
                         labels=torch.randint(3, 8000, (batch, target))).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if args.trim_every and step % args.trim_every == 0:
            t = time.perf_counter()
            release_freed_memory()
            trimming += time.perf_counter() - t
        if step % 100 == 0:
            with open("/proc/self/statm") as statm:
                rss_mb = int(statm.read().split()[1]) * 4096 / 2**20
            print(f"step {step}: RSS {rss_mb:.0f} MB, {time.perf_counter() - started:.1f} s "
                  f"(trims {trimming:.2f} s)", flush=True)


if __name__ == "__main__":
    main()
