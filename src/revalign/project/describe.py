"""What a run is about, in words: framework, themes, vocabularies and inputs, from its own files.

The notebooks' prose explains the method in general terms; :func:`run_overview` states the
particulars of the run at hand (from the parameter file and the codebook), so that nothing
in a notebook names a framework, country or topic the run does not use. Its words come from
the message catalog in the run's language (:mod:`revalign.core.i18n`); labels from the codebook,
in that language where the codebook gives it, else in English.
"""

from __future__ import annotations

import re

from revalign.core.codebook import GAP, MIXED, STRENGTH, Codebook, load_codebook, reference_codebook
from revalign.core.config import RunConfig
from revalign.core.i18n import Messages, messages

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|"})


def md(text: str) -> str:
    """*text* from an input file, escaped so that Markdown shows it literally."""
    return str(text).translate(_MD_SPECIAL)


def code(text: str) -> str:
    """*text* from an input file as Markdown inline code that nothing in it can close: fenced by
    more backquotes than its longest run of them, line breaks and other control characters shown
    escaped (a blank line would end the paragraph, and the span with it)."""
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _labels(cb: Codebook, kind: str, lang: str) -> str:
    return ", ".join(f"*{md(cb.label(kind, i, lang))}* ({code(i)})" for i in cb.vocabulary(kind)) or "—"


def _roles(cb: Codebook, lang: str, _: Messages) -> str:
    """What the codebook's codes mean to the rule: the role of each polarity code, the parts, the focus."""

    def name(kind: str, code_id: str | None) -> str:
        return f"*{md(cb.label(kind, code_id, lang))}*" if code_id else "—"

    strength, gap, mixed = (cb.role_code(r) for r in (STRENGTH, GAP, MIXED))
    if mixed:
        text = _("The rule counts {strength} as strengths, {gap} as gaps and {mixed} as mixed").format(
            strength=name("polarity", strength), gap=name("polarity", gap), mixed=name("polarity", mixed)
        )
    else:
        text = _("The rule counts {strength} as strengths and {gap} as gaps").format(
            strength=name("polarity", strength), gap=name("polarity", gap)
        )
    if any(lv.when for lv in cb.levels) and cb.parts:
        text += "; " + _("its levels are defined on the parts {parts}").format(
            parts=", ".join(name("facet", p) for p in cb.parts)
        )
    if cb.focus_context:
        text += "; " + _("the review's own context is {context}").format(context=name("context", cb.focus_context))
    return text + "."


def run_overview(cfg: RunConfig, cb: Codebook | None = None) -> str:
    """Markdown: the run's name and inputs, its framework and the codebook's vocabularies."""
    lang = cfg.lang
    _ = messages(lang)
    path = cfg.path(cfg.params.codebook)
    cb = cb or load_codebook(path)
    fw = cb.framework
    n_comp, n_head = len(cb.components), len(cb.headline_ids)
    components = _.ngettext("{n} component", "{n} components", n_comp).format(n=n_comp)
    lines = [
        _("**Run {name}** ({file}): {title}.").format(
            name=code(cfg.name), file=code(cfg.rel(cfg.params_file)), title=md(cfg.params.title)
        ),
        "",
        "- "
        + _(
            "Framework: *{name}* ({id}), {components}, {n_head} of them headline dimensions of the results table; "
            "codebook {codebook}."
        ).format(name=md(fw.name), id=code(fw.id), components=components, n_head=n_head, codebook=code(cfg.rel(path))),
    ]
    ref = reference_codebook(cb, path)
    if ref is not None:
        lines.append(
            "- "
            + _("Segments are coded on *{name}* ({id}) and carried over through each component's {maps_to}.").format(
                name=md(ref.framework.name), id=code(ref.framework.id), maps_to=code("maps_to")
            )
        )
    coding = ref or cb
    inputs = [
        _.ngettext("{n} bibliography export", "{n} bibliography exports", len(cfg.bibliography_files)).format(
            n=len(cfg.bibliography_files)
        )
        + " "
        + ", ".join(code(cfg.rel(p)) for p in cfg.bibliography_files),
        _("segments {file}").format(file=code(cfg.params.segments)),
    ]
    if cfg.params.published_table:
        inputs.append(_("published table {file}").format(file=code(cfg.params.published_table)))
    lines += [
        "- " + _("Themes: {themes}.").format(themes=_labels(coding, "themes", lang)),
        "- "
        + _("Polarity: {polarity}; facet: {facet}; context: {context}.").format(
            polarity=_labels(coding, "polarity", lang),
            facet=_labels(coding, "facet", lang),
            context=_labels(coding, "context", lang),
        ),
        "- " + _roles(coding, lang, _),
        "- "
        + _("Levels, lowest first: {levels}.").format(
            levels=", ".join(f"*{md(lv.label.text(lang))}*" for lv in cb.levels_by_rank()) or "—"
        ),
        "- " + _("Inputs: {inputs}.").format(inputs="; ".join(inputs)),
    ]
    complete = all(lang in item.label.languages for _kind, item in cb.entries())
    if complete:
        lines.append("- " + _("Labels in {lang}.").format(lang=code(lang)))
    else:
        lines.append(
            "- " + _("Labels in {lang} (English where the codebook has no translation).").format(lang=code(lang))
        )
    return "\n".join(lines)
