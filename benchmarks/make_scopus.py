"""Write a synthetic Scopus CSV export of N records (for benchmarks/bench_import.py).

The file looks like a real Scopus "CSV" export: UTF-8 with BOM, every field quoted,
the real column names, abstracts of about 100 words ending in a copyright line, and
``Author full names`` with Scopus author ids. About 8% of the rows (``--dup-rate``)
repeat an earlier work with the DOI changed only in case or given with a
``https://doi.org/`` / ``doi:`` prefix, so a correct importer finds
``N - duplicates`` unique works (printed at the end).

    python benchmarks/make_scopus.py --n 100000 -o /tmp/scopus_100k.csv
"""

from __future__ import annotations

import argparse
import csv
import functools
import itertools
import random
import sys
from pathlib import Path

COLUMNS = [
    "Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "Volume", "Issue",
    "Art. No.", "Page start", "Page end", "Page count", "Cited by", "DOI", "Link", "Affiliations",
    "Authors with affiliations", "Abstract", "Author Keywords", "Index Keywords", "Correspondence Address",
    "Editors", "Publisher", "ISSN", "ISBN", "CODEN", "PubMed ID", "Language of Original Document",
    "Abbreviated Source Title", "Document Type", "Publication Stage", "Open Access", "Source", "EID",
]  # fmt: skip

WORDS = (
    "learning students education digital credential micro skills employability university course "
    "assessment online teachers policy framework design competency recognition quality evidence "
    "study analysis results higher vocational training lifelong badge platform curriculum outcomes "
    "survey participants data model approach findings practice institutions industry workforce "
    "technology instructional development program national indonesia stackable portable validation "
    "learners employers providers flexible modular pathways certification accreditation standards"
).split()
SURNAMES = "Smith Wang Li Garcia Müller Rahmawati Nugroho Santoso Kim Lee Pérez Oliver Brown Zhang Haryanto".split()
GIVEN = "Ann Wei José Siti Budi Jürgen Kim Beverley Agus Dewi Ana Sri Bambang Tom".split()
JOURNALS = [
    "Computers and Education",
    "Journal of Open Learning",
    "Education and Information Technologies",
    "International Journal of Educational Technology in Higher Education",
    "Jurnal Pendidikan Indonesia",
    "British Journal of Educational Technology",
    "Studies in Higher Education",
]
TYPES = ["Article"] * 7 + ["Review", "Conference Paper", "Book Chapter"]

# --- a realistic large search (``realistic=True``, benchmarks/bench_scale.py) ---------------------
# Scopus's own document types, about as often as a search over education journals returns them
SCOPUS_TYPES = {
    "Article": 700, "Review": 60, "Conference Paper": 120, "Book Chapter": 50, "Book": 10, "Editorial": 15,
    "Letter": 8, "Note": 8, "Erratum": 5, "Short Survey": 4, "Data Paper": 2, "Conference Review": 6,
    "Retracted": 1,
}  # fmt: skip
FIELDS = (
    "Education, Educational Technology, Learning Sciences, Distance Education, Higher Education, Teacher "
    "Education, Vocational Training, Computing, Information Systems, Social Sciences, Psychology, Assessment, "
    "Curriculum Studies, Policy Studies, Lifelong Learning, Digital Media, Open Learning, Workforce Development, "
    "Science Education, Adult Learning, Language Teaching, Educational Research, Management, Engineering Education"
).split(", ")
PATTERNS = ["Journal of {a}", "International Journal of {a} and {b}", "{a} Review", "Studies in {a}",
            "{a} and {b}", "Proceedings of the Conference on {a}", "Advances in {a} Research", "{a} Quarterly"]  # fmt: skip


def venue_names(n: int, rng: random.Random) -> list[str]:
    """*n* distinct journal names; about one in twenty also given in capitals or with '&' (as exports differ)."""
    names, seen, i = [], set(), 0
    while len(names) < n:
        a, b = rng.choice(FIELDS), rng.choice(FIELDS)
        name = rng.choice(PATTERNS).format(a=a, b=b) + (f" {i // 400 + 1}" if i >= 400 else "")
        i += 1
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


@functools.cache
def _venue_weights(n: int) -> list[float]:
    """Cumulative weights of *n* venues by rank, 1 / (rank + 5): a few large journals, a long tail."""
    return list(itertools.accumulate(1 / (r + 5) for r in range(n)))


