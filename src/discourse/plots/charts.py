"""The study's charts: each takes a tidy table, draws one kind of figure and returns it.

Every chart takes ``ax=None`` (a new figure is made when it is missing), returns the
:class:`~matplotlib.figure.Figure`, never shows it, and refuses to draw without a title and both
axis labels, so no figure ships unlabelled. Groups (``hue``) are coloured by meaning
(:func:`~discourse.plots.theme.colours_for`) and labelled by the values of the ``hue`` column,
never by a value of another column: a group that pools the answers of several slates is labelled
by what the table calls it.

Charts of one row per unit (exchange, answer, item) scale to a few hundred units over many
documents: with ``facet=<column>`` they draw one panel per value of that column (a document, a
slate), wrapped in rows of ``ncols`` panels (chosen to fit when None), titled by the value, with
one shared value axis, one legend and one title. Category labels are thinned to every k-th when
they would collide, and no side of a figure exceeds :data:`~discourse.plots.theme.MAX_INCHES`
(:data:`~discourse.plots.theme.MAX_PIXELS` at :data:`~discourse.plots.theme.SAVE_DPI`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import matplotlib as mpl
import numpy as np
import pandas as pd
from adjustText import adjust_text
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from scipy.stats import norm

from discourse.plots import standard
from discourse.plots.layout import (
    NO_INTERVAL,
    ZERO_WIDTH,
    capped,
    category_ticks,
    facet_values,
    figure_legend,
    fit_titles,
    label_figure,
    label_lowest,
    last_notes,
    panel_grid,
    points_per_unit,
    points_tall,
    text_width_pt,
    tick_size_pt,
)
from discourse.plots.standard import POINT_LABEL
from discourse.plots.theme import MAX_INCHES, NEUTRAL, SAVE_DPI, SMALL_TEXT_PT, colours_for
from discourse.stats import ALPHA

__all__ = [
    "NO_INTERVAL",
    "REFERENCE_STYLE",
    "ZERO_WIDTH",
    "bar_chart",
    "comparison_plot",
    "bar_with_ci",
    "heatmap",
    "interval_grid",
    "interval_panels",
    "interval_plot",
    "keyness_scatter",
    "fit_titles",
    "labelled_scatter",
    "place_labels",
    "line_with_band",
    "profile_plot",
    "ranked_dot_plot",
    "ranked_range_plot",
    "stacked_dot_plot",
]

#: Colour, width and dash of a reference line (0, no difference): darker than the grid and
#: dashed, so that it is never read as a grid line.
REFERENCE_STYLE = MappingProxyType(
    {"color": "0.2", "linewidth": 1.1, "linestyle": (0, (4, 2)), "zorder": 1.6}
)

#: Iterations of adjustText's label placement: a fixed number (never a time limit), so that the
#: labels land in the same place on every run and machine.
LABEL_ITERATIONS = 400

#: Passes of label placement at most: when labels still overlap after a pass, the next starts
#: from where they are, pushing labels apart harder (still deterministic).
LABEL_PASSES = 8

#: Height in inches of one row of :func:`comparison_plot`; panels whose rows would not fit
#: :data:`~discourse.plots.theme.MAX_INCHES` at this height go on in another column.
_ROW_PITCH = 0.27


def _comparison_columns(counts: list[int]) -> list[list[int]]:
    """Split panels of ``counts`` rows, in order, into as few columns as keep every column
    within :data:`~discourse.plots.theme.MAX_INCHES` at :data:`_ROW_PITCH` a row."""
    columns: list[list[int]] = [[]]
    for i, count in enumerate(counts):
        column = columns[-1]
        rows = sum(counts[j] for j in column) + count
        if column and _ROW_PITCH * rows + 0.75 * (len(column) + 1) + 1.2 > MAX_INCHES:
            columns.append([i])
        else:
            column.append(i)
    return columns


#: Width in inches of one category of an interval chart, per group drawn side by side, and the
#: width every category needs whatever its groups.
_INTERVAL_WIDTH = (0.13, 0.14)


# ---------------------------------------------------------------------------------------------
# Shared checks and drawing
# ---------------------------------------------------------------------------------------------


def _require_labels(title: str, xlabel: str, ylabel: str) -> None:
    """Raise ValueError unless the title and both axis labels are non-blank strings."""
    for what, text in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{what} is required: every figure must say what it shows")


def _require_title(title: str) -> None:
    """Raise ValueError unless the figure's title is a non-blank string."""
    if not isinstance(title, str) or not title.strip():
        raise ValueError("title is required: every figure must say what it shows")


def _checked(df: pd.DataFrame, *columns: str | None) -> pd.DataFrame:
    """Return ``df`` with a fresh 0..n-1 index after checking it has rows and the columns."""
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise ValueError(f"missing columns: {missing}")
    if df.empty:
        raise ValueError("nothing to plot: the table has no rows")
    return df.reset_index(drop=True)


def _own_figure(ax: Axes | None, facet: str | None) -> None:
    """Refuse a given axes for a faceted chart, which draws a figure of its own."""
    if facet is not None and ax is not None:
        raise ValueError("facet draws one panel per value in a figure of its own: omit ax")


def _subset(data: pd.DataFrame, column: str, value: object) -> pd.DataFrame:
    """The rows whose ``column`` is ``value`` (missing values match each other), reindexed."""
    rows = data[data[column].isna()] if pd.isna(value) else data[data[column] == value]
    return rows.reset_index(drop=True)


def _errors(rows: pd.DataFrame, y: str, lo: str, hi: str) -> np.ndarray:
    """Return the 2 x n distances from each estimate down to ``lo`` and up to ``hi``."""
    below = (rows[y] - rows[lo]).to_numpy(float)
    above = (rows[hi] - rows[y]).to_numpy(float)
    if (below < 0).any() or (above < 0).any():
        raise ValueError(f"every {y} must lie between its {lo} and {hi}")
    return np.vstack([below, above])


def _groups(data: pd.DataFrame, hue: str | None) -> list[tuple[object, pd.DataFrame]]:
    """Split rows by ``hue`` in order of first appearance (one group when ``hue`` is None)."""
    if hue is None:
        return [(None, data)]
    return list(data.groupby(hue, sort=False, dropna=False))


def _palette(data: pd.DataFrame, hue: str | None) -> dict[str, str] | None:
    """The colours of the ``hue`` groups of a whole figure (None without ``hue``)."""
    return None if hue is None else colours_for(data[hue])


def _style(group: object, colours: dict[str, str] | None) -> dict[str, str]:
    """Return the colour and legend label of one group (neutral grey and no label without)."""
    if colours is None:
        return {"color": NEUTRAL}
    return {"color": colours[str(group)], "label": str(group)}


def _count(size: object) -> str:
    """Write a sample size without a spurious decimal part (12.0 -> "12")."""
    if isinstance(size, float | np.floating) and float(size).is_integer():
        return str(int(size))
    return str(size)


