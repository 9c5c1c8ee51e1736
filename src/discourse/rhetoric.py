"""Rhetorical word classes counted from open, sourced word lists: pronouns, hedges and boosters,
modals, negation, contrast and intensifiers, and the share of questions and exclamations.

Each category is a data file ``data/rhetoric_<category>.txt`` whose first line names its source
(``# source: ...``), further ``#`` lines give the adaptations, and every other line is one term,
lower case. The lists follow:

- pronouns: Biber et al. (1999) *Longman Grammar of Spoken and Written English*, 4.13, and Quirk
  et al. (1985) *A Comprehensive Grammar of the English Language*, 6.2, with contracted forms;
- hedges and boosters: Hyland (2005) *Metadiscourse: Exploring Interaction in Writing*, Appendix;
- modals of obligation and of possibility: Biber et al. (1999), 6.6, and Palmer (2001) *Mood and
  Modality*, 2nd edn;
- negation: Biber et al. (1999), 3.8, and Tottie (1991) *Negation in English Speech and Writing*;
- contrast: Biber et al. (1999), 10.2, and Halliday and Hasan (1976) *Cohesion in English*, 5.4;
- intensifiers: Quirk et al. (1985), 8.104-8.111, and Biber et al. (1999), 7.14.

Matching rules
--------------
Text goes through :func:`discourse.text.normalise`, is lower-cased and cut into
:func:`discourse.text.words` tokens, so a contraction is one token (``don't``, ``can't``,
``we're``) and a hyphenated compound is one token (``anti-racist`` does not contain ``racist``).
A term matches whole tokens only; a multi-word term (``need to``, ``on the other hand``) matches
as a phrase of consecutive tokens and never across punctuation (``we have. To be fair`` holds no
``have to``). Within a category the longest term wins and matches do not overlap, so ``even
though`` counts once, not also as ``though``.

Categories are counted independently and may overlap by design: ``can't`` is a possibility modal
*and* a negation (a negated modal is still a modal: Biber et al. count modals with and without
``not``; and every ``n't`` form is a negation); ``could``, ``may``, ``might``, ``should`` and
``would`` are hedges in Hyland's list as well as modals; ``never`` is a booster and a negation;
``really`` is a booster and an intensifier. Sum categories only where they are disjoint.

Per turn
--------
:func:`turn_rates` gives the rates of every question and every answer of an exchange table, one row
per turn of :func:`discourse.units.turn_table` with its keys (``exchange_id`` pairs the two turns of
an exchange, ``question_key`` the answers of different slates to a shared question), and
:func:`turn_counts` the raw counts of the same turns, for a count model with words as exposure;
:func:`discourse.units.compare_slates` compares slates on these rates. :data:`EXPOSURE` names the
exposure of each rate (words for a rate per 1,000 words, sentences for a share of sentences), to be
passed as the ``weights`` of a :mod:`discourse.stats` comparison, so that a group's rate is its
total count over its total words, not a mean of per-turn rates. :func:`rate_intervals` gives the
rate of a category (or a balance such as *we* less *they*) in each text with a descriptive interval
from resampling its sentences (:func:`discourse.stats.mean_interval`). :func:`examples` quotes
sentences in which a category's most frequent term occurs, as printed in the source;
:func:`describe_differences` words a comparison table's rows from their numbers
(:func:`discourse.stats.describe`).

Context rules
-------------
Hyland coded each occurrence in context; a word list cannot, so the lists leave out items whose
non-rhetorical sense dominates in interview speech (each file says which), and the hedges and
boosters that are ambiguous are counted only in the contexts below (``context_rules=True``, the
default; ``False`` counts every occurrence, as before the rules). A hedge withholds full
commitment to a proposition, a booster expresses certainty and emphasises force (Hyland 2005).
The rules read the tokens of the sentence around a hit and nothing else, so a text's count is
the sum of its sentences' counts; their words are lists in ``data/rhetoric_context_words.txt``
(:func:`load_context_words`), each with its source and reason, written by reading every hit of
the interview this study was built for.

Hedges:

- M1. A modal (could, couldn't, may, might, should, would, wouldn't) in a question is no hedge:
  a question asserts no proposition to withhold commitment from ("why should socialists care?",
  "what do you think could have been done?").
- M2. Nor is a modal in a clause opened by a concessive word such as *whatever* ("whatever one
  may think of it").
- M3. A modal before a word that is itself a hedge is not counted again: "would likely be"
  counts *likely* once.
- M4. A modal before a verb of saying or thinking (``modal_epistemic_verbs``), over
  ``skip_words``, is a hedge: "we would contend", "you could even say", "I should think".
- M5. Otherwise *may* and *might* are hedges (epistemic possibility: "it may be the case that"),
  except *may/might as well* and before ``inquiry_verbs``, over ``skip_words`` ("one might
  ask", "we might also consider"); *could* is a hedge only as "it/this/there could be"
  (epistemic possibility); *would*, *wouldn't* and *should* are not hedges: they state a plan
  ("we would work to build coalitions"), a consequence of a plan or of a counterfactual ("his
  leadership would have been in serious trouble"), or an obligation ("Momentum should be a
  facilitator", counted under obligation), and *could* with an agent is ability or a proposal
  ("momentum groups could mobilise").
- C1. *argue*, *argued*, *argues*, *claim*, *claimed*, *claims* are hedges only right after *I*,
  *we* or a modal other than *can* ("we would argue", with M3 counting it once): reporting
  another's claim ("as you've argued"), an earlier passage ("as we have argued above") and the
  noun ("despite their claims") withhold nothing.
- D1. *doubt* after *no*, *without* or *beyond* is part of a booster, not a hedge.
- P1. *possible* after a frame of extent or condition (``possible_frames``: "as widely as
  possible", "if possible", "the greatest possible number") is not a hedge.

Boosters:

- N1. A booster right after *not* is negated ("often, but not always men"): not a booster.
- K1. A cognitive verb (think, believe, know, realise and their listed forms) is a booster only
  in a declarative sentence whose nearest word before it, over adverbs and auxiliaries
  (``skip_words``: "we all know", "we do think"), is *I* or *we*; not in a question ("what do
  you think?"), not for another subject ("if you believe that"), not negated ("we don't think": a
  negator is no skip word, so a negated cognitive verb is neither booster nor hedge), not as
  an adjective ("known bullies"), and not in *believe in* (a value, not a certainty).
- A1. *clear*, *certain* and *sure* are boosters only predicatively, right after a copula (or
  *it* of "made it clear"), optionally over one degree adverb ("it is increasingly clear", "we
  must be clear"), not attributively ("a clear vision", "certain limits") or in "make sure".
- E1. *establish* and its forms are boosters only before *that*.
- L1. *clearly* after *more*, *less* or *most* is a manner adverb, not a booster.

Every other term counts wherever it occurs. :func:`term_hits` shows which terms produced a
count and :func:`occurrences` quotes each hit's sentence, for checking by reading.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from discourse import stats, units
from discourse.concordance import kwic
from discourse.files import read_coded_sample
from discourse.resources import DATA
from discourse.text import normalise, sentence_table, source_sentence, words

CATEGORIES: tuple[str, ...] = (
    "first_person_singular",
    "first_person_plural",
    "second_person",
    "third_person_singular",
    "third_person_plural",
    "hedges",
    "boosters",
    "obligation",
    "possibility",
    "negation",
    "contrast",
    "intensifiers",
)
"""The rhetorical categories, in the column order of :func:`rhetoric_counts`."""

SENTENCE_SHARES: tuple[str, ...] = ("questions_per_sentence", "exclamations_per_sentence")
"""The sentence-type columns of :func:`rhetoric_rates` (shares of sentences, not word rates)."""

RATE_COLUMNS: tuple[str, ...] = (*CATEGORIES, *SENTENCE_SHARES)
"""Every measure of :func:`rhetoric_rates` apart from the ``words`` and ``sentences`` counts."""

LABELS = MappingProxyType(
    {
        "first_person_singular": "I",
        "first_person_plural": "we",
        "second_person": "you",
        "third_person_singular": "he/she",
        "third_person_plural": "they",
        "hedges": "hedges",
        "boosters": "boosters",
        "obligation": "obligation",
        "possibility": "possibility",
        "negation": "negation",
        "contrast": "contrast",
        "intensifiers": "intensifiers",
        "questions_per_sentence": "questions",
        "exclamations_per_sentence": "exclamations",
    }
)
"""Short names of the :data:`RATE_COLUMNS` for table rows and figure axes."""

EXPOSURE = MappingProxyType(
    {**dict.fromkeys(CATEGORIES, "words"), **dict.fromkeys(SENTENCE_SHARES, "sentences")}
)
"""The exposure column of each of the :data:`RATE_COLUMNS`: ``words`` for a rate per 1,000
words, ``sentences`` for a share of sentences. Passed as ``weights=`` to
:func:`discourse.stats.compare_paired` or :func:`discourse.stats.compare_groups`, it makes a
group's value its total count over its total exposure (a 12-word question weighs 12 words, not
as much as a 900-word answer)."""

TURN_COLUMNS: tuple[str, ...] = tuple(c for c in units.TURN_COLUMNS if c != "text")
"""The identifying columns of :func:`turn_rates`, before ``words``, ``sentences`` and the rates:
those of :func:`discourse.units.turn_table` but its ``text``."""

PER_WORDS = 1_000
"""Rates are occurrences per this many words."""

# Punctuation between two tokens that ends a clause: phrases never match across it. In normalised
# text every dash used as punctuation is a spaced hyphen, so a "-" between tokens is a dash.
_CLAUSE_MARKS = frozenset('.,;:?!()[]{}"-')
# The break tokens of a token stream: a clause break, a sentence end, a question end.
_CLAUSE, _SENTENCE_END, _QUESTION_END = "|", "||", "|?"
_ENDS = re.compile(r"\|\||\|\?|\n")
# Closing quotes and brackets that may follow a sentence's final mark.
_CLOSERS = "\"')]} "


@dataclass(frozen=True)
class Lexicon:
    """One category's word list as read from its data file.

    Attributes
    ----------
    category : str
        The category name (the file is ``rhetoric_<category>.txt``).
    source : str
        The file's source line, without the leading ``# source:``.
    terms : tuple of str
        The terms, lower case, in file order; multi-word terms are single-spaced phrases.
    """

    category: str
    source: str
    terms: tuple[str, ...]


@cache
def load_lexicon(category: str) -> Lexicon:
    """Read the word list of ``category`` from ``data/rhetoric_<category>.txt``.

    Raises
    ------
    ValueError
        If ``category`` is not one of :data:`CATEGORIES`, or the file lacks its source line or
        its terms.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; expected one of {CATEGORIES}")
    path = DATA / f"rhetoric_{category}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith("# source:"):
        raise ValueError(f"{path.name} must start with a '# source:' line")
    source = lines[0].removeprefix("# source:").strip()
    terms: list[str] = []
    for line in lines[1:]:
        term = " ".join(line.strip().lower().split())
        if term and not term.startswith("#") and term not in terms:
            terms.append(term)
    if not terms:
        raise ValueError(f"{path.name} lists no terms")
    return Lexicon(category=category, source=source, terms=tuple(terms))


