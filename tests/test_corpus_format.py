"""The house format beyond the Momentum interview: speaker labels of any length matched in any
case without splitting a word, several interviewers, part headings and attribution lines
declared in the metadata, a short question asked twice, and annotation files with carriage
returns. Expected values are read off the fixture files (``tests/fixtures/corpus_panel/``) and
the small texts written here.
"""

from __future__ import annotations

import pandas as pd
import pytest
from corpus_fixtures import MINIMAL_TEXT, MINIMAL_TOML, PANEL, write_annotations, write_interview

from discourse.corpus import Corpus, ParseError, build_corpus, read_annotations
from discourse.corpus.parse import Labels

HOST, MODERATOR, SMITH, JONES = "Town Hall host", "Town Hall moderator", "Alex Smith", "Pat Jones"


@pytest.fixture(scope="module")
def panel() -> Corpus:
    return build_corpus(PANEL / "raw")


def build(tmp_path, text: str, toml: str, *annotations: str) -> Corpus:
    write_interview(tmp_path / "raw", text, toml)
    write_annotations(tmp_path / "annotations.csv", *annotations)
    return build_corpus(tmp_path / "raw")


# --------------------------------------------------------------------------- labels


SPEAKERS = {
    label: label.title()
    for label in ("MO", "NS", "HOST", "MODERATOR", "Q", "DR SMITH", "DR", "Smith")
}


@pytest.mark.parametrize(
    ("paragraph", "label", "rest"),
    [
        ("MOWe think so.", "MO", "We think so."),
        ("MO: We think so.", "MO", "We think so."),
        ("mo : we think so.", "MO", "we think so."),
        ("Host: Welcome.", "HOST", "Welcome."),
        ("host:\nWelcome.", "HOST", "Welcome."),
        ("HOSTWelcome.", "HOST", "Welcome."),
        ("MODERATOR: Order.", "MODERATOR", "Order."),
        ("MODERATOROrder.", "MODERATOR", "Order."),
        ("Moderator : Order.", "MODERATOR", "Order."),
        ("NSA constant issue", "NS", "A constant issue"),
        ("NSAs our", "NS", "As our"),
        ("MOI think", "MO", "I think"),
        ("MOI’m sure", "MO", "I’m sure"),
        ("NS“Organising”", "NS", "“Organising”"),
        ("NS(If your", "NS", "(If your"),
        ("Q: Why?", "Q", "Why?"),
        ("q: Why?", "Q", "Why?"),
        ("DR SMITH: Yes.", "DR SMITH", "Yes."),
        ("DR: Yes.", "DR", "Yes."),
        ("SMITH: Yes.", "Smith", "Yes."),
        ("SMITHYes.", "Smith", "Yes."),
        # never a label: no glued word follows, or the label would split a word
        ("MOD procurement", None, None),
        ("MODERN times", None, None),
        ("HOSTILE takeovers", None, None),
        ("HOSTS: more than one", None, None),
        ("Hostage talks", None, None),
        ("HostWelcome.", None, None),  # glued only when printed in capitals
        ("Most people", None, None),
        ("NSAI is no word", None, None),
        ("NSA, the agency", None, None),  # A and I are words after a label only before a space
        ("NSA", None, None),
        ("MOIs", "MO", "Is"),
        ("NSW government", None, None),
        ("QWhat", None, None),  # a one-letter label needs its colon
        ("MO2 things", None, None),
        ("Smithfield market", None, None),
        ("GHOST: boo", None, None),
    ],
)
def test_a_label_never_splits_a_word(paragraph, label, rest):
    found = Labels(SPEAKERS).match(paragraph)
    if label is None:
        assert found is None
    else:
        assert found is not None
        assert (found[0], paragraph[found[1] :]) == (label, rest)


def test_long_labels_in_any_case(panel):
    paragraphs = panel.paragraphs
    qa = paragraphs[paragraphs["role"].isin(["question", "answer"])]
    assert qa["speaker"].tolist() == [
        HOST,
        SMITH,
        SMITH,  # "HOSTILE takeovers ..." continues Smith's answer: HOST does not split HOSTILE
        HOST,  # "Host: And then?"
        JONES,  # "Jones: Then we would ..."
        MODERATOR,  # "MODERATOR : MOD procurement ..."
        SMITH,  # "SMITHYes, ..."
        MODERATOR,  # "MODERATORWhat about rents?"
        JONES,  # "JONESWe would cap them ..."
        HOST,  # "host: And then?"
        SMITH,  # "smith: We would build ..."
        SMITH,  # "I think that is ..." continues it
    ]
    hostile = paragraphs[paragraphs["text"].str.startswith("HOSTILE")].iloc[0]
    assert hostile["text"] == (
        "HOSTILE takeovers of local firms are not what we mean by growth, to be clear."
    )
    moderator = paragraphs[paragraphs["text"].str.startswith("MOD procurement")].iloc[0]
    assert (moderator["role"], moderator["line"]) == ("question", 19)


