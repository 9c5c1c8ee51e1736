"""The inference module against hand-computed exact tests, the verdict table, the count model on
a hand-worked Poisson example, and stability under last-bit perturbation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from discourse import stats

# ---------------------------------------------------------------------------------------------
# Exact tests, worked by hand
# ---------------------------------------------------------------------------------------------


def test_five_pairs_cannot_decide():
    # All five differences positive: only the observed signs and their mirror are as extreme,
    # p = 2 / 2**5 = 0.0625 >= 0.05, so no shift can be rejected.
    found = stats.sign_flip_test([1.0, 2.0, 3.0, 4.0, 5.0])
    assert found.p == pytest.approx(2 / 32)
    assert found.exact and found.relabellings == 32
    assert math.isinf(found.low) and math.isinf(found.high)


def test_six_pairs_interval_runs_from_smallest_to_largest_difference():
    # p = 2/64 at 0. Shifting by delta in (1, 6) makes one difference change sign, and flipping
    # it is then as extreme too: 4 of 64 patterns, p = 0.0625 >= 0.05, accepted; below 1 (or
    # above 6) only 2 of 64 are, rejected. So the interval is [1, 6].
    found = stats.sign_flip_test([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert found.p == pytest.approx(2 / 64)
    assert found.low == pytest.approx(1.0, abs=1e-7)
    assert found.high == pytest.approx(6.0, abs=1e-7)


def test_sign_flip_p_counts_ties_with_zero_differences():
    # d = (0, 2, 2, 2, 2, 2): flipping the 0 leaves the mean as it is, so 4 of 64 patterns
    # are as extreme as the observed: p = 0.0625.
    found = stats.sign_flip_test([0.0, 2.0, 2.0, 2.0, 2.0, 2.0])
    assert found.p == pytest.approx(4 / 64)


def test_two_groups_exact_p_with_a_tied_value():
    # a = (3, 5, 4, 6, 7), b = (1, 2, 2.5, 3, 1.5, 2): the observed split is the largest of
    # C(11, 5) = 462; swapping the two 3s gives the same statistic, so 2 splits are in the upper
    # tail and p = 2 * 2 / 462.
    a, b = [3.0, 5.0, 4.0, 6.0, 7.0], [1.0, 2.0, 2.5, 3.0, 1.5, 2.0]
    found = stats.permutation_test(a, b)
    assert found.exact and found.relabellings == 462
    assert found.p == pytest.approx(4 / 462)
    assert found.low < np.mean(a) - np.mean(b) < found.high


def test_two_groups_of_three_cannot_decide():
    # C(6, 3) = 20 splits, the observed one and its mirror always as extreme: p >= 0.1.
    found = stats.permutation_test([10.0, 11.0, 12.0], [1.0, 2.0, 3.0])
    assert found.p == pytest.approx(2 / 20)
    assert math.isinf(found.low) and math.isinf(found.high)


@pytest.mark.parametrize(
    ("n_a", "n_b", "expected"),
    [(3, 3, 2 / 20), (6, 14, 2 / 38760), (1, 4, 2 / 5), (1, 1, 1.0), (0, 3, math.nan)],
)
def test_min_p_independent(n_a, n_b, expected):
    assert stats.min_p_independent(n_a, n_b) == pytest.approx(expected, nan_ok=True)


@pytest.mark.parametrize(("n", "expected"), [(1, 1.0), (5, 0.0625), (6, 0.03125), (20, 2**-19)])
def test_min_p_paired(n, expected):
    assert stats.min_p_paired(n) == pytest.approx(expected)


def test_min_units_is_six_at_five_percent():
    assert stats.min_units(0.05) == 6
    assert stats.min_units(0.01) == 8


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_p_values_are_scipys_exact_permutation_tests(seed):
    from scipy import stats as scipy_stats

    rng = np.random.default_rng(seed)
    a, b = rng.exponential(1, 6), rng.exponential(1.5, 9)

    def difference(x, y, axis=-1):
        return x.mean(axis=axis) - y.mean(axis=axis)

    expected = scipy_stats.permutation_test(
        (a, b), difference, permutation_type="independent", n_resamples=np.inf, vectorized=True
    ).pvalue
    assert stats.permutation_test(a, b).p == pytest.approx(expected)
    paired = scipy_stats.permutation_test(
        (a, b[:6]), difference, permutation_type="samples", n_resamples=np.inf, vectorized=True
    ).pvalue
    assert stats.sign_flip_test(a - b[:6]).p == pytest.approx(paired)


def test_inverted_interval_matches_a_brute_force_search():
    rng = np.random.default_rng(3)
    a, b = rng.normal(1, 1, 6), rng.normal(0, 1, 7)
    found = stats.permutation_test(a, b)

    def p_at(delta: float) -> float:
        return stats.permutation_test(a - delta, b).p

    grid = np.linspace(found.low - 1, found.high + 1, 401)
    accepted = [g for g in grid if p_at(g) >= 0.05]
    step = grid[1] - grid[0]
    assert min(accepted) == pytest.approx(found.low, abs=step)
    assert max(accepted) == pytest.approx(found.high, abs=step)


def test_weighted_paired_test_is_the_weighted_mean_difference():
    d = np.array([1.0, -0.5, 2.0, 0.5, 1.5, 3.0])
    w = np.array([1.0, 2.0, 1.0, 3.0, 1.0, 0.5])
    found = stats.sign_flip_test(d, w)
    assert found.low <= np.average(d, weights=w) <= found.high


def test_random_relabellings_above_the_exact_limit_include_the_observed_one():
    found = stats.sign_flip_test(np.arange(1.0, 21.0), seed=1)
    assert not found.exact
    assert found.relabellings == stats.N_PERMUTATIONS + 1
    assert found.p == pytest.approx(2 / (stats.N_PERMUTATIONS + 1))


# ---------------------------------------------------------------------------------------------
# The verdict rule
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "q", "low", "high", "min_p", "expected"),
    [
        (0.01, 0.02, 0.5, 2.0, 0.001, "supported"),
        (0.01, 0.20, 0.5, 2.0, 0.001, "tentative"),
        (0.01, 0.20, -2.0, -0.5, 0.001, "tentative"),
        (0.20, 0.30, -0.5, 2.0, 0.001, "not supported"),
        (0.01, 0.02, -0.5, 2.0, 0.001, "not supported"),  # a gap in the acceptance region
        (0.0625, 0.0625, math.nan, math.nan, 0.0625, "too few units"),
        (0.01, 0.02, math.inf, math.inf, 0.001, "too few units"),
        (math.nan, math.nan, math.nan, math.nan, 0.001, "too few units"),
    ],
)
def test_verdict_table(p, q, low, high, min_p, expected):
    assert stats.verdict(p, q, low, high, min_p) == expected


def test_verdict_without_interval_reads_p_q_and_min_p_only():
    assert stats.verdict(0.01, 0.02, min_p=0.001, interval=False) == "supported"
    assert stats.verdict(0.07, 0.08, min_p=0.001, interval=False) == "not supported"
    assert stats.verdict(0.07, 0.08, min_p=0.07, interval=False) == "too few units"


def test_verdict_words_name_every_verdict():
    assert set(stats.verdict_words()) == set(stats.VERDICTS)


# ---------------------------------------------------------------------------------------------
# Comparison tables
# ---------------------------------------------------------------------------------------------


def _pairs(n: int, shift: float = 1.0) -> pd.DataFrame:
    rng = np.random.default_rng(n)
    base = rng.normal(0, 1, n)
    return pd.DataFrame(
        {
            "pair": np.repeat(np.arange(n), 2),
            "turn": ["answer", "question"] * n,
            "x": np.ravel(np.column_stack([base + shift + rng.normal(0, 0.3, n), base])),
        }
    )


def test_compare_paired_schema_and_too_few_units_at_five_pairs():
    table = stats.compare_paired(
        _pairs(5), "x", "turn", "pair", group_a="answer", group_b="question"
    )
    assert list(table.columns) == stats.COLUMNS
    row = table.iloc[0]
    assert row["n_a"] == row["n_b"] == 5
    assert row["min_p"] == pytest.approx(0.0625)
    assert row["verdict"] == "too few units"
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])


def test_compare_paired_interval_and_p_agree():
    table = stats.compare_paired(
        _pairs(12), ["x"], "turn", "pair", group_a="answer", group_b="question"
    )
    row = table.iloc[0]
    assert row["p"] < 0.05 and row["ci_low"] > 0
    assert row["verdict"] == "supported"
    assert row["design"] == "paired" and row["method"] == "exact"


def test_compare_paired_pools_repeated_rows_by_weight():
    df = pd.DataFrame(
        {
            "pair": [1, 1, 1],
            "turn": ["question", "question", "answer"],
            "rate": [100.0, 0.0, 10.0],
            "words": [10, 30, 100],
        }
    )
    wide = stats.paired_values(df, "rate", "turn", "pair", "answer", "question", "words")
    # the two question turns pool to 1000 / 40 = 25 per unit over 40 words
    assert wide.loc[1, "b"] == pytest.approx(25.0)
    assert wide.loc[1, "weight_b"] == pytest.approx(40.0)


def test_compare_groups_weighted_estimate_is_the_difference_of_pooled_rates():
    df = pd.DataFrame(
        {
            "part": ["general"] * 2 + ["specific"] * 2,
            "count": [1, 3, 2, 0],
            "words": [10, 30, 20, 20],
        }
    )
    df["rate"] = df["count"] / df["words"]
    table = stats.compare_groups(df, "rate", "part", weights="words")
    # general: 4 / 40 = 0.1, specific: 2 / 40 = 0.05
    assert table["mean_a"].iat[0] == pytest.approx(0.1)
    assert table["mean_b"].iat[0] == pytest.approx(0.05)
    assert table["estimate"].iat[0] == pytest.approx(0.05)
    assert table["weights"].iat[0] == "words"


def test_compare_groups_with_units_pools_rows_into_units():
    df = pd.DataFrame(
        {
            "g": ["a"] * 4 + ["b"] * 3,
            "u": [1, 1, 2, 3, 4, 5, 5],
            "x": [1.0, 3.0, 2.0, 2.0, 0.0, 1.0, 1.0],
        }
    )
    table = stats.compare_groups(df, "x", "g", unit="u")
    assert (table["n_a"].iat[0], table["n_b"].iat[0]) == (3, 2)
    # pooled row means: a = 8 / 4 = 2, b = 2 / 3
    assert table["estimate"].iat[0] == pytest.approx(2 - 2 / 3)


def test_compare_groups_rejects_units_spanning_groups():
    df = pd.DataFrame({"g": ["a", "b"], "u": [1, 1], "x": [1.0, 2.0]})
    with pytest.raises(ValueError, match="nest within groups"):
        stats.compare_groups(df, "x", "g", unit="u")


def test_no_verdict_other_than_not_supported_or_too_few_has_p_at_least_alpha():
    rng = np.random.default_rng(0)
    rows = []
    for n in range(2, 12):
        for shift in (0.0, 0.5, 1.5):
            df = _pairs(n, shift)
            df["y"] = df["x"] + rng.normal(0, 1, len(df))
            rows.append(
                stats.compare_paired(
                    df, ["x", "y"], "turn", "pair", group_a="answer", group_b="question"
                )
            )
            groups = pd.DataFrame(
                {"g": ["a"] * n + ["b"] * (n + 2), "x": rng.normal(shift, 1, 2 * n + 2)}
            )
            rows.append(stats.compare_groups(groups, "x", "g"))
    table = pd.concat(rows, ignore_index=True)
    decided = table[table["verdict"].isin(["supported", "tentative"])]
    assert len(decided) > 0
    assert (decided["p"] < 0.05).all()
    assert ((decided["ci_low"] > 0) | (decided["ci_high"] < 0)).all()
    excluded = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    assert (table.loc[excluded, "p"] < 0.05).all()


def test_q_is_benjamini_hochberg_over_the_call():
    assert stats.benjamini_hochberg([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.04, 0.04])
    q = stats.benjamini_hochberg(pd.Series([0.02, np.nan], index=["a", "b"]))
    assert q["a"] == pytest.approx(0.02) and np.isnan(q["b"])


def test_hedges_g_by_hand():
    # means 2 and 5, both sd 1, pooled sd 1, J = 1 - 3 / (4 * 4 - 1) = 0.8
    assert stats.hedges_g([1, 2, 3], [4, 5, 6]) == pytest.approx(-3 * 0.8)
    # g_av: mean difference 1, average sd 1, J(n - 1 = 2) = 1 - 3 / 7
    assert stats.hedges_g_paired([2, 3, 4], [1, 2, 3]) == pytest.approx(1 - 3 / 7)
    # a weighted estimate is standardised by the same spread, so g keeps its sign
    assert stats.hedges_g([1, 2, 3], [4, 5, 6], difference=0.5) == pytest.approx(0.5 * 0.8)


# ---------------------------------------------------------------------------------------------
# Leave one unit out
# ---------------------------------------------------------------------------------------------


def test_leave_one_out_names_the_unit_a_finding_rests_on():
    # Seven exchanges: the answer is far above the question in exchange 7 only.
    df = pd.DataFrame(
        {
            "exchange": np.repeat(np.arange(1, 8), 2),
            "turn": ["answer", "question"] * 7,
            "x": [1.1, 1.0, 1.2, 1.0, 1.1, 1.0, 1.3, 1.0, 1.2, 1.0, 1.1, 1.0, 50.0, 1.0],
        }
    )

    def compare(frame):
        return stats.compare_paired(
            frame, "x", "turn", "exchange", group_a="answer", group_b="question"
        )

    result = stats.leave_one_out(compare, df, "exchange")
    row = result.iloc[0]
    assert row["verdict"] == "supported"
    assert row["loo_runs"] == 7
    # without any one exchange 6 pairs remain, still enough to decide
    assert row["loo_same"] == 7


def test_leave_one_out_reports_verdict_changes():
    df = pd.DataFrame(
        {
            "g": ["a"] * 6 + ["b"] * 6,
            "u": np.arange(12),
            "x": [5.0, 5.1, 5.2, 5.3, 5.4, 5.5, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5],
        }
    )

    def compare(frame):
        return stats.compare_groups(frame, "x", "g", unit="u")

    result = stats.leave_one_out(compare, df, "u")
    assert result["verdict"].iat[0] == "supported"
    assert result["loo_same"].iat[0] == 12
    assert result["loo_changes"].iat[0] == ""


# ---------------------------------------------------------------------------------------------
# Descriptive intervals and correlations
# ---------------------------------------------------------------------------------------------


def test_mean_interval_is_a_ratio_of_sums_and_agrees_with_its_p():
    counts = np.array([1.0, 0.0, 4.0, 2.0, 3.0, 1.0, 0.0, 5.0])
    words = np.array([10.0, 20.0, 40.0, 20.0, 30.0, 10.0, 30.0, 40.0])
    found = stats.mean_interval(counts / words, words)
    assert found.estimate == pytest.approx(counts.sum() / words.sum())
    assert found.units == 8
    assert (found.low > 0) == (found.p < 0.05)


def test_mean_interval_refuses_fewer_than_six_units():
    found = stats.mean_interval([0.2, 0.4, -0.1, 0.3], units=["a", "a", "b", "c"])
    assert found.units == 3 and found.too_few
    assert found.estimate == pytest.approx(0.2)


def test_percentile_interval_and_p_agree_at_the_boundary():
    # 2000 replicates with exactly 50 at or below 0: the 50th smallest is 0, p = 0.05.
    replicates = np.r_[np.full(49, -1.0), 0.0, np.linspace(1, 2, 1950)]
    low, high, p = stats._percentile_and_p(replicates, 0.05, 1.0)
    assert low == 0.0 and p == pytest.approx(0.05)
    replicates = np.r_[np.full(49, -1.0), np.linspace(1, 2, 1951)]
    low, high, p = stats._percentile_and_p(replicates, 0.05, 1.0)
    assert low > 0 and p < 0.05


def test_rank_correlation_by_units():
    x = np.arange(40.0)
    y = x + np.random.default_rng(0).normal(0, 4, 40)
    found = stats.rank_correlation(x, y, units=np.repeat(np.arange(10), 4))
    assert found["units"] == 10 and found["n"] == 40
    assert found["ci_low"] < found["rho"] < found["ci_high"]
    assert (found["ci_low"] > 0) == (found["p"] < 0.05)


# ---------------------------------------------------------------------------------------------
# Counts with exposure
# ---------------------------------------------------------------------------------------------


def test_count_model_against_a_hand_worked_poisson_example():
    # a: 3 in 100 words and 5 in 200; b: 2 in 100 and 4 in 300. Pooled rates 8/300 and 6/400,
    # so the rate ratio is (8/300) / (6/400) = 16/9. Each row is its own cluster: the robust
    # variance of log RR is sum_a (y - mu)^2 / Y_a^2 + sum_b (y - mu)^2 / Y_b^2, with fitted
    # mu = pooled rate x words (a: 8/3, 16/3; b: 3/2, 9/2), times statsmodels' small-sample
    # factor G/(G-1) (N-1)/(N-K) = 4/3 * 3/2 = 2.
    df = pd.DataFrame(
        {"count": [3, 5, 2, 4], "words": [100, 200, 100, 300], "g": list("aabb"), "u": [1, 2, 3, 4]}
    )
    found = stats.count_model(df, "count", "words", "g", "a", "b", "u")
    assert found["rate_a"] == pytest.approx(8 / 300)
    assert found["rate_b"] == pytest.approx(6 / 400)
    assert found["rate_ratio"] == pytest.approx(16 / 9)
    variance = 2 * (((3 - 8 / 3) ** 2 + (5 - 16 / 3) ** 2) / 64 + (0.5**2 + 0.5**2) / 36)
    t = 3.182446305284263  # t(0.975, 3 df)
    assert math.log(found["rr_ci_high"] / found["rate_ratio"]) == pytest.approx(
        t * math.sqrt(variance), rel=1e-6
    )
    assert found["clusters"] == 4


def test_count_model_without_a_count_in_one_group_has_no_ratio():
    df = pd.DataFrame({"count": [3, 0], "words": [100, 100], "g": ["a", "b"], "u": [1, 2]})
    found = stats.count_model(df, "count", "words", "g", "a", "b", "u")
    assert np.isnan(found["rate_ratio"]) and found["rate_b"] == 0


# ---------------------------------------------------------------------------------------------
# The same numbers whatever the last bits
# ---------------------------------------------------------------------------------------------


def _perturb(values: np.ndarray, seed: int) -> np.ndarray:
    signs = np.random.default_rng(seed).choice([-1.0, 1.0], size=values.shape)
    return values * (1 + 1e-12 * signs)


def _tied_pairs() -> pd.DataFrame:
    # Six and twenty pairs with many exact ties (zeros, repeated rates), as rates of short turns
    # are, where a statistic that counts ties with the estimate jumps with the last bit.
    rows = []
    for n in (6, 20):
        base = np.tile([0.0, 0.0, 12.5, 25.0, 0.0, 12.5], n)[:n]
        answer = np.tile([12.5, 0.0, 25.0, 25.0, 6.25, 12.5], n)[:n]
        for i in range(n):
            rows.append({"design": n, "pair": i, "turn": "question", "x": base[i], "w": 8 + i})
            rows.append({"design": n, "pair": i, "turn": "answer", "x": answer[i], "w": 80 + i})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_printed_statistic_survives_a_perturbation_of_one_part_in_1e12(seed):
    data = _tied_pairs()
    shaken = data.assign(
        x=_perturb(data["x"].to_numpy(), seed), w=_perturb(data["w"].to_numpy(), seed + 10)
    )

    def everything(frame: pd.DataFrame) -> pd.DataFrame:
        tables = []
        for _n, part in frame.groupby("design"):
            for weights in (None, "w"):
                tables.append(
                    stats.compare_paired(
                        part,
                        "x",
                        "turn",
                        "pair",
                        group_a="answer",
                        group_b="question",
                        weights=weights,
                    )
                )
                tables.append(stats.compare_groups(part, "x", "turn", weights=weights))
                intervals = stats.group_intervals(part, "x", "turn", weights=weights)
                tables.append(intervals.rename(columns={"group": "group_a"}))
            correlation = stats.rank_correlation(
                part.loc[part["turn"] == "answer", "x"], part.loc[part["turn"] == "question", "x"]
            )
            tables.append(correlation.to_frame().T.infer_objects())
        return pd.concat(tables, ignore_index=True)

    before, after = everything(data), everything(shaken)
    # Counts of relabellings (p, q), sizes and verdicts must be identical; estimates and bounds
    # may move by at most a millionth (a bound where two roots meet moves as the square root of
    # the perturbation), far below any printed digit.
    exact = {"p", "q", "min_p", "n", "n_a", "n_b", "units", "too_few", "verdict", "method"}
    for column in before.columns:
        if column in exact or column in ("feature", "group_a", "group_b", "design", "weights"):
            assert before[column].astype(str).equals(after[column].astype(str)), column
        else:
            np.testing.assert_allclose(
                after[column].astype(float), before[column].astype(float), rtol=1e-6, atol=1e-9
            )


# ---------------------------------------------------------------------------------------------
# Calls, columns and words
# ---------------------------------------------------------------------------------------------


def test_results_are_identical_on_every_call_and_random_relabellings_depend_on_the_seed():
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"g": ["a", "b"] * 15, "x": rng.normal(size=30), "y": rng.normal(size=30)})
    first = stats.compare_groups(df, ["x", "y"], "g")
    pd.testing.assert_frame_equal(first, stats.compare_groups(df, ["x", "y"], "g"))
    assert (first["method"] == "random relabellings").all()
    other = stats.compare_groups(df, ["x", "y"], "g", seed=1)
    assert not np.allclose(first["p"], other["p"])


def test_a_feature_gives_the_same_result_whatever_else_is_in_the_call():
    rng = np.random.default_rng(6)
    df = pd.DataFrame({"g": ["a", "b"] * 10, "x": rng.normal(size=20), "y": rng.normal(size=20)})
    alone = stats.compare_groups(df, "y", "g").iloc[0]
    together = stats.compare_groups(df, ["x", "y"], "g").iloc[1]
    for column in ["estimate", "ci_low", "ci_high", "p"]:
        assert alone[column] == together[column]


def test_missing_values_are_dropped_per_feature():
    df = pd.DataFrame(
        {
            "g": ["a"] * 4 + ["b"] * 4,
            "x": [1.0, np.nan, 3, 4, 5, 6, 7, 8],
            "y": [1.0, 2, 3, 4, 5, 6, 7, np.nan],
        }
    )
    result = stats.compare_groups(df, ["x", "y"], "g").set_index("feature")
    assert result.loc["x", ["n_a", "n_b"]].tolist() == [3, 4]
    assert result.loc["y", ["n_a", "n_b"]].tolist() == [4, 3]
    assert result.loc["x", "mean_a"] == pytest.approx(8 / 3)


def test_more_than_two_groups_all_pairs_or_against_a_reference():
    df = pd.DataFrame({"g": list("aabbcc") * 2, "x": np.arange(12, dtype=float)})
    pairs = stats.compare_groups(df, "x", "g")
    assert list(zip(pairs["group_a"], pairs["group_b"], strict=True)) == [
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
    ]
    np.testing.assert_allclose(pairs["q"], stats.benjamini_hochberg(pairs["p"].to_numpy()))
    against = stats.compare_groups(df, "x", "g", reference="b")
    assert list(zip(against["group_a"], against["group_b"], strict=True)) == [
        ("a", "b"),
        ("c", "b"),
    ]
    with pytest.raises(ValueError, match="reference"):
        stats.compare_groups(df, "x", "g", reference="z")


def test_missing_column_is_reported():
    with pytest.raises(KeyError, match="nope"):
        stats.compare_groups(pd.DataFrame({"g": ["a"], "x": [1.0]}), "nope", "g")


def test_paired_needs_two_groups_or_an_explicit_pair_of_groups():
    df = pd.DataFrame({"s": list("ABC"), "q": [1, 1, 1], "x": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="exactly two groups"):
        stats.compare_paired(df, "x", "s", "q")
    table = stats.compare_paired(df, "x", "s", "q", group_a="A", group_b="C")
    assert table["n_a"].iat[0] == 1 and table["verdict"].iat[0] == "too few units"


def test_describe_words_a_paired_row_with_its_verdict():
    from comparison_rows import paired_row

    (line,) = stats.describe(
        paired_row(
            "we",
            mean_a=30.0,
            mean_b=5.0,
            estimate=25.0,
            ci_low=16.0,
            ci_high=34.0,
            hedges_g=2.0,
            p=0.0004,
            q=0.002,
        ),
        names={"answer": "answers"},
        unit=lambda f: "per 1,000 words",
    )
    assert line == (
        "we: higher in answers than in question by 25 per 1,000 words (means 30 vs 5; 95% CI 16 "
        "to 34; n = 20 pairs; g = 2.00; p < 0.001, q = 0.002) - supported: p < 0.05 and q < "
        "0.05: the interval excludes 0 and the difference survives the correction for the "
        "number of measures compared."
    )


@pytest.mark.parametrize(
    ("values", "ending"),
    [
        ({"q": 0.2}, "tentative: p < 0.05 but q >= 0.05"),
        ({"ci_low": -0.01, "p": 0.2, "q": 0.3}, "not supported: p >= 0.05"),
    ],
)
def test_describe_words_each_verdict(values, ending):
    from comparison_rows import paired_row

    (line,) = stats.describe(paired_row(**values), number=stats.decimals({}, 3))
    assert line.startswith("x: higher in answer than in question by 0.050 (means 1.650")
    assert f" - {ending}" in line


def test_describe_says_too_few_units_with_the_smallest_p():
    from comparison_rows import paired_row

    row = paired_row(n_a=5, n_b=5, min_p=0.0625, p=0.0625, ci_low=np.nan, ci_high=np.nan)
    (line,) = stats.describe(row)
    assert line == (
        "x: answer against question, n = 5 pairs: too few units to decide: the exact test "
        "cannot reach p < 0.05 with this n (smallest possible p = 0.0625)."
    )


def test_describe_independent_groups_sizes_and_signless_zero():
    from comparison_rows import paired_row

    number = stats.decimals({}, 3)
    groups = paired_row(design="independent", n_a=6, n_b=14, min_p=1 / 38760)
    assert "n = 6 and 14;" in stats.describe(groups, number=number)[0]
    near_zero = paired_row(ci_low=-0.0004, p=0.06, q=0.06)
    assert "95% CI 0.000 to 0.090" in stats.describe(near_zero, number=number)[0]


def test_with_interval_text():
    assert stats.with_interval(1.234, 0.5, 2.0) == "1.23 [0.50, 2.00]"
    assert stats.with_interval(1.0, np.nan, np.nan) == "1.00 (too few units for an interval)"
    assert stats.with_interval(np.nan, np.nan, np.nan) == "no value"


def test_min_p_of_random_relabellings_is_twice_one_in_those_drawn():
    table = stats.compare_paired(
        _pairs(20), "x", "turn", "pair", group_a="answer", group_b="question"
    )
    assert table["method"].iat[0] == "random relabellings"
    assert table["min_p"].iat[0] == pytest.approx(2 / (stats.N_PERMUTATIONS + 1))


def test_auc_interval_by_hand_and_by_cluster():
    # Pairs (positive, negative): 0.35>0.1, 0.35<0.4, 0.8>0.1, 0.8>0.4: 3 of 4 ordered.
    few = stats.auc_interval([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    assert few.estimate == 0.75 and few.too_few and few.units == 4
    labels = [0, 1] * 6
    perfect = stats.auc_interval(labels, [0.1, 0.9] * 6, units=np.repeat(np.arange(6), 2), seed=1)
    assert (perfect.estimate, perfect.low, perfect.high, perfect.units) == (1.0, 1.0, 1.0, 6)
    assert perfect.p < 0.05
    assert np.isnan(stats.auc_interval([1, 1, 1], [0.2, 0.3, 0.4]).estimate)
