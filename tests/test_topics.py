"""Tests for discourse.topics: tokens, estimators, NPMI coherence, stability and selection."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from threadpoolctl import threadpool_info, threadpool_limits

from discourse import stats
from discourse.topics import (
    AGENDA_COLUMNS,
    LDA_PASSES,
    NMF_MAX_ITER,
    NMF_TOL,
    PARAGRAPH_COLUMNS,
    LDATopics,
    NMFTopics,
    agenda_correlations,
    agenda_shares,
    agenda_table,
    average_jaccard,
    brought_in,
    explain_agreement,
    explain_range,
    explain_selection,
    model_agreement,
    npmi_coherence,
    paragraph_turns,
    representative_texts,
    select_k,
    term_counts,
    topic_agreement,
    topic_stability,
    topic_stop_words,
    topic_terms,
)

THEMES = {
    "union": {"union", "strike", "wages", "pay", "workers"},
    "party": {"party", "conference", "manifesto", "leadership", "delegates"},
    "climate": {"climate", "energy", "renewable", "green", "investment"},
}
TEXTS = pd.Series(
    [
        "The union organised a strike over wages and pay.",
        "Workers in the union voted to strike for better pay.",
        "Wages fell, so the union called a strike.",
        "Pay and wages matter to every union member on strike.",
        "The party conference debated the manifesto and the leadership.",
        "Labour's leadership rewrote the manifesto before conference.",
        "Conference delegates challenged the party leadership on the manifesto.",
        "The manifesto passed at conference despite the party leadership.",
        "Climate policy needs green investment and renewable energy.",
        "Renewable energy and green jobs are climate policy.",
        "Green investment in energy is the climate answer.",
        "Climate campaigners want renewable energy investment.",
    ],
    index=[f"p{i:02d}" for i in range(12)],
)
SMALL = {"min_df": 1, "max_df": 1.0}
ESTIMATORS = [NMFTopics, LDATopics]


def theme_of(terms: list[str]) -> str | None:
    """The theme all of ``terms`` belong to, or None."""
    for theme, vocabulary in THEMES.items():
        if set(terms) <= vocabulary:
            return theme
    return None


# --- tokens and stop words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Momentum\u2019s members don\u2019t agree", ["momentum", "members", "don't", "agree"]),
        ("freedom\u2014and power", ["freedom", "and", "power"]),
        ("In 2022 a NCG vote", ["in", "ncg", "vote"]),
        ("anti-racist it's", ["anti-racist", "it"]),
        ("", []),
    ],
)
def test_topic_terms(text, expected):
    assert topic_terms(text) == expected


def test_term_counts():
    texts = ["What do you think, Momentum's members?", "We think so; we think.", 7]
    counts = term_counts(["Think", "momentum", "absent"], texts)
    # Terms: what do you think momentum members (6) | we think so we think (5); none in 7.
    assert counts.to_dict() == {"think": 3, "momentum": 1, "absent": 0, "all terms": 11}


def test_topic_stop_words_english_adds_contractions():
    stop = topic_stop_words("english")
    assert {"the", "we", "don't", "we've", "can't"} <= set(stop)
    assert stop == sorted(stop)


@pytest.mark.parametrize(
    ("setting", "expected"), [(None, None), (["Foo", "bar", "foo"], ["bar", "foo"])]
)
def test_topic_stop_words_other_settings(setting, expected):
    assert topic_stop_words(setting) == expected


def test_topic_stop_words_rejects_unknown_language():
    with pytest.raises(ValueError):
        topic_stop_words("french")


# --- estimator conventions ------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_init_stores_only_params_and_clones(cls):
    estimator = cls(n_topics=3, min_df=1)
    assert set(vars(estimator)) == set(estimator.get_params())
    copy = clone(estimator)
    assert copy.get_params() == estimator.get_params()
    assert copy is not estimator


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_fit_returns_self_and_unfitted_raises(cls):
    estimator = cls(n_topics=3, **SMALL)
    with pytest.raises(NotFittedError):
        estimator.transform(TEXTS)
    with pytest.raises(NotFittedError):
        estimator.get_feature_names_out()
    assert estimator.fit(TEXTS) is estimator


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_fitted_attributes(cls):
    model = cls(n_topics=3, n_top_terms=4, **SMALL).fit(TEXTS)
    assert model.components_.shape == (3, len(model.vocabulary_))
    assert [len(terms) for terms in model.top_terms_] == [4, 4, 4]
    assert model.topic_names_ == [" · ".join(terms[:3]) for terms in model.top_terms_]
    assert list(model.get_feature_names_out()) == model.topic_names_
    assert "the" not in set(model.vocabulary_)  # stop words removed


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_recovers_the_three_themes(cls):
    model = cls(n_topics=3, n_top_terms=3, **SMALL).fit(TEXTS)
    assert sorted(theme_of(terms) for terms in model.top_terms_) == ["climate", "party", "union"]


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_transform_rows_sum_to_one_and_unknown_text_is_nan(cls):
    model = cls(n_topics=3, **SMALL).fit(TEXTS)
    weights = model.transform(TEXTS)
    assert weights.shape == (12, 3)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    unknown = model.transform(["", "the and of", "zebra quokka"])
    assert np.isnan(unknown).all()


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_topic_weights_frame_is_aligned(cls):
    model = cls(n_topics=3, **SMALL).fit(TEXTS)
    frame = model.topic_weights(TEXTS)
    assert list(frame.index) == list(TEXTS.index)
    assert list(frame.columns) == model.topic_names_
    pandas_output = clone(model).set_output(transform="pandas").fit(TEXTS).transform(TEXTS)
    pd.testing.assert_frame_equal(pandas_output, frame)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_two_fits_are_identical(cls):
    first = cls(n_topics=3, **SMALL).fit(TEXTS)
    second = cls(n_topics=3, **SMALL).fit(TEXTS)
    assert first.top_terms_ == second.top_terms_
    np.testing.assert_array_equal(first.transform(TEXTS), second.transform(TEXTS))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_same_result_with_one_and_two_threads(cls):
    results = []
    for threads in (1, 2):
        with threadpool_limits(threads):
            model = cls(n_topics=3, **SMALL).fit(TEXTS)
            results.append((model.top_terms_, model.transform(TEXTS).round(8)))
    assert results[0][0] == results[1][0]
    np.testing.assert_array_equal(results[0][1], results[1][1])


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_fit_and_transform_restore_the_thread_settings(cls):
    with threadpool_limits(2):
        before = [pool["num_threads"] for pool in threadpool_info()]
        cls(n_topics=3, **SMALL).fit(TEXTS).transform(TEXTS)
        assert [pool["num_threads"] for pool in threadpool_info()] == before


@pytest.mark.parametrize("cls", ESTIMATORS)
@pytest.mark.parametrize("bad", [{"n_topics": 0}, {"n_top_terms": 0}, {"n_topics": 13}])
def test_fit_validates(cls, bad):
    with pytest.raises(ValueError):
        cls(**{"n_topics": 3, **SMALL, **bad}).fit(TEXTS)


def test_fit_rejects_empty_input():
    with pytest.raises(ValueError):
        NMFTopics(**SMALL).fit([])


def test_top_terms_break_last_bit_ties_alphabetically():
    from discourse.topics import _top_terms

    vocabulary = np.array(["abetted", "aided", "hate"], dtype=object)
    # Equal in exact arithmetic, apart in the last bit: a tie, listed in vocabulary order.
    assert _top_terms(np.array([[0.3, 0.3 + 1e-16, 0.1]]), vocabulary, 3) == [
        ["abetted", "aided", "hate"]
    ]
    # A real difference still orders the terms; terms of zero weight are not listed.
    assert _top_terms(np.array([[0.3, 0.31, 0.0]]), vocabulary, 3) == [["aided", "abetted"]]


# --- convergence ---------------------------------------------------------------------------------


def test_nmf_runs_to_convergence():
    model = NMFTopics(n_topics=3, **SMALL).fit(TEXTS)
    assert (model.tol, model.max_iter) == (NMF_TOL, NMF_MAX_ITER)
    assert 0 < model.n_iter_ < model.max_iter
    # A fit run further changes nothing beyond the last digits: the solver stopped at the optimum.
    further = NMFTopics(n_topics=3, tol=NMF_TOL / 100, **SMALL).fit(TEXTS)
    np.testing.assert_allclose(further.components_, model.components_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(further.transform(TEXTS), model.transform(TEXTS), atol=1e-8)


def test_lda_passes_are_enough_to_converge():
    model = LDATopics(n_topics=3, **SMALL).fit(TEXTS)
    assert model.n_iter_ == LDA_PASSES
    longer = LDATopics(n_topics=3, max_iter=2 * LDA_PASSES, **SMALL).fit(TEXTS)
    scale = np.abs(longer.components_).max()
    np.testing.assert_allclose(longer.components_, model.components_, rtol=0, atol=1e-9 * scale)
    assert longer.top_terms_ == model.top_terms_


# --- NPMI coherence ------------------------------------------------------------------------------

NPMI_DOCS = ["apple banana", "apple banana cherry", "apple cherry", "durian"]


def test_npmi_hand_computed():
    # N = 4; D(apple)=3, D(banana)=2, D(cherry)=2, D(apple,banana)=2, D(apple,cherry)=2,
    # D(banana,cherry)=1. NPMI(apple,banana) = log((2/4)/((3/4)(2/4))) / -log(2/4) = log(4/3)/log 2
    # NPMI(banana,cherry) = log((1/4)/((2/4)(2/4))) / -log(1/4) = 0.
    a_b = math.log(4 / 3) / math.log(2)
    result = npmi_coherence([["apple", "banana", "cherry"], ["banana", "durian"]], NPMI_DOCS)
    expected_first = (a_b + a_b + 0.0) / 3
    assert result.per_topic["npmi"].tolist() == pytest.approx([expected_first, -1.0])
    assert result.per_topic["n_pairs"].tolist() == [3, 1]
    assert result.mean == pytest.approx((expected_first - 1.0) / 2)
    assert result.n_docs == 4


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        (["banana", "durian"], -1.0),  # never together
        (["apple", "zebra"], -1.0),  # a term absent from the corpus
        (["apple", "banana"], math.log(4 / 3) / math.log(2)),
    ],
)
def test_npmi_pair_conventions(terms, expected):
    assert npmi_coherence([terms], NPMI_DOCS).mean == pytest.approx(expected)


def test_npmi_always_together_is_one_and_single_term_is_nan():
    result = npmi_coherence([["red", "blue"], ["red"]], ["red blue", "blue red green"])
    assert result.per_topic["npmi"].iloc[0] == pytest.approx(1.0)
    assert np.isnan(result.per_topic["npmi"].iloc[1])
    assert result.mean == pytest.approx(1.0)


def test_npmi_reads_normalised_text():
    result = npmi_coherence([["momentum", "don't"]], ["Momentum\u2019s view: don\u2019t", "other"])
    assert result.mean == pytest.approx(1 / 1)  # both in doc 1 only: log(2)/log(2) = 1


# --- average Jaccard and agreement ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (["a", "b", "c"], ["a", "b", "c"], 1.0),
        (["a", "b", "c"], ["x", "y", "z"], 0.0),
        # depth 1: {a}/{a} = 1; depth 2: {a}/{a,b,c} = 1/3; depth 3: 3/3 = 1 -> 7/9
        (["a", "b", "c"], ["a", "c", "b"], 7 / 9),
        # depth 1: 0; depth 2: {a,b} vs {b,a} = 1 -> 1/2
        (["a", "b"], ["b", "a"], 0.5),
        # only the shorter length counts: depth 1 = 1, depth 2 = {a}/{a,b,c} = 1/3
        (["a", "b", "d"], ["a", "c"], 2 / 3),
        ([], [], 0.0),
    ],
)
def test_average_jaccard(first, second, expected):
    assert average_jaccard(first, second) == pytest.approx(expected)


def test_average_jaccard_depth():
    assert average_jaccard(["a", "b", "c"], ["a", "c", "b"], depth=2) == pytest.approx(2 / 3)


def test_agreement_identical_sets_in_another_order():
    reference = [["a", "b"], ["c", "d"], ["e", "f"]]
    other = [["e", "f"], ["a", "b"], ["c", "d"]]
    score, matched = topic_agreement(reference, other)
    assert score == pytest.approx(1.0)
    assert matched.tolist() == [1, 2, 0]


def test_agreement_disjoint_sets():
    score, _ = topic_agreement([["a", "b"], ["c", "d"]], [["w", "x"], ["y", "z"]])
    assert score == 0.0


def test_agreement_uses_optimal_not_greedy_matching():
    # AJ matrix (rows reference, columns other) = [[2/3, 1/2], [2/3, 1/6]].
    # Greedy takes (0, 0) then (1, 1): (2/3 + 1/6) / 2 = 5/12. Optimal: (0, 1) + (1, 0) = 7/12.
    reference = [["a", "b"], ["a", "c"]]
    other = [["a", "d"], ["b", "a"]]
    score, matched = topic_agreement(reference, other)
    assert score == pytest.approx(7 / 12)
    assert matched.tolist() == [1, 0]


def test_agreement_needs_equal_sizes():
    with pytest.raises(ValueError):
        topic_agreement([["a"]], [["a"], ["b"]])


# --- stability and selection ---------------------------------------------------------------------


def test_stability_of_full_samples_is_one():
    result = topic_stability(NMFTopics(**SMALL), TEXTS, k=3, n_samples=3, sample_frac=1.0)
    assert result.samples["agreement"].tolist() == [1.0, 1.0, 1.0]
    assert (result.mean, result.low, result.high) == (1.0, 1.0, 1.0)
    assert not result.unstable


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_stability_frame_and_determinism(cls):
    first = topic_stability(cls(**SMALL), TEXTS, k=3, n_samples=4, n_terms=5, seed=1)
    second = topic_stability(cls(**SMALL), TEXTS, k=3, n_samples=4, n_terms=5, seed=1)
    assert list(first.samples.columns) == ["sample", "n_docs", "agreement", "coherence"]
    assert first.samples["n_docs"].tolist() == [10] * 4  # round(0.8 * 12)
    assert first.samples["agreement"].between(0, 1).all()
    assert first.low <= first.mean <= first.high
    assert first.mean == pytest.approx(first.samples["agreement"].mean())
    assert [len(terms) for terms in first.reference_top_terms] == [5, 5, 5]
    pd.testing.assert_frame_equal(first.samples, second.samples)


@pytest.mark.parametrize(
    "bad", [{"n_samples": 0}, {"sample_frac": 0.0}, {"sample_frac": 1.5}, {"k": 11}]
)
def test_stability_validates(bad):
    arguments = {"k": 3, "n_samples": 2, **bad}
    with pytest.raises(ValueError):
        topic_stability(NMFTopics(**SMALL), TEXTS, **arguments)


def test_select_k_table_and_rule():
    table = select_k(lambda k: NMFTopics(n_topics=k, **SMALL), TEXTS, [3, 2], n_samples=3)
    assert table["k"].tolist() == [2, 3]
    assert table["n_docs"].tolist() == [12, 12]
    assert table["selected"].sum() == 1
    assert (table["unstable"] == (table["stability"] < 0.5)).all()
    best = table["coherence"].idxmax()
    assert table.at[best, "coherent"]
    chosen = table[table["selected"]].iloc[0]
    assert chosen["coherent"]
    assert chosen["stability"] == table.loc[table["coherent"], "stability"].max()


def test_select_k_accepts_a_template_estimator():
    from_template = select_k(NMFTopics(**SMALL), TEXTS, [2, 3], n_samples=2)
    from_factory = select_k(lambda k: NMFTopics(n_topics=k, **SMALL), TEXTS, [2, 3], n_samples=2)
    pd.testing.assert_frame_equal(from_template, from_factory)


# --- reading topics ------------------------------------------------------------------------------


def test_representative_texts():
    model = NMFTopics(n_topics=3, n_top_terms=3, **SMALL).fit(TEXTS)
    table = representative_texts(model, TEXTS, n=2)
    assert list(table.columns) == ["topic", "rank", "unit", "weight", "text"]
    assert len(table) == 6
    for _, row in table.iterrows():
        topic_theme = theme_of(row["topic"].split(" · "))
        unit_number = int(row["unit"][1:])
        assert topic_theme == ["union", "party", "climate"][unit_number // 4]
        assert row["text"] == TEXTS[row["unit"]]
    first_weights = table[table["rank"] == 1]["weight"].to_numpy()
    second_weights = table[table["rank"] == 2]["weight"].to_numpy()
    assert (first_weights >= second_weights).all()


def test_topic_shares_of_groups_come_from_the_inference_module():
    # One share per paragraph; paragraphs nest in exchanges. The share of a group is the mean over
    # its paragraphs (a ratio of sums over exchanges): group x holds 0.2, 0.4 (exchange e1) and
    # 0.6 (e2), mean 1.2 / 3 = 0.4; group y holds 0.5 and 0.7 (e3), mean 0.6. Two and one
    # exchanges are too few for an interval.
    shares = pd.DataFrame(
        {
            "share": [0.2, 0.4, 0.6, 0.5, 0.7],
            "group": ["x", "x", "x", "y", "y"],
            "exchange": ["e1", "e1", "e2", "e3", "e3"],
        }
    )
    table = stats.group_intervals(shares, "share", group="group", unit="exchange")
    assert table["estimate"].tolist() == pytest.approx([0.4, 0.6])
    assert table["n"].tolist() == [3, 2]
    assert table["units"].tolist() == [2, 1]
    assert table["too_few"].tolist() == [True, True]
    assert table["ci_low"].isna().all()
    # Six exchanges sharing one value: every resample has that mean, so the interval is the point.
    even = pd.DataFrame(
        {"share": [0.25] * 12, "group": "x", "exchange": [f"e{i // 2}" for i in range(12)]}
    )
    row = stats.group_intervals(even, "share", group="group", unit="exchange").iloc[0]
    assert (row["units"], row["too_few"]) == (6, False)
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == pytest.approx((0.25, 0.25, 0.25))


def test_representative_texts_with_repeated_labels_and_unknown_text():
    texts = pd.Series([*TEXTS, "zebra quokka"], index=["u"] * 12 + ["v"])
    model = NMFTopics(n_topics=3, **SMALL).fit(TEXTS)
    table = representative_texts(model, texts, n=1)
    assert len(table) == 3
    assert set(table["unit"]) == {"u"}  # the text with no known words is never representative
    assert set(table["text"]) <= set(TEXTS)


def test_representative_texts_break_full_share_ties_by_strength_and_skip_zero_weights():
    model = NMFTopics(n_topics=3, **SMALL).fit(TEXTS)
    texts = pd.Series(["union", "union strike wages pay", "union pay"], index=list("abc"))
    strength, shares = model._weights(texts)
    union = model.topic_names_.index(next(n for n in model.topic_names_ if "union" in n))
    assert shares[:, union].tolist() == [1.0, 1.0, 1.0]  # a three-way tie on the share
    table = representative_texts(model, texts, n=3)
    expected = list(texts.index[np.argsort(-strength[:, union], kind="stable")])
    assert table["unit"].tolist() == expected
    assert expected[0] == "b"  # the text with the most union terms expresses the topic most
    assert set(table["topic"]) == {model.topic_names_[union]}  # other topics: weight 0, no rows


def selection_table(stabilities, selected):
    """A select_k-shaped table for k = 2, 3, 4: k = 3 most coherent, k = 2 and 3 coherent."""
    return pd.DataFrame(
        {
            "k": [2, 3, 4],
            "coherence": [0.12, 0.2, 0.05],
            "coherence_low": [0.05, 0.1, 0.0],
            "coherence_high": [0.2, 0.3, 0.1],
            "stability": stabilities,
            "stability_low": [0.5, 0.3, 0.2],
            "stability_high": [0.9, 0.6, 0.5],
            "n_docs": [40] * 3,
            "n_samples": [20] * 3,
            "unstable": [s < 0.5 for s in stabilities],
            "coherent": [True, True, False],
            "selected": [k == selected for k in (2, 3, 4)],
        }
    )


@pytest.mark.parametrize(
    ("stabilities", "selected", "last_line"),
    [
        (
            [0.7, 0.45, 0.3],
            2,
            "Stability at k = 2 is at or above 0.5; 2 of 3 candidate k fall under 0.5.",
        ),
        (
            [0.4, 0.45, 0.3],
            3,
            "Stability at k = 3 is under 0.5: unstable, so read the topics as tentative; "
            "3 of 3 candidate k fall under 0.5.",
        ),
    ],
)
def test_explain_selection(stabilities, selected, last_line):
    lines = explain_selection(selection_table(stabilities, selected)).split("\n")
    assert lines[0] == (
        "Highest coherence: k = 3 (mean NPMI 0.200; the lower end of its subsample band is 0.100)."
    )
    assert lines[1] == "Coherent k (coherence at least 0.100): 2, 3."
    low, high = (0.5, 0.9) if selected == 2 else (0.3, 0.6)
    assert lines[2] == (
        f"Most stable of these: k = {selected}, stability {stabilities[selected - 2]:.3f} "
        f"(subsample range {low:.3f} to {high:.3f}, 20 subsamples of 40 units)."
    )
    assert lines[3] == last_line


def test_explain_selection_reads_a_real_table_and_rejects_others():
    table = select_k(NMFTopics(**SMALL), TEXTS, [2, 3], n_samples=2)
    assert explain_selection(table).count("\n") == 3
    with pytest.raises(ValueError):
        explain_selection(table.assign(selected=False))
    with pytest.raises(ValueError):
        explain_selection(table.drop(columns="coherent"))


# --- select_k kept on disk ------------------------------------------------------------------


def _refuse_to_fit(*args, **kwargs):
    raise AssertionError("select_k recomputed a table it should have read from the cache")


def test_select_k_with_memory_gives_the_same_table_and_reads_it_back(tmp_path, monkeypatch):
    import discourse.topics as topics

    fresh = select_k(NMFTopics(**SMALL), TEXTS, [2, 3], n_samples=2, seed=4)
    kept = select_k(NMFTopics(**SMALL), TEXTS, [3, 2], n_samples=2, seed=4, memory=tmp_path)
    pd.testing.assert_frame_equal(kept, fresh, check_exact=True)
    monkeypatch.setattr(topics, "_stability_from_prepared", _refuse_to_fit)
    again = select_k(
        NMFTopics(**SMALL), TEXTS, [2, 3], n_samples=2, seed=4, memory=tmp_path, n_jobs=1
    )
    pd.testing.assert_frame_equal(again, fresh, check_exact=True)
    # Another seed, other texts or another package fingerprint are other keys: computed anew.
    with pytest.raises(AssertionError, match="recomputed"):
        select_k(NMFTopics(**SMALL), TEXTS, [2, 3], n_samples=2, seed=5, memory=tmp_path)
    with pytest.raises(AssertionError, match="recomputed"):
        select_k(NMFTopics(**SMALL), TEXTS.iloc[1:], [2, 3], n_samples=2, seed=4, memory=tmp_path)
    monkeypatch.setattr(topics, "package_fingerprint", lambda: "changed code")
    with pytest.raises(AssertionError, match="recomputed"):
        select_k(NMFTopics(**SMALL), TEXTS, [2, 3], n_samples=2, seed=4, memory=tmp_path)


def test_select_k_with_memory_needs_a_template(tmp_path):
    with pytest.raises(TypeError, match="template"):
        select_k(lambda k: NMFTopics(n_topics=k, **SMALL), TEXTS, [2], n_samples=2, memory=tmp_path)


def test_parallel_jobs_default_depends_on_corpus_size(monkeypatch):
    import discourse.topics as topics

    monkeypatch.setattr(topics, "cpu_count", lambda: 2)
    assert topics.parallel_jobs(None, topics.PARALLEL_FROM_UNITS - 1) == 1
    assert topics.parallel_jobs(None, topics.PARALLEL_FROM_UNITS) == 2
    assert topics.parallel_jobs(3, 10) == 3


@pytest.mark.slow
def test_topic_stability_is_the_same_in_two_processes():
    one = topic_stability(NMFTopics(**SMALL), TEXTS, 3, n_samples=4, seed=2, n_jobs=1)
    two = topic_stability(NMFTopics(**SMALL), TEXTS, 3, n_samples=4, seed=2, n_jobs=2)
    pd.testing.assert_frame_equal(one.samples, two.samples, check_exact=True)
    assert (one.mean, one.low, one.high) == (two.mean, two.low, two.high)


def _corpus_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two interviews: d (exchanges 1 and 2) and e (exchange 1); one title paragraph."""
    exchanges = pd.DataFrame(
        {
            "doc_id": ["d", "d", "e"],
            "slate": ["S", "S", "T"],
            "exchange": [1, 2, 1],
            "exchange_id": ["d/1", "d/2", "e/1"],
            "part": ["general", "specific", "general"],
            "question_key": ["id:q1", "text:how", "id:q1"],
            "interviewer": ["Ed", "Ed", "Al"],
            "question": ["Why?", "How?", "Why then?"],
            "answer": ["Because. So.", "Thus.", "For this."],
        }
    )
    paragraphs = pd.DataFrame(
        {
            "doc_id": ["d", "d", "d", "d", "d", "d", "e", "e"],
            "para_id": [1, 2, 3, 4, 5, 6, 1, 2],
            "role": ["title", "question", "answer", "answer", "question", "answer"]
            + ["question", "answer"],
            "exchange": [np.nan, 1, 1, 1, 2, 2, 1, 1],
            "text": ["Title", "Why?", "Because.", "So.", "How?", "Thus.", "Why then?", "For this."],
        },
        index=range(10, 18),
    )
    return paragraphs, exchanges


