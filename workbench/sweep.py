"""`workbench sweep --config sweep.toml`: the study's experiments as one resumable command.

Stages, each skipped when its output is complete and resumed when it was interrupted:

1. `[tokenizer]` (optional): `workbench tokenizer` on `data` with `vocab_size` -> OUT/tokenizer
   (without it, the configs' own `model.tokenizer` is used);
2. `[teacher]`: `workbench train` with `config` (+ `overrides`) -> OUT/teacher, or an existing
   `model = "DIR"` used as is;
3. `[dump]`: `workbench teacher-dump` over `data` (`k`, `sequence`, `limit`, `batch_size`)
   -> OUT/dump.jsonl.gz;
4. the grid: one `workbench distill` run per point -> OUT/runs/NAME, one after another;
5. each model (teacher and every run) is decoded on `[eval] data` and scored with the full
   metric suite (`workbench.evaluate.evaluate`, CodeBLEU included) -> OUT/runs/NAME/eval/
   (the teacher's -> OUT/teacher-eval/);
6. OUT/summary.json and OUT/summary.csv (one row per model) and the figures of
   `workbench plot` in OUT/plots.

The grid is `[[grid]]` tables (or one `[grid]`); each is a product of its lists:
`preset` (names from workbench.losses.PRESETS), `alpha` (used with preset "alpha" only),
`temperature` (a constant KL temperature; without it the student config's [distill]
schedule applies) and `student` (student config paths: the student-size axis). `[students]`
gives the default student `config`, `limit` and `overrides` applied to every run. A grid
block may also set its own `limit` (training records) and `overrides` (after the
students' ones), e.g. a shorter schedule on a data subset for a wide preset sweep; give
such a block a `tag`, which ends its run names, so they stay apart from full runs. Relative paths
are relative to the current directory, as in the configs. Top-level keys: `out`, `device`
(default cpu) and `threads` (torch CPU threads; unset = torch's default).

`--jobs N` trains and evaluates N grid points at once, each in its own process (log in
OUT/runs/NAME.log): tiny models leave a GPU mostly idle, so several runs share it well.
`--only GLOB[,GLOB...]` runs just the matching grid points (no teacher evaluation, no
summary). `[dump] shards = n` runs the dump as n `--shard i/n` processes at once.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import itertools
import json
import os
import subprocess
import sys
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the tomli backport (a dependency there)
    import tomli as tomllib
from pathlib import Path

from assertgen.atomic import atomic_output, atomic_write_json, writable_dir
from assertgen.errors import UserError
from assertgen.retrieval import CACHE_ENV

METRIC_KEYS = ("precision", "recall", "f1", "exact_match", "exact_match_lenient", "codebleu",
               "token_accuracy", "ast_validity", "similarity")


def _cli(argv: list[str]) -> None:
    """Run a workbench subcommand in-process (the same code path as the shell)."""
    from workbench.cli import build_parser

    args = build_parser().parse_args(argv)
    args.func(args)


_SWEEP_KEYS = {"out", "device", "threads", "tokenizer", "teacher", "dump", "students", "grid", "eval"}
# The tables of a sweep and the keys each needs when present ([dump] is always needed).
_SWEEP_TABLES = {"tokenizer": ("data", "vocab_size"), "teacher": (), "dump": ("data",),
                 "students": (), "eval": ("data",)}
# The type of every key (int: a whole number of at least 1, `sentinels` 0 too; list: of strings).
_SWEEP_TYPES = {
    "": {"out": str, "device": str, "threads": int},
    "tokenizer": {"data": str, "vocab_size": int, "sentinels": int, "limit": int},
    "teacher": {"config": str, "model": str, "overrides": list, "limit": int},
    "dump": {"data": str, "k": int, "sequence": str, "limit": int, "batch_size": int, "shards": int},
    "students": {"config": str, "limit": int, "overrides": list},
    "eval": {"data": str, "limit": int, "num_beams": int, "batch_size": int, "plots": bool},
    "grid": {"preset": list, "alpha": list, "temperature": list, "student": list, "limit": int,
             "overrides": list, "tag": str},
}
# The files and folders a sweep reads after its first stages ([students] config and [grid]
# student: checked_config; [teacher] config: the teacher's training, the first work, reads it
# unless a teacher is in place already).
_SWEEP_PATHS = [("teacher", "model"), ("dump", "data"), ("eval", "data")]
_TYPE_NAMES = {str: "a string", int: "a whole number", bool: "true or false", list: "a list"}


def check_table(table: dict, name: str, source: str) -> None:
    """A UserError naming the key for an unknown key or a value of the wrong type in one
    table of a sweep (`_SWEEP_TYPES`), found now rather than stages later as a traceback."""
    types = _SWEEP_TYPES[name]
    where = f"{name}." if name else ""
    unknown = sorted(set(table) - set(types)) if name else []  # the top level's: `load_sweep`
    if unknown:
        raise UserError(f"unknown key(s): {', '.join(where + k for k in unknown)}; known: "
                        f"{', '.join(where + k for k in types)}", source)
    for key, kind in types.items():
        value = table.get(key)
        if value is None:
            continue
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
            raise UserError(f"{where}{key} must be {_TYPE_NAMES[kind]}, got {value!r}", source)
        if kind is int and value < (0 if key == "sentinels" else 1):
            raise UserError(f"{where}{key} must be at least {0 if key == 'sentinels' else 1}, got {value}",
                            source)
        if key == "overrides" and not all(isinstance(v, str) for v in value):
            raise UserError(f"{where}{key} must be a list of KEY=VALUE strings, got {value!r}", source)


def load_sweep(path) -> dict:
    path = Path(path)
    if not path.exists():
        raise UserError("sweep config not found", str(path))
    try:
        cfg = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise UserError(f"invalid TOML: {err}", str(path)) from None
    except (OSError, UnicodeDecodeError) as err:  # a directory, no permission, not UTF-8
        raise UserError(f"cannot read: {getattr(err, 'strerror', None) or err}", str(path)) from None
    unknown = sorted(set(cfg) - _SWEEP_KEYS)
    if unknown:
        raise UserError(f"unknown key(s): {', '.join(unknown)}; known: {', '.join(sorted(_SWEEP_KEYS))}",
                        str(path))
    check_table(cfg, "", str(path))
    for key in ("out", "eval"):
        if key not in cfg:
            raise UserError(f"missing `{key}`", str(path))
    if "teacher" not in cfg:
        raise UserError("missing [teacher] (config = ... to train one, or model = DIR)", str(path))
    # Checked now, not as a KeyError when the stage that reads them comes (after the teacher).
    for table, required in _SWEEP_TABLES.items():
        if table in cfg and not isinstance(cfg[table], dict):
            raise UserError(f"`{table}` must be a table ([{table}])", str(path))
        missing = [key for key in required if key not in cfg.get(table, {})]
        if missing and (table in cfg or table == "dump"):
            raise UserError(f"[{table}] needs `{'`, `'.join(missing)}`", str(path))
        check_table(cfg.get(table, {}), table, str(path))
    if "config" not in cfg["teacher"] and "model" not in cfg["teacher"]:
        raise UserError("[teacher] needs `config` (to train one) or `model` (a model directory)", str(path))
    return cfg


def check_paths(cfg: dict, source: str) -> None:
    """The files and folders the sweep reads exist: a typo in [eval] data was found after the
    teacher's training."""
    for table, key in _SWEEP_PATHS:
        value = cfg.get(table, {}).get(key)
        if value is not None and not Path(value.split("::")[0]).exists():
            raise UserError(f"[{table}] {key} = {value!r}: not found", source)


