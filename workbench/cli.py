"""`workbench` command line: one subcommand per module listed in COMMANDS.

Each module defines `register(subparsers)`, which adds its parser and sets
`func=run` on it. Modules keep heavy imports (torch, transformers, matplotlib)
inside their functions so that `workbench --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
from pathlib import Path

from assertgen.errors import TRAIN_EXTRA_HINT, UserError, run_cli

COMMANDS = [
    "workbench.train",
    "workbench.pretrain",
    "workbench.mine",
    "workbench.teacher_dump",
    "workbench.distill",
    "workbench.sweep",
    "workbench.plots",
    "workbench.evaluate",
    "workbench.baseline_ir",
    "workbench.bench",
    "workbench.report",
    "workbench.ship",
    "workbench.tokenizer",
    "workbench.export",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench", description="The research side of assertgen: tokenizer, training, teacher dumps, "
        "distillation, the metric suite, sweeps, plots, benchmarks, export.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


# The libraries of the extra `train` (pyproject.toml): a plain `pip install assertgen` has the
# runtime only. The commands that always use them are refused before any work (`report` would
# decode every model, then fail at its plots); the others say so when they reach one.
TRAIN_EXTRA = ("torch", "transformers", "safetensors", "matplotlib", "seaborn")
ALWAYS_NEED_EXTRA = {"train", "pretrain", "distill", "teacher-dump", "sweep", "export", "ship", "tokenizer",
                     "plot", "report"}


def _needs_extra(command: str, module: str) -> UserError:
    return UserError(f"`workbench {command}` needs {module}: {TRAIN_EXTRA_HINT}")


def parse(argv=None) -> argparse.Namespace:
    """The command line's arguments. KEY=VALUE config overrides may come anywhere among the
    options (`train --config c.toml train.epochs=1 --out o train.seed=2`), as users write them;
    argparse alone takes a single run of positionals."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and hasattr(args, "overrides") and all("=" in e and not e.startswith("-") for e in extra):
        args.overrides = [*(args.overrides or []), *extra]
    elif extra:
        parser.parse_args(argv)  # argparse's own usage error for what no option takes
    return args


def _paths_of(value) -> list[Path]:
    """The paths an argument's value may name: itself, a ZIP path's file, a `NAME=PATH`'s path."""
    values = value if isinstance(value, list) else [value]
    texts = [str(v) for v in values if isinstance(v, (str, Path))]
    return [Path(t.split("::")[0]) for t in texts] + [Path(t.split("=", 1)[1].split("::")[0]) for t in texts if "=" in t]


def refuse_output_onto_input(args: argparse.Namespace) -> None:
    """An --out FILE that is an input file of the command too: `mine --methods m.jsonl --out m.jsonl`
    replaced the corpus with its 21 mined records."""
    out = getattr(args, "out", None)
    if not out or not Path(out).is_file():
        return
    target = Path(out).resolve()
    for key, value in vars(args).items():
        if key != "out" and any(path.resolve() == target for path in _paths_of(value)):
            raise UserError(f"--out is also the input --{key.replace('_', '-')}: writing would replace it", str(out))


def _main(argv=None) -> int:
    args = parse(argv)
    refuse_output_onto_input(args)
    if args.command in ALWAYS_NEED_EXTRA:
        missing = [m for m in TRAIN_EXTRA if importlib.util.find_spec(m) is None]
        if missing:
            raise _needs_extra(args.command, ", ".join(missing))
    try:
        return args.func(args) or 0
    except ModuleNotFoundError as err:
        if (err.name or "").split(".")[0] not in TRAIN_EXTRA:
            raise
        raise _needs_extra(args.command, err.name) from None


def main(argv=None) -> int:
    raise SystemExit(run_cli(_main, argv))