def test_paragraph_turns_take_the_keys_of_their_turn():
    paragraphs, exchanges = _corpus_tables()
    table = paragraph_turns(paragraphs, exchanges)
    assert list(table.columns) == PARAGRAPH_COLUMNS
    assert table.index.tolist() == list(range(7))
    assert table["text"].tolist() == paragraphs["text"].iloc[1:].tolist()
    assert table["turn"].tolist() == ["question", "answer", "answer"] + ["question", "answer"] * 2
    assert table["exchange_id"].tolist() == ["d/1"] * 3 + ["d/2"] * 2 + ["e/1"] * 2
    assert table["question_key"].tolist() == ["id:q1"] * 3 + ["text:how"] * 2 + ["id:q1"] * 2
    assert table["label"].tolist() == table["exchange_id"].tolist()  # two interviews
    assert table["slate"].tolist() == ["S"] * 5 + ["T"] * 2
    assert table["part"].tolist() == ["general"] * 3 + ["specific"] * 2 + ["general"] * 2


def test_paragraph_turns_refuse_a_paragraph_of_no_exchange():
    paragraphs, exchanges = _corpus_tables()
    with pytest.raises(ValueError, match="paragraph 5 of d belongs to exchange 2"):
        paragraph_turns(paragraphs, exchanges[exchanges["exchange_id"] != "d/2"])
    with pytest.raises(ValueError, match="role"):
        paragraph_turns(paragraphs.drop(columns="role"), exchanges)