def _annotate_n(
    ax: Axes, where: np.ndarray, heights: pd.Series, sizes: pd.Series, room: float
) -> None:
    """Write ``n=...`` just above each interval, turned upright when ``room`` points across
    are too few for it to lie flat, and leave room for the labels inside the axes."""
    tallest = 0.0
    for xpos, height, size in zip(where, heights, sizes, strict=True):
        text = f"n={_count(size)}"
        width = text_width_pt(text, SMALL_TEXT_PT)
        upright = width + 2 > room
        tallest = max(tallest, width if upright else 1.2 * SMALL_TEXT_PT)
        ax.annotate(
            text,
            (xpos, height),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            rotation=90 if upright else 0,
            fontsize=SMALL_TEXT_PT,
        )
    share = (tallest + 6) / max(points_tall(ax), 1.0)
    ax.margins(y=max(ax.margins()[1], min(0.6, 1.2 * share)))


def _reference_line(ax: Axes, at: float | None, *, vertical: bool) -> None:
    """Draw a thin grey reference line at ``at`` unless it is None."""
    if at is None:
        return
    line = ax.axvline if vertical else ax.axhline
    line(at, **REFERENCE_STYLE)


def _mark_degenerate(
    ax: Axes,
    where: np.ndarray,
    rows: pd.DataFrame,
    y: str,
    lo: str,
    hi: str,
    colour: str,
    *,
    horizontal: bool,
) -> None:
    """Mark estimates without an interval (open circle) and with an interval of zero width
    (open diamond), each with one neutral legend entry (:data:`NO_INTERVAL`,
    :data:`ZERO_WIDTH`), so that neither looks like a certain estimate."""
    low, high = rows[lo].to_numpy(float), rows[hi].to_numpy(float)
    estimate = rows[y].to_numpy(float)
    missing = np.isnan(low) | np.isnan(high)
    with np.errstate(invalid="ignore"):
        zero = ~missing & np.isclose(low, high, rtol=1e-9, atol=1e-12)
    for mask, marker, label in ((missing, "o", NO_INTERVAL), (zero, "D", ZERO_WIDTH)):
        if not mask.any():
            continue
        points = (estimate[mask], where[mask]) if horizontal else (where[mask], estimate[mask])
        style = {"marker": marker, "s": 40, "facecolors": "white", "linewidths": 1.3}
        ax.scatter(*points, edgecolors=colour, zorder=4, **style)
        ax.scatter([], [], edgecolors=NEUTRAL, label=label, **style)


def _legend_entries(axes: Iterable[Axes]) -> dict[str, object]:
    """Every labelled artist of ``axes``, each label once, in order of first appearance."""
    entries: dict[str, object] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)
    return last_notes(entries)


def _axes(ax: Axes | None, size: tuple[float, float] | None = None) -> tuple[Figure, Axes]:
    """Return the figure of ``ax``, or a new figure (of ``size``, capped) and axes."""
    if ax is None:
        fig, ax = plt.subplots(figsize=None if size is None else capped(*size))
        return fig, ax
    return ax.get_figure(root=True), ax


def _finish(ax: Axes, hue: str | None, title: str, xlabel: str, ylabel: str) -> Figure:
    """Set title and axis labels, add a legend when there are hue groups, return the figure."""
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    entries = _legend_entries([ax])
    if entries:
        ax.legend(list(entries.values()), list(entries), title=hue, frameon=False)
    fig = ax.get_figure(root=True)
    fit_titles(fig)
    return fig


def _finish_panels(
    fig: Figure, axes: list[Axes], hue: str | None, title: str, xlabel: str, ylabel: str
) -> Figure:
    """Title a figure of panels, write its shared axis labels and its one legend."""
    label_figure(fig, axes, title, xlabel, ylabel)
    figure_legend(fig, axes, hue)
    fit_titles(fig)
    return fig


def _label_width_in(labels: Iterable[object], axis_name: str) -> float:
    """Width in inches of the widest of ``labels`` as a tick label of that axis."""
    size = tick_size_pt(axis_name)
    return max((text_width_pt(str(label), size) for label in labels), default=0.0) / 72


# ---------------------------------------------------------------------------------------------
# Bars and intervals over categories
# ---------------------------------------------------------------------------------------------


def bar_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    hue: str | None = None,
    ax: Axes | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    facet: str | None = None,
    ncols: int | None = None,
) -> Figure:
    """Plot one bar per row in the order of ``df`` (e.g. exchanges in order of appearance).

    For raw counts per unit, which carry no sampling interval of their own; bars are coloured
    by ``hue`` (e.g. the part of the interview) in :func:`colours_for` colours. With ``facet``,
    one panel per value of that column (each document's exchanges, say), sharing the y axis.
    """
    _require_labels(title, xlabel, ylabel)
    _own_figure(ax, facet)
    data = _checked(df, x, y, hue, facet)
    colours = _palette(data, hue)
    if facet is None:
        fig, ax = _axes(ax, (max(6.0, 0.32 * len(data) + 1.5), 3.8))
        _bars(ax, data, x, y, hue, colours)
        return _finish(ax, hue, title, xlabel, ylabel)
    panels = facet_values(data, facet)
    most = data.groupby(facet, sort=False, dropna=False).size().max()
    fig, axes = panel_grid(len(panels), (max(2.4, 0.2 * most + 0.7), 2.6), ncols=ncols, share="y")
    for ax, value in zip(axes, panels, strict=True):
        _bars(ax, _subset(data, facet, value), x, y, hue, colours)
        ax.set_title(str(value))
    return _finish_panels(fig, axes, hue, title, xlabel, ylabel)


def stacked_dot_plot(
    df: pd.DataFrame,
    x: str,
    panels: Mapping[str, str],
    hue: str | None = None,
    *,
    references: Mapping[str, float] | None = None,
    title: str = "",
    xlabel: str = "",
) -> Figure:
    """Plot one panel per measure, stacked over one shared category axis in the order of
    ``df`` (exchanges in order of appearance, say), one dot per row coloured by ``hue``.

    ``panels`` maps each column to the y label of its panel (with its unit or range). For
    values of each unit that carry no sampling interval of their own (a question's design, an
    answer's reply score): a reader follows one exchange down the panels. ``references`` gives
    a reference line per column (0.5 for a score whose middle means no lean).
    """
    if not panels:
        raise ValueError("panels must name at least one column to draw")
    for label in panels.values():
        _require_labels(title, xlabel, label)
    data = _checked(df, x, hue, *panels).reset_index(drop=True)
    colours = _palette(data, hue)
    width = max(6.0, 0.32 * len(data) + 1.5)
    fig, axes = panel_grid(len(panels), (width, 1.7), ncols=1, share="x")
    for ax, (column, label) in zip(axes, panels.items(), strict=True):
        _reference_line(ax, (references or {}).get(column), vertical=False)
        for group, rows in _groups(data, hue):
            values = rows[column].astype(float)
            ax.scatter(rows.index.to_numpy(float), values, s=36, zorder=3, **_style(group, colours))
        ax.set_ylabel(label)
        values = data[column].astype(float).dropna()
        if len(values) and (values == values.round()).all():
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        category_ticks(ax.xaxis, data[x])
        ax.set_xlim(-0.6, len(data) - 0.4)
        ax.margins(y=0.2)
    fig.suptitle(title)
    label_lowest(axes, xlabel)
    figure_legend(fig, axes, hue)
    fit_titles(fig)
    return fig


