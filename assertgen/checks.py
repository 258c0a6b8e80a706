"""Which assertions `assertgen fill` may insert: the names visible at an insertion point
(`scope_at`), the assertion libraries and their static imports, and the check of each model
candidate (`check_candidate`): it parses, asserts, uses the test, and names only what the
test can see (and only members its project classes have).
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from tree_sitter import Node

from assertgen.java_source import (CLASS_TYPES, Import, Stub, annotation_names, argument_count, body_members,
                                   class_methods, class_name, classes_around, expects_exception, has_modifier, imports_of,
                                   is_assertion_name, is_assertion_statement, is_junit3, nodes_of_type, package_of,
                                   parameter_count, parse, root_of, statements_of, takes_arguments, text, walk)
from assertgen.java_level import JavaLevel
from assertgen.jdk import (ARRAY_MEMBERS, ENUM_MEMBERS, ENUM_STATICS, JAVA_LANG, JDK_CLASSES, JDK_PACKAGE_NAMES,
                           JDK_PACKAGE_TYPES, NEW, OLDEST_RELEASE,
                           OBJECT_MEMBERS, PRIMITIVES, UNCHECKED_EXCEPTIONS, is_interface, qualified_name,
                           superclass_of, surely_not_passed_as)
from assertgen.literals import literal_error


# --- assertion libraries and static imports --------------------------------------------

_JUNIT_COMMON = {"assertEquals", "assertNotEquals", "assertTrue", "assertFalse", "assertNull",
                 "assertNotNull", "assertSame", "assertNotSame", "assertArrayEquals", "assertThrows", "fail"}


@dataclass(frozen=True)
class AssertionLibrary:
    """A class of static assertion methods, and how to import them when missing."""

    key: str
    package: str             # imports under this prefix mean the file uses the library
    owner: str               # the class declaring the methods
    names: frozenset[str]
    wildcard: bool           # import as `owner.*` (else one import per name)

    def used_by(self, qualified_names: list[str]) -> bool:
        return any(n == self.package or n.startswith(self.package + ".") for n in qualified_names
                   if not (self.key == "junit4" and n.startswith("org.junit.jupiter")))



LIBRARIES = [
    AssertionLibrary("assertj", "org.assertj", "org.assertj.core.api.Assertions", frozenset({
        "assertThat", "assertThatThrownBy", "assertThatCode", "assertThatExceptionOfType",
        "assertThatNullPointerException", "assertThatIllegalArgumentException",
        "assertThatIllegalStateException", "fail"}), wildcard=False),
    AssertionLibrary("truth", "com.google.common.truth", "com.google.common.truth.Truth",
                     frozenset({"assertThat", "assertWithMessage"}), wildcard=False),
    AssertionLibrary("hamcrest", "org.hamcrest", "org.hamcrest.MatcherAssert",
                     frozenset({"assertThat"}), wildcard=False),
    AssertionLibrary("junit5", "org.junit.jupiter", "org.junit.jupiter.api.Assertions", frozenset(_JUNIT_COMMON | {
        "assertIterableEquals", "assertLinesMatch", "assertThrowsExactly", "assertDoesNotThrow",
        "assertTimeout", "assertTimeoutPreemptively", "assertAll", "assertInstanceOf"}), wildcard=True),
    AssertionLibrary("junit4", "org.junit", "org.junit.Assert",
                     frozenset(_JUNIT_COMMON | {"assertThat"}), wildcard=True),
    # TestNG's @Test methods are tests too (its assertEquals takes the actual value first)
    AssertionLibrary("testng", "org.testng", "org.testng.Assert", frozenset(
        _JUNIT_COMMON - {"assertArrayEquals"} | {"assertEqualsNoOrder", "assertEqualsDeep",
                                                "assertNotEqualsDeep"}), wildcard=True),
]
_BY_OWNER = {lib.owner: lib for lib in LIBRARIES}
# JUnit's assertion classes have no static member but those (javap of JUnit 4.13.2's Assert, JUnit
# 5.10's and 6.1's Assertions): `Assertions.assertThat(...)` of JUnit 5 is a javac error (AssertJ's
# is another class); AssertJ's Assertions has none of JUnit's but `fail` and `assertThat`.
_WHOLE_API = {owner: frozenset(f"{m}()" for m in _BY_OWNER[owner].names)
              for owner in ("org.junit.Assert", "org.junit.jupiter.api.Assertions")}
_NOT_ASSERTJ = (_BY_OWNER["org.junit.Assert"].names | _BY_OWNER["org.junit.jupiter.api.Assertions"].names) \
    - {"fail", "assertThat"}
# The libraries of a test framework, whose annotations (`@Test`) say which one a test method is
TEST_FRAMEWORKS = frozenset({"junit5", "junit4", "testng"})

# Members of classes commonly imported with `import static X.*;` (other wildcards are opaque).
_JUNIT3 = frozenset({"assertEquals", "assertTrue", "assertFalse", "assertNull", "assertNotNull",
                     "assertSame", "assertNotSame", "fail", "failNotEquals", "failNotSame", "failSame"})
# The matchers Hamcrest 1.3 and 2.2 both have (2.x's emptyString, matchesRegex, ... are not in 1.3's
# jars, which JUnit 4 projects still use: javac, cannot find symbol).
_CORE_MATCHERS = frozenset("""allOf anyOf both either describedAs everyItem is isA anything hasItem hasItems
equalTo any instanceOf not nullValue notNullValue sameInstance theInstance containsString startsWith endsWith""".split())
_HAMCREST_MATCHERS = _CORE_MATCHERS | frozenset("""array hasItemInArray arrayContaining arrayContainingInAnyOrder
arrayWithSize emptyArray hasSize empty emptyCollectionOf emptyIterable emptyIterableOf isIn isOneOf contains
containsInAnyOrder iterableWithSize hasEntry hasKey hasValue closeTo comparesEqualTo greaterThan greaterThanOrEqualTo
lessThan lessThanOrEqualTo equalToIgnoringCase equalToIgnoringWhiteSpace isEmptyString isEmptyOrNullString
stringContainsInOrder hasToString typeCompatibleWith eventFrom hasProperty samePropertyValuesAs hasXPath""".split())
# AssertJ's Assertions besides its assertion methods: what an assertion takes as an argument
_ASSERTJ_HELPERS = frozenset("""entry tuple within offset withPrecision byLessThan withinPercentage atIndex
catchThrowable catchThrowableOfType contentOf linesOf filter in notIn not allOf anyOf from extractProperty""".split())
_LIBRARY_MEMBERS = {lib.owner: lib.names for lib in LIBRARIES}
WILDCARD_MEMBERS = _LIBRARY_MEMBERS | {
    "junit.framework.TestCase": _JUNIT3, "junit.framework.Assert": _JUNIT3,
    "org.hamcrest.Matchers": _HAMCREST_MATCHERS, "org.hamcrest.CoreMatchers": _CORE_MATCHERS,
    "org.assertj.core.api.Assertions": _LIBRARY_MEMBERS["org.assertj.core.api.Assertions"] | _ASSERTJ_HELPERS,
}

# Static methods of libraries' classes (javap of mockito-core 2.23.0): `import static org.mockito.Mockito.mock;`
# imports a method, no field or type (mockito at stop 35: a fill's `assertThat(mock.isVoid())`, javac: cannot
# find symbol). Only names listed count, so a newer version's methods missing here are no error.
_MOCKITO_MATCHERS = frozenset("""any anyBoolean anyByte anyChar anyCollection anyCollectionOf anyDouble anyFloat anyInt
anyIterable anyIterableOf anyList anyListOf anyLong anyMap anyMapOf anyObject anySet anySetOf anyShort anyString anyVararg
argThat booleanThat byteThat charThat contains doubleThat endsWith eq floatThat intThat isA isNotNull isNull longThat
matches notNull nullable refEq same shortThat startsWith""".split())
_LIBRARY_STATIC_METHODS = {**_LIBRARY_MEMBERS, "org.mockito.ArgumentMatchers": _MOCKITO_MATCHERS,
                           "org.mockito.Matchers": _MOCKITO_MATCHERS,
                           "org.mockito.Mockito": _MOCKITO_MATCHERS | frozenset("""after atLeast atLeastOnce atMost
calls clearInvocations description doAnswer doCallRealMethod doNothing doReturn doThrow framework ignoreStubs inOrder
lenient mock mockingDetails mockitoSession never only reset spy timeout times validateMockitoUsage verify
verifyNoMoreInteractions verifyZeroInteractions when withSettings""".split())}

# The public methods of JUnit 4's rules (javap of junit4 4.13.2, the last JUnit 4, with their supertypes'
# `apply` and Object's): a test's `@Rule public ExpectedException exception` has no `size()` (mockito at
# stop 35: a reused `assertEquals(1, exception.size())`, javac: cannot find symbol)
_JUNIT4_RULES = {f"org.junit.rules.{rule}": frozenset(f"{method}()" for method in methods.split()) | OBJECT_MEMBERS
                 for rule, methods in {
                     "ExpectedException": "apply expect expectCause expectMessage handleAssertionErrors "
                                          "handleAssumptionViolatedExceptions isAnyExceptionExpected none "
                                          "reportMissingExceptionWithMessage",
                     "TemporaryFolder": "apply builder create delete getRoot newFile newFolder",
                     "TestName": "apply getMethodName",
                     "ErrorCollector": "apply addError checkSucceeds checkThat checkThrows"}.items()}

# Annotations (Lombok's) that generate members the source does not show: getters, setters,
# withers, `builder()`, delegated methods.
_GENERATING_ANNOTATIONS = frozenset("Data Value Getter Setter Builder SuperBuilder With Wither Delegate "
                                    "Accessors".split())
# Interfaces that give a class no member it does not declare itself (no default method, no constant).
_BARE_INTERFACES = frozenset("Comparable Serializable Cloneable".split())


def _return_type(method: Node) -> str:
    """A method's return type as written (`_type_name`), C-style dimensions too (`int legacy()[]`: `int[]`)."""
    dimensions = method.child_by_field_name("dimensions")
    return _type_name(method.child_by_field_name("type")) + ("" if dimensions is None else "[]" * text(dimensions).count("["))


def _type_name(node: Node) -> str:
    """A declared type as written, without type arguments: `Polygon.Line` of `Polygon.Line<T>`
    (a nested class, not a top-level `Line`), `com.acme.Line`, `int[]`."""
    if node.type == "generic_type":
        node = node.named_children[0]
    return re.sub(r"\s+", "", text(node))


def _simple_type(node: Node) -> str:
    """`Foo` of `Foo`, `Foo<T>` and `p.Foo`."""
    if node.type == "generic_type":
        node = node.named_children[0]
    return text(node).rsplit(".", 1)[-1]


def class_members(cls: Node, classes: Callable[[str], Node | None] = lambda name: None,
                  _seen: frozenset[str] = frozenset()) -> frozenset[str] | None:
    """Every member of a class (methods, written `name()`; fields, enum constants, record
    components, nested classes, written `name`; what Object and Enum give it) and those it
    inherits from its supertypes, or None when they are not all known: Lombok generates some,
    or a supertype is neither the project's (`classes`) nor a listed JDK class
    (`_supertype_members`)."""
    fields = body_members(cls, "field_declaration")
    if any(set(annotation_names(d)) & _GENERATING_ANNOTATIONS for d in [cls, *fields]):
        return None
    names = set(OBJECT_MEMBERS) | (ENUM_MEMBERS if cls.type == "enum_declaration" else set())
    names |= {_method_key(m) for m in class_methods(cls) + body_members(cls, "annotation_type_element_declaration")}
    for kind in ("field_declaration", "constant_declaration"):
        for member in body_members(cls, kind):
            names |= {text(d.child_by_field_name("name")) for d in member.named_children
                      if d.type == "variable_declarator"}
    names |= {class_name(c) for c in _member_classes(cls)}
    names.update(_enum_constants(cls))
    components = cls.child_by_field_name("parameters")  # a record's
    if components is not None:  # a private field and a public accessor each
        names |= {key for p in components.named_children for n in _declared_names(p) for key in (n, f"{n}()")}
    for supertype in _supertype_nodes(cls):
        inherited = _supertype_members(cls, _type_name(supertype), classes, _seen | {_qualified_name(cls)})
        if inherited is None:
            if _simple_type(supertype) not in _BARE_INTERFACES:
                return None
        else:
            names |= inherited
    return frozenset(names)


def _supertype_nodes(cls: Node) -> list[Node]:
    """The types a class or interface extends or implements, as written."""
    return [t for child in cls.named_children if child.type in ("superclass", "super_interfaces", "extends_interfaces")
            for t in (child.named_children if child.type == "superclass" else child.named_children[0].named_children)]


def _qualified_name(cls: Node) -> str:
    return ".".join(filter(None, [package_of(cls), class_name(cls)]))


def _supertype_members(cls: Node, written: str, classes: Callable[[str], Node | None],
                       seen: frozenset[str]) -> frozenset[str] | None:
    """The members class `cls` inherits from its supertype `written` (`_resolve_type`): a project
    class's but an interface's static methods, which no subtype inherits (javac: cannot find
    symbol, `Item.of(1)` of `Named.of`), or a listed JDK class's; None when unknown."""
    resolved = _resolve_type(cls, written, classes)
    return JDK_CLASSES[resolved].members if isinstance(resolved, str) \
        else None if resolved is None else _inherited_from(resolved, classes, seen)


@lru_cache(maxsize=32)  # (each cached root keeps its file's tree alive: few, as SourceRoot keeps few)
def _file_declarations(root: Node) -> tuple[tuple[Node, ...], tuple]:
    """(the class declarations, the imports) of a file's root: `_resolve_type` asks for them for
    every supertype of every class it follows, and a query over the whole tree each time cost
    joda-time's fill 20 s."""
    return tuple(nodes_of_type(root, *CLASS_TYPES)), tuple(imports_of(root))


def _resolve_type(context: Node, written: str, classes: Callable[[str], Node | None],
                  any_jdk: bool = False) -> Node | str | None:
    """The class a type name means where `context` (a class or a member of one) writes it, as its
    own file imports or sees it, not as the test does: the project's (`classes` finds it by its
    qualified name), or a listed JDK class (its simple name; with `any_jdk`, any class of a java.*
    or javax.* package, `javax.crypto.Mac`). None when unknown: a library's class, `Outer.Nested`,
    a class of the file declared twice or out of the context's sight."""
    if "." in written and not written[:1].islower():
        return None
    simple, root = written.rsplit(".", 1)[-1], root_of(context)
    file_classes, file_imports = _file_declarations(root)
    if "." in written:
        candidates = [written]
    else:
        declared = [c for c in file_classes if class_name(c) == simple]
        if declared:  # the file's own: a top-level class, or a member of a class around the context
            around = classes_around(context)
            owner = declared[0].parent
            owner = owner.parent if owner.type == "enum_body_declarations" else owner
            return declared[0] if len(declared) == 1 and (owner == root or owner.parent in around) else None
        imports = [i for i in file_imports if not i.static]
        single = [i.name for i in imports if not i.wildcard and i.simple == simple]
        package = package_of(context)
        # (a project class a wildcard brings before java.lang's: `Module` where the Java level has no java.lang.Module)
        candidates = single or [f"{package}.{simple}" if package else simple,
                                *(f"{i.name}.{simple}" for i in imports if i.wildcard), "java.lang." + simple]
    for qualified in candidates:
        project = classes(qualified)
        if project is not None:
            return project
        package, _, name = qualified.rpartition(".")
        if package == "java.lang" and name in JAVA_LANG and JDK_CLASSES[name].release > 8 and "." not in written \
                and any(i.wildcard and i.name not in JDK_PACKAGE_NAMES for i in imports):
            return None  # a library's `Record` (`import org.jooq.*;`) where the Java level has no java.lang.Record
        if name in JDK_PACKAGE_TYPES.get(package, ()) or any_jdk and name in JDK_PACKAGE_NAMES.get(package, ()):
            return name
    return None


# The packages the JDK's modules export: what a class of them may implement (`org.w3c.dom.Node`)
_JDK_PACKAGES = ("java.", "javax.", "jdk.", "sun.", "com.sun.", "org.w3c.", "org.xml.", "org.ietf.")


def _imported_from_library(context: Node, written: str, classes: Callable[[str], Node | None]) -> bool:
    """Whether `context`'s file imports the class `written` (a simple name, no type variable in
    sight) by a single-type import of neither the JDK (`_JDK_PACKAGES`) nor the project (`import
    org.junit.runner.Result;`): a library's class, which no JDK type extends or implements."""
    if "." in written or written in _type_parameters(context):
        return False
    _, imports = _file_declarations(root_of(context))
    return any(not i.static and not i.wildcard and i.simple == written and not i.name.startswith(_JDK_PACKAGES)
               and classes(i.name) is None for i in imports)


def _unqualified_field(node: Node) -> Node:
    """`items` of `this.items` (the test's field, as the name alone means it), else the node."""
    if node.type == "field_access" and node.child_by_field_name("object").type == "this":
        return node.child_by_field_name("field")
    return node


def _as_seen_from(context: Node, written: str, classes: Callable[[str], Node | None]) -> str:
    """A type name the file of a project class writes (an inherited field's), as a test elsewhere
    may write it: qualified where it means a JDK class or a top-level project class (the test's
    package may have another class of its simple name: `Path`); else as written."""
    if written in PRIMITIVES or "." in written or written.endswith("]"):
        return written
    resolved = _resolve_type(context, written, classes)
    if isinstance(resolved, str):
        return qualified_name(resolved) or written
    package = package_of(resolved) if resolved is not None and resolved.parent == root_of(resolved) else None
    return f"{package}.{written}" if package else written


def _ancestors(node: Node | None, up_to: Node | None = None) -> list[Node]:
    """`node` and the nodes around it, innermost first (below `up_to` when given)."""
    found = []
    while node is not None and node != up_to:
        found.append(node)
        node = node.parent
    return found


def _type_parameters(method: Node) -> set[str]:
    """The type variables a method's signature may use: its own and its classes' (`T get()`)."""
    return {text(p.named_children[0]) for node in _ancestors(method)
            for params in [node.child_by_field_name("type_parameters")] if params is not None
            for p in params.named_children if p.type == "type_parameter"}


def _inherited_from(supertype: Node, classes: Callable[[str], Node | None],
                    seen: frozenset[str]) -> frozenset[str] | None:
    """What a subtype inherits from the project's `supertype` (see `_supertype_members`)."""
    if _qualified_name(supertype) in seen:
        return None
    members = class_members(supertype, classes, seen)
    if members is None or supertype.type != "interface_declaration":
        return members
    statics = {_method_key(m) for m in class_methods(supertype) if _is_static(m)}
    others = {_method_key(m) for m in class_methods(supertype) if not _is_static(m)}
    return members - (statics - others)


def _resolved_supertypes(owner: Node, classes: Callable[[str], Node | None]) -> list[tuple[str, Node | str | None]]:
    """(simple name, `_resolve_type` of it as `owner`'s file writes and sees it) of each class and
    interface `owner` extends or implements."""
    return [(_simple_type(supertype), _resolve_type(owner, _type_name(supertype), classes))
            for supertype in _supertype_nodes(owner)]


def _jdk_supertypes(owner: Node, classes: Callable[[str], Node | None]) -> list[str]:
    """The listed JDK classes `owner` extends or implements itself (simple names)."""
    return [resolved for _, resolved in _resolved_supertypes(owner, classes) if isinstance(resolved, str)]


def _methods_named(cls: Node, name: str) -> list[Node]:
    """The class's own methods (overloads) of that name."""
    return [m for m in class_methods(cls) if text(m.child_by_field_name("name")) == name]


def _methods_taking(cls: Node, name: str, argc: int) -> list[Node]:
    """The class's own methods of that name that take `argc` arguments."""
    return [m for m in _methods_named(cls, name) if takes_arguments(parameter_count(m), argc)]


def _is_component(cls: Node, name: str) -> bool:
    """Whether `name` is a record's component (javac writes its accessor)."""
    components = cls.child_by_field_name("parameters") if cls.type == "record_declaration" else None
    return components is not None and any(name in _declared_names(c) for c in components.named_children)


def _method_key(method: Node) -> str:
    """How a method is written among a class's members: `name()` (a field is `name`)."""
    return text(method.child_by_field_name("name")) + "()"


def member_key(member: str, called: bool) -> str:
    """`size()` for `x.size(...)`, `size` for `x.size`: the member a selection needs."""
    return f"{member}()" if called else member


def split_members(members) -> tuple[set[str], set[str]]:
    """(method names, other names) of members written as in `class_members`."""
    return {m[:-2] for m in members if m.endswith("()")}, {m for m in members if not m.endswith("()")}


def _declarations(cls: Node, member: str, called: bool) -> list[Node]:
    """The declarations of `member` in class `cls`'s body: its methods of that name when `called`,
    else its fields (a record's components: one node) and member classes."""
    if called:
        return _methods_named(cls, member)
    found = [d for kind in ("field_declaration", "constant_declaration") for d in body_members(cls, kind)
             if member in _declared_names(d)]
    found += [c for c in _member_classes(cls) if class_name(c) == member]
    if _is_component(cls, member):  # a record's fields are private
        found.append(cls.child_by_field_name("parameters"))
    return found