def grid_points(cfg: dict, source: str = "sweep") -> list[dict]:
    """Distinct grid points: {name, preset, alpha, temperature, student}; each block's keys
    and values checked (a preset's alpha and temperature as `workbench distill` checks them)."""
    from workbench.losses import PRESETS, weights_for

    blocks = cfg.get("grid", [])
    blocks = [blocks] if isinstance(blocks, dict) else blocks
    if not blocks:
        raise UserError("no [grid]: give at least `preset = [...]`", source)
    default_student = cfg.get("students", {}).get("config")
    default_limit = cfg.get("students", {}).get("limit")
    default_overrides = list(cfg.get("students", {}).get("overrides", []))
    points, seen = [], set()
    for block in blocks:
        if not isinstance(block, dict):
            raise UserError("`grid` must be tables ([[grid]])", source)
        check_table(block, "grid", source)
        for key, kind in (("preset", str), ("student", str), ("alpha", (int, float)),
                          ("temperature", (int, float))):
            if not all(isinstance(v, kind) and not isinstance(v, bool) for v in block.get(key, [])):
                raise UserError(f"grid.{key} must be a list of {'names' if kind is str else 'numbers'}, "
                                f"got {block[key]!r}", source)
        presets = block.get("preset", ["balanced"])
        for preset in presets:
            if preset not in PRESETS:
                raise UserError(f"unknown preset {preset!r} in the grid (known: {', '.join(PRESETS)})", source)
        students = block.get("student") or [default_student]
        if None in students:
            raise UserError("no student config: set [students] config or grid student", source)
        for preset, alpha, temp, student in itertools.product(
                presets, block.get("alpha", [None]), block.get("temperature", [None]), students):
            alpha = alpha if preset == "alpha" else None
            if preset == "alpha" and alpha is None:
                alpha = 0.5
            name = f"{Path(student).stem}-{preset}" + (f"-a{alpha:g}" if alpha is not None else "") + \
                (f"-T{temp:g}" if temp is not None else "") + (f"-{block['tag']}" if "tag" in block else "")
            try:  # alpha 7 stopped the sweep at its run, after the teacher and the runs before it
                weights_for(preset, alpha=alpha, temperature=temp)
            except UserError as err:
                raise UserError(f"grid point {name}: {err}", source) from None
            if name not in seen:
                seen.add(name)
                points.append({"name": name, "preset": preset, "alpha": alpha,
                               "temperature": temp, "student": student, "tag": block.get("tag"),
                               "limit": block.get("limit", default_limit),
                               "overrides": default_overrides + list(block.get("overrides", []))})
    return points


