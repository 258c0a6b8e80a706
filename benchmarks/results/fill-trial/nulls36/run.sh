#!/usr/bin/env bash
# Stop 36: --accept-observed asserts a null observed (assertNull, AssertJ's isNull), turns failed
# assertNull/assertNotNull, and checks a rewritten fill again (its imports). The --accept-observed arm of
# ../assertj35/run.sh (mockito) and ../observed34/run.sh (six projects), seed 0, at this checkout into
# this folder and at the commit before (0137948, a worktree at $BASE) into base/:
#   git worktree add /tmp/wt-nulls36-base 0137948 && bash run.sh && python table.py
# DEST (a folder) writes there instead, and its base/ (../stop37/run-observed.sh)
here=$(cd "$(dirname "$0")" && pwd)
BASE=${BASE:-/tmp/wt-nulls36-base}
for code in ${CODES:-now base}; do   # (CODES=now: this checkout alone)
  out=${DEST:-benchmarks/results/fill-trial/nulls36}; [ $code = now ] || out=$out/base
  if [ $code = base ]; then export PYTHONPATH=$BASE; fi   # (`assertgen fill` runs as a subprocess: it inherits it)
  OUT=$out ONLY_OBSERVED=1 bash "$here/../assertj35/run.sh"
  OUT=$out ONLY_OBSERVED=1 bash "$here/../observed34/run.sh"
done
