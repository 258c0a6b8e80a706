"""The trainer: bucketing, padding, checkpoints, and a killed+resumed run equal to an unbroken one."""

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")  # the train extra; without it `pytest --assertgen-bench` still runs

from workbench.data import load_records
from workbench.train import (TRAIN_DEFAULTS, Trainer, gold_loss, collate, encode_records, epoch_batches,
                             train_settings)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "data"


@pytest.fixture(scope="module")
def tiny():
    from workbench.tokenizer import record_texts, train_tokenizer

    records = load_records(FIXTURES / "train.jsonl", limit=48)
    valid = load_records(FIXTURES / "valid.jsonl", limit=8)
    tokenizer = train_tokenizer(record_texts(records), vocab_size=420, num_sentinels=4)
    return records, valid, tokenizer


def _model(tokenizer, seed, dropout=0.1):
    from workbench.modeling import build_model

    torch.manual_seed(seed)
    return build_model({"d_model": 16, "num_layers": 1, "num_heads": 2, "d_ff": 32,
                        "dropout_rate": dropout}, tokenizer)


def test_epoch_batches_cover_every_example_once_and_bucket_by_length():
    lengths = [(i * 37) % 101 for i in range(250)]
    batches = epoch_batches(lengths, batch_size=8, seed=3, epoch=0, chunk=10)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(250))
    assert batches == epoch_batches(lengths, 8, 3, 0, 10)  # deterministic
    assert batches != epoch_batches(lengths, 8, 3, 1, 10)  # reshuffled per epoch
    spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches) / len(batches)
    shuffled = torch.randperm(250, generator=torch.Generator().manual_seed(0)).tolist()
    random_spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b)
                        for b in [shuffled[j:j + 8] for j in range(0, 250, 8)]) / 32
    assert spread < random_spread / 3  # buckets hold similar lengths


def test_collate_pads_to_the_batch_not_to_a_fixed_length(tiny):
    records, _, tokenizer = tiny
    examples = encode_records(records[:4], tokenizer, 512, 64)
    assert all(e["labels"][-1] == tokenizer.eos_token_id for e in examples)
    batch = collate(examples, tokenizer.pad_token_id)
    longest = max(len(e["input_ids"]) for e in examples)
    assert batch["input_ids"].shape == (4, longest) and longest < 512
    assert batch["attention_mask"].sum().item() == sum(len(e["input_ids"]) for e in examples)
    assert (batch["labels"] == -100).sum().item() == \
        4 * batch["labels"].shape[1] - sum(len(e["labels"]) for e in examples)


def test_unknown_train_setting_is_a_user_error():
    from assertgen.errors import UserError

    with pytest.raises(UserError, match="lr_typo"):
        train_settings({"train": {"lr_typo": 1}})
    assert train_settings({})["learning_rate"] == TRAIN_DEFAULTS["learning_rate"]


def _settings(**extra):
    return train_settings({"train": {
        "learning_rate": 3e-3, "epochs": 2, "batch_size": 8, "grad_accum_steps": 2,
        "warmup_steps": 3, "valid_generate": 0, "select_metric": "valid_loss", "log_every": 1,
        "max_input_tokens": 128, "max_target_tokens": 32, "bucket_chunk": 2, "seed": 7, **extra}})


def _trainer(tiny, out, seed, **kw):
    records, valid, tokenizer = tiny
    s = _settings(**kw)
    enc = lambda rs: encode_records(rs, tokenizer, 128, 32)  # noqa: E731
    saved = []
    trainer = Trainer(_model(tokenizer, seed), tokenizer, enc(records), enc(valid), valid, s, out,
                      save_fn=lambda model, out_dir, meta: saved.append(meta), show_progress=False)
    return trainer, saved


