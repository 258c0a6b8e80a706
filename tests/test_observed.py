"""`--accept-observed`: a failed assertEquals (Hamcrest's assertThat ... is/equalTo, AssertJ's
isEqualTo) of a literal takes the value the run observed (assertgen/observed.py). The JUnit 4
messages below are what JUnit 4.13.2's ComparisonFailure printed for these strings (javac 17,
/usr/share/java/junit4.jar, stop 34); JUnit 3's junit.framework.ComparisonFailure prints the
same; the Hamcrest ones are hamcrest-2.2.jar's; AssertJ's older format is what assertj-core
3.14.0 (Debian's libassertj-core-java) printed at stop 35, its newer one (3.20 on) follows the
format string of its ShouldBeEqual."""

from __future__ import annotations

import pytest

from assertgen.observed import with_observed_value

JUNIT5 = "org.opentest4j.AssertionFailedError"
JUNIT4 = "java.lang.AssertionError"
JUNIT4_STRINGS = "org.junit.ComparisonFailure"


# Hamcrest 2.2's messages (MatcherAssert.assertThat; JUnit 4's Assert.assertThat prints the same)
@pytest.mark.parametrize("statement, message, expected", [
    ("assertThat(x.size(), is(3));", "\nExpected: is <3>\n     but: was <4>", "assertThat(x.size(), is(4));"),
    ("assertThat(x.size(), equalTo(3));", "\nExpected: <3>\n     but: was <4>", "assertThat(x.size(), equalTo(4));"),
    ("assertThat(x.size(), is(equalTo(3)));", "\nExpected: is <3>\n     but: was <4>",
     "assertThat(x.size(), is(equalTo(4)));"),
    ('assertThat(s.text(), is("abc"));', '\nExpected: is "abc"\n     but: was "a\\"b\\n\\tc\\\\"',
     'assertThat(s.text(), is("a\\"b\\n\\tc\\\\"));'),
    ('assertThat("reason", x.id(), is(3L));', "reason\nExpected: is <3L>\n     but: was <4L>",
     'assertThat("reason", x.id(), is(4L));'),
    ("assertThat(s.first(), is('a'));", '\nExpected: is "a"\n     but: was "b"', "assertThat(s.first(), is('b'));"),
    ("assertThat(x.ratio(), is(2.0));", "\nExpected: is <2.0>\n     but: was <1.5>", "assertThat(x.ratio(), is(1.5));"),
    ("assertThat(x.ok(), is(true));", "\nExpected: is <true>\n     but: was <false>", "assertThat(x.ok(), is(false));"),
    # not one value compared: left alone
    ("assertThat(x.size(), greaterThan(3));", "\nExpected: a value greater than <3>\n     but: <2> was less than <3>",
     None),
    ("assertThat(x.list(), is(3));", "\nExpected: is <3>\n     but: was <[1, 2]>", None),
    ("assertThat(x.size()).isEqualTo(3);", "\nExpected: is <3>\n     but: was <4>", None),   # not AssertJ's message
])
def test_hamcrest_is_and_equal_to_take_the_value_too(statement, message, expected):
    assert with_observed_value(statement, JUNIT4, message) == expected