def _member_classes(cls: Node) -> list[Node]:
    """A class's member classes, interfaces, enums and records."""
    return [c for kind in CLASS_TYPES for c in body_members(cls, kind)]


def _enum_constants(cls: Node) -> list[str]:
    """The names of an enum's constants ([] for another class)."""
    body = cls.child_by_field_name("body")
    return [text(c.child_by_field_name("name")) for c in body.named_children if c.type == "enum_constant"]


def project_supertypes(cls: Node, classes: Callable[[str], Node | None]) -> list[Node]:
    """The classes and interfaces `cls` extends or implements, directly or not, that `classes`
    finds in the project (a test base class, an interface of constants); a library's and the JDK's
    are left out. Each name is resolved as the file that writes it sees it (`_resolve_type`: jsoup's
    Element extends Node of its own package, which a test of another package does not import),
    else by `classes` alone."""
    found, todo, seen = [], [cls], {class_name(cls)}
    while todo:
        owner = todo.pop()
        for supertype in _supertype_nodes(owner):
            name = _simple_type(supertype)
            if name in seen:
                continue
            seen.add(name)
            sup = _resolve_type(owner, _type_name(supertype), classes)
            sup = classes(name) if sup is None else sup if isinstance(sup, Node) else None
            if sup is not None:
                found.append(sup)
                todo.append(sup)
    return found


def _jdk_types_of(cls: Node, classes: Callable[[str], Node | None]) -> set[str] | None:
    """The JDK types a value of the project class `cls` is of: Object, the member-less interfaces it
    implements, an enum's Enum, Comparable, Serializable and Constable, a record's Record; None
    when it or a project supertype extends or implements another JDK or library class (whose
    supertypes the index does not list)."""
    found = {"Object"}
    for owner in [cls, *project_supertypes(cls, classes)]:
        if owner.type == "enum_declaration":
            found |= {"Enum", "Comparable", "Serializable", "Constable"}
        elif owner.type == "record_declaration":
            found.add("Record")
        for _, resolved in _resolved_supertypes(owner, classes):
            if isinstance(resolved, Node):
                continue
            if resolved is None or resolved not in _BARE_INTERFACES:
                return None
            found.add(resolved)
    return found


def inherits_from_library(cls: Node, supertypes: list[Node], classes: Callable[[str], Node | None]) -> bool:
    """Whether `cls` or one of its project supertypes (`project_supertypes`) extends or implements
    a class the project lacks (a library's or the JDK's, but an interface that brings no member
    or JUnit 3's TestCase, whose members are known): it may inherit members the source does not
    show. Each name as the file that writes it sees it (commons-collections' AbstractComparatorTest
    extends AbstractObjectTest of its own package, which a test of another package does not import)."""
    return any(name not in _BARE_INTERFACES | {"TestCase"} and classes(name) is None and not isinstance(resolved, Node)
               for owner in [cls, *supertypes] for name, resolved in _resolved_supertypes(owner, classes))


def inherited_methods(owner: Node, package: str | None = None) -> list[Node]:
    """The methods a subclass (of `package`, when given) inherits from project supertype `owner`:
    not its private ones, nor an interface's static ones (nor its package-private ones: `inherits`)."""
    interface = owner.type == "interface_declaration"
    return [m for m in class_methods(owner) if not (interface and _is_static(m))
            and (not _is_private(m) if package is None else inherits(m, owner, package))]


def inherits(member: Node, owner: Node, package: str) -> bool:
    """Whether a subclass in `package` inherits `member` of project supertype `owner`: not a
    private one, nor a package-private one of another package (javac: cannot find symbol)."""
    return not _is_private(member) and (owner.type == "interface_declaration" or package_of(owner) == package
                                        or has_modifier(member, "public") or has_modifier(member, "protected"))


def static_members(cls: Node, classes: Callable[[str], Node | None]) -> set[str]:
    """What `import static ...Cls.*;` of a project class brings, and what `Cls.member` may name: its
    static fields and methods, enum constants (and `values()`), interface constants and member
    types, its project and listed JDK supertypes' too."""
    names = set()
    for owner in [cls, *project_supertypes(cls, classes)]:
        interface = owner.type == "interface_declaration"
        for member in body_members(owner, "field_declaration") + body_members(owner, "constant_declaration"):
            if interface or _is_static(member):
                names.update(_declared_names(member))
        names.update(_method_key(m) for m in class_methods(owner) if _is_static(m))
        names.update(class_name(c) for c in _member_classes(owner))
        names.update(_enum_constants(owner))
        if owner.type == "enum_declaration":
            names |= ENUM_STATICS
        for jdk in _jdk_supertypes(owner, classes):
            names |= JDK_CLASSES[jdk].statics
    return names


def _in_jdk_index(qualified: str) -> bool:
    """Whether `java.util.Map` (a class's qualified name) is one the JDK index lists."""
    package, _, name = qualified.rpartition(".")
    return name in JDK_PACKAGE_TYPES.get(package, ())


def _jdk_returned(jdk: str, method: str, argc: int) -> str | None:
    """What the JDK class's `method(...)` of `argc` arguments returns, written as `_resolve` takes it
    (`int`, `String[]`, `java.util.stream.Stream`: no project class of its name hides it), or `%N`:
    the class's type parameter N (`E get(int)` of List<E>: %0), where every overload that takes
    them returns one type the index knows; else None."""
    cls = JDK_CLASSES[jdk]
    if method not in cls.arities and f"{method}()" in OBJECT_MEMBERS:  # an interface's `getClass()`, `toString()`
        cls = JDK_CLASSES["Object"]
    returned = {cls.returns.get((method, arity)) for arity in cls.arities.get(method, ()) if takes_arguments(arity, argc)}
    if len(returned) != 1 or None in returned:
        return None
    written = returned.pop()
    element, brackets, dimensions = written.partition("[")  # (`Method[]`: java.lang.reflect's, whatever the test's Method is)
    if element in PRIMITIVES or element == "void" or element.startswith("%"):
        return written
    qualified = qualified_name(element)
    return None if qualified is None else qualified + brackets + dimensions


def _jdk_takes(jdk: str, method: str, argc: int) -> bool:
    """Whether a method of the JDK class has an overload that takes `argc` arguments, or the
    index has none of its overloads (an interface's Object methods)."""
    arities = JDK_CLASSES[jdk].arities.get(method)
    return not arities or any(takes_arguments(arity, argc) for arity in arities)


def _jdk_member_class(qualified: str) -> str | None:
    """`Map.Entry` of `java.util.Map.Entry`: a member class of a JDK class the index lists."""
    package, _, name = qualified.rpartition(".")
    package, _, outer = package.rpartition(".")
    return f"{outer}.{name}" if f"{outer}.{name}" in JDK_PACKAGE_TYPES.get(package, ()) else None


def _jdk_member_classes(qualified: str) -> set[str]:
    """The member classes of a JDK class the index lists (`Entry` of `java.util.Map`): its static
    members named as classes are (`Map.Entry`; not `MAX_VALUE`, `out`)."""
    if not _in_jdk_index(qualified):
        return set()
    return {m for m in JDK_CLASSES[qualified.rpartition(".")[2]].statics if m[:1].isupper() and not m.isupper()}


def _jdk_static_members(qualified: str) -> frozenset[str]:
    """What `import static java.lang.Math.*;` (`Collectors.*`, `TimeUnit.*`) of a listed JDK class
    brings: its static members, but for Object's names, which every class has: its own `toString()`
    hides an imported one (javac: cannot be applied, `toString(array)` of `Arrays.*`)."""
    if not _in_jdk_index(qualified):
        return frozenset()
    return JDK_CLASSES[qualified.rpartition(".")[2]].statics - OBJECT_MEMBERS


# The overloads of a method name (or of NEW, a class's constructors): (`parameter_count`,
# whether it declares a checked exception the test does not cover, its parameter types as
# written, simple names, or None where unknown: the JDK's, varargs) each.
Overloads = dict[str, list[tuple[tuple[int, bool], bool, tuple[str, ...] | None]]]


def throwing_methods(cls: Node, classes: Callable[[str], Node | None] = lambda name: None,
                     declared: tuple[str, ...] = ()) -> Overloads:
    """The overloads of the class's methods, its own and those it inherits from the project's
    classes and does not redeclare, and of its constructors (NEW), each with whether it declares
    a checked exception the test's `throws` (`declared`) does not cover; `classes` finds the
    project's class an exception name means. Only names with such an overload are kept."""
    overloads: Overloads = {}

    def throws(declaration: Node) -> bool:
        return any(clause.type == "throws" and any(_uncovered(_simple_type(t), declared, classes)
                                                   for t in clause.named_children) for clause in declaration.children)

    for owner in [cls, *project_supertypes(cls, classes)]:
        methods = [m for m in (class_methods(owner) if owner is cls else inherited_methods(owner))
                   if text(m.child_by_field_name("name")) not in overloads or owner is cls]
        for m in methods:
            overloads.setdefault(text(m.child_by_field_name("name")), []).append(
                (parameter_count(m), throws(m), _parameter_types(m)))
    for constructor in body_members(cls, "constructor_declaration"):
        overloads.setdefault(NEW, []).append((parameter_count(constructor), throws(constructor),
                                              _parameter_types(constructor)))
    return {name: found for name, found in overloads.items() if any(t for _, t, _ in found)}


_WIDENS_TO = {"byte": {"short", "int", "long", "float", "double"}, "short": {"int", "long", "float", "double"},
              "char": {"int", "long", "float", "double"}, "int": {"long", "float", "double"},
              "long": {"float", "double"}, "float": {"double"}, "double": set(), "boolean": set()}
_BOXES = {"byte": "Byte", "short": "Short", "char": "Character", "int": "Integer", "long": "Long",
          "float": "Float", "double": "Double", "boolean": "Boolean"}
_BOXED = frozenset(_BOXES.values())


# The types `_surely_incompatible` judges: primitives, boxed types, String
_VALUE_TYPES = frozenset({*_WIDENS_TO, *_BOXED, "String"})


def _surely_incompatible(argument: str | None, parameter: str) -> bool:
    """Whether an argument of a primitive type or String (`expression_type`) can surely not be
    passed for a parameter declared as a primitive, a boxed type or String (invocation
    conversion: widening, boxing; no narrowing): `isNumeric('\\t')` of an isNumeric(String)."""
    if argument not in _WIDENS_TO and argument != "String" or parameter not in _VALUE_TYPES:
        return False
    if argument == "String":
        return parameter != "String"
    return parameter != argument and parameter not in _WIDENS_TO[argument] and parameter != _BOXES[argument]


def _parameters(method: Node) -> list[Node]:
    """A method's or constructor's parameters (formal and varargs ones)."""
    return [p for p in method.child_by_field_name("parameters").named_children
            if p.type in ("formal_parameter", "spread_parameter")]


def _written_parameter_type(param: Node) -> str:
    """A parameter's type as written, a simple name (`List` of `java.util.List<T>`; a varargs
    parameter's element type)."""
    # (a spread parameter names no `type` field: its first child that is no modifier)
    type_node = param.child_by_field_name("type") or next(c for c in param.named_children if c.type != "modifiers")
    return _type_name(type_node).rsplit(".", 1)[-1]


def _only_parameter_type(method: Node) -> str | None:
    """The type of a one-parameter method's parameter as written, a simple name (`Predicate[]` of
    `Predicate<? super T>...`); None for a type variable."""
    param = _parameters(method)[0]
    written = _written_parameter_type(param)
    if written in _type_parameters(method):
        return None
    arrays = param.type == "spread_parameter" or param.child_by_field_name("dimensions") is not None
    return written + "[]" if arrays else written


# What null fits beside an array with neither more specific: any reference type but these
_ARRAY_SUPERTYPES = frozenset({"Object", "Cloneable", "Serializable"})


def _null_fits_two(overloads: list[Node]) -> bool:
    """Whether two of these methods' (constructors') one-parameter overloads, not private (javac
    sees none from the test), take surely unrelated types (`_surely_unrelated`): null fits both."""
    taking = [_only_parameter_type(m) for m in overloads if parameter_count(m)[0] == 1 and not _is_private(m)]
    return None not in taking and any(_surely_unrelated(a, b) for i, a in enumerate(taking) for b in taking[i + 1:])


def _surely_unrelated(one: str, other: str) -> bool:
    """Whether two parameter types (`_only_parameter_type`) surely have no subtype in common, so
    that a null argument fits both with neither more specific: an array and a class but Object,
    Cloneable or Serializable; String or a boxed type (final classes) and a type that is none of
    its supertypes (`Number` for a String)."""
    if one == other or one in PRIMITIVES or other in PRIMITIVES:
        return False
    if one.endswith("]") != other.endswith("]"):
        return (other if one.endswith("]") else one) not in _ARRAY_SUPERTYPES
    final = {"String", *_BOXED}
    if one not in final and other not in final:
        return False
    known, unknown = (one, other) if one in final else (other, one)
    return unknown not in _value_supertypes(known)


def _argument_slots(declaration: Node, argc: int) -> tuple[str | None, ...] | None:
    """The parameter type (as `_parameter_types` writes it) each of `argc` arguments goes to: a
    varargs parameter's element type for the arguments from its position, `Element...` for a
    lone last argument there (it may be the array itself); None for C-style array parameters."""
    params = _parameters(declaration)
    if any(p.child_by_field_name("dimensions") for p in params):  # (`int codes[]`)
        return None
    written = list(map(_written_parameter_type, params))
    if not params or params[-1].type != "spread_parameter":
        return tuple(written) if len(written) == argc else None
    fixed = written[:-1]
    if argc == len(params):
        return (*fixed, written[-1] + "...")
    return (*fixed, *[written[-1]] * (argc - len(fixed))) if argc >= len(fixed) else None


# The JDK types a primitive's box (or a String) is of: what such an argument may be passed as
_VALUE_SUPERTYPES = frozenset({"Object", "Comparable", "Serializable", "Constable", "ConstantDesc"})


def _value_supertypes(value: str) -> frozenset[str]:
    """`_VALUE_SUPERTYPES` of a primitive, boxed or String value's type, with its box, Number for
    a number, CharSequence for a String."""
    if value == "String":
        return _VALUE_SUPERTYPES | {"String", "CharSequence"}
    box = _BOXES.get(value, value)
    return _VALUE_SUPERTYPES | {box} | ({"Number"} if box not in ("Boolean", "Character") else set())


def _parameter_types(declaration: Node) -> tuple[str, ...] | None:
    """A method's parameter types as written, simple names (`List` of `java.util.List<T>`,
    `int[]`); None for a varargs one."""
    params = declaration.child_by_field_name("parameters").named_children
    if any(p.type == "spread_parameter" or p.child_by_field_name("dimensions") for p in params):  # (`int codes[]`)
        return None
    return tuple(_type_name(p.child_by_field_name("type")).rsplit(".", 1)[-1] for p in params
                 if p.type == "formal_parameter")


def surely_throws(overloads: Overloads, name: str, argc: int,
                  argument_types: Callable[[], tuple[str | None, ...]] = tuple) -> bool:
    """Whether every overload of `name` that takes `argc` arguments throws (and one does); where
    they differ, those the arguments' types (asked of `argument_types` then) fit: where all are
    known and one overload's parameters are exactly those, only that one, which javac picks
    (`parse("1")` of a throwing parse(String) beside parse(int)); else those no argument surely
    cannot be passed to (`encode(0)` calls commons-codec's throwing encode(Object), not its
    encode(String): `_surely_incompatible`)."""
    fitting = [(params, t) for arity, t, params in overloads.get(name, []) if takes_arguments(arity, argc)]
    if len({t for _, t in fitting}) > 1:
        types = argument_types()
        exact = [(params, t) for params, t in fitting if types and None not in types and params == types]
        applicable = [(params, t) for params, t in fitting if types and params is not None
                      and not any(_surely_incompatible(a, p) for a, p in zip(types, params))]
        fitting = exact or applicable or fitting
    return bool(fitting) and all(t for _, t in fitting)


@lru_cache(maxsize=4096)
def jdk_throwing(name: str, declared: tuple[str, ...]) -> Overloads:
    """`throwing_methods` of the JDK class `name`, as the index tells what each arity's overloads
    all declare (the lineage of a JDK exception is the JDK's: a project class of its name is
    another class)."""
    cls = JDK_CLASSES[name]

    def uncovered(thrown: frozenset[str]) -> bool:
        return any(_uncovered(e, declared, lambda _: None) for e in thrown)

    overloads: Overloads = {}
    for method in {*cls.throws, *cls.overload_throws}:
        all_throw, each = cls.throws.get(method, {}), cls.overload_throws.get(method, {})
        # an arity's overloads one by one where they differ (`getBytes(String)` throws, `getBytes(Charset)` not)
        overloads[method] = [(arity, uncovered(thrown), params) for arity in cls.arities[method] if arity in each
                             for params, thrown in each[arity]]
        overloads[method] += [(arity, uncovered(all_throw.get(arity, frozenset())), None)
                              for arity in cls.arities[method] if arity not in each]
    return {method: found for method, found in overloads.items() if any(t for _, t, _ in found)}


def _exception_lineage(name: str, classes: Callable[[str], Node | None]) -> tuple[list[str], bool]:
    """The exception and its superclasses as far as the project's classes and the JDK's tell,
    and whether that reached Throwable (the whole lineage is known)."""
    lineage, written, context = [], name, None
    while name is not None and name not in lineage:  # (a cycle: broken code)
        lineage.append(name)
        # a superclass as the file of the class that extends it sees it (commons-math's
        # NullArgumentException extends MathIllegalArgumentException of its own package, which
        # the file throwing it does not import: taken for unknown, so for checked)
        resolved = None if context is None else _resolve_type(context, written, classes)
        project = resolved if isinstance(resolved, Node) else classes(name) if resolved is None else None
        superclass = None if project is None else project.child_by_field_name("superclass")
        if superclass is not None:
            context, written = project, _type_name(superclass.named_children[0])
            name = _simple_type(superclass.named_children[0])
        else:
            name = None if project is not None else superclass_of(name)
            written = name
    return lineage, "Throwable" in lineage


def _is_unchecked(name: str, classes: Callable[[str], Node | None]) -> bool:
    """Whether an exception is unchecked: one of `UNCHECKED_EXCEPTIONS`, or a project's class that extends
    one (`class NotFoundException extends RuntimeException`); one not found counts as checked."""
    return any(n in UNCHECKED_EXCEPTIONS for n in _exception_lineage(name, classes)[0])


def _uncovered(exception: str, declared: tuple[str, ...], classes: Callable[[str], Node | None]) -> bool:
    """Whether a call throwing `exception` breaks a test that declares `throws` `declared` (javac:
    unreported exception): it is checked and surely neither one of them nor their subclass. With
    a library's exception in its lineage it may be, so only a test declaring none is judged."""
    if _is_unchecked(exception, classes):
        return False
    if not declared:
        return True
    lineage, whole = _exception_lineage(exception, classes)
    return whole and not set(lineage) & set(declared)


def _type_arguments(node: Node) -> str:
    """The type arguments of a declared type, as written without spaces and joined by commas:
    `String,Integer` of `Map<String, Integer>`, `List` of `List<List<String>>`, `?` for a wildcard's;
    "" for none (`List`, the diamond `ArrayList<>`)."""
    arguments = node.named_children[1] if node.type == "generic_type" and len(node.named_children) > 1 else None
    return "" if arguments is None else ",".join("?" if a.type == "wildcard" else _type_name(a)
                                                 for a in arguments.named_children)


