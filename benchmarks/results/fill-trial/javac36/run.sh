#!/usr/bin/env bash
# Stop 36, negative and reverted: --verify giving a stub javac rejected its next candidate once (commit
# 27b9c0b; f33ac29 reverts it). The runs of stop 35 again with that code, into this folder: mockito with
# --verify and with --verify --accept-observed (../assertj35/run.sh), five of the six projects with
# --verify --accept-observed (../observed34/run.sh; commons-io's run was stopped, not measured):
#   git worktree add /tmp/wt-javac36 27b9c0b && bash run.sh     (sources and jars as those scripts say)
here=$(cd "$(dirname "$0")" && pwd)
export PYTHONPATH=${CODE:-/tmp/wt-javac36}   # the code measured (`assertgen fill` runs as a subprocess)
OUT=benchmarks/results/fill-trial/javac36 bash "$here/../assertj35/run.sh"
OUT=benchmarks/results/fill-trial/javac36 ONLY_OBSERVED=1 bash "$here/../observed34/run.sh"