# AssertJ: 3.14.0's messages (printed with opentest4j on the class path, as under JUnit 5), then
# 3.20's and later ("\nexpected: %s\n but was: %s", a multi-line value indented on lines of its own)
@pytest.mark.parametrize("statement, message, expected", [
    ("assertThat(x.size()).isEqualTo(3);", "\nExpecting:\n <4>\nto be equal to:\n <3>\nbut was not.",
     "assertThat(x.size()).isEqualTo(4);"),
    ('assertThat(x.size()).as("count").isEqualTo(3);', "[count] \nExpecting:\n <4>\nto be equal to:\n <3>\nbut was not.",
     'assertThat(x.size()).as("count").isEqualTo(4);'),
    ("Assertions.assertThat(x.id()).isEqualTo(3L);", "\nExpecting:\n <4L>\nto be equal to:\n <3L>\nbut was not.",
     "Assertions.assertThat(x.id()).isEqualTo(4L);"),
    ('assertThat(s.text()).isEqualTo("x");', '\nExpecting:\n <"a"b\nc">\nto be equal to:\n <"x">\nbut was not.',
     'assertThat(s.text()).isEqualTo("a\\"b\\nc");'),
    ("assertThat(s.first()).isEqualTo('d');", "\nExpecting:\n <'c'>\nto be equal to:\n <'d'>\nbut was not.",
     "assertThat(s.first()).isEqualTo('c');"),
    ("assertThat(x.ratio()).isEqualTo(2.0);", "\nExpecting:\n <1.5>\nto be equal to:\n <2.0>\nbut was not.",
     "assertThat(x.ratio()).isEqualTo(1.5);"),
    ("assertThat(x.ratio()).isEqualTo(2.0f);", "\nExpecting:\n <1.5f>\nto be equal to:\n <2.0f>\nbut was not.",
     "assertThat(x.ratio()).isEqualTo(1.5f);"),
    ("assertThat(x.ok()).isEqualTo(false);", "\nExpecting:\n <true>\nto be equal to:\n <false>\nbut was not.",
     "assertThat(x.ok()).isEqualTo(true);"),
    ("assertThat(x.size()).isEqualTo(3);", "\nexpected: 3\n but was: 4", "assertThat(x.size()).isEqualTo(4);"),
    ("assertThat(x.id()).isEqualTo(3L);", "[id] \nexpected: 3L\n but was: 12345678901L",
     "assertThat(x.id()).isEqualTo(12345678901L);"),
    ('assertThat(s.text()).isEqualTo("x\\ny");', '\nexpected: \n  "x\n  y"\n but was: \n  "a\n  b"',
     'assertThat(s.text()).isEqualTo("a\\nb");'),
    ("assertThat(s.first()).isEqualTo('d');", "\nexpected: 'd'\n but was: 'c'", "assertThat(s.first()).isEqualTo('c');"),
    # not one value compared, or not a value a literal holds: left alone
    ('assertThat(sb).isEqualTo("q");', '\nExpecting:\n <q>\nto be equal to:\n <"q">\nbut was not.', None),
    ("assertThat(x.list()).isEqualTo(3);", "\nexpected: 3\n but was: [1, 2]", None),
    ("assertThat(x.ratio()).isEqualTo(2.0, offset(0.1));", "\nexpected: 2.0\n but was: 1.5", None),
    ("assertThat(x.size()).isEqualTo(3).isEqualTo(y);", "\nexpected: 3\n but was: 4", None),
    ("assertThat(x.size(), y).isEqualTo(3);", "\nexpected: 3\n but was: 4", None),
    ("assertThat(x.size()).isEqualTo(3);", "\nExpecting:\n <4>\nto be equal to:\n <3>\nwhen comparing values using X",
     None),
])
def test_assertj_is_equal_to_takes_the_value_too(statement, message, expected):
    assert with_observed_value(statement, JUNIT5, message) == expected