def _bars(
    ax: Axes,
    data: pd.DataFrame,
    x: str,
    y: str,
    hue: str | None,
    colours: dict[str, str] | None,
) -> None:
    """Draw one bar per row of ``data`` at positions 0..n-1, labelled by ``x``."""
    for group, rows in _groups(data, hue):
        ax.bar(rows.index.to_numpy(float), rows[y], width=0.8, **_style(group, colours))
    category_ticks(ax.xaxis, data[x])
    ax.set_xlim(-0.6, len(data) - 0.4)


def interval_plot(
    df: pd.DataFrame,
    x: str,
    y: str,
    lo: str,
    hi: str,
    hue: str | None = None,
    n: str | None = None,
    ax: Axes | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    facet: str | None = None,
    ncols: int | None = None,
) -> Figure:
    """Plot point estimates ``y`` per category ``x`` with interval bars from ``lo`` to ``hi``.

    One row per ``x`` (and ``hue``) value, in the order of ``df``. Groups of ``hue`` sit side
    by side in :func:`colours_for` colours and are labelled by their ``hue`` value. The sample
    size column ``n`` is written under each tick label without ``hue``, and above each interval
    with it (upright when there is no room for it flat). Missing bounds draw no bar. With
    ``facet``, one panel per value of that column, sharing the y axis.
    """
    return _interval_figure(
        "point", df, x, y, lo, hi, hue, n, ax, (title, xlabel, ylabel), facet, ncols
    )


def bar_with_ci(
    df: pd.DataFrame,
    x: str,
    y: str,
    lo: str,
    hi: str,
    hue: str | None = None,
    n: str | None = None,
    ax: Axes | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    facet: str | None = None,
    ncols: int | None = None,
) -> Figure:
    """Plot bars of ``y`` per category ``x`` with interval bars from ``lo`` to ``hi``.

    Same layout rules as :func:`interval_plot`; use bars only for quantities whose zero is
    meaningful (counts, rates, proportions).
    """
    return _interval_figure(
        "bar", df, x, y, lo, hi, hue, n, ax, (title, xlabel, ylabel), facet, ncols
    )


def _interval_width(data: pd.DataFrame, x: str, hue: str | None, facet: str | None) -> float:
    """Width in inches a panel needs for its categories: the busiest panel's."""
    groups = 1 if hue is None else data[hue].nunique(dropna=False)
    if facet is None:
        categories = data[x].nunique(dropna=False)
    else:
        categories = data.groupby(facet, sort=False, dropna=False)[x].nunique(dropna=False).max()
    return categories * (_INTERVAL_WIDTH[0] * groups + _INTERVAL_WIDTH[1])


def _interval_figure(
    kind: str,
    df: pd.DataFrame,
    x: str,
    y: str,
    lo: str,
    hi: str,
    hue: str | None,
    n: str | None,
    ax: Axes | None,
    labels: tuple[str, str, str],
    facet: str | None = None,
    ncols: int | None = None,
) -> Figure:
    """Draw :func:`interval_plot` (``kind="point"``) or :func:`bar_with_ci` (``"bar"``)."""
    _require_labels(*labels)
    _own_figure(ax, facet)
    data = _checked(df, x, y, lo, hi, hue, n, facet)
    keys = [k for k in (facet, x, hue) if k is not None]
    if data.duplicated(keys).any():
        raise ValueError(f"more than one row per {' and '.join(keys)}")
    colours = _palette(data, hue)
    width = _interval_width(data, x, hue, facet)
    if facet is None:
        fig, ax = _axes(ax, (max(7.0, width + 1.5), 4.5))
        _intervals(ax, kind, data, x, y, lo, hi, hue, n, colours)
        return _finish(ax, hue, *labels)
    panels = facet_values(data, facet)
    fig, axes = panel_grid(len(panels), (max(2.6, width + 0.6), 3.0), ncols=ncols, share="y")
    for ax, value in zip(axes, panels, strict=True):
        _intervals(ax, kind, _subset(data, facet, value), x, y, lo, hi, hue, n, colours)
        ax.set_title(str(value))
    return _finish_panels(fig, axes, hue, *labels)


def _intervals(
    ax: Axes,
    kind: str,
    data: pd.DataFrame,
    x: str,
    y: str,
    lo: str,
    hi: str,
    hue: str | None,
    n: str | None,
    colours: dict[str, str] | None,
    categories: list[object] | None = None,
    slots: list[object] | None = None,
) -> None:
    """Draw the estimates and intervals of ``data`` on ``ax``, one slot per ``x`` category:
    ``categories`` in their order (a slot stays empty when ``data`` lacks it), else those of
    ``data`` in order of first appearance. Within a category, each ``hue`` group has its place
    in ``slots`` (the groups of the whole figure, so that a group sits in the same place in
    every panel), else in the order of ``data``."""
    categories = list(pd.unique(data[x])) if categories is None else list(categories)
    groups = _groups(data, hue)
    order = [group for group, _ in groups] if slots is None else list(slots)
    width = 0.8 / len(order)
    ax.set_xlim(-0.5, len(categories) - 0.5)
    room = points_per_unit(ax, width)
    for group, rows in groups:
        i = order.index(group)
        where = rows[x].map({c: k for k, c in enumerate(categories)}).to_numpy(float)
        where = where + (i - (len(order) - 1) / 2) * width
        yerr = _errors(rows, y, lo, hi)
        style = _style(group, colours)
        if kind == "bar":
            ax.bar(where, rows[y], width=width * 0.9, yerr=yerr, capsize=3, **style)
        else:
            ax.errorbar(where, rows[y], yerr=yerr, fmt="o", capsize=3, **style)
        _mark_degenerate(ax, where, rows, y, lo, hi, style["color"], horizontal=False)
        if n is not None and hue is not None:
            _annotate_n(ax, where, rows[hi].fillna(rows[y]), rows[n], room)
    ticks = [str(c) for c in categories]
    if n is not None and hue is None:
        sizes = data.set_index(x)[n]
        ticks = [f"{c}\n(n={_count(sizes[c])})" if c in sizes.index else str(c) for c in categories]
    category_ticks(ax.xaxis, ticks)


