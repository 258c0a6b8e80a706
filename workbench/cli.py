"""`workbench` command line: one subcommand per module listed in COMMANDS.

Each module defines `register(subparsers)`, which adds its parser and sets
`func=run` on it. Modules keep heavy imports (torch, transformers, matplotlib)
inside their functions so that `workbench --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib

from assertgen.errors import run_cli

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


def _main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


def main(argv=None) -> int:
    raise SystemExit(run_cli(_main, argv))
