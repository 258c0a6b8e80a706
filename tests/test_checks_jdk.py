"""The checks' JDK facts beyond names (QA round 7's false acceptances): the checked exceptions a
JDK method or constructor declares, the Java release that brought a class or member, and static
methods of an interface, which no instance may call."""

from __future__ import annotations

import pytest

from assertgen import checks
from assertgen import java_source as js
from assertgen.java_level import JavaLevel
from assertgen.jdk import JDK_CLASSES, JDK_PACKAGE_TYPES, is_interface, surely_not_passed_as
from conftest import jfile

USES_JDK = """\
package p;
import static org.junit.jupiter.api.Assertions.*;
import java.io.IOException;
import java.net.URI;
import java.nio.file.*;
import java.util.*;
import org.junit.jupiter.api.Test;
class PathsTest {
    @Test void t() {
        String name = "a.txt";
        Path p = Path.of(name);
        List<String> names = new ArrayList<>();
        LinkedList<String> linked = new LinkedList<>();
        // ASSERTION PLACEHOLDER
    }
}
"""


def check(statement, source=USES_JDK, classes=None, level=None):
    stub = js.find_stubs(jfile(source))[0][0]
    classes = classes or {}
    scope = checks.scope_at(stub, set(classes), classes=classes.get)
    scope.java_level = level
    return checks.check_candidate([statement], scope).reason


@pytest.mark.parametrize("statement, reason", [
    ("assertEquals(3, Files.readString(p).length());", "calls 'readString'"),
    ("assertEquals(3, java.nio.file.Files.readString(java.nio.file.Path.of(name)).length());", "calls 'readString'"),
    ("assertEquals(-1, new URI(name).getPort());", "calls 'new URI'"),
    ("assertEquals(-1, new java.net.URI(name).getPort());", "calls 'new java.net.URI'"),
    ("assertEquals(p, p.toRealPath());", "calls 'toRealPath'"),  # an instance call on a Path local
    ("assertEquals(0L, Files.size(p));", "calls 'size'"),
    ("assertEquals(p, p.getParent().toRealPath());", "calls 'toRealPath'"),  # on what a JDK method returns
    ("assertEquals(\"h\", p.toUri().toURL().getHost());", "calls 'toURL'"),
    ("assertNotNull(p.getClass().getMethod(name));", "calls 'getMethod'"),  # Object's getClass() of an interface
    # no checked exception, or one the call's lambda may throw (assertThrows' Executable)
    ("assertThrows(IOException.class, () -> Files.readString(p));", None),
    ("assertDoesNotThrow(() -> new URI(name));", None),
    ("assertEquals(-1, URI.create(name).getPort());", None),
    ("assertTrue(Files.exists(p));", None),
    ("assertEquals(p, p.toAbsolutePath());", None),
    ("assertEquals(p, p.getParent().toAbsolutePath());", None),
    ("assertEquals(name, Optional.of(name).orElseThrow(() -> new IllegalStateException()));", None),  # throws X
    ("assertEquals(1, names.size());", None),
])
def test_a_jdk_call_that_throws_a_checked_exception_the_test_does_not_declare_is_rejected(statement, reason):
    """javac: unreported exception IOException (URISyntaxException); must be caught or declared."""
    found = check(statement)
    assert found is None if reason is None else reason in (found or ""), (statement, found)


@pytest.mark.parametrize("throws, readString, uri", [
    ("Exception", True, True), ("IOException", True, False), ("java.io.IOException", True, False),
    ("NoSuchFileException", False, False),  # a subclass of IOException does not cover it
    ("IOException, java.net.URISyntaxException", True, True),
])
def test_a_test_s_throws_covers_a_jdk_call_s_exception_and_its_subclasses(throws, readString, uri):
    source = USES_JDK.replace("@Test void t()", f"@Test void t() throws {throws}")
    assert (check("assertEquals(3, Files.readString(p).length());", source) is None) == readString
    assert (check("assertEquals(-1, new URI(name).getPort());", source) is None) == uri


