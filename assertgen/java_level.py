"""What a module's build file says: the Java release it builds for (a JDK class or member newer than
that is a javac error there: `List.getFirst()` is Java 21, cannot find symbol on a Java 17 build), and
where it keeps its sources (`source_dirs`).

Read the way Maven and Gradle users write it:

- pom.xml: maven-compiler-plugin's `<testRelease>`, `<release>`, `<testSource>` or `<source>` (its
  configuration, not a profile's, else the `maven.compiler.*` property), else Spring Boot's `<java.version>`;
  `${name}` is looked up in the properties; a module's pom without them takes its parent's, the
  pom in the directory above.
- build.gradle / build.gradle.kts: `options.release = 11` (`.set(11)`; not in a block of
  `compileJava` alone), else
  `java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }` (`.set(...)`), else
  `sourceCompatibility = JavaVersion.VERSION_11` (`'11'`, `11`); the module's file, else the one
  in the directory above (a root project's `subprojects { ... }`).

"1.8" is 8. A level that cannot be read is None: nothing is judged by it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import NamedTuple

BUILD_FILES = ("pom.xml", "build.gradle", "build.gradle.kts")


class JavaLevel(NamedTuple):
    release: int   # 8, 11, 17, ...
    source: str    # the build file that says it, as a reason names it: "pom.xml", "../build.gradle"


def build_dir(test_root: Path) -> Path | None:
    """The nearest directory at or above a test source root with a build file (its module)."""
    for folder in [test_root, *test_root.resolve().parents]:
        if any((folder / name).is_file() for name in BUILD_FILES):
            return folder
    return None


def java_level(module: Path) -> JavaLevel | None:
    """The Java release the module (a directory with a build file) builds for, or None."""
    pom = module / "pom.xml"
    if pom.is_file():
        return _maven_level(pom)
    for folder, prefix in ((module, ""), (module.parent, "../")):
        for name in BUILD_FILES[1:]:
            if (folder / name).is_file():
                release = _gradle_release(folder / name)
                if release is not None:
                    return JavaLevel(release, prefix + name)
    return None


def _release(value: str | None) -> int | None:
    """8 of "1.8" or "8", 17 of "17"; None of anything else (`${unresolved}`, "latest")."""
    found = re.fullmatch(r"(?:1\.)?(\d+)", (value or "").strip())
    return int(found.group(1)) if found else None


# --- Maven ---

def _read_pom(pom: Path) -> ElementTree.Element | None:
    """A pom's root element with its tags freed of the namespace, or None for one that does not parse."""
    try:
        root = ElementTree.parse(pom).getroot()
    except (ElementTree.ParseError, OSError):
        return None
    for element in root.iter():  # `{http://maven.apache.org/POM/4.0.0}properties` -> `properties`
        if isinstance(element.tag, str):
            element.tag = element.tag.rpartition("}")[2]
    return root


def source_dirs(module: Path) -> tuple[Path, Path]:
    """(main, test) Java source directories of a module: those its pom.xml names in
    `<build><sourceDirectory>` and `<testSourceDirectory>` (older projects keep `src` and `test`),
    else Maven's and Gradle's `src/main/java` and `src/test/java`. They may not exist."""
    main, test = module / "src" / "main" / "java", module / "src" / "test" / "java"
    root = _read_pom(module / "pom.xml") if (module / "pom.xml").is_file() else None
    if root is None:
        return main, test

    def declared(tag: str) -> Path | None:
        # `${project.basedir}/test` (or `${basedir}`) is the module's `test`; other properties are not followed
        value = re.sub(r"^\$\{(?:project\.)?basedir\}/?", "", (root.findtext(f"build/{tag}") or "").strip())
        return module / value if value and "${" not in value else None

    return declared("sourceDirectory") or main, declared("testSourceDirectory") or test


def _pom_settings(pom: Path) -> tuple[dict[str, str], dict[str, str], bool] | None:
    """(its properties, maven-compiler-plugin's configuration (release, source), whether it names a
    parent) of a pom, or None for one that does not parse."""
    root = _read_pom(pom)
    if root is None:
        return None
    properties = {p.tag: (p.text or "").strip() for props in root.findall("properties") for p in props}
    plugin = {}
    # under build/plugins or build/pluginManagement; not a profile's, which may be off
    for found in root.findall("build/plugins/plugin") + root.findall("build/pluginManagement/plugins/plugin"):
        if (found.findtext("artifactId") or "").strip() == "maven-compiler-plugin":
            for name in ("testRelease", "release", "testSource", "source"):
                value = found.findtext(f"configuration/{name}")
                if value and value.strip():
                    plugin.setdefault(name, value.strip())
    return properties, plugin, root.find("parent") is not None


def _maven_level(pom: Path) -> JavaLevel | None:
    own = _pom_settings(pom)
    if own is None:
        return None
    properties, plugin, has_parent = own
    parent_pom = pom.parent.parent / "pom.xml"
    parent = _pom_settings(parent_pom) if has_parent and parent_pom.is_file() else None
    settings = [(properties, plugin, "pom.xml")] + ([(parent[0], parent[1], "../pom.xml")] if parent else [])
    known = {**(parent[0] if parent else {}), **properties}  # a module's property hides its parent's

    def resolve(value: str | None) -> int | None:
        for _ in range(5):  # `${java.version}` -> "17" (a property may name another)
            named = re.fullmatch(r"\$\{([^}]+)\}", (value or "").strip())
            if named is None:
                break
            value = known.get(named.group(1))
        return _release(value)

    # the tests' own setting beats the main code's, release beats source (javac: --release); the
    # module's own setting beats its parent's
    for kind in ("testRelease", "release", "testSource", "source"):
        for props, config, source in settings:
            for value in (config.get(kind), props.get(f"maven.compiler.{kind}")):
                release = resolve(value)
                if release is not None:
                    return JavaLevel(release, source)
    for props, _, source in settings:  # Spring Boot's parent turns it into maven.compiler.release
        release = resolve(props.get("java.version"))
        if release is not None:
            return JavaLevel(release, source)
    return None


# --- Gradle ---

_GRADLE_SETTINGS = [  # in the order they win: --release, a toolchain's JDK, -source
    r"options\s*\.\s*release(?:\s*=\s*|\s*\.\s*set\s*\(\s*)(\d+)",
    r"languageVersion(?:\s*=\s*|\s*\.\s*set\s*\(\s*)JavaLanguageVersion\s*\.\s*of\s*\(\s*['\"]?(\d+)",
    r"sourceCompatibility(?:\s*=\s*|\s*\(\s*)(?:JavaVersion\s*\.\s*VERSION_(?:1_)?(\d+)|['\"]?(?:1\.)?(\d+)['\"]?)",
]


def _gradle_release(build_file: Path) -> int | None:
    try:
        script = build_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    script = re.sub(r"//[^\n]*|/\*.*?\*/", "", script, flags=re.S)  # (a commented-out setting says nothing)
    for pattern in _GRADLE_SETTINGS:
        for found in re.finditer(pattern, script):
            # (`compileJava { options.release = 8 }` is the main code's: the tests compile apart)
            if not re.search(r"\bcompileJava\b", _block_header(script, found.start())):
                return int(next(group for group in found.groups() if group))
    return None


def _block_header(script: str, at: int) -> str:
    """The line opening the innermost `{ ... }` block around offset `at` ("" at the top level)."""
    depth = 0
    for i in range(at - 1, -1, -1):
        if script[i] == "}":
            depth += 1
        elif script[i] == "{":
            if depth == 0:
                return script[script.rfind("\n", 0, i) + 1:i]
            depth -= 1
    return ""
