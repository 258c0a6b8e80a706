"""assertgen.tfidf against scikit-learn's TfidfVectorizer, whose vectors retrieval was tuned on
(the reuse threshold, the baseline's neighbours): the same similarities and nearest documents."""

from __future__ import annotations

import numpy as np
import pytest

from assertgen.retrieval import TOKEN_PATTERN
from assertgen.tfidf import Tfidf, char_wb_ngrams, regex_tokens
from conftest import JAVA_PROJECT

# the fixture project's Java files, split into methods-sized pieces, and an empty document
DOCUMENTS = [piece for path in sorted(JAVA_PROJECT.rglob("*.java"))
             for piece in path.read_text(encoding="utf-8", errors="replace").split("\n\n")] + [""]


@pytest.mark.parametrize("ours, settings", [
    (lambda: Tfidf(char_wb_ngrams(3, 5)), {"analyzer": "char_wb", "ngram_range": (3, 5)}),
    (lambda: Tfidf(regex_tokens(TOKEN_PATTERN)), {"token_pattern": TOKEN_PATTERN}),
], ids=["chars", "words"])
def test_the_vectors_are_scikit_learn_s(ours, settings):
    # (imported here: collecting the tests must not need scipy.stats, which breaks where
    # torch is stubbed out: test_plugin's suites-without-torch test)
    from sklearn.feature_extraction.text import TfidfVectorizer

    theirs = lambda: TfidfVectorizer(**settings, lowercase=False, sublinear_tf=True, dtype=np.float32)  # noqa: E731
    corpus, queries = DOCUMENTS[:-1:2] + [""], DOCUMENTS[1::2] + ["a word nobody wrote", ""]
    assert len(corpus) > 20 and len(queries) > 20
    mine, sklearn = ours(), theirs()
    matrix, reference = mine.fit_transform(corpus), sklearn.fit_transform(corpus)
    assert matrix.shape == reference.shape
    assert np.allclose(mine.transform(queries) @ matrix.T.toarray(),
                       sklearn.transform(queries) @ reference.T.toarray(), atol=1e-5)
    lengths = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    assert np.allclose(lengths[:-1], 1, atol=1e-5) and lengths[-1] == 0   # the empty document stays empty


def test_char_ngrams_pad_each_word_and_give_a_short_word_once():
    analyze = char_wb_ngrams(3, 5)
    assert analyze("ab  cde") == [" ab", "ab ", " ab ", " cd", "cde", "de ", " cde", "cde ", " cde "]
    assert analyze("") == []


def test_transform_before_fit_is_an_error():
    with pytest.raises(RuntimeError, match="fit_transform"):
        Tfidf(regex_tokens(TOKEN_PATTERN)).transform(["x"])
