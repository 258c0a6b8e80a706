"""Speed and memory of assertion generators, measured side by side (`workbench bench`).

Each model is run in a child process of its own (a fresh `python` interpreter, not a
fork of this one), one model after the other so they never compete
for the CPU. The child loads the model, generates for every record and reports back;
the parent computes the statistics. Definitions:

- `ms_per_method_p50`, `ms_per_method_mean`, `ms_per_method_p90`: wall time
  (`time.perf_counter`) of one call that turns test methods into assertions: prompt
  building, tokenization, generation (greedy with beams=1, else beam search with
  `beams` beams) and decoding/parsing, divided by the number of methods in the call
  (`batch_size`, 1 by default, so one call = one test method). The first `warmup`
  calls are run once beforehand and not timed. p50/p90 are the nearest-rank
  percentiles over methods; the model's load time is not included (see `load_s`).
- `ms_per_assertion`: total timed ms / total number of assertions generated (first
  candidate, parsed with `assertgen.prompt.parse_output`); None when nothing was generated.
- `peak_rss_mb`: the child's peak resident set size (MiB) at the end of the run:
  interpreter, libraries, model and generation together. On Linux this is `VmHWM` from
  /proc/self/status; `ru_maxrss` is NOT used there because Linux carries the parent's
  high-water mark across fork+exec, so a spawned child would report the parent's size.
- `rss_after_load_mb`: resident set size right after loading the model.
- `load_s`: seconds to load the model (baseline-ir: read the training data and fit).

`threads` (optional) caps the model's CPU threads: PyTorch's intra-op threads, and the
number of parallel sub-batch workers of assertgen's CTranslate2 backend (which decodes
each sub-batch on one thread; see `assertgen.model.CT2Generator`). Measured here: on 2
cores already busy with other work, PyTorch with 2 threads was ~15x slower per method
than with 1 (OpenMP threads waiting on each other), so give CI runs on shared machines
threads=1; on the idle machine the PyTorch teacher was faster with 2 (109.9 against
133.1 ms p50).

Ratios against a reference model R (usually the teacher), for a model M:
`speedup_p50 = R.ms_per_method_p50 / M.ms_per_method_p50`, `speedup_mean` likewise, and
for every other metric m, `m_ratio = M.m / R.m` (e.g. `peak_rss_mb_ratio`, `codebleu_ratio`).

A model source is one of: a model directory (`assertgen.model.load_generator`;
the backend is CTranslate2 when the directory has a `ct2/` copy, else PyTorch, unless
forced with `backend`), `default` (the embedded student), `baseline-ir` (TF-IDF retrieval, needs training
records), or `module:function` naming a factory that returns an object with the
Generator's `generate(inputs, num_candidates, batch_size) -> list[list[str]]` (for tests
and experiments; the module is imported with `import_path` first on sys.path).
A model trained with retrieval augmentation gets augmented inputs
(`assertgen.retrieval.model_inputs`), searching `retrieval_corpus` (default: the corpus in
its metadata); fitting the retriever counts in `load_s`, each search in the timed call.

A model with `reuse_from` (record files: the data and the training records) is measured as
`assertgen fill` runs it (`assertgen.reuse`): each record first searches its own
repository among those records, outside its own test file, and reuses the adapted
assertions of a similar enough test; the model writes the rest. The idioms are fitted on
`train`. Fitting counts in `load_s`, the search and adaptation in the timed call.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import re
import shlex
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from assertgen.atomic import atomic_write, atomic_write_json, writable_dir
from assertgen.errors import UserError

DEFAULT_MODEL = "default"
BASELINE_IR = "baseline-ir"

SPEED_METRICS = ("ms_per_method_p50", "ms_per_method_mean", "ms_per_method_p90",
                 "ms_per_assertion", "peak_rss_mb", "rss_after_load_mb", "load_s")
QUALITY_METRICS = ("precision", "recall", "f1", "exact_match", "exact_match_lenient", "codebleu",
                   "token_accuracy", "ast_validity", "similarity")
BASE_METRICS = QUALITY_METRICS + SPEED_METRICS
# Metrics that only exist relative to a reference model (see the module docstring).
RATIO_METRICS = ("speedup_p50", "speedup_mean") + tuple(f"{m}_ratio" for m in BASE_METRICS)
ALL_METRICS = BASE_METRICS + RATIO_METRICS
_FACTORY = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


@dataclass(frozen=True)
class ModelSpec:
    """One model to measure: a label and where it comes from (see the module docstring)."""

    name: str
    source: str
    train: str | None = None        # training records, for baseline-ir
    import_path: str | None = None  # prepended to sys.path for a module:function factory
    backend: str | None = None      # model directories: "ctranslate2", "pytorch" or None (auto)
    retrieval_corpus: str | None = None  # records to retrieve from (retrieval-augmented models)
    reuse_from: tuple[str, ...] = ()     # record files whose tests are reused (module docstring)

    @property
    def kind(self) -> str:
        if self.source == BASELINE_IR:
            return "baseline-ir"
        if self.source == DEFAULT_MODEL:
            return "default"
        if _FACTORY.match(self.source) and not Path(self.source).exists():
            return "factory"
        return "directory"


@dataclass(frozen=True)
class Options:
    """How generation is run and timed."""

    beams: int = 1        # 1 = greedy; else beam search, the first candidate is used
    batch_size: int = 1   # test methods per generate call
    warmup: int = 1       # untimed calls before timing
    threads: int | None = None  # CPU threads for the model (None: the library's default)
    device: str = "cpu"   # where a model directory's generator runs (cuda: a GPU sweep's scoring)


# ---------------------------------------------------------------- child process side

def _peak_rss_mb() -> float:
    """This process's peak RSS in MiB (VmHWM on Linux; ru_maxrss elsewhere)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024  # bytes on macOS


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 1024 / 1024


