"""One look for every figure in the study, and figure files that are identical run to run.

Colours come from the colour-blind-safe palette of Okabe & Ito (2008), *Color Universal
Design (CUD): How to make figures and presentations that are friendly to colorblind people*,
https://jfly.uni-koeln.de/color/. Each speaker, slate and interview part keeps one colour in
every figure (:data:`ROLE_COLOURS`, :func:`colour_for`, :func:`colours_for`).

Every plotting helper takes ``ax=None`` (a new figure is made when it is missing), returns the
:class:`~matplotlib.figure.Figure`, never shows it, and refuses to draw without a title and
both axis labels, so no figure ships unlabelled. :func:`save` writes PNG and SVG files with
nothing volatile in them (no dates, no software versions, no random identifiers).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from discourse.study.paths import FIGURES

__all__ = [
    "DETERMINISTIC_RC",
    "FURTHER_COLOURS",
    "OKABE_ITO",
    "PALETTE",
    "ROLE_COLOURS",
    "SAVE_DPI",
    "SVG_FONTTYPE",
    "SVG_HASHSALT",
    "THEME_RC",
    "SavedFigure",
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
    "profile_plot",
    "ranked_dot_plot",
    "ranked_range_plot",
    "save",
    "set_theme",
]

#: The eight colours of Okabe & Ito (2008), by their published names.
OKABE_ITO = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky blue": "#56B4E9",
        "bluish green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish purple": "#CC79A7",
    }
)

#: Okabe & Ito colours in the order figures use them: strongest contrast on white first,
#: yellow (hard to see on white) last. Treat as read-only.
PALETTE: list[str] = [
    OKABE_ITO[name]
    for name in (
        "blue",
        "vermillion",
        "bluish green",
        "orange",
        "sky blue",
        "reddish purple",
        "black",
        "yellow",
    )
]

#: Fixed colours for the speakers and interview parts of the study.
ROLE_COLOURS = MappingProxyType(
    {
        "Momentum Organisers": OKABE_ITO["blue"],
        "New Socialist": OKABE_ITO["vermillion"],
        "general": OKABE_ITO["bluish green"],
        "specific": OKABE_ITO["orange"],
        # Turns: the interviewer's questions take the interviewer's colour, answers their part's.
        "questions": OKABE_ITO["vermillion"],
        "general answers": OKABE_ITO["bluish green"],
        "specific answers": OKABE_ITO["orange"],
    }
)

#: Colours left for groups not in ROLE_COLOURS (further slates); yellow is kept as a last resort.
FURTHER_COLOURS: tuple[str, ...] = (
    OKABE_ITO["sky blue"],
    OKABE_ITO["reddish purple"],
    OKABE_ITO["black"],
)

#: Resolution of saved PNG files, in dots per inch.
SAVE_DPI = 200

#: Any fixed string works: it seeds the identifiers matplotlib writes into SVG files.
SVG_HASHSALT = "discourse-study"

#: SVG text is drawn as glyph outlines ("path") rather than kept as text ("none"): the figure
#: then looks the same on every machine whether or not DejaVu Sans is installed there, at the
#: cost of text that cannot be selected or edited in the SVG.
SVG_FONTTYPE = "path"

#: Settings that make saved files byte-identical from run to run.
DETERMINISTIC_RC = MappingProxyType({"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": SVG_FONTTYPE})

#: Matplotlib settings of the study's theme, applied on top of seaborn's "whitegrid" style.
THEME_RC = MappingProxyType(
    {
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.title_fontsize": 9,
        "figure.titlesize": 12,
        "figure.figsize": (7.0, 4.5),
        "figure.dpi": 100,
        "savefig.dpi": SAVE_DPI,
        "figure.constrained_layout.use": True,
        "axes.prop_cycle": cycler(color=PALETTE),
        **DETERMINISTIC_RC,
    }
)

_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_LABEL_OFFSETS = ((4, 4), (4, -11), (-4, 4), (-4, -11))


def set_theme() -> None:
    """Apply the study's theme: seaborn "whitegrid", Okabe-Ito colours and :data:`THEME_RC`."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font="DejaVu Sans")
    mpl.rcParams.update(THEME_RC)


