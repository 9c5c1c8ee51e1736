"""Field lexicons of moral framing and of arguing, kept as sourced data, with their hits for
checking by reading and the precision of those hits.

Two lexicons ship in ``data/`` (each file's first line names its source and licence):

- the Moral Foundations Dictionary 2.0 (Frimer, Boghrati, Haidt, Graham & Dehghani 2019),
  ``data/mfd2.csv``: 2,103 words and phrases in ten categories, the virtue and the vice of five
  foundations (``care.virtue``, ``care.vice``, ... ``sanctity.vice``), read by
  :func:`load_mfd`;
- the arguing lexicon of Somasundaran, Ruppenhofer & Wiebe (2007, "Detecting arguing and
  sentiment in meetings", SIGdial), ``data/arguing_lexicon.csv``: 219 regular expressions in 17
  categories of arguing (assessments, necessity, emphasis, contrast, possibility, priority, ...),
  read by :func:`load_arguing`.

Matching rules
--------------
Each text is cut into the sentences of :func:`discourse.text.sentence_table` (normalised, so
quotes are straight and dashes spaced) and each sentence is lower-cased; nothing matches across
a sentence boundary. An MFD term matches as whole words: not inside a longer word, nor inside a
hyphenated compound or contraction (``anti-racist`` holds no ``racist``), with any run of white
space between the words of a phrase; within a category the longest term wins. An arguing pattern
matches as given, bounded by non-word characters at both ends (``so`` does not match in
``also``), case-insensitively (the lexicon writes ``I``); within a category the patterns are
tried in the lexicon's order, as one alternation, and matches do not overlap, as in the
authors' single expression per category. Categories are counted independently: a word in two
MFD categories counts in both.

Precision
---------
A lexicon counts every match; its authors meant only the matches that carry the category's
sense. :func:`precision_sample` draws a seeded random sample of each category's hits for coding
by reading, and :func:`precision_table` reads the coded sample back: per category the hits in
the corpus, the number coded and correct, the precision with a cluster-bootstrap interval over
exchanges (:func:`discourse.stats.mean_interval`) and whether the list is usable
(:data:`USABLE_PRECISION`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from discourse import stats
from discourse.files import read_coded_sample
from discourse.resources import DATA
from discourse.text import sentence_table, words

MFD_FILE = "mfd2.csv"
"""The Moral Foundations Dictionary 2.0 in ``data/``: columns ``category``, ``term``."""

ARGUING_FILE = "arguing_lexicon.csv"
"""The arguing lexicon in ``data/``: columns ``category``, ``pattern``."""

MFD_CATEGORIES: tuple[str, ...] = tuple(
    f"{foundation}.{side}"
    for foundation in ("care", "fairness", "loyalty", "authority", "sanctity")
    for side in ("virtue", "vice")
)
"""The ten MFD 2.0 categories, virtue and vice of each foundation, in the dictionary's order."""

ARGUING_CATEGORIES: tuple[str, ...] = (
    "assessments",
    "authority",
    "causation",
    "conditionals",
    "contrast",
    "difficulty",
    "doubt",
    "emphasis",
    "generalization",
    "inconsistency",
    "inyourshoes",
    "necessity",
    "possibility",
    "priority",
    "rhetoricalquestion",
    "structure",
    "wants",
)
"""The 17 categories of the arguing lexicon, in the lexicon's order."""

EXPOSURE = MappingProxyType(dict.fromkeys((*MFD_CATEGORIES, *ARGUING_CATEGORIES), "words"))
"""The exposure column of every rate of :func:`lexicon_rates`: words, for a rate per 1,000
words. Passed as ``weights=`` to a :mod:`discourse.stats` comparison or interval, it makes a
group's rate its total count over its total words (as :data:`discourse.rhetoric.EXPOSURE`)."""

PER_WORDS = 1_000
"""Rates are hits per this many words."""

USABLE_PRECISION = 0.7
"""A list whose coded precision is below this is not used for a finding."""

SAMPLE_SIZE = 50
"""Hits coded per category: this many, drawn at random, or all when there are fewer."""

HIT_COLUMNS = ["unit", "sentence_no", "category", "match", "sentence"]
"""Columns of :func:`lexicon_hits`."""

