#!/usr/bin/env bash
# Stop 38, with --verify --accept-observed: ../nulls36/run.sh's arms (mockito and the six projects of
# ../observed34, seed 0; their set-up is in those scripts) at a worktree of the code measured ($NOW) into
# observed7/ and at stop 37's final code (f039552, a worktree at $BASE) into observed7/base/:
#   git worktree add /tmp/last38 afb6f24 && git worktree add /tmp/base38 f039552
#   NOW=/tmp/last38 bash run-observed7.sh && python ../nulls36/table.py observed7 "stop 38"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/observed7/base"
PYTHONPATH=${NOW:-} DEST=benchmarks/results/fill-trial/stop38/observed7 BASE=${BASE:-/tmp/base38} bash "$here/../nulls36/run.sh"
