"""Java source handling for `assertgen fill`: parsing, test stubs, focal methods, edits
(the checks of generated assertions are in `assertgen/checks.py`).

Everything works on the raw bytes of a file through tree-sitter, so edits are exact
byte spans and every byte outside them (encoding, CRLF, tabs, comments, BOM) is kept.

Definitions used throughout (they match the corpus, see the dataset README):

- An *assertion call* is a method call named `assert*` or `fail`.
- An *assertion statement* is an expression statement whose outermost or innermost
  call is an assertion call: `assertEquals(a, b);`, `Assert.assertEquals(a, b);`,
  `assertThat(x).isEqualTo(y);`, `assertThrows(E.class, () -> f());`.
- A *test method* is a method annotated `@Test` (JUnit 4/5), or a public
  no-argument `test*` method of a class extending `TestCase` (JUnit 3). `fill` also
  fills JUnit 5's `@ParameterizedTest` and `@RepeatedTest` methods (`FILL_TEST_ANNOTATIONS`);
  the corpus has none, so the corpus of asserted tests keeps to `@Test`.
- A test method is a *stub* when it contains a `// ASSERTION PLACEHOLDER` line, or
  when nothing in it checks anything: no assertion call anywhere in its body
  (lambdas and local classes included, so a test that asserts inside a callback is
  left alone), no Java `assert` statement, no Mockito `verify*` or BDDMockito `should*`,
  no Spring MockMvc `andExpect*` or WebTestClient `expectStatus`/`expectBody`/...,
  no `@Test(expected = ...)` (JUnit 4; TestNG's `expectedExceptions`), and no call of a
  method of its own file that checks any of these (a helper such as `check(actual, "1")`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import tree_sitter_java
from tree_sitter import Language, Node, Parser, Tree

from assertgen.errors import UserError
from assertgen.prompt import PLACEHOLDER

T = TypeVar("T")

JAVA = Language(tree_sitter_java.language())


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(JAVA)


def parse(source: bytes) -> Tree:
    """Parse Java source bytes (UTF-8 or any ASCII-compatible encoding)."""
    return _parser().parse(source)


def first_error(node: Node) -> Node | None:
    """The first ERROR or MISSING node under `node` (source order), or None."""
    if not node.has_error:
        return None
    if node.type == "ERROR" or node.is_missing:
        # An unclosed string literal: tree-sitter takes the rest of the file into one string
        # fragment, in an ERROR that starts at the enclosing class; the fragment's line is the error's.
        for child in node.children:
            if child.type in ("string_fragment", "multiline_string_fragment") \
                    and child.end_byte == node.end_byte and child.start_point[0] != child.end_point[0]:
                return child
        return node
    for child in node.children:
        found = first_error(child)
        if found is not None:
            return found
    return node  # has_error without a visible culprit: report the node itself


@lru_cache(maxsize=None)
def _type_query(types: tuple[str, ...]):
    return JAVA.query(" ".join(f"({t}) @node" for t in types))


def nodes_of_type(node: Node, *types: str) -> list[Node]:
    """The nodes of these types under `node` (itself included), in source order (as `walk`
    visits them). A tree-sitter query matches them in C: a Python walk over every node
    dominated fill's time on large repositories (54M node visits for 3,206 test files)."""
    found = [n for n, _ in _type_query(types).captures(node)]
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return found