def load_predictor(spec: ModelSpec, options: Options):
    """A function records -> list of assertion lists (first candidate), plus model info."""
    from assertgen.prompt import parse_output
    from assertgen.retrieval import model_inputs

    if spec.kind == "baseline-ir":
        from assertgen.retrieval import Retriever
        from workbench.data import iter_records

        if not spec.train:
            raise UserError(f"model {spec.name!r}: baseline-ir needs training records (train)")
        retriever = Retriever().fit(iter_records(spec.train))  # streamed: only what it searches stays
        return retriever.predict, {"kind": spec.kind, "train": spec.train}

    if spec.kind == "factory":
        import importlib

        if spec.import_path and spec.import_path not in sys.path:
            sys.path.insert(0, spec.import_path)
        module_name, func_name = spec.source.split(":")
        try:
            generator = getattr(importlib.import_module(module_name), func_name)()
        except (ImportError, AttributeError) as err:
            raise UserError(f"model {spec.name!r}: cannot load factory {spec.source!r}: {err}") from None
    else:
        from assertgen.model import load_generator

        generator = load_generator(None if spec.kind == "default" else spec.source, backend=spec.backend,
                                   device=options.device)

    from workbench.baseline_ir import retriever_for

    metadata = getattr(generator, "metadata", None) or {}
    corpus = retriever_for(metadata, spec.retrieval_corpus)
    reuse = repository_reuse(spec) if spec.reuse_from else None

    def generate(records):
        outputs = generator.generate(model_inputs(records, metadata, corpus),
                                     num_candidates=options.beams, batch_size=len(records))
        return [parse_output(candidates[0]) if candidates else [] for candidates in outputs]

    def predict(records):
        if reuse is None:
            return generate(records)
        reused = reuse.suggest(records)
        left = [r for r, found in zip(records, reused) if found is None]
        written = iter(generate(left) if left else [])
        return [found.assertions if found else next(written) for found in reused]

    info = {"kind": spec.kind, "class": type(generator).__name__,
            "backend": getattr(generator, "backend", None) or metadata.get("backend")}
    return predict, info


