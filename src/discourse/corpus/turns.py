"""Turn tables: a transcript as a table with one row per turn, from a DataFrame or a file.

A turn table has the columns ``speaker`` and ``text``, the ``group`` the speaker's side speaks
for (a slate, party or candidate), and optionally ``exchange`` (turns sharing a number form one
exchange: its question, then its answer), ``question_id`` (the declared id of a question shared
across interviews), ``part`` and ``doc_id`` (several interviews in one table). The interviewers'
turns are questions, every other turn an answer. In a folder of interviews a turn table is a
``.csv`` or ``.parquet`` file with a metadata file of the same name beside it (see
:func:`discourse.corpus.read_metadata`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from .parse import Metadata, ParseError, clean, csv_records, read_interview_text, read_metadata
from .tables import Corpus, documents_table, exchange_table, typed

__all__ = ["TURN_COLUMNS", "corpus_from_turns", "read_turn_table"]

#: The columns of a turn table: the first two are required, ``group`` unless the metadata gives
#: the slate, the others optional.
TURN_COLUMNS = ("speaker", "text", "group", "exchange", "question_id", "part", "doc_id")
_QUESTION_ID = re.compile(r"[^\s,\"]+")


def _cell(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value).strip()


def _whole(value: object) -> int | None:
    """A cell as a whole number, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _cell(value)
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0*", text):
        return int(float(text))
    return None


