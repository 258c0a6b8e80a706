"""Do the assertions `assertgen fill` writes pass? Run the filled tests of a masked real project.

`fill_trial.py` counts how often fill writes back exactly the developers' assertions; a fill that
differs may still hold (another true assertion) or may fail. This answers that with the
project's own tests: it compiles the main sources and every test as the developers wrote them,
masks a seeded sample of asserted tests in a copy (fill_trial's masking), fills the copy,
compiles each file fill changed (masked and filled) against the developers' test classes (a
filled test javac rejects is put back as masked, so that the file's other fills still run), and
runs the test classes that hold filled stubs twice with the JUnit Platform console launcher
(JUnit 3/4 through the vintage engine): the developers' version, then the filled one. Per filled
stub: did the developers' test pass here, did the filled file compile, did the filled test pass.

    J=/usr/share/java   # apt-get install junit4 junit5 (the console launcher is junit5's)
    python benchmarks/scripts/fill_passes.py /tmp/debsrc/commons-codec-rel-commons-codec-1.15 \\
        --cp "$J/junit4.jar $J/hamcrest-core.jar $J/commons-lang3.jar" --json passes.json

Arguments after `--` go to `assertgen fill`. The project itself is not touched.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fill_trial import fill_copy, mask_sample, trial_arguments  # noqa: E402

from assertgen import java_source as js  # noqa: E402
from assertgen.verify import CaseResult, compile_errors, read_reports  # noqa: E402

LAUNCHER = "/usr/share/java/junit-platform-console-standalone.jar"


def javac(sources: list[Path], out: Path, classpath: list[Path], encoding: str, cwd: Path,
          max_lines: int | None = 6) -> str | None:
    """Compile `sources` into `out`; javac's error output (its first lines) when it fails."""
    out.mkdir(parents=True, exist_ok=True)
    argfile = out.parent / f"{out.name}.sources"
    argfile.write_text("\n".join(f'"{source}"' for source in sources) + "\n")
    done = subprocess.run(["javac", "-nowarn", "-proc:none", "-Xmaxerrs", "100000", "-encoding", encoding,
                           "-d", str(out), "-cp", ":".join(map(str, classpath)), f"@{argfile}"],
                          cwd=cwd, capture_output=True, text=True)
    return None if done.returncode == 0 else "\n".join((done.stdout + done.stderr).splitlines()[:max_lines])


def compile_tests(sources: list[Path], out: Path, classpath: list[Path], encoding: str, cwd: Path) -> list[Path]:
    """Compile the developers' tests, leaving out the files javac reports errors in until the
    rest compiles (a benchmark or an integration test needing a jar the machine lacks: jmh,
    jetty, mockito); the files left out."""
    left_out: list[Path] = []
    while sources:
        error = javac(sources, out, classpath, encoding, cwd, max_lines=None)
        if error is None:
            return left_out
        failing = set(compile_errors(error, cwd)) & set(sources)   # (both resolved)
        if not failing:
            raise SystemExit(f"{cwd}: the developers' tests do not compile:\n{error[:2000]}")
        left_out += sorted(failing)
        sources = [source for source in sources if source not in failing]
    return left_out


def compile_filled(file: str, stub_names: set[str], work: Path, classpath: list[Path], encoding: str) -> set[str] | None:
    """Compile one filled file; where javac reports errors inside filled stubs, put those
    methods back as they were masked and compile again, so that one bad fill does not take the
    file's other fills down with it. The stubs put back, or None when the file fails elsewhere."""
    path = work / "filled" / file
    masked = js.methods_by_name(js.JavaFile.read(work / "masked" / file))
    put_back: set[str] = set()
    while True:
        error = javac([path], work / "filled-classes" / file.replace("/", "_"), classpath, encoding, path.parent,
                      max_lines=None)
        if error is None:
            return put_back
        lines = {line for line, _ in compile_errors(error, path.parent).get(path.resolve(), [])}
        jf = js.JavaFile.read(path)
        bad = {name for name, methods in js.methods_by_name(jf).items() if name in stub_names - put_back
               and len(methods) == len(masked.get(name, [])) == 1
               and any(methods[0].start_point[0] < line <= methods[0].end_point[0] + 1 for line in lines)}
        if not bad:
            return None
        edits = [(method.start_byte, method.end_byte, js.text(masked[name][0]).encode(jf.encoding))
                 for name, methods in js.methods_by_name(jf).items() if name in bad for method in methods]
        path.write_bytes(js.apply_edits(jf.source, edits))
        put_back |= bad


def run_classes(classes: list[str], classpath: list[Path], reports: Path, timeout: int) -> dict:
    """Run the test classes with the console launcher; `read_reports` of what it wrote."""
    command = ["java", "-jar", LAUNCHER, "--disable-banner", "--details=none", "--reports-dir", str(reports),
               "--config", "junit.jupiter.execution.timeout.default=60 s",
               "-cp", ":".join(map(str, classpath)), *[f"--select-class={name}" for name in classes]]
    try:
        subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"  the launcher ran past {timeout} s; results so far only", file=sys.stderr)
    return read_reports(sorted(reports.glob("TEST-*.xml")))


