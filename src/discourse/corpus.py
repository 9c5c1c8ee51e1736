"""Interviews as tidy tables: one row per source paragraph, one row per exchange.

An interview is a UTF-8 text file in ``corpus/raw/`` with a TOML metadata file of the same name
beside it (see ``corpus/README.md``). Paragraphs are separated by blank lines; a turn starts with
a speaker label the metadata declares, glued to its first word as published (``MOMomentum is``)
or followed by a colon (``MO: Momentum is``). A paragraph without a label continues the turn
before it, unless ``corpus/annotations.csv`` records another decision for it. Every character of
the raw text stays accounted for: each paragraph row carries its ``[start, end)`` offsets, and
``raw[start:end]`` is the paragraph as published.

Users with transcripts in another format build the same tables from a turn table with
:func:`corpus_from_turns`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .study import paths
from .text import words

ROLES = (
    "title",
    "standfirst",
    "reading_time",
    "editorial",
    "heading",
    "question",
    "answer",
    "attribution",
    "interviewer_remark",
    "footnote",
)
PARAGRAPH_COLUMNS = [
    "doc_id",
    "slate",
    "para_id",
    "line",
    "start",
    "end",
    "role",
    "speaker",
    "part",
    "exchange",
    "respondent",
    "text",
    "footnotes",
    "footnote_no",
]
EXCHANGE_COLUMNS = [
    "doc_id",
    "slate",
    "exchange",
    "part",
    "respondent",
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
REQUIRED_METADATA = ("doc_id", "slate", "publication", "interviewer", "date", "url", "speakers")
ANNOTATION_COLUMNS = ("doc_id", "starts_with", "role", "label", "reason")
_ANNOTATION_FRAME = [*ANNOTATION_COLUMNS, "line", "source"]
ANNOTATION_ROLES = ("question", "answer", "interviewer_remark", "editorial")

_PARAGRAPH = re.compile(r"\S(?:.*\S)?", re.DOTALL)
# A blank line: a line break, a line holding nothing but spaces of any kind, a line break.
_BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")
_PART_HEADING = re.compile(
    r"^\d+\.\s+(?P<name>General questions|Questions specific to\b.*?)\.?$", re.IGNORECASE
)
_READING_TIME = re.compile(r"^\d+\s+min(ute)?s?\s+read$", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"^\(This question was answered by (?P<who>.+?)\)\.?$", re.DOTALL)
_FOOTNOTE = re.compile(r"^(?P<no>\d{1,3})\.\s+(?P<body>.+)$", re.DOTALL)
# An undeclared label looks like a declared one: 2-4 capitals glued to a capitalised word or an
# opening quote/bracket, or followed by a colon.
_LABEL_SHAPE = re.compile(r"^(?P<label>[A-Z]{2,4})(?:(?=[A-Z][a-z]|[“\"‘'(])|:\s)")
# A footnote marker: a number glued to a lower-case letter, or to punctuation that follows one
# ("Morning Star1", "inward-looking”2", "apartheid state.3"); never after a digit or capital
# ("17.00", "Q1").
_MARKER = re.compile(
    r"(?:(?<=[a-z])|(?<=[a-z][.,;:!?”’\"')\]]))(?P<no>\d{1,3})(?=[\s.,;:!?”’\"')\]]|$)"
)


class ParseError(ValueError):
    """Bad input: names the file and the line where the problem is."""

    def __init__(self, path: Path | str, line: int, message: str):
        self.path, self.line, self.message = Path(path), line, message
        super().__init__(f"{path}:{line}: {message}")


@dataclass(frozen=True)
class Metadata:
    """What the metadata file says about one interview."""

    doc_id: str
    slate: str
    title: str
    publication: str
    interviewer: str
    date: dt.date
    url: str
    speakers: dict[str, str]
    interviewer_label: str
    path: Path = field(compare=False)

    @property
    def respondent_labels(self) -> list[str]:
        return [label for label in self.speakers if label != self.interviewer_label]


@dataclass
class Corpus:
    """The tidy tables of one or more interviews."""

    paragraphs: pd.DataFrame
    exchanges: pd.DataFrame
    documents: pd.DataFrame

    @property
    def slates(self) -> list[str]:
        return sorted(self.documents["slate"].unique())


# --------------------------------------------------------------------------- reading input


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def read_interview_text(path: Path) -> str:
    """The interview decoded as UTF-8, refusing empty, binary and mis-encoded files.

    A leading byte order mark (written by some Windows editors) is dropped, so offsets index the
    text that follows it; every other character is kept as published.
    """
    data = Path(path).read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data.strip():
        raise ParseError(path, 1, "the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ParseError(path, 1, "the file is UTF-16; save it as UTF-8")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise ParseError(path, data.count(b"\n", 0, offset) + 1, "binary data (NUL byte)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
    control = re.search(r"[\x01-\x08\x0b\x0e-\x1f\x7f]", text)
    if control:
        raise ParseError(path, _line_of(text, control.start()), "binary data (control character)")
    return text


def _key_line(source: str, key: str) -> int:
    """Line of ``key = ...`` (or of the ``[key]`` table header) in a TOML source; 1 if absent."""
    pattern = rf"^[ \t]*(?:{re.escape(key)}[ \t]*=|\[[ \t]*{re.escape(key)}[ \t]*\])"
    match = re.search(pattern, source, re.MULTILINE)
    return _line_of(source, match.start()) if match else 1


def _toml_error_line(exc: tomllib.TOMLDecodeError, source: str) -> int:
    """The line a TOML error points at; the last line when it is "at end of document"."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    match = re.search(r"at line (\d+)", str(exc))
    if match:
        return int(match.group(1))
    return max(1, len(source.rstrip("\n").splitlines()))