def _declared_types(root: Node, written: Callable[[Node], str] = _type_name,
                    fields_only: bool = False) -> dict[str, set[str]]:
    """Each variable name of a file (or with `fields_only`, each field's) and the types it is
    declared with (`?` where none is written: lambda parameters, and `var` but for `var x = new
    Foo(...)`), each as `written` gives it (`_type_arguments`: its type arguments)."""
    found: dict[str, set[str]] = {}
    kinds = ("field_declaration",) if fields_only else (
        "local_variable_declaration", "field_declaration", "formal_parameter", "spread_parameter", "resource",
        "enhanced_for_statement", "catch_formal_parameter")
    for node in nodes_of_type(root, *kinds):
        type_node = node.child_by_field_name("type")
        declared = "?" if type_node is None else written(type_node)
        if type_node is not None and _type_name(type_node) == "var":
            values = [d.child_by_field_name("value") for d in node.named_children if d.type == "variable_declarator"]
            declared = written(values[0].child_by_field_name("type")) \
                if values and values[0] is not None and values[0].type == "object_creation_expression" \
                and _outer_instance(values[0]) is None else "?"
        # `int nums[][]`: an array of the written type (C-style); its type arguments left unknown
        c_arrays = {text(part.child_by_field_name("name")): sum(text(c).count("[") for c in part.children
                                                               if c.type == "dimensions")
                    for part in [node, *node.named_children] if part.child_by_field_name("name") is not None
                    and any(c.type == "dimensions" for c in part.children)}
        for name in _declared_names(node):
            if name in c_arrays:
                found.setdefault(name, set()).add(
                    "?" if written is not _type_name or declared == "?" else declared + "[]" * c_arrays[name])
            else:
                found.setdefault(name, set()).add(declared)
    if fields_only:
        return found
    for node in nodes_of_type(root, "lambda_expression"):
        params = node.child_by_field_name("parameters")
        for name in [params] if params.type == "identifier" else params.named_children:
            if name.type == "identifier":
                found.setdefault(text(name), set()).add("?")
    # pattern variables (`o instanceof String s`, `case Integer i`, `case Point(int x, var y)`)
    # are variables too: a field `List<String> s` elsewhere is not the `s` of a pattern
    for node in nodes_of_type(root, "instanceof_expression", "type_pattern", "record_pattern_component"):
        parts = node.named_children[1:] if node.type == "instanceof_expression" else node.named_children
        if len(parts) >= 2 and parts[-1].type == "identifier":
            declared = "?" if _type_name(parts[-2]) == "var" else written(parts[-2])
            found.setdefault(text(parts[-1]), set()).add(declared)
    return found


def library_for(name: str, qualified_names: list[str],
                framework: AssertionLibrary | None = None) -> AssertionLibrary | None:
    """The first library the file already uses (an import or a fully-qualified annotation
    under its package, `Scope.library_hints`) that has `name`.

    A JUnit 4 or 5 test file names its `Test` annotation, so its JUnit version counts. Where
    the test method's own annotations show its `framework`, no other test framework's
    assertions are taken (a file migrating from JUnit 4 to 5 imports both).
    """
    used = [lib for lib in LIBRARIES if lib.used_by(qualified_names) and name in lib.names
            and (framework is None or lib.key not in TEST_FRAMEWORKS or lib is framework)]
    return used[0] if used else None


def framework_of(method: Node, imports: list[Import]) -> AssertionLibrary | None:
    """The test framework (JUnit 4, JUnit 5, TestNG) of a method's annotations, each resolved
    through the file's imports (`@Test` of `import org.junit.Test;`, `@org.junit.jupiter.api.Test`);
    None where they show none, or two."""
    by_simple = {i.simple: i.name for i in imports if not i.static and not i.wildcard}
    packages = [i.name for i in imports if not i.static and i.wildcard]
    frameworks = set()
    for written in annotation_names(method, qualified=True):
        names = [written] if "." in written else [by_simple[written]] if written in by_simple \
            else [f"{package}.{written}" for package in packages]
        frameworks |= {lib for lib in LIBRARIES if lib.key in TEST_FRAMEWORKS and lib.used_by(names)}
    return frameworks.pop() if len(frameworks) == 1 else None


def import_lines(owners: dict[str, str], imports: list[Import]) -> dict[str, str]:
    """The import line that brings in each name of `owners` (name -> the library class declaring
    it; a class's own name, the class: `is_class_import`), given the file's `imports`.

    A class whose library is imported `owner.*` gets a wildcard, unless the file would then
    have two static wildcards: both may declare a name (AssertJ's and JUnit's `fail`, JUnit 4's
    and 5's `assertEquals`), and every unqualified call of it is ambiguous (javac error). A
    single-name import takes precedence over any wildcard.
    """
    members = {name: owner for name, owner in owners.items() if not is_class_import(name, owner)}
    wildcards = {owner for owner in members.values() if _BY_OWNER[owner].wildcard}
    wildcards |= {i.name for i in imports if i.static and i.wildcard}
    lines = {name: f"import {owner};" for name, owner in owners.items() if name not in members}
    for name, owner in members.items():
        member = "*" if _BY_OWNER[owner].wildcard and wildcards == {owner} else name
        lines[name] = f"import static {owner}.{member};"
    return lines


def is_class_import(name: str, owner: str) -> bool:
    """Whether `name` of `import_lines`' owners is the class itself (`Assert` of org.junit.Assert),
    imported as a class, not a static member."""
    return owner.rsplit(".", 1)[1] == name


# --- names visible at an insertion point ---------------------------------------------

# The type of a literal, by its node type and text (`10L` is a long, `1.5f` a float).
_LITERAL_TYPES: dict[str, Callable[[str], str]] = {
    "string_literal": lambda t: "String", "character_literal": lambda t: "char",
    "true": lambda t: "boolean", "false": lambda t: "boolean",
    **dict.fromkeys(["decimal_integer_literal", "hex_integer_literal", "octal_integer_literal", "binary_integer_literal"],
                    lambda t: "long" if t[-1] in "lL" else "int"),
    **dict.fromkeys(["decimal_floating_point_literal", "hex_floating_point_literal"],
                    lambda t: "float" if t[-1] in "fF" else "double"),
}


