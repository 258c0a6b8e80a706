"""`assertgen` command line: `assertgen fill [PATH ...]` writes assertions into JUnit test stubs.

Progress, the summary table and errors go to stderr, so `--diff` output on stdout
can be piped into `patch` or a file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assertgen.errors import UserError, run_cli

DEFAULT_TEST_ROOT = "src/test/java"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assertgen", description="Local generation of Java test assertions.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fill = sub.add_parser(
        "fill", help="fill JUnit test stubs with generated assertions",
        description="Find JUnit test methods without assertions (or with a `// ASSERTION PLACEHOLDER` "
                    "line) and write model-generated assertions into them.")
    fill.add_argument("paths", nargs="*", metavar="PATH",
                      help="test files or directories (default: src/test/java)")
    fill.add_argument("--model", metavar="DIR", help="model directory (default: the embedded model)")
    fill.add_argument("--main", metavar="DIR", action="append",
                      help="main source directory holding the focal classes, repeatable (default: "
                           "src/main/java next to each test root, then the other modules' of its build)")
    fill.add_argument("--beams", type=_positive, default=4, metavar="N",
                      help="candidates generated per test (beam size, default 4)")
    fill.add_argument("--batch-size", type=_positive, default=16, metavar="N",
                      help="tests per model batch (default 16)")
    fill.add_argument("--no-reuse", dest="reuse", action="store_false",
                      help="let the model write every stub, never reuse the assertions of a similar "
                           "test of this repository (reuse is on when the model offers it)")
    fill.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    fill.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 when any stub would be filled")
    fill.add_argument("--json", metavar="REPORT", help="write a JSON report of what was filled and skipped")
    fill.add_argument("--verify", metavar="CMD",
                      help="run this test command on the filled files (e.g. \"mvn -q test\", \"gradle test\") "
                           "and take back the fills whose tests fail or that javac rejects, as its JUnit XML "
                           "reports (TEST-*.xml) and javac's errors say; a failed fill's next candidates are "
                           "tried (the command runs again, 5 times at most); {tests} in it becomes the "
                           "filled test classes' names, comma-separated, those filled again at a later run "
                           "(mvn test -Dtest={tests})")
    fill.add_argument("--accept-observed", action="store_true",
                      help="with --verify: where a fill's assertEquals (Hamcrest's assertThat ... is/equalTo, "
                           "AssertJ's assertThat(...).isEqualTo) "
                           "of a literal fails, write the value "
                           "the test observed (a null: assertNull), and turn a failed assertTrue/assertNull into "
                           "assertFalse/assertNotNull, instead of taking the fill back (a regression assertion: it "
                           "records what the code does today, bugs included; review the lines it lists)")
    fill.set_defaults(func=_fill)
    return parser


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number


def default_test_roots() -> list[str]:
    """The test source directory here (src/test/java, or the one pom.xml names), else those of
    the modules of a multi-module build (`*/` and `*/*/`: a parent pom's or settings.gradle's
    modules), sorted; only those that exist."""
    from assertgen.java_level import source_dirs

    here = source_dirs(Path())[1]
    if here.is_dir():
        return [str(here)]
    modules = (m for pattern in ("*", "*/*") for m in Path().glob(pattern)
               if m.is_dir() and not any(part.startswith(".") for part in m.parts))
    return sorted({str(root) for m in modules if (root := source_dirs(m)[1]).is_dir()})


def _fill(args) -> int:
    from rich.console import Console
    from rich.markup import escape

    from assertgen.fill import check_report_path, fill_paths, write_json_report

    console = Console(stderr=True)
    if args.json:  # before any test file is written
        check_report_path(args.json)
    if not args.paths:
        args.paths = default_test_roots()
        if not args.paths:
            raise UserError("path not found, nor in modules (*/src/test/java, or a pom.xml's "
                            "testSourceDirectory); run `assertgen fill` in a Maven or Gradle project, "
                            "or name the test files or directories",
                            path=DEFAULT_TEST_ROOT)
        if args.paths != [DEFAULT_TEST_ROOT]:
            console.print(f"assertgen: the test roots: {', '.join(args.paths)}", highlight=False,
                          markup=False)
    write = not (args.diff or args.check)
    report = fill_paths(args.paths, model_dir=args.model, main_dir=args.main, beams=args.beams,
                        batch_size=args.batch_size, write=write, diff=args.diff, reuse=args.reuse,
                        verify=args.verify, accept_observed=args.accept_observed, console=console)
    if args.diff:  # bytes: each file's diff in that file's encoding
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)  # None when stdout is redirected to a text stream
        for fres in report.files:
            if fres.diff:
                if out is None:
                    sys.stdout.write(fres.diff.decode("utf-8", errors="surrogateescape"))
                else:
                    out.write(fres.diff)
        (out or sys.stdout).flush()
    if args.json:
        write_json_report(report, args.json)
    print_summary(report, console, write, json_report=bool(args.json))
    failed = [fres.write_error for fres in report.files if fres.write_error]
    for message in failed:
        console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    if failed:
        return UserError.exit_code
    if args.check and report.filled:
        return 1
    return 0


def print_summary(report, console, written: bool, json_report: bool = False) -> None:
    """Warnings for files that do not parse, the stubs filled with a similar test's assertions
    (to review: their literals are that test's) and those not filled (a file's stubs that lack
    main sources in one line), then the summary table."""
    from rich.markup import escape
    from rich.table import Table

    from assertgen.fill import NO_MAIN_SOURCES, NO_VALID_CANDIDATE, REJECTED_BY_JAVAC, TEST_FAILED

    for fres in report.files:
        if fres.status == "parse_error":
            console.print(f"[yellow]skipped[/] {escape(str(fres.path))}:{fres.error_line}: "
                          f"{escape(fres.error)}, file left untouched", highlight=False, soft_wrap=True)
    for fres in report.files:
        for stub in fres.stubs:
            if stub.status == "filled" and stub.source == "reused":
                console.print(f"[cyan]reused[/] {escape(str(fres.path))}:{stub.line} {stub.method}: the assertions "
                              f"of {escape(str(stub.reused_from))}", highlight=False, soft_wrap=True)
    for fres in report.files:
        for stub in fres.stubs:
            for change in stub.observed if stub.status == "filled" else []:
                console.print(f"[cyan]observed[/] {escape(str(fres.path))}:{stub.line} {stub.method}: "
                              f"{escape(stub.assertions[change['at']])} (instead of {escape(change['before'].rstrip(';'))}: "
                              f"the test observed {escape(_one_line(change['failure']))}; is it right?)",
                              highlight=False, soft_wrap=True)
    for fres in report.files:
        for stub in fres.stubs:
            if report.verify and stub.status == "filled" and not stub.verified:
                console.print(f"[yellow]not verified[/] {escape(str(fres.path))}:{stub.line} {stub.method}: the test "
                              "command's reports do not name this test", highlight=False, soft_wrap=True)
    for fres in report.files:
        no_main = [stub for stub in fres.stubs if stub.status == "skipped" and stub.reason == NO_MAIN_SOURCES]
        if no_main:  # the file's, not each stub's
            console.print(f"[yellow]not filled[/] {escape(str(fres.path))}: {len(no_main)} stub(s): "
                          f"{NO_MAIN_SOURCES}", highlight=False, soft_wrap=True)
        for stub in fres.stubs:
            if stub.status == "skipped" and stub.reason != NO_MAIN_SOURCES:
                # what --verify saw: the test's failure, javac's error (its other candidates may follow)
                run = [entry["reason"] for entry in stub.rejected if entry.get("when_run")]
                seen = f" ({_one_line(run[-1])})" if run and stub.reason in (TEST_FAILED, REJECTED_BY_JAVAC) else ""
                console.print(f"[yellow]not filled[/] {escape(str(fres.path))}:{stub.line} {stub.method}: "
                              f"{escape(str(stub.reason) + seen)}", highlight=False, soft_wrap=True)
    if not json_report and any(stub.reason == NO_VALID_CANDIDATE for stub in report.stubs()):
        console.print("(the candidates of each stub and why the checks rejected them: --json REPORT)",
                      highlight=False, soft_wrap=True)
    table = Table(title="assertgen fill" + ("" if written else " (nothing written)"))
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_row("test files", str(len(report.files)))
    table.add_row("files not parsed (left untouched)",
                  str(sum(f.status == "parse_error" for f in report.files)))
    table.add_row("test methods", str(sum(f.test_methods for f in report.files)))
    table.add_row("stubs found", str(len(report.stubs())))
    table.add_row("filled", str(report.filled))
    table.add_row("  of them reused from a similar test", str(report.reused))
    if report.verify:
        table.add_row("  of them passed when --verify ran them", str(report.verified))
        if report.with_observed_values:
            table.add_row("  of them with values the run observed", str(report.with_observed_values))
    for reason, count in sorted(report.skipped_by_reason().items()):
        table.add_row(f"skipped: {reason}", str(count))
    verb = "changed" if written else "would change"
    table.add_row(f"files {verb}", str(sum(f.status == "changed" for f in report.files)))
    table.add_row("time", f"{report.seconds:.2f} s")
    console.print(table)


def _one_line(message: str) -> str:
    """A test's failure message on the summary's one line (Hamcrest's start with a line break)."""
    return " ".join(message.split())


def _main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


def main(argv=None) -> int:
    """Entry point of the `assertgen` console script; returns the exit status."""
    return run_cli(_main, argv)

