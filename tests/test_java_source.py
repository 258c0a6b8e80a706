"""Java source handling: parsing (Java 17), stubs, insertion points, focal heuristic, edits."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from assertgen import checks
from assertgen import java_source as js
from assertgen.prompt import PLACEHOLDER
from conftest import JAVA_PROJECT, jfile


def stubs_of(source: str | bytes) -> dict[str, js.Stub]:
    return {s.name: s for s in js.find_stubs(jfile(source))[0]}


def first_statement(code: str):
    tree = js.parse(f"class A {{ void m() {{ {code} }} }}".encode())
    assert not tree.root_node.has_error, code
    body = tree.root_node.named_children[0].child_by_field_name("body").named_children[0]
    return body.child_by_field_name("body").named_children[0]


# --- parsing -------------------------------------------------------------------------------

def test_every_fixture_java_file_parses_except_the_broken_one():
    """tree-sitter-java 0.21 on tree-sitter 0.22 parses the Java 17 fixtures (record, text block,
    switch expression, var) without error; the deliberately broken file is caught at its line."""
    files = sorted(JAVA_PROJECT.rglob("*.java"))
    assert len(files) >= 10
    errors = {p.name: js.JavaFile.read(p).error_line() for p in files}
    assert errors.pop("BrokenTest.java") == 9
    assert set(errors.values()) == {None}


def test_error_line_reports_missing_nodes():
    jf = jfile("class A {\n  void m() {\n    int x = 1\n  }\n}\n")
    assert jf.error_line() == 3


@pytest.mark.parametrize("line", ['String s = "abc;', 'foo("a", "b);', 'String s = "a\\";',
                                  'String s = """\n      abc;'])
def test_error_line_of_an_unclosed_string_is_its_line_not_the_class(line):
    """tree-sitter puts the rest of the file into the string and the error at the enclosing
    class; javac (and the user) say the line of the opening quote."""
    source = ("package a;\n\npublic class T {\n  @Test\n  public void t() {\n    " + line
              + "\n    int y = 2;\n  }\n\n  @Test\n  public void u() {\n  }\n}\n")
    assert jfile(source).error_line() == 6


# --- assertions and stubs ---------------------------------------------------------------------

@pytest.mark.parametrize("code, expected", [
    ("assertEquals(1, x);", True),
    ("Assert.assertEquals(1, x);", True),
    ("org.junit.Assert.assertTrue(ok);", True),
    ("assertThat(x).isEqualTo(y);", True),
    ("assertThat(x).as(\"x\").isNotNull();", True),
    ("assertThrows(E.class, () -> f());", True),
    ("fail(\"no\");", True),
    ("foo(assertEquals(1, 2));", False),
    ("x.failover();", False),
    ("int y = assertX();", False),
    ("list.forEach(v -> assertTrue(v));", False),
])
def test_is_assertion_statement(code, expected):
    assert js.is_assertion_statement(first_statement(code)) is expected


STUBS = """\
import org.junit.Test;
class FooTest {
    @Test public void noAssertion() {
        int x = foo.bar();
    }
    @Test public void hasAssertion() {
        assertEquals(1, foo.bar());
    }
    @Test public void assertsInLambda() {
        list.forEach(v -> assertTrue(v > 0));
    }
    @Test public void verifies() {
        verify(mock).call();
    }
    @Test(expected = IllegalStateException.class) public void expectsException() {
        foo.bar();
    }
    @Test public void placeholderWithAssertion() {
        assertEquals(1, foo.bar());
        // ASSERTION PLACEHOLDER
    }
    public void notATest() {
        foo.bar();
    }
    @org.junit.jupiter.api.Test void qualifiedAnnotation() {
        foo.bar();
    }
}
"""


def test_find_stubs_applies_the_stub_definition():
    stubs, tests = js.find_stubs(jfile(STUBS))
    assert tests == 7
    assert [s.name for s in stubs] == ["noAssertion", "placeholderWithAssertion", "qualifiedAnnotation"]