def test_done_json_is_written_whole_or_not_at_all(tiny, tmp_path, monkeypatch):
    """done.json says a run finished (--resume then does nothing): cut off by a full disk
    or a kill, every later --resume stopped on it."""
    import errno
    import os

    from assertgen.errors import UserError

    replace = os.replace

    def disk_full_for_done_json(src, dst):
        if Path(dst).name == "done.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        replace(src, dst)

    monkeypatch.setattr("assertgen.atomic.os.replace", disk_full_for_done_json)
    trainer, _ = _trainer(tiny, tmp_path, seed=1, epochs=1)
    with pytest.raises(UserError, match="done.json: cannot write file: No space left on device"):
        trainer.run()
    assert not (tmp_path / "training" / "done.json").exists()


def test_killed_and_resumed_run_ends_with_identical_weights(tiny, tmp_path):
    straight, saved = _trainer(tiny, tmp_path / "a", seed=0)
    result = straight.run()
    assert result["finished"] and result["step"] == 2 * 3  # 48 records / 8 = 6 batches, accum 2
    assert saved and saved[-1]["metrics"]["valid"]["valid_loss"] > 0
    assert (tmp_path / "a/training/done.json").exists() and (tmp_path / "a/training/curves.png").exists()

    # Killed after 4 optimizer steps (mid-epoch 2), then resumed by a fresh process: a new
    # model with different initial weights and a disturbed global RNG.
    first, _ = _trainer(tiny, tmp_path / "b", seed=0)
    stopped = first.run(max_steps=4)
    assert not stopped["finished"] and stopped["step"] == 4
    torch.manual_seed(999)
    resumed, _ = _trainer(tiny, tmp_path / "b", seed=123)
    assert resumed.run(resume=True)["finished"]

    a, b = straight.model.state_dict(), resumed.model.state_dict()
    assert a.keys() == b.keys()
    for name in a:
        assert torch.equal(a[name], b[name]), name
    # The log of the resumed run covers each step once.
    steps = [json.loads(line)["step"] for line in (tmp_path / "b/training/log.jsonl").read_text().splitlines()
             if json.loads(line)["type"] == "train"]
    assert steps == list(range(1, 7))


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_ctrl_c_or_sigterm_checkpoints_at_the_next_step_and_resumes_exactly(tiny, tmp_path, signal_name):
    """Ctrl-C (or a session's end) lost everything since the last periodic checkpoint."""
    import os
    import signal

    straight, _ = _trainer(tiny, tmp_path / "a", seed=0)
    straight.run()
    interrupted, _ = _trainer(tiny, tmp_path / "b", seed=0)
    real_step = interrupted.optimizer_step

    def step_then_signal():
        real_step()
        if interrupted.state["step"] == 2:  # arrives within step 2: the loop stops right after it
            os.kill(os.getpid(), getattr(signal, signal_name))

    interrupted.optimizer_step = step_then_signal
    # as in a terminal (a background job, as CI's, starts with Ctrl-C ignored, and keeps it so)
    previous = {sig: signal.signal(sig, handler) for sig, handler in
                [(signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, signal.SIG_DFL)]}
    try:
        with pytest.raises(KeyboardInterrupt):
            interrupted.run()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers given back
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    assert torch.load(tmp_path / "b/training/checkpoint.pt", weights_only=False)["state"]["step"] == 2
    resumed, _ = _trainer(tiny, tmp_path / "b", seed=123)
    assert resumed.run(resume=True)["finished"]
    for name, weights in straight.model.state_dict().items():
        assert torch.equal(weights, resumed.model.state_dict()[name]), name


