"""`workbench mine`: more training records from a methods corpus (java-methods-v1).

The assertions corpus keeps a test only when the Methods2Test heuristic finds its focal
method, so most asserted tests of its repositories are not in it: java-methods-v1 holds
~54k test methods with assertions from the same 36 training repositories, of which
`train` has ~23k. This command rebuilds each source file of the methods corpus (its
methods inside a class named after the file), masks every asserted test as the corpus does
(`assertgen.java_source.asserted_tests`), finds its focal method as `assertgen fill` does
(`assertgen.fill.find_focal`: FooTest -> Foo, then the called method), and writes one
record per test with at most 8 assertions (as the corpus) that none of the `--exclude`
files has (compared by masked test, blanks ignored), in the corpus's format.

Without `--strict`, a test whose class name names no main class (or calls no method of
it) gets its focal method from the main classes the test names (any capitalised name in
its body), by the same rule; those records say `"focal_rule": "relaxed"`.

    workbench mine --methods ../shared/datasets/java-methods-v1/methods.jsonl.gz \\
        --exclude $D/train.jsonl.gz $D/valid.jsonl.gz $D/test.jsonl.gz $D/test-inproject.jsonl.gz \\
        --out runs/mined.jsonl.gz
    cat $D/train.jsonl.gz runs/mined.jsonl.gz > runs/train-mined.jsonl.gz   # gzip members join
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import PurePosixPath

from assertgen.errors import UserError

# As in java-assertions-v1: tests with up to 8 assertions.
MAX_ASSERTIONS = 8
_BLANKS = re.compile(r"\s+")


def methods_corpus_line(record: dict, label: str, line_no: int) -> dict:
    """A methods-corpus line with what mining needs: repository, path, kind, code."""
    if not isinstance(record, dict):
        raise ValueError("a method record must be a JSON object")
    for field in ("repository", "path", "kind", "code"):
        if not isinstance(record.get(field), str):
            raise ValueError(f"field {field!r} must be a string (repository, path, kind, code)")
    return record


def package_of(path: str) -> str:
    """The package of a source file from its path: the folders after the last `java` folder
    (src/test/java/org/x/FooTest.java -> org.x), else all its folders."""
    folders = PurePosixPath(path).parts[:-1]
    roots = [i for i, part in enumerate(folders) if part == "java"]
    return ".".join(folders[roots[-1] + 1:] if roots else folders)


def source_file(path: str, methods: list[str]):
    """A parsed stand-in for a source file: its methods inside `class <file name> { }`."""
    from assertgen import java_source as js

    source = f"class {PurePosixPath(path).stem} {{\n" + "\n\n".join(methods) + "\n}\n"
    data = source.encode("utf-8")
    return js.JavaFile(PurePosixPath(path), data, js.parse(data))


class MainClasses:
    """The main classes of one repository, for `assertgen.fill.find_focal` (its
    SourceRoot's `find_class`): built from the methods corpus, parsed on demand."""

    def __init__(self, files: dict[str, list[str]]):
        self.files = files
        self.paths_of: dict[str, list[str]] = defaultdict(list)
        for path in sorted(files):
            self.paths_of[PurePosixPath(path).stem].append(path)
        self._parsed: dict[str, object] = {}

    def find_class(self, name: str, package: str):
        from assertgen import java_source as js

        for path in sorted(self.paths_of.get(name, []), key=lambda p: package_of(p) != package):
            if path not in self._parsed:
                self._parsed[path] = source_file(path, self.files[path])
            cls = js.top_level_class(self._parsed[path], name)
            if cls is not None:
                return self._parsed[path], cls
        return None

    def find_nested_class(self, name: str, package: str):
        return None   # (the methods corpus holds each method with its own top-level class)


def relaxed_focal(test, package: str, main: MainClasses):
    """(focal file, focal method) among the methods of the main classes the test names
    (`assertgen.fill.relaxed_focal`, by bare name: mined files have no imports), or None."""
    from assertgen import java_source as js
    from assertgen.fill import relaxed_focal as relaxed

    found = relaxed(test.masked, test.name, js.asserted_test_calls(test.method),
                    lambda name: main.find_class(name, package))
    return None if found is None else (found[1], found[3])


def masked_key(masked: str) -> str:
    return _BLANKS.sub("", masked)


def read_methods_corpus(path: str) -> dict[str, dict[str, dict[str, list[str]]]]:
    """{repository: {"main" | "test": {file path: [method source, ...]}}} of a methods corpus."""
    from workbench.data import iter_records

    files: dict = defaultdict(lambda: {"main": {}, "test": {}})
    for method in iter_records(path, normalise=methods_corpus_line):
        if method["kind"] in ("main", "test"):
            files[method["repository"]][method["kind"]].setdefault(method["path"], []).append(method["code"])
    return files


def test_files_of(files: dict) -> list[tuple[str, str]]:
    """(repository, path) of every test file of `read_methods_corpus`'s result, sorted."""
    return [(repo, path) for repo in sorted(files) for path in sorted(files[repo]["test"])]


def asserted_tests_of(files: dict, test_files):
    """(repository, path, package, main classes, test) for each asserted test of test_files."""
    from assertgen import java_source as js

    main_of: dict[str, MainClasses] = {}
    for repo, path in test_files:
        if repo not in main_of:
            main_of[repo] = MainClasses(files[repo]["main"])
        for test in js.asserted_tests(source_file(path, files[repo]["test"][path])):
            yield repo, path, package_of(path), main_of[repo], test


def mine(methods_path: str, exclude: set[str], strict: bool = False, progress: bool = True):
    """(records, counts): the new records of a methods corpus (see the module docstring)."""
    from rich.console import Console
    from rich.progress import track

    from assertgen import java_source as js
    from assertgen.fill import find_focal, method_source

    files = read_methods_corpus(methods_path)
    test_files = test_files_of(files)
    if not test_files:
        raise UserError("no test methods (kind \"test\") in the methods corpus", methods_path)

    counts, records, seen = Counter(), [], set(exclude)
    walk = asserted_tests_of(files, track(test_files, description="mining test files",
                                          disable=not progress, console=Console(stderr=True)))
    for repo, path, package, main, test in walk:
        counts["asserted tests"] += 1
        if len(test.assertions) > MAX_ASSERTIONS:
            counts[f"skipped: more than {MAX_ASSERTIONS} assertions"] += 1
            continue
        key = masked_key(test.masked)
        if key in seen:
            counts["skipped: in an --exclude file, or a duplicate"] += 1
            continue
        found, rule = find_focal(test.cls, test.name, js.asserted_test_calls(test.method),
                                 package, main), "strict"
        if isinstance(found, str):
            relaxed = None if strict else relaxed_focal(test, package, main)
            if relaxed is None:
                counts[f"skipped: {found}"] += 1
                continue
            (focal_file, method), rule = relaxed, "relaxed"
        else:
            focal_file, _, method = found
        seen.add(key)
        counts[f"mined ({rule} focal method)"] += 1
        records.append({
            "id": f"{repo}:{path}:{test.name}:{test.line}", "repository": repo,
            "test_file": path, "test_method_name": test.name,
            "focal_file": str(focal_file.path),
            "focal_method_name": js.text(method.child_by_field_name("name")),
            "focal_method": method_source(focal_file, method),
            "test_method_masked": test.masked, "assertions": test.assertions,
            "split": "mined", "focal_rule": rule})
    return records, counts


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "mine", help="more training records from a methods corpus (its asserted tests)",
        description=__doc__.split("\n\n")[1].replace("\n", " "))
    parser.add_argument("--methods", required=True,
                        help="methods corpus (jsonl or .gz: repository, path, kind, code per line)")
    parser.add_argument("--exclude", nargs="*", default=[],
                        help="records files whose tests are left out (the corpus splits)")
    parser.add_argument("--out", required=True, help="records file to write (.jsonl or .jsonl.gz)")
    parser.add_argument("--strict", action="store_true",
                        help="only tests whose focal class follows the test class's name")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from workbench.data import iter_records, write_jsonl

    console = Console(stderr=True)
    exclude = {masked_key(r["test_method_masked"]) for path in args.exclude for r in iter_records(path)}
    records, counts = mine(args.methods, exclude, strict=args.strict, progress=not args.no_progress)
    write_jsonl(args.out, records)
    for name, count in sorted(counts.items()):
        console.print(f"{name}: {count}", highlight=False)
    console.print(f"wrote {len(records)} records to {args.out}", markup=False)
    return 0
