"""Property tests for the corpus parser: random interviews in the published format.

Each generated interview has a title, a standfirst, a "1. General questions." heading and
optionally a "2. Questions specific to ..." heading, and exchanges whose questions and answers
run over one to three paragraphs. Only the first paragraph of a turn carries a label, glued to
its first word as published (``NSWhat``) or followed by a colon (``ES: yes``); words include
curly quotes and apostrophes, dashes, a no-break space inside a token and a glued sentence end.
Layout varies at random: extra blank lines, blank lines holding spaces, trailing spaces,
indentation, single line breaks inside paragraphs, Windows line endings and a byte order mark.
The parser must recover every paragraph's text, role and exchange exactly and keep every
character of the file accounted for.

Fuzz tests mutate valid metadata files, annotation files, interviews and turn tables (bytes
replaced, inserted or deleted, lines dropped or repeated, the file cut short) or write random
bytes: reading them either succeeds or raises a ParseError naming the file and a line, never any
other exception. A speaker label never splits a word, whatever the label, and the exchange table
built in one pass equals the one built exchange by exchange.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
from corpus_fixtures import MINIMAL_TEXT, write_interview
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discourse.corpus import (
    ParseError,
    build_corpus,
    exchange_table,
    read_annotations,
    read_interview_text,
    read_metadata,
    split_paragraphs,
)
from discourse.corpus.parse import Labels
from discourse.text import words

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
INTERVIEWER, RESPONDENT = "NS", "ES"
TOML = """\
# Invented test data.
doc_id = "generated-interview"
slate = "Generated Slate"
publication = "Generated Publication"
interviewer = "Generated Publication"
date = 2022-06-30
url = "https://example.org/generated"
interviewer_label = "NS"

