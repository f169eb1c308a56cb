"""Run bib-dedupe (installed in a separate environment) on one benchmark corpus.

    BDVENV/bin/python benchmarks/_bib_dedupe_child.py records.json OUT.csv

Reads the CSL-JSON records, maps them to bib-dedupe's columns (ID, ENTRYTYPE from the CSL type,
title, author "Family, Given and ...", year, journal or booktitle, volume, number, pages, doi,
abstract),
runs prep -> block -> match -> cluster, and writes one row per work with an ``origins``
column (``KEY; KEY``), the form score.py reads. Prints the seconds spent in bib-dedupe.
Not imported by revalign: bib-dedupe is a measuring stick, not a dependency.
"""

import json
import sys
import time

import pandas as pd

# CSL type -> BibTeX entry type, and whether the container is a booktitle (bib-dedupe takes the
# container of an inproceedings/inbook from booktitle, of a book from its title, and has rules of its
# own for inproceedings); any other type goes in as an article in a journal, its venue kept
ENTRYTYPES = {
    "paper-conference": ("inproceedings", "booktitle"),
    "chapter": ("inbook", "booktitle"),
    "book": ("book", "journal"),
}


def main(src, out):
    with open(src, encoding="utf-8") as f:
        items = json.load(f)
    rows = []
    for it in items:
        names = [
            ", ".join(x for x in (a.get("family") or a.get("literal"), a.get("given")) if x)
            for a in it.get("author") or []
        ]
        issued = (it.get("issued") or {}).get("date-parts") or [[""]]
        entrytype, container = ENTRYTYPES.get(it.get("type"), ("article", "journal"))
        rows.append(
            {
                "ID": str(it["id"]),
                "ENTRYTYPE": entrytype,
                "title": it.get("title", ""),
                "author": " and ".join(names),
                "year": str(issued[0][0]) if issued and issued[0] else "",
                "journal": it.get("container-title", "") if container == "journal" else "",
                "booktitle": it.get("container-title", "") if container == "booktitle" else "",
                "volume": it.get("volume", ""),
                "number": it.get("issue", ""),
                "pages": it.get("page", ""),
                "doi": it.get("DOI", ""),
                "abstract": it.get("abstract", ""),
            }
        )
    df = pd.DataFrame(rows)
    t = time.perf_counter()
    from bib_dedupe.bib_dedupe import block, cluster, match, prep

    prepped = prep(df, verbosity_level=0)
    pairs = block(prepped, verbosity_level=0)
    matched = match(pairs, verbosity_level=0)
    groups = cluster(matched, verbosity_level=0)
    seconds = time.perf_counter() - t
    seen = set()
    out_rows = []
    for g in groups:
        g = sorted(g)
        seen.update(g)
        out_rows.append({"record_id": g[0], "origins": "; ".join(g)})
    for i in df["ID"]:
        if i not in seen:
            out_rows.append({"record_id": i, "origins": i})
    pd.DataFrame(out_rows).to_csv(out, index=False)
    print(json.dumps({"dedup_seconds": seconds}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
