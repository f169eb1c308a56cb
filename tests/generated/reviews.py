"""Whole reviews drawn at random (Hypothesis): codebook, bibliography exports, segments, parameters.

A drawn review differs from the worked examples wherever a user's review can: 1-12 dimensions,
2-6 levels (a single score, or levels defined by part grades on 1-3 of the facets), its own
polarity, facet, context and level ids (sometimes ids of the published codebook in another role,
e.g. a strength code called ``gap`` or a facet called ``concept`` that no level names), labels in
a random subset of languages (non-ASCII text included), a random ``lang``, and a bibliography
written as two exports in different formats (BibTeX with keys, RIS without) that overlap by DOI.

:func:`write_review` writes one into a project folder; the segments are drawn after the
bibliography is read, so that they cite the corpus's real citation keys.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from hypothesis import strategies as st

# ids of the published codebook, reused here in other roles on purpose
PUBLISHED_IDS = ["strength", "gap", "mixed", "concept", "practice", "global", "full", "aligned", "partial"]
LANGS = ["en", "de", "id", "es", "fr", "pt-BR", "ja"]
RUN_LANGS = [*LANGS, "qps", "zz", "de-AT"]
ID = st.from_regex(r"\A[a-z][a-z0-9_]{0,10}\Z", fullmatch=True) | st.sampled_from(PUBLISHED_IDS)
# words of labels and titles: letters of several scripts and digits, no markup characters
# (scripts the figures' font, DejaVu Sans, can draw; labels in other scripts: see check's font warning)
WORD = st.text(
    alphabet=st.sampled_from(string.ascii_letters + "äöüßÄÖÜéèñçøåłšžčćśąęğışαβγδабвгдЖЯ"), min_size=1, max_size=9
)
TEXT = st.lists(WORD, min_size=1, max_size=5).map(" ".join)


def unique_ids(n_min: int, n_max: int, avoid=()):
    return st.lists(ID.filter(lambda x: x not in avoid), min_size=n_min, max_size=n_max, unique=True)


@st.composite
def labels(draw, langs: list[str]) -> dict[str, str]:
    return {lang: draw(TEXT) for lang in langs}


@st.composite
def codebooks(draw) -> dict:
    """A codebook as YAML data (valid by construction)."""
    label_langs = draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=3, unique=True))

    def lab():
        return draw(labels(label_langs))

    comp_ids = draw(unique_ids(1, 12))
    headline = draw(st.lists(st.booleans(), min_size=len(comp_ids), max_size=len(comp_ids)))
    if not any(headline):
        headline[0] = True
    components = [
        {"id": c, "label": lab(), "phrase": draw(TEXT), "description": draw(TEXT), "headline": h}
        for c, h in zip(comp_ids, headline, strict=True)
    ]
    roles = ["strength", "gap"] + (["mixed"] if draw(st.booleans()) else [])
    pol_ids = draw(unique_ids(len(roles), len(roles)))
    polarity = [{"id": i, "label": lab(), "role": r} for i, r in zip(pol_ids, roles, strict=True)]
    facet_ids = draw(unique_ids(1, 4))
    facet = [{"id": f, "label": lab()} for f in facet_ids]
    context_ids = draw(unique_ids(1, 3))
    focus = draw(st.sampled_from([None, *context_ids]))
    context = [{"id": c, "label": lab(), **({"focus": True} if c == focus else {})} for c in context_ids]
    themes = [{"id": t, "label": lab()} for t in draw(unique_ids(1, 4))]
    n_levels = draw(st.integers(2, 6))
    level_ids = draw(unique_ids(n_levels, n_levels))
    levels = [{"rank": r, "id": i, "label": lab()} for r, i in enumerate(level_ids)]
    data = {
        "framework": {"id": draw(ID), "name": draw(TEXT), "definition": draw(TEXT)},
        "components": components,
        "themes": themes,
        "polarity": polarity,
        "facet": facet,
        "context": context,
        "levels": levels,
    }
    if draw(st.booleans()):  # levels defined by part grades on some facets
        grade_ids = draw(unique_ids(2, 4, avoid=("none",)))
        n_bounds = len(grade_ids) - 1
        bounds = sorted(
            draw(st.lists(st.integers(5, 95), min_size=n_bounds, max_size=n_bounds, unique=True)), reverse=True
        )
        data["part_grades"] = [
            {"id": g, "min_share": b / 100, **({"strict": True} if draw(st.booleans()) else {})}
            for g, b in zip(grade_ids, [*bounds, 0], strict=True)
        ]
        parts = draw(st.lists(st.sampled_from(facet_ids), min_size=1, max_size=min(3, len(facet_ids)), unique=True))
        allowed = [*grade_ids, "none"]
        for lv in levels[1:]:
            named = draw(st.lists(st.sampled_from(parts), min_size=1, max_size=len(parts), unique=True))
            lv["when"] = {
                p: draw(st.lists(st.sampled_from(allowed), min_size=1, max_size=len(allowed), unique=True))
                for p in named
            }
    return data


@dataclass
class Work:
    title: str
    authors: list[tuple[str, str]]
    year: int
    venue: str
    doi: str | None
    key: str  # BibTeX key (used when the work is in the BibTeX export)


@st.composite
def works(draw) -> list[Work]:
    n = draw(st.integers(1, 14))
    out = []
    for i in range(n):
        # distinct titles (a number in each) so that no two drawn works are one work
        title = f"{draw(TEXT)} {i} {draw(TEXT)}"
        authors = [(draw(WORD).capitalize(), draw(WORD).capitalize()) for _ in range(draw(st.integers(1, 3)))]
        doi = f"10.5555/gen.{i}.{draw(st.integers(0, 999))}" if draw(st.booleans()) else None
        out.append(Work(title, authors, draw(st.integers(2016, 2025)), draw(TEXT), doi, f"w{i}key"))
    return out


def bibtex(ws: list[Work]) -> str:
    def esc(s: str) -> str:
        return s.replace("{", "").replace("}", "")

    entries = []
    for w in ws:
        fields = [
            f"\ttitle = {{{esc(w.title)}}}",
            f"\tauthor = {{{' and '.join(f'{esc(f)}, {esc(g)}' for f, g in w.authors)}}}",
            f"\tjournal = {{{esc(w.venue)}}}",
            f"\tyear = {{{w.year}}}",
        ]
        if w.doi:
            fields.append(f"\tdoi = {{{w.doi}}}")
        entries.append("@article{" + w.key + ",\n" + ",\n".join(fields) + ",\n}\n")
    return "\n".join(entries)


def ris(ws: list[Work]) -> str:
    out = []
    for w in ws:
        lines = ["TY  - JOUR", f"TI  - {w.title}"]
        lines += [f"AU  - {f}, {g}" for f, g in w.authors]
        lines += [f"JO  - {w.venue}", f"PY  - {w.year}"]
        if w.doi:
            lines.append(f"DO  - {w.doi}")
        lines.append("ER  - ")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


@dataclass
class Review:
    codebook: dict
    works: list[Work]
    in_bibtex: list[bool]
    in_ris: list[bool]
    lang: str
    single_score_thresholds: list[float] | None = None
    files: dict[str, Path] = field(default_factory=dict)


@st.composite
def reviews(draw) -> Review:
    cb = draw(codebooks())
    ws = draw(works())
    in_bib = draw(st.lists(st.booleans(), min_size=len(ws), max_size=len(ws)))
    # a work in neither export is put in the BibTeX one; works with a DOI may be in both (a duplicate)
    in_ris = [(not b) or (w.doi is not None and draw(st.booleans())) for w, b in zip(ws, in_bib, strict=True)]
    thresholds = None
    if "part_grades" not in cb:  # the single-score rule: one threshold fewer than levels, increasing
        n = len(cb["levels"]) - 1
        thresholds = [
            x / 100 for x in sorted(draw(st.lists(st.integers(-95, 95), min_size=n, max_size=n, unique=True)))
        ]
    return Review(cb, ws, in_bib, in_ris, draw(st.sampled_from(RUN_LANGS)), thresholds)


def write_review(root: Path, review: Review, name: str = "gen") -> Path:
    """Write the codebook, the two exports and the parameter file (segments come later); returns the params path."""
    folder = root / "data" / "raw" / name
    (folder / "bibliography").mkdir(parents=True, exist_ok=True)
    (root / "params").mkdir(exist_ok=True)
    (folder / "codebook.yml").write_text(yaml.safe_dump(review.codebook, allow_unicode=True, sort_keys=False), "utf-8")
    bib = [w for w, b in zip(review.works, review.in_bibtex, strict=True) if b]
    ris_works = [w for w, r in zip(review.works, review.in_ris, strict=True) if r]
    files = []
    if bib:
        (folder / "bibliography" / "export.bib").write_text(bibtex(bib), "utf-8")
        files.append(f"data/raw/{name}/bibliography/export.bib")
    if ris_works:
        (folder / "bibliography" / "export.ris").write_text(ris(ris_works), "utf-8")
        files.append(f"data/raw/{name}/bibliography/export.ris")
    params = {
        "bibliography": files,
        "codebook": f"data/raw/{name}/codebook.yml",
        "segments": f"data/raw/{name}/segments.csv",
        "lang": review.lang,
        "screening": {"year_min": 2016, "year_max": 2025},
        # a small bootstrap and sensitivity grid: the test checks that they run, not their figures
        "alignment": {
            "bootstrap": {"replicates": 20},
            "sensitivity": {"mixed_share": [0.25, 0.75], "threshold_shift": [0.0], "top_min_sources": [3]},
        },
    }
    if review.single_score_thresholds is not None:
        params["alignment"]["thresholds"] = review.single_score_thresholds
    path = root / "params" / f"{name}.yml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), "utf-8")
    review.files = {"params": path, "folder": folder}
    return path


@st.composite
def segment_rows(draw, codebook: dict, keys: list[str]) -> list[dict]:
    """Coded segments that cite the corpus's keys and use the codebook's codes (0 to 40 rows)."""
    n = draw(st.integers(0, 40)) if keys else 0
    ids = lambda section: [x["id"] for x in codebook[section]]  # noqa: E731
    rows = []
    for i in range(n):
        rows.append(
            {
                "segment_id": f"g{i:03d}",
                "ref_key": draw(st.sampled_from(keys)),
                "locator": f"p. {draw(st.integers(1, 300))}",
                "theme": draw(st.sampled_from(ids("themes"))),
                "dimension": draw(st.sampled_from(ids("components"))),
                "polarity": draw(st.sampled_from(ids("polarity"))),
                "facet": draw(st.sampled_from(ids("facet"))),
                "context": draw(st.sampled_from(ids("context"))),
                "excerpt": draw(TEXT),
                "coder": "gen",
                "claim_id": f"c{draw(st.integers(0, max(0, n // 2)))}",
            }
        )
    return rows
