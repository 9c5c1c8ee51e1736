"""The study's look: one palette keyed by meaning, the matplotlib theme, and the size limits.

Colours come from the colour-blind-safe palette of Okabe & Ito (2008), *Color Universal
Design (CUD): How to make figures and presentations that are friendly to colorblind people*,
https://jfly.uni-koeln.de/color/. A colour stands for one meaning in every figure:

* the roles of a turn (:data:`ROLE_COLOURS`): questions (the interviewers' turns), answers, each
  part of an interview and the answers given in it;
* every slate the study registers, with :func:`assign_colours` and :func:`set_theme`.

The four role colours (questions, answers and the two parts) were chosen to stay apart under
simulated colour-vision deficiencies (Machado, Oliveira & Fernandes 2009, *IEEE TVCG*
15(6):1291-1298, severity 1): any two differ by a CIE 1976 ΔE of at least 50 under
deuteranopia, 35 under protanopia and 15 under tritanopia, the rarest; vermillion and orange,
which merge under deuteranopia (ΔE 18), never mean two roles. A group with no
registered colour gets a colour no meaning holds (:func:`colours_for`); a figure without groups
draws in :data:`NEUTRAL` grey, which means nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import matplotlib as mpl
import seaborn as sns
from cycler import cycler
from matplotlib.colors import is_color_like, to_hex

__all__ = [
    "DETERMINISTIC_RC",
    "MAX_INCHES",
    "MAX_PIXELS",
    "NEUTRAL",
    "OKABE_ITO",
    "PALETTE",
    "PART_COLOURS",
    "ROLE_COLOURS",
    "SAVE_DPI",
    "SMALL_TEXT_PT",
    "SVG_FONTTYPE",
    "SVG_HASHSALT",
    "THEME_RC",
    "TOL_MUTED",
    "assign_colours",
    "colour_for",
    "colours_for",
    "meaning_of",
    "registered_colours",
    "set_theme",
]

#: The eight colours of Okabe & Ito (2008), by their published names.
OKABE_ITO = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky blue": "#56B4E9",
        "bluish green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish purple": "#CC79A7",
    }
)

#: Two colours of Paul Tol's "muted" scheme (Tol 2021, "Colour Schemes", SRON/EPS/TN/09-002,
#: https://personal.sron.nl/~pault/), for slates beyond the first: Okabe & Ito's reddish purple
#: and orange fall within the CIE ΔE the figure standard requires of the bluish green of the
#: general part and of the questions' vermillion under a simulated deuteranopia (17.9 and 18.3),
#: and these two do not.
TOL_MUTED = MappingProxyType({"indigo": "#332288", "wine": "#882255"})

#: Colours in the order meanings take them: the four role colours of Okabe & Ito, then the
#: colours slates take in turn (sky blue, Tol's indigo and wine, then yellow, hard to see on
#: white, last), every two of them apart under each simulated deficiency
#: (:func:`discourse.plots.standard.colour_clashes`). Okabe & Ito's reddish purple and orange
#: are left out for the reason given at :data:`TOL_MUTED`; a study may still fix them by hand
#: for a slate. Treat as read-only.
PALETTE: list[str] = [
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish green"],
    OKABE_ITO["black"],
    OKABE_ITO["sky blue"],
    TOL_MUTED["indigo"],
    TOL_MUTED["wine"],
    OKABE_ITO["yellow"],
]

#: Colours of the parts of an interview, in the order the parts are declared.
PART_COLOURS: tuple[str, ...] = (OKABE_ITO["bluish green"], OKABE_ITO["black"])

#: Colours of the roles of a turn, by meaning: questions (the interviewers' turns), answers, and
#: the two parts of the Momentum format with the answers given in each. No slate or publication
#: is named here: slates get theirs from :func:`assign_colours`.
ROLE_COLOURS = MappingProxyType(
    {
        "questions": OKABE_ITO["vermillion"],
        "answers": OKABE_ITO["blue"],
        "general": PART_COLOURS[0],
        "specific": PART_COLOURS[1],
        "general answers": PART_COLOURS[0],
        "specific answers": PART_COLOURS[1],
    }
)

#: Colour of marks that stand for no group (a figure without ``hue``): a grey no meaning holds.
NEUTRAL = "#5F5F5F"

#: Resolution of saved PNG files, in dots per inch.
SAVE_DPI = 200

#: No side of a saved figure may be longer than this many pixels at :data:`SAVE_DPI`.
MAX_PIXELS = 4000

#: The same limit in inches, the unit of a figure's size.
MAX_INCHES = MAX_PIXELS / SAVE_DPI

#: Size in points of the smallest text a figure writes (sample sizes, point labels).
SMALL_TEXT_PT = 8.0

#: Any fixed string works: it seeds the identifiers matplotlib writes into SVG files.
SVG_HASHSALT = "discourse-study"

#: SVG text is drawn as glyph outlines ("path") rather than kept as text ("none"): the figure
#: then looks the same on every machine whether or not DejaVu Sans is installed there, at the
#: cost of text that cannot be selected or edited in the SVG.
SVG_FONTTYPE = "path"

#: Settings that make saved files byte-identical from run to run.
DETERMINISTIC_RC = MappingProxyType({"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": SVG_FONTTYPE})

#: Matplotlib settings of the study's theme, applied on top of seaborn's "whitegrid" style
#: (:func:`set_theme` adds a colour cycle of the colours no meaning holds).
THEME_RC = MappingProxyType(
    {
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.title_fontsize": 9,
        "figure.titlesize": 12,
        "figure.figsize": (7.0, 4.5),
        "figure.dpi": 100,
        "savefig.dpi": SAVE_DPI,
        "figure.constrained_layout.use": True,
        **DETERMINISTIC_RC,
    }
)

_QUESTION_WORDS = frozenset({"question", "questions", "interviewer", "interviewers"})
_ANSWER_WORDS = frozenset({"answer", "answers"})
_ANSWER_SUFFIXES = (" answers", " answer")

#: The colours registered by :func:`set_theme`, keyed by group name.
_registered: dict[str, str] = dict(ROLE_COLOURS)


def meaning_of(group: object) -> str:
    """Return what a group's colour stands for: groups with the same meaning share a colour.

    "question", "questions", "interviewer" and "interviewers" mean ``"questions"``; "answer"
    and "answers" mean ``"answers"``; ``"<group> answers"`` means ``<group>`` (the answers
    given in a part, or by a slate, have that part's or slate's colour); any other name means
    itself. Role words are matched whatever their case.
    """
    name = str(group)
    lowered = name.lower()
    if lowered in _QUESTION_WORDS:
        return "questions"
    if lowered in _ANSWER_WORDS:
        return "answers"
    for suffix in _ANSWER_SUFFIXES:
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _hex(group: str, colour: object) -> str:
    """Return ``colour`` as upper-case ``#RRGGBB``, or raise ValueError naming the group."""
    if not is_color_like(colour):
        raise ValueError(f"colour of {group!r} is not a colour: {colour!r}")
    return to_hex(colour).upper()


