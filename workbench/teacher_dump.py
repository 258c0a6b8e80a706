"""`workbench teacher-dump`: a teacher's predictions and top-k logits for every record.

Output: `.jsonl.gz` (or `.jsonl`), one line per input record: the record's own fields plus

- `predicted_assertions`: the teacher's greedy (or `--num-beams`) decode, parsed with
  `assertgen.prompt.parse_output`;
- `compressed_logits`: `workbench.logits_codec.encode_topk` of the teacher's top-k
  log-probabilities (`log_softmax` at temperature 1) at each position of ONE decoder
  sequence, stored in the field itself as `target_ids` with `sequence` naming it:

  - `--sequence teacher` (default; the study's choice): the teacher's own decode, as token
    ids up to and including EOS (`sequence = "teacher_prediction"`). The student's
    CE(teacher prediction) term and its KL term then share one forward pass over exactly
    these ids.
  - `--sequence gold`: the gold target (`build_target(assertions)` + EOS, tokenized as
    `workbench train` does; `sequence = "gold"`).

  Row t is the teacher's distribution over `target_ids[t]` given the decoder start token
  and `target_ids[:t]` (teacher forcing). The logits come from a teacher-forced forward pass
  over that sequence, not from the generation scores, so both choices use the same code and
  the stored ids are exactly the sequence the logits belong to. `workbench distill`
  teacher-forces the student on `target_ids` for the KL term, and refuses a gold dump whose
  `target_ids` differ from its own gold tokenization (another tokenizer).

Batched (records sorted by input length within the run), with a progress bar. `--resume`
keeps the complete lines already in the output and skips their ids; `--shard i/n` takes the
records whose position in the data file is i modulo n (run n processes, then concatenate:
gzip members concatenate). Generation and truncation limits come from the model
directory's metadata (`max_input_tokens`, `max_target_tokens`). A teacher trained with
retrieval augmentation is given augmented inputs (`assertgen.retrieval.model_inputs`; the
corpus is `--retrieval-corpus`, else the one in its metadata; a record never retrieves
itself, so dumping the training split sees what training saw).
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from assertgen.atomic import atomic_output, make_dir
from assertgen.errors import UserError

SEQUENCES = {"teacher": "teacher_prediction", "gold": "gold"}


def parse_shard(text: str | None) -> tuple[int, int]:
    if not text:
        return 0, 1
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise UserError(f"--shard must look like i/n (e.g. 0/4), got {text!r}") from None
    if not (n >= 1 and 0 <= i < n):
        raise UserError(f"--shard {text}: need 0 <= i < n")
    return i, n


def _open(path: Path, mode: str, gz: bool):
    return gzip.open(path, mode + "t", encoding="utf-8") if gz else open(path, mode, encoding="utf-8")


def read_done(path: Path) -> list[str]:
    """Complete JSON lines of an existing (possibly truncated by a kill) output file."""
    lines: list[str] = []
    try:
        with _open(path, "r", path.suffix == ".gz") as f:
            for line in f:
                if not line.endswith("\n"):
                    break  # the last line was cut off
                json.loads(line)
                lines.append(line)
    except (EOFError, OSError, json.JSONDecodeError):
        pass  # a cut-off gzip member or line: keep what was complete
    return lines


def dump_batch(model, tokenizer, records: list[dict], *, k: int, sequence: str, device: str,
               max_input_tokens: int, max_target_tokens: int, num_beams: int,
               inputs: list[str] | None = None, abstraction=None) -> list[dict]:
    """Output rows for one batch of records (see the module docstring); `inputs` are their
    model input texts (default: plain `record_input`); with an `abstraction` (the teacher's)
    the model sees them, and the gold targets, abstracted."""
    import torch

    from assertgen.abstraction import Abstraction, abstract_examples
    from assertgen.prompt import build_target, parse_output, record_input
    from workbench.logits_codec import encode_topk, topk_from_logits
    from workbench.train import _pad, encode_input_texts, encode_target, generate_ids

    if inputs is None:
        inputs = [record_input(r) for r in records]
    inputs, golds, names = abstract_examples(abstraction, inputs,
                                             [build_target(r["assertions"]) for r in records])
    predicted = generate_ids(model, tokenizer, inputs, device=device, batch_size=len(records),
                             max_source_len=max_input_tokens, max_new_tokens=max_target_tokens,
                             num_beams=num_beams)
    predicted = [p or [tokenizer.eos_token_id] for p in predicted]
    if sequence == "teacher_prediction":
        targets = predicted
    else:
        targets = [encode_target(tokenizer, gold, max_target_tokens) for gold in golds]
    enc = encode_input_texts(tokenizer, inputs, max_input_tokens)
    input_ids = _pad(enc, tokenizer.pad_token_id, torch.long)
    mask = torch.zeros_like(input_ids)
    for i, ids in enumerate(enc):
        mask[i, : len(ids)] = 1
    labels = _pad(targets, -100, torch.long)
    with torch.no_grad():
        logits = model(input_ids=input_ids.to(device), attention_mask=mask.to(device),
                       decoder_input_ids=model.prepare_decoder_input_ids_from_labels(
                           labels=labels.to(device))).logits
    texts = tokenizer.batch_decode(predicted, skip_special_tokens=True)
    rows = []
    for i, record in enumerate(records):
        ids, logprobs = topk_from_logits(logits[i, : len(targets[i])], k)
        row = {**record, "predicted_assertions": parse_output(Abstraction.concrete(texts[i], names[i])),
               "compressed_logits": encode_topk(ids, logprobs, sequence, targets[i],
                                                vocab_size=logits.shape[-1])}
        if abstraction is not None:  # the student must see the teacher's texts
            row["abstraction"] = abstraction.metadata()
        rows.append(row)
    return rows


def register(subparsers) -> None:
    parser = subparsers.add_parser("teacher-dump", help="teacher predictions + top-k logits per record",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="teacher model directory")
    parser.add_argument("--data", required=True, help="records (jsonl, .gz, zip)")
    parser.add_argument("--out", required=True, help="output .jsonl.gz")
    parser.add_argument("--k", type=int, default=4, help="top-k log-probs per position (default 4)")
    parser.add_argument("--sequence", choices=sorted(SEQUENCES), default="teacher",
                        help="decoder sequence the logits are taken along (default teacher)")
    parser.add_argument("--shard", help="i/n: only records at positions i mod n")
    parser.add_argument("--resume", action="store_true", help="skip ids already in --out")
    parser.add_argument("--batch-size", type=int, default=16, help="records per batch (default 16)")
    parser.add_argument("--num-beams", type=int, default=1,
                        help="beam width of the teacher's predictions (default 1: greedy)")
    parser.add_argument("--limit", type=int, help="only the first N records of --data")
    parser.add_argument("--member", help="member name pattern inside a ZIP --data")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    parser.add_argument("--retrieval-corpus", help="records to retrieve from, for a teacher trained "
                        "with retrieval augmentation (default: the corpus in its metadata)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    from workbench.data import load_records
    from workbench.modeling import load_model_dir
    from workbench.train import check_device

    for flag in ("k", "batch_size", "num_beams"):
        if getattr(args, flag) < 1:
            raise UserError(f"--{flag.replace('_', '-')} must be at least 1")
    check_device(args.device)
    shard_i, shard_n = parse_shard(args.shard)
    out = Path(args.out)
    if out.exists() and not args.resume:
        raise UserError("exists: pass --resume to continue it, or choose another --out", str(out))
    records = [r for pos, r in enumerate(load_records(args.data, member=args.member, limit=args.limit))
               if pos % shard_n == shard_i]
    done_lines = read_done(out) if out.exists() else []
    try:
        done = {json.loads(line)["id"] for line in done_lines}
    except (KeyError, TypeError):  # JSON lines, but not records
        raise UserError("is not a teacher dump (a line without an id) to resume: "
                        "choose another --out", str(out)) from None
    todo = [r for r in records if r["id"] not in done]
    console = Console(stderr=True)
    console.print(f"{len(records)} records in shard {shard_i}/{shard_n}, {len(done)} already dumped, "
                  f"{len(todo)} to go")
    model, tokenizer, meta = load_model_dir(args.model)
    model.to(args.device).eval()
    limits = {"max_input_tokens": int(meta.get("max_input_tokens", 512)),
              "max_target_tokens": int(meta.get("max_target_tokens", 256))}
    # Rewrite the complete lines (dropping a line cut by a kill), then append batch by batch.
    make_dir(out.parent)
    gz = out.suffix == ".gz"
    with atomic_output(out) as tmp, _open(tmp, "w", gz) as f:
        f.writelines(done_lines)
    from assertgen.abstraction import abstraction_of
    from assertgen.retrieval import model_inputs
    from workbench.baseline_ir import retriever_for

    inputs = dict(zip((r["id"] for r in todo),
                      model_inputs(todo, meta, retriever_for(meta, args.retrieval_corpus))))
    todo.sort(key=lambda r: len(inputs[r["id"]]))  # similar lengths per batch: less padding
    with Progress(TextColumn("teacher-dump"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=console, disable=args.no_progress) as progress:
        task = progress.add_task("dump", total=len(todo))
        for start in range(0, len(todo), args.batch_size):
            batch = todo[start:start + args.batch_size]
            rows = dump_batch(model, tokenizer, batch, k=args.k, sequence=SEQUENCES[args.sequence],
                              device=args.device, num_beams=args.num_beams,
                              inputs=[inputs[r["id"]] for r in batch], abstraction=abstraction_of(meta),
                              **limits)
            with _open(out, "a", gz) as f:  # one gzip member per batch: a kill loses one batch at most
                f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            progress.advance(task, len(batch))
    console.print(f"wrote {len(done) + len(todo)} records to {out}")
    return 0
