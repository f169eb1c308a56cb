"""What notebook 01 calls: import the run's exports, write the stage's files, show the corpus, draw its figures.

Every word shown is in the run's language (the message catalog); the tables' data (file names,
formats, document types as the exports give them) stay as they are.

What it shows stays small whatever the size of the corpus (issue 27): a table shows its
:data:`revalign.bibliography.plots.TOP` largest rows and one row for the rest, a list its first
:data:`SHOWN_ROWS` rows and how many more the file holds. The whole corpus is in ``corpus.csv`` and in
its spreadsheet copies (``corpus_export.csv``/``.xlsx``, :mod:`revalign.core.exports`), which the
report links beside its page.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pandas as pd

from revalign.bibliography import kept, plots
from revalign.bibliography.doctypes import category_label
from revalign.bibliography.importer import ImportResult
from revalign.core.atomic import write_csv
from revalign.core.i18n import messages

if TYPE_CHECKING:
    from revalign.core.config import RunConfig
    from revalign.pipeline.stages import StageFiles

#: rows of a long list shown in the notebook (the whole list is in the file it names)
SHOWN_ROWS = 20
#: the stage's figures, in the order the notebook draws them
FIGURES = ("works_per_year", "source_types", "venues")


def run(cfg: RunConfig, out: StageFiles) -> ImportResult:
    """Read, normalise and de-duplicate the run's exports; write the corpus, the de-duplication report,
    the per-file summary and the rejects; print what was written and the import's summary."""
    _ = messages(cfg.lang)
    # the import `revalign check` made and kept for this run (make report checks first), else a fresh one
    result = kept.take(cfg) or kept.read_run_bibliography(cfg)
    per_file = result.per_file
    if not (per_file["records_read"] == per_file["parsed"] + per_file["rejected"]).all():  # pragma: no cover
        raise AssertionError("records read != parsed + rejected")  # the importer's own invariant
    outputs = {
        out["corpus.csv"]: result.records,
        out["dedup_report.csv"]: result.merges,
        out["import_summary.csv"]: result.per_file,
        out["rejects.csv"]: result.rejects,
    }
    lines = []  # one print per cell keeps the stored output stable
    for path, table in outputs.items():
        write_csv(table, path)
        lines.append(
            _.ngettext("wrote {path} ({n} row)", "wrote {path} ({n} rows)", len(table)).format(
                path=cfg.rel(path), n=len(table)
            )
        )
    # the corpus as the later stages read it (every cell as text), for a spreadsheet, which the report
    # links beside its page (revalign.core.exports), and to look up the works the report cites
    # (revalign.core.lookup)
    from revalign.core.exports import read_table, write_table
    from revalign.core.lookup import write_lookup

    corpus_text = read_table(out["corpus.csv"])
    write_table(corpus_text, out["corpus_export.csv"], out["corpus_export.xlsx"], "corpus")
    write_lookup(corpus_text, out["corpus_lookup.arrow"])
    del corpus_text
    # the corpus counted once, for the report (revalign.bibliography.summary)
    from revalign.bibliography.summary import summarise
    from revalign.core.atomic import write_json

    write_json(summarise(result.records), out["corpus_summary.json"])
    lines += ["", summary_text(result, cfg.lang)]
    lines += [f"warning: {w}" for w in result.warnings]
    print("\n".join(lines))
    return result


def summary_text(result: ImportResult, lang: str = "en") -> str:
    """Merges and rejects, then ``N records read, M unique works``, in *lang*."""
    _ = messages(lang)
    reasons = Counter(result.merges["reason"]) if len(result.merges) else Counter()
    by_doi = reasons.get("doi", 0)
    merged = _.ngettext(
        "{n} duplicate record merged ({doi} by DOI, {other} by title and other fields); "
        "{rejected} rejected, {skipped} skipped",
        "{n} duplicate records merged ({doi} by DOI, {other} by title and other fields); "
        "{rejected} rejected, {skipped} skipped",
        len(result.merges),
    ).format(
        n=len(result.merges),
        doi=by_doi,
        other=len(result.merges) - by_doi,
        rejected=int(result.per_file["rejected"].sum()),
        skipped=int(result.per_file["skipped"].sum()) if "skipped" in result.per_file else 0,
    )
    read = _.ngettext("{n} record read", "{n} records read", result.n_read).format(n=result.n_read)
    unique = _.ngettext("{n} unique work", "{n} unique works", result.n_unique).format(n=result.n_unique)
    return f"{merged}\n{read}, {unique}"


def per_file_table(result: ImportResult, lang: str = "en") -> pd.DataFrame:
    """Records read, parsed and rejected per export file, headed in *lang*."""
    _ = messages(lang)
    headers = {
        "file": _("File"),
        "format": _("Format"),
        "records_read": _("Records read"),
        "parsed": _("Parsed"),
        "rejected": _("Rejected"),
        "skipped": _("Skipped"),
    }
    return result.per_file[[c for c in headers if c in result.per_file]].rename(columns=headers)


