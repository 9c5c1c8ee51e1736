"""Tests for discourse.questions: each question-design rule case by case on hand-written
questions, the dimension sums, the cue file, the coded-file reader and the agreement."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from discourse import questions
from discourse.questions import (
    BINARY_COMPONENTS,
    DESIGN_COLUMNS,
    RULES,
    design_agreement,
    load_coded,
    load_cues,
    question_design,
)


def design(text: str) -> pd.Series:
    """The rules' row for one question, numpy scalars as Python ones (so ``is True`` works)."""
    row = question_design([text]).iloc[0]
    return pd.Series({key: value.item() for key, value in row.items()}, dtype=object)


def test_cue_file_has_source_and_known_rules():
    cues = load_cues()
    assert set(cues["rule"]) == set(RULES)
    assert cues["source"].ne("").all()
    assert {"given", "isn't", "how can you", "lack of", "can you tell", "i wonder"} <= set(
        cues["cue"]
    )


def test_cue_file_without_source_line_is_refused(tmp_path):
    path = tmp_path / "cues.csv"
    path.write_text("rule,cue,source\nframe,could you,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="source"):
        load_cues(path)


@pytest.mark.parametrize(
    ("text", "n_sentences", "n_questions"),
    [
        ("What is the point of Momentum?", 1, 1),
        ("This matters. Why? And how?", 3, 2),
        ("What is the point of the party, and why should socialists care about it?", 1, 2),
        ("But what can councillors do?", 1, 1),  # "But what" opens the sentence: no join
        ("Organising is a buzzword.", 1, 0),
    ],
)
def test_counts(text, n_sentences, n_questions):
    row = design(text)
    assert row["n_sentences"] == n_sentences
    assert row["n_questions"] == n_questions
    assert row["multiple"] == (n_questions > 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The campaign has been bitter. How will you work together?", True),
        ("How will you work together? The campaign has been bitter.", False),
        ("How will you work together?", False),
        ("The campaign has been bitter.", False),  # no question: nothing is prefaced
    ],
)
def test_preface(text, expected):
    assert design(text)["preface"] is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can you tell us what organising means?", True),
        ("Could you say more?", True),
        ("Would you say the NCG failed?", True),
        ("I wonder whether that is wise?", True),
        ("What we would like to ask is: is it wise?", True),
        ("What do you think the NCG has done well?", False),
        ("You can tell us later. Is it wise?", False),  # the frame is not in a question
    ],
)
def test_self_reference(text, expected):
    assert design(text)["self_reference"] is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Given this criticism, are you committed to it?", True),
        ("In light of the cuts, what can councillors do?", True),
        ("What can councillors do, given the discipline of Labour groups?", True),
        ("Despite the loss, will you stay?", True),
        ("After the election, will you stay?", False),  # bare "after" is temporal
        ("Will you stay? Given the loss, many would not.", False),  # after the last question
        ("Will you stay?", False),
    ],
)
def test_presupposing_preface(text, expected):
    assert design(text)["presupposing_preface"] is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Isn't there a contradiction?", True),
        ("What we would like to ask is: isn't there a contradiction?", True),
        ("You have a plan, but doesn't this rely on the groups?", True),
        ("Given this, won't your focus compound the issue?", True),
        ("Don't you think so?", True),
        (
            "Doesn't an orientation towards Labour make it impossible, or render claims such as "
            "\"We won't give in. We'll be clearer\" empty?",
            True,
        ),  # opening a split sentence
        ("How does it avoid saying that if it doesn't work, it's your fault?", False),
        ("There aren't enough members. What will you do?", False),  # a negative statement
        ("Is there a contradiction?", False),
    ],
)
def test_negative_interrogative(text, expected):
    assert design(text)["negative_interrogative"] is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How can you justify that?", True),
        ("How can you say that?", True),
        ("Why did you publish in the Morning Star?", True),
        ("Why should socialists get involved?", True),
        ("Why would anyone vote for you?", True),
        ("Was this intentional? If so, why?", True),
        ("Why is that?", False),
        ("How can Momentum avoid it?", False),
        ("Why did you do it. Tell us.", False),  # not a question sentence
    ],
)
def test_accountability(text, expected):
    assert design(text)["accountability"] is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Critics say the slate failed. Will you respond?", True),
        ("There is a lack of clarity. What restrictions apply?", True),
        ("Given the indifference of the leadership, what could be done?", False),  # no sentence
        ("What restrictions apply? There is a lack of clarity.", False),  # after the question
        ("Is this a contradiction? We note the criticism. Will you respond?", True),
        ("The campaign has been long. Will you respond?", False),
    ],
)
def test_opposed_preface(text, expected):
    assert design(text)["opposed_preface"] is expected


