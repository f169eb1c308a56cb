"""What a run is about, in words: framework, themes, vocabularies and inputs, from its own files.

The notebooks' prose explains the method in general terms; :func:`run_overview` states the
particulars of the run at hand (from the parameter file and the codebook), so that nothing
in a notebook names a framework, country or topic the run does not use.
"""

from __future__ import annotations

from revalign.core.codebook import Codebook, load_codebook, reference_codebook
from revalign.core.config import RunConfig

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|"})


def md(text: str) -> str:
    """*text* from an input file, escaped so that Markdown shows it literally."""
    return str(text).translate(_MD_SPECIAL)


def _labels(cb: Codebook, kind: str, lang: str) -> str:
    return ", ".join(f"*{md(cb.label(kind, i, lang))}* (`{i}`)" for i in cb.vocabulary(kind))


def run_overview(cfg: RunConfig, cb: Codebook | None = None) -> str:
    """Markdown: the run's name and inputs, its framework and the codebook's vocabularies."""
    lang = cfg.lang
    path = cfg.path(cfg.params.codebook)
    cb = cb or load_codebook(path)
    fw = cb.framework
    n_head = len(cb.headline_ids)
    lines = [
        f"**Run `{cfg.name}`** (`{cfg.rel(cfg.params_file)}`): {md(cfg.params.title)}.",
        "",
        f"- Framework: *{md(fw.name)}* (`{fw.id}`), {len(cb.components)} components, "
        f"{n_head} of them headline dimensions of the results table; codebook `{cfg.rel(path)}`.",
    ]
    ref = reference_codebook(cb, path)
    if ref is not None:
        lines.append(
            f"- Segments are coded on *{md(ref.framework.name)}* (`{ref.framework.id}`) and carried over "
            "through each component's `maps_to`."
        )
    coding = ref or cb
    lines += [
        f"- Themes: {_labels(coding, 'themes', lang)}.",
        f"- Polarity: {_labels(coding, 'polarity', lang)}; facet: {_labels(coding, 'facet', lang)}; "
        f"context: {_labels(coding, 'context', lang)}.",
        "- Levels, lowest first: " + ", ".join(f"*{md(lv.label.text(lang))}*" for lv in cb.levels_by_rank()) + ".",
        f"- Inputs: {len(cfg.bibliography_files)} bibliography export(s) "
        + ", ".join(f"`{cfg.rel(p)}`" for p in cfg.bibliography_files)
        + f"; segments `{cfg.params.segments}`"
        + (f"; published table `{cfg.params.published_table}`" if cfg.params.published_table else "")
        + ".",
        f"- Labels in `{lang}`"
        + (
            ""
            if all(lang in c.label.languages for c in cb.components)
            else " (English where the codebook has no translation)"
        )
        + ".",
    ]
    return "\n".join(lines)