def kinds_table(corpus: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Works by document type and by the kind of source the later stages use to judge corroboration:
    the source type where the exports give one (a field few carry), else the source category derived
    from the document type. At most :data:`revalign.bibliography.plots.TOP` document types and as
    many kinds are shown; the others are one row ("N more types") and one column."""
    _ = messages(lang)
    doc = _column(corpus, "doc_type")
    types = _column(corpus, "sourcetype")
    if (types != "").any():
        kind, header = types.mask(types == "", _("not given")), _("Source type")
        name_kind = None
    else:
        kind, header = _column(corpus, "sourcecategory"), _("Source category")
        name_kind = category_label
    table = pd.crosstab(doc, kind)
    table, n_rows_more = plots.top_rows(table)
    n_cols_more = 0
    if len(table.columns) > plots.TOP + 1:  # a few kinds keep their order; many, the largest first
        table, n_cols_more = plots.top_rows(table.T)
        table = table.T
    table.index = plots.doc_type_rows(table.index, n_rows_more, lang)
    if name_kind is not None:
        table.columns = plots.category_rows(table.columns, n_cols_more, lang)
    else:
        more = _.ngettext("{n} more type", "{n} more types", n_cols_more).format(n=n_cols_more)
        table.columns = [more if c == plots.MORE else c for c in table.columns]
    table[_("total")] = table.sum(axis=1)
    table.loc[_("total")] = table.sum()
    table.index.name, table.columns.name = _("Document type"), header
    return table


def _column(corpus: pd.DataFrame, name: str) -> pd.Series:
    if name not in corpus.columns:
        return pd.Series("", index=corpus.index, dtype=str)
    return corpus[name].astype("string").fillna("").str.strip().astype(str)


def _head(df: pd.DataFrame, lang: str) -> str:
    """*df* as text: its first :data:`SHOWN_ROWS` rows, then how many more there are."""
    _ = messages(lang)
    if df.empty:
        return _("(none)")
    text = df.head(SHOWN_ROWS).to_string(index=False)
    more = len(df) - SHOWN_ROWS
    if more > 0:
        text += "\n" + _.ngettext("... and {n} more", "... and {n} more", more).format(n=more)
    return text


def citation_audit(cfg: RunConfig, out: StageFiles, corpus: pd.DataFrame) -> str:
    """When the run names an in-text citations file: which citations the reference list lacks and which
    listed works the text never cites (``citation_audit.csv`` written); else why the audit is skipped."""
    from revalign.bibliography.citation_audit import audit, read_citations

    _ = messages(cfg.lang)
    if not cfg.params.in_text_citations:
        return _("no in_text_citations file in the parameters: citation audit skipped")
    per_citation, per_record = audit(read_citations(cfg.path(cfg.params.in_text_citations)), corpus)
    write_csv(per_citation, out["citation_audit.csv"])
    uncited = per_record[(per_record["inreflist"] == "yes") & ~per_record["cited"]]
    missing = per_citation.loc[per_citation["status"] != "in_list", ["line", "citation", "record_id", "status"]]
    return "\n".join(
        [
            _("{n} citations in the text of {works} works; status:").format(
                n=len(per_citation), works=per_citation["record_id"].nunique()
            ),
            per_citation["status"].value_counts().sort_index().to_string(),
            "",
            _("Cited in the text but not in the reference list:"),
            _head(missing, cfg.lang),
            "",
            _("In the reference list but never cited in the text:"),
            _head(uncited[["record_id", "year", "title"]], cfg.lang),
        ]
    )


def sources(corpus: pd.DataFrame) -> pd.DataFrame:
    """The works the review draws on: the corpus without the review's own record (``inreflist = self``)."""
    own = _column(corpus, "inreflist").eq("self")
    return corpus[~own.to_numpy()]


def figures(cfg: RunConfig, out: StageFiles, corpus: pd.DataFrame) -> None:
    """Draw, save (PNG and SVG) and show the corpus figures of the works the review draws on."""
    import matplotlib.pyplot as plt

    from revalign.plotting.save import save_figure

    _ = messages(cfg.lang)
    works = sources(corpus)
    draw = {
        "works_per_year": lambda: plots.works_per_year(works, cfg.lang),
        "source_types": lambda: plots.source_types(works, cfg.lang),
        "venues": lambda: plots.venues(works, top=10, lang=cfg.lang),
    }
    for name in FIGURES:
        fig = draw[name]()
        written = save_figure(fig, out.figure(name), cfg.figures_dir)
        print("\n".join(_("wrote {path}").format(path=cfg.rel(p)) for p in written))
        plt.show()


def show(*items: object) -> None:
    """Show tables (``display``) and sentences (``print``) in a notebook, in order."""
    from IPython.display import display

    for item in items:
        print(item) if isinstance(item, str) else display(item)
