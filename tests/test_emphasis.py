"""Tests for discourse.emphasis: Rayson-Garside log-likelihood, %DIFF, reference keyness, uptake."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import wordfreq
from scipy import stats as scipy_stats

from discourse import emphasis

# ---------------------------------------------------------------------------------------------
# log_likelihood and percent_diff
# ---------------------------------------------------------------------------------------------


def test_log_likelihood_hand_worked_2x2():
    # a = 10 in corpus 1 of c = 1000 tokens, b = 20 in corpus 2 of d = 4000 tokens.
    # E1 = c (a + b) / (c + d) = 1000 * 30 / 5000 = 6
    # E2 = d (a + b) / (c + d) = 4000 * 30 / 5000 = 24
    # a ln(a / E1) = 10 ln(10 / 6) = 10 * 0.5108256 = 5.108256
    # b ln(b / E2) = 20 ln(20 / 24) = 20 * -0.1823216 = -3.646431
    # LL = 2 * (5.108256 - 3.646431) = 2 * 1.461825 = 2.923650
    assert emphasis.log_likelihood(10, 20, 1000, 4000) == pytest.approx(2.923650, abs=1e-6)


def test_percent_diff_hand_worked():
    # a / c = 10 / 1000 = 0.01, b / d = 20 / 4000 = 0.005: 100 * (0.01 - 0.005) / 0.005 = 100
    assert emphasis.percent_diff(10, 20, 1000, 4000) == pytest.approx(100.0)
    # a / c = 1 / 1000 = 0.001 against 0.005: 100 * (0.001 - 0.005) / 0.005 = -80
    assert emphasis.percent_diff(1, 20, 1000, 4000) == pytest.approx(-80.0)


def test_log_likelihood_against_scipy_power_divergence():
    # The same 2x2 table, words by corpora: [[a, b], [c - a, d - b]] = [[10, 20], [990, 3980]],
    # expected from its margins: [[6, 24], [994, 3976]].
    table = np.array([[10.0, 20.0], [990.0, 3980.0]])
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    np.testing.assert_allclose(expected, [[6, 24], [994, 3976]])
    # Rayson & Garside's LL is the G^2 over the word's row of the table ...
    word_row = scipy_stats.power_divergence(
        table[0], expected[0], lambda_="log-likelihood"
    ).statistic
    assert emphasis.log_likelihood(10, 20, 1000, 4000) == pytest.approx(word_row, rel=1e-12)
    # ... and the full table's G^2 adds the "other words" row:
    # 2 * (990 ln(990/994) + 3980 ln(3980/3976)) = 2 * (-3.991941 + 4.002011) = 0.020141,
    # so the full G^2 = 2.923650 + 0.020141 = 2.943791.
    full = scipy_stats.power_divergence(
        table, expected, lambda_="log-likelihood", axis=None
    ).statistic
    assert full == pytest.approx(2.943791, abs=1e-6)
    assert full - emphasis.log_likelihood(10, 20, 1000, 4000) == pytest.approx(0.020141, abs=1e-6)


@pytest.mark.parametrize(
    ("a", "b", "expected_ll", "expected_diff"),
    [
        # a = 0, b = 5, c = d = 100: E1 = E2 = 2.5; LL = 2 * (0 + 5 ln(5 / 2.5)) = 10 ln 2;
        # %DIFF = 100 * (0 - 0.05) / 0.05 = -100
        (0, 5, 10 * math.log(2), -100.0),
        # a = 5, b = 0: LL = 2 * 5 ln 2 = 10 ln 2; %DIFF = 0.05 / 0, +inf
        (5, 0, 10 * math.log(2), math.inf),
        # a = b = 0: both expectations 0, every term 0: LL = 0; %DIFF = 0 / 0, NaN
        (0, 0, 0.0, math.nan),
    ],
)
def test_zero_counts(a, b, expected_ll, expected_diff):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ll = emphasis.log_likelihood(a, b, 100, 100)
        diff = emphasis.percent_diff(a, b, 100, 100)
    assert ll == pytest.approx(expected_ll)
    if math.isnan(expected_diff):
        assert math.isnan(diff)
    else:
        assert diff == expected_diff


def test_vectorised_matches_elementwise():
    a = np.array([10, 0, 5, 0, 3])
    b = np.array([20, 5, 0, 0, 3])
    ll = emphasis.log_likelihood(a, b, 1000, np.array([4000, 100, 100, 100, 1000]))
    assert isinstance(ll, np.ndarray)
    assert ll.shape == (5,)
    assert ll[0] == pytest.approx(2.923650, abs=1e-6)
    assert ll[1] == pytest.approx(emphasis.log_likelihood(0, 5, 1000, 100))
    # same rate in both corpora (3 / 1000 = 3 / 1000): no difference, LL = 0
    assert ll[4] == pytest.approx(0.0, abs=1e-12)
    assert isinstance(emphasis.log_likelihood(10, 20, 1000, 4000), float)


def test_log_likelihood_rejects_bad_input():
    with pytest.raises(ValueError):
        emphasis.log_likelihood(-1, 2, 10, 10)
    with pytest.raises(ValueError):
        emphasis.log_likelihood(1, 2, 0, 10)


def test_log_likelihood_grows_with_reference_size_towards_limit():
    # a = 5 in c = 10,000 tokens against a reference rate p = 1e-4 (expected c p = 1):
    # limit 2 * (5 ln(5 / 1) - (5 - 1)) = 2 * (8.047190 - 4) = 8.094379
    assert emphasis.log_likelihood_limit(5, 10_000, 1e-4) == pytest.approx(8.094379, abs=1e-6)
    sizes = [1e4, 1e5, 1e6, 1e9, 1e12]
    values = [emphasis.log_likelihood(5, 1e-4 * d, 10_000, d) for d in sizes]
    assert all(x < y for x, y in zip(values, values[1:], strict=False))
    assert values[-1] == pytest.approx(8.094379, abs=1e-5)


def test_critical_value_is_chi_squared_one_df_at_p_0001():
    # chi2.isf(0.0001, 1) = 15.1367..., which UCREL prints truncated as 15.13
    assert math.floor(scipy_stats.chi2.isf(1e-4, 1) * 100) / 100 == emphasis.LL_CRITICAL


# ---------------------------------------------------------------------------------------------
# reference_keyness
# ---------------------------------------------------------------------------------------------

TEXTS = pd.Series(["The the THE cat.", "The 2022 zzqxvw zzqxvw, zzqxvw 17.00"])


def test_reference_keyness_counts_rates_and_floor():
    # tokens without digits: the x4, cat x1, zzqxvw x3 -> 8 tokens; "2022" and "17.00" left out
    table = emphasis.reference_keyness(TEXTS, min_count=3)
    assert table.attrs["n_tokens"] == 8
    assert list(table.columns) == emphasis.KEYNESS_COLUMNS
    assert set(table["term"]) == {"the", "zzqxvw"}  # cat (1) is under min_count = 3
    rows = table.set_index("term")
    # 4 of 8 tokens: 500 per 1,000; 3 of 8: 375 per 1,000
    assert rows.loc["the", "rate_per_1000"] == pytest.approx(500.0)
    assert rows.loc["zzqxvw", "rate_per_1000"] == pytest.approx(375.0)
    # "the" is known to wordfreq; its reference count is its proportion x 1e9
    p_the = wordfreq.word_frequency("the", "en")
    assert rows.loc["the", "in_reference"]
    assert rows.loc["the", "reference_count"] == pytest.approx(p_the * 1e9)
    assert rows.loc["the", "reference_rate_per_1000"] == pytest.approx(1000 * p_the)
    assert rows.loc["the", "ll"] == pytest.approx(emphasis.log_likelihood(4, p_the * 1e9, 8, 1e9))
    assert rows.loc["the", "pct_diff"] == pytest.approx(100 * (4 / 8 - p_the) / p_the)
    # an unknown word gets wordfreq's smallest English frequency and is flagged
    floor = emphasis.reference_floor("en")
    assert floor == min(wordfreq.get_frequency_dict("en").values())
    assert not rows.loc["zzqxvw", "in_reference"]
    assert rows.loc["zzqxvw", "reference_count"] == pytest.approx(floor * 1e9)
    assert (table["direction"] == "overused").all()
    # "the": expected 8 x 0.0537 = 0.43 tokens, limit 2 (4 ln(4 / 0.43) - (4 - 0.43)) = 10.7,
    # under 15.13; zzqxvw: expected 8 x 1.02e-8, LL about 2 x 3 ln(3 / 8.2e-8) = 105, key
    assert rows.loc["the", "ll"] == pytest.approx(10.7, abs=0.1)
    assert not rows.loc["the", "key"]
    assert rows.loc["zzqxvw", "key"]
    assert table["ll"].is_monotonic_decreasing


def test_reference_keyness_underused_and_reference_size():
    # "the" once in 100 tokens of "cat": 10 per 1,000 against wordfreq's about 54: underused
    texts = ["the " + "cat " * 99]
    table = emphasis.reference_keyness(texts, min_count=1).set_index("term")
    assert table.loc["the", "direction"] == "underused"
    assert table.loc["the", "pct_diff"] < 0
    small = emphasis.reference_keyness(texts, min_count=1, reference_size=1e4)
    assert small.set_index("term").loc["the", "ll"] < table.loc["the", "ll"]


def test_reference_keyness_empty_and_bad_arguments():
    table = emphasis.reference_keyness(["", "2022"], min_count=1)
    assert table.empty
    assert list(table.columns) == emphasis.KEYNESS_COLUMNS
    with pytest.raises(ValueError):
        emphasis.reference_keyness(TEXTS, reference_size=0)
    with pytest.raises(ValueError):
        emphasis.reference_keyness(TEXTS, min_count=0)


# ---------------------------------------------------------------------------------------------
# question_uptake and uptake_by_exchange
# ---------------------------------------------------------------------------------------------

STOP = ["why", "a", "and", "the", "does", "need"]


def test_content_terms():
    # default stop list drops "we", "the", "our"; 's is stripped; "x" (one letter) and 2022 dropped
    assert emphasis.content_terms("We organise the Momentum's x 2022 campaign") == [
        "organise",
        "momentum",
        "campaign",
    ]
    assert emphasis.content_terms("Why organise?", stop_words=None) == ["why", "organise"]


def test_question_uptake_hand_worked():
    question = "Why does Momentum need a new organising strategy? A new one?"
    answer = "Momentum needs organising. Organising builds power, and power wins power."
    uptake = emphasis.question_uptake(question, answer, stop_words=STOP)
    # question terms (distinct, in order): momentum, new, organising, strategy, one
    assert uptake.question_terms == ("momentum", "new", "organising", "strategy", "one")
    # the answer uses momentum and organising: 2 of 5 = 0.4
    assert uptake.taken_up == ("momentum", "organising")
    assert uptake.not_taken_up == ("new", "strategy", "one")
    assert uptake.share == pytest.approx(0.4)
    # its own terms: power x3, then builds, needs, wins x1 (alphabetical); "needs" is not "need"
    assert uptake.new_terms == (("power", 3), ("builds", 1), ("needs", 1), ("wins", 1))


def test_question_uptake_without_question_terms():
    uptake = emphasis.question_uptake("Why?", "Power.", stop_words=STOP)
    assert uptake.question_terms == ()
    assert math.isnan(uptake.share)
    assert uptake.new_terms == (("power", 1),)


def _exchanges() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d1", "d2"],
            "slate": ["S", "S", "S", "T"],
            "exchange": [1, 2, 3, 1],
            "exchange_id": ["d1/1", "d1/2", "d1/3", "d2/1"],
            "part": ["general"] * 4,
            "question_key": ["q1", "q2", "q3", "q1"],
            "interviewer": ["I"] * 4,
            "question": ["Housing and rent?", "Unions?", "Why?", "Housing and rent?"],
            "answer": ["Rent strikes, rent strikes.", "Unions, housing.", "Rent.", "Housing."],
        }
    )


def test_uptake_by_exchange_hand_worked():
    table = emphasis.uptake_by_exchange(_exchanges(), top=1, stop_words=STOP)
    assert list(table.columns) == emphasis.UPTAKE_COLUMNS
    # several interviews: labels are exchange ids
    assert table["label"].tolist() == ["d1/1", "d1/2", "d1/3", "d2/1"]
    # d1/1: question terms housing, rent; the answer has rent only: 1 of 2 = 0.5.
    # Baseline within d1: "Unions, housing." takes up housing (1/2), "Rent." rent (1/2): 0.5
    first = table.iloc[0]
    assert first["n_question_terms"] == 2
    assert first["share_taken_up"] == pytest.approx(0.5)
    assert first["baseline_share"] == pytest.approx(0.5)
    assert first["n_other_answers"] == 2
    assert first["taken_up"] == "rent"
    assert first["not_taken_up"] == "housing"
    # own terms of "Rent strikes, rent strikes.": strikes (2)
    assert first["n_new_terms"] == 1
    assert first["top_new_terms"] == "strikes (2)"
    # d1/2: unions taken up, 1 of 1; others: neither "Rent strikes..." nor "Rent." say unions: 0
    assert table.iloc[1]["share_taken_up"] == 1.0
    assert table.iloc[1]["baseline_share"] == 0.0
    # d1/3: "Why?" has no content terms: share and baseline NaN
    assert table.iloc[2]["n_question_terms"] == 0
    assert math.isnan(table.iloc[2]["share_taken_up"])
    assert math.isnan(table.iloc[2]["baseline_share"])
    # d2/1: alone in its interview, so no baseline; housing of housing, rent: 0.5
    assert table.iloc[3]["share_taken_up"] == pytest.approx(0.5)
    assert table.iloc[3]["n_other_answers"] == 0
    assert math.isnan(table.iloc[3]["baseline_share"])


def test_uptake_by_exchange_pooled_baseline():
    # within=None: d2/1's baseline holds the three answers of d1, shares for (housing, rent):
    # "Rent strikes..." 1/2, "Unions, housing." 1/2, "Rent." 1/2: mean 0.5
    table = emphasis.uptake_by_exchange(_exchanges(), stop_words=STOP, within=None)
    assert table.iloc[3]["n_other_answers"] == 3
    assert table.iloc[3]["baseline_share"] == pytest.approx(0.5)
