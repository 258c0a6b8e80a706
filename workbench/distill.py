"""`workbench distill`: train a student on a teacher dump with the composite loss.

    workbench distill --config configs/tiny-student.toml --teacher-dump dump.jsonl.gz \\
        --out runs/student --preset balanced [--alpha A] [--temperature T] [KEY=VALUE ...]

The loss (`workbench.losses`, definitions there) combines CE on gold, CE on the teacher's
prediction, the tempered top-k KL and the AST weighting; weights come from a named preset
(`--preset`, else the config's `[distill] preset`). The student is the config's `[student]`
table when it has one, else `[model]`; it must share the teacher's vocabulary (the dump's
`vocab_size` must be the student's). A dump its teacher-dump did not finish is refused. Training
machinery, outputs and `--resume` are those of `workbench train` (workbench/train.py); a
resume must keep the run's dump, preset and loss weights (OUT/training/distill.json).
With `[data] retrieval = true` the student's inputs are retrieval-augmented, the corpus
being the dump's records (the student's training records; each gets its nearest other one).
A teacher trained with identifier abstraction (`assertgen.abstraction`) records its idioms
in every dump row; the student then learns in the same abstracted texts.

Alignment: the KL term and CE(teacher prediction) use the dump's `target_ids` (the sequence
the teacher logits were taken along) as the student's decoder sequence. For dumps along
gold, `target_ids` must equal the student's own gold tokenization (else the dump came from
another tokenizer and is refused), and the teacher prediction is tokenized separately.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assertgen.errors import UserError


def dump_abstraction(dump_records: list[dict], cfg: dict, source: str):
    """The teacher's Abstraction, recorded in every row of its dump (None for a plain
    teacher): the student learns in the teacher's texts. `data.abstraction`, when the
    config sets it, must agree."""
    from assertgen.abstraction import abstraction_of
    from workbench.train import data_settings

    kinds = {json.dumps(r.get("abstraction"), sort_keys=True) for r in dump_records}
    if len(kinds) > 1:
        raise UserError("the dump mixes rows of teachers with different abstractions", source)
    abstraction = abstraction_of({"abstraction": dump_records[0].get("abstraction")})
    wanted = data_settings(cfg).get("abstraction")
    if wanted is not None and wanted != (abstraction is not None):
        raise UserError(f"data.abstraction = {str(wanted).lower()}, but the teacher of this dump was "
                        f"trained {'with' if abstraction else 'without'} identifier abstraction; "
                        "a student learns in its teacher's texts (leave data.abstraction unset)", source)
    return abstraction


def distill_examples(dump_records: list[dict], tokenizer, max_input_tokens: int,
                     max_target_tokens: int, source: str,
                     inputs: list[str] | None = None, abstraction=None,
                     lines: list[int] | None = None, vocab_size: int | None = None) -> list[dict]:
    """Training examples from dump records: gold labels plus the aligned teacher fields;
    `inputs` are the model input texts (default: plain `record_input`), abstracted with
    `abstraction` (the teacher's) when given. `lines`: each record's line in `source`, for
    errors (default: its position); `vocab_size`: the student's output vocabulary (default:
    the tokenizer's size)."""
    import torch

    from assertgen.prompt import build_target
    from workbench.logits_codec import TopK, decode_any
    from workbench.train import encode_records, encode_target

    examples = encode_records(dump_records, tokenizer, max_input_tokens, max_target_tokens, inputs,
                              abstraction)
    vocab = len(tokenizer) if vocab_size is None else vocab_size
    lines = lines or range(1, len(dump_records) + 1)
    for line, record, ex in zip(lines, dump_records, examples):
        if "compressed_logits" not in record or record.get("predicted_assertions") is None:
            raise UserError(f"record {record['id']!r} has no compressed_logits/predicted_assertions: "
                            "not a teacher dump (make one with `workbench teacher-dump`)", source, line)
        topk = decode_any(record["compressed_logits"], source, line)
        if not isinstance(topk, TopK):
            raise UserError("dense seed-format logits carry no target sequence, so they cannot be "
                            "aligned with the student's decoder; re-dump with `workbench teacher-dump`",
                            source, line)
        target = topk.target_ids.tolist()
        highest = max(target + topk.ids.reshape(-1).tolist(), default=0)
        # Equal sizes, not only ids that fit: a smaller teacher vocabulary fits any bigger one.
        if topk.vocab_size is not None and topk.vocab_size != vocab:
            raise UserError(f"the dump's logits are over a vocabulary of {topk.vocab_size} tokens, "
                            f"the student's over {vocab}: the dump was made with another tokenizer",
                            source, line)
        if highest >= vocab:
            raise UserError(f"token ids up to {highest} do not fit the student's vocabulary of "
                            f"{vocab}: the dump was made with another tokenizer", source, line)
        n = min(len(target), max_target_tokens)
        ex["teacher_labels"] = target[:n]
        ex["topk_ids"] = torch.as_tensor(topk.ids[:n], dtype=torch.long)
        ex["topk_logprobs"] = torch.as_tensor(topk.logprobs[:n], dtype=torch.float32)
        if topk.sequence == "gold":
            if target[:n] != ex["labels"][:n]:
                raise UserError("the dump's gold target_ids differ from the student's gold "
                                "tokenization: the dump was made with another tokenizer or another "
                                "data.abstraction setting", source, line)
            ex["pred_labels"] = encode_target(tokenizer, build_target(record["predicted_assertions"]),
                                              max_target_tokens)
    kinds = {"pred_labels" in ex for ex in examples}
    if len(kinds) > 1:
        raise UserError("the dump mixes logits along gold and along the teacher prediction", source)
    return examples


# A value of each [distill] setting's type: what `table_settings` checks a given one against
# (which ones are given matters: alpha and ast_weight apply only then).
_DISTILL_TYPES = {"preset": "balanced", "alpha": 0.5, "temperature_start": 4.0, "temperature_end": 1.0,
                  "constant_temperature": False, "ast_weight": 0.0}


# The command line of a run that sets none of the loss options.
_NO_OPTIONS = argparse.Namespace(preset=None, alpha=None, temperature=None, temperature_end=None,
                                 constant_temperature=False, ast_weight=None)


def distill_table(cfg: dict) -> dict:
    """The config's [distill] table as given, its keys, value types, preset and ranges checked."""
    from workbench.train import table_settings

    table_settings(cfg, "distill", _DISTILL_TYPES)
    table = dict(cfg.get("distill", {}))
    # A temperature of 0 stops the run now, not at its first step. An alpha without a preset
    # waits for the run: its --preset may be alpha.
    _weights(table if "preset" in table else {k: v for k, v in table.items() if k != "alpha"},
             _NO_OPTIONS)
    return table


def loss_weights(cfg: dict, args, source: str | None = None):
    """LossWeights from the config's [distill] table (of the file `source`), overridden by the
    command line."""
    return _weights(distill_table(cfg), args, source)


def _weights(table: dict, args, source: str | None = None):
    from workbench.losses import weights_for

    preset = args.preset or table.get("preset") or "balanced"
    alpha = args.alpha
    if alpha is None and "alpha" in table:
        # Refused as `--alpha` is: a config alpha silently ignored trained another loss.
        if preset != "alpha":
            raise UserError(f"distill.alpha only applies to the 'alpha' preset, not {preset!r}: "
                            "remove it or use the alpha preset", source)
        alpha = table["alpha"]
    start = args.temperature if args.temperature is not None else table.get("temperature_start", 4.0)
    constant = args.constant_temperature or bool(table.get("constant_temperature", False))
    end = None if constant else (args.temperature_end if args.temperature_end is not None
                                 else table.get("temperature_end", 1.0))
    ast = args.ast_weight if args.ast_weight is not None else table.get("ast_weight")
    return preset, weights_for(preset, alpha=alpha, ast=ast, temperature=float(start),
                               temperature_end=None if end is None else float(end))


def load_dump(path: str) -> tuple[list[dict], list[int]]:
    """The dump's records and the file line of each (errors name the line to open, not the
    position in a --limit sample)."""
    from workbench.data import load_records, normalise_record

    lines: list[int] = []

    def numbered(obj, label, line_no):
        record = normalise_record(obj, label, line_no)
        lines.append(line_no)
        return record

    return load_records(path, normalise=numbered), lines


def _run_file(out) -> Path:
    """What a distill run was started with, so that --resume can refuse a different loss."""
    return Path(out) / "training" / "distill.json"


def _run_record(args, preset: str, weights) -> dict:
    from dataclasses import asdict

    return {"teacher_dump": str(Path(args.teacher_dump).resolve()), "preset": preset,
            "loss_weights": asdict(weights)}


def check_resumed_run(args, preset: str, weights) -> None:
    """A UserError when --resume would go on with another dump or loss than the run began with
    (it trained on a mixture, or stopped at a KeyError on the loss parts it had logged)."""
    path = _run_file(args.out)
    if not path.exists():  # nothing to resume (the trainer says so), or a run older than this file
        return
    try:
        began = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise UserError(f"cannot read: {err}", str(path)) from None
    now = _run_record(args, preset, weights)
    pairs = [("--teacher-dump", began.get("teacher_dump"), now["teacher_dump"]),
             ("preset", began.get("preset"), now["preset"])]
    pairs += [(f"loss_weights.{key}", (began.get("loss_weights") or {}).get(key), value)
              for key, value in now["loss_weights"].items()]
    changed = [f"{what} (run {was}, now {value})" for what, was, value in pairs if was != value]
    if changed:
        raise UserError("cannot resume with a changed " + ", ".join(changed) + ": start it again "
                        "in another --out", str(args.out))


def register(subparsers) -> None:
    from workbench.losses import PRESETS
    from workbench.train import add_common_arguments

    parser = subparsers.add_parser("distill", help="distill a student from a teacher dump",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--teacher-dump", required=True, help="output of `workbench teacher-dump`")
    parser.add_argument("--preset", choices=list(PRESETS), help="loss weights (default: config "
                        "distill.preset, else balanced)")
    parser.add_argument("--alpha", type=float, help="with --preset alpha: alpha*KL + (1-alpha)*CE(gold)")
    parser.add_argument("--temperature", type=float, help="KL temperature (start of the decay; default: "
                        "config distill.temperature_start, else 4)")
    parser.add_argument("--temperature-end", type=float, help="temperature at the last epoch "
                        "(geometric decay per epoch; default: config distill.temperature_end, else 1)")
    parser.add_argument("--constant-temperature", action="store_true", help="no decay")
    parser.add_argument("--ast-weight", type=float, help="w_ast of the AST weighting")
    add_common_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from assertgen.atomic import atomic_write_json
    from workbench.bench import sample_records
    from workbench.data import load_records
    from workbench.losses import composite_loss
    from workbench.teacher_dump import check_complete
    from assertgen.retrieval import model_inputs
    from workbench.train import (Trainer, data_path, device_of, encode_records, prepare_run,
                                 retrieval_setup, save_best)

    cfg, settings, tokenizer, model = prepare_run(args, model_table="student")
    if model is None:
        print(f"{args.out}: already finished")
        return 0
    if settings["copy_warmup_epochs"]:
        raise UserError("train.copy_warmup_epochs is a `workbench train` setting: warm up a student "
                        "with `workbench train`, then distill from it (student.name_or_path)",
                        args.config)
    preset, weights = loss_weights(cfg, args, args.config)
    if args.resume:
        check_resumed_run(args, preset, weights)
    full_dump, full_lines = load_dump(args.teacher_dump)
    if not full_dump:
        raise UserError("no records", args.teacher_dump)
    check_complete(full_dump, args.teacher_dump)
    # teacher-dump writes records in input-length order (it batches by length): --limit
    # takes a seeded sample, not the first N, which would be the N shortest inputs.
    keep = sample_records(list(range(len(full_dump))), args.limit, settings["seed"])
    dump, lines = [full_dump[i] for i in keep], [full_lines[i] for i in keep]
    valid_records = load_records(data_path(args.valid, cfg, "valid", "validation data"),
                                 limit=args.valid_limit)
    if not valid_records:
        raise UserError("no records", str(data_path(args.valid, cfg, "valid", "validation data")))
    metadata = {"kind": "distill", "config": cfg, "preset": preset, "loss_weights": asdict(weights),
                "data": {"teacher_dump": str(args.teacher_dump), "train_records": len(dump),
                         "valid": str(args.valid or cfg.get("data", {}).get("valid"))}}
    # Neighbours come from the whole dump, also for a --limit sample: the corpus the model's
    # metadata names (and evaluation reloads) is then exactly the one training searched.
    retrieval, corpus = retrieval_setup(cfg, full_dump, args.teacher_dump)
    if retrieval:
        metadata["retrieval"] = retrieval
    abstraction = dump_abstraction(full_dump, cfg, args.teacher_dump)
    if abstraction:
        metadata["abstraction"] = abstraction.metadata()
    valid_inputs = model_inputs(valid_records, metadata, corpus)
    train_examples = distill_examples(dump, tokenizer, settings["max_input_tokens"],
                                      settings["max_target_tokens"], args.teacher_dump,
                                      model_inputs(dump, metadata, corpus), abstraction, lines,
                                      model.config.vocab_size)
    valid_examples = encode_records(valid_records, tokenizer, settings["max_input_tokens"],
                                    settings["max_target_tokens"], valid_inputs, abstraction)

    def loss_fn(model, batch, epoch, epochs):
        return composite_loss(model, batch, weights, weights.temperature_at(epoch, epochs), tokenizer)

    trainer = Trainer(model, tokenizer, train_examples, valid_examples, valid_records, settings,
                      args.out, loss_fn=loss_fn, save_fn=save_best(tokenizer, settings),
                      device=device_of(args, cfg), metadata=metadata,
                      show_progress=not args.no_progress, valid_inputs=valid_inputs)
    w = weights
    print(f"preset {preset}: gold {w.gold}, teacher {w.teacher}, soft {w.soft}, ast {w.ast}, "
          f"temperature {w.temperature}" + (f" -> {w.temperature_end}" if w.temperature_end else " (constant)"))
    if not args.resume:
        atomic_write_json(_run_file(args.out), _run_record(args, preset, weights))
    trainer.run(resume=args.resume, max_steps=args.max_steps)
    return 0
