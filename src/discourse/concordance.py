"""Keyword in context: every sentence using a term, and a few sentences per term for reading a
ranking, quoted as printed in the source.

Sentences come from :func:`discourse.text.sentence_table` (the normalised text); a sentence is
mapped back to the characters of its source with :func:`discourse.text.source_sentence`, so a
quotation keeps the source's typography.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from discourse.text import normalise, sentence_table, source_sentence

__all__ = ["kwic", "kwic_examples"]


def _term_pattern(term: str) -> re.Pattern[str]:
    """Case-insensitive pattern for ``term`` as whole words; a phrase allows any spacing.

    Word boundaries follow :func:`discourse.text.words`: a match may not continue a word through
    a letter, a digit, or an inner apostrophe or hyphen (``racist`` does not match inside
    ``anti-racist``, ``don`` not inside ``don't``).
    """
    tokens = normalise(term).split()
    if not tokens:
        raise ValueError("term must contain at least one word")
    body = r"\s+".join(re.escape(token) for token in tokens)
    return re.compile(rf"(?<![^\W_])(?<![^\W_]['\-]){body}(?![^\W_])(?!['\-][^\W_])", re.I)


def kwic(
    texts: pd.Series | Iterable[str],
    term: str,
    *,
    window: int | None = None,
    context: bool = False,
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` in the sentences of ``texts``.

    Sentences come from :func:`discourse.text.sentence_table` (normalised text). Matching is
    case-insensitive on whole words; a multi-word ``term`` matches as a phrase.

    Parameters
    ----------
    texts : Series or iterable of str
        The texts; the Series index labels the units.
    term : str
        A word or phrase.
    window : int, optional
        Keep at most this many characters of ``left`` and ``right``.
    context : bool
        Add the ``previous`` and ``next`` sentence of the same unit ("" at the unit's edges),
        so that quotations can be read in context.

    Returns
    -------
    DataFrame
        One row per occurrence: ``unit``, ``sentence_no``, ``sentence``, ``match`` (as written),
        ``start``, ``end`` (character offsets in ``sentence``), ``left``, ``right`` (sentence text
        before and after the match), and with ``context`` also ``previous`` and ``next``.
    """
    pattern = _term_pattern(term)
    table = sentence_table(texts)
    columns = ["unit", "sentence_no", "sentence", "match", "start", "end", "left", "right"]
    if context:
        # Rows are in text order and sentence_no restarts at 0 for every text, so the row before
        # (after) holds the previous (next) sentence of the same text unless sentence_no says
        # a new text starts.
        starts = table["sentence_no"] == 0
        table["previous"] = table["sentence"].shift(1).where(~starts, "").fillna("")
        table["next"] = table["sentence"].shift(-1).where(~starts.shift(-1, fill_value=True), "")
        columns += ["previous", "next"]
    rows = []
    for record in table.itertuples(index=False):
        for match in pattern.finditer(record.sentence):
            left = record.sentence[: match.start()].rstrip()
            right = record.sentence[match.end() :].lstrip()
            if window is not None:
                left, right = (left[-window:] if window else ""), right[:window]
            row = {
                "unit": record.unit,
                "sentence_no": record.sentence_no,
                "sentence": record.sentence,
                "match": match.group(),
                "start": match.start(),
                "end": match.end(),
                "left": left,
                "right": right,
            }
            if context:
                row["previous"], row["next"] = record.previous, record.next
            rows.append(row)
    result = pd.DataFrame(rows, columns=columns)
    return result.astype({"sentence_no": np.int64, "start": np.int64, "end": np.int64})


def kwic_examples(
    texts: pd.Series | Iterable[str],
    terms: Iterable[str],
    *,
    per_term: int = 2,
    distinct_units: bool = True,
) -> pd.DataFrame:
    """A few sentences showing each of several terms in use, for reading a keyness table.

    For every term, the first ``per_term`` occurrences found by :func:`kwic`, in text order;
    with ``distinct_units`` at most one per unit (e.g. per exchange, when ``texts`` is indexed
    by exchange), so that the examples do not all come from one answer. Taking the first
    occurrences rather than hand-picked ones keeps the choice reproducible and neutral.

    Returns
    -------
    DataFrame
        One row per example: ``term``, ``unit``, ``sentence_no``, ``match``, ``sentence`` (as
        printed in the source, by :func:`discourse.text.source_sentence`, when the units are
        unique; else as normalised), and
        ``occurrences`` (all occurrences of the term in ``texts``). A term that does not occur
        gets no row.
    """
    if per_term < 1:
        raise ValueError(f"per_term must be at least 1, got {per_term}")
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    columns = ["term", "unit", "sentence_no", "match", "sentence", "occurrences"]
    frames = []
    for term in terms:
        hits = kwic(series, term)
        chosen = hits.drop_duplicates("unit") if distinct_units else hits
        chosen = chosen.head(per_term).assign(term=term, occurrences=len(hits))
        if series.index.is_unique:
            chosen["sentence"] = [
                source_sentence(s, series[u])
                for s, u in zip(chosen["sentence"], chosen["unit"], strict=True)
            ]
        frames.append(chosen)
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
