"""The Java release a project builds for, read from its build file (`assertgen.java_level`), and
what `assertgen fill` rejects for it: a JDK class or member newer than that (javac: cannot find
symbol; QA round 7 found `items.getFirst()` and `Math.clamp(...)`, Java 21, accepted on a Java
17 build)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from assertgen import fill
from assertgen.java_level import JavaLevel, build_dir, java_level, source_dirs


def pom(body: str, parent: bool = False) -> str:
    return ('<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
            "  <modelVersion>4.0.0</modelVersion>\n"
            + ("  <parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version></parent>\n" if parent else "")
            + f"  <artifactId>m</artifactId>\n{body}\n</project>\n")


def compiler_plugin(configuration: str) -> str:
    return ("<build><plugins><plugin><groupId>org.apache.maven.plugins</groupId>"
            f"<artifactId>maven-compiler-plugin</artifactId><configuration>{configuration}</configuration>"
            "</plugin></plugins></build>")


@pytest.mark.parametrize("body, release", [
    ("<properties><maven.compiler.release>17</maven.compiler.release></properties>", 17),
    ("<properties><maven.compiler.source>1.8</maven.compiler.source>"
     "<maven.compiler.target>1.8</maven.compiler.target></properties>", 8),
    (compiler_plugin("<release>11</release>"), 11),
    (compiler_plugin("<source>1.8</source><target>1.8</target>"), 8),
    ("<properties><jdk>11</jdk></properties>" + compiler_plugin("<source>${jdk}</source>"), 11),
    ("<properties><java.version>21</java.version></properties>", 21),  # Spring Boot's
    ("<properties><java.version>17</java.version>"
     "<maven.compiler.release>${java.version}</maven.compiler.release></properties>", 17),
    # --release beats -source: the API is the release's
    ("<properties><maven.compiler.source>11</maven.compiler.source></properties>" + compiler_plugin("<release>17</release>"), 17),
    # the tests' own level beats the main code's (QA round 8)
    ("<properties><maven.compiler.release>8</maven.compiler.release>"
     "<maven.compiler.testRelease>17</maven.compiler.testRelease></properties>", 17),
    (compiler_plugin("<release>8</release><testRelease>11</testRelease>"), 11),
    # a profile's compiler plugin may be off: not the build's level
    ("<properties><maven.compiler.release>17</maven.compiler.release></properties><profiles><profile><id>old</id>"
     + compiler_plugin("<release>8</release>") + "</profile></profiles>", 17),
])
def test_a_pom_s_java_level(tmp_path, body, release):
    (tmp_path / "pom.xml").write_text(pom(body))
    assert java_level(tmp_path) == JavaLevel(release, "pom.xml")


def test_a_module_without_a_level_takes_its_parent_pom_s(tmp_path):
    (tmp_path / "pom.xml").write_text(pom("<properties><java.version>17</java.version>"
                                          "<maven.compiler.release>11</maven.compiler.release></properties>"))
    module = tmp_path / "core"
    module.mkdir()
    (module / "pom.xml").write_text(pom("<dependencies/>", parent=True))
    assert java_level(module) == JavaLevel(11, "../pom.xml")
    # a module's own setting, which may name its parent's property
    (module / "pom.xml").write_text(pom("<properties><maven.compiler.release>${java.version}</maven.compiler.release>"
                                        "</properties>", parent=True))
    assert java_level(module) == JavaLevel(17, "pom.xml")
    (module / "pom.xml").write_text(pom("<dependencies/>"))  # no <parent>: the pom above is no parent of it
    assert java_level(module) is None


@pytest.mark.parametrize("name, script, release", [
    ("build.gradle", "plugins { id 'java' }\nsourceCompatibility = JavaVersion.VERSION_11\n", 11),
    ("build.gradle", "java {\n    sourceCompatibility = JavaVersion.VERSION_1_8\n}\n", 8),
    ("build.gradle", "sourceCompatibility = '11'\ntargetCompatibility = '11'\n", 11),
    ("build.gradle", "sourceCompatibility = 1.8\n", 8),
    ("build.gradle", "sourceCompatibility = 17\n", 17),
    ("build.gradle", "java {\n    toolchain {\n        languageVersion = JavaLanguageVersion.of(17)\n    }\n}\n", 17),
    ("build.gradle.kts", "java {\n    toolchain {\n        languageVersion.set(JavaLanguageVersion.of(21))\n    }\n}\n", 21),
    ("build.gradle", "compileTestJava {\n    options.release = 11\n}\n", 11),
    # the main code's release alone: the tests compile with the toolchain's (QA round 8)
    ("build.gradle", "java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\n"
     "tasks.named('compileJava') {\n    options.release = 8\n}\n", 17),
    ("build.gradle.kts", "tasks.compileJava { options.release.set(8) }\nsourceCompatibility = JavaVersion.VERSION_11\n", 11),
    ("build.gradle.kts", "tasks.withType<JavaCompile> {\n    options.release.set(17)\n}\n", 17),
    ("build.gradle.kts", "java.sourceCompatibility = JavaVersion.VERSION_17\n", 17),
])
def test_a_gradle_build_s_java_level(tmp_path, name, script, release):
    (tmp_path / name).write_text(script)
    assert java_level(tmp_path) == JavaLevel(release, name)


def test_a_gradle_module_without_a_level_takes_the_root_project_s(tmp_path):
    (tmp_path / "build.gradle").write_text("subprojects {\n    sourceCompatibility = '11'\n}\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "build.gradle").write_text("dependencies { }\n")
    assert java_level(tmp_path / "app") == JavaLevel(11, "../build.gradle")


@pytest.mark.parametrize("name, text", [
    ("pom.xml", pom("<dependencies/>")),
    ("pom.xml", pom("<properties><maven.compiler.release>${undefined}</maven.compiler.release></properties>")),
    ("pom.xml", "<project><properties>"),  # does not parse
    ("build.gradle", "plugins { id 'java' }\n// sourceCompatibility = '11'\n"),
    ("build.gradle.kts", "plugins { java }\n"),
])
def test_a_level_that_cannot_be_read_is_none(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    assert java_level(tmp_path) is None


def test_the_build_directory_of_a_test_root(tmp_path):
    (tmp_path / "src" / "test" / "java").mkdir(parents=True)
    (tmp_path / "pom.xml").write_text(pom(""))
    assert build_dir(tmp_path / "src" / "test" / "java") == tmp_path


ITEMS_TEST = """\
package com.acme;
import static org.junit.Assert.*;
import java.util.*;
import org.junit.Test;
public class ItemsTest {
    @Test public void first() {
        List<Item> items = new Items().all();
        // ASSERTION PLACEHOLDER
    }
}
"""
PROJECT = {
    "src/main/java/com/acme/Item.java": "package com.acme;\npublic class Item { public int getPrice() { return 1; } }\n",
    "src/main/java/com/acme/Items.java": "package com.acme;\nimport java.util.*;\n"
                                         "public class Items { public List<Item> all() { return new ArrayList<>(); } }\n",
    "src/test/java/com/acme/ItemsTest.java": ITEMS_TEST,
}


class FixedModel:
    metadata = {"name": "fixed"}

    def __init__(self, candidate: str):
        self.candidate = candidate

    def generate(self, inputs, num_candidates=4, batch_size=16):
        return [[self.candidate] for _ in inputs]


def fill_one(root: Path, build: dict[str, str], candidate: str):
    for path, text in {**PROJECT, **build}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    report = fill.fill_paths([root / "src/test/java"], generator=FixedModel(candidate), write=False, reuse=False,
                             console=Console(file=io.StringIO()))
    return report.files[0].stubs[0]


@pytest.mark.parametrize("build, rejected", [
    ({"pom.xml": pom("<properties><maven.compiler.release>17</maven.compiler.release></properties>")},
     "List.getFirst() is Java 21; the project builds for Java 17 (pom.xml)"),
    ({"build.gradle": "java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\n"},
     "List.getFirst() is Java 21; the project builds for Java 17 (build.gradle)"),
    ({"pom.xml": pom("<properties><maven.compiler.release>21</maven.compiler.release></properties>")}, None),
    ({"pom.xml": pom("<dependencies/>")}, None),  # no level to read: nothing rejected for it
    ({}, None),  # no build file
])
def test_fill_rejects_a_jdk_member_newer_than_the_build_s_java_level(tmp_path, build, rejected):
    stub = fill_one(tmp_path, build, "assertEquals(1, items.getFirst().getPrice());")
    if rejected is None:
        assert stub.status == "filled", stub.rejected
    else:
        assert stub.status != "filled" and stub.rejected[0]["reason"] == rejected


@pytest.mark.parametrize("candidate, rejected", [
    ("assertEquals(1, items.size());", None),
    ("assertEquals(\"a\", String.valueOf(items.get(0).getPrice()));", None),
    ("assertEquals(List.of(), items);", "List.of() is Java 9; the project builds for Java 7 (pom.xml)"),
])
def test_a_java_7_build_takes_what_the_index_marks_java_8(tmp_path, candidate, rejected):
    """The index marks a class or member 8 for "8 or older": on commons-collections 4.2 (Java 7)
    every JDK class was refused ("String is Java 8; the project builds for Java 7", stop 31)."""
    build = {"pom.xml": pom("<properties><maven.compiler.source>1.7</maven.compiler.source></properties>")}
    stub = fill_one(tmp_path, build, candidate)
    if rejected is None:
        assert stub.status == "filled", stub.rejected
    else:
        assert stub.status != "filled" and stub.rejected[0]["reason"] == rejected


@pytest.mark.parametrize("build, main, test", [
    ("", "src/main/java", "src/test/java"),   # Maven's defaults
    ("<build><sourceDirectory>src</sourceDirectory><testSourceDirectory>test</testSourceDirectory></build>",
     "src", "test"),                         # args4j's
    ("<build><testSourceDirectory>${project.basedir}/tests</testSourceDirectory></build>", "src/main/java", "tests"),
    ("<build><testSourceDirectory>${basedir}/tests</testSourceDirectory></build>", "src/main/java", "tests"),
    # a property other than the module's directory is not followed: the default stands
    ("<build><testSourceDirectory>${tests.dir}</testSourceDirectory></build>", "src/main/java", "src/test/java"),
])
def test_a_pom_s_source_directories(tmp_path, build, main, test):
    (tmp_path / "pom.xml").write_text(pom(build))
    assert source_dirs(tmp_path) == (tmp_path / main, tmp_path / test)


def test_source_directories_without_a_pom_or_of_one_that_does_not_parse_are_the_defaults(tmp_path):
    defaults = (tmp_path / "src/main/java", tmp_path / "src/test/java")
    assert source_dirs(tmp_path) == defaults
    (tmp_path / "pom.xml").write_text("<project><build><testSourceDirectory>test</testSource")
    assert source_dirs(tmp_path) == defaults
