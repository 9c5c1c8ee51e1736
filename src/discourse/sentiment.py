"""Sentence-level sentiment by two independent lexicon methods, and sentiment towards actors.

Method 1 is VADER (Hutto & Gilbert 2014), a rule-based scorer with a valence lexicon and rules
for negation, intensifiers, "but" and punctuation, created once and applied to **one sentence at
a time**. Its compound score normalises the summed valence ``x`` as ``x / sqrt(x^2 + 15)``, so a
whole answer's compound saturates towards +-1 as sentiment words accumulate, whatever their
balance, and its rule checks cost more than linearly in text length. Units are therefore scored
as the mean over their sentences (from :func:`discourse.text.sentence_table`).

Method 2 is AFINN (Nielsen 2011; word list AFINN-en-165, the English list the ``afinn`` package
uses), a list of words and phrases scored from -5 to +5 without rules: a sentence scores the sum
of its matches, divided by its number of words (:func:`discourse.text.words`) so that long and
short sentences are comparable.

:func:`scored_terms` lists the words of a sentence that each lexicon scores, so that a reader
can see what a score rests on: both methods measure the valence of words, not the stance of the
sentence that uses them.

A unit's score is a mean over its sentences (or a score per word), so :data:`EXPOSURE` names,
for each score, the count it rests on: comparisons weight units by it
(``weights=sentiment.EXPOSURE`` in :mod:`discourse.stats`).

Actor sentiment finds the sentences that mention each actor of a documented dictionary, a
file of the study that uses it (:func:`load_actors`: the package ships none, since which names
count as which actor depends on the corpus), and gives their scores; :func:`actor_summary`
aggregates them with bootstrap intervals that resample whole units, because sentences of one
answer are not independent. Every interval, p-value and verdict comes from
:mod:`discourse.stats`.

References
----------
Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and their Application*, section 3.8
(hierarchical data). Cambridge University Press.
Hutto, C. J., & Gilbert, E. (2014). VADER: A parsimonious rule-based model for sentiment analysis
of social media text. *Proceedings of ICWSM-14*, 216-225.
Nielsen, F. Å. (2011). A new ANEW: Evaluation of a word list for sentiment analysis in
microblogs. *Proceedings of the ESWC2011 Workshop "Making Sense of Microposts"*, CEUR-WS 718,
93-98.
Spearman, C. (1904). The proof and measurement of association between two things. *American
Journal of Psychology*, 15(1), 72-101.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from discourse import naming
from discourse.corpus import ParseError
from discourse.resources import DATA
from discourse.stats import (
    N_BOOTSTRAP,
    decimals,
    describer,
    format_p,
    mean_interval,
    min_units,
    rank_correlation,
    with_interval,
)
from discourse.text import _WORD as _WORD_RE
from discourse.text import sentence_table, words

__all__ = [
    "ACTOR_COLUMNS",
    "ACTOR_POSITION",
    "ACTOR_POSITIONS",
    "ACTOR_WINDOW",
    "ACTOR_WINDOWS",
    "ADAPTED",
    "DEFAULT_METHOD",
    "DEFAULT_SENTIMENT",
    "SENTENCE_METHODS",
    "THRESHOLDS",
    "THRESHOLD_CANDIDATES",
    "actor_evaluation",
    "actor_patterns",
    "adapted_afinn_total",
    "adapted_vader_compound",
    "adapted_vader_sentiment",
    "clause_spans",
    "inquirer_total",
    "mpqa_total",
    "lexicon_words",
    "method_scores",
    "polarity",
    "prepositions",
    "tune_threshold",
    "ACTOR_FIELDS",
    "EXPOSURE",
    "LABELS",
    "SENTENCE_CLASSES",
    "VADER_NEGATIVE",
    "VADER_POSITIVE",
    "actor_labels",
    "actor_sentiment",
    "actor_summary",
    "afinn_sentiment",
    "afinn_total",
    "describe_actors",
    "describe_differences",
    "describe_terms",
    "format_value",
    "load_actors",
    "method_agreement",
    "scored_terms",
    "sentence_classes",
    "sentence_intervals",
    "sentence_sentiment",
    "sentiment_scores",
    "vader_compound",
    "vader_sentiment",
]

#: The columns of an actor dictionary file (:func:`load_actors`), in this order.
ACTOR_FIELDS = ("actor", "pattern", "note")
# The VADER README's cut-offs for classifying a compound score (Hutto & Gilbert 2014 package):
# positive >= 0.05, negative <= -0.05, neutral in between.
VADER_POSITIVE = 0.05
VADER_NEGATIVE = -0.05


@lru_cache(maxsize=1)
def _vader():
    """The VADER analyser, built once (it reads its lexicon files)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _afinn_lexicon() -> dict[str, int]:
    """The AFINN-en-165 word list that ``afinn.Afinn(language="en")`` scores with."""
    from afinn import Afinn
    from afinn.afinn import LANGUAGE_TO_FILENAME

    return Afinn.read_word_file(Afinn().full_filename(LANGUAGE_TO_FILENAME["en"]))


