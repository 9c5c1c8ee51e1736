"""A folder of interviews: every house-format text and turn table in it, parsed into one corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .parse import (
    ANNOTATION_FRAME,
    InterviewParser,
    Metadata,
    ParseError,
    _key_line,
    read_annotations,
    read_interview_text,
    read_metadata,
)
from .tables import Corpus, documents_table, exchange_table, typed
from .turns import read_turn_table

__all__ = ["INPUT_SUFFIXES", "build_corpus", "parse_interview", "span_coverage"]

#: What a raw folder may hold besides metadata: interviews in the house format and turn tables.
INPUT_SUFFIXES = (".txt", ".csv", ".parquet")
ANNOTATIONS_NAME = "annotations.csv"


def _decisions(raw_dir: Path, annotations: Path | str | None) -> tuple[pd.DataFrame, bool]:
    """The decisions that apply to ``raw_dir``, and whether every one must be used there."""
    if annotations is not None:
        if not Path(annotations).exists():
            raise ParseError(annotations, 1, "annotations file not found")
        return read_annotations(annotations), True
    beside = raw_dir.parent / ANNOTATIONS_NAME
    if beside.exists():
        return read_annotations(beside), True
    return pd.DataFrame(columns=ANNOTATION_FRAME), False


def _notes_for(notes: pd.DataFrame, doc_id: str) -> list[dict]:
    return notes[notes["doc_id"] == doc_id].to_dict("records")


def _parse(path: Path, meta: Metadata, notes: pd.DataFrame) -> pd.DataFrame:
    parser = InterviewParser(path, read_interview_text(path), meta, _notes_for(notes, meta.doc_id))
    return typed(pd.DataFrame(parser.parse()))


def parse_interview(
    path: Path | str, annotations: pd.DataFrame | Path | str | None = None
) -> pd.DataFrame:
    """The paragraph table of one interview file (metadata read from the ``.toml`` beside it).

    ``annotations`` is a table from :func:`read_annotations`, or the path of an annotations file;
    by default the ``annotations.csv`` beside the interview's folder, if there is one. Only the
    decisions naming this interview's ``doc_id`` are used.
    """
    path = Path(path)
    meta = read_metadata(path.with_suffix(".toml"))
    if annotations is None or isinstance(annotations, (str, Path)):
        annotations, _ = _decisions(path.parent, annotations)
    return _parse(path, meta, annotations)


def _document(meta: Metadata) -> dict:
    return {
        "doc_id": meta.doc_id,
        "slate": meta.slate,
        "title": meta.title,
        "publication": meta.publication,
        "interviewer": meta.interviewer,
        "date": meta.date.isoformat() if meta.date else "",
        "url": meta.url,
        "interviewer_label": meta.interviewer_label,
        "respondent_labels": " ".join(meta.respondent_labels),
    }


def build_corpus(raw_dir: Path | str, annotations: Path | str | None = None) -> Corpus:
    """Parse every interview (``*.txt``) and turn table (``*.csv``, ``*.parquet``) in ``raw_dir``.

    Each needs its metadata file of the same name (``.toml``) beside it. ``annotations`` is the
    decisions file for the house-format interviews; by default the ``annotations.csv`` beside
    ``raw_dir``, if there is one. Every decision in it must name an interview in ``raw_dir`` and
    match exactly one of its paragraphs, so a mistyped ``doc_id`` or quotation cannot be silently
    ignored. Two documents with one ``doc_id`` are refused.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise ParseError(raw_dir, 1, "the raw folder does not exist")
    files = sorted(p for p in raw_dir.iterdir() if p.suffix.lower() in INPUT_SUFFIXES)
    if not files:
        raise ParseError(raw_dir, 1, "no interview (*.txt) or turn table (*.csv, *.parquet) found")
    stems: dict[str, Path] = {}
    for path in files:
        if path.stem in stems:
            raise ParseError(
                path,
                1,
                f"{path.name} and {stems[path.stem].name} would share one metadata file "
                f"({path.stem}.toml): rename one",
            )
        stems[path.stem] = path
    orphans = sorted(p for p in raw_dir.glob("*.toml") if p.stem not in stems)
    if orphans:
        raise ParseError(
            orphans[0], 1, "metadata file without an interview (.txt) or turn table beside it"
        )
    notes, strict = _decisions(raw_dir, annotations)
    paragraphs, exchanges, documents = [], [], []
    seen: dict[str, Path] = {}
    interviews: set[str] = set()

    def claim(doc_id: str, where: Path, line: int) -> None:
        if doc_id in seen:
            raise ParseError(
                where, line, f"doc_id '{doc_id}' is already used by {seen[doc_id].name}"
            )
        seen[doc_id] = where

    for path in files:
        if path.suffix.lower() == ".txt":
            meta = read_metadata(path.with_suffix(".toml"))
            claim(meta.doc_id, meta.path, _key_line(read_interview_text(meta.path), "doc_id"))
            interviews.add(meta.doc_id)
            table = _parse(path, meta, notes)
            paragraphs.append(table)
            exchanges.append(exchange_table(table))
            documents.append(documents_table([_document(meta)]))
        else:
            corpus = read_turn_table(path)
            for doc_id, line in zip(
                corpus.paragraphs["doc_id"], corpus.paragraphs["line"], strict=True
            ):
                if seen.get(doc_id) != path:
                    claim(doc_id, path, int(line))
            paragraphs.append(corpus.paragraphs)
            exchanges.append(corpus.exchanges)
            documents.append(corpus.documents)
    stray = notes[~notes["doc_id"].isin(interviews)]
    if strict and len(stray):
        doc_id = stray["doc_id"].iat[0]
        kind = "a turn table, which takes no annotations" if doc_id in seen else "no interview"
        raise ParseError(
            stray["source"].iat[0],
            int(stray["line"].iat[0]),
            f"annotation names doc_id '{doc_id}', which is {kind} in {raw_dir.name}/ "
            f"(interviews: {', '.join(sorted(interviews)) or 'none'})",
        )
    return Corpus(
        pd.concat(paragraphs, ignore_index=True),
        pd.concat(exchanges, ignore_index=True),
        pd.concat(documents, ignore_index=True),
    )


