"""Topic models of interview text, their coherence and stability, and how to choose their number.

Two scikit-learn-style estimators find topics in a collection of units (paragraphs, answers):

- :class:`NMFTopics`: non-negative matrix factorisation of the TF-IDF matrix (Lee & Seung 1999;
  for topics, Arora, Ge & Moitra 2012), initialised by NNDSVDa (Boutsidis & Gallopoulos 2008),
  so that a fit does not depend on a random start;
- :class:`LDATopics`: latent Dirichlet allocation on word counts (Blei, Ng & Jordan 2003),
  fitted by batch variational Bayes (Hoffman, Blei & Bach 2010) from a fixed seed.

Both read text through :func:`topic_terms` (the shared :func:`discourse.text.normalise` and
:func:`discourse.text.words`, lower-cased, ``'s`` stripped) and drop stop words: scikit-learn's
English list plus the contracted forms in ``data/topic_stopwords.txt``. Every fit runs on one
BLAS / OpenMP thread (:data:`FIT_THREADS`), so results do not depend on the machine's threads.

With ~130 paragraphs a topic model is fragile, so every model choice is reported with evidence:

- :func:`npmi_coherence`: mean normalised pointwise mutual information of a topic's top terms
  over documents (Bouma 2009; Röder, Both & Hinneburg 2015);
- :func:`topic_stability`: agreement of the topics found on random 80% subsamples with the
  topics found on all units (Greene, O'Callaghan & Cunningham 2014);
- :func:`select_k`: coherence and stability for several numbers of topics, a stated selection
  rule, and a flag on every unstable solution; :func:`explain_selection` puts the choice in words;
- :func:`representative_texts`: what a topic looks like in the text.

How much of a topic each group of units carries, and whether groups differ, is a question for
the inference module, :mod:`discourse.stats`: :meth:`NMFTopics.topic_weights` gives one row per
unit, ready for :func:`discourse.stats.group_intervals`, :func:`discourse.stats.compare_groups`
and :func:`discourse.stats.compare_paired`.

Both estimators run their solvers to convergence (:data:`NMF_TOL`, :data:`LDA_MEAN_CHANGE_TOL`):
a solver stopped early leaves weights that depend on where it stopped, and where it stops can
depend on the last bits of a CPU's BLAS kernel; at a converged fit the same data give the same
topics on every machine, up to the last bits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from joblib import Memory, Parallel, cpu_count, delayed
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from sklearn.utils.validation import check_is_fitted, check_memory
from threadpoolctl import threadpool_limits

from discourse import stats, units
from discourse.cache import memory as checked_memory
from discourse.cache import package_fingerprint
from discourse.resources import DATA
from discourse.stats import quantise
from discourse.text import words

__all__ = [
    "AGENDA_COLUMNS",
    "AGENDA_SHARE_COLUMNS",
    "Coherence",
    "LDATopics",
    "LDA_MAX_DOC_UPDATE_ITER",
    "LDA_MEAN_CHANGE_TOL",
    "LDA_PASSES",
    "MATCH_FROM",
    "ModelAgreement",
    "NMFTopics",
    "NMF_MAX_ITER",
    "NMF_TOL",
    "PARAGRAPH_COLUMNS",
    "PARALLEL_FROM_UNITS",
    "Stability",
    "agenda_correlations",
    "agenda_shares",
    "agenda_table",
    "average_jaccard",
    "brought_in",
    "explain_agreement",
    "explain_range",
    "explain_selection",
    "model_agreement",
    "paragraph_turns",
    "parallel_jobs",
    "npmi_coherence",
    "representative_texts",
    "select_k",
    "term_counts",
    "topic_agreement",
    "topic_stability",
    "topic_stop_words",
    "topic_terms",
]

TOPIC_STOPWORDS_FILE = DATA / "topic_stopwords.txt"
NAME_SEPARATOR = " · "
MIN_EXPLAINED = 0.01
"""Share of a text's TF-IDF length an NMF reconstruction must reach for the text to get weights."""
UNSTABLE_BELOW = 0.5
"""Stability under which a solution is flagged as unstable. Greene et al. (2014) read agreement
near 1 as robust and give no cut-off; 0.5 is this study's convention."""
FIT_THREADS = 1
"""BLAS and OpenMP threads used while a model is fitted or applied. The matrices of an interview
corpus are small (hundreds of units), where extra threads cost more in start-up and waiting than
they save, and one thread fixes the order of floating-point sums, so a fit gives the same numbers
whatever the machine's thread settings."""
NMF_TOL = 1e-10
"""Stopping tolerance of the NMF coordinate descent: the fit stops when the projected gradient
has fallen to this share of its size after the first iteration. scikit-learn's default, 1e-4,
stops while the weights are still moving: on the interview's 120 question and answer
paragraphs the 147 fits of :func:`select_k` (k = 2 to 8, all units and 20 subsamples each) then
ended up to 0.43 away from the converged topic-term weights, and 23 of them with other top
terms. At 1e-10 they end within 2e-8 of a fit run to 1e-12, after at most 1,838 iterations."""
NMF_MAX_ITER = 10_000
"""Iteration limit of the NMF coordinate descent, far above what a fit at :data:`NMF_TOL` needs
(scikit-learn warns with a ``ConvergenceWarning`` should it be reached; ``n_iter_`` records the
iterations a fit took)."""
LDA_PASSES = 100
"""Passes of batch variational Bayes over the units. On the interview's paragraphs the topic-word
parameters differ by less than 1e-12 of their largest value between 50 and 200 passes."""
LDA_MEAN_CHANGE_TOL = 1e-10
"""Tolerance of each unit's variational update (the E-step) within a pass: it stops when the
mean change of the unit's topic proportions falls below this. scikit-learn's default, 1e-3,
left the interview's topic-word parameters 23% (of their largest value) away from the converged
ones, with other top terms."""
LDA_MAX_DOC_UPDATE_ITER = 10_000
"""Iteration limit of each unit's variational update, far above what :data:`LDA_MEAN_CHANGE_TOL`
needs."""


# ----------------------------------------------------------------------------------------------
# Tokens and stop words
# ----------------------------------------------------------------------------------------------


def topic_terms(text: str) -> list[str]:
    """The terms a topic model counts in ``text``, in order.

    The word tokens of :func:`discourse.text.words` (which normalises first), lower-cased, with a
    final ``'s`` (possessive, or a contracted *is* / *has*) stripped so that ``Momentum's`` counts
    as ``momentum`` and ``it's`` as the stop word ``it``. Tokens of one character and tokens
    without a letter (``2022``) are dropped: they carry no topic. Stop words are not removed here;
    the vectoriser removes them.
    """
    return [term for term in map(_term, words(text)) if term]


# The same words recur across a corpus, so each token's term is worked out once.
_TERM_CACHE_SIZE = 65_536


@lru_cache(maxsize=_TERM_CACHE_SIZE)
def _term(token: str) -> str:
    """The term :func:`topic_terms` counts for one word token, or ``""`` for none."""
    term = token.lower()
    if term.endswith("'s"):
        term = term[:-2]
    return term if len(term) > 1 and any(ch.isalpha() for ch in term) else ""


@lru_cache(maxsize=1)
def _contractions() -> frozenset[str]:
    lines = TOPIC_STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def topic_stop_words(stop_words: str | Iterable[str] | None = "english") -> list[str] | None:
    """Resolve a ``stop_words`` setting into a sorted list (or ``None`` for no stop words).

    ``"english"`` is scikit-learn's English stop list (318 words) together with the contracted
    forms in ``data/topic_stopwords.txt`` (``don't``, ``we've`` ...), which the English list lacks
    and which conversational interview text is full of. Any other iterable is used as given
    (lower-cased); ``None`` keeps every word.
    """
    if stop_words is None:
        return None
    if isinstance(stop_words, str):
        if stop_words != "english":
            raise ValueError(f"stop_words must be 'english', a list or None, got {stop_words!r}")
        return sorted(ENGLISH_STOP_WORDS | _contractions())
    return sorted({str(word).lower() for word in stop_words})


