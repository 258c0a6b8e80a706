#!/usr/bin/env bash
# "Values the run observed": fill_trial.py with --verify, and with --verify --accept-observed, on six
# projects (seed 0), their tests compiled by javac and run by the JUnit console launcher:
#   bash run.sh      (the sources unpacked under $SRC, /tmp/debsrc by default; the main classes compiled
#                     here first, joda-time's and commons-codec's as in ../passes.sh and ../verify33)
# OUT (a folder) and ONLY_OBSERVED=1 run the --accept-observed arm alone into OUT (../observed35/run.sh);
# ONLY_PROJECT=NAME runs that project alone (../stop38/run-io.sh)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../../.." && pwd); cd "$repo"
SRC=${SRC:-/tmp/debsrc}; O=${OUT:-benchmarks/results/fill-trial/observed34}; V=$repo/benchmarks/results/fill-trial/verify33
ONLY_OBSERVED=${ONLY_OBSERVED:-}
J=/usr/share/java; J5="$J/junit-jupiter-api.jar $J/junit-jupiter-params.jar $J/apiguardian-api.jar $J/opentest4j.jar"
both() {   # project, --verify's command
  p=$1; cmd=$2
  [ -z "${ONLY_PROJECT:-}" ] || [ "$p" = "$ONLY_PROJECT" ] || return 0
  [ -n "$ONLY_OBSERVED" ] || \
    python benchmarks/scripts/fill_trial.py "$SRC/$p" --json "$O/$p-seed0-verify.json" -- --verify "$cmd" > "$O/$p-verify.log" 2>&1
  python benchmarks/scripts/fill_trial.py "$SRC/$p" --json "$O/$p-seed0-observed.json" --fill-report "/tmp/$p-fill.json" \
    -- --verify "$cmd" --accept-observed > "$O/$p-observed.log" 2>&1
  python "$here/values.py" "/tmp/$p-fill.json" "$O/$p-seed0-observed-values.json"
}
generic() {   # project, its jars: main classes compiled into /tmp/main-PROJECT, then junit-build.sh
  p=$1; jars=$2
  [ -z "${ONLY_PROJECT:-}" ] || [ "$p" = "$ONLY_PROJECT" ] || return 0
  python3 -c "import json; print('\n'.join(json.load(open('benchmarks/results/fill-trial/passes33/$p-seed0.json'))['test_files_left_out']))" > "/tmp/leftout-$p.txt"
  rm -rf "/tmp/main-$p" && mkdir -p "/tmp/main-$p"
  javac -nowarn -proc:none -encoding UTF-8 -d "/tmp/main-$p" -cp "$(echo $jars | tr ' ' ':')" $(find "$SRC/$p/src/main/java" -name '*.java')
  both "$p" "bash $here/junit-build.sh /tmp/main-$p '$jars' /tmp/leftout-$p.txt"
}
both joda-time-2.10.14 "bash $V/joda-time-build.sh"
both commons-codec-rel-commons-codec-1.15 "bash $V/commons-codec-build.sh"
mkdir -p /tmp/jsm && javac -nowarn -proc:none -encoding UTF-8 -d /tmp/jsm -cp $J/jsr305.jar $(find "$SRC/jsoup-jsoup-1.15.3/src/main/java" -name '*.java')
both jsoup-jsoup-1.15.3 "bash $here/jsoup-build.sh"
[ -n "$ONLY_OBSERVED" ] || \
  python benchmarks/scripts/fill_trial.py "$SRC/jsoup-jsoup-1.15.3" --json "$O/jsoup-jsoup-1.15.3-seed0.json" > "$O/jsoup-jsoup-1.15.3.log" 2>&1
generic commons-csv-rel-commons-csv-1.9.0 "$J5 $J/commons-io.jar"
generic commons-lang-rel-commons-lang-3.12.0 "$J5 $J/hamcrest-2.2.jar $J/junit4.jar"
generic commons-io-2.11.0-src "$J5 $J/commons-lang3.jar $J/hamcrest-2.2.jar $J/junit4.jar"
[ -n "$ONLY_OBSERVED" ] || python "$O/table.py"
