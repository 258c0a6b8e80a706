"""`assertgen fill` on a real Java project: mask a seeded sample of its asserted tests in a
copy, fill the copy, and compare what was written with the assertions that were there.

The corpus splits measure the model on records whose focal method the corpus heuristic
found; this measures the whole command as a user runs it on a repository it has never
seen: which stubs it finds, which it skips and why, how often it writes back the very
assertions the developers wrote, and how long it takes. The project itself is not touched.

    apt-get source --download-only jsoup && tar xf jsoup_*.orig.tar.xz    # deb-src enabled
    python benchmarks/scripts/fill_trial.py jsoup-jsoup-1.15.3 --mask 200 --json trial.json

Masking is the corpus's (`assertgen.java_source.asserted_tests`: each assertion statement
becomes a `// ASSERTION PLACEHOLDER` line). Tests without assertions that the project already
has are stubs too; they are counted, not scored. Arguments after `--` go to `assertgen fill`.

`--gold` measures the checks instead: fill runs in-process on the masked copy with the
developers' own assertions as each masked stub's only candidate (no reuse), and the trial
counts how many of those the checks accept and why they refuse the others: every refusal
there turns away correct assertions (or is a javac error in the project's own tests).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def mask_sample(root: Path, n: int, seed: int) -> tuple[list[dict], int]:
    """Mask `n` asserted tests (seeded sample) of the test files under `root` in place;
    (one {file, method, assertions} per masked test, asserted tests found)."""
    from assertgen import java_source as js
    from assertgen.errors import UserError

    tests = []
    for path in sorted(root.rglob("*.java")):
        if "test" not in path.relative_to(root).parts[:-1]:
            continue   # src/test/java, module/src/test/java: not main sources
        try:
            jf = js.JavaFile.read(path)
        except UserError:
            continue
        if jf.error_line() is None:
            tests += [(path, test) for test in js.asserted_tests(jf)]
    chosen = random.Random(seed).sample(tests, min(n, len(tests)))
    masked, by_file = [], {}
    for path, test in chosen:
        by_file.setdefault(path, []).append(test)
    for path, file_tests in by_file.items():
        source = file_tests[0].file.source
        eol = b"\r\n" if b"\r\n" in source else b"\n"   # (`masked` has LF line breaks)
        path.write_bytes(js.apply_edits(source, [
            (t.method.start_byte, t.method.end_byte, t.masked.encode(t.file.encoding).replace(b"\n", eol))
            for t in file_tests]))
        masked += [{"file": path.relative_to(root).as_posix(), "method": t.name, "assertions": t.assertions,
                    "masked": t.masked} for t in file_tests]
    return masked, len(tests)


def score(masked: list[dict], report: dict) -> dict:
    """Counts of fill's report against the masked originals: masked stubs found, filled (by
    whom), exactly the original assertions (the corpus metric, `workbench.metrics`), mean F1 of
    the filled ones."""
    from workbench.metrics import per_example

    originals = {(m["file"], m["method"]): m["assertions"] for m in masked}
    counts, f1 = Counter(), []
    for file in report["files"]:
        for stub in file["stubs"]:
            key = (Path(file["path"]).as_posix(), stub["method"])
            if key not in originals:
                counts["other stubs (tests without assertions)"] += 1
                continue
            counts["masked stubs found"] += 1
            if stub["status"] != "filled":
                counts[f"skipped: {stub['reason']}"] += 1
                continue
            counts[f"filled by {stub['source']}"] += 1
            metrics = per_example(stub["assertions"], originals[key], with_codebleu=False)
            counts[f"exactly the original, by {stub['source']}"] += int(metrics["exact_match"])
            if stub.get("observed"):   # (--accept-observed wrote a value of the run into it)
                counts["observed values (--accept-observed): fills with them"] += 1
                counts["observed values (--accept-observed): of them exactly the original"] += int(metrics["exact_match"])
            f1.append(metrics["f1"])
    return {"masked": len(masked), "counts": dict(sorted(counts.items())),
            "mean_f1_of_filled": round(sum(f1) / len(f1), 4) if f1 else None}


def fill_copy(copy: Path, fill_args: list[str]) -> tuple[dict, float]:
    """`assertgen fill` in `copy` (a subprocess, as a user runs it): its JSON report and seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "fill.json"
        command = [sys.executable, "-m", "assertgen", "fill", "--json", str(report_path), *fill_args]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=copy, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 1):   # 1: some file did not parse (reported, left alone)
            raise SystemExit(f"{copy}: assertgen fill exited {done.returncode}:\n{done.stderr}")
        return json.loads(report_path.read_text()), seconds


class GoldModel:
    """A stand-in model whose only candidate for a masked test is the developers' assertions
    (found by the masked test's text, which the model input holds); none for other stubs, nor
    for masked tests of one text and different assertions (hamcrest's `matchesEmptyString()`
    of IsBlankStringTest and IsEmptyStringTest): those are not counted."""

    metadata = {"name": "gold"}

    def __init__(self, masked: list[dict]):
        self.masked = masked

    def generate(self, inputs, num_candidates=4, batch_size=16):
        from assertgen.fill import reused_candidate

        found = [{reused_candidate(m["assertions"]) for m in self.masked if m["masked"] in text} for text in inputs]
        return [list(candidates) if len(candidates) == 1 else [] for candidates in found]


