#!/usr/bin/env bash
# Stop 35: "Values the run observed" again, --verify --accept-observed only, with the truth assertions
# (assertTrue/assertFalse, AssertJ's isTrue/isFalse) turned when they fail, on observed34's six projects
# (seed 0), the same build commands; compare with ../observed34/*-seed0-observed.json:
#   bash run.sh      (as ../observed34/run.sh: sources under $SRC, main classes compiled there first)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../../.." && pwd); cd "$repo"
SRC=${SRC:-/tmp/debsrc}; O=benchmarks/results/fill-trial/observed35; V=$repo/benchmarks/results/fill-trial/verify33
J=/usr/share/java; J5="$J/junit-jupiter-api.jar $J/junit-jupiter-params.jar $J/apiguardian-api.jar $J/opentest4j.jar"
observed() {   # project, --verify's command
  p=$1; cmd=$2
  python benchmarks/scripts/fill_trial.py "$SRC/$p" --json "$O/$p-seed0-observed.json" --fill-report "/tmp/$p-fill35.json" \
    -- --verify "$cmd" --accept-observed > "$O/$p-observed.log" 2>&1
  python benchmarks/results/fill-trial/observed34/values.py "/tmp/$p-fill35.json" "$O/$p-seed0-observed-values.json"
}
generic() {   # project, its jars (main classes in /tmp/main-PROJECT, left-out files in /tmp/leftout-PROJECT.txt, as observed34 made them)
  p=$1; jars=$2
  observed "$p" "bash $repo/benchmarks/results/fill-trial/observed34/junit-build.sh /tmp/main-$p '$jars' /tmp/leftout-$p.txt"
}
observed joda-time-2.10.14 "bash $V/joda-time-build.sh"
observed commons-codec-rel-commons-codec-1.15 "bash $V/commons-codec-build.sh"
observed jsoup-jsoup-1.15.3 "bash $repo/benchmarks/results/fill-trial/observed34/jsoup-build.sh"
generic commons-csv-rel-commons-csv-1.9.0 "$J5 $J/commons-io.jar"
generic commons-lang-rel-commons-lang-3.12.0 "$J5 $J/hamcrest-2.2.jar $J/junit4.jar"
generic commons-io-2.11.0-src "$J5 $J/commons-lang3.jar $J/hamcrest-2.2.jar $J/junit4.jar"
