"""Emphasis against references: keyness against general English, and what answers take up.

Two questions the comparison of answers with questions cannot settle on its own:

- **What does a text stress against general English?** :func:`reference_keyness` sets the word
  counts of a set of texts against the word frequencies of the ``wordfreq`` package (Speer 2018,
  *wordfreq* v3, Zenodo, doi:10.5281/zenodo.7199437; data under CC BY-SA 4.0), which ships its
  lists offline, scoring each word by the log-likelihood of Rayson & Garside (2000)
  (:func:`log_likelihood`) and the %DIFF effect size of Gabrielatos & Marchi (2011)
  (:func:`percent_diff`).
- **Which terms of a question does its answer take up, and which does it bring in itself?**
  :func:`question_uptake` for one question and answer, :func:`uptake_by_exchange` for every
  exchange of an exchanges table, each set against the other answers of its interview.

The log-likelihood is a descriptive keyness statistic. Its threshold :data:`LL_CRITICAL` is the
convention of the field, not a test of this study: the statistic treats every token as an
independent draw, while words cluster in turns, so a word above the threshold is one to read in
context, not a finding. The study's inferences come from :mod:`discourse.stats`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import wordfreq

from discourse import units
from discourse.text import words
from discourse.topics import topic_stop_words, topic_terms

__all__ = [
    "KEYNESS_COLUMNS",
    "LL_CRITICAL",
    "REFERENCE_SIZE",
    "UPTAKE_COLUMNS",
    "Uptake",
    "content_terms",
    "log_likelihood",
    "log_likelihood_limit",
    "percent_diff",
    "question_uptake",
    "reference_floor",
    "reference_keyness",
    "uptake_by_exchange",
]

REFERENCE_SIZE = 1e9
"""Nominal size, in word tokens, of the general-English reference (see :func:`reference_keyness`).

