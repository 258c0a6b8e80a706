"""The checks of generated assertions: names visible at the insertion point, assertion
libraries and their imports, and why a candidate is rejected."""

from __future__ import annotations

import pytest

from assertgen import checks
from assertgen import java_source as js
from conftest import jfile


SCOPED = """\
package p;
import static org.junit.Assert.assertEquals;
import java.util.List;
import org.junit.Test;
class FooTest {
    private Foo foo;
    static final int LIMIT = 3;
    @Test public void t(int param) {
        int before = foo.get();
        for (int i = 0; i < 2; i++) { int inner = i; }
        try (Res res = open()) { int inTry = 1; }
        record Pair(int a, int b) {}
        // ASSERTION PLACEHOLDER
        int after = 2;
        class Later {}
    }
    private int helper() { return 1; }
}
"""


def check(*statements, source=SCOPED, extra=("Foo",)):
    stub = js.find_stubs(jfile(source))[0][0]
    return checks.check_candidate(list(statements), checks.scope_at(stub, set(extra)))


@pytest.mark.parametrize("statement", [
    "assertEquals(3, before);",
    "assertEquals(LIMIT, param);",
    "assertEquals(foo.get(), helper());",
    "assertTrue(foo.items().stream().allMatch(v -> v > before));",
    "assertEquals(List.of(1), foo.list());",
    "assertEquals(\"x\", String.valueOf(Math.abs(before)));",
    "assertThrows(IllegalStateException.class, () -> foo.get());",
    "assertNotNull(new Foo());",
    "assertTrue(foo.items().stream().map(String::valueOf).count() > 0);",
    "assertThrows(Error.class, () -> { Foo local = new Foo(); local.get(); });",
    "assertTrue(foo.items().stream().anyMatch(v -> v instanceof Integer n && n > before));",
    "assertNotNull(this.foo);",  # a field of the test, written with `this.`
    "org.junit.Assert.assertEquals(3, before);",  # an assertion library's class written out
    "assertEquals(3, this.foo.get());",
    "assertEquals(1, helper());",  # a method of the test (a helper, a factory) is the test's too
    "assertEquals(new Pair(1, before), foo.pair());",  # a local record declared before the point
    "assertEquals(1, switch (foo.status()) { case OPEN -> 1; default -> 0; });",  # an enum's constant, unqualified
])
def test_check_accepts_assertions_on_visible_names(statement):
    assert check(statement).reason is None


@pytest.mark.parametrize("statement, reason", [
    ("assertEquals(1, ;", "does not parse"),
    ("assertEquals(1, before)", "does not parse"),   # missing semicolon: a MISSING node
    ("int y = 1;", "not an assertion"),
    ("assertTrue(true); } void extra() { assertTrue(true);", "not a sequence of statements"),
    ("foo.get();", "not an assertion"),
    ('assertTrue(foo.name().matches("\\d+"));', "illegal escape character"),  # javac; tree-sitter parses it
    ("assertEquals(10000000000, foo.get());", "integer number too large"),
    ("assertEquals(1, after);", "unknown name 'after'"),      # declared after the insertion point
    ("assertEquals(1, inner);", "unknown name 'inner'"),      # declared in an inner block
    ("assertEquals(1, inTry);", "unknown name 'inTry'"),
    ("assertEquals(1, i);", "unknown name 'i'"),
    ("assertNotNull(new Later());", "unknown type 'Later'"),   # a local class declared after the insertion point
    ("assertNotNull(new ArrayList<>());", "unknown type 'ArrayList'"),
    ("assertEquals(1, compute(before));", "unknown method 'compute'"),
    ("assertIterableEquals(List.of(), foo.list());", "unknown method 'assertIterableEquals'"),  # not JUnit 4
    ("assertTrue(new Object().isEmpty());", "'Object' has no member 'isEmpty'"),
    ("assertTrue(new StringBuilder().isEmpty());", "uses nothing from the test"),
    ("assertEquals(1, Math.abs(-1));", "uses nothing from the test"),
    ("assertNotNull(this.bar);", "unknown name 'bar'"),  # the test has no field `bar`
    ("assertEquals(1, before); assertTrue(true);", "uses nothing from the test"),
    # a lambda parameter, pattern variable or lambda local may not take a local's name (javac:
    # already defined); a parameter's neither
    ("assertTrue(foo.items().stream().allMatch(before -> before > 0));", "redeclares the local 'before'"),
    ("assertTrue(foo.item() instanceof Integer param && param > 0);", "redeclares the local 'param'"),
    ("assertThrows(Error.class, () -> { int before = foo.get(); });", "redeclares the local 'before'"),
])
def test_check_rejects(statement, reason):
    assert reason in check(statement).reason


def test_check_knows_the_common_classes_of_a_wildcard_imported_jdk_package():
    wildcard = SCOPED.replace("import java.util.List;", "import java.util.*;\nimport java.math.*;")
    for statement in ("assertNotNull(new ArrayList<>(foo.list()));", "assertEquals(Arrays.asList(1), foo.list());",
                      "assertEquals(BigDecimal.ONE, foo.total());"):
        assert check(statement, source=wildcard).reason is None, statement
    assert "unknown type 'NoSuchClass'" in check("assertNotNull(new NoSuchClass(before));", source=wildcard).reason
    assert "unknown name 'Instant'" in check("assertEquals(Instant.now(), foo.t());", source=wildcard).reason


def test_a_wildcard_import_of_a_library_may_bring_what_the_source_does_not_show():
    """javac finds `CurrencyUnit` in `import org.joda.money.*;` and `MAX` in `import static
    org.lib.Limits.*;`: names no sure error; a JDK package's wildcard brings only the JDK's classes."""
    package = SCOPED.replace("import java.util.List;", "import java.util.List;\nimport org.joda.money.*;")
    assert check("assertEquals(CurrencyUnit.USD, foo.currency());", source=package).reason is None
    assert check("assertTrue(foo.money() instanceof BigMoney);", source=package).reason is None
    assert "unknown name 'Arrays'" in check("assertEquals(Arrays.asList(1), foo.list());", source=package).reason
    assert "unknown name 'limit'" in check("assertEquals(limit, foo.get());", source=package).reason
    assert "unknown method 'maxSize'" in check("assertEquals(maxSize(), foo.get());", source=package).reason
    statics = SCOPED.replace("import java.util.List;", "import java.util.List;\nimport static org.lib.Limits.*;")
    for statement in ("assertEquals(MAX, foo.get());", "assertEquals(maxSize(), foo.get());",
                      "assertEquals(Unit.ONE, foo.unit());"):
        assert check(statement, source=statics).reason is None, statement
    jdk = SCOPED.replace("import java.util.List;", "import java.util.*;\nimport static java.lang.Math.*;")
    assert "unknown name 'CurrencyUnit'" in check("assertEquals(CurrencyUnit.USD, foo.currency());", source=jdk).reason
    assert "unknown method 'maxSize'" in check("assertEquals(maxSize(), foo.get());", source=jdk).reason


def test_a_wildcard_import_of_any_jdk_package_brings_its_classes():
    """`import java.util.logging.*;` brings Level and its Formatter (not java.util's), never Arrays."""
    logging = SCOPED.replace("import java.util.List;", "import java.util.List;\nimport java.util.logging.*;")
    for statement in ("assertEquals(Level.INFO, foo.level());", "assertTrue(foo.formatter() instanceof Formatter);"):
        assert check(statement, source=logging).reason is None, statement
    assert "unknown name 'Levl'" in check("assertEquals(Levl.INFO, foo.level());", source=logging).reason
    assert "unknown name 'Arrays'" in check("assertEquals(Arrays.asList(1), foo.list());", source=logging).reason


def test_check_names_the_import_the_assertion_needs():
    assert check("assertEquals(1, before);").imports_needed == []  # already imported
    assert check("assertTrue(before > 0);").imports_needed == ["import static org.junit.Assert.*;"]
    assertj = SCOPED.replace("import java.util.List;", "import java.util.List;\nimport org.assertj.core.api.Assertions;")
    assert check("assertThat(before).isPositive();", source=assertj).imports_needed == [
        "import static org.assertj.core.api.Assertions.assertThat;"]
    junit5 = "import org.junit.jupiter.api.Test;\nclass T { @Test void t() { int x = 1; } }\n"
    assert check("assertEquals(1, x);", source=junit5).imports_needed == [
        "import static org.junit.jupiter.api.Assertions.*;"]
    junit3 = "class FooTest extends TestCase { public void testA() { int x = 1; } }\n"
    checked = check("assertEquals(1, x);", "assertTrue(x > 0);", source=junit3)
    assert checked.reason is None and checked.imports_needed == []


def test_junit3_assertions_are_the_library_s_for_the_type_checks():
    """joda-time's `assertEquals(expected, expected, expected, expected)` of ints in a TestCase
    (javac: no suitable method found): TestCase's inherited assertions are JUnit's."""
    def reason(statement, source="class FooTest extends TestCase { public void testA() { int x = 1; } }\n"):
        stub = js.find_stubs(jfile(source))[0][0]
        return checks.check_candidate([statement], checks.scope_at(stub, set(), classes=lambda name: None)).reason
    assert "four arguments takes a String message" in reason("assertEquals(x, x, x, x);")
    assert "assertTrue takes a boolean, and gets int" in reason("assertTrue(x);")
    assert reason("assertEquals(\"x\", 1.0, x, 0.1);") is None
    assert "takes the message first" in reason("assertEquals(1, x, \"x\");")   # as JUnit 4's
    own = "class FooTest extends TestCase { void assertTrue(int v) { }\n public void testA() { int x = 1; } }\n"
    assert reason("assertTrue(x);", own) is None   # the test class's own assertTrue(int)


def test_import_is_one_name_when_another_static_wildcard_could_declare_it_too():
    """Two static wildcards that both declare `fail` (AssertJ's and JUnit's) make every
    unqualified `fail(...)` of the file ambiguous (javac error); a single-name import wins."""
    source = ("import static org.assertj.core.api.Assertions.*;\nimport org.junit.Test;\n"
              "class T { @Test void t() { int x = 1; } }\n")
    assert check("assertEquals(1, x);", "assertTrue(x > 0);", source=source).imports_needed == [
        "import static org.junit.Assert.assertEquals;", "import static org.junit.Assert.assertTrue;"]
    assert check("assertThat(x).isEqualTo(1);", source=source).imports_needed == []  # AssertJ's, imported


JUNIT4_FILE = "import org.junit.Test;\nclass T { @Test public void t() { int x = 1; } }\n"


def assert_refusal(reason: str | None, refused: str | None) -> None:
    """The checks' reason is none where `refused` is None, else one that holds `refused`."""
    assert (reason is None) if refused is None else (reason is not None and refused in reason), reason


@pytest.mark.parametrize("imports, statement, refused", [
    # AssertJ's style where assertThat is (or would be imported as) JUnit 4's or Hamcrest's (mockito, stop 35)
    ("", "assertThat(x).isEqualTo(1);", "org.junit.Assert.assertThat takes 2 or 3 arguments, not 1"),
    ("import static org.junit.Assert.*;\n", "assertThat(x).isEqualTo(1);", "org.junit.Assert.assertThat"),
    ("import static org.hamcrest.MatcherAssert.assertThat;\n", "assertThat(x).isTrue();",
     "org.hamcrest.MatcherAssert.assertThat takes 2 or 3 arguments, not 1 (AssertJ's style"),
    ("", "Assert.assertThat(x).isNull();", "org.junit.Assert.assertThat takes 2 or 3 arguments, not 1"),
    ("import org.junit.Assert;\n", "Assert.assertThat(x).isNull();", "org.junit.Assert.assertThat"),
    # a matcher's style where assertThat is AssertJ's: three arguments no overload takes
    ("import static org.assertj.core.api.Assertions.assertThat;\nimport static org.hamcrest.Matchers.is;\n",
     'assertThat("x", x, is(1));', "org.assertj.core.api.Assertions.assertThat takes 1 or 2 arguments, not 3"),
    # each as its library writes it
    ("", "assertThat(x, org.hamcrest.CoreMatchers.is(1));", None),
    ("import static org.assertj.core.api.Assertions.assertThat;\n", "assertThat(x).isEqualTo(1);", None),
    ("import org.assertj.core.api.Assertions;\n", "Assertions.assertThat(x).isEqualTo(1);", None),
    # a static import of an unknown class's assertThat (the project's own) may take one argument
    ("import static com.acme.MoreAsserts.*;\n", "assertThat(x).isPositive();", None),
    # JUnit's other assertions: no overload of that many arguments (mockito, stop 35)
    ("", "assertEquals(java.util.List.of(1, x).size());", "org.junit.Assert.assertEquals takes 2 or 3 or 4 arguments, not 1"),
    ("import static org.junit.jupiter.api.Assertions.*;\n", "assertTrue(x > 0, x > 1, \"m\");",
     "org.junit.jupiter.api.Assertions.assertTrue takes 1 or 2 arguments, not 3"),
    ("import org.junit.Assert;\n", "Assert.assertNull();", "org.junit.Assert.assertNull takes 1 or 2 arguments, not 0"),
    ("import static com.acme.MoreAsserts.assertEquals;\n", "assertEquals(x);", None),
])
def test_a_library_assertion_of_no_argument_count_it_takes_is_refused(imports, statement, refused):
    reason = check(statement, source=imports + JUNIT4_FILE, extra=()).reason
    assert_refusal(reason, refused)


@pytest.mark.parametrize("statement, refused", [
    ("assertThat(String.valueOf(x)).isTrue();", "AssertJ's isTrue() asserts a boolean, and assertThat gets String"),
    ("assertThat(x).isFalse();", "AssertJ's isFalse() asserts a boolean, and assertThat gets int"),
    ("Assertions.assertThat(new Account()).isTrue();", "assertThat gets Account"),
    ("assertThat(x > 0).isTrue();", None),
    ("assertThat(new Account().open()).isTrue();", None),
    ("assertThat(String.valueOf(x)).isEqualTo(\"1\");", None),
])
def test_assertj_is_true_of_no_boolean_is_refused(statement, refused):
    account = js.top_level_class(jfile("package com.acme;\npublic class Account {\n  public boolean open() { return true; }\n}\n"),
                                 "Account")
    source = ("import static org.assertj.core.api.Assertions.assertThat;\nimport org.assertj.core.api.Assertions;\n"
              "import com.acme.Account;\n" + JUNIT4_FILE)
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], set(), classes={"Account": account}.get)
    reason = checks.check_candidate([statement], scope).reason
    assert_refusal(reason, refused)


@pytest.mark.parametrize("imports, statement, refused", [
    # mockito at stop 35: Mockito's mock is a method, no value (javac: cannot find symbol)
    ("import static org.mockito.Mockito.mock;\n", "assertTrue(mock.isVoid());", "unknown name 'mock'"),
    ("import static org.mockito.Mockito.mock;\n", "assertNotNull(mock(Foo.class).get());", None),
    ("import static org.mockito.Mockito.RETURNS_DEEP_STUBS;\n", "assertEquals(RETURNS_DEEP_STUBS, x.answer());", None),
    ("import static com.acme.Fixtures.mock;\n", "assertTrue(mock.isVoid());", None),   # unknown: may be a field
])
def test_a_static_import_of_a_library_method_is_no_value(imports, statement, refused):
    source = imports + "import org.junit.Test;\nclass T { @Test public void t() { Foo x = new Foo(); } }\n"
    reason = check(statement, source=source).reason
    assert_refusal(reason, refused)


@pytest.mark.parametrize("imports, statement, refused", [
    # fail: JUnit 4's takes a message or none, JUnit 5's a cause too; AssertJ's any count: a message
    # first in 3.14.0 (javac rejected mockito's `Assertions.fail()`, stop 35), none too since 3.26
    ("", 'fail("a", "b");', "org.junit.Assert.fail takes 0 or 1 arguments, not 2"),
    ("import static org.junit.jupiter.api.Assertions.*;\n", 'fail("a", new Error());', None),
    ("import org.assertj.core.api.Assertions;\n", "Assertions.fail();", None),
    ("import org.assertj.core.api.Assertions;\n", 'Assertions.fail("x %s %s", x, 2);', None),
])
def test_fail_of_no_argument_count_its_library_takes_is_refused(imports, statement, refused):
    source = imports + ("import org.junit.Test;\nclass T { @Test public void t() { int x = 1;\n"
                        "  try { x = Integer.parseInt(\"2\");\n  // ASSERTION PLACEHOLDER\n"
                        "  } catch (NumberFormatException e) { }\n} }\n")
    reason = check(statement, source=source, extra=()).reason
    assert_refusal(reason, refused)


