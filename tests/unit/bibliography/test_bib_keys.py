"""``python -m revalign bib keys PARAMS``: the citation keys segments may cite, and what check says of a wrong one."""

from __future__ import annotations

import csv
from pathlib import Path

from cli_runner import run_cli
from revalign.bibliography.keys import closest_keys, unknown_key_message

ROOT = Path(__file__).resolve().parents[3]


def test_keys_of_the_german_example_with_year_and_title():
    p = run_cli("bib", "keys", "params/lehrkraefte_de.yml", cwd=ROOT)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].split() == ["citation_key", "year", "first", "author", "title"]
    # 38 records, 7 copies by DOI: 31 works (data/raw/examples/lehrkraefte_digital_de/README.md)
    assert len(lines) == 1 + 31
    by_key = {line.split()[0]: line for line in lines[1:]}
    # the ERIC report of an institute (an organisation: its first word) and the WoS record whose AF has no comma
    assert by_key["institute2020digital"].split(None, 2)[1] == "2020"
    assert by_key["institute2020digital"].endswith("Digital Competence of Beginning Teachers: A National Report")
    assert "Lee" in by_key["lee2022teacher"] and "2022" in by_key["lee2022teacher"]
    assert list(by_key) == sorted(by_key)


def test_keys_as_csv(tmp_path):
    out = tmp_path / "keys.csv"
    p = run_cli("bib", "keys", "params/lehrkraefte_de.yml", "-o", out, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["citation_key", "year", "first_author", "title"]
    assert len(rows) == 31
    row = next(r for r in rows if r["citation_key"] == "konferenz_kompetenzrahmen_2022")
    # zotero.bib: author = {{Ständige Konferenz der Bildungsministerien}}: an organisation, whole
    assert row["first_author"] == "Ständige Konferenz der Bildungsministerien"


def test_an_unknown_key_gets_the_closest_keys_and_where_they_are_listed():
    keys = ["smith2020badges", "smith2020badgesb", "smyth2021badges", "jones2019portfolios"]
    assert closest_keys("smith2020badgse", keys) == ["smith2020badges", "smith2020badgesb", "smyth2021badges"]
    msg = unknown_key_message("Smith2020Badges", keys)  # case is ignored when comparing
    assert msg.startswith(
        "ref_key 'Smith2020Badges' is not a citation key of the bibliography; closest: 'smith2020badges'"
    )
    assert msg.endswith("(python -m revalign bib keys PARAMS lists every key)")
    assert "closest" not in unknown_key_message("zzz", keys)
