"""Codes by role: a codebook's own polarity, facet and context ids mean what the codebook declares.

The rule, Table 1's columns and the figures work with roles (strength, gap, mixed), the parts the
levels are defined on and the focus context; none of them compares a code with an id of the
published codebook. Expected counts are worked out by hand in the comments.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest
import yaml

from revalign import alignment
from revalign.alignment import plots as alignment_plots
from revalign.core.codebook import Codebook, load_codebook
from revalign.core.config import Alignment, Bootstrap
from revalign.core.errors import InputError

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "alignment"
OWN = load_codebook(FIX / "codebook_own_ids.yml")
P = Alignment(bootstrap=Bootstrap(replicates=0))


def segs(*rows, dimension="a1"):
    """rows: (ref_key, polarity code, facet, context); each row its own claim."""
    return pd.DataFrame(
        [
            {
                "segment_id": f"s{i}",
                "ref_key": r[0],
                "locator": f"L{i}",
                "dimension": dimension,
                "polarity": r[1],
                "facet": r[2],
                "context": r[3],
                "excerpt": f"x{i}",
                "claim_id": f"c{i}",
            }
            for i, r in enumerate(rows)
        ]
    )


def write_codebook(tmp_path: Path, **changes) -> Path:
    data = yaml.safe_load((FIX / "codebook_own_ids.yml").read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "codebook.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_roles_parts_and_focus_come_from_the_declarations():
    assert OWN.polarity_roles == {"staerke": "strength", "luecke": "gap", "gemischt": "mixed"}
    assert OWN.role_code("gap") == "luecke" and OWN.role_label("strength", "de") == "Stärke"
    # ausblick is a facet, but no level's `when` names it: it is not a part
    assert OWN.parts == ["konzept", "praxis"]
    assert OWN.focus_context == "dach"


def test_rule_counts_own_codes_by_role_and_part():
    df = segs(
        ("k1", "staerke", "konzept", "dach"),
        ("k2", "staerke", "praxis", "international"),
        ("k3", "luecke", "praxis", "dach"),
        ("k4", "gemischt", "ausblick", "dach"),
    )
    table = alignment.build_table(df, OWN, P, dimensions=["a1"], bootstrap=False)
    row = table.iloc[0]
    # by hand: strengths k1 (konzept) and k2 (praxis); gap k3 (praxis); mixed k4 (ausblick, not a part)
    assert (row["n_strength"], row["n_gap"], row["n_mixed"]) == (2, 1, 1)
    assert (row["n_strength_konzept"], row["n_strength_praxis"]) == (1, 1)
    assert (row["n_gap_konzept"], row["n_gap_praxis"]) == (0, 1)
    # three of the four claims are in the focus context dach
    assert row["n_focus_context"] == 3
    # konzept: s = 1/1 -> voll; praxis: s = 1/2 = 0.5, not > 0.5 -> wenig; vollstaendig needs praxis voll,
    # teilweise needs konzept voll or teil: level teilweise (rank 1)
    assert row["level"] == "teilweise"
    assert not any(c.endswith(("_concept", "_practice")) for c in table.columns)


def test_an_id_of_the_published_codebook_in_another_role_means_what_this_codebook_says(tmp_path):
    # 'gap' is this codebook's STRENGTH code, 'strength' its GAP code: the roles decide, not the names
    path = write_codebook(
        tmp_path,
        polarity=[
            {"id": "gap", "label": {"en": "Support"}, "role": "strength"},
            {"id": "strength", "label": {"en": "Barrier"}, "role": "gap"},
        ],
    )
    cb = load_codebook(path)
    df = segs(("k1", "gap", "konzept", "dach"), ("k2", "gap", "praxis", "dach"), ("k3", "strength", "praxis", "dach"))
    row = alignment.build_table(df, cb, P, dimensions=["a1"], bootstrap=False).iloc[0]
    assert (row["n_strength"], row["n_gap"]) == (2, 1)


def test_codebooks_without_roles_keep_working_by_the_old_names():
    cb = load_codebook(FIX / "codebook_twopart.yml")
    assert cb.polarity_roles == {"strength": "strength", "gap": "gap", "mixed": "mixed"}
    assert cb.parts == ["concept", "practice"]


def lines_of(exc: InputError) -> list[str]:
    return [e.format() for e in getattr(exc, "errors", [exc])]


def test_a_code_without_role_is_an_error_on_its_line(tmp_path):
    path = write_codebook(
        tmp_path, polarity=[{"id": "staerke", "label": "S"}, {"id": "luecke", "label": "L", "role": "gap"}]
    )
    with pytest.raises(InputError) as exc:
        load_codebook(path)
    text = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if "id: staerke" in t)
    assert any(f"codebook.yml:{line}: polarity: code 'staerke' has no role" in x for x in lines_of(exc.value))


def test_two_codes_of_one_role_and_two_focus_contexts_are_errors(tmp_path):
    path = write_codebook(
        tmp_path,
        polarity=[
            {"id": "a", "label": "A", "role": "strength"},
            {"id": "b", "label": "B", "role": "strength"},
            {"id": "c", "label": "C", "role": "gap"},
        ],
        context=[{"id": "x", "label": "X", "focus": True}, {"id": "y", "label": "Y", "focus": True}],
    )
    with pytest.raises(InputError) as exc:
        load_codebook(path)
    found = "\n".join(lines_of(exc.value))
    assert "2 codes have role strength (a, b)" in found
    assert "2 codes have focus: true (x, y)" in found


def test_a_level_error_names_the_line_of_the_level_not_the_top_of_the_file(tmp_path):
    data = yaml.safe_load((FIX / "codebook_own_ids.yml").read_text(encoding="utf-8"))
    data["levels"][2]["when"] = {"praxi": ["voll"]}
    path = tmp_path / "codebook.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_codebook(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(lines, 1) if "praxi:" in t)
    assert (
        f"codebook.yml:{line}: levels: level 'vollstaendig': part 'praxi' is not a facet id" in lines_of(exc.value)[0]
    )


def test_direct_construction_still_validates():
    data = yaml.safe_load((FIX / "codebook_own_ids.yml").read_text(encoding="utf-8"))
    data["polarity"] = [{"id": "x", "label": "X"}]
    with pytest.raises(ValueError, match="has no role"):
        Codebook.model_validate(data)


def test_heatmap_headers_come_from_the_codebook_labels():
    cols = alignment_plots.count_columns(OWN, "de")
    # strengths then gaps on each part, then mixed: the codebook's German labels
    assert cols == [
        ("Stärke,\nKonzept", "n_strength_konzept"),
        ("Stärke,\nPraxis", "n_strength_praxis"),
        ("Lücke,\nKonzept", "n_gap_konzept"),
        ("Lücke,\nPraxis", "n_gap_praxis"),
        ("Gemischt", "n_mixed"),
    ]
