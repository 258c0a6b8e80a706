"""Literals that javac rejects although tree-sitter parses them without an ERROR node.

tree-sitter's Java grammar lexes literals loosely: any `\\x` is an escape sequence, a
character literal may hold several characters, a string may span lines, a text block may
open and close on one line, and numbers are never range-checked. javac rejects all of them
(JLS 3.3 and 3.10), so `assertgen fill` must not write such an assertion into a test file.

`literal_error` reports the first one, with a short reason that follows javac's wording.
Every case of tests/test_literals.py was checked against javac 17 (and 25). What only some
javac versions reject is accepted: javac 17 takes a surrogate pair ('😀') as one character.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from tree_sitter import Node

from assertgen.java_source import nodes_of_type, text


class _Rejected(Exception):
    """Why javac rejects a literal (raised deep inside a scan, caught by `literal_error`)."""


def literal_error(statement_node: Node) -> str | None:
    """Why javac rejects the first bad literal (or comment) under `statement_node`, in source
    order, or None when javac accepts all of them. Meant for statements that parse without
    an ERROR node: only what tree-sitter lets through is looked at."""
    for node in nodes_of_type(statement_node, *_CHECKS):
        try:
            reason = _CHECKS[node.type](node)
        except _Rejected as rejected:
            reason = str(rejected)
        if reason is not None:
            return reason
    return None


# --- unicode escapes -----------------------------------------------------------------

_UNICODE_ESCAPE = re.compile(r"u+([0-9A-Fa-f]{4})")


def _translate_unicode(raw: str, where: str) -> str:
    """`raw` with its unicode escapes translated, as javac does before anything else (JLS 3.3):
    `\\u0041` is `A`, `\\\\u0041` an escaped backslash and `u0041`. A `\\` starts one only
    after an even number of backslashes, and then a `u` must follow with four hex digits."""
    out, i = [], 0
    while i < len(raw):
        if raw[i] != "\\":
            out.append(raw[i])
            i += 1
            continue
        run = len(raw) - i - len(raw[i:].lstrip("\\"))   # contiguous backslashes
        if run % 2 == 0 or raw[i + run:i + run + 1] != "u":
            out.append(raw[i:i + run])
            i += run
            continue
        out.append("\\" * (run - 1))
        escape = _UNICODE_ESCAPE.match(raw, i + run)
        if escape is None:
            raise _Rejected(f"illegal unicode escape in {where}")
        out.append(chr(int(escape.group(1), 16)))   # not scanned again for unicode escapes
        i = escape.end()
    return "".join(out)


# --- escape sequences ----------------------------------------------------------------

# \s (a space) is Java 15+, like text blocks.
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "s": " ", '"': '"', "'": "'", "\\": "\\"}
# \0 to \377: three digits only when the first is 0-3 (`\400` is `\40` then `0`).
_OCTAL_ESCAPE = re.compile(r"[0-3][0-7]{0,2}|[4-7][0-7]?")


def _characters(body: str, where: str, text_block: bool = False):
    """The characters of a literal's body (unicode escapes translated), each as (character,
    whether it was an escape sequence). A backslash before a line end (a line continuation)
    is allowed in a text block only, and stands for nothing."""
    i = 0
    while i < len(body):
        if body[i] != "\\":
            yield body[i], False
            i += 1
            continue
        following = body[i + 1:i + 2]
        octal = _OCTAL_ESCAPE.match(body, i + 1)
        if octal is not None:
            yield chr(int(octal.group(), 8)), True
            i = octal.end()
        elif following in _ESCAPES:
            yield _ESCAPES[following], True
            i += 2
        elif text_block and following in ("\r", "\n"):
            i += 3 if body[i + 1:i + 3] == "\r\n" else 2
        elif following in ("\r", "\n"):
            raise _Rejected(f"illegal escape character in {where}: \\ before a line end (a text block's only)")
        else:
            raise _Rejected(f"illegal escape character \\{following} in {where}")


def string_value(raw: str) -> str:
    """The value of a string or character literal as written (`"a\\tb"`, `'\\u0041'`): what
    javac makes of it. Raises ValueError where javac rejects the literal."""
    try:
        literal = _translate_unicode(raw, "a literal")
        return "".join(char for char, _ in _characters(literal[1:-1], "a literal"))
    except _Rejected as rejected:
        raise ValueError(str(rejected)) from None


# --- string, character and text block literals --------------------------------------

def _string_error(node: Node) -> str | None:
    raw = text(node)
    if raw.startswith('"""'):
        return _text_block_error(raw)
    literal = _translate_unicode(raw, "a string literal")
    for char, escaped in _characters(literal[1:-1], "a string literal"):
        # tree-sitter takes a line end into a string; a quote here came from \u0022
        if not escaped and char in "\r\n":
            return "unclosed string literal: a line end inside it"
        if not escaped and char == '"':
            return "unclosed string literal: \\u0022 in it ends it early"
    return None


# The opening """ must be followed by a line terminator (blanks may come between).
_TEXT_BLOCK_OPENING = re.compile('"""[ \t\f]*(\r\n|\r|\n)')


def _text_block_error(raw: str) -> str | None:
    literal = _translate_unicode(raw, "a text block")
    opening = _TEXT_BLOCK_OPENING.match(literal)
    if opening is None:
        return 'illegal text block open delimiter sequence: """ must end its line'
    for _ in _characters(literal[opening.end():-3], "a text block", text_block=True):
        pass
    return None


