"""What `assertgen fill`'s checks know of the JDK: the classes a test may name without their
package (java.lang's) or with a wildcard import (`import java.util.*;`), each class's
superclass and members, and which exceptions are unchecked.

The facts come from `jdk_index.txt.gz`, asked of Java 17 and Java 25 by reflection and
merged (`benchmarks/scripts/jdk_index.py` writes it; a test checks it against the JDK it
finds). Written here is only what reflection does not tell: arrays, primitives, an enum's
`values()`.
"""

from __future__ import annotations

import gzip
from importlib import resources
from typing import NamedTuple


class JdkClass(NamedTuple):
    superclass: str          # simple name; "-" for an interface (and Object)
    # public methods (written `name()`) and fields (constants too), inherited ones, member classes
    members: frozenset[str]
    statics: frozenset[str]  # of those, what `Class.member` may name: static fields and methods, member classes
    # each public method's overloads: (parameter count, whether varargs), as `java_source.parameter_count`
    arities: dict[str, frozenset[tuple[int, bool]]]


def index_sections(line: str) -> list[list[str]]:
    """The words of an index line's three parts, split at its `|` words (a part may be empty)."""
    parts: list[list[str]] = [[]]
    for word in line.split():
        if word == "|":
            parts.append([])
        else:
            parts[-1].append(word)
    return parts


def _read_index() -> tuple[dict[str, frozenset[str]], dict[str, JdkClass]]:
    """({package: its classes}, {simple name: the class}); two classes of one simple name
    (java.util.Date, java.sql.Date) are merged, so either's members count."""
    packages: dict[str, set[str]] = {}
    classes: dict[str, JdkClass] = {}
    with resources.files("assertgen").joinpath("jdk_index.txt.gz").open("rb") as raw, \
            gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            words, statics, arities = index_sections(line)
            package, name, superclass = words[:3]
            packages.setdefault(package, set()).add(name)
            known = classes.get(name, JdkClass(superclass, frozenset(), frozenset(), {}))
            overloads = dict(known.arities)
            for arity in arities:  # `format/2+`: format(String, Object...)
                method, _, count = arity.partition("/")
                overloads[method] = overloads.get(method, frozenset()) | {(int(count.rstrip("+")), count.endswith("+"))}
            classes[name] = JdkClass(superclass, known.members | frozenset(words[3:]),
                                     known.statics | frozenset(statics), overloads)
    return {package: frozenset(names) for package, names in packages.items()}, classes


JDK_PACKAGE_TYPES, JDK_CLASSES = _read_index()
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


def superclass_of(name: str) -> str | None:
    """The JDK class's superclass (simple name), or None for one not in the index or without one."""
    cls = JDK_CLASSES.get(name)
    return None if cls is None or cls.superclass == "-" else cls.superclass


def _unchecked(name: str) -> bool:
    while name is not None and name not in ("RuntimeException", "Error"):
        name = superclass_of(name)
    return name is not None


# The JDK's exceptions a method may throw without the caller declaring them (RuntimeException's
# and Error's): any other exception a focal method declares counts as checked, unless it is a
# project's class extending one (`checks._is_unchecked`).
UNCHECKED_EXCEPTIONS = frozenset(name for name in JDK_CLASSES if _unchecked(name))
