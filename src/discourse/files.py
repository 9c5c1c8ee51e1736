"""Files the study writes and reads by hand-made rules: atomic text writes, and the coded
samples that people fill in (a few ``#`` lines of source and rules, then a CSV table).

Every write is atomic: the text goes to a temporary file beside the target, which is then
renamed into place, so a reader sees the old file or the new one and never a half-written one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

__all__ = ["read_coded_sample", "read_commented_csv", "write_text_atomically"]


def write_text_atomically(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8, line endings as given) to ``path`` through a temporary file beside
    it and a rename, removing the temporary file if anything fails."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def read_commented_csv(path: str | Path) -> pd.DataFrame:
    """A CSV table after the ``#`` lines that open the file (its source and coding rules),
    every cell read as text, empty cells as ``""``."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    header = next((n for n, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return pd.read_csv(path, dtype=str, keep_default_na=False, skiprows=header)


def read_coded_sample(path: str | Path, columns: Iterable[str]) -> pd.DataFrame:
    """A coded sample: the ``#`` lines that open the file (its source and coding rules) are
    skipped, then a CSV table with at least ``columns`` is read as text, and every ``correct``
    cell must be ``yes`` or ``no``.

    Raises
    ------
    ValueError
        Naming the file, if a column is missing or a ``correct`` cell is anything else (with
        the data rows that hold one, counted from 1).
    """
    path = Path(path)
    coded = read_commented_csv(path)
    missing = [c for c in columns if c not in coded.columns]
    if missing:
        raise ValueError(f"{path.name} lacks column(s) {missing}")
    bad = ~coded["correct"].isin(["yes", "no"])
    if bad.any():
        raise ValueError(
            f"{path.name}: 'correct' must be yes or no, rows {list(coded.index[bad] + 1)}"
        )
    return coded