def test_a_catch_around_the_point_covers_a_jdk_call_s_exception():
    source = USES_JDK.replace("        // ASSERTION PLACEHOLDER\n", "        try {\n            // ASSERTION PLACEHOLDER\n"
                              "        } catch (IOException e) { }\n")
    assert check("assertEquals(3, Files.readString(p).length());", source) is None
    assert "calls 'new URI'" in check("assertEquals(-1, new URI(name).getPort());", source)


@pytest.mark.parametrize("statement, reason", [
    ("assertNotNull(new FileInputStream(file));", "calls 'new FileInputStream'"),  # (File) throws, (FileDescriptor) not
    ("assertEquals(3, name.getBytes(\"UTF-8\").length);", "calls 'getBytes'"),  # (String) throws, (Charset) not
    ("assertEquals(name, new String(new byte[0], \"UTF-8\"));", "calls 'new String'"),
    ("assertEquals(name, new String(new byte[] {1}, charset));", None),
    ("assertNotNull(new FileInputStream(FileDescriptor.in));", None),  # a field's type: not known, not judged
    ("assertEquals(3, name.getBytes(charset).length);", None),
])
def test_of_jdk_overloads_that_differ_in_what_they_throw_the_arguments_types_pick_one(statement, reason):
    """javac: unreported exception FileNotFoundException (UnsupportedEncodingException)."""
    source = USES_JDK.replace("import java.io.IOException;", "import java.io.*;\nimport java.nio.charset.Charset;") \
        .replace("        // ASSERTION", "        File file = new File(name);\n        Charset charset = null;\n        // ASSERTION")
    found = check(statement, source)
    assert found is None if reason is None else reason in (found or ""), (statement, found)


def test_a_project_class_named_as_a_jdk_class_is_the_project_s():
    """`Files` of the test's package hides java.nio.file's (an on-demand import): its readString throws nothing."""
    files = js.top_level_class(jfile("package p;\npublic class Files {\n"
                                     "    public static String readString(java.nio.file.Path p) { return \"\"; }\n}\n"), "Files")
    assert check("assertEquals(3, Files.readString(p).length());", classes={"Files": files}) is None


JAVA_17 = JavaLevel(17, "pom.xml")


@pytest.mark.parametrize("statement, level, reason", [
    ("assertEquals(1, names.getFirst().length());", JAVA_17, "List.getFirst() is Java 21; the project builds for Java 17 (pom.xml)"),
    ("assertEquals(1, Math.clamp(names.size(), 0, 3));", JAVA_17, "Math.clamp() is Java 21"),
    ("assertEquals(1, name.indexOf('b', 0, 3));", JAVA_17, "String.indexOf() of 3 argument(s) is Java 21"),
    ("assertThrows(MatchException.class, () -> names.clear());", JAVA_17, "MatchException is Java 19"),  # (a preview API there)
    ("assertTrue(java.util.HexFormat.of().formatHex(new byte[0]).isEmpty() && names.isEmpty());", JavaLevel(11, "build.gradle"),
     "HexFormat is Java 17; the project builds for Java 11 (build.gradle)"),
    ("assertEquals(names, List.of(name));", JavaLevel(8, "pom.xml"), "List.of() is Java 9"),
    ("assertTrue(names.stream().map(String::strip).count() > 0);", JavaLevel(8, "pom.xml"), "String.strip() is Java 11"),
    ("assertEquals(3, java.nio.file.Files.readString(p).length());", JavaLevel(8, "pom.xml"), "Files.readString() is Java 11"),
    # what the level has
    ("assertEquals(1, name.indexOf('b', 0));", JAVA_17, None),
    ("assertTrue(name.isBlank() && names.isEmpty());", JAVA_17, None),
    ("assertEquals(name, linked.getFirst());", JavaLevel(8, "pom.xml"), None),  # LinkedList's, since Java 6
    ("assertEquals(1, names.getFirst().length());", JavaLevel(21, "pom.xml"), None),
    ("assertEquals(1, names.getFirst().length());", None, None),  # a level that could not be read
])
def test_a_jdk_class_or_member_newer_than_the_project_s_java_level_is_rejected(statement, level, reason):
    """javac 17: cannot find symbol `getFirst()` (Java 21), `Math.clamp` (Java 21)."""
    source = USES_JDK.replace("@Test void t()", "@Test void t() throws Exception")
    found = check(statement, source, level=level)
    assert found == reason if reason is None or "project" in reason else reason in (found or ""), (statement, found)


