"""Stage 05: one self-contained HTML report with an audit trail from Table 1 to the evidence.

``build_report(cfg)`` reads the stage files of a run (see docs/DEVELOPING.md, "Stage
files"), renders the page and writes ``cfg.report_path`` atomically. The page has no
script and makes no request: figures are embedded as base64 PNG data URIs, the CSS is
inline, and a Content-Security-Policy forbids anything else. Every text that came from
an input file is escaped (markupsafe).

Required inputs (an :class:`InputError` when missing or malformed): the codebook, the
coded segments, ``P/corpus.csv`` and ``P/table1.csv``. Optional inputs (PRISMA
counts, screening decisions, sensitivity, leave-one-out, agreement, figures) are
reported as missing in the page itself when absent.

The audit trail: Table 1 cells link to ``#ev-<dimension>`` (and ``-<polarity>``);
each evidence item ``#seg-<segment_id>`` links to its reference ``#ref-<key>`` and
names its locator; each reference lists the evidence items that use it.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from revalign.plotting import style
from revalign.core.atomic import write_text
from revalign.core.codebook import Codebook, coding_codebook, load_codebook
from revalign.core.errors import InputError
from revalign.report.references import Reference, clean_text, format_references
from revalign.coding.segments import read_segments
from revalign.pipeline.stages import stage_files
from revalign.report.sections import CSS, STRINGS, anchor, escape_text, flatten, fmt_value, h, join

CORPUS_COLUMNS = ["record_id", "title", "year", "authors"]
TABLE1_COLUMNS = ["dimension", "level", "n_strength", "n_gap", "n_sources"]

# Figures by section, in display order (file stem in F/).
FIGURES = {
    "summary": ["key_statistics"],
    "corpus": ["prisma_flow", "works_per_year", "source_types", "venues"],
    "heatmaps": ["alignment_heatmap", "coverage_heatmap", "evidence_gap_map", "theme_dimension_heatmap", "evidence_map", "sourcetype_dimension"],
    "sensitivity": ["sensitivity"],
    "agreement": ["autocoder_confusion"],
}
OPTIONAL_FILES = {
    "prisma": "prisma.json",
    "screening": "screening.csv",
    "sensitivity": "sensitivity.csv",
    "leave_one_out": "leave_one_out.csv",
    "agreement": "vocabulary_check.json",
}


# ---- inputs --------------------------------------------------------------------------


@dataclass
class ReportInputs:
    title: str
    lang: str
    params: dict
    codebook: Codebook
    corpus: pd.DataFrame
    table1: pd.DataFrame
    segments: pd.DataFrame
    prisma: dict | None = None
    screening: pd.DataFrame | None = None
    sensitivity: pd.DataFrame | None = None
    leave_one_out: pd.DataFrame | None = None
    agreement: dict | None = None
    figures: dict[str, bytes] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def read_csv(path: Path, required: list[str], what: str) -> pd.DataFrame:
    """A CSV as strings (missing cells ''); InputError when absent, unreadable or lacking columns."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, f"{what} not found (run the stage that writes it first)")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read {what} as UTF-8 CSV: {str(exc).splitlines()[0]}") from None
    absent = [c for c in required if c not in df.columns]
    if absent:
        raise InputError(path, f"{what} lacks the column(s) {', '.join(absent)}", 1)
    return df


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid JSON: {exc}") from None


