"""Tests for discourse.plots: theme, colours, labelled helpers, scale and figure files."""

from __future__ import annotations

import io
import multiprocessing
import stat
import subprocess
import sys
import textwrap
import time
from xml.etree import ElementTree

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text
from PIL import Image

from discourse import plots

LABELS = {"title": "Answer length", "xlabel": "Slate", "ylabel": "Words"}


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, and restore matplotlib settings and colours."""
    with mpl.rc_context():
        plots.set_theme()
        yield
        plots.set_theme()
    plt.close("all")


@pytest.fixture
def estimates() -> pd.DataFrame:
    """Three estimates with intervals and sample sizes; one interval is missing."""
    return pd.DataFrame(
        {
            "slate": ["Slate A", "Slate B", "Slate C"],
            "part": ["general", "specific", "general"],
            "mean": [1.0, 2.0, 1.5],
            "lo": [0.5, 1.5, np.nan],
            "hi": [1.5, 2.5, np.nan],
            "n": [10, 12, 3],
        },
        index=[7, 3, 5],
    )


@pytest.fixture
def keyness() -> pd.DataFrame:
    """Five words with log frequencies and z scores; 'solidarity' and 'members' are extreme."""
    return pd.DataFrame(
        {
            "word": ["members", "solidarity", "the", "campaign", "vote"],
            "log_freq": [2.0, 1.0, 4.0, 1.5, 1.2],
            "z": [-5.0, 6.0, 0.1, 2.0, -2.0],
        }
    )


def test_tests_render_without_a_display():
    assert mpl.get_backend().lower() == "agg"


def test_palette_is_okabe_ito_with_two_tol_colours_in_place_of_the_clashing_ones():
    assert len(PALETTE := plots.PALETTE) == 8
    okabe_ito = set(plots.OKABE_ITO.values())
    left_out = {plots.OKABE_ITO["reddish purple"], plots.OKABE_ITO["orange"]}
    assert set(PALETTE) == (okabe_ito - left_out) | set(plots.theme.TOL_MUTED.values())
    assert PALETTE[-1] == plots.OKABE_ITO["yellow"]


def test_every_two_palette_colours_stay_apart_under_colour_vision_deficiencies():
    assert plots.standard.colour_clashes(plots.PALETTE) == []
    clashing = [*plots.PALETTE[:4], plots.OKABE_ITO["reddish purple"], plots.OKABE_ITO["orange"]]
    assert len(plots.standard.colour_clashes(clashing)) == 2


def test_role_colours_name_meanings_only():
    assert list(plots.ROLE_COLOURS) == [
        "questions",
        "answers",
        "general",
        "specific",
        "general answers",
        "specific answers",
    ]
    assert plots.NEUTRAL not in plots.PALETTE


@pytest.mark.parametrize(
    ("group", "colour"),
    [
        ("questions", "#D55E00"),  # vermillion
        ("answers", "#0072B2"),  # blue
        ("general", "#009E73"),  # bluish green
        ("specific", "#000000"),  # black
        ("general answers", "#009E73"),
        ("specific answers", "#000000"),
        ("question", "#D55E00"),
        ("Interviewer", "#D55E00"),
    ],
)
def test_roles_have_fixed_colours(group, colour):
    assert plots.colour_for(group) == colour


@pytest.mark.parametrize(
    ("group", "meaning"),
    [
        ("questions", "questions"),
        ("Question", "questions"),
        ("interviewers", "questions"),
        ("answer", "answers"),
        ("Answers", "answers"),
        ("general answers", "general"),
        ("Slate A answers", "Slate A"),
        ("Slate A", "Slate A"),
        (" answers", " answers"),
    ],
)
def test_meaning_of(group, meaning):
    assert plots.meaning_of(group) == meaning


def test_a_group_without_colour_gets_the_first_colour_no_meaning_holds():
    # Free after the roles (PALETTE order): sky blue, Tol indigo, Tol wine, yellow.
    assert plots.colour_for("Slate A") == "#56B4E9"
    plots.set_theme(colours={"Slate A": "#56B4E9"})
    assert plots.colour_for("Slate B") == "#332288"
    assert plots.colour_for("Slate A answers") == "#56B4E9"


def test_colours_for_keeps_registered_meanings_and_gives_the_rest_free_colours():
    plots.set_theme(colours={"Slate A": "#CC79A7"})
    chosen = plots.colours_for(
        ["Slate B", "questions", "Slate A", "general answers", "Host", "Slate B"]
    )
    assert chosen == {
        "Slate B": "#332288",  # unregistered, sorted after "Host": the second free colour
        "questions": "#D55E00",
        "Slate A": "#CC79A7",
        "general answers": "#009E73",
        "Host": "#56B4E9",  # the first free colour
    }
    # No colour of a registered meaning goes to a group without one, whatever the groups.
    for k in range(1, 4):  # three colours are left free
        free = plots.colours_for([f"group {j}" for j in range(k)])
        assert not set(free.values()) & set(plots.registered_colours().values())
        assert len(set(free.values())) == k


def test_colours_for_refuses_more_unregistered_groups_than_free_colours():
    with pytest.raises(ValueError, match="5 groups have no registered colour"):
        plots.colours_for([f"slate {i}" for i in range(5)])


def test_set_theme_applies_fixed_settings():
    plots.set_theme()
    assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    assert mpl.rcParams["svg.hashsalt"] == plots.SVG_HASHSALT
    assert mpl.rcParams["svg.fonttype"] == "path"
    assert mpl.rcParams["savefig.dpi"] == plots.SAVE_DPI
    cycle = [to_hex(c["color"]).upper() for c in mpl.rcParams["axes.prop_cycle"]]
    assert cycle == [plots.NEUTRAL, "#56B4E9", "#332288", "#882255", "#F0E442"]
    assert dict(plots.registered_colours()) == dict(plots.ROLE_COLOURS)


def test_set_theme_registers_the_study_colours():
    plots.set_theme(colours={"Slate A": "#56b4e9", "Slate B": "orange"})
    registered = plots.registered_colours()
    assert registered["Slate A"] == "#56B4E9" and registered["Slate B"] == "#FFA500"
    assert registered["questions"] == "#D55E00"
    cycle = [to_hex(c["color"]).upper() for c in mpl.rcParams["axes.prop_cycle"]]
    assert cycle == [plots.NEUTRAL, "#332288", "#882255", "#F0E442"]
    plots.set_theme()
    assert "Slate A" not in plots.registered_colours()


def test_set_theme_gives_the_part_colours_to_parts_named_otherwise():
    plots.set_theme(colours={"domestic": "#009E73", "foreign": "#000000"})
    registered = plots.registered_colours()
    assert "general" not in registered and "specific answers" not in registered
    assert plots.colour_for("foreign answers") == "#000000"


@pytest.mark.parametrize(
    ("colours", "message"),
    [
        ({"Slate A": "#D55E00"}, "'questions' and 'Slate A' mean different things"),
        ({"Slate A": "#123456", "Slate B": "#123456"}, "share the colour #123456"),
        ({"Slate A": "not a colour"}, "colour of 'Slate A' is not a colour"),
    ],
)
def test_set_theme_refuses_one_colour_for_two_meanings(colours, message):
    with pytest.raises(ValueError, match=message):
        plots.set_theme(colours=colours)


def test_assign_colours_gives_each_slate_a_colour_no_role_holds():
    colours = plots.assign_colours(["Slate B", "Slate A", "Slate B"])
    assert colours == {
        "questions": "#D55E00",
        "answers": "#0072B2",
        "general": "#009E73",
        "specific": "#000000",
        "general answers": "#009E73",
        "specific answers": "#000000",
        "Slate B": "#56B4E9",  # in the order given, not sorted
        "Slate A": "#332288",
    }
    plots.set_theme(colours=colours)
    assert plots.colours_for(["Slate A", "Slate B"]) == {"Slate A": "#332288", "Slate B": "#56B4E9"}
    four = plots.assign_colours(["a", "b", "c", "d"])
    assert [four[s] for s in "abcd"] == ["#56B4E9", "#332288", "#882255", "#F0E442"]


def test_assign_colours_keeps_fixed_colours_and_declared_parts():
    colours = plots.assign_colours(
        ["Slate A", "Slate B"],
        fixed={"Slate B": "#56B4E9", "Host": "#444444"},
        parts=("domestic", "foreign"),
    )
    assert colours == {
        "questions": "#D55E00",
        "answers": "#0072B2",
        "domestic": "#009E73",
        "foreign": "#000000",
        "domestic answers": "#009E73",
        "foreign answers": "#000000",
        "Slate A": "#332288",  # sky blue is fixed for Slate B
        "Slate B": "#56B4E9",
        "Host": "#444444",
    }
    plots.set_theme(colours=colours)
    assert "general" not in plots.registered_colours()
    # A fixed colour taken from a role moves the role to a free colour.
    moved = plots.assign_colours(["Slate A"], fixed={"Slate A": "#D55E00"})
    assert moved["Slate A"] == "#D55E00" and moved["questions"] == "#56B4E9"


@pytest.mark.parametrize(
    ("slates", "fixed", "message"),
    [
        (["a", "b", "c", "d", "e"], None, "5 slates without a colour but only 4"),
        (["questions"], None, "named like a role"),
        (["general answers"], None, "named like a role"),
        (["a", "b"], {"a": "#111111", "b": "#111111"}, "share the colour"),
    ],
)
def test_assign_colours_refusals(slates, fixed, message):
    with pytest.raises(ValueError, match=message):
        plots.assign_colours(slates, fixed=fixed)


#: Machado, Oliveira & Fernandes (2009) matrices at severity 1, applied to linear RGB.
MACHADO = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}  # fmt: skip


def _seen_lab(colour: str, deficiency: str) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour as seen with a colour-vision deficiency."""
    srgb = np.array(mpl.colors.to_rgb(colour))
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(np.array(MACHADO[deficiency]) @ linear, 0, 1)
    to_xyz = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    )
    t = to_xyz @ seen / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize(
    ("deficiency", "least"), [("deuteranopia", 50), ("protanopia", 35), ("tritanopia", 15)]
)
def test_role_colours_stay_apart_under_colour_vision_deficiencies(deficiency, least):
    roles = [plots.ROLE_COLOURS[g] for g in ("questions", "answers", "general", "specific")]
    assert len(set(roles)) == 4
    distances = [
        np.linalg.norm(_seen_lab(a, deficiency) - _seen_lab(b, deficiency))  # CIE 1976 ΔE
        for i, a in enumerate(roles)
        for b in roles[i + 1 :]
    ]
    assert min(distances) >= least
    # Vermillion and orange merge under deuteranopia (ΔE 18.3): never two roles.
    assert plots.OKABE_ITO["orange"] not in roles