def span_coverage(paragraphs: pd.DataFrame, raw_dir: Path | str) -> pd.DataFrame:
    """How much of each source its paragraphs account for, recomputed from the raw text.

    For every document of ``paragraphs`` that has character spans: ``characters``, the
    non-whitespace characters of its text file in ``raw_dir`` (``<doc_id>.txt``, else the
    ``.txt`` whose metadata names that ``doc_id``), and ``inside``, those within some
    paragraph's span (``start`` to ``end``). Equal counts mean nothing of the source is lost;
    the parser guarantees it, and this lets a reader see it. Documents without spans (from a
    turn table) are left out.
    """
    raw_dir = Path(raw_dir)
    rows, sources = [], None
    for doc_id, group in paragraphs.groupby("doc_id", sort=False):
        spans = group.dropna(subset=["start", "end"])
        if spans.empty:
            continue
        path = raw_dir / f"{doc_id}.txt"
        if not path.exists():
            if sources is None:
                sources = {
                    read_metadata(p.with_suffix(".toml")).doc_id: p
                    for p in sorted(raw_dir.glob("*.txt"))
                    if p.with_suffix(".toml").exists()
                }
            if doc_id not in sources:
                raise ParseError(raw_dir, 1, f"no interview with doc_id '{doc_id}' in the folder")
            path = sources[doc_id]
        raw = read_interview_text(path)
        inside = sum(
            len("".join(raw[int(s) : int(e)].split()))
            for s, e in zip(spans["start"], spans["end"], strict=True)
        )
        rows.append({"doc_id": doc_id, "inside": inside, "characters": len("".join(raw.split()))})
    return pd.DataFrame(rows, columns=["doc_id", "inside", "characters"])
