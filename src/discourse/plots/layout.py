"""Layout shared by the charts: capped sizes, wrapped panels, thinned category ticks, legends."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from discourse.plots.theme import MAX_INCHES

#: Width over height that wrapped panels aim at, among the layouts that need least shrinking.
TARGET_ASPECT = 1.5

_TEXT = TextToPath()

#: Legend entry of an estimate drawn without an interval (too few units for one).
NO_INTERVAL = "no interval (too few units)"

#: Legend entry of an interval of zero width (every resample or shift gave the same value):
#: drawn as an open diamond, so that it does not look like a certain estimate.
ZERO_WIDTH = "interval of zero width"


def last_notes(entries: dict[str, object]) -> dict[str, object]:
    """Legend entries with the notes on intervals (:data:`NO_INTERVAL`, :data:`ZERO_WIDTH`)
    moved after the groups."""
    notes = (NO_INTERVAL, ZERO_WIDTH)
    kept = {label: handle for label, handle in entries.items() if label not in notes}
    return kept | {label: entries[label] for label in notes if label in entries}


def capped(width: float, height: float) -> tuple[float, float]:
    """Return a figure size with each side at most :data:`~discourse.plots.theme.MAX_INCHES`."""
    return min(float(width), MAX_INCHES), min(float(height), MAX_INCHES)


def text_width_pt(text: str, size_pt: float) -> float:
    """Width in points of the widest line of ``text`` set in the theme's font at ``size_pt``."""
    font = FontProperties(family=mpl.rcParams["font.sans-serif"][:1] or None, size=size_pt)
    return max(
        (
            _TEXT.get_text_width_height_descent(line, font, ismath=False)[0]
            for line in text.split("\n")
        ),
        default=0.0,
    )


def tick_size_pt(axis_name: str) -> float:
    """Size in points of the tick labels of the ``"x"`` or ``"y"`` axis under the theme."""
    return FontProperties(size=mpl.rcParams[f"{axis_name}tick.labelsize"]).get_size_in_points()


class CategoryLocator(ticker.Locator):
    """Ticks at the categories 0, 1, ..., n-1 of an axis, thinned to every k-th category when
    their labels would not fit side by side along the axis as it is drawn.

    ``extent`` is the room one label needs along the axis, in points (its width on a horizontal
    axis, its height on a vertical one). The step k is worked out from the axis length at each
    draw, after the layout has settled, so a panel shows as many labels as it has room for.
    """

    def __init__(self, count: int, extent: float) -> None:
        self.count = count
        self.extent = extent

    def step(self) -> int:
        """The thinning step for the axis as it is drawn now (1: every category)."""
        axes = self.axis.axes
        figure = axes.get_figure(root=True)
        length = axes.bbox.width if self.axis.axis_name == "x" else axes.bbox.height
        length_pt = length / figure.dpi * 72
        if length_pt <= 0:
            return 1
        return max(1, math.ceil(self.count * self.extent / length_pt))

    def __call__(self) -> np.ndarray:
        return self.tick_values(0, self.count - 1)

    def tick_values(self, vmin: float, vmax: float) -> np.ndarray:
        return np.arange(0, self.count, self.step(), dtype=float)


def category_ticks(axis: Axis, labels: Sequence[object]) -> None:
    """Label positions 0..n-1 of ``axis`` with ``labels``, thinned when they would collide."""
    texts = [str(label) for label in labels]
    size = tick_size_pt(axis.axis_name)
    if axis.axis_name == "x":
        extent = max((text_width_pt(t, size) for t in texts), default=0.0) + 0.8 * size
    else:
        lines = max((t.count("\n") + 1 for t in texts), default=1)
        extent = lines * 1.2 * size + 0.4 * size
    axis.set_major_locator(CategoryLocator(len(texts), extent))
    axis.set_major_formatter(
        ticker.FuncFormatter(
            lambda value, _: texts[int(round(value))] if 0 <= round(value) < len(texts) else ""
        )
    )


def facet_values(data: pd.DataFrame, facet: str) -> list[object]:
    """The values of ``facet`` in order of first appearance: one panel each."""
    return list(pd.unique(data[facet]))


def _blocks(blocks: int | Sequence[int]) -> list[int]:
    """Panels per block (each block starts a new row), checked."""
    counts = [blocks] if isinstance(blocks, int) else list(blocks)
    if not counts or any(count < 1 for count in counts):
        raise ValueError(f"every block needs at least one panel: {blocks!r}")
    return counts