@pytest.mark.parametrize("statement, level, reason", [
    # what a JDK method returns has the members of its type (the index says it, where overloads agree)
    ("assertEquals(1, names.stream().size());", None, "what names.stream() holds has no member 'size'"),
    ("assertEquals(2, name.split(\",\").size());", None, "what name.split(\",\") holds has no member 'size'"),
    ("assertEquals(1, name.length().intValue());", None, "name.length() is a primitive int: it has no member 'intValue'"),
    ("assertEquals(3, Integer.parseInt(name).equals(3));", None, "is a primitive int"),  # a static call's result
    ("assertEquals(0, names.clear().size());", None, "names.clear() returns void"),
    ("assertTrue(names.size());", None, "assertTrue takes a boolean, and gets int"),
    ("assertEquals(1, names.stream().count(1));", None, "no method 'count' of what names.stream() holds (Stream) takes 1"),
    ("assertEquals(1, \"abc\".lenght());", None, "what \"abc\" holds has no member 'lenght'"),
    ("assertEquals(0, new StringBuilder(name).reverse().size());", None, "holds has no member 'size'"),
    ("assertEquals(names, names.stream().toList());", JavaLevel(11, "pom.xml"), "Stream.toList() is Java 16"),
    ("assertEquals(name, name.repeat(2).indent(1));", JavaLevel(11, "pom.xml"), "String.indent() is Java 12"),
    # what compiles, or cannot be known: a type variable's (E get(int)), overloads returning others (Math.max)
    ("assertEquals(1, names.stream().count());", None, None),
    ("assertEquals(\"[]\", names.stream().toString());", None, None),  # Object's, of an interface
    ("assertEquals(2, name.split(\",\").length);", None, None),
    ("assertTrue(p.getFileName().toString().endsWith(\".txt\"));", None, None),
    # a class's type parameter is what the variable's declaration gives it (E of List<String>: String)
    ("assertEquals(0, names.get(0).anything());", None, "what names.get(0) holds has no member 'anything'"),
    ("assertTrue(counts.get(name));", None, "assertTrue takes a boolean, and gets Integer"),
    ("assertEquals(1, counts.get(name).length());", None, "what counts.get(name) holds has no member 'length'"),
    ("assertEquals(1, counts.get(name).intValue());", None, None),
    ("assertEquals(1, names.get(0).length());", None, None),
    ("assertEquals(1, this.fields.get(0).lenght());", None, "what this.fields.get(0) holds has no member 'lenght'"),
    ("assertEquals(1, anything.get(0).length());", None, None),  # List<?>: unknown
    ("assertEquals(1, raw.get(0).length());", None, None),  # a raw List: Object, but left alone
    ("assertEquals(\"1\", Math.max(names.size(), 1).toString());", None, None),
    ("assertEquals(names, names.stream().toList());", JAVA_17, None),
    ("assertTrue(name.strip().isBlank());", JavaLevel(11, "pom.xml"), None),
])
def test_what_a_jdk_method_returns_is_judged_by_its_type(statement, level, reason):
    """javac: cannot find symbol `size()` of Stream, int cannot be dereferenced, void cannot be
    dereferenced, incompatible types: int cannot be converted to boolean."""
    source = USES_JDK.replace("        // ASSERTION", "        Map<String, Integer> counts = new HashMap<>();\n"
                              "        List<?> anything = names;\n        List raw = names;\n        // ASSERTION") \
        .replace("class PathsTest {", "class PathsTest {\n    List<String> fields = new ArrayList<>();")
    found = check(statement, source, level=level)
    assert found is None if reason is None else reason in (found or ""), (statement, found)


