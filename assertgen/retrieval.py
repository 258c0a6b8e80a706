"""Retrieval: TF-IDF nearest training test, for the baseline and for retrieval augmentation.

TF-IDF over the masked test method plus the focal method (code tokens: identifiers,
numbers, operators), cosine nearest neighbour among the corpus records. The
`baseline-ir` model predicts the neighbour's assertions unchanged; a model trained with
retrieval augmentation (AG-RAG, RetriGen, EditAS) gets them appended to its input
(`assertgen.prompt.build_input`'s third section).

Whether a model uses retrieval is decided by the model itself: its metadata
(`assertgen.json`) holds `"retrieval": {"k": 1, "corpus": PATH, "corpus_records": N}`
when it was trained with it, and `"other_files": true` when its neighbours come from other
test files than the record's own (as test-inproject's held-out classes find theirs: in
`train`, 83% of the nearest other tests are in the same file, and their assertions are
exactly right for 14.5% of the records, against 6.9% from other files and 5.2% for
test-inproject; a model trained on same-file neighbours learns to trust them too much).
`model_inputs` is the one function every caller (training, teacher dumps, evaluation,
benchmarks, `assertgen fill`) builds model inputs with.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from assertgen.errors import UserError
from assertgen.prompt import record_input

# Identifiers (split later by the vectorizer's lowercase), numbers, and single symbols.
TOKEN_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*|\d+|[^\sA-Za-z0-9_]"
METADATA_KEY = "retrieval"
# A folder for cached neighbours (set by `workbench sweep` for its runs): every run of a
# sweep retrieves over the same training records, and one search costs ~30 s on a CPU.
CACHE_ENV = "ASSERTGEN_RETRIEVAL_CACHE"


def _document(record: dict) -> str:
    return record["test_method_masked"] + "\n" + record["focal_method"]


def _key(record: dict) -> str:
    """A record's identity for the cache: its id and a digest of the text it is searched by."""
    return f"{record.get('id')}:{hashlib.sha1(_document(record).encode()).hexdigest()[:16]}"


class _NeighbourCache:
    """{query key -> nearest corpus key} for one corpus (named by a digest of its record keys,
    in any order), in CACHE_DIR/CORPUS.json. With equally similar neighbours, a cached answer
    may name another of them than a fresh search in another corpus order would."""

    def __init__(self, folder: str, corpus_keys: list[str], exclude_self: bool, other_files: bool = False):
        digest = hashlib.sha256("\n".join(sorted(corpus_keys)).encode()).hexdigest()[:24]
        mode = ("others" if exclude_self else "any") + ("-other-files" if other_files else "")
        self.path = Path(folder) / f"{digest}-{mode}.json"
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}  # no cache yet (or an unreadable one): search afresh

    def save(self, new: dict[str, str]) -> None:
        from assertgen.atomic import atomic_write

        try:  # merge with what other processes wrote meanwhile
            self.entries = {**json.loads(self.path.read_text(encoding="utf-8")), **self.entries}
        except (OSError, ValueError):
            pass
        self.entries.update(new)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(self.entries).encode("utf-8"))


