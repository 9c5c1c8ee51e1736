"""Tests for discourse.text: normalisation, sentence segmentation and word tokenisation."""

from __future__ import annotations

import pandas as pd
import pytest
import textstat
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.text import normalise, sentence_table, sentences, words


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("we\u2019re here", "we're here", id="curly-apostrophe"),
        pytest.param("Momentum\u2019s job", "Momentum's job", id="curly-possessive"),
        pytest.param("\u2018vibes\u2019 rather", "'vibes' rather", id="curly-single-quotes"),
        pytest.param("\u201cthe largest\u201d one", '"the largest" one', id="curly-double-quotes"),
        pytest.param("\u201evon\u201f", '"von"', id="low-and-reversed-double-quotes"),
        pytest.param("we\u02bcre", "we're", id="modifier-letter-apostrophe"),
        pytest.param("freedom\u2014and justice", "freedom - and justice", id="em-dash-glued"),
        pytest.param("left\u2013but not", "left - but not", id="en-dash-glued"),
        pytest.param("passive \u2013 the left", "passive - the left", id="en-dash-spaced"),
        pytest.param("bad \u2014 indeed", "bad - indeed", id="em-dash-spaced"),
        pytest.param(
            "too well -\u2013whether", "too well - whether", id="hyphen-typed-before-dash"
        ),
        pytest.param("now -- the end", "now - the end", id="spaced-double-hyphen"),
        pytest.param("now--the end", "now - the end", id="glued-double-hyphen"),
        pytest.param("now - the end", "now - the end", id="spaced-hyphen-unchanged"),
        pytest.param("anti-racist work", "anti-racist work", id="compound-hyphen-kept"),
        pytest.param("pro- and anti-war", "pro- and anti-war", id="suspended-hyphen-kept"),
        pytest.param("non\u2011binary", "non-binary", id="non-breaking-hyphen"),
        pytest.param("it was \u22125 today", "it was -5 today", id="minus-sign-number"),
        pytest.param("campaign.On the", "campaign. On the", id="glued-full-stop"),
        pytest.param("why?Because", "why? Because", id="glued-question-mark"),
        pytest.param("now!The end", "now! The end", id="glued-exclamation-mark"),
        pytest.param("in 2022.The ballot", "in 2022. The ballot", id="glued-after-year"),
        pytest.param("\u2018vibes\u2019.On the", "'vibes'. On the", id="glued-after-quote"),
        pytest.param("tools (e.g. leaflets)", "tools (e.g. leaflets)", id="abbreviation-eg-kept"),
        pytest.param("the U.S. left", "the U.S. left", id="abbreviation-us-kept"),
        pytest.param("the U.S.The", "the U.S.The", id="initials-not-split"),
        pytest.param("closes at 17.00 today", "closes at 17.00 today", id="decimal-kept"),
        pytest.param("a Ph.D student", "a Ph.D student", id="ph-d-kept"),
        pytest.param("July\u00a06th", "July 6th", id="no-break-space"),
        pytest.param("10\u202f000", "10 000", id="narrow-no-break-space"),
        pytest.param("a\u2009b\u2003c", "a b c", id="thin-and-em-spaces"),
        pytest.param("cam\u200bpaign", "campaign", id="zero-width-space"),
        pytest.param("\ufeffMomentum", "Momentum", id="byte-order-mark"),
        pytest.param("organi\u00adsation", "organisation", id="soft-hyphen"),
        pytest.param("a\u200c\u200d\u2060b", "ab", id="zero-width-joiners"),
        pytest.param("  we \n\n\t win  ", "we win", id="whitespace-collapse"),
        pytest.param("one\u2028two", "one two", id="line-separator"),
        pytest.param("wait\u2026 what", "wait... what", id="ellipsis"),
        pytest.param("", "", id="empty"),
        pytest.param(" \n\t\u00a0", "", id="only-whitespace"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match="expected a string"):
        normalise(None)  # type: ignore[arg-type]


_TYPOGRAPHIC = st.sampled_from(
    list("aZe1g .?!-'\",\n") + ["\u2019", "\u201c", "\u2014", "\u2013", "\u2212", "\u00a0"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_TYPOGRAPHIC, max_size=30))