def interval_panels(
    df: pd.DataFrame,
    x: str,
    y: str,
    lo: str,
    hi: str,
    panel: str,
    hue: str | None = None,
    n: str | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabels: dict[str, str] | None = None,
) -> Figure:
    """Draw :func:`interval_plot` once per value of ``panel``, side by side, in one figure.

    For measures in different units (rates per 1,000 words beside shares of sentences): each
    panel has its own y axis, labelled ``ylabels[panel value]``, and a width that grows with its
    number of ``x`` categories; the panel value is its title and ``title`` the figure's title.
    The ``hue`` legend is drawn once, below the panels. Panels appear in order of first
    appearance.
    """
    ylabels = ylabels or {}
    data = _checked(df, panel)
    panels = list(pd.unique(data[panel]))
    _require_title(title)
    missing = [p for p in panels if not str(ylabels.get(p, "")).strip()]
    if missing:
        raise ValueError(f"ylabels lacks a y-axis label for panels {missing}")
    widths = [data.loc[data[panel] == p, x].nunique() + 1 for p in panels]
    size = capped(max(6.0, 0.7 * sum(widths) + 1.5), 4.8)
    fig, axes = plt.subplots(1, len(panels), figsize=size, width_ratios=widths, squeeze=False)
    colours = _palette(data, hue)
    for ax, name in zip(axes[0], panels, strict=True):
        rows = _subset(data, panel, name)
        _require_labels(str(name), xlabel, ylabels[name])
        _interval_checked(rows, x, hue)
        _intervals(ax, "point", _checked(rows, x, y, lo, hi, hue, n), x, y, lo, hi, hue, n, colours)
        ax.set(title=str(name), xlabel=xlabel, ylabel=ylabels[name])
    figure_legend(fig, list(axes[0]), hue, ncols=None if colours is None else len(colours) + 2)
    fig.suptitle(title)
    fit_titles(fig)
    return fig


def _interval_checked(rows: pd.DataFrame, x: str, hue: str | None) -> None:
    """Refuse more than one row per category (and group) of one panel."""
    keys = [x] if hue is None else [x, hue]
    if rows.duplicated(keys).any():
        raise ValueError(f"more than one row per {' and '.join(keys)}")


def interval_grid(
    df: pd.DataFrame,
    x: str,
    y: str,
    lo: str,
    hi: str,
    panel: str,
    hue: str | None = None,
    n: str | None = None,
    *,
    ncols: int | None = None,
    title: str = "",
    xlabel: str = "",
    ylabels: dict[str, str] | None = None,
    reference: float | None = None,
    shade: Iterable[object] = (),
    figsize: tuple[float, float] | None = None,
    facet: str | None = None,
    order: Iterable[object] | None = None,
) -> Figure:
    """Draw :func:`interval_plot` once per value of ``panel``, in a grid of ``ncols`` columns.

    Like :func:`interval_panels` (each panel titled by its value, its y axis labelled
    ``ylabels[value]``, one ``hue`` legend below), but with panels of equal size in rows, for
    panels with many ``x`` categories (one per exchange, say) or many panels. ``xlabel`` is
    written under the bottom panel of each column; ``reference`` draws a dashed horizontal line
    in every panel (0 for a signed score); the ``x`` categories in ``shade`` get a grey
    background (e.g. the exchanges of one part). The y axes leave room above the intervals for
    the ``n`` labels. Categories stand in one order in every panel, ``order`` (those it does
    not list after it) or else that of their first appearance in ``df`` (a panel without a
    category leaves its slot empty), so that a category can be followed from panel to panel;
    each ``hue`` group keeps one place within a category in every panel. With ``facet``, each
    panel has the categories of its own rows.

    With ``facet`` (a document column, say), each ``panel`` value gets one panel per value of
    ``facet``, titled ``"<panel> · <facet value>"``: the panels of one ``panel`` value start a
    new row, wrap after ``ncols`` (chosen to fit when None) and share their y axis. Without it,
    ``ncols`` defaults to 1. ``figsize`` (default: grown with the panels) is capped at
    :data:`~discourse.plots.theme.MAX_INCHES` a side.
    """
    ylabels = ylabels or {}
    data = _checked(df, x, y, lo, hi, panel, hue, n, facet)
    panels = list(pd.unique(data[panel]))
    _require_title(title)
    missing = [p for p in panels if not str(ylabels.get(p, "")).strip()]
    if missing:
        raise ValueError(f"ylabels lacks a y-axis label for panels {missing}")
    cells = [
        (name, value)
        for name in panels
        for value in ([None] if facet is None else facet_values(_subset(data, panel, name), facet))
    ]
    colours = _palette(data, hue)
    shaded = {str(c) for c in shade}
    if facet is None:
        fig, axes = _grid_without_facet(len(panels), ncols or 1, figsize)
        blocks = [len(panels)]
    else:
        blocks = [sum(1 for name, _ in cells if name == p) for p in panels]
        width = _interval_width(data, x, hue, facet) if facet else 0.0
        fig, axes = panel_grid(
            blocks, (max(3.0, width + 0.8), 2.8), ncols=ncols, share="y", extra=(1.2, 1.6)
        )
        if figsize is not None:
            fig.set_size_inches(*capped(*figsize))
    first_column = {ax: ax.get_subplotspec().colspan.start == 0 for ax in axes}
    shared = list(pd.unique(data[x]))
    if order is not None:
        shared = [c for c in order if c in set(shared)] + [c for c in shared if c not in order]
    slots = None if hue is None else [group for group, _ in _groups(data, hue)]
    for ax, (name, value) in zip(axes, cells, strict=True):
        rows = _subset(data, panel, name)
        if facet is not None:
            rows = _subset(rows, facet, value)
        _interval_checked(rows, x, hue)
        in_panel = shared if facet is None else list(pd.unique(rows[x]))
        _intervals(ax, "point", rows, x, y, lo, hi, hue, n, colours, in_panel, slots)
        ax.set_title(str(name) if facet is None else f"{name} · {value}")
        ax.set_ylabel(ylabels[name] if facet is None or first_column[ax] else "")
        ax.margins(y=max(0.12, ax.margins()[1]))
        _reference_line(ax, reference, vertical=False)
        for position, category in enumerate(in_panel):
            if str(category) in shaded:
                ax.axvspan(position - 0.5, position + 0.5, color="0.92", lw=0, zorder=0)
    label_lowest(axes, xlabel)
    figure_legend(fig, axes, hue, ncols=None if colours is None else len(colours) + 2)
    fig.suptitle(title)
    fit_titles(fig)
    return fig


