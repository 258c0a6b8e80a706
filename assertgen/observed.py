"""The value a failing assertEquals (Hamcrest's assertThat ... is/equalTo, AssertJ's
assertThat(...).isEqualTo) observed, written in place of its expected literal (a null observed:
assertNull, AssertJ's isNull); a failing assertTrue written as assertFalse (AssertJ's isTrue as
isFalse), assertNull as assertNotNull (isNull as isNotNull), and back
(`assertgen fill --verify CMD --accept-observed`).

Most fills that pass the checks and still fail when run are a similar test's assertions that
carry that test's values where the stub's inputs differ (stop 33: 237 of 275 failures on six
projects; benchmarks/results/README.md, "Do the fills pass?"). The run says what the code
returned: `expected: <3> but was: <4>` (JUnit 5), `expected:<3> but was:<4>` (JUnit 4),
`Expected: is <3>` / `but: was <4>` (Hamcrest), `expected: 3` / ` but was: 4` (AssertJ), so the
literal can take the observed value and the test run again. The assertion then records what the
code does today, bugs included (a regression assertion): that is why it is opt-in.

JUnit 4 (and 3) shows two strings (a ComparisonFailure) around their difference, `[` and `]`
around the part that differs and each shared part cut to 20 characters with `...`
(`expected:<...0[5]:00> but was:<...0[6]:00>`); knowing the expected literal, the whole actual
string is put back together (`_junit4_actuals`), and where it cannot be told for sure the fill
is taken back as before.
"""

from __future__ import annotations

import math
import re

from tree_sitter import Node

from assertgen.java_source import nodes_of_type, parse, text
from assertgen.literals import literal_error, string_value

# (opening, separator) of JUnit 5's and JUnit 4's assertEquals messages
_FORMATS = (("expected: <", "> but was: <"), ("expected:<", "> but was:<"))
# Hamcrest's `assertThat(x, is(3))` / `equalTo(3)`: "\nExpected: is <3>\n     but: was <4>", a String or
# a char shown in double quotes with Java's escapes ("a\"b"), a long as <3L>, a float <1.5F>, a short <3s>
_HAMCREST = re.compile(r"(?s).*\nExpected: (?:is )?(.*)\n     but: was (.*)")
_HAMCREST_MATCHERS = ("is", "equalTo")
_HAMCREST_NUMBER = re.compile(r"<(-?\d[\d.E-]*)[LFs]?>")
# AssertJ's isEqualTo: "\nexpected: 3\n but was: 4" since 3.20 (its ShouldBeEqual; a multi-line value
# on lines of its own, indented by two spaces), "\nExpecting:\n <4>\nto be equal to:\n <3>\nbut was not." before
# (3.14.0's, printed here); a String in double quotes and a char in single ones, neither escaped; a long
# as 3L, a float 1.5f; a description first ("[size] ")
_ASSERTJ_NEW = ("\nexpected: ", "\n but was: ")
_ASSERTJ_OLD = ("Expecting:\n <", ">\nto be equal to:\n <", ">\nbut was not.")
_ASSERTJ_NUMBER = re.compile(r"(-?\d[\d.E-]*)[Lf]?")
# a truth assertion: (the value it asserts, the one asserting the other)
_TRUTHS = {"assertTrue": ("true", "assertFalse"), "assertFalse": ("false", "assertTrue"),
           "isTrue": ("true", "isFalse"), "isFalse": ("false", "isTrue")}
# a nullness assertion: the one asserting the other
_NULLS = {"assertNull": "assertNotNull", "assertNotNull": "assertNull", "isNull": "isNotNull", "isNotNull": "isNull"}
_OPPOSITES = (*_TRUTHS, *_NULLS)   # the assertions a failure turns into their opposite
# A null the run observed (JUnit's `<null>`, AssertJ's unquoted `null`) where a reading holds a value.
# JUnit 5 prints the string "null" so too: null is taken, the likelier, and the next run judges.
_NULL = object()
# what JUnit 4 and 5 print when both values print alike, the string "null" and null: each with its class
_BOTH_NULL = ("> but was: null<null>", "<null> but was: <null>")
# AssertJ's isNotNull, and its isEqualTo of a number, a char or a boolean, on null (3.14.0's, printed here)
_ASSERTJ_NULL = "Expecting actual not to be null"
# JUnit 4's and 3's assertTrue fail with a message of the test's own or none: the failure is theirs
# where their frames alone come before the test's (not a helper's assertion inside the condition)
_JUNIT4_FAILURES = ("java.lang.AssertionError", "junit.framework.AssertionFailedError")
_JUNIT4_ASSERT_FRAME = re.compile(r"at (?:org\.junit\.Assert|junit\.framework\.(?:Assert|TestCase))\.\w+\(")
_JUNIT4_STRINGS = ("org.junit.ComparisonFailure", "junit.framework.ComparisonFailure")   # (JUnit 3's too)
_CONTEXT = 20          # the characters JUnit 4 keeps of each shared part
_LONGEST_MESSAGE = 20_000
_WRAP_HEAD, _WRAP_TAIL = b"class _W { void _m() {\n", b"\n} }"
_INTEGER_TYPES = {"decimal_integer_literal": 10, "hex_integer_literal": 16, "octal_integer_literal": 8,
                  "binary_integer_literal": 2}