def test_several_interviewers(panel):
    exchanges = panel.exchanges
    assert exchanges["interviewer"].tolist() == [HOST, HOST, MODERATOR, MODERATOR, HOST]
    document = panel.documents.iloc[0]
    assert document["interviewer"] == f"{HOST}; {MODERATOR}"
    assert document["interviewer_label"] == "HOST MODERATOR"
    assert document["respondent_labels"] == "SMITH JONES"
    remark = panel.paragraphs[panel.paragraphs["role"] == "interviewer_remark"].iloc[0]
    assert (remark["speaker"], remark["text"]) == (MODERATOR, "Thank you both.")


def test_a_short_question_asked_twice_is_two_exchanges_with_one_key(panel):
    exchanges = panel.exchanges.set_index("exchange")
    assert exchanges.loc[[2, 5], "question"].tolist() == ["And then?", "And then?"]
    assert exchanges.loc[[2, 5], "question_key"].tolist() == ["text:and then"] * 2
    assert exchanges.loc[[2, 5], "exchange_id"].tolist() == [
        "town-hall-panel-2024/2",
        "town-hall-panel-2024/5",
    ]
    assert exchanges["question_key"].nunique() == 4


def test_an_undeclared_mixed_case_colon_is_text(tmp_path):
    # "Note:" is no label and looks like none (it is not in capitals): it continues the answer
    corpus = build(tmp_path, MINIMAL_TEXT + "\nNote: the end.\n", MINIMAL_TOML)
    assert corpus.exchanges["answer"].tolist() == ["The first answer.\n\nNote: the end."]


def test_a_declared_mixed_case_label_is_recognised(tmp_path):
    text = MINIMAL_TEXT.replace("NSWhat", "Ns: What").replace("ESThe", "es:The")
    corpus = build(tmp_path, text, MINIMAL_TOML)
    assert corpus.paragraphs["role"].tolist()[-2:] == ["question", "answer"]
    assert corpus.exchanges[["question", "answer"]].values.tolist() == [
        ["What is the first question?", "The first answer."]
    ]


def test_a_lower_case_declared_label_matches_its_capitals(tmp_path):
    toml = MINIMAL_TOML.replace('ES = "Tiny Slate"', 'Es = "Tiny Slate"')
    corpus = build(tmp_path, MINIMAL_TEXT, toml)
    assert corpus.paragraphs["speaker"].tolist()[-1] == "Tiny Slate"
    assert corpus.documents["respondent_labels"].tolist() == ["Es"]


# --------------------------------------------------------------------------- parts and attribution


def test_declared_headings_name_the_parts(panel):
    paragraphs = panel.paragraphs
    headings = paragraphs[paragraphs["role"] == "heading"]
    assert headings[["text", "part"]].values.tolist() == [
        ["Round 1: the economy", "economy"],
        ["Round 2: housing", "housing"],
    ]
    assert panel.exchanges["part"].tolist() == ["economy"] * 3 + ["housing"] * 2


def test_declared_attribution(panel):
    paragraphs = panel.paragraphs
    line = paragraphs[paragraphs["role"] == "attribution"].iloc[0]
    assert (line["text"], line["respondent"], line["exchange"]) == (
        "[Answered by Pat Jones, finance spokesperson]",
        "Pat Jones",
        2,
    )
    assert panel.exchanges["respondent"].tolist() == ["", "Pat Jones", "", "", ""]


PARTS_TOML = MINIMAL_TOML.replace("[speakers]", "[parts]\nopening = 'Part one'\n\n[speakers]")


def test_a_declared_heading_is_what_opens_the_interview(tmp_path):
    text = MINIMAL_TEXT.replace("1. General questions.", "PART ONE")
    corpus = build(tmp_path, text, PARTS_TOML)
    assert corpus.paragraphs["role"].tolist() == [
        "title",
        "standfirst",
        "heading",
        "question",
        "answer",
    ]
    assert corpus.exchanges["part"].tolist() == ["opening"]


def test_no_declared_heading_is_refused_naming_the_accepted_ones(tmp_path):
    # "1. General questions." is a default heading, but this file declares its own
    with pytest.raises(ParseError) as caught:
        build(tmp_path, MINIMAL_TEXT, PARTS_TOML)
    error = caught.value
    assert (error.path, error.line) == (tmp_path / "raw" / "tiny-interview.toml", 10)
    assert error.message.startswith(
        "no paragraph of tiny-interview.txt is a part heading the metadata declares "
        "(accepted: opening = 'Part one')"
    )
    assert "declare an empty [parts] table" in error.message


def test_a_turn_before_the_first_heading_is_refused_naming_the_accepted_headings(tmp_path):
    text = MINIMAL_TEXT.replace("1. General questions.", "NSWelcome.\n\nPart one")
    with pytest.raises(ParseError) as caught:
        build(tmp_path, text, PARTS_TOML)
    error = caught.value
    assert (error.path, error.line) == (tmp_path / "raw" / "tiny-interview.txt", 5)
    assert error.message == (
        "a turn by NS before the first part heading: the question-and-answer section begins at "
        "a heading (accepted: opening = 'Part one')"
    )


