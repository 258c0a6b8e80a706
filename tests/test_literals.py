r"""`literal_error`: literals javac rejects that tree-sitter parses without an ERROR node.

Every case below was compiled with javac 17 (/usr/lib/jvm/java-17-openjdk-amd64/bin/javac),
each statement alone in the method `m` of `class A { void x(Object... a) {} void m() { ... } }`:
the accepted ones compile, and each rejected one's third column is javac 17's first error.
javac 25 (/usr/lib/jvm/temurin-25-jdk-amd64/bin/javac) agrees on all but two: it rejects a
surrogate pair in a character literal, and words the error of `0o17` differently.
`test_javac_agrees` compiles them again with the javac on PATH (or ASSERTGEN_JAVAC), 17 or later.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from assertgen import java_source as js
from assertgen.literals import literal_error

HEAD = "class {name} {{ void x(Object... a) {{}} void m() {{\n"
TAIL = "\n} }\n"


def block(statements: str):
    """The method body holding `statements`, parsed as `check_candidate` parses a candidate."""
    tree = js.parse((HEAD.format(name="A") + statements + TAIL).encode())
    assert not tree.root_node.has_error, statements   # only what tree-sitter lets through matters
    method = tree.root_node.named_children[0].child_by_field_name("body").named_children[1]
    return method.child_by_field_name("body")


# Each compiles with javac 17 (and with javac 25, but for the surrogate pairs).
ACCEPTED = [
    r'x("\\d+");',                                     # an escaped backslash: the regex \d+
    r'x("a\tb", "\b\n\f\r\"\'\\");',
    r'x("\0", "\377", "\400");',                       # \400 is \40 then 0
    r'x("\u0041", '"'\\u0041');",                      # unicode escapes are translated first
    r'x("\\u0041");',                                  # an escaped backslash, then u0041
    r'x("\u005cn", "\u005c\u005c");',                 # \u005c is a backslash: \n, then \\
    r"""x('a', '\'', '\\', '"', '\s', "\s");""",       # \s is a space (Java 15+)
    # javac 17 reads a surrogate pair as one character; javac 25 rejects it ("character literal
    # contains more than one UTF-16 code unit"): not sure to fail, so accepted
    "x('😀', '\\uD83D\\uDE00');",
    "x(2147483647, -2147483648, - 2147483648, - -2147483648);",
    "x(9223372036854775807L, -9223372036854775808L, 2000000000000L);",
    "x(0xFFFFFFFF, 0x7fff_ffff, 0b1010, 017, 0777L, 00, 1_000_000, 037777777777);",   # 0xFFFFFFFF is -1
    "x(0b11111111111111111111111111111111, 0xFFFF_FFFF_FFFF_FFFFL, 0x00000000FFFFFFFF);",
    "x(1e10, 0x1p3, 1.5f, 1.e5, .5, 5., 1D, 08.5, 1e1_0, 1_0.0_1e-0_1f, 0x.8p1, 0X1P-3D);",
    "x(0e400, 0.0e-999, 4.9e-324, 2.5e-324, 1.7976931348623158e308, 0x1.fffffffffffffp1023);",
    "x(3.4028235e38f, 1e-45f, 0x1.fffffeP+127f, 0x1.fffffefp127f, 0x1p-149f, 0x1.0000000000001p-1075);",
    'x("""\n    a\\s\n    b \\\n    c""");',             # \s and a line continuation
    'x("""   \n    a""");',                             # blanks after the opening delimiter
    'x("""\n""", """\r\n    crlf""");',
    'x("""\n    "quoted", ""twice"", \\"""three\\"""\n    """);',
    "x(1); // C:\\\\users",
    "/* \\u0041 */ x(1);",
]


@pytest.mark.parametrize("statements", ACCEPTED)
def test_literals_javac_accepts_are_accepted(statements):
    assert literal_error(block(statements)) is None


# (statements, the reason's start, javac 17's first error)
REJECTED = [
    # escape sequences
    (r'x("\d+");', r"illegal escape character \d in a string literal", "illegal escape character"),
    (r'x("a".matches("[0-9]+\.\d"));', r"illegal escape character \. in", "illegal escape character"),
    (r'x("\x41");', r"illegal escape character \x", "illegal escape character"),
    ('x("a\\\nb");', "illegal escape character in a string literal: \\ before a line end",
     "illegal escape character"),
    ('x("""\n    \\d+\n    """);', r"illegal escape character \d in a text block", "illegal escape character"),
    (r"x('\x41');", r"illegal escape character \x in a character literal", "illegal escape character"),
    (r"x('\q');", r"illegal escape character \q in a character literal", "illegal escape character"),
    # unicode escapes: translated before anything else, anywhere in the file
    (r'x("\u{41}");', "illegal unicode escape in a string literal", "illegal unicode escape"),
    (r"x('\uZZ');", "illegal unicode escape in a character literal", "illegal unicode escape"),
    (r"x(1); // C:\users", "illegal unicode escape in a comment", "illegal unicode escape"),
    (r"/* \user */ x(1);", "illegal unicode escape in a comment", "illegal unicode escape"),
    (r'x("\u0022");', "unclosed string literal: \\u0022",
     "illegal text block open delimiter sequence, missing line terminator"),
    (r'x("a\u000ab");', "unclosed string literal: a line end", "unclosed string literal"),
    ('x("a\nb");', "unclosed string literal: a line end", "unclosed string literal"),
    # character literals
    ("x('ab');", "unclosed character literal: more than one character", "unclosed character literal"),
    (r"x('\400');", "unclosed character literal", "unclosed character literal"),    # \40 then 0
    (r"x('\u0027');", "unclosed character literal: \\u0027", "empty character literal"),
    (r"x('\u000a');", "illegal line end in character literal", "illegal line end in character literal"),
    # text blocks: the opening """ must end its line
    ('x("""abc""");', "illegal text block open delimiter sequence",
     "illegal text block open delimiter sequence, missing line terminator"),
    ('x("""""");', "illegal text block open delimiter sequence",
     "illegal text block open delimiter sequence, missing line terminator"),
    ('x(""" abc\n    """);', "illegal text block open delimiter sequence",
     "illegal text block open delimiter sequence, missing line terminator"),
    # integers
    ("x(2147483648);", "integer number too large: 2147483648 (an int", "integer number too large"),
    ("x(1700000000000);", "integer number too large", "integer number too large"),   # millis without L
    ("x(1-2147483648);", "integer number too large", "integer number too large"),    # a binary minus
    ("x(-(2147483648));", "integer number too large", "integer number too large"),
    ("x(+2147483648);", "integer number too large", "integer number too large"),
    ("x(--2147483648);", "integer number too large", "integer number too large"),
    ("x(-2147483649);", "integer number too large", "integer number too large"),
    ("x(9223372036854775808L);", "integer number too large: 9223372036854775808L", "integer number too large"),
    ("x(-9223372036854775809L);", "integer number too large", "integer number too large"),
    ("x(0x1_0000_0000);", "integer number too large: 0x1_0000_0000", "integer number too large"),
    ("x(0x1_0000_0000_0000_0000L);", "integer number too large", "integer number too large"),
    ("x(040000000000);", "integer number too large", "integer number too large"),
    ("x(0b1_0000_0000_0000_0000_0000_0000_0000_0000);", "integer number too large", "integer number too large"),
    ("x(0o17);", "malformed integer literal 0o17", "')' expected"),
    # floating-point numbers
    ("x(1e400);", "floating-point number too large: 1e400", "floating-point number too large"),
    ("x(1e99999999999);", "floating-point number too large", "floating-point number too large"),
    ("x(1.7976931348623159e308);", "floating-point number too large", "floating-point number too large"),
    ("x(0x1.fffffffffffff8p1023);", "floating-point number too large", "floating-point number too large"),  # a tie
    ("x(3.4028236e38f);", "floating-point number too large", "floating-point number too large"),
    ("x(1e39f);", "floating-point number too large", "floating-point number too large"),
    ("x(0x1.ffffffp127f);", "floating-point number too large", "floating-point number too large"),  # a tie
    ("x(1e-400);", "floating-point number too small: 1e-400", "floating-point number too small"),
    ("x(1e-99999999999);", "floating-point number too small", "floating-point number too small"),
    ("x(2.4e-324);", "floating-point number too small", "floating-point number too small"),
    ("x(0x1p-1075);", "floating-point number too small", "floating-point number too small"),  # a tie
    ("x(1e-46f);", "floating-point number too small", "floating-point number too small"),
    ("x(0x1p-151f);", "floating-point number too small", "floating-point number too small"),
    ("x(0x1.0);", "malformed floating-point literal 0x1.0", "malformed floating-point literal"),
    ("x(0x1.0f);", "malformed floating-point literal", "malformed floating-point literal"),
    # the first one in source order
    (r'x(1e400, "\d");', "floating-point number too large", "floating-point number too large"),
    ('x(1);\nx(\'ab\', 1e400);', "unclosed character literal", "unclosed character literal"),
]


