"""Figure files: PNG and SVG written atomically, byte-identical from run to run."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from discourse.plots.layout import wrap_xlabels
from discourse.plots.standard import require_standard
from discourse.plots.theme import DETERMINISTIC_RC, SAVE_DPI

__all__ = ["SavedFigure", "save"]

_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")

#: Permissions of a saved figure file (what ``open`` gives under the usual umask 022).
_FILE_MODE = 0o644


@contextmanager
def _layout_kept(fig: Figure) -> Iterator[None]:
    """Within the block, draw ``fig`` with the layout it already has: its layout engine (if
    any) is switched off and put back afterwards, and every axes is fixed at its position
    rounded to :data:`POSITION_DIGITS` decimals of the figure.

    The SVG names each clip path by a hash of the full-precision box it clips to, so a layout
    differing in the last bits (the same values summed in another order, say) would give
    another file; rounded positions give the same names, and move nothing by a visible amount.
    """
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_layout_engine("none")
    for ax in fig.axes:
        ax.set_position(np.round(ax.get_position().bounds, POSITION_DIGITS))
    try:
        yield
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)


#: Decimals of the figure's width and height to which :func:`save` rounds every axes' position
#: before the SVG is written (1e-6 of a figure 20 inches wide is 0.0014 pt).
POSITION_DIGITS = 6


class SavedFigure(tuple):
    """The ``(png, svg)`` paths :func:`save` wrote; in a notebook it shows the saved PNG itself.

    Shown as a cell's result, it displays the PNG file's bytes at the size the figure has on
    screen (``figure.dpi``), so what a reader sees in the notebook is the saved file, and the
    figure is not drawn a third time for the notebook. Its text form names the files without
    their folder, so no path of the machine ends up in a notebook.
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


def _write_atomically(target: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write ``target`` through a uniquely named temporary file in its folder, then rename it
    into place, so that a reader sees the old file or the new one, never part of one.

    The temporary file is flushed to disk before the rename and removed if writing fails.
    """
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _FILE_MODE)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save(fig: Figure, name: str, directory: str | Path, *, close: bool = True) -> SavedFigure:
    """Write ``fig`` as ``<directory>/<name>.png`` and ``.svg``; return the two paths as a
    :class:`SavedFigure`, which a notebook displays as the saved PNG.

    ``directory`` is required (it is made if missing); ``name`` must be a lower-case slug
    (letters, digits, single ``-`` or ``_`` between them). Each file is written to a unique
    temporary file in ``directory`` and renamed into place, so that two processes saving the
    same figure, or a reader during a save, never meet a torn file. The PNG carries no software
    tag and the SVG no date or creator, and SVG identifiers are seeded with
    :data:`~discourse.plots.theme.SVG_HASHSALT`, so saving the same figure again gives
    byte-identical files. The SVG keeps the layout computed for the PNG (one layout for both
    files, and half the drawing time). Raises
    :class:`~discourse.plots.standard.FigureStandardError` (a ValueError), writing nothing, for
    a figure that breaks the figure standard (:func:`~discourse.plots.standard.check_figure`:
    overlapping, cut or too small text, or a side longer than
    :data:`~discourse.plots.theme.MAX_PIXELS` at :data:`~discourse.plots.theme.SAVE_DPI`).
    Every x-axis label is first wrapped to the width of its axes
    (:func:`~discourse.plots.layout.wrap_xlabels`). With ``close`` (the default) the figure is
    closed afterwards, so that a notebook shows the
    saved file instead of drawing the figure again.
    """
    if not isinstance(name, str) or not _SLUG.fullmatch(name):
        raise ValueError(f"figure name must be a lower-case slug such as 'answer-length': {name!r}")
    if directory is None or not str(directory).strip():
        raise ValueError("directory is required: the folder the figure files go to")
    wrap_xlabels(fig)
    require_standard(fig, name)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    with mpl.rc_context(dict(DETERMINISTIC_RC)):
        _write_atomically(
            png,
            lambda stream: fig.savefig(
                stream, format="png", dpi=SAVE_DPI, metadata={"Software": None}
            ),
        )
        with _layout_kept(fig):
            _write_atomically(
                svg,
                lambda stream: fig.savefig(
                    stream, format="svg", metadata={"Date": None, "Creator": None}
                ),
            )
    width, height = fig.get_size_inches() * mpl.rcParams["figure.dpi"]
    if close:
        plt.close(fig)
    return SavedFigure(png, svg, (round(width), round(height)))