def _slug(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "interview"


class _Turns:
    """Checks a turn table row by row and builds the corpus tables from it.

    ``fail(turn, message)`` raises the error for the 1-based ``turn`` (None: the whole table).
    """

    def __init__(
        self,
        columns: dict[str, list],
        *,
        interviewers: Sequence[str],
        speakers: dict[str, str] | None,
        interviewer_labels: Sequence[str] = (),
        doc_id: str = "",
        slate: str = "",
        lines: list[int] | None = None,
        fail: Callable[[int | None, str], Exception],
        document: dict | None = None,
    ):
        self.columns, self.speakers, self.fail = columns, speakers, fail
        self.interviewers = tuple(interviewers)
        self.interviewer_labels = tuple(interviewer_labels)
        self.doc_id, self.slate = doc_id, slate
        self.lines = lines
        self.document = document or {}

    def turns(self) -> int:
        return len(self.columns["text"])

    def _rows(self, n: int) -> list[dict]:
        columns = self.columns
        folded = {name.casefold(): name for name in self.interviewers}
        labels = {label.casefold(): label for label in (self.speakers or {})}
        asking = {label for label in self.interviewer_labels}
        speakers = [_cell(v) for v in columns["speaker"]]
        texts = [_cell(v) for v in columns["text"]]
        groups = [_cell(v) for v in columns["group"]] if "group" in columns else None
        for name, values in (("speaker", speakers), ("text", texts)):
            for turn, value in enumerate(values, start=1):
                if not value:
                    raise self.fail(turn, f"turn {turn} has no {name}")
        if "exchange" in columns:
            for turn, value in enumerate(columns["exchange"], start=1):
                if _cell(value) == "":
                    raise self.fail(turn, f"turn {turn} has no exchange")
                number = _whole(value)
                if number is None or number < 1:
                    raise self.fail(
                        turn, f"turn {turn}: exchange {_cell(value)!r} is not a whole number >= 1"
                    )
        rows = []
        for position in range(n):
            turn = position + 1
            who = speakers[position]
            if self.speakers is not None:
                label = labels.get(who.casefold())
                if label is None:
                    raise self.fail(
                        turn,
                        f"turn {turn}: speaker {who!r} is not a label of [speakers] "
                        f"(declared: {', '.join(self.speakers)})",
                    )
                role = "question" if label in asking else "answer"
                name = self.speakers[label]
            else:
                role = "question" if who.casefold() in folded else "answer"
                name = folded.get(who.casefold(), who)
            rows.append(
                {
                    "turn": turn,
                    "role": role,
                    "speaker": name,
                    "label": who if self.speakers is not None else "",
                    "group": groups[position] if groups is not None else self.slate,
                    "text": clean(texts[position]),
                }
            )
        if not any(row["role"] == "question" for row in rows):
            if len(self.interviewers) == 1:
                message = f"the interviewer {self.interviewers[0]!r} speaks in no turn"
            else:
                message = (
                    f"none of the interviewers {', '.join(map(repr, self.interviewers))} speaks "
                    "in any turn"
                )
            raise self.fail(None, message)
        self._place(rows)
        return rows

    def _place(self, rows: list[dict]) -> None:
        """Each turn's document, group, part and question id."""
        columns = self.columns
        doc_ids = [_cell(v) for v in columns["doc_id"]] if "doc_id" in columns else None
        parts = [_cell(v) for v in columns["part"]] if "part" in columns else None
        ids = [_cell(v) for v in columns["question_id"]] if "question_id" in columns else None
        group_of: dict[str, tuple[str, int]] = {}
        for row in rows:
            turn, position = row["turn"], row["turn"] - 1
            if doc_ids is not None:
                doc = doc_ids[position]
                if not doc:
                    raise self.fail(turn, f"turn {turn} has no doc_id")
                if "/" in doc or doc != doc.strip():
                    raise self.fail(turn, f"turn {turn}: doc_id {doc!r} may not contain '/'")
            elif self.doc_id:
                doc = self.doc_id
            elif row["group"]:
                doc = _slug(row["group"])
            else:
                raise self.fail(turn, f"turn {turn} has no group")
            # An interviewer's turn may leave the group empty when the document is known.
            known = doc_ids is not None or bool(self.doc_id)
            if not row["group"] and not (row["role"] == "question" and known):
                raise self.fail(turn, f"turn {turn} has no group")
            if row["group"]:
                first = group_of.setdefault(doc, (row["group"], turn))
                if first[0] != row["group"]:
                    raise self.fail(
                        turn,
                        f"turn {turn}: group {row['group']!r} in document {doc!r}, whose turn "
                        f"{first[1]} has group {first[0]!r}; one document speaks for one group, "
                        "so give each group its own doc_id",
                    )
            row["doc_id"] = doc
            row["part"] = parts[position] if parts is not None else ""
            qid = ids[position] if ids is not None else ""
            if qid and not _QUESTION_ID.fullmatch(qid):
                raise self.fail(
                    turn, f"turn {turn}: question_id {qid!r} must be one word (no spaces, commas)"
                )
            row["question_id"] = qid
        for row in rows:
            if not row["group"]:
                if row["doc_id"] not in group_of:
                    raise self.fail(row["turn"], f"turn {row['turn']} has no group")
                row["group"] = group_of[row["doc_id"]][0]

    def _number(self, rows: list[dict]) -> None:
        """Exchange numbers, checked: each exchange is together, opens with its question and
        has an answer."""
        given = self.columns.get("exchange")
        counters: dict[str, int] = {}
        last: dict[str, int] = {}
        blocks: dict[tuple[str, int], list[dict]] = {}
        for row in rows:
            doc, turn = row["doc_id"], row["turn"]
            if given is None:
                if row["role"] == "question":
                    counters[doc] = counters.get(doc, 0) + 1
                if doc not in counters:
                    raise self.fail(
                        turn,
                        f"turn {turn}: an answer comes before any question by the interviewer",
                    )
                number = counters[doc]
            else:
                number = _whole(given[turn - 1])
                if (doc, number) in blocks and last.get(doc) != number:
                    raise self.fail(
                        turn,
                        f"turn {turn}: exchange {number} of {doc} resumes after exchange "
                        f"{last[doc]}; keep the turns of an exchange together",
                    )
            last[doc] = number
            row["exchange"] = number
            blocks.setdefault((doc, number), []).append(row)
        for (doc, number), block in blocks.items():
            opening = block[0]
            if opening["role"] != "question":
                raise self.fail(
                    opening["turn"],
                    f"turn {opening['turn']}: an answer opens exchange {number} of {doc}, "
                    "before its question",
                )
            if not any(row["role"] == "answer" for row in block):
                raise self.fail(
                    opening["turn"],
                    f"turn {opening['turn']}: exchange {number} of {doc} has a question with "
                    "no answer",
                )
            declared = ""
            for row in block:
                if row["question_id"] and declared and row["question_id"] != declared:
                    raise self.fail(
                        row["turn"],
                        f"turn {row['turn']}: question_id {row['question_id']!r} differs from "
                        f"{declared!r}, given earlier in exchange {number} of {doc}",
                    )
                declared = declared or row["question_id"]
            for row in block:
                row["question_id"] = declared if row["role"] == "question" else ""

    def _documents(self, rows: list[dict]) -> pd.DataFrame:
        order: dict[str, dict] = {}
        for row in rows:
            entry = order.setdefault(
                row["doc_id"], {"slate": row["group"], "asked": set(), "labels": []}
            )
            if row["role"] == "question":
                entry["asked"].add(row["speaker"])
            elif row["label"]:
                label = {k.casefold(): k for k in self.speakers or {}}[row["label"].casefold()]
                if label not in entry["labels"]:
                    entry["labels"].append(label)
        documents = []
        names = (
            [self.speakers[label] for label in self.interviewer_labels]
            if self.speakers is not None
            else list(self.interviewers)
        )
        for doc, entry in order.items():
            asked = [name for name in dict.fromkeys(names) if name in entry["asked"]]
            documents.append(
                {
                    "doc_id": doc,
                    "slate": entry["slate"],
                    "title": self.document.get("title", ""),
                    "publication": self.document.get("publication", ""),
                    "interviewer": "; ".join(asked),
                    "date": self.document.get("date", ""),
                    "url": self.document.get("url", ""),
                    "interviewer_label": " ".join(self.interviewer_labels),
                    "respondent_labels": " ".join(entry["labels"]),
                }
            )
        return documents_table(documents)


def _paragraphs(rows: list[dict], lines: list[int] | None) -> list[dict]:
    counts: dict[str, int] = {}
    out = []
    for row in rows:
        counts[row["doc_id"]] = counts.get(row["doc_id"], 0) + 1
        out.append(
            {
                "doc_id": row["doc_id"],
                "slate": row["group"],
                "para_id": counts[row["doc_id"]],
                "line": lines[row["turn"] - 1] if lines else row["turn"],
                "start": None,
                "end": None,
                "role": row["role"],
                "speaker": row["speaker"],
                "part": row["part"],
                "exchange": row["exchange"],
                "question_id": row["question_id"],
                "respondent": "",
                "text": row["text"],
                "footnotes": "",
                "footnote_no": None,
            }
        )
    return out


def _build(turns: _Turns) -> Corpus:
    n = turns.turns()
    if n == 0:
        raise turns.fail(None, "turn table has no rows")
    rows = turns._rows(n)
    turns._number(rows)
    paragraphs = typed(pd.DataFrame(_paragraphs(rows, turns.lines)))
    return Corpus(paragraphs, exchange_table(paragraphs), turns._documents(rows))


def corpus_from_turns(
    turns: pd.DataFrame,
    *,
    interviewer: str | Sequence[str],
    speaker: str = "speaker",
    text: str = "text",
    group: str = "group",
    exchange: str | None = None,
    part: str | None = None,
    doc_id: str | None = None,
    question_id: str | None = None,
) -> Corpus:
    """Build the corpus tables from a table the user already has, one row per turn.

    ``interviewer`` names the speaker (or speakers, a list) whose turns are questions, matched
    case-insensitively; every other speaker's turns are answers. Without an ``exchange`` column
    each interviewer turn opens a new exchange; with one, the turns of an exchange must be
    together, its question first. ``group`` (a slate, party or candidate) becomes ``slate``;
    ``doc_id`` names a column of interview ids, else each group is one interview (its ``doc_id``
    the group's name as a slug); with a ``doc_id`` column an interviewer's turn may leave the
    group empty. ``question_id`` names a column declaring which questions are the same question
    across interviews. Character offsets are empty: there is no raw text to point into; ``line``
    is the turn's position.

    Raises ``ValueError`` naming the turn (its 1-based position in ``turns``) when a turn has
    no speaker or text, an answer opens an exchange, or an exchange has no answer.
    """
    names = {
        "speaker": speaker,
        "text": text,
        "group": group,
        "exchange": exchange,
        "part": part,
        "doc_id": doc_id,
        "question_id": question_id,
    }
    missing = [c for c in names.values() if c and c not in turns.columns]
    if missing:
        raise ValueError(f"turn table lacks column(s) {missing}")
    interviewers = [interviewer] if isinstance(interviewer, str) else list(interviewer)
    if not interviewers or not all(isinstance(v, str) and v.strip() for v in interviewers):
        raise ValueError("interviewer must name at least one speaker")
    columns = {key: turns[column].tolist() for key, column in names.items() if column}

    def fail(turn: int | None, message: str) -> ValueError:
        return ValueError(message)

    return _build(
        _Turns(columns, interviewers=[v.strip() for v in interviewers], speakers=None, fail=fail)
    )


# --------------------------------------------------------------------------- files


def _read_csv(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    records = csv_records(path, read_interview_text(path))
    header_line, header = next(records, (1, []))
    header = [name.strip() for name in header]
    if len(set(header)) != len(header):
        raise ParseError(path, header_line, f"a column name appears twice in {header}")
    rows, lines = [], []
    for line, fields in records:
        if len(fields) != len(header):
            found = f"expected {len(header)} fields, found {len(fields)}"
            raise ParseError(path, line, f"turn {len(rows) + 1}: {found}")
        rows.append(fields)
        lines.append(line)
    return header, rows, lines


def _read_parquet(path: Path) -> tuple[list[str], list[list[object]], list[int]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ParseError(
            path, 1, "reading a Parquet table needs pyarrow (pip install pyarrow); or use CSV"
        ) from None
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - any failure of the reader is bad input
        raise ParseError(path, 1, f"not a readable Parquet file ({exc})") from None
    header = [str(name) for name in table.column_names]
    data = [table.column(i).to_pylist() for i in range(table.num_columns)]
    rows = [list(values) for values in zip(*data, strict=True)] if data else []
    return header, rows, list(range(1, len(rows) + 1))


def read_turn_table(path: Path | str) -> Corpus:
    """The corpus tables of one turn-table file (``.csv`` or ``.parquet``) and its metadata.

    The metadata file of the same name (``.toml``) names who asks (``interviewers``, or
    ``[speakers]`` and ``interviewer_labels`` when the speaker column holds labels) and may give
    ``doc_id``, ``slate``, ``title``, ``publication``, ``date``, ``url`` and ``[columns]`` (the
    table's own names of the columns, e.g. ``speaker = "who"``). Every problem is a
    :class:`ParseError` naming the file and line (for Parquet, the row) of the turn.
    """
    path = Path(path)
    meta = read_metadata(path.with_suffix(".toml"), turn_table=True)
    if path.suffix.lower() == ".parquet":
        header, rows, lines = _read_parquet(path)
    else:
        header, rows, lines = _read_csv(path)
    columns = _columns(path, meta, header, rows)

    def fail(turn: int | None, message: str) -> ParseError:
        line = lines[turn - 1] if turn is not None and lines else 1
        return ParseError(path, line, message)

    document = {
        "title": meta.title,
        "publication": meta.publication,
        "date": meta.date.isoformat() if meta.date else "",
        "url": meta.url,
    }
    return _build(
        _Turns(
            columns,
            interviewers=meta.interviewers,
            speakers=meta.speakers or None,
            interviewer_labels=meta.interviewer_labels,
            doc_id=meta.doc_id,
            slate=meta.slate,
            lines=lines,
            fail=fail,
            document=document,
        )
    )


def _columns(path: Path, meta: Metadata, header: list[str], rows: list[list]) -> dict[str, list]:
    """The turn table's columns by their standard names, checked against the metadata."""
    where = {name: meta.columns.get(name, name) for name in TURN_COLUMNS}
    found = {name: header.index(column) for name, column in where.items() if column in header}
    toml = meta.path.name
    for name in ("speaker", "text"):
        if name not in found:
            raise ParseError(
                path,
                1,
                f"no column {where[name]!r} (the turn's {name}); columns found: "
                f"{', '.join(header) or 'none'} (rename it, or map it in [columns] of {toml})",
            )
    for name in ("group", "doc_id"):
        key = "slate" if name == "group" else "doc_id"
        value = meta.slate if name == "group" else meta.doc_id
        if name in found and value:
            raise ParseError(
                meta.path,
                1,
                f"'{key}' is given twice: by {toml} and by the column {where[name]!r} of "
                f"{path.name}; keep one",
            )
    if "group" not in found and not meta.slate:
        raise ParseError(
            path,
            1,
            f"no column {where['group']!r} and no 'slate' in {toml}: say whom the answers speak "
            "for",
        )
    return {name: [row[index] for row in rows] for name, index in found.items()}
