"""Whether an answer replies to its question: a reply score built from readable parts.

Bull (2003, *The Microanalysis of Political Communication*, ch. 6) sorts a politician's
responses into replies (the answer gives the information the question asked for), intermediate
replies and non-replies; Bull and Mayer (1993, *Political Psychology* 14(4): 651-666) list the
ways of not replying (declining, ignoring the question, attacking it, making a political point,
saying it has been answered already). Wording overlap alone (:mod:`discourse.responsiveness`)
misses an answer that opens by naming exactly what was asked, and misses that an explicit
rejection of the question's presupposition (``"On the Morning Star, this is incorrect."``) is a
reply. :func:`reply_scores` therefore measures, for every question-answer pair, parts a reader
can check:

``opening_uptake``
    the share of the *focal terms* of the question (the content terms of its last interrogative
    sentence; of the whole turn when it has none) that the answer's opening uses. The opening is
    the answer's first sentence or its first :data:`OPENING_WORDS` words, whichever is longer;
``answer_uptake``
    the share of the question turn's content terms used anywhere in the answer;
``yes_no_question``
    1 when the focal interrogative is polar: its first word (after a leading *and*, *but*, *so*,
    *also*, *well* or *now*) is an auxiliary (Raymond 2003, *American Sociological Review* 68(6));
``yes_no_answered``
    1 when a polar question is answered in the answer's first :data:`TOKEN_WORDS` words with a
    type-conforming token or its equivalent (*yes*, *no*, *of course*, *absolutely*, *not* ...);
``presupposition_rejected``
    1 when the opening explicitly rejects what the question takes for granted (*this is
    incorrect*, *we have not argued*, *that's not true*, *not at all*, *absolutely not*): Bull
    counts this as a reply, and so does the score (its weight is at least
    :data:`REJECTION_FLOOR`, so a rejection never lowers a score);
``agenda_shift``
    1 when the opening carries a cue of turning to another agenda (*what I would say is*, *the
    real question*, *let me*, *first of all*) and takes up none of the focal terms;
``declines``
    1 when the answer declines or claims ignorance anywhere (*I'm not going to*, *I won't
    comment*, *I don't know*, *we'll see*);
``answer_length``
    ``log(1 + words)`` of the answer: long answers to short questions are where general and
    dodging answers live (Thomas et al. 2024).

Cue lists are ``data/reply_cues.csv`` (its header states the source and the matching rule).
``reply_score`` is the logistic ``1 / (1 + exp(-(b0 + sum_k b_k x_k)))`` of the components with
the weights in ``data/reply_weights.csv``, set from theory (+1 for each sign of a reply, -1 for
each sign of a non-reply, 0 for the rest; see its header), so scoring is deterministic and needs
no data at run time; a score above 0.5 leans to a reply. :func:`fit_weights` and
:func:`out_of_fold_scores` learn weights instead (logistic regression, scikit-learn), scored only
on pairs the model was not fitted on (folds grouped by question turn); on the QEvasion test set
(Thomas et al. 2024, "I Never Said That", EMNLP; MIT licence) they did worse than the theory
weights. ``benchmarks/validate_replies.py`` measures both against the human labels.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np
import pandas as pd

from discourse.emphasis import content_terms
from discourse.files import read_commented_csv
from discourse.resources import DATA
from discourse.text import normalise, sentences, words

__all__ = [
    "CLARITY_FILE",
    "CLARITY_LEVELS",
    "COMPONENTS",
    "CUES_FILE",
    "OPENING_WORDS",
    "REJECTION_FLOOR",
    "REPLY_COLUMNS",
    "TOKEN_WORDS",
    "WEIGHTS_FILE",
    "fit_weights",
    "load_cues",
    "clarity_level",
    "load_clarity_levels",
    "load_weights",
    "majority_level",
    "out_of_fold_scores",
    "reply_components",
    "reply_scores",
]

CUES_FILE = DATA / "reply_cues.csv"
WEIGHTS_FILE = DATA / "reply_weights.csv"
OPENING_WORDS = 40
"""Words of the answer's opening, at least (Bull 2003 reads whether the reply comes first)."""
TOKEN_WORDS = 8
"""Words at the start of the answer in which a yes/no token answers a polar question."""
REJECTION_FLOOR = 1.0
"""Smallest weight of ``presupposition_rejected`` in the score: an explicit rejection of the
question's presupposition is a reply (Bull 2003), whatever the fitted data say about its rarity."""
COMPONENTS = [
    "opening_uptake",
    "answer_uptake",
    "yes_no_question",
    "yes_no_answered",
    "presupposition_rejected",
    "agenda_shift",
    "declines",
    "answer_length",
]
"""The parts of the score, in the order of the weights file."""
CLARITY_FILE = DATA / "clarity_levels.csv"
CLARITY_LEVELS = ("clear reply", "ambivalent", "clear non-reply")
"""The high-level classes of response clarity (Thomas et al. 2024), most of a reply first."""
REPLY_COLUMNS = ["reply_score", *COMPONENTS, "focal_question", "opening"]
CUE_COMPONENTS = ("yes_no_question", "yes_no_answer", "rejection", "agenda_shift", "decline")
_LEADING = frozenset({"and", "but", "so", "also", "well", "now", "then", "or", "okay", "ok"})


