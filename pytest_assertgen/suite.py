"""Benchmark suite files: the TOML schema, its validation, and the resolved suite.

A suite (see `benchmarks/smoke.toml` for a commented example)::

    [suite]
    name = "smoke"                 # optional; default: the file name without .toml
    description = "..."            # optional: free text, not used
    data = "../fixtures/data/test.jsonl"   # records; relative to this file, ${VAR} expanded
    member = "*test.jsonl*"        # optional: member pattern when data is a ZIP (an error
                                   # when data is a file that is not one)
    train = "../fixtures/data/train.jsonl" # optional: default training records for baseline-ir
    sample = 200                   # optional: records drawn (default: all of them)
    seed = 0                       # optional: seed of that draw (default 0)
    beams = 1                      # optional: 1 = greedy (default); else beam search
    batch_size = 1                 # optional: test methods per generate call (default 1)
    warmup = 1                     # optional: untimed calls before timing (default 1)
    threads = 1                    # optional: CPU threads per model (default: the library's)
    reference = "teacher"          # optional: the model ratio metrics compare with
    codebleu = true                # optional: compute CodeBLEU (default: when a gate uses it)
    max_regression = 0.05          # optional: allowed regression against a baseline, as a
                                   # fraction of the baseline value (default 0.05); or a table
                                   # { default = 0.05, ms_per_method_p50 = 0.5 }

    [models.student]               # one table per model; the name appears in item ids
    description = "..."            # optional: free text, not used
    model = "../models/student"    # a model directory (relative to this file), "default"
                                   # (the embedded student), "baseline-ir", or
                                   # "module:function" (a factory, imported with this
                                   # file's directory first on sys.path; for tests)
    backend = "pytorch"            # optional: force "pytorch" or "ctranslate2" (default: ct2/
                                   # when the directory has one, else PyTorch)
    train = "..."                  # baseline-ir only, when [suite] has none
    retrieval_corpus = "..."       # optional: records a retrieval-augmented model searches
                                   # (default: the corpus in its assertgen.json)
    reuse = true                   # optional: measure it as `assertgen fill` runs it, reusing
                                   # the assertions of similar tests of the record's repository
                                   # (the suite's data, other test files, and `train`, which
                                   # it needs; `workbench.bench`); default false
    gates = ["exact_match >= 0.20", "ms_per_method_p50 <= 50", "speedup_p50 >= 5"]

    [[cases]]                      # golden cases, each its own item per model
    name = "is_empty"
    focal_method = "public boolean isEmpty() { return size == 0; }"
    test_method_masked = "..."     # contains // ASSERTION PLACEHOLDER
    accept = ["assertTrue(c.isEmpty());", "assertEquals(0, c.size());"]
                                   # acceptable answers; one answer may hold several
                                   # assertions, one per line
    models = ["student"]           # optional: default every model of the suite (not empty)

A gate is `"<metric> <op> <number>"` with op one of >=, >, <=, <; metrics are listed in
`workbench.bench` (quality, speed/memory, and ratios against `reference`). Quality
thresholds are fractions between 0 and 1 (`exact_match >= 0.2` for 20%), the others >= 0.
The op also says which direction is better, which the regression check uses.
"""

from __future__ import annotations

import operator
import os
import re
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the tomli backport (a dependency there)
    import tomli as tomllib
from dataclasses import dataclass, field
from pathlib import Path

from workbench.bench import (ALL_METRICS, BACKENDS, BASELINE_IR, DEFAULT_MODEL, QUALITY_METRICS,
                             RATIO_METRICS, ModelSpec, Options)
from workbench.data import is_zip_file

DEFAULT_MAX_REGRESSION = 0.05
_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
_GATE = re.compile(r"^\s*(\w+)\s*(>=|<=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$")
_FACTORY = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
_NAME = re.compile(r"^[\w.-]+$")

_SUITE_KEYS = {"name", "description", "data", "member", "train", "sample", "seed", "beams",
               "batch_size", "warmup", "threads", "reference", "codebleu", "max_regression"}
_MODEL_KEYS = {"model", "backend", "train", "gates", "description", "retrieval_corpus", "reuse"}
_CASE_KEYS = {"name", "focal_method", "test_method_masked", "accept", "models"}


class SuiteError(Exception):
    """A malformed suite; the message names the file and the key."""

    def __init__(self, path: Path, key: str | None, message: str):
        where = f"{path}: " + (f"key '{key}': " if key else "")
        super().__init__(where + message)