def _trie_regex(node: dict) -> str:
    """Regular expression for the entries under one node of a character trie, longer entries
    tried first (a node that ends an entry makes its continuations optional and greedy)."""
    branches = [
        re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


@lru_cache(maxsize=1)
def _afinn_pattern() -> re.Pattern[str]:
    """AFINN's matching rule compiled as a trie.

    ``Afinn.score`` finds ``\\b(?:e1|e2|...)\\b`` in the lower-cased text, entries sorted
    longest first, and sums their scores. At any position the text fixes a single path through
    the trie of entries, so trying longer entries first there finds the same match as the sorted
    alternation, about thirty times faster (3,382 alternatives are otherwise tried at every word).
    The equivalence is tested against ``Afinn.score``.
    """
    trie: dict = {}
    for entry in _afinn_lexicon():
        node = trie
        for char in entry:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(r"\b(?:" + _trie_regex(trie) + r")\b")


def vader_compound(sentence: str) -> float:
    """VADER's compound score of one sentence (Hutto & Gilbert 2014), in [-1, 1].

    Pass a sentence from :func:`discourse.text.sentence_table` (normalised: VADER's negation
    rule only knows the straight apostrophe of ``don't``).
    """
    return _vader().polarity_scores(sentence)["compound"]


def afinn_total(sentence: str) -> float:
    """The AFINN total of one sentence: the sum of the scores (-5..+5) of the AFINN-en-165 words
    and phrases it contains (Nielsen 2011), exactly as ``afinn.Afinn().score`` computes it."""
    text = " ".join(sentence.split()).lower()
    lexicon = _afinn_lexicon()
    return float(sum(lexicon[match] for match in _afinn_pattern().findall(text)))


def scored_terms(sentence: str) -> pd.DataFrame:
    """The words of one sentence that each lexicon scores, to show what a score rests on.

    Parameters
    ----------
    sentence : str
        One sentence, normalised (from :func:`discourse.text.sentence_table`).

    Returns
    -------
    pandas.DataFrame
        One row per scored occurrence, VADER's first and then AFINN's, each in text order:
        ``lexicon`` (``"VADER"`` or ``"AFINN"``), ``term`` (lower case) and ``score``. VADER's
        are the lexicon valences (mean human ratings, -4..+4; Hutto & Gilbert 2014) of the
        :func:`discourse.text.words` tokens found in its lexicon, before its rules for
        negation, intensifiers, "but", capitals and punctuation adjust them, so they explain
        the compound score but do not add up to it. AFINN's are the matches :func:`afinn_total`
        sums (words and phrases scored -5..+5; Nielsen 2011), so their sum is the sentence's
        AFINN total.
    """
    lexicon = _vader().lexicon
    tokens = [token.lower() for token in words(sentence)]
    rows = [("VADER", token, float(lexicon[token])) for token in tokens if token in lexicon]
    afinn = _afinn_lexicon()
    text = " ".join(sentence.split()).lower()
    rows += [("AFINN", match, float(afinn[match])) for match in _afinn_pattern().findall(text)]
    return pd.DataFrame(rows, columns=["lexicon", "term", "score"]).astype(
        {"lexicon": object, "term": object, "score": float}
    )


@lru_cache(maxsize=1)
def _inquirer_lexicon() -> dict[str, int]:
    """The General Inquirer's Positiv (+1) and Negativ (-1) entries (package data, with source)."""
    source = (DATA / "general_inquirer_polarity.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(source.split("\n", 1)[1]))
    return {row["word"]: 1 if row["polarity"] == "positive" else -1 for row in rows}


def inquirer_total(sentence: str) -> float:
    """The General Inquirer total of one sentence: its Positiv words minus its Negativ words
    (Stone et al. 1966, Harvard IV-4 categories), each :func:`discourse.text.words` token looked
    up in lower case, and a token ending in *s* that is not an entry looked up without it (the
    Inquirer lists base forms: *attacks* counts as *attack*)."""
    lexicon = _inquirer_lexicon()
    total = 0
    for token in words(sentence):
        token = token.lower()
        value = lexicon.get(token)
        if value is None and token.endswith("s"):
            value = lexicon.get(token[:-1])
        total += value or 0
    return float(total)


_INFLECTIONS = ("s", "es", "ed", "d", "ing", "ly")


@lru_cache(maxsize=1)
def _mpqa_lexicon() -> tuple[dict[str, int], frozenset[str]]:
    """The MPQA clues as ``word -> +1 / -1 / 0`` (a word whose entries disagree in sign, or are
    ``both``, scores 0), and the words whose clue matches inflected forms (``stemmed=y``)."""
    source = (DATA / "mpqa_subjectivity.csv").read_text(encoding="utf-8")
    signs: dict[str, set[int]] = {}
    stemmed = set()
    value = {"positive": 1, "negative": -1, "neutral": 0, "both": 0}
    for row in csv.DictReader(io.StringIO(source.split("\n", 1)[1])):
        signs.setdefault(row["word"], set()).add(value[row["polarity"]])
        if row["stemmed"] == "y":
            stemmed.add(row["word"])
    lexicon = {word: (found.pop() if len(found) == 1 else 0) for word, found in signs.items()}
    return lexicon, frozenset(stemmed)


def mpqa_total(sentence: str) -> float:
    """The MPQA total of one sentence: its positive clues minus its negative clues, from the
    MPQA Subjectivity Lexicon (Wilson, Wiebe & Hoffmann 2005), compiled from news articles. A
    :func:`discourse.text.words` token matches a clue in lower case, or, for a clue marked as
    matching inflections, after one of the endings *-s*, *-es*, *-ed*, *-d*, *-ing*, *-ly*.
    Without a tagger the clue's part of speech is not checked, and the lexicon has no rules for
    negation."""
    lexicon, stemmed = _mpqa_lexicon()
    total = 0
    for token in words(sentence):
        token = token.lower()
        found = lexicon.get(token)
        if found is None:
            for ending in _INFLECTIONS:
                stem = token[: -len(ending)]
                if token.endswith(ending) and stem in stemmed:
                    found = lexicon[stem]
                    break
        total += found or 0
    return float(total)


def lexicon_words() -> frozenset[str]:
    """Every single word that VADER, AFINN, the General Inquirer or MPQA scores, in lower case."""
    afinn = (entry for entry in _afinn_lexicon() if " " not in entry)
    mpqa = (word for word, sign in _mpqa_lexicon()[0].items() if sign)
    return (
        frozenset(_vader().lexicon)
        | frozenset(afinn)
        | frozenset(_inquirer_lexicon())
        | frozenset(mpqa)
    )


def adapted_vader_compound(sentence: str, actors: pd.DataFrame | None = None) -> float:
    """VADER's compound of one sentence after :func:`discourse.naming.mask`: names of parties,
    organisations, campaigns, programmes and offices, quoted terms, the actors of ``actors``
    and the naming words of the package's list are not scored; negation, intensifiers and
    VADER's other rules work as before, on the same word positions."""
    return vader_compound(naming.mask(sentence, actors))


def adapted_afinn_total(sentence: str, actors: pd.DataFrame | None = None) -> float:
    """AFINN's total of one sentence after :func:`discourse.naming.mask` (as
    :func:`adapted_vader_compound`)."""
    return afinn_total(naming.mask(sentence, actors))


SENTENCE_METHODS = MappingProxyType(
    {
        "VADER": vader_compound,
        "VADER adapted": adapted_vader_compound,
        "AFINN": afinn_total,
        "AFINN adapted": adapted_afinn_total,
        "General Inquirer": inquirer_total,
        "MPQA": mpqa_total,
    }
)
"""The sentence scorers the study validates against its tone annotation: VADER and AFINN as
they ship, their versions that skip names (:mod:`discourse.naming`), the General Inquirer as an
independent lexicon of the field, and the MPQA Subjectivity Lexicon, made from news text."""

ADAPTED = frozenset({"VADER adapted", "AFINN adapted"})
"""The methods of :data:`SENTENCE_METHODS` that take the actor dictionary (for masking)."""

THRESHOLDS = MappingProxyType(
    {
        "VADER": VADER_POSITIVE,
        "VADER adapted": VADER_POSITIVE,
        "AFINN": 0.0,
        "AFINN adapted": 0.0,
        "General Inquirer": 0.0,
        "MPQA": 0.0,
    }
)
"""The neutral band of each method: a sentence is positive at a score of at least the
threshold (and above 0), negative at most minus it (and below 0), else neutral
(:func:`polarity`). VADER keeps its README's 0.05 and AFINN and the General Inquirer the sign
of their totals, adapted or not: the adaptation changes what is scored, not the cut-offs.
Notebook 03 shows, for the record, the macro-F1 at every band on the tuning sentences only
(:func:`tune_threshold`)."""

THRESHOLD_CANDIDATES = MappingProxyType(
    {
        "VADER adapted": (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5),
        "AFINN adapted": (0.0, 1.0, 2.0, 3.0, 4.0),
    }
)
"""The bands :func:`tune_threshold` tries for each adapted method (VADER's compound; AFINN's
whole-number totals)."""


def method_scores(sentences: pd.Series | Iterable[str], actors: pd.DataFrame | None = None):
    """Every method of :data:`SENTENCE_METHODS` on every sentence: one column per method,
    aligned to ``sentences``; the adapted methods mask the names of ``actors`` too."""
    series = _as_series(sentences)
    columns = {}
    for name, scorer in SENTENCE_METHODS.items():
        if name in ADAPTED:
            columns[name] = [scorer(sentence, actors) for sentence in series]
        else:
            columns[name] = [scorer(sentence) for sentence in series]
    return pd.DataFrame(columns, index=series.index, dtype=float)


def polarity(scores: pd.Series | np.ndarray, threshold: float) -> np.ndarray:
    """Classes of :data:`SENTENCE_CLASSES` from scores and a neutral band (:data:`THRESHOLDS`):
    positive at ``score >= threshold`` and ``score > 0``, negative at ``score <= -threshold``
    and ``score < 0``, else neutral (a missing score is neutral)."""
    x = np.nan_to_num(np.asarray(scores, dtype=float), nan=0.0)
    return np.select(
        [(x >= threshold) & (x > 0), (x <= -threshold) & (x < 0)],
        ["positive", "negative"],
        "neutral",
    ).astype(object)


def tune_threshold(
    scores: pd.Series | np.ndarray, gold: pd.Series | np.ndarray, candidates: Iterable[float]
) -> pd.DataFrame:
    """The macro-F1 (:func:`sklearn.metrics.f1_score`, averaged over :data:`SENTENCE_CLASSES`)
    of :func:`polarity` at every candidate band, on the sentences given (the tuning split).

    Returns one row per candidate, ``threshold`` and ``macro_f1``, with ``chosen`` True on the
    best: the highest macro-F1, the smallest band among ties.
    """
    from sklearn.metrics import f1_score

    gold = np.asarray(gold, dtype=object)
    rows = [
        (
            float(t),
            float(
                f1_score(
                    gold,
                    polarity(scores, t),
                    labels=list(SENTENCE_CLASSES),
                    average="macro",
                    zero_division=0,
                )
            ),
        )
        for t in candidates
    ]
    table = pd.DataFrame(rows, columns=["threshold", "macro_f1"])
    best = table["macro_f1"].round(12).max()
    table["chosen"] = False
    table.loc[table.index[table["macro_f1"].round(12) == best][0], "chosen"] = True
    return table


def describe_terms(sentence: str) -> str:
    """The words of one sentence that each lexicon scores, as one line of text.

    :func:`scored_terms` written as ``"VADER: hate -2.7, parties +1.7; AFINN: hate -3"`` (each
    lexicon's terms in text order, scores with their sign), or ``"no scored words"``: for
    printing beside a quoted sentence, so that the reader sees what its scores rest on.
    """
    terms = scored_terms(sentence)
    parts = [
        f"{lexicon}: "
        + ", ".join(
            f"{term} {score:+g}" for term, score in zip(group["term"], group["score"], strict=True)
        )
        for lexicon, group in terms.groupby("lexicon", sort=False)
    ]
    return "; ".join(parts) or "no scored words"


def _as_series(texts: pd.Series | Iterable[str]) -> pd.Series:
    """The texts as a Series, keeping a Series' index; anything but a string becomes ``""``."""
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    return pd.Series(
        [t if isinstance(t, str) else "" for t in series], index=series.index, dtype=object
    )


def _scores(sentences: list[str], vader: bool = True, afinn: bool = True) -> dict[str, np.ndarray]:
    """Per-sentence ``vader_compound`` and/or ``words``, ``afinn_total``, ``afinn_score``."""
    n = len(sentences)
    scores: dict[str, np.ndarray] = {}
    if vader:
        scores["vader_compound"] = np.fromiter(map(vader_compound, sentences), float, count=n)
    if afinn:
        n_words = np.fromiter((len(words(s)) for s in sentences), np.int64, count=n)
        total = np.fromiter(map(afinn_total, sentences), float, count=n)
        scores["words"] = n_words
        scores["afinn_total"] = total
        scores["afinn_score"] = _ratio(total, n_words)
    return scores


def _scored_sentences(series: pd.Series, vader: bool = True, afinn: bool = True) -> pd.DataFrame:
    """Sentences of ``series`` by position (column ``position``) with the requested scores."""
    table = sentence_table(pd.Series(series.to_list(), dtype=object))
    table = table.rename(columns={"unit": "position"})
    return table.assign(**_scores(table["sentence"].to_list(), vader=vader, afinn=afinn))


def sentence_sentiment(texts: pd.Series | Iterable[str]) -> pd.DataFrame:
    """VADER and AFINN scores of every sentence of every text.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        One text per unit; missing values and non-strings have no sentences.

    Returns
    -------
    pandas.DataFrame
        One row per sentence, in text order: ``unit`` (the input's index label; labels should
        be unique for later grouping by unit), ``sentence_no`` (0-based within the unit),
        ``sentence`` (normalised), ``words`` (number of words), ``vader_compound`` (VADER
        compound, -1..1), ``afinn_total`` (sum of AFINN scores) and ``afinn_score``
        (``afinn_total / words``, AFINN per word; NaN for a sentence without words).
    """
    series = _as_series(texts)
    table = _scored_sentences(series)
    table.insert(0, "unit", series.index.take(table.pop("position").to_numpy()))
    return table[
        ["unit", "sentence_no", "sentence", "words", "vader_compound", "afinn_total", "afinn_score"]
    ]


def _per_unit(positions: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum and count of the finite ``values`` of every position 0..n-1."""
    finite = np.isfinite(values)
    sums = np.bincount(positions[finite], weights=values[finite], minlength=n)
    counts = np.bincount(positions[finite], minlength=n)
    return sums, counts


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator`` with NaN where the denominator is zero."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.maximum(denominator, 1), np.nan)


def vader_sentiment(texts: pd.Series | Iterable[str]) -> pd.DataFrame:
    """VADER sentiment of every text, from its sentences.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        One text per unit; missing values and non-strings are empty text.

    Returns
    -------
    pandas.DataFrame
        Aligned to the input's index (duplicate labels allowed): ``n_sentences``,
        ``mean_compound`` (mean VADER compound of the sentences), ``share_positive`` (share of
        sentences with compound >= 0.05) and ``share_negative`` (share with compound <= -0.05),
        the cut-offs of the VADER README (Hutto & Gilbert 2014). Text without sentences has
        ``n_sentences`` 0 and NaN elsewhere. ``n_sentences`` is the exposure of the three
        scores (:data:`EXPOSURE`).

    Notes
    -----
    Each sentence is scored on its own and the unit's score is their mean; scoring a whole
    answer at once would saturate the compound towards +-1 (see the module docstring).
    """
    series = _as_series(texts)
    table = _scored_sentences(series, afinn=False)
    return _compound_table(
        series,
        table["position"].to_numpy(dtype=np.int64),
        table["vader_compound"].to_numpy(dtype=float),
        VADER_POSITIVE,
    )


def _compound_table(
    series: pd.Series, positions: np.ndarray, compound: np.ndarray, cut: float
) -> pd.DataFrame:
    """:func:`vader_sentiment`'s columns from the compound of every sentence and the position
    of its unit: a sentence is positive at ``compound >= cut`` (and above 0), negative at
    ``<= -cut`` (and below 0), as :func:`polarity` classes it."""
    n = len(series)
    sums, counts = _per_unit(positions, compound, n)
    positive = np.bincount(positions, weights=(compound >= cut) & (compound > 0), minlength=n)
    negative = np.bincount(positions, weights=(compound <= -cut) & (compound < 0), minlength=n)
    return pd.DataFrame(
        {
            "n_sentences": counts.astype(np.int64),
            "mean_compound": _ratio(sums, counts),
            "share_positive": _ratio(positive, counts),
            "share_negative": _ratio(negative, counts),
        },
        index=series.index,
    )


def adapted_vader_sentiment(
    texts: pd.Series | Iterable[str], actors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """:func:`vader_sentiment` with :func:`adapted_vader_compound`: the study's default
    (:data:`DEFAULT_SENTIMENT`), the same columns, each sentence scored with its names masked
    (:mod:`discourse.naming`; the actors of ``actors`` too) and classed by
    :data:`THRESHOLDS` ``["VADER adapted"]``."""
    series = _as_series(texts)
    table = sentence_table(pd.Series(series.to_list(), dtype=object))
    positions = table["unit"].to_numpy(dtype=np.int64)
    compound = np.fromiter(
        (adapted_vader_compound(s, actors) for s in table["sentence"]), float, count=len(table)
    )
    return _compound_table(series, positions, compound, THRESHOLDS["VADER adapted"])


def afinn_sentiment(texts: pd.Series | Iterable[str]) -> pd.DataFrame:
    """AFINN sentiment of every text, from its sentences.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        One text per unit; missing values and non-strings are empty text.

    Returns
    -------
    pandas.DataFrame
        Aligned to the input's index (duplicate labels allowed): ``n_sentences``, ``words``,
        ``sentences_with_words`` (the sentences that have a per-word score), ``afinn_total``
        (sum of AFINN scores), ``afinn_per_word`` (``afinn_total / words``, the whole unit's
        score per word) and ``mean_sentence_afinn`` (mean over the ``sentences_with_words`` of
        the per-word sentence score, the counterpart of VADER's ``mean_compound``). Text
        without words has counts 0 and NaN for the scores. The counts are the exposure of the
        scores (:data:`EXPOSURE`).
    """
    series = _as_series(texts)
    n = len(series)
    table = _scored_sentences(series, vader=False)
    positions = table["position"].to_numpy(dtype=np.int64)
    n_sentences = np.bincount(positions, minlength=n)
    n_words = np.bincount(positions, weights=table["words"].to_numpy(dtype=float), minlength=n)
    total = np.bincount(positions, weights=table["afinn_total"].to_numpy(), minlength=n)
    sums, counts = _per_unit(positions, table["afinn_score"].to_numpy(dtype=float), n)
    return pd.DataFrame(
        {
            "n_sentences": n_sentences.astype(np.int64),
            "words": n_words.astype(np.int64),
            "sentences_with_words": counts.astype(np.int64),
            "afinn_total": np.where(n_words > 0, total, np.nan),
            "afinn_per_word": _ratio(total, n_words),
            "mean_sentence_afinn": _ratio(sums, counts),
        },
        index=series.index,
    )


def sentiment_scores(texts: pd.Series | Iterable[str]) -> pd.DataFrame:
    """Both methods' scores of every text: :func:`vader_sentiment` and :func:`afinn_sentiment`
    side by side.

    Returns a frame aligned to the input's index with ``n_sentences``, ``mean_compound``,
    ``share_positive``, ``share_negative`` (VADER), then ``words``, ``sentences_with_words``,
    ``afinn_total``, ``afinn_per_word`` and ``mean_sentence_afinn`` (AFINN): every score of
    :data:`LABELS` with its exposure (:data:`EXPOSURE`).
    """
    series = _as_series(texts)
    afinn = afinn_sentiment(series).drop(columns="n_sentences")
    return pd.concat([vader_sentiment(series), afinn], axis=1)


SENTENCE_CLASSES = ("positive", "neutral", "negative")
"""The classes of :func:`sentence_classes`: VADER's cut-offs, or AFINN's sign (``neutral`` a
score of 0)."""


def sentence_classes(sentence_frame: pd.DataFrame) -> pd.DataFrame:
    """Each sentence classed by both methods, to count where they agree.

    Parameters
    ----------
    sentence_frame : pandas.DataFrame
        Output of :func:`sentence_sentiment` (columns ``vader_compound``, ``afinn_score``).

    Returns
    -------
    pandas.DataFrame
        Aligned to ``sentence_frame``: ``VADER`` is ``"positive"`` at a compound of at least
        :data:`VADER_POSITIVE`, ``"negative"`` at most :data:`VADER_NEGATIVE`, else
        ``"neutral"`` (the VADER README's cut-offs); ``AFINN`` is the sign of the AFINN score,
        ``"neutral"`` for 0 and for a sentence without words. Both are categorical in the order
        of :data:`SENTENCE_CLASSES`; ``opposite`` is True where one method calls the sentence
        positive and the other negative.
    """
    compound = sentence_frame["vader_compound"].to_numpy(dtype=float)
    afinn = sentence_frame["afinn_score"].to_numpy(dtype=float)
    vader = np.select(
        [compound >= VADER_POSITIVE, compound <= VADER_NEGATIVE],
        ["positive", "negative"],
        "neutral",
    )
    sign = np.select([afinn > 0, afinn < 0], ["positive", "negative"], "neutral")
    kind = pd.CategoricalDtype(list(SENTENCE_CLASSES), ordered=True)
    return pd.DataFrame(
        {
            "VADER": pd.Series(vader, index=sentence_frame.index).astype(kind),
            "AFINN": pd.Series(sign, index=sentence_frame.index).astype(kind),
            "opposite": ((vader == "positive") & (sign == "negative"))
            | ((vader == "negative") & (sign == "positive")),
        },
        index=sentence_frame.index,
    )


def sentence_intervals(
    texts: pd.Series | Iterable[str],
    score: str = "vader_compound",
    *,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
) -> pd.DataFrame:
    """The mean sentence score of every text, with a 95% interval from resampling the text's
    sentences.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        One text per unit (an answer, a question).
    score : {"vader_compound", "afinn_score"}
        The per-sentence score of :func:`sentence_sentiment` to average: the mean is the text's
        ``mean_compound`` (:func:`vader_sentiment`) or ``mean_sentence_afinn``
        (:func:`afinn_sentiment`).
    n_resamples : int, default :data:`discourse.stats.N_BOOTSTRAP`
        Bootstrap resamples per text.
    seed : int, default 0
        Seed of the generator, used afresh for every text.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``texts``: ``sentences`` (int64, the sentences with a score: AFINN has
        none for a sentence without words), ``estimate``, ``ci_low``, ``ci_high`` and ``p`` (of
        a mean of 0) from :func:`discourse.stats.mean_interval`, each sentence one unit. The
        interval is descriptive (how much the mean rests on a few sentences) and missing, like
        p, for a text of fewer than :func:`discourse.stats.min_units` scored sentences; the
        estimate is NaN for a text without any.
    """
    if score not in ("vader_compound", "afinn_score"):
        raise ValueError(f"score must be 'vader_compound' or 'afinn_score', got {score!r}")
    series = _as_series(texts)
    table = _scored_sentences(
        series, vader=score == "vader_compound", afinn=score != "vader_compound"
    )
    positions = table["position"].to_numpy(dtype=np.int64)
    values = table[score].to_numpy(dtype=float)
    rows = []
    for position in range(len(series)):
        mine = values[(positions == position) & np.isfinite(values)]
        found = mean_interval(mine, n_resamples=n_resamples, seed=seed)
        rows.append((found.n, found.estimate, found.low, found.high, found.p))
    result = pd.DataFrame(rows, columns=["sentences", "estimate", "ci_low", "ci_high", "p"])
    result.index = series.index
    return result.astype({"sentences": np.int64, "estimate": float, "p": float})


def method_agreement(
    sentence_frame: pd.DataFrame,
    *,
    resample: str = "unit",
    n_boot: int = N_BOOTSTRAP,
    seed: int = 0,
) -> pd.Series:
    """Agreement of VADER and AFINN on the same sentences: Spearman's rho with a bootstrap
    interval, from :func:`discourse.stats.rank_correlation`.

    Parameters
    ----------
    sentence_frame : pandas.DataFrame
        Output of :func:`sentence_sentiment` (columns ``unit``, ``vader_compound``,
        ``afinn_score``). Sentences without words (no AFINN score) are left out.
    resample : {"unit", "sentence"}, default "unit"
        ``"unit"`` draws whole units with all their sentences (a cluster bootstrap; Davison &
        Hinkley 1997, section 3.8), because sentences of one answer share topic and tone and are
        not independent; ``"sentence"`` draws sentences as if they were.
    n_boot : int, default :data:`discourse.stats.N_BOOTSTRAP`
        Bootstrap resamples.
    seed : int, default 0
        Seed of the resampling; the same seed gives the same interval.

    Returns
    -------
    pandas.Series
        ``rho`` (Spearman 1904), ``ci_low``, ``ci_high`` (95% percentile interval), ``p`` (of
        rho = 0, from the same resamples, so that the interval excludes 0 exactly when p <
        0.05), ``n_sentences``, ``n_units``, ``resample`` and ``too_few``: True, and no
        interval or p, when fewer than :func:`discourse.stats.min_units` units (sentences, with
        ``resample="sentence"``) are drawn. With fewer than 3 sentences rho is NaN as well.
    """
    if resample not in ("unit", "sentence"):
        raise ValueError(f"resample must be 'unit' or 'sentence', got {resample!r}")
    missing = {"unit", "vader_compound", "afinn_score"} - set(sentence_frame.columns)
    if missing:
        raise ValueError(f"sentence_frame lacks columns {sorted(missing)}")
    frame = sentence_frame.dropna(subset=["vader_compound", "afinn_score"])
    found = rank_correlation(
        frame["vader_compound"],
        frame["afinn_score"],
        units=frame["unit"] if resample == "unit" else None,
        n_resamples=n_boot,
        seed=seed,
    )
    return pd.Series(
        {
            "rho": float(found["rho"]),
            "ci_low": float(found["ci_low"]),
            "ci_high": float(found["ci_high"]),
            "p": float(found["p"]),
            "n_sentences": len(frame),
            "n_units": frame["unit"].nunique(),
            "resample": resample,
            "too_few": bool(found["too_few"]),
        },
        dtype=object,
    )


def load_actors(path: str | Path) -> pd.DataFrame:
    """Read an actor dictionary: one row per pattern, columns ``actor``, ``pattern``, ``note``.

    Parameters
    ----------
    path : str or Path
        A UTF-8 CSV file: its first line a ``# source:`` comment saying how the dictionary was
        compiled, then the header ``actor,pattern,note``, then one row per pattern. ``actor`` is
        how tables and figures name the actor (several rows may share it), ``pattern`` a
        regular expression matched case-insensitively as whole words on normalised text
        (:func:`actor_sentiment`), ``note`` what the pattern covers.

    Returns
    -------
    pandas.DataFrame
        :data:`ACTOR_FIELDS`, the rows in file order, every value a string.

    Raises
    ------
    discourse.corpus.ParseError
        Naming the file and line of a missing source line, a header other than
        ``actor,pattern,note``, a row with another number of fields, an empty actor or pattern,
        a pattern that is not a regular expression, text that is not UTF-8, or a file with no
        row.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ParseError(path, line, "not UTF-8 text; save the dictionary as UTF-8") from None
    if not source.startswith("# source:"):
        raise ParseError(
            path, 1, "the first line must be a '# source:' comment saying how it was compiled"
        )
    reader = csv.reader(io.StringIO(source, newline=""), strict=True)
    next(reader)  # the source line (it may hold commas and quotes of its own)
    rows: list[list[str]] = []
    line = reader.line_num + 1
    try:
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != ACTOR_FIELDS:
            found = "nothing" if header is None else ",".join(header)
            raise ParseError(path, line, f"the header must be 'actor,pattern,note', got {found!r}")
        line = reader.line_num + 1
        for row in reader:
            if row:
                _check_actor_row(path, line, row)
                rows.append(row)
            line = reader.line_num + 1
    except csv.Error as error:
        raise ParseError(path, line, f"not a valid CSV row ({error})") from None
    if not rows:
        raise ParseError(path, line, "no actor: add one row per pattern after the header")
    return pd.DataFrame(rows, columns=list(ACTOR_FIELDS), dtype=object)


def _check_actor_row(path: Path, line: int, row: list[str]) -> None:
    """Raise :class:`~discourse.corpus.ParseError` unless ``row`` is a complete dictionary row."""
    if len(row) != len(ACTOR_FIELDS):
        raise ParseError(
            path,
            line,
            f"expected 3 fields (actor, pattern, note), got {len(row)}; quote a field that "
            "holds a comma",
        )
    actor, pattern, _ = row
    if not actor.strip() or not pattern.strip():
        raise ParseError(path, line, "actor and pattern must not be empty")
    try:
        re.compile(pattern)
    except re.error as error:
        raise ParseError(
            path, line, f"pattern {pattern!r} is not a regular expression: {error}"
        ) from None


def actor_patterns(actors: pd.DataFrame) -> MappingProxyType:
    """One case-insensitive, word-bounded pattern per actor of a dictionary
    (:func:`load_actors`): ``\\b(?:(?:p1)|(?:p2)|...)\\b``, in order of first appearance
    (compiled once per distinct dictionary, since the adapted scorers ask for every sentence)."""
    if not {"actor", "pattern"} <= set(actors.columns):
        raise ValueError("actors needs the columns 'actor' and 'pattern'")
    pairs = tuple(zip(actors["actor"].astype(str), actors["pattern"].astype(str), strict=True))
    return _compiled_actors(pairs)


@lru_cache(maxsize=8)
def _compiled_actors(pairs: tuple[tuple[str, str], ...]) -> MappingProxyType:
    grouped: dict[str, list[str]] = {}
    for actor, pattern in pairs:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"actor {actor!r}: invalid pattern {pattern!r}: {error}") from None
        grouped.setdefault(actor, []).append(pattern)
    return MappingProxyType(
        {
            actor: re.compile(
                r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b", re.IGNORECASE
            )
            for actor, patterns in grouped.items()
        }
    )


def actor_sentiment(texts: pd.Series | Iterable[str], actors: pd.DataFrame) -> pd.DataFrame:
    """Every sentence that mentions an actor, with its VADER and AFINN scores.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        One text per unit (an answer).
    actors : pandas.DataFrame
        Columns ``actor`` and ``pattern`` (regular expressions, matched case-insensitively as
        whole words on the normalised sentence), such as :func:`load_actors` reads.

    Returns
    -------
    pandas.DataFrame
        One row per (unit, sentence, actor) mention, however often the actor is named in the
        sentence, in text order and then dictionary order: ``unit``, ``sentence_no``, ``actor``,
        ``matches`` (the distinct matched strings, ``"; "``-joined, for checking), ``sentence``,
        ``vader_compound`` and ``afinn_score`` (AFINN per word), as in
        :func:`sentence_sentiment`. A sentence naming two actors gives two rows with the same
        scores: the sentiment is the sentence's, not a judgement aimed at the actor.
    """
    series = _as_series(texts)
    compiled = actor_patterns(actors)
    table = sentence_table(pd.Series(series.to_list(), dtype=object))
    rows: list[tuple[int, int, str, str, str]] = []
    for position, number, sentence in zip(
        table["unit"].to_numpy(), table["sentence_no"].to_numpy(), table["sentence"], strict=True
    ):
        for actor, pattern in compiled.items():
            found = pattern.findall(sentence)
            if found:
                matches = "; ".join(dict.fromkeys(found))
                rows.append((int(position), int(number), actor, matches, sentence))
    mentions = pd.DataFrame(
        rows, columns=["position", "sentence_no", "actor", "matches", "sentence"]
    ).astype({"position": np.int64, "sentence_no": np.int64, "actor": object, "matches": object})
    scores = _scores(mentions["sentence"].to_list())
    mentions["vader_compound"] = scores["vader_compound"]
    mentions["afinn_score"] = scores["afinn_score"]
    mentions.insert(0, "unit", series.index.take(mentions.pop("position").to_numpy()))
    return mentions


DEFAULT_METHOD = "VADER adapted"
"""The method of :data:`SENTENCE_METHODS` the study uses by default: the best agreement with
the tone annotation's held-out sentences (macro-F1; notebook 03 computes it and checks that
this is still so)."""

DEFAULT_SENTIMENT = "adapted_vader_sentiment"
"""The name of the function that scores texts with :data:`DEFAULT_METHOD`
(``getattr(discourse.sentiment, DEFAULT_SENTIMENT)(texts)``)."""

_CLAUSE_BREAK = re.compile(
    r"\s*[;:()]\s*|\s+-\s+|,?\s+(?=(?:but|while|whilst|whereas|although|though|yet|because|"
    r"unless|so that)\b)",
    re.IGNORECASE,
)


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans of the clauses of one normalised sentence: the stretches between
    semicolons, colons, brackets and spaced dashes, and before a contrastive or subordinating
    conjunction (*but*, *while*, *whereas*, *although*, *though*, *yet*, *because*, *unless*,
    *so that*), where an evaluation usually changes its target or its sign."""
    spans, start = [], 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(sentence):
        spans.append((start, len(sentence)))
    return spans or [(0, len(sentence))]


ACTOR_WINDOW = 8
"""The window of :func:`actor_evaluation` by default: the mention and eight words either side.
Chosen with :data:`ACTOR_POSITION` on the
tuning sentences of the tone annotation, by macro-F1 against its actor codes, among
:data:`ACTOR_WINDOWS` (notebook 03 recomputes the choice and checks it)."""

ACTOR_WINDOWS = ("sentence", "clause", 2, 4, 8)
"""The windows tried for :data:`ACTOR_WINDOW`: the whole sentence, the actor's clause, and
the mention with 2, 4 or 8 words either side."""

ACTOR_POSITION = 8
"""How many words may stand before an actor in its clause for it to count as the clause's
subject (:func:`actor_evaluation`); chosen with :data:`ACTOR_WINDOW`."""

ACTOR_POSITIONS = (2, 4, 6, 8, 10, None)
"""The limits tried for :data:`ACTOR_POSITION`; ``None`` lets an actor anywhere in its clause
be evaluated, if no preposition precedes it."""


@lru_cache(maxsize=1)
def prepositions() -> frozenset[str]:
    """The simple prepositions of English (package data ``actor_prepositions.txt``, with its
    source): an actor named right after one is a complement of its clause, not its subject."""
    lines = (DATA / "actor_prepositions.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def _window(sentence: str, start: int, end: int, window: str | int) -> tuple[int, int]:
    """The span of ``sentence`` that ``window`` scores for a mention at ``start:end``."""
    if window == "sentence":
        return 0, len(sentence)
    if window == "clause":
        return next(
            ((s, e) for s, e in clause_spans(sentence) if s <= start < e), (0, len(sentence))
        )
    tokens = list(_WORD_RE.finditer(sentence))
    inside = [n for n, token in enumerate(tokens) if token.end() > start and token.start() < end]
    if not inside:
        return start, end
    first, last = max(0, inside[0] - window), min(len(tokens) - 1, inside[-1] + window)
    return tokens[first].start(), tokens[last].end()


def actor_evaluation(
    texts: pd.Series | Iterable[str],
    actors: pd.DataFrame,
    *,
    method: str = DEFAULT_METHOD,
    window: str | int = ACTOR_WINDOW,
    position: int | None = ACTOR_POSITION,
) -> pd.DataFrame:
    """The evaluation each sentence expresses towards each actor it names.

    A sentence's tone is not its tone towards every actor it names: "the leadership attacks
    trade unions" is negative about the leadership, not about the unions, which it names as
    the ones attacked. The tone annotation codes an actor that is only named, or only suffers
    what others do, as not evaluated. So an actor counts as evaluated only where it is the
    *subject* of its clause, judged by its place: it follows no preposition
    (:func:`prepositions`) and has at most ``position`` words before it in its clause
    (:func:`clause_spans`; ``None``: anywhere). There, the ``method`` of
    :data:`SENTENCE_METHODS` scores a window around the actor's first match, every actor name
    masked: ``window`` words either side of it, the clause that holds it (``"clause"``) or the
    whole sentence (``"sentence"``); elsewhere the evaluation is ``neutral``. With
    ``window="sentence", position=None`` and no preposition rule this would be sentence
    valence, which ``sentence_class`` gives for comparison. The defaults
    (:data:`ACTOR_WINDOW`, :data:`ACTOR_POSITION`) were chosen on the annotation's tuning
    sentences; notebook 03 measures them against its held-out actor codes.

    Returns
    -------
    pandas.DataFrame
        One row per (unit, sentence, actor) mention: ``unit``, ``sentence_no``, ``actor``,
        ``matches``, ``sentence``, ``window_text`` (the stretch scored), ``subject`` (whether the
        actor counts as its clause's subject), ``sentence_score`` (the method's score of the
        whole sentence), ``score`` (of the window), ``evaluation`` (the class of ``score``,
        :func:`polarity` with :data:`THRESHOLDS`, where ``subject``; else ``neutral``) and
        ``sentence_class`` (the class of ``sentence_score``: sentence valence, for comparison).
    """
    if not (window in ("clause", "sentence") or (isinstance(window, int) and window >= 0)):
        raise ValueError(
            f"window must be 'clause', 'sentence' or a number of words, got {window!r}"
        )
    if method not in SENTENCE_METHODS:
        raise ValueError(f"method must be one of {sorted(SENTENCE_METHODS)}, got {method!r}")
    scorer = SENTENCE_METHODS[method]
    takes_actors = method in ADAPTED

    def score(text: str, names: pd.DataFrame | None) -> float:
        return scorer(text, names) if takes_actors else scorer(text)

    mentions = actor_sentiment(texts, actors).drop(columns=["vader_compound", "afinn_score"])
    patterns = actor_patterns(actors)
    before_words = prepositions()
    windows, scores, whole, subjects = [], [], [], []
    for sentence, actor in zip(mentions["sentence"], mentions["actor"], strict=True):
        first = patterns[actor].search(sentence)
        clause_start = _window(sentence, first.start(), first.end(), "clause")[0]
        before = words(sentence[clause_start : first.start()])
        subjects.append(
            not (before and before[-1].lower() in before_words)
            and (position is None or len(before) <= position)
        )
        start, end = _window(sentence, first.start(), first.end(), window)
        windows.append(sentence[start:end])
        scores.append(score(sentence[start:end], actors))
        whole.append(score(sentence, None))
    mentions["window_text"] = pd.Series(windows, index=mentions.index, dtype=object)
    mentions["subject"] = np.asarray(subjects, dtype=bool)
    mentions["sentence_score"] = np.asarray(whole, dtype=float)
    mentions["score"] = np.asarray(scores, dtype=float)
    mentions["evaluation"] = np.where(
        mentions["subject"], polarity(mentions["score"], THRESHOLDS[method]), "neutral"
    ).astype(object)
    mentions["sentence_class"] = polarity(mentions["sentence_score"], THRESHOLDS[method])
    return mentions


ACTOR_COLUMNS = [
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
"""The columns of :func:`actor_summary`."""


def actor_summary(
    mentions: pd.DataFrame,
    *,
    by: str | None = None,
    n_boot: int = N_BOOTSTRAP,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean sentiment of the sentences that mention each actor, with intervals that resample
    units, from :func:`discourse.stats.mean_interval`.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Output of :func:`actor_sentiment`, with a column ``by`` when it is given.
    by : str, optional
        A column of ``mentions`` (a slate, say) whose every value gets its own row per actor;
        by default all mentions of an actor are one row.
    n_boot : int, default :data:`discourse.stats.N_BOOTSTRAP`
        Bootstrap resamples.
    seed : int, default 0
        Seed of every actor's resampling: an actor's interval is the same run to run and does
        not depend on which other actors (or ``by`` groups) are present.

    Returns
    -------
    pandas.DataFrame
        :data:`ACTOR_COLUMNS` (after the column ``by`` when it is given), one row per actor (per
        ``by`` value and actor) in order of first mention: ``actor``, ``n_sentences``,
        ``n_units`` (units that name the actor), ``mean_compound`` (mean VADER compound of the
        mentioning sentences) with ``compound_ci_low``, ``compound_ci_high`` and
        ``compound_p`` (p of a mean of 0), the same for ``mean_afinn`` (mean AFINN per word of
        those sentences), and ``too_few``: True when fewer than
        :func:`discourse.stats.min_units` units name the actor, whose intervals and p are then
        missing (too few units).

    Notes
    -----
    Sentences of one answer share topic, tone and often the actor, so they are not
    independent: the intervals come from a cluster bootstrap (Davison & Hinkley 1997, section
    3.8) in which whole units are drawn with replacement and the mean is recomputed over all
    their mentioning sentences. The intervals are descriptive; p and interval come from the
    same resamples, so an interval excludes 0 exactly when its p is below 0.05.
    """
    needed = {"unit", "actor", "vader_compound", "afinn_score"} | ({by} if by else set())
    missing = needed - set(mentions.columns)
    if missing:
        raise ValueError(f"mentions lacks columns {sorted(missing)}")
    keys = [by, "actor"] if by else ["actor"]
    rows = []
    for key, group in mentions.groupby(keys, sort=False):
        result: dict[str, object] = dict(zip(keys, key, strict=True))
        result["n_sentences"] = len(group)
        for column, name in (("vader_compound", "compound"), ("afinn_score", "afinn")):
            found = mean_interval(group[column], units=group["unit"], n_resamples=n_boot, seed=seed)
            result[f"mean_{name}"] = found.estimate
            result[f"{name}_ci_low"], result[f"{name}_ci_high"] = found.low, found.high
            result[f"{name}_p"] = found.p
        result["n_units"] = group["unit"].nunique()
        result["too_few"] = result["n_units"] < min_units()
        rows.append(result)
    summary = pd.DataFrame(rows, columns=[*keys[:-1], *ACTOR_COLUMNS])
    return summary.astype({"n_sentences": np.int64, "n_units": np.int64, "too_few": bool})


def _plural(count: int, noun: str) -> str:
    """``"1 answer"``, ``"2 answers"``: ``noun`` is the singular."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def actor_labels(
    summary: pd.DataFrame, unit: str = "answer", *, by: str | None = None
) -> pd.Series:
    """How a figure names each row of :func:`actor_summary`, on one line: the actor (and its
    ``by`` value), then its counts, and whether it is too few units for an interval.

    ``unit`` is the singular noun of the units (``"answer"``, ``"question"``). Returns a Series
    aligned to ``summary``, e.g. ``"media (9 sentences, 2 answers: too few units)"``, or
    ``"media, Slate A (...)"`` with ``by="slate"``.
    """
    labels = []
    for row in summary.to_dict("records"):
        name = str(row["actor"]) + (f", {row[by]}" if by else "")
        counts = f"{_plural(row['n_sentences'], 'sentence')}, {_plural(row['n_units'], unit)}"
        note = ": too few units" if row["too_few"] else ""
        labels.append(f"{name} ({counts}{note})")
    return pd.Series(labels, index=summary.index, dtype=object)


def describe_actors(
    summary: pd.DataFrame, unit: str = "answer", *, by: str | None = None
) -> list[str]:
    """One sentence per row of :func:`actor_summary`, highest mean VADER compound first.

    Each gives the actor (and its ``by`` value), how many sentences in how many units name it,
    its VADER and AFINN means with their descriptive intervals, and where the VADER interval
    lies (above 0, below 0, or including it, with its p), or that the actor is named in too few
    units for an interval (fewer than :func:`discourse.stats.min_units`).
    """
    lines = []
    ranked = summary.sort_values("mean_compound", ascending=False, kind="mergesort")
    for row in ranked.to_dict("records"):
        name = str(row["actor"]) + (f" ({row[by]})" if by else "")
        counts = f"{_plural(row['n_sentences'], 'sentence')} in {_plural(row['n_units'], unit)}"
        if row["too_few"]:
            vader, afinn = f"{row['mean_compound']:.3f}", f"{row['mean_afinn']:.3f}"
            where = f"too few units for an interval, which needs {min_units()} {unit}s"
        else:
            vader = with_interval(
                row["mean_compound"], row["compound_ci_low"], row["compound_ci_high"], 3
            )
            afinn = with_interval(row["mean_afinn"], row["afinn_ci_low"], row["afinn_ci_high"], 3)
            side = (
                "above 0"
                if row["compound_ci_low"] > 0
                else "below 0"
                if row["compound_ci_high"] < 0
                else "includes 0"
            )
            where = f"VADER interval {side}, {format_p(row['compound_p'])}"
        lines.append(f"{name}: {counts}; VADER {vader}, AFINN {afinn} ({where}).")
    return lines


LABELS = MappingProxyType(
    {
        "mean_compound": "VADER compound",
        "share_positive": "Share of positive sentences (VADER >= 0.05)",
        "share_negative": "Share of negative sentences (VADER <= -0.05)",
        "mean_sentence_afinn": "AFINN per word",
        "afinn_per_word": "AFINN per word (whole text)",
        "vader_compound": "VADER compound",
        "afinn_score": "AFINN per word",
    }
)
"""Display names of the sentiment columns for table rows and figure titles."""

EXPOSURE = MappingProxyType(
    {
        "mean_compound": "n_sentences",
        "share_positive": "n_sentences",
        "share_negative": "n_sentences",
        "mean_sentence_afinn": "sentences_with_words",
        "afinn_per_word": "words",
    }
)
"""The exposure of each score of :func:`vader_sentiment` and :func:`afinn_sentiment`: the
column of the same output that counts what the score is a mean or share of.

Means over sentences and shares of sentences are exposed by the number of sentences they
average over; a score per word by the number of words. Passed as ``weights=`` to
:func:`discourse.stats.compare_paired`, :func:`discourse.stats.compare_groups` or
:func:`discourse.stats.group_intervals`, it makes a group's value the mean over all its
sentences (or words) rather than the mean of its turns' means, so that a one-sentence question
weighs one sentence, not as much as an answer of twenty."""

_DIGITS: dict[str, int] = {}
_DEFAULT_DIGITS = 3

format_value = decimals(_DIGITS, _DEFAULT_DIGITS)
"""How sentences write a value of a sentiment column: ``format_value(0.1234, "mean_compound")``
gives ``"0.123"`` (the ``number`` of :func:`discourse.stats.describe`)."""

describe_differences = describer(LABELS, format_value)
