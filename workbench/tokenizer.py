"""`workbench tokenizer`: train a byte-level BPE tokenizer on assertion records.

The tokenizer sees exactly the text the model will see: the prompt input
(`assertgen.prompt.record_input`) and the target (`assertgen.prompt.build_target`)
of every record. Byte-level BPE has no unknown characters and decodes back to the
exact source text, whitespace and newlines included.

Special tokens follow T5: `<pad>` = 0 (also the decoder start token), `</s>` = 1,
`<unk>` = 2, then `<mask>` and the span-corruption sentinels `<extra_id_0>`,
`<extra_id_1>`, ... A post-processor appends `</s>` to every encoded sequence, inputs
and labels alike, as T5 tokenizers do. The directory is saved so that
`transformers.AutoTokenizer.from_pretrained(DIR)` loads it, and its `tokenizer.json`
alone is enough for the runtime (`tokenizers.Tokenizer.from_file`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from assertgen.atomic import make_dir
from assertgen.errors import UserError

PAD, EOS, UNK, MASK = "<pad>", "</s>", "<unk>", "<mask>"
DEFAULT_SENTINELS = 100


def special_tokens(num_sentinels: int = DEFAULT_SENTINELS) -> list[str]:
    """Special tokens in id order: pad=0, eos=1, unk=2, mask=3, then sentinels."""
    return [PAD, EOS, UNK, MASK] + [f"<extra_id_{i}>" for i in range(num_sentinels)]


def record_texts(records: Iterable[dict], abstraction=None) -> Iterator[str]:
    """The texts a tokenizer is trained on: each record's model input and its target,
    as a model trained with `abstraction` (`assertgen.abstraction`) sees them when given."""
    from assertgen.abstraction import abstract_examples
    from assertgen.prompt import build_target, record_input

    records = list(records)
    inputs, targets, _ = abstract_examples(abstraction, [record_input(r) for r in records],
                                           [build_target(r["assertions"]) for r in records])
    for text, target in zip(inputs, targets):
        yield text
        yield target


def train_tokenizer(texts: Iterable[str], vocab_size: int, num_sentinels: int = DEFAULT_SENTINELS,
                    min_frequency: int = 2):
    """Train a byte-level BPE on `texts`; returns a transformers fast tokenizer.

    `vocab_size` counts everything: the 256 byte symbols, the special tokens and the merges.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    specials = special_tokens(num_sentinels)
    minimum = len(specials) + len(pre_tokenizers.ByteLevel.alphabet())
    if vocab_size <= minimum:
        raise UserError(f"--vocab-size {vocab_size} is too small: the bytes and {len(specials)} special "
                        f"tokens alone take {minimum}")
    tokenizer = Tokenizer(models.BPE(unk_token=UNK))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                  special_tokens=specials, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(texts, trainer=trainer)
    eos_id = tokenizer.token_to_id(EOS)
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"$A {EOS}", pair=f"$A {EOS} $B {EOS}", special_tokens=[(EOS, eos_id)])
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, pad_token=PAD, eos_token=EOS, unk_token=UNK, mask_token=MASK,
        additional_special_tokens=specials[4:], model_max_length=100_000)


def register(subparsers) -> None:
    parser = subparsers.add_parser("tokenizer", help="train a byte-level BPE tokenizer on records",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", required=True, metavar="FILE",
                        help="record file (jsonl, .gz, zip); repeat for several")
    parser.add_argument("--vocab-size", type=int, required=True, metavar="N",
                        help="total vocabulary: the 256 bytes, the special tokens and the merges")
    parser.add_argument("--out", required=True, metavar="DIR", help="output tokenizer directory")
    parser.add_argument("--limit", type=int, default=None, metavar="N",
                        help="read at most N records from each file")
    parser.add_argument("--sentinels", type=int, default=DEFAULT_SENTINELS, metavar="N",
                        help=f"number of <extra_id_i> span-corruption sentinels (default {DEFAULT_SENTINELS})")
    parser.add_argument("--min-frequency", type=int, default=2, metavar="N",
                        help="minimum pair frequency for a merge (default 2)")
    parser.add_argument("--abstraction", action="store_true",
                        help="train on the texts a model with data.abstraction = true sees "
                             "(idioms fitted on these records, as training fits them on its own)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assertgen.abstraction import Abstraction, fit_idioms
    from workbench.data import iter_records
    from workbench.modeling import is_model_dir, save_tokenizer

    if is_model_dir(args.out):  # its model would keep ids that mean other tokens now
        raise UserError("holds a model: writing a tokenizer there would replace the model's own; "
                        "choose another --out", args.out)
    if args.sentinels < 0:
        raise UserError("--sentinels must be >= 0")
    if args.min_frequency < 0:  # else the BPE trainer's OverflowError, after reading the data
        raise UserError(f"--min-frequency must be >= 0, got {args.min_frequency}")
    records: list[dict] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=False, console=Console(stderr=True)) as progress:
        for path in args.data:
            if not Path(path).exists() and "::" not in path:
                raise UserError("no such data file", path)
            task = progress.add_task(f"reading {Path(path.split('::')[0]).name}", total=args.limit)
            for record in iter_records(path, limit=args.limit):
                records.append(record)
                progress.advance(task)
        if not records:
            raise UserError("no records to train on", ", ".join(args.data))
        abstraction = Abstraction(fit_idioms(records)) if args.abstraction else None
        texts = list(record_texts(records, abstraction))
        task = progress.add_task(f"training BPE ({len(records)} records)", total=None)
        tokenizer = train_tokenizer(texts, args.vocab_size, args.sentinels, args.min_frequency)
        progress.update(task, total=1, completed=1)
    out = make_dir(args.out)
    save_tokenizer(tokenizer, out)
    print(f"wrote {out} (vocab {len(tokenizer)}, {len(records)} records)")
    return 0
