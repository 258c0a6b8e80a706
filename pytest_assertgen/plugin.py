"""pytest plugin: benchmark suites (`benchmarks/*.toml`) as quality, speed and memory gates.

`pytest --assertgen-bench` collects every suite (default: `benchmarks/*.toml` under the
rootdir) as items `<suite file>::<model>::<metric>` (one per gate) and
`<suite file>::<model>::case[<name>]` (one per golden case); without the flag nothing is
collected. Each model of a suite runs once per session, in a child process
(`workbench.bench.run_in_child`), whatever the number of its items. An item fails when
its gate is not met, or, with `--assertgen-baseline`, when its value regressed by more
than the suite's `max_regression` against the saved value.

Measured values travel in each report's `user_properties` (key `assertgen`; JSON text once
`Reporter` has read them, so that JUnit XML shows JSON), so the summary table, the JSON
report and the saved baseline also work under pytest-xdist. Use `--dist loadfile` so that
a suite's models run on one worker, once each; under any other mode (`-n` alone means
`--dist load`) the summary warns that the speed and memory gates were measured under
contention.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assertgen.atomic import atomic_write_json
from assertgen.errors import UserError
from pytest_assertgen.suite import Gate, Suite, SuiteError, resolve_source, load_suite
from workbench.bench import RATIO_METRICS

BASELINE_FORMAT = "assertgen-baseline/1"
REPORT_FORMAT = "assertgen-report/1"


# ---------------------------------------------------------------- options

def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("assertgen", "assertgen benchmark suites")
    group.addoption("--assertgen-bench", action="store_true", default=False,
                    help="collect and run the benchmark suites (quality, speed and memory gates)")
    group.addoption("--assertgen-suite", action="append", default=None, metavar="PATH",
                    help="suite file (repeatable; default: every benchmarks/*.toml under the rootdir)")
    group.addoption("--assertgen-model", metavar="[NAME=]DIR",
                    help="model directory replacing the model NAME in the suites that have it "
                         "(no NAME: each suite's first model)")
    group.addoption("--assertgen-limit", type=int, metavar="N",
                    help="at most N records per suite (a quick run)")
    group.addoption("--assertgen-baseline", metavar="PATH",
                    help="baseline JSON: fail the items that regressed beyond max_regression")
    group.addoption("--assertgen-save-baseline", metavar="PATH",
                    help="write the measured values to this baseline JSON (merged into it if it exists)")
    group.addoption("--assertgen-json", metavar="PATH", help="write a JSON report here")
    group.addoption("--assertgen-require-data", action="store_true", default=None,
                    help="fail, not skip, the items of a suite whose data (or training data) is missing: "
                         "in CI a typo in a path would otherwise pass as a skip")
    parser.addini("assertgen_require_data", type="bool", default=False, help="like --assertgen-require-data")
    parser.addini("assertgen_suites", type="paths", help="suite files (like --assertgen-suite)")
    for name, what in [("model", "--assertgen-model"), ("limit", "--assertgen-limit"),
                       ("baseline", "--assertgen-baseline"),
                       ("save_baseline", "--assertgen-save-baseline"), ("json", "--assertgen-json")]:
        parser.addini(f"assertgen_{name}", type="string", default="", help=f"like {what}")


@dataclass
class Settings:
    enabled: bool
    suites: list[Path] | None          # explicit suite files; None = benchmarks/*.toml
    model: tuple[str | None, str] | None
    limit: int | None
    baseline_path: Path | None
    save_baseline_path: Path | None
    json_path: Path | None
    baseline: dict[str, float] = field(default_factory=dict)
    baseline_measured: dict = field(default_factory=dict)  # "suite::model" -> `_provenance` of its values
    require_data: bool = False


_SETTINGS = pytest.StashKey[Settings]()
_STATE = pytest.StashKey["State"]()


def _setting(config: pytest.Config, name: str, base: Path) -> str | Path | None:
    """Command line first, then the ini key (paths in the ini are relative to its file)."""
    value = config.getoption(f"assertgen_{name}")
    if value is not None:
        return value
    text = config.getini(f"assertgen_{name}").strip()
    if not text:
        return None
    return text if name in ("model", "limit") else base / text


def _read_settings(config: pytest.Config) -> Settings:
    ini_base = config.inipath.parent if config.inipath else config.rootpath
    suites = None
    if config.getoption("assertgen_suite"):
        suites = [Path(p).resolve() for p in config.getoption("assertgen_suite")]
    elif config.getini("assertgen_suites"):
        suites = [Path(p).resolve() for p in config.getini("assertgen_suites")]
    for suite in suites or []:
        if suite.is_dir():
            raise pytest.UsageError(f"assertgen: {suite} is a directory: name its suite files (*.toml)")
        if not suite.is_file():
            raise pytest.UsageError(f"assertgen: suite file not found: {suite}")
        if suite.suffix != ".toml":  # else never collected: a bare "no tests ran"
            raise pytest.UsageError(f"assertgen: {suite} is not a suite file: suite files end in .toml")

    model = _setting(config, "model", ini_base)
    if model is not None:
        name, sep, source = str(model).partition("=")
        if sep and ("/" in name or os.sep in name or Path(str(model)).exists()):  # `runs/alpha=0.5`: a DIR
            sep = ""
        name, source = (name, source) if sep else (None, str(model))
        if not source.strip():  # else the working directory, "not an assertgen model directory"
            raise pytest.UsageError(f"assertgen: --assertgen-model expects [NAME=]DIR, got {str(model)!r}")
        # a DIR on the command line is relative to the working directory, an ini one to the ini file
        base = Path.cwd() if config.getoption("assertgen_model") is not None else ini_base
        model = (name, resolve_source(source, base))
    limit = _setting(config, "limit", ini_base)
    try:
        limit = int(limit) if limit is not None else None
    except ValueError:
        raise pytest.UsageError(f"assertgen: limit must be an integer, got {limit!r}") from None
    if limit is not None and limit < 1:
        raise pytest.UsageError("assertgen: limit must be at least 1")

    def path(name):
        value = _setting(config, name, ini_base)
        return Path(value).resolve() if value is not None else None

    settings = Settings(enabled=config.getoption("assertgen_bench"), suites=suites, model=model,
                        limit=limit, baseline_path=path("baseline"),
                        save_baseline_path=path("save_baseline"), json_path=path("json"))
    # the report replaced the baseline it was compared with, or a suite
    if settings.json_path and (settings.json_path in (settings.baseline_path, settings.save_baseline_path)
                               or settings.json_path.suffix == ".toml"):
        raise pytest.UsageError(f"assertgen: --assertgen-json {settings.json_path} would replace the "
                                f"{'suite' if settings.json_path.suffix == '.toml' else 'baseline'} "
                                "file: write the report elsewhere")
    settings.require_data = bool(config.getoption("assertgen_require_data") or config.getini("assertgen_require_data"))
    if settings.enabled and settings.baseline_path:  # read once: its values, and how they were measured
        doc = _baseline_doc(settings.baseline_path)
        settings.baseline, settings.baseline_measured = _values(doc), doc.get("measured") or {}
    return settings


def _load_baseline(path: Path) -> dict:
    """A baseline file's document; ValueError says what is wrong with the file."""
    try:
        # utf-8-sig, as suites are read: a BOM (Notepad writes one) was "not valid JSON"
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as err:
        raise ValueError(f"cannot read baseline {path}: {err.strerror}") from None
    except ValueError as err:  # UnicodeDecodeError included
        raise ValueError(f"baseline {path} is not valid JSON: {err}") from None
    values = doc.get("values") if isinstance(doc, dict) else None
    if not isinstance(values, dict) or doc.get("format") != BASELINE_FORMAT:
        raise ValueError(f"{path} is not an assertgen baseline (expected format {BASELINE_FORMAT!r} "
                         "with 'values')")
    for key, value in values.items():  # dropped, it was reported as "no value in FILE"
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            got = json.dumps(value)
            raise ValueError(f"baseline {path}: key 'values.{key}' must be a number, "
                             f"got {got if len(got) <= 60 else got[:57] + '...'}")
    return doc