@dataclass(frozen=True)
class Gate:
    metric: str
    op: str
    threshold: float

    @property
    def higher_is_better(self) -> bool:
        return self.op in (">=", ">")

    def passes(self, value: float) -> bool:
        return _OPS[self.op](value, self.threshold)

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.threshold:g}"


@dataclass(frozen=True)
class Case:
    name: str
    focal_method: str
    test_method_masked: str
    accept: list[list[str]]   # alternatives, each a list of assertion statements
    models: tuple[str, ...] | None

    def as_record(self) -> dict:
        return {"id": f"case:{self.name}", "focal_method": self.focal_method,
                "test_method_masked": self.test_method_masked, "assertions": self.accept[0]}


@dataclass
class Model:
    name: str
    source: str                 # as resolved: directory path, "default", "baseline-ir", factory
    train: Path | None
    gates: list[Gate]
    import_path: str
    backend: str | None = None
    retrieval_corpus: Path | None = None
    reuse_from: tuple[Path, ...] = ()   # with `reuse = true`: the suite's data and train

    def spec(self) -> ModelSpec:
        return ModelSpec(name=self.name, source=self.source, backend=self.backend,
                         train=str(self.train) if self.train else None, import_path=self.import_path,
                         retrieval_corpus=str(self.retrieval_corpus) if self.retrieval_corpus else None,
                         reuse_from=tuple(str(p) for p in self.reuse_from))


@dataclass
class Suite:
    path: Path
    name: str
    data: Path | None
    data_text: str | None       # as written in the file, for messages
    member: str | None
    sample: int | None
    seed: int
    options: Options
    reference: str | None
    codebleu: bool
    max_regression: dict[str, float]
    models: dict[str, Model] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)

    def allowed_regression(self, metric: str) -> float:
        return self.max_regression.get(metric, self.max_regression["default"])

    def cases_for(self, model: str) -> list[Case]:
        return [c for c in self.cases if c.models is None or model in c.models]

    def missing_data(self) -> str | None:
        """Why the suite's records cannot be read, or None when they can."""
        return _missing("data file", self.data, self.data_text)

    def missing_train(self, model: str) -> str | None:
        m = self.models[model]
        if m.source != BASELINE_IR and not m.reuse_from:
            return None
        return _missing("training data", m.train, str(m.train))

    def override_model(self, name: str | None, source: str) -> bool:
        """Replace a model's source (--assertgen-model, resolved by the caller): the named
        model, else the first.
        False when this suite has no model `name`: it keeps its models (a run over several
        suites replaces the model where it is; the plugin rejects a name no suite has)."""
        target = self.models.get(name) if name else next(iter(self.models.values()), None)
        if target is None:
            return False
        target.source = source
        return True


def _missing(what: str, path: Path | None, text: str | None) -> str | None:
    if path is None:
        return f"no {what} given"
    if Path(str(path).split("::")[0]).exists():  # `bundle.zip::test.jsonl`: a member of a ZIP
        return None
    unset = [v for v in re.findall(r"\$\{?(\w+)\}?", text or "") if v not in os.environ]
    hint = f" ({', '.join(unset)} not set)" if unset else ""
    return f"{what} not found: {path}{hint}"


def _opens_as_zip(path: Path) -> bool:
    try:
        return is_zip_file(path)
    except OSError:  # unreadable: the loader says so when it runs
        return True


def _resolve_path(text: str, base: Path) -> Path:
    expanded = os.path.expanduser(os.path.expandvars(text))
    return Path(os.path.normpath(base / expanded))  # an absolute `expanded` replaces base


def resolve_source(text: str, base: Path) -> str:
    """A model source as a suite or the command line gives it: a directory relative to `base`
    (with ~ and $VARS expanded), or a name (default, baseline-ir, module:factory) as it is."""
    if text in (DEFAULT_MODEL, BASELINE_IR) or _FACTORY.match(text):
        return text
    return str(_resolve_path(text, base))