``wordfreq`` gives proportions, not counts, so the reference needs a size to be a corpus. One
billion is wordfreq's own unit: its Zipf scale is the base-10 logarithm of a word's frequency per
billion words. The log-likelihood grows with this size, towards :func:`log_likelihood_limit`
(the test of the texts' count against the count the reference rate predicts, as if that rate
were known exactly). For a word with a reference count in the thousands (a frequency above one
per million) a billion tokens puts LL within about 0.1% of that limit; for a word rare in general
English the reference count itself is small (about 10 at wordfreq's floor) and LL stays a few
per cent below the limit, which a larger nominal size would remove: the size is a statement of
how sure the reference is. One billion is a nominal, conservative size, not a measured count:
wordfreq pools many sources (Wikipedia, subtitles, news, books, web text, social media), of which
English Wikipedia alone runs to billions of words."""

LL_CRITICAL = 15.13
"""Log-likelihood above which a word counts as key at p < 0.0001 (one degree of freedom): the
cut-off that Rayson, Berridge & Francis (2004, "Extending the Cochran rule for the comparison of
word frequencies between corpora", JADT 2004) recommend for corpus comparisons and that the UCREL
log-likelihood calculator (Lancaster University) lists beside 3.84 (p < 0.05), 6.63 (p < 0.01)
and 10.83 (p < 0.001). It is the chi-squared critical value with one degree of freedom,
15.137, truncated as UCREL prints it."""

KEYNESS_COLUMNS = [
    "term",
    "count",
    "rate_per_1000",
    "reference_rate_per_1000",
    "reference_count",
    "ll",
    "pct_diff",
    "direction",
    "key",
    "in_reference",
]
"""Columns of :func:`reference_keyness`."""

UPTAKE_COLUMNS = [
    "doc_id",
    "slate",
    "exchange",
    "exchange_id",
    "part",
    "label",
    "n_question_terms",
    "n_taken_up",
    "share_taken_up",
    "baseline_share",
    "n_other_answers",
    "taken_up",
    "not_taken_up",
    "n_new_terms",
    "top_new_terms",
]
"""Columns of :func:`uptake_by_exchange`."""


# ----------------------------------------------------------------------------------------------
# Keyness statistics
# ----------------------------------------------------------------------------------------------


def _result(value: np.ndarray) -> float | np.ndarray:
    """A float for scalar inputs, else the array."""
    return float(value) if np.ndim(value) == 0 else value


def _x_log_x_over(x: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``x ln(x / expected)``, with 0 where ``x`` is 0 (the limit of x ln x at 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        term = x * np.log(x / expected)
    return np.where(x > 0, term, 0.0)


def log_likelihood(a, b, c, d) -> float | np.ndarray:
    r"""Log-likelihood (G²) of a word's frequencies in two corpora (Rayson & Garside 2000).

    Rayson & Garside (2000), "Comparing corpora using frequency profiling", *Proceedings of the
    Workshop on Comparing Corpora*, ACL 2000, 1-6. With ``a`` and ``b`` the word's frequencies in
    corpus 1 and corpus 2, and ``c`` and ``d`` the sizes (tokens) of corpus 1 and corpus 2:

    .. math::

        E_1 = \frac{c\,(a + b)}{c + d}, \qquad E_2 = \frac{d\,(a + b)}{c + d}, \qquad
        LL = 2 \left( a \ln\frac{a}{E_1} + b \ln\frac{b}{E_2} \right),

    where a frequency of 0 contributes 0 (the limit of :math:`x \ln x` at 0). This is the G²
    statistic of the 2×2 table [[a, c − a], [b, d − b]] as Rayson & Garside compute it, from the
    two cells of the word only; their sum is the full table's G² minus the two "other words"
    cells, which are negligible when the word is a small share of both corpora. A word of
    frequency 0 in both corpora has LL = 0.

    Parameters
    ----------
    a, b : float or array_like
        Frequencies of the word in corpus 1 and corpus 2 (non-negative; need not be whole, as a
        reference count made from a proportion is not).
    c, d : float or array_like
        Sizes of corpus 1 and corpus 2 (positive). All four broadcast against each other.

    Returns
    -------
    float or ndarray
        LL, non-negative; it says how surprising the difference is, not which way it goes (see
        :func:`percent_diff`).
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    if np.any(a < 0) or np.any(b < 0):
        raise ValueError("frequencies must be non-negative")
    if np.any(c <= 0) or np.any(d <= 0):
        raise ValueError("corpus sizes must be positive")
    total = a + b
    e1 = c * total / (c + d)
    e2 = d * total / (c + d)
    return _result(2.0 * (_x_log_x_over(a, e1) + _x_log_x_over(b, e2)))


def log_likelihood_limit(a, c, p) -> float | np.ndarray:
    r"""The limit of :func:`log_likelihood` as the reference corpus grows without end.

    With the reference frequency ``b = p d`` for a fixed proportion ``p`` and ``d`` → ∞,
    :math:`E_1 \to c p` and the reference term :math:`b \ln(b/E_2) \to c p - a`, so

    .. math::

        LL_\infty = 2 \left( a \ln\frac{a}{c p} - (a - c p) \right),

    the G² (Poisson deviance) of the observed count ``a`` against the count ``c p`` the reference
    rate leads one to expect in ``c`` tokens. LL rises towards it as ``d`` grows: a larger
    reference leaves less doubt about its own rate.
    """
    a, c, p = (np.asarray(x, dtype=float) for x in (a, c, p))
    expected = c * p
    return _result(2.0 * (_x_log_x_over(a, expected) - (a - expected)))


def percent_diff(a, b, c, d) -> float | np.ndarray:
    r"""%DIFF, the effect size of Gabrielatos & Marchi (2011).

    Gabrielatos & Marchi (2011), "Keyness: matching metrics to definitions", *Corpus Linguistics
    in the South* 5, Lancaster University. With the notation of :func:`log_likelihood`:

    .. math::

        \%DIFF = 100 \times \frac{a / c - b / d}{b / d},

    the difference of the word's normalised frequencies as a percentage of its frequency in
    corpus 2: +100 is twice the reference rate, −50 half of it, −100 absent from corpus 1. A word
    absent from corpus 2 has %DIFF +inf (and NaN when it is absent from both).
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    rate_1, rate_2 = a / c, b / d
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 * (rate_1 - rate_2) / rate_2
    return _result(value)


# ----------------------------------------------------------------------------------------------
# Against general English
# ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def reference_floor(language: str = "en") -> float:
    """The frequency given to a word that wordfreq does not list: its smallest listed frequency.

    For English this is about 1.02e-8 (Zipf 1.01, one per hundred million words), the resolution
    of wordfreq's large English list: a word it does not know is at most that common in its
    sources, so the floor gives the reference the benefit of the doubt and a word's keyness is not
    inflated by a zero.
    """
    return float(min(wordfreq.get_frequency_dict(language).values()))


def _texts(texts: pd.Series | Iterable[str]) -> list[str]:
    return [t if isinstance(t, str) else "" for t in texts]


def reference_keyness(
    texts: pd.Series | Iterable[str],
    *,
    language: str = "en",
    reference_size: float = REFERENCE_SIZE,
    min_count: int = 3,
) -> pd.DataFrame:
    """The words of ``texts`` against general English: log-likelihood and %DIFF per word.

    Every text is cut into words by :func:`discourse.text.words` and lower-cased; tokens holding a
    digit (``2022``, ``17.00``) are left out, since wordfreq does not list numbers one by one
    (it pools numbers of one shape). Stop words are kept: the keyness statistic weighs frequent
    words by their own reference frequency, so *the* is key only when its rate departs from
    general English, and a pronoun or modal that is over- or underused is part of what a text
    stresses.

    The reference is wordfreq's frequency of the word in ``language`` (its ``"best"`` list; a
    word wordfreq splits into several tokens, such as the compound ``anti-racist``, gets its
    estimate for the sequence), taken as a proportion of a nominal corpus of ``reference_size``
    tokens (:data:`REFERENCE_SIZE`, one billion): the reference count is that proportion times
    the size. LL grows with the size and approaches :func:`log_likelihood_limit`, the test of the
    observed count against the count the reference rate predicts. A word wordfreq does not know
    gets the floor :func:`reference_floor` (its smallest listed frequency) and
    ``in_reference`` False.

    Only words of the texts are scored: a word of general English the texts never use (or use
    fewer than ``min_count`` times) is not listed, so "underused" means used, but less often than
    in general English.

    Parameters
    ----------
    texts : Series or iterable of str
        The texts, pooled (e.g. every answer of one slate).
    language : str
        A wordfreq language code.
    reference_size : float
        Nominal size of the reference corpus, in tokens.
    min_count : int
        Smallest count in the texts for a word to be scored.

    Returns
    -------
    DataFrame
        One row per word, sorted by LL (largest first, ties by term): :data:`KEYNESS_COLUMNS`.
        ``rate_per_1000`` and ``reference_rate_per_1000`` are per 1,000 tokens of the texts and of
        the reference; ``direction`` is "overused" or "underused" (the sign of %DIFF); ``key`` is
        LL > :data:`LL_CRITICAL`. ``attrs`` holds ``n_tokens``, ``reference_size``, ``floor`` and
        ``language``.
    """
    if not reference_size > 0:
        raise ValueError("reference_size must be positive")
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    counts: Counter[str] = Counter()
    for text in _texts(texts):
        counts.update(
            token
            for token in (w.lower() for w in words(text))
            if not any(ch.isdigit() for ch in token)
        )
    n_tokens = sum(counts.values())
    floor = reference_floor(language)
    kept = sorted(term for term, n in counts.items() if n >= min_count)
    table = pd.DataFrame({"term": pd.Series(kept, dtype=object)})
    table["count"] = np.array([counts[t] for t in kept], dtype=int)
    listed = np.array([wordfreq.word_frequency(t, language) for t in kept], dtype=float)
    table["in_reference"] = listed > 0
    proportion = np.where(listed > 0, listed, floor)
    observed = table["count"].to_numpy(dtype=float)
    reference_count = proportion * reference_size
    size = max(n_tokens, 1)
    table["rate_per_1000"] = 1000.0 * observed / size
    table["reference_rate_per_1000"] = 1000.0 * proportion
    table["reference_count"] = reference_count
    table["ll"] = log_likelihood(observed, reference_count, size, reference_size)
    table["pct_diff"] = percent_diff(observed, reference_count, size, reference_size)
    table["direction"] = np.where(table["pct_diff"] >= 0, "overused", "underused")
    table["key"] = table["ll"] > LL_CRITICAL
    table = table.sort_values(["ll", "term"], ascending=[False, True], kind="stable")
    table = table[KEYNESS_COLUMNS].reset_index(drop=True)
    table.attrs.update(
        n_tokens=n_tokens, reference_size=reference_size, floor=floor, language=language
    )
    return table


# ----------------------------------------------------------------------------------------------
# What answers take up from their questions
# ----------------------------------------------------------------------------------------------


def content_terms(text: str, stop_words: str | Iterable[str] | None = "english") -> list[str]:
    """The content terms of ``text``, in order: its topic terms that are not stop words.

    Terms are those of :func:`discourse.topics.topic_terms` (lower-cased words of
    :func:`discourse.text.words`, a final ``'s`` stripped, one-letter and letterless tokens
    dropped), the same terms the TF-IDF responsiveness measure counts; stop words are
    :func:`discourse.topics.topic_stop_words` (scikit-learn's English list and the study's
    contracted forms by default; or a list you pass; ``None`` keeps every term). Terms are matched
    as written: no stemming, so *organise* and *organising* are two terms.
    """
    stop = frozenset(topic_stop_words(stop_words) or ())
    return [term for term in topic_terms(text if isinstance(text, str) else "") if term not in stop]


@dataclass(frozen=True)
class Uptake:
    """What an answer takes up from its question (see :func:`question_uptake`).

    ``question_terms``: the question's distinct content terms, in order of first use;
    ``taken_up`` and ``not_taken_up``: those the answer uses and does not, in the same order;
    ``new_terms``: the answer's content terms absent from the question, with their counts in the
    answer, most frequent first (ties alphabetical).
    """

    question_terms: tuple[str, ...]
    taken_up: tuple[str, ...]
    not_taken_up: tuple[str, ...]
    new_terms: tuple[tuple[str, int], ...]

    @property
    def share(self) -> float:
        """Share of the question's distinct content terms that the answer uses (NaN if none)."""
        if not self.question_terms:
            return float("nan")
        return len(self.taken_up) / len(self.question_terms)


def _distinct(terms: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(terms))


def question_uptake(
    question: str, answer: str, stop_words: str | Iterable[str] | None = "english"
) -> Uptake:
    """Which content terms of ``question`` the ``answer`` takes up, and which it brings in.

    Content terms are those of :func:`content_terms`. A question term is taken up when the answer
    uses it at least once; the share taken up counts distinct terms (types), so a term the
    question repeats counts once. Terms the answer uses and the question does not are its own.
    """
    question_terms = _distinct(content_terms(question, stop_words))
    answer_counts = Counter(content_terms(answer, stop_words))
    taken = tuple(t for t in question_terms if t in answer_counts)
    missed = tuple(t for t in question_terms if t not in answer_counts)
    asked = set(question_terms)
    new = sorted(
        ((t, n) for t, n in answer_counts.items() if t not in asked),
        key=lambda item: (-item[1], item[0]),
    )
    return Uptake(question_terms, taken, missed, tuple(new))


def uptake_by_exchange(
    exchanges: pd.DataFrame,
    *,
    top: int = 5,
    stop_words: str | Iterable[str] | None = "english",
    within: str | None = "doc_id",
) -> pd.DataFrame:
    """:func:`question_uptake` for every exchange, with a baseline from the other answers.

    For every exchange: the number of the question's distinct content terms, how many and which
    the answer takes up, the share taken up, and the answer's ``top`` most frequent terms of its
    own (``term (count)``). ``baseline_share`` is the mean share of the same question's terms
    that the other answers of the same interview (same ``within`` value; all other answers with
    ``within=None``) use: long answers use many words, so a share means something only against
    what answers to other questions reach by chance.

    Parameters
    ----------
    exchanges : DataFrame
        An exchanges table (``doc_id``, ``slate``, ``exchange``, ``exchange_id``, ``part``,
        ``question_key``, ``interviewer``, ``question``, ``answer``).
    top : int
        How many of the answer's own terms to list.
    stop_words : "english", list or None
        As for :func:`content_terms`.
    within : str or None
        Column whose value an answer must share to enter an exchange's baseline.

    Returns
    -------
    DataFrame
        One row per exchange in input order, fresh index: :data:`UPTAKE_COLUMNS`. ``label`` is
        :func:`discourse.units.turn_table`'s; ``taken_up``, ``not_taken_up`` and ``top_new_terms``
        are comma-separated strings.
    """
    turns = units.turn_table(exchanges)
    labels = turns.loc[turns["turn"] == "answer", "label"].to_numpy()
    questions = exchanges["question"].tolist()
    answers = exchanges["answer"].tolist()
    answer_terms = [frozenset(content_terms(a, stop_words)) for a in answers]
    groups = (
        np.zeros(len(exchanges), dtype=int)
        if within is None
        else pd.factorize(exchanges[within])[0]
    )
    rows = []
    for i, (question, answer) in enumerate(zip(questions, answers, strict=True)):
        uptake = question_uptake(question, answer, stop_words)
        others = [j for j in range(len(answers)) if j != i and groups[j] == groups[i]]
        if uptake.question_terms and others:
            shares = [
                sum(t in answer_terms[j] for t in uptake.question_terms)
                / len(uptake.question_terms)
                for j in others
            ]
            baseline = float(np.mean(shares))
        else:
            baseline = float("nan")
        rows.append(
            {
                "n_question_terms": len(uptake.question_terms),
                "n_taken_up": len(uptake.taken_up),
                "share_taken_up": uptake.share,
                "baseline_share": baseline,
                "n_other_answers": len(others),
                "taken_up": ", ".join(uptake.taken_up),
                "not_taken_up": ", ".join(uptake.not_taken_up),
                "n_new_terms": len(uptake.new_terms),
                "top_new_terms": ", ".join(f"{t} ({n})" for t, n in uptake.new_terms[:top]),
            }
        )
    keys = exchanges[["doc_id", "slate", "exchange", "exchange_id", "part"]].reset_index(drop=True)
    table = pd.concat([keys.assign(label=labels), pd.DataFrame(rows)], axis=1)
    return table[UPTAKE_COLUMNS]
