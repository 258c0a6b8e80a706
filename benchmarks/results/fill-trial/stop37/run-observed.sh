#!/usr/bin/env bash
# Stop 37, with --verify --accept-observed: ../nulls36/run.sh's arms (mockito and the six projects of
# ../observed34, seed 0; their set-up is in those scripts) at this checkout into observed/ and at stop 36's
# final code (72a3980, a worktree at $BASE) into observed/base/:
#   git worktree add /tmp/base37 72a3980 && bash run-observed.sh && python ../nulls36/table.py observed "stop 37"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/observed/base"
DEST=benchmarks/results/fill-trial/stop37/observed BASE=${BASE:-/tmp/base37} bash "$here/../nulls36/run.sh"