def colour_for(group: object) -> str:
    """Return the colour of one speaker, part or slate, the same in every figure.

    Groups in :data:`ROLE_COLOURS` get their fixed colour; any other group gets one of
    :data:`FURTHER_COLOURS` chosen by the CRC-32 checksum of its name, which, unlike
    ``hash``, does not change between Python processes.
    """
    name = str(group)
    if name in ROLE_COLOURS:
        return ROLE_COLOURS[name]
    return FURTHER_COLOURS[zlib.crc32(name.encode("utf-8")) % len(FURTHER_COLOURS)]


def colours_for(groups: Iterable[object]) -> dict[str, str]:
    """Return distinct colours for the groups of one figure, keyed by group name.

    Each group keeps :func:`colour_for` unless an earlier group (fixed roles first, then the
    rest in sorted order) already took that colour; it then gets the first free colour of
    :data:`PALETTE`. Raises ValueError when there are more groups than colours.
    """
    names = sorted({str(group) for group in groups}, key=lambda n: (n not in ROLE_COLOURS, n))
    if len(names) > len(PALETTE):
        raise ValueError(f"{len(names)} groups but only {len(PALETTE)} distinguishable colours")
    chosen: dict[str, str] = {}
    for name in names:
        colour = colour_for(name)
        if colour in chosen.values():
            colour = next(c for c in PALETTE if c not in chosen.values())
        chosen[name] = colour
    return chosen


@contextmanager
def _layout_kept(fig: Figure) -> Iterator[None]:
    """Within the block, draw ``fig`` with the layout it already has: its layout engine (if
    any) is switched off and put back afterwards."""
    engine = fig.get_layout_engine()
    if engine is None:
        yield
        return
    fig.set_layout_engine("none")
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


class SavedFigure(tuple):
    """The ``(png, svg)`` paths :func:`save` wrote; in a notebook it shows the saved PNG itself.

    Shown as a cell's result, it displays the PNG file's bytes at the size the figure has on
    screen (``figure.dpi``), so what a reader sees in the notebook is the file in ``figures/``,
    and the figure is not drawn a third time for the notebook. Its text form names the files
    without their folder, so no path of the machine ends up in a notebook.
    """

    def __new__(cls, png: Path, svg: Path, shown_size: tuple[int, int]) -> SavedFigure:
        saved = super().__new__(cls, (png, svg))
        saved.shown_size = shown_size
        return saved

    @property
    def png(self) -> Path:
        """The PNG file."""
        return self[0]

    @property
    def svg(self) -> Path:
        """The SVG file."""
        return self[1]

    def __getnewargs__(self) -> tuple[Path, Path, tuple[int, int]]:
        return self.png, self.svg, self.shown_size

    def _repr_png_(self) -> tuple[bytes, dict[str, int]]:
        width, height = self.shown_size
        return self.png.read_bytes(), {"width": width, "height": height}

    def __repr__(self) -> str:
        return f"saved {self.png.name} and {self.svg.name}"

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(repr(self))