def test_a_figure_without_groups_draws_in_the_neutral_grey(estimates):
    fig = plots.interval_plot(estimates.iloc[:2], "slate", "mean", "lo", "hi", **LABELS)
    (line,) = [line for line in fig.axes[0].get_lines() if line.get_marker() == "o"]
    assert to_hex(line.get_color()).upper() == plots.NEUTRAL


@pytest.mark.parametrize("name", ["", "Answer", "answer length", "../x", "a--b", "-a", "a.png", 3])
def test_save_rejects_unsafe_names(tmp_path, name):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="slug"):
        plots.save(fig, name, directory=tmp_path)


def test_save_writes_png_and_svg_without_volatile_metadata(tmp_path, estimates):
    fig = plots.interval_plot(estimates, "slate", "mean", "lo", "hi", n="n", **LABELS)
    png, svg = plots.save(fig, "answer-length", directory=tmp_path)
    assert (png.name, svg.name) == ("answer-length.png", "answer-length.svg")
    assert png.read_bytes().startswith(b"\x89PNG")
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text
    assert "Matplotlib v" not in text
    assert b"Software" not in png.read_bytes()


def test_save_is_byte_identical_for_the_same_figure(tmp_path, estimates):
    fig = plots.bar_with_ci(estimates, "part", "mean", "lo", "hi", hue="slate", n="n", **LABELS)
    first = [p.read_bytes() for p in plots.save(fig, "bars", directory=tmp_path / "one")]
    second = [p.read_bytes() for p in plots.save(fig, "bars", directory=tmp_path / "two")]
    assert first == second


def test_save_is_byte_identical_for_a_rebuilt_figure(tmp_path, estimates):
    def build(folder):
        fig = plots.ranked_dot_plot(
            estimates, "mean", "slate", hue="part", lo="lo", hi="hi", **LABELS
        )
        return [p.read_bytes() for p in plots.save(fig, "ranked", directory=folder)]

    assert build(tmp_path / "one") == build(tmp_path / "two")


SCRIPT = textwrap.dedent(
    """
    import sys
    import matplotlib
    matplotlib.use("Agg")
    import pandas as pd
    from discourse import plots
    plots.set_theme()
    df = pd.DataFrame({"w": ["a", "b", "c"], "f": [1.0, 2.0, 3.0], "z": [3.0, -2.0, 0.5]})
    fig = plots.labelled_scatter(df, "f", "z", "w", top=2, title="T", xlabel="X", ylabel="Y")
    plots.save(fig, "keyness", directory=sys.argv[1])
    """
)


@pytest.mark.slow
def test_save_is_byte_identical_across_processes(tmp_path):
    for seed, folder in (("1", "one"), ("2", "two")):
        env = {"PYTHONHASHSEED": seed, "MPLBACKEND": "Agg", "PATH": ""}
        cmd = [sys.executable, "-c", SCRIPT, str(tmp_path / folder)]
        subprocess.run(cmd, check=True, env=env, cwd=tmp_path, timeout=120)
    for suffix in ("png", "svg"):
        one = (tmp_path / "one" / f"keyness.{suffix}").read_bytes()
        assert one == (tmp_path / "two" / f"keyness.{suffix}").read_bytes()


HELPERS = {
    "interval_plot": lambda df, **kw: plots.interval_plot(df, "slate", "mean", "lo", "hi", **kw),
    "bar_with_ci": lambda df, **kw: plots.bar_with_ci(df, "slate", "mean", "lo", "hi", **kw),
    "ranked_dot_plot": lambda df, **kw: plots.ranked_dot_plot(df, "mean", "slate", **kw),
    "labelled_scatter": lambda df, **kw: plots.labelled_scatter(df, "n", "mean", "slate", **kw),
}


