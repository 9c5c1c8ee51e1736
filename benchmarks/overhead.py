"""What the package's wrappers cost over calling textstat and VADER directly on the same texts.

Like is compared with like, from cold caches each time (textstat's per-text and per-word caches
and the package's sentence cache are emptied before every run; the lexicons and dictionaries stay
loaded, as in any session after the first call):

* **Readability.** ``readability(texts, min_smog_sentences=0)`` against the library calls it
  makes, made directly on texts that are already normalised and tokenised: textstat's eight
  formulas and its sentence, syllable, word and long-word counts (a ``textstatistics`` set to
  ``en_US`` without rounding, as the package sets its own), and lexicalrichness's MTLD and MATTR
  on the lower-cased words. Every text has at least 100 words, so every formula is computed on
  both sides. What the wrapper adds: normalisation, word tokenisation, sentence segmentation
  (for its own ``sentences`` column) and assembling the frame.
* **VADER.** ``vader_sentiment(texts)`` against ``SentimentIntensityAnalyzer().polarity_scores``
  on each of the same sentences, segmented beforehand. What the wrapper adds: normalisation,
  sentence segmentation and the per-text means and shares. The same wrapper with the sentences
  already segmented (as when readability ran first in the same session) is timed as well.

Each side runs ``repeat`` times, alternating, and the minimum is kept. Times are CPU seconds of
this process (``time.process_time``): both sides run on one thread, and CPU time is far less
disturbed than wall-clock time by other work on a shared machine.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

MIN_WORDS = 100


def clear_caches(sentences: bool = True) -> None:
    """Empty textstat's caches and (with ``sentences``) the package's sentence cache."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("textstat") or module is None:
            continue
        for value in vars(module).values():
            if callable(value) and hasattr(value, "cache_clear"):
                value.cache_clear()
    if sentences:
        from discourse import text

        cache = getattr(text, "_split_cache", None)
        if cache is not None:
            cache.clear()


def _timed(function: Callable[[], object], before: Callable[[], None]) -> float:
    """CPU seconds of one call of ``function``, after ``before`` (not timed)."""
    before()
    started = time.process_time()
    function()
    return time.process_time() - started


def readability_overhead(texts: pd.Series, repeat: int = 3) -> dict[str, object]:
    """Seconds of ``readability`` against the direct library calls (see the module docstring)."""
    from textstat.textstat import textstatistics

    from discourse.readability import FORMULA_COLUMNS, _lexical_richness, _mattr, readability
    from discourse.text import normalise, words

    clean = [normalise(text) for text in texts]
    keep = [i for i, text in enumerate(clean) if len(words(text)) >= MIN_WORDS]
    texts = texts.iloc[keep]
    clean = [clean[i] for i in keep]
    tokens = [[word.lower() for word in words(text)] for text in clean]
    library = textstatistics()
    library.set_lang("en_US")
    library.set_rounding_points(None)
    methods = {
        "flesch_reading_ease": library.flesch_reading_ease,
        "flesch_kincaid_grade": library.flesch_kincaid_grade,
        "gunning_fog": library.gunning_fog,
        "smog_index": library.smog_index,
        "coleman_liau_index": library.coleman_liau_index,
        "automated_readability_index": library.automated_readability_index,
        "dale_chall": library.dale_chall_readability_score,
        "linsear_write": library.linsear_write_formula,
    }

    def direct() -> dict[str, list[float]]:
        scores: dict[str, list[float]] = {name: [] for name in methods}
        for text, text_tokens in zip(clean, tokens, strict=True):
            for name, method in methods.items():
                scores[name].append(method(text))
            library.sentence_count(text)
            library.avg_syllables_per_word(text)
            library.lexicon_count(text)
            library.long_word_count(text, threshold=6)
            richness = _lexical_richness(text_tokens)
            richness.mtld(threshold=0.72)
            _mattr(richness, 50)
        return scores

    def wrapped() -> pd.DataFrame:
        return readability(texts, min_smog_sentences=0)

    clear_caches()
    same = all(
        np.array_equal(wrapped()[name].to_numpy(), np.asarray(values))
        for name, values in direct().items()
    )
    seconds = {"direct": [], "wrapped": []}
    for _ in range(repeat):
        seconds["direct"].append(_timed(direct, clear_caches))
        seconds["wrapped"].append(_timed(wrapped, clear_caches))
    direct_s, wrapped_s = min(seconds["direct"]), min(seconds["wrapped"])
    assert set(methods) == set(FORMULA_COLUMNS)
    return {
        "texts": len(texts),
        "words": int(sum(len(t) for t in tokens)),
        "direct_seconds": direct_s,
        "wrapped_seconds": wrapped_s,
        "overhead": wrapped_s / direct_s - 1,
        "same_values": bool(same),
        "wrapper_steps_seconds": wrapper_steps(texts, repeat),
    }


def wrapper_steps(texts: pd.Series, repeat: int = 3) -> dict[str, float]:
    """CPU seconds of the steps the wrappers add, each on its own (minimum of ``repeat``):
    normalising the texts, cutting them into words, and segmenting them into sentences from an
    empty sentence cache."""
    from discourse.text import normalise, sentence_table, words

    steps = {
        "normalise": lambda: [normalise(text) for text in texts],
        "words": lambda: [words(text) for text in texts],
        "sentences": lambda: sentence_table(texts),
    }
    return {
        name: min(_timed(step, clear_caches) for _ in range(repeat)) for name, step in steps.items()
    }


def vader_overhead(texts: pd.Series, repeat: int = 3) -> dict[str, object]:
    """Seconds of ``vader_sentiment`` against ``polarity_scores`` on each of the same sentences."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from discourse.sentiment import vader_sentiment
    from discourse.text import sentence_table

    clear_caches()
    table = sentence_table(texts)
    sentences = table["sentence"].to_list()
    analyzer = SentimentIntensityAnalyzer()
    vader_sentiment(pd.Series(["Warm up the analyser."]))

    def direct() -> list[float]:
        return [analyzer.polarity_scores(sentence)["compound"] for sentence in sentences]

    def wrapped() -> pd.DataFrame:
        return vader_sentiment(texts)

    compound = np.asarray(direct())
    per_unit = pd.Series(compound).groupby(table["unit"].to_numpy()).mean()
    same = np.allclose(wrapped()["mean_compound"].to_numpy(), per_unit.to_numpy(), rtol=1e-12)
    seconds = {"direct": [], "wrapped": [], "wrapped_segmented": []}
    for _ in range(repeat):
        seconds["direct"].append(_timed(direct, clear_caches))
        seconds["wrapped"].append(_timed(wrapped, clear_caches))
        sentence_table(texts)  # segmented already: the cache is warm for the next run
        seconds["wrapped_segmented"].append(_timed(wrapped, lambda: None))
    direct_s = min(seconds["direct"])
    wrapped_s = min(seconds["wrapped"])
    segmented_s = min(seconds["wrapped_segmented"])
    return {
        "texts": len(texts),
        "sentences": len(sentences),
        "wrapper_steps_seconds": wrapper_steps(texts, repeat),
        "direct_seconds": direct_s,
        "wrapped_seconds": wrapped_s,
        "overhead": wrapped_s / direct_s - 1,
        "wrapped_segmented_seconds": segmented_s,
        "overhead_segmented": segmented_s / direct_s - 1,
        "same_values": bool(same),
    }