def test_a_test_that_checks_through_a_helper_of_its_file_is_no_stub():
    """jsoup's CssTest checks with `check(html.select(...), "1")`, a helper of its class that
    asserts: filling it would add assertions to a test that has its checks."""
    source = """\
class FooTest {
    @Test void direct() { check(foo.bar(), 1); }
    @Test void viaThis() { this.check(foo.bar(), 1); }
    @Test void twoLevels() { checkTwice(foo.bar()); }
    @Test void viaNested() { Inner.confirm(foo.bar()); }
    @Test void nonChecking() { log(foo.bar()); }
    @Test void otherObjectsMethod() { other.check(foo.bar(), 1); }
    @Test void recursive() { ping(3); }
    private void check(int actual, int expected) { assertEquals(expected, actual); }
    private void checkTwice(int actual) { check(actual, 1); check(actual, 1); }
    private void log(int x) { System.out.println(x); }
    private void ping(int n) { if (n > 0) pong(n - 1); }
    private void pong(int n) { ping(n); }
    static class Inner { static void confirm(int x) { assertTrue(x > 0); } }
}
"""
    assert list(stubs_of(source)) == ["nonChecking", "otherObjectsMethod", "recursive"]


def test_the_method_a_test_name_names_is_the_longest_of_three_letters_or_more():
    cls = jfile("class Calc { int add(int a) { return a; } int addAll(int[] a) { return 0; } "
                "boolean is(int a) { return true; } boolean isSameSign(int a, int b) { return true; } "
                "String defaultName(String a) { return a; } int getAdd() { return 0; } }").classes()[0]
    methods = js.body_members(cls, "method_declaration")

    def named(test_name, loosely=False):
        found = js.method_named_by_test(test_name, methods, loosely)
        return None if found is None else js.text(found.child_by_field_name("name"))
    assert named("testAddAllOfThree") == "addAll"
    assert named("ADDS_ONE") == "add"
    assert named("isTrueForOne") is None   # `is` names nothing
    assert named("subtracts") is None
    # loosely (a test nothing else gives a focal method): underscores aside, accessors without is/get/has
    assert named("testDefault_Name") is None and named("testDefault_Name", loosely=True) == "defaultName"
    assert named("testSameSign") is None and named("testSameSign", loosely=True) == "isSameSign"
    assert named("testGetAddTwice", loosely=True) == "getAdd"   # the longest part named
    assert named("testDefault_Name_IsSame", loosely=True) == "defaultName"


def test_stubs_of_nested_classes_come_in_source_order():
    source = """\
class FooTest {
    @Test void first() { foo(); }
    @Nested class Inner { @Test void second() { foo(); } }
    @Test void third() { foo(); }
}
"""
    assert list(stubs_of(source)) == ["first", "second", "third"]


def test_only_the_expected_element_of_test_makes_a_test_without_assertions_a_check():
    source = """\
class FooTest {
    @Test @DisplayName("returns the expected sum") void named() { int x = foo.bar(); }
    @Test @SuppressWarnings(value = "unexpected") void suppressed() { foo.bar(); }
    @Test(timeout = 10, expected = E.class) public void expects() { foo.bar(); }
    @org.testng.annotations.Test(expectedExceptions = E.class) public void testng() { foo.bar(); }
}
"""
    assert list(stubs_of(source)) == ["named", "suppressed"]


def test_parameterized_and_repeated_tests_are_stubs_too_but_not_corpus_tests():
    source = """\
class FooTest {
    @ParameterizedTest @ValueSource(ints = {1, 2}) void param(int n) { int x = foo.bar(n); }
    @RepeatedTest(3) void repeated() { int x = foo.bar(); }
    @ParameterizedTest @ValueSource(ints = {1}) void asserted(int n) { assertEquals(n, foo.bar(n)); }
}
"""
    stubs, tests = js.find_stubs(jfile(source))
    assert [s.name for s in stubs] == ["param", "repeated"] and tests == 3
    assert js.asserted_tests(jfile(source)) == []  # the corpus has only @Test methods


def test_java_assert_statements_and_mockito_checks_are_checks():
    source = """\
class FooTest {
    @Test void javaAssert() { int x = foo.bar(); assert x > 0; }
    @Test void noInteractions() { foo.bar(); verifyNoInteractions(mock); }
    @Test void noMore() { foo.bar(); Mockito.verifyNoMoreInteractions(mock); }
    @Test void bdd() { foo.bar(); then(mock).should().call(); }
    @Test void bddNone() { foo.bar(); then(mock).shouldHaveNoInteractions(); }
    @Test void stub() { foo.bar(); when(mock.f()).then(answer); }
}
"""
    assert list(stubs_of(source)) == ["stub"]  # Mockito's when(...).then(...) only stubs a call


