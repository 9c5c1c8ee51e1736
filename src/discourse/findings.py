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

from discourse import readability as readability_
from discourse import rhetoric as rhetoric_
from discourse import sentiment as sentiment_
from discourse import stats
from discourse.readability import readability
from discourse.rhetoric import CATEGORIES, turn_rates
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


def _turn_exposure(column: str) -> str:
    """The column of :func:`turn_measures` that counts what a measure module's exposure column
    counts: the turn's sentences or its words (as :func:`discourse.rhetoric.turn_rates` counts
    them)."""
    return "sentences" if "sentences" in column else "words"


#: Exposure of each profile measure: the column of :func:`turn_measures` that counts what the
#: measure is a rate of, so that comparisons weigh each turn by it (see :mod:`discourse.stats`).
#: Taken from each measure module's own ``EXPOSURE``.
EXPOSURE = MappingProxyType(
    {
        feature: _turn_exposure(
            {**readability_.EXPOSURE, **sentiment_.EXPOSURE, **rhetoric_.EXPOSURE}[feature]
        )
        for feature in FEATURES
    }
)

#: Measures that are counts over their exposure, and the multiplier that turns a rate back into
#: a count: rates per 1,000 words, and the share of sentences that are questions.
COUNT_SCALE = MappingProxyType(
    {
        **{f: 1000.0 for f, e in EXPOSURE.items() if f in CATEGORIES and e == "words"},
        "questions_per_sentence": 1.0,
    }
)

#: The comparisons of the findings table: name, the turns compared, and how.
ANSWERS_VS_QUESTIONS = "answers minus questions"
GENERAL_VS_SPECIFIC = "general minus specific answers"


def exposures(features: Iterable[str]) -> dict[str, str]:
    """The exposure column of every feature: :data:`EXPOSURE`, and words for topic shares."""
    return {f: EXPOSURE.get(f, "words") for f in features}


def with_counts(table: pd.DataFrame, features: Iterable[str]) -> pd.DataFrame:
    """``table`` with a ``<feature>_count`` column for every count measure among ``features``:
    the rate times its exposure over the scale of :data:`COUNT_SCALE`, rounded to the whole
    count it was computed from."""
    counts = {
        f"{f}_count": (table[f] * table[EXPOSURE[f]] / COUNT_SCALE[f]).round()
        for f in features
        if f in COUNT_SCALE
    }
    return table.assign(**counts)


def _compare_turns(comparison: str, features: list[str], seed: int, *, weighted: bool = True):
    """A function from turns to the comparison table of one comparison of the findings, turns
    weighed by their exposure (or, with ``weighted=False``, each turn equally)."""
    weights = exposures(features) if weighted else None

    def answers_vs_questions(turns: pd.DataFrame) -> pd.DataFrame:
        return stats.compare_paired(
            turns,
            features,
            group="turn",
            pair="exchange_id",
            group_a="answer",
            group_b="question",
            weights=weights,
            seed=seed,
        )

    def general_vs_specific(turns: pd.DataFrame) -> pd.DataFrame:
        answers = turns[turns["turn"] == "answer"]
        return stats.compare_groups(
            answers, features, group="part", unit="exchange_id", weights=weights, seed=seed
        )

    return {
        ANSWERS_VS_QUESTIONS: answers_vs_questions,
        GENERAL_VS_SPECIFIC: general_vs_specific,
    }[comparison]


def _count_models(turns: pd.DataFrame, comparison: str, features: list[str]) -> pd.DataFrame:
    """The reference Poisson model of every count measure in one comparison."""
    counted = with_counts(turns, features)
    rows = []
    for feature in features:
        if feature not in COUNT_SCALE:
            continue
        if comparison == ANSWERS_VS_QUESTIONS:
            found = stats.count_model(
                counted,
                f"{feature}_count",
                EXPOSURE[feature],
                "turn",
                "answer",
                "question",
                cluster="exchange_id",
                pair="exchange_id",
            )
        else:
            answers = counted[counted["turn"] == "answer"]
            parts = stats.group_order(answers["part"])
            found = stats.count_model(
                answers,
                f"{feature}_count",
                EXPOSURE[feature],
                "part",
                parts[0],
                parts[-1],
                cluster="exchange_id",
            )
        rows.append({**found, "feature": feature})
    columns = ["feature", "rate_ratio", "rr_ci_low", "rr_ci_high", "rr_p"]
    return pd.DataFrame(rows, columns=stats.COUNT_MODEL_COLUMNS)[columns]