def _baseline_doc(path: Path) -> dict:
    """A baseline file's document, or the usage error that names what is wrong with it."""
    try:
        return _load_baseline(path)
    except ValueError as err:
        raise pytest.UsageError(f"assertgen: {err}") from None


def _values(doc: dict) -> dict[str, float]:
    return {k: float(v) for k, v in doc["values"].items()}  # each checked by _load_baseline


def read_baseline(path: Path) -> dict[str, float]:
    """The `values` of a baseline file: {"suite::model::metric": number}."""
    return _values(_baseline_doc(path))


def _default_suites(config: pytest.Config) -> list[Path]:
    return sorted((config.rootpath / "benchmarks").glob("*.toml"))


def _covered_by_args(path: Path, config: pytest.Config) -> bool:
    for arg in config.args:
        target = Path(arg.split("::")[0])
        target = (target if target.is_absolute() else config.invocation_params.dir / target).resolve()
        if path == target or path.is_relative_to(target):
            return True
    return False


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "assertgen: a gate or golden case from an assertgen suite")
    settings = _read_settings(config)
    config.stash[_SETTINGS] = settings
    config.stash[_STATE] = State()
    if not settings.enabled:
        return
    config.pluginmanager.register(Reporter(config), "assertgen-reporter")
    # Suites live outside `testpaths`: add them to what is collected, unless the user
    # named paths on the command line (then only explicitly requested suites are added).
    wanted = settings.suites
    if wanted is None and config.args_source != pytest.Config.ArgsSource.ARGS:
        wanted = _default_suites(config)
    for suite in wanted or []:
        if not _covered_by_args(suite.resolve(), config):
            config.args.append(str(suite))
    _check_model_name(config, settings)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    if config.stash[_SETTINGS].enabled:
        return
    # `pytest -m assertgen --assertgen-save-baseline FILE` ran nothing and saved nothing, silently
    given = [f"--assertgen-{name.replace('_', '-')}" for name in
             ("suite", "model", "limit", "baseline", "save_baseline", "json", "require_data")
             if config.getoption(f"assertgen_{name}") is not None]
    if given:
        terminalreporter.write_line(f"assertgen: {', '.join(given)} did nothing: suites run with "
                                    "--assertgen-bench", yellow=True)
    # Without the flag, a suite named on the command line is only pytest's "not found".
    if exitstatus not in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.NO_TESTS_COLLECTED):
        return
    for arg in config.args:
        path = arg.split("::")[0]
        if path.endswith(".toml") and (config.invocation_params.dir / path).is_file():
            terminalreporter.write_line(f"assertgen: {path} is a benchmark suite: suites run with "
                                        "--assertgen-bench", yellow=True)


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    settings = parent.config.stash[_SETTINGS]
    if not settings.enabled or file_path.suffix != ".toml":
        return None
    resolved = file_path.resolve()
    if settings.suites is not None:
        chosen = resolved in settings.suites
    else:
        chosen = resolved.parent == (parent.config.rootpath / "benchmarks").resolve()
    if chosen or parent.session.isinitpath(file_path):
        return SuiteFile.from_parent(parent, path=file_path)
    return None


