"""The run-name rule is stated twice, because Make must apply it before any Python runs (PARAMS reaches
shell commands and file names): revalign.core.config.RUN_NAME and the Makefile's _SAFE characters.
This test keeps the two one rule (issue 28 item 7: it once existed three times, and could drift)."""

from __future__ import annotations

import re
import string
from pathlib import Path

from revalign.core.config import RUN_NAME

ROOT = Path(__file__).resolve().parents[3]


def _make_safe_characters() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    m = re.search(r"^_SAFE\s*:=\s*((?:.*\\\n)*.*)$", text, re.M)
    assert m, "the Makefile defines no _SAFE"
    return set(m.group(1).replace("\\\n", " ").split())


def test_the_makefile_and_config_allow_the_same_characters():
    safe = _make_safe_characters()
    # the Makefile also allows '/', the folders of the parameter file's path; the run name is its last part
    assert "/" in safe
    allowed_by_config = {c for c in string.printable if RUN_NAME.fullmatch(c)}
    assert safe - {"/"} == allowed_by_config
    # worked out by hand: letters, digits, '.', '_' and '-'
    assert allowed_by_config == set(string.ascii_letters + string.digits + "._-")
