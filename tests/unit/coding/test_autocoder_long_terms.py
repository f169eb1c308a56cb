"""Long indicator terms are matched in linear time with exactly the regular expression's result.

A term longer than ``REGEX_TERM_CHARS`` is found by Knuth-Morris-Pratt in the text with runs of
spaces and hyphens collapsed (revalign.coding.autocoder._long_term_matches). The expected values
here are the regular expression's own matches (``term_pattern``), the rule the module docstring
states, on texts built to hit every rule: word boundaries, English and Indonesian endings, the
``*`` wildcard, runs of spaces and hyphens, case, punctuation inside words, overlapping
occurrences. A test fails if the two ways ever disagree on one match.
"""

from __future__ import annotations

import random

import pytest

from revalign.coding import autocoder
from revalign.coding.autocoder import Indicator, _Collapsed, _long_term_matches, code_text, term_pattern

ALPHABET = ["a", "b", "A", "s", "es", "nya", "kan", "i", " ", "  ", "-", " - ", ".", "/", "_", "é", "1", "\n"]


def _regex(ind: Indicator, text: str):
    return [(m.start(), m.group(0)) for m in ind.pattern.finditer(text)]


@pytest.mark.parametrize("seed", range(40))
def test_long_term_matches_equal_the_regex(seed):
    rng = random.Random(seed)
    for _ in range(60):
        words = ["".join(rng.choice(["a", "b", "A", ".", "é", "1"]) for _ in range(rng.randint(1, 3)))
                 for _ in range(rng.randint(1, 4))]  # fmt: skip
        term = rng.choice([" ", "-", " - "]).join(words) + rng.choice(["", "", "*"])
        lang = rng.choice(["en", "id", "xx"])
        if not term.strip().rstrip("*").strip():
            continue
        ind = Indicator("c", term, lang, term_pattern(term, lang))
        text = "".join(rng.choice(ALPHABET + words * 3) for _ in range(rng.randint(0, 60)))
        assert _long_term_matches(ind, _Collapsed(text)) == _regex(ind, text), (term, lang, text)


def test_code_text_is_the_same_either_way(monkeypatch):
    rng = random.Random(99)
    terms = [("c1", "blended learning", "en"), ("c2", "skill", "en"), ("c3", "etika", "id"), ("c4", "pilih*", "id")]
    inds = [Indicator(c, t, lang, term_pattern(t, lang)) for c, t, lang in terms]
    pieces = ["Blended-learning", "skills", "etikanya", "pilihannya", "memilih", "skill.", "x", " ", "-", "  "]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(200)]
    expected = [code_text(t, inds) for t in texts]
    monkeypatch.setattr(autocoder, "REGEX_TERM_CHARS", 0)  # every term through the linear matcher
    assert [code_text(t, inds) for t in texts] == expected
