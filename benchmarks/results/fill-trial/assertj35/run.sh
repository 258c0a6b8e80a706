#!/usr/bin/env bash
# "AssertJ's messages": fill_trial.py with --verify, and with --verify --accept-observed, on mockito 2.23.0
# (seed 0; 153 of its 390 test files use AssertJ), its tests compiled by javac and run by the JUnit console
# launcher (../observed34/junit-build.sh, only the classes --verify's {tests} names):
#   bash run.sh      (mockito's sources unpacked under $SRC, /tmp/debsrc by default; the jars Debian's
#                     packages hold unpacked under $JARS: libassertj-core-java 3.14.0, libbyte-buddy-java,
#                     libobjenesis-java, libasm-java: apt-get download PACKAGE; dpkg-deb -x PACKAGE.deb x)
# OUT (a folder) writes the results there instead (../javac36/run.sh); ONLY_OBSERVED=1 runs the
# --accept-observed arm alone (../nulls36/run.sh)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../../.." && pwd); cd "$repo"
SRC=${SRC:-/tmp/debsrc}; JARS=${JARS:-/tmp/ajdl/x/usr/share/java}; O=${OUT:-benchmarks/results/fill-trial/assertj35}
J=/usr/share/java; p=mockito-2.23.0
jars="$JARS/byte-buddy.jar $JARS/byte-buddy-agent.jar $JARS/objenesis.jar $JARS/asm.jar $JARS/assertj-core.jar"
jars="$jars $J/junit4.jar $J/hamcrest-core.jar $J/opentest4j.jar"
rm -rf "/tmp/main-$p" && mkdir -p "/tmp/main-$p"
javac -nowarn -proc:none -encoding UTF-8 -d "/tmp/main-$p" -cp "$(echo $jars | tr ' ' ':')" $(find "$SRC/$p/src/main/java" -name '*.java')
# the test files javac rejects here (a jar this machine lacks), as fill_passes.py finds them
python - "$SRC/$p" "/tmp/main-$p" "$jars" "/tmp/leftout-$p.txt" <<'PY'
import sys, tempfile
from pathlib import Path
sys.path.insert(0, "benchmarks/scripts")
from fill_passes import compile_tests
root, main, jars, out = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(), Path(sys.argv[4])
with tempfile.TemporaryDirectory() as scratch:
    left = compile_tests(sorted(root.glob("src/test/java/**/*.java")), Path(scratch) / "classes",
                         [main, *map(Path, jars)], "UTF-8", root)
out.write_text("".join(f"{path.relative_to(root)}\n" for path in left))
PY
cmd="bash $repo/benchmarks/results/fill-trial/observed34/junit-build.sh /tmp/main-$p '$jars' /tmp/leftout-$p.txt {tests}"
[ -n "${ONLY_OBSERVED:-}" ] || \
  python benchmarks/scripts/fill_trial.py "$SRC/$p" --json "$O/$p-seed0-verify.json" -- --verify "$cmd" > "$O/$p-verify.log" 2>&1
python benchmarks/scripts/fill_trial.py "$SRC/$p" --json "$O/$p-seed0-observed.json" --fill-report "/tmp/$p-fill.json" \
  -- --verify "$cmd" --accept-observed > "$O/$p-observed.log" 2>&1
python benchmarks/results/fill-trial/observed34/values.py "/tmp/$p-fill.json" "$O/$p-seed0-observed-values.json"
