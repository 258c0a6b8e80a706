"""`workbench report`: the study's Tables 1–3, every model on every test split.

    workbench report --model teacher=runs/sweep-cpu/teacher \\
        --model student=runs/sweep-cpu/runs/student-cpu-balanced --model ir=baseline-ir \\
        --train TRAIN --split test-inproject=D/test-inproject.jsonl.gz --split test=D/test.jsonl.gz \\
        --out benchmarks/results

Models are given as in `workbench bench` (`NAME=DIR[@BACKEND]`, `baseline-ir`, `default`).
For each split and model the first greedy candidate (or `--beams`) is scored with the
whole metric suite (`workbench.evaluate.evaluate`, CodeBLEU included) into
OUT/eval/SPLIT/NAME/ (predictions.jsonl, metrics.json, per_example.jsonl, and
decoded_by.json: the model's directory, backend and beams); a model whose metrics.json is
there already for the same records, decoded the same way, is not run again, so an
interrupted report resumes and a new model costs only its own decoding. Then:

- OUT/tables.json: {split: {model: metrics + parameters + backend}}, plus the command and
  the reference model;
- OUT/tables.md: one Markdown table per split (strict exact match first, lenient beside
  it), with `CodeBLEU vs REF` (the model's CodeBLEU over the reference model's, the
  target "student CodeBLEU >= 90% of the teacher's");
- OUT/plots/SPLIT/core_metrics.png and code_metrics.png (`workbench.plots`).

With `--knn`, each model directory with PyTorch weights (trained without identifier
abstraction) also gets a row NAME+knn: greedy decoding (whatever `--beams`) steered by the
keys of its `--train` records' nearest tests (`workbench.knn`, kNN-MT); with `--reuse` too,
a row NAME+knn+reuse.

With `--reuse`, each model also gets a row NAME+reuse: its predictions, except where the
record's most similar test of its own repository (among the whole split's other test files
and `--train`'s records, also with `--limit`) is similar enough to reuse, adapted (`assertgen.reuse`, idioms fitted
on `--train`): what `assertgen fill` does with a model that offers reuse.
"""

from __future__ import annotations

import argparse
import json
import shlex
from pathlib import Path

from assertgen.atomic import atomic_write, atomic_write_json, make_dir, writable_dir
from assertgen.errors import UserError

COLUMNS = [("exact_match", "EM strict"), ("exact_match_lenient", "EM lenient"),
           ("precision", "P"), ("recall", "R"), ("f1", "F1"), ("codebleu", "CodeBLEU"),
           ("token_accuracy", "token acc."), ("similarity", "similarity"),
           ("ast_validity", "AST valid")]
REUSE_SUFFIX = "+reuse"
KNN_SUFFIX = "+knn"


def check_name(name: str, option: str, text: str) -> str:
    """A model's or split's name, which names its folder under --out: one path part
    (`--model ../../esc=dir` wrote outside --out)."""
    if name in (".", "..") or "/" in name or "\\" in name:
        raise UserError(f"{option} {text!r}: the name {name!r} must not be a path (it names a folder under --out)")
    return name


def parse_split(text: str) -> tuple[str, str]:
    """`NAME=PATH` (or a bare PATH, named after its file)."""
    name, sep, path = text.partition("=")
    if not sep:
        name, path = Path(text).name.split(".")[0], text
    if not name or not path:
        raise UserError(f"--split {text!r}: expected NAME=PATH")
    check_name(name, "--split", text)
    if not Path(path).exists():
        raise UserError("data file not found", path)
    return name, path


def model_info(spec) -> dict:
    """Parameters, retrieval, abstraction and the backend that runs it (a model directory's assertgen.json;
    the backend is CTranslate2 when it has a ct2/ copy, unless forced)."""
    if spec.kind != "directory":
        return {"backend": spec.kind}
    from assertgen.model import CT2_DIR, read_metadata

    path = _model_dir(spec)
    meta = read_metadata(path)
    if spec.backend == "ctranslate2" and not (path / CT2_DIR).is_dir():  # found before any other model runs
        raise UserError(f"no {CT2_DIR}/ copy to run @ctranslate2: run `workbench export --model {path}` first",
                        str(path))
    backend = spec.backend or ("ctranslate2" if (path / CT2_DIR).is_dir() else "pytorch")
    return {"parameters": meta.get("parameters"), "retrieval": bool(meta.get("retrieval")),
            "abstraction": bool(meta.get("abstraction")), "backend": backend}