def lexicon_table() -> pd.DataFrame:
    """Every term of every category: ``category``, ``term``, ``n_words`` and ``source``.

    For documenting the lists in a report, and for checking overlaps between categories.
    """
    rows = [
        (lex.category, term, len(term.split()), lex.source)
        for lex in map(load_lexicon, CATEGORIES)
        for term in lex.terms
    ]
    return pd.DataFrame(rows, columns=["category", "term", "n_words", "source"])


@cache
def _pattern(category: str) -> re.Pattern[str]:
    """One compiled alternation of the category's terms over a space-joined token stream.

    Longer phrases come first so that, at any position, the longest term wins; the look-arounds
    require whole tokens (tokens are separated by single spaces, texts by newlines).
    """
    terms = sorted(load_lexicon(category).terms, key=lambda t: (-len(t.split()), -len(t), t))
    alternatives = "|".join(re.escape(term) for term in terms)
    return re.compile(rf"(?<![^ \n])(?:{alternatives})(?![^ \n])")


def _as_series(texts: pd.Series | Iterable[str]) -> pd.Series:
    if isinstance(texts, pd.Series):
        return texts
    if isinstance(texts, str):
        raise TypeError("expected a sequence of texts, got a single string")
    return pd.Series(list(texts), dtype=object)


def _break(gap: str) -> str | None:
    """The break token for the characters between two tokens, or None for no break: ``|?``
    where a question mark ends a sentence, ``||`` where a full stop or exclamation mark does,
    ``|`` for other clause punctuation."""
    if "?" in gap:
        return _QUESTION_END
    if "." in gap or "!" in gap:
        return _SENTENCE_END
    if gap != " " and not _CLAUSE_MARKS.isdisjoint(gap):
        return _CLAUSE
    return None


