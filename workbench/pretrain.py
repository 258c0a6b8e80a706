"""`workbench pretrain`: T5 span corruption on a corpus of Java methods, from scratch.

No hub is reachable here, so the pretrained weights the study starts from (CodeT5+) have a
local stand-in: the same model shapes pretrained on `java-methods-v1` (~300k methods of the
training repositories) with T5's objective, then fine-tuned on assertions with
`workbench train ... model.name_or_path=PRETRAINED --tokenizer PRETRAINED`.

Each method's tokens (up to max_input_tokens) lose about `noise_density` of them in spans of
mean length `mean_span_length`; the input keeps the rest with one sentinel
(`<extra_id_N>`) per dropped span, and the target lists each sentinel followed by the span
it stands for (Raffel et al. 2020, section 3.1.4). The corruption is drawn once per method
(seeded), and a seeded 1% of methods (at most 2,000) is held out for the validation loss.
The loop, checkpoints, resume, time budget and plots are `workbench train`'s (`Trainer`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from assertgen.errors import UserError

PRETRAIN_DEFAULTS = {"noise_density": 0.15, "mean_span_length": 3.0, "valid_fraction": 0.01,
                     "max_valid": 2000}


def pretrain_settings(cfg: dict) -> dict:
    """PRETRAIN_DEFAULTS updated with the config's [pretrain] table (unknown keys are an error)."""
    from workbench.train import table_settings

    settings = table_settings(cfg, "pretrain", PRETRAIN_DEFAULTS)
    if not 0 < settings["noise_density"] < 1 or settings["mean_span_length"] < 1:
        raise UserError("pretrain.noise_density must be in (0, 1) and mean_span_length >= 1")
    # A fraction of -1 or 2 was taken as given: one method held out, or none left to train on.
    if not 0 < settings["valid_fraction"] < 1 or settings["max_valid"] < 1:
        raise UserError("pretrain.valid_fraction must be in (0, 1) and max_valid >= 1")
    return settings


def _random_partition(total: int, parts: int, rng: np.random.Generator) -> np.ndarray:
    """`parts` positive lengths summing to `total`, uniformly among such partitions."""
    cuts = np.sort(rng.choice(np.arange(1, total), size=parts - 1, replace=False))
    return np.diff(np.concatenate([[0], cuts, [total]]))


def span_corrupt(ids: list[int], sentinels: list[int], eos_id: int, rng: np.random.Generator,
                 noise_density: float = 0.15, mean_span_length: float = 3.0
                 ) -> tuple[list[int], list[int]]:
    """(input ids, target ids) of T5 span corruption of `ids`, both ending in EOS.

    Spans alternate kept / dropped, starting with a kept one, as T5's random_spans_noise_mask.
    """
    n = len(ids)
    if n < 2:
        raise ValueError("span corruption needs at least 2 tokens")
    noise = min(max(int(round(n * noise_density)), 1), n - 1)
    spans = min(max(int(round(noise / mean_span_length)), 1), noise, n - noise, len(sentinels))
    noise_lengths = _random_partition(noise, spans, rng)
    kept_lengths = _random_partition(n - noise, spans, rng)
    source, target, pos = [], [], 0
    for i, (kept, dropped) in enumerate(zip(kept_lengths, noise_lengths)):
        source += ids[pos:pos + kept] + [sentinels[i]]
        pos += kept
        target += [sentinels[i]] + ids[pos:pos + dropped]
        pos += dropped
    return source + [eos_id], target + [eos_id]


def sentinel_ids(tokenizer) -> list[int]:
    """The ids of <extra_id_0>, <extra_id_1>, ... (T5's sentinels, which `workbench
    tokenizer` adds); a tokenizer without them cannot be used for span corruption."""
    ids = []
    for i in range(1000):
        token_id = tokenizer.convert_tokens_to_ids(f"<extra_id_{i}>")
        if token_id is None or token_id == tokenizer.unk_token_id:
            break
        ids.append(token_id)
    if not ids:
        raise UserError("the tokenizer has no <extra_id_N> sentinel tokens (train one with "
                        "`workbench tokenizer`)")
    return ids