# --- the end of the range tried -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("coherence", "selected", "expected"),
    [
        (
            [0.1, 0.2, 0.15],
            2,
            [
                "The highest coherence, k = 3, is inside the range tried (2 to 4), not at either "
                "end.",
                "The selected k, k = 2, is the lower end of the range tried (2 to 4): a smaller k "
                "was not tried and might score higher, so this is the best within the range, not "
                "a peak.",
            ],
        ),
        (
            [0.1, 0.15, 0.2],
            3,
            [
                "The highest coherence, k = 4, is the upper end of the range tried (2 to 4): a "
                "larger k was not tried and might score higher, so this is the best within the "
                "range, not a peak.",
                "The selected k, k = 3, is inside the range tried (2 to 4), not at either end.",
            ],
        ),
    ],
)
def test_explain_range(coherence, selected, expected):
    table = selection_table([0.7, 0.45, 0.3], selected).assign(coherence=coherence)
    assert explain_range(table).split("\n") == expected


def test_explain_range_rejects_a_table_without_one_choice():
    with pytest.raises(ValueError):
        explain_range(selection_table([0.7, 0.45, 0.3], 2).assign(selected=False))


# --- two models: agreement and what it implies ----------------------------------------------------


def _stub_model(top_terms):
    names = [" · ".join(terms) for terms in top_terms]
    return SimpleNamespace(top_terms_=top_terms, topic_names_=names)


