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
    """An embedded-model folder holding a previous shipped model (what `install` leaves)."""
    folder = tmp_path / "default_model"
    (folder / "ct2").mkdir(parents=True)
    (folder / "ct2" / "previous.bin").write_text("the previous model")
    (folder / "assertgen.json").write_text('{"name": "previous"}')
    return folder


def _contents(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _fake_scores(pytorch_em: float, ct2_em: float):
    """greedy_metrics without decoding: these exact-match scores per backend."""
    def scores(model_dir, records, backend, batch_size=32):
        em = ct2_em if backend == "ctranslate2" else pytorch_em
        return {"exact_match": em, "f1": em, "ast_validity": 1.0, "n": len(records), "ms_per_record": 1.0}
    return scores


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
    assert not (dest / "ct2" / "previous.bin").exists()
    assert json.loads((dest / "assertgen.json").read_text()) == meta
    assert not list(tmp_path.glob("default_model.*"))  # no staging folder left behind
    generator = load_generator(dest)
    assert generator.backend == "ctranslate2" and generator.generate(["FOCAL METHOD:\nx"], 1)[0]
    assert "shipped" in capsys.readouterr().out


def test_ship_refuses_when_the_fast_copy_moves_exact_match(student, dest, capsys, monkeypatch):
    import workbench.ship

    before = _contents(dest)
    monkeypatch.setattr(workbench.ship, "greedy_metrics", _fake_scores(0.50, 0.48))  # two points off
    assert _run(["ship", "--model", str(student), "--valid", str(VALID), "--dest", str(dest),
                 "--max-em-change", "0.01"]) == 2
    assert "moves exact match by -0.020" in capsys.readouterr().err
    assert _contents(dest) == before
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


@pytest.mark.parametrize("margin", ["0", "-0.5", "nan"])
def test_a_margin_no_copy_can_meet_is_refused_before_any_work(student, dest, margin, capsys, monkeypatch):
    """--max-em-change 0 (or less) decoded with both backends, then refused."""
    import workbench.ship

    monkeypatch.setattr(workbench.ship, "greedy_metrics", _no_work)
    monkeypatch.setattr("workbench.export.export_ct2", _no_work)
    assert _run(["ship", "--model", str(student), "--valid", str(VALID), "--dest", str(dest),
                 f"--max-em-change={margin}"]) == 2
    err = capsys.readouterr().err
    assert "--max-em-change must be a number above 0" in err and "Traceback" not in err


def _no_work(*args, **kwargs):
    raise AssertionError("decoded or exported before the arguments were checked")


def test_ship_refuses_a_destination_that_is_not_a_shipped_model(student, tmp_path, capsys, monkeypatch):
    """Shipping replaces the whole --dest: a folder of other files was wiped, and `--dest .`
    stopped with a ValueError traceback after decoding with both backends."""
    import workbench.ship

    monkeypatch.setattr(workbench.ship, "greedy_metrics", _no_work)
    monkeypatch.setattr("workbench.export.export_ct2", _no_work)
    important = tmp_path / "important"
    important.mkdir()
    (important / "notes.txt").write_text("precious\n")
    monkeypatch.chdir(important)
    for dest in (str(important), "."):
        assert _run(["ship", "--model", str(student), "--valid", str(VALID), "--dest", dest,
                     "--max-em-change", "1.5"]) == 2
        err = capsys.readouterr().err
        assert f"{important}: exists and is not a shipped model" in err and "nothing shipped" in err
        assert "Traceback" not in err
    assert _contents(important) == {"notes.txt": b"precious\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["important", "student"]
    # the embedded default is a shipped model: replacing it stays allowed, as is a new folder
    assert workbench.ship.check_destination(workbench.ship.DEFAULT_DEST) == workbench.ship.DEFAULT_DEST
    assert workbench.ship.check_destination(tmp_path / "new") == tmp_path / "new"


def test_ship_exports_again_when_the_weights_changed_since_the_export(student, tmp_path, monkeypatch):
    """A ct2/ copy of earlier weights (an export, then more training) was shipped under the
    new weights' metadata."""
    import workbench.ship
    from safetensors.torch import load_file, save_file

    from workbench.export import export_ct2, export_is_current

    export_ct2(student)
    assert export_is_current(student)
    old_copy = (student / "ct2" / "model.bin").read_bytes()
    weights = load_file(student / "model.safetensors")
    save_file({k: v * 2 if v.is_floating_point() else v for k, v in weights.items()},
              student / "model.safetensors", metadata={"format": "pt"})
    assert not export_is_current(student)
    monkeypatch.setattr(workbench.ship, "greedy_metrics", _fake_scores(0.5, 0.5))
    dest = tmp_path / "shipped"
    assert _run(["ship", "--model", str(student), "--valid", str(VALID), "--limit", "2",
                 "--dest", str(dest)]) == 0
    assert export_is_current(student)
    assert (dest / "ct2" / "model.bin").read_bytes() == (student / "ct2" / "model.bin").read_bytes() != old_copy

    # shipped again with unchanged weights: the copy is current, nothing is exported
    monkeypatch.setattr("workbench.export.export_ct2", _no_work)
    assert _run(["ship", "--model", str(student), "--valid", str(VALID), "--limit", "2",
                 "--dest", str(dest)]) == 0
