"""`workbench mine`: training records from the asserted tests of a methods corpus."""

from __future__ import annotations

import json

from conftest import load_script
from test_retrieval import workbench

from workbench.data import load_records
from workbench.mine import package_of

MAIN = "src/main/java/org/shop/Cart.java"
CART = ["public int add(int price) { total += price; return total; }",
        "public boolean isEmpty() { return total == 0; }"]
TESTS = {
    # the corpus rule: CartTest -> Cart, `add` is in the test's name
    "src/test/java/org/shop/CartTest.java": [
        "@Test\n    void addReturnsTotal() {\n        Cart cart = new Cart();\n"
        "        int total = cart.add(3);\n        assertEquals(3, total);\n    }",
        # in the exclude file below
        "@Test\n    void startsEmpty() {\n        Cart cart = new Cart();\n"
        "        assertTrue(cart.isEmpty());\n    }",
        "@Test\n    void noAssertion() {\n        new Cart().add(1);\n    }",
        "void helper() {\n        assertEquals(1, 1);\n    }",           # not a test
        "@Test\n    void tooMany() {\n        Cart cart = new Cart();\n        cart.add(1);\n"
        + "".join(f"        assertEquals({i}, {i});\n" for i in range(9)) + "    }",
    ],
    # ShoppingTest names no main class: relaxed, from the class the test uses (Cart)
    "src/test/java/org/shop/ShoppingTest.java": [
        "@Test\n    void buysTwo() {\n        Cart cart = new Cart();\n        cart.add(2);\n"
        "        assertFalse(cart.isEmpty());\n    }",
    ],
}


def write_methods(path, extra_lines=()):
    lines = [{"repository": "o/shop", "path": MAIN, "kind": "main", "code": code} for code in CART]
    lines += [{"repository": "o/shop", "path": p, "kind": "test", "code": code}
              for p, codes in TESTS.items() for code in codes]
    path.write_text("\n".join([json.dumps(line) for line in lines] + list(extra_lines)) + "\n")


def write_exclude(path):
    masked = ("@Test\n    void startsEmpty() {\n        Cart cart = new Cart();\n"
              "        // ASSERTION PLACEHOLDER\n    }")
    path.write_text(json.dumps({"id": "x", "focal_method": "boolean isEmpty() {}",
                                "test_method_masked": masked,
                                "assertions": ["assertTrue(cart.isEmpty());"]}) + "\n")


def test_mines_new_asserted_tests_with_their_focal_methods(tmp_path, capsys):
    write_methods(tmp_path / "methods.jsonl")
    write_exclude(tmp_path / "train.jsonl")
    out = tmp_path / "mined.jsonl.gz"
    assert workbench(["mine", "--methods", str(tmp_path / "methods.jsonl"), "--exclude",
                      str(tmp_path / "train.jsonl"), "--out", str(out), "--no-progress"]) == 0
    records = {r["test_method_name"]: r for r in load_records(out)}  # loads as corpus records
    assert sorted(records) == ["addReturnsTotal", "buysTwo"]
    strict, relaxed = records["addReturnsTotal"], records["buysTwo"]
    assert strict["focal_rule"] == "strict" and strict["focal_method_name"] == "add"
    assert strict["focal_method"] == CART[0] and strict["focal_file"] == MAIN
    assert strict["assertions"] == ["assertEquals(3, total);"]
    assert strict["test_method_masked"].splitlines()[4] == "        // ASSERTION PLACEHOLDER"
    assert strict["split"] == "mined" and strict["repository"] == "o/shop"
    assert relaxed["focal_rule"] == "relaxed" and relaxed["focal_method_name"] == "add"
    err = capsys.readouterr().err
    assert "skipped: in an --exclude file, or a duplicate: 1" in err and "more than 8 assertions: 1" in err

    strict_out = tmp_path / "strict.jsonl"
    assert workbench(["mine", "--methods", str(tmp_path / "methods.jsonl"), "--out", str(strict_out),
                      "--strict", "--no-progress"]) == 0
    assert sorted(r["test_method_name"] for r in load_records(strict_out)) == ["addReturnsTotal", "startsEmpty"]


def test_a_bad_methods_line_is_a_clear_error_and_nothing_is_written(tmp_path, capsys):
    write_methods(tmp_path / "methods.jsonl", extra_lines=['{"repository": "o/shop", "code": "x"}'])
    out = tmp_path / "mined.jsonl"
    assert workbench(["mine", "--methods", str(tmp_path / "methods.jsonl"), "--out", str(out),
                      "--no-progress"]) != 0
    err = capsys.readouterr().err
    lines = len(CART) + sum(map(len, TESTS.values())) + 1
    assert f"methods.jsonl:{lines}" in err and "'path'" in err and "Traceback" not in err
    assert not out.exists()


def test_package_of_a_path():
    assert package_of("mod/src/test/java/org/shop/CartTest.java") == "org.shop"
    assert package_of("test/org/shop/CartTest.java") == "test.org.shop"


def test_relaxed_rule_agreement_probe(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    receipt = {"repository": "o/shop", "path": "src/main/java/org/shop/Receipt.java", "kind": "main",
               "code": "public String print() { return \"\"; }"}
    prints = {"repository": "o/shop", "path": "src/test/java/org/shop/CartTest.java", "kind": "test",
              "code": "@Test\n    void printsReceipt() {\n        Cart cart = new Cart();\n        cart.add(1);\n"
                      "        Receipt receipt = new Receipt();\n        receipt.print();\n"
                      "        assertTrue(cart.isEmpty());\n    }"}
    write_methods(tmp_path / "methods.jsonl", extra_lines=[json.dumps(receipt), json.dumps(prints)])
    repo = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "benchmarks/scripts/probe_relaxed_focal.py", "--methods",
                           str(tmp_path / "methods.jsonl")], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # CartTest's four asserted tests resolve by the strict rule (Cart's methods; the probe
    # keeps tooMany, it does not cap assertions); ShoppingTest does not. The relaxed rule
    # agrees on three, but for printsReceipt it also sees Receipt, whose `print` is in the
    # test's name, where the strict rule, among Cart's methods only, picks `add`.
    result = json.loads(done.stdout)
    assert result["resolved_by_strict"] == 4 and result["same"] == 3


def test_in_project_holdout_keeps_test_files_whole_and_out_of_train():
    holdout = load_script("holdout_inproject")

    def record(repo, test_file, name):
        return {"repository": repo, "test_file": test_file, "test_method_name": name}

    mined = [record("o/a", f"T{f}.java", f"t{i}") for f in range(6) for i in range(f + 1)]
    mined += [record("o/b", "T0.java", "other repository, same path")]
    train = [record("o/a", "T0.java", "a corpus test"), record("o/a", "T1.java", "another")]

    held, rest = holdout.split_by_test_file(mined, train, n_files=3, seed=1)
    files = {(r["repository"], r["test_file"]) for r in held}
    assert len(files) == 3
    assert not files & {("o/a", "T0.java"), ("o/a", "T1.java")}     # never a train file
    assert all((r["repository"], r["test_file"]) not in files for r in rest)  # whole files
    assert len(held) + len(rest) == len(mined)
    assert holdout.split_by_test_file(mined, train, 3, seed=1) == (held, rest)