@dataclass
class Scope:
    """Names a generated assertion may use at one insertion point in a test."""

    values: set[str]        # locals, parameters, fields, statically imported members
    types: set[str]         # imported, same-package, nested, focal and java.lang classes
    methods: set[str]       # callable without qualifier: class methods, static imports
    imports: list[Import]
    # qualified names that show the file's assertion libraries: its imports, and annotations
    # written out in full (`@org.junit.jupiter.api.Test` in a file without imports)
    library_hints: list[str]
    # locals and parameters in scope (also in `values`): a lambda parameter, pattern variable
    # or local of an assertion may not take one of these names (javac: already defined)
    locals: set[str] = field(default_factory=set)
    # locals the method assigns besides their declaration: not effectively final, so a lambda
    # (or anonymous class) of an assertion may not use them (javac error)
    reassigned: set[str] = field(default_factory=set)
    captured_at_point: set[str] = field(default_factory=set)  # of them, those the point's own lambda captures
    # the test framework the test method's annotations show (`framework_of`): its assertions,
    # not another framework's the file also imports
    framework: AssertionLibrary | None = None
    # the type each variable of the file is declared with (where it has one type), and the
    # project's class of a type name (or None): see `members_of`
    var_types: dict[str, str] = field(default_factory=dict)
    # of those, the type arguments each is declared with, where it has one list (`String`, `Integer`
    # of `Map<String, Integer> counts`; `?` for a wildcard's)
    var_type_arguments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    classes: Callable[[str], Node | None] = lambda name: None
    # the focal class and its methods that throw a checked exception the test's `throws` does
    # not cover, when the insertion point is in no try with a catch (javac: unreported
    # exception, but for a call in a lambda: `assertThrows`)
    focal: str | None = None
    throwing: Overloads = field(default_factory=dict)
    own_throwing: Overloads = field(default_factory=dict)  # the test class's methods, likewise
    # the insertion point is a statement of the method's own body, not inside a try, a branch
    # or a loop, with no return before it and no exception expected by @Test: an assertion
    # there runs on every run of the test, so a `fail(...)` (reused from a test that had it in
    # its try) would fail it every time
    unconditional: bool = False
    # the methods of the test class (and of those around it, and what they inherit from the
    # project): an assertion calling one (a helper, a factory) uses the test. Each name's
    # overloads (declarations), where the classes inherit from no library's (else None): a call
    # without a qualifier finds only these, and they hide any static import of the name (a
    # helper `assertEquals(Money, Money)` hides JUnit's; javac: cannot be applied)
    test_methods: Mapping[str, list[Node] | None] = field(default_factory=dict)
    junit3: bool = False   # the test class extends JUnit 3's TestCase: it inherits its assertions
    # where the test is, for the access a project member allows it: its package, its top-level
    # class (a private member is visible in its own top-level class only), and whether a class
    # around it extends another (so it may reach a static protected member from another package)
    package: str = ""
    outermost: str = ""
    enclosing: frozenset[str] = frozenset()  # the classes around the test, whose inner classes it may create
    subclass: bool = False
    # the classes the test file declares (nested, local): one of them hides a JDK class of its name
    file_types: frozenset[str] = frozenset()
    # a class around the test extends or implements a library's class (JerseyTest, a Spring or
    # Lucene base test; not JUnit 3's TestCase, whose assertions `is_junit3` adds): it may give
    # the test any field, method or member type, so a name the source does not show is no sure
    # javac error
    inherits_from_library: bool = False
    # the file imports a library's package with `*` (`import org.joda.money.*;`): a class name the
    # JDK does not have may be one of it; `import static` of a library's class with `*` (`import
    # static org.lib.Constants.*;`): any field, method or member type may be one of it
    library_package: bool = False
    library_statics: bool = False
    # methods the file imports statically from the project's classes (jackson's
    # `flog10threeQuartersPow2(1)` of MathUtils): calling one uses the code under test
    project_statics: frozenset[str] = frozenset()
    project_package: Callable[[str], bool] = lambda package: False  # whether the project has classes in it
    # what the test method's `throws` names and the catches around the insertion point take (simple
    # names), for the JDK's throwing methods (None: not worked out, nothing judged)
    test_throws: tuple[str, ...] | None = None
    # the Java release the project builds for (None: its build file does not say): a JDK class or
    # member that came later is a javac error (cannot find symbol)
    java_level: JavaLevel | None = None

    def from_library_wildcard(self, name: str, called: bool = False) -> bool:
        """Whether a field, class (or with `called`, a method) the source does not show may be one
        of a library's the file imports with `*`. A class the JDK has is not taken for one of a
        library's: more likely an import is missing (`Arrays` without java.util's)."""
        if called:
            return self.library_statics
        return (self.library_statics or self.library_package and name[:1].isupper()) and name not in JDK_CLASSES

    def may_throw(self, receiver: str | None, method: str, argc: int,
                  argument_types: Callable[[], tuple[str | None, ...]] = tuple,
                  receiver_type: Callable[[], Node | str | None] = lambda: None) -> bool:
        """Whether `receiver.method(...)` (`argc` arguments; of `method` NEW, `new receiver(...)`)
        may call one of the focal class's throwing methods (the receiver is the focal class, a
        variable of its type, or of no known type), or surely calls a JDK method or constructor
        that throws what the test does not cover (the receiver is a JDK class, `java.nio.file.Files`
        too, or a variable of one, or an expression `receiver_type` says is of one: `path.getParent()`),
        or `method(...)` one of the test class's own (`helperThrows()`)."""
        if receiver == "":  # `f()`: the test's own method
            return surely_throws(self.own_throwing, method, argc, argument_types)
        declared = None if receiver is None else self._receiver_type(receiver)
        jdk = None if declared is None else self._jdk_class(declared)
        if receiver is None and isinstance(resolved := receiver_type(), str) and resolved in JDK_CLASSES:
            jdk = resolved
        if jdk is not None:
            return self.test_throws is not None and surely_throws(jdk_throwing(jdk, self.test_throws), method, argc,
                                                                  argument_types)
        # (`shop.parse(3)` of parse(int) beside parse(String); by the arguments' types only where the
        # receiver is surely of the focal class: one of unknown type may be another class's)
        focal_receiver = declared is not None and declared.rsplit(".", 1)[-1] == self.focal
        if not surely_throws(self.throwing, method, argc, argument_types if focal_receiver else tuple):
            return False
        if declared is None:  # `a.b().f()`, `new Foo().f()`: its type is not worked out
            return True
        return declared.rsplit(".", 1)[-1] in (self.focal, "?")

    def _receiver_type(self, receiver: str) -> str:
        """The type a call's receiver (a variable, a class name, `com.acme.Parser`) has or names; "?"
        for a variable of no known type and for `a.B` (a field of a variable, not a package)."""
        if receiver in self.values:
            return self.var_types.get(receiver, "?")
        return "?" if receiver.split(".")[0] in self.values else receiver

    def _jdk_class(self, type_name: str) -> str | None:
        """The JDK class (its name in JDK_CLASSES) a declared type or class name means: `Path` as the
        file imports it, where no project class has its name, or `java.nio.file.Path`."""
        package, _, name = type_name.rpartition(".")
        if package[:1].islower():
            return name if name in JDK_PACKAGE_TYPES.get(package, ()) else None
        if package or self._class_of(type_name) is not None:  # (`Map.Entry`: a member class; the project's `Path`)
            return None
        return type_name if type_name in JDK_CLASSES and self._is_jdk_class(type_name) else None

    def too_new(self, name: str, member: str | None = None, called: bool = False, argc: int | None = None) -> str | None:
        """Why the JDK class `name` names (`HexFormat`, `java.util.HexFormat`), or the `member` (a
        method when `called`, of `argc` arguments where known) of the one `name` holds or names,
        is a javac error for the project's Java level: a later release brought it (cannot find
        symbol); else None."""
        if self.java_level is None:
            return None
        declared = name if member is None else self._declared_type(name)
        jdk = None if declared is None else self._jdk_class(declared)
        return None if jdk is None else self.too_new_in(jdk, member, called, argc)

    def too_new_in(self, jdk: str, member: str | None = None, called: bool = False, argc: int | None = None) -> str | None:
        """`too_new` of the JDK class `jdk` (a name of JDK_CLASSES) or of its `member`."""
        if self.java_level is None:
            return None
        cls = JDK_CLASSES[jdk]
        if member is None or self._after_level(cls.release):  # (a class too new: say so, not its member)
            release, what = cls.release, jdk
        else:
            key = member_key(member, called)
            if key not in cls.members:  # (no such member: another check's)
                return None
            overloads = None if argc is None else [a for a in cls.arities.get(member, ()) if takes_arguments(a, argc)]
            release, what = cls.release_of(key, overloads), f"{jdk}.{key}"
            if release > cls.release_of(key):  # `text.indexOf('b', 0, 3)`: an older indexOf takes fewer
                what += f" of {argc} argument(s)"
        level = self.java_level
        return None if not self._after_level(release) else \
            f"{what} is Java {release}; the project builds for Java {level.release} ({level.source})"

    def _after_level(self, release: int) -> bool:
        """Whether a JDK release is later than the project's Java level (what the index marks
        OLDEST_RELEASE may be older: not later than a Java 7 level)."""
        return release > max(self.java_level.release, OLDEST_RELEASE)

    def static_interface_call(self, name: str, method: str, argc: int) -> str | None:
        """The interface whose static method `name.method(...)` (`argc` arguments) calls, where
        `name` is a variable of that interface (javac: illegal static interface method call; a
        class's static method through an instance is legal), else None."""
        declared = self.var_types.get(name) if name in self.values else None
        cls = None if declared is None else self._class_of(declared)
        if cls is None:
            jdk = None if declared is None else self._jdk_class(declared)
            # (no JDK interface has a static and an instance method of one name)
            return jdk if jdk is not None and is_interface(jdk) and f"{method}()" in JDK_CLASSES[jdk].statics else None
        if cls.type != "interface_declaration" or class_members(cls, self.classes) is None:
            return None
        # a static method is not inherited: of its name, only the interface's own static ones may fit
        fitting = _methods_taking(cls, method, argc)
        inherited = [m for owner in project_supertypes(cls, self.classes) for m in _methods_named(owner, method)]
        inherited += [jdk for jdk in _jdk_supertypes(cls, self.classes) if f"{method}()" in JDK_CLASSES[jdk].members]
        return class_name(cls) if fitting and all(map(_is_static, fitting)) and not inherited else None

    def _is_jdk_class(self, name: str) -> bool:
        """Whether the type name means one of the JDK classes of `assertgen.jdk` (JAVA_LANG,
        JDK_PACKAGE_TYPES), as the file imports it (ANTLR's IntStream is not java.util.stream's)
        and declares none of its name (a test's nested `Timer` hides java.util's); a java.lang
        class later than the project's Java level is a library's the file imports with `*`, if it
        imports one (jOOQ's `Record` of `import org.jooq.*;` on Java 11)."""
        if name in self.file_types:
            return False
        outer, nested, _ = name.partition(".")
        if nested:  # `Map.Entry`: a member class the index lists, of the JDK class the file means
            return name in JDK_CLASSES and self._is_jdk_class(outer)
        if name in JAVA_LANG and self.library_package and self.java_level is not None \
                and self._after_level(JDK_CLASSES[name].release):
            return False
        single = [i for i in self.imports if not i.static and not i.wildcard and i.simple == name]
        if single:
            return any(single[0].name == f"{package}.{name}" for package, names in JDK_PACKAGE_TYPES.items()
                       if name in names)
        return name in JAVA_LANG or any(name in JDK_PACKAGE_TYPES.get(i.name, ()) for i in self.imports
                                        if i.wildcard and not i.static)

    def knows_package(self, package: str) -> bool:
        """Whether all classes of the package are known: one of the JDK index or of the project."""
        return package in JDK_PACKAGE_NAMES or package == self.package or self.project_package(package)

    def knows_class(self, qualified: str) -> bool:
        """Whether a package-qualified class (`java.util.List`, `com.acme.model.Item`) is one of
        the JDK classes listed above or a class of the project."""
        package, _, name = qualified.rpartition(".")
        jdk = JDK_PACKAGE_NAMES.get(package, ())
        # (an assertion library's class written out: `org.junit.Assert.assertEquals(...)`)
        return name in jdk or self.classes(qualified) is not None or qualified in WILDCARD_MEMBERS

    def _class_of(self, type_name: str) -> Node | None:
        """The project's class of a declared type: `Line`, `com.acme.Line`, or the nested class
        `Polygon.Line` (found in Polygon's body, whatever a top-level `Line` is)."""
        first, *nested = type_name.split(".")
        if not first[:1].isupper():  # package-qualified
            return self.classes(type_name)
        cls = self.classes(first)
        for name in nested:
            cls = None if cls is None else next((c for c in _member_classes(cls) if class_name(c) == name), None)
        return cls

    def _project_class(self, name: str) -> Node | None:
        """The project's class that `name` holds (a variable) or names (a class), or None."""
        declared = self._declared_type(name)
        return None if declared is None else self._class_of(declared)

    def _declared_type(self, name: str) -> str | None:
        """The type a variable `name` is declared with, or the class `name` names."""
        return self.var_types.get(name) if name in self.values else name

    def members_of(self, name: str) -> frozenset[str] | None:
        """The members of the project or JDK class (or array, primitive) that `name` holds (a
        variable) or names (a class), when they are all known: naming another one is a javac error
        (`names.length` of a List, `Integer.MAX_VALU`, a reused `Color.BLUE` renamed `Optional.BLUE`);
        those of a JUnit 4 rule the test holds (`_JUNIT4_RULES`)."""
        declared = self._declared_type(name)
        if declared is None:
            return None
        resolved = self._resolve(declared)
        if resolved is None and name in self.values:
            return _JUNIT4_RULES.get(declared if "." in declared else self.imported_class(declared))
        return self.members_of_type(resolved)

    def _resolve(self, written: str, context: Node | None = None) -> Node | str | None:
        """The type a type name means: the project's class (a node), or the name of a primitive,
        an array type (`Item[]`) or a listed JDK class; None when unknown. As the test sees it, or
        as the file of the class `context` writes it (the type of one of its fields, methods)."""
        if written in PRIMITIVES or written == "void" or written.endswith("]"):
            return written
        if context is not None:
            return _resolve_type(context, written, self.classes)
        cls = self._class_of(written)
        if cls is not None:
            return cls
        package, _, name = written.rpartition(".")
        if package[:1].islower():  # `java.util.stream.Stream`, `java.util.Map.Entry`
            return name if name in JDK_PACKAGE_TYPES.get(package, ()) else _jdk_member_class(written)
        if written in JDK_CLASSES and self._is_jdk_class(written):
            return written
        # `Entry` of `import java.util.Map.Entry;` (or `import java.util.Map.*;`): `Map.Entry`
        if written not in self.types:
            return None
        imported = [i.name for i in self.imports if not i.static and not i.wildcard and i.simple == written] \
            or [f"{i.name}.{written}" for i in self.imports if not i.static and i.wildcard]
        return next(filter(None, map(_jdk_member_class, imported)), None)

    def members_of_type(self, resolved: Node | str | None) -> frozenset[str] | None:
        """The members of a `_resolve`d type, when all are known."""
        if resolved is None or isinstance(resolved, Node):
            return None if resolved is None else class_members(resolved, self.classes)
        if resolved in PRIMITIVES or resolved == "void":
            return frozenset()
        return ARRAY_MEMBERS if resolved.endswith("]") else JDK_CLASSES[resolved].members

    def static_members_of(self, name: str) -> frozenset[str] | None:
        """What `Name.member` may name when `name` names a project or JDK class (no variable), when
        all of it is known: its static members (`Calculator.add(1, 2)` of an instance method, javac:
        non-static method cannot be referenced from a static context)."""
        if name in self.values:
            return None
        cls = self._class_of(name)
        if cls is not None:
            return None if class_members(cls, self.classes) is None else frozenset(static_members(cls, self.classes))
        if name in JDK_CLASSES and self._is_jdk_class(name):
            return JDK_CLASSES[name].statics
        return _WHOLE_API.get(self.imported_class(name))

    def imported_class(self, name: str) -> str | None:
        """The qualified name of the class a single-type import of the file gives `name`
        (`org.junit.Assert` of `import org.junit.Assert;`), unless a variable or a project class hides it."""
        if name in self.values or self._class_of(name) is not None:
            return None
        return next((i.name for i in self.imports if not i.static and not i.wildcard and i.simple == name), None)

    def assertion_class_to_import(self, name: str, members: list[str]) -> str | None:
        """The assertion class an unknown qualifier names where an import of it would make the
        calls compile (`Assertions.assertEquals(...)` in a JUnit 5 test with static imports only:
        `org.junit.jupiter.api.Assertions`; `Assertions.assertThat(...)` in a file using AssertJ):
        one of a library the file uses, of the test's framework (as `library_for` takes them),
        whose simple name is `name` and that has every member called on it."""
        return next((lib.owner for lib in LIBRARIES if is_class_import(name, lib.owner) and members
                     and set(members) <= lib.names and lib.used_by(self.library_hints)
                     and (self.framework is None or lib.key not in TEST_FRAMEWORKS or lib is self.framework)), None)

    def _returned_type(self, name: str, method: str, argc: int) -> tuple[Node, str] | None:
        """(the project class, the type as its file writes it) of what `name.method(...)` (`argc`
        arguments) returns, when `name` holds or names a project class that inherits no overload
        of it (no supertype but `_BARE_INTERFACES`) and whose overloads of that arity return one
        type, not a type variable; else None."""
        cls = self._project_class(name)
        return None if cls is None else self._returned_by(cls, method, argc)

    def _returned_by(self, cls: Node, method: str, argc: int) -> tuple[Node, str] | None:
        """`_returned_type` of a method of the project class `cls`, declared by it or inherited from
        its project supertypes (jsoup's `doc.body()` of Document extends Element extends Node): only
        where every supertype up the chain is the project's, a `_BARE_INTERFACES` one, or a listed
        JDK class without a method of that name (jsoup's `Elements extends ArrayList<Element>` and
        its `first()`), so that no library overload hides, and every overload of that arity
        returns one type."""
        found = self._overload_owners(cls, method)
        if found is None or found[1]:   # a library's or a JDK supertype may declare an overload
            return None
        owners = found[0]
        declared = [(owner, m) for owner in owners for m in _methods_taking(owner, method, argc)
                    if owner is cls or not _is_private(m)]
        if not declared:  # Object's methods (an enum's Enum's), which no class of the chain declares: `bean.getClass()`
            base = "Enum" if any(owner.type == "enum_declaration" for owner in owners) else "Object"
            written = _jdk_returned(base, method, argc)
            return None if written in (None, "?") or written.startswith("%") else (cls, written)
        returned = {_return_type(m) for _, m in declared}
        if len(returned) != 1:
            return None
        written = returned.pop()
        if written.split("[")[0] in set().union(*(_type_parameters(m) for _, m in declared)):
            return None
        return declared[0][0], written

    def _returned_type_arguments(self, cls: Node, method: str, argc: int) -> tuple[str, ...]:
        """The type arguments of what a method of the project class `cls` returns (`_returned_by`),
        as its file writes them: `Item` of `List<Item> items()`; () where unknown."""
        if self._returned_by(cls, method, argc) is None:
            return ()
        overloads = _methods_taking(cls, method, argc)
        arguments = {_type_arguments(m.child_by_field_name("type")) for m in overloads}
        return tuple(arguments.pop().split(",")) if len(arguments) == 1 and "" not in arguments else ()

    def _type_arguments_of(self, node: Node, bound: set[str]) -> tuple[tuple[str, ...], Node | None]:
        """The type arguments of the type an expression is declared with, as written, and the class
        whose file writes them (None: the test's): a variable of the test (`List<String> names`), a
        project method's result (`List<Item> items()`); ((), None) where unknown."""
        node = _unqualified_field(node)
        if node.type == "identifier" and text(node) not in bound:
            return self.var_type_arguments.get(text(node), ()), None
        receiver = node.child_by_field_name("object") if node.type == "method_invocation" else None
        owner = None if receiver is None else self._class_named(receiver, bound) or self.expression_type(receiver, bound)
        if not isinstance(owner, Node):
            return (), None
        return self._returned_type_arguments(owner, text(node.child_by_field_name("name")), argument_count(node)), owner

    def returned(self, name: str, method: str, argc: int) -> Node | str | None:
        """The `_resolve`d type of what `name.method(...)` returns (`_returned_type`), as the file
        declaring the method writes it; `void` for a void one; None where unknown."""
        found = self._returned_type(name, method, argc)
        return None if found is None else self._resolve(found[1], context=found[0])

    def expression_type(self, node: Node, bound: set[str]) -> Node | str | None:
        """The `_resolve`d type of an assertion's expression, where the source says it for sure:
        a literal, a variable of the test, `new T(...)`, `new T[n]`, a cast, an array's element or
        length, a project class's field or (`_returned_by`) method, what a JDK method returns
        (`_jdk_returned`, a class's type parameter as the receiver's declaration gives it); else
        None. `bound`: the names the assertion declares itself (a lambda parameter may hide a field)."""
        found = self._written_type(node, bound)
        return None if found is None else self._resolve(*found)

    def _class_named(self, node: Node, bound: set[str]) -> Node | None:
        """The project class an expression names, not a value of: `Account` of `Account.MAX`,
        `Outer.Inner` of `Outer.Inner.CONST`."""
        if node.type == "identifier":
            return None if text(node) in self.values | bound else self._class_of(text(node))
        outer = self._class_named(node.child_by_field_name("object"), bound) if node.type == "field_access" else None
        member = None if outer is None else text(node.child_by_field_name("field"))
        return None if outer is None else next((c for c in _member_classes(outer) if class_name(c) == member), None)

    def _jdk_class_named(self, node: Node, bound: set[str]) -> str | None:
        """The JDK class an expression names, not a value of: `Math` of `Math.max(a, b)`,
        `java.util.List` of `java.util.List.of(1)`."""
        if node.type not in ("identifier", "field_access") or text(node).split(".")[0] in self.values | bound:
            return None
        return self._jdk_class(text(node))

    def argument_types(self, arguments: Node, bound: set[str]) -> tuple[str | None, ...]:
        """The simple names of a call's argument types (`expression_type`), None where unknown."""
        types = [self.expression_type(a, bound) for a in arguments.named_children]
        return tuple(class_name(t) if isinstance(t, Node) else t for t in types)

    def _written_type(self, node: Node, bound: set[str]) -> tuple[str, Node | None] | None:
        """(the type as written, the class whose file writes it or None for the test's) of
        `expression_type`."""
        node = _unqualified_field(node)
        kind = node.type
        if kind == "parenthesized_expression":
            return self._written_type(node.named_children[0], bound)
        if kind in _LITERAL_TYPES:
            return _LITERAL_TYPES[kind](text(node)), None
        if kind == "identifier":
            declared = self.var_types.get(text(node)) if text(node) in self.values - bound else None
            return None if declared in (None, "?") else (declared, None)
        if kind == "cast_expression" or kind == "object_creation_expression" and _outer_instance(node) is None \
                and not any(c.type == "class_body" for c in node.children):
            return _type_name(node.child_by_field_name("type")), None
        if kind == "array_creation_expression":  # `new byte[0]`, `new int[][] {{1}}`
            depth = sum(text(c).count("[") for c in node.children if c.type in ("dimensions_expr", "dimensions"))
            return _type_name(node.child_by_field_name("type")) + "[]" * depth, None
        if kind == "array_access":
            array = self._written_type(node.child_by_field_name("array"), bound)
            return (array[0][:-2], array[1]) if array is not None and array[0].endswith("[]") else None
        receiver = node.child_by_field_name("object")
        if kind == "method_invocation" and (receiver is None or receiver.type == "this"):
            return self._test_method_returns(node)
        if kind not in ("field_access", "method_invocation") or receiver is None:
            return None
        owner = self._class_named(receiver, bound) or self._jdk_class_named(receiver, bound) \
            or self.expression_type(receiver, bound)
        if kind == "method_invocation":
            method, argc = text(node.child_by_field_name("name")), argument_count(node)
            if isinstance(owner, str) and owner in JDK_CLASSES:  # `text.trim()`, `Math.max(a, b)`, `list.stream()`
                returned = _jdk_returned(owner, method, argc)
                context = None
                if returned is not None and returned.startswith("%"):  # `names.get(0)` of a List<String>
                    arguments, context = self._type_arguments_of(receiver, bound)
                    position = int(returned[1:])
                    returned = arguments[position] if position < len(arguments) else None
                return None if returned in (None, "?") else (returned, context)
            returned = self._returned_by(owner, method, argc) if isinstance(owner, Node) else None
            return None if returned is None else (returned[1], returned[0])
        field_name = text(node.child_by_field_name("field"))
        if isinstance(owner, str) and owner.endswith("]"):
            return ("int", None) if field_name == "length" else None
        if not isinstance(owner, Node):
            return None
        if owner.type == "enum_declaration" and field_name in _enum_constants(owner):  # `IOCase.SENSITIVE`
            return class_name(owner), owner
        fields = [d for o in [owner, *project_supertypes(owner, self.classes)]
                  for d in _declarations(o, field_name, called=False) if d.type == "field_declaration"]
        written = {_type_name(d.child_by_field_name("type")) for d in fields}
        if len(fields) != 1 or any(c.child_by_field_name("dimensions") for c in fields[0].named_children
                                   if c.type == "variable_declarator"):  # (`int codes[]`)
            return None
        return (written.pop(), fields[0]) if not written & _type_parameters(fields[0]) else None

    def argument_error(self, call: Node, types: list, receiver_type: Node | None = None) -> str | None:
        """Why `receiver.method(arguments)` of a project class (the receiver a variable of one, or
        its name, or an expression of the type `receiver_type`: commons-csv's
        `CSVFormat.DEFAULT.withEscape('!').printRecord('!')`), or an unqualified call of a method of
        the test class (commons-io's `assertLines(temporaryFolder, iterator)` of an
        assertLines(List<String>, LineIterator), given a File), fits no overload by the arguments'
        types (`_cannot_take`; javac: incompatible types / no suitable method); else None."""
        receiver = call.child_by_field_name("object")
        method, argc = text(call.child_by_field_name("name")), argument_count(call)
        if receiver is None and receiver_type is None:
            if method in self.test_methods:  # (None: a library supertype's overloads are unknown)
                taking, owner = self.test_methods[method], "the test class"
            else:
                owners = _static_owners(method, self)
                taking, owner = self._imported_statics(method, owners), " or ".join(sorted(o.rpartition(".")[2] for o in owners))
            overloads = [m for m in taking or [] if takes_arguments(parameter_count(m), argc)]
        else:
            cls = receiver_type or (self._project_class(text(receiver)) if receiver is not None
                                    and receiver.type == "identifier" else None)
            found = None if cls is None else self._overload_owners(cls, method)
            if found is None or found[1]:
                return None
            overloads = [m for owner in found[0] for m in _methods_taking(owner, method, argc)]
            owner = class_name(cls)
        signatures = [_argument_slots(m, argc) for m in overloads]
        if not overloads or any(sig is None for sig in signatures):
            return None   # none (another check's), or C-style arrays
        # (null is no primitive, javac: <null> cannot be converted to long; commons-io's `proxy.skip(null)`
        # of a skip(long) goes through: its class's JDK superclass has overloads of skip unknown here)
        nulls = [a.type == "null_literal" for a in call.child_by_field_name("arguments").named_children]
        if all(any(null and parameter in PRIMITIVES or self._cannot_take(t, parameter, m)
                   for null, t, parameter in zip(nulls, types, sig))
               for m, sig in zip(overloads, signatures)):
            written = ", ".join("null" if null else class_name(t) if isinstance(t, Node) else t if isinstance(t, str)
                                else "?" for null, t in zip(nulls, types))
            return f"no {method}(...) of {owner} takes ({written})"
        return None

    def _imported_statics(self, method: str, owners: set[str]) -> list[Node] | None:
        """The static methods named `method` of the project classes whose static imports bring it to
        the test file (`owners`, `_static_owners`: mockito's `import static org.mockitoutil.JUnitResultAssert.assertThat;`),
        their project supertypes' too; None unless every import that may bring it is of a project
        class whose members are all known and no JDK supertype has a method of the name, and the
        test class inherits nothing from a library (whose method of the name would hide them)."""
        if self.inherits_from_library or self.junit3:
            return None
        found = [None if cls is None else self._overload_owners(cls, method) for cls in map(self.classes, owners)]
        if not owners or any(f is None or f[1] for f in found):
            return None
        return [m for classes, _ in found for cls in classes for m in _methods_named(cls, method) if _is_static(m)]

    def ambiguous_null(self, call: Node, arguments: list[Node]) -> str | None:
        """Why `Owner.method(null)` of a project class is ambiguous: two of its one-parameter
        overloads (a varargs one's taken as its array) take surely unrelated types, which null fits
        both, neither more specific (commons-collections' `allPredicate(null)` of an
        allPredicate(Predicate...) beside an allPredicate(Collection)); else None."""
        receiver = call.child_by_field_name("object")
        if len(arguments) != 1 or arguments[0].type != "null_literal" or receiver is None \
                or receiver.type != "identifier":
            return None
        cls = self._project_class(text(receiver))
        method = text(call.child_by_field_name("name"))
        found = None if cls is None else self._overload_owners(cls, method)
        if found is None:
            return None
        # (a JDK supertype's overloads, unknown here, cannot make it unambiguous: none is more
        # specific than two unrelated types: commons-io's ProxyReader.read(null) of read(char[])
        # and read(CharBuffer), beside Reader's)
        taking = [m for owner in found[0] for m in _methods_named(owner, method)]
        if _null_fits_two(taking):
            return f"{text(call)} is ambiguous: null fits more than one {method}(...) of {class_name(cls)}"
        return None

    def ambiguous_null_creation(self, creation: Node) -> str | None:
        """Why `new Owner(null)` of a project class is ambiguous, as `ambiguous_null` of its
        constructors (commons-lang's `new MutableByte(null)` of a MutableByte(Number) beside a
        MutableByte(String), a fill javac rejected at stop 37); else None."""
        arguments = creation.child_by_field_name("arguments").named_children
        if len(arguments) != 1 or arguments[0].type != "null_literal" \
                or any(c.type == "class_body" for c in creation.children):
            return None
        cls = self._class_of(_type_name(creation.child_by_field_name("type")))
        if cls is None or not _null_fits_two(body_members(cls, "constructor_declaration")):
            return None
        return f"{text(creation)} is ambiguous: null fits more than one constructor of {class_name(cls)}"

    def _cannot_take(self, argument: Node | str | None, parameter: str, method: Node) -> bool:
        """Whether a value of the type `expression_type` gives surely cannot be passed for a
        parameter of `method` written `parameter`: a primitive or String (`_surely_incompatible`),
        also for a project class; or a value of a project class for a primitive, an array or a JDK
        class it is not one of (`_jdk_types_of`: commons-codec's `updateHmac(hmacAlgorithm, "x")`
        of an enum, for a Mac)."""
        if parameter.endswith("..."):  # a lone argument for a varargs parameter: its array, or one element
            known = isinstance(argument, Node) or isinstance(argument, str) and not argument.endswith("]")
            return known and self._cannot_take(argument, parameter[:-3], method)
        if not isinstance(argument, Node):
            value = argument in _VALUE_TYPES   # (a primitive, a box or a String)
            jdk = None if value or argument is None else self._jdk_class(argument)
            if jdk is not None and parameter in PRIMITIVES:
                return True  # (only the boxes unbox: commons-exec's `exec.isFailure(errorTestScript)` of an isFailure(int), given a File)
            if value and parameter not in _VALUE_TYPES or jdk is not None:
                resolved = _resolve_type(method, parameter, self.classes, any_jdk=True)
                # a JDK type's value is of none of the project's classes (joda-time's `instant.toString("yyyy")`
                # of a toString(DateTimeFormatter)), nor of a library's (mockito's `assertThat(mock.simpleMethod(1))` of a statically imported
                # assertThat(org.junit.runner.Result)), nor of a JDK class or interface but its own
                # supertypes (commons-io's `IOUtils.closeQuietly(0)` of a Closeable, `isDirectory(dir, file)`
                # of an isDirectory(File, LinkOption...))
                if isinstance(resolved, str):
                    return resolved not in _value_supertypes(argument) if value else surely_not_passed_as(jdk, resolved)
                return isinstance(resolved, Node) or _imported_from_library(method, parameter, self.classes)
            return _surely_incompatible(argument, parameter)
        if parameter in PRIMITIVES or parameter.endswith("]"):
            return True
        jdk = _resolve_type(method, parameter, self.classes, any_jdk=True)
        is_of = None if not isinstance(jdk, str) else _jdk_types_of(argument, self.classes)
        return is_of is not None and jdk not in is_of

    def _test_method_returns(self, call: Node) -> tuple[str, Node] | None:
        """(the type, the method declaring it) of what a call of the test class's own method returns
        (`assertNotNull(this.unwrap())` of a void test method: javac, 'void' type not allowed
        here), where its overloads of that argument count return one type, not a type variable."""
        overloads = self.test_methods.get(text(call.child_by_field_name("name"))) or []
        taking = [m for m in overloads if takes_arguments(parameter_count(m), argument_count(call))]
        returned = {_return_type(m) for m in taking}
        if len(returned) != 1 or returned & set().union(*(_type_parameters(m) for m in taking)):
            return None
        return returned.pop(), taking[0]

    def takes(self, name: str, method: str, argc: int) -> bool:
        """Whether `name.method(...)` with `argc` arguments fits an overload, where `name` holds or
        names a project class whose members are all known and `method` is its own or a project
        supertype's alone (not Object's, an enum's, a record's accessor or a JDK supertype's,
        whose overloads the source does not show): javac, cannot be applied to given types."""
        cls = self._project_class(name)
        if cls is None:  # a JDK class's overloads (`names.size(0)`, `text.charAt()`), where the index has them
            declared = self._declared_type(name)
            return not (declared in JDK_CLASSES and self._is_jdk_class(declared)) or _jdk_takes(declared, method, argc)
        return self.class_takes(cls, method, argc)

    def _overload_owners(self, cls: Node, method: str) -> tuple[list[Node], list[str]] | None:
        """(the project class and its project supertypes, the listed JDK supertypes of any of them
        that have a method of that name, beyond Object's own overloads of it): where overloads of
        `method` may be declared; None when the class's members are not all known (a library's
        supertype, Lombok). (Every JDK interface lists Object's `toString()`: joda-time's
        Instant, Comparable and Serializable, hid its toString(DateTimeFormatter) from the checks.)"""
        if class_members(cls, self.classes) is None:
            return None
        owners = [cls, *project_supertypes(cls, self.classes)]
        key = member_key(method, called=True)
        objects = JDK_CLASSES["Object"].arities.get(method, frozenset())
        return owners, [jdk for owner in owners for jdk in _jdk_supertypes(owner, self.classes)
                        if key in JDK_CLASSES[jdk].members
                        and not JDK_CLASSES[jdk].arities.get(method, frozenset()) <= objects]

    def class_takes(self, cls: Node, method: str, argc: int) -> bool:
        """`takes` of a project class."""
        found = self._overload_owners(cls, method)
        if found is None or _is_component(cls, method):
            return True
        owners, jdk_overloads = found
        # Object's (an enum's Enum's) overloads, as the index has them, beside the project's own
        # (joda-time's `instant.toString("EEE", Locale.ENGLISH)`: no toString takes two)
        key = member_key(method, called=True)
        bases = ["Object", *(["Enum"] if any(owner.type == "enum_declaration" for owner in owners) else [])]
        if any(key in JDK_CLASSES[base].members and _jdk_takes(base, method, argc) for base in bases):
            return True
        # a listed JDK supertype's overloads count as the index has them (commons-codec's
        # `stream.available(6)` of a FilterInputStream's available())
        if any(_jdk_takes(jdk, method, argc) for jdk in jdk_overloads):
            return True
        overloads = [m for owner in owners for m in _methods_named(owner, method)]
        return not (overloads or jdk_overloads) or any(takes_arguments(parameter_count(m), argc) for m in overloads)

    def creation_error(self, type_name: str, argc: int) -> str | None:
        """Why `new T(...)` (`argc` arguments, no anonymous class body) of a project class is a
        javac error: an interface, enum or abstract class (cannot be instantiated), no
        constructor of that argument count (cannot be applied), or every such one out of reach."""
        cls = self._class_of(type_name)
        if cls is None:
            return None
        if cls.type != "class_declaration" and cls.type != "record_declaration":
            return f"{type_name} is an {cls.type.split('_')[0]}: it cannot be instantiated"
        if has_modifier(cls, "abstract"):
            return f"{type_name} is abstract: it cannot be instantiated"
        outer = cls.parent.parent if cls.parent is not None and cls.parent.type == "class_body" else None
        if outer is not None and outer.type == "class_declaration" and cls.type == "class_declaration" \
                and not _is_static(cls) and class_name(outer) not in self.enclosing and not self.subclass:
            return f"{type_name} is an inner class of {class_name(outer)}: an enclosing instance is required"
        if any(name.endswith("Constructor") or name in _GENERATING_ANNOTATIONS for name in annotation_names(cls)):
            return None  # Lombok's @AllArgsConstructor, @Data, @Builder, ... write constructors
        declared = body_members(cls, "constructor_declaration")
        # what javac writes: a record's canonical constructor, a class's default one (none declared)
        implicit = [parameter_count(cls)] if cls.type == "record_declaration" else [] if declared else [(0, False)]
        if any(takes_arguments(arity, argc) for arity in implicit):
            return None
        fitting = [c for c in declared if takes_arguments(parameter_count(c), argc)]
        if not fitting:
            return f"no constructor takes {argc} argument(s)"
        reasons = [self._denied(cls, c) for c in fitting]
        return reasons[0] if all(reasons) else None

    def is_static_member_class(self, name: str, member: str) -> bool:
        """Whether `member` is a static member class (an interface's, a record, enum or interface
        is) of the project class `name` holds: `name.new Member()` is a javac error then
        (qualified new of static class)."""
        cls = self._project_class(name)
        nested = None if cls is None else next((c for c in _member_classes(cls) if class_name(c) == member), None)
        return nested is not None and (cls.type == "interface_declaration" or nested.type != "class_declaration"
                                       or _is_static(nested))

    def denied_access(self, name: str, member: str, called: bool) -> str | None:
        """Why the test may not use `name.member` (a method when `called`, else a field or
        member class) of the project class `name` holds or names, when every declaration of it
        there is out of its reach (javac: has private access, is not public in X; cannot be
        accessed from outside package, has protected access); else None."""
        cls = self._project_class(name)
        return None if cls is None else self._denied_member(cls, member, called)

    def denied_access_on_returned(self, returned: Node | str | None, member: str, called: bool) -> str | None:
        """`denied_access` of `name.method(...).member` where the returned type (`returned`) is a
        sure project class (`account.item().secret()`)."""
        return self._denied_member(returned, member, called) if isinstance(returned, Node) else None

    def _denied_member(self, cls: Node, member: str, called: bool) -> str | None:
        # its own declarations and those of its project supertypes (`sub.secret()` of Base's private one)
        reasons = [self._denied(owner, d) for owner in [cls, *project_supertypes(cls, self.classes)]
                   for d in _declarations(owner, member, called)]
        return reasons[0] if reasons and all(reasons) else None

    def _denied(self, cls: Node, declaration: Node) -> str | None:
        """Why a declaration of class `cls` is out of the test's reach, or None."""
        if declaration.type == "formal_parameters" or _is_private(declaration):  # record components' fields are private
            return None if class_name(_outermost_class(cls)) == self.outermost else "has private access"
        if cls.type == "interface_declaration" or has_modifier(declaration, "public") \
                or package_of(cls) == self.package:  # an interface's members are public
            return None
        if has_modifier(declaration, "protected"):  # from a subclass, a static one (an instance's: via the subclass only)
            return None if self.subclass and _is_static(declaration) else "has protected access"
        return "is not public, and the test is in another package"


