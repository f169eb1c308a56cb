"""Commentary about one particular review: the markdown file the parameter ``notes`` names.

A notes file holds what is true of one review only (what its reference list lacks, why the rule and
its published table disagree, ...), so that the notebooks' own prose can describe the method for any
run. Sections start with a level-2 heading whose first word is a stage number (``## 01 ...`` to
``## 05 ...``); each notebook shows the sections of its stage, and stage 01 also shows the text before
the first such section. A run without ``notes`` shows nothing.

A notes file may come from someone else, and a notebook's output is HTML in JupyterLab's own page
(SECURITY.md): raw HTML there runs as the user. So the notes are never shown as Markdown for the
notebook to render. :func:`notes_html` renders them here with mistune, raw HTML escaped as text,
links kept only to ``http``, ``https``, ``mailto`` or relative addresses (anything else is shown as
plain text), images shown as links (nothing is fetched), then passes the result through bleach's
allow-list of tags, attributes and protocols. The notebook receives that HTML and the plain text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING

from revalign.core.config import RunConfig, read_notes

if TYPE_CHECKING:
    import mistune

_SECTION = re.compile(r"^## +(\d{2})\b", re.MULTILINE)

# What the rendered notes may hold (bleach's allow-list): the tags mistune writes for Markdown.
ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "code", "pre", "blockquote",
     "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "div"}
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "ol": ["start"], "div": ["class"]}
ALLOWED_PROTOCOLS = ("http", "https", "mailto")


def stage_notes(text: str, stage: str) -> str:
    """The parts of notes *text* for *stage* ("01" ... "05"), in file order; "" when none."""
    starts = [(m.start(), m.group(1)) for m in _SECTION.finditer(text)]
    parts = []
    intro = text[: starts[0][0]] if starts else text
    if stage == "01" and intro.strip():
        parts.append(intro.strip())
    for i, (start, key) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        if key == stage:
            parts.append(text[start:end].strip())
    return "\n\n".join(parts)


def safe_url(url: str) -> bool:
    """True for an address a link in notes may keep: http(s), mailto, or relative (no scheme).

    Browsers ignore tabs, line breaks and other control characters in a scheme
    (``java\\tscript:``), so they are removed before the scheme is read."""
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f").lower()
    scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
    if scheme is None:
        return not cleaned.startswith("\\")  # "/\evil" is read as "//evil" by some browsers
    return scheme.group(1) in ALLOWED_PROTOCOLS


@lru_cache(maxsize=1)
def _markdown() -> mistune.Markdown:
    import mistune
    from mistune.util import striptags

    class Renderer(mistune.HTMLRenderer):
        SAFE_PROTOCOLS = tuple(f"{p}:" for p in ALLOWED_PROTOCOLS)
        GOOD_DATA_PROTOCOLS = ()

        def link(self, text: str, url: str, title: str | None = None) -> str:
            if not safe_url(url):
                return text  # the words of the link, without the link
            return super().link(text, url, title)

        def image(self, text: str, url: str, title: str | None = None) -> str:
            alt = escape(striptags(text)) or "image"
            if not safe_url(url):
                return alt
            return super().link(f"[image: {alt}]", url, title)  # a link to the picture, never loaded

    return mistune.create_markdown(renderer=Renderer(escape=True), plugins=["strikethrough", "table", "url"])


def render_markdown(text: str) -> str:
    """*text* (Markdown from an input file) as HTML that runs nothing (see the module docstring)."""
    import bleach

    html = _markdown()(text)
    clean: str = bleach.clean(
        str(html), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=list(ALLOWED_PROTOCOLS), strip=True
    )
    return clean


def _notes(cfg: RunConfig, stage: str) -> str | None:
    text = read_notes(cfg)
    return (stage_notes(text, stage) or None) if text else None


def _html(cfg: RunConfig, part: str) -> str:
    head = f"<p><em>Notes on this review (<code>{escape(str(cfg.params.notes))}</code>):</em></p>\n"
    return f'<div class="revalign-notes">\n{head}{render_markdown(part)}</div>\n'


def notes_html(cfg: RunConfig, stage: str) -> str | None:
    """The run's notes for *stage* as safe HTML, headed by the notes file's name; None when the
    run has no notes or none for this stage."""
    part = _notes(cfg, stage)
    return None if part is None else _html(cfg, part)


def show_notes(cfg: RunConfig, stage: str) -> None:
    """Display the run's notes for *stage* in a notebook (nothing when the run names no notes):
    the HTML of :func:`notes_html`, with the notes' plain text beside it (text/plain)."""
    part = _notes(cfg, stage)
    if part is None:
        return
    from IPython.display import display

    text = f"Notes on this review ({cfg.params.notes}):\n\n{part}"
    display({"text/html": _html(cfg, part), "text/plain": text}, raw=True)