class _Reader:
    """Typed access to one TOML table, raising SuiteError with the dotted key."""

    def __init__(self, path: Path, table: dict, prefix: str, allowed: set[str]):
        self.path, self.table, self.prefix = path, table, prefix
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise SuiteError(path, self.key(unknown[0]),
                             f"unknown key (expected one of: {', '.join(sorted(allowed))})")

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def error(self, name: str, message: str) -> SuiteError:
        return SuiteError(self.path, self.key(name), message)

    def get(self, name: str, kind, default=None, required: bool = False):
        if name not in self.table:
            if required:
                raise self.error(name, "is required")
            return default
        value = self.table[name]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise self.error(name, f"must be {names}, got {type(value).__name__} {value!r}")
        return value

    def positive_int(self, name: str, default):
        value = self.get(name, int, default)
        if value is not None and value < (0 if name == "warmup" else 1):
            raise self.error(name, f"must be {'>= 0' if name == 'warmup' else 'at least 1'}, got {value}")
        return value

    def string_list(self, name: str, required: bool = False) -> list[str] | None:
        value = self.get(name, list, None, required)
        if value is None:
            return None
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise SuiteError(self.path, f"{self.key(name)}[{i}]", f"must be a string, got {item!r}")
        return value


def parse_gate(text: str, path: Path, key: str) -> Gate:
    match = _GATE.match(text)
    if not match:
        raise SuiteError(path, key, f"cannot read gate {text!r}: expected '<metric> <op> <number>' "
                                    "with op one of >=, >, <=, <")
    metric, op, number = match.groups()
    if metric not in ALL_METRICS:
        raise SuiteError(path, key, f"unknown metric {metric!r} (known: {', '.join(ALL_METRICS)})")
    # A threshold no value can cross makes a gate that always fails (20 meaning 20%) or
    # never can: quality metrics are fractions, the others (ms, MB, ratios) are >= 0.
    threshold = float(number)
    if metric in QUALITY_METRICS and not 0 <= threshold <= 1:
        raise SuiteError(path, key, f"{metric} is a fraction: the threshold must be between 0 and 1, "
                                    f"got {number}")
    if threshold < 0:
        raise SuiteError(path, key, f"{metric} is never negative: the threshold must be >= 0, got {number}")
    return Gate(metric, op, threshold)