@pytest.mark.parametrize("helper", sorted(HELPERS))
@pytest.mark.parametrize("missing", ["title", "xlabel", "ylabel"])
def test_helpers_refuse_to_draw_unlabelled(estimates, helper, missing):
    labels = {**LABELS, missing: "  "}
    with pytest.raises(ValueError, match=missing):
        HELPERS[helper](estimates, **labels)


@pytest.mark.parametrize("helper", sorted(HELPERS))
def test_helpers_return_the_figure_of_a_given_axes(estimates, helper):
    fig, ax = plt.subplots()
    assert HELPERS[helper](estimates, ax=ax, **LABELS) is fig
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == tuple(LABELS.values())


@pytest.mark.parametrize("helper", sorted(HELPERS))
def test_helpers_refuse_empty_tables(estimates, helper):
    with pytest.raises(ValueError, match="no rows"):
        HELPERS[helper](estimates.iloc[:0], **LABELS)


def test_missing_column_is_named(estimates):
    with pytest.raises(ValueError, match="'upper'"):
        plots.interval_plot(estimates, "slate", "mean", "lo", "upper", **LABELS)


def test_interval_plot_puts_n_in_tick_labels(estimates):
    fig = plots.interval_plot(estimates, "slate", "mean", "lo", "hi", n="n", **LABELS)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["Slate A\n(n=10)", "Slate B\n(n=12)", "Slate C\n(n=3)"]


def test_interval_plot_annotates_n_per_point_with_hue(estimates):
    fig = plots.interval_plot(estimates, "part", "mean", "lo", "hi", hue="slate", n="n", **LABELS)
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["n=10", "n=12", "n=3"]
    # Slate C has no interval: its dot is drawn open and the legend says what that means.
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Slate A",
        "Slate B",
        "Slate C",
        plots.NO_INTERVAL,
    ]


def test_interval_plot_error_bars_span_lo_to_hi(estimates):
    fig = plots.interval_plot(estimates.iloc[:2], "slate", "mean", "lo", "hi", **LABELS)
    (bars,) = fig.axes[0].collections
    spans = [tuple(segment[:, 1]) for segment in bars.get_segments()]
    assert spans == [(0.5, 1.5), (1.5, 2.5)]


def test_interval_outside_bounds_is_refused(estimates):
    broken = estimates.assign(hi=[0.9, 2.5, np.nan])
    with pytest.raises(ValueError, match="between"):
        plots.bar_with_ci(broken, "slate", "mean", "lo", "hi", **LABELS)


def test_duplicate_categories_are_refused(estimates):
    with pytest.raises(ValueError, match="more than one row per part"):
        plots.interval_plot(estimates, "part", "mean", "lo", "hi", **LABELS)


def test_bar_with_ci_draws_one_bar_per_row(estimates):
    fig = plots.bar_with_ci(estimates, "part", "mean", "lo", "hi", hue="slate", **LABELS)
    heights = sorted(p.get_height() for p in fig.axes[0].patches)
    assert heights == [1.0, 1.5, 2.0]


def test_ranked_dot_plot_puts_the_largest_value_on_top():
    df = pd.DataFrame({"exchange": ["Q1", "Q2", "Q3", "Q4"], "words": [50, 200, 50, 120]})
    fig = plots.ranked_dot_plot(df, "words", "exchange", **LABELS)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    # bottom to top; the tie between Q1 and Q3 keeps table order reading downwards
    assert ticks == ["Q3", "Q1", "Q4", "Q2"]


def test_ranked_dot_plot_needs_both_bounds(estimates):
    with pytest.raises(ValueError, match="both lo and hi"):
        plots.ranked_dot_plot(estimates, "mean", "slate", lo="lo", **LABELS)


@pytest.mark.parametrize(("top", "expected"), [(0, []), (2, ["members", "solidarity"])])
def test_labelled_scatter_labels_the_most_extreme_rows(keyness, top, expected):
    fig = plots.labelled_scatter(keyness, "log_freq", "z", "word", top=top, **LABELS)
    assert sorted(t.get_text() for t in fig.axes[0].texts) == expected


def test_labelled_scatter_places_labels_apart_with_adjusttext(keyness):
    fig = plots.labelled_scatter(keyness, "log_freq", "z", "word", top=4, **LABELS)
    texts = [t for t in fig.axes[0].texts if t.get_text()]
    assert sorted(t.get_text() for t in texts) == ["campaign", "members", "solidarity", "vote"]
    assert all(not t.get_in_layout() for t in texts)  # labels cannot move the layout
    assert plots.check_figure(fig) == []


@pytest.mark.parametrize("top", [-1, 1.5, "3"])
def test_labelled_scatter_refuses_bad_top(keyness, top):
    with pytest.raises(ValueError, match="top"):
        plots.labelled_scatter(keyness, "log_freq", "z", "word", top=top, **LABELS)


def test_bar_chart_keeps_row_order_and_colours_by_hue():
    from discourse import plots

    data = pd.DataFrame(
        {"exchange": [1, 2, 3], "words": [10, 30, 20], "part": ["general", "specific", "general"]}
    )
    fig = plots.bar_chart(
        data, "exchange", "words", hue="part", title="t", xlabel="Exchange", ylabel="Words"
    )
    ax = fig.axes[0]
    bars = sorted(ax.patches, key=lambda b: b.get_x())
    assert [b.get_height() for b in bars] == [10, 30, 20]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3"]
    general = mpl.colors.to_hex(bars[0].get_facecolor())
    assert general == plots.ROLE_COLOURS["general"].lower()
    assert mpl.colors.to_hex(bars[1].get_facecolor()) == plots.ROLE_COLOURS["specific"].lower()
    with pytest.raises(ValueError, match="title"):
        plots.bar_chart(data, "exchange", "words", xlabel="x", ylabel="y")


def test_line_with_band_draws_line_band_and_reference_even_outside_the_band():
    curve = pd.DataFrame(
        {"k": [2, 3, 4], "score": [0.5, 0.1, 0.7], "lo": [0.2, 0.3, 0.4], "hi": [0.6, 0.8, 0.9]}
    )
    fig = plots.line_with_band(
        curve, "k", "score", "lo", "hi", title="t", xlabel="k", ylabel="Score", reference=0.5
    )
    ax = fig.axes[0]
    line, threshold = ax.get_lines()
    assert line.get_xdata().tolist() == [2, 3, 4]
    assert line.get_ydata().tolist() == [0.5, 0.1, 0.7]  # 0.1 lies below its band: allowed
    assert list(threshold.get_ydata()) == [0.5, 0.5]
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() == 0.2 and band[:, 1].max() == 0.9
    with pytest.raises(ValueError, match="ylabel"):
        plots.line_with_band(curve, "k", "score", "lo", "hi", title="t", xlabel="k")


def test_heatmap_grid_order_blank_cells_and_colour_bar():
    cells = pd.DataFrame(
        {
            "exchange": [2, 2, 1, 1, 3],
            "topic": ["b", "a", "b", "a", "b"],
            "weight": [0.1, 0.2, 0.3, np.nan, 0.5],
        }
    )
    labels = {"title": "t", "xlabel": "Exchange", "ylabel": "Topic", "colorbar_label": "Weight"}
    fig = plots.heatmap(cells, "exchange", "topic", "weight", vmin=0, vmax=1, **labels)
    ax, bar = fig.axes
    grid = ax.get_images()[0].get_array()
    assert grid.data[~grid.mask].tolist() == [0.1, 0.3, 0.5, 0.2]
    assert grid.mask.tolist() == [[False, False, False], [False, True, True]]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "1", "3"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]
    assert bar.get_ylabel() == "Weight"
    with pytest.raises(ValueError, match="colorbar_label"):
        plots.heatmap(cells, "exchange", "topic", "weight", **{**labels, "colorbar_label": " "})
    with pytest.raises(ValueError, match="more than one row"):
        plots.heatmap(pd.concat([cells, cells]), "exchange", "topic", "weight", **labels)