def test_junit3_inherited_assertions_are_counted_too():
    junit3 = "class FooTest extends TestCase { public void testA() { int x = 1; } }\n"
    assert "junit.framework.TestCase.assertTrue takes 1 or 2 arguments, not 3" in \
        check("assertTrue(x > 0, x > 1, x > 2);", source=junit3, extra=()).reason
    own = junit3.replace("{ public", "{ void assertTrue(int a, int b, int c) { }\n public")
    assert check("assertTrue(x, x, x);", source=own, extra=()).reason is None   # the test class's own


@pytest.mark.parametrize("statement, refused", [
    # mockito at stop 35: a reused list written where `exception` is JUnit 4's ExpectedException rule
    ("assertEquals(1, exception.size());", "'exception' has no member 'size'"),
    ("assertEquals(\"t\", name.getMethodName());", None),
    ("assertNotNull(exception.toString());", None),   # Object's
    ("assertTrue(folder.getRoot().exists());", None),
    ("assertEquals(1, folder.size());", "'folder' has no member 'size'"),
])
def test_junit4_rules_have_the_members_junit_gives_them(statement, refused):
    source = ("import org.junit.Rule;\nimport org.junit.Test;\nimport org.junit.rules.ExpectedException;\n"
              "import org.junit.rules.TemporaryFolder;\nimport org.junit.rules.TestName;\n"
              "class T {\n  @Rule public ExpectedException exception = ExpectedException.none();\n"
              "  @Rule public TemporaryFolder folder = new TemporaryFolder();\n  @Rule public TestName name = new TestName();\n"
              "  @Test public void t() { int x = 1; }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], set(), classes=lambda name: None)
    reason = checks.check_candidate([statement], scope).reason
    assert_refusal(reason, refused)


def test_static_wildcards_of_mockito_and_project_classes_bring_no_assertion():
    """mockito's MocksSerializationTest: JUnit 4's Assert.*, Mockito.* and a project helper's .* all
    imported: assertThat can only be JUnit's, which takes a matcher (javac: no suitable method)."""
    util = js.top_level_class(jfile("package com.acme;\npublic class Util {\n  public static int twice(int x) { return 2 * x; }\n}\n"),
                              "Util")
    source = ("import static org.junit.Assert.*;\nimport static org.mockito.Mockito.*;\nimport static com.acme.Util.*;\n"
              + JUNIT4_FILE)
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], set(), classes={"com.acme.Util": util, "Util": util}.get)
    assert "org.junit.Assert.assertThat takes 2 or 3 arguments, not 1" in \
        checks.check_candidate(["assertThat(x).isNull();"], scope).reason
    assert checks.check_candidate(["assertEquals(2, twice(x));"], scope).reason is None
    helper = util.text.decode().replace("int twice", "Checker assertThat")   # the helper's own assertThat(x)
    util2 = js.top_level_class(jfile("package com.acme;\n" + helper + "\n"), "Util")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], set(), classes={"com.acme.Util": util2, "Util": util2}.get)
    assert checks.check_candidate(["assertThat(x).isNull();"], scope).reason is None


def test_a_field_of_a_member_class_of_the_test_base_class_has_that_class_s_members():
    """jline's reader tests extend ReaderTestSupport, whose `reader` field is its member class
    TestLineReader (a LineReaderImpl): a reused `reader.size()` was 28 of the 30 fills javac
    rejected on jline's reader module at stop 35 (cannot find symbol)."""
    impl = js.top_level_class(jfile("package com.acme;\npublic class LineReaderImpl {\n  public String readLine() { return \"\"; }\n}\n"),
                              "LineReaderImpl")
    support = js.top_level_class(jfile(
        "package com.acme.impl;\nimport com.acme.LineReaderImpl;\npublic abstract class ReaderTestSupport {\n"
        "  protected TestLineReader reader;\n"
        "  public static class TestLineReader extends LineReaderImpl { public int count() { return 0; } }\n}\n"),
        "ReaderTestSupport")
    source = ("package com.acme.impl;\nimport org.junit.Test;\nimport static org.junit.Assert.*;\n"
              "public class HistoryTest extends ReaderTestSupport { @Test public void t() { int x = 1; } }\n")
    classes = {"ReaderTestSupport": support, "com.acme.impl.ReaderTestSupport": support,
               "LineReaderImpl": impl, "com.acme.LineReaderImpl": impl}.get
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], set(), classes=classes)
    assert "'reader' has no member 'size'" in checks.check_candidate(["assertEquals(1, reader.size());"], scope).reason
    assert checks.check_candidate(["assertEquals(\"\", reader.readLine());"], scope).reason is None
    assert checks.check_candidate(["assertEquals(0, reader.count());"], scope).reason is None


def test_the_test_class_own_assert_that_of_one_argument_is_kept():
    own = JUNIT4_FILE.replace("{ @Test", "{ static Checker assertThat(int v) { return null; }\n @Test")
    assert check("assertThat(x).isPositive();", source=own, extra=()).reason is None


def test_testng_assertions_are_known_and_imported():
    testng = "import org.testng.annotations.Test;\nclass T { @Test void t() { int x = 1; } }\n"
    assert check("assertEquals(x, 1);", source=testng).imports_needed == [
        "import static org.testng.Assert.*;"]
    no_such = check("assertArrayEquals(new int[] {x}, new int[] {1});", source=testng)  # not TestNG's
    assert "assertArrayEquals" in no_such.reason
    wildcard = testng.replace("\nclass", "\nimport static org.testng.Assert.*;\nclass")
    checked = check("assertNotNull(x);", "assertEquals(x, 1);", source=wildcard)
    assert checked.reason is None and checked.imports_needed == []


def test_a_fully_qualified_test_annotation_shows_the_library_without_imports():
    junit5 = "package p;\nclass T {\n  @org.junit.jupiter.api.Test void t() { int x = 1; }\n}\n"
    checked = check("assertEquals(1, x);", source=junit5)
    assert checked.reason is None
    assert checked.imports_needed == ["import static org.junit.jupiter.api.Assertions.*;"]
    junit4 = junit5.replace("org.junit.jupiter.api.Test", "org.junit.Test")
    assert check("assertEquals(1, x);", source=junit4).imports_needed == ["import static org.junit.Assert.*;"]
    unknown = junit5.replace("org.junit.jupiter.api.Test", "Test")  # no import, no package: no library
    assert "unknown method 'assertEquals'" in check("assertEquals(1, x);", source=unknown).reason


def test_a_lambda_of_an_assertion_uses_only_effectively_final_locals():
    """javac: local variables referenced from a lambda expression must be final or
    effectively final; outside a lambda, and for fields, any assignment is fine."""
    source = """\
import org.junit.Test;
class FooTest {
    private Foo foo;
    private int count;
    @Test public void t() {
        Foo local = new Foo();
        local = new Foo();
        int n = 0;
        n++;
        count += 1;
        foo = new Foo();
        int fixed = local.get();
    }
}
"""
    for statement in ("assertThrows(Error.class, () -> local.get());",
                      "assertTrue(foo.items().stream().anyMatch(v -> v == n));"):
        assert "not effectively final" in check(statement, source=source).reason, statement
    for statement in ("assertEquals(1, local.get() + n);", "assertThrows(Error.class, () -> foo.get(fixed));",
                      "assertTrue(foo.items().stream().anyMatch(v -> v == count));"):
        assert check(statement, source=source).reason is None, statement
    # another variable of the name, in a block or loop header of its own before this one's declaration
    apart = source.replace("        int fixed = local.get();\n", "        { int v = 0; v++; }\n        for (int i = 0; i < 3; i++) { }\n"
                           "        int v = 1;\n        int i = 2;\n")
    assert check("assertThrows(Error.class, () -> foo.get(v + i));", source=apart).reason is None
    assert "'n', which is not" in check("assertThrows(Error.class, () -> foo.get(v + n));", source=apart).reason


def test_an_assertion_inside_a_lambda_uses_only_effectively_final_locals_from_outside_it():
    """The stub itself in a lambda (`Runnable check = () -> { here };`) or an anonymous class:
    javac, local variables referenced from a lambda expression must be final or effectively final."""
    source = """\
import org.junit.Test;
class FooTest {
    private int count;
    @Test public void t() {
        Foo local = new Foo();
        int n = 0;
        n++;
        Runnable check = () -> {
            int mine = 1;
            mine++;
            // ASSERTION PLACEHOLDER
        };
        Object other = new Object() {
            void run() {
                // ASSERTION PLACEHOLDER
            }
        };
    }
}
"""
    stub = js.find_stubs(jfile(source))[0][0]
    assert len(stub.spans) == 2
    for start, _ in stub.spans:
        scope = checks.scope_at(stub, {"Foo"}, at=start)
        assert "'n', which is not effectively final" in checks.check_candidate(["assertEquals(1, n);"], scope).reason
        assert checks.check_candidate(["assertEquals(1, local.get() + count);"], scope).reason is None
    lambda_scope = checks.scope_at(stub, {"Foo"})
    assert checks.check_candidate(["assertEquals(2, mine + local.get());"], lambda_scope).reason is None


def test_a_local_declared_without_a_value_is_visible_once_a_statement_assigns_it():
    """javac: variable might not have been initialized. An assignment in a try (or a branch)
    may not have run; one as a statement of an enclosing block before the point has."""
    source = """\
import org.junit.Test;
class FooTest {
    private Foo foo;
    private int shadowed;
    @Test public void t() {
        int inTry;
        try { inTry = foo.get(); } catch (RuntimeException e) { e.printStackTrace(); }
        int assigned;
        assigned = foo.get();
        int shadowed;
        // ASSERTION PLACEHOLDER
    }
}
"""
    assert check("assertEquals(1, assigned);", source=source).reason is None
    assert "unknown name 'inTry'" in check("assertEquals(1, inTry);", source=source).reason
    assert "unknown name 'shadowed'" in check("assertEquals(1, shadowed);", source=source).reason
    # a try-with-resources without catches that assigns it, as a plain try (commons-csv's
    # `records = parser.iterator();` in `try (CSVParser parser = ...) { ... }`, stop 31)
    with_resources = source.replace("try { inTry = foo.get(); } catch (RuntimeException e) { e.printStackTrace(); }",
                                    "try (Res res = foo.open()) { inTry = res.get(); }")
    assert check("assertEquals(1, inTry);", source=with_resources).reason is None


HIDING = """\
import static org.junit.Assert.assertEquals;
import org.junit.Test;
class MoneyTest {
    @Test public void t() {
        Money m = new Money(1);
        // ASSERTION PLACEHOLDER
    }
    private static void assertEquals(Money expected, Money actual) { }
    private Money money(int... cents) { return null; }
    private Money of(int euros, int cents) { return null; }
}
"""


@pytest.mark.parametrize("statement, accepted", [
    ("assertEquals(new Money(1), m);", True),
    ("assertEquals(\"cents\", new Money(1), m);", False),  # JUnit's 3-argument one is hidden
    ("assertEquals(m, money());", True), ("assertEquals(m, money(1, 2));", True),  # varargs
    ("assertEquals(m, of(1, 0));", True), ("assertEquals(m, of(1));", False),
])
def test_a_test_class_method_hides_a_static_import_of_its_name_and_takes_its_arguments(statement, accepted):
    """javac: a method of the class hides a static import of its name (`method assertEquals in
    class MoneyTest cannot be applied to given types`); arguments are counted, not typed."""
    stub = js.find_stubs(jfile(HIDING))[0][0]
    reason = checks.check_candidate([statement], checks.scope_at(stub, {"Money"}, classes={"Money": None}.get)).reason
    assert reason is None if accepted else "of the test class takes" in reason, reason


def test_a_member_of_a_new_instance_is_checked_as_one_of_its_class():
    """`new Account().idd()`, `new ArrayList<>().length`: javac, cannot find symbol; an anonymous
    class may declare more (and its method names are no names the statement uses)."""
    account = js.top_level_class(jfile("package com.acme;\npublic class Account {\n  public int id() { return 1; }\n"
                                       "  private int hidden() { return 2; }\n"
                                       "  public static class Entry { public int id() { return 3; } }\n}\n"), "Account")
    source = SCOPED.replace("import java.util.List;", "import java.util.*;\nimport com.acme.Account;")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"Foo"}, classes={"Account": account}.get)
    for statement, reason in [("assertEquals(before, new Account().id());", None),
                              ("assertEquals(before, new Account.Entry().id());", None),
                              ("assertEquals(before, new ArrayList<String>().size());", None),
                              ("assertEquals(before, new Account() { int more() { return before; } }.more());", None),
                              ("assertEquals(before, new Account().idd());", "'Account' has no member 'idd'"),
                              ("assertEquals(before, new Account.Entry().idx());", "'Account.Entry' has no member 'idx'"),
                              ("assertEquals(before, new ArrayList<String>().length);", "'ArrayList' has no member 'length'"),
                              ("assertEquals(before, new Account().hidden());", "has private access")]:
        found = checks.check_candidate([statement], scope).reason
        assert found is None if reason is None else reason in found, (statement, found)


def test_a_field_is_no_method_and_a_method_no_field():
    """`items.size`, `name.length`, `nums.length()`, `account.balance` of a method, `account.id()` of
    a field, `color.name` (Enum's is a method): javac, cannot find symbol (QA round 7, the most
    frequent slip of a model); a record's component is a private field and a public accessor."""
    account = js.top_level_class(jfile("package com.acme;\npublic class Account {\n  public int id;\n"
                                       "  public int balance() { return 1; }\n}\n"), "Account")
    color = js.top_level_class(jfile("package com.acme;\npublic enum Color { RED }\n"), "Color")
    source = SCOPED.replace("import java.util.List;", "import java.util.*;\nimport com.acme.Account;\n"
                            "import com.acme.Color;").replace(
        "int before = foo.get();", "int before = foo.get(); List<String> items = null; String name = \"a\";"
        " int[] nums = {1}; Account account = new Account(); Color color = Color.RED;")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"Foo"},
                            classes={"Account": account, "Color": color}.get)
    for statement, reason in [("assertEquals(1, items.size());", None), ("assertEquals(1, name.length());", None),
                              ("assertEquals(1, nums.length);", None), ("assertEquals(1, account.balance());", None),
                              ("assertEquals(1, account.id);", None), ('assertEquals("RED", color.name());', None),
                              ("assertEquals(1, nums.clone().length);", None),
                              ("assertEquals(1, items.size);", "'items' has no member 'size' (it has a method size(): call it)"),
                              ("assertEquals(1, name.length);", "'name' has no member 'length' (it has a method"),
                              ("assertEquals(1, nums.length());", "'nums' has no member 'length' (it has a field length, no method)"),
                              ("assertEquals(1, account.balance);", "'account' has no member 'balance' (it has a method"),
                              ("assertEquals(1, account.id());", "'account' has no member 'id' (it has a field"),
                              ('assertEquals("RED", color.name);', "'color' has no member 'name'"),
                              ("assertEquals(1, items.size(0));", "no method 'size' of 'items' takes 1 argument(s)"),
                              ("assertEquals('a', name.charAt());", "no method 'charAt' of 'name' takes 0"),
                              ('assertEquals(name, String.format("a%d", before));', None),  # varargs
                              ('assertEquals(before, Integer.parseInt(name, 10));', None),
                              ("assertEquals(1, Integer.parseInt());", "no method 'parseInt' of 'Integer' takes 0")]:
        found = checks.check_candidate([statement], scope).reason
        assert found is None if reason is None else reason in (found or ""), (statement, found)


CREATED = {
    "Account": "package com.acme;\npublic class Account {\n  public Account(String id, int balance) { }\n"
               "  private Account() { }\n  public int deposit(int amount) { return amount; }\n"
               "  public int deposit(int amount, String note) { return amount; }\n"
               "  public String sum(int... xs) { return null; }\n  public boolean equals(Object o, int x) { return false; }\n}\n",
    "Shape": "package com.acme;\npublic interface Shape { double area(); }\n",
    "AbstractShape": "package com.acme;\npublic abstract class AbstractShape implements Shape { }\n",
    "Color": "package com.acme;\npublic enum Color { RED }\n",
    "Duo": "package com.acme;\npublic record Duo(int a, int b) { public Duo(int a) { this(a, 0); } }\n",
    "Plain": "package com.acme;\npublic class Plain { }\n",
    "Widget": "package com.acme.ui;\npublic class Widget { protected Widget() { } }\n",
    "Built": "package com.acme;\n@lombok.AllArgsConstructor\npublic class Built { private int x; }\n",
}


