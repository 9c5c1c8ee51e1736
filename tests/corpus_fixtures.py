"""Shared inputs for the corpus tests: invented interviews and turn tables, and a small valid
interview with its metadata that each bad-input test breaks in one place.

Everything under ``tests/fixtures/`` is invented test data: no real slate, interview or
publication. The folders:

``synthetic/``
    an interview in the Momentum format whose two first general questions repeat the wording of
    two general questions of the published interview, with its decisions;
``corpus_traps/``
    an interview holding every trap of the published Momentum interview (glued labels, an acronym
    that starts with a label, unlabelled follow-ups, a question over three paragraphs, footnote
    markers and numbers that are not markers, attributions, a closing remark and note), with the
    decisions beside its ``raw/`` folder, two of them declaring question ids;
``corpus_panel/``
    a panel transcript: two interviewers, labels longer than four letters written in any case, an
    acronym that starts with a label, its own part headings and attribution line, and the same
    short question ("And then?") asked twice;
``corpus_magazine/``
    two interviews of one magazine and a turn table in one ``raw/`` folder, with a general
    question declared shared by ``question_id`` whatever its wording;
``corpus_turns/``
    a turn table of two debates with its own column names and declared speaker labels.
"""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SYNTHETIC = FIXTURES / "synthetic"
SYNTHETIC_TEXT = SYNTHETIC / "synthetic-example-slate.txt"
SYNTHETIC_ANNOTATIONS = SYNTHETIC / "annotations.csv"
TRAPS = FIXTURES / "corpus_traps"
TRAPS_TEXT = TRAPS / "raw" / "mock-organisers-2022.txt"
PANEL = FIXTURES / "corpus_panel"
PANEL_TEXT = PANEL / "raw" / "town-hall-panel-2024.txt"
MAGAZINE = FIXTURES / "corpus_magazine"
TURNS = FIXTURES / "corpus_turns"
TURNS_TABLE = TURNS / "raw" / "mock-debates-2024.csv"

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


def write_annotations(path: Path, *rows: str, header: str = "") -> Path:
    """An annotations file with the standard header (plus ``header``) and the given CSV rows."""
    columns = "doc_id,starts_with,role,label,reason" + header
    text = f"# Invented test decisions.\n{columns}\n" + "".join(f"{row}\n" for row in rows)
    path.write_text(text, encoding="utf-8")
    return path


def copy_fixture(fixture: Path, folder: Path) -> Path:
    """A copy of a fixture folder inside ``folder``; returns the copy's ``raw/`` folder."""
    target = folder / fixture.name
    shutil.copytree(fixture, target)
    return target / "raw"
