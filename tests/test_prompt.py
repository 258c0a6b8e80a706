"""`assertgen.prompt.encode_inputs`: the one input encoder; long inputs lose the focal method first."""

from __future__ import annotations

from pathlib import Path

import pytest
from tokenizers import Tokenizer

from assertgen.prompt import FOCAL_MIN_TOKENS, build_input, encode_inputs

TINY = Path(__file__).parent.parent / "fixtures" / "models" / "tiny"


@pytest.fixture(scope="module")
def runtime_tokenizer():
    """The `tokenizers` object CTranslate2 inference uses."""
    tokenizer = Tokenizer.from_file(str(TINY / "tokenizer.json"))
    tokenizer.no_truncation()
    return tokenizer


def _tokenize(tokenizer):
    return lambda texts, special: [e.ids for e in tokenizer.encode_batch(texts, add_special_tokens=special)]


FOCAL = "public int add(int a, int b) {\n    int sum = a + b;\n    return sum;\n}"
TEST = "@Test\npublic void testAdd() {\n    int r = calc.add(2, 3);\n    // ASSERTION PLACEHOLDER\n}"
RETRIEVED = ["assertEquals(5, calc.add(2, 3));", "assertNotNull(calc);"]


def test_an_input_that_fits_gets_the_ids_of_its_whole_text(runtime_tokenizer):
    texts = [build_input(FOCAL, TEST), build_input(FOCAL + "  // done", TEST, RETRIEVED)]
    whole = [e.ids for e in runtime_tokenizer.encode_batch(texts)]
    assert encode_inputs(texts, _tokenize(runtime_tokenizer), 10_000) == whole
    assert whole[0][-1] == runtime_tokenizer.token_to_id("</s>")


def test_a_long_input_loses_the_end_of_its_focal_method_first(runtime_tokenizer):
    tokenize = _tokenize(runtime_tokenizer)
    long_focal = FOCAL.replace("return sum;", "int x = 1;\n" * 200 + "    return sum;")
    text = build_input(long_focal, TEST, RETRIEVED)
    rest = tokenize([text[text.index("\n\nTEST METHOD:"):]], False)[0]
    focal = tokenize([text[:text.index("\n\nTEST METHOD:")]], False)[0]
    limit = len(rest) + 60
    ids = encode_inputs([text], tokenize, limit)[0]
    assert len(ids) == limit
    # The test method and the retrieved assertions are whole; the focal method's start is kept.
    assert ids == focal[:limit - 1 - len(rest)] + rest + [runtime_tokenizer.token_to_id("</s>")]
    decoded = runtime_tokenizer.decode(ids)
    assert "assertNotNull(calc);" in decoded and "public int add" in decoded and "return sum" not in decoded


def test_the_signature_survives_when_the_rest_alone_is_too_long(runtime_tokenizer):
    tokenize = _tokenize(runtime_tokenizer)
    text = build_input(FOCAL + "\n" + "// more\n" * 40, TEST, RETRIEVED * 30)
    ids = encode_inputs([text], tokenize, 100)[0]
    focal = tokenize([text[:text.index("\n\nTEST METHOD:")]], False)[0]
    assert len(ids) == 100 and ids[:FOCAL_MIN_TOKENS] == focal[:FOCAL_MIN_TOKENS]
    assert "TEST METHOD:" in runtime_tokenizer.decode(ids)


def test_both_tokenizer_libraries_encode_alike(runtime_tokenizer):
    from transformers import AutoTokenizer

    hf = AutoTokenizer.from_pretrained(str(TINY))
    texts = [build_input(FOCAL * 8, TEST, RETRIEVED), build_input(FOCAL, TEST)]
    from_hf = encode_inputs(texts, lambda b, s: hf(b, add_special_tokens=s)["input_ids"], 120)
    assert from_hf == encode_inputs(texts, _tokenize(runtime_tokenizer), 120)
    assert max(len(ids) for ids in from_hf) == 120