def _token_stream(text: object) -> tuple[str, int]:
    """The lower-cased :func:`discourse.text.words` tokens of ``text``, space-joined, with a
    break token wherever punctuation stands between two tokens, and the number of tokens.

    Each token is located in the normalised text in turn, and the characters between it and the
    previous token decide the break: ``||`` after a sentence ending in a full stop or
    exclamation mark, ``|?`` after a question (also after the last token), ``|`` for other
    clause punctuation. No term contains a break token, so phrases never match across one. A
    missing value is an empty text.
    """
    if not isinstance(text, str):
        return "", 0
    clean = normalise(text)
    tokens = words(text)
    parts: list[str] = []
    position = 0
    for token in tokens:
        found = clean.find(token, position)
        if found < 0:  # cannot happen while words() returns pieces of normalise(); stay robust
            parts.append(token)
            continue
        mark = _break(clean[position:found]) if parts else None
        if mark is not None:
            parts.append(mark)
        parts.append(token)
        position = found + len(token)
    if parts and "?" in clean[position:]:
        parts.append(_QUESTION_END)
    return " ".join(parts).lower(), len(tokens)


def _streams(series: pd.Series) -> tuple[str, np.ndarray, np.ndarray]:
    """All texts as one newline-joined stream, the start offset of each text, and word counts."""
    pairs = [_token_stream(text) for text in series]
    streams = [stream for stream, _ in pairs]
    n_words = np.fromiter((n for _, n in pairs), dtype=np.int64, count=len(pairs))
    lengths = np.fromiter(map(len, streams), dtype=np.int64, count=len(streams))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])) if len(streams) else lengths
    return "\n".join(streams), starts, n_words


