# commons-codec's tests as Maven would run them: javac (main classes prebuilt in /tmp/cm), then JUnit
set -e
CP=/tmp/cm:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar:/usr/share/java/commons-lang3.jar
rm -rf build && mkdir -p build/test build/reports
javac -nowarn -proc:none -Xmaxerrs 10000 -encoding UTF-8 -d build/test -cp $CP $(find src/test/java -name '*.java')
java -jar /usr/share/java/junit-platform-console-standalone.jar -cp build/test:$CP:src/test/resources --scan-classpath build/test --reports-dir build/reports --disable-banner --details=none