def test_what_a_jdk_method_returns_of_a_project_method_s_generic_result_is_its_type_argument():
    """`shop.items().get(0)` of a `List<Item> items()` is an Item, as Shop's file names it."""
    shop = js.top_level_class(jfile("package p;\nimport java.util.*;\npublic class Shop {\n"
                                    "    public List<Item> items() { return null; }\n"
                                    "    public Map<String, Item> byName() { return null; }\n}\n"), "Shop")
    item = js.top_level_class(jfile("package p;\npublic class Item { public String title() { return \"\"; } }\n"), "Item")
    classes = {"Shop": shop, "Item": item, "p.Shop": shop, "p.Item": item}
    source = USES_JDK.replace("        // ASSERTION", "        Shop shop = new Shop();\n        // ASSERTION")
    for statement, reason in [
            ("assertEquals(name, shop.items().get(0).getTitle());", "what shop.items().get(0) holds has no member 'getTitle'"),
            ("assertEquals(1, shop.byName().get(name).price());", "what shop.byName().get(name) holds has no member 'price'"),
            ("assertEquals(name, shop.items().get(0).title());", None),
            ("assertEquals(1, shop.byName().get(name).title().length());", None)]:
        found = check(statement, source, classes=classes)
        assert found is None if reason is None else reason in (found or ""), (statement, found)


def test_what_compiles_though_types_seem_to_refuse_it():
    """QA round 10's false rejections: javac compiles each of these."""
    method = js.top_level_class(jfile("package p;\npublic enum Method { GET }\n"), "Method")
    record = js.top_level_class(jfile("package p;\npublic class Record { public int size() { return 0; } }\n"), "Record")
    source = USES_JDK.replace("import java.util.*;", "import java.util.*;\nimport java.util.Map.*;\nimport org.jooq.*;") \
        .replace("        // ASSERTION", "        Class<?> type = String.class;\n        Record row = null;\n"
                 "        Map<String, Double> prices = new HashMap<>();\n        Optional<String> found = Optional.empty();\n"
                 "        // ASSERTION") \
        .replace("class PathsTest {", "class PathsTest {\n    static void assertTrue(Optional<?> o) { }")
    for statement, level in [
            ("assertNotNull(type.getDeclaredMethods()[0].getName());", None),  # java.lang.reflect's Method, not p's
            ("assertEquals(2, row.size() + names.size());", JavaLevel(11, "pom.xml")),  # no java.lang.Record on 11: jOOQ's
            ("assertTrue(prices.entrySet().iterator().next() instanceof Entry);", None),  # import java.util.Map.*
            ("assertTrue(found);", None)]:  # the test class's own assertTrue(Optional<?>)
        found = check(statement, source, classes={"Method": method, "p.Method": method}, level=level)
        assert found is None, (statement, found)
    assert "'row' has no member 'size'" in check("assertEquals(2, row.size() + names.size());", source, level=JAVA_17)
    junit4 = source.replace("import static org.junit.jupiter.api.Assertions.*;", "import static org.junit.Assert.*;")
    assert check("assertNotEquals(0.0, prices.get(name));", junit4) is None  # no assertNotEquals(double, double)
    assert "ambiguous in JUnit 4" in check("assertEquals(0.0, prices.get(name));", junit4)