def choose_ncols(
    blocks: int | Sequence[int], panel: tuple[float, float], extra: tuple[float, float]
) -> int:
    """Return the number of columns for wrapped panels of size ``panel`` (inches).

    ``blocks`` is the number of panels, or the numbers of panels of blocks that each start a new
    row (one block per measure, say). Among the column counts that leave no needless empty row,
    the one whose figure (``extra`` added for titles, labels and legend) needs the least
    shrinking to fit :data:`~discourse.plots.theme.MAX_INCHES` a side wins, then the one closest
    to :data:`TARGET_ASPECT`, then the fewest columns.
    """
    counts = _blocks(blocks)
    best: tuple[tuple[float, float, int], int] | None = None
    previous = None
    for ncols in range(1, max(counts) + 1):
        nrows = sum(math.ceil(count / ncols) for count in counts)
        if nrows == previous:
            continue
        previous = nrows
        width, height = ncols * panel[0] + extra[0], nrows * panel[1] + extra[1]
        scale = min(1.0, MAX_INCHES / width, MAX_INCHES / height)
        key = (-round(scale, 3), round(abs(math.log(width / height / TARGET_ASPECT)), 6), ncols)
        if best is None or key < best[0]:
            best = (key, ncols)
    return 1 if best is None else best[1]