def read_metadata(path: Path) -> Metadata:
    """Read and check one metadata file; every problem names the file and line."""
    path = Path(path)
    if not path.exists():
        raise ParseError(path, 1, "metadata file is missing (see corpus/README.md)")
    source = read_interview_text(path)
    try:
        meta = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(path, _toml_error_line(exc, source), f"malformed TOML: {exc}") from None
    for key in REQUIRED_METADATA:
        if key not in meta:
            raise ParseError(path, 1, f"required key '{key}' is missing")
    for key in ("doc_id", "slate", "publication", "interviewer", "url"):
        if not isinstance(meta[key], str) or not meta[key].strip():
            raise ParseError(path, _key_line(source, key), f"'{key}' must be a non-empty string")
    if not isinstance(meta.get("title", ""), str):
        raise ParseError(path, _key_line(source, "title"), "'title' must be a string")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", meta["doc_id"]):
        raise ParseError(path, _key_line(source, "doc_id"), "'doc_id' must be a lower-case slug")
    if not isinstance(meta["date"], dt.date) or isinstance(meta["date"], dt.datetime):
        raise ParseError(path, _key_line(source, "date"), "'date' must be a date (YYYY-MM-DD)")
    if not re.match(r"https?://\S+$", meta["url"]):
        raise ParseError(path, _key_line(source, "url"), "'url' must be an http(s) address")
    speakers = meta["speakers"]
    if (
        not isinstance(speakers, dict)
        or len(speakers) < 2
        or not all(isinstance(v, str) and v.strip() for v in speakers.values())
        or not all(re.fullmatch(r"[A-Z]{1,4}", k) for k in speakers)
    ):
        raise ParseError(
            path,
            _key_line(source, "speakers"),
            "[speakers] must map at least two upper-case labels to full names",
        )
    label = meta.get("interviewer_label", "")
    if label not in speakers:
        raise ParseError(
            path,
            _key_line(source, "interviewer_label"),
            f"'interviewer_label' must be one of the declared speakers {sorted(speakers)}",
        )
    return Metadata(
        doc_id=meta["doc_id"],
        slate=meta["slate"],
        title=meta.get("title", ""),
        publication=meta["publication"],
        interviewer=meta["interviewer"],
        date=meta["date"],
        url=meta["url"],
        speakers=dict(speakers),
        interviewer_label=label,
        path=path,
    )