@dataclass
class _ClassNames:
    """What a class gives the code of a test in it or in a subclass (`_class_names`)."""

    values: set[str]                # fields, constants, record components, enum constants
    field_types: dict[str, str]     # the types of inherited fields (the test file declares the others)
    methods: dict[str, list[Node]]  # name -> overloads
    types: set[str]                 # member classes


def _class_names(owner: Node, package: str | None, static_only: bool) -> _ClassNames:
    """The names class `owner` gives code inside it (`package` None), or code of a subclass
    in `package` (what it inherits); `static_only`: in a static context, only static members."""
    inherited = package is not None
    names = _ClassNames(set(), {}, {}, set())
    for member in body_members(owner, "field_declaration") + body_members(owner, "constant_declaration"):
        if (not static_only or _is_static(member) or member.type == "constant_declaration") \
                and (not inherited or inherits(member, owner, package)):
            names.values.update(_declared_names(member))
            if inherited:
                names.field_types.update(dict.fromkeys(_declared_names(member), _type_name(
                    member.child_by_field_name("type"))))
    for member in inherited_methods(owner, package) if inherited else class_methods(owner):
        if not static_only or _is_static(member):
            names.methods.setdefault(text(member.child_by_field_name("name")), []).append(member)
    names.types.update(class_name(c) for c in _member_classes(owner) if not inherited or inherits(c, owner, package))
    if not inherited:
        if owner.type == "record_declaration" and not static_only:  # record components are fields
            params = owner.child_by_field_name("parameters")
            for p in params.named_children if params is not None else []:
                names.values.update(_declared_names(p))
        names.values.update(_enum_constants(owner))
    return names


def _declared_names(node: Node) -> list[str]:
    """Variable names a declaration-like node introduces."""
    if node.type in ("local_variable_declaration", "field_declaration", "constant_declaration", "resource"):
        if node.type == "resource" and node.child_by_field_name("name") is not None:
            return [text(node.child_by_field_name("name"))]
        return [text(d.child_by_field_name("name")) for d in node.named_children
                if d.type == "variable_declarator"]
    if node.type in ("formal_parameter", "spread_parameter", "catch_formal_parameter",
                     "enhanced_for_statement"):
        name = node.child_by_field_name("name")
        if name is None:  # spread_parameter keeps its name in a variable_declarator
            return [text(d.child_by_field_name("name")) for d in node.named_children
                    if d.type == "variable_declarator"]
        return [text(name)]
    return []


def _is_static(declaration: Node) -> bool:
    return has_modifier(declaration, "static")


def _is_private(declaration: Node) -> bool:
    return has_modifier(declaration, "private")


def _outermost_class(node: Node) -> Node:
    """The top-level class around `node` (a class itself, or a member of one)."""
    return classes_around(node)[-1]


def _unassigned_names(node: Node) -> list[str]:
    """Locals a declaration leaves without a value (`int x;`)."""
    if node.type != "local_variable_declaration":
        return []
    return [text(d.child_by_field_name("name")) for d in node.named_children
            if d.type == "variable_declarator" and d.child_by_field_name("value") is None]


def _surely_assigned(node: Node) -> set[str] | None:
    """The locals a statement surely assigns when it completes normally (JLS 16, its common
    cases): `x = ...;`, a block's statements, an if/else whose branches both do, a try whose
    block does and whose catches do or end abruptly. None when it cannot complete normally (a
    return or throw ends it), which javac counts as assigning everything."""
    if node.type in ("return_statement", "throw_statement"):
        return None
    if node.type == "expression_statement":
        name = _assigned_name(node)
        return {name} if name else set()
    if node.type == "block":
        names: set[str] = set()
        for child in node.named_children:
            assigned = _surely_assigned(child)
            if assigned is None:
                return None
            names |= assigned
        return names
    if node.type == "switch_expression":  # (a switch statement, to tree-sitter-java 0.21)
        return _switch_assigned(node)
    if node.type == "if_statement" and node.child_by_field_name("alternative") is not None:
        branches = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
    elif node.type in ("try_statement", "try_with_resources_statement"):
        branches = [node.child_by_field_name("body")] + [c.child_by_field_name("body") for c in node.named_children
                                                           if c.type == "catch_clause"]
    else:
        return set()
    completing = [names for names in map(_surely_assigned, branches) if names is not None]
    return set.intersection(*completing) if completing else None


def _switch_assigned(switch: Node) -> set[str] | None:
    """`_surely_assigned` of a switch statement with a default: what every case assigns, a case
    that falls through with the next case's too (`case 0: label = "none"; break; default: label = "some";`)."""
    cases = switch.child_by_field_name("body").named_children
    if not any(text(label) == "default" for case in cases for label in case.named_children if label.type == "switch_label"):
        return set()
    found: list[set[str]] = []
    following: set[str] | None = set()  # what the next case assigns (None: it ends abruptly)
    for case in reversed(cases):
        statements = [c for c in case.named_children if c.type != "switch_label"]
        if any(n.type == "break_statement" for st in statements for n in walk(st) if n != st):
            return set()  # (a break inside an if: what follows it may not run)
        names: set[str] | None = set()
        for statement in statements:
            if statement.type == "break_statement":
                break
            assigned = _surely_assigned(statement)
            names = None if assigned is None else names | assigned
            if names is None:
                break
        else:  # no break: into the next case (not after a `->` rule, nor after the last case)
            if case.type == "switch_block_statement_group" and case != cases[-1] and names is not None:
                names = None if following is None else names | following
        following = names
        if names is not None:
            found.append(names)
    return set.intersection(*found) if found else None


def _pattern_names(condition: Node, negated: bool = False) -> list[str]:
    """The names a condition's patterns bind where it is true (`o instanceof Item item`,
    `Pair(var a, String b)`), or where it is false with `negated` (`!(o instanceof Item item)`)."""
    names = []
    for node in nodes_of_type(condition, "instanceof_expression", "type_pattern", "record_pattern_component"):
        last = node.named_children[-1]
        if last.type != "identifier" or node.type == "instanceof_expression" and len(node.named_children) < 3:
            continue
        nots, up = 0, node.parent
        while up is not None and up != condition.parent:
            nots += up.type == "unary_expression" and text(up)[:1] == "!"
            up = up.parent
        if nots % 2 == negated:
            names.append(text(last))
    return names


def _assigned_name(node: Node) -> str | None:
    """The local a statement `x = ...;` assigns."""
    expression = node.named_children[0] if node.type == "expression_statement" else None
    if expression is None or expression.type != "assignment_expression":
        return None
    left = expression.child_by_field_name("left")
    return text(left) if left.type == "identifier" else None


def _condition_assigned(condition: Node) -> set[str]:
    """The locals a condition surely assigns (`(b = in.read()) != -1`): `x = ...` evaluated on
    every run of it, not in the right operand of `&&` / `||`, a `?:` branch or a lambda."""
    names = set()
    for assignment in nodes_of_type(condition, "assignment_expression"):
        left = assignment.child_by_field_name("left")
        if left.type != "identifier" or text(assignment.child_by_field_name("operator")) != "=":
            continue
        if all(node.parent.type not in ("ternary_expression", "lambda_expression") and not (
                node.parent.type == "binary_expression" and node == node.parent.child_by_field_name("right")
                and text(node.parent.child_by_field_name("operator")) in ("&&", "||"))
               for node in _ancestors(assignment, up_to=condition)):
            names.add(text(left))
    return names


_HEADER_SCOPES = ("method_declaration", "constructor_declaration", "lambda_expression", "for_statement",
                  "enhanced_for_statement", "catch_clause", "try_with_resources_statement")


def _header_names(node: Node, at: int) -> list[str]:
    """Names a method/lambda/for/catch/try header declares for the part containing `at`."""
    names = []
    if node.type == "enhanced_for_statement":
        names.append(text(node.child_by_field_name("name")))
    if node.type == "lambda_expression":
        params = node.child_by_field_name("parameters")
        if params.type == "identifier":
            return [text(params)]
    for child in node.children:
        if child.start_byte <= at < child.end_byte or child.type in ("catch_clause", "finally_clause"):
            continue  # the body holding the insertion point; a try's catch parameter is not the body's
        for part in walk(child):
            if part.type in ("formal_parameter", "spread_parameter", "catch_formal_parameter", "resource",
                             "local_variable_declaration"):
                names += _declared_names(part)
            elif part.type == "inferred_parameters":
                names += [text(i) for i in part.named_children]
    return names


def _caught_around(node: Node | None, method: Node) -> tuple[tuple[str, ...], Node | None]:
    """The exception types caught by the trys (of `method`) whose body holds `node`: a call there
    may throw them as if the test declared them (`catch (IOException | ParseFailure e)`); and the
    innermost lambda or class body around `node`, where that stops (its code runs elsewhere)."""
    caught = []
    while node is not None and node != method:
        if _captures(node):
            return tuple(caught), node
        parent = node.parent
        if parent is not None and parent.type in ("try_statement", "try_with_resources_statement") \
                and node == parent.child_by_field_name("body"):
            caught += [_simple_type(t) for clause in parent.named_children if clause.type == "catch_clause"
                       for param in clause.named_children if param.type == "catch_formal_parameter"
                       for types in param.named_children if types.type == "catch_type"
                       for t in types.named_children]
        node = parent
    return tuple(caught), None


def _captures(node: Node) -> bool:
    """Whether code inside `node` runs apart from the method around it, capturing its locals: a
    lambda, an anonymous class's or a local class's body."""
    return node.type == "lambda_expression" or node.type == "class_body" and (
        node.parent.type == "object_creation_expression"
        or node.parent.type == "class_declaration" and node.parent.parent.type in _BLOCKS)


# The JDK's functional interfaces whose method throws no checked exception: a lambda assigned to
# one may throw only what it catches itself (`Runnable check = () -> { here };`)
_NON_THROWING_FUNCTIONS = frozenset("""Runnable Supplier Consumer BiConsumer Function BiFunction Predicate
BiPredicate UnaryOperator BinaryOperator IntSupplier LongSupplier DoubleSupplier BooleanSupplier IntPredicate
IntFunction ToIntFunction ToLongFunction ToDoubleFunction Comparator""".split())


def _non_throwing_lambda(node: Node) -> bool:
    """Whether `node` is a lambda assigned to one of `_NON_THROWING_FUNCTIONS` in its declaration."""
    declaration = node.parent.parent if node.type == "lambda_expression" and node.parent.type == "variable_declarator" \
        else None
    return declaration is not None and declaration.type == "local_variable_declaration" \
        and _simple_type(declaration.child_by_field_name("type")) in _NON_THROWING_FUNCTIONS


_BLOCKS = ("block", "switch_block_statement_group", "constructor_body")  # nodes whose children are statements


def _innermost_block(node: Node | None) -> Node | None:
    while node is not None and node.type not in _BLOCKS:
        node = node.parent
    return node


def _is_fail(statement: Node) -> bool:
    """`fail(...)` or `Assert.fail(...)` as a statement of its own."""
    call = statement.named_children[0]
    return call.type == "method_invocation" and text(call.child_by_field_name("name")) == "fail"


_FAIL_STATEMENT = re.compile(r"^\s*(?:[\w.]+\.)?fail\s*\(")


def misplaced_fail(method: Node, statements_at: list[tuple[int, str]]) -> str | None:
    """Why the candidate's `fail(...)` (its statements: byte offset in the file, statement)
    defeats the test: one in a catch that expects the exception (the catch returns after it, or
    names its parameter `expected...`: args4j's testTooFew asserts the message and returns),
    which fails the test exactly when the code does what the test expects; or, with the test's
    own, a fail in every catch clause of a try and one where its body completes normally, the
    body's own statement or the one right after the try, which leave the test no way to pass
    (the model's `fail(); fail();` for testTooFew, one in the catch, one after the try); else None."""
    written = [at for at, statement in statements_at if _FAIL_STATEMENT.match(statement)]
    points = written + [call.parent.start_byte for call in nodes_of_type(method, "method_invocation")
                        if text(call.child_by_field_name("name")) == "fail" and call.parent.type == "expression_statement"]
    failing_catches, failing_bodies = set(), set()
    for at in points:
        block = _innermost_block(method.descendant_for_byte_range(at, at))
        if block is None:
            continue
        if block.parent is not None and block.parent.type == "catch_clause":
            catch = block.parent
            parameter = catch.named_children[0].child_by_field_name("name") if catch.named_children else None
            if at in written and (any(c.type == "return_statement" and c.start_byte >= at for c in block.named_children)
                                  or parameter is not None and text(parameter).lower().startswith("expected")):
                return "fail(...) in the catch that expects the exception: the test would fail when the code works"
            failing_catches.add((catch.parent.id, catch.id))
        elif block.parent is not None and block.parent.type == "try_statement" \
                and block == block.parent.child_by_field_name("body"):
            failing_bodies.add(block.parent.id)
        before = [c for c in block.named_children if c.end_byte <= at and "comment" not in c.type]
        if before and before[-1].type == "try_statement":
            failing_bodies.add(before[-1].id)
    for try_statement in nodes_of_type(method, "try_statement"):
        catches = [c for c in try_statement.named_children if c.type == "catch_clause"]
        if catches and try_statement.id in failing_bodies \
                and all((try_statement.id, c.id) in failing_catches for c in catches):
            return "fail(...) in the catch of a try and where its body completes: the test fails either way"
    return None


# Assertions comparing two values (JUnit's, AssertJ's) that, given one value twice, always pass
# (True) or always fail (False): `assertNotSame(circle, circle)`, written by the model. (Not
# `assertEquals(x, x)`: tests of equals() assert it is reflexive so, calling x.equals(x).)
_COMPARISONS = {"assertSame": True, "isSameAs": True,
                "assertNotSame": False, "isNotSameAs": False, "assertNotEquals": False, "isNotEqualTo": False}
# expressions whose value cannot change between two evaluations (no call, no `new`)
_STABLE = frozenset(_LITERAL_TYPES) | {"identifier", "field_access", "this", "null_literal"}


def self_comparison(statement: Node) -> str | None:
    """Why an assertion compares a value with itself where that always passes or always fails
    (`assertSame(total, total)`, `assertThat(x).isNotSameAs(x)`); a call or `new` on both sides
    may give two values (`it.next()`), so those are left alone."""
    for call in nodes_of_type(statement, "method_invocation"):
        name = text(call.child_by_field_name("name"))
        if name not in _COMPARISONS:
            continue
        arguments = call.child_by_field_name("arguments").named_children
        receiver = call.child_by_field_name("object")
        if name.startswith("is"):  # AssertJ: assertThat(actual).isEqualTo(expected)
            if receiver is None or receiver.type != "method_invocation" or len(arguments) != 1 \
                    or text(receiver.child_by_field_name("name")) != "assertThat":
                continue
            arguments = receiver.child_by_field_name("arguments").named_children[:1] + arguments
        # (JUnit 4's message comes first: `assertEquals("total", a, b)`)
        pairs = [arguments[:2]] + ([arguments[1:3]] if len(arguments) >= 3 else [])
        for pair in pairs:
            if len(pair) == 2 and text(pair[0]).replace(" ", "") == text(pair[1]).replace(" ", "") \
                    and all(n.type in _STABLE for n in walk(pair[0]) if n.is_named):
                return f"compares {text(pair[0])} with itself: it " + (
                    "always passes, checking nothing" if _COMPARISONS[name] else "always fails")
    return None


