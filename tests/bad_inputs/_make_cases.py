"""Write the bad-input case files of tests/bad_inputs/ (run once; the files are committed).

Kept so that the binary cases (.qdpx archives, Latin-1 and UTF-16 files, stray BOMs)
can be read and re-made: ``.venv/bin/python tests/bad_inputs/_make_cases.py``. The
eight params_* cases that predate it are not written here. Output is byte-identical
on every run (fixed ZIP timestamps).
"""

import csv
import io
import zipfile
from pathlib import Path

D = Path(__file__).resolve().parent
ROOT = D.parents[1]


def w(name, data):
    p = D / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


BIB_OK = """@article{smith2020micro,
  title = {Micro-credentials in higher education},
  author = {Smith, Ann},
  year = {2020},
  journal = {Journal of Tests},
  doi = {10.1000/abc1}
}
"""
BIB2 = """@article{lee2021badges,
  title = {Digital badges for teachers},
  author = {Lee, Kim},
  year = {2021},
  journal = {Journal of Tests}
}
"""
# --- BibTeX
w("bib_truncated.bib", BIB_OK + "\n" + "@article{lee2021badges,\n  title = {Digital badges for teach")
w("bib_latin1.bib", (BIB_OK + "\n" + BIB2.replace("Lee, Kim", "Lée, Kim")).encode("latin-1"))
w("bib_bom_middle.bib", BIB_OK.encode() + b"\n\xef\xbb\xbf" + BIB2.encode())
w("bib_binary_junk.bib", bytes(range(256)) * 2)
w("bib_empty.bib", "\n\n  \n")
w("bib_no_entries.bib", "This is a note about my references, not a BibTeX file.\nSee the attached list.\n")
# --- RIS
RIS1 = "TY  - JOUR\nTI  - Micro-credentials in higher education\nAU  - Smith, Ann\nPY  - 2020\nDO  - 10.1000/abc1\nER  - \n"
RIS2 = "TY  - JOUR\nTI  - Digital badges for teachers\nAU  - Lee, Kim\nPY  - 2021\nER  - \n"
w("ris_truncated.ris", RIS1 + "\n" + RIS2[: RIS2.index("PY")])
w("ris_utf16.ris", (RIS1 + "\n" + RIS2).encode("utf-16")[:-1])  # UTF-16 cut in the middle of its last character
w("ris_latin1.ris", (RIS1 + "\n" + RIS2.replace("Lee, Kim", "Lée, Kim")).encode("latin-1"))
w("ris_missing_er.ris", RIS1.replace("ER  - \n", "") + "\n" + RIS2)
w("ris_text_outside_record.ris", RIS1 + "\nThese are my notes about the search.\n\n" + RIS2)
# --- CSL-JSON
J1 = '  {"id": "smith2020micro", "type": "article-journal", "title": "Micro-credentials in higher education",\n   "author": [{"family": "Smith", "given": "Ann"}], "issued": {"date-parts": [[2020]]}, "DOI": "10.1000/abc1"}'
J2 = '  {"id": "lee2021badges", "type": "article-journal", "title": "Digital badges for teachers",\n   "author": [{"family": "Lee", "given": "Kim"}], "issued": {"date-parts": [[2021]]}}'
w("csljson_truncated.json", "[\n" + J1 + ",\n" + J2[:60])
w("csljson_missing_comma.json", "[\n" + J1 + "\n" + J2 + "\n]\n")
w("csljson_item_not_object.json", "[\n" + J1 + ',\n  "lee2021badges"\n]\n')
w(
    "csljson_author_not_list.json",
    "[\n" + J1 + ",\n" + J2.replace('[{"family": "Lee", "given": "Kim"}]', '"Lee, Kim"') + "\n]\n",
)
w("csljson_bom_middle.json", ("[\n" + J1 + ",\n").encode() + b"\xef\xbb\xbf" + (J2 + "\n]\n").encode())
# --- Scopus CSV
HDR = '\ufeff"Authors","Author full names","Title","Year","Source title","DOI","Document Type","EID"\n'
R1 = '"Smith A.","Smith, Ann (57190000003)","Micro-credentials in higher education","2020","Journal of Tests","10.1000/abc1","Article","2-s2.0-1"\n'
R2 = '"Lee K.","Lee, Kim (57190000004)","Digital badges for teachers","2021","Journal of Tests","","Article","2-s2.0-2"\n'
w(
    "scopus_missing_title.csv",
    HDR.replace('"Title",', "")
    + R1.replace('"Micro-credentials in higher education",', "")
    + R2.replace('"Digital badges for teachers",', ""),
)
w("scopus_ragged_row.csv", HDR + R1 + R2.replace('"Article",', '"Article","extra",'))
w("scopus_truncated.csv", HDR + R1 + R2[: R2.index("badges") + 6])
w("scopus_latin1.csv", (HDR[1:] + R1 + R2.replace("Lee, Kim", "Lée, Kim")).encode("latin-1"))
w("scopus_latin1_header.csv", '"Authors","Title","Année","Source title","EID"'.encode("latin-1"))  # no newline
w("scopus_utf16.csv", (HDR[1:] + R1 + R2.replace('"Article",', '"Article","extra",')).encode("utf-16"))  # ragged row
# --- Web of Science
W1 = "PT J\nAU Smith, A\nAF Smith, Ann\nTI Micro-credentials in higher education\nSO JOURNAL OF TESTS\nPY 2020\nDI 10.1000/abc1\nER\n"
W2 = "PT J\nAU Lee, K\nAF Lee, Kim\nTI Digital badges for teachers\nSO JOURNAL OF TESTS\nPY 2021\nER\n"
WH = "FN Clarivate Analytics Web of Science\nVR 1.0\n"
w("wos_truncated.txt", WH + W1 + "\n" + W2[: W2.index("SO")])
w("wos_latin1.txt", (WH + W1 + "\n" + W2.replace("Lee, Kim", "Lée, Kim") + "\nEF\n").encode("latin-1"))
WT = "PT\tAU\tTI\tSO\tPY\tDI\tUT\n"
w(
    "wos_tab_short_row.txt",
    WT
    + "J\tSmith, A\tMicro-credentials in higher education\tJOURNAL OF TESTS\t2020\t10.1000/abc1\tWOS:1\t\n"
    + "J\tLee, K\tDigital badges\n\tJOURNAL OF TESTS\t2021\t\tWOS:2\t\n",  # a line break inside the title
)
w("wos_junk_line.txt", WH + W1 + "\n" + W2.replace("TI Digital", "TI Digital\nbadges, a study of") + "\nEF\n")
w("wos_text_after_ef.txt", WH + W1 + "\nEF\n" + W2)
# --- codebook YAML (a small valid one, then one fault per file)
CB = (ROOT / "tests/fixtures/coding/codebook.yml").read_text(encoding="utf-8")
w("codebook_level_rank_gap.yml", CB.replace("{rank: 3, id: strong", "{rank: 4, id: strong"))
w(
    "codebook_duplicate_yaml_key.yml",
    CB.replace(
        "    phrase: strategic design\n",
        "    phrase: strategic design\n    label: {en: Strategic planning, id: Perencanaan strategis}\n",
        1,
    ),
)
w("codebook_duplicate_id.yml", CB.replace("  - id: management\n", "  - id: strategic_design\n"))
w("codebook_latin1.yml", CB.replace("Practice in Indonesia", "Práctica in Indonesia").encode("latin-1"))
w("codebook_truncated.yml", CB[: CB.index("polarity:") + 60])
w(
    "codebook_unknown_key.yml",
    CB.replace("    headline: true\n  - id: strategic_design", "    headlines: true\n  - id: strategic_design"),
)
w("codebook_bad_id.yml", CB.replace("  - id: management\n", "  - id: Management Of Programmes\n"))
# --- segments CSV (codes and keys of the real codebook and bibliography)
COLS = ["segment_id", "ref_key", "locator", "theme", "dimension", "polarity", "facet", "context", "excerpt", "coder"]
ROWS = [
    [
        "S001",
        "world2025future",
        "s1 p1",
        "challenges_evaluation",
        "improve_performance",
        "gap",
        "practice",
        "global",
        "Core skills will shift.",
        "coder-a",
    ],
    [
        "S002",
        "ruminarndkredensial",
        "s1 p2",
        "definition_theory",
        "evaluation",
        "strength",
        "concept",
        "global",
        "Short, competency-based certificates.",
        "coder-a",
    ],
    [
        "S003",
        "world2025future",
        "s1 p3",
        "challenges_evaluation",
        "improve_performance",
        "mixed",
        "practice",
        "global",
        "Employers name skill shortages.",
        "coder-a",
    ],
    [
        "S004",
        "ruminarndkredensial",
        "s2 p1",
        "definition_theory",
        "evaluation",
        "strength",
        "practice",
        "indonesia",
        "A second claim.",
        "coder-a",
    ],
]