@cache
def load_context_words() -> MappingProxyType:
    """The word lists of the context rules, from ``data/rhetoric_context_words.txt``.

    Returns
    -------
    mapping of str to frozenset of str
        List name (``modal_hedges``, ``speaker_subjects``, ...) to its lower-case tokens.

    Raises
    ------
    ValueError
        If the file lacks its source line, a word stands before the first ``[name]`` line, or a
        list the rules need is missing or empty.
    """
    path = DATA / "rhetoric_context_words.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith("# source:"):
        raise ValueError(f"{path.name} must start with a '# source:' line")
    lists: dict[str, set[str]] = {}
    name = None
    for line in lines[1:]:
        token = line.strip().lower()
        if not token or token.startswith("#"):
            continue
        if token.startswith("[") and token.endswith("]"):
            name = token[1:-1]
            lists.setdefault(name, set())
        elif name is None:
            raise ValueError(f"{path.name}: {token!r} stands before any [list] line")
        else:
            lists[name].add(token)
    missing = [n for n in _CONTEXT_LISTS if not lists.get(n)]
    if missing:
        raise ValueError(f"{path.name} lacks the lists {missing}")
    return MappingProxyType({n: frozenset(v) for n, v in lists.items()})


_CONTEXT_LISTS: tuple[str, ...] = (
    "modal_hedges",
    "default_hedge_modals",
    "modal_epistemic_verbs",
    "inquiry_verbs",
    "concessive_openers",
    "could_subjects",
    "claim_verbs",
    "speaker_subjects",
    "claim_modals",
    "skip_words",
    "cognitive_boosters",
    "value_prepositions",
    "predicative_boosters",
    "copulas",
    "degree_adverbs",
    "that_boosters",
    "comparatives",
    "booster_negators",
    "doubt_negators",
    "possible_frames",
)


def _clause(before: list[str]) -> list[str]:
    """The tokens of ``before`` after its last clause break."""
    for i in range(len(before) - 1, -1, -1):
        if before[i] == _CLAUSE:
            return before[i + 1 :]
    return before


def _is_hedge(term: str, before: list[str], after: list[str], question: bool) -> bool:
    """Whether a hedge hit counts, by rules M1-M5, C1, D1 and P1 of the module docstring."""
    w = load_context_words()
    previous = before[-1] if before else ""
    following = after[0] if after else ""
    if term in w["modal_hedges"]:
        if question or not w["concessive_openers"].isdisjoint(_clause(before)):
            return False  # M1, M2
        if following in _single_terms("hedges"):
            return False  # M3: the next word carries the count
        verb = next((t for t in after if t not in w["skip_words"]), "")
        if verb in w["modal_epistemic_verbs"]:
            return True  # M4
        if term in w["default_hedge_modals"]:
            return after[:2] != ["as", "well"] and verb not in w["inquiry_verbs"]
        return term == "could" and previous in w["could_subjects"] and following == "be"
    if term in w["claim_verbs"]:
        return previous in w["speaker_subjects"] or previous in w["claim_modals"]  # C1
    if term == "doubt":
        return previous not in w["doubt_negators"]  # D1
    if term == "possible":
        return previous not in w["possible_frames"]  # P1
    return True


def _is_booster(term: str, before: list[str], after: list[str], question: bool) -> bool:
    """Whether a booster hit counts, by rules N1, K1, A1, E1 and L1 of the module docstring."""
    w = load_context_words()
    if before and before[-1] in w["booster_negators"]:
        return False  # N1
    if term in w["cognitive_boosters"]:
        if question or (
            term.startswith("believ") and after[:1] and after[0] in w["value_prepositions"]
        ):
            return False
        for token in reversed(before):
            if token not in w["skip_words"]:
                return token in w["speaker_subjects"]
        return False
    if term in w["predicative_boosters"]:
        i = len(before) - 1
        if i >= 0 and before[i] in w["degree_adverbs"]:
            i -= 1
        return i >= 0 and before[i] in w["copulas"]
    if term in w["that_boosters"]:
        return after[:1] == ["that"]
    if term == "clearly":
        return not before or before[-1] not in w["comparatives"]
    return True


_RULES = MappingProxyType({"hedges": _is_hedge, "boosters": _is_booster})
"""The context rule of each category that has one."""


@cache
def _single_terms(category: str) -> frozenset[str]:
    return frozenset(t for t in load_lexicon(category).terms if " " not in t)