def repository_reuse(spec: ModelSpec):
    """The `assertgen.reuse.RepositoryReuse` of a model with `reuse_from`: those records
    searched, the idioms fitted on its training records."""
    from assertgen.abstraction import fit_idioms
    from assertgen.reuse import RepositoryReuse, Reuser
    from workbench.data import load_records

    if not spec.train:
        raise UserError(f"model {spec.name!r}: reuse needs training records (train)")
    train = load_records(spec.train)
    pool = [r for path in spec.reuse_from for r in (train if path == spec.train else load_records(path))]
    return RepositoryReuse(Reuser(fit_idioms(train)), pool).prepare()


def _batches(items, size):
    return [items[i:i + size] for i in range(0, len(items), size)]


def run_in_this_process(spec: ModelSpec, records: list[dict], cases: list[dict],
                        options: Options) -> dict:
    """Load the model, time it on `records`, then predict `cases` (untimed).

    Returns raw measurements: predictions, per-method ms, load_s, peak and post-load RSS."""
    if options.threads:
        # Before any library starts its thread pool: OpenMP (PyTorch) reads
        # OMP_NUM_THREADS, assertgen's CTranslate2 backend ASSERTGEN_THREADS.
        os.environ["OMP_NUM_THREADS"] = os.environ["ASSERTGEN_THREADS"] = str(options.threads)
    start = time.perf_counter()
    predict, info = load_predictor(spec, options)
    if options.threads and "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(options.threads)
    load_s = time.perf_counter() - start
    rss_after_load = _rss_mb()

    batches = _batches(records, max(1, options.batch_size))
    for batch in batches[:options.warmup]:
        predict(batch)
    predictions, times_ms = [], []
    for batch in batches:
        start = time.perf_counter()
        out = predict(batch)
        elapsed_ms = (time.perf_counter() - start) * 1000
        predictions.extend(out)
        times_ms.extend([elapsed_ms / len(batch)] * len(batch))
    case_predictions = predict(cases) if cases else []
    return {"info": info, "predictions": predictions, "times_ms": times_ms,
            "case_predictions": case_predictions, "load_s": load_s,
            "rss_after_load_mb": rss_after_load, "peak_rss_mb": _peak_rss_mb()}


def run_in_child(spec: ModelSpec, records: list[dict], cases: list[dict] = (),
                 options: Options = Options()) -> dict:
    """run_in_this_process in a fresh interpreter (`python -c`, arguments and result
    pickled through temporary files), so that its peak RSS is this model's alone.

    A plain subprocess rather than multiprocessing: it works the same under pytest's
    in-process pytester, xdist workers and any `__main__`. A UserError in the child is
    re-raised here; any other failure becomes a RuntimeError carrying the child's traceback."""
    import pickle
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="assertgen-bench-") as tmp:
        request, reply = Path(tmp) / "request.pkl", Path(tmp) / "reply.pkl"
        with open(request, "wb") as f:
            pickle.dump({"sys_path": list(sys.path),
                         "args": (spec, list(records), list(cases), options)}, f)
        proc = subprocess.run([sys.executable, "-c", _CHILD_CODE, str(request), str(reply)],
                              capture_output=True, text=True)
        if not reply.exists():
            tail = "\n".join((proc.stderr or "").strip().splitlines()[-15:])
            raise RuntimeError(f"model {spec.name!r}: the measuring process died (exit code "
                               f"{proc.returncode}; out of memory or a crash in native code)\n{tail}")
        with open(reply, "rb") as f:
            answer = pickle.load(f)
    if "result" in answer:
        return answer["result"]
    if answer.get("user_error"):
        raise UserError(answer["user_error"])
    raise RuntimeError(f"model {spec.name!r}: measuring failed in the child process:\n{answer['traceback']}")