def _checked_mapping(colours: Mapping[object, object]) -> dict[str, str]:
    """Return ``colours`` with hex values; raise ValueError if two meanings share a colour."""
    checked = {str(group): _hex(str(group), colour) for group, colour in colours.items()}
    holder: dict[str, str] = {}
    for group, colour in checked.items():
        other = holder.setdefault(colour, group)
        if meaning_of(other) != meaning_of(group):
            raise ValueError(
                f"{other!r} and {group!r} mean different things but share the colour {colour}: "
                "give every meaning its own colour"
            )
    return checked


def registered_colours() -> Mapping[str, str]:
    """Return the colours figures use now, keyed by group (read-only; see :func:`set_theme`)."""
    return MappingProxyType(dict(_registered))


def _free_colours(taken: Iterable[str]) -> list[str]:
    """Return the colours of :data:`PALETTE` not in ``taken``, in palette order."""
    used = set(taken)
    return [colour for colour in PALETTE if colour not in used]


def set_theme(colours: Mapping[object, object] | None = None) -> None:
    """Apply the study's theme and register the colour of every group it names.

    Draws with seaborn's "whitegrid" style and :data:`THEME_RC`. ``colours`` is the study's
    ``{group: colour}`` (roles, parts and every slate, as :func:`assign_colours` makes it):
    its entries are added to :data:`ROLE_COLOURS`, taking precedence, and a default part whose
    colour the mapping gives to another meaning is dropped (a study whose parts have other
    names gives them the part colours). Without ``colours`` only :data:`ROLE_COLOURS` is
    registered. Raises ValueError for a value that is not a colour, or for one colour given to
    two meanings (questions and answers always keep a colour of their own).
    The colour cycle, for marks drawn without a group, starts with :data:`NEUTRAL` and goes on
    with the colours no meaning holds.
    """
    given = _checked_mapping(colours or {})
    taken = {colour: meaning_of(group) for group, colour in given.items()}
    defaults = {
        group: colour
        for group, colour in ROLE_COLOURS.items()
        if meaning_of(group) in ("questions", "answers")
        or taken.get(colour, meaning_of(group)) == meaning_of(group)
    }
    _registered.clear()
    _registered.update(_checked_mapping({**defaults, **given}))
    cycle = [NEUTRAL, *_free_colours(_registered.values())]
    sns.set_theme(context="notebook", style="whitegrid", palette=cycle, font="DejaVu Sans")
    mpl.rcParams.update(THEME_RC)
    mpl.rcParams["axes.prop_cycle"] = cycler(color=cycle)


