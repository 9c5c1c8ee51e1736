"""The study configuration: one file naming the corpus, the comparisons, the names, the colours and
the output folders of a run of the notebooks.

Notebooks call :func:`load` and nothing else to find their inputs: ``notebooks/study.toml`` by
default, or the file named by the environment variable ``DISCOURSE_STUDY``, so that the same
notebooks run on another corpus by changing that one file. Paths in the file are relative to
the file itself. The notebook runner stages figures by setting ``DISCOURSE_FIGURES``, which
overrides the figure folder of the file.

A configuration file looks like ``notebooks/study.toml``::

    name = "..."                      # how the notebooks name the study
    seed = 20220628                   # every random draw of the study

    [corpus]
    raw = "../corpus/raw"             # required: interviews and turn tables
    annotations = "../corpus/annotations.csv"   # optional: reviewed decisions
    processed = "../corpus/processed" # where `make corpus` writes the tables

    [output]
    figures = "../figures"
    cache = "../.cache/discourse"

    [parts]
    compare = ["general", "specific"] # optional: the two parts compared, group a first
    general = "general questions"     # optional: a label for each part

    [actors]
    dictionary = "../corpus/actors.csv"   # optional: the actor dictionary of sentiment

    [tone]                                # optional: the reviewed tone annotation (notebook 03)
    annotation = "../corpus/tone.csv"
    second_reading = "../corpus/tone-second-reading.csv"
    reference = "../corpus/reference/hutto-gilbert-2014/nytEditorialSnippets_GroundTruth.txt"

    [coding]                              # optional: hits coded by reading (notebook 04)
    lexicon_precision = "../corpus/lexicon-precision.csv"
    hedge_booster_precision = "../corpus/hedge-booster-precision.csv"
    we_referents = "../corpus/we-referents.csv"
    question_design = "../corpus/question-design.csv"

    [colours]
    "Slate name" = "blue"             # optional: fixed slate colours (Okabe & Ito name or hex)

    [topics]
    k_min = 2                         # numbers of topics tried when choosing k
    k_max = 8
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from discourse import corpus as corpus_tables
from discourse import plots
from discourse.corpus import ParseError
from discourse.study import paths

__all__ = ["ENV_FIGURES", "ENV_STUDY", "Study", "default_path", "load"]

#: Environment variable naming the configuration file to use instead of the default.
ENV_STUDY = "DISCOURSE_STUDY"
#: Environment variable naming the folder figures are written to (set by the notebook runner).
ENV_FIGURES = "DISCOURSE_FIGURES"

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
_KNOWN = {
    "": {
        "name",
        "seed",
        "corpus",
        "output",
        "parts",
        "actors",
        "tone",
        "coding",
        "colours",
        "topics",
    },
    "corpus": {"raw", "annotations", "processed"},
    "output": {"figures", "cache"},
    "actors": {"dictionary"},
    "tone": {"annotation", "second_reading", "reference"},
    "coding": {"lexicon_precision", "hedge_booster_precision", "we_referents", "question_design"},
    "topics": {"k_min", "k_max"},
}


@dataclass(frozen=True)
class Study:
    """What one configuration file says, with every path made absolute."""

    path: Path
    name: str
    seed: int
    raw: Path
    annotations: Path | None
    processed: Path
    figures: Path
    cache: Path
    parts: tuple[str, ...]
    part_labels: dict[str, str]
    actors: Path | None
    tone: Path | None
    tone_second_reading: Path | None
    tone_reference: Path | None
    lexicon_precision: Path | None
    hedge_booster_precision: Path | None
    we_referents: Path | None
    question_design: Path | None
    fixed_colours: dict[str, str]
    topic_k: range

    def corpus(self) -> corpus_tables.Corpus:
        """Every interview and turn table of :attr:`raw`, parsed afresh (once per process)."""
        return self._parsed

    @cached_property
    def _parsed(self) -> corpus_tables.Corpus:
        return corpus_tables.build_corpus(self.raw, annotations=self.annotations)

    @cached_property
    def slates(self) -> list[str]:
        """The slates of the corpus in the order of its documents."""
        return list(dict.fromkeys(self.corpus().documents["slate"]))

    @cached_property
    def colours(self) -> dict[str, str]:
        """One colour per meaning: every slate's fixed colour (``[colours]`` first, then the next
        free colour in document order), for :func:`discourse.plots.set_theme`."""
        if self.parts:
            return plots.assign_colours(self.slates, fixed=self.fixed_colours, parts=self.parts)
        return plots.assign_colours(self.slates, fixed=self.fixed_colours)

    def part_label(self, part: str) -> str:
        """How the notebooks name a part: its ``[parts]`` label, else the part's own name."""
        return self.part_labels.get(part, part)

    def save(self, fig, name: str):
        """Write a figure as PNG and SVG to the study's figure folder."""
        return plots.save(fig, name, self.figures)