_JAVA_DOUBLE = re.compile(r"-?\d+\.\d+(?:E-?\d+)?")   # Double.toString / Float.toString, NaN and Infinity not
# Object.toString's `com.acme.Builder@68a78f3c` (a lambda's `Foo$$Lambda$14/0x0000000800c03000@4e50df2e`):
# an identity hash, which may be the same in the next run and differ on another JVM
_IDENTITY_HASH = re.compile(r"[A-Za-z_$][\w$.]*(?:/0x[0-9a-f]+)?@[0-9a-f]{1,8}(?!\w)")
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def with_observed_value(statement: str, kind: str, message: str, trace: str = "", frame: str = "") -> str | None:
    """`statement` (an assertEquals of a literal, Hamcrest's assertThat of `is(literal)` or
    `equalTo(literal)`, AssertJ's isEqualTo(literal)) with that literal replaced by the value the
    failure message says the code returned (a null: asserting null, `_asserting_null`), or None
    when the message is not one such failure of this statement's literal, or the value cannot be
    written as a literal of the same kind; a truth or nullness assertion that failed asserting the
    opposite (`_with_the_opposite`).
    `kind` is the failure's exception class (JUnit 4's strings are shown abbreviated), `trace` its
    stack trace, `frame` the test's frame in it (`.testSize(SizeTest.java:12)`)."""
    if len(message) > _LONGEST_MESSAGE:
        return None
    source = statement.encode("utf-8")
    tree = parse(_WRAP_HEAD + source + _WRAP_TAIL)
    if tree.root_node.has_error:
        return None
    calls = [call for call in nodes_of_type(tree.root_node, "method_invocation")
             if text(call.child_by_field_name("name")) in ("assertEquals", "assertThat", "isEqualTo", *_OPPOSITES)]
    names = sorted(text(call.child_by_field_name("name")) for call in calls)
    if len(names) == 1 and names[0] in _OPPOSITES or len(names) == 2 and names[0] == "assertThat" and names[1] in _OPPOSITES:
        return _with_the_opposite(calls, source, kind, message, trace, frame)
    if names == ["assertThat", "isEqualTo"]:   # AssertJ's assertThat(actual)...isEqualTo(expected)
        checked = _assertj_checked(calls)
        expected, readings = (checked if checked is not None and len(checked) == 1 else []), _assertj_compared(message)
        if expected and message.endswith(_ASSERTJ_NULL):   # (the expected value not shown)
            return _asserting_null(calls, expected[0], source) if _literal(expected[0]) is not None else None
    elif names == ["assertEquals"]:   # (JUnit 4's message may come first)
        expected, readings = calls[0].child_by_field_name("arguments").named_children[:2], _compared(message)
    elif names == ["assertThat"]:
        expected, readings = _matched(calls[0].child_by_field_name("arguments").named_children[-1:]), \
            _hamcrest_compared(message)
    else:
        return None
    replacements = set()
    for argument in expected:
        literal = _literal(argument)
        if literal is None:
            continue
        for shown_expected, shown_actual in readings:
            for actual in _actuals(literal, shown_expected, shown_actual, kind):
                if actual is _NULL:
                    written = _asserting_null(calls, argument, source) if literal[0] != "float" else None
                    replacements.add(written)   # (None where it cannot: not for sure)
                    continue
                written = _as_literal(literal, actual)
                if written is not None:
                    start, end = _span(argument)
                    replacements.add((source[:start] + written.encode("utf-8") + source[end:]).decode("utf-8"))
    if len(replacements) != 1 or None in replacements:   # none, or readings that disagree: not for sure
        return None
    rewritten = replacements.pop()
    tree = parse(_WRAP_HEAD + rewritten.encode("utf-8") + _WRAP_TAIL)
    if tree.root_node.has_error or literal_error(tree.root_node) is not None:
        return None
    return rewritten