@pytest.mark.parametrize("statement, kind, message, expected", [
    ("assertEquals(3, list.size());", JUNIT5, "expected: <3> but was: <4>", "assertEquals(4, list.size());"),
    ("assertEquals(3, list.size(), \"size\");", JUNIT5, "size ==> expected: <3> but was: <4>",
     "assertEquals(4, list.size(), \"size\");"),
    # JUnit 4's message first: the literal compared is the second argument
    ('assertEquals("size", 3, list.size());', JUNIT4, "size expected:<3> but was:<4>",
     'assertEquals("size", 4, list.size());'),
    ("assertEquals(-1L, x.id());", JUNIT4, "expected:<-1> but was:<12345678901>", "assertEquals(12345678901L, x.id());"),
    ("assertEquals(2, x.count());", JUNIT4, "expected:<2> but was:<12345678901>", "assertEquals(12345678901L, x.count());"),
    ("assertEquals(0xFFFFFFFF, x.bits());", JUNIT5, "expected: <-1> but was: <4>", "assertEquals(4, x.bits());"),
    ("assertEquals(1.5f, x.ratio(), 0.01);", JUNIT4, "expected:<1.5> but was:<1.25>", "assertEquals(1.25f, x.ratio(), 0.01);"),
    ("assertEquals(1e3, x.total(), 0.1);", JUNIT5, "expected: <1000.0> but was: <1.0E10>",
     "assertEquals(1.0E10, x.total(), 0.1);"),
    ("assertEquals('a', s.first());", JUNIT5, "expected: <a> but was: <b>", "assertEquals('b', s.first());"),
    ("assertEquals('a', s.first());", JUNIT5, "expected: <a> but was: <'>", "assertEquals('\\'', s.first());"),
    ("assertEquals('a', s.first());", JUNIT5, 'expected: <a> but was: <">', "assertEquals('\"', s.first());"),
    ('assertEquals("a", s.text());', JUNIT5, "expected: <a> but was: <it's>", 'assertEquals("it\'s", s.text());'),
    ("assertEquals(true, s.isEmpty());", JUNIT5, "expected: <true> but was: <false>", "assertEquals(false, s.isEmpty());"),
    # strings: escapes written back as Java needs them, a line break kept (from the stack trace)
    ('assertEquals("a\\tb", s.text());', JUNIT5, 'expected: <a\tb> but was: <a "c"\n\\d\u0001>',
     'assertEquals("a \\"c\\"\\n\\\\d\\001", s.text());'),
    ('assertEquals("abc", s.text());', JUNIT4_STRINGS, "expected:<ab[c]> but was:<ab[d]>", 'assertEquals("abd", s.text());'),
    ('assertEquals("[a]", s.text());', JUNIT4_STRINGS, "expected:<[[a]]> but was:<[b]>", 'assertEquals("b", s.text());'),
    ('assertEquals("", s.text());', JUNIT4_STRINGS, "expected:<[]> but was:<[abc]>", 'assertEquals("abc", s.text());'),
    # JUnit 3's, printed the same
    ('assertEquals("x...y", s.text());', "junit.framework.ComparisonFailure", "expected:<x...[y]> but was:<x...[z]>",
     'assertEquals("x...z", s.text());'),
    # JUnit 4 cuts each shared part to 20 characters beside the difference
    ('assertEquals("The quick brown fox jumps over the lazy dog at 05:00 in the morning light", s.text());',
     JUNIT4_STRINGS, "expected:<...er the lazy dog at 0[5]:00 in the morning l...> "
                     "but was:<...er the lazy dog at 0[6]:00 in the morning l...>",
     'assertEquals("The quick brown fox jumps over the lazy dog at 06:00 in the morning light", s.text());'),
    ('assertEquals("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", s.text());', JUNIT4_STRINGS,
     "expected:<...aaaaaaaaaaaaaaaaaaaa[]> but was:<...aaaaaaaaaaaaaaaaaaaa[a]>",
     'assertEquals("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", s.text());'),
])
def test_the_literal_takes_the_value_the_run_observed(statement, kind, message, expected):
    assert with_observed_value(statement, kind, message) == expected


