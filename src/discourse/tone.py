"""The reviewed tone annotation: which sentences it codes, how they are split, how it is read.

A sentiment measure is only as good as its agreement with text read by a person. The study's
tone annotation (``corpus/tone.csv``; coding rules in ``corpus/README.md``) gives every sentence
of an interview a polarity (positive, negative, neutral) and, for each actor it names, the
polarity of its evaluation of that actor. This module

- lists the sentences to code with stable ids (:func:`annotation_sentences`), so that a coded
  file can be checked against the corpus it was made from;
- draws the seeded splits made *before* coding: the third of the sentences held out for the
  final report (:func:`draw_split`) and the fifth read a second time (:func:`draw_second_reading`);
- writes an empty coding sheet (:func:`write_sheet`) and reads a coded one
  (:func:`load_annotation`), refusing with a :class:`~discourse.corpus.ParseError` naming the
  file and line anything that is not a complete, valid coding of the corpus' sentences;
- gives the actor evaluations one row each (:func:`actor_codes`) and the agreement of two
  readings (:func:`reading_agreement`, Krippendorff's alpha from the ``krippendorff`` package).

References
----------
Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
Communication, University of Pennsylvania. https://repository.upenn.edu/asc_papers/43
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from discourse.corpus import ParseError
from discourse.files import write_text_atomically
from discourse.text import sentence_table

__all__ = [
    "CODED_COLUMNS",
    "POLARITIES",
    "SHEET_COLUMNS",
    "actor_codes",
    "actor_choices",
    "actor_gold",
    "load_reference",
    "method_agreement",
    "annotation_sentences",
    "draw_second_reading",
    "draw_split",
    "load_annotation",
    "reading_agreement",
    "write_sheet",
]

POLARITIES = ("positive", "neutral", "negative")
"""The classes of the annotation, in the order tables show them."""

HELD_OUT, TUNING = "held-out", "tuning"

SHEET_COLUMNS = ["sentence_id", "exchange_id", "turn", "sentence_no", "split", "sentence"]
"""The columns of a coding sheet, before the coded ones."""

CODED_COLUMNS = ["polarity", "actors", "irony", "note"]
"""The columns a reader fills in (``corpus/README.md`` says how)."""

_SEED_LINE = re.compile(r"seed (\d+)")
_PAIR = re.compile(r"\s*(?P<actor>[^=;]+?)\s*=\s*(?P<polarity>[a-z]+)\s*")


def annotation_sentences(turns: pd.DataFrame) -> pd.DataFrame:
    """Every sentence of every turn, with an id that names where it is.

    Parameters
    ----------
    turns : pandas.DataFrame
        :func:`discourse.units.turn_table` (columns ``exchange_id``, ``turn``, ``text``).

    Returns
    -------
    pandas.DataFrame
        One row per sentence in turn order: ``sentence_id`` (``"<exchange_id>:q<n>"`` for the
        n-th sentence of the question, ``":a<n>"`` of the answer, 0-based), ``exchange_id``,
        ``turn``, ``sentence_no``, ``sentence`` (normalised, as :mod:`discourse.text` splits it)
        and ``unit`` (the turn's label in ``turns``).
    """
    table = sentence_table(turns["text"])
    table = table.join(turns[["exchange_id", "turn"]], on="unit")
    table.insert(
        0,
        "sentence_id",
        table["exchange_id"] + ":" + table["turn"].str[0] + table["sentence_no"].astype(str),
    )
    return table[["sentence_id", "exchange_id", "turn", "sentence_no", "sentence", "unit"]]


def _seeded_order(ids: pd.Series, seed: int) -> np.ndarray:
    """Positions of ``ids`` in a random order that depends only on the seed and the sorted ids."""
    order = np.argsort(ids.to_numpy(dtype=str), kind="stable")
    return order[np.random.default_rng(seed).permutation(len(order))]


def draw_split(ids: pd.Series, seed: int, held_out: float = 1 / 3) -> pd.Series:
    """The seeded split of the coded sentences into ``tuning`` and ``held-out``.

    ``round(held_out * n)`` sentences, drawn at random (NumPy's ``default_rng(seed)``) from the
    ids in sorted order, are ``held-out``: kept for the final report only, while the adapted
    measures are tuned on the rest. The same ids and seed give the same split on any machine.
    Returns a Series of ``"tuning"``/``"held-out"`` aligned to ``ids``.
    """
    n = len(ids)
    chosen = _seeded_order(ids, seed)[: round(held_out * n)]
    split = np.full(n, TUNING, dtype=object)
    split[chosen] = HELD_OUT
    return pd.Series(split, index=ids.index, dtype=object)


def draw_second_reading(
    sentences: pd.DataFrame, seed: int, share: float = 0.2, by: str = "turn"
) -> pd.Series:
    """The seeded subsample read a second time: ``share`` of the sentences of every ``by``
    group (questions and answers), drawn at random as :func:`draw_split` draws.

    Returns a boolean Series aligned to ``sentences``.
    """
    chosen = pd.Series(False, index=sentences.index)
    for _, rows in sentences.groupby(by, sort=True):
        order = _seeded_order(rows["sentence_id"], seed)[: round(share * len(rows))]
        chosen.loc[rows.index[order]] = True
    return chosen


def write_sheet(sentences: pd.DataFrame, path: str | Path, source: str) -> Path:
    """Write a coding sheet atomically: a ``# source:`` line, then :data:`SHEET_COLUMNS` and
    empty :data:`CODED_COLUMNS`, one row per sentence.

    ``sentences`` holds :data:`SHEET_COLUMNS`; ``source`` says how the sheet was drawn (its
    seeds). The file is written to a temporary name beside ``path`` and renamed into place.
    """
    path = Path(path)
    buffer = io.StringIO(newline="")
    buffer.write(f"# source: {source}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*SHEET_COLUMNS, *CODED_COLUMNS])
    for row in sentences[SHEET_COLUMNS].itertuples(index=False):
        writer.writerow([*row, *([""] * len(CODED_COLUMNS))])
    return write_text_atomically(path, buffer.getvalue())


def _parse_actors(path: Path, line: int, field: str, known: set[str] | None) -> list[tuple]:
    """The ``actor=polarity`` pairs of one ``actors`` field."""
    pairs = []
    for piece in filter(str.strip, field.split(";")):
        found = _PAIR.fullmatch(piece)
        if not found or found["polarity"] not in POLARITIES:
            raise ParseError(
                path,
                line,
                f"actor evaluation {piece.strip()!r} must be 'actor=positive', '=neutral' or "
                "'=negative', pairs joined by '; '",
            )
        if known is not None and found["actor"] not in known:
            raise ParseError(
                path,
                line,
                f"actor {found['actor']!r} is not a category of the actor dictionary; "
                f"accepted: {', '.join(sorted(known))}",
            )
        pairs.append((found["actor"], found["polarity"]))
    return pairs


def load_annotation(
    path: str | Path,
    sentences: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Read a coded tone annotation (or a second reading) and check it against the corpus.

    Parameters
    ----------
    path : str or Path
        A UTF-8 CSV file: a ``# source:`` line, then :data:`SHEET_COLUMNS` and
        :data:`CODED_COLUMNS`, one row per coded sentence.
    sentences : pandas.DataFrame, optional
        :func:`annotation_sentences` of the corpus: every ``sentence_id`` must be one of them,
        with exactly its text, so that an annotation cannot silently go stale.
    actors : pandas.DataFrame, optional
        The actor dictionary (:func:`discourse.sentiment.load_actors`): every coded actor must
        be one of its categories.

    Returns
    -------
    pandas.DataFrame
        The rows in file order, ``sentence_no`` an integer and ``irony`` a boolean.

    Raises
    ------
    discourse.corpus.ParseError
        Naming the file and line of a missing source line or header, a row of the wrong width,
        a polarity other than :data:`POLARITIES`, an empty polarity, a malformed or unknown actor
        evaluation, an ``irony`` other than ``yes``/empty, a split other than ``tuning`` or
        ``held-out``, a repeated id, or a sentence that is not the corpus' own.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ParseError(path, line, "not UTF-8 text; save the annotation as UTF-8") from None
    if not text.startswith("# source:"):
        raise ParseError(path, 1, "the first line must be a '# source:' comment")
    header = [*SHEET_COLUMNS, *CODED_COLUMNS]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader)
    known_sentences = None if sentences is None else sentences.set_index("sentence_id")["sentence"]
    known_actors = None if actors is None else set(actors["actor"])
    rows, seen = [], set()
    line = reader.line_num + 1
    try:
        found = next(reader, None)
        if found != header:
            raise ParseError(path, line, f"the header must be {','.join(header)!r}, got {found!r}")
        line = reader.line_num + 1
        for row in reader:
            if row:
                record = dict(zip(header, row, strict=False))
                if len(row) != len(header):
                    raise ParseError(path, line, f"expected {len(header)} fields, got {len(row)}")
                _check_row(path, line, record, seen, known_sentences)
                _parse_actors(path, line, record["actors"], known_actors)
                seen.add(record["sentence_id"])
                rows.append(record)
            line = reader.line_num + 1
    except csv.Error as error:
        raise ParseError(path, line, f"not a valid CSV row ({error})") from None
    if not rows:
        raise ParseError(path, line, "no coded sentence")
    table = pd.DataFrame(rows, columns=header, dtype=object)
    table["sentence_no"] = table["sentence_no"].astype(np.int64)
    table["irony"] = table["irony"].eq("yes")
    return table


def _check_row(path: Path, line: int, record: dict, seen: set, known: pd.Series | None) -> None:
    """Raise :class:`~discourse.corpus.ParseError` unless one row is a complete coding."""
    sentence_id = record["sentence_id"]
    if sentence_id in seen:
        raise ParseError(path, line, f"sentence {sentence_id!r} is coded twice")
    if record["polarity"] not in POLARITIES:
        raise ParseError(
            path,
            line,
            f"polarity must be one of {', '.join(POLARITIES)}, got {record['polarity']!r}",
        )
    if record["irony"] not in ("", "yes"):
        raise ParseError(path, line, f"irony must be 'yes' or empty, got {record['irony']!r}")
    if record["split"] not in (TUNING, HELD_OUT):
        raise ParseError(
            path, line, f"split must be 'tuning' or 'held-out', got {record['split']!r}"
        )
    if not record["sentence_no"].isdigit():
        raise ParseError(
            path, line, f"sentence_no must be a whole number, got {record['sentence_no']!r}"
        )
    if known is not None:
        if sentence_id not in known.index:
            raise ParseError(path, line, f"sentence {sentence_id!r} is not in the corpus")
        if known[sentence_id] != record["sentence"]:
            raise ParseError(
                path,
                line,
                f"sentence {sentence_id!r} reads differently in the corpus: "
                f"{known[sentence_id]!r}; the annotation is stale",
            )


def annotation_seed(path: str | Path) -> int:
    """The seed named in an annotation's ``# source:`` line (``... seed 20220628 ...``)."""
    path = Path(path)
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    found = _SEED_LINE.search(first)
    if not found:
        raise ParseError(path, 1, "the source line must name the seed of its draw ('seed N')")
    return int(found.group(1))


def actor_codes(annotation: pd.DataFrame) -> pd.DataFrame:
    """One row per coded evaluation of an actor: ``sentence_id``, ``exchange_id``, ``split``,
    ``actor`` and ``polarity``, in file order."""
    rows = []
    for record in annotation.itertuples(index=False):
        for piece in filter(str.strip, record.actors.split(";")):
            found = _PAIR.fullmatch(piece)
            rows.append(
                (
                    record.sentence_id,
                    record.exchange_id,
                    record.split,
                    found["actor"],
                    found["polarity"],
                )
            )
    return pd.DataFrame(rows, columns=["sentence_id", "exchange_id", "split", "actor", "polarity"])


def reading_agreement(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Agreement of two readings of the same sentences: Krippendorff's alpha (nominal).

    Parameters
    ----------
    first, second : pandas.DataFrame
        Two :func:`load_annotation` tables; only the sentences both code are compared.

    Returns
    -------
    pandas.DataFrame
        Two rows, ``sentence polarity`` (one value per shared sentence) and ``actor polarity``
        (one value per actor that either reading codes in a shared sentence; an actor coded by
        one reading only counts as ``neutral`` in the other, since the rules code a named actor
        that is not evaluated as neutral), with ``units``, ``agreement`` (share of units coded
        alike) and ``alpha`` from :func:`krippendorff.alpha` at the nominal level.
    """
    import krippendorff

    shared = first.merge(second, on="sentence_id", suffixes=("_1", "_2"))
    rows = [("sentence polarity", shared["polarity_1"], shared["polarity_2"])]
    one = actor_codes(first.loc[first["sentence_id"].isin(shared["sentence_id"])])
    two = actor_codes(second.loc[second["sentence_id"].isin(shared["sentence_id"])])
    pairs = one.merge(two, on=["sentence_id", "actor"], how="outer", suffixes=("_1", "_2"))
    pairs = pairs.fillna({"polarity_1": "neutral", "polarity_2": "neutral"})
    rows.append(("actor polarity", pairs["polarity_1"], pairs["polarity_2"]))
    code = {polarity: number for number, polarity in enumerate(POLARITIES)}
    result = []
    for name, a, b in rows:
        data = np.array([a.map(code).to_numpy(float), b.map(code).to_numpy(float)])
        alpha = (
            float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
            if data.shape[1] > 1 and len(np.unique(data)) > 1
            else float("nan")
        )
        result.append((name, data.shape[1], float(np.mean(data[0] == data[1])), alpha))
    return pd.DataFrame(result, columns=["coding", "units", "agreement", "alpha"])


def load_reference(path: str | Path, neutral_band: float = 0.5) -> pd.DataFrame:
    """A public labelled sentiment set in the format of Hutto and Gilbert's (2014) ground truth:
    one tab-separated line per text, ``id``, mean human rating (-4 to 4) and ``text``.

    Items whose mean rating lies within ``neutral_band`` of 0 are left out, so that each kept
    item has a clear sign; ``polarity`` is that sign (``positive``/``negative``) and ``unit``
    the item's document (the part of the id before ``_``, e.g. one editorial's snippets), the
    cluster for bootstrap intervals. A line without three fields or with a rating that is not a
    number is a :class:`~discourse.corpus.ParseError` naming the file and line.
    """
    path = Path(path)
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t", 2)
        try:
            rating = float(fields[1])
        except (IndexError, ValueError):
            raise ParseError(path, number, "expected 'id<TAB>mean rating<TAB>text'") from None
        if len(fields) < 3 or not fields[2].strip():
            raise ParseError(path, number, "expected 'id<TAB>mean rating<TAB>text'")
        rows.append((fields[0], fields[0].split("_")[0], rating, fields[2]))
    table = pd.DataFrame(rows, columns=["id", "unit", "rating", "text"])
    table = table[table["rating"].abs() >= neutral_band].reset_index(drop=True)
    table["polarity"] = np.where(table["rating"] > 0, "positive", "negative")
    return table


def method_agreement(
    gold: pd.Series,
    scores: pd.DataFrame,
    thresholds: dict[str, float],
    units: pd.Series,
    *,
    seed: int = 0,
) -> pd.DataFrame:
    """Every method's agreement with the annotation (:func:`discourse.stats.agreement`).

    ``scores`` has one column of scores per method, aligned to ``gold``; each is classed with
    its band of ``thresholds`` (:func:`discourse.sentiment.polarity`). Returns the agreement
    rows of every method, with a first column ``method``.
    """
    from discourse import sentiment, stats

    tables = [
        stats.agreement(
            gold,
            sentiment.polarity(scores[method], thresholds[method]),
            units,
            labels=list(POLARITIES),
            seed=seed,
        ).assign(method=method)
        for method in scores.columns
    ]
    table = pd.concat(tables, ignore_index=True)
    return table[["method", *[c for c in table.columns if c != "method"]]]


def actor_gold(evaluation: pd.DataFrame, annotation: pd.DataFrame) -> pd.DataFrame:
    """The actor mentions of :func:`discourse.sentiment.actor_evaluation` that the annotation
    codes, each with its annotated polarity towards the actor (``gold``).

    ``evaluation`` needs a ``sentence_id`` column (from :func:`annotation_sentences`). A mention
    in a coded sentence whose actor the reader did not code is ``neutral``: the rules code a
    named actor that is not evaluated as neutral. Adds ``exchange_id`` and ``split``.
    """
    coded = annotation[["sentence_id", "exchange_id", "split"]]
    codes = actor_codes(annotation)[["sentence_id", "actor", "polarity"]]
    table = evaluation.merge(coded, on="sentence_id").merge(
        codes, on=["sentence_id", "actor"], how="left"
    )
    return table.assign(gold=table.pop("polarity").fillna("neutral"))


def actor_choices(
    turns: pd.DataFrame,
    actors: pd.DataFrame,
    annotation: pd.DataFrame,
    sentences: pd.DataFrame,
    windows,
    positions,
    *,
    seed: int = 0,
) -> tuple[dict, pd.DataFrame]:
    """Every window and position of :func:`discourse.sentiment.actor_evaluation` against the
    annotation's actor codes, for choosing them on the tuning sentences.

    Parameters
    ----------
    turns : pandas.DataFrame
        :func:`discourse.units.turn_table`.
    actors : pandas.DataFrame
        The actor dictionary.
    annotation, sentences : pandas.DataFrame
        :func:`load_annotation` and :func:`annotation_sentences` of the same turns.
    windows, positions : iterables
        The windows and positions tried (such as ``sentiment.ACTOR_WINDOWS`` and
        ``sentiment.ACTOR_POSITIONS``).

    Returns
    -------
    tuple
        A dict from ``(window, position)`` to the coded mentions (:func:`actor_gold`), and a
        table with one row per choice: ``window``, ``position`` (as text) and the accuracy,
        macro-F1 and Cohen's kappa on the tuning mentions (:func:`discourse.stats.agreement`).
    """
    from discourse import sentiment, stats

    ids = sentences.set_index(["unit", "sentence_no"])["sentence_id"]
    found, rows = {}, []
    for window in windows:
        for position in positions:
            mentions = sentiment.actor_evaluation(
                turns["text"], actors, window=window, position=position
            )
            keys = zip(mentions["unit"], mentions["sentence_no"], strict=True)
            mentions["sentence_id"] = [ids[key] for key in keys]
            coded = found[(window, position)] = actor_gold(mentions, annotation)
            tuning = coded[coded["split"] == TUNING]
            scores = stats.agreement(
                tuning["gold"],
                tuning["evaluation"],
                tuning["exchange_id"],
                labels=list(POLARITIES),
                seed=seed,
            )["estimate"]
            rows.append((str(window), str(position), *scores.round(3)))
    columns = ["window", "position", *stats.AGREEMENT_STATISTICS]
    return found, pd.DataFrame(rows, columns=columns)