def _matches(stream: str, category: str, context_rules: bool = True) -> list[tuple[int, str]]:
    """Start offset and term of every hit of ``category`` in a token stream that the
    category's context rule (if any, and if ``context_rules``) keeps.

    A rule sees the tokens of the hit's sentence before and after it (break tokens included,
    the sentence end excluded) and whether the sentence is a question.
    """
    found = [(m.start(), m.end(), m.group()) for m in _pattern(category).finditer(stream)]
    rule = _RULES.get(category) if context_rules else None
    if rule is None:
        return [(start, term) for start, _, term in found]
    ends = [(m.start(), m.group()) for m in _ENDS.finditer(stream)]
    offsets = [offset for offset, _ in ends]
    kept = []
    for start, end, term in found:
        if " " in term:  # phrases are unambiguous
            kept.append((start, term))
            continue
        k = bisect_left(offsets, start)
        begin = ends[k - 1][0] + len(ends[k - 1][1]) if k > 0 else 0
        stop, mark = ends[k] if k < len(ends) else (len(stream), "")
        before, after = stream[begin:start].split(), stream[end:stop].split()
        if rule(term, before, after, mark == _QUESTION_END):
            kept.append((start, term))
    return kept


def _category_counts(
    stream: str, starts: np.ndarray, category: str, context_rules: bool = True
) -> np.ndarray:
    matches = _matches(stream, category, context_rules)
    positions = np.fromiter((start for start, _ in matches), np.int64, count=len(matches))
    owner = np.searchsorted(starts, positions, side="right") - 1
    return np.bincount(owner, minlength=len(starts)).astype(np.int64)


def _final_marks(series: pd.Series) -> pd.DataFrame:
    """Per text: number of sentences, of questions and of exclamations.

    A sentence is a question when its last character, ignoring closing quotes and brackets, is
    ``?``, and an exclamation when it is ``!`` (so ``?!`` is an exclamation).
    """
    positional = pd.Series(
        [t if isinstance(t, str) else "" for t in series], index=pd.RangeIndex(len(series))
    )
    table = sentence_table(positional)
    last = table["sentence"].str.rstrip(_CLOSERS).str[-1:]
    marks = pd.DataFrame(
        {
            "unit": table["unit"].to_numpy(dtype=np.int64),
            "sentences": 1,
            "questions": (last == "?").to_numpy(dtype=np.int64),
            "exclamations": (last == "!").to_numpy(dtype=np.int64),
        }
    )
    summed = marks.groupby("unit").sum().reindex(range(len(series)), fill_value=0)
    return summed.astype(np.int64)


def rhetoric_counts(
    texts: pd.Series | Iterable[str], *, context_rules: bool = True
) -> pd.DataFrame:
    """Raw counts of every rhetorical category, sentences, questions and exclamations per text.

    Counts (not rates) let a group's pooled rate be computed as ``sum(count) / sum(words)``
    rather than as a mean of per-text rates, which would weight short texts as heavily as long
    ones.

    Parameters
    ----------
    texts : Series or iterable of str
        The texts; a missing value counts as an empty text.
    context_rules : bool
        Count hedges and boosters by the context rules of the module docstring (the default);
        ``False`` counts every occurrence of their terms.

    Returns
    -------
    DataFrame
        Indexed like ``texts``, int64 columns ``words`` (number of :func:`discourse.text.words`
        tokens), ``sentences`` (:func:`discourse.text.sentence_table`), one column per category of
        :data:`CATEGORIES`, ``questions`` and ``exclamations`` (sentences ending in ``?`` or ``!``).
    """
    series = _as_series(texts)
    stream, starts, n_words = _streams(series)
    marks = _final_marks(series)
    columns: dict[str, np.ndarray] = {"words": n_words, "sentences": marks["sentences"].to_numpy()}
    for category in CATEGORIES:
        columns[category] = _category_counts(stream, starts, category, context_rules)
    columns["questions"] = marks["questions"].to_numpy()
    columns["exclamations"] = marks["exclamations"].to_numpy()
    return pd.DataFrame(columns, index=series.index)


def rhetoric_rates(texts: pd.Series | Iterable[str], *, context_rules: bool = True) -> pd.DataFrame:
    """Rate of every rhetorical category per 1,000 words, and questions and exclamations per
    sentence, for each text.

    Parameters
    ----------
    texts : Series or iterable of str
        The texts; a missing value counts as an empty text.
    context_rules : bool
        As for :func:`rhetoric_counts`.

    Returns
    -------
    DataFrame
        Indexed like ``texts``: ``words`` and ``sentences`` (counts), one float column per
        category of :data:`CATEGORIES` (occurrences per 1,000 words; NaN when ``words`` is 0),
        ``questions_per_sentence`` and ``exclamations_per_sentence`` (NaN when ``sentences`` is 0).
    """
    counts = rhetoric_counts(texts, context_rules=context_rules)
    n_words = counts["words"].where(counts["words"] > 0).astype(float)
    n_sentences = counts["sentences"].where(counts["sentences"] > 0).astype(float)
    rates = counts[["words", "sentences"]].copy()
    for category in CATEGORIES:
        rates[category] = counts[category] / n_words * PER_WORDS
    rates["questions_per_sentence"] = counts["questions"] / n_sentences
    rates["exclamations_per_sentence"] = counts["exclamations"] / n_sentences
    return rates


