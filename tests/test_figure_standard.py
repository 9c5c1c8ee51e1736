"""The figure standard: deliberately bad figures fail the check and cannot be saved."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from PIL import Image

from discourse import plots
from discourse.plots import standard


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opened, and restore matplotlib settings."""
    with mpl.rc_context():
        plots.set_theme()
        yield
    plt.close("all")


def _good() -> plt.Figure:
    """A small, fully labelled figure whose texts sit apart."""
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1, 2], [1, 3, 2], marker="o")
    ax.set(title="A title", xlabel="x label", ylabel="y label")
    ax.annotate("peak", (1, 3), xytext=(6, -4), textcoords="offset points", fontsize=8)
    return fig


def _kinds(fig) -> list[str]:
    return [v.kind for v in plots.check_figure(fig)]


def test_a_good_figure_meets_the_standard(tmp_path):
    fig = _good()
    assert plots.check_figure(fig) == []
    png, svg = plots.save(fig, "good", tmp_path)
    assert png.exists() and svg.exists()


def test_two_texts_on_top_of_each_other_overlap():
    fig = _good()
    ax = fig.axes[0]
    ax.text(0.5, 2.0, "n=14", fontsize=9)
    ax.text(0.52, 2.0, "n=11", fontsize=9)
    violations = plots.check_figure(fig)
    assert [v.kind for v in violations] == ["overlap"]
    assert "'n=14' and 'n=11'" in violations[0].detail


def test_texts_side_by_side_do_not_overlap():
    fig = _good()
    ax = fig.axes[0]
    ax.text(0.2, 2.0, "n=14", fontsize=9)
    ax.text(1.2, 2.0, "n=11", fontsize=9)
    assert plots.check_figure(fig) == []


def test_six_point_text_is_too_small():
    fig = _good()
    fig.axes[0].text(1.5, 1.2, "n=3", fontsize=6)
    violations = plots.check_figure(fig)
    assert [v.kind for v in violations] == ["small text"]
    assert "6 pt" in violations[0].detail


def test_eight_point_text_is_large_enough():
    fig = _good()
    fig.axes[0].text(1.5, 1.2, "n=3", fontsize=8)
    assert plots.check_figure(fig) == []


def test_a_title_wider_than_the_canvas_is_cut():
    fig, ax = plt.subplots(figsize=(3, 3), layout="none")
    ax.set(xlabel="x", ylabel="y")
    ax.set_title("A title far too long for a figure three inches wide, so cut at both ends")
    assert "cut" in _kinds(fig)


def test_a_legend_past_the_edge_is_cut():
    fig, ax = plt.subplots(figsize=(4, 3), layout="none")
    ax.plot([0, 1], [0, 1], label="a group with a long name")
    ax.legend(loc="center left", bbox_to_anchor=(0.9, 0.5))
    assert "cut" in _kinds(fig)


def test_text_clipped_by_its_axes_is_cut():
    fig = _good()
    fig.axes[0].text(2.0, 2.0, "a label running out of the axes", clip_on=True)
    assert "cut" in _kinds(fig)


def test_a_figure_over_4000_px_is_too_large():
    fig, ax = plt.subplots(figsize=(25, 3))  # 5,000 px wide at 200 dpi
    ax.set(title="wide", xlabel="x", ylabel="y")
    violations = plots.check_figure(fig)
    assert [v.kind for v in violations] == ["too large"]
    assert "5000 x 600 px" in violations[0].detail


def test_the_limit_itself_is_allowed():
    fig, ax = plt.subplots(figsize=(20, 3))  # exactly 4,000 px
    ax.set(title="wide", xlabel="x", ylabel="y")
    assert plots.check_figure(fig) == []


def test_texts_are_measured_at_the_saved_resolution_and_the_figure_keeps_its_own():
    fig = _good()
    dpi = fig.dpi
    at_save = {text: box for text, box, _ in standard.drawn_texts(fig)}
    at_half = {text: box for text, box, _ in standard.drawn_texts(fig, dpi=plots.SAVE_DPI / 2)}
    assert fig.dpi == dpi
    assert at_save["A title"].height == pytest.approx(2 * at_half["A title"].height, rel=0.05)
    assert at_save["A title"].x1 <= plots.SAVE_DPI * 4 + 1


def test_hidden_and_blank_texts_are_not_measured():
    fig = _good()
    ax = fig.axes[0]
    ax.text(0.5, 2.0, "hidden", visible=False)
    ax.text(0.5, 2.0, "   ")
    ax.text(0.5, 2.0, "shown")
    texts = [text for text, _, _ in standard.drawn_texts(fig)]
    assert "shown" in texts and "hidden" not in texts and "   " not in texts
    assert plots.check_figure(fig) == []


@pytest.mark.parametrize(
    ("spoil", "kind"),
    [
        (lambda ax: ax.text(1.5, 1.2, "tiny", fontsize=6), "small text"),
        (lambda ax: (ax.text(0.5, 2, "one"), ax.text(0.5, 2, "two")), "overlap"),
        (lambda ax: ax.get_figure().set_size_inches(25, 3), "too large"),
    ],
)
def test_save_refuses_a_figure_that_breaks_the_standard_and_writes_nothing(tmp_path, spoil, kind):
    fig = _good()
    spoil(fig.axes[0])
    with pytest.raises(plots.FigureStandardError, match=kind) as raised:
        plots.save(fig, "bad", tmp_path)
    assert kind in [v.kind for v in raised.value.violations]
    assert list(tmp_path.iterdir()) == []