def _read_csv(path) -> pd.DataFrame:
    return pd.read_csv(path, comment=None, skiprows=1, dtype=str, keep_default_na=False)


@cache
def load_cues() -> dict[str, tuple[str, ...]]:
    """The cue phrases of each component, lower-case, from ``data/reply_cues.csv``."""
    table = _read_csv(CUES_FILE)
    unknown = set(table["component"]) - set(CUE_COMPONENTS)
    if unknown:
        raise ValueError(f"{CUES_FILE.name}: unknown components {sorted(unknown)}")
    return {
        component: tuple(table.loc[table["component"] == component, "cue"].str.lower())
        for component in CUE_COMPONENTS
    }


@cache
def _pattern(component: str) -> re.Pattern[str]:
    cues = sorted(load_cues()[component], key=len, reverse=True)
    alternatives = "|".join(re.escape(cue) for cue in cues)
    return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])")


def _has(component: str, text: str) -> bool:
    return _pattern(component).search(normalise(text).lower()) is not None


@cache
def load_weights() -> tuple[float, dict[str, float]]:
    """The shipped intercept and weight of each component, from ``data/reply_weights.csv``."""
    table = _read_csv(WEIGHTS_FILE)
    weights = dict(zip(table["term"], table["weight"].astype(float), strict=True))
    missing = {"intercept", *COMPONENTS} - set(weights)
    if missing:
        raise ValueError(f"{WEIGHTS_FILE.name}: missing terms {sorted(missing)}")
    return weights.pop("intercept"), {c: weights[c] for c in COMPONENTS}


def _focal_question(question: str) -> str:
    """The last interrogative sentence of the question turn, or the whole turn without one."""
    asked = [s for s in sentences(question) if s.rstrip().rstrip("\"')").endswith("?")]
    return asked[-1] if asked else normalise(question)


def _opening(answer: str) -> str:
    """The answer's first sentence or its first :data:`OPENING_WORDS` words, whichever is longer."""
    split = sentences(answer)
    first = split[0] if split else ""
    tokens = words(answer)
    if len(words(first)) >= OPENING_WORDS:
        return first
    return " ".join(tokens[:OPENING_WORDS])


def _is_polar(focal: str) -> bool:
    tokens = [t.lower() for t in words(focal)]
    while tokens and tokens[0] in _LEADING:
        tokens = tokens[1:]
    return bool(tokens) and tokens[0] in load_cues()["yes_no_question"]


def _share(terms: Sequence[str], text_terms: Iterable[str]) -> float:
    distinct = list(dict.fromkeys(terms))
    if not distinct:
        return math.nan
    present = set(text_terms)
    return sum(term in present for term in distinct) / len(distinct)


def _one(question: str, answer: str) -> dict:
    question = question if isinstance(question, str) else ""
    answer = answer if isinstance(answer, str) else ""
    focal = _focal_question(question)
    opening = _opening(answer)
    focal_terms = content_terms(focal) or content_terms(question)
    opening_uptake = _share(focal_terms, content_terms(opening))
    polar = _is_polar(focal)
    start = " ".join(words(answer)[:TOKEN_WORDS])
    return {
        "opening_uptake": opening_uptake,
        "answer_uptake": _share(content_terms(question), content_terms(answer)),
        "yes_no_question": int(polar),
        "yes_no_answered": int(polar and _has("yes_no_answer", start)),
        "presupposition_rejected": int(_has("rejection", opening)),
        "agenda_shift": int(_has("agenda_shift", opening) and not (opening_uptake > 0)),
        "declines": int(_has("decline", answer)),
        "answer_length": math.log1p(len(words(answer))),
        "focal_question": focal,
        "opening": opening,
    }


def reply_components(
    questions: pd.Series | Sequence[str], answers: pd.Series | Sequence[str]
) -> pd.DataFrame:
    """The components of :func:`reply_scores` (without the score), one row per pair.

    Rows keep the index of ``questions`` when it is a Series. A question without content terms
    has no uptake (NaN).
    """
    if len(questions) != len(answers):
        raise ValueError("questions and answers must have the same length")
    index = questions.index if isinstance(questions, pd.Series) else pd.RangeIndex(len(questions))
    rows = [_one(q, a) for q, a in zip(list(questions), list(answers), strict=True)]
    columns = [*COMPONENTS, "focal_question", "opening"]
    return pd.DataFrame(rows, index=index, columns=columns)