@pytest.mark.parametrize("statement, kind, message", [
    ("assertEquals(count, list.size());", JUNIT5, "expected: <3> but was: <4>"),      # no literal to replace
    ("assertTrue(list.isEmpty());", JUNIT5, "expected: <false> but was: <true>"),    # not its failure
    ('assertEquals("a", s.text());', JUNIT5, "expected: <b> but was: <c>"),          # another assertion's failure
    ("assertEquals(1, x.ratio());", JUNIT5, "expected: <1> but was: <1.5>"),         # no int literal holds 1.5
    ("assertEquals(1.5, x.ratio(), 0.1);", JUNIT5, "expected: <1.5> but was: <NaN>"),
    ("assertEquals('a', s.first());", JUNIT5, "expected: <a> but was: <bc>"),
    ("assertEquals(null, s.first());", JUNIT5, "expected: <null> but was: <b>"),
    ("assertEquals(3, list.size());", JUNIT5, "expected: java.lang.Integer@1b <3> but was: java.lang.Long@2c <3>"),
    ("assertEquals(3, list.size());", JUNIT5, "Index 3 out of bounds for length 3"),
    ('assertEquals("abc", s.text());', JUNIT4_STRINGS, "expected:<ab[x]> but was:<ab[d]>"),  # not this literal
    # Object.toString's identity hash: it may differ at the next run (joda-time's PeriodFormatterBuilder)
    ('assertEquals("a", builder.toString());', JUNIT4_STRINGS,
     "expected:<[a]> but was:<[org.joda.time.format.PeriodFormatterBuilder@68a78f3c]>"),
    ('assertEquals("", f.toString());', JUNIT5, "expected: <> but was: <Foo$$Lambda$14/0x0000000800c03000@4e50df2e>"),
])
def test_what_is_not_one_literal_compared_is_left_alone(statement, kind, message):
    assert with_observed_value(statement, kind, message) is None


# JUnit 4.13.2's and JUnit 3's (junit4.jar's junit.framework) assertTrue fail with a bare
# AssertionError (or one with the test's message), as printed here; JUnit 5.9's and AssertJ 3.14.0's say the value
JUNIT4_TRUE_TRACE = """java.lang.AssertionError
\tat org.junit.Assert.fail(Assert.java:87)
\tat org.junit.Assert.assertTrue(Assert.java:42)
\tat org.junit.Assert.assertTrue(Assert.java:53)
\tat p.SizeTest.testEmpty(SizeTest.java:12)
"""
JUNIT3_FALSE_TRACE = """junit.framework.AssertionFailedError: why
\tat junit.framework.Assert.fail(Assert.java:57)
\tat junit.framework.Assert.assertTrue(Assert.java:22)
\tat junit.framework.Assert.assertFalse(Assert.java:39)
\tat junit.framework.TestCase.assertFalse(TestCase.java:210)
\tat p.SizeTest.testEmpty(SizeTest.java:12)
"""
# a helper's own assertTrue inside the condition: the failure is the helper's, not this statement's
HELPER_TRACE = JUNIT4_TRUE_TRACE.replace("\tat p.SizeTest.testEmpty", "\tat p.Checks.valid(Checks.java:3)\n\tat p.SizeTest.testEmpty")
FRAME = ".testEmpty(SizeTest.java:12)"


@pytest.mark.parametrize("statement, kind, message, trace, expected", [
    ("assertTrue(list.isEmpty());", JUNIT5, "expected: <true> but was: <false>", "", "assertFalse(list.isEmpty());"),
    ('assertFalse(list.isEmpty(), "why");', JUNIT5, "why ==> expected: <false> but was: <true>", "",
     'assertTrue(list.isEmpty(), "why");'),
    ("Assert.assertTrue(list.isEmpty());", JUNIT4, JUNIT4, JUNIT4_TRUE_TRACE, "Assert.assertFalse(list.isEmpty());"),
    ('assertFalse("why", list.isEmpty());', "junit.framework.AssertionFailedError", "why", JUNIT3_FALSE_TRACE,
     'assertTrue("why", list.isEmpty());'),
    ("assertThat(list.isEmpty()).isTrue();", JUNIT5, "\nExpecting:\n <false>\nto be equal to:\n <true>\nbut was not.", "",
     "assertThat(list.isEmpty()).isFalse();"),
    ('assertThat(list.isEmpty()).as("d").isFalse();', JUNIT5,
     "[d] \nExpecting:\n <true>\nto be equal to:\n <false>\nbut was not.", "", 'assertThat(list.isEmpty()).as("d").isTrue();'),
    ("assertThat(list.isEmpty()).isTrue();", JUNIT5, "\nexpected: true\n but was: false", "",
     "assertThat(list.isEmpty()).isFalse();"),
    # not for sure: left alone
    ("assertTrue(valid(list));", JUNIT4, JUNIT4, HELPER_TRACE, None),
    ("assertTrue(list.isEmpty());", JUNIT4, JUNIT4, "", None),
    ("assertTrue(list.isEmpty());", "java.lang.NullPointerException", "x", JUNIT4_TRUE_TRACE, None),
    ("assertThat(list.isEmpty()).isTrue();", JUNIT5, "\nexpected: false\n but was: true", "", None),
    ("assertThat(x.flag()).isNotNull().isTrue();", JUNIT5, "\nExpecting actual not to be null", "", None),
    ("assertTrue(list.isEmpty() && assertFalse(x));", JUNIT5, "expected: <true> but was: <false>", "", None),
])
def test_a_failed_truth_assertion_asserts_the_other(statement, kind, message, trace, expected):
    assert with_observed_value(statement, kind, message, trace, FRAME) == expected


