"""UI strings (English and Indonesian) and small HTML helpers for the report.

All HTML is built with :class:`markupsafe.Markup`: ``h("<td>{}</td>", value)``
escapes *value* unless it is already Markup, so text from an input file can only
reach the page escaped.
"""

from __future__ import annotations

import hashlib
import math
import re

from markupsafe import Markup, escape

STRINGS = {
    "en": {
        "doc_lang": "en",
        "contents": "Contents",
        "summary": "Summary of findings",
        "method": "Method",
        "parameters": "Parameters of this run",
        "corpus": "Corpus and screening",
        "prisma": "PRISMA 2020 counts",
        "codebook": "Codebook",
        "coding_rules": "Coding rules",
        "rule": "The alignment rule",
        "table1": "Table 1. Alignment of the evidence with the framework",
        "table1_short": "Table 1",
        "evidence": "Evidence by dimension",
        "heatmaps": "Heatmaps",
        "sensitivity": "Sensitivity",
        "leave_one_out": "Leave one source out",
        "agreement": "Vocabulary check",
        "limitations": "Limitations",
        "references": "References",
        "dimension": "Dimension",
        "level": "Level",
        "n_strength": "Strengths",
        "n_gap": "Gaps",
        "n_sources": "Sources",
        "published_level": "Published level",
        "level_probability": "Probability of the level (bootstrap over sources)",
        "confidence": "Confidence (GRADE-CERQual)",
        "matches": "Matches",
        "key_strength": "Key strength",
        "critical_gap": "Critical gap",
        "citations": "Citations",
        "yes": "yes",
        "no": "no",
        "none": "none",
        "not_available": "not available",
        "parameter": "Parameter",
        "value": "Value",
        "count": "Count",
        "component": "Component",
        "phrase": "Phrase of the definition",
        "description": "Description",
        "headline": "In Table 1",
        "segments": "Coded segments",
        "themes": "Themes",
        "levels": "Alignment levels",
        "definition": "Definition",
        "polarity": "Polarity",
        "facet": "Facet",
        "context": "Context",
        "theme": "Theme",
        "coder": "coder",
        "locator": "in the review",
        "no_evidence": "No evidence coded here.",
        "own_synthesis": "the review's own synthesis (not cited evidence)",
        "cited": "cited",
        "synthesis": "the review's own synthesis",
        "used_by": "Evidence",
        "not_used": "not used as coded evidence",
        "not_in_reflist": "named in the review's method section but absent from its reference list",
        "review_itself": "the reviewed paper itself",
        "other_components": "Other components of the framework",
        "missing_inputs": "Not available in this run",
        "missing_inputs_note": "These optional inputs were missing when the report was built; their sections are shorter.",
        "figure": "Figure",
        "back_to_table": "back to Table 1",
        "sourcetype": "Source type",
        "inreflist": "In reference list",
        "works": "works",
        "decision": "Screening decision",
        "replication": "The rule reproduces {n} of {m} published levels.",
        "replication_none": "No published table was given, so there is no replication check.",
        "summary_intro": (
            "This report turns the coded evidence of a literature review into an alignment table. "
            "{n_seg} coded segments from {n_src} sources (of {n_works} works in the corpus) were coded against "
            "{n_comp} components of the {framework}; {n_self} segments are the review's own synthesis and are "
            "kept apart from cited evidence. The headline dimensions come out as follows."
        ),
        "summary_item": "{n_strength} strengths, {n_gap} gaps, {n_sources} sources",
        "summary_audit": (
            "Every cell of Table 1 links to the evidence behind it; every piece of evidence links to its "
            "reference and names where it stands in the review; every reference lists the evidence that uses it."
        ),
        "method_intro": (
            "The pipeline runs in five stages: import and de-duplicate the bibliography, screen it, validate the "
            "coded segments against the codebook and the bibliography, apply the alignment rule, and build this "
            "report. All inputs are named by the parameter file below."
        ),
        "coding_text": (
            "Each claim of the review that is backed by a citation is one coded segment: the cited source, where the "
            "claim stands in the review (its locator), a theme, a framework component (dimension), a polarity, a "
            "facet and a context. A claim that bears on two components is two segments. Statements of the review's "
            "own synthesis that cite nothing are coded with the review itself as their source and are counted apart."
        ),
        "rule_text": (
            "One rule, fixed in a protocol before it was run (docs/protocol.md), the same for every dimension, turns "
            "the cited evidence of a dimension into one of the ordinal levels below. The unit is a claim; where the "
            "codebook defines its levels by parts (concept and practice evidence), each part is graded from its share "
            "of strengths and the level follows from the two grades. Each level carries its probability under a "
            "bootstrap over the cited sources and a GRADE-CERQual confidence rating. The published levels are never "
            "read back into the result. The parameters of this run:"
        ),
        "rule_default": "the rule's defaults (no thresholds set in the parameter file)",
        "sensitivity_text": (
            "The rule's parameters were swept over a grid; the table gives, per dimension, the share of settings "
            "that yield each level."
        ),
        "loo_text": "Each source was removed in turn; the table lists removals that change a level.",
        "agreement_text": (
            "How far the codebook's indicator terms alone reproduce the human coding (a keyword matcher that reads "
            "the coder's paraphrases). This checks the vocabulary; it is not a second coder and not a measure of "
            "reliability."
        ),
        "lim_single_coder": "The evidence was coded by one coder ({coders}); no second human coding was reconciled.",
        "lim_coders": "The evidence was coded by {n} coders ({coders}).",
        "lim_self": "{n} segments rest on the review's own synthesis rather than on a cited source.",
        "lim_not_in_list": "{n} works named by the review are absent from its reference list: {keys}.",
        "lim_single_source": "{dims}: the evidence rests on a single source.",
        "lim_mismatch": "The rule does not reproduce the published level of: {dims}.",
        "lim_paraphrase": (
            "Excerpts are short paraphrases of the review's claims, not quotations; a reader should check the "
            "locator in the review before relying on one."
        ),
        "lim_missing": "Some optional inputs were not available: {names}.",
        "fig": {
            "key_statistics": "Key statistics quoted by the review, by source.",
            "works_per_year": "Works in the corpus per year, by source type.",
            "source_types": "Source types of the corpus.",
            "venues": "Venues of the corpus.",
            "prisma_flow": "PRISMA 2020 flow diagram of this run.",
            "alignment_heatmap": "Alignment level of each headline dimension, with its strength and gap evidence by facet.",
            "coverage_heatmap": "Coverage of every component of the framework by the reviewed evidence.",
            "evidence_gap_map": "Evidence gap map: dimension by source, cell coloured by polarity.",
            "theme_dimension_heatmap": "Coded segments by theme and dimension.",
            "evidence_map": "Evidence map: which source supports or contradicts which dimension.",
            "sourcetype_dimension": "Segments by source type and dimension (triangulation).",
            "sensitivity": "Share of rule settings that give each level, per dimension.",
            "autocoder_confusion": "Human coding against the vocabulary check (keyword matcher).",
        },
    },
    "id": {
        "doc_lang": "id",
        "contents": "Daftar isi",
        "summary": "Ringkasan temuan",
        "method": "Metode",
        "parameters": "Parameter analisis ini",
        "corpus": "Korpus dan penyaringan",
        "prisma": "Hitungan PRISMA 2020",
        "codebook": "Buku kode",
        "coding_rules": "Aturan pengodean",
        "rule": "Aturan keselarasan",
        "table1": "Tabel 1. Keselarasan bukti dengan kerangka",
        "table1_short": "Tabel 1",
        "evidence": "Bukti per dimensi",
        "heatmaps": "Peta panas",
        "sensitivity": "Sensitivitas",
        "leave_one_out": "Menghapus satu sumber",
        "agreement": "Pemeriksaan kosakata",
        "limitations": "Keterbatasan",
        "references": "Pustaka acuan",
        "dimension": "Dimensi",
        "level": "Tingkat",
        "n_strength": "Kekuatan",
        "n_gap": "Kesenjangan",
        "n_sources": "Sumber",
        "published_level": "Tingkat terbitan",
        "level_probability": "Peluang tingkat (bootstrap atas sumber)",
        "confidence": "Keyakinan (GRADE-CERQual)",
        "matches": "Sesuai",
        "key_strength": "Kekuatan utama",
        "critical_gap": "Kesenjangan kritis",
        "citations": "Sitasi",
        "yes": "ya",
        "no": "tidak",
        "none": "tidak ada",
        "not_available": "tidak tersedia",
        "parameter": "Parameter",
        "value": "Nilai",
        "count": "Jumlah",
        "component": "Komponen",
        "phrase": "Frasa definisi",
        "description": "Deskripsi",
        "headline": "Di Tabel 1",
        "segments": "Segmen terkode",
        "themes": "Tema",
        "levels": "Tingkat keselarasan",
        "definition": "Definisi",
        "polarity": "Polaritas",
        "facet": "Aspek",
        "context": "Konteks",
        "theme": "Tema",
        "coder": "pengode",
        "locator": "dalam kajian",
        "no_evidence": "Tidak ada bukti terkode di sini.",
        "own_synthesis": "sintesis kajian sendiri (bukan bukti yang disitasi)",
        "cited": "disitasi",
        "synthesis": "sintesis kajian sendiri",
        "used_by": "Bukti",
        "not_used": "tidak dipakai sebagai bukti terkode",
        "not_in_reflist": "disebut di bagian metode kajian tetapi tidak ada di daftar pustakanya",
        "review_itself": "makalah yang dikaji",
        "other_components": "Komponen lain dari kerangka",
        "missing_inputs": "Tidak tersedia pada analisis ini",
        "missing_inputs_note": "Masukan opsional ini tidak ada saat laporan dibuat; bagiannya menjadi lebih singkat.",
        "figure": "Gambar",
        "back_to_table": "kembali ke Tabel 1",
        "sourcetype": "Jenis sumber",
        "inreflist": "Di daftar pustaka",
        "works": "karya",
        "decision": "Keputusan penyaringan",
        "replication": "Aturan ini mereproduksi {n} dari {m} tingkat terbitan.",
        "replication_none": "Tidak ada tabel terbitan, sehingga tidak ada pemeriksaan replikasi.",
        "summary_intro": (
            "Laporan ini mengubah bukti terkode dari sebuah kajian pustaka menjadi tabel keselarasan. "
            "{n_seg} segmen terkode dari {n_src} sumber (dari {n_works} karya dalam korpus) dikodekan terhadap "
            "{n_comp} komponen {framework}; {n_self} segmen merupakan sintesis kajian sendiri dan dipisahkan dari "
            "bukti yang disitasi. Hasil untuk dimensi utama adalah sebagai berikut."
        ),
        "summary_item": "{n_strength} kekuatan, {n_gap} kesenjangan, {n_sources} sumber",
        "summary_audit": (
            "Setiap sel Tabel 1 tertaut ke bukti di baliknya; setiap bukti tertaut ke rujukannya dan menyebut "
            "letaknya dalam kajian; setiap rujukan mencantumkan bukti yang memakainya."
        ),
        "method_intro": (
            "Alur kerja terdiri atas lima tahap: mengimpor dan menghapus duplikat bibliografi, menyaringnya, "
            "memvalidasi segmen terkode terhadap buku kode dan bibliografi, menerapkan aturan keselarasan, dan "
            "menyusun laporan ini. Semua masukan disebut dalam berkas parameter di bawah."
        ),
        "coding_text": (
            "Setiap klaim kajian yang didukung sitasi menjadi satu segmen terkode: sumber yang disitasi, letak klaim "
            "dalam kajian (lokator), tema, komponen kerangka (dimensi), polaritas, aspek, dan konteks. Klaim yang "
            "menyangkut dua komponen menjadi dua segmen. Pernyataan sintesis kajian sendiri tanpa sitasi dikodekan "
            "dengan kajian itu sebagai sumbernya dan dihitung terpisah."
        ),
        "rule_text": (
            "Satu aturan, ditetapkan dalam protokol sebelum dijalankan (docs/protocol.md), sama untuk setiap dimensi, "
            "mengubah bukti yang dikutip menjadi salah satu tingkat ordinal di bawah. Unitnya adalah klaim; bila buku "
            "kode mendefinisikan tingkat per bagian (bukti konsep dan praktik), setiap bagian dinilai dari proporsi "
            "kekuatannya dan tingkat mengikuti kedua nilai itu. Setiap tingkat disertai peluangnya menurut bootstrap "
            "atas sumber yang dikutip dan peringkat keyakinan GRADE-CERQual. Tingkat terbitan tidak pernah dipakai "
            "untuk menentukan hasil. Parameter analisis ini:"
        ),
        "rule_default": "nilai bawaan aturan (tidak ada ambang dalam berkas parameter)",
        "sensitivity_text": (
            "Parameter aturan divariasikan pada sebuah kisi; tabel memberikan, per dimensi, proporsi pengaturan "
            "yang menghasilkan setiap tingkat."
        ),
        "loo_text": "Setiap sumber dihapus bergantian; tabel mencantumkan penghapusan yang mengubah tingkat.",
        "agreement_text": (
            "Sejauh mana istilah indikator buku kode saja mereproduksi pengodean manusia (pencocok kata kunci yang "
            "membaca parafrase pengode). Ini memeriksa kosakata; bukan pengode kedua dan bukan ukuran reliabilitas."
        ),
        "lim_single_coder": "Bukti dikodekan oleh satu pengode ({coders}); belum ada pengodean manusia kedua yang direkonsiliasi.",
        "lim_coders": "Bukti dikodekan oleh {n} pengode ({coders}).",
        "lim_self": "{n} segmen bersandar pada sintesis kajian sendiri, bukan pada sumber yang disitasi.",
        "lim_not_in_list": "{n} karya yang disebut kajian tidak ada di daftar pustakanya: {keys}.",
        "lim_single_source": "{dims}: buktinya bersandar pada satu sumber saja.",
        "lim_mismatch": "Aturan ini tidak mereproduksi tingkat terbitan untuk: {dims}.",
        "lim_paraphrase": (
            "Kutipan berupa parafrase singkat atas klaim kajian, bukan kutipan langsung; pembaca sebaiknya "
            "memeriksa lokatornya dalam kajian sebelum mengandalkannya."
        ),
        "lim_missing": "Beberapa masukan opsional tidak tersedia: {names}.",
        "fig": {
            "key_statistics": "Statistik utama yang dikutip kajian, per sumber.",
            "works_per_year": "Karya dalam korpus per tahun, menurut jenis sumber.",
            "source_types": "Jenis sumber dalam korpus.",
            "venues": "Tempat terbit dalam korpus.",
            "prisma_flow": "Diagram alir PRISMA 2020 analisis ini.",
            "alignment_heatmap": "Tingkat keselarasan setiap dimensi utama, dengan bukti kekuatan dan kesenjangan per aspek.",
            "coverage_heatmap": "Cakupan setiap komponen kerangka oleh bukti yang dikaji.",
            "evidence_gap_map": "Peta kesenjangan bukti: dimensi per sumber, warna sel menurut polaritas.",
            "theme_dimension_heatmap": "Segmen terkode menurut tema dan dimensi.",
            "evidence_map": "Peta bukti: sumber mana yang mendukung atau membantah dimensi mana.",
            "sourcetype_dimension": "Segmen menurut jenis sumber dan dimensi (triangulasi).",
            "sensitivity": "Proporsi pengaturan aturan yang menghasilkan setiap tingkat, per dimensi.",
            "autocoder_confusion": "Pengodean manusia terhadap pemeriksaan kosakata (pencocok kata kunci).",
        },
    },
}

