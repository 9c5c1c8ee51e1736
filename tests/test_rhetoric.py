"""Tests for discourse.rhetoric: word lists, counts and rates on hand-counted texts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from discourse.paths import DATA
from discourse.rhetoric import (
    CATEGORIES,
    lexicon_table,
    load_lexicon,
    rhetoric_counts,
    rhetoric_rates,
    term_hits,
    we_they_share,
)
from discourse.text import words

# 30 words, 4 sentences (one question, one exclamation). Hand count per category:
#   first_person_singular  I                                   1
#   first_person_plural    we, us, we                          3
#   second_person          You                                 1
#   third_person_singular  she, him                            2
#   third_person_plural    they                                1
#   hedges                 Perhaps, may                        2
#   boosters               think, really, never, know          4
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
    "boosters": {"think": 1, "really": 1, "never": 1, "know": 1},
    "obligation": {"must": 1, "need to": 1},
    "possibility": {"can't": 1, "may": 1},
    "negation": {"can't": 1, "never": 1},
    "contrast": {"but": 1, "however": 1, "on the other hand": 1},
    "intensifiers": {"really": 1},
}


def test_every_category_has_a_sourced_data_file_and_no_other_file_exists():
    on_disk = {p.stem.removeprefix("rhetoric_") for p in DATA.glob("rhetoric_*.txt")}
    assert on_disk == set(CATEGORIES)
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
    assert rates.loc[0, "boosters"] == pytest.approx(4 / 30 * 1000)
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