def seg_csv(rows, cols=COLS):
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\n")
    wr.writerow(cols)
    wr.writerows(rows)
    return buf.getvalue()


def drop(col):
    i = COLS.index(col)
    return [c for c in COLS if c != col], [[v for j, v in enumerate(r) if j != i] for r in ROWS]


w("segments_missing_column.csv", seg_csv(drop("polarity")[1], drop("polarity")[0]))


def edit(i, col, value):
    rows = [list(r) for r in ROWS]
    rows[i][COLS.index(col)] = value
    return rows


w("segments_unknown_dimension.csv", seg_csv(edit(2, "dimension", "improve_performence")))
w("segments_unknown_polarity.csv", seg_csv(edit(1, "polarity", "weakness")))
w("segments_duplicate_id.csv", seg_csv(edit(3, "segment_id", "S002")))
w("segments_unknown_ref_key.csv", seg_csv(edit(3, "ref_key", "world2052future")))
w("segments_utf16.csv", seg_csv(ROWS).encode("utf-16"))
w("segments_latin1.csv", seg_csv(edit(3, "excerpt", "Pemerintah menyatakan kebijakan baru, été.")).encode("latin-1"))
t = seg_csv(ROWS)
k = t.index("S003")
w("segments_bom_middle.csv", t[:k].encode() + b"\xef\xbb\xbf" + t[k:].encode())
w(
    "segments_unclosed_quote.csv",
    seg_csv(ROWS)[:-1].rsplit(",", 2)[0] + ',"The excerpt starts a quote\nand the file ends here\n',
)
w("segments_binary_junk.csv", bytes(range(1, 256)) + b"\x00" + bytes(range(255, 0, -1)))
w("segments_empty_cell.csv", seg_csv(edit(1, "context", "")))
# --- parameter files (beyond the 8 already there)
P = "bibliography: [data/raw/bibliography/references.bib]\ncodebook: data/raw/codebook/aect2023.yml\nsegments: data/raw/coding/segments.csv\n"
w("params_duplicate_key.yml", P + "lang: en\nframework: aect2023\nlang: id\n")
w("params_latin1.yml", (P + "title: Revisión de micro-credenciales\n").encode("latin-1"))
w("params_bom_middle.yml", P.encode() + b"\xef\xbb\xbf" + b"lang: en\n")
w("params_thresholds_unordered.yml", P + "alignment:\n  mixed_share: 0.5\n  thresholds: [0.5, 0.0, -0.5]\n")
w(
    "params_wrong_type_list.yml",
    P.replace(
        "segments: data/raw/coding/segments.csv\n",
        "segments: [data/raw/coding/segments.csv, data/raw/coding/more.csv]\n",
    ),
)
w("params_not_mapping.yml", "- data/raw/bibliography/references.bib\n- data/raw/codebook/aect2023.yml\n")
w("params_align_weight_negative.yml", P + "alignment:\n  facet_weights:\n    concept: -0.5\n")