def encode_methods(methods: list[dict], tokenizer, settings: dict, pretrain: dict,
                   seed: int, show_progress: bool = False, what: str = "methods") -> list[dict]:
    """Span-corrupted examples (id, input_ids, labels), one per method of at least 2 tokens."""
    from rich.console import Console
    from rich.progress import track

    sentinels = sentinel_ids(tokenizer)
    # Room for the sentinels and EOS: the input is shorter than the method it comes from.
    max_tokens = int(settings["max_input_tokens"]) - 1
    examples = []
    starts = range(0, len(methods), 1024)
    for start in track(starts, description=f"encoding {len(methods):,} {what}",
                       disable=not show_progress, transient=True, console=Console(stderr=True)):
        chunk = methods[start:start + 1024]
        encoded = tokenizer([m["code"] for m in chunk], add_special_tokens=False)["input_ids"]
        for offset, ids in enumerate(encoded):
            index = start + offset
            if len(ids) < 2:
                continue
            rng = np.random.default_rng([seed, index])
            source, target = span_corrupt(ids[:max_tokens], sentinels, tokenizer.eos_token_id, rng,
                                          pretrain["noise_density"], pretrain["mean_span_length"])
            examples.append({"id": str(index), "input_ids": source,
                             "labels": target[: int(settings["max_target_tokens"])]})
    return examples


def methods_sample(path, limit: int | None, seed: int) -> list[dict]:
    """The methods to pretrain on: all of them, or a seeded sample of `limit` across the file
    (java-methods-v1 is stored repository by repository: its first 60k methods come from 12
    of its repositories), as `distill --limit` samples the dump."""
    from workbench.bench import sample_records
    from workbench.data import load_methods

    return sample_records(load_methods(path), limit, seed)


def split_methods(methods: list[dict], pretrain: dict, seed: int) -> tuple[list[dict], list[dict]]:
    """(train, valid): a seeded `valid_fraction` of the methods (at most max_valid) held out."""
    order = np.random.default_rng(seed).permutation(len(methods))
    n_valid = min(int(len(methods) * pretrain["valid_fraction"]), int(pretrain["max_valid"]))
    n_valid = max(n_valid, 1) if len(methods) > 1 else 0
    valid_ids = set(order[:n_valid].tolist())
    train = [m for i, m in enumerate(methods) if i not in valid_ids]
    valid = [m for i, m in enumerate(methods) if i in valid_ids]
    return train, valid


def register(subparsers) -> None:
    from workbench.train import add_common_arguments

    parser = subparsers.add_parser("pretrain", help="T5 span-corruption pretraining on Java methods",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True,
                        help="methods JSONL(.gz), one {\"code\": ...} per line (java-methods-v1)")
    add_common_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.train import Trainer, device_of, prepare_run, save_best

    if args.valid or args.valid_limit:
        raise UserError("--valid/--valid-limit do not apply: pretrain holds out "
                        "pretrain.valid_fraction of --data")
    cfg, settings, tokenizer, model = prepare_run(args)
    if model is None:
        print(f"{args.out}: already finished")
        return 0
    pretrain = pretrain_settings(cfg)
    if settings["max_input_tokens"] < 3:  # a kept token, a sentinel and EOS: span_corrupt's ValueError
        raise UserError("train.max_input_tokens must be at least 3 for span corruption", args.config)
    # Validation loss only: there are no assertions to generate and score.
    settings = {**settings, "valid_generate": 0, "select_metric": "valid_loss",
                "copy_warmup_epochs": 0}
    methods = methods_sample(args.data, args.limit, int(settings["seed"]))
    train_methods, valid_methods = split_methods(methods, pretrain, int(settings["seed"]))
    if not valid_methods:
        raise UserError("too few methods to hold any out for validation", args.data)
    show = not args.no_progress
    train = encode_methods(train_methods, tokenizer, settings, pretrain, int(settings["seed"]), show)
    valid = encode_methods(valid_methods, tokenizer, settings, pretrain, int(settings["seed"]) + 1,
                           show, "held-out methods")
    metadata = {"kind": "pretrain", "config": cfg,
                "data": {"methods": str(args.data), "train_methods": len(train),
                         "valid_methods": len(valid)},
                "pretrain": pretrain}
    trainer = Trainer(model, tokenizer, train, valid, [], settings, args.out,
                      save_fn=save_best(tokenizer, settings), device=device_of(args, cfg),
                      metadata=metadata, show_progress=show)
    trainer.run(resume=args.resume, max_steps=args.max_steps)
    print(f"fine-tune it: workbench train --config CONFIG --tokenizer {Path(args.out)} "
          f"model.name_or_path={Path(args.out)}")
    return 0