def test_model_agreement_hand_computed():
    first = _stub_model([["a", "b"], ["c", "d"]])
    second = _stub_model([["c", "d"], ["a", "x"]])
    # AJ(ab, ax) = (1/1 + 1/3) / 2 = 2/3; AJ(cd, cd) = 1; agreement = (2/3 + 1) / 2 = 5/6.
    result = model_agreement(first, second)
    assert result.agreement == pytest.approx(5 / 6)
    assert result.pairs["matched"].tolist() == ["a · x", "c · d"]
    assert result.pairs["average_jaccard"].tolist() == pytest.approx([2 / 3, 1.0])
    assert result.n_found == 2
    strict = model_agreement(first, second, match_from=0.7)
    assert strict.pairs["found"].tolist() == [False, True]
    assert strict.n_found == 1


def test_explain_agreement_says_what_the_topics_are_worth():
    first = _stub_model([["a", "b"], ["c", "d"]])
    both = explain_agreement(model_agreement(first, _stub_model([["c", "d"], ["a", "b"]])), 0.6)
    assert both.split("\n") == [
        "The two models agree at 1.000 (average Jaccard of matched top-ten lists; the first "
        "model's fits on subsamples agree with its full fit at 0.600); the second has a "
        "counterpart at 0.5 or more for 2 of 2 topics.",
        "Every topic is found by both models: its share measures a grouping of words that does "
        "not hang on one model.",
    ]
    some = explain_agreement(model_agreement(first, _stub_model([["c", "d"], ["x", "y"]])))
    assert some.split("\n")[1].startswith("Found by both: c · d. The other 1 are found by one")
    assert "not robust" in some
    none = explain_agreement(model_agreement(first, _stub_model([["w", "z"], ["x", "y"]])))
    assert none.split("\n")[0].endswith("for 0 of 2 topics.")
    assert none.split("\n")[1].startswith("No topic is found by both")


