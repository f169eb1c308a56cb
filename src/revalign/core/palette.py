"""The colours every output shares, defined once: figures (revalign.plotting.style) and the code
colours of REFI-QDA exports (revalign.qda.model), which must not import matplotlib."""

from __future__ import annotations

from revalign.core.codebook import GAP, MIXED, STRENGTH

# Okabe & Ito (2008) colour-blind-safe categorical palette.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

# Polarity of evidence by role (revalign.core.codebook.ROLES): strength, mixed, gap (blue / grey / vermillion).
POLARITY_COLOURS = {STRENGTH: "#0072B2", MIXED: "#999999", GAP: "#D55E00"}