def test_spring_mockmvc_and_webtestclient_expectations_are_checks():
    """A Spring controller test often checks only through andExpect(...) (MockMvc) or
    expectStatus()/expectBody() (WebTestClient): it is no stub to add assertions to."""
    source = """\
class FooControllerTest {
    @Test void mvc() throws Exception { mockMvc.perform(get("/foo")).andExpect(status().isOk()); }
    @Test void mvcAll() throws Exception { mvc.perform(get("/")).andExpectAll(status().isOk()); }
    @Test void web() { client.get().uri("/foo").exchange().expectStatus().isOk(); }
    @Test void webBody() { client.get().uri("/").exchange().expectBody(String.class).isEqualTo("x"); }
    @Test void testng() { expectThrows(E.class, () -> foo.bar()); }
    @Test void easyMock() { expect(mock.f()).andReturn(1); replay(mock); foo.bar(); }
}
"""
    assert list(stubs_of(source)) == ["easyMock"]  # EasyMock's expect(...) only records a call


def test_junit3_test_methods_are_public_void_no_arg_test_methods_of_testcase_subclasses():
    source = """\
class FooTest extends junit.framework.TestCase {
    public void testOne() { foo(); }
    public void testWithArg(int x) { foo(); }
    void testNotPublic() { foo(); }
    public void helper() { foo(); }
    public int testReturns() { return 1; }
}
class Other { public void testNotInTestCase() { foo(); } }
"""
    stubs, tests = js.find_stubs(jfile(source))
    assert tests == 1 and [s.name for s in stubs] == ["testOne"]


def test_insertion_before_trailing_return_with_body_indentation():
    source = "class T {\n\t@Test\n\tvoid t() {\n\t\tint x = 1;\n\t\treturn;\n\t}\n}\n"
    stub = stubs_of(source)["t"]
    new = js.apply_edits(stub.file.source, stub.edits(["assertEquals(1, x);"]))
    assert new.decode() == source.replace("\t\treturn;", "\t\tassertEquals(1, x);\n\t\treturn;")
    assert stub.masked_test() == f"@Test\n\tvoid t() {{\n\t\tint x = 1;\n\t\t{PLACEHOLDER}\n\t\treturn;\n\t}}"


def test_insertion_before_closing_brace_keeps_crlf():
    source = "class T {\r\n    @Test\r\n    void t() {\r\n        int x = 1;\r\n    }\r\n}\r\n"
    stub = stubs_of(source)["t"]
    new = js.apply_edits(stub.file.source, stub.edits(["assertEquals(1, x);", "assertTrue(x > 0);"]))
    assert new.decode() == source.replace(
        "    }\r\n}", "        assertEquals(1, x);\r\n        assertTrue(x > 0);\r\n    }\r\n}")
    assert "\r" not in stub.masked_test()  # the model sees LF, like the corpus


def test_insertion_into_empty_and_one_line_bodies():
    source = "class T {\n  @Test void e() {}\n  @Test void one() { int x = 1; }\n}\n"
    stubs = stubs_of(source)
    new = js.apply_edits(stubs["e"].file.source, stubs["e"].edits(["fail();"]))
    assert new.decode() == "class T {\n  @Test void e() {\n    fail();\n  }\n  @Test void one() { int x = 1; }\n}\n"
    new = js.apply_edits(stubs["one"].file.source, stubs["one"].edits(["assertEquals(1, x);"]))
    assert b"@Test void one() { int x = 1;\n    assertEquals(1, x);\n  }\n}" in new


def test_a_closing_brace_after_code_goes_to_the_method_indentation():
    source = "class T {\n    @Test\n    void t() {\n        int x = 1; }\n}\n"
    stub = stubs_of(source)["t"]
    new = js.apply_edits(source.encode(), stub.edits(["assertEquals(1, x);"]))
    assert new.decode() == source.replace("= 1; }", "= 1;\n        assertEquals(1, x);\n    }")


def test_insertion_before_a_return_that_shares_its_line():
    """After the return the assertion would be unreachable (javac: compile error)."""
    source = ("class T {\n  @Test void t() { int x = 1; return; }\n"
              "  @Test void u() {\n    int y = 1; return;\n  }\n}\n")
    stubs = stubs_of(source)
    new = js.apply_edits(source.encode(), stubs["t"].edits(["assertEquals(1, x);"]))
    assert b"@Test void t() { int x = 1;\n    assertEquals(1, x);\n    return; }\n" in new
    new = js.apply_edits(source.encode(), stubs["u"].edits(["assertEquals(1, y);"]))
    assert b"    int y = 1;\n    assertEquals(1, y);\n    return;\n  }" in new