def _check_model_name(config: pytest.Config, settings: Settings) -> None:
    """A misspelt --assertgen-model NAME would silently gate the suites' own models; a NAME
    that only some suites have is fine (the README's run over every suite with tiny=DIR).
    Checked here, over the suite files collection will read, rather than after collection:
    xdist's controller collects nothing, and a UsageError raised by a worker's collection is
    an INTERNALERROR."""
    name = settings.model[0] if settings.model else None
    if not name:
        return
    files = [Path(a.split("::")[0]) for a in config.args if a.split("::")[0].endswith(".toml")]
    files = [(f if f.is_absolute() else config.invocation_params.dir / f).resolve() for f in files]
    listed = settings.suites if settings.suites is not None else _default_suites(config)
    files += [s.resolve() for s in listed if _covered_by_args(s.resolve(), config)]
    suites = {}
    for path in dict.fromkeys(f for f in files if f.is_file()):
        try:
            suites[path] = load_suite(path)
        except SuiteError:  # reported as a collection error
            continue
    if suites and not any(name in suite.models for suite in suites.values()):
        have = "; ".join(f"{suite.name}: {', '.join(suite.models)}" for suite in suites.values())
        raise pytest.UsageError(f"assertgen: --assertgen-model names {name!r}, which no suite has "
                                f"(models: {have})")


# ---------------------------------------------------------------- measuring (once per model)

@dataclass
class State:
    """Per-process cache: one measurement per (suite file, model), and the items' results."""

    measured: dict = field(default_factory=dict)     # (path, model) -> result or (error, traceback)
    records: dict = field(default_factory=dict)      # path -> sampled records
    results: list = field(default_factory=list)      # item records from reports
    models: dict = field(default_factory=dict)       # "suite::model" -> model summary
    names: dict = field(default_factory=dict)        # suite name -> the suite file that has it
    started: float = field(default_factory=time.time)