def term_counts(terms: Iterable[str], texts: pd.Series | Iterable[str]) -> pd.Series:
    """How often each of ``terms`` occurs in ``texts``, counted as a topic model counts
    (:func:`topic_terms`), and the total number of terms, under ``"all terms"``.

    For telling where a top term comes from, e.g. whether a term is the questions' wording or
    the answers' own: compare its count per term of text in each turn.
    """
    wanted = [str(term).lower() for term in terms]
    counts = dict.fromkeys(wanted, 0)
    total = 0
    for text in _as_texts(texts):
        found = topic_terms(text)
        total += len(found)
        for term in found:
            if term in counts:
                counts[term] += 1
    return pd.Series({**counts, "all terms": total}, dtype=np.int64)


def _as_texts(texts: pd.Series | Iterable[str]) -> pd.Series:
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    return series.map(lambda t: t if isinstance(t, str) else "").astype(object)


# ----------------------------------------------------------------------------------------------
# Estimators
# ----------------------------------------------------------------------------------------------


def _top_terms(components: np.ndarray, vocabulary: np.ndarray, n: int) -> list[list[str]]:
    """The ``n`` highest-weighted terms of every topic, best first.

    Ties are broken by vocabulary (alphabetical) order, and terms of zero weight are never listed,
    so a topic with fewer than ``n`` positive weights gets a shorter list. Weights are compared
    after :func:`discourse.stats.quantise` (ten significant digits of the topic's largest weight):
    terms that always occur together (in the same units, as often) have equal weights in exact
    arithmetic, and their order must not follow the last bits that a CPU's BLAS kernel leaves.
    """
    lists = []
    for row in np.asarray(components, dtype=float):
        order = np.argsort(-quantise(row), kind="stable")[:n]
        lists.append([str(vocabulary[j]) for j in order if row[j] > 0])
    return lists


def _topic_names(top_terms: list[list[str]]) -> list[str]:
    names: list[str] = []
    for number, terms in enumerate(top_terms):
        name = NAME_SEPARATOR.join(terms[:3]) if terms else f"topic {number} (empty)"
        if name in names:
            name = f"{name} ({number})"
        names.append(name)
    return names


class _TopicModel(TransformerMixin, BaseEstimator):
    """Shared fitting, naming and weighting for :class:`NMFTopics` and :class:`LDATopics`."""

    _vectorizer_class: type[CountVectorizer] = CountVectorizer

    def _check_params(self) -> None:
        if not isinstance(self.n_topics, int | np.integer) or self.n_topics < 1:
            raise ValueError(f"n_topics must be a positive integer, got {self.n_topics!r}")
        if not isinstance(self.n_top_terms, int | np.integer) or self.n_top_terms < 1:
            raise ValueError(f"n_top_terms must be a positive integer, got {self.n_top_terms!r}")

    def _vectorizer_key(self) -> tuple:
        """What the document-term matrix depends on: equal keys give equal matrices."""
        stop = topic_stop_words(self.stop_words)
        return (
            self._vectorizer_class.__name__,
            self.min_df,
            self.max_df,
            self.max_features,
            None if stop is None else tuple(stop),
        )

    def _make_vectorizer(self) -> CountVectorizer:
        return self._vectorizer_class(
            tokenizer=topic_terms,
            token_pattern=None,
            lowercase=False,
            stop_words=topic_stop_words(self.stop_words),
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
            dtype=np.float64,
        )

    def _make_model(self) -> NMF | LatentDirichletAllocation:  # pragma: no cover - abstract
        raise NotImplementedError

    def _fit_matrix(self, matrix: sparse.spmatrix, vocabulary: np.ndarray) -> _TopicModel:
        """Fit the factorisation on a ready document-term matrix (rows: units)."""
        self._check_params()
        n_docs, n_terms = matrix.shape
        if self.n_topics > min(n_docs, n_terms):
            raise ValueError(
                f"n_topics={self.n_topics} needs at least as many units and terms; "
                f"got {n_docs} units and {n_terms} terms"
            )
        model = self._make_model()
        with threadpool_limits(limits=FIT_THREADS):
            model.fit(matrix)
        self.model_ = model
        self.n_iter_ = int(model.n_iter_)
        self.components_ = model.components_
        self.vocabulary_ = np.asarray(vocabulary, dtype=object)
        self.top_terms_ = _top_terms(self.components_, self.vocabulary_, self.n_top_terms)
        self.topic_names_ = _topic_names(self.top_terms_)
        return self

    def fit(self, texts: pd.Series | Iterable[str], y: None = None) -> _TopicModel:
        """Build the vocabulary and vectoriser from ``texts`` and fit the topic model.

        Parameters
        ----------
        texts : Series or iterable of str
            One text per unit; non-strings count as empty.
        y : None
            Ignored; present for scikit-learn pipelines.

        Returns
        -------
        self
        """
        self._check_params()
        series = _as_texts(texts)
        if series.empty:
            raise ValueError("cannot fit a topic model on no texts")
        vectorizer = self._make_vectorizer()
        matrix = vectorizer.fit_transform(series)
        self._fit_matrix(matrix, vectorizer.get_feature_names_out())
        self.vectorizer_ = vectorizer
        return self

    def _explained(self, matrix: sparse.spmatrix, weights: np.ndarray) -> np.ndarray:
        """Which rows carry evidence about the topics: here, those with a known term."""
        return (np.asarray(matrix.getnnz(axis=1)) > 0) & (weights.sum(axis=1) > 0)

    def transform(self, texts: pd.Series | Iterable[str]) -> np.ndarray:
        """Document-topic weights, one row per text, each row summing to 1.

        NMF weights are divided by their row sum; LDA weights are already topic proportions.
        A text with no evidence about any topic gets a row of NaN rather than an arbitrary
        split: for both models, a text with none of the model's vocabulary (empty, only stop
        words, only unseen words); for NMF also a text that the topics do not reconstruct
        (see :class:`NMFTopics`). NaN rows are skipped by :func:`representative_texts`.
        """
        return self._weights(texts)[1]

    def _weights(self, texts: pd.Series | Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """The model's own unit-topic weights and :meth:`transform`'s proportions (NaN rows
        where a text carries no evidence), from one pass."""
        check_is_fitted(self, "model_")
        matrix = self.vectorizer_.transform(_as_texts(texts))
        with threadpool_limits(limits=FIT_THREADS):
            weights = np.asarray(self.model_.transform(matrix), dtype=float)
        explained = self._explained(matrix, weights)
        out = np.full_like(weights, np.nan)
        out[explained] = weights[explained] / weights[explained].sum(axis=1, keepdims=True)
        return weights, out

    def topic_weights(self, texts: pd.Series | Iterable[str]) -> pd.DataFrame:
        """:meth:`transform` as a DataFrame aligned to the input's index, columns named by topic."""
        series = _as_texts(texts)
        return pd.DataFrame(
            self.transform(series), index=series.index, columns=list(self.topic_names_)
        )

    def get_feature_names_out(self, input_features: None = None) -> np.ndarray:
        """The topic names (top three terms joined by ``" · "``), one per output column."""
        check_is_fitted(self, "topic_names_")
        return np.asarray(self.topic_names_, dtype=object)


class NMFTopics(_TopicModel):
    """Topics by non-negative matrix factorisation of a TF-IDF matrix.

    The TF-IDF matrix ``X`` (units x terms, rows L2-normalised) is factorised as ``X ≈ W H`` with
    non-negative ``W`` (unit-topic) and ``H`` (topic-term), minimising the Frobenius norm
    (Lee & Seung 1999) by coordinate descent. NNDSVDa initialisation (Boutsidis & Gallopoulos
    2008) plus a fixed ``random_state`` for its randomised SVD make a fit repeatable.

    A text the topics do not reconstruct (``||w H|| < 0.01 ||x||``: less than 1% of the length
    of its TF-IDF vector, e.g. a text on a subject no topic covers) gets NaN weights from
    :meth:`transform`: the solver leaves such rows with weights near zero whose proportions are
    numerical residue, not a topic mix.

    Parameters
    ----------
    n_topics : int
        Number of topics ``k``.
    n_top_terms : int
        Length of each topic's term list ``top_terms_``.
    random_state : int
        Seed of the randomised SVD inside NNDSVDa.
    min_df, max_df : int or float
        Vocabulary limits on document frequency, as in scikit-learn's vectorisers.
    stop_words : "english", list of str or None
        See :func:`topic_stop_words`.
    max_features : int or None
        Keep only the most frequent terms.
    max_iter : int
        Iteration limit of the coordinate descent (:data:`NMF_MAX_ITER`).
    tol : float
        Stopping tolerance of the coordinate descent (:data:`NMF_TOL`): the fit runs to
        convergence, so that its weights do not depend on where the solver stopped.

    Attributes
    ----------
    vectorizer_ : TfidfVectorizer
    model_ : sklearn.decomposition.NMF
    n_iter_ : int
        Coordinate-descent iterations the fit took (fewer than ``max_iter``: converged).
    components_ : ndarray of shape (n_topics, n_terms)
        Topic-term weights ``H``.
    vocabulary_ : ndarray of str
        Terms in column order of ``components_``.
    top_terms_ : list of list of str
    topic_names_ : list of str
    """

    _vectorizer_class = TfidfVectorizer

    def __init__(
        self,
        n_topics: int = 5,
        n_top_terms: int = 10,
        random_state: int = 0,
        min_df: int | float = 2,
        max_df: int | float = 0.95,
        stop_words: str | list[str] | None = "english",
        max_features: int | None = None,
        max_iter: int = NMF_MAX_ITER,
        tol: float = NMF_TOL,
    ) -> None:
        self.n_topics = n_topics
        self.n_top_terms = n_top_terms
        self.random_state = random_state
        self.min_df = min_df
        self.max_df = max_df
        self.stop_words = stop_words
        self.max_features = max_features
        self.max_iter = max_iter
        self.tol = tol

    def _explained(self, matrix: sparse.spmatrix, weights: np.ndarray) -> np.ndarray:
        """Rows whose reconstruction ``w H`` keeps at least ``MIN_EXPLAINED`` of the length of
        their TF-IDF vector ``x``; ``||w H||^2 = w (H H^T) w^T`` avoids the dense product."""
        gram = self.components_ @ self.components_.T
        reconstructed = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", weights, gram, weights), 0))
        length = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))[:, 0])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(length > 0, reconstructed / length, 0.0)
        return share >= MIN_EXPLAINED

    def _make_model(self) -> NMF:
        return NMF(
            n_components=self.n_topics,
            init="nndsvda",
            solver="cd",
            beta_loss="frobenius",
            max_iter=self.max_iter,
            tol=self.tol,
            random_state=self.random_state,
        )