[speakers]
NS = "Generated Publication"
ES = "Generated Slate"
"""
# Words a turn may open with when its label is glued: not a lower-case letter, so the label ends
# where the word begins. None starts with a declared label or looks like one.
OPENERS = ["What’s", "Momentum", "“Organising”", "(If", "A", "I", "Yes,", "On", "Élan", "Is", "‘We"]
WORDS = [
    "the",
    "left",
    "organise",
    "it’s",
    "‘vibes’",
    "“quoted”",
    "left—but",
    "well -–whether",
    "campaign.On",
    "30\u00a0June",
    "café",
    "17.00",
    "Q1",
    "1:34",
    "NCG",
    "IHRA",
    "power?",
    "comrades.",
    "(brackets)",
    "Star1",
    "…",
]
word = st.sampled_from(OPENERS + WORDS)
gap = st.sampled_from([" ", " ", " ", "\n", " \n", "\n  ", "\t\n"])  # single line breaks only
blank = st.sampled_from(["\n\n", "\n\n", "\n\n\n", "\n \n", "\n\u00a0\t\n\n", "  \n\n"])


@st.composite
def paragraph(draw, opener: bool) -> tuple[str, str]:
    """``(layout, text)``: the paragraph as laid out in the file, and as the parser cleans it."""
    first = draw(st.sampled_from(OPENERS)) if opener else draw(word)
    # the one-letter words A and I are read as glued to a label only when a word follows them
    rest = draw(st.lists(word, min_size=int(opener and first in ("A", "I")), max_size=10))
    gaps = [draw(gap) for _ in rest]
    layout = first + "".join(g + w for g, w in zip(gaps, rest, strict=True))
    return layout, " ".join([first, *rest])


@st.composite
def turn(draw, label: str) -> list[tuple[str, str]]:
    """The paragraphs of one turn: the first labelled, the others not."""
    glued = draw(st.booleans())
    layout, text = draw(paragraph(opener=glued))
    paragraphs = [(f"{label}{layout}" if glued else f"{label}:{draw(gap)}{layout}", text)]
    for _ in range(draw(st.integers(0, 2))):
        layout, text = draw(paragraph(opener=False))
        paragraphs.append((layout, text))
    return paragraphs


@st.composite
def interview(draw) -> tuple[str, list[tuple[str, int | None, str]]]:
    """``(file text, expected rows)``; each expected row is ``(role, exchange, text)``."""
    blocks: list[str] = []
    expected: list[tuple[str, int | None, str]] = []

    def add(layout: str, role: str, exchange: int | None, text: str) -> None:
        indent = draw(st.sampled_from(["", "", "  "]))
        trailing = draw(st.sampled_from(["", "", " ", "\u00a0"]))
        blocks.append(indent + layout + trailing)
        expected.append((role, exchange, text))

    title, text = draw(paragraph(opener=True))
    add(title, "title", None, text)
    standfirst, text = draw(paragraph(opener=True))
    add(standfirst, "standfirst", None, text)
    parts = ["1. General questions."]
    if draw(st.booleans()):
        parts.append("2. Questions specific to Generated Slate.")
    exchange = 0
    for heading in parts:
        add(heading, "heading", None, heading)
        for _ in range(draw(st.integers(1, 4))):
            exchange += 1
            for layout, text in draw(turn(INTERVIEWER)):
                add(layout, "question", exchange, text)
            for layout, text in draw(turn(RESPONDENT)):
                add(layout, "answer", exchange, text)
    source = blocks[0] + "".join(draw(blank) + block for block in blocks[1:])
    source += draw(st.sampled_from(["", "\n", "\n\n  \n"]))
    if draw(st.booleans()):
        source = source.replace("\n", "\r\n")
    if draw(st.booleans()):
        source = "\ufeff" + source
    return source, expected


def parse(source: str):
    with tempfile.TemporaryDirectory() as folder:
        path = write_interview(Path(folder) / "raw", source, TOML, name="generated-interview")
        corpus = build_corpus(path.parent)
        return read_interview_text(path), corpus


@SETTINGS
@given(interview())
def test_generated_interview_is_recovered_exactly(case):
    source, expected = case
    text, corpus = parse(source)
    paragraphs = corpus.paragraphs
    starts, ends = paragraphs["start"].tolist(), paragraphs["end"].tolist()

    # offsets ordered, non-overlapping, inside the text, each the paragraph as published
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends, strict=True))
    assert all(e < s for e, s in zip(ends, starts[1:], strict=False))
    for s, e in zip(starts, ends, strict=True):
        assert text[s:e] == text[s:e].strip()
        assert "\n\n" not in text[s:e].replace("\r", "")

    # lossless: every non-whitespace character lies in exactly one paragraph
    inside = [0] * len(text)
    for s, e in zip(starts, ends, strict=True):
        for i in range(s, e):
            inside[i] += 1
    assert all(n == 1 for n, c in zip(inside, text, strict=True) if not c.isspace())

    # labels stripped, texts, roles and exchange numbers exactly as generated
    qa = paragraphs[paragraphs["role"].isin(["question", "answer"])]
    assert not qa["text"].str.contains(r"^(?:NS|ES)(?:[A-Z“‘(]|:)", regex=True).any()
    assert paragraphs["text"].tolist() == [t for _, _, t in expected]
    assert paragraphs["role"].tolist() == [r for r, _, _ in expected]
    numbers = [None if pd.isna(n) else int(n) for n in paragraphs["exchange"]]
    assert numbers == [e for _, e, _ in expected]
    questions = {e for r, e, _ in expected if r == "question"}
    assert len(corpus.exchanges) == len(questions)
    assert corpus.exchanges["exchange"].tolist() == sorted(questions)


text_with_layout = st.text(
    alphabet=st.sampled_from(list("ab. “’") + ["\n", "\n", "\r", "\t", "\u00a0", "\u3000", "é"]),
    max_size=80,
)


@SETTINGS
@given(text_with_layout)
def test_split_paragraphs_accounts_for_every_character(text):
    spans = split_paragraphs(text)
    assert spans == sorted(spans)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(e1 < s2 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False))
    for s, e in spans:
        assert text[s:e] == text[s:e].strip()
        assert not re.search(r"\n[^\S\n]*\n", text[s:e])
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


# --------------------------------------------------------------------------- fuzzing the inputs

FUZZ = settings(SETTINGS, max_examples=200)
FUZZ_TOML = b"""\
doc_id = "tiny-interview"
slate = "Tiny Slate"
title = "A Tiny Interview"
publication = "Example Publication"
interviewer = "Example Publication"
date = 2022-06-30
url = "https://example.org/tiny"
interviewer_labels = ["NS", "ED"]
attribution = '\\(Answered by (?P<who>[^)]+)\\)'