def _compared(message: str) -> list[tuple[str, str]]:
    """Each (expected, actual) reading of an assertEquals failure message: a value may itself
    hold `> but was: <`, and a message of the test's own may come first (JUnit 5's `msg ==> `)."""
    readings = []
    if message.endswith(_BOTH_NULL):   # (the string "null" expected, null observed)
        return [("null", _NULL)]
    if not message.endswith(">"):
        return readings
    for opening, separator in _FORMATS:
        readings += [(message[start:sep_start], message[sep_end:-1]) for start in _ends(opening, message)
                     for sep_start, sep_end in _spans(separator, message) if sep_start >= start]
    return readings


def _matched(matcher: list[Node]) -> list[Node]:
    """The value of Hamcrest's `is(3)`, `equalTo(3)` or `is(equalTo(3))` (given as a list of the
    last argument of assertThat), else none."""
    if len(matcher) != 1 or matcher[0].type != "method_invocation" \
            or text(matcher[0].child_by_field_name("name")) not in _HAMCREST_MATCHERS:
        return []
    inner = matcher[0].child_by_field_name("arguments").named_children
    if len(inner) != 1:
        return []
    return _matched(inner) or inner


def _hamcrest_compared(message: str) -> list[tuple[str, str]]:
    """The (expected, actual) of a Hamcrest mismatch as JUnit 5 would show them: a quoted string
    read as Java reads it, a number without its type's letter."""
    match = _HAMCREST.fullmatch(message)
    if match is None:
        return []
    shown = []
    for value in match.groups():
        if len(value) >= 2 and value[0] == value[-1] == '"':
            try:
                shown.append(string_value(value))
            except ValueError:
                return []
        elif (number := _HAMCREST_NUMBER.fullmatch(value)) is not None:
            shown.append(number.group(1))
        elif value in ("<true>", "<false>"):
            shown.append(value[1:-1])
        else:
            return []
    return [(shown[0], shown[1])]


def _assertj_checked(calls: list[Node]) -> list[Node] | None:
    """The arguments of the check of AssertJ's `assertThat(actual)[.as(...)...].isEqualTo(expected)`
    (`isTrue()`: none; given the check's call and assertThat's) where the check is the statement's
    last call, on a chain that starts at assertThat(actual); else None."""
    check, assert_that = sorted(calls, key=lambda call: text(call.child_by_field_name("name")) == "assertThat")
    if check.parent.type != "expression_statement" \
            or len(assert_that.child_by_field_name("arguments").named_children) != 1:
        return None
    link = check.child_by_field_name("object")
    while link is not None and link.type == "method_invocation" and link != assert_that:
        link = link.child_by_field_name("object")
    return check.child_by_field_name("arguments").named_children if link == assert_that else None


def _with_the_opposite(calls: list[Node], source: bytes, kind: str, message: str, trace: str,
                       frame: str) -> str | None:
    """assertTrue(x) as assertFalse(x), assertNull(x) as assertNotNull(x), AssertJ's
    assertThat(x).isTrue() as isFalse(), isNull() as isNotNull(), and back, where the failure is
    theirs: JUnit 5's message (`expected: <true> but was: <false>`, `expected: <null> but was:
    <x>`, `expected: not <null>`), AssertJ's, or JUnit 4's (3's) AssertionError thrown by their
    Assert right under the test's `frame`."""
    check = next(call for call in calls if text(call.child_by_field_name("name")) in _OPPOSITES)
    name = text(check.child_by_field_name("name"))
    assertj = name.startswith("is")
    if name in _TRUTHS:
        asserted, other = _TRUTHS[name]
        readings = _assertj_compared(message) if assertj else _compared(message)
        says = (asserted, "false" if asserted == "true" else "true") in readings
    elif name == "isNull":   # (what was there instead may be any object: `Foo@1b2c`)
        other, says = _NULLS[name], any(_assertj_value(expected) is _NULL for expected, _ in _assertj_shown(message))
    elif name == "assertNull":
        other, says = _NULLS[name], any(expected == "null" for expected, _ in _compared(message))
    else:
        other, says = _NULLS[name], message.endswith(_ASSERTJ_NULL if assertj else "expected: not <null>")
    if assertj:
        sure = _assertj_checked(calls) == [] and says
    else:
        sure = check.parent.type == "expression_statement" and (
            says or kind in _JUNIT4_FAILURES and _thrown_by_junit4_under(trace, frame))
    if not sure:
        return None
    start, end = _span(check.child_by_field_name("name"))
    return (source[:start] + other.encode("utf-8") + source[end:]).decode("utf-8")


