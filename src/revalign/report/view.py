"""What the report shows, as plain data for the templates (no HTML here).

:class:`ReportView` turns the run's stage files (:class:`revalign.report.build.ReportInputs`)
into labelled rows: levels by their labels, booleans as yes/no, counts with their names,
parameters with readable names. The Jinja2 templates in ``templates/`` lay them out; every
value is escaped there (autoescape), except the reference entries, which
:mod:`revalign.report.references` renders from escaped text.

Run-dependent wording: "in the review" before a locator only when the run names a review
(its own key in the corpus or parameters); "the review's own synthesis" only then;
Published/Matches columns only when Table 1 carries published levels; the codebook's
"phrase of the definition" column only when the codebook gives phrases.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from revalign.coding.segments import synthesis_keys
from revalign.core.codebook import GAP, STRENGTH
from revalign.core.i18n import pick
from revalign.plotting import style
from revalign.report.references import Reference, clean_text, format_references
from revalign.report.strings import STRINGS

_SAFE_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")
TRUE_WORDS = ("true", "1", "yes", "ya", "y")
FALSE_WORDS = ("false", "0", "no", "tidak", "n")


def anchor(prefix: str, value) -> str:
    """A stable, URL-safe element id for *value* (used for both id= and href=#)."""
    text = str(value)
    if _SAFE_ID.match(text):
        return f"{prefix}-{text}"
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:40]
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{slug}-{digest}" if slug else f"{prefix}-{digest}"


def fmt_value(value) -> str:
    """A value as display text: ints without .0, floats to 3 decimals, missing as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else f"{value:.3f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt_value(v) for v in value)
    return str(value)


def truthy(value) -> bool | None:
    text = clean_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def humanise(key: str) -> str:
    """``top_min_sources`` -> "Top min sources" (a parameter name made readable)."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


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


