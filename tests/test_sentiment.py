"""Tests for discourse.sentiment: VADER and AFINN per sentence, agreement, actor sentiment."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from afinn import Afinn
from comparison_rows import paired_row
from scipy import stats
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from discourse.paths import RAW
from discourse.sentiment import (
    ACTORS,
    VADER_NEGATIVE,
    VADER_POSITIVE,
    actor_sentiment,
    actor_summary,
    afinn_sentiment,
    afinn_total,
    describe_differences,
    describe_terms,
    load_actors,
    method_agreement,
    scored_terms,
    sentence_sentiment,
    vader_compound,
    vader_sentiment,
)
from discourse.text import normalise, sentences

VADER = SentimentIntensityAnalyzer()
INTERVIEW = RAW / "momentum-organisers-2022.txt"


def compound(text: str) -> float:
    return VADER.polarity_scores(text)["compound"]


def test_vader_compound_is_vaders() -> None:
    assert vader_compound("This is good.") == compound("This is good.") == 0.4404


def test_vader_sentiment_is_the_mean_of_the_sentences() -> None:
    row = vader_sentiment(["This is good. This is bad."]).iloc[0]
    assert row["n_sentences"] == 2
    expected = (compound("This is good.") + compound("This is bad.")) / 2
    assert row["mean_compound"] == pytest.approx(expected)
    assert row["share_positive"] == pytest.approx(0.5)
    assert row["share_negative"] == pytest.approx(0.5)


def test_neutral_sentences_are_neither_positive_nor_negative() -> None:
    assert (VADER_POSITIVE, VADER_NEGATIVE) == (0.05, -0.05)
    row = vader_sentiment(["This is a table. This is good. It is red."]).iloc[0]
    assert row["share_positive"] == pytest.approx(1 / 3)
    assert row["share_negative"] == 0.0


def test_whole_text_saturates_but_the_sentence_mean_does_not() -> None:
    text = "We are good. " * 20
    assert compound(text) > 0.99  # twenty mild sentences scored at once
    row = vader_sentiment([text]).iloc[0]
    assert row["n_sentences"] == 20
    assert row["mean_compound"] == pytest.approx(compound("We are good."))


def test_curly_apostrophe_negation_is_negative_after_normalising() -> None:
    curly = "I don\u2019t like it."
    assert compound(curly) > 0  # VADER does not see the negation in the curly form
    assert vader_sentiment([curly])["mean_compound"].iloc[0] < 0
    assert sentence_sentiment([curly])["vader_compound"].iloc[0] == compound("I don't like it.")


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("good", 3.0),
        ("This is good.", 3.0),
        ("GOOD and BAD", 0.0),
        ("That is great news for us.", 3.0),
        ("It does not work.", -3.0),  # a phrase of the list, not its words
        ("I can't stand it.", -3.0),
        ("The goods are badges.", 0.0),  # whole words only: not "good", "bad"
        ("", 0.0),
    ],
)
def test_afinn_total(text: str, total: float) -> None:
    assert afinn_total(text) == total


def test_afinn_total_equals_the_afinn_package_on_every_interview_sentence() -> None:
    afinn = Afinn()
    interview = INTERVIEW.read_text(encoding="utf-8")
    all_sentences = [s for line in interview.splitlines() for s in sentences(line)]
    assert len(all_sentences) > 300
    assert [afinn_total(s) for s in all_sentences] == [afinn.score(s) for s in all_sentences]


def test_afinn_sentiment_by_hand() -> None:
    # good = 3 in 3 words; great = 3 in 6 words.
    row = afinn_sentiment(["This is good. That is great news for us."]).iloc[0]
    assert row["n_sentences"] == 2
    assert row["words"] == 9
    assert row["afinn_total"] == 6.0
    assert row["afinn_per_word"] == pytest.approx(6 / 9)
    assert row["mean_sentence_afinn"] == pytest.approx((3 / 3 + 3 / 6) / 2)


def test_sentence_sentiment_columns_and_values() -> None:
    frame = sentence_sentiment(pd.Series(["This is good. This is bad."], index=["q7"]))
    assert frame.columns.tolist() == [
        "unit",
        "sentence_no",
        "sentence",
        "words",
        "vader_compound",
        "afinn_total",
        "afinn_score",
    ]
    assert frame["unit"].tolist() == ["q7", "q7"]
    assert frame["sentence_no"].tolist() == [0, 1]
    assert frame["vader_compound"].tolist() == [0.4404, -0.5423]
    assert frame["afinn_score"].tolist() == [1.0, -1.0]


def test_a_sentence_without_words_has_no_afinn_score() -> None:
    frame = sentence_sentiment(["?!"])
    assert frame["words"].tolist() == [0]
    assert np.isnan(frame["afinn_score"].iloc[0])


def test_alignment_with_a_string_index_and_duplicate_labels() -> None:
    texts = pd.Series(["This is good.", None, "This is bad."], index=["q1", "q1", "q2"])
    vader = vader_sentiment(texts)
    afinn = afinn_sentiment(texts)
    for frame in (vader, afinn):
        assert frame.index.tolist() == ["q1", "q1", "q2"]
        assert frame["n_sentences"].tolist() == [1, 0, 1]
    assert vader["mean_compound"].iloc[[0, 2]].tolist() == [0.4404, -0.5423]
    assert afinn["afinn_per_word"].iloc[[0, 2]].tolist() == [1.0, -1.0]


@pytest.mark.parametrize("function", [vader_sentiment, afinn_sentiment])
def test_empty_texts_are_missing(function) -> None:
    frame = function(["", "   "])
    assert frame["n_sentences"].tolist() == [0, 0]
    scores = [c for c in frame.columns if c not in ("n_sentences", "words")]
    assert frame[scores].isna().all().all()


@pytest.mark.parametrize("function", [vader_sentiment, afinn_sentiment, sentence_sentiment])
def test_no_texts(function) -> None:
    frame = function(pd.Series([], dtype=object))
    assert frame.empty
    assert len(frame.columns) >= 4


def _agreement_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": ["a", "a", "b", "b", "c", "c", "d", "d"],
            "vader_compound": [0.1, 0.5, -0.2, 0.9, 0.0, -0.6, 0.3, 0.4],
            "afinn_score": [0.0, 1.0, -0.5, 2.0, 0.1, -1.0, 0.2, 0.5],
        }
    )


def test_method_agreement_rho_and_n_are_scipys() -> None:
    frame = _agreement_frame()
    result = method_agreement(frame, n_boot=200)
    expected = stats.spearmanr(frame["vader_compound"], frame["afinn_score"])
    assert result["rho"] == pytest.approx(expected.statistic)
    assert result["p_value"] == pytest.approx(expected.pvalue)
    assert (result["n_sentences"], result["n_units"], result["n_boot"]) == (8, 4, 200)
    assert result["ci_low"] <= result["rho"] <= result["ci_high"]
    assert result["small_sample"]  # 4 units < 10


def test_method_agreement_is_seeded() -> None:
    frame = _agreement_frame()
    first = method_agreement(frame, n_boot=200, seed=3)
    assert first.equals(method_agreement(frame, n_boot=200, seed=3))
    by_sentence = method_agreement(frame, n_boot=200, seed=3, resample="sentence")
    assert (by_sentence["ci_low"], by_sentence["ci_high"]) != (first["ci_low"], first["ci_high"])


def test_method_agreement_of_identical_rankings_is_one() -> None:
    frame = _agreement_frame().assign(afinn_score=lambda f: f["vader_compound"] * 2)
    result = method_agreement(frame, n_boot=100)
    assert result["rho"] == pytest.approx(1.0)
    assert result["ci_low"] == pytest.approx(1.0)


def test_method_agreement_leaves_out_sentences_without_words_and_needs_three() -> None:
    frame = _agreement_frame().iloc[:3].assign(afinn_score=[0.0, np.nan, 1.0])
    result = method_agreement(frame, n_boot=50)
    assert result["n_sentences"] == 2
    assert np.isnan(result["rho"]) and np.isnan(result["ci_low"])


@pytest.mark.parametrize("arguments", [{"n_boot": 0}, {"confidence": 1.0}, {"resample": "answer"}])
def test_method_agreement_invalid_arguments(arguments: dict) -> None:
    with pytest.raises(ValueError):
        method_agreement(_agreement_frame(), **arguments)


def test_actor_dictionary_has_a_source_line_and_valid_patterns() -> None:
    assert ACTORS.read_text(encoding="utf-8").startswith("# source:")
    actors = load_actors()
    assert actors.columns.tolist() == ["actor", "pattern", "note"]
    assert set(actors["actor"]) == {
        "own_slate",
        "opposing_slate_and_ncg",
        "labour_leadership_and_right",
        "conservatives",
        "unions_and_movements",
        "left_mps_and_scg",
        "media",
    }
    assert (actors["note"].str.len() > 0).all()
    assert not actors["pattern"].str.fullmatch(r"(?i)we|our|us").any()


def test_every_actor_is_found_in_the_interview() -> None:
    text = normalise(INTERVIEW.read_text(encoding="utf-8"))
    actors = load_actors()
    for actor, patterns in actors.groupby("actor")["pattern"]:
        hits = sum(len(re.findall(rf"\b(?:{p})\b", text, re.IGNORECASE)) for p in patterns)
        assert hits > 0, actor


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("The Tories cut services.", "conservatives"),
        ("A Tory politician spoke.", "conservatives"),
        ("Our campaign's plan is clear.", "own_slate"),
        ("Momentum Organisers will win.", "own_slate"),
        ("They cohere MO as a slate.", "own_slate"),
        ("Your Momentum launched in the Morning Star.", "opposing_slate_and_ncg"),
        ("The current Momentum NCG failed.", "opposing_slate_and_ncg"),
        ("Starmer\u2019s office decided.", "labour_leadership_and_right"),
        ("The Leader of the Opposition\u2019s Office decided.", "labour_leadership_and_right"),
        ("Bell Ribeiro-Addy spoke.", "left_mps_and_scg"),
        ("The SCG MPs were cowed.", "left_mps_and_scg"),
        ("Renters unions grew.", "unions_and_movements"),
        ("The Women\u2019s Strike mattered.", "unions_and_movements"),
        ("The British media is hostile.", "media"),
        ("We see our YM opponents as comrades.", "opposing_slate_and_ncg"),
        ("The current Momentum leadership has failed.", "opposing_slate_and_ncg"),
        ("Labour\u2019s leadership blocks candidates.", "labour_leadership_and_right"),
    ],
)
def test_actor_patterns_match(sentence: str, actor: str) -> None:
    assert actor in set(actor_sentiment([sentence])["actor"])


@pytest.mark.parametrize(
    "sentence",
    [
        "We will win.",  # "we" is not the slate
        "Our members decide.",
        "That is history.",  # "Tory" inside a word
        "Use some glue.",  # "GLU" inside a word
        "Under pressure, we expressed it.",  # "press" inside words
        "Delete your social media history.",  # not the news media
        "Local government matters.",  # not the Conservative government
        "Mo and momentum.",  # lower-case "Mo" is not the slate
        "MOWe strongly support this.",  # glued speaker label
        "Ym and ym.",  # lower-case "ym" is not the opposing slate
        "Socialism needs a plan.",  # "SCG" absent, "Socialist Campaign Group" absent
    ],
)
def test_actor_patterns_are_word_bounded_and_specific(sentence: str) -> None:
    assert actor_sentiment([sentence]).empty


def test_actor_sentiment_rows() -> None:
    texts = pd.Series(
        [
            "The Tories and the Tories again. Starmer and the Tories are bad.",
            "Nothing here. Our slate is good.",
        ],
        index=["a1", "a2"],
    )
    mentions = actor_sentiment(texts)
    assert mentions.columns.tolist() == [
        "unit",
        "sentence_no",
        "actor",
        "matches",
        "sentence",
        "vader_compound",
        "afinn_score",
    ]
    keys = mentions[["unit", "sentence_no", "actor"]].itertuples(index=False, name=None)
    assert list(keys) == [
        ("a1", 0, "conservatives"),
        ("a1", 1, "labour_leadership_and_right"),
        ("a1", 1, "conservatives"),
        ("a2", 1, "own_slate"),
    ]
    assert mentions["matches"].tolist() == ["Tories", "Starmer", "Tories", "Our slate"]
    bad = "Starmer and the Tories are bad."
    assert mentions["vader_compound"].tolist()[1:3] == [compound(bad)] * 2
    assert mentions["afinn_score"].iloc[3] == pytest.approx(3 / 4)  # good = 3, four words


def test_actor_sentiment_with_a_custom_dictionary() -> None:
    actors = pd.DataFrame({"actor": ["bakers", "bakers"], "pattern": ["bakers?", "bread"]})
    mentions = actor_sentiment(["The baker is good.", "Bread is bread.", "Breadth."], actors)
    assert mentions["unit"].tolist() == [0, 1]
    assert mentions["matches"].tolist() == ["baker", "Bread; bread"]


def test_actor_sentiment_rejects_an_invalid_pattern() -> None:
    with pytest.raises(ValueError, match="invalid pattern"):
        actor_sentiment(["Text."], pd.DataFrame({"actor": ["x"], "pattern": ["(unclosed"]}))


def test_actor_sentiment_of_no_mentions_has_the_columns() -> None:
    mentions = actor_sentiment(["Nothing to see."])
    assert mentions.empty
    assert "vader_compound" in mentions.columns


def _mentions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": ["u1", "u1", "u2", "u3"],
            "sentence_no": [0, 1, 0, 0],
            "actor": ["A", "A", "A", "B"],
            "vader_compound": [0.5, 0.1, -0.3, 0.2],
            "afinn_score": [1.0, 0.0, -1.0, 0.5],
        }
    )


def test_actor_summary_by_hand() -> None:
    summary = actor_summary(_mentions(), n_boot=2000).set_index("actor")
    a = summary.loc["A"]
    assert (a["n_sentences"], a["n_units"]) == (3, 2)
    assert a["mean_compound"] == pytest.approx(0.1)  # (0.5 + 0.1 - 0.3) / 3
    # Resampling the two units gives u1+u1 (mean 0.3), u2+u2 (-0.3) or one of each (0.1),
    # the extremes each with probability 1/4, so the 95% interval is [-0.3, 0.3].
    assert (a["compound_ci_low"], a["compound_ci_high"]) == pytest.approx((-0.3, 0.3))
    assert a["mean_afinn"] == pytest.approx(0.0)
    assert (a["afinn_ci_low"], a["afinn_ci_high"]) == pytest.approx((-1.0, 0.5))
    assert a["small_sample"]


def test_actor_summary_single_unit_has_no_interval() -> None:
    b = actor_summary(_mentions(), n_boot=100).set_index("actor").loc["B"]
    assert (b["n_sentences"], b["n_units"]) == (1, 1)
    assert b["mean_compound"] == pytest.approx(0.2)
    assert np.isnan(b["compound_ci_low"]) and np.isnan(b["compound_ci_high"])


def test_actor_summary_is_seeded_and_independent_of_other_actors() -> None:
    mentions = _mentions()
    first = actor_summary(mentions, n_boot=300, seed=5)
    pd.testing.assert_frame_equal(first, actor_summary(mentions, n_boot=300, seed=5))
    only_a = actor_summary(mentions[mentions["actor"] == "A"], n_boot=300, seed=5)
    pd.testing.assert_frame_equal(only_a, first.iloc[[0]])


def test_actor_summary_flags_small_samples() -> None:
    summary = actor_summary(_mentions(), n_boot=50, min_units=2).set_index("actor")
    assert summary["small_sample"].to_dict() == {"A": False, "B": True}


def test_actor_summary_of_no_mentions() -> None:
    summary = actor_summary(actor_sentiment(["Nothing to see."]))
    assert summary.empty
    assert summary.columns[0] == "actor"


def test_scored_terms_by_hand() -> None:
    # VADER: "no" -1.2 and "fun" 2.3 as single words; AFINN matches the phrase "no fun" (-3).
    terms = scored_terms("That was no fun at all.")
    assert terms.columns.tolist() == ["lexicon", "term", "score"]
    assert list(terms.itertuples(index=False, name=None)) == [
        ("VADER", "no", -1.2),
        ("VADER", "fun", 2.3),
        ("AFINN", "no fun", -3.0),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "We stand against the swell of hate.",
        "Our campaign's organisers are cheerily optimistic, not false.",
        "Nothing here.",
    ],
)
def test_scored_terms_afinn_sum_is_the_afinn_total(sentence: str) -> None:
    terms = scored_terms(sentence)
    afinn = terms.loc[terms["lexicon"] == "AFINN", "score"]
    assert afinn.sum() == afinn_total(sentence)
    vader = terms.loc[terms["lexicon"] == "VADER", "term"]
    assert set(vader) <= set(VADER.lexicon)


def test_scored_terms_of_a_sentence_without_scored_words_is_empty() -> None:
    terms = scored_terms("The cat sat on the mat.")
    assert terms.empty
    assert terms.columns.tolist() == ["lexicon", "term", "score"]


def test_describe_differences_uses_the_module_labels_and_decimals() -> None:
    # The wording itself is tested once, in tests/test_compare.py.
    (line,) = describe_differences(paired_row("mean_compound"), names={"answer": "answers"})
    assert line.startswith(
        "VADER compound: higher in answers than in question by 0.050 (means 1.650"
    )
    assert line.endswith(" - the interval excludes 0 and q < 0.05.")


@pytest.mark.parametrize(
    ("sentence", "line"),
    [
        ("That was no fun at all.", "VADER: no -1.2, fun +2.3; AFINN: no fun -3"),
        ("The cat sat on the mat.", "no scored words"),
    ],
)
def test_describe_terms(sentence: str, line: str) -> None:
    assert describe_terms(sentence) == line
