"""Who *we* is, and who speaks: referents of the first person plural, and the respondent's voice.

A slate's answers say *we* more than any other pronoun, but *we* is not one group: it can be the
slate speaking for itself ("we believe", "our campaign"), the organisation it stands for election
in ("our organisation", "our membership"), the wider left ("our movement", "as democratic
socialists, we"), the party, or people at large ("our society"). This module

- finds every first-person plural token of the answers (the list of
  ``data/rhetoric_first_person_plural.txt``, :func:`discourse.rhetoric.load_lexicon`) with its
  sentence and the sentence before it (:func:`we_tokens`);
- assigns each a referent class by an explicit rule (:func:`we_referent`) from the cue phrases of
  ``data/referent_cues.csv`` (:func:`load_cues`);
- reads the coding of every token by reading (``corpus/we-referents.csv`` in the study,
  :func:`load_coded`), gives the shares of its classes (:func:`referent_shares`) and the rule's
  agreement with it (:func:`referent_agreement`, :func:`referent_precision_recall`);
- labels each answer by its voice, a named individual or the slate's collective voice
  (:func:`respondent_voice`), and compares first-person rates between the two voices
  (:func:`compare_voices`).

The rule
--------
A token's words and its sentence's words are :func:`discourse.text.words` tokens, lower-cased.
Each cue row has a referent class, a scope and a phrase; the first step that finds a cue decides:

1. ``after``: a cue phrase that starts within the :data:`AFTER_WINDOW` words after the token,
   before the next first-person plural token (the verb or noun that *we* or *our* governs:
   "we believe", "our campaign", "our organisation"; the cue's last word may carry a possessive
   *'s*, "our campaign's mission"); the nearest start wins, then the longer cue.
2. ``sentence``: a cue phrase anywhere in the sentence ("as a campaign", "socialists",
   "Momentum"); the match nearest to the token wins.
3. The same ``sentence`` cues in the preceding sentence of the same answer; the last match wins.
4. Otherwise ``unclear``.

In steps 2 and 3 the longer of two overlapping matches is kept, and a match of a ``none`` cue
(the rival slate's name "Your Momentum") only removes the shorter cues inside it. The rule was
written after reading the answers, so its agreement with the coding of this interview is
measured on the text it was written from.

References
----------
Fairclough, N. (2000). *New Labour, New Language?* London: Routledge.
Proctor, K. and Su, L. I-W. (2011). The 1st person plural in political discourse: American
politicians in interviews and in a debate. *Journal of Pragmatics* 43(13), 3251-3266.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pandas as pd

from discourse import rhetoric, stats, units
from discourse.corpus import ParseError
from discourse.files import write_text_atomically
from discourse.resources import DATA
from discourse.text import sentence_table, words

__all__ = [
    "AFTER_WINDOW",
    "CODED_COLUMNS",
    "NAMED",
    "REFERENTS",
    "SLATE_VOICE",
    "TOKEN_COLUMNS",
    "compare_voices",
    "load_coded",
    "load_cues",
    "referent_agreement",
    "referent_precision_recall",
    "referent_shares",
    "respondent_voice",
    "rule_codes",
    "voice_rates",
    "we_referent",
    "we_tokens",
    "write_coded",
]

REFERENTS: tuple[str, ...] = (
    "slate",
    "Momentum",
    "the left",
    "Labour",
    "people generally",
    "unclear",
)
"""The referent classes, in the order tables show them: the slate (its campaign, candidates and
organisers, and what it says it believes or would do), Momentum (the organisation, its members
and resources), the left (the socialist movement, the Labour Left), Labour (the party and its
membership), people generally (society, anyone), and unclear."""

UNCLEAR = "unclear"
_NONE = "none"
SCOPES = ("after", "sentence")
"""The scopes of a cue (module notes)."""

AFTER_WINDOW = 3
"""How many words after the token an ``after`` cue may start (1 = the next word)."""

TOKEN_COLUMNS = ["exchange_id", "sentence_no", "token", "position", "sentence"]
"""The columns that identify a token: its exchange, the sentence's number in the answer
(0-based, as :func:`discourse.text.sentence_table`), the token as written, its position among
the sentence's :func:`discourse.text.words` (0-based) and the normalised sentence."""

