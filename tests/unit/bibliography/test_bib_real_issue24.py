"""Real exports for the defect classes of issue 24 (tests/fixtures/bib/real/, provenance in
tests/fixtures/README.md).

Each expected value was read off the fixture by eye (the line is quoted in a comment), never
taken from the code's output; each test failed on the code before the fix it names.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from revalign.bibliography.importer import read_bibliography, read_file
from revalign.core.errors import InputError

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "bib" / "real"


def _by(df, column):
    return {row[column]: row for row in df.to_dict("records")}


# ----------------------------------------------------------------------------------
# class 2: author names split by the structure each format gives


def test_pubmed_csv_initials_keep_no_closing_period():
    # "Griffin DK, Larkin DM, O'Connor RE." : the period closes the list, it is not an initial's
    res = read_bibliography(REAL / "pubmed_csv_baseline.csv")
    r = _by(res.records, "doi")["10.1016/j.ejmg.2019.03.004"]
    assert r["authors"] == "Griffin, DK; Larkin, DM; O'Connor, RE"


def test_wos_af_without_comma_falls_back_to_au():
    # record of 2018: "AU Wang, CY" ... / "AF Wang Chen-Yang" ...: AF has no comma, AU says which is the family
    # record of 2019: "AF Mamede Veloso, Sirley Raiane": AF with its comma is the fuller form
    res = read_bibliography(REAL / "wos_af_without_comma.txt")
    recs = _by(res.records, "year")
    assert recs[2018]["authors"] == "Wang, CY; Yang, W; Zhang, K; Chen, HH; Zhao, GG; Wang, YY"
    assert recs[2019]["authors"].startswith("Mamede Veloso, Sirley Raiane; Araujo Lemos, Cleidiel Aparecido")


def test_springer_run_together_names_with_hyphenated_given_names():
    # "Chun-Tao HongDe-Hao ChenYu-Bei ChenWen-Guang ChenWei-Min ZhengHai-Bo Lin"
    res = read_bibliography(REAL / "springer_hyphenated_given.csv")
    recs = _by(res.records, "doi")
    assert recs["10.1007/s11390-012-1205-4"]["authors"] == (
        "Hong, Chun-Tao; Chen, De-Hao; Chen, Yu-Bei; Chen, Wen-Guang; Zheng, Wei-Min; Lin, Hai-Bo"
    )
    # "Denisa-Andreea ConstantinescuAngeles NavarroFrancisco CorberaJuan-Antonio Fernández-MadrigalRafael Asenjo"
    assert recs["10.1007/s11227-020-03257-3"]["authors"] == (
        "Constantinescu, Denisa-Andreea; Navarro, Angeles; Corbera, Francisco; "
        "Fernández-Madrigal, Juan-Antonio; Asenjo, Rafael"
    )


def test_suffixes_jr_and_ii_are_not_part_of_the_family_name():
    # Web of Science BibTeX: "Author = {Klimo, Jr., Paul and Michael, II, L. Madison and ..."
    res = read_bibliography(REAL / "wos_bibtex_suffix_jr.bib")
    assert res.records["authors"].iloc[0].startswith("Klimo, Paul, Jr.; Michael, L. Madison, II; Venable, Garrett T.")
    # Scopus BibTeX: "author = {Carmone Jr., Frank J. and Kara, Ali ..." (key "Carmone Jr.1997538")
    res = read_bibliography(REAL / "scopus_bibtex_key_space_jr.bib")
    assert res.records["authors"].iloc[0] == "Carmone, Frank J., Jr.; Kara, Ali; Zanakis, Stelios H."
    # Scopus BibTeX with affiliation letters: "author={Price, J.H.a  and Jeffrey Jr., J.D.b },"
    res = read_bibliography(REAL / "scopus_bibtex_affil_jr.bib")
    assert _by(res.records, "record_id")["Price2006123"]["authors"] == "Price, J.H.; Jeffrey, J.D., Jr."


# ----------------------------------------------------------------------------------
# class 1: Embase CSV, the layout since 2023 and "CSV - fields by row"


def test_embase_csv_current_layout_reads_year_doi_and_pages_from_their_columns():
    # embase_csv_2024.csv: a "SEARCH QUERY" preamble, then "Publication Year", "DOI", "First Page" columns;
    # row 3: "Pol D., Baiano M.A., Černý D., ..." ... "2024" ... "40","3","307","356" ... "10.1111/cla.12583"
    res = read_bibliography(REAL / "embase_csv_2024.csv")
    r = _by(res.records, "doi")["10.1111/cla.12583"]
    assert (r["year"], r["volume"], r["issue"], r["pages"]) == (2024, "40", "3", "307-356")
    assert r["authors"].startswith("Pol, D.; Baiano, M.A.; Černý, D.")
    assert r["source_title"] == "Cladistics : the international journal of the Willi Hennig Society"
    # row 1 has no First Page: "Nature Communications (2024) 15:1 Article Number: 4063"
    assert _by(res.records, "doi")["10.1038/s41467-024-48400-3"]["pages"] == "4063"
    assert res.n_read == 3 and len(res.rejects) == 0


def test_embase_csv_fields_by_row():
    # "TITLE","Multiplexed detection ..." / "AUTHOR NAMES","Kamariza M.","McMahon K.",... / "PUBLICATION YEAR","2026"
    # / "VOLUME","17" / "ISSUE","1" / "DOI","10.1038/s41467-025-66243-4"
    res = read_bibliography(REAL / "embase_fields_by_row.csv")
    assert res.per_file["format"].tolist() == ["embase_rows"] and res.n_read == 2
    r = _by(res.records, "doi")["10.1038/s41467-025-66243-4"]
    assert r["title"] == "Multiplexed detection of febrile infections using CARMEN"
    assert r["authors"].startswith("Kamariza, M.; McMahon, K.; Kim, L.; Welch, N.L.")
    assert (r["year"], r["volume"], r["issue"], r["source_title"]) == (2026, "17", "1", "Nature Communications")


# ----------------------------------------------------------------------------------
# class 3: one character or entry never refuses a whole file
#
# The real files named in issue 24 (a ResearchRabbit RIS with U+FEFF in a name, a Scopus BibTeX with
# one stray brace, a Scopus key with a comma) were not found in public repositories; these tests put
# that one defect into a copy of a real export of the same program and check that every other record
# is read exactly as from the untouched file.


def _inject(tmp_path, name: str, old: bytes, new: bytes) -> Path:
    data = (REAL / name).read_bytes()
    assert data.count(old) == 1
    out = tmp_path / name
    out.write_bytes(data.replace(old, new))
    return out


def test_zero_width_no_break_space_inside_an_author_name(tmp_path):
    # lens_ris.ris record 2: "AU  - McLauchlan, James" / "AU  - Browne, Matthew"; U+FEFF put before "Browne"
    old = b"AU  - McLauchlan, James\r\nAU  - Browne, Matthew\r\n"
    f = _inject(tmp_path, "lens_ris.ris", old, old.replace(b"- Browne", "- \ufeffBrowne".encode()))
    res = read_bibliography(f)
    assert res.n_read == 3
    assert _by(res.records, "doi")["10.4309/jgi.2020.44.6"]["authors"].startswith(
        "McLauchlan, James; Browne, Matthew; Russell, Alex M. T."
    )
    lines = (REAL / "lens_ris.ris").read_bytes().split(b"\r\n")
    line = lines.index(b"AU  - McLauchlan, James") + 2
    assert f"{f}:{line}: removed U+FEFF (zero width no-break space) from the record on this line" in res.warnings
    with pytest.raises(InputError, match=r"byte-order mark \(U\+FEFF\) in the middle"):
        read_bibliography(f, strict=True)


def test_unbalanced_brace_in_one_scopus_abstract_and_a_key_with_a_comma(tmp_path):
    # scopus_bibtex_three.bib: three entries written one field per line, as Scopus does
    data = (REAL / "scopus_bibtex_three.bib").read_bytes()
    f = tmp_path / "scopus.bib"
    abstract_start = data.index(b"abstract={", data.index(b"@ARTICLE", 10)) + len(b"abstract={")
    f.write_bytes(data[:abstract_start] + b"{" + data[abstract_start:])  # one stray brace in entry 2's abstract
    res = read_bibliography(f)
    assert res.n_read == 3 and len(res.rejects) == 0
    assert sorted(res.records["doi"]) == [
        "10.1016/j.ejor.2021.05.017",
        "10.1016/j.jngse.2021.104318",
        "10.1111/itor.13037",
    ]
    assert any("unbalanced braces in abstract" in w for w in res.warnings)
    # a key with a comma, as Scopus writes for some entries ("Kenny20103,17")
    key_at = data.index(b"{", data.index(b"@ARTICLE", 10)) + 1
    key_end = data.index(b",", key_at)
    g = tmp_path / "key.bib"
    g.write_bytes(data[:key_at] + b"Kenny20103,17" + data[key_end:])
    res = read_bibliography(g)
    assert res.n_read == 3 and "Kenny20103,17" in set(res.records["record_id"])
    with pytest.raises(InputError, match="holds a comma"):
        read_bibliography(g, strict=True)


def test_cr_only_line_ends_give_the_right_line(tmp_path):
    # wos_ris_cr_only.ris (Web of Science RIS kept by ASySD) ends its lines with CR alone; a Latin-1 byte put into
    # record 2's title must be reported on its own line, not on line 1
    data = (REAL / "wos_ris_cr_only.ris").read_bytes()
    at = data.index(b"TI  - ", data.index(b"TY  - ", 10))
    f = tmp_path / "cr.ris"
    f.write_bytes(data[: at + 6] + b"\xe9" + data[at + 6 :])
    line = data[:at].count(b"\r") - data[:at].count(b"\r\n") + data[:at].count(b"\n") + 1
    with pytest.raises(InputError) as exc:
        read_bibliography(f)
    assert exc.value.line == line and line > 1


# ----------------------------------------------------------------------------------
# class 4: Mendeley's repeated keys


def test_repeated_key_next_to_existing_suffixed_keys_does_not_crash(tmp_path):
    # zotero_test_bibtex_mendeley.bib (Zotero's BibTeX translator tests, Mendeley's file fields): the entry
    # "mendeleyFilePaths1" given three times and a real "mendeleyFilePaths1b" after them, as a Mendeley library
    # with a repeated key next to its own a-e suffixes has (issue 24: KeyError 'Huang1992e')
    text = (REAL / "zotero_test_bibtex_mendeley.bib").read_text(encoding="utf-8")
    start = text.index("@article{mendeleyFilePaths1,")
    entry = text[start : text.index("@article{mendeleyFilePaths2,")]
    f = tmp_path / "mendeley.bib"
    f.write_text(
        text + entry + entry + entry.replace("{mendeleyFilePaths1,", "{mendeleyFilePaths1b,"), encoding="utf-8"
    )
    _, raw = read_file(f)  # (the three copies are then merged as one work: read_bibliography)
    keys = [k for k in raw["citation_key"] if k.startswith("mendeleyFilePaths1")]
    assert sorted(keys) == ["mendeleyFilePaths1", "mendeleyFilePaths1b", "mendeleyFilePaths1c", "mendeleyFilePaths1d"]


# ----------------------------------------------------------------------------------
# class 5: DOI in a URL field, RIS with one space, Ovid tagged


def test_doi_from_a_doi_org_url_in_l2_or_a_note():
    # record 2: "L2  - https://doi.org/10.1136/rapm-2022-esra.45" (no DO line); record 1: no doi.org URL, but
    # "N1  - ...<br/>electronic-resource-num: 10.37247/PAENVR2ED.2.2022.12<br/>..."
    res = read_bibliography(REAL / "ris_doi_in_l2.ris")
    assert set(res.records["doi"]) == {"10.1136/rapm-2022-esra.45", "10.37247/paenvr2ed.2.2022.12"}


def test_ris_with_one_space_before_the_dash():
    # Zotero's RIS test: "TY - JOUR" ... "TI - Rapid identification of thousands of copperhead snake ..."
    res = read_bibliography(REAL / "zotero_test_ris_one_space.ris")
    r = res.records.iloc[0]
    assert r["title"].startswith("Rapid identification of thousands of copperhead snake")
    assert (r["year"], r["doi"]) == (2009, "10.1111/j.1755-0998.2009.02750.x")


def test_ovid_tagged():
    # Journals@Ovid: "AU  - Lefkowitz, Rafael Y. MD, MPH 1", "TI  - "Injury, Illness, ...".  [Article]",
    # "SO  - American Journal Of Industrial Medicine June 2015;58(6):688-696", "DI  - 10.1002/ajim.22459"
    r = read_bibliography(REAL / "ovid_journals.txt").records.iloc[0]
    assert r["authors"] == "Lefkowitz, Rafael Y.; Slade, Martin D.; Redlich, Carrie A."
    assert r["title"] == "Injury, Illness, and Work Restriction in Merchant Seafarers"
    assert (r["year"], r["doi"], r["volume"], r["issue"], r["pages"]) == (
        2015,
        "10.1002/ajim.22459",
        "58",
        "6",
        "688-696",
    )
    assert r["source_title"] == "American Journal Of Industrial Medicine"
    # PsycINFO, every line indented by one space: " <7. >", " VN  - Ovid Technologies", " AU  - Kobori, Osamu"
    res = read_bibliography(REAL / "ovid_psycinfo_indented.txt")
    assert res.n_read == 2 and res.records["authors"].str.startswith("Kobori, Osamu").any()
    # Books@Ovid: "ED  - McGarry, John W.;  Elsheikha, Hany M.;  Taylor, Suzanne": an edited book
    books = read_bibliography(REAL / "ovid_books_editors.txt").records
    assert _by(books, "year")[2024]["editors"] == "McGarry, John W.; Elsheikha, Hany M.; Taylor, Suzanne"


# ----------------------------------------------------------------------------------
# class 6: the formats people bring from screening tools and other databases


def test_rayyan_covidence_zotero_csv_read_the_same_record():
    # the same work exported by Rayyan ("Yang, Z. and Jiang, B. and ..."), Covidence ("Yang, Z.; Jiang, B.; ...") and
    # Zotero ("Yang, Z.; Jiang, B.; Xu, J.; McNamara, M.E."), each with "2024" and "10.1038/s41467-024-48400-3"
    for name, fmt in (("rayyan.csv", "rayyan"), ("covidence.csv", "covidence"), ("zotero.csv", "zotero_csv")):
        res = read_bibliography(REAL / name)
        assert res.per_file["format"].tolist() == [fmt] and res.n_read == 3
        r = _by(res.records, "doi")["10.1038/s41467-024-48400-3"]
        assert r["authors"] == "Yang, Z.; Jiang, B.; Xu, J.; McNamara, M.E.", name
        assert r["year"] == 2024 and r["title"].startswith("Cellular structure of dinosaur scales"), name


def test_screening_columns_of_rayyan_and_covidence_are_kept_for_the_screening_stage():
    from revalign.bibliography.importer import export_rows

    # rayyan.csv row 1: notes "RAYYAN-INCLUSION: {""Emily""=>""Included""}"
    fmt, rows = export_rows(REAL / "rayyan.csv")
    assert fmt == "rayyan" and rows.loc[0, "notes"] == 'RAYYAN-INCLUSION: {"Emily"=>"Included"}'
    assert rows.loc[0, "_entry"] == "1" and rows.loc[0, "_line"] == 2
    fmt, rows = export_rows(REAL / "covidence.csv")
    assert fmt == "covidence" and rows["Covidence #"].tolist()[:2] == ["#1", "#2"]
    # the entry numbers are the records' origins in the corpus
    origins = set(read_bibliography(REAL / "rayyan.csv").records["origins"])
    assert {f"rayyan.csv:{e}" for e in export_rows(REAL / "rayyan.csv")[1]["_entry"]} == origins


def test_asreview_dataset_with_labels():
    # asreview_labels.csv: ASReview's labelled dataset layout, "authors" as "['Marx, Karl', 'Lindgren, Astrid']",
    # "publication_year" "2014//", "label_included" 1
    res = read_bibliography(REAL / "asreview_labels.csv")
    assert res.per_file["format"].tolist() == ["asreview"]
    r = _by(res.records, "title")["Title of reference"]
    assert r["authors"] == "Marx, Karl; Lindgren, Astrid" and r["year"] == 2014


def test_cochrane_central_csv():
    # "CN-00778158","Bywater, T; Hutchings, J; ...","The Incredible Years Therapeutic Dinosaur Programme ...",
    # "Trials","2011", ... "10.1186/1745-6215-12-39"
    r = _by(read_bibliography(REAL / "cochrane_central.csv").records, "doi")["10.1186/1745-6215-12-39"]
    assert r["authors"].startswith("Bywater, T; Hutchings, J; Whitaker, C")
    assert (r["year"], r["source_title"]) == (2011, "Trials")


def test_cochrane_library_plain_text():
    # Record #1: "ID: CD009275" "AU: Han Shanshan" ... "AU: Van Ryswyk Emer" "AU: Crowther Caroline A"
    # "YR: 2017" "NO: 2" "DOI: 10.1002/14651858.CD009275.pub3"; Record #3: "AU: Roqué i Figuls Marta";
    # Record #201 starts with its own byte-order mark; CR line ends throughout (read off the file by eye)
    res = read_bibliography(REAL / "cochrane_library_reviews.txt")
    assert res.per_file["format"].tolist() == ["cochrane_txt"] and res.n_read == 3
    recs = _by(res.records, "doi")
    r = recs["10.1002/14651858.cd009275.pub3"]
    assert r["authors"] == (
        "Han, Shanshan; Middleton, Philippa; Shepherd, Emily; Van Ryswyk, Emer; Crowther, Caroline A"
    )
    assert (r["title"], r["year"], r["issue"]) == (
        "Different types of dietary advice for women with gestational diabetes mellitus",
        2017,
        "2",
    )
    assert r["source_title"] == "Cochrane Database of Systematic Reviews"
    assert "Caloric Restriction; Diabetes, Gestational" in r["keywords"]  # "[diet therapy]" qualifiers dropped
    assert recs["10.1002/14651858.cd003054.pub3"]["authors"].split("; ")[3] == "Roqué i Figuls, Marta"
    r = recs["10.1002/14651858.cd005060.pub3"]
    assert (r["year"], r["authors"].split("; ")[0]) == (2012, "Malanda, Uriëll L")
    # the origin names the record by the export's own ID ("ID: CD005060")
    assert "CD005060" in r["origins"]


def test_cochrane_library_plain_text_line_outside_a_record_is_named(tmp_path):
    # hand-written: a stray line before the first record
    f = tmp_path / "citation-export.txt"
    f.write_text("Record #1 of 1\nID: CD000001\nTI: A title\n", encoding="utf-8")
    assert read_bibliography(f).records.iloc[0]["title"] == "A title"
    f.write_text("notes\nRecord #1 of 1\nID: CD000001\n", encoding="utf-8")
    # the refusal says what the file is not and which export is read as this format
    with pytest.raises(
        InputError, match=r":1: not a Cochrane .*'Record #n of N'.*as exported by Cochrane Library: Export"
    ):
        read_file(f, fmt="cochrane_txt")


# the two files below are RECONSTRUCTED (no public export was found; tests/fixtures/README.md): the
# vendors' own export templates rendered by hand for one real SciELO record (Cherchiglia et al. 2010,
# Rev Saude Publica 44(4):639-649, whose metadata is SciELO's own test fixture); the expected values
# are that record's metadata, read off SciELO's ArticleMeta JSON by eye
CHERCHIGLIA = (
    "Cherchiglia, Mariangela Leal; Machado, Elaine Leandro; Szuster, Daniele Araújo Campo; "
    "Andrade, Eli Iola Gurgel; Acúrcio, Francisco de Assis; Caiaffa, Waleska Teixeira; Sesso, Ricardo; "
    "Guerra Junior, Augusto A; Queiroz, Odilon Vanni de; Gomes, Isabel Cristina"
)
CHERCHIGLIA_TITLE = "Perfil epidemiológico dos pacientes em terapia renal substitutiva no Brasil, 2000-2004"


def test_scielo_search_csv_is_not_taken_for_cochrane_central():
    # before: detected as Cochrane CENTRAL CSV (its header has "Title", "Author(s)", "Source" too): no
    # year, and the ten authors glued into one braced organisation
    res = read_bibliography(REAL / "scielo_search_reconstructed.csv")
    assert res.per_file["format"].tolist() == ["scielo_csv"]
    r = res.records.iloc[0]
    assert (r["authors"], r["title"], r["year"]) == (CHERCHIGLIA, CHERCHIGLIA_TITLE, 2010)
    # "Revista de Saúde Pública; 44(4); 639-649"
    assert (r["source_title"], r["volume"], r["issue"], r["pages"]) == (
        "Revista de Saúde Pública",
        "44",
        "4",
        "639-649",
    )
    # the export's stray spaces (a newline of its template each) stay out of the ID and the link
    _, raw = read_file(REAL / "scielo_search_reconstructed.csv")
    assert raw.iloc[0]["src_id"] == "S0034-89102010000400007-scl"
    assert raw.iloc[0]["url"].endswith("pid=S0034-89102010000400007&lang=en")


def test_bvs_lilacs_csv():
    # before: read as "any CSV" by its column names, with the record's three titles (pt/ en/ es) as one
    # title and no volume or pages
    res = read_bibliography(REAL / "bvs_lilacs_reconstructed.csv")
    assert res.per_file["format"].tolist() == ["bvs_csv"] and not res.warnings
    r = res.records.iloc[0]
    assert (r["authors"], r["title"], r["year"]) == (CHERCHIGLIA, CHERCHIGLIA_TITLE, 2010)
    assert (r["doi"], r["volume"], r["issue"], r["pages"]) == ("10.1590/s0034-89102010000400007", "44", "4", "639-649")
    assert r["keywords"].startswith("Renal Insufficiency, Chronic; Renal Replacement Therapy")


def test_bvs_csv_before_2021_has_volume_and_pages_only_in_its_source(tmp_path):
    # hand-written in the layout of the BVS template of 2020 (no Volume number, DOI... columns)
    f = tmp_path / "export.csv"
    f.write_text(
        "ID,Title,Authors,Source,Journal,Database,Type,Language,Publication year,Descriptor(s),Publication Country,"
        "Fulltext URL, Abstract,Entry Date,Volume number,Issue number\r\n"
        '"555","Um título/ A title","Silva, Ana","Rev. saúde pública;44(4): 639-649, ago. 2010.","Rev. saúde pública",'
        '"LILACS","article","pt","2010","","Brasil","","",,,\r\n',
        encoding="utf-8",
    )
    r = read_bibliography(f).records.iloc[0]
    assert (r["title"], r["volume"], r["issue"], r["pages"]) == ("Um título", "44", "4", "639-649")


@pytest.mark.parametrize(
    ("fmt", "missing", "menu"),
    [
        ("scielo_csv", "ID, Journal, Language(s)", "SciELO Search (search.scielo.org): select the results"),
        ("bvs_csv", "ID, Authors, Database", "BVS / Virtual Health Library portal"),
    ],
)
def test_a_file_forced_as_scielo_or_bvs_names_the_missing_columns_and_the_export(fmt, missing, menu):
    # cochrane_central.csv (Cochrane's CSV, real) has "Title", "Author(s)", "Source", "Year"... and no "ID"
    with pytest.raises(InputError) as exc:
        read_file(REAL / "cochrane_central.csv", fmt=fmt)
    assert f"column(s) {missing}" in str(exc.value) and f"as exported by {menu}" in str(exc.value)


def test_refworks_tab_delimited_and_tagged():
    # refworks.tsv row 2: "de Jong,Ype;Ramspek,Chava L.;..." ... "10.1016/j.jclinepi.2020.03.015"
    r = _by(read_bibliography(REAL / "refworks.tsv").records, "doi")["10.1016/j.jclinepi.2020.03.015"]
    assert r["authors"].startswith("de Jong, Ype; Ramspek, Chava L.")
    # refworks_tagged.txt: "A1 Brennan,Timothy" "T1 The Empire's New Clothes" "YR 2003" "NO doi: 10.1086/374030"
    r = read_bibliography(REAL / "refworks_tagged.txt").records.iloc[0]
    assert (r["authors"], r["title"], r["year"], r["doi"]) == (
        "Brennan, Timothy",
        "The Empire's New Clothes",
        2003,
        "10.1086/374030",
    )
    assert (r["source_title"], r["volume"], r["issue"], r["pages"]) == ("Critical Inquiry", "29", "2", "337-367")


def test_publish_or_perish_csv():
    # "2,""AC Ross"",""Lactating Coquerel's sifaka ..."",2020,""American Journal of Primatology"", ... ""10.1002/ajp.23103"""
    res = read_bibliography(REAL / "pop_google_scholar.csv")
    assert res.per_file["format"].tolist() == ["pop_csv"] and res.n_read == 3
    assert _by(res.records, "doi")["10.1002/ajp.23103"]["authors"] == "Ross, AC"
    # "C Kun‐Rodrigues, J Salmona, A Besolo, ...": the ellipsis is not an author
    assert _by(res.records, "doi")["10.1002/ajp.22243"]["authors"] == "Kun‐Rodrigues, C; Salmona, J; Besolo, A"