CODED_COLUMNS = [
    "lexicon",
    "category",
    "exchange",
    "turn",
    "sentence_no",
    "sentence",
    "match",
    "correct",
    "note",
]
"""Columns of a coded precision sample (``corpus/lexicon-precision.csv``); ``correct`` is
``yes`` or ``no``."""

PRECISION_COLUMNS = [
    "lexicon",
    "category",
    "hits",
    "coded",
    "correct",
    "precision",
    "ci_low",
    "ci_high",
    "exchanges",
    "too_few",
    "usable",
]
"""Columns of :func:`precision_table`."""

# A word character, or an apostrophe or hyphen joined to one: what may not touch an MFD term.
_BEFORE_TERM = r"(?<![\w'\-])"
_AFTER_TERM = r"(?![\w]|['\-]\w)"


def _read(path: Path, value: str, categories: tuple[str, ...]) -> pd.DataFrame:
    """Read a lexicon CSV: a ``# source:`` line, a header ``category,<value>``, rows with a
    known category and a non-empty value, no row twice."""
    name = path.name
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
        if not first.startswith("# source:"):
            raise ValueError(f"{name} must start with a '# source:' line")
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    if list(table.columns) != ["category", value]:
        raise ValueError(
            f"{name}: expected columns ['category', '{value}'], got {list(table.columns)}"
        )
    empty = table.index[(table["category"].str.strip() == "") | (table[value].str.strip() == "")]
    if len(empty):
        raise ValueError(f"{name}: empty category or {value} in data row(s) {list(empty + 1)}")
    unknown = sorted(set(table["category"]) - set(categories))
    if unknown:
        raise ValueError(f"{name}: unknown categories {unknown}; expected {categories}")
    duplicated = table.duplicated()
    if duplicated.any():
        raise ValueError(f"{name}: repeated rows {list(table.index[duplicated] + 1)}")
    return table.reset_index(drop=True)


def _read_mfd(path: Path) -> pd.DataFrame:
    table = _read(path, "term", MFD_CATEGORIES)
    bad = ~table["term"].str.fullmatch(r"[a-z]+(?: [a-z]+)*")
    if bad.any():
        raise ValueError(
            f"{path.name}: terms must be lower-case words, got {list(table.loc[bad, 'term'])}"
        )
    return table


def _read_arguing(path: Path) -> pd.DataFrame:
    table = _read(path, "pattern", ARGUING_CATEGORIES)
    for number, pattern in enumerate(table["pattern"], start=1):
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(
                f"{path.name}: data row {number} is not a regular expression: {error}"
            ) from None
    return table


@cache
def _shipped(name: str) -> pd.DataFrame:
    reader = _read_mfd if name == MFD_FILE else _read_arguing
    return reader(Path(DATA) / name)


def load_mfd(path: str | Path | None = None) -> pd.DataFrame:
    """The Moral Foundations Dictionary 2.0, one row per entry: ``category``, ``term``.

    Parameters
    ----------
    path : str or Path, optional
        A file of the same form; by default the shipped ``data/mfd2.csv``.

    Raises
    ------
    ValueError
        If the file lacks its source line, has other columns, an empty cell, a category not in
        :data:`MFD_CATEGORIES`, a repeated row, or a term that is not lower-case words.
    """
    table = _shipped(MFD_FILE) if path is None else _read_mfd(Path(path))
    return table.copy()


def load_arguing(path: str | Path | None = None) -> pd.DataFrame:
    """The arguing lexicon, one row per pattern: ``category``, ``pattern``.

    Parameters
    ----------
    path : str or Path, optional
        A file of the same form; by default the shipped ``data/arguing_lexicon.csv``.

    Raises
    ------
    ValueError
        If the file lacks its source line, has other columns, an empty cell, a category not in
        :data:`ARGUING_CATEGORIES`, a repeated row, or a pattern that does not compile.
    """
    table = _shipped(ARGUING_FILE) if path is None else _read_arguing(Path(path))
    return table.copy()


def _kind(lexicon: pd.DataFrame) -> str:
    if "category" in lexicon.columns and "term" in lexicon.columns:
        return "term"
    if "category" in lexicon.columns and "pattern" in lexicon.columns:
        return "pattern"
    raise ValueError("a lexicon has columns 'category' and 'term' (words) or 'pattern' (regexes)")