def evaluate_model(model_dir: Path, records: list[dict], out_dir: Path, eval_cfg: dict,
                   device: str) -> dict:
    """Greedy (or [eval] num_beams) decodes of `records` by the PyTorch model, scored; cached
    in out_dir (`workbench.evaluate.decode_and_score`)."""
    from workbench.bench import ModelSpec
    from workbench.evaluate import decode_and_score

    return decode_and_score(ModelSpec(Path(model_dir).name, str(model_dir), backend="pytorch"),
                            records, out_dir, beams=int(eval_cfg.get("num_beams", 1)),
                            batch_size=int(eval_cfg.get("batch_size", 32)), device=device,
                            plots=bool(eval_cfg.get("plots", False)))


def _row(name: str, kind: str, summary: dict, **fields) -> dict:
    row = {"run": name, "kind": kind, **fields}
    row.update({k: summary.get(k) for k in METRIC_KEYS})
    row["n"] = summary.get("n")
    return row


def write_summary(rows: list[dict], out: Path) -> None:
    """summary.json and summary.csv, each replaced atomically (rewritten after every run:
    an interruption while writing left a cut-off summary)."""
    atomic_write_json(out / "summary.json", rows)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    with atomic_output(out / "summary.csv") as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)


def _run_children(runs: list[tuple[list[str], Path]], at_once: int, alongside=None,
                  on_exit=None) -> list[int]:
    """`python -m workbench ARGV` for each (ARGV, log file), `at_once` at a time, the CPU
    threads split between them, while this process runs `alongside()`; the exit codes, in
    order. `on_exit(index, code)` is called as each one ends.

    SIGTERM or SIGINT (Ctrl-C, `kill PID`) goes on to the running children and starts no more;
    once they have stopped (each where it can resume) the sweep exits, so that no orphan goes
    on writing what a rerun writes too. A second Ctrl-C stops waiting for them."""
    import signal
    import threading
    from concurrent.futures import ThreadPoolExecutor

    threads = str(max(1, (os.cpu_count() or 1) // at_once))
    env = {**os.environ, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads,
           "TOKENIZERS_PARALLELISM": "false"}
    running: dict[int, subprocess.Popen] = {}
    lock = threading.Lock()
    stopped_by: list[int] = []

    def child(index: int) -> int:
        argv, log = runs[index]
        with open(log, "w", encoding="utf-8") as stream:
            with lock:
                if stopped_by:
                    return -stopped_by[0]
                # a session of its own: a terminal's Ctrl-C reaches the children once, through `forward`
                running[index] = subprocess.Popen([sys.executable, "-m", "workbench", *argv], stdout=stream,
                                                  stderr=subprocess.STDOUT, env=env, start_new_session=True)
            code = running[index].wait()
        with lock:
            del running[index]
        if on_exit is not None:
            on_exit(index, code)
        return code

    def forward(signum, frame):
        if stopped_by and signum == signal.SIGINT:  # a second Ctrl-C: stop waiting
            raise KeyboardInterrupt
        with lock:
            stopped_by.append(signum)
            for process in running.values():
                process.send_signal(signum)

    previous = {}
    if threading.current_thread() is threading.main_thread():  # signal handlers live there only
        previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        with ThreadPoolExecutor(at_once) as pool:
            futures = [pool.submit(child, i) for i in range(len(runs))]
            if alongside is not None and not stopped_by:
                alongside()
            codes = [future.result() for future in futures]
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stopped_by:
        name = signal.Signals(stopped_by[0]).name
        print(f"sweep: stopped by {name}, and its running children with it; the same command resumes",
              file=sys.stderr)
        raise SystemExit(128 + stopped_by[0])
    return codes


def run_points_in_parallel(points: list[dict], config_path, device: str, jobs: int, out: Path,
                           console, alongside=None) -> None:
    """Each unfinished point in a child `workbench sweep --only NAME` (log OUT/runs/NAME.log),
    `jobs` at a time, while this process runs `alongside()` (the teacher's evaluation).
    A failed child is reported with its log after the others finish (nothing is retried)."""
    (out / "runs").mkdir(parents=True, exist_ok=True)
    runs = [(["sweep", "--config", str(config_path), "--device", device, "--only", point["name"],
              "--no-progress"], out / "runs" / f"{point['name']}.log") for point in points]

    def report(index: int, code: int) -> None:
        console.print(f"{points[index]['name']}: {'done' if code == 0 else f'FAILED (exit {code})'}",
                      highlight=False)

    console.rule(f"{len(points)} runs, {jobs} at a time")
    codes = _run_children(runs, jobs, alongside=alongside, on_exit=report)
    failed = [f"{point['name']} (see {log})" for point, (_, log), code in zip(points, runs, codes) if code]
    if failed:
        raise UserError("sweep run(s) failed: " + ", ".join(failed))


def dump_in_shards(argv: list[str], dump_path: Path, shards: int, console) -> None:
    """`teacher-dump --shard i/n` in n processes at once (each resumable), then the parts
    joined into dump_path (gzip members concatenate) and removed."""
    parts = [dump_path.with_name(f"{dump_path.name.split('.')[0]}.part{i}-of-{shards}.jsonl.gz")
             for i in range(shards)]
    runs = [([*argv, "--shard", f"{i}/{shards}", "--out", str(part), "--no-progress",
              *(["--resume"] if part.exists() else [])], part.with_suffix(".log"))
            for i, part in enumerate(parts)]
    codes = _run_children(runs, shards)
    if any(codes):
        raise UserError("teacher-dump shard(s) failed: " + ", ".join(
            str(log) for (_, log), code in zip(runs, codes) if code))
    with atomic_output(dump_path) as tmp, open(tmp, "wb") as joined:
        for part in parts:
            joined.write(part.read_bytes())
    for part in parts:
        part.unlink()
        part.with_suffix(".log").unlink()
    console.print(f"joined {shards} shards into {dump_path}", markup=False)


def run_sweep(config_path, device: str | None = None, progress: bool = True, jobs: int = 1,
              only: str | None = None) -> list[dict]:
    """Run every stage of the module docstring; returns the summary rows."""
    from rich.console import Console

    from workbench.data import load_records
    from workbench.plots import plot_summary
    from workbench.train import checked_config, is_finished

    cfg = load_sweep(config_path)
    source = str(config_path)
    console = Console(stderr=True)
    points = grid_points(cfg, source)  # validate the grid before any work
    check_paths(cfg, source)
    if only:
        patterns = [g.strip() for g in only.split(",") if g.strip()]
        points = [p for p in points if any(fnmatch.fnmatchcase(p["name"], g) for g in patterns)]
        if not points:
            raise UserError(f"--only {only!r} matches no grid point", source)
    # The student configs too, as `workbench distill` will read them: a typo in one stopped
    # the sweep at its run, after the tokenizer, the teacher, the dump and the runs before it.
    for point in points:
        if not is_finished(Path(cfg["out"]) / "runs" / point["name"]):
            checked_config(point["student"], point["overrides"], model_table="student")
    out = writable_dir(cfg["out"])  # found before the first stage
    # Every run retrieves over the same records: search once (children inherit this).
    os.environ.setdefault(CACHE_ENV, str((out / "retrieval-cache").resolve()))
    device = device or cfg.get("device", "cpu")
    if "threads" in cfg:  # tiny models run faster on one thread than on two contended ones
        import torch

        torch.set_num_threads(int(cfg["threads"]))
    quiet = [] if progress else ["--no-progress"]

    tok_args: list[str] = []
    if "tokenizer" in cfg:
        t = cfg["tokenizer"]
        tok_dir = out / "tokenizer"
        if not (tok_dir / "tokenizer.json").exists():
            console.rule("tokenizer")
            _cli(["tokenizer", "--data", str(t["data"]), "--vocab-size", str(t["vocab_size"]),
                  "--out", str(tok_dir), "--sentinels", str(t.get("sentinels", 100))]
                 + (["--limit", str(t["limit"])] if "limit" in t else []))
        tok_args = ["--tokenizer", str(tok_dir)]

    teacher = cfg["teacher"]
    if "model" in teacher:
        teacher_dir = Path(teacher["model"])
    else:
        teacher_dir = out / "teacher"
        if not is_finished(teacher_dir):
            console.rule("teacher")
            resume = ["--resume"] if (teacher_dir / "training" / "checkpoint.pt").exists() else []
            _cli(["train", "--config", str(teacher["config"]), "--out", str(teacher_dir), "--device",
                  device, *tok_args, *resume, *quiet,
                  *(["--limit", str(teacher["limit"])] if "limit" in teacher else []),
                  *teacher.get("overrides", [])])

    dump_cfg = cfg.get("dump", {})
    dump_path = out / "dump.jsonl.gz"
    done_marker = out / "dump.done"
    if not done_marker.exists():
        console.rule("teacher dump")
        argv = ["teacher-dump", "--model", str(teacher_dir), "--data", str(dump_cfg["data"]),
                "--k", str(dump_cfg.get("k", 4)), "--sequence", dump_cfg.get("sequence", "teacher"),
                "--device", device, *quiet,
                *(["--limit", str(dump_cfg["limit"])] if "limit" in dump_cfg else []),
                *(["--batch-size", str(dump_cfg["batch_size"])] if "batch_size" in dump_cfg else [])]
        shards = int(dump_cfg.get("shards", 1))
        if shards > 1:
            dump_in_shards(argv, dump_path, shards, console)
        else:
            _cli(argv + ["--out", str(dump_path)] + (["--resume"] if dump_path.exists() else []))
        done_marker.write_text("done\n")

    eval_cfg = cfg["eval"]
    eval_records = load_records(eval_cfg["data"], limit=eval_cfg.get("limit"))

    def evaluate_teacher():
        return evaluate_model(teacher_dir, eval_records, out / "teacher-eval", eval_cfg, device)

    if jobs > 1:
        run_points_in_parallel([p for p in points if not (out / "runs" / p["name"] / "eval" /
                                                          "metrics.json").exists()],
                               config_path, device, jobs, out, console,
                               alongside=None if only else evaluate_teacher)
    rows = []
    if not only:
        console.rule("evaluate teacher")
        rows.append(_row("teacher", "teacher", evaluate_teacher()))
    for i, point in enumerate(points, start=1):
        run_dir = out / "runs" / point["name"]
        if not is_finished(run_dir):
            console.rule(f"run {i}/{len(points)}: {point['name']}")
            resume = ["--resume"] if (run_dir / "training" / "checkpoint.pt").exists() else []
            argv = ["distill", "--config", point["student"], "--teacher-dump", str(dump_path),
                    "--out", str(run_dir), "--preset", point["preset"], "--device", device,
                    *tok_args, *resume, *quiet]
            if point["alpha"] is not None:
                argv += ["--alpha", str(point["alpha"])]
            if point["temperature"] is not None:
                argv += ["--temperature", str(point["temperature"]), "--constant-temperature"]
            if point["limit"] is not None:
                argv += ["--limit", str(point["limit"])]
            _cli(argv + point["overrides"])
        else:
            console.print(f"run {i}/{len(points)}: {point['name']} finished before, skipped")
        summary = evaluate_model(run_dir, eval_records, run_dir / "eval", eval_cfg, device)
        meta = json.loads((run_dir / "assertgen.json").read_text())
        w = meta.get("loss_weights", {})
        done = json.loads((run_dir / "training" / "done.json").read_text())
        rows.append(_row(point["name"], "student", summary, preset=point["preset"], alpha=point["alpha"],
                         temperature=w.get("temperature"), temperature_end=w.get("temperature_end"),
                         student=Path(point["student"]).stem, tag=point["tag"], w_gold=w.get("gold"),
                         w_teacher=w.get("teacher"), w_soft=w.get("soft"), w_ast=w.get("ast"),
                         parameters=meta.get("parameters"),
                         train_records=meta.get("data", {}).get("train_records"),
                         # gold CE on the validation records: what separates runs whose
                         # decoded metrics are all near zero (short schedules)
                         valid_loss=done.get("best") if done.get("select_metric") == "valid_loss" else None,
                         train_seconds=done.get("train_seconds")))
        if not only:
            write_summary(rows, out)  # a partial summary survives an interruption
    if only:
        return rows
    write_summary(rows, out)
    plots = plot_summary(rows, out / "plots")
    _print_table(rows, console)
    console.print(f"summary: {out / 'summary.csv'}, {out / 'summary.json'}; plots: "
                  + ", ".join(str(p) for p in plots), markup=False)
    return rows


def _print_table(rows: list[dict], console) -> None:
    from rich.table import Table

    table = Table(title="sweep summary")
    shown = ("f1", "exact_match", "codebleu", "ast_validity")
    table.add_column("run")
    for key in shown:
        table.add_column(key, justify="right")
    for row in rows:
        table.add_row(row["run"], *(f"{row[k]:.3f}" if isinstance(row[k], (int, float)) else "-"
                                    for k in shown))
    console.print(table)


def register(subparsers) -> None:
    parser = subparsers.add_parser("sweep", help="tokenizer -> teacher -> dump -> distill grid -> "
                                   "evaluate -> summary and plots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="sweep TOML (see configs/sweep-*.toml)")
    parser.add_argument("--device", help="cpu or cuda (default: the sweep's `device`, else cpu)")
    parser.add_argument("--jobs", type=int, default=1, help="grid points trained at once, each in "
                        "its own process (default 1; on a GPU, several)")
    parser.add_argument("--only", metavar="GLOB[,GLOB]", help="run only the grid points whose names "
                        "match one of these patterns (no teacher evaluation, no summary)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise UserError("--jobs must be at least 1")
    run_sweep(args.config, device=args.device, progress=not args.no_progress, jobs=args.jobs,
              only=args.only)
    return 0