def _asserting_null(calls: list[Node], literal: Node, source: bytes) -> str:
    """The statement asserting that its value is null: assertEquals(3, x) as assertNull(x) (a
    message argument kept where it was), AssertJ's assertThat(x).isEqualTo(3) as isNull()."""
    call = next(c for c in calls if text(c.child_by_field_name("name")) in ("assertEquals", "isEqualTo"))
    name = call.child_by_field_name("name")
    start, end = _span(name)[0], _span(call.child_by_field_name("arguments"))[1]
    if text(name) == "isEqualTo":
        return (source[:start] + b"isNull()" + source[end:]).decode("utf-8")
    kept = [text(argument) for argument in call.child_by_field_name("arguments").named_children if argument != literal]
    return (source[:start] + b"assertNull(" + ", ".join(kept).encode("utf-8") + b")" + source[end:]).decode("utf-8")


def _span(node: Node) -> tuple[int, int]:
    """Where a node of the wrapped statement is in the statement's own bytes."""
    return node.start_byte - len(_WRAP_HEAD), node.end_byte - len(_WRAP_HEAD)


def _thrown_by_junit4_under(trace: str, frame: str) -> bool:
    """Whether the trace's first frames are JUnit 4's (3's) Assert's, and the next the test's `frame`."""
    frames = [line.strip() for line in trace.splitlines() if line.strip().startswith("at ")]
    theirs = 0
    while theirs < len(frames) and _JUNIT4_ASSERT_FRAME.match(frames[theirs]):
        theirs += 1
    return bool(frame) and 0 < theirs < len(frames) and frames[theirs].endswith(frame)


def _assertj_compared(message: str) -> list[tuple[str, str]]:
    """The (expected, actual) readings of AssertJ's isEqualTo failure, in either format, as
    JUnit 5 would show them (a string without its quotes, a number without its type's letter)."""
    readings = []
    for pair in _assertj_shown(message):
        shown = [_assertj_value(value) for value in pair]
        if None not in shown:
            readings.append((shown[0], shown[1]))
    return readings


def _assertj_shown(message: str) -> list[tuple[str, str]]:
    """Each (expected, actual) of AssertJ's isEqualTo failure, in either format, as it shows them."""
    pairs = [(message[start:separator], message[after:])
             for start in _ends(_ASSERTJ_NEW[0], message)
             for separator, after in _spans(_ASSERTJ_NEW[1], message) if separator >= start]
    opening, middle, closing = _ASSERTJ_OLD
    if message.endswith(closing):
        body = message[:-len(closing)]
        pairs += [(body[after:], body[start:separator])
                  for start in _ends(opening, body) for separator, after in _spans(middle, body) if separator >= start]
    return pairs


def _ends(part: str, message: str) -> list[int]:
    return [match.end() for match in re.finditer(re.escape(part), message)]


def _spans(part: str, message: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(re.escape(part), message)]


def _assertj_value(shown: str):
    """A value as AssertJ shows it, as JUnit 5 would (`_NULL` for null): None for what is not a
    string, a char, a number, a boolean or null."""
    if shown.startswith("\n"):   # a multi-line value on lines of its own, indented by two spaces
        lines = shown[1:].split("\n")
        if not all(line.startswith("  ") for line in lines):
            return None
        shown = "\n".join(line[2:] for line in lines)
    if len(shown) >= 2 and shown[0] == shown[-1] == '"' or len(shown) == 3 and shown[0] == shown[-1] == "'":
        return shown[1:-1]
    if (number := _ASSERTJ_NUMBER.fullmatch(shown)) is not None:
        return number.group(1)
    if shown == "null":
        return _NULL
    return shown if shown in ("true", "false") else None


def _literal(argument: Node) -> tuple[str, object, str] | None:
    """(kind, value, suffix) of a literal argument: "string" (not a text block), "char",
    "integer" (with a unary minus), "float" or "boolean"; None for anything else."""
    sign, node = 1, argument
    if node.type == "unary_expression" and text(node.child_by_field_name("operator")) == "-":
        sign, node = -1, node.child_by_field_name("operand")
    raw = text(node)
    try:
        if node.type in _INTEGER_TYPES:
            digits = raw.replace("_", "")
            suffix = digits[-1] if digits[-1] in "lL" else ""
            digits = digits.rstrip("lL")
            digits = digits[2:] if node.type in ("hex_integer_literal", "binary_integer_literal") else digits
            bits = 64 if suffix else 32
            value = int(digits, _INTEGER_TYPES[node.type])
            value = value - 2 ** bits if value >= 2 ** (bits - 1) else value   # 0xFFFFFFFF is -1
            return "integer", sign * value, suffix
        if node.type == "decimal_floating_point_literal":
            suffix = raw[-1] if raw[-1] in "fFdD" else ""
            return "float", sign * float(raw.replace("_", "").rstrip("fFdD")), suffix
    except ValueError:
        return None
    if sign == -1:
        return None
    if node.type in ("true", "false"):
        return "boolean", node.type, ""
    if node.type in ("string_literal", "character_literal") and not raw.startswith('"""'):
        try:
            return ("string" if node.type == "string_literal" else "char"), string_value(raw), ""
        except ValueError:
            return None
    return None


