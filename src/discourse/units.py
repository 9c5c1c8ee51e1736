"""The units every comparison of the study is made on, and the comparison of slates.

A *turn* (one exchange's question, or its answer) is the unit of the measures; :func:`turn_table`
lays the exchanges table out as one row per turn, with the keys that pair them: ``exchange_id``
pairs an exchange's answer with its question, ``question_key`` pairs the answers of different
slates to the same question (a declared ``question_id``, else the question's normalised words;
see :mod:`discourse.corpus`).

:func:`compare_slates` compares every pair of slates the two ways a corpus can support, and
says which: paired by shared question, where both slates answered the same questions (the
magazine series put its general questions to every slate), and pooled over all answers, which
needs no shared question but compares answers to different questions. Both come from
:mod:`discourse.stats`, the study's one inference module.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from discourse import stats

__all__ = [
    "KEY_COLUMNS",
    "PAIRED",
    "POOLED",
    "SLATE_COLUMNS",
    "TURN_COLUMNS",
    "compare_slates",
    "describe_slates",
    "turn_table",
]

#: The columns that identify an exchange and pair its turns, first in every table of turns.
KEY_COLUMNS = [
    "doc_id",
    "slate",
    "exchange",
    "exchange_id",
    "part",
    "question_key",
]
#: Columns of :func:`turn_table`.
TURN_COLUMNS = [
    *KEY_COLUMNS,
    "turn",
    "speaker",
    "label",
    "text",
]
#: ``slate_design`` of slate comparisons on the questions both slates answered.
PAIRED = "paired by shared question"
#: ``slate_design`` of slate comparisons over all answers of each slate.
POOLED = "pooled (all answers)"
#: Columns of :func:`compare_slates`.
SLATE_COLUMNS = ["slate_design", *stats.COLUMNS]

_NEEDED = [*KEY_COLUMNS, "interviewer"]


def turn_table(exchanges: pd.DataFrame) -> pd.DataFrame:
    """One row per turn: each exchange's question, then its answer, exchanges in input order.

    ``speaker`` is who spoke (the interviewer for a question, the slate for an answer), ``text``
    the turn's text, and ``label`` how figures name the exchange: its number when the corpus
    holds one interview, else its ``exchange_id``, so that labels never repeat across
    interviews. The index is fresh (0, 1, ...).
    """
    missing = [c for c in [*_NEEDED, "question", "answer"] if c not in exchanges.columns]
    if missing:
        raise ValueError(f"exchanges table lacks column(s) {missing}")
    one_interview = exchanges["doc_id"].nunique() <= 1
    label = exchanges["exchange"].astype(str) if one_interview else exchanges["exchange_id"]
    base = exchanges[_NEEDED[:-1]].assign(label=label.astype(str))
    question = base.assign(
        turn="question", speaker=exchanges["interviewer"], text=exchanges["question"]
    )
    answer = base.assign(turn="answer", speaker=exchanges["slate"], text=exchanges["answer"])
    order = np.arange(len(exchanges))
    table = pd.concat(
        [question.assign(_order=order * 2), answer.assign(_order=order * 2 + 1)],
        ignore_index=True,
    )
    return table.sort_values("_order", kind="stable")[TURN_COLUMNS].reset_index(drop=True)


def compare_slates(
    turns: pd.DataFrame,
    features: str | Iterable[str],
    *,
    weights: str | Mapping[str, str] | None = None,
    seed: int = 0,
    key: str = "question_key",
    unit: str = "exchange_id",
) -> pd.DataFrame:
    """Every pair of slates compared on their answers: paired by shared question, and pooled.

    For each pair of slates (sorted, ``a`` against ``b``):

    - ``slate_design`` :data:`PAIRED`: the answers to the questions both slates were asked
      (equal ``key``), compared with :func:`discourse.stats.compare_paired`, pair = question. A
      question asked more than once in one interview is still one pair: its answers are pooled
      (weighted by exposure when ``weights`` is given), as :func:`discourse.stats.paired_values`
      does. Left out when the slates share no question.
    - ``slate_design`` :data:`POOLED`: all answers of each slate, compared with
      :func:`discourse.stats.compare_groups` over ``unit`` (one exchange's answer per unit).

    ``turns`` has one row per turn (:func:`turn_table` plus measure columns); only rows with
    ``turn == "answer"`` are used. Returns :data:`SLATE_COLUMNS`; no rows with fewer than two
    slates.
    """
    features = [features] if isinstance(features, str) else list(features)
    answers = turns[turns["turn"] == "answer"]
    slates = stats.group_order(answers["slate"])
    tables = []
    for a, b in itertools.combinations(slates, 2):
        two = answers[answers["slate"].isin([a, b])]
        shared = two.groupby(key)["slate"].nunique()
        shared = shared.index[shared == 2]
        if len(shared):
            paired = stats.compare_paired(
                two[two[key].isin(shared)],
                features,
                group="slate",
                pair=key,
                group_a=a,
                group_b=b,
                weights=weights,
                seed=seed,
            )
            tables.append(paired.assign(slate_design=PAIRED))
        pooled = stats.compare_groups(
            two, features, group="slate", unit=unit, weights=weights, seed=seed
        )
        pooled = pooled[(pooled["group_a"] == a) & (pooled["group_b"] == b)]
        tables.append(pooled.assign(slate_design=POOLED))
    if not tables:
        return pd.DataFrame(columns=SLATE_COLUMNS)
    return pd.concat(tables, ignore_index=True)[SLATE_COLUMNS]


def describe_slates(
    result: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    number=None,
) -> list[str]:
    """Plain sentences for :func:`compare_slates`: for each pair of slates and design, what
    was compared and on how many units, then one sentence per measure
    (:func:`discourse.stats.describe`)."""
    lines = []
    for (a, b, design), rows in result.groupby(["group_a", "group_b", "slate_design"], sort=False):
        first = rows.iloc[0]
        if design == PAIRED:
            lines.append(f"{a} against {b}, {design}: {first.n_a} questions answered by both.")
        else:
            lines.append(
                f"{a} against {b}, {design}: {first.n_a} and {first.n_b} answers, to questions "
                "that may differ."
            )
        lines += stats.describe(rows, labels=labels, number=number)
    return lines
