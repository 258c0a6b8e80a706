#!/usr/bin/env bash
# Stop 38: the argument checks on commons-io (whose `FileUtils.isDirectory(directory1, file2)`, a File
# for a LinkOption..., javac rejected at stop 37): --verify --accept-observed, seed 0, as
# ../observed34/run.sh runs it, at the worktree TREE into observed/NAME/:
#   git worktree add /tmp/base38 f039552 && bash run-io.sh base /tmp/base38
#   git worktree add /tmp/now38 2102596 && bash run-io.sh 2102596 /tmp/now38
# (one at a time: the runs share /tmp/main-PROJECT and /tmp/PROJECT-fill.json)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
name=$1; tree=$2; out=$here/observed/$name
mkdir -p "$out"
PYTHONPATH=$tree OUT=$out ONLY_OBSERVED=1 ONLY_PROJECT=commons-io-2.11.0-src bash "$here/../observed34/run.sh"
