"""The house text format: metadata files, annotation files and the paragraphs of an interview.

An interview is a UTF-8 text file with a TOML metadata file of the same name beside it.
Paragraphs are separated by blank lines; a turn starts with a speaker label the metadata declares
in ``[speakers]``, followed by a colon (``HOST: Welcome``, matched in any case) or, printed in
capitals, glued to a capitalised first word as the Momentum interview is published
(``MOMomentum is``). A label never splits a word: ``MOD procurement`` is not ``MO`` + ``D
procurement`` and ``HOSTILE`` is not ``HOST``. A paragraph without a label continues the turn
before it unless an annotation file records another decision for it. Part headings and
attribution lines are patterns the metadata may declare (the Momentum ones are the defaults).

Every refusal is a :class:`ParseError` naming the file and line and what would be accepted.
Parsing is linear in the size of the file: line numbers come from one table of line starts.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import datetime as dt
import re
import tomllib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ANNOTATION_COLUMNS",
    "ANNOTATION_ROLES",
    "DEFAULT_ATTRIBUTION",
    "DEFAULT_PARTS",
    "REQUIRED_METADATA",
    "ROLES",
    "Metadata",
    "ParseError",
    "read_annotations",
    "read_interview_text",
    "read_metadata",
    "split_paragraphs",
]

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
#: Keys every metadata file of an interview in the house format must have (the interviewer
#: labels too: ``interviewer_labels``, or the older single ``interviewer_label``).
REQUIRED_METADATA = ("doc_id", "slate", "publication", "date", "url", "speakers")
ANNOTATION_COLUMNS = ("doc_id", "starts_with", "role", "label", "reason")
#: An annotation file may add this column: the declared id of a question shared across interviews.
ANNOTATION_OPTIONAL = ("question_id",)
ANNOTATION_ROLES = ("question", "answer", "interviewer_remark", "editorial")
ANNOTATION_FRAME = [*ANNOTATION_COLUMNS, *ANNOTATION_OPTIONAL, "line", "source"]

#: Part headings of the Momentum interview: part name -> pattern a heading paragraph matches in
#: full (case-insensitively, line breaks made spaces). A metadata ``[parts]`` table replaces them.
DEFAULT_PARTS = (
    ("general", r"\d+\.\s+General questions\.?"),
    ("specific", r"\d+\.\s+Questions specific to\b.*"),
)
#: Attribution line of the Momentum interview; ``who`` is the respondent (up to the first comma,
#: colon, semicolon or bracket). A metadata ``attribution`` pattern replaces it.
DEFAULT_ATTRIBUTION = r"\(This question was answered by (?P<who>.+?)\)\.?"

_PARAGRAPH = re.compile(r"\S(?:.*\S)?", re.DOTALL)
# A blank line: a line break, a line holding nothing but spaces of any kind, a line break.
_BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")
_READING_TIME = re.compile(r"^\d+\s+min(ute)?s?\s+read$", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^(?P<no>\d{1,3})\.\s+(?P<body>.+)$", re.DOTALL)
# A speaker label: words of letters or digits (with inner dots, hyphens, apostrophes or
# ampersands) separated by single spaces; never a colon.
_LABEL = re.compile(r"[^\W_](?:[\w.'’&-]*[^\W_])?\.?(?: [^\W_](?:[\w.'’&-]*[^\W_])?\.?)*")
# What an undeclared label looks like: capitals followed by a colon, or two or more capitals glued
# to a capitalised word or an opening quote or bracket.
_COLON_SHAPE = re.compile(
    r"^(?P<label>[A-Z][A-Z0-9.'’&-]*(?: [A-Z][A-Z0-9.'’&-]*)*)[^\S\n]*:(?=\s)"
)
_GLUED_SHAPE = re.compile(r"^(?P<label>[A-Z]{2,})(?=[A-Z][a-z]|[“\"‘'(\[])")
# What may follow a label glued to its first word: an opening quote or bracket ...
_OPENING = frozenset("“\"‘'([«")
# ... a capitalised word, or one of the one-letter words written as a capital ("NSA constant").
_ONE_LETTER_WORDS = frozenset("AI")
# A footnote marker: a number glued to a lower-case letter, or to punctuation that follows one
# ("Morning Star1", "inward-looking”2", "apartheid state.3"); never after a digit or capital
# ("17.00", "Q1").
_MARKER = re.compile(
    r"(?:(?<=[a-z])|(?<=[a-z][.,;:!?”’\"')\]]))(?P<no>\d{1,3})(?=[\s.,;:!?”’\"')\]]|$)"
)
_DIGIT = re.compile(r"\d")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_QUESTION_ID = re.compile(r"[^\s,\"]+")


class ParseError(ValueError):
    """Bad input: names the file and the line where the problem is."""

    def __init__(self, path: Path | str, line: int, message: str):
        self.path, self.line, self.message = Path(path), line, message
        super().__init__(f"{path}:{line}: {message}")


@dataclass(frozen=True)
class Metadata:
    """What a metadata file says about an interview or a turn table.

    ``speakers`` maps each declared label to its full name; ``interviewer_labels`` are those of
    them whose turns are questions and ``interviewers`` the full names of who asks (for a turn
    table without ``[speakers]``, the names as its speaker column writes them). ``parts`` are
    ``(part name, compiled heading pattern)`` pairs; ``parts_declared`` says they come from the
    file rather than the defaults. ``columns`` renames the columns of a turn table.
    """

    doc_id: str
    slate: str
    title: str
    publication: str
    date: dt.date | None
    url: str
    speakers: dict[str, str]
    interviewer_labels: tuple[str, ...]
    interviewers: tuple[str, ...]
    path: Path = field(compare=False)
    parts: tuple[tuple[str, re.Pattern[str]], ...] = field(default=(), compare=False)
    parts_declared: bool = False
    attribution: re.Pattern[str] | None = field(default=None, compare=False)
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def interviewer(self) -> str:
        """The interviewers' full names joined by "; "."""
        return "; ".join(self.interviewers)

    @property
    def interviewer_label(self) -> str:
        """The interviewer labels joined by a space."""
        return " ".join(self.interviewer_labels)

    @property
    def respondent_labels(self) -> list[str]:
        return [label for label in self.speakers if label not in self.interviewer_labels]