class LDATopics(_TopicModel):
    """Topics by latent Dirichlet allocation on word counts.

    LDA (Blei, Ng & Jordan 2003) is fitted by batch variational Bayes (Hoffman, Blei & Bach 2010)
    from a fixed ``random_state``, for a fixed number of passes, so that a fit is repeatable.
    Within each pass every unit's variational update runs until its topic proportions change by
    less than ``mean_change_tol`` on average, and the passes are enough for the topic-word
    parameters to settle (:data:`LDA_PASSES`), so the fit is a converged one.
    Top terms rank each topic's variational topic-word parameters (``components_``).

    Parameters
    ----------
    n_topics : int
        Number of topics ``k``.
    n_top_terms : int
        Length of each topic's term list ``top_terms_``.
    random_state : int
        Seed of the variational initialisation.
    min_df, max_df : int or float
        Vocabulary limits on document frequency, as in scikit-learn's vectorisers.
    stop_words : "english", list of str or None
        See :func:`topic_stop_words`.
    max_features : int or None
        Keep only the most frequent terms.
    max_iter : int
        Passes over the data (:data:`LDA_PASSES`).
    doc_topic_prior, topic_word_prior : float or None
        Dirichlet priors; ``None`` means ``1 / n_topics``.
    mean_change_tol : float
        Tolerance of each unit's variational update (:data:`LDA_MEAN_CHANGE_TOL`).
    max_doc_update_iter : int
        Iteration limit of each unit's variational update (:data:`LDA_MAX_DOC_UPDATE_ITER`).

    Attributes
    ----------
    vectorizer_ : CountVectorizer
    model_ : sklearn.decomposition.LatentDirichletAllocation
    n_iter_ : int
        Passes made (always ``max_iter``).
    components_ : ndarray of shape (n_topics, n_terms)
    vocabulary_ : ndarray of str
    top_terms_ : list of list of str
    topic_names_ : list of str
    """

    _vectorizer_class = CountVectorizer

    def __init__(
        self,
        n_topics: int = 5,
        n_top_terms: int = 10,
        random_state: int = 0,
        min_df: int | float = 2,
        max_df: int | float = 0.95,
        stop_words: str | list[str] | None = "english",
        max_features: int | None = None,
        max_iter: int = LDA_PASSES,
        doc_topic_prior: float | None = None,
        topic_word_prior: float | None = None,
        mean_change_tol: float = LDA_MEAN_CHANGE_TOL,
        max_doc_update_iter: int = LDA_MAX_DOC_UPDATE_ITER,
    ) -> None:
        self.n_topics = n_topics
        self.n_top_terms = n_top_terms
        self.random_state = random_state
        self.min_df = min_df
        self.max_df = max_df
        self.stop_words = stop_words
        self.max_features = max_features
        self.max_iter = max_iter
        self.doc_topic_prior = doc_topic_prior
        self.topic_word_prior = topic_word_prior
        self.mean_change_tol = mean_change_tol
        self.max_doc_update_iter = max_doc_update_iter

    def _make_model(self) -> LatentDirichletAllocation:
        return LatentDirichletAllocation(
            n_components=self.n_topics,
            learning_method="batch",
            max_iter=self.max_iter,
            doc_topic_prior=self.doc_topic_prior,
            topic_word_prior=self.topic_word_prior,
            mean_change_tol=self.mean_change_tol,
            max_doc_update_iter=self.max_doc_update_iter,
            random_state=self.random_state,
        )


# ----------------------------------------------------------------------------------------------
# Coherence
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coherence:
    """NPMI coherence of a set of topics.

    Attributes
    ----------
    per_topic : DataFrame
        One row per topic (index: topic number): ``terms`` (joined by ``" · "``), ``npmi`` (mean
        over term pairs; NaN with fewer than two terms) and ``n_pairs``.
    mean : float
        Mean of ``npmi`` over the topics that have one.
    n_docs : int
        Number of documents co-occurrence was counted over.
    """

    per_topic: pd.DataFrame
    mean: float
    n_docs: int


def _npmi_pair(n_both: float, n_first: float, n_second: float, n_docs: int) -> float:
    if n_both == 0:
        return -1.0
    p_both = n_both / n_docs
    if p_both >= 1.0:
        return 1.0
    pmi = math.log(p_both / ((n_first / n_docs) * (n_second / n_docs)))
    return pmi / -math.log(p_both)


