"""End-to-end speed and memory of `assertgen fill` (issue 4's target: >= 20 stubs/s on
2 CPU cores with the default student, peak RSS < 500 MB).

Copies the fixture Java project N times, runs the real console script once over all
the copies (model loading, parsing, generation, checks and writes included), and
prints stubs per second, ms per stub against the study's 2,796 ms per test method
(CodeT5+ 220M student on an M1 Pro, its Table 4), and the child's peak RSS.

    python benchmarks/scripts/bench_fill.py [--copies 40] [--model DIR] [--no-reuse]

(`--no-reuse` is passed on to `assertgen fill`: the model writes every stub.)
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "java-project"
STUDY_MS_PER_METHOD = 2796.0  # the study's distilled 220M student, Table 4
TARGET_STUBS_PER_S = 20.0
TARGET_PEAK_RSS_MB = 500.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=40, help="copies of the fixture project")
    parser.add_argument("--model", help="model directory (default: the embedded model)")
    parser.add_argument("--no-reuse", action="store_true", help="passed on to assertgen fill")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        roots = []
        for i in range(args.copies):
            project = Path(tmp) / f"project{i:03d}"
            shutil.copytree(FIXTURE, project)
            roots.append(str(project / "src" / "test" / "java"))
        report = Path(tmp) / "report.json"
        command = [str(Path(sys.executable).with_name("assertgen")), "fill", *roots, "--json", str(report)]
        if args.model:
            command += ["--model", args.model]
        if args.no_reuse:
            command.append("--no-reuse")
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        # The child's peak RSS (this parent stays small, so fork-time inheritance is negligible).
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        summary = json.loads(report.read_text())["summary"]

    stubs = summary["stubs"]
    per_s = stubs / seconds
    ms_per_stub = seconds * 1000 / stubs
    print(f"projects {args.copies}, stubs {stubs}, filled {summary['filled']} "
          f"(reused {summary['reused']}), wall {seconds:.2f} s "
          f"(model load included)")
    print(f"stubs per second        {per_s:8.1f}   target >= {TARGET_STUBS_PER_S:.0f}   "
          f"{'met' if per_s >= TARGET_STUBS_PER_S else 'MISSED'}")
    print(f"ms per stub             {ms_per_stub:8.1f}   study {STUDY_MS_PER_METHOD:.0f} ms per method: "
          f"{STUDY_MS_PER_METHOD / ms_per_stub:.0f}x faster")
    print(f"peak RSS MB             {peak_mb:8.1f}   target < {TARGET_PEAK_RSS_MB:.0f}   "
          f"{'met' if peak_mb < TARGET_PEAK_RSS_MB else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