def test_insertion_before_a_trailing_throw():
    """Like a return: after the throw the assertion would be unreachable (javac: compile error)."""
    source = "class T {\n  @Test void t() {\n    int x = 1;\n    throw new IllegalStateException();\n  }\n}\n"
    stub = stubs_of(source)["t"]
    new = js.apply_edits(source.encode(), stub.edits(["assertEquals(1, x);"]))
    assert new.decode() == source.replace("    throw", "    assertEquals(1, x);\n    throw")


def test_placeholder_after_code_on_its_line_gives_lines_of_their_own():
    # the placeholder's line ends in CRLF: tree-sitter's comment node holds the CR, which stays
    source = f"class T {{\n  @Test void t() {{\n    int x = 1;  {PLACEHOLDER}\r\n  }}\n}}\n"
    stub = stubs_of(source)["t"]
    new = js.apply_edits(stub.file.source, stub.edits(["assertEquals(1, x);", "assertTrue(x > 0);"]))
    assert new.decode() == source.replace(
        f"  {PLACEHOLDER}", "\r\n    assertEquals(1, x);\r\n    assertTrue(x > 0);")
    assert "x" in checks.scope_at(stub, set()).values


def test_placeholders_one_per_assertion_or_all_at_the_first():
    source = f"class T {{\n  @Test void t() {{\n    int x = 1;\n    {PLACEHOLDER}\n    x++;\n    {PLACEHOLDER}\n  }}\n}}\n"
    stub = stubs_of(source)["t"]
    assert stub.masked_test() == source[source.index("@Test"):source.rindex("\n}")]
    two = js.apply_edits(stub.file.source, stub.edits(["assertEquals(1, x);", "assertEquals(2, x);"]))
    assert two.decode() == source.replace(PLACEHOLDER, "assertEquals(1, x);", 1).replace(
        PLACEHOLDER, "assertEquals(2, x);")
    one = js.apply_edits(stub.file.source, stub.edits(["assertEquals(1, x);"]))
    assert one.decode() == source.replace(PLACEHOLDER, "assertEquals(1, x);", 1).replace(
        f"    {PLACEHOLDER}\n", "")


@pytest.mark.parametrize("where, placeholder", [
    ("int x = f();\n    {P}", True),
    ("switch (x) {{\n      case 1:\n        {P}\n      default:\n        f();\n    }}", True),
    ("switch (x) {{\n      case 1:\n        f();\n        {P}\n    }}", True),
    # the assertion would change what the code means: the if's body, the lambda's, a member
    ("if (f() > 0)\n      {P}\n    f();", False),
    ("Runnable r = () -> {P}\n      f();", False),
    ("Object o = new Object() {{\n      {P}\n    }};", False),
    ("switch (x) {{\n      {P}\n      case 1:\n        f();\n    }}", False),
    ("switch (x) {{\n      case 1 -> f();\n      {P}\n      default -> f();\n    }}", False),
    # unreachable (javac: error)
    ("if (f() > 0) {{\n      return;\n      {P}\n    }}", False),
    ("switch (x) {{\n      case 1:\n        break;\n        {P}\n    }}", False),
])
def test_a_placeholder_counts_only_where_a_statement_may_go(where, placeholder):
    """Elsewhere it stays the comment it is, and the test is a stub as any other."""
    body = where.format(P=PLACEHOLDER)
    source = f"class T {{\n  @Test void t() {{\n    int x = 1;\n    {body}\n  }}\n}}\n"
    stub = stubs_of(source)["t"]
    assert stub.placeholder is placeholder
    new = js.apply_edits(stub.file.source, stub.edits(["assertEquals(1, x);"])).decode()
    assert (PLACEHOLDER not in new) is placeholder
    assert not js.parse(new.encode()).root_node.has_error


def test_bom_and_latin1_bytes_are_kept():
    source = b"\xef\xbb\xbfclass T {\n  // caf\xe9\n  @Test void t() {\n    int x = 1;\n  }\n}\n"
    jf = jfile(source)
    assert jf.error_line() is None and jf.encoding == "latin-1"
    stub = js.find_stubs(jf)[0][0]
    new = js.apply_edits(source, stub.edits(["assertEquals(1, x);"]))
    assert new == source.replace(b"  }\n}", b"    assertEquals(1, x);\n  }\n}")