def test_normalise_is_idempotent_and_words_read_through_it(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert words(once) == words(text)


@pytest.mark.parametrize(
    ("raw", "n_words"),
    [
        pytest.param("we\u2019re here", 2, id="curly-apostrophe"),
        pytest.param("freedom\u2014and justice", 3, id="glued-dash"),
        pytest.param("campaign.On the", 3, id="glued-full-stop"),
        pytest.param("the ballot closes at 17.00", 5, id="decimal"),
        pytest.param("tools, e.g. leaflets", 3, id="abbreviation"),
    ],
)
def test_textstat_counts_the_words_of_normalised_text(raw: str, n_words: int) -> None:
    assert textstat.lexicon_count(normalise(raw)) == n_words
    assert len(words(raw)) == n_words


@pytest.mark.parametrize(
    ("raw", "n_raw"),
    [
        pytest.param("freedom\u2014and justice", 2, id="glued-dash-makes-one-word"),
        pytest.param("campaign.On the", 2, id="glued-stop-makes-one-word"),
    ],
)
def test_textstat_miscounts_words_without_normalising(raw: str, n_raw: int) -> None:
    assert textstat.lexicon_count(raw) == n_raw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Mr. Starmer spoke. We listened.", ["Mr. Starmer spoke.", "We listened."], id="mr"
        ),
        pytest.param(
            "We use tools, e.g. leaflets. They work.",
            ["We use tools, e.g. leaflets.", "They work."],
            id="eg",
        ),
        pytest.param(
            "The ballot closes at 17.00 today. Vote!",
            ["The ballot closes at 17.00 today.", "Vote!"],
            id="decimal",
        ),
        pytest.param(
            "Is that what we want? No! We want more.",
            ["Is that what we want?", "No!", "We want more."],
            id="question-and-exclamation",
        ),
        pytest.param(
            "We will organise. Who else will do it?",
            ["We will organise.", "Who else will do it?"],
            id="rhetorical-question-ends-answer",
        ),
        pytest.param("Why? Because we can.", ["Why?", "Because we can."], id="one-word-question"),
        pytest.param(
            "It failed.Momentum must change.",
            ["It failed.", "Momentum must change."],
            id="glued-stop",
        ),
        pytest.param(
            '"Why?" she asked. Fine.', ['"Why?" she asked.', "Fine."], id="quoted-question"
        ),
        pytest.param(
            "a (hopefully!) large slate. Next.",
            ["a (hopefully!) large slate.", "Next."],
            id="bracketed-exclamation",
        ),
        pytest.param(
            'He said "we lost." Then he left.',
            ['He said "we lost."', "Then he left."],
            id="stop-inside-quotes",
        ),
        pytest.param("No full stop at the end", ["No full stop at the end"], id="no-final-stop"),
        pytest.param("", [], id="empty"),
        pytest.param("   ", [], id="whitespace"),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentences_are_normalised() -> None:
    assert sentences("We don\u2019t\u2014ever\u00a0give up.") == ["We don't - ever give up."]


def test_sentence_table_keeps_labels_and_numbers_sentences_within_each_text() -> None:
    texts = pd.Series(
        ["We won. They lost.", "", None, "Why? Because we can."], index=["a", "b", "c", "d"]
    )
    table = sentence_table(texts)
    assert table.columns.tolist() == ["unit", "sentence_no", "sentence"]
    assert table["unit"].tolist() == ["a", "a", "d", "d"]
    assert table["sentence_no"].tolist() == [0, 1, 0, 1]
    assert table["sentence"].tolist() == ["We won.", "They lost.", "Why?", "Because we can."]


def test_sentence_table_agrees_with_sentences_and_accepts_plain_lists() -> None:
    texts = ["It failed.Momentum must change.", '"Why?" she asked. Fine.']
    table = sentence_table(texts)
    assert table["unit"].tolist() == [0, 0, 1, 1]
    assert table["sentence"].tolist() == sentences(texts[0]) + sentences(texts[1])


def test_sentence_table_repeats_duplicate_labels() -> None:
    table = sentence_table(pd.Series(["One. Two.", "Three."], index=["x", "x"]))
    assert table["unit"].tolist() == ["x", "x", "x"]
    assert table["sentence_no"].tolist() == [0, 1, 0]