def test_dimension_scores_are_sums_of_their_indicators():
    text = (
        "Critics say you failed. Given this, can you tell us why did you stay? "
        "And isn't that a contradiction?"
    )
    row = design(text)
    assert row[list(BINARY_COMPONENTS)].tolist() == [True, True, True, True, True, True, True]
    assert (row["initiative"], row["directness"]) == (2, 0)
    assert (row["assertiveness"], row["adversarialness"]) == (2, 2)
    plain = design("What will you do?")
    assert plain[["initiative", "directness", "assertiveness", "adversarialness"]].tolist() == [
        0,
        1,
        0,
        0,
    ]


def test_table_shape_index_and_empty_input():
    table = question_design(pd.Series(["Why?", None], index=[7, 9]))
    assert list(table.columns) == DESIGN_COLUMNS
    assert list(table.index) == [7, 9]
    assert table.loc[9, "n_sentences"] == 0 and not table.loc[9, "preface"]
    empty = question_design([])
    assert list(empty.columns) == DESIGN_COLUMNS and empty.empty


def write_coded(tmp_path, rows: str):
    path = tmp_path / "coded.csv"
    path.write_text(
        "# source: test\n# rule: test\nexchange,n_questions,preface,accountability,note\n" + rows,
        encoding="utf-8",
    )
    return path


def test_load_coded_reads_yes_no_and_counts(tmp_path):
    coded = load_coded(write_coded(tmp_path, "1,2,yes,no,a\n2,1,no,no,b\n"))
    assert list(coded.index) == [1, 2]
    assert coded["preface"].tolist() == [True, False]
    assert coded["n_questions"].tolist() == [2, 1]


def test_load_coded_refuses_bad_cells(tmp_path):
    with pytest.raises(ValueError, match="preface must be yes or no, rows \\[2\\]"):
        load_coded(write_coded(tmp_path, "1,2,yes,no,a\n2,1,maybe,no,b\n"))


def test_design_agreement_hand_computed():
    # preface: coded T T F F, rule T F F F: agreement 3/4; p_o = 0.75, p_e = 0.5*0.25 + 0.5*0.75
    # = 0.5, kappa = (0.75 - 0.5) / 0.5 = 0.5. n_questions: rule 1 2 1 2, coded 1 1 1 3: 2 of 4.
    coded = pd.DataFrame(
        {"n_questions": [1, 1, 1, 3], "preface": [True, True, False, False]}, index=[1, 2, 3, 4]
    )
    computed = question_design(
        ["Fine. Why?", "Why? How?", "Why?", "Why? How?"], cues=None
    ).set_axis([1, 2, 3, 4])
    result = design_agreement(coded, computed).set_index("component")
    assert list(result.index) == ["n_questions", "preface"]
    assert result.loc["n_questions", "agreement"] == 0.5
    assert result.loc["preface", "agreement"] == 0.75
    assert result.loc["preface", "kappa"] == pytest.approx(0.5)
    assert math.isnan(result.loc["n_questions", "kappa"])
    assert (result["n"] == 4).all()


def test_module_exports():
    assert set(questions.__all__) >= {"question_design", "design_agreement", "load_coded"}


def test_dimension_scores_of_a_coding_follow_the_rules_formulas():
    coded = pd.DataFrame(
        {
            "preface": [True, False],
            "multiple": [True, False],
            "self_reference": [False, True],
            "presupposing_preface": [True, False],
            "negative_interrogative": [False, False],
            "opposed_preface": [True, False],
            "accountability": [True, False],
        },
        index=[3, 4],
    )
    scores = questions.dimension_scores(coded)
    assert scores.loc[3].tolist() == [2, 1, 1, 2]
    assert scores.loc[4].tolist() == [0, 0, 0, 0]
    asked = questions.question_design(["Given the defeats, how can you justify it? And why?"])
    assert (
        questions.dimension_scores(asked).iloc[0].tolist()
        == asked[list(questions.DIMENSIONS)].iloc[0].tolist()
    )
