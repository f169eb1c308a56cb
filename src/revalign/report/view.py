"""What the report shows, as plain data for the templates (no HTML here).

:class:`ReportView` turns the run's stage files (:class:`revalign.report.build.ReportInputs`)
into labelled rows in the run's language: the program's words from the message catalog
(``self._``, :mod:`revalign.core.i18n`), codes by the codebook's labels (falling back per label
to English), numbers in the language's notation. The Jinja2 templates in ``templates/`` lay them
out; every value is escaped there (autoescape), except the reference entries, which
:mod:`revalign.report.references` renders from escaped text.

Run-dependent content (nothing of one review's model where it does not apply):

- "in the review" before a locator, and "the review's own synthesis", only when the run names a
  review of its own (its key in the corpus or parameters);
- the comparison with a published table only when Table 1 carries published levels;
- the source-type and reference-list counts only when the corpus records those fields;
- the codebook's "phrase of the definition" column only when the codebook gives phrases.

Counts reconcile: Table 1's role counts are claims (the rule's unit,
:func:`revalign.alignment.units.evidence_units`), and so are the headings of the evidence lists
they link to; :meth:`ReportView.reconciliation` follows the works from identification to the
claims coded from them.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from markupsafe import Markup

from revalign.alignment import evidence_units, split_synthesis
from revalign.coding.segments import synthesis_keys
from revalign.core.codebook import GAP, MIXED, STRENGTH
from revalign.core.config import Alignment
from revalign.core.i18n import messages
from revalign.plotting import style
from revalign.report import strings as W
from revalign.report.references import Reference, clean_text, format_references

_SAFE_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")
TRUE_WORDS = ("true", "1", "yes", "ya", "y")
FALSE_WORDS = ("false", "0", "no", "tidak", "n")
#: how many venues, document types ... the corpus summary lists before "N more"
TOP_N = 10
#: Table 1 columns that say why a level differs from the published one (written by stage 04)
REASON_COLUMNS = ("replication_note", "published_difference")


def anchor(prefix: str, value) -> str:
    """A stable, URL-safe element id for *value* (used for both id= and href=#)."""
    text = str(value)
    if _SAFE_ID.match(text):
        return f"{prefix}-{text}"
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:40]
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{slug}-{digest}" if slug else f"{prefix}-{digest}"