def _patterns(lexicon: pd.DataFrame) -> dict[str, re.Pattern[str]]:
    """One compiled expression per category, categories in order of first appearance."""
    kind = _kind(lexicon)
    compiled: dict[str, re.Pattern[str]] = {}
    for category, group in lexicon.groupby("category", sort=False):
        values = list(dict.fromkeys(group[kind]))
        if kind == "term":
            values.sort(key=lambda term: (-len(term), term))
            body = "|".join(r"\s+".join(map(re.escape, term.split())) for term in values)
            compiled[str(category)] = re.compile(rf"{_BEFORE_TERM}(?:{body}){_AFTER_TERM}")
        else:
            body = "|".join(f"(?:{pattern})" for pattern in values)
            compiled[str(category)] = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
    return compiled


def _as_series(texts: pd.Series | Iterable[str]) -> pd.Series:
    if isinstance(texts, pd.Series):
        return texts
    if isinstance(texts, str):
        raise TypeError("expected a sequence of texts, got a single string")
    return pd.Series(list(texts), dtype=object)


def lexicon_hits(texts: pd.Series | Iterable[str], lexicon: pd.DataFrame) -> pd.DataFrame:
    """Every match of every category of ``lexicon`` in ``texts``, for reading and for coding.

    Parameters
    ----------
    texts : Series or iterable of str
        The texts; a missing value is an empty text.
    lexicon : DataFrame
        :func:`load_mfd` (``category``, ``term``) or :func:`load_arguing` (``category``,
        ``pattern``), or a table of the same form.

    Returns
    -------
    DataFrame
        :data:`HIT_COLUMNS`, one row per hit: ``unit`` (the input's index label),
        ``sentence_no`` (of :func:`discourse.text.sentence_table`), ``category``, ``match`` (the
        matched stretch of the lower-cased sentence) and ``sentence`` (normalised, as segmented);
        by unit, sentence, category in the lexicon's order, then position.
    """
    series = _as_series(texts)
    compiled = _patterns(lexicon)
    table = sentence_table(series)
    rows = []
    for unit, number, sentence in table.itertuples(index=False):
        lower = sentence.lower()
        for category, pattern in compiled.items():
            rows.extend(
                (unit, number, category, found.group(), sentence)
                for found in pattern.finditer(lower)
            )
    hits = pd.DataFrame(rows, columns=HIT_COLUMNS)
    return hits.astype({"sentence_no": np.int64, "category": object, "match": object})


def lexicon_counts(texts: pd.Series | Iterable[str], lexicon: pd.DataFrame) -> pd.DataFrame:
    """Hits of every category of ``lexicon`` per text, and its words.

    Returns
    -------
    DataFrame
        Indexed like ``texts``: int64 ``words`` (:func:`discourse.text.words` tokens) and one
        column per category of ``lexicon``, in its order.
    """
    series = _as_series(texts)
    hits = lexicon_hits(series, lexicon)
    categories = list(_patterns(lexicon))
    counts = pd.DataFrame(0, index=series.index, columns=categories, dtype=np.int64)
    if len(hits):
        tally = hits.groupby(["unit", "category"], sort=False).size().unstack(fill_value=0)
        counts.loc[tally.index, tally.columns] = tally.to_numpy(dtype=np.int64)
    n_words = [len(words(t)) if isinstance(t, str) else 0 for t in series]
    counts.insert(0, "words", np.asarray(n_words, dtype=np.int64))
    return counts


def lexicon_rates(texts: pd.Series | Iterable[str], lexicon: pd.DataFrame) -> pd.DataFrame:
    """Hits of every category of ``lexicon`` per 1,000 words of each text.

    Returns
    -------
    DataFrame
        Indexed like ``texts``: ``words`` (the exposure, :data:`EXPOSURE`) and one float column
        per category, hits per 1,000 words (NaN when ``words`` is 0). Compare rates with
        ``weights=EXPOSURE`` so that a group's rate is its hits over its words.
    """
    counts = lexicon_counts(texts, lexicon)
    n_words = counts["words"].where(counts["words"] > 0).astype(float)
    rates = counts[["words"]].copy()
    for category in counts.columns[1:]:
        rates[category] = counts[category] / n_words * PER_WORDS
    return rates