class ReportView:
    """Labelled data of one report, in one language."""

    def __init__(self, inputs, lang: str | None = None):
        self.inp = inputs
        self.lang = lang or inputs.lang
        # the program's own words exist in English and Indonesian; any other language gets English
        # headings around the codebook's own labels in that language
        self.s = pick(STRINGS, self.lang)
        self.cb = inputs.codebook
        self.levels = self.cb.levels_by_rank()
        self.corpus = inputs.corpus
        self.works = {r["record_id"]: r for r in self.corpus.to_dict(orient="records")}
        self.refs: list[Reference] = format_references(self.corpus)
        self.ref_by_key = {r.key: r for r in self.refs}
        self.self_keys = synthesis_keys(self.corpus)
        seg = inputs.segments.copy()
        # the parameters' key of the review counts only when the run has it (in the corpus or cited)
        key = (inputs.params.get("alignment") or {}).get("synthesis_key") or ""
        self.synthesis_key = key if key and (key in self.works or key in set(seg["ref_key"])) else ""
        if self.synthesis_key:
            self.self_keys.add(self.synthesis_key)
        #: the run names a review of its own: locators point into it, its own claims are its synthesis
        self.has_review = bool(self.self_keys)
        seg["_order"] = range(len(seg))
        self.segments = seg
        self.seg_by_ref: dict[str, list[str]] = {}
        for row in seg.itertuples():
            self.seg_by_ref.setdefault(row.ref_key, []).append(row.segment_id)
        self.table1_rows = inputs.table1.to_dict(orient="records")
        self.has_published = any(clean_text(r.get("published_level")) for r in self.table1_rows)
        self._figure_no = 0
        self._figures: dict[str, Figure] = {}

    # ---- labels -----------------------------------------------------------------------
    def label(self, kind: str, item_id: str) -> str:
        try:
            return self.cb.label(kind, item_id, self.lang)
        except (KeyError, AttributeError):
            return str(item_id).replace("_", " ")

    def level_rank(self, value) -> int | None:
        text = clean_text(value)
        if not text:
            return None
        if text.isdigit() and int(text) < len(self.levels):
            return int(text)
        low = text.casefold()
        for lv in self.levels:
            lab = lv.label
            texts = (
                lab.values()
                if isinstance(lab, dict)
                else (lab.model_dump().values() if hasattr(lab, "model_dump") else [])
            )
            names = {lv.id.casefold()} | {str(v).casefold() for v in texts if isinstance(v, str)}
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
            return Level(self.s["no_evidence_level"] if raw in ("", "no_evidence") else humanise(raw))
        bg, fg = style.level_colour(rank, len(self.levels))
        return Level(self.label("levels", self.levels[rank].id), rank, bg, fg)

    def level_of_row(self, row: dict) -> Level:
        return self.level(row.get("level"), row.get(f"label_{self.lang}") or row.get("level_label") or "")

    def yes_no(self, value) -> str:
        t = truthy(value) if not isinstance(value, bool) else value
        return "" if t is None else (self.s["yes"] if t else self.s["no"])

    def reference(self, key: str) -> Reference | None:
        return self.ref_by_key.get(key)

    # ---- figures ----------------------------------------------------------------------
    def figure(self, stem: str) -> Figure | None:
        """The embedded figure *stem* (numbered in order of first use), or None when absent."""
        if stem in self._figures:
            return self._figures[stem]
        data = self.inp.figures.get(stem)
        if not data:
            return None
        from revalign.report.images import css_width, data_uri

        self._figure_no += 1
        fig = Figure(stem, self._figure_no, self.s["fig"].get(stem, humanise(stem)), data_uri(data), css_width(data))
        self._figures[stem] = fig
        return fig

    # ---- summary ----------------------------------------------------------------------
    def summary(self) -> dict:
        s, seg = self.s, self.segments
        n_self = int(seg["ref_key"].isin(self.self_keys).sum())
        intro = s["summary_intro"].format(
            n_seg=len(seg),
            n_src=seg["ref_key"].nunique(),
            n_works=len(self.corpus),
            n_comp=len(self.cb.components),
            framework=self.cb.framework.name,
        )
        if self.has_review and n_self:
            intro += " " + s["summary_synthesis"].format(n_self=n_self)
        items = []
        for r in self.table1_rows:
            items.append(
                {
                    "dimension": r["dimension"],
                    "label": self.label("component", r["dimension"]),
                    "level": self.level_of_row(r),
                    "detail": s["summary_item"].format(
                        n_strength=fmt_value(r.get("n_strength")),
                        n_gap=fmt_value(r.get("n_gap")),
                        n_sources=fmt_value(r.get("n_sources")),
                    ),
                }
            )
        matches = [m for m in (truthy(r.get("matches_published")) for r in self.table1_rows) if m is not None]
        repl = (
            s["replication"].format(n=sum(matches), m=len(matches))
            if self.has_published and matches
            else s["replication_none"]
        )
        return {"intro": intro, "items": items, "replication": repl, "audit": s["summary_audit"]}

    # ---- method -----------------------------------------------------------------------
    def parameter_rows(self, data: dict, skip=("alignment",)) -> list[dict]:
        """Parameters as (group, name, value) rows with readable names; nested groups named."""
        rows: list[dict] = []
        groups = self.s["parameter_group"]

        def value_text(v) -> str:
            if v is None or v == "":
                return self.s["not_set"]
            if isinstance(v, bool):
                return self.s["yes"] if v else self.s["no"]
            if isinstance(v, (list, tuple)):
                return ", ".join(value_text(x) for x in v) or self.s["none"]
            return fmt_value(v)

        def walk(d: dict, group: str) -> None:
            for k, v in d.items():
                if k in skip and not group:
                    continue
                if isinstance(v, dict):
                    walk(v, groups.get(k, humanise(k)) if not group else f"{group}: {groups.get(k, humanise(k))}")
                elif isinstance(v, list) and any(isinstance(x, dict) for x in v):
                    for i, x in enumerate(v, 1):
                        walk(x if isinstance(x, dict) else {k: x}, f"{group + ': ' if group else ''}{humanise(k)} {i}")
                else:
                    rows.append({"group": group, "name": humanise(k), "value": value_text(v)})

        walk(data, "")
        return rows

    def corpus_tables(self) -> list[dict]:
        """Small count tables of the corpus (source type, reference list, screening decisions)."""
        s, corpus = self.s, self.corpus
        tables = []
        for col, title, names in (
            ("sourcetype", s["by_sourcetype"], s["sourcetype_values"]),
            ("inreflist", s["by_inreflist"], s["inreflist_values"]),
        ):
            if col in corpus.columns:
                counts = corpus[col].fillna("").astype(str).str.strip().str.lower().value_counts().sort_index()
                tables.append(
                    {
                        "title": title,
                        "head": s[col],
                        "rows": [(names.get(k, humanise(k) if k else s["not_set"]), int(v)) for k, v in counts.items()],
                    }
                )
        scr = self.inp.screening
        if scr is not None and "decision" in scr.columns:
            counts = scr["decision"].value_counts().sort_index()
            tables.append(
                {
                    "title": s["by_decision"],
                    "head": s["decision"],
                    "rows": [(s["decision_values"].get(k, humanise(k)), int(v)) for k, v in counts.items()],
                }
            )
        return tables

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
                "headline": self.s["yes"] if c.headline else self.s["no"],
                "n": int(n_by_dim.get(c.id, 0)),
            }
            for c in self.cb.components
        ]
        return {"has_phrase": has_phrase, "rows": rows}

    def vocabularies(self) -> list[dict]:
        out = []
        for name in ("polarity", "facet", "context"):
            out.append(
                {
                    "title": self.s[name],
                    "items": [
                        {"label": self.label(name, t.id), "description": clean_text(getattr(t, "description", ""))}
                        for t in getattr(self.cb, name)
                    ],
                }
            )
        return out

    def level_list(self) -> list[dict]:
        return [
            {"level": self.level(lv.id), "description": clean_text(getattr(lv, "description", ""))}
            for lv in self.levels
        ]

    def theme_list(self) -> list[dict]:
        return [
            {"label": self.label("themes", t.id), "description": clean_text(getattr(t, "description", ""))}
            for t in self.cb.themes
        ]

    def rule_rows(self) -> list[dict]:
        params = dict(self.inp.params.get("alignment") or {})
        params.pop("synthesis_key", None)  # shown as a citation, below the table
        return self.parameter_rows(params, skip=())

    # ---- Table 1 -----------------------------------------------------------------------
    def table1(self) -> dict:
        t1 = self.inp.table1
        prose = [
            c
            for c in ("key_strength", "critical_gap")
            if c in t1.columns and (t1[c].astype(str).str.strip() != "").any()
        ]
        rows = []
        for r in self.table1_rows:
            row = {
                "dimension": r["dimension"],
                "label": self.label("component", r["dimension"]),
                "level": self.level_of_row(r),
                "n_strength": fmt_value(r.get("n_strength")),
                "n_gap": fmt_value(r.get("n_gap")),
                "n_sources": fmt_value(r.get("n_sources")),
                "prose": {},
            }
            prob = pd.to_numeric(pd.Series([r.get("level_probability", "")]), errors="coerce").iloc[0]
            row["probability"] = "" if pd.isna(prob) else f"{float(prob):.2f}"
            row["confidence"] = clean_text(r.get("confidence", ""))
            if self.has_published:
                row["published"] = self.level(r.get("published_level"))
                row["matches"] = self.yes_no(r.get("matches_published"))
            for c in prose:
                row["prose"][c] = self.linked_items(r.get(c), r.get(f"{c}_citations"))
            rows.append(row)
        return {
            "rows": rows,
            "prose": prose,
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
        return [k.strip() for k in clean_text(value).replace(",", ";").split(";") if k.strip()]

    # ---- evidence -----------------------------------------------------------------------
    def dims_in_order(self) -> list[str]:
        dims = [r["dimension"] for r in self.table1_rows]
        present = set(self.segments["dimension"])
        others = [c for c in self.cb.component_ids if c not in dims and c in present]
        return dims + others + sorted(present - set(dims) - set(others))

    def evidence(self) -> list[dict]:
        s, seg = self.s, self.segments
        table_dims = [r["dimension"] for r in self.table1_rows]
        levels = {r["dimension"]: r for r in self.table1_rows}
        polarities = self.cb.vocabulary("polarity") + sorted(set(seg["polarity"]) - set(self.cb.vocabulary("polarity")))
        roles = self.cb.polarity_roles
        linked = [c for c in (self.cb.role_code(STRENGTH), self.cb.role_code(GAP)) if c]  # Table 1 links to these
        facets = self.cb.vocabulary("facet") + sorted(set(seg["facet"]) - set(self.cb.vocabulary("facet")))
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
                n_syn = int(pseg["ref_key"].isin(self.self_keys).sum())
                count = f"{len(pseg) - n_syn} {s['cited']}, {n_syn} {s['synthesis']}" if n_syn else str(len(pseg))
                facet_blocks = []
                for facet in facets:
                    fseg = pseg[pseg["facet"] == facet].sort_values("_order")
                    if len(fseg):
                        facet_blocks.append(
                            {
                                "label": self.label("facet", facet),
                                "items": [self.evidence_item(r) for r in fseg.to_dict(orient="records")],
                            }
                        )
                block["polarities"].append(
                    {
                        "id": roles.get(pol, pol),  # anchors by role: Table 1 links to #DIM-strength, #DIM-gap
                        "label": self.label("polarity", pol),
                        "count": count,
                        "n": len(pseg),
                        "facets": facet_blocks,
                    }
                )
            out.append(block)
        return out

    def evidence_item(self, r: dict) -> dict:
        s = self.s
        key = r["ref_key"]
        tags = [self.label("context", r["context"])]
        if clean_text(r.get("theme")):
            tags.append(f"{s['theme']}: {self.label('themes', r['theme'])}")
        is_self = key in self.self_keys
        locator = clean_text(r.get("locator"))
        where = f"{s['locator'] if self.has_review else s['locator_plain']} {locator}" if locator else ""
        return {
            "id": r["segment_id"],
            "polarity": self.cb.polarity_roles.get(r["polarity"], r["polarity"]),  # its role (the colour)
            "excerpt": clean_text(r.get("excerpt")),
            "key": key,
            "where": where,
            "coder": clean_text(r.get("coder")),
            "tags": tags,
            "self_tag": s["own_synthesis"] if is_self and self.has_review else "",
        }

    # ---- sensitivity --------------------------------------------------------------------
    def sensitivity(self) -> dict | None:
        sens = self.inp.sensitivity
        if sens is None or not {"dimension", "level", "share"} <= set(sens.columns):
            return None
        dims = [d for d in dict.fromkeys(sens["dimension"])]
        level_ids = [lv.id for lv in self.levels] + [
            x for x in dict.fromkeys(sens["level"]) if x not in {lv.id for lv in self.levels}
        ]
        head = [self.level(x).text for x in level_ids]
        n_settings = ""
        if "n_settings" in sens.columns:
            per = sens.groupby("dimension")["n_settings"].apply(lambda v: sum(int(float(x or 0)) for x in v))
            n_settings = str(int(per.max())) if len(per) else ""
        rows = []
        for d in dims:
            sub = sens[sens["dimension"] == d].set_index("level")
            cells = []
            for x in level_ids:
                share = float(sub["share"].get(x, 0) or 0) if x in sub.index else 0.0
                default = truthy(sub["default"].get(x)) if "default" in sub.columns and x in sub.index else False
                cells.append(("" if share == 0 and not default else f"{share:.0%}") + ("*" if default else ""))
            rows.append({"dimension": d, "label": self.label("component", d), "cells": cells})
        return {"head": head, "rows": rows, "caption": self.s["sens_caption"].format(n=n_settings or "—")}

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
                "n": fmt_value(r.get("n_segments_removed")),
                "level": self.level(r.get("level")),
                "without": self.level(r.get("level_without")),
            }
            for r in changed.to_dict(orient="records")
        ]
        text = self.s["loo_some"].format(k=len(rows), n=len(loo)) if rows else self.s["loo_none"].format(n=len(loo))
        return {"text": text, "rows": rows}

    # ---- agreement ----------------------------------------------------------------------
    def agreement(self) -> dict | None:
        a = self.inp.agreement
        if not a:
            return None
        s = self.s

        def stat(v) -> str:
            if isinstance(v, dict):
                if v.get("value") is None:
                    return s["undefined"] + (f" ({v['reason']})" if v.get("reason") else "")
                v = v["value"]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return s["undefined"]
            return f"{float(v):.2f}"

        n = a.get("n_units") or 0
        obs = a.get("observed_agreement")
        obs_text = f"{round(float(obs) * n)} ({float(obs):.0%})" if isinstance(obs, (int, float)) and n else stat(obs)
        summary = s["agreement_summary"].format(
            n=n,
            obs=obs_text,
            kappa=stat(a.get("kappa_overall")),
            alpha=stat(a.get("alpha_nominal")),
            n_none=a.get("n_auto_none", 0),
        )
        counts = a.get("counts") or {}
        names = s["coded_rows"]
        count_rows = [
            (names.get(k, humanise(k)), v)
            for k, v in counts.items()
            if self.has_review or not k.startswith("synthesis")
        ]
        per = []
        for d in a.get("per_dimension") or []:
            per.append(
                {
                    "label": self.label("component", d.get("dimension", "")),
                    "n_human": fmt_value(d.get("n_human")),
                    "n_auto": fmt_value(d.get("n_auto")),
                    "n_both": fmt_value(d.get("n_both")),
                    "agreement": stat(d.get("agreement")),
                    "kappa": stat(d.get("kappa")),
                    "note": clean_text(d.get("note")),
                }
            )
        return {"summary": summary, "counts": count_rows, "per_dimension": per, "has_note": any(p["note"] for p in per)}

    # ---- limitations and references -------------------------------------------------------
    def limitations(self) -> list[dict]:
        """Limitation sentences (``text``) and the works they name (``keys``, shown as citations)."""
        return [{"text": t, "keys": k} for t, k in self._limitations()]

    def _limitations(self) -> list[tuple[str, list[str]]]:
        s, seg = self.s, self.segments
        items = []
        coders = sorted({c for c in seg["coder"] if clean_text(c)})
        if len(coders) <= 1:
            items.append(s["lim_single_coder"].format(coders=", ".join(coders) or "—"))
        else:
            items.append(s["lim_coders"].format(n=len(coders), coders=", ".join(coders)))
        n_self = int(seg["ref_key"].isin(self.self_keys).sum())
        if n_self and self.has_review:
            items.append(s["lim_self"].format(n=n_self))
        if "inreflist" in self.corpus.columns:
            absent = sorted(self.corpus.loc[self.corpus["inreflist"].str.lower() == "no", "record_id"])
            if absent:
                items.append((s["lim_not_in_list"].format(n=len(absent), keys="").rstrip(" .:") + ":", list(absent)))
        single = [
            self.label("component", r["dimension"]) for r in self.table1_rows if fmt_value(r.get("n_sources")) == "1"
        ]
        if single:
            items.append(s["lim_single_source"].format(dims=", ".join(single)))
        mism = [
            self.label("component", r["dimension"])
            for r in self.table1_rows
            if truthy(r.get("matches_published")) is False
        ]
        if mism and self.has_published:
            items.append(s["lim_mismatch"].format(dims=", ".join(mism)))
        if self.has_review:
            items.append(s["lim_paraphrase"])
        if self.inp.missing:
            items.append(s["lim_missing"].format(names=", ".join(self.inp.missing)))
        return [i if isinstance(i, tuple) else (i, []) for i in items]

    def references(self) -> list[dict]:
        out = []
        for ref in self.refs:
            work = self.works.get(ref.key, {})
            flag = ""
            if str(work.get("inreflist", "")).lower() == "no":
                flag = self.s["not_in_reflist"]
            elif ref.key in self.self_keys:
                flag = self.s["review_itself"]
            out.append(
                {"key": ref.key, "html": Markup(ref.html), "flag": flag, "segments": self.seg_by_ref.get(ref.key, [])}
            )
        return out

    def toc(self) -> list[tuple[str, str]]:
        s = self.s
        return [
            ("summary", s["summary"]),
            ("method", s["method"]),
            ("table1", s["table1_short"]),
            ("evidence", s["evidence"]),
            ("figures", s["figures"]),
            ("sensitivity", s["sensitivity"]),
            ("agreement", s["agreement"]),
            ("limitations", s["limitations"]),
            ("references", s["references"]),
        ]