def test_apply_edits_refuses_overlaps():
    with pytest.raises(ValueError):
        js.apply_edits(b"abcdef", [(1, 3, b"x"), (2, 4, b"y")])


# --- focal class and method ------------------------------------------------------------------------

@pytest.mark.parametrize("test_class, focal", [
    ("FooTest", "Foo"), ("FooTests", "Foo"), ("FooTestCase", "Foo"), ("TestFoo", "Foo"), ("Testing", None),
    ("FooIT", "Foo"), ("FooITCase", "Foo"), ("FooIntegrationTest", "Foo"), ("Circuit", None),  # Failsafe's names
    ("FooTestSimple", "Foo"), ("FooTestCaseJava4", "Foo"), ("FooTestable", None)])
def test_focal_class_name(test_class, focal):
    assert js.focal_class_name(test_class) == focal


def test_focal_class_names_go_on_to_shorter_camel_case_prefixes():
    assert js.focal_class_names("IOUtilsCopyTestCase") == ["IOUtilsCopy", "IOUtils"]
    assert js.focal_class_names("Base64CodecTest") == ["Base64Codec", "Base64"]
    assert js.focal_class_names("Circuit") == []


FOCAL = jfile("""\
class Foo {
    int add(int a, int b) { return a + b; }
    int add(int a, int b, int c) { return a + b + c; }
    int get() { return 0; }
    void addAll(int... xs) { }
    void reset() { }
}
""")
FOCAL_METHODS = js.class_methods(FOCAL.tree.root_node.named_children[0])


def chosen(test_name, calls):
    method = js.choose_focal_method(test_name, calls, FOCAL_METHODS)
    return None if method is None else js.text(method).split("{")[0].strip()


def test_focal_method_heuristic():
    # longest called name that appears in the test name (case-insensitive)
    assert chosen("testAddAll", [("add", 2), ("addAll", 3), ("get", 0)]) == "void addAll(int... xs)"
    assert chosen("testAdd", [("get", 0), ("add", 2), ("reset", 0)]) == "int add(int a, int b)"
    # else the only one called (calls of other classes' methods do not count)
    assert chosen("somethingElse", [("println", 1), ("get", 0), ("get", 0)]) == "int get()"
    # else the last one called
    assert chosen("somethingElse", [("get", 0), ("reset", 0), ("println", 1)]) == "void reset()"
    assert chosen("somethingElse", [("println", 1)]) is None
    # overloads by argument count
    assert chosen("testAdd", [("add", 3)]) == "int add(int a, int b, int c)"


def test_test_calls_are_in_evaluation_order_and_stop_at_the_first_assertion():
    source = f"""class FooTest {{
    @Test void t() {{
        int x = foo.add(foo.get(), 1);
        {PLACEHOLDER}
        foo.reset();
    }}
    @Test void u() {{
        foo.get();
        assertEquals(1, foo.add(1, 2));
        // ASSERTION PLACEHOLDER
    }}
}}"""
    stubs = stubs_of(source)
    assert js.test_calls(stubs["t"]) == [("get", 0), ("add", 2)]
    assert js.test_calls(stubs["u"]) == [("get", 0)]


def test_a_test_named_for_no_exception_is_no_stub_unless_it_holds_a_placeholder():
    """commons-lang's `shouldNotThrowForNonNullReference() { Validate.notNull(new Object()); }`
    checks by running to its end: filling it added assertions nobody asked for (stop 31)."""
    source = f"""class ValidateTest {{
    @Test void shouldNotThrowForNonNullReference() {{ Validate.notNull(new Object()); }}
    @Test void noExceptionWhenClosed() {{ new Res().close(); }}
    @Test void doesNotThrow_onEmpty() {{
        Validate.notEmpty("a");
        {PLACEHOLDER}
    }}
    @Test void shouldReturnTheSameInstance() {{ Validate.notNull("a"); }}
}}"""
    assert set(stubs_of(source)) == {"doesNotThrow_onEmpty", "shouldReturnTheSameInstance"}


def test_an_asserted_test_s_assertions_are_one_line_each_without_their_line_comments():
    """picocli's `new File[]{ //null, null, ... \n new File("000")}`: joined with the comment, the
    rest of the assertion was commented out and it no longer parsed (stop 31)."""
    source = """class FooTest {
    @Test void t() {
        assertArrayEquals(new int[]{ // first the old ones
                1, 2}, foo.values());  // the values
        assertEquals("http://x", foo.url());
    }
}"""
    (test,) = js.asserted_tests(jfile(source))
    assert test.assertions == ["assertArrayEquals(new int[]{ 1, 2}, foo.values());", 'assertEquals("http://x", foo.url());']


