"""TF-IDF vectors of documents, as scikit-learn's TfidfVectorizer computes them with the settings
retrieval uses (`lowercase=False, sublinear_tf=True`, smooth idf, l2 rows, float32): each term
count `c` becomes `1 + ln c`, times `ln((1 + n) / (1 + df)) + 1`, each row scaled to length 1.

Why not scikit-learn itself: importing `sklearn.feature_extraction.text` costs ~100 MB of
memory (142 MiB against scipy.sparse's 44, measured on the 2-core development machine, stop
31), which `assertgen fill` paid on every repository for its reuse search; the vectors are
these few lines. A test checks them against scikit-learn's on fixture documents.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy.sparse import csr_matrix

_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(min_n: int, max_n: int) -> Callable[[str], list[str]]:
    """scikit-learn's `analyzer="char_wb"`: character n-grams within words, each word padded
    with a space on both sides; a word shorter than n gives itself once."""
    def analyze(document: str) -> list[str]:
        grams = []
        for word in _WHITE_SPACES.sub(" ", document).split():
            word = f" {word} "
            for n in range(min_n, max_n + 1):
                grams += [word[i:i + n] for i in range(max(1, len(word) - n + 1))]
                if len(word) <= n:  # (the whole word already: longer n-grams give it again)
                    break
        return grams
    return analyze


def regex_tokens(pattern: str) -> Callable[[str], list[str]]:
    """scikit-learn's word analyzer with `token_pattern` (no capturing group), case kept."""
    compiled = re.compile(pattern)
    return compiled.findall


class Tfidf:
    """fit_transform on a corpus, transform queries against its vocabulary and idf."""

    def __init__(self, analyze: Callable[[str], list[str]]):
        self.analyze = analyze
        self.vocabulary: dict[str, int] = {}
        self.idf: np.ndarray | None = None

    def fit_transform(self, documents: Sequence[str]) -> csr_matrix:
        self.vocabulary = {}
        counts = self._counts(documents, grow=True)
        df = np.bincount(counts.indices, minlength=len(self.vocabulary)).astype(np.float64)
        self.idf = (np.log((1 + counts.shape[0]) / (1 + df)) + 1).astype(np.float32)
        return self._weighted(counts)

    def transform(self, documents: Sequence[str]) -> csr_matrix:
        if self.idf is None:
            raise RuntimeError("fit_transform() first")
        return self._weighted(self._counts(documents, grow=False))

    def _counts(self, documents: Sequence[str], grow: bool) -> csr_matrix:
        """Term counts, one row per document (terms outside the vocabulary left out unless `grow`)."""
        indices, data, indptr = [], [], [0]
        vocabulary = self.vocabulary
        for document in documents:
            for term, count in Counter(self.analyze(document)).items():
                column = vocabulary.get(term)
                if column is None:
                    if not grow:
                        continue
                    column = vocabulary[term] = len(vocabulary)
                indices.append(column)
                data.append(count)
            indptr.append(len(indices))
        return csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32),
                           np.asarray(indptr, dtype=np.int64)), shape=(len(indptr) - 1, len(vocabulary)))

    def _weighted(self, counts: csr_matrix) -> csr_matrix:
        """Sublinear tf times idf, each row of length 1 (an empty row stays empty)."""
        counts.data = (1 + np.log(counts.data)) * self.idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel()).astype(np.float32)
        counts.data /= np.repeat(norms, np.diff(counts.indptr))
        counts.sort_indices()
        return counts
