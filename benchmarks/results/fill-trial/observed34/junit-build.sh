# A project's tests as Maven would run them, as --verify's command in a trial copy:
#   bash junit-build.sh MAIN_CLASSES "JAR ..." [LEFT_OUT] [TESTS]
# MAIN_CLASSES: the main sources compiled beforehand (javac -d DIR -cp JARS $(find src/main/java -name '*.java'));
# LEFT_OUT: test files javac rejects here for want of a jar, one a line (fill_passes.py's test_files_left_out)
# TESTS: test classes' simple names, comma-separated (--verify's {tests}): only those run
# (Surefire's default test classes: Test*, *Test, *Tests, *TestCase; the launcher's default lacks *TestCase)
set -e
main=$1; jars=$2; left_out=${3:-/dev/null}; tests=${4:-}
classes='^(Test.*|.+[.$]Test.*|.*Tests?|.*TestCase)$'
[ -n "$tests" ] && classes=".*[.\$]($(echo "$tests" | tr ',' '|'))\$"
J=/usr/share/java
CP=$main:$(echo $jars | tr ' ' ':')
rm -rf build && mkdir -p build/test build/reports
javac -nowarn -proc:none -Xmaxerrs 10000 -encoding UTF-8 -d build/test -cp "$CP" \
  $(find src/test/java -name '*.java' | grep -v -x -F -f "$left_out")
java -jar $J/junit-platform-console-standalone.jar -cp "build/test:$CP:src/test/resources:src/main/resources" \
  --scan-classpath build/test --include-classname "$classes" \
  --reports-dir build/reports --disable-banner --details=none