def test_creations_are_in_evaluation_order_without_anonymous_classes_and_stop_at_the_first_assertion():
    source = f"""class FooTest {{
    @Test void t() {{
        Foo foo = new Foo(new com.acme.Bar<String>(1, 2));
        Runnable r = new Runnable() {{ public void run() {{}} }};
        {PLACEHOLDER}
        new Baz();
    }}
}}"""
    stub = stubs_of(source)["t"]
    assert js.creations_before(stub.method, stub.cutoff) == [("Bar", 2), ("Foo", 1)]


# --- candidate checks -------------------------------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    # among the static imports: in sorted place where they are sorted, else after the last
    ("package p;\n\nimport static a.B.c;\nimport x.Y;\n\nclass T {}\n",
     "package p;\n\nimport static a.B.c;\nNEW\nimport x.Y;\n\nclass T {}\n"),
    ("package p;\n\nimport static a.B.c;\nimport static z.Z.z;\n\nimport x.Y;\n",
     "package p;\n\nimport static a.B.c;\nNEW\nimport static z.Z.z;\n\nimport x.Y;\n"),
    ("package p;\n\nimport static z.Z.z;\nimport static a.B.c;\n\nimport x.Y;\n",
     "package p;\n\nimport static z.Z.z;\nimport static a.B.c;\nNEW\n\nimport x.Y;\n"),
    # else a group of their own above the other imports, a blank line between
    ("package p;\n\nimport x.Y;\n\nclass T {}\n", "package p;\n\nNEW\n\nimport x.Y;\n\nclass T {}\n"),
    ("package p;\r\nimport x.Y;\r\nclass T {}\r\n", "package p;\r\nNEW\r\n\r\nimport x.Y;\r\nclass T {}\r\n"),
    # ... or below them where java.* imports come last, a group of their own (IntelliJ IDEA's layout)
    ("package p;\n\nimport x.Y;\n\nimport java.util.List;\n\nclass T {}\n",
     "package p;\n\nimport x.Y;\n\nimport java.util.List;\n\nNEW\n\nclass T {}\n"),
    # the first import shares its line with the package (javac: nothing may precede `package`)
    ("package p; import x.Y;\n\nclass T {}\n", "package p; NEW\n\nimport x.Y;\n\nclass T {}\n"),
    # a BOM stays the file's first bytes (else the edited file does not parse)
    ("\ufeffimport x.Y;\n\nclass T {}\n", "\ufeffNEW\n\nimport x.Y;\n\nclass T {}\n"),
    # no imports: after the package line (or a license header), one blank line around
    ("package p;\n\nclass T {}\n", "package p;\n\nNEW\n\nclass T {}\n"),
    ("package p;\nclass T {}\n", "package p;\n\nNEW\n\nclass T {}\n"),
    ("package p;", "package p;\n\nNEW\n"),
    ("class T {}\n", "NEW\n\nclass T {}\n"),
    ("/* License */\n\nclass T {}\n", "/* License */\n\nNEW\n\nclass T {}\n"),
    ("/** Javadoc */\nclass T {}\n", "NEW\n\n/** Javadoc */\nclass T {}\n"),
])
def test_import_edit_goes_into_the_import_block(source, expected):
    jf = jfile(source)
    edits = js.import_edits(jf, ["import static m.M.*;"])
    assert js.apply_edits(jf.source, edits).decode() == expected.replace("NEW", "import static m.M.*;")
    assert js.import_edits(jf, []) == []


@pytest.mark.parametrize("source, expected", [
    # a class's import among the other imports, in its sorted place; a static one among the statics
    ("package p;\n\nimport static a.B.c;\n\nimport a.A;\nimport x.Y;\n",
     "package p;\n\nimport static a.B.c;\nimport static m.M.*;\n\nimport a.A;\nimport m.M;\nimport x.Y;\n"),
    # after the last where they are not sorted; the statics a group of their own above
    ("package p;\n\nimport x.Y;\nimport a.A;\n\nclass T {}\n",
     "package p;\n\nimport static m.M.*;\n\nimport x.Y;\nimport a.A;\nimport m.M;\n\nclass T {}\n"),
    # no other imports: both a group of their own after the package line
    ("package p;\n\nclass T {}\n", "package p;\n\nimport m.M;\nimport static m.M.*;\n\nclass T {}\n"),
])
def test_a_class_import_goes_among_the_other_imports(source, expected):
    """`import org.junit.Assert;` for `Assert.assertEquals(...)`: with the file's class imports,
    not its static ones (both in one fill: the edits are separate insertions)."""
    jf = jfile(source)
    edits = js.import_edits(jf, ["import static m.M.*;", "import m.M;"])
    assert js.apply_edits(jf.source, edits).decode() == expected


