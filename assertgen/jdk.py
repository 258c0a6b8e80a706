"""What `assertgen fill`'s checks know of the JDK: the classes a test may name without their
package (java.lang's) or with a wildcard import (`import java.util.*;`), each class's
superclass, interfaces and members, which exceptions are unchecked, which checked exceptions a method or
constructor declares, and the Java release that brought a class or member.

The facts come from `jdk_index.txt.gz` (and the names of every java.* and javax.* package's classes
from `jdk_packages.txt.gz`), asked of Java 17 and Java 25 by reflection and
merged, each class and member marked with the release that brought it where that is after 8
(as Java 25's `javac --release N` lists each release's API); `benchmarks/scripts/jdk_index.py`
writes it and tells its format; a test checks it against the JDK it finds. Written here is only
what reflection does not tell: arrays, primitives, an enum's `values()`.
"""

from __future__ import annotations

import gzip
from importlib import resources
from typing import NamedTuple


NEW = "<new>"  # the name the index gives a class's constructors (`<new>/1`: one of one parameter)

Arity = tuple[int, bool]  # (parameter count, whether varargs), as `java_source.parameter_count`


# The oldest release the index tells: a class or member marked 8 may be older, so a project
# building for Java 7 or before is judged as if it built for 8.
OLDEST_RELEASE = 8


class JdkClass(NamedTuple):
    superclass: str          # simple name; "-" for an interface (and Object)
    # public methods (written `name()`) and fields (constants too), inherited ones, member classes
    members: frozenset[str]
    statics: frozenset[str]  # of those, what `Class.member` may name: static fields and methods, member classes
    # each public method's overloads (and its constructors' under NEW)
    arities: dict[str, frozenset[Arity]]
    # the checked exceptions (simple names) every overload of a method (or NEW) of an arity declares, where any
    throws: dict[str, dict[Arity, frozenset[str]]]
    # the type (simple name, `int`, `String[]`) every overload of a method of an arity returns, where sure
    returns: dict[tuple[str, Arity], str]
    # where a method's (or NEW's) overloads of an arity differ in the checked exceptions they
    # declare: each one's parameter types (simple names) and those exceptions
    overload_throws: dict[str, dict[Arity, list[tuple[tuple[str, ...], frozenset[str]]]]]
    release: int             # the Java release that brought the class (8 for 8 or older)
    # the release that brought a member (`getFirst()`) or (method name, arity), where later than the class
    since: dict[str | tuple[str, Arity], int]
    # every interface it implements (an interface: extends), its supertypes' too, simple names (`Map.Entry`)
    interfaces: frozenset[str]

    def release_of(self, member: str, overloads: list[Arity] | None = None) -> int:
        """The Java release that brought a member (`name()` for a method), or of the method's
        `overloads` (of its arities) the first to come."""
        member_release = self.since.get(member, self.release)
        if not overloads:
            return member_release
        name = member[:-2]
        return min(self.since.get((name, arity), member_release) for arity in overloads)


def index_sections(line: str) -> list[list[str]]:
    """The words of an index line's three parts, split at its `|` words (a part may be empty)."""
    parts: list[list[str]] = [[]]
    for word in line.split():
        if word == "|":
            parts.append([])
        else:
            parts[-1].append(word)
    return parts


def index_word(word: str) -> tuple[str, int | None, frozenset[str]]:
    """(the name, the release after `@` or None, the exceptions after `!`) of an index word:
    `getFirst()@21`, `readString/1@11!IOException`."""
    word, _, thrown = word.partition("!")
    word, _, release = word.partition("@")
    return word, int(release) if release else None, frozenset(thrown.split(",")) if thrown else frozenset()


def split_return(word: str) -> tuple[str, str | None]:
    """`size/0:int` -> ("size/0", "int"); an arity without a sure return type -> (it, None)."""
    word, _, returned = word.partition(":")
    return word, returned or None


def _arity(word: str) -> tuple[str, Arity]:
    """`format/2+` (format(String, Object...)) -> ("format", (2, True))."""
    method, _, count = word.partition("/")
    return method, (int(count.rstrip("+")), count.endswith("+"))


def _class_of_line(line: str) -> tuple[str, str, JdkClass]:
    """(package, simple name, the class) of an index line."""
    words, statics, arity_words, overload_words, interfaces = index_sections(line)
    name, release, _ = index_word(words[1])
    members: set[str] = set()
    arities: dict[str, frozenset[Arity]] = {}
    throws: dict[str, dict[Arity, frozenset[str]]] = {}
    returns: dict[tuple[str, Arity], str] = {}
    since: dict[str | tuple[str, Arity], int] = {}
    for word in words[3:]:
        member, member_release, _ = index_word(word)
        members.add(member)
        if member_release:
            since[member] = member_release
    for word in arity_words:
        key, arity_release, thrown = index_word(word)
        key, returned = split_return(key)
        method, arity = _arity(key)
        if returned:
            returns[(method, arity)] = returned
        arities[method] = arities.get(method, frozenset()) | {arity}
        if thrown:
            throws.setdefault(method, {})[arity] = thrown
        if arity_release:
            since[(method, arity)] = arity_release
    overload_throws: dict[str, dict[Arity, list[tuple[tuple[str, ...], frozenset[str]]]]] = {}
    for word in overload_words:  # `getBytes/1=String!UnsupportedEncodingException`
        key, _, thrown = index_word(word)
        key, _, params = key.partition("=")
        method, arity = _arity(key)
        overload_throws.setdefault(method, {}).setdefault(arity, []).append((tuple(params.split(",")), thrown))
    cls = JdkClass(words[2], frozenset(members), frozenset(statics), arities, throws, returns, overload_throws,
                   release or 8, since, frozenset(interfaces))
    return words[0], name, cls


