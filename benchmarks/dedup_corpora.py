"""Build the labelled de-duplication corpora of benchmarks/dedup_data/ from their public sources.

    python benchmarks/dedup_corpora.py --git NAME=GITDIR ... [--out benchmarks/dedup_data]

Each corpus becomes ``NAME/records.json.gz`` (CSL-JSON, gzip), ``NAME/truth_pairs.csv`` (``id1,id2``:
every pair of records that are the same work) and ``NAME/record_ids.csv`` (``ID``), the layout of
``../shared/benchmarks/dedup`` that its ``score.py`` reads. The sources are public git repositories,
read at a fixed commit with ``git show COMMIT:PATH`` (GITDIR: a clone or a bare mirror of it):

- ``bib-dedupe`` (CoLRev-Environment/bib-dedupe, MIT): the evaluation data it shipped in ``data/``
  until it moved them out (commit c66515a6, the commit ../shared/benchmarks/dedup was taken from):
  ``haematology`` (Rathbone et al. 2015, SRA data sets, osf.io/dyvnj), ``digital_work`` (Wagner
  et al. 2021) and ``special_cases`` (bib-dedupe's hand-made hard cases). Truth: ``merged_record_ids.csv``.
- ``CoLRev-curations/mis-quarterly``, ``.../information-systems-research``,
  ``.../european-journal-of-information-systems``, ``.../international-conference-on-information-systems``,
  ``.../journal-of-the-association-for-information-systems`` (added later, held out from the start):
  curated CoLRev projects; the search results (``data/search/*.bib``: Crossref, DBLP, metadata of
  the PDFs) are the records, and the ``colrev_origin`` (``origin`` in CoLRev's older format) of each
  curated record in ``data/records.bib``
  lists the search records merged into it: the truth. Only the search records of curated records
  that went through de-duplication are kept (a record still ``md_prepared`` or earlier has not
  been compared with the others yet). Record ids: ``CROSSREF_000123``, ...
- ``IEBH/dedupe-sweep`` (MIT): ``test/data/copper.xml`` and ``tafenoquine.xml``, EndNote XML
  libraries of two systematic reviews in which every duplicate copy carries the caption
  ``Duplicate`` (verified by the review teams, says its test/analysis.js). Every member of a set of
  duplicates is flagged, none says of which record; each flagged record is joined to the most
  similar other flagged one (highest rapidfuzz ratio of the lower-cased titles; ties to the same
  year, then to the most similar authors), much as bib-dedupe's data/parse.py rebuilt the groups
  of the SRA sets in ../shared/benchmarks/dedup (it searched all records with the mean of title,
  author and year similarities; here only the flagged ones, since the partner of a flagged record
  is flagged too, and the title first: a record without authors joined a paper of the same
  authors with another title by the mean).

Records keep every field a de-duplicator may use (title, authors, year, venue, volume, issue,
pages, DOI, abstract, type); nothing is corrected. Run once; the output is committed.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent

BIB_DEDUPE_COMMIT = "c66515a6537c666926b20a1b9a395632c472fb5b"
CURATIONS = {
    # name: (repository, commit: the latest whose data/records.bib is stored)
    "misq": ("CoLRev-curations/mis-quarterly", "f3cd3c52777d5bce51804ff7062c2b1914238ab7"),
    "isr": ("CoLRev-curations/information-systems-research", "55165b95ea3cfc2accd9e1609f34c975fa8f6e67"),
    "ejis": ("CoLRev-curations/european-journal-of-information-systems", "63c8819a9cb72e29a00429ffbeb02dab29ccb582"),
    "icis": (
        "CoLRev-curations/international-conference-on-information-systems",
        "78cdba9546060466f9224eecf77835fbc31bf4df",
    ),
    "jais": (
        "CoLRev-curations/journal-of-the-association-for-information-systems",
        "900589638b2c212bb093602b4df068ba60e4f5d8",
    ),
}
DEDUPE_SWEEP_COMMIT = "14ca6b6819d1a9d6e3b2a1b95ca837a3e46bacdb"

CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "incollection": "chapter",
    "inbook": "chapter",
    "book": "book",
    "proceedings": "book",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
}


def git_show(gitdir: Path, commit: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(gitdir), "show", f"{commit}:{path}"], capture_output=True, check=True
    ).stdout


def bib_names(value: str) -> list[dict]:
    """BibTeX ``author``: persons split at `` and ``; ``Family, Given`` or ``Given Family``."""
    out = []
    for person in re.split(r"\s+and\s+", value.replace("{", "").replace("}", "").strip()):
        person = " ".join(person.split())
        if not person:
            continue
        if "," in person:
            family, _, given = person.partition(",")
            out.append(
                {"family": family.strip(), "given": given.strip(" ,")}
                if given.strip(" ,")
                else {"family": family.strip()}
            )
        elif " " in person:
            given, _, family = person.rpartition(" ")
            out.append({"family": family, "given": given})
        else:
            out.append({"family": person})
    return out


def csl_item(rid: str, f: dict) -> dict:
    """One CSL-JSON item from BibTeX-like fields (missing and empty fields left out)."""

    def get(k):
        v = f.get(k)
        if v is None or (isinstance(v, float) and v != v):
            return None
        v = " ".join(str(v).replace("{", "").replace("}", "").split())
        return v or None

    item = {"id": rid, "type": CSL_TYPES.get((get("ENTRYTYPE") or "article").lower(), "document")}
    if get("title"):
        item["title"] = get("title")
    if get("author"):
        item["author"] = bib_names(get("author"))
    year = re.search(r"\d{4}", get("year") or "")
    if year:
        item["issued"] = {"date-parts": [[int(year.group())]]}
    venue = get("journal") or get("booktitle")
    if venue:
        item["container-title"] = venue
    for src, dst in (
        ("volume", "volume"),
        ("number", "issue"),
        ("pages", "page"),
        ("doi", "DOI"),
        ("abstract", "abstract"),
        ("publisher", "publisher"),
    ):
        if get(src):
            item[dst] = get(src)
    return item


def pairs_of(groups) -> list[tuple[str, str]]:
    return sorted({tuple(sorted(p)) for g in groups for p in combinations(sorted(set(g)), 2)})


def write_corpus(out: Path, name: str, items: list[dict], groups, note: str) -> None:
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    ids = [it["id"] for it in items]
    assert len(ids) == len(set(ids)), f"{name}: record ids are not unique"
    known = set(ids)
    groups = [[i for i in g if i in known] for g in groups]
    pairs = pairs_of(g for g in groups if len(g) > 1)
    text = "[\n" + ",\n".join(json.dumps(it, ensure_ascii=False, sort_keys=True) for it in items) + "\n]\n"
    with gzip.GzipFile(d / "records.json.gz", "wb", mtime=0) as fh:  # no timestamp: the same bytes every run
        fh.write(text.encode("utf-8"))
    with open(d / "truth_pairs.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id1", "id2"])
        w.writerows(pairs)
    with open(d / "record_ids.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["ID"])
        w.writerows([i] for i in ids)
    with_doi = sum(1 for it in items if it.get("DOI"))
    print(f"{name}: {len(items)} records, {len(pairs)} true pairs, {with_doi} with a DOI ({note})")


# --- bib-dedupe's evaluation data ------------------------------------------------------------------


def from_bib_dedupe(gitdir: Path, out: Path) -> None:
    import pandas as pd

    for name in ("haematology", "digital_work", "special_cases"):
        recs = pd.read_csv(
            io.BytesIO(git_show(gitdir, BIB_DEDUPE_COMMIT, f"data/{name}/records_pre_merged.csv")), dtype=str
        )
        merged = pd.read_csv(
            io.BytesIO(git_show(gitdir, BIB_DEDUPE_COMMIT, f"data/{name}/merged_record_ids.csv")), dtype=str
        )
        items = [csl_item(r["ID"], r) for r in recs.to_dict("records")]
        groups = [g.split(";") for g in merged["merged_ids"]]
        write_corpus(out, name, items, groups, f"bib-dedupe {BIB_DEDUPE_COMMIT[:7]} data/{name}")


# --- CoLRev curations ----------------------------------------------------------------------------


def bib_entries(text: str) -> list[dict]:
    import bibtexparser

    lib = bibtexparser.parse_string(text)
    out = []
    for e in lib.entries:
        f = {k.lower(): v.value for k, v in e.fields_dict.items()}
        f["ID"] = e.key
        f["ENTRYTYPE"] = e.entry_type
        out.append(f)
    return out


# CoLRev de-duplicates a record after its metadata are prepared: records still at these states
# have not been through de-duplication, so their search records are no truth either way
NOT_YET_DEDUPLICATED = {"md_retrieved", "md_imported", "md_needs_manual_preparation", "md_prepared"}


def from_curation(name: str, gitdir: Path, out: Path) -> None:
    repo, commit = CURATIONS[name]
    listing = subprocess.run(
        ["git", "-C", str(gitdir), "ls-tree", "--name-only", commit, "data/search/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    sources = sorted(p for p in listing if p.endswith(".bib"))
    items, by_origin = [], {}
    for path in sources:
        src = Path(path).stem  # CROSSREF, DBLP, pdfs
        for f in bib_entries(git_show(gitdir, commit, path).decode("utf-8")):
            rid = f"{src}_{f['ID']}"
            by_origin[f"{src}.bib/{f['ID']}"] = rid
            items.append(csl_item(rid, f))
    groups, settled, skipped = [], set(), 0
    for f in bib_entries(git_show(gitdir, commit, "data/records.bib").decode("utf-8")):
        origins = [o.strip() for o in re.split(r"[;\s]+", f.get("colrev_origin") or f.get("origin") or "") if o.strip()]
        members = [by_origin[o] for o in origins if o in by_origin]
        if (f.get("colrev_status") or f.get("status") or "").strip() in NOT_YET_DEDUPLICATED:
            skipped += len(members)
            continue
        groups.append(members)
        settled.update(members)
    items = [it for it in items if it["id"] in settled]
    write_corpus(
        out, name, items, groups,
        f"{repo} {commit[:7]}: {', '.join(Path(s).name for s in sources)}; {skipped} not yet de-duplicated left out",
    )  # fmt: skip


# --- IEBH dedupe-sweep (EndNote XML with 'Duplicate' captions) -------------------------------------


def _text(rec, path: str) -> str | None:
    el = rec.find(path)
    if el is None:
        return None
    t = " ".join("".join(el.itertext()).split())
    return t or None


def from_endnote_xml(name: str, data: bytes, out: Path) -> None:
    from rapidfuzz import fuzz

    root = ET.fromstring(data)
    items, flagged = [], []
    for n, rec in enumerate(root.iter("record"), start=1):
        rid = f"rec_{n:05d}"
        ref_type = rec.find("ref-type")
        kind = (ref_type.get("name") if ref_type is not None else "") or ""
        authors = ["".join(a.itertext()).strip() for a in rec.findall("contributors/authors/author")]
        item = {
            "id": rid,
            "type": {"Journal Article": "article-journal", "Conference Proceedings": "paper-conference",
                     "Conference Paper": "paper-conference", "Book Section": "chapter", "Book": "book",
                     "Thesis": "thesis", "Report": "report"}.get(kind, "article-journal"),
        }  # fmt: skip
        fields = {
            "title": _text(rec, "titles/title"),
            "container-title": _text(rec, "titles/secondary-title") or _text(rec, "periodical/full-title"),
            "volume": _text(rec, "volume"),
            "issue": _text(rec, "number"),
            "page": _text(rec, "pages"),
            "DOI": _text(rec, "electronic-resource-num"),
            "abstract": _text(rec, "abstract"),
        }
        item.update({k: v for k, v in fields.items() if v})
        if authors:
            item["author"] = bib_names(" and ".join(a for a in authors if a))
        year = re.search(r"\d{4}", _text(rec, "dates/year") or "")
        if year:
            item["issued"] = {"date-parts": [[int(year.group())]]}
        items.append(item)
        flagged.append(_text(rec, "caption") == "Duplicate")

    def key(it):
        return (
            (it.get("title") or "").lower(),
            " ".join(a.get("family", "") + " " + a.get("given", "") for a in it.get("author", [])).lower(),
            str(it.get("issued", {}).get("date-parts", [[""]])[0][0]),
        )

    keys = [key(it) for it in items]
    marked = [i for i, f in enumerate(flagged) if f]
    links = []
    for i in marked:
        t, a, y = keys[i]
        best = max(
            (j for j in marked if j != i),
            key=lambda j: (round(fuzz.ratio(t, keys[j][0])), y == keys[j][2], fuzz.token_set_ratio(a, keys[j][1])),
        )
        links.append((i, best))
    parent = list(range(len(items)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in links:
        parent[find(i)] = find(j)
    groups = {}
    for i in marked:
        groups.setdefault(find(i), []).append(items[i]["id"])
    write_corpus(
        out,
        name,
        items,
        groups.values(),
        f"IEBH/dedupe-sweep {DEDUPE_SWEEP_COMMIT[:7]} test/data/{name}.xml, {sum(flagged)} flagged",
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--git", action="append", default=[], metavar="NAME=GITDIR",
                    help="bib-dedupe, dedupe-sweep, misq, isr, ejis, icis, jais")  # fmt: skip
    ap.add_argument("--out", type=Path, default=HERE / "dedup_data")
    args = ap.parse_args(argv)
    gits = dict(x.split("=", 1) for x in args.git)
    for name, gitdir in gits.items():
        gitdir = Path(gitdir)
        if name == "bib-dedupe":
            from_bib_dedupe(gitdir, args.out)
        elif name == "dedupe-sweep":
            for corpus in ("copper", "tafenoquine"):
                from_endnote_xml(corpus, git_show(gitdir, DEDUPE_SWEEP_COMMIT, f"test/data/{corpus}.xml"), args.out)
        elif name in CURATIONS:
            from_curation(name, gitdir, args.out)
        else:
            sys.exit(f"error: unknown source {name!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