def load_inputs(cfg) -> ReportInputs:
    """Read everything the report shows for run *cfg* (a :class:`revalign.core.config.RunConfig`)."""
    files = stage_files(cfg, "05")  # the stage files the report reads (revalign.pipeline.stages)
    codebook_path = cfg.path(cfg.params.codebook)
    if not codebook_path.exists():
        raise InputError(cfg.params_file, f"codebook: {cfg.rel(codebook_path)} does not exist")
    cb = load_codebook(codebook_path)
    # CSV or .qdpx, validated against the codebook like every other stage does
    segments = read_segments(cfg.path(cfg.params.segments), codebook=coding_codebook(codebook_path)).drop(columns=["line"]).fillna("").astype(str)
    inputs = ReportInputs(
        title=cfg.params.title,
        lang=cfg.params.lang,
        params=cfg.summary(),
        codebook=cb,
        corpus=read_csv(files["corpus.csv"], CORPUS_COLUMNS, "corpus"),
        table1=read_csv(files["table1.csv"], TABLE1_COLUMNS, "Table 1"),
        segments=segments,
    )
    for attr, name in OPTIONAL_FILES.items():
        path = files[name]
        if not path.exists():
            inputs.missing.append(cfg.rel(path))
            continue
        if name.endswith(".json"):
            setattr(inputs, attr, _read_json(path))
        else:
            setattr(inputs, attr, read_csv(path, [], name))
    for stems in FIGURES.values():
        for stem in stems:
            png = files[f"{stem}.png"]
            if png.exists():
                inputs.figures[stem] = png.read_bytes()
            else:
                inputs.missing.append(cfg.rel(png))
    return inputs


# ---- rendering -----------------------------------------------------------------------


def _css_width(png: bytes) -> int:
    """Display width in CSS pixels (96 per inch) of a PNG saved at the figures' dpi.

    Figures keep their printed size instead of stretching a small chart to the text width.
    """
    width = int.from_bytes(png[16:20], "big")  # IHDR width, right after the signature
    return max(1, round(width * 96 / style.DPI))