def assign_colours(
    slates: Iterable[object],
    fixed: Mapping[object, object] | None = None,
    *,
    parts: Iterable[object] = ("general", "specific"),
) -> dict[str, str]:
    """Return a study's ``{group: colour}``: roles, parts and every slate, for :func:`set_theme`.

    Questions and answers keep their :data:`ROLE_COLOURS`; the ``parts`` (in declared order)
    take :data:`PART_COLOURS`, and ``"<part> answers"`` its part's colour; each slate, in the
    order given, takes the next :data:`OKABE_ITO` colour that no role, part or earlier slate
    holds (:data:`PALETTE` order), so a slate keeps its colour in every figure. Entries of
    ``fixed`` (colours a study chose by hand, for roles, parts or slates) are kept as given and
    their colours taken by nobody else. Raises ValueError when there are more slates (or
    parts) than distinguishable colours left, when a slate is named like a role or a part, or
    when one colour is fixed for two meanings.
    """
    chosen = _checked_mapping(fixed or {})
    names = list(dict.fromkeys(str(slate) for slate in slates))
    part_names = list(dict.fromkeys(str(part) for part in parts))
    roles = ["questions", "answers", *part_names]
    clashes = [name for name in names if meaning_of(name) in {meaning_of(r) for r in roles}]
    if clashes:
        raise ValueError(f"slates named like a role or a part: {clashes}")
    defaults = {"questions": ROLE_COLOURS["questions"], "answers": ROLE_COLOURS["answers"]}
    defaults |= dict(zip(part_names, PART_COLOURS, strict=False))
    result = {group: chosen[group] for group in (*roles, *names) if group in chosen}
    taken = set(chosen.values())
    for group in roles:  # roles keep their colour unless a fixed entry took it
        colour = defaults.get(group)
        if group not in result and colour is not None and colour not in taken:
            result[group] = colour
            taken.add(colour)
    for kind, waiting in (("parts", roles), ("slates", names)):
        waiting = [group for group in waiting if group not in result]
        free = _free_colours(taken)
        if len(waiting) > len(free):
            raise ValueError(
                f"{len(waiting)} {kind} without a colour but only {len(free)} distinguishable "
                f"colours left: {waiting}; fix some by hand or compare fewer at once"
            )
        result |= dict(zip(waiting, free, strict=False))
        taken.update(result.values())
    ordered = {group: result[group] for group in roles}
    ordered |= {f"{p} answers": chosen.get(f"{p} answers", result[p]) for p in part_names}
    ordered |= {name: result[name] for name in names}
    ordered |= {group: colour for group, colour in chosen.items() if group not in ordered}
    return _checked_mapping(ordered)


def colour_for(group: object) -> str:
    """Return the colour of one group: its registered colour (or that of its meaning, see
    :func:`meaning_of`), else the first colour of :data:`PALETTE` that no meaning holds.

    Raises ValueError when the group has no registered colour and every colour has a meaning.
    """
    return colours_for([group])[str(group)]


def colours_for(groups: Iterable[object]) -> dict[str, str]:
    """Return the colours of the groups of one figure, keyed by group name.

    A group with a registered colour (:func:`set_theme`), directly or through its meaning
    (``"general answers"`` has the colour of ``"general"``), keeps it. The other groups, in
    sorted order, take the free colours of :data:`PALETTE` in turn: never a colour that has a
    registered meaning, never one taken in the same figure. The result depends only on the set
    of groups and the registered colours. Raises ValueError when there are more unregistered
    groups than free colours.
    """
    names = list(dict.fromkeys(str(group) for group in groups))
    chosen: dict[str, str] = {}
    for name in names:
        colour = _registered.get(name, _registered.get(meaning_of(name)))
        if colour is not None:
            chosen[name] = colour
    rest = sorted(name for name in names if name not in chosen)
    free = _free_colours(_registered.values())
    if len(rest) > len(free):
        raise ValueError(
            f"{len(rest)} groups have no registered colour but only {len(free)} distinguishable "
            f"colours are free: {rest}; register them with plots.set_theme(colours=...) or "
            "draw one panel per group"
        )
    chosen.update(zip(rest, free, strict=False))
    return {name: chosen[name] for name in names}
