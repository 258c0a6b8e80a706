"""The composite distillation loss: KL on sparse top-k, presets, temperature, AST weighting."""

import math

import pytest

torch = pytest.importorskip("torch")  # the train extra; without it `pytest --assertgen-bench` still runs
import torch.nn.functional as F

from workbench import losses
from workbench.losses import LossWeights, composite_loss, topk_kl, weights_for
from workbench.train import checked_settings


def test_topk_kl_equals_dense_kl_when_k_is_the_vocabulary():
    torch.manual_seed(0)
    student = torch.randn(2, 5, 7)
    teacher = torch.randn(2, 5, 7)
    t_logprobs = torch.log_softmax(teacher, -1)
    ids = torch.arange(7).expand(2, 5, 7)
    mask = torch.ones(2, 5, dtype=torch.bool)
    for temp in (1.0, 2.5):
        ours = topk_kl(student, ids, t_logprobs, mask, temp)
        dense = F.kl_div(torch.log_softmax(student / temp, -1), torch.log_softmax(teacher / temp, -1),
                         log_target=True, reduction="none").sum(-1).mean(1)
        assert torch.allclose(ours, dense, atol=1e-5)


def test_topk_kl_renormalises_teacher_and_penalises_student_mass_outside_topk():
    torch.manual_seed(1)
    vocab, k = 10, 3
    teacher = torch.randn(1, 4, vocab)
    top = torch.log_softmax(teacher, -1).topk(k, -1)
    mask = torch.ones(1, 4, dtype=torch.bool)
    # A student whose mass sits on the top-k in the teacher's proportions: KL 0 at any T.
    student = torch.full((1, 4, vocab), -1e4)
    student.scatter_(-1, top.indices, teacher.gather(-1, top.indices))
    for temp in (1.0, 4.0):
        assert topk_kl(student, top.indices, top.values, mask, temp).abs().max() < 1e-5
    # Moving student mass outside the top-k increases the KL.
    leaky = student.clone()
    outside = [j for j in range(vocab) if j not in top.indices[0, 0].tolist()][0]
    leaky[0, 0, outside] = teacher[0, 0].max() + 3
    kl = topk_kl(leaky, top.indices, top.values, mask, 1.0)
    assert kl[0] > 0.1
    # Masked positions do not count.
    mask2 = mask.clone()
    mask2[0, 0] = False
    assert topk_kl(leaky, top.indices, top.values, mask2, 1.0).abs().max() < 1e-5


def test_presets_table_and_alpha():
    b = weights_for("balanced")
    assert (b.gold, b.teacher, b.soft) == (0.4, 0.3, 0.3)
    assert (weights_for("teacher-only").teacher, weights_for("soft-only").soft) == (1.0, 1.0)
    nd = weights_for("no-distill")
    assert (nd.gold, nd.teacher, nd.soft, nd.ast) == (1.0, 0.0, 0.0, 0.0)
    for name in ("gold-focused", "teacher-focused", "balanced"):
        w = weights_for(name)
        assert w.soft == 0.3 and math.isclose(w.gold + w.teacher, 0.7)
    assert weights_for("gold-focused").gold > weights_for("gold-focused").teacher
    assert weights_for("teacher-focused").teacher > weights_for("teacher-focused").gold
    for name in ("teacher0.5-soft0.5", "teacher0.7-soft0.3", "teacher0.3-soft0.7"):
        w = weights_for(name)
        assert w.gold == 0 and f"teacher{w.teacher}-soft{w.soft}" == name
    a = weights_for("alpha", alpha=0.7)
    assert (a.gold, a.teacher, a.soft) == (pytest.approx(0.3), 0.0, 0.7)
    # as written: the distill line, assertgen.json and a sweep's summary said 0.30000000000000004
    assert str(a.gold) == "0.3" and str(weights_for("alpha", alpha=0.9).gold) == "0.1"
    from assertgen.errors import UserError
    with pytest.raises(UserError, match="unknown loss preset"):
        weights_for("nope")
    with pytest.raises(UserError, match="alpha"):
        weights_for("balanced", alpha=0.5)


def test_temperature_geometric_decay():
    w = LossWeights(temperature=4.0, temperature_end=1.0)
    temps = [w.temperature_at(e, 5) for e in range(5)]
    assert temps[0] == 4.0 and math.isclose(temps[-1], 1.0)
    ratios = [b / a for a, b in zip(temps, temps[1:])]
    assert all(math.isclose(r, ratios[0]) for r in ratios) and ratios[0] < 1
    assert LossWeights(temperature=2.0, temperature_end=None).temperature_at(3, 5) == 2.0