_CHILD_CODE = "import sys; from workbench.bench import child_main; child_main(sys.argv[1], sys.argv[2])"


def child_main(request_path: str, reply_path: str) -> None:
    """Entry point of the measuring child process (see run_in_child)."""
    import pickle
    import traceback

    with open(request_path, "rb") as f:
        request = pickle.load(f)
    sys.path.extend(p for p in request["sys_path"] if p not in sys.path)
    try:
        answer = {"result": run_in_this_process(*request["args"])}
    except UserError as err:
        answer = {"user_error": str(err)}
    except BaseException:  # noqa: BLE001 - reported to the parent with its traceback
        answer = {"traceback": traceback.format_exc()}
    with open(reply_path, "wb") as f:
        pickle.dump(answer, f)


# ---------------------------------------------------------------- statistics

def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q% of values <= it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def speed_summary(raw: dict) -> dict:
    """The speed and memory metrics (module docstring) from one child's raw measurements."""
    times = raw["times_ms"]
    n_assertions = sum(len(p) for p in raw["predictions"])
    total = sum(times)
    return {
        "ms_per_method_p50": percentile(times, 50) if times else None,
        "ms_per_method_mean": total / len(times) if times else None,
        "ms_per_method_p90": percentile(times, 90) if times else None,
        "ms_per_assertion": total / n_assertions if n_assertions else None,
        "peak_rss_mb": raw["peak_rss_mb"],
        "rss_after_load_mb": raw["rss_after_load_mb"],
        "load_s": raw["load_s"],
        "n_methods": len(times),
        "n_assertions": n_assertions,
    }


def quality_summary(predictions: list[list[str]], records: list[dict], with_codebleu: bool = True) -> dict:
    """workbench.metrics.compute_metrics summary of predictions against the records."""
    from workbench.metrics import compute_metrics

    if not records:
        return {}
    summary, _ = compute_metrics(predictions, [r["assertions"] for r in records],
                                 ids=[r.get("id") for r in records], with_codebleu=with_codebleu)
    return summary


def ratios(metrics: dict, reference: dict) -> dict:
    """Ratio metrics of one model against the reference model (module docstring)."""
    def div(a, b):
        return a / b if a is not None and b not in (None, 0) else None

    out = {"speedup_p50": div(reference.get("ms_per_method_p50"), metrics.get("ms_per_method_p50")),
           "speedup_mean": div(reference.get("ms_per_method_mean"), metrics.get("ms_per_method_mean"))}
    for name in BASE_METRICS:
        out[f"{name}_ratio"] = div(metrics.get(name), reference.get(name))
    return out


def sample_records(records: list[dict], size: int | None, seed: int) -> list[dict]:
    """`size` records drawn without replacement with random.Random(seed), kept in file
    order; all of them when size is None or not smaller than the file."""
    if size is not None and size < 1:
        raise UserError(f"--limit must be at least 1, got {size}")
    if size is None or size >= len(records):
        return list(records)
    keep = sorted(random.Random(seed).sample(range(len(records)), size))
    return [records[i] for i in keep]


def machine_info() -> dict:
    return {"platform": platform.platform(), "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(), "cpu_count": os.cpu_count()}


# ---------------------------------------------------------------- side-by-side run

def bench(specs: list[ModelSpec], records: list[dict], options: Options = Options(),
          reference: str | None = None, with_quality: bool = False, progress=None) -> dict:
    """Measure every model, one child process each, on the same records; ratios against
    `reference` (default: the first model). Returns a JSON-ready dict."""
    if not specs:
        raise UserError("no model to measure")
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise UserError(f"model names must be unique: {', '.join(names)}")
    reference = reference or names[0]
    if reference not in names:
        raise UserError(f"reference model {reference!r} is not among the models ({', '.join(names)})")
    models = {}
    for spec in specs:
        if progress:
            progress(f"measuring {spec.name} ({spec.source}) on {len(records)} test methods")
        raw = run_in_child(spec, records, options=options)
        metrics = speed_summary(raw)
        if with_quality:
            metrics.update({k: v for k, v in quality_summary(raw["predictions"], records, False).items()
                            if k in QUALITY_METRICS})
        models[spec.name] = {"source": spec.source, "backend": spec.backend, "info": raw["info"],
                             "metrics": metrics}
    for name, model in models.items():
        model["ratios"] = ratios(model["metrics"], models[reference]["metrics"])
    return {"reference": reference, "options": asdict(options), "n_methods": len(records),
            "machine": machine_info(), "models": models}


def _fmt(value, digits=1) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits + 1}f}" if abs(value) < 10 else f"{value:.{digits}f}"