CODED_COLUMNS = [*TOKEN_COLUMNS, "referent_coded", "referent_rule", "note"]
"""The columns of a coded file (:func:`load_coded`)."""

NAMED = "named individual"
SLATE_VOICE = "slate voice"
PERSON = ("first_person_singular", "first_person_plural")
"""The rates :func:`compare_voices` compares."""


@cache
def load_cues(path: str | Path | None = None) -> pd.DataFrame:
    """The cue phrases of the rule: ``referent``, ``scope``, ``cue`` (lower case, single
    spaces), ``words`` (the cue's tokens, a tuple) and ``note``, in file order.

    ``path`` defaults to the package's ``data/referent_cues.csv``, whose first line names its
    source and licence (``# source: ...``). The table is read once per path and shared
    between calls: copy it before changing it.

    Raises
    ------
    ValueError
        If the source line is missing, a referent is not one of :data:`REFERENTS` (or
        ``none``), a scope is not one of :data:`SCOPES`, or a cue is empty.
    """
    path = Path(path) if path is not None else DATA / "referent_cues.csv"
    text = path.read_text(encoding="utf-8")
    if not text.startswith("# source:"):
        raise ValueError(f"{path.name} must start with a '# source:' line")
    table = pd.read_csv(io.StringIO(text.split("\n", 1)[1]), dtype=str, keep_default_na=False)
    if list(table.columns) != ["referent", "scope", "cue", "note"]:
        raise ValueError(f"{path.name} must have the columns referent, scope, cue, note")
    bad = set(table["referent"]) - {*REFERENTS, _NONE}
    if bad:
        raise ValueError(f"{path.name}: unknown referent(s) {sorted(bad)}")
    bad = set(table["scope"]) - set(SCOPES)
    if bad:
        raise ValueError(f"{path.name}: unknown scope(s) {sorted(bad)}")
    table["cue"] = table["cue"].map(lambda cue: " ".join(cue.lower().split()))
    if table["cue"].eq("").any():
        raise ValueError(f"{path.name}: an empty cue")
    table["words"] = table["cue"].map(lambda cue: tuple(words(cue)) or tuple(cue.split()))
    return table[["referent", "scope", "cue", "words", "note"]]


def _lower_words(sentence: str) -> list[str]:
    return [word.lower() for word in words(sentence)]


def _matches(tokens: Sequence[str], cues: pd.DataFrame) -> list[tuple[int, int, str]]:
    """Every (start, length, referent) of the cues in ``tokens``, overlaps resolved longest
    first, ``none`` matches dropped after they have blocked the shorter ones inside them."""
    found = []
    for order, (referent, cue) in enumerate(zip(cues["referent"], cues["words"], strict=True)):
        size = len(cue)
        for start in range(len(tokens) - size + 1):
            if tuple(tokens[start : start + size]) == cue:
                found.append((start, size, order, referent))
    kept: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for start, size, _, referent in sorted(found, key=lambda m: (-m[1], m[0], m[2])):
        span = set(range(start, start + size))
        if span & taken:
            continue
        taken |= span
        if referent != _NONE:
            kept.append((start, size, referent))
    return kept