def _coherence_from_incidence(
    top_terms: Sequence[Sequence[str]],
    incidence: sparse.csc_matrix,
    column_of: dict[str, int],
) -> Coherence:
    n_docs = incidence.shape[0]
    rows = []
    for topic in top_terms:
        terms = list(topic)
        columns = [column_of.get(term) for term in terms]
        present = [c for c in columns if c is not None]
        block = incidence[:, present].toarray() if present else np.zeros((n_docs, 0))
        counts = np.zeros((len(terms), len(terms)))
        if present:
            co = block.T @ block
            where = [i for i, c in enumerate(columns) if c is not None]
            counts[np.ix_(where, where)] = co
        values = [
            _npmi_pair(counts[i, j], counts[i, i], counts[j, j], n_docs)
            for i in range(len(terms))
            for j in range(i + 1, len(terms))
        ]
        rows.append(
            {
                "terms": NAME_SEPARATOR.join(terms),
                "npmi": float(np.mean(values)) if values else np.nan,
                "n_pairs": len(values),
            }
        )
    per_topic = pd.DataFrame(rows, columns=["terms", "npmi", "n_pairs"])
    per_topic.index.name = "topic"
    scored = per_topic["npmi"].dropna()
    return Coherence(per_topic, float(scored.mean()) if len(scored) else np.nan, n_docs)


def npmi_coherence(
    top_terms: Sequence[Sequence[str]], texts: pd.Series | Iterable[str]
) -> Coherence:
    """Mean normalised pointwise mutual information (NPMI) of every topic's top terms.

    For two terms ``a`` and ``b`` with ``P(a)`` the share of documents containing ``a`` and
    ``P(a, b)`` the share containing both,

    ``NPMI(a, b) = log(P(a, b) / (P(a) P(b))) / -log P(a, b)``

    (Bouma 2009), which runs from -1 (never together) through 0 (independent) to 1 (always
    together). A topic's coherence is the mean NPMI over its ``t (t - 1) / 2`` term pairs, the
    C_NPMI measure of Röder, Both & Hinneburg (2015) with whole documents as the co-occurrence
    window. Conventions: a pair that never co-occurs (including a term absent from the corpus)
    scores exactly -1, the limit of the formula, instead of Röder et al.'s ``epsilon = 1e-12``
    smoothing (which gives nearly -1); a pair present in every document scores 1.

    Parameters
    ----------
    top_terms : sequence of sequences of str
        Each topic's terms, as produced by :func:`topic_terms` (lower case).
    texts : Series or iterable of str
        The reference corpus; each text is one document (one unit).

    Returns
    -------
    Coherence
        Per-topic NPMI and their mean.
    """
    series = _as_texts(texts)
    if series.empty:
        raise ValueError("NPMI needs at least one document")
    wanted = sorted({term for terms in top_terms for term in terms})
    if not wanted:
        empty = pd.DataFrame(
            {"terms": [""] * len(top_terms), "npmi": np.nan, "n_pairs": 0},
            columns=["terms", "npmi", "n_pairs"],
        )
        empty.index.name = "topic"
        return Coherence(empty, np.nan, len(series))
    counter = CountVectorizer(
        tokenizer=topic_terms, token_pattern=None, lowercase=False, vocabulary=wanted, binary=True
    )
    incidence = sparse.csc_matrix(counter.transform(series))
    return _coherence_from_incidence(top_terms, incidence, {t: i for i, t in enumerate(wanted)})


# ----------------------------------------------------------------------------------------------
# Stability (Greene, O'Callaghan & Cunningham 2014)
# ----------------------------------------------------------------------------------------------


def average_jaccard(first: Sequence[str], second: Sequence[str], depth: int | None = None) -> float:
    """Average Jaccard (AJ) similarity of two ranked term lists (Greene et al. 2014).

    ``AJ(R_i, R_j) = (1 / t) * sum_{d=1..t} gamma_d(R_i, R_j)``, where ``gamma_d`` is the Jaccard
    index ``|R_{i,d} ∩ R_{j,d}| / |R_{i,d} ∪ R_{j,d}|`` of the two lists cut at depth ``d``. Terms
    near the top therefore count more than terms near the bottom. ``t`` is ``depth`` (default:
    the full length), never more than the shorter list, as in the authors' reference code;
    two empty lists score 0.
    """
    t = min(len(first), len(second))
    if depth is not None:
        t = min(t, depth)
    if t <= 0:
        return 0.0
    seen_first: set[str] = set()
    seen_second: set[str] = set()
    total = 0.0
    for d in range(t):
        seen_first.add(first[d])
        seen_second.add(second[d])
        total += len(seen_first & seen_second) / len(seen_first | seen_second)
    return total / t


def topic_agreement(
    reference: Sequence[Sequence[str]], other: Sequence[Sequence[str]], depth: int | None = None
) -> tuple[float, np.ndarray]:
    """Agreement between two sets of ``k`` topics (Greene et al. 2014).

    Builds the ``k x k`` matrix of :func:`average_jaccard` between every reference topic and
    every other topic, finds the one-to-one matching ``pi`` that maximises the summed AJ with the
    Hungarian algorithm (:func:`scipy.optimize.linear_sum_assignment`), and returns
    ``agree(S_x, S_y) = (1 / k) * sum_i AJ(R_{x,i}, pi(R_{x,i}))`` and the matched column of
    ``other`` for every reference topic.
    """
    if len(reference) != len(other):
        raise ValueError(
            f"topic sets must have the same number of topics, got {len(reference)} and {len(other)}"
        )
    if not reference:
        raise ValueError("no topics to compare")
    similarity = np.array(
        [[average_jaccard(ref, oth, depth) for oth in other] for ref in reference], dtype=float
    )
    rows, columns = linear_sum_assignment(similarity, maximize=True)
    matched = np.empty(len(reference), dtype=int)
    matched[rows] = columns
    return float(similarity[rows, columns].mean()), matched


@dataclass(frozen=True)
class Stability:
    """Topic stability for one number of topics ``k``.

    Attributes
    ----------
    k : int
    samples : DataFrame
        One row per subsample: ``sample``, ``n_docs`` (units in it), ``agreement`` (with the
        reference topics, :func:`topic_agreement`) and ``coherence`` (mean NPMI of the
        subsample's topics, counted over all units).
    mean : float
        Stability: mean ``agreement`` over subsamples.
    low, high : float
        2.5th and 97.5th percentiles of ``agreement`` over subsamples: the spread of agreement
        under perturbation of the corpus, not a confidence interval of ``mean``.
    reference_top_terms : list of list of str
        Top terms of the model fitted on all units.
    reference_coherence : float
        Mean NPMI of the reference topics over all units.
    n_docs : int
        Units in the full corpus.
    """

    k: int
    samples: pd.DataFrame
    mean: float
    low: float
    high: float
    reference_top_terms: list[list[str]]
    reference_coherence: float
    n_docs: int

    @property
    def unstable(self) -> bool:
        """True when mean agreement is below :data:`UNSTABLE_BELOW`."""
        return bool(self.mean < UNSTABLE_BELOW)


class _Prepared(NamedTuple):
    matrix: sparse.csr_matrix
    vocabulary: np.ndarray
    incidence: sparse.csc_matrix
    column_of: dict[str, int]


def _prepare(estimator: _TopicModel, texts: pd.Series) -> _Prepared:
    """Vectorise once; every refit then works on rows of this matrix."""
    vectorizer = estimator._make_vectorizer()
    matrix = sparse.csr_matrix(vectorizer.fit_transform(texts))
    vocabulary = vectorizer.get_feature_names_out()
    incidence = sparse.csc_matrix((matrix > 0).astype(np.float64))
    return _Prepared(matrix, vocabulary, incidence, {t: i for i, t in enumerate(vocabulary)})


