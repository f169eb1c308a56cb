"""A codebook whose every label is also given in the pseudo-language ``qps`` (wrapped in ⟦...⟧).

Drawn in ``lang: qps``, a figure of such a codebook shows only bracketed text and data; see
tests/i18n_scan.py.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from revalign.core.codebook import load_codebook
from revalign.core.i18n import PSEUDO, PSEUDO_CLOSE, PSEUDO_OPEN


def _mark(label):
    if isinstance(label, str):
        label = {"en": label}
    return {**label, PSEUDO: f"{PSEUDO_OPEN}{label.get('en') or next(iter(label.values()))}{PSEUDO_CLOSE}"}


def pseudo_codebook(source: Path, tmp_path: Path):
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for section in ("components", "themes", "polarity", "facet", "context", "levels"):
        for item in data.get(section) or []:
            item["label"] = _mark(item["label"])
    path = tmp_path / "codebook_qps.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_codebook(path)
