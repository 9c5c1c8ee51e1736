"""What the package's wrappers cost over calling the libraries they wrap, on the same texts.

The direct side is what a user of the libraries would run to get the same columns without the
package, from texts already normalised (normalisation is the package's own step and counts as
overhead). Caches start cold each time (textstat's per-text and per-word caches and the package's
sentence cache are emptied before every run; the lexicons and dictionaries stay loaded, as in any
session after the first call):

* **Readability.** ``readability(texts, min_smog_sentences=0)`` against: spaCy's sentencizer
  pipe (``nlp.pipe``, the segmenter the package uses) for the sentence count; textstat's eight
  formulas and its sentence, syllable, word and long-word counts (a ``textstatistics`` set to
  ``en_US`` without rounding, as the package sets its own); and lexicalrichness's MTLD and MATTR
  with its own tokenizer. Every text has at least 100 words, so every formula is computed on
  both sides, and the formulas must agree exactly. What the wrapper adds: normalisation, its
  own word tokenisation, joining sentence fragments, and assembling the frame.
* **VADER.** ``vader_sentiment(texts)`` against spaCy's sentencizer pipe and
  ``SentimentIntensityAnalyzer().polarity_scores`` on each sentence it finds, averaged per text.
  What the wrapper adds: normalisation, joining sentence fragments that start in lower case, and
  the per-text means and shares.

Both comparisons are also made against the formulas and VADER alone, with the direct side given
its sentences (and its tokens) for free: that number says what segmentation costs on top of the
library calls, not what the wrapper adds to the libraries.

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


def _sentencizer():
    """spaCy's blank English pipeline with the sentencizer: what the direct side segments with."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def readability_overhead(texts: pd.Series, repeat: int = 3) -> dict[str, object]:
    """Seconds of ``readability`` against the direct library calls (see the module docstring)."""
    from lexicalrichness import LexicalRichness
    from textstat.textstat import textstatistics

    from discourse.readability import FORMULA_COLUMNS, _lexical_richness, _mattr, readability
    from discourse.text import normalise, words

    clean = [normalise(text) for text in texts]
    keep = [i for i, text in enumerate(clean) if len(words(text)) >= MIN_WORDS]
    texts = texts.iloc[keep]
    clean = [clean[i] for i in keep]
    tokens = [[word.lower() for word in words(text)] for text in clean]
    nlp = _sentencizer()
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

    def library_calls(text: str, richness) -> dict[str, float]:
        scores = {name: method(text) for name, method in methods.items()}
        library.sentence_count(text)
        library.avg_syllables_per_word(text)
        library.lexicon_count(text)
        library.long_word_count(text, threshold=6)
        richness.mtld(threshold=0.72)
        _mattr(richness, 50)
        return scores

    def direct() -> dict[str, list[float]]:
        scores: dict[str, list[float]] = {name: [] for name in methods}
        for text, doc in zip(clean, nlp.pipe(clean), strict=True):
            sum(1 for _ in doc.sents)
            for name, value in library_calls(text, LexicalRichness(text)).items():
                scores[name].append(value)
        return scores

    def given_sentences_and_tokens() -> None:
        for text, text_tokens in zip(clean, tokens, strict=True):
            library_calls(text, _lexical_richness(text_tokens))

    def wrapped() -> pd.DataFrame:
        return readability(texts, min_smog_sentences=0)

    clear_caches()
    result = wrapped()
    direct_scores = direct()
    same = all(
        np.array_equal(result[name].to_numpy(), np.asarray(values))
        for name, values in direct_scores.items()
    )
    spacy_counts = np.array([sum(1 for _ in doc.sents) for doc in nlp.pipe(clean)])
    seconds = {"direct": [], "wrapped": [], "given": []}
    for _ in range(repeat):
        seconds["direct"].append(_timed(direct, clear_caches))
        seconds["wrapped"].append(_timed(wrapped, clear_caches))
        seconds["given"].append(_timed(given_sentences_and_tokens, clear_caches))
    direct_s, wrapped_s = min(seconds["direct"]), min(seconds["wrapped"])
    given_s = min(seconds["given"])
    assert set(methods) == set(FORMULA_COLUMNS)
    return {
        "texts": len(texts),
        "words": int(sum(len(t) for t in tokens)),
        "direct_seconds": direct_s,
        "wrapped_seconds": wrapped_s,
        "overhead": wrapped_s / direct_s - 1,
        "same_values": bool(same),
        "same_sentence_count_share": float(np.mean(spacy_counts == result["sentences"])),
        "given_sentences_seconds": given_s,
        "overhead_over_given_sentences": wrapped_s / given_s - 1,
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
    """Seconds of ``vader_sentiment`` against spaCy's sentencizer and ``polarity_scores`` on each
    sentence (see the module docstring)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from discourse.sentiment import vader_sentiment
    from discourse.text import normalise, sentence_table

    clear_caches()
    clean = [normalise(text) for text in texts]
    table = sentence_table(texts)
    sentences = table["sentence"].to_list()
    analyzer = SentimentIntensityAnalyzer()
    nlp = _sentencizer()
    vader_sentiment(pd.Series(["Warm up the analyser."]))

    def direct() -> list[float]:
        means = []
        for doc in nlp.pipe(clean):
            scores = [analyzer.polarity_scores(sent.text)["compound"] for sent in doc.sents]
            means.append(sum(scores) / len(scores) if scores else float("nan"))
        return means

    def given_sentences() -> list[float]:
        return [analyzer.polarity_scores(sentence)["compound"] for sentence in sentences]

    def wrapped() -> pd.DataFrame:
        return vader_sentiment(texts)

    compound = np.asarray(given_sentences())
    per_unit = pd.Series(compound).groupby(table["unit"].to_numpy()).mean()
    wrapped_means = wrapped()["mean_compound"].to_numpy()
    same = np.allclose(wrapped_means, per_unit.to_numpy(), rtol=1e-12)
    direct_means = np.asarray(direct())
    seconds = {"direct": [], "wrapped": [], "given": [], "wrapped_segmented": []}
    for _ in range(repeat):
        seconds["direct"].append(_timed(direct, clear_caches))
        seconds["wrapped"].append(_timed(wrapped, clear_caches))
        seconds["given"].append(_timed(given_sentences, clear_caches))
        sentence_table(texts)  # segmented already: the cache is warm for the next run
        seconds["wrapped_segmented"].append(_timed(wrapped, lambda: None))
    direct_s = min(seconds["direct"])
    wrapped_s = min(seconds["wrapped"])
    given_s = min(seconds["given"])
    segmented_s = min(seconds["wrapped_segmented"])
    return {
        "texts": len(texts),
        "sentences": len(sentences),
        "wrapper_steps_seconds": wrapper_steps(texts, repeat),
        "direct_seconds": direct_s,
        "wrapped_seconds": wrapped_s,
        "overhead": wrapped_s / direct_s - 1,
        "same_mean_share": float(np.mean(np.isclose(wrapped_means, direct_means, rtol=1e-12))),
        "given_sentences_seconds": given_s,
        "overhead_over_given_sentences": wrapped_s / given_s - 1,
        "wrapped_segmented_seconds": segmented_s,
        "overhead_segmented": segmented_s / given_s - 1,
        "same_values": bool(same),
    }
