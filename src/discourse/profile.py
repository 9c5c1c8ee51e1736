"""The rhetorical profile: the study's measures on one set of units, side by side.

The findings notebook needs every family of measures (readability, sentiment, stance, emphasis)
on the same unit, so that they can be compared with one another and tested together. The unit is
the turn: one question or one answer of an exchange, as in :func:`discourse.rhetoric.turn_rates`.
Measures are put on one scale by standardising each against all turns of the corpus (z-scores),
which makes a profile figure readable without hiding the raw values, which stay in the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from discourse.readability import readability
from discourse.rhetoric import turn_rates
from discourse.sentiment import afinn_sentiment, vader_sentiment
from discourse.text import source_sentence

#: The measures of the profile, by family, with the label used in tables and figures. Readability
#: uses the measures defined for short turns as well as long ones (the formulas need about 100
#: words, which most questions lack); stance uses the rhetoric word lists.
FEATURES = MappingProxyType(
    {
        "words_per_sentence": ("readability", "words per sentence"),
        "syllables_per_word": ("readability", "syllables per word"),
        "long_word_share": ("readability", "share of long words"),
        "mean_compound": ("sentiment", "VADER compound (sentence mean)"),
        "share_negative": ("sentiment", "share of negative sentences"),
        "afinn_per_word": ("sentiment", "AFINN score per word"),
        "first_person_plural": ("stance", "we (per 1,000 words)"),
        "second_person": ("stance", "you (per 1,000 words)"),
        "third_person_plural": ("stance", "they (per 1,000 words)"),
        "hedges": ("stance", "hedges (per 1,000 words)"),
        "boosters": ("stance", "boosters (per 1,000 words)"),
        "obligation": ("stance", "obligation modals (per 1,000 words)"),
        "possibility": ("stance", "possibility modals (per 1,000 words)"),
        "negation": ("stance", "negation (per 1,000 words)"),
        "questions_per_sentence": ("stance", "share of sentences that are questions"),
    }
)


def turn_measures(exchanges: pd.DataFrame) -> pd.DataFrame:
    """One row per turn (each exchange's question and answer) with every profile measure.

    Returns the identifying columns of :func:`discourse.rhetoric.turn_rates` (``doc_id``,
    ``slate``, ``exchange``, ``part``, ``turn``, ``exchange_id``, ``question_key``), ``words``,
    the :data:`FEATURES` columns, and ``group``: ``"questions"`` for the interviewer's turns and
    ``"<part> answers"`` for the slate's, prefixed with the slate when the corpus has several.
    """
    turns = turn_rates(exchanges)
    # turn_rates lists each exchange's question, then its answer, in input order.
    pairs = exchanges[["question", "answer"]].to_numpy(dtype=object)
    texts = pd.Series(pairs.reshape(-1), index=turns.index)
    read = readability(texts)[["words_per_sentence", "syllables_per_word", "long_word_share"]]
    vader = vader_sentiment(texts)[["mean_compound", "share_negative"]]
    afinn = afinn_sentiment(texts)[["afinn_per_word"]]
    table = pd.concat([turns, read, vader, afinn], axis=1)
    several = table["slate"].nunique() > 1
    label = np.where(table["turn"] == "question", "questions", table["part"] + " answers")
    table["group"] = (table["slate"] + ": " + label) if several else label
    return table


def standardise(table: pd.DataFrame, features: Iterable[str] = tuple(FEATURES)) -> pd.DataFrame:
    """``table`` with each feature replaced by its z-score over all rows: (x - mean) / sd.

    The mean and the sample standard deviation (ddof = 1) are those of every non-missing value in
    ``table``; a feature with no spread becomes 0. Other columns are kept as they are.
    """
    result = table.copy()
    for feature in features:
        values = table[feature].astype(float)
        spread = values.std(ddof=1)
        centred = values - values.mean()
        result[feature] = centred / spread if spread > 0 else centred * 0.0
    return result


def profile_long(
    intervals: pd.DataFrame, families: Mapping[str, tuple[str, str]] = FEATURES
) -> pd.DataFrame:
    """Add ``family`` and ``label`` to a tidy interval table with a ``feature`` column."""
    return intervals.assign(
        family=intervals["feature"].map(lambda f: families[f][0]),
        label=intervals["feature"].map(lambda f: families[f][1]),
    )


def verdict(ci_low: float, ci_high: float, q: float, alpha: float = 0.05) -> str:
    """How strongly a comparison supports a difference: the interval and q must agree.

    ``"supported"``: the 95% interval excludes 0 and q < ``alpha``; ``"tentative"``: the interval
    excludes 0 but q >= ``alpha`` (not robust to the number of measures tested); ``"not
    supported"``: the interval includes 0 (or there is none).
    """
    if not (np.isfinite(ci_low) and np.isfinite(ci_high)) or ci_low <= 0 <= ci_high:
        return "not supported"
    return "supported" if q < alpha else "tentative"


def findings_table(comparisons: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """The comparison rows with a ``measure`` label, ``family``, ``n`` and ``verdict``.

    ``comparisons`` holds rows of :func:`discourse.compare.paired_compare` or
    :func:`discourse.compare.compare_groups` (features from :data:`FEATURES`) with a
    ``comparison`` column naming each test family.
    """
    table = profile_long(comparisons)
    if "n_pairs" in table:
        pairs = table["n_pairs"].astype("Int64").astype(str) + " pairs"
    else:
        pairs = pd.Series(pd.NA, index=table.index, dtype=object)
    sizes = (
        table["n_a"].astype("Int64").astype(str) + " vs " + table["n_b"].astype("Int64").astype(str)
    )
    table["n"] = pairs.where(pairs.notna(), sizes) if "n_a" in table else pairs
    table["verdict"] = [
        verdict(lo, hi, q, alpha)
        for lo, hi, q in zip(table["ci_low"], table["ci_high"], table["q"], strict=True)
    ]
    columns = [
        "comparison",
        "family",
        "measure",
        "group_a",
        "group_b",
        "mean_a",
        "mean_b",
        "estimate",
        "ci_low",
        "ci_high",
        "hedges_g",
        "p",
        "q",
        "n",
        "verdict",
    ]
    return table.rename(columns={"label": "measure"})[columns]


def evidence(texts: pd.Series, feature: str, higher: bool = True, n: int = 1) -> pd.DataFrame:
    """Sentences from ``texts`` (indexed by exchange) that show what a measure counts.

    Word-list measures quote the category's most frequent term in use
    (:func:`discourse.rhetoric.examples`); the question share quotes questions; sentiment
    measures quote the sentences with the highest (``higher``) or lowest VADER compound score.
    Readability measures describe whole turns and get no quotation. Sentences are given as
    printed in the source. Returns columns ``unit`` (exchange) and ``sentence``.
    """
    from discourse.rhetoric import CATEGORIES, examples
    from discourse.sentiment import sentence_sentiment

    empty = pd.DataFrame(columns=["unit", "sentence"])
    family = FEATURES[feature][0]
    if feature in CATEGORIES:
        return examples(texts, feature, n=n)[["unit", "sentence"]]
    scored = sentence_sentiment(texts)
    if feature == "questions_per_sentence":
        chosen = scored[scored["sentence"].str.rstrip("\"') ").str.endswith("?")].head(n)
    elif family == "sentiment":
        ascending = not higher if feature != "share_negative" else higher
        chosen = scored.sort_values(
            ["vader_compound", "unit", "sentence_no"],
            ascending=[ascending, True, True],
            kind="mergesort",
        ).head(n)
    else:
        return empty
    return pd.DataFrame(
        {
            "unit": chosen["unit"].to_numpy(),
            "sentence": [
                source_sentence(s, texts[u])
                for s, u in zip(chosen["sentence"], chosen["unit"], strict=True)
            ],
        }
    )