def main(argv: list[str] | None = None) -> int:
    argv, fill_args, parser = trial_arguments(argv, __doc__.split("\n\n")[0])
    parser.add_argument("--cp", default="", help="the tests' jars and class directories, space- or colon-separated")
    parser.add_argument("--main", default="src/main/java", help="main sources in the project")
    parser.add_argument("--test", default="src/test/java", help="test sources in the project")
    parser.add_argument("--encoding", default="UTF-8", help="the sources' encoding (javac -encoding)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds for each launcher run (default 900)")
    parser.add_argument("--json", type=Path, help="write the counts and every filled stub's outcome here")
    args = parser.parse_args(argv)
    args.project = args.project.resolve()   # (javac runs in it, given paths from here)
    if not (args.project / args.main).is_dir() or not (args.project / args.test).is_dir():
        parser.error(f"{args.project}: no {args.main} or no {args.test}")
    jars = [Path(entry) for entry in re.split(r"[\s:]+", args.cp) if entry]
    missing = [str(jar) for jar in jars if not jar.exists()]
    if missing:
        parser.error(f"not found: {', '.join(missing)}")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        resources = [args.project / d for d in ("src/main/resources", "src/test/resources")
                     if (args.project / d).is_dir()]
        error = javac(sorted((args.project / args.main).rglob("*.java")), work / "main", jars, args.encoding, args.project)
        if error:
            raise SystemExit(f"{args.project}: the main sources do not compile:\n{error}")
        base = [work / "main", *resources, *jars]
        tests = sorted((args.project / args.test).rglob("*.java"))
        left_out = compile_tests(tests, work / "tests", base, args.encoding, args.project)
        if len(left_out) > len(tests) // 2:
            raise SystemExit(f"{args.project}: most of the developers' tests do not compile "
                             f"({len(left_out)} of {len(tests)} files), e.g. {left_out[0]}; is --cp complete?")
        left_out = {path.relative_to(args.project).as_posix() for path in left_out}

        masked_copy, filled_copy = work / "masked", work / "filled"
        shutil.copytree(args.project, masked_copy, symlinks=True)
        masked, _ = mask_sample(masked_copy, args.mask, args.seed)
        shutil.copytree(masked_copy, filled_copy, symlinks=True)
        report, _ = fill_copy(filled_copy, fill_args)
        originals = {(m["file"], m["method"]): m["assertions"] for m in masked}

        from workbench.metrics import per_example

        stubs, classes = [], set()
        for file in report["files"]:
            filled = [s for s in file["stubs"] if s["status"] == "filled" and (file["path"], s["method"]) in originals]
            if not filled:
                continue
            package = js.JavaFile.read(filled_copy / file["path"]).package
            if file["path"] in left_out:
                compiled = "the developers' file fails"
            elif javac([work / "masked" / file["path"]], work / "masked-classes" / file["path"].replace("/", "_"),
                       [work / "tests", *base], args.encoding, work / "masked"):
                compiled = "masked fails"
            else:
                put_back = compile_filled(file["path"], {stub["method"] for stub in filled}, work,
                                          [work / "tests", *base], args.encoding)
                compiled = "fails elsewhere" if put_back is None else "ok"
                # (the developers' run says whether a fill that fails to compile had a passing test)
                classes.add(f"{package}.{Path(file['path']).stem}".lstrip("."))
            for stub in filled:
                stub_compiled = "fails" if compiled == "ok" and stub["method"] in put_back else compiled
                exact = per_example(stub["assertions"], originals[(file["path"], stub["method"])],
                                    with_codebleu=False)["exact_match"]
                stubs.append({"file": file["path"], "package": package, "class": stub["test_class"],
                              "method": stub["method"], "source": stub["source"], "exact": bool(exact),
                              "reused_from": stub["reused_from"], "assertions": stub["assertions"],
                              "compile": stub_compiled})

        filled_classes = sorted({work / "filled-classes" / Path(s["file"]).as_posix().replace("/", "_")
                                 for s in stubs if s["compile"] == "ok"})
        developers = run_classes(sorted(classes), [work / "tests", *base], work / "reports-developers", args.timeout)
        results = run_classes(sorted(classes), [*filled_classes, work / "tests", *base], work / "reports-filled",
                              args.timeout)

    counts = Counter()
    for stub in stubs:
        key = (stub["package"], stub["class"], stub["method"])
        developers_outcome = developers.get(key, CaseResult("not run")).outcome
        if stub["compile"] == "the developers' file fails":
            outcome = "left out: the developers' file does not compile here"
        elif stub["compile"] == "masked fails":
            outcome = "left out: the masked file does not compile"
        elif stub["compile"] == "fails elsewhere":   # (an import fill added, or javac's cascade)
            outcome = "left out: the filled file fails outside its filled tests"
        elif developers_outcome != "passes":
            outcome = f"left out: the developers' test {developers_outcome} here"
        elif stub["compile"] != "ok":
            outcome = "does not compile"
        else:
            result = results.get(key, CaseResult("not run"))
            outcome, stub["message"] = result.outcome, result.message[:300]
        stub["outcome"] = outcome
        counts[(stub["source"], "exact" if stub["exact"] else "other", outcome)] += 1

    print(f"{args.project}: {len(masked)} masked (seed {args.seed}), {len(stubs)} filled; "
          f"{len(left_out)} test file(s) left out: javac fails on them here")
    for (source, exact, outcome), n in sorted(counts.items()):
        print(f"  {source:<7} {exact:<6} {outcome:<55} {n:4d}")
    if args.json:
        args.json.write_text(json.dumps({
            "project": str(args.project), "seed": args.seed, "masked": len(masked), "fill_args": fill_args,
            "test_files_left_out": sorted(left_out),
            "counts": [{"source": s, "exact": e == "exact", "outcome": o, "stubs": n}
                       for (s, e, o), n in sorted(counts.items())],
            "stubs": stubs}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