def spelling(name: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.03:
        return name.upper()
    if r < 0.05:
        return name.replace(" and ", " & ")
    return name


def make_row(rng: random.Random, i: int, venues: list[str] | None = None) -> list[str]:
    n_auth = rng.randint(1, 5)
    ids = [str(57000000000 + rng.randrange(10**9)) for _ in range(n_auth)]
    fam = [rng.choice(SURNAMES) for _ in range(n_auth)]
    giv = [rng.choice(GIVEN) for _ in range(n_auth)]
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + f" {i}"
    abstract = " ".join(rng.choice(WORDS) for _ in range(rng.randint(90, 110))).capitalize() + "."
    if venues:  # years over five decades, more each year; venues with a long tail (Zipf-like)
        year = str(2025 - min(55, int(rng.expovariate(1 / 9))))
        journal = spelling(rng.choices(venues, cum_weights=_venue_weights(len(venues)))[0], rng)
    else:
        year = str(rng.randint(2005, 2025))
        journal = rng.choice(JOURNALS)
    doi = f"10.{1000 + i % 9000}/bench.{year}.{i:07d}"
    eid = f"2-s2.0-{85000000000 + i}"
    start = rng.randint(1, 400)
    return [
        "; ".join(f"{f} {g[0]}." for f, g in zip(fam, giv, strict=True)),
        "; ".join(f"{f}, {g} ({x})" for f, g, x in zip(fam, giv, ids, strict=True)),
        "; ".join(ids),
        title,
        year,
        journal,
        str(rng.randint(1, 60)),
        str(rng.randint(1, 12)),
        "",
        str(start),
        str(start + rng.randint(5, 25)),
        "",
        str(rng.randint(0, 300)),
        doi,
        f"https://www.scopus.com/inward/record.uri?eid={eid}&doi={doi.replace('/', '%2f')}&partnerID=40",
        "Universitas Indonesia, Depok, Indonesia",
        "; ".join(f"{f}, {g}, Universitas Indonesia, Depok, Indonesia" for f, g in zip(fam, giv, strict=True)),
        abstract + f" © {year} Elsevier Ltd",
        "; ".join(rng.sample(WORDS, 4)),
        "; ".join(rng.sample(WORDS, 5)),
        f"{fam[0]}, Universitas Indonesia, Depok, Indonesia; email: author{i}@example.org",
        "",
        "Elsevier Ltd",
        "03601315",
        "",
        "COMEDR",
        "",
        rng.choice(["English"] * 9 + ["Indonesian"]),
        "Comput Educ",
        rng.choices(list(SCOPUS_TYPES), weights=list(SCOPUS_TYPES.values()))[0] if venues else rng.choice(TYPES),
        "Final",
        rng.choice(["", "All Open Access; Gold Open Access"]),
        "Scopus",
        eid,
    ]


def duplicate_of(rng: random.Random, row: list[str], j: int) -> list[str]:
    dup = list(row)
    doi = row[13]
    dup[13] = rng.choice([doi.upper(), "https://doi.org/" + doi, "doi:" + doi.upper(), "https://dx.doi.org/" + doi])
    dup[33] = f"2-s2.0-{95000000000 + j}"  # a second Scopus record of the same work
    return dup


def rows(n: int, dup_rate: float = 0.08, seed: int = 1, realistic: bool = False):
    """The header, then N rows (about *dup_rate* of them second records of earlier works)."""
    rng = random.Random(seed)
    n_dup = int(round(n * dup_rate))
    n_orig = n - n_dup
    venues = venue_names(max(50, n // 12), rng) if realistic else None
    yield COLUMNS
    originals = []
    for i in range(n_orig):
        row = make_row(rng, i, venues)
        originals.append(row)
        yield row
    for j in range(n_dup):
        yield duplicate_of(rng, originals[rng.randrange(n_orig)] if j % 2 else originals[j], j)


def write(path: Path, n: int, dup_rate: float = 0.08, seed: int = 1) -> int:
    """Write N rows; returns the number of unique works."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows(n, dup_rate, seed))
    return n - int(round(n * dup_rate))


def write_exports(folder: Path, n: int, per_file: int = 20_000, seed: int = 1) -> list[Path]:
    """A realistic search of N records as Scopus exports it: CSV files of at most *per_file* records
    (Scopus's limit for a CSV export), thousands of venues, five decades, Scopus's document types;
    duplicates fall within and across files. Returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    it = rows(n, seed=seed, realistic=True)
    header = next(it)
    paths = []
    for k in range((n + per_file - 1) // per_file):
        path = folder / f"scopus_{k + 1:02d}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
            w.writerow(header)
            w.writerows(row for _, row in zip(range(per_file), it, strict=False))
        paths.append(path)
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--dup-rate", type=float, default=0.08)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path, required=True)
    a = ap.parse_args(argv)
    unique = write(a.output, a.n, a.dup_rate, a.seed)
    print(f"wrote {a.output}: {a.n} records, {unique} unique works", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
