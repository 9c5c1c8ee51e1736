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
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
from corpus_fixtures import write_interview
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discourse.corpus import build_corpus, read_interview_text, split_paragraphs

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
    rest = draw(st.lists(word, max_size=10))
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
