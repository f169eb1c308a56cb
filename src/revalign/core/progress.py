"""Progress bars that appear only where someone is watching, never in stored output.

``progress(iterable, desc=..., total=...)`` wraps tqdm; ``steps(desc, total)`` gives a bar to
``update()`` by hand. Any module with work that takes more than a few seconds (reading many
exports, de-duplication, bootstrap replicates, building the report) wraps its loop in one.

Where the bar goes:

- in a command run from a terminal (``python -m revalign bib import``): stderr;
- in a notebook executed by ``make report`` from a terminal: that terminal
  (``run-notebook`` passes its name in ``REVALIGN_PROGRESS_TTY``), so the executed notebook,
  which is committed and compared by nbval, holds no bar;
- in a notebook run interactively (JupyterLab): the cell's output, updated in place;
- nowhere when ``CI`` is set, in a notebook run for make or nbval without a terminal, or when
  the caller passes ``enabled=False``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

_TTY: dict[str, TextIO] = {}


def interactive() -> bool:
    """True when stderr is a terminal and ``CI`` is not set."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or replaced stderr
        tty = False
    return tty and not os.environ.get("CI")


def _in_kernel() -> bool:
    return "ipykernel" in sys.modules and type(sys.stderr).__module__.startswith("ipykernel")


def stream() -> TextIO | None:
    """Where a progress bar goes now (see the module docstring), or None for no bar."""
    if os.environ.get("CI"):
        return None
    tty = os.environ.get("REVALIGN_PROGRESS_TTY")
    if tty:
        if tty not in _TTY:
            try:
                _TTY[tty] = open(tty, "w", encoding="utf-8")  # noqa: SIM115 - kept open for the process
            except OSError:
                return None
        return _TTY[tty]
    if _in_kernel():
        return None if os.environ.get("REVALIGN_PIPELINE") == "1" else sys.stderr
    return sys.stderr if interactive() else None


def progress(iterable: Iterable[T], enabled: bool = True, **kwargs: Any) -> Iterable[T]:
    """``tqdm(iterable, **kwargs)`` shown where :func:`stream` says; where it says nowhere, the iterable
    itself (tqdm is not even imported: a command run in a pipe or with ``-q`` does not pay for it)."""
    out = stream() if enabled else None
    if out is None:
        return iterable
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(iterable, file=out, leave=False, **kwargs)
    return bar


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str = "") -> None:
        pass

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def steps(desc: str, total: int | None = None, unit: str = "it", enabled: bool = True) -> Any:
    """A bar to advance by hand: ``with steps("bootstrap", total=n) as bar: ... bar.update()``."""
    out = stream() if enabled else None
    if out is None:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=out, leave=False)
