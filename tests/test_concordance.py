"""Tests for discourse.concordance: keyword in context, on hand-made texts."""

from __future__ import annotations

import pandas as pd
import pytest

from discourse.concordance import kwic, kwic_examples


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
