"""Identifier abstraction (as in ATLAS, Watson et al., ICSE 2020): a model trained from
scratch on ~24k tests copies a name from its input far more easily when every rare name
becomes a shared placeholder.

In a model input, each identifier and string literal that is not an idiom (a Java
keyword or one of the names frequent in the training data) becomes `VAR_k`, `METHOD_k`,
`TYPE_k` or `STRING_k`, numbered by first appearance; the training target uses the same
names (a name absent from the input stays as it is), and the model's output is mapped
back. Comments (`// ASSERTION PLACEHOLDER`) are left alone.

The mapping is a pure function of the input text, so every caller recomputes it from the
input it already has. A model trained with abstraction records its idioms in its
metadata (`assertgen.json`): `"abstraction": {"idioms": [...]}`; `abstraction_of` reads
them back, and training, teacher dumps, evaluation and `assertgen fill` all go through it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

METADATA_KEY = "abstraction"

# Comments, string and char literals, names, numbers, whitespace, any other character.
_TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|[A-Za-z_$][\w$]*'
                    r'|\d[\w.]*|\s+|.', re.S)
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_PLACEHOLDER = re.compile(r"(?:VAR|METHOD|TYPE|STRING)_\d+")
_KEYWORDS = frozenset("""abstract assert boolean break byte case catch char class const continue default
do double else enum extends final finally float for goto if implements import instanceof int interface long
native new package private protected public return short static strictfp super switch synchronized this throw
throws transient try void volatile while var true false null
FOCAL METHOD TEST SIMILAR ASSERTIONS""".split())  # the last line: assertgen.prompt's headings

# Idioms: the names (and string literals) most frequent in training assertions, and the
# names most frequent in training inputs (Test, String, ...). Measured on java-assertions-v1
# (idioms fitted on train): the gold assertions of 31.3% of the test-inproject tests (11.3%
# of valid) use only idioms and names of their own input.
ASSERTION_IDIOMS = 200
INPUT_IDIOMS = 100


def _abstractable(token: str) -> bool:
    return token.startswith('"') or bool(_NAME.fullmatch(token))


def _most_common(counts: Counter, n: int) -> list[str]:
    # by count, then name: the same list whatever order the records came in
    return [name for name, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]]


def fit_idioms(records: Iterable[dict]) -> list[str]:
    """The idioms of a training set (records with focal_method, test_method_masked, assertions)."""
    in_assertions, in_inputs = Counter(), Counter()
    for record in records:
        for assertion in record["assertions"]:
            in_assertions.update(t for t in _TOKEN.findall(assertion) if _abstractable(t))
        source = record["focal_method"] + "\n" + record["test_method_masked"]
        in_inputs.update(t for t in _TOKEN.findall(source) if _NAME.fullmatch(t))
    idioms = set(_most_common(in_assertions, ASSERTION_IDIOMS)) | set(_most_common(in_inputs, INPUT_IDIOMS))
    return sorted(idioms)


class Abstraction:
    """Abstracts model inputs and targets, and maps outputs back (see the module docstring)."""

    def __init__(self, idioms: Iterable[str]):
        self.idioms = sorted(set(idioms))
        self._keep = _KEYWORDS | set(self.idioms)

    def metadata(self) -> dict:
        return {"idioms": self.idioms}

    def input(self, text: str) -> tuple[str, dict[str, str]]:
        """(abstracted text, {original name: placeholder})."""
        names: dict[str, str] = {}
        counters: Counter = Counter()
        tokens = _TOKEN.findall(text)
        out = []
        for i, token in enumerate(tokens):
            if _abstractable(token) and token not in self._keep:
                if token not in names:
                    if token.startswith('"'):
                        kind = "STRING"
                    else:
                        following = next((tokens[j] for j in range(i + 1, len(tokens))
                                          if not tokens[j].isspace()), "")
                        kind = "METHOD" if following == "(" else "TYPE" if token[0].isupper() else "VAR"
                    names[token] = f"{kind}_{counters[kind]}"
                    counters[kind] += 1
                token = names[token]
            out.append(token)
        return "".join(out), names

    @staticmethod
    def target(text: str, names: dict[str, str]) -> str:
        """A training target in the names of its input (other names unchanged)."""
        if not names:
            return text
        return "".join(names.get(t, t) if _abstractable(t) else t for t in _TOKEN.findall(text))

    @staticmethod
    def concrete(text: str, names: dict[str, str]) -> str:
        """Model output with its placeholders mapped back to the input's names (a placeholder
        the input did not have stays as it is)."""
        if not names:
            return text
        original = {placeholder: name for name, placeholder in names.items()}
        return "".join(original.get(t, t) if _PLACEHOLDER.fullmatch(t) else t for t in _TOKEN.findall(text))


def abstract_inputs(abstraction: Abstraction | None, inputs: list[str]
                    ) -> tuple[list[str], list[dict[str, str]]]:
    """(the texts the model sees, each input's names for `Abstraction.concrete` of its
    outputs); the texts unchanged, and no names, without an abstraction."""
    if abstraction is None:
        return list(inputs), [{} for _ in inputs]
    pairs = [abstraction.input(text) for text in inputs]
    return [text for text, _ in pairs], [names for _, names in pairs]


def abstract_examples(abstraction: Abstraction | None, inputs: list[str], targets: list[str]
                      ) -> tuple[list[str], list[str], list[dict[str, str]]]:
    """`abstract_inputs`, with training targets in their inputs' names (model inputs,
    model targets, names)."""
    texts, names = abstract_inputs(abstraction, inputs)
    return texts, [Abstraction.target(target, n) for target, n in zip(targets, names)], names


def abstraction_of(metadata: dict | None) -> Abstraction | None:
    """The model's Abstraction, or None for a model trained on plain text."""
    entry = (metadata or {}).get(METADATA_KEY)
    return Abstraction(entry["idioms"]) if entry else None