def term_hits(
    texts: pd.Series | Iterable[str], category: str, *, context_rules: bool = True
) -> pd.DataFrame:
    """Which terms of ``category`` matched in which text, for checking counts by reading.

    ``context_rules`` as for :func:`rhetoric_counts`: with ``False``, every occurrence.

    Returns
    -------
    DataFrame
        One row per (text, term) with at least one match: ``unit`` (the input's index label),
        ``term`` (as listed) and ``count``; texts in input order, terms alphabetical. The counts
        of a text sum to its :func:`rhetoric_counts` value for ``category``.
    """
    series = _as_series(texts)
    load_lexicon(category)  # validates the category name
    stream, starts, _ = _streams(series)
    matches = _matches(stream, category, context_rules)
    if not matches:
        return pd.DataFrame(
            {"unit": series.index[:0], "term": pd.Series(dtype=object), "count": []}
        ).astype({"count": np.int64})
    positions = np.array([p for p, _ in matches], dtype=np.int64)
    owner = np.searchsorted(starts, positions, side="right") - 1
    hits = pd.DataFrame({"position": owner, "term": [t for _, t in matches]})
    grouped = hits.groupby(["position", "term"]).size().rename("count").reset_index()
    grouped.insert(0, "unit", series.index[grouped["position"].to_numpy()])
    return grouped.drop(columns="position").astype({"count": np.int64})


def occurrences(
    texts: pd.Series | Iterable[str], category: str, *, context_rules: bool = True
) -> pd.DataFrame:
    """Every hit of ``category``, one row each, with its sentence as printed, for coding by
    reading (the precision of a list is the share of its hits that a reader codes as correct).

    Sentences are those of :func:`discourse.text.sentence_table`; since the context rules read
    only the hit's sentence, the hits of a text are those :func:`term_hits` counts.

    Parameters
    ----------
    texts : Series or iterable of str
        The texts; a missing value counts as an empty text.
    category : str
        One of :data:`CATEGORIES`.
    context_rules : bool
        As for :func:`rhetoric_counts`.

    Returns
    -------
    DataFrame
        ``unit`` (the input's index label), ``sentence_no`` (0-based within the text), ``term``
        and ``sentence`` (quoted as printed, :func:`source_sentence`), in text order.
    """
    series = _as_series(texts)
    load_lexicon(category)  # validates the category name
    table = sentence_table(pd.Series(list(series), dtype=object))
    stream, starts, _ = _streams(table["sentence"])
    matches = _matches(stream, category, context_rules)
    rows = []
    for start, term in matches:
        row = int(np.searchsorted(starts, start, side="right") - 1)
        position = int(table["unit"].iat[row])
        sentence = source_sentence(table["sentence"].iat[row], series.iat[position])
        rows.append((series.index[position], int(table["sentence_no"].iat[row]), term, sentence))
    result = pd.DataFrame(rows, columns=["unit", "sentence_no", "term", "sentence"])
    return result.astype({"sentence_no": np.int64, "term": object, "sentence": object})


def we_they_share(counts: pd.DataFrame) -> pd.Series:
    """Share of first-person plural among first-person plural and third-person plural pronouns.

    ``we / (we + they)``, from 0 (only *they*) to 1 (only *we*): a bounded alternative to the
    we/they ratio, which is infinite when *they* is absent. NaN where neither occurs.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`rhetoric_counts` (or its column sums, as a one-row frame, for a pooled
        share).
    """
    we = counts["first_person_plural"].astype(float)
    total = we + counts["third_person_plural"].astype(float)
    return (we / total.where(total > 0)).rename("we_they_share")


