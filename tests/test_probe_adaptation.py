"""benchmarks/scripts/probe_adaptation.py: retrieved assertions in the query's names."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO, load_script

from assertgen.abstraction import Abstraction

adapt = load_script("probe_adaptation").adapt


def record(test: str, assertions: list[str]) -> dict:
    return {"focal_method": "int size() { return n; }", "test_method_masked": test, "assertions": assertions}


def test_adapt_renames_by_kind_and_rank_and_keeps_shared_names():
    neighbour = record("void t() { Basket basket = new Basket(); Item item = new Item(); "
                       "basket.put(item);\n// ASSERTION PLACEHOLDER\n}",
                       ["assertEquals(1, basket.size());", "assertTrue(basket.has(item));"])
    query = record("void u() { Cart cart = new Cart(); Item item = new Item(); "
                   "cart.add(item);\n// ASSERTION PLACEHOLDER\n}", ["assertEquals(1, cart.size());"])
    idioms = Abstraction(["assertEquals", "assertTrue", "size", "t", "u", "n"])
    # by rank: basket -> cart (both VAR_0); `has` is no name of the query and stays
    assert adapt(idioms, neighbour, query, keep_shared=False) == [
        "assertEquals(1, cart.size());", "assertTrue(cart.has(item));"]
    # keep-shared: `item` is in the query, so it keeps its name; Basket/basket still move
    assert adapt(idioms, neighbour, query, keep_shared=True)[0] == "assertEquals(1, cart.size());"


def test_rows_and_their_bounds(tmp_path):
    done = subprocess.run([sys.executable, "benchmarks/scripts/probe_adaptation.py",
                           "--train", "fixtures/data/train.jsonl", "--split", "fixtures/data/test.jsonl",
                           "--limit", "20", "--k", "3", "--out", str(tmp_path)],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "adaptation.json").read_text())
    em = {row["candidates"]: row["exact_match"] for row in result["rows"]}
    assert result["records"] == 20 and len(em) == 7
    for name in ("plain", "adapted", "adapted-keep-shared"):
        assert em[f"{name}, any of 3"] >= em[f"{name}, nearest"]
        assert em["any candidate, any of 3"] >= em[f"{name}, any of 3"]
    assert "| adapted-keep-shared, nearest |" in (tmp_path / "adaptation.md").read_text()
