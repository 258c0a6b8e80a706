#!/usr/bin/env bash
# Stop 35: "Values the run observed" again, --verify --accept-observed only, with the truth assertions
# (assertTrue/assertFalse, AssertJ's isTrue/isFalse) turned when they fail, on observed34's six projects
# (seed 0), the same build commands (../observed34/run.sh's); compare with ../observed34/*-seed0-observed.json:
#   bash run.sh      (as ../observed34/run.sh: sources under $SRC, main classes compiled there first)
here=$(cd "$(dirname "$0")" && pwd)
OUT=benchmarks/results/fill-trial/observed35 ONLY_OBSERVED=1 bash "$here/../observed34/run.sh"