FINDINGS_COLUMNS = [
    "comparison",
    "family",
    "feature",
    "measure",
    "group_a",
    "group_b",
    "n_a",
    "n_b",
    "design",
    "mean_a",
    "mean_b",
    "estimate",
    "ci_low",
    "ci_high",
    "p",
    "q",
    "verdict",
    "min_p",
    "per_turn_estimate",
    "rate_ratio",
    "rr_ci_low",
    "rr_ci_high",
    "rr_p",
    "hedges_g",
    "loo_same",
    "loo_runs",
    "loo_changes",
]
"""The columns of :func:`findings_table`."""


def findings_table(
    turns: pd.DataFrame,
    features: Iterable[str],
    families: Mapping[str, tuple[str, str]] = FEATURES,
    *,
    comparisons: Iterable[str] = (ANSWERS_VS_QUESTIONS, GENERAL_VS_SPECIFIC),
    seed: int = 0,
) -> pd.DataFrame:
    """Every feature in every comparison of the findings, with all the inference behind it.

    For each comparison (answers against their questions, paired by exchange; answers to the
    general against answers to the specific questions, exchanges as units), each row holds the
    :mod:`discourse.stats` comparison with every turn weighed by its exposure
    (:func:`exposures`; ``estimate``, interval, p, q over the comparison's features, verdict and
    ``min_p``); ``per_turn_estimate``, the same difference with every turn weighted equally
    (descriptive); for count measures the reference Poisson model's rate ratio with log
    exposure as offset and exchange-clustered errors (``rate_ratio``, ``rr_ci_low``,
    ``rr_ci_high``, ``rr_p``); and whether the verdict survives leaving out each exchange in
    turn (``loo_same`` of ``loo_runs``; ``loo_changes`` names the exchanges whose omission
    changes it, by number when there is one interview, with the verdict then found).

    Parameters
    ----------
    turns : DataFrame
        :func:`turn_measures` (with any topic shares joined).
    features : iterable of str
        The measures, all keys of ``families``.
    families : mapping
        ``feature -> (family, label)``.
    """
    features = list(features)
    frames = []
    for comparison in comparisons:
        compare = _compare_turns(comparison, features, seed)
        table = compare(turns)
        robust = stats.leave_one_out(compare, turns, "exchange_id")
        if turns["doc_id"].nunique() == 1:  # one interview: name exchanges by their number
            prefix = f"{turns['doc_id'].iat[0]}/"
            robust["loo_changes"] = robust["loo_changes"].str.replace(prefix, "exchange ")
        table = table.merge(
            robust[["feature", "loo_same", "loo_runs", "loo_changes"]], on="feature"
        )
        per_turn = _compare_turns(comparison, features, seed, weighted=False)(turns)
        table["per_turn_estimate"] = table["feature"].map(per_turn.set_index("feature")["estimate"])
        table = table.merge(_count_models(turns, comparison, features), on="feature", how="left")
        frames.append(table.assign(comparison=comparison))
    findings = pd.concat(frames, ignore_index=True)
    findings["family"] = findings["feature"].map(lambda f: families[f][0])
    findings["measure"] = findings["feature"].map(lambda f: families[f][1])
    return findings[FINDINGS_COLUMNS]


def describe_findings(findings: pd.DataFrame) -> list[str]:
    """One sentence per row of :func:`findings_table`: the comparison, then the row in the words
    of :func:`discourse.stats.describe`, then whether the verdict survives leaving out each
    exchange."""
    labels = dict(zip(findings["feature"], findings["measure"], strict=True))
    sentences = stats.describe(findings, labels=labels)
    lines = []
    for sentence, row in zip(sentences, findings.itertuples(index=False), strict=True):
        if row.loo_same == row.loo_runs:
            robust = f"Same verdict without any one exchange ({row.loo_runs} runs)."
        else:
            robust = f"Verdict without one exchange: {row.loo_changes}."
        lines.append(f"[{row.comparison}] {sentence} {robust}")
    return lines


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
    decided = findings["verdict"].isin([stats.SUPPORTED, stats.TENTATIVE])
    for row in findings[decided].itertuples(index=False):
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
    ``comparison``, ``measure``, ``estimate``, ``ci_low``, ``ci_high``, ``n_a``, ``n_b`` and
    ``verdict``.
    """
    spread = {f: table[f].astype(float).std(ddof=1) for f in features}
    scale = findings["feature"].map(spread)
    scaled = findings.assign(
        estimate=findings["estimate"] / scale,
        ci_low=findings["ci_low"] / scale,
        ci_high=findings["ci_high"] / scale,
        measure=findings["feature"].map(lambda f: families[f][1]),
    )
    columns = ["comparison", "measure", "estimate", "ci_low", "ci_high", "n_a", "n_b", "verdict"]
    return scaled[columns]


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