@pytest.mark.parametrize("expression, reason", [
    ('new Account("a", 1)', None), ("new Duo(1, 2)", None), ("new Duo(1)", None), ("new Plain()", None),
    ("new Built(1)", None), ("new Shape() { public double area() { return 1; } }", None),
    ("account.deposit(1)", None), ('account.deposit(1, "x")', None), ("account.sum()", None), ("account.sum(1, 2, 3)", None),
    ("account.equals(account)", None),  # Object's equals(Object) beside the class's own equals(Object, int)
    ("duo.a()", None),  # a record's accessor, which the source does not show
    ('new Account("a", 1, 2)', "no constructor takes 3 argument(s)"), ("new Duo()", "no constructor takes 0"),
    ("new Plain(1)", "no constructor takes 1"), ("new Account()", "has private access"),
    ("new Widget()", "has protected access"), ("new Shape()", "Shape is an interface"),
    ("new AbstractShape()", "AbstractShape is abstract"), ("new Color()", "Color is an enum"),
    ("account.deposit()", "no method 'deposit' of 'account' takes 0 argument(s)"),
    ('account.deposit(1, "x", 2)', "takes 3 argument(s)"),
])
def test_constructors_and_methods_of_project_classes_take_their_argument_counts(expression, reason):
    """javac: constructor ... cannot be applied to given types, has private access, is abstract,
    cannot be instantiated; method ... cannot be applied to given types (QA round 7)."""
    classes = {name: js.top_level_class(jfile(source), name) for name, source in CREATED.items()}
    source = SCOPED.replace("import java.util.List;", "import java.util.List;\nimport com.acme.ui.Widget;").replace(
        "int before = foo.get();", "int before = foo.get(); Account account = null; Duo duo = null;")
    scope = checks.scope_at(js.find_stubs(jfile("package com.acme;\n" + source.replace("package p;\n", "")))[0][0],
                            {"Foo", *CREATED}, classes=classes.get)
    found = checks.check_candidate([f"assertNotNull({expression});"], scope).reason
    assert found is None if reason is None else reason in (found or ""), (expression, found)


def test_a_class_name_reaches_only_static_members():
    """`Account.id()` of an instance method, `Integer.intValue()`: javac, non-static method cannot be
    referenced from a static context; static methods and fields, enum constants and `values()`,
    member classes, and what a JDK supertype gives statically are fine."""
    account = js.top_level_class(jfile("package com.acme;\npublic class Account extends Exception {\n"
                                       "  public static final int LIMIT = 3;\n  public int id() { return 1; }\n"
                                       "  public static Account of(int id) { return null; }\n"
                                       "  public static class Entry {}\n}\n"), "Account")
    color = js.top_level_class(jfile("package com.acme;\npublic enum Color { RED; public int rgb() { return 0; } }\n"),
                               "Color")
    source = SCOPED.replace("import java.util.List;", "import java.util.*;\nimport com.acme.Account;\n"
                            "import com.acme.Color;")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"Foo"},
                            classes={"Account": account, "Color": color}.get)
    for statement, reason in [("assertEquals(before, Account.of(1).id());", None),
                              ("assertEquals(before, Account.LIMIT);", None),
                              ("assertNotNull(new Account.Entry());", None),
                              ("assertEquals(Color.RED, Color.valueOf(\"RED\"));", None),
                              ("assertEquals(1, Color.values().length);", None),
                              ("assertEquals(\"1\", String.valueOf(before));", None),
                              ("assertEquals(List.of(before), Collections.singletonList(before));", None),
                              ("assertNotNull(Map.Entry.comparingByKey());", None),
                              ("assertEquals(before, Account.id());", "Account.id is no static member"),
                              ("assertEquals(before, Color.rgb());", "Color.rgb is no static member"),
                              ("assertNull(Account.getMessage());", "Account.getMessage is no static member"),
                              ("assertEquals(before, Integer.intValue());", "Integer.intValue is no static member"),
                              ("assertEquals(0, List.size());", "List.size is no static member")]:
        found = checks.check_candidate([statement], scope).reason
        assert found is None if reason is None else reason in (found or ""), (statement, found)


def test_a_static_wildcard_import_of_a_jdk_class_brings_only_its_static_members():
    """`import static java.util.concurrent.TimeUnit.*;` then `toMillis(1)`: javac, cannot find symbol."""
    source = SCOPED.replace("import java.util.List;", "import java.util.List;\n"
                            "import static java.util.concurrent.TimeUnit.*;")
    assert check("assertEquals(1000L, SECONDS.toMillis(before));", source=source).reason is None
    assert "unknown method 'toMillis'" in check("assertEquals(1000L, toMillis(before));", source=source).reason


def test_a_call_finds_the_innermost_class_with_a_method_of_its_name():
    """javac (JLS 15.12.1): a nested test class's `check(int)` hides the outer class's
    `check(int, int)`: `check(1, 2)` there cannot be applied. Each stub of the file gets its
    own classes' methods (they are worked out once per file)."""
    source = """\
import static org.junit.Assert.assertEquals;
import org.junit.Test;
class OuterTest {
    int check(int a, int b) { return a + b; }
    @Test public void outer() {
        int n = 1;
        // ASSERTION PLACEHOLDER
    }
    class Inner {
        int check(int a) { return a; }
        @Test public void inner() {
            int n = 1;
            // ASSERTION PLACEHOLDER
        }
    }
}
"""
    outer, inner = js.find_stubs(jfile(source))[0]
    for stub, accepted, rejected in [(outer, "assertEquals(n, check(1, 0));", "assertEquals(n, check(1));"),
                                     (inner, "assertEquals(n, check(1));", "assertEquals(n, check(1, 0));")]:
        scope = checks.scope_at(stub, set(), classes=lambda name: None)
        assert checks.check_candidate([accepted], scope).reason is None, accepted
        assert "of the test class takes" in checks.check_candidate([rejected], scope).reason, rejected


def test_a_test_class_with_a_library_base_class_may_inherit_more_overloads():
    source = HIDING.replace("class MoneyTest {", "class MoneyTest extends org.lib.MoneyAssertions {")
    stub = js.find_stubs(jfile(source))[0][0]
    scope = checks.scope_at(stub, {"Money"}, classes={"Money": None}.get)
    assert checks.check_candidate(["assertEquals(\"cents\", new Money(1), m);"], scope).reason is None


FOCAL = """\
package p;
public record Point(int x, int y) implements Comparable<Point> {
    public static final Point ORIGIN = new Point(0, 0);
    public Point translate(int dx, int dy) { return new Point(x + dx, y + dy); }
    public int compareTo(Point o) { return Integer.compare(x, o.x); }
    public static Point parse(String s) throws java.io.IOException { return ORIGIN; }
    public Point checked(int n) throws IllegalArgumentException { return this; }
    enum Axis { X, Y }
}
"""
USES_FOCAL = """\
package p;  // Point's: its package-private Axis is visible
import java.time.*;
import java.util.*;
import java.util.stream.*;
import org.antlr.v4.runtime.IntStream;
import org.junit.Test;
class PointTest {
    private Point field = new Point(1, 1);
    @Test public void t() {
        Point p = new Point(1, 2);
        var q = new Point(3, 4);
        String x = "reused name";
        String text = p.toString();
        int count = p.x();
        String[] parts = text.split(",");
        // ASSERTION PLACEHOLDER
    }
    void other(int x) { }
}
"""


def check_focal(statement, source=USES_FOCAL, focal=FOCAL):
    stub = js.find_stubs(jfile(source))[0][0]
    cls = js.top_level_class(jfile(focal), "Point")
    scope = checks.scope_at(stub, {"Point"}, focal=cls, classes={"Point": cls}.get)
    return checks.check_candidate([statement], scope)


@pytest.mark.parametrize("statement", [
    "assertEquals(1, p.x());", "assertEquals(p, q.translate(-2, -2));", "assertEquals(Point.ORIGIN, field);",
    "assertEquals(0, p.compareTo(q));", "assertTrue(p.equals(field));", "assertNotNull(Point.Axis.X);",
    "assertEquals(p, p.checked(1));",  # declares an unchecked exception only
    "assertThrows(Exception.class, () -> Point.parse(x));",  # in a lambda: assertThrows takes it
    "assertEquals(1, x.length());",  # `x` is also an int elsewhere: its type is unsure
    "assertTrue(text.strip().isEmpty());", "assertEquals(text, String.valueOf(p));",
    "assertEquals(count, parts.length);",
    "assertTrue(count < Integer.MAX_VALUE);", "assertEquals(text, x.toUpperCase(Locale.ROOT));",
    "assertEquals(Optional.empty(), Optional.ofNullable(field));",
    "assertEquals(IntStream.EOF, count);",  # ANTLR's IntStream (imported by name), not java.util.stream's
    # constants of the listed JDK classes beyond the common ones (checked against the JDK by reflection)
    "assertEquals(Calendar.JANUARY, count + Calendar.YEAR);", "assertTrue(count < Thread.MAX_PRIORITY);",
    "assertEquals(Character.UPPERCASE_LETTER, Character.getType(count));",
    "assertNotEquals(OffsetDateTime.MIN, field);",
])
def test_check_accepts_members_a_project_class_has(statement):
    assert check_focal(statement).reason is None


@pytest.mark.parametrize("statement, reason", [
    ("assertEquals(1, p.size());", "'p' has no member 'size'"),
    ("assertEquals(1, q.getX());", "'q' has no member 'getX'"),       # `var q = new Point(...)`
    ("assertEquals(1, field.z);", "'field' has no member 'z'"),
    ("assertEquals(Point.BLUE, p);", "'Point' has no member 'BLUE'"),
    ("assertEquals(1, text.size());", "'text' has no member 'size'"),
    ("assertEquals(1, count.size());", "'count' has no member 'size'"),   # an int
    ("assertEquals(1, parts.size());", "'parts' has no member 'size'"),   # an array
    ("assertEquals(text, String.of(1));", "'String' has no member 'of'"),
    ("assertEquals(Optional.BLUE, p);", "'Optional' has no member 'BLUE'"),   # a reused Color.BLUE renamed
    ("assertEquals(Integer.MAX_VALU, count);", "'Integer' has no member 'MAX_VALU'"),
    ("assertEquals(p, Point.parse(x));", "calls 'parse', which throws a checked exception"),
])
def test_check_rejects_members_a_project_class_does_not_have(statement, reason):
    assert reason in check_focal(statement).reason


TYPED = """\
package p;
import org.lib.Report;
public class Shop {
    public int fee = 1;
    public Item[] items = {};
    public Item first;
    public static class Limits { public static final int MAX = 3; public static final Item NONE = null; }
    public int size() { return 0; }
    public Long total() { return 0L; }
    public int legacy()[] { return null; }
    public double[] rates() { return null; }
    public boolean isOpen() { return true; }
    public Item item(int i) { return items[i]; }
    public boolean has(Item item) { return true; }
    public boolean recover(Exception problem) { return true; }
    public boolean visit(Iterable<String> names) { return true; }
    public boolean report(Report report) { return true; }
    public void log(String... parts) { }
    public void close() { }
    public void close(boolean force) { }
}
class Item {
    public String name() { return ""; } public Shop shop() { return null; }
    public Ready ready() { return null; } public Remote remote() { return null; }
}
class Ready implements java.util.function.BooleanSupplier { public boolean getAsBoolean() { return true; } }
class Remote extends org.lib.Base { public Remote self() { return this; } }
abstract class Node implements Cloneable { public String html() { return ""; } }
class Element extends Node { public String text() { return ""; } }
class Doc extends Element { public Element body() { return this; } }
class Elements extends java.util.ArrayList<Element> { public Element first() { return get(0); } }
class Feed extends java.io.FilterInputStream { Feed() { super(null); } public int available(boolean all, int max) { return 0; } }
"""
USES_TYPED = USES_FOCAL.replace("void other(int x) { }", "void other(int x) { }\n    String label() { return \"\"; }\n"
                                "    <T> T make() { return null; }\n    void assertLines(List<String> lines) { }").replace(
    "Point p = new Point(1, 2);", "Shop shop = new Shop();\n        Item[] arr = shop.items;"
                                "\n        Doc doc = new Doc();\n        Remote remote = new Remote();\n        Elements els = new Elements();"
                                "\n        Feed feed = new Feed();\n        Duration wait = Duration.ZERO;\n        Object any = shop;"
                                "\n        RuntimeException oops = new IllegalStateException();\n        List<String> names = null;")


def check_typed(statement, source=USES_TYPED):
    stub = js.find_stubs(jfile(source))[0][0]
    found = {js.class_name(c): c for c in js.parse(TYPED.encode()).root_node.named_children if c.type in js.CLASS_TYPES}
    scope = checks.scope_at(stub, {"Shop", "Item"}, classes=found.get)
    return checks.check_candidate([statement], scope).reason


@pytest.mark.parametrize("statement, reason", [
    # javac: int cannot be dereferenced; cannot find symbol (an array's element, a field, a chain)
    ("assertEquals(1, shop.fee.length);", "shop.fee is a primitive int: it has no member 'length'"),
    ("assertEquals(1, Shop.Limits.MAX.length);", "Shop.Limits.MAX is a primitive int"),
    ("assertEquals(1, shop.first.shop().size().intValue());", "shop.first.shop().size() is a primitive int"),
    ("assertEquals(\"n\", arr[0].getName());", "what arr[0] holds has no member 'getName'"),
    ("assertEquals(\"n\", shop.items[0].nme());", "what shop.items[0] holds has no member 'nme'"),
    ("assertEquals(\"n\", shop.first.shop().item(0).nme());", "has no member 'nme'"),
    ("assertEquals(1, shop.items.size());", "what shop.items holds has no member 'size'"),
    ("assertEquals(1, ((Item) field).size());", "has no member 'size'"),
    # through a class whose supertypes are the project's (jsoup's Document extends Element extends Node)
    ("assertEquals(\"n\", doc.body().clean());", "what doc.body(...) returns has no member 'clean'"),
    ("assertEquals(\"n\", doc.html().clean());", "has no member 'clean'"),   # html() inherited from Node
    ("assertEquals(\"n\", els.first().query());", "what els.first(...) returns has no member 'query'"),
    # javac: no suitable method found for text(int) (jsoup's `con.request().cookie()` of a cookie(String))
    ("assertEquals(\"n\", doc.body().text(1));", "no method 'text' of what doc.body(...) returns takes 1 argument(s)"),
    # javac: method available in class FilterInputStream cannot be applied (commons-codec's Base16InputStreamTest)
    ("assertEquals(6, feed.available(6));", "no method 'available' of 'feed' takes 1 argument(s)"),
    # javac: incompatible types: int cannot be converted to boolean
    ("assertTrue(shop.size());", "assertTrue takes a boolean, and gets int"),
    ("assertFalse(\"open\", shop.fee);", "assertFalse takes a boolean, and gets String, int"),
    ("assertTrue(arr[0].name());", "gets String"),
    ("assertTrue(shop.items.length);", "gets int"),
    ("assertTrue(shop.isOpen(), \"open\");", "JUnit 4's assertTrue takes the message first"),
    # javac: no suitable method found for assertArrayEquals(int,int) (commons-codec's MurmurHash3Test)
    ("assertArrayEquals(shop.fee, shop.size());", "assertArrayEquals compares arrays, and gets int, int"),
    ("assertArrayEquals(shop.fee, shop.items);", "assertArrayEquals compares arrays, and gets int"),
    ("assertArrayEquals(shop.items, shop.items, shop.isOpen());", "assertArrayEquals compares arrays, and gets boolean"),
    # javac: no suitable method found for assertArrayEquals(String,char[]) (commons-codec, run at stop 33)
    ("assertArrayEquals(label(), shop.items);", "assertArrayEquals compares two arrays, and gets a String"),
    ("assertArrayEquals(shop.items, arr[0].shop());", "assertArrayEquals compares two arrays, and gets a Shop"),
    # javac: no suitable method found for assertEquals(int,int,int,int) (joda-time's TestLocalDate_Basics)
    ("assertEquals(count, count, count, count);", "assertEquals of four arguments takes a String message first or last"),
    # javac: 'void' type not allowed here (jsoup's `assertNotNull(this.unwrap())` of its void test unwrap())
    ("assertNotNull(this.other(1));", "this.other(1) returns nothing (void): it is no argument"),
    ("assertNotNull(other(1));", "other(1) returns nothing (void)"),
    ("assertTrue(this.label());", "assertTrue takes a boolean, and gets String"),
    # javac: incompatible types: char cannot be converted to String (jsoup's `StringUtil.isNumeric('\\t')`)
    ("assertNotNull(shop.item(\"0\"));", "no item(...) of Shop takes (String)"),
    ("assertNotNull(shop.item(true));", "no item(...) of Shop takes (boolean)"),
    # javac: incompatible types: <null> cannot be converted to int
    ("assertNotNull(shop.item(null));", "no item(...) of Shop takes (null)"),
    ("assertTrue(arr[0].shop());", "gets Shop"),  # a project class whose supertypes are known, no BooleanSupplier
    # javac: incompatible types: File cannot be converted to int (commons-exec's `exec.isFailure(errorTestScript)`)
    ("assertNotNull(shop.item(wait));", "no item(...) of Shop takes (Duration)"),
    ("assertNotNull(shop.item(any));", "no item(...) of Shop takes (Object)"),   # (only the boxes unbox)
    ("assertTrue(shop.has(wait));", "no has(...) of Shop takes (Duration)"),     # no JDK class is a project class
    # javac: incompatible types: File cannot be converted to LinkOption (commons-io's `isDirectory(dir, file)`)
    ("assertTrue(shop.recover(wait));", "no recover(...) of Shop takes (Duration)"),  # a JDK class it does not extend
    ("assertTrue(shop.recover(any));", "no recover(...) of Shop takes (Object)"),
    ("assertTrue(shop.recover(names));", "no recover(...) of Shop takes (List)"),     # an interface for a class
    ("assertTrue(shop.visit(wait));", "no visit(...) of Shop takes (Duration)"),     # not of the interface
    # javac: incompatible types: File cannot be converted to List<String> (commons-io's `assertLines(temporaryFolder, iterator)`)
    ("assertLines(wait);", "no assertLines(...) of the test class takes (Duration)"),
    # javac: incompatible types: String cannot be converted to Result (mockito's `assertThat(mock.simpleMethod(1))`
    # of a statically imported assertThat(org.junit.runner.Result)): no JDK type is of a library's class
    ("assertTrue(shop.report(\"x\"));", "no report(...) of Shop takes (String)"),
    ("assertTrue(shop.report(wait));", "no report(...) of Shop takes (Duration)"),
    # javac: incompatible types: MutableDateTime cannot be converted to int (joda-time's `MONTHS[mdt]`)
    ("assertEquals(\"n\", arr[shop].name());", "an array index is an int, and shop is a Shop"),
    ("assertEquals(\"n\", arr[shop.total()].name());", "an array index is an int, and shop.total() is a Long"),
    ("assertEquals(\"n\", arr[\"0\"].name());", "is a String"),
    # javac: no suitable method found for assertThrows(Class<...>, shop::item): an Executable takes none
    ("assertThrows(IllegalStateException.class, shop::item);", "shop::item takes arguments"),
    # javac: reference to assertDoesNotThrow is ambiguous (an Executable's and a ThrowingSupplier's both fit)
    ("assertDoesNotThrow(shop::close);", "shop::close names an overloaded or varargs method"),
    ("assertDoesNotThrow(shop::log);", "shop::log names an overloaded or varargs method"),
    # javac: reference to assertEquals is ambiguous (JUnit 4's (long, long) and (Object, Object))
    ("assertEquals(3, shop.total());", "assertEquals of a int and a Long is ambiguous in JUnit 4"),
    ("assertEquals(\"total\", shop.total(), shop.fee);", "ambiguous in JUnit 4"),
])
def test_types_the_source_shows_for_sure_are_checked(statement, reason):
    assert reason in (check_typed(statement) or "accepted")


