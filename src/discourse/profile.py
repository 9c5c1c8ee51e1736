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

from discourse.compare import verdict as compare_verdict
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


def turn_topic_shares(
    paragraphs: pd.DataFrame, model, turns: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    """Each turn's share of every topic of a fitted topic model, and their profile labels.

    A paragraph's topic shares come from ``model.topic_weights``; a turn's share is the mean
    over its question or answer paragraphs. Returns a frame aligned to ``turns`` (columns
    ``topic_1`` ... ``topic_k``) and the ``{column: ("emphasis", "topic share: <name>")}``
    entries to add to :data:`FEATURES` for tables and figures.
    """
    qa = paragraphs[paragraphs["role"].isin(["question", "answer"])]
    weights = model.topic_weights(qa["text"])
    columns = [f"topic_{number + 1}" for number in range(weights.shape[1])]
    weights.columns = columns
    keys = [qa["doc_id"].astype(str), qa["exchange"].astype(int), qa["role"].astype(str)]
    shares = weights.groupby(keys).mean()
    wanted = pd.MultiIndex.from_arrays(
        [turns["doc_id"].astype(str), turns["exchange"].astype(int), turns["turn"].astype(str)]
    )
    aligned = shares.reindex(wanted).set_axis(turns.index)
    labels = {
        column: ("emphasis", f"topic share: {name}")
        for column, name in zip(columns, model.topic_names_, strict=True)
    }
    return aligned, labels


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
    """:func:`discourse.compare.verdict`, with a missing interval counted as "not supported"."""
    found = compare_verdict(ci_low, ci_high, q, alpha)
    return "not supported" if found == "no interval" else found


def findings_table(
    comparisons: pd.DataFrame,
    families: Mapping[str, tuple[str, str]] = FEATURES,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The comparison rows with ``family``, ``measure`` label, ``n`` and ``verdict``.

    ``comparisons`` holds rows of :func:`discourse.compare.paired_compare` or
    :func:`discourse.compare.compare_groups` on features named in ``families``, with a
    ``comparison`` column naming each test family.
    """
    table = profile_long(comparisons, families)
    sizes = []
    for row in table.itertuples(index=False):
        pairs = getattr(row, "n_pairs", None)
        if pairs is not None and pd.notna(pairs):
            sizes.append(f"{int(pairs)} pairs")
        else:
            sizes.append(f"{int(row.n_a)} vs {int(row.n_b)}")
    table["n"] = sizes
    table["verdict"] = [
        verdict(lo, hi, q, alpha)
        for lo, hi, q in zip(table["ci_low"], table["ci_high"], table["q"], strict=True)
    ]
    columns = [
        "comparison",
        "family",
        "feature",
        "label",
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
    return table[columns].rename(columns={"label": "measure"})


def describe_findings(findings: pd.DataFrame) -> list[str]:
    """One sentence per row of :func:`findings_table`, worded by the sign of the estimate."""
    lines = []
    for row in findings.itertuples(index=False):
        side = "higher" if row.estimate > 0 else "lower"
        lines.append(
            f"[{row.comparison}] {row.measure}: {side} in {row.group_a} than in {row.group_b} "
            f"by {abs(row.estimate):.3g} (means {row.mean_a:.3g} vs {row.mean_b:.3g}; 95% CI "
            f"{row.ci_low:.3g} to {row.ci_high:.3g}; n = {row.n}; g = {row.hedges_g:.2f}; "
            f"{_p(row.p)}, q = {row.q:.3f}): {row.verdict}."
        )
    return lines


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _side_texts(exchanges: pd.DataFrame, side: str) -> pd.Series:
    """The turns of one compared side, indexed by exchange: questions, answers, or a part's."""
    if side in ("question", "answer"):
        return exchanges[side]
    return exchanges.loc[exchanges["part"] == side, "answer"]


def quote_findings(
    findings: pd.DataFrame,
    exchanges: pd.DataFrame,
    features: Mapping[str, tuple[str, str]] = FEATURES,
) -> pd.DataFrame:
    """One quotation for every supported or tentative finding, from its higher side.

    ``exchanges`` is the exchanges table of one interview indexed by exchange number. Returns
    ``comparison``, ``measure``, ``verdict``, ``side`` (the group with the higher value),
    ``exchange`` and ``sentence`` (as printed); findings with nothing to quote are left out.
    """
    rows = []
    for row in findings[findings["verdict"] != "not supported"].itertuples(index=False):
        side = row.group_a if row.estimate > 0 else row.group_b
        quoted = evidence(_side_texts(exchanges, side), row.feature, features=features)
        for quote in quoted.itertuples(index=False):
            rows.append(
                {
                    "comparison": row.comparison,
                    "measure": row.measure,
                    "verdict": row.verdict,
                    "side": side,
                    "exchange": quote.unit,
                    "sentence": quote.sentence,
                }
            )
    return pd.DataFrame(
        rows, columns=["comparison", "measure", "verdict", "side", "exchange", "sentence"]
    )


def scale_differences(
    findings: pd.DataFrame,
    table: pd.DataFrame,
    features: Iterable[str] = tuple(FEATURES),
    families: Mapping[str, tuple[str, str]] = FEATURES,
) -> pd.DataFrame:
    """Each finding's estimate and interval divided by its measure's standard deviation.

    The standard deviation (ddof = 1) is taken over every turn in ``table``, as in
    :func:`standardise`, so that differences in different units share one axis. Returns
    ``comparison``, ``measure``, ``estimate``, ``ci_low``, ``ci_high`` and ``verdict``.
    """
    spread = {f: table[f].astype(float).std(ddof=1) for f in features}
    scale = findings["feature"].map(spread)
    scaled = findings.assign(
        estimate=findings["estimate"] / scale,
        ci_low=findings["ci_low"] / scale,
        ci_high=findings["ci_high"] / scale,
        measure=findings["feature"].map(lambda f: families[f][1]),
    )
    return scaled[["comparison", "measure", "estimate", "ci_low", "ci_high", "verdict"]]


def evidence(
    texts: pd.Series,
    feature: str,
    higher: bool = True,
    n: int = 1,
    features: Mapping[str, tuple[str, str]] = FEATURES,
) -> pd.DataFrame:
    """Sentences from ``texts`` (indexed by exchange) that show what a measure counts.

    Word-list measures quote the category's most frequent term in use
    (:func:`discourse.rhetoric.examples`); the question share quotes questions; sentiment
    measures quote the sentences with the highest (``higher``) or lowest VADER compound score
    (the most negative for the share of negative sentences). Readability and topic shares describe
    whole turns and get no quotation. Sentences are given as printed in the source. Returns
    columns ``unit`` (exchange) and ``sentence``.
    """
    from discourse.rhetoric import CATEGORIES, examples
    from discourse.sentiment import sentence_sentiment

    empty = pd.DataFrame(columns=["unit", "sentence"])
    family = features[feature][0]
    if feature in CATEGORIES:
        return examples(texts, feature, n=n)[["unit", "sentence"]]
    if feature != "questions_per_sentence" and family != "sentiment":
        return empty
    scored = sentence_sentiment(texts)
    if feature == "questions_per_sentence":
        chosen = scored[scored["sentence"].str.rstrip("\"') ").str.endswith("?")].head(n)
    else:
        ascending = higher if feature == "share_negative" else not higher
        chosen = scored.sort_values(
            ["vader_compound", "unit", "sentence_no"],
            ascending=[ascending, True, True],
            kind="mergesort",
        ).head(n)
    return pd.DataFrame(
        {
            "unit": chosen["unit"].to_numpy(),
            "sentence": [
                source_sentence(s, texts[u])
                for s, u in zip(chosen["sentence"], chosen["unit"], strict=True)
            ],
        }
    )