def _cell(value) -> str:
    return f"{value:.3f}" if isinstance(value, (int, float)) else "—"


def markdown(tables: dict, reference: str | None) -> str:
    lines = []
    for split, models in tables["splits"].items():
        ref = models.get(reference, {}).get("codebleu") if reference else None
        head = ["model", "backend", "params (M)"] + [title for _, title in COLUMNS] + ["n"]
        if ref:
            head.append(f"CodeBLEU vs {reference}")
        lines += [f"### {split}", "", "| " + " | ".join(head) + " |",
                  "| --- |" + " ---: |" * (len(head) - 1)]
        for name, m in models.items():
            params = m.get("parameters")
            row = [name, m.get("backend", "—"), f"{params / 1e6:.3g}" if params else "—"]  # 0.0123 for a tiny model
            row += [_cell(m.get(key)) for key, _ in COLUMNS] + [str(m.get("n", "—"))]
            if ref:
                row.append(f"{m['codebleu'] / ref:.0%}")
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    lines.append(f"Command: `{tables['command']}`")
    return "\n".join(lines) + "\n"


def score_with_reuse(records: list[dict], reused: list, model_dir: Path) -> dict:
    """The model's predictions (model_dir/predictions.jsonl) with `reused` assertions where
    there are some, written and scored beside it in NAME+reuse/ (unless scored already)."""
    from workbench.data import write_jsonl
    from workbench.evaluate import align, cached_summary, evaluate, read_predictions, read_stamp, write_stamp

    reuse_dir = model_dir.with_name(model_dir.name + REUSE_SUFFIX)
    stamp = read_stamp(model_dir)  # the model's predictions decoded anew: these too
    cached = cached_summary(reuse_dir, records, stamp)
    if cached is not None:
        return cached
    predictions = align(records, read_predictions(model_dir / "predictions.jsonl"), str(model_dir))
    combined = [own if own is not None else p for own, p in zip(reused, predictions)]
    make_dir(reuse_dir)
    write_stamp(reuse_dir, stamp)
    write_jsonl(reuse_dir / "predictions.jsonl",
                ({"id": r["id"], "prediction": p, "reused": own is not None}
                 for r, p, own in zip(records, combined, reused)))
    return evaluate(records, combined, reuse_dir, plots=False)


def knn_models(specs) -> list:
    """The model directories of `specs` that `--knn` decodes: those with PyTorch weights,
    trained without identifier abstraction (whose targets are in other names than their
    neighbours' assertions)."""
    from assertgen.model import has_pytorch_weights

    return [s for s in specs if s.kind == "directory" and has_pytorch_weights(_model_dir(s))
            and not model_info(s)["abstraction"]]


def _model_dir(spec) -> Path:
    from assertgen.model import CT2_DIR

    path = Path(spec.source)
    return path.parent if path.name == CT2_DIR else path


def score_with_knn(spec, records: list[dict], train_path: str, train: list[dict], out_dir: Path,
                   decoders: dict, batch_size: int = 32) -> dict:
    """`spec`'s PyTorch weights decoding `records` with kNN over `train` (`workbench.knn`),
    written and scored in out_dir (unless scored already, by the same weights and settings).
    `decoders` keeps each model's decoder (and the keys it computed) across splits."""
    from workbench.data import write_jsonl
    from dataclasses import replace

    from workbench.evaluate import cached_summary, decoding_stamp, evaluate, file_stamp, write_stamp
    from workbench.knn import SETTINGS, KnnDecoder, predict_with_knn

    model_dir = _model_dir(spec)
    # its PyTorch weights decoding greedily, steered by the neighbours of train_path
    stamp = {**decoding_stamp(replace(spec, backend="pytorch"), beams=1), "knn": SETTINGS,
             "train": file_stamp(train_path)}
    cached = cached_summary(out_dir, records, stamp)
    if cached is not None:
        return cached
    if spec.name not in decoders:
        decoders[spec.name] = KnnDecoder(model_dir, train, spec.retrieval_corpus)
    predictions = predict_with_knn(decoders[spec.name], records, batch_size)
    make_dir(out_dir)
    write_stamp(out_dir, stamp)
    write_jsonl(out_dir / "predictions.jsonl", ({"id": r["id"], "prediction": p} for r, p in zip(records, predictions)))
    return evaluate(records, predictions, out_dir, plots=False)