def _records(state: State, suite: Suite, limit: int | None) -> list[dict]:
    from workbench.bench import sample_records
    from workbench.data import load_records

    if suite.path not in state.records:
        if suite.missing_data():
            state.records[suite.path] = []
        else:
            sizes = [n for n in (suite.sample, limit) if n is not None]
            size = min(sizes) if sizes else None
            records = load_records(suite.data, member=suite.member)
            if not records:  # else every gate fails as 'not measured', with no reason given
                where = f"{suite.data} (member {suite.member})" if suite.member else suite.data
                raise UserError(f"{where}: no records")
            state.records[suite.path] = sample_records(records, size, suite.seed)
    return state.records[suite.path]


def measure(config: pytest.Config, suite: Suite, model: str) -> dict:
    """The model's metrics on the suite (quality, speed, memory) and its case predictions;
    computed once per session, errors included."""
    from workbench.bench import QUALITY_METRICS, quality_summary, run_in_child, speed_summary

    state = config.stash[_STATE]
    key = (suite.path, model)
    if key not in state.measured:
        try:
            records = _records(state, suite, config.stash[_SETTINGS].limit)
            cases = suite.cases_for(model)
            try:
                raw = run_in_child(suite.models[model].spec(), records,
                                   [c.as_record() for c in cases], suite.options)
            except RuntimeError as err:  # its message holds the child's traceback, the useful one
                raise MeasuringFailed(str(err)) from None
            metrics = speed_summary(raw)
            quality = quality_summary(raw["predictions"], records, with_codebleu=suite.codebleu)
            metrics.update({k: quality.get(k) for k in QUALITY_METRICS})
            state.measured[key] = {
                "suite": suite.name, "model": model, "source": suite.models[model].source,
                "data": suite.data_text, "info": raw["info"], "n": len(records), "metrics": metrics,
                "cases": {c.name: p for c, p in zip(cases, raw["case_predictions"])},
                "reported": False,
            }
        except Exception as err:  # noqa: BLE001 - re-raised for every item of this model
            state.measured[key] = (err, err.__traceback__)
    result = state.measured[key]
    if isinstance(result, tuple):
        # From its first traceback each time: a bare `raise err` grows it by every item's frames.
        err, traceback = result
        raise err.with_traceback(traceback)
    return result


def metric_value(config: pytest.Config, suite: Suite, model: str, metric: str) -> float | None:
    from workbench.bench import ratios

    metrics = measure(config, suite, model)["metrics"]
    if metric in RATIO_METRICS:
        reference = measure(config, suite, suite.reference)["metrics"]
        return ratios(metrics, reference)[metric]
    return metrics.get(metric)


def why_unmeasured(config: pytest.Config, suite: Suite, model: str, metric: str) -> str | None:
    """Why metric_value is None, for the message (a bare 'not measured' left users guessing)."""
    metrics = measure(config, suite, model)["metrics"]
    if metric in RATIO_METRICS:
        ref = measure(config, suite, suite.reference)["metrics"]
        if metric.startswith("speedup_"):  # the reference's time over the model's
            base = "ms_per_method_" + metric.removeprefix("speedup_")
            return (f"reference {suite.reference}'s {base} {_num(ref.get(base))} / "
                    f"{base} {_num(metrics.get(base))}: undefined")
        base = metric.removesuffix("_ratio")
        return (f"{base} {_num(metrics.get(base))} / reference {suite.reference}'s "
                f"{_num(ref.get(base))}: undefined")
    if metric == "ms_per_assertion" and not metrics.get("n_assertions"):
        return "the model generated no assertions"
    return None


# ---------------------------------------------------------------- gate evaluation

def judge(gate: Gate, value: float | None, baseline: float | None, allowed: float) -> dict:
    """Gate verdict. Regression = how much worse than the baseline (in the gate's
    direction), as a fraction of |baseline|; absolute when the baseline is 0."""
    verdict = {"metric": gate.metric, "op": gate.op, "threshold": gate.threshold, "value": value,
               "baseline": baseline, "delta": None, "regression": None, "max_regression": allowed,
               "gate_met": value is not None and gate.passes(value), "regressed": False}
    if value is not None and baseline is not None:
        verdict["delta"] = value - baseline
        worse = baseline - value if gate.higher_is_better else value - baseline
        verdict["regression"] = worse / abs(baseline) if baseline else worse
        verdict["regressed"] = verdict["regression"] > allowed + 1e-12
    verdict["passed"] = verdict["gate_met"] and not verdict["regressed"]
    return verdict


def _num(value) -> str:
    if value is None:
        return "—"
    return f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"


