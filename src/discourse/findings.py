"""The findings: the study's measures on one set of units, side by side, and every comparison.

The findings notebook needs every family of measures (readability, sentiment, stance, emphasis)
on the same unit, so that they can be compared with one another and tested together. The unit is
the turn: one question or one answer of an exchange, one row of
:func:`discourse.units.turn_table`, whose keys pair the turns (``exchange_id`` an exchange's
answer with its question, ``question_key`` the answers of different slates to one question).
Measures are put on one scale by standardising each against all turns of the corpus (z-scores),
which makes a profile figure readable without hiding the raw values, which stay in the table.

:func:`findings_table` runs every comparison the corpus supports on every measure: answers
against their questions (always), answers in one part against answers in the other (when the
study names two parts that both occur), and slate against slate (with two or more slates, by
:func:`discourse.units.compare_slates`, paired by shared question and pooled), each with the
inference of :mod:`discourse.stats` and its sensitivity to leaving out each exchange.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from discourse import readability as readability_
from discourse import rhetoric as rhetoric_
from discourse import sentiment as sentiment_
from discourse import stats, units
from discourse.readability import readability
from discourse.rhetoric import CATEGORIES, rhetoric_rates
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


def compared_parts(turns: pd.DataFrame, parts: Iterable[str] = ()) -> tuple[str, ...]:
    """``parts`` (two part names, group a first) when both occur among the answers of ``turns``;
    otherwise ``()``, and the parts are not compared (:func:`describe_parts` says why)."""
    parts = tuple(parts)
    present = set(turns.loc[turns["turn"] == "answer", "part"])
    return parts if len(parts) == 2 and set(parts) <= present else ()


def describe_parts(turns: pd.DataFrame, parts: Iterable[str] = ()) -> str:
    """One sentence: whether answers in the two ``parts`` are compared, on how many exchanges,
    or why not (no two parts named, or a named part without answers)."""
    parts = tuple(parts)
    answers = turns[turns["turn"] == "answer"]
    present = sorted(p for p in set(answers["part"]) if p)
    found = ", ".join(repr(p) for p in present) if present else "none (no part headings)"
    if len(parts) != 2:
        return f"Parts not compared: the study names no two parts to compare (parts: {found})."
    missing = [p for p in parts if p not in present]
    if missing:
        named = " and ".join(repr(p) for p in missing)
        return f"Parts not compared: no answer is in part {named} (parts in the data: {found})."
    a, b = ((answers["part"] == p).sum() for p in parts)
    return (
        f"Answers in part {parts[0]!r} ({a} exchanges) against part {parts[1]!r} ({b} exchanges)."
    )


def profile_groups(turns: pd.DataFrame, parts: Iterable[str] = ()) -> pd.Series:
    """The group of every turn in the rhetorical profile, named by its own values.

    Questions are ``"questions"`` (every interviewer's, pooled). Answers are named by their
    slate when the corpus has several slates, so that each slate is one group; with one slate,
    by their part (``"<part> answers"``) when :func:`compared_parts` finds both ``parts``, else
    by the slate. A categorical Series aligned to ``turns``: questions first, then parts in the
    order of ``parts`` (others after them), or slates in order of first appearance.
    """
    answers = turns["turn"] == "answer"
    slates = list(pd.unique(turns.loc[answers, "slate"]))
    chosen = compared_parts(turns, parts)
    if len(slates) == 1 and chosen:
        names = turns["part"].map(lambda p: f"{p} answers" if p else "answers")
        others = [n for n in pd.unique(names[answers]) if n not in {f"{p} answers" for p in chosen}]
        order = [f"{p} answers" for p in chosen] + others
    else:
        names = turns["slate"].astype(str)
        order = [str(s) for s in slates]
    group = names.where(answers, "questions").astype(object)
    return pd.Series(pd.Categorical(group, categories=["questions", *order]), index=turns.index)


def turn_measures(exchanges: pd.DataFrame, parts: Iterable[str] = ()) -> pd.DataFrame:
    """One row per turn (each exchange's question, then its answer) with every profile measure.

    Returns the columns of :func:`discourse.units.turn_table` (its keys ``exchange_id`` and
    ``question_key`` as the corpus gives them, ``label`` for figures, the turn's ``text``), the
    turn's ``words`` and ``sentences`` as :func:`discourse.rhetoric.rhetoric_rates` counts them,
    the :data:`FEATURES` columns, and ``group``, the turn's group in the profile
    (:func:`profile_groups` with ``parts``).
    """
    turns = units.turn_table(exchanges)
    texts = turns["text"]
    rates = rhetoric_rates(texts)[["words", "sentences", *CATEGORIES, "questions_per_sentence"]]
    read = readability(texts)[["words_per_sentence", "syllables_per_word", "long_word_share"]]
    vader = vader_sentiment(texts)[["mean_compound", "share_negative"]]
    afinn = afinn_sentiment(texts)[["afinn_per_word"]]
    table = pd.concat([turns, rates, read, vader, afinn], axis=1)
    table["group"] = profile_groups(table, parts)
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

#: The name of the comparison of every exchange's answer with its question.
ANSWERS_VS_QUESTIONS = "answers minus questions"

FORMAT_FORCED = ("first_person_plural", "second_person", "questions_per_sentence")
"""The measures whose difference between answers and questions the interview format forces:
an interviewer asks (question sentences) and addresses the interviewee (*you*); a slate answers
and speaks for itself (*we*). A difference in them is a property of the genre, not a finding
about how a slate argues."""


def parts_comparison(part_a: str, part_b: str) -> str:
    """The name of the comparison of the answers in two parts: ``"<a> minus <b> answers"``."""
    return f"{part_a} minus {part_b} answers"


def slates_comparison(slate_a: str, slate_b: str, design: str) -> str:
    """The name of one slate comparison: ``"<a> minus <b>, <design>"``, the design one of
    :data:`discourse.units.PAIRED` and :data:`discourse.units.POOLED`."""
    return f"{slate_a} minus {slate_b}, {design}"


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


Compare = Callable[[pd.DataFrame, "Mapping[str, str] | None"], pd.DataFrame]
CountModel = Callable[[pd.DataFrame, str, str], dict]


@dataclass(frozen=True)
class _Comparisons:
    """Comparisons of the findings made by one test call on the same turns: ``compare`` maps
    turns and weights to a :mod:`discourse.stats` table with ``comparison`` and
    ``slate_design`` columns (one slate pair gives both of its designs at once); ``count``
    maps counted turns, a ``slate_design`` and a feature to a
    :func:`discourse.stats.count_model` result."""

    turns: pd.DataFrame
    compare: Compare
    count: CountModel


def _answers_vs_questions(turns: pd.DataFrame, features: list[str], seed: int) -> _Comparisons:
    def compare(turns: pd.DataFrame, weights: Mapping[str, str] | None) -> pd.DataFrame:
        table = stats.compare_paired(
            turns,
            features,
            group="turn",
            pair="exchange_id",
            group_a="answer",
            group_b="question",
            weights=weights,
            seed=seed,
        )
        return table.assign(comparison=ANSWERS_VS_QUESTIONS, slate_design="")

    def count(counted: pd.DataFrame, design: str, feature: str) -> dict:
        return stats.count_model(
            counted,
            f"{feature}_count",
            EXPOSURE[feature],
            "turn",
            "answer",
            "question",
            cluster="exchange_id",
            pair="exchange_id",
        )

    return _Comparisons(turns, compare, count)


def _parts(answers: pd.DataFrame, features: list[str], parts: tuple[str, ...], seed: int):
    part_a, part_b = parts
    name = parts_comparison(part_a, part_b)

    def compare(answers: pd.DataFrame, weights: Mapping[str, str] | None) -> pd.DataFrame:
        if not set(parts) <= set(answers["part"]):  # a part left out entirely: nothing to test
            table = pd.DataFrame(columns=stats.COLUMNS)
        else:
            table = stats.compare_groups(
                answers,
                features,
                group="part",
                unit="exchange_id",
                weights=weights,
                reference=part_b,
                seed=seed,
            )
        return table.assign(comparison=name, slate_design="")

    def count(counted: pd.DataFrame, design: str, feature: str) -> dict:
        return stats.count_model(
            counted,
            f"{feature}_count",
            EXPOSURE[feature],
            "part",
            part_a,
            part_b,
            cluster="exchange_id",
        )

    return _Comparisons(answers[answers["part"].isin(parts)], compare, count)


def _slates(answers: pd.DataFrame, features: list[str], slates: tuple[str, str], seed: int):
    slate_a, slate_b = slates

    def compare(answers: pd.DataFrame, weights: Mapping[str, str] | None) -> pd.DataFrame:
        table = units.compare_slates(answers, features, weights=weights, seed=seed)
        names = [slates_comparison(slate_a, slate_b, d) for d in table["slate_design"]]
        return table.assign(comparison=pd.Series(names, index=table.index, dtype=object))

    def count(counted: pd.DataFrame, design: str, feature: str) -> dict:
        paired = design == units.PAIRED
        return stats.count_model(
            counted,
            f"{feature}_count",
            EXPOSURE[feature],
            "slate",
            slate_a,
            slate_b,
            cluster="question_key" if paired else "exchange_id",
            pair="question_key" if paired else None,
        )

    return _Comparisons(answers[answers["slate"].isin(slates)], compare, count)


def _comparisons(
    turns: pd.DataFrame,
    features: list[str],
    parts: tuple[str, ...],
    seed: int,
    answers_vs_questions: bool = True,
) -> list[_Comparisons]:
    """Every comparison the turns support, in the order of the findings table."""
    found = [_answers_vs_questions(turns, features, seed)] if answers_vs_questions else []
    answers = turns[turns["turn"] == "answer"]
    chosen = compared_parts(turns, parts)
    if chosen:
        found.append(_parts(answers, features, chosen, seed))
    slates = stats.group_order(answers["slate"])
    for i, slate_a in enumerate(slates):
        for slate_b in slates[i + 1 :]:
            found.append(_slates(answers, features, (slate_a, slate_b), seed))
    return found


def _keyed(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the comparison in ``feature``, so that the rows of two comparisons of one
    call (a slate pair's two designs) stay apart in :func:`discourse.stats.leave_one_out`."""
    return table.assign(feature=table["comparison"] + _SEPARATOR + table["feature"])


_SEPARATOR = "\n"


FINDINGS_COLUMNS = [
    "comparison",
    "slate_design",
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

_LEFT_OUT = "_left_out"


def findings_table(
    turns: pd.DataFrame,
    features: Iterable[str],
    families: Mapping[str, tuple[str, str]] = FEATURES,
    *,
    parts: Iterable[str] = (),
    seed: int = 0,
    answers_vs_questions: bool = True,
) -> pd.DataFrame:
    """Every feature in every comparison the turns support, with all the inference behind it.

    The comparisons, in this order:

    - :data:`ANSWERS_VS_QUESTIONS`: every exchange's answer against its question, paired by
      ``exchange_id`` (:func:`discourse.stats.compare_paired`);
    - :func:`parts_comparison`: answers in the first of ``parts`` against answers in the
      second, exchanges as units (:func:`discourse.stats.compare_groups`), only when both
      parts occur (:func:`compared_parts`);
    - :func:`slates_comparison`: with two or more slates, every pair of slates on their answers
      by :func:`discourse.units.compare_slates`, once paired by shared question (where the two
      slates answered one) and once pooled over all answers; ``slate_design`` names the design
      (it is ``""`` for the other comparisons).

    Each row holds the comparison with every turn weighed by its exposure (:func:`exposures`;
    ``estimate``, interval, p, q over the comparison's features, verdict and ``min_p``);
    ``per_turn_estimate``, the same difference with every turn weighted equally (descriptive);
    for count measures the reference Poisson model's rate ratio with log exposure as offset
    (``rate_ratio``, ``rr_ci_low``, ``rr_ci_high``, ``rr_p``; errors clustered by exchange, or
    by shared question for slates paired by question); and whether the verdict survives leaving
    out each exchange in turn (``loo_same`` of ``loo_runs``; ``loo_changes`` names the exchanges
    whose omission changes it, with the verdict then found: ``exchange <number>`` when the
    turns come from one interview, else the ``exchange_id``).

    Parameters
    ----------
    turns : DataFrame
        :func:`turn_measures` (with any topic shares joined).
    features : iterable of str
        The measures, all keys of ``families``.
    families : mapping
        ``feature -> (family, label)``.
    parts : iterable of str
        The two parts to compare, group a first (a study's ``parts``); ``()`` for none.
    seed : int
        Seed of every test drawn at random.
    answers_vs_questions : bool, default True
        Whether to include :data:`ANSWERS_VS_QUESTIONS`. The findings of a study leave it out:
        an interviewer asks and addresses, a slate answers and speaks for itself, so the
        direction of several of its contrasts is forced by the genre (:data:`FORMAT_FORCED`),
        and the others compare two kinds of text written for different purposes. They belong
        to a description of what the format does to the text, not to the findings.
    """
    features = list(features)
    one_interview = turns["doc_id"].nunique() <= 1
    left_out = ("exchange " + turns["label"]) if one_interview else turns["exchange_id"]
    turns = turns.assign(**{_LEFT_OUT: left_out.astype(str)})
    weights = exposures(features)
    frames = []
    for comparisons in _comparisons(turns, features, tuple(parts), seed, answers_vs_questions):
        data, compare = comparisons.turns, comparisons.compare
        table = compare(data, weights).reset_index(drop=True)
        robust = stats.leave_one_out(lambda d, c=compare: _keyed(c(d, weights)), data, _LEFT_OUT)
        loo = ["loo_same", "loo_runs", "loo_changes"]
        table[loo] = robust[loo].to_numpy()  # robust keeps the rows of the full table, in order
        per_turn = _keyed(compare(data, None)).set_index("feature")["estimate"]
        table["per_turn_estimate"] = _keyed(table)["feature"].map(per_turn)
        counted = with_counts(data, features)
        models = pd.DataFrame(
            [
                comparisons.count(counted, row.slate_design, row.feature)
                if row.feature in COUNT_SCALE
                else {}
                for row in table.itertuples(index=False)
            ],
            columns=stats.COUNT_MODEL_COLUMNS,
        )
        columns = ["rate_ratio", "rr_ci_low", "rr_ci_high", "rr_p"]
        table[columns] = models[columns].to_numpy(dtype=float)
        frames.append(table)
    if not frames:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    findings = pd.concat(frames, ignore_index=True)
    findings = findings.astype({"loo_same": np.int64, "loo_runs": np.int64})
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


def verdict_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """How many rows of each comparison of :func:`findings_table` got each verdict: comparisons
    in the order of the table, verdicts strongest first (:data:`discourse.stats.VERDICTS`),
    only the verdicts found."""
    counts = findings.groupby(["comparison", "verdict"], sort=False).size().unstack(fill_value=0)
    return counts[[v for v in stats.VERDICTS if v in counts.columns]]


def _side_turns(turns: pd.DataFrame, row, side: str) -> pd.DataFrame:
    """The turns of one compared side of a finding, indexed by ``exchange_id``: the questions
    or the answers; the answers in a part; or a slate's answers (to the questions the other
    slate answered too, when the slates were paired by shared question)."""
    answers = turns[turns["turn"] == "answer"]
    if row.comparison == ANSWERS_VS_QUESTIONS:
        chosen = turns[turns["turn"] == side]
    elif row.slate_design:
        chosen = answers[answers["slate"] == side]
        if row.slate_design == units.PAIRED:
            other = row.group_b if side == row.group_a else row.group_a
            shared = answers.loc[answers["slate"] == other, "question_key"]
            chosen = chosen[chosen["question_key"].isin(set(shared))]
    else:
        chosen = answers[answers["part"] == side]
    return chosen.set_index("exchange_id")


QUOTE_COLUMNS = ["comparison", "measure", "verdict", "side", "doc_id", "exchange", "sentence"]
"""The columns of :func:`quote_findings`."""


def quote_findings(
    findings: pd.DataFrame,
    turns: pd.DataFrame,
    features: Mapping[str, tuple[str, str]] = FEATURES,
) -> pd.DataFrame:
    """One quotation for every supported or tentative finding, from its higher side.

    ``turns`` is :func:`turn_measures` (any table of :func:`discourse.units.turn_table`).
    Returns :data:`QUOTE_COLUMNS`: the finding's ``comparison``, ``measure`` and ``verdict``,
    ``side`` (the group with the higher value), the document (``doc_id``) and ``exchange``
    (its number in that document) of the turn quoted, and ``sentence`` (as printed); findings
    with nothing to quote are left out.
    """
    rows = []
    decided = findings["verdict"].isin([stats.SUPPORTED, stats.TENTATIVE])
    for row in findings[decided].itertuples(index=False):
        side = row.group_a if row.estimate > 0 else row.group_b
        chosen = _side_turns(turns, row, side)
        quoted = evidence(chosen["text"], row.feature, features=features)
        for quote in quoted.itertuples(index=False):
            rows.append(
                {
                    "comparison": row.comparison,
                    "measure": row.measure,
                    "verdict": row.verdict,
                    "side": side,
                    "doc_id": chosen.at[quote.unit, "doc_id"],
                    "exchange": chosen.at[quote.unit, "exchange"],
                    "sentence": quote.sentence,
                }
            )
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def scale_differences(
    findings: pd.DataFrame,
    table: pd.DataFrame,
    features: Iterable[str] = tuple(FEATURES),
    families: Mapping[str, tuple[str, str]] = FEATURES,
    *,
    width: int = 30,
) -> pd.DataFrame:
    """Each finding's estimate and interval divided by its measure's standard deviation.

    The standard deviation (ddof = 1) is taken over every turn in ``table``, as in
    :func:`standardise`, so that differences in different units share one axis. Returns
    ``comparison``, ``sized`` (the comparison with its number of units, for a legend or a
    panel title: the comparison wrapped at ``width`` characters and after each comma, then a line
    ``"(n = <pairs> pairs)"`` for a paired design, else ``"(n = <a> and <b>)"``), ``measure``,
    ``estimate``, ``ci_low``, ``ci_high``, ``n_a``, ``n_b`` and ``verdict``.
    """
    spread = {f: table[f].astype(float).std(ddof=1) for f in features}
    scale = findings["feature"].map(spread)
    first = findings.groupby("comparison", sort=False).first()
    paired = first["design"] == "paired" if "design" in first else pd.Series(False, first.index)
    sizes = {
        name: ",\n".join(textwrap.fill(part, width) for part in name.split(", "))
        + (f"\n(n = {row.n_a} pairs)" if paired[name] else f"\n(n = {row.n_a} and {row.n_b})")
        for name, row in first.iterrows()
    }
    scaled = findings.assign(
        sized=findings["comparison"].map(sizes),
        estimate=findings["estimate"] / scale,
        ci_low=findings["ci_low"] / scale,
        ci_high=findings["ci_high"] / scale,
        measure=findings["feature"].map(lambda f: families[f][1]),
    )
    columns = [
        "comparison",
        "sized",
        "measure",
        "estimate",
        "ci_low",
        "ci_high",
        "n_a",
        "n_b",
        "verdict",
    ]
    return scaled[columns]


def profile(
    turns: pd.DataFrame,
    features: Iterable[str] = tuple(FEATURES),
    families: Mapping[str, tuple[str, str]] = FEATURES,
    *,
    group: str = "group",
    seed: int = 0,
) -> pd.DataFrame:
    """The rhetorical profile: every group's mean z-score of every measure, with its interval.

    Each feature is standardised over all turns (:func:`standardise`), then averaged per
    ``group`` with a descriptive bootstrap interval over turns, each turn weighted equally
    (:func:`discourse.stats.group_intervals`; none below six turns). Returns
    :data:`discourse.stats.INTERVAL_COLUMNS` and ``measure`` (the label of ``families``), rows
    by feature in the order of ``features``, groups in the order of ``turns[group]`` (its
    categories when categorical, as :func:`profile_groups` gives them).
    """
    features = list(features)
    standard = standardise(turns, features)
    intervals = stats.group_intervals(standard, features, group=group, seed=seed)
    return intervals.assign(measure=intervals["feature"].map(lambda f: families[f][1]))


def evidence(
    texts: pd.Series,
    feature: str,
    higher: bool = True,
    n: int = 1,
    features: Mapping[str, tuple[str, str]] = FEATURES,
) -> pd.DataFrame:
    """Sentences from ``texts`` (indexed by unit: exchange_id, say) that show what a measure counts.

    Word-list measures quote the category's most frequent term in use
    (:func:`discourse.rhetoric.examples`); the question share quotes questions; sentiment
    measures quote the sentences with the highest (``higher``) or lowest VADER compound score
    (the most negative for the share of negative sentences). Readability and topic shares describe
    whole turns and get no quotation. Sentences are given as printed in the source; ties go to
    the earlier text. Returns columns ``unit`` (the index label of the text) and ``sentence``.
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
        # a stable sort: ties keep the order of the texts, then of their sentences
        chosen = scored.sort_values("vader_compound", ascending=ascending, kind="mergesort").head(n)
    return pd.DataFrame(
        {
            "unit": chosen["unit"].to_numpy(),
            "sentence": [
                source_sentence(s, texts[u])
                for s, u in zip(chosen["sentence"], chosen["unit"], strict=True)
            ],
        }
    )
