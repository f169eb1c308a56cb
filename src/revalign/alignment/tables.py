"""Table 1 for readers: Markdown, LaTeX (booktabs) and XLSX, written atomically and deterministically.

Text from the data is escaped for each format: HTML and Markdown's own characters in
Markdown, LaTeX's special characters in LaTeX, and in XLSX every text is a string cell,
never a formula, with the "quote prefix" mark on a text a spreadsheet would run as a
formula (OWASP CSV-injection guidance; SECURITY.md). Numbers stay numbers.

``presentation(table, lang)`` picks the columns a reader needs and names them in
English or Indonesian; the writers render that frame. The same table written twice
gives the same bytes: the XLSX has fixed document properties (created and modified
dates) and fixed ZIP entry timestamps.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from revalign.core.atomic import FORMULA_START, spreadsheet_text, write_bytes, write_text  # noqa: F401
from revalign.core.codebook import Codebook
from revalign.core.i18n import pick
from revalign.core.ooxml import to_xlsx_bytes

HEADERS = {
    "en": {
        "dimension_label": "Dimension",
        "level_label": "Alignment level",
        "level_label_p": "Alignment level (probability)",
        "confidence": "Confidence (GRADE-CERQual)",
        "evidence": "Evidence claims (strength / gap / mixed; sources)",
        "score": "Score",
        "key_strength": "Key strength",
        "critical_gap": "Critical gap",
        "published": "Published level",
        "match": "Reproduced",
    },
    "id": {
        "dimension_label": "Dimensi",
        "level_label": "Tingkat keselarasan",
        "level_label_p": "Tingkat keselarasan (peluang)",
        "confidence": "Keyakinan (GRADE-CERQual)",
        "evidence": "Bukti (kekuatan / kesenjangan / campuran; sumber)",
        "score": "Skor",
        "key_strength": "Bukti kekuatan utama",
        "critical_gap": "Kesenjangan/catatan kritis",
        "published": "Tingkat terbitan",
        "match": "Tereproduksi",
    },
}
YES_NO = {"en": ("yes", "no"), "id": ("ya", "tidak")}


def _evidence(row) -> str:
    return f"{row['n_strength']} / {row['n_gap']} / {row['n_mixed']}; {row['n_sources']}"


def presentation(table: pd.DataFrame, lang: str = "en", cb: Codebook | None = None) -> pd.DataFrame:
    """The reader's version of table1: labelled columns in *lang*; published level as its label."""
    h = pick(HEADERS, lang)
    out = pd.DataFrame()
    out[h["dimension_label"]] = table["dimension_label"]
    if "level_probability" in table.columns:  # "Fairly aligned (0.71)": the bootstrap probability of the level
        out[h["level_label_p"]] = [
            lab if pd.isna(p) else f"{lab} ({float(p):.2f})"
            for lab, p in zip(table["level_label"], table["level_probability"], strict=False)
        ]
    else:
        out[h["level_label"]] = table["level_label"]
    if "confidence" in table.columns and (table["confidence"].fillna("").astype(str) != "").any():
        out[h["confidence"]] = table["confidence"].fillna("")
    out[h["evidence"]] = [_evidence(r) for _, r in table.iterrows()]
    out[h["score"]] = [("" if pd.isna(v) else f"{float(v):+.2f}") for v in table["score"]]
    out[h["key_strength"]] = table["key_strength"].fillna("")
    out[h["critical_gap"]] = table["critical_gap"].fillna("")
    published = table["published_level"].fillna("").astype(str)
    if (published != "").any():
        labels = {}
        if cb is not None:
            labels = {lv.id: getattr(lv.label, lang) for lv in cb.levels}
        out[h["published"]] = [labels.get(v, v) for v in published]
        yes, no = pick(YES_NO, lang)
        out[h["match"]] = [
            "" if (pd.isna(m) or p == "") else (yes if bool(m) else no)
            for m, p in zip(table["matches_published"], published, strict=False)
        ]
    return out


# ---- Markdown ------------------------------------------------------------------------------


def _md_cell(value) -> str:
    """A cell's text for a Markdown table: HTML escaped (Markdown passes raw HTML through),
    backslashes and pipes escaped, line breaks as spaces."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = html.escape(text, quote=False)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def to_markdown(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(_md_cell(c) for c in cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for _, row in df.iterrows():
        lines.append("| " + " | ".join(_md_cell(row[c]) for c in cols) + " |")
    return "\n".join(lines) + "\n"


# ---- LaTeX ---------------------------------------------------------------------------------

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "|": r"\textbar{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIAL))


def latex_escape(text: object) -> str:
    """Escape LaTeX's special characters in *text* (one pass, so escapes are not escaped again)."""
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group(0)], text).replace("\n", " ")


def to_latex(df: pd.DataFrame, caption: str = "", label: str = "tab:alignment") -> str:
    """A booktabs table; long text columns (key strength, gap) as paragraph columns."""
    spec = []
    for c in df.columns:
        longest = df[c].astype(str).str.len().max() if len(df) else 0
        spec.append(r"p{4cm}" if longest and longest > 40 else "l")
    lines = [r"\begin{table}[htbp]", r"\centering", r"\small"]
    if caption:
        lines.append(r"\caption{" + latex_escape(caption) + "}")
    lines.append(r"\label{" + label + "}")
    lines += [r"\begin{tabular}{" + "".join(spec) + "}", r"\toprule"]
    lines.append(" & ".join(latex_escape(c) for c in df.columns) + r" \\")
    lines.append(r"\midrule")
    for _, row in df.iterrows():
        lines.append(" & ".join(latex_escape(row[c]) for c in df.columns) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"


# ---- XLSX ----------------------------------------------------------------------------------


# ---- all three -----------------------------------------------------------------------------


def write_tables(
    table: pd.DataFrame,
    processed_dir: str | Path,
    lang: str = "en",
    cb: Codebook | None = None,
    stem: str = "table1",
    caption: str = "",
) -> list[Path]:
    """Write ``stem.md``, ``stem.tex`` and ``stem.xlsx`` beside table1.csv; return their paths."""
    d = Path(processed_dir)
    df = presentation(table, lang, cb)
    paths = [
        write_text(d / f"{stem}.md", to_markdown(df)),
        write_text(d / f"{stem}.tex", to_latex(df, caption)),
        write_bytes(d / f"{stem}.xlsx", to_xlsx_bytes(df, title=caption)),
    ]
    return paths
