"""Tests for discourse.rhetoric: word lists, counts and rates on hand-counted texts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from comparison_rows import paired_row

from discourse import rhetoric, stats
from discourse.resources import DATA
from discourse.rhetoric import (
    CATEGORIES,
    EXPOSURE,
    LABELS,
    RATE_COLUMNS,
    TURN_COLUMNS,
    describe_differences,
    examples,
    lexicon_table,
    load_context_words,
    load_lexicon,
    occurrences,
    rate_intervals,
    rhetoric_counts,
    rhetoric_rates,
    source_sentence,
    term_hits,
    turn_counts,
    turn_rates,
    we_they_share,
)
from discourse.text import normalise, sentence_table, words

# 30 words, 4 sentences (one question, one exclamation). Hand count per category:
#   first_person_singular  I                                   1
#   first_person_plural    we, us, we                          3
#   second_person          You                                 1
#   third_person_singular  she, him                            2
#   third_person_plural    they                                1
#   hedges                 Perhaps, may                        2
#   boosters               think, really, never                3
#     ("we may never know" is no booster: "never", not "we", stands before "know", rule K1;
#      before the context rules it counted 4)
#   obligation             must, need to                       2
#   possibility            can't, may                          2
#   negation               can't, never                        2
#   contrast               but, However, on the other hand     3
#   intensifiers           really                              1
TEXT = (
    "I think we must act, but they can't stop us. You really need to see it! "
    "Perhaps she will help him? However, on the other hand, we may never know."
)
HAND = {
    "first_person_singular": {"i": 1},
    "first_person_plural": {"we": 2, "us": 1},
    "second_person": {"you": 1},
    "third_person_singular": {"she": 1, "him": 1},
    "third_person_plural": {"they": 1},
    "hedges": {"perhaps": 1, "may": 1},
    "boosters": {"think": 1, "really": 1, "never": 1},
    "obligation": {"must": 1, "need to": 1},
    "possibility": {"can't": 1, "may": 1},
    "negation": {"can't": 1, "never": 1},
    "contrast": {"but": 1, "however": 1, "on the other hand": 1},
    "intensifiers": {"really": 1},
}


def test_every_category_has_a_sourced_data_file_and_no_other_file_exists():
    on_disk = {p.stem.removeprefix("rhetoric_") for p in DATA.glob("rhetoric_*.txt")}
    assert on_disk == {*CATEGORIES, "context_words"}  # the context rules' word lists
    for category in CATEGORIES:
        first = (DATA / f"rhetoric_{category}.txt").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# source: ")
        lexicon = load_lexicon(category)
        assert lexicon.source
        assert all(t == t.lower() and t == " ".join(t.split()) for t in lexicon.terms)
        assert len(set(lexicon.terms)) == len(lexicon.terms)


def test_lexicon_table_lists_every_term_once_per_category():
    table = lexicon_table()
    assert list(table.columns) == ["category", "term", "n_words", "source"]
    assert not table.duplicated(["category", "term"]).any()
    assert table.loc[table["term"] == "on the other hand", "n_words"].tolist() == [4]


def test_unknown_category_is_refused():
    with pytest.raises(ValueError, match="unknown category"):
        load_lexicon("adverbs")


@pytest.mark.parametrize("category", CATEGORIES)
def test_counts_match_the_hand_count_for_every_category(category):
    counts = rhetoric_counts([TEXT])
    assert counts.loc[0, category] == sum(HAND[category].values())
    hits = term_hits([TEXT], category)
    assert dict(zip(hits["term"], hits["count"], strict=True)) == HAND[category]


def test_words_sentences_questions_and_exclamations_are_hand_counted():
    counts = rhetoric_counts([TEXT])
    assert counts.loc[0, ["words", "sentences", "questions", "exclamations"]].tolist() == [
        30,
        4,
        1,
        1,
    ]
    assert counts.loc[0, "words"] == len(words(TEXT))


def test_rates_are_per_thousand_words_and_marks_per_sentence():
    rates = rhetoric_rates([TEXT])
    assert rates.loc[0, "first_person_plural"] == pytest.approx(3 / 30 * 1000)
    assert rates.loc[0, "boosters"] == pytest.approx(3 / 30 * 1000)  # K1 drops "never know"
    assert rates.loc[0, "questions_per_sentence"] == pytest.approx(1 / 4)
    assert rates.loc[0, "exclamations_per_sentence"] == pytest.approx(1 / 4)
    assert list(rates.columns) == [
        "words",
        "sentences",
        *CATEGORIES,
        "questions_per_sentence",
        "exclamations_per_sentence",
    ]


@pytest.mark.parametrize(
    ("text", "category", "expected"),
    [
        ("We need to win.", "obligation", 1),
        ("We need money.", "obligation", 0),  # "need" alone is not the semi-modal
        ("We need, to be fair, money.", "obligation", 0),  # no phrase across punctuation
        ("We have. To be fair, no.", "obligation", 0),  # nor across a sentence end
        ("We have - to be blunt - lost.", "obligation", 0),  # nor across a dash
        ("even though it rained", "contrast", 1),  # the longest term wins, counted once
        ("On the other hand, yes.", "contrast", 1),
        ("the other hand", "contrast", 0),
        ("The U.S. economy", "first_person_plural", 0),  # "U.S." is one token, not "us"
        ("users weary of wealth", "first_person_plural", 0),  # whole tokens only
        ("I'm sure I'll go", "first_person_singular", 2),  # contractions are one token
        ("We mustn't stop", "obligation", 1),
        ("We mustn't stop", "negation", 1),
        ("It\u2019s what we CAN\u2019T do", "possibility", 1),  # curly apostrophe, upper case
        ("It\u2019s what we CAN\u2019T do", "negation", 1),
        ("I don't know", "negation", 1),
        ("anti-racist work", "negation", 0),
    ],
)
def test_phrases_tokens_and_contractions(text, category, expected):
    assert rhetoric_counts([text]).loc[0, category] == expected


def test_cant_counts_as_possibility_and_negation():
    counts = rhetoric_counts(["can't"])
    assert counts.loc[0, "possibility"] == 1
    assert counts.loc[0, "negation"] == 1


def test_empty_and_missing_texts_have_zero_words_and_missing_rates():
    texts = pd.Series(["", None, np.nan, "Yes"], index=["a", "b", "c", "d"])
    rates = rhetoric_rates(texts)
    assert rates["words"].tolist() == [0, 0, 0, 1]
    assert rates.loc[["a", "b", "c"], list(CATEGORIES)].isna().all().all()
    assert rates.loc[["a", "b", "c"], "questions_per_sentence"].isna().all()
    assert rates.loc["d", "hedges"] == 0


def test_output_is_aligned_to_the_input_index_even_with_repeated_labels():
    texts = pd.Series(["We won.", "They lost?", "You?"], index=[7, 7, 3])
    counts = rhetoric_counts(texts)
    assert counts.index.tolist() == [7, 7, 3]
    assert counts["first_person_plural"].tolist() == [1, 0, 0]
    assert counts["third_person_plural"].tolist() == [0, 1, 0]
    assert counts["questions"].tolist() == [0, 1, 1]


def test_empty_input_gives_an_empty_frame_with_the_columns():
    counts = rhetoric_counts([])
    assert counts.empty
    assert "negation" in counts.columns


def test_a_single_string_is_refused():
    with pytest.raises(TypeError):
        rhetoric_counts("We won.")


def test_question_mark_inside_closing_quotes_is_a_question():
    counts = rhetoric_counts(['Is it "fair?"'])
    assert counts.loc[0, "questions"] == 1


def test_term_hits_sum_to_counts_and_label_the_units():
    texts = pd.Series(["We can. We could not.", "No, never."], index=["x", "y"])
    hits = term_hits(texts, "negation")
    assert hits.to_dict("list") == {
        "unit": ["x", "y", "y"],
        "term": ["not", "never", "no"],
        "count": [1, 1, 1],
    }
    counts = rhetoric_counts(texts)
    assert hits.groupby("unit")["count"].sum().to_dict() == counts["negation"].to_dict()
    assert term_hits(texts, "intensifiers").empty


def test_we_they_share_by_text_and_pooled():
    counts = rhetoric_counts(["We and us, they.", "They, them.", "Nobody."])
    share = we_they_share(counts)
    assert share.iloc[0] == pytest.approx(2 / 3)
    assert share.iloc[1] == 0
    assert math.isnan(share.iloc[2])
    pooled = we_they_share(counts.sum().to_frame().T)
    assert pooled.iloc[0] == pytest.approx(2 / 5)


def _exchanges() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["d", "d"],
            "slate": ["S", "S"],
            "exchange": [1, 2],
            "exchange_id": ["d/1", "d/2"],
            "part": ["general", "specific"],
            "question_key": ["id:win", "text:why"],
            "interviewer": ["Ed Itor", "Ann Other"],
            "question": ["Will you win?", "Why?"],
            "answer": ["We will. They won't!", "We lost it."],
        },
        index=[10, 20],
    )


def test_turn_rates_gives_a_question_then_an_answer_row_per_exchange():
    turns = turn_rates(_exchanges())
    assert list(turns.columns) == [*TURN_COLUMNS, "words", "sentences", *RATE_COLUMNS]
    assert "text" not in TURN_COLUMNS
    assert turns["turn"].tolist() == ["question", "answer", "question", "answer"]
    assert turns["speaker"].tolist() == ["Ed Itor", "S", "Ann Other", "S"]
    assert turns["exchange"].tolist() == [1, 1, 2, 2]
    assert turns["label"].tolist() == ["1", "1", "2", "2"]
    assert turns["exchange_id"].tolist() == ["d/1", "d/1", "d/2", "d/2"]
    assert turns["part"].tolist() == ["general", "general", "specific", "specific"]
    assert turns["question_key"].tolist() == ["id:win", "id:win", "text:why", "text:why"]
    assert turns["words"].tolist() == [3, 4, 1, 3]
    # hand count: "you" 1 of 3 words; "We" 1 and "They" 1 of 4 words; "We" 1 of 3 words
    assert turns["second_person"].tolist() == pytest.approx([1000 / 3, 0, 0, 0])
    assert turns["first_person_plural"].tolist() == pytest.approx([0, 250, 0, 1000 / 3])
    assert turns["third_person_plural"].tolist() == pytest.approx([0, 250, 0, 0])
    assert turns["questions_per_sentence"].tolist() == [1, 0, 1, 0]
    assert turns["exclamations_per_sentence"].tolist() == [0, 0.5, 0, 0]


def test_turn_keys_are_the_exchanges_tables_own():
    # A declared question id pairs two differently worded questions; nothing is recomputed
    # from the text, and labels name the exchange by its id once there are two interviews.
    table = pd.concat([_exchanges(), _exchanges()], ignore_index=True)
    table.loc[2:, ["doc_id", "slate"]] = ["e", "T"]
    table.loc[2:, "exchange_id"] = ["e/1", "e/2"]
    table.loc[2, "question"] = "Can you win at all?"
    turns = turn_rates(table)
    answers = turns[turns["turn"] == "answer"]
    assert answers["question_key"].tolist() == ["id:win", "text:why", "id:win", "text:why"]
    assert answers["label"].tolist() == ["d/1", "d/2", "e/1", "e/2"]
    assert turns["exchange_id"].nunique() == 4


@pytest.mark.parametrize("column", ["answer", "question_key", "exchange_id", "interviewer"])
def test_turn_rates_names_a_missing_column(column):
    with pytest.raises(KeyError, match=column):
        turn_rates(_exchanges().drop(columns=column))


def test_turn_counts_has_the_rows_and_ids_of_turn_rates_and_hand_counted_counts():
    counts = turn_counts(_exchanges())
    rates = turn_rates(_exchanges())
    assert list(counts.columns) == [
        *TURN_COLUMNS,
        "words",
        "sentences",
        *CATEGORIES,
        "questions",
        "exclamations",
    ]
    assert counts[list(TURN_COLUMNS)].equals(rates[list(TURN_COLUMNS)])
    # hand count as in the turn_rates test above
    assert counts["words"].tolist() == [3, 4, 1, 3]
    assert counts["sentences"].tolist() == [1, 2, 1, 1]
    assert counts["second_person"].tolist() == [1, 0, 0, 0]
    assert counts["first_person_plural"].tolist() == [0, 1, 0, 1]
    assert counts["third_person_plural"].tolist() == [0, 1, 0, 0]
    assert counts["questions"].tolist() == [1, 0, 1, 0]
    assert counts["exclamations"].tolist() == [0, 1, 0, 0]
    assert (counts[list(CATEGORIES)].dtypes == np.int64).all()


def test_turn_counts_refuses_a_table_without_texts():
    with pytest.raises(KeyError, match="question"):
        turn_counts(_exchanges().drop(columns="question"))


def test_exposure_is_words_for_word_rates_and_sentences_for_sentence_shares():
    assert set(EXPOSURE) == set(RATE_COLUMNS)
    assert {f for f, e in EXPOSURE.items() if e == "words"} == set(CATEGORIES)
    assert EXPOSURE["questions_per_sentence"] == "sentences"
    assert EXPOSURE["exclamations_per_sentence"] == "sentences"
    assert set(EXPOSURE.values()) <= set(turn_rates(_exchanges()).columns)


def test_exposure_weights_give_pooled_rates():
    # two answers: 1 "we" in 3 words and 1 in 1 word; pooled 2 / 4 words = 500 per 1,000
    table = _exchanges().assign(
        part="general", question=["Why?", "How?"], answer=["We did it.", "We."]
    )
    turns = turn_rates(table)
    answers = turns[turns["turn"] == "answer"]
    (row,) = stats.group_intervals(
        answers, "first_person_plural", "part", weights=EXPOSURE
    ).itertuples()
    assert row.estimate == pytest.approx(500)
    assert answers["first_person_plural"].mean() == pytest.approx((1000 / 3 + 1000) / 2)


def test_labels_name_every_rate_column():
    assert set(LABELS) == set(RATE_COLUMNS)
    assert len(set(LABELS.values())) == len(LABELS)


# Six sentences: words 2, 2, 3, 2, 4, 3 (16 in all); "we" 1, 1, 0, 1, 0, 1; "they" 0, 0, 1, 0, 0, 0.
SIX = "We go. We go. They go now. We go. Go on then now. We did go."


def test_rate_intervals_is_a_ratio_of_sums_over_sentences():
    result = rate_intervals(pd.Series([SIX], index=["a"]), "first_person_plural", seed=1)
    assert result.index.tolist() == ["a"]
    assert result.loc["a", ["words", "sentences"]].tolist() == [16, 6]
    # total count over total words, not the mean of the sentence rates (305.6)
    assert result.loc["a", "rate"] == pytest.approx(1000 * 4 / 16)
    assert result.loc["a", "ci_low"] <= result.loc["a", "rate"] <= result.loc["a", "ci_high"]


def test_rate_intervals_balance_is_the_inference_modules_interval_of_sentence_rates():
    result = rate_intervals([SIX], "first_person_plural", "third_person_plural", seed=2)
    assert result.loc[0, "rate"] == pytest.approx(1000 * (4 - 1) / 16)
    # each sentence one unit, its rate per 1,000 words weighted by its words
    found = stats.mean_interval([500, 500, -1000 / 3, 500, 0, 1000 / 3], [2, 2, 3, 2, 4, 3], seed=2)
    assert result.loc[0, ["rate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [found.estimate, found.low, found.high]
    )
    assert found.low < found.estimate < found.high


def test_rate_intervals_equal_the_difference_of_rhetoric_rates():
    rates = rhetoric_rates([TEXT])
    result = rate_intervals([TEXT], ["boosters"], ["hedges"])
    assert result.loc[0, "rate"] == pytest.approx(rates.loc[0, "boosters"] - rates.loc[0, "hedges"])


@pytest.mark.parametrize(
    ("text", "sentences", "rate", "low", "high"),
    [
        ("We go. " * 6, 6, 500.0, 500.0, 500.0),  # every resample gives the same rate: a point
        # five sentences, 3 "we" in 13 words: a rate, but no interval
        ("We go. We go. They go now. We go. Go on then now.", 5, 3000 / 13, math.nan, math.nan),
        ("We go.", 1, 500.0, math.nan, math.nan),
        ("", 0, math.nan, math.nan, math.nan),  # no words: no rate
    ],
)
def test_rate_intervals_give_no_interval_below_six_sentences(text, sentences, rate, low, high):
    assert stats.min_units() == 6
    result = rate_intervals([text], "first_person_plural")
    assert result.loc[0, "sentences"] == sentences
    assert result.loc[0, ["rate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [rate, low, high], nan_ok=True
    )


def test_rate_intervals_are_deterministic_and_depend_on_the_seed():
    text = (
        "We won the vote. They lost. We won again in May. They did not expect it at all. "
        "We did. Our members knew. They said no. We went on and on."
    )
    first = rate_intervals([text, text], "first_person_plural", seed=3, n_resamples=500)
    assert first.equals(
        rate_intervals([text, text], "first_person_plural", seed=3, n_resamples=500)
    )
    # the same seed for every text: identical texts get identical intervals
    assert first.iloc[0].equals(first.iloc[1])
    other = rate_intervals([text, text], "first_person_plural", seed=4, n_resamples=500)
    assert not first[["ci_low", "ci_high"]].equals(other[["ci_low", "ci_high"]])


def test_rate_intervals_refuse_unknown_or_no_categories():
    with pytest.raises(ValueError, match="unknown categories"):
        rate_intervals(["We won."], "adverbs")
    with pytest.raises(ValueError, match="at least one"):
        rate_intervals(["We won."], [])


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        # curly quotes and apostrophes, a glued em dash, a line break inside the sentence
        (
            "Intro. We \u201cwon\u201d\u2014they didn\u2019t\nwin. Next.",
            "We \u201cwon\u201d\u2014they didn\u2019t\nwin.",
        ),
        ("It rained.Then we left.", "Then we left."),  # a glued full stop
        ("Plain text. Plain text.", "Plain text."),  # the first occurrence
    ],
)
def test_source_sentence_recovers_the_printed_typography(printed, expected):
    sentence = sentence_table(pd.Series([printed]))["sentence"].tolist()
    wanted = normalise(expected)
    assert wanted in sentence
    assert source_sentence(wanted, printed) == expected


def test_source_sentence_returns_the_sentence_when_it_is_not_in_the_text():
    assert source_sentence("We won.", "They lost.") == "We won."


def test_examples_quote_the_most_frequent_term_once_per_text_in_input_order():
    texts = pd.Series(
        [
            "They must go. We must stay. We should wait.",
            "Nothing here.",
            "You must see \u201cthis\u201d. Must we?",
            "We have to.",
        ],
        index=[4, 7, 9, 12],
    )
    quoted = examples(texts, "obligation", n=3)
    assert quoted.to_dict("list") == {
        "unit": [4, 9],
        "term": ["must", "must"],
        "sentence": ["They must go.", "You must see \u201cthis\u201d."],
    }
    assert examples(texts, "obligation", n=1)["unit"].tolist() == [4]
    assert examples(texts, "obligation", term="have to")["unit"].tolist() == [12]


def test_examples_quote_only_hits_the_context_rules_keep():
    texts = pd.Series(["We would work. We would contend it.", "It would seem so. I would say so."])
    # "would work" is a plan (M5) and "would seem" is counted on "seem" (M3): the first
    # sentence of each text holds "would" but no kept hit of it, so the second is quoted (M4)
    quoted = examples(texts, "hedges", term="would")
    assert quoted.to_dict("list") == {
        "unit": [0, 1],
        "term": ["would", "would"],
        "sentence": ["We would contend it.", "I would say so."],
    }


def test_examples_of_an_absent_category_are_empty_and_bad_input_is_refused():
    assert examples(["We won."], "intensifiers").empty
    with pytest.raises(ValueError, match="unique"):
        examples(pd.Series(["We must.", "We must."], index=[1, 1]), "obligation")
    with pytest.raises(ValueError, match="unknown category"):
        examples(["We won."], "adverbs")


def test_describe_differences_uses_the_labels_and_per_thousand_words():
    # The shared wording is stats.describe's; here only this module's labels and units.
    table = paired_row("first_person_plural", mean_a=30.24, mean_b=4.81, estimate=25.43)
    (line,) = describe_differences(table.assign(ci_low=16.7, ci_high=33.9))
    assert line.startswith(
        "we: higher in answer than in question by 25.4 per 1,000 words (means 30.2 vs 4.8; "
        "95% CI 16.7 to 33.9; n = 20 pairs;"
    )


def test_describe_differences_uses_shares_for_sentence_types():
    table = paired_row("questions_per_sentence", estimate=-0.667, ci_low=-0.8, ci_high=-0.5)
    (line,) = describe_differences(table, names={"question": "questions"})
    assert line.startswith(
        "questions: lower in answer than in questions by 0.667 (share of sentences)"
    )


# Context rules of hedges and boosters, case by case. Each case is one sentence; ``expected`` is
# the number of hits of the category under the rules, ``before`` the count without them.
@pytest.mark.parametrize(
    ("rule", "text", "category", "expected", "before"),
    [
        # M1: a modal in a question asks, it hedges no claim
        ("M1", "Why should socialists care about it?", "hedges", 0, 1),
        ("M1", "What more do you think could have been done?", "hedges", 0, 1),
        ("M1", "Would it be better to wait?", "hedges", 0, 1),
        ("M1", "It may change. Why?", "hedges", 1, 1),  # the question is the next sentence
        # M2: a modal in a concessive clause concedes
        ("M2", "Whatever one may think of it, it stands.", "hedges", 0, 1),
        ("M2", "However, we may lose.", "hedges", 1, 1),  # "however" in another clause
        # M3: a modal before a hedge word is counted once, on the word
        ("M3", "Thousands more people would likely be members.", "hedges", 1, 2),
        ("M3", "We would argue that it failed.", "hedges", 1, 2),
        ("M3", "It would seem so.", "hedges", 1, 2),
        # M4: a modal before a verb of saying or thinking softens the speaker's claim
        ("M4", "The point is, we would contend, a cynical reading.", "hedges", 1, 1),
        ("M4", "You could even say it was centralist.", "hedges", 1, 1),
        ("M4", "I should think so.", "hedges", 1, 1),
        # M5: may and might hedge, but not "as well" or before a verb of inquiry
        ("M5", "It may be the case that they block us.", "hedges", 1, 1),
        ("M5", "Those affected might be confronted with barriers.", "hedges", 1, 1),
        ("M5", "We might as well cancel the election.", "hedges", 0, 1),
        ("M5", "One might ask what builds power.", "hedges", 0, 1),
        ("M5", "We might also consider the SCG.", "hedges", 0, 1),
        # M5: could hedges only as "it/this/there could be"
        ("M5", "It could be that we lose.", "hedges", 1, 1),
        ("M5", "There could be problems.", "hedges", 1, 1),
        ("M5", "Momentum groups could mobilise to support campaigns.", "hedges", 0, 1),
        ("M5", "There are some practical steps that could be taken.", "hedges", 0, 1),
        ("M5", "So couldn't commit the time needed.", "hedges", 0, 1),
        # M5: would, wouldn't and should of plan, consequence or obligation are no hedges
        ("M5", "We would work to build coalitions.", "hedges", 0, 1),
        ("M5", "We wouldn't abandon them.", "hedges", 0, 1),
        ("M5", "His leadership would have been in serious trouble.", "hedges", 0, 1),
        ("M5", "Momentum nationally should be a facilitator.", "hedges", 0, 1),
        ("M5", "It should have been putting all hands on deck.", "hedges", 0, 1),
        ("M5", "Momentum nationally should be a facilitator.", "obligation", 1, 1),  # unchanged
        # C1: argue and claim hedge only as the speaker's own claim
        ("C1", "We argue that it failed.", "hedges", 1, 1),
        ("C1", "As you've argued, it failed.", "hedges", 0, 1),
        ("C1", "As we have argued above, it failed.", "hedges", 0, 1),
        ("C1", "Despite their claims to the contrary, it failed.", "hedges", 0, 1),
        ("C1", "The other side can claim to possess it.", "hedges", 0, 1),
        # D1: "no doubt" is a booster, its "doubt" no hedge
        ("D1", "Some will no doubt be blocked.", "hedges", 0, 1),
        ("D1", "Some will no doubt be blocked.", "boosters", 1, 1),
        ("D1", "We doubt it.", "hedges", 1, 1),
        # P1: "possible" in a frame of extent or condition
        ("P1", "We should seed groups as widely as possible.", "hedges", 0, 2),  # should: M5
        ("P1", "Grow, if possible, the people at our disposal.", "hedges", 0, 1),
        ("P1", "Unite the greatest possible number of people.", "hedges", 0, 1),
        ("P1", "A virtuous circle is possible.", "hedges", 1, 1),
        # N1: a booster right after "not" is negated
        ("N1", "Often, but not always men.", "boosters", 0, 1),
        ("N1", "It was always based on that idea.", "boosters", 1, 1),
        # K1: cognitive verbs boost only in a first-person declarative assertion
        ("K1", "We believe that this is a false dichotomy.", "boosters", 1, 1),
        ("K1", "We all know that Labour has been complicit.", "boosters", 1, 1),
        ("K1", "We also, though, think it is important.", "boosters", 1, 1),
        ("K1", "I know first-hand how this helps.", "boosters", 1, 1),
        ("K1", "What do you think the NCG has done well?", "boosters", 0, 1),
        ("K1", "How do you think Momentum can challenge this?", "boosters", 0, 1),
        ("K1", "Do we think so?", "boosters", 0, 1),  # first person, but a question
        ("K1", "If you believe that we need power, join.", "boosters", 0, 1),
        ("K1", "It is a mistake to think that it is bust.", "boosters", 0, 1),
        ("K1", "We don't think they used it well.", "boosters", 0, 1),  # negated: neither
        ("K1", "We don't think they used it well.", "hedges", 0, 0),
        ("K1", "We do not believe it.", "boosters", 0, 1),
        ("K1", "The indulgence of known bullies.", "boosters", 0, 1),
        ("K1", "We believe in the right to abortion.", "boosters", 0, 1),
        ("K1", "Our goals can only be realised via state power.", "boosters", 0, 1),
        # A1: clear, certain and sure boost only predicatively
        ("A1", "It is clear that it would be a catastrophe.", "boosters", 1, 1),
        ("A1", "Indeed, it is increasingly clear.", "boosters", 2, 2),  # indeed, clear
        ("A1", "We should be clear: it worsened.", "boosters", 1, 1),
        ("A1", "They have made it clear they intend to.", "boosters", 1, 1),
        ("A1", "I'm sure of it.", "boosters", 1, 1),
        ("A1", "Momentum needs clear direction.", "boosters", 0, 1),
        ("A1", "We are in a very clear period of retreat.", "boosters", 0, 1),
        ("A1", "It may impose certain limits.", "boosters", 0, 1),
        ("A1", "How will you make sure to work well?", "boosters", 0, 1),
        # E1: establish boosts only as "establish that"
        ("E1", "We would establish a system.", "boosters", 0, 1),
        ("E1", "We established that it failed.", "boosters", 1, 1),
        # L1: a comparative "clearly" is a manner adverb
        ("L1", "They need to be more clearly tied into a strategy.", "boosters", 0, 1),
        ("L1", "Clearly, it only brings this into relief.", "boosters", 1, 1),
    ],
)
def test_context_rules_case_by_case(rule, text, category, expected, before):
    assert rhetoric_counts([text]).loc[0, category] == expected, rule
    assert rhetoric_counts([text], context_rules=False).loc[0, category] == before, rule


def test_context_rules_leave_the_other_categories_unchanged():
    texts = [TEXT, "Why should we care? We would work. It may impose certain limits."]
    with_rules = rhetoric_counts(texts).drop(columns=["hedges", "boosters"])
    without = rhetoric_counts(texts, context_rules=False).drop(columns=["hedges", "boosters"])
    pd.testing.assert_frame_equal(with_rules, without)


def test_a_text_counts_the_sum_of_its_sentences_under_the_rules():
    text = "Why should we care? We would argue that it may fail. We don't think so. It is clear."
    whole = rhetoric_counts([text])
    parts = rhetoric_counts(sentence_table([text])["sentence"])
    for category in ("hedges", "boosters"):
        assert whole.loc[0, category] == parts[category].sum()
    assert whole.loc[0, "hedges"] == 2  # argue (M3, C1), may (M5); should is in a question
    assert whole.loc[0, "boosters"] == 1  # clear (A1); think is negated (K1)


def test_occurrences_quote_each_kept_hit_in_its_printed_sentence():
    texts = pd.Series(
        ["Why should we care? It may \u2018fail\u2019.", "We would work."], index=[4, 9]
    )
    found = occurrences(texts, "hedges")
    assert found.to_dict("list") == {
        "unit": [4],
        "sentence_no": [1],
        "term": ["may"],
        "sentence": ["It may \u2018fail\u2019."],
    }
    every = occurrences(texts, "hedges", context_rules=False)
    assert every[["unit", "term"]].to_dict("list") == {
        "unit": [4, 4, 9],
        "term": ["should", "may", "would"],
    }
    hits = term_hits(texts, "hedges")
    assert hits["count"].sum() == len(found)


def test_context_words_are_sourced_lists():
    path = DATA / "rhetoric_context_words.txt"
    assert path.read_text(encoding="utf-8").splitlines()[0].startswith("# source: ")
    lists = load_context_words()
    assert lists["speaker_subjects"] == {"i", "we"}
    assert {"would", "should", "could", "may", "might"} <= lists["modal_hedges"]
    assert "|" in lists["skip_words"] and "not" not in lists["skip_words"]
    assert lists["modal_hedges"] <= set(load_lexicon("hedges").terms)
    assert lists["cognitive_boosters"] <= set(load_lexicon("boosters").terms)
    assert lists["predicative_boosters"] <= set(load_lexicon("boosters").terms)


def test_precision_of_coded_hedges_and_boosters(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text(
        "# source: test\n# rule: test\n"
        "rules,category,exchange,turn,term,sentence,correct\n"
        + "".join(
            f"context,hedges,{n % 7},answer,may,It may be.,{'yes' if n % 4 else 'no'}\n"
            for n in range(8)
        )
        + "none,boosters,1,answer,know,We know.,yes\n",
        encoding="utf-8",
    )
    table = rhetoric.precision_table(rhetoric.read_precision(path), seed=1).set_index("category")
    # Hedges: rows 1, 2, 3, 5, 6, 7 of 0..7 are correct: 6 of 8.
    assert table.at["hedges", "precision"] == 6 / 8 and table.at["hedges", "usable"]
    assert table.at["hedges", "exchanges"] == 7
    assert table.at["boosters", "coded"] == 1 and np.isnan(table.at["boosters", "ci_low"])
    path.write_text("rules,category\ncontext,hedges\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks"):
        rhetoric.read_precision(path)