def gold_check(copy: Path, masked: list[dict]) -> dict:
    """`assertgen fill` (no reuse, nothing written) on the masked copy with `GoldModel`: of the
    masked stubs whose focal method fill found, how many the checks accept, and the reasons
    (quoted names left out) of the refusals with an example each."""
    import io
    import os

    from rich.console import Console

    from assertgen import fill
    from assertgen.cli import default_test_roots

    from assertgen.errors import UserError

    cwd = os.getcwd()
    os.chdir(copy)
    try:
        roots = default_test_roots()
        if not roots:  # (xmlunit 1.6's Ant layout)
            raise UserError("no test source directory (src/test/java, or a pom.xml's testSourceDirectory)")
        report = fill.fill_paths(roots, generator=GoldModel(masked), write=False, reuse=False,
                                 console=Console(file=io.StringIO()))
    except UserError as err:
        raise SystemExit(f"{copy}: {err}")
    finally:
        os.chdir(cwd)
    keys = {(m["file"], m["method"]) for m in masked}
    offered = accepted = 0
    refused, examples = Counter(), {}
    for file in report.files:
        for stub in file.stubs:
            if (Path(file.path).as_posix(), stub.method) not in keys or not stub.rejected and stub.status != "filled":
                continue   # another stub, or no focal method: no candidate was offered
            offered += 1
            if stub.status == "filled":
                accepted += 1
                continue
            reason = re.sub(r"'[^']*'|`[^`]*`", "X", stub.rejected[0]["reason"])
            refused[reason] += 1
            examples.setdefault(reason, f"{file.path}:{stub.line} {stub.method}: {stub.rejected[0]['reason']}")
    return {"offered": offered, "accepted": accepted,
            "refused": [{"reason": r, "count": n, "example": examples[r]} for r, n in refused.most_common()]}


def trial_arguments(argv: list[str] | None, description: str) -> tuple[list[str], list[str], argparse.ArgumentParser]:
    """(this script's arguments, those after `--` for `assertgen fill`, a parser of what every
    trial takes: the project, the sample's size and seed)."""
    argv = sys.argv[1:] if argv is None else argv
    fill_args = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("project", type=Path, help="a Java project (Maven or Gradle layout); left untouched")
    parser.add_argument("--mask", type=int, default=200, help="asserted tests to mask (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    return argv, fill_args, parser


def main(argv: list[str] | None = None) -> int:
    argv, fill_args, parser = trial_arguments(argv, __doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="write the counts, timing and fill's summary here")
    parser.add_argument("--keep", type=Path, help="keep the filled copy in this new directory")
    parser.add_argument("--fill-report", type=Path, help="write fill's own JSON report (--json of fill) here")
    parser.add_argument("--gold", action="store_true",
                        help="offer the developers' own assertions as the only candidates: what the checks refuse")
    args = parser.parse_args(argv)
    if not args.project.is_dir():
        parser.error(f"{args.project}: not a directory")

    with tempfile.TemporaryDirectory() as tmp:
        copy = args.keep or Path(tmp) / "project"
        if copy.exists():
            parser.error(f"{copy}: already exists (--keep takes a new directory)")
        shutil.copytree(args.project, copy, symlinks=True)
        masked, asserted = mask_sample(copy, args.mask, args.seed)
        if args.gold:
            result = {"project": str(args.project), "asserted_tests": asserted, "seed": args.seed,
                      "masked": len(masked), "gold": gold_check(copy, masked)}
            gold = result["gold"]
            print(f"{args.project}: {asserted} asserted tests, {len(masked)} masked (seed {args.seed}); the checks "
                  f"accept the developers' assertions of {gold['accepted']} of the {gold['offered']} with a focal method")
            for entry in gold["refused"]:
                print(f"  {entry['count']:4d}  {entry['reason']}\n        e.g. {entry['example']}")
            if args.json:
                args.json.write_text(json.dumps(result, indent=1) + "\n")
            return 0
        report, seconds = fill_copy(copy, fill_args)
        if args.fill_report:
            args.fill_report.write_text(json.dumps(report, indent=1) + "\n")

    result = {"project": str(args.project), "asserted_tests": asserted, "seed": args.seed,
              "fill_args": fill_args, "seconds": round(seconds, 2),
              "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
              **score(masked, report), "fill_summary": report["summary"]}
    print(f"{args.project}: {asserted} asserted tests, {result['masked']} masked (seed {args.seed}); "
          f"fill ran {result['seconds']} s, peak RSS {result['peak_rss_mib']} MiB")
    for key, value in result["counts"].items():
        print(f"  {key:<60} {value:5d}")
    print(f"  {'mean F1 of the filled masked stubs':<60} {result['mean_f1_of_filled']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
