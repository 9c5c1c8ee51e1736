"""The corpus tables: paragraphs, exchanges and documents, and how they are written and read.

:func:`write_corpus` writes the three tables as one set. They are written into a staging folder
of their own (``.staging-*``) inside the output folder, which is then renamed ``.swap-*`` and
moved into place table by table while an exclusive lock (``fcntl`` on ``.lock`` in the output
folder) is held. A writer killed while moving leaves its ``.swap-*`` folder, and the next writer
or reader to take the lock finishes the move, so a reader never sees tables of two sets; a
staging folder whose writer has died is removed by the next writer. Every temporary name is
unique and starts with a dot.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..text import words
from .parse import PARAGRAPH_COLUMNS, ParseError

__all__ = [
    "DOCUMENT_COLUMNS",
    "EXCHANGE_COLUMNS",
    "PARAGRAPH_COLUMNS",
    "TABLE_FILES",
    "Corpus",
    "exchange_table",
    "read_processed",
    "write_corpus",
]

EXCHANGE_COLUMNS = [
    "doc_id",
    "slate",
    "exchange",
    "exchange_id",
    "part",
    "interviewer",
    "respondent",
    "question_id",
    "question_key",
    "question",
    "answer",
    "question_paragraphs",
    "answer_paragraphs",
    "question_words",
    "answer_words",
]
DOCUMENT_COLUMNS = [
    "doc_id",
    "slate",
    "title",
    "publication",
    "interviewer",
    "date",
    "url",
    "interviewer_label",
    "respondent_labels",
]
TABLE_FILES = ("paragraphs.csv", "exchanges.csv", "documents.csv")
_LOCK = ".lock"
_STAGING = ".staging-"
_SWAP = ".swap-"


@dataclass
class Corpus:
    """The tidy tables of one or more interviews."""

    paragraphs: pd.DataFrame
    exchanges: pd.DataFrame
    documents: pd.DataFrame

    @property
    def slates(self) -> list[str]:
        return sorted(self.documents["slate"].unique())


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def question_key(question_id: str, question: str) -> str:
    """The key that pairs questions across interviews.

    ``"id:<question_id>"`` when an id is declared, else ``"text:"`` and the question's
    :func:`discourse.text.words` lower-cased, joined by single spaces.
    """
    if question_id:
        return f"id:{question_id}"
    return "text:" + " ".join(words(question)).lower()


def exchange_table(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """One row per exchange, derived from the question and answer paragraphs.

    Columns (:data:`EXCHANGE_COLUMNS`): the exchange's ``doc_id``, ``slate``, number and
    ``exchange_id`` (``"<doc_id>/<exchange>"``, unique across interviews), ``part``, the
    ``interviewer`` who asked (the speaker of its first question paragraph), the ``respondent``
    named by an attribution, the declared ``question_id`` ("" if none) and the pairing
    ``question_key`` (see :func:`question_key`), the ``question`` and ``answer`` texts (paragraphs
    joined by a blank line), how many paragraphs each has, and their word counts
    (:func:`discourse.text.words`). Exchanges come in the order their first paragraph appears.
    One pass over the paragraphs: no table operation per exchange.
    """
    qa = paragraphs[paragraphs["role"].isin(["question", "answer"])]
    numbers = qa["exchange"]
    if numbers.isna().any():
        where = qa[numbers.isna()].iloc[0]
        raise ValueError(f"a {where['role']} paragraph of {where['doc_id']} has no exchange number")

    def column(name: str) -> list[str]:
        if name not in qa.columns:
            return [""] * len(qa)
        return qa[name].fillna("").astype(str).tolist()

    index: dict[tuple[str, int], int] = {}  # (doc_id, exchange) -> its row
    first: list[tuple[str, int, str, str]] = []  # doc_id, exchange, slate, part
    interviewer: list[str] = []
    respondent: list[str] = []
    question_id: list[str] = []
    questions: list[list[str]] = []
    answers: list[list[str]] = []
    for doc_id, number, role, slate, part, speaker, named, qid, text in zip(
        column("doc_id"),
        numbers.astype("int64").tolist(),
        qa["role"].tolist(),
        column("slate"),
        column("part"),
        column("speaker"),
        column("respondent"),
        column("question_id"),
        column("text"),
        strict=True,
    ):
        row = index.get((doc_id, number))
        if row is None:
            row = index[(doc_id, number)] = len(first)
            first.append((doc_id, number, slate, part))
            interviewer.append("")
            respondent.append("")
            question_id.append("")
            questions.append([])
            answers.append([])
        if role == "question":
            questions[row].append(text)
            if not interviewer[row]:
                interviewer[row] = speaker
            if not question_id[row]:
                question_id[row] = qid
        else:
            answers[row].append(text)
            if not respondent[row]:
                respondent[row] = named
    rows = []
    for row, (doc_id, number, slate, part) in enumerate(first):
        question = "\n\n".join(questions[row])
        answer = "\n\n".join(answers[row])
        question_words = words(question)
        qid = question_id[row]
        rows.append(
            (
                doc_id,
                slate,
                number,
                f"{doc_id}/{number}",
                part,
                interviewer[row],
                respondent[row],
                qid,
                f"id:{qid}" if qid else "text:" + " ".join(question_words).lower(),
                question,
                answer,
                len(questions[row]),
                len(answers[row]),
                len(question_words),
                len(words(answer)),
            )
        )
    table = pd.DataFrame(rows, columns=EXCHANGE_COLUMNS)
    for column in _INTEGER_COLUMNS["exchanges"]:
        table[column] = table[column].astype("int64")
    return table


def typed(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The paragraph table with its columns in order and of their types."""
    frame = paragraphs.copy()
    if "question_id" not in frame.columns:
        frame["question_id"] = ""
    for column in ("exchange", "footnote_no", "start", "end"):
        frame[column] = pd.array(frame[column], dtype="Int64")
    for column in ("para_id", "line"):
        frame[column] = frame[column].astype("int64")
    for column in ("respondent", "part", "footnotes", "text", "speaker", "slate", "question_id"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame[PARAGRAPH_COLUMNS].reset_index(drop=True)


def documents_table(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)


# --------------------------------------------------------------------------- storage


@contextlib.contextmanager
def _locked(folder: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold the folder's lock: exclusive for writers, shared for readers (POSIX ``flock``).

    A reader that cannot create the lock file (a read-only folder without one) reads unlocked.
    Where ``fcntl`` does not exist the lock is a no-op.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    path = folder / _LOCK
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        if exclusive:
            raise
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError:
            yield
            return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(descriptor)


def _hold(folder: Path) -> int | None:
    """Lock a staging folder as in use by this process; the descriptor to close when done."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    descriptor = os.open(folder / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def _abandoned(folder: Path) -> bool:
    """Whether the writer of a staging folder has gone (its lock can be taken)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return False
    try:
        descriptor = os.open(folder / _LOCK, os.O_RDWR)
    except OSError:
        return False  # not yet locked by its writer, or already gone
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return True


def _move_in(out_dir: Path, swap: Path) -> None:
    """Move a complete set of tables from ``swap`` into ``out_dir``, then remove ``swap``."""
    for name in TABLE_FILES:
        source = swap / name
        if source.exists():
            os.replace(source, out_dir / name)
    shutil.rmtree(swap, ignore_errors=True)


def _settle(out_dir: Path) -> None:
    """Under the exclusive lock: finish interrupted moves, remove abandoned staging folders."""
    for swap in sorted(out_dir.glob(f"{_SWAP}*")):
        if swap.is_dir():
            _move_in(out_dir, swap)
    for staging in sorted(out_dir.glob(f"{_STAGING}*")):
        if staging.is_dir() and _abandoned(staging):
            shutil.rmtree(staging, ignore_errors=True)


def write_corpus(corpus: Corpus, out_dir: Path | str) -> list[Path]:
    """Write paragraphs.csv, exchanges.csv and documents.csv into ``out_dir`` as one set.

    Byte-stable (UTF-8, LF line ends, no index). All three are written into a unique staging
    folder first; a failure while writing leaves the previous set untouched. They are then
    moved into place under the folder's lock, so two writers never interleave and a reader
    (:func:`read_processed`) sees either the old set or the new one. Returns the paths written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = (corpus.paragraphs, corpus.exchanges, corpus.documents)
    tables = dict(zip(TABLE_FILES, frames, strict=True))
    staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=out_dir))
    held = None
    try:
        held = _hold(staging)
        for name, table in tables.items():
            with open(staging / name, "w", encoding="utf-8", newline="") as handle:
                table.to_csv(handle, index=False, lineterminator="\n")
                handle.flush()
                os.fsync(handle.fileno())
        with _locked(out_dir, exclusive=True):
            _settle(out_dir)
            swap = out_dir / (_SWAP + staging.name[len(_STAGING) :])
            os.replace(staging, swap)
            _move_in(out_dir, swap)
    finally:
        if held is not None:
            os.close(held)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / name for name in TABLE_FILES]


_INTEGER_COLUMNS = {
    "paragraphs": ("para_id", "line"),
    "exchanges": (
        "exchange",
        "question_paragraphs",
        "answer_paragraphs",
        "question_words",
        "answer_words",
    ),
    "documents": (),
}
_OPTIONAL_INTEGER_COLUMNS = {"paragraphs": ("start", "end", "exchange", "footnote_no")}


def read_processed(out_dir: Path | str) -> Corpus:
    """The tables :func:`write_corpus` wrote into ``out_dir``, with their promised columns checked.

    Every cell is read as text and only the count and offset columns are converted, so the
    tables equal those the parser returns (a footnote list "1" stays "1", an empty respondent
    stays ""). Read under the folder's shared lock; a move a killed writer left unfinished is
    finished first.
    """
    out_dir = Path(out_dir)
    if any(out_dir.glob(f"{_SWAP}*")):
        with _locked(out_dir, exclusive=True):
            _settle(out_dir)
    with _locked(out_dir, exclusive=False):
        return _read_tables(out_dir)


def _read_tables(out_dir: Path) -> Corpus:
    tables = {}
    for name, columns in (
        ("paragraphs", PARAGRAPH_COLUMNS),
        ("exchanges", EXCHANGE_COLUMNS),
        ("documents", DOCUMENT_COLUMNS),
    ):
        path = out_dir / f"{name}.csv"
        if not path.exists():
            raise ParseError(path, 1, "table not found: build the corpus tables first")
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise ParseError(path, 1, f"not a readable CSV table ({exc})") from None
        lacking = [c for c in columns if c not in table.columns]
        if lacking:
            raise ParseError(path, 1, f"missing column(s) {lacking}")
        table = table[columns].copy()
        try:
            for column in _INTEGER_COLUMNS[name]:
                table[column] = table[column].astype("int64")
            for column in _OPTIONAL_INTEGER_COLUMNS.get(name, ()):
                table[column] = pd.array(
                    [int(v) if v != "" else None for v in table[column]], dtype="Int64"
                )
        except ValueError as exc:
            message = f"a count or offset column is not whole numbers: {exc}"
            raise ParseError(path, 1, message) from None
        tables[name] = table
    return Corpus(tables["paragraphs"], tables["exchanges"], tables["documents"])