def _grid_without_facet(
    count: int, ncols: int, figsize: tuple[float, float] | None
) -> tuple[Figure, list[Axes]]:
    """The grid of :func:`interval_grid` without ``facet``: ``ncols`` columns, unshared axes."""
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer: {ncols!r}")
    nrows = -(-count // ncols)
    size = capped(*(figsize or (5.0 * ncols, 3.4 * nrows + 0.8)))
    fig, grid = plt.subplots(nrows, ncols, figsize=size, squeeze=False)
    for ax in grid.flat[count:]:
        ax.remove()
    return fig, list(grid.flat[:count])


# ---------------------------------------------------------------------------------------------
# Ranked rows
# ---------------------------------------------------------------------------------------------


def ranked_dot_plot(
    df: pd.DataFrame,
    value: str,
    label: str,
    hue: str | None = None,
    lo: str | None = None,
    hi: str | None = None,
    ax: Axes | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    reference: float | None = None,
    facet: str | None = None,
    ncols: int | None = None,
) -> Figure:
    """Plot one dot per row (e.g. per exchange), largest ``value`` at the top.

    Rows are labelled by ``label`` on the vertical axis; ties keep the order of ``df``.
    Optional ``lo``/``hi`` draw intervals (give both or neither); ``reference`` draws a
    vertical line (e.g. 0 or the overall mean). With ``facet``, each value of that column gets
    a panel of its own rows, ranked within it, sharing the value axis.
    """
    _require_labels(title, xlabel, ylabel)
    if (lo is None) != (hi is None):
        raise ValueError("give both lo and hi, or neither")
    _own_figure(ax, facet)
    data = _checked(df, value, label, hue, lo, hi, facet)
    colours = _palette(data, hue)
    if facet is None:
        fig, ax = _axes(ax, (7.0, max(3.0, 0.22 * len(data) + 1.2)))
        _dots(ax, data, value, label, hue, lo, hi, colours, reference)
        return _finish(ax, hue, title, xlabel, ylabel)
    panels = facet_values(data, facet)
    most = data.groupby(facet, sort=False, dropna=False).size().max()
    width = min(4.0, _label_width_in(data[label], "y")) + 3.0
    fig, axes = panel_grid(len(panels), (width, max(1.6, 0.2 * most + 0.7)), ncols=ncols, share="x")
    for ax, name in zip(axes, panels, strict=True):
        _dots(ax, _subset(data, facet, name), value, label, hue, lo, hi, colours, reference)
        ax.set_title(str(name))
    return _finish_panels(fig, axes, hue, title, xlabel, ylabel)


def _q_text(value: object) -> str:
    """Write a q-value for a row note: three decimals, "q < 0.001" below that, "q –" if missing."""
    if value is None or pd.isna(value):
        return "q –"
    return "q < 0.001" if float(value) < 0.001 else f"q = {float(value):.3f}"


def comparison_plot(
    df: pd.DataFrame,
    label: str,
    estimate: str = "estimate",
    lo: str = "ci_low",
    hi: str = "ci_high",
    *,
    n: str | None = None,
    q: str | None = None,
    verdict: str | None = None,
    panel: str | None = None,
    rank: bool = True,
    reference: float | None = 0.0,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    xlabels: dict[str, str] | None = None,
) -> Figure:
    """Plot comparisons as rows: each ``label``'s estimate with the interval its test gave, and
    beside it, right of the axes, its ``n``, ``q`` and ``verdict`` as the table gives them.

    Made for the tables of :mod:`discourse.stats` (``estimate``, ``ci_low``, ``ci_high``, ``q``,
    ``verdict``): the interval drawn is the one the verdict used, so a row whose interval
    excludes the dashed ``reference`` line (no difference) has p < 0.05. An estimate without an
    interval (too few units) is drawn open, and an interval of zero width as an open diamond.
    Rows are ranked by the estimate, largest at the top (``rank``), or kept in the order of
    ``df``. With ``panel``, one panel per value (stacked, in order of first appearance, each as
    tall as its rows, titled by the value), each with its own value axis labelled
    ``xlabels[value]`` (default ``xlabel``), for measures in different units.
    """
    _require_labels(title, xlabel, ylabel)
    data = _checked(df, label, estimate, lo, hi, n, q, verdict, panel)
    names = [None] if panel is None else facet_values(data, panel)
    parts = [data if name is None else _subset(data, panel, name) for name in names]
    parts = [
        _ranked(part, estimate) if rank else part.iloc[::-1].reset_index(drop=True)
        for part in parts
    ]
    notes = [[_row_note(row, n, q, verdict) for _, row in part.iterrows()] for part in parts]
    size = tick_size_pt("y")
    note_in = max((text_width_pt(t, size) for rows in notes for t in rows), default=0.0) / 72
    width = _label_width_in(data[label], "y") + note_in + 5.0
    counts = [len(part) for part in parts]
    columns = _comparison_columns(counts)
    tallest = max(sum(counts[i] for i in column) for column in columns)
    most = max(len(column) for column in columns)
    height = _ROW_PITCH * tallest + 0.75 * most + 1.2
    fig = plt.figure(figsize=capped(width * len(columns), height))
    grid = fig.add_gridspec(tallest, len(columns))
    axes = [None] * len(parts)
    for number, column in enumerate(columns):
        top = 0
        for i in column:
            axes[i] = fig.add_subplot(grid[top : top + counts[i], number])
            top += counts[i]
    xlabels = xlabels or {}
    for ax, name, part, rows in zip(axes, names, parts, notes, strict=True):
        where = part.index.to_numpy(float)
        ax.errorbar(
            part[estimate],
            where,
            xerr=_errors(part, estimate, lo, hi),
            fmt="o",
            capsize=2,
            color=NEUTRAL,
        )
        _mark_degenerate(ax, where, part, estimate, lo, hi, NEUTRAL, horizontal=True)
        _row_axis(ax, part, label)
        _reference_line(ax, reference, vertical=True)
        for position, note in zip(where, rows, strict=True):
            ax.annotate(
                note,
                (1.0, position),
                xycoords=("axes fraction", "data"),
                xytext=(6, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=size,
                annotation_clip=False,
            )
        if name is not None:
            ax.set_title(str(name), loc="left")
        ax.set_xlabel(xlabels.get(name, xlabel) if name is not None else xlabel)
    fig.supylabel(ylabel, fontsize=mpl.rcParams["axes.labelsize"])
    fig.suptitle(title)
    figure_legend(fig, axes, None)
    fit_titles(fig)
    return fig


def _row_note(row: pd.Series, n: str | None, q: str | None, verdict: str | None) -> str:
    """The note beside a row of :func:`comparison_plot`: n, q and verdict, those given."""
    parts = []
    if n is not None:
        parts.append(f"n = {_count(row[n])}")
    if q is not None:
        parts.append(_q_text(row[q]))
    if verdict is not None:
        parts.append(str(row[verdict]))
    return " · ".join(parts)


def _ranked(data: pd.DataFrame, key: str) -> pd.DataFrame:
    """Rows sorted so that the largest ``key`` is drawn at the top (the last position): the
    rows are reversed first, so that ties keep the table's order read from the top down."""
    ranked = data.iloc[::-1].sort_values(key, kind="mergesort", na_position="first")
    return ranked.reset_index(drop=True)


def _row_axis(ax: Axes, data: pd.DataFrame, label: str) -> None:
    """Label the rows 0..n-1 of a ranked chart on the vertical axis."""
    category_ticks(ax.yaxis, data[label])
    ax.set_ylim(-0.7, len(data) - 0.3)


def _dots(
    ax: Axes,
    data: pd.DataFrame,
    value: str,
    label: str,
    hue: str | None,
    lo: str | None,
    hi: str | None,
    colours: dict[str, str] | None,
    reference: float | None,
) -> None:
    """Draw the ranked dots (and intervals) of :func:`ranked_dot_plot` on ``ax``."""
    data = _ranked(data, value)
    for group, rows in _groups(data, hue):
        xerr = None if lo is None else _errors(rows, value, lo, hi)
        where = rows.index.to_numpy(float)
        style = _style(group, colours)
        ax.errorbar(rows[value], where, xerr=xerr, fmt="o", capsize=2, **style)
        if lo is not None:
            _mark_degenerate(ax, where, rows, value, lo, hi, style["color"], horizontal=True)
    _row_axis(ax, data, label)
    _reference_line(ax, reference, vertical=True)


def ranked_range_plot(
    df: pd.DataFrame,
    value: str,
    label: str,
    low: str,
    high: str,
    centre: str | None = None,
    hue: str | None = None,
    order_by: str | None = None,
    ax: Axes | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    range_label: str = "reference range",
    centre_label: str = "reference mean",
    facet: str | None = None,
    ncols: int | None = None,
) -> Figure:
    """Plot one row per item: its ``value`` as a dot over a grey reference range.

    Made for a statistic against its permutation baseline (an answer's similarity to its own
    question against the similarities of the other answers to it): a grey bar spans ``low`` to
    ``high``, a grey tick marks ``centre``, and a dot in the :func:`colours_for` colour of its
    ``hue`` group marks ``value``, which may lie outside the range. Rows are sorted by
    ``order_by`` (default ``value``), largest at the top, ties in the order of ``df``, and are
    labelled by ``label`` on the vertical axis. Rows with a missing bound draw no bar. The
    legend (range, centre, then ``hue`` groups in sorted order) sits below the axes, so that it
    never hides a row; on a figure of its own, title and legend are centred on the figure.
    With ``facet``, each value of that column gets a panel of its own rows, ranked within it,
    sharing the value axis.
    """
    _require_labels(title, xlabel, ylabel)
    _own_figure(ax, facet)
    key = value if order_by is None else order_by
    data = _checked(df, value, label, low, high, centre, hue, key, facet)
    colours = _palette(data, hue)
    names = (range_label, centre_label)
    columns = (value, label, low, high, centre, hue, key)
    order = [range_label, *([centre_label] if centre is not None else [])]
    order += sorted(colours or {})
    if facet is None:
        own_figure = ax is None
        fig, ax = _axes(ax, (9.5, max(3.0, 0.26 * len(data) + 2.0)))
        _ranges(ax, _ranked(data, key), columns, colours, names)
        ax.set(xlabel=xlabel, ylabel=ylabel)
        handles = dict(zip(*reversed(ax.get_legend_handles_labels()), strict=True))
        legend = {"title": hue, "frameon": False, "ncols": 2}
        entries = ([handles[k] for k in order], order)
        if own_figure:  # long row labels: centre title and legend on the figure, not the axes
            fig.suptitle(title)
            fig.legend(*entries, loc="outside lower center", **legend)
        else:
            ax.set_title(title)
            ax.legend(*entries, loc="upper center", bbox_to_anchor=(0.5, -0.12), **legend)
        return fig
    panels = facet_values(data, facet)
    most = data.groupby(facet, sort=False, dropna=False).size().max()
    width = min(4.0, _label_width_in(data[label], "y")) + 3.5
    fig, axes = panel_grid(
        len(panels), (width, max(1.6, 0.24 * most + 0.7)), ncols=ncols, share="x"
    )
    for ax, name in zip(axes, panels, strict=True):
        _ranges(ax, _ranked(_subset(data, facet, name), key), columns, colours, names)
        ax.set_title(str(name))
    label_figure(fig, axes, title, xlabel, ylabel)
    figure_legend(fig, axes, hue, order=order)
    fit_titles(fig)
    return fig


def _ranges(
    ax: Axes,
    data: pd.DataFrame,
    columns: tuple[str, str, str, str, str | None, str | None, str],
    colours: dict[str, str] | None,
    names: tuple[str, str],
) -> None:
    """Draw the ranges, centres and dots of :func:`ranked_range_plot` for ranked ``data``."""
    value, label, low, high, centre, hue, _ = columns
    ranges = data[data[[low, high]].notna().all(axis=1)]
    ax.barh(
        ranges.index.to_numpy(float),
        ranges[high] - ranges[low],
        left=ranges[low],
        height=0.55,
        color="0.85",
        label=names[0],
    )
    if centre is not None:
        where = data.index.to_numpy(float)
        ax.scatter(data[centre], where, marker="|", s=90, color="0.4", label=names[1])
    for group, rows in sorted(_groups(data, hue), key=lambda item: str(item[0])):
        where = rows.index.to_numpy(float)
        ax.scatter(rows[value], where, s=30, zorder=3, **_style(group, colours))
    _row_axis(ax, data, label)


def profile_plot(
    df: pd.DataFrame,
    label: str,
    value: str,
    lo: str,
    hi: str,
    hue: str,
    n: str | None = None,
    ax: Axes | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    panel: str | None = None,
) -> Figure:
    """Plot many measures on one standardised scale: one row per ``label``, one dot per ``hue``.

    Rows keep the order of first appearance in ``df``, top to bottom; the ``hue`` groups sit a
    little apart within each row, each with its interval from ``lo`` to ``hi`` (an estimate
    without an interval, or with one of zero width, is marked open); a dashed line marks 0 (the
    mean of all units). With ``n``, each group's size is added to its legend entry. With
    ``panel`` (a column naming each measure's family, say), the rows are split into one panel
    per value, stacked in order of first appearance, each as tall as its rows and titled by the
    value, all sharing the value axis. The title and the legend are centred on the figure, clear
    of the long row labels.
    """
    _require_labels(title, xlabel, ylabel)
    if panel is not None and ax is not None:
        raise ValueError("panel draws one panel per value in a figure of its own: omit ax")
    data = _checked(df, label, value, lo, hi, hue, n, panel)
    groups = _groups(data, hue)
    colours = _palette(data, hue)
    sizes = {} if n is None else {str(g): _count(part[n].max()) for g, part in groups}
    per_row = 0.3 * max(1, len(groups) / 2)
    if panel is None:
        rows = list(pd.unique(data[label]))
        if ax is None:
            _, ax = plt.subplots(figsize=capped(9.0, per_row * len(rows) + 2.0))
        axes = [ax]
        _profile_rows(ax, data, label, value, lo, hi, hue, colours, sizes)
        ax.set(xlabel=xlabel, ylabel=ylabel)
        fig = ax.get_figure(root=True)
    else:
        names = facet_values(data, panel)
        counts = [_subset(data, panel, name)[label].nunique() for name in names]
        height = per_row * sum(counts) + 0.55 * len(names) + 1.8
        fig, grid = plt.subplots(
            len(names), 1, figsize=capped(9.0, height), sharex=True, height_ratios=counts
        )
        axes = list(np.atleast_1d(grid))
        for ax, name in zip(axes, names, strict=True):
            _profile_rows(ax, _subset(data, panel, name), label, value, lo, hi, hue, colours, sizes)
            ax.set_title(str(name), loc="left")
        axes[-1].set_xlabel(xlabel)
        fig.supylabel(ylabel, fontsize=mpl.rcParams["axes.labelsize"])
    fig.suptitle(title)
    figure_legend(fig, axes, None, ncols=3)
    fit_titles(fig)
    return fig


def _profile_rows(
    ax: Axes,
    data: pd.DataFrame,
    label: str,
    value: str,
    lo: str,
    hi: str,
    hue: str,
    colours: dict[str, str] | None,
    sizes: dict[str, str],
) -> None:
    """Draw the rows of :func:`profile_plot` for ``data`` on ``ax``, the first row at the top."""
    rows = list(pd.unique(data[label]))
    groups = _groups(data, hue)
    step = 0.7 / max(1, len(groups))
    for i, (group, part) in enumerate(groups):
        where = part[label].map({r: k for k, r in enumerate(rows)}).to_numpy(float)
        where = where + (i - (len(groups) - 1) / 2) * step
        style = _style(group, colours)
        if str(group) in sizes:
            style["label"] = f"{group} (n={sizes[str(group)]})"
        xerr = _errors(part, value, lo, hi)
        ax.errorbar(part[value], where, xerr=xerr, fmt="o", capsize=2, markersize=4, **style)
        _mark_degenerate(ax, where, part, value, lo, hi, style["color"], horizontal=True)
    category_ticks(ax.yaxis, rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    _reference_line(ax, 0.0, vertical=True)


# ---------------------------------------------------------------------------------------------
# Grids of cells, curves and scatters
# ---------------------------------------------------------------------------------------------


def heatmap(
    df: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    ax: Axes | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    colorbar_label: str = "",
    vmin: float | None = None,
    vmax: float | None = None,
    facet: str | None = None,
    ncols: int | None = None,
) -> Figure:
    """Plot a long table as a grid of cells coloured by ``value``, with a labelled colour bar.

    One column per ``x`` and one row per ``y`` value, both in order of first appearance (the
    first ``y`` at the top); a combination missing from ``df`` or with a missing value is left
    blank. Colours follow "cividis", a map designed to read the same with and without colour
    vision deficiency and in greyscale (Nuñez, Anderton & Renslow 2018, *PLOS ONE*
    13(7):e0199239). Raises ValueError for a repeated (``x``, ``y``) pair. With ``facet``, one
    panel per value of that column holds its own ``x`` columns, every panel has all ``y`` rows,
    and one colour bar serves all panels (``vmin``/``vmax`` default to the whole table's range).
    """
    _require_labels(title, xlabel, ylabel)
    if not isinstance(colorbar_label, str) or not colorbar_label.strip():
        raise ValueError("colorbar_label is required: every colour scale must say what it shows")
    _own_figure(ax, facet)
    data = _checked(df, x, y, value, facet)
    keys = [k for k in (facet, x, y) if k is not None]
    if data.duplicated(keys).any():
        raise ValueError(f"more than one row per {' and '.join(keys[-2:])}")
    rows = list(pd.unique(data[y]))
    if facet is None:
        columns = list(pd.unique(data[x]))
        size = (max(7.0, 0.16 * len(columns) + 2.5), max(4.5, 0.28 * len(rows) + 1.5))
        fig, ax = _axes(ax, size)
        image = _cells(ax, data, x, y, value, rows, vmin, vmax)
        fig.colorbar(image, ax=ax, label=colorbar_label).ax.grid(False)
        return _finish(ax, None, title, xlabel, ylabel)
    values = data[value].to_numpy(float)
    finite = values[np.isfinite(values)]
    if vmin is None and finite.size:
        vmin = float(finite.min())
    if vmax is None and finite.size:
        vmax = float(finite.max())
    panels = facet_values(data, facet)
    most = data.groupby(facet, sort=False, dropna=False)[x].nunique().max()
    width = max(2.4, 0.22 * most + 0.6)
    height = max(1.8, 0.28 * len(rows) + 0.7)
    fig, axes = panel_grid(len(panels), (width, height), ncols=ncols, share="y", extra=(2.2, 1.4))
    for ax, name in zip(axes, panels, strict=True):
        image = _cells(ax, _subset(data, facet, name), x, y, value, rows, vmin, vmax)
        ax.set_title(str(name))
    fig.colorbar(image, ax=axes, label=colorbar_label).ax.grid(False)
    label_figure(fig, axes, title, xlabel, ylabel)
    return fig


def _cells(
    ax: Axes,
    data: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    rows: list[object],
    vmin: float | None,
    vmax: float | None,
):
    """Draw the cells of ``data`` (its own ``x`` columns, the given ``rows``) on ``ax``."""
    columns = list(pd.unique(data[x]))
    grid = data.pivot(index=y, columns=x, values=value).reindex(index=rows, columns=columns)
    cells = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    image = ax.imshow(cells, aspect="auto", cmap="cividis", vmin=vmin, vmax=vmax)
    category_ticks(ax.xaxis, columns)
    category_ticks(ax.yaxis, rows)
    ax.grid(False)
    return image


def line_with_band(
    df: pd.DataFrame,
    x: str,
    y: str,
    lo: str,
    hi: str,
    hue: str | None = None,
    ax: Axes | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    reference: float | None = None,
) -> Figure:
    """Plot ``y`` against an ordered ``x`` as a line with markers over a band from ``lo`` to ``hi``.

    Made for curves over a tuning parameter (a measure for each number of topics, say) whose
    band is a spread over resamples: unlike :func:`interval_plot`, the line need not lie inside
    its band. Rows are drawn in the order of ``df``; ``reference`` draws a horizontal line
    (e.g. a threshold). Missing bounds leave a gap in the band.
    """
    _require_labels(title, xlabel, ylabel)
    data = _checked(df, x, y, lo, hi, hue)
    colours = _palette(data, hue)
    fig, ax = _axes(ax)
    for group, rows in _groups(data, hue):
        style = _style(group, colours)
        ax.fill_between(rows[x], rows[lo], rows[hi], color=style["color"], alpha=0.2, lw=0)
        ax.plot(rows[x], rows[y], marker="o", **style)
    _reference_line(ax, reference, vertical=False)
    return _finish(ax, hue, title, xlabel, ylabel)


def labelled_scatter(
    df: pd.DataFrame,
    x: str,
    y: str,
    label: str,
    top: int = 15,
    hue: str | None = None,
    ax: Axes | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    reference: float | None = None,
) -> Figure:
    """Scatter ``y`` against ``x`` and write ``label`` beside the ``top`` rows of largest ``|y|``.

    Labels are placed by adjustText (:func:`place_labels`), clear of each other and of the
    points, with a thin leader line when set away from their point; ties in ``|y|`` are broken
    by label. ``reference`` draws a horizontal line (e.g. z = 0).
    """
    _require_labels(title, xlabel, ylabel)
    if not isinstance(top, int | np.integer) or top < 0:
        raise ValueError(f"top must be a non-negative integer: {top!r}")
    data = _checked(df, x, y, label, hue)
    colours = _palette(data, hue)
    fig, ax = _axes(ax)
    for group, rows in _groups(data, hue):
        ax.scatter(rows[x], rows[y], s=14, alpha=0.7, linewidths=0, **_style(group, colours))
    ranked = data.assign(_size=-data[y].abs(), _label=data[label].astype(str))
    chosen = ranked.sort_values(["_size", "_label"], kind="mergesort").head(top)
    _reference_line(ax, reference, vertical=False)
    _finish(ax, hue, title, xlabel, ylabel)
    texts = [
        ax.text(row[x], row[y], row["_label"], fontsize=SMALL_TEXT_PT)
        for _, row in chosen.iterrows()
    ]
    place_labels(ax, texts, data[x], data[y])
    return fig


def place_labels(ax: Axes, texts: list, x: Iterable[float], y: Iterable[float]) -> None:
    """Move the point labels ``texts`` of ``ax`` apart with adjustText (Flyamer et al.,
    https://github.com/Phlya/adjustText), clear of each other and of the points at ``x``,
    ``y``, inside the axes, each joined to its point by a thin grey line when moved away.

    The figure's layout is settled first at the saved resolution
    (:data:`~discourse.plots.theme.SAVE_DPI`), where the labels are measured, and placement
    runs a fixed :data:`LABEL_ITERATIONS` (never a time limit), so that it is the same on every
    run; labels still overlapping after a pass are pushed apart harder in another, up to
    :data:`LABEL_PASSES`. The labels are left out of the layout, which they therefore cannot
    move.
    """
    if not texts:
        return
    fig = ax.get_figure(root=True)
    for text in texts:
        text.set_in_layout(False)
        text.set_gid(POINT_LABEL)
    points = (np.asarray(list(x), dtype=float), np.asarray(list(y), dtype=float))
    targets = np.array([text.get_position() for text in texts], dtype=float)
    dpi = fig.dpi
    try:
        fig.dpi = SAVE_DPI
        fig.canvas.draw()
        patches: list = []
        for attempt in range(1, LABEL_PASSES + 1):
            for patch in patches:
                patch.remove()
            _, patches = adjust_text(
                texts,
                *points,
                target_x=targets[:, 0],
                target_y=targets[:, 1],
                ax=ax,
                iter_lim=LABEL_ITERATIONS,
                expand=(1.2, 1.5),
                force_text=(0.4 * attempt, 0.8 * attempt),
                force_static=(0.3 * attempt, 0.6 * attempt),
                force_pull=(0.005, 0.005),
                min_arrow_len=6,
                arrowprops={"arrowstyle": "-", "color": "0.45", "linewidth": 0.6, "shrinkA": 1},
            )
            if not _labels_overlap(texts, fig.canvas.get_renderer()) and not _labels_on_points(
                ax, texts, fig.canvas.get_renderer()
            ):
                break
    finally:
        fig.dpi = dpi


def _labels_on_points(ax: Axes, texts: list, renderer) -> bool:
    """Whether any of ``texts`` covers the centre of a point of ``ax`` as drawn now."""
    centres = standard.point_centres(ax)
    for text in texts:
        box = text.get_window_extent(renderer)
        inside = (
            (centres[:, 0] > box.x0)
            & (centres[:, 0] < box.x1)
            & (centres[:, 1] > box.y0)
            & (centres[:, 1] < box.y1)
        )
        if inside.any():
            return True
    return False


def _labels_overlap(texts: list, renderer) -> bool:
    """Whether any two of ``texts`` overlap as drawn now."""
    boxes = [text.get_window_extent(renderer) for text in texts]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def keyness_scatter(
    df: pd.DataFrame,
    x: str,
    y: str,
    label: str,
    top_per_side: int = 8,
    hue: str | None = None,
    ax: Axes | None = None,
    *,
    q: str | None = None,
    alpha: float = ALPHA,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
) -> Figure:
    """Scatter a keyness score ``y`` (a z score) against ``x`` (log frequency) and label the
    ``top_per_side`` rows of largest positive and of most negative ``y``.

    Each side gets its own labels, however unequal the scores of the two sides, placed by
    adjustText (:func:`place_labels`). Dashed lines mark ``y = 0`` and ``|y|`` at the two-sided
    ``alpha`` threshold of a normal z (1.96 for 0.05), the line a single test would use. With
    ``q`` (Benjamini-Hochberg q-values), only rows with ``q < alpha`` count as distinctive:
    their points are filled and their labels bold, the others drawn open, and a line added
    to the title says how many words are distinctive, or that none is and that the labels only
    mark the largest scores. The legend sits below the axes, clear of the labels.
    """
    _require_labels(title, xlabel, ylabel)
    if not isinstance(top_per_side, int | np.integer) or top_per_side < 0:
        raise ValueError(f"top_per_side must be a non-negative integer: {top_per_side!r}")
    data = _checked(df, x, y, label, hue, q)
    colours = _palette(data, hue)
    fig, ax = _axes(ax, (8.0, 6.0))
    distinctive = (
        pd.Series(True, index=data.index) if q is None else data[q].lt(alpha).fillna(False)
    )
    for group, rows in _groups(data, hue):
        style = _style(group, colours)
        kept = distinctive[rows.index]
        ax.scatter(rows.loc[kept, x], rows.loc[kept, y], s=16, linewidths=0, **style)
        if q is not None and (~kept).any():
            ax.scatter(
                rows.loc[~kept, x],
                rows.loc[~kept, y],
                s=14,
                facecolors="none",
                edgecolors=style["color"],
                linewidths=0.8,
                alpha=0.8,
            )
    if q is not None:
        ax.scatter(
            [],
            [],
            s=14,
            facecolors="none",
            edgecolors=NEUTRAL,
            linewidths=0.8,
            label=f"q ≥ {alpha:g}: not distinctive",
        )
    threshold = float(norm.isf(alpha / 2))
    _reference_line(ax, 0.0, vertical=False)
    for side in (threshold, -threshold):
        ax.axhline(side, color="0.35", linewidth=0.8, linestyle=":", zorder=1.5)
    ax.plot(
        [],
        [],
        color="0.35",
        linewidth=0.8,
        linestyle=":",
        label=f"|z| = {threshold:.2f} (p = {alpha:g}, one test)",
    )
    ranked = data.assign(_size=-data[y].abs(), _label=data[label].astype(str))
    ranked = ranked.sort_values(["_size", "_label"], kind="mergesort")
    chosen = pd.concat(
        [ranked[ranked[y] > 0].head(top_per_side), ranked[ranked[y] < 0].head(top_per_side)]
    ).sort_values(["_size", "_label"], kind="mergesort")
    if q is not None:
        count = int(distinctive.sum())
        title += (
            f"\n{count} of {len(data)} words distinctive at q < {alpha:g} (filled; labels in bold)"
            if count
            else f"\nNo word distinctive at q < {alpha:g}; labelled: the {top_per_side} "
            "largest |z| per side"
        )
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    figure_legend(fig, [ax], hue)
    fit_titles(fig)
    texts = [
        ax.text(
            row[x],
            row[y],
            row["_label"],
            fontsize=SMALL_TEXT_PT + 0.5,
            fontweight="bold" if q is not None and distinctive[index] else "normal",
        )
        for index, row in chosen.iterrows()
    ]
    place_labels(ax, texts, data[x], data[y])
    return fig
