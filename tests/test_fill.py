"""`assertgen fill` end to end on a copy of fixtures/java-project: every safety promise of issue 4.

The model is the deterministic FakeGenerator from conftest (injected by replacing
`assertgen.fill.load_model`); one test runs the real fixture model when it exists.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from assertgen import cli, fill
from assertgen import java_source as js
from assertgen.prompt import PLACEHOLDER
from conftest import FIXTURES, FakeGenerator

TEST_ROOT = "src/test/java"
CALC = "src/test/java/com/example/calc/CalculatorTest.java"
BROKEN = "src/test/java/com/example/calc/BrokenTest.java"
CRLF = "src/test/java/com/example/text/StringUtilsTest.java"
STACK = "src/test/java/com/example/collections/StackTest.java"
JAVA17 = "src/test/java/com/example/geometry/PointTest.java"
LEGACY = "src/test/java/com/example/legacy/CalculatorTest.java"


@pytest.fixture
def model(monkeypatch, fake_generator):
    """The fake model behind the CLI; `model.loads` records each load's model_dir."""
    fake_generator.loads = []

    def load(model_dir):
        fake_generator.loads.append(model_dir)
        return fake_generator

    monkeypatch.setattr(fill, "load_model", load)
    return fake_generator


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run(root: Path, *args: str, capsys) -> tuple[int, str, str]:
    """`assertgen fill` in-process, from the project directory (paths relative to it)."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code = cli.main(["fill", *args])
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    return code, out, err


def write_files(root: Path, files: dict[str, str]) -> None:
    for path, source in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(source)


class FixedModel:
    """A model that offers the same candidates for every stub."""

    metadata = {"name": "fixed"}

    def __init__(self, candidates: list[str]):
        self.candidates = candidates

    def generate(self, inputs, num_candidates=4, batch_size=16):
        return [list(self.candidates) for _ in inputs]


def fill_with(root: Path, monkeypatch, capsys, files: dict[str, str], *candidates: str) -> tuple[int, str]:
    """Write `files` under `root`, then `assertgen fill src/test/java --no-reuse` there with a model
    offering `candidates`: (exit code, stderr)."""
    write_files(root, files)
    monkeypatch.setattr(fill, "load_model", lambda model_dir: FixedModel(list(candidates)))
    code, _, err = run(root, TEST_ROOT, "--no-reuse", capsys=capsys)
    return code, err


def acme_test(test_class: str, method: str, statements: str) -> dict[str, str]:
    """A JUnit 4 test file of package com.acme (under TEST_ROOT) whose one test runs `statements`
    (lines) and ends with a placeholder: the stub of the checks' tests below."""
    body = "".join(f"        {line}\n" for line in statements.splitlines())
    return {f"src/test/java/com/acme/{test_class}.java":
            f"package com.acme;\nimport static org.junit.Assert.*;\nimport org.junit.Test;\npublic class {test_class} {{\n"
            f"    @Test public void {method}() {{\n{body}        // ASSERTION PLACEHOLDER\n    }}\n}}\n"}


def rejections(root: Path, monkeypatch, capsys, files: dict[str, str], *candidates: str) -> list[str]:
    """Write `files`, fill them (`--no-reuse`) with a model offering `candidates`: the checks'
    reasons for the candidates of the first stub they turned away."""
    write_files(root, files)
    monkeypatch.setattr(fill, "load_model", lambda model_dir: FixedModel(list(candidates)))
    code, _, err = run(root, TEST_ROOT, "--no-reuse", "--json", str(root / "r.json"), capsys=capsys)
    assert code == 0, err
    return [r["reason"] for r in json.loads((root / "r.json").read_text())["files"][0]["stubs"][0]["rejected"]]


def without(lines: list[bytes], drop) -> list[bytes]:
    return [line for line in lines if not drop(line.strip())]


def test_fill_writes_checked_assertions_and_keeps_every_other_byte(java_project, model, capsys, tmp_path):
    before = snapshot(java_project)
    code, out, err = run(java_project, "--json", str(tmp_path / "report.json"), capsys=capsys)
    assert code == 0, err
    after = snapshot(java_project)
    report = json.loads((tmp_path / "report.json").read_text())

    # the model was loaded once and saw stubs of several files in one batch (default size 16), then
    # the stub none of whose candidates passed once more, for a wider beam
    assert model.loads == [None] and [len(c) for c in model.calls] == [12, 1]
    assert report["summary"] == {
        "test_files": 6, "test_methods": 17, "stubs": 12, "filled": 11, "reused": 0,
        "skipped": {fill.NO_VALID_CANDIDATE: 1}, "files_changed": 5,
        "files_not_parsed": [BROKEN], "written": True, "seconds": report["summary"]["seconds"]}
    changed = {f["path"] for f in report["files"] if f["status"] == "changed"}
    assert changed == {CALC, CRLF, STACK, JAVA17, LEGACY}
    assert {p for p in before if before[p] != after[p]} == changed

    for entry in report["files"]:
        if entry["status"] != "changed":
            continue
        inserted = {line.encode() for s in entry["stubs"] for line in s["assertions"] + s["imports_added"]}
        old, new = before[entry["path"]], after[entry["path"]]
        if entry["path"] == CALC:  # the one-line `{ ...; }` body is split before its closing brace
            old = old.replace(b"multiply(3, 4); }\n", b"multiply(3, 4);\n    }\n")
        if entry["path"] == STACK:  # its first static import comes as a group of its own, a blank line after it
            old = old.replace(b"import java.util.EmptyStackException;", b"\nimport java.util.EmptyStackException;")
        # the file minus the inserted lines is the original minus its placeholder lines, byte for byte
        assert without(new.splitlines(keepends=True), inserted.__contains__) == \
            without(old.splitlines(keepends=True), lambda line: line == PLACEHOLDER.encode())
        assert js.JavaFile(Path(entry["path"]), new, js.parse(new)).error_line() is None

    # CRLF, tabs and UTF-8 text stay as they were; inserted lines follow them
    crlf = after[CRLF]
    assert crlf.count(b"\n") == crlf.count(b"\r\n") > before[CRLF].count(b"\r\n")
    assert b"\t\tassertNotNull(reversed);\r\n\t\tassertTrue(reversed == reversed);\r\n\t}" in crlf
    assert "café, 日本".encode() in crlf
    # imports: JUnit 4 file has a single static import -> wildcard added beside it, in sorted place
    assert b"import static org.junit.Assert.*;\nimport static org.junit.Assert.assertEquals;\n" in after[CALC]
    assert b"import static org.junit.jupiter.api.Assertions.*;\n\nimport java.util.EmptyStackException;" \
        in after[STACK]
    assert b"import static" not in after[LEGACY]  # JUnit 3 inherits its assertions
    assert after[JAVA17].count(b"import static") == 1  # already had Assertions.*
    # placeholder lines are gone, assertions sit before a trailing return
    assert PLACEHOLDER.encode() not in b"".join(after[p] for p in changed)
    assert b"        assertTrue(even == even);\n        return;\n" in after[CALC]

    # the unfillable stub is reported with each rejected candidate and why
    skipped = [s for f in report["files"] for s in f["stubs"] if s["status"] == "skipped"]
    assert [(s["method"], s["reason"]) for s in skipped] == [("newStackIsEmpty", fill.NO_VALID_CANDIDATE)]
    assert [r["output"] for r in skipped[0]["rejected"]] == FakeGenerator.INVALID
    assert all(r["reason"] for r in skipped[0]["rejected"])
    filled = {s["method"]: s for f in report["files"] for s in f["stubs"] if s["status"] == "filled"}
    assert filled["testAddThree"]["focal"] == "com.example.calc.Calculator#add"
    assert filled["testMultiply"]["focal"] == "com.example.calc.Calculator#multiply"  # JUnit 3, other package
    assert filled["sizeAfterTwoPushes"]["assertions"][0] == "assertNotNull(size);"

    # summary table and the broken file's warning
    assert f"{BROKEN}:9: syntax error, file left untouched" in err
    assert "stubs found" in err and "Traceback" not in err
    assert out == ""


def test_second_run_changes_nothing(java_project, model, capsys):
    assert run(java_project, capsys=capsys)[0] == 0
    filled = snapshot(java_project)
    model.calls.clear()
    code, _, err = run(java_project, capsys=capsys)
    assert code == 0 and snapshot(java_project) == filled
    assert [len(c) for c in model.calls] == [1, 1]  # only the unfillable stub is retried (and widened)


