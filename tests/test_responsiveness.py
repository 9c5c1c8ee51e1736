"""Tests for discourse.responsiveness: similarity of answers to their own and to other questions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from discourse.responsiveness import (
    EXCHANGE_COLUMNS,
    RESPONSIVENESS_COLUMNS,
    by_exchange,
    responsiveness,
    similarity_matrix,
)
from discourse.topics import NMFTopics

QUESTIONS = pd.Series(
    [
        "Why did the union call a strike over pay and wages?",
        "What does the party manifesto promise on housing?",
        "How will the climate plan fund renewable energy?",
        "Who should lead the campaign against the cuts?",
        "When will the railway timetable improve?",
        "Can the council afford the new library?",
    ],
    index=pd.Index([101, 102, 103, 104, 105, 106], name="exchange"),
)
ANSWERS = pd.Series(
    [
        "The union called a strike over pay and wages.",  # repeats its question
        "The manifesto promises council housing and rent controls.",
        "Renewable energy will be funded by a green investment plan.",
        "Members should choose who leads the campaign against pay cuts.",
        "Football results were excellent this season.",  # unrelated to its question
        "The library budget is what the council can afford.",
    ],
    index=QUESTIONS.index,
)


def test_columns_and_index():
    table = responsiveness(QUESTIONS, ANSWERS)
    assert list(table.columns) == RESPONSIVENESS_COLUMNS
    assert table.index.equals(QUESTIONS.index)
    assert table["n_others"].tolist() == [5] * 6
    assert table["rank"].dtype == "Int64"


def test_answer_repeating_its_question_is_closest_with_smallest_p():
    row = responsiveness(QUESTIONS, ANSWERS).loc[101]
    assert row["rank"] == 1
    assert row["baseline_p"] == pytest.approx(1 / 6)  # (1 + 0) / (1 + 5): the smallest possible
    assert row["similarity"] > row["baseline_mean"]
    assert row["z"] > 0


def test_unrelated_answer_has_large_p():
    row = responsiveness(QUESTIONS, ANSWERS).loc[105]
    assert row["similarity"] == 0.0
    assert row["baseline_p"] == 1.0  # every other answer is at least as close (ties count)
    assert row["rank"] == 1 + (responsiveness(QUESTIONS, ANSWERS).loc[105, "baseline_mean"] > 0)


def test_hand_computed_tfidf():
    # Fitted on all four texts (n = 4, smooth idf): apple, banana, cherry each in 2 texts,
    # idf = ln(5/3) + 1; durian in 1 text, idf = ln(5/2) + 1. q1 = (cherry, durian), a1 = cherry.
    questions = pd.Series(["apple banana", "cherry durian"], index=["x", "y"])
    answers = pd.Series(["banana apple", "cherry"], index=["x", "y"])
    idf_2, idf_1 = math.log(5 / 3) + 1, math.log(5 / 2) + 1
    expected_y = idf_2 / math.hypot(idf_2, idf_1)
    table = responsiveness(questions, answers)
    assert table["similarity"].tolist() == pytest.approx([1.0, expected_y])
    assert table["baseline_mean"].tolist() == [0.0, 0.0]
    assert table["baseline_p"].tolist() == [0.5, 0.5]  # (1 + 0) / (1 + 1)
    assert table["rank"].tolist() == [1, 1]
    assert table["baseline_sd"].isna().all()  # one other answer: no spread
    assert table["z"].isna().all()


def test_baseline_range_and_excess_hand_computed():
    # Six texts (smooth idf = ln(7 / (1 + df)) + 1): "aa" in 3 of them, "bb" and "cc" in 2.
    # q0 = aa; answers aa, "aa bb", cc: s_00 = 1, s_01 = idf_aa / hypot(idf_aa, idf_bb),
    # s_02 = 0; the baseline of exchange 0 is (s_01, 0).
    questions = pd.Series(["aa", "bb", "cc"])
    answers = pd.Series(["aa", "aa bb", "cc"])
    idf_aa, idf_bb = math.log(7 / 4) + 1, math.log(7 / 3) + 1
    s_01 = idf_aa / math.hypot(idf_aa, idf_bb)
    row = responsiveness(questions, answers, stop_words=None).loc[0]
    assert row["baseline_min"] == 0.0
    assert row["baseline_max"] == pytest.approx(s_01)
    assert row["baseline_mean"] == pytest.approx(s_01 / 2)
    assert row["excess"] == pytest.approx(1 - s_01 / 2)


def test_within_keeps_the_baseline_inside_each_interview():
    # Exchanges 0, 1 belong to one interview, 2, 3 to another; 3 answers question 2's words.
    questions = pd.Series(["union strike", "party vote", "union strike", "housing rent"])
    answers = pd.Series(["union strike pay", "party vote count", "union strike", "union strike"])
    within = pd.Series(["x", "x", "y", "y"])
    pooled = responsiveness(questions, answers)
    split = responsiveness(questions, answers, within=within)
    assert split["n_others"].tolist() == [1, 1, 1, 1]
    assert pooled["n_others"].tolist() == [3, 3, 3, 3]
    # Exchange 0 pooled: the answers of 2 and 3 ("union strike") are at least as close.
    assert pooled.loc[0, "rank"] > 1
    assert split.loc[0, "rank"] == 1
    assert split.loc[0, "baseline_max"] == 0.0  # only "party vote count" is left


def test_within_must_align_and_be_complete():
    with pytest.raises(ValueError, match="same index"):
        responsiveness(QUESTIONS, ANSWERS, within=pd.Series(["x"] * 6))
    with pytest.raises(ValueError, match="missing"):
        responsiveness(QUESTIONS, ANSWERS, within=pd.Series([None] * 6, index=QUESTIONS.index))


def test_similarity_matrix_hand_computed():
    matrix = similarity_matrix(pd.Series(["red blue", "green"]), pd.Series(["blue red", "red"]))
    assert matrix.shape == (2, 2)
    assert matrix[0, 0] == pytest.approx(1.0)
    assert matrix[1, 0] == 0.0
    assert matrix[1, 1] == 0.0
    assert 0 < matrix[0, 1] < 1


def test_text_without_terms_gives_nan_row():
    questions = pd.Series(["Why?", "union strike pay", "party manifesto"])
    answers = pd.Series(["union strike", "union pay", "manifesto vote"])
    table = responsiveness(questions, answers)
    assert np.isnan(table.loc[0, "similarity"])
    assert np.isnan(table.loc[0, "baseline_p"])
    assert table.loc[0, "n_others"] == 0  # a question with no terms has no defined baseline
    assert table.loc[1, "n_others"] == 2
    assert table.loc[1, "similarity"] > 0


def test_sampled_baseline_size_and_determinism():
    first = responsiveness(QUESTIONS, ANSWERS, n_permutations=3, seed=7)
    second = responsiveness(QUESTIONS, ANSWERS, n_permutations=3, seed=7)
    assert first["n_others"].tolist() == [3] * 6
    pd.testing.assert_frame_equal(first, second)
    assert (first["baseline_p"] >= 1 / 4).all()


def test_sampled_baseline_larger_than_others_is_exact():
    exact = responsiveness(QUESTIONS, ANSWERS)
    pd.testing.assert_frame_equal(responsiveness(QUESTIONS, ANSWERS, n_permutations=50), exact)


def test_topic_space():
    corpus = pd.concat([QUESTIONS, ANSWERS], ignore_index=True)
    model = NMFTopics(n_topics=3, min_df=1, max_df=1.0).fit(corpus)
    table = responsiveness(QUESTIONS, ANSWERS, method=model)
    assert list(table.columns) == RESPONSIVENESS_COLUMNS
    assert table["similarity"].dropna().between(0, 1 + 1e-12).all()
    assert table.loc[101, "similarity"] == pytest.approx(1.0, abs=1e-6)
    assert table.loc[101, "rank"] == 1
    # No topic explains the railway question or the football answer: no topic direction.
    assert table.loc[105].drop("n_others").isna().all()


def test_empty_input():
    empty = pd.Series([], dtype=object)
    table = responsiveness(empty, empty)
    assert table.empty
    assert list(table.columns) == RESPONSIVENESS_COLUMNS


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"answers": ANSWERS.reset_index(drop=True)}, ValueError),
        ({"n_permutations": 0}, ValueError),
        ({"method": "bm25"}, ValueError),
        ({"method": object()}, TypeError),
        ({"questions": list(QUESTIONS)}, TypeError),
    ],
)
def test_validation(kwargs, error):
    arguments = {"questions": QUESTIONS, "answers": ANSWERS, **kwargs}
    with pytest.raises(error):
        responsiveness(**arguments)


def _two_interviews() -> pd.DataFrame:
    """The six exchanges above as interview d (1-3) and interview e (1-3)."""
    return pd.DataFrame(
        {
            "doc_id": ["d"] * 3 + ["e"] * 3,
            "slate": ["S"] * 3 + ["T"] * 3,
            "exchange": [1, 2, 3] * 2,
            "exchange_id": [f"{d}/{n}" for d in "de" for n in (1, 2, 3)],
            "part": ["general", "specific", "specific"] * 2,
            "question_key": [f"text:{i}" for i in range(6)],
            "interviewer": ["Ed"] * 6,
            "question": QUESTIONS.to_numpy(),
            "answer": ANSWERS.to_numpy(),
            "question_words": [11, 8, 8, 8, 6, 6],
        },
        index=[5, 4, 3, 2, 1, 0],
    )


def test_by_exchange_measures_each_space_with_baselines_inside_each_interview():
    exchanges = _two_interviews()
    table = by_exchange(exchanges, {"tfidf": "tfidf"}, start_words=3)
    assert list(table.columns) == [
        *EXCHANGE_COLUMNS,
        "interviewer",
        "question_words",
        *(f"{c}_tfidf" for c in RESPONSIVENESS_COLUMNS),
    ]
    assert table.index.tolist() == list(range(6))
    assert table["label"].tolist() == exchanges["exchange_id"].tolist()
    assert table["question_start"].tolist()[:2] == [
        "d/1 · Why did the …",
        "d/2 · What does the …",
    ]
    # Two other answers of the same interview in every baseline, never the other interview's.
    assert table["n_others_tfidf"].tolist() == [2] * 6
    direct = responsiveness(
        exchanges["question"], exchanges["answer"], within=exchanges["doc_id"]
    ).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        table[[f"{c}_tfidf" for c in RESPONSIVENESS_COLUMNS]], direct.add_suffix("_tfidf")
    )
    with pytest.raises(ValueError, match="panel"):
        by_exchange(exchanges, {"tfidf": "tfidf"}, within="panel")


def test_by_exchange_quotes_the_question_start_as_printed():
    exchanges = _two_interviews().head(2).copy()
    exchanges["question"] = ["You’ve said “core group” twice?", "Why?"]
    table = by_exchange(exchanges, {"tfidf": "tfidf"}, start_words=3)
    assert table["question_start"].tolist() == ["1 · You’ve said “core …", "2 · Why?"]