CSS = """
:root { --ink:#1a1a1a; --muted:#555; --rule:#ccc; --accent:#0072B2; }
* { box-sizing: border-box; }
body { font-family: Georgia, "Times New Roman", serif; color: var(--ink); line-height: 1.5;
  max-width: 62rem; margin: 0 auto; padding: 1.5rem 2rem 4rem; font-size: 16px; background: #fff; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
h4 { font-size: 1rem; margin: 1.1rem 0 0.3rem; }
h5 { font-size: 0.95rem; font-style: italic; font-weight: normal; margin: 0.6rem 0 0.2rem; }
p.subtitle { color: var(--muted); margin-top: 0; }
a { color: var(--accent); }
nav.toc { background: #f6f6f6; border: 1px solid #e2e2e2; padding: 0.6rem 1rem; font-size: 0.92rem; }
nav.toc ol { margin: 0.2rem 0; padding-left: 1.4rem; columns: 2; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.9rem; width: 100%; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); padding: 0.3rem 0.45rem;
  text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #888; font-family: Helvetica, Arial, sans-serif; font-size: 0.85rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.level { font-weight: bold; font-family: Helvetica, Arial, sans-serif; font-size: 0.85rem; }
td.level a { color: inherit; }
table.table1 td.prose { font-size: 0.84rem; min-width: 14rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border: 1px solid #888; vertical-align: middle;
  margin-right: 0.3rem; }
figure { margin: 1rem 0 1.4rem; text-align: center; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.88rem; color: var(--muted); text-align: left; margin-top: 0.3rem; }
ul.evidence { list-style: none; padding-left: 0; margin: 0.2rem 0 0.6rem; }
ul.evidence li { border-left: 3px solid var(--rule); padding: 0.15rem 0 0.15rem 0.6rem; margin-bottom: 0.35rem; }
ul.evidence li.pol-strength { border-left-color: #0072B2; }
ul.evidence li.pol-gap { border-left-color: #D55E00; }
ul.evidence li.pol-mixed { border-left-color: #999999; }
ul.evidence li:target, ol.references li:target { background: #fff6d5; }
.meta { color: var(--muted); font-size: 0.85rem; font-family: Helvetica, Arial, sans-serif; }
.tag { display: inline-block; border: 1px solid #ddd; border-radius: 3px; padding: 0 0.3rem; margin-right: 0.2rem;
  font-size: 0.78rem; color: #333; background: #fafafa; }
.tag.self { background: #fff0e0; border-color: #e6b98a; }
ol.references { list-style: none; padding-left: 0; }
ol.references li { padding-left: 2em; text-indent: -2em; margin-bottom: 0.55rem; }
ol.references .backlinks { display: block; text-indent: 0; font-size: 0.82rem; color: var(--muted);
  font-family: Helvetica, Arial, sans-serif; }
blockquote { margin: 0.6rem 1.5rem; font-style: italic; color: #333; }
.note { background: #fff8e5; border: 1px solid #f0d890; padding: 0.5rem 0.8rem; font-size: 0.92rem; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; font-size: 0.92rem; }
dl.kv dt { font-weight: bold; }
dl.kv dd { margin: 0; }
@media print { nav.toc { display: none; } body { max-width: none; } a { color: inherit; text-decoration: none; } }
"""


def h(template: str, *args, **kwargs) -> Markup:
    """Format *template* (trusted markup) with *args* escaped."""
    return Markup(template).format(*args, **kwargs)


def join(parts, sep: str = "") -> Markup:
    return Markup(sep).join(parts)


_SAFE_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")


def anchor(prefix: str, value) -> str:
    """A stable, URL-safe element id for *value* (used for both id= and href=#)."""
    text = str(value)
    if _SAFE_ID.match(text):
        return f"{prefix}-{text}"
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:40]
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{slug}-{digest}" if slug else f"{prefix}-{digest}"


def fmt_value(value) -> str:
    """A cell value as display text: ints without .0, floats to 3 decimals, missing as ''."""
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


def flatten(data, prefix: str = "") -> list[tuple[str, object]]:
    """A nested dict/list as (dotted key, leaf value) rows, in the input's order."""
    rows: list[tuple[str, object]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            rows += flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list) and any(isinstance(v, (dict, list)) for v in data):
        for i, value in enumerate(data):
            rows += flatten(value, f"{prefix}[{i}]")
    else:
        rows.append((prefix, data))
    return rows


def escape_text(value) -> Markup:
    return escape(fmt_value(value))