def read_annotations(path: Path = paths.ANNOTATIONS) -> pd.DataFrame:
    """The reviewed decisions for paragraphs that carry no speaker label (see corpus/README.md)."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=_ANNOTATION_FRAME)
    numbered = [
        (number, line)
        for number, line in enumerate(read_interview_text(path).split("\n"), start=1)
        if not line.startswith("#")
    ]
    reader = csv.DictReader(line for _, line in numbered)
    header_line = numbered[0][0] if numbered else 1
    if tuple(reader.fieldnames or ()) != ANNOTATION_COLUMNS:
        raise ParseError(path, header_line, f"columns must be {', '.join(ANNOTATION_COLUMNS)}")
    rows, consumed = [], reader.line_num
    for row in reader:
        # a quoted field may span lines: the record starts on the line after the last one read
        line, consumed = numbered[consumed][0], reader.line_num
        if None in row or None in row.values():
            raise ParseError(path, line, f"expected {len(ANNOTATION_COLUMNS)} fields")
        if row["role"] not in ANNOTATION_ROLES:
            raise ParseError(path, line, f"role must be one of {ANNOTATION_ROLES}")
        if not row["starts_with"] or len(row["starts_with"]) < 12:
            raise ParseError(path, line, "'starts_with' must quote at least 12 characters")
        rows.append({**row, "line": line, "source": str(path)})
    return pd.DataFrame(rows, columns=_ANNOTATION_FRAME)


# --------------------------------------------------------------------------- parsing


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every paragraph: blocks between blank lines, outer whitespace trimmed."""
    spans, position = [], 0
    for separator in [*_BLANK_LINES.finditer(text), None]:
        stop = separator.start() if separator else len(text)
        match = _PARAGRAPH.search(text, position, stop)
        if match:
            spans.append((match.start(), match.end()))
        if separator:
            position = separator.end()
    return spans


def _clean(text: str) -> str:
    """Layout removed: line breaks inside a paragraph become one space."""
    return re.sub(r"[ \t\r]*(?:\n[ \t\r]*)+", " ", text).strip()


def _strip_markers(text: str, defined: set[int]) -> tuple[str, list[int]]:
    found: list[int] = []

    def drop(match: re.Match) -> str:
        number = int(match.group("no"))
        if number in defined:
            found.append(number)
            return ""
        return match.group(0)

    return _MARKER.sub(drop, text), found