def test_ranked_range_plot_orders_rows_and_draws_ranges_centres_and_dots():
    data = pd.DataFrame(
        {
            "item": ["a", "b", "c"],
            "own": [0.5, 0.1, 0.3],
            "low": [0.0, 0.2, np.nan],
            "high": [0.2, 0.4, np.nan],
            "mean": [0.1, 0.3, 0.2],
            "excess": [0.4, -0.2, 0.1],
            "part": ["general", "specific", "general"],
        }
    )
    fig = plots.ranked_range_plot(
        data,
        "own",
        "item",
        "low",
        "high",
        centre="mean",
        hue="part",
        order_by="excess",
        title="t",
        xlabel="Cosine similarity",
        ylabel="Exchange",
        range_label="other answers",
    )
    ax = fig.axes[0]
    # Largest excess at the top: from the bottom (position 0) b, c, a.
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "c", "a"]
    bars = sorted(ax.patches, key=lambda b: b.get_y())
    assert [(b.get_x(), b.get_width()) for b in bars] == [
        (0.2, pytest.approx(0.2)),
        (0.0, pytest.approx(0.2)),
    ]  # c has no range: no bar
    dots = {to_hex(c.get_facecolor()[0]): c.get_offsets()[:, 0].tolist() for c in ax.collections}
    assert dots[plots.ROLE_COLOURS["general"].lower()] == [0.3, 0.5]
    assert dots[plots.ROLE_COLOURS["specific"].lower()] == [0.1]
    labels = [t.get_text() for t in fig.legends[0].get_texts()]  # own figure: a figure legend
    assert labels == ["other answers", "reference mean", "general", "specific"]
    assert fig.get_suptitle() == "t"
    _, given = plt.subplots()
    plots.ranked_range_plot(data, "own", "item", "low", "high", ax=given, **LABELS)
    assert given.get_title() == LABELS["title"] and given.get_legend() is not None
    with pytest.raises(ValueError, match="title"):
        plots.ranked_range_plot(data, "own", "item", "low", "high", xlabel="x", ylabel="y")


def test_interval_panels_give_each_unit_its_own_axis_and_one_legend():
    data = pd.DataFrame(
        {
            "measure": ["we", "we", "they", "they", "questions", "questions"],
            "unit": ["rate", "rate", "rate", "rate", "share", "share"],
            "speaker": ["questions", "answers"] * 3,
            "mean": [5.0, 30.0, 4.0, 7.0, 0.7, 0.0],
            "lo": [2.0, 24.0, 1.0, 5.0, 0.5, 0.0],
            "hi": [9.0, 38.0, 8.0, 9.0, 0.8, 0.0],
        }
    )
    fig = plots.interval_panels(
        data,
        "measure",
        "mean",
        "lo",
        "hi",
        panel="unit",
        hue="speaker",
        title="Questions and answers",
        xlabel="Category",
        ylabels={"rate": "Rate per 1,000 words", "share": "Share of sentences"},
    )
    left, right = fig.axes
    assert fig.get_suptitle() == "Questions and answers"
    assert [left.get_title(), right.get_title()] == ["rate", "share"]
    assert [left.get_ylabel(), right.get_ylabel()] == ["Rate per 1,000 words", "Share of sentences"]
    assert [t.get_text() for t in left.get_xticklabels()] == ["we", "they"]
    assert [t.get_text() for t in right.get_xticklabels()] == ["questions"]
    assert left.get_legend() is None and right.get_legend() is None
    (legend,) = fig.legends
    # The answers' share of questions is 0 with an interval of zero width: marked, not certain.
    assert [t.get_text() for t in legend.get_texts()] == ["questions", "answers", plots.ZERO_WIDTH]
    # the wider panel holds two categories, the narrower one
    assert left.get_position().width > right.get_position().width
    with pytest.raises(ValueError, match="ylabels"):
        plots.interval_panels(
            data,
            "measure",
            "mean",
            "lo",
            "hi",
            panel="unit",
            title="t",
            xlabel="x",
            ylabels={"rate": "Rate"},
        )
    with pytest.raises(ValueError, match="title"):
        plots.interval_panels(
            data, "measure", "mean", "lo", "hi", panel="unit", xlabel="x", ylabels={}
        )


def test_keyness_scatter_labels_each_side_without_overlap():
    # Twelve crowded points: six positive and six negative scores at nearly the same place.
    data = pd.DataFrame(
        {
            "term": [f"word{k}" for k in range(12)],
            "log_freq": [1.0 + 0.01 * k for k in range(12)],
            "z": [5.0, 4.9, 4.8, 4.7, 1.0, 0.5, -1.0, -1.1, -1.2, -1.3, -0.2, -0.1],
            "side": ["a"] * 6 + ["b"] * 6,
        }
    )
    fig = plots.keyness_scatter(
        data, "log_freq", "z", "term", top_per_side=3, hue="side", title="t", xlabel="x", ylabel="z"
    )
    ax = fig.axes[0]
    texts = [t for t in ax.texts if t.get_text()]
    # Three per side, although every negative score is smaller in size than the positive ones.
    assert sorted(t.get_text() for t in texts) == [
        "word0",
        "word1",
        "word2",
        "word7",
        "word8",
        "word9",
    ]
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    with pytest.raises(ValueError, match="top_per_side"):
        plots.keyness_scatter(data, "log_freq", "z", "term", top_per_side=-1, **LABELS)


def test_profile_plot_puts_rows_in_table_order_and_groups_apart():
    data = pd.DataFrame(
        {
            "measure": ["we", "we", "you", "you"],
            "group": ["questions", "answers", "questions", "answers"],
            "z": [-1.0, 0.5, 1.5, -0.5],
            "lo": [-1.5, 0.2, 1.0, -0.9],
            "hi": [-0.5, 0.8, 2.0, -0.1],
            "n": [20, 20, 20, 20],
        }
    )
    fig = plots.profile_plot(
        data, "measure", "z", "lo", "hi", hue="group", n="n", title="t", xlabel="z", ylabel="m"
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["we", "you"]
    lines = [line for line in ax.get_lines() if line.get_marker() == "o"]
    first, second = (line.get_ydata() for line in lines)
    assert list(first) == [-0.175, 0.825] and list(second) == [0.175, 1.175]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "questions (n=20)",
        "answers (n=20)",
    ]
    with pytest.raises(ValueError, match="title"):
        plots.profile_plot(data, "measure", "z", "lo", "hi", hue="group", xlabel="z", ylabel="m")


