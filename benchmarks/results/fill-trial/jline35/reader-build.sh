# jline3 3.3.1's reader module tests as Maven would run them, for --verify in a trial copy of the
# whole project: its main classes and the terminal module's compiled beforehand (run.sh), the
# tests compiled by javac and run by the console launcher (jline's tests close stdout: the XML
# reports under reader/build/reports are what counts)
#   bash reader-build.sh [TESTS]    (TESTS: --verify's {tests}, the classes to run)
set -e
tests=${1:-}
classes='^(Test.*|.+[.$]Test.*|.*Tests?|.*TestCase)$'
[ -n "$tests" ] && classes=".*[.\$]($(echo "$tests" | tr ',' '|'))\$"
J=/usr/share/java
CP=/tmp/jlr/main:/tmp/jl-term:$J/junit4.jar:$J/hamcrest-core.jar
rm -rf reader/build && mkdir -p reader/build/test reader/build/reports
javac -nowarn -proc:none -Xmaxerrs 10000 -encoding UTF-8 -d reader/build/test -cp "$CP" $(find reader/src/test/java -name '*.java')
java -jar $J/junit-platform-console-standalone.jar -cp "reader/build/test:$CP" --scan-classpath reader/build/test \
  --include-classname "$classes" --reports-dir reader/build/reports --disable-banner --details=none > /dev/null 2>&1 || true