def scope_at(stub: Stub, extra_types: set[str], at: int | None = None, focal: Node | None = None,
             classes: Callable[[str], Node | None] | None = None,
             focal_classes: Callable[[str], Node | None] | None = None,
             project_package: Callable[[str], bool] = lambda package: False) -> Scope:
    """Names visible at the stub's insertion point (the first span), or at byte `at`, the
    methods of the focal class `focal` that throw, and `classes`: the project's class that a
    type name of the test means, or None (`focal_classes`: of the focal class's file, for the
    exceptions its methods declare).

    Locals count only when declared before the point in an enclosing block, and one declared
    without a value only when a statement of such a block assigns it before the point (else
    javac: might not have been initialized; one assigned in a branch or a try is left out);
    `extra_types` are classes visible without a single-name import (same package, focal
    class, the project's classes in wildcard-imported packages); a wildcard import of a package
    neither the JDK's nor one where `project_package` finds classes is a library's.
    """
    jf, at = stub.file, stub.cutoff if at is None else at
    values, types, methods, locals_ = set(), set(JAVA_LANG) | set(extra_types), set(), set()
    methods_inside_out: list[dict[str, list[Node]]] = []  # each enclosing class's methods, innermost first
    library_supertype = subclass = library_package = library_statics = False
    project_statics: set[str] = set()  # methods the file imports statically from project classes
    unassigned, assigned, static_only = set(), set(), False
    lookup = classes or (lambda name: None)
    field_types: dict[str, str] = {}   # inherited fields' types (the test file declares the others)
    own_classes: dict[str, Node] = {}  # the test file's classes visible at the point, innermost first
    point = jf.tree.root_node.descendant_for_byte_range(at, at)  # the innermost node there
    node = point
    in_lambda: set[str] | None = None  # the locals of the innermost lambda (or anonymous class) around the point
    while node is not None:
        if node.type in _BLOCKS:
            for child in node.named_children:
                if child.end_byte <= at:
                    if child.type in CLASS_TYPES:  # a local class or record (`record Pair(int a, int b) {}`)
                        types.add(class_name(child))
                        own_classes.setdefault(class_name(child), child)
                    if child.type != "enhanced_for_statement":  # (its variable is the loop's own)
                        locals_.update(_declared_names(child))
                    unassigned.update(_unassigned_names(child))
                    assigned |= _surely_assigned(child) or set()
                    if child.type == "if_statement" and child.child_by_field_name("alternative") is None \
                            and _surely_assigned(child.child_by_field_name("consequence")) is None:
                        # `if (!(o instanceof Item item)) return;`: item is bound after it
                        locals_.update(_pattern_names(child.child_by_field_name("condition"), negated=True))
        elif node.type in _HEADER_SCOPES:
            locals_.update(_header_names(node, at))
        elif node.type == "if_statement" and node.child_by_field_name("consequence").start_byte <= at \
                < node.child_by_field_name("consequence").end_byte:  # `if (o instanceof Item item) { here }`
            locals_.update(_pattern_names(node.child_by_field_name("condition")))
        if node.type in ("if_statement", "while_statement") and node.child_by_field_name("condition").end_byte <= at:
            # `while ((b = in.read()) != -1) { here }`: the condition ran first (commons-io's testIO683)
            assigned |= _condition_assigned(node.child_by_field_name("condition"))
        if node.type in ("switch_rule", "switch_block_statement_group"):  # `case Item item -> { here }`
            locals_.update(name for label in node.named_children if label.type == "switch_label"
                           for name in _pattern_names(label))
        if node.type in CLASS_TYPES:
            types.add(class_name(node))
            for member in _member_classes(node) + [node]:
                own_classes.setdefault(class_name(member), member)
            # the class's members and those it inherits from the project's classes (a test base
            # class's fields and helper methods, an interface's constants and default methods)
            supertypes = project_supertypes(node, lookup)
            subclass |= node.child_by_field_name("superclass") is not None
            library_supertype |= inherits_from_library(node, supertypes, lookup)
            # (the test file's own classes once per file: a class of 1,500 tests took 6 ms a stub)
            own = jf.memo(("class names", node.start_byte, static_only),
                          lambda: _class_names(node, None, static_only))
            class_methods_ = dict(own.methods) if supertypes else own.methods  # (the memo stays as it is)
            for supertype in supertypes:   # (a base class's member classes are the subclass's too: jline's TestLineReader)
                for member in _member_classes(supertype):
                    own_classes.setdefault(class_name(member), member)
            for owner, names in [(node, own)] + [(s, _class_names(s, jf.package, static_only)) for s in supertypes]:
                values |= names.values
                field_types.update({var: _as_seen_from(owner, written, lookup) for var, written in names.field_types.items()})
                for name, overloads in names.methods.items() if names is not own else ():
                    class_methods_[name] = class_methods_.get(name, []) + overloads
                types |= names.types
            methods_inside_out.append(class_methods_)
            # a static nested class (records, enums and interfaces are) has no instance of the
            # classes around it: their instance fields and methods are no names of its code
            static_only = static_only or node.type != "class_declaration" or _is_static(node)
        if in_lambda is None and _captures(node):
            in_lambda = set(locals_)
        node = node.parent
    values |= locals_
    # the other top-level classes of the test file (`class FakeClock` after the test class), and
    # the classes it names itself, which javac found (another module's `Account`, a test fixture)
    types.update(class_name(top) for top in jf.tree.root_node.named_children if top.type in CLASS_TYPES)
    types |= jf.memo("written types", lambda: _written_types(jf.tree.root_node))
    imports = jf.imports
    for imp in imports:
        if imp.static and imp.wildcard:
            owner = None if imp.name in WILDCARD_MEMBERS else lookup(imp.name)
            if owner is None and imp.name in WILDCARD_MEMBERS:  # assertion libraries: method names
                methods.update(WILDCARD_MEMBERS[imp.name])
                values.update(WILDCARD_MEMBERS[imp.name])
                continue
            library_statics |= owner is None and not _in_jdk_index(imp.name)
            called, others = split_members(_jdk_static_members(imp.name) if owner is None
                                           else static_members(owner, lookup))
            methods.update(called)
            values.update(others)
            types.update(_jdk_member_classes(imp.name))  # `import static java.util.Map.*;`: Entry
            if owner is not None:  # member types come with them: `import static com.acme.Wallet.*;`, `Kind`
                types.update(map(class_name, _member_classes(owner)))
                project_statics.update(called)
        elif imp.static:
            if lookup(imp.name.rpartition(".")[0]) is not None:
                project_statics.add(imp.simple)
            methods.add(imp.simple)
            if imp.simple not in _LIBRARY_STATIC_METHODS.get(imp.name.rpartition(".")[0], ()):
                values.add(imp.simple)
                types.add(imp.simple)  # `import static com.acme.Wallet.Kind;` imports a member type too
        elif not imp.wildcard:
            types.add(imp.simple)
        elif (outer := lookup(imp.name)) is not None:  # `import com.acme.Wallet.*;`: Wallet's member types
            types.update(map(class_name, _member_classes(outer)))
        else:  # `import java.util.*;` (the project's own packages come in `extra_types`), `import java.util.Map.*;`
            types.update(JDK_PACKAGE_NAMES.get(imp.name, ()), _jdk_member_classes(imp.name))
            library_package |= imp.name not in JDK_PACKAGE_NAMES and not project_package(imp.name) \
                and not _in_jdk_index(imp.name)
    if is_junit3(stub.cls):  # TestCase's assertions are inherited
        methods.update(_JUNIT3)
    values -= unassigned - assigned  # such a local hides any field or import of its name
    hints = [i.name for i in imports] + jf.qualified_annotations
    # A call finds the innermost class with a method of its name (javac: JLS 15.12.1).
    test_methods: Mapping[str, list[Node] | None] = ChainMap(*methods_inside_out)
    if library_supertype or is_junit3(stub.cls):  # more overloads than the source shows
        test_methods = dict.fromkeys(test_methods)
    reassigned = _assigned_names(stub.method, at) & locals_
    scope = Scope(values, types, methods | set(test_methods), imports, hints, locals_, reassigned,
                  test_methods=test_methods, framework=framework_of(stub.method, imports),
                  junit3=is_junit3(stub.cls))
    # an assertion inside a lambda (`Runnable check = () -> { here };`) captures the locals outside it
    scope.captured_at_point = reassigned - in_lambda if in_lambda is not None else set()
    scope.unconditional = (
        _innermost_block(point) == stub.method.child_by_field_name("body")
        # (`catch (E e) { return; }`; not a return of a lambda or an anonymous class's method: args4j)
        and not any(r.end_byte <= at and not _inside_lambda(r, stub.method)
                    for r in nodes_of_type(stub.method, "return_statement"))
        and not expects_exception(stub.method))
    scope.package, scope.outermost = jf.package, class_name(_outermost_class(stub.cls))
    scope.enclosing = frozenset(map(class_name, classes_around(stub.cls)))
    scope.subclass = subclass
    scope.inherits_from_library = library_supertype
    scope.library_package, scope.library_statics = library_package, library_statics
    scope.project_statics = frozenset(project_statics)
    scope.project_package = project_package
    scope.file_types = jf.memo("class names", lambda: frozenset(class_name(c) for c in jf.classes()))
    if classes is not None:
        # a class of the test file visible at the point (a nested `Timer` fixture) hides the project's of its name
        for top in jf.tree.root_node.named_children:
            if top.type in CLASS_TYPES:
                own_classes.setdefault(class_name(top), top)
        scope.classes = lambda name: own_classes.get(name) or classes(name)
        declared_types = jf.memo("declared types", lambda: _declared_types(jf.tree.root_node))
        declared_types = dict(declared_types)  # (the memos stay as they are)
        for var, declared in field_types.items():
            declared_types[var] = declared_types.get(var, set()) | {declared}
        type_arguments = dict(jf.memo("declared type arguments", lambda: _declared_types(jf.tree.root_node, _type_arguments)))
        # a local of the test's own method is what that method declares it, whatever another
        # test of the file declares a variable of its name (`String[] parts` here, `List<String>
        # parts` there: a test's similar tests share its names, QA round 12)
        # (not a name of a field too: `this.items` is the field, whatever the local `items` is)
        own_types, own_arguments = _declared_types(stub.method), _declared_types(stub.method, _type_arguments)
        own_field_types, own_field_arguments = jf.memo("field types", lambda: (
            _declared_types(jf.tree.root_node, fields_only=True),
            _declared_types(jf.tree.root_node, _type_arguments, fields_only=True)))
        for var in scope.locals & own_types.keys() - own_field_types.keys():
            declared_types[var], type_arguments[var] = own_types[var], own_arguments[var]
        # and a field no local hides there is what the file declares it, whatever another test
        # declares a local or lambda parameter of its name (commons-collections' ListUtilsTest:
        # the field `String e`, elsewhere `catch (Exception e)`: `e.size()` went through, stop 31)
        for var in scope.values & own_field_types.keys() - scope.locals:
            declared_types[var], type_arguments[var] = own_field_types[var], own_field_arguments[var]
        # so is a field inherited from a project base class (commons-io's `observer` of
        # AbstractMonitorTestCase, beside a local `observer` of another test)
        for var in scope.values & field_types.keys() - own_field_types.keys() - scope.locals:
            declared_types[var] = {field_types[var]}
        scope.var_types = {var: next(iter(declared)) for var, declared in declared_types.items() if len(declared) == 1}
        scope.var_type_arguments = {var: tuple(arguments.split(",")) for var, (arguments, *more) in type_arguments.items()
                                    if not more and arguments not in ("", "?") and var in scope.var_types
                                    and var not in field_types}
    caught, runs_apart = _caught_around(point, stub.method)
    declared = caught if runs_apart is not None \
        else tuple(_simple_type(t) for c in stub.method.children if c.type == "throws" for t in c.named_children) + caught
    if runs_apart is not None and not _non_throwing_lambda(runs_apart):
        # in assertDoesNotThrow's Executable anything may be thrown, in a project's interface what it says
        return scope
    scope.test_throws = declared
    # (once per file and `throws`: a test class of 1,500 stubs has 1,500 methods to look at)
    scope.own_throwing = jf.memo(("own throwing", stub.cls.start_byte, declared),
                                 lambda: throwing_methods(stub.cls, lookup, declared))
    if focal is not None:
        scope.focal, scope.throwing = class_name(focal), throwing_methods(focal, focal_classes or lookup, declared)
    return scope


def _written_types(root: Node) -> frozenset[str]:
    """The simple class names a file writes: as types (`Account account`, `new Account()`, not
    `Inner` of `Outer.Inner`) and as qualifiers of calls (`Money.of(5)`); its type parameters not."""
    names = {text(n) for n in nodes_of_type(root, "type_identifier")
             if n.parent.type != "scoped_type_identifier" or n.parent.named_children[0] == n}
    names |= {text(q) for n in nodes_of_type(root, "method_invocation")
              for q in [n.child_by_field_name("object")] if q is not None and q.type == "identifier"
              and text(q)[:1].isupper()}
    parameters = {text(p.named_children[0]) for p in nodes_of_type(root, "type_parameter")}
    return frozenset(names - parameters)


def _declares_apart(node: Node, name: str, at: int) -> bool:
    """Whether a block or header (a loop's, a lambda's, a catch's) that does not hold byte `at`
    declares `name`: its own variable, not the one of that name seen at `at` (`{ int v = 0; v++; }`
    before `int v = f();`; Java lets no local hide another, so the two never overlap)."""
    if node.start_byte <= at < node.end_byte:
        return False
    if node.type in _BLOCKS:
        return any(name in _declared_names(child) for child in node.named_children)
    body = node.child_by_field_name("body") if node.type in _HEADER_SCOPES else None
    return body is not None and name in _header_names(node, body.start_byte)


def _assigned_names(method: Node, at: int) -> set[str]:
    """Names a method assigns (`x = ...`, `x += ...`, `x++`) other than in declarations, as the
    variables seen at byte `at` (not another block's of the same name), but for a local declared
    without a value and assigned once with `=` (`int later; later = f();`), which stays
    effectively final (JLS 4.12.4), also once on each branch (if/else, the cases of a switch)."""
    assignments: dict[str, list[Node | None]] = {}  # None: a compound assignment, `++`
    for node in nodes_of_type(method, "assignment_expression", "update_expression"):
        target = node.child_by_field_name("left") if node.type == "assignment_expression" else node.named_children[0]
        if target.type == "identifier" and not any(_declares_apart(a, text(target), at)
                                                   for a in _ancestors(node.parent, up_to=method)):
            once = node.type == "assignment_expression" and text(node.child_by_field_name("operator")) == "="
            assignments.setdefault(text(target), []).append(node if once else None)
    declared_bare = {name for node in nodes_of_type(method, "local_variable_declaration") for name in _unassigned_names(node)}
    return {name for name, found in assignments.items() if name not in declared_bare or None in found
            or any(a.type in _LOOPS for node in found for a in _ancestors(node, up_to=method))  # (again each round)
            or any(not _exclusive(a, b) for i, a in enumerate(found) for b in found[i + 1:])}


_LOOPS = ("for_statement", "enhanced_for_statement", "while_statement", "do_statement")


def _exclusive(a: Node, b: Node) -> bool:
    """Whether at most one of two statements' nodes runs: they are in the two branches of an
    if/else, or in two cases of a switch (each case ending in break, return or yield, as javac
    needs to call a blank local assigned in both effectively final)."""
    around_a, around_b = _ancestors(a), _ancestors(b)
    for child, parent in zip(around_a, around_a[1:]):
        if parent in around_b:
            at = around_b.index(parent)
            other = around_b[at - 1] if at else None
            if parent.type == "if_statement":
                branches = {parent.child_by_field_name("consequence"), parent.child_by_field_name("alternative")}
                return other is not None and child != other and {child, other} == branches
            return parent.type == "switch_block" and other is not None and child != other \
                and child.type in ("switch_block_statement_group", "switch_rule") \
                and not _falls_through(child) and not _falls_through(other)
    return False


def _falls_through(case: Node) -> bool:
    """Whether a switch group's statements may go on into the next group (no break, return,
    throw or yield last); a `case ... ->` rule never does, nor the last group."""
    last = case.named_children[-1] if case.named_children else None
    return case.type == "switch_block_statement_group" and case.next_named_sibling is not None and (
        last is None or last.type not in ("break_statement", "return_statement", "throw_statement", "yield_statement"))


# --- checking generated assertions ----------------------------------------------------

_WRAP_HEAD = b"class __AssertgenCheck { void __check() {\n"
_WRAP_TAIL = b"\n} }\n"


@dataclass
class Checked:
    """Outcome of checking one candidate: the statements, or why it was rejected."""

    statements: list[str]
    reason: str | None = None            # None: accepted
    imports_needed: list[str] = field(default_factory=list)   # import lines to add
    # each name the statements call that an added import brings in -> the class declaring it
    imported: dict[str, str] = field(default_factory=dict)
    # some statement uses the test's names or classes or its focal class, or is a `fail(...)`:
    # assertions that do not were written about another class (`fill` refuses such reused ones)
    about_the_test: bool = True


@dataclass
class _Names:
    """What an assertion statement names (`_free_names`)."""

    values: list[str]
    types: list[str]
    methods: list[str]   # called without a qualifier
    bound: set[str]      # declared in it: lambda parameters, pattern variables, locals of a block lambda
    captured: set[str]   # values used inside a lambda or anonymous class of it
    # (name, member, called) of each `name.member` (False) and `name.member(...)` (True), and
    # (class, member, called) of each `new Class(...).member`
    selected: list[tuple[str, str, bool]]
    # (receiver, method, argument count, the call) of each call outside its lambdas and anonymous
    # classes; the receiver is a variable or class name (`java.nio.file.Files` too), "" for none
    # (`f()`), None for an expression (`a.b().f()`)
    called: set[tuple[str | None, str, int, Node]]
    # (first name, class) of each package-qualified class name: (java, java.util.List) of `java.util.List.of()`
    qualified: list[tuple[str, str]] = field(default_factory=list)
    # (name, argument count) of each call without a qualifier
    unqualified_calls: list[tuple[str, int]] = field(default_factory=list)
    # (name, member, argument count or None) of each `name.member(...)` and `name.member` whose
    # qualifier is a name (of a variable or of a class; not `new Account().id()`)
    named: list[tuple[str, str, int | None]] = field(default_factory=list)
    # (variable, class) of each `account.new Inner()`
    created_on: list[tuple[str, str]] = field(default_factory=list)
    # (class, argument count, inside a lambda or anonymous class, the creation) of each
    # `new Account(...)` without an anonymous class body
    creations: list[tuple[str, int, bool, Node]] = field(default_factory=list)
    # (name, method, argument count, member, called, the member's argument count or None) of each
    # `name.method(...).member`
    chained: list[tuple[str, str, int, str, bool, int | None]] = field(default_factory=list)


def _free_names(stmt: Node) -> _Names:
    """The value, type and unqualified method names a statement refers to, and those it binds.

    Names bound inside the statement (lambda parameters, pattern variables, locals and
    try-with-resources variables of a block lambda) are left out of the others, and so are
    member names after a `.` or `::` (but for `this.`).
    """
    bound: set[str] = set()
    for node in walk(stmt):
        if node.type == "lambda_expression":
            params = node.child_by_field_name("parameters")
            if params.type == "identifier":
                bound.add(text(params))
            else:
                bound.update(text(i) for i in params.named_children if i.type == "identifier")
        elif node.type in ("formal_parameter", "variable_declarator", "catch_formal_parameter", "resource"):
            bound.update(text(n) for n in [node.child_by_field_name("name")] if n is not None)
        elif node.type == "instanceof_expression" and node.named_children[-1].type == "identifier":
            bound.add(text(node.named_children[-1]))
    values, types, methods, captured, selected, called, qualified = [], [], [], set(), [], set(), []
    unqualified_calls, chained, named, created_on, creations = [], [], [], [], []
    for node in walk(stmt):
        parent = node.parent
        if node.type == "method_reference" and node.children[0].type == "identifier" \
                and node.children[-1].type == "identifier" and text(node.children[0]) not in bound:
            # `Item::getName`, `account::deposit`: a method of the class (`Item::new` names none)
            selected.append((text(node.children[0]), text(node.children[-1]), True))
        if node.type == "object_creation_expression" and _outer_instance(node) is None \
                and not any(c.type == "class_body" for c in node.children):
            creations.append((_type_name(node.child_by_field_name("type")), argument_count(node),
                              _inside_lambda(node, stmt), node))
        if node.type in ("method_invocation", "field_access"):
            member = node.child_by_field_name("name" if node.type == "method_invocation" else "field")
            qualifier = node.child_by_field_name("object")
            if qualifier is not None and qualifier.type == "identifier" and text(qualifier) not in bound:
                selected.append((text(qualifier), text(member), node.type == "method_invocation"))
                named.append((text(qualifier), text(member),
                              argument_count(node) if node.type == "method_invocation" else None))
            elif qualifier is not None and qualifier.type == "object_creation_expression" \
                    and qualifier.child_by_field_name("type") is not None and _outer_instance(qualifier) is None \
                    and not any(c.type == "class_body" for c in qualifier.children):  # an anonymous class has more
                # `new Account().id()`: a member of the class, as `Account.id` (its members are one set)
                selected.append((_type_name(qualifier.child_by_field_name("type")), text(member),
                                 node.type == "method_invocation"))
            inner = qualifier.child_by_field_name("object") if qualifier is not None \
                and qualifier.type == "method_invocation" else None
            if inner is not None and inner.type == "identifier" and text(inner) not in bound:
                is_call = node.type == "method_invocation"
                chained.append((text(inner), text(qualifier.child_by_field_name("name")), argument_count(qualifier),
                                text(member), is_call, argument_count(node) if is_call else None))
            if node.type == "method_invocation" and not _inside_lambda(node, stmt):
                receiver = "" if qualifier is None or qualifier.type == "this" \
                    else text(qualifier) if qualifier.type == "identifier" \
                    else _qualified_class(qualifier)  # `this.f()`: the test's f(); `java.nio.file.Files.f()`
                called.add((receiver, text(member), argument_count(node), node))
        if node.type == "identifier" and text(node) not in bound:
            if parent.type == "method_invocation" and parent.child_by_field_name("name") == node:
                qualifier = parent.child_by_field_name("object")
                if (qualifier is None or qualifier.type in ("this", "super")) \
                        and not _inside(node, stmt, "class_body"):  # an anonymous class's own or inherited `add(x)`
                    methods.append(text(node))  # `this.f()`: checked as the test's f()
                    unqualified_calls.append((text(node), argument_count(parent)))
            elif parent.type == "field_access" and parent.child_by_field_name("field") == node:
                if parent.child_by_field_name("object").type in ("this", "super"):
                    values.append(text(node))  # `this.foo`: the test's field foo, checked as `foo`
                continue
            elif parent.type == "method_reference" and parent.children[0] != node:
                continue
            elif parent.type == "switch_label":  # `case OPEN ->`: a constant of the switched enum, unqualified
                continue
            elif parent.type == "method_declaration" and parent.child_by_field_name("name") == node:
                continue  # a method an anonymous class of the statement declares: no name it uses
            else:
                values.append(text(node))
                qualified += _package_qualified(node)
                if _inside_lambda(node, stmt):
                    captured.add(text(node))
        elif node.type == "type_identifier":
            if parent.type == "scoped_type_identifier" and parent.named_children[0] != node:
                continue
            created = parent.parent if parent.type == "generic_type" else parent  # `a.new Inner<>()` too
            outer = _outer_instance(created) if created.child_by_field_name("type") in (node, parent) else None
            if outer is not None:  # `account.new Inner()`: a member class of account's class, no type in scope
                if outer.type == "identifier" and text(outer) not in bound:
                    selected.append((text(outer), text(node), False))
                    created_on.append((text(outer), text(node)))
                continue
            types.append(text(node))
            if parent.type == "scoped_type_identifier":  # `Outer.Nested`: a member class of Outer
                selected.append((text(node), text(parent.named_children[1]), False))
            qualified += _package_qualified(node)
    return _Names(values, types, methods, bound, captured, selected, called, qualified, unqualified_calls, named,
                  created_on, creations, chained)


