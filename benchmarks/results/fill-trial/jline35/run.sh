#!/usr/bin/env bash
# Stop 35: jline3 3.3.1 (seed 0, its 150 asserted tests all masked) with `--verify` on the reader
# module's tests (reader-build.sh), at this checkout's code and at stop 34's (a worktree of b1fd307
# at /tmp/base34): do the fills the static-import focal rule adds (DigitArgumentTest, HistorySearchTest)
# pass?   bash run.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../../.." && pwd); cd "$repo"
SRC=${SRC:-/tmp/debsrc}; P=$SRC/jline3-3.3.1
rm -rf /tmp/jl-term /tmp/jlr && mkdir -p /tmp/jl-term /tmp/jlr/main
javac -nowarn -proc:none -encoding UTF-8 -d /tmp/jl-term -cp /usr/share/java/jansi.jar $(find $P/terminal/src/main/java -name '*.java')
cp -r $P/terminal/src/main/resources/* /tmp/jl-term/
javac -nowarn -proc:none -encoding UTF-8 -d /tmp/jlr/main -cp /tmp/jl-term $(find $P/reader/src/main/java -name '*.java')
cp -r $P/reader/src/main/resources/* /tmp/jlr/main/ 2>/dev/null || true
cmd="bash $here/reader-build.sh {tests}"
python benchmarks/scripts/fill_trial.py $P --json $here/jline3-3.3.1-seed0-verify.json --fill-report /tmp/jline35-fill.json \
  -- --verify "$cmd" > $here/jline3-3.3.1-verify.log 2>&1
PYTHONPATH=/tmp/base34 python /tmp/base34/benchmarks/scripts/fill_trial.py $P --json $here/jline3-3.3.1-seed0-verify-base.json \
  --fill-report /tmp/jline35-fill-base.json -- --verify "$cmd" > $here/jline3-3.3.1-verify-base.log 2>&1
