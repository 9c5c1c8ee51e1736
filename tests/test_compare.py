"""Tests for discourse.compare: hand-computed statistics on tiny samples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from comparison_rows import paired_row
from scipy import stats
from sklearn.base import clone

from discourse import compare
from discourse.compare import (
    SMALL_SAMPLE,
    FightinWords,
    benjamini_hochberg,
    bootstrap_mean,
    compare_groups,
    group_intervals,
    hedges_g,
    kwic,
    kwic_examples,
    paired_compare,
    ranking_stability,
)

FAST = {"n_resamples": 199, "n_permutations": 999}


def clustered_frame(rows_per_unit: int = 10) -> pd.DataFrame:
    """Two groups of three units; every row of a unit has the unit's value (a: 0, 1, 2;
    b: 3, 4, 5), so rows within a unit are perfectly correlated."""
    records = [
        (group, f"{group}{k}", value)
        for group, values in (("a", (0.0, 1.0, 2.0)), ("b", (3.0, 4.0, 5.0)))
        for k, value in enumerate(values)
        for _ in range(rows_per_unit)
    ]
    return pd.DataFrame(records, columns=["group", "unit", "x"])


# --- Benjamini-Hochberg ------------------------------------------------------------------------


def test_benjamini_hochberg_on_a_hand_computed_vector():
    # sorted p: 0.01, 0.03, 0.04, 0.2 (m = 4); m p / rank: 0.04, 0.06, 0.0533.., 0.2;
    # running minimum from the top: 0.04, 0.0533.., 0.0533.., 0.2; back in input order:
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.2])
    np.testing.assert_allclose(q, [0.04, 0.16 / 3, 0.16 / 3, 0.2])


def test_benjamini_hochberg_keeps_missing_values_out_of_the_family_and_keeps_the_index():
    p = pd.Series([0.01, np.nan, 0.04], index=["x", "y", "z"])
    q = benjamini_hochberg(p)
    assert q.index.tolist() == ["x", "y", "z"]
    assert q["x"] == pytest.approx(0.02)  # m = 2, not 3
    assert math.isnan(q["y"])
    assert q["z"] == pytest.approx(0.04)
    assert benjamini_hochberg([]).shape == (0,)


# --- Effect size -------------------------------------------------------------------------------


def test_hedges_g_hand_value():
    # means 2 and 5, both SD 1, so pooled SD 1 and d = -3; J = 1 - 3 / (4 * 4 - 1) = 0.8
    assert hedges_g([1, 2, 3], [4, 5, 6]) == pytest.approx(-2.4)
    assert math.isnan(hedges_g([1], [2, 3]))
    assert math.isnan(hedges_g([1, 1], [1, 1]))


# --- compare_groups ----------------------------------------------------------------------------


def test_identical_groups_give_estimate_zero_and_p_one():
    df = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4, "x": [1.0, 2, 3, 4] * 2})
    row = compare_groups(df, "x", "g", **FAST).iloc[0]
    assert row["estimate"] == 0
    assert row["p"] == 1
    assert row["ci_low"] <= 0 <= row["ci_high"]
    assert row["hedges_g"] == 0


@pytest.mark.parametrize(("n", "combinations"), [(3, 20), (4, 70)])
def test_separated_groups_have_the_exact_two_sided_permutation_p(n, combinations):
    # All C(2n, n) relabellings are enumerated; only the observed split and its mirror image are
    # as extreme as the data, so p = 2 / C(2n, n).
    df = pd.DataFrame({"g": ["a"] * n + ["b"] * n, "x": np.arange(2 * n, dtype=float)})
    row = compare_groups(df, "x", "g", **FAST).iloc[0]
    assert math.comb(2 * n, n) == combinations
    assert row["p"] == pytest.approx(2 / combinations)
    assert row["estimate"] == pytest.approx(-float(n))
    assert row["mean_a"] == pytest.approx((n - 1) / 2)
    assert (row["n_a"], row["n_b"]) == (n, n)


def test_results_are_identical_on_every_call_and_depend_on_the_seed():
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"g": ["a", "b"] * 15, "x": rng.normal(size=30), "y": rng.normal(size=30)})
    first = compare_groups(df, ["x", "y"], "g", **FAST)
    again = compare_groups(df, ["x", "y"], "g", **FAST)
    pd.testing.assert_frame_equal(first, again)
    other = compare_groups(df, ["x", "y"], "g", seed=1, **FAST)
    assert not np.allclose(first["ci_low"], other["ci_low"])


def test_a_feature_gives_the_same_result_whatever_else_is_in_the_call():
    rng = np.random.default_rng(6)
    df = pd.DataFrame({"g": ["a", "b"] * 10, "x": rng.normal(size=20), "y": rng.normal(size=20)})
    alone = compare_groups(df, "y", "g", **FAST).iloc[0]
    together = compare_groups(df, ["x", "y"], "g", **FAST).iloc[1]
    for column in ["estimate", "ci_low", "ci_high", "p"]:
        assert alone[column] == together[column]


def test_unit_permutation_test_permutes_whole_units():
    # 3 units per group, perfectly separated: at unit level there are C(6, 3) = 20 relabellings,
    # so p = 2 / 20 whatever the number of rows per unit; treating the 60 rows as independent
    # gives a far smaller p (the pseudo-replication the clustering guards against).
    df = clustered_frame()
    clustered = compare_groups(df, "x", "group", unit="unit", **FAST).iloc[0]
    rows = compare_groups(df, "x", "group", **FAST).iloc[0]
    assert clustered["p"] == pytest.approx(0.1)
    # random relabellings: none is as extreme, so p = 2 * (0 + 1) / (999 + 1)
    assert rows["p"] == pytest.approx(2 / 1000)
    assert (clustered["n_a"], clustered["units_a"]) == (30, 3)
    assert (rows["n_a"], rows["units_a"]) == (30, 30)
    assert clustered["small_sample"] and not rows["small_sample"]


def test_unit_bootstrap_interval_is_much_wider_than_the_row_interval():
    df = clustered_frame()
    clustered = compare_groups(df, "x", "group", unit="unit", **FAST).iloc[0]
    rows = compare_groups(df, "x", "group", **FAST).iloc[0]
    assert clustered["estimate"] == rows["estimate"] == pytest.approx(-3.0)
    width_clustered = clustered["ci_high"] - clustered["ci_low"]
    width_rows = rows["ci_high"] - rows["ci_low"]
    assert width_clustered > 2 * width_rows


def test_unit_mean_is_the_pooled_row_mean_for_unequal_units():
    df = pd.DataFrame(
        {
            "group": ["a", "a", "a", "a", "b", "b", "b"],
            "unit": ["u", "u", "u", "v", "w", "w", "z"],
            "x": [1.0, 1.0, 1.0, 5.0, 2.0, 2.0, 8.0],
        }
    )
    row = compare_groups(df, "x", "group", unit="unit", **FAST).iloc[0]
    # pooled rows: a = (1 + 1 + 1 + 5) / 4 = 2; b = (2 + 2 + 8) / 3 = 4
    assert row["mean_a"] == pytest.approx(2.0)
    assert row["estimate"] == pytest.approx(-2.0)
    # 2 + 2 units: C(4, 2) = 6 relabellings of units (sums/rows u 3/3, v 5/1, w 4/2, z 8/1):
    #   a={u,v}: 8/4 - 12/3 = -2 (observed)   a={w,z}: +2
    #   a={u,w}: 7/5 - 13/2 = -5.1            a={v,z}: +5.1
    #   a={u,z}: 11/4 - 9/3 = -0.25           a={v,w}: +0.25
    # two-sided p = 2 * min(P(T <= -2), P(T >= -2)) = 2 * 2/6
    assert row["p"] == pytest.approx(4 / 6)


def test_units_spanning_groups_are_refused():
    df = pd.DataFrame({"g": ["a", "b"], "u": [1, 1], "x": [1.0, 2.0]})
    with pytest.raises(ValueError, match="nest within groups"):
        compare_groups(df, "x", "g", unit="u", **FAST)


def test_missing_values_are_dropped_per_feature():
    df = pd.DataFrame(
        {
            "g": ["a"] * 4 + ["b"] * 4,
            "x": [1.0, np.nan, 3, 4, 5, 6, 7, 8],
            "y": [1.0, 2, 3, 4, 5, 6, 7, np.nan],
        }
    )
    result = compare_groups(df, ["x", "y"], "g", **FAST).set_index("feature")
    assert result.loc["x", ["n_a", "n_b"]].tolist() == [3, 4]
    assert result.loc["y", ["n_a", "n_b"]].tolist() == [4, 3]
    assert result.loc["x", "mean_a"] == pytest.approx(8 / 3)


def test_more_than_two_groups_all_pairs_or_against_a_reference():
    df = pd.DataFrame({"g": list("aabbcc") * 2, "x": np.arange(12, dtype=float)})
    pairs = compare_groups(df, "x", "g", **FAST)
    assert list(zip(pairs["group_a"], pairs["group_b"], strict=True)) == [
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
    ]
    np.testing.assert_allclose(pairs["q"], benjamini_hochberg(pairs["p"].to_numpy()))
    against = compare_groups(df, "x", "g", reference="b", **FAST)
    assert list(zip(against["group_a"], against["group_b"], strict=True)) == [
        ("a", "b"),
        ("c", "b"),
    ]
    with pytest.raises(ValueError, match="reference"):
        compare_groups(df, "x", "g", reference="z", **FAST)


@pytest.mark.parametrize(("n", "flag"), [(SMALL_SAMPLE - 1, True), (SMALL_SAMPLE, False)])
def test_small_sample_flag_threshold(n, flag):
    df = pd.DataFrame({"g": ["a"] * n + ["b"] * 12, "x": np.arange(n + 12, dtype=float)})
    assert compare_groups(df, "x", "g", **FAST).loc[0, "small_sample"] == flag


def test_median_statistic_estimates_the_difference_of_medians():
    df = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 3, "x": [1.0, 2, 10, 4, 5, 6]})
    row = compare_groups(df, "x", "g", statistic="median", **FAST).iloc[0]
    assert row["estimate"] == pytest.approx(2 - 5)
    assert row["mean_a"] == pytest.approx(13 / 3)
    with pytest.raises(ValueError, match="statistic"):
        compare_groups(df, "x", "g", statistic="mode", **FAST)


def test_missing_column_is_reported():
    with pytest.raises(KeyError, match="nope"):
        compare_groups(pd.DataFrame({"g": ["a"], "x": [1.0]}), "nope", "g")


# --- paired_compare ----------------------------------------------------------------------------


def paired_frame() -> pd.DataFrame:
    # differences a - b per question: 2, 2, 4, 4
    return pd.DataFrame(
        {
            "slate": ["A", "B"] * 4,
            "question": [1, 1, 2, 2, 3, 3, 4, 4],
            "x": [3.0, 1, 4, 2, 5, 1, 6, 2],
        }
    )


def test_paired_sign_flip_p_and_hand_values():
    row = paired_compare(paired_frame(), "x", "slate", "question", **FAST).iloc[0]
    assert row["n_pairs"] == 4
    assert row["estimate"] == pytest.approx(3.0)
    assert (row["mean_a"], row["mean_b"]) == (pytest.approx(4.5), pytest.approx(1.5))
    # 2^4 = 16 sign patterns; only all-plus and all-minus reach |mean d| = 3: p = 2 / 16
    assert row["p"] == pytest.approx(2 / 16)
    # g_av = J(3) * 3 / ((sd(3, 4, 5, 6) + sd(1, 2, 1, 2)) / 2), J(3) = 1 - 3 / 11
    average_sd = (np.std([3, 4, 5, 6], ddof=1) + np.std([1, 2, 1, 2], ddof=1)) / 2
    assert row["hedges_g"] == pytest.approx((1 - 3 / 11) * 3 / average_sd)
    # every resampled mean of (2, 2, 4, 4) lies in [2, 4]
    assert 2 <= row["ci_low"] <= 3 <= row["ci_high"] <= 4
    assert row["small_sample"]


def test_paired_drops_incomplete_pairs_and_refuses_duplicates():
    df = pd.concat(
        [paired_frame(), pd.DataFrame({"slate": ["A"], "question": [5], "x": [9.0]})],
        ignore_index=True,
    )
    assert paired_compare(df, "x", "slate", "question", **FAST).loc[0, "n_pairs"] == 4
    duplicated = pd.concat([paired_frame(), paired_frame().iloc[:1]], ignore_index=True)
    with pytest.raises(ValueError, match="more than one row"):
        paired_compare(duplicated, "x", "slate", "question", **FAST)


def test_paired_identical_slates_give_p_one():
    df = paired_frame().assign(x=[1.0, 1, 2, 2, 3, 3, 4, 4])
    row = paired_compare(df, "x", "slate", "question", **FAST).iloc[0]
    assert row["estimate"] == 0
    assert row["p"] == 1
    assert row["ci_low"] == row["ci_high"] == 0  # every resample of (0, 0, 0, 0) is 0


def test_paired_needs_two_groups_or_an_explicit_pair_of_groups():
    df = pd.concat([paired_frame(), pd.DataFrame({"slate": ["C"], "question": [1], "x": [0.0]})])
    with pytest.raises(ValueError, match="exactly two groups"):
        paired_compare(df, "x", "slate", "question")
    row = paired_compare(df, "x", "slate", "question", group_a="B", group_b="A", **FAST)
    assert row.loc[0, "estimate"] == pytest.approx(-3.0)


# --- bootstrap_mean and group_intervals ------------------------------------------------------


def test_cluster_bootstrap_of_equal_constant_units_equals_bootstrap_of_unit_means():
    # With equal-sized units that are constant inside, the pooled mean of drawn units is the mean
    # of their unit means: resampling whole units must give exactly the interval of the unit
    # means, while resampling rows gives a much narrower one.
    df = clustered_frame().query("group == 'a'")
    by_unit = bootstrap_mean(df["x"], df["unit"], n_resamples=199, seed=3)
    of_means = bootstrap_mean([0.0, 1.0, 2.0], n_resamples=199, seed=3)
    of_rows = bootstrap_mean(df["x"], n_resamples=199, seed=3)
    assert by_unit.estimate == of_means.estimate == pytest.approx(1.0)
    assert (by_unit.low, by_unit.high) == pytest.approx((of_means.low, of_means.high))
    assert by_unit.n == 30 and of_means.n == 3
    assert of_rows.high - of_rows.low < (by_unit.high - by_unit.low) / 2


def test_bootstrap_mean_edge_cases():
    assert bootstrap_mean([2.0, 2.0, 2.0], n_resamples=99) == (2.0, 2.0, 2.0, 3)
    single = bootstrap_mean([np.nan, 4.0], n_resamples=99)
    assert single.estimate == 4.0 and single.n == 1 and math.isnan(single.low)
    empty = bootstrap_mean([], n_resamples=99)
    assert empty.n == 0 and math.isnan(empty.estimate)
    values = [1.0, 5, 2, 8, 3]
    assert bootstrap_mean(values, n_resamples=99) == bootstrap_mean(values, n_resamples=99)


def test_group_intervals_columns_and_flags():
    df = clustered_frame()
    table = group_intervals(df, "x", "group", unit="unit", n_resamples=99)
    assert table.columns.tolist() == [
        "feature",
        "group",
        "n",
        "units",
        "estimate",
        "ci_low",
        "ci_high",
        "small_sample",
    ]
    assert table["group"].tolist() == ["a", "b"]
    assert table["n"].tolist() == [30, 30]
    assert table["units"].tolist() == [3, 3]
    assert table["estimate"].tolist() == pytest.approx([1.0, 4.0])
    assert table["small_sample"].all()
    rows = group_intervals(df, "x", "group", n_resamples=99)
    assert not rows["small_sample"].any()


# --- Fightin' Words ---------------------------------------------------------------------------

# Group a: "we win we" (we 2, win 1; n_a = 3). Group b: "they win" (they 1, win 1; n_b = 2).
# Corpus prior scaled to the pooled token count (prior_scale=5): alpha_w = pooled count:
# we 2, win 2, they 1; alpha_0 = 5.
#   we:   delta = log((2+2)/(3+5-2-2)) - log((0+2)/(2+5-0-2)) = log(4/4) - log(2/5) = log 2.5
#         var = 1/(2+2) + 1/(0+2) = 0.75,                      z = log 2.5 / sqrt 0.75
#   win:  delta = log((1+2)/(3+5-1-2)) - log((1+2)/(2+5-1-2)) = log(3/5) - log(3/4) = log 0.8
#         var = 1/3 + 1/3 = 2/3
#   they: delta = log((0+1)/(3+5-0-1)) - log((1+1)/(2+5-1-1)) = log(1/7) - log(2/5) = log(5/14)
#         var = 1/1 + 1/2 = 1.5
# Full variance of "we" adds 1/(3+5-2-2) + 1/(2+5-0-2) = 1/4 + 1/5: 0.75 + 0.45 = 1.2.
# Constant prior alpha_w = 1 (alpha_0 = 3), "we": delta = log(3/3) - log(1/4) = log 4,
#   var = 1/3 + 1/1 = 4/3.
TEXTS = ["we win we", "they win"]
GROUPS = ["a", "b"]


def test_fightin_words_hand_values_with_the_pooled_counts_as_prior():
    table = FightinWords(prior_scale=5).fit(TEXTS, GROUPS).results().set_index("term")
    assert table.index.tolist() == ["we", "win", "they"]  # z descending
    expected = {"we": (math.log(2.5), 0.75), "win": (math.log(0.8), 2 / 3)}
    expected["they"] = (math.log(5 / 14), 1.5)
    for term, (delta, variance) in expected.items():
        assert table.loc[term, "delta"] == pytest.approx(delta)
        assert table.loc[term, "variance"] == pytest.approx(variance)
        assert table.loc[term, "z"] == pytest.approx(delta / math.sqrt(variance))
    assert table.loc["we", "z"] == pytest.approx(1.058041, abs=1e-6)
    assert table.loc["we", "p"] == pytest.approx(2 * stats.norm.sf(1.058041), abs=1e-6)
    assert table.loc["we", ["count_a", "count_b", "freq"]].tolist() == [2, 0, 2]
    assert table.loc["we", "log_freq"] == pytest.approx(math.log10(2))
    np.testing.assert_allclose(table["q"], benjamini_hochberg(table["p"].to_numpy()))
    assert (table["group_a"] == "a").all() and (table["group_b"] == "b").all()


# Default scale: alpha_0 = 0.1 * min(n_a, n_b) = 0.1 * 2 = 0.2, alpha_w = 0.2 * pooled / 5:
# we 0.08, win 0.08, they 0.04.
#   we:   delta = log((2+0.08)/(3+0.2-2-0.08)) - log((0+0.08)/(2+0.2-0-0.08))
#               = log(2.08/1.12) - log(0.08/2.12) = log(2.08 * 2.12 / (1.12 * 0.08)),
#         var = 1/2.08 + 1/0.08
#   they: delta = log((0+0.04)/(3+0.2-0-0.04)) - log((1+0.04)/(2+0.2-1-0.04))
#               = log(0.04/3.16) - log(1.04/1.16),  var = 1/0.04 + 1/1.04
@pytest.mark.parametrize(
    ("term", "delta", "variance"),
    [
        ("we", math.log(2.08 * 2.12 / (1.12 * 0.08)), 1 / 2.08 + 1 / 0.08),
        ("win", math.log(1.08 / 2.12) - math.log(1.08 / 1.12), 2 / 1.08),
        ("they", math.log(0.04 / 3.16) - math.log(1.04 / 1.16), 1 / 0.04 + 1 / 1.04),
    ],
)
def test_fightin_words_default_prior_is_a_tenth_of_the_smaller_group(term, delta, variance):
    model = FightinWords().fit(TEXTS, GROUPS)
    assert model.alpha0_ == pytest.approx(0.2)
    table = model.results().set_index("term")
    assert table.loc[term, "delta"] == pytest.approx(delta)
    assert table.loc[term, "variance"] == pytest.approx(variance)
    assert table.loc[term, "z"] == pytest.approx(delta / math.sqrt(variance))


def test_fightin_words_default_prior_shrinks_less_than_the_pooled_counts():
    # 40 "we" among 100 tokens of group a, 2 among 100 of group b: the weaker default prior
    # leaves the larger |z| (the pooled-count prior pulls both rates halfway together).
    texts = [" ".join(["we"] * 40 + ["x"] * 60), " ".join(["we"] * 2 + ["x"] * 98)]
    weak = FightinWords().fit(texts, GROUPS).results().set_index("term")
    strong = FightinWords(prior_scale=200).fit(texts, GROUPS).results().set_index("term")
    assert weak.loc["we", "z"] > strong.loc["we", "z"] > 0


def test_fightin_words_full_variance_and_constant_prior():
    full = FightinWords(prior_scale=5, variance="full").fit(TEXTS, GROUPS).results()
    full = full.set_index("term")
    assert full.loc["we", "variance"] == pytest.approx(1.2)
    flat = FightinWords(prior=1.0).fit(TEXTS, GROUPS).results().set_index("term")
    assert flat.loc["we", "delta"] == pytest.approx(math.log(4))
    assert flat.loc["we", "variance"] == pytest.approx(4 / 3)


def test_fightin_words_prior_scale_sets_alpha_zero():
    model = FightinWords(prior_scale=10).fit(TEXTS, GROUPS)
    # alpha_w = 10 * pooled count / 5
    alpha = dict(zip(model.vocabulary_, model.alpha_, strict=True))
    assert alpha == pytest.approx({"they": 2.0, "we": 4.0, "win": 4.0})
    assert model.alpha0_ == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"prior_scale": 0}, "prior_scale"),
        ({"prior_scale": -1.0}, "prior_scale"),
        ({"prior": "flat"}, "prior"),
        ({"prior": 0.0}, "constant prior"),
    ],
)
def test_fightin_words_refuses_an_improper_prior(params, message):
    with pytest.raises(ValueError, match=message):
        FightinWords(**params).fit(TEXTS, GROUPS)


def test_fightin_words_group_a_flips_the_sign_and_min_count_filters():
    flipped = FightinWords(group_a="b", prior_scale=5).fit(TEXTS, GROUPS).results()
    flipped = flipped.set_index("term")
    assert flipped.loc["we", "z"] == pytest.approx(-1.058041, abs=1e-6)
    model = FightinWords(min_count=2).fit(TEXTS, GROUPS)
    assert model.get_feature_names_out().tolist() == ["we", "win"]
    assert model.n_a_ == 3 and model.n_b_ == 2  # totals keep the filtered terms


def test_fightin_words_follows_scikit_learn_conventions():
    model = FightinWords(min_count=2, prior=0.5)
    assert model.get_params()["min_count"] == 2
    assert clone(model).get_params() == model.get_params()
    assert model.fit(TEXTS, GROUPS) is model
    with pytest.raises(ValueError, match="exactly two groups"):
        FightinWords().fit(["a", "b", "c"], ["x", "y", "z"])
    with pytest.raises(ValueError, match="variance"):
        FightinWords(variance="exact").fit(TEXTS, GROUPS)


def test_ranking_stability_of_a_term_present_in_every_unit_of_one_group():
    # "alpha" is in every text of group a and in none of group b: any resample of units keeps
    # it at the top of group a; the filler words vary.
    texts = [f"alpha alpha w{k} w{k + 1}" for k in range(6)] + [
        f"beta beta w{k} w{k + 2}" for k in range(6)
    ]
    groups = ["a"] * 6 + ["b"] * 6
    result = ranking_stability(texts, groups, n_boot=30, top=2, seed=1)
    terms = result.terms.set_index("term")
    assert terms.loc["alpha", ["group", "rank"]].tolist() == ["a", 1]
    assert terms.loc["alpha", "top_share"] == 1.0
    assert terms.loc["beta", "top_share"] == 1.0
    assert result.jaccard["n_boot"].tolist() == [30, 30]
    assert ((result.jaccard["mean_jaccard"] > 0) & (result.jaccard["mean_jaccard"] <= 1)).all()
    again = ranking_stability(texts, groups, n_boot=30, top=2, seed=1)
    pd.testing.assert_frame_equal(result.terms, again.terms)
    pd.testing.assert_frame_equal(result.jaccard, again.jaccard)


def test_ranking_stability_refuses_units_across_groups():
    with pytest.raises(ValueError, match="nest within groups"):
        ranking_stability(TEXTS, GROUPS, units=[1, 1], n_boot=2)


# --- kwic --------------------------------------------------------------------------------------


def test_kwic_matches_whole_words_case_insensitively_with_offsets_and_context():
    texts = pd.Series(
        ["We are anti-racist. Racism is real. Racist? No.", "Don't be racist!"],
        index=["p1", "p2"],
    )
    table = kwic(texts, "racist", context=True)
    assert table[["unit", "sentence_no", "match"]].values.tolist() == [
        ["p1", 2, "Racist"],
        ["p2", 0, "racist"],
    ]
    for row in table.itertuples():
        assert row.sentence[row.start : row.end] == row.match
    assert table.loc[0, ["previous", "next"]].tolist() == ["Racism is real.", "No."]
    assert table.loc[1, ["previous", "next"]].tolist() == ["", ""]
    assert table.loc[1, ["left", "right"]].tolist() == ["Don't be", "!"]


def test_kwic_phrases_do_not_cross_punctuation_and_window_trims():
    texts = ["We need to organise now.", "We need, to be honest, members."]
    table = kwic(texts, "Need To", window=3)
    assert table["unit"].tolist() == [0]
    assert table.loc[0, ["match", "left", "right"]].tolist() == ["need to", "We", "org"]
    assert kwic(texts, "don").empty
    with pytest.raises(ValueError):
        kwic(texts, "  ")


def test_kwic_examples_takes_the_first_occurrences_in_distinct_units():
    texts = pd.Series(
        ["We win. We vote.", "They win.", "We organise."], index=pd.Index([1, 1, 2], name="ex")
    )
    table = kwic_examples(texts, ["we", "they", "absent"], per_term=2)
    assert table[["term", "unit", "sentence"]].values.tolist() == [
        ["we", 1, "We win."],
        ["we", 2, "We organise."],
        ["they", 1, "They win."],
    ]
    assert table["occurrences"].tolist() == [3, 3, 1]
    every = kwic_examples(texts, ["we"], per_term=5, distinct_units=False)
    assert every["sentence"].tolist() == ["We win.", "We vote.", "We organise."]
    assert kwic_examples(texts, []).empty
    with pytest.raises(ValueError, match="per_term"):
        kwic_examples(texts, ["we"], per_term=0)


@pytest.mark.parametrize(
    ("low", "high", "q", "expected"),
    [
        (0.2, 0.9, 0.01, "supported"),
        (-0.9, -0.2, 0.04, "supported"),
        (0.2, 0.9, 0.05, "tentative"),
        (-0.2, 0.9, 0.001, "not supported"),
        (float("nan"), 0.9, 0.001, "no interval"),
    ],
)
def test_verdict_requires_interval_and_q(low, high, q, expected):
    assert compare.verdict(low, high, q) == expected


def test_describe_differences_words_a_paired_row():
    row = pd.DataFrame(
        {
            "feature": ["we"],
            "group_a": ["answer"],
            "group_b": ["question"],
            "mean_a": [30.0],
            "mean_b": [5.0],
            "estimate": [25.0],
            "ci_low": [16.0],
            "ci_high": [34.0],
            "hedges_g": [2.0],
            "p": [0.0004],
            "q": [0.002],
            "n_pairs": [20],
            "small_sample": [False],
        }
    )
    (line,) = compare.describe_differences(
        row, names={"answer": "answers"}, unit=lambda f: "per 1,000 words"
    )
    assert line == (
        "we: higher in answers than in question by 25 per 1,000 words (means 30 vs 5; 95% CI 16 "
        "to 34; n = 20 pairs; g = 2.00; p < 0.001, q = 0.002) - the interval excludes 0 and "
        "q < 0.05."
    )


@pytest.mark.parametrize(
    ("values", "verdict"),
    [
        ({}, "the interval excludes 0 and q < 0.05."),
        ({"q": 0.2}, "the interval excludes 0 and q >= 0.05: tentative."),
        ({"ci_low": -0.01}, "the interval includes 0: no clear difference."),
        ({"ci_low": np.nan, "ci_high": np.nan}, "no interval."),
    ],
)
def test_describe_differences_verdicts(values, verdict):
    (line,) = compare.describe_differences(
        paired_row(**values), number=compare.decimals({}, 3), names={"answer": "answers"}
    )
    assert line.startswith("x: higher in answers than in question by 0.050 (means 1.650")
    assert line.endswith(" - " + verdict)


def test_describe_differences_direction_sizes_and_flags():
    number = compare.decimals({}, 3)
    lower = paired_row(estimate=-0.05, ci_low=-0.09, ci_high=-0.01, p=0.0001, small_sample=True)
    (line,) = compare.describe_differences(lower, number=number)
    assert "lower in answer than in question by 0.050" in line
    assert "n = 20 pairs, small sample; g = 0.50; p < 0.001, q = 0.012" in line
    (unflagged,) = compare.describe_differences(lower, number=number, flag_small=False)
    assert "n = 20 pairs; g" in unflagged
    groups = paired_row().drop(columns="n_pairs").assign(n_a=6, n_b=14)
    assert "n = 6 and 14;" in compare.describe_differences(groups, number=number)[0]
    zero = compare.describe_differences(paired_row(estimate=0.0), number=number)[0]
    assert "no difference between" in zero
    near_zero = compare.describe_differences(paired_row(ci_low=-0.0004), number=number)[0]
    assert "95% CI 0.000 to 0.090" in near_zero  # never "-0.000"


# --- rank_correlation -----------------------------------------------------------------------


def test_rank_correlation_by_hand():
    # Ranks of y are 1, 3, 2, 4: d = 0, -1, 1, 0, so rho = 1 - 6 * 2 / (4 * 15) = 0.8.
    result = compare.rank_correlation([10, 20, 30, 40], [1.0, 3.0, 2.0, 4.0], seed=1)
    assert result["rho"] == pytest.approx(0.8)
    assert result["n"] == 4
    assert result["small_sample"]
    assert result["ci_low"] <= result["rho"] <= result["ci_high"]


def test_rank_correlation_interval_is_scipys_paired_bootstrap_of_spearmanr():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 8, 25).astype(float)  # ties included
    y = x + rng.normal(0, 3, 25)
    expected = stats.bootstrap(
        (x, y),
        lambda a, b: stats.spearmanr(a, b).statistic,
        paired=True,
        vectorized=False,
        n_resamples=500,
        method="percentile",
        rng=np.random.default_rng(11),
    ).confidence_interval
    result = compare.rank_correlation(x, y, n_resamples=500, seed=11)
    assert result["rho"] == pytest.approx(stats.spearmanr(x, y).statistic)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((expected.low, expected.high))
    assert not result["small_sample"]


def test_rank_correlation_drops_missing_pairs_and_is_nan_when_undefined():
    dropped = compare.rank_correlation([1, 2, np.nan, 4, 5], [2, 1, 9, 4, 3], seed=0)
    kept = compare.rank_correlation([1, 2, 4, 5], [2, 1, 4, 3], seed=0)
    assert dropped.equals(kept)
    assert np.isnan(compare.rank_correlation([1, 2], [2, 1])["rho"])
    constant = compare.rank_correlation([1, 1, 1, 1], [1, 2, 3, 4])
    assert np.isnan(constant[["rho", "ci_low", "ci_high", "p_value"]].astype(float)).all()
    assert constant["n"] == 4
