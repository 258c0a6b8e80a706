"""Where a training step's time goes, per batch size: data, forward+loss, backward, optimizer.

    python benchmarks/scripts/profile_step.py --config configs/teacher-cpu.toml \
        --tokenizer runs/sweep-gpu/tokenizer --device cuda --batch-sizes 64,128,256,512 --out OUT

Run it first in a GPU session (about a minute): the H200 trained the CPU teacher at ~400
examples/s with 4-57% utilisation, i.e. bound by the host. For each batch size it times
`--steps` real `workbench train` steps (the Trainer's own collate, autocast, loss and
optimizer, on length-bucketed batches of the config's training data) twice:

- phased: a device sync after each phase, so the four times add up to the step;
- pipelined: no sync until the last step, as training runs; examples/s from this one.

`pipelined < sum of phases` means the device overlaps the host; `pipelined ~ data + host
part of the phases` means the host is the bottleneck. A torch.profiler table of the
ops (self CPU time, and device time on CUDA) for the largest batch size goes beside.
Writes OUT/profile.md, OUT/profile.json and OUT/ops-bsN.txt.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

PHASES = ("data", "forward_loss", "backward", "optimizer")


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def _trainer(model, tokenizer, examples, settings, device, out):
    from workbench.train import Trainer

    trainer = Trainer(model, tokenizer, examples, [], [], settings, out, device=device,
                      show_progress=False)
    trainer.model.train()
    return trainer


def _batches(trainer, batch_size: int, count: int):
    from workbench.train import epoch_batches

    order = epoch_batches(trainer.lengths, batch_size, trainer.s["seed"], 0, trainer.s["bucket_chunk"])
    return [order[i % len(order)] for i in range(count)]


def _step(trainer, indices, clock=None):
    mark = clock or (lambda name: None)
    trainer.forward_backward(indices, 0, 1, mark=mark)
    trainer.optimizer_step()
    mark("optimizer")


def profile_batch_size(trainer, batch_size: int, steps: int, warmup: int) -> dict:
    device = trainer.device
    batches = _batches(trainer, batch_size, warmup + 2 * steps)
    for indices in batches[:warmup]:
        _step(trainer, indices)
    phased = {name: [] for name in PHASES}
    for indices in batches[warmup:warmup + steps]:
        _sync(device)
        last = [time.perf_counter()]

        def clock(name):
            _sync(device)
            now = time.perf_counter()
            phased[name].append(now - last[0])
            last[0] = now
        _step(trainer, indices, clock)
    _sync(device)
    start = time.perf_counter()
    examples = 0
    for indices in batches[warmup + steps:]:
        _step(trainer, indices)
        examples += len(indices)
    _sync(device)
    pipelined = time.perf_counter() - start
    row = {"batch_size": batch_size, "steps": steps,
           **{f"{name}_ms": 1000 * statistics.median(times) for name, times in phased.items()},
           "pipelined_ms_per_step": 1000 * pipelined / steps,
           "examples_per_s": examples / pipelined}
    if device.startswith("cuda"):
        import torch

        row["peak_memory_gib"] = torch.cuda.max_memory_allocated() / 2 ** 30
    return row


def op_table(trainer, batch_size: int, steps: int = 3) -> str:
    from torch.profiler import ProfilerActivity, profile

    cuda = trainer.device.startswith("cuda")
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])
    batches = _batches(trainer, batch_size, steps)
    with profile(activities=activities) as prof:
        for indices in batches:
            _step(trainer, indices)
        _sync(trainer.device)
    averages = prof.key_averages()
    tables = [averages.table(sort_by="self_cpu_time_total", row_limit=20)]
    if cuda:
        tables.append(averages.table(sort_by="self_cuda_time_total", row_limit=20))
    return "\n\n".join(tables)


def markdown(rows: list[dict], header: str) -> str:
    lines = [header, "", "| batch | data ms | forward+loss ms | backward ms | optimizer ms | "
             "sum ms | pipelined ms/step | examples/s | peak GiB |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        total = sum(r[f"{name}_ms"] for name in PHASES)
        peak = f"{r['peak_memory_gib']:.1f}" if "peak_memory_gib" in r else "—"
        lines.append(f"| {r['batch_size']} | " + " | ".join(f"{r[f'{n}_ms']:.1f}" for n in PHASES)
                     + f" | {total:.1f} | {r['pipelined_ms_per_step']:.1f} | "
                     f"{r['examples_per_s']:.0f} | {peak} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    import torch

    from assertgen.retrieval import model_inputs
    from workbench import modeling
    from workbench.data import load_records
    from workbench.train import encode_records, retrieval_setup, train_settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--tokenizer", help="tokenizer directory (default: the config's)")
    parser.add_argument("--data", help="training records (default: the config's data.train)")
    parser.add_argument("--limit", type=int, default=2048, help="records to draw batches from")
    parser.add_argument("--batch-sizes", default="32,64,128")
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--warmup-steps", type=int, default=3,
                        help="untimed steps first, per batch size (compiled steps need more)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="config override, e.g. runtime.cpu_precision=bf16 or runtime.compile=true "
                        "(compilation happens in the warm-up steps, not timed)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    cfg = modeling.load_config(args.config, args.set)
    settings = train_settings(cfg)
    tokenizer = modeling.load_tokenizer(args.tokenizer or modeling.tokenizer_source(cfg["model"]))
    model = modeling.build_model(cfg["model"], tokenizer)
    data = args.data or cfg["data"]["train"]
    records = load_records(data, limit=args.limit)
    retrieval, corpus = retrieval_setup(cfg, records, data)  # neighbours within the sample
    inputs = model_inputs(records, {"retrieval": retrieval} if retrieval else None, corpus)
    examples = encode_records(records, tokenizer, settings["max_input_tokens"],
                              settings["max_target_tokens"], inputs)
    sizes = [int(b) for b in args.batch_sizes.split(",")]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            trainer = _trainer(model, tokenizer, examples, {**settings, "batch_size": size},
                               args.device, scratch)
            rows.append(profile_batch_size(trainer, size, args.steps, args.warmup_steps))
            print(json.dumps(rows[-1]), file=sys.stderr)
        (out / f"ops-bs{sizes[-1]}.txt").write_text(op_table(trainer, sizes[-1]), encoding="utf-8")
    parameters = sum(p.numel() for p in model.parameters())
    where = torch.cuda.get_device_name(0) if args.device.startswith("cuda") else \
        f"CPU, {torch.get_num_threads()} threads"
    header = (f"`{args.config}` ({parameters / 1e6:.2f}M parameters), {where}, torch "
              f"{torch.__version__}, {len(records)} records of `{data}`, median of {args.steps} "
              f"steps per phase; overrides: {args.set or 'none'}")
    table = markdown(rows, header)
    (out / "profile.md").write_text(table, encoding="utf-8")
    (out / "profile.json").write_text(json.dumps({"header": header, "rows": rows}, indent=2),
                                      encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