def _apart(a: float, b: float, percent: bool = False) -> tuple[str, str]:
    """`a` and `b` written with 4 significant digits, or as many more as tell them apart (a
    value of 0.14996 against a gate of 0.15 read "0.15 ... NOT MET")."""
    for digits in range(4, 13):  # (percentages: 1 decimal first, then more)
        texts = tuple(f"{x:.{digits - 3}%}" if percent else f"{x:.{digits}g}" for x in (a, b))
        if texts[0] != texts[1] or a == b:
            return texts
    return texts


def gate_message(key: str, gate: Gate, v: dict) -> str:
    """What a failing gate item shows: value, gate, baseline, delta, regression."""
    value, threshold = _apart(v["value"], gate.threshold) if v["value"] is not None \
        else ("not measured", f"{gate.threshold:g}")
    if v.get("unmeasured"):
        value += f" ({v['unmeasured']})"
    lines = [f"{key} = {value}; gate {gate.metric} {gate.op} {threshold}: {'met' if v['gate_met'] else 'NOT MET'}"]
    if v["baseline"] is None:
        lines.append("baseline: none")
    elif v["delta"] is None:
        lines.append(f"baseline {_num(v['baseline'])}")
    else:
        relative = f" ({v['delta'] / abs(v['baseline']):+.1%})" if v["baseline"] else ""
        baseline, _ = _apart(v["baseline"], v["value"])
        lines.append(f"baseline {baseline}, delta {v['delta']:+.4g}{relative}")
        regression, allowed = _apart(v["regression"], v["max_regression"], percent=True)
        lines.append(f"regression {regression} (allowed {allowed}): " + ("REGRESSED" if v["regressed"] else "ok"))
    return "\n".join(lines)


class GateFailed(Exception):
    """A gate not met or a regression; the message is the whole report."""


class MeasuringFailed(Exception):
    """The measuring child failed; the message carries its traceback (pytest's frames would
    only bury it)."""


# ---------------------------------------------------------------- collection nodes

class SuiteFile(pytest.File):
    def collect(self):
        settings = self.config.stash[_SETTINGS]
        try:
            suite = load_suite(self.path)
        except SuiteError as err:
            raise self.CollectError(str(err)) from None
        # Baseline keys and report rows are suite::model::metric: two suites of one name
        # (a copied suite that kept `name`) would overwrite and compare each other's values.
        other = self.config.stash[_STATE].names.setdefault(suite.name, self.path)
        if other != self.path:
            raise self.CollectError(str(SuiteError(self.path, "suite.name", f"{suite.name!r} is also the "
                                                   f"name of {other}; give each suite its own name")))
        if settings.model:
            suite.override_model(*settings.model)
        for model in suite.models.values():
            if model.gates or suite.cases_for(model.name):
                yield ModelNode.from_parent(self, name=model.name, suite=suite)


class ModelNode(pytest.Collector):
    def __init__(self, *, suite: Suite, **kwargs):
        super().__init__(**kwargs)
        self.suite = suite

    def collect(self):
        suite, model = self.suite, self.suite.models[self.name]
        own_train = suite.missing_train(model.name)
        for gate in model.gates:
            item = GateItem.from_parent(self, name=gate.metric, suite=suite, gate=gate)
            reason = suite.missing_data() or own_train
            if not reason and gate.metric in RATIO_METRICS:
                reason = suite.missing_train(suite.reference)
            if reason:
                item.missing(f"{suite.name}: {reason}")
            yield item
        for case in suite.cases_for(model.name):
            # the id given as a string, as pytest reads ids back from its cache (`case` with the params
            # `c1`): built from the name it was `case[c1]` whole, and --lf/--ff/--sw never matched it
            item = CaseItem.from_parent(self, name=f"case[{case.name}]", nodeid=f"{self.nodeid}::case[{case.name}]",
                                        suite=suite, case=case)
            if own_train:
                item.missing(f"{suite.name}: {own_train}")
            yield item