@pytest.mark.parametrize("statements, reason, javac", REJECTED)
def test_literals_javac_rejects_are_rejected(statements, reason, javac):
    found = literal_error(block(statements))
    assert found is not None and found.startswith(reason), found


def test_statements_without_bad_literals_pass():
    assert literal_error(block("int n = 1;\nx(n, \"n\", 'n', 1L, 1.0, true, null);")) is None
    assert literal_error(block("")) is None


JAVAC = os.environ.get("ASSERTGEN_JAVAC") or shutil.which("javac")


@pytest.mark.skipif(not JAVAC, reason="SKIPPED JAVAC CHECK: no javac (apt-get install default-jdk-headless, "
                                      "or ASSERTGEN_JAVAC=PATH)")
def test_javac_agrees(tmp_path):
    """Each case alone in a file, all compiled in one javac run: the accepted ones compile, each
    rejected one's first error is the one recorded (javac 17's wording)."""
    cases = [(s, None) for s in ACCEPTED] + [(s, javac) for s, _, javac in REJECTED]
    files = []
    for i, (statements, _) in enumerate(cases):
        files.append(tmp_path / f"C{i}.java")
        files[-1].write_bytes((HEAD.format(name=f"C{i}") + statements + TAIL).encode())
    run = subprocess.run([JAVAC, "-encoding", "UTF-8", "-Xmaxerrs", "10000", "-d", str(tmp_path / "out"),
                          *map(str, files)], capture_output=True, text=True)
    first: dict[int, str] = {}
    for match in re.finditer(r"C(\d+)\.java:\d+: error: (.*)", run.stderr):
        first.setdefault(int(match.group(1)), match.group(2))
    assert [(s, first.get(i)) for i, (s, _) in enumerate(cases)] == cases
