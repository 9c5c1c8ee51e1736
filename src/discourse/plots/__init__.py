"""One look for every figure, one colour per meaning, and figure files identical run to run.

* :mod:`discourse.plots.theme`: the Okabe-Ito palette keyed by meaning (roles, parts, and the
  slates a study registers with :func:`set_theme` and :func:`assign_colours`), the matplotlib
  theme and the size limits.
* :mod:`discourse.plots.charts`: the charts. Each takes ``ax=None``, returns the figure, never
  shows it, refuses to draw without a title and both axis labels, and, for one row per unit,
  draws one panel per document with ``facet=``.
* :mod:`discourse.plots.standard`: the figure standard every saved figure meets (no
  overlapping or cut text, no text under 8 pt, no side over 4,000 px), measured on the figure
  as drawn; :func:`save` refuses a figure that breaks it.
* :mod:`discourse.plots.files`: :func:`save` writes PNG and SVG atomically to a folder the
  caller names, with nothing volatile in them (no dates, no software versions, no random
  identifiers).
"""

from discourse.plots import charts, files, standard, theme
from discourse.plots.charts import *  # noqa: F403 (each module lists its public names)
from discourse.plots.files import *  # noqa: F403
from discourse.plots.standard import *  # noqa: F403
from discourse.plots.theme import *  # noqa: F403

__all__ = sorted([*charts.__all__, *files.__all__, *standard.__all__, *theme.__all__])