def save(
    fig: Figure, name: str, directory: str | Path | None = None, *, close: bool = True
) -> SavedFigure:
    """Write ``fig`` as ``<name>.png`` and ``<name>.svg``; return the two paths as a
    :class:`SavedFigure`, which a notebook displays as the saved PNG.

    The files go to ``directory`` (default: the study's ``figures/`` folder). ``name`` must be
    a lower-case slug (letters, digits, single ``-`` or ``_`` between them). The PNG carries no
    software tag and the SVG no date or creator, and SVG identifiers are seeded with
    :data:`SVG_HASHSALT`, so saving the same figure again gives byte-identical files. The SVG
    keeps the layout computed for the PNG (one layout for both files, and half the drawing
    time). With ``close`` (the default) the figure is closed afterwards, so that a notebook
    shows the saved file instead of drawing the figure once more.
    """
    if not isinstance(name, str) or not _SLUG.fullmatch(name):
        raise ValueError(f"figure name must be a lower-case slug such as 'answer-length': {name!r}")
    folder = FIGURES if directory is None else Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    with mpl.rc_context(dict(DETERMINISTIC_RC)):
        fig.savefig(png, format="png", dpi=SAVE_DPI, metadata={"Software": None})
        with _layout_kept(fig):
            fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    width, height = fig.get_size_inches() * mpl.rcParams["figure.dpi"]
    if close:
        plt.close(fig)
    return SavedFigure(png, svg, (round(width), round(height)))


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
) -> Figure:
    """Plot point estimates ``y`` per category ``x`` with interval bars from ``lo`` to ``hi``.

    One row per ``x`` (and ``hue``) value, in the order of ``df``. Groups of ``hue`` sit side
    by side in :func:`colours_for` colours. The sample size column ``n`` is written under each
    tick label without ``hue``, and above each interval with it. Missing bounds draw no bar.
    """
    return _interval_figure("point", df, x, y, lo, hi, hue, n, ax, (title, xlabel, ylabel))


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
) -> Figure:
    """Plot bars of ``y`` per category ``x`` with interval bars from ``lo`` to ``hi``.

    Same layout rules as :func:`interval_plot`; use bars only for quantities whose zero is
    meaningful (counts, rates, proportions).
    """
    return _interval_figure("bar", df, x, y, lo, hi, hue, n, ax, (title, xlabel, ylabel))


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
) -> Figure:
    """Plot one dot per row (e.g. per exchange), largest ``value`` at the top.

    Rows are labelled by ``label`` on the vertical axis; ties keep the order of ``df``.
    Optional ``lo``/``hi`` draw intervals (give both or neither); ``reference`` draws a
    vertical line (e.g. 0 or the overall mean).
    """
    _require_labels(title, xlabel, ylabel)
    if (lo is None) != (hi is None):
        raise ValueError("give both lo and hi, or neither")
    data = _checked(df, value, label, hue, lo, hi)
    # Largest at the top: the bottom row (position 0) holds the smallest value. Reversing the
    # rows first keeps ties in the order of ``df`` when read from the top down.
    data = data.iloc[::-1].sort_values(value, kind="mergesort", na_position="first")
    data = data.reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, max(3.0, 0.22 * len(data) + 1.2)))
    for group, rows in _groups(data, hue):
        xerr = None if lo is None else _errors(rows, value, lo, hi)
        where = rows.index.to_numpy(float)
        ax.errorbar(rows[value], where, xerr=xerr, fmt="o", capsize=2, **_style(group, hue, data))
    ax.set_yticks(range(len(data)), [str(v) for v in data[label]])
    ax.set_ylim(-0.7, len(data) - 0.3)
    _reference_line(ax, reference, vertical=True)
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

    Made for keyness figures (z score against log frequency). Labels alternate between four
    offsets around their point, in order of ``x``, so neighbours rarely overlap; ties in
    ``|y|`` are broken by label. ``reference`` draws a horizontal line (e.g. z = 0).
    """
    _require_labels(title, xlabel, ylabel)
    if not isinstance(top, int | np.integer) or top < 0:
        raise ValueError(f"top must be a non-negative integer: {top!r}")
    data = _checked(df, x, y, label, hue)
    fig, ax = _axes(ax)
    for group, rows in _groups(data, hue):
        ax.scatter(rows[x], rows[y], s=14, alpha=0.7, linewidths=0, **_style(group, hue, data))
    ranked = data.assign(_size=-data[y].abs(), _label=data[label].astype(str))
    chosen = ranked.sort_values(["_size", "_label"], kind="mergesort").head(top)
    for i, (_, row) in enumerate(chosen.sort_values(x, kind="mergesort").iterrows()):
        dx, dy = _LABEL_OFFSETS[i % len(_LABEL_OFFSETS)]
        ax.annotate(
            row["_label"],
            (row[x], row[y]),
            xytext=(dx, dy),
            textcoords="offset points",
            ha="left" if dx > 0 else "right",
            fontsize="x-small",
        )
    _reference_line(ax, reference, vertical=False)
    return _finish(ax, hue, title, xlabel, ylabel)


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
) -> Figure:
    """Plot one bar per row in the order of ``df`` (e.g. exchanges in order of appearance).

    For raw counts per unit, which carry no sampling interval of their own; bars are coloured
    by ``hue`` (e.g. the part of the interview) in :func:`colours_for` colours.
    """
    _require_labels(title, xlabel, ylabel)
    data = _checked(df, x, y, hue)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 0.32 * len(data) + 1.5), 3.8))
    for group, rows in _groups(data, hue):
        ax.bar(rows.index.to_numpy(float), rows[y], width=0.8, **_style(group, hue, data))
    ax.set_xticks(range(len(data)), [str(v) for v in data[x]])
    ax.set_xlim(-0.6, len(data) - 0.4)
    return _finish(ax, hue, title, xlabel, ylabel)


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
) -> Figure:
    """Draw :func:`interval_plot` (``kind="point"``) or :func:`bar_with_ci` (``"bar"``)."""
    _require_labels(*labels)
    data = _checked(df, x, y, lo, hi, hue, n)
    keys = [x] if hue is None else [x, hue]
    if data.duplicated(keys).any():
        raise ValueError(f"more than one row per {' and '.join(keys)}")
    fig, ax = _axes(ax)
    categories = list(pd.unique(data[x]))
    groups = _groups(data, hue)
    width = 0.8 / len(groups)
    for i, (group, rows) in enumerate(groups):
        where = rows[x].map({c: k for k, c in enumerate(categories)}).to_numpy(float)
        where = where + (i - (len(groups) - 1) / 2) * width
        _draw_interval(ax, kind, where, rows, y, lo, hi, width, _style(group, hue, data))
        if n is not None and hue is not None:
            _annotate_n(ax, where, rows[hi].fillna(rows[y]), rows[n])
    ticks = [str(c) for c in categories]
    if n is not None and hue is None:
        sizes = data.set_index(x)[n]
        ticks = [f"{c}\n(n={_count(sizes[c])})" for c in categories]
    ax.set_xticks(range(len(categories)), ticks)
    ax.set_xlim(-0.5, len(categories) - 0.5)
    return _finish(ax, hue, *labels)


def _draw_interval(
    ax: Axes,
    kind: str,
    where: np.ndarray,
    rows: pd.DataFrame,
    y: str,
    lo: str,
    hi: str,
    width: float,
    style: dict[str, str],
) -> None:
    """Draw one hue group of estimates with their intervals, as points or as bars."""
    yerr = _errors(rows, y, lo, hi)
    if kind == "bar":
        ax.bar(where, rows[y], width=width * 0.9, yerr=yerr, capsize=3, **style)
    else:
        ax.errorbar(where, rows[y], yerr=yerr, fmt="o", capsize=3, **style)


def _require_labels(title: str, xlabel: str, ylabel: str) -> None:
    """Raise ValueError unless the title and both axis labels are non-blank strings."""
    for what, text in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{what} is required: every figure must say what it shows")


def _checked(df: pd.DataFrame, *columns: str | None) -> pd.DataFrame:
    """Return ``df`` with a fresh 0..n-1 index after checking it has rows and the columns."""
    missing = [c for c in columns if c is not None and c not in df.columns]
    if missing:
        raise ValueError(f"missing columns: {missing}")
    if df.empty:
        raise ValueError("nothing to plot: the table has no rows")
    return df.reset_index(drop=True)


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


def _style(group: object, hue: str | None, data: pd.DataFrame) -> dict[str, str]:
    """Return the colour and legend label of one hue group."""
    if hue is None:
        return {"color": PALETTE[0]}
    return {"color": colours_for(data[hue])[str(group)], "label": str(group)}


def _annotate_n(ax: Axes, where: np.ndarray, heights: pd.Series, sizes: pd.Series) -> None:
    """Write ``n=...`` just above each interval."""
    for xpos, height, size in zip(where, heights, sizes, strict=True):
        ax.annotate(
            f"n={_count(size)}",
            (xpos, height),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize="x-small",
        )


def _count(size: object) -> str:
    """Write a sample size without a spurious decimal part (12.0 -> "12")."""
    if isinstance(size, float | np.floating) and float(size).is_integer():
        return str(int(size))
    return str(size)


def _reference_line(ax: Axes, at: float | None, *, vertical: bool) -> None:
    """Draw a thin grey reference line at ``at`` unless it is None."""
    if at is None:
        return
    line = ax.axvline if vertical else ax.axhline
    line(at, color="0.4", linewidth=0.8, linestyle="--", zorder=0)


def _axes(ax: Axes | None) -> tuple[Figure, Axes]:
    """Return the figure of ``ax``, or a new figure and axes when ``ax`` is None."""
    if ax is None:
        return plt.subplots()
    return ax.get_figure(root=True), ax


def _finish(ax: Axes, hue: str | None, title: str, xlabel: str, ylabel: str) -> Figure:
    """Set title and axis labels, add a legend when there are hue groups, return the figure."""
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if hue is not None:
        ax.legend(title=hue, frameon=False)
    return ax.get_figure(root=True)


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
    fig, ax = _axes(ax)
    for group, rows in _groups(data, hue):
        style = _style(group, hue, data)
        ax.fill_between(rows[x], rows[lo], rows[hi], color=style["color"], alpha=0.2, lw=0)
        ax.plot(rows[x], rows[y], marker="o", **style)
    _reference_line(ax, reference, vertical=False)
    return _finish(ax, hue, title, xlabel, ylabel)


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
) -> Figure:
    """Plot a long table as a grid of cells coloured by ``value``, with a labelled colour bar.

    One column per ``x`` and one row per ``y`` value, both in order of first appearance (the
    first ``y`` at the top); a combination missing from ``df`` or with a missing value is left
    blank. Colours follow "cividis", a map designed to read the same with and without colour
    vision deficiency and in greyscale (Nuñez, Anderton & Renslow 2018, *PLOS ONE*
    13(7):e0199239). Raises ValueError for a repeated (``x``, ``y``) pair.
    """
    _require_labels(title, xlabel, ylabel)
    if not isinstance(colorbar_label, str) or not colorbar_label.strip():
        raise ValueError("colorbar_label is required: every colour scale must say what it shows")
    data = _checked(df, x, y, value)
    if data.duplicated([x, y]).any():
        raise ValueError(f"more than one row per {x} and {y}")
    columns, rows = list(pd.unique(data[x])), list(pd.unique(data[y]))
    grid = data.pivot(index=y, columns=x, values=value).reindex(index=rows, columns=columns)
    fig, ax = _axes(ax)
    cells = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    image = ax.imshow(cells, aspect="auto", cmap="cividis", vmin=vmin, vmax=vmax)
    ax.set_xticks(range(len(columns)), [str(c) for c in columns])
    ax.set_yticks(range(len(rows)), [str(r) for r in rows])
    ax.grid(False)
    fig.colorbar(image, ax=ax, label=colorbar_label).ax.grid(False)
    return _finish(ax, None, title, xlabel, ylabel)


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
    """
    _require_labels(title, xlabel, ylabel)
    key = value if order_by is None else order_by
    data = _checked(df, value, label, low, high, centre, hue, key)
    data = data.iloc[::-1].sort_values(key, kind="mergesort", na_position="first")
    data = data.reset_index(drop=True)
    own_figure = ax is None
    if own_figure:
        _, ax = plt.subplots(figsize=(9.5, max(3.0, 0.26 * len(data) + 2.0)))
    ranges = data[data[[low, high]].notna().all(axis=1)]
    handles = [
        ax.barh(
            ranges.index.to_numpy(float),
            ranges[high] - ranges[low],
            left=ranges[low],
            height=0.55,
            color="0.85",
            label=range_label,
        )
    ]
    where = data.index.to_numpy(float)
    if centre is not None:
        handles.append(
            ax.scatter(data[centre], where, marker="|", s=90, color="0.4", label=centre_label)
        )
    groups = sorted(_groups(data, hue), key=lambda item: str(item[0]))
    for group, rows in groups:
        where = rows.index.to_numpy(float)
        style = _style(group, hue, data)
        handles.append(ax.scatter(rows[value], where, s=30, zorder=3, **style))
    ax.set_yticks(range(len(data)), [str(v) for v in data[label]])
    ax.set_ylim(-0.7, len(data) - 0.3)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    fig = ax.get_figure(root=True)
    legend = {"handles": handles, "title": hue, "frameon": False, "ncols": 2}
    if own_figure:  # long row labels: centre title and legend on the figure, not the axes
        fig.suptitle(title)
        fig.legend(loc="outside lower center", **legend)
    else:
        ax.set_title(title)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), **legend)
    return fig


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
    panels = list(pd.unique(_checked(df, panel)[panel]))
    if not isinstance(title, str) or not title.strip():
        raise ValueError("title is required: every figure must say what it shows")
    missing = [p for p in panels if not str(ylabels.get(p, "")).strip()]
    if missing:
        raise ValueError(f"ylabels lacks a y-axis label for panels {missing}")
    widths = [df.loc[df[panel] == p, x].nunique() + 1 for p in panels]
    size = (max(6.0, 0.7 * sum(widths) + 1.5), 4.8)
    fig, axes = plt.subplots(1, len(panels), figsize=size, width_ratios=widths, squeeze=False)
    for ax, name in zip(axes[0], panels, strict=True):
        rows = df[df[panel] == name]
        interval_plot(
            rows, x, y, lo, hi, hue, n, ax, title=str(name), xlabel=xlabel, ylabel=ylabels[name]
        )
        if hue is not None:
            handles, labels = ax.get_legend_handles_labels()
            ax.get_legend().remove()
    if hue is not None:
        fig.legend(
            handles, labels, title=hue, loc="outside lower center", ncols=len(labels), frameon=False
        )
    fig.suptitle(title)
    return fig