def _check_topic_estimator(estimator: object) -> _TopicModel:
    if not isinstance(estimator, _TopicModel):
        raise TypeError(f"expected NMFTopics or LDATopics, got {type(estimator).__name__}")
    return estimator


def _subsample_top_terms(
    template: _TopicModel, matrix: sparse.csr_matrix, vocabulary: np.ndarray
) -> list[list[str]]:
    return clone(template)._fit_matrix(matrix, vocabulary).top_terms_


PARALLEL_FROM_UNITS = 5_000
"""With ``n_jobs=None``, :func:`topic_stability` and :func:`select_k` refit subsamples on every
core from this many units on. Measured on two cores (``benchmarks/``): with two processes the
stability analysis took 12.9 s instead of 19.4 s on 12,000 paragraphs, but 4.3 s instead of
3.6 s on 1,200, where starting the workers outweighs the refits."""


def parallel_jobs(n_jobs: int | None, n_units: int) -> int:
    """Processes for subsample refits: ``n_jobs`` when given, else one below
    :data:`PARALLEL_FROM_UNITS` units and every core (``joblib.cpu_count()``) from there on."""
    if n_jobs is not None:
        return n_jobs
    return cpu_count() if n_units >= PARALLEL_FROM_UNITS else 1


def _stability_from_prepared(
    estimator: _TopicModel,
    prepared: _Prepared,
    k: int,
    n_samples: int,
    sample_frac: float,
    n_terms: int,
    seed: int,
    n_jobs: int | None,
) -> Stability:
    if n_samples < 1:
        raise ValueError(f"n_samples must be at least 1, got {n_samples}")
    if not 0 < sample_frac <= 1:
        raise ValueError(f"sample_frac must be in (0, 1], got {sample_frac}")
    n_docs = prepared.matrix.shape[0]
    size = int(round(sample_frac * n_docs))
    if size < max(k, 2):
        raise ValueError(
            f"a {sample_frac:.0%} subsample of {n_docs} units has {size}; k={k} needs at least "
            f"{max(k, 2)}"
        )
    template = clone(estimator).set_params(n_topics=int(k), n_top_terms=int(n_terms))
    reference = clone(template)._fit_matrix(prepared.matrix, prepared.vocabulary)
    reference_coherence = _coherence_from_incidence(
        reference.top_terms_, prepared.incidence, prepared.column_of
    ).mean
    rng = np.random.default_rng(seed)
    subsamples = [np.sort(rng.choice(n_docs, size=size, replace=False)) for _ in range(n_samples)]
    sample_terms = Parallel(n_jobs=parallel_jobs(n_jobs, n_docs))(
        delayed(_subsample_top_terms)(template, prepared.matrix[chosen], prepared.vocabulary)
        for chosen in subsamples
    )
    rows = []
    for sample, terms in enumerate(sample_terms):
        agreement, _ = topic_agreement(reference.top_terms_, terms, depth=n_terms)
        coherence = _coherence_from_incidence(terms, prepared.incidence, prepared.column_of).mean
        rows.append(
            {"sample": sample, "n_docs": size, "agreement": agreement, "coherence": coherence}
        )
    samples = pd.DataFrame(rows, columns=["sample", "n_docs", "agreement", "coherence"])
    low, high = np.percentile(samples["agreement"], [2.5, 97.5])
    return Stability(
        k=int(k),
        samples=samples,
        mean=float(samples["agreement"].mean()),
        low=float(low),
        high=float(high),
        reference_top_terms=reference.top_terms_,
        reference_coherence=float(reference_coherence),
        n_docs=n_docs,
    )


def topic_stability(
    estimator: NMFTopics | LDATopics,
    texts: pd.Series | Iterable[str],
    k: int,
    n_samples: int = 20,
    sample_frac: float = 0.8,
    n_terms: int = 10,
    seed: int = 0,
    n_jobs: int | None = None,
) -> Stability:
    """Term-centric stability of ``k`` topics under subsampling (Greene, O'Callaghan &
    Cunningham 2014, "How many topics? Stability analysis for topic models").

    1. Fit a reference model with ``k`` topics on all ``n`` units and keep each topic's top
       ``n_terms`` terms (the reference ranking set ``S_0``).
    2. Draw ``n_samples`` subsamples of ``round(sample_frac * n)`` units without replacement
       (the paper's ``beta = 0.8``), fit a model with ``k`` topics on each, keep its top terms.
    3. Score each subsample by its agreement with ``S_0`` (:func:`topic_agreement`: mean
       :func:`average_jaccard` over topics matched one-to-one by the Hungarian algorithm).
    4. Stability is the mean agreement over subsamples; 1 means every subsample finds the same
       top terms in the same order.

    As in the authors' reference implementation the document-term matrix is built once, on all
    units, and subsamples are its rows: vocabulary and (for NMF) inverse document frequencies
    come from the full corpus. This also keeps refits cheap on large corpora. Every model is a
    clone of ``estimator`` with ``n_topics=k``, so refits share its seed; subsamples come from
    ``numpy.random.default_rng(seed)``, so the same seed gives the same subsamples for every k.

    Parameters
    ----------
    estimator : NMFTopics or LDATopics
        Template (fitted or not; it is cloned, never changed).
    texts : Series or iterable of str
        One text per unit.
    k : int
        Number of topics.
    n_samples : int
        Number of subsamples ``tau``.
    sample_frac : float
        Share of units in each subsample ``beta``.
    n_terms : int
        Depth ``t`` of the top-term lists compared.
    seed : int
        Seed of the subsampling.
    n_jobs : int or None
        Processes for the subsample refits (joblib); results do not depend on it. None (the
        default) runs them in this process for fewer than :data:`PARALLEL_FROM_UNITS` units,
        where starting workers costs more than the refits, and on every core above.

    Returns
    -------
    Stability
        Per-subsample agreement and coherence, their mean and 95% percentile range.
    """
    estimator = _check_topic_estimator(estimator)
    series = _as_texts(texts)
    if series.empty:
        raise ValueError("topic stability needs at least one text")
    prepared = _prepare(estimator, series)
    return _stability_from_prepared(
        estimator, prepared, k, n_samples, sample_frac, n_terms, seed, n_jobs
    )


SELECT_K_COLUMNS = [
    "k",
    "coherence",
    "coherence_low",
    "coherence_high",
    "stability",
    "stability_low",
    "stability_high",
    "n_docs",
    "n_samples",
    "unstable",
    "coherent",
    "selected",
]