class Retriever:
    """TF-IDF nearest-neighbour retrieval over corpus (training) records.

    By default over code tokens of `_document` (the baseline's and retrieval augmentation's
    search, which trained models depend on); `document` and `char_ngrams` (TF-IDF of
    character 3-5-grams within words) let reuse search otherwise (`assertgen.reuse`)."""

    def __init__(self, chunk_size: int = 512, document: Callable[[dict], str] | None = None,
                 char_ngrams: bool = False):
        self.chunk_size = chunk_size
        self.document = document or _document
        self.char_ngrams = char_ngrams
        # the neighbour cache (CACHE_ENV) holds the default search's neighbours only
        self.cacheable = document is None and not char_ngrams
        self._vectorizer = None
        self._matrix = None
        self._assertions: list[list[str]] = []
        self._index_of_id: dict[str, list[int]] = {}
        self._index_of_file: dict[tuple, list[int]] = {}

    def __len__(self) -> int:
        return len(self._assertions)

    def fit(self, train_records) -> "Retriever":
        from assertgen.tfidf import Tfidf, char_wb_ngrams, regex_tokens

        documents, self._assertions, self._index_of_id, self._index_of_file = [], [], {}, {}
        self._keys = []
        for i, record in enumerate(train_records):
            documents.append(self.document(record))
            if self.cacheable:
                self._keys.append(_key(record))
            self._assertions.append(record["assertions"])
            if record.get("id") is not None:
                self._index_of_id.setdefault(str(record["id"]), []).append(i)
            if record.get("test_file") is not None:
                self._index_of_file.setdefault(record_test_file(record), []).append(i)
        if not documents:
            raise UserError("the retrieval corpus holds no records")
        self._vectorizer = Tfidf(char_wb_ngrams(3, 5) if self.char_ngrams else regex_tokens(TOKEN_PATTERN))
        self._matrix = self._vectorizer.fit_transform(documents)
        return self

    def nearest(self, records, exclude_self: bool = False, other_files: bool = False) -> list[int]:
        """Index (into the corpus records) of each record's nearest neighbour.

        exclude_self: a record never retrieves a corpus record with its own `id` (that
        index is masked, whatever its text), so retrieving over the training set itself
        gives the nearest OTHER record; duplicates under other ids stay retrievable, as
        they would be for an unseen query. With a one-record corpus a record may get
        itself (there is nothing else). other_files: nor a record of its own test file
        (repository and path), unless the corpus holds nothing else.
        """
        if self._matrix is None:
            raise RuntimeError("fit() first")
        records = list(records)
        if not records:
            return []
        if not os.environ.get(CACHE_ENV) or not self.cacheable:
            return self._search(records, exclude_self, other_files)
        cache = _NeighbourCache(os.environ[CACHE_ENV], self._keys, exclude_self, other_files)
        index_of_key = {key: i for i, key in enumerate(self._keys)}
        query_keys = [_key(r) for r in records]
        missing = [i for i, key in enumerate(query_keys) if cache.entries.get(key) not in index_of_key]
        if missing:
            found = self._search([records[i] for i in missing], exclude_self, other_files)
            cache.save({query_keys[i]: self._keys[j] for i, j in zip(missing, found)})
        return [index_of_key[cache.entries[key]] for key in query_keys]

    def _score_chunks(self, records: list[dict]):
        """(start, dense cosine scores [chunk, corpus]) per chunk of `chunk_size` queries:
        one dense block at a time, so memory stays bounded on large splits."""
        queries = self._vectorizer.transform([self.document(r) for r in records])
        for start in range(0, queries.shape[0], self.chunk_size):
            yield start, (queries[start:start + self.chunk_size] @ self._matrix.T).toarray()

    def _search(self, records: list[dict], exclude_self: bool, other_files: bool = False) -> list[int]:
        best: list[int] = []
        for start, scores in self._score_chunks(records):
            if exclude_self or other_files:
                for row, record in enumerate(records[start:start + self.chunk_size]):
                    masked = list(self._index_of_id.get(str(record.get("id")), ())) if exclude_self else []
                    if other_files:
                        masked += self._index_of_file.get(record_test_file(record), ())
                    if len(set(masked)) < len(self):  # something is left to retrieve
                        scores[row, masked] = -np.inf
            best.extend(int(i) for i in scores.argmax(axis=1))
        return best

    def top(self, records, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(indices, cosine similarities) of each record's k nearest corpus records, nearest
        first, searched afresh (no cache, nothing excluded): for analyses of the candidates."""
        if self._matrix is None:
            raise RuntimeError("fit() first")
        indices, similarities = [], []
        for _, scores in self._score_chunks(list(records)):
            # a copy: a slice would keep the chunk's whole [chunk, corpus] order array alive
            order = np.argsort(-scores, axis=1, kind="stable")[:, :k].copy()
            indices.append(order)
            similarities.append(np.take_along_axis(scores, order, axis=1))
        return np.concatenate(indices), np.concatenate(similarities)

    def predict(self, records) -> list[list[str]]:
        return [self._assertions[i] for i in self.nearest(records)]

    def assertions_of(self, index: int) -> list[str]:
        return self._assertions[index]


def uses_retrieval(metadata: dict | None) -> bool:
    """True when the model (by its metadata) was trained with retrieval augmentation."""
    return bool((metadata or {}).get(METADATA_KEY))


def retrieval_metadata(corpus: str, corpus_records: int, other_files: bool = False) -> dict:
    """The metadata entry a model trained with retrieval records (see the module docstring).
    The corpus path is absolute: evaluation and export run from other folders than training."""
    entry = {"k": 1, "corpus": str(Path(corpus).resolve()), "corpus_records": int(corpus_records)}
    return {**entry, "other_files": True} if other_files else entry


def record_test_file(record: dict) -> tuple:
    """The test file a record comes from (repository, path): what `other_files` keeps apart."""
    return record.get("repository"), record.get("test_file")


def model_inputs(records: Sequence[dict], metadata: dict | None,
                 corpus: Retriever | None = None) -> list[str]:
    """The model input of each record: `record_input(r)` for a model without retrieval;
    for a model with it, `record_input(r, assertions of r's nearest corpus record)`, the
    record itself excluded by id (`Retriever.nearest(exclude_self=True)`).

    A retrieval model without a corpus is a UserError.
    """
    return model_inputs_and_neighbours(records, metadata, corpus)[0]


def model_inputs_and_neighbours(records: Sequence[dict], metadata: dict | None,
                                corpus: Retriever | None = None
                                ) -> tuple[list[str], list[int] | None]:
    """`model_inputs`, and the corpus index of each record's neighbour (None without
    retrieval): for callers that use the retrieved assertions again (the copy warm-up)."""
    if not uses_retrieval(metadata):
        return [record_input(r) for r in records], None
    if corpus is None:
        raise UserError("this model was trained with retrieval augmentation and needs a retrieval "
                        "corpus (training records) to search; none was given")
    other_files = bool(metadata[METADATA_KEY].get("other_files"))
    nearest = corpus.nearest(records, exclude_self=True, other_files=other_files)
    return [record_input(r, corpus.assertions_of(i)) for r, i in zip(records, nearest)], nearest