def walk(node: Node):
    """All nodes under `node` (itself included), in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def text(node: Node) -> str:
    return node.text.decode("utf-8", errors="replace")


# --- assertions -------------------------------------------------------------------

def is_assertion_name(name: str) -> bool:
    return name.startswith("assert") or name == "fail"


def _call_chain(node: Node) -> list[Node]:
    """method_invocation nodes of a call chain, outermost first: a().b().c() -> [c, b, a]."""
    chain = []
    while node is not None and node.type == "method_invocation":
        chain.append(node)
        node = node.child_by_field_name("object")
    return chain


def _call_name(call: Node) -> str:
    return text(call.child_by_field_name("name"))


def is_assertion_statement(node: Node) -> bool:
    """Expression statement whose outermost or innermost call is assert*/fail."""
    if node.type != "expression_statement" or not node.named_children:
        return False
    chain = _call_chain(node.named_children[0])
    return bool(chain) and (is_assertion_name(_call_name(chain[0]))
                            or is_assertion_name(_call_name(chain[-1])))


# Checks that are no assertion calls: Mockito's and BDDMockito's `verify(mock).f()`,
# `verifyNoMoreInteractions(mock)`, `then(mock).should().f()`, ...; Spring's MockMvc
# `andExpect(status().isOk())` and WebTestClient `expectStatus().isOk()`, `expectBody(...)`
# (a controller test often checks only through them); TestNG's `expectThrows`. Not EasyMock's
# `expect(mock.f())`, which only records an expected call.
_CHECK_PREFIXES = ("verify", "should", "andExpect", "expectStatus", "expectHeader", "expectBody",
                   "expectCookie", "expectAll", "expectThrows")


# A test named for an exception that must not come checks by running to its end
# (commons-lang's `shouldNotThrowForNonNullReference() { Validate.notNull(new Object()); }`)
_NO_THROW_NAME = re.compile(r"(?i)not_?throw|never_?throw|no_?exception|without_?exception|not_?fail")


def _checks_something(method: Node, helpers: dict[str, list[Node]] | None = None,
                      seen: set[int] | None = None) -> bool:
    """True when the method asserts, verifies, or expects an exception (see module doc), itself
    or through a method of its file that it calls on no object, `this` or a class (`helpers`, by name:
    jsoup's CssTest checks with `check(html.select(...), "1")`, its class's asserting helper), or
    when its name says that it checks that nothing is thrown (`_NO_THROW_NAME`)."""
    if seen is None and _NO_THROW_NAME.search(text(method.child_by_field_name("name"))):
        return True
    helpers = helpers or {}
    seen = set() if seen is None else seen
    seen.add(method.id)
    calls = nodes_of_type(method, "method_invocation")
    for node in calls:
        name = _call_name(node)
        if is_assertion_name(name) or name.startswith(_CHECK_PREFIXES):
            return True
    if nodes_of_type(method, "assert_statement") or expects_exception(method):
        return True
    for node in calls:
        receiver = node.child_by_field_name("object")  # none, `this`, or a class (`Inner.check`)
        if receiver is None or receiver.type == "this" or text(receiver)[:1].isupper():
            for helper in helpers.get(_call_name(node), []):
                if helper.id not in seen and _checks_something(helper, helpers, seen):
                    return True
    return False


def methods_by_name(jf: JavaFile) -> dict[str, list[Node]]:
    """The methods declared in a file (nested classes' included), by name."""
    found: dict[str, list[Node]] = {}
    for cls in jf.classes():
        for method in class_methods(cls):
            found.setdefault(text(method.child_by_field_name("name")), []).append(method)
    return found


def expects_exception(method: Node) -> bool:
    """`@Test(expected = ...)` (JUnit 4) or `@Test(expectedExceptions = ...)` (TestNG);
    `@DisplayName("returns the expected sum")` expects nothing."""
    return any(annotation.type == "annotation" and _annotation_name(annotation) == "Test" and any(
        pair.type == "element_value_pair" and text(pair.child_by_field_name("key")) in ("expected", "expectedExceptions")
        for pair in annotation.child_by_field_name("arguments").named_children) for annotation in _annotations(method))


# --- files, imports, classes --------------------------------------------------------

CLASS_TYPES = ("class_declaration", "record_declaration", "enum_declaration", "interface_declaration")


@dataclass(frozen=True)
class Import:
    name: str          # dotted name without `.*`
    static: bool
    wildcard: bool
    node: Node = field(compare=False, repr=False)

    @property
    def simple(self) -> str:
        return self.name.rsplit(".", 1)[-1]


@dataclass
class JavaFile:
    """A parsed Java file: its bytes, tree, and the facts the fill pipeline needs."""

    path: Path
    source: bytes
    tree: Tree
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A fact derived from the tree, computed once per file (the tree never changes): fill
        asks for the same ones at every stub, and a file of 400 stubs took 10 s that way."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @classmethod
    def read(cls, path: str | Path) -> JavaFile:
        path = Path(path)
        try:
            source = path.read_bytes()
        except OSError as err:
            raise UserError(f"cannot read file: {err.strerror or err}", path=str(path)) from None
        return cls(path, source, parse(source))

    @property
    def encoding(self) -> str:
        """utf-8 when the bytes decode as UTF-8, else latin-1 (keeps any byte as is)."""
        try:
            self.source.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            return "latin-1"

    def format_problem(self) -> str | None:
        """Why the bytes cannot be edited as Java text, said plainly: UTF-16's NUL bytes parse
        as a syntax error at line 1, with CR-only line breaks the whole file is line 1 (the
        parser ends lines, and `//` comments, at LF only), and valid Java 25 the parser lacks is
        no syntax error of the user's."""
        if self.source.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in self.source:
            return "UTF-16 or another encoding with NUL bytes (save the file as UTF-8)"
        if b"\r" in self.source and b"\n" not in self.source:
            return "line breaks are CR only, as on classic Mac OS (save the file with LF or CRLF line breaks)"
        if self.error_line() is not None and re.search(rb"(?m)^[ \t]*import[ \t]+module[ \t]", self.source):
            return "Java 25's `import module`, which the Java parser assertgen uses (tree-sitter-java 0.21) cannot read yet"
        return None

    def error_line(self) -> int | None:
        """1-based line of the first syntax error, or None when the file parses cleanly."""
        node = first_error(self.tree.root_node)
        return None if node is None else node.start_point[0] + 1

    @property
    def package(self) -> str:
        return self.memo("package", lambda: package_of(self.tree.root_node))

    @property
    def imports(self) -> list[Import]:
        return self.memo("imports", lambda: imports_of(self.tree.root_node))

    @property
    def qualified_annotations(self) -> list[str]:
        """Annotations written with their package (`@org.junit.jupiter.api.Test`)."""
        def find() -> list[str]:
            names = (text(a.child_by_field_name("name"))
                     for a in nodes_of_type(self.tree.root_node, "annotation", "marker_annotation"))
            return list(dict.fromkeys(n for n in names if "." in n))
        return self.memo("qualified_annotations", find)

    def classes(self) -> list[Node]:
        """Class-like declarations (class, record, enum, interface), nested ones included."""
        return self.memo("classes", lambda: nodes_of_type(self.tree.root_node, *CLASS_TYPES))

    def line_start(self, offset: int) -> int:
        return self.source.rfind(b"\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        """Offset just past the end of line containing `offset` (after its line break)."""
        end = self.source.find(b"\n", offset)
        return len(self.source) if end < 0 else end + 1

    def eol(self, offset: int) -> bytes:
        """The line break used by the line containing `offset` (or the nearest one before)."""
        end = self.source.find(b"\n", offset)
        if end < 0:
            end = self.source.rfind(b"\n", 0, offset)
        return b"\r\n" if end > 0 and self.source[end - 1:end] == b"\r" else b"\n"

    def indent_at(self, offset: int) -> bytes:
        """The leading whitespace of the line containing `offset`."""
        start = self.line_start(offset)
        line = self.source[start:self.line_end(offset)]
        return line[:len(line) - len(line.lstrip(b" \t"))]

    def starts_line(self, node: Node) -> bool:
        return self.source[self.line_start(node.start_byte):node.start_byte].strip(b" \t") == b""


def root_of(node: Node) -> Node:
    """The root node of the file `node` is part of."""
    while node.parent is not None:
        node = node.parent
    return node


def imports_of(node: Node) -> list[Import]:
    """The imports of the file `node` is part of."""
    result = []
    for child in root_of(node).named_children:
        if child.type != "import_declaration":
            continue
        names = [c for c in child.named_children if c.type in ("scoped_identifier", "identifier")]
        if not names:
            continue
        result.append(Import(text(names[0]), static=any(c.type == "static" for c in child.children),
                             wildcard=any(c.type == "asterisk" for c in child.children), node=child))
    return result


def package_of(node: Node) -> str:
    """The package of the file `node` is part of ("" for none)."""
    for child in root_of(node).named_children:
        if child.type == "package_declaration":
            for name in child.named_children:
                if name.type in ("scoped_identifier", "identifier"):
                    return text(name)
    return ""


def annotation_names(declaration: Node, qualified: bool = False) -> list[str]:
    """Simple names of a method's, class's or field's annotations (`@lombok.Data` -> Data;
    with `qualified`, as written: lombok.Data)."""
    if qualified:
        return [text(a.child_by_field_name("name")) for a in _annotations(declaration)]
    return [_annotation_name(a) for a in _annotations(declaration)]


def _annotations(method: Node) -> list[Node]:
    for child in method.children:
        if child.type == "modifiers":
            return [c for c in child.children if c.type in ("annotation", "marker_annotation")]
    return []


def _annotation_name(annotation: Node) -> str:
    return text(annotation.child_by_field_name("name")).rsplit(".", 1)[-1]


def has_modifier(declaration: Node, word: str) -> bool:
    """`public`, `static`, `private`... among a declaration's modifiers."""
    return any(c.type == "modifiers" and word in text(c).split() for c in declaration.children)


def statements_of(node: Node) -> list[Node]:
    """The statements of a block, or of a switch group (its labels left out), or a switch
    block's groups and rules: its named children but comments."""
    return [c for c in node.named_children if c.type != "switch_label" and "comment" not in c.type]


def superclass_name(cls: Node) -> str:
    """The simple name of the class `cls` extends, without its type arguments (`p.Base<q.T>` ->
    Base); "" when it extends none."""
    sup = cls.child_by_field_name("superclass")
    if sup is None:
        return ""
    named = sup.named_children[0]
    if named.type == "generic_type":
        named = named.named_children[0]
    return text(named).rsplit(".", 1)[-1]


def body_members(cls: Node, kind: str) -> list[Node]:
    body = cls.child_by_field_name("body")
    if body is None:
        return []
    members = [c for c in body.named_children if c.type == kind]
    if cls.type == "enum_declaration":  # enum methods live in enum_body_declarations
        for part in body.named_children:
            if part.type == "enum_body_declarations":
                members += [c for c in part.named_children if c.type == kind]
    return members


def class_name(cls: Node) -> str:
    return text(cls.child_by_field_name("name"))


# What `fill` takes for a test method beside @Test (see the module doc).
FILL_TEST_ANNOTATIONS = ("Test", "ParameterizedTest", "RepeatedTest")


def is_test_method(method: Node, cls: Node, annotations: tuple[str, ...] = ("Test",)) -> bool:
    if method.child_by_field_name("body") is None:
        return False
    if any(_annotation_name(a) in annotations for a in _annotations(method)):
        return True
    # JUnit 3: public void test*() in a TestCase subclass
    params = method.child_by_field_name("parameters")
    return (superclass_name(cls) == "TestCase" and text(method.child_by_field_name("name")).startswith("test")
            and params is not None and not params.named_children and has_modifier(method, "public")
            and method.child_by_field_name("type").type == "void_type")


def is_junit3(cls: Node) -> bool:
    return superclass_name(cls) == "TestCase"


# --- stubs ----------------------------------------------------------------------------

@dataclass
class Stub:
    """A test method to fill, and exactly where its assertions go.

    `spans` are the byte ranges the assertions replace: the placeholder lines
    (whole lines, line break included; a placeholder after code on its line: the
    comment and the blanks before it) when `placeholder`, else one span at the
    insertion point (empty, or the blanks before a `}` or a trailing statement that cannot
    complete normally, such as `return`, that shares its line with code: then `inline` is set,
    and the inserted text breaks the line first and puts `closing_indent` before it).
    """

    file: JavaFile
    cls: Node
    method: Node
    spans: list[tuple[int, int]]
    indent: bytes
    eol: bytes
    placeholder: bool = False
    inline: bool = False
    closing_indent: bytes = b""
    indents: list[bytes] = field(default_factory=list)   # each placeholder's indentation

    @property
    def name(self) -> str:
        return text(self.method.child_by_field_name("name"))

    @property
    def class_name(self) -> str:
        return class_name(self.cls)

    @property
    def line(self) -> int:
        """1-based line of the method name."""
        return self.method.child_by_field_name("name").start_point[0] + 1

    @property
    def cutoff(self) -> int:
        """Byte offset where assertions start: calls before it are candidate focal calls."""
        return self.spans[0][0]

    def method_source(self) -> str:
        return text(self.method)

    def masked_test(self) -> str:
        """The test method as the model sees it: placeholder lines where assertions go, LF line breaks.

        Same masking as the corpus (`test_method_masked`): the method source from its
        first modifier, later lines with their original indentation.
        """
        src = self.file.source
        start, end = self.method.start_byte, self.method.end_byte
        if not self.placeholder:  # insertion point: put one placeholder line there
            (at, after), line = self.spans[0], self.indent + PLACEHOLDER.encode() + self.eol
            if self.inline:
                line = self.eol + line + self.closing_indent
            body = src[start:at] + line + src[after:end]
        else:
            body = src[start:end]
        return body.decode(self.file.encoding, errors="replace").replace("\r\n", "\n")

    def edits(self, assertions: list[str]) -> list[tuple[int, int, bytes]]:
        """Byte edits (start, end, replacement) that put `assertions` in place.

        With as many placeholder lines as assertions, one goes to each line; otherwise
        all go to the first placeholder and the other placeholder lines are removed.
        """
        enc = self.file.encoding
        # An ASCII-only file tells no encoding (a Latin-1 project's javac would misread UTF-8
        # bytes): other characters go in as Java's \\uXXXX escapes, which any encoding reads.
        escape = self.file.source.isascii()

        def lines(items, indent=self.indent):
            return b"".join(indent + (java_ascii(a) if escape else a).encode(enc) + self.eol for a in items)

        if not self.placeholder:
            (at, after), inserted = self.spans[0], lines(assertions)
            if self.inline:
                inserted = self.eol + inserted + self.closing_indent
            return [(at, after, inserted)]

        def put(start, end, items, indent=self.indent):
            if self.file.source[start:end].endswith(b"\n"):  # the placeholder's whole line
                return start, end, lines(items, indent)
            # a placeholder after code on its line: the assertions go on lines of their own
            return start, end, self.eol + lines(items, indent)[:-len(self.eol)]

        if len(self.spans) == len(assertions):
            indents = self.indents or [self.indent] * len(self.spans)
            return [put(s, e, [a], i) for (s, e), a, i in zip(self.spans, assertions, indents)]
        first, *rest = self.spans
        return [put(*first, assertions)] + [(s, e, b"") for s, e in rest]


def _placeholder_spans(jf: JavaFile, body: Node) -> list[tuple[int, int, bytes]]:
    """(start, end, indent) of each `// ASSERTION PLACEHOLDER` line in a method body where a
    statement may go (`_statement_position`; another is left as the comment it is)."""
    spans = []
    for node in nodes_of_type(body, "line_comment", "block_comment"):
        if _is_placeholder(node) and _statement_position(node):
            indent = jf.indent_at(node.start_byte)
            if jf.starts_line(node) and jf.source[node.end_byte:jf.line_end(node.end_byte)].strip() == b"":
                spans.append((jf.line_start(node.start_byte), jf.line_end(node.end_byte), indent))
            else:  # shares its line with code: replace the comment and the blanks before it
                start = len(jf.source[:node.start_byte].rstrip(b" \t"))
                end = node.end_byte - node.text.endswith(b"\r")  # a comment's node holds the CR of CRLF
                spans.append((start, end, indent))
    return spans


def _is_placeholder(comment: Node) -> bool:
    """`// ASSERTION PLACEHOLDER`, as users also write it: `//ASSERTION PLACEHOLDER`,
    `// assertion placeholder`, `/* ASSERTION PLACEHOLDER */` (they were left in the file)."""
    if comment.type == "block_comment" and comment.end_point[0] == comment.start_point[0] and \
            comment.parent.text[comment.end_byte - comment.parent.start_byte:].split(b"\n")[0].strip():
        return False  # `/* ... */ x++;`: code after it on its line, as a line comment cannot have
    words = text(comment).strip().removeprefix("//").removeprefix("/*").removesuffix("*/").split()
    return [w.upper() for w in words] == ["ASSERTION", "PLACEHOLDER"]


def _statement_position(comment: Node) -> bool:
    """Whether a statement written where `comment` is would be a statement of its block (not
    the body of an `if` or a lambda, nor a class member: that would change what the code
    around it means) and reachable (javac: an unreachable statement is an error)."""
    previous = comment.prev_named_sibling
    while previous is not None and "comment" in previous.type:
        previous = previous.prev_named_sibling
    if comment.parent.type == "switch_block" and previous is not None \
            and previous.type == "switch_block_statement_group":  # in the group of a `case X:`
        statements = statements_of(previous)
        previous = statements[-1] if statements else None
    elif comment.parent.type != "block":
        return False
    return can_complete_normally(previous)


# --- can a statement complete normally (JLS 14.22)? -------------------------------------

_LOOPS = ("while_statement", "do_statement", "for_statement", "enhanced_for_statement")
_BREAK_TARGETS = _LOOPS + ("switch_expression",)
_OWN_BODIES = ("lambda_expression", "class_body", "method_declaration")  # breaks inside stay inside


def _is_true(condition: Node | None) -> bool:
    """A condition that is the constant `true` (parenthesised or not)."""
    return condition is not None and re.fullmatch(r"[\s(]*true[\s)]*", text(condition)) is not None


def _breaks_out(stmt: Node, label: str | None = None) -> bool:
    """Whether a `break` in `stmt` ends it: `break label;`, or with no label, an unlabeled
    `break` whose innermost loop or switch is `stmt` itself."""
    for brk in nodes_of_type(stmt, "break_statement"):
        target = next((text(c) for c in brk.named_children if c.type == "identifier"), None)
        if target != label:
            continue
        node = brk.parent
        while node is not None and node != stmt and node.type not in _OWN_BODIES \
                and (label is not None or node.type not in _BREAK_TARGETS):
            node = node.parent
        if node == stmt:
            return True
    return False


def _has_default(switch_block: Node) -> bool:
    return any(re.search(r"\bdefault\b", text(label)) for label in nodes_of_type(switch_block, "switch_label")
               if label.parent.parent == switch_block)


def can_complete_normally(stmt: Node | None) -> bool:
    """Whether execution can go on after `stmt`, as javac decides it (JLS 14.22, simplified
    where unsure towards "cannot"): a statement placed after one that cannot complete
    normally is unreachable, a compile error."""
    if stmt is None:
        return True
    kind = stmt.type
    if kind in ("return_statement", "throw_statement", "break_statement", "continue_statement",
                "yield_statement"):
        return False
    if kind == "block":
        statements = statements_of(stmt)
        return can_complete_normally(statements[-1] if statements else None)
    if kind == "if_statement":
        alternative = stmt.child_by_field_name("alternative")
        return alternative is None or can_complete_normally(stmt.child_by_field_name("consequence")) \
            or can_complete_normally(alternative)
    if kind == "while_statement":
        return not _is_true(stmt.child_by_field_name("condition")) or _breaks_out(stmt)
    if kind == "do_statement":
        return (not _is_true(stmt.child_by_field_name("condition"))
                and can_complete_normally(stmt.child_by_field_name("body"))) or _breaks_out(stmt)
    if kind == "for_statement":  # `for (;;)` has no condition
        condition = stmt.child_by_field_name("condition")
        return (condition is not None and not _is_true(condition)) or _breaks_out(stmt)
    if kind == "labeled_statement":
        label = text(stmt.named_children[0])
        return can_complete_normally(stmt.named_children[-1]) or _breaks_out(stmt, label)
    if kind == "synchronized_statement":
        return can_complete_normally(stmt.child_by_field_name("body"))
    if kind in ("try_statement", "try_with_resources_statement"):
        clauses = [c for c in stmt.named_children if c.type in ("catch_clause", "finally_clause")]
        finally_ = next((c for c in clauses if c.type == "finally_clause"), None)
        if finally_ is not None and not can_complete_normally(finally_.named_children[-1]):
            return False
        return can_complete_normally(stmt.child_by_field_name("body")) or any(
            can_complete_normally(c.child_by_field_name("body")) for c in clauses if c.type == "catch_clause")
    if kind == "switch_expression":  # as a statement
        block = stmt.child_by_field_name("body")
        cases = statements_of(block)
        if not cases or not _has_default(block) or _breaks_out(stmt):
            return True
        if cases[0].type == "switch_rule":  # `case X -> ...`: each rule ends the switch
            return any(can_complete_normally(r.named_children[-1]) for r in cases)
        # `case X: ...` groups fall through: the last group's end is the switch's end
        last = statements_of(cases[-1])
        return can_complete_normally(last[-1] if last else None)
    return True


def _insertion_point(jf: JavaFile, cls: Node, method: Node) -> Stub:
    """Stub inserting at the end of the body: before a trailing statement that cannot complete
    normally (`return`, `throw`, `while (true)`, an if/else whose branches both return...),
    else before `}`."""
    body = method.child_by_field_name("body")
    statements = statements_of(body)
    method_indent = jf.indent_at(method.start_byte)
    if statements and jf.starts_line(statements[0]):
        indent = jf.indent_at(statements[0].start_byte)
    else:  # empty body: one indentation step deeper than the method (step = method vs class)
        step = method_indent[len(jf.indent_at(cls.start_byte)):] or b"    "
        indent = method_indent + step
    anchor = body.children[-1]  # the closing brace
    # an assertion after a statement that cannot complete normally would be unreachable (javac: error)
    ends_abruptly = bool(statements) and not can_complete_normally(statements[-1])
    if ends_abruptly:  # even on a line with other code
        anchor = statements[-1]
    at = anchor.start_byte
    eol = jf.eol(body.start_byte)
    if jf.starts_line(anchor):
        # the line break of the line the assertions follow (a file of mixed breaks: not the header's)
        eol = jf.eol(jf.line_start(at) - 1) if jf.line_start(at) > body.start_byte else eol
        return Stub(jf, cls, method, [(jf.line_start(at), jf.line_start(at))], indent, eol)
    # `{ }`, `{ foo(); }` or `foo(); return;` on one line: break the line before the brace (return)
    before = jf.source[:at].rstrip(b" \t")
    # the brace where the method starts (the brace's own line is indented for its code)
    return Stub(jf, cls, method, [(len(before), at)], indent, eol,
                inline=True, closing_indent=indent if ends_abruptly else method_indent)


_DISABLING = frozenset({"Disabled", "Ignore"})  # (simple names, as `annotation_names` gives them)


def is_disabled(stub: Stub) -> bool:
    """Whether JUnit skips the stub's test: @Disabled (5) or @Ignore (4) on it or a class around it."""
    return any(set(annotation_names(node)) & _DISABLING for node in [stub.method, *classes_around(stub.method)])


def classes_around(node: Node | None) -> list[Node]:
    """The classes `node` is in, innermost first (itself first when it is one)."""
    found = []
    while node is not None:
        if node.type in CLASS_TYPES:
            found.append(node)
        node = node.parent
    return found


def java_ascii(text: str) -> str:
    """`text` with each non-ASCII character written as a Java unicode escape (a character
    beyond U+FFFF as its two UTF-16 halves), which javac reads whatever the file's encoding."""
    return "".join(c if c.isascii() else "".join(f"\\u{unit:04x}" for unit in _utf16_units(c)) for c in text)


def _utf16_units(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


def find_stubs(jf: JavaFile) -> tuple[list[Stub], int]:
    """Stubs of a parsed file, in source order, and the number of test methods seen."""
    stubs, tests, helpers = [], 0, methods_by_name(jf)
    for cls in jf.classes():
        for method in body_members(cls, "method_declaration"):
            if not is_test_method(method, cls, FILL_TEST_ANNOTATIONS):
                continue
            tests += 1
            body = method.child_by_field_name("body")
            placeholders = _placeholder_spans(jf, body)
            if placeholders:
                stubs.append(Stub(jf, cls, method, [(s, e) for s, e, _ in placeholders], placeholders[0][2],
                                  jf.eol(placeholders[0][0]), placeholder=True,
                                  indents=[indent for _, _, indent in placeholders]))
            elif not _checks_something(method, helpers):
                stubs.append(_insertion_point(jf, cls, method))
    stubs.sort(key=lambda stub: stub.method.start_byte)  # a nested class's come within its outer's
    return stubs, tests


# --- focal class and method --------------------------------------------------------------

_TEST_CLASS = [re.compile(r"^(?P<name>\w+?)(Tests?|TestCase|IT|ITCase|IntegrationTests?)$"),
               re.compile(r"^Test(?P<name>[A-Z]\w*)$"),
               re.compile(r"^(?P<name>\w+?)Test(Case)?[A-Z0-9]\w*$")]
# (Surefire's default includes, FooTestCase as commons-io names them; FooIT, FooITCase: Failsafe's;
# FooTestSimple, FooTestCaseJava4: one of several test classes of Foo)


def focal_class_name(test_class: str) -> str | None:
    """FooTest / FooTests / FooTestCase / TestFoo / FooTestSimple -> Foo; None when the name
    follows none of these."""
    for pattern in _TEST_CLASS:
        match = pattern.match(test_class)
        if match:
            return match.group("name")
    return None


_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def focal_class_names(test_class: str) -> list[str]:
    """The names a test class's focal class may have, most likely first: `focal_class_name`, then
    its shorter camel-case prefixes, for tests of one class split by feature
    (FileUtilsDirectoryContainsTest -> FileUtilsDirectoryContains, FileUtilsDirectory, FileUtils, File)."""
    name = focal_class_name(test_class)
    if name is None:
        return []
    starts = [match.start() for match in _WORD_START.finditer(name)]
    return [name] + [name[:start] for start in reversed(starts)]


def argument_count(call: Node) -> int:
    return sum(a.type not in ("line_comment", "block_comment") for a in call.child_by_field_name("arguments").named_children)


def takes_arguments(parameters: tuple[int, bool], argc: int) -> bool:
    """Whether a method of `parameters` (`parameter_count`) can be called with `argc` arguments."""
    count, varargs = parameters
    return argc == count or varargs and argc >= count - 1


def parameter_count(method: Node) -> tuple[int, bool]:
    """(number of parameters, whether the last is varargs)."""
    params = method.child_by_field_name("parameters").named_children
    params = [p for p in params if p.type in ("formal_parameter", "spread_parameter")]
    return len(params), any(p.type == "spread_parameter" for p in params)


def choose_focal_method(test_name: str, calls: list[tuple[str, int]],
                        methods: list[Node]) -> Node | None:
    """The corpus heuristic (Methods2Test), on calls in evaluation order before the cutoff.

    Among the focal class's methods called in the test: the longest whose name appears
    in the test method's name (case-insensitive); else the only one called; else the
    last one called. Overloads are resolved by argument count of the last such call.
    """
    by_name: dict[str, list[Node]] = {}
    for method in methods:
        by_name.setdefault(text(method.child_by_field_name("name")), []).append(method)
    called = [(name, argc) for name, argc in calls if name in by_name]
    if not called:
        return None
    names = list(dict.fromkeys(name for name, _ in called))
    in_test_name = [n for n in names if n.lower() in test_name.lower()]
    if in_test_name:
        chosen = max(in_test_name, key=len)
    elif len(names) == 1:
        chosen = names[0]
    else:
        chosen = called[-1][0]
    argc = [a for n, a in called if n == chosen][-1]
    overloads = by_name[chosen]
    for method in overloads:
        if takes_arguments(parameter_count(method), argc):
            return method
    return overloads[0]


_ACCESSOR_PREFIX = re.compile(r"^(?:is|get|has)(?=[A-Z])")


def method_named_by_test(test_name: str, methods: list[Node], loosely: bool = False,
                         min_length: int = 3) -> Node | None:
    """The method whose name the test's name holds (case-insensitive; the longest, its first
    overload), for a stub that calls no method of its focal class: `testTrim` of StringUtilsTest
    whose `StringUtils.trim(...)` call was inside the assertions. `loosely`, for a test that names
    nothing else: underscores aside (`testDefault_String` of `defaultString`), and an accessor's
    name without its `is`, `get` or `has` (`testSameLength` of `isSameLength`). Names shorter than
    `min_length` (`of`, `is`) say too little."""
    def squeezed(name: str) -> str:
        return name.lower().replace("_", "") if loosely else name.lower()

    def named_part(method: Node) -> str:   # what of its name the test's name holds, "" for none
        name = text(method.child_by_field_name("name"))
        parts = (name, _ACCESSOR_PREFIX.sub("", name)) if loosely else (name,)
        return next((part for part in parts if len(part) >= min_length and squeezed(part) in squeezed(test_name)), "")
    named = [(len(named_part(m)), m) for m in methods]
    length, method = max(named, key=lambda pair: pair[0], default=(0, None))
    return method if length else None


def test_calls(stub: Stub) -> list[tuple[str, int]]:
    """(name, argument count) of calls in the test before its first assertion, in evaluation order.

    Evaluation order is end-byte order: in `f(g())`, g ends (and runs) before f.
    """
    return calls_before(stub.method, stub.cutoff)


def calls_before(method: Node, cutoff: int) -> list[tuple[str, int]]:
    """test_calls of a test method: calls ending before `cutoff` and before its first assertion."""
    return [(_call_name(c), argument_count(c)) for c in _before(method, cutoff, "method_invocation")]


def creations_before(method: Node, cutoff: int) -> list[tuple[str, int]]:
    """(simple class name, argument count) of the `new X(...)` of a test method (not of an
    anonymous class) ending before `cutoff` and before its first assertion, in evaluation order."""
    return [(_simple_name(c.child_by_field_name("type")), argument_count(c))
            for c in _before(method, cutoff, "object_creation_expression")
            if not any(child.type == "class_body" for child in c.children)]


def unqualified_calls(method: Node, cutoff: int) -> set[str]:
    """Names of the calls ending before `cutoff` written without an object (`ctrl('B')`, not
    jline's `b.ctrl('K')`, its TestBuffer's): those that may call a statically imported method."""
    return {_call_name(call) for call in nodes_of_type(method.child_by_field_name("body"), "method_invocation")
            if call.end_byte <= cutoff and call.child_by_field_name("object") is None}


def _simple_name(type_node: Node) -> str:
    """`Foo` of `Foo`, `Foo<T>`, `com.acme.Foo`, `Outer.Foo<T>`."""
    return text(type_node).split("<")[0].rsplit(".", 1)[-1].strip()


def _before(method: Node, cutoff: int, node_type: str) -> list[Node]:
    """The method body's nodes of a type ending before `cutoff` and before its first assertion,
    in evaluation order (end-byte order: in `f(g())`, g ends, and runs, before f)."""
    body = method.child_by_field_name("body")
    for node in nodes_of_type(body, "expression_statement"):
        if is_assertion_statement(node):
            cutoff = min(cutoff, node.start_byte)
            break
    return sorted((n for n in nodes_of_type(body, node_type) if n.end_byte <= cutoff), key=lambda n: n.end_byte)


def asserted_test_calls(method: Node) -> list[tuple[str, int]]:
    """Calls of a test that already asserts, for `choose_focal_method` as the corpus applied
    it: every call of the body counts for the name rules (assertion arguments included), and
    the calls before the first assertion come last, so that "the last one called" is the
    last one before the first assertion."""
    before = calls_before(method, method.end_byte)
    body = method.child_by_field_name("body")
    every = sorted(nodes_of_type(body, "method_invocation"), key=lambda n: n.end_byte)
    after = [(_call_name(c), argument_count(c)) for c in every][len(before):]
    return after + before


# --- tests that already assert (the retrieval corpus of `assertgen fill`) ----------------

_ASSERTION_SCOPE_STOP = ("lambda_expression", "class_body")


@dataclass
class AssertedTest:
    """A test method that already has assertions, masked the way the corpus is."""

    file: JavaFile
    cls: Node
    method: Node
    masked: str              # the method, every assertion statement replaced by a placeholder line
    assertions: list[str]    # the statements removed, in source order

    @property
    def name(self) -> str:
        return text(self.method.child_by_field_name("name"))

    @property
    def line(self) -> int:
        return self.method.child_by_field_name("name").start_point[0] + 1


def _own_assertions(body: Node) -> list[Node]:
    """Assertion statements of a method body outside lambdas and local/anonymous classes."""
    found, stack = [], list(reversed(body.children))
    while stack:
        node = stack.pop()
        if node.type in _ASSERTION_SCOPE_STOP:
            continue
        if is_assertion_statement(node):
            found.append(node)
            continue
        stack.extend(reversed(node.children))
    return found


def _collapse(statement: str) -> str:
    """Line breaks and the indentation around them become one space (multi-line assertions)."""
    return re.sub(r"[ \t]*\r?\n\s*", " ", statement.strip())


def _one_line(statement: Node, encoding: str) -> str:
    """An assertion statement's text on one line (`_collapse`), its line comments left out:
    joined, picocli's `new File[]{ //null, null, ...` and commons-csv's `// should fail` in a
    lambda hid the rest of the statement, which then did not parse (stop 31)."""
    source, start = statement.text, statement.start_byte
    for comment in sorted(nodes_of_type(statement, "line_comment"), key=lambda n: -n.start_byte):
        source = source[:comment.start_byte - start] + source[comment.end_byte - start:]
    return _collapse(source.decode(encoding, errors="replace"))


def asserted_tests(jf: JavaFile) -> list[AssertedTest]:
    """Test methods with at least one assertion statement and no placeholder, masked as in the
    corpus (`test_method_masked`): each assertion statement replaced by the line
    `// ASSERTION PLACEHOLDER` with its indentation (a statement sharing its line with other
    code is replaced in place), outside lambdas and local classes; LF line breaks."""
    found = []
    for cls in jf.classes():
        for method in body_members(cls, "method_declaration"):
            if not is_test_method(method, cls):
                continue
            body = method.child_by_field_name("body")
            statements = _own_assertions(body)
            if not statements or _placeholder_spans(jf, body):
                continue
            src, start = jf.source, method.start_byte
            pieces, at = [], start
            for node in statements:
                alone = jf.starts_line(node) and src[node.end_byte:jf.line_end(node.end_byte)].strip() == b""
                if alone:
                    begin, end = jf.line_start(node.start_byte), jf.line_end(node.end_byte)
                    line = jf.indent_at(node.start_byte) + PLACEHOLDER.encode() + jf.eol(node.start_byte)
                else:
                    begin, end = node.start_byte, node.end_byte  # the comment must end its line
                    line = PLACEHOLDER.encode() + jf.eol(node.start_byte) + jf.indent_at(node.start_byte)
                pieces += [src[at:begin], line]
                at = end
            pieces.append(src[at:method.end_byte])
            masked = b"".join(pieces).decode(jf.encoding, errors="replace").replace("\r\n", "\n")
            found.append(AssertedTest(jf, cls, method, masked,
                                      [_one_line(node, jf.encoding) for node in statements]))
    return found


def class_methods(cls: Node) -> list[Node]:
    return body_members(cls, "method_declaration")


def implicit_accessors(jf: JavaFile, record: Node) -> JavaFile | None:
    """A stand-in file (the record's path) with the accessors of a record's components that
    the record does not declare (`class Circle { public double radius() { return radius; } }`),
    or None. javac writes them and the source has none, but the model's input needs the
    focal method's text (the corpus's focal methods are source text): the one line a record
    would declare; a varargs component (`int... xs`) has an array's (`int[] xs()`)."""
    params = record.child_by_field_name("parameters") if record.type == "record_declaration" else None
    declared = {text(m.child_by_field_name("name")) for m in class_methods(record) if parameter_count(m) == (0, False)}
    lines = []
    for component in params.named_children if params is not None else []:
        if component.type == "formal_parameter":
            name, type_node, array = component.child_by_field_name("name"), component.child_by_field_name("type"), ""
        elif component.type == "spread_parameter":  # [modifiers] type ... variable_declarator
            type_node = next(c for c in component.named_children if c.type != "modifiers")
            name, array = component.named_children[-1].child_by_field_name("name"), "[]"
        else:
            continue
        if text(name) not in declared:
            type_ = type_node.text.decode(jf.encoding, errors="replace") + array
            lines.append(f"    public {type_} {text(name)}() {{ return {text(name)}; }}\n")
    if not lines:
        return None
    source = f"class {class_name(record)} {{\n{''.join(lines)}}}\n".encode()
    return JavaFile(jf.path, source, parse(source))


def top_level_class(jf: JavaFile, name: str) -> Node | None:
    for node in jf.tree.root_node.named_children:
        if node.type.endswith("_declaration") and node.child_by_field_name("name") is not None \
                and text(node.child_by_field_name("name")) == name:
            return node
    return None


def import_edits(jf: JavaFile, lines: list[str]) -> list[tuple[int, int, bytes]]:
    """Edits adding import lines where formatters keep them. A class's (`import org.junit.Assert;`)
    goes among the file's other imports, a static one among its static imports, each in its
    sorted place where those are sorted, else after the last; else static imports (and class
    imports where the file has no others) go as a group of their own, a blank line from the
    other imports (above them as Google Java Style has it, below in IntelliJ IDEA's default
    layout), else after the package declaration (or a license header), a blank line around.
    With the file's line breaks."""
    eol = jf.eol(0)
    lines = sorted(lines, key=_imported)
    imports = jf.imports
    class_edits = []
    classes = [line for line in lines if not line.startswith("import static ")]
    class_imports = [i for i in imports if not i.static]
    if classes and class_imports:
        class_edits = _into_imports(jf, class_imports, classes, eol)
        lines = [line for line in lines if line not in classes]
    statics = [i for i in imports if i.static]
    if not lines or statics:
        return (_into_imports(jf, statics, lines, eol) if lines else []) + class_edits
    body = b"".join(line.encode() + eol for line in lines)
    if imports and not _statics_go_below(jf, imports):
        first = imports[0].node
        # its line, unless something precedes it there: `package p; import x.Y;`, or a BOM
        at = jf.line_start(first.start_byte) if jf.starts_line(first) else first.start_byte
        return [(at, at, body + eol)] + class_edits  # (above a class import going to the same place)
    at = jf.line_end(imports[-1].node.end_byte) if imports else _after_header(jf)
    start = 3 if jf.source.startswith(b"\xef\xbb\xbf") else 0
    if at == start:
        before = b""
    elif at != jf.line_start(at):  # `package p; class T {}`, a last line without a line break
        before = eol + eol
    else:  # one blank line, the file's own where it has one (never two in a row)
        before = b"" if _blank_line(jf, jf.line_start(at - 1)) else eol
    return [(at, at, before + body + (b"" if _blank_line(jf, at) else eol))] + class_edits


def _imported(line: str) -> str:
    """`a.B.*` of `import static a.B.*;`."""
    return re.sub(r"^import\s+(static\s+)?|\s*;\s*$", "", line)


def _blank_line(jf: JavaFile, at: int) -> bool:
    """Whether the rest of the line from `at` is blank (or the file ends there)."""
    return jf.source[at:jf.line_end(at)].strip() == b""


def _into_imports(jf: JavaFile, group: list[Import], lines: list[str], eol: bytes) -> list[tuple[int, int, bytes]]:
    """The edits adding `lines` (sorted) to a group of the file's imports (its static ones, or
    the others): an insertion at each place a line goes."""
    names = [i.name + (".*" if i.wildcard else "") for i in group]
    in_order = names == sorted(names)
    first = group[0].node
    places: dict[int, list[str]] = {}  # offset -> the lines going there
    for line in lines:
        after = bisect.bisect(names, _imported(line)) if in_order else len(names)  # imports before it
        at = jf.line_end(group[after - 1].node.end_byte) if after \
            else jf.line_start(first.start_byte) if jf.starts_line(first) else first.start_byte
        places.setdefault(at, []).append(line)
    edits = []
    for at, placed in places.items():
        body = b"".join(line.encode() + eol for line in placed)
        if at == len(jf.source) and not jf.source.endswith(b"\n"):  # the last line has no line break
            body = eol + body.rstrip(b"\r\n")
        edits.append((at, at, body))
    return edits


def _statics_go_below(jf: JavaFile, imports: list[Import]) -> bool:
    """Whether the imports follow IntelliJ IDEA's default layout, which puts static imports
    last: the java.* and javax.* imports after the others, a blank line between."""
    jdk = [i.name.startswith(("java.", "javax.")) for i in imports]
    if not jdk[-1] or all(jdk):
        return False
    last_other = max(k for k, is_jdk in enumerate(jdk) if not is_jdk)
    between = jf.source[imports[last_other].node.end_byte:imports[last_other + 1].node.start_byte]
    return between.count(b"\n") >= 2


def _after_header(jf: JavaFile) -> int:
    """Where imports go in a file without any: after the package declaration's line, else
    after a license header comment, else at the file's start (after a BOM)."""
    nodes = jf.tree.root_node.named_children
    header = next((n for n in nodes if n.type == "package_declaration"), None)
    if header is None and nodes and nodes[0].type == "block_comment" \
            and _blank_line(jf, jf.line_end(nodes[0].end_byte)):  # (a class's Javadoc has no blank line after it)
        header = nodes[0]
    if header is None:
        return 3 if jf.source.startswith(b"\xef\xbb\xbf") else 0
    # its line, unless something follows it there (`package p; class T {}`)
    return jf.line_end(header.end_byte) if _blank_line(jf, header.end_byte) else header.end_byte


def apply_edits(source: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply non-overlapping byte edits (start, end, replacement); everything else is kept."""
    out, pos = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos:
            raise ValueError(f"overlapping edits at byte {start}")
        out += [source[pos:start], replacement]
        pos = end
    out.append(source[pos:])
    return b"".join(out)