# --------------------------------------------------------------------------- reading input


class LineIndex:
    """Line numbers of offsets into one text: one table of line starts, looked up by bisection."""

    def __init__(self, text: str):
        self.starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def __call__(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def read_interview_text(path: Path | str) -> str:
    """The file decoded as UTF-8, refusing empty, binary and mis-encoded files.

    A leading byte order mark (written by some Windows editors) is dropped, so offsets index the
    text that follows it; every other character is kept as published.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(path, 1, f"cannot be read ({exc.strerror or exc})") from None
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
        line = text.count("\n", 0, control.start()) + 1
        raise ParseError(path, line, "binary data (control character)")
    return text


def _key_line(source: str, key: str, table: str | None = None) -> int:
    """Line of ``key = ...`` (or of the ``[key]`` header) in a TOML source; 1 if absent.

    With ``table``, the key is looked for after that table's header.
    """
    begin = 0
    if table is not None:
        header = re.search(rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\]", source, re.MULTILINE)
        begin = header.end() if header else 0
    name = re.escape(key)
    pattern = rf"^[ \t]*(?:(?:{name}|\"{name}\"|'{name}')[ \t]*=|\[[ \t]*{name}[ \t]*\])"
    match = re.compile(pattern, re.MULTILINE).search(source, begin)
    return source.count("\n", 0, match.start()) + 1 if match else 1


def _toml_error_line(exc: tomllib.TOMLDecodeError, source: str) -> int:
    """The line a TOML error points at; the last line when it is "at end of document"."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    match = re.search(r"at line (\d+)", str(exc))
    if match:
        return int(match.group(1))
    return max(1, len(source.rstrip("\n").splitlines()))


def _compile(path: Path, line: int, what: str, pattern: object, flags: int = 0) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern.strip():
        raise ParseError(path, line, f"{what} must be a regular expression, as a non-empty string")
    try:
        with warnings.catch_warnings():  # e.g. FutureWarning of a possible nested set "[["
            warnings.simplefilter("ignore")
            return re.compile(pattern, flags)
    except (re.error, RecursionError, OverflowError, ValueError) as exc:
        raise ParseError(path, line, f"{what} is not a valid regular expression ({exc})") from None


class _MetadataReader:
    """Checks one metadata file key by key; every problem names the file and line."""

    def __init__(self, path: Path, source: str, meta: dict, turn_table: bool):
        self.path, self.source, self.meta, self.turn_table = path, source, meta, turn_table

    def fail(self, key: str, message: str, table: str | None = None) -> ParseError:
        return ParseError(self.path, _key_line(self.source, key, table), message)

    def string(self, key: str, *, required: bool) -> str:
        if key not in self.meta:
            if required:
                raise ParseError(self.path, 1, f"required key '{key}' is missing")
            return ""
        value = self.meta[key]
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(key, f"'{key}' must be a non-empty string")
        return value.strip() if key in ("doc_id", "slate") else value

    def read(self) -> Metadata:
        house = not self.turn_table
        if house:
            for key in REQUIRED_METADATA:
                if key not in self.meta:
                    raise ParseError(self.path, 1, f"required key '{key}' is missing")
        doc_id = self.string("doc_id", required=house)
        if doc_id and not _SLUG.fullmatch(doc_id):
            raise self.fail(
                "doc_id", "'doc_id' must be a lower-case slug (letters a-z, digits and hyphens)"
            )
        slate = self.string("slate", required=house)
        if "slate" in self.meta and not slate:
            raise self.fail("slate", "'slate' must be a non-empty string")
        publication = self.string("publication", required=house)
        title = self.string("title", required=False)
        url = self.string("url", required=house)
        if (url or "url" in self.meta) and not re.match(r"https?://\S+$", url):
            raise self.fail("url", "'url' must be an http(s) address")
        date = self.date(required=house)
        speakers = self.speakers(required=house)
        labels, interviewers = self.interviewers(speakers)
        parts, declared = self.parts()
        return Metadata(
            doc_id=doc_id,
            slate=slate,
            title=title,
            publication=publication,
            date=date,
            url=url,
            speakers=speakers,
            interviewer_labels=labels,
            interviewers=interviewers,
            path=self.path,
            parts=parts,
            parts_declared=declared,
            attribution=self.attribution(),
            columns=self.columns(),
        )

    def date(self, *, required: bool) -> dt.date | None:
        if "date" not in self.meta:
            if required:
                raise ParseError(self.path, 1, "required key 'date' is missing")
            return None
        value = self.meta["date"]
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise self.fail("date", "'date' must be a date (YYYY-MM-DD)")
        return value

    def speakers(self, *, required: bool) -> dict[str, str]:
        if "speakers" not in self.meta:
            if required:
                raise ParseError(self.path, 1, "required key 'speakers' is missing")
            return {}
        speakers = self.meta["speakers"]
        if not isinstance(speakers, dict):
            raise self.fail("speakers", '[speakers] must be a table of labels, each = "full name"')
        seen: dict[str, str] = {}
        for label, name in speakers.items():
            if not _LABEL.fullmatch(label):
                raise self.fail(
                    label,
                    f"[speakers] {label!r} cannot be a label: a label is one or more words of "
                    "letters or digits (inner dots, hyphens, apostrophes and ampersands allowed) "
                    "separated by single spaces, with no colon",
                    table="speakers",
                )
            if not isinstance(name, str) or not name.strip():
                raise self.fail(
                    label,
                    f"[speakers] {label} must give the speaker's full name, as a non-empty string",
                    table="speakers",
                )
            if label.casefold() in seen:
                raise self.fail(
                    label,
                    f"[speakers] labels {seen[label.casefold()]!r} and {label!r} differ only in "
                    "case; labels are matched case-insensitively, so declare one of them",
                    table="speakers",
                )
            seen[label.casefold()] = label
        if self.turn_table and not speakers:
            return {}
        if len(speakers) < 2:
            raise self.fail(
                "speakers",
                f"[speakers] must declare the interviewer's label and at least one respondent's "
                f"label, each with a full name; it declares {len(speakers)}",
            )
        return {label: name.strip() for label, name in speakers.items()}

    def strings(self, key: str, single: bool, shape: str) -> list:
        """The value of ``key`` as a list of non-blank strings: one string when ``single``, else
        a non-empty list of them; refused as not being ``shape`` otherwise."""
        value = self.meta[key]
        given = [value] if single else value
        if (
            not isinstance(given, list)
            or not given
            or not all(isinstance(v, str) and v.strip() for v in given)
        ):
            raise self.fail(key, f"'{key}' must be {shape}")
        return given

    def interviewers(self, speakers: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``(labels, full names)`` of who asks the questions."""
        meta = self.meta
        if "interviewer_labels" in meta and "interviewer_label" in meta:
            raise self.fail(
                "interviewer_label",
                "give 'interviewer_labels' (a list) or the older 'interviewer_label', not both",
            )
        key = "interviewer_labels" if "interviewer_labels" in meta else "interviewer_label"
        names = self.interviewer_names()
        if key not in meta:
            if speakers:
                raise ParseError(
                    self.path,
                    1,
                    "required key 'interviewer_labels' is missing (or the older "
                    "'interviewer_label'): name the [speakers] labels whose turns are questions, "
                    f'e.g. interviewer_labels = ["{next(iter(speakers))}"]',
                )
            if not names:
                raise ParseError(
                    self.path,
                    1,
                    "required key 'interviewers' is missing: name the speakers whose turns are "
                    'questions, as the speaker column writes them, e.g. interviewers = ["Host"] '
                    "(or declare [speakers] and interviewer_labels)",
                )
            return (), names
        shape = "a label" if key == "interviewer_label" else "a non-empty list of labels"
        given = self.strings(key, key == "interviewer_label", f"{shape} declared in [speakers]")
        if not speakers:
            raise self.fail(key, f"'{key}' names labels, but the file declares no [speakers]")
        folded = {label.casefold(): label for label in speakers}
        labels = []
        for label in given:
            if label.strip().casefold() not in folded:
                raise self.fail(
                    key,
                    f"'{key}' names {label!r}, which is not a label of [speakers] "
                    f"(declared: {', '.join(speakers)})",
                )
            canonical = folded[label.strip().casefold()]
            if canonical not in labels:
                labels.append(canonical)
        if len(labels) == len(speakers):
            raise self.fail(
                "speakers",
                "[speakers] declares no respondent: every label is an interviewer's "
                f"({', '.join(labels)}); declare the label of at least one speaker who answers",
            )
        full = tuple(dict.fromkeys(speakers[label] for label in labels))
        return tuple(labels), full

    def interviewer_names(self) -> tuple[str, ...]:
        """The names in ``interviewers`` (a list), else ``interviewer`` (one name).

        They say who asks only where no labels do (a turn table without ``[speakers]``); with
        labels, ``interviewer`` is the older key naming the interviewing publication, kept as
        a description.
        """
        meta = self.meta
        for key in ("interviewer", "interviewers"):
            if key not in meta:
                continue
            shape = "a non-empty string" if key == "interviewer" else "a list of names"
            self.strings(key, key == "interviewer", shape)
        if "interviewers" in meta:
            return tuple(dict.fromkeys(v.strip() for v in meta["interviewers"]))
        if "interviewer" in meta:
            return (meta["interviewer"].strip(),)
        return ()

    def parts(self) -> tuple[tuple[tuple[str, re.Pattern[str]], ...], bool]:
        if "parts" not in self.meta:
            compiled = tuple(
                (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in DEFAULT_PARTS
            )
            return compiled, False
        parts = self.meta["parts"]
        if not isinstance(parts, dict):
            raise self.fail(
                "parts", '[parts] must be a table of part names, each = "heading pattern"'
            )
        compiled = []
        for name, pattern in parts.items():
            line = _key_line(self.source, name, "parts")
            if not name.strip() or "\n" in name:
                raise ParseError(self.path, line, "[parts] names must be non-empty, on one line")
            what = f"[parts] {name}"
            compiled.append((name, _compile(self.path, line, what, pattern, re.IGNORECASE)))
        return tuple(compiled), True

    def attribution(self) -> re.Pattern[str] | None:
        if "attribution" not in self.meta:
            return re.compile(DEFAULT_ATTRIBUTION, re.DOTALL)
        value = self.meta["attribution"]
        line = _key_line(self.source, "attribution")
        if value == "":
            return None
        pattern = _compile(self.path, line, "'attribution'", value, re.DOTALL)
        if "who" not in pattern.groupindex:
            raise ParseError(
                self.path,
                line,
                "'attribution' must name the respondent with a group (?P<who>...), e.g. "
                r'"\(Answered by (?P<who>.+?)\)"; or be "" for none',
            )
        return pattern

    def columns(self) -> dict[str, str]:
        if "columns" not in self.meta:
            return {}
        columns = self.meta["columns"]
        from .turns import TURN_COLUMNS  # the turn table's own names

        if not isinstance(columns, dict):
            raise self.fail("columns", '[columns] must be a table of names, e.g. speaker = "who"')
        for name, column in columns.items():
            if name not in TURN_COLUMNS:
                raise self.fail(
                    name,
                    f"[columns] {name!r} is not a column of a turn table "
                    f"(accepted: {', '.join(TURN_COLUMNS)})",
                    table="columns",
                )
            if not isinstance(column, str) or not column.strip():
                raise self.fail(
                    name, f"[columns] {name} must name a column, as a string", table="columns"
                )
        return {name: column for name, column in columns.items()}


def read_metadata(path: Path | str, *, turn_table: bool = False) -> Metadata:
    """Read and check one metadata file; every problem names the file and line.

    Keys of an interview in the house format (``turn_table=False``): ``doc_id`` (a lower-case
    slug), ``slate``, ``publication``, ``date`` (YYYY-MM-DD), ``url`` (http or https),
    ``[speakers]`` (label = full name; labels of any length, matched case-insensitively) and
    ``interviewer_labels`` (the labels whose turns are questions; the older single
    ``interviewer_label`` is accepted), optionally ``title``, ``interviewer``/``interviewers`` (the
    interviewers' full names, which must agree with ``[speakers]``), ``[parts]`` (part name =
    heading pattern) and ``attribution`` (a pattern with a group ``who``).

    A turn table's metadata (``turn_table=True``) has the same keys, all optional but one: who
    asks, either ``interviewers`` (names as the speaker column writes them; or ``interviewer``)
    or ``[speakers]`` with ``interviewer_labels``. ``doc_id`` and ``slate`` may come from the
    table's columns instead; ``[columns]`` renames them (e.g. ``speaker = "who"``).
    """
    path = Path(path)
    if not path.exists():
        raise ParseError(
            path, 1, "metadata file is missing: write it beside the interview, with the same name"
        )
    source = read_interview_text(path)
    try:
        meta = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(path, _toml_error_line(exc, source), f"malformed TOML: {exc}") from None
    except RecursionError:
        raise ParseError(path, 1, "malformed TOML: nested too deeply") from None
    return _MetadataReader(path, source, meta, turn_table).read()


# --------------------------------------------------------------------------- CSV files


def csv_records(path: Path, text: str, *, comments: bool = False) -> Iterator[tuple[int, list]]:
    """``(line, fields)`` of every record of a CSV text, with the line it starts on.

    A quoted field may span lines. With ``comments``, a line starting with ``#`` where a record
    would start is skipped. Blank lines are skipped. Any malformed input, such as a bare carriage
    return (CR) inside an unquoted field, is a :class:`ParseError` at its line.
    """
    pulled: list[int] = []  # the file line of each line handed to the reader
    boundary = [0]  # lines the reader had consumed when it returned its last record

    def feed() -> Iterator[str]:
        for number, match in enumerate(re.finditer(r"[^\n]*\n|[^\n]+", text), start=1):
            line = match.group()
            if comments and len(pulled) == boundary[0] and line.startswith("#"):
                continue
            pulled.append(number)
            yield line

    reader = csv.reader(feed(), strict=True)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = pulled[-1] if pulled else 1
            if "new-line character" in str(exc):
                message = (
                    "a bare carriage return (CR) inside a field: quote the field, or save the "
                    "file with LF or CRLF line endings"
                )
            elif "field larger" in str(exc):
                message = f"a field is longer than the CSV reader accepts ({exc})"
            else:
                message = f"malformed CSV ({exc}); quote fields that hold commas, quotes or breaks"
            raise ParseError(path, line, message) from None
        start = pulled[boundary[0]] if boundary[0] < len(pulled) else (pulled[-1] if pulled else 1)
        boundary[0] = reader.line_num
        if fields:
            yield start, fields


def read_annotations(path: Path | str):
    """The reviewed decisions for paragraphs whose labels do not settle their role.

    A CSV file with the columns ``doc_id, starts_with, role, label, reason`` and optionally
    ``question_id`` (in any order); lines starting with ``#`` before a record are comments. Each
    row quotes the opening of one paragraph (at least 12 characters, label included or not) and
    gives its role (question, answer, interviewer_remark, editorial) and speaker label. A
    ``question_id`` on a question declares it the same question as every other question with that
    id, in any interview, whatever its wording.

    Returns a DataFrame with those columns (``question_id`` "" where not given) plus ``line`` and
    ``source``.
    """
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise ParseError(path, 1, "annotations file not found")
    records = csv_records(path, read_interview_text(path), comments=True)
    header_line, header = next(records, (1, []))
    names = [name.strip() for name in header]
    accepted = set(ANNOTATION_COLUMNS)
    if not (accepted <= set(names) <= accepted | set(ANNOTATION_OPTIONAL)) or len(names) != len(
        set(names)
    ):
        raise ParseError(
            path,
            header_line,
            f"columns must be {', '.join(ANNOTATION_COLUMNS)}, optionally with "
            f"{', '.join(ANNOTATION_OPTIONAL)}, in any order (found: {', '.join(names) or 'none'})",
        )
    rows = []
    for line, fields in records:
        if len(fields) != len(names):
            raise ParseError(path, line, f"expected {len(names)} fields, found {len(fields)}")
        row = dict(zip(names, fields, strict=True))
        row.setdefault("question_id", "")
        row["question_id"] = row["question_id"].strip()
        if row["role"] not in ANNOTATION_ROLES:
            raise ParseError(path, line, f"role must be one of {ANNOTATION_ROLES}")
        if len(row["starts_with"]) < 12:
            raise ParseError(path, line, "'starts_with' must quote at least 12 characters")
        if row["question_id"]:
            if row["role"] != "question":
                raise ParseError(
                    path, line, "a question_id can only be declared on a row with role question"
                )
            if not _QUESTION_ID.fullmatch(row["question_id"]):
                raise ParseError(
                    path, line, "a question_id is one word: no spaces, commas or quotes"
                )
        rows.append({**row, "line": line, "source": str(path)})
    return pd.DataFrame(rows, columns=ANNOTATION_FRAME)


# --------------------------------------------------------------------------- paragraphs


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


_LAYOUT = re.compile(r"[ \t\r]*(?:\n[ \t\r]*)+")


def clean(text: str) -> str:
    """Layout removed: line breaks inside a paragraph become one space."""
    if "\n" not in text:  # nothing for the pattern to replace
        return text.strip()
    return _LAYOUT.sub(" ", text).strip()


def _strip_markers(text: str, defined: set[int]) -> tuple[str, list[int]]:
    found: list[int] = []

    def drop(match: re.Match) -> str:
        number = int(match.group("no"))
        if number in defined:
            found.append(number)
            return ""
        return match.group(0)

    if not defined or not _DIGIT.search(text):
        return text, found
    return _MARKER.sub(drop, text), found


class Labels:
    """Finds the declared speaker label a paragraph opens with, never splitting a word.

    A label followed by a colon (spaces allowed before it) matches in any case: ``Host:``,
    ``HOST :``. A label of two or more letters printed in capitals may also be glued to the first
    word, as the Momentum interview prints them, when what follows is a capitalised word
    (``MOWe``), the one-letter word ``A`` or ``I`` followed by a space (``NSA constant``; so an
    acronym ending in A or I and followed by a space is read as a label too), or an opening quote or
    bracket (``NS“Organising”``, ``NS(If``); never where it continues an upper-case word
    (``MOD procurement``, ``HOSTILE``) or a lower-case one (``Hostage``). Longer labels are tried
    first.
    """

    def __init__(self, speakers: dict[str, str]):
        self.by_fold = {label.casefold(): label for label in speakers}
        ordered = sorted(speakers, key=len, reverse=True)
        # Any declared label at the start, longest first: most paragraphs fail this one test.
        self.ordered = ordered
        alternatives = "|".join(f"(?P<l{i}>{re.escape(label)})" for i, label in enumerate(ordered))
        self.start = re.compile(alternatives, re.IGNORECASE) if ordered else None
        self.colon = re.compile(r"[^\S\n]*:\s*")
        # The shorter labels that begin as a longer one does, to try when the longer one fails.
        self.shorter = {
            label: [
                other
                for other in ordered
                if len(other) < len(label) and label.casefold().startswith(other.casefold())
            ]
            for label in ordered
        }

    def match(self, raw: str) -> tuple[str, int] | None:
        """``(declared label, offset where the text after it starts)``, or None."""
        if self.start is None:
            return None
        found = self.start.match(raw)
        if found is None:
            return None
        longest = self.ordered[int(found.lastgroup[1:])]
        for label in (longest, *self.shorter[longest]):
            n = len(label)
            colon = self.colon.match(raw, n)
            if colon:
                return label, colon.end()
            printed = raw[:n]
            if n > 1 and printed == printed.upper() and _glued_word_follows(raw[n : n + 3]):
                return label, n
        return None


def _glued_word_follows(rest: str) -> bool:
    """Whether ``rest`` opens with a word a label may be glued to (see :class:`Labels`)."""
    if not rest:
        return False
    first, second = rest[0], rest[1:2]
    if first in _OPENING:
        return True
    if not first.isupper():
        return False
    if second.islower():
        return True
    if first in _ONE_LETTER_WORDS:
        # "NSA constant", "MOI think", "MOI’m": the word A or I, then a space or I's apostrophe
        return second.isspace() or (first == "I" and second in "’'" and rest[2:3].islower())
    return False


def accepted_headings(meta: Metadata) -> str:
    """The heading patterns a document's metadata accepts, for error messages."""
    if not meta.parts:
        return "none (the metadata's [parts] table is empty)"
    return "; ".join(f"{name} = {pattern.pattern!r}" for name, pattern in meta.parts)


#: The columns of the paragraph table, in order (the parser returns them as lists).
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
    "question_id",
    "respondent",
    "text",
    "footnotes",
    "footnote_no",
]
_EMITTED = (
    "start",
    "end",
    "role",
    "speaker",
    "part",
    "exchange",
    "question_id",
    "text",
    "footnotes",
    "footnote_no",
)
_IN_PART = frozenset(("question", "answer", "attribution", "interviewer_remark", "heading"))


class InterviewParser:
    """One pass over an interview's paragraphs, tracking turn, exchange and part.

    ``annotations`` are dicts with the columns of :func:`read_annotations`, for this interview.
    :meth:`parse` returns the paragraph table's columns (:data:`PARAGRAPH_COLUMNS`) as lists.
    """

    def __init__(self, path: Path, text: str, meta: Metadata, annotations: list[dict]):
        self.path, self.text, self.meta = path, text, meta
        self.line_of = LineIndex(text)
        self.annotations = annotations
        self.used_annotations: dict[int, int] = {}  # annotation position -> offset it matched
        self.labels = Labels(meta.speakers)
        self.interviewer_labels = set(meta.interviewer_labels)
        self.columns: dict[str, list] = {name: [] for name in _EMITTED}
        self.count = 0  # paragraphs emitted
        self.respondents: dict[int, str] = {}  # paragraph index -> respondent an attribution names
        self.part = ""
        self.exchange = 0
        self.question_id = ""
        self.answer_rows: list[int] = []  # rows of the current exchange's answer
        self.turn = ""  # role of the turn that an unlabelled paragraph continues
        self.turn_speaker = ""
        self.open_question = -1  # offset of the question still waiting for its answer
        self.in_interview = False

    def error(self, start: int, message: str) -> ParseError:
        return ParseError(self.path, self.line_of(start), message)

    def annotation_error(self, note: dict, message: str) -> ParseError:
        return ParseError(note["source"], int(note["line"]), message)

    def annotation_for(self, raw: str, body: str, start: int) -> dict | None:
        if not self.annotations:
            return None
        openings = {raw, body, clean(raw), clean(body)}
        hits = [
            (index, note)
            for index, note in enumerate(self.annotations)
            if any(opening.startswith(note["starts_with"]) for opening in openings)
        ]
        if len(hits) > 1:
            raise self.error(start, "more than one annotation matches this paragraph")
        if not hits:
            return None
        index, note = hits[0]
        if index in self.used_annotations:
            raise self.annotation_error(
                note,
                f"annotation matches more than one paragraph (lines "
                f"{self.line_of(self.used_annotations[index])} and {self.line_of(start)}): "
                "quote more of the opening",
            )
        self.used_annotations[index] = start
        return note

    def heading(self, cleaned: str) -> str | None:
        for name, pattern in self.meta.parts:
            if pattern.fullmatch(cleaned):
                return name
        return None

    def parse(self) -> dict[str, list]:
        text = self.text
        spans = split_paragraphs(text)
        raws = [text[start:end] for start, end in spans]
        cleaned = [clean(raw) for raw in raws]
        headings = [self.heading(c) for c in cleaned]
        first_footnote = len(spans)
        while (
            first_footnote > 0
            and headings[first_footnote - 1] is None
            and _FOOTNOTE.match(raws[first_footnote - 1])
        ):
            first_footnote -= 1
        defined = {int(_FOOTNOTE.match(raw).group("no")) for raw in raws[first_footnote:]}
        self.has_headings = any(h is not None for h in headings[:first_footnote])
        if self.meta.parts_declared and self.meta.parts and not self.has_headings:
            raise ParseError(
                self.meta.path,
                _key_line(read_interview_text(self.meta.path), "parts"),
                f"no paragraph of {self.path.name} is a part heading the metadata declares "
                f"(accepted: {accepted_headings(self.meta)}); fix the headings, or declare an "
                "empty [parts] table for an interview without parts",
            )
        for index, (start, end) in enumerate(spans):
            if index >= first_footnote:
                self._footnote(start, end, raws[index])
            elif headings[index] is not None:
                self._heading(start, end, headings[index], cleaned[index])
            else:
                self._paragraph(start, end, raws[index], cleaned[index], defined)
        self._finish()
        footnotes = self.columns["footnotes"]
        missing = sorted(defined - {n for cited in footnotes for n in cited})
        if missing:
            raise ParseError(self.path, 1, f"footnote(s) {missing} are never cited in the text")
        columns = self.columns
        columns["footnotes"] = [" ".join(map(str, cited)) if cited else "" for cited in footnotes]
        n = self.count
        respondent = [""] * n
        for row, name in self.respondents.items():
            respondent[row] = name
        line_of = self.line_of
        return {
            "doc_id": [self.meta.doc_id] * n,
            "slate": [self.meta.slate] * n,
            "para_id": list(range(1, n + 1)),
            "line": [line_of(start) for start in columns["start"]],
            **{name: columns[name] for name in ("start", "end", "role", "speaker", "part")},
            "exchange": columns["exchange"],
            "question_id": columns["question_id"],
            "respondent": respondent,
            **{name: columns[name] for name in ("text", "footnotes", "footnote_no")},
        }

    def _emit(self, start, end, role, speaker, text, exchange=None, footnotes=(), note=None):
        self.count += 1
        columns = self.columns
        columns["start"].append(start)
        columns["end"].append(end)
        columns["role"].append(role)
        columns["speaker"].append(speaker)
        columns["part"].append(self.part if role in _IN_PART else "")
        columns["exchange"].append(exchange)
        columns["question_id"].append(self.question_id if role == "question" else "")
        columns["text"].append(text)
        columns["footnotes"].append(footnotes)
        columns["footnote_no"].append(note)

    def _footnote(self, start: int, end: int, raw: str) -> None:
        self._close_question()
        self.in_interview = False
        match = _FOOTNOTE.match(raw)
        body = clean(match.group("body"))
        self._emit(start, end, "footnote", self.meta.publication, body, note=int(match["no"]))

    def _heading(self, start: int, end: int, part: str, cleaned: str) -> None:
        self._close_question()
        self.part = part
        self.in_interview = True
        self.turn = ""
        self._emit(start, end, "heading", self.meta.publication, cleaned)

    def _paragraph(self, start: int, end: int, raw: str, cleaned: str, defined: set[int]) -> None:
        found = self.labels.match(raw)
        label, body = (found[0], raw[found[1] :]) if found else (None, raw)
        text, cited = _strip_markers(clean(body), defined)
        if not self.in_interview:
            if label is not None and self.has_headings:
                raise self.error(
                    start,
                    f"a turn by {label} before the first part heading: the question-and-answer "
                    "section begins at a heading "
                    f"(accepted: {accepted_headings(self.meta)})",
                )
            # Without part headings the interview begins at its first labelled turn.
            annotation = None if self.has_headings else self.annotation_for(raw, body, start)
            if label is None and annotation is None:
                self._emit(
                    start,
                    end,
                    self._front_matter_role(raw),
                    self.meta.publication,
                    text,
                    footnotes=cited,
                )
                return
            self.in_interview = True
        else:
            annotation = self.annotation_for(raw, body, start)
        attribution = self.meta.attribution
        if annotation is not None:
            self._annotated_turn(annotation, label, start)
        elif label:
            self._labelled_turn(label, start)
        elif attribution is not None and (who := attribution.fullmatch(cleaned)) is not None:
            self._attribution(start, end, who.group("who") or "", cleaned)
            return
        else:
            shape = _COLON_SHAPE.match(raw) or _GLUED_SHAPE.match(raw)
            if shape and self.turn != "editorial":
                raise self.error(
                    start,
                    f"speaker label '{shape.group('label')}' is not declared in "
                    f"{self.meta.path.name} (declared: {', '.join(self.meta.speakers)}); "
                    "declare it in [speakers]",
                )
            if self.turn in ("", "attribution"):
                raise self.error(
                    start,
                    "a paragraph without a speaker label that continues no turn: give it a "
                    f"declared label ({', '.join(self.meta.speakers)}) or record its role in the "
                    "annotations file",
                )
        role = self.turn
        in_exchange = role in ("question", "answer")
        if role == "answer":
            self.answer_rows.append(self.count)
        self._emit(
            start,
            end,
            role,
            self.turn_speaker,
            text,
            exchange=self.exchange if in_exchange else None,
            footnotes=cited,
        )

    def _front_matter_role(self, raw: str) -> str:
        if not self.count:
            return "title"
        if _READING_TIME.match(raw.strip()):
            return "reading_time"
        return "standfirst" if self.count == 1 else "editorial"

    def _labelled_turn(self, label: str, start: int) -> None:
        role = "question" if label in self.interviewer_labels else "answer"
        self._start_turn(role, self.meta.speakers[label], start)

    def _annotated_turn(self, note: dict, printed: str | None, start: int) -> None:
        if note["role"] == "editorial":
            self._start_turn("editorial", self.meta.publication, start)
            return
        label = self.labels.by_fold.get(note["label"].strip().casefold())
        if label is None:
            raise self.annotation_error(
                note,
                f"annotation label '{note['label']}' is not declared in {self.meta.path.name} "
                f"(declared: {', '.join(self.meta.speakers)})",
            )
        if printed and printed != label:
            raise self.annotation_error(
                note, f"annotation says '{label}' but the paragraph is labelled '{printed}'"
            )
        by_interviewer = label in self.interviewer_labels
        if by_interviewer != (note["role"] in ("question", "interviewer_remark")):
            raise self.annotation_error(
                note,
                f"annotation role '{note['role']}' cannot be spoken by '{label}': questions "
                f"and remarks are the interviewers' ({', '.join(self.meta.interviewer_labels)}), "
                "answers a respondent's",
            )
        self._start_turn(note["role"], self.meta.speakers[label], start, note["question_id"])

    def _start_turn(self, role: str, speaker: str, start: int, question_id: str = "") -> None:
        if role in ("question", "interviewer_remark", "editorial"):
            self._close_question(start)
        if role == "question":
            self.exchange += 1
            self.question_id = question_id
            self.answer_rows = []
            self.open_question = start
        elif role == "answer":
            if self.turn not in ("question", "answer"):  # "answer": relabelled or second voice
                raise self.error(start, f"an answer by {speaker} that follows no question")
            self.open_question = -1
        self.turn, self.turn_speaker = role, speaker

    def _close_question(self, start: int | None = None) -> None:
        if self.open_question >= 0:
            after = (
                f": the next turn, on line {self.line_of(start)}, is not an answer; if the "
                "question's paragraph asks nothing, record it in the annotations file as an "
                "interviewer_remark"
                if start is not None
                else ""
            )
            line = self.line_of(self.open_question)
            raise ParseError(self.path, line, f"a question with no answer{after}")

    def _attribution(self, start: int, end: int, who: str, cleaned: str) -> None:
        if self.turn != "answer":
            raise self.error(start, "an attribution line that follows no answer")
        respondent = re.split(r"[:,;(]", clean(who), maxsplit=1)[0].strip()
        for row in self.answer_rows:
            self.respondents[row] = respondent
        self._emit(
            start, end, "attribution", self.meta.publication, cleaned, exchange=self.exchange
        )
        self.respondents[self.count - 1] = respondent
        self.turn = "attribution"

    def _finish(self) -> None:
        self._close_question()
        if self.exchange == 0:
            labels = ", ".join(self.meta.speakers)
            raise ParseError(
                self.path,
                1,
                "no question and answer found: no paragraph opens with a declared speaker label "
                f"({labels}) after the front matter (part headings accepted: "
                f"{accepted_headings(self.meta)})",
            )
        unused = sorted(set(range(len(self.annotations))) - set(self.used_annotations))
        if unused:
            note = self.annotations[unused[0]]
            raise self.annotation_error(
                note, f"annotation matches no paragraph: {note['starts_with']!r}"
            )
