"""Find visible text that did not come through the message catalog (the pseudo-language ``qps``).

Rendered in ``lang: qps``, every message of the catalog comes out wrapped in ``⟦...⟧``
(revalign.core.i18n). A test draws a figure (or builds a page) in qps from inputs whose own
texts (codebook labels, source names) are known, then :func:`unmarked` lists each piece of text
that holds a word outside the brackets and outside those known data texts: a program word that
bypassed the catalog.
"""

from __future__ import annotations

import re

from revalign.core.i18n import PSEUDO_CLOSE, PSEUDO_OPEN

_MARKED = re.compile(re.escape(PSEUDO_OPEN) + r"[^" + PSEUDO_OPEN + PSEUDO_CLOSE + r"]*" + re.escape(PSEUDO_CLOSE))
_WORD = re.compile(r"[^\W\d_]{2,}")


def figure_texts(fig) -> list[str]:
    """Every text a matplotlib figure shows (titles, labels, ticks, legends, annotations)."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def unmarked(texts, data=()) -> list[str]:
    """The texts that hold a word neither inside ``⟦...⟧`` nor among the known *data* strings."""
    known = sorted({str(d) for d in data if str(d).strip()}, key=len, reverse=True)
    bad = []
    for text in texts:
        rest, before = text, None
        while rest != before:  # a message inside another (a placeholder filled with a translated message)
            before, rest = rest, _MARKED.sub(" ", rest)
        flat = " ".join(rest.split())
        for d in known:
            flat = flat.replace(" ".join(d.split()), " ")
        if _WORD.search(flat):
            bad.append(text)
    return bad


def messages_missing_from_catalog() -> set[str]:
    """Messages asked for at run time (in the pseudo-language) that the catalog does not hold:
    text built at run time, or marked in a way the extractor cannot see."""
    from revalign.core import catalog
    from revalign.core.i18n import pseudo_seen

    ids = set()
    for m in catalog.extract_messages():
        if m.id:
            ids.update(m.id if isinstance(m.id, tuple) else (m.id,))
    return pseudo_seen() - ids