class _InterviewParser:
    """One pass over an interview's paragraphs, tracking turn, exchange and part."""

    def __init__(self, path: Path, text: str, meta: Metadata, annotations: pd.DataFrame):
        self.path, self.text, self.meta = path, text, meta
        self.annotations = annotations[annotations["doc_id"] == meta.doc_id]
        self.used_annotations: dict[int, int] = {}  # annotation index -> offset it matched
        labels = sorted(meta.speakers, key=len, reverse=True)
        any_label = "|".join(map(re.escape, labels))
        # A one-letter label glued to a word is indistinguishable from a word ("ANC", "I think"):
        # only labels of two or more letters may be glued; any label may take a colon.
        glued = "|".join(re.escape(label) for label in labels if len(label) > 1) or "(?!)"
        self.label = re.compile(rf"^(?:(?P<colon>{any_label}):\s*|(?P<glued>{glued})(?=[^\sa-z]))")
        self.rows: list[dict] = []
        self.part = ""
        self.exchange = 0
        self.turn = ""  # role of the turn that an unlabelled paragraph continues
        self.turn_speaker = ""
        self.open_question_line = 0
        self.in_interview = False
        self.in_footnotes = False

    def error(self, start: int, message: str) -> ParseError:
        return ParseError(self.path, _line_of(self.text, start), message)

    def annotation_for(self, raw: str, body: str, start: int) -> pd.Series | None:
        openings = {raw, body, _clean(raw), _clean(body)}
        starts = self.annotations["starts_with"]
        hits = self.annotations[[any(o.startswith(s) for o in openings) for s in starts]]
        if len(hits) > 1:
            raise self.error(start, "more than one annotation matches this paragraph")
        if len(hits) == 0:
            return None
        index, hit = int(hits.index[0]), hits.iloc[0]
        if index in self.used_annotations:
            raise ParseError(
                hit["source"],
                int(hit["line"]),
                f"annotation matches more than one paragraph (lines "
                f"{_line_of(self.text, self.used_annotations[index])} and "
                f"{_line_of(self.text, start)}): quote more of the opening",
            )
        self.used_annotations[index] = start
        return hit

    def parse(self) -> pd.DataFrame:
        spans = split_paragraphs(self.text)
        defined = self._footnote_numbers(spans)
        for number, (start, end) in enumerate(spans, start=1):
            self._paragraph(number, start, end, defined)
        self._finish(spans)
        cited = {n for row in self.rows for n in row["footnotes"]}
        missing = sorted(defined - cited)
        if missing:
            raise ParseError(self.path, 1, f"footnote(s) {missing} are never cited in the text")
        frame = pd.DataFrame(self.rows, columns=PARAGRAPH_COLUMNS)
        frame["footnotes"] = frame["footnotes"].map(lambda ns: " ".join(map(str, ns)))
        return frame

    def _footnote_numbers(self, spans: list[tuple[int, int]]) -> set[int]:
        numbers = []
        for start, end in reversed(spans):
            match = _FOOTNOTE.match(self.text[start:end])
            if not match or _PART_HEADING.match(self.text[start:end]):
                break
            numbers.append(int(match.group("no")))
        return set(numbers)

    def _emit(self, start, end, role, speaker, text, exchange=None, footnotes=(), note=None):
        self.rows.append(
            {
                "doc_id": self.meta.doc_id,
                "slate": self.meta.slate,
                "para_id": len(self.rows) + 1,
                "line": _line_of(self.text, start),
                "start": start,
                "end": end,
                "role": role,
                "speaker": speaker,
                "part": self.part
                if role in ("question", "answer", "attribution", "interviewer_remark", "heading")
                else "",
                "exchange": exchange,
                "respondent": "",
                "text": text,
                "footnotes": list(footnotes),
                "footnote_no": note,
            }
        )

    def _paragraph(self, number: int, start: int, end: int, defined: set[int]) -> None:
        raw = self.text[start:end]
        publication = self.meta.publication
        heading = _PART_HEADING.match(_clean(raw))
        footnote = _FOOTNOTE.match(raw) if not heading else None
        if footnote and int(footnote.group("no")) in defined and self._only_footnotes_follow(start):
            self._close_interview(start)
            self.in_footnotes = True
            self._emit(
                start,
                end,
                "footnote",
                publication,
                _clean(footnote.group("body")),
                note=int(footnote.group("no")),
            )
            return
        if heading:
            self._close_question(start)
            self.part = (
                "general" if heading.group("name").lower().startswith("general") else ("specific")
            )
            self.in_interview = True
            self.turn = ""
            self._emit(start, end, "heading", publication, _clean(raw))
            return
        match = self.label.match(raw)
        label = (match.group("colon") or match.group("glued")) if match else None
        body = raw[match.end() :] if match else raw
        clean, cited = _strip_markers(_clean(body), defined)
        if not self.in_interview:
            role = self._front_matter_role(raw)
            self._emit(start, end, role, publication, clean, footnotes=cited)
            return
        annotation = self.annotation_for(raw, body, start)
        if annotation is not None:
            self._annotated_turn(annotation, label, start)
        elif label:
            self._labelled_turn(label, start)
        elif (attribution := _ATTRIBUTION.match(_clean(raw))) is not None:
            self._attribution(start, end, attribution.group("who"))
            return
        else:
            shape = _LABEL_SHAPE.match(raw)
            if shape and self.turn != "editorial":
                raise self.error(
                    start,
                    f"speaker label '{shape.group('label')}' is not declared in "
                    f"{self.meta.path.name} (declared: {', '.join(self.meta.speakers)})",
                )
            if self.turn in ("", "attribution"):
                raise self.error(
                    start,
                    "a paragraph without a speaker label that continues no turn: "
                    "record the decision in corpus/annotations.csv",
                )
        role = self.turn
        in_exchange = role in ("question", "answer")
        self._emit(
            start,
            end,
            role,
            self.turn_speaker,
            clean,
            exchange=self.exchange if in_exchange else None,
            footnotes=cited,
        )

    def _front_matter_role(self, raw: str) -> str:
        if not self.rows:
            return "title"
        if _READING_TIME.match(raw.strip()):
            return "reading_time"
        return "standfirst" if len(self.rows) == 1 else "editorial"

    def _only_footnotes_follow(self, start: int) -> bool:
        rest = self.text[start:]
        return self.in_footnotes or all(
            _FOOTNOTE.match(rest[s:e]) for s, e in split_paragraphs(rest)
        )

    def _labelled_turn(self, label: str, start: int) -> None:
        role = "question" if label == self.meta.interviewer_label else "answer"
        self._start_turn(role, self.meta.speakers[label], start)

    def _annotated_turn(self, annotation: pd.Series, printed: str | None, start: int) -> None:
        label = annotation["label"]
        if annotation["role"] == "editorial":
            self._start_turn("editorial", self.meta.publication, start)
            return
        if label not in self.meta.speakers:
            raise ParseError(
                annotation["source"],
                int(annotation["line"]),
                f"annotation label '{label}' is not declared in {self.meta.path.name}",
            )
        if printed and printed != label:
            raise ParseError(
                annotation["source"],
                int(annotation["line"]),
                f"annotation says '{label}' but the paragraph is labelled '{printed}'",
            )
        by_interviewer = label == self.meta.interviewer_label
        if by_interviewer != (annotation["role"] in ("question", "interviewer_remark")):
            raise ParseError(
                annotation["source"],
                int(annotation["line"]),
                f"annotation role '{annotation['role']}' cannot be spoken by '{label}': questions "
                f"and remarks are the interviewer's ({self.meta.interviewer_label}), answers a "
                "respondent's",
            )
        self._start_turn(annotation["role"], self.meta.speakers[label], start)

    def _start_turn(self, role: str, speaker: str, start: int) -> None:
        if role == "question" or role == "interviewer_remark" or role == "editorial":
            self._close_question(start)
        if role == "question":
            self.exchange += 1
            self.open_question_line = _line_of(self.text, start)
        elif role == "answer":
            if self.turn not in ("question", "answer"):  # "answer": relabelled or second voice
                raise self.error(start, f"an answer by {speaker} that follows no question")
            self.open_question_line = 0
        self.turn, self.turn_speaker = role, speaker

    def _close_question(self, start: int) -> None:
        if self.open_question_line:
            raise ParseError(self.path, self.open_question_line, "a question with no answer")

    def _close_interview(self, start: int) -> None:
        self._close_question(start)
        self.in_interview = False

    def _attribution(self, start: int, end: int, who: str) -> None:
        if self.turn != "answer":
            raise self.error(start, "an attribution line that follows no answer")
        respondent = re.split(r"[:,;(]", _clean(who), maxsplit=1)[0].strip()
        for row in self.rows:
            if row["exchange"] == self.exchange and row["role"] == "answer":
                row["respondent"] = respondent
        self._emit(
            start,
            end,
            "attribution",
            self.meta.publication,
            _clean(self.text[start:end]),
            exchange=self.exchange,
        )
        self.rows[-1]["respondent"] = respondent
        self.turn = "attribution"

    def _finish(self, spans: list[tuple[int, int]]) -> None:
        self._close_question(len(self.text))
        if self.exchange == 0:
            raise ParseError(self.path, 1, "no question and answer found (no part heading?)")
        unused = sorted(set(self.annotations.index) - set(self.used_annotations))
        if unused:
            row = self.annotations.loc[unused[0]]
            raise ParseError(
                row["source"],
                int(row["line"]),
                f"annotation matches no paragraph: {row['starts_with']!r}",
            )


