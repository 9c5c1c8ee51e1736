"""The figure standard: what every saved figure must meet, measured on the figure as drawn.

:func:`check_figure` draws a figure at the resolution it is saved at
(:data:`~discourse.plots.theme.SAVE_DPI`) and measures, with matplotlib's renderer, the box of
every text it draws (tick labels, axis labels, titles, legend entries, annotations, colour-bar
labels). A figure meets the standard when

* no two drawn texts overlap;
* no text is cut by the edge of the canvas, or by the axes that clip it;
* every text is at least :data:`MIN_TEXT_PT` points tall at the saved size;
* no side is longer than :data:`~discourse.plots.theme.MAX_PIXELS` pixels;
* the colours its legends give to groups stay apart under simulated colour-vision
  deficiencies (:data:`MIN_CVD_DELTA_E`; greys, which mean no group, are left out).

:func:`discourse.plots.save` runs the check and refuses to write a figure that fails it, so
every figure a study writes meets the standard. The boxes are those matplotlib reports
(``Text.get_window_extent``): for rotated text, the upright box around it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from matplotlib.collections import Collection, PathCollection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from discourse.plots.theme import MAX_PIXELS, SAVE_DPI, SMALL_TEXT_PT

__all__ = [
    "POINT_LABEL",
    "CVD_MATRICES",
    "point_centres",
    "MIN_CVD_DELTA_E",
    "MIN_TEXT_PT",
    "OVERLAP_TOLERANCE_PX",
    "FigureStandardError",
    "Violation",
    "check_figure",
    "colour_clashes",
    "drawn_texts",
    "legend_colours",
    "require_standard",
    "seen_lab",
]

#: The smallest text a figure may draw, in points at the saved size.
MIN_TEXT_PT = SMALL_TEXT_PT

#: Two text boxes overlap when they share more than this many pixels (at
#: :data:`~discourse.plots.theme.SAVE_DPI`) both across and up; a text is cut when it reaches
#: more than this far past the canvas. Half a point: boxes that merely touch do not count.
OVERLAP_TOLERANCE_PX = 0.5 * SAVE_DPI / 72

#: The ``gid`` of a text that labels a point of a scatter (:func:`discourse.plots.place_labels`
#: sets it): such a label may not cover the centre of any point of its axes.
POINT_LABEL = "point-label"


#: Simulation matrices of Machado, Oliveira & Fernandes (2009), "A physiologically-based model
#: for simulation of color vision deficiency", *IEEE TVCG* 15(6):1291-1298, at severity 1,
#: applied to linear RGB.
CVD_MATRICES = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}  # fmt: skip

#: The least CIE 1976 ΔE two group colours of one figure must keep under each simulated
#: deficiency: 20 under deuteranopia and protanopia (vermillion and orange, 18.3 apart under
#: deuteranopia, fail), 15 under tritanopia, the rarest.
MIN_CVD_DELTA_E = {"deuteranopia": 20.0, "protanopia": 20.0, "tritanopia": 15.0}

_SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
_D65 = np.array([0.95047, 1.0, 1.08883])


def seen_lab(colour: object, deficiency: str | None = None) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour, as seen with ``deficiency`` (a key of
    :data:`CVD_MATRICES`) or with typical colour vision (None)."""
    srgb = np.array(to_rgba(colour)[:3])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    if deficiency is not None:
        linear = np.clip(np.array(CVD_MATRICES[deficiency]) @ linear, 0, 1)
    t = _SRGB_TO_XYZ @ linear / _D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def colour_clashes(colours: list[str]) -> list[tuple[str, str, str, float]]:
    """Pairs of ``colours`` closer than :data:`MIN_CVD_DELTA_E` under a simulated deficiency:
    ``(colour, colour, deficiency, ΔE)``, in the order of the colours."""
    unique = list(dict.fromkeys(to_hex(c).upper() for c in colours))
    clashes = []
    for deficiency, least in MIN_CVD_DELTA_E.items():
        seen = [seen_lab(c, deficiency) for c in unique]
        for i, a in enumerate(unique):
            for j in range(i + 1, len(unique)):
                distance = float(np.linalg.norm(seen[i] - seen[j]))
                if distance < least:
                    clashes.append((a, unique[j], deficiency, round(distance, 1)))
    return clashes


