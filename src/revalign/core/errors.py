"""The one error type for a user's mistake, and how it is shown.

Anything wrong with an input file (a malformed entry, a missing column, an unknown
code) is raised as :class:`InputError`. The CLI turns it into one line on stderr,
``error: FILE[:LINE]: message``, and exit code 2; notebooks show the same line.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path

EXIT_INPUT = 2


class InputError(Exception):
    """A problem with an input file that the user can fix."""

    def __init__(self, file: str | Path | None, message: str, line: int | None = None) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.message = message
        super().__init__(self.format())

    def format(self) -> str:
        where = display_path(self.file) if self.file else "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"error: {where}: {self.message}"


def display_path(file: str | Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    p = Path(file)
    if p.is_absolute():
        try:
            return str(p.resolve().relative_to(Path.cwd().resolve()))
        except (ValueError, OSError):
            return str(p)
    return str(p)


class InputErrors(InputError):
    """Several problems found in one pass; shown as the first, all kept in ``errors``.

    ``python -m revalign check`` prints every one of them; everything else treats it as
    the plain InputError of its first problem.
    """

    def __init__(self, errors: list[InputError]):
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.file, first.message, first.line)
