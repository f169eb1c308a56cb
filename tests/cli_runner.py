"""Run ``python -m revalign ARGS`` from a test: in this process, or in a real subprocess.

``run_cli(*args)`` runs the command *in this process* (through ``revalign.cli.main``): a
fresh interpreter per call spends a second or more importing pandas, which made the unit
tests slow. ``run_process(*args)`` runs a real subprocess; it is kept for the few smoke
tests (tests/test_smoke.py, tests/test_bad_inputs.py) that check what only a separate
process shows. Both return a ``subprocess.CompletedProcess`` in text mode (``returncode``,
``stdout``, ``stderr``). Test modules import them with ``from cli_runner import run_cli``
(tests/ is on ``sys.path`` because tests/conftest.py is there); the ``cli`` fixture of
conftest.py is ``run_cli``.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def _environment(cwd: str | Path, env: Mapping[str, str] | None) -> Iterator[None]:
    """chdir to *cwd* and apply *env* (minus FORCE_COLOR) for the block, then restore both."""
    old_cwd, old_env = os.getcwd(), dict(os.environ)
    os.chdir(cwd)
    os.environ.pop("FORCE_COLOR", None)
    os.environ.update(env or {})
    try:
        yield
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)


def run_cli(*args, cwd: str | Path | None = None, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m revalign ARGS`` run in this process, as a CompletedProcess (text mode).

    stdout and stderr are Python-level streams (not terminals, like a subprocess's pipes);
    an argparse ``SystemExit`` (``--help``, usage errors) becomes the return code.
    """
    from revalign.cli import main

    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with _environment(cwd or ROOT, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:  # sys.exit("message"): the message goes to stderr, exit 1
                print(exc.code, file=sys.stderr)
                code = 1
    return subprocess.CompletedProcess(["python", "-m", "revalign", *argv], code, out.getvalue(), err.getvalue())


def run_process(
    *args, cwd: str | Path | None = None, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run ``python -m revalign ARGS`` in a new interpreter and return the CompletedProcess (text mode)."""
    full_env = dict(os.environ)
    full_env.pop("FORCE_COLOR", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "revalign", *map(str, args)],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )
