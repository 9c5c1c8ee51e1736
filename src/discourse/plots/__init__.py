"""One look for every figure, one colour per meaning, and figure files identical run to run.

* :mod:`discourse.plots.theme`: the Okabe-Ito palette keyed by meaning (roles, parts, and the
  slates a study registers with :func:`set_theme` and :func:`assign_colours`), the matplotlib
  theme and the size limits.
* :mod:`discourse.plots.charts`: the charts. Each takes ``ax=None``, returns the figure, never
  shows it, refuses to draw without a title and both axis labels, and, for one row per unit,
  draws one panel per document with ``facet=``.
* :mod:`discourse.plots.files`: :func:`save` writes PNG and SVG atomically to a folder the
  caller names, with nothing volatile in them (no dates, no software versions, no random
  identifiers).
"""

from discourse.plots.charts import (
    bar_chart,
    bar_with_ci,
    heatmap,
    interval_grid,
    interval_panels,
    interval_plot,
    keyness_scatter,
    labelled_scatter,
    line_with_band,
    profile_plot,
    ranked_dot_plot,
    ranked_range_plot,
)
from discourse.plots.files import SavedFigure, save
from discourse.plots.theme import (
    DETERMINISTIC_RC,
    MAX_INCHES,
    MAX_PIXELS,
    NEUTRAL,
    OKABE_ITO,
    PALETTE,
    PART_COLOURS,
    ROLE_COLOURS,
    SAVE_DPI,
    SMALL_TEXT_PT,
    SVG_FONTTYPE,
    SVG_HASHSALT,
    THEME_RC,
    assign_colours,
    colour_for,
    colours_for,
    meaning_of,
    registered_colours,
    set_theme,
)

__all__ = [
    "DETERMINISTIC_RC",
    "MAX_INCHES",
    "MAX_PIXELS",
    "NEUTRAL",
    "OKABE_ITO",
    "PALETTE",
    "PART_COLOURS",
    "ROLE_COLOURS",
    "SAVE_DPI",
    "SMALL_TEXT_PT",
    "SVG_FONTTYPE",
    "SVG_HASHSALT",
    "THEME_RC",
    "SavedFigure",
    "assign_colours",
    "bar_chart",
    "bar_with_ci",
    "colour_for",
    "colours_for",
    "heatmap",
    "interval_grid",
    "interval_panels",
    "interval_plot",
    "keyness_scatter",
    "labelled_scatter",
    "line_with_band",
    "meaning_of",
    "profile_plot",
    "ranked_dot_plot",
    "ranked_range_plot",
    "registered_colours",
    "save",
    "set_theme",
]
