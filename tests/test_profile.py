"""Tests of the profile helpers behind the findings notebook."""

import math

import numpy as np
import pandas as pd
import pytest

from discourse import profile


@pytest.mark.parametrize(
    ("low", "high", "q", "expected"),
    [
        (0.1, 0.5, 0.01, "supported"),
        (-0.5, -0.1, 0.01, "supported"),
        (0.1, 0.5, 0.2, "tentative"),
        (-0.1, 0.5, 0.001, "not supported"),
        (0.0, 0.5, 0.001, "not supported"),
        (math.nan, 0.5, 0.001, "not supported"),
    ],
)
def test_verdict_needs_interval_and_q_to_agree(low, high, q, expected):
    assert profile.verdict(low, high, q) == expected


def test_standardise_gives_z_scores_and_zero_for_constant_columns():
    table = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0], "keep": ["x", "y", "z"]})
    result = profile.standardise(table, ["a", "b"])
    # mean 2, sample sd 1: z = -1, 0, 1
    assert result["a"].tolist() == [-1.0, 0.0, 1.0]
    assert result["b"].tolist() == [0.0, 0.0, 0.0]
    assert result["keep"].tolist() == ["x", "y", "z"]


def _comparison_rows():
    return pd.DataFrame(
        {
            "comparison": ["answers minus questions", "general minus specific answers"],
            "feature": ["first_person_plural", "hedges"],
            "group_a": ["answer", "general"],
            "group_b": ["question", "specific"],
            "mean_a": [30.0, 8.0],
            "mean_b": [5.0, 15.0],
            "estimate": [25.0, -7.0],
            "ci_low": [16.0, -15.0],
            "ci_high": [34.0, 1.0],
            "hedges_g": [2.0, -0.7],
            "p": [0.0001, 0.2],
            "q": [0.002, 0.5],
            "n_pairs": [20, np.nan],
            "n_a": [np.nan, 6],
            "n_b": [np.nan, 14],
        }
    )


def test_findings_table_labels_sizes_and_verdicts():
    table = profile.findings_table(_comparison_rows())
    assert table["measure"].tolist() == ["we (per 1,000 words)", "hedges (per 1,000 words)"]
    assert table["family"].tolist() == ["stance", "stance"]
    assert table["n"].tolist() == ["20 pairs", "6 vs 14"]
    assert table["verdict"].tolist() == ["supported", "not supported"]


def test_describe_findings_words_direction_and_numbers():
    table = profile.findings_table(_comparison_rows())
    first, second = profile.describe_findings(table)
    assert first == (
        "[answers minus questions] we (per 1,000 words): higher in answer than in question by "
        "25 (means 30 vs 5; 95% CI 16 to 34; n = 20 pairs; g = 2.00; p < 0.001, q = 0.002): "
        "supported."
    )
    assert second.startswith("[general minus specific answers] hedges (per 1,000 words): lower")


def test_scale_differences_divides_by_the_sd_over_all_turns():
    table = profile.findings_table(_comparison_rows())
    turns = pd.DataFrame({"first_person_plural": [0.0, 10.0], "hedges": [1.0, 3.0]})
    # sample sd: first_person_plural sqrt(50), hedges sqrt(2)
    scaled = profile.scale_differences(table, turns, ["first_person_plural", "hedges"])
    assert scaled["estimate"].tolist() == pytest.approx([25 / 50**0.5, -7 / 2**0.5])
    assert scaled["ci_low"].tolist() == pytest.approx([16 / 50**0.5, -15 / 2**0.5])


def test_evidence_quotes_word_lists_questions_and_sentiment_as_printed():
    texts = pd.Series(
        {
            3: "We won’t stop. They lost.",
            5: "Is this good? I love it — wonderful!",
            7: "Awful, hateful day.",
        }
    )
    we = profile.evidence(texts, "first_person_plural")
    assert we.to_dict("records") == [{"unit": 3, "sentence": "We won’t stop."}]
    asked = profile.evidence(texts, "questions_per_sentence")
    assert asked.to_dict("records") == [{"unit": 5, "sentence": "Is this good?"}]
    negative = profile.evidence(texts, "share_negative")
    assert negative.to_dict("records") == [{"unit": 7, "sentence": "Awful, hateful day."}]
    positive = profile.evidence(texts, "mean_compound")
    assert positive.to_dict("records") == [{"unit": 5, "sentence": "I love it — wonderful!"}]
    assert profile.evidence(texts, "words_per_sentence").empty


def test_turn_measures_has_one_row_per_turn_with_every_feature():
    exchanges = pd.DataFrame(
        {
            "doc_id": ["d", "d"],
            "slate": ["S", "S"],
            "exchange": [1, 2],
            "part": ["general", "specific"],
            "question": ["What will you do?", "Why should we trust you?"],
            "answer": ["We will organise. We must win.", "Because they failed and we did not."],
        }
    )
    table = profile.turn_measures(exchanges)
    assert table["turn"].tolist() == ["question", "answer", "question", "answer"]
    assert table["group"].tolist() == [
        "questions",
        "general answers",
        "questions",
        "specific answers",
    ]
    assert set(profile.FEATURES) <= set(table.columns)
    assert table["questions_per_sentence"].tolist() == [1.0, 0.0, 1.0, 0.0]