def load_suite(path: str | Path) -> Suite:
    """Read and validate a suite file; SuiteError names the file and the offending key."""
    path = Path(path)
    base = path.parent
    try:
        # utf-8-sig: a BOM (Notepad writes one) was "invalid TOML ... line 1, column 1"
        doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as err:
        raise SuiteError(path, None, f"cannot read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise SuiteError(path, None, f"invalid TOML: {err}") from None

    top = _Reader(path, doc, "", {"suite", "models", "cases"})
    head = _Reader(path, top.get("suite", dict, {}), "suite", _SUITE_KEYS)
    name = head.get("name", str, path.stem)
    if not _NAME.match(name):
        raise head.error("name", f"use letters, digits, '_', '-' or '.', got {name!r}")
    data_text = head.get("data", str)
    train_text = head.get("train", str)

    max_reg = head.get("max_regression", (int, float, dict), DEFAULT_MAX_REGRESSION)
    if not isinstance(max_reg, dict):
        max_reg = {"default": max_reg}
    max_regression = {"default": DEFAULT_MAX_REGRESSION}
    for metric, value in max_reg.items():
        key = f"suite.max_regression.{metric}"
        if metric != "default" and metric not in ALL_METRICS:
            raise SuiteError(path, key, f"unknown metric {metric!r}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise SuiteError(path, key, f"must be a number >= 0, got {value!r}")
        # `5` meant as 5%: a fraction (the default covers them) never falls by its baseline's 5 times
        if value >= 1 and (metric in QUALITY_METRICS or metric == "default"):
            raise SuiteError(path, key, f"{value:g} allows a regression of {value:.0%} of the baseline, which "
                                        f"a quality metric (a fraction) never reaches: write {value / 100:g} for "
                                        f"{value:g}% (speed and memory metrics may take more, each by its name)")
        max_regression[metric] = float(value)

    member = head.get("member", str)
    data = _resolve_path(data_text, base) if data_text else None
    if member is not None and data is not None and data.is_file() and not _opens_as_zip(data):
        # the loader reads a file that is not a ZIP whole, ignoring the pattern, silently
        raise head.error("member", f"{data} is not a ZIP, so it has no member to pick: remove "
                                   "suite.member, or point suite.data at the ZIP")

    suite = Suite(
        path=path, name=name,
        data=data, data_text=data_text, member=member,
        sample=head.positive_int("sample", None),
        seed=head.get("seed", int, 0),
        options=Options(beams=head.positive_int("beams", 1),
                        batch_size=head.positive_int("batch_size", 1),
                        warmup=head.positive_int("warmup", 1),
                        threads=head.positive_int("threads", None)),
        reference=head.get("reference", str),
        codebleu=False,
        max_regression=max_regression,
    )

    models = top.get("models", dict, {})
    if not models:
        raise SuiteError(path, "models", "a suite needs at least one [models.NAME] table")
    for model_name, table in models.items():
        prefix = f"models.{model_name}"
        if not isinstance(table, dict):
            raise SuiteError(path, prefix, "must be a table")
        if not _NAME.match(model_name):
            raise SuiteError(path, prefix, "model names use letters, digits, '_', '-' or '.'")
        reader = _Reader(path, table, prefix, _MODEL_KEYS)
        source = resolve_source(reader.get("model", str, required=True), base)
        model_train = reader.get("train", str, train_text)
        backend = reader.get("backend", str)
        corpus = reader.get("retrieval_corpus", str)
        if backend is not None and backend not in BACKENDS:
            raise reader.error("backend", f"must be one of {', '.join(BACKENDS)}, got {backend!r}")
        if source == BASELINE_IR and not model_train:
            raise reader.error("train", "baseline-ir needs training records (here or in [suite])")
        reuse = reader.get("reuse", bool, False)
        if reuse and (source == BASELINE_IR or not model_train or not data_text):
            raise reader.error("reuse", "needs a model other than baseline-ir, training records "
                                        "(here or in [suite]) and suite.data")
        if reuse and suite.member:
            raise reader.error("reuse", "searches the whole data file; it cannot be used with suite.member")
        gates, seen = [], set()
        for i, text in enumerate(reader.string_list("gates") or []):
            gate = parse_gate(text, path, f"{prefix}.gates[{i}]")
            if gate.metric in seen:
                raise SuiteError(path, f"{prefix}.gates[{i}]", f"a second gate on {gate.metric!r}")
            if gate.metric in RATIO_METRICS and not suite.reference:
                raise SuiteError(path, f"{prefix}.gates[{i}]",
                                 f"{gate.metric!r} is relative to a reference model: set suite.reference")
            seen.add(gate.metric)
            gates.append(gate)
        suite.models[model_name] = Model(
            name=model_name, source=source, gates=gates, import_path=str(base.resolve()), backend=backend,
            train=_resolve_path(model_train, base) if model_train else None,
            retrieval_corpus=_resolve_path(corpus, base) if corpus else None,
            reuse_from=(_resolve_path(data_text, base), _resolve_path(model_train, base)) if reuse else ())

    if suite.reference is not None and suite.reference not in suite.models:
        raise head.error("reference", f"{suite.reference!r} is not a model of this suite "
                                      f"({', '.join(suite.models)})")
    needs_data = any(m.gates for m in suite.models.values())
    if needs_data and not data_text:
        raise head.error("data", "is required when a model has gates")

    cases = top.get("cases", list, [])
    names = set()
    for i, table in enumerate(cases):
        prefix = f"cases[{i}]"
        if not isinstance(table, dict):
            raise SuiteError(path, prefix, "must be a table ([[cases]])")
        reader = _Reader(path, table, prefix, _CASE_KEYS)
        case_name = reader.get("name", str, required=True)
        if not _NAME.match(case_name) or case_name in names:
            raise reader.error("name", f"must be unique and use letters, digits, '_', '-' or '.', "
                                       f"got {case_name!r}")
        names.add(case_name)
        accept = reader.string_list("accept", required=True)
        answers = [[line.strip() for line in a.splitlines() if line.strip()] for a in accept]
        if not answers or not all(answers):
            raise reader.error("accept", "needs at least one non-empty answer")
        case_models = reader.string_list("models")
        if case_models == []:  # else the case silently became no item at all
            raise reader.error("models", "is empty: name at least one model of this suite, or leave "
                                         "the key out for every model")
        for model_name in case_models or []:
            if model_name not in suite.models:
                raise reader.error("models", f"{model_name!r} is not a model of this suite")
        suite.cases.append(Case(
            name=case_name, focal_method=reader.get("focal_method", str, required=True),
            test_method_masked=reader.get("test_method_masked", str, required=True),
            accept=answers, models=tuple(case_models) if case_models is not None else None))

    if not needs_data and not suite.cases:  # else pytest's bare "no tests ran", exit 5
        raise SuiteError(path, "models", "no model has gates and there are no [[cases]]: "
                                         "the suite checks nothing")
    uses_codebleu = any(g.metric.startswith("codebleu") for m in suite.models.values() for g in m.gates)
    suite.codebleu = head.get("codebleu", bool, uses_codebleu)
    if uses_codebleu and not suite.codebleu:  # the gate would fail as 'not measured'
        raise head.error("codebleu", "is false, but a gate uses codebleu")
    return suite