class _SuiteItem(pytest.Item):
    def __init__(self, *, suite: Suite, **kwargs):
        super().__init__(**kwargs)
        self.suite = suite
        self.model = self.parent.name
        self.add_marker(pytest.mark.assertgen)
        self.record = {"suite": suite.name, "model": self.model, "suite_file": str(suite.path)}
        self.user_properties.append(("assertgen", self.record))

    @property
    def key(self) -> str:
        return f"{self.suite.name}::{self.model}::{self.name}"

    missing_reason: str | None = None

    def missing(self, reason: str) -> None:
        """The item's data is missing: a skip, or with --assertgen-require-data a failure."""
        if self.config.stash[_SETTINGS].require_data:
            self.missing_reason = reason
        else:
            self.add_marker(pytest.mark.skip(reason=reason))

    def setup(self) -> None:
        if self.missing_reason:
            raise GateFailed(f"{self.missing_reason} (--assertgen-require-data)")

    def _attach_model_summary(self, result: dict) -> None:
        """The first item of a model in this process carries the model's full metrics
        (a ratio gate also its reference's)."""
        if not result["reported"]:
            result["reported"] = True
            summary = {k: result.get(k) for k in ("suite", "model", "source", "data", "info", "n", "metrics")}
            self.user_properties.append(("assertgen_model", summary))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, GateFailed):
            return str(excinfo.value)
        if isinstance(excinfo.value, (UserError, MeasuringFailed)):
            return f"{self.key}: {excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, 0, self.key


class GateItem(_SuiteItem):
    def __init__(self, *, gate: Gate, **kwargs):
        super().__init__(**kwargs)
        self.gate = gate
        self.record.update(kind="gate", metric=gate.metric, op=gate.op, threshold=gate.threshold,
                           gate=str(gate))

    def runtest(self):
        settings = self.config.stash[_SETTINGS]
        value = metric_value(self.config, self.suite, self.model, self.gate.metric)
        self._attach_model_summary(measure(self.config, self.suite, self.model))
        if self.gate.metric in RATIO_METRICS:  # the reference's values too, even when it has no items
            self._attach_model_summary(measure(self.config, self.suite, self.suite.reference))
        verdict = judge(self.gate, value, settings.baseline.get(self.key),
                        self.suite.allowed_regression(self.gate.metric))
        if value is None:
            verdict["unmeasured"] = why_unmeasured(self.config, self.suite, self.model, self.gate.metric)
        self.record.update(verdict)
        if not verdict["passed"]:
            raise GateFailed(gate_message(self.key, self.gate, verdict))


class CaseItem(_SuiteItem):
    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.record.update(kind="case", metric=self.name, accept=case.accept)

    def runtest(self):
        from workbench.metrics import java_tokens

        result = measure(self.config, self.suite, self.model)
        self._attach_model_summary(result)
        predicted = result["cases"][self.case.name]

        def tokens(assertions):  # compared as Java tokens: whitespace never matters
            return [t for t in (java_tokens(a) for a in assertions) if t]

        passed = any(tokens(predicted) == tokens(answer) for answer in self.case.accept)
        self.record.update(value=1.0 if passed else 0.0, prediction=predicted, passed=passed)
        if not passed:
            accepted = "\n".join("  - " + " ".join(a) for a in self.case.accept)
            raise GateFailed(f"{self.key}: predicted {' '.join(predicted) or '(nothing)'}\n"
                             f"accepted answers:\n{accepted}")


# ---------------------------------------------------------------- reporting

_PROPERTIES = ("assertgen", "assertgen_model")  # the user_properties this plugin writes


def _decoded(value):
    """A property's record: as the item wrote it, or as JSON text once `Reporter` saw it."""
    return json.loads(value) if isinstance(value, str) else value