def test_resume_refuses_changed_data_order_settings(tiny, tmp_path):
    from assertgen.errors import UserError

    first, _ = _trainer(tiny, tmp_path, seed=0)
    first.run(max_steps=1)
    second, _ = _trainer(tiny, tmp_path, seed=0, batch_size=4)
    with pytest.raises(UserError, match="batch_size"):
        second.run(resume=True)

    # Another [model] than the checkpoint's, and a checkpoint torch cannot read: one line each.
    from workbench.modeling import build_model

    records, valid, tokenizer = tiny
    enc = lambda rs: encode_records(rs, tokenizer, 128, 32)  # noqa: E731
    wider = build_model({"d_model": 32, "num_layers": 1, "num_heads": 2, "d_ff": 32}, tokenizer)
    third = Trainer(wider, tokenizer, enc(records), enc(valid), valid, _settings(), tmp_path,
                    save_fn=lambda *a: None, show_progress=False)
    with pytest.raises(UserError, match="checkpoint.pt: the checkpoint's model differs"):
        third.run(resume=True)
    (tmp_path / "training" / "checkpoint.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(UserError, match="checkpoint.pt: cannot read the checkpoint"):
        _trainer(tiny, tmp_path, seed=0)[0].run(resume=True)


def test_a_finished_gold_run_resumed_with_more_epochs_equals_one_run_that_long(tiny, tmp_path):
    from assertgen.errors import UserError
    from workbench.train import asks_more_epochs

    straight, _ = _trainer(tiny, tmp_path / "a", seed=0, epochs=3)
    straight.run()
    short, _ = _trainer(tiny, tmp_path / "b", seed=0, epochs=2)
    assert short.run()["finished"]
    assert asks_more_epochs(tmp_path / "b", _settings(epochs=3))
    assert not asks_more_epochs(tmp_path / "b", _settings(epochs=2))
    longer, _ = _trainer(tiny, tmp_path / "b", seed=123, epochs=3)
    assert longer.run(resume=True)["finished"]
    a, b = straight.model.state_dict(), longer.model.state_dict()
    for name in a:
        assert torch.equal(a[name], b[name]), name
    assert json.loads((tmp_path / "b/training/done.json").read_text())["epochs_run"] == 3

    # distillation's temperature schedule depends on the epoch count: no extension there
    distilled, _ = _trainer(tiny, tmp_path / "c", seed=0, epochs=1)
    distilled.loss_fn = lambda model, batch, epoch, epochs: gold_loss(model, batch, epoch, epochs)
    distilled.run()
    again, _ = _trainer(tiny, tmp_path / "c", seed=0, epochs=2)
    again.loss_fn = distilled.loss_fn
    with pytest.raises(UserError, match="epochs"):
        again.run(resume=True)


def test_generation_metric_selects_the_best_model(tiny, tmp_path):
    trainer, saved = _trainer(tiny, tmp_path, seed=0, valid_generate=8, select_metric="exact_match",
                              epochs=1)
    trainer.run()
    valid = saved[-1]["metrics"]["valid"]
    assert {"exact_match", "f1", "ast_validity", "valid_loss"} <= set(valid)
    assert saved[-1]["training"]["select_metric"] == "exact_match"


def test_time_budget_stops_after_the_epoch_that_passes_it(tiny, tmp_path):
    # A budget of ~0 minutes: epoch 1 passes it, so training stops there and says why.
    trainer, saved = _trainer(tiny, tmp_path / "budget", seed=0, epochs=3, time_budget_minutes=1e-9)
    result = trainer.run()
    assert result["finished"] and result["step"] == 3  # one epoch of 3 optimizer steps
    done = json.loads((tmp_path / "budget/training/done.json").read_text())
    assert done["stopped"] == "time_budget" and done["epochs_run"] == 1
    assert done["train_seconds"] > 0 and saved  # the best model of epoch 1 was saved

    # Without a budget the same run trains every epoch.
    full, _ = _trainer(tiny, tmp_path / "full", seed=0, epochs=3)
    assert full.run()["step"] == 9
    assert json.loads((tmp_path / "full/training/done.json").read_text())["stopped"] is None


def test_cpu_bf16_autocast_runs_matmuls_in_bf16_and_keeps_fp32_weights(tiny, tmp_path):
    from assertgen.errors import UserError

    with pytest.raises(UserError, match="cpu_precision"):
        train_settings({"runtime": {"cpu_precision": "fp16"}})
    assert train_settings({})["cpu_precision"] == "fp32"  # opt-in: CPUs without bf16 units slow down

    records, valid, tokenizer = tiny
    settings = {**_settings(epochs=1), "cpu_precision": "bf16"}
    enc = lambda rs: encode_records(rs, tokenizer, 128, 32)  # noqa: E731
    model = _model(tokenizer, 0)
    seen = set()
    model.lm_head.register_forward_hook(lambda module, args, out: seen.add(out.dtype))
    trainer = Trainer(model, tokenizer, enc(records), enc(valid), valid, settings, tmp_path,
                      save_fn=lambda *a: None, show_progress=False)
    assert trainer.run()["finished"]
    assert torch.bfloat16 in seen
    assert all(p.dtype == torch.float32 for p in model.parameters())


def test_a_non_finite_loss_stops_training_before_any_checkpoint_holds_it(tiny, tmp_path):
    from workbench.train import gold_loss

    def nan_from_step_2(model, batch, epoch, epochs):
        loss, parts = gold_loss(model, batch, epoch, epochs)
        calls.append(1)
        if len(calls) > 2:
            loss = loss * float("nan")
            parts = {**parts, "loss": loss.detach()}
        return loss, parts

    calls = []
    records, valid, tokenizer = tiny
    enc = lambda rs: encode_records(rs, tokenizer, 128, 32)  # noqa: E731
    # log_every 2: the NaN of batch 3 is read back with the second log row, after its step;
    # checkpoint_minutes 0 asks for a checkpoint after every step, which must not save it.
    settings = _settings(epochs=1, grad_accum_steps=1, log_every=2, checkpoint_minutes=0)
    trainer = Trainer(_model(tokenizer, 0), tokenizer, enc(records), enc(valid), valid, settings,
                      tmp_path, loss_fn=nan_from_step_2, save_fn=lambda *a: None,
                      show_progress=False)
    from assertgen.errors import UserError

    with pytest.raises(UserError, match="diverged: non-finite loss in epoch 1.*learning_rate"):
        trainer.run()
    saved = torch.load(tmp_path / "training/checkpoint.pt", weights_only=False)
    assert all(torch.isfinite(v).all() for v in saved["model"].values() if v.is_floating_point())


@pytest.mark.slow
def test_compiled_training_step_trains_the_plain_module_it_wraps(tiny, tmp_path):
    from assertgen.errors import UserError

    with pytest.raises(UserError, match="runtime.compile"):
        train_settings({"runtime": {"compile": "yes"}})
    assert train_settings({})["compile"] is False

    records, valid, tokenizer = tiny
    enc = lambda rs: encode_records(rs, tokenizer, 128, 32)  # noqa: E731
    model = _model(tokenizer, 0)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    trainer = Trainer(model, tokenizer, enc(records), enc(valid), valid,
                      {**_settings(epochs=1), "compile": True}, tmp_path,
                      save_fn=lambda *a: None, show_progress=False)
    assert trainer.step_model is not model and trainer.step_model._orig_mod is model
    assert trainer.run()["finished"]
    saved = torch.load(tmp_path / "training/checkpoint.pt", weights_only=False)["model"]
    assert saved.keys() == before.keys()  # the plain module's names, no _orig_mod. prefix
    assert any(not torch.equal(saved[k], before[k]) for k in before)


@pytest.mark.parametrize("cfg, message", [
    ({"train": {"epochs": "abc"}}, "train.epochs must be a whole number, got 'abc'"),
    ({"train": {"epochs": 2.5}}, "train.epochs must be a whole number"),
    ({"train": {"epochs": -1}}, "train.epochs must be at least 1, got -1"),
    ({"train": {"batch_size": 0}}, "train.batch_size must be at least 1, got 0"),
    ({"train": {"learning_rate": "abc"}}, "train.learning_rate must be a number, got 'abc'"),
    ({"train": {"learning_rate": 0}}, "train.learning_rate must be above 0"),
    ({"train": {"warmup_steps": -5}}, "train.warmup_steps must not be negative"),
    ({"train": {"plateau_factor": 1.0}}, "train.plateau_factor must be between 0 and 1"),
    ({"train": {"select_metric": 3}}, "train.select_metric must be a string"),
    ({"nosuchtable": {"x": 1}}, "unknown config table.*nosuchtable"),
    ({"model": 3}, "`model` must be a table"),
    ({"runtime": {"precison": "bf16"}}, r"unknown \[runtime\] setting\(s\): precison"),
    ({"runtime": {"compile": "yes"}}, "runtime.compile must be true or false"),
    ({"runtime": {"cpu_precision": "fp16"}}, "runtime.cpu_precision must be one of bf16, fp32"),
    # inf and nan passed every range check: lr=inf saved NaN weights as the best model
    ({"train": {"learning_rate": float("inf")}}, "train.learning_rate must be a finite number, got inf"),
    ({"train": {"max_grad_norm": float("nan")}}, "train.max_grad_norm must be a finite number, got nan"),
    ({"train": {"weight_decay": float("inf")}}, "train.weight_decay must be a finite number"),
    ({"train": {"time_budget_minutes": float("nan")}}, "train.time_budget_minutes must be a finite number"),
    ({"train": {"seed": 99999999999999999999}}, "train.seed must be at most 4294967295"),  # numpy's ValueError
    # found at the start, not after the first epoch
    ({"train": {"select_metric": "f1x"}}, "train.select_metric must be one of valid_loss, exact_match"),
    ({"train": {"select_metric": "f1", "valid_generate": 0}}, "set train.valid_generate above 0"),
])
def test_settings_of_the_wrong_type_or_range_are_user_errors(cfg, message):
    from assertgen.errors import UserError

    with pytest.raises(UserError, match=message):
        train_settings(cfg)


def test_train_command_refuses_a_file_as_out_and_empty_data(tmp_path, monkeypatch, capsys):
    from workbench.cli import main as workbench

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # the config's paths are relative
    (tmp_path / "a-file").write_text("keep\n")
    (tmp_path / "empty.jsonl").write_text("")
    for out, extra, message in [("a-file", [], "a-file: exists and is not a directory"),
                                ("run", ["train.batch_size=0"], "configs/tiny-student.toml: train.batch_size must "
                                 "be at least 1, got 0 (or its KEY=VALUE overrides)"),
                                # the distill and pretrain tables are checked before any training too
                                ("run", ["distill.alpha=high"], "configs/tiny-student.toml: distill.alpha must "
                                 "be a number, got 'high'"),
                                ("run", ["pretrain.noise_density=2.0"], "pretrain.noise_density must be in (0, 1)"),
                                # and the model's sizes: torch stopped with a traceback
                                ("run", ["model.num_heads=0"], "configs/tiny-student.toml: model.num_heads "
                                 "must be a whole number of at least 1, got 0"),
                                ("run", ["--max-steps", "0"], "--max-steps must be at least 1, got 0"),
                                # torch's RuntimeError traceback
                                ("run", ["--device", "gpu"], "unknown device 'gpu' (--device or runtime.device)"),
                                ("run", ["runtime.device=gpu"], "unknown device 'gpu'"),
                                ("run", ["--valid", str(tmp_path / "empty.jsonl")], "empty.jsonl: no records")]:
        with pytest.raises(SystemExit) as exit_info:
            workbench(["train", "--config", "configs/tiny-student.toml", "--out", str(tmp_path / out),
                       "--limit", "8", "--no-progress", *extra, "train.epochs=1"])
        err = capsys.readouterr().err
        assert exit_info.value.code == 2 and message in err and "Traceback" not in err
    assert (tmp_path / "a-file").read_text() == "keep\n" and not (tmp_path / "run").exists()


def test_cpu_training_hands_freed_memory_back_every_log_row(tiny, tmp_path, monkeypatch):
    """glibc keeps what the varied batch shapes free unless asked (malloc_trim)."""
    import workbench.train as train_module

    class FakeLibc:
        trims = 0

        def malloc_trim(self, pad):
            FakeLibc.trims += 1
            return 1

    monkeypatch.setattr(train_module, "_libc", FakeLibc())
    trainer, _ = _trainer(tiny, tmp_path / "run", seed=0)
    trainer.run()
    log = [json.loads(line) for line in (tmp_path / "run/training/log.jsonl").read_text().splitlines()]
    assert FakeLibc.trims == sum(row["type"] == "train" for row in log) > 0


def test_release_freed_memory_runs_on_this_system():
    import workbench.train as train_module

    import platform

    train_module.release_freed_memory()  # glibc here: malloc_trim; elsewhere a no-op
    if platform.libc_ver()[0] == "glibc":
        assert train_module._libc and train_module._libc.malloc_trim(0) in (0, 1)
    else:
        assert train_module._libc is False


def test_two_train_commands_with_one_seed_end_with_identical_weights(tmp_path, monkeypatch):
    """train.seed seeds the initial weights too (they were drawn unseeded: two runs of one
    command, or a sweep's presets, started from different weights)."""
    from safetensors.torch import load_file

    from workbench.cli import main as workbench

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # the config's paths are relative
    for drawn, (name, seed) in enumerate((("a", 13), ("b", 13), ("c", 14))):
        torch.manual_seed(drawn)  # whatever the process drew before differs
        with pytest.raises(SystemExit) as exit_info:
            workbench(["train", "--config", "configs/tiny-student.toml", "--out", str(tmp_path / name),
                       "--limit", "16", "--valid-limit", "4", "--no-progress", "train.epochs=1",
                       "train.valid_generate=0", "model.dropout_rate=0.1", f"train.seed={seed}"])
        assert exit_info.value.code == 0
    a, b, c = (load_file(tmp_path / name / "model.safetensors") for name in "abc")
    assert all(torch.equal(a[key], b[key]) for key in a)
    assert not all(torch.equal(a[key], c[key]) for key in a)


def test_the_log_does_not_depend_on_when_checkpoints_fell_or_the_run_was_killed(tiny, tmp_path):
    """A mid-epoch checkpoint emptied the loss parts waiting for the next log row, which then
    averaged fewer batches: the log and curves of one run depended on when its time-based
    checkpoints fell, and a resumed run's on where it was killed."""
    def train_rows(out):
        rows = [json.loads(line) for line in (out / "training/log.jsonl").read_text().splitlines()]
        return [(r["step"], r["loss"]) for r in rows if r["type"] == "train"]

    _trainer(tiny, tmp_path / "a", seed=0, log_every=2)[0].run()
    _trainer(tiny, tmp_path / "b", seed=0, log_every=2, checkpoint_minutes=0.0)[0].run()  # every step
    assert not _trainer(tiny, tmp_path / "c", seed=0, log_every=2)[0].run(max_steps=3)["finished"]
    assert _trainer(tiny, tmp_path / "c", seed=0, log_every=2)[0].run(resume=True)["finished"]
    assert train_rows(tmp_path / "a") == train_rows(tmp_path / "b") == train_rows(tmp_path / "c")
    assert [step for step, _ in train_rows(tmp_path / "a")] == [2, 4, 6]


def test_training_curves_show_what_the_log_has(tmp_path, monkeypatch):
    """A gold-only run without generation metrics (train.valid_generate = 0): its loss line was
    hidden under an identical ce_gold line, and an empty 0-1 "Validation metrics" panel
    stood beside it."""
    from workbench import plots

    log = tmp_path / "log.jsonl"
    log.write_text("".join(json.dumps(row) + "\n" for row in [
        {"type": "train", "step": 10, "epoch": 1, "lr": 1e-3, "ce_gold": 5.0, "loss": 5.0},
        {"type": "valid", "step": 10, "epoch": 1, "lr": 1e-3, "valid_loss": 4.0},
        {"type": "train", "step": 20, "epoch": 2, "lr": 1e-3, "ce_gold": 4.0, "loss": 4.0},
        {"type": "valid", "step": 20, "epoch": 2, "lr": 5e-4, "valid_loss": 3.5}]))
    figures = []
    plt = plots.pyplot()
    monkeypatch.setattr(plt, "close", figures.append)
    plots.training_curves(log, tmp_path / "curves.png")
    loss, right = figures[0].axes[:2]
    assert [line.get_label() for line in loss.lines] == ["loss (= ce_gold)", "valid_loss"]
    assert right.get_title().startswith("Learning rate") and right.get_ylabel() == "learning rate"
    assert len(figures[0].axes) == 2 and list(right.lines[0].get_ydata()) == [1e-3, 5e-4]


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_teacher_dump_on_cuda_without_a_gpu_is_one_line_before_any_work(tmp_path, capsys):
    from workbench.cli import main

    out = tmp_path / "dump.jsonl.gz"
    with pytest.raises(SystemExit) as exit_info:
        main(["teacher-dump", "--model", str(FIXTURES.parent / "models" / "tiny"), "--data",
              str(FIXTURES / "train.jsonl"), "--out", str(out), "--limit", "2", "--device", "cuda"])
    assert exit_info.value.code == 2
    assert "--device cuda but torch sees no CUDA device" in capsys.readouterr().err
    assert not out.exists()


def test_a_job_started_with_ctrl_c_ignored_keeps_ignoring_it():
    """A shell starts background jobs (`cmd &`, nohup) with SIGINT ignored: training must not
    take Ctrl-C meant for the foreground back."""
    import signal

    from workbench.train import _StopAtNextStep

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with _StopAtNextStep():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_train_refuses_to_overwrite_a_model_or_to_give_it_another_tokenizer(tiny, tmp_path, monkeypatch, capsys):
    """--out onto a copy of a teacher overwrote it; --tokenizer of another vocabulary than the
    model directory's own trained on (smaller) or stopped with an IndexError (larger)."""
    import shutil

    from workbench.cli import main as workbench
    from workbench.modeling import save_tokenizer

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # the config's paths are relative
    teacher = tmp_path / "teacher"
    shutil.copytree(FIXTURES.parent / "models" / "tiny", teacher)
    before = {p.name: p.read_bytes() for p in teacher.iterdir() if p.is_file()}
    save_tokenizer(tiny[2], tmp_path / "tok")  # 420 tokens; the teacher's has 800
    for extra, message in [(["--out", str(teacher)], f"{teacher}: holds a model that no training run here made"),
                           (["--out", str(teacher), "--resume"], f"{teacher}: holds a model"),
                           (["--out", str(tmp_path / "run"), "--tokenizer", str(tmp_path / "tok"),
                             f"model.name_or_path={teacher}"],
                            f"{teacher}: the tokenizer given (420 tokens) is not the model's own (800 tokens)")]:
        with pytest.raises(SystemExit) as exit_info:
            workbench(["train", "--config", "configs/tiny-student.toml", "--limit", "8", "--no-progress",
                       *extra, "train.epochs=1"])
        err = capsys.readouterr().err
        assert exit_info.value.code == 2 and message in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in teacher.iterdir() if p.is_file()} == before
    assert not (teacher / "training").exists() and not (tmp_path / "run").exists()