def _outer_instance(node: Node) -> Node | None:
    """The outer instance of `account.new Inner()` (an inner class's creation), else None."""
    if node.type != "object_creation_expression":
        return None
    first = node.named_children[0]
    return None if first == node.child_by_field_name("type") or first.type in ("type_arguments", "annotation",
                                                                               "marker_annotation") else first


def _qualified_class(node: Node) -> str | None:
    """`java.nio.file.Files` of that field access where it reads as a package-qualified class
    (`_package_qualified`), else None."""
    first = node
    while first.type == "field_access":
        first = first.named_children[0]
    found = _package_qualified(first) if first.type == "identifier" and first != node else []
    return found[0][1] if found and found[0][1] == re.sub(r"\s+", "", text(node)) else None


def _package_qualified(node: Node) -> list[tuple[str, str]]:
    """[(com, com.acme.Item)] when the name `node` starts a dotted name that reads as a
    package-qualified class (`com.acme.Item.of(1)`, `new com.acme.Item()`): lower-case first, up
    to its first capitalised name; else []."""
    parts = [text(node)]
    while node.parent.type in ("field_access", "scoped_type_identifier") and node.parent.named_children[0] == node:
        node = node.parent
        parts.append(text(node.named_children[-1]))
    capitalised = next((i for i, part in enumerate(parts) if part[:1].isupper()), None)
    if not parts[0][:1].islower() or capitalised is None:
        return []
    return [(parts[0], ".".join(parts[:capitalised + 1]))]


def _inside_lambda(node: Node, stmt: Node) -> bool:
    """Whether `node` is in a lambda or anonymous class body of the statement `stmt`."""
    return _inside(node, stmt, "lambda_expression", "class_body")


def _inside(node: Node, stmt: Node, *types: str) -> bool:
    """Whether `node` is inside a node of one of `types` within the statement `stmt`."""
    while node != stmt:
        if node.type in types:
            return True
        node = node.parent
    return False


def _other_kind(known: frozenset[str], member: str, called: bool) -> str:
    """The hint for `items.size` or `name.length()`: the member is there, as the other kind."""
    if member_key(member, not called) not in known:
        return ""
    return f" (it has a method {member}(): call it)" if not called else f" (it has a field {member}, no method)"


_BOOLEAN_TYPES = frozenset({"boolean", "Boolean", "BooleanSupplier"})
# JUnit 4's assertEquals (assertNotEquals) has (long, long), (double, double) and (Object, Object): a primitive
# number beside a boxed one fits the first two by unboxing and the last by boxing (javac: ambiguous)
_NUMERIC_KIND = {**dict.fromkeys("byte short char int long float double".split(), "primitive"),
                 **dict.fromkeys("Byte Short Character Integer Long Float Double".split(), "boxed")}


# How many arguments library assertions take (javap of junit4 4.13.2's Assert and junit.framework.Assert,
# junit-jupiter-api 5.9.2, hamcrest 2.2, assertj-core 3.14.0; the same in JUnit 4 and 5 for these names).
# JUnit 4's and Hamcrest's assertThat compare with a matcher, `assertThat([reason,] actual, matcher)`;
# AssertJ's take the actual value and chain the check, `assertThat(x).isEqualTo(3)` (and a deprecated
# navigable form with an assert class or factory second). A model mixes the two styles: at stop 35, on
# mockito, `assertThat(mock.simpleMethod("foo")).isEqualTo("foo")` in a JUnit 4 file and
# `assertEquals(List.of(1, null).size())` (javac: no suitable method found).
_JUNIT_ARGUMENTS = {"assertEquals": {2, 3, 4}, "assertNotEquals": {2, 3, 4}, "assertArrayEquals": {2, 3, 4},
                    "assertTrue": {1, 2}, "assertFalse": {1, 2}, "assertNull": {1, 2}, "assertNotNull": {1, 2},
                    "assertSame": {2, 3}, "assertNotSame": {2, 3}, "assertThrows": {2, 3}, "fail": {0, 1}}
_MATCHER_ARGUMENTS = {"assertThat": {2, 3}}
_ARGUMENT_COUNTS = {"org.junit.Assert": _JUNIT_ARGUMENTS | _MATCHER_ARGUMENTS,
                    "org.junit.jupiter.api.Assertions": _JUNIT_ARGUMENTS | {"fail": {0, 1, 2}},
                    "junit.framework.Assert": _JUNIT_ARGUMENTS, "junit.framework.TestCase": _JUNIT_ARGUMENTS,
                    "org.hamcrest.MatcherAssert": _MATCHER_ARGUMENTS,
                    # (not AssertJ's fail: 3.14.0's takes a message first, 3.26's `fail()` none)
                    "org.assertj.core.api.Assertions": {"assertThat": {1, 2}}}


def _argument_count_error(owners: set[str], name: str, argc: int) -> str | None:
    """Why a library assertion `name` of `argc` arguments, declared by one of `owners`, cannot
    compile: none of them has one of that many arguments (an owner or name not listed may have)."""
    if not owners or any(argc in _ARGUMENT_COUNTS.get(owner, {}).get(name, {argc}) for owner in owners):
        return None
    owner = sorted(owners)[0]
    counts = " or ".join(map(str, sorted(_ARGUMENT_COUNTS[owner][name])))
    style = "" if name != "assertThat" else " (AssertJ's style, assertThat(actual).isX(...))" if argc == 1 \
        else " (a matcher's style, assertThat(actual, matcher))" if owner == "org.assertj.core.api.Assertions" else ""
    return f"{owner}.{name} takes {counts} arguments, not {argc}{style}"


def _static_owners(name: str, scope: Scope) -> set[str]:
    """The classes whose static imports in the file may bring `name` (a wildcard of a class known
    to lack it, Hamcrest's Matchers, a project class, Mockito's for an assertion, does not count)."""
    return {i.name if i.wildcard else i.name.rpartition(".")[0] for i in scope.imports
            if i.static and (i.simple == name if not i.wildcard else name in WILDCARD_MEMBERS.get(i.name, {name})
                             and not _lacks_static(i.name, name, scope))}


def _lacks_static(owner: str, name: str, scope: Scope) -> bool:
    """Whether a class the file imports the static members of (`import static OWNER.*;`) surely has
    no `name`: a project class whose members are all known, or Mockito's, which have no assertion
    (mockito at stop 35: `import static org.mockito.Mockito.*;` beside JUnit 4's Assert.*)."""
    if owner in _LIBRARY_STATIC_METHODS:
        return is_assertion_name(name) and name not in _LIBRARY_STATIC_METHODS[owner]
    cls = scope.classes(owner)
    if cls is None or class_members(cls, scope.classes) is None:
        return False
    statics = static_members(cls, scope.classes)
    return name not in statics and f"{name}()" not in statics


def _is_condition(node: Node) -> bool:
    """Whether an expression is a comparison, `!x` or `a && b`: a boolean whatever its operands."""
    operator = node.child_by_field_name("operator")
    return node.type in ("binary_expression", "unary_expression", "instanceof_expression") and (
        node.type == "instanceof_expression" or text(operator) in ("==", "!=", "<", ">", "<=", ">=", "&&", "||", "!"))


def _assertion_owners(name: str, scope: Scope) -> set[str]:
    """The classes an unqualified call of `name` (no method of the test's) may be a static method
    of: TestCase's in a JUnit 3 test, else `_imported_owners`; none where the test class inherits
    from a library (more methods than known)."""
    if _junit3_inherited(name, scope):
        return {"junit.framework.TestCase"}
    return set() if scope.inherits_from_library else _imported_owners(name, scope)


def _imported_owners(name: str, scope: Scope) -> set[str]:
    """The classes whose static imports may bring `name`, else the library class a fill would
    import it from (none if no library the file uses has it)."""
    lib = library_for(name, scope.library_hints, scope.framework)
    return _static_owners(name, scope) or ({lib.owner} if lib is not None else set())


def _junit3_inherited(name: str, scope: Scope) -> bool:
    """Whether an unqualified `name(...)` is an assertion a JUnit 3 TestCase inherits (no static
    import brings another of its name)."""
    return scope.junit3 and name in _JUNIT3 and not _static_owners(name, scope)


def _junit4_assertion(name: str, scope: Scope) -> bool:
    """Whether an unqualified call of `name` in the test is JUnit 4's `org.junit.Assert` one: its
    only static import of the name, or the one a fill would add; no method of the test's. JUnit
    3's, which a TestCase inherits, count too: the same message-first signatures and overloads."""
    if name in scope.test_methods:
        return False
    return _junit3_inherited(name, scope) or _imported_owners(name, scope) == {"org.junit.Assert"}


def _library_assertion(call: Node, scope: Scope) -> bool:
    """Whether an assertion call is an assertion library's (`Assert.assertTrue`, JUnit's or
    TestNG's statically imported or to be imported), not a helper of that name (the test class's
    own `assertTrue(Optional<?>)`, `MoreAssertions.assertFalse(...)`, imported from the project)."""
    name, receiver = text(call.child_by_field_name("name")), call.child_by_field_name("object")
    if receiver is not None:
        return any(text(receiver) in (owner, owner.rpartition(".")[2]) for owner in _BY_OWNER)
    if name in scope.test_methods:
        return False
    if _junit3_inherited(name, scope):
        return True
    owners = _imported_owners(name, scope)   # (one a fill would import is a library's)
    return bool(owners) and owners <= set(_BY_OWNER)


# JUnit 5's assertions that take either an Executable or a ThrowingSupplier
_SUPPLIER_TAKERS = frozenset({"assertDoesNotThrow", "assertTimeout", "assertTimeoutPreemptively"})
# JUnit 5's assertions that call what they are given with no argument (an Executable, a ThrowingSupplier)
_EXECUTABLE_TAKERS = frozenset({"assertThrows", "assertThrowsExactly", "assertDoesNotThrow", "assertAll",
                                "assertTimeout", "assertTimeoutPreemptively"})


# Assertions whose functional interface returns nothing (an Executable, a ThrowingRunnable, AssertJ's
# ThrowingCallable), and the lambda bodies such an interface takes: a block or a statement expression
_VOID_TAKERS = frozenset({"assertThrows", "assertThrowsExactly", "assertThatThrownBy", "assertThatCode"})
_STATEMENT_BODIES = frozenset({"block", "method_invocation", "object_creation_expression", "assignment_expression",
                               "update_expression", "parenthesized_expression"})


def _executable_argument(name: str, arguments: list[Node]) -> Node | None:
    """What a `_VOID_TAKERS` assertion calls: AssertJ's first argument, else the one after the
    exception's class (`assertThrows(E.class, () -> ..., () -> "message")`: the last lambda is
    JUnit 5's message supplier, which returns a String)."""
    if name in ("assertThatThrownBy", "assertThatCode"):
        return arguments[0] if arguments else None
    after = next((i + 1 for i, a in enumerate(arguments) if a.type == "class_literal"), len(arguments))
    return arguments[after] if after < len(arguments) else None


_ORDERING_OPERATORS = frozenset("< > <= >= - * / %".split())


_CLASS_KINDS = ("class_declaration", "enum_declaration", "record_declaration")


# What an array index may be: an int after unary numeric promotion, from these alone
_INDEX_TYPES = frozenset({"byte", "short", "char", "int", "Byte", "Short", "Character", "Integer"})


def _index_error(access: Node, bound: set[str], scope: Scope) -> str | None:
    """An array index that is surely no int: a project object, a long, a String... (joda-time's
    `MONTHS[mdt]` of a MutableDateTime, a fill javac rejected at stop 37: incompatible types)."""
    index = access.child_by_field_name("index")
    found = scope.expression_type(index, bound)
    if isinstance(found, Node) or found in _VALUE_TYPES - _INDEX_TYPES:
        return f"an array index is an int, and {text(index)} is a {class_name(found) if isinstance(found, Node) else found}"
    return None


def _operand_error(node: Node, bound: set[str], scope: Scope) -> str | None:
    """A boolean compared or computed with (`IOCase.SENSITIVE.checkEquals("A", "a") < 0` of a
    boolean checkEquals, reused from a test of a compare method), or a number or String joined
    by `&&` / `||` (javac: bad operand types for binary operator); objects of two project
    classes neither of which extends the other compared by `==` / `!=` (joda-time's `test !=
    result` of a DateTime and a MutableDateTime; javac: incomparable types). A library class
    cannot extend a project class, so the project supertypes tell whether one extends the other."""
    operator = text(node.child_by_field_name("operator"))
    operands = (node.child_by_field_name("left"), node.child_by_field_name("right"))
    types = [scope.expression_type(operand, bound) for operand in operands]
    for operand, found in zip(operands, types):
        if operator in _ORDERING_OPERATORS and found in ("boolean", "Boolean") \
                or operator in ("&&", "||") and (found in _NUMERIC_KIND or found == "String"):
            return f"{text(operand)} is of type {found}: no operand of {operator}"
    one, other = types
    if operator in ("==", "!=") and all(isinstance(t, Node) and t.type in _CLASS_KINDS for t in types) \
            and one not in [other, *project_supertypes(other, scope.classes)] \
            and other not in project_supertypes(one, scope.classes):
        return f"{operator} of a {class_name(one)} and a {class_name(other)}: neither class extends the other " \
               f"(incomparable types)"
    return None


def _type_error(stmt: Node, bound: set[str], scope: Scope) -> str | None:
    """What javac's types refuse in a statement, where `Scope.expression_type` is sure (`bound`:
    the names the statement declares itself)."""
    for node in walk(stmt):
        if node.type in ("field_access", "method_invocation"):
            found = _member_error(node, bound, scope)
        elif node.type == "binary_expression":
            found = _operand_error(node, bound, scope)
        elif node.type == "method_reference":
            found = _executable_reference_error(node, bound, scope)
        elif node.type == "array_access":
            found = _index_error(node, bound, scope)
        elif node.type == "object_creation_expression":
            found = scope.ambiguous_null_creation(node)
        else:
            continue
        if found:
            return found
        name = text(node.child_by_field_name("name")) if node.type == "method_invocation" else None
        if name is None:
            continue
        arguments = node.child_by_field_name("arguments").named_children
        types = [scope.expression_type(a, bound) for a in arguments]
        # `assertEquals("x", foo.reset())` of a void reset() (javac: 'void' type not allowed here)
        void = next((a for a, t in zip(arguments, types) if t == "void"), None)
        if void is not None:
            return f"{text(void)} returns nothing (void): it is no argument"
        # `assertThrows(E.class, () -> iter::remove)`: what assertThrows calls returns nothing, so
        # a lambda's expression there must be a statement (javac: bad return type in lambda)
        executable = _executable_argument(name, arguments) if name in _VOID_TAKERS else None
        body = executable.child_by_field_name("body") if executable is not None \
            and executable.type == "lambda_expression" else None
        if body is not None and body.type not in _STATEMENT_BODIES and _library_assertion(node, scope):
            return f"{name} calls a lambda for no value, and its body {text(body)} is no statement"
        receiver = node.child_by_field_name("object")
        owner = None if receiver is None or receiver.type == "identifier" else scope.expression_type(receiver, bound)
        wrong = scope.argument_error(node, types, owner if isinstance(owner, Node) else None) \
            or scope.ambiguous_null(node, arguments) or _not_boolean_asserted(node, bound, scope)
        if wrong:
            return wrong
        # `assertArrayEquals(h1, h2)` of two ints (javac: no suitable method found): it compares
        # arrays, and the only primitive it takes is a float or double delta, last (an int
        # widens to it: commons-math's `assertArrayEquals(origX, x, 0)`)
        scalars = [t for t in types if isinstance(t, str) and t in PRIMITIVES]
        if name == "assertArrayEquals" and _library_assertion(node, scope) \
                and (len(scalars) > 1 or scalars and (scalars[0] == "boolean" or types[-1] != scalars[0])):
            return f"assertArrayEquals compares arrays, and gets {', '.join(scalars)}"
        # two arguments are two arrays, neither a message nor a delta (commons-codec, a fill run
        # at stop 33: javac, no suitable method found for assertArrayEquals(String,char[]))
        not_arrays = [t for t in types if t is not None and t != "null" and not (isinstance(t, str) and t.endswith("[]"))]
        if name == "assertArrayEquals" and len(types) == 2 and not_arrays and _library_assertion(node, scope):
            found = not_arrays[0]
            return f"assertArrayEquals compares two arrays, and gets a {class_name(found) if isinstance(found, Node) else found}"
        # `Arrays.equals(new byte[0], hex.encodeHex(...))` of a char[] (javac: no suitable method):
        # both compare two arrays of one primitive type, or two Object[]
        arrays = [t for t in types if isinstance(t, str) and t.endswith("[]")]
        compares_arrays = name == "assertArrayEquals" and _library_assertion(node, scope) \
            or name == "equals" and text(node.child_by_field_name("object") or node) == "Arrays"
        if compares_arrays and len(arrays) == 2 and arrays[0] != arrays[1] \
                and any(a[:-2] in PRIMITIVES for a in arrays):
            return f"{'Arrays.equals' if name == 'equals' else name} compares two arrays of one type, " \
                   f"and gets a {arrays[0]} and a {arrays[1]}"
        # `assertEquals(e, e, e, e)` of four ints (javac: no suitable method found): JUnit's four
        # arguments are a delta comparison with a message, first (JUnit 4) or last (JUnit 5)
        if name in ("assertEquals", "assertNotEquals") and len(types) == 4 and _library_assertion(node, scope) \
                and all(isinstance(t, str) and t != "String" for t in (types[0], types[-1])):
            return f"{name} of four arguments takes a String message first or last, and gets {types[0]}, {types[-1]}"
        if name not in ("assertEquals", "assertNotEquals", "assertTrue", "assertFalse"):
            continue
        unequal = _never_equal(arguments, types) if name == "assertEquals" and len(arguments) == 2 \
            and _library_assertion(node, scope) else None
        if unequal:
            return unequal
        # JUnit 5's message last in a JUnit 4 test (a reused list): JUnit 4 takes it first, and no
        # overload fits `assertEquals(22, r, "rounded")` (javac: no suitable method found)
        first = None if not arguments else "boolean" if _is_condition(arguments[0]) else types[0]
        if len(arguments) >= 2 and arguments[-1].type == "string_literal" and first not in (None, "String") \
                and node.child_by_field_name("object") is None and _junit4_assertion(name, scope):
            return f"JUnit 4's {name} takes the message first, not last"
        if name in ("assertEquals", "assertNotEquals") and node.child_by_field_name("object") is None \
                and _junit4_assertion(name, scope):
            compared = types[1:] if len(types) == 3 and types[0] == "String" else types
            # (JUnit 4 has no assertNotEquals(double, double): a float or double fits Object's alone)
            floating = name == "assertNotEquals" and bool(set(compared) & {"float", "double", "Float", "Double"})
            if len(compared) == 2 and not floating \
                    and {_NUMERIC_KIND.get(t) if isinstance(t, str) else None for t in compared} == {"primitive", "boxed"}:
                return (f"{name} of a {compared[0]} and a {compared[1]} is ambiguous in JUnit 4 "
                        f"({name}(long, long) and {name}(Object, Object) both fit)")
        # `assertTrue(account.balance())` of an int: incompatible types (with a message, neither
        # argument is a boolean); a project class may be a BooleanSupplier (unless its supertypes
        # are known), a JDK class unknown here a Supplier of the message
        if name in ("assertTrue", "assertFalse") and types and _library_assertion(node, scope) \
                and all(t not in _BOOLEAN_TYPES if isinstance(t, str) else _never_boolean(t, scope) for t in types):
            written = [class_name(t) if isinstance(t, Node) else t for t in types]
            return f"{name} takes a boolean, and gets {', '.join(written)}"
    return None


def _not_boolean_asserted(call: Node, bound: set[str], scope: Scope) -> str | None:
    """AssertJ's `assertThat(x).isTrue()` (isFalse) of an x that is surely no boolean: only its
    boolean asserts have them (mockito at stop 35, `assertThat(mock.simpleMethod()).isTrue()` of a
    String; javac: cannot find symbol)."""
    name, receiver = text(call.child_by_field_name("name")), call.child_by_field_name("object")
    if name not in ("isTrue", "isFalse") or receiver is None or receiver.type != "method_invocation" \
            or not _is_assertj_assert_that(receiver, scope):
        return None
    checked = receiver.child_by_field_name("arguments").named_children
    found = scope.expression_type(checked[0], bound) if len(checked) == 1 and not _is_condition(checked[0]) else None
    surely_not = found not in _BOOLEAN_TYPES | {"AtomicBoolean"} if isinstance(found, str) \
        else found is not None and _never_boolean(found, scope)
    if not surely_not:
        return None
    return f"AssertJ's {name}() asserts a boolean, and assertThat gets {class_name(found) if isinstance(found, Node) else found}"