def parse_interview(path: Path, annotations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The paragraph table of one interview file (metadata read from the file beside it).

    ``annotations`` defaults to the decisions :func:`build_corpus` would use for the
    interview's folder.
    """
    path = Path(path)
    meta = read_metadata(path.with_suffix(".toml"))
    text = read_interview_text(path)
    if annotations is None:
        annotations, _ = _decisions(path.parent, None)
    return _InterviewParser(path, text, meta, annotations.reset_index(drop=True)).parse()


def span_coverage(paragraphs: pd.DataFrame, raw_dir: Path = paths.RAW) -> pd.DataFrame:
    """How much of each source its paragraphs account for, recomputed from the raw text.

    For every document of ``paragraphs``: ``characters``, the non-whitespace characters of
    ``<raw_dir>/<doc_id>.txt``, and ``inside``, those within some paragraph's character span
    (``start`` to ``end``). Equal counts mean nothing of the source is lost; the parser
    guarantees it, and this lets a reader see it. Paragraphs without a span (from a turn table)
    are skipped.
    """
    rows = []
    for doc_id, group in paragraphs.groupby("doc_id", sort=False):
        raw = read_interview_text(Path(raw_dir) / f"{doc_id}.txt")
        spans = group.dropna(subset=["start", "end"])
        inside = sum(
            len("".join(raw[int(s) : int(e)].split()))
            for s, e in zip(spans["start"], spans["end"], strict=True)
        )
        rows.append({"doc_id": doc_id, "inside": inside, "characters": len("".join(raw.split()))})
    return pd.DataFrame(rows, columns=["doc_id", "inside", "characters"])


# --------------------------------------------------------------------------- tables


def exchange_table(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """One row per exchange: the question and answer texts, part, respondent and word counts."""
    qa = paragraphs[paragraphs["role"].isin(["question", "answer"])]
    rows = []
    for (doc_id, exchange), group in qa.groupby(["doc_id", "exchange"], sort=False):
        question = group[group["role"] == "question"]
        answer = group[group["role"] == "answer"]
        q_text = "\n\n".join(question["text"])
        a_text = "\n\n".join(answer["text"])
        rows.append(
            {
                "doc_id": doc_id,
                "slate": group["slate"].iat[0],
                "exchange": int(exchange),
                "part": group["part"].iat[0],
                "respondent": next((r for r in answer["respondent"] if r), ""),
                "question": q_text,
                "answer": a_text,
                "question_paragraphs": len(question),
                "answer_paragraphs": len(answer),
                "question_words": len(words(q_text)),
                "answer_words": len(words(a_text)),
            }
        )
    return pd.DataFrame(rows, columns=EXCHANGE_COLUMNS)


def _typed(paragraphs: pd.DataFrame) -> pd.DataFrame:
    frame = paragraphs.copy()
    for column in ("exchange", "footnote_no", "start", "end"):
        frame[column] = pd.array(frame[column], dtype="Int64")
    for column in ("respondent", "part", "footnotes", "text", "speaker", "slate"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame[PARAGRAPH_COLUMNS]


def _documents(metas: list[Metadata]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "doc_id": m.doc_id,
                "slate": m.slate,
                "title": m.title,
                "publication": m.publication,
                "interviewer": m.interviewer,
                "date": m.date.isoformat(),
                "url": m.url,
                "interviewer_label": m.interviewer_label,
                "respondent_labels": " ".join(m.respondent_labels),
            }
            for m in metas
        ],
        columns=DOCUMENT_COLUMNS,
    )


def _decisions(raw_dir: Path, annotations: Path | None) -> tuple[pd.DataFrame, bool]:
    """The decisions that apply to ``raw_dir``, and whether every one must be used there."""
    if annotations is not None:
        if not Path(annotations).exists():
            raise ParseError(annotations, 1, "annotations file not found")
        return read_annotations(annotations), True
    beside = raw_dir.parent / paths.ANNOTATIONS.name
    if beside.exists():
        return read_annotations(beside), True
    return read_annotations(paths.ANNOTATIONS), False


def build_corpus(raw_dir: Path = paths.RAW, annotations: Path | None = None) -> Corpus:
    """Parse every interview (``*.txt`` with its ``.toml``) in ``raw_dir``.

    ``annotations`` is the decisions file; by default the ``annotations.csv`` beside ``raw_dir``
    (``corpus/annotations.csv`` for ``corpus/raw/``). Every decision in that file must name an
    interview in ``raw_dir`` and match exactly one of its paragraphs, so a mistyped ``doc_id`` or
    quotation cannot be silently ignored. A folder with no such file gets the study's reviewed
    decisions (``corpus/annotations.csv``) for whichever of its interviews they name, so a copy
    of a published interview keeps its decisions wherever it is parsed.
    """
    raw_dir = Path(raw_dir)
    files = sorted(raw_dir.glob("*.txt"))
    if not files:
        raise ParseError(raw_dir, 1, "no interview (*.txt) found")
    orphans = sorted(set(raw_dir.glob("*.toml")) - {f.with_suffix(".toml") for f in files})
    if orphans:
        raise ParseError(orphans[0], 1, "metadata file without an interview (.txt) beside it")
    notes, strict = _decisions(raw_dir, annotations)
    metas, tables, seen = [], [], {}
    for path in files:
        meta = read_metadata(path.with_suffix(".toml"))
        if meta.doc_id in seen:
            raise ParseError(
                meta.path,
                _key_line(meta.path.read_text(encoding="utf-8"), "doc_id"),
                f"doc_id '{meta.doc_id}' is already used by {seen[meta.doc_id].name}",
            )
        seen[meta.doc_id] = meta.path
        metas.append(meta)
        tables.append(
            _InterviewParser(
                path, read_interview_text(path), meta, notes.reset_index(drop=True)
            ).parse()
        )
    stray = notes[~notes["doc_id"].isin(seen)]
    if strict and len(stray):
        raise ParseError(
            stray["source"].iat[0],
            int(stray["line"].iat[0]),
            f"annotation names doc_id '{stray['doc_id'].iat[0]}', which is no interview in "
            f"{raw_dir.name}/ (known: {', '.join(seen)})",
        )
    paragraphs = _typed(pd.concat(tables, ignore_index=True))
    return Corpus(paragraphs, exchange_table(paragraphs), _documents(metas))


def corpus_from_turns(
    turns: pd.DataFrame,
    *,
    interviewer: str,
    speaker: str = "speaker",
    text: str = "text",
    group: str = "group",
    exchange: str | None = None,
    part: str | None = None,
    doc_id: str | None = None,
) -> Corpus:
    """Build the corpus tables from a table the user already has, one row per turn.

    ``interviewer`` names the speaker whose turns are questions; every other speaker's turns
    are answers. Without an ``exchange`` column each interviewer turn opens a new exchange.
    ``group`` (a slate, party or candidate) becomes ``slate``; ``doc_id`` names a column of
    interview ids, else each group is one interview. Character offsets are empty: there is
    no raw text to point into.

    Raises ``ValueError`` naming the turn (its 1-based position in ``turns``) when a turn has
    no speaker or text, an answer opens an exchange, or an exchange has no answer.
    """
    needed = [c for c in (speaker, text, group, exchange, part, doc_id) if c]
    missing = [c for c in needed if c not in turns.columns]
    if missing:
        raise ValueError(f"turn table lacks column(s) {missing}")
    if turns.empty:
        raise ValueError("turn table has no rows")
    for column in (speaker, text, group):
        blank = turns[column].isna() | turns[column].astype(str).str.strip().eq("")
        if blank.any():
            raise ValueError(f"turn {int(blank.to_numpy().argmax()) + 1} has no {column}")
    if exchange and turns[exchange].isna().any():
        position = int(turns[exchange].isna().to_numpy().argmax()) + 1
        raise ValueError(f"turn {position} has no {exchange}")
    if not (turns[speaker] == interviewer).any():
        raise ValueError(f"the interviewer {interviewer!r} speaks in no turn")
    rows = []
    for position, (_, turn) in enumerate(turns.iterrows()):
        role = "question" if turn[speaker] == interviewer else "answer"
        rows.append(
            {
                "doc_id": str(turn[doc_id]) if doc_id else _slug(turn[group]),
                "slate": str(turn[group]),
                "line": position + 1,
                "role": role,
                "speaker": str(turn[speaker]),
                "part": str(turn[part]) if part and pd.notna(turn[part]) else "",
                "exchange": turn[exchange] if exchange else None,
                "respondent": "",
                "text": _clean(str(turn[text])),
                "footnotes": "",
                "footnote_no": None,
                "start": None,
                "end": None,
            }
        )
    frame = pd.DataFrame(rows)
    frame["para_id"] = frame.groupby("doc_id").cumcount() + 1
    if not exchange:
        frame["exchange"] = (frame["role"] == "question").groupby(frame["doc_id"]).cumsum()
        early = frame[frame["exchange"] == 0]
        if len(early):
            raise ValueError(
                f"turn {early['line'].iat[0]}: an answer comes before any question by the "
                "interviewer"
            )
    paragraphs = _typed(frame)
    for (doc, number), block in paragraphs.groupby(["doc_id", "exchange"], sort=False):
        if block["role"].iat[0] != "question":
            raise ValueError(
                f"turn {block['line'].iat[0]}: an answer opens exchange {number} of {doc}, "
                "before its question"
            )
        if not (block["role"] == "answer").any():
            raise ValueError(
                f"turn {block['line'].iat[0]}: exchange {number} of {doc} has a question with "
                "no answer"
            )
    metas = paragraphs.drop_duplicates("doc_id")
    documents = pd.DataFrame(
        {
            "doc_id": metas["doc_id"],
            "slate": metas["slate"],
            "title": "",
            "publication": "",
            "interviewer": interviewer,
            "date": "",
            "url": "",
            "interviewer_label": "",
            "respondent_labels": "",
        },
        columns=DOCUMENT_COLUMNS,
    ).reset_index(drop=True)
    return Corpus(paragraphs, exchange_table(paragraphs), documents)


def _slug(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "interview"


# --------------------------------------------------------------------------- storage


def write_corpus(corpus: Corpus, out_dir: Path = paths.PROCESSED) -> list[Path]:
    """Write paragraphs.csv and exchanges.csv atomically: all or nothing, byte-stable."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {
        "paragraphs.csv": corpus.paragraphs,
        "exchanges.csv": corpus.exchanges,
        "documents.csv": corpus.documents,
    }
    staged = []
    try:
        for name, table in tables.items():
            temporary = out_dir / f".{name}.tmp"
            staged.append((temporary, out_dir / name))
            table.to_csv(temporary, index=False, lineterminator="\n", encoding="utf-8")
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
    return [target for _, target in staged]