def test_nodes_of_type_finds_what_a_walk_finds_in_the_same_order():
    """The tree-sitter query behind classes(), the calls and the placeholders sees the same
    nodes in the same order as a walk over every node: nested, local and anonymous classes,
    lambdas, calls inside calls."""
    source = b"""class Outer {
  class Inner { void f() { g(h(1)); } }
  void t() {
    class Local { int x() { return a.b().c(); } }
    Runnable r = () -> { d(e()); };
    new Object() { void y() { z(); } };
    // ASSERTION PLACEHOLDER
  }
}
enum E { A; void m() { n(); } }
"""
    root = js.parse(source).root_node
    for types in (("method_invocation",), ("class_declaration", "enum_declaration"),
                  ("line_comment",), ("expression_statement",)):
        walked = [n for n in js.walk(root) if n.type in types]
        assert walked and js.nodes_of_type(root, *types) == walked
    body = next(n for n in js.walk(root) if n.type == "block")
    assert js.nodes_of_type(body, "method_invocation") == [
        n for n in js.walk(body) if n.type == "method_invocation"]


TRAILING_STATEMENTS = [
    ("foo();", True),
    ("if (x > 0) { return; }", True),                                   # no else: may fall out
    ("if (x > 0) { return; } else { throw new IllegalStateException(); }", False),
    ("if (x > 0) return; else if (x < 0) return; else foo();", True),
    ("while (true) { foo(); }", False),
    ("while ((true)) { if (x > 0) break; }", True),                      # the break ends the loop
    ("while (true) { for (;;) { break; } }", False),                     # that break ends the inner loop
    ("while (true) { Runnable r = () -> { for (;;) { break; } }; }", False),
    ("while (x > 0) { foo(); }", True),
    ("for (;;) { foo(); }", False),
    ("for (int i = 0; i < x; i++) { return; }", True),
    ("do { foo(); } while (true);", False),
    ("do { return; } while (x > 0);", False),
    ("try { return; } catch (RuntimeException e) { foo(); }", True),
    ("try { return; } catch (RuntimeException e) { throw e; }", False),
    ("try { foo(); } finally { return; }", False),
    ("try (AutoCloseable c = open()) { return; }", False),
    ("synchronized (this) { throw new IllegalStateException(); }", False),
    ("switch (x) { case 1: return; default: throw new IllegalStateException(); }", False),
    ("switch (x) { case 1: return; default: break; }", True),
    ("switch (x) { case 1: return; case 2: throw new IllegalStateException(); }", True),  # no default
    ("switch (x) { case 1 -> { return; } default -> throw new IllegalStateException(); }", False),
    ("switch (x) { case 1 -> foo(); default -> throw new IllegalStateException(); }", True),
    ("outer: while (true) { while (true) { break outer; } }", True),
    ("outer: { return; }", False),
]


@pytest.mark.parametrize("last, completes", TRAILING_STATEMENTS)
def test_assertions_go_before_a_trailing_statement_that_cannot_complete_normally(last, completes):
    """javac rejects a statement after one that cannot complete normally (unreachable)."""
    source = f"class T {{\n  @Test void t() {{\n    int x = 1;\n    {last}\n  }}\n}}\n"
    stub = stubs_of(source)["t"]
    new = js.apply_edits(source.encode(), stub.edits(["assertEquals(1, x);"])).decode()
    if completes:
        assert new == source.replace(f"{last}\n", f"{last}\n    assertEquals(1, x);\n")
    else:
        assert new == source.replace(f"    {last}", f"    assertEquals(1, x);\n    {last}")
    assert not js.parse(new.encode()).root_node.has_error


