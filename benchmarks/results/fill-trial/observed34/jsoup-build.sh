# jsoup's tests as Maven would run them: javac (main classes prebuilt in /tmp/jsm:
#   javac -d /tmp/jsm -cp /usr/share/java/jsr305.jar $(find .../jsoup-jsoup-1.15.3/src/main/java -name '*.java')),
# then JUnit; the test files javac rejects here for want of a jar (Jetty's servlets: fill_passes.py's
# test_files_left_out) are left out
set -e
J=/usr/share/java
CP=/tmp/jsm:$J/jsr305.jar:$J/junit-jupiter-api.jar:$J/junit-jupiter-params.jar:$J/apiguardian-api.jar:$J/opentest4j.jar
rm -rf build && mkdir -p build/test build/reports
javac -nowarn -proc:none -Xmaxerrs 10000 -encoding UTF-8 -d build/test -cp $CP \
  $(find src/test/java -name '*.java' | grep -v -e /integration/Connect -e /integration/Session -e /integration/TestServer \
      -e /integration/servlets/ -e /nodes/BuildEntities.java -e /nodes/FormElementTest.java -e /nodes/PositionTest.java)
java -jar $J/junit-platform-console-standalone.jar -cp build/test:$CP:src/test/resources --scan-classpath build/test --reports-dir build/reports --disable-banner --details=none
