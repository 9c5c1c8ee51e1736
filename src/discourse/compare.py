"""Distinctive vocabulary (Fightin' Words) and the stability of its rankings.

Every interval, test and verdict of the study lives in :mod:`discourse.stats`; this module keeps
the word-level comparisons, whose z-scores and q-values use its Benjamini-Hochberg correction.
Keyword in context lives in :mod:`discourse.concordance`; ``compare.kwic`` and
``compare.kwic_examples`` remain importable from here.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse, stats
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils.validation import check_is_fitted

from discourse.concordance import kwic, kwic_examples
from discourse.stats import benjamini_hochberg, group_order
from discourse.text import words

__all__ = [
    "ALL_ANSWERS",
    "PRIOR_SHARE",
    "SHARED_ANSWERS",
    "SLATE_KEYNESS_COLUMNS",
    "FightinWords",
    "RankingStability",
    "describe_slate_keyness",
    "kwic",
    "kwic_examples",
    "ranking_stability",
    "slate_keyness",
]

# ---------------------------------------------------------------------------------------------
# Fightin' Words
# ---------------------------------------------------------------------------------------------


PRIOR_SHARE = 0.1
"""Default strength of the Fightin' Words corpus prior: :math:`\alpha_0` as a share of the token
count of the smaller group (see :class:`FightinWords`, "Prior strength")."""


def _lower_words(text: str) -> list[str]:
    """The default tokeniser: :func:`discourse.text.words`, lower-cased."""
    return [word.lower() for word in words(text)]


def _prior(
    y_a: np.ndarray, y_b: np.ndarray, prior: str | float, prior_scale: float | None
) -> np.ndarray:
    """The Dirichlet prior pseudo-counts alpha_w (see :class:`FightinWords`)."""
    if isinstance(prior, str):
        if prior != "corpus":
            raise ValueError(f"prior must be 'corpus' or a positive number, got {prior!r}")
        pooled = y_a + y_b
        if prior_scale is None:
            scale = PRIOR_SHARE * float(min(y_a.sum(), y_b.sum()))
        else:
            scale = float(prior_scale)
        if not scale > 0:
            raise ValueError("prior_scale must be positive")
        return scale * pooled / pooled.sum()
    if not prior > 0:
        raise ValueError(f"a constant prior must be positive, got {prior!r}")
    return np.full(len(y_a), float(prior))


def _log_odds(
    y_a: np.ndarray, y_b: np.ndarray, alpha: np.ndarray, variance: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """delta, its variance and z for counts ``y_a``, ``y_b`` and prior ``alpha`` (see
    :class:`FightinWords`)."""
    n_a, n_b, alpha_0 = y_a.sum(), y_b.sum(), alpha.sum()
    rest_a = n_a + alpha_0 - y_a - alpha
    rest_b = n_b + alpha_0 - y_b - alpha
    # A term absent from both groups with a zero corpus prior (possible in a resample) has no
    # log-odds: it comes out NaN and is never among the kept terms.
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((y_a + alpha) / rest_a) - np.log((y_b + alpha) / rest_b)
        var = 1 / (y_a + alpha) + 1 / (y_b + alpha)
        if variance == "full":
            var = var + 1 / rest_a + 1 / rest_b
        return delta, var, delta / np.sqrt(var)


class FightinWords(BaseEstimator):
    r"""Distinctive words of two groups: log-odds ratios with an informative Dirichlet prior.

    Monroe, Colaresi and Quinn (2008), "Fightin' words: lexical feature selection and evaluation
    for identifying the content of political conflict", *Political Analysis* 16(4):372-403,
    section 3.5. For term :math:`w`, with :math:`y_w^a, y_w^b` its counts in groups a and b,
    :math:`n^a, n^b` the groups' total counts (over every term, before ``min_count``),
    :math:`\alpha_w` the prior pseudo-count and :math:`\alpha_0 = \sum_w \alpha_w`:

    .. math::

        \hat\delta_w = \log\frac{y_w^a + \alpha_w}{n^a + \alpha_0 - y_w^a - \alpha_w}
                     - \log\frac{y_w^b + \alpha_w}{n^b + \alpha_0 - y_w^b - \alpha_w}

        \sigma^2(\hat\delta_w) \approx \frac{1}{y_w^a + \alpha_w} + \frac{1}{y_w^b + \alpha_w}

        z_w = \hat\delta_w / \sqrt{\sigma^2(\hat\delta_w)}

    Positive :math:`z` marks a term of group a, negative of group b; ``p`` is the two-sided
    normal p-value of ``z`` and ``q`` its Benjamini-Hochberg q-value across the vocabulary.

    Variance. Two versions circulate in public implementations. The default
    (``variance="approximate"``) is the paper's approximation above, the one its z-scores use.
    ``variance="full"`` adds :math:`1/(n^a + \alpha_0 - y_w^a - \alpha_w) + 1/(n^b + \alpha_0 -
    y_w^b - \alpha_w)`, the complete delta-method variance of a difference of two log-odds. The
    added terms are below :math:`1/(n - y)`, a few ten-thousandths for interviews of some
    thousand words, so the paper's version is kept for fidelity; the full one shrinks ``z`` very
    slightly for the most frequent words.

    Prior strength. In the posterior rate of group :math:`g`, :math:`(y_w^g + \alpha_w) /
    (n^g + \alpha_0)`, the prior carries the weight :math:`\alpha_0 / (n^g + \alpha_0)`: it
    moves the observed rate that share of the way towards the pooled rate. Taking the pooled
    counts themselves as pseudo-counts (:math:`\alpha_0 = n^a + n^b`) gives the prior more
    weight than either group's data (6/7 for a group holding a sixth of the tokens), so every
    ``delta`` and ``z`` is shrunk towards zero, most for the smaller group: a word used 82 times
    in 7,354 tokens of one group and 4 times in 1,518 tokens of the other reaches only
    :math:`z \approx 1.4`. The paper scales the informative prior to a chosen total
    :math:`\alpha_0` (section 3.5). The default here, :math:`\alpha_0 = 0.1 \min(n^a, n^b)`,
    leaves each group's own counts at least :math:`1/1.1 \approx 91\%` of the weight in its
    posterior rates, while a term missing from one group still gets a pseudo-count in proportion
    to its pooled frequency. That keeps ``delta`` finite and keeps a term used often by one side
    only from being scored near zero, which a vanishing :math:`\alpha_w` would do through the
    :math:`1/\alpha_w` term of the variance. Tying :math:`\alpha_0` to the smaller group rather
    than to a fixed number keeps this balance for texts of any length.

    Parameters
    ----------
    prior : "corpus" or float
        ``"corpus"`` (informative prior, section 3.5): :math:`\alpha_w = \alpha_0 (y_w^a +
        y_w^b) / (n^a + n^b)`, the pooled relative frequency scaled to ``prior_scale``
        pseudo-counts. A number: the same :math:`\alpha_w` for every term (a flat,
        uninformative Dirichlet prior, which the paper discusses before the informative one).
    prior_scale : float, optional
        :math:`\alpha_0` of the corpus prior. By default :data:`PRIOR_SHARE` times the token
        count of the smaller group, :math:`\alpha_0 = 0.1 \min(n^a, n^b)` (see "Prior
        strength" above). Pass ``prior_scale = n^a + n^b`` for :math:`\alpha_w = y_w^a +
        y_w^b`, the pooled counts themselves as pseudo-counts.
    min_count : int
        Terms with fewer pooled occurrences are left out of the results and of the
        Benjamini-Hochberg family (they still count in :math:`n^a`, :math:`n^b` and the prior).
        The pooled count does not depend on which group a token came from, so filtering on it
        leaves the tests of the kept terms valid while sparing the false discovery control
        terms too rare to be distinctive (independent filtering; Bourgon, Gentleman and Huber
        2010, *PNAS* 107(21):9546-9551).
    variance : {"approximate", "full"}
        See above.
    ngram_range : tuple of int
        Passed to :class:`~sklearn.feature_extraction.text.CountVectorizer`.
    stop_words : list of str, optional
        Terms to drop before counting (the paper keeps them: the prior handles function words).
    tokenizer : callable, optional
        Text to tokens; by default lower-cased :func:`discourse.text.words`.
    group_a : label, optional
        Which group is ``a`` (positive z); by default the first in sorted order.

    Attributes
    ----------
    classes_ : ndarray
        ``[group_a, group_b]``.
    vectorizer_ : CountVectorizer
        The fitted vectoriser.
    vocabulary_ : ndarray of str
        The kept terms (pooled count >= ``min_count``), alphabetical.
    count_a_, count_b_ : ndarray of int
        Their counts in each group.
    alpha_ : ndarray
        Their prior pseudo-counts.
    delta_, variance_, zscore_ : ndarray
        As defined above.
    n_a_, n_b_ : int
        Total counts of each group; ``alpha0_`` the total prior.
    """

    def __init__(
        self,
        prior: str | float = "corpus",
        prior_scale: float | None = None,
        min_count: int = 1,
        variance: Literal["approximate", "full"] = "approximate",
        ngram_range: tuple[int, int] = (1, 1),
        stop_words: list[str] | None = None,
        tokenizer: Callable[[str], list[str]] | None = None,
        group_a: Hashable | None = None,
    ) -> None:
        self.prior = prior
        self.prior_scale = prior_scale
        self.min_count = min_count
        self.variance = variance
        self.ngram_range = ngram_range
        self.stop_words = stop_words
        self.tokenizer = tokenizer
        self.group_a = group_a

    def _vectorizer(self) -> CountVectorizer:
        return CountVectorizer(
            tokenizer=self.tokenizer or _lower_words,
            lowercase=False,
            token_pattern=None,
            ngram_range=self.ngram_range,
            stop_words=self.stop_words,
        )

    def _classes(self, groups: np.ndarray) -> np.ndarray:
        order = group_order(pd.Series(groups))
        if len(order) != 2:
            raise ValueError(f"FightinWords compares exactly two groups, found {order}")
        if self.group_a is not None:
            if self.group_a not in order:
                raise ValueError(f"group_a {self.group_a!r} not among the groups {order}")
            order = [self.group_a, *(g for g in order if g != self.group_a)]
        return np.array(order, dtype=object)

    def _fit_counts(self, y_a: np.ndarray, y_b: np.ndarray) -> None:
        if self.variance not in ("approximate", "full"):
            raise ValueError(f"variance must be 'approximate' or 'full', got {self.variance!r}")
        alpha = _prior(y_a, y_b, self.prior, self.prior_scale)
        delta, var, z = _log_odds(y_a, y_b, alpha, self.variance)
        keep = (y_a + y_b) >= self.min_count
        self.n_a_, self.n_b_, self.alpha0_ = int(y_a.sum()), int(y_b.sum()), float(alpha.sum())
        self.vocabulary_ = self.vectorizer_.get_feature_names_out()[keep]
        self.count_a_, self.count_b_ = y_a[keep], y_b[keep]
        self.alpha_, self.delta_, self.variance_, self.zscore_ = (
            alpha[keep],
            delta[keep],
            var[keep],
            z[keep],
        )

    def fit(self, texts: pd.Series | Sequence[str], groups: Sequence[Hashable]) -> FightinWords:
        """Count the terms of ``texts`` per group (exactly two groups) and score them.

        Parameters
        ----------
        texts : Series or sequence of str
            Documents; missing values count as empty.
        groups : sequence
            The group of each document, aligned with ``texts``.
        """
        documents = [t if isinstance(t, str) else "" for t in texts]
        groups = np.asarray(groups, dtype=object)
        if len(groups) != len(documents):
            raise ValueError("texts and groups must have the same length")
        self.classes_ = self._classes(groups)
        self.vectorizer_ = self._vectorizer()
        matrix = self.vectorizer_.fit_transform(documents)
        y_a = np.asarray(matrix[groups == self.classes_[0]].sum(axis=0)).ravel()
        y_b = np.asarray(matrix[groups == self.classes_[1]].sum(axis=0)).ravel()
        if y_a.sum() == 0 or y_b.sum() == 0:
            raise ValueError("each group needs at least one token")
        self._fit_counts(y_a, y_b)
        return self

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The kept terms, in the order of the fitted arrays."""
        check_is_fitted(self, "vocabulary_")
        return np.asarray(self.vocabulary_, dtype=object)

    def results(self) -> pd.DataFrame:
        """Tidy scores, most distinctive of group a first.

        Returns
        -------
        DataFrame
            One row per term, sorted by ``z`` descending (ties by term): ``term``, ``count_a``,
            ``count_b``, ``freq`` (pooled count), ``log_freq`` (log10 of ``freq``), ``delta``,
            ``variance``, ``z``, ``p`` (two-sided normal), ``q`` (Benjamini-Hochberg across the
            terms), ``group_a``, ``group_b``.
        """
        check_is_fitted(self, "vocabulary_")
        freq = self.count_a_ + self.count_b_
        p = 2 * stats.norm.sf(np.abs(self.zscore_))
        table = pd.DataFrame(
            {
                "term": self.vocabulary_,
                "count_a": self.count_a_.astype(np.int64),
                "count_b": self.count_b_.astype(np.int64),
                "freq": freq.astype(np.int64),
                "log_freq": np.log10(freq),
                "delta": self.delta_,
                "variance": self.variance_,
                "z": self.zscore_,
                "p": p,
                "q": benjamini_hochberg(p),
                "group_a": self.classes_[0],
                "group_b": self.classes_[1],
            }
        )
        return table.sort_values(["z", "term"], ascending=[False, True], ignore_index=True)


_RESULT_COLUMNS = [
    "term",
    "count_a",
    "count_b",
    "freq",
    "log_freq",
    "delta",
    "variance",
    "z",
    "p",
    "q",
    "group_a",
    "group_b",
]


def _top_terms(terms: np.ndarray, z: np.ndarray, top: int) -> tuple[set[str], set[str]]:
    """The ``top`` terms with the largest positive z and the ``top`` with the most negative z
    (ties broken alphabetically)."""
    names = np.asarray(terms, dtype=str)
    positive = [names[i] for i in np.lexsort((names, -z)) if z[i] > 0][:top]
    negative = [names[i] for i in np.lexsort((names, z)) if z[i] < 0][:top]
    return set(positive), set(negative)


@dataclass(frozen=True)
class RankingStability:
    """Result of :func:`ranking_stability`.

    Attributes
    ----------
    terms : DataFrame
        One row per term of the original top lists: ``group`` (the group it marks), ``rank``
        (1 = most distinctive), ``term``, ``z`` (original), ``top_share`` (share of resamples in
        which it stays in that group's top list).
    jaccard : DataFrame
        Per group: ``group``, ``mean_jaccard`` (mean Jaccard index of the original top list and
        each resample's), ``n_boot``, ``top``.
    """

    terms: pd.DataFrame
    jaccard: pd.DataFrame


def ranking_stability(
    texts: pd.Series | Sequence[str],
    groups: Sequence[Hashable],
    units: Sequence[Hashable] | None = None,
    *,
    n_boot: int = 200,
    top: int = 20,
    seed: int = 0,
    **params: object,
) -> RankingStability:
    """How stable the Fightin' Words top lists are under resampling of the texts.

    The model (:class:`FightinWords` with ``params``) is fitted once; then, ``n_boot`` times,
    the units (paragraphs, say; by default every text is a unit) of each group are resampled
    with replacement within the group, the counts are recomputed from the drawn units' texts
    (the prior too, for the corpus prior), and the terms are scored again. A group's top list is
    its ``top`` terms with the largest ``|z|`` on its side (positive z for group a, negative for
    group b). Reported: for each term of the original top lists, the share of resamples whose top
    list still holds it, and per group the mean Jaccard index
    ``|original & resample| / |original | resample|`` of the top lists.

    Parameters
    ----------
    texts, groups
        As for :meth:`FightinWords.fit`.
    units : sequence, optional
        Unit of each text, nested within groups; texts of a unit are drawn together.
    n_boot : int
        Number of resamples.
    top : int
        Length of each top list.
    seed : int
        Seed of the one generator that draws all resamples.
    """
    model = FightinWords(**params)
    model.fit(texts, groups)
    documents = [t if isinstance(t, str) else "" for t in texts]
    matrix = sparse.csr_matrix(model.vectorizer_.transform(documents))
    groups = np.asarray(groups, dtype=object)
    codes = np.arange(len(documents)) if units is None else pd.factorize(np.asarray(units))[0]
    if units is not None:
        frame = pd.DataFrame({"unit": codes, "group": groups})
        if (frame.groupby("unit")["group"].nunique() > 1).any():
            raise ValueError("units must nest within groups")
    all_terms = model.vectorizer_.get_feature_names_out()
    original = _top_terms(np.asarray(model.vocabulary_), model.zscore_, top)
    # units of each group, and a unit-by-term count matrix
    n_units = codes.max() + 1 if len(codes) else 0
    membership = sparse.csr_matrix(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(n_units, len(codes))
    )
    unit_counts = (membership @ matrix).toarray()
    group_units = [np.unique(codes[groups == label]) for label in model.classes_]
    rng = np.random.default_rng(seed)
    stays = [dict.fromkeys(original[k], 0) for k in range(2)]
    jaccards: list[list[float]] = [[], []]
    for _ in range(n_boot):
        sums = []
        for members in group_units:
            drawn = rng.choice(members, size=len(members), replace=True)
            sums.append(np.bincount(drawn, minlength=n_units) @ unit_counts)
        y_a, y_b = sums
        if y_a.sum() == 0 or y_b.sum() == 0:
            continue
        alpha = _prior(y_a, y_b, model.prior, model.prior_scale)
        _, _, z = _log_odds(y_a, y_b, alpha, model.variance)
        keep = (y_a + y_b) >= max(model.min_count, 1)
        resampled = _top_terms(all_terms[keep], z[keep], top)
        for k in range(2):
            for term in original[k] & resampled[k]:
                stays[k][term] += 1
            union = original[k] | resampled[k]
            jaccards[k].append(len(original[k] & resampled[k]) / len(union) if union else 1.0)
    z_by_term = dict(zip(model.vocabulary_, model.zscore_, strict=True))
    rows = []
    for k, label in enumerate(model.classes_):
        ranked = sorted(original[k], key=lambda t: (-abs(z_by_term[t]), t))
        for rank, term in enumerate(ranked, start=1):
            share = stays[k][term] / len(jaccards[k]) if jaccards[k] else math.nan
            rows.append(
                {
                    "group": label,
                    "rank": rank,
                    "term": term,
                    "z": z_by_term[term],
                    "top_share": share,
                }
            )
    terms = pd.DataFrame(rows, columns=["group", "rank", "term", "z", "top_share"])
    jaccard = pd.DataFrame(
        {
            "group": list(model.classes_),
            "mean_jaccard": [float(np.mean(j)) if j else math.nan for j in jaccards],
            "n_boot": [len(j) for j in jaccards],
            "top": top,
        }
    )
    return RankingStability(terms=terms, jaccard=jaccard)


# ---------------------------------------------------------------------------------------------
# Slate against slate
# ---------------------------------------------------------------------------------------------

SHARED_ANSWERS = "answers to shared questions"
"""``slate_design`` of :func:`slate_keyness` on the answers to questions both slates were asked."""
ALL_ANSWERS = "all answers"
"""``slate_design`` of :func:`slate_keyness` on every answer of both slates (no shared question)."""
SLATE_KEYNESS_COLUMNS = [
    "slate_design",
    "questions",
    "texts_a",
    "texts_b",
    "tokens_a",
    "tokens_b",
]
"""Columns :func:`slate_keyness` puts before those of :meth:`FightinWords.results`."""


def slate_keyness(
    answers: pd.DataFrame,
    *,
    text: str = "text",
    slate: str = "slate",
    key: str = "question_key",
    **params: object,
) -> pd.DataFrame:
    """Distinctive words of every pair of slates, on the answers both can be compared on.

    For each pair of slates (sorted, ``a`` against ``b``), :class:`FightinWords` with ``params``
    is fitted on their answers to the questions both were asked (equal ``key``: a declared
    question id, else the same normalised question; ``slate_design`` :data:`SHARED_ANSWERS`),
    so that a word marks how a slate answers rather than what it was asked; when the two share
    no question, on all their answers (:data:`ALL_ANSWERS`), which then mixes the two.
    A question asked twice in one interview adds both answers to that slate's counts.

    Parameters
    ----------
    answers : DataFrame
        One row per answer text (a paragraph, say) with columns ``text``, ``slate`` and ``key``.
    text, slate, key : str
        Column names.
    **params
        Passed to :class:`FightinWords` (``group_a`` is set to each pair's first slate).

    Returns
    -------
    DataFrame
        :data:`SLATE_KEYNESS_COLUMNS` (``questions``: shared questions, 0 for all answers;
        ``texts_a``, ``texts_b``: rows used; ``tokens_a``, ``tokens_b``: the groups' token
        counts) then the columns of :meth:`FightinWords.results`, one row per pair of slates
        and term; no rows with fewer than two slates.
    """
    columns = [*SLATE_KEYNESS_COLUMNS, *_RESULT_COLUMNS]
    missing = [c for c in (text, slate, key) if c not in answers.columns]
    if missing:
        raise KeyError(f"columns not in the frame: {missing}")
    if "group_a" in params:
        raise TypeError("slate_keyness sets group_a itself: each pair's first slate")
    frames = []
    for a, b in itertools.combinations(group_order(answers[slate]), 2):
        two = answers.loc[answers[slate].isin([a, b])]
        asked = two.groupby(key)[slate].nunique()
        shared = asked.index[asked == 2]
        design = SHARED_ANSWERS if len(shared) else ALL_ANSWERS
        if len(shared):
            two = two.loc[two[key].isin(shared)]
        model = FightinWords(group_a=a, **params).fit(two[text], two[slate])
        found = model.results()
        found.insert(0, "slate_design", design)
        found.insert(1, "questions", len(shared))
        found.insert(2, "texts_a", int((two[slate] == a).sum()))
        found.insert(3, "texts_b", int((two[slate] == b).sum()))
        found.insert(4, "tokens_a", model.n_a_)
        found.insert(5, "tokens_b", model.n_b_)
        frames.append(found)
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def describe_slate_keyness(table: pd.DataFrame, *, top: int = 10, alpha: float = 0.05) -> list[str]:
    """Plain sentences for :func:`slate_keyness`: per pair of slates, what was compared and on
    how much text, then for each slate the words that mark it with ``q < alpha`` (at most
    ``top``, largest ``|z|`` first), and the largest ``|z|`` of the pair."""
    lines = []
    for (a, b), rows in table.groupby(["group_a", "group_b"], sort=False):
        first = rows.iloc[0]
        what = (
            f"{first.slate_design} ({first.questions} questions answered by both)"
            if first.slate_design == SHARED_ANSWERS
            else f"{first.slate_design} (they share no question, so the questions differ too)"
        )
        lines.append(
            f"{a} against {b}, {what}: {first.texts_a} and {first.texts_b} texts, "
            f"{first.tokens_a} and {first.tokens_b} word tokens, {len(rows)} words compared."
        )
        for side, marks in ((a, rows["z"] > 0), (b, rows["z"] < 0)):
            found = rows.loc[marks & (rows["q"] < alpha)]
            found = found.reindex(found["z"].abs().sort_values(ascending=False).index)
            listed = ", ".join(found["term"].head(top)) or "none"
            lines.append(f"  words marking {side} with q < {alpha}: {len(found)} ({listed}).")
        largest = float(rows["z"].abs().max()) if len(rows) else 0.0
        lines.append(f"  largest |z|: {largest:.2f}.")
    return lines
