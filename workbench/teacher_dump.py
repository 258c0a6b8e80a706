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

- `teacher_dump`: the settings of the run (`--model`, `--data`, `--k`, ...: `dump_settings`)
  and `records`, the number of distinct record ids the whole dump holds once complete (all
  shards together). A killed run leaves a file that reads as valid JSON lines, so `workbench
  distill` counts the ids against `records` and refuses a partial dump (`check_complete`),
  and `--resume` refuses settings other than the ones the file was started with.

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
import zlib
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
    """Complete JSON lines of an existing output file. A line or gzip member cut off by a kill
    ends it (the lines before are kept); anything else unreadable is a UserError, since
    resuming rewrites the file without what could not be read."""
    lines: list[str] = []
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:  # bytes: a kill may cut a character in two
            for line_no, raw in enumerate(f, start=1):
                if not raw.endswith(b"\n"):
                    break  # the last line was cut off
                try:
                    line = raw.decode("utf-8")
                    json.loads(line)
                except ValueError as err:  # UnicodeDecodeError, JSONDecodeError
                    raise UserError(f"not a JSON line ({err}): not a teacher dump to resume, or "
                                    "damaged; choose another --out", str(path), line_no) from None
                lines.append(line)
    except EOFError:
        pass  # a gzip member cut off by a kill
    except (OSError, zlib.error) as err:  # not gzip, bad CRC, damaged deflate data
        raise UserError(f"cannot read it to resume ({err}): not a teacher dump, or damaged; "
                        "choose another --out", str(path)) from None
    return lines


def _resolved(path: str | None) -> str | None:
    """An absolute path (its `::` member part kept), so `teacher` and `./teacher` compare equal."""
    if path is None:
        return None
    head, sep, members = str(path).partition("::")
    return str(Path(head).resolve()) + sep + members


# The settings recorded in every row, with the option that sets each: a resume must keep them.
SETTING_FLAGS = {"model": "--model", "data": "--data", "member": "--member", "limit": "--limit",
                 "shard": "--shard", "retrieval_corpus": "--retrieval-corpus", "k": "--k",
                 "sequence": "--sequence", "num_beams": "--num-beams"}


def dump_settings(args: argparse.Namespace, records: int) -> dict:
    """The `teacher_dump` field of every row (module doc); `records`: distinct ids of all shards."""
    shard_i, shard_n = parse_shard(args.shard)
    return {"model": _resolved(args.model), "data": _resolved(args.data), "member": args.member,
            "limit": args.limit, "shard": f"{shard_i}/{shard_n}",
            "retrieval_corpus": _resolved(args.retrieval_corpus), "k": args.k,
            "sequence": args.sequence, "num_beams": args.num_beams, "records": records}


def _shown(value) -> str:
    return "(not given)" if value is None else str(value)


def check_resume(rows: list[dict], settings: dict, out: Path) -> None:
    """A UserError naming the first setting in which `settings` differ from those the existing
    rows of `out` were dumped with: a resume would mix two teachers, k's or data sets."""
    for recorded in {json.dumps(row.get("teacher_dump"), sort_keys=True): row.get("teacher_dump")
                     for row in rows}.values():
        if not isinstance(recorded, dict):
            raise UserError("has rows without their teacher_dump settings (an older teacher-dump "
                            "wrote them), so a resume cannot check it continues the same dump: "
                            "choose another --out", str(out))
        for key, flag in SETTING_FLAGS.items():
            if recorded.get(key) != settings[key]:
                was, now = (_shown(v) for v in (recorded.get(key), settings[key]))
                raise UserError(f"was dumped with {flag} {was}, not {now}: resume with the same "
                                "settings, or choose another --out", str(out))
        if recorded.get("records") != settings["records"]:
            raise UserError(f"was dumped from {recorded.get('records')} records, but --data now "
                            f"holds {settings['records']} (changed since?): choose another --out",
                            str(out))


def check_complete(rows: list[dict], source: str) -> None:
    """A UserError unless `rows` (a whole dump, shards joined) hold every record of the run
    that wrote them: a killed teacher-dump leaves valid lines, just too few. Dumps written
    before rows carried `teacher_dump` cannot be checked and pass."""
    recorded = [row.get("teacher_dump") for row in rows]
    if all(r is None for r in recorded):
        return
    # Shards of one run differ in their shard only.
    runs = {json.dumps({k: v for k, v in r.items() if k != "shard"} if isinstance(r, dict) else r,
                       sort_keys=True) for r in recorded}
    if len(runs) > 1:
        raise UserError("mixes rows of different teacher-dump runs (another --model, --data, --k, "
                        "--sequence, ...): dump again into a new file", source)
    expected = recorded[0].get("records") if isinstance(recorded[0], dict) else None
    if not isinstance(expected, int):
        raise UserError("has a malformed teacher_dump field (no record count)", source)
    have = len({row["id"] for row in rows})
    if have != len(rows):  # two runs appending to one file (a sweep's orphaned shard beside its rerun)
        raise UserError(f"holds {len(rows)} rows for {have} records: some were written twice; dump "
                        "again into a new file", source)
    if have != expected:
        raise UserError(f"holds {have} of the {expected} records its teacher-dump run was writing: "
                        "it was interrupted (finish it with `workbench teacher-dump --resume` and "
                        "the same options) or a shard is missing", source)


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
    all_records = load_records(args.data, member=args.member, limit=args.limit)
    records = [r for pos, r in enumerate(all_records) if pos % shard_n == shard_i]
    settings = dump_settings(args, len({r["id"] for r in all_records}))
    done_lines = read_done(out) if out.exists() else []
    done_rows = [json.loads(line) for line in done_lines]
    try:
        done = {row["id"] for row in done_rows}
    except (KeyError, TypeError):  # JSON lines, but not records
        raise UserError("is not a teacher dump (a line without an id) to resume: "
                        "choose another --out", str(out)) from None
    check_resume(done_rows, settings, out)
    todo = [r for r in records if r["id"] not in done]
    console = Console(stderr=True)
    console.print(f"{len(records)} records in shard {shard_i}/{shard_n}, {len(done)} already dumped, "
                  f"{len(todo)} to go")
    model, tokenizer, meta = load_model_dir(args.model)
    if args.k > model.config.vocab_size:  # found before --out is written, not at the first batch
        raise UserError(f"--k {args.k} is more than the model's vocabulary ({model.config.vocab_size} tokens)",
                        args.model)
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
            for row in rows:
                row["teacher_dump"] = settings
            with _open(out, "a", gz) as f:  # one gzip member per batch: a kill loses one batch at most
                f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            progress.advance(task, len(batch))
    console.print(f"wrote {len(done) + len(todo)} records to {out}")
    return 0
