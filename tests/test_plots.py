"""Tests for discourse.plots: theme, colours, labelled helpers and byte-identical figure files."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from discourse import plots

LABELS = {"title": "Answer length", "xlabel": "Slate", "ylabel": "Words"}


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, and restore matplotlib settings."""
    with mpl.rc_context():
        yield
    plt.close("all")


@pytest.fixture
def estimates() -> pd.DataFrame:
    """Three estimates with intervals and sample sizes; one interval is missing."""
    return pd.DataFrame(
        {
            "slate": ["Momentum Organisers", "New Socialist", "Other slate"],
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


def test_palette_is_okabe_ito():
    assert len(PALETTE := plots.PALETTE) == 8
    assert set(PALETTE) == set(plots.OKABE_ITO.values())
    assert PALETTE[-1] == plots.OKABE_ITO["yellow"]


@pytest.mark.parametrize(
    ("group", "colour"),
    [
        ("Momentum Organisers", "#0072B2"),
        ("New Socialist", "#D55E00"),
        ("general", "#009E73"),
        ("specific", "#E69F00"),
    ],
)
def test_role_colours_are_fixed(group, colour):
    assert plots.colour_for(group) == colour


def test_further_groups_get_a_stable_unreserved_colour():
    # CRC-32 of b"Slate A" is 0x6A2BD62C = 1781257772; 1781257772 % 3 == 2 -> black
    assert plots.colour_for("Slate A") == "#000000"
    assert plots.colour_for("Slate A") not in plots.ROLE_COLOURS.values()


def test_colours_for_keeps_roles_and_makes_colours_distinct():
    groups = ["Slate A", "New Socialist", "Slate B", "Slate C", "Momentum Organisers", "Slate A"]
    chosen = plots.colours_for(groups)
    assert set(chosen) == set(groups)
    assert len(set(chosen.values())) == 5
    assert chosen["New Socialist"] == "#D55E00"
    assert chosen["Momentum Organisers"] == "#0072B2"


def test_colours_for_refuses_more_groups_than_colours():
    with pytest.raises(ValueError, match="9 groups"):
        plots.colours_for([f"slate {i}" for i in range(9)])


def test_set_theme_applies_fixed_settings():
    plots.set_theme()
    assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    assert mpl.rcParams["svg.hashsalt"] == plots.SVG_HASHSALT
    assert mpl.rcParams["svg.fonttype"] == "path"
    assert mpl.rcParams["savefig.dpi"] == plots.SAVE_DPI
    cycle = [to_hex(c["color"]).upper() for c in mpl.rcParams["axes.prop_cycle"]]
    assert cycle == plots.PALETTE


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
    assert ticks == ["Momentum Organisers\n(n=10)", "New Socialist\n(n=12)", "Other slate\n(n=3)"]


def test_interval_plot_annotates_n_per_point_with_hue(estimates):
    fig = plots.interval_plot(estimates, "part", "mean", "lo", "hi", hue="slate", n="n", **LABELS)
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["n=10", "n=12", "n=3"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Momentum Organisers",
        "New Socialist",
        "Other slate",
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


def test_labelled_scatter_alternates_label_offsets(keyness):
    fig = plots.labelled_scatter(keyness, "log_freq", "z", "word", top=4, **LABELS)
    offsets = [t.xyann for t in fig.axes[0].texts]
    assert len(set(offsets)) == 4


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
