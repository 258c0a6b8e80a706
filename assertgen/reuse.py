"""Reuse: a new test's assertions adapted from the most similar test that already asserts.

A repository's tests repeat themselves: a new test of a class is often checked the way
its neighbours are. When the most similar existing test (TF-IDF cosine, searched as
`SEARCH` says) is at least its threshold (`THRESHOLDS`) similar, its assertions are reused, written
in the new test's names (the adaptation of IR-based assertion generation and EditAS);
below it the model writes them (`assertgen fill` tries the next similar tests first when
the nearest one's assertions fail its checks: `candidates`; the benchmarks measure the
nearest, as they cannot run those checks). `assertgen fill` searches the user's own repository;
the benchmarks (`workbench report --reuse`, `workbench bench --reuse`, suites with
`reuse = true`) search each record's repository among the split and the training records
(`RepositoryReuse`), never the record's own test file, as the splits hold out whole test
classes.

Adaptation: the neighbour's assertions are written in placeholders of the neighbour's own
input (`assertgen.abstraction`, with idioms fitted on training records), names that the new
test's input also has are kept, and each other placeholder takes the new test's name of the
same kind and rank. Keeping the shared names is what made adaptation win (stop 14 in
benchmarks/results: renaming everything moved shared names to other ranks and lost).

A model offers reuse when its metadata (`assertgen.json`) holds
`"reuse": {"idioms": [...], "threshold": T}` (`workbench ship --reuse-idioms TRAIN`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from assertgen.abstraction import Abstraction
from assertgen.errors import UserError
from assertgen.prompt import record_input
from assertgen.retrieval import Retriever

METADATA_KEY = "reuse"
# How similar tests are found: "chars", TF-IDF of character 3-5-grams of the masked test
# and the focal method's name; "words", the code tokens of the masked test and the whole
# focal method (the baseline's search; models shipped before stop 19 name no search and
# mean it). Chars found more exactly right neighbours on all three splits (stop 19 in
# benchmarks/results: 0.040 / 0.069 / 0.077 against 0.037 / 0.056 / 0.074 on valid /
# test-inproject / test, the nearest other file's assertions unadapted).
SEARCH = "chars"
# The cosine similarity from which the nearest test is reused, per search: the best on
# `valid` (cross-project, each record searching its own repository's other test files; the
# shipped student's exact match, words: 0.046 at 0.5 against 0.041 at 0.3 and 0.042 at
# 0.6; chars: 0.049 at 0.4 against 0.046 at 0.3 and 0.047 at 0.5). benchmarks/results/reuse-search.
THRESHOLDS = {"words": 0.5, "chars": 0.4}
# Neighbours searched for those to offer: outside the record's own test file (evaluation),
# or with assertions that differ from the nearer ones' (fill's fallback).
_SEARCH_DEPTH = 50


@dataclass(frozen=True)
class Reused:
    assertions: list[str]
    source: str        # id of the test they were taken from
    similarity: float


def reuse_metadata(idioms: Sequence[str], search: str = SEARCH) -> dict:
    """The metadata entry of a model that offers reuse (see the module docstring)."""
    return {"idioms": sorted(set(idioms)), "search": search, "threshold": THRESHOLDS[search]}


def _reuse_document(record: dict) -> str:
    return record["test_method_masked"] + "\n" + record.get("focal_method_name", "")


def adapt(abstraction: Abstraction, neighbour: dict, query: dict, keep_shared: bool = True) -> list[str]:
    """The neighbour's assertions in the query's names; keep_shared: a name the query's
    input also has stays as it is. A name whose placeholder the query has not (the neighbour
    has more variables) stays the neighbour's: `VAR_3` is no Java name, `item` may be one."""
    _, neighbour_names = abstraction.input(record_input(neighbour))
    _, query_names = abstraction.input(record_input(query))
    if keep_shared:
        neighbour_names = {name: p for name, p in neighbour_names.items() if name not in query_names}
    # a method's name becomes no constructor's or class's (joda-time: a neighbour's `getMillis`
    # took the place of the query's constructor, `test.DateMidnight()`), nor the other way round
    neighbour_of = {p: name for name, p in neighbour_names.items()}
    query_names = {name: p for name, p in query_names.items()
                   if p not in neighbour_of or neighbour_of[p][:1].isupper() == name[:1].isupper()}
    return [Abstraction.concrete(Abstraction.concrete(Abstraction.target(a, neighbour_names), query_names),
                                 neighbour_names) for a in neighbour["assertions"]]


