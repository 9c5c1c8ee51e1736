"""The one text normalisation, sentence segmentation and word tokenisation that every measure shares.

Published text carries typography that silently breaks the measuring libraries: textstat reads the
curly apostrophe in ``we’re`` as a word break (``we`` + ``re``), VADER's negation rules only know
the straight ``don't``, a dash glued between two words (``freedom—and``) makes one long word, and
a missing space after a full stop (``campaign.On``) hides a sentence boundary. Every measure in
this package therefore reads text through :func:`normalise` first, and cuts it into sentences with
:func:`sentences` (spaCy's rule-based sentencizer on a blank English pipeline: no model download).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2009\u200a\t\r\n\f\v ]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2026": "...",
    }
)
# Em dash, en dash, horizontal bar and minus sign used as punctuation, glued or spaced.
_DASH = re.compile(r"\s*[\u2014\u2013\u2015\u2212]+\s*|\s+-{1,2}\s+|(?<=\w)--(?=\w)")
# A sentence end glued to the next sentence: "campaign.On", "why?Because", "now!The".
_GLUED_STOP = re.compile(r"(?<=[a-z]{2})([.?!])(?=[A-Z][a-z])")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*")


def normalise(text: str) -> str:
    """Return ``text`` with typography made safe for the measuring libraries.

    Curly quotes and apostrophes become straight ones, dashes used as punctuation become a
    spaced hyphen (`` - ``), a full stop, question or exclamation mark glued to the next sentence
    gets its space, non-breaking and other unusual spaces become plain spaces, zero-width
    characters are dropped, and runs of whitespace collapse to one space. Words are unchanged:
    hyphenated compounds (``anti-racist``) stay whole.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    text = _ZERO_WIDTH.sub("", text).translate(_QUOTES)
    text = _DASH.sub(" - ", text)
    text = _GLUED_STOP.sub(r"\1 ", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000
    return nlp


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences after :func:`normalise`; empty text gives no sentences."""
    clean = normalise(text)
    if not clean:
        return []
    return [s.text.strip() for s in _sentencizer()(clean).sents if s.text.strip()]


def sentence_table(texts: pd.Series | Iterable[str]) -> pd.DataFrame:
    """One row per sentence of every text: ``unit`` (the input's index label), ``sentence_no``
    (0-based within the unit) and ``sentence`` (normalised).

    Texts are segmented in one batch, which is much faster than one call per text.
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    clean = [normalise(t) if isinstance(t, str) else "" for t in series]
    units, numbers, rows = [], [], []
    for label, doc in zip(series.index, _sentencizer().pipe(clean, batch_size=256), strict=True):
        number = 0
        for sent in doc.sents:
            value = sent.text.strip()
            if value:
                units.append(label)
                numbers.append(number)
                rows.append(value)
                number += 1
    return pd.DataFrame({"unit": units, "sentence_no": numbers, "sentence": rows})


def words(text: str) -> list[str]:
    """The word tokens of ``text`` after :func:`normalise`, in order and case as written.

    A word is a run of letters or digits, with inner apostrophes and hyphens kept
    (``don't``, ``anti-racist``); punctuation is not a word.
    """
    return _WORD.findall(normalise(text))
