#!/usr/bin/env bash
# Stop 36: a statically imported helper whose result only goes into another call (jline's
# `append(ctrl('B'))`) is no focal method. Against stop 35's runs (the same commands at 34a4582):
#   sample/      plain fill_trial.py on the 30 unpacked projects (seed 2, 200 masked); NAME-seed2-base.json
#                is ../sample35/NAME-seed2.json, copied
#   sample-gold/ the same with --gold (base: ../sample35-gold)
#   jline3-3.3.1-seed0-verify.json   jline's reader tests with --verify, as ../jline35/run.sh
#   bash run.sh && python ../table.py sample 34a4582 HEAD && python ../table.py sample-gold 34a4582 HEAD
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../../.." && pwd); cd "$repo"
SRC=${SRC:-/tmp/debsrc}; mkdir -p "$here/sample" "$here/sample-gold"
for d in "$SRC"/*/; do
  p=$(basename "$d")   # (the projects of stop 35's sample: xmlunit, without src/test/java, is not)
  cp "$here/../sample35/$p-seed2.json" "$here/sample/$p-seed2-base.json" 2>/dev/null || continue
  cp "$here/../sample35-gold/$p-seed2.json" "$here/sample-gold/$p-seed2-base.json"
  python benchmarks/scripts/fill_trial.py "$d" --mask 200 --seed 2 --json "$here/sample/$p-seed2.json" > /dev/null 2>&1 || echo "FAILED $p"
  python benchmarks/scripts/fill_trial.py "$d" --mask 200 --seed 2 --gold --json "$here/sample-gold/$p-seed2.json" > /dev/null 2>&1 || echo "FAILED gold $p"
done
# jline's reader module (its classes compiled by ../jline35/run.sh into /tmp/jl-term and /tmp/jlr)
P=$SRC/jline3-3.3.1
python benchmarks/scripts/fill_trial.py $P --json $here/jline3-3.3.1-seed0-verify.json --fill-report /tmp/jline36-fill.json \
  -- --verify "bash $here/../jline35/reader-build.sh {tests}" > $here/jline3-3.3.1-verify.log 2>&1