def _turns(exchanges: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The :data:`TURN_COLUMNS` of every question and answer of an exchange table, from
    :func:`discourse.units.turn_table`, and the text of each turn, both freshly indexed."""
    try:
        table = units.turn_table(exchanges)
    except ValueError as error:
        raise KeyError(str(error)) from None
    return table[list(TURN_COLUMNS)], table["text"]


def turn_rates(exchanges: pd.DataFrame) -> pd.DataFrame:
    """Rates of every category in each turn of an exchange table: its question and its answer.

    The turn (one question or one answer) is the unit of the study's rhetoric comparisons; the
    rows are those of :func:`discourse.units.turn_table`, so the keys come from the exchanges
    table itself. ``exchange_id`` pairs the question and the answer of one exchange (same
    topic, same exchange) for a paired comparison; ``question_key`` pairs the answers of
    different interviews to a shared question (its declared ``question_id``, else its
    normalised words: see :mod:`discourse.corpus`), for
    :func:`discourse.units.compare_slates`. Compare the rates with their :data:`EXPOSURE` as
    weights.

    Parameters
    ----------
    exchanges : DataFrame
        The exchanges table of :mod:`discourse.corpus`: one row per exchange with at least
        ``doc_id``, ``slate``, ``exchange``, ``exchange_id``, ``part``, ``question_key``,
        ``interviewer``, ``question`` and ``answer``.

    Returns
    -------
    DataFrame
        Two rows per exchange, its question then its answer, exchanges in input order, with a
        fresh index: the :data:`TURN_COLUMNS` (``turn`` is ``"question"`` or ``"answer"``,
        ``speaker`` the interviewer or the slate, ``label`` how a figure names the exchange),
        then the columns of :func:`rhetoric_rates`.

    Raises
    ------
    KeyError
        Naming the columns the table lacks.
    """
    ids, texts = _turns(exchanges)
    return pd.concat([ids, rhetoric_rates(texts)], axis=1)


def turn_counts(exchanges: pd.DataFrame) -> pd.DataFrame:
    """Raw counts of every category in each turn of an exchange table, rows as :func:`turn_rates`.

    For a count model of a category with the turn's words as exposure
    (:func:`discourse.stats.count_model`), which needs counts, not rates.

    Parameters
    ----------
    exchanges : DataFrame
        As for :func:`turn_rates`.

    Returns
    -------
    DataFrame
        The rows and :data:`TURN_COLUMNS` of :func:`turn_rates`, then the int64 columns of
        :func:`rhetoric_counts` (``words``, ``sentences``, one per category, ``questions`` and
        ``exclamations``).
    """
    ids, texts = _turns(exchanges)
    return pd.concat([ids, rhetoric_counts(texts)], axis=1)


def _as_categories(categories: str | Sequence[str]) -> list[str]:
    chosen = [categories] if isinstance(categories, str) else list(categories)
    unknown = [c for c in chosen if c not in CATEGORIES]
    if unknown:
        raise ValueError(f"unknown categories {unknown}; expected some of {CATEGORIES}")
    return chosen


def rate_intervals(
    texts: pd.Series | Iterable[str],
    plus: str | Sequence[str],
    minus: str | Sequence[str] = (),
    *,
    n_resamples: int = stats.N_BOOTSTRAP,
    alpha: float = stats.ALPHA,
    seed: int = 0,
) -> pd.DataFrame:
    """Rate per 1,000 words of some categories, less others, in each text, with a descriptive
    interval from resampling the text's sentences.

    For one text with sentences ``s``, word counts ``w_s`` and category counts ``x_cs``, the
    rate is ``1000 * sum_s (sum_{c in plus} x_cs - sum_{c in minus} x_cs) / sum_s w_s``, a ratio
    of sums: with ``plus="first_person_plural"`` and ``minus="third_person_plural"`` it is the
    balance of *we* over *they*. It equals the difference of the :func:`rhetoric_rates` columns,
    since phrases never match across a sentence end. The interval is
    :func:`discourse.stats.mean_interval` of the sentences' rates weighted by their words, each
    sentence a unit (a cluster-bootstrap percentile interval of the ratio of sums; Davison and
    Hinkley 1997, *Bootstrap Methods and their Application*, ch. 2), with the same ``seed`` for
    every text. It describes how much the rate would move with other sentences of the same
    answer, not how the speaker would answer another time; sentences of one answer are not
    independent, so it is more likely too narrow than too wide. With fewer than
    :func:`discourse.stats.min_units` sentences that have words there is no interval.

    Parameters
    ----------
    texts : Series or iterable of str
        The texts (answers, say); a missing value counts as an empty text.
    plus, minus : str or sequence of str
        Categories of :data:`CATEGORIES` to add and to subtract.
    n_resamples : int
        Bootstrap resamples per text.
    alpha : float
        The interval has coverage ``1 - alpha``.
    seed : int
        Seed of the resampling, the same for every text.

    Returns
    -------
    DataFrame
        Indexed like ``texts``: ``words``, ``sentences`` (int64), ``rate``, ``ci_low``,
        ``ci_high``. The rate is NaN without words, the interval NaN with too few sentences.
    """
    added, subtracted = _as_categories(plus), _as_categories(minus)
    if not added:
        raise ValueError("plus must name at least one category")
    series = _as_series(texts)
    positional = pd.Series(
        [t if isinstance(t, str) else "" for t in series], index=pd.RangeIndex(len(series))
    )
    table = sentence_table(positional)
    counts = rhetoric_counts(table["sentence"].reset_index(drop=True))
    signed = (counts[added].sum(axis=1) - counts[subtracted].sum(axis=1)).to_numpy(dtype=float)
    n_words = counts["words"].to_numpy(dtype=float)
    per_sentence = PER_WORDS * signed / np.where(n_words > 0, n_words, np.nan)
    owner = table["unit"].to_numpy(dtype=np.int64)
    rows = []
    for position in range(len(series)):
        mine = owner == position
        found = stats.mean_interval(
            per_sentence[mine], n_words[mine], alpha=alpha, n_resamples=n_resamples, seed=seed
        )
        total = int(n_words[mine].sum())
        rows.append((total, int(mine.sum()), found.estimate, found.low, found.high))
    columns = ["words", "sentences", "rate", "ci_low", "ci_high"]
    result = pd.DataFrame(rows, columns=columns, index=series.index)
    return result.astype({"words": np.int64, "sentences": np.int64, "rate": float})


def examples(
    texts: pd.Series | Iterable[str], category: str, n: int = 3, *, term: str | None = None
) -> pd.DataFrame:
    """Sentences that show a category at work, quoted as printed.

    The category's most frequent term in ``texts`` (by :func:`term_hits`; ties go to the first
    in alphabetical order), or ``term`` when given, is found among the hits that
    :func:`occurrences` keeps (so a hit the context rules drop, such as the *would* of a plan,
    is never quoted as a hedge; a term outside the list is found with
    :func:`discourse.concordance.kwic`); the first sentence holding it is taken from each of the
    first ``n`` texts that use it, in input order, and given as in the source
    (:func:`source_sentence`).

    Parameters
    ----------
    texts : Series or iterable of str
        The texts, with unique index labels (exchange numbers, say).
    category : str
        One of :data:`CATEGORIES`.
    n : int
        Most sentences returned, each from a different text.
    term : str, optional
        The term to quote instead of the most frequent one.

    Returns
    -------
    DataFrame
        Up to ``n`` rows: ``unit`` (index label of the text), ``term`` and ``sentence``.
    """
    series = _as_series(texts)
    load_lexicon(category)  # validates the category name
    if not series.index.is_unique:
        raise ValueError("texts need unique index labels to be quoted by unit")
    if term is None:
        hits = term_hits(series, category)
        if hits.empty:
            return pd.DataFrame(columns=["unit", "term", "sentence"])
        term = str(hits.groupby("term")["count"].sum().idxmax())
    if term in load_lexicon(category).terms:
        hits = occurrences(series, category)
        found = hits[hits["term"] == term].drop_duplicates("unit").head(n)
        units_, quoted = found["unit"].to_numpy(), found["sentence"].tolist()
    else:
        found = kwic(series.fillna(""), term).drop_duplicates("unit").head(n)
        pairs = zip(found["unit"], found["sentence"], strict=True)
        units_ = found["unit"].to_numpy()
        quoted = [source_sentence(sentence, series[unit]) for unit, sentence in pairs]
    return pd.DataFrame({"unit": units_, "term": term, "sentence": quoted})


def _unit_of(feature: str) -> str:
    return "(share of sentences)" if feature in SENTENCE_SHARES else "per 1,000 words"


def _number(value: float, feature: str) -> str:
    return f"{value:.3f}" if feature in SENTENCE_SHARES else f"{value:.1f}"


describe_differences = stats.describer(
    LABELS,
    _number,
    unit=_unit_of,
    note="the unit of each measure after the size of a difference",
)


PRECISION_COLUMNS = ["rules", "category", "exchange", "turn", "term", "sentence", "correct"]
"""The columns a coded hedge and booster sample must hold (:func:`read_precision`)."""


def read_precision(path: str | Path) -> pd.DataFrame:
    """A coded sample of hedge and booster hits (such as ``corpus/hedge-booster-precision.csv``):
    its ``#`` lines (source, sample, the coding rule of each category), then one row per coded
    hit with at least :data:`PRECISION_COLUMNS`; ``rules`` says whether the hit was drawn with
    the context rules (``context``) or without (``none``), ``correct`` is ``yes`` or ``no``.

    Raises
    ------
    ValueError
        If a column is missing or a ``correct`` cell is other than ``yes`` or ``no``.
    """
    return read_coded_sample(path, PRECISION_COLUMNS)


def precision_table(coded: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Precision of each category under each set of rules: the share of coded hits that are
    correct, with a cluster-bootstrap interval that resamples exchanges
    (:func:`discourse.stats.mean_interval`), since hits of one exchange share a speaker and a
    topic. One row per ``rules`` and ``category``: ``coded``, ``correct``, ``precision``,
    ``ci_low``, ``ci_high``, ``exchanges`` and ``usable`` (precision at least 0.7, the bar the
    study sets for a list it uses)."""
    rows = []
    for (rules, category), group in coded.groupby(["rules", "category"], sort=False):
        hit = group["correct"].eq("yes").astype(float)
        found = stats.mean_interval(hit, units=group["exchange"], seed=seed)
        rows.append(
            {
                "rules": rules,
                "category": category,
                "coded": len(group),
                "correct": int(hit.sum()),
                "precision": found.estimate,
                "ci_low": found.low,
                "ci_high": found.high,
                "exchanges": found.units,
                "usable": found.estimate >= 0.7,
            }
        )
    return pd.DataFrame(rows)