def _char_error(node: Node) -> str | None:
    literal = _translate_unicode(text(node), "a character literal")
    chars = list(_characters(literal[1:-1], "a character literal"))
    if any(not escaped and char in "\r\n" for char, escaped in chars):
        return "illegal line end in character literal"
    if any(not escaped and char == "'" for char, escaped in chars):
        return "unclosed character literal: \\u0027 in it ends it early"
    # javac reads a surrogate pair (an emoji, '\uD83D\uDE00') as one character
    pairs = sum(1 for (a, _), (b, _) in zip(chars, chars[1:])
                if "\ud800" <= a <= "\udbff" and "\udc00" <= b <= "\udfff")
    count = len(chars) - pairs
    if count == 0:
        return "empty character literal"
    if count > 1:
        return "unclosed character literal: more than one character (a String needs double quotes)"
    return None


# --- integer literals ----------------------------------------------------------------

_RADIX = {"hex_integer_literal": 16, "octal_integer_literal": 8, "binary_integer_literal": 2}


def _negated(node: Node) -> bool:
    """The literal is the operand of a unary minus itself (not in parentheses, not `1 - x`)."""
    parent = node.parent
    return (parent is not None and parent.type == "unary_expression"
            and text(parent.child_by_field_name("operator")) == "-"
            and parent.child_by_field_name("operand") == node)


def _integer_error(node: Node) -> str | None:
    raw = text(node)
    digits = raw.replace("_", "")
    is_long = digits[-1] in "lL"
    digits = digits.rstrip("lL")
    too_large = f"integer number too large: {raw}" + ("" if is_long else " (an int; a long needs the L suffix)")
    if node.type == "decimal_integer_literal":
        if len(digits) > 19:   # no int() of thousands of digits (Python limits it): too large anyway
            return too_large
        # 2147483648 (2^31) and 9223372036854775808L (2^63) only as the operand of a unary minus
        limit = 2 ** 63 if is_long else 2 ** 31
        value = int(digits)
        return too_large if value > limit or (value == limit and not _negated(node)) else None
    if node.type == "octal_integer_literal" and digits[1:2] in ("o", "O"):
        return f"malformed integer literal {raw}: Java's octal literals start with 0, not 0o"
    # hex, octal and binary literals may use all 32 (64) bits: 0xFFFFFFFF is -1
    value = int(digits, _RADIX[node.type])
    return too_large if value.bit_length() > (64 if is_long else 32) else None


# --- floating-point literals ---------------------------------------------------------

_DECIMAL_FLOAT = re.compile(r"(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?[fFdD]?")
_HEX_FLOAT = re.compile(r"0[xX]([0-9A-Fa-f]*)(?:\.([0-9A-Fa-f]*))?[pP]([+-]?\d+)[fFdD]?")
# A value rounds to infinity from the midpoint between the largest finite value and the
# next power of two on, and to zero up to half the smallest subnormal (ties to even).
_FLOAT_RANGE = (Fraction(2) ** 128 - Fraction(2) ** 103, Fraction(2) ** -150)
_DOUBLE_RANGE = (Fraction(2) ** 1024 - Fraction(2) ** 970, Fraction(2) ** -1075)


def _float_error(node: Node) -> str | None:
    raw = text(node)
    digits = raw.replace("_", "")
    if len(digits) > 1000:
        return None   # Python limits int() of decimal digits; no real literal is this long
    if node.type == "hex_floating_point_literal":
        match = _HEX_FLOAT.fullmatch(digits)
        if match is None:   # tree-sitter takes 0x1.0 without its binary exponent
            return f"malformed floating-point literal {raw}: a hexadecimal one needs a p exponent"
        whole, fraction, exponent = match.groups()
        mantissa, base, power = int(whole + (fraction or "") or "0", 16), 2, int(exponent) - 4 * len(fraction or "")
    else:
        match = _DECIMAL_FLOAT.fullmatch(digits)
        if match is None:
            return None   # nothing tree-sitter lets through is known to get here
        whole, fraction, exponent = match.groups()
        mantissa, base, power = int(whole + (fraction or "") or "0"), 10, int(exponent or 0) - len(fraction or "")
    if mantissa == 0:
        return None   # zero is fine with any exponent (0e999)
    largest, smallest = _FLOAT_RANGE if digits[-1] in "fF" else _DOUBLE_RANGE
    # far out of range: decide on the magnitude, before an exact value with a huge exponent
    magnitude = mantissa.bit_length() + power * math.log2(base)   # about log2 of the value
    if magnitude > 1100:
        return f"floating-point number too large: {raw}"
    if magnitude < -1200:
        return f"floating-point number too small: {raw} (rounds to zero)"
    value = Fraction(mantissa) * Fraction(base) ** power
    if value >= largest:
        return f"floating-point number too large: {raw}"
    if value <= smallest:
        return f"floating-point number too small: {raw} (rounds to zero)"
    return None


# --- comments ------------------------------------------------------------------------

def _comment_error(node: Node) -> str | None:
    """javac translates unicode escapes in comments too: `// C:\\users` does not compile."""
    _translate_unicode(text(node), "a comment")
    return None


_CHECKS = {
    "string_literal": _string_error,
    "character_literal": _char_error,
    "decimal_integer_literal": _integer_error,
    "hex_integer_literal": _integer_error,
    "octal_integer_literal": _integer_error,
    "binary_integer_literal": _integer_error,
    "decimal_floating_point_literal": _float_error,
    "hex_floating_point_literal": _float_error,
    "line_comment": _comment_error,
    "block_comment": _comment_error,
}