class Reuser:
    """Finds, for each new test, the assertions to reuse (or None: the model writes them)."""

    def __init__(self, idioms: Sequence[str], threshold: float | None = None, search: str = SEARCH):
        if search not in THRESHOLDS:
            raise UserError(f"unknown reuse search {search!r} (the model's assertgen.json, "
                            f"reuse.search): known are {', '.join(THRESHOLDS)}")
        self.abstraction = Abstraction(idioms)
        self.search = search
        self.threshold = THRESHOLDS[search] if threshold is None else threshold

    @classmethod
    def of(cls, metadata: dict | None) -> "Reuser | None":
        """The model's Reuser, or None when its metadata offers no reuse."""
        entry = (metadata or {}).get(METADATA_KEY)
        if not entry:
            return None
        return cls(entry["idioms"], entry["threshold"], entry.get("search", "words"))

    def retriever(self) -> Retriever:
        """An unfitted Retriever that searches as this Reuser's `search` says."""
        if self.search == "chars":
            return Retriever(document=_reuse_document, char_ngrams=True)
        return Retriever()

    def suggest(self, records: Sequence[dict], corpus: Sequence[dict],
                other_files_only: bool = False) -> list[Reused | None]:
        """`ReuseIndex(self, corpus).suggest(records, other_files_only)`."""
        return ReuseIndex(self, corpus).suggest(records, other_files_only)

    def candidates(self, records: Sequence[dict], corpus: Sequence[dict], limit: int) -> list[list[Reused]]:
        """`ReuseIndex(self, corpus).candidates(records, limit=limit)`."""
        return ReuseIndex(self, corpus).candidates(records, limit=limit)


class ReuseIndex:
    """A corpus of tests that assert, searched for the ones to reuse (TF-IDF fitted once)."""

    def __init__(self, reuser: Reuser, corpus: Sequence[dict]):
        self.reuser, self.corpus = reuser, list(corpus)
        self.retriever = reuser.retriever().fit(self.corpus) if self.corpus else None

    def suggest(self, records: Sequence[dict], other_files_only: bool = False) -> list[Reused | None]:
        """For each record, the adapted assertions of its nearest corpus record when that one
        is similar enough, else None. other_files_only: never a corpus record of the
        record's own `test_file` (nor the record itself)."""
        return [found[0] if found else None for found in self.candidates(records, other_files_only)]

    def candidates(self, records: Sequence[dict], other_files_only: bool = False,
                   limit: int = 1) -> list[list[Reused]]:
        """For each record, the adapted assertions of up to `limit` corpus records that are
        similar enough, nearest first, each list of assertions once (`suggest` takes the first;
        `assertgen fill` tries the next when one fails its checks). Copies of one test
        are common (the same test in several modules, pasted tests), so the search goes
        deeper than `limit` for lists that differ."""
        if self.retriever is None or not records:
            return [[] for _ in records]
        corpus = self.corpus
        depth = min(len(corpus), max(_SEARCH_DEPTH, limit))
        indices, similarities = self.retriever.top(records, depth)
        found: list[list[Reused]] = []
        for record, row, sims in zip(records, indices, similarities):
            options, seen = [], set()
            for i, similarity in zip(row, sims):
                neighbour = corpus[int(i)]
                if similarity < self.reuser.threshold or len(options) == limit:
                    break  # nearest first: the rest are less similar still
                if other_files_only and neighbour.get("test_file") == record.get("test_file"):
                    continue
                if not neighbour["assertions"] or tuple(neighbour["assertions"]) in seen:
                    continue  # a list already offered (mostly a copy of a nearer test)
                seen.add(tuple(neighbour["assertions"]))
                options.append(Reused(adapt(self.reuser.abstraction, neighbour, record),
                                      str(neighbour.get("id")), float(similarity)))
            found.append(options)
        return found


class RepositoryReuse:
    """Reuse as the benchmarks measure it: each record searches its own repository among
    `corpus` (one index per repository, built when first needed), never its own test file,
    as the corpus splits hold out whole test classes."""

    def __init__(self, reuser: Reuser, corpus: Sequence[dict]):
        self.reuser = reuser
        self.pools: dict[str | None, list[dict]] = defaultdict(list)
        for record in corpus:
            self.pools[record.get("repository")].append(record)
        self.indices: dict[str | None, ReuseIndex] = {}

    def prepare(self) -> "RepositoryReuse":
        """Build every repository's index now (a benchmark times the searches alone)."""
        for repository in self.pools:
            self._index(repository)
        return self

    def _index(self, repository: str | None) -> ReuseIndex:
        if repository not in self.indices:
            self.indices[repository] = ReuseIndex(self.reuser, self.pools.get(repository, []))
        return self.indices[repository]

    def suggest(self, records: Sequence[dict]) -> list[Reused | None]:
        return [found[0] if found else None for found in self.candidates(records)]

    def candidates(self, records: Sequence[dict], limit: int = 1) -> list[list[Reused]]:
        found: dict[int, list[Reused]] = {}
        by_repository: dict[str | None, list[int]] = defaultdict(list)
        for position, record in enumerate(records):
            by_repository[record.get("repository")].append(position)
        for repository, positions in by_repository.items():
            queries = [records[p] for p in positions]
            options = self._index(repository).candidates(queries, other_files_only=True, limit=limit)
            found.update(zip(positions, options))
        return [found[p] for p in range(len(records))]
