"""The report's own words (English and Indonesian): headings, column names, sentences.

Text from the run (labels, excerpts, titles) never comes from here; it comes from the
codebook, the corpus and the stage outputs. Nothing here names a country, framework,
topic or author: a sentence about "the review" is used only when the run names one.
"""

from __future__ import annotations

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
            "facet and a context. A claim that bears on two components is two segments."
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
            "menyangkut dua komponen menjadi dua segmen."
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


# Words of the supplement's tables and of the run-dependent sentences.
STRINGS["en"].update(
    {
        "summary_intro": (
            "This report turns the coded evidence of a literature review into an alignment table. "
            "{n_seg} coded segments from {n_src} sources (of {n_works} works in the corpus) were coded against "
            "{n_comp} components of the {framework}. The headline dimensions come out as follows."
        ),
        "summary_synthesis": "{n_self} of the segments are the review's own synthesis and are kept apart from cited evidence.",
        "summary_audit": (
            "Every cell of Table 1 links to the evidence behind it; every piece of evidence links to its reference and "
            "names its locator; every reference lists the evidence that uses it."
        ),
        "locator_plain": "at",
        "figures": "Figures of the evidence",
        "not_set": "not set",
        "parameter_group": {
            "screening": "Screening",
            "alignment": "Alignment rule",
            "sensitivity": "Sensitivity grid",
            "corroboration": "Corroboration",
        },
        "works_in_corpus": "Works in the corpus",
        "by_sourcetype": "Works by source type",
        "by_inreflist": "Works by presence in the reference list",
        "by_decision": "Screening decisions",
        "decision_values": {"include": "included", "exclude": "excluded"},
        "inreflist_values": {
            "yes": "in the reference list",
            "no": "not in the reference list",
            "self": "the review itself",
        },
        "sourcetype_values": {
            "primary": "primary (policy, reports, definitions)",
            "secondary": "secondary (articles, chapters, news)",
            "review": "the review itself",
            "": "not given",
        },
        "works_col": "Works",
        "probability_short": "Probability",
        "confidence_short": "Confidence",
        "probability_note": "Probability: share of bootstrap resamples of the cited sources that give the same level. "
        "Confidence: GRADE-CERQual rating of the finding.",
        "prisma_table": "PRISMA 2020 counts of this run",
        "prisma_step": "Step of the flow",
        "prisma_records": "Records",
        "prisma_identified": "Records identified",
        "prisma_from": "from {file}",
        "prisma_removed": "Records removed before screening",
        "prisma_screened": "Records screened",
        "prisma_excluded": "Records excluded",
        "prisma_included": "Sources included",
        "coding_text_synthesis": (
            "Statements of the review's own synthesis that cite nothing are coded with the review itself as their "
            "source and are counted apart."
        ),
        "agreement_summary": (
            "Of {n} segments, the keyword matcher gives the human coder's dimension for {obs} (observed agreement). "
            "Cohen's κ over all components: {kappa}; Krippendorff's α (nominal): {alpha}. "
            "The matcher found no indicator term in {n_none} segments."
        ),
        "agreement_table": "Vocabulary check per dimension (one segment is one unit)",
        "agreement_cols": {
            "dimension": "Dimension",
            "n_human": "Segments, human coder",
            "n_auto": "Segments, keyword matcher",
            "n_both": "Segments, both",
            "agreement": "Agreement",
            "kappa": "Cohen's κ",
            "note": "Note",
        },
        "undefined": "undefined",
        "coded_material": "Coded material",
        "coded_rows": {
            "claims": "Claims",
            "segments": "Coded segments",
            "evidence_claims": "Claims citing a source",
            "evidence_segments": "Segments citing a source",
            "evidence_sources": "Sources cited as evidence",
            "synthesis_claims": "Claims of the review's own synthesis",
            "synthesis_segments": "Segments of the review's own synthesis",
        },
        "count": "Count",
        "sens_caption": "Share of the {n} parameter settings that give each level (* the level under the default settings).",
        "loo_none": "No single source changes a level ({n} removals tried).",
        "loo_some": "{k} of {n} removals change a level:",
        "loo_cols": {
            "dimension": "Dimension",
            "removed_source": "Source removed",
            "n_segments_removed": "Segments removed",
            "level": "Level with all sources",
            "level_without": "Level without the source",
        },
        "show_items": "Show the {n} items",
        "no_evidence_level": "no coded evidence",
        "synthesis_key": "The review's own synthesis is cited as",
    }
)
STRINGS["en"]["fig"].update(
    {
        "works_per_year": "Works in the corpus per publication year, by source type. Years before a long run of years without "
        "works stand apart, left of the axis break; the number above a bar is its total.",
        "source_types": "Works of the corpus by document type, split by source type; the number is the total of the bar.",
        "venues": "Journals and publishers that contribute more than one work, in separate panels; venues with a single "
        "work are counted under each panel.",
        "evidence_map": "Evidence map. For each cited source (first author, year) and dimension, the colour says whether "
        "its coded segments show only strengths, only gaps, or both; the number counts the segments; an "
        "empty cell means the source says nothing about that dimension.",
        "sourcetype_dimension": "Triangulation: distinct cited sources of each source category per dimension. A dimension "
        "whose sources all fall in one category rests on one kind of evidence.",
        "theme_dimension_heatmap": "Coded segments that cite a source, by theme and dimension.",
    }
)
STRINGS["id"].update(
    {
        "summary_intro": (
            "Laporan ini mengubah bukti terkode dari sebuah kajian pustaka menjadi tabel keselarasan. "
            "{n_seg} segmen terkode dari {n_src} sumber (dari {n_works} karya dalam korpus) dikodekan terhadap "
            "{n_comp} komponen {framework}. Hasil untuk dimensi utama adalah sebagai berikut."
        ),
        "summary_synthesis": "{n_self} segmen merupakan sintesis kajian sendiri dan dipisahkan dari bukti yang disitasi.",
        "summary_audit": (
            "Setiap sel Tabel 1 tertaut ke bukti di baliknya; setiap bukti tertaut ke rujukannya dan menyebut "
            "lokatornya; setiap rujukan mencantumkan bukti yang memakainya."
        ),
        "locator_plain": "pada",
        "figures": "Gambar bukti",
        "not_set": "tidak diatur",
        "parameter_group": {
            "screening": "Penyaringan",
            "alignment": "Aturan keselarasan",
            "sensitivity": "Kisi sensitivitas",
            "corroboration": "Korroborasi",
        },
        "works_in_corpus": "Karya dalam korpus",
        "by_sourcetype": "Karya menurut jenis sumber",
        "by_inreflist": "Karya menurut keberadaan di daftar pustaka",
        "by_decision": "Keputusan penyaringan",
        "decision_values": {"include": "disertakan", "exclude": "dikeluarkan"},
        "inreflist_values": {
            "yes": "ada di daftar pustaka",
            "no": "tidak ada di daftar pustaka",
            "self": "kajian itu sendiri",
        },
        "sourcetype_values": {
            "primary": "primer (kebijakan, laporan, definisi)",
            "secondary": "sekunder (artikel, bab, berita)",
            "review": "kajian itu sendiri",
            "": "tidak disebut",
        },
        "works_col": "Karya",
        "probability_short": "Peluang",
        "confidence_short": "Keyakinan",
        "probability_note": "Peluang: proporsi sampel ulang bootstrap atas sumber yang dikutip yang memberi tingkat yang sama. "
        "Keyakinan: peringkat GRADE-CERQual atas temuan.",
        "prisma_table": "Hitungan PRISMA 2020 analisis ini",
        "prisma_step": "Langkah alur",
        "prisma_records": "Rekaman",
        "prisma_identified": "Rekaman teridentifikasi",
        "prisma_from": "dari {file}",
        "prisma_removed": "Rekaman dihapus sebelum penyaringan",
        "prisma_screened": "Rekaman disaring",
        "prisma_excluded": "Rekaman dikeluarkan",
        "prisma_included": "Sumber yang disertakan",
        "coding_text_synthesis": (
            "Pernyataan sintesis kajian sendiri tanpa sitasi dikodekan dengan kajian itu sebagai sumbernya dan "
            "dihitung terpisah."
        ),
        "agreement_summary": (
            "Dari {n} segmen, pencocok kata kunci memberi dimensi pengode manusia pada {obs} (kesepakatan teramati). "
            "Kappa Cohen untuk semua komponen: {kappa}; alfa Krippendorff (nominal): {alpha}. "
            "Pencocok tidak menemukan istilah indikator pada {n_none} segmen."
        ),
        "agreement_table": "Pemeriksaan kosakata per dimensi (satu segmen satu unit)",
        "agreement_cols": {
            "dimension": "Dimensi",
            "n_human": "Segmen, pengode manusia",
            "n_auto": "Segmen, pencocok kata kunci",
            "n_both": "Segmen, keduanya",
            "agreement": "Kesepakatan",
            "kappa": "Kappa Cohen",
            "note": "Catatan",
        },
        "undefined": "tidak terdefinisi",
        "coded_material": "Bahan terkode",
        "coded_rows": {
            "claims": "Klaim",
            "segments": "Segmen terkode",
            "evidence_claims": "Klaim yang mengutip sumber",
            "evidence_segments": "Segmen yang mengutip sumber",
            "evidence_sources": "Sumber yang dikutip sebagai bukti",
            "synthesis_claims": "Klaim sintesis kajian sendiri",
            "synthesis_segments": "Segmen sintesis kajian sendiri",
        },
        "count": "Jumlah",
        "sens_caption": "Proporsi dari {n} setelan parameter yang menghasilkan setiap tingkat (* tingkat pada setelan bawaan).",
        "loo_none": "Tidak ada satu sumber pun yang mengubah tingkat ({n} penghapusan dicoba).",
        "loo_some": "{k} dari {n} penghapusan mengubah tingkat:",
        "loo_cols": {
            "dimension": "Dimensi",
            "removed_source": "Sumber yang dihapus",
            "n_segments_removed": "Segmen yang dihapus",
            "level": "Tingkat dengan semua sumber",
            "level_without": "Tingkat tanpa sumber itu",
        },
        "show_items": "Tampilkan {n} butir",
        "no_evidence_level": "tidak ada bukti terkode",
        "synthesis_key": "Sintesis kajian sendiri dikutip sebagai",
    }
)
STRINGS["id"]["fig"].update(
    {
        "works_per_year": "Karya dalam korpus per tahun terbit, menurut jenis sumber. Tahun sebelum rentang panjang tanpa "
        "karya dipisahkan di kiri patahan sumbu; angka di atas batang adalah totalnya.",
        "venues": "Jurnal dan penerbit yang menyumbang lebih dari satu karya, dalam panel terpisah.",
        "evidence_map": "Peta bukti: warna menunjukkan apakah segmen suatu sumber hanya berisi kekuatan, hanya kesenjangan, "
        "atau keduanya; angka adalah jumlah segmen.",
        "sourcetype_dimension": "Triangulasi: jumlah sumber berbeda per kategori sumber dan dimensi.",
    }
)
