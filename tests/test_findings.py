"""Tests of the profile helpers behind the findings notebook."""

import numpy as np
import pandas as pd
import pytest

from discourse import findings as profile
from discourse import stats


def test_standardise_gives_z_scores_and_zero_for_constant_columns():
    table = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0], "keep": ["x", "y", "z"]})
    result = profile.standardise(table, ["a", "b"])
    # mean 2, sample sd 1: z = -1, 0, 1
    assert result["a"].tolist() == [-1.0, 0.0, 1.0]
    assert result["b"].tolist() == [0.0, 0.0, 0.0]
    assert result["keep"].tolist() == ["x", "y", "z"]


def _exchanges(n: int = 8) -> pd.DataFrame:
    """Invented exchanges: half general, half specific; answers say *we* more than questions."""
    questions = [
        "What will you do about the party?",
        "Why should members trust you with this?",
        "Can we trust you to change the rules?",
        "Is that not a risk for you?",
    ]
    answers = [
        "We will organise. We must win, and we can.",
        "Because we listen. They did not, and we did.",
        "We would open the process. Perhaps that is hard, but we will try.",
        "It is a risk. We accept it, and we think members will too.",
    ]
    return pd.DataFrame(
        {
            "doc_id": "d",
            "slate": "S",
            "exchange": range(1, n + 1),
            "part": ["general"] * (n // 2) + ["specific"] * (n - n // 2),
            "question": [questions[i % 4] for i in range(n)],
            "answer": [answers[(i * 3) % 4] for i in range(n)],
        }
    )


def test_findings_table_has_the_full_inference_for_every_row():
    turns = profile.turn_measures(_exchanges())
    features = ["first_person_plural", "hedges", "mean_compound"]
    table = profile.findings_table(turns, features, seed=1)
    assert list(table.columns) == profile.FINDINGS_COLUMNS
    assert (
        table["comparison"].tolist()
        == [profile.ANSWERS_VS_QUESTIONS] * 3 + [profile.GENERAL_VS_SPECIFIC] * 3
    )
    paired = table.iloc[0]
    assert (paired["n_a"], paired["n_b"], paired["design"]) == (8, 8, "paired")
    assert paired["min_p"] == pytest.approx(2 / 2**8)
    assert paired["loo_runs"] == 8
    # *we*: the exposure-weighted difference is positive, as the per-turn one is
    assert paired["estimate"] > 0 and paired["per_turn_estimate"] > 0
    # the reference count model exists for rates, not for the VADER mean
    assert np.isfinite(paired["rate_ratio"]) and paired["rate_ratio"] > 1
    assert np.isnan(table.iloc[2]["rate_ratio"])
    by_part = table.iloc[3]
    # four general against four specific answers: C(8, 4) = 70 splits, min p = 2/70
    assert (by_part["n_a"], by_part["n_b"]) == (4, 4)
    assert by_part["min_p"] == pytest.approx(2 / 70)
    assert set(table["verdict"]) <= set(stats.VERDICTS)
    assert table["verdict"].tolist() == stats.verdicts(table)


def test_with_counts_recovers_the_counts_behind_the_rates():
    turns = profile.turn_measures(_exchanges(2))
    counted = profile.with_counts(turns, ["first_person_plural", "questions_per_sentence"])
    # "We will organise. We must win, and we can." holds three *we* and no question
    answer = counted.iloc[1]
    assert answer["first_person_plural_count"] == 3
    assert answer["questions_per_sentence_count"] == 0
    assert counted.iloc[0]["questions_per_sentence_count"] == 1


def test_describe_findings_words_direction_numbers_and_leave_one_out():
    turns = profile.turn_measures(_exchanges())
    table = profile.findings_table(turns, ["first_person_plural"], seed=1)
    first, second = profile.describe_findings(table)
    assert first.startswith(
        "[answers minus questions] we (per 1,000 words): higher in answer than in question by"
    )
    assert "n = 8 pairs" in first and "runs" in first or "without one exchange" in first
    assert second.startswith("[general minus specific answers] we (per 1,000 words)")


def test_scale_differences_divides_by_the_sd_over_all_turns():
    table = pd.DataFrame(
        {
            "comparison": ["a", "b"],
            "feature": ["first_person_plural", "hedges"],
            "estimate": [25.0, -7.0],
            "ci_low": [16.0, -15.0],
            "ci_high": [34.0, 1.0],
            "n_a": [20, 6],
            "n_b": [20, 14],
            "verdict": ["supported", "not supported"],
        }
    )
    turns = pd.DataFrame({"first_person_plural": [0.0, 10.0], "hedges": [1.0, 3.0]})
    # sample sd: first_person_plural sqrt(50), hedges sqrt(2)
    scaled = profile.scale_differences(table, turns, ["first_person_plural", "hedges"])
    assert scaled["estimate"].tolist() == pytest.approx([25 / 50**0.5, -7 / 2**0.5])
    assert scaled["ci_low"].tolist() == pytest.approx([16 / 50**0.5, -15 / 2**0.5])
    assert scaled["verdict"].tolist() == ["supported", "not supported"]


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


def test_findings_survive_a_perturbation_of_every_measure_by_one_part_in_1e12():
    turns = profile.turn_measures(_exchanges(12))
    features = list(profile.FEATURES)
    shaken = turns.copy()
    signs = np.random.default_rng(7).choice([-1.0, 1.0], size=(len(turns), len(features)))
    shaken[features] = turns[features].to_numpy(dtype=float) * (1 + 1e-12 * signs)
    before = profile.findings_table(turns, features, seed=3)
    after = profile.findings_table(shaken, features, seed=3)
    discrete = ["p", "q", "verdict", "min_p", "n_a", "n_b", "loo_same", "loo_changes"]
    pd.testing.assert_frame_equal(before[discrete], after[discrete])
    continuous = [c for c in before.columns if c not in discrete and before[c].dtype == float]
    np.testing.assert_allclose(
        after[continuous].to_numpy(dtype=float),
        before[continuous].to_numpy(dtype=float),
        rtol=1e-6,
        atol=1e-9,
    )