class _Tok:
    """Decodes token id 5 as a valid statement and anything else as junk."""
    pad_token_id = 0

    def batch_decode(self, rows, skip_special_tokens=True):
        return ["assertTrue(x);" if row and row[0] == 5 else "assertTrue(" for row in rows]


def _tiny_model(vocab=12):
    from transformers import T5Config, T5ForConditionalGeneration

    torch.manual_seed(0)
    cfg = T5Config(vocab_size=vocab, d_model=16, d_ff=32, d_kv=8, num_layers=1, num_heads=2,
                   dropout_rate=0.0, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
    return T5ForConditionalGeneration(cfg)


def _batch(vocab=12, k=3):
    torch.manual_seed(3)
    labels = torch.tensor([[5, 6, 7, 1], [8, 9, 1, -100]])
    teacher = torch.tensor([[5, 6, 1, -100], [8, 4, 9, 1]])
    t_logits = torch.randn(2, 4, vocab)
    top = torch.log_softmax(t_logits, -1).topk(k, -1)
    return {"input_ids": torch.tensor([[3, 4, 5, 1], [6, 7, 1, 0]]),
            "attention_mask": torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]]),
            "labels": labels, "teacher_labels": teacher, "topk_ids": top.indices,
            "topk_logprobs": top.values, "topk_mask": teacher != -100}


def _grads(model, loss):
    model.zero_grad()
    loss.backward()
    return torch.cat([p.grad.flatten() for p in model.parameters() if p.grad is not None])


def test_each_term_enters_the_loss():
    model, batch = _tiny_model(), _batch()
    _, parts = composite_loss(model, batch, weights_for("balanced", ast=0.0), temperature=2.0)
    assert parts["ce_gold"] > 0 and parts["ce_teacher"] > 0 and parts["kl"] > 0
    expected = 0.4 * parts["ce_gold"] + 0.3 * parts["ce_teacher"] + 0.3 * parts["kl"]
    assert float(parts["loss"]) == pytest.approx(float(expected), rel=1e-5)
    _, only_teacher = composite_loss(model, batch, weights_for("teacher-only"), temperature=2.0,
                                     tokenizer=_Tok())
    assert set(only_teacher) >= {"ce_teacher", "ast_invalid"} and "ce_gold" not in only_teacher


def test_ast_weight_changes_the_gradient_and_study_constant_does_not(monkeypatch):
    model, batch = _tiny_model(), _batch()
    # Make example 0's argmax decode valid and example 1's invalid, whatever the model says.
    monkeypatch.setattr(losses, "invalid_flags",
                        lambda pred, tok, is_valid=None: torch.tensor([0.0, 1.0]))
    base = weights_for("balanced", ast=0.0)
    g0 = _grads(model, composite_loss(model, batch, base, 2.0, tokenizer=_Tok())[0])
    g1 = _grads(model, composite_loss(model, batch, weights_for("balanced", ast=1.0), 2.0,
                                      tokenizer=_Tok())[0])
    assert not torch.allclose(g0, g1)
    # Not a mere rescaling: invalid examples gain weight relative to valid ones.
    cos = F.cosine_similarity(g0, g1, dim=0)
    assert cos < 0.99999
    # The study's form adds w_ast * invalid_rate, a constant: the gradient is unchanged.
    loss, parts = composite_loss(model, batch, base, 2.0)
    study = loss + 1.0 * torch.tensor([0.0, 1.0]).mean()
    assert torch.equal(_grads(model, study), g0)


def test_ast_flags_come_from_parsing_the_argmax_decode():
    flags = losses.invalid_flags(torch.tensor([[5, 6], [7, 6]]), _Tok(), losses.java_statements_parse)
    assert flags.tolist() == [0.0, 1.0]
    assert losses.java_statements_parse(["assertEquals(1, x.size());", "assertNull(y);"])
    assert not losses.java_statements_parse(["assertEquals(1, x.size()"])
    assert not losses.java_statements_parse([])


def test_a_dump_along_gold_shares_the_gold_forward_pass(monkeypatch):
    """Along gold, teacher_labels are the gold labels: the KL term reads the gold pass's
    logits (two decoder passes a step, gold and the teacher's prediction, not three)."""
    model, batch = _tiny_model(), _batch()
    batch = {**batch, "teacher_labels": batch["labels"], "topk_mask": batch["labels"] != -100,
             "pred_labels": torch.tensor([[5, 6, 1, -100], [8, 4, 9, 1]])}
    calls = []
    forward = losses._forward
    monkeypatch.setattr(losses, "_forward",
                        lambda m, b, key: calls.append(key) or forward(m, b, key))
    _, parts = composite_loss(model, batch, weights_for("balanced", ast=0.0), temperature=2.0)
    assert calls == ["labels", "pred_labels"]
    separate = topk_kl(forward(model, batch, "teacher_labels"), batch["topk_ids"],
                       batch["topk_logprobs"], batch["topk_mask"], 2.0).mean() * 4.0
    assert float(parts["kl"]) == pytest.approx(float(separate), rel=1e-5)  # no dropout here


