"""Commentary about one particular review: the markdown file the parameter ``notes`` names.

A notes file holds what is true of one review only (what its reference list lacks, why the rule and
its published table disagree, ...), so that the notebooks' own prose can describe the method for any
run. Sections start with a level-2 heading whose first word is a stage number (``## 01 ...`` to
``## 05 ...``); each notebook shows the sections of its stage, and stage 01 also shows the text before
the first such section. A run without ``notes`` shows nothing.
"""

from __future__ import annotations

import re

from revalign.core.config import RunConfig, read_notes

_SECTION = re.compile(r"^## +(\d{2})\b", re.MULTILINE)


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


def show_notes(cfg: RunConfig, stage: str) -> None:
    """Display the run's notes for *stage* in a notebook (nothing when the run names no notes)."""
    text = read_notes(cfg)
    if not text:
        return
    part = stage_notes(text, stage)
    if part:
        from IPython.display import Markdown, display

        display(Markdown(f"*Notes on this review (`{cfg.params.notes}`):*\n\n" + part))