def test_interval_grid_lays_out_panels_shades_and_keeps_one_legend():
    data = pd.DataFrame(
        {
            "exchange": ["1", "2", "1", "2", "1", "2"],
            "measure": ["length", "length", "syllables", "syllables", "score", "score"],
            "estimate": [20.0, 25.0, 1.5, 1.6, -0.2, 0.3],
            "lo": [18.0, 22.0, 1.4, 1.5, -0.5, 0.1],
            "hi": [22.0, 28.0, 1.6, 1.7, 0.1, 0.5],
            "sentences": [10, 12, 10, 12, 10, 12],
            "speaker": ["slate"] * 6,
        }
    )
    ylabels = {"length": "Words per sentence", "syllables": "Syllables per word", "score": "Score"}
    fig = plots.interval_grid(
        data, "exchange", "estimate", "lo", "hi", panel="measure", hue="speaker", n="sentences",
        ncols=2, title="t", xlabel="Exchange", ylabels=ylabels, reference=0.0, shade=["1"],
    )  # fmt: skip
    assert [ax.get_title() for ax in fig.axes] == ["length", "syllables", "score"]
    assert [ax.get_ylabel() for ax in fig.axes] == list(ylabels.values())
    # The x label sits under the bottom panel of each column only.
    assert [ax.get_xlabel() for ax in fig.axes] == ["", "Exchange", "Exchange"]
    assert all(ax.get_legend() is None for ax in fig.axes) and len(fig.legends) == 1
    for ax in fig.axes:
        spans = [p for p in ax.patches if p.get_facecolor()[:3] == (0.92, 0.92, 0.92)]
        assert len(spans) == 1  # exchange "1" only
        assert any(list(line.get_ydata()) == [0.0, 0.0] for line in ax.get_lines())
        assert [t.get_text() for t in ax.texts] == ["n=10", "n=12"]
    with pytest.raises(ValueError, match="ylabels"):
        plots.interval_grid(
            data, "exchange", "estimate", "lo", "hi", panel="measure", title="t", xlabel="x"
        )
    with pytest.raises(ValueError, match="title"):
        plots.interval_grid(
            data, "exchange", "estimate", "lo", "hi", panel="measure", xlabel="x", ylabels=ylabels
        )


def test_save_returns_the_paths_and_shows_the_saved_png(tmp_path, estimates):
    fig = plots.interval_plot(estimates, "slate", "mean", "lo", "hi", n="n", **LABELS)
    width, height = fig.get_size_inches() * mpl.rcParams["figure.dpi"]
    saved = plots.save(fig, "answer-length", directory=tmp_path)
    png, svg = saved
    assert (
        (saved.png, saved.svg)
        == (png, svg)
        == (tmp_path / "answer-length.png", tmp_path / "answer-length.svg")
    )
    data, size = saved._repr_png_()
    assert data == png.read_bytes()
    assert size == {"width": round(width), "height": round(height)}
    # The text form names the files only: no folder of the machine reaches a notebook.
    assert repr(saved) == "saved answer-length.png and answer-length.svg"
    assert str(tmp_path) not in repr(saved)


def test_save_closes_the_figure_unless_told_not_to(tmp_path, estimates):
    fig = plots.interval_plot(estimates, "slate", "mean", "lo", "hi", n="n", **LABELS)
    fig.set_layout_engine("constrained")
    engine = fig.get_layout_engine()
    plots.save(fig, "kept", directory=tmp_path, close=False)
    assert plt.fignum_exists(fig.number)
    assert fig.get_layout_engine() is engine  # switched off for the SVG only, then put back
    plots.save(fig, "closed", directory=tmp_path)
    assert not plt.fignum_exists(fig.number)


# ---------------------------------------------------------------------------------------------
# Saving: a required folder, atomic files, the size limit
# ---------------------------------------------------------------------------------------------


def test_save_needs_the_folder(estimates):
    fig = plots.interval_plot(estimates, "slate", "mean", "lo", "hi", **LABELS)
    with pytest.raises(TypeError, match="directory"):
        plots.save(fig, "answer-length")
    with pytest.raises(ValueError, match="directory is required"):
        plots.save(fig, "answer-length", " ")