def test_zotero_rdf():
    # <z:itemType>treaty</z:itemType> <dc:title>International Code for Ships ...</dc:title>
    # <foaf:surname>Int'l Mar. Org.</foaf:surname> (no given name: an organisation) <dc:date>2017</dc:date>
    r = read_bibliography(REAL / "zotero_rdf_treaty.rdf").records.iloc[0]
    assert (r["title"], r["authors"], r["year"], r["pages"]) == (
        "International Code for Ships Operating in Polar Waters (Polar Code)",
        "Int'l Mar. Org.",
        2017,
        "243",
    )


def test_jstor_data_for_research_article_and_edited_book():
    # <article-id pub-id-type="doi">10.2307/3221896</article-id> ... <surname>Kudo</surname> ... <year>1922</year>
    r = read_bibliography(REAL / "jstor_dfr_article.xml").records.iloc[0]
    assert (r["doi"], r["authors"], r["year"], r["pages"]) == ("10.2307/3221896", "Kudo, R.", 1922, "59-76")
    assert r["source_title"] == "Transactions of the American Microscopical Society"
    # book.xml: <contrib contrib-type="editor"> Fraenkel, Jon; Firth, Stewart; Lal, Brij V.
    b = read_bibliography(REAL / "jstor_dfr_book.xml").records.iloc[0]
    assert b["title"] == "The 2006 Military Takeover in Fiji: A Coup to End All Coups?"
    assert b["editors"] == "Fraenkel, Jon; Firth, Stewart; Lal, Brij V." and pd.isna(b["authors"])


def test_ris_without_ty_lines_from_citesource():
    # CiteSource's own RIS export writes no TY line: "C1  - 1001" ... "TI  - A systematic review of the impact of
    # wildfires on sleep disturbances" ... "DO  - 10.3390/ijerph181910152" ... "ER  - "
    res = read_bibliography(REAL / "citesource_ris_without_ty.ris")
    assert set(res.records["doi"]) == {"10.3390/ijerph181910152", "10.1016/j.envres.2014.10.015"}


def test_any_csv_by_a_column_map(tmp_path):
    # a sheet whose columns match no export: read by --columns (the asreview fixture's columns, renamed)
    f = tmp_path / "sheet.csv"
    f.write_text('Paper,Writers,When,Identifier\nA study,"Lee, Kim; Smith, Ann",2021,10.1/abc\n', encoding="utf-8")
    with pytest.raises(InputError, match="--columns title=COLUMN"):
        read_bibliography(f)
    res = read_bibliography(f, columns={"title": "Paper", "authors": "Writers", "year": "When", "doi": "Identifier"})
    r = res.records.iloc[0]
    assert (r["title"], r["authors"], r["year"], r["doi"]) == ("A study", "Lee, Kim; Smith, Ann", 2021, "10.1/abc")
