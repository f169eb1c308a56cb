"""Progress bars that appear only where someone is watching.

``progress(iterable, ...)`` wraps tqdm. The bar is shown only when it is asked for,
stderr is a terminal, and the ``CI`` environment variable is unset, so notebooks'
stored output, logs and CI stay clean.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def interactive() -> bool:
    """True when stderr is a terminal and ``CI`` is not set."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or replaced stderr
        tty = False
    return tty and not os.environ.get("CI")


def progress(iterable: Iterable[T], enabled: bool = True, **kwargs: Any) -> Iterable[T]:
    """``tqdm(iterable, **kwargs)``, disabled unless *enabled* and :func:`interactive`."""
    from tqdm import tqdm

    return tqdm(iterable, disable=not (enabled and interactive()), file=sys.stderr, **kwargs)
