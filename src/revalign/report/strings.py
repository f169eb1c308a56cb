"""Words of the report that Python picks by an id: figure captions, names of parameters and counts.

Everything here is marked for the message catalog with ``N_`` and translated where it is shown
(``messages(lang)(FIGURE_CAPTIONS[stem])``); the sentences and headings of the page are written
in the templates themselves (``_("...")``). Text from the run (labels, excerpts, titles) never
comes from here: it comes from the codebook, the corpus and the stage outputs. Nothing here names
a country, framework, topic or author.
"""

from __future__ import annotations

from revalign.core.i18n import N_

#: figure captions by file stem (figures/STEM.png); a figure without one is captioned by its stem
FIGURE_CAPTIONS = {
    "key_statistics": N_("Statistics quoted by the review, by the source it credits them to."),
    "prisma_flow": N_("PRISMA 2020 flow diagram of this run."),
    "source_types": N_("Works of the corpus by document type; the number is the total of the bar."),
    "venues": N_(
        "Journals and publishers that contribute more than one work; venues with a single work are counted under each panel."
    ),
    "alignment_heatmap": N_("Level of each headline dimension, with its strength and gap evidence by part."),
    "coverage_heatmap": N_("Coverage of every component of the framework by the coded evidence."),
    "evidence_gap_map": N_("Evidence gap map: dimension by source, each cell coloured by the role of its evidence."),
    "theme_dimension_heatmap": N_("Coded segments that cite a source, by theme and dimension."),
    "evidence_map": N_(
        "Evidence map. For each cited source and dimension, the colour says whether its coded segments show only "
        "strengths, only gaps, or both; the number counts the segments; an empty cell means the source says nothing "
        "about that dimension."
    ),
    "sourcetype_dimension": N_(
        "Triangulation: distinct cited sources of each source category per dimension. A dimension whose sources all "
        "fall in one category rests on one kind of evidence."
    ),
    "sensitivity": N_("Share of rule settings that give each level, per dimension."),
    "autocoder_confusion": N_("Human coding against the vocabulary check (keyword matcher)."),
}
#: works per year: with the corpus's source types (a corpus that records them) or without
WORKS_PER_YEAR = N_(
    "Works in the corpus per publication year. Years before a long run of years without works stand apart, left of "
    "the axis break; the number above a bar is its total."
)
WORKS_PER_YEAR_BY_TYPE = N_(
    "Works in the corpus per publication year, by source type. Years before a long run of years without works stand "
    "apart, left of the axis break; the number above a bar is its total."
)

#: groups of the parameter file, as the method section names them
PARAMETER_GROUPS = {
    "screening": N_("Screening"),
    "alignment": N_("Alignment rule"),
    "sensitivity": N_("Sensitivity grid"),
    "corroboration": N_("Corroboration"),
    "bootstrap": N_("Bootstrap"),
    "keywords": N_("Keywords"),
    "other_methods": N_("Other methods"),
}
#: parameters by their key in the parameter file (others are shown by their key made readable)
PARAMETERS = {
    "title": N_("Title"),
    "framework": N_("Framework"),
    "lang": N_("Language of the labels"),
    "bibliography": N_("Bibliography"),
    "codebook": N_("Codebook"),
    "segments": N_("Coded segments"),
    "key_statistics": N_("Statistics quoted by the review"),
    "published_table": N_("Published table"),
    "appraisal": N_("Appraisal of the sources"),
    "notes": N_("Notes on this review"),
    "run": N_("Run"),
    "params_file": N_("Parameter file"),
    "year_min": N_("First year"),
    "year_max": N_("Last year"),
    "doc_types": N_("Document types"),
    "languages": N_("Languages"),
    "window_applies_to": N_("Year window applies to"),
    "keywords_apply_to": N_("Keywords apply to"),
    "replicates": N_("Replicates"),
    "seed": N_("Seed"),
    "mixed_share": N_("Share of a mixed claim counted as a strength"),
    "context_weighting": N_("Context weighting"),
    "include_synthesis": N_("Synthesis counted as evidence"),
    "thresholds": N_("Thresholds"),
    "facet_weights": N_("Facet weights"),
    "context_weights": N_("Context weights"),
    "top_min_sources": N_("Sources needed for the top level"),
    "top_min_source_types": N_("Source types needed for the top level"),
    "bottom_min_sources": N_("Sources needed for the bottom level"),
    "bottom_min_source_types": N_("Source types needed for the bottom level"),
    "grade_shift": N_("Shift of the part grades"),
    "threshold_shift": N_("Shift of the thresholds"),
    "source_type_field": N_("Corpus field of the source type"),
    "key_excerpts": N_("Key excerpts per dimension"),
    "source_categories": N_("Source categories by document type"),
    "in_text_citations": N_("In-text citations"),
    "decisions": N_("Screening decision files"),
    "resolutions": N_("Conflict resolution files"),
    "files": N_("Files"),
    "source_types": N_("Source types"),
    "coding_decisions": N_("Coding decisions"),
}

#: screening decisions (screening.csv ``decision``)
DECISIONS = {"include": N_("included"), "exclude": N_("excluded")}
#: the optional corpus field ``inreflist`` (a review transcribed with its reference list)
IN_REFERENCE_LIST = {
    "yes": N_("in the reference list"),
    "no": N_("not in the reference list"),
    "self": N_("the review itself"),
}
#: the optional corpus field ``sourcetype``
SOURCE_TYPES = {
    "primary": N_("primary (policy, reports, definitions)"),
    "secondary": N_("secondary (articles, chapters, news)"),
    "review": N_("the review itself"),
}
#: GRADE-CERQual confidence words as Table 1 records them
CONFIDENCE = {
    "high": N_("high"),
    "moderate": N_("moderate"),
    "low": N_("low"),
    "very low": N_("very low"),
    "not assessed": N_("not assessed"),
}
#: the counts of the coded material (vocabulary_check.json ``counts``)
CODED_ROWS = {
    "claims": N_("Claims"),
    "segments": N_("Coded segments"),
    "evidence_claims": N_("Claims citing a source"),
    "evidence_segments": N_("Segments citing a source"),
    "evidence_sources": N_("Sources cited as evidence"),
    "synthesis_claims": N_("Claims of the review's own synthesis"),
    "synthesis_segments": N_("Segments of the review's own synthesis"),
}
