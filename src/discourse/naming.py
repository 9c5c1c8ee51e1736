"""Which words of a sentence name rather than evaluate, so that a sentiment lexicon skips them.

A valence lexicon scores words out of context: VADER rates *party* +1.7 for its festive sense
and AFINN *leadership* +1, so that every sentence about a political party or a leadership gets a
bonus, and *Stop the War* or *Community Wealth Building* are scored as *stop*, *war* and
*wealth*. In political text these words name organisations, campaigns, programmes, offices and
sides. :func:`name_spans` finds them by five rules, each a reason a reader would give:

``proper noun``
    A run of capitalised words inside a sentence (``Stop the War``, ``Leader of the
    Opposition's Office``), with ``of``, ``the``, ``and``, ``for``, ``in``, ``on``, ``to`` and
    ``de`` allowed between two capitalised words. The first word of a sentence, or of a quotation
    or a clause after a colon, is capitalised by convention, so it is never masked itself: a run
    starting there masks its words after the first (*With Central Park* masks *Central Park*;
    *Stop the War* opening a sentence keeps *Stop*). *I* is never a name.
``acronym``
    A word of two or more capitals (``NCG``, ``GLU``) whose lower-case form no lexicon scores
    (so that ``GREAT``, written for emphasis, is kept).
``quoted term``
    One to four words between double quotes, or between single quotes that are not apostrophes
    (``'natural justice'``): a term mentioned, not the speaker's own evaluation (the use-mention
    distinction; Quine 1940, section 4). Longer quotations are reported speech and are scored.
    Two single quotes (``''``) count as a double quote, as older typesetting writes it.
``actor``
    A match of the study's actor dictionary (:func:`discourse.sentiment.load_actors`), when one
    is given.
``naming word``
    A word of the data file ``sentiment_naming_words.csv`` (:func:`naming_words`), each listed
    with its reason.

:func:`mask` replaces every word of those spans by a placeholder that no lexicon scores, one
placeholder per word, so that the rules of VADER that look a few words back (negation,
intensifiers, *but*) see the same positions as before: *not* still flips what follows it.

References
----------
Quine, W. V. O. (1940). *Mathematical Logic*. Harvard University Press.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache

import pandas as pd

from discourse.resources import DATA
from discourse.text import _WORD, normalise

__all__ = ["PLACEHOLDER", "SPAN_KINDS", "mask", "name_spans", "naming_words"]

PLACEHOLDER = "xx"
"""What :func:`mask` writes for each masked word: a word of two letters that neither VADER's,
AFINN's nor the General Inquirer's lexicon contains (tested), so it scores nothing and, being
longer than one letter, VADER keeps it as a word and the positions of its rules do not shift."""

SPAN_KINDS = ("proper noun", "acronym", "quoted term", "actor", "naming word")
"""The rules of :func:`name_spans`, in the order they are reported."""

_CONNECTORS = frozenset({"of", "the", "and", "for", "in", "on", "to", "de"})
_QUOTED = re.compile(r'"([^"]+)"|\'\'(.+?)\'\'|(?<![\w\'])\'([^\']+)\'(?![\w\'])')
_OPENERS = re.compile(r"(?:^|[\"(:\u2014`]|''|\s-)\s*$")


@lru_cache(maxsize=1)
def naming_words() -> pd.DataFrame:
    """The words that name rather than evaluate in political text, each with its reason.

    Read from the package's ``sentiment_naming_words.csv`` (its first line gives its source):
    columns ``word`` (lower case) and ``reason``.
    """
    source = (DATA / "sentiment_naming_words.csv").read_text(encoding="utf-8")
    body = source.split("\n", 1)[1]
    rows = list(csv.DictReader(io.StringIO(body)))
    return pd.DataFrame(rows, columns=["word", "reason"], dtype=object)


@lru_cache(maxsize=1)
def _naming_set() -> frozenset[str]:
    return frozenset(naming_words()["word"])


@lru_cache(maxsize=1)
def _scored_words() -> frozenset[str]:
    """Every word some lexicon of :mod:`discourse.sentiment` scores (for the acronym rule)."""
    from discourse import sentiment

    return frozenset(sentiment.lexicon_words())


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and word != "I" and not word.startswith("I'")


def _opens_clause(sentence: str, start: int) -> bool:
    """Whether a word at ``start`` begins the sentence, a quotation or a clause after a colon,
    an opening bracket or a dash: places where a capital says nothing about a name."""
    return bool(_OPENERS.search(sentence[:start]))


def _proper_nouns(sentence: str, tokens: list[re.Match]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if not _is_capitalised(tokens[i].group()) or tokens[i].group().isupper():
            i += 1
            continue
        run = [i]
        j = i + 1
        while j < len(tokens):
            word = tokens[j].group()
            gap = sentence[tokens[j - 1].end() : tokens[j].start()]
            if gap.strip() not in ("", "'s", "-"):
                break
            if _is_capitalised(word) and not word.isupper():
                run.append(j)
                j += 1
                continue
            k = j
            while k < len(tokens) and tokens[k].group() in _CONNECTORS:
                k += 1
            if k > j and k < len(tokens) and _is_capitalised(tokens[k].group()):
                run.append(k)
                j = k + 1
                continue
            break
        if not _opens_clause(sentence, tokens[i].start()):
            spans.append((tokens[run[0]].start(), tokens[run[-1]].end()))
        elif len(run) >= 2:
            # At an opening the first word is capitalised by convention: the run after it names.
            spans.append((tokens[run[1]].start(), tokens[run[-1]].end()))
        i = run[-1] + 1
    return spans


def _spans(sentence: str, actors: pd.DataFrame | None) -> list[tuple[int, int, str]]:
    """The spans of :func:`name_spans` of a normalised sentence, as ``(start, end, kind)``."""
    tokens = list(_WORD.finditer(sentence))
    found = [(s, e, "proper noun") for s, e in _proper_nouns(sentence, tokens)]
    scored = _scored_words()
    found += [
        (t.start(), t.end(), "acronym")
        for t in tokens
        if len(t.group()) > 1 and t.group().isupper() and t.group().lower() not in scored
    ]
    for match in _QUOTED.finditer(sentence):
        group = next(n for n in (1, 2, 3) if match.group(n) is not None)
        if 1 <= len(_WORD.findall(match.group(group))) <= 4:
            found.append((match.start(group), match.end(group), "quoted term"))
    if actors is not None:
        from discourse.sentiment import actor_patterns

        for pattern in actor_patterns(actors).values():
            found += [(m.start(), m.end(), "actor") for m in pattern.finditer(sentence)]
    naming = _naming_set()
    found += [(t.start(), t.end(), "naming word") for t in tokens if t.group().lower() in naming]
    rank = {kind: number for number, kind in enumerate(SPAN_KINDS)}
    found.sort(key=lambda span: (span[0], rank[span[2]], span[1]))
    return found


def name_spans(sentence: str, actors: pd.DataFrame | None = None) -> pd.DataFrame:
    """The stretches of one sentence that name rather than evaluate (module docstring).

    Parameters
    ----------
    sentence : str
        One sentence; it is normalised first (:func:`discourse.text.normalise`), as every
        sentence of :func:`discourse.text.sentence_table` already is.
    actors : pandas.DataFrame, optional
        An actor dictionary (columns ``actor``, ``pattern``) whose matches are names too.

    Returns
    -------
    pandas.DataFrame
        One row per span, by start: ``start``, ``end`` (character offsets in the normalised
        sentence), ``text`` and ``kind`` (one of :data:`SPAN_KINDS`). Spans of different rules
        may overlap; :func:`mask` masks their union.
    """
    sentence = normalise(sentence)
    return pd.DataFrame(
        [(s, e, sentence[s:e], kind) for s, e, kind in _spans(sentence, actors)],
        columns=["start", "end", "text", "kind"],
    ).astype({"start": "int64", "end": "int64", "text": object, "kind": object})


def mask(sentence: str, actors: pd.DataFrame | None = None) -> str:
    """``sentence`` (normalised) with every word inside a span of :func:`name_spans` replaced
    by :data:`PLACEHOLDER`; punctuation, spacing and every other word are kept as they are."""
    sentence = normalise(sentence)
    spans = _spans(sentence, actors)
    if not spans:
        return sentence
    covered = [False] * len(sentence)
    for start, end, _ in spans:
        covered[start:end] = [True] * (end - start)
    pieces, last = [], 0
    for token in _WORD.finditer(sentence):
        if covered[token.start()]:
            pieces.append(sentence[last : token.start()])
            pieces.append(PLACEHOLDER)
            last = token.end()
    pieces.append(sentence[last:])
    return "".join(pieces)
