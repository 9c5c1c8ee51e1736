"""Tests for discourse.sentiment: VADER and AFINN per sentence, agreement, actor sentiment."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from afinn import Afinn
from comparison_rows import paired_row
from scipy import stats
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from discourse import stats as inference
from discourse.corpus import ParseError
from discourse.sentiment import (
    ACTOR_COLUMNS,
    ACTOR_FIELDS,
    EXPOSURE,
    SENTENCE_CLASSES,
    VADER_NEGATIVE,
    VADER_POSITIVE,
    actor_labels,
    actor_sentiment,
    actor_summary,
    afinn_sentiment,
    afinn_total,
    describe_actors,
    describe_differences,
    describe_terms,
    format_value,
    load_actors,
    method_agreement,
    scored_terms,
    sentence_classes,
    sentence_intervals,
    sentence_sentiment,
    sentiment_scores,
    vader_compound,
    vader_sentiment,
)
from discourse.study.paths import CORPUS
from discourse.text import sentences

VADER = SentimentIntensityAnalyzer()
FIXTURES = Path(__file__).parent / "fixtures"
#: The actor dictionary of the committed study (study data, not package data).
STUDY_ACTORS = CORPUS / "actors.csv"
#: An invented dictionary for the tests of the matching itself.
ACTORS = pd.DataFrame(
    {
        "actor": ["Tories", "Tories", "Labour leader", "own slate"],
        "pattern": ["Tor(?:y|ies)", "Conservatives?", "Starmer", "our slate"],
        "note": ["", "", "", ""],
    }
)
# Sentences written for the AFINN equivalence test: phrases of the list ("does not work",
# "can't stand", "no fun"), apostrophes, hyphens, capitals and digits.
AFINN_CASES = """It does not work, and I can't stand it. That was no fun at all!
Our well-being isn't a side issue; it's GOOD news for 2024. Don't give up.
They won't be cool with a so-so plan. We're not ok with it. What a green-wash.
Such a let-down, but a great, great win. Some kind of self-deluded hope? No thanks.
"""


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


def test_afinn_total_equals_the_afinn_package_on_every_fixture_sentence() -> None:
    afinn = Afinn()
    texts = [AFINN_CASES, *(f.read_text(encoding="utf-8") for f in FIXTURES.rglob("*.txt"))]
    all_sentences = [s for t in texts for line in t.splitlines() for s in sentences(line)]
    assert len(all_sentences) > 300
    assert [afinn_total(s) for s in all_sentences] == [afinn.score(s) for s in all_sentences]


def test_afinn_sentiment_by_hand() -> None:
    # good = 3 in 3 words; great = 3 in 6 words.
    row = afinn_sentiment(["This is good. That is great news for us."]).iloc[0]
    assert row["n_sentences"] == 2
    assert row["words"] == 9
    assert row["sentences_with_words"] == 2
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
    scores = [c for c in frame.columns if c not in ("n_sentences", "words", "sentences_with_words")]
    assert frame[scores].isna().all().all()


@pytest.mark.parametrize("function", [vader_sentiment, afinn_sentiment, sentence_sentiment])
def test_no_texts(function) -> None:
    frame = function(pd.Series([], dtype=object))
    assert frame.empty
    assert len(frame.columns) >= 4


def test_exposure_names_a_count_column_of_the_same_output() -> None:
    texts = ["This is good. This is bad.", "This is good."]
    outputs = [vader_sentiment(texts), afinn_sentiment(texts)]
    for feature, exposure in EXPOSURE.items():
        (frame,) = [f for f in outputs if feature in f.columns]
        assert exposure in frame.columns
        assert frame[exposure].dtype == np.int64
    assert {EXPOSURE[f] for f in ("mean_compound", "share_positive", "share_negative")} == {
        "n_sentences"
    }
    assert EXPOSURE["afinn_per_word"] == "words"


def test_weighting_by_exposure_gives_the_mean_over_sentences() -> None:
    # Two sentences (good, bad) and one (good): weighted by sentences, the turns' means pool
    # into the mean of the three sentences, (0.4404 - 0.5423 + 0.4404) / 3.
    vader = vader_sentiment(["This is good. This is bad.", "This is good."])
    pooled = np.average(vader["mean_compound"], weights=vader[EXPOSURE["mean_compound"]])
    assert pooled == pytest.approx((0.4404 - 0.5423 + 0.4404) / 3)
    afinn = afinn_sentiment(["This is good. That is great news for us.", "That is bad."])
    per_word = np.average(afinn["afinn_per_word"], weights=afinn[EXPOSURE["afinn_per_word"]])
    assert per_word == pytest.approx((3 + 3 - 3) / (9 + 3))
    per_sentence = np.average(
        afinn["mean_sentence_afinn"], weights=afinn[EXPOSURE["mean_sentence_afinn"]]
    )
    assert per_sentence == pytest.approx((3 / 3 + 3 / 6 - 3 / 3) / 3)


def test_sentences_without_words_are_not_exposure_of_the_afinn_mean() -> None:
    row = afinn_sentiment(["?!"]).iloc[0]
    assert (row["n_sentences"], row["sentences_with_words"], row["words"]) == (1, 0, 0)


def _agreement_frame(units: int = 4) -> pd.DataFrame:
    """Two sentences per unit; the first four units are the hand-worked example."""
    vader = [0.1, 0.5, -0.2, 0.9, 0.0, -0.6, 0.3, 0.4, 0.7, -0.1, 0.2, 0.6, -0.4, 0.8, 0.05, 0.15]
    afinn = [0.0, 1.0, -0.5, 2.0, 0.1, -1.0, 0.2, 0.5, 0.9, -0.3, 0.1, 0.4, -0.2, 1.5, 0.3, 0.2]
    return pd.DataFrame(
        {
            "unit": [f"u{k // 2}" for k in range(2 * units)],
            "vader_compound": vader[: 2 * units],
            "afinn_score": afinn[: 2 * units],
        }
    )


def test_method_agreement_rho_by_hand() -> None:
    # Ranks 1, 2, 3, 4 against 1, 3, 2, 4: squared rank differences 0 + 1 + 1 + 0 = 2, so
    # rho = 1 - 6 * 2 / (4 * (16 - 1)) = 0.8 (Spearman 1904).
    frame = pd.DataFrame(
        {"unit": list("abcd"), "vader_compound": [1, 2, 3, 4], "afinn_score": [1, 3, 2, 4]}
    )
    assert method_agreement(frame)["rho"] == pytest.approx(0.8)


def test_method_agreement_columns_and_counts() -> None:
    frame = _agreement_frame(units=8)
    result = method_agreement(frame, n_boot=200)
    assert result.index.tolist() == [
        "rho",
        "ci_low",
        "ci_high",
        "p",
        "n_sentences",
        "n_units",
        "resample",
        "too_few",
    ]
    expected = stats.spearmanr(frame["vader_compound"], frame["afinn_score"]).statistic
    assert result["rho"] == pytest.approx(expected)
    assert (result["n_sentences"], result["n_units"], result["resample"]) == (16, 8, "unit")
    assert not result["too_few"]
    assert result["ci_low"] <= result["rho"] <= result["ci_high"]


def test_method_agreement_is_the_inference_modules_rank_correlation() -> None:
    frame = _agreement_frame(units=8)
    by_unit = inference.rank_correlation(
        frame["vader_compound"], frame["afinn_score"], units=frame["unit"], n_resamples=200, seed=3
    )
    by_sentence = inference.rank_correlation(
        frame["vader_compound"], frame["afinn_score"], n_resamples=200, seed=3
    )
    for resample, expected in (("unit", by_unit), ("sentence", by_sentence)):
        result = method_agreement(frame, resample=resample, n_boot=200, seed=3)
        assert result[["rho", "ci_low", "ci_high", "p"]].tolist() == pytest.approx(
            expected[["rho", "ci_low", "ci_high", "p"]].tolist()
        )
    assert (by_unit["ci_low"], by_unit["ci_high"]) != (
        by_sentence["ci_low"],
        by_sentence["ci_high"],
    )


def test_method_agreement_interval_and_p_agree() -> None:
    result = method_agreement(_agreement_frame(units=8), n_boot=500)
    excludes_zero = result["ci_low"] > 0 or result["ci_high"] < 0
    assert excludes_zero == (result["p"] < 0.05)


def test_method_agreement_with_too_few_units_has_no_interval() -> None:
    # Four units are fewer than the six an interval needs; their eight sentences are enough
    # when sentences are drawn one by one.
    frame = _agreement_frame(units=4)
    by_unit = method_agreement(frame, n_boot=200)
    assert inference.min_units() == 6
    assert by_unit["too_few"] and (by_unit["n_units"], by_unit["n_sentences"]) == (4, 8)
    assert np.isfinite(by_unit["rho"])
    assert np.isnan(by_unit["ci_low"]) and np.isnan(by_unit["ci_high"]) and np.isnan(by_unit["p"])
    by_sentence = method_agreement(frame, n_boot=200, resample="sentence")
    assert not by_sentence["too_few"] and np.isfinite(by_sentence["ci_low"])


def test_method_agreement_of_identical_rankings_is_one() -> None:
    # Every resample ranks both variables alike: rho = 1 in all of them, so the interval is
    # [1, 1] and no resample is at or below 0 (p = 0).
    frame = _agreement_frame(units=8).assign(afinn_score=lambda f: f["vader_compound"] * 2)
    result = method_agreement(frame, n_boot=100)
    assert result["rho"] == pytest.approx(1.0)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((1.0, 1.0))
    assert result["p"] == 0.0


def test_method_agreement_is_seeded() -> None:
    frame = _agreement_frame(units=8)
    first = method_agreement(frame, n_boot=200, seed=3)
    assert first.equals(method_agreement(frame, n_boot=200, seed=3))


def test_method_agreement_leaves_out_sentences_without_words_and_needs_three() -> None:
    frame = _agreement_frame().iloc[:3].assign(afinn_score=[0.0, np.nan, 1.0])
    result = method_agreement(frame, n_boot=50)
    assert result["n_sentences"] == 2
    assert np.isnan(result["rho"]) and np.isnan(result["ci_low"])


def test_method_agreement_rejects_an_unknown_resample() -> None:
    with pytest.raises(ValueError, match="resample"):
        method_agreement(_agreement_frame(), resample="answer")


def _dictionary(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "actors.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def test_load_actors_reads_the_rows_in_file_order(tmp_path: Path) -> None:
    path = _dictionary(
        tmp_path,
        '# source: invented, with a comma, and "quotes"\n'
        "actor,pattern,note\n"
        'bakers,bakers?,"the bakers, by name"\n'
        "\n"
        'bread,bread|loaf,"a note\nover two lines"\n'
        "bakers,(?-i:BK),initials\n",
    )
    actors = load_actors(path)
    assert actors.columns.tolist() == list(ACTOR_FIELDS) == ["actor", "pattern", "note"]
    assert actors.values.tolist() == [
        ["bakers", "bakers?", "the bakers, by name"],
        ["bread", "bread|loaf", "a note\nover two lines"],
        ["bakers", "(?-i:BK)", "initials"],
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("actor,pattern,note\nx,y,z\n", 1, "'# source:' comment"),
        ("# source: s\nactor,regex,note\nx,y,z\n", 2, "header must be 'actor,pattern,note'"),
        ("# source: s\n", 2, "got 'nothing'"),
        ("# source: s\nactor,pattern,note\n", 3, "no actor"),
        ("# source: s\nactor,pattern,note\nx,y,z\nx,y\n", 4, "expected 3 fields"),
        ("# source: s\nactor,pattern,note\nx,a,b,c\n", 3, "quote a field"),
        ("# source: s\nactor,pattern,note\nx,y,z\nw,(unclosed,z\n", 4, "not a regular"),
        ("# source: s\nactor,pattern,note\n,y,z\n", 3, "must not be empty"),
        ("# source: s\nactor,pattern,note\nx, ,z\n", 3, "must not be empty"),
        # A note over two lines: the next row is on line 5.
        ('# source: s\nactor,pattern,note\nx,y,"a\nb"\nw,[,z\n', 5, "not a regular"),
        # A bare carriage return ends a line too.
        ("# source: s\ractor,pattern,note\rx,y,z\rw,(,z\r", 4, "not a regular"),
        ('# source: s\nactor,pattern,note\nx,y,"unclosed\n', 3, "not a valid CSV row"),
    ],
)
def test_load_actors_names_the_file_and_line_of_bad_input(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = _dictionary(tmp_path, text)
    with pytest.raises(ParseError, match=re.escape(message)) as caught:
        load_actors(path)
    assert (caught.value.path, caught.value.line) == (path, line)


def test_load_actors_refuses_text_that_is_not_utf8(tmp_path: Path) -> None:
    path = _dictionary(tmp_path, b"# source: s\nactor,pattern,note\ncaf\xe9,x,y\n")
    with pytest.raises(ParseError, match="not UTF-8") as caught:
        load_actors(path)
    assert caught.value.line == 3


def test_load_actors_needs_a_path() -> None:
    with pytest.raises(TypeError):
        load_actors()  # type: ignore[call-arg]  # the package ships no dictionary


def test_the_study_dictionary_has_a_source_line_and_valid_patterns() -> None:
    assert STUDY_ACTORS.read_text(encoding="utf-8").startswith("# source:")
    actors = load_actors(STUDY_ACTORS)
    assert set(actors["actor"]) == {
        "Momentum Organisers",
        "Your Momentum",
        "Momentum's sitting NCG",
        "Momentum",
        "Labour leadership",
        "Labour right",
        "Labour Party machinery",
        "Labour Party",
        "the Labour left",
        "Conservatives",
        "trade unions",
        "community organisations and movements",
        "left MPs and SCG",
        "media",
    }
    assert (actors["note"].str.len() > 0).all()
    assert not actors["pattern"].str.fullmatch(r"(?i)we|our|us").any()


def test_the_fixture_dictionaries_load() -> None:
    found = sorted(FIXTURES.glob("*/actors.csv"))
    assert found
    for path in found:
        assert len(load_actors(path)) > 0


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("The Tories cut services.", "Conservatives"),
        ("A Tory politician spoke.", "Conservatives"),
        ("Our campaign's plan is clear.", "Momentum Organisers"),
        ("Momentum Organisers will win.", "Momentum Organisers"),
        ("They cohere MO as a slate.", "Momentum Organisers"),
        ("Your Momentum launched in the Morning Star.", "Your Momentum"),
        ("We see our YM opponents as comrades.", "Your Momentum"),
        ("The current Momentum NCG failed.", "Momentum's sitting NCG"),
        ("The current Momentum leadership has failed.", "Momentum's sitting NCG"),
        ("The current leadership has failed.", "Momentum's sitting NCG"),
        ("Forward Momentum won in 2020.", "Momentum's sitting NCG"),
        ("Momentum is the largest socialist organisation.", "Momentum"),
        ("Oxfordshire Momentum met.", "Momentum"),
        ("Starmer\u2019s office decided.", "Labour leadership"),
        ("The Leader of the Opposition\u2019s Office decided.", "Labour leadership"),
        ("Labour\u2019s leadership blocks candidates.", "Labour leadership"),
        ("The Labour right organised.", "Labour right"),
        ("Akehurst made it clear.", "Labour right"),
        ("The GLU blocked him.", "Labour Party machinery"),
        ("Southside decided.", "Labour Party machinery"),
        ("Labour remains the path.", "Labour Party"),
        ("The Labour Party could be better.", "Labour Party"),
        ("The Labour Left is weak.", "the Labour left"),
        ("Bell Ribeiro-Addy spoke.", "left MPs and SCG"),
        ("The SCG MPs were cowed.", "left MPs and SCG"),
        ("UNISON members struck.", "trade unions"),
        ("Renters unions grew.", "community organisations and movements"),
        ("The Women\u2019s Strike mattered.", "community organisations and movements"),
        ("The British media is hostile.", "media"),
    ],
)
def test_the_study_dictionary_patterns_match(sentence: str, actor: str) -> None:
    assert actor in set(actor_sentiment([sentence], load_actors(STUDY_ACTORS))["actor"])


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
        "Mo and momentum.",  # lower-case "Mo" is not the slate, "momentum" not the organisation
        "Organised labour matters.",  # lower-case "labour" is work, not the party
        "MOWe strongly support this.",  # glued speaker label
        "Ym and ym.",  # lower-case "ym" is not the opposing slate
        "Socialism needs a plan.",  # "SCG" absent, "Socialist Campaign Group" absent
    ],
)
def test_the_study_dictionary_patterns_are_word_bounded_and_specific(sentence: str) -> None:
    assert actor_sentiment([sentence], load_actors(STUDY_ACTORS)).empty


def test_actor_sentiment_rows() -> None:
    texts = pd.Series(
        [
            "The Tories and the Tories again. Starmer and the Tories are bad.",
            "Nothing here. Our slate is good.",
        ],
        index=["a1", "a2"],
    )
    mentions = actor_sentiment(texts, ACTORS)
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
        ("a1", 0, "Tories"),
        ("a1", 1, "Tories"),
        ("a1", 1, "Labour leader"),
        ("a2", 1, "own slate"),
    ]
    assert mentions["matches"].tolist() == ["Tories", "Tories", "Starmer", "Our slate"]
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
    mentions = actor_sentiment(["Nothing to see."], ACTORS)
    assert mentions.empty
    assert "vader_compound" in mentions.columns


def _mentions(units_b: int = 6) -> pd.DataFrame:
    """Actor A in two units (u1 with two sentences, u2 with one); actor B in ``units_b``
    units of one sentence each, every score positive."""
    b = range(units_b)
    return pd.DataFrame(
        {
            "unit": ["u1", "u1", "u2", *(f"b{k}" for k in b)],
            "sentence_no": [0, 1, 0, *(0 for _ in b)],
            "actor": ["A", "A", "A", *("B" for _ in b)],
            "vader_compound": [0.5, 0.1, -0.3, *(0.1 * (k + 1) for k in b)],
            "afinn_score": [1.0, 0.0, -1.0, *(0.5 for _ in b)],
        }
    )


def test_actor_summary_columns() -> None:
    summary = actor_summary(_mentions(), n_boot=200)
    assert (
        summary.columns.tolist()
        == ACTOR_COLUMNS
        == [
            "actor",
            "n_sentences",
            "n_units",
            "mean_compound",
            "compound_ci_low",
            "compound_ci_high",
            "compound_p",
            "mean_afinn",
            "afinn_ci_low",
            "afinn_ci_high",
            "afinn_p",
            "too_few",
        ]
    )
    assert summary["actor"].tolist() == ["A", "B"]


def test_actor_summary_means_are_over_sentences_by_hand() -> None:
    a = actor_summary(_mentions(), n_boot=200).set_index("actor").loc["A"]
    assert (a["n_sentences"], a["n_units"]) == (3, 2)
    # The mean over the three sentences, (0.5 + 0.1 - 0.3) / 3 = 0.1, not the mean of the
    # units' means ((0.3 - 0.3) / 2 = 0).
    assert a["mean_compound"] == pytest.approx(0.1)
    assert a["mean_afinn"] == pytest.approx(0.0)  # (1 + 0 - 1) / 3


def test_actor_summary_below_six_units_has_no_interval() -> None:
    summary = actor_summary(_mentions(units_b=5), n_boot=200).set_index("actor")
    for actor, units in (("A", 2), ("B", 5)):
        row = summary.loc[actor]
        assert row["n_units"] == units and row["too_few"]
        assert np.isfinite(row["mean_compound"])
        bounds = ["compound_ci_low", "compound_ci_high", "compound_p"]
        assert row[bounds + ["afinn_ci_low", "afinn_ci_high", "afinn_p"]].isna().all()
    assert summary.loc["B", "mean_compound"] == pytest.approx(0.3)  # (0.1 + ... + 0.5) / 5


def test_actor_summary_from_six_units_by_hand() -> None:
    b = actor_summary(_mentions(units_b=6), n_boot=200).set_index("actor").loc["B"]
    assert (b["n_units"], b["too_few"]) == (6, False)
    assert b["mean_compound"] == pytest.approx(0.35)  # (0.1 + ... + 0.6) / 6
    # Every resample of six positive scores has a mean between the smallest and the largest,
    # so the interval lies within [0.1, 0.6] and no resample is at or below 0: p = 0.
    assert 0.1 <= b["compound_ci_low"] <= 0.35 <= b["compound_ci_high"] <= 0.6
    assert b["compound_p"] == 0.0
    # A constant score: every resample gives 0.5.
    assert (b["mean_afinn"], b["afinn_ci_low"], b["afinn_ci_high"]) == pytest.approx((0.5,) * 3)


def test_actor_summary_is_the_inference_modules_mean_interval_and_p_agrees() -> None:
    mentions = _mentions(units_b=8).assign(
        vader_compound=[0.5, 0.1, -0.3, 0.4, -0.2, 0.3, -0.5, 0.1, 0.6, -0.1, 0.2]
    )
    b = actor_summary(mentions, n_boot=300, seed=4).set_index("actor").loc["B"]
    rows = mentions[mentions["actor"] == "B"]
    expected = inference.mean_interval(
        rows["vader_compound"], units=rows["unit"], n_resamples=300, seed=4
    )
    found = (b["mean_compound"], b["compound_ci_low"], b["compound_ci_high"], b["compound_p"])
    assert found == pytest.approx((expected.estimate, expected.low, expected.high, expected.p))
    excludes_zero = b["compound_ci_low"] > 0 or b["compound_ci_high"] < 0
    assert excludes_zero == (b["compound_p"] < 0.05)


def test_actor_summary_is_seeded_and_independent_of_other_actors() -> None:
    mentions = _mentions(units_b=7)
    first = actor_summary(mentions, n_boot=300, seed=5)
    pd.testing.assert_frame_equal(first, actor_summary(mentions, n_boot=300, seed=5))
    only_b = actor_summary(mentions[mentions["actor"] == "B"], n_boot=300, seed=5)
    pd.testing.assert_frame_equal(only_b, first.iloc[[1]].reset_index(drop=True))


def test_actor_summary_of_no_mentions() -> None:
    summary = actor_summary(actor_sentiment(["Nothing to see."], ACTORS))
    assert summary.empty
    assert summary.columns.tolist() == ACTOR_COLUMNS


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
    assert line.endswith(f" - supported: {inference.verdict_words()['supported']}.")


@pytest.mark.parametrize(
    ("sentence", "line"),
    [
        ("That was no fun at all.", "VADER: no -1.2, fun +2.3; AFINN: no fun -3"),
        ("The cat sat on the mat.", "no scored words"),
    ],
)
def test_describe_terms(sentence: str, line: str) -> None:
    assert describe_terms(sentence) == line


def test_actor_summary_by_a_column_gives_each_value_its_rows() -> None:
    mentions = _mentions(units_b=6).assign(slate=["S", "S", "T", "S", "S", "S", "T", "T", "T"])
    summary = actor_summary(mentions, by="slate", n_boot=200)
    assert summary.columns.tolist() == ["slate", *ACTOR_COLUMNS]
    keys = summary[["slate", "actor", "n_sentences", "n_units"]].values.tolist()
    assert keys == [["S", "A", 2, 1], ["T", "A", 1, 1], ["S", "B", 3, 3], ["T", "B", 3, 3]]
    # S's two sentences of A: (0.5 + 0.1) / 2; T's B: (0.4 + 0.5 + 0.6) / 3.
    assert summary["mean_compound"].tolist() == pytest.approx([0.3, -0.3, 0.2, 0.5])
    assert summary["too_few"].all()


def test_actor_summary_by_a_missing_column() -> None:
    with pytest.raises(ValueError, match="slate"):
        actor_summary(_mentions(), by="slate")


def _summary_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "slate": ["S", "T", "S"],
            "actor": ["media", "media", "unions"],
            "n_sentences": [1, 9, 12],
            "n_units": [1, 2, 7],
            "mean_compound": [-0.25, 0.1, 0.4],
            "compound_ci_low": [np.nan, np.nan, 0.1],
            "compound_ci_high": [np.nan, np.nan, 0.6],
            "compound_p": [np.nan, np.nan, 0.004],
            "mean_afinn": [0.0, -0.021, 0.062],
            "afinn_ci_low": [np.nan, np.nan, -0.012],
            "afinn_ci_high": [np.nan, np.nan, 0.12],
            "afinn_p": [np.nan, np.nan, 0.2],
            "too_few": [True, True, False],
        },
        index=[5, 6, 7],
    )


def test_actor_labels() -> None:
    summary = _summary_rows()
    assert actor_labels(summary).tolist() == [
        "media (1 sentence, 1 answer: too few units)",
        "media (9 sentences, 2 answers: too few units)",
        "unions (12 sentences, 7 answers)",
    ]
    labels = actor_labels(summary, "question", by="slate")
    assert labels.index.tolist() == [5, 6, 7]
    assert labels.iloc[1] == "media, T (9 sentences, 2 questions: too few units)"


def test_describe_actors_highest_first() -> None:
    assert describe_actors(_summary_rows(), by="slate") == [
        "unions (S): 12 sentences in 7 answers; VADER 0.400 [0.100, 0.600], AFINN 0.062 "
        "[-0.012, 0.120] (VADER interval above 0, p = 0.004).",
        "media (T): 9 sentences in 2 answers; VADER 0.100, AFINN -0.021 (too few units for an "
        "interval, which needs 6 answers).",
        "media (S): 1 sentence in 1 answer; VADER -0.250, AFINN 0.000 (too few units for an "
        "interval, which needs 6 answers).",
    ]
    below = (
        _summary_rows()
        .iloc[[2]]
        .assign(mean_compound=-0.4, compound_ci_low=-0.6, compound_ci_high=-0.1)
    )
    assert "VADER interval below 0, p = 0.004" in describe_actors(below)[0]
    across = below.assign(compound_ci_high=0.2, compound_p=0.5)
    assert "VADER interval includes 0, p = 0.500" in describe_actors(across)[0]


def test_sentiment_scores_are_both_methods_side_by_side() -> None:
    texts = pd.Series(["This is good. That is great news for us.", ""], index=["a", "b"])
    scores = sentiment_scores(texts)
    assert scores.index.tolist() == ["a", "b"]
    vader, afinn = vader_sentiment(texts), afinn_sentiment(texts)
    pd.testing.assert_frame_equal(scores[vader.columns], vader)
    pd.testing.assert_frame_equal(scores[afinn.columns[1:]], afinn.drop(columns="n_sentences"))
    assert set(EXPOSURE.values()) | set(EXPOSURE) <= set(scores.columns)


def test_sentence_classes_by_hand() -> None:
    frame = pd.DataFrame(
        {
            "vader_compound": [0.05, 0.049, -0.05, 0.6, -0.7, 0.0],
            "afinn_score": [0.1, 0.0, -0.2, -0.1, 0.3, np.nan],
        },
        index=[3, 4, 5, 6, 7, 8],
    )
    classes = sentence_classes(frame)
    assert classes.index.tolist() == [3, 4, 5, 6, 7, 8]
    assert classes["VADER"].tolist() == [
        "positive",
        "neutral",
        "negative",
        "positive",
        "negative",
        "neutral",
    ]
    assert classes["AFINN"].tolist() == [
        "positive",
        "neutral",
        "negative",
        "negative",
        "positive",
        "neutral",  # a sentence without words has no AFINN score
    ]
    assert classes["opposite"].tolist() == [False, False, False, True, True, False]
    assert list(classes["VADER"].cat.categories) == list(SENTENCE_CLASSES)


def test_sentence_intervals_by_hand() -> None:
    good, bad = "This is good.", "This is bad."
    texts = pd.Series([f"{good} {bad}", " ".join([good] * 6), ""], index=["two", "six", "none"])
    found = sentence_intervals(texts, n_resamples=200)
    assert found.columns.tolist() == ["sentences", "estimate", "ci_low", "ci_high", "p"]
    assert found["sentences"].tolist() == [2, 6, 0]
    assert found.loc["two", "estimate"] == pytest.approx((compound(good) + compound(bad)) / 2)
    assert np.isnan(found.loc["two", ["ci_low", "ci_high", "p"]].astype(float)).all()
    # Six equal scores: every resample gives the same mean, away from 0.
    six = found.loc["six"]
    assert (six["estimate"], six["ci_low"], six["ci_high"]) == pytest.approx((compound(good),) * 3)
    assert six["p"] == 0.0
    assert np.isnan(found.loc["none", "estimate"])


def test_sentence_intervals_of_afinn_leave_out_sentences_without_words() -> None:
    text = "* * *. This is good. 2024!"
    assert sentence_sentiment([text])["afinn_score"].isna().sum() == 1
    found = sentence_intervals([text], "afinn_score").iloc[0]
    # "* * *." has no word and no score; "This is good." scores 3 / 3 words; "2024!" has a
    # word (a digit run) and scores 0.
    assert found["sentences"] == 2
    assert found["estimate"] == pytest.approx(0.5)


def test_sentence_intervals_is_the_inference_modules_mean_interval() -> None:
    text = "This is good. This is bad. It is fine. I hate it. We love it. It is red. Sad."
    found = sentence_intervals([text], n_resamples=300, seed=3).iloc[0]
    scores = sentence_sentiment([text])["vader_compound"]
    expected = inference.mean_interval(scores, n_resamples=300, seed=3)
    assert (found["estimate"], found["ci_low"], found["ci_high"], found["p"]) == pytest.approx(
        (expected.estimate, expected.low, expected.high, expected.p)
    )


def test_sentence_intervals_rejects_an_unknown_score() -> None:
    with pytest.raises(ValueError, match="score"):
        sentence_intervals(["Text."], "mean_compound")


def test_format_value() -> None:
    assert format_value(0.12345, "mean_compound") == "0.123"