def test_javac_accepts_assertions_placed_around_every_trailing_statement(tmp_path):
    """javac's own reachability rules are the judge: every placement compiles."""
    javac = shutil.which("javac")
    if javac is None:
        pytest.skip("SKIPPED COMPILE CHECK: no javac (apt-get install default-jdk-headless)")
    methods = "".join(f"  @Test void t{i}() throws Exception {{\n    int x = 1;\n    {last}\n  }}\n"
                      for i, (last, _) in enumerate(TRAILING_STATEMENTS))
    source = ("import java.lang.annotation.*;\n@Retention(RetentionPolicy.RUNTIME) @interface Test {}\n"
              "class T {\n  void foo() {}\n  AutoCloseable open() { return null; }\n" + methods + "}\n")
    jf = jfile(source)
    stubs, _ = js.find_stubs(jf)
    assert len(stubs) == len(TRAILING_STATEMENTS)
    edits = [e for stub in stubs for e in stub.edits(["if (x != 1) throw new AssertionError();"])]
    (tmp_path / "T.java").write_bytes(js.apply_edits(jf.source, edits))
    proc = subprocess.run([javac, "-d", str(tmp_path), "-nowarn", str(tmp_path / "T.java")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_an_override_listed_first_is_the_focal_method():
    """fill lists the focal class's own methods before its supertypes': an override wins."""
    own = jfile("class Square { double area() { return 4; } }")
    inherited = jfile("class Shape { double area() { return 0; } String describe() { return \"\"; } }")
    methods = js.class_methods(own.tree.root_node.named_children[0]) + \
        js.class_methods(inherited.tree.root_node.named_children[0])
    assert js.text(js.choose_focal_method("testArea", [("area", 0)], methods)) == "double area() { return 4; }"
    assert js.choose_focal_method("testDescribe", [("describe", 0)], methods) is methods[2]


def test_implicit_accessors_of_a_record():
    """The accessors a record does not declare, one line each (a varargs component's returns an array)."""
    jf = jfile("record Pair<T>(@NonNull T left, int right, @Deprecated final List<T>... tags) "
               "{ public int right() { return 0; } }")
    stand_in = js.implicit_accessors(jf, jf.tree.root_node.named_children[0])
    assert [js.text(m) for m in js.class_methods(stand_in.tree.root_node.named_children[0])] == [
        "public T left() { return left; }", "public List<T>[] tags() { return tags; }"]
    assert stand_in.path == jf.path
    assert js.implicit_accessors(jf, jfile("class Pair {}").tree.root_node.named_children[0]) is None


@pytest.mark.parametrize("written, placeholder", [
    ("//ASSERTION PLACEHOLDER", True), ("// assertion placeholder", True), ("/* ASSERTION PLACEHOLDER */", True),
    ("// ASSERTION  PLACEHOLDER  ", True), ("/* ASSERTION PLACEHOLDER */ x++;", False),
    ("// ASSERTION PLACEHOLDER here", False), ("// TODO ASSERTION PLACEHOLDER", False),
])
def test_placeholders_as_users_write_them(written, placeholder):
    """Variants were left in the file as comments and the test filled at its end (QA)."""
    source = f"class T {{\n  @Test void t() {{\n    int x = 1;\n    {written}\n    x--;\n  }}\n}}\n"
    stub = stubs_of(source).get("t")
    assert (stub is not None and stub.placeholder) == placeholder, written
    if placeholder:
        new = js.apply_edits(stub.file.source, stub.edits(["assertEquals(1, x);"]))
        assert new.decode() == source.replace(written, "assertEquals(1, x);")


def test_an_inserted_line_ends_as_the_line_before_it():
    """In an LF file whose method header alone ends in CRLF, the assertion took the header's CRLF."""
    source = "class T {\n  @Test void t() {\r\n    int x = 1;\n  }\n}\n"
    stub = stubs_of(source)["t"]
    new = js.apply_edits(stub.file.source, stub.edits(["assertEquals(1, x);"]))
    assert new.decode() == source.replace("    int x = 1;\n", "    int x = 1;\n    assertEquals(1, x);\n")


def test_superclass_name_is_simple_and_without_type_arguments():
    """commons-codec's `SoundexTest extends StringEncoderAbstractTest<Soundex>`: --verify judges a
    test of the abstract class by its subclasses, found by this name (a qualified type argument
    gave `T>`)."""
    tree = js.parse(b"class A extends p.Base<q.T> {} class B extends Base<T, U> {} class C extends a.b.C2 {} class D {}")
    assert [js.superclass_name(c) for c in tree.root_node.named_children] == ["Base", "Base", "C2", ""]
