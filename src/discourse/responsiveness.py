"""How closely each answer stays to its own question.

An answer that takes up its question shares the question's vocabulary, or its topics, more than
the other answers in the interview do. For every question-answer exchange this module measures
the cosine similarity between the question and its own answer and compares it with the
similarity between the same question and every other answer in the collection: a permutation
baseline for how close an answer that was not given to this question comes by chance. Whether an
answer replies to its question is a matter of reading (Bull 1994 distinguishes replies,
intermediate replies and non-replies); this measure only says how far the wording, or the topics,
of an answer follow its question.

Two representations are available:

- ``"tfidf"``: TF-IDF vectors (Salton & Buckley 1988) of the normalised texts, with one vectoriser
  fitted on all questions and answers together, so that both sides share a vocabulary and
  inverse document frequencies;
- a fitted :class:`discourse.topics.NMFTopics` or :class:`discourse.topics.LDATopics`: the topic
  weights of question and answer, so that an answer can stay on topic in other words.

:func:`by_exchange` measures every exchange of an exchanges table in several spaces at once, each
baseline within its own interview: another slate's answer to the very same question is not a
chance pairing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from discourse import units
from discourse.text import opening
from discourse.topics import LDATopics, NMFTopics, topic_stop_words, topic_terms

__all__ = [
    "EXCHANGE_COLUMNS",
    "RESPONSIVENESS_COLUMNS",
    "by_exchange",
    "responsiveness",
    "similarity_matrix",
]

RESPONSIVENESS_COLUMNS = [
    "similarity",
    "baseline_mean",
    "baseline_sd",
    "baseline_min",
    "baseline_max",
    "excess",
    "z",
    "rank",
    "baseline_p",
    "n_others",
]
TIE_TOLERANCE = 1e-9
"""Similarities closer than this count as ties (solver residue in topic weights moves cosines
by far less)."""
MIN_SD = 1e-3
"""Baseline spread (in cosine units) under which ``z`` is not computed: the other answers are
practically equally close, and dividing by a near-zero spread gives meaningless, huge z."""


def _texts(series: pd.Series) -> pd.Series:
    return series.map(lambda t: t if isinstance(t, str) else "").astype(object)


def _row_normalised(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; rows of zero length or with NaN become NaN."""
    matrix = np.asarray(matrix, dtype=float)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    usable = np.isfinite(norms[:, 0]) & (norms[:, 0] > 0)
    out = np.full_like(matrix, np.nan)
    out[usable] = matrix[usable] / norms[usable]
    return out


def similarity_matrix(
    questions: pd.Series,
    answers: pd.Series,
    method: str | NMFTopics | LDATopics = "tfidf",
    stop_words: str | list[str] | None = "english",
) -> np.ndarray:
    """Cosine similarity of every question (rows) with every answer (columns).

    With ``method="tfidf"`` a TF-IDF vectoriser (terms of :func:`discourse.topics.topic_terms`,
    stop words of :func:`discourse.topics.topic_stop_words`) is fitted on all questions and
    answers together. With a fitted topic model the vectors are its topic weights. A text with no
    usable terms has no direction, so its similarities are NaN.
    """
    q_texts, a_texts = _texts(questions), _texts(answers)
    if isinstance(method, str):
        if method != "tfidf":
            raise ValueError(f"method must be 'tfidf' or a fitted topic model, got {method!r}")
        vectorizer = TfidfVectorizer(
            tokenizer=topic_terms,
            token_pattern=None,
            lowercase=False,
            stop_words=topic_stop_words(stop_words),
        )
        try:
            vectorizer.fit(pd.concat([q_texts, a_texts], ignore_index=True))
        except ValueError:  # empty vocabulary: nothing to compare
            return np.full((len(q_texts), len(a_texts)), np.nan)
        q_vectors = vectorizer.transform(q_texts).toarray()
        a_vectors = vectorizer.transform(a_texts).toarray()
    elif isinstance(method, NMFTopics | LDATopics):
        q_vectors = method.transform(q_texts)
        a_vectors = method.transform(a_texts)
    else:
        raise TypeError(
            f"method must be 'tfidf' or a fitted NMFTopics / LDATopics, got {type(method).__name__}"
        )
    return _row_normalised(q_vectors) @ _row_normalised(a_vectors).T