def panel_grid(
    blocks: int | Sequence[int],
    panel: tuple[float, float],
    *,
    ncols: int | None = None,
    extra: tuple[float, float] = (1.0, 1.4),
    share: str | None = None,
) -> tuple[Figure, list[Axes]]:
    """Make a figure of wrapped panels in rows of ``ncols`` columns (chosen when None).

    ``blocks`` is the number of panels, or the numbers of panels of blocks that each start a
    new row. Each panel is ``panel`` inches (width, height) and ``extra`` inches go to the
    figure's title, labels and legend; each side is capped at
    :data:`~discourse.plots.theme.MAX_INCHES` (the panels shrink to fit). With ``share`` "x" or
    "y", the panels of a block share that axis (its scale and ticks): y tick labels are written
    in the first column only, x tick labels under the last panel of each column. Returns the
    figure and its panels in order, block after block.
    """
    counts = _blocks(blocks)
    if ncols is not None and (not isinstance(ncols, int) or ncols < 1):
        raise ValueError(f"ncols must be a positive integer: {ncols!r}")
    if share not in (None, "x", "y"):
        raise ValueError(f"share must be 'x', 'y' or None: {share!r}")
    ncols = choose_ncols(counts, panel, extra) if ncols is None else min(ncols, max(counts))
    rows = [math.ceil(count / ncols) for count in counts]
    size = capped(ncols * panel[0] + extra[0], sum(rows) * panel[1] + extra[1])
    fig, grid = plt.subplots(sum(rows), ncols, figsize=size, squeeze=False)
    axes: list[Axes] = []
    top = 0
    for count, height in zip(counts, rows, strict=True):
        block = [grid[top + k // ncols, k % ncols] for k in range(count)]
        for k, ax in enumerate(block[1:], start=1):
            if share == "y":
                ax.sharey(block[0])
                if k % ncols:
                    ax.tick_params(labelleft=False)
            elif share == "x":
                ax.sharex(block[0])
        if share == "x":
            for k, ax in enumerate(block):
                if k + ncols < count:
                    ax.tick_params(labelbottom=False)
        axes.extend(block)
        top += height
    kept = {id(ax) for ax in axes}
    for ax in grid.flat:
        if id(ax) not in kept:
            ax.remove()
    return fig, axes


def figure_legend(
    fig: Figure,
    axes: Sequence[Axes],
    title: str | None,
    order: Sequence[str] | None = None,
    ncols: int | None = None,
) -> None:
    """Draw one legend below the panels, of every labelled artist of ``axes`` (each label once,
    in order of first appearance, or in ``order`` when given, then the others), and remove the
    panels' own legends. The entries go in as many columns (at most ``ncols``, default 6) as fit
    the figure's width side by side."""
    entries: dict[str, object] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    if order is not None:
        first = {label: entries[label] for label in order if label in entries}
        entries = first | {label: h for label, h in entries.items() if label not in first}
    entries = last_notes(entries)
    if entries:
        size = FontProperties(size=mpl.rcParams["legend.fontsize"]).get_size_in_points()
        widest = max(text_width_pt(label, size) for label in entries) + 3.5 * size
        room = fig.get_size_inches()[0] * 72 * 0.95
        columns = max(1, min(ncols or 6, len(entries), int(room // widest)))
        fig.legend(
            list(entries.values()),
            list(entries),
            title=title,
            loc="outside lower center",
            ncols=columns,
            frameon=False,
        )


def label_lowest(axes: Sequence[Axes], xlabel: str) -> None:
    """Write ``xlabel`` under the lowest of ``axes`` in each grid column, and no other."""
    lowest: dict[int, Axes] = {}
    for ax in axes:
        spec = ax.get_subplotspec()
        column = 0 if spec is None else spec.colspan.start
        bottom = -1 if spec is None else spec.rowspan.stop
        if column not in lowest or bottom >= lowest[column].get_subplotspec().rowspan.stop:
            lowest[column] = ax
    chosen = {id(ax) for ax in lowest.values()}
    for ax in axes:
        ax.set_xlabel(xlabel if id(ax) in chosen else "")


def label_figure(fig: Figure, axes: Sequence[Axes], title: str, xlabel: str, ylabel: str) -> None:
    """Write the title of a figure of panels, ``ylabel`` once at its left and ``xlabel`` under
    the lowest panel of each column (clear of a legend below the panels)."""
    fig.suptitle(title)
    fig.supylabel(ylabel, fontsize=mpl.rcParams["axes.labelsize"])
    label_lowest(axes, xlabel)


def points_tall(ax: Axes) -> float:
    """Estimated height of ``ax`` in points (before the layout settles, less a margin)."""
    fig = ax.get_figure(root=True)
    return ax.get_position().height * fig.get_size_inches()[1] * 72 * 0.8


def points_per_unit(ax: Axes, units: float) -> float:
    """Estimated length in points of ``units`` data units along the x axis of ``ax`` (before the
    layout settles: the axes' share of the figure, less a margin for labels)."""
    fig = ax.get_figure(root=True)
    width_pt = ax.get_position().width * fig.get_size_inches()[0] * 72 * 0.85
    span = abs(np.subtract(*ax.get_xlim())) or 1.0
    return width_pt / span * units


def wrap_text(text: str, width_pt: float, size_pt: float) -> str:
    """Break each line of ``text`` between words so that no line is wider than ``width_pt``
    points in the theme's font at ``size_pt`` (a single word wider than that keeps its line)."""
    lines: list[str] = []
    for line in str(text).split("\n"):
        current = ""
        for word in line.split(" "):
            candidate = word if not current else f"{current} {word}"
            if current and text_width_pt(candidate, size_pt) > width_pt:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return "\n".join(lines)


def fit_titles(fig: Figure) -> None:
    """Wrap the figure's title and every panel's title to the width they have, so that no title
    runs past the canvas or into its neighbour: the figure's title to the figure's width, a
    panel's title to the panel's (as the subplot grid places it, less a margin for labels)."""
    width_pt = fig.get_size_inches()[0] * 72
    title = getattr(fig, "_suptitle", None)
    if title is not None and title.get_text():
        title.set_text(wrap_text(title.get_text(), 0.94 * width_pt, title.get_fontsize()))
    for ax in fig.axes:
        for text in (ax.title, ax._left_title, ax._right_title):
            if text.get_text():
                room = ax.get_position().width * width_pt * 0.92
                text.set_text(wrap_text(text.get_text(), room, text.get_fontsize()))
    wrap_xlabels(fig)


def wrap_xlabels(fig: Figure) -> None:
    """Wrap every panel's x-axis label to the width of its axes as the layout places them, so
    that a label centred under a panel narrowed by long tick labels never runs past the canvas
    (the layout is settled by one draw first)."""
    labelled = [ax for ax in fig.axes if ax.xaxis.label.get_text()]
    if not labelled:
        return
    fig.canvas.draw()
    for ax in labelled:
        label = ax.xaxis.label
        room = ax.get_window_extent().width * 72 / fig.dpi * 0.98
        label.set_text(wrap_text(label.get_text(), room, label.get_fontsize()))