def test_resume_refuses_other_training_data(tiny, tmp_path, monkeypatch, capsys):
    """--resume with another --limit or --train went on silently, its metadata naming the new data."""
    from assertgen.errors import UserError
    from workbench.cli import main as workbench

    records, valid, tokenizer = tiny
    enc = lambda rs: encode_records(rs, tokenizer, 128, 32)  # noqa: E731

    def trainer(data):
        return Trainer(_model(tokenizer, 0), tokenizer, enc(records), enc(valid), valid, _settings(),
                       tmp_path / "unit", save_fn=lambda *a: None, show_progress=False,
                       metadata={"data": data})

    trainer({"train": "a.jsonl", "limit": 48}).run(max_steps=1)
    with pytest.raises(UserError, match=r"changed data limit \(checkpoint 48, now 24\)"):
        trainer({"train": "a.jsonl", "limit": 24}).run(resume=True)
    with pytest.raises(UserError, match=r"changed data train \(checkpoint 'a.jsonl', now 'b.jsonl'\)"):
        trainer({"train": "b.jsonl", "limit": 48}).run(resume=True)
    assert trainer({"train": "a.jsonl", "limit": 48}).run(resume=True)["finished"]

    # `workbench train` keeps its --limit in the data it compares
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # the config's paths are relative
    argv = ["train", "--config", "configs/tiny-student.toml", "--out", str(tmp_path / "cli"),
            "--valid-limit", "4", "--no-progress", "train.epochs=1", "train.valid_generate=0"]
    for extra, code in ((["--limit", "32", "--max-steps", "1"], 0), (["--limit", "16", "--resume"], 2)):
        with pytest.raises(SystemExit) as exit_info:
            workbench(argv + extra)
        assert exit_info.value.code == code
    assert "changed data limit (checkpoint 32, now 16)" in capsys.readouterr().err


