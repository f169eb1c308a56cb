"""What both comparisons of codings share: the order of the dimensions and kappa per dimension.

A comparison of two codings (two human coders, :mod:`revalign.coding.two_coders`; the keyword
matcher against the human coder, :mod:`revalign.coding.vocabulary_check`) reads each dimension
as a yes/no label per unit ("coded to this dimension or not") and lists the dimensions in the
codebook's order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from revalign.coding.autocoder import NONE
from revalign.core.agreement import Statistic, cohen_kappa
from revalign.core.i18n import messages

if TYPE_CHECKING:
    from revalign.core.codebook import Codebook


def dimension_order(codebook: Codebook | None, *labels: Iterable[str]) -> list[str]:
    """The codebook's components in its order; without a codebook, every dimension used, sorted
    (the keyword matcher's ``none`` is not a dimension)."""
    if codebook is not None:
        return list(codebook.component_ids)
    return sorted({v for s in labels for v in s if v != NONE})


def dimension_kappa(x: Sequence[bool], y: Sequence[bool], lang: str = "en") -> Statistic:
    """Kappa of two yes/no codings of one dimension, saying why when it is undefined."""
    _ = messages(lang)
    k = cohen_kappa(x, y, labels=[False, True], lang=lang)
    if math.isnan(k["value"]) and len(x):
        if not any(x) and not any(y):
            k["reason"] = _("neither coder used this dimension: kappa undefined")
        elif all(x) and all(y):
            k["reason"] = _("both coders used this dimension for every unit: kappa undefined")
    return k