# --- agenda and emphasis ------------------------------------------------------------------------

# Shares chosen by hand: exchange e1's answer is 0.8 of topic a, its question 1.0 of a, ...
HAND_SHARES = {
    "e1 answer": [0.8, 0.2],
    "e1 question": [1.0, 0.0],
    "e2 answer one": [0.2, 0.8],
    "e2 answer two": [0.6, 0.4],
    "e2 question": [0.3, 0.7],
    "e3 answer": [0.5, 0.5],
    "e3 question": [0.6, 0.4],
    "e3 question unknown": [math.nan, math.nan],
    "e4 answer": [0.1, 0.9],
}


class _HandModel:
    """A fitted topic model stand-in whose shares are looked up by text."""

    topic_names_ = ["a", "b"]

    def transform(self, texts):
        return np.array([HAND_SHARES[text] for text in texts], dtype=float)


def _hand_paragraphs() -> pd.DataFrame:
    rows = []
    for text in HAND_SHARES:
        exchange = int(text[1])
        rows.append(
            {
                "doc_id": "doc",
                "slate": "S",
                "exchange": exchange,
                "exchange_id": f"doc/{exchange}",
                "part": "general",
                "question_key": f"q{exchange}",
                "turn": text.split()[1],
                "label": str(exchange),
                "para_id": len(rows),
                "text": text,
            }
        )
    return pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)