def _design(components: pd.DataFrame) -> np.ndarray:
    """The components as a numeric matrix, a missing uptake counted as none taken up."""
    return components[COMPONENTS].astype(float).fillna(0.0).to_numpy()


def _logistic(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def reply_scores(
    questions: pd.Series | Sequence[str],
    answers: pd.Series | Sequence[str],
    weights: tuple[float, dict[str, float]] | None = None,
) -> pd.DataFrame:
    """How much each answer is a reply to its question, with the parts the score is built from.

    Parameters
    ----------
    questions, answers : Series or sequence of str
        The question turn as asked and its answer, pair by pair.
    weights : (intercept, {component: weight}), optional
        Defaults to the shipped weights (:func:`load_weights`).

    Returns
    -------
    pandas.DataFrame
        One row per pair, columns :data:`REPLY_COLUMNS`: ``reply_score`` in (0, 1), the
        logistic ``1 / (1 + exp(-(b0 + sum_k b_k x_k)))`` of the components ``x_k``, higher
        meaning more of a reply; the components; the focal question and the answer's opening the
        components were read from.
    """
    intercept, coefficients = load_weights() if weights is None else weights
    table = reply_components(questions, answers)
    beta = np.array([coefficients[c] for c in COMPONENTS])
    table.insert(0, "reply_score", _logistic(intercept + _design(table) @ beta))
    return table[REPLY_COLUMNS]


def fit_weights(
    components: pd.DataFrame, labels: Sequence[int], c: float = 1.0
) -> tuple[float, dict[str, float]]:
    """Logistic-regression weights of the components for a binary reply label.

    L2-penalised logistic regression (:class:`sklearn.linear_model.LogisticRegression`, inverse
    penalty ``c``, lbfgs) on the components as they are (uptakes are shares, the flags 0/1,
    length in log words). The weight of ``presupposition_rejected`` is then raised to at least
    :data:`REJECTION_FLOOR`: a rejection is a reply by definition (Bull 2003), and in data where
    it is rare the fitted weight says little.
    """
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=10_000)
    model.fit(_design(components), np.asarray(labels, dtype=int))
    coefficients = dict(zip(COMPONENTS, map(float, model.coef_[0]), strict=True))
    rejected = coefficients["presupposition_rejected"]
    coefficients["presupposition_rejected"] = max(rejected, REJECTION_FLOOR)
    return float(model.intercept_[0]), coefficients


def out_of_fold_scores(
    components: pd.DataFrame,
    labels: Sequence[int],
    groups: Sequence[object],
    n_splits: int = 5,
    c: float = 1.0,
) -> np.ndarray:
    """Reply scores of every pair from a model fitted without its group (out of fold).

    Folds are :class:`sklearn.model_selection.GroupKFold` over ``groups`` (e.g. the question
    turn, so that two labelled questions of one turn never sit on both sides), each fold scored
    with the weights :func:`fit_weights` learns on the others.
    """
    from sklearn.model_selection import GroupKFold

    y = np.asarray(labels, dtype=int)
    out = np.full(len(y), np.nan)
    for train, test in GroupKFold(n_splits=n_splits).split(components, y, groups):
        intercept, coefficients = fit_weights(components.iloc[train], y[train], c=c)
        beta = np.array([coefficients[k] for k in COMPONENTS])
        out[test] = _logistic(intercept + _design(components.iloc[test]) @ beta)
    return out


@cache
def load_clarity_levels() -> dict[str, str]:
    """The clarity class of every fine label code (``"2.4"`` to ``"ambivalent"``), from
    ``data/clarity_levels.csv`` (Thomas et al. 2024's two-level taxonomy)."""
    table = read_commented_csv(CLARITY_FILE)
    unknown = set(table["level"]) - set(CLARITY_LEVELS)
    if unknown:
        raise ValueError(f"{CLARITY_FILE.name}: unknown levels {sorted(unknown)}")
    return dict(zip(table["code"], table["level"], strict=True))


def clarity_level(label: str) -> str:
    """The clarity class of an annotator's label such as ``"2.6 Declining to answer"``.

    The label is read by its leading code; a label whose code the taxonomy does not hold is
    refused (ValueError naming it), never guessed.
    """
    code = str(label).strip().split(" ", 1)[0]
    levels = load_clarity_levels()
    if code not in levels:
        raise ValueError(f"{label!r} is not a label of the clarity taxonomy ({CLARITY_FILE.name})")
    return levels[code]


def majority_level(labels: Sequence[str]) -> str | None:
    """The clarity class that more than half of the annotators' ``labels`` fall in, or None
    when no class has a majority (three annotators, three classes)."""
    levels = [clarity_level(label) for label in labels]
    for level in CLARITY_LEVELS:
        if 2 * levels.count(level) > len(levels):
            return level
    return None
