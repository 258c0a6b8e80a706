#!/usr/bin/env bash
# Stop 37: the focal method by the test's name (underscores aside, an accessor without is/get/has, a
# constructor for a test named for one) and two argument checks (a JDK class's value for a primitive or
# a project-class parameter; an array index that is surely no int). fill_trial.py, seed 2, 200 masked,
# plain and --gold, over the 30 unpacked projects of stop 36's sample (xmlunit has no src/test/java;
# morfologik, whose Debian bookworm source is 1.9.0 where stop 35's was 2.1.6, is left out), at a base
# worktree and at a worktree of the code measured, side by side on one machine:
#   git worktree add /tmp/base37 72a3980 && git worktree add /tmp/now37 HEAD
#   bash run.sh base /tmp/base37 & bash run.sh now /tmp/now37 & wait
#   python ../table.py sample 72a3980 HEAD && python ../table.py sample-gold 72a3980 HEAD
# (each run's JSON goes to sample/ and sample-gold/ under OUT, default beside this script:
# NAME-seed2-base.json for "base", NAME-seed2.json else)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../../.." && pwd); cd "$repo"
name=$1; tree=$2; SRC=${SRC:-/tmp/debsrc}; OUT=${OUT:-$here}
suffix=$([ "$name" = base ] && echo "-base" || echo "")
mkdir -p "$OUT/sample" "$OUT/sample-gold"
export PYTHONPATH=$tree   # (`assertgen fill` runs as a subprocess: it inherits it)
for d in "$SRC"/*/; do
  p=$(basename "$d")
  [ -f "$here/../focal36/sample/$p-seed2.json" ] || continue
  python "$tree/benchmarks/scripts/fill_trial.py" "$d" --mask 200 --seed 2 --json "$OUT/sample/$p-seed2$suffix.json" \
    > /dev/null 2>&1 || echo "FAILED $p"
  python "$tree/benchmarks/scripts/fill_trial.py" "$d" --mask 200 --seed 2 --gold --json "$OUT/sample-gold/$p-seed2$suffix.json" \
    > /dev/null 2>&1 || echo "FAILED gold $p"
done
