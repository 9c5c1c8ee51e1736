"""Synthetic corpora of any size, resampled from a real one, for timing the measures at scale.

A corpus ``factor`` times the size of the seed is made of ``factor`` new interviews per seed
interview. Each new interview keeps its seed interview's layout (its exchanges, their parts, and
how many question and answer paragraphs each has and how many sentences each of those has) and
fills it with the seed's own sentences in a random order: the sentences of the seed's questions
are permuted over the sentence places of its question paragraphs, and those of its answers over
the places of its answer paragraphs. Every word of the seed's questions and answers therefore
appears exactly ``factor`` times, so the corpus has exactly ``factor`` times the seed's question
and answer words.

Sentences rather than whole paragraphs are permuted because many interview paragraphs hold one
or two sentences: drawn whole, three in four paragraphs of a 100x corpus would repeat a text
already seen, and caches keyed on whole texts (sentence segmentation) would make the large corpus
look cheaper than a real one of that size. Permuting sentences makes almost every paragraph a
text that occurs nowhere else. The vocabulary stays the seed's, so caches keyed on single words
(syllable counts) do gain more than they would on a real corpus of the same length.

Synthetic interviews are clearly marked: their slate is ``synthetic-scale-<factor>``, their
``doc_id`` is ``synthetic-scale-<factor>-<number>`` and their title says they are synthetic.
They exist only in memory, are never written into ``corpus/``, and are only ever timed, never
analysed: the pairing of questions and answers, the order of sentences and the slate are
invented.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from discourse.corpus import DOCUMENT_COLUMNS, PARAGRAPH_COLUMNS, Corpus, exchange_table
from discourse.text import sentence_table

__all__ = ["SYNTHETIC_PREFIX", "is_synthetic", "synthetic_corpus", "synthetic_slate"]

SYNTHETIC_PREFIX = "synthetic-scale-"
"""Start of the slate and ``doc_id`` of every synthetic interview."""

_ROLES = ("question", "answer")


def synthetic_slate(factor: int) -> str:
    """The slate of the synthetic interviews of a ``factor``-times corpus."""
    return f"{SYNTHETIC_PREFIX}{factor}"


def is_synthetic(frame: pd.DataFrame) -> pd.Series:
    """True for the rows of a corpus table (paragraphs, exchanges, documents) that are synthetic.

    A row is synthetic when its ``doc_id`` or its ``slate`` starts with :data:`SYNTHETIC_PREFIX`.
    """
    marked = pd.Series(False, index=frame.index)
    for column in ("doc_id", "slate"):
        if column in frame.columns:
            marked |= frame[column].astype(str).str.startswith(SYNTHETIC_PREFIX)
    return marked


class _Layout:
    """One seed interview's question and answer paragraphs as sentence places to refill."""

    def __init__(self, paragraphs: pd.DataFrame, sentences: list[list[str]]) -> None:
        self.paragraphs = paragraphs.reset_index(drop=True)
        self.places: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for role in _ROLES:
            slots = np.flatnonzero(self.paragraphs["role"].to_numpy() == role)
            pool = np.array([s for slot in slots for s in sentences[slot]], dtype=object)
            ends = np.cumsum([len(sentences[slot]) for slot in slots], dtype=np.int64)
            self.places[role] = (slots, pool, ends)

    def refill(self, rng: np.random.Generator) -> pd.DataFrame:
        """A copy of the paragraphs with each role's sentences permuted over its places."""
        interview = self.paragraphs.copy()
        texts = interview["text"].to_numpy(dtype=object)
        for role in _ROLES:
            slots, pool, ends = self.places[role]
            drawn = pool[rng.permutation(len(pool))]
            starts = np.concatenate(([0], ends[:-1])).astype(np.int64)
            for slot, start, end in zip(slots, starts, ends, strict=True):
                texts[slot] = " ".join(drawn[start:end])
        interview["text"] = pd.Series(texts, dtype=object).astype(str)
        return interview


def synthetic_corpus(seed_corpus: Corpus, factor: int, seed: int = 0) -> Corpus:
    """A corpus with ``factor`` times the question and answer words of ``seed_corpus``.

    Parameters
    ----------
    seed_corpus : Corpus
        The real corpus to resample (its question and answer paragraphs are used; titles,
        headings, footnotes and other paragraphs are left out).
    factor : int
        Number of synthetic interviews made from each seed interview.
    seed : int, default 0
        Seed of the permutations: the same seed and factor give the same corpus.

    Returns
    -------
    Corpus
        Paragraphs, exchanges and documents tables with the columns of the real ones, one
        interview after another. The ``i``-th synthetic interview has ``doc_id``
        ``synthetic-scale-<factor>-<i>`` (numbered from 1, zero-padded) and slate
        ``synthetic-scale-<factor>``; its paragraphs hold normalised sentences
        (:func:`discourse.text.sentence_table`) joined by single spaces; paragraph offsets and
        source lines are missing (there is no raw text) and footnotes are empty.

    Raises
    ------
    ValueError
        If ``factor`` is not a positive integer or the seed corpus has no questions or answers.
    """
    if isinstance(factor, bool) or not isinstance(factor, int) or factor < 1:
        raise ValueError(f"factor must be a positive integer, got {factor!r}")
    paragraphs = seed_corpus.paragraphs
    qa = paragraphs[paragraphs["role"].isin(_ROLES)].reset_index(drop=True)
    if qa.empty:
        raise ValueError("the seed corpus has no question or answer paragraphs")
    table = sentence_table(pd.Series(qa["text"].to_list(), dtype=object))
    sentences: list[list[str]] = [[] for _ in range(len(qa))]
    for unit, sentence in zip(table["unit"].to_numpy(), table["sentence"], strict=True):
        sentences[int(unit)].append(sentence)
    rng = np.random.default_rng([seed, factor])
    slate = synthetic_slate(factor)
    seed_docs = list(dict.fromkeys(qa["doc_id"]))
    width = len(str(factor * len(seed_docs)))
    tables, titles = [], {}
    for doc_id in seed_docs:
        rows = np.flatnonzero(qa["doc_id"].to_numpy() == doc_id)
        layout = _Layout(qa.iloc[rows], [sentences[row] for row in rows])
        for _ in range(factor):
            synthetic_id = f"{slate}-{len(titles) + 1:0{width}d}"
            interview = layout.refill(rng)
            interview["doc_id"] = synthetic_id
            interview["slate"] = slate
            tables.append(interview)
            titles[synthetic_id] = (
                f"Synthetic interview {len(titles) + 1} ({factor}x scale corpus, resampled from "
                f"{doc_id}; for timing only, not for findings)"
            )
    synthetic = pd.concat(tables, ignore_index=True)
    synthetic["para_id"] = synthetic.groupby("doc_id").cumcount().astype("int64") + 1
    for column in ("line", "start", "end", "footnote_no"):
        synthetic[column] = pd.array([pd.NA] * len(synthetic), dtype="Int64")
    synthetic["footnotes"] = ""
    synthetic = synthetic[PARAGRAPH_COLUMNS]
    documents = pd.DataFrame(
        {
            "doc_id": list(titles),
            "slate": slate,
            "title": list(titles.values()),
            "publication": "synthetic",
            "interviewer": "synthetic",
            "date": "",
            "url": "",
            "interviewer_label": "",
            "respondent_labels": "",
        },
        columns=DOCUMENT_COLUMNS,
    )
    return Corpus(synthetic, exchange_table(synthetic), documents)