def test_a_class_a_wildcard_brings_comes_before_java_lang_s_of_its_name():
    """Course's file imports com.acme.mod.*, whose Module is what first() returns (QA round 10's
    LPM01: on Java 8 there is no java.lang.Module, and javac compiles it)."""
    course = js.top_level_class(jfile("package p;\nimport com.acme.mod.*;\npublic class Course {\n"
                                      "    public Module first() { return null; }\n}\n"), "Course")
    module = js.top_level_class(jfile("package com.acme.mod;\npublic class Module { public String getTitle() "
                                      "{ return \"\"; } }\n"), "Module")
    source = USES_JDK.replace("        // ASSERTION", "        Course course = new Course();\n        // ASSERTION")
    classes = {"Course": course, "p.Course": course, "com.acme.mod.Module": module}
    assert check("assertEquals(name, course.first().getTitle());", source, classes=classes) is None
    assert "no member 'getTitel'" in check("assertEquals(name, course.first().getTitel());", source, classes=classes)
    # a library's class of a java.lang name (jOOQ's Record of `import org.jooq.*;`): not judged as java.lang's
    dao = js.top_level_class(jfile("package p;\nimport org.jooq.*;\npublic class Dao {\n"
                                   "    public Record fetchOne() { return null; }\n}\n"), "Dao")
    source = USES_JDK.replace("        // ASSERTION", "        Dao dao = new Dao();\n        // ASSERTION")
    assert check("assertEquals(2, dao.fetchOne().size());", source, classes={"Dao": dao, "p.Dao": dao}) is None


def test_the_jdk_index_tells_what_methods_return():
    string, lists = JDK_CLASSES["String"], JDK_CLASSES["List"]
    assert string.returns[("trim", (0, False))] == "String" and string.returns[("split", (1, False))] == "String[]"
    assert lists.returns[("size", (0, False))] == "int" and lists.returns[("stream", (0, False))] == "Stream"
    assert lists.returns[("get", (1, False))] == "%0" and JDK_CLASSES["Map"].returns[("get", (1, False))] == "%1"
    assert ("remove", (1, False)) not in lists.returns  # E remove(int), boolean remove(Object)
    assert ("abs", (1, False)) not in JDK_CLASSES["Math"].returns  # abs(int), abs(long), ...: none of one type
    assert checks._jdk_returned("List", "stream", 0) == "java.util.stream.Stream"

    # member classes too, named through their class: Map.Entry<K, V>'s getKey() returns K
    assert JDK_CLASSES["Map.Entry"].returns[("getKey", (0, False))] == "%0"
    assert "getValue()" in JDK_CLASSES["Map.Entry"].members and "Map.Entry" in JDK_PACKAGE_TYPES["java.util"]


@pytest.mark.parametrize("imports, declared", [
    ("", "Map.Entry"), ("import java.util.Map.Entry;", "Entry"), ("import java.util.Map.*;", "Entry"),
    ("", "java.util.Map.Entry"),
])
def test_a_jdk_member_class_is_known_however_the_file_names_it(imports, declared):
    """QA round 10 (GN24): `Map.Entry<String, Item> entry` was of no known type, so `entry.getKy()`
    and `entry.getKey().getName()` passed (javac: cannot find symbol)."""
    source = USES_JDK.replace("import org.junit", imports + "\nimport org.junit").replace(
        "        // ASSERTION", f"        {declared}<String, Integer> entry = Map.entry(name, 1);\n        // ASSERTION")
    assert "has no member 'getKy'" in check("assertEquals(1, entry.getKy());", source)
    assert "entry.getKey() holds has no member 'getName'" in check("assertEquals(1, entry.getKey().getName());", source)
    assert check("assertEquals(5, entry.getKey().length() + entry.getValue());", source) is None


def test_a_library_s_class_of_a_member_class_s_name_stays_unknown():
    source = USES_JDK.replace("import org.junit", "import org.lib.*;\nimport org.junit").replace(
        "        // ASSERTION", "        Entry<String, Integer> entry = null;\n        // ASSERTION")
    assert check("assertEquals(1, entry.getKy());", source) is None  # org.lib's Entry may have it