#: Offsets (in points) tried, in order, for a label of :func:`keyness_scatter`: close to the
#: point first, then further out in eight directions.
_REPEL_OFFSETS = tuple(
    (radius * dx, radius * dy)
    for radius in (5, 12, 20, 30, 42)
    for dx, dy in ((1, 0.4), (-1, 0.4), (1, -1), (-1, -1), (0, 1.2), (0, -1.6), (1.2, 1), (-1.2, 1))
)


def keyness_scatter(
    df: pd.DataFrame,
    x: str,
    y: str,
    label: str,
    top_per_side: int = 8,
    hue: str | None = None,
    ax: Axes | None = None,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
) -> Figure:
    """Scatter a keyness score ``y`` (a z score) against ``x`` (log frequency) and label the
    ``top_per_side`` rows of largest positive and of most negative ``y``.

    Unlike :func:`labelled_scatter`, each side gets its own labels, however unequal the scores of
    the two sides, and labels do not overlap: they are placed one by one, most extreme first, at
    the first of a fixed list of offsets (:data:`_REPEL_OFFSETS`) where the label's box stays
    inside the axes and clear of the legend and of every label placed before (the last offset
    when none is free); a label set away from its point gets
    a thin leader line. Placement is deterministic. A dashed line marks ``y = 0``.
    """
    _require_labels(title, xlabel, ylabel)
    if not isinstance(top_per_side, int | np.integer) or top_per_side < 0:
        raise ValueError(f"top_per_side must be a non-negative integer: {top_per_side!r}")
    data = _checked(df, x, y, label, hue)
    fig, ax = _axes(ax)
    for group, rows in _groups(data, hue):
        ax.scatter(rows[x], rows[y], s=14, alpha=0.7, linewidths=0, **_style(group, hue, data))
    ranked = data.assign(_size=-data[y].abs(), _label=data[label].astype(str))
    ranked = ranked.sort_values(["_size", "_label"], kind="mergesort")
    chosen = pd.concat(
        [ranked[ranked[y] > 0].head(top_per_side), ranked[ranked[y] < 0].head(top_per_side)]
    ).sort_values(["_size", "_label"], kind="mergesort")
    _reference_line(ax, 0.0, vertical=False)
    _finish(ax, hue, title, xlabel, ylabel)
    fig.canvas.draw()  # settle the layout, so that label boxes are measured where they end up
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    legend = ax.get_legend()
    placed = [] if legend is None else [legend.get_window_extent(renderer)]
    for _, row in chosen.iterrows():
        for offset in _REPEL_OFFSETS:
            text = ax.annotate(
                row["_label"],
                (row[x], row[y]),
                xytext=offset,
                textcoords="offset points",
                ha="left" if offset[0] > 0 else ("right" if offset[0] < 0 else "center"),
                va="center",
                fontsize="x-small",
            )
            box = text.get_window_extent(renderer).expanded(1.08, 1.2)
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(other) for other in placed):
                break
            if offset != _REPEL_OFFSETS[-1]:
                text.remove()
        if max(abs(offset[0]), abs(offset[1])) > 10:
            ax.annotate(
                "",
                (row[x], row[y]),
                xytext=offset,
                textcoords="offset points",
                arrowprops={"arrowstyle": "-", "color": "0.5", "linewidth": 0.5, "shrinkB": 2},
            )
        placed.append(box)
    return fig


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
) -> Figure:
    """Plot many measures on one standardised scale: one row per ``label``, one dot per ``hue``.

    Rows keep the order of first appearance in ``df``, top to bottom; the ``hue`` groups sit a
    little apart within each row, each with its interval from ``lo`` to ``hi``; a dashed line marks
    0 (the mean of all units). With ``n``, each group's size is added to its legend entry. The
    title and the legend are centred on the figure, clear of the long row labels.
    """
    _require_labels(title, xlabel, ylabel)
    data = _checked(df, label, value, lo, hi, hue, n)
    rows = list(pd.unique(data[label]))
    groups = _groups(data, hue)
    if ax is None:
        _, ax = plt.subplots(figsize=(9.0, 0.3 * len(rows) * max(1, len(groups) / 2) + 2.0))
    step = 0.7 / max(1, len(groups))
    for i, (group, part) in enumerate(groups):
        where = part[label].map({r: k for k, r in enumerate(rows)}).to_numpy(float)
        where = where + (i - (len(groups) - 1) / 2) * step
        style = _style(group, hue, data)
        if n is not None:
            style["label"] = f"{group} (n={_count(part[n].max())})"
        xerr = _errors(part, value, lo, hi)
        ax.errorbar(part[value], where, xerr=xerr, fmt="o", capsize=2, markersize=4, **style)
    ax.set_yticks(range(len(rows)), [str(r) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    _reference_line(ax, 0.0, vertical=True)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    fig = ax.get_figure(root=True)
    fig.suptitle(title)
    fig.legend(loc="outside lower center", frameon=False, ncols=min(3, len(groups)))
    return ax.get_figure(root=True)


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
    ncols: int = 1,
    title: str = "",
    xlabel: str = "",
    ylabels: dict[str, str] | None = None,
    reference: float | None = None,
    shade: Iterable[object] = (),
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Draw :func:`interval_plot` once per value of ``panel``, in a grid of ``ncols`` columns.

    Like :func:`interval_panels` (each panel titled by its value, its y axis labelled
    ``ylabels[value]``, one ``hue`` legend below), but with panels of equal size in rows, for
    panels with many ``x`` categories (one per exchange, say) or many panels. ``xlabel`` is
    written under the bottom panel of each column; ``reference`` draws a dashed horizontal line
    in every panel (0 for a signed score); the ``x`` categories in ``shade`` get a grey
    background (e.g. the exchanges of one part). The y axes leave room above the intervals for
    the ``n`` labels. Within a panel, categories and groups follow its rows' order.
    """
    ylabels = ylabels or {}
    panels = list(pd.unique(_checked(df, panel)[panel]))
    if not isinstance(title, str) or not title.strip():
        raise ValueError("title is required: every figure must say what it shows")
    missing = [p for p in panels if not str(ylabels.get(p, "")).strip()]
    if missing:
        raise ValueError(f"ylabels lacks a y-axis label for panels {missing}")
    nrows = -(-len(panels) // ncols)
    size = figsize or (5.0 * ncols, 3.4 * nrows + 0.8)
    fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False)
    shaded = {str(c) for c in shade}
    for k, (ax, name) in enumerate(zip(axes.flat, panels, strict=False)):
        rows = df[df[panel] == name]
        interval_plot(
            rows, x, y, lo, hi, hue, n, ax, title=str(name), xlabel=xlabel, ylabel=ylabels[name]
        )
        ax.margins(y=0.12)
        _reference_line(ax, reference, vertical=False)
        for position, category in enumerate(pd.unique(rows[x])):
            if str(category) in shaded:
                ax.axvspan(position - 0.5, position + 0.5, color="0.92", lw=0, zorder=0)
        if k + ncols < len(panels):
            ax.set_xlabel("")
        if hue is not None:
            handles, labels = ax.get_legend_handles_labels()
            ax.get_legend().remove()
    for ax in axes.flat[len(panels) :]:
        ax.remove()
    if hue is not None:
        fig.legend(
            handles, labels, title=hue, loc="outside lower center", ncols=len(labels), frameon=False
        )
    fig.suptitle(title)
    return fig