def test_without_headings_the_interview_opens_at_its_first_turn(tmp_path):
    text = MINIMAL_TEXT.replace("1. General questions.\n\n", "")
    corpus = build(tmp_path, text, MINIMAL_TOML)
    assert corpus.paragraphs["role"].tolist() == ["title", "standfirst", "question", "answer"]
    assert corpus.paragraphs["part"].tolist() == ["", "", "", ""]
    assert corpus.exchanges["part"].tolist() == [""]


def test_an_empty_parts_table_declares_no_headings(tmp_path):
    toml = MINIMAL_TOML.replace("[speakers]", "[parts]\n\n[speakers]")
    corpus = build(tmp_path, MINIMAL_TEXT, toml)
    # "1. General questions." is then front matter, and the interview opens at the first turn
    assert corpus.paragraphs["role"].tolist()[:3] == ["title", "standfirst", "editorial"]
    assert corpus.exchanges["part"].tolist() == [""]


def test_an_unlabelled_question_without_headings_opens_the_interview(tmp_path):
    text = MINIMAL_TEXT.replace("1. General questions.\n\n", "").replace("NSWhat", "What")
    corpus = build(
        tmp_path, text, MINIMAL_TOML, "tiny-interview,What is the first question,question,NS,x"
    )
    assert corpus.paragraphs["role"].tolist() == ["title", "standfirst", "question", "answer"]


def test_attribution_can_be_switched_off(tmp_path):
    toml = MINIMAL_TOML.replace("[speakers]", "attribution = ''\n\n[speakers]")
    text = MINIMAL_TEXT + "\n(This question was answered by Nobody).\n"
    corpus = build(tmp_path, text, toml)
    assert corpus.paragraphs["role"].tolist()[-1] == "answer"
    assert corpus.exchanges["respondent"].tolist() == [""]


# --------------------------------------------------------------------------- annotation files


def test_a_bare_carriage_return_in_annotations_is_a_parse_error(tmp_path):
    path = tmp_path / "annotations.csv"
    path.write_bytes(
        b"# decisions\ndoc_id,starts_with,role,label,reason\n"
        b"tiny-interview,A follow-up without,question,NS,a reason\rwith a CR\n"
    )
    with pytest.raises(ParseError) as caught:
        read_annotations(path)
    assert (caught.value.path, caught.value.line) == (path, 3)
    assert "bare carriage return (CR)" in caught.value.message
    assert "quote the field" in caught.value.message


def test_a_quoted_carriage_return_and_windows_line_ends_are_read(tmp_path):
    path = tmp_path / "annotations.csv"
    path.write_bytes(
        b"# decisions\r\ndoc_id,starts_with,role,label,reason\r\n"
        b'tiny-interview,A follow-up without,question,NS,"a reason\rwith a CR"\r\n'
        b"tiny-interview,A second follow-up,question,NS,x\r\n"
    )
    notes = read_annotations(path)
    assert notes["reason"].tolist() == ["a reason\rwith a CR", "x"]
    assert notes["line"].tolist() == [3, 4]
    assert notes["question_id"].tolist() == ["", ""]


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ('tiny-interview,"A follow-up ""quoted"" without,question,NS,x', "malformed CSV"),
        ("tiny-interview,A follow-up without,answer,ES,x,some-id", "only be declared on a row"),
        ("tiny-interview,A follow-up without,question,NS,x,two words", "one word"),
    ],
)
def test_bad_annotation_rows_name_their_line(tmp_path, row, match):
    path = write_annotations(
        tmp_path / "annotations.csv",
        "tiny-interview,ESThe first answer,answer,ES,x,",
        row,
        header=",question_id",
    )
    with pytest.raises(ParseError, match=match) as caught:
        read_annotations(path)
    assert (caught.value.path, caught.value.line) == (path, 4)


def test_question_ids_in_annotations_in_any_column_order(tmp_path):
    path = tmp_path / "annotations.csv"
    path.write_text(
        "question_id,doc_id,label,role,starts_with,reason\n"
        "q-1,tiny-interview,NS,question,What is the first question,shared\n",
        encoding="utf-8",
    )
    write_interview(tmp_path / "raw")
    corpus = build_corpus(tmp_path / "raw", annotations=path)
    assert corpus.exchanges[["question_id", "question_key"]].values.tolist() == [["q-1", "id:q-1"]]
    assert corpus.paragraphs["question_id"].tolist() == ["", "", "", "q-1", ""]


def test_a_question_id_covers_every_paragraph_of_its_question(tmp_path):
    text = MINIMAL_TEXT.replace("ESThe", "And its second paragraph?\n\nESThe")
    write_interview(tmp_path / "raw", text)
    write_annotations(
        tmp_path / "annotations.csv",
        "tiny-interview,What is the first question,question,NS,shared,q-1",
        header=",question_id",
    )
    corpus = build_corpus(tmp_path / "raw")
    questions = corpus.paragraphs[corpus.paragraphs["role"] == "question"]
    assert questions["question_id"].tolist() == ["q-1", "q-1"]
    assert corpus.exchanges["question"].tolist() == [
        "What is the first question?\n\nAnd its second paragraph?"
    ]
    pd.testing.assert_series_equal(
        corpus.exchanges["question_key"], pd.Series(["id:q-1"], name="question_key")
    )