@pytest.mark.parametrize("table, message", [
    ({"temperature_start": "abc"}, "distill.temperature_start must be a number, got 'abc'"),
    ({"alpha": True}, "distill.alpha must be a number"),
    ({"preset": 3}, "distill.preset must be a string"),
    ({"constant_temperature": 1}, "distill.constant_temperature must be true or false"),
    # out of range: a temperature of 0 divided by zero at the first step, a negative one trained
    ({"temperature_start": 0}, r"the temperature \(--temperature, distill.temperature_start\) must be above 0, got 0"),
    ({"temperature_end": -1.0}, "distill.temperature_end\\) must be above 0, got -1.0"),
    ({"ast_weight": -0.5}, "distill.ast_weight\\) must not be negative"),
    # alpha applies to the alpha preset only: ignored, it trained another loss than asked for
    ({"preset": "balanced", "alpha": 0.3},
     "distill.alpha only applies to the 'alpha' preset, not 'balanced'"),
    ({"preset": "alpha", "alpha": 0.3}, None),
])
def test_distill_table_of_the_wrong_type_is_a_user_error(table, message):
    from argparse import Namespace

    from assertgen.errors import UserError
    from workbench.distill import loss_weights

    args = Namespace(preset=None, alpha=None, temperature=None, temperature_end=None,
                     constant_temperature=False, ast_weight=None)
    if message is None:
        loss_weights({"distill": table}, args)
        return
    with pytest.raises(UserError, match=message):
        loss_weights({"distill": table}, args)
    with pytest.raises(UserError, match=message):  # also where the run checks its config
        checked_settings({"model": {"name_or_path": "x"}, "distill": table})


def test_a_config_alpha_follows_the_preset_the_run_uses():
    """The command line's --preset decides whether distill.alpha applies, as for --alpha."""
    from argparse import Namespace

    from assertgen.errors import UserError
    from workbench.distill import loss_weights

    def args(preset=None):
        return Namespace(preset=preset, alpha=None, temperature=None, temperature_end=None,
                         constant_temperature=False, ast_weight=None)

    checked_settings({"model": {"name_or_path": "x"}, "distill": {"alpha": 0.3}})  # --preset may say alpha
    preset, weights = loss_weights({"distill": {"alpha": 0.3}}, args("alpha"))
    assert (preset, weights.soft) == ("alpha", 0.3)
    for table, preset in (({"alpha": 0.3}, None), ({"preset": "alpha", "alpha": 0.3}, "balanced")):
        with pytest.raises(UserError, match="c.toml: distill.alpha only applies to the 'alpha' "
                                            "preset, not 'balanced'"):
            loss_weights({"distill": table}, args(preset), "c.toml")


def test_distill_options_out_of_range_are_user_errors():
    from assertgen.errors import UserError

    with pytest.raises(UserError, match=r"distill.temperature_start\) must be above 0, got 0"):
        weights_for("balanced", temperature=0.0)
    with pytest.raises(UserError, match="end temperature .* must be above 0"):
        weights_for("balanced", temperature_end=-1.0)
    assert weights_for("balanced", temperature_end=None).temperature_end is None  # constant


def test_a_dump_of_another_tokenizer_names_its_highest_token_id():
    """The teacher's top-k ids, not only its target ids, may be past the student's vocabulary:
    the message said "token ids up to 672 do not fit the student's vocabulary of 800"."""
    from pathlib import Path

    from transformers import PreTrainedTokenizerFast

    from assertgen.errors import UserError
    from workbench.distill import distill_examples
    from workbench.logits_codec import encode_topk

    tokenizer = PreTrainedTokenizerFast.from_pretrained(
        str(Path(__file__).resolve().parent.parent / "fixtures" / "models" / "tiny"))
    vocab = len(tokenizer)
    record = {"id": "r1", "focal_method": "int f() { return 1; }",
              "test_method_masked": "@Test void t() {\n// ASSERTION PLACEHOLDER\n}",
              "assertions": ["assertEquals(1, f());"], "predicted_assertions": ["assertEquals(1, f());"],
              "compressed_logits": encode_topk([[3, vocab + 5], [4, 5]], [[-0.1, -3.0], [-0.2, -2.0]],
                                               "teacher_prediction", [3, 4])}
    with pytest.raises(UserError, match=f"token ids up to {vocab + 5} do not fit the student's "
                                        f"vocabulary of {vocab}"):
        distill_examples([record], tokenizer, 64, 64, "dump.jsonl")
