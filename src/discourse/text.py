"""The one text normalisation, sentence segmentation and word tokenisation every measure shares.

Published text carries typography that silently breaks the measuring libraries: textstat deletes
the curly apostrophe, so ``we’re`` is read as ``were`` and ``don’t`` as ``dont`` (a word missing
from its pronouncing dictionary and from the Dale-Chall easy-word list); VADER's negation rules only
know the straight ``don't``; a dash glued between two words (``freedom—and``) makes one long word;
and a missing space after a full stop (``campaign.On``) hides a sentence boundary. Every measure in
this package therefore reads text through :func:`normalise` first, cuts it into sentences with
:func:`sentences` (spaCy's rule-based sentencizer on a blank English pipeline: no model download)
and into words with :func:`words`.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["normalise", "opening", "sentence_table", "sentences", "words"]

# Invisible characters that are not spaces: zero-width space / (non-)joiner, word joiner, byte
# order mark, soft hyphen, Mongolian vowel separator. Dropped: "cam\u00adpaign" is one word.
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
_TYPOGRAPHY = (
    ("\u2018", "'"),  # left single quotation mark
    ("\u2019", "'"),  # right single quotation mark, the usual curly apostrophe
    ("\u201a", "'"),  # single low-9 quotation mark
    ("\u201b", "'"),  # single high-reversed-9 quotation mark
    ("\u2032", "'"),  # prime
    ("\u02bc", "'"),  # modifier letter apostrophe
    ("\u00b4", "'"),  # acute accent typed as an apostrophe
    ("\u201c", '"'),  # left double quotation mark
    ("\u201d", '"'),  # right double quotation mark
    ("\u201e", '"'),  # double low-9 quotation mark
    ("\u201f", '"'),  # double high-reversed-9 quotation mark
    ("\u2033", '"'),  # double prime
    ("\u00ab", '"'),  # left guillemet
    ("\u00bb", '"'),  # right guillemet
    ("\u2010", "-"),  # hyphen
    ("\u2011", "-"),  # non-breaking hyphen
    ("\u2026", "..."),  # horizontal ellipsis
)
# Figure dash, en dash, em dash, horizontal bar, minus sign: always punctuation between words.
_DASHES = "\u2012\u2013\u2014\u2015\u2212"
_DASH_RUN = re.compile(rf"[-{_DASHES}]+")
# A run of stops glued to a following capitalised word: "campaign.On", "why?Because".
_GLUED_STOP = re.compile(r"[.?!]+[\"')\]]*(?=[A-Z][a-z])")
_CLOSERS = "\"')]"


def _dash(match: re.Match[str]) -> str:
    """Replacement for a run of hyphens and dashes: `` - `` when it is punctuation.

    A run containing a dash proper (``freedom—and``, ``well -–whether``), a spaced run of one
    to three hyphens (``now - the``, ``now -- the``) and a double or triple hyphen glued between
    words (``now--the``) are punctuation; a single hyphen inside or at the edge of a word
    (``anti-racist``, ``pro- and anti-``, ``-5``) is kept, and a minus sign before a number
    becomes a hyphen-minus (``\u22125`` -> ``-5``).
    """
    run = match.group()
    text, (start, end) = match.string, match.span()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if run == "\u2212" and after.isdigit() and not _is_word_char(before):
        return "-"  # a minus sign: "\u22125" is "-5"
    if run.strip("-"):
        return " - "
    if len(run) <= 3 and before.isspace() and after.isspace():
        return " - "
    if 2 <= len(run) <= 3 and _is_word_char(before) and _is_word_char(after):
        return " - "
    return run


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _is_lower_or_digit(char: str) -> bool:
    return char.islower() or char.isdigit()


def _glued_stop(match: re.Match[str]) -> str:
    """Replacement for a stop glued to a capitalised word: the stop and a space, when the stop
    follows two lower-case letters or digits, or one and a closing quote or bracket
    (``campaign.On``, ``2022.The``, ``'vibes'.On``); otherwise unchanged, so ``e.g.``, ``U.S.``,
    ``17.00`` and ``Ph.D`` are left alone."""
    text, start = match.string, match.start()
    if start >= 2 and _is_lower_or_digit(text[start - 2]):
        previous = text[start - 1]
        if _is_lower_or_digit(previous) or previous in _CLOSERS:
            return match.group() + " "
    return match.group()


# A word: an abbreviation written with full stops between single letters ("e.g.", "U.S.", "p.m."),
# or a run of letters or digits joined by inner apostrophes or hyphens ("don't", "anti-racist"),
# or by a decimal point or thousands comma between digits ("17.00", "10,000").
_WORD = re.compile(
    r"[^\W\d_](?:\.[^\W\d_])+\.?"
    r"|[^\W_]+(?:(?:['\-]|(?<=\d)[.,](?=\d))[^\W_]+)*"
)


def normalise(text: str) -> str:
    """Return ``text`` with typography made safe for the measuring libraries.

    Parameters
    ----------
    text : str
        Text as published.

    Returns
    -------
    str
        The text with these changes, in this order:

        * invisible characters (zero-width space and joiners, word joiner, byte order mark, soft
          hyphen) are dropped;
        * curly single and double quotes, primes, guillemets and the modifier-letter apostrophe
          become straight ``'`` and ``"``; Unicode hyphens become ``-``; the ellipsis character
          becomes ``...``;
        * a dash used as punctuation (em, en, figure dash, horizontal bar, minus sign, spaced
          hyphen, double hyphen), glued or spaced, becomes a spaced hyphen `` - ``;
        * a full stop, question or exclamation mark glued to a following capitalised word gets
          its space (``campaign.On`` -> ``campaign. On``), but abbreviations (``e.g.``, ``U.S.``)
          and decimals (``17.00``) are untouched;
        * every run of whitespace, including no-break and other Unicode spaces, becomes one
          space, and the ends are stripped.

        Words are unchanged: hyphenated compounds (``anti-racist``) stay whole.

    Raises
    ------
    TypeError
        If ``text`` is not a string (missing values are the caller's to handle).
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    text = _INVISIBLE.sub("", text)
    for typographic, plain in _TYPOGRAPHY:
        if typographic in text:
            text = text.replace(typographic, plain)
    text = _DASH_RUN.sub(_dash, text)
    text = _GLUED_STOP.sub(_glued_stop, text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _sentencizer():
    """A blank English spaCy pipeline with the rule-based sentencizer, built once."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000
    return nlp


@lru_cache(maxsize=1)
def _sentence_marks() -> np.ndarray:
    """Code points of the characters after which the sentencizer may end a sentence (its
    ``punct_chars``: ``.``, ``?``, ``!`` and their counterparts in other scripts, one character
    each)."""
    marks = _sentencizer().get_pipe("sentencizer").punct_chars
    return np.array(sorted(ord(mark) for mark in marks), dtype=np.uint32)


def _sentence_spans(docs: list, texts: list[str]) -> list[list[tuple[int, int]]]:
    """Character spans ``[start, end)`` of the sentences spaCy's sentencizer finds in each doc.

    The docs are only tokenised; ``texts`` are their texts (read instead of ``doc.text``, which
    spaCy rebuilds token by token on every access). The rule is that of
    ``Sentencizer.predict`` (spaCy 3): a doc's first token starts a sentence, and so does every
    token that is neither punctuation nor a sentence mark and comes after a sentence mark with
    no such token in between; a sentence runs to the end of the token before the next start
    (``Doc.sents``). It is computed here for all docs at once from their token arrays, instead
    of running the pipe on each doc and building a ``Span`` per sentence, which took most of
    the segmentation time; the spans are the same as the pipe gives.
    """
    from spacy.attrs import IDX, IS_PUNCT, LENGTH

    sizes = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    if not sizes.sum():
        return [[] for _ in docs]
    tokens = np.concatenate([doc.to_array([IS_PUNCT, IDX, LENGTH]) for doc in docs if len(doc)])
    is_punct, idx, length = tokens.astype(np.int64).T
    owner = np.repeat(np.arange(len(docs)), sizes)
    first = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    # The character each one-character token is, read from all texts joined end to end.
    text_starts = np.concatenate(([0], np.cumsum([len(text) for text in texts])[:-1]))
    code_points = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)
    single = np.flatnonzero(length == 1)
    is_mark = np.zeros(len(tokens), dtype=bool)
    is_mark[single] = np.isin(
        code_points[text_starts[owner[single]] + idx[single]], _sentence_marks()
    )
    marks_so_far = np.cumsum(is_mark)
    # Marks before each doc's first token, so that a doc never sees another doc's marks.
    marks_before_doc = (marks_so_far - is_mark)[np.minimum(first, len(tokens) - 1)]
    wordlike = np.flatnonzero((is_punct == 0) & ~is_mark)
    previous = np.zeros(len(wordlike), dtype=np.int64)
    previous[1:] = marks_so_far[wordlike[:-1]]
    new_doc = np.ones(len(wordlike), dtype=bool)
    new_doc[1:] = owner[wordlike[1:]] != owner[wordlike[:-1]]
    previous[new_doc] = marks_before_doc[owner[wordlike[new_doc]]]
    starts = np.union1d(first[sizes > 0], wordlike[marks_so_far[wordlike] > previous])
    ends = np.concatenate((starts[1:], [len(tokens)])) - 1
    begin_chars = idx[starts].tolist()
    end_chars = (idx[ends] + length[ends]).tolist()
    spans: list[list[tuple[int, int]]] = [[] for _ in docs]
    for doc_no, begin, end in zip(owner[starts].tolist(), begin_chars, end_chars, strict=True):
        spans[doc_no].append((begin, end))
    return spans


def _joined_sentences(text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """The sentences of ``text`` cut at ``spans``, joining fragments that start in lower case.

    The sentencizer ends a sentence at every ``.``, ``?`` or ``!``, so a quoted question
    (``"Why?" she asked.``) or an exclamation in brackets (``a (hopefully!) large slate``)
    would be cut in two. A piece starting with a lower-case letter continues the sentence
    before it and is joined back, keeping the text between them as it was.
    """
    found = []
    start = end = None
    for start_char, end_char in spans:
        piece = text[start_char:end_char].lstrip()
        if not piece:
            continue
        if start is not None and piece[0].islower():
            end = end_char
            continue
        if start is not None:
            found.append(text[start:end].strip())
        start, end = start_char, end_char
    if start is not None:
        found.append(text[start:end].strip())
    return tuple(found)


def _doc_sentences(doc) -> Iterator[str]:
    """Yield the sentences of a tokenised spaCy ``doc`` (:func:`_sentence_spans`,
    :func:`_joined_sentences`)."""
    text = doc.text
    yield from _joined_sentences(text, _sentence_spans([doc], [text])[0])


# Segmentation is the slow step (spaCy's tokenizer), and several measures segment the same texts:
# the sentences of the most recently seen normalised texts are kept, least recently used first out.
# Texts not yet seen are tokenised and cut in batches of this many.
_SPLIT_CACHE_SIZE = 65_536
_SPLIT_BATCH = 1_024
_split_cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_split_lock = threading.Lock()


def _split(clean: list[str]) -> list[tuple[str, ...]]:
    """The sentences of every normalised text in ``clean``: cached ones are looked up, the rest
    (each distinct text once) are tokenised and cut by :func:`_doc_sentences`."""
    result: list[tuple[str, ...] | None] = [None] * len(clean)
    missing: dict[str, list[int]] = {}
    with _split_lock:
        for i, text in enumerate(clean):
            if not text:
                result[i] = ()
            elif text in _split_cache:
                _split_cache.move_to_end(text)
                result[i] = _split_cache[text]
            else:
                missing.setdefault(text, []).append(i)
    if missing:
        make_doc, texts = _sentencizer().make_doc, list(missing)
        found = {}
        for begin in range(0, len(texts), _SPLIT_BATCH):
            batch = texts[begin : begin + _SPLIT_BATCH]
            for text, spans in zip(
                batch, _sentence_spans(list(map(make_doc, batch)), batch), strict=True
            ):
                found[text] = _joined_sentences(text, spans)
        with _split_lock:
            for text, value in found.items():
                for i in missing[text]:
                    result[i] = value
                _split_cache[text] = value
            while len(_split_cache) > _SPLIT_CACHE_SIZE:
                _split_cache.popitem(last=False)
    return result  # type: ignore[return-value]


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences after :func:`normalise`.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        The normalised sentences in order; empty text gives an empty list.

    Notes
    -----
    Boundaries are spaCy's rule-based sentencizer (a sentence ends at ``.``, ``?``, ``!`` and
    similar marks, including any closing quotes), on spaCy's English tokenizer, whose exceptions
    keep common abbreviations such as ``Mr.``, ``Dr.``, ``e.g.`` and ``i.e.`` whole. A piece that
    starts with a lower-case letter is joined to the sentence before it (see
    :func:`_doc_sentences`). A sentence that really ends with an abbreviation (``... the U.S.
    They ...``) is not split: the full stop belongs to the abbreviation.
    """
    return list(_split([normalise(text)])[0])


def sentence_table(texts: pd.Series | Iterable[str]) -> pd.DataFrame:
    """One row per sentence of every text, segmented exactly as :func:`sentences` does.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        Texts; missing values and non-strings count as empty text (no sentences).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit`` (the input's index label; position for a plain iterable),
        ``sentence_no`` (0-based within the unit) and ``sentence`` (normalised). Texts are
        segmented in one batch, each distinct text once, and the sentences of recently
        segmented texts are remembered, so measures that segment the same texts pay for it once.
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    clean = [normalise(t) if isinstance(t, str) else "" for t in series]
    positions, numbers, rows = [], [], []
    for position, split in enumerate(_split(clean)):
        positions.extend([position] * len(split))
        numbers.extend(range(len(split)))
        rows.extend(split)
    return pd.DataFrame(
        {
            "unit": series.index.take(np.asarray(positions, dtype=np.intp)),
            "sentence_no": np.asarray(numbers, dtype=np.int64),
            "sentence": pd.Series(rows, dtype=object),
        }
    )


def words(text: str) -> list[str]:
    """The word tokens of ``text`` after :func:`normalise`, in order and case as written.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        Runs of letters (any script) or digits, keeping inner apostrophes and hyphens
        (``don't``, ``anti-racist``), decimal points and thousands commas between digits
        (``17.00``, ``10,000``), and abbreviations written with full stops between single
        letters (``e.g.``, ``U.S.``) as one word each; punctuation is not a word. This matches
        textstat's word count, which deletes punctuation inside a word rather than splitting at it.
    """
    return _WORD.findall(normalise(text))


_PIECES = re.compile(r"\w+|\W+")


def source_sentence(sentence: str, text: str) -> str:
    """The stretch of ``text`` that :func:`discourse.text.normalise` turned into ``sentence``.

    Normalising straightens quotes, spaces dashes and collapses whitespace, so a sentence of
    :func:`discourse.text.sentence_table` may differ from the source in its punctuation. The
    words of ``sentence`` are searched for in ``text`` in order, with any run of punctuation and
    space between them, so that a quotation can be given exactly as printed. ``sentence`` itself
    is returned when no such stretch is found.
    """
    pieces = _PIECES.findall(sentence)
    parts = []
    for number, piece in enumerate(pieces):
        if re.match(r"\w", piece):
            parts.append(re.escape(piece))
        elif number in (0, len(pieces) - 1):
            parts.append(r"[^\w\s]*")
        else:
            parts.append(r"\W+")
    found = re.search("".join(parts), text) if parts else None
    return found.group() if found else sentence


def opening(text: str, n_words: int = 8) -> str:
    """The first ``n_words`` words of ``text`` quoted exactly as printed, then " …" when the
    text goes on.

    The words are counted in the normalised text (as :func:`normalise` splits it at
    whitespace) and mapped back to the characters of ``text`` with :func:`source_sentence`, so
    that curly quotes, apostrophes and dashes stay as the source prints them (“You’ve”, never
    "You've"). Raises ValueError for a negative ``n_words``.
    """
    if n_words < 0:
        raise ValueError(f"n_words must be zero or more: {n_words!r}")
    tokens = normalise(text).split()
    if not tokens or n_words == 0:
        return "…" if tokens else ""
    quoted = source_sentence(" ".join(tokens[:n_words]), text)
    return f"{quoted} …" if len(tokens) > n_words else quoted