def select_k(
    estimator_factory: Callable[[int], NMFTopics | LDATopics] | NMFTopics | LDATopics,
    texts: pd.Series | Iterable[str],
    ks: Iterable[int],
    n_samples: int = 20,
    sample_frac: float = 0.8,
    n_terms: int = 10,
    seed: int = 0,
    n_jobs: int | None = None,
    memory: str | Path | Memory | None = None,
) -> pd.DataFrame:
    """Coherence and stability for several numbers of topics, and the one a stated rule picks.

    For every ``k``: ``coherence`` is the mean NPMI (:func:`npmi_coherence`, top ``n_terms``
    terms, co-occurrence over all units) of the model fitted on all units; ``coherence_low`` /
    ``coherence_high`` are the 2.5th / 97.5th percentiles of the same measure over the subsample
    refits of :func:`topic_stability`, i.e. how much coherence moves when the corpus is perturbed;
    ``stability`` and its range come from :func:`topic_stability`. All ``k`` share the same
    subsamples (same ``seed``).

    Selection rule: let ``k*`` be the ``k`` with the highest ``coherence``. A ``k`` is
    ``coherent`` when its coherence is at least ``coherence_low`` of ``k*`` (within the noise of
    the best). Among coherent ``k`` the most stable is ``selected``; ties go to the smaller ``k``.
    ``unstable`` flags stability below 0.5: on a small corpus every ``k`` may be flagged, and a
    selected but unstable ``k`` should be read as "no stable topic structure found".

    Parameters
    ----------
    estimator_factory : callable or NMFTopics or LDATopics
        ``k -> unfitted estimator``, or an estimator used as a template with ``n_topics=k``.
    texts : Series or iterable of str
        One text per unit.
    ks : iterable of int
        Candidate numbers of topics.
    n_samples, sample_frac, n_terms, seed, n_jobs
        As in :func:`topic_stability`.
    memory : str, Path or joblib.Memory, optional
        Where to keep the table between calls and processes (scikit-learn's convention, as in
        ``Pipeline(memory=...)``); a folder is opened with :func:`discourse.cache.memory`, so a
        damaged entry is computed again without a warning. A kept table is reused only for the
        same texts and settings, the same package files and the same library versions
        (:func:`discourse.cache.package_fingerprint`). Needs a template estimator, not a
        callable.

    Returns
    -------
    DataFrame
        One row per ``k`` with the columns in ``SELECT_K_COLUMNS``.
    """
    if memory is not None:
        if not isinstance(estimator_factory, _TopicModel):
            raise TypeError("select_k(memory=...) needs a template estimator, not a callable")
        keyed = check_memory(checked_memory(memory)).cache(_select_k_keyed, ignore=["n_jobs"])
        return keyed(
            package_fingerprint(),
            estimator_factory,
            _as_texts(texts),
            sorted({int(k) for k in ks}),
            n_samples,
            sample_frac,
            n_terms,
            seed,
            n_jobs,
        )
    series = _as_texts(texts)
    if series.empty:
        raise ValueError("select_k needs at least one text")
    ks = sorted({int(k) for k in ks})
    if not ks:
        raise ValueError("no candidate k given")
    prepared_by_key: dict[tuple, _Prepared] = {}
    rows = []
    for k in ks:
        if isinstance(estimator_factory, _TopicModel):
            estimator = clone(estimator_factory).set_params(n_topics=k)
        else:
            estimator = _check_topic_estimator(estimator_factory(k))
        key = estimator._vectorizer_key()
        if key not in prepared_by_key:
            prepared_by_key[key] = _prepare(estimator, series)
        result = _stability_from_prepared(
            estimator, prepared_by_key[key], k, n_samples, sample_frac, n_terms, seed, n_jobs
        )
        coherence_low, coherence_high = np.nanpercentile(
            result.samples["coherence"].to_numpy(dtype=float), [2.5, 97.5]
        )
        rows.append(
            {
                "k": k,
                "coherence": result.reference_coherence,
                "coherence_low": float(coherence_low),
                "coherence_high": float(coherence_high),
                "stability": result.mean,
                "stability_low": result.low,
                "stability_high": result.high,
                "n_docs": result.n_docs,
                "n_samples": n_samples,
                "unstable": result.unstable,
            }
        )
    table = pd.DataFrame(rows)
    best = table["coherence"].idxmax() if table["coherence"].notna().any() else None
    if best is None:
        table["coherent"] = True
    else:
        table["coherent"] = table["coherence"] >= table.at[best, "coherence_low"]
        table.loc[best, "coherent"] = True
    candidates = table[table["coherent"]]
    choice = candidates["stability"].idxmax()  # first maximum: the smaller k on ties
    table["selected"] = table.index == choice
    return table[SELECT_K_COLUMNS]


def _select_k_keyed(
    fingerprint: str,
    estimator: NMFTopics | LDATopics,
    texts: pd.Series,
    ks: list[int],
    n_samples: int,
    sample_frac: float,
    n_terms: int,
    seed: int,
    n_jobs: int | None,
) -> pd.DataFrame:
    """:func:`select_k` with the package fingerprint as an argument, so that it is part of the
    key under which ``joblib.Memory`` keeps the table."""
    return select_k(estimator, texts, ks, n_samples, sample_frac, n_terms, seed, n_jobs)


def explain_selection(table: pd.DataFrame) -> str:
    """The choice :func:`select_k` made, in words, read from its table.

    Four sentences: the ``k`` of highest coherence and the coherence threshold it sets; the
    coherent ``k``; the selected ``k`` with its stability and subsample range; and whether that
    stability is under :data:`UNSTABLE_BELOW`, with how many candidates are. Numbers are rounded
    to three decimals.
    """
    missing = [c for c in SELECT_K_COLUMNS if c not in table.columns]
    if missing or table.empty or table["selected"].sum() != 1:
        raise ValueError("expected a select_k table with exactly one selected row")
    best = table.loc[table["coherence"].idxmax()]
    chosen = table.loc[table["selected"]].iloc[0]
    coherent = ", ".join(str(int(k)) for k in table.loc[table["coherent"], "k"])
    k = int(chosen["k"])
    if chosen["unstable"]:
        verdict = f"under {UNSTABLE_BELOW}: unstable, so read the topics as tentative"
    else:
        verdict = f"at or above {UNSTABLE_BELOW}"
    return "\n".join(
        [
            f"Highest coherence: k = {int(best['k'])} (mean NPMI {best['coherence']:.3f}; the "
            f"lower end of its subsample band is {best['coherence_low']:.3f}).",
            f"Coherent k (coherence at least {best['coherence_low']:.3f}): {coherent}.",
            f"Most stable of these: k = {k}, stability {chosen['stability']:.3f} (subsample "
            f"range {chosen['stability_low']:.3f} to {chosen['stability_high']:.3f}, "
            f"{int(chosen['n_samples'])} subsamples of {int(chosen['n_docs'])} units).",
            f"Stability at k = {k} is {verdict}; {int(table['unstable'].sum())} of {len(table)} "
            f"candidate k fall under {UNSTABLE_BELOW}.",
        ]
    )


# ----------------------------------------------------------------------------------------------
# The units: question and answer paragraphs
# ----------------------------------------------------------------------------------------------

#: Columns of :func:`paragraph_turns`.
PARAGRAPH_COLUMNS = [
    *units.KEY_COLUMNS,
    "turn",
    "label",
    "para_id",
    "text",
]


def paragraph_turns(paragraphs: pd.DataFrame, exchanges: pd.DataFrame) -> pd.DataFrame:
    """Every question and answer paragraph, with the keys of its turn.

    Paragraphs are the units of the topic models; the comparisons pool them by turn. Each
    question or answer paragraph gets the keys of its turn in
    :func:`discourse.units.turn_table`: ``exchange_id`` (unique across interviews),
    ``question_key`` (which pairs the answers of different slates to a shared question),
    ``turn`` (``"question"`` or ``"answer"``, the paragraph's role) and ``label`` (how a
    figure names the exchange), from the exchanges table, never recomputed.

    Parameters
    ----------
    paragraphs, exchanges : DataFrame
        The paragraph and exchange tables of one :class:`discourse.corpus.Corpus`.

    Returns
    -------
    DataFrame
        :data:`PARAGRAPH_COLUMNS`, paragraphs in input order, with a fresh index.

    Raises
    ------
    ValueError
        When a question or answer paragraph belongs to no exchange of ``exchanges``.
    """
    missing = [c for c in ("doc_id", "role", "exchange", "para_id", "text") if c not in paragraphs]
    if missing:
        raise ValueError(f"paragraphs table lacks column(s) {missing}")
    qa = paragraphs.loc[paragraphs["role"].isin(["question", "answer"])]
    keys = units.turn_table(exchanges).drop(columns="text")
    keys = keys.astype({"doc_id": str}).assign(exchange=keys["exchange"].astype(np.int64))
    own = pd.DataFrame(
        {
            "doc_id": qa["doc_id"].astype(str).to_numpy(),
            "exchange": pd.to_numeric(qa["exchange"]).to_numpy(),
            "turn": qa["role"].to_numpy(),
            "para_id": qa["para_id"].to_numpy(),
            "text": qa["text"].to_numpy(),
        }
    )
    if own["exchange"].isna().any():
        raise ValueError("a question or answer paragraph has no exchange number")
    own["exchange"] = own["exchange"].astype(np.int64)
    table = own.merge(
        keys.drop_duplicates(["doc_id", "exchange", "turn"]),
        on=["doc_id", "exchange", "turn"],
        how="left",
        validate="many_to_one",
    )
    lost = table["exchange_id"].isna()
    if lost.any():
        first = table.loc[lost].iloc[0]
        raise ValueError(
            f"paragraph {first.para_id} of {first.doc_id} belongs to exchange {first.exchange}, "
            "which the exchanges table does not hold"
        )
    return table[PARAGRAPH_COLUMNS]


