"""`workbench ship`: a trained student becomes the embedded model, only if its fast copy
keeps exact match."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assertgen.abstraction import fit_idioms
from assertgen.model import load_generator
from assertgen.reuse import SEARCH, THRESHOLDS, Reuser
from workbench.data import load_records
from workbench.cli import main as workbench

FIXTURES = Path(__file__).parent.parent / "fixtures"
VALID = FIXTURES / "data" / "valid.jsonl"
TRAIN = FIXTURES / "data" / "train.jsonl"


def _run(argv) -> int:
    with pytest.raises(SystemExit) as exit_info:
        workbench(argv)
    return exit_info.value.code


@pytest.fixture()
def student(tmp_path):
    """A copy of the tiny fixture model without its CTranslate2 copy (ship must export)."""
    model = tmp_path / "student"
    shutil.copytree(FIXTURES / "models" / "tiny", model)
    shutil.rmtree(model / "ct2")
    return model


@pytest.fixture()
def dest(tmp_path):
    """An embedded-model folder holding a previous model."""
    folder = tmp_path / "default_model"
    folder.mkdir()
    (folder / "previous.txt").write_text("the previous model")
    return folder


def test_ship_exports_compares_backends_and_installs(student, dest, tmp_path, capsys):
    assert _run(["ship", "--model", str(student), "--valid", str(VALID), "--dest", str(dest),
                 "--max-em-change", "0.2", "--description", "a test student",
                 "--reuse-idioms", str(TRAIN)]) == 0
    assert (student / "ct2" / "model.bin").exists()  # exported on the way
    meta = json.loads((student / "assertgen.json").read_text())
    scores = meta["metrics"]["valid_greedy"]
    assert scores["data"] == "valid.jsonl" and scores["ctranslate2"]["n"] == scores["pytorch"]["n"] == 40
    assert scores["exact_match_change"] == pytest.approx(
        scores["ctranslate2"]["exact_match"] - scores["pytorch"]["exact_match"], abs=1e-4)
    assert scores["pytorch"]["exact_match"] > 0.3  # the fixture model knows its templates
    assert meta["description"] == "a test student"
    # reuse offered, its idioms fitted on the training records (assertgen.reuse)
    assert meta["reuse"] == {"idioms": fit_idioms(load_records(TRAIN)), "search": SEARCH,
                             "threshold": THRESHOLDS[SEARCH]}
    assert Reuser.of(meta) is not None and Reuser.of({}) is None
    # The destination holds exactly the fast copy and the metadata, nothing of before.
    assert sorted(p.name for p in dest.iterdir()) == ["assertgen.json", "ct2"]
    assert json.loads((dest / "assertgen.json").read_text()) == meta
    assert not list(tmp_path.glob("default_model.*"))  # no staging folder left behind
    generator = load_generator(dest)
    assert generator.backend == "ctranslate2" and generator.generate(["FOCAL METHOD:\nx"], 1)[0]
    assert "shipped" in capsys.readouterr().out


def test_ship_refuses_when_the_fast_copy_moves_exact_match(student, dest, capsys):
    # A zero margin: any copy "moves" exact match by at least 0, so nothing may ship.
    assert _run(["ship", "--model", str(student), "--valid", str(VALID), "--dest", str(dest),
                 "--max-em-change", "0"]) == 2
    assert "nothing shipped" in capsys.readouterr().err
    assert [p.name for p in dest.iterdir()] == ["previous.txt"]
    meta = json.loads((student / "assertgen.json").read_text())
    assert "valid_greedy" not in meta.get("metrics", {}) and "reuse" not in meta


def test_ship_to_an_unwritable_place_is_one_line_and_ships_nothing(student, tmp_path, capsys, monkeypatch):
    import workbench.ship

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded before the destination was checked")

    monkeypatch.setattr(workbench.ship, "greedy_metrics", no_decoding)
    (tmp_path / "a-file").write_text("keep\n")
    assert _run(["ship", "--model", str(student), "--valid", str(VALID), "--limit", "2",
                 "--dest", str(tmp_path / "a-file" / "default_model")]) == 2
    err = capsys.readouterr().err
    assert "default_model: cannot write" in err and "nothing shipped" in err and "Traceback" not in err
    assert (tmp_path / "a-file").read_text() == "keep\n"


def test_ship_names_a_missing_model_directory(tmp_path, capsys):
    assert _run(["ship", "--model", str(tmp_path / "nope"), "--valid", str(VALID),
                 "--dest", str(tmp_path / "d")]) == 2
    assert "nope" in capsys.readouterr().err and not (tmp_path / "d").exists()