# --- .qdpx (REFI-QDA project: a ZIP holding project.qde and sources/)
def qdpx(name, files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for fname, data in files.items():
            info = zipfile.ZipInfo(fname, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    w(name, buf.getvalue())


SRC = "Mahasiswa berhak memilih hingga tiga semester pembelajaran di luar program studi.\n"


def qde(start, end, broken=False):
    x = f'''<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="bad input case" origin="hand-written">
  <Users>
    <User guid="00000000-0000-4000-8000-000000000001" name="rr"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="00000000-0000-4000-8000-000000000010" name="Improve performance" isCodable="true">
        <Description>revalign-id: component:improve_performance</Description>
      </Code>
    </Codes>
  </CodeBook>
  <Sources>
    <TextSource guid="00000000-0000-4000-8000-000000000020" name="world2025future" plainTextPath="internal://src.txt">
      <PlainTextSelection guid="00000000-0000-4000-8000-000000000030" name="s001" startPosition="{start}" endPosition="{end}" creatingUser="00000000-0000-4000-8000-000000000001">
        <Coding guid="00000000-0000-4000-8000-000000000040" creatingUser="00000000-0000-4000-8000-000000000001">
          <CodeRef targetGUID="00000000-0000-4000-8000-000000000010"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
'''
    if broken:
        x = x.replace("</Coding>\n      </PlainTextSelection>", "</Coding>\n      </PlainTextSelectio>")
    return x


w("qdpx_not_zip.qdpx", qde(0, 20))  # the project XML alone, not zipped
qdpx("qdpx_no_project.qdpx", {"sources/src.txt": SRC, "notes.txt": "exported notes\n"})
qdpx("qdpx_selection_past_end.qdpx", {"project.qde": qde(40, 400), "sources/src.txt": SRC})
qdpx("qdpx_malformed_xml.qdpx", {"project.qde": qde(0, 20, broken=True), "sources/src.txt": SRC})
qdpx("qdpx_missing_source.qdpx", {"project.qde": qde(0, 20)})
qdpx("_ok.qdpx", {"project.qde": qde(0, 20), "sources/src.txt": SRC})
ok = (D / "_ok.qdpx").read_bytes()
(D / "_ok.qdpx").unlink()
w("qdpx_truncated.qdpx", ok[: len(ok) // 2])