def test_a_statically_imported_project_method_s_arguments_are_checked():
    """mockito's `import static org.mockitoutil.JUnitResultAssert.assertThat;`, and a fill's
    `assertThat(mock.simpleMethod(1))` of a String (javac: String cannot be converted to Result)."""
    helper = js.top_level_class(jfile("package p;\nimport org.junit.runner.Result;\npublic class ResultAssert {\n"
                                      "    public static void assertPassed(Result result) { }\n}\n"), "ResultAssert")
    source = USES_TYPED.replace("import org.junit.Test;", "import org.junit.Test;\nimport static p.ResultAssert.assertPassed;")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"ResultAssert"},
                            classes={"p.ResultAssert": helper, "ResultAssert": helper}.get)
    assert "no assertPassed(...) of ResultAssert takes (String)" in checks.check_candidate(['assertPassed("1");'], scope).reason
    assert checks.check_candidate(["assertPassed(null);"], scope).reason is None
    # a library base class may declare an assertPassed of its own, which hides the import
    inheriting = source.replace("class PointTest {", "class PointTest extends org.lib.Base {")
    scope = checks.scope_at(js.find_stubs(jfile(inheriting))[0][0], {"ResultAssert"},
                            classes={"p.ResultAssert": helper, "ResultAssert": helper}.get)
    assert checks.check_candidate(['assertPassed("1");'], scope).reason is None


@pytest.mark.parametrize("statement", [
    "assertEquals(\"n\", doc.body().text());",
    "assertEquals(\"n\", doc.body().html());",        # Element inherits html() from Node
    "assertNotNull(remote.self().anything());",        # a library supertype may declare anything
    "assertEquals(1, els.get(0).text().length());",     # ArrayList's get(int): the JDK index's
    "assertEquals(6, feed.available());",               # FilterInputStream's available()
    "assertNotNull(this.make());",                      # a type variable: not judged
    "assertNotNull(shop.item('a'));",                   # a char widens to item(int)'s int
    "assertEquals(\"fee\", 1.0, shop.fee, 0.1);",          # a delta comparison, JUnit 4's message first
    "assertNotNull(shop.item(Integer.valueOf(1)));",    # not a literal type: not judged
    "assertNotNull(shop.item(arr.length));",
    "assertTrue(shop.has(null));",
    "assertTrue(shop.recover(oops));",                  # a RuntimeException is an Exception
    "assertTrue(shop.visit(names));",                   # a List is an Iterable
    "assertLines(names);",
    "assertTrue(shop.report(null));",
    "assertTrue(shop.report(remote.self()));",          # a library's class: its supertypes are unknown
    "assertEquals(\"n\", arr[count].name());",
    "assertEquals(\"n\", arr['a'].name());",            # a char promotes to an int
    "assertEquals(\"n\", arr[arr.length - 1].name());",
    "assertTrue(shop.has(arr[0]) && wait.isZero());",
    "assertTrue(shop.has(arr[0]));",
    "assertEquals(\"n\", label());",
    "assertEquals(6, feed.available(true, 6));",        # Feed's own available(boolean, int)
    "assertArrayEquals(shop.rates(), shop.rates(), 0.5);",   # a delta is no scalar compared
    "assertArrayEquals(shop.rates(), shop.rates(), 0);",     # an int delta widens to a double (commons-math)
    "assertArrayEquals(shop.items, null);",
])
def test_members_of_what_inherited_and_library_backed_methods_return_are_accepted(statement):
    assert check_typed(statement) is None


def test_an_override_is_no_overload_for_assertDoesNotThrow():
    """`svc::stop` of a Svc that overrides Base's stop(): one method, no ambiguity (javac compiles it)."""
    source = ("package p;\nclass Base { public void stop() { } public void pause() { } }\n"
              "public class Svc extends Base { @Override public void stop() { } public void pause(int n) { } }\n")
    found = {js.class_name(c): c for c in js.parse(source.encode()).root_node.named_children if c.type in js.CLASS_TYPES}
    test = USES_FOCAL.replace("Point p = new Point(1, 2);", "Svc svc = new Svc();") \
        .replace("import org.junit.Test;", "import org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.*;")
    scope = checks.scope_at(js.find_stubs(jfile(test))[0][0], {"Svc", "Base"}, classes=found.get)
    assert checks.check_candidate(["assertDoesNotThrow(svc::stop);"], scope).reason is None
    assert "overloaded" in checks.check_candidate(["assertDoesNotThrow(svc::pause);"], scope).reason


@pytest.mark.parametrize("statement", [
    "assertEquals(\"n\", arr[0].name());", "assertEquals(2, shop.items.length + shop.fee);",
    "assertSame(shop, shop.first.shop().item(0).shop());", "assertEquals(3, Shop.Limits.MAX);",
    "assertNull(Shop.Limits.NONE.shop());", "assertTrue(shop.isOpen());", "assertFalse(\"open\", shop.isOpen());",
    "assertTrue(count > 0);",
    "assertThrows(IllegalStateException.class, shop::size);", "assertNotNull(new Thread(shop::item));",
    "assertThrows(IllegalStateException.class, shop::close);",
    "assertTrue(arr[0].ready());",  # a project class that is a BooleanSupplier
    "assertFalse(arr[0].remote());",  # one of a library's class: it may be one
    "assertTrue(field.x() > 0);",  # a field of the test file's own type: members unknown here
    "assertEquals(1, shop.legacy().length);",  # `int legacy()[]` returns an array
])
def test_types_the_source_shows_accept_what_fits(statement):
    assert check_typed(statement) is None


def test_a_primitive_beside_a_boxed_number_is_ambiguous_in_junit_4_only():
    for statement in ("assertEquals(3L, shop.total().longValue());", "assertEquals((Long) 3L, shop.total());",
                      "assertEquals(3, shop.size());", "assertEquals(0.5, shop.fee, 0.1);"):
        assert check_typed(statement) is None, statement
    # JUnit 5 has assertEquals(long, Long); a test class's own assertEquals hides JUnit's
    junit5 = USES_TYPED.replace("import org.junit.Test;", "import org.junit.jupiter.api.Test;")
    own = USES_TYPED.replace("    void other(int x) { }", "    void assertEquals(long a, Object b) { }")
    for source in (junit5, own):
        assert check_typed("assertEquals(3, shop.total());", source=source) is None


def test_members_of_a_class_that_may_inherit_others_and_calls_in_a_test_that_throws_are_not_checked():
    inherits = FOCAL.replace("implements Comparable<Point>", "implements Shape")
    assert check_focal("assertEquals(1, p.size());", focal=inherits).reason is None
    throws = USES_FOCAL.replace("public void t()", "public void t() throws Exception")
    assert check_focal("assertEquals(p, Point.parse(x));", source=throws).reason is None


@pytest.mark.parametrize("throws, accepted", [
    ("Exception", True), ("Throwable", True), ("java.io.IOException", True), ("IOException, SQLException", True),
    ("InterruptedException", False), ("FileNotFoundException", False),  # a subclass of what parse throws
    ("SomeLibraryException", False),  # no superclass of IOException, whose lineage is known
])
def test_a_test_s_throws_covers_what_it_names_and_their_subclasses_only(throws, accepted):
    source = USES_FOCAL.replace("public void t()", f"public void t() throws {throws}")
    reason = check_focal("assertEquals(p, Point.parse(x));", source=source).reason
    assert (reason is None) == accepted, reason


def test_a_test_s_throws_may_cover_a_library_exception_and_covers_subclasses():
    """`throws IOException` covers `throws FileNotFoundException`; of a library's exception the
    lineage is unknown (it may extend IOException), so it is not rejected."""
    source = USES_FOCAL.replace("public void t()", "public void t() throws IOException")
    for thrown in ("java.io.FileNotFoundException", "org.lib.ParseFailure"):
        focal = FOCAL.replace("throws java.io.IOException", f"throws {thrown}")
        assert check_focal("assertEquals(p, Point.parse(x));", source=source, focal=focal).reason is None, thrown
    focal = FOCAL.replace("throws java.io.IOException", "throws java.sql.SQLException")
    assert "calls 'parse'" in check_focal("assertEquals(p, Point.parse(x));", source=source, focal=focal).reason


def test_of_overloads_of_one_argument_count_the_one_whose_parameters_are_the_argument_types_counts():
    """parse(String) throws, parse(int) does not: javac picks by the arguments' types (QA case MJ04)."""
    focal = FOCAL.replace("    public Point checked(int n)", "    public static Point parse(int n) { return ORIGIN; }\n"
                          "    public static Point parse(String[] s, int n) throws java.io.IOException { return ORIGIN; }\n"
                          "    public static Point parse(int n, int m) { return ORIGIN; }\n    public Point checked(int n)")
    for statement in ('assertEquals(p, Point.parse("1"));', "assertEquals(p, Point.parse(text));",
                      "assertEquals(p, p.parse(text));", "assertEquals(p, Point.parse(parts, count));",
                      "assertEquals(p, Point.parse(x));"):  # the test's own `String x` (other()'s int x is another)
        assert "calls 'parse'" in (check_focal(statement, focal=focal).reason or "accepted"), statement
    for statement in ("assertEquals(p, Point.parse(3));", "assertEquals(p, Point.parse(count));",
                      "assertEquals(p, Point.parse(q.x()));",  # (a record's accessor: its type is not worked out)
                      "assertEquals(p, Point.parse(count, 2));",
                      'assertEquals(p, unsure.parse("1"));'):  # (of unknown type: maybe another class's parse)
        assert check_focal(statement, source=USES_FOCAL.replace("var q = new Point(3, 4);", "var q = new Point(3, 4);\n        var unsure = make();"),
                           focal=focal).reason is None, statement


def test_a_focal_method_inherited_from_a_project_class_is_checked_unless_redeclared():
    project = jfile("class Base {\n    public int load() throws LoadException { return 1; }\n"
                    "    public int save() throws LoadException { return 1; }\n}\n"
                    "class Store extends Base {\n    @Override public int save() { return 2; }\n}\n"
                    "class LoadException extends Exception {}\n")
    classes = {js.class_name(c): c for c in project.tree.root_node.named_children}.get
    stub = js.find_stubs(jfile(USES_FOCAL.replace("Point p = new Point(1, 2);", "Store p = new Store();")))[0][0]
    scope = checks.scope_at(stub, {"Store"}, focal=classes("Store"), classes=classes, focal_classes=classes)
    assert "calls 'load'" in checks.check_candidate(["assertEquals(1, p.load());"], scope).reason
    assert checks.check_candidate(["assertEquals(2, p.save());"], scope).reason is None


def test_a_throwing_focal_method_counts_only_on_the_focal_class_and_outside_a_try_that_catches():
    """`parse` of a variable of another class is not the focal class's;
    in a try with a catch, the catch may take the exception."""
    source = USES_FOCAL.replace('String x = "reused name";', 'String x = "reused name";\n'
                                '        Parser other = null;\n        var unsure = make();')
    assert check_focal("assertEquals(x, other.parse(x));", source=source).reason is None
    assert "calls 'parse'" in check_focal("assertEquals(p, p.parse(x));", source=source).reason
    assert "calls 'parse'" in check_focal("assertEquals(p, unsure.parse(x));", source=source).reason
    assert "calls 'parse'" in check_focal("assertEquals(p, new Point(0, 0).parse(x));", source=source).reason
    in_try = USES_FOCAL.replace("        // ASSERTION PLACEHOLDER\n", "        try {\n        // ASSERTION "
                                "PLACEHOLDER\n        } catch (java.io.IOException e) { }\n")
    assert check_focal("assertEquals(p, Point.parse(x));", source=in_try).reason is None
    finally_only = in_try.replace("catch (java.io.IOException e) { }", "finally { }")
    assert "calls 'parse'" in check_focal("assertEquals(p, Point.parse(x));", source=finally_only).reason
    # only what the catch takes: javac, unreported exception IOException (a catch of another
    # exception, or a catch around the try's catch block, does not cover the try's body)
    other_catch = in_try.replace("catch (java.io.IOException e)", "catch (IllegalStateException e)")
    assert "calls 'parse'" in check_focal("assertEquals(p, Point.parse(x));", source=other_catch).reason
    for covering in ("IllegalStateException | java.io.IOException e", "final Exception e", "Throwable t"):
        source = in_try.replace("java.io.IOException e", covering)
        assert check_focal("assertEquals(p, Point.parse(x));", source=source).reason is None, covering
    nested = in_try.replace("        try {\n", "        try {\n        try {\n").replace(
        "} catch (java.io.IOException e) { }", "} catch (IllegalStateException e) { }\n        } catch (java.io.IOException e) { }")
    assert check_focal("assertEquals(p, Point.parse(x));", source=nested).reason is None


def test_a_static_nested_test_class_sees_only_the_static_members_around_it():
    """javac: non-static variable cannot be referenced from a static context (JUnit 4's
    Enclosed runner); an inner class (JUnit 5's @Nested) sees them all."""
    source = """\
import org.junit.Test;
class FooTest {
    private Foo foo = new Foo();
    static final int LIMIT = 3;
    int helper() { return 1; }
    static int shared() { return 2; }
    public static class WhenEmpty {
        private int own = 1;
        @Test public void t() {
            int x = LIMIT;
        }
    }
}
"""
    for statement in ("assertEquals(LIMIT, x);", "assertEquals(own, shared());"):
        assert check(statement, source=source).reason is None, statement
    assert "unknown name 'foo'" in check("assertEquals(x, foo.get());", source=source).reason
    assert "unknown method 'helper'" in check("assertEquals(x, helper());", source=source).reason
    inner = source.replace("public static class", "public class")
    assert check("assertEquals(x, foo.get() + helper());", source=inner).reason is None