def markdown_table(result: dict) -> str:
    """The Table-4 style table: per model ms/method (p50, mean), ms/assertion, peak RSS,
    and the ratios against the reference; with `--quality`, the quality of the same
    predictions beside them."""
    ref = result["reference"]
    quality = [(k, label) for k, label in (("exact_match", "EM strict"), ("exact_match_lenient", "EM lenient"),
                                           ("f1", "F1"), ("ast_validity", "AST valid"))
               if any(k in model["metrics"] for model in result["models"].values())]
    lines = [f"| model | ms/method p50 | ms/method mean | ms/assertion | peak RSS (MiB) "
             f"| speed-up vs {ref} (p50) | RSS vs {ref} |" + "".join(f" {label} |" for _, label in quality),
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |" + " ---: |" * len(quality)]
    for name, model in result["models"].items():
        m, r = model["metrics"], model["ratios"]
        speedup = r["speedup_p50"]
        rss = r["peak_rss_mb_ratio"]
        lines.append(f"| {name} | {_fmt(m['ms_per_method_p50'])} | {_fmt(m['ms_per_method_mean'])} "
                     f"| {_fmt(m['ms_per_assertion'])} | {_fmt(m['peak_rss_mb'], 0)} "
                     f"| {_fmt(speedup, 2)}× | {'—' if rss is None else f'{rss:.0%}'} |"
                     + "".join(f" {m[k]:.3f} |" if m.get(k) is not None else " — |" for k, _ in quality))
    opts = result["options"]
    lines.append("")
    lines.append(f"{result['n_methods']} test methods, beams={opts['beams']}, batch size "
                 f"{opts['batch_size']}, {opts['warmup']} warm-up call(s), "
                 f"{opts['threads'] or 'default'} thread(s); "
                 f"{result['machine']['cpu_count']} CPUs, {result['machine']['platform']}.")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- CLI

BACKENDS = ("ctranslate2", "pytorch")


def parse_model_arg(text: str, train: str | None, retrieval_corpus: str | None = None) -> ModelSpec:
    """`[NAME=]SOURCE[@BACKEND]`; without NAME the name is the directory's name (or the
    source) plus `@BACKEND` when one is forced."""
    name, sep, source = text.partition("=")
    if not sep:
        name, source = "", text
    else:
        from workbench.report import check_name
        check_name(name, "--model", text)
    source, at, backend = source.rpartition("@") if "@" in source else (source, "", "")
    if at and backend not in BACKENDS:
        raise UserError(f"--model {text!r}: unknown backend {backend!r} (one of {', '.join(BACKENDS)})")
    if not source:
        raise UserError(f"--model {text!r}: empty model source")
    if not name:
        name = (Path(source).name if Path(source).exists() else source) + (f"@{backend}" if at else "")
    spec = ModelSpec(name=name, source=source, train=train, import_path=os.getcwd(),
                     backend=backend or None, retrieval_corpus=retrieval_corpus)
    if spec.kind == "directory":  # a bad directory is named now, not after the models before it ran
        from workbench.report import model_info
        model_info(spec)
    return spec


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "bench", help="speed and memory of models side by side (Table 4)",
        description="Measure ms per test method (p50, mean), ms per assertion and peak RSS "
                    "of each --model, each in its own process, on the same records, with "
                    "ratios against a reference model.")
    parser.add_argument("--model", action="append", required=True, metavar="[NAME=]SOURCE[@BACKEND]",
                        help="model directory (optionally @ctranslate2 or @pytorch to force a backend), "
                             "'default', 'baseline-ir' or module:function; repeatable")
    parser.add_argument("--data", required=True, help="records (jsonl, .gz, zip)")
    parser.add_argument("--member", help="member name pattern inside a ZIP")
    parser.add_argument("--train", help="training records, for baseline-ir")
    parser.add_argument("--retrieval-corpus", help="records to retrieve from, for models trained with "
                        "retrieval augmentation (default: the corpus in each one's metadata)")
    parser.add_argument("--reuse", action="store_true",
                        help="also measure each model as `assertgen fill` runs it, reusing similar "
                             "tests of the record's repository (--data, --train); rows NAME+reuse")
    parser.add_argument("--limit", type=int, help="measure on this many records (sampled with --seed)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the --limit sample (default 0)")
    parser.add_argument("--beams", type=int, default=1, help="1 = greedy (default); else beam search")
    parser.add_argument("--batch-size", type=int, default=1, help="test methods per generate call")
    parser.add_argument("--warmup", type=int, default=1, help="untimed calls before timing")
    parser.add_argument("--threads", type=int,
                        help="CPU threads per model: PyTorch's threads, CTranslate2's parallel "
                             "workers (default: the library's; 1 gives steadier timings on a busy machine)")
    parser.add_argument("--reference", help="model name the ratios compare with (default: the first)")
    parser.add_argument("--quality", action="store_true",
                        help="also compute the metric suite (without CodeBLEU) on the predictions")
    parser.add_argument("--out", required=True, help="output directory: bench.json and bench.md")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from workbench.data import load_records

    for flag in ("beams", "batch_size", "threads"):
        if getattr(args, flag) is not None and getattr(args, flag) < 1:
            raise UserError(f"--{flag.replace('_', '-')} must be at least 1")
    if args.limit is not None and args.limit < 1:
        raise UserError("--limit must be at least 1")
    if args.warmup < 0:
        raise UserError("--warmup must be 0 or more")
    console = Console(stderr=True)
    specs = [parse_model_arg(m, args.train, args.retrieval_corpus) for m in args.model]
    if any(s.kind == "baseline-ir" for s in specs) and not args.train:
        raise UserError("baseline-ir needs --train")
    if args.reuse:
        if not args.train:
            raise UserError("--reuse needs --train (its idioms, and tests to reuse)")
        if args.member:
            raise UserError("--reuse searches the whole --data file; it cannot be used with --member")
        specs += [replace(s, name=s.name + "+reuse", reuse_from=(args.data, args.train))
                  for s in specs if s.kind != "baseline-ir"]
    records = sample_records(load_records(args.data, member=args.member), args.limit, args.seed)
    if not records:
        raise UserError("no records", args.data)
    out = writable_dir(args.out)  # a file in the way, a read-only folder: found now, not after every model was measured
    options = Options(beams=args.beams, batch_size=args.batch_size, warmup=args.warmup,
                      threads=args.threads)
    result = bench(specs, records, options, reference=args.reference, with_quality=args.quality,
                   progress=lambda msg: console.print(msg, highlight=False))
    result["data"] = str(args.data)
    if sys.argv and Path(sys.argv[0]).name == "workbench":
        result["command"] = shlex.join(["workbench", *sys.argv[1:]])
    atomic_write_json(out / "bench.json", result)  # atomic: an interrupted write keeps the old results
    table = markdown_table(result)
    atomic_write(out / "bench.md", table.encode("utf-8"))
    print(table, end="")
    console.print(f"wrote {out / 'bench.json'} and {out / 'bench.md'}", markup=False)
    return 0