@pytest.mark.slow
def test_plots_knows_no_folder_of_the_checkout():
    code = (
        "import sys; from discourse import plots; print([m for m in sys.modules if 'study' in m])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def test_save_leaves_only_the_two_files_readable_by_all(tmp_path, estimates):
    fig = plots.interval_plot(estimates, "slate", "mean", "lo", "hi", **LABELS)
    png, svg = plots.save(fig, "answer-length", tmp_path, close=False)
    plots.save(fig, "answer-length", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer-length.png", "answer-length.svg"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in (png, svg)} == {0o644}


def test_a_failed_save_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, estimates):
    fig = plots.interval_plot(estimates, "slate", "mean", "lo", "hi", **LABELS)
    png, svg = plots.save(fig, "answer-length", tmp_path, close=False)
    before = png.read_bytes(), svg.read_bytes()

    def broken(stream, **_):
        stream.write(b"\x89PNG half a file")
        raise OSError("disk full")

    fig.savefig = broken
    with pytest.raises(OSError, match="disk full"):
        plots.save(fig, "answer-length", tmp_path)
    assert (png.read_bytes(), svg.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer-length.png", "answer-length.svg"]


def test_save_refuses_a_figure_over_the_size_limit(tmp_path):
    assert plots.MAX_INCHES * plots.SAVE_DPI == plots.MAX_PIXELS == 4000
    fig, _ = plt.subplots(figsize=(20.05, 3))
    with pytest.raises(ValueError, match="4010 x 600 px at 200 dpi: at most 4000 px a side"):
        plots.save(fig, "too-wide", tmp_path)
    assert not tmp_path.joinpath("too-wide.png").exists()


def _race_figure():
    """A small figure, the same in every process."""
    table = pd.DataFrame({"exchange": range(1, 21), "words": [(7 * k) % 30 + 1 for k in range(20)]})
    return plots.bar_chart(table, "exchange", "words", title="t", xlabel="x", ylabel="y")


def _save_repeatedly(folder: str, times: int) -> None:
    """Save :func:`_race_figure` ``times`` times into ``folder`` (run in another process)."""
    mpl.use("Agg")
    plots.set_theme()
    for _ in range(times):
        plots.save(_race_figure(), "race", folder)


@pytest.mark.slow
def test_two_processes_saving_one_figure_never_leave_a_torn_file(tmp_path):
    png, svg = plots.save(_race_figure(), "race", tmp_path)
    expected = {png: png.read_bytes(), svg: svg.read_bytes()}
    context = multiprocessing.get_context("fork")  # copies of this process: nothing to import
    writers = [context.Process(target=_save_repeatedly, args=(str(tmp_path), 4)) for _ in range(2)]
    for writer in writers:
        writer.start()
    reads = 0
    while any(writer.is_alive() for writer in writers) or reads < 2:
        for path, want in expected.items():
            data = path.read_bytes()
            if path is png:
                with Image.open(io.BytesIO(data)) as image:
                    image.load()  # a torn PNG fails to decode
            else:
                assert ElementTree.fromstring(data).tag.endswith("svg")
            assert data == want
            reads += 1
        time.sleep(0.01)  # leave the writers the processor
    for writer in writers:
        writer.join(timeout=300)
        assert writer.exitcode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.png", "race.svg"]


# ---------------------------------------------------------------------------------------------
# Scale: hundreds of exchanges over many documents
# ---------------------------------------------------------------------------------------------

#: Exchanges in each of twelve interviews: 300 in all.
SIZES = (13, 17, 21, 25, 29, 33, 19, 23, 27, 31, 35, 27)
DOCUMENTS = [f"Interview {chr(ord('A') + k)}" for k in range(len(SIZES))]


@pytest.fixture(scope="module")
def exchanges() -> pd.DataFrame:
    """300 exchanges in 12 interviews, numbered from 1 in each, six general ones first."""
    rows = [
        {
            "doc_id": doc,
            "exchange": e,
            "exchange_id": f"{doc}/{e}",
            "part": "general" if e <= 6 else "specific",
            "words": float((37 * e + 11 * k) % 200 + 20),
        }
        for k, (doc, size) in enumerate(zip(DOCUMENTS, SIZES, strict=True))
        for e in range(1, size + 1)
    ]
    table = pd.DataFrame(rows)
    assert len(table) == 300
    return table.assign(lo=table["words"] - 10, hi=table["words"] + 15, mean=table["words"] - 3)


@pytest.fixture(scope="module")
def turns(exchanges) -> pd.DataFrame:
    """Each exchange's question and answer with an estimate, an interval and a sample size."""
    both = pd.concat(
        [
            exchanges.assign(turn="questions", estimate=exchanges["words"] / 10),
            exchanges.assign(turn="answers", estimate=exchanges["words"] / 8),
        ],
        ignore_index=True,
    )
    return both.assign(lo=both["estimate"] - 1, hi=both["estimate"] + 1.5, n=both["words"] % 17 + 3)


def _topic_shares(ex: pd.DataFrame) -> pd.DataFrame:
    """Four topics' shares of every exchange."""
    return pd.concat(
        [ex.assign(topic=f"topic {t}", share=(ex["words"] * t % 100) / 100) for t in range(4)]
    )


SCALED = {
    "bar_chart": lambda ex, tu: plots.bar_chart(
        ex, "exchange", "words", hue="part", facet="doc_id", **LABELS
    ),
    "interval_plot": lambda ex, tu: plots.interval_plot(
        tu, "exchange", "estimate", "lo", "hi", hue="turn", n="n", facet="doc_id", **LABELS
    ),
    "interval_grid": lambda ex, tu: plots.interval_grid(
        pd.concat([tu.assign(measure="length"), tu.assign(measure="score")]),
        "exchange",
        "estimate",
        "lo",
        "hi",
        panel="measure",
        hue="turn",
        facet="doc_id",
        title="t",
        xlabel="Exchange",
        ylabels={"length": "Words", "score": "Score"},
        shade=[1, 2, 3, 4, 5, 6],
    ),  # fmt: skip
    "ranked_dot_plot": lambda ex, tu: plots.ranked_dot_plot(
        ex, "words", "exchange", hue="part", lo="lo", hi="hi", facet="doc_id", **LABELS
    ),
    "ranked_range_plot": lambda ex, tu: plots.ranked_range_plot(
        ex, "words", "exchange", "lo", "hi", centre="mean", hue="part", facet="doc_id", **LABELS
    ),
    "heatmap": lambda ex, tu: plots.heatmap(
        _topic_shares(ex),
        "exchange",
        "topic",
        "share",
        facet="doc_id",
        colorbar_label="Share",
        **LABELS,
    ),  # fmt: skip
}


def _tick_labels(axis) -> list[Text]:
    """The tick labels an axis shows."""
    return [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]


def _assert_readable_at_scale(fig, folder, name):
    """Save ``fig``; check its size, and that no panel repeats or overlaps a tick label."""
    saved = plots.save(fig, name, folder, close=False)
    with Image.open(saved.png) as image:
        assert max(image.size) <= plots.MAX_PIXELS
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = _tick_labels(axis)
            texts = [t.get_text() for t in labels]
            assert len(texts) == len(set(texts)), f"{ax.get_title()!r} repeats a tick label"
            boxes = [t.get_window_extent(renderer) for t in labels]
            assert not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:], strict=False)), texts


@pytest.mark.parametrize("chart", sorted(SCALED))
def test_charts_draw_one_panel_per_document_under_the_size_limit(tmp_path, exchanges, turns, chart):
    fig = SCALED[chart](exchanges, turns)
    titles = [ax.get_title() for ax in fig.axes]
    for doc in DOCUMENTS:
        assert any(title == doc or title.endswith(f" · {doc}") for title in titles), doc
    _assert_readable_at_scale(fig, tmp_path, "scaled")


def test_panels_share_the_value_axis_and_one_legend(exchanges):
    fig = plots.bar_chart(exchanges, "exchange", "words", hue="part", facet="doc_id", **LABELS)
    assert len(fig.axes) == len(DOCUMENTS)
    assert len({ax.get_ylim() for ax in fig.axes}) == 1
    assert all(ax.get_legend() is None for ax in fig.axes) and len(fig.legends) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["general", "specific"]
    assert fig.get_suptitle() == LABELS["title"]
    first = fig.axes[0]
    assert [t.get_text() for t in _tick_labels(first.xaxis)][:3] == ["1", "2", "3"]


def test_a_group_keeps_its_colour_in_every_panel(exchanges):
    # "Slate X" has no registered colour and appears in some panels only.
    table = exchanges.assign(group=np.where(exchanges["exchange"] % 5 == 0, "Slate X", "answers"))
    fig = plots.ranked_dot_plot(table, "words", "exchange", hue="group", facet="doc_id", **LABELS)
    colours = {
        (container.get_label(), to_hex(container.lines[0].get_color()).upper())
        for ax in fig.axes
        for container in ax.containers
    }
    assert colours == {("Slate X", "#56B4E9"), ("answers", "#0072B2")}


def test_a_faceted_chart_refuses_a_given_axes(exchanges):
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="facet"):
        plots.bar_chart(exchanges, "exchange", "words", ax=ax, facet="doc_id", **LABELS)


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(
            lambda ex: plots.bar_chart(ex, "exchange_id", "words", hue="part", **LABELS), id="bar"
        ),
        pytest.param(
            lambda ex: plots.ranked_dot_plot(ex, "words", "exchange_id", **LABELS), id="ranked"
        ),
    ],
)
def test_charts_without_facet_thin_their_labels_and_stay_under_the_limit(tmp_path, exchanges, draw):
    fig = draw(exchanges)
    _assert_readable_at_scale(fig, tmp_path, "flat")
    shown = max(len(_tick_labels(fig.axes[0].xaxis)), len(_tick_labels(fig.axes[0].yaxis)))
    assert 10 < shown < 300


def test_given_figure_sizes_are_capped(turns):
    fig = plots.interval_grid(
        turns[turns["doc_id"].isin(DOCUMENTS[:2])], "exchange", "estimate", "lo", "hi",
        panel="doc_id", hue="turn",
        title="t", xlabel="x", ylabels={"Interview A": "y", "Interview B": "y"}, figsize=(30, 8),
    )  # fmt: skip
    assert tuple(fig.get_size_inches()) == (20.0, 8.0)


# ---------------------------------------------------------------------------------------------
# Pooled groups are labelled by what the table calls them
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def pooled() -> pd.DataFrame:
    """Questions and the answers of three slates pooled: the first row's speaker is one slate."""
    return pd.DataFrame(
        {
            "measure": ["length", "length", "score", "score"],
            "group": ["answers", "questions", "answers", "questions"],
            "speaker": ["Slate A", "Host", "Slate A", "Host"],
            "estimate": [1.0, 2.0, 0.5, 0.7],
            "lo": [0.5, 1.5, 0.2, 0.4],
            "hi": [1.5, 2.5, 0.9, 1.0],
            "n": [30, 10, 30, 10],
        }
    )