[speakers]
NS = "Example Publication"
ED = "Example Editor"
ES = "Tiny Slate"

[parts]
general = '\\d+\\. General questions\\.?'
specific = '\\d+\\. Questions for (?P<slate>.+)'

[columns]
speaker = "who"
"""
FUZZ_ANNOTATIONS = (
    b"# Invented test decisions.\n"
    b"doc_id,starts_with,role,label,reason,question_id\n"
    b'tiny-interview,What is the first question,question,NS,"shared, and\nquoted",q-1\n'
    b"# a comment\n"
    b"tiny-interview,ESThe first answer,answer,es,x,\n"
)
FUZZ_TABLE = (
    b"speaker,text,group,exchange,question_id,part,doc_id\n"
    b"Host,Why?,G,1,q-1,general,d\n"
    b'Ann,"Because,\nreally.",G,1,,general,d\n'
    b"Host,And then?,,2,,,d\n"
    b"Ann,We win.,G,2,,,d\n"
)
# Pieces a mutation may insert: the syntax of each format and bytes that break decoding.
PIECES = [
    b'"',
    b"'",
    b"[",
    b"]",
    b"[[",
    b"{",
    b"}",
    b"=",
    b",",
    b"#",
    b"\n",
    b"\r",
    b"\r\n",
    b"\x00",
    b"\x07",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\xe2\x80",
    b"(",
    b")",
    b"(?P<who>",
    b"\\",
    b"*",
    b"3",
    b"true",
    b"2022-13-45",
    b"1979-05-27T07:32:00",
    b"NS",
    b"es:",
    b"MOD ",
    b"1. ",
    b"1. General questions.",
    b"\n\n",
    b"question",
    b"answer",
    b"editorial",
]


@st.composite
def mutated(draw, valid: bytes) -> bytes:
    """``valid`` with one to four random edits."""
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["replace", "insert", "delete", "cut", "drop", "repeat"]))
        at = draw(st.integers(0, len(data)))
        if kind == "replace" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(PIECES) | st.binary(min_size=1, max_size=6))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 12))]
        elif kind == "cut":
            del data[at:]
        else:
            lines = bytes(data).split(b"\n")
            line = draw(st.integers(0, len(lines) - 1))
            if kind == "drop":
                del lines[line]
            else:
                lines.insert(line, lines[line])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def refused_well(error: ParseError, path: Path) -> None:
    assert error.path == path, error
    assert error.line >= 1
    assert str(error).startswith(f"{path}:{error.line}: ")


@FUZZ
@given(mutated(FUZZ_TOML) | st.binary(max_size=300))
def test_any_metadata_file_is_read_or_refused_with_a_parse_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tiny-interview.toml"
        path.write_bytes(data)
        for turn_table in (False, True):
            try:
                read_metadata(path, turn_table=turn_table)
            except ParseError as error:
                refused_well(error, path)


@FUZZ
@given(mutated(FUZZ_ANNOTATIONS) | st.binary(max_size=300))
def test_any_annotations_file_is_read_or_refused_with_a_parse_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "annotations.csv"
        path.write_bytes(data)
        try:
            read_annotations(path)
        except ParseError as error:
            refused_well(error, path)
            return
        raw = write_interview(Path(folder) / "raw", MINIMAL_TEXT, TOML_TINY).parent
        try:
            build_corpus(raw, annotations=path)
        except ParseError as error:
            assert error.path in (path, raw / "tiny-interview.txt"), error
            assert error.line >= 1


TOML_TINY = FUZZ_TOML.decode().replace('[columns]\nspeaker = "who"\n', "")


@FUZZ
@given(mutated(MINIMAL_TEXT.encode()) | st.binary(max_size=300))
def test_any_interview_file_is_parsed_or_refused_with_a_parse_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = write_interview(Path(folder) / "raw", data, TOML_TINY)
        try:
            build_corpus(path.parent)
        except ParseError as error:
            # the metadata is named when the text has none of the part headings it declares
            refused_well(error, path if error.path.suffix == ".txt" else path.with_suffix(".toml"))


@FUZZ
@given(mutated(FUZZ_TABLE) | st.binary(max_size=300))
def test_any_turn_table_file_is_read_or_refused_with_a_parse_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "raw" / "table.csv"
        path.parent.mkdir()
        path.write_bytes(data)
        path.with_suffix(".toml").write_text('interviewers = ["Host"]\n', encoding="utf-8")
        try:
            build_corpus(path.parent)
        except ParseError as error:
            refused_well(error, path)


# --------------------------------------------------------------------------- labels and exchanges

capitals = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8)


@SETTINGS
@given(capitals, capitals, st.sampled_from([" procurement", "", ".", ", said", "S: x", "-led"]))
def test_a_label_never_takes_the_letters_of_an_upper_case_word(label, more, rest):
    if more in ("A", "I") and rest.startswith(" "):
        return  # "NSA constant": the one-letter words A and I may follow a glued label
    assert Labels({label: "Full Name"}).match(label + more + rest) is None


@SETTINGS
@given(capitals, st.sampled_from(["What", "We", "“Quoted”", "(If", "A view", "I think", "Élan"]))
def test_a_label_glued_to_a_capitalised_word_is_found(label, word):
    found = Labels({label: "Full Name"}).match(label + word)
    if len(label) == 1:
        assert found is None  # a one-letter label needs its colon
    else:
        assert found == (label, len(label))
    assert Labels({label: "Full Name"}).match(f"{label.lower()} : {word}") == (
        label,
        len(label) + 3,
    )


def exchanges_one_by_one(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The exchange table as it was first written: one group of paragraphs at a time."""
    qa = paragraphs[paragraphs["role"].isin(["question", "answer"])]
    rows = []
    for (doc_id, exchange), group in qa.groupby(["doc_id", "exchange"], sort=False):
        question = group[group["role"] == "question"]
        answer = group[group["role"] == "answer"]
        q_text, a_text = "\n\n".join(question["text"]), "\n\n".join(answer["text"])
        qid = next((q for q in question["question_id"] if q), "")
        rows.append(
            {
                "doc_id": doc_id,
                "slate": group["slate"].iat[0],
                "exchange": int(exchange),
                "exchange_id": f"{doc_id}/{int(exchange)}",
                "part": group["part"].iat[0],
                "interviewer": question["speaker"].iat[0] if len(question) else "",
                "respondent": next((r for r in answer["respondent"] if r), ""),
                "question_id": qid,
                "question_key": f"id:{qid}"
                if qid
                else "text:" + " ".join(w.lower() for w in words(q_text)),
                "question": q_text,
                "answer": a_text,
                "question_paragraphs": len(question),
                "answer_paragraphs": len(answer),
                "question_words": len(words(q_text)),
                "answer_words": len(words(a_text)),
            }
        )
    return pd.DataFrame(rows)