def responsiveness(
    questions: pd.Series,
    answers: pd.Series,
    method: str | NMFTopics | LDATopics = "tfidf",
    n_permutations: int | None = None,
    seed: int = 0,
    stop_words: str | list[str] | None = "english",
    within: pd.Series | None = None,
) -> pd.DataFrame:
    """How much closer each answer is to its own question than other answers are.

    For exchange ``i`` with question ``q_i`` and answer ``a_i``, ``s_ij = cos(q_i, a_j)``
    (:func:`similarity_matrix`). The baseline of exchange ``i`` is the set of ``s_ij`` for the
    other answers ``j != i`` (all of them, or ``n_permutations`` drawn without replacement),
    restricted with ``within`` to the answers of the same interview.

    - ``similarity``: ``s_ii``;
    - ``baseline_mean`` / ``baseline_sd``: mean and standard deviation (ddof 1) of the baseline;
    - ``baseline_min`` / ``baseline_max``: its range;
    - ``excess``: ``s_ii - baseline_mean``, how much closer the own answer comes than the other
      answers on average, in cosine units (negative: the question's wording, or topics, are
      nearer to the average other answer than to its own);
    - ``z``: ``(s_ii - baseline_mean) / baseline_sd``, NaN when the sd is undefined or below
      ``MIN_SD`` (as when no other answer shares a term with the question); with few and
      skewed baseline values z is descriptive only, ``rank`` and ``baseline_p`` are the test;
    - ``rank``: 1 + the number of other answers strictly more similar to ``q_i`` (1 = its own
      answer is the closest; an integer, missing where the similarity is);
    - ``baseline_p``: one-sided permutation p-value with the +1 correction of Phipson & Smyth
      (2010), ``(1 + #{j != i : s_ij >= s_ii}) / (1 + n_others)``: the chance that a randomly
      paired answer is at least as close. Its smallest possible value is ``1 / (1 + n_others)``
      (about 0.04 with 24 exchanges), so with few exchanges no single answer can be strongly
      significant; ties (e.g. several answers sharing nothing with the question) count against
      the answer, and similarities within ``TIE_TOLERANCE`` count as ties;
    - ``n_others``: size of the baseline (others with a defined similarity).

    Rows are NaN where the question or the answer has no usable terms.

    Parameters
    ----------
    questions, answers : Series
        One question and its answer per exchange, on the same index.
    method : "tfidf" or fitted NMFTopics / LDATopics
        The vector space.
    n_permutations : int or None
        ``None`` compares with every other answer (exact); an int samples that many other answers
        per question, from ``numpy.random.default_rng(seed)``, for large collections.
    seed : int
        Seed of that sampling.
    stop_words : "english", list of str or None
        Stop words of the TF-IDF space (see :func:`discourse.topics.topic_stop_words`).
    within : Series, optional
        A label per exchange on the same index (e.g. the interview): the baseline of an
        exchange holds only answers with the same label. With several interviews that put the
        same questions to different slates, another slate's answer to the very same question is
        not a chance pairing and must stay out of the baseline. By default one collection.

    Returns
    -------
    DataFrame
        The columns in ``RESPONSIVENESS_COLUMNS``, indexed like ``questions``.
    """
    if not isinstance(questions, pd.Series) or not isinstance(answers, pd.Series):
        raise TypeError("questions and answers must be pandas Series")
    if not questions.index.equals(answers.index):
        raise ValueError("questions and answers must share the same index, one row per exchange")
    if n_permutations is not None and n_permutations < 1:
        raise ValueError(f"n_permutations must be positive or None, got {n_permutations}")
    if within is not None and not (
        isinstance(within, pd.Series) and within.index.equals(questions.index)
    ):
        raise ValueError("within must be a Series on the same index as questions")
    if within is not None and within.isna().any():
        raise ValueError("within has missing labels")
    n = len(questions)
    labels = np.zeros(n) if within is None else pd.factorize(within)[0]
    values = {column: np.full(n, np.nan) for column in RESPONSIVENESS_COLUMNS}
    values["n_others"] = np.zeros(n, dtype=int)
    if n:
        similarity = similarity_matrix(questions, answers, method, stop_words)
        rng = np.random.default_rng(seed)
        for i in range(n):
            others = np.flatnonzero((labels == labels[i]) & (np.arange(n) != i))
            if n_permutations is not None and n_permutations < len(others):
                others = np.sort(rng.choice(others, size=n_permutations, replace=False))
            baseline = similarity[i, others]
            baseline = baseline[np.isfinite(baseline)]
            values["n_others"][i] = len(baseline)
            own = similarity[i, i]
            if not np.isfinite(own):
                continue
            values["similarity"][i] = own
            if not len(baseline):
                continue
            mean = baseline.mean()
            sd = baseline.std(ddof=1) if len(baseline) > 1 else np.nan
            values["baseline_mean"][i] = mean
            values["baseline_sd"][i] = sd
            values["baseline_min"][i] = baseline.min()
            values["baseline_max"][i] = baseline.max()
            values["excess"][i] = own - mean
            values["z"][i] = (own - mean) / sd if sd >= MIN_SD else np.nan
            values["rank"][i] = 1 + np.sum(baseline > own + TIE_TOLERANCE)
            at_least = np.sum(baseline >= own - TIE_TOLERANCE)
            values["baseline_p"][i] = (1 + at_least) / (1 + len(baseline))
    table = pd.DataFrame(values, index=questions.index, columns=RESPONSIVENESS_COLUMNS)
    return table.astype({"rank": "Int64"})