POOLED_LABELS = {"title": "Pooled", "xlabel": "Measure", "ylabel": "Value"}
POOLED = {
    "interval_plot": lambda df: plots.interval_plot(
        df, "measure", "estimate", "lo", "hi", hue="group", n="n", **POOLED_LABELS
    ),
    "bar_with_ci": lambda df: plots.bar_with_ci(
        df, "measure", "estimate", "lo", "hi", hue="group", n="n", **POOLED_LABELS
    ),
    "interval_grid": lambda df: plots.interval_grid(
        df,
        "measure",
        "estimate",
        "lo",
        "hi",
        panel="measure",
        hue="group",
        n="n",
        title="t",
        xlabel="x",
        ylabels={"length": "Words", "score": "Score"},
    ),  # fmt: skip
    "interval_panels": lambda df: plots.interval_panels(
        df,
        "measure",
        "estimate",
        "lo",
        "hi",
        panel="measure",
        hue="group",
        n="n",
        title="t",
        xlabel="x",
        ylabels={"length": "Words", "score": "Score"},
    ),  # fmt: skip
    "profile_plot": lambda df: plots.profile_plot(
        df, "measure", "estimate", "lo", "hi", hue="group", **POOLED_LABELS
    ),
}


@pytest.mark.parametrize("helper", sorted(POOLED))
def test_pooled_groups_are_labelled_by_the_hue_values(pooled, helper):
    fig = POOLED[helper](pooled)
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    (legend,) = legends
    assert sorted(t.get_text() for t in legend.get_texts()) == ["answers", "questions"]
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert not any("Slate" in text or "Host" in text for text in texts)


# ---------------------------------------------------------------------------------------------
# The figure standard in the charts
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def comparisons() -> pd.DataFrame:
    """Four comparison rows as discourse.stats gives them: one with too few units (no
    interval), one with an interval of zero width."""
    return pd.DataFrame(
        {
            "measure": ["we", "they", "hedges", "questions"],
            "unit": ["rate", "rate", "rate", "share"],
            "estimate": [5.0, -2.0, 1.0, 0.0],
            "ci_low": [1.0, -6.0, np.nan, 0.0],
            "ci_high": [9.0, 2.0, np.nan, 0.0],
            "n": [20, 20, 4, 20],
            "q": [0.0123, 0.5, np.nan, 0.0004],
            "verdict": ["supported", "not supported", "too few units", "not supported"],
        }
    )


def test_comparison_plot_writes_n_q_and_verdict_beside_each_row(comparisons):
    fig = plots.comparison_plot(comparisons, "measure", n="n", q="q", verdict="verdict", **LABELS)
    (ax,) = fig.axes
    notes = [t.get_text() for t in ax.texts]
    # Ranked: largest estimate at the top, so the notes run from the bottom row up.
    assert notes == [
        "n = 20 · q = 0.500 · not supported",
        "n = 20 · q < 0.001 · not supported",
        "n = 4 · q – · too few units",
        "n = 20 · q = 0.012 · supported",
    ]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["they", "questions", "hedges", "we"]
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [plots.NO_INTERVAL, plots.ZERO_WIDTH]
    assert plots.check_figure(fig) == []


def test_comparison_plot_keeps_the_table_order_and_one_axis_per_panel(comparisons):
    fig = plots.comparison_plot(
        comparisons,
        "measure",
        panel="unit",
        rank=False,
        xlabels={"rate": "per 1,000 words", "share": "share of sentences"},
        **LABELS,
    )
    rates, shares = fig.axes
    assert [rates.get_title(loc="left"), shares.get_title(loc="left")] == ["rate", "share"]
    assert [t.get_text() for t in rates.get_yticklabels()] == ["hedges", "they", "we"]
    assert [rates.get_xlabel(), shares.get_xlabel()] == ["per 1,000 words", "share of sentences"]
    assert plots.check_figure(fig) == []


def test_a_zero_width_interval_is_drawn_as_an_open_diamond(comparisons):
    fig = plots.comparison_plot(comparisons.iloc[[3]], "measure", **LABELS)
    marks = [c for c in fig.axes[0].collections if len(c.get_facecolor()) and len(c.get_offsets())]
    diamonds = [c for c in marks if to_hex(c.get_facecolor()[0]) == "#ffffff"]
    assert len(diamonds) == 1 and list(diamonds[0].get_offsets()[0]) == [0.0, 0.0]


def test_reference_lines_are_darker_than_the_grid_and_dashed(estimates):
    fig = plots.ranked_dot_plot(estimates, "mean", "slate", reference=0.0, **LABELS)
    ax = fig.axes[0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_xdata()[0] == 0 and ln.get_linestyle() != "-"]
    grid = mpl.colors.to_rgb(mpl.rcParams["grid.color"])
    assert sum(mpl.colors.to_rgb(line.get_color())) < sum(grid) - 1.0
    assert line.get_zorder() > ax.xaxis.get_zorder()  # drawn over the grid


def _keyness_terms(z_values, q_values):
    return pd.DataFrame(
        {
            "term": [f"word{k}" for k in range(len(z_values))],
            "log_freq": [1.0 + 0.1 * k for k in range(len(z_values))],
            "z": z_values,
            "q": q_values,
            "side": ["a" if z > 0 else "b" for z in z_values],
        }
    )


def test_keyness_scatter_says_when_no_word_is_distinctive_and_draws_the_threshold():
    data = _keyness_terms([3.0, 2.5, 0.5, -2.2, -0.3], [0.12, 0.2, 0.9, 0.2, 0.9])
    fig = plots.keyness_scatter(
        data, "log_freq", "z", "term", top_per_side=2, hue="side", q="q", **LABELS
    )
    ax = fig.axes[0]
    assert ax.get_title().endswith(
        "No word distinctive at q < 0.05; labelled: the 2 largest |z| per side"
    )
    levels = sorted(ln.get_ydata()[0] for ln in ax.get_lines() if len(ln.get_ydata()))
    assert levels == pytest.approx([-1.959964, 0.0, 1.959964], abs=1e-6)
    assert all(t.get_fontweight() == "normal" for t in ax.texts if t.get_text())
    assert plots.check_figure(fig) == []


def test_keyness_scatter_fills_and_bolds_only_words_with_q_below_alpha():
    data = _keyness_terms([5.0, 2.5, 0.5, -4.0, -0.3], [0.001, 0.2, 0.9, 0.04, 0.9])
    fig = plots.keyness_scatter(
        data, "log_freq", "z", "term", top_per_side=2, hue="side", q="q", **LABELS
    )
    ax = fig.axes[0]
    assert ax.get_title().endswith("2 of 5 words distinctive at q < 0.05 (filled; labels in bold)")
    bold = sorted(t.get_text() for t in ax.texts if t.get_fontweight() == "bold")
    assert bold == ["word0", "word3"]