def _handle_colour(handle) -> str | None:
    """The colour a legend handle shows (its fill, else its edge or line), None if none."""
    candidates: list[object] = []
    if isinstance(handle, Line2D):
        candidates = [handle.get_markerfacecolor(), handle.get_color()]
    elif isinstance(handle, Collection):
        candidates = [*handle.get_facecolor(), *handle.get_edgecolor()]
    elif isinstance(handle, Patch):
        candidates = [handle.get_facecolor(), handle.get_edgecolor()]
    for colour in candidates:
        if isinstance(colour, str) and colour == "none":
            continue
        rgba = to_rgba(colour)
        if rgba[3] > 0 and rgba[:3] != (1.0, 1.0, 1.0):
            return to_hex(rgba).upper()
    return None


def legend_colours(fig: Figure) -> list[str]:
    """The colours of the groups in ``fig``'s legends (figure and axes legends), greys left out:
    a grey means no group (:data:`~discourse.plots.theme.NEUTRAL`, reference lines, notes).
    Black is kept, as the colour of a part (:data:`~discourse.plots.theme.PART_COLOURS`)."""
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
    found = []
    for legend in legends:
        if legend is None:
            continue
        for handle in legend.legend_handles:
            colour = _handle_colour(handle)
            grey = len({colour[1:3], colour[3:5], colour[5:7]}) == 1 if colour else True
            if colour is not None and (not grey or colour == "#000000"):
                found.append(colour)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Violation:
    """One way a figure breaks the standard: its ``kind`` ("overlap", "cut", "small text",
    "too large", "colours") and a ``detail`` naming the texts, sizes or colours involved."""

    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


class FigureStandardError(ValueError):
    """Raised for a figure that breaks the standard; ``violations`` lists how."""

    def __init__(self, name: str, violations: list[Violation]) -> None:
        self.violations = list(violations)
        shown = "; ".join(str(v) for v in self.violations[:8])
        more = len(self.violations) - 8
        super().__init__(
            f"figure {name!r} breaks the figure standard ({len(self.violations)} violations): "
            f"{shown}{f'; and {more} more' if more > 0 else ''}"
        )


@contextmanager
def _drawn_at(fig: Figure, dpi: float) -> Iterator[list[tuple[Text, Bbox]]]:
    """Draw ``fig`` at ``dpi`` and yield every non-blank text drawn, with its box in pixels.

    Texts are recorded as they are drawn (``Text.draw`` is wrapped for the draw), so ticks
    outside the view, hidden labels and annotations of points outside the axes, which are not
    drawn, are not measured either. The figure's resolution is put back afterwards.
    """
    drawn: list[tuple[Text, Bbox]] = []
    original_draw = Text.draw
    original_dpi = fig.dpi

    def record(text: Text, renderer) -> None:
        original_draw(text, renderer)
        if text.get_visible() and str(text.get_text()).strip():
            drawn.append((text, text.get_window_extent(renderer)))

    Text.draw = record
    try:
        fig.dpi = dpi
        fig.canvas.draw()
        yield drawn
    finally:
        Text.draw = original_draw
        fig.dpi = original_dpi


def drawn_texts(fig: Figure, dpi: float = SAVE_DPI) -> list[tuple[str, Bbox, float]]:
    """Return ``(text, box in pixels, size in points)`` of every text ``fig`` draws at ``dpi``."""
    with _drawn_at(fig, dpi) as drawn:
        return [(t.get_text(), box, float(t.get_fontsize())) for t, box in drawn]


def _name(text: Text) -> str:
    """A short quotation of a text for a message."""
    words = " ".join(str(text.get_text()).split())
    return repr(words if len(words) <= 40 else words[:37] + "...")


