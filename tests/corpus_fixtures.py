"""Shared inputs for the corpus tests: the synthetic interview, a several-interview raw folder,
and a small valid interview with its metadata that each bad-input test breaks in one place.

Everything under ``tests/fixtures/synthetic/`` is invented test data: no real slate, interview or
publication. Its two first general questions repeat the wording of two general questions of the
real interview, so that comparisons paired by question text can be tested.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from discourse.study import paths

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SYNTHETIC = FIXTURES / "synthetic"
SYNTHETIC_TEXT = SYNTHETIC / "synthetic-example-slate.txt"
SYNTHETIC_ANNOTATIONS = SYNTHETIC / "annotations.csv"
REAL_TEXT = paths.RAW / "momentum-organisers-2022.txt"

# A minimal valid interview and its metadata: line numbers below are relied on by the tests.
MINIMAL_TOML = """\
# Invented test data.
doc_id = "tiny-interview"
slate = "Tiny Slate"
publication = "Example Publication"
interviewer = "Example Publication"
date = 2022-06-30
url = "https://example.org/tiny"
interviewer_label = "NS"

[speakers]
NS = "Example Publication"
ES = "Tiny Slate"
"""
MINIMAL_TEXT = """\
A Tiny Invented Interview

Invented test data.

1. General questions.

NSWhat is the first question?

ESThe first answer.
"""


def write_interview(
    folder: Path,
    text: str | bytes = MINIMAL_TEXT,
    toml: str | None = MINIMAL_TOML,
    name: str = "tiny-interview",
) -> Path:
    """Write ``name.txt`` (and ``name.toml`` unless ``toml`` is None) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    if toml is not None:
        path.with_suffix(".toml").write_text(toml, encoding="utf-8")
    return path


def write_annotations(path: Path, *rows: str) -> Path:
    """An annotations file with the standard header and the given CSV ``rows``."""
    header = "# Invented test decisions.\ndoc_id,starts_with,role,label,reason\n"
    path.write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def several_interviews(folder: Path) -> tuple[Path, Path]:
    """A raw folder holding the real interview and the synthetic one, with both their decisions.

    Returns ``(raw_dir, annotations)``: the annotations file joins the real decisions
    (``corpus/annotations.csv``) and the synthetic ones.
    """
    raw_dir = folder / "raw"
    raw_dir.mkdir(parents=True)
    for source in (REAL_TEXT, SYNTHETIC_TEXT):
        shutil.copy(source, raw_dir / source.name)
        shutil.copy(source.with_suffix(".toml"), raw_dir / source.with_suffix(".toml").name)
    real = paths.ANNOTATIONS.read_text(encoding="utf-8")
    synthetic = [
        line
        for line in SYNTHETIC_ANNOTATIONS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "doc_id,"))
    ]
    annotations = folder / "annotations.csv"
    annotations.write_text(real.rstrip("\n") + "\n" + "\n".join(synthetic) + "\n", encoding="utf-8")
    return raw_dir, annotations