def test_keyness_scatter_saves_byte_identical_files(tmp_path):
    data = _keyness_terms([5.0, 4.9, 4.8, -4.0, -3.9, -3.8], [0.01] * 6)

    def build(folder):
        fig = plots.keyness_scatter(
            data, "log_freq", "z", "term", top_per_side=3, hue="side", q="q", **LABELS
        )
        return [p.read_bytes() for p in plots.save(fig, "keyness", folder)]

    assert build(tmp_path / "one") == build(tmp_path / "two")


def test_profile_plot_draws_one_panel_per_family():
    data = pd.DataFrame(
        {
            "measure": ["we", "we", "you", "you", "length", "length"],
            "family": ["stance"] * 4 + ["readability"] * 2,
            "group": ["general answers", "specific answers"] * 3,
            "z": [0.5, -0.2, 0.1, 0.0, -0.3, 0.3],
            "lo": [0.1, -0.6, -0.2, 0.0, -0.8, 0.0],
            "hi": [0.9, 0.2, 0.4, 0.0, 0.2, 0.6],
            "n": [6, 14] * 3,
        }
    )
    fig = plots.profile_plot(
        data, "measure", "z", "lo", "hi", hue="group", n="n", panel="family", **LABELS
    )
    stance, readability = fig.axes
    assert [stance.get_title(loc="left"), readability.get_title(loc="left")] == [
        "stance",
        "readability",
    ]
    assert [t.get_text() for t in stance.get_yticklabels()] == ["we", "you"]
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "general answers (n=6)",
        "specific answers (n=14)",
        plots.ZERO_WIDTH,
    ]
    assert plots.check_figure(fig) == []


def test_long_titles_are_wrapped_to_the_figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set(xlabel="x", ylabel="y")
    fig.suptitle("A figure title much too long to stand on one line of a four-inch-wide figure")
    assert "cut" in [v.kind for v in plots.check_figure(fig)]
    plots.fit_titles(fig)
    assert "\n" in fig.get_suptitle()
    assert plots.check_figure(fig) == []


def test_interval_grid_keeps_one_category_order_in_every_panel():
    data = pd.DataFrame(
        {
            "part": ["general", "specific", "specific", "general", "specific"],
            "measure": ["length", "length", "ease", "ease", "ease"],
            "turn": ["answers", "answers", "questions", "answers", "answers"],
            "mean": [1.0, 2.0, 3.0, 4.0, 5.0],
            "lo": [0.5, 1.5, 2.5, 3.5, 4.5],
            "hi": [1.5, 2.5, 3.5, 4.5, 5.5],
        }
    )
    fig = plots.interval_grid(
        data, "part", "mean", "lo", "hi", panel="measure", hue="turn", ncols=2,
        xlabel="Part", ylabels={"length": "Words", "ease": "Score"}, title="t",
    )  # fmt: skip
    length, ease = fig.axes[:2]
    # "ease" lists specific first in its rows, but follows the table's order: general first.
    assert [t.get_text() for t in length.get_xticklabels()] == ["general", "specific"]
    assert [t.get_text() for t in ease.get_xticklabels()] == ["general", "specific"]


def test_interval_grid_takes_a_category_order_and_keeps_each_group_in_its_place():
    data = pd.DataFrame(
        {
            "part": ["specific", "specific", "general"],
            "measure": ["ease", "ease", "ease"],
            "turn": ["questions", "answers", "answers"],
            "mean": [1.0, 2.0, 3.0],
            "lo": [0.5, 1.5, 2.5],
            "hi": [1.5, 2.5, 3.5],
        }
    )
    fig = plots.interval_grid(
        data, "part", "mean", "lo", "hi", panel="measure", hue="turn", order=["general"],
        xlabel="Part", ylabels={"ease": "Score"}, title="t",
    )  # fmt: skip
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["general", "specific"]
    dots = {
        to_hex(ln.get_color()).upper(): sorted(ln.get_xdata())
        for ln in ax.get_lines()
        if ln.get_marker() == "o"
    }
    # Questions take the left place, answers the right one, in both parts.
    assert dots[plots.colour_for("questions")] == [pytest.approx(0.8)]
    assert dots[plots.colour_for("answers")] == [pytest.approx(0.2), pytest.approx(1.2)]


def test_stacked_dot_plot_draws_one_panel_per_measure_over_one_exchange_axis():
    from discourse import plots

    data = pd.DataFrame(
        {
            "exchange": ["1", "2", "3"],
            "adversarial": [0, 2, 1],
            "reply": [0.7, 0.4, 0.55],
            "part": ["general", "specific", "specific"],
        }
    )
    fig = plots.stacked_dot_plot(
        data,
        "exchange",
        {"adversarial": "Adversarialness (0 to 2)", "reply": "Reply score (0 to 1)"},
        hue="part",
        references={"reply": 0.5},
        title="t",
        xlabel="Exchange",
    )
    top, bottom = fig.axes[:2]
    assert [ax.get_ylabel() for ax in (top, bottom)] == [
        "Adversarialness (0 to 2)",
        "Reply score (0 to 1)",
    ]
    points = {
        mpl.colors.to_hex(c.get_facecolor()[0]): c.get_offsets().tolist()
        for c in bottom.collections
    }
    assert points[plots.ROLE_COLOURS["general"].lower()] == [[0.0, 0.7]]
    assert points[plots.ROLE_COLOURS["specific"].lower()] == [[1.0, 0.4], [2.0, 0.55]]
    assert [line.get_ydata()[0] for line in bottom.get_lines()] == [0.5]
    assert top.get_lines() == []
    assert [t.get_text() for t in bottom.get_xticklabels()] == ["1", "2", "3"]
    assert bottom.get_xlabel() == "Exchange" and top.get_xlabel() == ""
    assert plots.standard.check_figure(fig) == []


@pytest.mark.parametrize(
    ("panels", "message"),
    [({}, "at least one column"), ({"reply": " "}, "ylabel"), ({"missing": "M"}, "missing")],
)
def test_stacked_dot_plot_refusals(panels, message):
    from discourse import plots

    data = pd.DataFrame({"exchange": ["1"], "reply": [0.5]})
    with pytest.raises(ValueError, match=message):
        plots.stacked_dot_plot(data, "exchange", panels, title="t", xlabel="Exchange")


def test_stacked_dot_plot_writes_whole_ticks_for_whole_values():
    from discourse import plots

    data = pd.DataFrame({"exchange": ["1", "2"], "count": [0, 2], "score": [0.25, 0.5]})
    fig = plots.stacked_dot_plot(
        data, "exchange", {"count": "Count", "score": "Score"}, title="t", xlabel="Exchange"
    )
    count_ticks = fig.axes[0].get_yticks()
    assert all(float(tick).is_integer() for tick in count_ticks)
    assert not all(float(tick).is_integer() for tick in fig.axes[1].get_yticks())


def test_save_writes_the_same_svg_for_layouts_apart_in_the_last_bits(tmp_path):
    import matplotlib.pyplot as plt

    def build(folder, nudge):
        fig = plt.figure(figsize=(4, 3), layout="none")
        ax = fig.add_axes((0.2, 0.2 + nudge, 0.7, 0.6))
        ax.plot([0, 1], [0, 1])
        ax.set(title="T", xlabel="X", ylabel="Y")
        return plots.save(fig, "nudged", directory=folder).svg.read_bytes()

    assert build(tmp_path / "one", 0.0) == build(tmp_path / "two", 1e-13)