def load_corpus(raw_dir: Path | None = None) -> Corpus:
    """Every interview in ``corpus/raw/`` (or ``raw_dir``), parsed afresh."""
    return build_corpus(raw_dir or paths.RAW)


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


def read_processed(out_dir: Path = paths.PROCESSED) -> Corpus:
    """The committed tables in ``corpus/processed/``, with their promised columns checked.

    Every cell is read as text and only the count and offset columns are converted, so the
    tables equal those :func:`build_corpus` returns (a footnote list "1" stays "1", an empty
    respondent stays "").
    """
    out_dir = Path(out_dir)
    tables = {}
    for name, columns in (
        ("paragraphs", PARAGRAPH_COLUMNS),
        ("exchanges", EXCHANGE_COLUMNS),
        ("documents", DOCUMENT_COLUMNS),
    ):
        path = out_dir / f"{name}.csv"
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
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


def main(argv: list[str] | None = None) -> int:
    try:
        corpus = build_corpus()
    except ParseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in write_corpus(corpus):
        print(f"wrote {path.relative_to(paths.ROOT)}")
    counts = corpus.paragraphs.groupby("doc_id").size()
    for doc_id, n in counts.items():
        n_ex = (corpus.exchanges["doc_id"] == doc_id).sum()
        print(f"{doc_id}: {n} paragraphs, {n_ex} exchanges")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