def report(specs, splits: list[tuple[str, str]], out: Path, *, limit: int | None = None,
           beams: int = 1, batch_size: int = 32, reference: str | None = None,
           command: str = "", console=None, reuser=None, reuse_corpus: list[dict] = (),
           knn_train: tuple[str, list[dict]] | None = None) -> dict:
    from assertgen.reuse import RepositoryReuse
    from workbench.bench import sample_records
    from workbench.data import load_records
    from workbench.evaluate import decode_and_score
    from workbench.plots import plot_summary

    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise UserError(f"model names must differ: {', '.join(names)}")
    taken = [n for n in names if n.endswith((REUSE_SUFFIX, KNN_SUFFIX))]
    if taken:  # NAME+reuse and NAME+knn are rows (and folders) of the report's own
        raise UserError(f"model names must not end in {REUSE_SUFFIX} or {KNN_SUFFIX}: {', '.join(taken)}")
    if reference and reference not in names:
        raise UserError(f"--reference {reference!r} is not one of the models: {', '.join(names)}")
    # One table and one eval/SPLIT/ directory per name: the second split of a name replaced
    # the first's scores and table under the first one's data.
    split_names = [name for name, _ in splits]
    if len(set(split_names)) != len(split_names):
        raise UserError(f"split names must differ: {', '.join(split_names)}")
    make_dir(out)  # a file in the way is found now, not after the first model's decoding
    # The reference too: tables.md's "CodeBLEU vs REF" column follows from tables.json alone.
    tables = {"command": command, "limit": limit, "beams": beams, "reference": reference, "splits": {}}
    decoders: dict = {}  # --knn: each model's decoder, kept across splits
    for split, path in splits:
        every_record = load_records(path)
        records = sample_records(every_record, limit, seed=0)  # the sample bench draws
        if not records:
            raise UserError("no records", path)
        rows = {}
        for spec in specs:
            if console:
                console.print(f"{split}: {spec.name} ({len(records)} records)", highlight=False)
            summary = decode_and_score(spec, records, out / "eval" / split / spec.name,
                                       beams=beams, batch_size=batch_size)
            rows[spec.name] = {**{k: v for k, v in summary.items() if not isinstance(v, dict)},
                               **model_info(spec)}
        scored = [(spec, spec.name) for spec in specs if spec.kind != "baseline-ir"]
        if knn_train is not None:
            for spec in knn_models(specs):
                if console:
                    console.print(f"{split}: {spec.name}{KNN_SUFFIX} ({len(records)} records)", highlight=False)
                summary = score_with_knn(spec, records, *knn_train, out / "eval" / split / (spec.name + KNN_SUFFIX),
                                         decoders, batch_size)
                rows[spec.name + KNN_SUFFIX] = {**{k: v for k, v in summary.items() if not isinstance(v, dict)},
                                                **model_info(spec), "backend": "pytorch", "beams": 1}
                scored.append((spec, spec.name + KNN_SUFFIX))
        if reuser is not None:
            reuse = RepositoryReuse(reuser, [*every_record, *reuse_corpus])  # the whole split, as bench
            reused = [r and r.assertions for r in reuse.suggest(records)]
            for spec, name in scored:
                summary = score_with_reuse(records, reused, out / "eval" / split / name)
                rows[name + REUSE_SUFFIX] = {
                    **{k: v for k, v in summary.items() if not isinstance(v, dict)}, **model_info(spec),
                    "backend": rows[name]["backend"], "reused": sum(r is not None for r in reused) / len(records)}
        tables["splits"][split] = rows
        plot_summary([{"run": name, **m} for name, m in rows.items()], out / "plots" / split)
    atomic_write_json(out / "tables.json", tables)
    atomic_write(out / "tables.md", markdown(tables, reference).encode("utf-8"))
    return tables


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="the study's Tables 1-3: every model on every split (Markdown, JSON, plots)",
        description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", required=True, metavar="[NAME=]SOURCE[@BACKEND]",
                        help="as in `workbench bench`; repeatable")
    parser.add_argument("--split", action="append", required=True, metavar="NAME=PATH",
                        help="test records; repeatable")
    parser.add_argument("--train", help="training records, for baseline-ir")
    parser.add_argument("--retrieval-corpus", help="records to retrieve from, for models trained "
                        "with retrieval augmentation (default: each one's recorded corpus)")
    parser.add_argument("--reuse", action="store_true",
                        help="also score each model with reuse of similar tests' assertions "
                             "(rows NAME+reuse; needs --train)")
    parser.add_argument("--knn", action="store_true",
                        help="also decode each model directory with PyTorch weights with kNN over "
                             "its --train records' nearest tests (rows NAME+knn, greedy; needs --train)")
    parser.add_argument("--reference", help="model the CodeBLEU ratio compares with (e.g. teacher)")
    parser.add_argument("--limit", type=int, help="a sample of N records of each split (seed 0, "
                        "as `workbench bench --limit`)")
    parser.add_argument("--beams", type=int, default=1, help="1 = greedy (default)")
    parser.add_argument("--batch-size", type=int, default=32,
                        help="test methods per generate call (default 32)")
    parser.add_argument("--out", required=True, help="output directory")
    parser.set_defaults(func=run)


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces this report, rebuilt from the parsed arguments."""
    parts = ["workbench", "report"] + [x for m in args.model for x in ("--model", m)] + \
        [x for s in args.split for x in ("--split", s)]
    for flag in ("train", "retrieval_corpus", "reference", "limit", "beams", "batch_size"):
        value = getattr(args, flag)
        if value is not None and (flag, value) not in (("beams", 1), ("batch_size", 32)):
            parts += [f"--{flag.replace('_', '-')}", str(value)]
    parts += [f"--{flag}" for flag in ("knn", "reuse") if getattr(args, flag)]
    return shlex.join(parts + ["--out", str(args.out)])  # quoted: a path with spaces pastes back whole


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from workbench.bench import parse_model_arg

    for flag in ("beams", "batch_size"):
        if getattr(args, flag) < 1:
            raise UserError(f"--{flag.replace('_', '-')} must be at least 1")
    specs = [parse_model_arg(m, args.train, args.retrieval_corpus) for m in args.model]
    if any(s.kind == "baseline-ir" for s in specs) and not args.train:
        raise UserError("baseline-ir needs --train")
    reuser, reuse_corpus = None, []
    if args.reuse:
        if not args.train:
            raise UserError("--reuse needs --train (its idioms, and records to reuse from)")
        from assertgen.abstraction import fit_idioms
        from assertgen.reuse import Reuser
        from workbench.data import load_records

        reuse_corpus = load_records(args.train)
        reuser = Reuser(fit_idioms(reuse_corpus))
    knn_train = None
    if args.knn:
        if not args.train:
            raise UserError("--knn needs --train (the tests whose keys steer the decoding)")
        knn_specs = knn_models(specs)
        if not knn_specs:
            raise UserError("--knn decodes model directories with PyTorch weights (config.json + "
                            "model.safetensors) trained without identifier abstraction, and no --model is one")
        from workbench.data import load_records

        knn_train = (args.train, reuse_corpus or load_records(args.train))
        if not knn_train[1]:
            raise UserError("no records: nothing for --knn's neighbours", args.train)
    splits = [parse_split(s) for s in args.split]
    writable_dir(args.out)  # before any decoding: a file in the way, a read-only folder
    console = Console(stderr=True)
    if args.knn:
        decoded = {s.name for s in knn_specs}
        skipped = [s.name for s in specs if s.kind != "baseline-ir" and s.name not in decoded]
        if skipped:
            console.print(f"--knn: no kNN rows for {', '.join(skipped)} (no PyTorch weights, or trained "
                          "with identifier abstraction)", highlight=False)
    tables = report(specs, splits, Path(args.out), limit=args.limit, beams=args.beams,
                    batch_size=args.batch_size, reference=args.reference,
                    command=command_line(args), console=console, reuser=reuser,
                    reuse_corpus=reuse_corpus, knn_train=knn_train)
    print(markdown(tables, args.reference), end="")
    console.print(f"wrote {Path(args.out) / 'tables.md'} and {Path(args.out) / 'tables.json'}", markup=False)
    return 0