def truthy(value) -> bool | None:
    text = clean_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def humanise(key: str) -> str:
    """``top_min_sources`` -> "Top min sources" (an id made readable, for ids nothing names)."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _number(value) -> float | None:
    try:
        x = float(clean_text(value))
    except ValueError:
        return None
    return None if math.isnan(x) else x


class Numbers:
    """Numbers in the notation of a language (Babel's CLDR data; English for a code CLDR lacks)."""

    def __init__(self, lang: str):
        from babel import Locale, UnknownLocaleError

        try:
            self.locale = Locale.parse(str(lang).replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            self.locale = Locale("en")

    def integer(self, value) -> str:
        from babel.numbers import format_decimal

        x = _number(value)
        return "" if x is None else format_decimal(int(round(x)), locale=self.locale)

    def decimal(self, value, digits: int = 2) -> str:
        from babel.numbers import format_decimal

        x = _number(value)
        return "" if x is None else format_decimal(x, format="0." + "0" * digits, locale=self.locale)

    def percent(self, value) -> str:
        from babel.numbers import format_percent

        x = _number(value)
        return "" if x is None else format_percent(x, format="#,##0%", locale=self.locale)


@dataclass
class Level:
    """A level as shown: its label and colours (``rank`` None when the value is not a level)."""

    text: str
    rank: int | None = None
    bg: str = ""
    fg: str = ""


@dataclass
class Figure:
    stem: str
    number: int
    caption: str
    uri: str
    width: int


@dataclass
class Step:
    """One step of the count reconciliation: ``n`` of what ``label`` names, ``note`` on the difference."""

    key: str
    label: str
    n: int
    shown: str
    note: str = ""


def split_keys(value) -> list[str]:
    """The citation keys of a cell that lists several (``a; b`` or ``a, b``)."""
    return [k.strip() for k in clean_text(value).replace(",", ";").split(";") if k.strip()]


def wanted_keys(inputs) -> set[str]:
    """Every citation key the page of *inputs* may cite: the evidence's, Table 1's, the framework's, the
    review's own and the sources left out one at a time (the corpus's works flagged as not in the
    reference list or as the review itself are added from the corpus: :data:`CORPUS_FLAGS`)."""
    wanted = set(inputs.segments["ref_key"])
    wanted |= {inputs.alignment.synthesis_key or "", inputs.codebook.framework.source_key or ""}
    for r in inputs.table1.to_dict(orient="records"):
        for col in ("key_strength_citations", "critical_gap_citations"):
            wanted.update(split_keys(r.get(col)))
    if inputs.leave_one_out is not None and "removed_source" in inputs.leave_one_out.columns:
        wanted.update(inputs.leave_one_out["removed_source"])
    return wanted


#: corpus columns whose values make the page name a work whatever its evidence (compared trimmed, in
#: lower case): not in the review's reference list (:meth:`ReportView.not_in_reference_list`), the review
#: itself (:func:`revalign.coding.segments.synthesis_keys`)
CORPUS_FLAGS = {"inreflist": ("no", "self"), "sourcetype": ("review",)}


class ReportView:
    """Labelled data of one report, in one language."""

    def __init__(self, inputs, lang: str | None = None):
        self.inp = inputs
        self.lang = lang or inputs.lang
        self._ = messages(self.lang)
        self.num = Numbers(self.lang)
        self.cb = inputs.codebook
        self.levels = self.cb.levels_by_rank()
        self.roles = self.cb.polarity_roles
        self.corpus = inputs.corpus
        self.rule: Alignment = inputs.alignment
        #: works in the corpus (*corpus* may hold only the works the page can name: revalign.report.build)
        self.n_works = len(self.corpus) if inputs.n_works is None else inputs.n_works
        # the keys the page may cite, and those of them the corpus holds (never a set of the whole corpus:
        # the page's cost follows the evidence, not the corpus)
        wanted = wanted_keys(inputs)
        self.corpus_keys = set(self.corpus.loc[self.corpus["record_id"].isin(wanted), "record_id"])
        self.corpus_keys.update(self.not_in_reference_list())
        seg = inputs.segments.copy()
        self.self_keys = synthesis_keys(self.corpus)
        # the parameters' key of the review counts only when the run has it (in the corpus or cited)
        key = self.rule.synthesis_key or ""
        self.synthesis_key = key if key and (key in self.corpus_keys or key in set(seg["ref_key"])) else ""
        if self.synthesis_key:
            self.self_keys.add(self.synthesis_key)
        #: the run names a review of its own: locators point into it, its own claims are its synthesis
        self.has_review = bool(self.self_keys)
        seg["_order"] = range(len(seg))
        seg["is_synthesis"] = seg["ref_key"].isin(self.self_keys)
        self.segments = seg
        self.counted, self.own = split_synthesis(seg, self.rule)  # what Table 1 counts, and the synthesis
        self.units = evidence_units(self.counted, self.cb, self.rule)
        self.seg_by_ref: dict[str, list[str]] = {}
        for ref_key, sid in zip(seg["ref_key"], seg["segment_id"], strict=True):
            self.seg_by_ref.setdefault(ref_key, []).append(sid)
        self.table1_rows = inputs.table1.to_dict(orient="records")
        self.has_published = any(clean_text(r.get("published_level")) for r in self.table1_rows)
        self.excluded = self._excluded_at_screening()
        self._figure_no = 0
        self._figures: dict[str, Figure] = {}

    # ---- labels -----------------------------------------------------------------------
    def label(self, kind: str, item_id: str) -> str:
        try:
            return self.cb.label(kind, item_id, self.lang)
        except (KeyError, AttributeError):
            return str(item_id).replace("_", " ")

    def role_label(self, role: str) -> str:
        return self.cb.role_label(role, self.lang) or humanise(role)

    def level_rank(self, value) -> int | None:
        text = clean_text(value)
        if not text:
            return None
        if text.isdigit() and int(text) < len(self.levels):
            return int(text)
        low = text.casefold()
        for lv in self.levels:
            names = {lv.id.casefold()} | {str(t).casefold() for t in (lv.label.__pydantic_extra__ or {}).values()}
            if low in names:
                return lv.rank
        return None

    def level(self, value, own_label: str = "") -> Level:
        """A level value shown by its codebook label on the shared colour scale."""
        rank = self.level_rank(value)
        if rank is None:
            raw, own = clean_text(value), clean_text(own_label)
            if own:
                return Level(own)
            return Level(self._("no coded evidence") if raw in ("", "no_evidence") else humanise(raw))
        bg, fg = style.level_colour(rank, len(self.levels))
        return Level(self.label("levels", self.levels[rank].id), rank, bg, fg)

    def level_of_row(self, row: dict) -> Level:
        return self.level(row.get("level"), row.get(f"label_{self.lang}") or row.get("level_label") or "")

    def yes_no(self, value) -> str:
        t = truthy(value) if not isinstance(value, bool) else value
        return "" if t is None else (self._("yes") if t else self._("no"))

    def confidence(self, row: dict) -> str:
        """The GRADE-CERQual confidence of a Table 1 row in words (its id translated, else its text)."""
        for col in ("confidence_id", "confidence"):
            word = W.CONFIDENCE.get(clean_text(row.get(col)).casefold().replace("_", " "))
            if word:
                return self._(word)
        return clean_text(row.get("confidence"))

    # ---- references: only the works the page cites --------------------------------------
    @cached_property
    def cited_keys(self) -> list[str]:
        """Every citation key the page cites, in first use: evidence, Table 1, framework, limitations."""
        keys = list(dict.fromkeys(self.segments["ref_key"]))
        for r in self.table1_rows:
            for col in ("key_strength_citations", "critical_gap_citations"):
                keys += self.keys(r.get(col))
        if self.cb.framework.source_key:
            keys.append(self.cb.framework.source_key)
        keys += self.not_in_reference_list()
        if self.inp.leave_one_out is not None and "removed_source" in self.inp.leave_one_out.columns:
            keys += list(self.inp.leave_one_out["removed_source"])
        return [k for k in dict.fromkeys(keys) if k in self.corpus_keys]

    @cached_property
    def refs(self) -> list[Reference]:
        works = self.corpus[self.corpus["record_id"].isin(set(self.cited_keys))]
        return format_references(works)

    @cached_property
    def ref_by_key(self) -> dict[str, Reference]:
        return {r.key: r for r in self.refs}

    def reference(self, key: str) -> Reference | None:
        return self.ref_by_key.get(key)

    def not_in_reference_list(self) -> list[str]:
        """Works the review names but its reference list lacks (corpus field ``inreflist = no``)."""
        if "inreflist" not in self.corpus.columns:
            return []
        flag = self.corpus["inreflist"].astype(str).str.strip().str.lower()
        return sorted(self.corpus.loc[flag == "no", "record_id"])

    def references(self) -> list[dict]:
        out = []
        flags = set(self.not_in_reference_list())
        for ref in self.refs:
            flag = ""
            if ref.key in flags:
                flag = self._("named in the review's method section but absent from its reference list")
            elif ref.key in self.self_keys:
                flag = self._("the reviewed paper itself")
            elif ref.key in self.excluded:
                flag = self._("excluded at screening ({reason})").format(reason=self.excluded[ref.key])
            out.append(
                {"key": ref.key, "html": Markup(ref.html), "flag": flag, "segments": self.seg_by_ref.get(ref.key, [])}
            )
        return out

    # ---- figures ----------------------------------------------------------------------
    def figure_caption(self, stem: str) -> str:
        if stem == "works_per_year":
            return self._(W.WORKS_PER_YEAR_BY_TYPE if self.has_field("sourcetype") else W.WORKS_PER_YEAR)
        caption = W.FIGURE_CAPTIONS.get(stem)
        return self._(caption) if caption else humanise(stem)

    def figure(self, stem: str) -> Figure | None:
        """The embedded figure *stem* (numbered in order of first use), or None when absent."""
        if stem in self._figures:
            return self._figures[stem]
        data = self.inp.figures.get(stem)
        if not data:
            return None
        from revalign.report.images import css_width, data_uri

        self._figure_no += 1
        fig = Figure(stem, self._figure_no, self.figure_caption(stem), data_uri(data), css_width(data))
        self._figures[stem] = fig
        return fig

    # ---- the first screen: question, answer, certainty, differences --------------------------
    def question(self) -> str:
        fw = self.cb.framework.name
        if self.has_review:
            return self._(
                "How far does the evidence the review cites align with each headline dimension of {framework}?"
            ).format(framework=fw)
        return self._("How far does the coded evidence align with each headline dimension of {framework}?").format(
            framework=fw
        )

    def answers(self) -> list[dict]:
        """One line per Table 1 dimension: level, probability, confidence, published level and reason."""
        out = []
        reason_col = next((c for c in REASON_COLUMNS if c in self.inp.table1.columns), None)
        for r in self.table1_rows:
            prob = _number(r.get("level_probability"))
            match = truthy(r.get("matches_published")) if self.has_published else None
            reason = clean_text(r.get(reason_col)) if reason_col else ""
            out.append(
                {
                    "dimension": r["dimension"],
                    "label": self.label("component", r["dimension"]),
                    "level": self.level_of_row(r),
                    "probability": self.num.percent(prob) if prob is not None else "",
                    "confidence": self.confidence(r),
                    "published": self.level(r.get("published_level")) if self.has_published else None,
                    "has_published": bool(clean_text(r.get("published_level"))),
                    "matches": match,
                    "reason": reason,
                }
            )
        return out

    def replication(self) -> dict | None:
        """How many published levels the rule reproduces (None: no published table)."""
        if not self.has_published:
            return None
        matches = [m for m in (truthy(r.get("matches_published")) for r in self.table1_rows) if m is not None]
        return {"n": sum(matches), "m": len(matches), "dims": len(self.table1_rows)}

    # ---- counts that reconcile ----------------------------------------------------------
    def _excluded_at_screening(self) -> dict[str, str]:
        """Works excluded at screening -> the reason in words (empty without screening decisions)."""
        scr = self.inp.screening
        if scr is None or not {"record_id", "decision"} <= set(scr.columns):
            return {}
        from revalign.screening.prisma import reason_label

        ex = scr[scr["decision"].astype(str).str.strip().str.lower() == "exclude"]
        ex = ex[ex["record_id"].isin(set(self.segments["ref_key"]) | self.corpus_keys)]  # the works the page names
        reasons = ex["reason"] if "reason" in ex.columns else pd.Series("", index=ex.index)
        return {k: reason_label(r, self.lang) for k, r in zip(ex["record_id"], reasons.astype(str), strict=True)}

    def _included_and_cited(self, cited: set[str]) -> tuple[int, int] | None:
        """(works included at screening, of them cited), or None without screening decisions."""
        scr = self.inp.screening
        if scr is None or not {"record_id", "decision"} <= set(scr.columns):
            return None
        included = scr.loc[scr["decision"].astype(str).str.strip().str.lower() == "include", "record_id"]
        return int(included.nunique()), int(included[included.isin(cited)].nunique())

    def reconciliation(self) -> list[Step]:
        """Works identified -> screened -> included -> cited as evidence -> claims, each with its difference.

        The PRISMA 2020 counts of stage 02 (``prisma.json``): records identified in both arms, those of
        databases and registers screened, the studies included from both arms.
        """
        _, n, c = self._, self.num.integer, self.inp.prisma or {}
        cited = set(self.counted["ref_key"])
        claims = self.units["claim"].nunique() if len(self.units) else 0
        steps: list[Step] = []
        db, om = c.get("databases_and_registers"), c.get("other_methods") or {}
        if db:
            om_identified = int(om.get("records_identified_total") or 0)
            identified = int(db["records_identified_total"]) + om_identified
            removed = int(db.get("records_removed_before_screening_total") or 0)
            excluded = int(db.get("records_excluded_total") or 0) + int(db.get("reports_excluded_total") or 0)
            not_retrieved = int(db.get("reports_not_retrieved") or 0)
            steps.append(Step("identified", _("works identified"), identified, n(identified)))
            notes = [_("{n} removed before screening").format(n=n(removed))] if removed else []
            if om_identified:
                notes.append(_("{n} identified by other methods, not screened").format(n=n(om_identified)))
            screened = int(db["records_screened"])
            steps.append(Step("screened", _("screened"), screened, n(screened), "; ".join(notes)))
            notes = [_("{n} excluded").format(n=n(excluded))] if excluded else []
            if not_retrieved:
                notes.append(_("{n} not retrieved").format(n=n(not_retrieved)))
            if om.get("studies_included"):
                notes.append(_("{n} from other methods").format(n=n(om["studies_included"])))
            included = int(c.get("studies_included_in_review") or 0)
            steps.append(Step("included", _("included"), included, n(included), "; ".join(notes)))
        else:
            steps.append(Step("identified", _("works in the corpus"), self.n_works, n(self.n_works)))
        counts = self._included_and_cited(cited)
        notes = []
        if counts is not None:
            uncited = counts[0] - counts[1]
            outside = len(cited) - counts[1]
            if uncited:
                notes.append(
                    _.ngettext(
                        "{n} included work cited by no coded claim",
                        "{n} included works cited by no coded claim",
                        uncited,
                    ).format(n=n(uncited))
                )
            if outside:
                notes.append(
                    _.ngettext(
                        "{n} cited work not among the included ones",
                        "{n} cited works not among the included ones",
                        outside,
                    ).format(n=n(outside))
                )
        steps.append(Step("cited", _("cited as evidence"), len(cited), n(len(cited)), "; ".join(notes)))
        note = _.ngettext("in {n} coded segment", "in {n} coded segments", len(self.counted)).format(
            n=n(len(self.counted))
        )
        if len(self.own) and not self.rule.include_synthesis:
            note += "; " + _.ngettext(
                "{n} more segment is the review's own synthesis, counted apart",
                "{n} more segments are the review's own synthesis, counted apart",
                len(self.own),
            ).format(n=n(len(self.own)))
        steps.append(Step("claims", _("claims coded from them"), int(claims), n(claims), note))
        return steps

    # ---- Table 1 -----------------------------------------------------------------------
    def role_claims(self, dimension: str, role: str) -> int:
        """Claims of *dimension* whose evidence unit has *role*: Table 1's count."""
        u = self.units
        return int(u.loc[(u["dimension"] == dimension) & (u["role"] == role), "claim"].nunique())

    def table1(self) -> dict:
        t1 = self.inp.table1
        prose = [
            c
            for c in ("key_strength", "critical_gap")
            if c in t1.columns and (t1[c].astype(str).str.strip() != "").any()
        ]
        rows = []
        for r in self.table1_rows:
            prob = _number(r.get("level_probability"))
            row = {
                "dimension": r["dimension"],
                "label": self.label("component", r["dimension"]),
                "level": self.level_of_row(r),
                "n_strength": self.num.integer(r.get("n_strength")),
                "n_gap": self.num.integer(r.get("n_gap")),
                "n_sources": self.num.integer(r.get("n_sources")),
                "probability": self.num.percent(prob) if prob is not None else "",
                "confidence": self.confidence(r),
                "prose": {c: self.linked_items(r.get(c), r.get(f"{c}_citations")) for c in prose},
            }
            if self.has_published:
                row["published"] = self.level(r.get("published_level"))
                row["matches"] = self.yes_no(r.get("matches_published"))
            rows.append(row)
        return {
            "rows": rows,
            "prose": prose,
            STRENGTH: self.role_label(STRENGTH),
            GAP: self.role_label(GAP),
            "has_published": self.has_published,
            "has_probability": any(r["probability"] for r in rows),
            "has_confidence": any(r["confidence"] for r in rows),
        }

    def linked_items(self, value, citations) -> list[list[dict]]:
        """Items of a `` | ``-separated text, each a list of pieces: text, or a citation key."""
        text = clean_text(value)
        if not text:
            return []
        keys = [k for k in self.keys(citations) if k in self.ref_by_key]
        pattern = re.compile(r"\((" + "|".join(re.escape(k) for k in keys) + r")\)") if keys else None
        items = []
        parts = text.split(" | ")
        for item in parts:
            pieces = pattern.split(item) if pattern else [item]
            out = [{"key": p} if i % 2 else {"text": p} for i, p in enumerate(pieces) if p or i % 2]
            if pattern and len(parts) == 1:
                cited = set(pattern.findall(item))
                for k in keys:
                    if k not in cited:
                        out += [{"text": " "}, {"key": k}]
            items.append(out)
        return items

    @staticmethod
    def keys(value) -> list[str]:
        return split_keys(value)

    # ---- evidence -----------------------------------------------------------------------
    def dims_in_order(self) -> list[str]:
        dims = [r["dimension"] for r in self.table1_rows]
        present = set(self.segments["dimension"])
        others = [c for c in self.cb.component_ids if c not in dims and c in present]
        return dims + others + sorted(present - set(dims) - set(others))

    def evidence(self) -> list[dict]:
        """Per dimension, per polarity code: the claims Table 1 counts, then the synthesis apart."""
        seg = self.segments
        table_dims = [r["dimension"] for r in self.table1_rows]
        levels = {r["dimension"]: r for r in self.table1_rows}
        polarities = self.cb.vocabulary("polarity") + sorted(set(seg["polarity"]) - set(self.cb.vocabulary("polarity")))
        linked = [c for c in (self.cb.role_code(STRENGTH), self.cb.role_code(GAP)) if c]  # Table 1 links to these
        facets = self.cb.vocabulary("facet") + sorted(set(seg["facet"]) - set(self.cb.vocabulary("facet")))
        counted_ids = set(self.counted["segment_id"])
        out = []
        for dim in self.dims_in_order():
            dseg = seg[seg["dimension"] == dim]
            block = {
                "dimension": dim,
                "label": self.label("component", dim),
                "in_table1": dim in table_dims,
                "level": self.level_of_row(levels[dim]) if dim in levels else None,
                "polarities": [],
            }
            for pol in polarities:
                pseg = dseg[dseg["polarity"] == pol]
                if not len(pseg) and pol not in linked:
                    continue
                role = self.roles.get(pol, pol)
                in_count = pseg[pseg["segment_id"].isin(counted_ids)]
                apart = pseg[~pseg["segment_id"].isin(counted_ids)]
                block["polarities"].append(
                    {
                        "id": role,  # anchors by role: Table 1 links to #ev-DIM-strength, #ev-DIM-gap
                        "role": role,
                        "label": self.label("polarity", pol),
                        "claims": self.role_claims(dim, role) if role in (STRENGTH, GAP, MIXED) else 0,
                        "n": len(in_count),
                        "n_apart": len(apart),
                        "n_all": len(pseg),
                        "facets": self._facet_blocks(in_count, facets),
                        "apart": self._facet_blocks(apart, facets),
                    }
                )
            out.append(block)
        return out

    def _facet_blocks(self, pseg: pd.DataFrame, facets: list[str]) -> list[dict]:
        blocks = []
        for facet in facets:
            fseg = pseg[pseg["facet"] == facet].sort_values("_order")
            if len(fseg):
                items = [self.evidence_item(r) for r in fseg.to_dict(orient="records")]
                blocks.append({"label": self.label("facet", facet), "items": items})
        return blocks

    def evidence_item(self, r: dict) -> dict:
        key = r["ref_key"]
        tags = [self.label("context", r["context"])]
        if clean_text(r.get("theme")):
            tags.append(self._("Theme: {theme}").format(theme=self.label("themes", r["theme"])))
        locator = clean_text(r.get("locator"))
        where = ""
        if locator:
            where = (self._("in the review {locator}") if self.has_review else self._("at {locator}")).format(
                locator=locator
            )
        flag = ""
        if key in self.excluded:
            flag = self._("excluded at screening ({reason})").format(reason=self.excluded[key])
        return {
            "id": r["segment_id"],
            "polarity": self.roles.get(r["polarity"], r["polarity"]),  # its role (the colour)
            "excerpt": clean_text(r.get("excerpt")),
            "key": key,
            "where": where,
            "coder": self._("coder {name}").format(name=clean_text(r.get("coder")))
            if clean_text(r.get("coder"))
            else "",
            "tags": tags,
            "self_tag": self._("the review's own synthesis (not cited evidence)")
            if key in self.self_keys and self.has_review
            else "",
            "flag": flag,
        }

    # ---- method -----------------------------------------------------------------------
    def value_text(self, v) -> str:
        if v is None or v == "" or v == {}:
            return self._("not set")
        if isinstance(v, bool):
            return self._("yes") if v else self._("no")
        if isinstance(v, (list, tuple)):
            return ", ".join(self.value_text(x) for x in v) or self._("none")
        if isinstance(v, float):
            return self.num.decimal(v, 3).rstrip("0").rstrip(".,") if not v.is_integer() else self.num.integer(v)
        return str(v)

    def parameter_name(self, key: str) -> str:
        name = W.PARAMETERS.get(key) or W.PARAMETER_GROUPS.get(key)
        return self._(name) if name else humanise(key)

    def parameter_rows(self, data: dict, skip=("alignment",)) -> list[dict]:
        """Parameters as (group, name, value) rows with readable names; nested groups named."""
        rows: list[dict] = []

        def walk(d: dict, group: str, group_kind: str | None = None) -> None:
            for k, v in d.items():
                if (k in skip and not group) or v is None or v == {}:  # nothing the run names: not shown
                    continue
                name = self.parameter_name(k) if group_kind is None else self.label(group_kind, k)
                if (
                    isinstance(v, dict)
                    and v
                    and all(isinstance(x, (list, tuple)) for x in v.values())
                    and k == "keywords"
                ):
                    for lang, words in v.items():
                        rows.append(
                            {
                                "group": f"{group}: {name}" if group else name,
                                "name": lang,
                                "value": self.value_text(words),
                            }
                        )
                elif isinstance(v, dict) and v:  # weights by facet or context: named by their labels
                    kind = {"facet_weights": "facet", "context_weights": "context"}.get(k)
                    walk(v, f"{group}: {name}" if group else name, kind)
                else:
                    rows.append({"group": group, "name": name, "value": self.value_text(v)})

        walk(data, "")
        return rows

    def rule_rows(self) -> list[dict]:
        params = dict(self.inp.params.get("alignment") or {})
        params.pop("synthesis_key", None)  # shown as a citation, below the table
        return self.parameter_rows(params, skip=())

    @cached_property
    def corpus_counts(self) -> dict:
        """The corpus counted by stage 01 (``corpus_summary.json``, :mod:`revalign.bibliography.summary`):
        counting it here again would make the page's cost grow with the corpus. A run folder without
        the file (or with an older layout) gets the same counts from its corpus."""
        from revalign.bibliography import summary

        given = self.inp.corpus_summary
        if isinstance(given, dict) and given.get("layout") == summary.LAYOUT:
            return given
        return summary.summarise(self.corpus)

    def has_field(self, column: str) -> bool:
        """The corpus records *column* for at least one work (a field some exports have, others not)."""
        return column in self.corpus_counts["columns"]

    def count_rows(self, column: str, names: dict | None = None, top: int = TOP_N) -> list[tuple[str, str]]:
        """The most frequent values of a corpus column with their counts, then "N more" and "not given"."""
        counted = self.corpus_counts["columns"][column]
        head, rest = counted["top"][:top], counted["top"][top:]
        if column == "doc_type":  # the shared vocabulary, as a reader calls it in the run's language
            from revalign.bibliography.doctypes import doc_type_label

            head = [(doc_type_label(k, self.lang), v) for k, v in head]
        rows = [((self._(names[k]) if names and k in names else k), self.num.integer(v)) for k, v in head]
        n_rest = len(rest) + counted["more"]
        if n_rest:
            rows.append(
                (
                    self._.ngettext("{n} more value", "{n} more values", n_rest).format(n=self.num.integer(n_rest)),
                    self.num.integer(sum(v for _k, v in rest) + counted["more_works"]),
                )
            )
        if counted["missing"]:
            rows.append((self._("not given"), self.num.integer(counted["missing"])))
        return rows

    def corpus_summary(self) -> dict:
        """What the corpus holds, in a few small tables (its whole list is in the linked files)."""
        _ = self._
        tables = []
        by_year = pd.Series({int(y): n for y, n in self.corpus_counts["years"].items()}, dtype="int64")
        years = by_year.index
        if len(years):
            by_decade = by_year.groupby(by_year.index // 10 * 10).sum().sort_index()
            tables.append(
                {
                    "title": _("Works by decade of publication"),
                    "head": _("Years"),
                    "rows": [(f"{d}–{d + 9}", self.num.integer(v)) for d, v in by_decade.items()],
                }
            )
        for column, title, head, names in (
            ("source_title", _("Most frequent venues"), _("Venue"), None),
            ("doc_type", _("Works by document type"), _("Document type"), None),
            ("sourcetype", _("Works by source type"), _("Source type"), W.SOURCE_TYPES),
            (
                "inreflist",
                _("Works by presence in the review's reference list"),
                _("Reference list"),
                W.IN_REFERENCE_LIST,
            ),
        ):
            if self.has_field(column):
                tables.append({"title": title, "head": head, "rows": self.count_rows(column, names)})
        scr = self.inp.screening
        if scr is not None and "decision" in scr.columns:
            tables.append(
                {
                    "title": _("Screening decisions"),
                    "head": _("Decision"),
                    "rows": self.count_rows_of(scr["decision"], W.DECISIONS),
                }
            )
        return {
            "n_works": self.num.integer(self.n_works),
            "years": (str(years.min()), str(years.max())) if len(years) else None,
            "tables": tables,
        }

    def count_rows_of(self, values: pd.Series, names: dict) -> list[tuple[str, str]]:
        counts = values.astype(str).str.strip().str.lower().value_counts().sort_index()
        return [((self._(names[k]) if k in names else humanise(k)), self.num.integer(v)) for k, v in counts.items()]

    def screening(self) -> dict:
        """Stage 02's part of the report (revalign.screening.report_view)."""
        from revalign.screening.report_view import section

        return section(self.inp.prisma, self.inp.screening_agreement, self.lang)

    def components(self) -> dict:
        n_by_dim = self.segments["dimension"].value_counts().to_dict()
        has_phrase = any(clean_text(getattr(c, "phrase", "")) for c in self.cb.components)
        rows = [
            {
                "label": self.label("component", c.id),
                "phrase": clean_text(getattr(c, "phrase", "")),
                "description": clean_text(getattr(c, "description", "")),
                "headline": self._("yes") if c.headline else self._("no"),
                "n": self.num.integer(n_by_dim.get(c.id, 0)),
            }
            for c in self.cb.components
        ]
        return {"has_phrase": has_phrase, "rows": rows}

    def vocabularies(self) -> list[dict]:
        out = []
        for name, title in (
            ("polarity", self._("Polarity")),
            ("facet", self._("Facet")),
            ("context", self._("Context")),
        ):
            terms = getattr(self.cb, name)
            if terms:
                out.append(
                    {
                        "title": title,
                        "items": [
                            {
                                "label": self.label(name, t.id),
                                "description": clean_text(getattr(t, "description", "")),
                                "note": self.term_note(name, t),
                            }
                            for t in terms
                        ],
                    }
                )
        return out

    def term_note(self, kind: str, term) -> str:
        """What a code means to the rule: its role, a part of the levels, the focus context."""
        _ = self._
        if kind == "polarity":
            role = self.roles.get(term.id)
            return {
                STRENGTH: _("counted as a strength"),
                GAP: _("counted as a gap"),
                MIXED: _("counted as mixed"),
            }.get(role, "")
        if kind == "facet" and term.id in self.cb.parts and any(lv.when for lv in self.levels):
            return _("a part the levels are defined on")
        if kind == "context" and term.id == self.cb.focus_context:
            return _("the review's own context")
        return ""

    def coding_text(self) -> str:
        """How a segment was coded, in the vocabulary of this codebook."""
        _ = self._
        names = {
            kind: ", ".join(self.label(kind, t) for t in self.cb.vocabulary(kind))
            for kind in ("polarity", "facet", "context")
        }
        if self.has_review:
            text = _(
                "Each claim of the review that rests on a citation is coded: the cited source, where the claim stands in "
                "the review (its locator), a theme, the framework component it bears on (its dimension), a polarity "
                "({polarity}), a facet ({facet}) and a context ({context}). A claim that bears on two components is "
                "coded twice, and all its rows share one claim id."
            )
        else:
            text = _(
                "Each piece of evidence is coded from its source: the source (its citation key), where it stands (its "
                "locator), a theme, the framework component it bears on (its dimension), a polarity ({polarity}), a facet "
                "({facet}) and a context ({context}). Evidence that bears on two components is coded twice, and its rows "
                "share one claim id."
            )
        return text.format(**{k: v or "—" for k, v in names.items()})

    def rule_text(self) -> str:
        _ = self._
        parts = [self.label("facet", p) for p in self.cb.parts]
        if any(lv.when for lv in self.levels) and parts:
            text = _(
                "One rule, fixed in a protocol before it was run (docs/protocol.md) and the same for every dimension, "
                "turns the counted evidence of a dimension into one of the levels above. The unit is a claim. The levels "
                "are defined by the parts of the evidence ({parts}): each part is graded from its share of strengths, "
                "and the level follows from the grades."
            ).format(parts=", ".join(parts))
        else:
            text = _(
                "One rule, fixed in a protocol before it was run (docs/protocol.md) and the same for every dimension, "
                "turns the counted evidence of a dimension into one of the levels above. The unit is a claim; the level "
                "follows from the balance of weighted strengths and gaps."
            )
        if any(r.get("level_probability") not in (None, "") for r in self.table1_rows):
            text += " " + _(
                "Each level carries the share of bootstrap resamples of the cited sources that give it, given this "
                "coding and rule."
            )
        if self.has_published:
            text += " " + _("The published levels are never read by the rule; they are compared afterwards.")
        return text

    # ---- sensitivity --------------------------------------------------------------------
    def sensitivity(self) -> dict | None:
        sens = self.inp.sensitivity
        if sens is None or not {"dimension", "level", "share"} <= set(sens.columns):
            return None
        dims = list(dict.fromkeys(sens["dimension"]))
        known = {lv.id for lv in self.levels}
        level_ids = [lv.id for lv in self.levels] + [x for x in dict.fromkeys(sens["level"]) if x not in known]
        head = [self.level(x).text for x in level_ids]
        n_settings = ""
        if "n_settings" in sens.columns:
            counts = pd.to_numeric(sens["n_settings"], errors="coerce").fillna(0)
            per = counts.groupby(sens["dimension"]).sum()
            n_settings = self.num.integer(per.max()) if len(per) else ""
        rows = []
        for d in dims:
            sub = sens[sens["dimension"] == d].set_index("level")
            cells = []
            for x in level_ids:
                share = (_number(sub["share"].get(x)) or 0.0) if x in sub.index else 0.0
                default = truthy(sub["default"].get(x)) if "default" in sub.columns and x in sub.index else False
                cells.append(("" if share == 0 and not default else self.num.percent(share)) + ("*" if default else ""))
            rows.append({"dimension": d, "label": self.label("component", d), "cells": cells})
        caption = self._(
            "Share of the {n} parameter settings that give each level (* the level under the default settings)."
        ).format(n=n_settings or "—")
        return {"head": head, "rows": rows, "caption": caption}

    def leave_one_out(self) -> dict | None:
        loo = self.inp.leave_one_out
        if loo is None or "changed" not in loo.columns:
            return None
        changed = loo[loo["changed"].map(truthy).fillna(False).astype(bool)]
        rows = [
            {
                "dimension": r["dimension"],
                "label": self.label("component", r["dimension"]),
                "key": r.get("removed_source", ""),
                "n": self.num.integer(r.get("n_segments_removed")),
                "level": self.level(r.get("level")),
                "without": self.level(r.get("level_without")),
            }
            for r in changed.to_dict(orient="records")
        ]
        n = self.num.integer(len(loo))
        if rows:
            text = self._("{k} of {n} removals change a level:").format(k=self.num.integer(len(rows)), n=n)
        else:
            text = self._("No single source changes a level ({n} removals tried).").format(n=n)
        return {"text": text, "rows": rows}

    # ---- agreement ----------------------------------------------------------------------
    def agreement(self) -> dict | None:
        a = self.inp.agreement
        if not a:
            return None
        _ = self._

        def stat(v) -> str:
            if isinstance(v, dict):
                if v.get("value") is None:
                    return _("undefined") + (f" ({v['reason']})" if v.get("reason") else "")
                v = v["value"]
            x = _number(v) if v is not None else None
            return _("undefined") if x is None else self.num.decimal(x)

        n = a.get("n_units") or 0
        obs = _number(a.get("observed_agreement"))
        obs_text = (
            f"{self.num.integer(round(obs * n))} ({self.num.percent(obs)})" if obs is not None and n else stat(obs)
        )
        summary = _(
            "Of {n} segments, the keyword matcher gives the human coder's dimension for {obs} (observed agreement). "
            "Cohen's κ over all components: {kappa}; Krippendorff's α (nominal): {alpha}. "
            "The matcher found no indicator term in {n_none} segments."
        ).format(
            n=self.num.integer(n),
            obs=obs_text,
            kappa=stat(a.get("kappa_overall")),
            alpha=stat(a.get("alpha_nominal")),
            n_none=self.num.integer(a.get("n_auto_none", 0)),
        )
        counts = a.get("counts") or {}
        count_rows = [
            (_(W.CODED_ROWS[k]) if k in W.CODED_ROWS else humanise(k), self.num.integer(v))
            for k, v in counts.items()
            if self.has_review or not k.startswith("synthesis")
        ]
        per = [
            {
                "label": self.label("component", d.get("dimension", "")),
                "n_human": self.num.integer(d.get("n_human")),
                "n_auto": self.num.integer(d.get("n_auto")),
                "n_both": self.num.integer(d.get("n_both")),
                "agreement": stat(d.get("agreement")),
                "kappa": stat(d.get("kappa")),
                "note": clean_text(d.get("note")),
            }
            for d in a.get("per_dimension") or []
        ]
        return {"summary": summary, "counts": count_rows, "per_dimension": per, "has_note": any(p["note"] for p in per)}

    # ---- limitations ------------------------------------------------------------------------
    def limitations(self) -> list[dict]:
        """Limitation sentences (``text``) and the works they name (``keys``, shown as citations)."""
        _, seg = self._, self.segments
        items: list[tuple[str, list[str]]] = []
        coders = sorted({c for c in seg["coder"] if clean_text(c)})
        if len(coders) <= 1:
            text = _("The evidence was coded by one coder ({coders}); no second human coding was reconciled.")
            items.append((text.format(coders=", ".join(coders) or "—"), []))
        else:
            items.append(
                (
                    _("The evidence was coded by {n} coders ({coders}).").format(
                        n=len(coders), coders=", ".join(coders)
                    ),
                    [],
                )
            )
        if len(self.own) and self.has_review:
            text = _.ngettext(
                "{n} segment rests on the review's own synthesis rather than on a cited source.",
                "{n} segments rest on the review's own synthesis rather than on a cited source.",
                len(self.own),
            )
            items.append((text.format(n=self.num.integer(len(self.own))), []))
        absent = self.not_in_reference_list()
        if absent:
            text = _.ngettext(
                "{n} work named by the review is absent from its reference list:",
                "{n} works named by the review are absent from its reference list:",
                len(absent),
            )
            items.append((text.format(n=self.num.integer(len(absent))), absent))
        cited_excluded = sorted(set(self.counted["ref_key"]) & set(self.excluded))
        if cited_excluded:
            text = _.ngettext(
                "{n} cited work was excluded at screening; its evidence is marked:",
                "{n} cited works were excluded at screening; their evidence is marked:",
                len(cited_excluded),
            )
            items.append((text.format(n=self.num.integer(len(cited_excluded))), cited_excluded))
        single = [self.label("component", r["dimension"]) for r in self.table1_rows if _number(r.get("n_sources")) == 1]
        if single:
            items.append((_("{dims}: the evidence rests on a single source.").format(dims=", ".join(single)), []))
        if self.has_review:
            items.append(
                (
                    _(
                        "Excerpts are short paraphrases of the review's claims, not quotations; a reader should check "
                        "the locator in the review before relying on one."
                    ),
                    [],
                )
            )
        if self.inp.missing:
            items.append(
                (_("Some optional inputs were not available: {names}.").format(names=", ".join(self.inp.missing)), [])
            )
        return [{"text": t, "keys": k} for t, k in items]

    def toc(self) -> list[tuple[str, str]]:
        from revalign.report.cerqual import partials

        _ = self._
        shown = partials(self)  # the CERQual and specification sections exist only with their data
        entries = [
            ("summary", _("Answer")),
            ("table1", _("Table 1")),
            ("cerqual", _("Confidence (GRADE-CERQual)")),
            ("evidence", _("Evidence")),
            ("figures", _("Figures")),
            ("method", _("Method")),
            ("sensitivity", _("Sensitivity")),
            ("specification", _("Specification table")),
            ("agreement", _("Vocabulary check")),
            ("limitations", _("Limitations")),
            ("references", _("References")),
        ]
        return [(sid, name) for sid, name in entries if sid not in shown or shown[sid]]
