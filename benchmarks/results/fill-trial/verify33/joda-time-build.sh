# joda-time's tests as Maven would run them: javac (main classes prebuilt in /tmp/jt/main), then JUnit
set -e
rm -rf build && mkdir -p build/test build/reports
javac -nowarn -proc:none -Xmaxerrs 10000 -encoding UTF-8 -d build/test -cp /tmp/jt/main:/tmp/jcm:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar $(find src/test/java -name '*.java')
java -jar /usr/share/java/junit-platform-console-standalone.jar -cp build/test:/tmp/jt/main:/tmp/jtz:/tmp/jcm:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar:src/test/resources --scan-classpath build/test --include-classname '.*' --reports-dir build/reports --disable-banner --details=none