def test_broken_file_alone_is_reported_and_untouched(java_project, model, capsys, tmp_path):
    before = (java_project / BROKEN).read_bytes()
    code, _, err = run(java_project, BROKEN, "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and (java_project / BROKEN).read_bytes() == before
    assert "BrokenTest.java:9" in err and model.loads == []
    assert json.loads((tmp_path / "r.json").read_text())["files"][0]["status"] == "parse_error"
    assert "BrokenTest.java:9: syntax error, file left untouched" in err


def test_a_utf16_file_is_reported_as_such_not_as_a_syntax_error(java_project, model, capsys):
    utf16 = java_project / CALC
    utf16.write_bytes(utf16.read_text().encode("utf-16"))
    before = utf16.read_bytes()
    code, _, err = run(java_project, CALC, capsys=capsys)
    assert code == 0 and utf16.read_bytes() == before
    assert "CalculatorTest.java:1: UTF-16 or another encoding with NUL bytes (save the file as UTF-8)" in err


def test_a_file_with_cr_only_line_breaks_is_reported_as_such(java_project, model, capsys):
    """Classic Mac OS line breaks: the parser sees one line (a `//` comment swallows the rest)."""
    old_mac = java_project / CALC
    old_mac.write_bytes(old_mac.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    before = old_mac.read_bytes()
    code, _, err = run(java_project, CALC, capsys=capsys)
    assert code == 0 and old_mac.read_bytes() == before
    assert "CalculatorTest.java:1: line breaks are CR only" in err


def test_java_25_the_parser_cannot_read_is_reported_as_such_not_as_a_syntax_error(java_project, model, capsys):
    """`import module java.base;` (Java 25) is valid Java, which tree-sitter-java 0.21 reads as an error."""
    modern = java_project / CALC
    source = modern.read_bytes()
    modern.write_bytes(source.replace(b"import ", b"import module java.base;\nimport ", 1))
    before = modern.read_bytes()
    code, _, err = run(java_project, CALC, capsys=capsys)
    line = before[:before.index(b"import module")].count(b"\n") + 1
    assert code == 0 and modern.read_bytes() == before
    assert f"CalculatorTest.java:{line}: Java 25's `import module`" in err and "syntax error" not in err


def test_diff_prints_a_patch_and_writes_nothing(java_project, model, capsys, tmp_path):
    before = snapshot(java_project)
    code, out, err = run(java_project, "--diff", capsys=capsys)
    assert code == 0 and snapshot(java_project) == before
    assert f"--- a/{CALC}" in out and "+        assertNotNull(result);" in out
    assert "nothing written" in err
    # the diff applied with patch(1) gives exactly what a real run writes
    if shutil.which("patch") is None:
        pytest.skip("patch(1) not installed: diff content checked, application not")
    patched = tmp_path / "patched"
    shutil.copytree(java_project, patched)
    subprocess.run(["patch", "-p1", "-s", "--binary"], input=out.encode(), cwd=patched, check=True)
    assert run(java_project, capsys=capsys)[0] == 0
    assert snapshot(patched) == snapshot(java_project)


def test_check_exits_1_when_stubs_would_be_filled(java_project, model, capsys):
    before = snapshot(java_project)
    code, _, err = run(java_project, "--check", capsys=capsys)
    assert code == 1 and snapshot(java_project) == before
    run(java_project, capsys=capsys)
    assert run(java_project, "--check", capsys=capsys)[0] == 0  # only the unfillable stub is left


def test_a_stub_whose_beams_all_fail_tries_a_beam_four_times_as_wide(java_project, model, capsys, tmp_path,
                                                                     monkeypatch):
    """With one beam the fake's best candidate never passes; four beams hold its valid 4th: every stub
    is tried again with those, and only the new candidates are checked (QA round 11: 4 beams filled
    35 of 133 stubs of the embedded model, 16 filled 71)."""
    widths = []
    generate = model.generate
    monkeypatch.setattr(model, "generate", lambda inputs, num_candidates, batch_size: (
        widths.append(num_candidates), generate(inputs, num_candidates, batch_size))[1])
    code, _, err = run(java_project, "--beams", "1", "--batch-size", "5", "--json", str(tmp_path / "r.json"),
                       capsys=capsys)
    assert code == 0
    assert [len(c) for c in model.calls] == [5, 5, 2, 5, 5, 2] and widths == [1, 1, 1, 4, 4, 4]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["filled"] == 11 and report["summary"]["skipped"] == {fill.NO_VALID_CANDIDATE: 1}
    stubs = [s for f in report["files"] for s in f["stubs"]]
    assert all([r["output"] for r in s["rejected"]] == FakeGenerator.INVALID for s in stubs)
    assert "trying wider beams" in err


def test_focal_lookup_failures_are_reasons(java_project, model, capsys, tmp_path):
    (java_project / "src/test/java/com/example/calc/MiscTest.java").write_text(
        "package com.example.calc;\nimport org.junit.Test;\n"
        "public class MiscTest {\n    @Test\n    public void t() {\n        int x = 1;\n    }\n}\n")
    code, _, _ = run(java_project, "src/test/java/com/example/calc", "--json", str(tmp_path / "r.json"),
                     capsys=capsys)
    stubs = {s["method"]: s["reason"] for f in json.loads((tmp_path / "r.json").read_text())["files"]
             for s in f["stubs"]}
    assert code == 0 and stubs["t"] == fill.NO_FOCAL_CLASS and stubs["testAdd"] is None
    shutil.rmtree(java_project / "src/main")
    run(java_project, STACK, "--json", str(tmp_path / "r.json"), capsys=capsys)
    summary = json.loads((tmp_path / "r.json").read_text())["summary"]
    assert summary["skipped"] == {fill.NO_MAIN_SOURCES: 3} and model.loads == [None]  # no model needed


# (package, test class, its stub that finds a focal method, its stub that does not, the focal
# method found, the reason of the other)
FALLBACK_FOCAL = [
    # jsoup's HtmlParserTest calls `Jsoup.parse`: no main class HtmlParser, so the strict rule
    # (FooTest -> Foo) finds nothing; the relaxed one (`workbench mine`'s) takes the main classes
    # the test names, as its file resolves them (an import here), and the called method
    ("other", "ArithmeticTest", "int sum = new Calculator().add(2, 3);", "String s = String.valueOf(1);",
     "com.example.calc.Calculator#add", fill.NO_FOCAL_CLASS),
    # a stub whose call of the method under test was inside the assertions it lacks
    # (`assertEquals(6, calc.multiply(2, 3))`): its name still names the method
    ("more", "CalculatorTest", "int zero = 0;", "int zero = 0;", "com.example.calc.Calculator#multiply",
     fill.NO_FOCAL_METHOD),
]


@pytest.mark.parametrize("package, test_class, found_body, lost_body, focal, reason", FALLBACK_FOCAL)
def test_a_stub_the_corpus_rule_finds_no_focal_method_for_gets_one_by_name_or_from_the_classes_it_uses(
        java_project, model, capsys, tmp_path, package, test_class, found_body, lost_body, focal, reason):
    write_files(java_project, {f"src/test/java/com/example/{package}/{test_class}.java": (
        f"package com.example.{package};\nimport org.junit.Test;\nimport com.example.calc.Calculator;\n"
        f"public class {test_class} {{\n    @Test\n    public void testMultiplyOrAdd() {{\n        {found_body}\n    }}\n"
        f"    @Test\n    public void namesNothing() {{\n        {lost_body}\n    }}\n}}\n")})
    code, _, _ = run(java_project, f"src/test/java/com/example/{package}", "--json", str(tmp_path / "r.json"),
                     capsys=capsys)
    stubs = {s["method"]: s for f in json.loads((tmp_path / "r.json").read_text())["files"] for s in f["stubs"]}
    assert code == 0
    assert stubs["testMultiplyOrAdd"]["status"] == "filled" and stubs["testMultiplyOrAdd"]["focal"] == focal
    method = focal.split("#")[1]
    assert f"public int {method}(int a, int b) {{" in model.calls[0][0]
    assert stubs["namesNothing"]["reason"] == reason


def test_a_test_named_for_the_constructor_it_asserted_takes_the_focal_class_s_constructor(tmp_path):
    """commons-lang's `testConstructor`: its `new StringUtils()` was inside the assertions masked."""
    write_files(tmp_path, {
        "src/main/java/p/Text.java": "package p;\npublic class Text {\n    public Text() { }\n"
                                     "    public static String trim(String s) { return s; }\n}\n",
        "src/test/java/p/TextTest.java": "package p;\nclass TextTest {\n    @Test void testConstructor() {\n    }\n}\n"})
    test_cls = js.JavaFile.read(tmp_path / "src/test/java/p/TextTest.java").classes()[0]
    main = fill.SourceRoot(tmp_path / "src/main/java")
    found = fill._find_focal(test_cls, "testConstructor", [], "p", main, by_name=True, loosely=True)
    assert js.text(found[3]).startswith("public Text() {")
    assert fill._find_focal(test_cls, "testSomething", [], "p", main, by_name=True, loosely=True) == fill.NO_FOCAL_METHOD
    assert fill._find_focal(test_cls, "testConstructor", [], "p", main, by_name=True) == fill.NO_FOCAL_METHOD


def test_methods_inherited_from_classes_the_test_does_not_import_are_known(tmp_path):
    """jsoup: Document extends Element extends Node (org.jsoup.nodes), a test of another package
    imports Document alone. Element's `text()` beside Document's `text(String)` is no wrong
    argument count, and what Document's `body()` returns (an Element) is checked as one."""
    write_files(tmp_path, {
        "src/main/java/p/nodes/Node.java": "package p.nodes;\npublic abstract class Node implements Cloneable {\n"
                                           "    public String html() { return \"\"; }\n}\n",
        "src/main/java/p/nodes/Element.java": "package p.nodes;\npublic class Element extends Node {\n"
                                              "    public String text() { return \"\"; }\n}\n",
        "src/main/java/p/nodes/Document.java": (
            "package p.nodes;\npublic class Document extends Element {\n    public Element body() { return null; }\n"
            "    public Document text(String s) { return this; }\n"
            "    public static Document parse(String s) { return new Document(); }\n}\n"),
        "src/test/java/p/other/DocumentTest.java": (
            "package p.other;\nimport org.junit.jupiter.api.Test;\nimport p.nodes.Document;\n"
            "import static org.junit.jupiter.api.Assertions.*;\nclass DocumentTest {\n    @Test void parses() {\n"
            "        Document doc = Document.parse(\"x\");\n        // ASSERTION PLACEHOLDER\n    }\n}\n")})
    stub = js.find_stubs(js.JavaFile.read(tmp_path / "src/test/java/p/other/DocumentTest.java"))[0][0]
    job = fill._prepare(stub, fill.StubResult(stub.name, "DocumentTest", stub.line),
                        fill.SourceRoot(tmp_path / "src/main/java"), fill.SourceRoot(tmp_path / "src/test/java"))

    def accepted(statement: str) -> bool:
        return fill._choose(job, [statement]) is not None
    assert accepted('assertEquals("x", doc.text());') and accepted('assertEquals("x", doc.body().html());')
    assert accepted('assertEquals("x", doc.text("y").text());')
    assert not accepted('assertEquals("x", doc.body().clean());')
    assert job.result.rejected[-1]["reason"] == "what doc.body(...) returns has no member 'clean'"
    assert not accepted('assertEquals("x", doc.text(1, 2));')


def test_a_test_in_a_local_class_inside_a_lambda_is_looked_up_without_a_traceback(java_project, model, capsys,
                                                                               tmp_path):
    """The focal class search climbs to the enclosing classes only, past the lambda's
    variable declaration (it took that for a class and crashed on its missing name)."""
    (java_project / "src/test/java/com/example/calc/LocalTest.java").write_text(
        "package com.example.calc;\nimport org.junit.Test;\npublic class CalculatorTest {\n"
        "    void helper() {\n        Runnable r = () -> {\n            class Local {\n"
        "                @Test public void add() { Calculator c = new Calculator(); int s = c.add(1, 2); }\n"
        "            }\n        };\n    }\n}\n")
    code, _, err = run(java_project, "src/test/java/com/example/calc/LocalTest.java", "--json",
                       str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0, err
    stub = json.loads((tmp_path / "r.json").read_text())["files"][0]["stubs"][0]
    assert stub["status"] == "filled" and stub["focal"] == "com.example.calc.Calculator#add"


def test_main_option_points_at_the_focal_sources(java_project, model, capsys, tmp_path):
    moved = tmp_path / "elsewhere"
    shutil.move(java_project / "src/main/java", moved)
    code, _, _ = run(java_project, CALC, "--main", str(moved), "--json", str(tmp_path / "r.json"),
                     capsys=capsys)
    assert code == 0 and json.loads((tmp_path / "r.json").read_text())["summary"]["filled"] == 4


def test_other_test_source_sets_find_the_main_sources_next_to_them(tmp_path):
    """Gradle's integrationTest, Android's androidTest, Maven's src/it: src/main/java is next to them."""
    (tmp_path / "src/main/java").mkdir(parents=True)
    for source_set in ("test", "integrationTest", "androidTest", "it"):
        assert fill.default_main_root(tmp_path / "src" / source_set / "java") == tmp_path / "src/main/java"
    assert fill.default_main_root(tmp_path / "src/main/java") is None
    assert fill.default_main_root(tmp_path / "tests/java") is None


def test_edited_file_that_would_not_parse_is_left_alone(java_project, model, capsys, monkeypatch, tmp_path):
    before = snapshot(java_project)
    monkeypatch.setattr(js.Stub, "edits", lambda self, assertions: [(self.cutoff, self.cutoff, b"}}}\n")])
    code, _, _ = run(java_project, "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and snapshot(java_project) == before
    summary = json.loads((tmp_path / "r.json").read_text())["summary"]
    assert summary["filled"] == 0 and summary["skipped"][fill.EDIT_DOES_NOT_PARSE] == 11


def test_failed_write_leaves_the_original_and_no_temporary_file(java_project, model, capsys, monkeypatch):
    before = snapshot(java_project)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    code, _, err = run(java_project, capsys=capsys)
    assert code == 2 and snapshot(java_project) == before  # also: no temporary file left anywhere
    assert "CalculatorTest.java: cannot write file: No space left on device" in err
    assert "Traceback" not in err and "stubs found" in err  # the summary still says what happened


def test_a_file_that_cannot_be_written_does_not_stop_the_others(java_project, model, capsys, monkeypatch,
                                                                tmp_path):
    real_replace = os.replace

    def replace_but_stack(src, dst):
        if str(dst).endswith("StackTest.java"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    before = snapshot(java_project)
    monkeypatch.setattr(os, "replace", replace_but_stack)
    code, _, err = run(java_project, "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 2 and "StackTest.java: cannot write file: No space left on device" in err
    after = snapshot(java_project)
    assert after[STACK] == before[STACK] and after[CALC] != before[CALC]
    stack = next(f for f in json.loads((tmp_path / "r.json").read_text())["files"] if f["path"] == STACK)
    assert stack["status"] == "unchanged" and "No space left" in stack["write_error"]
    assert {s["reason"] for s in stack["stubs"] if s["status"] == "skipped"} >= {fill.WRITE_FAILED}


def test_read_only_directory_is_a_user_error(java_project, model, capsys, monkeypatch):
    def read_only(*args, **kwargs):  # what mkstemp meets in a directory without write permission
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    code, _, err = run(java_project, capsys=capsys)
    assert code == 2 and "CalculatorTest.java: cannot write file: Permission denied" in err
    assert "Traceback" not in err


def test_each_placeholder_gets_an_assertion_valid_where_it_goes(java_project, model, capsys, tmp_path):
    """One assertion per placeholder: a placeholder after a loop does not see the loop's locals
    (javac: cannot find symbol), and each assertion takes its own placeholder's indentation."""
    text, stub = fill_calculator_test(java_project, model, capsys, tmp_path, (
        "        for (int i = 0; i < 2; i++) {\n            int sum = calculator.add(i, 1);\n"
        f"            {PLACEHOLDER}\n        }}\n        {PLACEHOLDER}\n"),
        ["assertTrue(sum > 0);\nassertEquals(1, sum);", "assertTrue(sum > 0);\nassertNotNull(calculator);"])
    assert "            assertTrue(sum > 0);\n        }\n        assertNotNull(calculator);\n    }" in text
    assert stub["rejected"][0]["reason"] == "unknown name 'sum' (placeholder 2)"


def test_a_fail_spread_over_placeholders_is_judged_where_it_goes(java_project, model, capsys, tmp_path):
    """`fail()` for the placeholder in the try, an assertion for the one before it; all on
    the first placeholder, the fail would run every time."""
    text, _ = fill_calculator_test(java_project, model, capsys, tmp_path, (
        f"        int sum = calculator.add(1, 1);\n        {PLACEHOLDER}\n        try {{\n"
        f"            calculator.add(Integer.MAX_VALUE, 1);\n            {PLACEHOLDER}\n"
        "        } catch (ArithmeticException e) { }\n"),
        ["assertNotNull(calculator);\nfail();", "assertNotNull(calculator);\nfail();\nfail();"])
    assert ("        assertNotNull(calculator);\n        try {\n"
            "            calculator.add(Integer.MAX_VALUE, 1);\n            fail();\n") in text


def fill_calculator_test(java_project, model, capsys, tmp_path, body: str, candidates: list[str]):
    """Fill a test of Calculator whose body (after `calculator` is made) is `body`, the model
    offering `candidates`: the file's new text and the stub's JSON report."""
    path = java_project / "src/test/java/com/example/calc/ExtraTest.java"
    path.write_text("package com.example.calc;\nimport org.junit.Test;\npublic class CalculatorTest {\n"
                    "    @Test\n    public void t() {\n        Calculator calculator = new Calculator();\n"
                    f"{body}    }}\n}}\n")
    model.generate = lambda inputs, **kwargs: [candidates] * len(inputs)
    code, _, _ = run(java_project, str(path.relative_to(java_project)), "--json", str(tmp_path / "r.json"),
                     capsys=capsys)
    assert code == 0
    return path.read_text(), json.loads((tmp_path / "r.json").read_text())["files"][0]["stubs"][0]


def test_candidate_the_file_encoding_cannot_hold_is_rejected(java_project, model, capsys, tmp_path):
    """A Latin-1 file cannot hold every character the model (or a reused UTF-8 test) writes."""
    path = java_project / LEGACY
    path.write_bytes(path.read_bytes().replace(b"JUnit 3:", b"JUnit 3, caf\xe9:"))
    model.generate = lambda inputs, **kwargs: [['assertEquals("\u65e5", String.valueOf(product));',
                                                'assertEquals("\xe9", String.valueOf(product));']] * len(inputs)
    code, _, _ = run(java_project, LEGACY, "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and b'        assertEquals("\xe9", String.valueOf(product));\n    }' in path.read_bytes()
    stub = json.loads((tmp_path / "r.json").read_text())["files"][0]["stubs"][0]
    assert stub["rejected"][0]["reason"] == "not representable in the file's encoding (latin-1)"


def test_diff_of_latin1_file_without_final_line_break_applies(java_project, model, capsysbinary, tmp_path):
    """The diff keeps the file's bytes (not UTF-8) and marks a last line without a line break,
    which would otherwise run into the next file's `---` header."""
    legacy = java_project / LEGACY
    legacy.write_bytes(legacy.read_bytes().replace(b"Calculator();\n", b"Calculator(); // \xe9\n", 1))
    (java_project / CALC).write_bytes((java_project / CALC).read_bytes().rstrip(b"\n"))
    code, out, _ = run(java_project, "--diff", capsys=capsysbinary)
    assert code == 0 and out.count(b"\n\\ No newline at end of file\n") == 1
    assert b"+        Calculator calculator = new Calculator(); // \xe9\n" not in out  # context, not changed
    assert b" Calculator calculator = new Calculator(); // \xe9\n" in out
    if shutil.which("patch") is None:
        pytest.skip("patch(1) not installed: diff content checked, application not")
    patched = tmp_path / "patched"
    shutil.copytree(java_project, patched)
    subprocess.run(["patch", "-p1", "-s", "--binary"], input=out, cwd=patched, check=True)
    assert run(java_project, capsys=capsysbinary)[0] == 0
    assert snapshot(patched) == snapshot(java_project)


def test_json_report_into_a_pipe_or_device_is_written_into_it(java_project, model, capsys, tmp_path):
    """`--json /dev/stdout` (a pipe, /dev/null, a named pipe): the report goes into it. A temporary
    file renamed over it failed only after the test files were written (and, as root, /dev/null
    would have become a regular file)."""
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the writer's open does not block
    try:
        code, _, err = run(java_project, STACK, "--json", str(fifo), capsys=capsys)
        data = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still the pipe, and no temporary file beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["java-project", "report.fifo"]
    assert json.loads(data)["files"][0]["path"] == STACK


def test_atomic_write_replaces_content_and_keeps_mode(tmp_path):
    target = tmp_path / "A.java"
    target.write_bytes(b"old")
    target.chmod(0o640)
    fill.atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["A.java"]


@pytest.mark.parametrize("setup, args, message", [
    (None, ["src/test/nope"], "src/test/nope: path not found"),
    (None, ["pom.xml"], "pom.xml: not a Java file or directory"),
    (None, ["src/main/java"], "no JUnit test files found in src/main/java"),
    (None, ["--main", "nowhere"], "nowhere: main source directory not found"),
    (None, ["--main", "pom.xml"], "pom.xml: is not a directory (--main names the main source directory)"),
    ("dangling", [], "Dangling.java: cannot read file"),
    ("loop", [], "src/test/java/A.java: cannot read file: Too many levels of symbolic links"),
    ("loop", ["src/test/java/B.java"], "src/test/java/B.java: cannot read file"),
    (None, ["--model", "no-such-model"], "no-such-model: no such model directory"),
    (None, ["--json", "nodir/r.json"], "nodir/r.json: directory for the JSON report not found"),
    ("report-dir", ["--json", "reports"], "reports: is a directory, not a file for the JSON report"),
    # a slip of the report's path: the test file was replaced by the JSON report
    (None, ["--json", CALC], f"{CALC}: is a Java file, not a file for the JSON report"),
    ("empty-model", ["--model", "empty-model"], "assertgen.json is missing"),
])
def test_user_errors_exit_2_with_one_line_naming_the_file(java_project, capsys, setup, args, message):
    if setup == "dangling":
        (java_project / TEST_ROOT / "Dangling.java").symlink_to(java_project / "missing.java")
    if setup == "loop":  # A.java -> B.java -> A.java
        (java_project / TEST_ROOT / "A.java").symlink_to("B.java")
        (java_project / TEST_ROOT / "B.java").symlink_to("A.java")
    if setup == "empty-model":
        (java_project / "empty-model").mkdir()
    if setup == "report-dir":
        (java_project / "reports").mkdir()
    before = snapshot(java_project)
    code, out, err = run(java_project, *args, capsys=capsys)
    assert code == 2 and message in " ".join(err.split()), err
    assert "Traceback" not in err and err.count("error:") == 1
    assert snapshot(java_project) == before


def test_console_script_reports_errors_without_traceback(tmp_path):
    script = Path(sys.executable).with_name("assertgen")
    if not script.exists():
        pytest.skip(f"console script not installed at {script} (pip install -e .)")
    proc = subprocess.run([str(script), "fill"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "src/test/java: path not found" in proc.stderr


def test_python_m_assertgen_is_the_command(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "assertgen", "fill"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and "src/test/java: path not found" in proc.stderr and "Traceback" not in proc.stderr
    assert "Traceback" not in proc.stderr


def test_diff_into_a_pipe_closed_early_ends_quietly(java_project):
    """`assertgen fill --diff | head -1`: the reader goes away; exit 141 (SIGPIPE's) without a
    BrokenPipeError traceback."""
    code = ("import sys; from assertgen import cli, fill; from conftest import FakeGenerator; "
            "fill.load_model = lambda d: FakeGenerator(); sys.exit(cli.main(['fill', '--diff']))")
    paths = [str(Path(__file__).parent), str(Path(fill.__file__).parents[1])]  # conftest, assertgen
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=java_project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before anything is written: the first write meets a closed pipe
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141 and "Traceback" not in err and "BrokenPipe" not in err, err


def test_console_script_with_the_fixture_model(java_project, tmp_path):
    """End to end with the real tiny model (built by the models work) when it exists."""
    model_dir = FIXTURES / "models" / "tiny"
    script = Path(sys.executable).with_name("assertgen")
    if not model_dir.is_dir() or not script.exists():
        pytest.skip(f"needs {model_dir} and the installed console script")
    before = snapshot(java_project)
    report = tmp_path / "r.json"
    proc = subprocess.run([str(script), "fill", "--model", str(model_dir), "--beams", "2", "--json", str(report)],
                          cwd=java_project, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(report.read_text())["summary"]
    assert summary["stubs"] == 12 and summary["filled"] + sum(summary["skipped"].values()) == 12
    after = snapshot(java_project)
    for path, data in after.items():  # whatever the tiny model wrote still parses; the broken file is kept
        if path.endswith(".java") and path != BROKEN:
            assert js.parse(data).root_node.has_error is False, path
    assert after[BROKEN] == before[BROKEN]


JARS = ["junit4.jar", "hamcrest-core.jar", "junit-jupiter-api.jar", "apiguardian-api.jar", "opentest4j.jar"]


@pytest.mark.parametrize("generator", ["fake", "embedded default"])
def test_filled_project_compiles_with_javac(java_project, fake_generator, monkeypatch, capsys, tmp_path,
                                            generator):
    """The fake model's candidates, and what the shipped model writes (its candidates passed
    the checks: `distance.getPartialDerivative(0)` on a double once did)."""
    javac = shutil.which("javac")
    jars = [Path("/usr/share/java") / name for name in JARS]
    missing = [str(j) for j in jars if not j.exists()]
    if javac is None or missing:
        pytest.skip(f"SKIPPED COMPILE CHECK: javac={javac}, missing jars={missing} "
                    "(apt-get install default-jdk-headless junit4 junit5)")
    if generator == "fake":
        monkeypatch.setattr(fill, "load_model", lambda model_dir: fake_generator)
    before = snapshot(java_project)
    assert run(java_project, capsys=capsys)[0] == 0
    assert snapshot(java_project) != before  # something was filled, and must compile
    sources = [str(p) for p in java_project.rglob("*.java") if p.name != "BrokenTest.java"]
    proc = subprocess.run([javac, "-d", str(tmp_path / "classes"), "--release", "17", "-nowarn",
                           "-cp", os.pathsep.join(map(str, jars)), *sources],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "classes/com/example/calc/CalculatorTest.class").exists()


def test_file_edited_during_the_run_is_not_overwritten(java_project, model, capsys, tmp_path):
    edited = b"// edited by the user while the model ran\n"
    real_generate = model.generate

    def generate_while_user_edits(inputs, **kwargs):
        (java_project / STACK).write_bytes(edited)
        return real_generate(inputs, **kwargs)

    model.generate = generate_while_user_edits
    code, _, err = run(java_project, "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and (java_project / STACK).read_bytes() == edited
    assert f"{STACK}:11 testPushThenPeek: {fill.CHANGED_DURING_RUN}" in err
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["files_changed"] == 4


def test_read_only_file_is_left_alone_with_its_reason(java_project, model, capsys, tmp_path):
    """A read-only file (a Perforce checkout, say) is its owner's to unlock, even for root."""
    (java_project / STACK).chmod(0o444)
    before = (java_project / STACK).read_bytes()
    code, _, err = run(java_project, "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0 and (java_project / STACK).read_bytes() == before
    assert f"{STACK}:11 testPushThenPeek: {fill.READ_ONLY}" in " ".join(err.split())
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["files_changed"] == 4


def test_diff_of_an_absolute_path_names_it_relative_to_the_working_directory(java_project, model, capsys):
    code, out, _ = run(java_project, "--diff", str(java_project / CALC), capsys=capsys)
    assert code == 0 and f"--- a/{CALC}\n+++ b/{CALC}\n" in out


def test_symlinked_test_file_is_written_through_the_link(java_project, model, capsys):
    real = java_project / "StackTest.java.real"
    (java_project / STACK).rename(real)
    (java_project / STACK).symlink_to(real)
    assert run(java_project, STACK, capsys=capsys)[0] == 0
    assert (java_project / STACK).is_symlink() and b"assertNotNull(top);" in real.read_bytes()


def test_a_focal_class_in_a_file_named_otherwise_is_found_in_its_package(tmp_path):
    """A sealed interface's permitted classes often share its file (`final class Circle` in
    Shape.java): the class is looked up among the package's files when no file is named after it."""
    package = tmp_path / "com/acme"
    package.mkdir(parents=True)
    (package / "Shape.java").write_text("package com.acme;\npublic sealed interface Shape permits Circle {}\n"
                                        "final class Circle implements Shape { double area() { return 1; } }\n")
    (tmp_path / "Circle.java").write_text("class Other {}\n")  # another package's file of that name
    root = fill.SourceRoot(tmp_path)
    jf, cls = root.find_class("Circle", "com.acme")
    assert jf.path == package / "Shape.java" and js.class_name(cls) == "Circle"
    assert root.find_class("Square", "com.acme") is None


def test_a_test_class_named_for_a_feature_of_its_focal_class_finds_that_class(tmp_path, monkeypatch, capsys):
    """commons-io's IOUtilsCopyTestCase tests IOUtils: a stub whose assertions held every call gets
    the focal class from the longest camel-case prefix of its test class's name that is a class."""
    code, err = fill_with(tmp_path, monkeypatch, capsys, {
        "src/main/java/com/acme/Box.java": "package com.acme;\npublic class Box { public int size() { return 0; } }\n",
        **acme_test("BoxSizeLimitsTestCase", "testSize", "")},
        "assertEquals(0, new Box().size());")
    assert code == 0, err
    assert "assertEquals(0, new Box().size());" in (tmp_path / "src/test/java/com/acme/BoxSizeLimitsTestCase.java").read_text()


TRY_TEST = ("package com.acme;\nimport static org.junit.Assert.*;\nimport org.junit.Test;\npublic class BoxTest {{\n"
            "    @Test public void tooFew() throws Exception {{\n        Box box = new Box();\n        try {{\n"
            "            box.open();{in_try}\n        }} catch (IllegalStateException e) {{\n"
            "            // ASSERTION PLACEHOLDER\n{ret}        }}{other_catch}\n{after}    }}\n}}\n")
OPENING_BOX = {"src/main/java/com/acme/Box.java": "package com.acme;\npublic class Box { public void open() { } }\n"}
TRY_FAILS = "\n            fail(\"no exception\");"
RETURN = "            return;\n"


@pytest.mark.parametrize("in_try, ret, other_catch, after, refused", [
    ("", RETURN, "", "", True),   # the catch returns: it expects the exception
    ("", RETURN, "", "        // ASSERTION PLACEHOLDER\n", True),   # and a fail after the try: no way to pass
    (TRY_FAILS, "", "", "", True),   # the try fails when its body completes: no way to pass
    (TRY_FAILS, "", " catch (RuntimeException e) {\n        }", "", False),   # another catch lets it pass
    ("", "", "", "", False),   # a fail for an unexpected exception
])
def test_a_fail_in_the_catch_that_expects_the_exception_is_refused(
        tmp_path, monkeypatch, capsys, in_try, ret, other_catch, after, refused):
    """args4j's testTooFew: the model's `fail();` went to the catch, which asserts the expected
    exception's message and returns (and `fail(); fail();` also put one after the try)."""
    source = TRY_TEST.format(in_try=in_try, ret=ret, other_catch=other_catch, after=after)
    first = "fail();\nfail();" if after else "fail();"
    code, err = fill_with(tmp_path, monkeypatch, capsys, {**OPENING_BOX, "src/test/java/com/acme/BoxTest.java": source},
                          first, 'assertEquals("closed", e.getMessage());' + ("\nfail();" if after else ""))
    assert code == 0, err
    written = (tmp_path / "src/test/java/com/acme/BoxTest.java").read_text()
    assert ('assertEquals("closed", e.getMessage());' in written) == refused


@pytest.mark.parametrize("catch, refused", [
    ("catch (IllegalStateException expected) {\n            // ASSERTION PLACEHOLDER\n        }", True),
    ("catch (IllegalStateException e) {\n            // ASSERTION PLACEHOLDER\n        }", False),   # "unexpected"
    ("catch (IllegalStateException e) {\n            // ASSERTION PLACEHOLDER\n        } "
     "catch (RuntimeException e) {\n        }\n        fail();", False),   # another catch lets it pass
])
def test_a_fail_in_a_catch_whose_parameter_says_the_exception_is_expected_is_refused(
        tmp_path, monkeypatch, capsys, catch, refused):
    source = ("package com.acme;\nimport static org.junit.Assert.*;\nimport org.junit.Test;\npublic class BoxTest {\n"
              "    @Test public void opens() {\n        Box box = new Box();\n        try {\n            box.open();\n"
              f"        }} {catch}\n    }}\n}}\n")
    code, err = fill_with(tmp_path, monkeypatch, capsys, {**OPENING_BOX, "src/test/java/com/acme/BoxTest.java": source},
                          'fail("unexpected");', "assertNotNull(box);")
    assert code == 0, err
    assert ("assertNotNull(box);" in (tmp_path / "src/test/java/com/acme/BoxTest.java").read_text()) == refused


def test_a_member_class_of_the_package_is_a_focal_class(tmp_path, monkeypatch, capsys):
    """picocli's HelpTest tests CommandLine.Help, a member class (which extends another member
    class of its file: looking up its inherited methods raised a KeyError)."""
    code, err = fill_with(tmp_path, monkeypatch, capsys, {
        "src/main/java/com/acme/Cli.java": "package com.acme;\npublic class Cli {\n"
        "    public static class Base { public int width() { return 80; } }\n"
        "    public static class Help extends Base { public String usage() { return \"u\"; } }\n}\n",
        **acme_test("HelpTest", "usage", "Cli.Help help = new Cli.Help();\nString text = help.usage();")},
        'assertEquals("u", text);')
    assert code == 0, err
    assert 'assertEquals("u", text);' in (tmp_path / "src/test/java/com/acme/HelpTest.java").read_text()


def test_classes_of_a_wildcard_imported_project_package_are_known(tmp_path, monkeypatch, capsys):
    """`import com.acme.util.*;` makes that package's classes usable in an assertion."""
    code, err = fill_with(tmp_path, monkeypatch, capsys, {
        "src/main/java/com/acme/Box.java": "package com.acme;\npublic class Box { int size() { return 0; } }\n",
        "src/main/java/com/acme/util/Limits.java": "package com.acme.util;\npublic class Limits { public static int MAX = 1; }\n",
        "src/test/java/com/acme/BoxTest.java": "package com.acme;\nimport com.acme.util.*;\nimport org.junit.Test;\n"
        "public class BoxTest {\n    @Test public void size() {\n        int n = new Box().size();\n    }\n}\n"},
        "assertTrue(n <= Limits.MAX);")
    assert code == 0, err
    assert "assertTrue(n <= Limits.MAX);" in (tmp_path / "src/test/java/com/acme/BoxTest.java").read_text()


def test_source_root_keeps_only_the_most_recently_parsed_files(tmp_path, monkeypatch):
    """A parse tree is ~30x its source: a repository's main sources are not all kept."""
    for name in ("A", "B", "C"):
        (tmp_path / f"{name}.java").write_text(f"public class {name} {{ int f() {{ return 1; }} }}\n")
    monkeypatch.setattr(fill.SourceRoot, "PARSED_FILES", 2)
    root = fill.SourceRoot(tmp_path)
    first, _ = root.find_class("A", "")
    assert root.find_class("A", "")[0] is first  # kept: not parsed again
    root.find_class("B", ""), root.find_class("C", "")
    assert list(root._parsed) == [tmp_path / "B.java", tmp_path / "C.java"]  # A, least recent, went
    again, cls = root.find_class("A", "")
    assert again is not first and cls is not None  # parsed again when asked for again
    assert root.find_class("Missing", "") is None


def test_an_assertion_naming_a_member_a_project_class_does_not_have_is_rejected(tmp_path, monkeypatch, capsys):
    """A reused test's assertions renamed to this test's variables, or the model, call
    members the variable's class lacks (javac: cannot find symbol); the classes the test
    names (imported by name, or of its package) are looked up in the main sources."""
    reasons = rejections(tmp_path, monkeypatch, capsys, {
        "src/main/java/com/acme/Box.java": "package com.acme;\npublic class Box { public int size() { return 0; } }\n",
        "src/main/java/com/acme/model/Status.java": "package com.acme.model;\npublic enum Status { NEW, DONE }\n",
        "src/test/java/com/acme/BoxTest.java": "package com.acme;\nimport com.acme.model.Status;\nimport org.junit.Test;\n"
        "public class BoxTest {\n    @Test public void size() {\n        Box box = new Box();\n"
        "        Status status = Status.NEW;\n        int n = box.size();\n    }\n}\n"},
        "assertTrue(status.isEmpty());", "assertEquals(Status.OPEN, status);", "assertEquals(1, box.count());",
        "assertEquals(Status.DONE, status);")
    assert "assertEquals(Status.DONE, status);" in (tmp_path / "src/test/java/com/acme/BoxTest.java").read_text()
    assert reasons == ["'status' has no member 'isEmpty'", "'Status' has no member 'OPEN'", "'box' has no member 'count'"]


def test_a_test_whose_package_does_not_match_its_folders_still_finds_the_main_sources(tmp_path):
    """javac does not require package folders: the Maven layout above the file decides."""
    test = tmp_path / "src/test/java/misplaced/FooTest.java"
    test.parent.mkdir(parents=True)
    test.write_text("package com.example;\nclass FooTest {}\n")
    (tmp_path / "src/main/java").mkdir(parents=True)
    root = fill.test_root_of(js.JavaFile.read(test))
    assert root == tmp_path / "src/test/java"
    assert fill.default_main_root(root) == tmp_path / "src/main/java"
    loose = tmp_path / "loose/FooTest.java"  # no layout: its own folder
    loose.parent.mkdir()
    loose.write_text("package com.example;\nclass FooTest {}\n")
    assert fill.test_root_of(js.JavaFile.read(loose)) == tmp_path / "loose"


def test_names_a_test_inherits_from_a_test_base_class_are_known(tmp_path, monkeypatch, capsys):
    """A test base class under the test sources gives the test its fields and helper methods."""
    reasons = rejections(tmp_path, monkeypatch, capsys, {
        "src/main/java/com/acme/Box.java": "package com.acme;\npublic class Box { public int size() { return 0; } }\n",
        "src/test/java/com/acme/AbstractBoxTest.java": "package com.acme;\npublic abstract class AbstractBoxTest {\n"
        "    protected Box box = new Box();\n    protected int expected() { return 0; }\n}\n",
        "src/test/java/com/acme/BoxTest.java": "package com.acme;\nimport org.junit.Test;\n"
        "public class BoxTest extends AbstractBoxTest {\n    @Test public void size() {\n        int n = box.size();\n"
        "    }\n}\n"}, "assertEquals(1, box.count());", "assertEquals(expected(), box.size() + n);")
    assert "assertEquals(expected(), box.size() + n);" in (tmp_path / "src/test/java/com/acme/BoxTest.java").read_text()
    assert reasons == ["'box' has no member 'count'"]  # its class is known too


def test_a_static_wildcard_import_of_a_project_class_is_looked_up_in_its_package(tmp_path, monkeypatch, capsys):
    """`import static com.acme.util.Limits.*;` gives the test Limits' static members."""
    reasons = rejections(tmp_path, monkeypatch, capsys, {
        "src/main/java/com/acme/Box.java": "package com.acme;\npublic class Box { public int size() { return 0; } }\n",
        "src/main/java/com/acme/util/Limits.java": "package com.acme.util;\npublic class Limits { public static int MAX = 1; }\n",
        "src/test/java/com/acme/BoxTest.java": "package com.acme;\nimport static com.acme.util.Limits.*;\n"
        "import org.junit.Test;\npublic class BoxTest {\n    @Test public void size() {\n        int n = new Box().size();\n"
        "    }\n}\n"}, "assertTrue(n <= MIN);", "assertTrue(n <= MAX);")
    assert "assertTrue(n <= MAX);" in (tmp_path / "src/test/java/com/acme/BoxTest.java").read_text()
    assert reasons == ["unknown name 'MIN'"]


def test_a_wildcard_import_of_a_library_s_package_or_class_may_bring_names_the_source_does_not_show(
        tmp_path, monkeypatch, capsys):
    """`import org.joda.money.*;` (no project package) may bring any class the JDK lacks, and `import
    static org.lib.Sizes.*;` any member; the project's packages' wildcards bring only their own classes."""
    header = "package com.acme;\nimport com.acme.util.*;\n"
    body = "import org.junit.Test;\npublic class {0} {{\n    @Test public void size() {{\n        int n = new Box().size();\n    }}\n}}\n"
    write_files(tmp_path, {
        "src/main/java/com/acme/Box.java": "package com.acme;\npublic class Box { public int size() { return 0; } }\n",
        "src/main/java/com/acme/util/Limits.java": "package com.acme.util;\npublic class Limits {}\n",
        "src/test/java/com/acme/BoxTest.java": header + "import org.joda.money.*;\nimport static org.lib.Sizes.*;\n"
        + body.format("BoxTest"),
        "src/test/java/com/acme/other/BoxTest.java": "package com.acme.other;\nimport com.acme.*;\n"
        "import com.acme.util.*;\n" + body.format("BoxTest")})
    monkeypatch.setattr(fill, "load_model", lambda model_dir: FixedModel([
        "assertEquals(Arrays.asList(1), List.of(n));", "assertEquals(CurrencyUnit.USD.size(), maxSize() + n);",
        "assertEquals(0, n);"]))
    code, _, err = run(tmp_path, TEST_ROOT, "--no-reuse", "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0, err
    assert "assertEquals(CurrencyUnit.USD.size(), maxSize() + n);" in (tmp_path / "src/test/java/com/acme/BoxTest.java").read_text()
    assert "assertEquals(0, n);" in (tmp_path / "src/test/java/com/acme/other/BoxTest.java").read_text()
    files = {f["path"]: f["stubs"][0]["rejected"] for f in json.loads((tmp_path / "r.json").read_text())["files"]}
    assert [r["reason"] for r in files[f"{TEST_ROOT}/com/acme/BoxTest.java"]] == ["unknown name 'Arrays'"]  # the JDK's: an import is missing
    assert [r["reason"] for r in files[f"{TEST_ROOT}/com/acme/other/BoxTest.java"]] == ["unknown name 'Arrays'", "unknown name 'CurrencyUnit'"]


def test_an_inherited_field_has_the_type_its_own_file_means(tmp_path, monkeypatch, capsys):
    """A base test's `Path workDir` (java.nio.file's, as BaseTest imports it) stays the JDK's in a
    test whose package has a `Path` of its own (QA round 10: javac compiles workDir.getFileName())."""
    reasons = rejections(tmp_path, monkeypatch, capsys, {
        "src/main/java/com/acme/route/Path.java": "package com.acme.route;\npublic class Path { public String value() { return \"\"; } }\n",
        "src/main/java/com/acme/route/Router.java": "package com.acme.route;\npublic class Router {\n"
        "    public Path route(String name) { return new Path(); }\n}\n",
        "src/test/java/com/acme/base/BaseTest.java": "package com.acme.base;\nimport java.nio.file.Path;\n"
        "public abstract class BaseTest {\n    protected Path workDir = Path.of(\"target\");\n}\n",
        "src/test/java/com/acme/route/RouterTest.java": "package com.acme.route;\nimport com.acme.base.BaseTest;\n"
        "import org.junit.Test;\npublic class RouterTest extends BaseTest {\n    @Test public void routes() {\n"
        "        Path home = new Router().route(\"home\");\n    }\n}\n"},
        "assertEquals(home.value(), workDir.value());", "assertEquals(home.value(), workDir.getFileName().toString());")
    assert "workDir.getFileName().toString()" in (tmp_path / "src/test/java/com/acme/route/RouterTest.java").read_text()
    assert reasons == ["'workDir' has no member 'value'"]


def test_a_focal_method_declaring_a_project_s_unchecked_exception_is_called_in_an_assertion(tmp_path, monkeypatch,
                                                                                              capsys):
    """The exception is looked up as the focal class's file names it (imported there, not in the test)."""
    code, err = fill_with(tmp_path, monkeypatch, capsys, {
        "src/main/java/com/acme/errors/NotFoundException.java": "package com.acme.errors;\n"
        "public class NotFoundException extends RuntimeException {}\n",
        "src/main/java/com/acme/Store.java": "package com.acme;\nimport com.acme.errors.NotFoundException;\n"
        "public class Store {\n    public int find(int id) throws NotFoundException { return id; }\n}\n",
        "src/test/java/com/acme/StoreTest.java": "package com.acme;\nimport org.junit.Test;\n"
        "public class StoreTest {\n    @Test public void find() {\n        Store store = new Store();\n"
        "        int n = store.find(1);\n    }\n}\n"}, "assertEquals(n, store.find(1));")
    assert code == 0, err
    assert "assertEquals(n, store.find(1));" in (tmp_path / "src/test/java/com/acme/StoreTest.java").read_text()


class RecordingModel(FixedModel):
    """A FixedModel that keeps the model inputs it was given."""

    def __init__(self, candidates: list[str]):
        super().__init__(candidates)
        self.inputs = []

    def generate(self, inputs, num_candidates=4, batch_size=16):
        self.inputs += inputs
        return super().generate(inputs, num_candidates, batch_size)


def test_an_inherited_focal_method_comes_from_the_supertype_that_declares_it(tmp_path, monkeypatch, capsys):
    """A method the focal class inherits (a superclass's, an interface's default method) is the
    focal method, its source from the file that declares it; the class's own override wins."""
    write_files(tmp_path, {
        "src/main/java/com/acme/base/Named.java": "package com.acme.base;\n"
        "public interface Named {\n    default String label() { return \"named\"; }\n}\n",
        "src/main/java/com/acme/base/Shape.java": "package com.acme.base;\n"
        "public abstract class Shape implements Named {\n    public String describe() { return \"shape\"; }\n"
        "    public abstract double area();\n}\n",
        "src/main/java/com/acme/Square.java": "package com.acme;\nimport com.acme.base.Shape;\n"
        "public class Square extends Shape {\n    public double area() { return 4; }\n}\n",
        "src/test/java/com/acme/SquareTest.java": "package com.acme;\nimport org.junit.Test;\npublic class SquareTest {\n"
        + "".join(f"    @Test public void {name}() {{\n        Object r = new Square().{name}();\n    }}\n"
                  for name in ("describe", "label", "area")) + "}\n"})
    model = RecordingModel(["assertNotNull(r);"])
    monkeypatch.setattr(fill, "load_model", lambda model_dir: model)
    code, _, err = run(tmp_path, TEST_ROOT, "--no-reuse", "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0, err
    stubs = json.loads((tmp_path / "r.json").read_text())["files"][0]["stubs"]
    assert [(s["status"], s["focal"]) for s in stubs] == [
        ("filled", "com.acme.Square#describe"), ("filled", "com.acme.Square#label"), ("filled", "com.acme.Square#area")]
    assert [i.count(text) for i, text in zip(model.inputs, ['public String describe() { return "shape"; }',
                                                            'default String label() { return "named"; }',
                                                            "public double area() { return 4; }"])] == [1, 1, 1]


def test_a_record_s_implicit_accessor_is_the_focal_method(tmp_path, monkeypatch, capsys):
    """`circle.radius()` of `record Circle(double radius)` has no source: the accessor the record
    would declare is the focal method's text."""
    write_files(tmp_path, {
        "src/main/java/com/acme/Circle.java": "package com.acme;\n"
        "public record Circle(double radius) {\n    public double area() { return 3 * radius * radius; }\n}\n",
        "src/test/java/com/acme/CircleTest.java": "package com.acme;\nimport org.junit.Test;\npublic class CircleTest {\n"
        "    @Test public void radius() {\n        double r = new Circle(2).radius();\n    }\n}\n"})
    model = RecordingModel(["assertEquals(2, r, 0);"])
    monkeypatch.setattr(fill, "load_model", lambda model_dir: model)
    code, _, err = run(tmp_path, TEST_ROOT, "--no-reuse", capsys=capsys)
    assert code == 0, err
    assert "assertEquals(2, r, 0);" in (tmp_path / "src/test/java/com/acme/CircleTest.java").read_text()
    assert "public double radius() { return radius; }" in model.inputs[0] and "area" not in model.inputs[0]


def test_a_file_named_from_its_package_folder_has_the_project_s_roots(java_project, model, capsys):
    """`cd src/test/java/com/example/calc && assertgen fill CalculatorTest.java`: the test root
    was taken from the path as written (`.`), so no main sources were found (QA)."""
    package = java_project / "src/test/java/com/example/calc"
    for given in ("CalculatorTest.java", "./CalculatorTest.java", "../calc/CalculatorTest.java"):
        code, _, err = run(package, "--check", "--json", "/dev/null", given, capsys=capsys)
        assert code == 1 and fill.NO_MAIN_SOURCES not in err, (given, err)


def test_build_outputs_and_editor_lock_files_are_not_walked(java_project, model, capsys, tmp_path):
    """`fill .` filled the copies under target/ and build/ and reused assertions from them; an
    editor's dangling `.#FooTest.java` lock aborted the run (QA). A package named `build` is walked."""
    for output in ("target/checkout", "build/tmp"):
        shutil.copytree(java_project / "src", java_project / output / "src")
    (java_project / "src/test/java/com/example/calc/.#CalculatorTest.java").symlink_to("user@host.1:17")
    write_files(java_project, {"src/test/java/com/example/build/BuildTest.java":
                               "package com.example.build;\nimport org.junit.Test;\n"
                               "public class BuildTest {\n    @Test public void t() { }\n}\n"})
    code, _, err = run(java_project, "--check", "--json", str(tmp_path / "r.json"), ".", capsys=capsys)
    assert code == 1, err
    paths = {f["path"] for f in json.loads((tmp_path / "r.json").read_text())["files"]}
    assert not {p for p in paths if p.startswith(("target", "build"))}
    assert "src/test/java/com/example/build/BuildTest.java" in paths and CALC in paths


def test_disabled_tests_are_reported_not_filled(java_project, model, capsys, tmp_path):
    """@Disabled / @Ignore tests never run: assertions written there would never be checked."""
    source = (java_project / CALC).read_text()
    (java_project / CALC).write_text(source.replace("    @Test\n    public void testAdd()",
                                                    "    @Test\n    @org.junit.Ignore\n    public void testAdd()"))
    code, _, err = run(java_project, "--check", "--json", str(tmp_path / "r.json"), CALC, capsys=capsys)
    stubs = {s["method"]: s for f in json.loads((tmp_path / "r.json").read_text())["files"] for s in f["stubs"]}
    assert stubs["testAdd"]["status"] == "skipped" and stubs["testAdd"]["reason"] == fill.DISABLED
    assert any(s["status"] == "filled" for s in stubs.values())


def test_json_onto_an_existing_file_that_is_no_report_is_refused(java_project, model, capsys):
    before = (java_project / "pom.xml").read_bytes()
    code, _, err = run(java_project, "--json", "pom.xml", capsys=capsys)
    assert code == 2 and "pom.xml: exists and is no .json file" in err
    assert (java_project / "pom.xml").read_bytes() == before


def test_a_multi_module_build_fills_each_module_s_test_root(java_project, model, capsys, tmp_path):
    """At a parent pom's folder `assertgen fill` said `src/test/java: path not found`."""
    root = tmp_path / "parent"
    for module in ("a", "b"):
        shutil.copytree(java_project, root / module)
    (root / "pom.xml").write_text("<project><modules><module>a</module><module>b</module></modules></project>\n")
    code, _, err = run(root, "--check", "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 1 and "the test roots: a/src/test/java, b/src/test/java" in err
    paths = {f["path"] for f in json.loads((tmp_path / "r.json").read_text())["files"]}
    assert {f"a/{CALC}", f"b/{CALC}"} <= paths


def test_a_pom_s_own_source_directories_are_found(java_project, model, capsys, tmp_path):
    """args4j keeps its sources in `src` and `test` (`<sourceDirectory>`, `<testSourceDirectory>`):
    `assertgen fill` at its root said `src/test/java: path not found` (stop 31)."""
    root = tmp_path / "site"
    module = root / "lib"
    shutil.copytree(java_project / "src/main/java", module / "src")
    shutil.copytree(java_project / "src/test/java", module / "test")
    pom = (java_project / "pom.xml").read_text()
    (module / "pom.xml").write_text(pom.replace("</project>", "<build><sourceDirectory>src</sourceDirectory>"
                                                "<testSourceDirectory>test</testSourceDirectory></build></project>"))
    (root / "pom.xml").write_text("<project><modules><module>lib</module></modules></project>\n")
    calc = CALC.replace("src/test/java", "lib/test")
    code, _, err = run(root, "--check", "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 1 and "the test roots: lib/test" in err
    stubs = {s["method"]: s for f in json.loads((tmp_path / "r.json").read_text())["files"] if f["path"] == calc
             for s in f["stubs"]}
    # the focal classes were found in the pom's `src`
    assert stubs["testAdd"]["focal"] == "com.example.calc.Calculator#add"
    assert any(s["status"] == "filled" for s in stubs.values())
    # from the module's own folder, its pom's test root is the default
    code, _, err = run(module, "--check", capsys=capsys)
    assert code == 1 and "the test roots: test" in err


def test_a_test_base_class_s_own_supertypes_are_resolved_as_its_file_sees_them(tmp_path, monkeypatch, capsys):
    """commons-collections' ReverseComparatorTest extends AbstractComparatorTest, which extends
    AbstractObjectTest of another package, one the test does not import: taken for a library's
    class (whose fields nobody knows), every unknown name went through (javac: cannot find symbol)."""
    files = {
        "src/main/java/com/acme/Calc.java": "package com.acme;\npublic class Calc { public int add(int a, int b) { return a + b; } }\n",
        "src/test/java/com/acme/AbstractObjectTest.java": "package com.acme;\npublic abstract class AbstractObjectTest {\n"
                                                          "    protected int base;\n}\n",
        "src/test/java/com/acme/ops/AbstractOpTest.java": "package com.acme.ops;\nimport com.acme.AbstractObjectTest;\n"
                                                          "public abstract class AbstractOpTest extends AbstractObjectTest {}\n",
        "src/test/java/com/acme/ops/CalcTest.java": """package com.acme.ops;
import static org.junit.Assert.*;
import com.acme.Calc;
import org.junit.Test;
public class CalcTest extends AbstractOpTest {
    @Test public void testAdd() {
        int sum = new Calc().add(1, 2);
        // ASSERTION PLACEHOLDER
    }
}
""",
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files, "assertEquals(3, out2);", "assertEquals(base, sum);")
    assert reasons == ["unknown name 'out2'"]


def test_a_field_has_its_declared_type_where_another_test_declares_a_local_of_its_name(tmp_path, monkeypatch, capsys):
    """commons-collections' ListUtilsTest has a field `String e` and a `catch (Exception e)`:
    `e.size()` went through where the field is meant (javac: cannot find symbol)."""
    files = {
        "src/main/java/com/acme/Calc.java": "package com.acme;\npublic class Calc { public int add(int a, int b) { return a + b; } }\n",
        "src/test/java/com/acme/CalcTest.java": """package com.acme;
import static org.junit.Assert.*;
import org.junit.Test;
public class CalcTest {
    private static final String e = "e";
    @Test public void testAdd() {
        int sum = new Calc().add(1, 2);
        // ASSERTION PLACEHOLDER
    }
    @Test public void other() {
        try { new Calc().add(1, 1); } catch (RuntimeException e) { fail(e.getMessage()); }
    }
}
""",
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files, "assertEquals(sum, e.size());", "assertEquals(sum, e.length());")
    assert reasons == ["'e' has no member 'size'"]


def test_a_project_class_s_value_is_no_jdk_class_it_does_not_extend(tmp_path, monkeypatch, capsys):
    """commons-codec: `HmacUtils.updateHmac(hmacAlgorithm, "text")` of an enum, where every
    updateHmac takes a `javax.crypto.Mac` first (javac: no suitable method found)."""
    files = {
        "src/main/java/com/acme/Algorithm.java": "package com.acme;\npublic enum Algorithm { MD5, SHA }\n",
        "src/main/java/com/acme/Macs.java": """package com.acme;
import javax.crypto.Mac;
public class Macs {
    public static Mac update(Mac mac, String text) { return mac; }
    public static Mac update(Mac mac, byte[] data) { return mac; }
    public static boolean known(Comparable<?> value) { return true; }
    public static Mac of(Algorithm algorithm) { return null; }
}
""",
        "src/test/java/com/acme/MacsTest.java": """package com.acme;
import static org.junit.Assert.*;
import org.junit.Test;
public class MacsTest {
    private final Algorithm algorithm = Algorithm.MD5;
    @Test public void testOf() {
        Macs.of(algorithm);
        // ASSERTION PLACEHOLDER
    }
}
""",
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files, 'assertNotNull(Macs.update(algorithm, "text"));',
                         'assertNull(Macs.of("MD5"));', "assertTrue(Macs.known(algorithm));")
    # nor is a String of a project class (joda-time's `instant.toString("yyyy")` of a toString(DateTimeFormatter))
    assert reasons == ["no update(...) of Macs takes (Algorithm, String)", "no of(...) of Macs takes (String)"]


def test_the_overload_a_literal_argument_fits_is_the_one_whose_exceptions_count(tmp_path, monkeypatch, capsys):
    """commons-codec's Soundex has `encode(Object) throws EncoderException` and `encode(String)`:
    `encoder.encode(0)` calls the first (javac: unreported exception)."""
    files = {
        "src/main/java/com/acme/EncoderException.java": "package com.acme;\npublic class EncoderException extends Exception {}\n",
        "src/main/java/com/acme/Soundex.java": """package com.acme;
public class Soundex {
    public Object encode(Object value) throws EncoderException { return value; }
    public String encode(String text) { return text; }
}
""",
        **acme_test("SoundexTest", "testEncode", "Soundex encoder = new Soundex();\nString code = encoder.encode(\"Tymczak\");"),
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files, "assertNull(encoder.encode(0));",
                         'assertEquals(code, encoder.encode("Tymczak"));')
    assert reasons == ["calls 'encode', which throws a checked exception the test does not declare"]


def test_null_for_overloads_of_unrelated_parameters_and_a_lambda_that_is_no_statement_are_refused(
        tmp_path, monkeypatch, capsys):
    """commons-collections: `PredicateUtils.allPredicate(null)` beside allPredicate(Predicate...)
    and allPredicate(Collection) (javac: reference to allPredicate is ambiguous), commons-lang's
    `new MutableByte(null)` beside MutableByte(Number) and MutableByte(String) (stop 37), and
    `assertThrows(E.class, () -> iter::remove)` (javac: bad return type in lambda expression)."""
    files = {
        "src/main/java/com/acme/Predicates.java": """package com.acme;
import java.util.Collection;
public class Predicates {
    public static <T> Object all(Runnable... predicates) { return null; }
    public static <T> Object all(Collection<? extends Runnable> predicates) { return null; }
    public static Object any(Object predicate) { return null; }
    public static Object any(Runnable[] predicates) { return null; }
    public static Object one(String name) { return null; }
    public static Object one(Integer code) { return null; }
    public static Object two(String name) { return null; }
    public static Object two(Number code) { return null; }
    public static Object three(Integer code) { return null; }
    public static Object three(Number code) { return null; }
}
""",
        # commons-lang's MutableByte(byte), (Number) and (String): `new MutableByte(null)` is ambiguous
        "src/main/java/com/acme/Counter.java": "package com.acme;\npublic class Counter {\n"
                                              "    public Counter(byte b) { }\n    public Counter(Number n) { }\n"
                                              "    public Counter(String s) { }\n}\n",
        "src/main/java/com/acme/Label.java": "package com.acme;\npublic class Label {\n"
                                            "    public Label(String s) { }\n    public Label(CharSequence s) { }\n}\n",
        "src/test/java/com/acme/PredicatesTest.java": """package com.acme;
import static org.junit.Assert.*;
import java.util.Iterator;
import org.junit.Test;
public class PredicatesTest {
    @Test public void testAll() {
        Iterator<String> iter = java.util.Collections.<String>emptyList().iterator();
        Object all = Predicates.all();
        // ASSERTION PLACEHOLDER
    }
}
""",
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files,
                         "assertThrows(NullPointerException.class, () -> Predicates.all(null));",
                         "assertNull(Predicates.one(null));",
                         "assertThrows(IllegalStateException.class, () -> iter::remove);",
                         "assertNull(Predicates.two(null));",   # no String is a Number
                         "assertThrows(NullPointerException.class, () -> new Counter(null));",
                         "assertNull(Predicates.any(null));")  # Object takes any array: the array's is more specific
    assert reasons == ["Predicates.all(null) is ambiguous: null fits more than one all(...) of Predicates",
                       "Predicates.one(null) is ambiguous: null fits more than one one(...) of Predicates",
                       "assertThrows calls a lambda for no value, and its body iter::remove is no statement",
                       "Predicates.two(null) is ambiguous: null fits more than one two(...) of Predicates",
                       "new Counter(null) is ambiguous: null fits more than one constructor of Counter"]
    # an Integer is a Number (Integer's is more specific), a String a CharSequence: accepted
    for accepted in ("assertNull(Predicates.three(null));", "assertNotNull(new Label(null));"):
        assert rejections(tmp_path / accepted[:12], monkeypatch, capsys, files, accepted) == []


def test_what_object_s_methods_return_on_a_project_class_is_known(tmp_path, monkeypatch, capsys):
    """args4j: `bean.getClass().size()` went through (javac: cannot find symbol): getClass() is
    Object's, declared by no class of the project's chain."""
    files = {
        "src/main/java/com/acme/Bean.java": "package com.acme;\npublic class Bean { public int size() { return 0; } }\n",
        "src/main/java/com/acme/Kind.java": "package com.acme;\npublic enum Kind { A, B }\n",
        **acme_test("BeanTest", "testSize", "Bean bean = new Bean();\nKind kind = Kind.A;\nint size = bean.size();"),
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files, "assertEquals(1, bean.getClass().size());",
                         'assertEquals(1, kind.name().size());',
                         'assertEquals("Bean", bean.getClass().getSimpleName());')
    assert reasons == ["what bean.getClass(...) returns has no member 'size'",
                       "what kind.name(...) returns has no member 'size'"]


def test_a_test_that_only_creates_its_focal_class_gets_the_constructor_as_focal_method(tmp_path, monkeypatch, capsys):
    """commons-codec's `new DecoderException()` then assertions on it; joda-time's
    TestDateTimeZoneCutover (no class DateTimeZoneCutover) creating DateTimes: skipped for "no
    focal method called" or "focal class not found" (stop 31); the constructor the test calls is
    the focal method now, the focal class's first. The test's name read loosely (an accessor's
    name without its `get`) comes after it (commons-net's `testBase64` creates a Base64, and was
    taken for its `isBase64` at stop 37)."""
    files = {
        "src/main/java/com/acme/CodecException.java": """package com.acme;
public class CodecException extends Exception {
    public CodecException() { super(); }
    public CodecException(String message) { super(message); }
    public String getConstructor1() { return null; }   // the test's name, loosely: only where nothing else is
}
""",
        "src/main/java/com/acme/Zone.java": "package com.acme;\npublic class Zone { public Zone(String id) {} }\n",
        **acme_test("CodecExceptionTest", "testConstructor1", "Zone zone = new Zone(\"UTC\");\nCodecException e = new CodecException(\"msg\");"),
        **acme_test("ZoneCutoverTest", "testGaza", "Zone zone = new Zone(\"Asia/Gaza\");"),
    }
    write_files(tmp_path, files)
    monkeypatch.setattr(fill, "load_model", lambda model_dir: FixedModel(['assertEquals("msg", e.getMessage());',
                                                                          "assertNotNull(zone);"]))
    code, _, err = run(tmp_path, TEST_ROOT, "--no-reuse", "--json", str(tmp_path / "r.json"), capsys=capsys)
    stubs = {s["method"]: s for f in json.loads((tmp_path / "r.json").read_text())["files"] for s in f["stubs"]}
    assert code == 0, err
    assert stubs["testConstructor1"]["focal"] == "com.acme.CodecException#CodecException"
    assert stubs["testConstructor1"]["assertions"] == ['assertEquals("msg", e.getMessage());']
    assert stubs["testGaza"]["focal"] == "com.acme.Zone#Zone" and stubs["testGaza"]["status"] == "filled"


def test_a_test_of_a_static_api_imported_statically_gets_its_focal_method(tmp_path, monkeypatch, capsys):
    """mockito's usage tests (`StubbingTest`, no main class Stubbing) call `mock`, `when` of
    `import static org.mockito.Mockito.*;`, a main class of the project, and named no class of it:
    skipped for "focal class not found" (stop 35's trial: 68 of 193 masked tests); the static
    method they call is the focal method now. A class of another package of the name is no owner."""
    files = {
        "src/main/java/com/acme/Mocks.java": "package com.acme;\npublic class Mocks {\n"
                                            "    public static <T> T mock(Class<T> type) { return null; }\n"
                                            "    public static int calls(Object mock) { return 0; }\n}\n",
        "src/main/java/com/other/Mocks.java": "package com.other;\npublic class Mocks { public static int calls(Object m) "
                                             "{ return 1; } }\n",
        "src/test/java/com/acme/usage/StubbingTest.java": """package com.acme.usage;
import static com.acme.Mocks.*;
import static org.junit.Assert.*;
import org.junit.Test;
public class StubbingTest {
    @Test public void counts_calls() {
        Object list = mock(Object.class);
        int n = calls(list);
        // ASSERTION PLACEHOLDER
    }
}
""",
    }
    write_files(tmp_path, files)
    monkeypatch.setattr(fill, "load_model", lambda model_dir: FixedModel(["assertEquals(0, n);"]))
    code, _, err = run(tmp_path, TEST_ROOT, "--no-reuse", "--json", str(tmp_path / "r.json"), capsys=capsys)
    stubs = {s["method"]: s for f in json.loads((tmp_path / "r.json").read_text())["files"] for s in f["stubs"]}
    assert code == 0, err
    assert stubs["counts_calls"]["focal"] == "com.acme.Mocks#calls" and stubs["counts_calls"]["status"] == "filled"


def test_a_call_of_another_object_s_method_is_no_call_of_a_statically_imported_one(tmp_path, monkeypatch, capsys):
    """jline's ViMoveModeTest: `b.ctrl('K')` is its TestBuffer's own method, and was taken for
    `ctrl` of `import static org.jline.keymap.KeyMap.ctrl;` (stop 36). Called unqualified, it is
    the imported one."""
    files = {
        "src/main/java/com/acme/keys/Keys.java": "package com.acme.keys;\npublic class Keys {\n"
                                                "    public static String ctrl(char key) { return \"^\" + key; }\n}\n",
        "src/test/java/com/acme/reader/MoveTest.java": """package com.acme.reader;
import static com.acme.keys.Keys.ctrl;
import static org.junit.Assert.*;
import org.junit.Test;
public class MoveTest {
    @Test public void testCtrlK() {
        StringBuilder b = new StringBuilder("x");
        String input = b.ctrl('K').toString();
        // ASSERTION PLACEHOLDER
    }
    @Test public void testCtrlKey() {
        String key = ctrl('B');
        // ASSERTION PLACEHOLDER
    }
}
""",
    }
    write_files(tmp_path, files)
    monkeypatch.setattr(fill, "load_model", lambda model_dir: FixedModel(["assertNotNull(input);", "assertNotNull(key);"]))
    code, _, err = run(tmp_path, TEST_ROOT, "--no-reuse", "--json", str(tmp_path / "r.json"), capsys=capsys)
    stubs = {s["method"]: s for f in json.loads((tmp_path / "r.json").read_text())["files"] for s in f["stubs"]}
    assert code == 0, err
    assert (stubs["testCtrlK"]["status"], stubs["testCtrlK"]["reason"]) == ("skipped", fill.NO_FOCAL_CLASS)
    assert stubs["testCtrlKey"]["focal"] == "com.acme.keys.Keys#ctrl" and stubs["testCtrlKey"]["status"] == "filled"


def test_assertions_spread_over_placeholders_are_each_checked_where_they_go(tmp_path, monkeypatch, capsys):
    """jsoup's supportsInternationalDomainNames: the second assertion uses `req`, declared after
    the first placeholder; all were checked at the first placeholder too, and refused (stop 31).
    One still fails where it goes (`e` outside its catch)."""
    files = {
        "src/main/java/com/acme/Calc.java": "package com.acme;\npublic class Calc { public int add(int a, int b) { return a + b; } }\n",
        **acme_test("CalcTest", "testAdd", "int first = new Calc().add(1, 2);\n// ASSERTION PLACEHOLDER\nint second = new Calc().add(2, 2);"),
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files, "assertEquals(3, second);\nassertEquals(4, first);",
                         "assertEquals(3, first);\nassertEquals(4, second);")
    assert reasons == ["unknown name 'second' (placeholder 1)"]


def test_an_exception_s_superclasses_are_resolved_as_their_own_files_see_them(tmp_path, monkeypatch, capsys):
    """commons-math's `Complex.add(Complex) throws NullArgumentException`, which extends
    MathIllegalArgumentException of its own package (unchecked, an IllegalArgumentException):
    looked up as Complex's file names it, the superclass was not found and the exception counted
    as checked, which refused the project's own `assertEquals(x.add(yComplex), x.add(yDouble))`."""
    files = {
        "src/main/java/com/acme/ex/MathIllegalArgumentException.java":
            "package com.acme.ex;\npublic class MathIllegalArgumentException extends IllegalArgumentException {}\n",
        "src/main/java/com/acme/ex/NullArgumentException.java":
            "package com.acme.ex;\npublic class NullArgumentException extends MathIllegalArgumentException {}\n",
        "src/main/java/com/acme/ex/MathException.java": "package com.acme.ex;\npublic class MathException extends Exception {}\n",
        "src/main/java/com/acme/Complex.java": """package com.acme;
import com.acme.ex.MathException;
import com.acme.ex.NullArgumentException;
public class Complex {
    public Complex add(Complex other) throws NullArgumentException { return this; }
    public Complex pow(Complex other) throws MathException { return this; }
}
""",
        **acme_test("ComplexTest", "testAdd", "Complex x = new Complex();"),
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files, "assertNotNull(x.pow(x));", "assertEquals(x, x.add(x));")
    assert reasons == ["calls 'pow', which throws a checked exception the test does not declare"]


def test_a_call_of_a_statically_imported_project_method_uses_the_code_under_test(tmp_path, monkeypatch, capsys):
    """jackson-core's `assertEquals(0, flog10threeQuartersPow2(1), "...")` of `import static
    ...MathUtils.*`: "uses nothing from the test" (stop 31)."""
    files = {
        "src/main/java/com/acme/MathUtils.java": """package com.acme;
public final class MathUtils {
    public static int flog(int e) { return e; }
    public static int twice(int e) { return 2 * e; }
}
""",
        "src/test/java/com/acme/MathUtilsTest.java": """package com.acme;
import static com.acme.MathUtils.*;
import static com.acme.MathUtils.twice;
import static org.junit.Assert.*;
import org.junit.Test;
public class MathUtilsTest {
    @Test public void testFlog() {
        int none = 0;
        // ASSERTION PLACEHOLDER
    }
}
""",
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files, "assertEquals(1, Math.abs(-1));",
                         "assertEquals(0, flog(0));")
    assert reasons == ["uses nothing from the test"]
    reasons = rejections(tmp_path, monkeypatch, capsys, files, "assertEquals(1, Math.abs(-1));", "assertEquals(2, twice(1));")
    assert reasons == ["uses nothing from the test"]


def test_calls_on_a_chain_of_project_fields_and_methods_take_their_argument_counts_and_types(tmp_path, monkeypatch, capsys):
    """commons-csv's `CSVFormat.DEFAULT.withCommentMarker()` and `.withCommentMarker(false)` of
    a withCommentMarker(char): only calls on a variable or class name were checked (stop 31)."""
    files = {
        "src/main/java/com/acme/Format.java": """package com.acme;
public class Format {
    public static final Format DEFAULT = new Format();
    public Format withMarker(char marker) { return this; }
    public boolean ignores() { return true; }
}
""",
        **acme_test("FormatTest", "testWithMarker", "Format format = Format.DEFAULT.withMarker('#');"),
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files, "assertTrue(Format.DEFAULT.withMarker().ignores());",
                         "assertTrue(Format.DEFAULT.withMarker(false).ignores());",
                         "assertTrue(Format.DEFAULT.withMarker('!').ignores());")
    assert reasons == ["no method 'withMarker' of what Format.DEFAULT holds (Format) takes 0 argument(s)",
                       "no withMarker(...) of Format takes (boolean)"]


def test_commons_io_s_javac_errors_are_refused(tmp_path, monkeypatch, capsys):
    """commons-io (stop 31): `IOUtils.closeQuietly(0)` of closeQuietly(Closeable...) (an int is
    no Closeable), `proxy.read(null)` of read(char[]) and read(CharBuffer) in a class extending
    java.io.Reader (ambiguous), `observer.size()` of the base class's FileAlterationObserver field,
    beside another test's local `observer` of another type."""
    files = {
        "src/main/java/com/acme/IOUtils.java": """package com.acme;
import java.io.Closeable;
import java.nio.CharBuffer;
public class IOUtils {
    public static void closeQuietly(Closeable... closeables) {}
    public static int count(Object... values) { return values.length; }
}
""",
        "src/main/java/com/acme/ProxyReader.java": """package com.acme;
import java.io.FilterReader;
import java.io.Reader;
import java.nio.CharBuffer;
public class ProxyReader extends FilterReader {
    public ProxyReader(Reader in) { super(in); }
    public int read(char[] chars) { return 0; }
    public int read(CharBuffer target) { return 0; }
}
""",
        "src/main/java/com/acme/Observer.java": "package com.acme;\npublic class Observer { public int count() { return 0; } }\n",
        "src/test/java/com/acme/AbstractMonitorTest.java": "package com.acme;\npublic abstract class AbstractMonitorTest {\n"
                                                           "    protected Observer observer;\n}\n",
        "src/test/java/com/acme/IOUtilsTest.java": """package com.acme;
import static org.junit.Assert.*;
import java.io.StringReader;
import java.util.List;
import org.junit.Test;
public class IOUtilsTest extends AbstractMonitorTest {
    @Test public void testCloseQuietly() {
        ProxyReader proxy = new ProxyReader(new StringReader("x"));
        IOUtils.closeQuietly(proxy);
        // ASSERTION PLACEHOLDER
    }
    @Test public void other() {
        List<String> observer = java.util.Collections.emptyList();
        assertEquals(0, observer.size());
    }
}
""",
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files,
                         "assertThrows(IllegalStateException.class, () -> IOUtils.closeQuietly(0));",
                         "assertThrows(NullPointerException.class, () -> proxy.read(null));",
                         "assertEquals(0, observer.size());",
                         "assertEquals(2, IOUtils.count(1, \"a\"));")
    assert reasons == ["no closeQuietly(...) of IOUtils takes (int)",
                       "proxy.read(null) is ambiguous: null fits more than one read(...) of ProxyReader",
                       "'observer' has no member 'size'"]


def test_a_jdk_interface_s_object_methods_hide_no_overload_of_a_project_class(tmp_path, monkeypatch, capsys):
    """joda-time's Instant implements Comparable and Serializable, whose members list Object's
    `toString()`: taken for unknown overloads, they hid its `toString(DateTimeFormatter)`, and
    `instant.toString("yyyy")` went through (stop 31)."""
    files = {
        "src/main/java/com/acme/Formatter.java": "package com.acme;\npublic class Formatter {}\n",
        "src/main/java/com/acme/Instant.java": """package com.acme;
import java.io.Serializable;
public class Instant implements Comparable<Instant>, Serializable {
    public int compareTo(Instant other) { return 0; }
    public String toString() { return ""; }
    public String toString(Formatter formatter) { return ""; }
}
""",
        **acme_test("InstantTest", "testToString", "Instant instant = new Instant();\ninstant.toString();"),
    }
    reasons = rejections(tmp_path, monkeypatch, capsys, files, 'assertEquals("2002", instant.toString("yyyy"));',
                         'assertEquals("Sun", instant.toString(new Formatter(), java.util.Locale.ENGLISH));',
                         'assertEquals("", instant.toString(new Formatter()));')
    # nor does Object's toString() take two arguments (javac: no suitable method found)
    assert reasons == ["no toString(...) of Instant takes (String)",
                       "no method 'toString' of 'instant' takes 2 argument(s)"]


def test_other_characters_go_into_an_ascii_file_as_unicode_escapes(tmp_path, monkeypatch, capsys):
    """An ASCII-only test file tells no encoding: `"Hallo Jürgen"` went in as UTF-8 bytes, which a
    Latin-1 project's javac (`-encoding ISO-8859-1`) read as "JÃ¼rgen" (QA). A UTF-8 file keeps them."""
    code, err = fill_with(tmp_path, monkeypatch, capsys, {
        "src/main/java/com/acme/Greeter.java": "package com.acme;\npublic class Greeter { public String greet() { return \"\"; } }\n",
        "src/test/java/com/acme/GreeterTest.java": "package com.acme;\nimport org.junit.Test;\n"
        "public class GreeterTest {\n    @Test public void greet() {\n        String text = new Greeter().greet();\n    }\n}\n",
        "src/test/java/com/acme/utf8/GreeterTest.java": "package com.acme.utf8;\nimport com.acme.Greeter;\n"
        "import org.junit.Test;\n// café\npublic class GreeterTest {\n    @Test public void greet() {\n"
        "        String text = new Greeter().greet();\n    }\n}\n"}, 'assertEquals("Hallo Jürgen", text);')
    assert code == 0, err
    ascii_file = (tmp_path / "src/test/java/com/acme/GreeterTest.java").read_bytes()
    assert b'assertEquals("Hallo J\\u00fcrgen", text);' in ascii_file and ascii_file.isascii()
    assert 'assertEquals("Hallo Jürgen", text);' in (tmp_path / "src/test/java/com/acme/utf8/GreeterTest.java").read_text()


MODULES = {
    "pom.xml": "<project><modules><module>a</module><module>b</module></modules></project>\n",
    "a/src/main/java/com/acme/a/Account.java": "package com.acme.a;\npublic class Account {\n"
    "    private final String owner;\n    public Account(String owner) { this.owner = owner; }\n"
    "    public String getOwner() { return owner; }\n}\n",
    "b/src/main/java/com/acme/b/Bank.java": "package com.acme.b;\nimport com.acme.a.Account;\n"
    "public class Bank { public Account open(String owner) { return new Account(owner); } }\n",
    "b/src/test/java/com/acme/a/AccountTest.java": "package com.acme.a;\nimport org.junit.Test;\n"
    "public class AccountTest {\n    @Test public void testGetOwner() {\n"
    "        String owner = new Account(\"eve\").getOwner();\n    }\n}\n",
}


@pytest.mark.parametrize("args", [["b/src/test/java"], ["b/src/test/java", "--main", "a/src/main/java",
                                                         "--main", "b/src/main/java"]])
def test_a_module_s_tests_find_the_classes_of_the_build_s_other_modules(tmp_path, monkeypatch, capsys, args):
    """Module b's test of module a's Account: `focal class not found`, and --main kept only its last
    value (QA). The other modules' src/main/java under a parent pom are searched after the own one."""
    write_files(tmp_path, MODULES)
    monkeypatch.setattr(fill, "load_model", lambda model_dir: FixedModel(['assertEquals("eve", owner);']))
    code, _, err = run(tmp_path, *args, "--no-reuse", capsys=capsys)
    assert code == 0, err
    assert 'assertEquals("eve", owner);' in (tmp_path / "b/src/test/java/com/acme/a/AccountTest.java").read_text()


def test_a_module_of_tests_alone_finds_the_classes_of_the_build_s_other_modules(tmp_path, monkeypatch, capsys):
    """jsonp's tests/ module has no src/main/java: its 120 stubs were all `no main source directory`."""
    files = {path.replace("b/src/test", "tests/src/test"): text for path, text in MODULES.items()}
    write_files(tmp_path, files)
    monkeypatch.setattr(fill, "load_model", lambda model_dir: FixedModel(['assertEquals("eve", owner);']))
    code, _, err = run(tmp_path, "tests/src/test/java", "--no-reuse", capsys=capsys)
    assert code == 0, err
    assert 'assertEquals("eve", owner);' in (tmp_path / "tests/src/test/java/com/acme/a/AccountTest.java").read_text()


def test_symlinked_package_folders_are_walked_once_and_loops_end(java_project, model, capsys, tmp_path):
    """A package folder linked in from elsewhere was skipped without a word (QA); a link back to
    an ancestor must not walk for ever."""
    outside = tmp_path / "ext" / "text"
    shutil.move(str(java_project / "src/test/java/com/example/text"), outside)
    (java_project / "src/test/java/com/example/text").symlink_to(outside)
    (java_project / "src/test/java/com/example/loop").symlink_to(java_project / "src/test/java")
    code, _, err = run(java_project, "--check", "--json", str(tmp_path / "r.json"), capsys=capsys)
    paths = [f["path"] for f in json.loads((tmp_path / "r.json").read_text())["files"]]
    assert CRLF in paths and len(paths) == len(set(paths)) == 6, paths


def test_the_summary_says_where_rejections_are_told_and_groups_missing_main_sources(java_project, model, capsys,
                                                                                   tmp_path):
    """Why the checks rejected each candidate was only in --json, unmentioned; `no main source
    directory` came once per stub (QA)."""
    hint = "(the candidates of each stub and why the checks rejected them: --json REPORT)"
    _, _, err = run(java_project, "--check", capsys=capsys)
    assert hint in err
    _, _, err = run(java_project, "--check", "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert hint not in err
    shutil.rmtree(java_project / "src/main/java")
    _, _, err = run(java_project, "--check", capsys=capsys)
    calc = [line for line in err.splitlines() if line.startswith(f"not filled {CALC}")]
    assert calc == [f"not filled {CALC}: 4 stub(s): {fill.NO_MAIN_SOURCES}"], calc


def assert_compiles(root: Path, tmp_path: Path, jars: tuple[str, ...] = ()) -> None:
    """javac compiles every Java file under `root` against JUnit 4 and 5 (skipped without them)."""
    javac, jars = shutil.which("javac"), [Path("/usr/share/java") / name for name in JARS + list(jars)]
    if javac is None or not all(j.exists() for j in jars):
        pytest.skip("SKIPPED COMPILE CHECK: no javac or JUnit jars (apt-get install default-jdk-headless junit4 junit5)")
    proc = subprocess.run([javac, "-d", str(tmp_path / "classes"), "-nowarn", "-cp", os.pathsep.join(map(str, jars)),
                           *map(str, root.rglob("*.java"))], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


BOX = "public class Box {\n    public int size() { return 1; }\n    public String name() { return \"b\"; }\n}\n"
BOX_TEST = "public class BoxTest {\n    @{test} public void size() {\n        int n = new Box().size();\n    }\n}\n"


@pytest.mark.parametrize("head, expected", [
    # a group of its own above the other imports (Google Java Style), with the file's CRLF line breaks
    ("package a;\r\n\r\nimport org.junit.Test;\r\nimport java.util.List;\r\n\r\n",
     "package a;\r\n\r\nimport static org.junit.Assert.*;\r\n\r\nimport org.junit.Test;\r\nimport java.util.List;\r\n\r\n"),
    # into the file's sorted static imports, in its sorted place
    ("package a;\n\nimport static java.lang.Math.max;\nimport static org.junit.Assert.assertEquals;\n\n"
     "import org.junit.Test;\n\n",
     "package a;\n\nimport static java.lang.Math.max;\nimport static org.junit.Assert.*;\n"
     "import static org.junit.Assert.assertEquals;\n\nimport org.junit.Test;\n\n"),
    # ... after the last of unsorted ones
    ("package a;\n\nimport static org.junit.Assert.assertEquals;\nimport static java.lang.Math.max;\n"
     "import org.junit.Test;\n",
     "package a;\n\nimport static org.junit.Assert.assertEquals;\nimport static java.lang.Math.max;\n"
     "import static org.junit.Assert.*;\nimport org.junit.Test;\n"),
    # below the other imports where java.* come last, a group of their own (IntelliJ IDEA's layout)
    ("package a;\n\nimport org.junit.Test;\n\nimport java.util.List;\n\n",
     "package a;\n\nimport org.junit.Test;\n\nimport java.util.List;\n\nimport static org.junit.Assert.*;\n\n"),
    # no imports: after the package line, one blank line around; no package: the file's first line
    ("package a;\n", "package a;\n\nimport static org.junit.Assert.*;\n\n"),
    ("", "import static org.junit.Assert.*;\n\n"),
])
def test_an_added_static_import_goes_where_the_file_keeps_its_static_imports(tmp_path, monkeypatch, capsys, head,
                                                                             expected):
    """It went right above the first import, no blank line between the groups; formatters keep
    static imports a group of their own (QA)."""
    package = "a/" if head else ""
    eol = "\r\n" if "\r\n" in head else "\n"
    test = BOX_TEST.replace("{test}", "Test" if "org.junit.Test;" in head else "org.junit.Test").replace("\n", eol)
    code, err = fill_with(tmp_path / "p", monkeypatch, capsys, {
        f"src/main/java/{package}Box.java": head.split(eol)[0] + "\n" + BOX if head else BOX,
        f"src/test/java/{package}BoxTest.java": head + test}, "assertTrue(n > 0);")
    assert code == 0, err
    written = (tmp_path / "p" / f"src/test/java/{package}BoxTest.java").read_bytes().decode()
    assert written == expected + test.replace(f"size();{eol}", f"size();{eol}        assertTrue(n > 0);{eol}")
    assert_compiles(tmp_path / "p", tmp_path)


@pytest.mark.parametrize("imports, test, owner", [
    # JUnit 4's @Test in a file that imports JUnit 5 too (a migration): JUnit 4's assertions
    ("import org.junit.Test;\nimport org.junit.jupiter.api.DisplayName;\n", "Test", "org.junit.Assert"),
    # JUnit 5's @Test in a file that imports JUnit 4's Assert, or JUnit 4's Test
    ("import org.junit.Assert;\nimport org.junit.jupiter.api.Test;\n", "Test", "org.junit.jupiter.api.Assertions"),
    ("import org.junit.Test;\n", "org.junit.jupiter.api.Test", "org.junit.jupiter.api.Assertions"),
    ("import org.junit.Assert;\nimport org.junit.jupiter.params.ParameterizedTest;\n"
     "import org.junit.jupiter.params.provider.ValueSource;\n", "ParameterizedTest @ValueSource(ints = 1)",
     "org.junit.jupiter.api.Assertions"),
])
def test_the_assertions_imported_are_those_of_the_test_s_own_framework(tmp_path, monkeypatch, capsys, imports,
                                                                       test, owner):
    """A file importing both JUnit 4 and 5 got JUnit 5's Assertions for a JUnit 4 test."""
    source = "package a;\n\n" + imports + "\n" + BOX_TEST.replace("{test}", test)
    if "ParameterizedTest" in test:
        source = source.replace("size() {", "size(int k) {")
    code, err = fill_with(tmp_path / "p", monkeypatch, capsys, {
        "src/main/java/a/Box.java": "package a;\n" + BOX, "src/test/java/a/BoxTest.java": source},
        'assertEquals("b", new Box().name());\nassertTrue(n > 0);')
    assert code == 0, err
    written = (tmp_path / "p/src/test/java/a/BoxTest.java").read_text()
    assert written.startswith(f"package a;\n\nimport static {owner}.*;\n\n" + imports), written
    assert_compiles(tmp_path / "p", tmp_path, jars=("junit-jupiter-params.jar",))


@pytest.mark.parametrize("imports, test, candidate, expected_imports", [
    # a JUnit 5 test importing assertions statically: the class, among the class imports
    ("import static org.junit.jupiter.api.Assertions.assertTrue;\n\nimport org.junit.jupiter.api.Test;\n", "Test",
     'Assertions.assertEquals("b", new Box().name());',
     "import static org.junit.jupiter.api.Assertions.assertTrue;\n\nimport org.junit.jupiter.api.Assertions;\n"
     "import org.junit.jupiter.api.Test;\n"),
    # a JUnit 4 test importing no assertion; both kinds of import at once
    ("import org.junit.Test;\n", "Test", "Assert.assertTrue(n > 0);\nassertEquals(1, n);",
     "import static org.junit.Assert.*;\n\nimport org.junit.Assert;\nimport org.junit.Test;\n"),
])
def test_an_assertion_qualified_by_its_class_gets_the_class_imported(tmp_path, monkeypatch, capsys, imports, test,
                                                                      candidate, expected_imports):
    """QA round 11 (the embedded model's own candidates): `Assert.assertEquals(...)` was turned away
    as an unknown name where the file imports no `Assert` (JUnit's classes qualify half the corpus's
    assertions); javac compiles what fill writes now."""
    source = "package a;\n\n" + imports + "\n" + BOX_TEST.replace("{test}", test)
    code, err = fill_with(tmp_path / "p", monkeypatch, capsys, {
        "src/main/java/a/Box.java": "package a;\n" + BOX, "src/test/java/a/BoxTest.java": source}, candidate)
    assert code == 0, err
    written = (tmp_path / "p/src/test/java/a/BoxTest.java").read_text()
    assert written.startswith("package a;\n\n" + expected_imports + "\npublic class BoxTest"), written
    assert candidate.split("\n")[0] in written
    assert_compiles(tmp_path / "p", tmp_path)


@pytest.mark.parametrize("imports, test, candidate, reason", [
    # JUnit 5's Assertions has no assertThat (AssertJ's has; this file does not use AssertJ)
    ("import org.junit.jupiter.api.Test;\n", "Test", "Assertions.assertThat(n > 0);", "unknown name 'Assertions'"),
    ("import org.junit.jupiter.api.Assertions;\nimport org.junit.jupiter.api.Test;\n", "Test",
     "Assertions.assertThat(n > 0);", "org.junit.jupiter.api.Assertions has no 'assertThat'"),
    ("import org.junit.Assert;\nimport org.junit.Test;\n", "Test", "Assert.assertEqual(1, n);",
     "org.junit.Assert has no 'assertEqual'"),
    # a JUnit 4 test: JUnit 5's Assertions is no class of its framework
    ("import org.junit.Test;\n", "Test", "Assertions.assertEquals(1, n);", "unknown name 'Assertions'"),
    ("import org.assertj.core.api.Assertions;\nimport org.junit.jupiter.api.Test;\n", "Test",
     "Assertions.assertEquals(1, n);", "AssertJ's Assertions has no 'assertEquals'"),
])
def test_a_member_the_assertion_class_lacks_is_turned_away(tmp_path, monkeypatch, capsys, imports, test, candidate,
                                                          reason):
    """JUnit's Assert and Assertions have no static member but their assertions (javac: cannot
    find symbol); were accepted where the file imports the class."""
    source = "package a;\n\n" + imports + "\n" + BOX_TEST.replace("{test}", test)
    found = rejections(tmp_path / "p", monkeypatch, capsys, {
        "src/main/java/a/Box.java": "package a;\n" + BOX, "src/test/java/a/BoxTest.java": source}, candidate)
    assert found and reason in found[0], found


def test_tests_of_two_frameworks_in_one_file_never_import_one_name_twice(tmp_path, monkeypatch, capsys):
    """A JUnit 4 and a JUnit 5 test of one file: `import static org.junit.Assert.*;` beside
    `import static org.junit.jupiter.api.Assertions.*;` makes every `assertEquals(...)` of the
    file ambiguous (javac: reference to assertEquals is ambiguous), and so do two single-name
    imports of it. The second test may not call `assertEquals` then; each name is imported alone."""
    source = ("package a;\n\nimport org.junit.Test;\n\npublic class BoxTest {\n"
              "    @Test public void four() {\n        Box box = new Box();\n        int n = box.size();\n    }\n\n"
              "    @org.junit.jupiter.api.Test void five() {\n        Box box = new Box();\n        int n = box.size();\n"
              "    }\n}\n")
    write_files(tmp_path / "p", {"src/main/java/a/Box.java": "package a;\n" + BOX, "src/test/java/a/BoxTest.java": source})
    monkeypatch.setattr(fill, "load_model", lambda model_dir: FixedModel(
        ['assertEquals("b", box.name());', "assertTrue(n > 0);"]))
    code, _, err = run(tmp_path / "p", TEST_ROOT, "--no-reuse", "--json", str(tmp_path / "r.json"), capsys=capsys)
    assert code == 0, err
    written = (tmp_path / "p/src/test/java/a/BoxTest.java").read_text()
    assert written.startswith("package a;\n\nimport static org.junit.Assert.assertEquals;\n"
                              "import static org.junit.jupiter.api.Assertions.assertTrue;\n\nimport org.junit.Test;\n")
    stubs = json.loads((tmp_path / "r.json").read_text())["files"][0]["stubs"]
    assert [(s["method"], s["assertions"], s["imports_added"]) for s in stubs] == [
        ("four", ['assertEquals("b", box.name());'], ["import static org.junit.Assert.assertEquals;"]),
        ("five", ["assertTrue(n > 0);"], ["import static org.junit.jupiter.api.Assertions.assertTrue;"])]
    assert [r["reason"] for r in stubs[1]["rejected"]] == [
        "'assertEquals' is imported from org.junit.Assert for another test of the file"]
    assert_compiles(tmp_path / "p", tmp_path)


WALLET = {
    "src/main/java/com/acme/Wallet.java": "package com.acme;\npublic class Wallet {\n"
    "    public Coin coin() { return new Coin(1); }\n    static class Hidden { }\n}\n"
    "class Coin {\n    private final int value;\n    Coin(int value) { this.value = value; }\n"
    "    int value() { return value; }\n}\n",
    "src/testFixtures/java/com/acme/Fixtures.java": "package com.acme;\n"
    "public class Fixtures { public static Wallet wallet() { return new Wallet(); } }\n",
    "src/test/java/com/acme/WalletTest.java": "package com.acme;\nimport static org.junit.Assert.*;\n"
    "import org.junit.Test;\npublic class WalletTest {\n    @Test public void testCoin() {\n"
    "        Wallet wallet = new Wallet();\n        int cents = wallet.coin().value();\n    }\n}\n",
}


@pytest.mark.parametrize("candidate, filled", [
    ("assertEquals(1, new Coin(1).value() + cents - 1);", True),   # a second top-level class of Wallet.java
    ("assertEquals(1, new Coin(1).valu() + cents - 1);", False),   # ... whose members are known
    ("assertNotNull(new Hidden());", False),   # a member class of Wallet: no name of the package
    ("assertSame(Fixtures.wallet().coin(), new Wallet().coin());", True),   # Gradle's src/testFixtures/java
])
def test_a_package_s_classes_declared_in_another_file_and_the_test_fixtures_are_known(
        tmp_path, monkeypatch, capsys, candidate, filled):
    """`unknown type 'Coin'`, `unknown name 'Fixtures'` (QA): javac takes both."""
    code, err = fill_with(tmp_path, monkeypatch, capsys, WALLET, candidate)
    assert code == 0, err
    assert (candidate in (tmp_path / "src/test/java/com/acme/WalletTest.java").read_text()) == filled, err
