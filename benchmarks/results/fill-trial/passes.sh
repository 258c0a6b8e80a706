#!/usr/bin/env bash
# Do the fills pass? benchmarks/scripts/fill_passes.py on six of the trial projects (seed 0), at this
# checkout's code and, given a worktree, at that commit's code: bash passes.sh OUT [BASE_WORKTREE]
#   apt-get install default-jdk-headless junit4 junit5 libjsr305-java libcommons-lang3-java libcommons-io-java
#   joda-time needs joda-convert's classes and its compiled time zones (what its Maven build makes):
#     mkdir /tmp/jcm && javac -d /tmp/jcm $(find /tmp/debsrc/joda-convert-2.2.2/src/main/java -name '*.java')
#     mkdir -p /tmp/jt/main && javac -d /tmp/jt/main -cp /tmp/jcm $(find /tmp/debsrc/joda-time-2.10.14/src/main/java -name '*.java')
#     (cd /tmp/debsrc/joda-time-2.10.14/src/main/java/org/joda/time/tz/src && java -cp /tmp/jt/main:/tmp/jcm \
#       org.joda.time.tz.ZoneInfoCompiler -src . -dst /tmp/jtz/org/joda/time/tz/data africa antarctica asia \
#       australasia backward etcetera europe northamerica southamerica)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../.." && pwd)
SRC=${SRC:-/tmp/debsrc}; out=$1; base=${2:-}; mkdir -p "$out"
J=/usr/share/java; J5="$J/junit-jupiter-api.jar $J/junit-jupiter-params.jar $J/apiguardian-api.jar $J/opentest4j.jar"
run() {
  project=$1; cp=$2
  if [ -n "$base" ]; then
    PYTHONPATH=$base python "$repo/benchmarks/scripts/fill_passes.py" "$SRC/$project" --cp "$cp" \
      --json "$out/$project-seed0-base.json" > "$out/$project-seed0-base.log" 2>&1 || echo "FAILED $project (base)"
  fi
  python "$repo/benchmarks/scripts/fill_passes.py" "$SRC/$project" --cp "$cp" \
    --json "$out/$project-seed0.json" > "$out/$project-seed0.log" 2>&1 || echo "FAILED $project"
}
run joda-time-2.10.14 "/tmp/jtz /tmp/jcm $J/junit4.jar $J/hamcrest-core.jar"
run commons-codec-rel-commons-codec-1.15 "$J/junit4.jar $J/hamcrest-core.jar $J/commons-lang3.jar"
run commons-csv-rel-commons-csv-1.9.0 "$J5 $J/commons-io.jar"
run jsoup-jsoup-1.15.3 "$J/jsr305.jar $J5"
run commons-io-2.11.0-src "$J5 $J/commons-lang3.jar $J/hamcrest-2.2.jar $J/junit4.jar"
run commons-lang-rel-commons-lang-3.12.0 "$J5 $J/hamcrest-2.2.jar $J/junit4.jar"
