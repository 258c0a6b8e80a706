"""The fill pipeline: find test stubs, ask the model for assertions, check them, write them.

Steps: read and parse every test file (a file that does not parse is reported and
left alone) -> find stubs and their focal methods -> one model, batched across all
files -> keep the first n-best candidate that passes `check_candidate` -> apply the
edits by byte span, re-parse, and write atomically (or only diff / check).

A model trained with retrieval augmentation (its metadata says so, see
`assertgen.retrieval`) searches the user's own repository: the corpus is every test method
that already has assertions under the test roots of the files being filled, masked as the
training corpus is and paired with its focal method by the same heuristics as the stubs.
Nothing is shipped with the model for this; a retrieval model in a repository without any
such test is a UserError.

A model that offers reuse (`assertgen.reuse`) searches the same corpus first: a stub whose
most similar asserting tests are similar enough gets the first of their assertion lists
(nearest first, up to `REUSE_CANDIDATES`) that passes the checks, in its own names; the
model writes the rest. `reuse=False` (`--no-reuse`) leaves every stub to the model.

With `verify` (`--verify CMD`) the project's own test command then runs on the written files
(`_verify`, what it reports read by `assertgen.verify`): a fill whose test fails, or that javac
rejects, is taken back and its stub tries its next candidates, the command running again.
With `accept_observed` (`--accept-observed`) a failed assertEquals of a literal takes the value
the run observed instead (`assertgen.observed`).
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
import time
from collections import Counter, OrderedDict
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assertgen import checks
from assertgen import java_source as js
from assertgen import observed
from assertgen import verify as verifying
from assertgen.atomic import atomic_write, atomic_write_json
from assertgen.errors import UserError
from assertgen.java_level import BUILD_FILES, JavaLevel, build_dir, java_level, source_dirs
from assertgen.prompt import parse_output
from assertgen.retrieval import Retriever, model_inputs, uses_retrieval
from assertgen.reuse import Reused, Reuser

# Skip reasons (stable keys in the JSON report and the summary).
NO_MAIN_SOURCES = "no main source directory (use --main)"
DISABLED = "disabled (@Disabled or @Ignore): it never runs, so its assertions would never be checked"
NO_FOCAL_CLASS = "focal class not found"
NO_FOCAL_METHOD = "no focal method called in the test"
NO_VALID_CANDIDATE = "no candidate passed the checks"
EDIT_DOES_NOT_PARSE = "edited file would not parse"
CHANGED_DURING_RUN = "file changed on disk during the run"
READ_ONLY = "file is read-only (make it writable to fill it)"
WRITE_FAILED = "file could not be written"
TEST_FAILED = "its test failed when --verify ran it"
REJECTED_BY_JAVAC = "javac rejected it when --verify ran the tests"
# In --verify's command, the filled test classes' simple names, comma-separated (Maven's
# `mvn test -Dtest={tests}`): the first run names every file's, a later one those filled again
TESTS_PLACEHOLDER = "{tests}"
# Test command runs --verify makes at most: after javac rejected fills (no test ran), and after
# stubs whose fill failed got their next candidates (those run once more, javac permitting)
VERIFY_RUNS = 5
# Similar tests whose assertions a stub may reuse, nearest first: the next is tried when one
# fails the checks (names the stub does not have, mostly). The benchmarks measure the nearest.
REUSE_CANDIDATES = 5
WIDER_BEAMS = 4  # how much wider the beam of a stub's second try is (`_fill_round`)
NO_RETRIEVAL_CORPUS = ("the model was trained with retrieval augmentation: it needs test methods that "
                       "already have assertions in this repository to retrieve from, and none were "
                       "found (with a focal method) under {roots}; use a model without retrieval (--model)")


@dataclass
class StubResult:
    method: str
    test_class: str
    line: int
    status: str = "skipped"                 # filled | skipped
    reason: str | None = None               # why skipped
    source: str | None = None               # who wrote the filled assertions: model | reused
    reused_from: str | None = None          # the test they were reused from (path:method:line)
    focal: str | None = None                # pkg.Class#method
    assertions: list[str] = field(default_factory=list)
    imports_added: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)   # candidates and why each failed
    verified: bool = False                  # --verify ran its test, and it passed
    # assertions whose expected literal --accept-observed replaced: {"at": position in `assertions`,
    # "before": the assertion as filled, "failure": the run's message}
    observed: list[dict] = field(default_factory=list)


@dataclass
class FileResult:
    path: str
    status: str = "unchanged"               # changed | unchanged | parse_error
    error_line: int | None = None
    error: str | None = None                # what is wrong with a file that does not parse
    test_methods: int = 0
    stubs: list[StubResult] = field(default_factory=list)
    diff: bytes = b""
    write_error: str | None = None          # why writing the filled file failed (fill exits 2)


@dataclass
class FillReport:
    files: list[FileResult]
    seconds: float = 0.0
    written: bool = False
    verify: str | None = None   # the test command --verify ran

    def stubs(self) -> list[StubResult]:
        return [s for f in self.files for s in f.stubs]

    @property
    def filled(self) -> int:
        return sum(s.status == "filled" for s in self.stubs())

    @property
    def reused(self) -> int:
        return sum(s.status == "filled" and s.source == "reused" for s in self.stubs())

    @property
    def verified(self) -> int:   # (--verify)
        return sum(s.verified for s in self.stubs())

    @property
    def with_observed_values(self) -> int:   # (--accept-observed)
        return sum(s.status == "filled" and bool(s.observed) for s in self.stubs())

    def skipped_by_reason(self) -> Counter:
        return Counter(s.reason for s in self.stubs() if s.status == "skipped")

    def to_json(self) -> dict:
        return {
            "summary": {
                "test_files": len(self.files),
                "test_methods": sum(f.test_methods for f in self.files),
                "stubs": len(self.stubs()),
                "filled": self.filled,
                "reused": self.reused,
                "skipped": dict(self.skipped_by_reason()),
                "files_changed": sum(f.status == "changed" for f in self.files),
                "files_not_parsed": [f.path for f in self.files if f.status == "parse_error"],
                "written": self.written,
                **({"verified": self.verified,
                    "with_observed_values": self.with_observed_values}
                   if self.verify else {}),
                "seconds": round(self.seconds, 3),
            },
            "files": [{k: v for k, v in asdict(f).items() if k != "diff"} for f in self.files],
        }


# --- finding files and focal methods -------------------------------------------------

def real_path(path: Path) -> Path:
    """The path with its symlinks resolved. A symlink loop is left for reading to report
    (Path.resolve raises RuntimeError on one: a traceback, not the file named)."""
    return Path(os.path.realpath(path))


def collect_java_files(paths: list[str | Path]) -> list[Path]:
    """The .java files named or found (recursively) under `paths`, sorted, without duplicates."""
    found: dict[Path, Path] = {}   # resolved path -> path as given (a file named twice counts once)
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise UserError("path not found", path=str(path))
        if path.is_dir():
            seen = {real_path(path)}  # symlinked folders are followed, each real folder once (no loop)
            for root, dirs, files in os.walk(path, followlinks=True):
                kept = []
                for name in sorted(dirs):
                    real = real_path(Path(root) / name)
                    if not name.startswith(".") and not _is_build_output(Path(root), name) and real not in seen:
                        seen.add(real)
                        kept.append(name)
                dirs[:] = kept
                for name in sorted(files):
                    if name.endswith(".java") and not name.startswith("."):  # (`.#FooTest.java`: an editor's lock)
                        found.setdefault(real_path(Path(root) / name), Path(root) / name)
        elif path.suffix == ".java":
            found.setdefault(real_path(path), path)
        else:
            raise UserError("not a Java file or directory", path=str(path))
    return list(found.values())


_BUILD_OUTPUTS = frozenset({"target", "build", "out", "bin"})  # Maven, Gradle, IntelliJ, Eclipse
_BUILD_FILES = (*BUILD_FILES, "build.xml")  # (Ant's too)


def _is_build_output(parent: Path, name: str) -> bool:
    """Whether `parent/name` is a build's output folder (copies of the sources, generated ones):
    a target/, build/, out/ or bin/ beside a build file or a src/ folder, not a package `build`."""
    return name in _BUILD_OUTPUTS and (any((parent / f).is_file() for f in _BUILD_FILES)
                                       or (parent / "src").is_dir())


class SourceRoot:
    """A source directory (e.g. src/main/java): its .java files by class name, parsed on demand.

    The most recently used `PARSED_FILES` parsed files are kept: the retrieval corpus looks
    up the focal class of every test in the repository, and a parse tree is ~30x its source
    (tens of MB of main sources would otherwise stay in memory as GBs of trees)."""

    PARSED_FILES = 64

    def __init__(self, root: Path):
        self.root = root
        self.by_name: dict[str, list[Path]] = {}
        for base, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".java"):
                    self.by_name.setdefault(name[:-5], []).append(Path(base) / name)
        self._parsed: OrderedDict[Path, js.JavaFile] = OrderedDict()
        self._declared: dict[str, dict[str, list[Path]]] = {}   # see _declared_in
        self._package_classes: dict[str, set[str]] = {}   # see package_classes

    def package_dir(self, package: str) -> Path:
        return self.root.joinpath(*package.split(".")) if package else self.root

    def package_classes(self, package: str) -> set[str]:
        """The package's top-level classes: one per file, and those a file declares beside its own
        (`class Coin` after `public class Wallet`, visible to the package's tests)."""
        if package not in self._package_classes:
            own = {p.stem for p in self.package_dir(package).glob("*.java")}
            others = {name for name in self._declared_in(package) if name not in own
                      and self._declared_elsewhere(name, package)}
            self._package_classes[package] = own | others
        return self._package_classes[package]

    def class_in(self, name: str, packages: list[str]) -> tuple[js.JavaFile, object] | None:
        """(file, class) of class `name` from its own file in one of `packages`, else from a file
        of one of them named otherwise; or None."""
        for package in packages:
            jf = self._read(self.package_dir(package) / (name + ".java")) if name in self.by_name else None
            cls = None if jf is None else js.top_level_class(jf, name)
            if cls is not None:
                return jf, cls
        return next((found for package in packages if (found := self._declared_elsewhere(name, package))), None)

    def find_class(self, name: str, package: str) -> tuple[js.JavaFile, object] | None:
        """Class `name` from its file (the one in `package` first, then any package's), else
        from a file of `package` named otherwise."""
        paths = self.by_name.get(name, [])
        same = self.package_dir(package) / (name + ".java")
        for path in sorted(paths, key=lambda p: p != same):
            jf = self._read(path)
            if jf is None:
                continue  # an unreadable main file only means no focal class from it
            cls = js.top_level_class(jf, name)
            if cls is not None:
                return jf, cls
        return self._declared_elsewhere(name, package)

    def find_nested_class(self, name: str, package: str) -> tuple[js.JavaFile, object] | None:
        """A member class `name` of a class of `package` (picocli's CommandLine.Help, the focal
        class of HelpTest), the first in file order; None when no file of the package declares one."""
        for path in self._declared_in(package).get(name, []):
            jf = self._read(path)
            cls = None if jf is None else next((c for c in jf.classes() if js.class_name(c) == name
                                                and c.parent.type != "program"), None)
            if cls is not None:
                return jf, cls
        return None

    def _declared_elsewhere(self, name: str, package: str) -> tuple[js.JavaFile, object] | None:
        """A class of the package in a file named otherwise (`final class Circle` beside the sealed Shape)."""
        for path in self._declared_in(package).get(name, []):
            jf = self._read(path)
            cls = js.top_level_class(jf, name) if jf is not None else None
            if cls is not None:
                return jf, cls
        return None

    _DECLARATION = re.compile(r"\b(?:class|interface|enum|record)\s+((?:[^\W\d]|\$)[\w$]*)")

    def _declared_in(self, package: str) -> dict[str, list[Path]]:
        """The package's files by the names they may declare other than their own (a text
        search, read once per package: a miss parses only the files that may declare it)."""
        if package not in self._declared:
            declared: dict[str, list[Path]] = {}
            for path in sorted(self.package_dir(package).glob("*.java")):
                try:
                    source = path.read_bytes().decode("utf-8", errors="replace")
                except OSError:
                    continue
                for name in dict.fromkeys(self._DECLARATION.findall(source)):
                    if name != path.stem:
                        declared.setdefault(name, []).append(path)
            self._declared[package] = declared
        return self._declared[package]

    def _read(self, path: Path) -> js.JavaFile | None:
        if path in self._parsed:
            self._parsed.move_to_end(path)
            return self._parsed[path]
        try:
            jf = js.JavaFile.read(path)
        except UserError:
            return None
        self._parsed[path] = jf
        if len(self._parsed) > self.PARSED_FILES:
            self._parsed.popitem(last=False)
        return jf


def test_root_of(jf: js.JavaFile) -> Path:
    """The source root of a test file: its directory minus the package folders. javac does
    not require the folders to match the package: then the nearest `src/<set>/java` above
    the file, else its directory."""
    path = Path(os.path.abspath(jf.path))  # `fill ./FooTest.java` from its package folder: not `.`
    folder = path.parent
    for part in reversed(jf.package.split(".") if jf.package else []):
        if folder.name != part:
            layout = next((p for p in path.parents if p.name == "java" and p.parent.parent.name == "src"), None)
            return layout or path.parent
        folder = folder.parent
    return folder


class SourceRoots:
    """Several main source directories searched in order (a module's own first, then its build's
    other modules' or the --main ones): SourceRoot's lookups over all of them."""

    def __init__(self, roots: list[SourceRoot]):
        self.roots = roots

    def package_classes(self, package: str) -> set[str]:
        return set().union(*(root.package_classes(package) for root in self.roots))

    def class_in(self, name: str, packages: list[str]) -> tuple[js.JavaFile, object] | None:
        return next((found for root in self.roots if (found := root.class_in(name, packages)) is not None), None)

    def find_class(self, name: str, package: str) -> tuple[js.JavaFile, object] | None:
        return next((found for root in self.roots if (found := root.find_class(name, package)) is not None), None)

    def find_nested_class(self, name: str, package: str) -> tuple[js.JavaFile, object] | None:
        return next((found for root in self.roots if (found := root.find_nested_class(name, package)) is not None), None)


_MULTI_MODULE_FILES = ("pom.xml", "settings.gradle", "settings.gradle.kts")


def main_roots(test_root: Path, given: list[Path]) -> list[Path]:
    """The main source directories a test root's focal and project classes come from: the
    --main ones when given, else its own (`default_main_root`) and those of the other modules
    of a multi-module build (each module beside its own under a parent pom or a Gradle settings
    file): a module's tests use its dependencies' classes. A module of tests alone (jsonp's
    tests/, no src/main/java) gets the other modules' only."""
    if given:
        return given
    found = _module_and_main_root(test_root)
    if found is not None:
        module, own = found
    else:
        parts = test_root.resolve().parts
        module = Path(*parts[:-3]) if len(parts) >= 3 and parts[-3] == "src" else build_dir(test_root)
        own = None
    if module is None:
        return []
    # Gradle's java-test-fixtures plugin: the module's tests see src/testFixtures/java
    fixtures = [module / "src" / "testFixtures" / "java"]
    parent = module.parent
    siblings = sorted(main for other in parent.iterdir() if other.is_dir() and other != module
                      and (main := source_dirs(other)[0]).is_dir()) \
        if any((parent / f).is_file() for f in _MULTI_MODULE_FILES) else []
    return [*([own] if own else []), *(f for f in fixtures if f.is_dir()), *siblings]


def default_main_root(test_root: Path) -> Path | None:
    """The main source directory beside a test root, when it exists (`_module_and_main_root`)."""
    found = _module_and_main_root(test_root)
    return None if found is None else found[1]


def _module_and_main_root(test_root: Path) -> tuple[Path, Path] | None:
    """(module, main source directory) of a test source root: src/test/java -> src/main/java
    (Maven and Gradle layouts; so do the other test source sets, Gradle's src/integrationTest/java,
    Android's src/androidTest/java), else the sourceDirectory of the pom whose
    testSourceDirectory it is; None when there is none."""
    test_root = test_root.resolve()
    parts = test_root.parts
    if len(parts) >= 3 and parts[-3] == "src" and parts[-2] != "main":
        main = Path(*parts[:-2], "main", parts[-1])
        if main.is_dir():
            return Path(*parts[:-3]), main
    module = build_dir(test_root)
    if module is not None:
        main, test = source_dirs(module)
        if test.resolve() == test_root and main.is_dir():
            return module, main
    return None


@dataclass
class _Job:
    """One stub on its way through the pipeline."""

    stub: js.Stub
    result: StubResult
    scope: checks.Scope | None = None
    scopes: list = field(default_factory=list)   # each placeholder's scope (several placeholders)
    record: dict | None = None              # focal_method + test_method_masked: the model's query
    model_input: str | None = None
    candidates: list[str] | None = None     # the model's n-best, once generated
    edits: list = field(default_factory=list)
    imported: dict[str, str] = field(default_factory=dict)   # name -> class its added static import is of
    file_jobs: list = field(default_factory=list)   # the jobs of its file, itself included
    reuse_options: list = field(default_factory=list)   # the similar tests' assertions offered (Reused)
    chosen: str | None = None               # the candidate written
    failed_when_run: set = field(default_factory=set)   # candidates --verify took back


def find_focal(test_cls, test_name: str, calls: list[tuple[str, int]], package: str,
               main: SourceRoot | None):
    """(focal file, focal class, focal method) of a test method, or the skip reason; the
    focal file declares the focal method (the focal class's, a project supertype's, or a
    record's stand-in for its implicit accessors: see `focal_methods`).

    `main` is anything with SourceRoot's `find_class` (`workbench mine` passes its own; its
    classes have no supertypes, else it would need `class_in` too)."""
    found = _find_focal(test_cls, test_name, calls, package, main)
    return found if isinstance(found, str) else found[1:]


def _find_focal(test_cls, test_name: str, calls: list[tuple[str, int]], package: str, main: SourceRoot | None,
                by_name: bool = False, loosely: bool = False):
    """(focal class's file, file declaring the focal method, focal class, focal method), or the skip
    reason: `_focal_method` of `_focal_class`."""
    focal = _focal_class(test_cls, package, main)
    return focal if isinstance(focal, str) else _focal_method(focal, test_name, calls, by_name, loosely)


def _focal_class(test_cls, package: str, main: SourceRoot | None):
    """(the focal class's file, the focal class, `focal_methods` of it) by the test class's name (an
    outer test class's too), or the skip reason."""
    if main is None:
        return NO_MAIN_SOURCES
    focal = None
    cls: object | None = test_cls
    while cls is not None and focal is None:  # nested test classes: try the outer names too
        if cls.type in js.CLASS_TYPES:  # not a method's or a variable's declaration (local classes)
            names = js.focal_class_names(js.class_name(cls))
            # a top-level class of any of the names first, then a member class of the package's
            focal = next(filter(None, (main.find_class(name, package) for name in names)), None) \
                or next(filter(None, (main.find_nested_class(name, package) for name in names)), None)
        cls = cls.parent
    if focal is None:
        return NO_FOCAL_CLASS
    class_file, focal_cls = focal
    return class_file, focal_cls, focal_methods(class_file, focal_cls, main)


def _focal_method(focal, test_name: str, calls: list[tuple[str, int]], by_name: bool = False, loosely: bool = False):
    """(focal class's file, file declaring the focal method, focal class, focal method) of a
    `_focal_class` answer, or the skip reason. `by_name`: when the test calls none of the focal
    class's methods, the one its name names (`js.method_named_by_test`, `loosely` so); `loosely`
    also the class's first constructor where it names a constructor."""
    class_file, focal_cls, candidates = focal
    methods = [method for _, method in candidates]
    method = js.choose_focal_method(test_name, calls, methods)
    if method is None and by_name:
        method = js.method_named_by_test(test_name, methods, loosely)
        # commons-lang's `testConstructor`, whose `new StringUtils()` was inside its assertions
        constructors = js.body_members(focal_cls, "constructor_declaration") \
            if method is None and loosely and "constructor" in test_name.lower() else []
        if constructors:
            return class_file, class_file, focal_cls, constructors[0]
    if method is None:
        return NO_FOCAL_METHOD
    return class_file, next(jf for jf, m in candidates if m is method), focal_cls, method


_CLASS_NAME = re.compile(r"\b[A-Z][A-Za-z0-9_]*\b")


def relaxed_focal(masked_test: str, test_name: str, calls: list[tuple[str, int]], find, classes=None):
    """(focal class's file, file declaring the focal method, focal class, focal method) among
    the methods of the main classes the test names (any capitalised name in its masked text),
    by the corpus rule (`choose_focal_method`), or None. For tests whose class names no main
    class (jsoup's HtmlParserTest calls `Jsoup.parse`), or calls none of its methods.
    `find(name)` gives (file, class) of a main class the test may mean, or None; `classes`, when
    given, are the (file, class) to search instead."""
    if classes is None:
        classes = [found for name in sorted(set(_CLASS_NAME.findall(masked_test))) if (found := find(name)) is not None]
    # their own methods, as `workbench mine` took them (following every named class's supertypes
    # too made joda-time's fill 15 s slower)
    candidates = [(class_file, class_file, cls, method) for class_file, cls in classes for method in js.class_methods(cls)]
    method = js.choose_focal_method(test_name, calls, [candidate[3] for candidate in candidates])
    return None if method is None else next(c for c in candidates if c[3] is method)


def statically_imported_classes(jf: js.JavaFile, main) -> list[tuple[js.JavaFile, object]]:
    """(file, class) of the main classes whose static members the test file imports (`import
    static org.mockito.Mockito.mock;`, `...Mockito.*`): a test of a project's static API names no
    class of it (mockito's own usage tests call `mock`, `when`, `verify`)."""
    found = []
    for imp in jf.imports:
        if imp.static:
            package, _, simple = (imp.name if imp.wildcard else imp.name.rpartition(".")[0]).rpartition(".")
            hit = main.find_class(simple, package)
            if hit is not None and hit[0].package == package and hit not in found:
                found.append(hit)
    return found


def constructed_focal(creations: list[tuple[str, int]], preferred: str | None, find):
    """(file, file, class, constructor) of the main class a test creates last (the one named
    `preferred`, its test class's focal class, when it creates one), the constructor by argument
    count, or None: the focal "method" of a test that calls no method of the classes it names,
    only creates them (commons-codec's `new DecoderException()`, joda-time's `new DateTime(2007,
    3, 31, ...)` of TestDateTimeZoneCutover). `find(name)` as `relaxed_focal`'s. A class that
    declares no constructor has no source text to give the model."""
    created = [(name, argc) for name, argc in creations if find(name) is not None]
    if not created:
        return None
    name, argc = ([c for c in created if c[0] == preferred] or created)[-1]
    class_file, cls = find(name)
    constructors = [c for c in js.body_members(cls, "constructor_declaration")
                    if js.takes_arguments(js.parameter_count(c), argc)]
    return (class_file, class_file, cls, constructors[0]) if constructors else None


def _find_focal_or_relaxed(jf: js.JavaFile, test_cls, test_name: str, masked_test: str,
                           calls: list[tuple[str, int]], main: SourceRoot | None, method, cutoff: int):
    """`_find_focal` (a focal method the test calls, else the one its name names), else
    `relaxed_focal` over the classes the test file's names resolve to (imports, its package,
    wildcard imports), else the constructor of the class it creates before `cutoff`
    (`constructed_focal`), else `relaxed_focal` over the main classes the file imports static
    members of, by the calls that may be theirs (`js.unqualified_calls`), else the method (or
    constructor) the test's name names loosely; the strict rule's skip reason when none answers.
    `method`: the test method's node."""
    focal = _focal_class(test_cls, jf.package, main)
    found = focal if isinstance(focal, str) else _focal_method(focal, test_name, calls, by_name=True)
    if not isinstance(found, str) or main is None:
        return found
    files = {}
    lookup = class_lookup(jf, [main], files)

    def find(name: str):
        cls = lookup(name)
        return None if cls is None else (files[cls], cls)
    relaxed = relaxed_focal(masked_test, test_name, calls, find) \
        or constructed_focal(js.creations_before(method, cutoff), js.focal_class_name(js.class_name(test_cls)), find)
    if relaxed:
        return relaxed
    # (jline's TestBuffer's own `b.ctrl('K')` was taken for KeyMap's statically imported `ctrl`; stop 36)
    unqualified = js.unqualified_calls(method, cutoff)
    relaxed = relaxed_focal(masked_test, test_name, [call for call in calls if call[0] in unqualified], find,
                            statically_imported_classes(jf, main))
    if relaxed:
        return relaxed
    # last, the test's name loosely: ahead of the rules above it took commons-net's `testBase64` (which
    # creates a Base64) for `isBase64`, and a `return_types` for a `returnType` (stop 37)
    named = focal if isinstance(focal, str) else _focal_method(focal, test_name, calls, by_name=True, loosely=True)
    return found if isinstance(named, str) else named


def focal_methods(jf: js.JavaFile, cls, main) -> list[tuple[js.JavaFile, object]]:
    """(declaring file, method) of the methods a test of `cls` (of file `jf`) may call: its
    own first (an override wins), a record's implicit accessors, then those it inherits
    from its supertypes in `main` (superclass chain, interfaces' default methods)."""
    candidates = [(jf, method) for method in js.class_methods(cls)]
    accessors = js.implicit_accessors(jf, cls)
    if accessors is not None:
        candidates += [(accessors, method) for method in js.class_methods(accessors.tree.root_node.named_children[0])]
    files = {}   # supertype -> its file, whose imports name the supertypes it has in turn

    def lookup(name: str):  # as the focal class's file names it, else a supertype's file
        for named_in in [jf, *files.values()]:
            supertype = class_lookup(named_in, [main], files)(name)
            if supertype is not None:
                return supertype
        return None
    for supertype in checks.project_supertypes(cls, lookup):
        # (a member class a file's own class extends is found in that file, not looked up: picocli's)
        declared_in = files.get(supertype) or next(f for f in [jf, *files.values()] if supertype in f.classes())
        candidates += [(declared_in, method) for method in checks.inherited_methods(supertype)]
    return candidates


def method_source(jf: js.JavaFile, method) -> str:
    return method.text.decode(jf.encoding, errors="replace").replace("\r\n", "\n")


def _seen_packages(jf: js.JavaFile) -> list[str]:
    """The packages whose classes a file names without importing them: its own, wildcard-imported ones."""
    return [jf.package] + [i.name for i in jf.imports if i.wildcard and not i.static]


def class_lookup(jf: js.JavaFile, roots: list[SourceRoot], files: dict | None = None):
    """The project's class a type name of file `jf` means (or None), from the first of `roots`
    that has it: imported by name, else of a package it sees (a test's: a main class, else a test
    class such as a test base class). A qualified name (`com.acme.Limits` of a static import)
    is looked up in its package. `files`, when given, gets each class found -> its file."""
    imported = {i.simple: i.name.rpartition(".")[0] for i in jf.imports if not i.static and not i.wildcard}
    seen_packages = _seen_packages(jf)

    def lookup(name: str):
        package, _, name = name.rpartition(".")
        packages = [package] if package else [imported[name]] if name in imported else seen_packages
        found = next((found for root in roots if (found := root.class_in(name, packages)) is not None), None)
        if found is not None and files is not None:
            files[found[1]] = found[0]
        return None if found is None else found[1]
    return lookup


def _prepare(stub: js.Stub, result: StubResult, main: SourceRoot | None, test: SourceRoot,
             level: JavaLevel | None = None) -> _Job:
    """Find the focal method and the model's query (or set the skip reason); `level` is the Java
    release the project builds for, where its build file says."""
    job = _Job(stub, result)
    found = _find_focal_or_relaxed(stub.file, stub.cls, stub.name, stub.masked_test(), js.test_calls(stub), main,
                                   stub.method, stub.cutoff)
    if isinstance(found, str):
        result.reason = found
        return job
    class_file, focal_file, focal_cls, method = found
    focal_name = js.class_name(focal_cls)
    result.focal = ".".join(filter(None, [class_file.package, focal_name])) + "#" + js.text(
        method.child_by_field_name("name"))
    def project_classes(package: str) -> set[str]:
        return main.package_classes(package) | test.package_classes(package)

    visible = {focal_name} if focal_cls.parent.type == "program" else set()   # (a member class needs an import)
    seen_packages = _seen_packages(stub.file)
    for visible_package in seen_packages:
        visible |= project_classes(visible_package)
    project_class, focal_file_class = class_lookup(stub.file, [main, test]), class_lookup(class_file, [main])

    def scope(at: int | None = None) -> checks.Scope:
        found = checks.scope_at(stub, visible, at=at, focal=focal_cls, classes=project_class,
                                focal_classes=focal_file_class,
                                project_package=lambda package: bool(project_classes(package)))
        found.java_level = level
        return found

    job.scope = scope()
    if stub.placeholder and len(stub.spans) > 1:
        job.scopes = [job.scope] + [scope(start) for start, _ in stub.spans[1:]]
    job.record = {"id": f"{stub.file.path}:{stub.name}:{stub.line}",
                  "focal_method": method_source(focal_file, method),
                  "test_method_masked": stub.masked_test()}
    return job


def retrieval_corpus(test_roots: list[Path], parsed: dict[Path, js.JavaFile],
                     main_of, cache: dict[Path, list[dict]] | None = None) -> list[dict]:
    """The retrieval corpus of a repository: one record (id, focal_method,
    test_method_masked, assertions) per test method with assertions under `test_roots`
    whose focal method is found (`main_of(test_root)` gives the main SourceRoot).
    `parsed` holds files already read (by resolved path); files that do not parse are left out.
    `cache` (resolved path -> that file's records) keeps them for the next call."""
    cache = {} if cache is None else cache
    records = []
    for path in collect_java_files([r for r in test_roots if r.is_dir()]):
        key = real_path(path)
        if key not in cache:
            cache[key] = _file_records(parsed.get(key) or path, main_of)
        records += cache[key]
    return records


def _file_records(jf: js.JavaFile | Path, main_of) -> list[dict]:
    if isinstance(jf, Path):
        try:
            jf = js.JavaFile.read(jf)
        except UserError:
            return []
    if jf.error_line() is not None:
        return []
    main = main_of(test_root_of(jf))
    records = []
    for test in js.asserted_tests(jf):
        found = _find_focal_or_relaxed(jf, test.cls, test.name, test.masked,
                                       js.asserted_test_calls(test.method), main, test.method, test.method.end_byte)
        if isinstance(found, str):
            continue
        _, focal_file, _, method = found
        records.append({"id": f"{jf.path}:{test.name}:{test.line}",
                        "focal_method": method_source(focal_file, method),
                        "test_method_masked": test.masked, "assertions": test.assertions})
    return records


def _choose(job: _Job, candidates: list[str], source: str = "model") -> int | None:
    """Keep the first candidate that passes the checks and return its position; record why
    the others failed."""
    refused = job.failed_when_run | {rejected["output"] for rejected in job.result.rejected
                                     if rejected["source"] == source}
    for position, raw in enumerate(candidates):
        if raw in refused:   # (judged already: --verify tries a stub's other candidates)
            continue
        checked = _check(job, parse_output(raw), source)
        if checked.reason is None:
            job.result.status, job.result.reason, job.result.source = "filled", None, source
            job.result.assertions = checked.statements
            job.imported = checked.imported
            job.edits = job.stub.edits(checked.statements)
            job.chosen = raw
            return position
        job.result.rejected.append({"output": raw, "reason": checked.reason, "source": source})
    job.result.reason = NO_VALID_CANDIDATE
    return None


def _check(job: _Job, statements: list[str], source: str) -> checks.Checked:
    """The checks of a stub's candidate: `checks.check_candidate` where it goes (each statement
    at its placeholder, `_check_spread`), then what the stub's place and file ask."""
    if len(statements) == len(job.scopes) > 1:
        checked = _check_spread(statements, job.scopes)
    else:
        checked = checks.check_candidate(statements, job.scope)
    if checked.reason is None and source == "reused" and not checked.about_the_test:
        # (commons-io: FilenameUtils.getPath(...) reused for a ByteOrderMark test whose body was
        # empty; the developers' own assertions do that too, 5 of 1,460 (Md5CryptTest's
        # `Crypt.crypt(...)`), so the model's are not held to it)
        checked.reason = f"reused assertions about another class: they use none of the test's names " \
                         f"or classes, nor {job.scope.focal}"
    if checked.reason is None:
        checked.reason = checks.misplaced_fail(job.stub.method, _placed(job.stub, checked.statements))
    encoding = job.stub.file.encoding
    if checked.reason is None and not _encodable(checked.statements, encoding):
        checked.reason = f"not representable in the file's encoding ({encoding})"
    if checked.reason is None:
        checked.reason = _import_clash(job, checked.imported)
    return checked


def _placed(stub: js.Stub, statements: list[str]) -> list[tuple[int, str]]:
    """(byte offset, statement) of each statement where `Stub.edits` puts it: one a placeholder
    when there are as many, else all at the first."""
    if len(statements) == len(stub.spans) > 1:
        return [(start, statement) for (start, _), statement in zip(stub.spans, statements)]
    return [(stub.spans[0][0], statement) for statement in statements]


def _check_spread(statements: list[str], scopes: list[checks.Scope]) -> checks.Checked:
    """One assertion per placeholder (Stub.edits): each checked where it goes, in the scope
    there (one after a loop does not see the loop's locals; one before a local's declaration,
    or outside the catch that declares `e`, not those: jsoup's and commons-codec's own
    assertions were refused when all were checked at the first placeholder, stop 31)."""
    parts = [checks.check_candidate([statement], scope) for statement, scope in zip(statements, scopes)]
    failed = next((n for n, part in enumerate(parts) if part.reason is not None), None)
    imported: dict[str, str] = {}
    for part in parts:
        for name, owner in part.imported.items():
            if imported.setdefault(name, owner) != owner:  # (one file cannot import a name from two classes)
                return checks.Checked(statements, f"imports {name!r} from {imported[name]} and {owner}")
    return checks.Checked(statements, None if failed is None else f"{parts[failed].reason} (placeholder {failed + 1})",
                          imported=imported, about_the_test=any(part.about_the_test for part in parts))


def _import_clash(job: _Job, imported: dict[str, str]) -> str | None:
    """Why the job may not import these names: another filled test of its file imports one
    of them from another class (a JUnit 4 and a JUnit 5 test of one file both calling
    `assertEquals`): with both imports every unqualified call of it is ambiguous (javac), with
    one a test would call another framework's assertion."""
    for other in job.file_jobs:
        if other is not job and other.result.status == "filled":
            for name, owner in other.imported.items():
                if imported.get(name, owner) != owner:
                    return f"{name!r} is imported from {owner} for another test of the file"
    return None


def _encodable(statements: list[str], encoding: str) -> bool:
    """Whether the statements can be written into a file of this encoding: a Latin-1 file
    cannot hold every character the model (or a reused UTF-8 test) may write."""
    try:
        "".join(statements).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def reused_candidate(assertions: list[str]) -> str:
    """Reused assertions as a candidate text, one statement per line (a statement written
    over several lines is joined: string literals hold no line breaks)."""
    return "\n".join(re.sub(r"\s*\n\s*", " ", a.strip()) for a in assertions)


def _choose_reused(job: _Job, options: list[Reused]) -> None:
    """The similar tests' assertions as the stub's first candidates, nearest first, each
    list once."""
    job.reuse_options = options
    by_text: dict[str, Reused] = {}
    for reused in options:
        by_text.setdefault(reused_candidate(reused.assertions), reused)
    chosen = _choose(job, list(by_text), source="reused")
    if chosen is not None:
        job.result.reused_from = list(by_text.values())[chosen].source


# --- writing --------------------------------------------------------------------------

def _lines(data: bytes) -> list[bytes]:
    """Lines as patch(1) sees them: split at LF only (a form feed or U+2028 breaks no line)."""
    return re.findall(rb"[^\n]*\n|[^\n]+$", data)


def unified_diff(path: Path, old: bytes, new: bytes) -> bytes:
    """A unified diff that `patch` and `git apply` take: the file's own bytes (a Latin-1
    file stays Latin-1), and a last line without a line break marked as diff(1) marks it
    (else it runs into the next file's header)."""
    shown = str(path)
    if path.is_absolute():  # a/src/... inside the working directory; never a//abs/path
        shown = os.path.relpath(path) if path.is_relative_to(Path.cwd()) else shown.lstrip("/")
    out = []
    for line in difflib.diff_bytes(difflib.unified_diff, _lines(old), _lines(new),
                                   os.fsencode(f"a/{shown}"), os.fsencode(f"b/{shown}")):
        out.append(line)
        if not line.endswith(b"\n"):
            out.append(b"\n\\ No newline at end of file\n")
    return b"".join(out)


def _finish_file(jf: js.JavaFile, fres: FileResult, jobs: list[_Job]) -> bytes | None:
    """The file's new bytes with every accepted edit, or None when nothing changes.

    The edited source must parse cleanly; if it does not, the whole file is left as it
    was and its filled stubs are reported as skipped.
    """
    filled = [j for j in jobs if j.result.status == "filled"]
    if not filled:
        return None
    edits = [e for j in filled for e in j.edits]
    # the file's tests together (each name of one class: `_import_clash`): whether a wildcard
    # import may go in depends on all of them
    owners = {name: owner for job in filled for name, owner in job.imported.items()}
    lines = checks.import_lines(owners, jf.imports)
    import_edits = js.import_edits(jf, list(dict.fromkeys(lines.values())))
    if import_edits:
        edits += import_edits
        for job in filled:
            job.result.imports_added = list(dict.fromkeys(lines[name] for name in job.imported))
    new = js.apply_edits(jf.source, edits)
    if js.parse(new).root_node.has_error:
        for job in filled:
            job.result.status, job.result.reason = "skipped", EDIT_DOES_NOT_PARSE
            job.result.assertions, job.result.imports_added = [], []
        return None
    return new


# --- the pipeline ----------------------------------------------------------------------

def fill_paths(paths: list[str | Path], *, generator=None, model_dir: str | Path | None = None,
               main_dir: str | Path | list[str | Path] | None = None, beams: int = 4, batch_size: int = 16,
               write: bool = True, diff: bool = False, reuse: bool = True,
               verify: str | None = None, accept_observed: bool = False, console=None) -> FillReport:
    """Fill the test stubs under `paths`; return what was done.

    `generator` (an assertgen.model.Generator) is loaded from `model_dir` (None: the
    embedded default model) only when there is at least one stub to fill. With
    `write=False` nothing is written; with `diff=True` each changed file's unified
    diff is kept in its FileResult; with `reuse=False` the model writes every stub, even
    when it offers reuse. `verify`: a test command to run on the written files (`_verify`);
    `accept_observed`: let it write the values a failed assertEquals observed.
    """
    started = time.perf_counter()
    if beams < 1 or batch_size < 1:
        raise UserError("--beams and --batch-size must be at least 1")
    if verify is not None and not write:
        raise UserError("--verify runs the tests on the filled files, so it needs them written (not --diff or --check)")
    if accept_observed and verify is None:
        raise UserError("--accept-observed takes the values the tests observed when --verify runs them: "
                        "give --verify CMD too")
    given_mains = [Path(d) for d in ([main_dir] if isinstance(main_dir, (str, Path)) else main_dir or [])]
    for given in given_mains:
        if given.exists() and not given.is_dir():  # `--main pom.xml`: not "not found"
            raise UserError("is not a directory (--main names the main source directory)", path=str(given))
        if not given.is_dir():
            raise UserError("main source directory not found", path=str(given))
    java_files = collect_java_files(paths)

    # each once a folder: every test file asks
    @functools.cache
    def source_root(path: Path) -> SourceRoot:
        return SourceRoot(path)

    @functools.cache
    def main_of(test_root: Path) -> SourceRoots | None:
        found = main_roots(test_root, given_mains)
        return SourceRoots([source_root(path) for path in found]) if found else None

    @functools.cache
    def level_of(test_root: Path) -> JavaLevel | None:
        module = build_dir(test_root)
        return None if module is None else java_level(module)

    # A file's parse tree is ~30x its source: only files with stubs keep theirs (to edit
    # them); the others keep their report and test root (a repository's tests can be tens
    # of MB of source, and the retrieval corpus reads them again one at a time).
    files: list[tuple[js.JavaFile | None, FileResult, list[_Job]]] = []
    test_roots: dict[Path, None] = {}
    subclasses: dict[str, set[str]] = {}   # a test class's simple name -> its subclasses' (for --verify)
    for path in java_files:
        jf = js.JavaFile.read(path)
        error_line, problem = jf.error_line(), jf.format_problem()
        if error_line is not None or problem is not None:
            test_roots[test_root_of(jf)] = None
            files.append((None, FileResult(str(path), "parse_error", error_line or 1,
                                           problem or "syntax error"), []))
            continue
        if verify is not None:   # (a test of an abstract class runs under its subclasses' names)
            for cls in jf.classes():
                subclasses.setdefault(js.superclass_name(cls), set()).add(js.class_name(cls))
        stubs, tests = js.find_stubs(jf)
        if not tests:
            continue
        fres = FileResult(str(path), test_methods=tests)
        test_root = test_root_of(jf)
        test_roots[test_root] = None
        main, level = main_of(test_root), level_of(test_root)
        test = source_root(test_root)
        jobs = []
        for stub in stubs:
            result = StubResult(stub.name, stub.class_name, stub.line)
            fres.stubs.append(result)
            if js.is_disabled(stub):
                result.reason = DISABLED
                continue
            jobs.append(_prepare(stub, result, main, test, level))
        for job in jobs:
            job.file_jobs = jobs
        files.append((jf if stubs else None, fres, jobs))
    if not files:
        raise UserError("no JUnit test files found in " + ", ".join(str(p) for p in paths))

    prepared = [job for _, _, jobs in files for job in jobs if job.record is not None]
    pending = prepared
    metadata, records = None, []
    if pending:
        if generator is None:
            generator = load_model(model_dir)
        metadata = getattr(generator, "metadata", None)
        reuser = Reuser.of(metadata) if reuse else None
        searches = reuser is not None or uses_retrieval(metadata)
        parsed = {real_path(jf.path): jf for jf, _, _ in files if jf is not None}
        cache: dict[Path, list[dict]] = {}
        while pending:
            records = retrieval_corpus(list(test_roots), parsed, main_of, cache) if searches else []
            if uses_retrieval(metadata) and not records:
                raise UserError(NO_RETRIEVAL_CORPUS.format(roots=", ".join(map(str, test_roots))))
            _fill_round(pending, generator, metadata, reuser, records, beams, batch_size, console)
            newly = {id(job) for job in pending if job.result.status == "filled"}
            if not searches or not newly or all(job.result.status == "filled" for job in prepared):
                break
            # The tests filled now are similar tests for the others on the next run: search
            # again with them until nothing more is filled, so that a second run changes nothing.
            # Only the files that gained a fill are edited again and their records rebuilt.
            changed = [entry for entry in files if any(id(job) in newly for job in entry[2])]
            for path, jf in _edited_sources(changed).items():
                parsed[path] = jf
                cache.pop(path, None)
            pending = [job for job in prepared if job.result.status != "filled"
                       and job.result.reason != EDIT_DOES_NOT_PARSE]

    report = FillReport([fres for _, fres, _ in files], written=write, verify=verify)
    written: dict[Path, bytes] = {}
    for jf, fres, jobs in files:
        if jf is None:  # no stubs: nothing to write
            continue
        new = _finish_file(jf, fres, jobs)
        if new is None:
            continue
        fres.status = "changed"
        if diff:
            fres.diff = unified_diff(jf.path, jf.source, new)
        if write:
            # never overwrite a file edited meanwhile, nor one its owner made read-only
            refused = (CHANGED_DURING_RUN if _read_again(jf.path) != jf.source
                       else READ_ONLY if _read_only(jf.path) else None)
            if refused:
                _not_written(fres, refused)
                continue
            try:
                atomic_write(jf.path, new)
                written[jf.path] = new
            except UserError as err:  # a read-only directory, a full disk: the other files still go
                _not_written(fres, WRITE_FAILED)
                fres.write_error = str(err)
    if verify is not None and written:
        def retry(jobs: list[_Job]) -> list[_Job]:
            return _retry(jobs, generator, metadata, records, beams, batch_size, console)

        _verify([entry for entry in files if entry[0] is not None and entry[0].path in written], written,
                verify, console, retry, subclasses, accept_observed)
    report.seconds = time.perf_counter() - started
    return report


def _verify(files, written: dict[Path, bytes], command: str, console, retry=None,
            subclasses: dict[str, set[str]] | None = None, accept_observed: bool = False) -> None:
    """Run the test command on the written files and take back each fill whose test fails or
    that javac rejects (assertgen.verify), the file written again without it (as it was when
    none is left); a test that passes marks its fill verified. `retry(jobs)` gives the stubs
    taken back their next candidates (`_retry`). After javac rejected fills no test ran, and
    the stubs filled again are yet to run: then the command runs again, `VERIFY_RUNS` times in
    all at most (no retrying in the last run: what it fills would not run). With
    `accept_observed`, a failed assertEquals of a literal takes the value the run observed, and
    runs again (`_accept_observed`). TESTS_PLACEHOLDER in `command` names the test classes to run."""
    from rich.markup import escape

    cwd = Path.cwd()
    to_run = {jf.path for jf, _, _ in files}   # (the files whose tests the next run must judge)
    for run in range(VERIFY_RUNS):
        command_now = command.replace(TESTS_PLACEHOLDER, _test_classes(
            [jf for jf, _, _ in files if jf.path in to_run], subclasses or {}))
        doing = f"--verify: running {escape(command_now)}" + (f" (run {run + 1}, {VERIFY_RUNS} at most)" if run else "")
        with console.status(doing) if console is not None else nullcontext():
            code, output, started = verifying.run_command(command_now, cwd)
        results = verifying.Outcomes(verifying.read_reports(verifying.fresh_reports(cwd, started)), subclasses or {})
        errors = verifying.compile_errors(output, cwd)
        if not results and not errors:
            if console is not None:
                tail = "\n".join(output.rstrip().splitlines()[-5:])
                console.print(f"[yellow]--verify:[/] `{escape(command)}` (exit status {code}) wrote no JUnit XML "
                              "report (TEST-*.xml) and printed no javac error: the fills are not verified"
                              + (f"; it ended:\n{escape(tail)}" if tail else ""), highlight=False, soft_wrap=True)
            return
        taken_back: dict[Path, list[_Job]] = {}
        rewritten: dict[Path, list[_Job]] = {}
        last_run = run == VERIFY_RUNS - 1   # (what changes after it would not run)
        for jf, fres, jobs in files:
            if _read_again(jf.path) == written[jf.path]:   # (else edited meanwhile: what is there is the user's)
                taken_back[jf.path], rewritten[jf.path] = _judge_fills(
                    jf, jobs, written[jf.path], results, errors.get(real_path(jf.path), []),
                    accept_observed and not last_run)
        again = [job for jobs in taken_back.values() for job in jobs]
        rejected_by_javac = any(job.result.reason == REJECTED_BY_JAVAC for job in again)
        # (what javac rejected is not retried: another such candidate would stop every test again. Stop 36
        # retried it once: on commons-lang 33 of 47 were rejected again, and the runs they stopped cost
        # 9 fills, 4 exactly right; benchmarks/results/fill-trial/javac36)
        failed = [job for job in again if job.result.reason == TEST_FAILED]
        refilled = retry(failed) if retry is not None and failed and not last_run else []
        refilled += [job for jobs in rewritten.values() for job in jobs]
        changed = {path for path in written if taken_back.get(path) or rewritten.get(path)}
        for jf, fres, jobs in files:
            if jf.path in changed:
                new = _finish_file(jf, fres, jobs) or jf.source
                atomic_write(jf.path, new)
                written[jf.path] = new
                fres.status = "changed" if new != jf.source else "unchanged"
        # a run javac stopped judged no test: its files are still to run
        to_run = changed if results else to_run | changed
        if errors and not results and not rejected_by_javac and console is not None:
            path, ((line, message), *_) = next(iter(errors.items()))
            console.print(f"[yellow]--verify:[/] javac failed outside the filled tests ({escape(str(path))}:{line}: "
                          f"{escape(message)}), so no test ran: the fills are not verified",
                          highlight=False, soft_wrap=True)
        if not rejected_by_javac and not refilled:
            return


def _test_classes(files: list[js.JavaFile], subclasses: dict[str, set[str]]) -> str:
    """TESTS_PLACEHOLDER's value: the simple names of the files' top-level classes and, for a
    test in an abstract class, of the subclasses that run it, sorted, comma-separated."""
    top_level = {js.class_name(cls) for jf in files for cls in jf.classes() if cls.parent == jf.tree.root_node}
    return ",".join(sorted(verifying.with_subclasses(top_level, subclasses)))


def _judge_fills(jf: js.JavaFile, jobs: list[_Job], written: bytes, results: verifying.Outcomes,
                 file_errors: list[tuple[int, str]], accept_observed: bool = False) -> tuple[list[_Job], list[_Job]]:
    """Take back the file's fills that javac rejected (an error line inside the test as
    written) or whose test failed, and return their jobs; mark verified those whose test passed.
    With `accept_observed`, a failed assertEquals of a literal takes the value the run observed
    instead (`_accept_observed`): those jobs come second, to run again."""
    now = js.JavaFile(jf.path, written, js.parse(written))
    methods = js.methods_by_name(now)
    taken_back, changed = [], []
    for job in (job for job in jobs if job.result.status == "filled"):
        result = job.result
        inside = [(line, message) for line, message in file_errors
                  if any(m.start_point[0] + 1 <= line <= m.end_point[0] + 1 for m in methods.get(result.method, []))]
        run = results.of(jf.package, result.test_class, result.method)
        if inside:
            reason, detail = REJECTED_BY_JAVAC, f"line {inside[0][0]}: {inside[0][1]}"
        elif run.outcome == "fails":
            if accept_observed and _accept_observed(job, methods.get(result.method, []), jf.path.name, run):
                changed.append(job)
                continue
            reason, detail = TEST_FAILED, run.message[:300]
        else:   # (a test that did not run this time, javac having failed elsewhere, keeps its last verdict)
            result.verified |= run.outcome == "passes"
            continue
        result.rejected.append({"output": "\n".join(result.assertions), "reason": detail, "source": result.source,
                                "when_run": True})
        result.status, result.reason, result.assertions, result.imports_added = "skipped", reason, [], []
        result.verified, result.observed = False, []
        job.failed_when_run.add(job.chosen)
        taken_back.append(job)
    return taken_back, changed


def _accept_observed(job: _Job, methods: list, file_name: str, run: verifying.CaseResult) -> bool:
    """Rewrite the fill's failed assertion, an assertEquals of a literal (or a truth or nullness
    assertion), with the value the run observed (assertgen.observed), if the checks still accept
    the fill; whether it was. The failed line comes from the stack trace, the assertion from the
    fill's statements written there (whitespace aside)."""
    line = verifying.failing_line(run.trace, file_name, job.result.method)
    if line is None:
        return False

    def squeezed(statement: str) -> str:   # as Stub.edits writes it (\\uXXXX in an ASCII file), whitespace aside
        return re.sub(r"\s+", "", js.java_ascii(statement))

    filled = [squeezed(statement) for statement in job.result.assertions]
    for method in methods:
        nodes = js.nodes_of_type(method, "expression_statement")
        written = [squeezed(js.text(node)) for node in nodes]
        for position, (node, statement) in enumerate(zip(nodes, written)):
            if statement in filled and node.start_point[0] + 1 <= line <= node.end_point[0] + 1:
                # which of the fill's statements: one may be written at two placeholders, the nth here is the nth there
                same = [i for i, text in enumerate(filled) if text == statement]
                index = same[min(written[:position].count(statement), len(same) - 1)]
                rewritten = observed.with_observed_value(job.result.assertions[index], run.kind, run.message, run.trace,
                                                         f".{job.result.method}({file_name}:{line})")
                if rewritten is None or rewritten == job.result.assertions[index]:
                    return False
                if not _encodable([rewritten], job.stub.file.encoding):   # (a Latin-1 file, a value beyond it)
                    rewritten = js.java_ascii(rewritten)
                # checked again: an assertNull or assertFalse may need its import, and must still hold together
                # (a pure repeat the checks would drop stays: harmless, and the positions stay as they were)
                assertions = job.result.assertions[:index] + [rewritten] + job.result.assertions[index + 1:]
                checked = _check(job, assertions, job.result.source)
                if checked.reason is not None:
                    return False
                job.result.observed.append({"at": index, "before": job.result.assertions[index],
                                            "failure": run.message[:300]})
                job.result.assertions, job.imported = assertions, checked.imported
                job.result.verified = False
                job.edits = job.stub.edits(job.result.assertions)
                return True
    return False


def _retry(jobs: list[_Job], generator, metadata: dict | None, records: list[dict], beams: int,
           batch_size: int, console) -> list[_Job]:
    """--verify: the next candidates of the stubs whose fill failed when run (their other similar
    tests' assertions, then the model's n-best, generated now for a stub reuse had filled), checked
    as before; the jobs filled again. A stub left unfilled keeps why its fill was taken back."""
    reasons = {id(job): job.result.reason for job in jobs}
    for job in jobs:
        job.result.reused_from = None
        if job.reuse_options:
            _choose_reused(job, job.reuse_options)
    rest = [job for job in jobs if job.result.status != "filled"]
    _update_model_inputs(rest, metadata, records)
    _generate(generator, [job for job in rest if job.candidates is None], beams, batch_size, console,
              "trying other candidates")
    for job in rest:
        _choose(job, job.candidates)
    for job in jobs:
        if job.result.status != "filled":
            job.result.reason = reasons[id(job)]
    return [job for job in jobs if job.result.status == "filled"]


def _fill_round(jobs: list[_Job], generator, metadata: dict | None, reuser: Reuser | None,
                records: list[dict], beams: int, batch_size: int, console) -> None:
    """Fill `jobs` once against the repository's asserted tests `records`: similar tests'
    assertions first (when the model offers reuse), then the model's n-best. The model runs
    again only for inputs that changed (retrieval augmentation searches `records` too)."""
    for job in jobs:  # as a new run would find them
        job.result.status, job.result.reason, job.result.source = "skipped", None, None
        job.result.reused_from, job.result.rejected = None, []
    if reuser:
        for job, options in zip(jobs, reuser.candidates([j.record for j in jobs], records,
                                                        limit=REUSE_CANDIDATES)):
            if options:
                _choose_reused(job, options)
        jobs = [job for job in jobs if job.result.status != "filled"]
    _update_model_inputs(jobs, metadata, records)
    _generate(generator, [job for job in jobs if job.candidates is None], beams, batch_size, console)
    for job in jobs:
        _choose(job, job.candidates)
    # A stub none of whose n-best passes the checks tries a beam WIDER_BEAMS times as wide, once:
    # on QA round 11's projects 4 beams filled 35 of 133 stubs, 16 filled 71 (javac compiled 33
    # and 67); the stubs the first beams fill keep what they got.
    unfilled = [job for job in jobs if job.result.status != "filled"]
    tried = {id(job): set(job.candidates) for job in unfilled}
    _generate(generator, [job for job in unfilled if len(job.candidates) < beams * WIDER_BEAMS],
              beams * WIDER_BEAMS, batch_size, console, "trying wider beams")
    for job in unfilled:
        _choose(job, [c for c in job.candidates if c not in tried[id(job)]])


def _update_model_inputs(jobs: list[_Job], metadata: dict | None, records: list[dict]) -> None:
    """Each job's model input, built against the repository's asserted tests `records` (that
    retrieval augmentation searches); a job whose input changed loses its n-best."""
    corpus = Retriever().fit(records) if uses_retrieval(metadata) else None
    for job, text in zip(jobs, model_inputs([j.record for j in jobs], metadata, corpus)):
        if text != job.model_input:
            job.model_input, job.candidates = text, None


def _not_written(fres: FileResult, reason: str) -> None:
    """The file stays as it was: its filled stubs are reported skipped for `reason`."""
    fres.status = "unchanged"
    for stub in fres.stubs:
        if stub.status == "filled":
            stub.status, stub.reason, stub.assertions, stub.imports_added = "skipped", reason, [], []


def _edited_sources(files) -> dict[Path, js.JavaFile]:
    """These files (with stubs) as their edits so far leave them, by resolved path: the file
    as it was when the edits do not parse together (then none of them is written)."""
    edited = {}
    for jf, fres, jobs in files:
        new = _finish_file(jf, fres, jobs)
        edited[real_path(jf.path)] = jf if new is None else js.JavaFile(jf.path, new, js.parse(new))
    return edited


def _read_only(path: Path) -> bool:
    """No write permission bit at all (the mode, not os.access: root may write anything)."""
    return not os.stat(path).st_mode & 0o222


def _read_again(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def load_model(model_dir: str | Path | None):
    """Load the generator once per run (tests replace this function with a fake)."""
    from assertgen.model import load_generator

    return load_generator(model_dir)


def _generate(generator, jobs: list[_Job], beams: int, batch_size: int, console,
              label: str = "generating assertions") -> None:
    """Run the model over all jobs in batches (one progress bar); keep each job's n-best."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if not jobs:
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task("generate", total=len(jobs))
        for start in range(0, len(jobs), batch_size):
            batch = jobs[start:start + batch_size]
            outputs = generator.generate([j.model_input for j in batch], num_candidates=beams,
                                         batch_size=batch_size)
            if len(outputs) != len(batch):
                raise RuntimeError(f"generator returned {len(outputs)} results for {len(batch)} inputs")
            for job, candidates in zip(batch, outputs):
                job.candidates = candidates
            progress.advance(task, len(batch))


def check_report_path(path: str | Path) -> Path:
    """The JSON report's path, or the UserError for one that cannot be written: the CLI
    checks it before filling, so that a bad path does not leave filled files without a report."""
    path = Path(path)
    if not path.parent.is_dir():
        raise UserError("directory for the JSON report not found", path=str(path))
    if path.is_dir():
        raise UserError("is a directory, not a file for the JSON report", path=str(path))
    if path.suffix == ".java":  # a slip (`--json FooTest.java`) would replace a source with JSON
        raise UserError("is a Java file, not a file for the JSON report", path=str(path))
    if path.is_file() and path.suffix.lower() != ".json":  # `--json pom.xml` replaced the build file
        raise UserError("exists and is no .json file: name a new file or a .json one for the report", path=str(path))
    if _is_stream(path):  # written into, not replaced (see write_json_report)
        if not os.access(path, os.W_OK):
            raise UserError("not writable", path=str(path))
    elif not os.access(path.parent, os.W_OK | os.X_OK):
        raise UserError("directory for the JSON report is not writable", path=str(path))
    return path


def write_json_report(report: FillReport, path: str | Path) -> None:
    """Write the JSON report atomically (creating the file if needed); into a pipe or device
    (`--json /dev/stdout`, /dev/null) directly: a file renamed over it would replace it."""
    path = check_report_path(path)
    if not _is_stream(path):
        atomic_write_json(path, report.to_json())
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(report.to_json(), indent=2) + "\n")
    except OSError as err:
        raise UserError(f"cannot write file: {err.strerror or err}", path=str(path)) from None


def _is_stream(path: Path) -> bool:
    """Something that exists and is neither a regular file nor a directory: a pipe, a device."""
    return path.exists() and not path.is_file() and not path.is_dir()
