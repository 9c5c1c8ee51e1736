"""Tests for discourse.compare: Fightin' Words by hand, ranking stability, slate keyness."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.base import clone

from discourse import compare, concordance
from discourse.compare import (
    ALL_ANSWERS,
    SHARED_ANSWERS,
    SLATE_KEYNESS_COLUMNS,
    FightinWords,
    describe_slate_keyness,
    ranking_stability,
    slate_keyness,
)
from discourse.stats import benjamini_hochberg

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


# --- slate against slate ---------------------------------------------------------------------


def _answers(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["slate", "question_key", "text"])


def test_slate_keyness_uses_the_answers_to_shared_questions():
    # A answered k1 ("we win we") and k9, which B was never asked; B answered k1 ("they win").
    # On the shared question the counts are those of the hand-computed TEXTS above.
    answers = _answers([("A", "k1", "we win we"), ("A", "k9", "zzz zzz"), ("B", "k1", "they win")])
    table = slate_keyness(answers, prior_scale=5)
    assert list(table.columns[: len(SLATE_KEYNESS_COLUMNS)]) == SLATE_KEYNESS_COLUMNS
    first = table.iloc[0]
    assert (first.slate_design, first.questions, first.texts_a, first.texts_b) == (
        SHARED_ANSWERS,
        1,
        1,
        1,
    )
    assert (first.tokens_a, first.tokens_b, first.group_a, first.group_b) == (3, 2, "A", "B")
    z = table.set_index("term")["z"]
    assert set(z.index) == {"we", "win", "they"}
    assert z["we"] == pytest.approx(math.log(2.5) / math.sqrt(0.75))


def test_slate_keyness_falls_back_to_all_answers_and_needs_two_slates():
    apart = slate_keyness(_answers([("A", "k1", "we win"), ("C", "k2", "they win")]))
    assert apart["slate_design"].unique().tolist() == [ALL_ANSWERS]
    assert apart["questions"].unique().tolist() == [0]
    alone = slate_keyness(_answers([("A", "k1", "we win")]))
    assert alone.empty and list(alone.columns[:6]) == SLATE_KEYNESS_COLUMNS
    with pytest.raises(TypeError, match="group_a"):
        slate_keyness(_answers([("A", "k1", "a"), ("B", "k1", "b")]), group_a="B")


def test_identical_slates_have_no_distinctive_word():
    texts = ["we win", "they lose the vote", "we organise"]  # 8 tokens, 7 distinct words
    answers = _answers(
        [("A", f"k{i}", t) for i, t in enumerate(texts)]
        + [("Copy", f"k{i}", t) for i, t in enumerate(texts)]
    )
    table = slate_keyness(answers)
    assert (table["z"] == 0).all() and (table["q"] == 1).all()
    lines = describe_slate_keyness(table)
    assert lines == [
        f"A against Copy, {SHARED_ANSWERS} (3 questions answered by both): 3 and 3 texts, "
        "8 and 8 word tokens, 7 words compared.",
        "  words marking A with q < 0.05: 0 (none).",
        "  words marking Copy with q < 0.05: 0 (none).",
        "  largest |z|: 0.00.",
    ]


def test_kwic_stays_importable_from_compare():
    assert compare.kwic is concordance.kwic
    assert compare.kwic_examples is concordance.kwic_examples