def test_white_and_black_look_the_same_under_every_simulation():
    for deficiency in (None, *standard.CVD_MATRICES):
        assert standard.seen_lab("#FFFFFF", deficiency) == pytest.approx([100, 0, 0], abs=0.1)
        assert standard.seen_lab("#000000", deficiency) == pytest.approx([0, 0, 0], abs=1e-9)


def test_vermillion_and_orange_clash_under_deuteranopia():
    vermillion, orange = plots.OKABE_ITO["vermillion"], plots.OKABE_ITO["orange"]
    clashes = standard.colour_clashes([vermillion, orange])
    assert (vermillion, orange, "deuteranopia", 18.3) in clashes


def test_a_legend_with_two_colours_that_merge_under_deuteranopia_fails():
    fig = _good()
    ax = fig.axes[0]
    ax.plot([0, 1], [1, 2], color=plots.OKABE_ITO["vermillion"], label="questions")
    ax.plot([0, 1], [2, 1], color=plots.OKABE_ITO["orange"], label="specific answers")
    ax.legend()
    violations = plots.check_figure(fig)
    assert [v.kind for v in violations] == ["colours"]
    assert "#D55E00 and #E69F00 are 18.3 apart under deuteranopia" in violations[0].detail


def test_the_role_colours_in_one_legend_pass_and_greys_are_not_groups():
    fig = _good()
    ax = fig.axes[0]
    for group in ("questions", "answers", "general", "specific"):
        ax.plot([0, 1], [1, 2], color=plots.ROLE_COLOURS[group], label=group)
    ax.plot([0, 1], [2, 1], color=plots.NEUTRAL, label="no group")
    ax.legend(loc="lower right", fontsize=8)
    assert standard.legend_colours(fig) == [
        plots.ROLE_COLOURS[g].upper() for g in ("questions", "answers", "general", "specific")
    ]
    assert plots.check_figure(fig) == []


def test_the_study_colours_stay_apart_in_one_figure():
    colours = plots.assign_colours(["Momentum Organisers"])
    assert standard.colour_clashes(list(colours.values())) == []


# ---------------------------------------------------------------------------------------------
# Exact quotations in figure labels
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "n_words", "expected"),
    [
        ("You’ve made an implicit critique.", 3, "You’ve made an …"),
        ("He said “too inward-looking” today.", 4, "He said “too inward-looking” …"),
        ("Short one.", 8, "Short one."),
        ("Two  spaces\nand a line.", 3, "Two  spaces\nand …"),
        ("Words here.", 0, "…"),
        ("", 5, ""),
    ],
)
def test_opening_quotes_the_first_words_as_printed(source, n_words, expected):
    from discourse import text

    assert text.opening(source, n_words) == expected


def test_opening_refuses_a_negative_count():
    from discourse import text

    with pytest.raises(ValueError, match="n_words"):
        text.opening("Some words.", -1)


# ---------------------------------------------------------------------------------------------
# Every figure of the study goes through the standard
# ---------------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")))
def test_notebooks_write_figures_only_through_the_checked_save(notebook):
    sources = _code_cells(notebook)
    assert not [s for s in sources if "savefig" in s or "imsave" in s]
    assert any("study.save(" in s for s in sources)


def test_every_committed_figure_is_within_the_size_limit():
    sizes = {png.name: Image.open(png).size for png in sorted((ROOT / "figures").glob("*.png"))}
    assert sizes
    assert {name: size for name, size in sizes.items() if max(size) > plots.MAX_PIXELS} == {}


def _labelled_point(gid: str | None, offset: tuple[float, float]) -> plt.Figure:
    """One scatter point at (1, 1) and a label of it, ``offset`` points away."""
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.scatter([1.0, 2.0], [1.0, 2.0])
    ax.set(title="A title", xlabel="x label", ylabel="y label", xlim=(0, 3), ylim=(0, 3))
    label = ax.annotate(
        "word", (1.0, 1.0), xytext=offset, textcoords="offset points", ha="center", va="center"
    )
    label.set_gid(gid)
    return fig


def test_a_point_label_over_a_point_breaks_the_standard():
    fig = _labelled_point(standard.POINT_LABEL, (0, 0))
    assert _kinds(fig) == ["label on a point"]
    assert "'word' covers 1 point(s)" in str(plots.check_figure(fig)[0])


def test_a_point_label_beside_its_point_and_other_texts_over_points_pass():
    assert _kinds(_labelled_point(standard.POINT_LABEL, (0, 20))) == []
    assert _kinds(_labelled_point(None, (0, 0))) == []


def test_place_labels_marks_the_labels_and_moves_them_off_the_points():
    fig, ax = plt.subplots(figsize=(4, 3))
    x, y = [1.0, 1.05, 1.1, 2.0], [1.0, 1.02, 0.98, 2.0]
    ax.scatter(x, y)
    ax.set(title="A title", xlabel="x label", ylabel="y label", xlim=(0, 3), ylim=(0, 3))
    texts = [
        ax.text(a, b, word)
        for a, b, word in zip(x, y, ["one", "two", "three", "four"], strict=True)
    ]
    plots.place_labels(ax, texts, x, y)
    assert {text.get_gid() for text in texts} == {standard.POINT_LABEL}
    assert plots.check_figure(fig) == []
