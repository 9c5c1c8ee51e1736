"""Question design: how a question is built, on the four dimensions of Clayman and Heritage.

Conversation analysts of the news interview describe a question not by its topic but by its
design: how much the questioner takes the initiative, how directly the question is put, how
far it asserts an answer, and how far it opposes the respondent (Clayman and Heritage 2002;
Clayman et al. 2006, 2007). This module computes the indicators of those four dimensions from
the wording of each question turn by explicit rules (:func:`question_design`), whose cue phrases
are the data file ``data/question_design_cues.csv`` (:func:`load_cues`), reads a coding of the
same indicators by reading (:func:`load_coded`), and measures the rule's agreement with it
(:func:`design_agreement`).

The rules
---------
A turn is split into sentences by :func:`discourse.text.sentences` (normalised text); a sentence
is *interrogative* when it ends with a question mark (closing quotes or brackets aside). Cue
phrases are matched lower-cased, as whole words.

* ``n_sentences``: the number of sentences.
* ``n_questions``: interrogative sentences, plus each conjoined second question inside one
  (``join`` cues: "..., and why should socialists care about it?").
* ``preface``: a declarative sentence comes before the first interrogative one.
* ``multiple``: ``n_questions`` is more than 1.
* ``self_reference``: an interrogative sentence holds a frame that refers to the questioner's
  wish or the respondent's ability or willingness (``frame`` cues: "Can you tell us", "Could
  you", "Would you say", "I wonder", "What we would like to ask is").
* ``presupposing_preface``: a premise cue (``presupposition``: "given", "in light of",
  "despite"...) in a sentence up to and including the last interrogative one: the question is
  put on a premise stated as settled ("Given this, won't..."). The premise may be its own
  sentence or the opening clause of the question's sentence.
* ``negative_interrogative``: a negative auxiliary (``negative``: "isn't", "doesn't", "won't"...)
  opens a sentence, or opens a clause of an interrogative sentence (after ``:``, ``;``, ``,``,
  a spaced dash, or "but", "and", "so", "or"): "isn't there a contradiction...", "..., but
  doesn't this rely on...". A negative inside a clause ("if it doesn't work") is not one.
* ``accountability``: an interrogative sentence asks the respondent to account for conduct
  (``accountability``: "how can you", "why did you", "why should", "why would", an elliptical
  "why?").
* ``opposed_preface``: a declarative sentence before the last interrogative one holds a
  criticism cue (``criticism``: "critics", "accused", "contradiction", "failed", "lack of",
  "indifference"...).

The four dimension scores are sums of their indicators (booleans as 0 or 1), after Clayman et
al. (2006), who score each dimension by its indicators; accountability, a dimension of its own
there, is counted here as adversarial, and directness has one indicator:

* ``initiative = preface + multiple`` (0-2);
* ``directness = 1 - self_reference`` (0-1; 1 = put directly, without a frame);
* ``assertiveness = presupposing_preface + negative_interrogative`` (0-2);
* ``adversarialness = opposed_preface + accountability`` (0-2).

A turn without an interrogative sentence has no question: ``n_questions`` is 0 and every
indicator is false.

References
----------
Clayman, S. E. and Heritage, J. (2002). *The News Interview: Journalists and Public Figures on
the Air*. Cambridge: Cambridge University Press.
Clayman, S. E., Elliott, M. N., Heritage, J. and McDonald, L. L. (2006). Historical trends in
questioning presidents, 1953-2000. *Presidential Studies Quarterly* 36(4), 561-583.
Clayman, S. E., Heritage, J., Elliott, M. N. and McDonald, L. L. (2007). When does the watchdog
bark? Conditions of aggressive questioning in presidential news conferences. *American
Sociological Review* 72(1), 23-41.
Heritage, J. (2002). The limits of questioning: negative interrogatives and hostile question
content. *Journal of Pragmatics* 34(10-11), 1427-1446.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from discourse import stats
from discourse.files import read_commented_csv
from discourse.resources import DATA
from discourse.text import sentences

__all__ = [
    "BINARY_COMPONENTS",
    "COMPONENTS",
    "DESIGN_COLUMNS",
    "DIMENSIONS",
    "RULES",
    "design_agreement",
    "dimension_scores",
    "load_coded",
    "load_cues",
    "question_design",
]

RULES = ("join", "frame", "presupposition", "negative", "accountability", "criticism")
"""The rule names of the cue file, one per kind of cue phrase."""

BINARY_COMPONENTS = (
    "preface",
    "multiple",
    "self_reference",
    "presupposing_preface",
    "negative_interrogative",
    "accountability",
    "opposed_preface",
)
"""The yes/no indicators of :func:`question_design`."""

COMPONENTS = ("n_sentences", "n_questions", *BINARY_COMPONENTS)
"""Every component of :func:`question_design` before the dimension scores."""

DIMENSIONS = ("initiative", "directness", "assertiveness", "adversarialness")
"""The four dimension scores, each a sum of its indicators."""

DESIGN_COLUMNS = [*COMPONENTS, *DIMENSIONS]
"""The columns of :func:`question_design`."""

_CLOSERS = "\"')]} "
_CLAUSE_START = r"(?:^|[:;,]\s*|\s-\s|\b(?:but|and|so|or)\s+)"


@cache
def _cues(path: Path) -> pd.DataFrame:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("# source:"):
        raise ValueError(f"{path.name} must start with a '# source:' line")
    table = pd.read_csv(io.StringIO(text.split("\n", 1)[1]), dtype=str, keep_default_na=False)
    if list(table.columns) != ["rule", "cue", "source"]:
        raise ValueError(f"{path.name} must have the columns rule, cue, source")
    bad = set(table["rule"]) - set(RULES)
    if bad:
        raise ValueError(f"{path.name}: unknown rule(s) {sorted(bad)}")
    table["cue"] = table["cue"].map(lambda cue: " ".join(cue.lower().split()))
    if table["cue"].eq("").any():
        raise ValueError(f"{path.name}: an empty cue")
    return table


def load_cues(path: str | Path | None = None) -> pd.DataFrame:
    """The cue phrases of the rules: ``rule`` (one of :data:`RULES`), ``cue`` (lower case,
    single spaces) and ``source``, in file order.

    ``path`` defaults to the package's ``data/question_design_cues.csv``, whose first line
    names its source and licence (``# source: ...``). The table is read once per path and
    shared between calls: copy it before changing it.

    Raises
    ------
    ValueError
        If the source line is missing, the columns are not ``rule, cue, source``, a rule is
        unknown or a cue is empty.
    """
    return _cues(Path(path) if path is not None else DATA / "question_design_cues.csv")


def _bounded(cue: str) -> str:
    # A cue is a whole word at each end that is a word character (", and why" may follow
    # "party"; "why?" may end a sentence).
    start = r"(?<!\w)" if re.match(r"\w", cue) else ""
    end = r"(?!\w)" if re.search(r"\w$", cue) else ""
    return start + re.escape(cue) + end


def _phrase(cues: Iterable[str]) -> str:
    # Longer cues first, so that the alternation prefers "how can you justify" to "how can you".
    return "|".join(_bounded(c) for c in sorted(cues, key=len, reverse=True))


@cache
def _patterns(path: Path) -> dict[str, re.Pattern[str]]:
    table = _cues(path)
    by_rule = {rule: table.loc[table["rule"].eq(rule), "cue"].tolist() for rule in RULES}
    patterns = {
        rule: re.compile(_phrase(cues)) if cues else re.compile(r"(?!)")
        for rule, cues in by_rule.items()
    }
    negative = _phrase(by_rule["negative"]) or r"(?!)"
    patterns["negative_opening"] = re.compile(rf"^[\"'(]*(?:{negative})")
    patterns["negative_clause"] = re.compile(rf"{_CLAUSE_START}(?:{negative})")
    return patterns


def _interrogative(sentence: str) -> bool:
    return sentence.rstrip(_CLOSERS).endswith("?")


def _design(question: str, patterns: dict[str, re.Pattern[str]]) -> dict[str, int | bool]:
    split = sentences(question) if isinstance(question, str) else []
    lower = [s.lower() for s in split]
    asked = [n for n, s in enumerate(split) if _interrogative(s)]
    first, last = (asked[0], asked[-1]) if asked else (0, -1)
    asked_text = [lower[n] for n in asked]
    before_last = [lower[n] for n in range(last) if n not in asked]
    n_questions = len(asked) + sum(len(patterns["join"].findall(s)) for s in asked_text)
    row: dict[str, int | bool] = {
        "n_sentences": len(split),
        "n_questions": n_questions,
        "preface": bool(asked) and first > 0,
        "multiple": n_questions > 1,
        "self_reference": any(patterns["frame"].search(s) for s in asked_text),
        "presupposing_preface": any(
            patterns["presupposition"].search(s) for s in lower[: last + 1]
        ),
        "negative_interrogative": bool(asked)
        and (
            any(patterns["negative_opening"].search(s) for s in lower[: last + 1])
            or any(patterns["negative_clause"].search(s) for s in asked_text)
        ),
        "accountability": any(patterns["accountability"].search(s) for s in asked_text),
        "opposed_preface": any(patterns["criticism"].search(s) for s in before_last),
    }
    return {**row, **_dimensions(row)}


def _dimensions(row) -> dict[str, int]:
    """The four dimension scores of one question from its indicators (a mapping or a row)."""
    return {
        "initiative": int(row["preface"]) + int(row["multiple"]),
        "directness": 1 - int(row["self_reference"]),
        "assertiveness": int(row["presupposing_preface"]) + int(row["negative_interrogative"]),
        "adversarialness": int(row["opposed_preface"]) + int(row["accountability"]),
    }


def dimension_scores(components: pd.DataFrame) -> pd.DataFrame:
    """The :data:`DIMENSIONS` of each row of a table of indicators, by the formulas of
    :func:`question_design`: for a coding by reading (:func:`load_coded`) as for the rules."""
    rows = [_dimensions(row) for _, row in components.iterrows()]
    return pd.DataFrame(rows, index=components.index, columns=list(DIMENSIONS), dtype="int64")


def question_design(
    questions: pd.Series | Iterable[str], cues: str | Path | None = None
) -> pd.DataFrame:
    """The design of each question turn by the rules of the module docstring.

    Parameters
    ----------
    questions : pandas.Series or iterable of str
        Question turns as printed; missing values count as empty text.
    cues : path, optional
        A cue file like ``data/question_design_cues.csv`` (the default).

    Returns
    -------
    pandas.DataFrame
        One row per question, indexed like ``questions`` (by position for a plain iterable),
        with :data:`DESIGN_COLUMNS`: the counts ``n_sentences`` and ``n_questions`` (int), the
        indicators of :data:`BINARY_COMPONENTS` (bool) and the scores of :data:`DIMENSIONS`
        (int): ``initiative = preface + multiple``, ``directness = 1 - self_reference``,
        ``assertiveness = presupposing_preface + negative_interrogative``,
        ``adversarialness = opposed_preface + accountability``.
    """
    series = questions if isinstance(questions, pd.Series) else pd.Series(list(questions))
    path = Path(cues) if cues is not None else DATA / "question_design_cues.csv"
    patterns = _patterns(path)
    rows = [_design(q, patterns) for q in series]
    table = pd.DataFrame(rows, index=series.index, columns=DESIGN_COLUMNS)
    if table.empty:
        return table.astype({c: bool if c in BINARY_COMPONENTS else np.int64 for c in table})
    return table


def load_coded(path: str | Path) -> pd.DataFrame:
    """A question-design coding by reading: the ``#`` lines that open the file (its source and
    coding rules) are skipped, then a CSV with ``exchange``, any of :data:`COMPONENTS` and
    ``note``. Returned indexed by ``exchange`` (int), yes/no columns as bool, counts as int.

    Raises
    ------
    ValueError
        Naming the file, if ``exchange`` or ``note`` is missing, a column is not a component,
        or a yes/no cell is anything else.
    """
    path = Path(path)
    coded = read_commented_csv(path)
    if "exchange" not in coded.columns or "note" not in coded.columns:
        raise ValueError(f"{path.name} needs the columns exchange and note")
    unknown = set(coded.columns) - {"exchange", "note", *COMPONENTS}
    if unknown:
        raise ValueError(f"{path.name}: unknown column(s) {sorted(unknown)}")
    for column in coded.columns:
        if column in BINARY_COMPONENTS:
            bad = ~coded[column].isin(["yes", "no"])
            if bad.any():
                raise ValueError(
                    f"{path.name}: {column} must be yes or no, rows {list(coded.index[bad] + 1)}"
                )
            coded[column] = coded[column].eq("yes")
        elif column != "note":
            coded[column] = coded[column].astype(np.int64)
    return coded.set_index("exchange")


def design_agreement(coded: pd.DataFrame, computed: pd.DataFrame, *, seed: int = 0) -> pd.DataFrame:
    """How far the rules of :func:`question_design` agree with a coding by reading.

    Parameters
    ----------
    coded, computed : pandas.DataFrame
        The reading (:func:`load_coded`) and the rules' output, on the same index (the
        exchange); only the components in both are compared, on the rows in both.
    seed : int
        Seed of the bootstrap of :func:`discourse.stats.agreement`.

    Returns
    -------
    pandas.DataFrame
        One row per component in :data:`COMPONENTS` order: ``component``, ``n`` (questions),
        ``agreement`` (share of questions coded the same), ``kappa`` with its cluster-bootstrap
        interval ``kappa_low``, ``kappa_high`` (each question its own unit), from
        :func:`discourse.stats.agreement` with labels ``[True, False]``, for the yes/no
        components; counts get the share only (kappa missing).
    """
    rows = coded.index.intersection(computed.index)
    records = []
    for component in [c for c in COMPONENTS if c in coded.columns and c in computed.columns]:
        gold = coded.loc[rows, component]
        predicted = computed.loc[rows, component]
        record = {
            "component": component,
            "n": len(rows),
            "agreement": float(np.mean(gold.to_numpy() == predicted.to_numpy())),
            "kappa": np.nan,
            "kappa_low": np.nan,
            "kappa_high": np.nan,
        }
        if component in BINARY_COMPONENTS:
            result = stats.agreement(
                gold.astype(bool).tolist(),
                predicted.astype(bool).tolist(),
                labels=[True, False],
                seed=seed,
            ).set_index("statistic")
            kappa = result.loc["Cohen's kappa"]
            record.update(
                kappa=float(kappa["estimate"]),
                kappa_low=float(kappa["ci_low"]),
                kappa_high=float(kappa["ci_high"]),
            )
        records.append(record)
    return pd.DataFrame(
        records, columns=["component", "n", "agreement", "kappa", "kappa_low", "kappa_high"]
    )