# A null observed (messages printed here by JUnit 4.13.2, junit4.jar's junit.framework, JUnit 5.9.2 and
# AssertJ 3.14.0, stop 36): the assertion asserts null; JUnit 5 prints the string "null" as it prints null,
# and null is taken (the next run judges)
JUNIT3_STRINGS = "junit.framework.ComparisonFailure"


@pytest.mark.parametrize("statement, kind, message, expected", [
    ("assertEquals(200, mock.get(200));", JUNIT4, "expected:<200> but was:<null>", "assertNull(mock.get(200));"),
    ('assertEquals("why", 200, mock.get(200));', JUNIT4, "why expected:<200> but was:<null>",
     'assertNull("why", mock.get(200));'),
    ('assertEquals(200, mock.get(200), "why");', JUNIT5, "why ==> expected: <200> but was: <null>",
     'assertNull(mock.get(200), "why");'),
    ('assertEquals("null", mock.text());', JUNIT4, "expected: java.lang.String<null> but was: null<null>",
     "assertNull(mock.text());"),
    ('assertEquals("null", mock.text());', JUNIT5, "expected: java.lang.String@16f9af9a<null> but was: <null>",
     "assertNull(mock.text());"),
    ('assertEquals("foo", mock.text());', JUNIT4, "expected:<foo> but was:<null>", "assertNull(mock.text());"),
    ('assertEquals("foo", mock.text());', JUNIT3_STRINGS, "expected:<foo> but was:<null>", "assertNull(mock.text());"),
    ('assertEquals("foo", mock.text());', JUNIT5, "expected: <foo> but was: <null>", "assertNull(mock.text());"),
    ("assertEquals(mock.get(200), 200);", JUNIT5, "expected: <200> but was: <null>", "assertNull(mock.get(200));"),
    # JUnit 4's ComparisonFailure brackets the string "null": a string it is
    ('assertEquals("foo", mock.text());', JUNIT4_STRINGS, "expected:<[foo]> but was:<[null]>",
     'assertEquals("null", mock.text());'),
    ("assertThat(mock.get(2)).isEqualTo(200);", JUNIT4, "\nExpecting actual not to be null",
     "assertThat(mock.get(2)).isNull();"),
    ('assertThat(mock.text()).as("d").isEqualTo("null");', JUNIT5,
     '[d] \nExpecting:\n <null>\nto be equal to:\n <"null">\nbut was not.', 'assertThat(mock.text()).as("d").isNull();'),
    ('assertThat(mock.text()).isEqualTo("x");', JUNIT5, '\nexpected: "x"\n but was: null', "assertThat(mock.text()).isNull();"),
    # not for sure: left alone
    ("assertEquals(2.0, mock.ratio(), 0.1);", JUNIT5, "expected: <2.0> but was: <null>", None),   # (a delta)
    ("assertEquals(200, mock.get(200));", JUNIT4, "expected:<300> but was:<null>", None),
    ("assertThat(mock.get(2)).isEqualTo(y);", JUNIT4, "\nExpecting actual not to be null", None),
    ("assertThat(mock.get(2), is(200));", JUNIT4, "\nExpected: is <200>\n     but: was null", None),   # (Hamcrest's)
])
def test_a_null_observed_is_asserted(statement, kind, message, expected):
    assert with_observed_value(statement, kind, message) == expected