def test_sentence_table_of_nothing_has_the_columns() -> None:
    table = sentence_table(pd.Series([], dtype=object))
    assert table.empty
    assert table.columns.tolist() == ["unit", "sentence_no", "sentence"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("We don\u2019t win", ["We", "don't", "win"], id="curly-contraction"),
        pytest.param("anti-racist work", ["anti-racist", "work"], id="hyphenated"),
        pytest.param("freedom\u2014and", ["freedom", "and"], id="glued-dash"),
        pytest.param("The ballot, at 17.00!", ["The", "ballot", "at", "17.00"], id="decimal"),
        pytest.param("10,000 members", ["10,000", "members"], id="thousands"),
        pytest.param("tools, e.g. leaflets", ["tools", "e.g.", "leaflets"], id="abbreviation"),
        pytest.param("the U.S. left", ["the", "U.S.", "left"], id="initials"),
        pytest.param("members' votes", ["members", "votes"], id="plural-possessive"),
        pytest.param("a na\u00efve caf\u00e9", ["a", "na\u00efve", "caf\u00e9"], id="accents"),
        pytest.param("2022: Momentum", ["2022", "Momentum"], id="number"),
        pytest.param("- ... !", [], id="punctuation-only"),
        pytest.param("", [], id="empty"),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


# --- sentence boundaries against spaCy's own sentencizer ------------------------------------
# text._sentence_spans re-states the rule of spaCy's Sentencizer over token arrays for speed;
# these tests hold it to the pipe it replaces, one doc at a time and in batches.


def _pipe_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans as spaCy's sentencizer pipe gives them."""
    from discourse.text import _sentencizer

    return [(span.start_char, span.end_char) for span in _sentencizer()(text).sents]


def _fast_spans(texts: list[str]) -> list[list[tuple[int, int]]]:
    from discourse.text import _sentence_spans, _sentencizer

    make_doc = _sentencizer().make_doc
    return _sentence_spans([make_doc(text) for text in texts], texts)


_BOUNDARY_CASES = [
    "",
    " ",
    "...",
    "?!",
    "We won. They lost.",
    "We won.They lost.",
    "Why? Because.",
    '"Why?" she asked. He did not answer!',
    "A (hopefully!) large slate. Next one.",
    "Dr. Smith went to the U.S. They followed...",
    "No. Absolutely not. Yes!!! Maybe?! Fine.",
    "The end.\n\nA new paragraph . with a spaced stop",
    "Ends without a stop",
    "\u00bfQu\u00e9? \u0939\u093e\u0901\u0964 \u0928\u0939\u0940\u0902\u0964 \u3002\u597d\u3002",
    "'Quoted.' 'Again.' - a dash - and (brackets.) [More.]",
]


@pytest.mark.parametrize("text", _BOUNDARY_CASES)
def test_sentence_spans_equal_the_sentencizer_pipe(text: str) -> None:
    assert _fast_spans([text]) == [_pipe_spans(text)]


def test_sentence_spans_of_a_batch_equal_those_of_each_doc_alone() -> None:
    # Empty docs and docs of punctuation only sit between others: no doc may see another's marks.
    assert _fast_spans(_BOUNDARY_CASES) == [_pipe_spans(text) for text in _BOUNDARY_CASES]


def test_sentence_spans_equal_the_pipe_on_every_fixture_paragraph() -> None:
    from corpus_fixtures import FIXTURES

    from discourse.corpus import build_corpus

    folders = sorted({path.parent for path in FIXTURES.glob("*/raw/*.txt")})
    paragraphs = [build_corpus(folder).paragraphs["text"] for folder in folders]
    raw = [text for table in paragraphs for text in table]
    texts = [normalise(text) for text in raw] + raw
    assert _fast_spans(texts) == [_pipe_spans(text) for text in texts]


_SENTENCE_PIECES = st.sampled_from(
    [
        "We",
        "won",
        "they",
        "Lost",
        "U.S.",
        "Dr.",
        "e.g.",
        "3.5",
        "'",
        '"',
        "(",
        ")",
        "[",
        "]",
        "-",
        "\u2014",
        "...",
        "\u2026",
        ".",
        "?",
        "!",
        "?!",
        ",",
        ";",
        ":",
        " ",
        "  ",
        "\n",
        "\u3002",
    ]
)


@given(st.lists(st.lists(_SENTENCE_PIECES, max_size=40).map("".join), max_size=6))
@settings(max_examples=300, deadline=None)
def test_sentence_spans_equal_the_pipe_on_random_texts(texts: list[str]) -> None:
    assert _fast_spans(texts) == [_pipe_spans(text) for text in texts]