# ----------------------------------------------------------------------------------------------
# Reading topics
# ----------------------------------------------------------------------------------------------


def representative_texts(
    model: NMFTopics | LDATopics, texts: pd.Series | Iterable[str], n: int = 3
) -> pd.DataFrame:
    """The ``n`` units that weigh most on each topic, to read what a topic is about.

    Units are ranked by their share of the topic (:meth:`NMFTopics.transform`). NMF often gives
    several units a share of exactly 1 (every other weight is zero); such ties are broken by the
    model's unnormalised weight, i.e. by how strongly the unit expresses the topic, and then by
    input order. (LDA weights are already shares, so for LDA only input order breaks ties.)
    Shares and weights are compared to ten significant digits (:func:`discourse.stats.quantise`),
    so that units tied in exact arithmetic stay tied whatever the last bits of a CPU's BLAS.

    Returns
    -------
    DataFrame
        Columns ``topic`` (name), ``rank`` (1 = highest weight), ``unit`` (the input's index
        label), ``weight`` (the share) and ``text``. Units without evidence about any topic
        (NaN weights) are skipped, and so are units with none of the topic (weight 0): a topic
        may then get fewer than ``n`` rows.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    series = _as_texts(texts)
    strength, weights = model._weights(series)
    rows = []
    for column, topic in enumerate(model.topic_names_):
        values = weights[:, column]
        usable = np.flatnonzero(~np.isnan(values) & (values > 0))
        # np.lexsort sorts by its last key first: share, then strength, then input position;
        # shares and strengths are quantised so that last-bit differences do not reorder ties.
        order = np.lexsort((usable, -quantise(strength[usable, column]), -quantise(values[usable])))
        best = usable[order[:n]]
        for rank, position in enumerate(best, start=1):
            rows.append(
                {
                    "topic": topic,
                    "rank": rank,
                    "unit": series.index[position],
                    "weight": float(values[position]),
                    "text": series.iloc[position],
                }
            )
    return pd.DataFrame(rows, columns=["topic", "rank", "unit", "weight", "text"])


# ----------------------------------------------------------------------------------------------
# Where the number of topics sits in the range tried
# ----------------------------------------------------------------------------------------------


def explain_range(table: pd.DataFrame) -> str:
    """Whether the most coherent and the selected ``k`` of a :func:`select_k` table lie at an
    end of the range of ``k`` tried, in one sentence each.

    A maximum at the end of the searched range is not shown to be a maximum: the criterion may
    go on rising beyond it. The sentence says so, so that a reader knows the choice is the best
    within the range the configuration sets, not a peak of the criterion.
    """
    missing = [c for c in SELECT_K_COLUMNS if c not in table.columns]
    if missing or table.empty or table["selected"].sum() != 1:
        raise ValueError("expected a select_k table with exactly one selected row")
    low, high = int(table["k"].min()), int(table["k"].max())
    best = int(table.loc[table["coherence"].idxmax(), "k"])
    chosen = int(table.loc[table["selected"], "k"].iloc[0])
    lines = []
    for what, k in (("highest coherence", best), ("selected k", chosen)):
        if low == high:
            where = "the only k tried, so nothing was chosen between numbers of topics"
        elif k == high:
            where = (
                f"the upper end of the range tried ({low} to {high}): a larger k was not tried "
                "and might score higher, so this is the best within the range, not a peak"
            )
        elif k == low:
            where = (
                f"the lower end of the range tried ({low} to {high}): a smaller k was not tried "
                "and might score higher, so this is the best within the range, not a peak"
            )
        else:
            where = f"inside the range tried ({low} to {high}), not at either end"
        lines.append(f"The {what}, k = {k}, is {where}.")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Two models of the same units: how far their topics agree
# ----------------------------------------------------------------------------------------------

MATCH_FROM = 0.5
"""Average Jaccard (:func:`average_jaccard`, top-ten lists) from which a topic of one model
counts as found by the other: at least half of the two ranked lists shared on average over
depths. Greene et al. (2014) give no cut-off; 0.5 is this study's convention, the same number as
:data:`UNSTABLE_BELOW`."""


@dataclass(frozen=True)
class ModelAgreement:
    """How far the topics of two models of the same units agree.

    Attributes
    ----------
    pairs : DataFrame
        One row per topic of the first model: ``topic`` (its name), ``matched`` (the name of
        the second model's topic matched to it one to one, :func:`topic_agreement`),
        ``average_jaccard`` and ``found`` (``average_jaccard >= match_from``).
    agreement : float
        Mean average Jaccard over the matched pairs (:func:`topic_agreement`).
    match_from : float
    """

    pairs: pd.DataFrame
    agreement: float
    match_from: float

    @property
    def n_found(self) -> int:
        """Topics of the first model that the second also finds."""
        return int(self.pairs["found"].sum())


def model_agreement(
    first: NMFTopics | LDATopics,
    second: NMFTopics | LDATopics,
    match_from: float = MATCH_FROM,
) -> ModelAgreement:
    """Match the topics of two fitted models one to one and say which the second also finds.

    Agreement and matching are :func:`topic_agreement` on the models' top-term lists; a topic
    is ``found`` when its matched partner has an :func:`average_jaccard` of at least
    ``match_from``.
    """
    agreement, matched = topic_agreement(first.top_terms_, second.top_terms_)
    similarity = [
        average_jaccard(first.top_terms_[i], second.top_terms_[j]) for i, j in enumerate(matched)
    ]
    pairs = pd.DataFrame(
        {
            "topic": list(first.topic_names_),
            "matched": [second.topic_names_[j] for j in matched],
            "average_jaccard": similarity,
            "found": [s >= match_from for s in similarity],
        }
    )
    return ModelAgreement(pairs, agreement, match_from)


def explain_agreement(result: ModelAgreement, stability: float | None = None) -> str:
    """What the agreement of two models implies for reading the topics, in two sentences.

    The first gives the agreement, beside the first model's own stability over subsamples when
    given (the agreement two fits of one model reach), and how many topics the second model
    also finds. The second says how to read the topics: a topic that one model finds and the
    other does not depends on the model as much as on the text, so its share is a summary of
    that model's grouping of words, not a subject the text fixes.
    """
    k = len(result.pairs)
    scale = (
        ""
        if stability is None
        else f"; the first model's fits on subsamples agree with its full fit at {stability:.3f}"
    )
    found = result.pairs.loc[result.pairs["found"], "topic"].tolist()
    first = (
        f"The two models agree at {result.agreement:.3f} (average Jaccard of matched top-ten "
        f"lists{scale}); the second has a counterpart at {result.match_from} or more for "
        f"{len(found)} of {k} topics."
    )
    if len(found) == k:
        second = (
            "Every topic is found by both models: its share measures a grouping of words that "
            "does not hang on one model."
        )
    elif found:
        second = (
            f"Found by both: {'; '.join(found)}. The other {k - len(found)} are found by one model "
            "only and are not robust: read their shares as this model's summary of which words "
            "go together, not as subjects the text fixes."
        )
    else:
        second = (
            "No topic is found by both, so none is robust to the choice of model: read every "
            "share below as this model's summary of which words go together, a rough guide to "
            "what the answers dwell on, not a measurement of subjects the text fixes."
        )
    return f"{first}\n{second}"


# ----------------------------------------------------------------------------------------------
# Agenda and emphasis: the answers' topics beside their questions'
# ----------------------------------------------------------------------------------------------

#: Columns of :func:`agenda_table`.
AGENDA_COLUMNS = [*units.KEY_COLUMNS, "label", "topic", "answer", "question"]


def agenda_table(model: NMFTopics | LDATopics, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Each exchange's topic shares in its answer and in its question, side by side.

    ``model`` is fitted on answer paragraphs only, so its topics are what the answers talk
    about; each question paragraph is projected onto those topics (:meth:`NMFTopics.transform`,
    the model unchanged). An exchange's ``answer`` share of a topic is the mean share over its
    answer paragraphs, its ``question`` share the mean over its question paragraphs; paragraphs
    without shares (NaN: nothing of the model's vocabulary, or not reconstructed) are skipped,
    and a turn with none gets NaN. A question share says how far the question already carries
    the topic its answer dwells on: the interviewer's agenda beside the slate's emphasis.

    Parameters
    ----------
    model : NMFTopics or LDATopics
        Fitted, ideally on the answer paragraphs of ``paragraphs``.
    paragraphs : DataFrame
        :data:`PARAGRAPH_COLUMNS` (as from :func:`paragraph_turns`), question and answer rows.

    Returns
    -------
    DataFrame
        :data:`AGENDA_COLUMNS`, one row per exchange (with an answer) and topic, exchanges in
        input order, topics in model order.
    """
    missing = [c for c in PARAGRAPH_COLUMNS if c not in paragraphs.columns]
    if missing:
        raise ValueError(f"paragraphs table lacks column(s) {missing}")
    names = list(model.topic_names_)
    shares = pd.DataFrame(
        model.transform(paragraphs["text"]), index=paragraphs.index, columns=names
    )
    keys = [*units.KEY_COLUMNS, "label"]
    frame = paragraphs[[*keys, "turn"]].join(shares)
    turns = {}
    for turn in ("answer", "question"):
        rows = frame[frame["turn"] == turn]
        means = rows.groupby("exchange_id", sort=False)[names].mean()
        turns[turn] = means.stack(future_stack=True).rename(turn)
    exchanges = frame.loc[frame["turn"] == "answer", keys].drop_duplicates("exchange_id")
    grid = exchanges.merge(pd.DataFrame({"topic": names}), how="cross")
    index = pd.MultiIndex.from_frame(grid[["exchange_id", "topic"]])
    for turn, values in turns.items():
        grid[turn] = values.reindex(index).to_numpy(dtype=float)
    return grid[AGENDA_COLUMNS].reset_index(drop=True)


def _agenda_threshold(table: pd.DataFrame, threshold: float | None) -> float:
    if threshold is None:
        n_topics = table["topic"].nunique()
        if n_topics == 0:
            raise ValueError("the agenda table holds no topic")
        return 1.0 / n_topics
    if not 0 <= threshold < 1:
        raise ValueError(f"threshold must be in [0, 1), got {threshold}")
    return float(threshold)


def _check_agenda(table: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("exchange_id", "topic", "answer", "question") if c not in table]
    if missing:
        raise ValueError(f"agenda table lacks column(s) {missing}")
    return table.loc[table["answer"].notna() & table["question"].notna()]


#: Columns of :func:`agenda_shares`.
AGENDA_SHARE_COLUMNS = [
    "topic",
    "exchanges",
    "on_agenda",
    "expected",
    "answer_weight",
    "agenda_share",
    "brought_in",
]


def agenda_shares(table: pd.DataFrame, threshold: float | None = None) -> pd.DataFrame:
    """For each topic, how much of its weight in the answers lies where the question set it.

    A question *carries* a topic when its share of it (``question`` in :func:`agenda_table`)
    is above ``threshold``, by default ``1 / k``, the share an even split over the ``k`` topics
    would give. For each topic, over the exchanges with both shares:

    - ``on_agenda``: exchanges whose question carries the topic;
    - ``expected``: ``on_agenda / exchanges``, the agenda share to expect if the answers' weight
      on the topic had nothing to do with the questions (every exchange's answer shares sum to
      1, so each exchange weighs the same);
    - ``answer_weight``: the topic's summed answer share over exchanges;
    - ``agenda_share``: the part of ``answer_weight`` in exchanges whose question carries the
      topic, ``sum_{q_e > t} a_e / sum_e a_e`` (NaN when the answers never touch the topic);
    - ``brought_in``: ``1 - agenda_share``, the part the answers bring to the topic where the
      question did not set it.

    An ``agenda_share`` near 1 marks a topic the answers take up when asked (agenda); near
    ``expected`` or below, one the answers distribute regardless of the question (emphasis).
    """
    cut = _agenda_threshold(table, threshold)
    usable = _check_agenda(table)
    rows = []
    for topic in pd.unique(table["topic"]):
        one = usable[usable["topic"] == topic]
        carried = one["question"] > cut
        total = float(one["answer"].sum())
        share = float(one.loc[carried, "answer"].sum()) / total if total > 0 else math.nan
        rows.append(
            {
                "topic": topic,
                "exchanges": len(one),
                "on_agenda": int(carried.sum()),
                "expected": float(carried.mean()) if len(one) else math.nan,
                "answer_weight": total,
                "agenda_share": share,
                "brought_in": 1.0 - share,
            }
        )
    return pd.DataFrame(rows, columns=AGENDA_SHARE_COLUMNS)


def brought_in(table: pd.DataFrame, threshold: float | None = None) -> pd.DataFrame:
    """For each exchange, the share of its answer on topics its question does not carry.

    With the rule of :func:`agenda_shares` (a question carries a topic above ``threshold``,
    by default ``1 / k``), ``brought_in`` is the sum of the answer's shares of the topics the
    question does not carry: 0 when the answer stays on the question's topics, 1 when it talks
    only of others. ``carried`` names the question's topics (joined by ``"; "``).
    Exchanges without a question or an answer share are left out.
    """
    cut = _agenda_threshold(table, threshold)
    usable = _check_agenda(table)
    keys = [c for c in [*units.KEY_COLUMNS, "label"] if c in usable.columns]
    rows = []
    for _, one in usable.groupby("exchange_id", sort=False):
        carried = one["question"] > cut
        row = one.iloc[0][keys].to_dict()
        row["carried"] = "; ".join(one.loc[carried, "topic"])
        row["brought_in"] = float(one.loc[~carried, "answer"].sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=[*keys, "carried", "brought_in"])


def agenda_correlations(table: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """For each topic, the rank correlation over exchanges of question share and answer share.

    :func:`discourse.stats.rank_correlation` (Spearman's rho with a bootstrap interval over
    exchanges, one pair per exchange): a high rho means the answers dwell on the topic where
    the question does, i.e. the topic follows the agenda. Columns ``topic`` and those of
    :func:`~discourse.stats.rank_correlation`.
    """
    usable = _check_agenda(table)
    rows = []
    for topic in pd.unique(table["topic"]):
        one = usable[usable["topic"] == topic]
        found = stats.rank_correlation(one["question"], one["answer"], seed=seed)
        rows.append({"topic": topic, **found.to_dict()})
    return pd.DataFrame(rows)