def _actuals(literal: tuple[str, object, str], shown_expected, shown_actual, kind: str) -> set:
    """The actual values a reading gives where its expected value is this literal's (`_NULL`: a
    null, JUnit's `<null>`)."""
    literal_kind, value, _ = literal
    if shown_expected is _NULL:
        return set()
    if literal_kind == "string" and kind in _JUNIT4_STRINGS:
        return _junit4_actuals(value, shown_expected, shown_actual)
    if shown_actual == "null":   # (JUnit 4 throws no ComparisonFailure for a null; JUnit 5 shows "null" so too)
        shown_actual = _NULL
    if literal_kind == "integer":
        same = shown_expected == str(value)
    elif literal_kind == "float":
        same = _JAVA_DOUBLE.fullmatch(shown_expected) is not None and \
            math.isclose(float(shown_expected), value, rel_tol=1e-6, abs_tol=1e-12)
    else:
        same = shown_expected == value
    return {shown_actual} if same else set()


def _junit4_actuals(expected: str, shown_expected: str, shown_actual: str) -> set[str]:
    """The whole actual strings that JUnit 4 shows as `shown_actual` beside `shown_expected`,
    `expected` being the whole expected string (the brackets may be characters of the values
    too, so every placement that fits is tried)."""
    found = set()
    if "[" not in shown_expected:   # not abbreviated: a null (JUnit 3's; the string "null" is bracketed)
        return {_NULL if shown_actual == "null" else shown_actual} if shown_expected == expected else found
    for opened in (i for i, char in enumerate(shown_expected) if char == "["):
        for closed in (j for j, char in enumerate(shown_expected) if char == "]" and j > opened):
            prefix, differing, suffix = shown_expected[:opened], shown_expected[opened + 1:closed], \
                shown_expected[closed + 1:]
            if not (shown_actual.startswith(prefix + "[") and shown_actual.endswith("]" + suffix)
                    and len(shown_actual) >= len(prefix) + len(suffix) + 2):
                continue
            actual_differing = shown_actual[len(prefix) + 1:len(shown_actual) - len(suffix) - 1]
            for head in range(len(expected) - len(differing) + 1):
                tail = expected[head + len(differing):]
                if (expected.startswith(differing, head) and _shown_prefix(expected[:head]) == prefix
                        and _shown_suffix(tail) == suffix):
                    found.add(expected[:head] + actual_differing + tail)
    return found


def _shown_prefix(shared: str) -> str:
    return shared if len(shared) <= _CONTEXT else "..." + shared[-_CONTEXT:]


def _shown_suffix(shared: str) -> str:
    return shared if len(shared) <= _CONTEXT else shared[:_CONTEXT] + "..."


def _as_literal(literal: tuple[str, object, str], actual: str) -> str | None:
    """`actual` (as JUnit printed it) as a Java literal of the literal's kind, or None."""
    literal_kind, _, suffix = literal
    if _IDENTITY_HASH.search(actual):
        return None
    if literal_kind == "string":
        return '"' + "".join(_escaped(char, '"') for char in actual) + '"'
    if literal_kind == "char":
        return "'" + _escaped(actual, "'") + "'" if len(actual) == 1 else None
    if literal_kind == "integer":
        if re.fullmatch(r"-?\d{1,19}", actual) is None:
            return None
        return actual + (suffix or ("L" if not -2 ** 31 <= int(actual) < 2 ** 31 else ""))
    if literal_kind == "float":
        return actual + suffix if _JAVA_DOUBLE.fullmatch(actual) else None
    return actual if actual in ("true", "false") else None


def _escaped(char: str, quote: str) -> str:
    """One character inside a Java string (`quote` `"`) or character literal (`'`). Control
    characters go as octal escapes: a `\\u000a` would end the literal (javac translates unicode
    escapes first)."""
    if char == quote:
        return "\\" + quote
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\{ord(char):03o}"
    return char