def _is_assertj_assert_that(call: Node, scope: Scope) -> bool:
    """Whether a call is AssertJ's assertThat: `Assertions.assertThat(...)`, or an unqualified one
    statically imported from AssertJ alone or that a fill would import from it."""
    if text(call.child_by_field_name("name")) != "assertThat" or not _library_assertion(call, scope):
        return False
    receiver = call.child_by_field_name("object")
    if receiver is not None:
        return text(receiver) in ("Assertions", "org.assertj.core.api.Assertions")
    return _imported_owners("assertThat", scope) == {"org.assertj.core.api.Assertions"}


def _value_kind(found: Node | str | None) -> str | None:
    """What a value of a type `expression_type` gives can equal: a text, a truth value, a number
    (a char is one: JUnit compares it as a long), an object of a project class; None if unsure."""
    if isinstance(found, Node):
        return "project"
    if isinstance(found, str) and found.endswith("[]"):
        return "array"
    if found == "String":
        return "text"
    if found in ("boolean", "Boolean"):
        return "truth"
    return "number" if found in _NUMERIC_KIND else None


def _never_equal(arguments: list[Node], types: list) -> str | None:
    """Why `assertEquals(literal, actual)` fails on every run: a literal's value (an Integer, a
    String, a Boolean, a Character) equals only one of its kind, and the other argument never is
    one (the model's `assertEquals(2, registry)` of a project class, `assertEquals("1", count)`).
    An array equals no String, number or truth value whether written or not (commons-codec's
    `assertEquals("0a", Hex.encodeHex(...))` of a char[], run at stop 33: fails)."""
    for literal, other in ((0, 1), (1, 0)):
        kinds = {_value_kind(types[literal]), _value_kind(types[other])}
        if arguments[literal].type not in _LITERAL_TYPES and not ("array" in kinds and "project" not in kinds):
            continue
        if None not in kinds and len(kinds) == 2:
            found = types[other]
            written = class_name(found) if isinstance(found, Node) else found
            return f"assertEquals of {text(arguments[literal])} and {text(arguments[other])} (a {written}) " \
                   f"fails on every run: they are never equal"
    return None


def _never_boolean(cls: Node | None, scope: Scope) -> bool:
    """Whether a value of the project class is surely no boolean to `assertTrue`: its supertypes are
    all known and none is a BooleanSupplier."""
    members = None if cls is None else class_members(cls, scope.classes)
    return members is not None and "getAsBoolean()" not in members


def _member_error(node: Node, bound: set[str], scope: Scope) -> str | None:
    """Why `receiver.member` is a javac error where the name checks do not follow the receiver
    (an array's element, a field, a chain of project methods): a primitive has no member
    (`account.fee.length` of an int: cannot be dereferenced), a known type lacks it."""
    receiver = node.child_by_field_name("object")
    if receiver is None or receiver.type not in ("array_access", "field_access", "method_invocation", "string_literal",
                                                 "parenthesized_expression", "cast_expression", "object_creation_expression"):
        return None
    called = node.type == "method_invocation"
    member = text(node.child_by_field_name("name" if called else "field"))
    resolved = scope.expression_type(receiver, bound)
    if resolved in PRIMITIVES:
        return f"{text(receiver)} is a primitive {resolved}: it has no member {member!r} (cannot be dereferenced)"
    if resolved == "void":
        return f"{text(receiver)} returns void: it has no member {member!r} (cannot be dereferenced)"
    known = scope.members_of_type(resolved)
    if known is not None and member_key(member, called) not in known:
        return f"what {text(receiver)} holds has no member {member!r}" + _other_kind(known, member, called)
    argc = argument_count(node) if called else None
    # commons-csv's `CSVFormat.DEFAULT.withCommentMarker()` of a withCommentMarker(char)
    if called and isinstance(resolved, Node) and not scope.class_takes(resolved, member, argc):
        return f"no method {member!r} of what {text(receiver)} holds ({class_name(resolved)}) takes {argc} argument(s)"
    if not isinstance(resolved, str) or resolved not in JDK_CLASSES:
        return None
    if called and not _jdk_takes(resolved, member, argc):
        return f"no method {member!r} of what {text(receiver)} holds ({resolved}) takes {argc} argument(s)"
    return scope.too_new_in(resolved, member, called, argc)  # `names.stream().toList()` on Java 11


def _executable_reference_error(node: Node, bound: set[str], scope: Scope) -> str | None:
    """`assertThrows(E.class, account::deposit)` of a deposit(int): what JUnit calls with no
    argument gets a method that takes some (javac: no suitable method found)."""
    taker = node.parent.parent if node.parent.type == "argument_list" else None
    if taker is None or taker.type != "method_invocation" \
            or text(taker.child_by_field_name("name")) not in _EXECUTABLE_TAKERS:
        return None
    variable, method = node.children[0], node.children[-1]
    if variable.type != "identifier" or text(variable) not in scope.values - bound or method.type != "identifier":
        return None
    taker_name = text(taker.child_by_field_name("name"))
    if not scope.takes(text(variable), text(method), 0):
        return f"{text(node)} takes arguments, and {taker_name} calls it with none"
    # JUnit 5 takes an Executable or a ThrowingSupplier there: a reference to an overloaded or
    # varargs method fits both (javac: reference to assertDoesNotThrow is ambiguous)
    cls = scope._project_class(text(variable)) if taker_name in _SUPPLIER_TAKERS else None
    overloads = [] if cls is None else [m for owner in [cls, *project_supertypes(cls, scope.classes)]
                                        for m in _methods_named(owner, text(method))]
    signatures = {(parameter_count(m), _parameter_types(m)) for m in overloads}  # (an override is the same one)
    if len(signatures) > 1 or any(parameter_count(m)[1] for m in overloads):
        return f"{text(node)} names an overloaded or varargs method: {taker_name}'s overloads both fit (ambiguous)"
    return None


def _newer_than_level(names: _Names, scope: Scope, packages: set[str], class_names: list[str]) -> str | None:
    """Why a JDK class or member the statement names is newer than the project's Java level
    (`Scope.too_new`): its classes (`class_names`, package-qualified ones), the members of
    variables and classes (`items.getFirst()`, `Math.clamp(a, 0, 3)`, `String::strip`)."""
    if scope.java_level is None:
        return None
    found = [scope.too_new(name) for name in class_names]
    found += [scope.too_new(qualified) for first, qualified in names.qualified if first in packages]
    found += [scope.too_new(name, member, argc is not None, argc) for name, member, argc in names.named]
    found += [scope.too_new(name, member, called) for name, member, called in names.selected]
    found += [scope.too_new(receiver, method, True, argc) for receiver, method, argc, _ in names.called
              if receiver and "." in receiver]  # `java.nio.file.Files.readString(p)`
    return next(filter(None, found), None)


# Calls that give the same value each time (getters, sizes): with nothing between two
# assertions, an assertion repeated checks nothing more, and two values asserted for one
# such expression cannot both hold
_PURE_CALLS = frozenset({"size", "length", "isEmpty", "toString", "hashCode", "equals", "getClass", "contains",
                         "name", "ordinal", "exists"})
_PURE_PREFIXES = ("get", "is", "has")
_MUTATING = frozenset({"object_creation_expression", "array_creation_expression", "assignment_expression",
                       "update_expression", "lambda_expression", "method_reference"})


def _pure(node: Node) -> bool:
    """Whether an expression (an assertion: its arguments) gives the same value each time
    (`_PURE_CALLS`, getters: not `it.next()`, `stream.read()`, `counter.getAndIncrement()`)."""
    for part in walk(node):
        if part.type in _MUTATING:
            return False
        if part.type == "method_invocation":
            name = text(part.child_by_field_name("name"))
            if name not in _PURE_CALLS and not is_assertion_name(name) \
                    and not (name.startswith(_PURE_PREFIXES) and not name.startswith("getAnd")):
                return False
    return True


def _repeats(statements: list[Node]) -> set[int]:
    """Positions of assertions that repeat an earlier one of the same place word for word and
    check nothing more: a pure one (`assertNotNull(p); assertNotNull(p);`), or a `fail(...)`
    after which nothing runs. The model writes such runs (`assertEquals("a", doc.toString())`
    four times); `assertEquals(0, stream.read())` twice reads two bytes and stays."""
    seen, repeats = set(), set()
    for i, statement in enumerate(statements):
        written = re.sub(r"\s+", "", text(statement))
        if written in seen and (_is_fail(statement) or _pure(statement)):
            repeats.add(i)
        seen.add(written)
    return repeats


# What an assertion says of its one checked argument, for `_contradiction`
_CLAIMS = {"assertTrue": "true", "assertFalse": "false", "assertNull": "null", "assertNotNull": "not null"}
_OPPOSITE = {"true": "false", "false": "true", "null": "not null", "not null": "null"}


def _contradiction(statements: list[Node]) -> str | None:
    """Why assertions at one place cannot all pass: two two-argument `assertEquals` of one pure
    expression and two different literals (`assertEquals(0, result.size()); assertEquals(1,
    result.size());`, which the model writes), or one pure expression asserted true and false,
    null and not null (a reused `assertTrue(dir.exists()); assertFalse(dir.exists(), "Check No
    Exist");` whose neighbour deleted the directory between them: commons-io, run at stop 33)."""
    asserted: dict[str, Node] = {}
    claimed: dict[str, str] = {}
    for statement in statements:
        call = statement.named_children[0] if statement.named_children else None
        if call is None or call.type != "method_invocation":
            continue
        name = text(call.child_by_field_name("name"))
        arguments = call.child_by_field_name("arguments").named_children
        if name in _CLAIMS and arguments:
            # the checked argument: the only one, or the one beside a message (JUnit 4 first, 5 last)
            checked = [a for a in arguments if a.type != "string_literal"] if len(arguments) == 2 else arguments
            if len(checked) == 1 and _pure(checked[0]):
                key = re.sub(r"\s+", "", text(checked[0]))
                if claimed.setdefault(key, _CLAIMS[name]) == _OPPOSITE[_CLAIMS[name]]:
                    return f"asserts {text(checked[0])} is both {claimed[key]} and {_CLAIMS[name]}: one of them fails"
            continue
        if name != "assertEquals":
            continue
        # (not floating-point literals: `1.0` and `1.00` are one value)
        literals = [a for a in arguments if a.type in _LITERAL_TYPES and "floating" not in a.type]
        if len(arguments) != 2 or len(literals) != 1:
            continue
        other = arguments[1] if literals[0] is arguments[0] else arguments[0]
        if not _pure(other):
            continue
        key = re.sub(r"\s+", "", text(other))
        earlier = asserted.setdefault(key, literals[0])
        if earlier.type == literals[0].type and text(earlier).rstrip("lL") != text(literals[0]).rstrip("lL"):
            return f"asserts {text(other)} equals both {text(earlier)} and {text(literals[0])}: one of them fails"
    return None


def check_candidate(output: list[str], scope: Scope) -> Checked:
    """Accept a candidate (one model output, as statements) or say why not.

    Accepted when the statements parse as Java (no ERROR/MISSING node), each is an
    assertion statement that uses a name of the test or a type beyond java.lang (or is a
    `fail(...)`), every name they use is visible in the test, and each unqualified
    assertion method is visible or importable from a library the file uses. Beyond names,
    what javac would reject for sure: a lambda parameter that redeclares a local, a lambda
    that uses a local that is not effectively final, a member a project class does not have,
    a call outside a lambda of a focal method that throws what the test does not declare, a
    call of a test class's method (which hides a static import of its name) with an argument
    count none of its overloads takes.
    """
    if not output:
        return Checked(output, "empty output")
    src = "\n".join(output).encode("utf-8")
    tree = parse(_WRAP_HEAD + src + _WRAP_TAIL)
    if tree.root_node.has_error:
        return Checked(output, "does not parse as Java statements")
    block = tree.root_node.named_children[0].child_by_field_name("body") \
        .named_children[0].child_by_field_name("body")
    if block.end_byte != len(_WRAP_HEAD) + len(src) + 2:  # `}` in the output closed the method early
        return Checked(output, "not a sequence of statements")
    statements = statements_of(block)
    if not statements or not all(is_assertion_statement(s) for s in statements):
        return Checked(output, "not an assertion statement")
    repeats = _repeats(statements)
    if repeats and len(output) == len(statements):  # (one statement a line: the lines to drop are theirs)
        output = [line for i, line in enumerate(output) if i not in repeats]
        statements = [s for i, s in enumerate(statements) if i not in repeats]
    contradiction = _contradiction(statements)
    if contradiction:
        return Checked(output, contradiction)
    bad_literal = literal_error(block)  # `"\d+"`, `10000000000`: tree-sitter lets them through
    if bad_literal:
        return Checked(output, bad_literal)
    if scope.unconditional and any(_is_fail(s) for s in statements):
        return Checked(output, "fail(...) where it runs every time: the test would always fail")
    imported: dict[str, str] = {}
    about_the_test = False   # (some statement uses the test's names or classes, its focal class, or is a fail)
    for stmt in statements:
        names = _free_names(stmt)
        values, types, methods = names.values, names.types, names.methods
        clashes = sorted(names.bound & scope.locals)
        if clashes:
            return Checked(output, f"redeclares the local {clashes[0]!r}")
        changing = sorted(names.captured & scope.reassigned | set(values) & scope.captured_at_point)
        if changing:
            return Checked(output, f"a lambda uses the local {changing[0]!r}, which is not effectively final")
        for name, member, called in names.selected:
            known = scope.members_of(name)
            if known is not None and member_key(member, called) not in known and member not in ("this", "super"):
                return Checked(output, f"{name!r} has no member {member!r}" + _other_kind(known, member, called))
            denied = scope.denied_access(name, member, called)
            if denied:
                return Checked(output, f"{name}.{member} {denied}")
        for name, member, argc in names.named:
            statics, imported_class = scope.static_members_of(name), scope.imported_class(name)
            if statics is not None and member_key(member, argc is not None) not in statics \
                    and member not in ("this", "super"):
                return Checked(output, f"{imported_class} has no {member!r}" if imported_class in _WHOLE_API
                               else f"{name}.{member} is no static member: {name} names a class, no instance")
            if member in _NOT_ASSERTJ and imported_class == "org.assertj.core.api.Assertions":
                return Checked(output, f"AssertJ's Assertions has no {member!r} (JUnit's has)")
            if argc is not None and not scope.takes(name, member, argc):
                return Checked(output, f"no method {member!r} of {name!r} takes {argc} argument(s)")
            if argc is not None:   # a library assertion's argument count (of an import, or the one the fill would add)
                owner = imported_class or (scope.assertion_class_to_import(name, [member])
                                           if name not in scope.values and name not in scope.types else None)
                miscounted = _argument_count_error({owner} if owner else set(), member, argc)
                if miscounted:
                    return Checked(output, miscounted)
            interface = None if argc is None else scope.static_interface_call(name, member, argc)
            if interface:
                return Checked(output, f"{name}.{member}(...) calls a static method of the interface {interface} through "
                               f"an instance (illegal static interface method call: {interface}.{member}(...))")
        for type_name, argc, _, _ in names.creations:
            refused = scope.creation_error(type_name, argc)
            if refused:
                return Checked(output, f"new {type_name}(...): {refused}")
        for name, member in names.created_on:
            if scope.is_static_member_class(name, member):
                return Checked(output, f"{name}.new {member}(): {member} is a static member class (new Outer.{member}())")
        for name, method, argc, member, called, member_argc in names.chained:
            returned = scope.returned(name, method, argc)
            known = scope.members_of_type(returned)   # (`account.item().nme()`: javac, cannot find symbol)
            if known is not None and member_key(member, called) not in known:
                return Checked(output, f"what {name}.{method}(...) returns has no member {member!r}"
                               + _other_kind(known, member, called))
            # jsoup's `con.request().cookie()` of a `cookie(String)` (javac: no suitable method)
            if called and isinstance(returned, Node) and not scope.class_takes(returned, member, member_argc):
                return Checked(output, f"no method {member!r} of what {name}.{method}(...) returns takes "
                               f"{member_argc} argument(s)")
            denied = scope.denied_access_on_returned(returned, member, called)
            if denied:
                return Checked(output, f"{name}.{method}(...).{member} {denied}")
        wrong_type = _type_error(stmt, names.bound, scope) or self_comparison(stmt)
        if wrong_type:
            return Checked(output, wrong_type)
        throwing = sorted(method for receiver, method, argc, call in names.called if scope.may_throw(
            receiver, method, argc, lambda: scope.argument_types(call.child_by_field_name("arguments"), names.bound),
            lambda: scope.expression_type(call.child_by_field_name("object"), names.bound)))
        throwing += [f"new {type_name}" for type_name, argc, in_lambda, creation in names.creations
                     if not in_lambda and scope.may_throw(type_name, NEW, argc, lambda: scope.argument_types(
                         creation.child_by_field_name("arguments"), names.bound))]
        if throwing:
            return Checked(output, f"calls {throwing[0]!r}, which throws a checked exception the test does not declare")
        # A package-qualified class (`java.util.List.of()`, `new com.acme.model.Item()`: two classes
        # of one name) whose first name is no variable of the test (one would hide the package)
        # must be one the JDK list or the project has; its package is no name to check.
        packages = {first for first, _ in names.qualified if first not in scope.values}
        for first, qualified in names.qualified:  # (of a library's package, `org.joda.money.Money`, any class may be)
            if first in packages and scope.knows_package(qualified.rpartition(".")[0]) and not scope.knows_class(qualified):
                return Checked(output, f"unknown type {qualified!r}")
        values = [v for v in values if v not in packages]
        types = [t for t in types if t not in packages]
        too_new = _newer_than_level(names, scope, packages, types + [v for v in values if v not in scope.values])
        if too_new:
            return Checked(output, too_new)
        # An assertion that uses nothing of the test (`assertTrue(new StringBuilder().isEmpty())`)
        # cannot check the code under test; `fail(...)` is the exception (expected throws).
        uses_test_value = any(v in scope.values for v in values) \
            or any(m in scope.test_methods or m in scope.project_statics for m in methods)
        other_types = types + [v for v in values if v not in scope.values]  # `Math` in Math.abs
        other_types += [q.rsplit(".", 1)[1] for first, q in names.qualified if first in packages]
        # (a project's class named as one of java.lang's, `Process`, `Module`, hides it: the test's)
        if not uses_test_value and all(t in JAVA_LANG and scope.classes(t) is None for t in other_types) \
                and methods[:1] != ["fail"]:
            return Checked(output, "uses nothing from the test")
        about_the_test |= uses_test_value or methods[:1] == ["fail"] \
            or any(t == scope.focal or t in scope.file_types for t in other_types) \
            or any(type_name == scope.focal or type_name in scope.file_types for type_name, *_ in names.creations)
        for name in dict.fromkeys(values):
            if name not in scope.values and name not in scope.types and not scope.inherits_from_library \
                    and not scope.from_library_wildcard(name):
                owner = scope.assertion_class_to_import(name, [m for n, m, argc in names.named if n == name])
                if owner is None:
                    return Checked(output, f"unknown name {name!r}")
                imported[name] = owner  # (an import of the class: `import org.junit.Assert;`)
        for name in types:
            if name not in scope.types and not scope.inherits_from_library and not scope.from_library_wildcard(name):
                return Checked(output, f"unknown type {name!r}")
        for name, argc in names.unqualified_calls:
            overloads = scope.test_methods.get(name)
            if overloads and not any(takes_arguments(parameter_count(m), argc) for m in overloads):
                return Checked(output, f"no method {name!r} of the test class takes {argc} argument(s)")
            if name not in scope.test_methods:
                miscounted = _argument_count_error(_assertion_owners(name, scope), name, argc)
                if miscounted:
                    return Checked(output, miscounted)
        # the test class's own Object methods (commons-io's `getClass().getResource(name)`), where
        # the argument count fits (`toString(arr)` is no Arrays.toString: Object's hides it)
        object_calls = {name for name, argc in names.unqualified_calls
                        if f"{name}()" in OBJECT_MEMBERS and _jdk_takes("Object", name, argc)}
        for name in methods:
            if name in scope.methods or name in object_calls:
                continue
            lib = library_for(name, scope.library_hints, scope.framework) if is_assertion_name(name) else None
            if lib is None:
                if scope.inherits_from_library or scope.from_library_wildcard(name, called=True):
                    continue
                return Checked(output, f"unknown method {name!r}")
            imported[name] = lib.owner
    lines = import_lines(imported, scope.imports)
    return Checked(output, None, list(dict.fromkeys(lines.values())), imported, about_the_test or scope.focal is None)