def test_agenda_table_puts_answer_and_question_shares_side_by_side():
    table = agenda_table(_HandModel(), _hand_paragraphs())
    assert table.columns.tolist() == AGENDA_COLUMNS
    assert table["label"].tolist() == ["1", "1", "2", "2", "3", "3", "4", "4"]
    assert table["topic"].tolist() == ["a", "b"] * 4
    # e2's answer is the mean of its two paragraphs; e3's question skips its NaN paragraph;
    # e4 has no question.
    expected_answer = [0.8, 0.2, 0.4, 0.6, 0.5, 0.5, 0.1, 0.9]
    expected_question = [1.0, 0.0, 0.3, 0.7, 0.6, 0.4, math.nan, math.nan]
    assert table["answer"].tolist() == pytest.approx(expected_answer)
    assert table["question"].tolist() == pytest.approx(expected_question, nan_ok=True)


def test_agenda_table_needs_paragraph_columns():
    with pytest.raises(ValueError, match="lacks"):
        agenda_table(_HandModel(), _hand_paragraphs().drop(columns="turn"))


def test_agenda_shares_hand_computed():
    shares = agenda_shares(agenda_table(_HandModel(), _hand_paragraphs())).set_index("topic")
    # Threshold 1/2. Topic a is carried by the questions of e1 (1.0) and e3 (0.6), not e2
    # (0.3); e4 has no question and drops out. Answer weight of a: 0.8 + 0.4 + 0.5 = 1.7, of
    # which 0.8 + 0.5 = 1.3 in e1 and e3. Topic b: carried by e2 (0.7) only; weight
    # 0.2 + 0.6 + 0.5 = 1.3, of which 0.6 in e2.
    assert shares.loc["a", ["exchanges", "on_agenda"]].tolist() == [3, 2]
    assert shares.loc["b", ["exchanges", "on_agenda"]].tolist() == [3, 1]
    assert shares["expected"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert shares["answer_weight"].tolist() == pytest.approx([1.7, 1.3])
    assert shares["agenda_share"].tolist() == pytest.approx([1.3 / 1.7, 0.6 / 1.3])
    assert shares["brought_in"].tolist() == pytest.approx([0.4 / 1.7, 0.7 / 1.3])


def test_agenda_shares_threshold_and_untouched_topic():
    table = agenda_table(_HandModel(), _hand_paragraphs())
    # Above 0.65 only e1's a (1.0) and e2's b (0.7) count.
    strict = agenda_shares(table, threshold=0.65).set_index("topic")
    assert strict["on_agenda"].tolist() == [1, 1]
    assert strict["agenda_share"].tolist() == pytest.approx([0.8 / 1.7, 0.6 / 1.3])
    silent = table.assign(answer=np.where(table["topic"] == "b", 0.0, table["answer"]))
    assert math.isnan(agenda_shares(silent).set_index("topic").at["b", "agenda_share"])
    with pytest.raises(ValueError):
        agenda_shares(table, threshold=1.5)


def test_brought_in_hand_computed():
    result = brought_in(agenda_table(_HandModel(), _hand_paragraphs()))
    assert result["label"].tolist() == ["1", "2", "3"]
    assert result["carried"].tolist() == ["a", "b", "a"]
    # The answer's share of the topics its question does not carry: e1 b, e2 a, e3 b.
    assert result["brought_in"].tolist() == pytest.approx([0.2, 0.4, 0.5])


def test_agenda_correlations_come_from_the_inference_module():
    rows = []
    for exchange, (answer, question) in enumerate(
        [(0.1, 0.0), (0.3, 0.2), (0.2, 0.4), (0.6, 0.5), (0.9, 0.8), (0.5, 0.9)]
    ):
        rows.append({"exchange_id": exchange, "topic": "a", "answer": answer, "question": question})
    table = pd.DataFrame(rows)
    found = agenda_correlations(table, seed=3).set_index("topic").loc["a"]
    expected = stats.rank_correlation(table["question"], table["answer"], seed=3)
    # Ranks of question 1..6 against answer ranks 1, 3, 2, 5, 6, 4: d^2 = 0+1+1+1+1+4 = 8,
    # rho = 1 - 6 * 8 / (6 * 35) = 27/35.
    assert found["rho"] == pytest.approx(27 / 35)
    assert found[expected.index].tolist() == pytest.approx(expected.tolist(), nan_ok=True)


def test_agenda_of_a_fitted_model_on_the_themes():
    answers = TEXTS.iloc[[0, 1, 4, 5, 8, 9]].tolist()
    questions = TEXTS.iloc[[2, 6, 10]].tolist()
    rows = []
    for exchange in range(3):
        for turn, text in [
            ("question", questions[exchange]),
            ("answer", answers[2 * exchange]),
            ("answer", answers[2 * exchange + 1]),
        ]:
            rows.append(
                {
                    "doc_id": "doc",
                    "slate": "S",
                    "exchange": exchange,
                    "exchange_id": f"doc/{exchange}",
                    "part": "",
                    "question_key": f"q{exchange}",
                    "turn": turn,
                    "label": str(exchange),
                    "para_id": len(rows),
                    "text": text,
                }
            )
    paragraphs = pd.DataFrame(rows)
    model = NMFTopics(n_topics=3, **SMALL).fit(
        paragraphs.loc[paragraphs["turn"] == "answer", "text"]
    )
    shares = agenda_shares(agenda_table(model, paragraphs))
    # Each theme is asked about in one exchange and answered only there.
    assert shares["on_agenda"].tolist() == [1, 1, 1]
    assert shares["agenda_share"].tolist() == pytest.approx([1.0, 1.0, 1.0])