def default_path() -> Path:
    """The configuration in use: ``$DISCOURSE_STUDY`` if set, else ``notebooks/study.toml``."""
    named = os.environ.get(ENV_STUDY, "").strip()
    return Path(named).expanduser().resolve() if named else paths.NOTEBOOKS / "study.toml"


def load(path: str | Path | None = None) -> Study:
    """Read a study configuration (default: :func:`default_path`).

    Raises :class:`discourse.corpus.ParseError` naming the file and line of an unknown key, a
    missing ``[corpus] raw`` folder, a wrong type or an unknown colour.
    """
    path = Path(path).resolve() if path is not None else default_path()
    if not path.is_file():
        raise ParseError(path, 1, f"study configuration not found (set {ENV_STUDY} to a file)")
    source = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(error))) else 1
        raise ParseError(path, line, f"not valid TOML: {error}") from None
    _check_keys(path, source, data)
    here = path.parent

    def folder(table: str, key: str, default: str | None = None) -> Path | None:
        value = data.get(table, {}).get(key, default)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise ParseError(path, _line(source, key), f"[{table}] {key} must be a path (text)")
        return (here / value).resolve()

    raw = folder("corpus", "raw")
    if raw is None or not raw.is_dir():
        raise ParseError(
            path, _line(source, "raw"), f"[corpus] raw must name an existing folder, got {raw}"
        )
    figures = os.environ.get(ENV_FIGURES, "").strip()
    parts_table = dict(data.get("parts", {}))
    compare = parts_table.pop("compare", [])
    if not (
        isinstance(compare, list)
        and len(compare) in (0, 2)
        and all(isinstance(p, str) for p in compare)
    ):
        raise ParseError(
            path, _line(source, "compare"), "[parts] compare must list two part names, or none"
        )
    labels = {}
    for part, label in parts_table.items():
        if not isinstance(label, str):
            raise ParseError(path, _line(source, part), f"[parts] {part} must be a label (text)")
        labels[part] = label
    colours = {}
    for slate, colour in data.get("colours", {}).items():
        resolved = plots.OKABE_ITO.get(colour, colour) if isinstance(colour, str) else None
        if resolved is None or not _HEX.fullmatch(resolved):
            names = ", ".join(plots.OKABE_ITO)
            raise ParseError(
                path,
                _line(source, slate),
                f"colour of {slate!r} must be an Okabe & Ito name ({names}) or #RRGGBB",
            )
        colours[slate] = resolved
    topics = data.get("topics", {})
    k_min, k_max = topics.get("k_min", 2), topics.get("k_max", 8)
    if not (isinstance(k_min, int) and isinstance(k_max, int) and 2 <= k_min <= k_max):
        raise ParseError(path, _line(source, "k_min"), "[topics] needs whole k_min <= k_max, >= 2")
    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ParseError(path, _line(source, "seed"), "seed must be a whole number")
    return Study(
        path=path,
        name=str(data.get("name", raw.parent.name)),
        seed=seed,
        raw=raw,
        annotations=folder("corpus", "annotations"),
        processed=folder("corpus", "processed", "processed"),
        figures=Path(figures).resolve() if figures else folder("output", "figures", "figures"),
        cache=folder("output", "cache", ".cache"),
        parts=tuple(compare),
        part_labels=labels,
        actors=folder("actors", "dictionary"),
        tone=folder("tone", "annotation"),
        tone_second_reading=folder("tone", "second_reading"),
        tone_reference=folder("tone", "reference"),
        lexicon_precision=folder("coding", "lexicon_precision"),
        hedge_booster_precision=folder("coding", "hedge_booster_precision"),
        we_referents=folder("coding", "we_referents"),
        question_design=folder("coding", "question_design"),
        fixed_colours=colours,
        topic_k=range(k_min, k_max + 1),
    )


def _check_keys(path: Path, source: str, data: dict) -> None:
    for table, known in _KNOWN.items():
        section = data if table == "" else data.get(table, {})
        if not isinstance(section, dict):
            raise ParseError(path, _line(source, table), f"[{table}] must be a table")
        unknown = sorted(set(section) - known)
        if unknown:
            where = "at the top" if table == "" else f"in [{table}]"
            raise ParseError(
                path,
                _line(source, unknown[0]),
                f"unknown key {unknown[0]!r} {where}; accepted: {', '.join(sorted(known))}",
            )


def _line(source: str, key: str) -> int:
    """The first line that sets ``key`` (or opens table ``[key]``), else 1."""
    pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)}\s*=|\[{re.escape(key)}\])')
    for number, line in enumerate(source.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1