@st.composite
def paragraph_tables(draw) -> pd.DataFrame:
    rows = []
    for doc in draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3)):
        for exchange in range(1, draw(st.integers(1, 4)) + 1):
            for role in draw(
                st.lists(st.sampled_from(["question", "answer", "heading"]), max_size=4)
            ):
                rows.append(
                    {
                        "doc_id": doc,
                        "slate": f"Slate {doc}",
                        "exchange": exchange,
                        "role": role,
                        "part": draw(st.sampled_from(["", "general"])),
                        "speaker": draw(st.sampled_from(["Host", "Guest", "Ann"])),
                        "respondent": draw(st.sampled_from(["", "", "Ann Example"])),
                        "question_id": draw(st.sampled_from(["", "", "q-1", "q-2"])),
                        "text": " ".join(draw(st.lists(word, min_size=1, max_size=5))),
                    }
                )
    return pd.DataFrame(
        rows,
        columns=[
            "doc_id",
            "slate",
            "exchange",
            "role",
            "part",
            "speaker",
            "respondent",
            "question_id",
            "text",
        ],
    )


@SETTINGS
@given(paragraph_tables())
def test_the_exchange_table_in_one_pass_equals_it_exchange_by_exchange(paragraphs):
    found = exchange_table(paragraphs)
    expected = exchanges_one_by_one(paragraphs)
    if expected.empty:
        assert found.empty
        return
    pd.testing.assert_frame_equal(found, expected, check_dtype=False)