def we_referent(
    sentence: str,
    token_position: int,
    previous: str = "",
    cues: pd.DataFrame | None = None,
) -> str:
    """The referent class of the first-person plural token at ``token_position`` of
    ``sentence``, by the rule of the module notes.

    Parameters
    ----------
    sentence : str
        The sentence holding the token.
    token_position : int
        The token's index among the sentence's :func:`discourse.text.words` (0-based).
    previous : str, optional
        The sentence before it in the same answer ("" for the first).
    cues : DataFrame, optional
        Cue phrases as :func:`load_cues` returns them (default: the package's list).

    Returns
    -------
    str
        One of :data:`REFERENTS`.

    Raises
    ------
    IndexError
        If ``token_position`` is not a word of ``sentence``.
    """
    cues = load_cues() if cues is None else cues
    tokens = _lower_words(sentence)
    if not 0 <= token_position < len(tokens):
        raise IndexError(f"no word {token_position} in a sentence of {len(tokens)} words")
    plural = set(rhetoric.load_lexicon("first_person_plural").terms)
    end = min(len(tokens), token_position + 1 + AFTER_WINDOW)
    following = next((i for i in range(token_position + 1, end) if tokens[i] in plural), end)
    after = cues.loc[cues["scope"] == "after"]
    bare = [token.removesuffix("'s") for token in tokens]
    candidates = []
    for order, (referent, cue) in enumerate(zip(after["referent"], after["words"], strict=True)):
        for start in range(token_position + 1, following):
            found = tokens[start : start + len(cue)]
            if len(found) < len(cue):
                continue
            if tuple(found) == cue or (*found[:-1], bare[start + len(cue) - 1]) == cue:
                candidates.append((start, -len(cue), order, referent))
    if candidates:
        return min(candidates)[3]
    in_sentence = cues.loc[cues["scope"] == "sentence"]
    here = _matches(tokens, in_sentence)
    if here:
        nearest = min(
            here,
            key=lambda m: (
                min(abs(m[0] - token_position), abs(m[0] + m[1] - 1 - token_position)),
                -m[1],
            ),
        )
        return nearest[2]
    before = _matches(_lower_words(previous), in_sentence) if previous else []
    if before:
        return max(before, key=lambda m: (m[0] + m[1], m[1]))[2]
    return UNCLEAR


def we_tokens(exchanges: pd.DataFrame) -> pd.DataFrame:
    """Every first-person plural token of the answers, one row each, in text order.

    Returns
    -------
    DataFrame
        :data:`TOKEN_COLUMNS` and ``previous`` (the normalised sentence before it in the same
        answer, "" for the first), with a fresh index. Tokens are the
        :func:`discourse.text.words` of each sentence of :func:`discourse.text.sentence_table`
        whose lower case is a term of the first-person plural list; the count equals
        :func:`discourse.rhetoric.rhetoric_counts` of the answers, as every term is one word.
    """
    turns = units.turn_table(exchanges)
    answers = turns.loc[turns["turn"] == "answer"].set_index("exchange_id")["text"]
    table = sentence_table(answers)
    plural = set(rhetoric.load_lexicon("first_person_plural").terms)
    rows = []
    previous_unit, previous_sentence = None, ""
    for unit, number, sentence in table.itertuples(index=False):
        if unit != previous_unit:
            previous_sentence = ""
        for position, word in enumerate(words(sentence)):
            if word.lower() in plural:
                rows.append((unit, number, word, position, sentence, previous_sentence))
        previous_unit, previous_sentence = unit, sentence
    return pd.DataFrame(rows, columns=[*TOKEN_COLUMNS, "previous"]).astype(
        {"sentence_no": "int64", "position": "int64"}
    )


def rule_codes(tokens: pd.DataFrame, cues: pd.DataFrame | None = None) -> pd.Series:
    """The rule's referent of every row of :func:`we_tokens` (``referent_rule``)."""
    return pd.Series(
        [
            we_referent(sentence, position, previous, cues)
            for sentence, position, previous in zip(
                tokens["sentence"], tokens["position"], tokens["previous"], strict=True
            )
        ],
        index=tokens.index,
        name="referent_rule",
        dtype=object,
    )


