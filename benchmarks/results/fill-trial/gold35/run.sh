#!/usr/bin/env bash
# The developers' own assertions through the checks (fill_trial.py --gold, seed 0) after stop 35's checks
# (assertThat's argument count by library, AssertJ's isTrue of no boolean): gold33's ten projects and mockito
#   bash run.sh      (the sources unpacked under $SRC, /tmp/debsrc by default)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../../.." && pwd); cd "$repo"
SRC=${SRC:-/tmp/debsrc}
for json in benchmarks/results/fill-trial/gold33/*-seed0.json; do
  p=$(basename "$json" -seed0.json)
  python benchmarks/scripts/fill_trial.py "$SRC/$p" --gold --json "$here/$p-seed0.json" > "$here/$p-seed0.log" 2>&1 || echo "FAILED $p"
done
p=mockito-2.23.0
python benchmarks/scripts/fill_trial.py "$SRC/$p" --gold --json "$here/$p-seed0.json" > "$here/$p-seed0.log" 2>&1 || echo "FAILED $p"
# two more projects whose tests use AssertJ (apt-get source --download-only logstash-logback-encoder morfologik-stemming2)
for p in logstash-logback-encoder-logstash-logback-encoder-7.2 morfologik-stemming-2.1.6; do
  python benchmarks/scripts/fill_trial.py "$SRC/$p" --gold --json "$here/$p-seed0.json" > "$here/$p-seed0.log" 2>&1 || echo "FAILED $p"
done