class Reporter:
    """Gathers item records from reports (so it works the same on an xdist controller),
    prints the summary tables, writes the JSON report and the baseline."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.settings = config.stash[_SETTINGS]
        self.state = config.stash[_STATE]
        self.write_error: str | None = None   # why the baseline or JSON report was not written
        self.baseline_saved = True            # False: the baseline left alone, for `not_saved_because`
        self.not_saved_because = "no gate was measured"
        self.report_written = False

    @pytest.hookimpl(tryfirst=True)  # before --junitxml writes the properties
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        ours = [(name, _decoded(value)) for name, value in report.user_properties if name in _PROPERTIES]
        if not any(name == "assertgen" for name, _ in ours):
            return
        # JUnit XML writes each property with str(): JSON text, not a Python dict's repr
        # (an xdist worker may have done it already)
        report.user_properties = [(name, json.dumps(_decoded(value), sort_keys=True) if name in _PROPERTIES
                                   else value) for name, value in report.user_properties]
        props = dict(ours)
        for name, m in ours:  # a ratio gate also carries its reference's
            if name == "assertgen_model":
                self.state.models[f"{m['suite']}::{m['model']}"] = m
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            record = dict(props["assertgen"], nodeid=report.nodeid, outcome=report.outcome)
            if report.outcome == "skipped" and isinstance(report.longrepr, tuple):
                record["message"] = report.longrepr[2]
            elif report.outcome == "failed":
                record["message"] = report.longreprtext.strip()[-2000:]
            self.state.results.append(record)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.write_error:
            terminalreporter.write_line(self.write_error, red=True)
        tr = terminalreporter
        if not self.baseline_saved:
            tr.write_line(f"assertgen: baseline not saved: {self.not_saved_because}", yellow=True)
        if not self.state.results:
            if not self.config.option.collectonly and not any(
                    isinstance(i, _SuiteItem) for i in getattr(tr._session, "items", []) or []):
                tr.write_line("assertgen: no benchmark suites found: by default every *.toml in "
                              f"{self.config.rootpath / 'benchmarks'}; name suite files with "
                              "--assertgen-suite or as arguments", yellow=True)
            return
        for warning in self._warnings():
            tr.write_line(f"assertgen: {warning}", yellow=True)
        # Only loadfile keeps a suite (its models and a ratio gate's reference) on one worker.
        # Not loadgroup with xdist_group marks: xdist 3.8 on pytest 9.2 ignores the groups
        # (it rewrites the legacy item._nodeid; pytest-dev/pytest-xdist#1386).
        dist = self.config.getoption("dist", None)
        if self.config.pluginmanager.hasplugin("dsession") and dist != "loadfile":
            tr.write_line(f"assertgen: with pytest-xdist's --dist {dist}, one model's items can run on "
                          "several workers at once: each measures the model again, and speed and memory "
                          "gates are measured under contention; use --dist loadfile to keep each suite "
                          "on one worker", yellow=True)
        if self.settings.baseline_path:  # else a renamed suite or model silently loses its checks
            judged = [r for r in self.state.results if r.get("kind") == "gate" and "gate_met" in r]
            unchecked = [f"{r['suite']}::{r['model']}::{r['metric']}"
                         for r in judged if r["baseline"] is None]
            if unchecked:
                more = f", ... ({len(unchecked) - 5} more)" if len(unchecked) > 5 else ""
                tr.write_line(f"assertgen: {len(unchecked)} of {len(judged)} gates not checked for "
                              f"regressions, no value in {self.settings.baseline_path}: "
                              f"{', '.join(unchecked[:5])}{more}", yellow=True)
        tr.write_sep("=", "assertgen benchmarks")
        rows = [("item", "value", "gate", "baseline", "delta", "result")]
        for r in self.state.results:
            if r.get("kind") == "case":
                gate = "accepted answer"
                value = {True: "match", False: "no match"}.get(r.get("passed"), "—")
            else:
                gate, value = r.get("gate", ""), _num(r.get("value"))
            rows.append((f"{r['suite']}::{r['model']}::{r['metric']}", value, gate,
                         _num(r["baseline"]) if r.get("baseline") is not None else "",
                         f"{r['delta']:+.4g}" if r.get("delta") is not None else "",
                         r["outcome"] + (" (regressed)" if r.get("regressed") else "")))
        _write_table(tr, rows)
        if self.state.models:
            cols = ("exact_match", "f1", "codebleu", "ast_validity", "ms_per_method_p50",
                    "ms_per_method_mean", "ms_per_assertion", "peak_rss_mb")
            rows = [("model", "n") + cols]
            for key, m in self.state.models.items():
                rows.append((key, str(m["n"])) + tuple(_num(m["metrics"].get(c)) for c in cols))
            tr.write_line("")
            _write_table(tr, rows)
        for what, path in (("JSON report", self.report_written and self.settings.json_path),
                           ("baseline saved", self.baseline_saved and self.settings.save_baseline_path)):
            if path and not self.write_error:
                tr.write_line(f"assertgen: {what}: {path}")

    def _warnings(self) -> list[str]:
        """What the results do not show by themselves: suites not run for want of data, a
        baseline measured otherwise than this run, values saved from failed gates."""
        warnings = []
        missing = sorted({r["message"] for r in self.state.results
                          if r["outcome"] == "skipped" and "not found" in (r.get("message") or "")})
        if missing:
            warnings.append(f"{len(missing)} suite(s) or model(s) not run, their data missing (a typo "
                            f"passes as a skip): {'; '.join(missing[:3])}")
        if self.settings.baseline_path:
            then = self.settings.baseline_measured
            for key, model in self.state.models.items():
                before, now = then.get(key), _provenance(model, self.settings.limit)
                changed = [f"{k} {before.get(k)!r} -> {v!r}" for k, v in now.items()
                           if isinstance(before, dict) and before.get(k) != v]
                if changed:
                    warnings.append(f"{key}: the baseline was measured otherwise ({', '.join(changed)}): "
                                    "its regressions compare different measurements")
        if self.settings.save_baseline_path and self.baseline_saved:
            bad = [f"{r['suite']}::{r['model']}::{r['metric']}" for r in self.state.results
                   if r.get("kind") == "gate" and r.get("value") is not None and not r.get("passed", True)]
            if bad:
                warnings.append(f"the saved baseline holds the values of {len(bad)} gate(s) that failed or "
                                f"regressed: {', '.join(bad[:5])}{', ...' if len(bad) > 5 else ''}")
            if self.settings.limit:
                warnings.append(f"the saved baseline was measured on at most {self.settings.limit} records "
                                "a suite (--assertgen-limit)")
        return warnings

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus) -> None:
        if hasattr(self.config, "workerinput"):  # an xdist worker: the controller writes
            return
        errors = []
        # each on its own: a baseline that cannot be saved left the report (a CI artifact) unwritten
        if self.settings.json_path and not self.config.option.collectonly:  # (an empty one replaced the last)
            try:
                write_report(self.settings.json_path, self.state, self.settings, exitstatus)
                self.report_written = True
            except UserError as err:
                errors.append(f"assertgen: error: {err}")
        if self.settings.save_baseline_path:
            if exitstatus == pytest.ExitCode.INTERRUPTED:  # values of a part of the run, under way
                self.baseline_saved, self.not_saved_because = False, "the run was interrupted"
            else:
                try:
                    self.baseline_saved = save_baseline(self.settings.save_baseline_path, self.state,
                                                        self.settings.limit)
                except UserError as err:  # an unwritable path: one line in the summary, not an internal error
                    errors.append(f"assertgen: error: {err}")
        if errors:
            self.write_error = "\n".join(errors)
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.USAGE_ERROR


def _write_table(tr, rows) -> None:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        tr.write_line("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        if n == 0:
            tr.write_line("  ".join("-" * w for w in widths))


def _provenance(model: dict, limit: int | None) -> dict:
    """How a model's values were measured, kept beside them in a baseline: a regression against
    values of another model, data set or sample compares nothing."""
    return {"source": str(model.get("source")), "data": model.get("data"), "n": model.get("n"), "limit": limit}


def save_baseline(path: Path, state: State, limit: int | None = None) -> bool:
    """Write every measured gate value as {"suite::model::metric": value}, merged into an
    existing baseline file so that a partial run (-k) keeps the other values and model
    summaries, with how each model was measured (`_provenance`). False (nothing written) when
    no gate was measured: --collect-only or a collection error would otherwise leave an empty
    baseline that checks nothing."""
    measured = {f"{r['suite']}::{r['model']}::{r['metric']}": r["value"] for r in state.results
                if r.get("kind") == "gate" and r.get("value") is not None}
    if not measured:
        return False
    old = {}
    if path.exists() and (path.is_dir() or path.stat().st_size):  # an empty file (mktemp) is fine
        try:
            old = _load_baseline(path)
        except ValueError as err:  # replacing it would lose its values (a merge conflict, a typo)
            raise UserError(f"baseline not saved: {err}; the file was not replaced") from None
    values = dict(old.get("values", {}))  # numbers only: _load_baseline checked them
    values.update(measured)
    models = dict(old["models"]) if isinstance(old.get("models"), dict) else {}
    models.update({k: m["metrics"] for k, m in state.models.items()})
    measured = dict(old["measured"]) if isinstance(old.get("measured"), dict) else {}
    measured.update({k: _provenance(m, limit) for k, m in state.models.items()})
    doc = {"format": BASELINE_FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
           "values": dict(sorted(values.items())), "models": dict(sorted(models.items())),
           "measured": dict(sorted(measured.items()))}
    atomic_write_json(path, doc, default=str)
    return True


def write_report(path: Path, state: State, settings: Settings, exitstatus) -> None:
    from workbench.bench import machine_info

    counts = {}
    for r in state.results:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    doc = {"format": REPORT_FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
           "duration_s": round(time.time() - state.started, 3), "exit_status": int(exitstatus),
           "machine": machine_info(),
           "options": {"limit": settings.limit, "model": settings.model and "=".join(
               x for x in settings.model if x), "baseline": str(settings.baseline_path or "") or None},
           "summary": counts, "models": list(state.models.values()), "items": state.results}
    atomic_write_json(path, doc, default=str)


