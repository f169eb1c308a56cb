"""The agreement of two coders for people: ``agreement.md`` and the JSON beside it.

Reads :func:`revalign.coding.two_coders.compare_claims`' result; the words are the message
catalog's, in the language asked for (the field names and levels stay the ids of the data).
"""

from __future__ import annotations

from typing import Any

from revalign.coding.two_coders import ClaimComparison
from revalign.core.agreement import format_statistic, to_jsonable
from revalign.core.i18n import N_, messages

REPORTED_FIELDS = ("polarity", "facet", "context", "sources")
LEVEL_WORDS = {"ordinal": N_("ordinal"), "nominal": N_("nominal"), "identical sets": N_("identical sets")}


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def agreement_report(result: ClaimComparison, name_a: str, name_b: str, lang: str = "en") -> str:
    """The agreement report as Markdown."""
    _ = messages(lang)
    p, c = result["presence"], result["codes"]

    def fmt(stat: Any) -> str:
        return format_statistic(stat, lang)

    presence_rows = [
        (_("observed agreement"), p["observed_agreement"]),
        (_("positive agreement"), p["positive_agreement"]),
        (_("Cohen's kappa"), p["kappa"]),
        (_("Krippendorff's alpha (nominal)"), p["alpha_nominal"]),
    ]
    codes_header = [_("field"), _("level"), _("units"), _("observed agreement"), _("Krippendorff's alpha")]
    counts = _("{claims} claims x {dimensions} dimensions = {units} units; coded by A {a}, by B {b}, by both {both}.")
    lines = [
        "# " + _("Agreement between two coders"),
        "",
        f"- A: `{name_a}`",
        f"- B: `{name_b}`",
        "",
        _("Unit: a claim on a dimension (docs/protocol.md, section 7)."),
        "",
        "## " + _("Presence: which claims bear on which dimension"),
        "",
        counts.format(
            claims=p["n_claims"],
            dimensions=p["n_dimensions"],
            units=p["n_units"],
            a=p["n_a"],
            b=p["n_b"],
            both=p["n_both"],
        ),  # fmt: skip
        "",
        _row([_("statistic"), _("value")]),
        "|---|---|",
        *(_row([name, fmt(value)]) for name, value in presence_rows),
        "",
        "## " + _("Codes of the units both coded"),
        "",
        _row(codes_header),
        "|---|---|---|---|---|",
    ]
    for f in REPORTED_FIELDS:
        r = c[f]
        alpha = "-" if f == "sources" else fmt(r["alpha"])
        lines.append(_row([f, _(LEVEL_WORDS[r["level"]]), str(r["n_units"]), fmt(r["observed_agreement"]), alpha]))
    return "\n".join(lines) + "\n"


def agreement_json(result: ClaimComparison, name_a: str, name_b: str) -> dict[str, Any]:
    """The content of ``agreement.json``: the two files, presence and the codes (plain JSON data)."""
    return to_jsonable({"a": name_a, "b": name_b, "presence": result["presence"], "codes": result["codes"]})
