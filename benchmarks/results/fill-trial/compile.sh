#!/usr/bin/env bash
# Do the files `assertgen fill` changed compile? For one project (seed 0): a masked copy and a
# filled copy (fill_trial.py --keep), the main sources compiled once, then javac on each test
# file fill changed, in both copies. Prints "masked filled path" per file (ok / FAIL), then counts.
#   bash compile.sh PROJECT_DIR "JAR JAR ..."      (jars from Debian: /usr/share/java/*.jar)
# MAIN and TEST: the source directories in the project (default src/main/java and src/test/java).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
project=$1; cp=$(echo $2 | tr ' ' ':'); work=$(mktemp -d)
MAIN=${MAIN:-src/main/java}; TEST=${TEST:-src/test/java}
python "$repo/benchmarks/scripts/fill_trial.py" "$project" --keep "$work/masked" -- --diff >/dev/null
python "$repo/benchmarks/scripts/fill_trial.py" "$project" --keep "$work/filled" >/dev/null
(cd "$work/masked" && javac -nowarn -proc:none -d "$work/main" -cp "$cp" $(find "$MAIN" -name '*.java'))
for f in $(diff -rq "$work/masked" "$work/filled" | awk '{print $2}' | sed "s|^$work/masked/||"); do
  line=""
  for copy in masked filled; do
    if (cd "$work/$copy" && javac -nowarn -proc:none -d "$work/out-$copy" -cp "$work/main:$cp" \
        -sourcepath "$TEST" "$f" >/dev/null 2>&1); then line="$line ok"; else line="$line FAIL"; fi
  done
  echo "$line $f"
done | tee "$work/compile.txt"
awk '{print "masked " $1 ", filled " $2}' "$work/compile.txt" | sort | uniq -c
rm -rf "$work"