def _overlaps(boxes: np.ndarray, tolerance: float) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, i < j, of boxes (rows x0, y0, x1, y1) sharing more than ``tolerance``
    pixels both across and up."""
    across = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(
        boxes[:, None, 0], boxes[None, :, 0]
    )
    up = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(
        boxes[:, None, 1], boxes[None, :, 1]
    )
    hit = np.triu((across > tolerance) & (up > tolerance), k=1)
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(hit), strict=True)]


def point_centres(ax) -> np.ndarray:
    """The display positions (pixels, rows x, y) of every marker of the scatters of ``ax``."""
    centres = [
        collection.get_offset_transform().transform(collection.get_offsets())
        for collection in ax.collections
        if isinstance(collection, PathCollection) and len(collection.get_offsets())
    ]
    return np.vstack(centres) if centres else np.empty((0, 2))


def _covered_points(text: Text, box: Bbox, tolerance: float) -> int:
    """How many point centres of the axes of a point label ``text`` its box covers."""
    if text.get_gid() != POINT_LABEL or text.axes is None:
        return 0
    centres = point_centres(text.axes)
    inside = (
        (centres[:, 0] > box.x0 + tolerance)
        & (centres[:, 0] < box.x1 - tolerance)
        & (centres[:, 1] > box.y0 + tolerance)
        & (centres[:, 1] < box.y1 - tolerance)
    )
    return int(inside.sum())


def check_figure(fig: Figure, *, dpi: float = SAVE_DPI) -> list[Violation]:
    """Return every way ``fig``, drawn at ``dpi``, breaks the figure standard (empty: none).

    Checks, in this order: the size in pixels (at most
    :data:`~discourse.plots.theme.MAX_PIXELS` a side), every text's size (at least
    :data:`MIN_TEXT_PT` points), every text inside the canvas and inside the box that clips it,
    no two texts overlapping (by more than :data:`OVERLAP_TOLERANCE_PX`), no point label
    (:data:`POINT_LABEL`) covering the centre of a point of its scatter, and the legends'
    group colours apart under simulated colour-vision deficiencies (:func:`colour_clashes`).
    Drawing settles the figure's layout as saving it would.
    """
    violations: list[Violation] = []
    width, height = (round(side * dpi) for side in fig.get_size_inches())
    if max(width, height) > MAX_PIXELS:
        violations.append(
            Violation(
                "too large",
                f"{width} x {height} px at {dpi:g} dpi: at most {MAX_PIXELS} px a side "
                "(draw one panel per document with facet=, or rank and facet the rows)",
            )
        )
    tol = OVERLAP_TOLERANCE_PX * dpi / SAVE_DPI
    with _drawn_at(fig, dpi) as drawn:
        kept = [(t, b) for t, b in drawn if np.isfinite(b.bounds).all()]
        canvas = fig.bbox
        for text, box in kept:
            size = float(text.get_fontsize())
            if size < MIN_TEXT_PT - 1e-9:
                violations.append(
                    Violation(
                        "small text", f"{_name(text)} at {size:g} pt (at least {MIN_TEXT_PT:g})"
                    )
                )
            if (
                box.x0 < canvas.x0 - tol
                or box.y0 < canvas.y0 - tol
                or box.x1 > canvas.x1 + tol
                or box.y1 > canvas.y1 + tol
            ):
                violations.append(Violation("cut", f"{_name(text)} reaches past the canvas"))
            clip = text.get_clip_box() if text.get_clip_on() else None
            if clip is not None and (
                box.x0 < clip.x0 - tol
                or box.y0 < clip.y0 - tol
                or box.x1 > clip.x1 + tol
                or box.y1 > clip.y1 + tol
            ):
                violations.append(Violation("cut", f"{_name(text)} is clipped by its axes"))
            covered = _covered_points(text, box, tol)
            if covered:
                violations.append(
                    Violation("label on a point", f"{_name(text)} covers {covered} point(s)")
                )
        if kept:
            boxes = np.array([b.extents for _, b in kept], dtype=float)
            for i, j in _overlaps(boxes, tol):
                violations.append(
                    Violation("overlap", f"{_name(kept[i][0])} and {_name(kept[j][0])}")
                )
    for a, b, deficiency, distance in colour_clashes(legend_colours(fig)):
        violations.append(
            Violation(
                "colours",
                f"{a} and {b} are {distance:g} apart under {deficiency} "
                f"(at least {MIN_CVD_DELTA_E[deficiency]:g})",
            )
        )
    return violations


def require_standard(fig: Figure, name: str) -> None:
    """Raise :class:`FigureStandardError` unless ``fig`` meets the figure standard."""
    violations = check_figure(fig)
    if violations:
        raise FigureStandardError(name, violations)