def precision_sample(hits: pd.DataFrame, size: int = SAMPLE_SIZE, seed: int = 0) -> pd.DataFrame:
    """A seeded random sample of ``min(size, all)`` hits of each category, for coding by reading.

    Each category is drawn on its own with a generator seeded with ``seed``, so a category's
    sample does not depend on the others. Rows keep the columns of ``hits`` and come back in
    the order of ``hits``.
    """
    if "category" not in hits.columns:
        raise ValueError("hits lack a 'category' column")
    chosen: list[int] = []
    positions = pd.Series(np.arange(len(hits)), index=hits.index)
    for _, group in positions.groupby(hits["category"].to_numpy(), sort=False):
        rng = np.random.default_rng(seed)
        take = rng.choice(len(group), size=min(size, len(group)), replace=False)
        chosen.extend(group.to_numpy()[take])
    return hits.iloc[sorted(chosen)]


def read_coded(path: str | Path) -> pd.DataFrame:
    """A coded precision sample: :data:`CODED_COLUMNS`, after one ``#`` line or more.

    Raises
    ------
    ValueError
        If a column is missing or a ``correct`` cell is other than ``yes`` or ``no``.
    """
    coded = read_coded_sample(path, CODED_COLUMNS)
    return coded.astype({"exchange": np.int64, "sentence_no": np.int64})


def precision_table(
    coded: pd.DataFrame,
    hits: pd.DataFrame | Mapping[str, pd.DataFrame] | None = None,
    *,
    seed: int = 0,
) -> pd.DataFrame:
    """Precision of each coded list: the share of its sampled hits coded correct.

    Parameters
    ----------
    coded : DataFrame
        :data:`CODED_COLUMNS` (as :func:`read_coded` gives), ``correct`` ``yes`` or ``no``.
    hits : DataFrame or mapping, optional
        The hits the samples were drawn from, to count each list's hits in the corpus: one
        table with ``lexicon`` and ``category`` columns, or a mapping from lexicon name to its
        :func:`lexicon_hits`. Without it ``hits`` is missing.
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        :data:`PRECISION_COLUMNS`, one row per (lexicon, category), MFD categories then arguing
        ones in their lexicon's order (others after, in order of ``coded``):
        ``precision`` is correct / coded, with a 95% cluster-bootstrap percentile interval that
        resamples exchanges (:func:`discourse.stats.mean_interval`; no interval with fewer
        exchanges than :func:`discourse.stats.min_units`: ``too_few``); ``usable`` is
        ``precision >=`` :data:`USABLE_PRECISION`. A list whose every coded hit is correct gets
        the interval [1, 1]: resampling cannot show the uncertainty of a perfect sample, so read
        ``coded`` beside it.
    """
    counts: dict[tuple[str, str], int] = {}
    if hits is not None:
        frames = (
            [h.assign(lexicon=name) for name, h in hits.items()]
            if isinstance(hits, Mapping)
            else [hits]
        )
        for frame in frames:
            for key, n in frame.groupby(["lexicon", "category"], sort=False).size().items():
                counts[(str(key[0]), str(key[1]))] = int(n)
    rows = []
    for (lexicon, category), group in coded.groupby(["lexicon", "category"], sort=False):
        correct = (group["correct"] == "yes").astype(float)
        found = stats.mean_interval(correct, units=group["exchange"], seed=seed)
        rows.append(
            {
                "lexicon": lexicon,
                "category": category,
                "hits": counts.get((str(lexicon), str(category)), np.nan)
                if hits is not None
                else np.nan,
                "coded": len(group),
                "correct": int(correct.sum()),
                "precision": found.estimate,
                "ci_low": found.low,
                "ci_high": found.high,
                "exchanges": found.units,
                "too_few": found.too_few,
                "usable": bool(found.estimate >= USABLE_PRECISION),
            }
        )
    table = pd.DataFrame(rows, columns=PRECISION_COLUMNS)
    order = {category: rank for rank, category in enumerate((*MFD_CATEGORIES, *ARGUING_CATEGORIES))}
    rank = table["category"].map(order).fillna(len(order))
    return table.iloc[np.argsort(rank.to_numpy(), kind="stable")].reset_index(drop=True)