class _Page:
    """Rendering state: strings of the language, lookups, and the references."""

    def __init__(self, inputs: ReportInputs, lang: str | None = None):
        self.inp = inputs
        self.lang = lang or inputs.lang
        if self.lang not in STRINGS:
            raise InputError(None, f"lang: {self.lang!r} is not one of {', '.join(STRINGS)}")
        self.s = STRINGS[self.lang]
        self.cb = inputs.codebook
        self.levels = self.cb.levels_by_rank()
        corpus = inputs.corpus
        self.corpus = corpus
        self.works = {r["record_id"]: r for r in corpus.to_dict(orient="records")}
        self.refs: list[Reference] = format_references(corpus)
        self.ref_by_key = {r.key: r for r in self.refs}
        self.self_keys = {
            k for k, r in self.works.items()
            if str(r.get("sourcetype", "")).lower() == "review" or str(r.get("inreflist", "")).lower() == "self"
        }
        synthesis_key = (inputs.params.get("alignment") or {}).get("synthesis_key")
        if synthesis_key:
            self.self_keys.add(synthesis_key)
        seg = inputs.segments.copy()
        seg["_order"] = range(len(seg))
        self.segments = seg
        self.seg_by_ref: dict[str, list[str]] = {}
        for row in seg.itertuples():
            self.seg_by_ref.setdefault(row.ref_key, []).append(row.segment_id)
        self.figure_no = 0

    # -- labels
    def label(self, kind: str, item_id: str) -> str:
        try:
            return self.cb.label(kind, item_id, self.lang)
        except KeyError:
            return str(item_id)

    def level_rank(self, value) -> int | None:
        text = clean_text(value)
        if not text:
            return None
        if text.isdigit() and int(text) < len(self.levels):
            return int(text)
        low = text.casefold()
        for lv in self.levels:
            if low in (lv.id.casefold(), *(lv.label.text(lg).casefold() for lg in lv.label.languages)):
                return lv.rank
        return None

    def level_text(self, row: dict, column: str = "level") -> str:
        """Display label of a Table 1 level: the codebook's label, else the table's own label."""
        rank = self.level_rank(row.get(column))
        if rank is not None:
            return getattr(self.levels[rank].label, self.lang)
        if column == "level":
            own = clean_text(row.get(f"label_{self.lang}")) or clean_text(row.get("level_label"))
            if own:
                return own
        return clean_text(row.get(column)) or "—"

    def level_cell(self, value, link: str | None = None, text: str | None = None) -> Markup:
        rank = self.level_rank(value)
        if rank is None:
            text = text or clean_text(value) or "—"
            return h('<td class="level">{}</td>', h('<a href="#{}">{}</a>', link, text) if link else text)
        lv = self.levels[rank]
        idx = min(rank * (len(style.LEVEL_COLOURS) - 1) // max(len(self.levels) - 1, 1), len(style.LEVEL_COLOURS) - 1)
        bg, fg = style.LEVEL_COLOURS[idx], style.LEVEL_TEXT[idx]
        text = getattr(lv.label, self.lang)
        inner = h('<a href="#{}">{}</a>', link, text) if link else escape_text(text)
        return h('<td class="level" style="background:{};color:{}">{}</td>', bg, fg, inner)

    def swatch(self, rank: int) -> Markup:
        idx = min(rank * (len(style.LEVEL_COLOURS) - 1) // max(len(self.levels) - 1, 1), len(style.LEVEL_COLOURS) - 1)
        return h('<span class="swatch" style="background:{}"></span>', style.LEVEL_COLOURS[idx])

    def cite(self, key: str) -> Markup:
        ref = self.ref_by_key.get(key)
        if ref is None:
            return h("<span>{}</span>", key)
        return h('<a href="#{}">{}</a>', anchor("ref", key), Markup(ref.cite))

    def figure(self, stem: str) -> Markup:
        data = self.inp.figures.get(stem)
        if not data:
            return Markup("")
        self.figure_no += 1
        caption = self.s["fig"].get(stem, stem)
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        return h(
            '<figure id="{}"><img src="{}" alt="{}" width="{}"><figcaption><b>{} {}.</b> {}</figcaption></figure>',
            anchor("fig", stem), uri, caption, _css_width(data), self.s["figure"], self.figure_no, caption,
        )

    def table(self, df: pd.DataFrame, caption: str | None = None, dim_col: str = "dimension") -> Markup:
        """A generic table; dimension ids become labels, citation keys become links."""
        head = join(h('<th class="{}">{}</th>', "num" if self._numeric(df[c]) else "", c) for c in df.columns)
        rows = []
        for rec in df.to_dict(orient="records"):
            cells = []
            for col in df.columns:
                value = rec[col]
                text = fmt_value(value)
                cls = "num" if self._numeric(df[col]) else ""
                if col == dim_col and text in self.cb.component_ids:
                    cell = h('<a href="#{}">{}</a>', anchor("ev", text), self.label("component", text))
                elif text in self.ref_by_key:
                    cell = self.cite(text)
                else:
                    cell = escape_text(text)
                cells.append(h('<td class="{}">{}</td>', cls, cell))
            rows.append(h("<tr>{}</tr>", join(cells)))
        cap = h("<caption>{}</caption>", caption) if caption else Markup("")
        return h("<table>{}<thead><tr>{}</tr></thead><tbody>{}</tbody></table>", cap, head, join(rows))

    @staticmethod
    def _numeric(series: pd.Series) -> bool:
        values = [v for v in series.tolist() if fmt_value(v) != ""]
        if not values:
            return False
        try:
            [float(v) for v in values]
        except (TypeError, ValueError):
            return False
        return True

    def kv(self, rows) -> Markup:
        return h('<dl class="kv">{}</dl>', join(h("<dt>{}</dt><dd>{}</dd>", k, fmt_value(v)) for k, v in rows))

    # -- sections --------------------------------------------------------------------
    def table1_rows(self) -> list[dict]:
        return self.inp.table1.to_dict(orient="records")

    def dims_in_order(self) -> list[str]:
        dims = [r["dimension"] for r in self.table1_rows()]
        others = [c for c in self.cb.component_ids if c not in dims and c in set(self.segments["dimension"])]
        extra = sorted(set(self.segments["dimension"]) - set(dims) - set(others))
        return dims + others + extra

    def summary(self) -> Markup:
        s, seg = self.s, self.segments
        n_self = int(seg["ref_key"].isin(self.self_keys).sum())
        fw = self.cb.framework
        intro = s["summary_intro"].format(
            n_seg=len(seg), n_src=seg["ref_key"].nunique(), n_works=len(self.corpus),
            n_comp=len(self.cb.components), framework=fw.name, n_self=n_self,
        )
        items = []
        for r in self.table1_rows():
            dim = r["dimension"]
            rank = self.level_rank(r.get("level"))
            level = self.level_text(r)
            detail = s["summary_item"].format(
                n_strength=fmt_value(r.get("n_strength")), n_gap=fmt_value(r.get("n_gap")), n_sources=fmt_value(r.get("n_sources"))
            )
            items.append(h(
                '<li>{}<a href="#{}"><b>{}</b></a>: {} ({})</li>',
                self.swatch(rank) if rank is not None else "", anchor("ev", dim), self.label("component", dim), level, detail,
            ))
        matches = [m for m in (self._truthy(r.get("matches_published")) for r in self.table1_rows()) if m is not None]
        has_published = any(clean_text(r.get("published_level")) for r in self.table1_rows())
        repl = s["replication"].format(n=sum(matches), m=len(matches)) if has_published and matches else s["replication_none"]
        return h(
            '<section id="summary"><h2>{}</h2><p>{}</p><ul>{}</ul><p>{}</p><p>{}</p>{}</section>',
            s["summary"], intro, join(items), repl, s["summary_audit"], self.figure("key_statistics"),
        )

    @staticmethod
    def _truthy(value) -> bool | None:
        text = clean_text(value).lower()
        if text in ("true", "1", "yes", "ya", "y"):
            return True
        if text in ("false", "0", "no", "tidak", "n"):
            return False
        return None

    def method(self) -> Markup:
        s = self.s
        params = [(k, v) for k, v in flatten(self.inp.params) if k not in ("alignment",) and not k.startswith("alignment.")]
        parts = [h("<h2>{}</h2><p>{}</p>", s["method"], s["method_intro"])]
        parts.append(h('<h3 id="parameters">{}</h3>{}', s["parameters"], self.kv(params)))
        parts.append(self.corpus_section())
        parts.append(self.codebook_section())
        parts.append(self.coding_section())
        parts.append(self.rule_section())
        return h('<section id="method">{}</section>', join(parts))

    def corpus_section(self) -> Markup:
        s, corpus = self.s, self.corpus
        blocks = [h('<h3 id="corpus">{}</h3>', s["corpus"])]
        rows = [(s["works"], len(corpus))]
        for col, name in (("sourcetype", s["sourcetype"]), ("inreflist", s["inreflist"])):
            if col in corpus.columns:
                counts = corpus[col].replace("", "—").value_counts().sort_index()
                rows.append((name, "; ".join(f"{k}: {v}" for k, v in counts.items())))
        if self.inp.screening is not None and "decision" in self.inp.screening.columns:
            counts = self.inp.screening["decision"].value_counts().sort_index()
            rows.append((s["decision"], "; ".join(f"{k}: {v}" for k, v in counts.items())))
        blocks.append(self.kv(rows))
        if self.inp.prisma is not None:
            blocks.append(h("<h4>{}</h4>{}", s["prisma"], self.kv(flatten(self.inp.prisma))))
        for stem in FIGURES["corpus"]:
            blocks.append(self.figure(stem))
        return join(blocks)

    def codebook_section(self) -> Markup:
        s, cb = self.s, self.cb
        fw = cb.framework
        n_by_dim = self.segments["dimension"].value_counts().to_dict()
        rows = join(
            h(
                "<tr><td>{}</td><td><i>{}</i></td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                c.label.text(self.lang), c.phrase, c.description,
                s["yes"] if c.headline else "", n_by_dim.get(c.id, 0),
            )
            for c in cb.components
        )
        comp_table = h(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            s["component"], s["phrase"], s["description"], s["headline"], s["segments"], rows,
        )
        source = self.cite(fw.source_key) if fw.source_key else Markup("")
        themes = join(h("<li>{}{}</li>", self.label("themes", t.id), f" — {t.description}" if t.description else "") for t in cb.themes)
        levels = join(
            h("<li>{}<b>{}</b>{}</li>", self.swatch(lv.rank), getattr(lv.label, self.lang),
              f" — {lv.description}" if lv.description else "")
            for lv in self.levels
        )
        return h(
            '<h3 id="codebook">{}</h3><p>{}: {} {}</p><blockquote>{}</blockquote>{}<h4>{}</h4><ul>{}</ul><h4>{}</h4><ul>{}</ul>',
            s["codebook"], s["definition"], fw.name, source, fw.definition, comp_table, s["themes"], themes, s["levels"], levels,
        )

    def coding_section(self) -> Markup:
        s, cb = self.s, self.cb
        vocab = []
        for name, key in (("polarity", "polarity"), ("facet", "facet"), ("context", "context")):
            items = join(
                h("<li><b>{}</b>{}</li>", self.label(name, t.id), f" — {t.description}" if t.description else "")
                for t in getattr(cb, name)
            )
            vocab.append(h("<h4>{}</h4><ul>{}</ul>", s[key], items))
        return h('<h3 id="coding-rules">{}</h3><p>{}</p>{}', s["coding_rules"], s["coding_text"], join(vocab))

    def rule_section(self) -> Markup:
        s = self.s
        params = flatten(self.inp.params.get("alignment") or {})
        body = self.kv(params) if params else h("<p>{}</p>", s["rule_default"])
        return h('<h3 id="rule">{}</h3><p>{}</p>{}', s["rule"], s["rule_text"], body)

    def table1(self) -> Markup:
        s = self.s
        t1 = self.inp.table1
        # (the full citation list of a dimension is its evidence list, one click away)
        optional = [c for c in ("level_probability", "confidence", "published_level", "matches_published", "key_strength",
                                "critical_gap") if c in t1.columns]
        head_names = [s["dimension"], s["level"], s["n_strength"], s["n_gap"], s["n_sources"]]
        head_names += [s["matches"] if c == "matches_published" else s[c] for c in optional]
        num = {2, 3, 4}
        head = join(h('<th class="{}">{}</th>', "num" if i in num else "", n) for i, n in enumerate(head_names))
        rows = []
        for r in self.table1_rows():
            dim = r["dimension"]
            ev = anchor("ev", dim)
            cells = [
                h('<th scope="row"><a href="#{}">{}</a></th>', ev, self.label("component", dim)),
                self.level_cell(r.get("level"), ev, self.level_text(r)),
                self._count_cell(r.get("n_strength"), f"{ev}-strength"),
                self._count_cell(r.get("n_gap"), f"{ev}-gap"),
                h('<td class="num"><a href="#{}">{}</a></td>', ev, fmt_value(r.get("n_sources"))),
            ]
            for c in optional:
                value = r.get(c)
                if c == "level_probability":
                    prob = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
                    cells.append(h('<td class="num">{}</td>', "" if pd.isna(prob) else f"{float(prob):.2f}"))
                elif c == "confidence":
                    cells.append(h("<td>{}</td>", clean_text(value)))
                elif c == "published_level":
                    cells.append(self.level_cell(value))
                elif c == "matches_published":
                    m = self._truthy(value)
                    cells.append(h("<td>{}</td>", "" if m is None else (s["yes"] if m else s["no"])))
                elif c == "citations":
                    keys = self._keys(value)
                    cells.append(h("<td>{}</td>", join((self.cite(k) for k in keys), "; ")))
                else:  # key_strength / critical_gap, with the citations behind them
                    cells.append(h('<td class="prose">{}</td>', self.linked_text(value, self._keys(r.get(f"{c}_citations")))))
            rows.append(h("<tr>{}</tr>", join(cells)))
        return h(
            '<section id="table1"><h2>{}</h2><table class="table1"><thead><tr>{}</tr></thead><tbody>{}</tbody></table></section>',
            s["table1"], head, join(rows),
        )

    def linked_text(self, value, keys: list[str]) -> Markup:
        """Escaped text whose ``(key)`` markers become citation links; `` | `` separates items."""
        text = clean_text(value)
        known = [k for k in keys if k in self.ref_by_key]
        items = []
        for item in text.split(" | "):
            if known:
                pattern = re.compile(r"\((" + "|".join(re.escape(k) for k in known) + r")\)")
                pieces = pattern.split(item)  # text, key, text, key, ...
                items.append(join(self.cite(p) if i % 2 else escape_text(p) for i, p in enumerate(pieces)))
            else:
                items.append(escape_text(item))
            cited = set(pattern.findall(item)) if known else set()
            missing = [k for k in known if k not in cited and len(text.split(" | ")) == 1]
            if missing:
                items[-1] = h("{} {}", items[-1], join((self.cite(k) for k in missing), "; "))
        return join(items, "<br>")

    @staticmethod
    def _keys(value) -> list[str]:
        return [k.strip() for k in clean_text(value).replace(",", ";").split(";") if k.strip()]

    def _count_cell(self, value, target: str) -> Markup:
        return h('<td class="num"><a href="#{}">{}</a></td>', target, fmt_value(value))

    def evidence(self) -> Markup:
        s, seg = self.s, self.segments
        table_dims = [r["dimension"] for r in self.table1_rows()]
        levels = {r["dimension"]: r.get("level") for r in self.table1_rows()}
        parts = [h("<h2>{}</h2>", s["evidence"])]
        polarities = self.cb.vocabulary("polarity") + sorted(set(seg["polarity"]) - set(self.cb.vocabulary("polarity")))
        polarities += [p for p in ("strength", "gap") if p not in polarities]  # Table 1 links to these
        facets = self.cb.vocabulary("facet") + sorted(set(seg["facet"]) - set(self.cb.vocabulary("facet")))
        other_started = False
        for dim in self.dims_in_order():
            if dim not in table_dims and not other_started:
                parts.append(h('<h3 id="ev-other">{}</h3>', s["other_components"]))
                other_started = True
            ev = anchor("ev", dim)
            dseg = seg[seg["dimension"] == dim]
            rank = self.level_rank(levels.get(dim))
            level = h(" — {}", getattr(self.levels[rank].label, self.lang)) if rank is not None else Markup("")
            back = h(' <a class="meta" href="#table1">({})</a>', s["back_to_table"]) if dim in table_dims else Markup("")
            tag = "h3" if dim in table_dims else "h4"
            parts.append(h('<{0} id="{1}">{2}{3}{4}</{0}>', Markup(tag), ev, self.label("component", dim), level, back))
            if dim in table_dims or len(dseg):
                for pol in polarities:
                    pseg = dseg[dseg["polarity"] == pol]
                    if not len(pseg) and pol not in ("strength", "gap"):
                        continue
                    n_syn = int(pseg["ref_key"].isin(self.self_keys).sum())
                    count = h("{} {}, {} {}", len(pseg) - n_syn, s["cited"], n_syn, s["synthesis"]) if n_syn else len(pseg)
                    parts.append(h('<h4 id="{}-{}">{} ({})</h4>', ev, pol, self.label("polarity", pol), count))
                    if not len(pseg):
                        parts.append(h('<p class="meta">{}</p>', s["no_evidence"]))
                        continue
                    for facet in facets:
                        fseg = pseg[pseg["facet"] == facet].sort_values("_order")
                        if len(fseg):
                            parts.append(h("<h5>{}</h5>", self.label("facet", facet)))
                            parts.append(h('<ul class="evidence">{}</ul>', join(self.evidence_item(r) for r in fseg.to_dict(orient="records"))))
        return h('<section id="evidence">{}</section>', join(parts))

    def evidence_item(self, r: dict) -> Markup:
        s = self.s
        key = r["ref_key"]
        tags = [h('<span class="tag">{}</span>', self.label("context", r["context"]))]
        if clean_text(r.get("theme")):
            tags.append(h('<span class="tag">{}: {}</span>', s["theme"], self.label("themes", r["theme"])))
        if key in self.self_keys:
            tags.append(h('<span class="tag self">{}</span>', s["own_synthesis"]))
        locator = clean_text(r.get("locator"))
        where = h(", {} {}", s["locator"], locator) if locator else Markup("")
        return h(
            '<li id="{}" class="pol-{}">{} <span class="meta">— {}{}; {} {}; {}</span> {}</li>',
            anchor("seg", r["segment_id"]), r["polarity"], clean_text(r.get("excerpt")), self.cite(key), where,
            s["coder"], clean_text(r.get("coder")), r["segment_id"], join(tags),
        )

    def heatmaps(self) -> Markup:
        figs = join(self.figure(stem) for stem in FIGURES["heatmaps"])
        if not figs:
            figs = h('<p class="meta">{}</p>', self.s["not_available"])
        return h('<section id="heatmaps"><h2>{}</h2>{}</section>', self.s["heatmaps"], figs)

    def sensitivity(self) -> Markup:
        s = self.s
        parts = [h("<h2>{}</h2>", s["sensitivity"])]
        if self.inp.sensitivity is not None:
            parts.append(h("<p>{}</p>{}", s["sensitivity_text"], self.table(self.inp.sensitivity)))
        parts.append(self.figure("sensitivity"))
        if self.inp.leave_one_out is not None:
            parts.append(h('<h3 id="leave-one-out">{}</h3><p>{}</p>{}', s["leave_one_out"], s["loo_text"], self.table(self.inp.leave_one_out)))
        if self.inp.sensitivity is None and self.inp.leave_one_out is None and "sensitivity" not in self.inp.figures:
            parts.append(h('<p class="meta">{}</p>', s["not_available"]))
        return h('<section id="sensitivity">{}</section>', join(parts))

    def agreement(self) -> Markup:
        s = self.s
        parts = [h("<h2>{}</h2>", s["agreement"])]
        if self.inp.agreement is not None:
            parts.append(h("<p>{}</p>{}", s["agreement_text"], self.kv(flatten(self.inp.agreement))))
        parts.append(self.figure("autocoder_confusion"))
        if self.inp.agreement is None and "autocoder_confusion" not in self.inp.figures:
            parts.append(h('<p class="meta">{}</p>', s["not_available"]))
        return h('<section id="agreement">{}</section>', join(parts))

    def limitations(self) -> Markup:
        s, seg = self.s, self.segments
        items = []
        coders = sorted({c for c in seg["coder"] if clean_text(c)})
        if len(coders) <= 1:
            items.append(s["lim_single_coder"].format(coders=", ".join(coders) or "—"))
        else:
            items.append(s["lim_coders"].format(n=len(coders), coders=", ".join(coders)))
        n_self = int(seg["ref_key"].isin(self.self_keys).sum())
        if n_self:
            items.append(s["lim_self"].format(n=n_self))
        if "inreflist" in self.corpus.columns:
            absent = sorted(self.corpus.loc[self.corpus["inreflist"].str.lower() == "no", "record_id"])
            if absent:
                items.append(s["lim_not_in_list"].format(n=len(absent), keys=", ".join(absent)))
        single = [self.label("component", r["dimension"]) for r in self.table1_rows() if fmt_value(r.get("n_sources")) == "1"]
        if single:
            items.append(s["lim_single_source"].format(dims=", ".join(single)))
        mism = [self.label("component", r["dimension"]) for r in self.table1_rows() if self._truthy(r.get("matches_published")) is False]
        if mism:
            items.append(s["lim_mismatch"].format(dims=", ".join(mism)))
        items.append(s["lim_paraphrase"])
        if self.inp.missing:
            items.append(s["lim_missing"].format(names=", ".join(self.inp.missing)))
        return h('<section id="limitations"><h2>{}</h2><ul>{}</ul></section>', s["limitations"], join(h("<li>{}</li>", i) for i in items))

    def references(self) -> Markup:
        s = self.s
        items = []
        for ref in self.refs:
            segs = self.seg_by_ref.get(ref.key, [])
            if segs:
                links = join((h('<a href="#{}">{}</a>', anchor("seg", sid), sid) for sid in segs), ", ")
                back = h('<span class="backlinks">{} ({}): {}</span>', s["used_by"], len(segs), links)
            else:
                back = h('<span class="backlinks">{}</span>', s["not_used"])
            work = self.works.get(ref.key, {})
            flag = Markup("")
            if str(work.get("inreflist", "")).lower() == "no":
                flag = h(' <span class="tag">{}</span>', s["not_in_reflist"])
            elif ref.key in self.self_keys:
                flag = h(' <span class="tag self">{}</span>', s["review_itself"])
            items.append(h('<li id="{}">{}{}{}</li>', anchor("ref", ref.key), Markup(ref.html), flag, back))
        return h('<section id="references"><h2>{}</h2><ol class="references">{}</ol></section>', s["references"], join(items))

    def missing_note(self) -> Markup:
        if not self.inp.missing:
            return Markup("")
        return h(
            '<p class="note"><b>{}:</b> {} {}</p>', self.s["missing_inputs"], ", ".join(self.inp.missing), self.s["missing_inputs_note"]
        )

    def render(self) -> str:
        s = self.s
        sections = [
            ("summary", s["summary"]), ("method", s["method"]), ("table1", s["table1_short"]), ("evidence", s["evidence"]),
            ("heatmaps", s["heatmaps"]), ("sensitivity", s["sensitivity"]), ("agreement", s["agreement"]),
            ("limitations", s["limitations"]), ("references", s["references"]),
        ]
        toc = h(
            '<nav class="toc" aria-label="{}"><b>{}</b><ol>{}</ol></nav>', s["contents"], s["contents"],
            join(h('<li><a href="#{}">{}</a></li>', sid, name) for sid, name in sections),
        )
        fw = self.cb.framework
        body = join([
            h("<header><h1>{}</h1><p class=\"subtitle\">{}{}</p></header>", self.inp.title, fw.name,
              f" ({fw.year})" if fw.year else ""),
            toc, self.missing_note(), self.summary(), self.method(), self.table1(), self.evidence(), self.heatmaps(),
            self.sensitivity(), self.agreement(), self.limitations(), self.references(),
        ])
        csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        page = h(
            '<!DOCTYPE html>\n<html lang="{}">\n<head>\n<meta charset="utf-8">\n'
            '<meta http-equiv="Content-Security-Policy" content="{}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}\n</body>\n</html>\n",
            s["doc_lang"], csp, self.inp.title, Markup(CSS), body,
        )
        return str(page)


def render_html(inputs: ReportInputs, lang: str | None = None) -> str:
    """The report page for *inputs* (labels in *lang*, default the run's ``lang``)."""
    return _Page(inputs, lang).render()


@dataclass
class ReportResult:
    path: Path
    size: int
    n_segments: int
    n_references: int
    n_figures: int
    dimensions: list[str]
    missing: list[str]


def build_report(cfg, lang: str | None = None) -> ReportResult:
    """Read the run's stage files, render the page and write ``cfg.report_path`` atomically."""
    inputs = load_inputs(cfg)
    page = render_html(inputs, lang)
    path = write_text(cfg.report_path, page)
    return ReportResult(
        path=Path(path),
        size=len(page.encode("utf-8")),
        n_segments=len(inputs.segments),
        n_references=len(inputs.corpus),
        n_figures=len(inputs.figures),
        dimensions=list(inputs.table1["dimension"]),
        missing=list(inputs.missing),
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m revalign.report.build [PARAMS.yml]``: build the report of one run."""
    import sys

    from revalign.core import config

    args = sys.argv[1:] if argv is None else argv
    try:
        cfg = config.load(args[0] if args else "params/default.yml")
        result = build_report(cfg)
    except InputError as exc:
        print(exc.format(), file=sys.stderr)
        return 2
    print(f"{cfg.rel(result.path)}: {result.size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