SHAPES = {
    "Shape": "package p;\npublic interface Shape {\n    static Shape unit() { return null; }\n"
             "    static Shape of(int n) { return null; }\n    default double area() { return 0; }\n"
             "    double of();\n}\n",
    "Circle": "package p;\npublic class Circle implements Shape {\n    public static Circle unit() { return null; }\n"
              "    public double of() { return 1; }\n}\n",
}
USES_SHAPES = USES_JDK.replace('String name = "a.txt";', 'String name = "a.txt";\n        Shape shape = Shape.unit();\n'
                               '        Circle circle = new Circle();')


@pytest.mark.parametrize("statement, reason", [
    ("assertNotNull(shape.unit());", "shape.unit(...) calls a static method of the interface Shape through an instance"),
    ("assertEquals(List.of(), names.of());", "names.of(...) calls a static method of the interface List"),
    ("assertNotNull(shape.of(1));", "static method of the interface Shape"),
    ("assertEquals(0.0, shape.of(), 0.0);", None),  # of(): the instance method, beside the static of(int)
    ("assertNotNull(Shape.unit());", None),
    ("assertEquals(0.0, shape.area(), 0.0);", None),
    ("assertNotNull(circle.unit());", None),  # a class's static method through an instance: legal (a warning)
    ("assertEquals(List.of(), List.of());", None),
])
def test_a_static_interface_method_called_through_an_instance_is_rejected(statement, reason):
    """javac: illegal static interface method call."""
    classes = {name: js.top_level_class(jfile(source), name) for name, source in SHAPES.items()}
    found = check(statement, USES_SHAPES, classes=classes)
    assert found is None if reason is None else reason in (found or ""), (statement, found)


def test_the_jdk_index_tells_exceptions_releases_and_interfaces():
    uri, files, string = JDK_CLASSES["URI"], JDK_CLASSES["Files"], JDK_CLASSES["String"]
    assert uri.throws["<new>"][(1, False)] == {"URISyntaxException"} and "create" not in uri.throws
    assert files.throws["readString"][(1, False)] == {"IOException"} and "exists" not in files.throws
    assert "orElseThrow" not in JDK_CLASSES["Optional"].throws  # throws X, a type variable
    assert JDK_CLASSES["HexFormat"].release == 17 and JDK_CLASSES["List"].release == 8
    assert JDK_CLASSES["List"].release_of("getFirst()") == 21 and JDK_CLASSES["List"].release_of("size()") == 8
    assert string.release_of("indexOf()", [(3, False)]) == 21 and string.release_of("indexOf()", [(2, False), (3, False)]) == 8
    assert JDK_CLASSES["LinkedList"].release_of("getFirst()") == 8 and JDK_CLASSES["Math"].release_of("clamp()") == 21
    assert is_interface("List") and not is_interface("Object") and not is_interface("ArrayList")


@pytest.mark.parametrize("value, parameter, refused", [
    ("File", "LinkOption", True),                        # javac: File cannot be converted to LinkOption
    ("List", "ArrayList", True),                         # an interface for a class
    ("Object", "String", True),
    ("IllegalStateException", "RuntimeException", False),  # its superclass
    ("IllegalStateException", "Exception", False),
    ("File", "Object", False),
    ("File", "Comparable", False),                       # an interface it implements
    ("File", "List", True),
    ("Iterator", "Iterable", True),                      # javac: Iterator cannot be converted to Iterable
    ("ArrayList", "Iterable", False),                    # through List and Collection
    ("LinkedHashMap", "Map", False),                     # through HashMap
    ("Timestamp", "Date", False),                        # java.util.Date or java.sql.Date: not judged
    ("StringBuilder", "String", False),                  # through AbstractStringBuilder, not in the index
    ("Duration", "Mac", False),                          # javax.crypto's, outside the index
])
def test_a_jdk_type_is_passed_only_for_one_of_its_superclasses(value, parameter, refused):
    assert surely_not_passed_as(value, parameter) is refused