#: Identifying columns of :func:`by_exchange`, before the measures of each space.
EXCHANGE_COLUMNS = [
    *units.KEY_COLUMNS,
    "label",
    "question_start",
]


def by_exchange(
    exchanges: pd.DataFrame,
    spaces: Mapping[str, str | NMFTopics | LDATopics],
    *,
    within: str = "doc_id",
    n_permutations: int | None = None,
    seed: int = 0,
    stop_words: str | list[str] | None = "english",
    start_words: int = 8,
) -> pd.DataFrame:
    """:func:`responsiveness` of every exchange in each of several spaces, one row per exchange.

    Parameters
    ----------
    exchanges : DataFrame
        The exchanges table of :mod:`discourse.corpus` (``question``, ``answer`` and the keys of
        :func:`discourse.units.turn_table`); other columns (``question_words``, say) are kept.
    spaces : mapping
        Name to space: ``"tfidf"`` or a fitted topic model; each space's measures get the
        suffix ``_<name>`` (``excess_tfidf``).
    within : str
        The column whose value an exchange's baseline shares: by default its interview, so the
        baseline never holds another interview's answers.
    n_permutations, seed, stop_words
        As for :func:`responsiveness`.
    start_words : int
        How many words of the question ``question_start`` shows.

    Returns
    -------
    DataFrame
        In the order of ``exchanges``, with a fresh index: :data:`EXCHANGE_COLUMNS` (``label``
        as in :func:`discourse.units.turn_table`, unique across interviews; ``question_start``
        the label, then the first ``start_words`` words of the question quoted as printed,
        :func:`discourse.text.opening`, and "…" when it goes on),
        the other columns of ``exchanges`` but ``question`` and ``answer``, then
        :data:`RESPONSIVENESS_COLUMNS` with the suffix of each space.
    """
    table = exchanges.reset_index(drop=True)
    if within not in table.columns:
        raise ValueError(f"exchanges table lacks the column {within!r} of the baselines")
    answers = units.turn_table(table)
    label = answers.loc[answers["turn"] == "answer", "label"].to_numpy()
    starts = [opening(q, start_words) if isinstance(q, str) else "" for q in table["question"]]
    ids = table[EXCHANGE_COLUMNS[:-2]].assign(
        label=label, question_start=[f"{a} · {b}" for a, b in zip(label, starts, strict=True)]
    )
    kept = [c for c in table.columns if c not in {*EXCHANGE_COLUMNS, "question", "answer"}]
    result = pd.concat([ids, table[kept]], axis=1)
    for name, space in spaces.items():
        scores = responsiveness(
            table["question"],
            table["answer"],
            method=space,
            n_permutations=n_permutations,
            seed=seed,
            stop_words=stop_words,
            within=table[within],
        )
        result = result.join(scores.add_suffix(f"_{name}"))
    return result