def _merged(one: JdkClass, other: JdkClass) -> JdkClass:
    """Two classes of one simple name (java.util.Date, java.sql.Date), as a name that may mean either:
    either's members and interfaces count; what both declare to throw and both return (no
    overload's own exceptions); the older release, none of a member; the later's superclass
    (java.sql.Date's is Date itself)."""
    arities = {m: one.arities.get(m, frozenset()) | other.arities.get(m, frozenset())
               for m in {*one.arities, *other.arities}}
    throws = {m: {arity: thrown & other.throws[m].get(arity, frozenset()) for arity, thrown in by_arity.items()}
              for m, by_arity in one.throws.items() if m in other.throws}
    throws = {m: {a: t for a, t in by_arity.items() if t} for m, by_arity in throws.items()}
    returns = {key: returned for key, returned in one.returns.items() if other.returns.get(key) == returned}
    return JdkClass(other.superclass, one.members | other.members, one.statics | other.statics, arities,
                    {m: by_arity for m, by_arity in throws.items() if by_arity}, returns, {},
                    min(one.release, other.release), {}, one.interfaces | other.interfaces)


def _data_lines(name: str) -> list[str]:
    """The lines of one of the package's gzipped data files."""
    with resources.files("assertgen").joinpath(name).open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        return lines.readlines()


def _read_index() -> tuple[dict[str, frozenset[str]], dict[str, JdkClass]]:
    """({package: its classes}, {simple name: the class}); two classes of one simple name are merged."""
    packages: dict[str, set[str]] = {}
    classes: dict[str, JdkClass] = {}
    for line in _data_lines("jdk_index.txt.gz"):
        package, name, cls = _class_of_line(line)
        packages.setdefault(package, set()).add(name)
        classes[name] = _merged(classes[name], cls) if name in classes else cls
    return {package: frozenset(names) for package, names in packages.items()}, classes


def read_packages(lines) -> dict[str, frozenset[str]]:
    """{package: its classes} of `PACKAGE NAME ...` lines (`jdk_packages.txt.gz`, a JDK's answer)."""
    return {package: frozenset(names) for package, *names in map(str.split, lines)}


JDK_PACKAGE_TYPES, JDK_CLASSES = _read_index()
# Every JDK package a test may import, with the names of its classes: those the index tells more
# of (JDK_PACKAGE_TYPES) and the others (`java.util.logging`, `java.awt`, `javax.swing`)
JDK_PACKAGE_NAMES = {**read_packages(_data_lines("jdk_packages.txt.gz")), **JDK_PACKAGE_TYPES}


def _packages_of() -> dict[str, list[str]]:
    """{simple name: the packages of the index with a class of that name}."""
    found: dict[str, list[str]] = {}
    for package, names in JDK_PACKAGE_TYPES.items():
        for name in names:
            found.setdefault(name, []).append(package)
    return found


_PACKAGES_OF = _packages_of()


def qualified_name(name: str) -> str | None:
    """`java.util.stream.Stream` of `Stream`: the one class of that simple name the index lists;
    None for none, or two (java.util.Date, java.sql.Date)."""
    packages = _PACKAGES_OF.get(name, [])
    return f"{packages[0]}.{name}" if len(packages) == 1 else None

# java.lang's classes: a generated assertion may use them without an import (unless a class
# of the project of that name hides one, see `Scope.classes`).
JAVA_LANG = JDK_PACKAGE_TYPES["java.lang"]

# Members every class, interface and enum has; those an enum has besides (`values()` is
# written by javac into each enum, so reflection on Enum does not show it).
OBJECT_MEMBERS = JDK_CLASSES["Object"].members
ENUM_MEMBERS = JDK_CLASSES["Enum"].members | {"values()"}
ENUM_STATICS = JDK_CLASSES["Enum"].statics | {"values()"}
ARRAY_MEMBERS = OBJECT_MEMBERS | {"length", "clone()"}
PRIMITIVES = frozenset("boolean byte char short int long float double".split())  # they have none


def is_interface(name: str) -> bool:
    """Whether the JDK class is an interface (the index writes no superclass for one, nor for Object)."""
    return name in JDK_CLASSES and JDK_CLASSES[name].superclass == "-" and name != "Object"


def superclass_of(name: str) -> str | None:
    """The JDK class's superclass (simple name), or None for one not in the index or without one."""
    cls = JDK_CLASSES.get(name)
    return None if cls is None or cls.superclass == "-" else cls.superclass


def surely_not_passed_as(value: str, parameter: str) -> bool:
    """Whether a value of the JDK type `value` surely cannot be passed for a parameter of the JDK
    type `parameter` (simple names, each of one package of the index): the parameter is none of
    the value's type's superclasses and interfaces (a File for a LinkOption, an Iterator for an
    Iterable). Not judged where its superclasses lead out of the index or to a name of two
    packages (java.sql.Time's Date)."""
    if parameter == "Object" or None in (qualified_name(value), qualified_name(parameter)):
        return False
    if is_interface(parameter):  # (reflection listed every interface of the class and its superclasses)
        return value != parameter and parameter not in JDK_CLASSES[value].interfaces
    name = value
    while name != parameter:
        if name == "-":   # (past Object, or an interface's)
            return True
        if qualified_name(name) is None:
            return False
        name = JDK_CLASSES[name].superclass
    return False


def _unchecked(name: str) -> bool:
    while name is not None and name not in ("RuntimeException", "Error"):
        name = superclass_of(name)
    return name is not None


# The JDK's exceptions a method may throw without the caller declaring them (RuntimeException's
# and Error's): any other exception a focal method declares counts as checked, unless it is a
# project's class extending one (`checks._is_unchecked`).
UNCHECKED_EXCEPTIONS = frozenset(name for name in JDK_CLASSES if _unchecked(name))