def test_fail_is_accepted_only_where_it_does_not_run_every_time():
    """A reused `fail("should have thrown")` came from a try; at the end of a test it would
    fail the test on every run."""
    assert "always fail" in check('fail("x");').reason
    assert "always fail" in check("assertNotNull(foo);", 'Assert.fail("x");').reason
    in_try = SCOPED.replace("        // ASSERTION PLACEHOLDER\n",
                            "        try { foo.get();\n        // ASSERTION PLACEHOLDER\n        } catch (Exception e) {}\n")
    assert check('fail("x");', source=in_try).reason is None
    in_branch = SCOPED.replace("        // ASSERTION PLACEHOLDER\n",
                               "        if (before > 0) {\n        // ASSERTION PLACEHOLDER\n        }\n")
    assert check('fail("x");', source=in_branch).reason is None
    returns_first = SCOPED.replace("        // ASSERTION PLACEHOLDER\n", "        try { foo.get(); } catch (Exception e)"
                                   " { return; }\n        // ASSERTION PLACEHOLDER\n")
    assert check('fail("x");', source=returns_first).reason is None  # reached only when nothing was thrown
    lambda_returns = SCOPED.replace("        // ASSERTION PLACEHOLDER\n", "        java.util.function.IntSupplier one = "
                                    "() -> { return 1; };\n        // ASSERTION PLACEHOLDER\n")
    assert "always fail" in check('fail("x");', source=lambda_returns).reason  # (args4j: an anonymous class's return)
    expected = SCOPED.replace("@Test public", "@Test(expected = IllegalStateException.class) public")
    assert check('fail("x");', source=expected).reason is None


@pytest.mark.parametrize("annotated", ["@lombok.Data\npublic class Point {", "@Getter @Setter\npublic class Point {",
                                       "public class Point {\n    @Getter"])
def test_members_lombok_generates_are_not_checked(annotated):
    """@Data, @Getter, @Builder... write getters the source does not show: `p.getX()` is real."""
    lombok = "package p;\n" + annotated + " private int x;\n    public int size() { return 0; }\n}\n"
    assert check_focal("assertEquals(1, p.getX());", focal=lombok).reason is None
    plain = lombok.replace("@lombok.Data", "").replace("@Getter", "").replace("@Setter", "")
    assert "'p' has no member 'getX'" in check_focal("assertEquals(1, p.getX());", focal=plain).reason


def test_a_test_class_sees_what_it_inherits_from_the_project_s_classes():
    """A test base class's fields and helper methods, an interface's constants and default
    methods are names of the test; private members and an interface's static methods are not
    inherited (javac: cannot find symbol). A library's base class (JerseyTest's `target(...)`, a
    Lucene test's `random()`) may give the test any name: one the source does not show is then
    no sure javac error, but members of known classes still are."""
    base = jfile("""\
public abstract class AbstractShopTest implements Limits {
    protected Shop shop;
    protected static final String SKU = "A";
    private int hidden;
    protected int sum(int... xs) { return 0; }
}
""")
    limits = jfile("interface Limits { int MAX = 3; static int twice(int x) { return x; } default int min() { return 0; } }")
    shop = jfile("public class Shop { public String name() { return null; } }")
    classes = {"AbstractShopTest": js.top_level_class(base, "AbstractShopTest"), "Limits": js.top_level_class(limits, "Limits"),
               "Shop": js.top_level_class(shop, "Shop")}.get
    source = "import org.junit.Test;\nclass ShopTest extends AbstractShopTest {\n    @Test public void t() {\n        int n = 1;\n    }\n}\n"
    stub = js.find_stubs(jfile(source))[0][0]
    scope = checks.scope_at(stub, {"Shop"}, classes=classes)
    for statement in ("assertEquals(SKU, shop.name());", "assertEquals(sum(1), n + MAX);", "assertEquals(MAX, min() + n);"):
        assert checks.check_candidate([statement], scope).reason is None, statement
    for statement, reason in [("assertEquals(hidden, n);", "unknown name 'hidden'"),
                              ("assertEquals(twice(n), 2);", "unknown method 'twice'"),
                              ("assertEquals(n, shop.size());", "'shop' has no member 'size'")]:
        assert reason in checks.check_candidate([statement], scope).reason, statement
    library_base = checks.scope_at(stub, {"Shop"}, classes={"Shop": classes("Shop")}.get)  # AbstractShopTest: a library's
    for statement in ("assertEquals(SKU, shop.name());", 'assertEquals(target("/a"), shop.name());',
                      "assertNotNull(new Fixture());"):
        assert checks.check_candidate([statement], library_base).reason is None, statement
    assert "'Shop' has no member 'size'" in checks.check_candidate(["assertEquals(n, new Shop().size());"],
                                                                  library_base).reason