JUNIT4_NULL_TRACE = """java.lang.AssertionError: expected null, but was:<x>
\tat org.junit.Assert.fail(Assert.java:89)
\tat org.junit.Assert.failNotNull(Assert.java:756)
\tat org.junit.Assert.assertNull(Assert.java:738)
\tat org.junit.Assert.assertNull(Assert.java:748)
\tat p.SizeTest.testEmpty(SizeTest.java:12)
"""
JUNIT3_NOT_NULL_TRACE = """junit.framework.AssertionFailedError
\tat junit.framework.Assert.fail(Assert.java:55)
\tat junit.framework.Assert.assertTrue(Assert.java:22)
\tat junit.framework.Assert.assertNotNull(Assert.java:256)
\tat junit.framework.Assert.assertNotNull(Assert.java:248)
\tat p.SizeTest.testEmpty(SizeTest.java:12)
"""


@pytest.mark.parametrize("statement, kind, message, trace, expected", [
    ("assertNull(map.get(k));", JUNIT5, "expected: <null> but was: <x>", "", "assertNotNull(map.get(k));"),
    ('assertNotNull(map.get(k), "why");', JUNIT5, "why ==> expected: not <null>", "", 'assertNull(map.get(k), "why");'),
    ("assertNull(map.get(k));", JUNIT4, "expected null, but was:<x>", JUNIT4_NULL_TRACE, "assertNotNull(map.get(k));"),
    ("assertNotNull(map.get(k));", "junit.framework.AssertionFailedError", "", JUNIT3_NOT_NULL_TRACE,
     "assertNull(map.get(k));"),
    ('assertThat(map.get(k)).as("d").isNull();', JUNIT5, '[d] \nExpecting:\n <"x">\nto be equal to:\n <null>\nbut was not.',
     "", 'assertThat(map.get(k)).as("d").isNotNull();'),
    ("assertThat(map.get(k)).isNotNull();", JUNIT4, "\nExpecting actual not to be null", "", "assertThat(map.get(k)).isNull();"),
    ("assertThat(map.get(k)).isNull();", JUNIT5, '\nexpected: null\n but was: "x"', "", "assertThat(map.get(k)).isNotNull();"),
    # an object AssertJ shows by its toString (mockito's MockInjectionTest, AssertJ 3.14.0)
    ("assertThat(made).isNull();", JUNIT4, "\nExpecting:\n <p.Made@50122012>\nto be equal to:\n <null>\nbut was not.", "",
     "assertThat(made).isNotNull();"),
    ("assertThat(made).isNull();", JUNIT5, "\nexpected: null\n but was: Made[a=1]", "", "assertThat(made).isNotNull();"),
    # not for sure: left alone
    ("assertThat(made).isNull();", JUNIT4, "\nExpecting:\n <p.Made@50122012>\nto be equal to:\n <3>\nbut was not.", "", None),
    ("assertNull(map.get(k));", JUNIT5, "expected: not <null>", "", None),
    ("assertNotNull(map.get(k));", JUNIT5, "expected: <null> but was: <x>", "", None),
    ("assertThat(map.get(k)).isNull();", JUNIT4, "\nExpecting actual not to be null", "", None),
    ("assertNull(map.get(k));", JUNIT4, "x", HELPER_TRACE, None),
])
def test_a_failed_nullness_assertion_asserts_the_other(statement, kind, message, trace, expected):
    assert with_observed_value(statement, kind, message, trace, FRAME) == expected