def test_a_nan_validation_loss_is_never_saved_as_best(tiny, tmp_path):
    """A NaN compares false with everything: as the first epoch's value it became "best" and
    the model of that epoch (NaN weights, with lr=inf) stayed the saved one."""
    def nan_in_epoch(trainer, epochs):
        validate = trainer.validate

        def patched():
            metrics = validate()
            return {**metrics, "valid_loss": float("nan")} if trainer.state["epoch"] in epochs else metrics
        trainer.validate = patched
        return trainer

    trainer, saved = _trainer(tiny, tmp_path / "a", seed=0, epochs=2)
    assert nan_in_epoch(trainer, {0}).run()["finished"]
    assert [meta["training"]["epoch"] for meta in saved] == [2] and trainer.state["best_epoch"] == 2

    trainer, saved = _trainer(tiny, tmp_path / "b", seed=0, epochs=1)
    assert nan_in_epoch(trainer, {0}).run()["finished"] and saved == []
    assert json.loads((tmp_path / "b/training/done.json").read_text())["best"] is None


def test_resume_drops_a_cut_off_last_log_line_and_names_a_damaged_one(tiny, tmp_path, capsys):
    """A kill while appending to log.jsonl left half a line: every --resume stopped with a
    JSONDecodeError traceback."""
    from assertgen.errors import UserError

    _trainer(tiny, tmp_path / "a", seed=0)[0].run(max_steps=2)
    log = tmp_path / "a/training/log.jsonl"
    with open(log, "a", encoding="utf-8") as handle:
        handle.write('{"type": "train", "ste')
    assert _trainer(tiny, tmp_path / "a", seed=0)[0].run(resume=True)["finished"]
    assert "log.jsonl:3: dropped a cut-off last line" in capsys.readouterr().err
    rows = [json.loads(line) for line in log.read_text().splitlines()]  # every line whole again
    assert [row["step"] for row in rows if row["type"] == "train"] == list(range(1, 7))

    _trainer(tiny, tmp_path / "b", seed=0)[0].run(max_steps=2)
    log = tmp_path / "b/training/log.jsonl"
    log.write_text("garbage\n" + log.read_text().split("\n", 1)[1])
    with pytest.raises(UserError, match="log.jsonl:1: not a JSON object"):
        _trainer(tiny, tmp_path / "b", seed=0)[0].run(resume=True)


def test_the_trainer_prints_paths_as_text(tmp_path, monkeypatch, capsys):
    """`--out "runs/a [x]"` printed "model in runs/a , log...": rich took `[x]` as markup."""
    from workbench.cli import main as workbench

    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # the config's paths are relative
    with pytest.raises(SystemExit) as exit_info:
        workbench(["train", "--config", "configs/tiny-student.toml", "--out", str(tmp_path / "a [x]"), "--limit", "16",
                   "--valid-limit", "4", "--no-progress", "train.epochs=1", "train.valid_generate=0"])
    assert exit_info.value.code == 0
    assert f"model in {tmp_path / 'a [x]'}" in capsys.readouterr().err.replace("\n", "")