def test_a_static_wildcard_import_of_a_project_class_gives_its_static_members():
    """`import static com.acme.Limits.*;`: its static fields and methods, enum constants and
    interface constants are names of the test; its instance members are not."""
    limits = jfile("package com.acme;\npublic class Limits {\n    public static final int MAX = 3;\n"
                   "    public static int twice(int x) { return x; }\n    public int own() { return 0; }\n}\n")
    status = jfile("package com.acme;\npublic enum Status { NEW, DONE }\n")
    classes = {"com.acme.Limits": js.top_level_class(limits, "Limits"),
               "com.acme.Status": js.top_level_class(status, "Status")}.get
    source = ("import static com.acme.Limits.*;\nimport static com.acme.Status.*;\nimport org.junit.Test;\n"
              "class LimitsTest {\n    @Test public void t() {\n        int n = 1;\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], set(), classes=classes)
    for statement in ("assertEquals(MAX, twice(n));", "assertNotEquals(NEW, DONE);"):
        assert checks.check_candidate([statement], scope).reason is None, statement
    assert "unknown method 'own'" in checks.check_candidate(["assertEquals(own(), n);"], scope).reason


def test_every_public_class_of_java_lang_is_known_and_a_project_class_of_its_name_hides_it():
    """java.lang's classes need no import (StringBuffer, SecurityException, StrictMath were
    unknown types); a project class named as one (`Process`) is the test's own, not java.lang's."""
    for statement in ("assertThrows(SecurityException.class, () -> foo.get());",
                      "assertEquals(new StringBuffer(\"x\").toString(), foo.name());",
                      "assertEquals(StrictMath.PI, foo.angle(), 1e-9);"):
        assert check(statement).reason is None, statement
    assert "'StrictMath' has no member 'TWO'" in check("assertEquals(StrictMath.TWO, foo.angle());").reason
    process = js.top_level_class(jfile("public enum Process { RUNNING; public static Process current() { return RUNNING; } }"),
                                 "Process")
    stub = js.find_stubs(jfile(SCOPED))[0][0]
    statement = ["assertNotNull(Process.current());"]
    assert checks.check_candidate(statement, checks.scope_at(stub, {"Foo", "Process"}, classes={"Process": process}.get)).reason is None
    # without it, java.lang.Process, which has no current()
    assert "'Process' has no member 'current'" in checks.check_candidate(statement, checks.scope_at(stub, {"Foo"})).reason


@pytest.mark.parametrize("imported, accepted, rejected", [
    ("org.assertj.core.api.Assertions", ['assertThat(counts).contains(entry("a", before));',
                                         "assertThat(foo.ratio()).isCloseTo(0.5, within(0.01));",
                                         "assertThat(foo.items()).contains(before, atIndex(0));"], "hasEntry"),
    ("org.hamcrest.Matchers", ['assertThat(counts, hasEntry("a", before));', "assertThat(foo.items(), containsInAnyOrder(1, 2));",
                               "assertThat(before, greaterThanOrEqualTo(LIMIT));"], "emptyString"),  # Hamcrest 2 only
    ("org.hamcrest.CoreMatchers", ["assertThat(before, is(not(LIMIT)));"], "hasSize"),  # Matchers', not CoreMatchers'
])
def test_a_static_wildcard_import_of_a_library_gives_its_helpers_too(imported, accepted, rejected):
    hamcrest = "" if "assertj" in imported else "\nimport static org.hamcrest.MatcherAssert.assertThat;"
    source = SCOPED.replace("import java.util.List;", f"import java.util.*;\nimport static {imported}.*;{hamcrest}").replace(
        "private Foo foo;", "private Foo foo;\n    private Map<String, Integer> counts;")
    for statement in accepted:
        assert check(statement, source=source).reason is None, statement
    assert f"unknown method '{rejected}'" in check(f"assertThat(foo.items(), {rejected}());", source=source).reason


def test_a_focal_method_that_declares_a_project_s_unchecked_exception_may_be_called():
    """`throws NotFoundException` where NotFoundException extends (a class extending)
    RuntimeException: javac asks nothing of the caller; a project exception extending Exception,
    or one not found, is checked."""
    focal = FOCAL.replace("    enum Axis { X, Y }", "    public Point find(int n) throws NotFoundException { return this; }\n"
                          "    public Point load(int n) throws LoadException { return this; }\n    enum Axis { X, Y }")
    exceptions = jfile("class AppException extends IllegalStateException {}\nclass NotFoundException extends AppException {}\n"
                       "class LoadException extends Exception {}\n")
    classes = {js.class_name(c): c for c in exceptions.tree.root_node.named_children}.get
    stub = js.find_stubs(jfile(USES_FOCAL))[0][0]
    cls = js.top_level_class(jfile(focal), "Point")
    scope = checks.scope_at(stub, {"Point"}, focal=cls, classes={"Point": cls}.get, focal_classes=classes)
    assert checks.check_candidate(["assertEquals(p, p.find(1));"], scope).reason is None
    assert "calls 'load'" in checks.check_candidate(["assertEquals(p, p.load(1));"], scope).reason
    unknown = checks.scope_at(stub, {"Point"}, focal=cls, classes={"Point": cls}.get)
    assert "calls 'find'" in checks.check_candidate(["assertEquals(p, p.find(1));"], unknown).reason


def test_a_package_qualified_class_is_checked_as_a_class_not_its_package_as_a_name():
    """`java.io.IOException.class`, `new com.acme.model.Item()` (two classes of one name): the
    class of a listed JDK package or of a project's package must be one of it; a variable of the
    first name hides the package."""
    item = js.top_level_class(jfile("package com.acme.model;\npublic class Item { }\n"), "Item")
    stub = js.find_stubs(jfile(SCOPED))[0][0]
    scope = checks.scope_at(stub, {"Foo"}, classes={"com.acme.model.Item": item}.get,
                            project_package={"com.acme.model"}.__contains__)
    for statement in ("assertThrows(java.io.IOException.class, () -> foo.get());",
                      "assertEquals(org.joda.money.CurrencyUnit.USD, foo.unit());",  # a library's package: any class
                      "assertEquals(java.awt.Color.RED, foo.color());",  # a JDK package the index has the names of
                      "assertEquals(java.util.List.of(1), foo.list());", "assertNotNull(new com.acme.model.Item());",
                      "assertTrue(foo.item() instanceof com.acme.model.Item);"):
        assert checks.check_candidate([statement], scope).reason is None, statement
    for statement, reason in [("assertEquals(java.util.Lisst.of(1), foo.list());", "unknown type 'java.util.Lisst'"),
                              ("assertEquals(java.awt.Colr.RED, foo.color());", "unknown type 'java.awt.Colr'"),
                              ("assertNotNull(new com.acme.model.Box(before));", "unknown type 'com.acme.model.Box'"),
                              ("assertEquals(1, java.lang.Math.abs(-1));", "uses nothing from the test")]:
        assert reason in checks.check_candidate([statement], scope).reason, statement
    assert checks.check_candidate(["assertEquals(before, foo.bar.Baz.MAX);"], scope).reason is None  # foo: the field


def test_a_variable_of_a_nested_class_has_the_nested_class_s_members():
    """`Polygon.Line line`: Polygon's nested Line, not the package's top-level Line."""
    polygon = js.top_level_class(jfile("public class Polygon {\n    public static class Line { public double span() { return 0; } }\n"
                                       "    public Line first() { return null; }\n}\n"), "Polygon")
    line = js.top_level_class(jfile("public class Line { public double length() { return 0; } }\n"), "Line")
    source = ("import org.junit.Test;\nclass PolygonTest {\n    @Test public void t() {\n"
              "        Polygon.Line line = new Polygon().first();\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"Polygon", "Line"},
                            classes={"Polygon": polygon, "Line": line}.get)
    assert checks.check_candidate(["assertEquals(1.0, line.span(), 0.0);"], scope).reason is None
    assert "'line' has no member 'length'" in checks.check_candidate(["assertEquals(1.0, line.length(), 0.0);"], scope).reason


def test_the_jdk_index_holds_what_the_jdk_here_says():
    """Every class of the indexed packages, its superclass and members, as this
    machine's JDK lists them by reflection (benchmarks/scripts/jdk_index.py wrote the index
    from Java 17 and 25: it may hold more than one JDK has, never less), and of the checked
    exceptions an arity's overloads declare, never more."""
    import gzip
    import shutil
    import sys

    from conftest import REPO

    java = shutil.which("java")
    if java is None:
        pytest.skip("SKIPPED JDK INDEX CHECK: no java (apt-get install default-jdk-headless)")
    sys.path.insert(0, str(REPO / "benchmarks" / "scripts"))
    from jdk_index import ask_jdk, ask_packages, read_index

    from assertgen.jdk import read_packages

    with gzip.open(REPO / "assertgen" / "jdk_index.txt.gz", "rt") as lines:
        shipped = read_index(lines)
    here = ask_jdk(java)
    assert len(here) > 700
    missing = [key for key in here if key not in shipped]
    assert not missing, missing[:10]
    for key, facts in here.items():
        index = shipped[key]
        assert index.superclass == facts.superclass and facts.members <= index.members and facts.statics <= index.statics, key
        assert facts.interfaces <= index.interfaces, key
        assert facts.arities <= index.arities, key
        assert all(thrown <= facts.throws.get(arity, frozenset()) for arity, thrown in index.throws.items()
                   if arity in facts.arities), key
        assert all(thrown <= facts.overloads.get(arity, {}).get(params, frozenset())
                   for arity, by_params in index.overloads.items() for params, thrown in by_params.items()
                   if params in facts.overloads.get(arity, {})), key
        # a return type the index is sure of is every overload's here
        assert all(facts.returns[arity] == returned for arity, returned in index.returns.items()
                   if len(returned) == 1 and returned != {"?"} and arity in facts.returns), key
    assert {"of()", "copyOf()"} <= shipped[("java.util", "List")].statics and "size()" not in shipped[("java.util", "List")].statics
    assert shipped[("java.net", "URI")].throws["<new>/1"] == {"URISyntaxException"}
    assert {"List", "Collection", "Iterable", "RandomAccess"} <= shipped[("java.util", "ArrayList")].interfaces
    assert "Collection" in here[("java.util", "List")].interfaces and not here[("java.util", "Iterator")].interfaces
    packages = read_packages(gzip.open(REPO / "assertgen" / "jdk_packages.txt.gz", "rt"))
    assert {"Level", "Formatter"} <= packages["java.util.logging"] and "Color" in packages["java.awt"]
    assert all(names <= packages.get(package, set()) for package, names in ask_packages(java).items())
    assert shipped[("java.lang", "String")].overloads["getBytes/1"] == {"String": {"UnsupportedEncodingException"},
                                                                        "Charset": frozenset()}
    assert shipped[("java.util", "List")].returns["size/0"] == {"int"} and here[("java.util", "List")].returns["iterator/0"] == {"Iterator"}


def test_the_jdk_facts_checks_use():
    from assertgen import jdk

    assert {"String", "Integer", "Override", "MatchException"} <= jdk.JAVA_LANG
    assert {"List", "Map", "Optional"} <= jdk.JDK_PACKAGE_TYPES["java.util"]
    assert {"Pattern", "Matcher"} <= jdk.JDK_PACKAGE_TYPES["java.util.regex"]
    assert {"size()", "getFirst()", "stream()"} <= jdk.JDK_CLASSES["List"].members  # methods written name()
    assert not {"length", "length()", "size"} & jdk.JDK_CLASSES["List"].members
    assert {"length()", "isBlank()", "CASE_INSENSITIVE_ORDER"} <= jdk.JDK_CLASSES["String"].members
    assert {"values()", "ordinal()", "name()"} <= jdk.ENUM_MEMBERS and "name" not in jdk.ENUM_MEMBERS
    assert {"length", "clone()"} <= jdk.ARRAY_MEMBERS and "length()" not in jdk.ARRAY_MEMBERS
    assert {"MAX_VALUE", "MIN_VALUE"} <= jdk.JDK_CLASSES["Integer"].members
    assert "SECONDS" in jdk.JDK_CLASSES["TimeUnit"].members  # enum constants are fields
    assert {"SECONDS", "valueOf()"} <= jdk.JDK_CLASSES["TimeUnit"].statics
    assert "toMillis()" not in jdk.JDK_CLASSES["TimeUnit"].statics
    assert {"MAX_VALUE", "valueOf()", "parseInt()"} <= jdk.JDK_CLASSES["Integer"].statics
    assert "intValue()" not in jdk.JDK_CLASSES["Integer"].statics and {"Entry"} <= jdk.JDK_CLASSES["Map"].statics
    assert jdk.JDK_CLASSES["String"].arities["charAt"] == {(1, False)} and (2, True) in jdk.JDK_CLASSES["String"].arities["format"]
    assert {"IllegalArgumentException", "UncheckedIOException", "AssertionError"} <= jdk.UNCHECKED_EXCEPTIONS
    assert not {"IOException", "Exception", "InterruptedException"} & jdk.UNCHECKED_EXCEPTIONS
    assert jdk.superclass_of("FileNotFoundException") == "IOException" and jdk.superclass_of("List") is None


ACCOUNT = """\
package com.acme.core;
public class Account {
    public static final int LIMIT = 100;
    private static final int SECRET = 7;
    private int balance;
    int count;
    protected String owner;
    public int balance() { return balance; }
    private int hidden() { return 1; }
    int packageOnly() { return 2; }
    protected int prot() { return 3; }
    protected static int shared() { return 4; }
    public static class Entry { private int id; public int amount() { return 1; } }
    private static class Secret { }
}
"""
ACCOUNT_TEST = """\
package com.acme;
import com.acme.core.*;
import org.junit.Test;
class AccountTest {
    @Test public void t() {
        Account account = new Account();
        Point point = new Point(1, 2);
        Account.Entry entry = new Account.Entry();
    }
}
"""


def account_scope(source: str, classes: dict | None = None) -> checks.Scope:
    account = js.top_level_class(jfile(ACCOUNT), "Account")
    point = js.top_level_class(jfile("package com.acme.core;\npublic record Point(int x, int y) { }\n"), "Point")
    stub = js.find_stubs(jfile(source))[0][0]
    return checks.scope_at(stub, {"Account", "Point"}, classes=(classes or {"Account": account, "Point": point}).get)


@pytest.mark.parametrize("package, accepted, rejected", [
    ("com.acme.core", ["account.balance()", "account.count", "account.packageOnly()", "account.prot()",
                       "account.owner.length()", "Account.LIMIT", "new Account.Entry().amount()", "point.x()"],
     [("account.balance", "has private access"), ("account.hidden()", "has private access"),
      ("Account.SECRET", "has private access"), ("entry.id", "has private access"),
      ("new Account.Secret().hashCode()", "has private access"), ("point.x", "has private access")]),
    ("com.acme", ["account.balance()", "Account.LIMIT", "point.x()"],
     [("account.count", "is not public"), ("account.packageOnly()", "is not public"),
      ("account.prot()", "has protected access"), ("account.owner", "has protected access"),
      ("Account.shared()", "has protected access"), ("account.hidden()", "has private access")]),
])
def test_a_project_member_out_of_the_test_s_reach_is_rejected(package, accepted, rejected):
    """A test is another class (javac: has private access; is not public in Account, cannot be
    accessed from outside package; has protected access): a private member, a record's
    component field, and from another package a package-private or protected one are not its to use."""
    scope = account_scope(ACCOUNT_TEST.replace("package com.acme;", f"package {package};"))
    for expression in accepted:
        assert checks.check_candidate([f"assertNotNull({expression});"], scope).reason is None, expression
    for expression, reason in rejected:
        assert reason in (checks.check_candidate([f"assertNotNull({expression});"], scope).reason or ""), expression


def test_an_inherited_member_out_of_the_test_s_reach_is_rejected():
    """`savings.hidden()` of Account's private method through its subclass: javac, has private access;
    Account's package-private and protected members from another package, as on Account itself."""
    account = js.top_level_class(jfile(ACCOUNT), "Account")
    savings = js.top_level_class(jfile("package com.acme.core;\npublic class Savings extends Account {\n"
                                       "    public int prot() { return 5; }\n}\n"), "Savings")
    for package, accepted, rejected in [
            ("com.acme.core", ["savings.balance()", "savings.packageOnly()", "savings.count"], ["savings.hidden()"]),
            ("com.acme", ["savings.balance()", "savings.prot()"],
             ["savings.hidden()", "savings.packageOnly()", "savings.owner", "savings.balance"])]:
        source = ACCOUNT_TEST.replace("package com.acme;", f"package {package};").replace(
            "Account account = new Account();", "Savings savings = new Savings();")
        scope = account_scope(source, {"Account": account, "Savings": savings})
        for expression in accepted:
            assert checks.check_candidate([f"assertNotNull({expression});"], scope).reason is None, (package, expression)
        for expression in rejected:
            reason = checks.check_candidate([f"assertNotNull({expression});"], scope).reason or ""
            assert "access" in reason or "is not public" in reason, (package, expression, reason)


def test_a_test_reaches_its_own_private_members_and_a_superclass_s_static_protected_ones():
    """Private members are visible in their whole top-level class (a test's nested class); from
    another package a subclass (of Account, maybe) may call a static protected member, an
    instance's only through its own type."""
    own = ACCOUNT_TEST.replace("    }\n}\n", "    }\n    static class Account { private int secret; }\n}\n")
    nested = js.top_level_class(jfile(own), "AccountTest").child_by_field_name("body").named_children[-1]
    assert checks.check_candidate(["assertNotNull(account.secret);"], account_scope(own, {"Account": nested})).reason is None
    scope = account_scope(ACCOUNT_TEST.replace("class AccountTest {", "class AccountTest extends BaseTest {"))
    assert checks.check_candidate(["assertNotNull(Account.shared());"], scope).reason is None
    assert "has protected access" in checks.check_candidate(["assertNotNull(account.prot());"], scope).reason


def test_a_test_does_not_inherit_a_package_private_member_of_a_base_class_in_another_package():
    """javac: cannot find symbol (package-private members are inherited in their package only);
    public and protected ones are, also written `this.` or `super.`."""
    base = jfile("package com.acme.support;\npublic abstract class BaseTest {\n    protected int expected = 1;\n"
                 "    int internal = 2;\n    protected int helper() { return 1; }\n    int pkgHelper() { return 2; }\n"
                 "    static class Fixture { }\n}\n")
    classes = {"BaseTest": js.top_level_class(base, "BaseTest")}.get
    source = ("package com.acme;\nimport com.acme.support.BaseTest;\nimport org.junit.Test;\n"
              "public class CounterTest extends BaseTest {\n    @Test public void t() {\n        int v = 1;\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], set(), classes=classes)
    for statement in ("assertEquals(expected, v);", "assertEquals(helper(), v);", "assertEquals(1, super.helper());",
                      "assertEquals(this.helper(), this.expected);", "assertEquals(super.expected, v);"):
        assert checks.check_candidate([statement], scope).reason is None, statement
    for statement, reason in [("assertEquals(internal, v);", "unknown name 'internal'"),
                              ("assertEquals(pkgHelper(), v);", "unknown method 'pkgHelper'"),
                              ("assertEquals(v, this.pkgHelper());", "unknown method 'pkgHelper'"),
                              ("assertNotNull(new Fixture());", "unknown type 'Fixture'")]:
        assert reason in (checks.check_candidate([statement], scope).reason or ""), statement
    same_package = checks.scope_at(js.find_stubs(jfile(source.replace("package com.acme;", "package com.acme.support;")))[0][0],
                                   set(), classes=classes)
    assert checks.check_candidate(["assertEquals(pkgHelper(), internal);"], same_package).reason is None


def test_a_static_wildcard_import_of_a_jdk_class_gives_its_members_but_object_s():
    """`import static java.lang.Math.*;`, `Collectors.*`, `TimeUnit.*`: `abs(x)`, `PI`, `toList()`,
    `MILLISECONDS` compile; Object's methods are the test class's own, which hide an imported
    `toString` (javac: method toString in class Object cannot be applied to given types)."""
    source = SCOPED.replace("import java.util.List;", "import java.util.List;\nimport static java.lang.Math.*;\n"
                            "import static java.util.stream.Collectors.*;\nimport static java.util.Arrays.*;\n"
                            "import static java.util.concurrent.TimeUnit.*;")
    for statement in ("assertEquals(1, abs(before));", "assertEquals(PI, before * PI, 0.0);",
                      "assertEquals(foo.list(), foo.list().stream().collect(toList()));",
                      "assertEquals(1000L, MILLISECONDS.toSeconds(before));", "assertEquals(foo.list(), asList(before));"):
        assert check(statement, source=source).reason is None, statement
    assert "unknown method 'toString'" in check('assertEquals("[1]", toString(foo.array()));', source=source).reason
    assert "unknown method 'abss'" in check("assertEquals(1, abss(before));", source=source).reason


def test_a_pattern_variable_is_not_a_field_of_its_name():
    """`p instanceof String s` in a test of a class with a field `List<String> s`: `s.length()` is
    the pattern variable's (javac accepts it), not a List's missing member."""
    source = """\
import java.util.List;
import org.junit.Test;
class FooTest {
    private List<String> s;
    private Foo foo;
    @Test public void t() {
        Object p = foo.payload();
        if (p instanceof String s) {
            // ASSERTION PLACEHOLDER
        }
    }
}
"""
    for pattern in ("p instanceof String s", "p instanceof Pair(var s, String t)"):
        stub = js.find_stubs(jfile(source.replace("p instanceof String s", pattern)))[0][0]
        scope = checks.scope_at(stub, {"Foo", "Pair"}, classes=lambda name: None)
        assert checks.check_candidate(["assertEquals(3, s.length());"], scope).reason is None, pattern


def test_a_member_class_created_on_an_instance_is_a_member_of_its_class():
    """`account.new Inner()` names the inner class of account's class (javac accepts it),
    no type of the test's scope; one the class lacks is rejected (javac: cannot find symbol), and
    so is a static member class (javac: qualified new of static class)."""
    account = js.top_level_class(jfile("public class Account {\n    public class Inner { public int value() { return 1; } }\n"
                                       "    public static class Nested {}\n    public record Pair(int a) {}\n}\n"),
                                 "Account")
    stub = js.find_stubs(jfile(ACCOUNT_TEST.replace("package com.acme;\nimport com.acme.core.*;\n", "")))[0][0]
    scope = checks.scope_at(stub, {"Account"}, classes={"Account": account}.get)
    for statement in ("assertEquals(1, account.new Inner().value());", "assertNotNull(account.new Inner());"):
        assert checks.check_candidate([statement], scope).reason is None, statement
    assert "'account' has no member 'Innr'" in checks.check_candidate(["assertNotNull(account.new Innr());"], scope).reason
    for member in ("Nested", "Pair"):  # javac: qualified new of static class
        reason = checks.check_candidate([f"assertNotNull(account.new {member}());"], scope).reason
        assert f"{member} is a static member class" in (reason or ""), member


INHERITING = """\
interface Named {
    String PREFIX = "n-";
    String name();
    static Item of(int n) { return new Item("x" + n); }
    default String shout() { return name().toUpperCase(); }
}
abstract class Base implements Named, Comparable<Base> {
    protected int id;
    public int id() { return id; }
}
class Item extends Base {
    public Item(String name) { }
    public String name() { return "a"; }
    public int compareTo(Base o) { return 0; }
}
class OutOfStock extends IllegalStateException {
    public int code() { return 3; }
}
class Ext extends org.junit.rules.ExternalResource { }
"""


@pytest.mark.parametrize("statement, reason", [
    ('assertEquals("A", item.shout());', None), ("assertEquals(0, item.id());", None),  # a default method, a superclass's
    ("assertEquals(0, item.compareTo(item));", None), ('assertEquals("n-", Item.PREFIX);', None),  # constants are inherited
    ('assertEquals("x1", Named.of(1).name());', None),
    ('assertEquals("x1", Item.of(1).name());', "'Item' has no member 'of'"),  # an interface's static methods are not
    ('assertEquals("a", item.nam());', "'item' has no member 'nam'"),
    ('assertEquals("m", e.getMessage());', None), ("assertNull(e.getCause());", None),  # the JDK superclass's
    ('assertEquals("m", e.getMesage());', "'e' has no member 'getMesage'"),
    ("assertEquals(1, ext.level());", None),  # a library's superclass: its members are unknown
])
def test_a_project_class_has_the_members_of_its_project_and_jdk_supertypes(statement, reason):
    """javac: cannot find symbol for `Item.of(1)` (static interface methods are not inherited) and
    for a member no supertype has; each supertype as the class's own file names it."""
    project = jfile(INHERITING)
    classes = {js.class_name(c): c for c in project.tree.root_node.named_children}.get
    source = ("import org.junit.Test;\nclass ItemTest {\n    @Test public void t() {\n        Item item = new Item(\"a\");\n"
              "        OutOfStock e = new OutOfStock();\n        Ext ext = new Ext();\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"Item", "Named", "OutOfStock", "Ext"}, classes=classes)
    found = checks.check_candidate([statement], scope).reason
    assert found is None if reason is None else reason in (found or ""), found


def test_a_class_of_the_test_file_hides_the_project_s_class_of_its_name():
    """A test's nested `Timer` fixture, not the package's Timer, is what `Timer timer` and
    `new Timer()` mean (javac: ticks() compiles, elapsed() cannot find symbol)."""
    timer = js.top_level_class(jfile("public class Timer { public long elapsed() { return 1; } }\n"), "Timer")
    source = ("import org.junit.Test;\nclass ClockTest {\n    static class Timer { int ticks() { return 3; } }\n"
              "    @Test public void t() {\n        Timer timer = new Timer();\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"Timer"}, classes={"Timer": timer}.get)
    for statement, reason in [("assertEquals(3, timer.ticks());", None), ("assertEquals(3, new Timer().ticks());", None),
                              ("assertEquals(1, timer.elapsed());", "'timer' has no member 'elapsed'")]:
        found = checks.check_candidate([statement], scope).reason
        assert found is None if reason is None else reason in (found or ""), (statement, found)


LIBRARY = """\
import java.util.*;
public class Library<K> {
    public static class Shelf { public int size() { return 1; } private int secret() { return 2; } }
    public Book find(String t) { return null; }
    public List<Book> all() { return null; }
    public Book[] array() { return null; }
    public int count() { return 0; }
    public Shelf shelf() { return new Shelf(); }
    public K key() { return null; }
    public String describe() { return "d"; }
    public Object describe(int n) { return "d"; }
    public static Library<String> create() { return new Library<>(); }
}
"""


@pytest.mark.parametrize("expression, reason", [
    ('lib.find("t").pages()', None), ("lib.all().size()", None), ("lib.array().length", None), ("lib.shelf().size()", None),
    ("Library.create().count()", None), ("lib.describe().trim()", None), ("lib.describe(1).hashCode()", None),
    ("lib.key().length()", None),  # a type variable (a String's here)
    ('sub.find("t").pages()', None),  # Library's find(String) returns a Book: Sub's find(int) is not all there is
    ('lib.find("t").page()', "has no member 'page'"), ("lib.all().length", "has no member 'length'"),
    ("lib.array().size()", "has no member 'size'"), ("lib.shelf().count()", "has no member 'count'"),
    ("Library.create().size()", "has no member 'size'"), ("lib.count().intValue()", "has no member 'intValue'"),
    ("lib.shelf().secret()", "has private access"), ('lib.find("t").pages', "has private access"),
])
def test_a_member_of_what_a_project_method_returns_is_checked(expression, reason):
    """`lib.find("t").page()`: javac, cannot find symbol (location: class Book); the return type
    as Library's file names it, when the class's overloads of that arity all return it."""
    project = [js.top_level_class(jfile(LIBRARY), "Library"),
               js.top_level_class(jfile("public record Book(String title, int pages) { }\n"), "Book"),
               js.top_level_class(jfile("public class Sub extends Library<String> {\n"
                                     "    public Library.Shelf find(int n) { return null; }\n}\n"), "Sub")]
    classes = {js.class_name(c): c for c in project}.get
    source = ("import org.junit.Test;\nclass LibraryTest {\n    @Test public void t() {\n"
              "        Library<String> lib = Library.create();\n        Sub sub = new Sub();\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"Library", "Book", "Sub"}, classes=classes)
    found = checks.check_candidate([f"assertNotNull({expression});"], scope).reason
    assert found is None if reason is None else reason in (found or ""), found


FLOW = """\
import org.junit.Test;
class FlowTest {
    @Test public void t(Object found, boolean c, Calc calc) {
        BODY
    }
}
"""


@pytest.mark.parametrize("body, statement", [
    ("if (found instanceof String product) {\n// ASSERTION PLACEHOLDER\n}", "assertEquals(1, product.length());"),
    ("if (found instanceof Pair(var a, String b) && c) {\n// ASSERTION PLACEHOLDER\n}", "assertEquals(a, b);"),
    ("if (!(found instanceof String product)) return;\n// ASSERTION PLACEHOLDER", "assertEquals(1, product.length());"),
    ("switch (found) {\ncase String product -> {\n// ASSERTION PLACEHOLDER\n}\ndefault -> {}\n}", "assertEquals(1, product.length());"),
    ('String other;\nif (c) { other = "e"; } else { other = "f"; }\n// ASSERTION PLACEHOLDER', 'assertEquals("e", other);'),
    ('String parsed;\ntry { parsed = calc.name(); } catch (RuntimeException e) { throw new AssertionError(e); }\n'
     '// ASSERTION PLACEHOLDER', 'assertEquals("b", parsed);'),
    ('String other;\nif (c) { other = "e"; } else { return; }\n// ASSERTION PLACEHOLDER', 'assertEquals("e", other);'),
    ("int later;\nlater = calc.add(1, 1);\n// ASSERTION PLACEHOLDER", "assertThrows(Exception.class, () -> calc.add(later, 1));"),
])
def test_names_javac_sees_after_patterns_branches_and_one_assignment(body, statement):
    """QA round 7's false rejections, all compiled by javac 17/25: a pattern variable where its
    pattern matched; a local assigned on every path (both branches, a try whose catch throws);
    a local declared bare and assigned once is effectively final."""
    stub = js.find_stubs(jfile(FLOW.replace("BODY", body)))[0][0]
    scope = checks.scope_at(stub, {"Calc", "Pair"})
    assert checks.check_candidate([statement], scope).reason is None


@pytest.mark.parametrize("body, statement, reason", [
    ("if (!(found instanceof String product)) {\n// ASSERTION PLACEHOLDER\n}", "assertEquals(1, product.length());",
     "unknown name 'product'"),
    ("if (found instanceof String product) { c = true; }\n// ASSERTION PLACEHOLDER", "assertEquals(1, product.length());",
     "unknown name 'product'"),
    ('String other;\nif (c) { other = "e"; }\n// ASSERTION PLACEHOLDER', 'assertEquals("e", other);', "unknown name 'other'"),
    ('String other;\nif (c) { other = "e"; } else { c = false; }\n// ASSERTION PLACEHOLDER', 'assertEquals("e", other);',
     "unknown name 'other'"),
    ("int later;\nlater = calc.add(1, 1);\nlater = 2;\n// ASSERTION PLACEHOLDER",
     "assertThrows(Exception.class, () -> calc.add(later, 1));", "not effectively final"),
])
def test_names_javac_does_not_see_there_stay_unknown(body, statement, reason):
    stub = js.find_stubs(jfile(FLOW.replace("BODY", body)))[0][0]
    scope = checks.scope_at(stub, {"Calc", "Pair"})
    assert reason in (checks.check_candidate([statement], scope).reason or "")


PARSER = """\
package p;
import java.io.IOException;
public class Parser {
    public Parser(String text) throws IOException { }
    public Parser() { }
    public int parse(String s) throws IOException { return 1; }
    public int parse(int n, int radix) { return n; }
}
"""
PARSER_TEST = """\
package p;
import org.junit.Test;
class ParserTest {
    @Test public void t() {
        Parser parser = new Parser();
        // ASSERTION PLACEHOLDER
    }
    private int helperThrows() throws Exception { return 1; }
    private int helper(int n) { return n; }
    private int helper() throws Exception { return 1; }
}
"""


@pytest.mark.parametrize("statement, reason", [
    ("assertEquals(3, parser.parse(3, 10));", None),  # parse(int, int) throws nothing, beside parse(String)
    ("assertEquals(1, helper(1));", None),
    ('assertThrows(Exception.class, () -> new Parser("x"));', None),  # in a lambda: assertThrows takes it
    ("assertNotNull(new Parser());", None),
    ('assertEquals(1, parser.parse("1"));', "calls 'parse'"),
    ("assertEquals(1, helperThrows());", "calls 'helperThrows'"),  # the test class's own method
    ("assertEquals(1, helper());", "calls 'helper'"),
    ('assertNotNull(new Parser("x"));', "calls 'new Parser'"),  # a throwing constructor of the focal class
])
def test_checked_exceptions_follow_the_overload_a_call_takes(statement, reason):
    """javac: unreported exception IOException; must be caught or declared to be thrown (QA round 7:
    the test's own helper and the focal constructor were missed, and `shop.parse(3)` was rejected
    for parse(String)'s exception). Overloads are told apart by argument count only: of one count,
    a call is judged to throw when all of them do."""
    stub = js.find_stubs(jfile(PARSER_TEST))[0][0]
    parser = js.top_level_class(jfile(PARSER), "Parser")
    scope = checks.scope_at(stub, {"Parser"}, focal=parser, classes={"Parser": parser}.get)
    found = checks.check_candidate([statement], scope).reason
    assert found is None if reason is None else reason in (found or ""), (statement, found)


WALLET = {
    "Wallet": "package com.acme;\npublic class Wallet {\n  public enum Kind { CASH }\n  public static class Entry { }\n"
              "  public Kind kind() { return Kind.CASH; }\n  public int deposit(int amount) { return amount; }\n"
              "  private int code() { return 1; }\n}\n",
    "Tag": "package com.acme;\npublic @interface Tag { String value() default \"t\"; int weight() default 1; }\n",
}


@pytest.mark.parametrize("imports, statement, reason", [
    ("import com.acme.Wallet.*;", "assertEquals(Kind.CASH, wallet.kind());", None),
    ("import com.acme.Wallet.*;", "assertNotNull(new Entry());", None),
    ("import static com.acme.Wallet.*;", "assertNotNull(new Entry());", None),
    ("import static com.acme.Wallet.Kind;", "assertSame(Kind.class, wallet.kind().getClass());", None),
    ("", "assertEquals(3, nums.length);", None),  # `int nums[]`: C-style, an array
    ("", 'assertEquals("x", tag.value());', None),  # an annotation's elements are its methods
    ("", "assertEquals(List.of(1), new ArrayList<Integer>() {{ add(1); }});", None),  # the anonymous class's add
    ("", "assertEquals(1, List.of(wallet).stream().map(Wallet::kind).count());", None),
    ("", "assertEquals(1, List.of(1).stream().map(wallet::deposit).count());", None),
    ("", "assertEquals(1, List.of(wallet).stream().map(Wallet::knd).count());", "'Wallet' has no member 'knd'"),
    ("", "assertEquals(1, List.of(wallet).stream().map(Wallet::code).count());", "has private access"),
    ("", 'assertEquals("x", tag.valu());', "'tag' has no member 'valu'"),
])
def test_member_types_annotations_c_arrays_anonymous_classes_and_method_references(imports, statement, reason):
    """QA round 7: names javac sees that the checks turned away (member types through imports,
    `int nums[]`, an annotation's elements, an anonymous class's inherited methods), and method
    references, which were never checked (javac: invalid method reference). javac 17 agrees."""
    classes = {name: js.top_level_class(jfile(source), name) for name, source in WALLET.items()}
    classes |= {f"com.acme.{name}": cls for name, cls in classes.items()}  # as fill's lookup finds them
    source = ("package com.acme;\nimport java.util.*;\nimport org.junit.Test;\n" + imports + "\n"
              "class WalletTest {\n    @Test public void t(Wallet wallet, Tag tag) {\n        int nums[] = {1, 5, 3};\n"
              "        // ASSERTION PLACEHOLDER\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"Wallet", "Tag"}, classes=classes.get)
    found = checks.check_candidate([statement], scope).reason
    assert found is None if reason is None else reason in (found or ""), (statement, found)


@pytest.mark.parametrize("statement, reason", [
    ("assertEquals(1, this.helperThrows());", "calls 'helperThrows'"),  # `this.` is the test's own method too
    ("assertNotNull(new FakeClock());", None),  # another top-level class of the test file
    ("assertNotNull(new Parser.Options());", None),  # a static member class
    ("assertNotNull(new Parser.Cursor());", "an enclosing instance is required"),  # an inner class
    ("assertNotNull(parser.new Cursor());", None),
])
def test_this_calls_other_top_level_classes_and_inner_classes(statement, reason):
    """QA round 7 (javac 17 agrees): `this.helperThrows()` throws as `helperThrows()` does; a second
    top-level class of the test file is a type there; `new Outer.Inner()` of an inner class needs
    an enclosing instance (javac: an enclosing instance that contains Outer.Inner is required)."""
    parser = js.top_level_class(jfile(PARSER.replace("    public Parser() { }", "    public Parser() { }\n"
                                                     "    public static class Options { }\n"
                                                     "    public class Cursor { }")), "Parser")
    source = PARSER_TEST + "class FakeClock { }\n"
    stub = js.find_stubs(jfile(source))[0][0]
    scope = checks.scope_at(stub, {"Parser"}, focal=parser, classes={"Parser": parser}.get)
    found = checks.check_candidate([statement], scope).reason
    assert found is None if reason is None else reason in (found or ""), (statement, found)


@pytest.mark.parametrize("statements, about_the_test", [
    (["assertEquals(10, Units.ten());"], False),   # another project class only
    (["assertEquals(10, Units.ten());", "assertNotNull(parser);"], True),   # a local of the test
    (["assertNotNull(new Parser());"], True),     # the focal class
    (["assertNotNull(new FakeClock());"], True),  # a class of the test file
    (["assertEquals(1, helper(1));"], True),    # a method of the test class
])
def test_candidates_say_whether_they_are_about_the_test(statements, about_the_test):
    parser = js.top_level_class(jfile(PARSER), "Parser")
    units = js.top_level_class(jfile("package p;\npublic class Units { public static int ten() { return 10; } }\n"), "Units")
    stub = js.find_stubs(jfile(PARSER_TEST + "class FakeClock { }\n"))[0][0]
    scope = checks.scope_at(stub, {"Parser", "Units"}, focal=parser, classes={"Parser": parser, "Units": units}.get)
    checked = checks.check_candidate(statements, scope)
    assert (checked.reason, checked.about_the_test) == (None, about_the_test)


@pytest.mark.parametrize("statement, reason", [
    ("assertEquals(2, box);", "assertEquals of 2 and box (a Box) fails on every run: they are never equal"),
    ("assertEquals(box, 0L);", "assertEquals of 0L and box (a Box) fails on every run: they are never equal"),
    ('assertEquals("1", box.size());', 'assertEquals of "1" and box.size() (a int) fails on every run: they are never equal'),
    ("assertEquals(true, box.name());", "assertEquals of true and box.name() (a String) fails on every run: they are never equal"),
    ("assertEquals('a', box.size());", None),    # JUnit compares a char and an int as longs
    ('assertEquals("", box.name());', None),
    ("assertEquals(false, box.isEmpty());", None),
    ("assertEquals(box, box);", None),
    ('assertEquals("0a", box.chars());', 'assertEquals of "0a" and box.chars() (a char[]) fails on every run: they are never equal'),
    ("assertEquals(box.name(), box.chars());",
     "assertEquals of box.name() and box.chars() (a char[]) fails on every run: they are never equal"),
    ("assertEquals(box.chars(), box.size());",
     "assertEquals of box.chars() and box.size() (a int) fails on every run: they are never equal"),
    ("assertEquals(box.chars(), box.chars());", None),   # the same array passes
    ("assertEquals(box, box.chars());", None),           # a project class's equals() may say anything
])
def test_assert_equals_of_a_literal_and_a_value_of_another_kind_always_fails(statement, reason):
    """The model's `assertEquals(2, instance2)` of a project class (args4j): an Integer equals
    only an Integer; javac takes it (assertEquals(Object, Object)), and the test fails. An array
    equals no String or number, written or not (commons-codec's `assertEquals("0a", Hex.encodeHex(...))`
    of a char[], which fails when run)."""
    assert checks.check_candidate([statement], _box_scope()).reason == reason


def test_an_enum_constant_is_of_its_enum():
    """commons-io: `IOCase.SENSITIVE.checkEquals("ABC", "abc") < 0` went through, the constant's type
    unknown (javac: bad operand types)."""
    io_case = js.top_level_class(jfile("package p;\npublic enum IOCase {\n    SENSITIVE, INSENSITIVE;\n"
                                       "    public boolean checkEquals(String a, String b) { return true; }\n}\n"), "IOCase")
    source = ("package p;\nimport static org.junit.Assert.*;\nimport org.junit.Test;\nclass IOCaseTest {\n"
              "    @Test public void t() {\n        String a = \"a\";\n        // ASSERTION PLACEHOLDER\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"IOCase"}, focal=io_case, classes={"IOCase": io_case}.get)
    assert checks.check_candidate(['assertTrue(IOCase.SENSITIVE.checkEquals(a, "A") < 0);'], scope).reason == \
        'IOCase.SENSITIVE.checkEquals(a, "A") is of type boolean: no operand of <'
    assert checks.check_candidate(['assertTrue(IOCase.INSENSITIVE.checkEquals(a, "A"));'], scope).reason is None
    assert "has no member 'compare'" in checks.check_candidate(['assertTrue(IOCase.SENSITIVE.compare(a));'], scope).reason


@pytest.mark.parametrize("statement, reason", [
    ("assertTrue(d != m);", "!= of a DateTime and a Mutable: neither class extends the other (incomparable types)"),
    ("assertFalse(m == d.plus());", "== of a Mutable and a DateTime: neither class extends the other (incomparable types)"),
    ("assertTrue(d != b);", None),   # a DateTime is a Base
    ("assertTrue(b == m.copy());", None),
    ("assertTrue(d.plus() == d);", None),
])
def test_objects_of_unrelated_project_classes_are_incomparable(statement, reason):
    """joda-time: `test != result` of a DateTime and a MutableDateTime, both extending a base class
    (javac: incomparable types)."""
    sources = {"Base": "package p;\npublic abstract class Base { }\n",
               "DateTime": "package p;\npublic class DateTime extends Base { public DateTime plus() { return this; } }\n",
               "Mutable": "package p;\npublic class Mutable extends Base { public Mutable copy() { return this; } }\n"}
    classes = {name: js.top_level_class(jfile(source), name) for name, source in sources.items()}
    classes |= {f"p.{name}": cls for name, cls in classes.items()}  # as fill's lookup finds them
    source = ("package p;\nimport static org.junit.Assert.*;\nimport org.junit.Test;\nclass DateTimeTest {\n"
              "    @Test public void t() {\n        DateTime d = new DateTime();\n        Mutable m = new Mutable();\n"
              "        Base b = d;\n        // ASSERTION PLACEHOLDER\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], set(sources), focal=classes["DateTime"],
                            classes=classes.get)
    assert checks.check_candidate([statement], scope).reason == reason


@pytest.mark.parametrize("statement, reason", [
    ("assertTrue(Arrays.equals(b, c));", "Arrays.equals compares two arrays of one type, and gets a byte[] and a char[]"),
    ('assertArrayEquals("m", b, new char[0]);',
     "assertArrayEquals compares two arrays of one type, and gets a byte[] and a char[]"),
    ("assertTrue(Arrays.equals(b, new byte[0]));", None),
    ("assertArrayEquals(names, objects);", None),   # Object[] takes a String[]
])
def test_arrays_of_two_element_types_are_not_compared(statement, reason):
    """commons-codec: `Arrays.equals(new byte[0], new Hex().encodeHex(new byte[0]))` of a char[]
    (javac: no suitable method found for equals(byte[],char[]))."""
    source = ("package p;\nimport static org.junit.Assert.*;\nimport java.util.Arrays;\nimport org.junit.Test;\n"
              "class HexTest {\n    @Test public void t() {\n        byte[] b = new byte[0];\n        char[] c = new char[0];\n"
              "        String[] names = {};\n        Object[] objects = {};\n        // ASSERTION PLACEHOLDER\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], set(), classes={}.get)
    assert checks.check_candidate([statement], scope).reason == reason


@pytest.mark.parametrize("condition, reason", [
    ("while ((b = in.read()) != -1)", None),   # commons-io's testIO683
    ("if ((b = in.read()) > 0)", None),
    ("while (ok || (b = in.read()) != -1)", "unknown name 'b'"),   # javac: might not have been initialized
])
def test_a_local_the_condition_assigns_is_known_in_the_body(condition, reason):
    source = ("package p;\nimport static org.junit.Assert.*;\nimport org.junit.Test;\nclass T {\n"
              "    @Test public void t() throws Exception {\n        java.io.InputStream in = null;\n"
              "        boolean ok = true;\n        int b;\n        " + condition + " {\n"
              "            // ASSERTION PLACEHOLDER\n        }\n    }\n}\n")
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], set(), classes={}.get)
    assert checks.check_candidate(["assertEquals(1, b);"], scope).reason == reason


def _box_scope() -> checks.Scope:
    """The scope of a JUnit 4 test of class Box (isEmpty(), size(), name()) with a local `box`."""
    box = js.top_level_class(jfile("package p;\npublic class Box {\n    public boolean isEmpty() { return true; }\n"
                                   "    public int size() { return 0; }\n    public String name() { return \"\"; }\n"
                                   "    public char[] chars() { return null; }\n}\n"), "Box")
    source = ("package p;\nimport static org.junit.Assert.*;\nimport org.junit.Test;\nclass BoxTest {\n"
              "    @Test public void t() {\n        Box box = new Box();\n        // ASSERTION PLACEHOLDER\n    }\n}\n")
    return checks.scope_at(js.find_stubs(jfile(source))[0][0], {"Box"}, focal=box, classes={"Box": box}.get)


@pytest.mark.parametrize("statement, reason", [
    ("assertTrue(box.isEmpty() < 0);", "box.isEmpty() is of type boolean: no operand of <"),
    ("assertEquals(0, box.size() - box.isEmpty());", "box.isEmpty() is of type boolean: no operand of -"),
    ("assertTrue(box.size() && box.isEmpty());", "box.size() is of type int: no operand of &&"),
    ("assertTrue(box.isEmpty() || box.name());", "box.name() is of type String: no operand of ||"),
    ("assertTrue(box.size() < 0 && box.isEmpty());", None),
    ("assertEquals(0, box.size() - 1);", None),
    ('assertEquals("x1", box.name() + box.size());', None),
])
def test_operands_of_the_wrong_type(statement, reason):
    """commons-io: `IOCase.SENSITIVE.checkEquals("ABC", "abc") < 0` of a boolean checkEquals (javac:
    bad operand types for binary operator '<')."""
    assert checks.check_candidate([statement], _box_scope()).reason == reason


def test_classes_the_test_file_writes_are_visible():
    """Another module's `Account` (wildcard-imported, out of the checks' sight) that the test file
    itself declares and creates, or `Money.of(5)` it calls: javac found them (QA); a class the file
    never writes stays unknown, and a type parameter is no class."""
    source = """\
package com.acme.b;
import com.acme.a.*;
import org.junit.Test;
class BankTest {
    <T> T first(java.util.List<T> items) { return items.get(0); }
    @Test public void open() {
        Account account = new Bank().open("ann");
        int cents = Money.of(5).cents();
        // ASSERTION PLACEHOLDER
    }
}
"""
    scope = checks.scope_at(js.find_stubs(jfile(source))[0][0], {"Bank"}, classes=lambda name: None,
                            project_package={"com.acme.a"}.__contains__)  # (else a library's, whose classes may be any)
    for statement in ('assertEquals(new Account("ann").getOwner(), account.getOwner());',
                      "assertEquals(Money.of(5).cents(), cents);"):
        assert checks.check_candidate([statement], scope).reason is None, statement
    assert "unknown name 'Wallet'" in checks.check_candidate(["assertEquals(Wallet.of(5), cents);"], scope).reason
    assert "unknown type 'T'" in checks.check_candidate(["assertNotNull((T) account);"], scope).reason


ROUND8 = """\
package p;
import static org.junit.Assert.*;
import static org.hamcrest.Matchers.*;
import java.nio.file.*;
import java.util.*;
import org.junit.Test;
class FooTest {
    @Test public void t(boolean flag) throws java.io.IOException {
        Path path = Paths.get("a");
        Long total = 5L;
        int max;
        if (flag) { max = 1; } else { max = 5; }
        String label;
        switch (max) { case 1: label = "one"; break; case 2: case 3: label = "few"; break; default: label = "many"; }
        int twice;
        twice = 1;
        if (flag) { twice = 2; }
        for (Integer v : List.of(1)) { }
        // ASSERTION PLACEHOLDER
    }
}
"""


@pytest.mark.parametrize("statement, reason", [
    ("assertTrue(List.of(1).stream().allMatch(v -> v <= max));", None),   # assigned once on each branch
    ("assertTrue(List.of(\"a\").stream().noneMatch(s -> s.equals(label)));", None),   # ... each case
    ("assertTrue(List.of(1).stream().allMatch(x -> x <= twice));", "'twice', which is not effectively final"),
    ("assertTrue(List.of(1).stream().allMatch(v -> v > 0));", None),   # the loop's `v` is out of scope here
    # JUnit 4's assertEquals beside Hamcrest's wildcard (no assertEquals there): still ambiguous
    ("assertEquals(5, total);", "is ambiguous in JUnit 4"),
    ("assertNotEquals(4, total);", "assertNotEquals of a int and a Long is ambiguous"),
])
def test_qa_round_8_branches_loops_and_junit_4_beside_hamcrest(statement, reason):
    stub = js.find_stubs(jfile(ROUND8))[0][0]
    found = checks.check_candidate([statement], checks.scope_at(stub, set(), classes=lambda name: None))
    assert found.reason is None if reason is None else reason in (found.reason or "accepted"), found.reason


def test_a_switch_case_falling_into_another_assigns_twice():
    """javac: local variables referenced from a lambda expression must be final or effectively final."""
    source = ROUND8.replace('label = "few"; break;', 'label = "few";')
    stub = js.find_stubs(jfile(source))[0][0]
    found = checks.check_candidate(["assertTrue(List.of(\"a\").stream().noneMatch(s -> s.equals(label)));"],
                                   checks.scope_at(stub, set(), classes=lambda name: None))
    assert "'label', which is not effectively final" in (found.reason or "accepted")


def test_a_stub_in_a_lambda_may_throw_what_the_lambda_may():
    """In assertDoesNotThrow's Executable (or a project's interface) anything may be thrown; in a
    Runnable only what the lambda catches itself, whatever the test declares (QA round 8)."""
    executable = ROUND8.replace("        // ASSERTION PLACEHOLDER\n", "        assertAll(() -> {\n"
                                "            // ASSERTION PLACEHOLDER\n        });\n")
    runnable = executable.replace("assertAll(() -> {", "Runnable check = () -> {").replace("});", "};")
    no_throws = executable.replace(" throws java.io.IOException", "")
    statement = 'assertEquals("x", Files.readString(path));'
    assert check(statement, source=executable, extra=()).reason is None
    assert check(statement, source=no_throws, extra=()).reason is None
    assert "calls 'readString'" in (check(statement, source=runnable, extra=()).reason or "accepted")
    caught = runnable.replace("            // ASSERTION PLACEHOLDER\n", "            try {\n"
                              "            // ASSERTION PLACEHOLDER\n            } catch (java.io.IOException e) { }\n")
    assert check(statement, source=caught, extra=()).reason is None


def test_a_local_class_captures_the_locals_around_it():
    source = ROUND8.replace("        // ASSERTION PLACEHOLDER\n", "        class Check {\n            void run() {\n"
                            "                // ASSERTION PLACEHOLDER\n            }\n        }\n")
    assert "'twice', which is not effectively final" in check("assertEquals(1, twice);", source=source, extra=()).reason
    assert check("assertEquals(1, max);", source=source, extra=()).reason is None


QA11_SOURCE = """\
package p;
import static org.junit.jupiter.api.Assertions.*;
import java.io.*;
import java.util.logging.*;
import org.junit.jupiter.api.Test;
class StatsTest {
    private Stats fieldStats[] = { new Stats() };
    @Test void t() throws Exception {
        int nums[] = {1, 5, 3}, count = 3;
        Stats stats[][] = { { new Stats() } };
        Logger logger = Logger.getLogger("t");
        try (Reader reader = new StringReader("x")) {
            // ASSERTION PLACEHOLDER
        } catch (IOException e) {
            fail(e);
        }
    }
}
"""


@pytest.mark.parametrize("statement, reason", [
    # a catch clause's parameter is not a name of its try's body (nor of its resources')
    ("assertNotNull(e.getMessage());", "unknown name 'e'"),
    ("assertTrue(reader.ready());", None),
    # C-style arrays: an array of the written type (its element too, one dimension less)
    ("assertEquals(1, fieldStats.size());", "'fieldStats' has no member 'size'"),
    ("assertEquals(1, fieldStats.length);", None),
    ("assertEquals(1, stats[0].length);", None),
    ("assertEquals(1, stats.size());", "'stats' has no member 'size'"),
    ("assertEquals(5, nums[1].intValue());", "nums[1] is a primitive int"),
    ("assertEquals(3, count + nums.length);", None),  # `int nums[], count`: only nums is an array
    # java.util.logging's classes are in the JDK index
    ("assertEquals(0, logger.length());", "'logger' has no member 'length'"),
    ("assertEquals(\"t\", logger.getName());", None),
])
def test_catch_parameters_c_style_arrays_and_logging(statement, reason):
    """QA round 11 (the embedded model's own candidates on the earlier rounds' projects, javac 17
    the judge): a try-with-resources' catch parameter counted as a name of its body; `Stats
    stats[]` was of no known type; java.util.logging's Logger had no known members."""
    stub = js.find_stubs(jfile(QA11_SOURCE))[0][0]
    found = checks.check_candidate([statement], checks.scope_at(stub, {"Stats"}, classes={}.get)).reason
    assert found is None if reason is None else reason in (found or ""), (statement, found)


@pytest.mark.parametrize("statement, reason", [
    ("assertNotSame(circle, circle);", "compares circle with itself: it always fails"),  # the model wrote it
    ("assertSame(total, total);", "compares total with itself: it always passes"),
    ('assertNotEquals("total", this.total, this.total);', "compares this.total with itself"),  # JUnit 4's message first
    ("assertThat(names).isSameAs(names);", "compares names with itself"),
    ("assertThat(circle).isNotSameAs(circle);", "always fails"),
    # tests of equals() assert it is reflexive (commons-math, opennlp in the corpus)
    ("assertEquals(circle, circle);", None), ("assertThat(names).isEqualTo(names);", None),
    # two calls (or two objects) may be two values
    ("assertEquals(it.next(), it.next());", None), ("assertNotSame(new Object(), circle);", None),
    ("assertEquals(names.size(), total);", None), ("assertThat(names).hasSize(total);", None),
])
def test_a_value_compared_with_itself_is_refused(statement, reason):
    source = ("package p;\nimport static org.junit.jupiter.api.Assertions.*;\nimport static org.assertj.core.api.Assertions.assertThat;\n"
              "import java.util.*;\nimport org.junit.jupiter.api.Test;\nclass T {\n    int total = 2;\n    @Test void t() {\n"
              "        List<String> names = new ArrayList<>();\n        Iterator<String> it = names.iterator();\n"
              "        Object circle = new Object();\n        // ASSERTION PLACEHOLDER\n    }\n}\n")
    stub = js.find_stubs(jfile(source))[0][0]
    found = checks.check_candidate([statement], checks.scope_at(stub, set(), classes={}.get)).reason
    assert found is None if reason is None else reason in (found or ""), (statement, found)


SIBLINGS = """\
package p;
import static org.junit.Assert.*;
import java.util.*;
import org.junit.Test;
public class SplitTest {
    private List<Integer> total = new ArrayList<>();
    @Test public void other() {
        List<String> total = new ArrayList<>();
        List<String> parts = Arrays.asList("a", "b");
        boolean found = parts.isEmpty();
        assertEquals(2, parts.size());
    }
    @Test public void stub() {
        String[] parts = "a,b".split(",");
        int found = parts.length;
        String total = "t";
        // ASSERTION PLACEHOLDER
    }
}
"""


@pytest.mark.parametrize("statement, reason", [
    # the stub's own `String[] parts`, not the other test's `List<String> parts` (a reused list's names)
    ("assertEquals(2, parts.size());", "'parts' has no member 'size'"),
    ("assertTrue(found);", "assertTrue takes a boolean, and gets int"),
    ("assertEquals(2, parts.length + found);", None),
    # JUnit 5's message last (reused from a JUnit 5 test) in this JUnit 4 test: no overload fits
    ('assertEquals(2, found, "parts");', "JUnit 4's assertEquals takes the message first"),
    ('assertTrue(found > 0, "found");', "JUnit 4's assertTrue takes the message first"),
    ('assertEquals("found", 2, found);', None),
    ("assertTrue();", "uses nothing from the test"),  # no argument (crashed fill: IndexError)
    # a field of the name too: `this.total` is the field (List<Integer>), whatever the local is
    ("assertEquals(2, this.total.get(0).intValue());", None),
    # a void method's result as an argument (javac: 'void' type not allowed here)
    ('assertEquals("a", parts[0].getChars(0, 1, new char[1], 0));', "returns nothing (void)"),
    ("assertNull(Collections.sort(Arrays.asList(parts)));", "returns nothing (void)"),
])
def test_a_local_is_the_type_its_own_test_declares_and_junit_4_s_message_comes_first(statement, reason):
    """QA round 12 (reuse on realistic projects, javac 17 the judge): a name two tests of the file
    declare with two types was of no known type, so a reused `parts.size()` passed for `String[]
    parts`; JUnit 5's `assertEquals(22, r, "rounded")` passed in a JUnit 4 test."""
    stub = js.find_stubs(jfile(SIBLINGS))[0][0]
    found = checks.check_candidate([statement], checks.scope_at(stub, set(), classes={}.get)).reason
    assert found is None if reason is None else reason in (found or ""), (statement, found)


def test_an_assertion_repeated_at_one_place_is_written_once_where_it_checks_nothing_more():
    """The model writes `assertEquals("a", doc.toString())` four times (jsoup, stop 31)."""
    checked = check("assertEquals(3, before);", "assertNotNull(foo);", "assertEquals(3,  before);", "assertNotNull(foo);")
    assert checked.reason is None and checked.statements == ["assertEquals(3, before);", "assertNotNull(foo);"]
    # what changes from one call to the next stays: two reads read two values
    checked = check("assertEquals(0, foo.read());", "assertEquals(0, foo.read());")
    assert checked.reason is None and len(checked.statements) == 2


@pytest.mark.parametrize("statements, reason", [
    (("assertEquals(0, foo.getItems().size());", "assertEquals(1, foo.getItems().size());"),
     "asserts foo.getItems().size() equals both 0 and 1: one of them fails"),
    (('assertEquals("a", foo.name());', 'assertEquals(before, param);', 'assertEquals("b", foo.name());'),
     'asserts foo.name() equals both "a" and "b": one of them fails'),
    (("assertEquals(0, foo.next());", "assertEquals(1, foo.next());"), None),   # two calls, two values
    (("assertEquals(1, before);", "assertEquals(1L, before);"), None),          # one value
    # true and false, null and not null (commons-io: a reused pair whose neighbour deleted the
    # directory between the two; JUnit 5's message last, JUnit 4's first)
    (("assertTrue(foo.exists());", 'assertFalse(foo.exists(), "Check No Exist");'),
     "asserts foo.exists() is both true and false: one of them fails"),
    (('assertTrue("has items", foo.hasItems());', "assertFalse(foo.hasItems());"),
     "asserts foo.hasItems() is both true and false: one of them fails"),
    (("assertNull(foo.getItems());", "assertNotNull(foo.getItems());"),
     "asserts foo.getItems() is both null and not null: one of them fails"),
    (("assertTrue(foo.advance());", "assertFalse(foo.advance());"), None),      # a call that may change it
    (("assertTrue(foo.exists());", "assertTrue(foo.exists());"), None),
])
def test_two_values_asserted_for_one_expression_at_one_place_are_refused(statements, reason):
    assert check(*statements).reason == reason


def test_what_assertthrows_calls_is_the_argument_after_the_class_and_a_lambda_may_declare_resources():
    """commons-pool's `assertThrows(E.class, () -> ..., () -> "message")`: the message supplier
    returns a String (its body was taken for the executable's, stop 31); commons-csv's
    `assertThrows(E.class, () -> { try (Reader reader = ...; CSVParser parser = format.parse(reader);) {} })`."""
    assert check('assertThrows(IllegalStateException.class, () -> foo.get(), () -> "no foo");').reason is None
    assert check("assertThrows(IllegalStateException.class, () -> { try (Res r = foo.open(); Res s = r.next()) {} });"
                 ).reason is None
    assert check("assertThrows(IllegalStateException.class, () -> foo::get);").reason \
        == "assertThrows calls a lambda for no value, and its body foo::get is no statement"


def test_object_s_methods_are_the_test_class_s_own():
    """commons-io's `FileUtils.copyURLToFile(getClass().getResource(name), ...)`: "unknown method"."""
    assert check("assertNotNull(getClass().getResource(String.valueOf(before)));").reason is None