def write_coded(table: pd.DataFrame, path: str | Path, source: str) -> Path:
    """Write a coded file atomically: a ``# source:`` line (``source``: the coding rule), then
    :data:`CODED_COLUMNS`, one row per token of ``table``."""
    path = Path(path)
    buffer = io.StringIO(newline="")
    buffer.write(f"# source: {source}\n")
    table[CODED_COLUMNS].to_csv(buffer, index=False, lineterminator="\n")
    return write_text_atomically(path, buffer.getvalue())


def load_coded(path: str | Path, exchanges: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read a coded file of *we* referents and, given the corpus, check it is current.

    Parameters
    ----------
    path : str or Path
        A UTF-8 CSV file: a ``# source:`` line stating the coding rule, then
        :data:`CODED_COLUMNS`.
    exchanges : DataFrame, optional
        The exchanges table the file was coded from: the file must then hold exactly the tokens
        of :func:`we_tokens`, in order, and its ``referent_rule`` must be what the rule gives
        now, so that neither the coding nor the rule's column can go stale unnoticed.

    Returns
    -------
    DataFrame
        :data:`CODED_COLUMNS` in file order; ``note`` is "" where empty.

    Raises
    ------
    discourse.corpus.ParseError
        Naming the file and line of a missing source line or header, a class other than
        :data:`REFERENTS`, or a row that differs from the corpus or the rule.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if not text.startswith("# source:"):
        raise ParseError(path, 1, "the first line must be a '# source:' comment")
    reader = csv.reader(io.StringIO(text.split("\n", 1)[1], newline=""))
    header = next(reader, None)
    if header != CODED_COLUMNS:
        raise ParseError(path, 2, f"the header must be {','.join(CODED_COLUMNS)!r}")
    rows = [row for row in reader if row]
    for line, row in enumerate(rows, start=3):
        if len(row) != len(CODED_COLUMNS):
            raise ParseError(path, line, f"expected {len(CODED_COLUMNS)} fields, got {len(row)}")
        for column in ("referent_coded", "referent_rule"):
            value = row[CODED_COLUMNS.index(column)]
            if value not in REFERENTS:
                raise ParseError(path, line, f"{column} {value!r} is not one of {REFERENTS}")
    table = pd.DataFrame(rows, columns=CODED_COLUMNS, dtype=object).astype(
        {"sentence_no": "int64", "position": "int64"}
    )
    if exchanges is not None:
        tokens = we_tokens(exchanges)
        if len(tokens) != len(table):
            raise ParseError(path, 3, f"{len(table)} tokens coded, the corpus has {len(tokens)}")
        current = rule_codes(tokens)
        for number in range(len(table)):
            coded, found = table.iloc[number], tokens.iloc[number]
            if any(coded[c] != found[c] for c in TOKEN_COLUMNS):
                raise ParseError(path, number + 3, "the token differs from the corpus")
            if coded["referent_rule"] != current.iloc[number]:
                raise ParseError(
                    path,
                    number + 3,
                    f"referent_rule {coded['referent_rule']!r} is stale: the rule gives "
                    f"{current.iloc[number]!r}",
                )
    return table


def referent_shares(coded: pd.DataFrame, column: str = "referent_coded") -> pd.DataFrame:
    """How many tokens each class holds and its share of all: ``referent``, ``tokens``,
    ``share``, one row per class of :data:`REFERENTS` (zero rows included)."""
    counts = coded[column].value_counts().reindex(list(REFERENTS), fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame(
        {
            "referent": list(REFERENTS),
            "tokens": counts.to_numpy(dtype="int64"),
            "share": counts.to_numpy(dtype=float) / total if total else float("nan"),
        }
    )


def _present(coded: pd.DataFrame) -> list[str]:
    found = set(coded["referent_coded"]) | set(coded["referent_rule"])
    return [label for label in REFERENTS if label in found]


def referent_precision_recall(coded: pd.DataFrame) -> pd.DataFrame:
    """The rule's precision and recall per class against the coding by reading.

    Returns one row per class of :data:`REFERENTS`: ``referent``, ``coded`` (tokens so coded),
    ``rule`` (tokens the rule gives it), ``agreed`` (both), ``precision`` (agreed / rule) and
    ``recall`` (agreed / coded), NaN where the denominator is 0.
    """
    rows = []
    for label in REFERENTS:
        gold = coded["referent_coded"].eq(label)
        rule = coded["referent_rule"].eq(label)
        agreed = int((gold & rule).sum())
        rows.append(
            {
                "referent": label,
                "coded": int(gold.sum()),
                "rule": int(rule.sum()),
                "agreed": agreed,
                "precision": agreed / rule.sum() if rule.any() else float("nan"),
                "recall": agreed / gold.sum() if gold.any() else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def referent_agreement(coded: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Accuracy, macro-F1 and Cohen's kappa of the rule against the coding by reading, with
    intervals from resampling whole exchanges (:func:`discourse.stats.agreement`).

    Macro-F1 averages over the classes that the coding or the rule uses: a class neither uses
    (no token of this interview is Labour's) would add an F1 of 0 that says nothing of the rule.
    """
    return stats.agreement(
        coded["referent_coded"].tolist(),
        coded["referent_rule"].tolist(),
        coded["exchange_id"].tolist(),
        labels=_present(coded),
        seed=seed,
    )


def respondent_voice(exchanges: pd.DataFrame) -> pd.Series:
    """Whose voice each answer is in: :data:`NAMED` where the exchanges table names a
    ``respondent`` (from an attribution line such as "(This question was answered by ...)"),
    else :data:`SLATE_VOICE`. A Series named ``voice`` on the index of ``exchanges``."""
    if "respondent" not in exchanges.columns:
        raise KeyError("exchanges table lacks column 'respondent'")
    named = exchanges["respondent"].fillna("").astype(str).str.strip().ne("")
    return named.map({True: NAMED, False: SLATE_VOICE}).rename("voice")


def voice_rates(exchanges: pd.DataFrame) -> pd.DataFrame:
    """The rates of :func:`discourse.rhetoric.turn_rates` of every answer, with its ``voice``
    (:func:`respondent_voice`) and ``respondent``, one row per answer in exchange order."""
    rates = rhetoric.turn_rates(exchanges)
    answers = rates.loc[rates["turn"] == "answer"].reset_index(drop=True)
    by_id = exchanges.set_index("exchange_id")
    voice = respondent_voice(exchanges).set_axis(exchanges["exchange_id"])
    answers.insert(
        answers.columns.get_loc("turn") + 1, "voice", voice.loc[answers["exchange_id"]].to_numpy()
    )
    answers.insert(
        answers.columns.get_loc("voice") + 1,
        "respondent",
        by_id["respondent"].fillna("").loc[answers["exchange_id"]].to_numpy(),
    )
    return answers


def compare_voices(
    exchanges: pd.DataFrame, features: Sequence[str] = PERSON, seed: int = 0
) -> pd.DataFrame:
    """First-person singular and plural per 1,000 words in answers by a named individual
    against answers in the slate's voice (:func:`discourse.stats.compare_groups`).

    Each answer is a unit, weighed by its words (:data:`discourse.rhetoric.EXPOSURE`), so a
    voice's rate is its total count over its total words; group a is :data:`NAMED`, group b
    :data:`SLATE_VOICE`. The verdict says ``too few units`` where the exact permutation test
    cannot reach p < 0.05 with so few named answers; with only one voice present the table has
    no rows.
    """
    rates = voice_rates(exchanges)
    if rates["voice"].nunique() < 2:
        return pd.DataFrame(columns=stats.COLUMNS)
    return stats.compare_groups(
        rates,
        list(features),
        "voice",
        "exchange_id",
        weights=dict(rhetoric.EXPOSURE),
        reference=SLATE_VOICE,
        seed=seed,
    )
